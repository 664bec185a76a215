//! `parallax serve`: the collection store as web pages (crates/web).

use crate::collection::db_location;
use crate::EXIT_OK;
use anyhow::{bail, Context, Result};
use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;

pub fn serve_cmd(db: Option<String>, addr: SocketAddr) -> Result<u8> {
    let path: PathBuf = match db_location(db)? {
        parallax_store::Location::Sqlite(p) => p,
        parallax_store::Location::Postgres(url) => bail!(
            "{}: `parallax serve` reads SQLite stores only so far; the pages' queries are not \
             written for PostgreSQL yet (export with `parallax export --db URL`, or serve a \
             SQLite store)",
            parallax_store::redact_url(&url)
        ),
    };
    if !path.exists() {
        bail!(
            "{}: no store here yet; run `parallax ingest --db {} PATH...` first",
            path.display(),
            path.display()
        );
    }
    // The server only reads; opening once as a writer brings an older schema up to date.
    drop(
        parallax_store::Store::open(&path)
            .with_context(|| format!("opening the store {}", path.display()))?,
    );
    let config = parallax_web::Config {
        db: path.clone(),
        addr,
        limits: parallax_web::Limits::default(),
    };
    parallax_web::run(config, |local| {
        let host = if local.ip().is_unspecified() {
            SocketAddr::new(std::net::Ipv4Addr::LOCALHOST.into(), local.port())
        } else {
            local
        };
        eprintln!(
            "parallax: serving {}",
            crate::inert(&path.display().to_string())
        );
        if local.ip().is_loopback() {
            eprintln!(
                "parallax: listening on {local}, the loopback address: only this machine can \
                 connect (--addr 0.0.0.0:{} would open it to the network; there is no login)",
                local.port()
            );
        } else {
            eprintln!(
                "parallax: listening on {local}: anyone who can reach this machine can read \
                 the collection (there is no login)"
            );
        }
        eprintln!("parallax: open this address in a browser; Ctrl-C stops the server");
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "http://{host}/");
        let _ = out.flush();
    })?;
    Ok(EXIT_OK)
}
