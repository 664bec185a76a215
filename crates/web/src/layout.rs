//! The page shell (head, navigation, footer), pagination, and small view helpers. Templates
//! are maud: every `(value)` is escaped; the only unescaped HTML (`PreEscaped`) is what the
//! report's components return, which escape their own content.

use crate::links;
use maud::{html, Markup, PreEscaped, DOCTYPE};
use parallax_store::search::{MATCH_END, MATCH_START};

/// Paths of the static files (versioned by the crate version, so a new build is not hidden by
/// a browser cache).
pub const CSS_PATH: &str = concat!("/static/parallax-", env!("CARGO_PKG_VERSION"), ".css");
pub const JS_PATH: &str = concat!("/static/parallax-", env!("CARGO_PKG_VERSION"), ".js");

/// A whole page. `api` is the JSON twin's URL, linked in the footer and the head.
pub fn page(title: &str, api: Option<&str>, search: &str, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="color-scheme" content="light dark";
                meta name="referrer" content="no-referrer";
                title { (title) " · Parallax" }
                link rel="stylesheet" href=(CSS_PATH);
                @if let Some(api) = api {
                    link rel="alternate" type="application/json" href=(api);
                }
                script src=(JS_PATH) defer {}
            }
            body {
                a.skip href="#main" { "Skip to the content" }
                header.site {
                    nav.site-nav aria-label="Site" {
                        a.brand href="/" { "Parallax" }
                        a href="/" { "Stories" }
                        a href="/search" { "Search" }
                        form.site-search action="/search" method="get" role="search" {
                            label.visually-hidden for="site-q" { "Search the collection" }
                            input #site-q type="search" name="q" value=(search) placeholder="Search titles, sentences, names" maxlength="1000";
                            button type="submit" { "Search" }
                        }
                    }
                }
                main #main { (body) }
                footer.foot {
                    p {
                        "Parallax · statuses, alignments and dates are machine estimates: check them against the text."
                        @if let Some(api) = api {
                            " · " a href=(api) { "This page as JSON" }
                        }
                    }
                }
            }
        }
    }
}

/// A page for an error status.
pub fn error_page(status: u16, reason: &str, message: &str) -> Markup {
    page(
        reason,
        None,
        "",
        html! {
            section.error-page {
                h1 { (status) " · " (reason) }
                p.error-message { (message) }
                p { a href="/" { "Back to the stories" } " · " a href="/search" { "Search" } }
            }
        },
    )
}

/// `‹ Newer · Page 2 of 9 · Older ›` links that keep the page's filters. `pages` is `None`
/// when the total is unknown (search): then `more` says whether a next page exists.
pub fn pager(
    path: &str,
    pairs: &[(&'static str, String)],
    page: usize,
    pages: Option<usize>,
    more: bool,
) -> Markup {
    let link = |p: usize| {
        let n = p.to_string();
        let mut all: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
        if p > 1 {
            all.push(("page", &n));
        }
        links::with_query(path, &all)
    };
    let has_next = match pages {
        Some(n) => page < n,
        None => more,
    };
    html! {
        @if page > 1 || has_next {
            nav.pager aria-label="Pages" {
                @if page > 1 {
                    a.prev rel="prev" href=(link(page - 1)) { "‹ Previous" }
                }
                span.where {
                    "Page " (page)
                    @if let Some(n) = pages { " of " (n) }
                }
                @if has_next {
                    a.next rel="next" href=(link(page + 1)) { "Next ›" }
                }
            }
        }
    }
}

/// A search snippet: the text escaped first, then the store's match marks turned into
/// `<mark>` (balanced even when the text itself holds stray mark characters).
pub fn snippet(s: &str) -> Markup {
    let mut out = String::with_capacity(s.len() + 32);
    let mut open = false;
    let mut plain = String::new();
    let flush = |out: &mut String, plain: &mut String| {
        parallax_report::html::push_escaped(out, plain);
        plain.clear();
    };
    for c in s.chars() {
        match c {
            MATCH_START if !open => {
                flush(&mut out, &mut plain);
                out.push_str("<mark class=\"hit\">");
                open = true;
            }
            MATCH_END if open => {
                flush(&mut out, &mut plain);
                out.push_str("</mark>");
                open = false;
            }
            MATCH_START | MATCH_END => {}
            c => plain.push(c),
        }
    }
    flush(&mut out, &mut plain);
    if open {
        out.push_str("</mark>");
    }
    PreEscaped(out)
}

/// A date for people: `Tue 21 Jan 2025` (the value itself when it is not a date).
pub fn day(iso: &str) -> String {
    let d = iso.split('T').next().unwrap_or(iso);
    parallax_report::html::human_date(d)
}

/// `12 Jan 2025 – Tue 14 Jan 2025`, or one day, or `undated`.
pub fn span(first: Option<&str>, last: Option<&str>) -> String {
    match (first, last) {
        (Some(a), Some(b)) if day(a) != day(b) => format!("{} – {}", day(a), day(b)),
        (_, Some(d)) | (Some(d), None) => day(d),
        (None, None) => "undated".to_string(),
    }
}

/// What to call an article in a list: its title, else the name of the file it came from.
pub fn article_name<'a>(title: Option<&'a str>, source: &'a str) -> &'a str {
    match title.map(str::trim).filter(|t| !t.is_empty()) {
        Some(t) => t,
        None => source.rsplit(['/', '\\']).next().unwrap_or(source),
    }
}

/// `1 story`, `3 stories`.
pub fn plural(n: i64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippets_escape_then_highlight() {
        let s = format!("a <b> {MATCH_START}x&y{MATCH_END} {MATCH_END}z{MATCH_START}w");
        assert_eq!(
            snippet(&s).into_string(),
            "a &lt;b&gt; <mark class=\"hit\">x&amp;y</mark> z<mark class=\"hit\">w</mark>"
        );
    }

    #[test]
    fn spans_of_days() {
        assert_eq!(
            span(Some("2025-01-20"), Some("2025-01-21T10:00:00Z")),
            "Mon 20 Jan 2025 – Tue 21 Jan 2025"
        );
        assert_eq!(span(None, Some("2025-01-21")), "Tue 21 Jan 2025");
        assert_eq!(span(None, None), "undated");
    }
}
