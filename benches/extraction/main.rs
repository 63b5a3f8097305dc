//! Main-content extraction benchmark: runs factcheck's extractor over corpora of pages with a
//! hand-made ground truth, scores it with the article-extraction-benchmark metric beside each
//! corpus's peers, and measures its speed against html5ever's parse alone.
//!
//! `cargo bench --bench extraction -- [DIR] [--corpus scrapinghub|readability|all]
//! [--fold dev|held|all|a|b] [--runs N] [--pages] [--conventions] [--perturb] [--perturb-out DIR]
//! [--skip KEY]... [--out FILE] [--peers DIR]...`
//!
//! The corpora (default: both) are the Scrapinghub pages of `../shared/extraction` and the
//! Readability test pages of `../shared/extraction/readability`; a DIR argument scores that
//! directory alone. Each holds `html/<key>.html[.gz]`, `ground-truth.json` and
//! `peers/<name>.json`.
//!
//! Folds split each corpus by its keys in sorted order. The **held** fold is the last fifth
//! ([`HELD_FRACTION`]), kept aside while the extractor is tuned (the same pages as the corpus
//! test's `tests/corpus/fold/`); **dev** (the default) is the rest; `all` is every page. `a` and
//! `b` are the first and second half, the split of the extractor's first design (README, "Main
//! content extraction").
//!
//! After each corpus's table, a paired bootstrap over its pages gives 95% intervals of
//! factcheck's F1 and of its difference from the best peer's ([`metric::bootstrap`]).
//!
//! `--pages` lists each corpus's worst pages. `--conventions` scores every extractor again with
//! the lines of captions and comment sections neutral, the labels the two corpora disagree on
//! ([`convention`]). `--perturb` scores factcheck again on each page rebuilt in other shapes around
//! the same text ([`perturb`]): how well it generalizes beyond the layouts the pages show;
//! `--perturb-out DIR` also writes the rebuilt pages, as `DIR/<kind>/<key>.html`.
//! `--skip KEY` leaves a page out of the fold. `--out` writes factcheck's output in the peers' JSON
//! form (one corpus only). `--peers` adds more peer outputs (`{"output": {...}}` or the bare object
//! `factcheck extract --main --batch DIR --format json` prints).

mod convention;
mod metric;
mod perturb;

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use factcheck::page::decode;
use factcheck::page::html::HtmlDoc;
use serde_json::{Value, json};

/// Timed rounds over all pages; medians are reported.
const DEFAULT_RUNS: usize = 5;

/// Resamples of the paired bootstrap (factcheck against the best peer), and its fixed seed.
const BOOTSTRAP_ROUNDS: usize = 2000;
const BOOTSTRAP_SEED: u64 = 0x5eed;

/// Pages listed by `--pages`, per corpus.
const WORST_PAGES: usize = 15;

/// The held fold is the last `1 / HELD_FRACTION` of a corpus's sorted keys (rounded up).
const HELD_FRACTION: usize = 5;

/// The corpora scored by default: name and folder under `../shared/extraction`.
const CORPORA: [(&str, &str); 2] = [("scrapinghub", ""), ("readability", "readability")];

/// Which pages of a corpus are scored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fold {
    /// All but the held fold: the pages the extractor is tuned on.
    Dev,
    /// The last fifth of the keys, kept aside.
    Held,
    /// Every page.
    All,
    /// The first half of the keys.
    A,
    /// The second half of the keys.
    B,
}

impl Fold {
    fn parse(s: &str) -> Result<Fold, String> {
        Ok(match s {
            "dev" => Fold::Dev,
            "held" => Fold::Held,
            "all" => Fold::All,
            "a" => Fold::A,
            "b" => Fold::B,
            other => return Err(format!("--fold is dev, held, all, a or b, not {other}")),
        })
    }

    fn name(self) -> &'static str {
        match self {
            Fold::Dev => "dev",
            Fold::Held => "held",
            Fold::All => "all",
            Fold::A => "fold a",
            Fold::B => "fold b",
        }
    }

    /// The keys of this fold, from all keys in sorted order.
    fn select(self, mut keys: Vec<String>) -> Vec<String> {
        let half = keys.len().div_ceil(2);
        let held = keys.len() - keys.len().div_ceil(HELD_FRACTION);
        match self {
            Fold::Dev => keys.truncate(held),
            Fold::Held => keys = keys.split_off(held),
            Fold::All => {}
            Fold::A => keys.truncate(half),
            Fold::B => keys = keys.split_off(half),
        }
        keys
    }
}

struct Args {
    corpora: Vec<(String, PathBuf)>,
    fold: Fold,
    runs: usize,
    pages: bool,
    conventions: bool,
    perturb: bool,
    perturb_out: Option<PathBuf>,
    skip: Vec<String>,
    out: Option<PathBuf>,
    peer_dirs: Vec<PathBuf>,
}

fn parse_args() -> Result<Args, String> {
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/extraction");
    let mut args = Args {
        corpora: Vec::new(),
        fold: Fold::Dev,
        runs: DEFAULT_RUNS,
        pages: false,
        conventions: false,
        perturb: false,
        perturb_out: None,
        skip: Vec::new(),
        out: None,
        peer_dirs: Vec::new(),
    };
    let mut corpus: Option<String> = None;
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut value = |name: &str| it.next().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "--bench" => {}
            "--corpus" => corpus = Some(value("--corpus")?),
            "--fold" => args.fold = Fold::parse(&value("--fold")?)?,
            "--runs" => {
                args.runs = value("--runs")?
                    .parse()
                    .map_err(|e| format!("--runs: {e}"))?
            }
            "--pages" => args.pages = true,
            "--conventions" => args.conventions = true,
            "--perturb" => args.perturb = true,
            "--perturb-out" => {
                args.perturb = true;
                args.perturb_out = Some(PathBuf::from(value("--perturb-out")?));
            }
            "--skip" => args.skip.push(value("--skip")?),
            "--out" => args.out = Some(PathBuf::from(value("--out")?)),
            "--peers" => args.peer_dirs.push(PathBuf::from(value("--peers")?)),
            other if other.starts_with("--") => return Err(format!("unknown option {other}")),
            other => {
                let dir = PathBuf::from(other);
                let name = dir
                    .file_name()
                    .map_or("pages".into(), |n| n.to_string_lossy().into_owned());
                args.corpora.push((name, dir));
            }
        }
    }
    if args.corpora.is_empty() {
        for (name, folder) in CORPORA {
            if corpus.as_deref().is_none_or(|c| c == "all" || c == name) {
                args.corpora.push((name.to_owned(), shared.join(folder)));
            }
        }
        if args.corpora.is_empty() {
            let names: Vec<&str> = CORPORA.iter().map(|(n, _)| *n).collect();
            return Err(format!(
                "--corpus is {} or all, not {}",
                names.join(", "),
                corpus.unwrap_or_default()
            ));
        }
    }
    if args.out.is_some() && args.corpora.len() > 1 {
        return Err("--out writes one corpus: choose it with --corpus".into());
    }
    Ok(args)
}

fn main() {
    if let Err(e) = run() {
        eprintln!("error: {e}");
        std::process::exit(2);
    }
}

/// One corpus's pages of the chosen fold, with their ground truth.
struct Corpus {
    name: String,
    dir: PathBuf,
    truth: BTreeMap<String, String>,
    keys: Vec<String>,
    pages: Vec<(String, String)>,
}

fn load_corpus(name: &str, dir: &Path, fold: Fold, skip: &[String]) -> Result<Corpus, String> {
    let truth = read_json(&dir.join("ground-truth.json"))?;
    let truth: BTreeMap<String, String> = truth
        .as_object()
        .ok_or("ground-truth.json is not an object")?
        .iter()
        .map(|(k, v)| (k.clone(), body_of(v)))
        .collect();
    let mut keys = fold.select(truth.keys().cloned().collect());
    keys.retain(|k| !skip.contains(k));
    let pages = load_pages(&dir.join("html"), &keys)?;
    Ok(Corpus {
        name: name.to_owned(),
        dir: dir.to_owned(),
        truth,
        keys,
        pages,
    })
}

fn run() -> Result<(), String> {
    let args = parse_args()?;
    let corpora = args
        .corpora
        .iter()
        .map(|(name, dir)| load_corpus(name, dir, args.fold, &args.skip))
        .collect::<Result<Vec<_>, _>>()?;
    // A key no corpus has is a typo, not a page left out.
    if let Some(key) = args
        .skip
        .iter()
        .find(|k| !corpora.iter().any(|c| c.truth.contains_key(*k)))
    {
        return Err(format!("--skip {key}: no corpus has a page of that key"));
    }
    let mut summary = Vec::new();
    for corpus in &corpora {
        summary.push(report(corpus, &args)?);
    }
    if corpora.len() > 1 {
        println!("\n## Side by side ({})\n", args.fold.name());
        println!("| corpus | pages | factcheck F1 | precision | recall | best peer | its F1 |");
        println!("|---|---|---|---|---|---|---|");
        for (corpus, (ours, best)) in corpora.iter().zip(&summary) {
            let (peer, peer_f1) = best
                .as_ref()
                .map_or(("-".to_owned(), "-".to_owned()), |(n, s)| {
                    (n.clone(), format!("{:.4}", s.f1))
                });
            println!(
                "| {} | {} | {:.4} | {:.4} | {:.4} | {peer} | {peer_f1} |",
                corpus.name,
                corpus.keys.len(),
                ours.f1,
                ours.precision,
                ours.recall
            );
        }
    }
    if args.runs > 0 {
        speed(&corpora, args.runs);
    }
    Ok(())
}

/// Prints one corpus's table (and worst pages); returns factcheck's score and the best peer's.
fn report(
    corpus: &Corpus,
    args: &Args,
) -> Result<(metric::Score, Option<(String, metric::Score)>), String> {
    let ours: BTreeMap<String, String> = corpus
        .pages
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
    let mut outputs = vec![("factcheck".to_owned(), ours)];
    let mut peer_files = Vec::new();
    for dir in std::iter::once(corpus.dir.join("peers")).chain(args.peer_dirs.iter().cloned()) {
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
        outputs.push((name, output));
    }
    let rows: Vec<_> = outputs
        .iter()
        .map(|(name, output)| (name.clone(), evaluate(&corpus.truth, &corpus.keys, output)))
        .collect();
    let bytes: usize = corpus.pages.iter().map(|(_, html)| html.len()).sum();
    println!(
        "## {}: {} pages ({}), {:.1} MB of HTML\n",
        corpus.name,
        corpus.keys.len(),
        args.fold.name(),
        bytes as f64 / 1e6
    );
    println!("| extractor | F1 | precision | recall |");
    println!("|---|---|---|---|");
    for (name, (score, _, _)) in &rows {
        println!(
            "| {name} | {:.3} | {:.3} | {:.3} |",
            score.f1, score.precision, score.recall
        );
    }
    if args.pages {
        let mut per_page = rows[0].1.1.clone();
        per_page.sort_by(|a, b| a.1.total_cmp(&b.1));
        println!("\nworst pages of {} (F1, precision, recall):", corpus.name);
        for (key, f1, p, r) in per_page.iter().take(WORST_PAGES) {
            println!("  {f1:.3} {p:.3} {r:.3} {key}");
        }
    }
    let best = rows[1..]
        .iter()
        .max_by(|a, b| a.1.0.f1.total_cmp(&b.1.0.f1));
    if let Some((name, (_, _, theirs))) = best {
        let (f1, diff) = metric::bootstrap(&rows[0].1.2, theirs, BOOTSTRAP_ROUNDS, BOOTSTRAP_SEED);
        println!(
            "\n95% intervals ({BOOTSTRAP_ROUNDS} paired resamples of the {} pages): factcheck F1 \
             {:.3} to {:.3}; factcheck minus {name} {:+.3} to {:+.3}",
            corpus.keys.len(),
            f1.low,
            f1.high,
            diff.low,
            diff.high
        );
    }
    if args.conventions {
        conventions(corpus, &outputs);
    }
    if args.perturb {
        perturbed(corpus, &outputs[0].1, args.perturb_out.as_deref())?;
    }
    println!();
    let best = best.map(|(name, (score, _, _))| (name.clone(), *score));
    Ok((rows[0].1.0, best))
}

/// Every extractor's F1 again with the lines of captions and comment sections neutral
/// ([`convention`]): what is left of the gap between two extractors is extraction, not labels.
fn conventions(corpus: &Corpus, outputs: &[(String, BTreeMap<String, String>)]) {
    let sections: BTreeMap<&str, Vec<String>> = corpus
        .pages
        .iter()
        .map(|(key, html)| {
            let expected = corpus.truth.get(key).map_or("", String::as_str);
            (key.as_str(), convention::sections(html, expected))
        })
        .collect();
    let neutral = |texts: &BTreeMap<String, String>| -> BTreeMap<String, String> {
        corpus
            .keys
            .iter()
            .map(|key| {
                let text = texts.get(key).map_or("", String::as_str);
                let found = sections.get(key.as_str()).map_or(&[][..], Vec::as_slice);
                (key.clone(), convention::neutral(text, found))
            })
            .collect()
    };
    let truth = neutral(&corpus.truth);
    println!(
        "\nwith the lines of captions and comment sections neutral ({} of the {} pages have some):\n",
        sections.values().filter(|s| !s.is_empty()).count(),
        corpus.keys.len()
    );
    println!("| extractor | F1 | F1, conventions neutral | precision | recall |");
    println!("|---|---|---|---|---|");
    for (name, output) in outputs {
        let (before, _, _) = evaluate(&corpus.truth, &corpus.keys, output);
        let (after, _, _) = evaluate(&truth, &corpus.keys, &neutral(output));
        println!(
            "| {name} | {:.4} | {:.4} | {:.4} | {:.4} |",
            before.f1, after.f1, after.precision, after.recall
        );
    }
}

/// factcheck's F1 on each kind of perturbed page against its F1 on the same pages as they are
/// ([`perturb`]), with the pages that lose the most.
fn perturbed(
    corpus: &Corpus,
    ours: &BTreeMap<String, String>,
    out: Option<&Path>,
) -> Result<(), String> {
    println!("\nfactcheck on the pages rebuilt in other shapes around the same text:\n");
    println!(
        "| perturbation | pages | F1 as they are | F1 rebuilt | recall as they are | recall rebuilt | pages that lose most (F1) |"
    );
    println!("|---|---|---|---|---|---|---|");
    // Each page parsed once for every kind (the pages as they are were read once already,
    // `ours`); only the rebuilt ones are read, and what each kind adds to the article is expected
    // too (a quoted post, subheadings).
    let mut after: BTreeMap<&str, BTreeMap<String, String>> = BTreeMap::new();
    let mut gained: BTreeMap<&str, BTreeMap<String, String>> = BTreeMap::new();
    for (key, html) in &corpus.pages {
        let page = scraper::Html::parse_document(html);
        for kind in perturb::KINDS {
            let Some(rebuilt) = perturb::perturb_doc(&page, kind) else {
                continue;
            };
            if let Some(out) = out {
                let dir = out.join(kind);
                std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
                let file = dir.join(format!("{key}.html"));
                std::fs::write(&file, &rebuilt.html)
                    .map_err(|e| format!("{}: {e}", file.display()))?;
            }
            let text = HtmlDoc::parse(&rebuilt.html).main_text();
            after.entry(kind).or_default().insert(key.clone(), text);
            let expected = corpus.truth.get(key).map_or("", String::as_str);
            gained
                .entry(kind)
                .or_default()
                .insert(key.clone(), format!("{expected}\n{}", rebuilt.gained));
        }
    }
    for kind in perturb::KINDS {
        let (Some(after), Some(gained)) = (after.get(kind), gained.get(kind)) else {
            println!("| {kind} | 0 | | | | | |");
            continue;
        };
        let keys: Vec<String> = after.keys().cloned().collect();
        let (b, b_pages, _) = evaluate(&corpus.truth, &keys, ours);
        let (a, a_pages, _) = evaluate(gained, &keys, after);
        let mut losses: Vec<(f64, &str)> = b_pages
            .iter()
            .zip(&a_pages)
            .map(|(b, a)| (b.1 - a.1, b.0.as_str()))
            .filter(|(loss, _)| *loss > 0.01)
            .collect();
        losses.sort_by(|x, y| y.0.total_cmp(&x.0));
        let worst: Vec<String> = losses
            .iter()
            .take(3)
            .map(|(loss, key)| format!("{} −{loss:.2}", &key[..key.len().min(16)]))
            .collect();
        println!(
            "| {kind} | {} | {:.4} | {:.4} | {:.4} | {:.4} | {} |",
            keys.len(),
            b.f1,
            a.f1,
            b.recall,
            a.recall,
            worst.join(", ")
        );
    }
    Ok(())
}

/// Speed of parse + main content against html5ever's parse alone, over every loaded page: the two
/// are timed in alternation, round after round, in CPU time of this thread (so other processes'
/// load on a shared machine counts less), and medians are reported.
fn speed(corpora: &[Corpus], runs: usize) {
    let pages: Vec<&String> = corpora
        .iter()
        .flat_map(|c| c.pages.iter().map(|(_, html)| html))
        .collect();
    let bytes: usize = pages.iter().map(|html| html.len()).sum();
    let mut extract = Vec::new();
    let mut parse = Vec::new();
    let mut doc_parse = Vec::new();
    let mut ratio = Vec::new();
    for _ in 0..runs {
        let e = cpu_secs(|| {
            for html in &pages {
                std::hint::black_box(HtmlDoc::parse(html).main_text());
            }
        });
        let p = cpu_secs(|| {
            for html in &pages {
                std::hint::black_box(scraper::Html::parse_document(html));
            }
        });
        let d = cpu_secs(|| {
            for html in &pages {
                std::hint::black_box(HtmlDoc::parse(html));
            }
        });
        extract.push(e);
        parse.push(p);
        doc_parse.push(d);
        ratio.push(p / e);
    }
    let mbps = |secs: f64| bytes as f64 / secs / 1e6;
    let extract = median(extract);
    println!(
        "speed over {} pages ({:.1} MB), median of {runs} rounds, CPU time of one thread: \
         parse + main content {:.1} MB/s ({:.0} pages/s); html5ever parse alone {:.1} MB/s; \
         parse + main content at {:.0}% of the parse's speed (median of the rounds' ratios); \
         factcheck's depth-bounded parse alone {:.1} MB/s",
        pages.len(),
        bytes as f64 / 1e6,
        mbps(extract),
        pages.len() as f64 / extract,
        mbps(median(parse)),
        100.0 * median(ratio),
        mbps(median(doc_parse))
    );
}

type PageScore = (String, f64, f64, f64);

/// One page's normalised `(tp, fp, fn)`.
type Counts = (f64, f64, f64);

/// The score over `keys`, and each page's (key, F1, precision, recall).
fn evaluate(
    truth: &BTreeMap<String, String>,
    keys: &[String],
    output: &BTreeMap<String, String>,
) -> (metric::Score, Vec<PageScore>, Vec<Counts>) {
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
    (metric::score(&counts), per_page, counts)
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

/// CPU time of the calling thread spent in `f`, in seconds.
fn cpu_secs(f: impl FnOnce()) -> f64 {
    let now = || {
        let mut ts = libc::timespec {
            tv_sec: 0,
            tv_nsec: 0,
        };
        // SAFETY: `ts` is a valid, writable timespec; the clock id is a constant the platform
        // defines.
        unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
        ts.tv_sec as f64 + ts.tv_nsec as f64 / 1e9
    };
    let start = now();
    f();
    now() - start
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(f64::NAN)
}
