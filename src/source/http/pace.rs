//! Politeness per host: at most `per_host` requests in flight to one host, and successive
//! requests to it start at least `delay` apart.
//!
//! The delay is a spacing of request *starts* per host (like a crawler's crawl delay), not a
//! pause after each response: requests to one host start at `t, t + d, t + 2d, ...` while the
//! concurrency limit also holds. So `n` requests to one host take at least `(n - 1)·d` plus one
//! response time, which is the lower bound the README's benchmark measures against.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::time::Instant;

/// The per-host slots and start times; shared by all requests of a fetcher.
#[derive(Debug)]
pub struct Pacer {
    per_host: usize,
    delay: Duration,
    hosts: Mutex<HashMap<String, Host>>,
}

#[derive(Debug)]
struct Host {
    slots: Arc<Semaphore>,
    /// The earliest time the next request to this host may start.
    next: Option<Instant>,
}

impl Pacer {
    /// At most `per_host` (at least 1) requests in flight per host, starts `delay` apart.
    pub fn new(per_host: usize, delay: Duration) -> Pacer {
        Pacer {
            per_host: per_host.max(1),
            delay,
            hosts: Mutex::new(HashMap::new()),
        }
    }

    fn with_host<T>(&self, host: &str, f: impl FnOnce(&mut Host) -> T) -> T {
        let mut hosts = crate::sync::lock(&self.hosts);
        let entry = hosts
            .entry(host.to_ascii_lowercase())
            .or_insert_with(|| Host {
                slots: Arc::new(Semaphore::new(self.per_host)),
                next: None,
            });
        f(entry)
    }

    /// Waits for a slot on `host` and for its turn to start; the request may start when this
    /// returns, and holds the slot as long as it keeps the permit.
    pub async fn acquire(&self, host: &str) -> Option<OwnedSemaphorePermit> {
        let slots = self.with_host(host, |h| h.slots.clone());
        let permit = slots.acquire_owned().await.ok();
        let start = self.with_host(host, |h| {
            let now = Instant::now();
            let start = h.next.map_or(now, |next| next.max(now));
            h.next = Some(start + self.delay);
            start
        });
        if start > Instant::now() {
            tokio::time::sleep_until(start).await;
        }
        permit
    }

    /// Makes every request to `host` wait until at least `until` (after a 429 or 503 with
    /// `Retry-After`, the whole host backs off, not just the request that was told to).
    pub fn defer(&self, host: &str, until: Instant) {
        self.with_host(host, |h| {
            h.next = Some(h.next.map_or(until, |next| next.max(until)));
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn starts_are_spaced_by_the_delay_per_host() {
        let pacer = Arc::new(Pacer::new(2, Duration::from_millis(500)));
        let t0 = Instant::now();
        let mut starts = Vec::new();
        for _ in 0..3 {
            let _permit = pacer.acquire("a.example").await;
            starts.push(t0.elapsed());
        }
        // Another host is not held back.
        let _other = pacer.acquire("b.example").await;
        assert_eq!(t0.elapsed(), Duration::from_millis(1000));
        assert_eq!(
            starts,
            [
                Duration::ZERO,
                Duration::from_millis(500),
                Duration::from_millis(1000)
            ]
        );
    }

    #[tokio::test(start_paused = true)]
    async fn concurrency_per_host_is_limited_and_defer_pushes_back() {
        let pacer = Arc::new(Pacer::new(1, Duration::ZERO));
        let held = pacer.acquire("a.example").await;
        let waiting = {
            let pacer = pacer.clone();
            tokio::spawn(async move { pacer.acquire("a.example").await.is_some() })
        };
        tokio::time::sleep(Duration::from_secs(1)).await;
        assert!(!waiting.is_finished());
        drop(held);
        assert!(waiting.await.expect("join"));

        let t0 = Instant::now();
        pacer.defer("A.example", t0 + Duration::from_secs(3));
        let _p = pacer.acquire("a.example").await;
        assert_eq!(t0.elapsed(), Duration::from_secs(3));
    }
}
