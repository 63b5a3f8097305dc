//! `--format junit`: JUnit XML, one testsuite per assertion file and one testcase per claim; a
//! claim whose verdict differs from its expectation is a failure with the reason and evidence,
//! an unsourced one is skipped.

use std::fmt::Write;

use crate::result::ClaimResult;
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

/// One claim's `<testcase>` in the testsuite named `suite`.
pub fn testcase(out: &mut String, suite: &str, c: &ClaimResult) {
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
            c.statement,
            c.verdict,
            c.expected,
            c.shown_reason()
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
            escape(&c.shown_reason()),
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

/// Whether a claim is a skipped test case (unsourced, as expected).
pub fn skipped(c: &ClaimResult) -> bool {
    c.verdict == Verdict::Unsourced && c.passed
}

/// The XML declaration and the opening `<testsuites>` with the run's counts.
pub fn open(claims: usize, failures: usize, skipped: usize) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"factcheck\" tests=\"{claims}\" failures=\"{failures}\" errors=\"0\" skipped=\"{skipped}\">\n"
    )
}

/// The opening `<testsuite>` of an assertion file, with its counts.
pub fn suite_open(file: &str, tests: usize, failures: usize, skipped: usize) -> String {
    format!(
        "  <testsuite name=\"{}\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\" skipped=\"{skipped}\" file=\"{}\">\n",
        escape(&suite_name(file)),
        escape(file)
    )
}

/// The closing `</testsuite>`.
pub const SUITE_CLOSE: &str = "  </testsuite>\n";

/// The closing tag.
pub const CLOSE: &str = "</testsuites>\n";

/// The testsuite name of an assertion file: its stem.
pub fn suite_name(file: &str) -> String {
    std::path::Path::new(file)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}
