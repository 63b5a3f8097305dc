//! `factcheck cache list|verify|import|export|merge`.

use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};

use crate::source::cache::{Cache, CacheError, Meta, write_atomic};
use crate::source::warc::{ArchivedPage, WarcWriter, read_all};

use super::{CliError, EXIT_FAILED, EXIT_OK};

/// Arguments of `cache`.
#[derive(Debug, Args)]
pub struct CacheArgs {
    #[command(subcommand)]
    command: CacheCommand,
    /// The cache directory [default: .factcheck/cache, or factcheck.toml's `cache`]
    #[arg(long, value_name = "DIR", global = true)]
    cache: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
enum CacheCommand {
    /// List the cached sources (exit 1, after listing the rest, when a metadata file cannot be read)
    List,
    /// Re-hash every body and report mismatches (exit 1 when the cache is inconsistent)
    Verify,
    /// Copy every page of a WARC file into the cache
    Import {
        /// A .warc or .warc.gz file
        file: PathBuf,
    },
    /// Write every cached page to a WARC file (gzip per record when FILE ends in .gz)
    Export {
        /// The WARC file to write
        file: PathBuf,
    },
    /// Merge other caches into this one, such as the caches of refresh shards: per source, the
    /// more recently retrieved or tried record wins (exit 1 when a damaged entry was left out)
    Merge {
        /// Cache directories to merge in
        #[arg(required = true)]
        dirs: Vec<PathBuf>,
    },
}

/// Runs `cache`.
pub fn run(args: CacheArgs) -> Result<u8, CliError> {
    let cwd = std::env::current_dir().map_err(|e| CliError::failed(&e))?;
    let config = super::config(&cwd)?;
    let cache = Cache::new(args.cache.clone().unwrap_or_else(|| config.cache_dir()));
    match args.command {
        CacheCommand::List => list(&cache),
        CacheCommand::Verify => verify(&cache),
        CacheCommand::Import { file } => import(&cache, &file),
        CacheCommand::Export { file } => export(&cache, &file),
        CacheCommand::Merge { dirs } => merge(&cache, &dirs),
    }
}

/// Lists every readable entry; each unreadable metadata file is reported (all of them, on
/// stderr) and makes the exit code 1.
fn list(cache: &Cache) -> Result<u8, CliError> {
    let (metas, problems) = cache.scan().map_err(|e| CliError::failed(&e))?;
    for p in &problems {
        super::warn(&format!("{}: {}", p.path.display(), p.message));
    }
    let mut out = String::new();
    for m in &metas {
        out.push_str(&format!(
            "{}  {}  {}  {}  {}\n",
            m.status.map_or("---".to_string(), |s| s.to_string()),
            &m.sha256[..m.sha256.len().min(12)],
            if m.retrieved.is_empty() {
                "-"
            } else {
                &m.retrieved
            },
            m.content_type.as_deref().unwrap_or("-"),
            m.url
        ));
    }
    out.push_str(&format!(
        "{} source{} in {}\n",
        metas.len(),
        if metas.len() == 1 { "" } else { "s" },
        cache.root().display()
    ));
    if !problems.is_empty() {
        out.push_str(&format!(
            "{} metadata file{} could not be read (see above)\n",
            problems.len(),
            if problems.len() == 1 { "" } else { "s" }
        ));
    }
    super::emit(None, &out)?;
    Ok(if problems.is_empty() {
        EXIT_OK
    } else {
        EXIT_FAILED
    })
}

fn verify(cache: &Cache) -> Result<u8, CliError> {
    let problems = cache.verify().map_err(|e| CliError::failed(&e))?;
    let entries = cache.scan().map_err(|e| CliError::failed(&e))?.0.len();
    let mut out = String::new();
    for p in &problems {
        out.push_str(&format!(
            "{}: {}{}\n",
            if p.fatal { "error" } else { "warning" },
            p.path.display(),
            p.url
                .as_ref()
                .map(|u| format!(" ({u})"))
                .unwrap_or_default()
        ));
        out.push_str(&format!("  {}\n", p.message));
    }
    let fatal = problems.iter().filter(|p| p.fatal).count();
    out.push_str(&format!(
        "{entries} entries verified in {}: {fatal} problem{}\n",
        cache.root().display(),
        if fatal == 1 { "" } else { "s" }
    ));
    super::emit(None, &out)?;
    Ok(if fatal == 0 { EXIT_OK } else { EXIT_FAILED })
}

fn merge(cache: &Cache, dirs: &[PathBuf]) -> Result<u8, CliError> {
    for dir in dirs {
        if !dir.is_dir() {
            return Err(CliError::Invalid(format!(
                "{} is not a cache directory",
                dir.display()
            )));
        }
    }
    let _lock = cache.lock().map_err(|e| CliError::failed(&e))?;
    let mut out = String::new();
    let mut problems = 0;
    for dir in dirs {
        let merged = cache
            .merge_from(&Cache::new(dir))
            .map_err(|e| CliError::failed(&e))?;
        for p in &merged.problems {
            super::warn(&format!("{}: {}", p.path.display(), p.message));
        }
        problems += merged.problems.len();
        out.push_str(&format!(
            "merged {} entr{} and {} state{} from {} into {}\n",
            merged.entries,
            if merged.entries == 1 { "y" } else { "ies" },
            merged.states,
            if merged.states == 1 { "" } else { "s" },
            dir.display(),
            cache.root().display()
        ));
    }
    super::emit(None, &out)?;
    Ok(if problems == 0 { EXIT_OK } else { EXIT_FAILED })
}

fn import(cache: &Cache, file: &Path) -> Result<u8, CliError> {
    // Every record is read (and its digests verified) before anything is written: a bad record
    // leaves the cache as it was.
    let pages = read_all(file).map_err(|e| CliError::Invalid(super::error_chain(&e)))?;
    let _lock = cache.lock().map_err(|e| CliError::failed(&e))?;
    for page in &pages {
        let meta = Meta {
            url: page.url.clone(),
            final_url: page.url.clone(),
            status: page.status,
            content_type: page.content_type.clone(),
            etag: page.header("etag").map(str::to_string),
            last_modified: page.header("last-modified").map(str::to_string),
            retrieved: page.date.clone().unwrap_or_default(),
            sha256: String::new(),
            body: String::new(),
            main_sha256: None,
        };
        cache
            .put(meta, &page.body)
            .map_err(|e| CliError::failed(&e))?;
    }
    super::emit(
        None,
        &format!(
            "imported {} page{} from {} into {}\n",
            pages.len(),
            if pages.len() == 1 { "" } else { "s" },
            file.display(),
            cache.root().display()
        ),
    )?;
    Ok(EXIT_OK)
}

fn export(cache: &Cache, file: &Path) -> Result<u8, CliError> {
    let (metas, problems) = cache.scan().map_err(|e| CliError::failed(&e))?;
    for p in &problems {
        super::warn(&format!(
            "{} is not exported: {}",
            p.path.display(),
            p.message
        ));
    }
    let gzip = file.extension().is_some_and(|e| e == "gz");
    let mut writer = WarcWriter::new(Vec::new(), env!("CARGO_PKG_VERSION"), gzip);
    let mut count = 0;
    for meta in metas {
        let entry = match cache.get(&meta.url) {
            Ok(Some(entry)) => entry,
            Ok(None) => {
                super::warn(&format!("{} has a damaged body; not exported", meta.url));
                continue;
            }
            Err(e @ CacheError::Refused { .. }) => {
                super::warn(&format!(
                    "{} is not exported: {}",
                    meta.url,
                    super::error_chain(&e)
                ));
                continue;
            }
            Err(e) => return Err(CliError::failed(&e)),
        };
        let page = archived_page(&entry.meta, entry.body);
        writer.write_page(&page).map_err(|e| CliError::failed(&e))?;
        count += 1;
    }
    let bytes = writer.finish().map_err(|e| CliError::failed(&e))?;
    write_atomic(file, &bytes).map_err(|e| match e {
        CacheError::Refused { .. } => CliError::Invalid(super::error_chain(&e)),
        e => CliError::failed(&e),
    })?;
    super::emit(
        None,
        &format!(
            "exported {count} page{} from {} to {}\n",
            if count == 1 { "" } else { "s" },
            cache.root().display(),
            file.display()
        ),
    )?;
    Ok(EXIT_OK)
}

/// A cached copy as a WARC record: a `response` when it came over HTTP, else a `resource`.
pub(super) fn archived_page(meta: &Meta, body: Vec<u8>) -> ArchivedPage {
    let date = Some(meta.retrieved.clone()).filter(|d| !d.is_empty());
    match meta.status {
        Some(status) => ArchivedPage::http(
            meta.url.clone(),
            date,
            status,
            meta.content_type.clone(),
            meta.etag.clone(),
            meta.last_modified.clone(),
            body,
        ),
        None => ArchivedPage::resource(meta.url.clone(), date, meta.content_type.clone(), body),
    }
}
