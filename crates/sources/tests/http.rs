//! Fetching over HTTP against a server this test starts on 127.0.0.1 (no test touches the
//! internet): pages, feeds, robots.txt, timeouts, size caps, redirects, errors, charsets,
//! rate limits, cancel, and watching a feed.

mod server;

use parallax_sources::watch::{FeedConfig, WatchConfig, Watcher};
use parallax_sources::{
    read_sources, Item, Reason, Source, SourceError, SourceOptions, SourcedArticle, Via,
};
use server::{Reply, Server};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

fn opts() -> SourceOptions {
    SourceOptions {
        per_host_interval: Duration::from_millis(5),
        connect_timeout: Duration::from_secs(5),
        read_timeout: Duration::from_secs(5),
        total_timeout: Duration::from_secs(10),
        ..SourceOptions::default()
    }
}

fn page(title: &str, para: &str) -> String {
    format!(
        "<!doctype html><html lang=\"en\"><head><title>{title}</title>\
         <meta property=\"og:site_name\" content=\"Bay Herald\"></head><body>\
         <nav><a href=\"/\">Home</a></nav><article><h1>{title}</h1>\
         <p>{para} The council met on Monday and voted after a long debate about the budget.</p>\
         <p>Officials said the work would start in spring and last about two years in total.</p>\
         </article></body></html>"
    )
}

/// Reads `sources` and splits what came back.
fn run(sources: &[Source], o: &SourceOptions) -> (Vec<SourcedArticle>, Vec<SourceError>) {
    let mut arts = Vec::new();
    let mut errs = Vec::new();
    read_sources(sources, o, &AtomicBool::new(false), |it| match it {
        Item::Article(a) => arts.push(*a),
        Item::Error(e) => errs.push(e),
    });
    (arts, errs)
}

fn url_source(s: &Server, path: &str) -> Source {
    Source::parse(&s.url(path)).expect("valid url")
}

#[test]
fn article_page_with_canonical_url_and_user_agent() {
    let s = Server::start();
    let html = page("Bridge repairs approved", "The bridge will be repaired.").replace(
        "<head>",
        "<head><link rel=\"canonical\" href=\"/news/bridge\">",
    );
    s.route("/news/bridge?utm=feed", Reply::html(&html));
    let (arts, errs) = run(&[url_source(&s, "/news/bridge?utm=feed")], &opts());
    assert!(errs.is_empty(), "{errs:?}");
    let a = &arts[0];
    assert_eq!(
        a.input.hints.title.as_deref(),
        Some("Bridge repairs approved")
    );
    assert!(a.input.body.contains("The bridge will be repaired."));
    assert!(!a.input.body.contains("Home"));
    assert_eq!(
        a.provenance.url.as_deref(),
        Some(s.url("/news/bridge").as_str())
    );
    assert_eq!(a.provenance.via, Via::Page);
    assert!(a.provenance.fetched_at.is_some());
    assert_eq!(a.input.hints.language.as_deref(), Some("en"));
    let ua = s.user_agents();
    assert!(ua.iter().all(|u| u.starts_with("parallax/")), "{ua:?}");
    // robots.txt first, once, then the page.
    assert_eq!(s.hits("/robots.txt"), 1);
}

#[test]
fn feed_entries_fetch_pages_and_fall_back_to_feed_text() {
    let s = Server::start();
    s.route(
        "/robots.txt",
        Reply::text("User-agent: *\nDisallow: /private/\n"),
    );
    s.route("/news/one", Reply::html(&page("One", "The first story.")));
    s.route("/news/broken", Reply::status(500));
    let feed = format!(
        r#"<?xml version="1.0"?><rss version="2.0"><channel><title>Bay Herald</title>
        <item><title>One</title><link>{one}</link><guid>1</guid></item>
        <item><title>Broken page</title><link>{broken}</link><guid>2</guid>
          <pubDate>Tue, 05 Mar 2024 08:00:00 GMT</pubDate>
          <description>&lt;p&gt;The feed's own text about the broken page, long enough to read as an article body here.&lt;/p&gt;</description></item>
        <item><title>Private</title><link>{private}</link><guid>3</guid>
          <description>Private text held in the feed itself, which is all we may use.</description></item>
        <item><title>Missing</title><link>{missing}</link><guid>4</guid></item>
        </channel></rss>"#,
        one = s.url("/news/one"),
        broken = s.url("/news/broken"),
        private = s.url("/private/three"),
        missing = s.url("/news/missing"),
    );
    s.route(
        "/feed.xml",
        Reply::with_type("application/rss+xml", feed.as_bytes()),
    );
    let (arts, errs) = run(&[url_source(&s, "/feed.xml")], &opts());
    assert_eq!(arts.len(), 3, "{errs:?}");
    assert_eq!(arts[0].provenance.via, Via::Page);
    assert_eq!(
        arts[0].provenance.feed.as_deref(),
        Some(s.url("/feed.xml").as_str())
    );
    let broken = &arts[1];
    assert_eq!(broken.provenance.via, Via::FeedContent);
    assert!(broken.input.body.contains("feed's own text"));
    assert_eq!(broken.input.hints.published.as_deref(), Some("2024-03-05"));
    assert_eq!(broken.input.hints.title.as_deref(), Some("Broken page"));
    assert!(broken
        .provenance
        .note
        .as_deref()
        .unwrap()
        .contains("HTTP status 500"));
    assert_eq!(arts[2].provenance.via, Via::FeedContent);
    assert!(arts[2]
        .provenance
        .note
        .as_deref()
        .unwrap()
        .contains("robots.txt"));
    assert_eq!(s.hits("/private/three"), 0, "robots.txt must be honoured");
    // Two notes (fallbacks taken) and one failure (404 and no feed text), each naming its entry.
    let notes: Vec<&SourceError> = errs.iter().filter(|e| e.is_note()).collect();
    let fails: Vec<&SourceError> = errs.iter().filter(|e| !e.is_note()).collect();
    assert_eq!(notes.len(), 2, "{errs:?}");
    assert!(notes[0]
        .item
        .ends_with(&format!("#2 ({})", s.url("/news/broken"))));
    assert_eq!(fails.len(), 1, "{errs:?}");
    assert_eq!(fails[0].reason, Reason::Status(404));
    assert!(fails[0].item.contains("#4"));
    assert_eq!(s.hits("/robots.txt"), 1, "robots.txt is cached per host");
}

#[test]
fn slow_server_times_out_and_the_rest_goes_on() {
    let s = Server::start();
    s.route(
        "/slow",
        Reply::html("<p>late</p>").delayed(Duration::from_secs(4)),
    );
    s.route("/fine", Reply::html(&page("Fine", "A fine page.")));
    let o = SourceOptions {
        read_timeout: Duration::from_millis(500),
        ..opts()
    };
    let (arts, errs) = run(&[url_source(&s, "/slow"), url_source(&s, "/fine")], &o);
    assert_eq!(arts.len(), 1);
    assert_eq!(errs.len(), 1);
    assert_eq!(errs[0].item, s.url("/slow"));
    assert!(
        matches!(errs[0].reason, Reason::Timeout(_)),
        "{:?}",
        errs[0]
    );
}

#[test]
fn trickling_body_hits_the_total_time_limit() {
    let s = Server::start();
    s.route("/trickle", Reply::trickle(200, Duration::from_millis(50)));
    let o = SourceOptions {
        total_timeout: Duration::from_millis(300),
        ..opts()
    };
    let (arts, errs) = run(&[url_source(&s, "/trickle")], &o);
    assert!(arts.is_empty());
    assert!(
        matches!(errs[0].reason, Reason::Timeout(_)),
        "{:?}",
        errs[0]
    );
}

#[test]
fn huge_bodies_stop_at_the_cap() {
    let s = Server::start();
    let big = format!(
        "<html><body><p>{}</p></body></html>",
        "word ".repeat(400_000)
    );
    s.route("/huge", Reply::html(&big));
    s.route("/huge-unsized", Reply::html(&big).without_length());
    let o = SourceOptions {
        max_bytes: 100_000,
        ..opts()
    };
    let (arts, errs) = run(
        &[url_source(&s, "/huge"), url_source(&s, "/huge-unsized")],
        &o,
    );
    assert!(arts.is_empty());
    assert_eq!(errs.len(), 2);
    for e in &errs {
        assert_eq!(e.reason, Reason::TooLarge { limit: 100_000 }, "{e}");
    }
}

#[test]
fn redirects_followed_loops_and_chains_bounded() {
    let s = Server::start();
    s.route("/old", Reply::redirect("/new"));
    s.route("/new", Reply::html(&page("Moved", "The story moved.")));
    s.route("/loop-a", Reply::redirect("/loop-b"));
    s.route("/loop-b", Reply::redirect("/loop-a"));
    for i in 0..10 {
        s.route(
            &format!("/chain{i}"),
            Reply::redirect(&format!("/chain{}", i + 1)),
        );
    }
    let (arts, errs) = run(
        &[
            url_source(&s, "/old"),
            url_source(&s, "/loop-a"),
            url_source(&s, "/chain0"),
        ],
        &opts(),
    );
    assert_eq!(arts.len(), 1);
    assert_eq!(
        arts[0].provenance.url.as_deref(),
        Some(s.url("/new").as_str())
    );
    assert_eq!(errs[0].reason, Reason::RedirectLoop(s.url("/loop-a")));
    assert_eq!(errs[1].reason, Reason::TooManyRedirects(5));
    assert_eq!(s.hits("/chain6"), 0);
}

#[test]
fn server_errors_malformed_feeds_and_non_pages() {
    let s = Server::start();
    s.route("/error", Reply::status(500));
    s.route(
        "/bad-feed.xml",
        Reply::with_type("application/rss+xml", b"<rss><channel><item><title>cut"),
    );
    s.route(
        "/logo.png",
        Reply::with_type("image/png", b"\x89PNG\r\n\x1a\n"),
    );
    let (arts, errs) = run(
        &[
            url_source(&s, "/error"),
            url_source(&s, "/bad-feed.xml"),
            url_source(&s, "/logo.png"),
        ],
        &opts(),
    );
    assert!(arts.is_empty());
    assert_eq!(errs[0].reason, Reason::Status(500));
    assert_eq!(errs[1].item, s.url("/bad-feed.xml"));
    assert!(matches!(errs[1].reason, Reason::Feed(_)), "{:?}", errs[1]);
    assert_eq!(errs[2].reason, Reason::NotPage("image/png".into()));
}

#[test]
fn robots_rules_and_unavailable_robots() {
    let s = Server::start();
    s.route(
        "/robots.txt",
        Reply::text("User-agent: parallax\nDisallow: /news/\n\nUser-agent: *\nAllow: /\n"),
    );
    s.route("/news/a", Reply::html(&page("A", "A story.")));
    let (arts, errs) = run(&[url_source(&s, "/news/a")], &opts());
    assert!(arts.is_empty());
    assert_eq!(errs[0].reason, Reason::Robots);
    assert_eq!(s.hits("/news/a"), 0);

    let down = Server::start();
    down.route("/robots.txt", Reply::status(503));
    down.route("/a", Reply::html(&page("A", "A story.")));
    let (arts, errs) = run(&[url_source(&down, "/a")], &opts());
    assert!(arts.is_empty());
    assert!(
        matches!(errs[0].reason, Reason::RobotsUnavailable(_)),
        "{:?}",
        errs[0]
    );
    assert_eq!(down.hits("/a"), 0);
}

#[test]
fn charset_from_header_wins_over_meta_and_meta_works_alone() {
    let s = Server::start();
    // "café" in windows-1252, in a page whose meta wrongly says utf-8.
    let body = |meta: &str| {
        let mut b = format!(
            "<html><head><meta charset=\"{meta}\"><title>Caf</title></head><body><article><p>"
        )
        .into_bytes();
        b.extend_from_slice(b"Le caf\xe9 du port rouvre ses portes lundi apr\xe8s des mois de travaux, a dit la mairie de la ville.");
        b.extend_from_slice(b"</p></article></body></html>");
        b
    };
    s.route(
        "/header",
        Reply::with_type("text/html; charset=windows-1252", &body("utf-8")),
    );
    s.route("/meta", Reply::with_type("text/html", &body("iso-8859-1")));
    let (arts, errs) = run(
        &[url_source(&s, "/header"), url_source(&s, "/meta")],
        &opts(),
    );
    assert!(errs.is_empty(), "{errs:?}");
    for a in &arts {
        assert!(a.input.body.contains("café du port"), "{}", a.input.body);
        assert_eq!(a.input.hints.language.as_deref(), Some("fr"));
    }
}

#[test]
fn rate_limit_spaces_requests_to_one_host() {
    let s = Server::start();
    for p in ["/a", "/b", "/c"] {
        s.route(p, Reply::html(&page("Page", "Some story.")));
    }
    let o = SourceOptions {
        per_host_interval: Duration::from_millis(200),
        ..opts()
    };
    let (arts, _) = run(
        &[
            url_source(&s, "/a"),
            url_source(&s, "/b"),
            url_source(&s, "/c"),
        ],
        &o,
    );
    assert_eq!(arts.len(), 3);
    let times = s.request_times();
    assert_eq!(times.len(), 4, "robots.txt and three pages");
    // The limiter spaces the client's requests; the server sees them arrive with scheduling
    // jitter (a late arrival shortens the next gap), so check the spacing accumulated over
    // the run, with room for one late first arrival, not each gap.
    let span = times[times.len() - 1] - times[0];
    assert!(span >= Duration::from_millis(3 * 200 - 100), "{times:?}");
}

#[test]
fn cancel_stops_between_articles() {
    let s = Server::start();
    for p in ["/a", "/b", "/c"] {
        s.route(p, Reply::html(&page("Page", "Some story.")));
    }
    let cancel = AtomicBool::new(false);
    let mut got = 0;
    let summary = read_sources(
        &[
            url_source(&s, "/a"),
            url_source(&s, "/b"),
            url_source(&s, "/c"),
        ],
        &opts(),
        &cancel,
        |it| {
            if let Item::Article(_) = it {
                got += 1;
                cancel.store(true, Ordering::Relaxed);
            }
        },
    );
    assert_eq!(got, 1);
    assert!(summary.cancelled);
    assert_eq!(s.hits("/b") + s.hits("/c"), 0);
}

#[test]
fn watcher_hands_on_only_new_entries() {
    let s = Server::start();
    let item = |n: u32| {
        format!(
            "<item><title>Story {n}</title><link>{}</link><guid>g{n}</guid></item>",
            s.url(&format!("/story/{n}"))
        )
    };
    let feed = |items: &str| {
        format!("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>W</title>{items}</channel></rss>")
    };
    for n in 1..=3 {
        s.route(
            &format!("/story/{n}"),
            Reply::html(&page(&format!("Story {n}"), "News.")),
        );
    }
    s.route("/story/9", Reply::status(503));
    s.route(
        "/feed",
        Reply::with_type(
            "application/rss+xml",
            feed(&format!("{}{}", item(1), item(2))).as_bytes(),
        ),
    );
    let config = WatchConfig {
        feeds: vec![FeedConfig {
            source: url_source(&s, "/feed"),
            interval: Duration::from_secs(60),
            name: None,
        }],
    };
    let mut w = Watcher::new(config, opts());
    let cancel = AtomicBool::new(false);
    let mut titles = Vec::new();
    let mut on = |it: Item| {
        if let Item::Article(a) = it {
            titles.push(a.input.hints.title.clone().unwrap_or_default());
        }
    };
    assert_eq!(w.poll(Instant::now(), false, &cancel, &mut on), 2);
    assert_eq!(
        w.poll(Instant::now(), false, &cancel, &mut on),
        0,
        "not due yet"
    );
    assert_eq!(
        w.poll(Instant::now(), true, &cancel, &mut on),
        0,
        "nothing new"
    );
    s.route(
        "/feed",
        Reply::with_type(
            "application/rss+xml",
            feed(&format!("{}{}{}{}", item(3), item(9), item(1), item(2))).as_bytes(),
        ),
    );
    assert_eq!(w.poll(Instant::now(), true, &cancel, &mut on), 1);
    // The failing entry is retried at the next polls, then given up.
    assert_eq!(w.poll(Instant::now(), true, &cancel, &mut on), 0);
    assert_eq!(w.poll(Instant::now(), true, &cancel, &mut on), 0);
    assert_eq!(w.poll(Instant::now(), true, &cancel, &mut on), 0);
    assert_eq!(titles, ["Story 1", "Story 2", "Story 3"]);
    assert_eq!(s.hits("/story/1"), 1);
    assert_eq!(s.hits("/story/9"), 3);
}
