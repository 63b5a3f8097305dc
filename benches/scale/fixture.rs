//! The fixture: `N` copies of the real pages of `../shared/extraction/html/` (cycling through
//! them), each with a paragraph of its own injected into its article, served from one WARC as
//! `https://scale.example/<n>/<key>`, and [`CLAIMS_PER_PAGE`] claims per copy in assertion files
//! of [`PAGES_PER_FILE`] copies each.
//!
//! The paragraph goes after the `</p>` of one of the page's longest paragraphs (or a `<br>` after
//! a long text), chosen once per original page by reading the injected page's main content: the
//! first of [`PROBES`] places where the paragraph is in it. On a page where it never is, the
//! claims that read the main content expect `not_found` instead (the run still exercises the
//! same checks).

use std::fmt::Write as _;
use std::io::{BufWriter, Read};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use factcheck::page::decode;
use factcheck::page::html::HtmlDoc;
use factcheck::source::warc::{ArchivedPage, WarcWriter};

/// Claims per page copy.
pub const CLAIMS_PER_PAGE: usize = 10;
/// Page copies per assertion file.
pub const PAGES_PER_FILE: usize = 100;
/// Places tried per original page for the injected paragraph.
const PROBES: usize = 24;
/// Words in a phrase taken from a page's own text.
const PHRASE_WORDS: usize = 6;
/// The words that find the injected paragraph (in any copy) in a page's main content.
const MARKER: &str = "revenue at Quillfeather Works rose 8%";

/// The paragraph injected into copy `n`: two figures ("rose 8% to $3.1 billion"), the second also
/// reachable by a selector.
pub fn paragraph(n: usize) -> String {
    format!(
        "<p class=\"scale-note\" id=\"scale-note-{n}\">Scale note {n}: revenue at Quillfeather \
         Works rose 8% to <span class=\"scale-figure\">$3.1 billion</span> in 2024, the ledger \
         says.</p>"
    )
}

/// One page of `../shared/extraction/html/`, with where its copies get their paragraph and two
/// phrases of its own text.
pub struct Original {
    /// The file name without `.html.gz`.
    pub key: String,
    /// The page as fetched.
    pub bytes: Vec<u8>,
    /// The byte offset where the paragraph goes.
    at: usize,
    /// Whether the paragraph is then in the page's main content.
    pub in_main: bool,
    /// Words from the page's visible text.
    page_phrase: String,
    /// Words from the page's main content.
    main_phrase: String,
}

impl Original {
    /// The bytes of copy `n`: the page with [`paragraph`]`(n)` injected.
    pub fn copy(&self, n: usize) -> Vec<u8> {
        inject(&self.bytes, self.at, &paragraph(n))
    }
}

/// The original page that copy `n` is made from.
pub fn original(originals: &[Original], n: usize) -> &Original {
    &originals[n % originals.len()]
}

/// Reads every `*.html.gz` page of `dir` (in name order) and places its paragraph.
pub fn load(dir: &Path) -> Result<Vec<Original>, String> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with(".html.gz"))
        .collect();
    paths.sort();
    if paths.is_empty() {
        return Err(format!("no .html.gz pages in {}", dir.display()));
    }
    paths
        .iter()
        .map(|path| {
            let key = path
                .file_name()
                .and_then(|n| n.to_str())
                .and_then(|n| n.strip_suffix(".html.gz"))
                .unwrap_or_default()
                .to_string();
            let file = std::fs::File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
            let mut bytes = Vec::new();
            flate2::read::GzDecoder::new(file)
                .read_to_end(&mut bytes)
                .map_err(|e| format!("{}: {e}", path.display()))?;
            Ok(place(key, bytes))
        })
        .collect()
}

/// Finds where the paragraph lands in the main content, and the page's own phrases.
fn place(key: String, bytes: Vec<u8>) -> Original {
    let read = |at: usize| {
        let decoded = decode::decode(&inject(&bytes, at, &paragraph(0)), Some("text/html"), true);
        let doc = HtmlDoc::parse(&decoded.text);
        (doc.visible_text(), doc.main_text())
    };
    let candidates = paragraph_ends(&bytes);
    let mut chosen = None;
    for &at in candidates.iter().take(PROBES) {
        let (visible, main) = read(at);
        if main.contains(MARKER) {
            chosen = Some((at, true, visible, main));
            break;
        }
    }
    let (at, in_main, visible, main) = chosen.unwrap_or_else(|| {
        let at = candidates
            .first()
            .copied()
            .unwrap_or_else(|| body_start(&bytes));
        let (visible, main) = read(at);
        (at, false, visible, main)
    });
    Original {
        key,
        at,
        in_main,
        page_phrase: phrase(&visible, 4).unwrap_or_else(|| "Quillfeather".into()),
        main_phrase: phrase(&main, 2).unwrap_or_else(|| "Quillfeather".into()),
        bytes,
    }
}

fn inject(bytes: &[u8], at: usize, paragraph: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len() + paragraph.len());
    out.extend_from_slice(&bytes[..at]);
    out.extend_from_slice(paragraph.as_bytes());
    out.extend_from_slice(&bytes[at..]);
    out
}

/// Where a paragraph may go, longest text first (long paragraphs are the article's): after each
/// `</p>`, ranked by the paragraph's length, and after each `<br>`, ranked by the text before it
/// (some pages have no `<p>`).
fn paragraph_ends(bytes: &[u8]) -> Vec<usize> {
    let lower = bytes.to_ascii_lowercase();
    let mut ends = Vec::new();
    let (mut open, mut text) = (None, 0);
    for i in 0..lower.len() {
        let rest = &lower[i..];
        if rest.starts_with(b"<p") && matches!(rest.get(2), Some(b'>' | b' ' | b'\n')) {
            open = Some(i);
        } else if rest.starts_with(b"</p>") {
            if let Some(start) = open.take() {
                ends.push((i - start, i + 4));
            }
        } else if rest.starts_with(b"<br") && matches!(rest.get(3), Some(b'>' | b' ' | b'/')) {
            if let Some(close) = rest.iter().position(|&b| b == b'>') {
                ends.push((i - text, i + close + 1));
            }
        }
        if lower[i] == b'>' {
            text = i;
        }
    }
    ends.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    ends.into_iter().map(|(_, end)| end).collect()
}

/// The offset after `<body ...>`, else 0.
fn body_start(bytes: &[u8]) -> usize {
    let lower = bytes.to_ascii_lowercase();
    lower
        .windows(5)
        .position(|w| w == b"<body")
        .and_then(|at| {
            lower[at..]
                .iter()
                .position(|&b| b == b'>')
                .map(|e| at + e + 1)
        })
        .unwrap_or(0)
}

/// Words of letters (any script) from one line of `text`, looking from the line `1/from` of the
/// way in (then on, then from the start): [`PHRASE_WORDS`] of them, else fewer.
fn phrase(text: &str, from: usize) -> Option<String> {
    let lines: Vec<&str> = text.lines().collect();
    let start = lines.len() / from;
    let plain = |w: &&str| w.chars().count() > 1 && w.chars().all(char::is_alphabetic);
    (1..=PHRASE_WORDS).rev().find_map(|count| {
        lines[start..]
            .iter()
            .chain(&lines[..start])
            .find_map(|line| {
                let words: Vec<&str> = line.split_whitespace().collect();
                words
                    .windows(count)
                    .find(|w| w.iter().all(plain))
                    .map(|w| w.join(" "))
            })
    })
}

/// A built fixture: its WARC and its assertion files, in a directory of their own.
pub struct Fixture {
    /// Page copies.
    pub pages: usize,
    /// Claims over them.
    pub claims: usize,
    /// The WARC file.
    pub warc: PathBuf,
    /// The directory of assertion files.
    pub assertions: PathBuf,
    /// The WARC's size in bytes.
    pub warc_bytes: u64,
    /// Page copies whose paragraph is outside the main content.
    pub outside_main: usize,
    /// How long building took.
    pub build: Duration,
}

/// Writes `pages` copies to `dir/pages.warc` (uncompressed) and their claims under
/// `dir/assertions/`.
pub fn build(originals: &[Original], pages: usize, dir: &Path) -> Result<Fixture, String> {
    let start = Instant::now();
    let assertions = dir.join("assertions");
    std::fs::create_dir_all(&assertions).map_err(|e| format!("{}: {e}", assertions.display()))?;
    let warc = dir.join("pages.warc");
    let out = std::fs::File::create(&warc).map_err(|e| format!("{}: {e}", warc.display()))?;
    let mut writer = WarcWriter::new(BufWriter::with_capacity(1 << 20, out), "scale", false)
        .with_date("2025-01-01T00:00:00Z");
    let mut outside_main = 0;
    for first in (0..pages).step_by(PAGES_PER_FILE) {
        let copies = first..pages.min(first + PAGES_PER_FILE);
        let mut toml = String::from("[sources]\n");
        for n in copies.clone() {
            let _ = writeln!(toml, "c{n} = \"{}\"", url(originals, n));
        }
        for n in copies {
            let page = original(originals, n);
            outside_main += usize::from(!page.in_main);
            claims(&mut toml, n, page);
            let record = ArchivedPage::http(
                url(originals, n),
                None,
                200,
                Some("text/html".into()),
                None,
                None,
                page.copy(n),
            );
            writer.write_page(&record).map_err(|e| e.to_string())?;
        }
        let file = assertions.join(format!("scale-{first:06}.toml"));
        std::fs::write(&file, toml).map_err(|e| format!("{}: {e}", file.display()))?;
    }
    writer.finish().map_err(|e| e.to_string())?;
    let warc_bytes = std::fs::metadata(&warc).map_err(|e| e.to_string())?.len();
    Ok(Fixture {
        pages,
        claims: pages * CLAIMS_PER_PAGE,
        warc,
        assertions,
        warc_bytes,
        outside_main,
        build: start.elapsed(),
    })
}

fn url(originals: &[Original], n: usize) -> String {
    format!("https://scale.example/{n}/{}", original(originals, n).key)
}

/// One claim of a copy: its id suffix, statement, `within`, `expect` and check keys.
struct Claim<'a> {
    name: &'a str,
    statement: &'a str,
    within: Option<&'a str>,
    expect: &'a str,
    check: Vec<(&'a str, String)>,
}

/// Appends copy `n`'s [`CLAIMS_PER_PAGE`] claims: `contains`, `absent`, `matches`, `figure`
/// with `near` and `select`, on the injected paragraph and on the page's own text, in the main
/// content (the default) and with `within = "page"`.
fn claims(toml: &mut String, n: usize, page: &Original) {
    // What a claim on the paragraph in the main content finds when the paragraph is not in it.
    let main = |found| if page.in_main { found } else { "not_found" };
    let near = || ("near", "Quillfeather Works rose".to_string());
    let claims: [Claim; CLAIMS_PER_PAGE] = [
        Claim {
            name: "note",
            statement: "The ledger notes Quillfeather Works' revenue",
            within: None,
            expect: main("supported"),
            check: vec![(
                "contains",
                format!("Scale note {n}: revenue at Quillfeather Works rose"),
            )],
        },
        Claim {
            name: "not-fell",
            statement: "Quillfeather Works' revenue did not fall",
            within: None,
            expect: "supported",
            check: vec![("absent", "Quillfeather Works fell".into())],
        },
        Claim {
            name: "rose-absent",
            statement: "Nothing says Quillfeather Works' revenue rose 8%",
            within: Some("page"),
            expect: "disputed",
            check: vec![("absent", "Quillfeather Works rose 8%".into())],
        },
        Claim {
            name: "pattern",
            statement: "The ledger gives the rise as a percentage",
            within: None,
            expect: main("supported"),
            check: vec![(
                "matches",
                format!(r"Scale note {n}: revenue at \w+ Works rose \d+%"),
            )],
        },
        Claim {
            name: "percent",
            statement: "Quillfeather Works' revenue rose 8%",
            within: None,
            expect: main("supported"),
            check: vec![("figure", "8%".into()), near()],
        },
        Claim {
            name: "billions",
            statement: "Quillfeather Works' revenue was about $3.1 billion",
            within: Some("page"),
            expect: "supported",
            check: vec![("figure", "about $3.1 billion".into()), near()],
        },
        Claim {
            name: "billions-wrong",
            statement: "Quillfeather Works' revenue was more than $4 billion",
            within: None,
            expect: main("disputed"),
            check: vec![("figure", "more than $4 billion".into()), near()],
        },
        Claim {
            name: "selected",
            statement: "The highlighted revenue is $3.1 billion",
            within: None,
            expect: "supported",
            check: vec![
                ("figure", "$3.1 billion".into()),
                ("select", format!("#scale-note-{n} .scale-figure")),
            ],
        },
        Claim {
            name: "page-text",
            statement: "The page says what it says",
            within: Some("page"),
            expect: "supported",
            check: vec![("contains", page.page_phrase.clone())],
        },
        Claim {
            name: "main-text",
            statement: "The article says what it says",
            within: None,
            expect: "supported",
            check: vec![("contains", page.main_phrase.clone())],
        },
    ];
    for claim in claims {
        let _ = write!(
            toml,
            "\n[[claim]]\nid = \"c{n}-{}\"\nstatement = \"{} (copy {n}).\"\nsource = \"c{n}\"\n",
            claim.name, claim.statement
        );
        if let Some(within) = claim.within {
            let _ = writeln!(toml, "within = \"{within}\"");
        }
        if claim.expect != "supported" {
            let _ = writeln!(toml, "expect = \"{}\"", claim.expect);
        }
        for (key, value) in &claim.check {
            let _ = writeln!(toml, "check.{key} = {}", toml_string(value));
        }
    }
}

/// `value` as a TOML basic string (JSON's escapes are TOML's).
fn toml_string(value: &str) -> String {
    serde_json::to_string(value).expect("a string serialises")
}
