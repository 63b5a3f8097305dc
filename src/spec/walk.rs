//! Walking a spanned TOML tree: typed access to values that reports wrong types and unknown keys
//! as located diagnostics, so that one pass finds every error of a file.

use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;

use toml::Spanned;
use toml::de::{DeString, DeTable, DeValue};

use super::diagnostic::{Diagnostic, LineIndex, suggest};
use super::model::Pos;

/// A spanned TOML value.
pub(crate) type Value<'i> = Spanned<DeValue<'i>>;
/// A spanned TOML key.
pub(crate) type Key<'i> = Spanned<DeString<'i>>;

/// The diagnostics of one file, and the file they point into.
pub(crate) struct Ctx {
    /// The file as given.
    pub path: PathBuf,
    /// The file's text.
    pub text: Arc<str>,
    /// What was found so far.
    pub diags: Vec<Diagnostic>,
    /// The lines of `text`, indexed when first needed.
    lines: std::sync::OnceLock<LineIndex>,
}

/// What a value should have been, for "expected ..., found ..." messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Expected {
    Str,
    Int,
    Bool,
    Table,
    Array,
}

impl Expected {
    fn describe(self) -> &'static str {
        match self {
            Expected::Str => "a string",
            Expected::Int => "a whole number",
            Expected::Bool => "`true` or `false`",
            Expected::Table => "a table",
            Expected::Array => "an array",
        }
    }
}

/// "a string", "an integer", ...: what a value is, for messages.
pub(crate) fn describe(v: &DeValue<'_>) -> &'static str {
    match v {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a decimal number",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(d) if d.time.is_none() => "a date",
        DeValue::Datetime(_) => "a date-time",
        DeValue::Array(_) => "an array",
        DeValue::Table(_) => "a table",
    }
}

/// The entry named `key` in a table.
pub(crate) fn entry<'t, 'i>(
    table: &'t DeTable<'i>,
    key: &str,
) -> Option<(&'t Key<'i>, &'t Value<'i>)> {
    table.iter().find(|(k, _)| k.get_ref() == key)
}

impl Ctx {
    /// A context for the file at `path` with text `text`.
    pub fn new(path: PathBuf, text: Arc<str>) -> Self {
        Ctx {
            path,
            text,
            diags: Vec::new(),
            lines: std::sync::OnceLock::new(),
        }
    }

    /// The 1-based line and column of byte `byte` of the file (an index lookup, not a scan).
    pub fn line_col(&self, byte: usize) -> Pos {
        self.lines
            .get_or_init(|| LineIndex::new(&self.text))
            .line_col(&self.text, byte)
    }

    /// Records an error at `span` and returns it, to add a label and a hint.
    pub fn error(&mut self, span: Range<usize>, message: impl Into<String>) -> &mut Diagnostic {
        let d = Diagnostic::error(self.path.clone(), self.text.clone(), Some(span), message);
        self.diags.push(d);
        let last = self.diags.len() - 1;
        &mut self.diags[last]
    }

    /// The text of the file at `span` (empty when out of range).
    pub fn snippet(&self, span: Range<usize>) -> &str {
        self.text.get(span).unwrap_or("")
    }

    /// Records "expected X for `key`, found Y", with a hint when the fix is obvious.
    pub fn type_error(&mut self, key: &str, v: &Value<'_>, expected: Expected) {
        let raw = self.snippet(v.span()).to_owned();
        let found = describe(v.get_ref());
        let hint = match (expected, v.get_ref()) {
            (
                Expected::Str,
                DeValue::Integer(_)
                | DeValue::Float(_)
                | DeValue::Boolean(_)
                | DeValue::Datetime(_),
            ) if !raw.contains('\n') => Some(format!("put it in quotes: `{key} = \"{raw}\"`")),
            (Expected::Bool, DeValue::String(s)) if s == "true" || s == "false" => {
                Some(format!("write it without quotes: `{key} = {s}`"))
            }
            (Expected::Array, DeValue::String(_)) if !raw.contains('\n') => {
                Some(format!("put it in brackets: `{key} = [{raw}]`"))
            }
            (Expected::Int, DeValue::String(s)) if s.trim().parse::<u64>().is_ok() => {
                Some(format!("write it without quotes: `{key} = {}`", s.trim()))
            }
            _ => None,
        };
        let d = self.error(
            v.span(),
            format!(
                "expected {} for `{key}`, found {found}",
                expected.describe()
            ),
        );
        d.label(format!("expected {}", expected.describe()));
        if let Some(h) = hint {
            d.hint(h);
        }
    }

    /// The string value of `key`, or a type error.
    pub fn string<'v>(&mut self, key: &str, v: &'v Value<'_>) -> Option<&'v str> {
        match v.get_ref() {
            DeValue::String(s) => Some(s),
            _ => {
                self.type_error(key, v, Expected::Str);
                None
            }
        }
    }

    /// A string that must not be blank, or an error.
    pub fn text(&mut self, key: &str, v: &Value<'_>, what: &str) -> Option<String> {
        let s = self.string(key, v)?;
        if s.trim().is_empty() {
            self.error(v.span(), format!("`{key}` is empty"))
                .label(format!("expected {what}"));
            return None;
        }
        Some(s.to_owned())
    }

    /// A string, also accepting an unquoted TOML date (`row = 2025-01-27`) as its text.
    pub fn string_or_date(&mut self, key: &str, v: &Value<'_>) -> Option<String> {
        match v.get_ref() {
            DeValue::Datetime(d) => Some(d.to_string()),
            _ => self.string(key, v).map(str::to_owned),
        }
    }

    /// A calendar date: an unquoted TOML date (`until = 2026-06-30`) or the same in quotes;
    /// anything else (a time, a zone, another form) is an error whose hint shows `example`.
    pub fn date(&mut self, key: &str, v: &Value<'_>, example: &str) -> Option<jiff::civil::Date> {
        let hint = format!("write a date as YYYY-MM-DD, without quotes: `{key} = {example}`");
        let (date, label) = match v.get_ref() {
            DeValue::Datetime(d) if d.time.is_some() || d.offset.is_some() => {
                (None, "a date with a time: give the day alone")
            }
            DeValue::Datetime(d) => (
                d.date.and_then(|d| {
                    jiff::civil::Date::new(
                        i16::try_from(d.year).ok()?,
                        i8::try_from(d.month).ok()?,
                        i8::try_from(d.day).ok()?,
                    )
                    .ok()
                }),
                "not a date",
            ),
            DeValue::String(s) => {
                let t = s.trim();
                let shaped = t.len() == 10 && t.as_bytes().get(4) == Some(&b'-');
                let label = if shaped {
                    "no such day"
                } else {
                    "not a date written YYYY-MM-DD"
                };
                (crate::expiry::parse_date(s), label)
            }
            other => {
                let found = describe(other);
                self.error(
                    v.span(),
                    format!("expected a date for `{key}`, found {found}"),
                )
                .label("expected a date")
                .hint(hint);
                return None;
            }
        };
        if date.is_none() {
            let raw = self.snippet(v.span()).to_owned();
            self.error(
                v.span(),
                format!("invalid date {} in `{key}`", super::diagnostic::cut(&raw)),
            )
            .label(label)
            .hint(hint);
        }
        date
    }

    /// The boolean value of `key`, or a type error.
    pub fn boolean(&mut self, key: &str, v: &Value<'_>) -> Option<bool> {
        match v.get_ref() {
            DeValue::Boolean(b) => Some(*b),
            _ => {
                self.type_error(key, v, Expected::Bool);
                None
            }
        }
    }

    /// A whole number of at least 1, or an error.
    pub fn positive(&mut self, key: &str, v: &Value<'_>, hint: &str) -> Option<usize> {
        let DeValue::Integer(i) = v.get_ref() else {
            self.type_error(key, v, Expected::Int);
            return None;
        };
        match i64::from_str_radix(&i.as_str().replace('_', ""), i.radix()) {
            Ok(n) if n >= 1 => usize::try_from(n).ok(),
            Err(e) if *e.kind() == std::num::IntErrorKind::PosOverflow => {
                self.error(v.span(), format!("`{key}` is too large"))
                    .label("more than a whole number can hold")
                    .hint(hint);
                None
            }
            _ => {
                self.error(v.span(), format!("`{key}` must be 1 or more"))
                    .label("not a positive whole number")
                    .hint(hint);
                None
            }
        }
    }

    /// The table value of `key`, or a type error.
    pub fn table<'v, 'i>(&mut self, key: &str, v: &'v Value<'i>) -> Option<&'v DeTable<'i>> {
        match v.get_ref() {
            DeValue::Table(t) => Some(t),
            _ => {
                self.type_error(key, v, Expected::Table);
                None
            }
        }
    }

    /// An array of non-blank strings, or errors for each element that is not one.
    pub fn strings(&mut self, key: &str, v: &Value<'_>) -> Option<Vec<Spanned<String>>> {
        let DeValue::Array(items) = v.get_ref() else {
            self.type_error(key, v, Expected::Array);
            return None;
        };
        let mut out = Vec::new();
        let mut ok = true;
        for item in items.iter() {
            match self.string(key, item) {
                Some(s) => out.push(Spanned::new(item.span(), s.to_owned())),
                None => ok = false,
            }
        }
        ok.then_some(out)
    }

    /// Reports every key of `table` that is not in `allowed`, with the best hint: where the
    /// key belongs instead (`elsewhere`), else "did you mean", else `fallback`, else the list
    /// of allowed keys. Returns how many were reported.
    pub fn unknown_keys(
        &mut self,
        table: &DeTable<'_>,
        allowed: &[&str],
        place: &str,
        elsewhere: impl Fn(&str) -> Option<String>,
        fallback: Option<&str>,
    ) -> usize {
        let mut unknown = 0;
        for (k, _) in table.iter() {
            let name: &str = k.get_ref();
            if allowed.contains(&name) {
                continue;
            }
            unknown += 1;
            let hint = elsewhere(name)
                .or_else(|| {
                    suggest(name, allowed.iter().copied()).map(|s| format!("did you mean `{s}`?"))
                })
                .or_else(|| fallback.map(str::to_owned))
                .unwrap_or_else(|| format!("the keys of {place} are {}", list(allowed)));
            self.error(k.span(), format!("unknown key `{name}` in {place}"))
                .label("unknown key")
                .hint(hint);
        }
        unknown
    }
}

/// `` `a`, `b` and `c` ``.
pub(crate) fn list(names: &[&str]) -> String {
    join(names, "and")
}

/// `` `a`, `b` or `c` ``.
pub(crate) fn list_or(names: &[&str]) -> String {
    join(names, "or")
}

fn join(names: &[&str], word: &str) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    match quoted.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} {word} {last}", rest.join(", ")),
    }
}
