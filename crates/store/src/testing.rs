//! A throwaway PostgreSQL server for tests: `initdb` into a temporary folder, `pg_ctl start`
//! on a free loopback port with its socket in that folder, one fresh database per test, and
//! the server stopped and its folder removed when the test process ends (a small watchdog
//! process waits for it, so even a test binary killed outright leaves nothing running).
//!
//! The binaries are looked up in `$PARALLAX_PG_BIN`, then `/usr/lib/postgresql/*/bin` (where
//! Debian's `postgresql` package puts them), then `PATH`. PostgreSQL refuses to run as root,
//! so as root the server runs as the unprivileged `postgres` user that Debian's package
//! creates (through `runuser`; the temporary folder is given to that user). Without
//! binaries, [`server`] returns `None` and the tests that need one say they are skipped
//! (unless [`REQUIRE_ENV`] is set, as in CI).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

/// A running server.
pub struct TestServer {
    pub dir: PathBuf,
    pub port: u16,
    bin: PathBuf,
    next_db: AtomicUsize,
}

static SERVER: OnceLock<Option<TestServer>> = OnceLock::new();

/// Set (to anything) to make a missing PostgreSQL a test failure instead of a skip; CI sets
/// it after installing the server, so the PostgreSQL tests cannot silently not run.
pub const REQUIRE_ENV: &str = "PARALLAX_REQUIRE_PG";

/// The shared server of this test process, started on first use. `None` (after printing
/// "skipped: ...") only when the PostgreSQL server binaries are not installed and
/// [`REQUIRE_ENV`] is not set; a server that is installed but does not start is a failure.
pub fn server() -> Option<&'static TestServer> {
    SERVER
        .get_or_init(|| {
            let Some(bin) = find_bin() else {
                let why = "no PostgreSQL server binaries (initdb, pg_ctl) in $PARALLAX_PG_BIN, \
                           /usr/lib/postgresql/*/bin or PATH; install Debian's `postgresql`";
                if std::env::var_os(REQUIRE_ENV).is_some() {
                    panic!("{REQUIRE_ENV} is set but there is {why}");
                }
                eprintln!("skipped: {why}");
                return None;
            };
            match TestServer::start(bin) {
                Ok(s) => Some(s),
                Err(e) => panic!("the throwaway PostgreSQL server did not start: {e}"),
            }
        })
        .as_ref()
}

/// A fresh database on the shared server: its connection URL, or `None` when there is no
/// server (the caller returns early: the test is skipped, with the reason printed once).
pub fn fresh_database() -> Option<String> {
    let s = server()?;
    match s.create_database() {
        Ok(url) => Some(url),
        Err(e) => panic!("the test server could not create a database: {e}"),
    }
}

/// The folder with `initdb`, `pg_ctl` and `postgres`.
fn find_bin() -> Option<PathBuf> {
    let has = |d: &Path| d.join("initdb").is_file() && d.join("pg_ctl").is_file();
    if let Some(d) = std::env::var_os("PARALLAX_PG_BIN").map(PathBuf::from) {
        return has(&d).then_some(d);
    }
    let mut versions: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .map(|rd| rd.flatten().map(|e| e.path().join("bin")).collect())
        .unwrap_or_default();
    versions.sort();
    if let Some(d) = versions.into_iter().rev().find(|d| has(d)) {
        return Some(d);
    }
    std::env::var_os("PATH").and_then(|p| std::env::split_paths(&p).find(|d| has(d)))
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

/// A command run as the server's user: `postgres` when we are root, else ourselves.
fn as_server_user(root: bool, program: &Path) -> Command {
    if root {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(program);
        c
    } else {
        Command::new(program)
    }
}

fn free_port() -> std::io::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

impl TestServer {
    fn start(bin: PathBuf) -> Result<TestServer, String> {
        let root = is_root();
        let dir = std::env::temp_dir().join(format!(
            "parallax-pg-{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.subsec_nanos())
                .unwrap_or(0)
        ));
        std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        if root {
            let ok = Command::new("chown")
                .args(["postgres:postgres"])
                .arg(&dir)
                .status()
                .map(|s| s.success())
                .unwrap_or(false);
            if !ok {
                return Err(format!(
                    "running as root, but {} cannot be given to the `postgres` user",
                    dir.display()
                ));
            }
        }
        let data = dir.join("data");
        let out = as_server_user(root, &bin.join("initdb"))
            .args(["-D"])
            .arg(&data)
            .args(["-U", "parallax", "--auth=trust", "-E", "UTF8", "--no-sync"])
            .stdin(Stdio::null())
            .output()
            .map_err(|e| format!("initdb: {e}"))?;
        if !out.status.success() {
            return Err(format!(
                "initdb failed: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            ));
        }
        // A watchdog: when this process is gone, stop the server and remove its folder.
        let me = std::process::id();
        let script = format!(
            "while kill -0 {me} 2>/dev/null; do sleep 1; done; \
             if [ -f '{d}/data/postmaster.pid' ]; then kill -INT $(head -1 '{d}/data/postmaster.pid') 2>/dev/null; fi; \
             for i in $(seq 1 50); do [ -f '{d}/data/postmaster.pid' ] || break; sleep 0.2; done; \
             rm -rf '{d}'",
            d = dir.display()
        );
        Command::new("sh")
            .args(["-c", &script])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("watchdog: {e}"))?;
        let mut last = String::new();
        for _ in 0..5 {
            let port = free_port().map_err(|e| format!("no free port: {e}"))?;
            let opts = format!(
                "-p {port} -k {} -c listen_addresses=127.0.0.1 -c fsync=off \
                 -c synchronous_commit=off -c full_page_writes=off -c max_connections=200",
                dir.display()
            );
            let out = as_server_user(root, &bin.join("pg_ctl"))
                .args(["-D"])
                .arg(&data)
                .args(["-o", &opts, "-l"])
                .arg(dir.join("log"))
                .args(["-w", "-t", "60", "start"])
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .output()
                .map_err(|e| format!("pg_ctl: {e}"))?;
            if out.status.success() {
                return Ok(TestServer {
                    dir,
                    port,
                    bin,
                    next_db: AtomicUsize::new(0),
                });
            }
            last = format!(
                "{} {}",
                String::from_utf8_lossy(&out.stderr).trim(),
                std::fs::read_to_string(dir.join("log")).unwrap_or_default()
            );
        }
        Err(format!("the server did not start: {last}"))
    }

    /// The URL of database `name` on this server.
    pub fn url(&self, name: &str) -> String {
        format!("postgres://parallax@127.0.0.1:{}/{name}", self.port)
    }

    /// Creates an empty database and returns its URL.
    pub fn create_database(&self) -> Result<String, String> {
        let name = format!("t{}", self.next_db.fetch_add(1, Ordering::SeqCst));
        let mut c = postgres::Client::connect(&self.url("postgres"), postgres::NoTls)
            .map_err(|e| e.to_string())?;
        c.batch_execute(&format!("CREATE DATABASE {name}"))
            .map_err(|e| e.to_string())?;
        Ok(self.url(&name))
    }

    /// The folder of the server's binaries.
    pub fn bin(&self) -> &Path {
        &self.bin
    }
}
