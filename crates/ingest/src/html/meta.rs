//! Page metadata from `<meta>` tags, JSON-LD, `<title>`, `<time>`, `<link>` and byline markup.
//!
//! Each field is taken from the most explicit source first (publisher-declared structured
//! data over visible markup). A value that cannot be read cleanly stays `None`: we never guess
//! (e.g. a URL is never an author, an unparseable date is dropped).

use super::text::{flat_text, tag};
use dom_query::Document;
use parallax_core::Metadata;
use serde_json::Value;
use std::collections::HashMap;

/// Longest author string we accept; longer "bylines" are paragraphs caught by a class name.
const MAX_AUTHOR_CHARS: usize = 120;
/// How many JSON-LD values we inspect per page (bounds work on pathological pages).
const MAX_JSONLD_VALUES: usize = 20_000;

/// What the page's structured data (JSON-LD) says about the article.
#[derive(Debug, Default)]
struct JsonLd {
    headline: Option<String>,
    authors: Vec<String>,
    published: Option<String>,
    publisher: Option<String>,
    url: Option<String>,
}

/// Reads every metadata field from a parsed page. `url` is where the page came from.
pub(crate) fn read(doc: &Document, url: Option<&str>) -> Metadata {
    let metas = meta_tags(doc);
    let ld = json_ld(doc);
    let m = |keys: &[&str]| -> Option<String> {
        keys.iter()
            .find_map(|k| metas.get(*k).filter(|v| !v.is_empty()).cloned())
    };
    let outlet = m(&["og:site_name", "application-name"])
        .or_else(|| ld.publisher.clone())
        .map(|s| squash(&s));
    Metadata {
        title: title(doc, &m, &ld, outlet.as_deref()),
        author: author(doc, &m, &ld),
        published: published(doc, &m, &ld),
        outlet: outlet.filter(|s| !s.is_empty()),
        language: language(doc, &m),
        url: canonical(doc, &m, &ld, url),
    }
}

/// `<meta>` values keyed by lower-case `property`, `name`, `itemprop` or `http-equiv`; the first
/// non-empty value of a key wins.
fn meta_tags(doc: &Document) -> HashMap<String, String> {
    let mut out: HashMap<String, String> = HashMap::new();
    for n in doc.select("meta").nodes() {
        let Some(content) = n.attr("content") else {
            continue;
        };
        let content = content.trim();
        if content.is_empty() {
            continue;
        }
        for key_attr in ["property", "name", "itemprop", "http-equiv"] {
            if let Some(k) = n.attr(key_attr) {
                // `property` may hold several space-separated names.
                for k in k.split_whitespace() {
                    out.entry(k.to_ascii_lowercase())
                        .or_insert_with(|| content.to_string());
                }
            }
        }
    }
    out
}

fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn title(
    doc: &Document,
    m: &dyn Fn(&[&str]) -> Option<String>,
    ld: &JsonLd,
    outlet: Option<&str>,
) -> Option<String> {
    let h1s: Vec<String> = doc
        .select("h1")
        .nodes()
        .iter()
        .take(5)
        .map(flat_text)
        .collect();
    let from_title_tag = || {
        doc.select("title")
            .nodes()
            .first()
            .map(|n| strip_site_suffix(&squash(&n.text()), outlet, &h1s, true))
    };
    // Publisher-declared titles are taken as they are (the common Readability convention);
    // only `<title>`, which nearly always carries the site name, is trimmed.
    ld.headline
        .clone()
        .or_else(|| m(&["dc.title", "dcterm.title", "og:title", "twitter:title"]))
        .or_else(from_title_tag)
        .or_else(|| h1s.first().cloned())
        .map(|t| squash(&t))
        .filter(|t| !t.is_empty())
}

/// Drops a site name from a title: "Story headline | Site" -> "Story headline" (or
/// "Site | Story headline"). A part is dropped when it is the outlet's name, or when the other
/// part is the page's `<h1>`; with `loose` (for `<title>`, which nearly always carries the
/// site), also a short (<= 3 words) last segment after a headline of >= 3 words.
pub(crate) fn strip_site_suffix(
    t: &str,
    outlet: Option<&str>,
    h1s: &[String],
    loose: bool,
) -> String {
    const SEPS: &[&str] = &[" | ", " - ", " – ", " — ", " :: ", " » ", " · ", " // "];
    let same = |a: &str, b: &str| squash(a).eq_ignore_ascii_case(&squash(b));
    let is_outlet = |x: &str| outlet.is_some_and(|o| same(o, x));
    let is_h1 = |x: &str| h1s.iter().any(|h| same(h, x));
    for sep in SEPS {
        if let Some(i) = t.rfind(sep) {
            let (head, tail) = (t[..i].trim(), t[i + sep.len()..].trim());
            let short_tail =
                tail.split_whitespace().count() <= 3 && head.split_whitespace().count() >= 3;
            if is_outlet(tail) || is_h1(head) || (loose && short_tail) {
                return head.to_string();
            }
        }
        if let Some(j) = t.find(sep) {
            let (head, tail) = (t[..j].trim(), t[j + sep.len()..].trim());
            if is_outlet(head) || is_h1(tail) {
                return tail.to_string();
            }
        }
    }
    t.to_string()
}

fn author(doc: &Document, m: &dyn Fn(&[&str]) -> Option<String>, ld: &JsonLd) -> Option<String> {
    let from_meta = || {
        m(&[
            "dc.creator",
            "dcterm.creator",
            "author",
            "article:author",
            "parsely-author",
            "sailthru.author",
        ])
        .and_then(|a| clean_author(&a))
    };
    let from_ld = || {
        let names: Vec<String> = ld.authors.iter().filter_map(|a| clean_author(a)).collect();
        (!names.is_empty()).then(|| names.join(", "))
    };
    // Structured data first: it lists every author, where meta tags often keep only one.
    from_ld().or_else(from_meta).or_else(|| byline_markup(doc))
}

/// Visible byline markup: `rel=author` links, `itemprop=author`, `.byline` / `.author` classes.
fn byline_markup(doc: &Document) -> Option<String> {
    let sel = "[rel=author], [itemprop=author], .byline, .author, .byline-name, .author-name";
    for n in doc.select(sel).nodes() {
        if !n.is_element() || tag(n).is_some_and(|t| t == "meta" || t == "link") {
            continue;
        }
        if let Some(a) = clean_author(&flat_text(n)) {
            return Some(a);
        }
    }
    None
}

/// Normalises an author string: drops a leading "By", rejects URLs, e-mail-only values and
/// anything too long to be a name list.
pub(crate) fn clean_author(raw: &str) -> Option<String> {
    let squashed = squash(raw);
    // A byline often runs on into a date or a role: "Jo Roe - Apr 16, 2015", "Jo Roe | Staff".
    let mut a = squashed.as_str();
    for sep in [" - ", " | ", " — ", " – ", " · ", " • "] {
        if let Some((head, _)) = a.split_once(sep) {
            a = head;
        }
    }
    let mut words: Vec<&str> = a.split(' ').filter(|w| !w.is_empty()).collect();
    if words.len() > 1
        && super::data::byline_prefixes()
            .iter()
            .any(|p| words[0].eq_ignore_ascii_case(p))
    {
        words.remove(0);
    }
    if let Some(first_digit) = words
        .iter()
        .position(|w| w.chars().any(|c| c.is_ascii_digit()))
    {
        words.truncate(first_digit);
        // "Updated: March 3, 2020" is a date label, not a name.
        if words.iter().any(|w| w.ends_with(':')) {
            return None;
        }
        let months = super::data::month_names();
        while words.last().is_some_and(|w| {
            let w = w.trim_end_matches(['.', ',']).to_lowercase();
            months.contains(&w.as_str())
        }) {
            words.pop();
        }
    }
    // "More by" / "Written by": a label whose name was elsewhere.
    if words.last().is_some_and(|w| {
        super::data::byline_prefixes()
            .iter()
            .any(|p| w.eq_ignore_ascii_case(p))
    }) {
        return None;
    }
    let joined = words.join(" ");
    let a = joined.trim_matches(|c: char| !c.is_alphanumeric() && c != '.' && c != ')');
    let lower = a.to_lowercase();
    if a.is_empty()
        || a.chars().count() > MAX_AUTHOR_CHARS
        || lower.contains("http://")
        || lower.contains("https://")
        || lower.starts_with("www.")
        || (a.contains('@') && !a.contains(' '))
        || !a.chars().any(char::is_alphabetic)
    {
        return None;
    }
    Some(a.to_string())
}

fn published(doc: &Document, m: &dyn Fn(&[&str]) -> Option<String>, ld: &JsonLd) -> Option<String> {
    let from_meta = || {
        m(&[
            "article:published_time",
            "og:published_time",
            "datepublished",
            "date",
            "pubdate",
            "publishdate",
            "dc.date",
            "dc.date.issued",
            "dcterms.date",
            "parsely-pub-date",
            "sailthru.date",
        ])
    };
    let from_time = || {
        let nodes = doc.select("time[datetime]");
        let nodes = nodes.nodes();
        let best = nodes
            .iter()
            .find(|n| {
                n.has_attr("pubdate")
                    || n.attr("itemprop")
                        .is_some_and(|p| p.contains("datePublished"))
            })
            .or_else(|| nodes.first());
        best.and_then(|n| n.attr("datetime")).map(|s| s.to_string())
    };
    [from_meta(), ld.published.clone(), from_time()]
        .into_iter()
        .flatten()
        .find_map(|d| normalise_date(&d))
}

/// `YYYY-MM-DD` from the common date spellings of pages (ISO 8601 and its prefixes,
/// `YYYY/MM/DD`, RFC 2822, `YYYYMMDD`); `None` when it does not parse to a real date.
pub(crate) fn normalise_date(raw: &str) -> Option<String> {
    use chrono::NaiveDate;
    let s = raw.trim();
    let digits: String = s.chars().take(10).collect();
    for fmt in ["%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d"] {
        if let Ok(d) = NaiveDate::parse_from_str(&digits, fmt) {
            return Some(d.format("%Y-%m-%d").to_string());
        }
    }
    if s.len() >= 8 && s.as_bytes()[..8].iter().all(u8::is_ascii_digit) {
        if let Ok(d) = NaiveDate::parse_from_str(&s[..8], "%Y%m%d") {
            return Some(d.format("%Y-%m-%d").to_string());
        }
    }
    if let Ok(d) = chrono::DateTime::parse_from_rfc2822(s) {
        return Some(d.format("%Y-%m-%d").to_string());
    }
    None
}

fn language(doc: &Document, m: &dyn Fn(&[&str]) -> Option<String>) -> Option<String> {
    let html_lang = doc
        .select("html")
        .nodes()
        .first()
        .and_then(|n| n.attr("lang").or_else(|| n.attr("xml:lang")))
        .map(|s| s.to_string());
    html_lang
        .or_else(|| m(&["content-language", "dc.language", "language"]))
        .and_then(|l| {
            let l = l.split(',').next().unwrap_or("").trim().replace('_', "-");
            let ok = !l.is_empty()
                && l.len() <= 35
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
            ok.then_some(l)
        })
}

fn canonical(
    doc: &Document,
    m: &dyn Fn(&[&str]) -> Option<String>,
    ld: &JsonLd,
    url: Option<&str>,
) -> Option<String> {
    let link = doc
        .select("link[rel=canonical]")
        .nodes()
        .first()
        .and_then(|n| n.attr("href"))
        .map(|s| s.trim().to_string());
    [link, m(&["og:url"]), ld.url.clone()]
        .into_iter()
        .flatten()
        .find_map(|u| absolute(&u, url))
        .or_else(|| url.map(str::to_string))
}

/// `u` made absolute against `base` (scheme-relative and root-relative forms only); `None`
/// when it cannot be.
fn absolute(u: &str, base: Option<&str>) -> Option<String> {
    if u.starts_with("http://") || u.starts_with("https://") {
        return Some(u.to_string());
    }
    let base = base?;
    let (scheme, rest) = base.split_once("://")?;
    if let Some(r) = u.strip_prefix("//") {
        return Some(format!("{scheme}://{r}"));
    }
    if u.starts_with('/') {
        let host = rest.split('/').next()?;
        return Some(format!("{scheme}://{host}{u}"));
    }
    None
}

/// The article described by the page's JSON-LD blocks (the first object whose `@type` is an
/// article type; else the first object with a `headline`).
fn json_ld(doc: &Document) -> JsonLd {
    let mut objects: Vec<serde_json::Map<String, Value>> = Vec::new();
    let mut budget = MAX_JSONLD_VALUES;
    for n in doc.select("script[type='application/ld+json']").nodes() {
        let raw = n.text();
        let Ok(v) = serde_json::from_str::<Value>(raw.trim()) else {
            continue;
        };
        let mut stack = vec![v];
        while let Some(v) = stack.pop() {
            if budget == 0 {
                break;
            }
            budget -= 1;
            match v {
                Value::Array(a) => stack.extend(a.into_iter().rev()),
                Value::Object(o) => {
                    if let Some(Value::Array(g)) = o.get("@graph") {
                        stack.extend(g.iter().rev().cloned());
                    }
                    objects.push(o);
                }
                _ => {}
            }
        }
    }
    let is_article = |o: &serde_json::Map<String, Value>| {
        let types: Vec<String> = match o.get("@type") {
            Some(Value::String(s)) => vec![s.clone()],
            Some(Value::Array(a)) => a
                .iter()
                .filter_map(|t| t.as_str().map(String::from))
                .collect(),
            _ => vec![],
        };
        types.iter().any(|t| {
            t.ends_with("Article") || t == "BlogPosting" || t == "Report" || t == "LiveBlogPosting"
        })
    };
    let Some(art) = objects
        .iter()
        .find(|o| is_article(o))
        .or_else(|| objects.iter().find(|o| o.contains_key("headline")))
    else {
        return JsonLd::default();
    };
    let s = |k: &str| {
        art.get(k)
            .and_then(Value::as_str)
            .map(squash)
            .filter(|x| !x.is_empty())
    };
    JsonLd {
        headline: s("headline").or_else(|| s("name")),
        authors: art.get("author").map(names).unwrap_or_default(),
        published: s("datePublished").or_else(|| s("dateCreated")),
        publisher: art
            .get("publisher")
            .and_then(|p| names(p).into_iter().next()),
        url: s("url"),
    }
}

/// Names in a JSON-LD person/organisation value: a string, an object with `name`, or a list.
fn names(v: &Value) -> Vec<String> {
    let one = |v: &Value| match v {
        Value::String(s) => Some(squash(s)),
        Value::Object(o) => o.get("name").and_then(Value::as_str).map(squash),
        _ => None,
    };
    match v {
        Value::Array(a) => a.iter().filter_map(one).filter(|s| !s.is_empty()).collect(),
        other => one(other).filter(|s| !s.is_empty()).into_iter().collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(html: &str) -> Metadata {
        read(&Document::from(html), Some("https://news.example.org/a/b"))
    }

    #[test]
    fn meta_tags_win() {
        let m = meta(
            r#"<html lang="en_GB"><head><title>Boats float | Harbour Times</title>
            <meta property="og:title" content="Boats float, study finds">
            <meta property="og:site_name" content="Harbour Times">
            <meta name="author" content="By Jane Quill">
            <meta property="article:published_time" content="2021-03-04T10:00:00Z">
            <link rel="canonical" href="/a/b-c"></head><body><h1>x</h1></body></html>"#,
        );
        assert_eq!(m.title.as_deref(), Some("Boats float, study finds"));
        assert_eq!(m.outlet.as_deref(), Some("Harbour Times"));
        assert_eq!(m.author.as_deref(), Some("Jane Quill"));
        assert_eq!(m.published.as_deref(), Some("2021-03-04"));
        assert_eq!(m.language.as_deref(), Some("en-GB"));
        assert_eq!(m.url.as_deref(), Some("https://news.example.org/a/b-c"));
    }

    #[test]
    fn json_ld_and_fallbacks() {
        let m = meta(
            r#"<html><head><title>Kettles whistle louder | Steam Daily</title>
            <script type="application/ld+json">{"@context":"https://schema.org","@graph":[
              {"@type":"WebSite","name":"Steam Daily"},
              {"@type":"NewsArticle","headline":"Kettles whistle","datePublished":"2020/12/01",
               "author":[{"@type":"Person","name":"Ann Ode"},{"name":"Bo Rey"}],
               "publisher":{"@type":"Organization","name":"Steam Daily"}}]}</script>
            </head><body></body></html>"#,
        );
        assert_eq!(m.title.as_deref(), Some("Kettles whistle"));
        assert_eq!(m.author.as_deref(), Some("Ann Ode, Bo Rey"));
        assert_eq!(m.published.as_deref(), Some("2020-12-01"));
        assert_eq!(m.outlet.as_deref(), Some("Steam Daily"));
        assert_eq!(m.url.as_deref(), Some("https://news.example.org/a/b"));
    }

    #[test]
    fn title_tag_and_byline_markup() {
        let m = meta(
            r#"<title>Ferry timetable changes next week - Coast Post</title>
            <meta name="author" content="https://example.org/people/x">
            <p class="byline">By Tom Pell</p><time datetime="2019-07-08">July 8</time>"#,
        );
        assert_eq!(
            m.title.as_deref(),
            Some("Ferry timetable changes next week")
        );
        assert_eq!(m.author.as_deref(), Some("Tom Pell"));
        assert_eq!(m.published.as_deref(), Some("2019-07-08"));
        assert_eq!(m.outlet, None);
    }

    #[test]
    fn dates() {
        assert_eq!(normalise_date("2018-02-30"), None);
        assert_eq!(
            normalise_date("Tue, 1 Jul 2003 10:52:37 +0200").as_deref(),
            Some("2003-07-01")
        );
        assert_eq!(normalise_date("20170105").as_deref(), Some("2017-01-05"));
        assert_eq!(normalise_date("yesterday"), None);
    }

    #[test]
    fn authors_are_names() {
        assert_eq!(clean_author("https://x.example/u"), None);
        assert_eq!(
            clean_author("  by  Ada  Lane ").as_deref(),
            Some("Ada Lane")
        );
        assert_eq!(clean_author("By Ada Lane").as_deref(), Some("Ada Lane"));
        assert_eq!(clean_author("1234"), None);
        assert_eq!(clean_author("Par Léa Mot").as_deref(), Some("Léa Mot"));
        assert_eq!(clean_author("Ed Lowe —").as_deref(), Some("Ed Lowe"));
        assert_eq!(
            clean_author("Ed Lowe - Apr 16, 2015 8:02 pm").as_deref(),
            Some("Ed Lowe")
        );
        assert_eq!(
            clean_author("Ida Kern March 25, 2015").as_deref(),
            Some("Ida Kern")
        );
        assert_eq!(clean_author("Theresa May").as_deref(), Some("Theresa May"));
        assert_eq!(clean_author("Last Updated: June 2, 2024"), None);
        assert_eq!(clean_author("More by"), None);
    }
}
