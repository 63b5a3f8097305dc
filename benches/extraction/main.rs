//! Main-content extraction benchmark: runs factcheck's extractor over a directory of pages with a
//! hand-made ground truth, scores it with the article-extraction-benchmark metric beside the
//! peers' published outputs, and measures its speed against html5ever's parse alone.
//!
//! `cargo bench --bench extraction -- [DIR] [--fold a|b] [--runs N] [--pages] [--out FILE]
//! [--peers DIR]...`
//!
//! DIR (default `../shared/extraction`) holds `html/<key>.html[.gz]`, `ground-truth.json` and
//! `peers/<name>.json`. `--fold a|b` scores only the first or second half of the keys in sorted
//! order (for tuning on one half and reporting on the other). `--pages` lists the worst pages.
//! `--out` writes factcheck's output in the peers' JSON form. `--peers` adds more peer outputs
//! (`{"output": {...}}` or the bare object `factcheck extract --main --batch DIR --format json`
//! prints).

mod metric;

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Instant;

use factcheck::page::decode;
use factcheck::page::html::HtmlDoc;
use serde_json::{Value, json};

/// Timed runs over all pages; the median is reported.
const DEFAULT_RUNS: usize = 5;

/// Pages listed by `--pages`.
const WORST_PAGES: usize = 15;

struct Args {
    dir: PathBuf,
    fold: Option<char>,
    runs: usize,
    pages: bool,
    out: Option<PathBuf>,
    peer_dirs: Vec<PathBuf>,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        dir: Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/extraction"),
        fold: None,
        runs: DEFAULT_RUNS,
        pages: false,
        out: None,
        peer_dirs: Vec::new(),
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut value = |name: &str| it.next().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "--bench" => {}
            "--fold" => {
                args.fold = match value("--fold")?.as_str() {
                    "a" => Some('a'),
                    "b" => Some('b'),
                    other => return Err(format!("--fold is a or b, not {other}")),
                }
            }
            "--runs" => {
                args.runs = value("--runs")?
                    .parse()
                    .map_err(|e| format!("--runs: {e}"))?
            }
            "--pages" => args.pages = true,
            "--out" => args.out = Some(PathBuf::from(value("--out")?)),
            "--peers" => args.peer_dirs.push(PathBuf::from(value("--peers")?)),
            other if other.starts_with("--") => return Err(format!("unknown option {other}")),
            other => args.dir = PathBuf::from(other),
        }
    }
    Ok(args)
}

fn main() {
    if let Err(e) = run() {
        eprintln!("error: {e}");
        std::process::exit(2);
    }
}

fn run() -> Result<(), String> {
    let args = parse_args()?;
    let truth = read_json(&args.dir.join("ground-truth.json"))?;
    let truth: BTreeMap<String, String> = truth
        .as_object()
        .ok_or("ground-truth.json is not an object")?
        .iter()
        .map(|(k, v)| (k.clone(), body_of(v)))
        .collect();
    let mut keys: Vec<String> = truth.keys().cloned().collect();
    let half = keys.len().div_ceil(2);
    match args.fold {
        Some('a') => keys.truncate(half),
        Some('b') => keys = keys.split_off(half),
        _ => {}
    }
    let pages = load_pages(&args.dir.join("html"), &keys)?;
    let bytes: usize = pages.iter().map(|(_, html)| html.len()).sum();

    // Quality: one extraction per page.
    let ours: BTreeMap<String, String> = pages
        .iter()
        .map(|(key, html)| (key.clone(), HtmlDoc::parse(html).main_text()))
        .collect();
    if let Some(out) = &args.out {
        let output: serde_json::Map<String, Value> = ours
            .iter()
            .map(|(k, v)| (k.clone(), json!({ "articleBody": v })))
            .collect();
        let doc = json!({ "version": "factcheck", "output": output });
        std::fs::write(out, doc.to_string()).map_err(|e| format!("{}: {e}", out.display()))?;
    }

    let mut rows = vec![("factcheck".to_owned(), evaluate(&truth, &keys, &ours))];
    let mut peer_files = Vec::new();
    for dir in std::iter::once(args.dir.join("peers")).chain(args.peer_dirs.iter().cloned()) {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut files: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        files.sort();
        peer_files.extend(
            files
                .into_iter()
                .filter(|p| p.extension().is_some_and(|e| e == "json")),
        );
    }
    for file in peer_files {
        let doc = read_json(&file)?;
        // The peers' `{"output": {...}}`, or `factcheck extract --batch`'s bare object.
        let output: BTreeMap<String, String> = doc
            .get("output")
            .or(Some(&doc))
            .and_then(Value::as_object)
            .map(|o| o.iter().map(|(k, v)| (k.clone(), body_of(v))).collect())
            .unwrap_or_default();
        let name = file
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        rows.push((name, evaluate(&truth, &keys, &output)));
    }
    let fold = args.fold.map_or("all".to_owned(), |f| format!("fold {f}"));
    println!(
        "{} pages ({fold}), {:.1} MB of HTML\n",
        keys.len(),
        bytes as f64 / 1e6
    );
    println!("| extractor | F1 | precision | recall |");
    println!("|---|---|---|---|");
    for (name, (score, _)) in &rows {
        println!(
            "| {name} | {:.3} | {:.3} | {:.3} |",
            score.f1, score.precision, score.recall
        );
    }
    if args.pages {
        let mut per_page = rows[0].1.1.clone();
        per_page.sort_by(|a, b| a.1.total_cmp(&b.1));
        println!("\nworst pages (F1, precision, recall):");
        for (key, f1, p, r) in per_page.iter().take(WORST_PAGES) {
            println!("  {f1:.3} {p:.3} {r:.3} {key}");
        }
    }

    // Speed: parse + main content, against html5ever's parse alone.
    if args.runs > 0 {
        let extract = median_secs(args.runs, || {
            for (_, html) in &pages {
                std::hint::black_box(HtmlDoc::parse(html).main_text());
            }
        });
        let parse = median_secs(args.runs, || {
            for (_, html) in &pages {
                std::hint::black_box(scraper::Html::parse_document(html));
            }
        });
        let mbps = |secs: f64| bytes as f64 / secs / 1e6;
        println!(
            "\nspeed (median of {} runs, one core): parse + main content {:.1} MB/s \
             ({:.0} pages/s); html5ever parse alone {:.1} MB/s",
            args.runs,
            mbps(extract),
            pages.len() as f64 / extract,
            mbps(parse)
        );
    }
    Ok(())
}

type PageScore = (String, f64, f64, f64);

/// The score over `keys`, and each page's (key, F1, precision, recall).
fn evaluate(
    truth: &BTreeMap<String, String>,
    keys: &[String],
    output: &BTreeMap<String, String>,
) -> (metric::Score, Vec<PageScore>) {
    let mut counts = Vec::new();
    let mut per_page = Vec::new();
    for key in keys {
        let expected = truth.get(key).map_or("", String::as_str);
        let got = output.get(key).map_or("", String::as_str);
        let c = metric::page_counts(expected, got);
        counts.push(c);
        let s = metric::score(&[c]);
        per_page.push((key.clone(), s.f1, s.precision, s.recall));
    }
    (metric::score(&counts), per_page)
}

fn body_of(v: &Value) -> String {
    v.get("articleBody")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned()
}

fn read_json(path: &Path) -> Result<Value, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// Each key's page, decoded as factcheck decodes HTML (BOM, `<meta charset>`, detection).
fn load_pages(dir: &Path, keys: &[String]) -> Result<Vec<(String, String)>, String> {
    keys.iter()
        .map(|key| {
            let gz = dir.join(format!("{key}.html.gz"));
            let plain = dir.join(format!("{key}.html"));
            let bytes = if gz.exists() {
                let raw = std::fs::read(&gz).map_err(|e| format!("{}: {e}", gz.display()))?;
                let mut out = Vec::new();
                flate2::read::MultiGzDecoder::new(&raw[..])
                    .read_to_end(&mut out)
                    .map_err(|e| format!("{}: {e}", gz.display()))?;
                out
            } else {
                std::fs::read(&plain).map_err(|e| format!("{}: {e}", plain.display()))?
            };
            Ok((key.clone(), decode::decode(&bytes, None, true).text))
        })
        .collect()
}

fn median_secs(runs: usize, mut f: impl FnMut()) -> f64 {
    let mut times: Vec<f64> = (0..runs.max(1))
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed().as_secs_f64()
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}
