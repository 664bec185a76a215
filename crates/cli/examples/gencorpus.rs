//! Builds a large synthetic news collection for scale benchmarks by recombining real
//! articles (BASIL's JSON layout: `title`, `date`, `body-paragraphs`, `triplet-uuid`).
//!
//! Each synthetic story takes one source event (the articles of one `triplet-uuid`), a date,
//! and a consistent renaming of its capitalised words; each of its 1-4 articles keeps about
//! three quarters of one source article's sentences, borrows a sentence from another article
//! of the event, and changes its numbers. Articles of one synthetic story therefore share
//! names and dates like real coverage of one event, and no two articles are near-copies.
//! Deterministic: the same arguments give the same files.
//!
//! ```sh
//! cargo run --release -p parallax --example gencorpus -- ../shared/data/basil-dev 10000 /tmp/c10k
//! ```
//! writes `/tmp/c10k/part-NNN.jsonl` (1,000 articles per file).

use serde_json::{json, Value};
use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::path::{Path, PathBuf};

/// SplitMix64: a small, good, reproducible generator (no dependency needed).
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

struct Source {
    title: String,
    sentences: Vec<String>,
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [dir, n, out] = args.as_slice() else {
        eprintln!("usage: gencorpus BASIL_DIR ARTICLES OUT_DIR");
        std::process::exit(2);
    };
    let n: usize = n.parse()?;
    let events = read_events(Path::new(dir))?;
    if events.is_empty() {
        return Err(format!("{dir}: no BASIL articles found").into());
    }
    let out = PathBuf::from(out);
    std::fs::create_dir_all(&out)?;
    let outlets: Vec<String> = (0..40).map(|i| format!("Outlet {:02}", i + 1)).collect();
    let mut rng = Rng(0x5eed_1234);
    let mut written = 0usize;
    let mut story = 0usize;
    let mut file: Option<std::io::BufWriter<std::fs::File>> = None;
    while written < n {
        story += 1;
        let event = &events[rng.below(events.len())];
        let day = rng.below(365 * 12) as i64; // 2012..2024
        let renames = renaming(event, &mut rng, story);
        let size = 1 + rng.below(4);
        for k in 0..size {
            if written == n {
                break;
            }
            if written.is_multiple_of(1000) {
                let f =
                    std::fs::File::create(out.join(format!("part-{:03}.jsonl", written / 1000)))?;
                file = Some(std::io::BufWriter::new(f));
            }
            let base = &event[rng.below(event.len())];
            let other = &event[rng.below(event.len())];
            let mut sentences: Vec<String> = Vec::new();
            for s in &base.sentences {
                if rng.below(4) != 0 {
                    sentences.push(s.clone());
                }
            }
            if let Some(s) = other.sentences.get(rng.below(other.sentences.len())) {
                let at = rng.below(sentences.len() + 1);
                sentences.insert(at, s.clone());
            }
            let text: Vec<String> = sentences
                .iter()
                .map(|s| rewrite(s, &renames, &mut rng))
                .collect();
            let paragraphs: Vec<String> = text.chunks(3).map(|c| c.join(" ")).collect();
            let date = date_string(day + rng.below(3) as i64);
            let record = json!({
                "title": rewrite(&base.title, &renames, &mut rng),
                "outlet": outlets[(story * 7 + k * 13) % outlets.len()],
                "published": date,
                "text": paragraphs.join("\n\n"),
            });
            if let Some(f) = file.as_mut() {
                writeln!(f, "{record}")?;
            }
            written += 1;
        }
    }
    if let Some(mut f) = file {
        f.flush()?;
    }
    eprintln!(
        "gencorpus: {written} articles in {story} stories -> {}",
        out.display()
    );
    Ok(())
}

/// BASIL articles grouped by event, in file order.
fn read_events(dir: &Path) -> Result<Vec<Vec<Source>>, Box<dyn std::error::Error>> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d)? {
            let p = e?.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "json") {
                files.push(p);
            }
        }
    }
    files.sort();
    let mut events: BTreeMap<String, Vec<Source>> = BTreeMap::new();
    for f in files {
        let Ok(v) = serde_json::from_slice::<Value>(&std::fs::read(&f)?) else {
            continue;
        };
        let Some(paras) = v["body-paragraphs"].as_array() else {
            continue;
        };
        let sentences: Vec<String> = paras
            .iter()
            .filter_map(Value::as_array)
            .flatten()
            .filter_map(|s| s.as_str().map(str::to_string))
            .collect();
        let event = v["triplet-uuid"].as_str().unwrap_or("").to_string();
        events.entry(event).or_default().push(Source {
            title: v["title"].as_str().unwrap_or("").to_string(),
            sentences,
        });
    }
    Ok(events.into_values().collect())
}

/// A consistent renaming of about half of the event's capitalised words, so synthetic
/// stories from one source event name different actors.
fn renaming(event: &[Source], rng: &mut Rng, story: usize) -> HashMap<String, String> {
    const SYLLABLES: &[&str] = &[
        "ka", "lo", "mi", "ren", "tar", "vel", "do", "sa", "ni", "bor", "ul", "pe", "ra", "zo",
        "me", "lin",
    ];
    let mut map = HashMap::new();
    for s in event {
        for w in s
            .title
            .split_whitespace()
            .chain(s.sentences.iter().flat_map(|x| x.split_whitespace()))
        {
            let w = w.trim_matches(|c: char| !c.is_alphanumeric());
            if w.len() > 3
                && w.chars().next().is_some_and(char::is_uppercase)
                && !map.contains_key(w)
                && rng.below(2) == 0
            {
                let mut name = String::new();
                for _ in 0..2 + rng.below(2) {
                    name.push_str(SYLLABLES[rng.below(SYLLABLES.len())]);
                }
                name.push_str(&format!("{}", story % 97));
                let mut c = name.chars();
                let cap: String = c
                    .next()
                    .map(|f| f.to_uppercase().chain(c).collect())
                    .unwrap_or_default();
                map.insert(w.to_string(), cap);
            }
        }
    }
    map
}

/// Applies the renaming and changes every number.
fn rewrite(s: &str, renames: &HashMap<String, String>, rng: &mut Rng) -> String {
    s.split(' ')
        .map(|w| {
            let core = w.trim_matches(|c: char| !c.is_alphanumeric());
            if let Some(r) = renames.get(core) {
                w.replacen(core, r, 1)
            } else if !core.is_empty() && core.chars().all(|c| c.is_ascii_digit()) {
                w.replacen(core, &(rng.below(900) + 2).to_string(), 1)
            } else {
                w.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Days after 2012-01-01 as `YYYY-MM-DD`.
fn date_string(days: i64) -> String {
    let z = days + 15_340 + 719_468; // 2012-01-01 is day 15,340 after 1970-01-01
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}
