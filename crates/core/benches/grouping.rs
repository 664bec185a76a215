//! Scale benchmark for story grouping (`cargo bench -p parallax-core --bench grouping`).
//!
//! Builds a synthetic corpus of already-analysed documents by recombining the BASIL dev
//! articles: each synthetic story takes one BASIL event, renames its capitalised words to
//! invented names of its own, moves it to its own date, and writes 2-6 articles by sampling and
//! perturbing sentences of that event's three articles; exact and near copies are mixed in.
//! Then times `stories::group_timed` (features, near-duplicates, and one `StoryIndex::add` per
//! article in order) on the first 10k, 20k, 50k and 100k documents, with the peak
//! memory of each run (VmHWM after resetting it through `/proc/self/clear_refs`).
//!
//! Data: `$PARALLAX_DATA_DIR`, else `../../../shared/data` from this crate. Missing data is a
//! note and exit 0. Size: `--max N` or `PARALLAX_BENCH_MAX=N` (default 100000).

use parallax_core::clean::assemble;
use parallax_core::model::{Document, EntityType, Mention, Metadata, TimeExpr};
use parallax_core::stories;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::time::Instant;

struct Article {
    title: String,
    date: String,
    paragraphs: Vec<Vec<String>>,
}

/// xorshift64*: a tiny deterministic generator (no dependency, same corpus every run).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn chance(&mut self, p: f64) -> bool {
        (self.next() % 10_000) as f64 / 10_000.0 < p
    }
}

fn data_dir() -> PathBuf {
    std::env::var_os("PARALLAX_DATA_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"))
}

fn max_docs() -> usize {
    let args: Vec<String> = std::env::args().collect();
    let from_args = args
        .iter()
        .position(|a| a == "--max")
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok());
    from_args
        .or_else(|| {
            std::env::var("PARALLAX_BENCH_MAX")
                .ok()
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(100_000)
}

fn load(dir: &Path) -> BTreeMap<String, Vec<Article>> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "json") {
                files.push(p);
            }
        }
    }
    files.sort();
    let mut by_story: BTreeMap<String, Vec<Article>> = BTreeMap::new();
    for f in files {
        let Ok(text) = std::fs::read_to_string(&f) else {
            continue;
        };
        let Ok(v) = serde_json::from_str::<serde_json::Value>(&text) else {
            continue;
        };
        let Some(story) = v.get("triplet-uuid").and_then(|x| x.as_str()) else {
            continue;
        };
        let paragraphs: Vec<Vec<String>> = v
            .get("body-paragraphs")
            .and_then(|x| x.as_array())
            .map(|ps| {
                ps.iter()
                    .filter_map(|p| p.as_array())
                    .map(|ss| {
                        ss.iter()
                            .filter_map(|s| s.as_str())
                            .map(str::to_string)
                            .collect()
                    })
                    .collect()
            })
            .unwrap_or_default();
        by_story
            .entry(story.to_string())
            .or_default()
            .push(Article {
                title: v
                    .get("title")
                    .and_then(|x| x.as_str())
                    .unwrap_or("")
                    .to_string(),
                date: v
                    .get("date")
                    .and_then(|x| x.as_str())
                    .unwrap_or("2012-01-01")
                    .to_string(),
                paragraphs,
            });
    }
    by_story
}

const SYLLABLES: [&str; 24] = [
    "ka", "lo", "ve", "ri", "ta", "mon", "dar", "el", "su", "bra", "ni", "os", "qui", "len", "fa",
    "gor", "mi", "zan", "tu", "pe", "ro", "wil", "ha", "dex",
];

/// An invented name for `word` in synthetic story `story`.
fn pseudo_name(story: u64, word: &str) -> String {
    let mut h = story.wrapping_mul(0x9e37_79b9_7f4a_7c15);
    for b in word.bytes() {
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    let mut r = Rng(h | 1);
    let n = 2 + r.below(2);
    let mut s = String::new();
    for _ in 0..n {
        s.push_str(SYLLABLES[r.below(SYLLABLES.len())]);
    }
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or(s)
}

/// Renames capitalised words (names, places, sentence starts alike) to the story's own names.
fn rename(text: &str, story: u64, cache: &mut HashMap<String, String>) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, w) in text.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let core: String = w.chars().take_while(|c| c.is_alphabetic()).collect();
        if core.len() >= 3 && core.chars().next().is_some_and(char::is_uppercase) && i > 0 {
            let name = cache
                .entry(core.clone())
                .or_insert_with(|| pseudo_name(story, &core));
            out.push_str(name);
            out.push_str(&w[core.len()..]);
        } else {
            out.push_str(w);
        }
    }
    out
}

fn shift_date(date: &str, days: i64) -> String {
    chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.checked_add_signed(chrono::Duration::days(days)))
        .map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_else(|| date.to_string())
}

/// Mentions as a name tagger would give them: capitalised words not at a sentence start.
fn mentions(doc: &Document) -> Vec<Mention> {
    let mut out = Vec::new();
    for s in doc.sentences() {
        let mut first = true;
        let mut off = 0;
        for w in s.text.split(' ') {
            let start = s.start + off;
            off += w.len() + 1;
            let core: &str = w.trim_matches(|c: char| !c.is_alphanumeric());
            if !first && core.len() >= 3 && core.chars().next().is_some_and(char::is_uppercase) {
                out.push(Mention {
                    doc: doc.id.clone(),
                    sentence: s.id.clone(),
                    start,
                    end: start,
                    text: core.to_string(),
                    ty: EntityType::Other,
                    confidence: 0.5,
                    role: None,
                    points_to: None,
                });
            }
            first = false;
        }
    }
    out
}

/// The synthetic corpus: documents, their mentions, and the synthetic story of each.
fn corpus(
    base: &BTreeMap<String, Vec<Article>>,
    n: usize,
) -> (Vec<Document>, Vec<Vec<Mention>>, Vec<usize>) {
    let events: Vec<&Vec<Article>> = base.values().filter(|a| !a.is_empty()).collect();
    let mut rng = Rng(0x5eed_2024_0bad_cafe);
    let mut docs: Vec<Document> = Vec::with_capacity(n);
    let mut gold = Vec::with_capacity(n);
    let mut story = 0usize;
    while docs.len() < n {
        let ev = events[rng.below(events.len())];
        let shift = rng.below(3650) as i64 - 1825;
        let size = 2 + rng.below(5);
        let mut names = HashMap::new();
        for _ in 0..size {
            if docs.len() >= n {
                break;
            }
            let id = format!("syn{}", docs.len());
            // Exact or near copy of an earlier article of this story.
            if gold.last() == Some(&story) && rng.chance(0.1) {
                if let Some(prev) = docs.last().cloned() {
                    let mut paras: Vec<String> = prev
                        .paragraphs
                        .iter()
                        .map(|p| prev.text[p.start..p.end].to_string())
                        .collect();
                    if rng.chance(0.5) && paras.len() > 2 {
                        let k = rng.below(paras.len());
                        paras.remove(k);
                    }
                    let meta = Metadata {
                        title: prev.title.clone(),
                        published: prev.published.as_deref().map(|d| shift_date(d, 1)),
                        ..Metadata::default()
                    };
                    docs.push(assemble(id.clone(), id, meta, Vec::new(), &paras));
                    gold.push(story);
                    continue;
                }
            }
            let src = &ev[rng.below(ev.len())];
            let mut paras = Vec::new();
            for p in &src.paragraphs {
                let mut out = Vec::new();
                for s in p {
                    if rng.chance(0.8) {
                        out.push(rename(s, story as u64, &mut names));
                    }
                    if rng.chance(0.1) {
                        // A sentence from another outlet's article of the same event.
                        let other = &ev[rng.below(ev.len())];
                        if let Some(op) = other
                            .paragraphs
                            .get(rng.below(other.paragraphs.len().max(1)))
                        {
                            if let Some(os) = op.get(rng.below(op.len().max(1))) {
                                out.push(rename(os, story as u64, &mut names));
                            }
                        }
                    }
                }
                if !out.is_empty() {
                    paras.push(out.join(" "));
                }
            }
            let meta = Metadata {
                title: Some(
                    rename(&format!("x {}", src.title), story as u64, &mut names)[2..].to_string(),
                ),
                published: Some(shift_date(&src.date, shift + rng.below(3) as i64)),
                ..Metadata::default()
            };
            docs.push(assemble(id.clone(), id, meta, Vec::new(), &paras));
            gold.push(story);
        }
        story += 1;
    }
    let ments = docs.iter().map(mentions).collect();
    (docs, ments, gold)
}

/// Time expressions of every document (the time stage runs before grouping in the pipeline,
/// so it is not part of the timed grouping).
fn times_of(docs: &[Document]) -> Vec<Vec<TimeExpr>> {
    docs.iter().map(parallax_core::time::tag).collect()
}

fn status_kb(field: &str) -> Option<u64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    s.lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
}

/// CPU seconds (user + system) used by this process so far, from /proc/self/stat.
fn cpu_secs() -> f64 {
    let Ok(s) = std::fs::read_to_string("/proc/self/stat") else {
        return 0.0;
    };
    // Fields after the command name (which is in parentheses and may contain spaces).
    let rest = s.rsplit_once(')').map_or("", |x| x.1);
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    // utime and stime are fields 14 and 15 of stat, i.e. 11 and 12 after the name.
    (ticks(11) + ticks(12)) / 100.0
}

fn b3(found: &[usize], gold: &[usize]) -> f64 {
    let mut both: HashMap<(usize, usize), usize> = HashMap::new();
    let mut sf: HashMap<usize, usize> = HashMap::new();
    let mut sg: HashMap<usize, usize> = HashMap::new();
    for (f, g) in found.iter().zip(gold) {
        *both.entry((*f, *g)).or_default() += 1;
        *sf.entry(*f).or_default() += 1;
        *sg.entry(*g).or_default() += 1;
    }
    let n = found.len().max(1) as f64;
    let (mut p, mut r) = (0.0, 0.0);
    for (f, g) in found.iter().zip(gold) {
        let o = both[&(*f, *g)] as f64;
        p += o / sf[f] as f64;
        r += o / sg[g] as f64;
    }
    let (p, r) = (p / n, r / n);
    if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    }
}

fn main() {
    let dir = data_dir().join("basil-dev").join("articles");
    if !dir.is_dir() {
        println!(
            "grouping bench: skipped, dev data not found at {} (set PARALLAX_DATA_DIR)",
            dir.display()
        );
        return;
    }
    let max = max_docs();
    let base = load(&dir);
    if base.is_empty() {
        println!(
            "grouping bench: skipped, no BASIL articles in {}",
            dir.display()
        );
        return;
    }
    let t = Instant::now();
    let (docs, ments, gold) = corpus(&base, max);
    let times = times_of(&docs);
    println!(
        "corpus: {} synthetic documents from {} dev events, {} synthetic stories, built in {:.1}s",
        docs.len(),
        base.len(),
        gold.last().map_or(0, |s| s + 1),
        t.elapsed().as_secs_f64()
    );
    println!(
        "threads: {}",
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    println!("| docs | wall s | CPU s | docs/s (wall) | stories | threads | copies | RSS before MB | peak MB | b3 F1 vs synthetic |");
    println!("|---|---|---|---|---|---|---|---|---|---|");
    let mut sizes: Vec<usize> = [10_000, 20_000, 50_000, 100_000]
        .into_iter()
        .filter(|&s| s < docs.len())
        .collect();
    sizes.push(docs.len());
    for n in sizes {
        // Reset the peak-RSS counter (Linux: writing 5 to clear_refs resets VmHWM).
        let _ = std::fs::write("/proc/self/clear_refs", "5");
        let before = status_kb("VmRSS:").unwrap_or(0);
        let cpu0 = cpu_secs();
        let t = Instant::now();
        let g = stories::group_timed(&docs[..n], &ments[..n], &times[..n]);
        let secs = t.elapsed().as_secs_f64();
        let cpu = cpu_secs() - cpu0;
        let peak = status_kb("VmHWM:").unwrap_or(0);
        let mut found = vec![0usize; n];
        for (k, s) in g.stories.iter().enumerate() {
            for &i in s {
                found[i] = k;
            }
        }
        println!(
            "| {n} | {secs:.2} | {cpu:.2} | {:.0} | {} | {} | {} | {} | {} | {:.3} |",
            n as f64 / secs.max(1e-9),
            g.stories.len(),
            g.threads.iter().max().map_or(0, |t| t + 1),
            g.duplicates.len(),
            before / 1024,
            peak / 1024,
            b3(&found, &gold[..n])
        );
    }
}
