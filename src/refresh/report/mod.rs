//! The drift report's formats, one file each: `human` (the terminal), `json` (machines) and
//! `markdown` (a pull request's body).

pub mod human;
pub mod json;
pub mod markdown;

use super::DriftReport;

/// The formats of `factcheck refresh`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DriftFormat {
    /// Lines for people.
    #[default]
    Human,
    /// `{"version": 1, "sources": [...], "claims": [...]}`.
    Json,
    /// Markdown, for a pull request body.
    Markdown,
}

/// Renders a drift report; `color` only affects the human format.
pub fn render(report: &DriftReport, format: DriftFormat, color: bool) -> String {
    match format {
        DriftFormat::Human => human::render(report, color),
        DriftFormat::Json => json::render(report),
        DriftFormat::Markdown => markdown::render(report),
    }
}

/// "3 unchanged, 1 changed, 1 failing" (statuses with no source left out).
fn source_summary(report: &DriftReport) -> String {
    let parts: Vec<String> = report
        .counts()
        .into_iter()
        .filter(|(_, n)| *n > 0)
        .map(|(status, n)| format!("{n} {}", status.as_str()))
        .collect();
    let mut text = if parts.is_empty() {
        "no source fetched".to_string()
    } else {
        parts.join(", ")
    };
    if report.skipped > 0 {
        text.push_str(&format!(
            ", {} skipped (refreshed recently)",
            report.skipped
        ));
    }
    text
}

/// "2 of 14 claims flipped" or "no verdict flipped (14 claims)".
fn claim_summary(report: &DriftReport) -> String {
    let flipped = report.claims.iter().filter(|c| c.flipped).count();
    let moved = report
        .claims
        .iter()
        .filter(|c| !c.flipped && c.excerpt_changed())
        .count();
    let total = report.claims.len();
    let claims = if total == 1 { "claim" } else { "claims" };
    let mut text = if flipped == 0 {
        format!("no verdict flipped ({total} {claims})")
    } else {
        format!("{flipped} of {total} {claims} flipped")
    };
    if moved > 0 {
        text.push_str(&format!(", {moved} with moved evidence"));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::refresh::drift::{ClaimDrift, SourceDrift, SourceStatus};
    use crate::spec::Verdict;

    fn report() -> DriftReport {
        let source = |url: &str, status, http: Option<u16>, reason: Option<&str>| SourceDrift {
            url: url.into(),
            status,
            http_status: http,
            conditional: true,
            archived_from: None,
            reason: reason.map(str::to_string),
            change: None,
        };
        let mut gone = source(
            "https://gone.example/",
            SourceStatus::Failing,
            Some(404),
            Some("HTTP 404 Not Found"),
        );
        gone.archived_from =
            Some("https://web.archive.org/web/2025id_/https://gone.example/".into());
        DriftReport {
            sources: vec![
                source(
                    "https://a.example/",
                    SourceStatus::Unchanged,
                    Some(304),
                    None,
                ),
                source("https://b.example/", SourceStatus::Changed, Some(200), None),
                gone,
                source(
                    "https://dead.example/",
                    SourceStatus::Dead,
                    None,
                    Some("could not resolve host dead.example"),
                ),
            ],
            skipped: 2,
            claims: vec![
                ClaimDrift {
                    file: "assertions/r1.toml".into(),
                    id: "licence".into(),
                    statement: "R1 is MIT licensed.".into(),
                    before: Verdict::Supported,
                    after: Verdict::NotFound,
                    flipped: true,
                    excerpt_before: Some("released under the MIT License".into()),
                    excerpt_after: None,
                    reason_after: "\"MIT License\" is not in the source".into(),
                },
                ClaimDrift {
                    file: "assertions/r1.toml".into(),
                    id: "cost".into(),
                    statement: "Training cost $5.6M | reportedly.".into(),
                    before: Verdict::Supported,
                    after: Verdict::Supported,
                    flipped: false,
                    excerpt_before: Some("cost $5.6M to train".into()),
                    excerpt_after: Some("cost about $5.6M to train".into()),
                    reason_after: "found".into(),
                },
                ClaimDrift {
                    file: "assertions/r1.toml".into(),
                    id: "same".into(),
                    statement: "s".into(),
                    before: Verdict::Supported,
                    after: Verdict::Supported,
                    flipped: false,
                    excerpt_before: None,
                    excerpt_after: None,
                    reason_after: "found".into(),
                },
            ],
        }
    }

    #[test]
    fn human_report() {
        insta::assert_snapshot!(render(&report(), DriftFormat::Human, false));
    }

    #[test]
    fn markdown_report() {
        insta::assert_snapshot!(render(&report(), DriftFormat::Markdown, false));
    }

    #[test]
    fn json_report_has_the_documented_shape() {
        let json: serde_json::Value =
            serde_json::from_str(&render(&report(), DriftFormat::Json, false)).expect("json");
        assert_eq!(json["version"], 1);
        assert_eq!(json["skipped"], 2);
        let source = &json["sources"][2];
        for key in [
            "url",
            "status",
            "http_status",
            "conditional",
            "archived_from",
        ] {
            assert!(source.get(key).is_some(), "{key} in {source}");
        }
        assert_eq!(source["status"], "failing");
        let claim = &json["claims"][0];
        for key in [
            "file",
            "id",
            "before",
            "after",
            "flipped",
            "excerpt_before",
            "excerpt_after",
        ] {
            assert!(claim.get(key).is_some(), "{key} in {claim}");
        }
        assert_eq!(claim["before"], "supported");
        assert_eq!(claim["after"], "not_found");
        assert_eq!(json["claims"][2]["excerpt_before"], serde_json::Value::Null);
    }
}
