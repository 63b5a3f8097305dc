//! Checks over small pages of each format.

use super::*;
use crate::source::Snapshot;
use crate::spec::Check;

fn page(url: &str, content_type: &str, body: &str) -> Page {
    let snapshot = Snapshot::local(url, Some(content_type), body.as_bytes().to_vec());
    Page::read(&snapshot, None).expect("readable")
}

fn check(kind: CheckKind) -> Check {
    Check {
        kind,
        case_sensitive: false,
    }
}

const ARTICLE: &str = r#"<!doctype html><html><head><title>R1</title>
<style>.x { content: "hidden style text" }</style></head><body>
<nav><a href="/">Home</a> <a href="/tech">Most read: MIT wins again</a></nav>
<article><h1>DeepSeek R1</h1>
<p>The model is released under the <a href="/l">MIT License</a>, which
allows commercial use.</p><p>Training used <b>2.788M</b> H800 GPU hours.</p>
<p hidden>Secret: Apache 2.0</p></article>
<aside class="related-stories"><p>Related: Llama is under the Llama license</p></aside>
<script>var license = "GPL";</script>
</body></html>"#;

#[test]
fn contains_finds_text_across_markup_with_an_excerpt() {
    let p = page("https://news.example/r1", "text/html", ARTICLE);
    let f = run(
        &check(CheckKind::Contains("released under the MIT license".into())),
        &Within::Main,
        &p,
    );
    assert_eq!(f.verdict, Verdict::Supported, "{f:?}");
    let excerpt = f.excerpt.expect("excerpt");
    assert!(
        excerpt.contains("released under the MIT License"),
        "{excerpt}"
    );
    let f = run(
        &check(CheckKind::Contains("2.788M H800".into())),
        &Within::Main,
        &p,
    );
    assert_eq!(f.verdict, Verdict::Supported, "{f:?}");
}

#[test]
fn hidden_script_and_style_text_is_never_read() {
    let p = page("https://news.example/r1", "text/html", ARTICLE);
    for hidden in ["GPL", "Apache 2.0", "hidden style text"] {
        let f = run(
            &check(CheckKind::Contains(hidden.into())),
            &Within::Page,
            &p,
        );
        assert_eq!(f.verdict, Verdict::NotFound, "{hidden}: {f:?}");
    }
}

#[test]
fn main_content_leaves_out_navigation_and_related_links() {
    let p = page("https://news.example/r1", "text/html", ARTICLE);
    let sidebar = check(CheckKind::Contains("Llama license".into()));
    assert_eq!(run(&sidebar, &Within::Main, &p).verdict, Verdict::NotFound);
    assert_eq!(run(&sidebar, &Within::Page, &p).verdict, Verdict::Supported);
}

#[test]
fn selector_scopes_the_check() {
    let p = page("https://news.example/r1", "text/html", ARTICLE);
    let c = check(CheckKind::Contains("MIT".into()));
    assert_eq!(
        run(&c, &Within::Selector("nav".into()), &p).verdict,
        Verdict::Supported
    );
    assert_eq!(
        run(&c, &Within::Selector("h1".into()), &p).verdict,
        Verdict::NotFound
    );
    let none = run(&c, &Within::Selector("table.prices".into()), &p);
    assert_eq!(none.verdict, Verdict::NotFound);
    assert!(
        none.reason.contains("no element matches"),
        "{}",
        none.reason
    );
}

#[test]
fn absent_disputes_with_the_text_as_evidence() {
    let p = page(
        "https://x.example/LICENSE-MODEL",
        "text/plain",
        "DEEPSEEK LICENSE AGREEMENT\n\nVersion 1.0, 23 October 2023",
    );
    let f = run(
        &check(CheckKind::Absent("DeepSeek License Agreement".into())),
        &Within::Main,
        &p,
    );
    assert_eq!(f.verdict, Verdict::Disputed);
    assert_eq!(
        f.excerpt.as_deref(),
        Some("DEEPSEEK LICENSE AGREEMENT Version 1.0, 23 October 2023")
    );
    let f = run(&check(CheckKind::Absent("GPL".into())), &Within::Main, &p);
    assert_eq!(f.verdict, Verdict::Supported);
}

#[test]
fn case_sensitive_and_matches_are_not_folded() {
    let p = page("https://x.example/LICENSE", "text/plain", "MIT License");
    let mut c = check(CheckKind::Contains("mit license".into()));
    assert_eq!(run(&c, &Within::Main, &p).verdict, Verdict::Supported);
    c.case_sensitive = true;
    assert_eq!(run(&c, &Within::Main, &p).verdict, Verdict::NotFound);
    let re = |s: &str| {
        check(CheckKind::Matches(crate::spec::Pattern::checked(
            s.to_string(),
        )))
    };
    assert_eq!(
        run(&re("mit license"), &Within::Main, &p).verdict,
        Verdict::NotFound
    );
    assert_eq!(
        run(&re("(?i)mit license"), &Within::Main, &p).verdict,
        Verdict::Supported
    );
}

#[test]
fn markdown_links_emphasis_and_tables_do_not_break_phrases() {
    let md = "## License\nThis code repository and the model weights are licensed under the \
              [MIT License](https://github.com/x/LICENSE).\n\n| Benchmark | o1 | R1 |\n|---|---|---|\n\
              | AIME 2024 (Pass@1) | 79.2 | **79.8** |\n";
    let p = page(
        "https://raw.githubusercontent.com/x/y/c/README.md",
        "text/plain; charset=utf-8",
        md,
    );
    assert_eq!(p.format, crate::spec::Format::Markdown);
    let c = check(CheckKind::Contains(
        "licensed under the MIT License.".into(),
    ));
    assert_eq!(run(&c, &Within::Main, &p).verdict, Verdict::Supported);
    let c = check(CheckKind::Contains("AIME 2024 (Pass@1)".into()));
    assert_eq!(run(&c, &Within::Main, &p).verdict, Verdict::Supported);
    let f = run(
        &check(CheckKind::Contains("**79.8**".into())),
        &Within::Main,
        &p,
    );
    assert_eq!(f.verdict, Verdict::Supported, "{f:?}");
}

#[test]
fn csv_is_read_as_it_stands() {
    let p = page(
        "https://x.example/NVDA.csv",
        "text/plain",
        "Date,Ticker,Open,Close\n2025-01-27,NVDA,124.8,118.42\n",
    );
    let f = run(
        &check(CheckKind::Contains("2025-01-27,NVDA".into())),
        &Within::Main,
        &p,
    );
    assert_eq!(f.verdict, Verdict::Supported);
}

fn figure(claimed: &str, locator: crate::spec::Locator, tolerance: Option<&str>) -> Check {
    check(CheckKind::Figure(crate::spec::FigureCheck {
        figure: None,
        claimed: claimed.into(),
        locator,
        tolerance: tolerance.map(str::to_string),
    }))
}

fn near(phrase: &str) -> crate::spec::Locator {
    crate::spec::Locator::Near {
        phrase: phrase.into(),
        window: crate::spec::DEFAULT_NEAR_WINDOW,
        occurrence: None,
    }
}

fn cell(row: &str, column: &str) -> crate::spec::Locator {
    crate::spec::Locator::Cell(crate::spec::CellRef {
        row: row.into(),
        column: column.into(),
        key: None,
        table: None,
    })
}

const V3_COSTS: &str = "Table 1 | Training costs of DeepSeek-V3, assuming the rental price of H800 is $2 per \
    GPU hour.\nLastly, assuming the rental price of the H800 GPU is $2 per GPU hour, our total \
    training costs amount to only $5.576M. Note that the aforementioned costs include only the \
    official training of DeepSeek-V3.";

#[test]
fn near_finds_the_nearest_figure_and_explains_the_precision() {
    let p = page("https://x.example/v3.txt", "text/plain", V3_COSTS);
    let f = run(
        &figure("$5.6 million", near("total training costs"), None),
        &Within::Main,
        &p,
    );
    assert_eq!(f.verdict, Verdict::Supported, "{f:?}");
    assert_eq!(
        f.reason,
        "located $5.576M near \"total training costs\"; \"$5.6 million\" means 5.55M ≤ x < 5.65M"
    );
    assert_eq!(f.value.as_deref(), Some("5.576 million USD"));
    assert!(
        f.excerpt
            .expect("excerpt")
            .contains("amount to only $5.576M")
    );
    let f = run(
        &figure("$5.9 million", near("total training costs"), None),
        &Within::Main,
        &p,
    );
    assert_eq!(f.verdict, Verdict::Disputed, "{f:?}");
    let f = run(
        &figure("6%", near("total training costs"), None),
        &Within::Main,
        &p,
    );
    assert_eq!(f.verdict, Verdict::NotFound, "{f:?}");
    assert!(f.reason.contains("USD"), "{}", f.reason);
    let f = run(
        &figure("$5.6 million", near("inference costs"), None),
        &Within::Main,
        &p,
    );
    assert_eq!(f.verdict, Verdict::NotFound);
    assert_eq!(f.reason, "\"inference costs\" does not appear");
}

#[test]
fn near_never_takes_a_figure_inside_the_phrase_and_respects_the_window() {
    let p = page(
        "https://x.example/a.txt",
        "text/plain",
        "the 2025 budget of $65 billion",
    );
    let f = run(
        &figure("$65 billion", near("2025 budget"), None),
        &Within::Main,
        &p,
    );
    assert_eq!(f.verdict, Verdict::Supported, "{f:?}");
    let far = format!("costs {} $5M", "word ".repeat(60));
    let p = page("https://x.example/a.txt", "text/plain", &far);
    let mut c = figure("$5 million", near("costs"), None);
    assert_eq!(run(&c, &Within::Main, &p).verdict, Verdict::NotFound);
    if let CheckKind::Figure(f) = &mut c.kind {
        f.locator = crate::spec::Locator::Near {
            phrase: "costs".into(),
            window: 400,
            occurrence: None,
        };
    }
    assert_eq!(run(&c, &Within::Main, &p).verdict, Verdict::Supported);
}

#[test]
fn pattern_select_and_html_cells() {
    let p = page("https://x.example/v3.txt", "text/plain", V3_COSTS);
    let re = crate::spec::Pattern::checked(r"amount to only (?P<value>\$[\d.]+M)".to_string());
    let f = run(
        &figure(
            "about $5.6 million",
            crate::spec::Locator::Pattern(re),
            None,
        ),
        &Within::Main,
        &p,
    );
    assert_eq!(f.verdict, Verdict::Supported, "{f:?}");
    let html = "<html><body><table class=prices><tr><th>Date</th><th>Close</th></tr>\
                <tr><td>2025-01-27</td><td class=close>118.42</td></tr></table></body></html>";
    let p = page("https://x.example/p", "text/html", html);
    let sel = crate::spec::Locator::Select("table.prices td.close".into());
    assert_eq!(
        run(&figure("118.4", sel, None), &Within::Main, &p).verdict,
        Verdict::Supported
    );
    let f = run(
        &figure("$120", cell("2025-01-27", "Close"), Some("2%")),
        &Within::Main,
        &p,
    );
    assert_eq!(f.verdict, Verdict::Supported, "{f:?}");
    assert_eq!(f.value.as_deref(), Some("118.42 USD"));
}

const PRICES: &str = "Date,Symbol,Open,High,Low,Close\n\
    2023-01-27,NVDA,19.46,20.63,19.41,20.365\n\
    2025-01-24,NVDA,148.37,148.97,141.88,142.6199951171875\n\
    2025-01-27,NVDA,124.80000305175781,128.4,116.7,118.42\n";

fn change(from: (&str, &str), to: (&str, &str)) -> crate::spec::Locator {
    crate::spec::Locator::Change {
        from: Box::new(cell(from.0, from.1)),
        to: Box::new(cell(to.0, to.1)),
    }
}

#[test]
fn change_between_csv_cells() {
    let p = page("https://x.example/NVDA.csv", "text/plain", PRICES);
    let fell = change(("2025-01-24", "Close"), ("2025-01-27", "Open"));
    let f = run(&figure("as much as -12%", fell, None), &Within::Main, &p);
    assert_eq!(f.verdict, Verdict::Supported, "{f:?}");
    assert!(
        f.reason
            .starts_with("located -12.49% as the change from 142.6"),
        "{}",
        f.reason
    );
    assert_eq!(f.value.as_deref(), Some("-12.4947%"));
    let doubled = change(("2023-01-27", "Close"), ("2025-01-24", "Close"));
    let f = run(&figure("about 100%", doubled, None), &Within::Main, &p);
    assert_eq!(f.verdict, Verdict::Disputed, "{f:?}");
    let missing = change(("2025-01-25", "Close"), ("2025-01-27", "Close"));
    let f = run(&figure("-10%", missing, None), &Within::Main, &p);
    assert_eq!(f.verdict, Verdict::NotFound);
    assert!(
        f.reason.starts_with("`from`: no row \"2025-01-25\""),
        "{}",
        f.reason
    );
}

#[test]
fn markdown_table_cells_with_bold_figures() {
    let md = "| Category | Benchmark (Metric) | OpenAI o1-1217 | DeepSeek R1 |\n|---|---|---|---|\n\
              | Math | AIME 2024 (Pass@1) | 79.2 | **79.8** |\n| | MATH-500 (Pass@1) | 96.4 | **97.3** |\n";
    let p = page("https://x.example/README.md", "text/plain", md);
    let key = |row: &str, column: &str| {
        crate::spec::Locator::Cell(crate::spec::CellRef {
            row: row.into(),
            column: column.into(),
            key: Some("Benchmark (Metric)".into()),
            table: None,
        })
    };
    let beats = crate::spec::Locator::Change {
        from: Box::new(key("AIME 2024 (Pass@1)", "OpenAI o1-1217")),
        to: Box::new(key("AIME 2024 (Pass@1)", "DeepSeek R1")),
    };
    let f = run(&figure("more than 0%", beats, None), &Within::Main, &p);
    assert_eq!(f.verdict, Verdict::Supported, "{f:?}");
    let f = run(
        &figure("97.3", key("MATH-500 (Pass@1)", "DeepSeek R1"), None),
        &Within::Main,
        &p,
    );
    assert_eq!(f.verdict, Verdict::Supported, "{f:?}");
}

#[test]
fn date_checks_with_tolerance() {
    let md = "**Published:** February 04, 2026 21:49 UTC\n**Original Published:** January 15, 2025 00:00 UTC\n";
    let p = page("https://x.example/post.md", "text/plain", md);
    let date = |claimed: &str, tolerance: Option<&str>| {
        check(CheckKind::Date(crate::spec::FigureCheck {
            figure: None,
            claimed: claimed.into(),
            locator: near("Original Published"),
            tolerance: tolerance.map(str::to_string),
        }))
    };
    let f = run(&date("2025-01-13", Some("3d")), &Within::Main, &p);
    assert_eq!(f.verdict, Verdict::Supported, "{f:?}");
    assert_eq!(f.value.as_deref(), Some("2025-01-15"));
    assert_eq!(
        run(&date("2025-01-13", None), &Within::Main, &p).verdict,
        Verdict::Disputed
    );
    assert_eq!(
        run(&date("January 15, 2025", None), &Within::Main, &p).verdict,
        Verdict::Supported
    );
    let csv = page("https://x.example/p.csv", "text/plain", PRICES);
    let c = check(CheckKind::Date(crate::spec::FigureCheck {
        figure: None,
        claimed: "2025-01-27".into(),
        locator: cell("2025-01-27", "Date"),
        tolerance: None,
    }));
    assert_eq!(run(&c, &Within::Main, &csv).verdict, Verdict::Supported);
}

/// A page whose text is split between the article, a sidebar and places readers do not see.
const SPREAD: &str = r#"<!doctype html><html><head><title>Budget 2021 explained</title>
<meta name="description" content="How the Straße budget was won"></head><body>
<article><p>The budget passed after a long debate in the chamber, which went on for most of
the night. Members voted late, and the result was announced at dawn to a tired room.</p>
<p>More than two hundred characters of article text make this the main content of the page.</p>
<img src="chart.png" alt="Chart of spending by ministry"></article>
<aside class="related-stories"><p>Related: Opposition plans appeal</p></aside>
<div hidden><p>Embargoed until Monday</p></div>
</body></html>"#;

#[test]
fn misses_say_where_else_on_the_page_the_text_is() {
    let p = page("https://news.example/budget", "text/html", SPREAD);
    let contains = |text: &str, within: &Within| {
        run(&check(CheckKind::Contains(text.into())), within, &p).reason
    };
    assert_eq!(
        contains("opposition plans appeal", &Within::Main),
        "\"opposition plans appeal\" does not appear in the main content, but appears elsewhere \
         on the page (use within = \"page\")"
    );
    assert_eq!(
        contains(
            "Opposition plans appeal",
            &Within::Selector("article".into())
        ),
        "\"Opposition plans appeal\" does not appear in the elements matching `article`, but \
         appears elsewhere on the page (use within = \"page\")"
    );
    assert_eq!(
        contains("chart of spending", &Within::Page),
        "\"chart of spending\" does not appear in the page, but appears in the alt text of an \
         <img>, which is not visible text (text checks read what readers see)"
    );
    assert!(
        contains("STRASSE budget", &Within::Main)
            .ends_with("but appears in the content of <meta name=\"description\">, which is not visible text (text checks read what readers see)"),
    );
    assert!(
        contains("Embargoed until Monday", &Within::Main).contains("but appears in a hidden <div>")
    );
    assert!(contains("Budget 2021 explained", &Within::Main).contains("the page's <title>"));
    assert_eq!(
        contains("nowhere at all", &Within::Main),
        "\"nowhere at all\" does not appear in the main content"
    );
}

#[test]
fn absent_and_matches_misses_say_where_else_too() {
    let p = page("https://news.example/budget", "text/html", SPREAD);
    let f = run(
        &check(CheckKind::Absent("plans appeal".into())),
        &Within::Main,
        &p,
    );
    assert_eq!(f.verdict, Verdict::Supported);
    assert!(
        f.reason
            .ends_with("but appears elsewhere on the page (use within = \"page\")"),
        "{}",
        f.reason
    );
    let re = crate::spec::Pattern::checked(r"Opposition \w+".to_string());
    let f = run(&check(CheckKind::Matches(re)), &Within::Main, &p);
    assert_eq!(f.verdict, Verdict::NotFound);
    assert_eq!(
        f.reason,
        "/Opposition \\w+/ matches nothing in the main content, but matches elsewhere on the \
         page (use within = \"page\")"
    );
    // Not folded: the regex is case-sensitive here too.
    let re = crate::spec::Pattern::checked(r"opposition".to_string());
    let f = run(&check(CheckKind::Matches(re)), &Within::Main, &p);
    assert_eq!(f.reason, "/opposition/ matches nothing in the main content");
}

#[test]
fn elsewhere_is_quiet_for_other_formats_and_found_text() {
    let p = page("https://x.example/LICENSE", "text/plain", "MIT License");
    assert_eq!(elsewhere(&p, &Within::Main, "Apache", false), None);
    let h = page("https://news.example/budget", "text/html", SPREAD);
    assert_eq!(elsewhere(&h, &Within::Page, "nowhere at all", false), None);
    assert!(elsewhere(&h, &Within::Main, "related: opposition", false).is_some());
}

proptest::proptest! {
    /// The cheap test before normalising an unseen text never rules out a text where the
    /// needle is found.
    #[test]
    fn may_hold_never_rules_out_a_find(
        text in proptest::collection::vec(proptest::sample::select(UNSEEN_PIECES.to_vec()), 0..12),
        needle in proptest::collection::vec(proptest::sample::select(UNSEEN_PIECES.to_vec()), 1..4),
        case_sensitive in proptest::bool::ANY,
    ) {
        let text = text.concat().split_whitespace().collect::<Vec<_>>().join(" ");
        let wanted = crate::text::normalize_needle(&needle.concat(), case_sensitive);
        if Normalized::new(&text, case_sensitive).find(&wanted).is_some() {
            proptest::prop_assert!(super::may_hold(&text, &wanted, case_sensitive));
        }
    }
}

proptest::proptest! {
    /// On ASCII, the cheap test is a search ignoring ASCII case, as a window at a time finds.
    #[test]
    fn may_hold_searches_ascii_ignoring_case(
        text in "[aAbB .Ss-]{0,40}",
        wanted in "[ab .s-]{1,5}",
    ) {
        let naive = text
            .as_bytes()
            .windows(wanted.len())
            .any(|w| w.eq_ignore_ascii_case(wanted.as_bytes()));
        proptest::prop_assert_eq!(super::may_hold(&text, &wanted, false), naive);
    }
}

const UNSEEN_PIECES: [&str; 12] = [
    "Chart", "chart", " ", "of", "SPENDING", "ﬁ", "Ｃ", "\u{17f}", "é", "e\u{301}", "\t", "-",
];
