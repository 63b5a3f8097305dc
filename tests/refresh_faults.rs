//! `factcheck refresh` against a server that misbehaves on purpose: 304, 429 with
//! Retry-After, 500 then success, a timeout, a redirect loop, a body over the limit, a gzip
//! bomb, wrong and missing charsets, invalid UTF-8, a truncated response.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use common::project::*;
use common::server::{Response, TestServer, gzip_bomb_bytes};
use factcheck::source::cache::Cache;
use serde_json::Value;

/// Every misbehaviour of a server, on one refresh: each source gets the right status and
/// reason, failed fetches keep the good copy, and the cache stays consistent.
#[test]
fn misbehaving_servers_never_replace_the_good_copy() {
    let server = TestServer::start();
    let bad = Arc::new(AtomicU32::new(0));
    let good = |word: &str| format!("<article><p>The good copy says {word}.</p></article>");
    let page =
        |path: &str, word: &'static str, misbehave: Box<dyn Fn(u32) -> Response + Send + Sync>| {
            let bad = bad.clone();
            let body = good(word);
            server.route(path, move |_| {
                let n = bad.load(Ordering::SeqCst);
                if n == 0 {
                    Response::html(body.clone()).header("ETag", "\"good\"")
                } else {
                    misbehave(n)
                }
            });
        };
    // 429 with Retry-After, then the same page.
    let tries = Arc::new(AtomicU32::new(0));
    let t = tries.clone();
    let same = good("alpha");
    page(
        "/429",
        "alpha",
        Box::new(move |_| {
            if t.fetch_add(1, Ordering::SeqCst) == 0 {
                Response::retry_after(429, 1)
            } else {
                Response::html(same.clone())
            }
        }),
    );
    // 500, then a changed page that still supports the claim.
    let tries500 = Arc::new(AtomicU32::new(0));
    let t = tries500.clone();
    page(
        "/500",
        "bravo",
        Box::new(move |_| {
            if t.fetch_add(1, Ordering::SeqCst) == 0 {
                Response::status(500)
            } else {
                Response::html("<article><p>Now it says bravo, differently.</p></article>")
            }
        }),
    );
    page("/timeout", "charlie", Box::new(|_| Response::hang()));
    page(
        "/loop",
        "delta",
        Box::new(|_| Response::redirect(302, "/loop")),
    );
    page("/large", "echo", Box::new(|_| Response::large(1024 * 1024)));
    page(
        "/bomb",
        "foxtrot",
        Box::new(|_| {
            Response::status(200)
                .header("Content-Type", "text/html")
                .header("Content-Encoding", "gzip")
                .body(gzip_bomb_bytes(64))
        }),
    );
    page(
        "/truncated",
        "golf",
        Box::new(|_| Response::truncated(5000, "<article><p>The good copy")),
    );
    page("/304", "mike", Box::new(|_| Response::not_modified()));
    page("/gone", "hotel", Box::new(|_| Response::status(404)));
    // Charsets: wrong (latin-1 bytes declared UTF-8), missing, and invalid UTF-8.
    page(
        "/wrong-charset",
        "india",
        Box::new(|_| {
            Response::status(200)
                .header("Content-Type", "text/html; charset=utf-8")
                .body(b"<article><p>The good copy says india, caf\xe9.</p></article>".to_vec())
        }),
    );
    page(
        "/no-charset",
        "juliett, café",
        Box::new(|_| {
            Response::status(200)
                .header("Content-Type", "text/html")
                .body(b"<article><p>The good copy says juliett, caf\xe9.</p></article>".to_vec())
        }),
    );
    page(
        "/invalid-utf8",
        "kilo",
        Box::new(|_| Response::text(b"The good copy says kilo. \xff\xfe\xc3(".to_vec())),
    );
    page(
        "/same",
        "lima",
        Box::new(|_| Response::html("<article><p>The good copy says lima.</p></article>")),
    );

    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "factcheck.toml", &config(""));
    let cases = [
        ("/429", "alpha"),
        ("/500", "bravo"),
        ("/timeout", "charlie"),
        ("/loop", "delta"),
        ("/large", "echo"),
        ("/bomb", "foxtrot"),
        ("/truncated", "golf"),
        ("/gone", "hotel"),
        ("/wrong-charset", "india"),
        ("/no-charset", "juliett"),
        ("/invalid-utf8", "kilo"),
        ("/same", "lima"),
        ("/304", "mike"),
    ];
    let mut toml: String = cases
        .iter()
        .map(|(path, word)| claim_toml(word, &server.url(path), word))
        .collect();
    // Without a charset, the Latin-1 bytes are detected as such: "café" is still found.
    toml.push_str(&claim_toml(
        "juliett-cafe",
        &server.url("/no-charset"),
        "says juliett, café",
    ));
    write(dir.path(), "assertions/faults.toml", &toml);
    // Prime the cache with the good copies.
    let report = refresh_json(dir.path(), &[], 1);
    assert!(
        report["claims"]
            .as_array()
            .expect("claims")
            .iter()
            .all(|c| c["after"] == "supported"),
        "{report:#}"
    );
    let cache = Cache::new(dir.path().join(".factcheck/cache"));
    let bodies_before: Vec<Vec<u8>> = cases
        .iter()
        .map(|(path, _)| {
            cache
                .get(&server.url(path))
                .expect("get")
                .expect("hit")
                .body
        })
        .collect();

    bad.store(1, Ordering::SeqCst);
    let started = Instant::now();
    let report = refresh_json(dir.path(), &[], 0);
    let status = |path: &str| source(&report, &server.url(path)).clone();
    let reason = |path: &str| {
        status(path)["reason"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    };

    assert_eq!(status("/429")["status"], "unchanged");
    assert_eq!(status("/429")["http_status"], 200);
    assert_eq!(tries.load(Ordering::SeqCst), 2, "retried once after 429");
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "Retry-After honoured"
    );
    assert_eq!(status("/500")["status"], "changed");
    assert_eq!(tries500.load(Ordering::SeqCst), 2, "retried once after 500");

    assert_eq!(status("/timeout")["status"], "failing");
    assert_eq!(reason("/timeout"), "timed out after 1s");
    assert_eq!(status("/loop")["status"], "failing");
    assert_eq!(reason("/loop"), "more than 10 redirects");
    assert_eq!(reason("/large"), "body larger than the 64 KiB limit");
    assert_eq!(reason("/bomb"), "body larger than the 64 KiB limit");
    assert!(
        reason("/truncated").starts_with("body cut short after"),
        "{}",
        reason("/truncated")
    );
    assert_eq!(status("/gone")["status"], "failing");
    assert_eq!(status("/gone")["http_status"], 404);
    assert_eq!(reason("/gone"), "HTTP 404 Not Found");
    // A good copy exists, so no archive is asked for.
    assert_eq!(status("/gone")["archived_from"], Value::Null);

    for path in ["/wrong-charset", "/no-charset", "/invalid-utf8"] {
        assert_eq!(status(path)["status"], "changed", "{path}");
    }
    assert_eq!(status("/same")["status"], "unchanged");
    assert_eq!(status("/304")["status"], "unchanged", "{}", status("/304"));
    assert_eq!(status("/304")["http_status"], 304);
    assert_eq!(status("/304")["conditional"], true);

    // No verdict flipped: failing sources still read their last good copy.
    for word in cases.iter().map(|(_, w)| *w).chain(["juliett-cafe"]) {
        let c = claim(&report, word);
        assert_eq!(c["after"], "supported", "{word}: {c}");
        assert_eq!(c["flipped"], false, "{word}");
    }
    for (i, (path, _)) in cases.iter().enumerate() {
        let failing = status(path)["status"] == "failing";
        let body = cache
            .get(&server.url(path))
            .expect("get")
            .expect("hit")
            .body;
        if failing {
            assert_eq!(body, bodies_before[i], "{path}: the good copy is kept");
            let state = cache
                .state(&server.url(path))
                .expect("state")
                .expect("history");
            assert_eq!(state.failures.len(), 1, "{path}");
        }
    }
    assert_cache_verifies(dir.path());
}
