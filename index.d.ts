// Types for sluice. The classes are drop-in replacements for node:stream's, so they carry
// node:stream's types (from @types/node); sluice's own additions are declared here.
/// <reference types="node" />
import * as stream from 'node:stream';
import * as streamPromises from 'node:stream/promises';

/** A `stream.Writable` whose buffering and backpressure state machine runs in Rust. */
export declare class Writable extends stream.Writable {
  constructor(opts?: stream.WritableOptions);
}
/** A `stream.Readable` whose buffering and flow state machine runs in Rust. */
export declare class Readable extends stream.Readable {
  constructor(opts?: stream.ReadableOptions);
}
/** A `stream.Duplex` built on sluice's Readable and Writable cores. */
export declare class Duplex extends stream.Duplex {
  constructor(opts?: stream.DuplexOptions);
}
/** A `stream.Transform` built on sluice's Duplex. */
export declare class Transform extends stream.Transform {
  constructor(opts?: stream.TransformOptions);
}
/** A `stream.PassThrough` built on sluice's Transform. */
export declare class PassThrough extends stream.PassThrough {
  constructor(opts?: stream.TransformOptions);
}

export import Stream = stream.Stream;
export declare const pipeline: typeof stream.pipeline;
export declare const finished: typeof stream.finished;
export declare const addAbortSignal: typeof stream.addAbortSignal;
/** node:stream's `compose` (experimental in Node 20). */
export declare function compose(...streams: any[]): stream.Duplex;
export declare const isReadable: typeof stream.isReadable;
export declare const isErrored: typeof stream.isErrored;
export declare function isDisturbed(stream: stream.Readable | NodeJS.ReadableStream): boolean;
export declare const promises: typeof streamPromises;

/** The default `highWaterMark`: 16384 bytes, or 16 objects in object mode. */
export declare function getDefaultHighWaterMark(objectMode: boolean): number;
/** Changes the default `highWaterMark` (for sluice and node:stream alike). */
export declare function setDefaultHighWaterMark(objectMode: boolean, value: number): void;
