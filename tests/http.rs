//! Integration tests of the HTTP client against the local test server.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use common::server::{Response, TestServer, refused_addr};
use factcheck::source::http::{FetchError, Fetcher, HttpOptions, USER_AGENT};

/// A fetcher for the local test servers: private addresses allowed, and without the pacing
/// and retries these tests do not exercise (tests/refresh.rs does).
fn fetcher(opts: HttpOptions) -> Fetcher {
    Fetcher::new(HttpOptions {
        allow_private: true,
        per_host_delay: Duration::ZERO,
        retries: 0,
        ..opts
    })
    .expect("build fetcher")
}

fn default_fetcher() -> Fetcher {
    fetcher(HttpOptions::default())
}

#[tokio::test]
async fn ok_response_with_body_and_validators() {
    let server = TestServer::start();
    server.respond(
        "/page",
        Response::html("<p>training cost $5.6 million</p>")
            .header("ETag", "\"v1\"")
            .header("Last-Modified", "Wed, 21 Oct 2015 07:28:00 GMT"),
    );
    let url = server.url("/page?x=1");
    let fetched = default_fetcher().fetch(&url).await.expect("fetch");
    assert_eq!(fetched.status, 200);
    assert_eq!(fetched.url, url);
    assert_eq!(fetched.final_url, url);
    assert_eq!(fetched.body, b"<p>training cost $5.6 million</p>");
    assert_eq!(
        fetched.content_type.as_deref(),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(fetched.etag.as_deref(), Some("\"v1\""));
    assert_eq!(
        fetched.last_modified.as_deref(),
        Some("Wed, 21 Oct 2015 07:28:00 GMT")
    );
    assert_eq!(server.hits("/page"), 1);
}

#[tokio::test]
async fn not_found_is_a_status_error() {
    let server = TestServer::start();
    let err = default_fetcher()
        .fetch(&server.url("/missing"))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, FetchError::Status { status: 404, url } if url.ends_with("/missing")),
        "{err:?}"
    );
    assert_eq!(err.to_string(), "HTTP 404 Not Found");
    assert_eq!(err.reason(), "HTTP 404 Not Found");

    server.respond("/down", Response::status(503).body("try later"));
    let err = default_fetcher()
        .fetch(&server.url("/down"))
        .await
        .unwrap_err();
    assert_eq!(err.to_string(), "HTTP 503 Service Unavailable");
}

#[tokio::test]
async fn redirect_chain_is_followed_and_final_url_recorded() {
    let server = TestServer::start();
    server.respond("/a", Response::redirect(301, "/b"));
    server.respond("/b", Response::redirect(302, &server.url("/c")));
    server.respond("/c", Response::redirect(307, "d?page=2"));
    server.respond("/d", Response::text("arrived"));
    let fetched = default_fetcher()
        .fetch(&server.url("/a"))
        .await
        .expect("fetch");
    assert_eq!(fetched.url, server.url("/a"));
    assert_eq!(fetched.final_url, server.url("/d?page=2"));
    assert_eq!(fetched.body, b"arrived");
    for path in ["/a", "/b", "/c", "/d"] {
        assert_eq!(server.hits(path), 1, "{path}");
    }
}

#[tokio::test]
async fn redirect_loop_is_too_many_redirects() {
    let server = TestServer::start();
    server.respond("/loop", Response::redirect(302, "/loop"));
    let opts = HttpOptions {
        max_redirects: 3,
        ..HttpOptions::default()
    };
    let err = fetcher(opts).fetch(&server.url("/loop")).await.unwrap_err();
    assert!(
        matches!(err, FetchError::TooManyRedirects { max: 3 }),
        "{err:?}"
    );
    assert_eq!(err.to_string(), "more than 3 redirects");
    // The first request and three redirects were followed; the fourth was refused.
    assert_eq!(server.hits("/loop"), 4);
}

fn small_limit() -> HttpOptions {
    HttpOptions {
        body_limit: 1024,
        ..HttpOptions::default()
    }
}

#[tokio::test]
async fn body_over_limit_with_content_length_is_too_large() {
    let server = TestServer::start();
    server.respond("/big", Response::large(1025));
    server.respond("/exact", Response::large(1024));
    let fetcher = fetcher(small_limit());
    let err = fetcher.fetch(&server.url("/big")).await.unwrap_err();
    assert!(
        matches!(err, FetchError::TooLarge { limit: 1024 }),
        "{err:?}"
    );
    assert_eq!(err.to_string(), "body larger than the 1 KiB limit");
    let fetched = fetcher
        .fetch(&server.url("/exact"))
        .await
        .expect("at the limit");
    assert_eq!(fetched.body.len(), 1024);
}

#[tokio::test]
async fn body_over_limit_without_content_length_is_too_large() {
    let server = TestServer::start();
    server.respond(
        "/stream",
        Response::large(64 * 1024 * 1024).without_content_length(),
    );
    server.respond("/exact", Response::large(1024).without_content_length());
    let fetcher = fetcher(small_limit());
    let started = Instant::now();
    let err = fetcher.fetch(&server.url("/stream")).await.unwrap_err();
    assert!(
        matches!(err, FetchError::TooLarge { limit: 1024 }),
        "{err:?}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "stopped reading early"
    );
    let fetched = fetcher
        .fetch(&server.url("/exact"))
        .await
        .expect("at the limit");
    assert_eq!(fetched.body.len(), 1024);
}

#[tokio::test]
async fn gzip_and_brotli_bodies_are_decoded() {
    let page = "<p>shares fell 12% on Tuesday</p>".repeat(50);
    let server = TestServer::start();
    server.respond("/gz", Response::gzip(page.as_bytes()));
    server.respond("/br", Response::brotli(page.as_bytes()));
    let fetcher = default_fetcher();
    for path in ["/gz", "/br"] {
        let fetched = fetcher.fetch(&server.url(path)).await.expect(path);
        assert_eq!(fetched.body, page.as_bytes(), "{path}");
    }
    let accept_encoding = server
        .last_request("/gz")
        .and_then(|r| r.header("accept-encoding").map(str::to_string))
        .unwrap_or_default();
    assert!(accept_encoding.contains("gzip"), "{accept_encoding}");
    assert!(accept_encoding.contains("br"), "{accept_encoding}");
}

#[tokio::test]
async fn gzip_bomb_stops_at_the_decoded_limit() {
    let server = TestServer::start();
    // About 256 KiB on the wire, 256 MiB decoded.
    server.respond("/bomb", Response::gzip_bomb(256));
    server.respond("/small-bomb", Response::gzip_bomb(2));
    let opts = HttpOptions {
        body_limit: 1024 * 1024,
        ..HttpOptions::default()
    };
    let started = Instant::now();
    let err = fetcher(opts).fetch(&server.url("/bomb")).await.unwrap_err();
    assert!(
        matches!(err, FetchError::TooLarge { limit } if limit == 1024 * 1024),
        "{err:?}"
    );
    assert_eq!(err.to_string(), "body larger than the 1 MiB limit");
    assert!(started.elapsed() < Duration::from_secs(2));

    // The same construction, small enough, is a valid gzip body.
    let opts = HttpOptions {
        body_limit: 2 * 1024 * 1024,
        ..HttpOptions::default()
    };
    let fetched = fetcher(opts)
        .fetch(&server.url("/small-bomb"))
        .await
        .expect("a 2 MiB bomb fits a 2 MiB limit");
    assert_eq!(fetched.body.len(), 2 * 1024 * 1024);
    assert!(fetched.body.iter().all(|&b| b == 0));
}

#[tokio::test]
async fn a_server_that_never_answers_times_out() {
    let server = TestServer::start();
    server.respond("/hang", Response::hang());
    let opts = HttpOptions {
        timeout: Duration::from_millis(300),
        ..HttpOptions::default()
    };
    let started = Instant::now();
    let err = fetcher(opts).fetch(&server.url("/hang")).await.unwrap_err();
    let elapsed = started.elapsed();
    assert!(matches!(err, FetchError::Timeout { .. }), "{err:?}");
    assert_eq!(err.to_string(), "timed out after 300ms");
    assert!(elapsed >= Duration::from_millis(300), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(2), "{elapsed:?}");
}

#[tokio::test]
async fn a_body_cut_short_is_an_error() {
    let server = TestServer::start();
    server.respond("/cut", Response::truncated(1000, vec![b'x'; 100]));
    let err = default_fetcher()
        .fetch(&server.url("/cut"))
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            FetchError::Body {
                received: 100,
                expected: Some(1000),
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(err.to_string(), "body cut short after 100 of 1000 bytes");
    let reason = err.reason();
    assert!(
        reason.starts_with("body cut short after 100 of 1000 bytes: "),
        "{reason}"
    );
    assert!(std::error::Error::source(&err).is_some());
}

#[tokio::test]
async fn user_agent_and_accept_are_sent() {
    let server = TestServer::start();
    server.respond("/ua", Response::text("ok"));
    default_fetcher()
        .fetch(&server.url("/ua"))
        .await
        .expect("fetch");
    let request = server.last_request("/ua").expect("request recorded");
    assert_eq!(request.method, "GET");
    assert_eq!(request.header("user-agent"), Some(USER_AGENT));
    assert!(USER_AGENT.starts_with("factcheck/"));
    let accept = request.header("accept").unwrap_or_default();
    assert!(accept.starts_with("text/html"), "{accept}");
    assert!(accept.contains("application/pdf"), "{accept}");
}

#[test]
fn per_host_limit_is_honoured() {
    let server = TestServer::start();
    server.respond(
        "/slow",
        Response::text("ok").delay(Duration::from_millis(150)),
    );
    let opts = HttpOptions {
        per_host: 2,
        ..HttpOptions::default()
    };
    let urls: Vec<String> = (0..6)
        .map(|i| server.url(&format!("/slow?i={i}")))
        .collect();
    let started = Instant::now();
    let results = fetcher(opts).fetch_all(&urls);
    assert!(results.iter().all(Result::is_ok), "{results:?}");
    assert_eq!(server.hits("/slow"), 6);
    assert_eq!(server.max_in_flight(), 2);
    // Three waves of two.
    assert!(started.elapsed() >= Duration::from_millis(450));
}

/// A route that sleeps and records, in a gauge shared across servers, the most requests in
/// flight at once.
fn gauged(server: &TestServer, gauge: &Arc<(AtomicUsize, AtomicUsize)>) {
    let gauge = gauge.clone();
    server.route("/gauged", move |_| {
        let now = gauge.0.fetch_add(1, Ordering::SeqCst) + 1;
        gauge.1.fetch_max(now, Ordering::SeqCst);
        std::thread::sleep(Duration::from_millis(150));
        gauge.0.fetch_sub(1, Ordering::SeqCst);
        Response::text("ok")
    });
}

fn urls_for(servers: &[&TestServer], each: usize) -> Vec<String> {
    servers
        .iter()
        .flat_map(|s| (0..each).map(|i| s.url(&format!("/gauged?i={i}"))))
        .collect()
}

#[test]
fn ports_of_one_host_share_its_limit() {
    let gauge = Arc::new((AtomicUsize::new(0), AtomicUsize::new(0)));
    let (a, b) = (TestServer::start(), TestServer::start());
    gauged(&a, &gauge);
    gauged(&b, &gauge);
    let opts = HttpOptions {
        per_host: 2,
        ..HttpOptions::default()
    };
    let results = fetcher(opts).fetch_all(&urls_for(&[&a, &b], 3));
    assert!(results.iter().all(Result::is_ok), "{results:?}");
    assert_eq!(gauge.1.load(Ordering::SeqCst), 2);
}

#[test]
fn different_hosts_run_in_parallel_within_the_global_limit() {
    let hosts = ["127.0.0.1", "127.0.0.2", "127.0.0.3"].map(TestServer::on);
    let servers: Vec<&TestServer> = hosts.iter().collect();

    let gauge = Arc::new((AtomicUsize::new(0), AtomicUsize::new(0)));
    hosts.iter().for_each(|s| gauged(s, &gauge));
    let opts = HttpOptions {
        per_host: 1,
        ..HttpOptions::default()
    };
    let results = fetcher(opts).fetch_all(&urls_for(&servers, 2));
    assert!(results.iter().all(Result::is_ok), "{results:?}");
    assert_eq!(
        gauge.1.load(Ordering::SeqCst),
        3,
        "one per host, all hosts at once"
    );

    let gauge = Arc::new((AtomicUsize::new(0), AtomicUsize::new(0)));
    hosts.iter().for_each(|s| gauged(s, &gauge));
    let opts = HttpOptions {
        per_host: 2,
        global_limit: 2,
        ..HttpOptions::default()
    };
    let results = fetcher(opts).fetch_all(&urls_for(&servers, 2));
    assert!(results.iter().all(Result::is_ok), "{results:?}");
    assert_eq!(gauge.1.load(Ordering::SeqCst), 2, "global limit");
}

#[test]
fn fetch_all_keeps_input_order() {
    let server = TestServer::start();
    server.respond(
        "/slow",
        Response::text("slow").delay(Duration::from_millis(150)),
    );
    server.respond("/fast", Response::text("fast"));
    let urls = vec![
        server.url("/slow"),
        server.url("/missing"),
        server.url("/fast"),
    ];
    let results = default_fetcher().fetch_all(&urls);
    assert_eq!(results.len(), 3);
    assert_eq!(results[0].as_ref().expect("slow").body, b"slow");
    assert!(matches!(
        results[1],
        Err(FetchError::Status { status: 404, .. })
    ));
    assert_eq!(results[2].as_ref().expect("fast").body, b"fast");
}

#[tokio::test]
async fn fetch_all_works_inside_a_runtime() {
    let server = TestServer::start();
    server.respond("/ok", Response::text("ok"));
    let results = default_fetcher().fetch_all(&[server.url("/ok")]);
    assert_eq!(results[0].as_ref().expect("ok").body, b"ok");
}

#[tokio::test]
async fn connection_refused_is_a_connect_error() {
    let addr = refused_addr();
    let err = default_fetcher()
        .fetch(&format!("http://{addr}/page"))
        .await
        .unwrap_err();
    assert!(matches!(err, FetchError::Connect { .. }), "{err:?}");
    assert_eq!(
        err.to_string(),
        format!("could not connect to {addr}: connection refused")
    );
    assert_eq!(err.reason(), err.to_string());
}

#[tokio::test]
async fn raw_responses_are_sent_as_is() {
    let server = TestServer::start();
    server.respond(
        "/raw",
        Response::raw(
            "HTTP/1.1 200 OK\r\nContent-Type: text/csv\r\nConnection: close\r\n\r\na,b\n1,2\n",
        ),
    );
    let fetched = default_fetcher()
        .fetch(&server.url("/raw"))
        .await
        .expect("fetch");
    assert_eq!(fetched.content_type.as_deref(), Some("text/csv"));
    assert_eq!(fetched.body, b"a,b\n1,2\n");
}
