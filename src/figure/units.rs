//! Units: currencies by symbol, code or word, and units of measure (power, energy, length,
//! speed, mass, volume, flow, temperature, area, data) with their dimension and the factor to
//! convert them, so `8,690 MW` compares with `8.69 GW` and never with `8.69 km`.

use std::sync::LazyLock;

use super::Unit;
use super::index::ByteIndex;

/// What a unit of measure measures; two units compare only within one dimension.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Dimension {
    /// Watts.
    Power,
    /// Watt-hours.
    Energy,
    /// Metres.
    Length,
    /// Metres per second.
    Speed,
    /// Kilograms.
    Mass,
    /// Litres.
    Volume,
    /// Litres a day.
    Flow,
    /// Degrees Celsius.
    Temperature,
    /// Square metres.
    Area,
    /// Bytes.
    Data,
    /// Hertz.
    Frequency,
    /// Distance per volume of fuel, in km per litre.
    FuelEconomy,
    /// Newton-metres.
    Torque,
}

/// A unit of measure: its symbol (as reports write it), dimension, and `base = x * factor + offset`.
#[derive(Debug, Clone, Copy)]
pub struct Measure {
    /// The symbol, as reports write it: `GW`, `km/h`, `°C`.
    pub symbol: &'static str,
    /// What it measures.
    pub dimension: Dimension,
    /// The size of one unit in the dimension's base unit.
    pub factor: f64,
    /// Added after scaling (temperatures only).
    pub offset: f64,
}

const fn m(symbol: &'static str, dimension: Dimension, factor: f64) -> Measure {
    Measure {
        symbol,
        dimension,
        factor,
        offset: 0.0,
    }
}

use Dimension::*;

/// Every unit of measure, by symbol.
pub const MEASURES: [Measure; 55] = [
    m("W", Power, 1.0),
    m("kW", Power, 1e3),
    m("MW", Power, 1e6),
    m("GW", Power, 1e9),
    m("TW", Power, 1e12),
    m("hp", Power, 745.699_872),
    m("Wh", Energy, 1.0),
    m("kWh", Energy, 1e3),
    m("MWh", Energy, 1e6),
    m("GWh", Energy, 1e9),
    m("TWh", Energy, 1e12),
    m("mm", Length, 1e-3),
    m("cm", Length, 1e-2),
    m("m", Length, 1.0),
    m("km", Length, 1e3),
    m("in", Length, 0.0254),
    m("ft", Length, 0.3048),
    m("mi", Length, 1609.344),
    m("m/s", Speed, 1.0),
    m("km/h", Speed, 1.0 / 3.6),
    m("mph", Speed, 0.447_04),
    m("kn", Speed, 1852.0 / 3600.0),
    m("mg", Mass, 1e-6),
    m("g", Mass, 1e-3),
    m("kg", Mass, 1.0),
    m("t", Mass, 1e3),
    m("lb", Mass, 0.453_592_37),
    m("oz", Mass, 0.028_349_523_125),
    m("ml", Volume, 1e-3),
    m("l", Volume, 1.0),
    m("gal", Volume, 3.785_411_784),
    m("bbl", Volume, 158.987_294_928),
    m("m³", Volume, 1e3),
    m("bbl/d", Flow, 158.987_294_928),
    m("°C", Temperature, 1.0),
    Measure {
        symbol: "°F",
        dimension: Temperature,
        factor: 5.0 / 9.0,
        offset: -160.0 / 9.0,
    },
    m("m²", Area, 1.0),
    m("km²", Area, 1e6),
    m("mi²", Area, 2_589_988.110_336),
    m("ha", Area, 1e4),
    m("acre", Area, 4_046.856_422_4),
    m("B", Data, 1.0),
    m("KB", Data, 1e3),
    m("MB", Data, 1e6),
    m("GB", Data, 1e9),
    m("TB", Data, 1e12),
    m("PB", Data, 1e15),
    m("Hz", Frequency, 1.0),
    m("kHz", Frequency, 1e3),
    m("MHz", Frequency, 1e6),
    m("GHz", Frequency, 1e9),
    m("km/l", FuelEconomy, 1.0),
    m("mpg", FuelEconomy, 1.609_344 / 3.785_411_784),
    m("N·m", Torque, 1.0),
    m("lb-ft", Torque, 1.355_817_948),
];

/// The unit of measure with this symbol.
pub fn measure(symbol: &str) -> Option<&'static Measure> {
    MEASURES.iter().find(|m| m.symbol == symbol)
}

/// How a unit may be written after a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Written {
    /// A symbol, case as written, attached or after one space: `4.2GW`, `65 mph`.
    Symbol,
    /// A symbol that must follow a space, since attached it means something else (`5m` is five
    /// million in British prose, `5g` a network).
    Spaced,
    /// A word, any case, after a space or a hyphen: `300 horsepower`, `3.2 million barrels a day`.
    Word,
    /// A word only after a hyphen: `a 300-pound cover` is a weight, `300 pounds` money.
    Hyphenated,
}

/// Units of measure as written after a number, longest first where one is a prefix of another.
const MEASURE_AFTER: [(&str, &str, Written); 103] = [
    ("miles per gallon", "mpg", Written::Word),
    ("mpg", "mpg", Written::Symbol),
    ("kilometers per liter", "km/l", Written::Word),
    ("kilometres per litre", "km/l", Written::Word),
    ("lb-ft", "lb-ft", Written::Symbol),
    ("pound-feet", "lb-ft", Written::Word),
    ("barrels of oil a day", "bbl/d", Written::Word),
    ("barrels of oil per day", "bbl/d", Written::Word),
    ("barrels a day", "bbl/d", Written::Word),
    ("barrels per day", "bbl/d", Written::Word),
    ("barrels/day", "bbl/d", Written::Word),
    ("bpd", "bbl/d", Written::Symbol),
    ("b/d", "bbl/d", Written::Symbol),
    ("barrels", "bbl", Written::Word),
    ("barrel", "bbl", Written::Word),
    ("bbl", "bbl", Written::Symbol),
    ("kilowatt-hours", "kWh", Written::Word),
    ("kilowatt hours", "kWh", Written::Word),
    ("megawatt-hours", "MWh", Written::Word),
    ("megawatt hours", "MWh", Written::Word),
    ("gigawatt-hours", "GWh", Written::Word),
    ("gigawatt hours", "GWh", Written::Word),
    ("terawatt-hours", "TWh", Written::Word),
    ("terawatt hours", "TWh", Written::Word),
    ("kWh", "kWh", Written::Symbol),
    ("MWh", "MWh", Written::Symbol),
    ("GWh", "GWh", Written::Symbol),
    ("TWh", "TWh", Written::Symbol),
    ("Wh", "Wh", Written::Symbol),
    ("kilowatts", "kW", Written::Word),
    ("kilowatt", "kW", Written::Word),
    ("megawatts", "MW", Written::Word),
    ("megawatt", "MW", Written::Word),
    ("gigawatts", "GW", Written::Word),
    ("gigawatt", "GW", Written::Word),
    ("terawatts", "TW", Written::Word),
    ("watts", "W", Written::Word),
    ("watt", "W", Written::Word),
    ("kW", "kW", Written::Symbol),
    ("MW", "MW", Written::Symbol),
    ("GW", "GW", Written::Symbol),
    ("TW", "TW", Written::Symbol),
    ("W", "W", Written::Spaced),
    ("horsepower", "hp", Written::Word),
    ("hp", "hp", Written::Symbol),
    ("miles per hour", "mph", Written::Word),
    ("kilometers per hour", "km/h", Written::Word),
    ("kilometres per hour", "km/h", Written::Word),
    ("km/h", "km/h", Written::Symbol),
    ("kph", "km/h", Written::Symbol),
    ("mph", "mph", Written::Symbol),
    ("m/s", "m/s", Written::Symbol),
    ("knots", "kn", Written::Word),
    ("square kilometers", "km²", Written::Word),
    ("square kilometres", "km²", Written::Word),
    ("square miles", "mi²", Written::Word),
    ("square meters", "m²", Written::Word),
    ("square metres", "m²", Written::Word),
    ("km²", "km²", Written::Symbol),
    ("km2", "km²", Written::Symbol),
    ("sq km", "km²", Written::Symbol),
    ("sq mi", "mi²", Written::Symbol),
    ("m²", "m²", Written::Symbol),
    ("hectares", "ha", Written::Word),
    ("acres", "acre", Written::Word),
    ("cubic meters", "m³", Written::Word),
    ("cubic metres", "m³", Written::Word),
    ("m³", "m³", Written::Symbol),
    ("kilometers", "km", Written::Word),
    ("kilometres", "km", Written::Word),
    ("kilometer", "km", Written::Word),
    ("kilometre", "km", Written::Word),
    ("km", "km", Written::Symbol),
    ("centimeters", "cm", Written::Word),
    ("centimetres", "cm", Written::Word),
    ("cm", "cm", Written::Symbol),
    ("millimeters", "mm", Written::Word),
    ("millimetres", "mm", Written::Word),
    ("mm", "mm", Written::Symbol),
    ("meters", "m", Written::Word),
    ("metres", "m", Written::Word),
    ("miles", "mi", Written::Word),
    ("mile", "mi", Written::Word),
    ("mi", "mi", Written::Symbol),
    ("feet", "ft", Written::Word),
    ("ft", "ft", Written::Symbol),
    ("inches", "in", Written::Word),
    ("metric tons", "t", Written::Word),
    ("metric tonnes", "t", Written::Word),
    ("tonnes", "t", Written::Word),
    ("tonne", "t", Written::Word),
    ("tons", "t", Written::Word),
    ("t", "t", Written::Spaced),
    ("kilograms", "kg", Written::Word),
    ("kilos", "kg", Written::Word),
    ("kg", "kg", Written::Symbol),
    ("grams", "g", Written::Word),
    ("pound", "lb", Written::Hyphenated),
    ("lbs", "lb", Written::Symbol),
    ("lb", "lb", Written::Symbol),
    ("liters", "l", Written::Word),
    ("litres", "l", Written::Word),
    ("gallons", "gal", Written::Word),
];

/// Units whose written form is a symbol that must follow a space, or a degree sign.
const MEASURE_AFTER_MORE: [(&str, &str, Written); 42] = [
    ("inch", "in", Written::Word),
    ("foot", "ft", Written::Word),
    ("meter", "m", Written::Word),
    ("metre", "m", Written::Word),
    ("liter", "l", Written::Word),
    ("litre", "l", Written::Word),
    ("gallon", "gal", Written::Word),
    ("gram", "g", Written::Word),
    ("kilogram", "kg", Written::Word),
    ("ton", "t", Written::Word),
    ("acre", "acre", Written::Word),
    ("hectare", "ha", Written::Word),
    ("megawatt-hour", "MWh", Written::Word),
    ("kilowatt-hour", "kWh", Written::Word),
    ("km/l", "km/l", Written::Symbol),
    ("N·m", "N·m", Written::Symbol),
    ("Nm", "N·m", Written::Symbol),
    ("newton-meters", "N·m", Written::Word),
    ("newton-metres", "N·m", Written::Word),
    ("kilobytes", "KB", Written::Word),
    ("megabytes", "MB", Written::Word),
    ("petabytes", "PB", Written::Word),
    ("bytes", "B", Written::Word),
    ("kB", "KB", Written::Symbol),
    ("KB", "KB", Written::Symbol),
    ("PB", "PB", Written::Symbol),
    ("GHz", "GHz", Written::Symbol),
    ("MHz", "MHz", Written::Symbol),
    ("kHz", "kHz", Written::Symbol),
    ("Hz", "Hz", Written::Symbol),
    ("degrees Celsius", "°C", Written::Word),
    ("degrees Fahrenheit", "°F", Written::Word),
    ("°C", "°C", Written::Symbol),
    ("° C", "°C", Written::Symbol),
    ("°F", "°F", Written::Symbol),
    ("° F", "°F", Written::Symbol),
    ("GB", "GB", Written::Symbol),
    ("TB", "TB", Written::Symbol),
    ("MB", "MB", Written::Symbol),
    ("gigabytes", "GB", Written::Word),
    ("terabytes", "TB", Written::Word),
    ("m", "m", Written::Spaced),
];

/// Currency symbols and codes before a number, longest first within a shared ending.
pub(super) const CURRENCY_BEFORE: [(&str, &str); 28] = [
    ("US$", "USD"),
    ("HK$", "HKD"),
    ("NZ$", "NZD"),
    ("C$", "CAD"),
    ("A$", "AUD"),
    ("S$", "SGD"),
    ("R$", "BRL"),
    ("USD", "USD"),
    ("EUR", "EUR"),
    ("GBP", "GBP"),
    ("CNY", "CNY"),
    ("RMB", "CNY"),
    ("JPY", "JPY"),
    ("KRW", "KRW"),
    ("INR", "INR"),
    ("CHF", "CHF"),
    ("CAD", "CAD"),
    ("AUD", "AUD"),
    ("Rs.", "INR"),
    ("Rs", "INR"),
    ("$", "USD"),
    ("€", "EUR"),
    ("£", "GBP"),
    ("¥", "JPY/CNY"),
    ("￥", "JPY/CNY"),
    ("₩", "KRW"),
    ("₹", "INR"),
    ("₽", "RUB"),
];

/// Currency codes and words after a number, longest first where one is a prefix of another.
pub(super) const CURRENCY_AFTER: [(&str, &str); 55] = [
    ("€", "EUR"),
    ("₩", "KRW"),
    ("₹", "INR"),
    ("₽", "RUB"),
    ("zł", "PLN"),
    ("de dólares", "USD"),
    ("de euros", "EUR"),
    ("de libras", "GBP"),
    ("de yuanes", "CNY"),
    ("dólares", "USD"),
    ("dólar", "USD"),
    ("dollari", "USD"),
    ("dólares estadounidenses", "USD"),
    ("us-dollar", "USD"),
    ("libras", "GBP"),
    ("liber", "GBP"),
    ("korun", "CZK"),
    ("kč", "CZK"),
    ("美元", "USD"),
    ("円", "JPY"),
    ("元", "CNY"),
    ("日元", "JPY"),
    ("us dollars", "USD"),
    ("u.s. dollars", "USD"),
    ("canadian dollars", "CAD"),
    ("australian dollars", "AUD"),
    ("hong kong dollars", "HKD"),
    ("swiss francs", "CHF"),
    ("usd", "USD"),
    ("eur", "EUR"),
    ("gbp", "GBP"),
    ("cny", "CNY"),
    ("rmb", "CNY"),
    ("jpy", "JPY"),
    ("krw", "KRW"),
    ("inr", "INR"),
    ("chf", "CHF"),
    ("cad", "CAD"),
    ("aud", "AUD"),
    ("dollars", "USD"),
    ("dollar", "USD"),
    ("euros", "EUR"),
    ("euro", "EUR"),
    ("pounds sterling", "GBP"),
    ("pounds", "GBP"),
    ("yuan", "CNY"),
    ("renminbi", "CNY"),
    ("yen", "JPY"),
    ("won", "KRW"),
    ("rupees", "INR"),
    ("rupee", "INR"),
    ("roubles", "RUB"),
    ("rubles", "RUB"),
    ("francs", "CHF"),
    ("reais", "BRL"),
];

/// The written units of measure by their first byte.
static MEASURE_INDEX: LazyLock<ByteIndex> = LazyLock::new(|| {
    ByteIndex::first(
        MEASURE_AFTER
            .iter()
            .chain(MEASURE_AFTER_MORE.iter())
            .map(|w| w.0),
    )
});

/// A unit of measure written at the start of `rest` (right after a number, or after its scale):
/// its length with the gap before it, and the unit.
pub(super) fn measure_after(rest: &str) -> Option<(usize, Unit)> {
    let trimmed = rest.trim_start_matches([' ', '\u{a0}', '\u{202f}', '\u{2009}']);
    let gap = rest.len() - trimmed.len();
    let hyphen = gap == 0 && trimmed.starts_with('-');
    if gap > 2 {
        return None;
    }
    // Units start with a letter, `°`, `m` or `k`: most numbers are followed by neither.
    let lead = if hyphen { &trimmed[1..] } else { trimmed };
    let first = lead.as_bytes().first()?.to_ascii_lowercase();
    if !(first.is_ascii_alphabetic() || first >= 0x80) {
        return None;
    }
    let table = |i: usize| {
        MEASURE_AFTER
            .get(i)
            .or_else(|| MEASURE_AFTER_MORE.get(i - MEASURE_AFTER.len()))
            .copied()
    };
    for (written, symbol, how) in MEASURE_INDEX.get(first).filter_map(table) {
        let (head, at) = match how {
            Written::Word | Written::Hyphenated if hyphen => (trimmed.get(1..1 + written.len()), 1),
            _ => (trimmed.get(..written.len()), 0),
        };
        let Some(head) = head else { continue };
        let matched = match how {
            Written::Word => head.eq_ignore_ascii_case(written),
            Written::Hyphenated => hyphen && head.eq_ignore_ascii_case(written),
            Written::Symbol => head == written && !hyphen,
            Written::Spaced => head == written && gap > 0,
        };
        let end = at + written.len();
        // The unit ends at a word boundary: "5 min" is not five metres, "5 mi" is five miles.
        let boundary = trimmed[end..]
            .chars()
            .next()
            .is_none_or(|c| !c.is_alphanumeric());
        if matched && boundary {
            return Some((gap + end, Unit::Measure(symbol)));
        }
    }
    None
}

/// Reads a unit as a claim names it (`unit = "GW"`): a unit of measure by any written form, a
/// currency by code, symbol or word, `%` or `pp`.
pub fn parse_unit(s: &str) -> Option<Unit> {
    let s = s.trim();
    if let Some(m) = measure(s) {
        return Some(Unit::Measure(m.symbol));
    }
    match s.to_ascii_lowercase().as_str() {
        "%" | "percent" | "per cent" => return Some(Unit::Percent),
        "pp" | "percentage points" | "points" => return Some(Unit::Points),
        _ => {}
    }
    if let Some((_, code)) = CURRENCY_BEFORE.iter().find(|(w, _)| *w == s) {
        return Some(Unit::Currency(code));
    }
    if let Some((_, code)) = CURRENCY_AFTER
        .iter()
        .find(|(w, _)| w.eq_ignore_ascii_case(s))
    {
        return Some(Unit::Currency(code));
    }
    let padded = format!(" {s}");
    match measure_after(&padded) {
        Some((len, unit)) if len == padded.len() => Some(unit),
        _ => None,
    }
}

/// Converts `x` from one unit of measure to another of the same dimension.
pub fn convert(x: f64, from: &str, to: &str) -> Option<f64> {
    let (a, b) = (measure(from)?, measure(to)?);
    (a.dimension == b.dimension).then(|| ((x * a.factor + a.offset) - b.offset) / b.factor)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_written_unit_names_a_measure() {
        for (written, symbol, _) in MEASURE_AFTER.iter().chain(MEASURE_AFTER_MORE.iter()) {
            assert!(measure(symbol).is_some(), "{written} → {symbol}");
        }
    }

    #[test]
    fn conversions_stay_within_a_dimension() {
        assert_eq!(convert(8690.0, "MW", "GW"), Some(8.69));
        assert!((convert(212.0, "°F", "°C").unwrap() - 100.0).abs() < 1e-9);
        assert!((convert(100.0, "km/h", "mph").unwrap() - 62.137_119).abs() < 1e-5);
        assert_eq!(convert(1.0, "GW", "km"), None);
    }

    #[test]
    fn claims_name_units_in_any_written_form() {
        assert_eq!(parse_unit("GW"), Some(Unit::Measure("GW")));
        assert_eq!(parse_unit("gigawatts"), Some(Unit::Measure("GW")));
        assert_eq!(parse_unit("barrels a day"), Some(Unit::Measure("bbl/d")));
        assert_eq!(parse_unit("won"), Some(Unit::Currency("KRW")));
        assert_eq!(parse_unit("€"), Some(Unit::Currency("EUR")));
        assert_eq!(parse_unit("%"), Some(Unit::Percent));
        assert_eq!(parse_unit("people"), None);
    }
}
