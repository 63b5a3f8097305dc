//! `factcheck figures DOCUMENT`: the figures and dates of a draft, the claims that cover them
//! and their verdicts, and the ones no claim covers.

use std::path::PathBuf;

use clap::Args;

use factcheck::document::{self, Draft};
use factcheck::report::figures;
use factcheck::run::{Filter, Runner};
use factcheck::spec::Suite;

use super::{CliError, EXIT_OK, FormatArg, SourceArgs};

/// Arguments of `figures`.
#[derive(Debug, Args)]
pub struct FiguresArgs {
    /// The draft
    pub document: PathBuf,
    /// Assertion files or directories whose claims cover it [default: assertions/; only files
    /// whose `[document] path` is DOCUMENT are used, unless files are named here]
    #[arg(long = "assertions", value_name = "PATH")]
    pub assertions: Vec<PathBuf>,
    #[command(flatten)]
    pub sources: SourceArgs,
    /// Output format (human, json, sarif or github)
    #[arg(long, value_enum, default_value = "human")]
    pub format: FormatArg,
    /// Write the report to FILE instead of stdout
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// Runs `figures`.
pub fn run(args: FiguresArgs) -> Result<u8, CliError> {
    if args.format == FormatArg::ClaimReview {
        return Err(CliError::Invalid(
            "`figures` has no ClaimReview output (it lists figures, not reviews); use --format json".to_owned(),
        ));
    }
    let draft =
        Draft::read(&args.document).map_err(|e| CliError::Invalid(super::error_chain(&e)))?;
    let cwd = std::env::current_dir().map_err(|e| CliError::failed(&e))?;
    let config = super::config(&cwd)?;
    let named = !args.assertions.is_empty();
    // A draft with no assertion files yet still has figures to list: a missing default
    // directory is no error here (a named path that is missing still is).
    let defaults_missing = !named && config.assertion_paths().iter().all(|p| !p.exists());
    let loaded = if defaults_missing {
        Suite::default()
    } else {
        super::load_suite(&args.assertions, &config, &cwd)?
    };
    // The files about this draft (all named files, when named).
    let suite = Suite {
        files: loaded
            .files
            .into_iter()
            .filter(|f| {
                named
                    || document::draft_path(f)
                        .is_some_and(|p| document::same_file(&p, &args.document))
            })
            .collect(),
    };
    let sources = super::open_sources(&args.sources.options(&config)?)?;
    let runner = Runner::new(sources).with_document(Some(args.document.clone()));
    let result = runner
        .run(&suite, &Filter::default())
        .map_err(|e| CliError::failed(&e))?;
    // The run keeps the suite's order: results pair with claims one to one.
    let claims = suite
        .files
        .iter()
        .flat_map(|f| f.claims.iter().map(move |c| (f, c)));
    let placed: Vec<_> = claims
        .zip(&result.claims)
        .filter_map(|((file, claim), r)| {
            document::place_claim(&draft, file, claim)
                .ok()
                .map(|p| (p.range, r))
        })
        .collect();
    let covered = document::cover(&draft, &placed);
    let shown = args.document.display().to_string();
    super::emit(
        args.output.as_ref(),
        &figures::render(&shown, &covered, args.format.report()),
    )?;
    Ok(EXIT_OK)
}
