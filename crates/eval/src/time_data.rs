//! Readers for the time-expression benchmark formats: MEANTIME (NewsReader CAT XML) and
//! TempEval-3 TimeML (`.tml`, inline TIMEX3 in a TEXT element).
//!
//! Both give a [`TimeDoc`]: the text the system sees, its sentences, the document creation time
//! (given to the system as its reference date, never scored), the gold TIMEX3 spans, and the
//! region that was annotated.

use crate::EvalError;
use std::path::Path;

/// One gold TIMEX3: byte span in [`TimeDoc::text`], type and value as annotated.
#[derive(Debug, Clone, PartialEq)]
pub struct GoldTimex {
    pub start: usize,
    pub end: usize,
    pub ty: String,
    pub value: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TimeDoc {
    pub id: String,
    pub text: String,
    /// Sentence byte spans, in order.
    pub sentences: Vec<(usize, usize)>,
    /// Document creation time (`YYYY-MM-DD...`), the reference date given to the system.
    pub dct: Option<String>,
    pub gold: Vec<GoldTimex>,
    /// Predictions starting at or after this byte offset are outside the annotated region.
    pub region_end: usize,
    /// Spans of the creation-time expression in the text (a dateline): not scored.
    pub excluded: Vec<(usize, usize)>,
}

fn read(path: &Path) -> Result<String, EvalError> {
    crate::read::text(path)
}

fn parse_xml<'a>(path: &Path, s: &'a str) -> Result<roxmltree::Document<'a>, EvalError> {
    let opts = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..Default::default()
    };
    roxmltree::Document::parse_with_options(s, opts).map_err(|e| EvalError::data(path, e))
}

/// Creation times are ISO dates, a few written day-first (`03-02-2009`): rewritten to ISO.
fn normalise_date(v: &str) -> String {
    let b = v.as_bytes();
    if v.len() == 10 && b[2] == b'-' && b[5] == b'-' && v.is_ascii() {
        return format!("{}-{}-{}", &v[6..10], &v[3..5], &v[0..2]);
    }
    v.to_string()
}

fn doc_id(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// MEANTIME CAT XML: the text is the tokens joined by single spaces; the annotated region is the
/// sentences up to the last one a TIMEX3 touches (at least sentences 0-5).
pub fn read_meantime(path: &Path) -> Result<TimeDoc, EvalError> {
    let src = read(path)?;
    parse_meantime(path, &src)
}

pub fn parse_meantime(path: &Path, src: &str) -> Result<TimeDoc, EvalError> {
    let xml = parse_xml(path, src)?;
    let mut text = String::new();
    // t_id -> (start, end, sentence)
    let mut toks: std::collections::HashMap<&str, (usize, usize, usize)> = Default::default();
    let mut sentences: Vec<(usize, usize)> = Vec::new();
    let mut sent_no: Vec<usize> = Vec::new();
    for t in xml.descendants().filter(|n| n.has_tag_name("token")) {
        let (Some(id), Some(sent)) = (t.attribute("t_id"), t.attribute("sentence")) else {
            continue;
        };
        let sent: usize = sent.parse().map_err(|e| EvalError::data(path, e))?;
        let word = t.text().unwrap_or("").trim();
        if !text.is_empty() {
            text.push(' ');
        }
        let start = text.len();
        text.push_str(word);
        let end = text.len();
        toks.insert(id, (start, end, sent));
        match sent_no.last() {
            Some(&s) if s == sent => {
                if let Some(last) = sentences.last_mut() {
                    last.1 = end;
                }
            }
            _ => {
                sentences.push((start, end));
                sent_no.push(sent);
            }
        }
    }
    if toks.is_empty() {
        return Err(EvalError::data(path, "no tokens"));
    }
    let markables = xml.descendants().find(|n| n.has_tag_name("Markables"));
    let mut max_sent = 5usize;
    let mut gold = Vec::new();
    let mut excluded = Vec::new();
    let mut dct = None;
    if let Some(mk) = markables {
        // Entity and event mentions of the cross-document layer reach further; the TIMEX3
        // layer covers the first six sentences (one document: seven).
        for a in mk
            .children()
            .filter(|n| n.has_tag_name("TIMEX3"))
            .flat_map(|n| n.children())
            .filter(|n| n.has_tag_name("token_anchor"))
        {
            if let Some(&(_, _, s)) = a.attribute("t_id").and_then(|id| toks.get(id)) {
                max_sent = max_sent.max(s);
            }
        }
        for tx in mk.children().filter(|n| n.has_tag_name("TIMEX3")) {
            let spans: Vec<(usize, usize, usize)> = tx
                .children()
                .filter(|n| n.has_tag_name("token_anchor"))
                .filter_map(|a| a.attribute("t_id").and_then(|id| toks.get(id)).copied())
                .collect();
            let ct = tx.attribute("functionInDocument") == Some("CREATION_TIME");
            if ct {
                dct = tx.attribute("value").map(normalise_date);
            }
            let (Some(start), Some(end)) = (
                spans.iter().map(|s| s.0).min(),
                spans.iter().map(|s| s.1).max(),
            ) else {
                continue; // an empty (implicit) TIMEX3 has no extent to find
            };
            if ct {
                excluded.push((start, end));
                continue;
            }
            gold.push(GoldTimex {
                start,
                end,
                ty: tx.attribute("type").unwrap_or("").to_string(),
                value: tx.attribute("value").unwrap_or("").to_string(),
            });
        }
    }
    let region_end = sentences
        .iter()
        .zip(&sent_no)
        .filter(|(_, &n)| n <= max_sent)
        .map(|(s, _)| s.1)
        .max()
        .unwrap_or(text.len());
    gold.sort_by_key(|g| (g.start, g.end));
    Ok(TimeDoc {
        id: doc_id(path),
        text,
        sentences,
        dct,
        gold,
        region_end,
        excluded,
    })
}

/// TempEval-3 TimeML: the TEXT element's character content is the text; TIMEX3 inside it are
/// the gold; the TIMEX3 with `functionInDocument="CREATION_TIME"` (usually in DCT) is the
/// reference date. The whole TEXT is scored; sentences come from the Parallax segmenter.
pub fn read_tml(path: &Path) -> Result<TimeDoc, EvalError> {
    let src = read(path)?;
    parse_tml(path, &src)
}

pub fn parse_tml(path: &Path, src: &str) -> Result<TimeDoc, EvalError> {
    let xml = parse_xml(path, src)?;
    let dct = xml
        .descendants()
        .find(|n| {
            n.has_tag_name("TIMEX3") && n.attribute("functionInDocument") == Some("CREATION_TIME")
        })
        .and_then(|n| n.attribute("value"))
        .map(str::to_string);
    let body = xml
        .descendants()
        .find(|n| n.has_tag_name("TEXT"))
        .ok_or_else(|| EvalError::data(path, "no TEXT element"))?;
    let mut text = String::new();
    let mut gold = Vec::new();
    let mut excluded = Vec::new();
    collect_text(body, &mut text, &mut gold, &mut excluded);
    let sentences = parallax_core::segment::split(&text, 0, text.len());
    gold.sort_by_key(|g: &GoldTimex| (g.start, g.end));
    Ok(TimeDoc {
        id: doc_id(path),
        region_end: text.len(),
        text,
        sentences,
        dct,
        gold,
        excluded,
    })
}

fn collect_text(
    node: roxmltree::Node<'_, '_>,
    text: &mut String,
    gold: &mut Vec<GoldTimex>,
    excluded: &mut Vec<(usize, usize)>,
) {
    for c in node.children() {
        if c.is_text() {
            text.push_str(c.text().unwrap_or(""));
        } else if c.is_element() {
            let start = text.len();
            collect_text(c, text, gold, excluded);
            let end = text.len();
            if c.has_tag_name("TIMEX3") && end > start {
                // Trim white space inside the tag from the extent.
                let inner = &text[start..end];
                let s = start + (inner.len() - inner.trim_start().len());
                let e = end - (inner.len() - inner.trim_end().len());
                if e <= s {
                    continue;
                }
                if c.attribute("functionInDocument") == Some("CREATION_TIME") {
                    excluded.push((s, e));
                } else {
                    gold.push(GoldTimex {
                        start: s,
                        end: e,
                        ty: c.attribute("type").unwrap_or("").to_string(),
                        value: c.attribute("value").unwrap_or("").to_string(),
                    });
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn readers_never_panic(s in "\\PC{0,300}") {
            let _ = parse_tml(Path::new("x.tml"), &s);
            let _ = parse_meantime(Path::new("x.xml"), &s);
        }

        #[test]
        fn tml_with_arbitrary_text_and_values(text in "[^<&]{0,80}", value in "[^<&\"]{0,12}") {
            let src = format!(
                "<TimeML><DCT><TIMEX3 tid=\"t0\" type=\"DATE\" value=\"2020-01-01\" functionInDocument=\"CREATION_TIME\">x</TIMEX3></DCT><TEXT>{text} <TIMEX3 tid=\"t1\" type=\"DATE\" value=\"{value}\">today</TIMEX3></TEXT></TimeML>"
            );
            let _ = parse_tml(Path::new("x.tml"), &src);
        }
    }

    const TML: &str = include_str!("../tests/fixtures/time/tiny.tml");

    #[test]
    fn reads_tml_fixture() {
        let d = parse_tml(Path::new("tiny.tml"), TML).expect("fixture parses");
        assert_eq!(d.dct.as_deref(), Some("2021-03-05"));
        assert_eq!(d.gold.len(), 3);
        assert_eq!(&d.text[d.gold[0].start..d.gold[0].end], "Tuesday");
        assert_eq!(d.gold[0].value, "2021-03-02");
        assert!(d.excluded.is_empty());
    }

    #[test]
    fn reads_meantime_tokens() {
        let xml = r#"<Document doc_id="1"><token t_id="1" sentence="0" number="0">Storm</token>
<token t_id="2" sentence="1" number="1">May</token><token t_id="3" sentence="1" number="2">3</token>
<token t_id="4" sentence="2" number="3">It</token><token t_id="5" sentence="2" number="4">hit</token>
<token t_id="6" sentence="2" number="5">Monday</token>
<Markables><TIMEX3 m_id="1" functionInDocument="CREATION_TIME" type="DATE" value="2010-05-03">
<token_anchor t_id="2"/><token_anchor t_id="3"/></TIMEX3>
<TIMEX3 m_id="2" functionInDocument="NONE" type="DATE" value="2010-05-03"><token_anchor t_id="6"/></TIMEX3>
<TIMEX3 m_id="3" functionInDocument="NONE" type="DATE" value="2010"></TIMEX3>
</Markables></Document>"#;
        let d = parse_meantime(Path::new("x.xml"), xml).expect("parses");
        assert_eq!(d.text, "Storm May 3 It hit Monday");
        assert_eq!(d.sentences.len(), 3);
        assert_eq!(d.dct.as_deref(), Some("2010-05-03"));
        assert_eq!(d.gold.len(), 1);
        assert_eq!(&d.text[d.gold[0].start..d.gold[0].end], "Monday");
        assert_eq!(d.excluded, vec![(6, 11)]);
    }

    #[test]
    fn bad_xml_is_an_error() {
        assert!(parse_tml(Path::new("x"), "<TimeML><TEXT>").is_err());
        assert!(parse_meantime(Path::new("x"), "<Document></Document>").is_err());
    }
}
