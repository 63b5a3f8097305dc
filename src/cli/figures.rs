//! `factcheck figures DOCUMENT`: the figures and dates of a draft, the claims that cover them
//! and their verdicts, and the ones no claim covers.

use std::collections::HashSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use clap::Args;

use crate::document::{self, Draft};
use crate::report::figures;
use crate::run::{Filter, Runner};
use crate::scaffold;
use crate::source::cache::write_atomic;
use crate::spec::{self, Suite};

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
    /// Append a claim stub for every figure and date no claim covers to the draft's assertion
    /// file (created with a `[document]` table when missing), instead of reporting
    #[arg(long)]
    pub scaffold: bool,
    /// The assertion file --scaffold writes [default: the one whose `[document] path` is
    /// DOCUMENT, else assertions/<DOCUMENT's stem>.toml]
    #[arg(long, value_name = "FILE", requires = "scaffold")]
    pub to: Option<PathBuf>,
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
    let defaults_missing = !named
        && config
            .assertion_paths()
            .iter()
            .all(|p| !p.exists() || (p.is_dir() && !holds_toml(p, 0)));
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
    let today = super::expired::today(None)?;
    let sources = super::open_sources(&args.sources.options(&config)?)?;
    let runner = Runner::new(sources)
        .with_document(Some(args.document.clone()))
        .with_today(today);
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
    if args.scaffold {
        return scaffold(&args, &draft, &covered, &suite, &config, &cwd);
    }
    let shown = args.document.display().to_string();
    super::emit(
        args.output.as_ref(),
        &figures::render(&shown, &covered, args.format.report()),
    )?;
    Ok(EXIT_OK)
}

/// `figures --scaffold`: stubs for the uncovered figures, appended to the assertion file.
fn scaffold(
    args: &FiguresArgs,
    draft: &Draft,
    covered: &[document::CoveredFigure],
    suite: &Suite,
    config: &crate::config::Config,
    cwd: &Path,
) -> Result<u8, CliError> {
    let target = match &args.to {
        Some(to) => cwd.join(to),
        None => default_target(&args.document, suite, config, cwd),
    };
    let existing = match fs::read_to_string(&target) {
        Ok(text) => Some(text),
        Err(e) if e.kind() == io::ErrorKind::NotFound => None,
        Err(e) => {
            return Err(CliError::Invalid(format!(
                "cannot read {}: {e}",
                target.display()
            )));
        }
    };
    let taken: HashSet<String> = match &existing {
        Some(text) => spec::load_str(&target, text)
            .map_err(super::diagnostics)?
            .claims
            .into_iter()
            .map(|c| c.id)
            .collect(),
        None => HashSet::new(),
    };
    let uncovered: Vec<_> = covered
        .iter()
        .filter(|f| f.claims.is_empty())
        .map(|f| f.figure.clone())
        .collect();
    let shown = target.display();
    if uncovered.is_empty() {
        eprintln!(
            "every figure and date of {} is covered by a claim: nothing added to {shown}",
            args.document.display()
        );
        return Ok(EXIT_OK);
    }
    let (stubs, skipped) = scaffold::stubs(draft, &uncovered, &taken);
    for figure in &skipped {
        super::warn(&format!(
            "{}:{}: no words around {:?} to find it by on a source: write its claim by hand",
            args.document.display(),
            figure.start.line,
            figure.text
        ));
    }
    if stubs.is_empty() {
        return Ok(EXIT_OK);
    }
    let dir = target.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir)
        .map_err(|e| CliError::Failed(format!("cannot create {}: {e}", dir.display())))?;
    let absolute = |p: &Path| fs::canonicalize(p).unwrap_or_else(|_| cwd.join(p));
    let draft_path = scaffold::relative_path(&absolute(&args.document), &absolute(dir));
    let text = scaffold::append(existing.as_deref(), &draft_path, &stubs)
        .map_err(|e| CliError::Invalid(format!("{shown}: {}", super::error_chain(&e))))?;
    write_atomic(&target, text.as_bytes()).map_err(|e| CliError::failed(&e))?;
    eprintln!(
        "{} {} claim stub{} to {shown} (unsourced until each names a source):",
        if existing.is_some() {
            "added"
        } else {
            "created, with"
        },
        stubs.len(),
        if stubs.len() == 1 { "" } else { "s" }
    );
    for stub in &stubs {
        eprintln!(
            "  {}:{}: {} = {:?} near {:?}  → {}",
            args.document.display(),
            stub.line,
            stub.kind,
            stub.written,
            stub.near,
            stub.id
        );
    }
    Ok(EXIT_OK)
}

/// The file a scaffold goes to: the one about DOCUMENT, else `<assertions>/<stem>.toml`.
fn default_target(
    document: &Path,
    suite: &Suite,
    config: &crate::config::Config,
    cwd: &Path,
) -> PathBuf {
    if let [file] = suite.files.as_slice() {
        return cwd.join(&file.path);
    }
    let stem = document
        .file_stem()
        .map_or_else(|| "draft".into(), |s| s.to_string_lossy().into_owned());
    let dir = config
        .assertion_paths()
        .into_iter()
        .find(|p| !p.is_file())
        .unwrap_or_else(|| cwd.join(crate::config::DEFAULT_ASSERTIONS_DIR));
    dir.join(format!("{stem}.toml"))
}

/// Whether a directory holds a `.toml` file, at any depth (to a limit: assertion directories
/// are shallow, and a link loop must not hang the command).
fn holds_toml(dir: &Path, depth: usize) -> bool {
    const MAX_DEPTH: usize = 16;
    let Ok(entries) = fs::read_dir(dir) else {
        return false;
    };
    entries.filter_map(Result::ok).any(|e| {
        let path = e.path();
        match e.file_type() {
            Ok(t) if t.is_dir() => depth < MAX_DEPTH && holds_toml(&path, depth + 1),
            Ok(_) => path.extension().is_some_and(|x| x == "toml"),
            Err(_) => false,
        }
    })
}
