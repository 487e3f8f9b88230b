//! Just enough HTTP/1.1 for the mock server: reading one request (head and
//! body, `Content-Length` or chunked) from a buffered stream, writing one
//! response, and percent-decoding paths and query strings.
//!
//! Nothing here panics on client input: every malformed request becomes a
//! [`ParseError`] that the caller answers (or drops the connection on).

use std::io::{self, BufRead, Read, Write};

/// Largest request head (request line plus headers) accepted, in bytes.
pub(crate) const MAX_HEAD: usize = 64 * 1024;
/// Largest request body accepted, in bytes (after chunked decoding).
pub(crate) const MAX_BODY: usize = 1024 * 1024;
/// Most header lines accepted in one request.
const MAX_HEADERS: usize = 128;

/// Why a request could not be read.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum ParseError {
    /// The peer closed the connection, or the socket failed or timed out.
    /// There is nobody to answer.
    Closed,
    /// The request is malformed or too large: answer with this status and
    /// detail, then close the connection (its framing can't be trusted).
    Bad(u16, &'static str),
}

/// The request line and headers of one request.
#[derive(Debug)]
pub(crate) struct Head {
    pub(crate) method: String,
    /// The path as sent, still percent-encoded, without the query.
    pub(crate) path: String,
    /// The query string as sent, without the `?` (empty if none).
    pub(crate) query: String,
    /// `true` for HTTP/1.0.
    pub(crate) http10: bool,
    /// Header names lowercased, values trimmed, in the order received.
    pub(crate) headers: Vec<(String, String)>,
}

impl Head {
    /// The first header with this (lowercase) name.
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        header_value(&self.headers, name)
    }

    /// Whether the client asked for `100 Continue` before sending the body.
    pub(crate) fn expects_continue(&self) -> bool {
        self.header("expect")
            .is_some_and(|v| v.eq_ignore_ascii_case("100-continue"))
    }

    /// Whether the connection must be closed after this exchange.
    pub(crate) fn wants_close(&self) -> bool {
        let tokens = self.header("connection").unwrap_or("").to_ascii_lowercase();
        let has = |t: &str| tokens.split(',').any(|x| x.trim() == t);
        if self.http10 {
            !has("keep-alive")
        } else {
            has("close")
        }
    }
}

/// The first value in `headers` whose (lowercase) name is `name`.
pub(crate) fn header_value<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// Reads one line ending in LF (CRLF or bare LF), charging it to `budget`.
///
/// `Ok(None)` means a clean end of stream before any byte of the line.
fn read_line<R: BufRead>(
    r: &mut R,
    budget: &mut usize,
    too_long: ParseError,
) -> Result<Option<Vec<u8>>, ParseError> {
    let mut line = Vec::new();
    let limit = u64::try_from(*budget).unwrap_or(u64::MAX).saturating_add(1);
    let n = r
        .by_ref()
        .take(limit)
        .read_until(b'\n', &mut line)
        .map_err(|_| ParseError::Closed)?;
    if n == 0 {
        return Ok(None);
    }
    if n > *budget {
        return Err(too_long);
    }
    *budget -= n;
    if line.last() != Some(&b'\n') {
        // End of stream in the middle of a line.
        return Err(ParseError::Closed);
    }
    line.pop();
    if line.last() == Some(&b'\r') {
        line.pop();
    }
    Ok(Some(line))
}

fn is_token(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// Reads the request line and the headers of the next request.
///
/// Returns [`ParseError::Closed`] when the connection ends before a request
/// starts, which is how an idle keep-alive connection normally ends.
pub(crate) fn read_head<R: BufRead>(r: &mut R) -> Result<Head, ParseError> {
    let too_long = || ParseError::Bad(431, "The request head is too large.");
    let mut budget = MAX_HEAD;
    // RFC 9112 §2.2: ignore empty lines before the request line.
    let request_line = loop {
        match read_line(r, &mut budget, too_long())? {
            None => return Err(ParseError::Closed),
            Some(line) if line.is_empty() => continue,
            Some(line) => break line,
        }
    };
    let request_line = String::from_utf8(request_line)
        .map_err(|_| ParseError::Bad(400, "The request line is not valid."))?;
    let mut parts = request_line.split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(ParseError::Bad(400, "The request line is not valid."));
    };
    if !is_token(method) || !target.starts_with('/') {
        return Err(ParseError::Bad(400, "The request line is not valid."));
    }
    let http10 = match version {
        "HTTP/1.1" => false,
        "HTTP/1.0" => true,
        _ => {
            return Err(ParseError::Bad(
                400,
                "Only HTTP/1.0 and HTTP/1.1 are supported.",
            ));
        }
    };
    let target = target.split('#').next().unwrap_or_default();
    let (path, query) = target.split_once('?').unwrap_or((target, ""));

    let mut headers = Vec::new();
    loop {
        let Some(line) = read_line(r, &mut budget, too_long())? else {
            return Err(ParseError::Closed);
        };
        if line.is_empty() {
            break;
        }
        if headers.len() == MAX_HEADERS {
            return Err(too_long());
        }
        let line = String::from_utf8_lossy(&line);
        let Some((name, value)) = line.split_once(':') else {
            return Err(ParseError::Bad(400, "A header line is not valid."));
        };
        // A name must be a token: no whitespace before the colon and no
        // obsolete line folding (a line starting with whitespace).
        if !is_token(name) {
            return Err(ParseError::Bad(400, "A header line is not valid."));
        }
        headers.push((
            name.to_ascii_lowercase(),
            value.trim_matches([' ', '\t']).to_string(),
        ));
    }
    Ok(Head {
        method: method.to_string(),
        path: path.to_string(),
        query: query.to_string(),
        http10,
        headers,
    })
}

/// Reads the body that `head` announces: chunked, `Content-Length`, or none.
pub(crate) fn read_body<R: BufRead>(r: &mut R, head: &Head) -> Result<Vec<u8>, ParseError> {
    if let Some(te) = head.header("transfer-encoding") {
        let last = te.rsplit(',').next().unwrap_or("").trim();
        if !last.eq_ignore_ascii_case("chunked") {
            return Err(ParseError::Bad(
                400,
                "Only the chunked transfer coding is supported.",
            ));
        }
        return read_chunked(r);
    }
    let mut length: Option<u64> = None;
    for (name, value) in &head.headers {
        if name != "content-length" {
            continue;
        }
        for item in value.split(',') {
            let item = item.trim();
            if item.is_empty() || !item.bytes().all(|b| b.is_ascii_digit()) {
                return Err(ParseError::Bad(400, "Content-Length is not valid."));
            }
            // All digits: the only failure left is overflow, which is too large anyway.
            let n = item.parse::<u64>().unwrap_or(u64::MAX);
            if length.is_some_and(|l| l != n) {
                return Err(ParseError::Bad(400, "Content-Length is not valid."));
            }
            length = Some(n);
        }
    }
    let length = length.unwrap_or(0);
    if length > MAX_BODY as u64 {
        return Err(ParseError::Bad(413, "The request body is too large."));
    }
    let mut body = vec![0; usize::try_from(length).unwrap_or(MAX_BODY)];
    r.read_exact(&mut body).map_err(|_| ParseError::Closed)?;
    Ok(body)
}

fn read_chunked<R: BufRead>(r: &mut R) -> Result<Vec<u8>, ParseError> {
    let bad = || ParseError::Bad(400, "The chunked body is not valid.");
    let too_long = ParseError::Bad(413, "The request body is too large.");
    // Chunk-size lines and trailers share one budget, like a request head.
    let mut budget = MAX_HEAD;
    let mut body = Vec::new();
    loop {
        let Some(line) = read_line(r, &mut budget, bad())? else {
            return Err(ParseError::Closed);
        };
        let line = String::from_utf8_lossy(&line);
        let size = line.split(';').next().unwrap_or("").trim();
        if size.is_empty() || size.len() > 16 || !size.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(bad());
        }
        let size = u64::from_str_radix(size, 16).map_err(|_| bad())?;
        if size == 0 {
            break;
        }
        if size > (MAX_BODY - body.len()) as u64 {
            return Err(too_long);
        }
        let start = body.len();
        body.resize(start + usize::try_from(size).map_err(|_| bad())?, 0);
        r.read_exact(&mut body[start..])
            .map_err(|_| ParseError::Closed)?;
        match read_line(r, &mut budget, bad())? {
            Some(end) if end.is_empty() => {}
            Some(_) => return Err(bad()),
            None => return Err(ParseError::Closed),
        }
    }
    // Trailer fields, ignored, up to the empty line.
    loop {
        match read_line(r, &mut budget, bad())? {
            Some(line) if line.is_empty() => return Ok(body),
            Some(_) => {}
            None => return Err(ParseError::Closed),
        }
    }
}

/// One response to write.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Response {
    pub(crate) status: u16,
    pub(crate) content_type: &'static str,
    /// Headers besides `Content-Type`, `Content-Length`, `x-request-id` and `Connection`.
    pub(crate) headers: Vec<(&'static str, String)>,
    pub(crate) body: Vec<u8>,
}

impl Response {
    /// A JSON response with this status and body.
    pub(crate) fn json(status: u16, body: Vec<u8>) -> Response {
        Response {
            status,
            content_type: "application/json",
            headers: Vec::new(),
            body,
        }
    }

    /// Adds a header.
    pub(crate) fn with_header(mut self, name: &'static str, value: String) -> Response {
        self.headers.push((name, value));
        self
    }
}

/// Writes `resp` in one piece. `head_only` drops the body (for `HEAD`) but
/// keeps its `Content-Length`.
pub(crate) fn write_response<W: Write>(
    w: &mut W,
    resp: &Response,
    request_id: &str,
    close: bool,
    head_only: bool,
) -> io::Result<()> {
    w.write_all(&encode_response(resp, request_id, close, head_only))?;
    w.flush()
}

/// The bytes of `resp` on the wire: head, then the body unless `head_only`.
pub(crate) fn encode_response(
    resp: &Response,
    request_id: &str,
    close: bool,
    head_only: bool,
) -> Vec<u8> {
    let mut out = Vec::with_capacity(256 + resp.body.len());
    out.extend_from_slice(
        format!(
            "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nx-request-id: {}\r\n",
            resp.status,
            crate::error::reason_phrase(resp.status),
            resp.content_type,
            resp.body.len(),
            request_id
        )
        .as_bytes(),
    );
    for (name, value) in &resp.headers {
        out.extend_from_slice(format!("{name}: {value}\r\n").as_bytes());
    }
    if close {
        out.extend_from_slice(b"Connection: close\r\n");
    }
    out.extend_from_slice(b"\r\n");
    if !head_only {
        out.extend_from_slice(&resp.body);
    }
    out
}

/// Writes the interim `100 Continue` response.
pub(crate) fn write_continue<W: Write>(w: &mut W) -> io::Result<()> {
    w.write_all(b"HTTP/1.1 100 Continue\r\n\r\n")?;
    w.flush()
}

fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Decodes `%XX` escapes (and `+` as a space when `plus_is_space`). A `%` not
/// followed by two hex digits is kept as is; invalid UTF-8 becomes U+FFFD.
pub(crate) fn percent_decode(s: &str, plus_is_space: bool) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'%' {
            let hi = bytes.get(i + 1).copied().and_then(hex_value);
            let lo = bytes.get(i + 2).copied().and_then(hex_value);
            if let (Some(hi), Some(lo)) = (hi, lo) {
                out.push(hi * 16 + lo);
                i += 3;
                continue;
            }
        }
        out.push(if plus_is_space && b == b'+' { b' ' } else { b });
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Splits a raw query string into decoded `(key, value)` pairs, in order.
/// A key without `=` gets an empty value; empty pieces are skipped.
pub(crate) fn parse_query(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|piece| !piece.is_empty())
        .map(|piece| {
            let (k, v) = piece.split_once('=').unwrap_or((piece, ""));
            (percent_decode(k, true), percent_decode(v, true))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    fn parse(raw: &str) -> Result<(Head, Vec<u8>), ParseError> {
        let mut r = Cursor::new(raw.as_bytes().to_vec());
        let head = read_head(&mut r)?;
        let body = read_body(&mut r, &head)?;
        Ok((head, body))
    }

    #[test]
    fn parses_head_and_content_length_body() {
        let (head, body) = parse(
            "POST /v2/x?a=1 HTTP/1.1\r\nHost: h\r\nContent-TYPE:  application/json \r\nContent-Length: 2\r\n\r\n{}",
        )
        .expect("valid request");
        assert_eq!(head.method, "POST");
        assert_eq!(head.path, "/v2/x");
        assert_eq!(head.query, "a=1");
        assert_eq!(head.header("content-type"), Some("application/json"));
        assert_eq!(body, b"{}");
        assert!(!head.wants_close());
    }

    #[test]
    fn parses_chunked_body_with_extensions_and_trailers() {
        let (_, body) = parse(
            "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n4;ext=1\r\nWiki\r\n5\r\npedia\r\n0\r\nX-Trailer: y\r\n\r\n",
        )
        .expect("valid chunked request");
        assert_eq!(body, b"Wikipedia");
    }

    #[test]
    fn rejects_garbage_and_oversize() {
        assert_eq!(
            parse("GARBAGE\r\n\r\n").err(),
            Some(ParseError::Bad(400, "The request line is not valid."))
        );
        assert!(matches!(
            parse("GET / HTTP/1.1\r\nno colon here\r\n\r\n"),
            Err(ParseError::Bad(400, _))
        ));
        assert!(matches!(
            parse("GET / HTTP/1.1\r\nContent-Length: 12x\r\n\r\n"),
            Err(ParseError::Bad(400, _))
        ));
        assert!(matches!(
            parse("POST / HTTP/1.1\r\nContent-Length: 99999999999999999999999\r\n\r\n"),
            Err(ParseError::Bad(413, _))
        ));
        assert!(matches!(
            parse("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"),
            Err(ParseError::Bad(400, _))
        ));
        let long = format!("GET /{} HTTP/1.1\r\n\r\n", "a".repeat(MAX_HEAD));
        assert!(matches!(parse(&long), Err(ParseError::Bad(431, _))));
        assert_eq!(parse("").err(), Some(ParseError::Closed));
        assert_eq!(
            parse("GET / HTTP/1.1\r\nHost").err(),
            Some(ParseError::Closed)
        );
    }

    #[test]
    fn connection_semantics() {
        let (h, _) = parse("GET / HTTP/1.1\r\nConnection: keep-alive, Close\r\n\r\n").expect("ok");
        assert!(h.wants_close());
        let (h, _) = parse("GET / HTTP/1.0\r\n\r\n").expect("ok");
        assert!(h.wants_close());
        let (h, _) = parse("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").expect("ok");
        assert!(!h.wants_close());
    }

    #[test]
    fn decodes_percent_and_plus() {
        assert_eq!(
            parse_query("filter%5Bemail%5D%5Bcontains%5D=acme+co&b=%20x%2&c"),
            vec![
                ("filter[email][contains]".to_string(), "acme co".to_string()),
                ("b".to_string(), " x%2".to_string()),
                ("c".to_string(), String::new()),
            ]
        );
        assert_eq!(percent_decode("a+b%2Fc", false), "a+b/c");
    }
}
