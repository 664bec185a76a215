//! A tiny HTTP/1.1 server on 127.0.0.1 for tests: fixed replies per path (changeable while it
//! runs), with delays, trickled bodies, missing lengths, and a log of requests.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[derive(Clone)]
pub struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    delay: Duration,
    /// Send the body in this many small pieces with a pause between them.
    trickle: Option<(usize, Duration)>,
    length: bool,
}

impl Reply {
    pub fn with_type(content_type: &str, body: &[u8]) -> Reply {
        Reply {
            status: 200,
            headers: vec![("Content-Type".into(), content_type.into())],
            body: body.to_vec(),
            delay: Duration::ZERO,
            trickle: None,
            length: true,
        }
    }
    pub fn html(body: &str) -> Reply {
        Reply::with_type("text/html; charset=utf-8", body.as_bytes())
    }
    pub fn text(body: &str) -> Reply {
        Reply::with_type("text/plain", body.as_bytes())
    }
    pub fn status(code: u16) -> Reply {
        Reply {
            status: code,
            ..Reply::text("error")
        }
    }
    pub fn redirect(to: &str) -> Reply {
        let mut r = Reply::status(301);
        r.headers.push(("Location".into(), to.into()));
        r
    }
    /// A body of `pieces` bytes, one every `pause`.
    pub fn trickle(pieces: usize, pause: Duration) -> Reply {
        Reply {
            trickle: Some((pieces, pause)),
            ..Reply::html(&"x".repeat(pieces))
        }
    }
    pub fn delayed(mut self, d: Duration) -> Reply {
        self.delay = d;
        self
    }
    /// No Content-Length: the body ends when the connection closes.
    pub fn without_length(mut self) -> Reply {
        self.length = false;
        self
    }
}

#[derive(Default)]
struct State {
    routes: HashMap<String, Reply>,
    log: Vec<(String, String, Instant)>,
}

pub struct Server {
    port: u16,
    state: Arc<Mutex<State>>,
}

impl Server {
    pub fn start() -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        let port = listener.local_addr().expect("addr").port();
        let state = Arc::new(Mutex::new(State::default()));
        let st = Arc::clone(&state);
        // The accept loop ends with the test process; each connection gets its own thread.
        std::thread::spawn(move || {
            for conn in listener.incoming().flatten() {
                let st = Arc::clone(&st);
                std::thread::spawn(move || serve(conn, &st));
            }
        });
        Server { port, state }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    pub fn route(&self, path: &str, reply: Reply) {
        self.state
            .lock()
            .unwrap()
            .routes
            .insert(path.to_string(), reply);
    }

    pub fn hits(&self, path: &str) -> usize {
        self.state
            .lock()
            .unwrap()
            .log
            .iter()
            .filter(|(p, _, _)| p == path)
            .count()
    }

    pub fn user_agents(&self) -> Vec<String> {
        self.state
            .lock()
            .unwrap()
            .log
            .iter()
            .map(|(_, ua, _)| ua.clone())
            .collect()
    }

    pub fn request_times(&self) -> Vec<Instant> {
        self.state
            .lock()
            .unwrap()
            .log
            .iter()
            .map(|(_, _, t)| *t)
            .collect()
    }
}

fn serve(conn: TcpStream, state: &Mutex<State>) {
    let _ = conn.set_read_timeout(Some(Duration::from_secs(10)));
    let mut reader = BufReader::new(match conn.try_clone() {
        Ok(c) => c,
        Err(_) => return,
    });
    let mut line = String::new();
    if reader.read_line(&mut line).is_err() {
        return;
    }
    let path = line.split_whitespace().nth(1).unwrap_or("/").to_string();
    let mut ua = String::new();
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).unwrap_or(0) == 0 || h.trim().is_empty() {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            if k.eq_ignore_ascii_case("user-agent") {
                ua = v.trim().to_string();
            }
        }
    }
    let reply = {
        let mut st = state.lock().unwrap();
        st.log.push((path.clone(), ua, Instant::now()));
        st.routes.get(&path).cloned()
    };
    let reply = reply.unwrap_or_else(|| Reply::status(404));
    std::thread::sleep(reply.delay);
    let mut out = conn;
    let mut head = format!("HTTP/1.1 {} X\r\nConnection: close\r\n", reply.status);
    for (k, v) in &reply.headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    if reply.length {
        head.push_str(&format!("Content-Length: {}\r\n", reply.body.len()));
    }
    head.push_str("\r\n");
    if out.write_all(head.as_bytes()).is_err() {
        return;
    }
    match reply.trickle {
        Some((pieces, pause)) => {
            for b in reply.body.iter().take(pieces) {
                if out.write_all(&[*b]).is_err() || out.flush().is_err() {
                    return;
                }
                std::thread::sleep(pause);
            }
        }
        None => {
            let _ = out.write_all(&reply.body);
        }
    }
    let _ = out.flush();
}
