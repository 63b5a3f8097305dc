//! `factcheck check [PATH...]`: verify claims and report.

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use clap::Args;

use crate::Summary;
use crate::partition::Partition;
use crate::report::ReportFormat;
use crate::report::claimreview::Publisher;
use crate::report::stream::Stream;
use crate::run::{Filter, Runner, ShardBy};
use crate::source::file::AtomicFile;
use crate::spec::Suite;

use super::{CliError, EXIT_FAILED, EXIT_OK, FormatArg, SourceArgs};

/// Arguments of `check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Assertion files or directories [default: assertions/, or factcheck.toml's `assertions`]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub sources: SourceArgs,
    /// Output format
    #[arg(long, value_enum, default_value = "human")]
    pub format: FormatArg,
    /// Write the report to FILE instead of stdout
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Only claims whose `<file-stem>::<id>` contains TEXT, or tagged TEXT
    #[arg(long, value_name = "TEXT")]
    pub filter: Option<String>,
    /// Place every claim's quote on this draft (default: each file's `[document] path`)
    #[arg(long, value_name = "PATH")]
    pub document: Option<PathBuf>,
    /// Worker threads [default: the available parallelism]
    #[arg(long, short = 'j', value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub jobs: Option<u16>,
    /// Only this shard's claims, hash:K/N (1-based), keyed by each claim's first source, so a
    /// page's claims stay on one machine
    #[arg(long, value_name = "hash:K/N")]
    pub partition: Option<Partition>,
    /// List the expectations whose `until` has passed or ends within 30 days, and check nothing
    /// (exit 1 when one has expired)
    #[arg(long)]
    pub expired: bool,
    /// Today's date for expectations' `until`, YYYY-MM-DD [default: FACTCHECK_TODAY, else
    /// the system clock's date in UTC]
    #[arg(long, value_name = "DATE")]
    pub today: Option<String>,
    /// Claims loaded and checked at a time (whole files; the suite is read in windows so memory
    /// does not grow with it)
    #[arg(long, hide = true, default_value_t = WINDOW_CLAIMS)]
    pub window: usize,
}

/// Claims loaded at a time by default: a window's claims, their pages and their results are all
/// that is held, so memory stays flat however large the suite; a page cited from two windows is
/// read in each.
pub const WINDOW_CLAIMS: usize = 10_000;

/// Runs `check`.
pub fn run(args: CheckArgs) -> Result<u8, CliError> {
    let cwd = std::env::current_dir().map_err(|e| CliError::failed(&e))?;
    let config = super::config(&cwd)?;
    let today = super::expired::today(args.today.as_deref())?;
    if args.expired {
        return super::expired::run(&args, &config, &cwd, today);
    }
    let publisher = match args.format {
        FormatArg::ClaimReview => Some(
            Publisher::from_config(&config.review, today)
                .map_err(|e| CliError::Invalid(e.to_string()))?,
        ),
        _ => None,
    };
    let mut expiring = 0;
    // Every file is checked for errors first, then the suite is run in windows. The files of
    // the first window are kept as they load (a suite that fits in one is read once); the
    // others are read again when their turn comes.
    let mut files = Vec::new();
    let mut first = Suite::default();
    let mut loaded = 0;
    crate::spec::each_file(&super::suite_paths(&args.paths, &config, &cwd), |f| {
        files.push((f.path.clone(), f.claims.len()));
        expiring += super::expired::expiring(&f, today);
        let fits = loaded == 0 || loaded < args.window;
        loaded += f.claims.len();
        if fits {
            first.files.push(f);
        }
    })
    .map_err(super::diagnostics)?;
    let rest = windows(&files[first.files.len()..], args.window);
    let windows: Vec<Window> = std::iter::once(Window::Loaded(first)).chain(rest).collect();
    let opts = args.sources.options(&config)?;
    let sources = super::open_sources(&opts)?;
    if let Some(doc) = &args.document
        && !doc.is_file()
    {
        return Err(CliError::Invalid(format!(
            "the draft {} does not exist",
            doc.display()
        )));
    }
    let mut runner = Runner::new(sources)
        .with_document(args.document.clone())
        .with_today(today);
    if let Some(jobs) = args.jobs {
        runner = runner.with_jobs(usize::from(jobs));
    }
    let filter = Filter {
        text: args.filter.clone(),
        partition: args.partition,
        shard_by: ShardBy::Page,
    };
    let format = args.format.report();
    let color = args.output.is_none() && super::use_color(super::stdout_is_terminal());
    // The report is written as the claims are checked: to a file that replaces `--output` once
    // complete, or to stdout.
    let (summary, warnings) = match &args.output {
        Some(path) => {
            let file = AtomicFile::create(path).map_err(|e| failed(path, &e))?;
            let out = BufWriter::new(file);
            let (done, summary, warnings) =
                stream_run(&runner, windows, &filter, (format, publisher), color, out)?;
            done.and_then(|out| out.into_inner().map_err(|e| e.into_error()))
                .and_then(AtomicFile::commit)
                .map_err(|e| failed(path, &e))?;
            (summary, warnings)
        }
        None => {
            let out = BufWriter::new(std::io::stdout().lock());
            let (done, summary, warnings) =
                stream_run(&runner, windows, &filter, (format, publisher), color, out)?;
            match done {
                // A closed pipe (`| head`) is not a failure of factcheck.
                Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                    return Err(CliError::failed(&e));
                }
                _ => (summary, warnings),
            }
        }
    };
    for w in &warnings {
        super::warn(w);
    }
    if expiring > 0 {
        super::warn(&format!(
            "{expiring} expectation{} in the suite end{} within {} days (`factcheck check --expired` lists them)",
            if expiring == 1 { "" } else { "s" },
            if expiring == 1 { "s" } else { "" },
            crate::expiry::EXPIRING_WITHIN_DAYS
        ));
    }
    if summary.claims == 0 {
        super::warn(&match &args.filter {
            Some(f) => format!(
                "no claims selected: none matches --filter `{}`; nothing was checked",
                crate::spec::cut(f)
            ),
            None => "no claims selected: the assertion files hold no claims; nothing was checked"
                .to_owned(),
        });
    }
    Ok(if summary.failed == 0 {
        EXIT_OK
    } else {
        EXIT_FAILED
    })
}

/// A failure to write the report to `path`.
fn failed(path: &Path, e: &std::io::Error) -> CliError {
    CliError::Failed(format!(
        "cannot write the report to {}: {e}",
        path.display()
    ))
}

/// A window of the suite: loaded already, or files to load when its turn comes.
enum Window {
    Loaded(Suite),
    Files(Vec<PathBuf>),
}

/// The files of the suite in windows of about `claims` claims (whole files, in order).
fn windows(files: &[(PathBuf, usize)], claims: usize) -> Vec<Window> {
    let mut windows: Vec<Vec<PathBuf>> = Vec::new();
    let mut size = usize::MAX;
    for (path, n) in files {
        if size >= claims.max(1) {
            windows.push(Vec::new());
            size = 0;
        }
        if let Some(window) = windows.last_mut() {
            window.push(path.clone());
        }
        size += n;
    }
    windows.into_iter().map(Window::Files).collect()
}

/// Runs the suite one window of files at a time, writing the report as the results come: the
/// output (or why writing it failed), the counts and the warnings.
fn stream_run<W: Write>(
    runner: &Runner,
    windows: Vec<Window>,
    filter: &Filter,
    (format, publisher): (ReportFormat, Option<Publisher>),
    color: bool,
    out: W,
) -> Result<(std::io::Result<W>, Summary, Vec<String>), CliError> {
    let mut stream = Stream::new(format, color, out).map_err(|e| CliError::failed(&e))?;
    if let Some(publisher) = publisher {
        stream = stream.with_publisher(publisher);
    }
    let mut write_error = None;
    let mut warnings = Vec::new();
    for window in windows {
        let suite = match window {
            Window::Loaded(suite) => suite,
            // Checked once already: an error now means a file changed during the run.
            Window::Files(paths) => crate::spec::load_paths(&paths).map_err(super::diagnostics)?,
        };
        let more = runner
            .run_each(&suite, filter, |claim| {
                if write_error.is_none() {
                    write_error = stream.claim(&claim).err();
                }
            })
            .map_err(|e| CliError::failed(&e))?;
        warnings.extend(more);
    }
    let summary = stream.summary();
    if stream.omitted() > 0 {
        let n = stream.omitted();
        warnings.push(format!(
            "{n} unsourced claim{} left out of the ClaimReview output (a review needs a source)",
            if n == 1 { "" } else { "s" }
        ));
    }
    let done = match write_error {
        Some(e) => Err(e),
        None => stream.finish(&warnings),
    };
    Ok((done, summary, warnings))
}
