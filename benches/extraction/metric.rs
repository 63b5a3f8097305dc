//! The article-extraction-benchmark metric: 4-token shingles, per-page normalised tp/fp/fn,
//! precision and recall averaged over pages, F1 their harmonic mean.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

/// Tokens per shingle.
pub const SHINGLE_TOKENS: usize = 4;

/// `\w+`, Unicode-aware as Python's `re` is for `str`.
static TOKEN: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\w+").expect("valid regex"));

/// Normalised `(tp, fp, fn)` of one page, summing to 1 (or all 0 when both texts are empty).
pub fn page_counts(truth: &str, predicted: &str) -> (f64, f64, f64) {
    let truth = shingles(truth);
    let predicted = shingles(predicted);
    let (mut tp, mut fp, mut fn_) = (0usize, 0usize, 0usize);
    for (key, &t) in &truth {
        let p = predicted.get(key).copied().unwrap_or(0);
        tp += t.min(p);
        fn_ += t.saturating_sub(p);
    }
    for (key, &p) in &predicted {
        let t = truth.get(key).copied().unwrap_or(0);
        fp += p.saturating_sub(t);
    }
    let sum = (tp + fp + fn_) as f64;
    if sum == 0.0 {
        return (0.0, 0.0, 0.0);
    }
    (tp as f64 / sum, fp as f64 / sum, fn_ as f64 / sum)
}

/// The multiset of shingles: every run of [`SHINGLE_TOKENS`] tokens, or one shingle of all the
/// tokens when there are fewer (none for no tokens).
fn shingles(text: &str) -> HashMap<String, usize> {
    let tokens: Vec<&str> = TOKEN.find_iter(text).map(|m| m.as_str()).collect();
    let mut out = HashMap::new();
    if tokens.is_empty() {
        return out;
    }
    if tokens.len() < SHINGLE_TOKENS {
        out.insert(tokens.join(" "), 1);
        return out;
    }
    for window in tokens.windows(SHINGLE_TOKENS) {
        *out.entry(window.join(" ")).or_insert(0) += 1;
    }
    out
}

/// Precision, recall and F1 over pages' `(tp, fp, fn)`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Score {
    /// Mean precision over pages with `tp + fp > 0`.
    pub precision: f64,
    /// Mean recall over pages with `tp + fn > 0`.
    pub recall: f64,
    /// Harmonic mean of the two.
    pub f1: f64,
}

/// Scores a set of pages.
pub fn score(counts: &[(f64, f64, f64)]) -> Score {
    let mean = |v: Vec<f64>| {
        if v.is_empty() {
            0.0
        } else {
            v.iter().sum::<f64>() / v.len() as f64
        }
    };
    let precision = mean(
        counts
            .iter()
            .filter(|c| c.0 + c.1 > 0.0)
            .map(|c| c.0 / (c.0 + c.1))
            .collect(),
    );
    let recall = mean(
        counts
            .iter()
            .filter(|c| c.0 + c.2 > 0.0)
            .map(|c| c.0 / (c.0 + c.2))
            .collect(),
    );
    let f1 = if precision + recall > 0.0 {
        2.0 * precision * recall / (precision + recall)
    } else {
        0.0
    };
    Score {
        precision,
        recall,
        f1,
    }
}
