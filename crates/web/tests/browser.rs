//! The pages in a real headless Chromium, driven over WebDriver (chromedriver): the seed
//! story from the list, its columns, agreed claim and timeline, an actor's page with both
//! spellings, a search, paging through a long list, and hostile articles whose scripts must
//! not run.
//!
//! Needs Debian's `chromium` and `chromium-driver` (`.ci/run` installs them). Without them
//! the test prints "skipped: ..." and passes, except when `PARALLAX_REQUIRE_BROWSER` or `CI`
//! is set (`.ci/run` sets the first), where a missing browser fails it.
//! `PARALLAX_SCREENSHOTS=DIR` also saves a PNG of each main page there.

mod common;

use common::*;
use fantoccini::{Client, ClientBuilder, Locator};
use parallax_web::{router, serve, AppState, Limits};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const DRIVER: &str = "chromedriver";
const CHROMIUM: &str = "/usr/bin/chromium";

/// Chromium itself: Debian's path, else `chromium` on PATH.
fn find_chromium() -> Option<PathBuf> {
    Some(PathBuf::from(CHROMIUM))
        .filter(|p| p.is_file())
        .or_else(|| on_path("chromium"))
}

fn on_path(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|p| {
        std::env::split_paths(&p)
            .map(|d| d.join(name))
            .find(|f| f.is_file())
    })
}

fn find_driver() -> Option<PathBuf> {
    on_path(DRIVER).or_else(|| Some(PathBuf::from("/usr/bin/chromedriver")).filter(|p| p.is_file()))
}

/// Kills chromedriver (and with it the browser) when the test ends, however it ends.
struct Driver(Child);
impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

async fn start_driver(path: &Path) -> (Driver, u16) {
    let port = free_port();
    let child = Command::new(path)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver starts");
    let driver = Driver(child);
    let t = Instant::now();
    while tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .is_err()
    {
        assert!(
            t.elapsed() < Duration::from_secs(20),
            "chromedriver never listened"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    (driver, port)
}

async fn browser(port: u16, profile: &Path) -> Client {
    let args = [
        "--headless=new".to_string(),
        "--no-sandbox".into(),
        "--disable-gpu".into(),
        "--disable-quic".into(),
        "--no-first-run".into(),
        "--disable-background-networking".into(),
        "--disable-component-update".into(),
        "--disable-sync".into(),
        "--disable-dev-shm-usage".into(),
        "--window-size=1400,1000".into(),
        format!("--user-data-dir={}", profile.display()),
    ];
    let mut chrome = serde_json::json!({ "args": args });
    if let Some(bin) = find_chromium() {
        chrome["binary"] = bin.display().to_string().into();
    }
    let mut caps = serde_json::Map::new();
    caps.insert("goog:chromeOptions".into(), chrome);
    let connector = hyper_util::client::legacy::connect::HttpConnector::new();
    ClientBuilder::new(connector)
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .expect("a browser session")
}

async fn title(c: &Client) -> String {
    c.execute("return document.title", vec![])
        .await
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

async fn text(c: &Client, css: &str) -> String {
    c.find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"))
        .text()
        .await
        .expect("text")
}

/// Waits until the browser has navigated to a path (and query) starting with `prefix` (a click starts a
/// navigation; the next command may otherwise still see the old page).
async fn wait_path(c: &Client, prefix: &str) -> String {
    let t = Instant::now();
    loop {
        let url = c.current_url().await.expect("url");
        let ready = c
            .execute("return document.readyState", vec![])
            .await
            .ok()
            .and_then(|v| v.as_str().map(str::to_string));
        let target = match url.query() {
            Some(q) => format!("{}?{q}", url.path()),
            None => url.path().to_string(),
        };
        if target.starts_with(prefix) && ready.as_deref() == Some("complete") {
            return url.to_string();
        }
        assert!(
            t.elapsed() < Duration::from_secs(30),
            "never reached {prefix}: at {url}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn count(c: &Client, css: &str) -> usize {
    c.find_all(Locator::Css(css))
        .await
        .map(|v| v.len())
        .unwrap_or(0)
}

async fn shot(c: &Client, name: &str) {
    if let Some(dir) = std::env::var_os("PARALLAX_SCREENSHOTS") {
        let png = c.screenshot().await.expect("screenshot");
        std::fs::write(Path::new(&dir).join(format!("{name}.png")), png).expect("write png");
    }
}

/// Nothing hostile ran: the title is the page's own and no javascript: link exists.
async fn assert_inert(c: &Client) {
    let t = title(c).await;
    // A payload that ran would have set the title to exactly PWNED.
    assert_ne!(t, PWNED, "a script ran");
    assert!(t.ends_with("· Parallax"), "title {t:?}");
    assert_eq!(count(c, "a[href^='javascript' i]").await, 0);
    let ran = c
        .execute("return typeof window.__pwned", vec![])
        .await
        .expect("script");
    assert_eq!(ran, "undefined");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_pages_work_in_a_real_browser() {
    let (Some(driver_path), Some(_)) = (find_driver(), find_chromium()) else {
        let missing = "chromedriver or chromium is not installed";
        if ["PARALLAX_REQUIRE_BROWSER", "CI"]
            .iter()
            .any(|v| std::env::var_os(v).is_some())
        {
            panic!("{missing}: .ci/run installs Debian's chromium and chromium-driver");
        }
        eprintln!(
            "skipped: the browser suite ({missing}; apt-get install chromium chromium-driver \
             to run it)"
        );
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let mut inputs = seed_inputs();
    inputs.push(hostile());
    inputs.extend(generated(30));
    let db = store_with(dir.path(), inputs);

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let state = AppState::open(&db, Limits::default()).expect("state");
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(serve(listener, router(state), Limits::default(), async {
        let _ = stop_rx.await;
    }));

    let (_driver, port) = start_driver(&driver_path).await;
    let c = browser(port, &dir.path().join("profile")).await;
    run(&c, &base).await;
    let _ = c.close().await;
    let _ = stop_tx.send(());
    let _ = server.await;
}

async fn run(c: &Client, base: &str) {
    // The story list: the seed story (the newest) first.
    c.goto(&format!("{base}/")).await.expect("list");
    assert_eq!(text(c, ".page-head h1").await, "Stories");
    assert!(count(c, ".story-item").await == 25, "a full first page");
    assert_inert(c).await;
    shot(c, "stories").await;
    c.find(Locator::Css(".story-item h2 a"))
        .await
        .expect("first story")
        .click()
        .await
        .expect("open it");

    // The story: both articles' columns, an agreed claim, the timeline.
    wait_path(c, "/stories/s-").await;
    assert_eq!(count(c, "th.doc-head").await, 2, "two outlets side by side");
    assert!(
        count(c, "tbody.group.k-agreed").await >= 1,
        "an agreed claim"
    );
    let timeline = text(c, "section.timeline").await;
    assert!(timeline.contains("Jan 2025"), "{timeline}");
    assert_inert(c).await;
    shot(c, "story").await;

    // An actor's page: both spellings.
    let actor = c
        .find(Locator::XPath(
            "//details[contains(@class,'actor')][.//span[@class='aka'][contains(., 'Almasri')]]//a[@class='entity-link']",
        ))
        .await
        .expect("the actor also written Almasri");
    actor.click().await.expect("follow the actor");
    wait_path(c, "/entities/").await;
    let body = text(c, "main").await;
    assert!(
        body.contains("Almasri") && body.contains("al-Masri"),
        "{body}"
    );
    assert_inert(c).await;
    shot(c, "entity").await;

    // Search from the header, then open a hit.
    let q = c.find(Locator::Css("#site-q")).await.expect("search box");
    q.send_keys("Almasri").await.expect("type");
    c.find(Locator::Css(".site-search button"))
        .await
        .expect("button")
        .click()
        .await
        .expect("search");
    wait_path(c, "/search").await;
    assert!(count(c, "mark.hit").await >= 1, "highlighted matches");
    shot(c, "search").await;
    c.find(Locator::Css(".hit-item .snip a[href^='/articles/']"))
        .await
        .expect("a hit in an article")
        .click()
        .await
        .expect("open the hit");
    wait_path(c, "/articles/").await;
    assert!(
        count(c, ".fulltext .s").await > 5,
        "the article's sentences"
    );
    assert_inert(c).await;
    shot(c, "article").await;

    // Paging through the long list and back.
    c.goto(&format!("{base}/")).await.expect("list");
    c.find(Locator::Css("a.next"))
        .await
        .expect("next")
        .click()
        .await
        .expect("page 2");
    wait_path(c, "/?page=2").await;
    assert!(count(c, ".story-item").await >= 1);
    assert!(text(c, ".pager .where").await.starts_with("Page 2 of"));
    c.find(Locator::Css("a.prev"))
        .await
        .expect("prev")
        .click()
        .await
        .expect("page 1");
    let t = Instant::now();
    while !text(c, ".pager .where").await.starts_with("Page 1 of") {
        assert!(
            t.elapsed() < Duration::from_secs(30),
            "never back on page 1"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(count(c, ".story-item").await, 25);

    // The hostile article: its markup is text, its script never runs, its URL is no link.
    c.goto(&format!("{base}/search?q=crane"))
        .await
        .expect("search");
    assert_inert(c).await;
    c.find(Locator::Css(".hit-item .snip a[href^='/articles/']"))
        .await
        .expect("the hostile article")
        .click()
        .await
        .expect("open");
    let h1 = text(c, "h1").await;
    assert!(
        h1.contains("<script>"),
        "the title's markup is shown as text: {h1}"
    );
    assert!(text(c, ".original").await.contains("javascript:"));
    assert_inert(c).await;
    shot(c, "hostile").await;
    c.find(Locator::Css(".crumbs a[href^='/stories/']"))
        .await
        .expect("its story")
        .click()
        .await
        .expect("open");
    assert_inert(c).await;
}
