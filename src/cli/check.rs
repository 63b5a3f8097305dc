//! `factcheck check [PATH...]`: verify claims and report.

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use clap::Args;

use factcheck::partition::Partition;
use factcheck::report::stream::Stream;
use factcheck::run::{Filter, Runner, ShardBy};

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
}

/// Runs `check`.
pub fn run(args: CheckArgs) -> Result<u8, CliError> {
    let cwd = std::env::current_dir().map_err(|e| CliError::failed(&e))?;
    let config = super::config(&cwd)?;
    let suite = super::load_suite(&args.paths, &config, &cwd)?;
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
    let mut runner = Runner::new(sources).with_document(args.document.clone());
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
    // The report is written as the claims are checked: to a temporary file beside `--output`
    // that replaces it at the end, or to stdout.
    let (out, file): (Box<dyn Write>, _) = match &args.output {
        Some(path) => {
            let file = output_file(path)?;
            (
                Box::new(BufWriter::new(file.reopen().map_err(|e| failed(path, &e))?)),
                Some(file),
            )
        }
        None => (Box::new(BufWriter::new(std::io::stdout().lock())), None),
    };
    let mut stream = Stream::new(format, color, out).map_err(|e| CliError::failed(&e))?;
    let mut write_error = None;
    let warnings = runner
        .run_each(&suite, &filter, |claim| {
            if write_error.is_none() {
                write_error = stream.claim(&claim).err();
            }
        })
        .map_err(|e| CliError::failed(&e))?;
    let summary = stream.summary();
    let finished = match write_error {
        Some(e) => Err(e),
        None => stream.finish(&warnings).map(drop),
    };
    match (finished, &args.output, file) {
        (Ok(()), Some(path), Some(file)) => {
            file.as_file().sync_all().map_err(|e| failed(path, &e))?;
            file.persist(path).map_err(|e| failed(path, &e.error))?;
        }
        (Err(e), Some(path), _) => return Err(failed(path, &e)),
        // A closed pipe (`| head`) is not a failure of factcheck.
        (Err(e), None, _) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
        (Err(e), None, _) => return Err(CliError::failed(&e)),
        (Ok(()), ..) => {}
    }
    for w in &warnings {
        super::warn(w);
    }
    if summary.claims == 0 {
        super::warn(&match &args.filter {
            Some(f) => format!(
                "no claims selected: none matches --filter `{}`; nothing was checked",
                factcheck::spec::cut(f)
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

/// A temporary file beside `path`, to become the report.
fn output_file(path: &Path) -> Result<tempfile::NamedTempFile, CliError> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    if !dir.is_dir() {
        return Err(CliError::Failed(format!(
            "cannot write the report to {}: the directory {} does not exist",
            path.display(),
            dir.display()
        )));
    }
    tempfile::NamedTempFile::new_in(dir).map_err(|e| failed(path, &e))
}

/// A failure to write the report to `path`.
fn failed(path: &Path, e: &std::io::Error) -> CliError {
    CliError::Failed(format!(
        "cannot write the report to {}: {e}",
        path.display()
    ))
}
