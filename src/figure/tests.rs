//! Table-driven tests of reading and comparing figures, and property tests.

use proptest::prelude::*;

use super::*;
use crate::spec::Verdict;

const USD: Unit = Unit::Currency("USD");

/// What reading `text` as a claim gives: (low, high, unit, hedge, precision).
fn read(text: &str) -> Option<(f64, f64, Unit, Hedge, f64)> {
    parse_claimed(text)
        .ok()
        .map(|f| (f.low, f.high, f.unit, f.hedge, f.precision))
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

#[test]
fn parse_table() {
    use Hedge::*;
    let cases: &[(&str, f64, f64, Unit, Hedge, f64)] = &[
        ("5.6", 5.6, 5.6, Unit::None, Exact, 0.05),
        ("$5.6 million", 5.6e6, 5.6e6, USD, Exact, 0.05e6),
        ("$5.576M", 5.576e6, 5.576e6, USD, Exact, 0.0005e6),
        ("5,576,000 USD", 5_576_000.0, 5_576_000.0, USD, Exact, 0.5),
        (
            "5 576 000",
            5_576_000.0,
            5_576_000.0,
            Unit::None,
            Exact,
            0.5,
        ),
        (
            "5\u{2009}576\u{2009}000",
            5_576_000.0,
            5_576_000.0,
            Unit::None,
            Exact,
            0.5,
        ),
        ("5\u{a0}576", 5576.0, 5576.0, Unit::None, Exact, 0.5),
        ("2.788M", 2.788e6, 2.788e6, Unit::None, Exact, 0.0005e6),
        ("671B", 671e9, 671e9, Unit::None, Exact, 0.5e9),
        (
            "14.8 trillion",
            14.8e12,
            14.8e12,
            Unit::None,
            Exact,
            0.05e12,
        ),
        ("14.8T", 14.8e12, 14.8e12, Unit::None, Exact, 0.05e12),
        ("€3bn", 3e9, 3e9, Unit::Currency("EUR"), Exact, 0.5e9),
        ("$3bn", 3e9, 3e9, USD, Exact, 0.5e9),
        ("£2.5m", 2.5e6, 2.5e6, Unit::Currency("GBP"), Exact, 0.05e6),
        ("US$1.2 billion", 1.2e9, 1.2e9, USD, Exact, 0.05e9),
        ("USD 40 million", 40e6, 40e6, USD, Exact, 0.5e6),
        ("EUR 12", 12.0, 12.0, Unit::Currency("EUR"), Exact, 0.5),
        ("GBP 7.5", 7.5, 7.5, Unit::Currency("GBP"), Exact, 0.05),
        ("¥100", 100.0, 100.0, Unit::Currency("JPY/CNY"), Exact, 0.5),
        (
            "10 billion yuan",
            10e9,
            10e9,
            Unit::Currency("CNY"),
            Exact,
            0.5e9,
        ),
        (
            "RMB 8 million",
            8e6,
            8e6,
            Unit::Currency("CNY"),
            Exact,
            0.5e6,
        ),
        ("3 mn dollars", 3e6, 3e6, USD, Exact, 0.5e6),
        ("10K", 10e3, 10e3, Unit::None, Exact, 0.5e3),
        ("12 thousand", 12e3, 12e3, Unit::None, Exact, 0.5e3),
        ("12%", 12.0, 12.0, Unit::Percent, Exact, 0.5),
        ("12 %", 12.0, 12.0, Unit::Percent, Exact, 0.5),
        ("-12%", -12.0, -12.0, Unit::Percent, Exact, 0.5),
        ("−12.5%", -12.5, -12.5, Unit::Percent, Exact, 0.05),
        ("+3.1%", 3.1, 3.1, Unit::Percent, Exact, 0.05),
        ("12 percent", 12.0, 12.0, Unit::Percent, Exact, 0.5),
        ("12 per cent", 12.0, 12.0, Unit::Percent, Exact, 0.5),
        ("0.5 percentage points", 0.5, 0.5, Unit::Points, Exact, 0.05),
        ("0.5pp", 0.5, 0.5, Unit::Points, Exact, 0.05),
        ("-$5.6 million", -5.6e6, -5.6e6, USD, Exact, 0.05e6),
        ("about $5.6 million", 5.6e6, 5.6e6, USD, About, 0.05e6),
        ("around 12%", 12.0, 12.0, Unit::Percent, About, 0.5),
        ("roughly 2 million", 2e6, 2e6, Unit::None, About, 0.5e6),
        ("approximately 40", 40.0, 40.0, Unit::None, About, 0.5),
        ("~40", 40.0, 40.0, Unit::None, About, 0.5),
        ("nearly 2 million", 2e6, 2e6, Unit::None, Nearly, 0.5e6),
        ("almost 2 million", 2e6, 2e6, Unit::None, Nearly, 0.5e6),
        ("more than $65 billion", 65e9, 65e9, USD, MoreThan, 0.5e9),
        ("over 100", 100.0, 100.0, Unit::None, MoreThan, 0.5),
        ("above 3%", 3.0, 3.0, Unit::Percent, MoreThan, 0.5),
        ("> 3%", 3.0, 3.0, Unit::Percent, MoreThan, 0.5),
        ("at least 10", 10.0, 10.0, Unit::None, AtLeast, 0.5),
        ("≥ 10", 10.0, 10.0, Unit::None, AtLeast, 0.5),
        ("less than 5%", 5.0, 5.0, Unit::Percent, LessThan, 0.5),
        ("under $1 billion", 1e9, 1e9, USD, LessThan, 0.5e9),
        ("below 2", 2.0, 2.0, Unit::None, LessThan, 0.5),
        ("up to 33B", 33e9, 33e9, Unit::None, AtMost, 0.5e9),
        ("at most 7", 7.0, 7.0, Unit::None, AtMost, 0.5),
        (
            "as much as -12%",
            -12.0,
            -12.0,
            Unit::Percent,
            AsMuchAs,
            0.5,
        ),
        ("as much as 12%", 12.0, 12.0, Unit::Percent, AsMuchAs, 0.5),
        ("more than -4%", -4.0, -4.0, Unit::Percent, MoreThan, 0.5),
        ("60–65 billion", 60e9, 65e9, Unit::None, Exact, 0.5e9),
        ("$60 billion to $65 billion", 60e9, 65e9, USD, Exact, 0.5e9),
        ("between 60 and 65", 60.0, 65.0, Unit::None, Exact, 0.5),
        ("1B to 33B", 1e9, 33e9, Unit::None, Exact, 0.5e9),
        ("10-20%", 10.0, 20.0, Unit::Percent, Exact, 0.5),
        ("**79.8**", 79.8, 79.8, Unit::None, Exact, 0.05),
        ("<b>79.8</b>", 79.8, 79.8, Unit::None, Exact, 0.05),
        ("$0.6$", 0.6, 0.6, Unit::None, Exact, 0.05),
        ("2024", 2024.0, 2024.0, Unit::None, Exact, 0.5),
        ("1,000", 1000.0, 1000.0, Unit::None, Exact, 0.5),
        ("0.25", 0.25, 0.25, Unit::None, Exact, 0.005),
    ];
    for (text, low, high, unit, hedge, precision) in cases {
        let got = read(text).unwrap_or_else(|| panic!("no figure in {text:?}"));
        assert!(close(got.0, *low) && close(got.1, *high), "{text}: {got:?}");
        assert_eq!((got.2, got.3), (*unit, *hedge), "{text}");
        assert!(close(got.4, *precision), "{text}: precision {}", got.4);
    }
}

#[test]
fn numbers_in_names_versions_dates_and_times_are_not_figures() {
    let cases = [
        "H800",
        "GPT-4o",
        "GPT-4",
        "Llama3.1",
        "Qwen2.5-32B",
        "DeepSeek-V3",
        "R1-Zero",
        "AIME 2024 (Pass@1)",
        "vllm==0.6.6.post1",
        "v2.5.1",
        "2025-01-15",
        "21:49",
        "January 27, 2025",
        "27 Jan 2025",
        "the 2nd model",
        "a 3D render",
        "since 2023",
        "2023-2025",
        "MMLU-Pro",
        "Claude-3.5-Sonnet-1022",
    ];
    for text in cases {
        let found: Vec<String> = scan(text).into_iter().map(|f| f.text).collect();
        assert!(found.is_empty(), "{text}: {found:?}");
    }
}

#[test]
fn scanning_prose_finds_each_figure_with_its_span() {
    let text = "DeepSeek-V3 requires only 2.788M H800 GPU hours; our total training costs amount \
                to only $5.576M. Nvidia fell as much as 12% on Jan. 27, 2025, and Meta plans \
                more than $65 billion.";
    let found: Vec<&str> = scan(text)
        .iter()
        .map(|f| &text[f.span.clone()])
        .collect::<Vec<_>>()
        .into_iter()
        .collect();
    assert_eq!(
        found,
        [
            "2.788M",
            "$5.576M",
            "as much as 12%",
            "more than $65 billion"
        ]
    );
}

#[test]
fn scanning_tables_and_csv() {
    let csv = "Date,Symbol,Open,Close\n2025-01-27,NVDA,124.80000305175781,118.41999816894531\n";
    let values: Vec<f64> = scan(csv).iter().map(|f| f.low).collect();
    assert_eq!(values, [124.800_003_051_757_81, 118.419_998_168_945_31]);
    let row = "Math\tAIME 2024 (Pass@1)\t16.0\t9.3\t39.2\t63.6\t79.2\t79.8";
    let values: Vec<f64> = scan(row).iter().map(|f| f.low).collect();
    assert_eq!(values, [16.0, 9.3, 39.2, 63.6, 79.2, 79.8]);
}

#[test]
fn claims_with_two_figures_or_none_are_errors() {
    assert!(matches!(
        parse_claimed("cheap"),
        Err(FigureError::NoFigure(_))
    ));
    assert!(matches!(
        parse_claimed("$5 and $6"),
        Err(FigureError::Several { .. })
    ));
}

/// (claimed, located, tolerance, verdict)
#[test]
fn compare_table() {
    use Verdict::*;
    let cases: &[(&str, &str, Option<&str>, Verdict)] = &[
        ("$5.6 million", "$5.576M", None, Supported),
        ("$5.6 million", "$5.55M", None, Supported),
        ("$5.6 million", "$5.549M", None, Disputed),
        ("$5.6 million", "$5.65M", None, Disputed),
        ("$5.6 million", "$5.649M", None, Supported),
        ("$5.6 million", "5.576", None, Disputed),
        ("$5.6 million", "5,576,000", None, Supported),
        ("$5.6 million", "5.576M", None, Supported),
        ("$5.6 million", "€5.6 million", None, NotFound),
        ("$5.6 million", "5.6%", None, NotFound),
        ("12%", "12.4%", None, Supported),
        ("12%", "12.5%", None, Disputed),
        ("12%", "11.5%", None, Supported),
        ("12%", "11.4%", None, Disputed),
        ("12%", "13%", Some("1pp"), Supported),
        ("12%", "13.1%", Some("1pp"), Disputed),
        ("12%", "12.2%", Some("2%"), Supported),
        ("$5.6 million", "$5.7M", Some("0.1"), Supported),
        ("$5.6 million", "$5.71M", Some("0.1"), Disputed),
        ("about $5.6 million", "$5.32M", None, Supported),
        ("about $5.6 million", "$5.31M", None, Disputed),
        ("about $5.6 million", "$5.88M", None, Supported),
        ("about $5.6 million", "$5.89M", None, Disputed),
        ("about 100%", "600%", None, Disputed),
        ("nearly 2 million", "1.95 million", None, Supported),
        ("nearly 2 million", "1.9 million", None, Supported),
        ("nearly 2 million", "1.89 million", None, Disputed),
        ("nearly 2 million", "2 million", None, Disputed),
        ("more than $65 billion", "$65.1 billion", None, Supported),
        ("more than $65 billion", "$65 billion", None, Disputed),
        ("at least 65", "65", None, Supported),
        ("at least 65", "64.9", None, Disputed),
        ("less than 5%", "4.9%", None, Supported),
        ("less than 5%", "5%", None, Disputed),
        ("at most 5%", "5%", None, Supported),
        ("up to 33B", "34B", None, Disputed),
        ("as much as 12%", "12.4%", None, Supported),
        ("as much as 12%", "13%", None, Disputed),
        ("as much as -12%", "-12.495%", None, Supported),
        ("as much as -12%", "-12.6%", None, Disputed),
        ("as much as -12%", "12.2%", None, Disputed),
        ("more than -4%", "-4.2%", None, Supported),
        ("more than -4%", "-3.9%", None, Disputed),
        ("more than -4%", "4.2%", None, Disputed),
        ("more than -2%", "1.9%", None, Disputed),
        ("more than -2%", "-19.1%", None, Supported),
        ("less than -4%", "-3%", None, Supported),
        ("less than -4%", "3%", None, Disputed),
        ("more than 0%", "0.76%", None, Supported),
        ("more than 0%", "-1.09%", None, Disputed),
        ("60–65 billion", "62 billion", None, Supported),
        ("60–65 billion", "66 billion", None, Disputed),
        ("more than 50", "60-70", None, Supported),
        ("more than 50", "40-45", None, Disputed),
        ("more than 50", "40-60", None, Disputed),
        ("79.2", "**79.2**", None, Supported),
    ];
    for (claimed, located, tolerance, verdict) in cases {
        let c = parse_claimed(claimed).expect("claimed");
        let l = parse_claimed(located).expect("located");
        let t = tolerance.map(|t| parse_tolerance(t).expect("tolerance"));
        let outcome = compare(&c, &l, t);
        assert_eq!(
            outcome.verdict, *verdict,
            "{claimed} vs {located} ({tolerance:?}): {}",
            outcome.reason
        );
    }
}

#[test]
fn reasons_say_what_the_claim_means() {
    let c = parse_claimed("$5.6 million").expect("claimed");
    let l = parse_claimed("$5.576M").expect("located");
    assert_eq!(
        compare(&c, &l, None).reason,
        "\"$5.6 million\" means 5.55M ≤ x < 5.65M"
    );
    let c = parse_claimed("more than -4%").expect("claimed");
    assert_eq!(
        compare(&c, &parse_claimed("-3%").expect("l"), None).reason,
        "\"more than -4%\" means x < -4%"
    );
    let c = parse_claimed("more than 50").expect("claimed");
    let partly = compare(&c, &parse_claimed("40-60").expect("l"), None);
    assert!(partly.reason.contains("only partly"), "{}", partly.reason);
    let units = compare(&c, &parse_claimed("$60").expect("l"), None);
    assert_eq!(units.verdict, Verdict::NotFound);
    assert!(units.reason.contains("USD"), "{}", units.reason);
}

#[test]
fn tolerances_parse_or_explain() {
    assert_eq!(parse_tolerance("2%"), Ok(Tolerance::Relative(0.02)));
    assert_eq!(parse_tolerance("0.1"), Ok(Tolerance::Absolute(0.1)));
    assert_eq!(parse_tolerance("0.5pp"), Ok(Tolerance::Points(0.5)));
    assert!(parse_tolerance("lots").is_err());
}

fn unit_strategy() -> impl Strategy<Value = (Unit, &'static str, &'static str)> {
    prop_oneof![
        Just((Unit::None, "", "")),
        Just((USD, "$", "")),
        Just((Unit::Currency("EUR"), "€", "")),
        Just((Unit::Currency("GBP"), "", " GBP")),
        Just((Unit::Percent, "", "%")),
    ]
}

proptest! {
    /// Formatting a value and reading it back gives the value, unit and precision.
    #[test]
    fn format_then_parse_round_trips(
        int in 0u32..1_000_000,
        frac in 0u32..1000,
        decimals in 0usize..4,
        scale in prop_oneof![Just(("", 1.0)), Just((" million", 1e6)), Just(("bn", 1e9)), Just(("K", 1e3))],
        negative in any::<bool>(),
        (unit, before, after) in unit_strategy(),
    ) {
        let frac_digits = if decimals == 0 { String::new() } else {
            format!(".{:0width$}", frac % 10u32.pow(decimals as u32), width = decimals)
        };
        let (scale_text, scale) = if unit == Unit::Percent { ("", 1.0) } else { scale };
        let number = format!("{int}{frac_digits}");
        let sign = if negative { "-" } else { "" };
        let text = format!("{sign}{before}{number}{scale_text}{after}");
        let expected: f64 = number.parse::<f64>().expect("number") * scale * if negative { -1.0 } else { 1.0 };
        // A four-digit integer with nothing around it reads as a year in prose, not in a claim.
        let f = parse_claimed(&text).expect("a figure");
        prop_assert!(close(f.low, expected), "{} read as {}", text, f.low);
        prop_assert_eq!(f.unit, unit);
        prop_assert!(close(f.precision, 0.5 * 10f64.powi(-(decimals as i32)) * scale));
        // And the canonical form reads back to the same value.
        let again = parse_claimed(&format_value(f.low, f.unit)).expect("formatted figure");
        prop_assert!((again.low - f.low).abs() <= again.precision.max(f.low.abs() * 1e-3), "{} -> {}", format_value(f.low, f.unit), again.low);
    }
}

// ---------------------------------------------------------------------------------------------
// The issue "Evidence in the wild": figures as news prose writes them.
// ---------------------------------------------------------------------------------------------

/// Runs `check` on every case and fails once, listing every failing case, so that a table
/// reports all its gaps at a time.
fn every_case<T>(table: &str, cases: &[T], check: impl Fn(&T)) {
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|case| {
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| check(case)))
                .err()
                .map(|e| {
                    e.downcast_ref::<String>()
                        .cloned()
                        .or_else(|| e.downcast_ref::<&str>().map(|s| (*s).to_string()))
                        .unwrap_or_default()
                })
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{table}: {} of {} cases fail:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n---\n")
    );
}

/// A figure expected in a sentence: (its text, low, high, unit, hedge).
type Expected = (&'static str, f64, f64, Unit, Hedge);

/// Scans `text` in `notation` and checks that it holds exactly the `expected` figures, in order.
fn assert_figures(text: &str, notation: Notation, expected: &[Expected]) {
    let found = scan_in(text, notation);
    let texts: Vec<&str> = found.iter().map(|f| f.text.as_str()).collect();
    let wanted: Vec<&str> = expected.iter().map(|e| e.0).collect();
    assert_eq!(texts, wanted, "figures in {text:?}: {found:#?}");
    for (f, (t, low, high, unit, hedge)) in found.iter().zip(expected) {
        assert!(
            close(f.low, *low) && close(f.high, *high),
            "{text:?}, {t:?}: read {}..{}, expected {low}..{high}",
            f.low,
            f.high
        );
        assert_eq!((f.unit, f.hedge), (*unit, *hedge), "{text:?}, {t:?}");
        assert_eq!(f.range, low != high, "{text:?}, {t:?}: range");
    }
}

/// Rule 1: "X to Y" is a change (two figures) unless a range cue joins sides that agree; a
/// descending pair of plain integers joined by a dash is a score, and no figure at all.
#[test]
fn changes_ranges_and_scores_table() {
    use Hedge::*;
    const CNY: Unit = Unit::Currency("CNY");
    const EUR: Unit = Unit::Currency("EUR");
    let cases: &[(&str, &[Expected])] = &[
        // A change: the amount of the change, then where it ended.
        (
            "Quarterly sales climbed 8% to $3.1 billion, the company said.",
            &[
                ("8%", 8.0, 8.0, Unit::Percent, Exact),
                ("$3.1 billion", 3.1e9, 3.1e9, USD, Exact),
            ],
        ),
        (
            "Revenue rose 12% to €4.5bn in the first half.",
            &[
                ("12%", 12.0, 12.0, Unit::Percent, Exact),
                ("€4.5bn", 4.5e9, 4.5e9, EUR, Exact),
            ],
        ),
        (
            "Shares of the carmaker jumped 3% to 120 yuan in Shanghai.",
            &[
                ("3%", 3.0, 3.0, Unit::Percent, Exact),
                ("120 yuan", 120.0, 120.0, CNY, Exact),
            ],
        ),
        (
            "The jobless rate fell 0.2 percentage points to 4.1% in March.",
            &[
                ("0.2 percentage points", 0.2, 0.2, Unit::Points, Exact),
                ("4.1%", 4.1, 4.1, Unit::Percent, Exact),
            ],
        ),
        // Sides with different units are never one range, even when one has no unit.
        (
            "The benchmark index fell 1.2% to 5,600 on Friday.",
            &[
                ("1.2%", 1.2, 1.2, Unit::Percent, Exact),
                ("5,600", 5600.0, 5600.0, Unit::None, Exact),
            ],
        ),
        (
            "Subscribers grew 25% to 1.2 million over the year.",
            &[
                ("25%", 25.0, 25.0, Unit::Percent, Exact),
                ("1.2 million", 1.2e6, 1.2e6, Unit::None, Exact),
            ],
        ),
        // "from" makes a change, whichever way it goes.
        (
            "Its market value fell from $30 billion to $5 billion in two years.",
            &[
                ("$30 billion", 30e9, 30e9, USD, Exact),
                ("$5 billion", 5e9, 5e9, USD, Exact),
            ],
        ),
        (
            "Support for the measure rose from 18% to 27% over the summer.",
            &[
                ("18%", 18.0, 18.0, Unit::Percent, Exact),
                ("27%", 27.0, 27.0, Unit::Percent, Exact),
            ],
        ),
        (
            "The fleet grew from 60 to 65 aircraft.",
            &[
                ("60", 60.0, 60.0, Unit::None, Exact),
                ("65", 65.0, 65.0, Unit::None, Exact),
            ],
        ),
        (
            "Turnout went from about 18% to 27% in the district.",
            &[
                ("about 18%", 18.0, 18.0, Unit::Percent, About),
                ("27%", 27.0, 27.0, Unit::Percent, Exact),
            ],
        ),
        // Ranges: a cue, units that agree, ascending.
        (
            "Analysts expect between 60 and 65 launches this year.",
            &[("between 60 and 65", 60.0, 65.0, Unit::None, Exact)],
        ),
        (
            "The company guided for capital spending of 60–65 billion.",
            &[("60–65 billion", 60e9, 65e9, Unit::None, Exact)],
        ),
        (
            "The ministry expects 60 to 65 billion in new investment.",
            &[("60 to 65 billion", 60e9, 65e9, Unit::None, Exact)],
        ),
        (
            "The deal is valued at between $1.2 billion and $1.5 billion.",
            &[(
                "between $1.2 billion and $1.5 billion",
                1.2e9,
                1.5e9,
                USD,
                Exact,
            )],
        ),
        (
            "Prices are expected to rise between 5% and 7% next year.",
            &[("between 5% and 7%", 5.0, 7.0, Unit::Percent, Exact)],
        ),
        (
            "Forecasters called for 10 to 12 inches of snow.",
            &[("10 to 12 inches", 10.0, 12.0, Unit::Measure("in"), Exact)],
        ),
        (
            "The survey covered adults aged 18–24 in six states.",
            &[("18–24", 18.0, 24.0, Unit::None, Exact)],
        ),
        // Scores: descending plain integers joined by a dash.
        ("The Knicks beat the Celtics 98-91 on Sunday.", &[]),
        ("Boston won the final game by a score of 112–104.", &[]),
        ("The visitors held on for a 27 - 17 victory.", &[]),
        ("The match ended in a 1-1 draw.", &[]),
        (
            "A 3-1 series lead gave the Heat a 70% chance of advancing.",
            &[("70%", 70.0, 70.0, Unit::Percent, Exact)],
        ),
    ];
    every_case("changes, ranges and scores", cases, |(text, expected)| {
        assert_figures(text, Notation::Point, expected);
    });
}

/// Rule 2: a hedge before a number is part of the figure, and `core_start` is where the number
/// (or its currency or sign) starts. (sentence, the figure's span, from its core, hedge, unit)
#[test]
fn hedges_are_part_of_the_figure_table() {
    use Hedge::*;
    let cases: &[(&str, &str, &str, Hedge, Unit)] = &[
        (
            "The river flooded around 120 homes overnight.",
            "around 120",
            "120",
            About,
            Unit::None,
        ),
        (
            "Meta plans to spend more than $65 billion this year.",
            "more than $65 billion",
            "$65 billion",
            MoreThan,
            USD,
        ),
        (
            "The storm left nearly 2 million customers without power.",
            "nearly 2 million",
            "2 million",
            Nearly,
            Unit::None,
        ),
        (
            "At least 30 people died in the blast.",
            "At least 30",
            "30",
            AtLeast,
            Unit::None,
        ),
        (
            "Forecasters warned of up to 40 cm of snow in the Alps.",
            "up to 40 cm",
            "40 cm",
            AtMost,
            Unit::Measure("cm"),
        ),
        (
            "The startup has fewer than 500 employees.",
            "fewer than 500",
            "500",
            LessThan,
            Unit::None,
        ),
        (
            "As many as 10,000 fans packed the square.",
            "As many as 10,000",
            "10,000",
            AsMuchAs,
            Unit::None,
        ),
        (
            "Some 3,000 troops were sent to the border.",
            "Some 3,000",
            "3,000",
            About,
            Unit::None,
        ),
        (
            "The acquisition is worth approximately €2.3bn.",
            "approximately €2.3bn",
            "€2.3bn",
            About,
            Unit::Currency("EUR"),
        ),
        (
            "The bank said profit dropped roughly -3.5% on the year.",
            "roughly -3.5%",
            "-3.5%",
            About,
            Unit::Percent,
        ),
        (
            "Airlines cancelled over 2,500 flights on Monday.",
            "over 2,500",
            "2,500",
            MoreThan,
            Unit::None,
        ),
        (
            "The grid can now deliver ~40 GW at peak.",
            "~40 GW",
            "40 GW",
            About,
            Unit::Measure("GW"),
        ),
        (
            "Temperatures could reach as high as 45°C by Friday.",
            "as high as 45°C",
            "45°C",
            AsMuchAs,
            Unit::Measure("°C"),
        ),
        (
            "Ottawa pledged more than C$2 billion for the project.",
            "more than C$2 billion",
            "C$2 billion",
            MoreThan,
            Unit::Currency("CAD"),
        ),
        (
            "Inflation stayed under 2% for the third month.",
            "under 2%",
            "2%",
            LessThan,
            Unit::Percent,
        ),
    ];
    every_case("hedges", cases, |(text, span, core, hedge, unit)| {
        let found = scan(text);
        assert_eq!(found.len(), 1, "{text:?}: {found:#?}");
        let f = &found[0];
        assert_eq!(&text[f.span.clone()], *span, "{text:?}: span");
        assert_eq!(&text[f.core_start..f.span.end], *core, "{text:?}: core");
        assert_eq!((f.hedge, f.unit), (*hedge, *unit), "{text:?}");
    });
}

/// Rule 3: a hedged located figure is an interval; it supports when it lies within the claim's
/// accepted interval, disputes when they don't meet, and is not found when they only partly do.
/// (claimed, located, verdict)
#[test]
fn hedged_sources_table() {
    use Verdict::*;
    let cases: &[(&str, &str, Verdict)] = &[
        ("more than 2,000", "more than 2,500", Supported),
        ("at least 2,500", "more than 2,500", Supported),
        ("more than 2,500", "at least 2,500", NotFound),
        ("2,500", "more than 2,500", NotFound),
        ("2,000", "more than 2,500", Disputed),
        ("about 2,600", "more than 2,500", NotFound),
        ("less than 3,000", "more than 2,500", NotFound),
        ("fewer than 1,000", "more than 2,500", Disputed),
        ("about 100", "nearly 100", Supported),
        ("more than 50%", "almost 50%", Disputed),
        ("about $5.6 million", "around $5.6 million", Supported),
        ("at most 10%", "up to 10%", Supported),
        ("less than 10%", "up to 10%", NotFound),
        ("less than 10%", "under 8%", Supported),
        ("more than 1,200", "less than 1,000", Disputed),
        ("about 40 GW", "more than 40,000 MW", NotFound),
        ("more than 30 GW", "more than 40,000 MW", Supported),
        ("more than $1 billion", "more than 1 billion yen", NotFound),
    ];
    every_case("hedged sources", cases, |(claimed, located, verdict)| {
        let c = parse_claimed(claimed).expect("claimed");
        let l = parse_claimed(located).expect("located");
        let outcome = compare(&c, &l, None);
        assert_eq!(
            outcome.verdict, *verdict,
            "{claimed} vs {located}: {}",
            outcome.reason
        );
    });
    // As the checks meet them: scanned from a sentence.
    let located = &scan("Officials said more than 2,500 homes were destroyed.")[0];
    let claimed = parse_claimed("more than 2,000").expect("claimed");
    assert_eq!(compare(&claimed, located, None).verdict, Supported);
    let claimed = parse_claimed("2,600").expect("claimed");
    assert_eq!(compare(&claimed, located, None).verdict, NotFound);
}

/// Rule 3: the reason shows both intervals.
#[test]
fn hedged_source_reasons_show_both_intervals() {
    let cases: &[(&str, &str, &[&str])] = &[
        (
            "more than 12,000",
            "more than 12,500",
            &["x > 12,000", "x > 12,500"],
        ),
        (
            "about 12,000",
            "more than 12,500",
            &["11,400 ≤ x ≤ 12,600", "x > 12,500"],
        ),
        (
            "12,000",
            "more than 12,500",
            &["11,999.5 ≤ x < 12,000.5", "x > 12,500"],
        ),
        (
            "at most 12,000",
            "fewer than 11,000",
            &["x ≤ 12,000", "x < 11,000"],
        ),
        (
            "more than 12,000",
            "nearly 20,000",
            &["x > 12,000", "19,000 ≤ x < 20,000"],
        ),
    ];
    every_case(
        "hedged source reasons",
        cases,
        |(claimed, located, parts)| {
            let c = parse_claimed(claimed).expect("claimed");
            let l = parse_claimed(located).expect("located");
            let reason = compare(&c, &l, None).reason;
            for part in *parts {
                assert!(
                    reason.contains(part),
                    "{claimed} vs {located}: {reason:?} lacks {part:?}"
                );
            }
            assert!(
                reason.contains(located),
                "{claimed} vs {located}: {reason:?}"
            );
        },
    );
}

/// Rule 4: numbers that are not figures. (sentence, the figures it does hold)
#[test]
fn not_figures_in_prose_table() {
    let cases: &[(&str, &[&str])] = &[
        ("The Lakers won 98-91 in overtime.", &[]),
        ("For tickets, call 212-555-0100 before noon.", &[]),
        ("The box office, (212) 555-0100, opens at ten.", &[]),
        ("Readers can reach the desk at 555-0100.", &[]),
        ("Our Tokyo bureau can be reached on 03-1234-5678.", &[]),
        ("The London office answers on +44 20 7946 0958.", &[]),
        ("The firm moved to New York, NY 10001, last year.", &[]),
        ("Its headquarters are in Suite 200 of the tower.", &[]),
        ("The hearing was moved to Room 12.", &[]),
        ("Diners line the old Route 66 through Arizona.", &[]),
        ("Protesters gathered outside 10 Downing Street.", &[]),
        ("The Empire State Building stands at 350 Fifth Avenue.", &[]),
        ("Workers may save more through a 401(k) plan.", &[]),
        ("The charity is a 501(c)(3) organization.", &[]),
        ("He sank a 3-pointer at the buzzer.", &[]),
        ("A 10-year-old boy was rescued from the river.", &["10"]),
        ("He sank a 3-pointer and a five-star finish.", &[]),
        ("COVID-19 spread quickly through the care homes.", &[]),
        (
            "COVID\u{2011}19 spread quickly through the care homes.",
            &[],
        ),
        ("The pharmacy is open 24/7.", &[]),
        ("The 9/11 memorial drew large crowds.", &[]),
        ("Agent 007 returns in the new film.", &[]),
        // Mixed with real figures.
        (
            "The 10-year-old scored 12 points in a 98-91 win.",
            &["10", "12"],
        ),
        (
            "The charity, a 501(c)(3) group, raised $4.2 million.",
            &["$4.2 million"],
        ),
        (
            "Staff may put up to 6% of pay into their 401(k) accounts.",
            &["up to 6%"],
        ),
        (
            "Its offices at 350 Fifth Avenue house 1,200 workers.",
            &["1,200"],
        ),
        (
            "COVID-19 has killed more than 1.1 million Americans.",
            &["more than 1.1 million"],
        ),
        ("The diner is open 24/7 and employs 45 people.", &["45"]),
        ("Call 555-0100 to claim a 20% discount.", &["20%"]),
        ("Room 12 held 30 students.", &["30"]),
        (
            "The 9/11 attacks killed nearly 3,000 people.",
            &["nearly 3,000"],
        ),
        (
            "Route 66 stretches 2,448 miles from Chicago to Santa Monica.",
            &["2,448 miles"],
        ),
        (
            "Suite 200, New York, NY 10001 now rents for $12,000 a month.",
            &["$12,000"],
        ),
        (
            "Dial (212) 555-0100 or +44 20 7946 0958; tickets cost $45.",
            &["$45"],
        ),
    ];
    every_case("not figures", cases, |(text, expected)| {
        let found: Vec<String> = scan(text).into_iter().map(|f| f.text).collect();
        assert_eq!(found, *expected, "{text:?}");
    });
}

/// Rule 5: units of measure and currencies after (or before) a number. "people" is not a unit.
#[test]
fn units_of_measure_and_currencies_table() {
    use Hedge::*;
    let ms = Unit::Measure;
    let cur = Unit::Currency;
    let cases: &[(&str, f64, Unit)] = &[
        // Power and energy.
        ("8,690 MW", 8690.0, ms("MW")),
        ("4.2GW", 4.2, ms("GW")),
        ("1,200 kW", 1200.0, ms("kW")),
        ("60 W", 60.0, ms("W")),
        ("2 TW", 2.0, ms("TW")),
        ("3.5 gigawatts", 3.5, ms("GW")),
        ("350 TWh", 350.0, ms("TWh")),
        ("12.5 kWh", 12.5, ms("kWh")),
        ("2 GWh", 2.0, ms("GWh")),
        ("800 MWh", 800.0, ms("MWh")),
        ("40 Wh", 40.0, ms("Wh")),
        // Length.
        ("5 mm", 5.0, ms("mm")),
        ("30 cm", 30.0, ms("cm")),
        ("400 m", 400.0, ms("m")),
        ("42.2 km", 42.2, ms("km")),
        ("26.2 miles", 26.2, ms("mi")),
        ("500 mi", 500.0, ms("mi")),
        ("29,032 feet", 29_032.0, ms("ft")),
        ("8,000 ft", 8000.0, ms("ft")),
        // Speed.
        ("65 mph", 65.0, ms("mph")),
        ("120 km/h", 120.0, ms("km/h")),
        ("100 kph", 100.0, ms("km/h")),
        ("140 knots", 140.0, ms("kn")),
        // Mass.
        ("75 kg", 75.0, ms("kg")),
        ("500 grams", 500.0, ms("g")),
        ("3 tonnes", 3.0, ms("t")),
        ("1.2 million metric tons", 1.2e6, ms("t")),
        ("200 lbs", 200.0, ms("lb")),
        ("150 lb", 150.0, ms("lb")),
        // Oil.
        ("1.5 million barrels", 1.5e6, ms("bbl")),
        ("1.5 million barrels a day", 1.5e6, ms("bbl/d")),
        ("900,000 bpd", 900_000.0, ms("bbl/d")),
        // Temperature.
        ("40°C", 40.0, ms("°C")),
        ("104°F", 104.0, ms("°F")),
        ("38 degrees Celsius", 38.0, ms("°C")),
        ("-5 °C", -5.0, ms("°C")),
        // Area.
        ("120 km²", 120.0, ms("km²")),
        ("2,000 square miles", 2000.0, ms("mi²")),
        ("500 hectares", 500.0, ms("ha")),
        ("300 acres", 300.0, ms("acre")),
        // Data.
        ("64 KB", 64.0, ms("KB")),
        ("16 MB", 16.0, ms("MB")),
        ("512 GB", 512.0, ms("GB")),
        ("2 TB", 2.0, ms("TB")),
        // Power of engines.
        ("300 horsepower", 300.0, ms("hp")),
        ("450 hp", 450.0, ms("hp")),
        // Currencies.
        ("50,000 won", 50_000.0, cur("KRW")),
        ("₩1.2 trillion", 1.2e12, cur("KRW")),
        ("KRW 500 billion", 500e9, cur("KRW")),
        ("5,000 rupees", 5000.0, cur("INR")),
        ("Rs 2,000", 2000.0, cur("INR")),
        ("₹1,500", 1500.0, cur("INR")),
        ("INR 300", 300.0, cur("INR")),
        ("C$2.5 billion", 2.5e9, cur("CAD")),
        ("A$40 million", 40e6, cur("AUD")),
        ("HK$1.8 billion", 1.8e9, cur("HKD")),
        ("10 billion yuan", 10e9, cur("CNY")),
        ("500 billion yen", 500e9, cur("JPY")),
        ("3 million euros", 3e6, cur("EUR")),
        // Not a unit.
        ("2,000 people", 2000.0, Unit::None),
    ];
    every_case("units", cases, |(text, value, unit)| {
        let got = read(text).unwrap_or_else(|| panic!("no figure in {text:?}"));
        assert!(close(got.0, *value), "{text}: {got:?}");
        assert_eq!((got.2, got.3), (*unit, Exact), "{text}");
    });
    // And in sentences.
    let prose: &[(&str, &[Expected])] = &[
        (
            "The plant's reactors have a combined capacity of 8,690 MW.",
            &[("8,690 MW", 8690.0, 8690.0, ms("MW"), Exact)],
        ),
        (
            "Winds of 140 knots battered the coast as 2,000 people fled.",
            &[
                ("140 knots", 140.0, 140.0, ms("kn"), Exact),
                ("2,000", 2000.0, 2000.0, Unit::None, Exact),
            ],
        ),
        (
            "Output rose to 1.5 million barrels a day in May.",
            &[(
                "1.5 million barrels a day",
                1.5e6,
                1.5e6,
                ms("bbl/d"),
                Exact,
            )],
        ),
        (
            "The 450-horsepower engine weighs 200 kg.",
            &[
                ("450-horsepower", 450.0, 450.0, ms("hp"), Exact),
                ("200 kg", 200.0, 200.0, ms("kg"), Exact),
            ],
        ),
        (
            "Samsung will invest 50 trillion won in chips.",
            &[("50 trillion won", 50e12, 50e12, cur("KRW"), Exact)],
        ),
    ];
    every_case("units in prose", prose, |(text, expected)| {
        assert_figures(text, Notation::Point, expected);
    });
}

/// Rule 5: one dimension converts in compare; across dimensions units never agree.
#[test]
fn units_convert_within_a_dimension_table() {
    use Verdict::*;
    let cases: &[(&str, &str, Verdict)] = &[
        ("8.69 GW", "8,690 MW", Supported),
        ("8.69 GW", "8,790 MW", Disputed),
        ("8.69 GW", "8,690 km", NotFound),
        ("8.69 GW", "8,690 MWh", NotFound),
        ("100 km/h", "62 mph", Supported),
        ("100 km/h", "70 mph", Disputed),
        ("40°C", "104°F", Supported),
        ("1.2 million barrels a day", "1,200,000 bpd", Supported),
        ("1.2 million barrels a day", "1.2 million barrels", NotFound),
        ("2 TB", "2,000 GB", Supported),
        ("300 horsepower", "224 kW", Supported),
        ("26.2 miles", "42.2 km", Supported),
        ("500 hectares", "1,236 acres", Supported),
        ("3 tonnes", "3,000 kg", Supported),
        ("about 3 tonnes", "2,900 kg", Supported),
        ("$5 million", "5 million won", NotFound),
        ("50,000 won", "₩50,000", Supported),
        ("C$2.5 billion", "$2.5 billion", NotFound),
        ("1,000 rupees", "₹1,000", Supported),
        ("10 billion yuan", "¥10 billion", Supported),
        ("2,000 people", "2,000", Supported),
        ("2,000 people", "2,000 km", NotFound),
    ];
    every_case("unit conversions", cases, |(claimed, located, verdict)| {
        let c = parse_claimed(claimed).expect("claimed");
        let l = parse_claimed(located).expect("located");
        let outcome = compare(&c, &l, None);
        assert_eq!(
            outcome.verdict, *verdict,
            "{claimed} vs {located}: {}",
            outcome.reason
        );
    });
    let ms = Unit::Measure;
    assert!(ms("MW").agrees(ms("GW")));
    assert!(ms("km").agrees(ms("mi")));
    assert!(ms("°F").agrees(ms("°C")));
    assert!(!ms("GW").agrees(ms("GWh")));
    assert!(!ms("km").agrees(ms("km/h")));
    assert!(!ms("kg").agrees(Unit::None));
    assert!(!ms("bbl").agrees(ms("bbl/d")));
    assert!(close(
        units::convert(1.0, "mi", "km").expect("mi→km"),
        1.609_344
    ));
    assert!(close(
        units::convert(8690.0, "MW", "GW").expect("MW→GW"),
        8.69
    ));
    assert!(close(
        units::convert(2.0, "TB", "GB").expect("TB→GB"),
        2000.0
    ));
    assert_eq!(units::convert(1.0, "kg", "km"), None);
}

/// Rule 6: with a decimal comma, `25.000` is twenty-five thousand and `2,5 %` two and a half
/// percent. (sentence, value, unit, notation decided)
#[test]
fn decimal_comma_table() {
    let cur = Unit::Currency;
    let cases: &[(&str, f64, Unit, bool)] = &[
        (
            "Die Stadt hat 25.000 Einwohner.",
            25_000.0,
            Unit::None,
            true,
        ),
        (
            "Die Inflation lag zuletzt bei 2,5 %.",
            2.5,
            Unit::Percent,
            true,
        ),
        (
            "Der Umsatz betrug 1.234.567,89 Euro.",
            1_234_567.89,
            cur("EUR"),
            true,
        ),
        ("Le chômage est tombé à 7,3 %.", 7.3, Unit::Percent, true),
        (
            "Das Budget beträgt 4.500.000 Euro.",
            4_500_000.0,
            cur("EUR"),
            true,
        ),
        ("Le projet coûte 12 500 euros.", 12_500.0, cur("EUR"), false),
        ("Die Preise stiegen um 3 %.", 3.0, Unit::Percent, false),
        (
            "Das Bauteil ist nur 3.5 mm dick.",
            3.5,
            Unit::Measure("mm"),
            false,
        ),
        ("La tasa subió al 2,5\u{a0}%.", 2.5, Unit::Percent, true),
        ("El parque mide 0,75 km.", 0.75, Unit::Measure("km"), true),
    ];
    every_case("decimal comma", cases, |(text, value, unit, decided)| {
        let found = scan_in(text, Notation::Comma);
        assert_eq!(found.len(), 1, "{text:?}: {found:#?}");
        let f = &found[0];
        assert!(
            close(f.low, *value) && close(f.high, *value),
            "{text:?}: {}",
            f.low
        );
        assert_eq!(f.unit, *unit, "{text:?}");
        assert_eq!(f.notation_decided, *decided, "{text:?}: notation_decided");
    });
    // A cell read in the page's notation.
    let cell = parse_located_in("25.000", Notation::Comma).expect("cell");
    assert!(close(cell.low, 25_000.0) && cell.notation_decided);
    let cell = parse_located_in("2,5", Notation::Comma).expect("cell");
    assert!(close(cell.low, 2.5) && cell.notation_decided);
    // The same digits with a decimal point.
    let point = parse_located("25.000").expect("cell");
    assert!(close(point.low, 25.0) && !point.notation_decided);
    assert_eq!(Notation::for_lang("de-DE"), Notation::Comma);
    assert_eq!(Notation::for_lang("de-CH"), Notation::Point);
    assert_eq!(Notation::for_lang("en"), Notation::Point);
}

/// Rule 7: reasons print bounds with the digits the claim needs. (claimed, located, reason)
#[test]
fn reasons_print_the_digits_needed_table() {
    let cases: &[(&str, &str, Option<&str>, &str)] = &[
        (
            "$12,000",
            "$12,100",
            None,
            "\"$12,000\" means 11,999.5 ≤ x < 12,000.5",
        ),
        (
            "$89.99",
            "$89.98",
            None,
            "\"$89.99\" means 89.985 ≤ x < 89.995",
        ),
        ("$0.99", "$1.05", None, "\"$0.99\" means 0.985 ≤ x < 0.995"),
        ("$2.50", "$2.55", None, "\"$2.50\" means 2.495 ≤ x < 2.505"),
        (
            "$1,250,000",
            "$1,300,000",
            None,
            "\"$1,250,000\" means 1,249,999.5 ≤ x < 1,250,000.5",
        ),
        ("12%", "13%", None, "\"12%\" means 11.5% ≤ x < 12.5%"),
        ("3.25%", "3.3%", None, "\"3.25%\" means 3.245% ≤ x < 3.255%"),
        (
            "1.5 million",
            "1.6 million",
            None,
            "\"1.5 million\" means 1.45M ≤ x < 1.55M",
        ),
        (
            "about 12,000",
            "13,000",
            None,
            "\"about 12,000\" means 11,400 ≤ x ≤ 12,600",
        ),
        (
            "$12,000",
            "$13,000",
            Some("2%"),
            "\"$12,000\" means 11,760 ≤ x ≤ 12,240",
        ),
        (
            "more than $65 billion",
            "$60 billion",
            None,
            "\"more than $65 billion\" means x > 65B",
        ),
    ];
    every_case("reasons", cases, |(claimed, located, tolerance, reason)| {
        let c = parse_claimed(claimed).expect("claimed");
        let l = parse_claimed(located).expect("located");
        let t = tolerance.map(|t| parse_tolerance(t).expect("tolerance"));
        assert_eq!(compare(&c, &l, t).reason, *reason, "{claimed} vs {located}");
    });
    // A unit of measure: the same digits.
    let c = parse_claimed("8.69 GW").expect("claimed");
    let reason = compare(&c, &parse_claimed("9 GW").expect("l"), None).reason;
    assert!(reason.contains("8.685 ≤ x < 8.695"), "{reason}");
}

/// Characters that make scanning interesting: digits, signs, separators, currencies, units.
fn tricky_char() -> impl Strategy<Value = char> {
    prop_oneof![
        3 => prop::sample::select(vec![
            '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '0', '1', '5', '9',
        ]),
        3 => prop::sample::select(vec![
            '$', '€', '£', '¥', '₩', '₹', '%', '.', ',', '-', '–', '—', '−', '(', ')', '/', ' ',
            ' ', '+', '~', '≈', '<', '>', '≥', ':', '@', '#', '°', '²', '*', '\u{a0}',
            '\u{2009}', '\u{202f}', '\u{2011}', '\n', '\t',
        ]),
        2 => prop::sample::select(vec![
            'a', 'b', 'n', 'm', 'k', 'K', 'M', 'B', 'T', 'G', 'W', 'h', 'C', 'F', 't', 'o', 'r',
            'e', 'i', 'l', 's', 'p', 'd', 'g', 'y', 'U', 'S', 'D', 'R',
        ]),
        1 => any::<char>(),
    ]
}

/// Words that make scanning interesting, to splice between characters.
fn tricky_word() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        " about ",
        " more than ",
        "between ",
        " and ",
        " to ",
        "from ",
        " million",
        "bn",
        " billion ",
        " percent",
        " percentage points",
        " GW",
        " MW",
        " km/h",
        " barrels a day",
        " degrees Celsius",
        "°C",
        " won",
        "Rs ",
        "HK$",
        "US$",
        " Suite ",
        " Street",
        "(k)",
        "COVID-",
        " NY ",
        " Jan ",
        "2025-01-15",
        "21:49",
        "v0.6.6",
        "$",
        "$$",
        "**",
        "<b>",
        " square miles",
        "-year-old",
        "+44 ",
        "(212) ",
        "é",
        "日本",
        "🙂",
    ])
}

/// Checks the invariants of every figure scanned from `text`.
fn check_spans(text: &str, found: &[Figure]) -> Result<(), TestCaseError> {
    for f in found {
        let span = f.span.clone();
        prop_assert!(
            span.start <= span.end && span.end <= text.len(),
            "{:?} in {:?}",
            span,
            text
        );
        prop_assert!(
            text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
            "{:?} in {:?}",
            span,
            text
        );
        prop_assert_eq!(text[span.clone()].trim(), f.text.as_str(), "in {:?}", text);
        prop_assert!(
            span.start <= f.core_start && f.core_start < span.end,
            "core {} outside {:?} in {:?}",
            f.core_start,
            span,
            text
        );
        prop_assert!(
            text.is_char_boundary(f.core_start),
            "core {} in {:?}",
            f.core_start,
            text
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Scanning any string never panics, and every span is in bounds, on char boundaries, and
    /// reads as the figure's text, with its core inside it.
    #[test]
    fn scanning_any_string_keeps_spans_sound(text in any::<String>()) {
        check_spans(&text, &scan(&text))?;
        check_spans(&text, &scan_in(&text, Notation::Comma))?;
        let _ = parse_claimed(&text);
        let _ = parse_located_in(&text, Notation::Comma);
    }

    /// The same for text made of digits, separators, currencies, units and words.
    #[test]
    fn scanning_figure_like_text_keeps_spans_sound(
        parts in prop::collection::vec(
            prop_oneof![
                3 => prop::collection::vec(tricky_char(), 1..8)
                    .prop_map(|cs| cs.into_iter().collect::<String>()),
                1 => tricky_word().prop_map(str::to_string),
            ],
            0..12,
        ),
    ) {
        let text: String = parts.concat();
        for notation in [Notation::Point, Notation::Comma] {
            let found = scan_in(&text, notation);
            check_spans(&text, &found)?;
            // Comparing what was found never panics either.
            if let (Some(a), Some(b)) = (found.first(), found.last()) {
                let _ = compare(a, b, None);
                let _ = compare(b, a, Some(Tolerance::Relative(0.02)));
            }
        }
        if let Ok(f) = parse_claimed(&text) {
            check_spans(&text, std::slice::from_ref(&f))?;
        }
        if let Some(f) = parse_located(&text) {
            check_spans(&text, std::slice::from_ref(&f))?;
        }
    }
}

#[test]
fn drafts_false_positives_found_by_hand_are_not_figures() {
    let texts: &[(&str, &[&str])] = &[
        ("Federer won 6-3, 3-6, 7-6(5) on Sunday.", &[]),
        (
            "Ages 18-24, 25-34 and 35-44 answered.",
            &["18-24", "25-34", "35-44"],
        ),
        (
            "1) Preheat the oven.\n2) Add 200 grams of flour.",
            &["200 grams"],
        ),
        ("The ID.3 has 58 kWh.", &["58 kWh"]),
        (
            "Back in the '80s, and in the 90's, it was close to 2 a.m.",
            &[],
        ),
        (
            "It returns 90 miles per gallon and 406 lb-ft of torque.",
            &["90 miles per gallon", "406 lb-ft"],
        ),
        (
            "A 2.5-liter engine, a 15.6-inch screen.",
            &["2.5-liter", "15.6-inch"],
        ),
        ("The Top 10 list.", &[]),
    ];
    for (text, want) in texts {
        let got: Vec<String> = scan(text).into_iter().map(|f| f.text).collect();
        assert_eq!(&got, want, "{text:?}");
    }
}

#[test]
fn rank_columns_and_tiebreaks_are_not_figures() {
    let table =
        "Pos. Driver Points\n1 Kyle Busch 5040\n2 Martin Truex Jr. 5035\n3 Kevin Harvick 5033\n";
    let got: Vec<String> = scan(table).into_iter().map(|f| f.text).collect();
    assert_eq!(got, ["5040", "5035", "5033"]);
    let got: Vec<String> = scan("He won 6-4, 7-6 (5) after 3 hours.")
        .into_iter()
        .map(|f| f.text)
        .collect();
    assert_eq!(got, ["3"]);
    // A line that starts with a count is still a figure.
    assert_eq!(scan("3 people died.\nThe storm passed.").len(), 1);
}
