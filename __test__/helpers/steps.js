'use strict';

/**
 * Runs `steps` on the Writable `w`, each `[chunk, encoding?, withCallback?]`, `'cork'`,
 * `'uncork'` or `'tick'` (wait for a turn of the loop), recording into `log` write()'s answer
 * (`w<id>=<answer>/<writeInfo(w)>`) and each callback (`cb<id>[:code]<cbInfo(w)>`).
 */
async function runSteps(w, steps, log, writeInfo, cbInfo = () => '') {
  let k = 0;
  for (const s of steps) {
    if (s === 'cork') w.cork();
    else if (s === 'uncork') w.uncork();
    else if (s === 'tick') await new Promise((r) => setImmediate(r));
    else {
      const [chunk, enc, withCb] = s;
      const id = k++;
      const cb = withCb ? (err) => log.push(`cb${id}${err ? ':' + err.code : ''}${cbInfo(w)}`) : undefined;
      const ret = enc === undefined ? (cb ? w.write(chunk, cb) : w.write(chunk)) : w.write(chunk, enc, cb);
      log.push(`w${id}=${ret}/${writeInfo(w)}`);
    }
  }
}

module.exports = { runSteps };
