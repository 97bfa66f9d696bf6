// Types for sluice. The classes are drop-in replacements for node:stream's, so they carry
// node:stream's types (from @types/node); what sluice adds is declared here.
/// <reference types="node" />
import * as stream from 'node:stream';

/** A `stream.Writable` whose buffering and backpressure state machine runs in Rust. */
export declare class Writable extends stream.Writable {
  constructor(opts?: stream.WritableOptions);
}

// Until their Rust cores land these are node:stream's own classes and utilities.
export import Readable = stream.Readable;
export import Duplex = stream.Duplex;
export import Transform = stream.Transform;
export import PassThrough = stream.PassThrough;
export import Stream = stream.Stream;
export declare const pipeline: typeof stream.pipeline;
export declare const finished: typeof stream.finished;
export declare const addAbortSignal: typeof stream.addAbortSignal;
export declare const promises: typeof stream.promises;

/** The default `highWaterMark`: 16384 bytes, or 16 objects in object mode. */
export declare function getDefaultHighWaterMark(objectMode: boolean): number;
/** Changes the default `highWaterMark` (for sluice and node:stream alike). */
export declare function setDefaultHighWaterMark(objectMode: boolean, value: number): void;
