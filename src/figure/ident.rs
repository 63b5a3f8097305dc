//! Numbers that are not figures: phone numbers, ZIP codes, street and suite numbers, labels
//! (`Route 66`, `Section 230`), tax-code names (`401(k)`), fractions and ratios (`24/7`) and
//! compound words (`3-pointer`). Each rule names a shape of text, never a site.

use super::words::trailing_word;

/// Words that label the number after them: `Suite 200`, `Room 12`, `Route 66`.
const LABELS: [&str; 48] = [
    "Act",
    "Apartment",
    "Apt",
    "Article",
    "Box",
    "Building",
    "Category",
    "Chapter",
    "Exit",
    "Ext",
    "Flight",
    "Floor",
    "Episode",
    "Game",
    "Gate",
    "Grade",
    "Highway",
    "Interstate",
    "Level",
    "Lot",
    "Model",
    "No",
    "Nr",
    "Number",
    "Part",
    "Phase",
    "Pier",
    "Platform",
    "Room",
    "Round",
    "Route",
    "Rule",
    "Season",
    "Section",
    "Seat",
    "Stage",
    "Stall",
    "Step",
    "Suite",
    "Tel",
    "Terminal",
    "Top",
    "Track",
    "Type",
    "Version",
    "Volume",
    "Ward",
    "Week",
];

/// Street types after a street number and a name: `10 Downing Street`, `350 Fifth Ave.`.
const STREETS: [&str; 22] = [
    "Street",
    "St",
    "Avenue",
    "Ave",
    "Road",
    "Rd",
    "Boulevard",
    "Blvd",
    "Lane",
    "Ln",
    "Drive",
    "Dr",
    "Way",
    "Place",
    "Pl",
    "Court",
    "Square",
    "Plaza",
    "Parkway",
    "Pkwy",
    "Terrace",
    "Circle",
];

/// Whether the number whose digits run `start..end` is a label, code or address rather than a
/// figure. `before` is the text before the number's prefix (currency, sign), `after` the text
/// after its digits.
pub(super) fn is_identifier(text: &str, start: usize, end: usize) -> bool {
    let before = &text[..start];
    let after = &text[end..];
    let digits = &text[start..end];
    labelled(before)
        || zip_code(before, digits, after)
        || street_number(after)
        || code_suffix(after)
        || leading_zero(digits)
        || list_number(before, digits, after)
        || time_of_day(after)
        || decade(after)
}

/// A list item's or a table rank's number: first on its line, followed by `)`, `.` and a
/// space, or a tab ("1) Preheat", "2. Stir", "1\tKyle Busch"), or counting the lines: the next
/// line starts with the next number ("1 Kyle Busch 5040" then "2 Martin Truex Jr. 5035").
fn list_number(before: &str, digits: &str, after: &str) -> bool {
    let head = before.trim_end_matches([' ', '\t']);
    let line_start = head.is_empty() || head.ends_with('\n');
    if !line_start {
        return false;
    }
    if after.starts_with(") ")
        || after.starts_with(")\t")
        || after.starts_with(". ")
        || after.starts_with('\t')
    {
        return true;
    }
    let Ok(n) = digits.parse::<u32>() else {
        return false;
    };
    let starts_with = |line: &str, k: u32| {
        line.trim_start()
            .strip_prefix(k.to_string().as_str())
            .is_some_and(|r| r.starts_with([' ', '\t', '.', ')']))
    };
    let next_line = after.split_once('\n').map(|(_, rest)| rest);
    // The line before this one: `before` ends with its newline.
    let previous_line = before
        .trim_end_matches([' ', '\t'])
        .strip_suffix('\n')
        .map(|b| b.rsplit('\n').next().unwrap_or(b));
    next_line.is_some_and(|line| starts_with(line, n + 1))
        || (n > 0 && previous_line.is_some_and(|line| starts_with(line, n - 1)))
}

/// "2 a.m.", "9:15 pm", "11pm": a time of day.
fn time_of_day(after: &str) -> bool {
    let rest = after.trim_start_matches([' ', '\u{a0}']).as_bytes();
    let Some(&first) = rest.first() else {
        return false;
    };
    if !matches!(first, b'a' | b'p' | b'A' | b'P') {
        return false;
    }
    let m = |i: usize| rest.get(i).is_some_and(|b| b.eq_ignore_ascii_case(&b'm'));
    let end = |i: usize| rest.get(i).is_none_or(|b| !b.is_ascii_alphanumeric());
    (rest.get(1) == Some(&b'.') && m(2) && rest.get(3) == Some(&b'.')) || (m(1) && end(2))
}

/// "the 90's", "80'S Style": a decade.
fn decade(after: &str) -> bool {
    let mut chars = after.chars();
    matches!(chars.next(), Some('\'' | '’')) && matches!(chars.next(), Some('s' | 'S'))
}

/// `Suite 200`, `No. 5`, `Route 66`, `#3` (the `#` is handled with names).
fn labelled(before: &str) -> bool {
    let head = before.trim_end_matches([' ', '\u{a0}']);
    if head.len() == before.len() && !before.is_empty() {
        return false; // attached: handled as part of a word
    }
    let word = trailing_word(head.strip_suffix('.').unwrap_or(head));
    // Labels are capitalised: most words before a number are not, and skip the table.
    word.as_bytes().first().is_some_and(u8::is_ascii_uppercase) && LABELS.contains(&word)
}

/// A five-digit code after a two-letter state code or "ZIP": `NY 10001`, `CA 94103-1234`.
fn zip_code(before: &str, digits: &str, after: &str) -> bool {
    if digits.len() != 5 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    if after.starts_with(',') && after[1..].starts_with(|c: char| c.is_ascii_digit()) {
        return false;
    }
    let word = trailing_word(before.trim_end_matches([' ', '\u{a0}']));
    let state = word.len() == 2 && word.chars().all(|c| c.is_ascii_uppercase());
    state || word.eq_ignore_ascii_case("zip")
}

/// A house number: up to three capitalised words, then a street type (`10 Downing Street`).
fn street_number(after: &str) -> bool {
    let mut words = after
        .split([' ', '\u{a0}'])
        .skip_while(|w| w.is_empty())
        .take(4);
    for (named, word) in words.by_ref().enumerate() {
        let word = word.trim_end_matches([',', '.']);
        if named > 0 && STREETS.contains(&word) {
            return true;
        }
        let capitalised = word.chars().next().is_some_and(char::is_uppercase)
            && word.chars().skip(1).all(|c| c.is_lowercase() || c == '\'')
            || word.strip_suffix(['h', 'd', 't']).is_some_and(ordinal);
        if !capitalised {
            return false;
        }
    }
    false
}

/// `5t`, `42n`, `3r`, `1s` without their last letter: the stem of an ordinal (`5th`, `42nd`).
fn ordinal(stem: &str) -> bool {
    let digits = stem.trim_end_matches(char::is_alphabetic);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

/// `401(k)`, `501(c)(3)`: a number that names a section of a code.
fn code_suffix(after: &str) -> bool {
    let b = after.as_bytes();
    b.len() >= 3 && b[0] == b'(' && b[1].is_ascii_alphabetic() && b[2] == b')'
}

/// `501(c)(3)`: a number in brackets right after another bracketed part names a section.
pub(super) fn sub_section(text: &str, start: usize) -> bool {
    start >= 2 && &text.as_bytes()[start - 2..start] == b")("
}

/// `0100`, `007`: digits after a leading zero are a code, not a quantity.
fn leading_zero(digits: &str) -> bool {
    let b = digits.as_bytes();
    b.len() >= 2 && b[0] == b'0' && b[1].is_ascii_digit()
}

/// Where a phone number starting at `start` (its first digit, or a `+` or `(` before it) ends:
/// three or more groups of digits joined by `-` or `.` (`212-555-0100`, `03-1234-5678`), an area
/// code in brackets (`(212) 555-0100`), a `+` country code with groups joined by spaces, or a
/// local number `555-0100` (three digits, a hyphen, four digits).
pub(super) fn phone_end(text: &str, start: usize, dots: bool) -> Option<usize> {
    let b = text.as_bytes();
    let opener = start.checked_sub(1).map(|i| b[i]);
    let plus = opener == Some(b'+');
    let bracket = opener == Some(b'(');
    let mut groups: Vec<usize> = Vec::new();
    let mut seps: Vec<u8> = Vec::new();
    let mut i = start;
    loop {
        let from = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        let len = i - from;
        if len == 0 || len > 4 {
            return None;
        }
        groups.push(len);
        let sep = match b.get(i) {
            Some(b')') if bracket && groups.len() == 1 && b.get(i + 1) == Some(&b' ') => {
                i += 1;
                b' '
            }
            Some(b'-') => b'-',
            Some(b'.') if dots => b'.',
            Some(b' ') if plus || bracket => b' ',
            _ => break,
        };
        if !b.get(i + 1).is_some_and(u8::is_ascii_digit) {
            break;
        }
        seps.push(sep);
        i += 1;
    }
    let total: usize = groups.iter().sum();
    let uniform = seps.windows(2).all(|w| w[0] == w[1]) || bracket || plus;
    // Never a decimal ("3.14"), a date ("2025-01-15") or a range of two numbers ("10-20").
    let phone = match groups.len() {
        0 | 1 => false,
        2 => {
            (groups == [3, 4] && seps == [b'-'])
                || (bracket && groups[0] == 3 && groups[1] >= 3 && total >= 6)
        }
        _ => uniform && total >= 7 && groups.iter().all(|&g| g <= 4) && groups[0] != 4,
    };
    phone.then_some(i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_numbers_are_recognised_by_shape() {
        for (text, start) in [
            ("call 212-555-0100 now", 5),
            ("call 555-0100 now", 5),
            ("(212) 555-0100", 1),
            ("tel 03-1234-5678", 4),
            ("+44 20 7946 0958", 1),
            ("212.555.0100", 0),
            ("1-800-555-1212", 0),
        ] {
            assert!(phone_end(text, start, true).is_some(), "{text}");
        }
        for (text, start) in [
            ("2025-01-15", 0),
            ("10-20 people", 0),
            ("3.14", 0),
            ("a 98-91 win", 2),
            ("1.2.3", 0),
            ("2019-2020", 0),
        ] {
            assert!(phone_end(text, start, true).is_none(), "{text}");
        }
    }

    #[test]
    fn labels_codes_and_addresses_are_not_figures() {
        let at = |text: &str, digits: &str| {
            let start = text.find(digits).unwrap();
            is_identifier(text, start, start + digits.len())
        };
        assert!(at("Suite 200, New York", "200"));
        assert!(at("New York, NY 10001", "10001"));
        assert!(at("10 Downing Street", "10"));
        assert!(at("at 350 Fifth Avenue", "350"));
        assert!(at("a 401(k) plan", "401"));
        assert!(at("No. 5 seed", "5"));
        assert!(at("on Route 66", "66"));
        assert!(!at("sold 200 homes", "200"));
        assert!(!at("Apple sold 10 Million units", "10"));
        assert!(!at("revenue of 10001 dollars", "10001"));
    }
}
