// ESM entry: named exports of the CommonJS facade.
import sluice from './index.js';

export const {
  Writable,
  Readable,
  Duplex,
  Transform,
  PassThrough,
  Stream,
  pipeline,
  finished,
  addAbortSignal,
  promises,
  getDefaultHighWaterMark,
  setDefaultHighWaterMark,
} = sluice;
export default sluice;
