//! The errors of the HTTP client and how they read: short messages for users, the cause
//! attached as the source, and [`FetchError::reason`] for a one-line reason with the cause.

use std::error::Error as StdError;
use std::time::Duration;

/// Why a fetch failed; the message is meant to be shown to users as is.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FetchError {
    /// The URL could not be parsed.
    #[error("invalid URL {url:?}")]
    InvalidUrl {
        /// The URL as given.
        url: String,
        /// The parse error.
        #[source]
        source: url::ParseError,
    },
    /// The URL has a scheme other than http or https.
    #[error("unsupported URL scheme {scheme:?} (only http and https can be fetched)")]
    UnsupportedScheme {
        /// The scheme of the URL.
        scheme: String,
    },
    /// The URL has no host to connect to.
    #[error("URL {url:?} has no host")]
    NoHost {
        /// The URL as given.
        url: String,
    },
    /// The server answered with a status outside 2xx.
    #[error("HTTP {}", status_line(*status))]
    Status {
        /// The status code.
        status: u16,
        /// The URL that answered (after redirects).
        url: String,
    },
    /// The body, after decompression, is larger than the limit.
    #[error("body larger than the {} limit", human_bytes(*limit))]
    TooLarge {
        /// The limit in bytes.
        limit: u64,
    },
    /// The request did not complete within the total timeout.
    #[error("timed out after {}", human_duration(*after))]
    Timeout {
        /// The timeout that elapsed.
        after: Duration,
    },
    /// The server redirected more times than allowed.
    #[error("more than {max} redirects")]
    TooManyRedirects {
        /// The number of redirects allowed.
        max: usize,
    },
    /// The address guard refused the host (see [`super::guard`]).
    #[error("refused: {source} (set allow_private_addresses = true in factcheck.toml to allow)")]
    Blocked {
        /// The refused host and address.
        #[source]
        source: super::guard::BlockedAddress,
    },
    /// The Wayback Machine's availability API gave an answer that cannot be used.
    #[error("Wayback Machine: {detail}")]
    Wayback {
        /// What was wrong.
        detail: String,
    },
    /// The host name could not be resolved.
    #[error("could not resolve host {host}")]
    Dns {
        /// The host name.
        host: String,
        /// The underlying error.
        #[source]
        source: reqwest::Error,
    },
    /// No connection could be made (refused, unreachable, timed out, TLS handshake failed).
    #[error("could not connect to {addr}: {detail}")]
    Connect {
        /// `host:port` of the server.
        addr: String,
        /// What went wrong, in a few words ("connection refused").
        detail: String,
        /// The underlying error.
        #[source]
        source: reqwest::Error,
    },
    /// The body stream broke before the end (cut short, reset, undecodable compression).
    #[error("{}", body_message(*received, *expected))]
    Body {
        /// Bytes of body received before the failure (after decompression).
        received: u64,
        /// The length the server announced, if it did (and the body was not compressed).
        expected: Option<u64>,
        /// The underlying error.
        #[source]
        source: reqwest::Error,
    },
    /// The request failed in another way (protocol error, bad redirect location, ...).
    #[error("request failed")]
    Request {
        /// The underlying error.
        #[source]
        source: reqwest::Error,
    },
    /// The HTTP client could not be built (TLS setup).
    #[error("could not build the HTTP client")]
    Client {
        /// The underlying error.
        #[source]
        source: reqwest::Error,
    },
    /// The async runtime for [`Fetcher::fetch_all`](super::Fetcher::fetch_all) could not be started.
    #[error("could not start the async runtime")]
    Runtime {
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
}

impl FetchError {
    /// A one-line reason for users: the message, plus the innermost cause where the message
    /// alone would be vague (body, protocol and setup failures).
    pub fn reason(&self) -> String {
        let message = self.to_string();
        let detailed = matches!(
            self,
            FetchError::InvalidUrl { .. }
                | FetchError::Dns { .. }
                | FetchError::Body { .. }
                | FetchError::Request { .. }
                | FetchError::Client { .. }
                | FetchError::Runtime { .. }
        );
        match self.source().filter(|_| detailed) {
            Some(source) => {
                let cause = innermost_cause(source);
                if cause.is_empty() || message.ends_with(&cause) {
                    message
                } else {
                    format!("{message}: {cause}")
                }
            }
            None => message,
        }
    }
}

/// "404 Not Found", or just "599" for codes without a standard reason.
fn status_line(status: u16) -> String {
    match reqwest::StatusCode::from_u16(status)
        .ok()
        .and_then(|code| code.canonical_reason())
    {
        Some(reason) => format!("{status} {reason}"),
        None => status.to_string(),
    }
}

fn body_message(received: u64, expected: Option<u64>) -> String {
    match expected {
        Some(expected) if received < expected => {
            format!("body cut short after {received} of {expected} bytes")
        }
        _ => format!("body broken off after {received} bytes"),
    }
}

/// "20 MiB", "512 KiB", "1500 bytes".
pub(super) fn human_bytes(bytes: u64) -> String {
    const KIB: u64 = 1024;
    const MIB: u64 = 1024 * KIB;
    const GIB: u64 = 1024 * MIB;
    match bytes {
        0 => "0 bytes".to_string(),
        b if b % GIB == 0 => format!("{} GiB", b / GIB),
        b if b % MIB == 0 => format!("{} MiB", b / MIB),
        b if b % KIB == 0 => format!("{} KiB", b / KIB),
        1 => "1 byte".to_string(),
        b => format!("{b} bytes"),
    }
}

/// "30s", "250ms", "1.5s", "2m", "1m30s".
pub(super) fn human_duration(duration: Duration) -> String {
    let millis = duration.as_millis();
    if millis < 1000 {
        return format!("{millis}ms");
    }
    if millis % 1000 != 0 {
        let secs = duration.as_secs_f64();
        return format!("{}s", (secs * 10.0).round() / 10.0);
    }
    let secs = duration.as_secs();
    match (secs / 60, secs % 60) {
        (0, s) => format!("{s}s"),
        (m, 0) => format!("{m}m"),
        (m, s) => format!("{m}m{s}s"),
    }
}

pub(super) fn chain_has(
    err: &(dyn StdError + 'static),
    pred: impl Fn(&(dyn StdError + 'static)) -> bool,
) -> bool {
    let mut current = Some(err);
    while let Some(e) = current {
        if pred(e) {
            return true;
        }
        current = e.source();
    }
    false
}

/// A few words for a connect failure: the kind of the innermost I/O error
/// ("connection refused"), else the innermost cause.
pub(super) fn connect_detail(err: &(dyn StdError + 'static)) -> String {
    let mut current = Some(err);
    let mut io_kind = None;
    while let Some(e) = current {
        if let Some(io) = e.downcast_ref::<std::io::Error>() {
            if !matches!(io.kind(), std::io::ErrorKind::Other) {
                io_kind = Some(io.kind());
            }
        }
        current = e.source();
    }
    match io_kind {
        Some(kind) if !format!("{kind:?}").eq_ignore_ascii_case("uncategorized") => {
            kind.to_string()
        }
        _ => innermost_cause(err),
    }
}

/// The innermost cause's message on one line, with an I/O error's OS code dropped.
fn innermost_cause(err: &(dyn StdError + 'static)) -> String {
    let mut last = err;
    while let Some(next) = last.source() {
        last = next;
    }
    let text = last.to_string();
    let text = match text.find(" (os error ") {
        Some(at) if text.ends_with(')') => &text[..at],
        _ => &text,
    };
    let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut chars = line.chars();
    match chars.next() {
        // "Connection refused" reads better lower-cased after a colon, but keep acronyms.
        Some(first) if chars.next().is_some_and(char::is_lowercase) => {
            first.to_lowercase().chain(line.chars().skip(1)).collect()
        }
        _ => line,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::http::{DEFAULT_BODY_LIMIT, DEFAULT_MAX_REDIRECTS, DEFAULT_TIMEOUT};

    #[test]
    fn status_messages_read_well() {
        let err = FetchError::Status {
            status: 404,
            url: "http://x/".into(),
        };
        assert_eq!(err.to_string(), "HTTP 404 Not Found");
        assert_eq!(err.reason(), "HTTP 404 Not Found");
        let err = FetchError::Status {
            status: 599,
            url: "http://x/".into(),
        };
        assert_eq!(err.to_string(), "HTTP 599");
    }

    #[test]
    fn limit_messages_read_well() {
        let err = FetchError::TooLarge {
            limit: DEFAULT_BODY_LIMIT,
        };
        assert_eq!(err.to_string(), "body larger than the 20 MiB limit");
        let err = FetchError::Timeout {
            after: DEFAULT_TIMEOUT,
        };
        assert_eq!(err.to_string(), "timed out after 30s");
        let err = FetchError::TooManyRedirects {
            max: DEFAULT_MAX_REDIRECTS,
        };
        assert_eq!(err.to_string(), "more than 10 redirects");
    }

    #[test]
    fn human_bytes_picks_the_largest_exact_unit() {
        assert_eq!(human_bytes(20 * 1024 * 1024), "20 MiB");
        assert_eq!(human_bytes(512 * 1024), "512 KiB");
        assert_eq!(human_bytes(1500), "1500 bytes");
        assert_eq!(human_bytes(1), "1 byte");
        assert_eq!(human_bytes(2 * 1024 * 1024 * 1024), "2 GiB");
    }

    #[test]
    fn human_duration_is_short() {
        assert_eq!(human_duration(Duration::from_secs(30)), "30s");
        assert_eq!(human_duration(Duration::from_millis(250)), "250ms");
        assert_eq!(human_duration(Duration::from_millis(1500)), "1.5s");
        assert_eq!(human_duration(Duration::from_secs(120)), "2m");
        assert_eq!(human_duration(Duration::from_secs(90)), "1m30s");
    }

    #[test]
    fn body_message_says_how_much_arrived() {
        assert_eq!(
            body_message(100, Some(1000)),
            "body cut short after 100 of 1000 bytes"
        );
        assert_eq!(body_message(100, None), "body broken off after 100 bytes");
    }

    #[test]
    fn innermost_cause_drops_os_codes() {
        let io = std::io::Error::from_raw_os_error(111);
        let text = innermost_cause(&io);
        assert!(!text.contains("os error"), "{text}");
    }
}
