//! What a story's analysis writes back onto its documents: near-copy links, and the entity
//! ids of each sentence and of each speaker or source. Applied to copies of the documents,
//! both before alignment (which reads them) and when a report is assembled: articles
//! themselves stay as phase one left them.

use crate::model::{Attribution, Document, DuplicateLink, Entity};
use std::collections::HashMap;

/// Longest attribution, in words, that is matched against entity forms: speakers and sources
/// are short phrases; the cap bounds the work on pathological ones.
const MAX_ATTRIBUTION_WORDS: usize = 24;
/// Longest entity form, in words, looked up inside an attribution.
const MAX_FORM_WORDS: usize = 8;

/// One story's links, ready to apply to its documents.
pub struct Links<'a> {
    dups: HashMap<&'a str, &'a DuplicateLink>,
    by_sentence: HashMap<(&'a str, &'a str), Vec<&'a str>>,
    /// (doc, lower-case form) -> entity: the first entity seen with a form keeps it.
    by_form: HashMap<(&'a str, String), &'a str>,
}

impl<'a> Links<'a> {
    /// Indexes a story's entities (by sentence and by surface form) and duplicate links
    /// (`(doc id, link)`). Linear in the number of mentions.
    pub fn new(entities: &'a [Entity], duplicates: &'a [(String, DuplicateLink)]) -> Self {
        let dups = duplicates.iter().map(|(d, l)| (d.as_str(), l)).collect();
        let mut by_sentence: HashMap<(&str, &str), Vec<&str>> = HashMap::new();
        let mut by_form: HashMap<(&str, String), &str> = HashMap::new();
        for e in entities {
            for m in &e.mentions {
                by_sentence
                    .entry((m.doc.as_str(), m.sentence.as_str()))
                    .or_default()
                    .push(e.id.as_str());
                by_form
                    .entry((m.doc.as_str(), m.text.to_lowercase()))
                    .or_insert(e.id.as_str());
            }
        }
        Links {
            dups,
            by_sentence,
            by_form,
        }
    }

    /// Sets `duplicate_of`, `Sentence::entities` and the `entity` of sources and speakers on
    /// one document of the story.
    pub fn apply(&self, doc: &mut Document) {
        if let Some(l) = self.dups.get(doc.id.as_str()) {
            doc.duplicate_of = Some((*l).clone());
        }
        let doc_id = doc.id.clone();
        for s in doc.sentences_mut() {
            if let Some(ids) = self.by_sentence.get(&(doc_id.as_str(), s.id.as_str())) {
                let mut ids: Vec<String> = ids.iter().map(|x| x.to_string()).collect();
                ids.sort();
                ids.dedup();
                s.entities = ids;
            }
            for a in [s.source.as_mut(), s.speaker.as_mut()]
                .into_iter()
                .flatten()
            {
                resolve_attribution(a, &doc_id, &self.by_form);
            }
        }
    }
}

/// Applies one story's [`Links`] to its documents.
pub fn link_documents(
    docs: &mut [Document],
    entities: &[Entity],
    duplicates: &[(String, DuplicateLink)],
) {
    let links = Links::new(entities, duplicates);
    for d in docs.iter_mut() {
        links.apply(d);
    }
}

/// Resolves an attribution to the entity of the longest form it contains as whole words.
/// Looks up the attribution's own word sequences (at most [`MAX_FORM_WORDS`] long) in the
/// form table, so the cost depends on the attribution's length, not on the number of forms.
fn resolve_attribution(a: &mut Attribution, doc: &str, by_form: &HashMap<(&str, String), &str>) {
    if a.entity.is_some() {
        return;
    }
    let text = a.text.to_lowercase();
    let words: Vec<(usize, usize)> = word_spans(&text)
        .into_iter()
        .take(MAX_ATTRIBUTION_WORDS)
        .collect();
    let mut best: Option<(usize, &str)> = None;
    for i in 0..words.len() {
        for j in i..words.len().min(i + MAX_FORM_WORDS) {
            let end = words[j].1;
            // "U.S." is a form with its final period, which the word span leaves outside.
            let with_period = text[end..].starts_with('.').then_some(end + 1);
            for end in [Some(end), with_period].into_iter().flatten() {
                let form = &text[words[i].0..end];
                if let Some(&id) = by_form.get(&(doc, form.to_string())) {
                    let better = match best {
                        None => true,
                        Some((len, bid)) => form.len() > len || (form.len() == len && id < bid),
                    };
                    if better {
                        best = Some((form.len(), id));
                    }
                }
            }
        }
    }
    if let Some((_, id)) = best {
        a.entity = Some(id.to_string());
    }
}

/// Byte spans of the words of `s`: runs of alphanumeric characters joined by inner
/// apostrophes, hyphens and periods ("al-Masri", "U.S.", "O'Neill").
fn word_spans(s: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut last_end = 0;
    let chars: Vec<(usize, char)> = s.char_indices().collect();
    for (k, &(i, c)) in chars.iter().enumerate() {
        let joiner = matches!(c, '\'' | '’' | '-' | '.')
            && start.is_some()
            && chars.get(k + 1).is_some_and(|&(_, n)| n.is_alphanumeric());
        if c.is_alphanumeric() || joiner {
            if start.is_none() {
                start = Some(i);
            }
            last_end = i + c.len_utf8();
        } else if let Some(st) = start.take() {
            out.push((st, last_end));
        }
    }
    if let Some(st) = start {
        // A trailing period of an abbreviation ("U.S.") belongs to the word.
        let end = if s[last_end..].starts_with('.') {
            last_end + 1
        } else {
            last_end
        };
        out.push((st, end));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_spans_keep_inner_joiners() {
        let s = "the u.s. envoy al-masri's aide";
        let w: Vec<&str> = word_spans(s).iter().map(|&(a, b)| &s[a..b]).collect();
        assert_eq!(w, vec!["the", "u.s", "envoy", "al-masri's", "aide"]);
    }

    #[test]
    fn attribution_takes_the_longest_form() {
        let mut forms: HashMap<(&str, String), &str> = HashMap::new();
        forms.insert(("d", "lee".into()), "e2");
        forms.insert(("d", "jo lee".into()), "e1");
        forms.insert(("x", "harbor union".into()), "e9");
        let mut a = Attribution {
            text: "Union President Jo Lee".into(),
            entity: None,
            affiliation: None,
        };
        resolve_attribution(&mut a, "d", &forms);
        assert_eq!(a.entity.as_deref(), Some("e1"));
        let mut b = Attribution {
            text: "Harbor Union".into(),
            entity: None,
            affiliation: None,
        };
        resolve_attribution(&mut b, "d", &forms);
        assert_eq!(b.entity, None, "forms of another document do not count");
    }
}
