//! Hostile files end to end: the corpus under `tests/hostile/files/` (each with its expected
//! outcome in `cases.txt`), and bombs, special files and tampered archives made here. Whatever
//! the input, factcheck answers with a reason and an exit code of the contract, in bounded time,
//! and never prints a panic.

mod common;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use common::project::{factcheck, text, write};

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/hostile/files");

/// Runs factcheck in `dir`, checks it did not crash or print a panic, and returns exit code,
/// stdout and stderr.
fn run(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let started = Instant::now();
    let out = factcheck(dir, args);
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    let code = out
        .status
        .code()
        .unwrap_or_else(|| panic!("killed by a signal: {args:?}\n{stderr}"));
    assert!(
        !stderr.contains("panicked") && !stderr.contains("stack backtrace"),
        "a panic was printed for {args:?}:\n{stderr}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(60),
        "{args:?} took {:?}",
        started.elapsed()
    );
    (code, stdout, stderr)
}

#[test]
fn the_corpus_gives_the_expected_outcomes() {
    let cases = std::fs::read_to_string(Path::new(CORPUS).join("cases.txt")).expect("cases.txt");
    let mut ran = 0;
    for line in cases
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
    {
        let parts: Vec<&str> = line.split('|').map(str::trim).collect();
        let [file, command, code, expected] = parts[..] else {
            panic!("bad case line: {line}");
        };
        let dir = tempfile::tempdir().expect("tempdir");
        let path = Path::new(CORPUS).join(file);
        let cache = dir.path().join("cache");
        let args: Vec<String> = command
            .split_whitespace()
            .map(|a| match a {
                "FILE" => path.display().to_string(),
                "CACHE" => cache.display().to_string(),
                other => other.to_string(),
            })
            .collect();
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let (got, stdout, stderr) = run(dir.path(), &args);
        assert_eq!(
            got.to_string(),
            code,
            "{file}: {command}\nstdout:\n{stdout}\nstderr:\n{stderr}"
        );
        assert!(
            stderr.contains(expected),
            "{file}: expected {expected:?} in stderr:\n{stderr}"
        );
        ran += 1;
    }
    assert!(ran >= 5, "only {ran} cases");
}

/// A tampered archive is refused whole: nothing reaches the cache.
#[test]
fn a_tampered_import_leaves_the_cache_empty() {
    let dir = tempfile::tempdir().expect("tempdir");
    let cache = dir.path().join("cache");
    let warc = Path::new(CORPUS).join("tampered-digest.warc");
    let args = ["cache", "import", warc.to_str().expect("utf-8"), "--cache"];
    let mut args = args.to_vec();
    args.push(cache.to_str().expect("utf-8"));
    let (code, _, _) = run(dir.path(), &args);
    assert_eq!(code, 2);
    let files = std::fs::read_dir(&cache).map(|d| d.count()).unwrap_or(0);
    assert_eq!(files, 0, "the cache was written");
}

fn gzip_bomb(expanded: usize) -> Vec<u8> {
    use std::io::Write;
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    let chunk = vec![b' '; 1 << 20];
    for _ in 0..expanded.div_ceil(chunk.len()) {
        enc.write_all(&chunk).expect("gzip");
    }
    enc.finish().expect("gzip")
}

fn limit() -> usize {
    factcheck::limits::Limits::default().decompressed_bytes as usize
}

/// Regression: a 4 KB archive whose response is a gzip bomb aborted `check` at 4 GB.
#[test]
fn a_gzip_bomb_in_an_archive_makes_the_claim_unavailable() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut http =
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\n\r\n".to_vec();
    http.extend(gzip_bomb(limit() + (4 << 20)));
    let mut warc = format!(
        "WARC/1.1\r\nWARC-Type: response\r\nWARC-Target-URI: https://bomb.example/\r\n\
         Content-Type: application/http; msgtype=response\r\nContent-Length: {}\r\n\r\n",
        http.len()
    )
    .into_bytes();
    warc.extend(&http);
    warc.extend(b"\r\n\r\n");
    std::fs::write(dir.path().join("bomb.warc"), &warc).expect("write");
    write(
        dir.path(),
        "assertions/a.toml",
        "[[claim]]\nid = \"x\"\nstatement = \"s\"\nsource = \"https://bomb.example/\"\n\
         expect = \"unavailable\"\ncheck.contains = \"anything\"\n",
    );
    let (code, stdout, stderr) = run(
        dir.path(),
        &[
            "check",
            "--offline",
            "--archive",
            "bomb.warc",
            "--cache",
            "cache",
            "--format",
            "json",
        ],
    );
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    assert!(stdout.contains("decompressed_bytes"), "{stdout}");
    // The import refuses it too, and writes nothing.
    let (code, _, stderr) = run(
        dir.path(),
        &["cache", "import", "bomb.warc", "--cache", "c2"],
    );
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("decompressed_bytes"), "{stderr}");
}

/// Regression: `extract --batch` on a 2 MB `.html.gz` bomb aborted.
#[test]
fn a_gzip_bomb_in_a_batch_is_refused_at_the_limit() {
    let dir = tempfile::tempdir().expect("tempdir");
    let batch = dir.path().join("batch");
    std::fs::create_dir(&batch).expect("mkdir");
    std::fs::write(batch.join("bomb.html.gz"), gzip_bomb(limit() + (1 << 20))).expect("write");
    let (code, _, stderr) = run(dir.path(), &["extract", "--batch", "batch"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("`decompressed_bytes`"), "{stderr}");
}

/// Regression: a draft `path = "/dev/zero"` took 4 GB; FIFOs hung.
#[cfg(unix)]
#[test]
fn drafts_that_are_devices_or_fifos_are_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let fifo = dir.path().join("draft.md");
    rustix::fs::mkfifoat(
        rustix::fs::CWD,
        &fifo,
        rustix::fs::Mode::from_raw_mode(0o600),
    )
    .expect("mkfifo");
    for draft in ["/dev/zero", "/dev/urandom", "draft.md"] {
        let (code, _, stderr) = run(dir.path(), &["figures", draft]);
        assert_eq!(code, 2, "{draft}: {stderr}");
        assert!(stderr.contains("not a regular file"), "{draft}: {stderr}");
    }
}

/// Regression: `cache export FILE` and `--output FILE` replaced a symlink, FIFO or device.
#[cfg(unix)]
#[test]
fn outputs_replace_only_regular_files() {
    let dir = tempfile::tempdir().expect("tempdir");
    let target = dir.path().join("precious");
    std::fs::write(&target, b"keep me").expect("write");
    let link = dir.path().join("out.warc");
    std::os::unix::fs::symlink(&target, &link).expect("symlink");
    let (code, _, stderr) = run(dir.path(), &["cache", "export", "out.warc", "--cache", "c"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("symbolic link"), "{stderr}");
    assert!(
        std::fs::symlink_metadata(&link)
            .expect("still there")
            .file_type()
            .is_symlink()
    );
    assert_eq!(std::fs::read(&target).expect("read"), b"keep me");

    let fifo: PathBuf = dir.path().join("report.json");
    rustix::fs::mkfifoat(
        rustix::fs::CWD,
        &fifo,
        rustix::fs::Mode::from_raw_mode(0o600),
    )
    .expect("mkfifo");
    write(
        dir.path(),
        "assertions/a.toml",
        "[[claim]]\nid = \"x\"\nstatement = \"s\"\n",
    );
    let (code, _, stderr) = run(
        dir.path(),
        &[
            "check",
            "--offline",
            "--cache",
            "c",
            "--output",
            "report.json",
        ],
    );
    assert_ne!(code, 0, "{stderr}");
    assert!(stderr.contains("FIFO"), "{stderr}");
    assert!(
        std::fs::symlink_metadata(&fifo)
            .expect("still there")
            .file_type()
            .is_fifo()
    );
}

#[cfg(unix)]
use std::os::unix::fs::FileTypeExt;

/// Regression: "archive X does not exist" for a directory or a device.
#[test]
fn an_archive_that_is_a_directory_is_named_as_one() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(dir.path().join("arch.warc")).expect("mkdir");
    write(
        dir.path(),
        "assertions/a.toml",
        "[[claim]]\nid = \"x\"\nstatement = \"s\"\n",
    );
    let (code, _, stderr) = run(
        dir.path(),
        &[
            "check",
            "--offline",
            "--cache",
            "c",
            "--archive",
            "arch.warc",
        ],
    );
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("a directory"), "{stderr}");
}
