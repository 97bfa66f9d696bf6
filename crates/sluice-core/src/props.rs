//! Property tests of the pure state machines: random operation sequences, invariants after
//! every step.

use crate::readable::{flag as rflag, k, p, r, ReadableCore};
use crate::writable::{a, flag, w, WritableCore};
use proptest::prelude::*;

/// The facade's rule for the end step a read owes once it reached the end (lib/readable.js
/// `endStepOwed`): `flags` with `END_SCHEDULED` set where Node 24's once-only switch sets it,
/// and whether the step is scheduled now.
fn end_step_owed(flags: u32, switches: u32) -> (u32, bool) {
    use crate::readable::sw;
    if flags & rflag::END_EMITTED != 0 {
        (flags, false)
    } else if switches & sw::END_ONCE == 0 {
        (flags, true)
    } else if flags & rflag::END_SCHEDULED != 0 {
        (flags, false)
    } else {
        (flags | rflag::END_SCHEDULED, true)
    }
}

#[derive(Debug, Clone)]
enum WOp {
    Write(u16),
    CompleteSync,
    Complete(bool),
    Cork,
    Uncork,
    End,
    Destroy,
    AfterWrite,
}

fn wop() -> impl Strategy<Value = WOp> {
    prop_oneof![
        4 => (0u16..64).prop_map(WOp::Write),
        2 => Just(WOp::CompleteSync),
        3 => any::<bool>().prop_map(WOp::Complete),
        1 => Just(WOp::Cork),
        1 => Just(WOp::Uncork),
        1 => Just(WOp::End),
        1 => Just(WOp::Destroy),
        2 => Just(WOp::AfterWrite),
    ]
}

proptest! {
    /// Length never negative, equals queued + in flight; needDrain is only set when a write
    /// reached the mark; every accepted write is completed exactly once (pending callbacks
    /// never go negative); nothing is dispatched after destroy.
    #[test]
    fn writable_invariants(ops in proptest::collection::vec(wop(), 1..60), hwm in 0u16..48) {
        let mut c = WritableCore::new(false, hwm as f64, flag::EMIT_CLOSE | flag::AUTO_DESTROY);
        let mut in_flight: Option<f64> = None;
        let mut queued: Vec<f64> = Vec::new();
        let mut accepted = 0u32;
        let mut completed = 0u32;
        for op in ops {
            match op {
                WOp::Write(n) => {
                    let code = c.write(n as f64);
                    if code & w::DISPATCH != 0 {
                        prop_assert!(in_flight.is_none(), "one write in flight at most");
                        in_flight = Some(n as f64);
                        accepted += 1;
                    } else if code & w::BUFFERED != 0 {
                        queued.push(n as f64);
                        accepted += 1;
                    }
                    // Node's answer: true while the buffered length (this chunk counted) is
                    // under the mark or nothing is buffered at all, false otherwise (a live
                    // stream; the answer for a dispatched chunk that does not complete inside
                    // `_write`).
                    if code & (w::DISPATCH | w::BUFFERED) != 0
                        && c.flags() & (flag::DESTROYED | flag::ERRORED) == 0
                    {
                        prop_assert_eq!(
                            code & w::RET_TRUE != 0,
                            c.s.length < c.s.hwm || c.s.length == 0.0,
                            "write() returns length < highWaterMark || length === 0"
                        );
                    }
                }
                WOp::CompleteSync => {
                    if in_flight.is_some() && queued.is_empty() && c.complete_sync_ok(false) {
                        in_flight = None;
                        completed += 1;
                    }
                }
                WOp::Complete(err) => {
                    let code = c.onwrite(err, false, false);
                    if code & a::MULTIPLE_CB != 0 {
                        prop_assert!(in_flight.is_none());
                        continue;
                    }
                    prop_assert!(in_flight.take().is_some());
                    completed += 1;
                    let mut act = code & a::MASK;
                    while act == a::ONE || act == a::ONE_DESTROYED {
                        prop_assert!(!queued.is_empty());
                        // The next queued entry is dispatched; complete it at once, as a
                        // synchronous sink would.
                        queued.remove(0);
                        let c2 = c.onwrite(false, false, false);
                        prop_assert!(c2 & a::MULTIPLE_CB == 0);
                        completed += 1;
                        act = c.clear_next() & a::MASK;
                    }
                }
                WOp::Cork => c.cork(),
                WOp::Uncork => {
                    let mut act = c.uncork(false) & a::MASK;
                    while act == a::ONE || act == a::ONE_DESTROYED {
                        in_flight = Some(queued.remove(0));
                        // `_write` returned, the write still in flight: the facade's next step
                        // ends the pass (the entry stays in `buffered` until then, as Node's).
                        act = c.clear_next() & a::MASK;
                    }
                }
                WOp::End => {
                    c.end();
                }
                WOp::Destroy => {
                    c.destroy_begin(false, false);
                    if c.error_buffer() {
                        completed += queued.len() as u32;
                        queued.clear();
                    }
                }
                WOp::AfterWrite => {
                    c.after_write(0.0);
                }
            }
            let expected: f64 = queued.iter().sum::<f64>() + in_flight.unwrap_or(0.0);
            prop_assert!(c.s.length >= 0.0, "length never negative");
            prop_assert_eq!(c.s.length, expected, "length = queued + in flight");
            prop_assert_eq!(c.s.buffered as usize, queued.len());
            prop_assert!(completed <= accepted, "no write completed twice");
            if c.flags() & flag::NEED_DRAIN != 0 {
                prop_assert!(c.s.st.write_false >= 1.0, "needDrain only after a false return");
            }
            prop_assert_eq!(c.s.st.writes as u32, accepted);
        }
    }

    /// Readable: the core's queue is modelled chunk by chunk: after every operation its length
    /// equals the sum of the modelled chunks (what was buffered minus what was taken) and its
    /// chunk count their number; a take removes exactly what the model says (the first chunk,
    /// everything, or n units split across chunks); 'end' is due at most once and only with an
    /// empty buffer.
    #[test]
    fn readable_invariants(ops in proptest::collection::vec((0u8..6, 0u16..40), 1..60), hwm in 1u16..48) {
        let mut c = ReadableCore::new(false, hwm as f64, rflag::EMIT_CLOSE | rflag::AUTO_DESTROY);
        let mut model: std::collections::VecDeque<f64> = Default::default();
        let mut ends = 0;
        for (kind, n) in ops {
            match kind {
                0 | 1 => {
                    let code = c.push(n as f64, if n == 0 { k::EMPTY } else { k::DATA }, false, false, false);
                    if code & p::BUFFER_BACK != 0 {
                        model.push_back(n as f64);
                    }
                    prop_assert!(code & p::BUFFER_FRONT == 0, "push never prepends");
                }
                2 => {
                    c.push(0.0, k::EOF, false, false, false);
                }
                3 => {
                    let arg = if n % 3 == 0 { -1.0 } else { n as f64 };
                    let mut code = c.read(arg);
                    if code & r::CALL_READ != 0 {
                        let pending = c.s.n;
                        code = c.read_after(arg, pending);
                    }
                    match code & r::TAKE_MASK {
                        r::TAKE_FIRST => {
                            let first = model.pop_front();
                            prop_assert!(first.is_some(), "took the first of an empty queue");
                            prop_assert_eq!(c.s.n, first.unwrap(), "took the first chunk whole");
                        }
                        r::TAKE_ALL => {
                            let all: f64 = model.iter().sum();
                            prop_assert_eq!(c.s.n, all, "took everything");
                            model.clear();
                        }
                        r::TAKE_N => {
                            let mut left = c.s.n;
                            prop_assert!(left > 0.0 && left < model.iter().sum::<f64>(), "n units: some, not all");
                            while left > 0.0 {
                                let head = model.pop_front().unwrap_or(0.0);
                                if head > left {
                                    model.push_front(head - left);
                                    left = 0.0;
                                } else {
                                    left -= head;
                                }
                            }
                        }
                        _ => {}
                    }
                }
                4 => {
                    c.resume();
                }
                _ => {
                    if c.end_step() {
                        ends += 1;
                        prop_assert_eq!(c.s.length, 0.0, "'end' only with an empty buffer");
                    }
                }
            }
            prop_assert_eq!(c.s.length, model.iter().sum::<f64>(), "length = buffered - taken");
            prop_assert_eq!(c.s.buffered as usize, model.len(), "chunk count");
            prop_assert!(ends <= 1, "'end' at most once");
        }
    }
}

/// The standing answers the Readable publishes as masks (protocol `mask::FAST_*`), checked
/// against the core itself: in every state a random sequence reaches where a mask says "the
/// facade may do it without calling", the core's own answer is exactly what the facade then
/// does (`lib/readable.js` `push` and `read`): the same code, the same flag bits changed, the
/// same counters.
mod standing_answers {
    use crate::protocol::readable::mask::*;
    use crate::readable::{flag as rflag, k, p, r, ReadableCore};
    use proptest::prelude::*;

    const NO_SIZE: f64 = -1.0;

    /// Whether `push()` (with `'data'` listeners) takes the buffered push's standing answer
    /// (PUSH_BUFFER_BLOCKS), per the facade.
    fn buffers(c: &ReadableCore) -> bool {
        let fl = c.flags();
        fl & PUSH_BUFFER_BLOCKS == 0
            && (fl & (rflag::SYNC | rflag::FLOWING) != rflag::FLOWING || c.s.length != 0.0)
    }

    /// What `push()` of `len` units does on the buffered push's standing answer, per the
    /// facade.
    fn check_fast_push(c: &ReadableCore, len: f64) -> Result<(), TestCaseError> {
        if !buffers(c) {
            return Ok(());
        }
        let mut core = c.clone();
        let code = core.push(len, k::DATA, false, true, false);
        let length = c.s.length + len;
        let mut flags = c.flags() & !rflag::READING;
        let mut readable = false;
        if flags & rflag::NEED_READABLE != 0 {
            flags &= !rflag::NEED_READABLE;
            readable = flags & rflag::EMITTED_READABLE == 0;
            flags |= rflag::EMITTED_READABLE;
        }
        let tick = flags & READ_MORE_TICK_STATUS == READ_MORE_TICK_READY;
        if tick {
            flags |= rflag::READING_MORE;
        }
        let want = p::BUFFER_BACK
            | if length < c.s.hwm { p::RET_TRUE } else { 0 }
            | if readable { p::TICK_READABLE } else { 0 }
            | if tick { p::TICK_READ_MORE } else { 0 };
        prop_assert_eq!(code, want, "push answer on the buffered push's answer");
        prop_assert_eq!(
            core.flags(),
            flags,
            "push changes only `reading` (and `readingMore`)"
        );
        prop_assert_eq!(core.s.length, length);
        prop_assert_eq!(core.s.buffered, c.s.buffered + 1.0);
        prop_assert_eq!(core.s.st.peak, c.s.st.peak.max(length));
        Ok(())
    }

    /// What `read()` without an amount did (`before` → `after`, answering `code`) on
    /// FAST_READ_END_READY, per the facade (lib/readable.js `read`).
    fn check_read_end(
        before: &ReadableCore,
        after: &ReadableCore,
        code: u32,
        switches: u32,
    ) -> Result<(), TestCaseError> {
        let fl = before.flags();
        let Some(first) = before.queue_front() else {
            return Ok(());
        };
        let m = if fl & rflag::OBJECT_MODE != 0 {
            1.0
        } else {
            first
        };
        let rest = before.s.length - m;
        let ready = fl & FAST_READ_END_STATUS == FAST_READ_END_READY
            || (switches & crate::readable::sw::READ_ONE_CHUNK != 0
                && fl & FAST_READ_END_STATUS == FAST_READ_END_PAUSED_READY);
        if !ready || !(rest > 0.0 || (rest == 0.0 && before.s.buffered == 1.0)) {
            return Ok(());
        }
        let mut flags = (fl & !READ_AT_END_CLEARS) | rflag::DATA_EMITTED;
        let mut want = r::TAKE_FIRST | r::EMIT_DATA;
        if rest == 0.0 {
            let (f, tick) = super::end_step_owed(flags, switches);
            flags = f;
            if tick {
                want |= r::TICK_END;
            }
        }
        // (Taking all of a queue of one chunk is taking the first.)
        let got = if before.s.buffered == 1.0 {
            code & !r::TAKE_MASK | r::TAKE_FIRST
        } else {
            code
        };
        prop_assert_eq!(got, want, "read answer on FAST_READ_END_READY");
        prop_assert_eq!(after.flags(), flags, "read flags on FAST_READ_END_READY");
        prop_assert_eq!(after.s.length, rest);
        prop_assert_eq!(after.s.buffered, before.s.buffered - 1.0);
        prop_assert_eq!(after.s.n, m);
        prop_assert_eq!(format!("{:?}", after.s.st), format!("{:?}", before.s.st));
        Ok(())
    }

    /// What `push()` does on FAST_EMIT_READY with `'data'` listeners, per the facade.
    fn check_fast_emit(c: &ReadableCore, len: f64) -> Result<(), TestCaseError> {
        if c.flags() & FAST_EMIT_STATUS != FAST_EMIT_READY || c.s.length != 0.0 {
            return Ok(());
        }
        let mut core = c.clone();
        let code = core.push(len, k::DATA, false, true, false);
        prop_assert_eq!(
            code,
            p::EMIT_DATA | p::RET_TRUE,
            "push answer on FAST_EMIT_READY"
        );
        prop_assert_eq!(
            core.flags(),
            (c.flags() & !rflag::READING) | rflag::DATA_EMITTED,
            "emit changes only `reading` and `dataEmitted`"
        );
        prop_assert_eq!(core.s.length, 0.0);
        prop_assert_eq!(core.s.st.pushes, c.s.st.pushes + 1.0);
        Ok(())
    }

    proptest! {
        #[test]
        fn the_facade_answers_as_the_core(
            ops in proptest::collection::vec((0u8..9, 1u16..40, 0u8..3), 1..80),
            hwm in 1u16..64,
            om in any::<bool>(),
            switches in 0u32..64,
        ) {
            let mut c = ReadableCore::new(om, hwm as f64, rflag::EMIT_CLOSE | rflag::AUTO_DESTROY | switches);
            for (op, n, pushes) in ops {
                let n = if om { 1 } else { n };
                let len = n as f64;
                match op {
                    0 => {
                        check_fast_push(&c, len)?;
                        check_fast_emit(&c, len)?;
                        c.push(len, k::DATA, false, true, false);
                    }
                    1 | 2 => {
                        // read() without an amount; on CALL_READ, `pushes` synchronous pushes.
                        let before = c.clone();
                        let code = c.read(NO_SIZE);
                        let first = before.queue_front();
                        check_read_end(&before, &c, code, switches)?;
                        if before.flags() & FAST_READ_STATUS == FAST_READ_READY
                            && first.is_some()
                            && before.s.length - first.unwrap() < before.s.hwm
                        {
                            prop_assert_eq!(code, r::CALL_READ, "read answer on FAST_READ_READY");
                            let set = rflag::READING | rflag::SYNC;
                            let cleared = rflag::EMITTED_READABLE | rflag::EOF_READABLE_PENDING;
                            prop_assert_eq!(c.flags(), (before.flags() & !cleared) | set);
                            prop_assert_eq!(c.s.n, first.unwrap());
                            prop_assert_eq!(c.s.st.read_calls, before.s.st.read_calls + 1.0);
                        }
                        let paused = before.flags() & PAUSED_READ_STATUS == PAUSED_READ_READY
                            && (before.s.length == 0.0 || before.s.hwm > 0.0)
                            && switches & crate::readable::sw::READ_ONE_CHUNK == 0;
                        if paused {
                            prop_assert_eq!(code, r::CALL_READ, "read answer on PAUSED_READ_READY");
                            let mut set = rflag::READING | rflag::SYNC;
                            if before.s.length == 0.0 {
                                set |= rflag::NEED_READABLE;
                            }
                            let cleared = rflag::EMITTED_READABLE | rflag::EOF_READABLE_PENDING;
                            prop_assert_eq!(c.flags(), (before.flags() & !cleared) | set);
                            prop_assert_eq!(c.s.n, before.s.length);
                            prop_assert_eq!(c.s.st.read_calls, before.s.st.read_calls + 1.0);
                        }
                        let one = before.s.length > 0.0
                            && ((before.flags() & PAUSED_READ_STATUS == PAUSED_READ_READY
                                && switches & crate::readable::sw::READ_ONE_CHUNK != 0)
                                || (om && before.flags() & PAUSED_READ_OBJ_STATUS == PAUSED_READ_READY));
                        let one_reads = one
                            && (before.flags() & rflag::NEED_READABLE != 0
                                || before.s.length - first.unwrap() < before.s.hwm);
                        // Object mode, nothing buffered: `_read` first, as the byte-mode paused
                        // read of nothing (PAUSED_READ_OBJ_STATUS; `S_N` one item).
                        let om_empty = om
                            && before.s.length == 0.0
                            && before.flags() & PAUSED_READ_OBJ_STATUS == PAUSED_READ_READY;
                        if om_empty {
                            prop_assert_eq!(code, r::CALL_READ, "object-mode read answer on PAUSED_READ_READY");
                            let cleared = rflag::EMITTED_READABLE | rflag::EOF_READABLE_PENDING;
                            let set = rflag::READING | rflag::SYNC | rflag::NEED_READABLE;
                            prop_assert_eq!(c.flags(), (before.flags() & !cleared) | set);
                            prop_assert_eq!(c.s.n, 1.0);
                            prop_assert_eq!(c.s.st.read_calls, before.s.st.read_calls + 1.0);
                        }
                        if one_reads {
                            prop_assert_eq!(code, r::CALL_READ, "one-chunk read answer on PAUSED_READ_READY");
                            let cleared = rflag::EMITTED_READABLE | rflag::EOF_READABLE_PENDING;
                            prop_assert_eq!(c.flags(), (before.flags() & !cleared) | rflag::READING | rflag::SYNC);
                            prop_assert_eq!(c.s.n, first.unwrap());
                        } else if one {
                            // The first chunk at once (all of a queue of one chunk is the first).
                            let take = if before.s.buffered == 1.0 { code & !r::TAKE_MASK | r::TAKE_FIRST } else { code };
                            let first = first.unwrap();
                            let cleared = rflag::EMITTED_READABLE | rflag::EOF_READABLE_PENDING;
                            let mut flags = (before.flags() & !cleared) | rflag::DATA_EMITTED;
                            if before.s.length - first == 0.0 {
                                flags |= FAST_TAKE_EMPTIED_SETS;
                            }
                            prop_assert_eq!(take, r::TAKE_FIRST | r::EMIT_DATA, "one-chunk take on PAUSED_READ_READY");
                            prop_assert_eq!(c.flags(), flags);
                            prop_assert_eq!(c.s.length, before.s.length - first);
                        }
                        if code & r::CALL_READ != 0 {
                            let pending = c.s.n;
                            let mut all_fast = true;
                            for _ in 0..pushes {
                                all_fast &= buffers(&c);
                                check_fast_push(&c, len)?;
                                c.push(len, k::DATA, false, true, false);
                            }
                            // Sometimes the end too (push(null): a standing answer, no call).
                            let ended = n % 3 == 0;
                            if ended {
                                c.push(0.0, k::EOF, false, true, false);
                            }
                            let at = c.clone();
                            let code = c.read_after(NO_SIZE, pending);
                            if one_reads && all_fast && !ended {
                                // Its end, as the flowing read's end (FAST_TAKE_READY) takes.
                                let take = if at.s.buffered == 1.0 { code & !r::TAKE_MASK | r::TAKE_FIRST } else { code };
                                let first = at.queue_front().unwrap();
                                let mut flags = (at.flags() & !rflag::SYNC) | rflag::DATA_EMITTED;
                                if at.s.length - first == 0.0 {
                                    flags |= FAST_TAKE_EMPTIED_SETS;
                                }
                                prop_assert_eq!(take, r::TAKE_FIRST | r::EMIT_DATA, "end of one-chunk read on PAUSED_READ_READY");
                                prop_assert_eq!(c.flags(), flags);
                                prop_assert_eq!(c.s.length, at.s.length - first);
                            }
                            if om_empty && all_fast && !ended {
                                if at.s.length == 0.0 {
                                    // `_read` pushed nothing: null, a 'readable' wanted.
                                    prop_assert_eq!(code, r::TAKE_NONE, "empty end of an object-mode read");
                                    prop_assert_eq!(c.flags(), (at.flags() & !rflag::SYNC) | rflag::NEED_READABLE);
                                } else {
                                    // The first item, as the flowing read's end takes it.
                                    let mut flags = (at.flags() & !rflag::SYNC) | rflag::DATA_EMITTED;
                                    if at.s.length - 1.0 == 0.0 {
                                        flags |= FAST_TAKE_EMPTIED_SETS;
                                    }
                                    prop_assert_eq!(code, r::TAKE_FIRST | r::EMIT_DATA, "end of an object-mode read of nothing");
                                    prop_assert_eq!(c.flags(), flags);
                                    prop_assert_eq!(c.s.length, at.s.length - 1.0);
                                    prop_assert_eq!(c.s.n, 1.0);
                                }
                            }
                            if paused && all_fast && !ended && at.s.length == 0.0 {
                                // The end of a paused read that got nothing (PAUSED_READ_READY).
                                prop_assert_eq!(code, r::TAKE_NONE, "empty end of read on PAUSED_READ_READY");
                                prop_assert_eq!(c.flags(), (at.flags() & !rflag::SYNC) | rflag::NEED_READABLE);
                            }
                            if paused && all_fast && !ended && at.s.length != 0.0 {
                                // The end of a paused read (PAUSED_READ_READY): everything taken.
                                prop_assert_eq!(code, r::TAKE_ALL | r::EMIT_DATA, "end of read on PAUSED_READ_READY");
                                prop_assert_eq!(
                                    c.flags(),
                                    (at.flags() & !rflag::SYNC) | PAUSED_READ_TAKE_SETS,
                                    "the end of a paused read changes only `sync`, `dataEmitted`, `needReadable`"
                                );
                                prop_assert_eq!(c.s.n, at.s.length);
                                prop_assert_eq!(c.s.length, 0.0);
                                prop_assert_eq!(c.s.buffered, 0.0);
                            }
                            if (pushes > 0 || (ended && at.queue_front().is_some())) && all_fast && at.flags() & FAST_TAKE_STATUS == FAST_TAKE_READY {
                                // (Taking all of a queue of one chunk is taking the first.)
                                let take = if at.s.buffered == 1.0 { code & !r::TAKE_MASK | r::TAKE_FIRST } else { code };
                                let first = at.queue_front().unwrap();
                                // An emptied buffer wants a 'readable' (FAST_TAKE_EMPTIED_SETS), or,
                                // once ended, has the end step scheduled as read() at the end does.
                                let mut flags = (at.flags() & !rflag::SYNC) | rflag::DATA_EMITTED;
                                let mut want = r::TAKE_FIRST | r::EMIT_DATA;
                                if at.s.length - first == 0.0 {
                                    if at.flags() & rflag::ENDED == 0 {
                                        flags |= FAST_TAKE_EMPTIED_SETS;
                                    } else {
                                        let (f, tick) = super::end_step_owed(flags, switches);
                                        flags = f;
                                        if tick {
                                            want |= r::TICK_END;
                                        }
                                    }
                                }
                                prop_assert_eq!(take, want, "end of read on FAST_TAKE_READY");
                                prop_assert_eq!(c.flags(), flags, "the end of the read changes only `sync` and `dataEmitted`");
                                prop_assert_eq!(c.s.n, first);
                                prop_assert_eq!(c.s.length, at.s.length - first);
                                prop_assert_eq!(c.s.buffered, at.s.buffered - 1.0);
                            }
                        }
                    }
                    3 => {
                        c.resume();
                        c.resume_step();
                    }
                    4 => {
                        c.pause();
                    }
                    5 => {
                        c.set_flag(rflag::READING_MORE, n % 2 == 0);
                    }
                    7 => {
                        c.push(0.0, k::EOF, false, false, false);
                    }
                    _ => {
                        if c.read(0.0) & r::CALL_READ != 0 {
                            let pending = c.s.n;
                            c.read_after(0.0, pending);
                        }
                    }
                }
            }
        }
    }
}

/// The close step's standing answer (protocol `mask::CLOSE_EMIT_SETS` / `CLOSE_EMIT_ANSWER`),
/// which the facade carries out itself (`markCloseEmitted` in `lib/writable.js` and
/// `lib/readable.js`): in any state, the core's own step sets exactly those bits, answers
/// exactly that bit, and changes no counter. And the Readable's other steps the facade carries
/// out itself (the end step, the read at the end, the resume step, a Transform's start).
mod close_step {
    use crate::protocol::readable::mask as rmask;
    use crate::protocol::writable::mask as wmask;
    use crate::readable::ReadableCore;
    use crate::readable::Shared;
    use crate::writable::WritableCore;
    use proptest::prelude::*;

    /// A Readable core in any state: these flags, `len` buffered, mark `hwm`; and its block.
    fn readable_at(bits: u32, len: u16, hwm: u16, switches: u32) -> (ReadableCore, Shared) {
        let mut c = ReadableCore::new(false, hwm as f64, switches);
        c.s.flags = bits;
        c.s.length = len as f64;
        let before = *c.s;
        (c, before)
    }

    /// What a flag-only step must leave as it was.
    fn counts(s: &Shared) -> (f64, f64, f64, f64) {
        (s.length, s.hwm, s.buffered, s.n)
    }

    proptest! {
        #[test]
        fn writable_close_step_is_its_standing_answer(bits in any::<u32>(), len in 0u16..100, hwm in 1u16..64) {
            let mut c = WritableCore::new(false, hwm as f64, 0);
            c.s.flags = bits;
            c.s.length = len as f64;
            let before = *c.s;
            let emit = c.close_emit();
            prop_assert_eq!(emit, before.flags & wmask::CLOSE_EMIT_ANSWER != 0);
            prop_assert_eq!(c.s.flags, before.flags | wmask::CLOSE_EMIT_SETS);
            prop_assert_eq!((c.s.length, c.s.hwm, c.s.pending_cb, c.s.buffered), (before.length, before.hwm, before.pending_cb, before.buffered));
        }

        #[test]
        fn the_after_write_step_without_a_drain_owed_is_its_standing_answer(bits in any::<u32>(), len in 0u16..100, hwm in 1u16..64, pending in 0u16..50, dec in 0u16..50) {
            // The facade's rule (lib/writable.js, `afterWrite`): with NEED_DRAIN clear, no
            // 'drain' and the shares counted off `pendingcb`, nothing else.
            let mut c = WritableCore::new(false, hwm as f64, 0);
            c.s.flags = bits & !crate::writable::flag::NEED_DRAIN;
            c.s.length = len as f64;
            c.s.pending_cb = pending as f64;
            let before = *c.s;
            prop_assert!(!c.after_write(dec as f64));
            prop_assert_eq!(c.s.flags, before.flags);
            prop_assert_eq!(c.s.pending_cb, before.pending_cb - dec as f64);
            prop_assert_eq!((c.s.length, c.s.hwm, c.s.buffered), (before.length, before.hwm, before.buffered));
        }

        #[test]
        fn readable_end_step_is_its_standing_answer(bits in any::<u32>(), len in 0u16..3, hwm in 1u16..64) {
            let (mut c, before) = readable_at(bits, len, hwm, 0);
            let due = c.end_step();
            // The facade's rule (lib/readable.js, `endReadableNT`).
            let fl = bits & !rmask::END_STEP_CLEARS;
            let expect = fl & rmask::END_STEP_BLOCKS == 0 && len == 0;
            prop_assert_eq!(due, expect);
            prop_assert_eq!(c.s.flags, if expect { fl | rmask::END_STEP_SETS } else { fl });
            prop_assert_eq!(counts(&c.s), counts(&before));
            prop_assert_eq!(format!("{:?}", c.s.st), format!("{:?}", before.st));
        }

        #[test]
        fn readable_read_at_the_end_is_its_standing_answer(bits in any::<u32>(), hwm in 0u16..64, switches in 0u32..64, zero in any::<bool>()) {
            use crate::readable::flag as f;
            let mut c = ReadableCore::new(false, hwm as f64, switches);
            c.s.flags = bits | f::ENDED;
            let before = *c.s;
            let code = c.read(if zero { 0.0 } else { -1.0 });
            // The facade's rule (lib/readable.js, `read`).
            let flags = if zero { before.flags } else { before.flags & !rmask::READ_AT_END_CLEARS };
            let (flags, tick) = super::end_step_owed(flags, switches);
            prop_assert_eq!(code, if tick { crate::readable::r::TICK_END } else { 0 });
            prop_assert_eq!(c.s.flags, flags);
            prop_assert_eq!(counts(&c.s), counts(&before));
            prop_assert_eq!(format!("{:?}", c.s.st), format!("{:?}", before.st));
        }

        #[test]
        fn readable_resume_steps_are_their_standing_answers(bits in any::<u32>(), hwm in 1u16..64, switches in 0u32..64) {
            let (mut c, before) = readable_at(bits, 0, hwm, switches);
            prop_assert_eq!(c.resume_step(), bits & rmask::RESUME_STEP_STATUS == 0);
            prop_assert_eq!(c.s.flags, bits, "the step's first answer changes nothing");
            c.resume_emit();
            prop_assert_eq!(c.s.flags, bits & !rmask::RESUME_EMIT_CLEARS);
            let bits = c.s.flags;
            prop_assert_eq!(c.resume_tail(), bits & rmask::RESUME_TAIL_STATUS == rmask::RESUME_TAIL_READY);
            prop_assert_eq!(c.s.flags, bits, "the tail's answer changes nothing");
            prop_assert_eq!(counts(&c.s), counts(&before));
        }

        #[test]
        fn a_transforms_start_is_its_standing_answer(bits in any::<u32>(), hwm in 1u16..64) {
            let (mut c, before) = readable_at(bits, 0, hwm, 0);
            c.clear_sync();
            prop_assert_eq!(c.s.flags, bits & !rmask::TRANSFORM_START_CLEARS);
            prop_assert_eq!(counts(&c.s), counts(&before));
        }

        #[test]
        fn the_fast_loops_refusal_is_its_standing_answer(bits in any::<u32>(), len in 0u16..40, hwm in 0u16..40, switches in 0u32..64, listeners in any::<bool>()) {
            let (mut c, before) = readable_at(bits, len, hwm, switches);
            // The facade's rule (lib/readable.js, `flowSync`): no call when the flags refuse.
            let refused = bits & rmask::FLOW_SYNC_NEEDS != rmask::FLOW_SYNC_NEEDS || bits & rmask::FLOW_SYNC_BLOCKS != 0;
            let begin = c.flow_sync_begin(listeners);
            if refused {
                prop_assert_eq!(begin, 0);
                prop_assert_eq!(c.s.flags, bits, "a refusal changes nothing");
                prop_assert_eq!(counts(&c.s), counts(&before));
            }
        }

        #[test]
        fn the_read_more_after_data_is_its_standing_answer(bits in any::<u32>(), len in 0u16..40, hwm in 0u16..40, switches in 0u32..64) {
            use crate::readable::flag as f;
            let (mut c, before) = readable_at(bits, len, hwm, switches);
            let more = c.read_more_after_data();
            // The facade's rule (lib/readable.js, `emitPushed`).
            let blockers = f::READING_MORE | f::CONSTRUCTED | if switches & crate::readable::sw::READ_MORE_WAITS_FOR_READ != 0 { f::READING } else { 0 };
            let expect = bits & blockers == f::CONSTRUCTED;
            prop_assert_eq!(more, expect);
            prop_assert_eq!(c.s.flags, if expect { bits | rmask::READ_MORE_AFTER_DATA_SETS } else { bits });
            prop_assert_eq!(counts(&c.s), counts(&before));
        }

        #[test]
        fn a_read_more_turn_is_its_standing_answer(bits in any::<u32>(), len in 0u16..40, hwm in 0u16..40) {
            use crate::readable::flag as f;
            let (mut c, before) = readable_at(bits, len, hwm, 0);
            let more = c.read_more_turn_or_done();
            // The facade's rule (lib/readable.js, `maybeReadMore_`).
            let expect = bits & rmask::READ_MORE_BLOCKS == 0
                && (len < hwm || (bits & rmask::READ_MORE_FLOWING != 0 && len == 0));
            prop_assert_eq!(more, expect);
            prop_assert_eq!(c.s.flags, if expect { bits } else { bits & !rmask::READ_MORE_DONE_CLEARS });
            c.s.flags = bits;
            c.read_more_done();
            prop_assert_eq!(c.s.flags, bits & !rmask::READ_MORE_DONE_CLEARS);
            prop_assert_eq!(rmask::READ_MORE_DONE_CLEARS, f::READING_MORE);
            prop_assert_eq!(counts(&c.s), counts(&before));
        }

        #[test]
        fn on_data_and_resume_are_their_standing_answers(bits in any::<u32>(), switches in 0u32..64, readable in any::<bool>()) {
            use crate::readable::{flag as f, sw};
            let (mut c, before) = readable_at(bits, 0, 16, switches);
            let go = c.on_data(readable);
            let fl = if readable { bits | rmask::ON_DATA_SETS } else { bits };
            prop_assert_eq!(go, fl & rmask::ON_DATA_PAUSED == 0);
            prop_assert_eq!(c.s.flags, fl);
            c.s.flags = bits;
            let schedule = c.resume();
            // The facade's rule (lib/readable.js, `resume`).
            let (mut fl, mut sched) = (bits, false);
            if !(switches & sw::NO_PAUSE_RESUME_DESTROYED != 0 && bits & f::DESTROYED != 0) {
                if fl & rmask::RESUME_FLOWING == 0 {
                    fl = if fl & rmask::RESUME_LISTENING != 0 { (fl & !f::FLOWING) | f::FLOWING_FALSE } else { (fl | f::FLOWING) & !f::FLOWING_FALSE };
                    if fl & rmask::RESUME_SCHEDULED_BIT == 0 {
                        fl |= rmask::RESUME_SCHEDULED_BIT;
                        sched = true;
                    }
                }
                fl = (fl & !rmask::RESUME_CLEARS) | rmask::RESUME_SETS;
            }
            prop_assert_eq!(schedule, sched);
            prop_assert_eq!(c.s.flags, fl);
            prop_assert_eq!(counts(&c.s), counts(&before));
        }

        #[test]
        fn pause_is_its_standing_answer(bits in any::<u32>(), switches in 0u32..64, between in any::<u32>()) {
            use crate::readable::{flag as f, sw};
            let (mut c, before) = readable_at(bits, 0, 16, switches);
            let emit = c.pause();
            // The facade's rule (lib/readable.js, `pause`).
            let quiet = switches & sw::NO_PAUSE_RESUME_DESTROYED != 0 && bits & f::DESTROYED != 0;
            let expect_emit = !quiet && bits & rmask::PAUSE_STATUS == 0;
            prop_assert_eq!(emit, expect_emit);
            let fl = if quiet {
                bits
            } else if expect_emit {
                (bits & !rmask::PAUSE_CLEARS) | rmask::PAUSE_SETS
            } else {
                (bits & !rmask::MARK_PAUSED_CLEARS) | rmask::MARK_PAUSED_SETS
            };
            prop_assert_eq!(c.s.flags, fl);
            if expect_emit {
                // After 'pause' (whose listeners may have changed any bit).
                c.s.flags = between;
                c.mark_paused();
                prop_assert_eq!(c.s.flags, (between & !rmask::MARK_PAUSED_CLEARS) | rmask::MARK_PAUSED_SETS);
            }
            prop_assert_eq!(counts(&c.s), counts(&before));
        }

        #[test]
        fn a_readable_listener_added_is_its_standing_answer(bits in any::<u32>(), switches in 0u32..64) {
            use crate::readable::o;
            // Nothing buffered (the facade asks the core otherwise).
            let (mut c, before) = readable_at(bits, 0, 16, switches);
            let r = c.on_readable();
            // The facade's rule (lib/readable.js, `on('readable')`).
            if bits & rmask::ON_READABLE_QUIET != 0 {
                prop_assert_eq!(r, 0);
                prop_assert_eq!(c.s.flags, bits);
            } else if bits & rmask::ON_READABLE_CALLS == 0 {
                prop_assert_eq!(r, if bits & rmask::ON_READABLE_READ0_BLOCKS == 0 { o::TICK_READ0 } else { 0 });
                prop_assert_eq!(c.s.flags, (bits & !rmask::ON_READABLE_CLEARS) | rmask::ON_READABLE_SETS);
            }
            prop_assert_eq!(counts(&c.s), counts(&before));
        }

        #[test]
        fn a_buffered_push_is_its_standing_answer(bits in any::<u32>(), len in 0u16..40, hwm in 0u16..40, switches in 0u32..64, listeners in any::<bool>(), n in 1u16..40, om in any::<bool>()) {
            use crate::readable::{flag as f, k, p};
            let bits = bits & !rmask::PUSH_BUFFER_BLOCKS;
            let bits = if om { bits | f::OBJECT_MODE } else { bits & !f::OBJECT_MODE };
            // Not emitted at once (that is FAST_EMIT_READY's).
            let listeners = listeners && !(bits & (f::SYNC | f::FLOWING) == f::FLOWING && len == 0);
            let (mut c, before) = readable_at(bits, len, hwm, switches);
            let n = if om { 1.0 } else { n as f64 };
            let code = c.push(n, k::DATA, false, listeners, false);
            // The facade's rule (lib/readable.js, `push`).
            let mut fl = bits & !f::READING;
            let mut readable = false;
            if fl & f::NEED_READABLE != 0 {
                fl &= !f::NEED_READABLE;
                readable = fl & f::EMITTED_READABLE == 0;
                fl |= f::EMITTED_READABLE;
            }
            let tick = fl & rmask::READ_MORE_TICK_STATUS == rmask::READ_MORE_TICK_READY;
            if tick {
                fl |= f::READING_MORE;
            }
            let length = len as f64 + n;
            let ret = length < hwm as f64;
            let want = p::BUFFER_BACK
                | if readable { p::TICK_READABLE } else { 0 }
                | if tick { p::TICK_READ_MORE } else { 0 }
                | if ret { p::RET_TRUE } else { 0 };
            prop_assert_eq!(code, want);
            prop_assert_eq!(c.s.flags, fl);
            prop_assert_eq!(c.s.length, length);
            prop_assert_eq!(c.s.buffered, before.buffered + 1.0);
            prop_assert_eq!(c.s.st.peak, before.st.peak.max(length));
            prop_assert_eq!(c.s.st.pushes, before.st.pushes + 1.0);
            prop_assert_eq!(c.s.st.bytes, before.st.bytes + n);
            prop_assert_eq!(c.s.st.push_false, before.st.push_false + if ret { 0.0 } else { 1.0 });
        }

        #[test]
        fn the_end_pushed_is_its_standing_answer(bits in any::<u32>(), len in 0u16..40, hwm in 0u16..40, switches in 0u32..64, rl in any::<bool>()) {
            use crate::readable::{flag as f, k, p, sw};
            let (mut c, before) = readable_at(bits, len, hwm, switches);
            let code = c.push(0.0, k::EOF, false, false, rl);
            // The facade's rule (lib/readable.js, `push`).
            let mut fl = bits & !f::READING;
            let mut want = 0;
            if bits & f::ENDED == 0 {
                fl |= f::ENDED;
                if fl & f::SYNC != 0 {
                    if switches & sw::EOF_READABLE_ON_DEMAND != 0 && !rl && fl & rmask::EOF_QUIET_BLOCKS == 0 {
                        fl |= f::EOF_READABLE_PENDING;
                    } else {
                        fl &= !f::NEED_READABLE;
                        if fl & f::EMITTED_READABLE == 0 {
                            fl |= f::EMITTED_READABLE;
                            want = p::TICK_READABLE;
                        }
                    }
                } else {
                    fl = (fl & !f::NEED_READABLE) | f::EMITTED_READABLE;
                    want = p::NOW_READABLE;
                }
            }
            prop_assert_eq!(code, want);
            prop_assert_eq!(c.s.flags, fl);
            prop_assert_eq!(counts(&c.s), counts(&before));
            prop_assert_eq!(format!("{:?}", c.s.st), format!("{:?}", before.st));
        }

        #[test]
        fn read_zero_is_its_standing_answer(bits in any::<u32>(), len in 0u16..40, hwm in 0u16..40, switches in 0u32..64) {
            use crate::readable::{flag as f, r};
            let bits = bits & !f::ENDED;
            let (mut c, before) = readable_at(bits, len, hwm, switches);
            let code = c.read(0.0);
            // The facade's rule (lib/readable.js, `read`).
            let (len, hwm) = (len as f64, hwm as f64);
            let mut fl = bits;
            let mut want = 0;
            let mut calls = 0.0;
            let reached = if hwm != 0.0 { len >= hwm } else { len > 0.0 };
            if fl & f::NEED_READABLE != 0 && reached {
                fl &= !f::NEED_READABLE;
                if fl & f::EMITTED_READABLE == 0 {
                    fl |= f::EMITTED_READABLE;
                    want = r::TICK_READABLE;
                }
            } else if (fl & f::NEED_READABLE != 0 || len == 0.0 || len < hwm)
                && fl & rmask::READ_ZERO_BLOCKS == 0
                && fl & f::CONSTRUCTED != 0
            {
                fl |= rmask::READ_ZERO_SETS;
                if len == 0.0 {
                    fl |= f::NEED_READABLE;
                }
                calls = 1.0;
                want = r::CALL_READ;
            } else if len <= hwm {
                fl |= f::NEED_READABLE;
            }
            prop_assert_eq!(code, want);
            prop_assert_eq!(c.s.flags, fl);
            prop_assert_eq!(c.s.st.read_calls, before.st.read_calls + calls);
            if want == r::CALL_READ {
                prop_assert_eq!(c.s.n, 0.0);
            }
            prop_assert_eq!((c.s.length, c.s.hwm, c.s.buffered), (before.length, before.hwm, before.buffered));

            // The end of that read, in any state, ended too (a `_read` that pushed its last
            // chunks and the end): nothing taken, no end step (a read(0) took what it asked for).
            for bits in [bits, bits | f::ENDED] {
                let (mut c, before) = readable_at(bits, len as u16, hwm as u16, switches);
                let code = c.read_after(0.0, 0.0);
                let mut fl = bits & !f::SYNC;
                if len <= hwm {
                    fl |= f::NEED_READABLE;
                }
                prop_assert_eq!(code, 0);
                prop_assert_eq!(c.s.flags, fl);
                prop_assert_eq!(counts(&c.s), counts(&before));
                prop_assert_eq!(format!("{:?}", c.s.st), format!("{:?}", before.st));
            }
        }

        #[test]
        fn the_end_of_a_read_at_the_end_is_its_standing_answer(bits in any::<u32>(), hwm in 0u16..40, switches in 0u32..64, pending in 0u16..40) {
            use crate::readable::{flag as f, r};
            let bits = bits | f::ENDED;
            let (mut c, before) = readable_at(bits, 0, hwm, switches);
            let code = c.read_after(-1.0, pending as f64);
            let (fl, tick) = super::end_step_owed((bits & !f::SYNC) | rmask::READ_ENDED_SETS, switches);
            let want = if tick { r::TICK_END } else { 0 };
            prop_assert_eq!(code, want);
            prop_assert_eq!(c.s.flags, fl);
            prop_assert_eq!(counts(&c.s), counts(&before));
            prop_assert_eq!(format!("{:?}", c.s.st), format!("{:?}", before.st));
        }

        #[test]
        fn readable_step_and_marks_are_their_standing_answers(bits in any::<u32>(), len in 0u16..40, hwm in 0u16..40) {
            use crate::readable::flag as f;
            let (mut c, before) = readable_at(bits, len, hwm, 0);
            // When due, 'readable' is emitted (if anyone can see it) and the step's second half
            // follows, on the state as it then is (here: as it was).
            let emit = c.readable_step();
            if emit {
                c.readable_emitted();
            }
            // The facade's rule (lib/readable.js, `emitReadable_`).
            let due = bits & rmask::READABLE_STEP_BLOCKS == 0 && (len != 0 || bits & f::ENDED != 0);
            prop_assert_eq!(emit, due);
            let mut fl = if due { bits & !rmask::READABLE_STEP_CLEARS } else { bits };
            if fl & rmask::READABLE_WANT_BLOCKS == 0 && len <= hwm {
                fl |= rmask::READABLE_WANT_SETS;
            }
            prop_assert_eq!(c.s.flags, fl);
            prop_assert_eq!(counts(&c.s), counts(&before));
            prop_assert_eq!(format!("{:?}", c.s.st), format!("{:?}", before.st));

            let (mut c, before) = readable_at(bits, len, hwm, 0);
            c.set_destroyed(true);
            prop_assert_eq!(c.s.flags, bits | rmask::MARK_DESTROYED_SETS);
            c.set_closed();
            prop_assert_eq!(c.s.flags, bits | rmask::MARK_DESTROYED_SETS | rmask::MARK_CLOSED_SETS);
            prop_assert_eq!(counts(&c.s), counts(&before));
        }

        #[test]
        fn readable_close_step_is_its_standing_answer(bits in any::<u32>(), len in 0u16..100, hwm in 1u16..64) {
            let (mut c, before) = readable_at(bits, len, hwm, 0);
            let emit = c.close_emit();
            prop_assert_eq!(emit, before.flags & rmask::CLOSE_EMIT_ANSWER != 0);
            prop_assert_eq!(c.s.flags, before.flags | rmask::CLOSE_EMIT_SETS);
            prop_assert_eq!((c.s.length, c.s.hwm, c.s.buffered), (before.length, before.hwm, before.buffered));
        }
    }
}

/// Retiring a core (`retire_key`, then `resume_in` over its block: what the facade does for a
/// closed stream, see `lib/slab.js`) loses nothing: wherever a random sequence reaches a state
/// the core agrees to retire in, a core resumed from a copy of its block answers the rest of the
/// sequence exactly as the original does, leaving the same block after every step.
mod retirement {
    use super::{wop, WOp};
    use crate::readable::{flag as rflag, k, ReadableCore};
    use crate::writable::{flag, WritableCore};
    use proptest::prelude::*;

    pub(super) fn step_w(c: &mut WritableCore, op: &WOp) -> u32 {
        match *op {
            WOp::Write(n) => c.write(n as f64),
            WOp::CompleteSync => c.complete_sync_ok(false) as u32,
            WOp::Complete(err) => c.onwrite(err, false, false),
            WOp::Cork => {
                c.cork();
                0
            }
            WOp::Uncork => c.uncork(false),
            WOp::End => c.end(),
            WOp::Destroy => c.destroy_begin(false, false) | (c.error_buffer() as u32) << 31,
            WOp::AfterWrite => c.after_write(0.0) as u32,
        }
    }

    pub(super) fn step_r(c: &mut ReadableCore, kind: u8, n: u16) -> u32 {
        match kind {
            0 | 1 => c.push(
                n as f64,
                if n == 0 { k::EMPTY } else { k::DATA },
                false,
                false,
                false,
            ),
            2 => c.push(0.0, k::EOF, false, false, false),
            3 => {
                let arg = if n.is_multiple_of(3) { -1.0 } else { n as f64 };
                c.read(arg)
            }
            4 => c.resume() as u32,
            5 => c.pause() as u32,
            6 => {
                c.set_destroyed(true);
                0
            }
            _ => c.end_step() as u32,
        }
    }

    /// A Writable block as text without its backpressure times (each core reads the clock at
    /// its own step, nanoseconds apart).
    pub(super) fn untimed(mut s: crate::writable::Shared) -> String {
        s.st.pressure_ms = 0.0;
        s.st.longest_pressure_ms = 0.0;
        s.st.current_pressure_ms = 0.0;
        format!("{s:?}")
    }

    /// The facade's write on the standing answer QUEUE_READY (lib/writable.js `queueOnAnswer`),
    /// on the block alone: false when it does not apply (the facade then calls in).
    fn facade_queue(c: &mut WritableCore, len: f64) -> bool {
        use crate::protocol::writable::mask as wm;
        use crate::writable::QUEUE_RUN_CAP;
        let s = &mut c.s;
        if s.flags & flag::QUEUE_READY == 0 {
            return false;
        }
        let l1 = s.length + len;
        if !(l1 < s.hwm || l1 == 0.0) {
            return false;
        }
        let k = s.queue_runs as usize;
        if k != 0 && s.queue_lens[k - 1] == len {
            s.queue_counts[k - 1] += 1.0;
        } else if k < QUEUE_RUN_CAP {
            s.queue_lens[k] = len;
            s.queue_counts[k] = 1.0;
            s.queue_runs = (k + 1) as f64;
        } else {
            return false;
        }
        s.length = l1;
        s.pending_cb += 1.0;
        s.buffered += 1.0;
        s.st.writes += 1.0;
        s.st.bytes += len;
        if l1 > s.st.peak {
            s.st.peak = l1;
        }
        s.flags = (s.flags & !wm::QUEUE_CLEARS) | wm::QUEUE_SETS;
        true
    }

    proptest! {
        /// A write the facade queues on QUEUE_READY leaves the core, once it folds the mailbox,
        /// as the core's own write leaves it, and both go on alike.
        #[test]
        fn a_queued_write_is_its_standing_answer(
            ops in proptest::collection::vec(wop(), 0..40),
            writes in proptest::collection::vec(0u16..24, 1..12),
            after in proptest::collection::vec(wop(), 0..20),
            hwm in 0u16..64,
            om in any::<bool>(),
        ) {
            let new = || WritableCore::new(om, hwm as f64, flag::EMIT_CLOSE | flag::AUTO_DESTROY);
            let (mut a, mut b) = (new(), new());
            for op in &ops {
                step_w(&mut a, op);
                step_w(&mut b, op);
            }
            for n in writes {
                let len = if om { 1.0 } else { n as f64 };
                // (the facade looks at the flags the last call left: b has not been called since
                // its last facade write, so its flags are the facade's)
                if facade_queue(&mut b, len) {
                    let code = a.write(len);
                    a.refresh_standing();
                    prop_assert_eq!(code, crate::writable::w::BUFFERED | crate::writable::w::RET_TRUE, "the core queues it and write() returns true");
                } else {
                    // The facade calls in: the core folds first, as the binding does.
                    b.fold();
                    let (x, y) = (a.write(len), b.write(len));
                    a.refresh_standing();
                    b.refresh_standing();
                    prop_assert_eq!(x, y);
                }
            }
            b.fold();
            b.refresh_standing();
            prop_assert_eq!(untimed(*a.s), untimed(*b.s));
            prop_assert_eq!(a.queue_lens(), b.queue_lens());
            for op in &after {
                let (x, y) = (step_w(&mut a, op), step_w(&mut b, op));
                prop_assert_eq!(x, y, "answer to {:?}", op);
                prop_assert_eq!(untimed(*a.s), untimed(*b.s));
            }
        }
    }

    /// The facade's late dispatch on the standing answer (lib/writable.js `reportFast`), on the
    /// block alone: false when it does not apply (the facade then calls in).
    fn facade_late(c: &mut WritableCore, len: f64) -> bool {
        use crate::protocol::writable::mask as wm;
        let s = &mut c.s;
        if s.flags & flag::FAST == 0 {
            return false;
        }
        let l = s.length + len;
        s.length = l;
        s.pending_cb += 1.0;
        s.st.writes += 1.0;
        s.st.bytes += len;
        if l > s.st.peak {
            s.st.peak = l;
        }
        s.writelen = len;
        s.flags = (s.flags & !wm::LATE_DISPATCH_CLEARS) | wm::LATE_DISPATCH_SETS;
        true
    }

    /// What the facade's completion on the standing answers (lib/writable.js
    /// `completeOnAnswer`) did: nothing (it calls in), the stream idle, or the oldest entry
    /// handed to `_write`.
    #[derive(Debug, PartialEq)]
    enum Completion {
        Refused,
        Idle,
        Dequeued,
    }

    /// The facade's asynchronous completion, on the block alone, up to the call of `_write`;
    /// `entries`: the lengths of the facade's queue, oldest first.
    fn facade_complete(c: &mut WritableCore, entries: &[f64], has_writev: bool) -> Completion {
        use crate::protocol::writable::mask as wm;
        let s = &mut c.s;
        let fl = s.flags;
        if entries.is_empty() {
            if fl & wm::ONWRITE_IDLE_MASK != wm::ONWRITE_IDLE_NEEDS || s.length != s.writelen {
                return Completion::Refused;
            }
            s.length = 0.0;
            s.writelen = 0.0;
            s.flags = (fl & !wm::ONWRITE_IDLE_CLEARS) | wm::ONWRITE_IDLE_SETS;
            return Completion::Idle;
        }
        if fl & wm::DEQUEUE_MASK != wm::DEQUEUE_NEEDS || (entries.len() > 1 && has_writev) {
            return Completion::Refused;
        }
        s.length -= s.writelen;
        s.writelen = entries[0];
        s.dequeued += 1.0;
        s.flags = if entries.len() == 1 {
            (fl | wm::DEQUEUE_SETS) & !wm::DEQUEUE_LAST_CLEARS
        } else {
            fl | wm::DEQUEUE_SETS
        };
        Completion::Dequeued
    }

    /// A core at a state random steps reach, the binding's way (each step refreshes the
    /// standing answers), with an opt-in low-water mark when `lwm` is not 0.
    fn reached(ops: &[WOp], hwm: u16, om: bool, lwm: u16) -> WritableCore {
        let mut c = WritableCore::new(om, hwm as f64, flag::EMIT_CLOSE | flag::AUTO_DESTROY);
        if lwm != 0 {
            c.set_policies(lwm as f64, 0.0, crate::writable::Overflow::Error);
            c.refresh_standing();
        }
        for op in ops {
            step_w(&mut c, op);
            c.refresh_standing();
        }
        c
    }

    /// Random steps on the core that took a step itself (`a`) and the one the facade's rule took
    /// it for (`b`, folded before each step as the binding folds): the same answers and blocks.
    fn go_on_alike(
        a: &mut WritableCore,
        b: &mut WritableCore,
        after: &[WOp],
    ) -> Result<(), TestCaseError> {
        for op in after {
            b.fold();
            let (x, y) = (step_w(a, op), step_w(b, op));
            a.refresh_standing();
            b.refresh_standing();
            prop_assert_eq!(x, y, "answer to {:?}", op);
            prop_assert_eq!(untimed(*a.s), untimed(*b.s));
        }
        Ok(())
    }

    proptest! {
        /// A fast-path write still in flight, told to the core on the standing answer
        /// (LATE_DISPATCH_*), leaves the block as the core's `late_dispatch` does, and both go
        /// on alike.
        #[test]
        fn a_late_dispatch_is_its_standing_answer(
            ops in proptest::collection::vec(wop(), 0..40),
            n in 0u16..64,
            after in proptest::collection::vec(wop(), 0..20),
            hwm in 0u16..64,
            om in any::<bool>(),
            lwm in 0u16..3,
        ) {
            let mut a = reached(&ops, hwm, om, lwm);
            let mut b = reached(&ops, hwm, om, lwm);
            let len = if om { 1.0 } else { n as f64 };
            if facade_late(&mut b, len) {
                a.late_dispatch(len);
                a.refresh_standing();
                prop_assert_eq!(untimed(*a.s), untimed(*b.s));
            }
            go_on_alike(&mut a, &mut b, &after)?;
        }

        /// The completion of the write in flight after `_write` returned, carried out on the
        /// standing answers (ONWRITE_IDLE_*, DEQUEUE_*), leaves the block as the core's
        /// `onwrite` does (then, for a dequeued entry still in flight when `_write` returns,
        /// `clear_next`): while `_write` runs and after, flags included (the facade reads them
        /// without a call); once the core folds the mailbox its queue is the same, and both go
        /// on alike.
        #[test]
        fn an_async_completion_is_its_standing_answer(
            ops in proptest::collection::vec(wop(), 0..40),
            late in proptest::option::of(0u16..64),
            has_writev in any::<bool>(),
            after in proptest::collection::vec(wop(), 0..20),
            hwm in 0u16..64,
            om in any::<bool>(),
            lwm in 0u16..3,
        ) {
            use crate::writable::a as act;
            let mut a = reached(&ops, hwm, om, lwm);
            let mut b = reached(&ops, hwm, om, lwm);
            if let Some(n) = late {
                // (a fast-path write in flight, told late)
                let len = if om { 1.0 } else { n as f64 };
                if a.flags() & flag::FAST != 0 {
                    a.late_dispatch(len);
                    a.refresh_standing();
                    b.late_dispatch(len);
                    b.refresh_standing();
                }
            }
            let entries = a.queue_lens();
            match facade_complete(&mut b, &entries, has_writev) {
                Completion::Refused => {}
                Completion::Idle => {
                    prop_assert_eq!(a.onwrite(false, has_writev, false), act::NONE);
                    a.refresh_standing();
                    prop_assert_eq!(untimed(*a.s), untimed(*b.s));
                }
                Completion::Dequeued => {
                    prop_assert_eq!(a.onwrite(false, has_writev, false), act::ONE);
                    a.refresh_standing();
                    // (while `_write` runs: b's mailbox counts the entry a took)
                    let mut mid = *b.s;
                    mid.dequeued = 0.0;
                    prop_assert_eq!(untimed(*a.s), untimed(mid));
                    prop_assert_eq!(a.clear_next(), act::NONE);
                    a.refresh_standing();
                    b.s.flags &= !crate::protocol::writable::mask::DEQUEUE_DONE_CLEARS;
                    b.s.buffered -= 1.0;
                    let mut done = *b.s;
                    done.dequeued = 0.0;
                    prop_assert_eq!(untimed(*a.s), untimed(done));
                    b.fold();
                    prop_assert_eq!(a.queue_lens(), b.queue_lens());
                }
            }
            go_on_alike(&mut a, &mut b, &after)?;
        }

        /// With `'drain'` owed, the after-write step emits none while the stream is ending or
        /// destroyed (AFTER_WRITE_QUIET) or, with no opt-in policy, while anything is still
        /// counted: it only takes the callbacks' shares off `pendingcb` (the facade's rule,
        /// lib/writable.js `afterWrite`).
        #[test]
        fn a_quiet_after_write_is_its_standing_answer(
            ops in proptest::collection::vec(wop(), 0..50),
            dec in 0u16..3,
            hwm in 0u16..64,
            om in any::<bool>(),
            lwm in 0u16..3,
        ) {
            use crate::protocol::writable::mask as wm;
            let mut c = reached(&ops, hwm, om, lwm);
            prop_assert_eq!(c.flags() & flag::POLICIES != 0, lwm != 0);
            let fl = c.flags();
            let quiet = fl & flag::NEED_DRAIN == 0
                || fl & wm::AFTER_WRITE_QUIET != 0
                || (fl & flag::POLICIES == 0 && c.s.length > 0.0);
            if quiet {
                let mut want = *c.s;
                want.pending_cb -= dec as f64;
                prop_assert!(!c.after_write(dec as f64));
                c.refresh_standing();
                prop_assert_eq!(untimed(*c.s), untimed(want));
            }
        }
    }

    proptest! {
        #[test]
        fn a_resumed_writable_answers_as_the_retired_one(
            ops in proptest::collection::vec(wop(), 1..80),
            at in 0usize..80,
            hwm in 0u16..48,
        ) {
            let mut c = WritableCore::new(false, hwm as f64, flag::EMIT_CLOSE | flag::AUTO_DESTROY);
            let mut twin: Option<WritableCore> = None;
            for (i, op) in ops.iter().enumerate() {
                if i >= at && twin.is_none() {
                    if let Some(key) = c.retire_key() {
                        twin = Some(WritableCore::resumed(*c.s, key));
                    }
                }
                let a = step_w(&mut c, op);
                if let Some(t) = twin.as_mut() {
                    let b = step_w(t, op);
                    prop_assert_eq!(a, b, "answer to {:?}", op);
                    prop_assert_eq!(untimed(*c.s), untimed(*t.s));
                }
            }
        }

        #[test]
        fn a_resumed_readable_answers_as_the_retired_one(
            ops in proptest::collection::vec((0u8..8, 0u16..40), 1..80),
            at in 0usize..80,
            hwm in 1u16..48,
            switches in 0u32..64,
        ) {
            let opts = rflag::EMIT_CLOSE | rflag::AUTO_DESTROY | switches;
            let mut c = ReadableCore::new(false, hwm as f64, opts);
            let mut twin: Option<ReadableCore> = None;
            for (i, &(kind, n)) in ops.iter().enumerate() {
                if i >= at && twin.is_none() {
                    if let Some(key) = c.retire_key() {
                        twin = Some(ReadableCore::resumed(*c.s, key));
                    }
                }
                let a = step_r(&mut c, kind, n);
                if let Some(t) = twin.as_mut() {
                    let b = step_r(t, kind, n);
                    prop_assert_eq!(a, b, "answer to {:?}", (kind, n));
                    prop_assert_eq!(format!("{:?}", *c.s), format!("{:?}", *t.s));
                }
            }
        }
    }
}

/// The finish sequence's standing answers (`END_READY`, `TICK_FINISHES`, the tail step, `_final`'s
/// callback, the finish step, the quiet destroy):
/// over states reached by random operations (queues included) and then any assignment of the
/// assignable bits, whenever the core publishes an answer, its own step on a twin built the
/// same way gives what the facade's rule gives (`lib/writable.js`: `end`, `finishTick`,
/// `destroy`), the block byte for byte but its clock readings.
mod finish_steps {
    use super::retirement::{step_w, untimed};
    use super::{wop, WOp};
    use crate::protocol::writable::mask;
    use crate::writable::{d, e, end, f, flag, WritableCore};
    use proptest::prelude::*;

    /// A core after `ops` and the assignment `xor` (of assignable bits), each step followed by
    /// the refresh every binding call ends with.
    fn built(ops: &[WOp], xor: u32, pending: Option<u8>, hwm: u16) -> WritableCore {
        let mut c = WritableCore::new(false, hwm as f64, flag::EMIT_CLOSE | flag::AUTO_DESTROY);
        for op in ops {
            step_w(&mut c, op);
            c.refresh_standing();
        }
        c.s.flags ^= xor & flag::ASSIGNABLE;
        if let Some(p) = pending {
            c.s.pending_cb = p as f64;
        }
        c.refresh_standing();
        c
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        #[test]
        fn the_finish_sequence_is_its_standing_answers(
            ops in proptest::collection::vec(wop(), 0..40),
            xor in any::<u32>(),
            flip in any::<bool>(),
            pending in proptest::option::of(0u8..3),
            hwm in 0u16..48,
        ) {
            let xor = if flip { xor } else { 0 };
            let c = built(&ops, xor, pending, hwm);
            let fl = c.flags();
            // (a pass under way counts the entries it took until it ends, as Node's)
            prop_assert_eq!(fl & flag::QUEUED != 0, c.s.buffered - c.pass_taken() != 0.0);

            // Not due by the facade's rule (lib/writable.js `finishMaybe`: the flags, the
            // length, its queue): the finish check answers NONE and changes nothing.
            if fl & (mask::FINISH_NEEDS | mask::FINISH_BLOCKERS) != mask::FINISH_NEEDS
                || c.s.length != 0.0
                || !c.queue_lens().is_empty()
            {
                for (sync, has_final) in [(true, true), (true, false), (false, true), (false, false)] {
                    let mut t = built(&ops, xor, pending, hwm);
                    prop_assert_eq!(t.finish_maybe(sync, has_final), f::NONE);
                    t.refresh_standing();
                    prop_assert_eq!(super::retirement::untimed(*t.s), super::retirement::untimed(*c.s));
                }
            }

            if fl & flag::END_READY != 0 {
                // The three ways of `end()` (lib/writable.js `end`): a `_final` (with or
                // without a 'prefinish' listener), a listener alone, neither.
                for (has_final, quiet) in [(true, false), (true, true), (false, false), (false, true)] {
                    let mut t = built(&ops, xor, pending, hwm);
                    let got = t.end_run(has_final, quiet);
                    t.refresh_standing();
                    let mut want = *c.s;
                    let sets = if has_final {
                        mask::END_FINAL_SETS
                    } else if !quiet {
                        mask::END_PREFINISH_SETS
                    } else {
                        mask::END_QUIET_SETS
                    };
                    want.flags = (fl & !mask::END_CLEARS) | sets;
                    let expect = if has_final {
                        want.pending_cb += 1.0;
                        e::ENDING | (f::CALL_FINAL * end::STEP)
                    } else if !quiet {
                        e::ENDING | (f::EMIT_PREFINISH * end::STEP)
                    } else {
                        let tick = want.pending_cb == 0.0;
                        if tick {
                            want.pending_cb = 1.0;
                        }
                        let step = if tick { f::FINISH_TICK } else { f::NONE };
                        e::ENDING | (step * end::STEP) | end::MARKED
                    };
                    prop_assert_eq!(got, expect, "{:?}", (has_final, quiet));
                    prop_assert_eq!(untimed(*t.s), untimed(want), "{:?}", (has_final, quiet));
                }
            }

            // The tail step from end() (sync, marking it ended), in any state.
            {
                let mut t = built(&ops, xor, pending, hwm);
                let got = t.finish_maybe_tail(true);
                t.mark_ended();
                t.refresh_standing();
                let mut want = *c.s;
                want.flags = fl | mask::TAIL_SETS;
                let tick = want.pending_cb == 0.0;
                if tick {
                    want.pending_cb = 1.0;
                }
                prop_assert_eq!(got, if tick { f::FINISH_TICK } else { f::NONE });
                prop_assert_eq!(untimed(*t.s), untimed(want));
            }

            // `_final` called back, with and without an error, in any state.
            for errored in [false, true] {
                let mut t = built(&ops, xor, pending, hwm);
                let got = t.final_done(errored);
                t.refresh_standing();
                let mut want = *c.s;
                let expect = if errored {
                    want.pending_cb -= 1.0;
                    f::FINAL_ERROR
                } else if fl & flag::TICK_FINISHES != 0 {
                    want.flags = fl | mask::FINAL_DONE_SETS;
                    f::FINISH_TICK
                } else {
                    want.pending_cb -= 1.0;
                    f::NONE
                };
                prop_assert_eq!(got, expect, "errored {}", errored);
                prop_assert_eq!(untimed(*t.s), untimed(want), "errored {}", errored);
            }

            // The finish step after `_final`, in any state.
            {
                let mut t = built(&ops, xor, pending, hwm);
                t.finish();
                t.refresh_standing();
                let mut want = *c.s;
                want.flags = (fl & !mask::FINISH_CLEARS) | mask::FINISH_TICK_SETS;
                want.pending_cb -= 1.0;
                prop_assert_eq!(untimed(*t.s), untimed(want));
            }

            if fl & flag::TICK_FINISHES != 0 {
                let mut t = built(&ops, xor, pending, hwm);
                prop_assert!(t.finish_tick());
                t.refresh_standing();
                let mut want = *c.s;
                want.flags = (fl & !mask::FINISH_TICK_CLEARS) | mask::FINISH_TICK_SETS;
                want.pending_cb -= 1.0;
                prop_assert_eq!(untimed(*t.s), untimed(want));
            }

            // destroy() with no error, in any state.
            for (end_cbs, close_now) in [(false, false), (false, true), (true, false), (true, true)] {
                let mut t = built(&ops, xor, pending, hwm);
                let got = t.destroy_begin_closing(false, end_cbs, close_now);
                t.refresh_standing();
                let mut want = *c.s;
                let expect = if fl & flag::DESTROYED != 0 {
                    d::ALREADY
                } else {
                    want.flags = (fl & !mask::DESTROY_NOW_CLEARS) | flag::DESTROYED;
                    let mut code = if fl & mask::DESTROY_NOW_BUFFER != 0 || end_cbs { d::ERROR_BUFFER } else { 0 };
                    if fl & flag::CONSTRUCTED == 0 {
                        code |= d::WAIT_CONSTRUCT;
                    } else if close_now {
                        want.flags |= mask::DESTROY_NOW_CLOSED_SETS;
                        code |= d::CLOSED;
                    }
                    code
                };
                prop_assert_eq!(got, expect, "{:?}", (end_cbs, close_now));
                prop_assert_eq!(untimed(*t.s), untimed(want), "{:?}", (end_cbs, close_now));
            }

            // `_destroy` called back, in any state.
            {
                let mut t = built(&ops, xor, pending, hwm);
                t.set_closed();
                t.refresh_standing();
                let mut want = *c.s;
                want.flags = fl | mask::MARK_CLOSED_SETS;
                prop_assert_eq!(untimed(*t.s), untimed(want));
            }

            // The close step's rule, its clears included.
            let mut t = built(&ops, xor, pending, hwm);
            let emit = t.close_emit();
            t.refresh_standing();
            let mut want = *c.s;
            want.flags = (fl & !mask::CLOSE_EMIT_CLEARS) | mask::CLOSE_EMIT_SETS;
            prop_assert_eq!(emit, fl & mask::CLOSE_EMIT_ANSWER != 0);
            prop_assert_eq!(untimed(*t.s), untimed(want));
        }
    }
}

/// A stocked core (made with the defaults) given a stream's options by the facade's rule
/// (`lib/slab.js`, `attach`: the `MADE_FROM_OPTIONS` bits and `OBJECT_MODE` set in its flags,
/// the mark written) is the core those options make, block and answers alike.
mod stock {
    use crate::protocol::{readable::mask as rmask, writable::mask as wmask};
    use crate::readable::{flag as rflag, sw, ReadableCore};
    use crate::writable::{flag, WritableCore};
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn a_stocked_writable_is_the_one_its_options_make(om in any::<bool>(), hwm in 0u32..1_000_000, opts in any::<u32>(), ops in proptest::collection::vec(super::wop(), 0..30)) {
            let mut made = WritableCore::new(om, hwm as f64, opts);
            let mut stocked = WritableCore::new(false, 0.0, 0);
            stocked.s.flags |= (opts & wmask::MADE_FROM_OPTIONS) | if om { flag::OBJECT_MODE } else { 0 };
            stocked.s.hwm = hwm as f64;
            prop_assert_eq!(format!("{:?}", *made.s), format!("{:?}", *stocked.s));
            for op in &ops {
                let a = super::retirement::step_w(&mut made, op);
                let b = super::retirement::step_w(&mut stocked, op);
                prop_assert_eq!(a, b);
                prop_assert_eq!(super::retirement::untimed(*made.s), super::retirement::untimed(*stocked.s));
            }
        }

        #[test]
        fn a_stocked_readable_is_the_one_its_options_make(om in any::<bool>(), hwm in 0u32..1_000_000, opts in any::<u32>(), ops in proptest::collection::vec((0u8..8, 0u16..40), 0..30)) {
            let switches = opts & sw::ALL;
            let mut made = ReadableCore::new(om, hwm as f64, opts);
            let mut stocked = ReadableCore::new(false, 0.0, switches);
            stocked.s.flags |= (opts & rmask::MADE_FROM_OPTIONS) | if om { rflag::OBJECT_MODE } else { 0 };
            stocked.s.hwm = hwm as f64;
            prop_assert_eq!(format!("{:?}", *made.s), format!("{:?}", *stocked.s));
            for &(kind, n) in &ops {
                let a = super::retirement::step_r(&mut made, kind, n);
                let b = super::retirement::step_r(&mut stocked, kind, n);
                prop_assert_eq!(a, b);
                prop_assert_eq!(format!("{:?}", *made.s), format!("{:?}", *stocked.s));
            }
        }
    }
}
