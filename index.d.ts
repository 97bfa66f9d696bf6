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
  static fromWeb(
    writableStream: import('node:stream/web').WritableStream | WritableStream,
    options?: Pick<stream.WritableOptions, 'decodeStrings' | 'highWaterMark' | 'objectMode' | 'signal'>,
  ): Writable;
  [Symbol.asyncDispose](): Promise<void>;
  /** Backpressure statistics (always on). */
  stats(): WritableStats;
  /** Resolves at once when no drain is needed, else on the next `'drain'`. */
  drained(): Promise<void>;
}
/** Options of `map` and the other operators (node:stream's, plus the read-ahead mark). */
export interface OperatorOptions {
  /** How many `fn` calls may be pending at once (default 1). */
  concurrency?: number | undefined;
  /** Results held ahead of the reader beyond `concurrency` (default `concurrency - 1`). */
  highWaterMark?: number | undefined;
  signal?: AbortSignal | undefined;
}
type OperatorFn<R> = (data: any, options?: { signal: AbortSignal }) => R | Promise<R>;

/** A `stream.Readable` whose buffering and flow state machine runs in Rust. */
export declare class Readable extends stream.Readable {
  constructor(opts?: stream.ReadableOptions);
  stats(): ReadableStats;
  // The operators: the stream-returning ones give a sluice Readable (objectMode, highWaterMark 1).
  map(fn: OperatorFn<any>, options?: OperatorOptions): Readable;
  filter(fn: OperatorFn<unknown>, options?: OperatorOptions): Readable;
  flatMap(fn: (data: any, options?: { signal: AbortSignal }) => any, options?: OperatorOptions): Readable;
  drop(limit: number, options?: { signal?: AbortSignal | undefined }): Readable;
  take(limit: number, options?: { signal?: AbortSignal | undefined }): Readable;
  /** Node 20 only (removed in 22). */
  asIndexedPairs(options?: { signal?: AbortSignal | undefined }): Readable;
  forEach(fn: OperatorFn<void>, options?: OperatorOptions): Promise<void>;
  toArray(options?: { signal?: AbortSignal | undefined }): Promise<any[]>;
  some(fn: OperatorFn<unknown>, options?: OperatorOptions): Promise<boolean>;
  find(fn: OperatorFn<unknown>, options?: OperatorOptions): Promise<any>;
  every(fn: OperatorFn<unknown>, options?: OperatorOptions): Promise<boolean>;
  /** Wraps an old-style stream (one that only emits 'data' / 'end'). */
  wrap(stream: NodeJS.ReadableStream): this;
  static from(iterable: Iterable<any> | AsyncIterable<any>, options?: stream.ReadableOptions): Readable;
  static fromWeb(
    readableStream: import('node:stream/web').ReadableStream | ReadableStream,
    options?: Pick<stream.ReadableOptions, 'encoding' | 'highWaterMark' | 'objectMode' | 'signal'>,
  ): Readable;
  /** A sluice Readable over an old-style stream (destroying it destroys `src`). */
  static wrap(src: NodeJS.ReadableStream, options?: stream.ReadableOptions): Readable;
}

/** What `Duplex.from` adapts (node:stream's list). */
export type DuplexSource =
  | NodeJS.ReadableStream
  | NodeJS.WritableStream
  | Blob
  | string
  | Iterable<any>
  | AsyncIterable<any>
  | ((source: AsyncGenerator<any>, options: { signal: AbortSignal }) => AsyncIterable<any> | Iterable<any> | Promise<void>)
  | Promise<any>
  | { readable?: unknown; writable?: unknown }
  | object;

/** A `stream.Duplex` built on sluice's Readable and Writable cores. */
export declare class Duplex extends stream.Duplex {
  constructor(opts?: stream.DuplexOptions & BackpressureOptions);
  stats(): { readable: ReadableStats; writable: WritableStats };
  // The operators: the stream-returning ones give a sluice Readable (objectMode, highWaterMark 1).
  map(fn: OperatorFn<any>, options?: OperatorOptions): Readable;
  filter(fn: OperatorFn<unknown>, options?: OperatorOptions): Readable;
  flatMap(fn: (data: any, options?: { signal: AbortSignal }) => any, options?: OperatorOptions): Readable;
  drop(limit: number, options?: { signal?: AbortSignal | undefined }): Readable;
  take(limit: number, options?: { signal?: AbortSignal | undefined }): Readable;
  /** Node 20 only (removed in 22). */
  asIndexedPairs(options?: { signal?: AbortSignal | undefined }): Readable;
  forEach(fn: OperatorFn<void>, options?: OperatorOptions): Promise<void>;
  toArray(options?: { signal?: AbortSignal | undefined }): Promise<any[]>;
  some(fn: OperatorFn<unknown>, options?: OperatorOptions): Promise<boolean>;
  find(fn: OperatorFn<unknown>, options?: OperatorOptions): Promise<any>;
  every(fn: OperatorFn<unknown>, options?: OperatorOptions): Promise<boolean>;
  /** A sluice Duplex for `src` (or `src` itself when it is a duplex already). */
  static from(src: DuplexSource): Duplex;
  static fromWeb(
    pair: {
      readable: import('node:stream/web').ReadableStream | ReadableStream;
      writable: import('node:stream/web').WritableStream | WritableStream;
    },
    options?: Pick<stream.DuplexOptions, 'allowHalfOpen' | 'decodeStrings' | 'encoding' | 'highWaterMark' | 'objectMode' | 'signal'>,
  ): Duplex;
}
/** A `stream.Transform` built on sluice's Duplex. */
export declare class Transform extends stream.Transform {
  constructor(opts?: stream.TransformOptions);
  static from(src: DuplexSource): Duplex;
  // The operators: the stream-returning ones give a sluice Readable (objectMode, highWaterMark 1).
  map(fn: OperatorFn<any>, options?: OperatorOptions): Readable;
  filter(fn: OperatorFn<unknown>, options?: OperatorOptions): Readable;
  flatMap(fn: (data: any, options?: { signal: AbortSignal }) => any, options?: OperatorOptions): Readable;
  drop(limit: number, options?: { signal?: AbortSignal | undefined }): Readable;
  take(limit: number, options?: { signal?: AbortSignal | undefined }): Readable;
  /** Node 20 only (removed in 22). */
  asIndexedPairs(options?: { signal?: AbortSignal | undefined }): Readable;
  forEach(fn: OperatorFn<void>, options?: OperatorOptions): Promise<void>;
  toArray(options?: { signal?: AbortSignal | undefined }): Promise<any[]>;
  some(fn: OperatorFn<unknown>, options?: OperatorOptions): Promise<boolean>;
  find(fn: OperatorFn<unknown>, options?: OperatorOptions): Promise<any>;
  every(fn: OperatorFn<unknown>, options?: OperatorOptions): Promise<boolean>;
}
/** A `stream.PassThrough` built on sluice's Transform. */
export declare class PassThrough extends stream.PassThrough {
  constructor(opts?: stream.TransformOptions);
  static from(src: DuplexSource): Duplex;
  // The operators: the stream-returning ones give a sluice Readable (objectMode, highWaterMark 1).
  map(fn: OperatorFn<any>, options?: OperatorOptions): Readable;
  filter(fn: OperatorFn<unknown>, options?: OperatorOptions): Readable;
  flatMap(fn: (data: any, options?: { signal: AbortSignal }) => any, options?: OperatorOptions): Readable;
  drop(limit: number, options?: { signal?: AbortSignal | undefined }): Readable;
  take(limit: number, options?: { signal?: AbortSignal | undefined }): Readable;
  /** Node 20 only (removed in 22). */
  asIndexedPairs(options?: { signal?: AbortSignal | undefined }): Readable;
  forEach(fn: OperatorFn<void>, options?: OperatorOptions): Promise<void>;
  toArray(options?: { signal?: AbortSignal | undefined }): Promise<any[]>;
  some(fn: OperatorFn<unknown>, options?: OperatorOptions): Promise<boolean>;
  find(fn: OperatorFn<unknown>, options?: OperatorOptions): Promise<any>;
  every(fn: OperatorFn<unknown>, options?: OperatorOptions): Promise<boolean>;
}

export import Stream = stream.Stream;
export declare const pipeline: typeof stream.pipeline;
export declare const finished: typeof stream.finished;
export declare const addAbortSignal: typeof stream.addAbortSignal;
/** One sluice Duplex: writes go into the first stream, reads come out of the last. */
export declare function compose(...streams: Array<DuplexSource | TransformStream>): Duplex;
/** Two sluice Duplexes back to back: what one writes, the other reads. */
export declare function duplexPair(options?: stream.DuplexOptions): [Duplex, Duplex];
export declare const isReadable: typeof stream.isReadable;
export declare const isErrored: typeof stream.isErrored;
export declare function isDisturbed(stream: stream.Readable | NodeJS.ReadableStream): boolean;
export declare function isDestroyed(stream: stream.Readable | stream.Writable | NodeJS.ReadableStream | NodeJS.WritableStream): boolean;
export declare function isWritable(stream: stream.Writable | NodeJS.WritableStream): boolean | null;
export declare const destroy: (stream: NodeJS.ReadableStream | NodeJS.WritableStream, err?: Error | null) => void;
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
