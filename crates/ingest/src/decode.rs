//! Bytes to text: BOM, declared charset (HTML meta / XML prolog), else statistical detection.
//!
//! UTF-8 with a few bad bytes (a truncated download, one corrupt byte) stays UTF-8: the bad
//! bytes become U+FFFD and the caller gets a [`Repair`] to report. A legacy code page is used
//! only for text that is not UTF-8 at all, since re-reading UTF-8 as one turns every curly
//! quote into mojibake ("Meloniâ€™").

use crate::error::ErrorKind;
use encoding_rs::Encoding;

/// Invalid byte sequences replaced while decoding text that is otherwise UTF-8.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Repair {
    pub invalid: usize,
}

/// Decodes raw bytes into a `String`. Rejects binary data (NUL bytes or many control bytes in
/// the first 8 KiB). `declared` is a charset named by the container (HTTP header, meta tag).
pub fn decode(bytes: &[u8], declared: Option<&str>) -> Result<String, ErrorKind> {
    decode_with_repair(bytes, declared).map(|(text, _)| text)
}

/// [`decode`], also saying how many invalid sequences of mostly-UTF-8 text were replaced.
pub fn decode_with_repair(
    bytes: &[u8],
    declared: Option<&str>,
) -> Result<(String, Option<Repair>), ErrorKind> {
    if bytes.is_empty() || bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(ErrorKind::Empty);
    }
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        let (text, _) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        let repair = (enc == encoding_rs::UTF_8)
            .then(|| utf8_shape(&bytes[bom_len..]).invalid)
            .filter(|&n| n > 0)
            .map(|invalid| Repair { invalid });
        return Ok((text.into_owned(), repair));
    }
    check_binary(bytes)?;
    let declared = declared
        .map(str::to_string)
        .or_else(|| sniff_meta_charset(bytes))
        .and_then(|label| Encoding::for_label(label.trim().as_bytes()));
    let shape = utf8_shape(bytes);
    if let Some(enc) = declared {
        // A page that declares a charset but is (mostly) UTF-8 is almost always UTF-8
        // mislabelled.
        if enc == encoding_rs::UTF_8 || shape.is_utf8() {
            return Ok(lossy(bytes, shape));
        }
        let (text, _, _) = enc.decode(bytes);
        return Ok((text.into_owned(), None));
    }
    if shape.invalid == 0 || shape.is_utf8() {
        return Ok(lossy(bytes, shape));
    }
    let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    det.feed(bytes, true);
    let enc = det.guess(None, chardetng::Utf8Detection::Allow);
    let (text, _, _) = enc.decode(bytes);
    Ok((text.into_owned(), None))
}

/// How much of a byte string is well-formed UTF-8.
#[derive(Debug, Clone, Copy)]
struct Utf8Shape {
    /// Well-formed multi-byte characters.
    multibyte: usize,
    /// Invalid (or truncated) sequences.
    invalid: usize,
}

impl Utf8Shape {
    /// UTF-8 with a few bad bytes: well-formed multi-byte characters outnumber the bad
    /// sequences. Text in a single-byte code page almost never forms a well-formed multi-byte
    /// sequence, so it has none (or a stray one) and many invalid bytes.
    fn is_utf8(&self) -> bool {
        self.multibyte > 0 && self.invalid <= self.multibyte
    }
}

fn utf8_shape(bytes: &[u8]) -> Utf8Shape {
    let mut shape = Utf8Shape {
        multibyte: 0,
        invalid: 0,
    };
    for chunk in bytes.utf8_chunks() {
        let valid = chunk.valid();
        if !valid.is_ascii() {
            shape.multibyte += valid.chars().filter(|c| !c.is_ascii()).count();
        }
        if !chunk.invalid().is_empty() {
            shape.invalid += 1;
        }
    }
    shape
}

fn lossy(bytes: &[u8], shape: Utf8Shape) -> (String, Option<Repair>) {
    let text = String::from_utf8_lossy(bytes).into_owned();
    let repair = (shape.invalid > 0).then_some(Repair {
        invalid: shape.invalid,
    });
    (text, repair)
}

fn check_binary(bytes: &[u8]) -> Result<(), ErrorKind> {
    let head = &bytes[..bytes.len().min(8192)];
    if head.contains(&0) {
        return Err(ErrorKind::Binary("contains NUL bytes".into()));
    }
    let control = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0c))
        .count();
    if control * 20 > head.len() {
        return Err(ErrorKind::Binary(format!(
            "{control} control bytes in the first {} bytes",
            head.len()
        )));
    }
    Ok(())
}

/// Finds `<meta charset=…>`, `content="…; charset=…"` or `<?xml … encoding="…"?>` in the
/// first 4 KiB.
fn sniff_meta_charset(bytes: &[u8]) -> Option<String> {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]).to_ascii_lowercase();
    for key in ["charset=", "encoding="] {
        let mut from = 0;
        while let Some(i) = head[from..].find(key) {
            let rest = &head[from + i + key.len()..];
            let rest = rest.trim_start_matches(['"', '\'', ' ']);
            let label: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':' | '.'))
                .collect();
            if !label.is_empty() {
                return Some(label);
            }
            from += i + key.len();
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_and_bom() {
        assert_eq!(decode("héllo".as_bytes(), None).unwrap(), "héllo");
        assert_eq!(decode(b"\xEF\xBB\xBFhi", None).unwrap(), "hi");
        assert_eq!(decode(b"\xFF\xFEh\x00i\x00", None).unwrap(), "hi");
    }

    #[test]
    fn latin1_by_meta_and_by_detection() {
        let page = b"<meta charset=\"iso-8859-1\"><p>caf\xE9</p>";
        assert!(decode(page, None).unwrap().contains("café"));
        let plain = b"Le caf\xE9 est pr\xE8s de la gare, o\xF9 il fait tr\xE8s beau aujourd'hui.";
        assert!(decode(plain, None).unwrap().contains("café"));
    }

    #[test]
    fn rejects_binary_and_empty() {
        assert!(matches!(
            decode(b"\x89PNG\r\n\x1a\n\x00\x00", None),
            Err(ErrorKind::Binary(_))
        ));
        assert_eq!(decode(b"  \n", None), Err(ErrorKind::Empty));
    }

    #[test]
    fn utf8_with_a_bad_byte_stays_utf8_and_says_so() {
        let mut bytes = "Meloni\u{2019}s \u{201c}plan\u{201d} was clear."
            .as_bytes()
            .to_vec();
        bytes.insert(3, 0xFF);
        bytes.extend_from_slice(&"\u{2019}".as_bytes()[..2]); // truncated at the end
        let (text, repair) = decode_with_repair(&bytes, None).unwrap();
        assert!(text.contains("i\u{2019}s \u{201c}plan\u{201d}"));
        assert_eq!(text.matches('\u{FFFD}').count(), 2);
        assert_eq!(repair, Some(Repair { invalid: 2 }));
        // The same with a mislabelled charset, and as JSON (declared UTF-8).
        let page = [b"<meta charset=\"iso-8859-1\">".as_slice(), &bytes].concat();
        let (text, repair) = decode_with_repair(&page, None).unwrap();
        assert!(text.contains("\u{201c}plan\u{201d}") && repair.is_some());
        assert!(decode_with_repair(&bytes, Some("utf-8"))
            .unwrap()
            .1
            .is_some());
    }

    #[test]
    fn legacy_text_is_still_detected() {
        // Windows-1252 curly quotes in otherwise ASCII text: not UTF-8 at all.
        let cp1252 = b"Meloni\x92s \x93plan\x94 was clear, and the court agreed with it.";
        let (text, repair) = decode_with_repair(cp1252, None).unwrap();
        assert!(text.contains("Meloni\u{2019}s \u{201c}plan\u{201d}"));
        assert_eq!(repair, None);
        assert_eq!(decode_with_repair(b"plain ascii", None).unwrap().1, None);
    }

    proptest::proptest! {
        #[test]
        fn never_panics(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..2000)) {
            let _ = decode(&bytes, None);
        }
    }
}
