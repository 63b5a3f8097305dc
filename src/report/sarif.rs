//! `--format sarif`: SARIF 2.1.0, the format code-scanning tools read. One rule per verdict kind;
//! one result per claim, located on the draft when the quote was placed there, else on the
//! assertion file; the reason and the evidence in the message.

use serde_json::{Value, json};

use crate::result::ClaimResult;
use crate::spec::Verdict;

/// The SARIF schema's address.
pub const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

fn rule(verdict: Verdict) -> (&'static str, &'static str) {
    match verdict {
        Verdict::Supported => ("supported", "Evidence found that agrees with the claim"),
        Verdict::Disputed => ("disputed", "Evidence found that contradicts the claim"),
        Verdict::NotFound => (
            "not_found",
            "The source was read, but the evidence is not in it",
        ),
        Verdict::Unavailable => ("unavailable", "The source could not be read"),
        Verdict::Unsourced => ("unsourced", "The claim names no source yet"),
    }
}

fn level(verdict: Verdict) -> &'static str {
    super::Level::of(verdict).name()
}

fn rule_index(verdict: Verdict) -> usize {
    Verdict::ALL.iter().position(|v| *v == verdict).unwrap_or(0)
}

/// One claim's SARIF result.
pub fn claim_result(c: &ClaimResult) -> Value {
    let (uri, region) = match &c.document {
        Some(d) => (
            d.path.clone(),
            json!({"startLine": d.line, "startColumn": d.column, "endLine": d.end_line, "endColumn": d.end_column}),
        ),
        None => (
            c.file.clone(),
            json!({"startLine": c.line, "startColumn": c.column}),
        ),
    };
    let mut text = format!("{} ({}): {}", c.statement, c.verdict, c.shown_reason());
    for e in &c.evidence {
        text.push_str(&format!("\nSource {} ({}): {}", e.url, e.verdict, e.reason));
        if let Some(x) = &e.excerpt {
            text.push_str(&format!("\nEvidence: “{x}”"));
        }
    }
    let location = |uri: &str, region: Value| json!({"physicalLocation": {"artifactLocation": {"uri": uri.replace('\\', "/")}, "region": region}});
    let (rule_id, _) = rule(c.verdict);
    // An expired expectation fails the claim whatever its verdict: code scanning must show it.
    let expired = c.expectation.as_ref().is_some_and(|e| e.expired);
    let mut result = json!({
        "ruleId": rule_id,
        "ruleIndex": rule_index(c.verdict),
        "level": if expired { "error" } else { level(c.verdict) },
        "kind": if c.verdict == Verdict::Supported && !expired { "pass" } else { "fail" },
        "message": {"text": text},
        "locations": [location(&uri, region)],
        "partialFingerprints": {"claim": c.name()},
        "properties": {"expected": c.expected, "passed": c.passed}
    });
    // On the draft: the claim's place in its assertion file is a related location.
    if c.document.is_some() {
        let mut related = location(
            &c.file,
            json!({"startLine": c.line, "startColumn": c.column}),
        );
        related["id"] = json!(0);
        related["message"] = json!({"text": "the claim in its assertion file"});
        result["relatedLocations"] = json!([related]);
    }
    result
}

/// One rule per verdict.
pub fn rules() -> Vec<Value> {
    Verdict::ALL
        .iter()
        .map(|v| {
            let (id, text) = rule(*v);
            json!({
                "id": id,
                "name": id,
                "shortDescription": {"text": text},
                "defaultConfiguration": {"level": level(*v)}
            })
        })
        .collect()
}

/// The whole SARIF log of `rules` and `results`, pretty-printed, with a final newline.
pub fn log(rules: Vec<Value>, results: Vec<Value>) -> String {
    let mut s = serde_json::to_string_pretty(&frame(rules, results)).unwrap_or_default();
    s.push('\n');
    s
}

/// The log around its results: `results` stands for the array of results (the results, or a
/// marker where they go).
pub fn frame(rules: Vec<Value>, results: Vec<Value>) -> Value {
    json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "factcheck",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/factcheck/factcheck",
                "rules": rules
            }},
            "results": results
        }]
    })
}
