//! Per-environment slabs of stream cores. A stream's core is an index (a plain JS number), not
//! an N-API object: making a stream costs one call and no External, ArrayBuffer or finalizer of
//! its own. Its shared block is a slot of a chunk — one `ArrayBuffer` per
//! [`slab::CHUNK`](sluice_core::protocol::addon::slab::CHUNK) streams, which the facade
//! allocates and lends (`wAdopt` / `rAdopt`) and keeps alive for the environment's life — and
//! the facade views that slot per stream. A core is dropped when the facade says its stream
//! was collected (`wFree` / `rFree`, from a `FinalizationRegistry`); its index and slot are then
//! reused.
//!
//! Threading: one `Slabs` per Node environment, reached through the functions' data pointer
//! and used only on that environment's JS thread (N-API calls run there), so `&mut` is never
//! aliased. The environment's cleanup hook drops it.

use super::raw::{f64_arg, guard, ret_u32, throw, u32_arg};
use napi::sys;
use sluice_core::protocol::addon::slab::{self, CHUNK, MASK, SHIFT};
use sluice_core::readable::ReadableCore;
use sluice_core::writable::WritableCore;
use std::ffi::c_void;

/// A core the slab can make in a lent slot.
pub trait SlabCore: Sized {
    /// The core's `#[repr(C)]` shared block.
    type Shared;
    /// Makes a core whose block is `slot`.
    ///
    /// # Safety
    /// `slot` valid, aligned and unaliased for the core's life ([`sluice_core::block::Block::lent`]).
    unsafe fn make_in(slot: *mut Self::Shared, object_mode: bool, hwm: f64, options: u32) -> Self;
    /// See `WritableCore::retire_key`.
    fn retire_key(&self) -> Option<u32>;
    /// A core over a retired core's block, as it stands.
    ///
    /// # Safety
    /// As for `make_in`, and `slot` holds a valid block.
    unsafe fn resume_in(slot: *mut Self::Shared, key: u32) -> Self;
    /// The block's address, in a chunk or wherever it was resumed.
    fn block_ptr(&self) -> *mut Self::Shared;
    /// Moves the block to `slot` (see `Block::relocate`).
    ///
    /// # Safety
    /// As for `make_in`, and `slot` does not overlap the block.
    unsafe fn relocate(&mut self, slot: *mut Self::Shared);
}

impl SlabCore for WritableCore {
    type Shared = sluice_core::writable::Shared;
    unsafe fn make_in(slot: *mut Self::Shared, om: bool, hwm: f64, opts: u32) -> Self {
        // SAFETY: passed on from the caller.
        unsafe { WritableCore::new_in(slot, om, hwm, opts) }
    }
    fn retire_key(&self) -> Option<u32> {
        WritableCore::retire_key(self)
    }
    unsafe fn resume_in(slot: *mut Self::Shared, key: u32) -> Self {
        // SAFETY: passed on from the caller.
        unsafe { WritableCore::resume_in(slot, key) }
    }
    fn block_ptr(&self) -> *mut Self::Shared {
        self.s.as_ptr()
    }
    unsafe fn relocate(&mut self, slot: *mut Self::Shared) {
        // SAFETY: passed on from the caller.
        unsafe { self.s.relocate(slot) }
    }
}

impl SlabCore for ReadableCore {
    type Shared = sluice_core::readable::Shared;
    unsafe fn make_in(slot: *mut Self::Shared, om: bool, hwm: f64, opts: u32) -> Self {
        // SAFETY: passed on from the caller.
        unsafe { ReadableCore::new_in(slot, om, hwm, opts) }
    }
    fn retire_key(&self) -> Option<u32> {
        ReadableCore::retire_key(self)
    }
    unsafe fn resume_in(slot: *mut Self::Shared, key: u32) -> Self {
        // SAFETY: passed on from the caller.
        unsafe { ReadableCore::resume_in(slot, key) }
    }
    fn block_ptr(&self) -> *mut Self::Shared {
        self.s.as_ptr()
    }
    unsafe fn relocate(&mut self, slot: *mut Self::Shared) {
        // SAFETY: passed on from the caller.
        unsafe { self.s.relocate(slot) }
    }
}

/// Empty chunks a slab keeps lent (see [`Slab::shrink`]).
const SPARE: usize = 4;

/// The cores of one kind in one environment.
pub struct Slab<T: SlabCore> {
    /// Inline, not boxed: making a stream then allocates nothing here once the vector has
    /// grown (a core moves when it grows, which nothing minds: no pointer into a core is kept
    /// between calls).
    cores: Vec<Option<T>>,
    free: Vec<u32>,
    /// Base addresses of the lent chunks, `CHUNK` blocks each. The facade holds the
    /// `ArrayBuffer`s for the environment's life (a module-level array), so they stay valid.
    chunks: Vec<*mut T::Shared>,
    /// Live cores per chunk.
    live: Vec<u32>,
}

impl<T: SlabCore> Default for Slab<T> {
    fn default() -> Self {
        Slab {
            cores: Vec::new(),
            free: Vec::new(),
            chunks: Vec::new(),
            live: Vec::new(),
        }
    }
}

impl<T: SlabCore> Slab<T> {
    /// A new core, or `None` when every lent chunk is full (the facade lends another).
    pub fn create(&mut self, object_mode: bool, hwm: f64, options: u32) -> Option<u32> {
        let idx = self.take_index()?;
        let base = self.chunks[(idx >> SHIFT) as usize];
        // SAFETY: `idx & MASK < CHUNK`, inside the chunk `adopt` checked to hold CHUNK blocks;
        // the slot is free (never used, or its core was dropped), so nothing aliases it; the
        // facade only touches it between calls.
        let core = unsafe {
            let slot = base.add((idx & MASK) as usize);
            T::make_in(slot, object_mode, hwm, options)
        };
        self.cores[idx as usize] = Some(core);
        self.live[(idx >> SHIFT) as usize] += 1;
        Some(idx)
    }

    /// Fills `out` with new cores made with the defaults (byte mode, mark 0, `options`) for
    /// the facade's stock, as far as the lent chunks go: how many it made.
    pub fn stock(&mut self, out: &mut [u32], options: u32) -> usize {
        for (k, x) in out.iter_mut().enumerate() {
            match self.create(false, 0.0, options) {
                Some(idx) => *x = idx,
                None => return k,
            }
        }
        out.len()
    }

    /// A free index (its chunk's slot unused), or `None` when every lent chunk is full.
    fn take_index(&mut self) -> Option<u32> {
        match self.free.pop() {
            Some(i) => Some(i),
            None => {
                let n = self.cores.len();
                if n >= self.chunks.len() * CHUNK as usize {
                    return None;
                }
                self.cores.push(None);
                Some(n as u32)
            }
        }
    }

    /// Drops the core at `idx` if it keeps nothing outside its block (`SlabCore::retire_key`),
    /// answering the key to resume it with; the index is reused. Its stream closed (see
    /// `lib/slab.js`): the block is copied to `tomb` first, where the stream keeps it (`None`:
    /// no copy, the block is in the stream's memory already, or no stream has it). A core that
    /// cannot retire stays; with `relocate` its block moves to `tomb` all the same.
    ///
    /// # Safety
    /// `tomb`, when given, is valid and aligned for one block, and overlaps no lent chunk and
    /// no core's block.
    pub unsafe fn retire(
        &mut self,
        idx: u32,
        tomb: Option<*mut T::Shared>,
        relocate: bool,
    ) -> Option<u32> {
        let core = self.get(idx)?;
        let Some(key) = core.retire_key() else {
            if let (true, Some(dst)) = (relocate, tomb) {
                // SAFETY: `dst` is the caller's (one block, disjoint from the core's).
                unsafe { core.relocate(dst) };
            }
            return None;
        };
        if let Some(dst) = tomb {
            // SAFETY: the core's block is live (in its chunk's slot, or where it was resumed);
            // `dst` is the caller's (one block, disjoint from it). No JS runs and the core is
            // not borrowed during the copy.
            unsafe { std::ptr::copy_nonoverlapping(core.block_ptr(), dst, 1) };
        }
        self.free(idx);
        Some(key)
    }

    /// A core, under a new index, over `slot`: the block of a core retired with `key`, which
    /// the facade kept in memory of its own. The index's slot in its chunk stays unused while
    /// this core lives (a retired stream used again is rare). `None` when every lent chunk is
    /// full.
    ///
    /// # Safety
    /// `slot` valid, aligned, holding a block, and unaliased for the core's life: the facade
    /// keeps its memory alive while the stream can reach the core, and the core is dropped
    /// (which never touches a lent block) once the stream is collected or retired again.
    pub unsafe fn resume(&mut self, slot: *mut T::Shared, key: u32) -> Option<u32> {
        let idx = self.take_index()?;
        // SAFETY: the caller's guarantee.
        let core = unsafe { T::resume_in(slot, key) };
        self.cores[idx as usize] = Some(core);
        self.live[(idx >> SHIFT) as usize] += 1;
        Some(idx)
    }

    /// The core at `idx`, if it is live.
    #[inline(always)]
    pub fn get(&mut self, idx: u32) -> Option<&mut T> {
        self.cores.get_mut(idx as usize)?.as_mut()
    }

    /// Drops the core at `idx` (its stream was collected); the index is reused. Returns how
    /// many chunks remain lent: when the last chunks hold no core any more they are given back
    /// (the facade then drops its ArrayBuffers), so a burst of streams does not keep its memory
    /// for good.
    pub fn free(&mut self, idx: u32) -> usize {
        if let Some(slot) = self.cores.get_mut(idx as usize) {
            if slot.take().is_some() {
                self.free.push(idx);
                self.live[(idx >> SHIFT) as usize] -= 1;
                self.shrink();
            }
        }
        self.chunks.len()
    }

    /// Gives back the trailing chunks that hold no core, but [`SPARE`] of them: their indices
    /// leave the free list. (Cores of closed streams go back in a batch per turn, so a turn's
    /// streams often empty every chunk; lent again the next turn, they cost an `ArrayBuffer`
    /// and two views each time.)
    fn shrink(&mut self) {
        let before = self.chunks.len();
        let mut empty = self.live.iter().rev().take_while(|&&n| n == 0).count();
        while empty > SPARE {
            empty -= 1;
            self.live.pop();
            self.chunks.pop();
        }
        if self.chunks.len() != before {
            let end = self.chunks.len() * CHUNK as usize;
            self.cores.truncate(end.min(self.cores.len()));
            self.free.retain(|&i| (i as usize) < end);
        }
    }

    /// Takes a chunk lent by the facade: `len` bytes at `data`. False if it is too small or
    /// misaligned for `CHUNK` blocks.
    pub fn adopt(&mut self, data: *mut c_void, len: usize) -> bool {
        let need = CHUNK as usize * std::mem::size_of::<T::Shared>();
        if data.is_null()
            || len < need
            || !(data as usize).is_multiple_of(std::mem::align_of::<T::Shared>())
        {
            return false;
        }
        self.chunks.push(data as *mut T::Shared);
        self.live.push(0);
        true
    }
}

/// Both kinds of core of one environment.
#[derive(Default)]
pub struct Slabs {
    /// Writable cores (`wCreate`, `wWrite`, `wOp`, `wAdopt`, `wFree`).
    pub w: Slab<WritableCore>,
    /// Readable cores (`rCreate`, `rPush`, `rRead`, `rOp`, `rAdopt`, `rFree`).
    pub r: Slab<ReadableCore>,
}

/// Reads up to `N` arguments and the function's data pointer (this environment's [`Slabs`]).
#[inline(always)]
pub unsafe fn args_slabs<'a, const N: usize>(
    env: sys::napi_env,
    info: sys::napi_callback_info,
) -> ([sys::napi_value; N], &'a mut Slabs) {
    let mut argv = [std::ptr::null_mut(); N];
    let mut argc = N;
    let mut data: *mut c_void = std::ptr::null_mut();
    // SAFETY: a callback info of this call; argv has room for N values.
    unsafe {
        sys::napi_get_cb_info(
            env,
            info,
            &mut argc,
            argv.as_mut_ptr(),
            std::ptr::null_mut(),
            &mut data,
        );
    }
    // SAFETY: every function given this data was registered by `init` with this environment's
    // `Slabs`, which is never freed (its cores are dropped at the environment's teardown).
    (argv, unsafe { &mut *(data as *mut Slabs) })
}

impl<T: SlabCore> Slab<T> {
    /// Drops every core and forgets the chunks (the environment is going away).
    fn clear(&mut self) {
        self.cores.clear();
        self.free.clear();
        self.chunks.clear();
        self.live.clear();
    }
}

/// The environment's cleanup hook: drops its cores (their blocks are the facade's memory and
/// are not touched). The `Slabs` itself stays allocated (a few words per environment): the
/// facade's FinalizationRegistry may still call `wFree`/`rFree` during the environment's
/// teardown, after this hook (Node 26 does), and must find an empty slab, not freed memory.
pub unsafe extern "C" fn drop_slabs(arg: *mut c_void) {
    let _ = std::panic::catch_unwind(|| {
        // SAFETY: made by `Box::into_raw` in `init`, never freed; this hook runs on the
        // environment's JS thread, like every call that reaches it.
        let slabs = unsafe { &mut *(arg as *mut Slabs) };
        slabs.w.clear();
        slabs.r.clear();
    });
}

/// `xCreate(objectMode, hwm, optionFlags) -> index` for the slab `pick` chooses: a new core;
/// [`slab::FULL`] when every lent chunk is full (the facade lends one and asks again).
pub unsafe fn create<T: SlabCore>(
    env: sys::napi_env,
    info: sys::napi_callback_info,
    pick: fn(&mut Slabs) -> &mut Slab<T>,
) -> sys::napi_value {
    guard(env, || {
        let ([om, hwm, opts], slabs) = args_slabs::<3>(env, info);
        let idx = pick(slabs).create(u32_arg(env, om) != 0, f64_arg(env, hwm), u32_arg(env, opts));
        ret_u32(env, idx.unwrap_or(slab::FULL))
    })
}

/// The native memory a chunk's cores take, as told to V8.
fn chunk_cost<T>() -> i64 {
    (CHUNK as usize * std::mem::size_of::<T>()) as i64
}

/// `dOp(writableIndex, readableIndex, op, arg, pendingSyncCompletion) -> number`: a step of
/// a Duplex's destruction on both of its cores (see
/// [`sluice_core::protocol::addon::duplex`]); each core folds its mailbox first and publishes
/// its standing answers after, as in `wOp` / `rOp`.
pub unsafe extern "C" fn d_op(
    env: sys::napi_env,
    info: sys::napi_callback_info,
) -> sys::napi_value {
    use sluice_core::protocol::addon::duplex;
    use sluice_core::protocol::writable::d;
    guard(env, || {
        let ([wh, rh, o, a, pend], slabs) = args_slabs::<5>(env, info);
        let (wi, ri) = (u32_arg(env, wh), u32_arg(env, rh));
        let Slabs { w, r } = slabs;
        let (Some(wc), Some(rc)) = (w.get(wi), r.get(ri)) else {
            return throw(env, "sluice: not a Duplex's handles");
        };
        wc.fold();
        rc.fold();
        let p = u32_arg(env, pend);
        if p != 0 {
            wc.complete_sync_ok(p == sluice_core::protocol::writable::arg::SYNC_DONE_NO_CB);
        }
        let ans = match u32_arg(env, o) {
            duplex::DESTROY_BEGIN => {
                use sluice_core::protocol::writable::arg;
                let bits = u32_arg(env, a);
                let code = wc.destroy_begin_closing(
                    bits & arg::DESTROY_ERROR != 0,
                    bits & arg::DESTROY_END_CBS != 0,
                    false,
                );
                if code & d::ALREADY == 0 {
                    rc.set_destroyed(true);
                }
                code
            }
            _ => return throw(env, "sluice: unknown duplex op"),
        };
        wc.refresh_standing();
        ret_u32(env, ans)
    })
}

/// `xAdopt(arrayBuffer) -> bool`: lends the slab a chunk of `slab::CHUNK` blocks (the facade
/// keeps the ArrayBuffer alive for the environment's life).
pub unsafe fn adopt<T: SlabCore>(
    env: sys::napi_env,
    info: sys::napi_callback_info,
    pick: fn(&mut Slabs) -> &mut Slab<T>,
) -> sys::napi_value {
    guard(env, || {
        let ([ab], slabs) = args_slabs::<1>(env, info);
        let Some((data, len)) = array_buffer(env, ab) else {
            return throw(env, "sluice: a slab chunk must be an ArrayBuffer");
        };
        let adopted = pick(slabs).adopt(data, len);
        if adopted {
            // Tell V8 what the chunk's cores will cost, so that garbage collection (which gives
            // them back through the facade's FinalizationRegistry) weighs them: once per chunk
            // (the adjustment is not free, and may start a collection), not once per stream.
            let mut adjusted = 0i64;
            sys::napi_adjust_external_memory(env, chunk_cost::<T>(), &mut adjusted);
        }
        let mut r = std::ptr::null_mut();
        sys::napi_get_boolean(env, adopted, &mut r);
        r
    })
}

/// Tells V8 of the chunks given back when a slab went from `before` lent chunks to `after`.
unsafe fn chunks_given_back<T>(env: sys::napi_env, before: usize, after: usize) {
    if after < before {
        let mut adjusted = 0i64;
        // SAFETY: a plain call on this environment's thread.
        unsafe {
            sys::napi_adjust_external_memory(
                env,
                -(((before - after) as i64) * chunk_cost::<T>()),
                &mut adjusted,
            );
        }
    }
}

/// The memory of the `ArrayBuffer` `v` (pointer, possibly null, and length), or `None` when `v`
/// is not one.
///
/// # Safety
/// `env` and `v` are a live environment and value of the current call.
unsafe fn array_buffer(env: sys::napi_env, v: sys::napi_value) -> Option<(*mut c_void, usize)> {
    let mut data: *mut c_void = std::ptr::null_mut();
    let mut len = 0usize;
    // SAFETY: the caller's guarantee, passed on; the out-pointers are locals.
    let ok = unsafe { sys::napi_get_arraybuffer_info(env, v, &mut data, &mut len) };
    (ok == sys::Status::napi_ok).then_some((data, len))
}

/// The elements of the `Uint32Array` `arr` (pointer and length), or `None` when `arr` is not
/// one.
///
/// # Safety
/// `env` and `arr` are a live environment and value of the current call.
unsafe fn u32_raw(env: sys::napi_env, arr: sys::napi_value) -> Option<(*mut u32, usize)> {
    let mut kind = 0;
    let mut len = 0usize;
    let mut data: *mut c_void = std::ptr::null_mut();
    let mut ab = std::ptr::null_mut();
    let mut off = 0usize;
    // SAFETY: the caller's guarantee, passed on; the out-pointers are locals.
    let ok = unsafe {
        sys::napi_get_typedarray_info(env, arr, &mut kind, &mut len, &mut data, &mut ab, &mut off)
    };
    if ok != sys::Status::napi_ok || kind != sys::TypedarrayType::uint32_array {
        return None;
    }
    Some((data as *mut u32, if data.is_null() { 0 } else { len }))
}

/// The first `n` (a JS number, at most its length) elements of the `Uint32Array` `arr`, or
/// `None` when `arr` is not one.
///
/// # Safety
/// `env` and `arr` are a live environment and value of the current call; the slice is used
/// only during it, on this thread, while no JS runs.
unsafe fn u32_list<'a>(
    env: sys::napi_env,
    arr: sys::napi_value,
    n: sys::napi_value,
) -> Option<&'a mut [u32]> {
    // SAFETY: the caller's guarantee, passed on.
    let (data, len) = unsafe { u32_raw(env, arr) }?;
    // SAFETY: as above.
    let n = (unsafe { u32_arg(env, n) } as usize).min(len);
    if n == 0 {
        return Some(&mut []);
    }
    // SAFETY: the typed array's `len` elements at `data` (aligned: a Uint32Array), read and
    // written during the call only, on this thread, while no JS runs.
    Some(unsafe { std::slice::from_raw_parts_mut(data, n) })
}

/// `xRetire(indices: Uint32Array, from, n, copies: Uint32Array, tomb: ArrayBuffer | undefined)
/// -> chunks`: retires the cores at `indices[from..from + n]` where it can ([`Slab::retire`]),
/// writing over each index the key to resume it with, or [`slab::NOT_RETIRED`]; one call for
/// a tomb's worth ([`slab::TOMB_BYTES`]) of a turn's closed streams. Each retired core's block is first copied
/// into block `copies[i]` of `tomb` (unless [`slab::NO_COPY`]): a memcpy here, where the
/// facade's own copy loop cost ~70 ns a Writable. The answer is how many chunks stay lent, as
/// for `xFree`.
pub unsafe fn retire<T: SlabCore>(
    env: sys::napi_env,
    info: sys::napi_callback_info,
    pick: fn(&mut Slabs) -> &mut Slab<T>,
) -> sys::napi_value {
    guard(env, || {
        let ([arr, from, n, cps, tomb], slabs) = args_slabs::<5>(env, info);
        let (Some((ap, alen)), Some((cp, clen))) = (u32_raw(env, arr), u32_raw(env, cps)) else {
            return throw(env, "sluice: retire takes two Uint32Arrays");
        };
        let from = u32_arg(env, from) as usize;
        let end = from.saturating_add(u32_arg(env, n) as usize);
        // Views of the same memory would alias (the facade never passes them).
        let overlap =
            (ap as usize) < cp as usize + 4 * clen && (cp as usize) < ap as usize + 4 * alen;
        if end > alen || end > clen || overlap {
            return throw(env, "sluice: retire's lists are out of bounds or overlap");
        }
        if end == from {
            return ret_u32(env, pick(slabs).chunks.len() as u32);
        }
        // SAFETY: the typed arrays' elements (aligned, in bounds as checked, disjoint), read and
        // written during the call only, on this thread, while no JS runs.
        let (all, copies) = unsafe {
            (
                std::slice::from_raw_parts_mut(ap.add(from), end - from),
                std::slice::from_raw_parts(cp.add(from), end - from),
            )
        };
        // The tomb's blocks: none when it is not an ArrayBuffer (then no copy may be asked).
        let size = std::mem::size_of::<T::Shared>();
        let (data, blocks) = match array_buffer(env, tomb) {
            Some((data, len))
                if !data.is_null()
                    && (data as usize).is_multiple_of(std::mem::align_of::<T::Shared>()) =>
            {
                (data, len / size)
            }
            _ => (std::ptr::null_mut(), 0),
        };
        let slab = pick(slabs);
        let before = slab.chunks.len();
        for (x, &c) in all.iter_mut().zip(copies) {
            let relocate = c != slab::NO_COPY && c & slab::RELOCATE != 0;
            let c = if relocate { c & !slab::RELOCATE } else { c };
            let dst = if c == slab::NO_COPY {
                None
            } else if (c as usize) < blocks {
                // SAFETY: block `c` is within the tomb's `len` bytes, checked just above, and
                // the tomb is the facade's own memory, no lent chunk.
                Some(unsafe { (data as *mut T::Shared).add(c as usize) })
            } else {
                return throw(env, "sluice: no such block in the tomb");
            };
            // SAFETY: as above.
            *x = unsafe { slab.retire(*x, dst, relocate) }.unwrap_or(slab::NOT_RETIRED);
        }
        let after = slab.chunks.len();
        chunks_given_back::<T>(env, before, after);
        ret_u32(env, after as u32)
    })
}

/// `xStock(indices: Uint32Array, n, options) -> made`: makes up to `n` cores with the
/// defaults and `options` ([`Slab::stock`]) and writes their indices; the facade gives each a
/// stream's options itself (protocol `MADE_FROM_OPTIONS`). Fewer than `n` when the lent
/// chunks are full (the facade lends another and asks again).
pub unsafe fn stock<T: SlabCore>(
    env: sys::napi_env,
    info: sys::napi_callback_info,
    pick: fn(&mut Slabs) -> &mut Slab<T>,
) -> sys::napi_value {
    guard(env, || {
        let ([arr, n, opts], slabs) = args_slabs::<3>(env, info);
        let Some(out) = u32_list(env, arr, n) else {
            return throw(env, "sluice: stock takes a Uint32Array");
        };
        let made = pick(slabs).stock(out, u32_arg(env, opts));
        ret_u32(env, made as u32)
    })
}

/// `xResume(arrayBuffer, byteOffset, key) -> index`: a core over the block at `byteOffset`
/// of `arrayBuffer` (where the facade keeps a retired stream's block), resumed with `key`;
/// [`slab::FULL`] when every lent chunk is full (the facade lends one and asks again).
pub unsafe fn resume<T: SlabCore>(
    env: sys::napi_env,
    info: sys::napi_callback_info,
    pick: fn(&mut Slabs) -> &mut Slab<T>,
) -> sys::napi_value {
    guard(env, || {
        let ([ab, off, key], slabs) = args_slabs::<3>(env, info);
        let Some((data, len)) = array_buffer(env, ab) else {
            return throw(env, "sluice: resume takes an ArrayBuffer");
        };
        let off = f64_arg(env, off);
        let size = std::mem::size_of::<T::Shared>();
        let align = std::mem::align_of::<T::Shared>();
        if data.is_null()
            || !(off >= 0.0 && off.fract() == 0.0)
            || off as usize + size > len
            || !(data as usize + off as usize).is_multiple_of(align)
        {
            return throw(env, "sluice: no block at that offset");
        }
        // SAFETY: checked in bounds and aligned just above; the facade's guarantee (the
        // memory outlives the core, see `Slab::resume`).
        let slot = unsafe { (data as *mut u8).add(off as usize) } as *mut T::Shared;
        let idx = unsafe { pick(slabs).resume(slot, u32_arg(env, key)) };
        ret_u32(env, idx.unwrap_or(slab::FULL))
    })
}

/// `xFree(index) -> chunks`: the stream of this core was collected; the core is dropped. The
/// answer is how many chunks stay lent (fewer when trailing ones were given back).
pub unsafe fn free<T: SlabCore>(
    env: sys::napi_env,
    info: sys::napi_callback_info,
    pick: fn(&mut Slabs) -> &mut Slab<T>,
) -> sys::napi_value {
    guard(env, || {
        let ([h], slabs) = args_slabs::<1>(env, info);
        let idx = u32_arg(env, h);
        let slab = pick(slabs);
        let before = slab.chunks.len();
        let after = slab.free(idx);
        chunks_given_back::<T>(env, before, after);
        ret_u32(env, after as u32)
    })
}
