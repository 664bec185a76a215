//! `parallax eval align`: cross-outlet claim alignment scored on hand-annotated BASIL stories
//! (format `parallax-align/1`, documented with the development data in `align-dev/README.md`).
//!
//! DIR holds the gold file(s) (`*.json` whose `format` is `parallax-align/1`); article names are
//! relative to `DIR/articles/` when it exists, else `DIR/../basil-dev/articles/`. Each story's
//! articles become JSON-like inputs (paragraphs joined by blank lines, sentences by spaces;
//! title, date, outlet), run through the whole pipeline on their own, and Parallax's sentences
//! are mapped onto BASIL's by their letters and digits (a sentence maps to every BASIL sentence
//! holding at least half of the shorter one), as the reference scorer `score.py` does.
//!
//! Metrics: `pair_precision`, `pair_recall`, `pair_f1` over cross-outlet sentence pairs (gold:
//! members of one fact, or the two sides of a conflict; predicted: both in one `agreed` or
//! `conflict` claim; pairs only in `related` groups or soft conflicts count neither way);
//! `conflict_recall` (gold conflicts with one `conflict` claim holding a sentence of each side);
//! `false_conflicts_per_story` (conflict claims over two articles that hold no gold or soft
//! conflict, per story: a rate, not a share); `facts_linked` (facts with at least one pair
//! found) and `only_in_recall` (single-outlet examples shown as `only_in`).

use crate::metrics::prf;
use crate::{EvalError, EvalOptions, EvalResult, FeatureRow};
use parallax_core::embed::SentenceVectors;
use parallax_core::model::{ArticleInput, ClaimKind, InputKind, Metadata, Report};
use parallax_core::stories::align as core_align;
use parallax_core::{analyze, Options};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

pub const FORMAT: &str = "parallax-align/1";

/// A reference: article name, then sentence indices.
type Ref = Vec<serde_json::Value>;

#[derive(Debug, Clone, Deserialize)]
pub struct Gold {
    pub format: String,
    pub stories: Vec<Story>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Story {
    pub triplet: String,
    pub articles: Vec<String>,
    #[serde(default)]
    pub facts: Vec<Group>,
    #[serde(default)]
    pub conflicts: Vec<GoldConflict>,
    #[serde(default)]
    pub soft_conflicts: Vec<GoldConflict>,
    #[serde(default)]
    pub related: Vec<Group>,
    #[serde(default)]
    pub single_outlet_examples: Vec<Single>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Group {
    pub members: Vec<Ref>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct GoldConflict {
    pub a: Ref,
    pub b: Ref,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Single {
    pub at: Ref,
}

/// A sentence of a story: (article index in the story, BASIL sentence index).
type Sent = (usize, usize);
type SentPair = (Sent, Sent);
/// A tool claim seen through the gold: its kind and, per article, the BASIL indices it holds.
type MappedClaim = (ClaimKind, BTreeMap<usize, BTreeSet<usize>>);
/// Tool sentence id -> (article, BASIL indices).
type SentenceMap = HashMap<String, (usize, Vec<usize>)>;

/// Parses a gold file; errors name the file (and serde's line and column).
pub fn parse_gold(name: &str, text: &str) -> Result<Gold, EvalError> {
    let g: Gold = serde_json::from_str(text).map_err(|e| EvalError::data(name, e))?;
    if g.format != FORMAT {
        return Err(EvalError::data(
            name,
            format!("format is {:?}, not {FORMAT:?}", g.format),
        ));
    }
    for (n, st) in g.stories.iter().enumerate() {
        let bad =
            |what: String| EvalError::data(name, format!("story {n} ({}): {what}", st.triplet));
        let refs = st
            .facts
            .iter()
            .chain(&st.related)
            .flat_map(|f| f.members.iter())
            .chain(
                st.conflicts
                    .iter()
                    .chain(&st.soft_conflicts)
                    .flat_map(|c| [&c.a, &c.b]),
            )
            .chain(st.single_outlet_examples.iter().map(|s| &s.at));
        for r in refs {
            let ok = r
                .first()
                .and_then(|a| a.as_str())
                .is_some_and(|a| st.articles.iter().any(|x| x == a))
                && r.len() >= 2
                && r[1..].iter().all(|i| i.as_u64().is_some());
            if !ok {
                return Err(bad(format!(
                    "reference {} is not [article of the story, index, ...]",
                    parallax_core::text::truncate_chars(
                        &serde_json::Value::Array(r.clone()).to_string(),
                        80
                    )
                )));
            }
        }
    }
    Ok(g)
}

/// (article index, indices) of a reference already checked by [`parse_gold`].
fn resolve(st: &Story, r: &Ref) -> (usize, Vec<usize>) {
    let a = r
        .first()
        .and_then(|a| a.as_str())
        .and_then(|a| st.articles.iter().position(|x| x == a))
        .unwrap_or(usize::MAX);
    let ix = r[1..]
        .iter()
        .filter_map(|i| i.as_u64().map(|i| i as usize))
        .collect();
    (a, ix)
}

fn norm(x: Sent, y: Sent) -> SentPair {
    if x <= y {
        (x, y)
    } else {
        (y, x)
    }
}

fn cross_pairs(groups: &[(usize, Vec<usize>)]) -> BTreeSet<SentPair> {
    let mut out = BTreeSet::new();
    for (k, (a, ia)) in groups.iter().enumerate() {
        for (b, ib) in &groups[k + 1..] {
            if a == b {
                continue;
            }
            for &i in ia {
                for &j in ib {
                    out.insert(norm((*a, i), (*b, j)));
                }
            }
        }
    }
    out
}

/// Letters and digits only, lower case, accents dropped: the stream sentences are matched in.
pub fn squash(s: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    s.nfkd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .filter(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        .collect()
}

/// One BASIL article's sentences as spans of its squashed text.
struct Basil {
    /// Where the article was read from (the report's `source` of its document).
    source: String,
    stream: String,
    spans: Vec<Option<(usize, usize)>>,
}

impl Basil {
    fn new(sentences: &[String]) -> Self {
        let mut stream = String::new();
        let mut spans = Vec::new();
        for s in sentences {
            let q = squash(s);
            spans.push((!q.is_empty()).then(|| (stream.len(), stream.len() + q.len())));
            stream.push_str(&q);
        }
        Basil {
            source: String::new(),
            stream,
            spans,
        }
    }

    /// Where a squashed tool sentence sits in the stream (exact, else by 16-character pieces).
    fn locate(&self, t: &str, cursor: usize) -> Option<(usize, usize)> {
        if t.is_empty() {
            return None;
        }
        let b = &self.stream;
        let find_from = |piece: &str, from: usize| {
            b.get(from.min(b.len())..)
                .and_then(|rest| rest.find(piece))
                .map(|i| i + from.min(b.len()))
                .or_else(|| b.find(piece))
        };
        if let Some(i) = find_from(t, cursor) {
            return Some((i, i + t.len()));
        }
        let k = 16;
        let mut offs: Vec<i64> = Vec::new();
        let mut s = 0;
        while s < t.len().saturating_sub(k - 1).max(1) {
            let piece = &t[s..(s + k).min(t.len())];
            if let Some(j) = find_from(piece, cursor.saturating_sub(3000)) {
                offs.push(j as i64 - s as i64);
            }
            s += k;
        }
        if offs.is_empty() || (offs.len() * k) as f64 * 2.0 < t.len() as f64 {
            return None;
        }
        offs.sort_unstable();
        let start = offs[offs.len() / 2].max(0) as usize;
        Some((start, (start + t.len()).min(b.len())))
    }

    fn indices(&self, (a, b): (usize, usize)) -> Vec<usize> {
        let mut out = Vec::new();
        for (i, sp) in self.spans.iter().enumerate() {
            let Some((x, y)) = *sp else { continue };
            let ov = b.min(y) as i64 - a.max(x) as i64;
            if ov > 0 && ov as f64 >= 0.5 * (b - a).min(y - x) as f64 {
                out.push(i);
            }
        }
        out
    }
}

/// A BASIL article as read for this task.
struct Article {
    sentences: Vec<String>,
    input: ArticleInput,
}

fn read_article(root: &Path, name: &str, id: usize) -> Result<Article, EvalError> {
    let path = root.join(name);
    let text = std::fs::read_to_string(&path).map_err(|e| EvalError::data(&path, e))?;
    let v: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| EvalError::data(&path, e))?;
    let paras: Vec<Vec<String>> = v
        .get("body-paragraphs")
        .and_then(|p| p.as_array())
        .map(|ps| {
            ps.iter()
                .map(|p| {
                    p.as_array()
                        .map(|ss| {
                            ss.iter()
                                .map(|s| s.as_str().unwrap_or("").to_string())
                                .collect()
                        })
                        .unwrap_or_default()
                })
                .collect()
        })
        .unwrap_or_default();
    let sentences: Vec<String> = paras.iter().flatten().cloned().collect();
    let body: Vec<String> = paras
        .iter()
        .map(|p| {
            p.iter()
                .map(|s| s.trim())
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .filter(|p| !p.is_empty())
        .collect();
    let s = |k: &str| v.get(k).and_then(|x| x.as_str()).map(str::to_string);
    Ok(Article {
        sentences,
        input: ArticleInput {
            // Ids in story order keep the report's order equal to the gold's.
            id: format!("a{id}"),
            source: path.display().to_string(),
            kind: InputKind::Json,
            body: body.join("\n\n"),
            hints: Metadata {
                title: s("title"),
                published: s("date"),
                outlet: s("source"),
                ..Metadata::default()
            },
            boilerplate: Vec::new(),
        },
    })
}

/// Counts of one story.
#[derive(Debug, Default, Clone, Copy, PartialEq)]
struct Counts {
    tp: usize,
    fp: usize,
    fn_: usize,
    facts: usize,
    facts_hit: usize,
    conflicts: usize,
    found: usize,
    false_conflicts: usize,
    only: usize,
    only_hit: usize,
}

/// Tool claims as (kind, {article: BASIL indices}).
fn claims_in_basil(report: &Report, basil: &[Basil]) -> (Vec<MappedClaim>, SentenceMap) {
    let mut sent_map: HashMap<String, (usize, Vec<usize>)> = HashMap::new();
    for d in &report.documents {
        // Report ids are content hashes: find the article by where it was read from.
        let Some(a) = basil.iter().position(|b| b.source == d.source) else {
            continue;
        };
        let Some(b) = basil.get(a) else { continue };
        let mut cursor = 0;
        for s in d.sentences() {
            let ix = match b.locate(&squash(&s.text), cursor) {
                Some(span) => {
                    cursor = span.1;
                    b.indices(span)
                }
                None => Vec::new(),
            };
            sent_map.insert(s.id.clone(), (a, ix));
        }
    }
    let mut claims = Vec::new();
    for st in &report.stories {
        for c in &st.claims {
            let mut members: BTreeMap<usize, BTreeSet<usize>> = BTreeMap::new();
            for s in &c.sentences {
                if let Some((a, ix)) = sent_map.get(&s.sentence) {
                    members.entry(*a).or_default().extend(ix.iter().copied());
                }
            }
            if !members.is_empty() {
                claims.push((c.kind, members));
            }
        }
    }
    (claims, sent_map)
}

fn score_story(st: &Story, basil: &[Basil], report: &Report) -> (Counts, GoldSets) {
    let gold = gold_sets(st);
    let (claims, _) = claims_in_basil(report, basil);
    let mut pred = BTreeSet::new();
    for (kind, m) in &claims {
        if matches!(kind, ClaimKind::Agreed | ClaimKind::Conflict) {
            let groups: Vec<(usize, Vec<usize>)> = m
                .iter()
                .map(|(a, ix)| (*a, ix.iter().copied().collect()))
                .collect();
            pred.extend(cross_pairs(&groups));
        }
    }
    let mut c = Counts {
        tp: pred.intersection(&gold.pos).count(),
        fp: pred
            .iter()
            .filter(|p| !gold.pos.contains(p) && !gold.ignore.contains(p))
            .count(),
        fn_: gold.pos.difference(&pred).count(),
        facts: st.facts.len(),
        facts_hit: gold
            .fact_pairs
            .iter()
            .filter(|ps| !ps.is_disjoint(&pred))
            .count(),
        conflicts: st.conflicts.len(),
        only: st.single_outlet_examples.len(),
        ..Counts::default()
    };
    let conflicts: Vec<&BTreeMap<usize, BTreeSet<usize>>> = claims
        .iter()
        .filter(|(k, _)| *k == ClaimKind::Conflict)
        .map(|(_, m)| m)
        .collect();
    for gc in &st.conflicts {
        let (a, ia) = resolve(st, &gc.a);
        let (b, ib) = resolve(st, &gc.b);
        let hit = conflicts.iter().any(|m| {
            m.get(&a).is_some_and(|s| ia.iter().any(|i| s.contains(i)))
                && m.get(&b).is_some_and(|s| ib.iter().any(|i| s.contains(i)))
        });
        c.found += usize::from(hit);
    }
    for m in &conflicts {
        if m.len() < 2 {
            continue;
        }
        let groups: Vec<(usize, Vec<usize>)> = m
            .iter()
            .map(|(a, ix)| (*a, ix.iter().copied().collect()))
            .collect();
        let ps = cross_pairs(&groups);
        let real = gold.conflict_pairs.iter().any(|cp| !cp.is_disjoint(&ps))
            || !ps.is_disjoint(&gold.soft);
        c.false_conflicts += usize::from(!real);
    }
    for ex in &st.single_outlet_examples {
        let (a, ix) = resolve(st, &ex.at);
        let hit = claims.iter().any(|(k, m)| {
            *k == ClaimKind::OnlyIn && m.get(&a).is_some_and(|s| ix.iter().any(|i| s.contains(i)))
        });
        c.only_hit += usize::from(hit);
    }
    (c, gold)
}

struct GoldSets {
    pos: BTreeSet<SentPair>,
    ignore: BTreeSet<SentPair>,
    fact_pairs: Vec<BTreeSet<SentPair>>,
    conflict_pairs: Vec<BTreeSet<SentPair>>,
    soft: BTreeSet<SentPair>,
}

fn gold_sets(st: &Story) -> GoldSets {
    let groups = |refs: &[Ref]| -> Vec<(usize, Vec<usize>)> {
        refs.iter().map(|r| resolve(st, r)).collect()
    };
    let fact_pairs: Vec<BTreeSet<SentPair>> = st
        .facts
        .iter()
        .map(|f| cross_pairs(&groups(&f.members)))
        .collect();
    let conflict_pairs: Vec<BTreeSet<SentPair>> = st
        .conflicts
        .iter()
        .map(|c| cross_pairs(&groups(&[c.a.clone(), c.b.clone()])))
        .collect();
    let mut pos: BTreeSet<SentPair> = BTreeSet::new();
    for p in fact_pairs.iter().chain(&conflict_pairs) {
        pos.extend(p.iter().copied());
    }
    let mut ignore: BTreeSet<SentPair> = BTreeSet::new();
    for r in &st.related {
        ignore.extend(cross_pairs(&groups(&r.members)));
    }
    let mut soft = BTreeSet::new();
    for c in &st.soft_conflicts {
        soft.extend(cross_pairs(&groups(&[c.a.clone(), c.b.clone()])));
    }
    ignore.extend(soft.iter().copied());
    let ignore = ignore.difference(&pos).copied().collect();
    GoldSets {
        pos,
        ignore,
        fact_pairs,
        conflict_pairs,
        soft,
    }
}

/// The gold files of DIR.
fn gold_files(dir: &Path) -> Result<Vec<(PathBuf, Gold)>, EvalError> {
    let mut out = Vec::new();
    let rd = std::fs::read_dir(dir).map_err(|e| EvalError::data(dir, e))?;
    let mut paths: Vec<PathBuf> = rd
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "json"))
        .collect();
    paths.sort();
    for p in paths {
        let text = std::fs::read_to_string(&p).map_err(|e| EvalError::data(&p, e))?;
        // Other JSON files may sit beside the gold; only those that say they are gold count.
        if !text.contains(FORMAT) {
            continue;
        }
        out.push((p.clone(), parse_gold(&p.display().to_string(), &text)?));
    }
    Ok(out)
}

fn articles_root(dir: &Path) -> PathBuf {
    let own = dir.join("articles");
    if own.is_dir() {
        own
    } else {
        dir.join("..").join("basil-dev").join("articles")
    }
}

pub fn run(dir: &Path, opts: &EvalOptions) -> Result<EvalResult, EvalError> {
    let golds = gold_files(dir)?;
    let root = articles_root(dir);
    let options = Options {
        embedder: opts.embedder.clone(),
        ..Options::default()
    };
    let mut total = Counts::default();
    let mut stories = 0usize;
    let mut rows: Vec<FeatureRow> = Vec::new();
    for (_, gold) in &golds {
        for st in &gold.stories {
            let mut arts = Vec::new();
            for (n, a) in st.articles.iter().enumerate() {
                arts.push(read_article(&root, a, n)?);
            }
            let basil: Vec<Basil> = arts
                .iter()
                .map(|a| Basil {
                    source: a.input.source.clone(),
                    ..Basil::new(&a.sentences)
                })
                .collect();
            let report = analyze(arts.into_iter().map(|a| a.input).collect(), &options);
            if opts.embedder.is_some() && !report.alignment.embeddings {
                eprintln!(
                    "parallax: {}",
                    report.alignment.note.as_deref().unwrap_or("embeddings off")
                );
            }
            let (c, gold_sets) = score_story(st, &basil, &report);
            if opts.features.is_some() {
                rows.extend(feature_rows(st, &basil, &report, &gold_sets, &options));
            }
            stories += 1;
            total.tp += c.tp;
            total.fp += c.fp;
            total.fn_ += c.fn_;
            total.facts += c.facts;
            total.facts_hit += c.facts_hit;
            total.conflicts += c.conflicts;
            total.found += c.found;
            total.false_conflicts += c.false_conflicts;
            total.only += c.only;
            total.only_hit += c.only_hit;
        }
    }
    if stories == 0 {
        return Err(EvalError::Empty(dir.display().to_string()));
    }
    if let Some(out) = &opts.features {
        crate::write_features(out, &rows)?;
    }
    let (p, r, f) = prf(total.tp, total.tp + total.fp, total.tp + total.fn_);
    let share = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
    let mut m = BTreeMap::new();
    m.insert("pair_precision".into(), p);
    m.insert("pair_recall".into(), r);
    m.insert("pair_f1".into(), f);
    m.insert(
        "conflict_recall".into(),
        share(total.found, total.conflicts),
    );
    m.insert(
        "false_conflicts_per_story".into(),
        share(total.false_conflicts, stories),
    );
    m.insert("facts_linked".into(), share(total.facts_hit, total.facts));
    m.insert("only_in_recall".into(), share(total.only_hit, total.only));
    Ok(EvalResult {
        task: "align".into(),
        dataset: crate::dataset_name(dir),
        items: stories,
        metrics: m,
        counts: Default::default(),
    })
}

/// Every cross-outlet pair of claim sentences with its features and gold label (pairs the gold
/// leaves out of scoring are left out here too), in the whole story and, for a story of three
/// or more articles, in each story that leaves one article out.
///
/// Why the smaller stories: the gold stories all have three articles, while a reader's story
/// often has two, where the story-context features read differently (no third article to
/// bridge a pair, fewer sentences to weigh words against). A model fitted on three-article
/// stories alone scores two-article pairs too low; with both shapes in its data it learns what
/// each feature means in each. The rows of one gold story keep its name as their group, so a
/// leave-one-story-out fit holds all of them out together; pairs of a smaller story are named
/// with the article left out (`... -2` when the story's third article is left out).
fn feature_rows(
    st: &Story,
    basil: &[Basil],
    report: &Report,
    gold: &GoldSets,
    options: &Options,
) -> Vec<FeatureRow> {
    let docs: Vec<&parallax_core::Document> = report.documents.iter().collect();
    let vectors: Option<SentenceVectors> = options.embedder.as_ref().and_then(|e| {
        parallax_core::embed::embed_documents(e.as_ref(), &docs, core_align::MIN_QUOTE_WORDS).ok()
    });
    let mut rows = story_feature_rows(st, basil, report, gold, vectors.as_ref(), None);
    if docs.len() >= 3 {
        for left_out in 0..docs.len() {
            rows.extend(story_feature_rows(
                st,
                basil,
                report,
                gold,
                vectors.as_ref(),
                Some(left_out),
            ));
        }
    }
    rows
}

/// The rows of [`feature_rows`] for the story's articles, or all but `left_out`.
fn story_feature_rows(
    st: &Story,
    basil: &[Basil],
    report: &Report,
    gold: &GoldSets,
    vectors: Option<&SentenceVectors>,
    left_out: Option<usize>,
) -> Vec<FeatureRow> {
    let (_, sent_map) = claims_in_basil(report, basil);
    let docs: Vec<&parallax_core::Document> = report
        .documents
        .iter()
        .enumerate()
        .filter(|(k, _)| Some(*k) != left_out)
        .map(|(_, d)| d)
        .collect();
    let times: Vec<&parallax_core::TimeExpr> = report.times.iter().collect();
    let claims = core_align::features(&docs, &report.entities, &times);
    let pairs = core_align::cross_outlet_pairs(&claims);
    let feats = match vectors {
        Some(v) => core_align::story_pair_features(
            &claims,
            &pairs,
            &parallax_core::stories::EmbeddingSimilarity::new(v),
        ),
        None => core_align::story_pair_features(
            &claims,
            &pairs,
            &parallax_core::stories::LexicalSimilarity,
        ),
    };
    let mut rows = Vec::new();
    for (i, j) in pairs {
        let (a, b) = (&claims[i], &claims[j]);
        let (Some((da, ia)), Some((db, ib))) =
            (sent_map.get(&a.sentence_id), sent_map.get(&b.sentence_id))
        else {
            continue;
        };
        let bp: Vec<SentPair> = ia
            .iter()
            .flat_map(|&x| ib.iter().map(move |&y| norm((*da, x), (*db, y))))
            .collect();
        if bp.is_empty() {
            continue;
        }
        let label = bp.iter().any(|p| gold.pos.contains(p));
        if !label && bp.iter().all(|p| gold.ignore.contains(p)) {
            continue;
        }
        let Some((x, _)) = feats.get(&(i, j)) else {
            continue;
        };
        let ix = |v: &[usize]| v.iter().map(usize::to_string).collect::<Vec<_>>().join(",");
        rows.push(FeatureRow {
            label,
            features: *x,
            group: st.triplet.clone(),
            pair: match left_out {
                None => format!("{da}:{}~{db}:{}", ix(ia), ix(ib)),
                Some(k) => format!("{da}:{}~{db}:{} -{k}", ix(ia), ix(ib)),
            },
        });
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn squash_keeps_letters_and_digits() {
        assert_eq!(squash("Café “48-page” É!"), "cafe48pagee");
    }

    #[test]
    fn sentences_map_onto_basil_indices() {
        let b = Basil::new(&[
            "The first sentence is here.".into(),
            "".into(),
            "A second one follows it.".into(),
        ]);
        let span = b
            .locate(&squash("A second one follows it."), 0)
            .expect("found");
        assert_eq!(b.indices(span), vec![2]);
        let span = b
            .locate(
                &squash("The first sentence is here. A second one follows it."),
                0,
            )
            .expect("found");
        assert_eq!(b.indices(span), vec![0, 2]);
    }

    fn gold_text(refs: &str) -> String {
        format!(
            r#"{{"format": "parallax-align/1", "stories": [{{"triplet": "t", "articles": ["x.json", "y.json"],
              "facts": [{{"id": "f1", "members": {refs}}}]}}]}}"#
        )
    }

    #[test]
    fn gold_is_read_and_checked() {
        let g = parse_gold("g.json", &gold_text(r#"[["x.json", 0], ["y.json", 1, 2]]"#))
            .expect("valid");
        let sets = gold_sets(&g.stories[0]);
        assert_eq!(sets.pos.len(), 2);
        let err =
            parse_gold("g.json", &gold_text(r#"[["z.json", 0]]"#)).expect_err("unknown article");
        assert!(err.to_string().starts_with("g.json: story 0"), "{err}");
        let err =
            parse_gold("g.json", r#"{"format": "other", "stories": []}"#).expect_err("format");
        assert!(err.to_string().contains("parallax-align/1"));
        let err = parse_gold("g.json", "{\n\"format\": ").expect_err("truncated");
        assert!(err.to_string().starts_with("g.json:"), "{err}");
    }

    proptest! {
        #[test]
        fn gold_reader_never_panics(s in "\\PC{0,300}") {
            let _ = parse_gold("p.json", &s);
        }

        #[test]
        fn gold_reader_never_panics_on_odd_references(r in "\\[(\"x.json\"|\"y.json\"|-1|0|3|1e9|null|\\[\\]|, )*\\]") {
            let text = gold_text(&format!("[{r}]"));
            if let Ok(g) = parse_gold("p.json", &text) {
                let _ = gold_sets(&g.stories[0]);
            }
        }

        #[test]
        fn locate_never_panics(a in "\\PC{0,200}", t in "\\PC{0,100}", cursor in 0usize..500) {
            let b = Basil::new(&[a]);
            if let Some(span) = b.locate(&squash(&t), cursor) {
                let _ = b.indices(span);
            }
        }
    }
}
