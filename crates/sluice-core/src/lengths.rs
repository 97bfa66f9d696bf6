//! A core's queue of chunk lengths, oldest first: the first few held in the core itself, more
//! in a heap ring.
//!
//! Why: most queues hold a chunk or two for a moment (a PassThrough's chunk pushed before it
//! flows, `Readable.from`'s values). A `VecDeque` allocates on its first push and frees when
//! the core goes, ~40 ns of a short stream's life; inline, the first [`INLINE`] lengths cost
//! neither.

use std::collections::VecDeque;

/// Lengths held in the core before the queue moves to the heap.
pub const INLINE: usize = 4;

/// The queue. At most one of its two parts holds lengths: `small` (the first `n` of it) until
/// more than [`INLINE`] are queued, then `big` until it empties again.
#[derive(Debug, Clone, Default)]
pub struct Lengths {
    small: [f64; INLINE],
    n: usize,
    big: VecDeque<f64>,
}

impl Lengths {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn len(&self) -> usize {
        self.n + self.big.len()
    }

    pub fn is_empty(&self) -> bool {
        self.n == 0 && self.big.is_empty()
    }

    /// Moves the inline lengths to the heap ring (it is empty: at most one part is in use).
    fn spill(&mut self) {
        self.big.extend(&self.small[..self.n]);
        self.n = 0;
    }

    pub fn push_back(&mut self, len: f64) {
        if self.big.is_empty() {
            if self.n < INLINE {
                self.small[self.n] = len;
                self.n += 1;
                return;
            }
            self.spill();
        }
        self.big.push_back(len);
    }

    pub fn push_front(&mut self, len: f64) {
        if self.big.is_empty() {
            if self.n < INLINE {
                self.small.copy_within(..self.n, 1);
                self.small[0] = len;
                self.n += 1;
                return;
            }
            self.spill();
        }
        self.big.push_front(len);
    }

    pub fn pop_front(&mut self) -> Option<f64> {
        if self.n > 0 {
            let first = self.small[0];
            self.small.copy_within(1..self.n, 0);
            self.n -= 1;
            return Some(first);
        }
        self.big.pop_front()
    }

    pub fn front(&self) -> Option<&f64> {
        if self.n > 0 {
            return Some(&self.small[0]);
        }
        self.big.front()
    }

    pub fn front_mut(&mut self) -> Option<&mut f64> {
        if self.n > 0 {
            return Some(&mut self.small[0]);
        }
        self.big.front_mut()
    }

    pub fn clear(&mut self) {
        self.n = 0;
        self.big.clear();
    }

    /// Drops the first `k` lengths (all of them when fewer are queued).
    pub fn drop_front(&mut self, k: usize) {
        if self.n > 0 {
            let k = k.min(self.n);
            self.small.copy_within(k..self.n, 0);
            self.n -= k;
        } else {
            self.big.drain(..k.min(self.big.len()));
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = &f64> {
        self.small[..self.n].iter().chain(self.big.iter())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Random operations against a `VecDeque`: the same lengths in the same order throughout.
    #[test]
    fn behaves_as_a_deque() {
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut rand = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let mut q = Lengths::new();
        let mut model: VecDeque<f64> = VecDeque::new();
        for step in 0..200_000 {
            let x = (rand() % 1000) as f64;
            match rand() % 7 {
                0 | 1 => {
                    q.push_back(x);
                    model.push_back(x);
                }
                2 => {
                    q.push_front(x);
                    model.push_front(x);
                }
                3 | 4 => assert_eq!(q.pop_front(), model.pop_front(), "step {step}"),
                5 => {
                    let k = (rand() % 4) as usize;
                    q.drop_front(k);
                    model.drain(..k.min(model.len()));
                }
                _ => {
                    if let (Some(a), Some(b)) = (q.front_mut(), model.front_mut()) {
                        *a += 1.0;
                        *b += 1.0;
                    }
                    if rand() % 50 == 0 {
                        q.clear();
                        model.clear();
                    }
                }
            }
            assert_eq!(q.len(), model.len(), "step {step}");
            assert_eq!(q.is_empty(), model.is_empty());
            assert_eq!(q.front(), model.front());
            assert!(q.iter().eq(model.iter()), "step {step}");
        }
    }
}
