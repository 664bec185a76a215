//! Bytes to text: BOM, declared charset (HTML meta / XML prolog), else statistical detection.

use crate::error::ErrorKind;
use encoding_rs::Encoding;

/// Decodes raw bytes into a `String`. Rejects binary data (NUL bytes or many control bytes in
/// the first 8 KiB). `declared` is a charset named by the container (HTTP header, meta tag).
pub fn decode(bytes: &[u8], declared: Option<&str>) -> Result<String, ErrorKind> {
    if bytes.is_empty() || bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(ErrorKind::Empty);
    }
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        let (text, _) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        return Ok(text.into_owned());
    }
    check_binary(bytes)?;
    let declared = declared
        .map(str::to_string)
        .or_else(|| sniff_meta_charset(bytes))
        .and_then(|label| Encoding::for_label(label.trim().as_bytes()));
    if let Some(enc) = declared {
        // A page that declares a charset but is valid UTF-8 is almost always UTF-8 mislabelled.
        if enc != encoding_rs::UTF_8 {
            if let Ok(s) = std::str::from_utf8(bytes) {
                if !s.is_ascii() {
                    return Ok(s.to_string());
                }
            }
        }
        let (text, _, _) = enc.decode(bytes);
        return Ok(text.into_owned());
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok(s.to_string());
    }
    let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    det.feed(bytes, true);
    let enc = det.guess(None, chardetng::Utf8Detection::Allow);
    let (text, _, _) = enc.decode(bytes);
    Ok(text.into_owned())
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

    proptest::proptest! {
        #[test]
        fn never_panics(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..2000)) {
            let _ = decode(&bytes, None);
        }
    }
}
