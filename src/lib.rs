//! factcheck: claims in articles as tests.
//!
//! An assertion file states claims, their sources and how to check them; factcheck reads each
//! source (from a cache, a WARC archive or the web), finds the evidence and decides a verdict.
//! The pipeline is [`spec`] (load) → [`source`] (obtain) → [`page`] (read) → [`check`] →
//! [`verdict`] (judge) → [`report`]; [`run`] orchestrates it and [`harness`] runs each claim as
//! a libtest trial; [`expiry`] decides when a claim's expectation (`until`) has run out.
//!
//! ```
//! use std::path::Path;
//! use factcheck::page::Page;
//! use factcheck::source::Snapshot;
//! use factcheck::spec::{self, Within};
//!
//! let file = spec::load_str(
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
//! let claim = &file.claims[0];
//!
//! let body = b"MIT License\n\nCopyright (c) 2023 DeepSeek".to_vec();
//! let snapshot = Snapshot::local("https://example.com/LICENSE", Some("text/plain"), body);
//! let page = Page::read(&snapshot, None).expect("readable");
//! let finding = factcheck::check::run(claim.check.as_ref().unwrap(), &Within::Main, &page);
//! assert_eq!(finding.verdict, spec::Verdict::Supported);
//! ```

pub mod caught;
pub mod check;
pub mod config;
pub mod document;
pub mod expiry;
pub mod figure;
pub mod harness;
pub mod limits;
pub mod lsp;
pub mod page;
pub mod partition;
pub mod refresh;
pub mod report;
pub mod result;
pub mod run;
pub mod source;
pub mod spec;
pub mod text;
pub mod verdict;

pub use result::{ClaimResult, Evidence, RunResult, Summary};
pub use spec::Verdict;
