//! `parallax serve`: the collection store (a SQLite file or PostgreSQL) as web pages
//! (crates/web).

use crate::collection::{db_location, open_existing};
use crate::EXIT_OK;
use anyhow::Result;
use std::io::Write;
use std::net::SocketAddr;

pub fn serve_cmd(db: Option<String>, addr: SocketAddr) -> Result<u8> {
    let location = db_location(db.clone())?;
    // The server only reads; opening once as a writer (a missing SQLite file is refused)
    // brings an older schema up to date, on either backend.
    let store = open_existing(db)?;
    crate::collection::warn_outdated(&*store, &location)?;
    drop(store);
    let shown = location.display();
    let config = parallax_web::Config {
        db: location,
        addr,
        limits: parallax_web::Limits::default(),
    };
    parallax_web::run(config, |local| {
        let host = if local.ip().is_unspecified() {
            SocketAddr::new(std::net::Ipv4Addr::LOCALHOST.into(), local.port())
        } else {
            local
        };
        eprintln!("parallax: serving {}", crate::inert(&shown));
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
