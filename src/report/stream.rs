//! Reports written claim by claim, as a run hands the results over in suite order, so a run of
//! any size holds no report in memory.
//!
//! The human and GitHub formats are written as the claims come. The others open with what only
//! the end knows (the JSON report's summary, JUnit's counts) or close around the claims (SARIF's
//! tool and rules): their claims are written to a spool (a temporary file, or memory for
//! [`super::render`]) and the whole is put together at the end, each part formatted exactly as
//! the one-piece report would be. A report made from a collected [`RunResult`] and one streamed
//! are the same bytes.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, BufWriter, Read, Seek, Write};

use serde_json::Value;

use super::{ReportFormat, claimreview, github, human, json, junit, sarif};
use crate::result::{ClaimResult, RunResult, Summary};

/// Where the claims of a report wait for its head: memory, or an unnamed temporary file.
enum Spool {
    Memory(Vec<u8>),
    File(BufWriter<File>),
}

impl Spool {
    fn new(in_memory: bool) -> io::Result<Spool> {
        Ok(if in_memory {
            Spool::Memory(Vec::new())
        } else {
            Spool::File(BufWriter::new(tempfile::tempfile()?))
        })
    }

    fn writer(&mut self) -> &mut dyn Write {
        match self {
            Spool::Memory(v) => v,
            Spool::File(f) => f,
        }
    }

    /// Bytes written so far.
    fn len(&mut self) -> io::Result<u64> {
        match self {
            Spool::Memory(v) => Ok(v.len() as u64),
            Spool::File(f) => f.stream_position(),
        }
    }

    /// Copies the bytes `range` of the spool to `out`.
    fn copy(&mut self, range: std::ops::Range<u64>, out: &mut dyn Write) -> io::Result<()> {
        match self {
            Spool::Memory(v) => out.write_all(&v[range.start as usize..range.end as usize]),
            Spool::File(f) => {
                f.flush()?;
                let file = f.get_mut();
                file.seek(io::SeekFrom::Start(range.start))?;
                io::copy(&mut (&*file).take(range.end - range.start), out)?;
                file.seek(io::SeekFrom::End(0))?;
                Ok(())
            }
        }
    }
}

/// The claims of one assertion file in a JUnit report: where their test cases are in the spool,
/// and their counts.
#[derive(Default)]
struct Suite {
    cases: Vec<std::ops::Range<u64>>,
    tests: usize,
    failures: usize,
    skipped: usize,
}

/// A report being written.
pub struct Stream<W: Write> {
    format: ReportFormat,
    color: bool,
    out: W,
    summary: Summary,
    spool: Spool,
    /// JSON and SARIF: claims so far (for the comma between them).
    items: usize,
    /// JUnit: the test cases of each file, by file (the report orders its testsuites by file).
    suites: BTreeMap<String, Suite>,
    /// ClaimReview: who publishes the reviews.
    publisher: Option<claimreview::Publisher>,
    /// ClaimReview: the claims left out (unsourced).
    omitted: usize,
}

impl<W: Write> Stream<W> {
    /// A report in `format` to `out`, spooling to a temporary file when the format needs one.
    pub fn new(format: ReportFormat, color: bool, out: W) -> io::Result<Stream<W>> {
        Stream::with_spool(format, color, out, false)
    }

    fn with_spool(
        format: ReportFormat,
        color: bool,
        out: W,
        in_memory: bool,
    ) -> io::Result<Stream<W>> {
        let needs_spool = !matches!(format, ReportFormat::Human | ReportFormat::Github);
        Ok(Stream {
            format,
            color,
            out,
            summary: Summary::default(),
            spool: Spool::new(in_memory || !needs_spool)?,
            items: 0,
            suites: BTreeMap::new(),
            publisher: None,
            omitted: 0,
        })
    }

    /// The publisher of a ClaimReview report (the format needs one).
    pub fn with_publisher(mut self, publisher: claimreview::Publisher) -> Stream<W> {
        self.publisher = Some(publisher);
        self
    }

    /// The claims the report left out: unsourced claims have no ClaimReview.
    pub fn omitted(&self) -> usize {
        self.omitted
    }

    /// The counts so far.
    pub fn summary(&self) -> Summary {
        self.summary
    }

    /// Writes one claim's result (the next in suite order).
    pub fn claim(&mut self, c: &ClaimResult) -> io::Result<()> {
        self.summary.add(c);
        match self.format {
            ReportFormat::Human => self
                .out
                .write_all(human::claim_lines(c, self.color).as_bytes()),
            ReportFormat::Github => match github::claim_command(c) {
                Some(command) => self.out.write_all(command.as_bytes()),
                None => Ok(()),
            },
            ReportFormat::Json => self.item(serde_json::to_string_pretty(c), JSON_INDENT),
            ReportFormat::Sarif => self.item(
                serde_json::to_string_pretty(&sarif::claim_result(c)),
                SARIF_INDENT,
            ),
            ReportFormat::ClaimReview => {
                let publisher = self.publisher.as_ref().ok_or_else(|| {
                    io::Error::other("a ClaimReview report needs a publisher ([review])")
                })?;
                match claimreview::review(c, publisher) {
                    Some(review) => {
                        let text = serde_json::to_string_pretty(&review);
                        self.item(text, JSON_INDENT)
                    }
                    None => {
                        self.omitted += 1;
                        Ok(())
                    }
                }
            }
            ReportFormat::Junit => {
                let mut case = String::new();
                junit::testcase(&mut case, &junit::suite_name(&c.file), c);
                let start = self.spool.len()?;
                self.spool.writer().write_all(case.as_bytes())?;
                let end = self.spool.len()?;
                let suite = self.suites.entry(c.file.clone()).or_default();
                suite.cases.push(start..end);
                suite.tests += 1;
                suite.failures += usize::from(!c.passed);
                suite.skipped += usize::from(junit::skipped(c));
                Ok(())
            }
        }
    }

    /// One element of a JSON array, pretty-printed at `indent` spaces, after a comma when it is
    /// not the first.
    fn item(&mut self, text: serde_json::Result<String>, indent: usize) -> io::Result<()> {
        let text = text.map_err(io::Error::other)?;
        let w = self.spool.writer();
        if self.items > 0 {
            w.write_all(b",\n")?;
        }
        self.items += 1;
        write_indented(w, &text, indent)
    }

    /// Writes what comes after the claims, with the run's warnings, and returns the output.
    pub fn finish(mut self, warnings: &[String]) -> io::Result<W> {
        match self.format {
            ReportFormat::Human => {
                let lines = human::summary_lines(&self.summary, self.color);
                self.out.write_all(lines.as_bytes())?;
            }
            ReportFormat::Github => {}
            ReportFormat::Json => {
                let summary = self.summary;
                self.splice(|claims| {
                    serde_json::to_string_pretty(&json::frame(summary, claims, warnings))
                })?;
            }
            ReportFormat::Sarif => self.splice(|results| {
                let results = results.iter().map(|r| Value::from(*r)).collect();
                serde_json::to_string_pretty(&sarif::frame(sarif::rules(), results))
            })?,
            ReportFormat::ClaimReview => {
                self.splice(|reviews| serde_json::to_string_pretty(&claimreview::frame(reviews)))?
            }
            ReportFormat::Junit => {
                let s = self.summary;
                let skipped = self.suites.values().map(|s| s.skipped).sum();
                self.out
                    .write_all(junit::open(s.claims, s.failed, skipped).as_bytes())?;
                for (file, suite) in &self.suites {
                    let open = junit::suite_open(file, suite.tests, suite.failures, suite.skipped);
                    self.out.write_all(open.as_bytes())?;
                    for case in &suite.cases {
                        self.spool.copy(case.clone(), &mut self.out)?;
                    }
                    self.out.write_all(junit::SUITE_CLOSE.as_bytes())?;
                }
                self.out.write_all(junit::CLOSE.as_bytes())?;
            }
        }
        self.out.flush()?;
        Ok(self.out)
    }

    /// Writes the document `frame` prints around the spooled array: `frame` is given no
    /// elements, or a marker where they go.
    fn splice(&mut self, frame: impl Fn(&[&str]) -> serde_json::Result<String>) -> io::Result<()> {
        if self.items == 0 {
            let text = frame(&[]).map_err(io::Error::other)?;
            return writeln!(self.out, "{text}");
        }
        let text = frame(&[MARKER]).map_err(io::Error::other)?;
        let quoted = format!("\"{MARKER}\"");
        let at = text
            .find(&quoted)
            .ok_or_else(|| io::Error::other("the report's frame lost its marker"))?;
        // The marker's line starts with the elements' indentation, which they carry themselves.
        let line_start = text[..at].rfind('\n').map_or(0, |n| n + 1);
        self.out.write_all(&text.as_bytes()[..line_start])?;
        let end = self.spool.len()?;
        self.spool.copy(0..end, &mut self.out)?;
        self.out.write_all(&text.as_bytes()[at + quoted.len()..])?;
        self.out.write_all(b"\n")
    }
}

/// A report of a whole run, made the way a streamed one is.
pub fn render(result: &RunResult, format: ReportFormat, color: bool) -> String {
    let write = || -> io::Result<Vec<u8>> {
        let mut stream = Stream::with_spool(format, color, Vec::new(), true)?;
        for c in &result.claims {
            stream.claim(c)?;
        }
        stream.finish(&result.warnings)
    };
    // Writing to memory cannot fail, nor can serialising plain data.
    String::from_utf8(write().unwrap_or_default()).unwrap_or_default()
}

/// Stands in the frame for the spooled elements. Only its first appearance is taken: the frame
/// holds no claim text, and the only text before the elements is the summary's numbers (the
/// warnings come after them).
const MARKER: &str = "@@factcheck-elements@@";
/// How deep a claim sits in the JSON report: `{"claims": [` is two levels of two spaces (and a
/// review in a ClaimReview document, `{"@graph": [`).
const JSON_INDENT: usize = 4;
/// How deep a result sits in a SARIF log: `{"runs": [{"results": [`, four levels.
const SARIF_INDENT: usize = 8;

/// Writes pretty-printed JSON with every line indented by `indent` spaces (JSON strings hold no
/// raw line breaks, so every line break is the printer's).
fn write_indented(w: &mut dyn Write, text: &str, indent: usize) -> io::Result<()> {
    // Built whole and written once: `w` is a `dyn Write`, three calls a line added up.
    let lines = memchr::memchr_iter(b'\n', text.as_bytes()).count() + 1;
    let mut out = Vec::with_capacity(text.len() + lines * indent);
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push(b'\n');
        }
        out.resize(out.len() + indent, b' ');
        out.extend_from_slice(line.as_bytes());
    }
    w.write_all(&out)
}
