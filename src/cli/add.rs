//! `factcheck add URL`: fetch a source (politely, through the cache; offline, from the archives
//! only), keep it (the cache, and a WARC capture file with `--warc`), name it in an assertion
//! file's `[sources]` (edited with `toml_edit`, comments kept), and say what it holds: title,
//! format, size, main content, its first lines, its figures and dates.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use clap::Args;
use toml_edit::{DocumentMut, Item, Table, value};

use crate::config::Config;
use crate::figure::date::scan_dates_in;
use crate::page::{Page, detect_format};
use crate::source::cache::write_atomic;
use crate::source::file::AtomicFile;
use crate::source::warc::{WarcArchive, WarcWriter};
use crate::source::{Obtain, Snapshot};
use crate::spec::Within;

use super::{CliError, EXIT_FAILED, EXIT_OK, SourceArgs};

/// Figures and dates listed in the summary (the count says how many there are).
const LISTED: usize = 12;
/// Lines of the main content shown.
const FIRST_LINES: usize = 3;
/// Characters of a shown line.
const LINE_CHARS: usize = 100;
/// Longest name derived from a URL.
const NAME_CHARS: usize = 40;

/// Arguments of `add`.
#[derive(Debug, Args)]
pub struct AddArgs {
    /// The source's URL
    pub url: String,
    /// Its name in `[sources]` [default: from the URL's host and last path segment]
    #[arg(long)]
    pub name: Option<String>,
    /// The assertion file to add it to [default: the only one under the assertions directory]
    #[arg(long, value_name = "FILE")]
    pub to: Option<PathBuf>,
    /// Also append the copy to this WARC capture file (created when missing; `.gz` compresses),
    /// so the evidence can be committed and replayed offline
    #[arg(long, value_name = "FILE")]
    pub warc: Option<PathBuf>,
    /// Also make it the source of every claim in the file that names none yet (the stubs of
    /// `figures --scaffold`)
    #[arg(long)]
    pub attach: bool,
    #[command(flatten)]
    pub sources: SourceArgs,
}

/// Runs `add`.
pub fn run(args: AddArgs) -> Result<u8, CliError> {
    let cwd = std::env::current_dir().map_err(|e| CliError::failed(&e))?;
    let config = super::config(&cwd)?;
    let url = check_url(&args.url)?;
    if let Some(name) = &args.name {
        check_name(name)?;
    }
    let target = match &args.to {
        Some(to) => cwd.join(to),
        None => only_assertion_file(&config)?,
    };
    // Read the file first: a bad file is found before anything is fetched.
    let mut doc = match fs::read_to_string(&target) {
        Ok(text) => text
            .parse::<DocumentMut>()
            .map_err(|e| CliError::Invalid(format!("{}: not valid TOML: {e}", target.display())))?,
        Err(e) if e.kind() == io::ErrorKind::NotFound => DocumentMut::new(),
        Err(e) => {
            return Err(CliError::Invalid(format!(
                "cannot read {}: {e}",
                target.display()
            )));
        }
    };

    let options = args.sources.options(&config)?;
    let sources = super::open_sources(&options)?;
    let snapshot = match sources.get(&url) {
        Ok(snapshot) => snapshot,
        Err(Obtain::Unavailable(reason)) => {
            eprintln!(
                "error: {url} could not be had: {reason}\nhint: {}",
                hint(&reason, options.offline)
            );
            return Ok(EXIT_FAILED);
        }
        Err(Obtain::Failed(e)) => return Err(CliError::failed(&e)),
    };
    let format = detect_format(
        snapshot.meta.content_type.as_deref(),
        &snapshot.meta.final_url,
        &snapshot.body,
    );
    let page = match crate::caught::catch(|| Page::read(&snapshot, Some(format))) {
        Ok(Ok(page)) => page,
        Ok(Err(e)) => {
            eprintln!(
                "error: {url} was fetched but cannot be read as {format}: {}\nhint: if it is \
                 another format, add it by hand with `format = \"...\"`",
                super::error_chain(&e)
            );
            return Ok(EXIT_FAILED);
        }
        Err(panic) => return Err(CliError::failed(&panic)),
    };

    let (name, added) = add_source(&mut doc, &url, args.name.as_deref(), format.name())?;
    // The capture first: a WARC file that cannot take the record leaves the assertion file as it
    // was; a record whose assertion-file write then fails is harmless (the next run skips it).
    let captured = match &args.warc {
        Some(warc) => Some(append_to_warc(warc, &snapshot)?),
        None => None,
    };
    let attached = if args.attach {
        attach(&mut doc, &name)
    } else {
        Vec::new()
    };
    if added || !attached.is_empty() {
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent).map_err(|e| {
                CliError::Failed(format!("cannot create {}: {e}", parent.display()))
            })?;
        }
        write_atomic(&target, doc.to_string().as_bytes()).map_err(|e| CliError::failed(&e))?;
    }

    let mut out = String::new();
    if added {
        out.push_str(&format!(
            "added `{name}` to the [sources] of {}\n",
            target.display()
        ));
    } else {
        out.push_str(&format!(
            "{url} is already in {} as `{name}`: nothing changed there\n",
            target.display()
        ));
    }
    if !attached.is_empty() {
        out.push_str(&format!(
            "made `{name}` the source of {} claim{}: {}\n",
            attached.len(),
            if attached.len() == 1 { "" } else { "s" },
            attached.join(", ")
        ));
    }
    match (&args.warc, captured) {
        (Some(warc), Some(true)) => {
            out.push_str(&format!("appended to {}\n", warc.display()));
        }
        (Some(warc), Some(false)) => {
            out.push_str(&format!("already in {}\n", warc.display()));
        }
        _ => {}
    }
    out.push_str(&summary(&snapshot, &page, format.name()));
    print!("{out}");
    Ok(EXIT_OK)
}

/// The URL, when it is an absolute http(s) URL.
fn check_url(url: &str) -> Result<String, CliError> {
    match url::Url::parse(url) {
        Ok(parsed) if matches!(parsed.scheme(), "http" | "https") && parsed.has_host() => {
            Ok(url.to_string())
        }
        Ok(parsed) => Err(CliError::Invalid(format!(
            "{url}: not an http(s) URL (scheme `{}`)",
            parsed.scheme()
        ))),
        Err(e) => Err(CliError::Invalid(format!(
            "{url}: not a URL ({e}); write it whole, e.g. https://example.com/page"
        ))),
    }
}

/// A source name: lowercase letters, digits, '-' and '_'.
fn check_name(name: &str) -> Result<(), CliError> {
    let ok = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
    if ok {
        Ok(())
    } else {
        Err(CliError::Invalid(format!(
            "--name {name:?}: use lowercase letters, digits, '-' and '_'"
        )))
    }
}

/// The assertion file when the assertions directory holds exactly one.
fn only_assertion_file(config: &Config) -> Result<PathBuf, CliError> {
    let mut files = Vec::new();
    for path in config.assertion_paths() {
        if path.is_file() {
            files.push(path);
        } else if let Ok(entries) = fs::read_dir(&path) {
            let mut found: Vec<PathBuf> = entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "toml"))
                .collect();
            found.sort();
            files.extend(found);
        }
    }
    match files.len() {
        1 => Ok(files.remove(0)),
        0 => Err(CliError::Invalid(
            "no assertion file to add the source to: name one with --to FILE (it is created \
             when missing)"
                .to_string(),
        )),
        _ => Err(CliError::Invalid(format!(
            "{} assertion files: choose one with --to FILE ({})",
            files.len(),
            files
                .iter()
                .map(|f| f.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ))),
    }
}

/// Adds `url` to `doc`'s `[sources]` as `[sources.<name>]` with its format; returns the name,
/// and whether anything was added (a URL already there keeps its name).
fn add_source(
    doc: &mut DocumentMut,
    url: &str,
    name: Option<&str>,
    format: &str,
) -> Result<(String, bool), CliError> {
    if !doc.contains_key("sources") {
        let mut sources = Table::new();
        sources.set_implicit(true);
        doc.insert("sources", Item::Table(sources));
    }
    let sources = doc["sources"].as_table_like_mut().ok_or_else(|| {
        CliError::Invalid("`sources` in the assertion file is not a table".to_string())
    })?;
    for (key, item) in sources.iter() {
        let existing = item
            .as_str()
            .or_else(|| item.as_table_like().and_then(|t| t.get("url")?.as_str()));
        if existing == Some(url) {
            return Ok((key.to_string(), false));
        }
    }
    let name = match name {
        Some(name) if sources.contains_key(name) => {
            return Err(CliError::Invalid(format!(
                "--name {name}: the file already has a source of that name (for another URL)"
            )));
        }
        Some(name) => name.to_string(),
        None => {
            let base = name_from_url(url);
            let mut name = base.clone();
            let mut n = 2;
            while sources.contains_key(&name) {
                name = format!("{base}-{n}");
                n += 1;
            }
            name
        }
    };
    let mut table = Table::new();
    table.insert("url", value(url));
    table.insert("format", value(format));
    sources.insert(&name, Item::Table(table));
    Ok((name, true))
}

/// Names `name` as the `source` of every `[[claim]]` of `doc` with neither `source` nor
/// `sources`, before its check; returns their ids.
fn attach(doc: &mut DocumentMut, name: &str) -> Vec<String> {
    let Some(claims) = doc.get_mut("claim").and_then(Item::as_array_of_tables_mut) else {
        return Vec::new();
    };
    let mut ids = Vec::new();
    for claim in claims.iter_mut() {
        if claim.contains_key("source") || claim.contains_key("sources") {
            continue;
        }
        // Before the check, where a person would write it.
        let check = claim.remove("check");
        claim.insert("source", value(name));
        if let Some(check) = check {
            claim.insert("check", check);
        }
        ids.push(
            claim
                .get("id")
                .and_then(Item::as_str)
                .unwrap_or("?")
                .to_string(),
        );
    }
    ids
}

/// A name from the URL's host (without `www.` and the top-level domain) and its last path
/// segment (without extension): `https://www.example.com/news/cost.html` → `example-cost`.
fn name_from_url(url: &str) -> String {
    let parsed = url::Url::parse(url).ok();
    let host = parsed
        .as_ref()
        .and_then(|u| u.host_str().map(str::to_string))
        .unwrap_or_default();
    let host = host.trim_start_matches("www.");
    let host = host.rsplit_once('.').map_or(host, |(h, _)| h);
    let last = parsed
        .as_ref()
        .and_then(|u| u.path_segments()?.rev().find(|s| !s.is_empty()))
        .map(|s| s.rsplit_once('.').map_or(s, |(stem, _)| stem).to_string())
        .unwrap_or_default();
    let mut name = String::new();
    for c in format!("{host} {last}")
        .chars()
        .flat_map(char::to_lowercase)
    {
        if c.is_ascii_alphanumeric() {
            name.push(c);
        } else if !name.is_empty() && !name.ends_with('-') {
            name.push('-');
        }
        if name.len() >= NAME_CHARS {
            break;
        }
    }
    let name = name.trim_matches('-').to_string();
    if name.is_empty() {
        "source".to_string()
    } else {
        name
    }
}

/// What to do about a source that could not be had.
fn hint(reason: &str, offline: bool) -> &'static str {
    if offline {
        "run without --offline to fetch it, or add a WARC file that holds it (--archive FILE)"
    } else if reason.contains(" address") {
        "it is a local or private address: pass --allow-private-addresses if you mean it"
    } else if reason.contains("too large") || reason.contains("larger than") {
        "raise `body_limit` under [http] in factcheck.toml, or point at a smaller copy"
    } else if reason.contains("HTTP 4") {
        "check the URL; a page that is gone may have an archived copy (web.archive.org)"
    } else {
        "check the URL and your connection, then try again later; the server may be down"
    }
}

/// Appends the copy to the WARC file, unless the file already holds the URL; returns whether it
/// did. The file is replaced whole (a copy with the record appended, synced, then renamed), so
/// an interrupted run leaves it as it was.
fn append_to_warc(path: &Path, snapshot: &Snapshot) -> Result<bool, CliError> {
    let exists = path.exists();
    if exists {
        let archive = WarcArchive::open(path).map_err(|e| {
            CliError::Invalid(format!(
                "{}: cannot read it as a WARC file: {}",
                path.display(),
                super::error_chain(&e)
            ))
        })?;
        if archive.contains(&snapshot.meta.url) {
            return Ok(false);
        }
    }
    let gzip = path.extension().is_some_and(|x| x == "gz");
    let page = super::cache::archived_page(&snapshot.meta, snapshot.body.clone());
    let mut writer = WarcWriter::new(Vec::new(), env!("CARGO_PKG_VERSION"), gzip);
    writer.write_page(&page).map_err(|e| CliError::failed(&e))?;
    let record = writer.finish().map_err(|e| CliError::failed(&e))?;
    let dir = crate::source::file::parent_dir(path);
    fs::create_dir_all(dir)
        .map_err(|e| CliError::Failed(format!("cannot create {}: {e}", dir.display())))?;
    // The old file is streamed into the new one (a capture may be large), the record appended,
    // and the whole put in place once synced.
    let failed = |e: io::Error| CliError::Failed(format!("cannot write {}: {e}", path.display()));
    let mut out = AtomicFile::create(path)
        .map_err(|e| CliError::Invalid(format!("{}: {e}", path.display())))?;
    if exists {
        let mut old = fs::File::open(path).map_err(failed)?;
        io::copy(&mut old, &mut out).map_err(failed)?;
    }
    out.write_all(&record).map_err(failed)?;
    out.commit().map_err(failed)?;
    Ok(true)
}

/// The summary: title, format, size, where the copy came from, the main content's length and
/// first lines, the figures and dates.
fn summary(snapshot: &Snapshot, page: &Page, format: &str) -> String {
    let mut s = String::new();
    if let Some(title) = page.with_dom(|d| d.title()).flatten() {
        s.push_str(&format!("  title:   {title}\n"));
    }
    s.push_str(&format!(
        "  format:  {format}, {} bytes, from the {}{}\n",
        snapshot.body.len(),
        snapshot.origin,
        Some(&snapshot.meta.retrieved)
            .filter(|r| !r.is_empty())
            .map(|r| format!(" (retrieved {r})"))
            .unwrap_or_default()
    ));
    let main = page.main_text();
    let whole = page.text();
    if main.len() == whole.len() {
        s.push_str(&format!(
            "  text:    {} characters\n",
            whole.chars().count()
        ));
    } else {
        s.push_str(&format!(
            "  main content: {} characters, of {} on the page\n",
            main.chars().count(),
            whole.chars().count()
        ));
    }
    let lines: Vec<&str> = main
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .take(FIRST_LINES)
        .collect();
    if !lines.is_empty() {
        s.push_str("  first lines:\n");
        for line in lines {
            let mut shown: String = line.chars().take(LINE_CHARS).collect();
            if shown.len() < line.len() {
                shown.push('…');
            }
            s.push_str(&format!("    {shown}\n"));
        }
    }
    if let Ok(Some(region)) = page.region(&Within::Main, false) {
        let figures = region.figures();
        s.push_str(&listed("figures", figures.iter().map(|f| f.text.clone())));
    }
    let dates = scan_dates_in(main, page.lang());
    s.push_str(&listed("dates", dates.iter().map(|d| d.date.to_string())));
    s
}

/// `  figures (N): a, b, c, …`, or `  figures: none`.
fn listed(what: &str, items: impl ExactSizeIterator<Item = String>) -> String {
    let count = items.len();
    if count == 0 {
        return format!("  {what}: none\n");
    }
    let shown: Vec<String> = items.take(LISTED).collect();
    format!(
        "  {what} ({count}): {}{}\n",
        shown.join(", "),
        if count > LISTED { ", …" } else { "" }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_come_from_the_host_and_the_last_segment() {
        assert_eq!(
            name_from_url("https://www.example.com/news/cost.html"),
            "example-cost"
        );
        assert_eq!(
            name_from_url(
                "https://raw.githubusercontent.com/deepseek-ai/DeepSeek-R1/main/README.md"
            ),
            "raw-githubusercontent-readme"
        );
        assert_eq!(name_from_url("http://127.0.0.1:8080/"), "127-0-0");
    }

    #[test]
    fn a_url_already_named_is_not_added_twice_and_comments_stay() {
        let mut doc: DocumentMut = "# mine\n[sources]\nreadme = \"https://a.example/r\" # kept\n"
            .parse()
            .unwrap();
        let (name, added) = add_source(&mut doc, "https://a.example/r", None, "text").unwrap();
        assert_eq!((name.as_str(), added), ("readme", false));
        let (name, added) = add_source(&mut doc, "https://b.example/x.html", None, "html").unwrap();
        assert_eq!((name.as_str(), added), ("b-x", true));
        let text = doc.to_string();
        assert!(text.starts_with("# mine\n[sources]\nreadme = \"https://a.example/r\" # kept\n"));
        assert!(
            text.contains("[sources.b-x]\nurl = \"https://b.example/x.html\"\nformat = \"html\""),
            "{text}"
        );
        let err = add_source(&mut doc, "https://c.example/", Some("readme"), "html").unwrap_err();
        assert!(matches!(err, CliError::Invalid(_)));
    }

    #[test]
    fn attach_names_the_source_of_unsourced_claims_before_their_check() {
        let mut doc: DocumentMut =
            "[[claim]]\nid = \"a\"\nsource = \"x\"\ncheck.contains = \"y\"\n\n\
            [[claim]]\nid = \"b\"\nquote = \"q\"\ncheck.figure = \"5%\"\ncheck.near = \"n\"\n"
                .parse()
                .unwrap();
        assert_eq!(attach(&mut doc, "oil"), vec!["b".to_string()]);
        let text = doc.to_string();
        assert!(
            text.ends_with("id = \"b\"\nquote = \"q\"\nsource = \"oil\"\ncheck.figure = \"5%\"\ncheck.near = \"n\"\n"),
            "{text}"
        );
        assert!(attach(&mut doc, "oil").is_empty());
    }

    #[test]
    fn names_and_urls_are_checked() {
        assert!(check_name("r1-readme_2").is_ok());
        assert!(check_name("R1").is_err());
        assert!(check_url("ftp://example.com/a").is_err());
        assert!(check_url("example.com/a").is_err());
        assert!(check_url("https://example.com/a").is_ok());
    }
}
