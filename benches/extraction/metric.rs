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

/// A 95% interval, from the 2.5th to the 97.5th percentile of a bootstrap distribution.
#[derive(Debug, Clone, Copy)]
pub struct Interval {
    /// The 2.5th percentile.
    pub low: f64,
    /// The 97.5th percentile.
    pub high: f64,
}

/// How sure the scores are, by the paired bootstrap over pages: `rounds` resamples of the pages
/// (with replacement, the same pages for both extractors), each scored as [`score`] scores. Gives
/// the interval of `ours`'s F1 and of its difference from `other`'s. Deterministic: `seed` fixes
/// the resamples.
pub fn bootstrap(
    ours: &[(f64, f64, f64)],
    other: &[(f64, f64, f64)],
    rounds: usize,
    seed: u64,
) -> (Interval, Interval) {
    assert_eq!(
        ours.len(),
        other.len(),
        "paired scores cover the same pages"
    );
    let n = ours.len();
    let mut rng = SplitMix(seed);
    let (mut f1s, mut diffs) = (Vec::with_capacity(rounds), Vec::with_capacity(rounds));
    let (mut a, mut b) = (Vec::with_capacity(n), Vec::with_capacity(n));
    for _ in 0..rounds {
        a.clear();
        b.clear();
        for _ in 0..n {
            let i = rng.below(n);
            a.push(ours[i]);
            b.push(other[i]);
        }
        let f1 = score(&a).f1;
        f1s.push(f1);
        diffs.push(f1 - score(&b).f1);
    }
    (interval(f1s), interval(diffs))
}

fn interval(mut v: Vec<f64>) -> Interval {
    if v.is_empty() {
        return Interval {
            low: 0.0,
            high: 0.0,
        };
    }
    v.sort_by(f64::total_cmp);
    let at = |q: f64| v[((v.len() - 1) as f64 * q).round() as usize];
    Interval {
        low: at(0.025),
        high: at(0.975),
    }
}

/// SplitMix64: a fixed, seedable sequence, enough for resampling pages.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0); the modulo bias is negligible for page counts.
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}
