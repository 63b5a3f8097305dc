//! Checking at scale (issue 11): `factcheck check` over `N` copies of the real pages of
//! `../shared/extraction/html/` with 10 claims each, served offline from a WARC, against the
//! parse-only bound, at `N` and `N/10` pages in one run.
//!
//! `cargo bench --bench scale -- [N] [--jobs J] [--keep] [--baseline FACTCHECK]`
//!
//! `N` defaults to 2,000 page copies. `--jobs J` is passed to `factcheck check`. `--keep` (or
//! `SCALE_KEEP=1`) keeps the fixture directory and prints where it is. `--baseline FACTCHECK`
//! also runs that `factcheck` binary (another build, kept aside) on the same fixture in every
//! round, in turn with this build's, so the two are compared side by side under the same load.
//! `BENCH_RUNS` (default 3) sets the rounds; each round runs both sizes, small first, so both
//! see the same machine.
//!
//! Per size it prints the check's wall time (median of the rounds), the parse-only bound (the
//! one-thread time of decoding, parsing and taking the visible text of the same page bytes,
//! median of the rounds, divided by the cores), their ratio, the check's CPU time, the ratio of
//! that CPU time to the bound's own (the bound's thread CPU time, undivided: with every core
//! busy the wall ratio tends to it, and other work on the machine skews it less), html5ever's
//! parse alone (timed beside the bound, page by page; median, divided by the cores), its peak
//! RSS (the largest of the rounds, from `wait4`'s `ru_maxrss`), and the ratio of the two sizes'
//! peak RSS, and the same parse measured on every core at once (each thread takes every
//! `cores`-th copy; the longest thread's wall time and the threads' CPU summed) with the check's
//! wall and CPU ratios to it: what the cores cost each other is in that bound too. Each round's figures, with the check's context switches, go to stderr.
//!
//! A run whose check does not exit 0 stops the bench with the failing claims: a bench of a
//! wrong run is worthless.

mod fixture;
mod measure;

use std::path::{Path, PathBuf};
use std::time::Duration;

use fixture::Fixture;
use measure::{Bound, CheckRun};

/// Page copies when `N` is not given.
const DEFAULT_PAGES: usize = 2_000;
/// Rounds when `BENCH_RUNS` is not set.
const DEFAULT_RUNS: usize = 3;
/// The smaller size is `N` divided by this.
const SMALL_DIVISOR: usize = 10;

struct Args {
    pages: usize,
    jobs: Option<String>,
    keep: bool,
    baseline: Option<PathBuf>,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        pages: DEFAULT_PAGES,
        jobs: None,
        keep: std::env::var_os("SCALE_KEEP").is_some_and(|v| !v.is_empty() && v != "0"),
        baseline: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--bench" => {}
            "--keep" => args.keep = true,
            "--jobs" => args.jobs = Some(it.next().ok_or("--jobs needs a value")?),
            "--baseline" => {
                args.baseline = Some(it.next().ok_or("--baseline needs a path")?.into())
            }
            other if other.starts_with("--") => return Err(format!("unknown option {other}")),
            other => {
                args.pages = other
                    .replace(['_', ','], "")
                    .parse()
                    .map_err(|e| format!("N (page copies): {e}"))?
            }
        }
    }
    if args.pages < SMALL_DIVISOR {
        return Err(format!("N must be at least {SMALL_DIVISOR}"));
    }
    Ok(args)
}

fn main() {
    if let Err(e) = run() {
        eprintln!("error: {e}");
        std::process::exit(2);
    }
}

/// One size's measurements over the rounds.
struct Series {
    fixture: Fixture,
    scratch: PathBuf,
    checks: Vec<CheckRun>,
    /// The `--baseline` binary's runs, if any.
    baselines: Vec<CheckRun>,
    bounds: Vec<Bound>,
    /// The bound measured on every core at once: (wall, CPU summed over the threads).
    parallel: Vec<(Duration, Duration)>,
}

fn run() -> Result<(), String> {
    let args = parse_args()?;
    let runs: usize = std::env::var("BENCH_RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .filter(|&r| r > 0)
        .unwrap_or(DEFAULT_RUNS);
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let html = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/extraction/html");
    let load_before = load_average();
    let started = std::time::Instant::now();
    let originals = fixture::load(&html)?;
    let outside = originals.iter().filter(|o| !o.in_main).count();
    println!(
        "{} original pages ({:.1} MB) read and placed in {:.1} s; the paragraph is outside the \
         main content of {outside}",
        originals.len(),
        originals.iter().map(|o| o.bytes.len()).sum::<usize>() as f64 / 1e6,
        started.elapsed().as_secs_f64()
    );

    let temp = tempfile::Builder::new()
        .prefix("factcheck-scale-")
        .tempdir()
        .map_err(|e| format!("temporary directory: {e}"))?;
    // Kept from the start, so that a failing run leaves its fixture to look at.
    let (root, _temp) = if args.keep {
        let kept = temp.keep();
        println!("keeping the fixture in {}", kept.display());
        (kept, None)
    } else {
        (temp.path().to_path_buf(), Some(temp))
    };
    let mut series = Vec::new();
    for pages in [args.pages / SMALL_DIVISOR, args.pages] {
        let dir = root.join(format!("n{pages}"));
        let fixture = fixture::build(&originals, pages, &dir)?;
        println!(
            "fixture: {pages} pages, {} claims in {} files, WARC {:.0} MB, built in {:.1} s \
             ({} copies with the paragraph outside the main content)",
            fixture.claims,
            pages.div_ceil(fixture::PAGES_PER_FILE),
            fixture.warc_bytes as f64 / 1e6,
            fixture.build.as_secs_f64(),
            fixture.outside_main
        );
        let scratch = dir.join("run");
        std::fs::create_dir_all(&scratch).map_err(|e| format!("{}: {e}", scratch.display()))?;
        series.push(Series {
            fixture,
            scratch,
            checks: Vec::new(),
            baselines: Vec::new(),
            bounds: Vec::new(),
            parallel: Vec::new(),
        });
    }
    let this = Path::new(env!("CARGO_BIN_EXE_factcheck"));
    for round in 0..runs {
        for s in &mut series {
            let jobs = args.jobs.as_deref();
            // The baseline goes first in every other round, so neither always runs second.
            let baseline_first = round % 2 == 1;
            let mut baseline = || -> Result<(), String> {
                if let Some(path) = &args.baseline {
                    let run = measure::check(path, &s.fixture, &s.scratch, jobs)?;
                    eprintln!(
                        "round {}/{runs}, {} pages: baseline check {:.2} s (CPU {:.2} s, peak RSS \
                         {:.0} MB)",
                        round + 1,
                        s.fixture.pages,
                        run.wall.as_secs_f64(),
                        run.cpu.as_secs_f64(),
                        mb(run.peak_rss)
                    );
                    s.baselines.push(run);
                }
                Ok(())
            };
            if baseline_first {
                baseline()?;
            }
            let check = measure::check(this, &s.fixture, &s.scratch, jobs)?;
            if !baseline_first {
                baseline()?;
            }
            let bound = measure::bound(&originals, s.fixture.pages);
            eprintln!(
                "round {}/{runs}, {} pages: check {:.2} s (CPU {:.2} s, peak RSS {:.0} MB, \
                 context switches {} voluntary, {} involuntary), one-thread visible text {:.2} s, \
                 ratio {:.2}",
                round + 1,
                s.fixture.pages,
                check.wall.as_secs_f64(),
                check.cpu.as_secs_f64(),
                mb(check.peak_rss),
                check.switches.0,
                check.switches.1,
                bound.visible.as_secs_f64(),
                check.wall.as_secs_f64() * cores as f64 / bound.visible.as_secs_f64()
            );
            s.checks.push(check);
            s.bounds.push(bound);
            s.parallel
                .push(measure::bound_parallel(&originals, s.fixture.pages, cores));
        }
    }

    print_table(
        &series,
        runs,
        cores,
        args.jobs.as_deref(),
        args.baseline.as_deref(),
    );
    println!(
        "\nload average at the start: {load_before}; at the end: {}",
        load_average()
    );
    if args.keep {
        println!("fixture kept in {}", root.display());
    }
    Ok(())
}

/// Which runs of a size to tabulate: this build's or the baseline's.
type RunsOf = fn(&Series) -> &[CheckRun];

fn print_table(
    series: &[Series],
    runs: usize,
    cores: usize,
    jobs: Option<&str>,
    baseline: Option<&Path>,
) {
    println!(
        "\n`factcheck check` ({}) against the parse-only bound (one-thread decode + parse + \
         visible text of the same pages / {cores} cores); medians of {runs} rounds, peak RSS \
         the largest; CPU ratio = check CPU / the bound's one-thread CPU; the measured \
         parse is the same work on {cores} threads at once (wall; CPU summed), and the last two \
         columns compare the check with it{}\n",
        jobs.map_or("default jobs".to_string(), |j| format!("--jobs {j}")),
        baseline.map_or(String::new(), |b| format!(
            "; the baseline is {}, run in turn with this build",
            b.display()
        ))
    );
    println!(
        "| pages | claims | build | check wall | parse bound | ratio | check CPU | CPU ratio | html5ever parse / cores | peak RSS | RSS vs N/10 | measured parse, all cores | wall ratio to it | CPU ratio to it |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    let this: RunsOf = |s| &s.checks;
    let baseline_runs: RunsOf = |s| &s.baselines;
    for (name, runs_of) in [("this", this), ("baseline", baseline_runs)] {
        let Some(small) = series.first().map(runs_of).filter(|r| !r.is_empty()) else {
            continue;
        };
        let small_rss = peak(small);
        for (i, s) in series.iter().enumerate() {
            let checks = runs_of(s);
            let wall = median(checks.iter().map(|c| c.wall).collect());
            let cpu = median(checks.iter().map(|c| c.cpu).collect());
            let bound = median(s.bounds.iter().map(|b| b.visible).collect()) / cores as u32;
            let bound_cpu = median(s.bounds.iter().map(|b| b.visible_cpu).collect());
            let html5ever = median(s.bounds.iter().map(|b| b.html5ever).collect()) / cores as u32;
            let rss = peak(checks);
            let measured = median(s.parallel.iter().map(|p| p.0).collect());
            let measured_cpu = median(s.parallel.iter().map(|p| p.1).collect());
            println!(
                "| {} | {} | {name} | {:.2} s | {:.2} s | {:.2} | {:.2} s | {:.2} | {:.2} s | {:.0} MB | {} | {:.2} s (CPU {:.2} s) | {:.2} | {:.2} |",
                s.fixture.pages,
                s.fixture.claims,
                wall.as_secs_f64(),
                bound.as_secs_f64(),
                wall.as_secs_f64() / bound.as_secs_f64(),
                cpu.as_secs_f64(),
                cpu.as_secs_f64() / bound_cpu.as_secs_f64(),
                html5ever.as_secs_f64(),
                mb(rss),
                if i == 0 {
                    "-".to_string()
                } else {
                    format!("{:.2}", rss as f64 / small_rss as f64)
                },
                measured.as_secs_f64(),
                measured_cpu.as_secs_f64(),
                wall.as_secs_f64() / measured.as_secs_f64(),
                cpu.as_secs_f64() / measured_cpu.as_secs_f64(),
            );
        }
    }
}

/// The 1, 5 and 15 minute load averages (other work on the machine skews every figure).
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "?".to_string())
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn peak(checks: &[CheckRun]) -> u64 {
    checks.iter().map(|c| c.peak_rss).max().unwrap_or(0)
}

/// Bytes in MB (10^6).
fn mb(bytes: u64) -> f64 {
    bytes as f64 / 1e6
}
