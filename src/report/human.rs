//! The human report: a line per claim (outcome, verdict, file:line, id, statement, reason), the
//! evidence of claims that failed, and a summary. Meaning never depends on colour alone.

use std::fmt::Write;

use super::Level;
use crate::result::{ClaimResult, RunResult, Summary};
use crate::spec::Verdict;

const RESET: &str = "\x1b[0m";
const BOLD: &str = "\x1b[1m";
const DIM: &str = "\x1b[2m";
const RED: &str = "\x1b[31m";
const GREEN: &str = "\x1b[32m";
const YELLOW: &str = "\x1b[33m";

fn paint(color: bool, code: &str, s: &str) -> String {
    if color {
        format!("{code}{s}{RESET}")
    } else {
        s.to_string()
    }
}

fn verdict_color(v: Verdict) -> &'static str {
    match v {
        Verdict::Supported => GREEN,
        Verdict::Disputed => RED,
        Verdict::NotFound | Verdict::Unavailable => YELLOW,
        Verdict::Unsourced => DIM,
    }
}

/// The compiler-style level of a claim: `error` for a disputed claim or an unmet expectation,
/// `warning` for evidence not found or a source unavailable, `note` otherwise.
pub fn level(c: &ClaimResult) -> &'static str {
    match Level::of(c.verdict) {
        _ if !c.passed => "error",
        Level::None => "note",
        level => level.name(),
    }
}

/// One claim's line, compiler-style so editors' quickfix lists read it
/// (`path:line:col: level: verdict: name: statement — reason`), located on the draft when the
/// quote was placed there; for a claim that failed, the lines that explain it.
pub fn claim_lines(c: &ClaimResult, color: bool) -> String {
    let mut out = String::new();
    let location = match &c.document {
        Some(d) => format!("{}:{}:{}", d.path, d.line, d.column),
        None => format!("{}:{}:{}", c.file, c.line, c.column),
    };
    let level = level(c);
    let level_color = match level {
        "error" => RED,
        "warning" => YELLOW,
        _ => DIM,
    };
    let _ = write!(
        out,
        "{}: {}: {}: {}: {} — {}",
        paint(color, BOLD, &location),
        paint(color, &format!("{BOLD}{level_color}"), level),
        paint(color, verdict_color(c.verdict), c.verdict.name()),
        paint(color, BOLD, &c.name()),
        c.statement,
        c.shown_reason()
    );
    if !c.passed {
        match c.expectation.as_ref().filter(|e| e.expired) {
            Some(e) => {
                let until = e.until.as_deref().unwrap_or("?");
                let _ = write!(out, " [FAIL: expected {} until {until}]", c.expected);
            }
            None => {
                let _ = write!(out, " [FAIL: expected {}]", c.expected);
            }
        }
        if c.document.is_some() {
            let _ = write!(out, "\n    claim at {}:{}:{}", c.file, c.line, c.column);
        }
        for e in &c.evidence {
            let _ = write!(out, "\n    {} {}: {}", e.verdict, e.url, e.reason);
            if let Some(excerpt) = &e.excerpt {
                let _ = write!(
                    out,
                    "\n      {}",
                    paint(color, DIM, &format!("“{excerpt}”"))
                );
            }
        }
    }
    out.push('\n');
    out
}

/// The whole report.
pub fn render(result: &RunResult, color: bool) -> String {
    let mut out = String::new();
    for c in &result.claims {
        out.push_str(&claim_lines(c, color));
    }
    out.push_str(&summary_lines(&result.summary(), color));
    out
}

/// The closing summary: counts per outcome and verdict.
pub fn summary_lines(s: &Summary, color: bool) -> String {
    let mut out = String::new();
    let status = if s.failed == 0 {
        paint(color, GREEN, "all claims met their expectation")
    } else {
        paint(
            color,
            &format!("{BOLD}{RED}"),
            &format!(
                "{} claim{} did not",
                s.failed,
                if s.failed == 1 { "" } else { "s" }
            ),
        )
    };
    let _ = writeln!(
        out,
        "\n{} claim{}: {} passed, {} failed; supported {}, disputed {}, not_found {}, unavailable {}, unsourced {}: {status}",
        s.claims,
        if s.claims == 1 { "" } else { "s" },
        s.passed,
        s.failed,
        s.supported,
        s.disputed,
        s.not_found,
        s.unavailable,
        s.unsourced
    );
    out
}
