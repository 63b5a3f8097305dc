//! `factcheck extract FILE|URL`: print the text factcheck reads from a page; `--batch DIR` does
//! every `*.html` and `*.html.gz` file of a directory, in the extraction benchmark's JSON form.

use std::path::{Path, PathBuf};

use clap::Args;
use serde_json::json;

use crate::limits::Limits;
use crate::page::Page;
use crate::source::file;
use crate::source::{Obtain, Snapshot};
use crate::spec::Format;

use super::{CliError, EXIT_OK, SourceArgs};

/// Arguments of `extract`.
#[derive(Debug, Args)]
pub struct ExtractArgs {
    /// A local file, or an http(s) URL (read through the cache, archives and network)
    #[arg(required_unless_present = "batch", conflicts_with = "batch")]
    pub input: Option<String>,
    /// Read every `*.html` and `*.html.gz` file in DIR (as HTML); with `--format json`, print one
    /// object {"<file stem>": {"articleBody": ...}}
    #[arg(long, value_name = "DIR")]
    pub batch: Option<PathBuf>,
    /// Print the main content only (HTML)
    #[arg(long)]
    pub main: bool,
    /// Read the input as this format instead of detecting it
    #[arg(long = "as", value_name = "FORMAT", value_parser = parse_format)]
    pub format: Option<Format>,
    /// Output format: `text`, or `json` for {"articleBody": ...}
    #[arg(long = "format", default_value = "text", value_parser = ["text", "json"])]
    pub output_format: String,
    #[command(flatten)]
    pub sources: SourceArgs,
}

fn parse_format(s: &str) -> Result<Format, String> {
    Format::from_name(s).ok_or_else(|| format!("unknown format `{s}`"))
}

/// Runs `extract`.
pub fn run(args: ExtractArgs) -> Result<u8, CliError> {
    if let Some(dir) = &args.batch {
        return run_batch(&args, dir);
    }
    let input = args.input.as_deref().unwrap_or_default();
    let snapshot = if input.starts_with("http://") || input.starts_with("https://") {
        let cwd = std::env::current_dir().map_err(|e| CliError::failed(&e))?;
        let config = super::config(&cwd)?;
        let sources = super::open_sources(&args.sources.options(&config)?)?;
        match sources.get(input) {
            Ok(snapshot) => snapshot,
            Err(Obtain::Unavailable(reason)) => {
                return Err(CliError::Failed(format!(
                    "{input} is unavailable: {reason}"
                )));
            }
            Err(Obtain::Failed(e)) => return Err(CliError::failed(&e)),
        }
    } else {
        file_snapshot(Path::new(input))?
    };
    // A page that cannot be read is bad input, not factcheck's failure.
    let page = Page::read(&snapshot, args.format)
        .map_err(|e| CliError::Invalid(format!("{input}: {}", super::error_chain(&e))))?;
    let text = if args.main {
        page.main_text()
    } else {
        page.text()
    };
    let out = if args.output_format == "json" {
        format!("{}\n", json!({ "articleBody": text }))
    } else {
        format!("{}\n", text.trim_end())
    };
    super::emit(None, &out)?;
    Ok(EXIT_OK)
}

/// `--batch DIR`: every HTML file of DIR, in file-name order, keyed by its stem.
fn run_batch(args: &ExtractArgs, dir: &Path) -> Result<u8, CliError> {
    let entries = std::fs::read_dir(dir)
        .map_err(|e| CliError::Invalid(format!("cannot read {}: {e}", dir.display())))?;
    let mut files: Vec<(String, PathBuf)> = entries
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let name = entry.file_name().to_string_lossy().into_owned();
            let stem = name
                .strip_suffix(".html.gz")
                .or_else(|| name.strip_suffix(".html"))?
                .to_owned();
            Some((stem, entry.path()))
        })
        .collect();
    files.sort();
    let mut output = serde_json::Map::new();
    let mut text_out = String::new();
    for (stem, path) in files {
        let snapshot = file_snapshot(&path)?;
        let page =
            Page::read(&snapshot, Some(args.format.unwrap_or(Format::Html))).map_err(|e| {
                CliError::Invalid(format!("{}: {}", path.display(), super::error_chain(&e)))
            })?;
        let text = if args.main {
            page.main_text()
        } else {
            page.text()
        };
        if args.output_format == "json" {
            output.insert(stem, json!({ "articleBody": text }));
        } else {
            text_out.push_str(&format!("# {stem}\n{}\n\n", text.trim_end()));
        }
    }
    let out = if args.output_format == "json" {
        format!("{}\n", serde_json::Value::Object(output))
    } else {
        text_out
    };
    super::emit(None, &out)?;
    Ok(EXIT_OK)
}

/// A local file as a snapshot, gunzipped when its name ends in `.gz`: a regular file of at most
/// `body_bytes`, decompressing to at most `decompressed_bytes`.
fn file_snapshot(path: &Path) -> Result<Snapshot, CliError> {
    let body = file::read_regular(path, Limits::current().body_bytes, "body_bytes")
        .map_err(|e| CliError::Invalid(format!("cannot read {}: {e}", path.display())))?;
    let display = path.to_string_lossy();
    let body = if display.ends_with(".gz") {
        gunzip(&body)
            .map_err(|e| CliError::Invalid(format!("cannot gunzip {}: {e}", path.display())))?
    } else {
        body
    };
    let name = display.trim_end_matches(".gz").to_string();
    Ok(Snapshot::local(name, None, body))
}

fn gunzip(bytes: &[u8]) -> std::io::Result<Vec<u8>> {
    file::read_bounded(
        flate2::read::MultiGzDecoder::new(bytes),
        Limits::current().decompressed_bytes,
        "the decompressed file",
        "decompressed_bytes",
    )
}
