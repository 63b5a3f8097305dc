//! Benchmark: `factcheck refresh` from an empty cache, every answer delayed 50 ms, at several
//! politeness settings, each against the lower bound its settings allow; and lychee on the same
//! URLs against the same servers (the first setting), when it is installed.
//!
//! ```sh
//! cargo bench --bench refresh                    # 3 runs of each setting (BENCH_RUNS to change)
//! BENCH_SETTINGS=a,c cargo bench --bench refresh # only some settings
//! LYCHEE=/path/to/lychee cargo bench --bench refresh
//! BENCH_KEEP=1 cargo bench --bench refresh       # keep the projects and caches, print where
//! BENCH_BIN=/old/factcheck,/new/factcheck cargo bench --bench refresh # compare builds
//! ```
//!
//! `BENCH_BIN` names the factcheck binaries to run (default: the one built with the bench); with
//! several, their runs alternate on the same servers, so they share the machine's load, and each
//! gets its own median.
//!
//! | setting | URLs | hosts | per host | delay | global |
//! |---|---|---|---|---|---|
//! | a | 1,000 | 50 | 2 | 500 ms | 32 |
//! | b | 1,000 | 50 | 2 | 0 | 32 |
//! | c | 1,000 | 50 | 2 | 0 | 1,000 |
//! | d | 10,000 | 500 | 2 | 500 ms | 32 |
//! | e | 10,000 | 500 | 2 | 0 | 1,000 |
//!
//! Hosts are 127.0.0.1, 127.0.0.2, ... (then 127.0.1.1, ...: all of 127/8 is loopback).
//!
//! The lower bound of a setting is `max(per-host bound, URLs × latency / global limit)`. Per
//! host: request starts to one host are at least `delay` apart and at most `per host` are in
//! flight, so the last of a host's `n` URLs cannot start before `max((n - 1)·delay,
//! ⌊(n - 1) / per host⌋·latency)`, and ends a latency later; hosts run in parallel. Overall: at
//! most `global` requests are in flight, each for a latency. With 20 URLs per host: 19 × 500 ms
//! + 50 ms = 9.55 s with the default delay, 9 × 50 ms + 50 ms = 0.5 s without.
//!
//! The time measured is the whole command: loading the claims, checking them before, fetching,
//! writing the cache durably, and checking them after.
//!
//! The servers run in this process, on one thread: an event loop (tokio's, single-threaded)
//! answering HTTP/1.1 with keep-alive, each answer written whole, in one system call, 50 ms after
//! its request arrived. They cost a fraction of the thread-per-connection test server's CPU
//! (`tests/common/server.rs`, which records every request), and the client and the servers
//! share the machine's cores.

use std::collections::HashMap;
use std::io;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use factcheck::source::http::{DEFAULT_GLOBAL_LIMIT, DEFAULT_PER_HOST, DEFAULT_PER_HOST_DELAY};

const LATENCY: Duration = Duration::from_millis(50);

/// One politeness setting over a number of URLs and hosts.
struct Setting {
    name: &'static str,
    urls: usize,
    hosts: usize,
    per_host: usize,
    delay: Duration,
    global: usize,
}

impl Setting {
    /// `max(per-host bound, URLs × latency / global limit)`.
    fn bound(&self) -> Duration {
        let n = self.urls.div_ceil(self.hosts) as u32;
        let last_start = (self.delay * (n - 1)).max(LATENCY * ((n - 1) / self.per_host as u32));
        let per_host = last_start + LATENCY;
        let global = LATENCY.mul_f64(self.urls as f64 / self.global as f64);
        per_host.max(global)
    }

    fn describe(&self) -> String {
        format!(
            "{} URLs over {} hosts, {} per host, {} ms apart, {} overall",
            self.urls,
            self.hosts,
            self.per_host,
            self.delay.as_millis(),
            self.global
        )
    }
}

fn settings() -> Vec<Setting> {
    let default = |name, urls, hosts| Setting {
        name,
        urls,
        hosts,
        per_host: DEFAULT_PER_HOST,
        delay: DEFAULT_PER_HOST_DELAY,
        global: DEFAULT_GLOBAL_LIMIT,
    };
    vec![
        default("a", 1000, 50),
        Setting {
            delay: Duration::ZERO,
            ..default("b", 1000, 50)
        },
        Setting {
            delay: Duration::ZERO,
            global: 1000,
            ..default("c", 1000, 50)
        },
        default("d", 10_000, 500),
        Setting {
            delay: Duration::ZERO,
            global: 1000,
            ..default("e", 10_000, 500)
        },
    ]
}

/// The loopback address of host `h` (0-based): 127.0.0.1 … 127.0.0.250, 127.0.1.1, ...
fn host_ip(h: usize) -> String {
    format!("127.0.{}.{}", h / 250, h % 250 + 1)
}

fn main() {
    let runs: usize = std::env::var("BENCH_RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(3);
    let only: Option<Vec<String>> = std::env::var("BENCH_SETTINGS")
        .ok()
        .map(|s| s.split(',').map(|s| s.trim().to_string()).collect());
    let settings: Vec<Setting> = settings()
        .into_iter()
        .filter(|s| only.as_ref().is_none_or(|o| o.iter().any(|n| n == s.name)))
        .collect();
    let hosts = settings.iter().map(|s| s.hosts).max().unwrap_or(0);
    let servers = Servers::start(hosts);
    let bins: Vec<PathBuf> = match std::env::var("BENCH_BIN") {
        Ok(bins) if !bins.is_empty() => bins.split(',').map(PathBuf::from).collect(),
        _ => vec![PathBuf::from(env!("CARGO_BIN_EXE_factcheck"))],
    };
    // Not the system's temp directory, which other programs churn (creating files where many
    // were just deleted is slow on some file systems); BENCH_DIR to choose.
    let work = match std::env::var_os("BENCH_DIR") {
        Some(dir) => tempfile::tempdir_in(dir),
        None => tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")),
    }
    .expect("tempdir");

    let mut table = Vec::new();
    for setting in &settings {
        let dir = work.path().join(setting.name);
        let urls = serve(&servers, setting);
        project(&dir, setting, &urls);
        let bound = setting.bound();
        println!(
            "setting {}: {}, {} ms latency; lower bound {:.3} s",
            setting.name,
            setting.describe(),
            LATENCY.as_millis(),
            bound.as_secs_f64()
        );
        let mut times = vec![Vec::new(); bins.len()];
        for run in 0..runs {
            for (b, bin) in bins.iter().enumerate() {
                let (children, servers) = (cpu(libc::RUSAGE_CHILDREN), cpu(libc::RUSAGE_SELF));
                let elapsed = refresh(bin, &dir, run * bins.len() + b, setting.urls);
                println!(
                    "  run {}{}: {:.3} s (ratio {:.3}); CPU: refresh {:.3} s, servers {:.3} s",
                    run + 1,
                    label(&bins, b),
                    elapsed.as_secs_f64(),
                    elapsed.as_secs_f64() / bound.as_secs_f64(),
                    (cpu(libc::RUSAGE_CHILDREN) - children).as_secs_f64(),
                    (cpu(libc::RUSAGE_SELF) - servers).as_secs_f64(),
                );
                times[b].push(elapsed);
            }
        }
        for (b, times) in times.iter_mut().enumerate() {
            table.push((setting, label(&bins, b), median_of(times), bound));
        }
        if setting.name == "a" {
            lychee_runs(&dir, runs, bound);
        }
    }
    if std::env::var_os("BENCH_KEEP").is_some_and(|v| !v.is_empty() && v != "0") {
        println!("kept: {}", work.keep().display());
    }
    println!("\n| setting | median | bound | ratio |\n|---|---|---|---|");
    for (setting, bin, median, bound) in table {
        println!(
            "| {}{bin}: {} | {:.2} s | {:.2} s | {:.3} |",
            setting.name,
            setting.describe(),
            median.as_secs_f64(),
            bound.as_secs_f64(),
            median.as_secs_f64() / bound.as_secs_f64()
        );
    }
}

/// User plus system CPU time of this process (the servers) or of its waited-for children (the
/// refresh runs), from `getrusage`.
fn cpu(who: libc::c_int) -> Duration {
    // SAFETY: rusage is plain old data, and all zeroes is a valid value of it.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `usage` is valid for writes; `who` is RUSAGE_SELF or RUSAGE_CHILDREN.
    let r = unsafe { libc::getrusage(who, &mut usage) };
    assert_eq!(r, 0, "getrusage: {}", std::io::Error::last_os_error());
    let time = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    time(usage.ru_utime) + time(usage.ru_stime)
}

/// ` (binary b)` when several binaries are compared, else nothing.
fn label(bins: &[PathBuf], b: usize) -> String {
    if bins.len() > 1 {
        format!(" ({})", bins[b].display())
    } else {
        String::new()
    }
}

/// Serves the setting's pages (URL `i` on host `i mod hosts`) and returns their URLs.
fn serve(servers: &Servers, setting: &Setting) -> Vec<String> {
    (0..setting.urls)
        .map(|i| {
            let path = format!("/page/{i}");
            servers.respond(
                &path,
                &format!("<html><body><p>Page {i} says hello.</p></body></html>"),
            );
            format!("http://{}{path}", servers.addrs[i % setting.hosts])
        })
        .collect()
}

/// The bench's HTTP/1.1 servers, one listener per host address, all on one event-loop thread
/// (see the module documentation). Every host serves every page.
struct Servers {
    addrs: Vec<std::net::SocketAddr>,
    /// Each path's whole answer, head and body.
    pages: Pages,
}

type Pages = Arc<RwLock<HashMap<String, Arc<[u8]>>>>;

/// Largest request head read.
const MAX_HEAD: usize = 16 * 1024;

impl Servers {
    /// Listens on the first `hosts` host addresses; serves until the process ends.
    fn start(hosts: usize) -> Servers {
        let listeners: Vec<std::net::TcpListener> = (0..hosts)
            .map(|h| {
                let listener = std::net::TcpListener::bind((host_ip(h).as_str(), 0)).expect("bind");
                listener.set_nonblocking(true).expect("nonblocking");
                listener
            })
            .collect();
        let addrs = listeners
            .iter()
            .map(|l| l.local_addr().expect("addr"))
            .collect();
        let pages = Pages::default();
        let served = pages.clone();
        let answers = Answers::start();
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime");
            runtime.block_on(async move {
                for listener in listeners {
                    let listener = tokio::net::TcpListener::from_std(listener).expect("listener");
                    let pages = served.clone();
                    let answers = answers.clone();
                    tokio::spawn(async move {
                        while let Ok((stream, _)) = listener.accept().await {
                            tokio::spawn(connection(stream, pages.clone(), answers.clone()));
                        }
                    });
                }
                std::future::pending::<()>().await;
            });
        });
        Servers { addrs, pages }
    }

    /// Serves `html` at `path`.
    fn respond(&self, path: &str, html: &str) {
        let answer = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\n\r\n{html}",
            html.len()
        );
        self.pages
            .write()
            .expect("pages")
            .insert(path.to_string(), answer.into_bytes().into());
    }
}

/// One kept-alive connection: each request is handed to the [`Answers`] thread, which answers
/// [`LATENCY`] after it arrived, until the client closes the connection (or sends something
/// that is not a request head). A client waits for an answer before its next request.
async fn connection(stream: tokio::net::TcpStream, pages: Pages, answers: Arc<Answers>) {
    let _ = stream.set_nodelay(true);
    // The answers go out through a second handle on the socket, from the answering thread.
    let Some((stream, writer)) = stream
        .into_std()
        .and_then(|std| Ok((std.try_clone()?, std)))
        .and_then(|(std, writer)| Ok((tokio::net::TcpStream::from_std(std)?, Arc::new(writer))))
        .ok()
    else {
        return;
    };
    let not_found: Arc<[u8]> =
        Arc::from(&b"HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\n\r\nnot found"[..]);
    let mut buf = Vec::with_capacity(1024);
    let mut chunk = [0u8; 4096];
    loop {
        let end = loop {
            if let Some(at) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                break at + 4;
            }
            if buf.len() > MAX_HEAD || stream.readable().await.is_err() {
                return;
            }
            match stream.try_read(&mut chunk) {
                Ok(0) => return,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
                Err(_) => return,
            }
        };
        let arrived = Instant::now();
        // "GET /page/1 HTTP/1.1": the target is the second word.
        let path = std::str::from_utf8(&buf[..end])
            .ok()
            .and_then(|head| head.split(' ').nth(1))
            .map(|target| target.split('?').next().unwrap_or(target));
        let answer = path
            .and_then(|p| pages.read().expect("pages").get(p).cloned())
            .unwrap_or_else(|| not_found.clone());
        buf.drain(..end);
        answers.push(arrived + LATENCY, writer.clone(), answer);
    }
}

/// The answers due, in the order they are due (every answer waits the same [`LATENCY`], so the
/// order of arrival), written by one thread that sleeps until each is due: the event loop's
/// timer counts in whole milliseconds and was late by 1 to 2 ms an answer on average, which at
/// setting b (31 requests one after another per connection) added 2 % to 4 % to every run.
#[derive(Default)]
struct Answers {
    due: std::sync::Mutex<std::collections::VecDeque<Answer>>,
    pushed: std::sync::Condvar,
}

type Answer = (Instant, Arc<std::net::TcpStream>, Arc<[u8]>);

impl Answers {
    /// Starts the answering thread.
    fn start() -> Arc<Answers> {
        let answers = Arc::new(Answers::default());
        let thread = answers.clone();
        std::thread::spawn(move || thread.run());
        answers
    }

    fn push(&self, at: Instant, stream: Arc<std::net::TcpStream>, answer: Arc<[u8]>) {
        let mut due = self.due.lock().expect("answers");
        due.push_back((at, stream, answer));
        if due.len() == 1 {
            self.pushed.notify_one();
        }
    }

    fn run(&self) {
        let mut ready = Vec::new();
        loop {
            {
                let mut due = self.due.lock().expect("answers");
                loop {
                    let now = Instant::now();
                    match due.front() {
                        None => due = self.pushed.wait(due).expect("answers"),
                        Some((at, _, _)) if *at > now => {
                            let wait = *at - now;
                            due = self.pushed.wait_timeout(due, wait).expect("answers").0;
                        }
                        Some(_) => break,
                    }
                }
                let now = Instant::now();
                while due.front().is_some_and(|(at, _, _)| *at <= now) {
                    ready.extend(due.pop_front());
                }
            }
            for (_, stream, answer) in ready.drain(..) {
                write_all(&stream, &answer);
            }
        }
    }
}

/// Writes a whole answer to a non-blocking socket (its buffer has room: the client reads each
/// answer before asking again); a client gone is ignored.
fn write_all(stream: &std::net::TcpStream, mut bytes: &[u8]) {
    use std::io::Write as _;
    let mut stream = stream;
    for _ in 0..10_000 {
        match stream.write(bytes) {
            Ok(n) if n == bytes.len() => return,
            Ok(0) => return,
            Ok(n) => bytes = &bytes[n..],
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                std::thread::sleep(Duration::from_micros(100));
            }
            Err(_) => return,
        }
    }
}

/// A project with one claim per URL and the setting's politeness in factcheck.toml.
fn project(dir: &Path, setting: &Setting, urls: &[String]) {
    let claims: String = urls
        .iter()
        .enumerate()
        .map(|(i, url)| {
            format!(
                "[[claim]]\nid = \"c{i}\"\nstatement = \"s\"\nsource = \"{url}\"\ncheck.contains = \"says hello\"\n\n"
            )
        })
        .collect();
    std::fs::create_dir_all(dir.join("assertions")).expect("mkdir");
    std::fs::write(dir.join("assertions/bench.toml"), claims).expect("write");
    std::fs::write(
        dir.join("factcheck.toml"),
        format!(
            "allow_private_addresses = true\nwayback_url = \"\"\n\
             [http]\nper_host = {}\nper_host_delay_ms = {}\nglobal_limit = {}\n",
            setting.per_host,
            setting.delay.as_millis(),
            setting.global
        ),
    )
    .expect("write");
    std::fs::write(dir.join("urls.txt"), urls.join("\n")).expect("write");
}

/// One refresh by `bin` into a fresh cache; checks that every URL was fetched and every claim
/// holds.
fn refresh(bin: &Path, dir: &Path, run: usize, urls: usize) -> Duration {
    let cache = dir.join(format!("cache-{run}"));
    let started = Instant::now();
    let out = Command::new(bin)
        .args(["refresh", "--format", "json", "--cache"])
        .arg(&cache)
        .current_dir(dir)
        .output()
        .expect("run factcheck");
    let elapsed = started.elapsed();
    if std::env::var_os("BENCH_VERBOSE").is_some() {
        eprint!("{}", String::from_utf8_lossy(&out.stderr));
    }
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "no JSON report ({e}): {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    let count = |key: &str, field: &str, value: &str| {
        report[key]
            .as_array()
            .map_or(0, |s| s.iter().filter(|s| s[field] == value).count())
    };
    assert_eq!(
        count("sources", "status", "new"),
        urls,
        "every URL fetched: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(count("claims", "after", "supported"), urls);
    elapsed
}

/// lychee on the same URLs, with its defaults and with factcheck's politeness, when installed.
fn lychee_runs(dir: &Path, runs: usize, bound: Duration) {
    let Some(lychee) = lychee() else {
        println!("  lychee not found (set LYCHEE=/path/to/lychee): skipped");
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
                .arg(dir.join("urls.txt"))
                .output()
                .expect("run lychee");
            let elapsed = started.elapsed();
            assert!(
                out.status.success(),
                "lychee failed: {}",
                String::from_utf8_lossy(&out.stdout)
            );
            println!("  {label} run {}: {:.2} s", run + 1, elapsed.as_secs_f64());
            theirs.push(elapsed);
        }
        let median = median_of(&mut theirs);
        println!(
            "  {label} median: {:.2} s, ratio to factcheck's bound {:.3}",
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
