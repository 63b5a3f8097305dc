//! The Wayback Machine's availability API: the capture of a URL closest to a time, used when a
//! source is gone and its assertion file names no `archived` copy.
//!
//! `GET {base}/wayback/available?url=URL&timestamp=YYYYMMDDhhmmss` answers
//! `{"archived_snapshots": {"closest": {"available": true, "url": "...", "timestamp": "...",
//! "status": "200"}}}`, or `{"archived_snapshots": {}}` when there is none. The base URL is
//! configurable (`wayback_url` in `factcheck.toml`), so tests point it at 127.0.0.1.

use serde::Deserialize;
use url::Url;

use super::{FetchError, Fetcher};

pub use super::DEFAULT_WAYBACK_URL;

/// A capture the availability API found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Capture {
    /// The capture's URL, rewritten to serve the original bytes (`id_`), without the
    /// Wayback Machine's toolbar.
    pub url: String,
    /// The capture's time, `YYYYMMDDhhmmss`.
    pub timestamp: String,
}

#[derive(Deserialize)]
struct Availability {
    #[serde(default)]
    archived_snapshots: Snapshots,
}

#[derive(Default, Deserialize)]
struct Snapshots {
    closest: Option<Closest>,
}

#[derive(Deserialize)]
struct Closest {
    #[serde(default)]
    available: bool,
    url: String,
    #[serde(default)]
    timestamp: String,
    #[serde(default)]
    status: Option<String>,
}

/// The availability query for `url`, near `timestamp` (`YYYYMMDD...`) when given.
pub fn availability_url(base: &str, url: &str, timestamp: Option<&str>) -> Result<Url, FetchError> {
    let endpoint = format!("{}/wayback/available", base.trim_end_matches('/'));
    let mut query = Url::parse(&endpoint).map_err(|source| FetchError::InvalidUrl {
        url: endpoint.clone(),
        source,
    })?;
    query.query_pairs_mut().append_pair("url", url);
    if let Some(ts) = timestamp.filter(|t| !t.is_empty()) {
        query.query_pairs_mut().append_pair("timestamp", ts);
    }
    Ok(query)
}

/// The closest available capture with a 2xx status (or none) from an availability answer.
pub fn parse_availability(body: &[u8]) -> Result<Option<Capture>, FetchError> {
    let answer: Availability = serde_json::from_slice(body).map_err(|e| FetchError::Wayback {
        detail: format!("unexpected availability answer: {e}"),
    })?;
    Ok(answer
        .archived_snapshots
        .closest
        .filter(|c| c.available)
        .filter(|c| c.status.as_deref().is_none_or(|s| s.starts_with('2')))
        .map(|c| Capture {
            url: raw_capture_url(&c.url),
            timestamp: c.timestamp,
        }))
}

/// `…/web/20250101000000/https://x` → `…/web/20250101000000id_/https://x`: the original bytes.
pub fn raw_capture_url(url: &str) -> String {
    let Some(at) = url.find("/web/") else {
        return url.to_string();
    };
    let rest = &url[at + 5..];
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || !rest[digits..].starts_with('/') {
        return url.to_string();
    }
    let split = at + 5 + digits;
    format!("{}id_{}", &url[..split], &url[split..])
}

/// "2026-11-29T01:02:03Z" → "20261129010203" (digits only, as the API wants).
pub fn wayback_timestamp(rfc3339: &str) -> String {
    rfc3339
        .chars()
        .filter(char::is_ascii_digit)
        .take(14)
        .collect()
}

impl Fetcher {
    /// Asks the availability API at `base` for the capture of `url` closest to `timestamp`.
    pub async fn wayback_closest(
        &self,
        base: &str,
        url: &str,
        timestamp: Option<&str>,
    ) -> Result<Option<Capture>, FetchError> {
        let query = availability_url(base, url, timestamp)?;
        let answer = self.fetch(query.as_str()).await?;
        parse_availability(&answer.body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn availability_query_and_answer() {
        let q = availability_url(
            "http://127.0.0.1:9/",
            "https://a.example/x?y=1",
            Some("20261129"),
        )
        .expect("url");
        assert_eq!(
            q.as_str(),
            "http://127.0.0.1:9/wayback/available?url=https%3A%2F%2Fa.example%2Fx%3Fy%3D1&timestamp=20261129"
        );
        let body = br#"{"url":"a.example/x","archived_snapshots":{"closest":{"status":"200","available":true,"url":"http://web.archive.org/web/20250101000000/https://a.example/x","timestamp":"20250101000000"}}}"#;
        let capture = parse_availability(body).expect("parse").expect("capture");
        assert_eq!(
            capture.url,
            "http://web.archive.org/web/20250101000000id_/https://a.example/x"
        );
        assert_eq!(capture.timestamp, "20250101000000");
        assert_eq!(
            parse_availability(br#"{"archived_snapshots":{}}"#).expect("parse"),
            None
        );
        assert!(parse_availability(b"<html>").is_err());
    }

    #[test]
    fn capture_urls_and_timestamps() {
        assert_eq!(
            raw_capture_url("http://h/web/2025/x"),
            "http://h/web/2025id_/x"
        );
        assert_eq!(raw_capture_url("http://h/other"), "http://h/other");
        assert_eq!(
            raw_capture_url("http://h/web/latest/x"),
            "http://h/web/latest/x"
        );
        assert_eq!(wayback_timestamp("2026-11-29T01:02:03Z"), "20261129010203");
    }
}
