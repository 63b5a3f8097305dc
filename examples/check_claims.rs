//! Checking claims from Rust code: load a project's assertion files, check them offline (from
//! its cache and WARC archives), and print each verdict, then the report of your choice.
//!
//! ```sh
//! cargo run --example check_claims                 # this repository's assertions
//! cargo run --example check_claims -- PROJECT_DIR  # another project (its factcheck.toml)
//! ```
//!
//! Needs only the library's smallest set of features (`default-features = false`).

use std::path::PathBuf;
use std::process::ExitCode;

use factcheck::{Config, Filter, ReportFormat, Runner, SourceOptions, Sources, Verdict};

fn main() -> ExitCode {
    let root = std::env::args()
        .nth(1)
        .map_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")), PathBuf::from);
    match check(&root) {
        Ok(passed) if passed => ExitCode::SUCCESS,
        Ok(_) => ExitCode::from(1),
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

fn check(root: &std::path::Path) -> Result<bool, Box<dyn std::error::Error>> {
    // factcheck.toml says where the cache, the archives and the assertion files are.
    let config = Config::discover(root)?;
    let suite = factcheck::load_paths(&config.assertion_paths()).map_err(|d| d.render(false))?;
    // Offline: only what is cached or archived is read, so the run is deterministic.
    let sources = Sources::open(&SourceOptions {
        offline: true,
        ..config.source_options()
    })?;
    let result = Runner::new(sources).run(&suite, &Filter::default())?;

    for claim in &result.claims {
        let mark = match claim.verdict {
            Verdict::Supported => "✓",
            Verdict::Disputed => "✗",
            _ => "?",
        };
        println!("{mark} {:<12} {}", claim.verdict.to_string(), claim.name());
    }
    let summary = result.summary();
    println!(
        "\n{} claims: {} passed, {} failed. As JUnit XML:\n",
        summary.claims, summary.passed, summary.failed
    );
    print!(
        "{}",
        factcheck::report::render(&result, ReportFormat::Junit, false)
    );
    Ok(result.passed())
}
