//! Loading assertion files: reading paths and directories, parsing TOML with spans, and the
//! file-level tables (`[document]`, `[sources]`); claims are validated in `claim` and `check`.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::ops::Range;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use toml::de::{DeTable, DeValue};

use super::claim;
use super::diagnostic::{Diagnostic, Diagnostics, suggest};
use super::model::{AssertionFile, DocumentRef, Format, SourceDef, Suite};
use super::walk::{Ctx, Expected, Value, entry};

/// The extension of assertion files found under a directory.
pub const ASSERTION_EXTENSION: &str = "toml";

/// The top-level keys of an assertion file.
const TOP_KEYS: [&str; 3] = ["document", "sources", "claim"];
/// The keys of `[document]`.
const DOCUMENT_KEYS: [&str; 4] = ["title", "path", "url", "published"];
/// The keys of a `[sources.NAME]` table.
const SOURCE_KEYS: [&str; 3] = ["url", "format", "archived"];

/// Loads files and directories (every `*.toml` below a directory, recursively, sorted), in the
/// order given, reporting every error of every file at once.
pub fn load_paths(paths: &[PathBuf]) -> Result<Suite, Diagnostics> {
    let mut suite = Suite::default();
    each_file(paths, |file| suite.files.push(file))?;
    Ok(suite)
}

/// Loads the assertion files of `paths` like [`load_paths`], but hands each valid file to `each`
/// instead of keeping it: a suite of any size is checked in the memory of its largest file.
/// Every error of every file is returned at the end.
pub fn each_file(
    paths: &[PathBuf],
    mut each: impl FnMut(AssertionFile),
) -> Result<(), Diagnostics> {
    let mut diags = Vec::new();
    for path in paths {
        let files = if path.is_dir() {
            let mut found = Vec::new();
            match find_toml(path, &mut found) {
                Ok(()) if found.is_empty() => {
                    let mut d = file_error(
                        path,
                        format!("no assertion files under `{}`", path.display()),
                    );
                    d.hint("assertion files end in `.toml`");
                    diags.push(d);
                }
                Ok(()) => {}
                Err(e) => diags.push(file_error(
                    path,
                    format!("cannot read the directory `{}`: {e}", path.display()),
                )),
            }
            found.sort();
            found
        } else {
            vec![path.clone()]
        };
        for file in files {
            match load_file(&file) {
                Ok(f) => each(f),
                Err(d) => diags.extend(d.0),
            }
        }
    }
    if diags.is_empty() {
        Ok(())
    } else {
        Err(Diagnostics(diags))
    }
}

/// Reads and validates one assertion file.
pub fn load_file(path: &Path) -> Result<AssertionFile, Diagnostics> {
    let bytes = fs::read(path).map_err(|e| {
        let mut d = file_error(path, format!("cannot read `{}`: {e}", path.display()));
        if e.kind() == std::io::ErrorKind::NotFound {
            d.hint("check the path; it is taken relative to the current directory");
        }
        Diagnostics(vec![d])
    })?;
    match String::from_utf8(bytes) {
        Ok(text) => load_str(path, &text),
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let text: Arc<str> = String::from_utf8_lossy(e.as_bytes()).into();
            let mut d = Diagnostic::error(
                path,
                text,
                Some(at..at + 1),
                format!("`{}` is not UTF-8 text", path.display()),
            );
            d.label("not UTF-8").hint("save the file as UTF-8");
            Err(Diagnostics(vec![d]))
        }
    }
}

/// Validates the text of an assertion file; `path` names it in diagnostics and anchors the
/// document's relative path.
pub fn load_str(path: &Path, text: &str) -> Result<AssertionFile, Diagnostics> {
    let mut ctx = Ctx::new(path.to_path_buf(), Arc::from(text));
    let (root, errors) = DeTable::parse_recoverable(text);
    if !errors.is_empty() {
        // A broken tree would give misleading "missing key" errors: report syntax alone.
        for e in &errors {
            syntax_error(&mut ctx, e);
        }
        return Err(finish(ctx));
    }
    let root = root.get_ref();
    ctx.unknown_keys(root, &TOP_KEYS, "the file", top_level_elsewhere, None);
    let document = entry(root, "document").and_then(|(_, v)| document(&mut ctx, path, v));
    let (sources, declared) = match entry(root, "sources") {
        Some((_, v)) => sources(&mut ctx, v),
        None => Default::default(),
    };
    let claims = match entry(root, "claim") {
        Some((_, v)) => claim::claims(&mut ctx, v, &sources, &declared),
        None => Vec::new(),
    };
    if !ctx.diags.is_empty() {
        return Err(finish(ctx));
    }
    Ok(AssertionFile {
        path: ctx.path,
        text: ctx.text,
        document,
        sources,
        claims,
    })
}

/// Sorts a file's diagnostics by position.
fn finish(mut ctx: Ctx) -> Diagnostics {
    ctx.diags
        .sort_by_key(|d| d.span.as_ref().map_or(0, |s| s.start));
    Diagnostics(ctx.diags)
}

/// A diagnostic about a whole file or directory.
fn file_error(path: &Path, message: String) -> Diagnostic {
    Diagnostic::error(path, Arc::from(""), None, message)
}

/// Every `*.toml` file below `dir`, skipping hidden entries.
fn find_toml(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for e in fs::read_dir(dir)? {
        let e = e?;
        let path = e.path();
        if e.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        if e.file_type()?.is_dir() {
            find_toml(&path, out)?;
        } else if path.extension().is_some_and(|x| x == ASSERTION_EXTENSION) {
            out.push(path);
        }
    }
    Ok(())
}

/// Turns a TOML parser error into a diagnostic, in plainer words for the common ones.
fn syntax_error(ctx: &mut Ctx, e: &toml::de::Error) {
    let span = e.span().unwrap_or(0..0);
    let message = e.message().to_owned();
    let line = line_at(&ctx.text, span.start).trim_start().to_owned();
    let quoted = ctx.snippet(span.clone()).to_owned();
    if message.starts_with("duplicate key") && line.starts_with('[') {
        let header = line
            .trim_end()
            .trim_end_matches(']')
            .trim_start_matches('[');
        let d = ctx.error(span, format!("the table [{header}] appears twice"));
        d.label("second definition");
        if header == "claim.check" {
            d.hint("a claim has one [claim.check] table with one check; for another check, start a new [[claim]]");
        } else {
            d.hint("merge the two tables into one");
        }
    } else if message.starts_with("duplicate key") {
        ctx.error(span, format!("duplicate key `{quoted}`"))
            .label("already set above")
            .hint("a key appears once per table; for another claim, start a new [[claim]]");
    } else if message.starts_with("string values must be quoted") {
        ctx.error(span, "text must be in quotes")
            .label("not quoted")
            .hint("write it as \"...\"");
    } else if message.starts_with("invalid basic string")
        || message.starts_with("invalid literal string")
    {
        ctx.error(span, "this string is not closed")
            .label("the line ends before the closing quote")
            .hint("close the quote on the same line, or use \"\"\"...\"\"\" for text over several lines");
    } else {
        ctx.error(span, format!("invalid TOML: {message}"))
            .label("here");
    }
}

/// The line of `text` that contains byte `at`.
fn line_at(text: &str, at: usize) -> &str {
    let at = at.min(text.len());
    let start = text
        .get(..at)
        .and_then(|s| s.rfind('\n'))
        .map_or(0, |i| i + 1);
    let end = text
        .get(at..)
        .and_then(|s| s.find('\n'))
        .map_or(text.len(), |i| at + i);
    text.get(start..end).unwrap_or("")
}

/// Where a claim key written at the top level belongs.
fn top_level_elsewhere(key: &str) -> Option<String> {
    claim::CLAIM_KEYS
        .contains(&key)
        .then(|| format!("`{key}` belongs to a claim: put it after a [[claim]] header"))
}

/// The `[document]` table.
fn document(ctx: &mut Ctx, path: &Path, v: &Value<'_>) -> Option<DocumentRef> {
    let t = ctx.table("document", v)?;
    ctx.unknown_keys(t, &DOCUMENT_KEYS, "[document]", |_| None, None);
    let mut doc = DocumentRef::default();
    if let Some((_, v)) = entry(t, "title") {
        doc.title = ctx.string("title", v).map(str::to_owned);
    }
    if let Some((_, v)) = entry(t, "path") {
        let base = path.parent().unwrap_or(Path::new(""));
        doc.path = ctx
            .text("path", v, "the draft's path")
            .map(|p| normalize(&base.join(p)));
    }
    if let Some((_, v)) = entry(t, "url") {
        doc.url = web_url(ctx, "url", v);
    }
    if let Some((_, v)) = entry(t, "published") {
        doc.published = ctx.date("published", v, "2025-01-28");
    }
    Some(doc)
}

/// Removes `.` and resolvable `..` components, without touching the file system.
fn normalize(path: &Path) -> PathBuf {
    let mut out: Vec<Component<'_>> = Vec::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir if matches!(out.last(), Some(Component::Normal(_))) => {
                out.pop();
            }
            c => out.push(c),
        }
    }
    out.iter().collect()
}

/// The `[sources]` table: the valid sources by name, and every name declared (valid or not,
/// so that a bad source is not also reported as undefined by each claim that cites it).
fn sources(ctx: &mut Ctx, v: &Value<'_>) -> (BTreeMap<String, SourceDef>, BTreeSet<String>) {
    let mut defs = BTreeMap::new();
    let mut declared = BTreeSet::new();
    let Some(t) = ctx.table("sources", v) else {
        return (defs, declared);
    };
    for (k, v) in t.iter() {
        let name: &str = k.get_ref();
        declared.insert(name.to_owned());
        if !is_source_name(name) {
            ctx.error(k.span(), format!("invalid source name `{name}`"))
                .label("not a source name")
                .hint(format!(
                    "use letters, digits, '-', '_' and '.', e.g. `{}`",
                    source_slug(name)
                ));
        }
        if let Some(def) = source(ctx, name, v) {
            defs.insert(name.to_owned(), def);
        }
    }
    (defs, declared)
}

/// One source: a URL string or a table `{url, format, archived}`.
fn source(ctx: &mut Ctx, name: &str, v: &Value<'_>) -> Option<SourceDef> {
    let t = match v.get_ref() {
        DeValue::String(_) => {
            let url = web_url(ctx, name, v)?;
            return Some(SourceDef {
                name: Some(name.to_owned()),
                url,
                format: None,
                archived: None,
            });
        }
        DeValue::Table(t) => t,
        other => {
            ctx.error(
                v.span(),
                format!(
                    "expected a URL or a table for source `{name}`, found {}",
                    super::walk::describe(other)
                ),
            )
            .label("expected a URL or a table")
            .hint(format!(
                "write `{name} = \"https://...\"`, or a [sources.{name}] table with `url`"
            ));
            return None;
        }
    };
    let place = format!("[sources.{name}]");
    // `[sources.deepseek.v3]` makes a table `deepseek` holding a table `v3`.
    let tables: std::collections::HashSet<&str> = t
        .iter()
        .filter(|(_, v)| v.get_ref().is_table())
        .map(|(k, _)| -> &str { k.get_ref() })
        .collect();
    let dotted = |key: &str| tables.contains(key);
    ctx.unknown_keys(
        t,
        &SOURCE_KEYS,
        &place,
        |key| {
            dotted(key).then(|| {
                format!("a source name with a '.' must be quoted: [sources.\"{name}.{key}\"]")
            })
        },
        None,
    );
    let url = match entry(t, "url") {
        Some((_, v)) => web_url(ctx, "url", v),
        None if t.iter().any(|(k, _)| dotted(k.get_ref())) => None,
        None => {
            ctx.error(v.span(), format!("source `{name}` has no `url`"))
                .label("no `url` in this table")
                .hint("add `url = \"https://...\"`");
            None
        }
    };
    let format = entry(t, "format").and_then(|(_, v)| format_name(ctx, v));
    let archived = entry(t, "archived").and_then(|(_, v)| web_url(ctx, "archived", v));
    let format_ok = entry(t, "format").is_none() || format.is_some();
    let archived_ok = entry(t, "archived").is_none() || archived.is_some();
    (format_ok && archived_ok).then_some(())?;
    Some(SourceDef {
        name: Some(name.to_owned()),
        url: url?,
        format,
        archived,
    })
}

/// A `format` name.
fn format_name(ctx: &mut Ctx, v: &Value<'_>) -> Option<Format> {
    let s = ctx.string("format", v)?;
    if let Some(f) = Format::from_name(s) {
        return Some(f);
    }
    let names: Vec<&str> = Format::ALL.iter().map(|(n, _)| *n).collect();
    let lower = s.to_lowercase();
    let close = names
        .iter()
        .copied()
        .find(|n| lower.split(|c: char| !c.is_alphanumeric()).any(|w| w == *n))
        .or_else(|| suggest(s, names.iter().copied()));
    let d = ctx.error(v.span(), format!("unknown format `{s}`"));
    d.label("not a format");
    match close {
        Some(n) => d.hint(format!("did you mean `{n}`?")),
        None => d.hint(format!(
            "`format` is one of {}; leave it out to detect the format",
            super::walk::list_or(&names)
        )),
    };
    None
}

/// Letters, digits, '-', '_' and '.'.
pub(crate) fn is_source_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// A source name made from any text: other characters become '-'.
fn source_slug(name: &str) -> String {
    let slug = slug_with(name, |c| c.is_alphanumeric() || matches!(c, '_' | '.'));
    if slug.is_empty() {
        "r1-readme".to_owned()
    } else {
        slug
    }
}

/// Keeps the characters `keep` accepts and turns every other run into one '-'.
pub(crate) fn slug_with(text: &str, keep: impl Fn(char) -> bool) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if keep(c) {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_owned()
}

/// A string that must be an http or https URL; `key` names it in messages.
pub(crate) fn web_url(ctx: &mut Ctx, key: &str, v: &Value<'_>) -> Option<String> {
    let DeValue::String(s) = v.get_ref() else {
        ctx.type_error(key, v, Expected::Str);
        return None;
    };
    check_url(ctx, s, v.span()).then(|| s.to_string())
}

/// Reports a URL that does not parse or is not http(s); true when it is fine.
pub(crate) fn check_url(ctx: &mut Ctx, s: &str, span: Range<usize>) -> bool {
    match url::Url::parse(s) {
        Ok(u) if matches!(u.scheme(), "http" | "https") => true,
        Ok(u) => {
            ctx.error(span, format!("unsupported URL scheme `{}`", u.scheme()))
                .label("only http and https are supported")
                .hint("factcheck reads sources over http or https; for a local copy, import it into the cache or a WARC archive");
            false
        }
        Err(e) => {
            let d = ctx.error(span, format!("`{s}` is not a valid URL"));
            d.label(match e {
                url::ParseError::RelativeUrlWithoutBase => "no `https://` at the start".to_owned(),
                url::ParseError::EmptyHost => "no host name".to_owned(),
                url::ParseError::InvalidPort => "invalid port".to_owned(),
                url::ParseError::IdnaError | url::ParseError::InvalidDomainCharacter => {
                    "invalid host name".to_owned()
                }
                other => other.to_string(),
            });
            if s.contains(char::is_whitespace) {
                d.hint("a URL has no spaces: check for a typo, or write a space in a path as %20");
            } else if e == url::ParseError::RelativeUrlWithoutBase {
                d.hint(format!(
                    "write the full address, with its scheme: `https://{}`",
                    s.trim_start_matches('/')
                ));
            }
            false
        }
    }
}
