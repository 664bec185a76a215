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

/// Resolves one invented article; returns its entities.
fn resolve_one(text: &str) -> Vec<Entity> {
    let d = doc("x", text);
    let ms = detect(&d);
    resolve(&[d], &[ms], &[vec![0]])
}

/// The entity holding the `nth` mention (in text order) with exactly this text.
fn owner<'e>(es: &'e [Entity], text: &str, nth: usize) -> &'e Entity {
    let mut all: Vec<(usize, &Entity)> = es
        .iter()
        .flat_map(|e| {
            e.mentions
                .iter()
                .filter(|m| m.text == text)
                .map(move |m| (m.start, e))
        })
        .collect();
    all.sort_by_key(|x| x.0);
    match all.get(nth) {
        Some(x) => x.1,
        None => panic!("no mention {text:?} #{nth} in {es:#?}"),
    }
}

#[test]
fn gendered_titles_and_family_keep_people_sharing_a_surname_apart() {
    let es = resolve_one(
        "Sam Lee and his wife, Jo, opened a bakery in Brelsk. Mrs. Lee said the bakery was busy. \
         Mr. Lee said little.",
    );
    let sam = owner(&es, "Sam Lee", 0);
    let jo = owner(&es, "Jo", 0);
    assert_ne!(sam.id, jo.id, "a man and his wife are two people");
    assert_eq!(jo.ty, EntityType::Person);
    // "Mrs. Lee" is the wife, "Mr. Lee" the husband.
    assert_eq!(owner(&es, "Lee", 0).id, jo.id);
    assert_eq!(owner(&es, "Lee", 1).id, sam.id);
    assert!(jo.evidence.iter().any(|e| e.rule == "family"));
}

#[test]
fn a_title_gender_skips_a_person_of_the_other_gender() {
    // "Mrs. Tarrant" is not the nearest Tarrant (a man) but Margaret.
    let es = resolve_one(
        "Margaret Tarrant founded the firm. Her son William Tarrant runs it now. \
         Mrs. Tarrant still chairs the board.",
    );
    let margaret = owner(&es, "Margaret Tarrant", 0);
    let william = owner(&es, "William Tarrant", 0);
    assert_ne!(margaret.id, william.id);
    assert_eq!(owner(&es, "Tarrant", 0).id, margaret.id);
}

#[test]
fn two_given_names_are_two_people() {
    let es = resolve_one("Ruth Okafor sued. Daniel Okafor testified for the city.");
    assert_ne!(
        owner(&es, "Ruth Okafor", 0).id,
        owner(&es, "Daniel Okafor", 0).id
    );
}

#[test]
fn middle_initials_suffixes_and_nicknames_match() {
    let es = resolve_one(
        "Jo M. Lee Jr. won the seat in Brelsk. Jo Lee thanked the voters. \
         Bill Tarrant conceded, and William Tarrant said he would run again.",
    );
    assert_eq!(
        owner(&es, "Jo M. Lee Jr.", 0).id,
        owner(&es, "Jo Lee", 0).id
    );
    let bill = owner(&es, "Bill Tarrant", 0);
    assert_eq!(bill.id, owner(&es, "William Tarrant", 0).id);
    assert!(bill.evidence.iter().any(|e| e.rule == "name_variant"));
    // Different middle initials or suffixes are different people.
    let es = resolve_one("Paul R. Vance spoke first. Paul T. Vance spoke after him.");
    assert_ne!(
        owner(&es, "Paul R. Vance", 0).id,
        owner(&es, "Paul T. Vance", 0).id
    );
}

#[test]
fn acronyms_defined_in_the_text_join_their_long_form() {
    for text in [
        "Lawmakers passed the Clean Water Restoration Act, or CWRA, on Tuesday. The CWRA expands oversight.",
        "The Harbor Safety Board (HSB) met. Critics of the HSB were loud.",
        "The Brelsk Transit Authority, known as BTA, raised fares. The BTA said costs rose.",
    ] {
        let es = resolve_one(text);
        let orgs: Vec<&Entity> = es.iter().filter(|e| e.mentions.len() >= 3).collect();
        assert_eq!(orgs.len(), 1, "{text}: {es:#?}");
        assert!(orgs[0].evidence.iter().any(|e| e.rule == "acronym" || e.rule == "stated_alias"));
    }
    // ", or" with an acronym whose letters differ is still a definition.
    let es =
        resolve_one("The Eastern Harbour League, or EHLX, was founded in Brelsk. The EHLX grew.");
    assert_eq!(
        owner(&es, "Eastern Harbour League", 0).id,
        owner(&es, "EHLX", 0).id
    );
}

#[test]
fn organisation_short_forms_and_country_qualified_names() {
    let es = resolve_one("Zephyr Computer said sales rose. Zephyr also cut prices.");
    assert_eq!(
        owner(&es, "Zephyr Computer", 0).id,
        owner(&es, "Zephyr", 0).id
    );
    let es = resolve_one(
        "The United States Air Force chose a tanker. The Air Force said the deal was fair.",
    );
    assert_eq!(
        owner(&es, "United States Air Force", 0).id,
        owner(&es, "Air Force", 0).id
    );
    // A short form opening two different companies joins neither.
    let es = resolve_one(
        "Zephyr Computer sued Zephyr Records in Brelsk. A judge sided with Zephyr on Monday.",
    );
    let z = owner(&es, "Zephyr", 0);
    assert_ne!(z.id, owner(&es, "Zephyr Computer", 0).id);
    assert_ne!(z.id, owner(&es, "Zephyr Records", 0).id);
}
