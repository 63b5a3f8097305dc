//! `factcheck refresh --partition hash:K/N`: shards split the sources by host, so each host is
//! fetched by exactly one shard; their caches merge without conflict, by copying files or with
//! `factcheck cache merge`, and the merge verifies and checks offline.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use common::project::*;
use common::server::{Response, TestServer};
use factcheck::partition::shard_of;
use serde_json::Value;

const HOSTS: usize = 8;
const PAGES: usize = 3;

/// Servers on 127.0.0.1 … 127.0.0.8 with three pages each, and a project with a claim per page
/// plus one claim citing pages of two hosts that fall in different shards.
struct Fixture {
    servers: Vec<TestServer>,
    dir: tempfile::TempDir,
    /// The URLs of each host's pages.
    urls: Vec<Vec<String>>,
}

fn fixture() -> Fixture {
    let servers: Vec<TestServer> = (1..=HOSTS)
        .map(|h| TestServer::on(&format!("127.0.0.{h}")))
        .collect();
    let mut claims = String::new();
    let mut urls = Vec::new();
    for (h, server) in servers.iter().enumerate() {
        let mut pages = Vec::new();
        for p in 0..PAGES {
            let path = format!("/page/{p}");
            server.respond(
                &path,
                Response::html(format!(
                    "<html><body><p>Host {h} page {p} says hello.</p></body></html>"
                ))
                .header("ETag", &format!("\"h{h}p{p}\"")),
            );
            let url = server.url(&path);
            claims.push_str(&claim_toml(
                &format!("h{h}-p{p}"),
                &url,
                &format!("Host {h} page {p} says hello"),
            ));
            pages.push(url);
        }
        urls.push(pages);
    }
    // A claim whose two sources are on hosts of different shards.
    let shard = |h: usize| shard_of(&format!("127.0.0.{}", h + 1), 2);
    let one = (0..HOSTS)
        .find(|&h| shard(h) == 1)
        .expect("a host in shard 1");
    let two = (0..HOSTS)
        .find(|&h| shard(h) == 2)
        .expect("a host in shard 2");
    claims.push_str(&format!(
        "[[claim]]\nid = \"across\"\nstatement = \"s\"\nsources = [\"{}\", \"{}\"]\n\
         require = \"all\"\ncheck.contains = \"says hello\"\n\n",
        urls[two][0], urls[one][0]
    ));
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "factcheck.toml", &config(""));
    write(dir.path(), "assertions/hosts.toml", &claims);
    Fixture { servers, dir, urls }
}

/// The hosts (0-based) whose servers received a request since `seen`.
fn hosts_hit(servers: &[TestServer], seen: &mut [usize]) -> BTreeSet<usize> {
    let mut hit = BTreeSet::new();
    for (h, server) in servers.iter().enumerate() {
        let n = server.requests().len();
        if n > seen[h] {
            hit.insert(h);
        }
        seen[h] = n;
    }
    hit
}

fn shard(dir: &Path, k: u64, cache: &str) -> Value {
    let partition = format!("hash:{k}/2");
    // Exit 1: verdicts flipped from unavailable to supported.
    refresh_json(dir, &["--partition", &partition, "--cache", cache], 1)
}

fn urls_of(report: &Value, key: &str, field: &str) -> BTreeSet<String> {
    report[key]
        .as_array()
        .expect("array")
        .iter()
        .map(|v| v[field].as_str().expect("string").to_string())
        .collect()
}

/// Copies every file of `from` into `to`, refusing a file that is already there with other
/// contents (the shards' caches must not conflict).
fn copy_merge(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read cache") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        let bytes = std::fs::read(entry.path()).expect("read");
        if let Ok(existing) = std::fs::read(&target) {
            assert_eq!(existing, bytes, "conflict on {}", target.display());
        }
        std::fs::write(&target, bytes).expect("write");
    }
}

#[test]
fn each_host_is_fetched_by_one_shard_and_the_caches_merge() {
    let Fixture { servers, dir, urls } = fixture();
    let dir = dir.path();
    let mut seen = vec![0; HOSTS];
    let in_shard = |k: u64| -> BTreeSet<usize> {
        (0..HOSTS)
            .filter(|h| shard_of(&format!("127.0.0.{}", h + 1), 2) == k)
            .collect()
    };

    let first = shard(dir, 1, "cache-1");
    let hit_first = hosts_hit(&servers, &mut seen);
    let second = shard(dir, 2, "cache-2");
    let hit_second = hosts_hit(&servers, &mut seen);
    assert_eq!(hit_first, in_shard(1));
    assert_eq!(hit_second, in_shard(2));
    assert!(hit_first.is_disjoint(&hit_second));
    assert_eq!(hit_first.len() + hit_second.len(), HOSTS);
    // Every page was fetched once, by its host's shard.
    for (h, server) in servers.iter().enumerate() {
        for p in 0..PAGES {
            assert_eq!(server.hits(&format!("/page/{p}")), 1, "host {h} page {p}");
        }
    }
    // Each shard reports its hosts' sources, and the claims whose first source is on them.
    for (report, k) in [(&first, 1), (&second, 2)] {
        let expected: BTreeSet<String> = in_shard(k)
            .into_iter()
            .flat_map(|h| urls[h].clone())
            .collect();
        assert_eq!(urls_of(report, "sources", "url"), expected, "shard {k}");
        let claims = urls_of(report, "claims", "id");
        let own: BTreeSet<String> = in_shard(k)
            .into_iter()
            .flat_map(|h| (0..PAGES).map(move |p| format!("h{h}-p{p}")))
            .collect();
        assert!(claims.is_superset(&own), "shard {k}: {claims:?}");
        assert_eq!(claims.len() - own.len(), usize::from(k == 2), "shard {k}");
    }
    // The claim across shards is reported by its first source's shard (2), where the other
    // source is not cached: it is unavailable there until the caches are merged.
    let across = claim(&second, "across");
    assert_eq!(across["after"], "unavailable");

    // One file per entry: the shards' caches merge by copying files, without conflict.
    let merged = dir.join("merged");
    copy_merge(&dir.join("cache-1"), &merged);
    copy_merge(&dir.join("cache-2"), &merged);
    let out = factcheck(dir, &["cache", "verify", "--cache", "merged"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    assert!(
        text(&out.stdout).contains(&format!("{} entries verified", HOSTS * PAGES)),
        "{}",
        text(&out.stdout)
    );
    let out = factcheck(
        dir,
        &[
            "check",
            "--offline",
            "--cache",
            "merged",
            "--format",
            "json",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    let report: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(report["summary"]["claims"], HOSTS * PAGES + 1);
    assert_eq!(report["summary"]["supported"], HOSTS * PAGES + 1);
}

#[test]
fn shards_that_start_from_one_cache_merge_with_cache_merge() {
    let Fixture { servers, dir, urls } = fixture();
    let dir = dir.path();
    // A full refresh makes the committed cache; then the pages change.
    refresh_json(dir, &[], 1);
    for (h, server) in servers.iter().enumerate() {
        for p in 0..PAGES {
            server.respond(
                &format!("/page/{p}"),
                Response::html(format!(
                    "<html><body><p>Host {h} page {p} says hello again.</p></body></html>"
                ))
                .header("ETag", &format!("\"h{h}p{p}-2\"")),
            );
        }
    }
    // Each shard starts from a copy of the committed cache (as a CI job checks it out).
    for k in 1..=2 {
        copy_merge(
            &dir.join(".factcheck/cache"),
            &dir.join(format!("cache-{k}")),
        );
        let partition = format!("hash:{k}/2");
        let report = refresh_json(
            dir,
            &["--partition", &partition, "--cache", &format!("cache-{k}")],
            0,
        );
        for source in report["sources"].as_array().expect("sources") {
            assert_eq!(source["status"], "changed", "{source}");
            assert_eq!(source["conditional"], true);
        }
    }
    // Copying files would let one shard's stale copies overwrite the other's new ones;
    // `cache merge` keeps the newer record of each source.
    let out = factcheck(dir, &["cache", "merge", "cache-1", "cache-2"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let out = factcheck(dir, &["cache", "verify"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    let cache = factcheck::source::cache::Cache::new(dir.join(".factcheck/cache"));
    for url in urls.iter().flatten() {
        let body = cache.get(url).expect("get").expect("cached").body;
        assert!(
            String::from_utf8_lossy(&body).contains("says hello again"),
            "{url} was not merged"
        );
    }
    let out = factcheck(dir, &["check", "--offline", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
}
