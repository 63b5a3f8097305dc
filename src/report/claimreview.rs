//! `--format claimreview`: verdicts as schema.org `ClaimReview` (JSON-LD), the format
//! fact-checking organisations publish and search engines read (FORMAT.md v1.2).
//!
//! One `ClaimReview` per claim that has a source, in a `@graph`; unsourced claims are left out
//! (the command says how many). The rating scale, [`WORST_RATING`] to [`BEST_RATING`]:
//!
//! | verdict | `ratingValue` | `alternateName` |
//! |---|---|---|
//! | supported | 5 | Supported |
//! | disputed, while another source supports the claim | 3 | Sources disagree |
//! | disputed | 1 | Disputed |
//! | not_found | none | Unverifiable |
//! | unavailable | none | Unverifiable |
//!
//! 2 and 4 are not used. An unverifiable claim has no place on a scale of true to false, so it
//! gets no `ratingValue` (nor `bestRating`/`worstRating`), only its name and its explanation.

use serde::Serialize;

use crate::config::ReviewConfig;
use crate::result::ClaimResult;
use crate::spec::Verdict;

/// The JSON-LD context of the document.
pub const CONTEXT: &str = "https://schema.org";
/// The rating of a claim its sources contradict.
pub const WORST_RATING: u8 = 1;
/// The rating of a claim its sources support.
pub const BEST_RATING: u8 = 5;
/// The rating of a claim some sources support and others contradict.
pub const MIXED_RATING: u8 = 3;

/// Who publishes the reviews, and where: `factcheck.toml`'s `[review]`, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Publisher {
    /// The organisation's name.
    pub author: String,
    /// The organisation's site.
    pub author_url: String,
    /// The page publishing the reviews; each review is at a fragment of it.
    pub url: url::Url,
    /// The reviews' `datePublished`, `YYYY-MM-DD`.
    pub date: String,
}

/// Why `[review]` cannot make a publisher.
#[derive(Debug, thiserror::Error)]
pub enum PublisherError {
    /// A required key is missing.
    #[error(
        "--format claimreview needs `{0}` in factcheck.toml's [review] table (the organisation publishing the reviews and the page holding them: `author = \"...\"`, `url = \"https://...\"`)"
    )]
    Missing(&'static str),
    /// A URL that does not parse or is not http(s).
    #[error("[review] {key} = `{value}` is not an http(s) URL")]
    Url {
        /// The key.
        key: &'static str,
        /// Its value.
        value: String,
    },
    /// A date with a time, or not a date.
    #[error("[review] date = {0} is not a date (write it as YYYY-MM-DD, without quotes)")]
    Date(String),
}

impl Publisher {
    /// The publisher `[review]` describes; `today` is the reviews' date when it sets none.
    pub fn from_config(
        review: &ReviewConfig,
        today: jiff::civil::Date,
    ) -> Result<Publisher, PublisherError> {
        let author = review
            .author
            .clone()
            .filter(|a| !a.trim().is_empty())
            .ok_or(PublisherError::Missing("author"))?;
        let raw = review
            .url
            .as_deref()
            .ok_or(PublisherError::Missing("url"))?;
        let url = web_url("url", raw)?;
        let author_url = match &review.author_url {
            Some(a) => web_url("author_url", a)?.to_string(),
            None => format!("{}/", url.origin().ascii_serialization()),
        };
        let date = match &review.date {
            None => today.to_string(),
            Some(d) => match (d.date, d.time, d.offset) {
                (Some(date), None, None) => date.to_string(),
                _ => return Err(PublisherError::Date(d.to_string())),
            },
        };
        Ok(Publisher {
            author,
            author_url,
            url,
            date,
        })
    }

    /// The address of one claim's review: the page, with `#<file-stem>-<claim-id>`.
    pub fn review_url(&self, c: &ClaimResult) -> String {
        let mut url = self.url.clone();
        url.set_fragment(Some(&fragment(c)));
        url.to_string()
    }
}

fn web_url(key: &'static str, value: &str) -> Result<url::Url, PublisherError> {
    url::Url::parse(value)
        .ok()
        .filter(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some())
        .ok_or_else(|| PublisherError::Url {
            key,
            value: value.to_owned(),
        })
}

/// A claim's fragment: `<file-stem>-<claim-id>` (ids are lowercase letters, digits and '-';
/// anything else in a file's stem becomes '-').
pub fn fragment(c: &ClaimResult) -> String {
    let name = c.name();
    let (stem, id) = name.split_once("::").unwrap_or(("", &name));
    let stem: String = stem
        .chars()
        .map(|ch| {
            if ch.is_ascii_alphanumeric() || ch == '-' || ch == '_' {
                ch
            } else {
                '-'
            }
        })
        .collect();
    format!("{stem}-{id}")
}

/// A `ClaimReview`.
#[derive(Debug, Serialize)]
pub struct ClaimReview<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    url: String,
    #[serde(rename = "claimReviewed")]
    claim_reviewed: &'a str,
    #[serde(rename = "itemReviewed")]
    item_reviewed: Claim<'a>,
    #[serde(rename = "reviewRating")]
    review_rating: Rating<'a>,
    author: Organization<'a>,
    #[serde(rename = "datePublished")]
    date_published: &'a str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    citation: Vec<Citation<'a>>,
}

/// The reviewed `Claim`: the claim in plain words, where it appeared, and when.
#[derive(Debug, Serialize)]
struct Claim<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    appearance: Option<Appearance<'a>>,
    #[serde(rename = "firstAppearance", skip_serializing_if = "Option::is_none")]
    first_appearance: Option<Appearance<'a>>,
    #[serde(rename = "datePublished", skip_serializing_if = "Option::is_none")]
    date_published: Option<String>,
}

/// The document a claim appears in.
#[derive(Debug, Clone, Serialize)]
struct Appearance<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    url: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    headline: Option<&'a str>,
    #[serde(rename = "datePublished", skip_serializing_if = "Option::is_none")]
    date_published: Option<String>,
}

/// The verdict as a `Rating`.
#[derive(Debug, Serialize)]
struct Rating<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "ratingValue", skip_serializing_if = "Option::is_none")]
    rating_value: Option<u8>,
    #[serde(rename = "bestRating", skip_serializing_if = "Option::is_none")]
    best_rating: Option<u8>,
    #[serde(rename = "worstRating", skip_serializing_if = "Option::is_none")]
    worst_rating: Option<u8>,
    #[serde(rename = "alternateName")]
    alternate_name: &'static str,
    #[serde(rename = "ratingExplanation")]
    rating_explanation: &'a str,
}

/// The publisher.
#[derive(Debug, Serialize)]
struct Organization<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
    url: &'a str,
}

/// A source read, with the evidence found in it.
#[derive(Debug, Serialize)]
struct Citation<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    url: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    text: Option<&'a str>,
}

/// A verdict's place on the scale, and its name; `None` for an unsourced claim (no review).
pub fn rating(c: &ClaimResult) -> Option<(Option<u8>, &'static str)> {
    Some(match c.verdict {
        Verdict::Supported => (Some(BEST_RATING), "Supported"),
        Verdict::Disputed if c.evidence.iter().any(|e| e.verdict == Verdict::Supported) => {
            (Some(MIXED_RATING), "Sources disagree")
        }
        Verdict::Disputed => (Some(WORST_RATING), "Disputed"),
        Verdict::NotFound | Verdict::Unavailable => (None, "Unverifiable"),
        Verdict::Unsourced => return None,
    })
}

/// A claim's review; `None` for an unsourced claim.
pub fn review<'a>(c: &'a ClaimResult, publisher: &'a Publisher) -> Option<ClaimReview<'a>> {
    let (value, name) = rating(c)?;
    // The quote is what the document says, when it was found there; else the statement.
    let claim_reviewed = match (&c.document, &c.quote) {
        (Some(_), Some(quote)) => quote.as_str(),
        _ => c.statement.as_str(),
    };
    let document = c.reviewed.as_ref();
    let published = document.and_then(|d| d.published).map(|d| d.to_string());
    let appearance = document.and_then(|d| {
        Some(Appearance {
            kind: "CreativeWork",
            url: d.url.as_deref()?,
            headline: d.title.as_deref(),
            date_published: published.clone(),
        })
    });
    Some(ClaimReview {
        kind: "ClaimReview",
        url: publisher.review_url(c),
        claim_reviewed,
        item_reviewed: Claim {
            kind: "Claim",
            name: &c.statement,
            first_appearance: appearance.clone(),
            appearance,
            date_published: published,
        },
        review_rating: Rating {
            kind: "Rating",
            rating_value: value,
            best_rating: value.map(|_| BEST_RATING),
            worst_rating: value.map(|_| WORST_RATING),
            alternate_name: name,
            rating_explanation: &c.reason,
        },
        author: Organization {
            kind: "Organization",
            name: &publisher.author,
            url: &publisher.author_url,
        },
        date_published: &publisher.date,
        citation: c
            .evidence
            .iter()
            .map(|e| Citation {
                kind: "CreativeWork",
                url: &e.url,
                text: e.excerpt.as_deref(),
            })
            .collect(),
    })
}

#[derive(Serialize)]
struct Document<G: Serialize> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@graph")]
    graph: G,
}

/// The JSON-LD document around its reviews: `graph` stands for the array of reviews (the
/// reviews, none, or a marker where they go).
pub fn frame<G: Serialize>(graph: G) -> impl Serialize {
    Document {
        context: CONTEXT,
        graph,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::result::Evidence;

    fn result(verdict: Verdict, sources: &[Verdict]) -> ClaimResult {
        ClaimResult {
            file: "assertions/deep seek.toml".into(),
            line: 3,
            column: 1,
            id: "r1-mit".into(),
            statement: "R1 is MIT-licensed.".into(),
            verdict,
            expected: verdict,
            passed: true,
            reason: "found it".into(),
            evidence: sources
                .iter()
                .map(|v| Evidence {
                    url: "https://example.com/LICENSE".into(),
                    verdict: *v,
                    reason: "r".into(),
                    excerpt: Some("MIT License".into()),
                    value: None,
                    sha256: None,
                    retrieved: None,
                    origin: None,
                })
                .collect(),
            document: None,
            note: None,
            tags: Vec::new(),
            expectation: None,
            quote: Some("under the MIT license".into()),
            reviewed: None,
        }
    }

    fn publisher() -> Publisher {
        let review = ReviewConfig {
            author: Some("Example Checks".into()),
            url: Some("https://checks.example.org/reviews/r1?x=1".into()),
            author_url: None,
            date: None,
        };
        Publisher::from_config(&review, jiff::civil::date(2026, 11, 29)).expect("publisher")
    }

    #[test]
    fn the_scale_keeps_unverifiable_claims_off_it() {
        let r = |v, s: &[Verdict]| rating(&result(v, s));
        use Verdict::*;
        assert_eq!(r(Supported, &[Supported]), Some((Some(5), "Supported")));
        assert_eq!(r(Disputed, &[Disputed]), Some((Some(1), "Disputed")));
        assert_eq!(
            r(Disputed, &[Supported, Disputed]),
            Some((Some(3), "Sources disagree"))
        );
        assert_eq!(r(NotFound, &[NotFound]), Some((None, "Unverifiable")));
        assert_eq!(r(Unavailable, &[Unavailable]), Some((None, "Unverifiable")));
        assert_eq!(r(Unsourced, &[]), None);
    }

    #[test]
    fn a_review_is_at_a_fragment_of_the_publishers_page() {
        let p = publisher();
        assert_eq!(p.author_url, "https://checks.example.org/");
        assert_eq!(p.date, "2026-11-29");
        let c = result(Verdict::NotFound, &[Verdict::NotFound]);
        let review = serde_json::to_value(review(&c, &p).expect("a review")).expect("json");
        assert_eq!(
            review["url"],
            "https://checks.example.org/reviews/r1?x=1#deep-seek-r1-mit"
        );
        // Not placed in a draft: the statement is what is reviewed.
        assert_eq!(review["claimReviewed"], "R1 is MIT-licensed.");
        assert_eq!(review["reviewRating"]["alternateName"], "Unverifiable");
        assert!(review["reviewRating"].get("ratingValue").is_none());
        assert!(review["itemReviewed"].get("appearance").is_none());
        assert_eq!(review["citation"][0]["text"], "MIT License");
    }

    #[test]
    fn review_needs_an_author_and_a_web_page() {
        let today = jiff::civil::date(2026, 11, 29);
        let mut review = ReviewConfig::default();
        let err = Publisher::from_config(&review, today).expect_err("no author");
        assert!(err.to_string().contains("`author`"), "{err}");
        review.author = Some("A".into());
        review.url = Some("file:///tmp/x".into());
        let err = Publisher::from_config(&review, today).expect_err("not http");
        assert!(err.to_string().contains("not an http(s) URL"), "{err}");
    }
}
