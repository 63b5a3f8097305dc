//! HTTP: the client's settings and results here, always built; the client itself ([`Fetcher`],
//! in `client`) only with the `network` feature.
//!
//! The client: fetching a source's bytes from the live web with limits (timeouts,
//! redirects, body size after decompression), politeness (per-host concurrency and spacing, a
//! global limit, retries with backoff that honour `Retry-After`, an honest User-Agent),
//! conditional requests (`If-None-Match`, `If-Modified-Since`, 304) and an address guard that
//! keeps requests off loopback, private, link-local and multicast addresses by default.
//!
//! Every failure is a [`FetchError`] whose message reads well on its own, because it is shown
//! to users as the reason a source is `unavailable` ("HTTP 404 Not Found", "timed out after
//! 30s"). The cause stays attached as the error's source; [`FetchError::reason`] renders a
//! one-line reason that also names the innermost cause where the message alone would be vague.

#[cfg(feature = "network")]
mod client;
#[cfg(feature = "network")]
mod error;
#[cfg(feature = "network")]
pub mod guard;
#[cfg(feature = "network")]
mod pace;
#[cfg(feature = "network")]
mod redirect;
#[cfg(feature = "network")]
pub mod retry;
#[cfg(feature = "network")]
pub mod wayback;

#[cfg(feature = "network")]
pub use client::{Fetcher, block_on, raise_open_files_limit};
#[cfg(feature = "network")]
pub use error::FetchError;

use std::time::Duration;

/// The Wayback Machine's base URL.
pub const DEFAULT_WAYBACK_URL: &str = "https://archive.org";

/// Default time allowed to establish a connection (TCP and TLS).
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default time allowed for a whole request: connecting, redirects and reading the body.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// Default number of redirects followed before giving up.
pub const DEFAULT_MAX_REDIRECTS: usize = 10;
/// Default limit on a response body, in bytes, measured after decompression.
pub const DEFAULT_BODY_LIMIT: u64 = 20 * 1024 * 1024;
/// Default number of requests in flight to one host (host name or IP address, any port).
pub const DEFAULT_PER_HOST: usize = 2;
/// Default spacing between the starts of successive requests to one host.
pub const DEFAULT_PER_HOST_DELAY: Duration = Duration::from_millis(500);
/// Default number of requests in flight overall.
pub const DEFAULT_GLOBAL_LIMIT: usize = 32;
/// Default number of retries after a timeout, connection error, 5xx or 429.
pub const DEFAULT_RETRIES: u32 = 2;
/// Default first backoff; each retry doubles it (with jitter).
pub const DEFAULT_RETRY_BASE: Duration = Duration::from_secs(1);
/// Default cap on a wait, whether from backoff or from the server's `Retry-After`.
pub const DEFAULT_RETRY_AFTER_CAP: Duration = Duration::from_secs(60);
/// The User-Agent sent with every request.
pub const USER_AGENT: &str = concat!(
    "factcheck/",
    env!("CARGO_PKG_VERSION"),
    " (+https://github.com/factcheck/factcheck)"
);
/// The Accept header sent with every request: HTML first, then plain text and PDF, then data.
pub const ACCEPT: &str = "text/html,application/xhtml+xml;q=0.9,text/plain;q=0.8,\
application/pdf;q=0.8,application/json;q=0.7,text/csv;q=0.7,*/*;q=0.5";

/// Limits, politeness and safety settings of a [`Fetcher`].
///
/// Defaults: the `DEFAULT_*` constants of this module, and no private addresses.
#[derive(Debug, Clone)]
pub struct HttpOptions {
    /// Time allowed to establish a connection.
    pub connect_timeout: Duration,
    /// Time allowed for a whole request, body included (not counting time queued for a slot).
    pub timeout: Duration,
    /// Redirects followed before failing with [`FetchError::TooManyRedirects`].
    pub max_redirects: usize,
    /// Largest body accepted, in bytes after decompression.
    pub body_limit: u64,
    /// Requests in flight to one host at a time (at least 1).
    pub per_host: usize,
    /// Least time between the starts of two requests to one host.
    pub per_host_delay: Duration,
    /// Requests in flight at a time overall (at least 1).
    pub global_limit: usize,
    /// Retries after a retryable failure (see [`retry::is_retryable`]).
    pub retries: u32,
    /// The first backoff; doubled on each retry, with jitter.
    pub retry_base: Duration,
    /// The longest wait before a retry, including one asked for by `Retry-After`.
    pub retry_after_cap: Duration,
    /// Allow loopback, private, link-local and multicast addresses (off by default).
    pub allow_private: bool,
}

impl Default for HttpOptions {
    fn default() -> Self {
        HttpOptions {
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            timeout: DEFAULT_TIMEOUT,
            max_redirects: DEFAULT_MAX_REDIRECTS,
            body_limit: DEFAULT_BODY_LIMIT,
            per_host: DEFAULT_PER_HOST,
            per_host_delay: DEFAULT_PER_HOST_DELAY,
            global_limit: DEFAULT_GLOBAL_LIMIT,
            retries: DEFAULT_RETRIES,
            retry_base: DEFAULT_RETRY_BASE,
            retry_after_cap: DEFAULT_RETRY_AFTER_CAP,
            allow_private: false,
        }
    }
}

/// The validators of a cached copy, sent as `If-None-Match` and `If-Modified-Since`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Validators {
    /// The cached `ETag`.
    pub etag: Option<String>,
    /// The cached `Last-Modified`.
    pub last_modified: Option<String>,
}

impl Validators {
    /// Whether there is anything to send.
    pub fn is_empty(&self) -> bool {
        self.etag.is_none() && self.last_modified.is_none()
    }
}

/// The result of a conditional request.
#[derive(Debug, Clone)]
pub enum Outcome {
    /// A 2xx response with its body.
    Modified(Fetched),
    /// 304 Not Modified: the cached copy is current.
    NotModified(NotModified),
}

/// A 304 answer: the cached body stays, its validators may be refreshed.
#[derive(Debug, Clone)]
pub struct NotModified {
    /// The URL after redirects.
    pub final_url: String,
    /// A new `ETag`, if the server sent one.
    pub etag: Option<String>,
    /// A new `Last-Modified`, if the server sent one.
    pub last_modified: Option<String>,
}

/// A successful (2xx) response, its body read in full and decompressed.
#[derive(Debug, Clone)]
pub struct Fetched {
    /// The URL as requested.
    pub url: String,
    /// The URL after following redirects.
    pub final_url: String,
    /// The HTTP status code.
    pub status: u16,
    /// The `Content-Type` header, if any.
    pub content_type: Option<String>,
    /// The `ETag` header, if any.
    pub etag: Option<String>,
    /// The `Last-Modified` header, if any.
    pub last_modified: Option<String>,
    /// The body, after `Content-Encoding` (gzip, brotli) was undone.
    pub body: Vec<u8>,
}
