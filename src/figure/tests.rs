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
