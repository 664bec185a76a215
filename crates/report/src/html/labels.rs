//! Words and badges for the model's enums, and the legend that explains them. Every colour in
//! the page comes with one of these words, so colour is never the only signal.

use super::push_escaped;
use parallax_core::{AnchorKind, ClaimKind, ConflictKind, EntityType, Sentence, Status};

pub(crate) const STATUSES: [Status; 5] = [
    Status::Reported,
    Status::Attributed,
    Status::Speculation,
    Status::Opinion,
    Status::Quote,
];

pub(crate) fn status_name(s: Status) -> &'static str {
    match s {
        Status::Reported => "Reported",
        Status::Attributed => "Attributed",
        Status::Speculation => "Speculation",
        Status::Opinion => "Opinion",
        Status::Quote => "Quote",
    }
}

fn status_help(s: Status) -> &'static str {
    match s {
        Status::Reported => "stated in the outlet's own factual voice",
        Status::Attributed => "someone else's claim, passed on",
        Status::Speculation => "hedged or conjectural (the hedge words are shown)",
        Status::Opinion => "evaluative language in the outlet's own voice",
        Status::Quote => "a direct quote (the speaker is shown)",
    }
}

/// CSS class for a status (`st-quote`) or for a sentence not yet classified.
pub(crate) fn status_class(s: Option<Status>) -> &'static str {
    match s {
        Some(Status::Reported) => "st-reported",
        Some(Status::Attributed) => "st-attributed",
        Some(Status::Speculation) => "st-speculation",
        Some(Status::Opinion) => "st-opinion",
        Some(Status::Quote) => "st-quote",
        None => "st-none",
    }
}

/// The full reading of a sentence's status: `Attributed to the police`, `Speculation (may,
/// could)`, `Quote by Jane Doe`; `Status not computed` when the claims stage has not run.
pub(crate) fn status_text(status: Option<Status>, s: Option<&Sentence>) -> String {
    let Some(st) = status else {
        return "Status not computed".to_string();
    };
    let who =
        |a: Option<&parallax_core::Attribution>| a.map(crate::view::who).filter(|t| !t.is_empty());
    match st {
        Status::Attributed => match who(s.and_then(|s| s.source.as_ref())) {
            Some(w) => format!("Attributed to {w}"),
            None => "Attributed".to_string(),
        },
        Status::Quote => match who(s.and_then(|s| s.speaker.as_ref())) {
            Some(w) => format!("Quote by {w}"),
            None => "Quote".to_string(),
        },
        Status::Speculation => {
            let markers: Vec<&str> = s
                .map(|s| {
                    s.markers
                        .iter()
                        .map(|m| m.trim())
                        .filter(|m| !m.is_empty())
                        .collect()
                })
                .unwrap_or_default();
            if markers.is_empty() {
                "Speculation".to_string()
            } else {
                format!("Speculation ({})", markers.join(", "))
            }
        }
        other => status_name(other).to_string(),
    }
}

/// A status badge for one sentence, plus outline badges for its secondary labels.
pub(crate) fn push_status_badges(out: &mut String, status: Option<Status>, s: Option<&Sentence>) {
    out.push_str("<span class=\"badge ");
    out.push_str(status_class(status));
    out.push_str("\">");
    push_escaped(out, &status_text(status, s));
    out.push_str("</span>");
    if let Some(s) = s {
        let mut seen = Vec::new();
        for l in &s.labels {
            if Some(*l) != status && !seen.contains(l) {
                seen.push(*l);
                out.push_str(" <span class=\"badge outline ");
                out.push_str(status_class(Some(*l)));
                out.push_str("\" title=\"Also applies\">+ ");
                let text = status_text(Some(*l), Some(s));
                push_escaped(out, &text);
                out.push_str("</span>");
            }
        }
    }
}

pub(crate) fn claim_kind_name(k: ClaimKind) -> &'static str {
    match k {
        ClaimKind::Agreed => "Agreed",
        ClaimKind::OnlyIn => "Only in one",
        ClaimKind::Conflict => "Conflict",
        ClaimKind::Related => "Related",
    }
}

pub(crate) fn claim_kind_class(k: ClaimKind) -> &'static str {
    match k {
        ClaimKind::Agreed => "k-agreed",
        ClaimKind::OnlyIn => "k-only",
        ClaimKind::Conflict => "k-conflict",
        ClaimKind::Related => "k-related",
    }
}

pub(crate) fn conflict_kind_name(k: ConflictKind) -> &'static str {
    match k {
        ConflictKind::Date => "date",
        ConflictKind::Number => "number",
        ConflictKind::Place => "place",
        ConflictKind::Actor => "actor",
        ConflictKind::Negation => "negation (one says it did not happen)",
    }
}

pub(crate) fn anchor_name(k: AnchorKind) -> &'static str {
    match k {
        AnchorKind::Document => "document",
        AnchorKind::Story => "story",
        AnchorKind::Explicit => "explicit",
        AnchorKind::PreviousExpression => "previous date",
        AnchorKind::None => "none",
    }
}

pub(crate) fn anchor_help(k: AnchorKind) -> &'static str {
    match k {
        AnchorKind::Document => "computed from the article's publication date",
        AnchorKind::Story => "computed through another article of the same story",
        AnchorKind::Explicit => "written out in full in the text",
        AnchorKind::PreviousExpression => "relative to an earlier date in the same article",
        AnchorKind::None => "no anchor could be justified; unknown parts stay X",
    }
}

/// An entity-merge rule in plain words (the rule names are `Evidence::rule`); `None` for a
/// rule this renderer does not know, which is then shown by name only.
pub(crate) fn rule_text(rule: &str) -> Option<&'static str> {
    Some(match rule {
        "same_name" => "the same name, written with different capitals or accents",
        "stated_alias" => "the text says one is another name for the other",
        "acronym" => "one is the initials of the other",
        "short_form" => "a shorter form of a full name used earlier in the article",
        "org_suffix" => "the same organisation with or without a legal ending such as Inc. or Ltd.",
        "gazetteer" => "listed as one place or body in the built-in gazetteer",
        "transliteration" => {
            "the same name transliterated differently (a prefix such as al- or el-, hyphens, \
             doubled letters)"
        }
        "surname" => "the surname alone, after the full name appeared",
        "demonym" => "the adjective of a place or people used for the place itself",
        _ => return None,
    })
}

pub(crate) fn entity_type_name(t: EntityType) -> &'static str {
    match t {
        EntityType::Person => "Person",
        EntityType::Org => "Organisation",
        EntityType::Place => "Place",
        EntityType::Group => "Group",
        EntityType::Event => "Event",
        EntityType::Other => "Other",
    }
}

/// The legend: statuses, claim kinds, and how marks in the text read.
pub(crate) fn push_legend(out: &mut String) {
    out.push_str("<section class=\"legend\" aria-labelledby=\"legend-h\">\n");
    out.push_str("<h2 id=\"legend-h\">How to read this page</h2>\n<div class=\"legend-cols\">\n");
    out.push_str("<div><h3>Sentence status</h3>\n<dl class=\"keys\">\n");
    for s in STATUSES {
        out.push_str("<dt><span class=\"badge ");
        out.push_str(status_class(Some(s)));
        out.push_str("\">");
        out.push_str(status_name(s));
        out.push_str("</span></dt><dd><span class=\"s ");
        out.push_str(status_class(Some(s)));
        out.push_str("\">");
        out.push_str(status_help(s));
        out.push_str("</span></dd>\n");
    }
    out.push_str("</dl></div>\n");
    out.push_str("<div><h3>Claims across outlets</h3>\n<dl class=\"keys\">\n");
    for (k, help) in [
        (
            ClaimKind::Agreed,
            "several outlets carry the same claim; an empty cell means an outlet left it out",
        ),
        (ClaimKind::OnlyIn, "one outlet alone reports it"),
        (
            ClaimKind::Conflict,
            "outlets disagree on a detail: the differing values are listed",
        ),
    ] {
        out.push_str("<dt><span class=\"kind ");
        out.push_str(claim_kind_class(k));
        out.push_str("\">");
        out.push_str(claim_kind_name(k));
        out.push_str("</span></dt><dd>");
        out.push_str(help);
        out.push_str("</dd>\n");
    }
    out.push_str("</dl></div>\n");
    out.push_str("<div><h3>In the text</h3>\n<dl class=\"keys\">\n");
    out.push_str(
        "<dt><mark class=\"loaded\" data-alt=\"neutral word\">loaded</mark></dt>\
         <dd>a loaded term; hover for its category and a neutral alternative</dd>\n\
         <dt><span class=\"timex\">on Sunday</span> <span class=\"tval\">[2025-03-09]</span></dt>\
         <dd>a time expression with the date it resolves to</dd>\n\
         <dt><span class=\"anchor a-document\">document</span></dt>\
         <dd>how a date was anchored: document, story, explicit or none</dd>\n",
    );
    out.push_str("</dl></div>\n</div>\n</section>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_text_names_who_and_hedges() {
        let mut s = Sentence::new("d:0".into(), "x".into(), 0, 1);
        s.source = Some(parallax_core::Attribution {
            text: "the coastguard".into(),
            entity: None,
            affiliation: None,
        });
        s.markers = vec!["might".into(), "reportedly".into()];
        assert_eq!(
            status_text(Some(Status::Attributed), Some(&s)),
            "Attributed to the coastguard"
        );
        assert_eq!(
            status_text(Some(Status::Speculation), Some(&s)),
            "Speculation (might, reportedly)"
        );
        assert_eq!(status_text(Some(Status::Quote), Some(&s)), "Quote");
        assert_eq!(status_text(None, None), "Status not computed");
    }
}
