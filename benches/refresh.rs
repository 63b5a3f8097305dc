//! Benchmark: `factcheck refresh` of 1,000 URLs over 50 hosts (127.0.0.1 … 127.0.0.50), each
//! answer delayed 50 ms, with the default politeness (2 requests in flight and 500 ms between
//! request starts per host, 32 overall), against the lower bound those settings allow; and
//! lychee on the same URLs against the same servers, when it is installed.
//!
//! ```sh
//! cargo bench --bench refresh                    # 3 runs of each (BENCH_RUNS to change)
//! LYCHEE=/path/to/lychee cargo bench --bench refresh
//! ```
//!
//! The lower bound: requests to one host start at least `delay` apart, so a host with `n` URLs
//! needs at least `(n - 1)·delay + latency`; hosts run in parallel, so the bound is the largest
//! of these (the global limit of 32 does not bind: each host has one request in flight for 50
//! of every 500 ms). With 20 URLs per host: 19 × 500 ms + 50 ms = 9.55 s.

#[path = "../tests/common/server.rs"]
mod server;

use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use factcheck::source::http::{DEFAULT_GLOBAL_LIMIT, DEFAULT_PER_HOST, DEFAULT_PER_HOST_DELAY};
use server::{Response, TestServer};

const HOSTS: usize = 50;
const URLS: usize = 1000;
const LATENCY: Duration = Duration::from_millis(50);

fn main() {
    let runs: usize = std::env::var("BENCH_RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(3);
    let servers: Vec<TestServer> = (1..=HOSTS)
        .map(|h| TestServer::on(&format!("127.0.0.{h}")))
        .collect();
    let mut urls = Vec::with_capacity(URLS);
    for i in 0..URLS {
        let server = &servers[i % HOSTS];
        let path = format!("/page/{i}");
        server.respond(
            &path,
            Response::html(format!(
                "<html><body><p>Page {i} says hello.</p></body></html>"
            ))
            .delay(LATENCY),
        );
        urls.push(server.url(&path));
    }
    let per_host = URLS.div_ceil(HOSTS);
    let bound = DEFAULT_PER_HOST_DELAY * (per_host as u32 - 1) + LATENCY;
    println!(
        "{URLS} URLs over {HOSTS} hosts, {} ms latency; politeness: {DEFAULT_PER_HOST} per host, \
         {} ms between starts per host, {DEFAULT_GLOBAL_LIMIT} overall",
        LATENCY.as_millis(),
        DEFAULT_PER_HOST_DELAY.as_millis()
    );
    println!(
        "lower bound: ({per_host} - 1) x {} ms + {} ms = {:.2} s",
        DEFAULT_PER_HOST_DELAY.as_millis(),
        LATENCY.as_millis(),
        bound.as_secs_f64()
    );

    let work = tempfile::tempdir().expect("tempdir");
    let claims: String = urls
        .iter()
        .enumerate()
        .map(|(i, url)| {
            format!(
                "[[claim]]\nid = \"c{i}\"\nstatement = \"s\"\nsource = \"{url}\"\ncheck.contains = \"says hello\"\n\n"
            )
        })
        .collect();
    std::fs::create_dir_all(work.path().join("assertions")).expect("mkdir");
    std::fs::write(work.path().join("assertions/bench.toml"), claims).expect("write");
    std::fs::write(
        work.path().join("factcheck.toml"),
        "allow_private_addresses = true\nwayback_url = \"\"\n",
    )
    .expect("write");
    std::fs::write(work.path().join("urls.txt"), urls.join("\n")).expect("write");

    let mut ours = Vec::new();
    for run in 0..runs {
        let cache = work.path().join(format!("cache-{run}"));
        let started = Instant::now();
        let out = Command::new(env!("CARGO_BIN_EXE_factcheck"))
            .args(["refresh", "--format", "json", "--cache"])
            .arg(&cache)
            .current_dir(work.path())
            .output()
            .expect("run factcheck");
        let elapsed = started.elapsed();
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
        let new = report["sources"]
            .as_array()
            .map_or(0, |s| s.iter().filter(|s| s["status"] == "new").count());
        assert_eq!(
            new,
            URLS,
            "every URL fetched: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        println!(
            "factcheck refresh run {}: {:.2} s (ratio {:.3})",
            run + 1,
            elapsed.as_secs_f64(),
            elapsed.as_secs_f64() / bound.as_secs_f64()
        );
        ours.push(elapsed);
    }
    let median = median_of(&mut ours);
    println!(
        "factcheck refresh median: {:.2} s, ratio to the lower bound {:.3}",
        median.as_secs_f64(),
        median.as_secs_f64() / bound.as_secs_f64()
    );

    let Some(lychee) = lychee() else {
        println!("lychee not found (set LYCHEE=/path/to/lychee): skipped");
        return;
    };
    let delay = format!("{}ms", DEFAULT_PER_HOST_DELAY.as_millis());
    let same_politeness = [
        "--host-concurrency",
        &DEFAULT_PER_HOST.to_string(),
        "--host-request-interval",
        &delay,
        "--max-concurrency",
        &DEFAULT_GLOBAL_LIMIT.to_string(),
    ]
    .map(str::to_string);
    for (label, extra) in [
        ("lychee, its defaults", Vec::new()),
        ("lychee, factcheck's politeness", same_politeness.to_vec()),
    ] {
        let mut theirs = Vec::new();
        for run in 0..runs {
            let started = Instant::now();
            let out = Command::new(&lychee)
                .args(["--no-progress", "--format", "compact", "--max-retries", "0"])
                .args(&extra)
                .arg(work.path().join("urls.txt"))
                .output()
                .expect("run lychee");
            let elapsed = started.elapsed();
            assert!(
                out.status.success(),
                "lychee failed: {}",
                String::from_utf8_lossy(&out.stdout)
            );
            println!("{label} run {}: {:.2} s", run + 1, elapsed.as_secs_f64());
            theirs.push(elapsed);
        }
        let median = median_of(&mut theirs);
        println!(
            "{label} median: {:.2} s, ratio to factcheck's bound {:.3}",
            median.as_secs_f64(),
            median.as_secs_f64() / bound.as_secs_f64()
        );
    }
}

fn median_of(times: &mut [Duration]) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn lychee() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("LYCHEE") {
        return Some(PathBuf::from(path));
    }
    Command::new("lychee")
        .arg("--version")
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|_| PathBuf::from("lychee"))
}
