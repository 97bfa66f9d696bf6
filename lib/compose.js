'use strict';
// `compose(...streams)` and `readable.compose(stream, options)`: one sluice Duplex whose writes go
// into the first stage and whose reads come out of the last, the stages joined by node:stream's
// pipeline (which only drives them). A function at either end becomes a stage through
// `Duplex.from`; web streams are written through their writer and read through their reader.

const NodeStream = require('stream');
const { since } = require('./node-version');
const kinds = require('./kinds');
const {
  AbortError,
  ERR_INVALID_ARG_VALUE,
  ERR_MISSING_ARGS,
  validateOptions,
} = require('./validate');

const eos = NodeStream.finished;
const destroyer = NodeStream.destroy;

module.exports = function makeCompose({ Duplex, Readable }) {
  function compose(...streams) {
    if (streams.length === 0) throw new ERR_MISSING_ARGS('streams');
    if (streams.length === 1) return Duplex.from(streams[0]);

    const given = streams.slice();
    const last = streams.length - 1;
    if (typeof streams[0] === 'function') streams[0] = Duplex.from(streams[0]);
    if (typeof streams[last] === 'function') streams[last] = Duplex.from(streams[last]);

    streams.forEach((s, n) => {
      if (!kinds.isNodeStream(s) && !kinds.isWebStream(s)) return;
      if (n < last && !(NodeStream.isReadable(s) || kinds.isReadableStream(s) || kinds.isTransformStream(s))) {
        throw new ERR_INVALID_ARG_VALUE(`streams[${n}]`, given[n], 'must be readable');
      }
      if (n > 0 && !(NodeStream.isWritable(s) || kinds.isWritableStream(s) || kinds.isTransformStream(s))) {
        throw new ERR_INVALID_ARG_VALUE(`streams[${n}]`, given[n], 'must be writable');
      }
    });

    let ondrain = null;
    let onfinish = null;
    let onreadable = null;
    let onclose;
    let d;

    const head = streams[0];
    const writable = !!(NodeStream.isWritable(head) || kinds.isWritableStream(head) || kinds.isTransformStream(head));
    // eslint-disable-next-line prefer-const
    let readable;

    const finishedAll = (err) => {
      const cb = onclose;
      onclose = null;
      if (cb) cb(err);
      else if (err) d.destroy(err);
      else if (!readable && !writable) d.destroy();
    };
    const tail = NodeStream.pipeline(streams, finishedAll);
    readable = !!(NodeStream.isReadable(tail) || kinds.isReadableStream(tail) || kinds.isTransformStream(tail));

    d = new Duplex({
      writableObjectMode: !!head?.writableObjectMode,
      readableObjectMode: !!tail?.readableObjectMode,
      writable,
      readable,
    });

    const fire = (cb) => cb && cb();

    if (writable) {
      if (kinds.isNodeStream(head)) {
        d._write = function (chunk, encoding, callback) {
          if (head.write(chunk, encoding)) callback();
          else ondrain = callback;
        };
        d._final = function (callback) {
          head.end();
          onfinish = callback;
        };
        head.on('drain', () => {
          const cb = ondrain;
          ondrain = null;
          fire(cb);
        });
      } else if (kinds.isWebStream(head)) {
        const writer = (kinds.isTransformStream(head) ? head.writable : head).getWriter();
        d._write = async function (chunk, encoding, callback) {
          try {
            await writer.ready;
            writer.write(chunk).catch(() => {});
            callback();
          } catch (err) {
            callback(err);
          }
        };
        d._final = async function (callback) {
          try {
            await writer.ready;
            writer.close().catch(() => {});
            onfinish = callback;
          } catch (err) {
            callback(err);
          }
        };
      }
      eos(kinds.isTransformStream(tail) ? tail.readable : tail, () => {
        const cb = onfinish;
        onfinish = null;
        fire(cb);
      });
    }

    if (readable) {
      if (kinds.isNodeStream(tail)) {
        if (since.COMPOSE_READS_TAIL_BY_DATA) {
          d._read = function () {
            tail.resume();
          };
          tail.on('data', (chunk) => {
            if (!d.push(chunk)) tail.pause();
          });
        } else {
          tail.on('readable', () => {
            const cb = onreadable;
            onreadable = null;
            fire(cb);
          });
          d._read = function () {
            for (;;) {
              const chunk = tail.read();
              if (chunk === null) {
                onreadable = d._read;
                return;
              }
              if (!d.push(chunk)) return;
            }
          };
        }
        tail.on('end', () => d.push(null));
      } else if (kinds.isWebStream(tail)) {
        const reader = (kinds.isTransformStream(tail) ? tail.readable : tail).getReader();
        d._read = async function () {
          for (;;) {
            let step;
            try {
              step = await reader.read();
            } catch {
              return;
            }
            const { value, done } = step;
            if (since.COMPOSE_READS_TAIL_BY_DATA) {
              if (done) {
                d.push(null);
                return;
              }
              if (!d.push(value)) return;
            } else {
              if (!d.push(value)) return;
              if (done) {
                d.push(null);
                return;
              }
            }
          }
        };
      }
    }

    d._destroy = function (err, callback) {
      if (!err && onclose !== null) err = new AbortError();
      onreadable = null;
      ondrain = null;
      onfinish = null;
      if (kinds.isNodeStream(tail)) destroyer(tail, err);
      if (onclose === null) {
        callback(err);
      } else {
        onclose = callback;
      }
    };
    return d;
  }

  /** `readable.compose(stream[, options])`: this readable piped into `stream`, as one Duplex. */
  function composeMethod(stream, options) {
    validateOptions(options);
    if (!since.READABLE_COMPOSE_DIRECT && kinds.isNodeStream(stream) && !NodeStream.isWritable(stream)) {
      throw new ERR_INVALID_ARG_VALUE('stream', stream, 'must be writable');
    }
    const composed = compose(this, stream);
    if (options?.signal) NodeStream.addAbortSignal(options.signal, composed);
    // Before 24 it was a stream-returning operator: a Readable over the composed Duplex.
    return since.READABLE_COMPOSE_DIRECT ? composed : Readable.from(composed);
  }

  return { compose, composeMethod };
};
