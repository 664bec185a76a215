//! Stage-level tests on invented articles: detection shapes, resolution across a story, and
//! property tests that arbitrary input never panics and yields valid offsets.

use super::{detect, resolve};
use crate::clean::clean;
use crate::model::{ArticleInput, Document, Entity, EntityType, InputKind, Metadata};
use proptest::prelude::*;

fn doc(id: &str, body: &str) -> Document {
    clean(ArticleInput {
        id: id.into(),
        source: format!("{id}.txt"),
        kind: InputKind::Text,
        body: body.into(),
        hints: Metadata::default(),
        boilerplate: Vec::new(),
    })
}

fn has(ms: &[crate::model::Mention], text: &str, ty: EntityType) -> bool {
    ms.iter().any(|m| m.text == text && m.ty == ty)
}

const A: &str = "The trial was delayed again this week in the capital.\n\n\
A court in Vienna refused to hand over Moldovan General Omar Haddad, also known as Alkaziri, \
to the International Tribunal for Zembla (ITZ). Interior Minister Petra Lindqvist said her \
office had not been told. Haddad, who is the head of the coastal police, flew home on Friday.\n\n\
Lindqvist’s critics say the ITZ was ignored.";

const B: &str = "Officials confirmed the release of al-Kaziri late on Friday.\n\n\
The ITZ had sought al-Kaziri for years, and Lindqvist's ministry said it acted lawfully. \
Moldova welcomed him back.";

#[test]
fn detects_roles_demonyms_and_acronyms() {
    let d = doc("a", A);
    let ms = detect(&d);
    assert!(has(&ms, "Omar Haddad", EntityType::Person), "{ms:#?}");
    assert!(has(&ms, "Vienna", EntityType::Place));
    assert!(has(&ms, "ITZ", EntityType::Org));
    assert!(has(
        &ms,
        "International Tribunal for Zembla",
        EntityType::Org
    ));
    let omar = ms.iter().find(|m| m.text == "Omar Haddad").unwrap();
    assert_eq!(omar.role.as_deref(), Some("General"));
    let moldovan = ms.iter().find(|m| m.text == "Moldovan").unwrap();
    assert_eq!(moldovan.ty, EntityType::Group);
    assert_eq!(moldovan.points_to.as_deref(), Some("Moldova"));
    let petra = ms.iter().find(|m| m.text == "Petra Lindqvist").unwrap();
    assert_eq!(petra.role.as_deref(), Some("Interior Minister"));
    // possessive gives the bare name; sentence-initial "The"/"A" are no names
    assert!(ms.iter().any(|m| m.text == "Lindqvist"));
    assert!(!ms
        .iter()
        .any(|m| m.text.ends_with("’s") || m.text == "The" || m.text == "A"));
    // offsets point at the text
    for m in &ms {
        assert_eq!(&d.text[m.start..m.end], m.text);
    }
}

fn holder<'a>(es: &'a [Entity], forms: &[&str]) -> Option<&'a Entity> {
    es.iter()
        .find(|e| forms.iter().all(|f| e.aliases.iter().any(|a| a == f)))
}

#[test]
fn resolves_across_a_story_with_evidence() {
    let docs = vec![doc("a", A), doc("b", B)];
    let ms: Vec<_> = docs.iter().map(detect).collect();
    let es = resolve(&docs, &ms, &[vec![0, 1]]);
    let p = holder(&es, &["Omar Haddad", "Haddad", "Alkaziri", "al-Kaziri"]).expect("one person");
    assert_eq!(p.ty, EntityType::Person);
    assert_eq!(p.name, "Omar Haddad");
    let rules: Vec<&str> = p.evidence.iter().map(|e| e.rule.as_str()).collect();
    assert!(rules.contains(&"stated_alias"), "{rules:?}");
    assert!(rules.contains(&"transliteration"), "{rules:?}");
    assert!(p.roles.iter().any(|r| r == "General"));
    assert!(
        p.roles
            .iter()
            .any(|r| r.starts_with("head of the coastal police")),
        "{:?}",
        p.roles
    );
    let org = holder(&es, &["ITZ", "International Tribunal for Zembla"]).expect("acronym");
    assert_eq!(org.ty, EntityType::Org);
    assert!(holder(&es, &["Petra Lindqvist", "Lindqvist"]).is_some());
    let country = holder(&es, &["Moldova"]).expect("country");
    assert_eq!(country.ty, EntityType::Place);
    assert!(!country.aliases.iter().any(|a| a.contains("Haddad")));
    assert!(es
        .iter()
        .all(|e| !(e.ty == EntityType::Person && e.aliases.iter().any(|a| a == "Vienna"))));
    // ids follow first mention
    assert_eq!(es[0].id, "e1");
}

#[test]
fn separate_stories_stay_apart() {
    let docs = vec![doc("a", A), doc("b", B)];
    let ms: Vec<_> = docs.iter().map(detect).collect();
    let es = resolve(&docs, &ms, &[vec![0], vec![1]]);
    assert!(holder(&es, &["Alkaziri", "al-Kaziri"]).is_none());
    assert_eq!(
        es.iter()
            .filter(|e| e.aliases.iter().any(|a| a == "ITZ"))
            .count(),
        2
    );
}

#[test]
fn no_merge_of_different_people_sharing_a_surname() {
    let a = doc(
        "a",
        "Anna Kowalczyk met the press.\n\nKowalczyk spoke first.",
    );
    let b = doc("b", "Marek Kowalczyk resigned.\n\nKowalczyk left the room.");
    let docs = vec![a, b];
    let ms: Vec<_> = docs.iter().map(detect).collect();
    let es = resolve(&docs, &ms, &[vec![0, 1]]);
    assert!(holder(&es, &["Anna Kowalczyk", "Marek Kowalczyk"]).is_none());
}

#[test]
fn headlines_and_company_suffixes() {
    let d = doc(
        "h",
        "Shares of Zephyr Motors Inc. fell in Toronto after Zephyr Motors said it would cut \
         jobs.\n\nWORKERS AT ZEPHYR MOTORS PROTEST IN CANADA AS SALES FALL.",
    );
    assert!(d.text.contains("CANADA"));
    let ms = detect(&d);
    assert!(has(&ms, "Zephyr Motors Inc.", EntityType::Org), "{ms:#?}");
    assert!(has(&ms, "Toronto", EntityType::Place));
    assert!(!ms
        .iter()
        .any(|m| m.text == "WORKERS" || m.text == "PROTEST" || m.text == "SALES"));
    assert!(ms
        .iter()
        .any(|m| m.text == "CANADA" && m.ty == EntityType::Place));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn arbitrary_text_never_panics(s in "\\PC{0,400}") {
        let d = doc("p", &s);
        let ms = detect(&d);
        for m in &ms {
            prop_assert!(d.text.is_char_boundary(m.start) && d.text.is_char_boundary(m.end));
            prop_assert_eq!(&d.text[m.start..m.end], m.text.as_str());
        }
        let _ = resolve(&[d], &[ms], &[vec![0]]);
    }

    #[test]
    fn capitalised_runs_and_marks_never_panic(
        words in proptest::collection::vec("[A-Z][a-z]{0,6}(-[A-Z][a-z]{0,4})?('s)?|al-[A-Z][a-z]{1,5}|[A-Z]{2,5}|\u{200d}|e\u{301}|of|\\(|\\)|,", 0..300)
    ) {
        let body = words.join(" ");
        let d = doc("q", &body);
        let ms = detect(&d);
        for m in &ms {
            prop_assert_eq!(&d.text[m.start..m.end], m.text.as_str());
        }
        let n = ms.len();
        let es = resolve(&[d], &[ms], &[vec![0]]);
        prop_assert_eq!(es.iter().map(|e| e.mentions.len()).sum::<usize>(), n);
    }
}
