// Types for `sluice/promises`: node:stream/promises' own.
/// <reference types="node" />
export { pipeline, finished } from 'node:stream/promises';
