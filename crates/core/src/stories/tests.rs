//! Grouping tests with invented articles, and property tests.

use super::*;
use crate::model::{ArticleInput, InputKind, Metadata};
use proptest::prelude::*;

fn doc(id: &str, date: Option<&str>, title: &str, text: &str) -> Document {
    crate::clean::clean(ArticleInput {
        id: id.into(),
        source: id.into(),
        kind: InputKind::Json,
        body: text.into(),
        hints: Metadata {
            title: Some(title.into()),
            published: date.map(str::to_string),
            ..Metadata::default()
        },
        boilerplate: vec![],
    })
}

fn corpus() -> Vec<Document> {
    vec![
        doc("flood-1", Some("2022-04-01"), "River Olm floods Kessel", "The river Olm burst its banks near Kessel on Friday. Rescue teams evacuated hundreds of residents from flooded streets. Mayor Ilse Brandt declared an emergency in Kessel."),
        doc("vote-1", Some("2022-04-01"), "Parliament of Arvania passes pension reform", "The Arvanian parliament passed the pension reform after a long debate. Prime Minister Tomas Rell welcomed the vote. The opposition walked out before the ballot on pensions."),
        doc("flood-2", Some("2022-04-02"), "Kessel evacuates as Olm rises", "Hundreds of Kessel residents left their homes as the Olm flooded low streets. Ilse Brandt, the mayor, declared an emergency. Rescue boats patrolled the flooded district."),
        doc("vote-2", Some("2022-04-02"), "Arvania pension reform vote", "Lawmakers in Arvania approved the disputed pension reform. Tomas Rell called the vote historic, while opposition members boycotted the ballot on pensions."),
        doc("flood-3", Some("2019-08-10"), "Olm floods Kessel", "The river Olm flooded Kessel streets. Residents were evacuated by rescue teams. The mayor declared an emergency."),
    ]
}

#[test]
fn groups_same_events_and_keeps_others_apart() {
    let docs = corpus();
    let g = group(&docs, &vec![Vec::new(); docs.len()]);
    assert_eq!(g.stories, vec![vec![0, 2], vec![1, 3], vec![4]]);
    assert!(g.duplicates.is_empty());
}

#[test]
fn grouping_is_deterministic_and_mentions_are_optional() {
    let docs = corpus();
    let a = group(&docs, &[]);
    let b = group(&docs, &vec![Vec::new(); docs.len()]);
    assert_eq!(a, b);
}

#[test]
fn copies_join_their_originals_story() {
    let mut docs = corpus();
    let mut copy = docs[1].clone();
    copy.id = "vote-copy".into();
    copy.published = Some("2022-04-03".into());
    docs.push(copy);
    let g = group(&docs, &[]);
    assert_eq!(g.duplicates.len(), 1);
    assert_eq!(g.duplicates[0].0, 5);
    assert_eq!(g.duplicates[0].1.original, "vote-1");
    assert!(g.stories.iter().any(|s| s.contains(&1) && s.contains(&5)));
}

#[test]
fn align_names_claims_after_the_story() {
    let docs = corpus();
    let refs: Vec<&Document> = vec![&docs[0], &docs[2]];
    let (claims, timeline) = align_story("story-7", &refs, &[], &[], None);
    assert!(timeline.is_empty());
    assert!(!claims.is_empty());
    assert!(claims.iter().all(|c| c.id.starts_with("story-7-c")));
    assert!(
        claims
            .iter()
            .any(|c| c.kind == crate::model::ClaimKind::Agreed),
        "{claims:#?}"
    );
}

fn arb_doc() -> impl Strategy<Value = (String, Option<String>)> {
    (
        "[A-Za-z0-9 ,.!?'\"\\-\n]{0,300}",
        proptest::option::of("20[0-2][0-9]-[01][0-9]-[0-3][0-9]"),
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn group_and_align_never_panic(inputs in proptest::collection::vec(arb_doc(), 0..8)) {
        let docs: Vec<Document> = inputs
            .iter()
            .enumerate()
            .map(|(i, (t, d))| doc(&format!("d{i}"), d.as_deref(), "", t))
            .collect();
        let g = group(&docs, &[]);
        let mut seen = vec![0usize; docs.len()];
        for s in &g.stories {
            for &i in s {
                seen[i] += 1;
            }
        }
        prop_assert!(seen.iter().all(|&n| n == 1));
        for s in &g.stories {
            let refs: Vec<&Document> = s.iter().map(|&i| &docs[i]).collect();
            let (claims, _) = align(&refs, &[], &[], None);
            for c in &claims {
                prop_assert!(!c.sentences.is_empty());
            }
        }
    }
}
