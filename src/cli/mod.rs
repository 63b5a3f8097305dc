//! Command-line parsing and dispatch; one file per subcommand. Not part of the library's API:
//! the `factcheck` binary calls [`main`].

// The doc comments here are clap's help texts, written for a terminal, not for rustdoc.
#![allow(
    rustdoc::invalid_html_tags,
    rustdoc::bare_urls,
    rustdoc::broken_intra_doc_links
)]

mod add;
mod cache;
mod check;
mod expired;
mod explain;
mod extract;
mod figures;
mod refresh;

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::config::Config;
use crate::run::error_chain;
use crate::source::SourceOptions;

/// Exit code: every claim met its expectation.
pub const EXIT_OK: u8 = 0;
/// Exit code: some claim did not.
pub const EXIT_FAILED: u8 = 1;
/// Exit code: invalid input (assertion files with errors, bad usage).
pub const EXIT_INVALID: u8 = 2;
/// Exit code: factcheck itself failed.
pub const EXIT_ERROR: u8 = 3;

#[derive(Debug, Parser)]
#[command(
    name = "factcheck",
    version,
    about = "Check the facts in your writing, as tests"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Verify claims (default PATH: the assertions directory)
    Check(check::CheckArgs),
    /// Print the text factcheck reads from a page
    Extract(extract::ExtractArgs),
    /// List the figures of a draft and the claims that cover them
    Figures(figures::FiguresArgs),
    /// Inspect and move the cache: list, verify, import, export
    Cache(cache::CacheArgs),
    /// Language server for editors, over stdio (diagnostics, hover, quick fixes on drafts)
    Lsp,
    /// Fetch sources again and report what changed (default PATH: the assertions directory)
    Refresh(refresh::RefreshArgs),
    /// Fetch a source, keep it (cache, --warc), add it to an assertion file's [sources], and
    /// summarise it
    Add(add::AddArgs),
    /// Explain one claim's verdict: where the bytes came from, the candidates a `near` saw and
    /// why one was chosen, the closest passages to a text not found
    Explain(explain::ExplainArgs),
}

/// Options shared by the commands that read sources.
#[derive(Debug, Clone, Args)]
pub struct SourceArgs {
    /// Never use the network: what is not cached or archived is unavailable
    #[arg(long)]
    pub offline: bool,
    /// The cache directory [default: .factcheck/cache, or factcheck.toml's `cache`]
    #[arg(long, value_name = "DIR")]
    pub cache: Option<PathBuf>,
    /// A WARC file to read sources from (.warc or .warc.gz); repeatable
    #[arg(long = "archive", value_name = "FILE")]
    pub archives: Vec<PathBuf>,
    /// Allow requests to loopback, private, link-local and multicast addresses
    /// [default: factcheck.toml's `allow_private_addresses`, else refused]
    #[arg(long)]
    pub allow_private_addresses: bool,
}

impl SourceArgs {
    /// The source options: factcheck.toml's, overridden by the command line.
    pub fn options(&self, config: &Config) -> Result<SourceOptions, CliError> {
        let (_, missing) = config.archives();
        for path in missing {
            warn(&format!(
                "archive {} (from factcheck.toml) does not exist; skipping it",
                path.display()
            ));
        }
        let mut opts = config.source_options();
        if let Some(cache) = &self.cache {
            opts.cache_dir = cache.clone();
        }
        for path in &self.archives {
            if let Some(why) = crate::source::file::unusable(path) {
                return Err(CliError::Invalid(format!(
                    "archive {}: {why}",
                    path.display()
                )));
            }
        }
        let mut archives = self.archives.clone();
        archives.extend(opts.archives);
        opts.archives = archives;
        opts.offline |= self.offline;
        opts.http.allow_private |= self.allow_private_addresses;
        Ok(opts)
    }
}

/// Output formats of `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// Lines for people (compiler-style, for quickfix lists)
    Human,
    /// The JSON report
    Json,
    /// JUnit XML
    Junit,
    /// SARIF 2.1.0
    Sarif,
    /// GitHub Actions annotations
    Github,
    /// schema.org ClaimReview (JSON-LD); `check` only, needs factcheck.toml's [review]
    #[value(name = "claimreview")]
    ClaimReview,
}

impl FormatArg {
    /// The library's report format.
    pub fn report(self) -> crate::report::ReportFormat {
        use crate::report::ReportFormat;
        match self {
            FormatArg::Human => ReportFormat::Human,
            FormatArg::Json => ReportFormat::Json,
            FormatArg::Junit => ReportFormat::Junit,
            FormatArg::Sarif => ReportFormat::Sarif,
            FormatArg::Github => ReportFormat::Github,
            FormatArg::ClaimReview => ReportFormat::ClaimReview,
        }
    }
}

/// A failure, with the exit code it maps to.
#[derive(Debug)]
pub enum CliError {
    /// Invalid input: exit 2.
    Invalid(String),
    /// Invalid assertion files, already rendered as located diagnostics: exit 2.
    Diagnostics(String),
    /// factcheck failed: exit 3.
    Failed(String),
}

impl CliError {
    /// From an error and its causes.
    pub fn failed(e: &dyn std::error::Error) -> CliError {
        CliError::Failed(error_chain(e))
    }
}

/// Prints a warning on stderr.
pub fn warn(message: &str) {
    let _ = writeln!(std::io::stderr(), "warning: {message}");
}

/// Whether to colour a stream: a terminal, and `NO_COLOR` unset or empty.
pub fn use_color(terminal: bool) -> bool {
    terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// `factcheck.toml` found from `cwd` (the defaults when there is none), with its `[limits]`
/// installed for the process.
pub fn config(cwd: &std::path::Path) -> Result<crate::config::Config, CliError> {
    let config =
        crate::config::Config::discover(cwd).map_err(|e| CliError::Invalid(e.to_string()))?;
    config.limits.install();
    Ok(config)
}

/// Writes a report to `--output FILE` (atomically) or stdout.
pub fn emit(output: Option<&PathBuf>, text: &str) -> Result<(), CliError> {
    match output {
        Some(path) => crate::source::cache::write_atomic(path, text.as_bytes())
            .map_err(|e| CliError::failed(&e)),
        None => {
            let mut out = std::io::stdout().lock();
            // A closed pipe (`| head`) is not a failure of factcheck.
            let _ = out.write_all(text.as_bytes());
            let _ = out.flush();
            Ok(())
        }
    }
}

/// Opens the cache and archives; an archive that is not a WARC file is invalid input (exit 2).
pub fn open_sources(
    opts: &crate::source::SourceOptions,
) -> Result<crate::source::Sources, CliError> {
    crate::source::Sources::open(opts).map_err(|e| match e {
        crate::source::SourceError::Warc(_) => CliError::Invalid(error_chain(&e)),
        _ => CliError::failed(&e),
    })
}

/// Loads the assertion files: `paths` when given, else `factcheck.toml`'s (shown relative to
/// the current directory); invalid files are an error that exits 2 with every diagnostic.
pub fn load_suite(
    paths: &[PathBuf],
    config: &Config,
    cwd: &std::path::Path,
) -> Result<crate::spec::Suite, CliError> {
    crate::spec::load_paths(&suite_paths(paths, config, cwd)).map_err(diagnostics)
}

/// The paths of the suite: `paths` when given, else `factcheck.toml`'s (shown relative to the
/// current directory).
pub fn suite_paths(paths: &[PathBuf], config: &Config, cwd: &std::path::Path) -> Vec<PathBuf> {
    if paths.is_empty() {
        config
            .assertion_paths()
            .into_iter()
            .map(|p| p.strip_prefix(cwd).map(PathBuf::from).unwrap_or(p))
            .collect()
    } else {
        paths.to_vec()
    }
}

/// Invalid assertion files: exit 2 with every diagnostic.
pub fn diagnostics(d: crate::spec::Diagnostics) -> CliError {
    CliError::Diagnostics(d.render(use_color(std::io::stderr().is_terminal())))
}

/// The stdout is a terminal.
pub fn stdout_is_terminal() -> bool {
    std::io::stdout().is_terminal()
}

/// Parses the command line, runs the command, and maps the outcome to an exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    // Every panic is caught (here, or where a dependency is called) and reported once, as an
    // error: none prints "thread panicked" or a backtrace.
    crate::caught::silence();
    let result = crate::caught::catch(|| match cli.command {
        Command::Check(args) => check::run(args),
        Command::Extract(args) => extract::run(args),
        Command::Figures(args) => figures::run(args),
        Command::Cache(args) => cache::run(args),
        Command::Lsp => crate::lsp::serve_stdio().map_err(|e| CliError::failed(&e)),
        Command::Refresh(args) => refresh::run(args),
        Command::Add(args) => add::run(args),
        Command::Explain(args) => explain::run(args),
    })
    .unwrap_or_else(|c| {
        Err(CliError::Failed(format!(
            "factcheck failed (an internal error, please report it): {c}"
        )))
    });
    match result {
        Ok(code) => ExitCode::from(code),
        Err(CliError::Invalid(message)) => {
            let _ = writeln!(std::io::stderr(), "error: {message}");
            ExitCode::from(EXIT_INVALID)
        }
        Err(CliError::Diagnostics(rendered)) => {
            let _ = write!(std::io::stderr(), "{rendered}");
            ExitCode::from(EXIT_INVALID)
        }
        Err(CliError::Failed(message)) => {
            let _ = writeln!(std::io::stderr(), "error: {message}");
            ExitCode::from(EXIT_ERROR)
        }
    }
}
