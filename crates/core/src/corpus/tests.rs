use super::*;
use crate::article::analyze_article;
use crate::model::{ArticleInput, InputKind, Metadata};

fn article(name: &str, date: Option<&str>, body: &str) -> Article {
    analyze_article(
        ArticleInput {
            id: name.into(),
            source: format!("{name}.txt"),
            kind: InputKind::Json,
            body: body.into(),
            hints: Metadata {
                published: date.map(str::to_string),
                ..Metadata::default()
            },
            boilerplate: vec![],
        },
        &crate::pipeline::Options::default(),
    )
}

const FLOOD_A: &str = "The river Olm burst its banks near the town of Kessel on Friday night. \
    Rescue teams evacuated about four hundred residents from low-lying streets of Kessel. \
    The regional weather office had warned of heavy rain over the Olm valley for three days.";
const FLOOD_B: &str = "Floodwater from the Olm swept through Kessel late on Friday. \
    About four hundred Kessel residents were evacuated by rescue teams, officials said. \
    Forecasters had warned of heavy rain in the Olm valley.";
const BUDGET: &str = "Parliament in Varnia passed the budget after a long night of debate \
    over pensions and taxes. The opposition walked out before the final vote.";

#[test]
fn placement_is_incremental_and_ids_are_stable() {
    let arts = [
        article("a", Some("2021-05-01"), FLOOD_A),
        article("b", Some("2021-05-02"), BUDGET),
        article("c", Some("2021-05-01"), FLOOD_B),
        article("d", Some("2021-05-03"), FLOOD_A),
    ];
    let mut c = Corpus::new();
    let p: Vec<Placement> = arts.iter().map(|a| c.add(a).expect("new")).collect();
    assert!(p[0].new_story && p[1].new_story);
    assert_eq!(
        p[2].story, p[0].story,
        "a second report of the flood joins it"
    );
    assert!(!p[2].new_story);
    assert_eq!(p[3].copy_of.as_deref(), Some(arts[0].id.as_str()));
    assert_eq!(p[0].story, format!("s-{}", &arts[0].id[..12]));
    assert_eq!(c.stories().len(), 2);
    assert_eq!(c.stories()[0].copy_of, vec![None, None, Some(0)]);
    assert!(c.add(&arts[1]).is_none(), "an article is added once");
    assert_eq!(c.len(), 4);
}

#[test]
fn two_halves_group_like_one_batch() {
    let arts = [
        article("a", Some("2021-05-01"), FLOOD_A),
        article("b", Some("2021-05-02"), BUDGET),
        article("c", Some("2021-05-01"), FLOOD_B),
    ];
    let mut one = Corpus::new();
    for a in &arts {
        one.add(a);
    }
    // A store re-opening a collection replays stored features, then adds the rest.
    let mut two = Corpus::new();
    two.add_features(&arts[0].id, &arts[0].features);
    two.add_features(&arts[1].id, &arts[1].features);
    two.add(&arts[2]);
    assert_eq!(one.stories(), two.stories());
}

#[test]
fn story_analysis_links_copies_and_entities() {
    let arts = [
        article("a", Some("2021-05-02"), FLOOD_A),
        article("c", Some("2021-05-01"), FLOOD_B),
        article("d", Some("2021-05-01"), FLOOD_A),
    ];
    let refs: Vec<&Article> = arts.iter().collect();
    let members = StoryMembers {
        id: "s-x".into(),
        thread: "t-x".into(),
        articles: arts.iter().map(|a| a.id.clone()).collect(),
        copy_of: vec![None, None, Some(0)],
    };
    let s = analyze_story(&members, &refs, None);
    assert_eq!(s.story.thread.as_deref(), Some("t-x"));
    assert_eq!(s.story.id, "s-x");
    assert_eq!(s.story.documents.len(), 3);
    // The earliest-dated copy is the original, though it arrived last.
    assert_eq!(s.duplicates.len(), 1);
    assert_eq!(s.duplicates[0].0, arts[0].id);
    assert_eq!(s.duplicates[0].1.original, arts[2].id);
    assert!(s.entities.iter().all(|e| e.id.starts_with("s-x-e")));
    assert!(s.entities.iter().any(|e| e.name == "Kessel"));

    let report = assemble(arts.to_vec(), vec![s]);
    assert_eq!(report.documents.len(), 3);
    assert!(report.documents[0].duplicate_of.is_some());
    let kessel = report
        .entities
        .iter()
        .find(|e| e.name == "Kessel")
        .expect("Kessel");
    assert!(report
        .documents
        .iter()
        .flat_map(|d| d.sentences())
        .any(|s| s.entities.contains(&kessel.id)));
}
