//! A synthetic report with every field populated, built from invented articles (a storm-damaged
//! bridge in a fictional town, two outlets; plus a four-outlet story about ferry fares to
//! exercise horizontal scrolling and near-copies). Offsets are computed, never typed, so they
//! always point at the right bytes even with non-ASCII text.

#![allow(dead_code)]

use parallax_core::*;
use std::collections::BTreeMap;

/// One sentence to place in a document.
#[derive(Clone, Default)]
pub struct Spec {
    pub text: &'static str,
    pub status: Option<Status>,
    pub labels: Vec<Status>,
    pub source: Option<&'static str>,
    pub speaker: Option<&'static str>,
    pub markers: Vec<&'static str>,
    /// (term as in text, category, neutral alternative)
    pub loaded: Vec<(&'static str, &'static str, Option<&'static str>)>,
    pub entities: Vec<&'static str>,
}

pub fn sp(text: &'static str, status: Status) -> Spec {
    Spec {
        text,
        status: Some(status),
        labels: vec![status],
        ..Spec::default()
    }
}

pub struct DocMeta {
    pub id: &'static str,
    pub outlet: Option<&'static str>,
    pub title: Option<&'static str>,
    pub author: Option<&'static str>,
    pub published: Option<&'static str>,
    pub url: Option<&'static str>,
    pub boilerplate: Vec<&'static str>,
}

/// Builds a document from paragraphs of sentence specs, computing every offset.
pub fn build_doc(meta: DocMeta, paragraphs: &[Vec<Spec>]) -> Document {
    let mut text = String::new();
    let mut paras = Vec::new();
    let mut n = 0;
    for (pi, p) in paragraphs.iter().enumerate() {
        if pi > 0 {
            text.push_str("\n\n");
        }
        let pstart = text.len();
        let mut sentences = Vec::new();
        for (si, spec) in p.iter().enumerate() {
            if si > 0 {
                text.push(' ');
            }
            let start = text.len();
            text.push_str(spec.text);
            let end = text.len();
            let mut s = Sentence::new(
                format!("{}:{n}", meta.id),
                spec.text.to_string(),
                start,
                end,
            );
            n += 1;
            s.status = spec.status;
            s.labels = spec.labels.clone();
            s.source = spec.source.map(|t| Attribution {
                text: t.to_string(),
                entity: None,
                affiliation: None,
            });
            s.speaker = spec.speaker.map(|t| Attribution {
                text: t.to_string(),
                entity: None,
                affiliation: None,
            });
            s.markers = spec.markers.iter().map(|m| m.to_string()).collect();
            s.loaded = spec
                .loaded
                .iter()
                .map(|(term, cat, alt)| {
                    let at = spec
                        .text
                        .find(term)
                        .expect("loaded term is in its sentence");
                    LoadedSpan {
                        start: start + at,
                        end: start + at + term.len(),
                        text: term.to_string(),
                        category: cat.to_string(),
                        alternative: alt.map(str::to_string),
                        term: None,
                        in_quote: false,
                    }
                })
                .collect();
            s.entities = spec.entities.iter().map(|e| e.to_string()).collect();
            sentences.push(s);
        }
        paras.push(Paragraph {
            start: pstart,
            end: text.len(),
            sentences,
        });
    }
    let word_count = text.split_whitespace().count();
    let mut d = Document {
        id: meta.id.to_string(),
        source: format!("/articles/{}.txt", meta.id),
        title: meta.title.map(str::to_string),
        author: meta.author.map(str::to_string),
        published: meta.published.map(str::to_string),
        outlet: meta.outlet.map(str::to_string),
        language: Some("en".to_string()),
        url: meta.url.map(str::to_string),
        boilerplate: meta.boilerplate.iter().map(|b| b.to_string()).collect(),
        text,
        word_count,
        paragraphs: paras,
        framing: None,
        duplicate_of: None,
        limits: Default::default(),
    };
    d.framing = Some(framing_of(&d));
    d
}

/// A framing profile computed from the document's own annotations.
pub fn framing_of(d: &Document) -> Framing {
    let words = d.word_count.max(1);
    let mut terms: BTreeMap<(String, String, Option<String>), usize> = BTreeMap::new();
    let mut hedges = 0;
    let mut shares: BTreeMap<String, f64> = BTreeMap::new();
    let mut sources: BTreeMap<String, usize> = BTreeMap::new();
    let mut quotes: BTreeMap<String, usize> = BTreeMap::new();
    let total = d.sentences().count().max(1) as f64;
    for s in d.sentences() {
        for l in &s.loaded {
            *terms
                .entry((l.text.clone(), l.category.clone(), l.alternative.clone()))
                .or_default() += 1;
        }
        hedges += s.markers.len();
        if let Some(st) = s.status {
            *shares.entry(st.as_str().to_string()).or_default() += 1.0 / total;
        }
        if let Some(a) = &s.source {
            *sources.entry(a.text.clone()).or_default() += 1;
        }
        if let Some(a) = &s.speaker {
            *quotes.entry(a.text.clone()).or_default() += 1;
        }
    }
    let loaded_count: usize = terms.values().sum();
    let mut loaded_terms: Vec<TermCount> = terms
        .into_iter()
        .map(|((term, category, alternative), count)| TermCount {
            term,
            count,
            category,
            alternative,
        })
        .collect();
    loaded_terms.sort_by(|a, b| b.count.cmp(&a.count).then(a.term.cmp(&b.term)));
    let names = |m: BTreeMap<String, usize>| {
        m.into_iter()
            .map(|(name, count)| NameCount { name, count })
            .collect()
    };
    Framing {
        words,
        loaded_count,
        loaded_per_1000_words: loaded_count as f64 * 1000.0 / words as f64,
        loaded_terms,
        status_shares: shares,
        sources: names(sources),
        hedges_per_1000_words: hedges as f64 * 1000.0 / words as f64,
        quotes_by_speaker: names(quotes),
    }
}

/// A time expression found by its first occurrence of `phrase` in the document text.
pub fn time(
    d: &Document,
    phrase: &str,
    value: &str,
    kind: AnchorKind,
    from: Option<&str>,
    note: Option<&str>,
) -> TimeExpr {
    let start = d.text.find(phrase).expect("time phrase is in the text");
    let end = start + phrase.len();
    let sentence = d
        .sentences()
        .find(|s| s.start <= start && end <= s.end)
        .map(|s| s.id.clone())
        .unwrap_or_default();
    TimeExpr {
        doc: d.id.clone(),
        sentence,
        start,
        end,
        text: phrase.to_string(),
        ty: TimeType::Date,
        value: value.to_string(),
        anchor: Anchor {
            kind,
            from: from.map(str::to_string),
            sentences: vec![],
            note: note.map(str::to_string),
        },
        display: None,
    }
}

fn cs(d: &Document, n: usize) -> ClaimSentence {
    let s = d
        .sentences()
        .nth(n)
        .expect("claim sentence exists in the synthetic document");
    ClaimSentence {
        doc: d.id.clone(),
        sentence: s.id.clone(),
        text: s.text.clone(),
        status: s.status,
    }
}

fn claim(
    id: &str,
    kind: ClaimKind,
    summary: &str,
    sentences: Vec<ClaimSentence>,
    conflict: Option<Conflict>,
    score: f64,
) -> Claim {
    let mut documents: Vec<String> = Vec::new();
    for s in &sentences {
        if !documents.contains(&s.doc) {
            documents.push(s.doc.clone());
        }
    }
    Claim {
        id: id.to_string(),
        kind,
        summary: summary.to_string(),
        documents,
        sentences,
        conflict,
        score,
        confidence: (kind != ClaimKind::OnlyIn).then_some(parallax_core::Confidence::High),
    }
}

fn mention(d: &Document, n: usize, form: &str) -> MentionRef {
    let s = d.sentences().nth(n).expect("sentence exists");
    let at = s.text.find(form).expect("form is in the sentence");
    MentionRef {
        doc: d.id.clone(),
        sentence: s.id.clone(),
        start: s.start + at,
        end: s.start + at + form.len(),
        text: form.to_string(),
    }
}

fn bridge_story_docs() -> (Document, Document) {
    use Status::*;
    let gazette = build_doc(
        DocMeta {
            id: "gazette-bridge",
            outlet: Some("Harbour Gazette"),
            title: Some("Storm damage shuts Lindqvist Bridge in Port Aldery"),
            author: Some("Mira Okonjo"),
            published: Some("2025-03-10"),
            url: Some("https://gazette.example/bridge-closed"),
            boilerplate: vec![
                "Subscribe to the Harbour Gazette morning briefing",
                "Share this article",
            ],
        },
        &[
            vec![
                Spec {
                    entities: vec!["e-bridge", "e-town"],
                    ..sp(
                        "The Lindqvist Bridge in Port Aldery was closed on Sunday after storm damage was found on two support piers.",
                        Reported,
                    )
                },
                Spec {
                    source: Some("the Regional Roads Authority"),
                    entities: vec!["e-rra"],
                    ..sp(
                        "About 40 families were evacuated from the riverside district, the Regional Roads Authority said.",
                        Attributed,
                    )
                },
            ],
            vec![
                Spec {
                    speaker: Some("Mayor Helena Strand"),
                    entities: vec!["e-strand"],
                    ..sp(
                        "Mayor Helena Strand called the closure “a painful but necessary step” for the town.",
                        Quote,
                    )
                },
                Spec {
                    markers: vec!["could", "according to"],
                    labels: vec![Speculation, Attributed],
                    source: Some("engineers"),
                    ..sp(
                        "Repairs could take until the end of April, according to engineers on site.",
                        Speculation,
                    )
                },
                Spec {
                    loaded: vec![
                        ("reckless", "judgement", Some("poor")),
                        ("scandal", "emotive", Some("controversy")),
                    ],
                    ..sp(
                        "The reckless neglect of the bridge by the previous council is a scandal.",
                        Opinion,
                    )
                },
            ],
            vec![Spec {
                entities: vec!["e-rra"],
                ..sp("The RRA last inspected the bridge in 2019.", Reported)
            }],
        ],
    );
    let courier = build_doc(
        DocMeta {
            id: "courier-bridge",
            outlet: Some("The Coastline Courier"),
            title: Some("Cracked pier forces bridge closure; dozens of homes emptied"),
            author: Some("Tomás Reyes"),
            published: Some("2025-03-11"),
            url: Some("https://courier.example/news/pier-cracks"),
            boilerplate: vec!["© 2025 Coastline Courier — all rights reserved"],
        },
        &[
            vec![
                Spec {
                    entities: vec!["e-bridge"],
                    ..sp(
                        "Authorities shut the Lindqvist Bridge on Monday after inspectors spotted cracks in a pier.",
                        Reported,
                    )
                },
                Spec {
                    source: Some("police"),
                    ..sp(
                        "Some 60 households were moved out of the riverside area, police said.",
                        Attributed,
                    )
                },
            ],
            vec![
                Spec {
                    speaker: Some("Strand"),
                    entities: vec!["e-strand", "e-town"],
                    ..sp(
                        "Strand said the town would “not gamble with anyone’s safety”.",
                        Quote,
                    )
                },
                Spec {
                    loaded: vec![("chaos", "emotive", Some("congestion"))],
                    ..sp(
                        "Traffic chaos gripped the town centre as drivers sought detours.",
                        Reported,
                    )
                },
                Spec {
                    markers: vec!["may"],
                    ..sp(
                        "A ferry service may be added if the closure lasts beyond a month.",
                        Speculation,
                    )
                },
            ],
            vec![Spec {
                source: Some("residents"),
                ..sp(
                    "Residents told the Courier they had warned about the cracks since last winter.",
                    Attributed,
                )
            }],
        ],
    );
    (gazette, courier)
}

fn ferry_docs() -> Vec<Document> {
    use Status::*;
    let metas = [
        (
            "north-ferry",
            "North Star Daily",
            "Ferry fares rise by a fifth",
        ),
        (
            "riverside-ferry",
            "Riverside Post",
            "Commuters face higher ferry fares",
        ),
        ("weekly-ferry", "Aldery Weekly", "Ferry fares to rise"),
        ("radio-ferry", "Bay Radio", "Ferry fare increase confirmed"),
    ];
    let texts: [[&'static str; 2]; 4] = [
        [
            "Ferry fares across the bay will rise by 20% from 1 April, the operator announced.",
            "Season tickets are exempt until June.",
        ],
        [
            "Commuters will pay a fifth more for the ferry from 1 April, the operator said.",
            "The increase is a blow to families already stretched thin.",
        ],
        [
            "Ferry fares will go up by 25% in April, the operator said.",
            "Season tickets are exempt until June.",
        ],
        [
            "Ferry fares will go up by 25% in April, the operator said.",
            "Season tickets are exempt until June.",
        ],
    ];
    metas
        .iter()
        .zip(texts)
        .map(|((id, outlet, title), t)| {
            build_doc(
                DocMeta {
                    id,
                    outlet: Some(outlet),
                    title: Some(title),
                    author: None,
                    published: Some("2025-03-14"),
                    url: None,
                    boilerplate: vec![],
                },
                &[vec![
                    Spec {
                        source: Some("the operator"),
                        ..sp(t[0], Attributed)
                    },
                    Spec {
                        loaded: if t[1].contains("blow") {
                            vec![("a blow", "emotive", Some("a cost"))]
                        } else {
                            vec![]
                        },
                        ..sp(
                            t[1],
                            if t[1].contains("blow") {
                                Opinion
                            } else {
                                Reported
                            },
                        )
                    },
                ]],
            )
        })
        .collect()
}

/// The full synthetic report.
pub fn synthetic_report() -> Report {
    let (g, c) = bridge_story_docs();
    let mut ferries = ferry_docs();
    if let Some(radio) = ferries.get_mut(3) {
        radio.duplicate_of = Some(DuplicateLink {
            original: "weekly-ferry".into(),
            similarity: 0.97,
            changed_sentences: vec![],
        });
    }

    let times = vec![
        time(
            &g,
            "on Sunday",
            "2025-03-09",
            AnchorKind::Document,
            Some("2025-03-10"),
            Some("Sunday before the Gazette's publication date, Monday 10 March 2025"),
        ),
        time(
            &g,
            "the end of April",
            "2025-04",
            AnchorKind::Document,
            Some("2025-03-10"),
            Some("next April after publication"),
        ),
        time(&g, "2019", "2019", AnchorKind::Explicit, None, None),
        time(
            &c,
            "on Monday",
            "2025-03-10",
            AnchorKind::Document,
            Some("2025-03-11"),
            Some("Monday before the Courier's publication date, Tuesday 11 March 2025"),
        ),
        time(
            &c,
            "last winter",
            "2024-WI",
            AnchorKind::Story,
            Some("2025-03-10"),
            Some("winter before the closure reported by the Harbour Gazette"),
        ),
        time(
            &c,
            "beyond a month",
            "P1M",
            AnchorKind::None,
            None,
            Some("a duration, not a date"),
        ),
    ];

    let bridge_claims = vec![
        claim(
            "c1",
            ClaimKind::Agreed,
            "Mayor Strand defended the closure as a safety measure.",
            vec![cs(&g, 2), cs(&c, 2)],
            None,
            0.71,
        ),
        claim(
            "c2",
            ClaimKind::OnlyIn,
            "Repairs could take until the end of April.",
            vec![cs(&g, 3)],
            None,
            1.0,
        ),
        claim(
            "c3",
            ClaimKind::OnlyIn,
            "The bridge was last inspected in 2019.",
            vec![cs(&g, 5)],
            None,
            1.0,
        ),
        claim(
            "c4",
            ClaimKind::OnlyIn,
            "A ferry service may be added.",
            vec![cs(&c, 4)],
            None,
            1.0,
        ),
        claim(
            "c5",
            ClaimKind::OnlyIn,
            "Residents say they warned about the cracks.",
            vec![cs(&c, 5)],
            None,
            1.0,
        ),
        claim(
            "c6",
            ClaimKind::Conflict,
            "The bridge was closed after damage to its piers.",
            vec![cs(&g, 0), cs(&c, 0)],
            Some(Conflict {
                kind: ConflictKind::Date,
                values: vec!["2025-03-09".into(), "2025-03-10".into()],
                sentences: vec![],
            }),
            0.82,
        ),
        claim(
            "c7",
            ClaimKind::Conflict,
            "Households were evacuated from the riverside district.",
            vec![cs(&g, 1), cs(&c, 1)],
            Some(Conflict {
                kind: ConflictKind::Number,
                values: vec!["40 families".into(), "60 households".into()],
                sentences: vec![],
            }),
            0.64,
        ),
    ];
    let bridge_timeline = vec![
        TimelineEvent {
            date: "2019".into(),
            display: None,
            text: "Last inspection of the bridge".into(),
            anchor: AnchorKind::Explicit,
            documents: vec![g.id.clone()],
            sentences: vec!["gazette-bridge:5".into()],
        },
        TimelineEvent {
            date: "2024-WI".into(),
            display: None,
            text: "Residents say they first warned about cracks".into(),
            anchor: AnchorKind::Story,
            documents: vec![c.id.clone()],
            sentences: vec!["courier-bridge:5".into()],
        },
        TimelineEvent {
            date: "2025-03-09".into(),
            display: None,
            text: "Bridge closed (Harbour Gazette's date)".into(),
            anchor: AnchorKind::Document,
            documents: vec![g.id.clone()],
            sentences: vec!["gazette-bridge:0".into()],
        },
        TimelineEvent {
            date: "2025-03-10".into(),
            display: None,
            text: "Bridge closed (Coastline Courier's date)".into(),
            anchor: AnchorKind::Document,
            documents: vec![c.id.clone()],
            sentences: vec!["courier-bridge:0".into()],
        },
        TimelineEvent {
            date: "2025-04".into(),
            display: None,
            text: "Repairs could be finished".into(),
            anchor: AnchorKind::Document,
            documents: vec![g.id.clone()],
            sentences: vec!["gazette-bridge:3".into()],
        },
        TimelineEvent {
            date: "XXXX-XX-XX".into(),
            display: None,
            text: "Ferry service could start if the closure lasts".into(),
            anchor: AnchorKind::None,
            documents: vec![c.id.clone()],
            sentences: vec!["courier-bridge:4".into()],
        },
    ];

    let entities = vec![
        Entity {
            id: "e-strand".into(),
            ty: EntityType::Person,
            confidence: 0.93,
            name: "Helena Strand".into(),
            aliases: vec!["Helena Strand".into(), "Strand".into()],
            roles: vec!["Mayor".into()],
            mentions: vec![mention(&g, 2, "Helena Strand"), mention(&c, 2, "Strand")],
            evidence: vec![Evidence {
                rule: "short_form".into(),
                forms: vec!["Helena Strand".into(), "Strand".into()],
                sentences: vec!["gazette-bridge:2".into(), "courier-bridge:2".into()],
            }],
        },
        Entity {
            id: "e-rra".into(),
            ty: EntityType::Org,
            confidence: 0.88,
            name: "Regional Roads Authority".into(),
            aliases: vec!["RRA".into(), "Regional Roads Authority".into()],
            roles: vec![],
            mentions: vec![
                mention(&g, 1, "Regional Roads Authority"),
                mention(&g, 5, "RRA"),
            ],
            evidence: vec![Evidence {
                rule: "acronym".into(),
                forms: vec!["Regional Roads Authority".into(), "RRA".into()],
                sentences: vec!["gazette-bridge:1".into(), "gazette-bridge:5".into()],
            }],
        },
        Entity {
            id: "e-bridge".into(),
            ty: EntityType::Other,
            confidence: 0.8,
            name: "Lindqvist Bridge".into(),
            aliases: vec!["Lindqvist Bridge".into()],
            roles: vec![],
            mentions: vec![
                mention(&g, 0, "Lindqvist Bridge"),
                mention(&c, 0, "Lindqvist Bridge"),
            ],
            evidence: vec![],
        },
        Entity {
            id: "e-town".into(),
            ty: EntityType::Place,
            confidence: 0.9,
            name: "Port Aldery".into(),
            aliases: vec!["Port Aldery".into()],
            roles: vec![],
            mentions: vec![mention(&g, 0, "Port Aldery")],
            evidence: vec![],
        },
    ];

    let ferry_ids: Vec<String> = ferries.iter().map(|d| d.id.clone()).collect();
    let ferry_claims = vec![
        claim(
            "f1",
            ClaimKind::Agreed,
            "Season tickets are exempt until June.",
            vec![cs(&ferries[0], 1), cs(&ferries[2], 1), cs(&ferries[3], 1)],
            None,
            0.99,
        ),
        claim(
            "f2",
            ClaimKind::Conflict,
            "Ferry fares will rise in April.",
            vec![
                cs(&ferries[0], 0),
                cs(&ferries[1], 0),
                cs(&ferries[2], 0),
                cs(&ferries[3], 0),
            ],
            Some(Conflict {
                kind: ConflictKind::Number,
                values: vec!["20%".into(), "a fifth".into(), "25%".into(), "25%".into()],
                sentences: vec![],
            }),
            0.77,
        ),
        claim(
            "f3",
            ClaimKind::OnlyIn,
            "The increase hurts families.",
            vec![cs(&ferries[1], 1)],
            None,
            1.0,
        ),
    ];

    let stories = vec![
        Story {
            id: "story-1".into(),
            label: "Storm damage shuts Lindqvist Bridge in Port Aldery".into(),
            documents: vec![g.id.clone(), c.id.clone()],
            claims: bridge_claims,
            timeline: bridge_timeline,
            entities: vec![
                "e-strand".into(),
                "e-rra".into(),
                "e-bridge".into(),
                "e-town".into(),
            ],
            thread: Some("thread-1".into()),
        },
        Story {
            id: "story-2".into(),
            label: "Ferry fares rise".into(),
            documents: ferry_ids,
            claims: ferry_claims,
            timeline: vec![],
            entities: vec![],
            thread: Some("thread-1".into()),
        },
    ];

    let mut documents = vec![g, c];
    documents.extend(ferries);
    Report {
        schema_version: SCHEMA_VERSION.to_string(),
        documents,
        entities,
        times,
        stories,
        threads: vec![Thread {
            id: "thread-1".into(),
            label: "Storm damage shuts Lindqvist Bridge in Port Aldery".into(),
            stories: vec!["story-1".into(), "story-2".into()],
        }],
        alignment: parallax_core::AlignmentInfo::default(),
    }
}
