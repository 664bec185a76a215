//! Tests of the self-contained HTML report over a synthetic, fully populated report.
//!
//! Set `PARALLAX_HTML_OUT=/tmp/synthetic.html` to also write the synthetic page for a visual
//! check (`cargo test -p parallax-report --test html write_synthetic_page`).

mod common;

use common::synthetic_report;
use parallax_core::*;
use parallax_report::render_html;
use proptest::prelude::*;
use serde_json::Value;
use std::collections::BTreeSet;

/// Keys whose string values are enum tags; rewriting them would not deserialise.
const ENUM_KEYS: [&str; 6] = ["status", "labels", "kind", "type", "anchor", "confidence"];

/// Applies `f` to every free-text string value in the report (ids, names, text, values...),
/// leaving enum tags and numbers alone.
fn map_strings(r: &Report, f: &dyn Fn(&str) -> String) -> Report {
    fn walk(v: &mut Value, key: Option<&str>, f: &dyn Fn(&str) -> String) {
        match v {
            Value::String(s) if !key.is_some_and(|k| ENUM_KEYS.contains(&k)) => *s = f(s),
            Value::Array(a) => a.iter_mut().for_each(|x| walk(x, key, f)),
            Value::Object(o) => o.iter_mut().for_each(|(k, x)| walk(x, Some(k), f)),
            _ => {}
        }
    }
    let mut v = serde_json::to_value(r).expect("report serialises");
    walk(&mut v, None, f);
    serde_json::from_value(v).expect("report deserialises after string rewrite")
}

/// Tag names the renderer emits, read from the clean synthetic page.
fn own_tags() -> BTreeSet<String> {
    let html = render_html(&synthetic_report());
    html.match_indices('<')
        .filter_map(|(i, _)| tag_name(&html[i + 1..]))
        .collect()
}

fn tag_name(rest: &str) -> Option<String> {
    let rest = rest.strip_prefix('/').unwrap_or(rest);
    let name: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '!')
        .collect();
    (!name.is_empty()).then(|| name.to_ascii_lowercase())
}

/// Every `<` in `html` starts one of `tags`; returns the offending context otherwise.
fn stray_lt(html: &str, tags: &BTreeSet<String>) -> Option<String> {
    for (i, _) in html.match_indices('<') {
        let rest = &html[i + 1..];
        let ok = tag_name(rest).is_some_and(|t| tags.contains(&t))
            && rest
                .trim_start_matches('/')
                .trim_start_matches(|c: char| c.is_ascii_alphanumeric() || c == '!')
                .starts_with([' ', '>', '\n']);
        if !ok {
            let end = html.len().min(i + 60);
            return Some(html.get(i..end).unwrap_or("?").to_string());
        }
    }
    None
}

#[test]
fn structure_has_columns_legend_claims_timeline_and_texts() {
    let html = render_html(&synthetic_report());

    // Header and legend.
    assert!(html.starts_with("<!doctype html>"));
    assert!(html.contains("<span class=\"n\">6</span> <span class=\"what\">articles</span>"));
    assert!(html.contains("<span class=\"n\">2</span> <span class=\"what\">stories</span>"));
    assert!(html.contains("<span class=\"n\">4</span> <span class=\"what\">entities</span>"));
    assert!(html.contains("id=\"legend-h\""));
    for word in ["Reported", "Attributed", "Speculation", "Opinion", "Quote"] {
        assert!(
            html.contains(&format!("\">{word}</span></dt>")),
            "legend lacks {word}"
        );
    }
    for kind in ["Agreed", "Only in one", "Conflict"] {
        assert!(
            html.contains(&format!("\">{kind}</span></dt>")),
            "legend lacks {kind}"
        );
    }

    // Side-by-side columns: 2 for the bridge story, 4 (scrolling) for the ferry story.
    assert_eq!(
        html.matches("<th scope=\"col\" class=\"doc-head\">")
            .count(),
        6
    );
    assert_eq!(html.matches("class=\"cols-wrap many\"").count(), 1);
    assert!(html.contains("<span class=\"outlet\">Harbour Gazette</span>"));
    assert!(html.contains("<span class=\"outlet\">The Coastline Courier</span>"));
    assert!(html
        .contains("by Tomás Reyes &middot; <time datetime=\"2025-03-11\">Tue 11 Mar 2025</time>"));

    // Claim groups, in order; "only in" claims in one compact row, each in its column.
    let agreed = html.find("id=\"story-1-agreed\"").expect("agreed group");
    let only = html.find("id=\"story-1-only\"").expect("only-in group");
    let conflict = html
        .find("id=\"story-1-conflict\"")
        .expect("conflict group");
    assert!(agreed < only && only < conflict);
    let row = &html[only..conflict];
    assert_eq!(
        row.matches("<tbody class=\"claim k-only only-row\">")
            .count(),
        1
    );
    assert!(
        row.matches("class=\"cell-s s only-item").count() >= 2,
        "{row}"
    );
    assert!(row.contains("only here</p>"));
    assert!(
        html.contains("Not in this article"),
        "omitted cells are marked"
    );

    // Conflict blocks show kind and values, paired with the outlets.
    assert!(html.contains("<span class=\"what\">What differs: date</span>"));
    assert!(html.contains(
        "<span class=\"who\">Harbour Gazette:</span> <strong>2025-03-09</strong> <span class=\"muted\">(Sun 9 Mar 2025)</span>"
    ));
    assert!(html.contains("<strong>60 households</strong>"));
    // ... and the differing details are emphasised inside the cells.
    assert!(html.contains("outlets\">40 families</strong>"));
    assert!(html.contains("<span class=\"tval cv\""));

    // Status badges per sentence.
    for badge in [
        "Attributed to the Regional Roads Authority",
        "Speculation (could, according to)",
        "Quote by Mayor Helena Strand",
        "Quote by Strand",
        "+ Attributed to engineers",
    ] {
        assert!(html.contains(badge), "missing badge {badge}");
    }

    // Timeline with anchors and notes (tooltip + print text).
    assert!(html.contains("<time datetime=\"2025-03-09\">Sun 9 Mar 2025</time>"));
    assert!(html.contains("<time datetime=\"2024-WI\">winter 2024</time>"));
    assert!(html.contains("class=\"anchor a-story\""));
    assert!(html.contains("class=\"anchor a-none\""));
    assert!(html.contains(
        "<span class=\"anote\">Sunday before the Gazette&#39;s publication date, Monday 10 March 2025</span>"
    ));

    // Actors with aliases and merge evidence.
    assert!(html
        .contains("<details class=\"actor\"><summary><span class=\"name\">Helena Strand</span>"));
    assert!(html.contains("<span class=\"rule\">short form</span>"));
    assert!(html.contains("<span class=\"why\">a shorter form of a full name"));
    assert!(html.contains("<span class=\"alias\">RRA</span>"));

    // Framing per outlet.
    assert!(html.contains("Framing by outlet"));
    assert!(html.contains("&rarr; <span class=\"alt\">controversy</span>"));
    assert!(
        html.contains("<p class=\"voices\"><span class=\"lbl\">Quoted:</span> Mayor Helena Strand")
    );

    // Full texts: marks, resolved dates, status labels, boilerplate, near-copies.
    assert!(html.contains("on Sunday</span><span class=\"tval\""));
    assert!(html.contains("> [Sun 9 Mar 2025]</span>"));
    assert!(
        !html.contains("> [2025-03-09]</span>"),
        "raw TIMEX3 values are not shown"
    );
    assert!(html.contains("data-cat=\"judgement\" data-alt=\"poor\""));
    assert!(html.contains(">reckless</mark>"));
    assert!(html.contains("<span class=\"sl\">Opinion</span>"));
    assert!(html.contains("<li>Share this article</li>"));
    assert!(html.contains("Near-copy of Aldery Weekly"));
    assert_eq!(html.matches("<details class=\"doc\"").count(), 6);
    // Every sentence has an anchor the claim cells link to.
    assert!(html.contains("id=\"s-gazette-bridge.3A0\""));
    assert!(html.contains("href=\"#s-gazette-bridge.3A0\""));
    // ... and sentences link back to their claims.
    assert!(html.contains("id=\"claim-1-c6\""));
    assert!(html.contains("<a class=\"cref kind k-conflict\" href=\"#claim-1-c6\""));
    // No external resources.
    assert!(!html.contains("src="));
    assert!(!html.contains("<link"));
    assert!(!html.contains("@import"));
    assert!(!html.contains("url("));
    // View filters work without script.
    assert!(html.contains("id=\"f-conflicts\""));
}

#[test]
fn every_sentence_of_every_document_appears_once_in_the_full_text() {
    let r = synthetic_report();
    let html = render_html(&r);
    for d in &r.documents {
        for s in d.sentences() {
            let id = format!("id=\"s-{}\"", s.id.replace(':', ".3A"));
            assert_eq!(html.matches(&id).count(), 1, "{}", s.id);
        }
    }
}

#[test]
fn hostile_strings_in_every_field_are_escaped() {
    let payload = "<script>alert(1)</script>\" onmouseover=\"alert(2)' x='&amp;";
    let r = map_strings(&synthetic_report(), &|s| format!("{payload}{s}{payload}"));
    let html = render_html(&r);
    assert!(!html.contains("<script>alert"), "raw script from content");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(!html.contains("onmouseover=\"alert"), "attribute break-out");
    assert!(html.contains("&quot; onmouseover=&quot;alert(2)&#39; x=&#39;&amp;amp;"));
    assert_eq!(
        html.matches("<script").count(),
        1,
        "only the page's own script"
    );
    if let Some(bad) = stray_lt(&html, &own_tags()) {
        panic!("unexpected markup from content: {bad}");
    }
}

#[test]
fn related_claims_are_shown_as_related_never_as_agreed() {
    let mut r = synthetic_report();
    let story = &mut r.stories[0];
    let agreed_before = story
        .claims
        .iter()
        .filter(|c| c.kind == ClaimKind::Agreed)
        .count();
    let claim = story
        .claims
        .iter_mut()
        .find(|c| c.kind == ClaimKind::Agreed)
        .expect("an agreed claim");
    claim.kind = ClaimKind::Related;
    let id = claim.id.clone();
    let html = render_html(&r);
    let related = html
        .find("id=\"story-1-related\"")
        .expect("a group of related claims");
    assert!(html.contains("same topic, not the same fact"));
    // The claim's row follows the related heading, and the agreed group lost one row.
    let row = html
        .match_indices(&format!("id=\"claim-1-{id}\""))
        .map(|(i, _)| i)
        .next()
        .expect("the claim's row");
    assert!(row > related, "the related claim is listed under Related");
    if agreed_before == 1 {
        assert!(!html.contains("id=\"story-1-agreed\""));
    }
}

#[test]
fn rendering_is_deterministic() {
    let r = synthetic_report();
    let a = render_html(&r);
    let b = render_html(&r.clone());
    let json = serde_json::to_string(&r).expect("serialise");
    let back: Report = serde_json::from_str(&json).expect("deserialise");
    let c = render_html(&back);
    assert_eq!(a, b);
    assert_eq!(a, c);
}

#[test]
fn degrades_gracefully_before_the_analysis_stages_run() {
    // What a run gives while the stages are stubs: documents and sentences, nothing else.
    let mut r = synthetic_report();
    for d in &mut r.documents {
        d.framing = None;
        for s in d.sentences_mut() {
            s.status = None;
            s.labels.clear();
            s.loaded.clear();
            s.source = None;
            s.speaker = None;
            s.markers.clear();
        }
    }
    r.entities.clear();
    r.times.clear();
    let mut no_stories = r.clone();
    for s in &mut r.stories {
        s.claims.clear();
        s.timeline.clear();
        s.entities.clear();
    }
    let html = render_html(&r);
    assert!(html.contains("No claims aligned yet"));
    assert!(html.contains("No dated events yet."));
    assert!(html.contains("No entities resolved yet."));
    assert!(html.contains("No framing profile yet"));
    assert!(html.contains("statuses not computed yet"));
    assert!(html.contains("class=\"s st-none\""));
    assert!(!html.contains("<mark class=\"loaded\" data-cat"));

    no_stories.stories.clear();
    let html = render_html(&no_stories);
    assert!(html.contains("No stories grouped yet"));
    assert_eq!(html.matches("<details class=\"doc\"").count(), 6);
}

#[test]
fn broken_offsets_and_dangling_ids_do_not_panic() {
    let mut r = synthetic_report();
    let d = &mut r.documents[0];
    let len = d.text.len();
    // Overlapping sentences, a reversed one, one past the end, one inside a multibyte char.
    if let Some(p) = d.paragraphs.get_mut(1) {
        if let Some(s) = p.sentences.get_mut(0) {
            s.start = s.end + 3;
        }
        if let Some(s) = p.sentences.get_mut(1) {
            s.start = s.start.saturating_sub(10);
            s.loaded.push(LoadedSpan {
                start: s.start,
                end: s.end + 900,
                text: "x".into(),
                category: "emotive".into(),
                alternative: None,
                term: None,
                in_quote: false,
            });
        }
        if let Some(s) = p.sentences.get_mut(2) {
            s.end = len + 50;
        }
    }
    let quote = d.text.find('“').expect("curly quote in synthetic text");
    if let Some(s) = d.paragraphs[1].sentences.get_mut(0) {
        s.start = quote + 1;
    }
    r.times.push(r.times[0].clone());
    r.times[0].end = len * 3;
    r.stories[0].claims[0].sentences[0].sentence = "nowhere:9".into();
    r.stories[0].claims[0].sentences[0].doc = "missing-doc".into();
    r.stories[0].entities.push("no-such-entity".into());
    r.stories[0].timeline[0].documents.push("ghost".into());
    let html = render_html(&r);
    assert!(html.contains("</html>"));
    assert!(
        html.contains("missing-doc"),
        "unknown columns are kept, labelled by id"
    );
}

#[test]
fn write_synthetic_page() {
    let html = render_html(&synthetic_report());
    assert!(html.len() > 10_000);
    if let Some(path) = std::env::var_os("PARALLAX_HTML_OUT") {
        std::fs::write(&path, &html).expect("write synthetic page");
    }
}

fn content() -> impl Strategy<Value = String> {
    prop_oneof![
        ".{0,16}",
        "[<>&\"' a-zé/=]{0,16}",
        Just("<p>".to_string()),
        Just("</td><script>".to_string()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Content never produces a `<`: the page built from strings containing `<` has exactly as
    /// many `<` as the same page with each content `<` replaced by `_` (same byte length, so
    /// every offset and boundary is unchanged), and each `<` opens one of the page's own tags.
    #[test]
    fn content_never_produces_unescaped_lt(pre in content(), post in content()) {
        let base = synthetic_report();
        let with = map_strings(&base, &|s| format!("{pre}{s}{post}"));
        let without = map_strings(&base, &|s| format!("{pre}{s}{post}").replace('<', "_"));
        let a = render_html(&with);
        let b = render_html(&without);
        prop_assert_eq!(a.matches('<').count(), b.matches('<').count());
        let tags = own_tags();
        prop_assert!(stray_lt(&a, &tags).is_none(), "{:?}", stray_lt(&a, &tags));
    }

    /// Arbitrary offsets anywhere (sentences, loaded spans, time expressions) never panic.
    #[test]
    fn arbitrary_offsets_never_panic(
        offs in proptest::collection::vec((0usize..400, 0usize..400), 1..40)
    ) {
        let mut r = synthetic_report();
        let mut k = 0;
        let mut next = || { k += 1; offs[k % offs.len()] };
        for d in &mut r.documents {
            for p in &mut d.paragraphs {
                let (a, b) = next();
                p.start = a;
                p.end = b;
                for s in &mut p.sentences {
                    let (a, b) = next();
                    s.start = a;
                    s.end = b;
                    for l in &mut s.loaded {
                        let (a, b) = next();
                        l.start = a;
                        l.end = b;
                    }
                }
            }
        }
        for t in &mut r.times {
            let (a, b) = next();
            t.start = a;
            t.end = b;
        }
        let html = render_html(&r);
        prop_assert!(html.ends_with("</html>\n"));
    }
}
