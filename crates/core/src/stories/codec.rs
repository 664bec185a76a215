//! A small, versioned little-endian encoding for grouping records that live outside memory
//! (see [`super::paged`]). Hand-written rather than a serde format: the records are a few flat
//! fields and vectors of pairs, written for every article a store takes in, and a reader must
//! reject a truncated or foreign record instead of guessing.

#[derive(Default)]
pub(crate) struct Writer {
    buf: Vec<u8>,
}

impl Writer {
    pub(crate) fn u8(&mut self, x: u8) {
        self.buf.push(x);
    }
    pub(crate) fn u32(&mut self, x: u32) {
        self.buf.extend_from_slice(&x.to_le_bytes());
    }
    pub(crate) fn i32(&mut self, x: i32) {
        self.buf.extend_from_slice(&x.to_le_bytes());
    }
    pub(crate) fn u64(&mut self, x: u64) {
        self.buf.extend_from_slice(&x.to_le_bytes());
    }
    pub(crate) fn f32(&mut self, x: f32) {
        self.buf.extend_from_slice(&x.to_bits().to_le_bytes());
    }
    /// A string of at most `u16::MAX` bytes (ids), cut at a character boundary if longer.
    pub(crate) fn str(&mut self, s: &str) {
        let mut end = s.len().min(usize::from(u16::MAX));
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        self.buf.extend_from_slice(&(end as u16).to_le_bytes());
        self.buf.extend_from_slice(&s.as_bytes()[..end]);
    }
    /// An optional day.
    pub(crate) fn day(&mut self, d: Option<i32>) {
        match d {
            Some(d) => {
                self.u8(1);
                self.i32(d);
            }
            None => self.u8(0),
        }
    }
    pub(crate) fn into_bytes(self) -> Vec<u8> {
        self.buf
    }
}

/// Reads what [`Writer`] wrote; every method answers `None` past the end or on a bad value.
pub(crate) struct Reader<'a> {
    rest: &'a [u8],
}

impl<'a> Reader<'a> {
    pub(crate) fn new(bytes: &'a [u8]) -> Self {
        Reader { rest: bytes }
    }
    fn take<const N: usize>(&mut self) -> Option<[u8; N]> {
        let (head, tail) = self.rest.split_first_chunk::<N>()?;
        self.rest = tail;
        Some(*head)
    }
    pub(crate) fn u8(&mut self) -> Option<u8> {
        self.take::<1>().map(|b| b[0])
    }
    pub(crate) fn u32(&mut self) -> Option<u32> {
        self.take::<4>().map(u32::from_le_bytes)
    }
    pub(crate) fn i32(&mut self) -> Option<i32> {
        self.take::<4>().map(i32::from_le_bytes)
    }
    pub(crate) fn u64(&mut self) -> Option<u64> {
        self.take::<8>().map(u64::from_le_bytes)
    }
    pub(crate) fn f32(&mut self) -> Option<f32> {
        self.take::<4>()
            .map(|b| f32::from_bits(u32::from_le_bytes(b)))
    }
    pub(crate) fn str(&mut self) -> Option<String> {
        let n = usize::from(u16::from_le_bytes(self.take::<2>()?));
        let (s, tail) = (self.rest.get(..n)?, self.rest.get(n..)?);
        self.rest = tail;
        String::from_utf8(s.to_vec()).ok()
    }
    pub(crate) fn day(&mut self) -> Option<Option<i32>> {
        match self.u8()? {
            0 => Some(None),
            1 => self.i32().map(Some),
            _ => None,
        }
    }
    /// A count of items of `item_bytes` each, refused when the rest cannot hold them (so a
    /// corrupt count cannot make the caller reserve gigabytes).
    pub(crate) fn len(&mut self, item_bytes: usize) -> Option<usize> {
        let n = self.u32()? as usize;
        (n.checked_mul(item_bytes)? <= self.rest.len()).then_some(n)
    }
    /// True when everything was read.
    pub(crate) fn end(&self) -> bool {
        self.rest.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn round_trips_and_rejects_truncation() {
        let mut w = Writer::default();
        w.u8(7);
        w.str("s-0123456789ab");
        w.day(Some(-3));
        w.day(None);
        w.f32(0.25);
        w.u64(u64::MAX);
        let bytes = w.into_bytes();
        let mut r = Reader::new(&bytes);
        assert_eq!(r.u8(), Some(7));
        assert_eq!(r.str().as_deref(), Some("s-0123456789ab"));
        assert_eq!(r.day(), Some(Some(-3)));
        assert_eq!(r.day(), Some(None));
        assert_eq!(r.f32(), Some(0.25));
        assert_eq!(r.u64(), Some(u64::MAX));
        assert!(r.end());
        let mut short = Reader::new(&bytes[..bytes.len() - 1]);
        short.u8();
        short.str();
        short.day();
        short.day();
        short.f32();
        assert_eq!(short.u64(), None);
    }

    proptest! {
        #[test]
        fn reading_any_bytes_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
            let mut r = Reader::new(&bytes);
            let _ = r.len(8);
            let _ = r.str();
            let _ = r.day();
            let _ = r.u64();
        }
    }
}
