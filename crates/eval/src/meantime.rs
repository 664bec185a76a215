//! Reader for MEANTIME (NewsReader CAT XML): tokens, entity mentions with their type and
//! cross-document instance, entity instances, and TIMEX3 markables. Shared by the entity and
//! time evaluations; it knows the format only, no scoring.
//!
//! Format notes: an `ENTITY_MENTION`'s tokens are its `token_anchor t_id`s; its entity is the
//! `target` of the `REFERS_TO` relation that lists it as a `source`, an `ENTITY` element whose
//! `ent_type` (PER, ORG, LOC, PRO, FIN, MIX) and `instance_id` (cross-document id; absent for
//! entities annotated in one document only) apply to the mention.

use crate::EvalError;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    pub t_id: String,
    pub sentence: usize,
    pub number: usize,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EntityMention {
    pub m_id: String,
    /// `NAM`, `NOM`, `PRO`, `PRE.NAM`, ..., empty, or `None` when the attribute is absent
    /// (corpus-level mentions added outside the annotated sentences).
    pub syntactic_type: Option<String>,
    pub tokens: Vec<String>,
    /// `ent_type` of the entity the mention refers to, if any.
    pub ent_type: Option<String>,
    /// Cross-document instance id of that entity, if any.
    pub instance_id: Option<String>,
    /// The `m_id` of the `ENTITY` element it refers to, if any.
    pub entity_m_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EntityInstance {
    pub m_id: String,
    pub instance_id: Option<String>,
    pub ent_type: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Timex {
    pub m_id: String,
    pub ty: String,
    pub value: String,
    pub function_in_document: String,
    pub tokens: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct MeantimeDoc {
    pub path: PathBuf,
    pub doc_id: String,
    pub doc_name: String,
    pub tokens: Vec<Token>,
    pub mentions: Vec<EntityMention>,
    pub entities: Vec<EntityInstance>,
    pub timexes: Vec<Timex>,
}

impl MeantimeDoc {
    /// Token index by `t_id`.
    pub fn token_index(&self) -> HashMap<&str, usize> {
        self.tokens
            .iter()
            .enumerate()
            .map(|(i, t)| (t.t_id.as_str(), i))
            .collect()
    }
}

fn anchors(n: roxmltree::Node) -> Vec<String> {
    n.children()
        .filter(|c| c.has_tag_name("token_anchor"))
        .filter_map(|c| c.attribute("t_id").map(str::to_string))
        .collect()
}

/// Parses one MEANTIME document; `Ok(None)` when the XML is not a MEANTIME `Document`.
pub fn parse(path: &Path, xml: &str) -> Result<Option<MeantimeDoc>, EvalError> {
    let tree = roxmltree::Document::parse(xml).map_err(|e| EvalError::data(path, e))?;
    let root = tree.root_element();
    if !root.has_tag_name("Document") {
        return Ok(None);
    }
    let num = |n: roxmltree::Node, a: &str| -> Result<usize, EvalError> {
        n.attribute(a)
            .unwrap_or("")
            .parse()
            .map_err(|_| EvalError::data(path, format!("token without a numeric `{a}`")))
    };
    let mut tokens = Vec::new();
    let mut mentions = Vec::new();
    let mut entities = Vec::new();
    let mut timexes = Vec::new();
    let mut refers: HashMap<String, String> = HashMap::new();
    for n in root.descendants().filter(|n| n.is_element()) {
        match n.tag_name().name() {
            "token" => tokens.push(Token {
                t_id: n.attribute("t_id").unwrap_or("").to_string(),
                sentence: num(n, "sentence")?,
                number: num(n, "number")?,
                text: n.text().unwrap_or("").to_string(),
            }),
            "ENTITY_MENTION" => {
                let toks = anchors(n);
                if toks.is_empty() {
                    continue;
                }
                mentions.push(EntityMention {
                    m_id: n.attribute("m_id").unwrap_or("").to_string(),
                    syntactic_type: n.attribute("syntactic_type").map(str::to_string),
                    tokens: toks,
                    ent_type: None,
                    instance_id: None,
                    entity_m_id: None,
                });
            }
            "ENTITY" => entities.push(EntityInstance {
                m_id: n.attribute("m_id").unwrap_or("").to_string(),
                instance_id: n.attribute("instance_id").map(str::to_string),
                ent_type: n.attribute("ent_type").unwrap_or("").to_string(),
            }),
            "TIMEX3" => timexes.push(Timex {
                m_id: n.attribute("m_id").unwrap_or("").to_string(),
                ty: n.attribute("type").unwrap_or("").to_string(),
                value: n.attribute("value").unwrap_or("").to_string(),
                function_in_document: n.attribute("functionInDocument").unwrap_or("").to_string(),
                tokens: anchors(n),
            }),
            "REFERS_TO" => {
                let target = n
                    .children()
                    .find(|c| c.has_tag_name("target"))
                    .and_then(|c| c.attribute("m_id"));
                if let Some(t) = target {
                    for s in n.children().filter(|c| c.has_tag_name("source")) {
                        if let Some(sid) = s.attribute("m_id") {
                            refers.insert(sid.to_string(), t.to_string());
                        }
                    }
                }
            }
            _ => {}
        }
    }
    let by_id: HashMap<&str, &EntityInstance> =
        entities.iter().map(|e| (e.m_id.as_str(), e)).collect();
    for m in &mut mentions {
        if let Some(t) = refers.get(&m.m_id) {
            if let Some(e) = by_id.get(t.as_str()) {
                m.ent_type = Some(e.ent_type.clone());
                m.instance_id = e.instance_id.clone();
                m.entity_m_id = Some(e.m_id.clone());
            }
        }
    }
    Ok(Some(MeantimeDoc {
        path: path.to_path_buf(),
        doc_id: root.attribute("doc_id").unwrap_or("").to_string(),
        doc_name: root.attribute("doc_name").unwrap_or("").to_string(),
        tokens,
        mentions,
        entities,
        timexes,
    }))
}

/// Reads every MEANTIME document under `dir`.
pub fn read_dir(dir: &Path) -> Result<Vec<MeantimeDoc>, EvalError> {
    let mut out = Vec::new();
    for p in crate::files_under(dir, &["xml"])? {
        let xml = crate::read::text(&p)?;
        if let Some(d) = parse(&p, &xml)? {
            out.push(d);
        }
    }
    Ok(out)
}

/// Text rebuilt from tokens: one string per sentence, tokens joined by spaces except before
/// closing punctuation and clitics (",", ".", ")", "'s") and after "(" or "$", so the text reads
/// like news copy; `` and '' become straight quotes. Returns the sentences and, per token,
/// its (sentence index in the returned list, byte start, byte end) within that sentence.
pub fn rebuild_sentences(doc: &MeantimeDoc) -> (Vec<String>, Vec<(usize, usize, usize)>) {
    let mut sents: Vec<String> = Vec::new();
    let mut spans = Vec::with_capacity(doc.tokens.len());
    let mut cur_sentence = None;
    let mut prev_text = String::new();
    for t in &doc.tokens {
        if cur_sentence != Some(t.sentence) {
            sents.push(String::new());
            cur_sentence = Some(t.sentence);
            prev_text.clear();
        }
        let idx = sents.len() - 1;
        let s = &mut sents[idx];
        let text = match t.text.as_str() {
            "``" | "''" => "\"",
            x => x,
        };
        let no_space_before = matches!(
            text,
            "," | "."
                | ")"
                | "]"
                | ";"
                | ":"
                | "?"
                | "!"
                | "%"
                | "'s"
                | "'"
                | "n't"
                | "'re"
                | "'ve"
                | "'ll"
                | "'d"
                | "'m"
                | "’s"
        );
        let no_space_after_prev = matches!(prev_text.as_str(), "(" | "[" | "$" | "£" | "€");
        if !s.is_empty() && !no_space_before && !no_space_after_prev {
            s.push(' ');
        }
        let start = s.len();
        s.push_str(text);
        spans.push((idx, start, s.len()));
        prev_text = text.to_string();
    }
    (sents, spans)
}

#[cfg(test)]
mod tests {
    use super::*;

    const XML: &str = r#"<?xml version="1.0" ?><Document doc_id="1" doc_name="x">
<token number="0" sentence="0" t_id="1">Zed</token>
<token number="1" sentence="0" t_id="2">Corp</token>
<token number="2" sentence="0" t_id="3">'s</token>
<token number="3" sentence="0" t_id="4">boss</token>
<token number="4" sentence="1" t_id="5">Monday</token>
<Markables>
<ENTITY_MENTION m_id="10" syntactic_type="NAM"><token_anchor t_id="1"/><token_anchor t_id="2"/></ENTITY_MENTION>
<ENTITY_MENTION m_id="11"/>
<TIMEX3 m_id="12" type="DATE" value="2009-05-11" functionInDocument="NONE"><token_anchor t_id="5"/></TIMEX3>
<ENTITY m_id="20" ent_type="ORG" instance_id="ORG1"/>
</Markables>
<Relations><REFERS_TO r_id="1"><source m_id="10"/><target m_id="20"/></REFERS_TO></Relations>
</Document>"#;

    #[test]
    fn parses_mentions_types_and_timex() {
        let d = parse(Path::new("x.xml"), XML).unwrap().unwrap();
        assert_eq!(d.tokens.len(), 5);
        assert_eq!(d.mentions.len(), 1, "a mention without tokens is skipped");
        assert_eq!(d.mentions[0].ent_type.as_deref(), Some("ORG"));
        assert_eq!(d.mentions[0].instance_id.as_deref(), Some("ORG1"));
        assert_eq!(d.timexes[0].value, "2009-05-11");
        let (s, spans) = rebuild_sentences(&d);
        assert_eq!(s, ["Zed Corp's boss", "Monday"]);
        assert_eq!(spans[1], (0, 4, 8));
    }

    proptest::proptest! {
        #[test]
        fn arbitrary_input_never_panics(s in "\\PC{0,300}", toks in proptest::collection::vec("[A-Za-z'`.,$()]{1,6}", 0..40)) {
            let _ = parse(Path::new("x.xml"), &s);
            // a well-formed document with arbitrary token texts rebuilds without panicking
            let body: String = toks
                .iter()
                .enumerate()
                .map(|(i, t)| format!(r#"<token number="{i}" sentence="{}" t_id="{i}">{}</token>"#, i / 7, t.replace('&', "")))
                .collect();
            let xml = format!("<Document doc_id=\"1\">{body}</Document>");
            if let Ok(Some(d)) = parse(Path::new("x.xml"), &xml) {
                let (sents, spans) = rebuild_sentences(&d);
                for (si, s, e) in spans {
                    proptest::prop_assert!(sents[si].get(s..e).is_some());
                }
            }
        }
    }

    #[test]
    fn not_meantime() {
        assert!(parse(Path::new("x.xml"), "<a/>").unwrap().is_none());
        assert!(parse(Path::new("x.xml"), "<a").is_err());
    }
}
