//! The client itself: [`Fetcher`] on reqwest and tokio (the `network` feature).

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{self, HeaderMap, HeaderValue};
use tokio::sync::Semaphore;
use url::Url;

use super::FetchError;
use super::error::{chain_has, connect_detail, human_duration};
use super::guard::{BlockedAddress, GuardedResolver};
use super::pace::Pacer;
use super::redirect::{RedirectRefused, check_redirect};

use super::{
    ACCEPT, Fetched, HttpOptions, NotModified, Outcome, USER_AGENT, Validators, guard, retry,
};

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
    pacer: Pacer,
}

/// A failed attempt, with the server's `Retry-After` when it gave one.
struct Failure {
    error: FetchError,
    retry_after: Option<Duration>,
}

impl From<FetchError> for Failure {
    fn from(error: FetchError) -> Failure {
        Failure {
            error,
            retry_after: None,
        }
    }
}

impl Fetcher {
    /// Builds a fetcher with its own connection pool, concurrency limits and pacing.
    pub fn new(opts: HttpOptions) -> Result<Fetcher, FetchError> {
        let mut headers = HeaderMap::new();
        headers.insert(header::ACCEPT, HeaderValue::from_static(ACCEPT));
        let max_redirects = opts.max_redirects;
        let allow_private = opts.allow_private;
        let policy = reqwest::redirect::Policy::custom(move |attempt| {
            match check_redirect(
                attempt.previous().len(),
                attempt.url(),
                max_redirects,
                allow_private,
            ) {
                Ok(()) => attempt.follow(),
                Err(RedirectRefused::TooMany(e)) => attempt.error(e),
                Err(RedirectRefused::Blocked(e)) => attempt.error(e),
            }
        });
        let mut builder = reqwest::Client::builder()
            .user_agent(USER_AGENT)
            .default_headers(headers)
            .connect_timeout(opts.connect_timeout)
            .timeout(opts.timeout)
            .redirect(policy)
            .gzip(true)
            .brotli(true);
        if !opts.allow_private {
            builder = builder.dns_resolver(Arc::new(GuardedResolver));
        }
        let client = builder
            .build()
            .map_err(|source| FetchError::Client { source })?;
        // Each request in flight holds a socket, and the cache's writers hold files.
        raise_open_files_limit(opts.global_limit as u64 + OPEN_FILES_HEADROOM);
        let global = Arc::new(Semaphore::new(opts.global_limit.max(1)));
        let pacer = Pacer::new(opts.per_host, opts.per_host_delay);
        Ok(Fetcher {
            inner: Arc::new(Inner {
                client,
                opts,
                global,
                pacer,
            }),
        })
    }

    /// The options this fetcher was built with.
    pub fn options(&self) -> &HttpOptions {
        &self.inner.opts
    }

    /// Fetches one URL, waiting first for a slot under the per-host and global limits and for
    /// the host's turn; retries retryable failures.
    ///
    /// The limits apply to the host of `url`; redirects to another host keep the slot of the
    /// first. The timeout counts from when the slot is obtained.
    pub async fn fetch(&self, url: &str) -> Result<Fetched, FetchError> {
        match self.fetch_conditional(url, &Validators::default()).await? {
            Outcome::Modified(fetched) => Ok(fetched),
            // Only sent with validators; a server that answers 304 to a plain GET is wrong.
            Outcome::NotModified(n) => Err(FetchError::Status {
                status: 304,
                url: n.final_url,
            }),
        }
    }

    /// Fetches one URL, conditionally when `validators` has an ETag or Last-Modified: a 304
    /// is [`Outcome::NotModified`]. Waits for a slot and the host's turn before each attempt;
    /// retries timeouts, connection errors, 5xx and 429 with exponential backoff and jitter,
    /// or after the server's `Retry-After` (capped), which also holds back the whole host.
    pub async fn fetch_conditional(
        &self,
        url: &str,
        validators: &Validators,
    ) -> Result<Outcome, FetchError> {
        let opts = &self.inner.opts;
        let parsed = parse_url(url)?;
        let host = parsed
            .host_str()
            .ok_or_else(|| FetchError::NoHost {
                url: url.to_string(),
            })?
            .to_string();
        if !opts.allow_private {
            guard::check_url(&parsed).map_err(|source| FetchError::Blocked { source })?;
        }
        let mut attempt = 0;
        loop {
            let result = {
                // Host first (slot, then turn), then global: a request queued behind its host
                // holds no global slot.
                let _host_permit = self.inner.pacer.acquire(&host).await;
                let _global_permit = self.inner.global.clone().acquire_owned().await.ok();
                self.attempt(url, &parsed, validators).await
            };
            let failure = match result {
                Ok(outcome) => return Ok(outcome),
                Err(failure) => failure,
            };
            if attempt >= opts.retries || !retry::is_retryable(&failure.error) {
                return Err(failure.error);
            }
            let wait = retry::backoff(
                attempt,
                opts.retry_base,
                failure.retry_after,
                opts.retry_after_cap,
            );
            if failure.retry_after.is_some() {
                self.inner
                    .pacer
                    .defer(&host, tokio::time::Instant::now() + wait);
            }
            tokio::time::sleep(wait).await;
            attempt += 1;
        }
    }

    /// Fetches all URLs concurrently (within the limits) on a runtime of its own, blocking
    /// until all are done; results are in input order.
    ///
    /// May be called from inside a tokio runtime: the work then runs on a separate thread.
    pub fn fetch_all(&self, urls: &[String]) -> Vec<Result<Fetched, FetchError>> {
        if urls.is_empty() {
            return Vec::new();
        }
        let handles = urls.to_vec();
        let fetcher = self.clone();
        let joined = block_on(async move {
            let tasks: Vec<_> = handles
                .into_iter()
                .map(|url| {
                    let fetcher = fetcher.clone();
                    tokio::spawn(async move { fetcher.fetch(&url).await })
                })
                .collect();
            let mut results = Vec::with_capacity(tasks.len());
            for task in tasks {
                results.push(join_result(task.await));
            }
            results
        });
        match joined {
            Ok(results) => results,
            Err(err) => urls
                .iter()
                .map(|_| {
                    Err(FetchError::Runtime {
                        source: std::io::Error::new(err.kind(), err.to_string()),
                    })
                })
                .collect(),
        }
    }

    async fn attempt(
        &self,
        url: &str,
        parsed: &Url,
        validators: &Validators,
    ) -> Result<Outcome, Failure> {
        let opts = &self.inner.opts;
        let mut request = self.inner.client.get(parsed.clone());
        if let Some(etag) = &validators.etag {
            request = request.header(header::IF_NONE_MATCH, etag);
        }
        if let Some(date) = &validators.last_modified {
            request = request.header(header::IF_MODIFIED_SINCE, date);
        }
        let mut response = request
            .send()
            .await
            .map_err(|err| self.classify(err, parsed))?;
        let status = response.status();
        let final_url = response.url().to_string();
        let text_header = |name: header::HeaderName| {
            response
                .headers()
                .get(name)
                .and_then(|value| value.to_str().ok())
                .map(str::to_string)
        };
        let etag = text_header(header::ETAG);
        let last_modified = text_header(header::LAST_MODIFIED);
        if status == reqwest::StatusCode::NOT_MODIFIED && !validators.is_empty() {
            return Ok(Outcome::NotModified(NotModified {
                final_url,
                etag,
                last_modified,
            }));
        }
        if !status.is_success() {
            let retry_after = text_header(header::RETRY_AFTER)
                .and_then(|v| retry::parse_retry_after(&v, jiff::Timestamp::now()));
            return Err(Failure {
                error: FetchError::Status {
                    status: status.as_u16(),
                    url: final_url,
                },
                retry_after,
            });
        }
        let content_type = text_header(header::CONTENT_TYPE);

        // Known only when the body is not compressed; decompressed sizes are checked while
        // streaming, so a gzip bomb stops at the limit.
        let expected = response.content_length();
        if expected.is_some_and(|len| len > opts.body_limit) {
            return Err(FetchError::TooLarge {
                limit: opts.body_limit,
            }
            .into());
        }
        let initial = expected.unwrap_or(0).min(INITIAL_CAPACITY_CAP);
        let mut body = Vec::with_capacity(usize::try_from(initial).unwrap_or(0));
        loop {
            match response.chunk().await {
                Ok(Some(chunk)) => {
                    if body.len() as u64 + chunk.len() as u64 > opts.body_limit {
                        return Err(FetchError::TooLarge {
                            limit: opts.body_limit,
                        }
                        .into());
                    }
                    body.extend_from_slice(&chunk);
                }
                Ok(None) => break,
                Err(err) if err.is_timeout() => {
                    return Err(FetchError::Timeout {
                        after: opts.timeout,
                    }
                    .into());
                }
                Err(source) => {
                    return Err(FetchError::Body {
                        received: body.len() as u64,
                        expected,
                        source,
                    }
                    .into());
                }
            }
        }
        Ok(Outcome::Modified(Fetched {
            url: url.to_string(),
            final_url,
            status: status.as_u16(),
            content_type,
            etag,
            last_modified,
            body,
        }))
    }

    /// Maps an error from sending the request (before any body was read).
    fn classify(&self, err: reqwest::Error, url: &Url) -> FetchError {
        let opts = &self.inner.opts;
        let host = url.host_str().unwrap_or_default().to_string();
        if let Some(blocked) = find_cause::<BlockedAddress>(&err) {
            return FetchError::Blocked {
                source: blocked.clone(),
            };
        }
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

/// Runs a future to completion on a fresh multi-threaded runtime; from inside a runtime, on a
/// separate thread (a runtime cannot block inside another).
pub fn block_on<F>(future: F) -> Result<F::Output, std::io::Error>
where
    F: Future + Send,
    F::Output: Send,
{
    let run = move || {
        tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .map(|runtime| runtime.block_on(future))
    };
    if tokio::runtime::Handle::try_current().is_ok() {
        std::thread::scope(|scope| match scope.spawn(run).join() {
            Ok(result) => result,
            Err(panic) => std::panic::resume_unwind(panic),
        })
    } else {
        run()
    }
}

/// A spawned fetch's result; a panic in the task is resumed here.
fn join_result<T>(
    joined: Result<Result<T, FetchError>, tokio::task::JoinError>,
) -> Result<T, FetchError> {
    match joined {
        Ok(result) => result,
        Err(err) => match err.try_into_panic() {
            Ok(panic) => std::panic::resume_unwind(panic),
            Err(err) => Err(FetchError::Runtime {
                source: std::io::Error::other(err.to_string()),
            }),
        },
    }
}

/// The first cause of type `T` in an error's chain.
fn find_cause<'a, T: std::error::Error + 'static>(
    err: &'a (dyn std::error::Error + 'static),
) -> Option<&'a T> {
    let mut current = Some(err);
    while let Some(e) = current {
        if let Some(found) = e.downcast_ref::<T>() {
            return Some(found);
        }
        current = e.source();
    }
    None
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

/// Files beyond the requests in flight that a run keeps open: the cache's writers, archives,
/// the lock, stdio.
const OPEN_FILES_HEADROOM: u64 = 128;

/// Raises the soft limit on open files to `wanted` (never past the hard limit, never lowering
/// it): a high `global_limit` would otherwise run out of descriptors at the common soft limit of
/// 1,024. Best effort: a limit that cannot be raised leaves the run to fail on the files it
/// cannot open, with that error.
pub fn raise_open_files_limit(wanted: u64) {
    #[cfg(unix)]
    {
        use rustix::process::{Resource, getrlimit, setrlimit};
        let mut limit = getrlimit(Resource::Nofile);
        let (Some(current), hard) = (limit.current, limit.maximum) else {
            return; // unlimited
        };
        let target = hard.map_or(wanted, |h| wanted.min(h));
        if target > current {
            limit.current = Some(target);
            let _ = setrlimit(Resource::Nofile, limit);
        }
    }
    #[cfg(not(unix))]
    let _ = wanted;
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The soft limit on open files rises toward what is asked, never past the hard limit, and
    /// never falls.
    #[cfg(unix)]
    #[test]
    fn the_open_files_limit_is_raised_never_lowered() {
        use rustix::process::{Resource, getrlimit};
        let before = getrlimit(Resource::Nofile);
        match before.current {
            None => {
                raise_open_files_limit(1000);
                assert_eq!(getrlimit(Resource::Nofile).current, None);
            }
            Some(soft) => {
                raise_open_files_limit(soft / 2);
                assert_eq!(getrlimit(Resource::Nofile).current, Some(soft));
                let wanted = before.maximum.map_or(soft + 1, |h| h.min(soft + 1));
                raise_open_files_limit(wanted);
                assert_eq!(getrlimit(Resource::Nofile).current, Some(wanted.max(soft)));
            }
        }
    }

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
