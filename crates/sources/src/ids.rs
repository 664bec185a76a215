//! Document ids for articles read from URLs: readable, stable, unique per URL.

use url::Url;

/// `https://www.example.org/news/2024/story-1.html?id=3` -> `example.org/news/2024/story-1?id=3`.
/// The store keys articles by content hash and canonical URL; this id is what reports show.
pub(crate) fn from_url(s: &str) -> String {
    let Ok(u) = Url::parse(s) else {
        return s.to_string();
    };
    let host = u.host_str().unwrap_or_default();
    let host = host.strip_prefix("www.").unwrap_or(host);
    let mut path = u.path().trim_end_matches('/').to_string();
    for ext in [".html", ".htm", ".php", ".aspx", ".shtml"] {
        if let Some(p) = path.strip_suffix(ext) {
            path = p.to_string();
            break;
        }
    }
    let mut id = match u.port() {
        Some(port) => format!("{host}:{port}{path}"),
        None => format!("{host}{path}"),
    };
    if let Some(q) = u.query().filter(|q| !q.is_empty()) {
        id.push('?');
        id.push_str(q);
    }
    id
}

#[cfg(test)]
mod tests {
    #[test]
    fn readable_ids() {
        assert_eq!(
            super::from_url("https://www.example.org/news/2024/story-1.html?id=3#top"),
            "example.org/news/2024/story-1?id=3"
        );
        assert_eq!(super::from_url("http://127.0.0.1:8080/"), "127.0.0.1:8080");
        assert_eq!(super::from_url("not a url"), "not a url");
    }
}
