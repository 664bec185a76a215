//! Tests of the claims stage on invented sentences covering each phenomenon.

use super::annotate;
use crate::clean::assemble;
use crate::model::{Document, Metadata, Sentence, Status};
use proptest::prelude::*;

fn doc(paras: &[&str]) -> Document {
    let paras: Vec<String> = paras.iter().map(|s| s.to_string()).collect();
    let mut d = assemble(
        "t".into(),
        "t".into(),
        Metadata::default(),
        Vec::new(),
        &paras,
    );
    annotate(&mut d, &[]);
    d
}

fn find<'a>(d: &'a Document, needle: &str) -> &'a Sentence {
    d.sentences()
        .find(|s| s.text.contains(needle))
        .unwrap_or_else(|| panic!("no sentence with {needle}"))
}

fn has(s: &Sentence, st: Status) -> bool {
    s.labels.contains(&st)
}

#[test]
fn reported_sentence() {
    let d = doc(&["The mayor was arrested in Lyon on Monday following a court order."]);
    let s = find(&d, "arrested");
    assert_eq!(s.status, Some(Status::Reported));
    assert_eq!(s.labels, vec![Status::Reported]);
}

#[test]
fn attributed_with_sources() {
    let d = doc(&[
        "The tribunal cited that the finance minister should have been consulted. \
         Economists argue that the plan pushes prices up. \
         The agency had accused him of bribery and fraud. \
         The bridge is unsafe, according to local engineers.",
    ]);
    for (needle, src) in [
        ("tribunal cited", "The tribunal"),
        ("Economists argue", "Economists"),
        ("agency had accused", "The agency"),
        ("bridge is unsafe", "local engineers"),
    ] {
        let s = find(&d, needle);
        assert_eq!(s.status, Some(Status::Attributed), "{needle}");
        assert_eq!(
            s.source.as_ref().map(|a| a.text.as_str()),
            Some(src),
            "{needle}"
        );
    }
}

#[test]
fn speculation_markers() {
    let d = doc(&[
        "It cannot be ruled out that the firm may have paid the officials. \
         The dispute will likely drag on for months. \
         The decision was seen as a setback for the union.",
    ]);
    let s = find(&d, "ruled out");
    assert!(has(s, Status::Speculation));
    assert!(s.markers.iter().any(|m| m == "cannot be ruled out"));
    let s = find(&d, "likely");
    assert_eq!(s.markers, vec!["likely".to_string()]);
    assert!(has(find(&d, "seen as"), Status::Speculation));
}

#[test]
fn attributed_hedge_keeps_both_labels() {
    let d = doc(&["Analysts said the merger could collapse next year."]);
    let s = find(&d, "merger");
    assert_eq!(s.status, Some(Status::Attributed));
    assert!(has(s, Status::Speculation));
}

#[test]
fn opinion_in_own_voice() {
    let d = doc(&[
        "The minister's conduct was a glaring display of arrogance. \
         This scandal brings into focus the failures of the regulator. \
         The ministry published its budget on Friday.",
    ]);
    assert!(has(find(&d, "glaring"), Status::Opinion));
    assert!(has(find(&d, "brings into focus"), Status::Opinion));
    assert!(!has(find(&d, "published its budget"), Status::Opinion));
}

#[test]
fn quote_after_and_before_speaker() {
    let d = doc(&[
        "\u{201c}We will rebuild the harbour by spring,\u{201d} Governor Lena Marsh said on Tuesday.",
        "Mayor Tom Reyes told reporters: \"The money is simply not there.\"",
        "Former Senator Paul Okafor led the campaign for years, remarking, \"We never gave up on it.\"",
    ]);
    let s = find(&d, "harbour");
    assert_eq!(s.status, Some(Status::Quote));
    assert_eq!(
        s.speaker.as_ref().map(|a| a.text.as_str()),
        Some("Lena Marsh")
    );
    let s = find(&d, "money");
    assert_eq!(
        s.speaker.as_ref().map(|a| a.text.as_str()),
        Some("Tom Reyes")
    );
    let s = find(&d, "never gave up");
    assert_eq!(s.status, Some(Status::Quote));
    assert_eq!(
        s.speaker.as_ref().map(|a| a.text.as_str()),
        Some("Paul Okafor")
    );
}

#[test]
fn quote_runs_over_sentences_and_pronouns() {
    let d = doc(&[
        "Dana Whitfield said, \u{201c}The board ignored every warning. It failed the town. We deserve better.\u{201d}",
        "He added, \u{201c}Nobody has apologised to the families yet.\u{201d}",
    ]);
    for needle in ["ignored every warning", "failed the town", "deserve better"] {
        let s = find(&d, needle);
        assert_eq!(s.status, Some(Status::Quote), "{needle}");
        assert_eq!(
            s.speaker.as_ref().map(|a| a.text.as_str()),
            Some("Dana Whitfield"),
            "{needle}"
        );
    }
    let s = find(&d, "apologised");
    assert_eq!(
        s.speaker.as_ref().map(|a| a.text.as_str()),
        Some("Dana Whitfield")
    );
}

#[test]
fn framing_counts_outlet_voice_only() {
    let d = doc(&["The regime's brutal crackdown was a disgraceful farce. \
         \u{201c}It is an outrageous and shameful decision,\u{201d} the opposition leader said."]);
    let f = d.framing.as_ref().expect("framing set");
    assert_eq!(f.loaded_count, 4);
    assert!(f.loaded_per_1000_words > 0.0);
    let terms: Vec<&str> = f.loaded_terms.iter().map(|t| t.term.as_str()).collect();
    assert!(terms.contains(&"regime") && terms.contains(&"brutal"));
    assert!(!terms.contains(&"outrageous"));
    let shares: f64 = f.status_shares.values().sum();
    assert!((shares - 1.0).abs() < 1e-9);
    assert_eq!(f.quotes_by_speaker.len(), 1);
}

/// Loaded terms of the sentence holding `needle`: (text, in quote).
fn loaded_of(d: &Document, needle: &str) -> Vec<(String, bool)> {
    find(d, needle)
        .loaded
        .iter()
        .map(|l| (l.text.clone(), l.in_quote))
        .collect()
}

#[test]
fn quoted_verbs_and_model_words_are_the_speakers() {
    // A slanted verb, a political label or a model-built word inside quoted speech is the
    // speaker's wording.
    let d = doc(&["\u{201c}They slammed the door on us,\u{201d} she said. \
         \u{201c}What we have here is anarchy,\u{201d} he said. \
         \u{201c}I am strongly pro-life and proud of it,\u{201d} she said. \
         The mayor slammed the plan on Monday. \
         An ad called the mayor a \u{201c}regime crony.\u{201d} \
         \u{201c}The plan is a disgrace,\u{201d} the mayor said."]);
    assert!(loaded_of(&d, "door").is_empty());
    assert!(loaded_of(&d, "anarchy").is_empty());
    assert!(loaded_of(&d, "proud").is_empty());
    // The outlet's own verb still counts; a label in scare quotes is the outlet's pick; a
    // quoted verdict is still reported, flagged.
    assert_eq!(loaded_of(&d, "Monday"), [("slammed".to_string(), false)]);
    assert_eq!(loaded_of(&d, "An ad")[0], ("regime".to_string(), true));
    assert_eq!(loaded_of(&d, "disgrace"), [("disgrace".to_string(), true)]);
}

#[test]
fn annotate_is_idempotent() {
    let paras = ["Critics say the law is a sham. \u{201c}It will fail,\u{201d} she said."];
    let mut d = doc(&paras);
    let once = d.clone();
    annotate(&mut d, &[]);
    assert_eq!(d, once);
}

proptest! {
    #[test]
    fn never_panics_and_spans_are_valid(s in "(\\PC|[\"“”,.:'’ ]){0,300}") {
        let paras: Vec<String> = s.split("\n\n").map(str::to_string).collect();
        let mut d = assemble("p".into(), "p".into(), Metadata::default(), Vec::new(), &paras);
        annotate(&mut d, &[]);
        for sent in d.sentences() {
            prop_assert!(sent.status.is_some());
            prop_assert!(!sent.labels.is_empty());
            for l in &sent.loaded {
                prop_assert!(l.start <= l.end && l.end <= d.text.len());
                prop_assert!(d.text.is_char_boundary(l.start) && d.text.is_char_boundary(l.end));
                prop_assert_eq!(&d.text[l.start..l.end], l.text.as_str());
            }
        }
    }

    #[test]
    fn lexicon_words_in_any_context(words in proptest::collection::vec(
        prop_oneof![Just("brutal"), Just("said"), Just("“"), Just("”"), Just("may"), Just("Smith"),
                    Just("the"), Just(","), Just("cannot be ruled out"), Just("regime"), Just("He")], 0..40)) {
        let text = words.join(" ");
        let mut d = assemble("p".into(), "p".into(), Metadata::default(), Vec::new(), &[text]);
        annotate(&mut d, &[]);
        for sent in d.sentences() {
            for l in &sent.loaded {
                prop_assert_eq!(&d.text[l.start..l.end], l.text.as_str());
            }
        }
    }
}

/// Like [`doc`], with the entity stage's mentions (PERSON roles feed role descriptions).
fn doc_with_mentions(paras: &[&str]) -> Document {
    let paras: Vec<String> = paras.iter().map(|s| s.to_string()).collect();
    let mut d = assemble(
        "t".into(),
        "t".into(),
        Metadata::default(),
        Vec::new(),
        &paras,
    );
    let mentions = crate::entities::detect(&d);
    annotate(&mut d, &mentions);
    d
}

fn speaker<'a>(d: &'a Document, needle: &str) -> Option<&'a str> {
    find(d, needle).speaker.as_ref().map(|a| a.text.as_str())
}

#[test]
fn pronoun_speaker_is_the_previous_subject() {
    let d = doc_with_mentions(&[
        "Senator Marta Quillen questioned the budget plan on Tuesday. \
         \"This plan leaves rural clinics without any money at all,\" she said.",
    ]);
    assert_eq!(speaker(&d, "rural clinics"), Some("Marta Quillen"));
}

#[test]
fn pronoun_after_preposition_is_not_the_subject() {
    let d = doc_with_mentions(&["Governor Tomas Brevik spoke at the rally on Friday. \
         Of Senator Ada Lindqvist, he said, \"She has never once visited the northern valleys.\""]);
    assert_eq!(speaker(&d, "northern valleys"), Some("Tomas Brevik"));
}

#[test]
fn role_description_resolves_to_named_person() {
    let d = doc_with_mentions(&[
        "Oregon Gov. Harlan Vickery signed the water bill on Monday. \
         \"We will not let the rivers run dry on our watch,\" the Oregon governor said.",
    ]);
    assert_eq!(speaker(&d, "rivers run dry"), Some("Harlan Vickery"));
}

#[test]
fn source_keeps_the_appositive_affiliation() {
    let d = doc(&[
        "\"The harbour tax will hurt every fishing family in the county,\" said Noor Vallen, \
         a spokeswoman for the Coastal Alliance. \
         \"We will fight it in court.\"",
    ]);
    let s = find(&d, "harbour tax");
    assert_eq!(
        s.speaker.as_ref().map(|a| a.text.as_str()),
        Some("Noor Vallen")
    );
    assert_eq!(
        s.source.as_ref().map(|a| a.text.as_str()),
        Some("Noor Vallen, a spokeswoman for the Coastal Alliance")
    );
    let next = find(&d, "fight it in court");
    assert_eq!(
        next.source.as_ref().map(|a| a.text.as_str()),
        Some("Noor Vallen, a spokeswoman for the Coastal Alliance")
    );
}

#[test]
fn verb_before_quote_takes_the_sentence_subject() {
    let d = doc_with_mentions(&[
        "After the vote, Senator Edda Marsh stood up, turned to the chamber and said, \
         \"This budget abandons the night buses entirely.\"",
    ]);
    assert_eq!(speaker(&d, "night buses"), Some("Edda Marsh"));
}

#[test]
fn source_keeps_the_title_run_before_the_name() {
    let d = doc(&[
        "\"The ferry contract was signed in secret,\" Harbour Union President Ilse Varga said.",
    ]);
    let s = find(&d, "ferry contract");
    assert_eq!(
        s.speaker.as_ref().map(|a| a.text.as_str()),
        Some("Ilse Varga")
    );
    assert_eq!(
        s.source.as_ref().map(|a| a.text.as_str()),
        Some("Harbour Union President Ilse Varga")
    );
}

fn speaker_of<'a>(d: &'a Document, needle: &str) -> (Option<&'a str>, Option<&'a str>) {
    let s = find(d, needle);
    (
        s.speaker.as_ref().map(|a| a.text.as_str()),
        s.speaker.as_ref().and_then(|a| a.affiliation.as_deref()),
    )
}

#[test]
fn quote_speaker_named_where_it_closes() {
    let d = doc(&[
        "\u{201c}The dam is safe,\u{201d} Tom Reyes said.",
        "Lena Marsh disagreed on Monday.",
        "\u{201c}We lost the vote. It was a fair fight. We move on,\u{201d} Ann Bell said.",
    ]);
    for needle in ["lost the vote", "fair fight", "move on"] {
        assert_eq!(speaker_of(&d, needle).0, Some("Ann Bell"), "{needle}");
    }
}

#[test]
fn block_quote_announced_by_a_colon() {
    let d = doc_with_mentions(&[
        "Governor Lena Marsh answered the council on Monday.",
        "Marsh wrote in a statement:",
        "The harbour plan is sound. We will not delay it.",
        "The council meets again in May.",
    ]);
    for needle in ["plan is sound", "not delay"] {
        let s = find(&d, needle);
        assert_eq!(s.status, Some(Status::Quote), "{needle}");
        assert_eq!(speaker_of(&d, needle).0, Some("Marsh"), "{needle}");
    }
    assert_eq!(find(&d, "meets again").status, Some(Status::Reported));
}

#[test]
fn affiliation_given_once_is_carried() {
    let d = doc_with_mentions(&[
        "Rep. Ann Bell, D-Ohio, questioned the bill on Monday.",
        "\u{201c}It is a giveaway to the port operators,\u{201d} Bell said.",
        "\u{201c}We have no choice,\u{201d} said Jo Lee, a spokeswoman for the Harbor Union.",
    ]);
    assert_eq!(speaker_of(&d, "giveaway"), (Some("Bell"), Some("Democrat")));
    assert_eq!(
        speaker_of(&d, "no choice"),
        (Some("Jo Lee"), Some("Harbor Union"))
    );
}

#[test]
fn document_speaker_has_its_author() {
    let d = doc_with_mentions(&[
        "The Harbor Union released a new television ad on Monday.",
        "\u{201c}Vote no on the port plan,\u{201d} the ad says.",
    ]);
    assert_eq!(
        speaker_of(&d, "Vote no"),
        (Some("the ad"), Some("The Harbor Union"))
    );
}

#[test]
fn fallbacks_stay_narrow() {
    let d = doc_with_mentions(&[
        "Quillen named Sen. Tomas Brevik on Tuesday.",
        "\u{201c}It was a good day for the whole city.\u{201d}",
        "\u{201c}We will appeal,\u{201d} said Jo Lee, a Democrat.",
        "\u{201c}It is entirely lawful,\u{201d} the president said.",
        "The report made three findings:",
        "The port lost money. The board ignored it.",
    ]);
    assert_eq!(speaker_of(&d, "good day").0, None);
    assert_eq!(speaker_of(&d, "entirely lawful").0, Some("the president"));
    assert_eq!(find(&d, "port lost money").status, Some(Status::Reported));
}

#[test]
fn quotation_closed_in_a_later_paragraph_stays_a_quote() {
    // The second paragraph has only the closing mark: its sentences are still the quote.
    let d = doc_with_mentions(&[
        "Whitfield told the council: \"The board ignored every warning.",
        "It failed the town. Its members are a disgrace. We deserve better.\"",
        "The council voted on Tuesday.",
    ]);
    for needle in [
        "ignored every",
        "failed the town",
        "a disgrace",
        "deserve better",
    ] {
        let s = find(&d, needle);
        assert_eq!(s.status, Some(Status::Quote), "{needle}");
        assert!(!has(s, Status::Opinion), "{needle}");
        assert_eq!(speaker_of(&d, needle).0, Some("Whitfield"), "{needle}");
    }
    assert_eq!(find(&d, "voted on").status, Some(Status::Reported));
}

#[test]
fn quotation_reopened_per_paragraph_keeps_its_speaker() {
    // Cue at the opening: every later paragraph of the quotation is the same speaker's, however
    // many sentences it runs.
    let d = doc_with_mentions(&[
        "The port closed on Monday.",
        "Dana Whitfield said: \u{201c}The board ignored every warning. It failed the town. \
         It hid the accounts.",
        "\u{201c}It sold the cranes. It fired the pilots. We deserve better.",
        "\u{201c}Nobody listened.\u{201d}",
        "The council voted on Tuesday.",
    ]);
    for needle in [
        "hid the accounts",
        "sold the cranes",
        "fired the pilots",
        "Nobody listened",
    ] {
        let s = find(&d, needle);
        assert_eq!(s.status, Some(Status::Quote), "{needle}");
        assert_eq!(speaker_of(&d, needle).0, Some("Dana Whitfield"), "{needle}");
    }
    // Cue where it closes, two paragraphs later.
    let d = doc_with_mentions(&[
        "The port closed on Monday.",
        "\u{201c}The board ignored every warning. It failed the town.",
        "\u{201c}Short one.",
        "\u{201c}Nobody listened to us,\u{201d} Whitfield said.",
    ]);
    for needle in [
        "ignored every",
        "failed the town",
        "Short one",
        "Nobody listened",
    ] {
        let s = find(&d, needle);
        assert_eq!(s.status, Some(Status::Quote), "{needle}");
        assert_eq!(speaker_of(&d, needle).0, Some("Whitfield"), "{needle}");
    }
}

#[test]
fn passive_subject_does_not_take_an_uncued_quote() {
    let d = doc_with_mentions(&[
        "Ann Bell was arrested on Monday.",
        "\"The harbour deal is a scandal that will haunt this town for years.\"",
        "Tom Reyes was later charged by the state.",
        "\"Nobody in this town will forget what happened here.\"",
    ]);
    assert_eq!(speaker_of(&d, "harbour deal").0, None);
    assert_eq!(speaker_of(&d, "Nobody in this town").0, None);
    assert_eq!(find(&d, "harbour deal").status, Some(Status::Quote));
    // The active subject still takes it.
    let d = doc_with_mentions(&[
        "Ann Bell took on the harbour plan on Monday.",
        "\"The harbour deal is a scandal that will haunt this town for years.\"",
    ]);
    assert_eq!(speaker_of(&d, "harbour deal").0, Some("Ann Bell"));
    // A cued quote after a passive subject is still the cue's.
    let d = doc_with_mentions(&[
        "Ann Bell was arrested on Monday.",
        "\"I did nothing wrong at all,\" she said.",
    ]);
    assert_eq!(speaker_of(&d, "nothing wrong").0, Some("Ann Bell"));
}

#[test]
fn evaluative_commentary_is_opinion() {
    let d = doc(&["The deal was a betrayal perpetrated by the board. \
         The ruling is simply wrong. \
         The new levy was nothing but a cynical ploy. \
         The betrayal trial opened on Monday. \
         The courier went to the wrong address. \
         The mayor called the deal a betrayal."]);
    for needle in ["deal was a betrayal", "simply wrong", "cynical ploy"] {
        assert!(has(find(&d, needle), Status::Opinion), "{needle}");
    }
    for needle in ["trial opened", "wrong address", "mayor called"] {
        assert!(!has(find(&d, needle), Status::Opinion), "{needle}");
    }
}
