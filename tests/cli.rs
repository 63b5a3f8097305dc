//! The `factcheck` command end to end: exit codes, reports, filters, the cache and WARC files.

mod skip;

mod common;

use std::path::{Path, PathBuf};

use common::project::{factcheck, text, write};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn shared_warc() -> Option<PathBuf> {
    let path = Path::new(ROOT).join("../shared/sources/deepseek-r1-sources.warc.gz");
    if path.is_file() {
        Some(path)
    } else {
        skip::skip(&format!("{} is not present", path.display()));
        None
    }
}

const R1_LICENSE: &str = "https://raw.githubusercontent.com/deepseek-ai/DeepSeek-R1/ed4409d2a9ff2620d88914f3ba2ca5600bceb749/LICENSE";

#[test]
fn checks_this_repositorys_assertions_offline() {
    if shared_warc().is_none() {
        return;
    }
    let cache = tempfile::tempdir().expect("tempdir");
    let cache_dir = cache.path().to_str().expect("utf-8");
    let out = factcheck(
        Path::new(ROOT),
        &["check", "--offline", "--cache", cache_dir],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    let text = text(&out.stdout);
    assert!(
        text.contains(
            "../shared/seed/deepseek-r1-article.txt:33:167: error: disputed: deepseek-r1::nvidia-doubled: "
        ),
        "{text}"
    );
    assert!(
        text.contains("assertions/deepseek-r1.toml:53:1: note: supported: deepseek-r1::v3-weights-model-license: "),
        "{text}"
    );
    assert!(text.contains("0 failed"), "{text}");
    assert!(
        !text.contains('\x1b'),
        "no colour when not a terminal: {text}"
    );
}

#[test]
fn json_report_follows_the_format() {
    if shared_warc().is_none() {
        return;
    }
    let cache = tempfile::tempdir().expect("tempdir");
    let out = factcheck(
        Path::new(ROOT),
        &[
            "check",
            "--offline",
            "--format",
            "json",
            "--cache",
            cache.path().to_str().expect("utf-8"),
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let mut report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(report["version"], 1);
    let claims = report["claims"].as_array().expect("claims");
    assert_eq!(report["summary"]["claims"], claims.len());
    assert_eq!(report["summary"]["failed"], 0);
    for claim in claims {
        for key in [
            "file",
            "line",
            "id",
            "statement",
            "verdict",
            "expected",
            "passed",
            "reason",
            "evidence",
        ] {
            assert!(claim.get(key).is_some(), "{key} missing in {claim}");
        }
    }
    // The origin names a path on this machine; the rest is stable.
    for claim in report["claims"].as_array_mut().expect("claims") {
        for e in claim["evidence"].as_array_mut().expect("evidence") {
            e.as_object_mut().expect("object").remove("origin");
        }
    }
    insta::assert_json_snapshot!("deepseek-r1-json-report", report);
}

/// `--partition hash:K/N` splits the claims into disjoint shards that together are the suite,
/// each page's claims in one shard, and each shard's report says only its claims.
#[test]
fn partitions_split_the_suite_by_page() {
    if shared_warc().is_none() {
        return;
    }
    let cache = tempfile::tempdir().expect("tempdir");
    let run = |extra: &[&str]| -> Vec<serde_json::Value> {
        let mut args = vec![
            "check",
            "--offline",
            "--format",
            "json",
            "--cache",
            cache.path().to_str().expect("utf-8"),
        ];
        args.extend_from_slice(extra);
        let out = factcheck(Path::new(ROOT), &args);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
        report["claims"].as_array().expect("claims").clone()
    };
    let name = |c: &serde_json::Value| format!("{}::{}", c["file"], c["id"]);
    let first_url = |c: &serde_json::Value| c["evidence"][0]["url"].as_str().map(str::to_owned);
    let all: Vec<String> = run(&[]).iter().map(name).collect();
    let mut seen = Vec::new();
    let mut pages = std::collections::HashMap::new();
    for k in 1..=3 {
        let shard = run(&["--partition", &format!("hash:{k}/3"), "-j", "1"]);
        for claim in &shard {
            if let Some(url) = first_url(claim) {
                let owner = pages.entry(url.clone()).or_insert(k);
                assert_eq!(*owner, k, "{url} is read in two shards");
            }
            seen.push(name(claim));
        }
    }
    assert!(pages.len() > 3, "the article cites several pages");
    seen.sort();
    let mut expected = all.clone();
    expected.sort();
    assert_eq!(
        seen, expected,
        "the shards together are the suite, once each"
    );

    let bad = factcheck(Path::new(ROOT), &["check", "--partition", "hash:4/3"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        text(&bad.stderr).contains("1 ≤ K ≤ N"),
        "{}",
        text(&bad.stderr)
    );
}

#[test]
fn invalid_files_exit_2_with_located_errors() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "assertions/bad.toml",
        "[[claim]]\nid = \"x\"\nstatement = \"s\"\nsource = \"https://a.example/\"\ncheck.contians = \"MIT\"\n",
    );
    let out = factcheck(dir.path(), &["check", "--offline"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    let err = text(&out.stderr);
    assert!(err.contains("assertions/bad.toml:5:"), "{err}");
    assert!(err.contains("contains"), "{err}");
    assert!(text(&out.stdout).is_empty());
}

#[test]
fn unmet_expectations_exit_1_and_explain() {
    let Some(warc) = shared_warc() else { return };
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "claims.toml",
        &format!(
            "[[claim]]\nid = \"gpl\"\nstatement = \"R1 is under the GPL.\"\nsource = \"{R1_LICENSE}\"\ncheck.contains = \"GNU General Public License\"\n"
        ),
    );
    let out = factcheck(
        dir.path(),
        &[
            "check",
            "--offline",
            "--archive",
            warc.to_str().expect("utf-8"),
            "claims.toml",
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let text = text(&out.stdout);
    assert!(
        text.contains("claims.toml:1:1: error: not_found: claims::gpl: "),
        "{text}"
    );
    assert!(text.contains("[FAIL: expected supported]"), "{text}");
    assert!(text.contains("does not appear"), "{text}");
}

#[test]
fn offline_and_uncached_is_unavailable() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "assertions/a.toml",
        "[[claim]]\nid = \"x\"\nstatement = \"s\"\nsource = \"https://example.invalid/page\"\nexpect = \"unavailable\"\ncheck.contains = \"anything\"\n",
    );
    let out = factcheck(dir.path(), &["check", "--offline", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(report["claims"][0]["verdict"], "unavailable");
    assert!(
        report["claims"][0]["reason"]
            .as_str()
            .expect("reason")
            .contains("offline"),
        "{report}"
    );
}

#[test]
fn filter_selects_claims_by_name_or_tag() {
    if shared_warc().is_none() {
        return;
    }
    let cache = tempfile::tempdir().expect("tempdir");
    let c = cache.path().to_str().expect("utf-8");
    let out = factcheck(
        Path::new(ROOT),
        &[
            "check",
            "--offline",
            "--cache",
            c,
            "--format",
            "json",
            "--filter",
            "license",
        ],
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let ids: Vec<&str> = report["claims"]
        .as_array()
        .expect("claims")
        .iter()
        .map(|c| c["id"].as_str().expect("id"))
        .collect();
    assert!(ids.contains(&"r1-mit-license"), "{ids:?}");
    assert!(!ids.contains(&"r1-built-on-v3"), "{ids:?}");
}

#[test]
fn cache_import_list_export_verify_round_trip() {
    let Some(warc) = shared_warc() else { return };
    let dir = tempfile::tempdir().expect("tempdir");
    let cache = dir.path().join("cache");
    let c = cache.to_str().expect("utf-8");
    let out = factcheck(
        dir.path(),
        &[
            "cache",
            "import",
            warc.to_str().expect("utf-8"),
            "--cache",
            c,
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("imported 18 pages"),
        "{}",
        text(&out.stdout)
    );

    let out = factcheck(dir.path(), &["cache", "list", "--cache", c]);
    assert!(
        text(&out.stdout).contains("18 sources"),
        "{}",
        text(&out.stdout)
    );
    assert!(
        text(&out.stdout).contains(R1_LICENSE),
        "{}",
        text(&out.stdout)
    );

    let out = factcheck(dir.path(), &["cache", "verify", "--cache", c]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));

    let exported = dir.path().join("out.warc.gz");
    let e = exported.to_str().expect("utf-8");
    let out = factcheck(dir.path(), &["cache", "export", e, "--cache", c]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));

    // The exported archive alone answers the claims, with no cache.
    write(
        dir.path(),
        "claims.toml",
        &format!(
            "[[claim]]\nid = \"mit\"\nstatement = \"R1 is MIT.\"\nsource = \"{R1_LICENSE}\"\ncheck.contains = \"MIT License\"\n"
        ),
    );
    let empty = dir.path().join("empty-cache");
    let out = factcheck(
        dir.path(),
        &[
            "check",
            "--offline",
            "--cache",
            empty.to_str().expect("utf-8"),
            "--archive",
            e,
            "claims.toml",
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );

    // A damaged body is reported, and verify exits 1.
    let body = std::fs::read_dir(&cache)
        .expect("cache dir")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|x| x == "body"))
        .expect("a body");
    std::fs::write(&body, b"tampered").expect("tamper");
    let out = factcheck(dir.path(), &["cache", "verify", "--cache", c]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stdout));
    assert!(
        text(&out.stdout).contains("metadata says"),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn fetches_caches_and_then_reads_offline() {
    use common::server::{Response, TestServer};
    let server = TestServer::start();
    server.respond(
        "/article",
        Response::html(
            "<html><body><nav>Most read: GPL news</nav><article><p>DeepSeek R1 is released \
             under the <a href='/l'>MIT License</a>.</p></article></body></html>",
        ),
    );
    server.respond("/gone", Response::status(404));
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "assertions/news.toml",
        &format!(
            "[sources]\narticle = \"{}\"\ngone = \"{}\"\n\n\
             [[claim]]\nid = \"mit\"\nstatement = \"R1 is MIT.\"\nsource = \"article\"\ncheck.contains = \"released under the MIT License\"\n\n\
             [[claim]]\nid = \"sidebar\"\nstatement = \"The article says nothing of the GPL.\"\nsource = \"article\"\ncheck.absent = \"GPL\"\n\n\
             [[claim]]\nid = \"dead\"\nstatement = \"A page that is gone.\"\nsource = \"gone\"\nexpect = \"unavailable\"\ncheck.contains = \"x\"\n",
            server.url("/article"),
            server.url("/gone")
        ),
    );
    // The address guard refuses 127.0.0.1 unless told otherwise.
    let out = factcheck(dir.path(), &["check", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let reason = report["claims"][0]["reason"].as_str().unwrap_or_default();
    assert!(reason.contains("is a loopback address"), "{report}");
    assert_eq!(server.hits("/article"), 0);

    let out = factcheck(
        dir.path(),
        &["check", "--format", "json", "--allow-private-addresses"],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(
        report["claims"][2]["reason"], "HTTP 404 Not Found",
        "{report}"
    );
    assert_eq!(report["claims"][0]["evidence"][0]["origin"], "network");
    assert_eq!(server.hits("/article"), 1, "one fetch for two claims");

    // The page is now in the cache: offline, with the server gone, the verdicts hold.
    drop(server);
    let out = factcheck(
        dir.path(),
        &[
            "check",
            "--offline",
            "--format",
            "json",
            "--filter",
            "news::mit",
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(report["claims"][0]["verdict"], "supported");
    assert_eq!(report["claims"][0]["evidence"][0]["origin"], "cache");
    let out = factcheck(dir.path(), &["cache", "verify"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
}

/// A cache with one good entry and two corrupt metadata files: `cache list` and `cache verify`
/// name both bad files (not only the first), still list the good entry, and exit 1, not 3.
#[test]
fn cache_list_and_verify_report_every_corrupt_metadata_file_with_1() {
    use factcheck::source::cache::{Cache, Meta};
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().join("cache");
    let cache = Cache::new(&root);
    let meta = Meta {
        url: "https://example.org/good".into(),
        final_url: "https://example.org/good".into(),
        status: Some(200),
        content_type: Some("text/plain".into()),
        etag: None,
        last_modified: None,
        retrieved: "2026-01-01T00:00:00Z".into(),
        sha256: String::new(),
        body: String::new(),
        main_sha256: None,
    };
    cache.put(meta, b"a good body").expect("put");
    std::fs::write(root.join("0000-bad-one.json"), b"{ not json").expect("write");
    std::fs::write(root.join("ffff-bad-two.json"), b"[1, 2").expect("write");
    let c = root.to_str().expect("utf-8");

    let out = factcheck(dir.path(), &["cache", "list", "--cache", c]);
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert_eq!(out.status.code(), Some(1), "{stdout}{stderr}");
    assert!(stdout.contains("https://example.org/good"), "{stdout}");
    assert!(stdout.contains("1 source in"), "{stdout}");
    assert!(
        stdout.contains("2 metadata files could not be read"),
        "{stdout}"
    );
    assert!(stderr.contains("0000-bad-one.json"), "{stderr}");
    assert!(stderr.contains("ffff-bad-two.json"), "{stderr}");

    let out = factcheck(dir.path(), &["cache", "verify", "--cache", c]);
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert_eq!(out.status.code(), Some(1), "{stdout}{stderr}");
    assert!(stdout.contains("0000-bad-one.json"), "{stdout}");
    assert!(stdout.contains("ffff-bad-two.json"), "{stdout}");
    assert!(stdout.contains("1 entries verified"), "{stdout}");
    assert!(stdout.contains("2 problems"), "{stdout}");
}
