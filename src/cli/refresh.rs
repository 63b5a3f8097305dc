//! `factcheck refresh [PATH...]`: fetch the sources again and report what drifted.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};

use crate::partition::Partition;
use crate::refresh::report::{self, DriftFormat};
use crate::refresh::{self, Progress, RefreshOptions};
use crate::run::{Filter, ShardBy};

use super::{CliError, EXIT_FAILED, EXIT_OK, SourceArgs};

/// Output formats of `refresh`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RefreshFormat {
    /// Lines for people
    Human,
    /// The JSON drift report
    Json,
    /// Markdown, for a pull request body
    Markdown,
}

/// Arguments of `refresh`.
#[derive(Debug, Args)]
pub struct RefreshArgs {
    /// Assertion files or directories [default: assertions/, or factcheck.toml's `assertions`]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub sources: SourceArgs,
    /// Only sources retrieved longer ago than this (e.g. 12h, 7d, 2w)
    #[arg(long, value_name = "AGE", value_parser = parse_age)]
    pub older_than: Option<Duration>,
    /// The Wayback Machine's base URL [default: factcheck.toml's `wayback_url`, or https://archive.org]
    #[arg(long, value_name = "URL")]
    pub wayback_url: Option<String>,
    /// Never ask the Wayback Machine for a copy of a gone source
    #[arg(long, conflicts_with = "wayback_url")]
    pub no_wayback: bool,
    /// Output format
    #[arg(long, value_enum, default_value = "human")]
    pub format: RefreshFormat,
    /// Write the report to FILE instead of stdout
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Only claims whose `<file-stem>::<id>` contains TEXT, or tagged TEXT
    #[arg(long, value_name = "TEXT")]
    pub filter: Option<String>,
    /// Refresh only shard K of N, split by host: the sources whose host hashes to shard K, and
    /// the claims whose first source's host does (e.g. hash:1/4)
    #[arg(long, value_name = "hash:K/N")]
    pub partition: Option<Partition>,
}

fn parse_age(text: &str) -> Result<Duration, String> {
    refresh::plan::parse_age(text).map_err(|e| e.to_string())
}

/// Runs `refresh`: exit 0 when no verdict flipped, 1 when some did.
pub fn run(args: RefreshArgs) -> Result<u8, CliError> {
    if args.sources.offline {
        return Err(CliError::Invalid(
            "refresh fetches sources from the network; it cannot run --offline".to_string(),
        ));
    }
    // The checks before and after judge expectations' `until` by `FACTCHECK_TODAY` when it is
    // set: an unreadable one is refused here, as `check` refuses it, not replaced by the clock.
    super::expired::today(None)?;
    let cwd = std::env::current_dir().map_err(|e| CliError::failed(&e))?;
    let config = super::config(&cwd)?;
    let suite = super::load_suite(&args.paths, &config, &cwd)?;
    let mut sources = args.sources.options(&config)?;
    sources.offline = false;
    let wayback = if args.no_wayback {
        None
    } else {
        args.wayback_url.clone().or_else(|| config.wayback_url())
    };
    let opts = RefreshOptions {
        older_than: args.older_than,
        wayback,
        ..RefreshOptions::default()
    };
    let filter = Filter {
        text: args.filter.clone(),
        partition: args.partition,
        shard_by: ShardBy::Host,
    };

    let bar = std::io::IsTerminal::is_terminal(&std::io::stderr()).then(|| {
        let bar = ProgressBar::new(0);
        if let Ok(style) =
            ProgressStyle::with_template("{spinner} [{bar:30}] {pos}/{len} sources {wide_msg}")
        {
            bar.set_style(style.progress_chars("=> "));
        }
        bar
    });
    let progress = |p: Progress<'_>| {
        if let Some(bar) = &bar {
            bar.set_length(p.total as u64);
            bar.set_position(p.done as u64);
            bar.set_message(p.url.to_string());
        }
    };
    let result = refresh::refresh(&suite, &filter, &sources, &opts, &progress);
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    let drift = result.map_err(|e| CliError::failed(&e))?;

    let format = match args.format {
        RefreshFormat::Human => DriftFormat::Human,
        RefreshFormat::Json => DriftFormat::Json,
        RefreshFormat::Markdown => DriftFormat::Markdown,
    };
    let color = args.output.is_none() && super::use_color(super::stdout_is_terminal());
    super::emit(args.output.as_ref(), &report::render(&drift, format, color))?;
    Ok(if drift.flipped() {
        EXIT_FAILED
    } else {
        EXIT_OK
    })
}
