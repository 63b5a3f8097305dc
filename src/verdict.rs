//! Findings of each source → one verdict for the claim (FORMAT.md, "Several sources").

use crate::check::Finding;
use crate::spec::{Require, Verdict};

/// A claim's verdict and the reason for it, from the findings of its sources in order.
///
/// With `require = "any"`: supported when one source supports and none disputes; sources that
/// disagree make it disputed with both pieces of evidence. With `require = "all"`: supported
/// only when every source supports. Otherwise the most informative verdict wins: disputed, then
/// not_found, then unavailable.
pub fn judge(require: Require, findings: &[(&str, &Finding)]) -> (Verdict, String) {
    let count = |v: Verdict| findings.iter().filter(|(_, f)| f.verdict == v).count();
    let supported = count(Verdict::Supported);
    let disputed = count(Verdict::Disputed);
    if findings.is_empty() {
        return (Verdict::Unsourced, "the claim names no source".to_string());
    }
    if let [(_, only)] = findings {
        return (only.verdict, only.reason.clone());
    }
    let reasons = |v: Verdict| {
        findings
            .iter()
            .filter(|(_, f)| f.verdict == v)
            .map(|(url, f)| format!("{}: {}", short(url), f.reason))
            .collect::<Vec<_>>()
            .join("; ")
    };
    if disputed > 0 && supported > 0 {
        return (
            Verdict::Disputed,
            format!(
                "sources disagree: {} support it ({}), {} dispute it ({})",
                supported,
                reasons(Verdict::Supported),
                disputed,
                reasons(Verdict::Disputed)
            ),
        );
    }
    if disputed > 0 {
        return (Verdict::Disputed, reasons(Verdict::Disputed));
    }
    let all = findings.len();
    match require {
        Require::Any if supported > 0 => (
            Verdict::Supported,
            format!(
                "{supported} of {all} sources support it: {}",
                reasons(Verdict::Supported)
            ),
        ),
        Require::All if supported == all => (
            Verdict::Supported,
            if all == 2 {
                "both sources support it".to_string()
            } else {
                format!("all {all} sources support it")
            },
        ),
        _ => {
            let verdict = if count(Verdict::NotFound) > 0 {
                Verdict::NotFound
            } else {
                Verdict::Unavailable
            };
            let mut reason = format!(
                "{supported} of {all} sources support it (require = \"{}\"); {}",
                match require {
                    Require::Any => "any",
                    Require::All => "all",
                },
                reasons(verdict)
            );
            if verdict == Verdict::NotFound && count(Verdict::Unavailable) > 0 {
                reason.push_str("; ");
                reason.push_str(&reasons(Verdict::Unavailable));
            }
            (verdict, reason)
        }
    }
}

/// A URL shortened for reasons: host and last path segment.
fn short(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let host = rest.split('/').next().unwrap_or(rest);
    let last = rest.rsplit('/').next().unwrap_or("");
    if last.is_empty() || rest == host {
        host.to_string()
    } else {
        format!("{host}/…/{last}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(verdict: Verdict, reason: &str) -> Finding {
        Finding::bare(verdict, reason)
    }

    #[test]
    fn one_source_passes_through() {
        let s = f(Verdict::NotFound, "\"x\" does not appear");
        assert_eq!(
            judge(Require::Any, &[("https://a/x", &s)]),
            (Verdict::NotFound, "\"x\" does not appear".to_string())
        );
    }

    #[test]
    fn any_needs_one_support_and_no_dispute() {
        let s = f(Verdict::Supported, "found");
        let n = f(Verdict::NotFound, "missing");
        let u = f(Verdict::Unavailable, "HTTP 404");
        let (v, reason) = judge(Require::Any, &[("https://a/x", &n), ("https://b/y", &s)]);
        assert_eq!(v, Verdict::Supported);
        assert!(reason.starts_with("1 of 2 sources support it"), "{reason}");
        assert_eq!(
            judge(Require::Any, &[("https://a/x", &n), ("https://b/y", &u)]).0,
            Verdict::NotFound
        );
        assert_eq!(
            judge(Require::Any, &[("https://a/x", &u), ("https://b/y", &u)]).0,
            Verdict::Unavailable
        );
    }

    #[test]
    fn disagreement_is_disputed_with_both_reasons() {
        let s = f(Verdict::Supported, "found \"MIT\"");
        let d = f(Verdict::Disputed, "\"MIT\" appears");
        let (v, reason) = judge(
            Require::Any,
            &[
                ("https://a.org/r/LICENSE", &s),
                ("https://b.org/LICENSE-MODEL", &d),
            ],
        );
        assert_eq!(v, Verdict::Disputed);
        assert!(reason.contains("a.org/…/LICENSE: found"), "{reason}");
        assert!(reason.contains("b.org/…/LICENSE-MODEL"), "{reason}");
    }

    #[test]
    fn all_needs_every_source() {
        let s = f(Verdict::Supported, "found");
        let n = f(Verdict::NotFound, "missing");
        assert_eq!(
            judge(Require::All, &[("https://a/x", &s), ("https://b/y", &s)]).0,
            Verdict::Supported
        );
        let (v, reason) = judge(Require::All, &[("https://a/x", &s), ("https://b/y", &n)]);
        assert_eq!(v, Verdict::NotFound);
        assert!(reason.contains("require = \"all\""), "{reason}");
    }
}
