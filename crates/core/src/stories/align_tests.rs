use super::*;

use crate::clean::test_document as doc;

fn run(docs: &[&Document], times: &[TimeExpr]) -> Vec<Claim> {
    let refs: Vec<&TimeExpr> = times.iter().collect();
    align_claims("s1", docs, &[], &refs, &LexicalSimilarity)
}

#[test]
fn synonyms_align_as_agreed() {
    let a = doc("a", "Police in Varnholm arrested the harbour master Edo Kallas on smuggling charges. The weather in the north stayed mild all week long.");
    let b = doc("b", "Harbour master Edo Kallas was detained by Varnholm police over smuggling allegations. A new bakery opened on the market square yesterday morning.");
    let claims = run(&[&a, &b], &[]);
    let agreed: Vec<&Claim> = claims
        .iter()
        .filter(|c| c.kind == ClaimKind::Agreed)
        .collect();
    assert_eq!(agreed.len(), 1, "{claims:#?}");
    assert_eq!(agreed[0].documents, vec!["a".to_string(), "b".to_string()]);
    assert!(claims.iter().all(|c| c.kind != ClaimKind::Conflict));
    assert_eq!(claims[0].id, "s1-c1");
}

#[test]
fn unique_content_is_only_in_and_short_sentences_are_skipped() {
    let a = doc(
        "a",
        "Too short here. The mayor of Lindqvist opened a bridge over the Sarn river in 2019.",
    );
    let b = doc(
        "b",
        "A storm hit the coast of Pellam and cut power to 4000 homes overnight.",
    );
    let claims = run(&[&a, &b], &[]);
    assert_eq!(claims.len(), 2, "{claims:#?}");
    assert!(claims.iter().all(|c| c.kind == ClaimKind::OnlyIn));
    assert_eq!(claims[0].documents, vec!["a".to_string()]);
    assert_eq!(claims[1].documents, vec!["b".to_string()]);
}

#[test]
fn entity_ids_are_used_as_actors() {
    let mut a = doc(
        "a",
        "The chairman resigned from the board after the audit of the accounts.",
    );
    let mut b = doc(
        "b",
        "After the audit of the accounts the chairman stepped down from the board.",
    );
    for d in [&mut a, &mut b] {
        for s in d.sentences_mut() {
            s.entities = vec!["e1".into()];
        }
    }
    let f = features(&[&a, &b], &[], &[]);
    assert!(f.iter().all(|c| c.actors.contains("e1")));
    let claims = run(&[&a, &b], &[]);
    assert!(
        claims.iter().any(|c| c.kind == ClaimKind::Agreed),
        "{claims:#?}"
    );
}

#[test]
fn copies_count_once() {
    let a = doc(
        "a",
        "Police in Varnholm arrested the harbour master Edo Kallas on smuggling charges.",
    );
    let mut b = a.clone();
    b.id = "b".into();
    b.duplicate_of = Some(crate::model::DuplicateLink {
        original: "a".into(),
        similarity: 1.0,
        changed_sentences: vec![],
    });
    let claims = run(&[&a, &b], &[]);
    assert!(
        claims.iter().all(|c| c.kind == ClaimKind::OnlyIn),
        "{claims:#?}"
    );
    assert_eq!(claims[0].documents, vec!["a".to_string(), "b".to_string()]);
}

#[test]
fn numbers_are_parsed_with_units_and_approximators() {
    let text = "more than 20 people and 3 million dollars on january 21 in 2011";
    let l: Vec<String> = text.split(' ').map(str::to_string).collect();
    let q = numbers(text, &l);
    assert_eq!(q.len(), 2, "{q:?}");
    assert!(q[0].approx && q[0].value == 20.0);
    assert!(!q[1].approx && q[1].value == 3_000_000.0);
}

#[test]
fn money_page_counts_and_percentages_are_single_quantities() {
    let text = "A $5,687.75 retreat, a 48-page indictment, 56% of the vote and $1 million at 5:30 on the 21st.";
    let l: Vec<String> = words(text).map(|(_, w)| normalize_word(w)).collect();
    let q = numbers(text, &l);
    let got: Vec<(f64, &str)> = q.iter().map(|x| (x.value, x.unit.as_str())).collect();
    assert_eq!(
        got,
        vec![
            (5687.75, "dollar"),
            (48.0, "page"),
            (56.0, "percent"),
            (1_000_000.0, "dollar")
        ],
        "{q:?}"
    );
}

#[test]
fn spans_of_years_are_read() {
    assert_eq!(
        year_ranges("He served from 1967 to 1979."),
        vec![(1967, 1979)]
    );
    assert_eq!(
        year_ranges("He held the seat 1966-1978."),
        vec![(1966, 1978)]
    );
    assert_eq!(
        year_ranges("between 2001 and 2003, and 1990 through 1994"),
        vec![(2001, 2003), (1990, 1994)]
    );
    assert!(year_ranges("from 2010 to 2001").is_empty());
    assert!(year_ranges("in 1967 he won 1979 votes").is_empty());
}

#[test]
fn context_features_see_ranks_and_neighbours() {
    let a = doc(
        "a",
        "The Velmora council approved the new harbour budget on Monday evening. \
         Critics said the harbour budget ignores the fishing fleet entirely.",
    );
    let b = doc(
        "b",
        "On Monday the Velmora council passed the harbour budget after a long debate. \
         A new bakery opened on the market square yesterday morning.",
    );
    let claims = features(&[&a, &b], &[], &[]);
    let pairs: BTreeSet<(usize, usize)> = [(0, 2), (0, 3), (1, 2), (1, 3)].into();
    let f = story_pair_features(&claims, &pairs, &LexicalSimilarity);
    let x = |i: usize, j: usize| f.get(&(i, j)).map(|v| v.0).expect("scored pair");
    // The matching leads are each other's first choice: reciprocal rank 1.
    assert!((x(0, 2)[pair::RECIP_RANK] - 1.0).abs() < 1e-9);
    assert!(x(1, 3)[pair::RECIP_RANK] < 1.0);
    // The sentence after the lead sees the lead's match through its neighbour.
    assert!(x(1, 2)[pair::NEIGHBOUR] >= x(0, 2)[2] - 1e-9);
    assert!(x(1, 2)[pair::NEIGHBOUR] > 0.0);
}

#[test]
fn a_third_article_bridges_a_pair() {
    let a = doc(
        "a",
        "The Velmora council approved the new harbour budget on Monday evening.",
    );
    let b = doc(
        "b",
        "On Monday the Velmora council passed the harbour budget after a long debate.",
    );
    let c = doc(
        "c",
        "Velmora's council passed its harbour budget on Monday after hours of debate.",
    );
    let claims = features(&[&a, &b, &c], &[], &[]);
    let pairs: BTreeSet<(usize, usize)> = [(0, 1), (0, 2), (1, 2)].into();
    let f = story_pair_features(&claims, &pairs, &LexicalSimilarity);
    let x = |i: usize, j: usize| f.get(&(i, j)).map(|v| v.0).expect("scored pair");
    // The bridge of a-b goes through c: the lower of a-c and b-c closeness.
    let through_c = x(0, 2)[2].min(x(1, 2)[2]);
    assert!((x(0, 1)[pair::BRIDGE] - through_c).abs() < 1e-9);
    assert!(through_c > 0.0);
    // Two articles: no third one to bridge through.
    let two = features(&[&a, &b], &[], &[]);
    let f = story_pair_features(&two, &[(0, 1)].into(), &LexicalSimilarity);
    assert_eq!(f.get(&(0, 1)).map(|v| v.0[pair::BRIDGE]), Some(0.0));
}

#[test]
fn two_claims_sharing_a_lead_sentence_read_differently() {
    let sent = |doc: &str, n: usize, text: &str| ClaimSentence {
        doc: doc.into(),
        sentence: format!("{doc}:{n}"),
        text: text.into(),
        status: Some(Status::Reported),
    };
    let lead = "The council rejected the plan, freed the funds and closed the old depot on Monday.";
    let claim = |other: ClaimSentence| Claim {
        id: String::new(),
        kind: ClaimKind::Agreed,
        summary: lead.into(),
        documents: vec!["a".into(), "b".into()],
        sentences: vec![sent("a", 0, lead), other],
        conflict: None,
        score: 0.6,
        confidence: None,
    };
    let mut out = vec![
        (
            (1u8, 0usize, 0usize),
            claim(sent(
                "b",
                2,
                "The council rejected the plan put to it on Monday.",
            )),
        ),
        (
            (1, 0, 0),
            claim(sent(
                "b",
                5,
                "The old depot closed its doors on Monday after decades.",
            )),
        ),
        // A claim of one sentence keeps it, even when shown before.
        (
            (2, 0, 0),
            Claim {
                sentences: vec![sent("a", 0, lead)],
                ..claim(sent("b", 9, "x"))
            },
        ),
    ];
    distinct_summaries(&mut out);
    assert_eq!(out[0].1.summary, lead);
    assert_eq!(
        out[1].1.summary,
        "The old depot closed its doors on Monday after decades."
    );
    assert_eq!(out[2].1.summary, lead);
}

/// Letter and digit counts as vectors: whole sentences for the cosine, each word for its token.
struct LetterTokens {
    tokens: HashMap<String, TokenVectors>,
}

fn letters(t: &str) -> Vec<f32> {
    let mut v = vec![0.0; 36];
    for b in t.bytes().map(|b| b.to_ascii_lowercase()) {
        match b {
            b'a'..=b'z' => v[usize::from(b - b'a')] += 1.0,
            b'0'..=b'9' => v[26 + usize::from(b - b'0')] += 1.0,
            _ => {}
        }
    }
    v
}

impl LetterTokens {
    fn new(docs: &[&Document]) -> Self {
        let mut tokens = HashMap::new();
        for d in docs {
            for s in d.sentences() {
                let t: Vec<crate::embed::Token> = s
                    .text
                    .split(|c: char| !c.is_alphanumeric())
                    .filter(|w| !w.is_empty())
                    .map(|w| crate::embed::Token {
                        piece: w.to_lowercase(),
                        vector: letters(w),
                    })
                    .collect();
                if let Some(t) = TokenVectors::from_tokens(&t) {
                    tokens.insert(s.id.clone(), t);
                }
            }
        }
        LetterTokens { tokens }
    }
}

impl SentenceSimilarity for LetterTokens {
    fn cosine(&self, a: &ClaimFeatures, b: &ClaimFeatures) -> Option<f32> {
        let (x, y) = (letters(&a.text), letters(&b.text));
        let n = |v: &[f32]| v.iter().map(|x| x * x).sum::<f32>().sqrt();
        Some(crate::embed::dot(&x, &y) / (n(&x) * n(&y)).max(1e-9))
    }
    fn tokens(&self, a: &ClaimFeatures) -> Option<&TokenVectors> {
        self.tokens.get(&a.sentence_id)
    }
}

#[test]
fn the_token_match_is_filled_in_for_every_pair_with_tokens() {
    let a = doc("a", "Police in Varnholm arrested the harbour master Edo Kallas on smuggling charges. The weather in the north stayed mild all week long. The city council approved a budget of 4 million on Monday night.");
    let b = doc("b", "Harbour master Edo Kallas was detained by Varnholm police over smuggling allegations. A new bakery opened on the market square yesterday morning. The council passed a budget of 5 million on Monday evening.");
    let c = doc("c", "Varnholm police held Edo Kallas, the harbour master, over smuggling. Fishing boats stayed in port because of the storm warnings.");
    let docs = [&a, &b, &c];
    let sim = LetterTokens::new(&docs);
    let claims = features(&docs, &[], &[]);
    let pairs: BTreeSet<(usize, usize)> = (0..claims.len())
        .flat_map(|i| (i + 1..claims.len()).map(move |j| (i, j)))
        .filter(|&(i, j)| claims[i].doc != claims[j].doc)
        .collect();
    let f = story_pair_features(&claims, &pairs, &sim);
    assert_eq!(f.len(), pairs.len());
    for (&(i, j), (x, _)) in &f {
        let (Some(ta), Some(tb)) = (sim.tokens(&claims[i]), sim.tokens(&claims[j])) else {
            panic!(
                "no tokens for {} or {}",
                claims[i].sentence_id, claims[j].sentence_id
            );
        };
        assert!(x[pair::TOKEN_MAX] > 0.0, "{x:?}");
        assert!(x[pair::TOKEN_MAX] >= x[pair::TOKEN_F] - 1e-12);
        assert!(x[pair::TOKEN_MAX] >= x[pair::TOKEN_SHORT] - 1e-12);
        assert!(!ta.is_empty() && !tb.is_empty());
    }
    // Words only: no token match.
    let w = story_pair_features(&claims, &pairs, &LexicalSimilarity);
    assert!(w.values().all(|(x, _)| x[pair::TOKEN_MAX] == 0.0));
}

/// Marks every sentence of `d` whose text starts with a quotation mark as a quote (what the
/// claims stage does with its speaker found).
fn quote_status(d: &mut Document) {
    for s in d.sentences_mut() {
        if s.text.starts_with(['"', '\u{201c}']) {
            s.status = Some(Status::Quote);
        }
    }
}

#[test]
fn a_short_quotation_repeated_word_for_word_is_agreed() {
    let mut a = doc(
        "a",
        "The harbour master Edo Kallas wrote to the council of Varnholm on Friday. \u{201c}Mind the tide.\u{201d}",
    );
    let mut b = doc(
        "b",
        "A new bakery opened on the market square of Pellam yesterday. Kallas ended his letter to the council with a warning: \u{201c}Mind the tide.\u{201d}",
    );
    quote_status(&mut a);
    quote_status(&mut b);
    let claims = run(&[&a, &b], &[]);
    let agreed: Vec<&Claim> = claims
        .iter()
        .filter(|c| c.kind == ClaimKind::Agreed)
        .collect();
    assert!(
        agreed.iter().any(
            |c| c.sentences.iter().any(|s| s.text.contains("Mind the tide"))
                && c.documents == ["a", "b"]
        ),
        "{claims:#?}"
    );
    // Alone, the short quotation is no "only in" claim of its outlet.
    assert!(claims
        .iter()
        .filter(|c| c.kind == ClaimKind::OnlyIn)
        .all(|c| c
            .sentences
            .iter()
            .all(|s| s.text.split(' ').count() >= MIN_WORDS)));
}

#[test]
fn short_sentences_in_the_outlets_voice_or_not_repeated_word_for_word_are_not_agreed() {
    let a = feature_of(
        "a",
        "\u{201c}We will not leave.\u{201d}",
        Some(Status::Quote),
    );
    let b = feature_of(
        "b",
        "Protesters shouted \u{201c}we will stay\u{201d} and refused to leave the square.",
        None,
    );
    let c = feature_of(
        "c",
        "Protesters shouted that they will not leave the square.",
        None,
    );
    assert!(!short_quote_repeated(&a, &b));
    assert!(!short_quote_repeated(&b, &a));
    assert!(short_quote_repeated(&b, &c), "two long sentences");
    let d = feature_of(
        "d",
        "The crowd chanted \u{201c}We will not leave\u{201d} until dusk.",
        None,
    );
    assert!(short_quote_repeated(&a, &d));
    // A short sentence in the outlet's own voice is no claim at all.
    let own = doc(
        "e",
        "The vote was close. The council of Varnholm met on Friday to vote.",
    );
    let f = features(&[&own], &[], &[]);
    assert_eq!(f.len(), 1, "{f:#?}");
}

fn feature_of(id: &str, text: &str, status: Option<Status>) -> ClaimFeatures {
    let mut d = doc(id, text);
    for s in d.sentences_mut() {
        s.status = status;
    }
    let mut f = features(&[&d], &[], &[]);
    assert_eq!(f.len(), 1, "{text}: {f:#?}");
    f.remove(0)
}

#[test]
fn a_figure_in_words_takes_its_article_and_fraction() {
    let read = |t: &str| -> Vec<(f64, bool, String)> {
        features_of_texts(&[t])[0]
            .numbers
            .iter()
            .map(|q| (q.value, q.approx, q.text.clone()))
            .collect()
    };
    assert_eq!(
        read("The storm left half a million homes in Varnholm without power."),
        vec![(500_000.0, false, "half a million homes".to_string())]
    );
    assert_eq!(
        read("The storm left a half million homes in Varnholm without power."),
        vec![(500_000.0, false, "a half million homes".to_string())]
    );
    assert_eq!(
        read("A quarter million people marched through Pellam on Sunday."),
        vec![(250_000.0, false, "a quarter million people".to_string())]
    );
    // The approximator stands before the article.
    assert_eq!(
        read("Economists had expected nearly a million jobs in the month."),
        vec![(1_000_000.0, true, "a million jobs".to_string())]
    );
    assert_eq!(
        read("About a dozen people were hurt in the crash near Pellam."),
        vec![(12.0, true, "a dozen people".to_string())]
    );
    assert!(read("It takes half an hour to drive from Pellam to Varnholm.").is_empty());
    // Part of a longer figure: the fraction is not applied to the scale word alone.
    assert!(
        read("The city has one and a half million people near Pellam.")
            .iter()
            .all(|q| q.0 != 500_000.0)
    );
}
