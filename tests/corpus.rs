//! The real-world corpus: claims written by hand over the real news pages of
//! `../shared/extraction/` (the Scrapinghub pages and Readability's test pages), each expectation
//! established by reading the page. One libtest trial per claim, named
//! `<split>::<file-stem>::<id>`; the split is `dev` (the pages the rules were written against)
//! or `fold` (pages kept aside while the rules were written).
//!
//! The pages are read from `../shared` at test time and written to a WARC file in a temporary
//! directory, as `https://corpus.test/<corpus>/<key>`; nothing is copied into the project. After
//! the trials, a table of correct/total per split and category (a claim's first tag) is printed.
//!
//! A claim tagged `known-gap` states what a reader of the page sees but factcheck does not yet
//! get right, for a reason outside the claim's own check (main-content extraction, issue 12):
//! its trial passes while the verdict differs from `expect`, and fails once it matches, so the
//! tag is removed when the gap closes. The table counts known gaps apart.

use std::collections::BTreeMap;
use std::fs;
use std::io::{Read, Seek};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use factcheck::report::{self, ReportFormat, stream::Stream};
use factcheck::run::{Filter, Runner};
use factcheck::source::warc::WarcWriter;
use factcheck::source::{SourceOptions, Sources};
use factcheck::spec::{self, AssertionFile};
use libtest_mimic::{Arguments, Failed, Trial};

mod common;
use common::shared_page;

/// The corpora: their name in URLs and their folder under `../shared/extraction`.
const CORPORA: [(&str, &str); 2] = [("scrapinghub", "html"), ("readability", "readability/html")];
/// The tag of a claim factcheck does not yet get right (see the module docs).
const KNOWN_GAP: &str = "known-gap";
/// The splits, each a folder of assertion files under `tests/corpus/`.
const SPLITS: [&str; 2] = ["dev", "fold"];

fn main() {
    let args = Arguments::from_args();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tally = Arc::new(Mutex::new(BTreeMap::new()));
    let trials = match trials(root, &tally) {
        Ok(trials) => trials,
        Err(message) => vec![Trial::test("corpus", move || Err(message.into()))],
    };
    let conclusion = libtest_mimic::run(&args, trials);
    print_table(&tally.lock().unwrap());
    conclusion.exit();
}

/// Counts per (split, category): (correct, total).
type Tally = Arc<Mutex<BTreeMap<(String, String), (usize, usize)>>>;

/// The sources of every trial, opened when the first trial runs (listing reads nothing).
struct Shared {
    dir: tempfile::TempDir,
    runner: OnceLock<Result<Runner, String>>,
}

impl Shared {
    fn runner(&self) -> Result<&Runner, Failed> {
        self.runner
            .get_or_init(|| open_sources(self.dir.path()))
            .as_ref()
            .map_err(|e| Failed::from(e.clone()))
    }
}

fn trials(root: &Path, tally: &Tally) -> Result<Vec<Trial>, String> {
    let shared = Arc::new(Shared {
        dir: tempfile::tempdir().map_err(|e| format!("temporary directory: {e}"))?,
        runner: OnceLock::new(),
    });
    let mut trials = Vec::new();
    for split in SPLITS {
        let dir = root.join("tests/corpus").join(split);
        if !dir.is_dir() {
            continue;
        }
        let mut paths: Vec<PathBuf> = fs::read_dir(&dir)
            .map_err(|e| format!("{}: {e}", dir.display()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .collect();
        paths.sort();
        // Each file alone, so one invalid file is one failing trial, not a failed corpus.
        let mut files = Vec::new();
        for path in paths {
            match spec::load_paths(std::slice::from_ref(&path)) {
                Ok(suite) => files.extend(suite.files),
                Err(d) => {
                    let name = format!("{split}::{}", path.file_stem().unwrap().to_string_lossy());
                    let message = d.render(false);
                    trials.push(Trial::test(name, move || Err(message.into())));
                }
            }
        }
        for file in files {
            let file = Arc::new(file);
            for index in 0..file.claims.len() {
                let claim = &file.claims[index];
                let name = format!("{split}::{}::{}", file.stem(), claim.id);
                let gap = claim.tags.iter().any(|t| t == KNOWN_GAP);
                let mut category = claim.tags.first().cloned().unwrap_or_default();
                if gap {
                    category.push_str(" (known gap)");
                }
                let key = (split.to_string(), category);
                let (file, shared, tally) = (file.clone(), shared.clone(), tally.clone());
                trials.push(Trial::test(name, move || {
                    let passed = match check(&shared, &file, index) {
                        Err(_) if gap => Ok(()),
                        Ok(()) if gap => Err(Failed::from(
                            "a known gap now passes: remove its `known-gap` tag",
                        )),
                        result => result,
                    };
                    let mut t = tally.lock().unwrap();
                    let entry = t.entry(key).or_default();
                    entry.0 += usize::from(passed.is_ok());
                    entry.1 += 1;
                    passed
                }));
            }
        }
    }
    if trials.is_empty() {
        return Err("no assertion files under tests/corpus/".into());
    }
    trials.push(Trial::test(
        "determinism::every_report_is_the_same_for_any_jobs_streamed_or_not",
        move || same_reports(&shared),
    ));
    Ok(trials)
}

/// The whole corpus, run with 1, 2 and 5 workers, reported in every format collected and
/// streamed, and by the command with `-j 3` in windows of about 100 claims: every report is the
/// same bytes.
fn same_reports(shared: &Shared) -> Result<(), Failed> {
    shared.runner()?; // writes the WARC
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dirs = SPLITS.map(|split| root.join("tests/corpus").join(split));
    let suite = spec::load_paths(&dirs).map_err(|d| Failed::from(d.render(false)))?;
    let archive = shared.dir.path().join("corpus.warc.gz");
    let runner = |jobs: usize| -> Result<Runner, Failed> {
        let opts = SourceOptions {
            cache_dir: shared.dir.path().join("cache"),
            archives: vec![archive.clone()],
            offline: true,
            ..SourceOptions::default()
        };
        let sources = Sources::open(&opts).map_err(|e| Failed::from(e.to_string()))?;
        Ok(Runner::new(sources).with_jobs(jobs))
    };
    let formats = [
        ("human", ReportFormat::Human),
        ("json", ReportFormat::Json),
        ("junit", ReportFormat::Junit),
        ("sarif", ReportFormat::Sarif),
        ("github", ReportFormat::Github),
    ];
    // The reference: one worker, results collected, then rendered.
    let collected = runner(1)?
        .run(&suite, &Filter::default())
        .map_err(|e| Failed::from(e.to_string()))?;
    let order: Vec<(String, &str)> = suite
        .files
        .iter()
        .flat_map(|f| {
            f.claims
                .iter()
                .map(move |c| (f.path.display().to_string(), c.id.as_str()))
        })
        .collect();
    let got: Vec<(String, &str)> = collected
        .claims
        .iter()
        .map(|c| (c.file.clone(), c.id.as_str()))
        .collect();
    if got != order {
        return Err("the results are not in the suite's order".into());
    }
    let reference: Vec<String> = formats
        .iter()
        .map(|(_, f)| report::render(&collected, *f, false))
        .collect();
    for jobs in [2, 5] {
        let runner = runner(jobs)?;
        // Every format streamed from one run, each to its own temporary file.
        let mut streams = formats
            .iter()
            .map(|(_, f)| Stream::new(*f, false, tempfile::tempfile()?))
            .collect::<std::io::Result<Vec<_>>>()
            .map_err(|e| Failed::from(e.to_string()))?;
        let warnings = runner
            .run_each(&suite, &Filter::default(), |c| {
                for s in &mut streams {
                    s.claim(&c).expect("write the report");
                }
            })
            .map_err(|e| Failed::from(e.to_string()))?;
        for ((stream, (name, _)), expected) in streams.into_iter().zip(&formats).zip(&reference) {
            let mut file = stream
                .finish(&warnings)
                .map_err(|e| Failed::from(e.to_string()))?;
            let mut got = String::new();
            file.seek(std::io::SeekFrom::Start(0))
                .and_then(|_| file.read_to_string(&mut got))
                .map_err(|e| Failed::from(e.to_string()))?;
            if &got != expected {
                return Err(format!("{name} streamed with {jobs} workers differs").into());
            }
        }
    }
    // The command, streaming to a file and to stdout.
    let out = shared.dir.path().join("report.json");
    for (format, output) in [("json", Some(&out)), ("human", None)] {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_factcheck"));
        cmd.arg("check")
            .args(&dirs)
            // Small windows: the suite is loaded and checked a few files at a time.
            .args([
                "--offline",
                "-j",
                "3",
                "--window",
                "100",
                "--format",
                format,
            ])
            .arg("--cache")
            .arg(shared.dir.path().join("cache"))
            .arg("--archive")
            .arg(&archive);
        if let Some(out) = output {
            cmd.arg("--output").arg(out);
        }
        let run = cmd.output().map_err(|e| Failed::from(e.to_string()))?;
        let got = match output {
            Some(out) => fs::read_to_string(out).map_err(|e| Failed::from(e.to_string()))?,
            None => String::from_utf8_lossy(&run.stdout).into_owned(),
        };
        let i = formats.iter().position(|(n, _)| *n == format).unwrap_or(0);
        if got != reference[i] {
            return Err(
                format!("`factcheck check -j 3 --window 100 --format {format}` differs").into(),
            );
        }
    }
    Ok(())
}

fn check(shared: &Shared, file: &AssertionFile, index: usize) -> Result<(), Failed> {
    let result = shared
        .runner()?
        .check_claim(file, &file.claims[index])
        .map_err(|e| Failed::from(e.to_string()))?;
    if result.passed {
        Ok(())
    } else {
        Err(result.explain().into())
    }
}

/// Writes every page of both corpora to a WARC in `dir` and opens it, offline.
fn open_sources(dir: &Path) -> Result<Runner, String> {
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/extraction");
    if !shared.is_dir() {
        return Err(format!(
            "{} is missing: the corpus reads its pages from ../shared beside the project",
            shared.display()
        ));
    }
    let warc = dir.join("corpus.warc.gz");
    let out = fs::File::create(&warc).map_err(|e| format!("{}: {e}", warc.display()))?;
    let mut writer = WarcWriter::new(std::io::BufWriter::new(out), "test", true)
        .with_date("2025-01-01T00:00:00Z");
    for (corpus, folder) in CORPORA {
        for path in pages(&shared.join(folder))? {
            let key = path
                .file_name()
                .and_then(|n| n.to_str())
                .and_then(|n| n.strip_suffix(".html.gz"))
                .ok_or_else(|| format!("{}: not a .html.gz page", path.display()))?;
            let page = shared_page::archived(&path, format!("https://corpus.test/{corpus}/{key}"))?;
            writer.write_page(&page).map_err(|e| e.to_string())?;
        }
    }
    writer.finish().map_err(|e| e.to_string())?;
    let opts = SourceOptions {
        cache_dir: dir.join("cache"),
        archives: vec![warc],
        offline: true,
        ..SourceOptions::default()
    };
    Sources::open(&opts)
        .map(Runner::new)
        .map_err(|e| e.to_string())
}

fn pages(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut paths: Vec<PathBuf> = fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with(".html.gz"))
        .collect();
    paths.sort();
    Ok(paths)
}

fn print_table(tally: &BTreeMap<(String, String), (usize, usize)>) {
    if tally.is_empty() {
        return;
    }
    println!("\ncorpus: correct/total per split and category (known gaps: still wrong/total)");
    for ((split, category), (correct, total)) in tally {
        println!("  {split:<5} {category:<24} {correct:>4}/{total}");
    }
}
