//! The HTTP client: fetching a source's bytes from the live web with limits (timeouts,
//! redirects, body size after decompression) and politeness (a per-host and a global
//! concurrency limit, an honest User-Agent).
//!
//! Every failure is a [`FetchError`] whose message reads well on its own, because it is shown
//! to users as the reason a source is `unavailable` ("HTTP 404 Not Found", "timed out after
//! 30s"). The cause stays attached as the error's source; [`FetchError::reason`] renders a
//! one-line reason that also names the innermost cause where the message alone would be vague.

mod error;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use reqwest::header::{self, HeaderMap, HeaderValue};
use tokio::sync::Semaphore;
use url::Url;

pub use error::FetchError;
use error::{chain_has, connect_detail, human_duration};

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
/// Default number of requests in flight overall.
pub const DEFAULT_GLOBAL_LIMIT: usize = 32;
/// The User-Agent sent with every request.
pub const USER_AGENT: &str = concat!(
    "factcheck/",
    env!("CARGO_PKG_VERSION"),
    " (+https://github.com/factcheck/factcheck)"
);
/// The Accept header sent with every request: HTML first, then plain text and PDF, then data.
pub const ACCEPT: &str = "text/html,application/xhtml+xml;q=0.9,text/plain;q=0.8,\
application/pdf;q=0.8,application/json;q=0.7,text/csv;q=0.7,*/*;q=0.5";

/// Limits and timeouts of a [`Fetcher`].
///
/// Defaults: the `DEFAULT_*` constants of this module.
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
    /// Requests in flight at a time overall (at least 1).
    pub global_limit: usize,
}

impl Default for HttpOptions {
    fn default() -> Self {
        HttpOptions {
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            timeout: DEFAULT_TIMEOUT,
            max_redirects: DEFAULT_MAX_REDIRECTS,
            body_limit: DEFAULT_BODY_LIMIT,
            per_host: DEFAULT_PER_HOST,
            global_limit: DEFAULT_GLOBAL_LIMIT,
        }
    }
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

/// Fetches URLs over HTTP(S) within limits; cheap to clone and share across tasks.
#[derive(Debug, Clone)]
pub struct Fetcher {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    client: reqwest::Client,
    opts: HttpOptions,
    global: Arc<Semaphore>,
    hosts: Mutex<HashMap<String, Arc<Semaphore>>>,
}

impl Fetcher {
    /// Builds a fetcher with its own connection pool and concurrency limits.
    pub fn new(opts: HttpOptions) -> Result<Fetcher, FetchError> {
        let mut headers = HeaderMap::new();
        headers.insert(header::ACCEPT, HeaderValue::from_static(ACCEPT));
        let client = reqwest::Client::builder()
            .user_agent(USER_AGENT)
            .default_headers(headers)
            .connect_timeout(opts.connect_timeout)
            .timeout(opts.timeout)
            .redirect(reqwest::redirect::Policy::limited(opts.max_redirects))
            .gzip(true)
            .brotli(true)
            .build()
            .map_err(|source| FetchError::Client { source })?;
        let global = Arc::new(Semaphore::new(opts.global_limit.max(1)));
        Ok(Fetcher {
            inner: Arc::new(Inner {
                client,
                opts,
                global,
                hosts: Mutex::new(HashMap::new()),
            }),
        })
    }

    /// The options this fetcher was built with.
    pub fn options(&self) -> &HttpOptions {
        &self.inner.opts
    }

    /// Fetches one URL, waiting first for a slot under the per-host and global limits.
    ///
    /// The limits apply to the host of `url`; redirects to another host keep the slot of the
    /// first. The timeout counts from when the slot is obtained.
    pub async fn fetch(&self, url: &str) -> Result<Fetched, FetchError> {
        let parsed = parse_url(url)?;
        let host = parsed
            .host_str()
            .ok_or_else(|| FetchError::NoHost {
                url: url.to_string(),
            })?
            .to_string();
        let host_slots = self.host_semaphore(&host);
        // Host first, then global: a request queued behind its host holds no global slot.
        let _host_permit = host_slots.acquire_owned().await.ok();
        let _global_permit = self.inner.global.clone().acquire_owned().await.ok();
        self.fetch_now(url, parsed).await
    }

    /// Fetches all URLs concurrently (within the limits) on a runtime of its own, blocking
    /// until all are done; results are in input order.
    ///
    /// May be called from inside a tokio runtime: the work then runs on a separate thread.
    pub fn fetch_all(&self, urls: &[String]) -> Vec<Result<Fetched, FetchError>> {
        if urls.is_empty() {
            return Vec::new();
        }
        if tokio::runtime::Handle::try_current().is_ok() {
            std::thread::scope(
                |scope| match scope.spawn(|| self.fetch_all_blocking(urls)).join() {
                    Ok(results) => results,
                    Err(panic) => std::panic::resume_unwind(panic),
                },
            )
        } else {
            self.fetch_all_blocking(urls)
        }
    }

    fn fetch_all_blocking(&self, urls: &[String]) -> Vec<Result<Fetched, FetchError>> {
        let runtime = match tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
        {
            Ok(runtime) => runtime,
            Err(err) => {
                return urls
                    .iter()
                    .map(|_| {
                        Err(FetchError::Runtime {
                            source: std::io::Error::new(err.kind(), err.to_string()),
                        })
                    })
                    .collect();
            }
        };
        runtime.block_on(async {
            let handles: Vec<_> = urls
                .iter()
                .map(|url| {
                    let fetcher = self.clone();
                    let url = url.clone();
                    tokio::spawn(async move { fetcher.fetch(&url).await })
                })
                .collect();
            let mut results = Vec::with_capacity(handles.len());
            for handle in handles {
                match handle.await {
                    Ok(result) => results.push(result),
                    Err(err) => match err.try_into_panic() {
                        Ok(panic) => std::panic::resume_unwind(panic),
                        Err(err) => results.push(Err(FetchError::Runtime {
                            source: std::io::Error::other(err.to_string()),
                        })),
                    },
                }
            }
            results
        })
    }

    fn host_semaphore(&self, host: &str) -> Arc<Semaphore> {
        let mut hosts = self
            .inner
            .hosts
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        hosts
            .entry(host.to_ascii_lowercase())
            .or_insert_with(|| Arc::new(Semaphore::new(self.inner.opts.per_host.max(1))))
            .clone()
    }

    async fn fetch_now(&self, url: &str, parsed: Url) -> Result<Fetched, FetchError> {
        let opts = &self.inner.opts;
        let mut response = self
            .inner
            .client
            .get(parsed.clone())
            .send()
            .await
            .map_err(|err| self.classify(err, &parsed))?;
        let status = response.status();
        let final_url = response.url().to_string();
        if !status.is_success() {
            return Err(FetchError::Status {
                status: status.as_u16(),
                url: final_url,
            });
        }
        let text_header = |name: header::HeaderName| {
            response
                .headers()
                .get(name)
                .and_then(|value| value.to_str().ok())
                .map(str::to_string)
        };
        let content_type = text_header(header::CONTENT_TYPE);
        let etag = text_header(header::ETAG);
        let last_modified = text_header(header::LAST_MODIFIED);

        // Known only when the body is not compressed; decompressed sizes are checked while
        // streaming, so a gzip bomb stops at the limit.
        let expected = response.content_length();
        if expected.is_some_and(|len| len > opts.body_limit) {
            return Err(FetchError::TooLarge {
                limit: opts.body_limit,
            });
        }
        let initial = expected.unwrap_or(0).min(INITIAL_CAPACITY_CAP);
        let mut body = Vec::with_capacity(usize::try_from(initial).unwrap_or(0));
        loop {
            match response.chunk().await {
                Ok(Some(chunk)) => {
                    if body.len() as u64 + chunk.len() as u64 > opts.body_limit {
                        return Err(FetchError::TooLarge {
                            limit: opts.body_limit,
                        });
                    }
                    body.extend_from_slice(&chunk);
                }
                Ok(None) => break,
                Err(err) if err.is_timeout() => {
                    return Err(FetchError::Timeout {
                        after: opts.timeout,
                    });
                }
                Err(source) => {
                    return Err(FetchError::Body {
                        received: body.len() as u64,
                        expected,
                        source,
                    });
                }
            }
        }
        Ok(Fetched {
            url: url.to_string(),
            final_url,
            status: status.as_u16(),
            content_type,
            etag,
            last_modified,
            body,
        })
    }

    /// Maps an error from sending the request (before any body was read).
    fn classify(&self, err: reqwest::Error, url: &Url) -> FetchError {
        let opts = &self.inner.opts;
        let host = url.host_str().unwrap_or_default().to_string();
        if err.is_redirect() {
            return FetchError::TooManyRedirects {
                max: opts.max_redirects,
            };
        }
        if err.is_connect() {
            if chain_has(&err, |e| e.to_string() == "dns error") {
                return FetchError::Dns { host, source: err };
            }
            // The failing address may be a redirect target, not the requested one.
            let target = err.url().unwrap_or(url);
            let addr = match (target.host_str(), target.port_or_known_default()) {
                (Some(host), Some(port)) => format!("{host}:{port}"),
                (Some(host), None) => host.to_string(),
                _ => host,
            };
            let detail = if err.is_timeout() {
                format!("timed out after {}", human_duration(opts.connect_timeout))
            } else {
                connect_detail(&err)
            };
            return FetchError::Connect {
                addr,
                detail,
                source: err,
            };
        }
        if err.is_timeout() {
            return FetchError::Timeout {
                after: opts.timeout,
            };
        }
        if err.is_builder() {
            return FetchError::Client { source: err };
        }
        FetchError::Request { source: err }
    }
}

/// Initial buffer capacity is the announced length, but never more than this.
const INITIAL_CAPACITY_CAP: u64 = 1024 * 1024;

fn parse_url(url: &str) -> Result<Url, FetchError> {
    let parsed = Url::parse(url).map_err(|source| FetchError::InvalidUrl {
        url: url.to_string(),
        source,
    })?;
    match parsed.scheme() {
        "http" | "https" => Ok(parsed),
        scheme => Err(FetchError::UnsupportedScheme {
            scheme: scheme.to_string(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_checked_before_fetching() {
        assert!(matches!(
            parse_url("not a url"),
            Err(FetchError::InvalidUrl { .. })
        ));
        let err = parse_url("ftp://example.com/x").unwrap_err();
        assert_eq!(
            err.to_string(),
            "unsupported URL scheme \"ftp\" (only http and https can be fetched)"
        );
        let err = parse_url("nope").unwrap_err();
        assert_eq!(
            err.reason(),
            "invalid URL \"nope\": relative URL without a base"
        );
    }

    #[test]
    fn fetcher_is_send_sync_and_cheap_to_clone() {
        fn assert_send_sync<T: Send + Sync + Clone>() {}
        assert_send_sync::<Fetcher>();
    }
}
