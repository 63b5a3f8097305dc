//! Writing figures for people: `5.576 million USD`, `-12.49%`, `79.8`; and the short form used
//! in reasons, `5.576M USD`.

use super::Unit;

/// Scales and their words, largest first.
const SCALES: [(f64, &str, &str); 4] = [
    (1e12, "trillion", "T"),
    (1e9, "billion", "B"),
    (1e6, "million", "M"),
    (1e3, "thousand", "K"),
];

/// A number with four significant digits (more for large integers), trailing zeros dropped:
/// `124.80000305` → `124.8`, `-12.4948` → `-12.49`, `5.576` → `5.576`.
pub fn format_number(x: f64) -> String {
    format_digits(x, 4)
}

/// A number with `sig` significant digits (more for large integers), trailing zeros dropped.
fn format_digits(x: f64, sig: i32) -> String {
    if x == 0.0 || !x.is_finite() {
        return if x.is_finite() {
            "0".into()
        } else {
            x.to_string()
        };
    }
    let magnitude = x.abs().log10().floor() as i32;
    let decimals = (sig - 1 - magnitude).clamp(0, 8) as usize;
    let s = format!("{x:.decimals$}");
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    };
    if s == "-0" { "0".into() } else { s }
}

fn scaled(x: f64, long: bool) -> String {
    let sig = if long { 6 } else { 4 };
    for (scale, word, suffix) in SCALES.iter().take(3) {
        if x.abs() >= *scale {
            let n = format_digits(x / scale, sig);
            return if long {
                format!("{n} {word}")
            } else {
                format!("{n}{suffix}")
            };
        }
    }
    format_digits(x, sig)
}

/// A value with its unit in words, to six significant digits: `5.576 million USD`,
/// `-12.4948%`, `2.5 percentage points`.
pub fn format_value(x: f64, unit: Unit) -> String {
    match unit {
        Unit::None => scaled(x, true),
        Unit::Currency(code) => format!("{} {code}", scaled(x, true)),
        Unit::Percent => format!("{}%", format_digits(x, 6)),
        Unit::Points => format!("{} percentage points", format_digits(x, 6)),
        Unit::Measure(symbol) => format!("{} {symbol}", scaled(x, true)),
    }
}

/// The short form for reasons: `5.576M USD`, `-12.49%`, `0.5pp`.
pub fn format_short(x: f64, unit: Unit) -> String {
    match unit {
        Unit::None => scaled(x, false),
        Unit::Currency(code) => format!("{} {code}", scaled(x, false)),
        Unit::Percent => format!("{}%", format_number(x)),
        Unit::Points => format!("{}pp", format_number(x)),
        Unit::Measure(symbol) => format!("{} {symbol}", scaled(x, false)),
    }
}

/// A bound in a claim's own scale, with no unit, and with the digits that `step` (the claim's
/// precision) needs, so two bounds never read alike: `5.55M`, `11.5%`, `11,999.5`, `89.985`.
pub fn format_bound(x: f64, unit: Unit, scale: f64, step: f64) -> String {
    let suffix = SCALES
        .iter()
        .find(|(s, _, _)| *s == scale)
        .map_or("", |(_, _, suffix)| suffix);
    let scale = if suffix.is_empty() { 1.0 } else { scale };
    let body = if step > 0.0 && x.is_finite() {
        let decimals = (-(step / scale).log10()).ceil().clamp(0.0, 8.0) as usize;
        let s = format!("{:.decimals$}", x / scale);
        let s = if s.contains('.') {
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            s
        };
        format!("{}{suffix}", group_thousands(&s))
    } else {
        return match unit {
            Unit::Percent => format!("{}%", format_number(x)),
            Unit::Points => format!("{}pp", format_number(x)),
            _ => scaled(x, false),
        };
    };
    match unit {
        Unit::Percent => format!("{body}%"),
        Unit::Points => format!("{body}pp"),
        _ => body,
    }
}

/// `12000.5` → `12,000.5`: commas between thousands of the integer part.
fn group_thousands(s: &str) -> String {
    let (sign, rest) = s.strip_prefix('-').map_or(("", s), |r| ("-", r));
    let (int, frac) = rest
        .split_once('.')
        .map_or((rest, None), |(i, f)| (i, Some(f)));
    if int.len() <= 4 {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len() + int.len() / 3);
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    match frac {
        Some(f) => format!("{sign}{out}.{f}"),
        None => format!("{sign}{out}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_keep_four_significant_digits() {
        assert_eq!(format_number(124.800_003_051_757_81), "124.8");
        assert_eq!(format_number(-12.494_8), "-12.49");
        assert_eq!(format_number(5.576), "5.576");
        assert_eq!(format_number(600.27), "600.3");
        assert_eq!(format_number(2788.0), "2788");
        assert_eq!(format_number(0.012_345_6), "0.01235");
        assert_eq!(format_number(0.0), "0");
    }

    #[test]
    fn values_take_their_scale_and_unit() {
        assert_eq!(
            format_value(5_576_000.0, Unit::Currency("USD")),
            "5.576 million USD"
        );
        assert_eq!(
            format_short(5_576_000.0, Unit::Currency("USD")),
            "5.576M USD"
        );
        assert_eq!(format_value(-12.5, Unit::Percent), "-12.5%");
        assert_eq!(format_value(671e9, Unit::None), "671 billion");
        assert_eq!(format_short(14.8e12, Unit::None), "14.8T");
        assert_eq!(
            format_bound(5.55e6, Unit::Currency("USD"), 1e6, 5e4),
            "5.55M"
        );
        assert_eq!(
            format_bound(11_999.5, Unit::Currency("USD"), 1.0, 0.5),
            "11,999.5"
        );
        assert_eq!(
            format_bound(89.985, Unit::Currency("USD"), 1.0, 0.005),
            "89.985"
        );
        assert_eq!(format_bound(11.5, Unit::Percent, 1.0, 0.5), "11.5%");
    }
}
