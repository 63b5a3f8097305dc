//! factcheck: claims in articles as tests.
//!
//! An assertion file states claims, their sources and how to check them; factcheck reads each
//! source (from a cache, a WARC archive or the web), finds the evidence and decides a verdict.
//! The pipeline is [`spec`] (load) → [`source`] (obtain) → [`page`] (read) → `check` →
//! `verdict` (judge) → [`report`]; [`run`] orchestrates it and [`harness`] runs each claim as
//! a libtest trial; [`expiry`] decides when a claim's expectation (`until`) has run out.
//!
//! The API is what this page lists: the types at the root ([`Runner`], [`Harness`], [`Suite`],
//! [`Config`], [`Verdict`], the results) and the modules shown. Modules hidden from these docs
//! serve the command line and factcheck's own tests; they may change in any release.
//!
//! Cargo features: the smallest set (`default-features = false`) checks claims offline, from
//! the cache and WARC archives, and runs them as libtest trials ([`Harness`]); `network` fetches
//! sources over HTTP and adds [`refresh`]; `pdf` reads PDF sources; `lsp` adds
//! the language server; `cli` (the default) is the `factcheck` command with all of them.
//!
//! ```
//! use std::path::Path;
//! use factcheck::source::cache::{Cache, Meta};
//! use factcheck::{Filter, Runner, SourceOptions, Sources, Suite, Verdict};
//!
//! // A cache holding one page (a WARC archive works the same way).
//! let dir = std::env::temp_dir().join(format!("factcheck-doc-{}", std::process::id()));
//! let url = "https://example.com/LICENSE";
//! let meta = Meta {
//!     url: url.to_string(),
//!     final_url: url.to_string(),
//!     content_type: Some("text/plain".to_string()),
//!     retrieved: "2025-01-27T00:00:00Z".to_string(),
//!     ..Meta::default()
//! };
//! Cache::new(&dir).put(meta, b"MIT License\n\nCopyright (c) 2023 DeepSeek")?;
//!
//! let file = factcheck::load_str(
//!     Path::new("assertions/example.toml"),
//!     r#"
//! [[claim]]
//! id = "mit"
//! statement = "R1 is released under the MIT license."
//! source = "https://example.com/LICENSE"
//! check.contains = "MIT License"
//! "#,
//! )
//! .expect("a valid file");
//!
//! let sources = Sources::open(&SourceOptions {
//!     cache_dir: dir.clone(),
//!     offline: true,
//!     ..SourceOptions::default()
//! })?;
//! let result = Runner::new(sources).run(&Suite { files: vec![file] }, &Filter::default())?;
//! assert_eq!(result.claims[0].verdict, Verdict::Supported);
//! # std::fs::remove_dir_all(&dir)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#![warn(missing_docs)]

// The API: what a program or a test harness uses.
pub mod config;
pub mod expiry;
pub mod harness;
pub mod limits;
#[cfg(feature = "lsp")]
pub mod lsp;
pub mod page;
#[cfg(feature = "network")]
pub mod refresh;
pub mod report;
pub mod result;
pub mod run;
pub mod source;
pub mod spec;

// Not part of the API: used by the command line, factcheck's own tests and benches, and free to
// change in any release.
#[doc(hidden)]
pub mod caught;
#[cfg(feature = "cli")]
#[doc(hidden)]
pub mod cli;
#[doc(hidden)]
pub mod document;
#[doc(hidden)]
pub mod figure;
#[doc(hidden)]
pub mod partition;
#[cfg(any(feature = "cli", feature = "lsp"))]
#[doc(hidden)]
pub mod scaffold;

// Internals.
pub(crate) mod check;
pub(crate) mod sync;
pub(crate) mod text;
pub(crate) mod verdict;

pub use config::Config;
pub use harness::Harness;
pub use limits::Limits;
pub use page::Page;
pub use report::ReportFormat;
pub use result::{ClaimResult, Evidence, RunResult, Summary};
pub use run::{Filter, Runner};
pub use source::{Snapshot, SourceOptions, Sources};
pub use spec::{Suite, Verdict, load_file, load_paths, load_str};
