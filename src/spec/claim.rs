//! Validating `[[claim]]` tables: ids, statements, sources, expectations and the part of the page
//! to read; the `[claim.check]` table is validated in `check`.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::Range;

use toml::Spanned;
use toml::de::DeValue;

use super::check::{self, CHECK_KEYS};
use super::diagnostic::suggest;
use super::load::{check_url, slug_with};
use super::model::{
    Check, CheckKind, Claim, FigureCheck, Format, Locator, Require, SourceDef, Until, Verdict,
    Within,
};
use super::syntax;
use super::walk::{Ctx, Key, Value, describe, entry, list, list_or};

/// The keys of a `[[claim]]` table.
pub(crate) const CLAIM_KEYS: [&str; 13] = [
    "id",
    "statement",
    "quote",
    "source",
    "sources",
    "require",
    "expect",
    "until",
    "why",
    "within",
    "note",
    "tags",
    "check",
];

/// The most defined source names "did you mean" compares an undefined one with.
const MAX_SUGGESTED_AMONG: usize = 1000;
/// The most defined source names a hint lists.
const MAX_LISTED_SOURCES: usize = 6;

/// Every valid claim of the `claim` array, reporting the errors of the others.
pub(crate) fn claims(
    ctx: &mut Ctx,
    v: &Value<'_>,
    sources: &BTreeMap<String, SourceDef>,
    declared: &BTreeSet<String>,
) -> Vec<Claim> {
    let items = match v.get_ref() {
        DeValue::Array(items) => items,
        DeValue::Table(_) => {
            ctx.error(
                v.span(),
                "claims are written [[claim]], with double brackets",
            )
            .label("a single table")
            .hint("start each claim with its own [[claim]] header");
            return Vec::new();
        }
        other => {
            ctx.error(
                v.span(),
                format!("expected [[claim]] tables, found {}", describe(other)),
            )
            .label("not a claim")
            .hint("start each claim with a [[claim]] header");
            return Vec::new();
        }
    };
    let mut ids = HashMap::new();
    items
        .iter()
        .filter_map(|item| claim(ctx, item, sources, declared, &mut ids))
        .collect()
}

/// One claim; `ids` maps the ids seen so far to the line they were first used on.
fn claim(
    ctx: &mut Ctx,
    item: &Value<'_>,
    sources: &BTreeMap<String, SourceDef>,
    declared: &BTreeSet<String>,
    ids: &mut HashMap<String, usize>,
) -> Option<Claim> {
    let header = item.span();
    let DeValue::Table(t) = item.get_ref() else {
        ctx.error(
            header,
            format!("expected a claim table, found {}", describe(item.get_ref())),
        )
        .label("not a claim");
        return None;
    };
    let before = ctx.diags.len();
    ctx.unknown_keys(t, &CLAIM_KEYS, "[[claim]]", claim_elsewhere, None);

    let id = match entry(t, "id") {
        Some((_, v)) => id(ctx, v, ids),
        None => {
            missing(
                ctx,
                header.clone(),
                "id",
                "add `id = \"...\"`: lowercase letters, digits and '-', unique in this file",
            );
            None
        }
    };
    let statement = match entry(t, "statement") {
        Some((_, v)) => ctx.text("statement", v, "the claim in plain words"),
        None => {
            missing(
                ctx,
                header.clone(),
                "statement",
                "add `statement = \"...\"`: the claim in plain words",
            );
            None
        }
    };
    let quote =
        entry(t, "quote").and_then(|(_, v)| ctx.text("quote", v, "the document's exact words"));
    let note = entry(t, "note").and_then(|(_, v)| ctx.string("note", v).map(str::to_owned));
    let tags = match entry(t, "tags") {
        Some((_, v)) => ctx
            .strings("tags", v)
            .map(|t| t.into_iter().map(Spanned::into_inner).collect()),
        None => Some(Vec::new()),
    };

    let single = entry(t, "source");
    let several = entry(t, "sources");
    if let (Some((k1, _)), Some((k2, _))) = (single, several) {
        let (first, second) = if k1.span().start < k2.span().start {
            (k1, k2)
        } else {
            (k2, k1)
        };
        ctx.error(second.span(), "a claim has `source` or `sources`, not both")
            .label(format!("`{}` is set too", first.get_ref()))
            .hint("put every source in `sources = [...]`");
    }
    let resolved = match (single, several) {
        (Some((_, v)), _) => ctx
            .string("source", v)
            .map(str::to_owned)
            .and_then(|s| resolve(ctx, &s, v.span(), sources, declared))
            .map(|s| vec![s]),
        (None, Some((_, v))) => source_list(ctx, v, sources, declared),
        (None, None) => Some(Vec::new()),
    };
    // An empty `sources` is reported as such, not also as a source without a check.
    let has_source = single.is_some()
        || several.is_some_and(|(_, v)| v.get_ref().as_array().is_none_or(|a| !a.is_empty()));

    let require = match entry(t, "require") {
        Some((_, v)) => require(ctx, v),
        None => Some(Require::default()),
    };
    let expect = match entry(t, "expect") {
        Some((_, v)) => expect(ctx, v, has_source),
        None => Some(Verdict::Supported),
    };
    let why = entry(t, "why")
        .and_then(|(_, v)| ctx.text("why", v, "why the claim has its expected verdict"));
    let until = entry(t, "until").map(|(k, v)| {
        until(
            ctx,
            k,
            v,
            entry(t, "expect").is_some(),
            entry(t, "why").is_some(),
        )
    });
    let within = match entry(t, "within") {
        Some((_, v)) => within(ctx, v),
        None => Some(Within::default()),
    };
    let check = match entry(t, "check") {
        Some((k, v)) => check::check(ctx, k, v).map(Some),
        None if has_source => {
            let what = match entry(t, "id").map(|(_, v)| v.get_ref()) {
                Some(DeValue::String(s)) => format!("claim `{s}`"),
                _ => "this claim".to_owned(),
            };
            ctx.error(header.clone(), format!("{what} has a source but no check"))
                .label("no [claim.check] in this claim")
                .hint(format!(
                    "add a [claim.check] table with one of {}, e.g. `contains = \"MIT License\"`",
                    list_or(&check::KINDS)
                ));
            None
        }
        None => Some(None),
    };

    if let (Some(Some(check)), Some(sources), Some((_, check_value))) =
        (&check, &resolved, entry(t, "check"))
    {
        published_needs_html(ctx, check, sources, check_value);
    }
    if ctx.diags.len() > before {
        return None;
    }
    let id_span = entry(t, "id").map(|(_, v)| v.span())?;
    Some(Claim {
        id: id?,
        statement: statement?,
        quote,
        sources: resolved?,
        require: require?,
        expect: expect?,
        until: until.flatten(),
        why,
        within: within?,
        note,
        tags: tags?,
        check: check?,
        pos: ctx.line_col(header.start),
        id_span,
    })
}

/// Reports `published = true` on a source known not to be HTML (by its `format`, else its
/// URL's suffix); a source of unknown format is checked when read.
fn published_needs_html(ctx: &mut Ctx, check: &Check, sources: &[SourceDef], v: &Value<'_>) {
    let CheckKind::Date(FigureCheck {
        locator: Locator::Published,
        ..
    }) = &check.kind
    else {
        return;
    };
    let DeValue::Table(t) = v.get_ref() else {
        return;
    };
    let Some((key, _)) = entry(t, "published") else {
        return;
    };
    for source in sources {
        let format = source
            .format
            .or_else(|| crate::page::format_from_url(&source.url));
        let Some(format) = format.filter(|f| *f != Format::Html) else {
            continue;
        };
        let name = source.name.as_deref().unwrap_or(&source.url);
        ctx.error(
            key.span(),
            format!("`published` needs an HTML page, and `{name}` is {format}"),
        )
        .label("reads an HTML page's metadata")
        .hint("locate the date in this source with `near`, `pattern` or `cell`");
    }
}

/// Reports a required key that a claim lacks, at the claim's header.
fn missing(ctx: &mut Ctx, header: Range<usize>, key: &str, hint: &str) {
    ctx.error(header, format!("claim has no `{key}`"))
        .label(format!("this claim needs `{key}`"))
        .hint(hint);
}

/// Where a key written in a claim belongs instead.
fn claim_elsewhere(key: &str) -> Option<String> {
    if CHECK_KEYS.contains(&key) {
        return Some(format!(
            "checks go under [claim.check]: put `{key}` after a [claim.check] header, or write `check.{key} = ...`"
        ));
    }
    matches!(key, "url" | "link" | "href").then(|| {
        "a claim names its source with `source = \"...\"`: a name from [sources] or a URL"
            .to_owned()
    })
}

/// A claim id: lowercase letters, digits and '-', unique in the file.
fn id(ctx: &mut Ctx, v: &Value<'_>, ids: &mut HashMap<String, usize>) -> Option<String> {
    let s = ctx.string("id", v)?.to_owned();
    let line = ctx.line_col(v.span().start).line;
    if let Some(first) = ids.get(&s) {
        ctx.error(v.span(), format!("duplicate claim id `{s}`"))
            .label("used again here")
            .hint(format!(
                "the first claim with this id is on line {first}; ids must be unique within a file"
            ));
        return None;
    }
    ids.insert(s.clone(), line);
    if s.is_empty()
        || !s
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        let slug = slug_with(&s.to_lowercase(), |c| {
            c.is_ascii_lowercase() || c.is_ascii_digit()
        });
        let example = if slug.is_empty() {
            "r1-mit-license".to_owned()
        } else {
            slug
        };
        ctx.error(v.span(), format!("invalid claim id `{s}`"))
            .label("use only lowercase letters, digits and '-'")
            .hint(format!("try `id = \"{example}\"`"));
        return None;
    }
    Some(s)
}

/// A `sources = [...]` list: at least one source, each once.
fn source_list(
    ctx: &mut Ctx,
    v: &Value<'_>,
    sources: &BTreeMap<String, SourceDef>,
    declared: &BTreeSet<String>,
) -> Option<Vec<SourceDef>> {
    let items = ctx.strings("sources", v)?;
    if items.is_empty() {
        ctx.error(v.span(), "`sources` is empty")
            .label("no source listed")
            .hint("list at least one source, or remove `sources` to leave the claim unsourced");
        return None;
    }
    let mut out: Vec<(String, SourceDef)> = Vec::new();
    // Each URL listed so far, with the index of its entry in `out`.
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut ok = true;
    for item in items {
        let span = item.span();
        let raw = item.into_inner();
        let Some(def) = resolve(ctx, &raw, span.clone(), sources, declared) else {
            ok = false;
            continue;
        };
        if let Some((first, _)) = seen.get(&def.url).and_then(|&i| out.get(i)) {
            let message = if *first == raw {
                format!("`{raw}` is listed twice")
            } else {
                format!("`{raw}` and `{first}` are the same source")
            };
            ctx.error(span, message)
                .label("listed already")
                .hint("list each source once");
            ok = false;
            continue;
        }
        seen.insert(def.url.clone(), out.len());
        out.push((raw, def));
    }
    ok.then(|| out.into_iter().map(|(_, d)| d).collect())
}

/// A source as a claim names it: a URL (it contains "://") or a name from `[sources]`.
fn resolve(
    ctx: &mut Ctx,
    s: &str,
    span: Range<usize>,
    sources: &BTreeMap<String, SourceDef>,
    declared: &BTreeSet<String>,
) -> Option<SourceDef> {
    if s.contains("://") {
        return check_url(ctx, s, span).then(|| SourceDef {
            name: None,
            url: s.to_owned(),
            format: None,
            archived: None,
        });
    }
    if let Some(def) = sources.get(s) {
        return Some(def.clone());
    }
    if declared.contains(s) {
        // Defined, but with errors of its own, reported there.
        return None;
    }
    let names: Vec<&str> = declared.iter().map(String::as_str).collect();
    // With thousands of names, "did you mean" would cost a distance per name per claim.
    let close = if names.len() <= MAX_SUGGESTED_AMONG {
        suggest(s, names.iter().copied())
    } else {
        None
    };
    let hint = if let Some(n) = close {
        format!("did you mean `{n}`?")
    } else if s.starts_with("www.") || s.contains('/') {
        format!("a URL needs its scheme: write `https://{s}`")
    } else if names.is_empty() {
        "define it under [sources] or write a URL".to_owned()
    } else if names.len() <= MAX_LISTED_SOURCES {
        format!(
            "define it under [sources] or write a URL; the sources defined are {}",
            list(&names)
        )
    } else {
        "define it under [sources] or write a URL".to_owned()
    };
    ctx.error(span, format!("undefined source `{s}`"))
        .label("not defined under [sources]")
        .hint(hint);
    None
}

/// `require = "any" | "all"`.
fn require(ctx: &mut Ctx, v: &Value<'_>) -> Option<Require> {
    match ctx.string("require", v)? {
        "any" => Some(Require::Any),
        "all" => Some(Require::All),
        other => {
            let d = ctx.error(
                v.span(),
                format!("`require` must be `any` or `all`, found `{other}`"),
            );
            d.label("not `any` or `all`");
            let close = match other.to_lowercase().as_str() {
                "every" | "each" | "both" => Some("all"),
                "one" | "either" | "some" => Some("any"),
                _ => suggest(other, ["any", "all"]),
            };
            match close {
                Some(s) => d.hint(format!("did you mean `{s}`?")),
                None => d.hint("`any`: one source supports and none disputes (the default); `all`: every source supports"),
            };
            None
        }
    }
}

/// `expect`: a verdict; a claim with a source is never `unsourced`.
fn expect(ctx: &mut Ctx, v: &Value<'_>, has_source: bool) -> Option<Verdict> {
    let s = ctx.string("expect", v)?;
    let names: Vec<&str> = Verdict::ALL.iter().map(|v| v.name()).collect();
    let Some(verdict) = Verdict::from_name(s) else {
        let synonym = match s.to_lowercase().as_str() {
            "true" | "yes" | "correct" | "confirmed" | "verified" | "pass" => Some("supported"),
            "false" | "no" | "wrong" | "incorrect" | "refuted" | "contradicted" | "fail" => {
                Some("disputed")
            }
            "missing" | "unsupported" => Some("not_found"),
            _ => None,
        };
        let d = ctx.error(v.span(), format!("unknown verdict `{s}`"));
        d.label("not a verdict");
        match (synonym, suggest(s, names.iter().copied())) {
            (Some(n), _) => d.hint(format!(
                "did you mean `{n}`? `expect` is one of {}",
                list_or(&names)
            )),
            (None, Some(n)) => d.hint(format!("did you mean `{n}`?")),
            (None, None) => d.hint(format!("`expect` is one of {}", list_or(&names))),
        };
        return None;
    };
    if verdict == Verdict::Unsourced && has_source {
        ctx.error(v.span(), "a claim with a source is never `unsourced`")
            .label("cannot happen")
            .hint("remove the source to list the claim as unsourced, or expect another verdict");
        return None;
    }
    Some(verdict)
}

/// `until = 2026-06-30`: the last day of an expectation, which needs `expect` and `why`.
fn until(
    ctx: &mut Ctx,
    k: &Key<'_>,
    v: &Value<'_>,
    has_expect: bool,
    has_why: bool,
) -> Option<Until> {
    if !has_expect {
        ctx.error(k.span(), "`until` ends an expectation, and this claim has no `expect`")
            .label("the end of which expectation?")
            .hint("write the verdict expected until then, e.g. `expect = \"disputed\"`, or remove `until`");
    }
    if !has_why {
        ctx.error(k.span(), "`until` needs a `why`")
            .label("an end date with no reason")
            .hint("say why the claim has its expected verdict until then, e.g. `why = \"correction requested from the publisher\"`");
    }
    let date = ctx.date("until", v, "2026-06-30")?;
    Some(Until {
        date,
        pos: ctx.line_col(v.span().start),
    })
}

/// `within = "main" | "page" | "<CSS selector>"`.
fn within(ctx: &mut Ctx, v: &Value<'_>) -> Option<Within> {
    match ctx.string("within", v)? {
        "main" => Some(Within::Main),
        "page" => Some(Within::Page),
        _ => syntax::selector(ctx, "within", v).map(Within::Selector),
    }
}
