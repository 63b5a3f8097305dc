//! The report of `factcheck figures DOCUMENT`: every figure and date of a draft, the claims that
//! cover it and their verdicts, and the uncovered ones, as lines, JSON, SARIF or GitHub
//! annotations.

use serde::Serialize;
use serde_json::json;

use super::github;
use super::{Level, ReportFormat};
use crate::document::CoveredFigure;
use crate::spec::Verdict;

/// The JSON form: `{"version": 1, "document": .., "summary": {..}, "figures": [..]}`.
#[derive(Debug, Serialize)]
struct Report<'a> {
    version: u32,
    document: &'a str,
    summary: Summary,
    figures: &'a [CoveredFigure],
}

#[derive(Debug, Serialize)]
struct Summary {
    figures: usize,
    covered: usize,
    uncovered: usize,
}

/// The worst verdict among a figure's claims, for its level.
fn worst(f: &CoveredFigure) -> Option<Verdict> {
    f.claims
        .iter()
        .map(|c| c.verdict)
        .min_by_key(|v| Level::of(*v))
}

/// A figure's level: its worst claim's, or a note when no claim covers it.
fn level(f: &CoveredFigure) -> Level {
    worst(f).map_or(Level::Note, Level::of)
}

fn describe(f: &CoveredFigure) -> String {
    if f.claims.is_empty() {
        return format!(
            "{} \"{}\" ({}) is covered by no claim",
            f.figure.kind, f.figure.text, f.figure.value
        );
    }
    let claims: Vec<String> = f
        .claims
        .iter()
        .map(|c| format!("{} is {}: {}", c.claim, c.verdict, c.reason))
        .collect();
    format!(
        "{} \"{}\" ({}): {}",
        f.figure.kind,
        f.figure.text,
        f.figure.value,
        claims.join("; ")
    )
}

/// Renders the figures of a draft.
pub fn render(document: &str, figures: &[CoveredFigure], format: ReportFormat) -> String {
    let covered = figures.iter().filter(|f| !f.claims.is_empty()).count();
    match format {
        ReportFormat::Json | ReportFormat::Junit | ReportFormat::ClaimReview => {
            let report = Report {
                version: 1,
                document,
                summary: Summary {
                    figures: figures.len(),
                    covered,
                    uncovered: figures.len() - covered,
                },
                figures,
            };
            let mut s = serde_json::to_string_pretty(&report).unwrap_or_default();
            s.push('\n');
            s
        }
        ReportFormat::Github => figures
            .iter()
            .map(|f| {
                let level = github::level(level(f)).unwrap_or("notice");
                let title = match worst(f) {
                    Some(v) => format!("{} {}", f.figure.kind, v),
                    None => format!("uncovered {}", f.figure.kind),
                };
                github::command(
                    level,
                    document,
                    (f.figure.start.line, f.figure.start.column),
                    Some((f.figure.end.line, f.figure.end.column)),
                    &title,
                    &describe(f),
                )
            })
            .collect(),
        ReportFormat::Sarif => {
            let results: Vec<_> = figures
                .iter()
                .map(|f| {
                    let rule = match worst(f) {
                        None => "uncovered",
                        Some(Verdict::NotFound | Verdict::Unavailable) => "unchecked",
                        Some(v) => v.name(),
                    };
                    let level = level(f).name();
                    json!({
                        "ruleId": rule,
                        "level": level,
                        "message": {"text": describe(f)},
                        "locations": [{"physicalLocation": {
                            "artifactLocation": {"uri": document.replace('\\', "/")},
                            "region": {
                                "startLine": f.figure.start.line, "startColumn": f.figure.start.column,
                                "endLine": f.figure.end.line, "endColumn": f.figure.end.column
                            }
                        }}]
                    })
                })
                .collect();
            let rule = |id: &str, text: &str| json!({"id": id, "shortDescription": {"text": text}});
            super::sarif::log(
                vec![
                    rule("uncovered", "A figure no claim covers"),
                    rule("disputed", "A figure a claim disputes"),
                    rule(
                        "unchecked",
                        "A figure whose claim found no evidence or no source",
                    ),
                    rule("unsourced", "A figure whose claim names no source yet"),
                    rule("supported", "A figure a claim supports"),
                ],
                results,
            )
        }
        ReportFormat::Human => {
            let mut out = String::new();
            for f in figures {
                let level = match level(f) {
                    Level::None => "note",
                    l => l.name(),
                };
                out.push_str(&format!(
                    "{document}:{}:{}: {level}: {}\n",
                    f.figure.start.line,
                    f.figure.start.column,
                    describe(f)
                ));
            }
            out.push_str(&format!(
                "\n{} figures and dates in {document}: {covered} covered by a claim, {} uncovered\n",
                figures.len(),
                figures.len() - covered
            ));
            out
        }
    }
}
