//! The human report: a line per claim (outcome, verdict, file:line, id, statement, reason), the
//! evidence of claims that failed, and a summary. Meaning never depends on colour alone.

use std::fmt::Write;

use crate::result::{ClaimResult, RunResult};
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

/// One claim's line, and for a failed claim the lines that explain it.
pub fn claim_lines(c: &ClaimResult, color: bool) -> String {
    let mut out = String::new();
    let outcome = if c.passed {
        paint(color, GREEN, "ok  ")
    } else {
        paint(color, &format!("{BOLD}{RED}"), "FAIL")
    };
    let verdict = paint(
        color,
        verdict_color(c.verdict),
        &format!("{:<11}", c.verdict),
    );
    let _ = write!(
        out,
        "{outcome} {verdict} {}:{}:{} {}: {} — {}",
        c.file,
        c.line,
        c.column,
        paint(color, BOLD, &c.id),
        c.statement,
        c.reason
    );
    if !c.passed {
        let _ = write!(out, " (expected {})", c.expected);
        for e in &c.evidence {
            let _ = write!(out, "\n       {} {}: {}", e.verdict, e.url, e.reason);
            if let Some(excerpt) = &e.excerpt {
                let _ = write!(
                    out,
                    "\n         {}",
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
    let s = result.summary();
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
        "\n{} claims: {} passed, {} failed; supported {}, disputed {}, not_found {}, unavailable {}, unsourced {}: {status}",
        s.claims,
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
