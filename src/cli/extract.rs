//! `factcheck extract FILE|URL`: print the text factcheck reads from a page.

use std::path::PathBuf;

use clap::Args;
use serde_json::json;

use factcheck::config::Config;
use factcheck::page::Page;
use factcheck::source::cache::{Meta, sha256_hex};
use factcheck::source::{Obtain, Origin, Snapshot, Sources};
use factcheck::spec::Format;

use super::{CliError, EXIT_OK, SourceArgs};

/// Arguments of `extract`.
#[derive(Debug, Args)]
pub struct ExtractArgs {
    /// A local file, or an http(s) URL (read through the cache, archives and network)
    pub input: String,
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
    let snapshot = if args.input.starts_with("http://") || args.input.starts_with("https://") {
        let cwd = std::env::current_dir().map_err(|e| CliError::failed(&e))?;
        let config = Config::discover(&cwd).map_err(|e| CliError::Invalid(e.to_string()))?;
        let sources =
            Sources::open(&args.sources.options(&config)?).map_err(|e| CliError::failed(&e))?;
        match sources.get(&args.input) {
            Ok(snapshot) => snapshot,
            Err(Obtain::Unavailable(reason)) => {
                return Err(CliError::Failed(format!(
                    "{} is unavailable: {reason}",
                    args.input
                )));
            }
            Err(Obtain::Failed(e)) => return Err(CliError::failed(&e)),
        }
    } else {
        let path = PathBuf::from(&args.input);
        let body = std::fs::read(&path)
            .map_err(|e| CliError::Invalid(format!("cannot read {}: {e}", path.display())))?;
        let body = if args.input.ends_with(".gz") {
            gunzip(&body)
                .map_err(|e| CliError::Invalid(format!("cannot gunzip {}: {e}", path.display())))?
        } else {
            body
        };
        let name = args.input.trim_end_matches(".gz").to_string();
        Snapshot {
            meta: Meta {
                url: name.clone(),
                final_url: name,
                status: None,
                content_type: None,
                etag: None,
                last_modified: None,
                retrieved: String::new(),
                sha256: sha256_hex(&body),
                body: String::new(),
            },
            body,
            origin: Origin::Cache,
        }
    };
    let page = Page::read(&snapshot, args.format).map_err(|e| CliError::failed(&e))?;
    let text = if args.main {
        page.main_text()
    } else {
        &page.text
    };
    let out = if args.output_format == "json" {
        format!("{}\n", json!({ "articleBody": text }))
    } else {
        format!("{}\n", text.trim_end())
    };
    super::emit(None, &out)?;
    Ok(EXIT_OK)
}

fn gunzip(bytes: &[u8]) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut out = Vec::new();
    flate2::read::MultiGzDecoder::new(bytes).read_to_end(&mut out)?;
    Ok(out)
}
