//! `factcheck explain <file-stem>::<claim-id>`: how one claim's verdict came about, source by
//! source: where the bytes came from and how much text was read, the candidates a `near` saw and
//! why one was chosen, the intervals compared, and for a text not found the closest passages
//! and where else on the page it is.

use std::fmt::Write as _;
use std::path::PathBuf;

use clap::{Args, ValueEnum};
use serde::Serialize;

use crate::check::Finding;
use crate::check::explain::{Explanation, explain};
use crate::result::ClaimResult;
use crate::run::Runner;
use crate::spec::{AssertionFile, Claim};

use super::{CliError, EXIT_FAILED, EXIT_OK, SourceArgs};

/// Arguments of `explain`.
#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The claim, as `<file-stem>::<claim-id>` (what `check` prints)
    pub claim: String,
    /// Assertion files or directories to find it in [default: the assertions directory]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub sources: SourceArgs,
    /// Output format
    #[arg(long, value_enum, default_value = "human")]
    pub format: ExplainFormat,
}

/// `explain`'s formats.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ExplainFormat {
    /// Text for a person.
    Human,
    /// JSON for tools.
    Json,
}

/// The JSON document `explain --format json` prints.
#[derive(Debug, Serialize)]
struct Document<'a> {
    version: u32,
    claim: &'a ClaimResult,
    check: String,
    within: String,
    sources: Vec<SourceExplained>,
}

/// One source of the claim, explained.
#[derive(Debug, Serialize)]
struct SourceExplained {
    url: String,
    /// Where the bytes came from (`cache`, `archive FILE`, `network`), when they were had.
    #[serde(skip_serializing_if = "Option::is_none")]
    origin: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    retrieved: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    format: Option<String>,
    /// Why the source is unavailable, when it is.
    #[serde(skip_serializing_if = "Option::is_none")]
    unavailable: Option<String>,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    explanation: Option<Explanation>,
}

/// Runs `explain`.
pub fn run(args: ExplainArgs) -> Result<u8, CliError> {
    let cwd = std::env::current_dir().map_err(|e| CliError::failed(&e))?;
    let config = super::config(&cwd)?;
    let suite = super::load_suite(&args.paths, &config, &cwd)?;
    let (file, claim) = find(&suite.files, &args.claim)?;
    let today = super::expired::today(None)?;
    let sources = super::open_sources(&args.sources.options(&config)?)?;
    let runner = Runner::new(sources).with_today(today);
    let result = runner
        .check_claim(file, claim)
        .map_err(|e| CliError::failed(&e))?;
    let mut explained = Vec::new();
    if let Some(check) = &claim.check {
        // The result's evidence is one finding per source, in order: the check is not run again.
        for (source, evidence) in claim.sources.iter().zip(&result.evidence) {
            let page = runner.page(source).map_err(|e| CliError::failed(&e))?;
            explained.push(match page {
                Ok(page) => {
                    let finding = Finding {
                        verdict: evidence.verdict,
                        reason: evidence.reason.clone(),
                        excerpt: evidence.excerpt.clone(),
                        value: evidence.value.clone(),
                    };
                    SourceExplained {
                        url: source.url.clone(),
                        origin: Some(page.origin.clone()),
                        retrieved: Some(page.retrieved.clone()).filter(|r| !r.is_empty()),
                        format: Some(page.format.name().to_string()),
                        unavailable: None,
                        explanation: Some(explain(check, &claim.within, &page, finding)),
                    }
                }
                Err(reason) => SourceExplained {
                    url: source.url.clone(),
                    origin: None,
                    retrieved: None,
                    format: None,
                    unavailable: Some(reason),
                    explanation: None,
                },
            });
        }
    }
    let check = claim
        .check
        .as_ref()
        .map_or_else(|| "none".to_string(), describe_check);
    let within = match &claim.within {
        crate::spec::Within::Main => "main".to_string(),
        crate::spec::Within::Page => "page".to_string(),
        crate::spec::Within::Selector(selector) => selector.clone(),
    };
    let text = match args.format {
        ExplainFormat::Json => {
            let doc = Document {
                version: 1,
                claim: &result,
                check,
                within,
                sources: explained,
            };
            let mut s = serde_json::to_string_pretty(&doc).map_err(|e| CliError::failed(&e))?;
            s.push('\n');
            s
        }
        ExplainFormat::Human => human(&result, &check, &explained),
    };
    print!("{text}");
    Ok(if result.passed { EXIT_OK } else { EXIT_FAILED })
}

/// The claim named `<file-stem>::<claim-id>`, or an error that suggests the names nearest.
fn find<'a>(
    files: &'a [AssertionFile],
    name: &str,
) -> Result<(&'a AssertionFile, &'a Claim), CliError> {
    let Some((stem, id)) = name.split_once("::") else {
        return Err(CliError::Invalid(format!(
            "{name:?}: name the claim as <file-stem>::<claim-id>, as `check` prints it"
        )));
    };
    for file in files {
        if file.stem() == stem
            && let Some(claim) = file.claims.iter().find(|c| c.id == id)
        {
            return Ok((file, claim));
        }
    }
    let mut names: Vec<String> = files
        .iter()
        .flat_map(|f| {
            f.claims
                .iter()
                .map(move |c| format!("{}::{}", f.stem(), c.id))
        })
        .filter(|n| n.contains(id) || n.starts_with(&format!("{stem}::")))
        .collect();
    names.sort();
    names.truncate(8);
    Err(CliError::Invalid(if names.is_empty() {
        format!("no claim {name} in the assertion files")
    } else {
        format!("no claim {name}; did you mean: {}", names.join(", "))
    }))
}

/// The check as the file writes it, in one line.
fn describe_check(check: &crate::spec::Check) -> String {
    use crate::spec::{CheckKind, Locator};
    let locator = |l: &Locator| match l {
        Locator::Near { phrase, window, .. } => format!(" near {phrase:?} (window {window})"),
        Locator::Pattern(p) => format!(" pattern /{}/", p.as_str()),
        Locator::Select(s) => format!(" select `{s}`"),
        Locator::Cell(c) => format!(" cell {}, {}", c.row, c.column),
        Locator::Published => " published".to_string(),
        Locator::Change { .. } => " change".to_string(),
    };
    match &check.kind {
        CheckKind::Contains(t) => format!("contains {t:?}"),
        CheckKind::Absent(t) => format!("absent {t:?}"),
        CheckKind::Matches(p) => format!("matches /{}/", p.as_str()),
        CheckKind::Figure(f) => format!("figure {:?}{}", f.claimed, locator(&f.locator)),
        CheckKind::Date(d) => format!("date {:?}{}", d.claimed, locator(&d.locator)),
    }
}

/// The human explanation.
fn human(result: &ClaimResult, check: &str, sources: &[SourceExplained]) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{}: {} — {}\n  {}\n  check: {check}\n  expected {}{}",
        result.name(),
        result.verdict,
        result.reason,
        result.statement,
        result.expected,
        if result.passed {
            " (met)"
        } else {
            " (NOT met)"
        }
    );
    for (i, source) in sources.iter().enumerate() {
        let _ = writeln!(s, "\nsource {}: {}", i + 1, source.url);
        if let Some(reason) = &source.unavailable {
            let _ = writeln!(s, "  unavailable: {reason}");
            continue;
        }
        let _ = writeln!(
            s,
            "  bytes: {}, {}{}",
            source.format.as_deref().unwrap_or("?"),
            source.origin.as_deref().unwrap_or("?"),
            source
                .retrieved
                .as_deref()
                .map(|r| format!(", retrieved {r}"))
                .unwrap_or_default()
        );
        let Some(e) = &source.explanation else {
            continue;
        };
        let l = &e.looked_at;
        let _ = writeln!(
            s,
            "  read: {} — {} characters (the page: {}{})",
            l.region,
            l.region_chars,
            l.page_chars,
            l.main_chars
                .map(|m| format!("; its main content: {m}"))
                .unwrap_or_default()
        );
        let _ = writeln!(s, "  {}: {}", e.finding.verdict, e.finding.reason);
        if let Some(near) = &e.near {
            if near.appearances.is_empty() {
                let _ = writeln!(s, "  \"{}\" does not appear in what was read", near.phrase);
            }
            for a in &near.appearances {
                let _ = writeln!(
                    s,
                    "  \"{}\", appearance {} of {}{} at character {}: …{}…",
                    near.phrase,
                    a.number,
                    near.appearances.len(),
                    a.page.map(|p| format!(" (p.{p})")).unwrap_or_default(),
                    a.at,
                    a.context
                );
                if a.candidates.is_empty() {
                    let _ = writeln!(s, "      nothing within {} characters", near.window * 2);
                }
                for c in &a.candidates {
                    let _ = writeln!(
                        s,
                        "    {} {:<18} {:<22} {:>6}  {}",
                        if c.chosen { "→" } else { " " },
                        c.text,
                        c.value,
                        match c.distance {
                            Some(d) => format!("{} {d}", c.side),
                            None => c.side.to_string(),
                        },
                        c.why
                    );
                }
            }
        }
        for m in &e.matches {
            let _ = writeln!(
                s,
                "    {} {:?}: value group {:?} → {}{}",
                if m.chosen { "→" } else { " " },
                m.matched,
                m.group.as_deref().unwrap_or("(none)"),
                m.value.as_deref().unwrap_or("(not readable)"),
                if m.chosen {
                    "  (the first match is used)"
                } else {
                    ""
                }
            );
        }
        if let Some(intervals) = &e.intervals {
            let _ = writeln!(s, "  the claim: {}", intervals.claimed);
            let _ = writeln!(s, "  the source: {}", intervals.located);
        }
        if !e.closest.is_empty() {
            let _ = writeln!(s, "  closest passages:");
            for p in &e.closest {
                let _ = writeln!(
                    s,
                    "    {:.2} \"{}\" — {}",
                    p.similarity,
                    p.text,
                    p.differs.join("; ")
                );
            }
        }
        if let Some(excerpt) = &e.finding.excerpt {
            let _ = writeln!(s, "  evidence: {excerpt}");
        }
    }
    s
}
