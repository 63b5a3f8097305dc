//! The per-kind fuzz loops of `cargo bench --bench hostile`: generated and mutated inputs for
//! each reader of untrusted input, each call timed and run under `catch_unwind`.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use factcheck::document::{Draft, figures};
use factcheck::figure::date::{parse_date, scan_dates};
use factcheck::figure::{parse_claimed, scan};
use factcheck::page::Page;
use factcheck::page::markdown::{markdown_tables, markdown_to_text};
use factcheck::page::table::csv_table;
use factcheck::source::Snapshot;
use factcheck::source::warc::{WarcArchive, read_all};
use factcheck::spec::load_str;
use factcheck::spec::{Format, Within};

use super::HANG;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// A small xorshift generator: the same inputs on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// What one kind's loop measured.
#[derive(Default)]
struct Stats {
    runs: u64,
    panics: u64,
    first_panic: Option<String>,
    hangs: u64,
    slowest: Duration,
    slowest_input: String,
    busy: Duration,
}

impl Stats {
    /// Runs `f` on one input, timed and caught.
    fn call(&mut self, label: impl Fn() -> String, f: impl FnOnce()) {
        let start = Instant::now();
        let result = factcheck::caught::catch(f);
        let took = start.elapsed();
        self.runs += 1;
        self.busy += took;
        if let Err(caught) = result {
            self.panics += 1;
            self.first_panic
                .get_or_insert_with(|| format!("{} ({})", caught, label()));
        }
        if took > HANG {
            self.hangs += 1;
        }
        if took > self.slowest {
            self.slowest = took;
            self.slowest_input = label();
        }
    }
}

/// The process's peak resident set, in MiB (`VmHWM`), when known.
fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// One kind's loop, run for a time.
type Kind = fn(Duration) -> Stats;

/// Runs every kind for `budget` each.
pub fn run_all(budget: Duration, filter: Option<&str>) {
    println!("\n## input kinds ({:.1} s each)\n", budget.as_secs_f64());
    println!(
        "| kind | inputs | inputs/s | panics | hangs (> {} s) | slowest ms | slowest input | peak RSS MiB |",
        HANG.as_secs()
    );
    println!("|---|---|---|---|---|---|---|---|");
    let kinds: [(&str, Kind); 4] = [
        ("assertion files", spec),
        ("figures and dates", figures_and_dates),
        ("warc", warc),
        ("markdown/csv/json/text pages", text_pages),
    ];
    let mut panics = Vec::new();
    for (name, run) in kinds {
        if filter.is_some_and(|f| !name.contains(f)) {
            continue;
        }
        let stats = run(budget);
        println!(
            "| {name} | {} | {:.0} | {} | {} | {:.1} | {} | {} |",
            stats.runs,
            stats.runs as f64 / stats.busy.as_secs_f64().max(1e-9),
            stats.panics,
            stats.hangs,
            stats.slowest.as_secs_f64() * 1e3,
            stats.slowest_input,
            peak_rss_mib().map_or("?".to_string(), |m| format!("{m:.0}")),
        );
        if let Some(p) = stats.first_panic {
            panics.push(format!("{name}: {p}"));
        }
    }
    println!(
        "\npeak RSS at the end: {} MiB",
        peak_rss_mib().map_or("?".to_string(), |m| format!("{m:.0}"))
    );
    for p in &panics {
        println!("PANIC {p}");
    }
}

/// Byte edits of `seed`: flips, insertions of a token, deletions, duplications.
fn mutate(rng: &mut Rng, seed: &[u8], tokens: &[&str]) -> Vec<u8> {
    let mut bytes = seed.to_vec();
    for _ in 0..1 + rng.below(24) {
        let at = rng.below(bytes.len() + 1);
        match rng.below(4) {
            0 if at < bytes.len() => bytes[at] = rng.next() as u8,
            1 => {
                let t = rng.pick(tokens).as_bytes().to_vec();
                bytes.splice(at..at, t);
            }
            2 if at < bytes.len() => {
                let end = (at + 1 + rng.below(16)).min(bytes.len());
                bytes.drain(at..end);
            }
            _ => {
                let end = (at + rng.below(64)).min(bytes.len());
                let copy = bytes[at..end].to_vec();
                bytes.splice(at..at, copy);
            }
        }
    }
    bytes
}

fn soup(rng: &mut Rng, tokens: &[&str], max: usize) -> String {
    let n = rng.below(max);
    (0..n).map(|_| *rng.pick(tokens)).collect()
}

fn files_in(dir: &str, ext: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out: Vec<(PathBuf, Vec<u8>)> = std::fs::read_dir(Path::new(ROOT).join(dir))
        .map(|d| {
            d.filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == ext))
                .filter_map(|p| std::fs::read(&p).ok().map(|b| (p, b)))
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

const SPEC_TOKENS: &[&str] = &[
    "[[claim]]\n",
    "id = \"x\"\n",
    "statement = \"s\"\n",
    "source = \"https://x.org\"\n",
    "check.contains = \"a\"\n",
    "check.figure = \"12.5%\"\n",
    "tolerance = \"7304485d\"\n",
    "tolerance = \"99999999999999999999d\"\n",
    "[[[",
    "]]]",
    "{",
    "}",
    "=",
    "\"",
    "'''",
    "\n",
    "1e400",
    "-",
    "+",
    "--12.49%",
    "more than less than 200",
    "5%–$6",
    "\u{0}",
    "\\u00",
    "#",
    "[limits]\n",
    "window = 18446744073709551615\n",
    "occurrence = -1\n",
    "[a.b.c.d]\n",
];

fn spec(budget: Duration) -> Stats {
    let mut stats = Stats::default();
    let mut seeds = files_in("tests/hostile/spec", "toml");
    seeds.extend(files_in("assertions", "toml"));
    let path = Path::new("hostile.toml");
    // The known big shape: 20,000 unknown keys.
    let mut unknown = String::from(
        "[[claim]]\nid = \"a\"\nstatement = \"s\"\nsource = \"https://x.org\"\ncheck.contains = \"a\"\n",
    );
    for i in 0..20_000 {
        unknown.push_str(&format!("unknown_key_{i} = {i}\n"));
    }
    stats.call(
        || "20,000 unknown keys".into(),
        || {
            let _ = load_str(path, &unknown);
        },
    );
    for (p, bytes) in &seeds {
        let text = String::from_utf8_lossy(bytes);
        stats.call(
            || p.display().to_string(),
            || {
                let _ = load_str(path, &text);
            },
        );
    }
    let mut rng = Rng(0x5eed_0001);
    let start = Instant::now();
    while start.elapsed() < budget {
        let input = match rng.below(3) {
            0 => soup(&mut rng, SPEC_TOKENS, 200),
            1 => {
                let (_, seed) = rng.pick(&seeds);
                String::from_utf8_lossy(&mutate(&mut rng, seed, SPEC_TOKENS)).into_owned()
            }
            _ => {
                let n = rng.below(2048);
                String::from_utf8_lossy(&(0..n).map(|_| rng.next() as u8).collect::<Vec<_>>())
                    .into_owned()
            }
        };
        let len = input.len();
        stats.call(
            || format!("random, {len} bytes"),
            || {
                let _ = load_str(path, &input);
            },
        );
    }
    stats
}

const FIGURE_TOKENS: &[&str] = &[
    "12",
    "12.5",
    "1,234",
    "1.234,5",
    "%",
    "$",
    "€",
    "−",
    "-",
    "+",
    "--",
    "-+",
    " ",
    "\n",
    "more than ",
    "less than ",
    "about ",
    "million",
    "bn",
    "k",
    "–",
    "to",
    "between ",
    " and ",
    "2024-03-01",
    "1 March 2024",
    "14. März 2021",
    "March",
    "Q3 2024",
    "FY24",
    "e",
    "E",
    "10^",
    "×",
    "1e400",
    "0x",
    "99999999999999999999",
    ".",
    ",",
    "½",
    "٣",
    "a",
    "the ",
];

fn figures_and_dates(budget: Duration) -> Stats {
    let mut stats = Stats::default();
    // The known big shape: a 300 KB draft of 150,000 short numbers.
    let big: String = (0..150_000).map(|i| format!("{} ", i % 10)).collect();
    stats.call(
        || format!("draft of 150,000 numbers, {} KB", big.len() / 1024),
        || {
            let draft = Draft::new("draft.md", big.clone());
            std::hint::black_box(figures(&draft).len());
        },
    );
    let mut rng = Rng(0x5eed_0002);
    let start = Instant::now();
    while start.elapsed() < budget {
        let text = soup(&mut rng, FIGURE_TOKENS, 1024);
        let len = text.len();
        stats.call(
            || format!("random, {len} bytes"),
            || {
                std::hint::black_box(scan(&text).len());
                std::hint::black_box(scan_dates(&text).len());
                let _ = parse_claimed(&text);
                let _ = parse_date(&text);
                let draft = Draft::new("draft.md", text.clone());
                std::hint::black_box(figures(&draft).len());
            },
        );
    }
    stats
}

const WARC_TOKENS: &[&str] = &[
    "WARC/1.1\r\n",
    "WARC-Type: response\r\n",
    "WARC-Type: resource\r\n",
    "Content-Length: ",
    "999999999999999999999",
    "-1",
    "0",
    "\r\n",
    "\r\n\r\n",
    "WARC-Target-URI: https://x.org/\r\n",
    "WARC-Block-Digest: sha1:AAAA\r\n",
    "WARC-Payload-Digest: sha256:zz\r\n",
    "HTTP/1.1 200 OK\r\n",
    "Content-Encoding: gzip\r\n",
    "Content-Encoding: br\r\n",
    "Transfer-Encoding: chunked\r\n",
    "Content-Type: text/html; charset=utf-16\r\n",
    "\u{1f}\u{8b}",
    ":",
    " ",
];

fn gzip(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    enc.write_all(bytes).expect("gzip");
    enc.finish().expect("gzip")
}

/// A response record whose body is `Content-Encoding: gzip` expanding to `expanded` bytes.
fn gzip_bomb_record(expanded: usize) -> Vec<u8> {
    use std::io::Write;
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    let chunk = vec![b' '; 1 << 20];
    for _ in 0..expanded.div_ceil(chunk.len()) {
        enc.write_all(&chunk).expect("gzip");
    }
    let mut http =
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\n\r\n".to_vec();
    http.extend(enc.finish().expect("gzip"));
    let mut warc = format!(
        "WARC/1.1\r\nWARC-Type: response\r\nWARC-Target-URI: https://bomb.example/\r\n\
         Content-Type: application/http; msgtype=response\r\nContent-Length: {}\r\n\r\n",
        http.len()
    )
    .into_bytes();
    warc.extend(&http);
    warc.extend(b"\r\n\r\n");
    warc
}

fn warc(budget: Duration) -> Stats {
    let mut stats = Stats::default();
    let mut seeds = files_in("tests/hostile/files", "warc");
    // Each seed gzipped too (a .warc.gz is a gzip member per record, or one for the file).
    let gzipped: Vec<(PathBuf, Vec<u8>)> = seeds
        .iter()
        .map(|(p, b)| (p.with_extension("warc.gz"), gzip(b)))
        .collect();
    seeds.extend(gzipped);
    let dir = std::env::temp_dir().join(format!("factcheck-hostile-bench-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let plain = dir.join("input.warc");
    let gz = dir.join("input.warc.gz");
    let read = |path: &Path| {
        let _ = read_all(path);
        if let Ok(archive) = WarcArchive::open(path) {
            let urls: Vec<String> = archive.urls().map(str::to_string).collect();
            for url in urls {
                let _ = archive.get(&url);
            }
        }
    };
    // The known big shapes: a gzip bomb past the decompression limit, plain and gzipped.
    let limit = factcheck::limits::Limits::current().decompressed_bytes as usize;
    let bomb = gzip_bomb_record(limit + (4 << 20));
    for (name, path, bytes) in [
        ("gzip bomb record", &plain, bomb.clone()),
        ("gzip bomb record, gzipped", &gz, gzip(&bomb)),
    ] {
        if std::fs::write(path, &bytes).is_ok() {
            let kb = bytes.len() / 1024;
            stats.call(|| format!("{name}, {kb} KB"), || read(path));
        }
    }
    let mut rng = Rng(0x5eed_0003);
    let start = Instant::now();
    while start.elapsed() < budget {
        let bytes = match rng.below(4) {
            0 => soup(&mut rng, WARC_TOKENS, 64).into_bytes(),
            _ if !seeds.is_empty() => {
                let (_, seed) = rng.pick(&seeds);
                mutate(&mut rng, seed, WARC_TOKENS)
            }
            _ => Vec::new(),
        };
        let path = if bytes.starts_with(&[0x1f, 0x8b]) {
            &gz
        } else {
            &plain
        };
        if std::fs::write(path, &bytes).is_err() {
            break;
        }
        let len = bytes.len();
        stats.call(|| format!("mutated, {len} bytes"), || read(path));
    }
    let _ = std::fs::remove_dir_all(&dir);
    stats
}

const PAGE_TOKENS: &[&str] = &[
    "|",
    "|---|",
    "| --- | :-: |",
    "\n",
    "\n\n",
    "*",
    "**",
    "_",
    "~~",
    "`",
    "```",
    "[",
    "](",
    ")",
    "![",
    "<b>",
    "</b>",
    "<br>",
    "<script>",
    "</script>",
    "<!--",
    "-->",
    "&amp;",
    "&#99999999;",
    "- ",
    "1. ",
    "> ",
    "# ",
    "\\",
    "\t",
    "\"",
    ",",
    "\r\n",
    "{",
    "}",
    "[",
    "]",
    ":",
    "12.5%",
    "$1,234",
    "ü",
    "\u{feff}",
    "\u{0}",
    "a",
    "row",
];

const PAGE_SEEDS: &[&str] = &[
    "# Results\n\nRevenue grew **12.5%** in [2024](https://x.org).\n\n| model | score |\n|---|---:|\n| A | 79.8 |\n| B | `81` |\n\n<div>raw <b>html</b></div>\n",
    "model,score,notes\nA,79.8,\"quoted, with comma\"\nB,81,\"multi\nline\"\n",
    "{\"models\": [{\"name\": \"A\", \"score\": 79.8}, {\"name\": \"B\", \"score\": [1, [2, [3]]]}]}",
    "Plain text with 12.5% and $1,234 and a date 2024-03-01.\n",
];

fn read_page(bytes: Vec<u8>, format: Format, content_type: Option<&str>) {
    let snapshot = Snapshot::local("https://example.org/page", content_type, bytes);
    if let Ok(page) = Page::read(&snapshot, Some(format)) {
        std::hint::black_box(page.tables().len());
        if let Ok(Some(region)) = page.region(&Within::Page, false) {
            std::hint::black_box(region.figures().len());
        }
    }
}

fn text_pages(budget: Duration) -> Stats {
    let mut stats = Stats::default();
    // The known big shapes.
    let mut padded = "|h".repeat(4_000) + "|\n" + &"|-".repeat(4_000) + "|\n";
    padded.push_str(&"x|\n".repeat(50_000));
    let nested_json = "[".repeat(100_000) + &"]".repeat(100_000);
    let csv_quotes = "\"".repeat(200_001);
    let md_quotes = "> ".repeat(50_000) + "x";
    for (name, text, format) in [
        (
            "markdown table padded 4,000 x 50,000",
            &padded,
            Format::Markdown,
        ),
        ("json nested 100,000 deep", &nested_json, Format::Json),
        ("csv of 200,001 quotes", &csv_quotes, Format::Csv),
        ("markdown quotes 50,000 deep", &md_quotes, Format::Markdown),
    ] {
        stats.call(
            || name.to_string(),
            || {
                read_page(text.as_bytes().to_vec(), format, None);
                std::hint::black_box(markdown_to_text(text).len());
                std::hint::black_box(markdown_tables(text).len());
                std::hint::black_box(csv_table(text).len());
            },
        );
    }
    let formats = [Format::Markdown, Format::Csv, Format::Json, Format::Text];
    let types = [
        None,
        Some("text/plain; charset=utf-8"),
        Some("text/csv; charset=utf-16"),
        Some("text/markdown; charset=latin1"),
        Some("application/json; charset=bogus"),
    ];
    let mut rng = Rng(0x5eed_0004);
    let start = Instant::now();
    while start.elapsed() < budget {
        let bytes = match rng.below(3) {
            0 => soup(&mut rng, PAGE_TOKENS, 600).into_bytes(),
            1 => {
                let seed = rng_seed(&mut rng);
                mutate(&mut rng, seed.as_bytes(), PAGE_TOKENS)
            }
            _ => {
                let n = rng.below(4096);
                (0..n).map(|_| rng.next() as u8).collect()
            }
        };
        let format = *rng.pick(&formats);
        let ct = *rng.pick(&types);
        let len = bytes.len();
        stats.call(
            || format!("{format:?}, {len} bytes"),
            || read_page(bytes, format, ct),
        );
    }
    stats
}

fn rng_seed(rng: &mut Rng) -> &'static str {
    PAGE_SEEDS[rng.below(PAGE_SEEDS.len())]
}
