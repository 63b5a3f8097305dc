//! When to try a request again and how long to wait: exponential backoff with jitter, and the
//! server's `Retry-After` (seconds or an HTTP date), capped.

use std::time::Duration;

use super::FetchError;

/// The wait before retry number `attempt + 1` (0-based `attempt`): the server's `Retry-After`
/// when it gave one (at most `cap`), else `base · 2^attempt` with "equal jitter" (a random
/// point in the upper half of that interval, so clients that failed together spread out).
pub fn backoff(
    attempt: u32,
    base: Duration,
    retry_after: Option<Duration>,
    cap: Duration,
) -> Duration {
    if let Some(wait) = retry_after {
        return wait.min(cap);
    }
    let full = base.saturating_mul(1u32 << attempt.min(16)).min(cap);
    let half = full / 2;
    half + half.mul_f64(fastrand::f64())
}

/// Whether a failure is worth another attempt: timeouts, connection failures, broken bodies,
/// 5xx and 429. Client errors, DNS failures, refused addresses and oversized bodies are final.
pub fn is_retryable(err: &FetchError) -> bool {
    match err {
        FetchError::Timeout { .. } | FetchError::Connect { .. } | FetchError::Body { .. } => true,
        FetchError::Status { status, .. } => *status == 429 || (500..600).contains(status),
        _ => false,
    }
}

/// Parses a `Retry-After` value: delta seconds, or an HTTP date (then the time until it, zero
/// if past). `None` when it is neither.
pub fn parse_retry_after(value: &str, now: jiff::Timestamp) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let date = jiff::fmt::rfc2822::parse(value).ok()?.timestamp();
    let until = date.duration_since(now);
    Some(Duration::try_from(until).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_with_jitter_and_honours_retry_after() {
        let base = Duration::from_millis(100);
        let cap = Duration::from_secs(5);
        for attempt in 0..4 {
            let full = base * (1 << attempt);
            for _ in 0..50 {
                let wait = backoff(attempt, base, None, cap);
                assert!(wait >= full / 2 && wait <= full, "{attempt}: {wait:?}");
            }
        }
        assert!(backoff(30, base, None, cap) <= cap);
        let ra = Some(Duration::from_secs(2));
        assert_eq!(backoff(0, base, ra, cap), Duration::from_secs(2));
        let huge = Some(Duration::from_secs(3600));
        assert_eq!(backoff(0, base, huge, cap), cap);
    }

    #[test]
    fn retry_after_in_seconds_or_as_a_date() {
        let now: jiff::Timestamp = "2026-11-29T00:00:00Z".parse().expect("ts");
        assert_eq!(parse_retry_after("7", now), Some(Duration::from_secs(7)));
        assert_eq!(
            parse_retry_after("Sun, 29 Nov 2026 00:00:30 GMT", now),
            Some(Duration::from_secs(30))
        );
        assert_eq!(
            parse_retry_after("Sat, 28 Nov 2026 00:00:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon", now), None);
    }

    #[test]
    fn which_failures_are_retried() {
        let status = |status| FetchError::Status {
            status,
            url: String::new(),
        };
        assert!(is_retryable(&status(503)));
        assert!(is_retryable(&status(429)));
        assert!(!is_retryable(&status(404)));
        assert!(is_retryable(&FetchError::Timeout {
            after: Duration::from_secs(1)
        }));
        assert!(!is_retryable(&FetchError::TooLarge { limit: 1 }));
    }
}
