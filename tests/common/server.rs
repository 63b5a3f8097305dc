//! A small HTTP/1.1 server on 127.0.0.x for integration tests (std only, a thread per
//! connection, `Connection: close` unless [`TestServer::keep_alive`] asks for persistent
//! connections, as web servers keep them).
//!
//! Routes are closures or canned [`Response`]s keyed by path. The server counts requests per
//! path, records every request's headers, tracks how many requests are in flight at once, and
//! can misbehave on purpose: delay, hang, announce more body than it sends, send a gzip bomb, a
//! body over a limit, a raw byte string. It shuts down when dropped.
#![allow(dead_code)]

use std::collections::HashMap;
use std::io::{self, Read, Write};
use std::net::{IpAddr, Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, PoisonError};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

/// Largest request head the server reads.
const MAX_HEAD: usize = 64 * 1024;
/// How long a connection may stay silent or blocked before the server gives up on it.
const IO_TIMEOUT: Duration = Duration::from_secs(10);
/// How often hanging connections look at the shutdown flag.
const POLL: Duration = Duration::from_millis(10);
/// How often delayed responses look at it: a delay of up to this is one sleep, so a thousand
/// delayed responses in flight do not wake the server a hundred thousand times a second.
const SLEEP_CHUNK: Duration = Duration::from_millis(100);

/// A request as the server received it.
#[derive(Debug, Clone)]
pub struct Request {
    /// The method, e.g. `GET`.
    pub method: String,
    /// The request target: path and query.
    pub target: String,
    /// The path, without the query.
    pub path: String,
    /// The headers, names lower-cased, in the order received.
    pub headers: Vec<(String, String)>,
    /// The body, if the request had a `Content-Length`.
    pub body: Vec<u8>,
    /// The address of the client.
    pub peer: SocketAddr,
}

impl Request {
    /// The first header with this name (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// How the body is framed.
#[derive(Debug, Clone)]
enum Framing {
    /// `Content-Length` of the actual body.
    Exact,
    /// `Content-Length` of this many bytes, whatever is sent, then close.
    Declared(u64),
    /// No `Content-Length`: the body ends when the connection closes.
    Close,
}

#[derive(Debug, Clone)]
enum Body {
    Bytes(Arc<Vec<u8>>),
    /// `len` bytes of `byte`, written without holding them in memory.
    Repeat {
        byte: u8,
        len: u64,
    },
}

impl Body {
    fn len(&self) -> u64 {
        match self {
            Body::Bytes(bytes) => bytes.len() as u64,
            Body::Repeat { len, .. } => *len,
        }
    }
}

/// A response the server sends; build with the constructors and chain the setters.
#[derive(Debug, Clone)]
pub struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    body: Body,
    framing: Framing,
    delay: Duration,
    hang: bool,
    raw: Option<Arc<Vec<u8>>>,
}

impl Response {
    /// An empty response with this status.
    pub fn status(status: u16) -> Response {
        Response {
            status,
            headers: Vec::new(),
            body: Body::Bytes(Arc::new(Vec::new())),
            framing: Framing::Exact,
            delay: Duration::ZERO,
            hang: false,
            raw: None,
        }
    }

    /// 200 with a `text/html; charset=utf-8` body.
    pub fn html(body: impl Into<Vec<u8>>) -> Response {
        Response::status(200)
            .header("Content-Type", "text/html; charset=utf-8")
            .body(body)
    }

    /// 200 with a `text/plain; charset=utf-8` body.
    pub fn text(body: impl Into<Vec<u8>>) -> Response {
        Response::status(200)
            .header("Content-Type", "text/plain; charset=utf-8")
            .body(body)
    }

    /// 304 Not Modified, no body.
    pub fn not_modified() -> Response {
        Response::status(304)
    }

    /// `status` (429 or 503) with `Retry-After: secs`.
    pub fn retry_after(status: u16, secs: u64) -> Response {
        Response::status(status).header("Retry-After", &secs.to_string())
    }

    /// A redirect (301, 302, 303, 307, 308) to `location`.
    pub fn redirect(status: u16, location: &str) -> Response {
        Response::status(status).header("Location", location)
    }

    /// 200 with `len` bytes of `a`, streamed without being held in memory.
    pub fn large(len: u64) -> Response {
        let mut response = Response::status(200).header("Content-Type", "text/plain");
        response.body = Body::Repeat { byte: b'a', len };
        response
    }

    /// 200 with `body` gzip-compressed (`Content-Encoding: gzip`).
    pub fn gzip(body: &[u8]) -> Response {
        Response::html(gzip_bytes(body)).header("Content-Encoding", "gzip")
    }

    /// 200 with `body` brotli-compressed (`Content-Encoding: br`).
    pub fn brotli(body: &[u8]) -> Response {
        Response::html(brotli_stored(body)).header("Content-Encoding", "br")
    }

    /// 200 with a gzip body that is small on the wire (about 1 KiB per MiB) but `mib` MiB of
    /// zeros once decoded: see [`gzip_bomb_bytes`].
    pub fn gzip_bomb(mib: u64) -> Response {
        Response::status(200)
            .header("Content-Type", "text/html")
            .header("Content-Encoding", "gzip")
            .body(gzip_bomb_bytes(mib))
    }

    /// 200 that announces `declared` bytes but sends only `sent`, then closes.
    pub fn truncated(declared: u64, sent: impl Into<Vec<u8>>) -> Response {
        let mut response = Response::status(200)
            .header("Content-Type", "text/html")
            .body(sent);
        response.framing = Framing::Declared(declared);
        response
    }

    /// Reads the request, then never answers (until the client gives up or the server stops).
    pub fn hang() -> Response {
        let mut response = Response::status(200);
        response.hang = true;
        response
    }

    /// Sends these bytes as they are, status line and headers included, then closes.
    pub fn raw(bytes: impl Into<Vec<u8>>) -> Response {
        let mut response = Response::status(200);
        response.raw = Some(Arc::new(bytes.into()));
        response
    }

    /// Adds a header.
    pub fn header(mut self, name: &str, value: &str) -> Response {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }

    /// Sets the body.
    pub fn body(mut self, body: impl Into<Vec<u8>>) -> Response {
        self.body = Body::Bytes(Arc::new(body.into()));
        self
    }

    /// Waits this long before answering.
    pub fn delay(mut self, delay: Duration) -> Response {
        self.delay = delay;
        self
    }

    /// Sends no `Content-Length`: the body ends when the connection closes.
    pub fn without_content_length(mut self) -> Response {
        self.framing = Framing::Close;
        self
    }
}

/// A page that answers conditional requests: 304 when `If-None-Match` carries its current
/// ETag or `If-Modified-Since` its current Last-Modified, else the page with both validators.
/// `current` gives the page's version (ETag `"v<n>"`) and body at the time of the request.
pub fn conditional_page(
    current: impl Fn() -> (u32, Vec<u8>) + Send + Sync + 'static,
) -> impl Fn(&Request) -> Response + Send + Sync + 'static {
    move |request| {
        let (version, body) = current();
        let etag = format!("\"v{version}\"");
        let modified = format!("Sun, {:02} Nov 2026 00:00:00 GMT", version.clamp(1, 28));
        let fresh = request.header("if-none-match") == Some(etag.as_str())
            || (request.header("if-none-match").is_none()
                && request.header("if-modified-since") == Some(modified.as_str()));
        if fresh {
            Response::not_modified().header("ETag", &etag)
        } else {
            Response::html(body)
                .header("ETag", &etag)
                .header("Last-Modified", &modified)
        }
    }
}

/// A route: computes the response to a request.
pub type Handler = Arc<dyn Fn(&Request) -> Response + Send + Sync>;

#[derive(Default)]
struct State {
    routes: Mutex<HashMap<String, Handler>>,
    hits: Mutex<HashMap<String, usize>>,
    requests: Mutex<Vec<Request>>,
    in_flight: AtomicUsize,
    max_in_flight: AtomicUsize,
    shutdown: AtomicBool,
    keep_alive: AtomicBool,
}

/// A running test server; stops when dropped.
pub struct TestServer {
    addr: SocketAddr,
    state: Arc<State>,
    acceptor: Option<JoinHandle<()>>,
}

impl TestServer {
    /// Starts a server on 127.0.0.1 at a free port.
    pub fn start() -> TestServer {
        TestServer::on("127.0.0.1")
    }

    /// Starts a server on this loopback IP (127.0.0.2, ... stand for other hosts) at a free port.
    pub fn on(ip: &str) -> TestServer {
        let ip: IpAddr = ip.parse().expect("test server IP");
        let listener = TcpListener::bind((ip, 0)).expect("bind test server");
        let addr = listener.local_addr().expect("test server address");
        let state = Arc::new(State::default());
        let acceptor = {
            let state = state.clone();
            thread::spawn(move || accept_loop(listener, state))
        };
        TestServer {
            addr,
            state,
            acceptor: Some(acceptor),
        }
    }

    /// Keeps connections open after responses that have a `Content-Length` (unless the client
    /// asks to close), so a client can send its next request without connecting again.
    pub fn keep_alive(self) -> TestServer {
        self.state.keep_alive.store(true, Ordering::SeqCst);
        self
    }

    /// The address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://ip:port` followed by `path`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    /// Serves `path` (exact, query ignored) with a closure.
    pub fn route(
        &self,
        path: &str,
        handler: impl Fn(&Request) -> Response + Send + Sync + 'static,
    ) -> &Self {
        lock(&self.state.routes).insert(path.to_string(), Arc::new(handler));
        self
    }

    /// Serves `path` with the same canned response every time.
    pub fn respond(&self, path: &str, response: Response) -> &Self {
        self.route(path, move |_| response.clone())
    }

    /// How many requests `path` has received.
    pub fn hits(&self, path: &str) -> usize {
        lock(&self.state.hits).get(path).copied().unwrap_or(0)
    }

    /// Every request received so far, in order of arrival.
    pub fn requests(&self) -> Vec<Request> {
        lock(&self.state.requests).clone()
    }

    /// The last request received for `path`.
    pub fn last_request(&self, path: &str) -> Option<Request> {
        lock(&self.state.requests)
            .iter()
            .rev()
            .find(|r| r.path == path)
            .cloned()
    }

    /// The most requests this server was handling at the same time.
    pub fn max_in_flight(&self) -> usize {
        self.state.max_in_flight.load(Ordering::SeqCst)
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.state.shutdown.store(true, Ordering::SeqCst);
        // Wake the blocking accept.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_secs(1));
        if let Some(acceptor) = self.acceptor.take() {
            let _ = acceptor.join();
        }
    }
}

/// An address on 127.0.0.1 where nothing listens (bound, then released).
pub fn refused_addr() -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind probe");
    listener.local_addr().expect("probe address")
}

/// `data` gzip-compressed.
pub fn gzip_bytes(data: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    encoder.write_all(data).expect("gzip to memory");
    encoder.finish().expect("gzip to memory")
}

/// A single gzip member that decodes to `mib` MiB of zeros, built without compressing them:
/// one MiB of zeros is deflated and sync-flushed (a byte-aligned, non-final run of blocks), that
/// run is repeated `mib` times (its back-references only ever see zeros), then a final empty
/// block and the true CRC-32 and length close the member.
pub fn gzip_bomb_bytes(mib: u64) -> Vec<u8> {
    static SEGMENT: OnceLock<Vec<u8>> = OnceLock::new();
    const MIB: usize = 1024 * 1024;
    let zeros = vec![0u8; MIB];
    let segment = SEGMENT.get_or_init(|| {
        let mut encoder =
            flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
        encoder.write_all(&zeros).expect("deflate to memory");
        encoder.flush().expect("deflate to memory");
        encoder.get_ref().clone()
    });
    let mut crc = flate2::Crc::new();
    let mut out = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff];
    for _ in 0..mib {
        out.extend_from_slice(segment);
        crc.update(&zeros);
    }
    out.extend_from_slice(&[0x03, 0x00]);
    out.extend_from_slice(&crc.sum().to_le_bytes());
    out.extend_from_slice(&((mib * MIB as u64) as u32).to_le_bytes());
    out
}

/// `data` as a valid brotli stream of uncompressed meta-blocks (no brotli encoder needed).
pub fn brotli_stored(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len() + 8);
    // The stream header WBITS = 16 is the single bit 0, so the first meta-block header starts
    // at bit 1; later ones start on a byte boundary. Each header: ISLAST = 0, MNIBBLES = 4
    // (bits 00), MLEN - 1 (16 bits), ISUNCOMPRESSED = 1, zero padding to 3 bytes in all.
    let mut first = true;
    for chunk in data.chunks(65536) {
        let mlen = (chunk.len() - 1) as u32;
        let shift = u32::from(first);
        let bits = (mlen << (3 + shift)) | (1 << (19 + shift));
        out.extend_from_slice(&bits.to_le_bytes()[..3]);
        out.extend_from_slice(chunk);
        first = false;
    }
    // Last, empty meta-block: ISLAST=1, ISLASTEMPTY=1 (after the WBITS bit for an empty stream).
    out.push(if first { 0b110 } else { 0b11 });
    out
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

fn accept_loop(listener: TcpListener, state: Arc<State>) {
    for stream in listener.incoming() {
        if state.shutdown.load(Ordering::SeqCst) {
            break;
        }
        let Ok(stream) = stream else { continue };
        let state = state.clone();
        thread::spawn(move || {
            let _ = serve(stream, &state);
        });
    }
}

fn serve(mut stream: TcpStream, state: &State) -> io::Result<()> {
    stream.set_read_timeout(Some(IO_TIMEOUT))?;
    stream.set_write_timeout(Some(IO_TIMEOUT))?;
    // The head and the body are written separately: without this, a kept-alive connection
    // waits for the client's delayed ACK before the body goes.
    stream.set_nodelay(true)?;
    let peer = stream.peer_addr()?;
    loop {
        let Some(request) = read_request(&mut stream, peer)? else {
            return Ok(());
        };
        *lock(&state.hits).entry(request.path.clone()).or_insert(0) += 1;
        lock(&state.requests).push(request.clone());
        let handler = lock(&state.routes).get(&request.path).cloned();
        let response = match handler {
            Some(handler) => handler(&request),
            None => Response::status(404).body("not found"),
        };
        let keep = state.keep_alive.load(Ordering::SeqCst)
            && matches!(response.framing, Framing::Exact)
            && response.raw.is_none()
            && !response.hang
            && !request
                .header("connection")
                .is_some_and(|c| c.eq_ignore_ascii_case("close"));

        let now = state.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        state.max_in_flight.fetch_max(now, Ordering::SeqCst);
        let in_flight = InFlight(&state.in_flight);
        respond(&mut stream, &response, state, keep, in_flight)?;
        if !keep || state.shutdown.load(Ordering::SeqCst) {
            return Ok(());
        }
    }
}

/// A request being handled; it stops counting as in flight when dropped.
struct InFlight<'a>(&'a AtomicUsize);

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Answers; the request stops counting as in flight before the first byte of its answer goes
/// out (a client that has its answer may send the next request at once), or, when it hangs,
/// once the client gives up.
fn respond(
    stream: &mut TcpStream,
    response: &Response,
    state: &State,
    keep_alive: bool,
    in_flight: InFlight<'_>,
) -> io::Result<()> {
    if !sleep_unless_shutdown(response.delay, state) {
        return Ok(());
    }
    if response.hang {
        return hang(stream, state);
    }
    drop(in_flight);
    if let Some(raw) = &response.raw {
        stream.write_all(raw)?;
        return stream.shutdown(Shutdown::Write);
    }
    let mut head = format!(
        "HTTP/1.1 {} {}\r\n",
        response.status,
        reason(response.status)
    );
    for (name, value) in &response.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    match response.framing {
        Framing::Exact => head.push_str(&format!("Content-Length: {}\r\n", response.body.len())),
        Framing::Declared(len) => head.push_str(&format!("Content-Length: {len}\r\n")),
        Framing::Close => {}
    }
    head.push_str(if keep_alive {
        "\r\n"
    } else {
        "Connection: close\r\n\r\n"
    });
    stream.write_all(head.as_bytes())?;
    match &response.body {
        Body::Bytes(bytes) => stream.write_all(bytes)?,
        Body::Repeat { byte, len } => {
            let block = vec![*byte; 64 * 1024];
            let mut left = *len;
            while left > 0 {
                let n = left.min(block.len() as u64) as usize;
                stream.write_all(&block[..n])?;
                left -= n as u64;
            }
        }
    }
    stream.flush()?;
    if keep_alive {
        Ok(())
    } else {
        stream.shutdown(Shutdown::Write)
    }
}

/// Sleeps for `delay`, returning false if the server shut down meanwhile.
fn sleep_unless_shutdown(delay: Duration, state: &State) -> bool {
    let until = Instant::now() + delay;
    loop {
        if state.shutdown.load(Ordering::SeqCst) {
            return false;
        }
        let now = Instant::now();
        if now >= until {
            return true;
        }
        thread::sleep(SLEEP_CHUNK.min(until - now));
    }
}

/// Keeps the connection open without answering until the client closes it or the server stops.
fn hang(stream: &mut TcpStream, state: &State) -> io::Result<()> {
    stream.set_read_timeout(Some(POLL))?;
    let mut buf = [0u8; 1024];
    while !state.shutdown.load(Ordering::SeqCst) {
        match stream.read(&mut buf) {
            Ok(0) => break,
            Ok(_) => {}
            Err(err)
                if matches!(
                    err.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) => {}
            Err(_) => break,
        }
    }
    Ok(())
}

fn read_request(stream: &mut TcpStream, peer: SocketAddr) -> io::Result<Option<Request>> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(at) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break at;
        }
        if buf.len() > MAX_HEAD {
            return Ok(None);
        }
        let n = stream.read(&mut chunk)?;
        if n == 0 {
            return Ok(None); // The wake-up connection of Drop, or a client that gave up.
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut request_line = lines.next().unwrap_or_default().split(' ');
    let method = request_line.next().unwrap_or_default().to_string();
    let target = request_line.next().unwrap_or_default().to_string();
    let path = target.split('?').next().unwrap_or_default().to_string();
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_string()))
        .collect();
    let mut body = buf[head_end + 4..].to_vec();
    let length = headers
        .iter()
        .find(|(name, _)| name == "content-length")
        .and_then(|(_, value)| value.parse::<usize>().ok())
        .unwrap_or(0);
    while body.len() < length {
        let n = stream.read(&mut chunk)?;
        if n == 0 {
            break;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    Ok(Some(Request {
        method,
        target,
        path,
        headers,
        body,
        peer,
    }))
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        204 => "No Content",
        301 => "Moved Permanently",
        302 => "Found",
        303 => "See Other",
        304 => "Not Modified",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        410 => "Gone",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        _ => "Status",
    }
}
