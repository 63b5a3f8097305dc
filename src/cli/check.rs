//! `factcheck check [PATH...]`: verify claims and report.

use std::path::PathBuf;

use clap::Args;

use factcheck::report;
use factcheck::run::{Filter, Runner};

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
    let runner = Runner::new(sources).with_document(args.document.clone());
    let filter = Filter {
        text: args.filter.clone(),
        ..Filter::default()
    };
    let result = runner
        .run(&suite, &filter)
        .map_err(|e| CliError::failed(&e))?;
    for w in &result.warnings {
        super::warn(w);
    }
    if result.claims.is_empty() {
        super::warn(&match &args.filter {
            Some(f) => format!(
                "no claims selected: none matches --filter `{}`; nothing was checked",
                factcheck::spec::cut(f)
            ),
            None => "no claims selected: the assertion files hold no claims; nothing was checked"
                .to_owned(),
        });
    }
    let format = args.format.report();
    let color = args.output.is_none() && super::use_color(super::stdout_is_terminal());
    super::emit(
        args.output.as_ref(),
        &report::render(&result, format, color),
    )?;
    Ok(if result.passed() {
        EXIT_OK
    } else {
        EXIT_FAILED
    })
}
