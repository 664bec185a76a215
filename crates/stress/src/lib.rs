//! Hostile input shapes: text that is merely long or odd in the ways a scraper, a flattened
//! table or a whole archive in one record produce, generated at any size.
//!
//! Each [`Shape`] turns a byte size into files (name and bytes) whose cost a linear pipeline
//! must keep proportional to that size. `parallax bench --hostile` feeds them at growing sizes
//! and prints the time per MB (flat means linear); the fuzz tests seed their generators with
//! them. The ordinary text every shape is made of is the bundled example articles, so the
//! shapes use real words, names and dates.

mod rng;

pub use rng::Rng;

static EXAMPLE_A: &str = include_str!("../../../examples/articles/000_b6d48af4bb985d50.txt");
static EXAMPLE_B: &str = include_str!("../../../examples/articles/003_08cd909ce19de11f.txt");

/// One generated input file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct File {
    /// File name with the extension that picks its reader (`.txt`, `.html`, `.json`).
    pub name: String,
    pub bytes: Vec<u8>,
}

/// A hostile input shape.
#[derive(Debug, Clone, Copy)]
pub struct Shape {
    pub name: &'static str,
    /// One line saying what the input looks like.
    pub what: &'static str,
    generate: fn(usize) -> Vec<File>,
}

impl Shape {
    /// Files of about `bytes` bytes in all (never less than one unit of the pattern).
    pub fn generate(&self, bytes: usize) -> Vec<File> {
        (self.generate)(bytes)
    }
}

/// Every shape, `ordinary` (the yardstick) first.
pub fn shapes() -> &'static [Shape] {
    &SHAPES
}

/// The shape called `name`.
pub fn shape(name: &str) -> Option<&'static Shape> {
    SHAPES.iter().find(|s| s.name == name)
}

static SHAPES: [Shape; 20] = [
    Shape {
        name: "ordinary",
        what: "ordinary news text (the example articles, repeated)",
        generate: |n| text_file("ordinary", ordinary(n)),
    },
    Shape {
        name: "one-paragraph",
        what: "ordinary sentences in one paragraph, no blank lines",
        generate: |n| text_file("one-paragraph", ordinary(n).replace("\n\n", " ")),
    },
    Shape {
        name: "no-punct",
        what: "ordinary words, no punctuation: one sentence",
        generate: |n| text_file("no-punct", word_stream(n, |w, _| w.to_string(), " ")),
    },
    Shape {
        name: "lowercase",
        what: "ordinary words lower-cased, no punctuation",
        generate: |n| text_file("lowercase", word_stream(n, |w, _| w.to_lowercase(), " ")),
    },
    Shape {
        name: "capitalised",
        what: "capitalised words in a row, no punctuation",
        generate: |n| text_file("capitalised", word_stream(n, |w, _| capitalise(w), " ")),
    },
    Shape {
        name: "commas",
        what: "a comma after every word",
        generate: |n| text_file("commas", word_stream(n, |w, _| w.to_string(), ", ")),
    },
    Shape {
        name: "curly-quotes",
        what: "curly quotes alternating between words",
        generate: |n| {
            let s = word_stream(
                n,
                |w, i| {
                    if i % 2 == 0 {
                        format!("\u{201c}{w}")
                    } else {
                        format!("{w}\u{201d}")
                    }
                },
                " ",
            );
            text_file("curly-quotes", s)
        },
    },
    Shape {
        name: "open-quotes-said",
        what: "opening quotes never closed, each with \"said\"",
        generate: |n| {
            let s = word_stream(n, |w, _| format!("\u{201c}{} said", capitalise(w)), " ");
            text_file("open-quotes-said", s)
        },
    },
    Shape {
        name: "straight-quotes",
        what: "straight quotes interleaved with words",
        generate: |n| {
            text_file(
                "straight-quotes",
                word_stream(n, |w, _| format!("\"{w}"), " "),
            )
        },
    },
    Shape {
        name: "on-sunday",
        what: "\"on Sunday\" repeated",
        generate: |n| text_file("on-sunday", repeat_to("on Sunday ", n)),
    },
    Shape {
        name: "numbers-dates",
        what: "numbers, dates, percentages and amounts",
        generate: |n| {
            let mut rng = Rng::new(7);
            let mut s = String::with_capacity(n + 64);
            while s.len() < n {
                let (d, m, y) = (rng.below(28) + 1, rng.below(12) + 1, 1990 + rng.below(40));
                s.push_str(&format!(
                    "{d:02}/{m:02}/{y} {}.{}% ${},{:03} ",
                    rng.below(100),
                    rng.below(10),
                    rng.below(999) + 1,
                    rng.below(1000)
                ));
            }
            text_file("numbers-dates", s)
        },
    },
    Shape {
        name: "said-chain",
        what: "\"Smith said that Jones said\" repeated",
        generate: |n| text_file("said-chain", repeat_to("Smith said that Jones said ", n)),
    },
    Shape {
        name: "role-chain",
        what: "\"the minister said that the president said\" repeated",
        generate: |n| {
            let s = repeat_to("the minister said that the president said ", n);
            text_file(
                "role-chain",
                format!("Minister Ann Bell and President Jo Lee met.\n\n{s}"),
            )
        },
    },
    Shape {
        name: "urls",
        what: "URLs and e-mail addresses",
        generate: |n| {
            let mut s = String::with_capacity(n + 128);
            let mut i = 0u64;
            while s.len() < n {
                s.push_str(&format!(
                    "https://www.example{i}.com/news/2025/02/story-{i}.html?ref=home#top \
                     desk{i}@news.example.org "
                ));
                i += 1;
            }
            text_file("urls", s)
        },
    },
    Shape {
        name: "short-lines",
        what: "short paragraphs that each continue the last in lower case",
        generate: |n| {
            let s = word_stream(
                n,
                |w, i| {
                    if i % 6 == 5 {
                        format!("{}\n\n", w.to_lowercase())
                    } else {
                        w.to_lowercase()
                    }
                },
                " ",
            );
            text_file("short-lines", s)
        },
    },
    Shape {
        name: "html-attributes",
        what: "an HTML tag with a huge number of attributes",
        generate: |n| {
            let body = ordinary(2000).replace("\n\n", "</p><p>");
            let mut s = String::with_capacity(n + 512);
            s.push_str("<html><head><title>Attributes</title></head><body><article><p");
            let mut i = 0u64;
            while s.len() + body.len() + 40 < n {
                s.push_str(&format!(" data-a{i}=\"v\""));
                i += 1;
            }
            s.push('>');
            s.push_str(&body);
            s.push_str("</p></article></body></html>");
            vec![File {
                name: "html-attributes.html".into(),
                bytes: s.into_bytes(),
            }]
        },
    },
    Shape {
        name: "html-nesting",
        what: "HTML elements nested without end",
        generate: |n| {
            let unit = "<div><span>";
            let k = (n / (unit.len() + 14)).max(1);
            let mut s = String::with_capacity(n + 4096);
            s.push_str("<html><body>");
            s.push_str(&unit.repeat(k));
            s.push_str("<p>");
            s.push_str(&ordinary(2000).replace("\n\n", "</p><p>"));
            s.push_str("</p>");
            s.push_str(&"</span></div>".repeat(k));
            s.push_str("</body></html>");
            vec![File {
                name: "html-nesting.html".into(),
                bytes: s.into_bytes(),
            }]
        },
    },
    Shape {
        name: "html-formatting",
        what: "HTML formatting tags never closed, each with its own attribute",
        generate: |n| {
            let mut s = String::with_capacity(n + 64);
            s.push_str("<html><body><p>");
            for (i, w) in words().iter().cycle().enumerate() {
                if s.len() >= n {
                    break;
                }
                s.push_str(&format!("<b class=\"c{i}\">{w} "));
            }
            vec![File {
                name: "html-formatting.html".into(),
                bytes: s.into_bytes(),
            }]
        },
    },
    Shape {
        name: "html-raw-text",
        what: "an HTML script element full of unclosed tags, then the article",
        generate: |n| {
            let mut s = String::from("<html><head><script>");
            s.push_str(&repeat_to(
                "if (a <b && c <d) x = \"<p \"; ",
                n.saturating_sub(2100),
            ));
            s.push_str("</script></head><body><p>");
            s.push_str(&ordinary(2000).replace("\n\n", "</p><p>"));
            s.push_str("</p></body></html>");
            vec![File {
                name: "html-raw-text.html".into(),
                bytes: s.into_bytes(),
            }]
        },
    },
    Shape {
        name: "shared-events",
        what: "a dated and an undated article reporting the same events many times",
        generate: |n| {
            let half = n / 2;
            let mut dated = String::from("Release report\n\n10 February 2025\n\n");
            let mut undated = String::from("Release follow-up\n\n");
            let mut i = 0u64;
            while dated.len() < half {
                let day = i % 28 + 1;
                dated.push_str(&format!(
                    "Najim was released by the court in Rome on January {day} after the arrest \
                     of General Osama Najim in Turin.\n\n"
                ));
                i += 1;
            }
            while undated.len() < half {
                undated.push_str(
                    "Najim was released by the court in Rome on Tuesday after the arrest of \
                     General Osama Najim in Turin.\n\n",
                );
            }
            vec![
                File {
                    name: "shared-events-dated.txt".into(),
                    bytes: dated.into_bytes(),
                },
                File {
                    name: "shared-events-undated.txt".into(),
                    bytes: undated.into_bytes(),
                },
            ]
        },
    },
];

/// Ordinary news text of about `bytes` bytes: the example articles' paragraphs, repeated.
pub fn ordinary(bytes: usize) -> String {
    let paras = paragraphs();
    let mut s = String::with_capacity(bytes + 2048);
    for p in paras.iter().cycle() {
        if s.len() >= bytes {
            break;
        }
        if !s.is_empty() {
            s.push_str("\n\n");
        }
        s.push_str(p);
    }
    s
}

/// The body paragraphs of the example articles (header lines left out).
fn paragraphs() -> Vec<&'static str> {
    [EXAMPLE_A, EXAMPLE_B]
        .iter()
        .flat_map(|t| t.split('\n'))
        .map(str::trim)
        .filter(|p| p.len() > 100)
        .collect()
}

/// The words of the example articles, punctuation trimmed.
pub fn words() -> Vec<&'static str> {
    paragraphs()
        .into_iter()
        .flat_map(str::split_whitespace)
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|w| !w.is_empty())
        .collect()
}

/// Words run together with `sep`, each rendered by `f(word, index)`, up to `bytes` bytes.
fn word_stream(bytes: usize, f: impl Fn(&str, usize) -> String, sep: &str) -> String {
    let words = words();
    let mut s = String::with_capacity(bytes + 64);
    for (i, w) in words.iter().cycle().enumerate() {
        if s.len() >= bytes {
            break;
        }
        if i > 0 && !s.ends_with('\n') {
            s.push_str(sep);
        }
        s.push_str(&f(w, i));
    }
    s
}

fn repeat_to(unit: &str, bytes: usize) -> String {
    unit.repeat(bytes / unit.len() + 1)
}

fn capitalise(w: &str) -> String {
    let mut c = w.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

fn text_file(name: &str, text: String) -> Vec<File> {
    vec![File {
        name: format!("{name}.txt"),
        bytes: text.into_bytes(),
    }]
}

/// A small good article to put beside a hostile input: it must always reach the report.
pub fn good_article() -> File {
    File {
        name: "good.txt".into(),
        bytes: EXAMPLE_B.as_bytes().to_vec(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shape_reaches_its_size() {
        for s in shapes() {
            for n in [1_000, 100_000] {
                let total: usize = s.generate(n).iter().map(|f| f.bytes.len()).sum();
                assert!(total >= n * 9 / 10, "{}: {total} < {n}", s.name);
                assert!(total <= n + n / 5 + 8_000, "{}: {total} > {n}", s.name);
            }
        }
    }

    #[test]
    fn names_are_unique() {
        let mut names: Vec<&str> = shapes().iter().map(|s| s.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), shapes().len());
    }
}
