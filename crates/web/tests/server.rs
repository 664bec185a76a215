//! The accept loop over real sockets: clients that send their request slowly, or never finish
//! it, hold only their own connection, and are cut off after the header timeout.

mod common;

use common::*;
use parallax_web::{router, serve, AppState, Limits};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// A hang guard, not a speed check: only a server that stalls goes past it.
const GUARD: Duration = Duration::from_secs(30);

async fn read_all(s: &mut TcpStream) -> String {
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out).await;
    String::from_utf8_lossy(&out).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_clients_do_not_stall_the_others() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = store_with(dir.path(), seed_inputs());
    let limits = Limits {
        header_timeout: Duration::from_secs(1),
        ..Limits::default()
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let state = AppState::open(&db, limits.clone()).expect("state");
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(serve(listener, router(state), limits, async {
        let _ = stop_rx.await;
    }));

    // Twenty clients that start a request and never finish its headers.
    let mut slow = Vec::new();
    for _ in 0..20 {
        let mut s = TcpStream::connect(addr).await.expect("connect");
        s.write_all(b"GET /stories HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
            .await
            .expect("write");
        slow.push(s);
    }

    // Meanwhile a whole request is answered.
    let answered = tokio::time::timeout(GUARD, async {
        let mut s = TcpStream::connect(addr).await.expect("connect");
        s.write_all(b"GET /api/stories HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            .await
            .expect("write");
        read_all(&mut s).await
    })
    .await
    .expect("the whole request is answered while the slow ones hang");
    assert!(answered.starts_with("HTTP/1.1 200"), "{answered}");
    assert!(answered.contains("\"stories\""));

    // The slow ones are closed by the server (header timeout), not left open forever.
    for mut s in slow {
        let got = tokio::time::timeout(GUARD, read_all(&mut s))
            .await
            .expect("the server closes a connection whose headers never end");
        assert!(
            got.is_empty() || got.starts_with("HTTP/1.1 408"),
            "unexpected answer to an unfinished request: {got}"
        );
    }

    let _ = stop_tx.send(());
    let _ = server.await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oversized_requests_are_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = store_with(dir.path(), seed_inputs());
    let limits = Limits::default();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let state = AppState::open(&db, limits.clone()).expect("state");
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(serve(listener, router(state), limits, async {
        let _ = stop_rx.await;
    }));

    // Headers beyond hyper's 8 KiB buffer: refused with 431 or the connection closed.
    let mut s = TcpStream::connect(addr).await.expect("connect");
    let big = format!(
        "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: {}\r\nConnection: close\r\n\r\n",
        "a".repeat(64 * 1024)
    );
    let _ = s.write_all(big.as_bytes()).await;
    let got = tokio::time::timeout(GUARD, read_all(&mut s))
        .await
        .expect("an answer or a close");
    assert!(
        got.is_empty() || got.starts_with("HTTP/1.1 431") || got.starts_with("HTTP/1.1 400"),
        "{}",
        &got[..got.len().min(200)]
    );

    // A body over the limit on a GET: 413.
    let mut s = TcpStream::connect(addr).await.expect("connect");
    let body = "x".repeat(64 * 1024);
    let req = format!(
        "GET /api/stories HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = s.write_all(req.as_bytes()).await;
    let got = tokio::time::timeout(GUARD, read_all(&mut s))
        .await
        .expect("an answer");
    assert!(
        got.starts_with("HTTP/1.1 413"),
        "{}",
        &got[..got.len().min(200)]
    );

    let _ = stop_tx.send(());
    let _ = server.await;
}
