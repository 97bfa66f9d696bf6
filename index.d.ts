// Types for sluice. The classes are drop-in replacements for node:stream's, so they carry
// node:stream's types (from @types/node); sluice's own additions are declared here.
/// <reference types="node" />
import * as stream from 'node:stream';
import * as streamPromises from 'node:stream/promises';

/** sluice's opt-in backpressure policies (defaults change nothing). */
export interface BackpressureOptions {
  /** Drain hysteresis: `'drain'` fires when the buffer falls to this length, not to zero. */
  lowWaterMark?: number;
  /** Bound on `writableLength`, enforced even when `write()`'s return value is ignored. */
  maxBuffered?: number;
  /** What `write()` does past `maxBuffered` (default `'error'`: `ERR_SLUICE_BUFFER_OVERFLOW`). */
  overflow?: 'error' | 'drop-newest' | 'drop-oldest';
}

/** Statistics of a writable side, counted by the Rust core as it works. */
export interface WritableStats {
  writes: number;
  bytesWritten: number;
  /** `write()` calls that returned false. */
  writeFalse: number;
  drains: number;
  peakBuffered: number;
  /** Total time under backpressure (first false return to `'drain'`), ms. */
  pressureMs: number;
  longestPressureMs: number;
  underPressure: boolean;
  /** Chunks dropped by the overflow policy. */
  dropped: number;
  buffered: number;
  highWaterMark: number;
}

/** Statistics of a readable side. */
export interface ReadableStats {
  pushes: number;
  bytesPushed: number;
  pushFalse: number;
  /** `_read()` calls. */
  readCalls: number;
  peakBuffered: number;
  buffered: number;
  highWaterMark: number;
}

export type WritableOptions = stream.WritableOptions & BackpressureOptions;

/** A `stream.Writable` whose buffering and backpressure state machine runs in Rust. */
export declare class Writable extends stream.Writable {
  constructor(opts?: WritableOptions);
  /** Backpressure statistics (always on). */
  stats(): WritableStats;
  /** Resolves at once when no drain is needed, else on the next `'drain'`. */
  drained(): Promise<void>;
}
/** A `stream.Readable` whose buffering and flow state machine runs in Rust. */
export declare class Readable extends stream.Readable {
  constructor(opts?: stream.ReadableOptions);
  stats(): ReadableStats;
}
/** A `stream.Duplex` built on sluice's Readable and Writable cores. */
export declare class Duplex extends stream.Duplex {
  constructor(opts?: stream.DuplexOptions & BackpressureOptions);
  stats(): { readable: ReadableStats; writable: WritableStats };
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

/** Options of the native sinks: how many bytes the native buffer takes before JS waits. */
export interface NativeSinkOptions extends WritableOptions {
  nativeBufferSize?: number;
}

/** A Writable whose consumer is a Rust worker thread. */
export declare class NativeWritable extends Writable {
  bytesWritten: number;
}
/** Discards everything. */
export declare class NullSink extends NativeWritable {
  constructor(opts?: NativeSinkOptions);
}
/** Keeps everything; `limit` makes it error (ENOBUFS) past that many bytes. */
export declare class MemorySink extends NativeWritable {
  constructor(opts?: NativeSinkOptions & { limit?: number });
  toBuffer(): Buffer;
}
/** A slow consumer timed in Rust. */
export declare class ThrottleSink extends NativeWritable {
  constructor(opts?: NativeSinkOptions & { bytesPerSecond?: number; delayMs?: number });
}

export interface WriteStreamOptions extends NativeSinkOptions {
  flags?: string;
  mode?: number;
  fd?: number | { fd: number };
  start?: number;
  encoding?: BufferEncoding;
  autoClose?: boolean;
  flush?: boolean;
}
/** A drop-in for `fs.WriteStream` whose writes run on a Rust worker thread. */
export declare class WriteStream extends NativeWritable {
  constructor(path: string | Buffer | URL | null, opts?: WriteStreamOptions | BufferEncoding);
  readonly path: string | Buffer | undefined;
  fd: number | null;
  readonly pending: boolean;
  close(cb?: (err?: NodeJS.ErrnoException | null) => void): void;
}
export declare function createWriteStream(path: string | Buffer | URL | null, opts?: WriteStreamOptions | BufferEncoding): WriteStream;

export interface ReadStreamOptions extends stream.ReadableOptions {
  flags?: string;
  mode?: number;
  fd?: number | { fd: number };
  start?: number;
  end?: number;
  autoClose?: boolean;
}
/** A drop-in for `fs.ReadStream` read ahead by a Rust worker thread. */
export declare class ReadStream extends Readable {
  constructor(path: string | Buffer | URL | null, opts?: ReadStreamOptions | BufferEncoding);
  bytesRead: number;
  readonly path: string | Buffer | undefined;
  fd: number | null;
  readonly pending: boolean;
  close(cb?: (err?: NodeJS.ErrnoException | null) => void): void;
}
export declare function createReadStream(path: string | Buffer | URL | null, opts?: ReadStreamOptions | BufferEncoding): ReadStream;

/** One sample of `monitor()`. */
export interface MonitorSample {
  /** ms since the monitor started. */
  t: number;
  rss: number;
  stats: Array<WritableStats | ReadableStats | { readable: ReadableStats; writable: WritableStats } | { buffered: number; highWaterMark?: number }>;
}
/** Samples `stats()` (and RSS) of the given streams every `intervalMs` (default 100). */
export declare function monitor(
  streams: NodeJS.WritableStream | NodeJS.ReadableStream | Array<NodeJS.WritableStream | NodeJS.ReadableStream>,
  opts?: { intervalMs?: number; onSample?: (s: MonitorSample) => void },
): { samples: MonitorSample[]; stop(): MonitorSample[] };
/** Resolves at once when `w` needs no drain, else on its next `'drain'`. Works on any Writable. */
export declare function drained(w: NodeJS.WritableStream): Promise<void>;

/** The default `highWaterMark`: 16384 bytes, or 16 objects in object mode. */
export declare function getDefaultHighWaterMark(objectMode: boolean): number;
/** Changes the default `highWaterMark` (for sluice and node:stream alike). */
export declare function setDefaultHighWaterMark(objectMode: boolean, value: number): void;
