//! Hostile assertion files and drafts, through the library and the command line: each file of
//! `tests/hostile/spec/` loads or fails as its first line says; big shapes that used to take
//! quadratic time load in bounded time; bad user numbers are located load errors (exit 2), never
//! a panic or a verdict; the language server over stdio survives what a client can send.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const CORPUS: &str = "tests/hostile/spec";
const BIN: &str = env!("CARGO_BIN_EXE_factcheck");

fn corpus() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(CORPUS)
        .expect("the corpus exists")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    files
}

#[test]
fn every_hostile_file_has_its_expected_outcome() {
    let files = corpus();
    assert!(files.len() >= 12, "{files:?}");
    for path in files {
        let text = std::fs::read_to_string(&path).expect("readable");
        let expect = text
            .lines()
            .next()
            .and_then(|l| l.strip_prefix("# expect: "))
            .unwrap_or_else(|| panic!("{} has no `# expect:` line", path.display()));
        let start = Instant::now();
        let loaded = factcheck::spec::load_file(&path);
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "{} took {:?}",
            path.display(),
            start.elapsed()
        );
        match (expect, loaded) {
            ("loads", Ok(_)) => {}
            ("loads", Err(d)) => panic!("{} should load:\n{}", path.display(), d.render(false)),
            (_, Ok(_)) => panic!("{} should not load ({expect})", path.display()),
            (wanted, Err(d)) => {
                let wanted = wanted.trim_start_matches("error").trim();
                let rendered = d.render(false);
                assert!(
                    d.0.iter().all(|x| x.span.is_some()),
                    "{}: every error is located:\n{rendered}",
                    path.display()
                );
                assert!(
                    d.0.iter().any(|x| x.message.contains(wanted)),
                    "{}: no error says `{wanted}`:\n{rendered}",
                    path.display()
                );
                // Values are echoed cut: no line of the output is a 50 KB key.
                assert!(
                    rendered.lines().all(|l| l.chars().count() < 400),
                    "{}: a line over 400 characters:\n{}",
                    path.display(),
                    &rendered[..rendered.len().min(2000)]
                );
            }
        }
    }
}

/// Loads generated text; returns the time taken and the number of errors.
fn load_timed(text: &str) -> (Duration, usize) {
    let start = Instant::now();
    let errors = match factcheck::spec::load_str(Path::new("big.toml"), text) {
        Ok(_) => 0,
        Err(d) => {
            let rendered = d.render(false);
            assert!(!rendered.is_empty());
            d.errors()
        }
    };
    (start.elapsed(), errors)
}

/// Shapes that took 16 s to 100 s before (each error rendered the whole file, or scanned to its
/// line): 20,000 unknown keys, 20,000 claims citing undefined sources, 20,000 unknown keys on
/// one line. Each must load and render in a few seconds even in a debug build.
#[test]
fn big_files_load_in_near_linear_time() {
    let n = 20_000;
    let mut keys = String::from("[[claim]]\nid = \"a\"\nstatement = \"x\"\n");
    for i in 0..n {
        keys.push_str(&format!("k{i} = 1\n"));
    }
    let mut claims = String::new();
    for i in 0..n {
        claims.push_str(&format!(
            "[[claim]]\nid = \"c{i}\"\nstatement = \"x\"\nsource = \"nosuch{i}\"\ncheck.contains = \"x\"\n"
        ));
    }
    let inline = format!(
        "[[claim]]\nid = \"a\"\nstatement = \"x\"\nsource = \"https://e.com/\"\ncheck = {{ contains = \"x\", {} }}\n",
        (0..n)
            .map(|i| format!("k{i} = 1"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    for (name, text) in [("keys", keys), ("claims", claims), ("inline", inline)] {
        let (took, errors) = load_timed(&text);
        assert_eq!(errors, n, "{name}");
        assert!(took < Duration::from_secs(20), "{name}: {took:?}");
    }
}

/// A draft of 150,000 one-digit numbers on one line (30 s before): its figures are found and
/// placed in bounded time.
#[test]
fn a_one_line_draft_of_many_numbers_is_placed_fast() {
    let text: String = (0..150_000).map(|i| format!("{} ", i % 9 + 1)).collect();
    let draft = factcheck::document::Draft::new("d.md", text);
    let start = Instant::now();
    let covered = factcheck::document::cover(&draft, &[]);
    assert_eq!(covered.len(), 150_000);
    let last = covered.last().expect("figures");
    assert_eq!(last.figure.start.line, 1);
    assert_eq!(last.figure.start.column, 2 * 149_999 + 1);
    assert!(
        start.elapsed() < Duration::from_secs(30),
        "{:?}",
        start.elapsed()
    );
}

/// Runs the binary in `dir`; (exit code, stdout, stderr).
fn factcheck(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn bad_tolerances_exit_2_located_from_check_and_figures() {
    let dir = tempfile::tempdir().expect("temp dir");
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join(CORPUS);
    std::fs::create_dir(dir.path().join("assertions")).expect("mkdir");
    for name in [
        "date-tolerance-past-calendar.toml",
        "date-tolerance-overflows.toml",
    ] {
        std::fs::copy(corpus.join(name), dir.path().join("assertions").join(name)).expect("copy");
    }
    std::fs::write(dir.path().join("draft.md"), "Published 2025-01-15, up 5%.").expect("draft");
    for args in [
        &["check", "--offline"][..],
        &[
            "check",
            "--offline",
            "assertions/date-tolerance-overflows.toml",
        ],
        &["figures", "draft.md"],
    ] {
        let (code, _, err) = factcheck(dir.path(), args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(err.contains("is too large"), "{args:?}: {err}");
        assert!(err.contains("--> assertions/"), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
    }
}

#[test]
fn nothing_selected_is_said() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("empty.toml"), "# nothing yet\n").expect("write");
    let (code, _, err) = factcheck(dir.path(), &["check", "--offline", "empty.toml"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("no claims selected"), "{err}");
    std::fs::write(
        dir.path().join("one.toml"),
        "[[claim]]\nid = \"a\"\nstatement = \"x\"\n",
    )
    .expect("write");
    let (code, _, err) = factcheck(
        dir.path(),
        &["check", "--offline", "--filter", "zzz", "one.toml"],
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("no claims selected") && err.contains("zzz"),
        "{err}"
    );
}

/// One framed message.
fn frame(json: &str) -> Vec<u8> {
    let mut out = format!("Content-Length: {}\r\n\r\n", json.len()).into_bytes();
    out.extend_from_slice(json.as_bytes());
    out
}

/// Runs `factcheck lsp` on `input`; (exit code, stdout, stderr).
fn lsp(dir: &Path, input: &[u8]) -> (i32, String, String) {
    let mut child = Command::new(BIN)
        .arg("lsp")
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawns");
    let mut stdin = child.stdin.take().expect("stdin");
    stdin.write_all(input).expect("write");
    drop(stdin);
    let out = child.wait_with_output().expect("ends");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn the_stdio_server_survives_hostile_clients() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = factcheck::lsp::uri_of(dir.path()).expect("uri");
    let init = format!(
        r#"{{"jsonrpc":"2.0","id":1,"method":"initialize","params":{{"processId":null,"rootUri":"{}","capabilities":{{}}}}}}"#,
        root.as_str()
    );
    let mut input = frame(&init);
    input.extend(frame(
        r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#,
    ));
    input.extend(frame("{not json"));
    input.extend(frame(
        r#"{"jsonrpc":"2.0","id":2,"method":"textDocument/hover","params":{"textDocument":{"uri":"file:///x"},"position":{"line":-1,"character":0}}}"#,
    ));
    input.extend(frame(r#"{"jsonrpc":"2.0","id":3,"method":"shutdown"}"#));
    input.extend(frame(r#"{"jsonrpc":"2.0","id":4,"method":"shutdown"}"#));
    input.extend(frame(r#"{"jsonrpc":"2.0","method":"exit"}"#));
    let (code, out, err) = lsp(dir.path(), &input);
    assert_eq!(code, 0, "{out}\n{err}");
    assert!(
        out.contains("-32700") && out.contains("-32602") && out.contains("-32600"),
        "{out}"
    );
    assert!(!err.contains("panicked"), "{err}");

    // A header claiming an exabyte: refused, then the input ends without `exit`.
    let mut input = frame(&init);
    input.extend(b"Content-Length: 1000000000000000000\r\n\r\n{}");
    let (code, out, err) = lsp(dir.path(), &input);
    assert_eq!(code, 1, "{out}\n{err}");
    assert!(out.contains("over the limit"), "{out}");
    assert!(
        !err.contains("panicked") && !err.contains("memory"),
        "{err}"
    );

    // `exit` without `shutdown` is 1.
    let mut input = frame(&init);
    input.extend(frame(r#"{"jsonrpc":"2.0","method":"exit"}"#));
    assert_eq!(lsp(dir.path(), &input).0, 1);
}
