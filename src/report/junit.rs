//! `--format junit`: JUnit XML, one testsuite per assertion file and one testcase per claim; a
//! claim whose verdict differs from its expectation is a failure with the reason and evidence,
//! an unsourced one is skipped.

use std::collections::BTreeMap;
use std::fmt::Write;

use crate::result::{ClaimResult, RunResult};
use crate::spec::Verdict;

/// Escapes text for XML content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Control characters are not allowed in XML 1.0.
            c if (c as u32) < 0x20 && !matches!(c, '\n' | '\r' | '\t') => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

fn testcase(out: &mut String, suite: &str, c: &ClaimResult) {
    let _ = writeln!(
        out,
        "    <testcase name=\"{}\" classname=\"{}\" file=\"{}\" line=\"{}\">",
        escape(&c.id),
        escape(suite),
        escape(&c.file),
        c.line
    );
    if c.verdict == Verdict::Unsourced && c.passed {
        let _ = writeln!(out, "      <skipped message=\"{}\"/>", escape(&c.reason));
    } else if !c.passed {
        let mut body = format!(
            "{}\nverdict: {}\nexpected: {}\nreason: {}",
            c.statement, c.verdict, c.expected, c.reason
        );
        for e in &c.evidence {
            let _ = write!(body, "\nsource {} ({}): {}", e.url, e.verdict, e.reason);
            if let Some(x) = &e.excerpt {
                let _ = write!(body, "\n  “{x}”");
            }
        }
        let _ = writeln!(
            out,
            "      <failure message=\"{} (expected {}): {}\" type=\"{}\">{}</failure>",
            c.verdict,
            c.expected,
            escape(&c.reason),
            c.verdict,
            escape(&body)
        );
    }
    let _ = writeln!(
        out,
        "      <system-out>{}</system-out>\n    </testcase>",
        escape(&format!("{}: {}", c.verdict, c.reason))
    );
}

/// The JUnit XML report.
pub fn render(result: &RunResult) -> String {
    let mut suites: BTreeMap<&str, Vec<&ClaimResult>> = BTreeMap::new();
    for c in &result.claims {
        suites.entry(c.file.as_str()).or_default().push(c);
    }
    let s = result.summary();
    let skipped = |cs: &[&ClaimResult]| {
        cs.iter()
            .filter(|c| c.verdict == Verdict::Unsourced && c.passed)
            .count()
    };
    let all: Vec<&ClaimResult> = result.claims.iter().collect();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"factcheck\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"{}\">",
        s.claims,
        s.failed,
        skipped(&all)
    );
    for (file, claims) in &suites {
        let name = std::path::Path::new(file)
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let failures = claims.iter().filter(|c| !c.passed).count();
        let _ = writeln!(
            out,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{failures}\" errors=\"0\" skipped=\"{}\" file=\"{}\">",
            escape(&name),
            claims.len(),
            skipped(claims),
            escape(file)
        );
        for c in claims {
            testcase(&mut out, &name, c);
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}
