//! The page's own publication date, as its metadata states it: Open Graph and other `<meta>`
//! tags, microdata, JSON-LD and `<time pubdate>`.
//!
//! Bylines sit outside the main content, so the whole document is read, head included. The
//! document is walked once, iteratively (no recursion on untrusted input); JSON-LD scripts over
//! [`MAX_JSON_LD_BYTES`] are skipped.

use scraper::ElementRef;
use serde_json::Value;

use super::collapse_spaces;

/// The largest JSON-LD script read for `datePublished`, in bytes; larger ones are skipped.
pub const MAX_JSON_LD_BYTES: usize = 1 << 20;

/// The most JSON values looked at in one JSON-LD script (objects in arrays and `@graph`s).
const MAX_JSON_LD_NODES: usize = 10_000;

/// `<meta name="...">` names that hold a publication date, compared case-insensitively, in
/// order of preference.
pub const PUBLISHED_META_NAMES: [&str; 7] = [
    "date",
    "pubdate",
    "publishdate",
    "DC.date.issued",
    "dcterms.created",
    "parsely-pub-date",
    "sailthru.date",
];

/// A publication date as a page's metadata states it, not yet read as a date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublishedValue {
    /// The value as written (`2021-03-14T09:15:00Z`), white space collapsed.
    pub value: String,
    /// Which metadata gave it: `meta article:published_time`, `JSON-LD datePublished`, ...
    pub from: String,
}

/// Where a publication date can come from, in order of preference (lower first).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Rank {
    OpenGraph,
    /// The index into [`PUBLISHED_META_NAMES`].
    MetaName(usize),
    MetaItemprop,
    JsonLd,
    TimeElement,
    /// The date in the page's canonical URL path (`/2024/06/25/`), the last resort.
    UrlPath,
}

/// Every publication date the page's metadata states, best first: `<meta
/// property="article:published_time">`, then `<meta name>` in the order of
/// [`PUBLISHED_META_NAMES`], `<meta itemprop="datePublished">`, JSON-LD `datePublished`
/// (objects, arrays and `@graph`, articles first), and `<time itemprop="datePublished">` or
/// `<time pubdate>` (its `datetime`, else its text). Within one kind, document order.
pub(super) fn published(root: ElementRef<'_>) -> Vec<PublishedValue> {
    let mut found: Vec<(Rank, PublishedValue)> = Vec::new();
    let mut push = |rank: Rank, value: &str, from: String| {
        let value = collapse_spaces(value);
        if !value.is_empty() {
            found.push((rank, PublishedValue { value, from }));
        }
    };
    // `descendent_elements` walks the tree with an explicit cursor, not recursion.
    for el in root.descendent_elements() {
        let attr = |name: &str| el.value().attr(name);
        let itemprop_published =
            attr("itemprop").is_some_and(|p| p.split_whitespace().any(|p| p == "datePublished"));
        match el.value().name() {
            "meta" => {
                let Some(content) = attr("content") else {
                    continue;
                };
                if attr("property")
                    .is_some_and(|p| p.trim().eq_ignore_ascii_case("article:published_time"))
                {
                    push(
                        Rank::OpenGraph,
                        content,
                        "meta article:published_time".into(),
                    );
                }
                if let Some(name) = attr("name")
                    && let Some(i) = PUBLISHED_META_NAMES
                        .iter()
                        .position(|n| n.eq_ignore_ascii_case(name.trim()))
                {
                    let from = format!("meta {}", PUBLISHED_META_NAMES[i]);
                    push(Rank::MetaName(i), content, from);
                }
                if attr("property").is_some_and(|p| p.trim().eq_ignore_ascii_case("og:url"))
                    && let Some(date) = url_path_date(content)
                {
                    push(Rank::UrlPath, &date, "the og:url path".into());
                }
                if itemprop_published {
                    push(
                        Rank::MetaItemprop,
                        content,
                        "meta itemprop datePublished".into(),
                    );
                }
            }
            "script"
                if attr("type")
                    .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/ld+json")) =>
            {
                let text: String = el.text().collect();
                if text.len() > MAX_JSON_LD_BYTES {
                    continue;
                }
                for value in json_ld_dates(&text) {
                    push(Rank::JsonLd, &value, "JSON-LD datePublished".into());
                }
            }
            "link" if attr("rel").is_some_and(|r| r.trim().eq_ignore_ascii_case("canonical")) => {
                if let Some(date) = attr("href").and_then(url_path_date) {
                    push(Rank::UrlPath, &date, "the canonical URL's path".into());
                }
            }
            "time" if itemprop_published || attr("pubdate").is_some() => {
                let from = if itemprop_published {
                    "time itemprop datePublished"
                } else {
                    "time pubdate"
                };
                let text: String;
                let value = match attr("datetime").filter(|d| !d.trim().is_empty()) {
                    Some(d) => d,
                    None => {
                        text = el.text().collect();
                        &text
                    }
                };
                push(Rank::TimeElement, value, from.into());
            }
            _ => {}
        }
    }
    // Stable: document order within a kind.
    found.sort_by_key(|(rank, _)| *rank);
    found.into_iter().map(|(_, v)| v).collect()
}

/// `/2024/06/25/` in a URL's path, as `2024-06-25`: blogs and news sites put the publication
/// date there.
fn url_path_date(url: &str) -> Option<String> {
    let path = url.split_once("://").map_or(url, |(_, rest)| rest);
    let parts: Vec<&str> = path.split(['/', '?', '#']).collect();
    parts.windows(3).find_map(|w| {
        let all_digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
        let (y, m, d) = (w[0], w[1], w[2]);
        (all_digits(y, 4)
            && (1..=2).contains(&m.len())
            && (1..=2).contains(&d.len())
            && m.bytes().chain(d.bytes()).all(|b| b.is_ascii_digit())
            && matches!(y.as_bytes()[0], b'1' | b'2'))
        .then(|| format!("{y}-{m:0>2}-{d:0>2}"))
    })
}

/// The `datePublished` strings of JSON that does not parse (raw line breaks inside strings are
/// common): each `"datePublished": "..."` pair, read as text.
fn json_ld_dates_loose(script: &str) -> Vec<String> {
    let mut dates = Vec::new();
    let mut rest = script;
    while let Some(at) = rest.find("\"datePublished\"") {
        rest = &rest[at + "\"datePublished\"".len()..];
        let after = rest.trim_start();
        let Some(after) = after.strip_prefix(':') else {
            continue;
        };
        let Some(value) = after.trim_start().strip_prefix('"') else {
            continue;
        };
        if let Some(end) = value.find('"') {
            dates.push(value[..end].to_string());
        }
    }
    dates
}

/// The `datePublished` strings of a JSON-LD script: of its top-level object, of each object of
/// a top-level array, and of each object of an `@graph`, articles (`@type` ending in `Article`,
/// or `BlogPosting`) first. JSON that does not parse is read loosely
/// ([`json_ld_dates_loose`]).
fn json_ld_dates(script: &str) -> Vec<String> {
    // serde_json limits nesting itself (128 levels), so parsing cannot overflow the stack.
    let Ok(root) = serde_json::from_str::<Value>(script.trim()) else {
        return json_ld_dates_loose(script);
    };
    let mut articles = Vec::new();
    let mut others = Vec::new();
    // An explicit stack of the values whose objects may carry `datePublished`.
    let mut stack = vec![&root];
    let mut seen = 0;
    while let Some(value) = stack.pop() {
        seen += 1;
        if seen > MAX_JSON_LD_NODES {
            break;
        }
        match value {
            Value::Array(items) => stack.extend(items.iter().rev()),
            Value::Object(map) => {
                if let Some(date) = map.get("datePublished").and_then(first_string) {
                    if is_article(map.get("@type")) {
                        articles.push(date);
                    } else {
                        others.push(date);
                    }
                }
                if let Some(graph) = map.get("@graph") {
                    stack.push(graph);
                }
            }
            _ => {}
        }
    }
    articles.extend(others);
    articles
}

/// A string, or the first string of an array.
fn first_string(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Array(items) => items.iter().find_map(|i| i.as_str().map(str::to_owned)),
        _ => None,
    }
}

/// Whether a JSON-LD `@type` (a string or an array of them) names an article.
fn is_article(kind: Option<&Value>) -> bool {
    let article = |t: &str| t.ends_with("Article") || t == "BlogPosting" || t == "Report";
    match kind {
        Some(Value::String(t)) => article(t),
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).any(article),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::super::HtmlDoc;
    use super::*;

    fn first(html: &str) -> Option<(String, String)> {
        HtmlDoc::parse(html)
            .published()
            .into_iter()
            .next()
            .map(|p| (p.value, p.from))
    }

    fn pair(value: &str, from: &str) -> Option<(String, String)> {
        Some((value.to_owned(), from.to_owned()))
    }

    #[test]
    fn each_source_of_metadata_is_read() {
        let cases = [
            (
                r#"<meta property="article:published_time" content="2021-03-14T09:15:00Z">"#,
                pair("2021-03-14T09:15:00Z", "meta article:published_time"),
            ),
            (
                r#"<meta name="pubdate" content="2021-03-14">"#,
                pair("2021-03-14", "meta pubdate"),
            ),
            (
                r#"<meta name="dc.date.issued" content="2021-03-14">"#,
                pair("2021-03-14", "meta DC.date.issued"),
            ),
            (
                r#"<meta name="parsely-pub-date" content=" 2021-03-14T09:15:00Z ">"#,
                pair("2021-03-14T09:15:00Z", "meta parsely-pub-date"),
            ),
            (
                r#"<meta itemprop="datePublished" content="2021-03-14">"#,
                pair("2021-03-14", "meta itemprop datePublished"),
            ),
            (
                r#"<script type="application/ld+json">{"@type":"NewsArticle","datePublished":"2021-03-14"}</script>"#,
                pair("2021-03-14", "JSON-LD datePublished"),
            ),
            (
                r#"<p>By A. Writer, <time itemprop="datePublished" datetime="2021-03-14">March 14</time></p>"#,
                pair("2021-03-14", "time itemprop datePublished"),
            ),
            (
                r#"<p><time pubdate>March 14, 2021</time></p>"#,
                pair("March 14, 2021", "time pubdate"),
            ),
            (
                r#"<meta name="description" content="2021-03-14"><time>2021-03-14</time>"#,
                None,
            ),
        ];
        for (html, want) in cases {
            assert_eq!(first(html), want, "{html}");
        }
    }

    #[test]
    fn the_order_of_preference_is_kept_whatever_the_document_order() {
        let html = r#"<html><head>
            <script type="application/ld+json">{"datePublished":"2021-03-10"}</script>
            <meta name="sailthru.date" content="2021-03-11">
            <meta name="date" content="2021-03-12">
            <meta property="article:published_time" content="2021-03-14">
            </head><body><time pubdate datetime="2021-03-09"></time></body></html>"#;
        let all: Vec<String> = HtmlDoc::parse(html)
            .published()
            .into_iter()
            .map(|p| p.from)
            .collect();
        assert_eq!(
            all,
            [
                "meta article:published_time",
                "meta date",
                "meta sailthru.date",
                "JSON-LD datePublished",
                "time pubdate"
            ]
        );
    }

    #[test]
    fn json_ld_arrays_and_graphs_prefer_the_article() {
        let graph = r#"{"@context":"https://schema.org","@graph":[
            {"@type":"WebPage","datePublished":"2020-01-01"},
            {"@type":["Thing","NewsArticle"],"datePublished":"2021-03-14"}]}"#;
        assert_eq!(json_ld_dates(graph), ["2021-03-14", "2020-01-01"]);
        let array =
            r#"[{"@type":"Organization"},{"@type":"BlogPosting","datePublished":["2021-03-14"]}]"#;
        assert_eq!(json_ld_dates(array), ["2021-03-14"]);
        assert!(json_ld_dates("{not json").is_empty());
        // Nested far deeper than serde_json allows: an error, not a stack overflow.
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        assert!(json_ld_dates(&deep).is_empty());
    }

    #[test]
    fn invalid_json_ld_and_url_paths_still_give_a_date() {
        let raw = "<script type=\"application/ld+json\">{\"headline\": \"a\nb\", \"datePublished\": \"01:38 PM IST Nov 20, 2019\"}</script>";
        assert_eq!(
            first(raw),
            pair("01:38 PM IST Nov 20, 2019", "JSON-LD datePublished")
        );
        let url = r#"<link rel="canonical" href="https://example.org/blog/2024/06/25/a-post/">"#;
        assert_eq!(first(url), pair("2024-06-25", "the canonical URL's path"));
        assert_eq!(url_path_date("https://example.org/2024/13/"), None);
    }

    #[test]
    fn oversized_json_ld_is_skipped() {
        let padding = " ".repeat(MAX_JSON_LD_BYTES);
        let html = format!(
            r#"<script type="application/ld+json">{{"datePublished":"2021-03-14"}}{padding}</script>"#
        );
        assert_eq!(first(&html), None);
    }

    #[test]
    fn deeply_nested_documents_do_not_overflow() {
        // Within the depth limit, in a page nested far past it.
        let html = format!(
            "{}<time pubdate datetime=\"2021-03-14\"></time>{}",
            "<span>".repeat(100),
            "<span>".repeat(50_000),
        );
        assert_eq!(first(&html), pair("2021-03-14", "time pubdate"));
    }
}
