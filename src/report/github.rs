//! `--format github`: GitHub Actions workflow commands, so verdicts appear as annotations on the
//! draft's lines in a pull request: disputed is an error, not_found and unavailable warnings,
//! unsourced a notice; supported claims say nothing.

use super::Level;
use crate::result::ClaimResult;

/// The workflow command of a level, if it gets one.
pub fn level(level: Level) -> Option<&'static str> {
    match level {
        Level::Error => Some("error"),
        Level::Warning => Some("warning"),
        Level::Note => Some("notice"),
        Level::None => None,
    }
}

/// Escapes a workflow command's message (`%`, CR, LF).
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a workflow command's property value (also `:` and `,`).
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// One workflow command: `::error file=…,line=…,col=…,endLine=…,endColumn=…,title=…::message`.
pub fn command(
    level: &str,
    file: &str,
    (line, col): (usize, usize),
    end: Option<(usize, usize)>,
    title: &str,
    message: &str,
) -> String {
    let mut props = format!("file={},line={line},col={col}", escape_property(file));
    if let Some((end_line, end_col)) = end {
        props.push_str(&format!(",endLine={end_line},endColumn={end_col}"));
    }
    props.push_str(&format!(",title={}", escape_property(title)));
    format!("::{level} {props}::{}\n", escape_data(message))
}

/// The workflow command of a claim that needs a look; `None` for a supported one.
pub fn claim_command(c: &ClaimResult) -> Option<String> {
    // An unmet expectation (an expired one, on a supported claim) is annotated too.
    let level = level(Level::of(c.verdict)).or((!c.passed).then_some("error"))?;
    let title = format!("{}: {}", c.verdict, c.name());
    let mut message = format!("{}\n{}", c.statement, c.shown_reason());
    if let Some(excerpt) = c.evidence.iter().find_map(|e| e.excerpt.as_deref()) {
        message.push_str(&format!("\nEvidence: “{excerpt}”"));
    }
    if let Some(url) = c.evidence.first().map(|e| e.url.as_str()) {
        message.push_str(&format!("\nSource: {url}"));
    }
    if !c.passed {
        message.push_str(&format!("\nExpected: {}", c.expected));
    }
    Some(match &c.document {
        Some(d) => command(
            level,
            &d.path,
            (d.line, d.column),
            Some((d.end_line, d.end_column)),
            &title,
            &message,
        ),
        None => command(level, &c.file, (c.line, c.column), None, &title, &message),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_messages_and_properties() {
        assert_eq!(
            command(
                "error",
                "a,b:c.txt",
                (3, 5),
                Some((3, 17)),
                "disputed: x::y",
                "50% off\nnow"
            ),
            "::error file=a%2Cb%3Ac.txt,line=3,col=5,endLine=3,endColumn=17,title=disputed%3A x%3A%3Ay::50%25 off%0Anow\n"
        );
    }
}
