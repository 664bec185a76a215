//! Word-level helpers shared by grouping and alignment: stop words, Snowball stems, event-word
//! synonym groups and a stable hash. Lexicons are data files (see their headers).

use rust_stemmers::{Algorithm, Stemmer};
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

static STOPWORDS: &str = include_str!("../../data/stories/stopwords.txt");
static EVENT_GROUPS: &str = include_str!("../../data/events.txt");

pub(crate) fn data_lines(data: &'static str) -> impl Iterator<Item = &'static str> {
    data.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

fn stopwords() -> &'static HashSet<&'static str> {
    static SET: OnceLock<HashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| data_lines(STOPWORDS).collect())
}

/// True for function words and generic news words (input must be lower case, `'` apostrophes).
pub fn is_stopword(lower: &str) -> bool {
    stopwords().contains(lower)
}

fn stemmer() -> &'static Stemmer {
    static S: OnceLock<Stemmer> = OnceLock::new();
    S.get_or_init(|| Stemmer::create(Algorithm::English))
}

/// Snowball English stem of a lower-case word.
pub fn stem(lower: &str) -> String {
    stemmer().stem(lower).into_owned()
}

/// Stem -> group name, for the event-word synonym groups.
fn event_map() -> &'static HashMap<String, String> {
    static MAP: OnceLock<HashMap<String, String>> = OnceLock::new();
    MAP.get_or_init(|| {
        let mut map = HashMap::new();
        for line in data_lines(EVENT_GROUPS) {
            // `group: word word ...`; the group name is itself a member.
            let line = line.trim_start_matches('*').replacen(':', " ", 1);
            let mut words = line.split_whitespace();
            let Some(head) = words.next() else { continue };
            let name = stem(head);
            map.entry(name.clone()).or_insert_with(|| name.clone());
            for w in words {
                // First group wins when a word is listed twice.
                map.entry(stem(w)).or_insert_with(|| name.clone());
            }
        }
        map
    })
}

/// The event group a stem belongs to, if any.
pub fn event_group(stem: &str) -> Option<&'static str> {
    event_map().get(stem).map(String::as_str)
}

/// Lower-cases a word and folds typographic apostrophes, dropping a trailing possessive.
pub fn normalize_word(w: &str) -> String {
    let mut s = crate::text::fold(w);
    if s.ends_with("'s") {
        s.truncate(s.len() - 2);
    }
    s
}

/// A content word worth indexing: not a stop word, at least two letters, not all digits.
pub fn is_content(lower: &str) -> bool {
    lower.chars().count() >= 2 && lower.chars().any(char::is_alphabetic) && !is_stopword(lower)
}

/// Lower-cases `w` into `buf` (reused, so the hot loop does not allocate), folding typographic
/// apostrophes and dropping a trailing possessive, exactly like [`normalize_word`].
pub fn normalize_into(w: &str, buf: &mut String) {
    buf.clear();
    if w.is_ascii() {
        buf.push_str(w);
        buf.make_ascii_lowercase();
    } else {
        for c in w.chars() {
            if crate::text::is_apostrophe(c) {
                buf.push('\'');
            } else {
                buf.extend(c.to_lowercase());
            }
        }
    }
    if buf.ends_with("'s") {
        buf.truncate(buf.len() - 2);
    }
}

/// A fast, deterministic hasher for maps keyed by short strings and ids (std's SipHash is
/// randomly keyed and several times slower on the per-word hot path).
#[derive(Debug, Clone, Copy, Default)]
pub struct FastHash;

#[derive(Debug, Clone, Copy)]
pub struct FastHasher(u64);

impl std::hash::BuildHasher for FastHash {
    type Hasher = FastHasher;
    fn build_hasher(&self) -> FastHasher {
        FastHasher(0xcbf2_9ce4_8422_2325)
    }
}

impl std::hash::Hasher for FastHasher {
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }
    fn write_u32(&mut self, n: u32) {
        self.0 = (self.0 ^ u64::from(n)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0 ^ n).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }
    fn finish(&self) -> u64 {
        mix64(self.0)
    }
}

/// FNV-1a: a stable 64-bit hash, so that feature ids and MinHash values never depend on the
/// process (std's `RandomState` would make results differ between runs).
pub fn hash64(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.as_bytes() {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    mix64(h)
}

/// SplitMix64 finaliser: spreads the bits of a hash (FNV alone is weak in its low bits).
pub fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stopwords_and_content() {
        assert!(is_stopword("the"));
        assert!(is_stopword("said"));
        assert!(!is_content("the"));
        assert!(!is_content("2019"));
        assert!(is_content("volcano"));
    }

    #[test]
    fn event_groups_match_inflections() {
        assert_eq!(event_group(&stem("freed")), event_group(&stem("released")));
        assert_eq!(
            event_group(&stem("detained")),
            event_group(&stem("arrested"))
        );
        assert!(event_group(&stem("arrested")).is_some());
        assert_ne!(event_group(&stem("freed")), event_group(&stem("arrested")));
        assert_eq!(event_group(&stem("banana")), None);
    }

    #[test]
    fn normalize_drops_possessive() {
        assert_eq!(normalize_word("Harbor’s"), "harbor");
        let mut buf = String::new();
        for w in ["Harbor’s", "Mayor", "ÉCOLE", "don't", "Kid's"] {
            normalize_into(w, &mut buf);
            assert_eq!(buf, normalize_word(w));
        }
        assert_eq!(normalize_word("Mayor"), "mayor");
    }

    #[test]
    fn hash_is_stable() {
        assert_eq!(hash64("abc"), hash64("abc"));
        assert_ne!(hash64("abc"), hash64("abd"));
    }
}
