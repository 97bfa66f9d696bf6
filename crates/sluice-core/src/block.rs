//! Where a core's shared block lives: in an allocation of its own (a core made standalone, as
//! the tests make them), or in a slot lent by whoever made the core — the addon lends slots of
//! one large `ArrayBuffer` per few hundred streams, which JS views, so that making a stream
//! costs no N-API object of its own.

use std::fmt;
use std::ops::{Deref, DerefMut};
use std::ptr::NonNull;

/// A core's shared block (the `#[repr(C)]` struct JS reads as a typed array), owned or lent.
pub struct Block<S> {
    ptr: NonNull<S>,
    owned: bool,
}

impl<S> Block<S> {
    /// A block in an allocation of its own, freed with it.
    pub fn owned(s: S) -> Self {
        Block {
            ptr: NonNull::from(Box::leak(Box::new(s))),
            owned: true,
        }
    }

    /// A block in `slot`, which starts as `s`.
    ///
    /// # Safety
    /// `slot` must be non-null, aligned for `S`, valid for reads and writes for as long as the
    /// returned block is used, and not reached through any Rust reference meanwhile (the
    /// addon's JS side reads and writes it only between calls into the core, on the one
    /// thread that makes those calls).
    pub unsafe fn lent(slot: *mut S, s: S) -> Self {
        // SAFETY: the caller guarantees `slot` is valid, aligned and unaliased.
        unsafe { slot.write(s) };
        Block {
            // SAFETY: non-null by the caller's guarantee.
            ptr: unsafe { NonNull::new_unchecked(slot) },
            owned: false,
        }
    }

    /// A block in `slot` as it stands: the block of a retired core, kept by the lender since
    /// (see `WritableCore::resume_in`).
    ///
    /// # Safety
    /// As for [`Block::lent`], and `slot` must hold a valid `S`.
    pub unsafe fn resumed(slot: *mut S) -> Self {
        Block {
            // SAFETY: non-null by the caller's guarantee.
            ptr: unsafe { NonNull::new_unchecked(slot) },
            owned: false,
        }
    }

    /// The block's address (what JS views).
    pub fn as_ptr(&self) -> *mut S {
        self.ptr.as_ptr()
    }

    /// Moves a lent block to `slot` (a copy, then the block is `slot`'s); an owned one stays.
    ///
    /// # Safety
    /// As for [`Block::lent`] for `slot`, which must not overlap the block's current memory.
    pub unsafe fn relocate(&mut self, slot: *mut S) {
        if self.owned {
            return;
        }
        // SAFETY: both valid and aligned (the caller's guarantee and this block's), disjoint.
        unsafe { std::ptr::copy_nonoverlapping(self.ptr.as_ptr(), slot, 1) };
        // SAFETY: non-null by the caller's guarantee.
        self.ptr = unsafe { NonNull::new_unchecked(slot) };
    }
}

impl<S> Deref for Block<S> {
    type Target = S;
    fn deref(&self) -> &S {
        // SAFETY: valid for the block's life (owned: our allocation; lent: the lender's
        // guarantee), and only the core holding the block makes references to it.
        unsafe { self.ptr.as_ref() }
    }
}

impl<S> DerefMut for Block<S> {
    fn deref_mut(&mut self) -> &mut S {
        // SAFETY: as for `deref`; `&mut self` makes the reference unique on the Rust side.
        unsafe { self.ptr.as_mut() }
    }
}

impl<S> Drop for Block<S> {
    fn drop(&mut self) {
        if self.owned {
            // SAFETY: made by `Box::leak` in `owned` and dropped once, here.
            drop(unsafe { Box::from_raw(self.ptr.as_ptr()) });
        }
    }
}

/// A copy is a block of its own (the property tests clone cores to compare answers).
impl<S: Clone> Clone for Block<S> {
    fn clone(&self) -> Self {
        Block::owned((**self).clone())
    }
}

impl<S: fmt::Debug> fmt::Debug for Block<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        (**self).fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::Block;

    #[test]
    fn a_lent_block_relocates_with_its_contents_and_an_owned_one_stays() {
        let mut from = [0u64; 1];
        let mut to = [0u64; 1];
        // SAFETY: `from` and `to` are valid, aligned, disjoint locals that outlive the block.
        let mut b = unsafe { Block::lent(from.as_mut_ptr(), 7u64) };
        // SAFETY: as above.
        unsafe { b.relocate(to.as_mut_ptr()) };
        *b += 1;
        assert_eq!(b.as_ptr(), to.as_mut_ptr());
        drop(b);
        assert_eq!((from[0], to[0]), (7, 8));

        let mut o = Block::owned(3u64);
        let at = o.as_ptr();
        // SAFETY: `to` is valid and aligned; an owned block does not move.
        unsafe { o.relocate(to.as_mut_ptr()) };
        assert_eq!((o.as_ptr(), *o), (at, 3));
    }
}
