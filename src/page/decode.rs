//! Bytes to text: choosing a page's character encoding and decoding it.
//!
//! The encoding is chosen in the order browsers use: a byte order mark, then the `charset` of
//! the `Content-Type` header, then (for HTML) a `<meta>` declaration in the first 1024 bytes,
//! then detection. Labels follow the WHATWG Encoding Standard, so `ISO-8859-1` and `ascii`
//! mean windows-1252. A declared charset is followed even when the bytes would also be valid
//! UTF-8 (a page served as ISO-8859-1 whose bytes are UTF-8 shows mojibake in a browser too),
//! so what is checked is what readers see. Invalid sequences become U+FFFD and set
//! [`Decoded::had_errors`].
//!
//! Two lies are caught: a declared UTF-16 on bytes without a byte order mark that hold no NUL
//! byte and are valid UTF-8 is read as UTF-8 (as the HTML standard does for `<meta>`), since
//! UTF-16 text always has NULs or non-ASCII units; and a decode that comes out as mostly
//! replacement or control characters is not text at all ([`decode_text`] makes it an error), so
//! that no check reads a verdict into noise.

use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE, WINDOWS_1252};

/// How many bytes the `<meta>` prescan looks at, as in the HTML standard.
pub const META_PRESCAN_BYTES: usize = 1024;
/// How many bytes encoding detection looks at.
pub const DETECT_BYTES: usize = 256 * 1024;

/// Text decoded from a body, with the encoding used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The text, without a byte order mark.
    pub text: String,
    /// The canonical name of the encoding used ("UTF-8", "windows-1252", "Shift_JIS").
    pub encoding: &'static str,
    /// Whether some bytes were invalid in that encoding and replaced with U+FFFD.
    pub had_errors: bool,
}

/// Decodes `bytes` as text, choosing the encoding from the BOM, the `Content-Type` header,
/// `<meta>` (when `html`) or detection, in that order; valid UTF-8 that does not decode as
/// declared is read as UTF-8.
pub fn decode(bytes: &[u8], content_type: Option<&str>, html: bool) -> Decoded {
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        return decode_with(encoding, &bytes[bom_len..]);
    }
    let declared = content_type
        .and_then(charset_from_content_type)
        .or_else(|| html.then(|| charset_from_meta(bytes)).flatten());
    let encoding = match declared {
        Some(e) if (e == UTF_16LE || e == UTF_16BE) && utf16_lie(bytes) => UTF_8,
        Some(e) => e,
        // Undeclared and valid UTF-8, most pages: validated once, here.
        None => match std::str::from_utf8(bytes) {
            Ok(text) => {
                return Decoded {
                    text: text.to_owned(),
                    encoding: UTF_8.name(),
                    had_errors: false,
                };
            }
            Err(_) => detect(bytes),
        },
    };
    let decoded = decode_with(encoding, bytes);
    // A page saved or re-served as UTF-8 often keeps its old legacy declaration: when the bytes
    // do not decode as declared but are valid UTF-8 with non-ASCII text, they are UTF-8.
    if decoded.had_errors
        && encoding != UTF_8
        && !bytes.is_ascii()
        && let Ok(text) = std::str::from_utf8(bytes)
    {
        return Decoded {
            text: text.to_string(),
            encoding: UTF_8.name(),
            had_errors: false,
        };
    }
    decoded
}

/// The share of replacement and control characters (other than white space) past which a
/// decode is not text: a quarter.
pub const GARBLED_SHARE: f64 = 0.25;
/// The fewest bad characters that make a decode garbled (a short text with one bad byte is
/// still text).
pub const GARBLED_MIN: usize = 8;

/// Why bytes could not be read as text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "the bytes do not read as {encoding} text: {bad} of {total} characters are replacement or \
     control characters (is the declared charset wrong, or is this not text?)"
)]
pub struct DecodeError {
    /// The encoding used.
    pub encoding: &'static str,
    /// Replacement and control characters found.
    pub bad: usize,
    /// Characters in all.
    pub total: usize,
}

/// [`decode`], refusing a result that is mostly replacement or control characters.
pub fn decode_text(
    bytes: &[u8],
    content_type: Option<&str>,
    html: bool,
) -> Result<Decoded, DecodeError> {
    let decoded = decode(bytes, content_type, html);
    match garbled(&decoded) {
        Some(e) => Err(e),
        None => Ok(decoded),
    }
}

/// Whether a decode is mostly replacement or control characters (white space and form feeds
/// are fine).
pub fn garbled(decoded: &Decoded) -> Option<DecodeError> {
    // Counted by bytes in simple passes the compiler vectorises, many times faster than by
    // `char`: every byte but a continuation byte starts a character; the bad ones are ASCII
    // controls, the C1 controls (`C2 80` to `C2 9F`) and U+FFFD (`EF BF BD`).
    let bytes = decoded.text.as_bytes();
    // In chunks of 255 counted in `u8`, so that the counting vectorises.
    let (mut continuation, mut ascii_controls) = (0usize, 0usize);
    for chunk in bytes.chunks(255) {
        let (mut cont, mut ctrl) = (0u8, 0u8);
        for &b in chunk {
            cont += u8::from(b & 0xC0 == 0x80);
            let space = b == b'\t' || b == b'\n' || b == b'\r' || b == 0x0c;
            ctrl += u8::from((b < 0x20 && !space) || b == 0x7f);
        }
        continuation += usize::from(cont);
        ascii_controls += usize::from(ctrl);
    }
    let total = bytes.len() - continuation;
    let others = memchr::memchr2_iter(0xC2, 0xEF, bytes)
        .filter(|&i| match bytes[i] {
            0xC2 => bytes.get(i + 1).is_some_and(|n| (0x80..=0x9F).contains(n)),
            _ => bytes.get(i + 1..i + 3) == Some(&[0xBF, 0xBD][..]),
        })
        .count();
    let bad = ascii_controls + others;
    (bad >= GARBLED_MIN && bad as f64 > total as f64 * GARBLED_SHARE).then_some(DecodeError {
        encoding: decoded.encoding,
        bad,
        total,
    })
}

/// Whether bytes declared UTF-16 (with no byte order mark) are in truth UTF-8: no NUL byte at
/// all (UTF-16 of any Latin text is full of them), and valid UTF-8.
fn utf16_lie(bytes: &[u8]) -> bool {
    !bytes.contains(&0) && std::str::from_utf8(bytes).is_ok()
}

/// The encoding named by the `charset` parameter of a `Content-Type` value, if it names one.
///
/// Example: `text/html; charset="Shift_JIS"` gives Shift_JIS.
pub fn charset_from_content_type(ct: &str) -> Option<&'static Encoding> {
    ct.split(';').skip(1).find_map(|param| {
        let (name, value) = param.split_once('=')?;
        if !name.trim().eq_ignore_ascii_case("charset") {
            return None;
        }
        let value = value.trim();
        let value = value
            .strip_prefix('"')
            .and_then(|v| v.split('"').next())
            .unwrap_or(value);
        Encoding::for_label(value.trim().as_bytes())
    })
}

/// The encoding declared by `<meta charset>` or `<meta http-equiv="Content-Type" content=...>`
/// in the first 1024 bytes (the HTML standard's prescan, simplified).
///
/// As the standard says, a declared UTF-16 means UTF-8 (the bytes are ASCII-compatible, or the
/// declaration could not have been read) and x-user-defined means windows-1252.
pub fn charset_from_meta(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(META_PRESCAN_BYTES)];
    let mut pos = 0;
    while pos < head.len() {
        let rest = &head[pos..];
        if rest.starts_with(b"<!--") {
            // A comment ends at the first "-->" that follows "<!--" (which may share its dashes).
            pos = match find(&head[pos + 2..], b"-->") {
                Some(end) => pos + 2 + end + 3,
                None => return None,
            };
        } else if starts_with_ignore_case(rest, b"<meta")
            && rest.get(5).is_some_and(|&b| is_space(b) || b == b'/')
        {
            pos += 5;
            if let Some(encoding) = meta_charset(head, &mut pos) {
                return Some(encoding);
            }
        } else if rest.len() >= 2
            && rest[0] == b'<'
            && (rest[1].is_ascii_alphabetic()
                || (rest[1] == b'/' && rest.get(2).is_some_and(u8::is_ascii_alphabetic)))
        {
            // Any other tag: skip its name, then its attributes, so that quoted values are
            // not mistaken for markup.
            pos += 1;
            while pos < head.len() && !is_space(head[pos]) && head[pos] != b'>' {
                pos += 1;
            }
            while get_attribute(head, &mut pos).is_some() {}
            pos += 1;
        } else if rest.starts_with(b"<!") || rest.starts_with(b"</") || rest.starts_with(b"<?") {
            pos = match find(rest, b">") {
                Some(end) => pos + end + 1,
                None => return None,
            };
        } else {
            pos += 1;
        }
    }
    None
}

/// Reads the attributes of a `<meta` tag (from just after its name) and returns the encoding it
/// declares, following the standard's "need pragma" rule.
fn meta_charset(head: &[u8], pos: &mut usize) -> Option<&'static Encoding> {
    let mut seen: Vec<Vec<u8>> = Vec::new();
    let mut got_pragma = false;
    let mut need_pragma = None;
    let mut charset = None;
    while let Some((name, value)) = get_attribute(head, pos) {
        if seen.contains(&name) {
            continue;
        }
        match name.as_slice() {
            b"http-equiv" => got_pragma |= value == b"content-type",
            b"content" if charset.is_none() => {
                if let Some(found) = charset_from_meta_content(&value) {
                    charset = Some(found);
                    need_pragma = Some(true);
                }
            }
            b"charset" if charset.is_none() => {
                charset = Encoding::for_label(&value);
                need_pragma = Some(false);
            }
            _ => {}
        }
        seen.push(name);
    }
    match need_pragma {
        None => None,
        Some(true) if !got_pragma => None,
        Some(_) => charset.map(|encoding| {
            if encoding == encoding_rs::UTF_16BE || encoding == encoding_rs::UTF_16LE {
                UTF_8
            } else if encoding == encoding_rs::X_USER_DEFINED {
                WINDOWS_1252
            } else {
                encoding
            }
        }),
    }
}

/// The standard's "get an attribute" on `head` from `pos`: a lower-cased name and value, or
/// `None` at the end of the tag (with `pos` on the `>`) or of the input.
fn get_attribute(head: &[u8], pos: &mut usize) -> Option<(Vec<u8>, Vec<u8>)> {
    while *pos < head.len() && (is_space(head[*pos]) || head[*pos] == b'/') {
        *pos += 1;
    }
    if *pos >= head.len() || head[*pos] == b'>' {
        return None;
    }
    let mut name = Vec::new();
    while *pos < head.len() {
        let b = head[*pos];
        if (b == b'=' && !name.is_empty()) || is_space(b) || b == b'/' || b == b'>' {
            break;
        }
        name.push(b.to_ascii_lowercase());
        *pos += 1;
    }
    while *pos < head.len() && is_space(head[*pos]) {
        *pos += 1;
    }
    if head.get(*pos) != Some(&b'=') {
        return Some((name, Vec::new()));
    }
    *pos += 1;
    while *pos < head.len() && is_space(head[*pos]) {
        *pos += 1;
    }
    let mut value = Vec::new();
    match head.get(*pos) {
        Some(&quote) if quote == b'"' || quote == b'\'' => {
            *pos += 1;
            while *pos < head.len() && head[*pos] != quote {
                value.push(head[*pos].to_ascii_lowercase());
                *pos += 1;
            }
            *pos += 1;
        }
        _ => {
            while *pos < head.len() && !is_space(head[*pos]) && head[*pos] != b'>' {
                value.push(head[*pos].to_ascii_lowercase());
                *pos += 1;
            }
        }
    }
    Some((name, value))
}

/// The standard's "extract a character encoding from a meta element" on a `content` value
/// such as `text/html; charset=iso-8859-1`.
fn charset_from_meta_content(content: &[u8]) -> Option<&'static Encoding> {
    let mut rest = content;
    loop {
        let at = find(rest, b"charset")?;
        rest = &rest[at + 7..];
        let trimmed = trim_start(rest);
        if let Some(after) = trimmed.strip_prefix(b"=") {
            rest = trim_start(after);
            break;
        }
        rest = trimmed;
    }
    let label = match rest.first() {
        Some(&quote) if quote == b'"' || quote == b'\'' => {
            let end = rest[1..].iter().position(|&b| b == quote)?;
            &rest[1..1 + end]
        }
        Some(_) => {
            let end = rest
                .iter()
                .position(|&b| is_space(b) || b == b';')
                .unwrap_or(rest.len());
            &rest[..end]
        }
        None => return None,
    };
    Encoding::for_label(label)
}

/// Guesses the encoding of undeclared bytes that are not valid UTF-8: mostly valid UTF-8 stays
/// UTF-8, anything else goes to chardetng.
fn detect(bytes: &[u8]) -> &'static Encoding {
    if mostly_utf8(bytes) {
        return UTF_8;
    }
    let sample = &bytes[..bytes.len().min(DETECT_BYTES)];
    let mut detector = EncodingDetector::new(Iso2022JpDetection::Deny);
    detector.feed(sample, sample.len() == bytes.len());
    detector.guess(None, Utf8Detection::Allow)
}

/// Whether the bytes are UTF-8, allowing a few damaged sequences among many good ones (a
/// UTF-8 page with a stray byte, or one cut mid-character, is still UTF-8 with errors).
fn mostly_utf8(bytes: &[u8]) -> bool {
    let mut multibyte = 0usize;
    let mut invalid = 0usize;
    let mut chunks = bytes.utf8_chunks().peekable();
    while let Some(chunk) = chunks.next() {
        multibyte += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        let bad = chunk.invalid();
        // A sequence cut off by the end of the input is not evidence against UTF-8.
        let cut_at_end = chunks.peek().is_none()
            && std::str::from_utf8(bad).is_err_and(|err| err.error_len().is_none());
        if !bad.is_empty() && !cut_at_end {
            invalid += 1;
        }
    }
    invalid == 0 || multibyte >= 4 * invalid
}

fn decode_with(encoding: &'static Encoding, bytes: &[u8]) -> Decoded {
    let (text, had_errors) = encoding.decode_without_bom_handling(bytes);
    Decoded {
        text: text.into_owned(),
        encoding: encoding.name(),
        had_errors,
    }
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\x0c' | b'\r')
}

fn trim_start(bytes: &[u8]) -> &[u8] {
    let start = bytes
        .iter()
        .position(|&b| !is_space(b))
        .unwrap_or(bytes.len());
    &bytes[start..]
}

fn starts_with_ignore_case(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.len() >= needle.len() && haystack[..needle.len()].eq_ignore_ascii_case(needle)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The byte-level count agrees with counting `char`s, on every kind of character.
    #[test]
    fn garbled_counts_like_chars() {
        let text: String =
            "ok\t\n\r\x0c\x00\x1f\x7f\u{80}\u{9f}\u{a0}\u{fffd}\u{fffe}é中😀".repeat(3);
        let (mut total, mut bad) = (0, 0);
        for c in text.chars() {
            total += 1;
            if c == char::REPLACEMENT_CHARACTER
                || (c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\x0c'))
            {
                bad += 1;
            }
        }
        let decoded = Decoded {
            text,
            encoding: "UTF-8",
            had_errors: false,
        };
        let got = garbled(&decoded).expect("mostly bad");
        assert_eq!((got.bad, got.total), (bad, total));
    }

    /// Regression: `charset=utf-16` on UTF-8 text read as CJK noise, and an `absent` check
    /// passed on it.
    #[test]
    fn a_utf16_label_on_utf8_text_is_a_lie() {
        let d = decode(
            b"<p>GPL licensed</p>",
            Some("text/html; charset=utf-16"),
            true,
        );
        assert_eq!(d.text, "<p>GPL licensed</p>");
        assert_eq!(d.encoding, "UTF-8");
        // Real UTF-16 (with NULs) is still read as declared.
        let utf16: Vec<u8> = "GPL".encode_utf16().flat_map(u16::to_le_bytes).collect();
        let d = decode(&utf16, Some("text/plain; charset=utf-16le"), false);
        assert_eq!(d.text, "GPL");
    }

    #[test]
    fn mostly_replacement_or_control_characters_is_an_error() {
        let noise: Vec<u8> = (0..400u32).map(|i| (i * 151 % 256) as u8).collect();
        let err = decode_text(&noise, Some("text/html; charset=utf-8"), true).unwrap_err();
        assert!(err.to_string().contains("do not read as UTF-8"), "{err}");
        let controls = vec![1u8; 64];
        assert!(decode_text(&controls, None, false).is_err());
        // A page with a few bad bytes is still text.
        let mut page = b"<p>Revenue rose 12% in 2024.</p>\n".repeat(10);
        page.extend_from_slice(b"\xff\xfe\x01");
        assert!(decode_text(&page, Some("text/html; charset=utf-8"), true).is_ok());
        assert!(decode_text(b"", None, false).is_ok());
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]
        /// Any bytes, any declared charset: no panic, and the text or the error is consistent.
        #[test]
        fn decode_never_panics(
            bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..2048),
            label in proptest::sample::select(vec![
                "", "utf-8", "utf-16", "utf-16be", "shift_jis", "iso-8859-1", "gb18030",
                "x-user-defined", "iso-2022-jp", "bogus",
            ]),
            html in proptest::prelude::any::<bool>(),
        ) {
            let ct = format!("text/html; charset={label}");
            match decode_text(&bytes, Some(&ct), html) {
                Ok(d) => proptest::prop_assert!(garbled(&d).is_none()),
                Err(e) => proptest::prop_assert!(e.bad >= GARBLED_MIN && e.bad <= e.total),
            }
        }
    }

    #[test]
    fn utf8_without_declaration_stays_utf8() {
        let decoded = decode("café – 5,6 millions €".as_bytes(), None, true);
        assert_eq!(decoded.text, "café – 5,6 millions €");
        assert_eq!(decoded.encoding, "UTF-8");
        assert!(!decoded.had_errors);
    }

    #[test]
    fn ascii_without_declaration_is_utf8() {
        let decoded = decode(b"<p>plain</p>", None, true);
        assert_eq!(decoded.encoding, "UTF-8");
        assert_eq!(decoded.text, "<p>plain</p>");
    }

    #[test]
    fn windows_1252_from_header() {
        let bytes = b"\x93quoted\x94 caf\xe9 \x80 5";
        let decoded = decode(bytes, Some("text/html; charset=windows-1252"), true);
        assert_eq!(decoded.text, "\u{201c}quoted\u{201d} café € 5");
        assert_eq!(decoded.encoding, "windows-1252");
        assert!(!decoded.had_errors);
    }

    #[test]
    fn header_beats_meta() {
        let bytes = b"<meta charset=\"shift_jis\"><p>caf\xe9</p>";
        let decoded = decode(bytes, Some("text/html; charset=ISO-8859-1"), true);
        assert_eq!(decoded.encoding, "windows-1252");
        assert!(decoded.text.contains("café"));
    }

    #[test]
    fn iso_8859_1_from_meta_http_equiv() {
        let bytes = b"<!DOCTYPE html><html><head>\
            <META HTTP-EQUIV=\"Content-Type\" CONTENT=\"text/html; charset=ISO-8859-1\">\
            </head><body>na\xefve r\xe9sum\xe9</body></html>";
        assert_eq!(charset_from_meta(bytes), Some(WINDOWS_1252));
        let decoded = decode(bytes, Some("text/html"), true);
        assert_eq!(decoded.encoding, "windows-1252");
        assert!(decoded.text.contains("naïve résumé"), "{}", decoded.text);
    }

    #[test]
    fn meta_charset_attribute() {
        let bytes = b"<html><head><meta charset='iso-8859-15'></head>\xa4";
        let decoded = decode(bytes, None, true);
        assert_eq!(decoded.encoding, "ISO-8859-15");
        assert!(decoded.text.ends_with('€'));
    }

    #[test]
    fn meta_is_ignored_for_non_html() {
        let bytes = b"<meta charset=\"iso-8859-15\"> text";
        assert_eq!(decode(bytes, Some("text/plain"), false).encoding, "UTF-8");
    }

    #[test]
    fn meta_content_needs_http_equiv() {
        let bytes = b"<meta name=\"x\" content=\"text/html; charset=shift_jis\">";
        assert_eq!(charset_from_meta(bytes), None);
    }

    #[test]
    fn meta_in_comment_or_attribute_is_ignored() {
        let bytes = b"<!-- <meta charset=\"shift_jis\"> --><a title='<meta charset=koi8-r>'>\
            <meta charset=\"euc-kr\">";
        assert_eq!(charset_from_meta(bytes), Some(encoding_rs::EUC_KR));
    }

    #[test]
    fn meta_after_1024_bytes_is_not_seen() {
        let mut bytes = vec![b' '; META_PRESCAN_BYTES];
        bytes.extend_from_slice(b"<meta charset=\"shift_jis\">");
        assert_eq!(charset_from_meta(&bytes), None);
    }

    #[test]
    fn meta_utf16_means_utf8() {
        assert_eq!(charset_from_meta(b"<meta charset=utf-16>"), Some(UTF_8));
    }

    #[test]
    fn shift_jis_is_detected() {
        let text = "日本語のテキストです。東京都の人口は約千四百万人と発表されました。\
                    政府は新しい経済対策を決定し、来年度の予算案を国会に提出する予定です。";
        let (bytes, _, unmappable) = encoding_rs::SHIFT_JIS.encode(text);
        assert!(!unmappable);
        let decoded = decode(&bytes, Some("text/html"), true);
        assert_eq!(decoded.encoding, "Shift_JIS");
        assert_eq!(decoded.text, text);
        assert!(!decoded.had_errors);
    }

    #[test]
    fn windows_1252_is_detected() {
        let bytes = b"Le gouvernement a annonc\xe9 une hausse de 12\xa0% des d\xe9penses, \
            selon le minist\xe8re de l'\xc9conomie. C'\xe9tait pr\xe9vu.";
        let decoded = decode(bytes, None, false);
        assert_eq!(decoded.encoding, "windows-1252");
        assert!(decoded.text.contains("annoncé une hausse de 12\u{a0}%"));
    }

    #[test]
    fn boms_win_over_everything() {
        let decoded = decode(
            b"\xef\xbb\xbfcaf\xc3\xa9",
            Some("text/html; charset=windows-1252"),
            true,
        );
        assert_eq!(decoded.encoding, "UTF-8");
        assert_eq!(decoded.text, "café");

        let mut le = vec![0xff, 0xfe];
        le.extend("€5".encode_utf16().flat_map(u16::to_le_bytes));
        let decoded = decode(&le, Some("text/plain; charset=utf-8"), false);
        assert_eq!(decoded.encoding, "UTF-16LE");
        assert_eq!(decoded.text, "€5");

        let mut be = vec![0xfe, 0xff];
        be.extend("€5".encode_utf16().flat_map(u16::to_be_bytes));
        let decoded = decode(&be, None, true);
        assert_eq!(decoded.encoding, "UTF-16BE");
        assert_eq!(decoded.text, "€5");
    }

    #[test]
    fn invalid_utf8_is_replaced() {
        let bytes = b"caf\xc3\xa9 co\xfbte 5\xe2\x80\xafMd\xe2\x82\xac, na\xc3\xafve";
        let decoded = decode(bytes, None, true);
        assert_eq!(decoded.encoding, "UTF-8");
        assert!(decoded.had_errors);
        assert_eq!(decoded.text, "café co\u{fffd}te 5\u{202f}Md€, naïve");

        let declared = decode(b"ok \xff", Some("text/plain; charset=utf-8"), false);
        assert_eq!(declared.text, "ok \u{fffd}");
        assert!(declared.had_errors);
    }

    #[test]
    fn utf8_cut_mid_character_stays_utf8() {
        let bytes = "prix : 5 € et 6 €".as_bytes();
        let decoded = decode(&bytes[..bytes.len() - 1], None, true);
        assert_eq!(decoded.encoding, "UTF-8");
        assert!(decoded.had_errors);
        assert!(decoded.text.starts_with("prix : 5 € et 6 "));
    }

    /// A wrong header is followed, as browsers do: valid UTF-8 served as ISO-8859-1 decodes
    /// as windows-1252 (mojibake), which is what readers of the page see.
    #[test]
    fn wrong_header_charset_is_followed() {
        let decoded = decode(
            "café".as_bytes(),
            Some("text/html; charset=ISO-8859-1"),
            true,
        );
        assert_eq!(decoded.encoding, "windows-1252");
        assert_eq!(decoded.text, "cafÃ©");
        assert!(!decoded.had_errors);
    }

    #[test]
    fn content_type_charset_parsing() {
        assert_eq!(
            charset_from_content_type("text/html; charset=\"Shift_JIS\""),
            Some(encoding_rs::SHIFT_JIS)
        );
        assert_eq!(
            charset_from_content_type("text/html;Charset = utf-8 ; q=1"),
            Some(UTF_8)
        );
        assert_eq!(charset_from_content_type("text/html"), None);
        assert_eq!(charset_from_content_type("text/html; charset=bogus"), None);
        assert_eq!(charset_from_content_type("text/html; format=x"), None);
    }

    #[test]
    fn unknown_header_charset_falls_back_to_meta() {
        let bytes = b"<meta charset=windows-1252>caf\xe9";
        let decoded = decode(bytes, Some("text/html; charset=bogus"), true);
        assert_eq!(decoded.encoding, "windows-1252");
        assert_eq!(decoded.text, "<meta charset=windows-1252>café");
    }
}
