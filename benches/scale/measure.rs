//! The two measurements: a `factcheck check` run as a child process (wall time, CPU time, peak
//! RSS and context switches from `wait4`), and the parse-only bound (decoding, parsing and the
//! visible text of the same page bytes, on one thread).

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use factcheck::page::decode;
use factcheck::page::html::HtmlDoc;

use crate::fixture::{Fixture, Original, original};

/// Failing claims shown when a run does not pass.
const SHOWN_FAILURES: usize = 10;

/// One `factcheck check` run.
pub struct CheckRun {
    /// Wall time, spawn to exit.
    pub wall: Duration,
    /// User plus system CPU time of the child.
    pub cpu: Duration,
    /// The child's peak resident set, in bytes.
    pub peak_rss: u64,
    /// Context switches of the child: voluntary (it waited: a lock, I/O) and involuntary (it was
    /// preempted: other work on the machine).
    pub switches: (u64, u64),
}

/// Runs `factcheck check` (the `binary` given) over the fixture's assertions, offline, from its WARC, with an empty
/// cache and a JSON report; an exit code other than 0 is an error that shows the failing claims.
pub fn check(
    binary: &Path,
    fixture: &Fixture,
    scratch: &Path,
    jobs: Option<&str>,
) -> Result<CheckRun, String> {
    let cache = scratch.join("cache");
    let report = scratch.join("report.json");
    let stderr = scratch.join("stderr.txt");
    let _ = std::fs::remove_dir_all(&cache);
    let _ = std::fs::remove_file(&report);
    std::fs::create_dir_all(&cache).map_err(|e| format!("{}: {e}", cache.display()))?;
    let mut cmd = Command::new(binary);
    cmd.arg("check")
        .arg(&fixture.assertions)
        .arg("--offline")
        .arg("--archive")
        .arg(&fixture.warc)
        .arg("--cache")
        .arg(&cache)
        .args(["--format", "json", "--output"])
        .arg(&report);
    if let Some(jobs) = jobs {
        cmd.args(["--jobs", jobs]);
    }
    // No factcheck.toml above the scratch directory: the run reads only what it is given.
    cmd.current_dir(scratch)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&stderr).map_err(|e| e.to_string())?);
    let start = Instant::now();
    let child = cmd
        .spawn()
        .map_err(|e| format!("cannot run factcheck: {e}"))?;
    let (status, usage) = wait4(child.id())?;
    let wall = start.elapsed();
    let code = libc::WIFEXITED(status).then(|| libc::WEXITSTATUS(status));
    if code != Some(0) {
        let stderr = std::fs::read_to_string(&stderr).unwrap_or_default();
        let tail: Vec<&str> = stderr.lines().rev().take(20).collect();
        let tail: Vec<&str> = tail.into_iter().rev().collect();
        return Err(format!(
            "{} check over {} pages exited with {} (wait status {status}); a bench of a \
             wrong run is worthless\n{}\nstderr (last lines):\n{}",
            binary.display(),
            fixture.pages,
            code.map_or("a signal".to_string(), |c| c.to_string()),
            failures(&report),
            tail.join("\n")
        ));
    }
    let _ = std::fs::remove_file(&report);
    let time = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    Ok(CheckRun {
        wall,
        cpu: time(usage.ru_utime) + time(usage.ru_stime),
        // ru_maxrss is in kilobytes on Linux.
        peak_rss: usage.ru_maxrss as u64 * 1024,
        switches: (usage.ru_nvcsw as u64, usage.ru_nivcsw as u64),
    })
}

/// Waits for the child `pid` and returns its wait status and resource usage: its own, not the
/// maximum over every child so far that `getrusage(RUSAGE_CHILDREN)` gives.
fn wait4(pid: u32) -> Result<(i32, libc::rusage), String> {
    let mut status = 0;
    // SAFETY: rusage is plain old data, and all zeroes is a valid value of it.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: `status` and `usage` are valid for writes; `pid` is our own unreaped child
        // (std's `Child` is dropped without being waited for, which does not wait).
        let r = unsafe { libc::wait4(pid as libc::pid_t, &mut status, 0, &mut usage) };
        if r == pid as libc::pid_t {
            return Ok((status, usage));
        }
        let err = std::io::Error::last_os_error();
        if err.kind() != std::io::ErrorKind::Interrupted {
            return Err(format!("wait4: {err}"));
        }
    }
}

/// The first failing claims of a JSON report, one per line.
fn failures(report: &Path) -> String {
    let Ok(text) = std::fs::read_to_string(report) else {
        return format!("(no report at {})", report.display());
    };
    let Ok(json) = serde_json::from_str::<serde_json::Value>(&text) else {
        return "(the report is not JSON)".to_string();
    };
    let empty = Vec::new();
    let claims = json["claims"].as_array().unwrap_or(&empty);
    let failed: Vec<&serde_json::Value> = claims
        .iter()
        .filter(|c| c["passed"] == serde_json::Value::Bool(false))
        .collect();
    let mut out = format!("summary: {}\n", json["summary"]);
    for c in failed.iter().take(SHOWN_FAILURES) {
        out.push_str(&format!(
            "  {}::{}: {} (expected {}): {}\n",
            c["file"].as_str().unwrap_or("?"),
            c["id"].as_str().unwrap_or("?"),
            c["verdict"].as_str().unwrap_or("?"),
            c["expected"].as_str().unwrap_or("?"),
            c["reason"].as_str().unwrap_or("?"),
        ));
    }
    if failed.len() > SHOWN_FAILURES {
        out.push_str(&format!("  … and {} more\n", failed.len() - SHOWN_FAILURES));
    }
    out
}

/// One-thread times over the same page bytes as a check run.
pub struct Bound {
    /// Decoding, parsing and the visible text of every page.
    pub visible: Duration,
    /// The same, in this thread's CPU time (what other work on the machine inflates less).
    pub visible_cpu: Duration,
    /// html5ever's parse alone (`scraper::Html::parse_document`) of the decoded text.
    pub html5ever: Duration,
}

/// Times, on this thread, what reading the visible text of copies `0..pages` takes, and
/// html5ever's parse alone, page by page (building each copy's bytes is not timed).
pub fn bound(originals: &[Original], pages: usize) -> Bound {
    let mut visible = Duration::ZERO;
    let mut visible_cpu = Duration::ZERO;
    let mut parse = Duration::ZERO;
    for n in 0..pages {
        let bytes = original(originals, n).copy(n);
        let (wall, cpu, decoded) = visible_text(&bytes);
        visible += wall;
        visible_cpu += cpu;
        let start = Instant::now();
        std::hint::black_box(scraper::Html::parse_document(&decoded.text));
        parse += start.elapsed();
    }
    Bound {
        visible,
        visible_cpu,
        html5ever: parse,
    }
}

/// The same parse measured on `threads` threads at once, each taking every `threads`-th copy:
/// the longest thread's timed wall time (building the copies is not timed, as in [`bound`])
/// and the threads' CPU time summed. On a machine whose cores slow each other down (shared
/// caches and memory bandwidth), this CPU sum is above the one-thread bound's.
pub fn bound_parallel(
    originals: &[Original],
    pages: usize,
    threads: usize,
) -> (Duration, Duration) {
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|t| {
                scope.spawn(move || {
                    let (mut wall, mut cpu) = (Duration::ZERO, Duration::ZERO);
                    for n in (t..pages).step_by(threads) {
                        let bytes = original(originals, n).copy(n);
                        let (w, c, _) = visible_text(&bytes);
                        wall += w;
                        cpu += c;
                    }
                    (wall, cpu)
                })
            })
            .collect();
        let times: Vec<(Duration, Duration)> = workers
            .into_iter()
            .map(|w| w.join().expect("a bound thread panicked"))
            .collect();
        (
            times.iter().map(|t| t.0).max().unwrap_or_default(),
            times.iter().map(|t| t.1).sum(),
        )
    })
}

/// The bound's work on one page's bytes (decoding, parsing, the visible text), timed: wall
/// time, this thread's CPU time, and the decoded text.
fn visible_text(bytes: &[u8]) -> (Duration, Duration, decode::Decoded) {
    let start = Instant::now();
    let cpu = thread_cpu();
    let decoded = decode::decode(bytes, Some("text/html"), true);
    std::hint::black_box(HtmlDoc::parse(&decoded.text).visible_text());
    (start.elapsed(), thread_cpu().saturating_sub(cpu), decoded)
}

/// This thread's CPU time so far.
fn thread_cpu() -> Duration {
    // SAFETY: all zeroes is a valid timespec, and `clock_gettime` writes one.
    let mut t: libc::timespec = unsafe { std::mem::zeroed() };
    // SAFETY: `t` is valid for writes; the clock exists on Linux.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut t) };
    Duration::new(t.tv_sec as u64, t.tv_nsec as u32)
}
