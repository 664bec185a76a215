//! HTTP response messages as WARC stores them: status line, headers, body (de-chunked and
//! decompressed, under the size cap).

use std::io::Read;

/// A parsed response message.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Message {
    pub status: u16,
    /// Media type of `Content-Type`, lower-case, without parameters ("" when missing).
    pub content_type: String,
    pub charset: Option<String>,
    pub body: Vec<u8>,
}

/// Parses a response message. Errors say what is wrong in a few words.
pub(crate) fn parse_response(raw: &[u8], limit: u64) -> Result<Message, String> {
    let (head_end, body_start) = find_head_end(raw).ok_or("no end of HTTP headers")?;
    let head = String::from_utf8_lossy(&raw[..head_end]);
    let mut lines = head.lines();
    let status_line = lines.next().unwrap_or_default();
    let mut parts = status_line.split_whitespace();
    let version = parts.next().unwrap_or_default();
    if !version.starts_with("HTTP/") {
        return Err(format!(
            "not an HTTP response (starts with `{}`)",
            crate::page::clip(status_line, 40)
        ));
    }
    let status: u16 = parts
        .next()
        .and_then(|s| s.parse().ok())
        .ok_or("no status code")?;
    let mut content_type = String::new();
    let mut charset = None;
    let mut chunked = false;
    let mut encoding = String::new();
    for line in lines {
        let Some((k, v)) = line.split_once(':') else {
            continue;
        };
        let k = k.trim().to_ascii_lowercase();
        let v = v.trim();
        match k.as_str() {
            "content-type" => (content_type, charset) = crate::fetch::parse_content_type(v),
            "transfer-encoding" => chunked = v.to_ascii_lowercase().contains("chunked"),
            "content-encoding" => encoding = v.to_ascii_lowercase(),
            _ => {}
        }
    }
    let mut body = raw[body_start..].to_vec();
    if chunked {
        // Archives often keep the chunk framing; when the body does not parse as chunks it
        // was already de-chunked by the archiver, so it is used as is.
        if let Some(b) = dechunk(&body) {
            body = b;
        }
    }
    match encoding.as_str() {
        "gzip" | "x-gzip" => body = inflate(flate2::read::MultiGzDecoder::new(&body[..]), limit)?,
        "deflate" => body = inflate(flate2::read::ZlibDecoder::new(&body[..]), limit)?,
        _ => {}
    }
    Ok(Message {
        status,
        content_type,
        charset,
        body,
    })
}

fn find_head_end(raw: &[u8]) -> Option<(usize, usize)> {
    if let Some(i) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
        return Some((i, i + 4));
    }
    raw.windows(2)
        .position(|w| w == b"\n\n")
        .map(|i| (i, i + 2))
}

/// Decodes `Transfer-Encoding: chunked`; `None` when the data is not chunk-framed.
fn dechunk(mut data: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(data.len());
    loop {
        let nl = data.iter().position(|&b| b == b'\n')?;
        let line = std::str::from_utf8(&data[..nl]).ok()?.trim();
        let size_hex = line.split(';').next()?.trim();
        let size = usize::from_str_radix(size_hex, 16).ok()?;
        data = &data[nl + 1..];
        if size == 0 {
            return Some(out);
        }
        let chunk = data.get(..size)?;
        out.extend_from_slice(chunk);
        data = &data[size..];
        data = data
            .strip_prefix(b"\r\n")
            .or_else(|| data.strip_prefix(b"\n"))?;
    }
}

/// Decompresses under the size cap (a compressed bomb stops at the cap).
fn inflate(r: impl Read, limit: u64) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    r.take(limit + 1)
        .read_to_end(&mut out)
        .map_err(|e| format!("cannot decompress body: {e}"))?;
    if out.len() as u64 > limit {
        return Err(format!(
            "decompressed body is over the limit of {limit} bytes"
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_and_chunked() {
        let m = parse_response(
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=windows-1252\r\n\r\n<p>hi</p>",
            100,
        )
        .unwrap();
        assert_eq!(m.status, 200);
        assert_eq!(m.content_type, "text/html");
        assert_eq!(m.charset.as_deref(), Some("windows-1252"));
        assert_eq!(m.body, b"<p>hi</p>");
        let c = parse_response(
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nWiki\r\n5\r\npedia\r\n0\r\n\r\n",
            100,
        )
        .unwrap();
        assert_eq!(c.body, b"Wikipedia");
    }

    #[test]
    fn gzip_body_and_cap() {
        use std::io::Write;
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        enc.write_all(&[b'a'; 5000]).unwrap();
        let gz = enc.finish().unwrap();
        let mut raw = b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n\r\n".to_vec();
        raw.extend_from_slice(&gz);
        assert_eq!(parse_response(&raw, 10_000).unwrap().body.len(), 5000);
        assert!(parse_response(&raw, 1000).unwrap_err().contains("limit"));
    }

    #[test]
    fn not_http() {
        assert!(parse_response(b"GET / HTTP/1.1\r\n\r\n", 10).is_err());
        assert!(parse_response(b"HTTP/1.1 200", 10).is_err());
    }
}
