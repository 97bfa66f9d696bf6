// ESM entry: named exports of the CommonJS facade.
import sluice from './index.js';

export const {
  Stream,
  Writable,
  Readable,
  Duplex,
  Transform,
  PassThrough,
  pipeline,
  finished,
  addAbortSignal,
  compose,
  destroy,
  isReadable,
  isErrored,
  isDisturbed,
  promises,
  getDefaultHighWaterMark,
  setDefaultHighWaterMark,
  createWriteStream,
  monitor,
  drained,
  createReadStream,
  ReadStream,
  WriteStream,
  NullSink,
  MemorySink,
  ThrottleSink,
} = sluice;
export default sluice;
