//! BERT's uncased WordPiece tokenizer, as `tokenizer.json` of all-MiniLM-L6-v2 describes it
//! (BertNormalizer with lowercase and accent stripping, BertPreTokenizer, WordPiece with `##`
//! continuations, `[CLS] … [SEP]`, truncation to 128 tokens).
//!
//! Written here instead of depending on the `tokenizers` crate: the model needs only this one
//! algorithm, and `tokenizers` brings regex engines, rayon and C code (onig) into the build for
//! it. The vocabulary is read from the pinned `tokenizer.json` itself, so ids always match the
//! weights; a test compares ids with the reference tokenizer's on sample sentences.

use std::collections::HashMap;
use thiserror::Error;
use unicode_normalization::UnicodeNormalization;

/// `tokenizer.json` could not be used.
#[derive(Debug, Error)]
pub enum TokenizerError {
    #[error("tokenizer.json is not JSON: {0}")]
    Json(#[from] serde_json::Error),
    #[error("tokenizer.json has no {0}")]
    Missing(&'static str),
}

/// Longest sequence the model is given, special tokens included (the tokenizer's own
/// truncation setting).
pub const MAX_TOKENS: usize = 128;
/// Words longer than this many characters become `[UNK]` (the WordPiece model's setting).
const MAX_WORD_CHARS: usize = 100;

#[derive(Debug, Clone)]
pub struct WordPiece {
    vocab: HashMap<String, i64>,
    /// The piece of each id (the vocabulary read backwards), for token-level output.
    pieces: HashMap<i64, String>,
    unk: i64,
    cls: i64,
    sep: i64,
}

impl WordPiece {
    /// Reads the vocabulary and special tokens of a HuggingFace `tokenizer.json`.
    pub fn from_tokenizer_json(text: &str) -> Result<Self, TokenizerError> {
        let v: serde_json::Value = serde_json::from_str(text)?;
        let map = v
            .get("model")
            .and_then(|m| m.get("vocab"))
            .and_then(|m| m.as_object())
            .ok_or(TokenizerError::Missing("model.vocab"))?;
        let vocab: HashMap<String, i64> = map
            .iter()
            .filter_map(|(k, id)| id.as_i64().map(|id| (k.clone(), id)))
            .collect();
        let id = |t: &'static str| vocab.get(t).copied().ok_or(TokenizerError::Missing(t));
        Ok(WordPiece {
            unk: id("[UNK]")?,
            cls: id("[CLS]")?,
            sep: id("[SEP]")?,
            pieces: vocab.iter().map(|(k, &v)| (v, k.clone())).collect(),
            vocab,
        })
    }

    /// The word piece of a token id; `None` for `[CLS]`, `[SEP]` and ids outside the
    /// vocabulary.
    pub fn piece(&self, id: i64) -> Option<&str> {
        if id == self.cls || id == self.sep {
            return None;
        }
        self.pieces.get(&id).map(String::as_str)
    }

    /// Token ids of one text: `[CLS]`, word pieces (at most `MAX_TOKENS - 2`), `[SEP]`.
    pub fn encode(&self, text: &str) -> Vec<i64> {
        let mut ids = vec![self.cls];
        'words: for word in pre_tokenize(&normalize(text)) {
            for id in self.word_ids(&word) {
                if ids.len() >= MAX_TOKENS - 1 {
                    break 'words;
                }
                ids.push(id);
            }
        }
        ids.push(self.sep);
        ids
    }

    /// Greedy longest-match-first pieces of one word; the whole word is `[UNK]` when some
    /// part of it matches nothing.
    fn word_ids(&self, word: &str) -> Vec<i64> {
        let chars: Vec<(usize, char)> = word.char_indices().collect();
        if chars.len() > MAX_WORD_CHARS {
            return vec![self.unk];
        }
        let mut out = Vec::new();
        let mut start = 0;
        let mut piece = String::new();
        while start < chars.len() {
            let mut end = chars.len();
            let mut found = None;
            while start < end {
                let (a, b) = (chars[start].0, chars.get(end).map_or(word.len(), |c| c.0));
                piece.clear();
                if start > 0 {
                    piece.push_str("##");
                }
                piece.push_str(&word[a..b]);
                if let Some(&id) = self.vocab.get(&piece) {
                    found = Some(id);
                    break;
                }
                end -= 1;
            }
            match found {
                Some(id) => out.push(id),
                None => return vec![self.unk],
            }
            start = end;
        }
        out
    }
}

/// BertNormalizer: drop control characters, whitespace to spaces, spaces around CJK
/// ideographs, lower case, accents stripped (NFD without combining marks).
fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c == '\0' || c == '\u{fffd}' || (is_control(c) && !c.is_whitespace()) {
            continue;
        }
        if c.is_whitespace() {
            out.push(' ');
        } else if is_cjk(c) {
            out.push(' ');
            out.push(c);
            out.push(' ');
        } else {
            out.extend(c.to_lowercase());
        }
    }
    out.nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .collect()
}

/// BertPreTokenizer: split on whitespace, and every punctuation character is a word of its own.
fn pre_tokenize(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for chunk in text.split_whitespace() {
        let mut cur = String::new();
        for c in chunk.chars() {
            if is_punctuation(c) {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
                out.push(c.to_string());
            } else {
                cur.push(c);
            }
        }
        if !cur.is_empty() {
            out.push(cur);
        }
    }
    out
}

fn is_control(c: char) -> bool {
    c.is_control() || matches!(c, '\u{200b}'..='\u{200f}' | '\u{2028}'..='\u{202e}' | '\u{feff}')
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x4E00..=0x9FFF | 0x3400..=0x4DBF | 0x20000..=0x2A6DF | 0x2A700..=0x2B73F
        | 0x2B740..=0x2B81F | 0x2B820..=0x2CEAF | 0xF900..=0xFAFF | 0x2F800..=0x2FA1F)
}

/// ASCII symbols count as punctuation (as in BERT), plus the Unicode punctuation blocks news
/// text uses: general punctuation (dashes, curly quotes, ellipsis), Latin-1 marks, CJK marks.
fn is_punctuation(c: char) -> bool {
    c.is_ascii_punctuation()
        || matches!(c as u32,
            0x00A1 | 0x00A7 | 0x00AB | 0x00B6 | 0x00B7 | 0x00BB | 0x00BF
            | 0x2010..=0x2027 | 0x2030..=0x205E | 0x3001..=0x3003 | 0x3008..=0x3011
            | 0x3014..=0x301F | 0xFF01..=0xFF03 | 0xFF05..=0xFF0A | 0xFF0C..=0xFF0F
            | 0xFF1A | 0xFF1B | 0xFF1F | 0xFF20 | 0xFF3B..=0xFF3D | 0xFF3F | 0xFF5B | 0xFF5D)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toy() -> WordPiece {
        let json = r###"{"model": {"vocab": {"[PAD]": 0, "[UNK]": 1, "[CLS]": 2, "[SEP]": 3,
            "the": 4, "court": 5, "refused": 6, "un": 7, "##able": 8, ",": 9, ".": 10, "cafe": 11,
            "\"": 12}}}"###;
        WordPiece::from_tokenizer_json(json).expect("toy vocabulary")
    }

    #[test]
    fn pieces_punctuation_case_and_accents() {
        let t = toy();
        assert_eq!(
            t.encode("The Court, unable."),
            vec![2, 4, 5, 9, 7, 8, 10, 3]
        );
        assert_eq!(t.encode("CAFÉ \"refused\""), vec![2, 11, 12, 6, 12, 3]);
        assert_eq!(t.encode("zebra"), vec![2, 1, 3]);
        assert_eq!(t.encode(""), vec![2, 3]);
    }

    #[test]
    fn long_input_is_truncated() {
        let t = toy();
        let ids = t.encode(&"the ".repeat(1000));
        assert_eq!(ids.len(), MAX_TOKENS);
        assert_eq!(ids.last(), Some(&3));
    }

    #[test]
    fn bad_files_are_errors() {
        assert!(WordPiece::from_tokenizer_json("not json").is_err());
        assert!(WordPiece::from_tokenizer_json("{\"model\": {}}").is_err());
        assert!(WordPiece::from_tokenizer_json("{\"model\": {\"vocab\": {\"a\": 1}}}").is_err());
    }

    proptest::proptest! {
        #[test]
        fn any_text_encodes_within_bounds(s in "\\PC{0,400}") {
            let ids = toy().encode(&s);
            proptest::prop_assert!(ids.len() >= 2 && ids.len() <= MAX_TOKENS);
        }
    }
}
