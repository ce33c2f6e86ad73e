//! A slab of live entries addressed by generational tokens: a token names one entry for its
//! whole life and never a later entry that reuses the slot, so a late reply or a stale timer
//! finds nothing instead of the wrong request. O(1) insert, lookup and removal; freed slots
//! are reused, so memory follows the most entries alive at once.

/// A slot number in the low 32 bits, its generation in the high 32 (never 0).
pub type Token = u64;

/// Entries of one type.
#[derive(Clone, Debug)]
pub struct Slab<T> {
    slots: Vec<(u32, Option<T>)>,
    free: Vec<u32>,
    live: usize,
}

impl<T> Default for Slab<T> {
    fn default() -> Self {
        Slab {
            slots: Vec::new(),
            free: Vec::new(),
            live: 0,
        }
    }
}

impl<T> Slab<T> {
    /// Store an entry; its token.
    pub fn insert(&mut self, t: T) -> Token {
        self.live += 1;
        if let Some(i) = self.free.pop() {
            if let Some(slot) = self.slots.get_mut(i as usize) {
                slot.0 = slot.0.wrapping_add(1).max(1);
                slot.1 = Some(t);
                return (slot.0 as u64) << 32 | i as u64;
            }
        }
        let i = self.slots.len() as u32;
        self.slots.push((1, Some(t)));
        1u64 << 32 | i as u64
    }

    fn slot(&self, tok: Token) -> Option<&(u32, Option<T>)> {
        self.slots
            .get((tok & 0xFFFF_FFFF) as usize)
            .filter(|s| s.0 as u64 == tok >> 32)
    }

    /// The entry a token names, if it is still alive.
    pub fn get(&self, tok: Token) -> Option<&T> {
        self.slot(tok).and_then(|s| s.1.as_ref())
    }

    /// Mutable access to a live entry.
    pub fn get_mut(&mut self, tok: Token) -> Option<&mut T> {
        self.slots
            .get_mut((tok & 0xFFFF_FFFF) as usize)
            .filter(|s| s.0 as u64 == tok >> 32)
            .and_then(|s| s.1.as_mut())
    }

    /// Take a live entry out; its slot is reused later under a new generation.
    pub fn remove(&mut self, tok: Token) -> Option<T> {
        let i = (tok & 0xFFFF_FFFF) as u32;
        let slot = self
            .slots
            .get_mut(i as usize)
            .filter(|s| s.0 as u64 == tok >> 32)?;
        let t = slot.1.take()?;
        self.free.push(i);
        self.live -= 1;
        Some(t)
    }

    /// Entries alive.
    pub fn len(&self) -> usize {
        self.live
    }

    /// No entry alive.
    pub fn is_empty(&self) -> bool {
        self.live == 0
    }

    /// Tokens of the live entries for which `keep` is false, in slot order (crash clean-up).
    pub fn tokens_where(&self, mut pick: impl FnMut(&T) -> bool) -> Vec<Token> {
        self.slots
            .iter()
            .enumerate()
            .filter_map(|(i, (g, t))| match t {
                Some(t) if pick(t) => Some((*g as u64) << 32 | i as u64),
                _ => None,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stale_tokens_find_nothing() {
        let mut s = Slab::default();
        let a = s.insert("a");
        assert_eq!(s.get(a), Some(&"a"));
        assert_eq!(s.remove(a), Some("a"));
        let b = s.insert("b");
        assert_ne!(a, b);
        assert_eq!(s.get(a), None);
        assert_eq!(s.remove(a), None);
        assert_eq!(s.get(b), Some(&"b"));
        assert_eq!(s.len(), 1);
        assert_eq!(s.tokens_where(|x| *x == "b"), vec![b]);
        assert_eq!(s.get(0), None);
    }
}
