//! Whether a failing source is dead: hysteresis over refreshes, as InternetArchiveBot does it.
//!
//! One failed refresh makes a source *failing*; its last good copy is still used. It is
//! declared *dead* only once it has failed on [`DEAD_AFTER_FAILURES`] refreshes, each at least
//! [`DEAD_SPACING`] after the previous counted one, with no success in between, so a site that
//! is down for a weekend, or a run of refreshes on one bad day, does not kill a source. Any
//! success clears the history.

use std::time::Duration;

use jiff::Timestamp;

use crate::source::cache::{FailureRecord, SourceState};
use crate::source::http::FetchError;

/// Failed refreshes, spaced by [`DEAD_SPACING`], before a source is dead.
pub const DEAD_AFTER_FAILURES: usize = 3;
/// The least time between two failures that both count towards [`DEAD_AFTER_FAILURES`].
pub const DEAD_SPACING: Duration = Duration::from_secs(3 * 24 * 60 * 60);

/// Records a failed refresh at `now`; returns whether the source is now dead.
pub fn record_failure(state: &mut SourceState, now: Timestamp, reason: &str) -> bool {
    let record = FailureRecord {
        at: now.to_string(),
        reason: reason.to_string(),
    };
    let counts = match state.failures.last() {
        None => true,
        Some(previous) => previous
            .at
            .parse::<Timestamp>()
            // An unreadable time is treated as long ago, so the failure counts.
            .map_or(true, |at| spacing(at, now) >= DEAD_SPACING),
    };
    if counts && state.failures.len() < DEAD_AFTER_FAILURES {
        state.failures.push(record.clone());
    }
    state.last_failure = Some(record);
    is_dead(state)
}

/// Records a successful refresh: the failure history is cleared.
pub fn record_success(state: &mut SourceState) {
    state.failures.clear();
    state.last_failure = None;
}

/// Whether the recorded failures make the source dead.
pub fn is_dead(state: &SourceState) -> bool {
    state.failures.len() >= DEAD_AFTER_FAILURES
}

fn spacing(earlier: Timestamp, later: Timestamp) -> Duration {
    Duration::try_from(later.duration_since(earlier)).unwrap_or(Duration::ZERO)
}

/// Whether a failure means the page is gone, so an archived copy should stand in when there is
/// no good copy of our own: 404, 410, a host that no longer resolves, repeated timeouts (the
/// fetcher has already retried a timeout before it reports one).
pub fn is_gone(err: &FetchError) -> bool {
    matches!(
        err,
        FetchError::Status {
            status: 404 | 410,
            ..
        } | FetchError::Dns { .. }
            | FetchError::Timeout { .. }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> Timestamp {
        s.parse().expect("timestamp")
    }

    #[test]
    fn dead_only_after_three_failures_three_days_apart() {
        let mut state = SourceState::default();
        assert!(!record_failure(
            &mut state,
            at("2026-11-01T00:00:00Z"),
            "HTTP 404"
        ));
        // Same day, and two days later: failing, but these do not count.
        assert!(!record_failure(
            &mut state,
            at("2026-11-01T06:00:00Z"),
            "HTTP 404"
        ));
        assert!(!record_failure(
            &mut state,
            at("2026-11-03T00:00:00Z"),
            "HTTP 404"
        ));
        assert_eq!(state.failures.len(), 1);
        assert!(!record_failure(
            &mut state,
            at("2026-11-04T00:00:00Z"),
            "HTTP 404"
        ));
        assert_eq!(state.failures.len(), 2);
        assert!(record_failure(
            &mut state,
            at("2026-11-07T00:00:00Z"),
            "HTTP 410"
        ));
        assert_eq!(
            state.last_failure.as_ref().map(|f| f.reason.as_str()),
            Some("HTTP 410")
        );
        // Staying dead does not grow the history.
        assert!(record_failure(
            &mut state,
            at("2026-11-20T00:00:00Z"),
            "HTTP 410"
        ));
        assert_eq!(state.failures.len(), DEAD_AFTER_FAILURES);
        record_success(&mut state);
        assert!(!is_dead(&state));
        assert!(state.last_failure.is_none());
    }

    #[test]
    fn gone_means_404_410_dns_or_timeouts() {
        let status = |status| FetchError::Status {
            status,
            url: String::new(),
        };
        assert!(is_gone(&status(404)));
        assert!(is_gone(&status(410)));
        assert!(!is_gone(&status(500)));
        assert!(is_gone(&FetchError::Timeout {
            after: Duration::from_secs(1)
        }));
        assert!(!is_gone(&FetchError::TooLarge { limit: 1 }));
    }
}
