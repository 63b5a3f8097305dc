//! Figures at speed: scanning 10 MB of text for figures, and checking 10,000 figure claims
//! against 100 cached pages. Run with `cargo bench --bench figures`; prints medians.

use std::fmt::Write as _;
use std::path::Path;
use std::time::{Duration, Instant};

use factcheck::run::{Filter, Runner};
use factcheck::source::cache::{Cache, Meta};
use factcheck::source::{SourceOptions, Sources};
use factcheck::spec::{self, Suite};

const SCAN_BYTES: usize = 10 * 1024 * 1024;
const PAGES: usize = 100;
const CLAIMS_PER_PAGE: usize = 100;

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

/// News-like prose with figures, names, dates and tables, about `bytes` long.
fn prose(bytes: usize) -> String {
    let paragraphs = [
        "DeepSeek-V3 requires only 2.788M H800 GPU hours for its full training; our total training \
         costs amount to only $5.576M, assuming the rental price of the H800 GPU is $2 per GPU hour.",
        "Nvidia fell as much as 12% in premarket trading on Jan. 27, 2025, while Meta said it would \
         spend more than $65 billion this year, up from 60–65 billion, and Alphabet lost -4.2%.",
        "| Benchmark | GPT-4o 0513 | OpenAI o1-1217 | DeepSeek R1 |\n| AIME 2024 (Pass@1) | 9.3 | 79.2 | **79.8** |",
        "Llama3.1-8B and Qwen2.5-32B were distilled with 800k samples; version 0.6.6 shipped at 21:49 UTC \
         and reached nearly 2 million downloads, roughly 1,234,567 installs and €3bn in value.",
    ];
    let mut text = String::with_capacity(bytes + 512);
    let mut i = 0;
    while text.len() < bytes {
        text.push_str(paragraphs[i % paragraphs.len()]);
        text.push_str("\n\n");
        i += 1;
    }
    text
}

fn bench_scan() {
    time_scan("scan: {} MB of prose", &prose(SCAN_BYTES));
}

/// Scans `text` five times and prints the median; `label` has a `{}` for the size in MB.
fn time_scan(label: &str, text: &str) {
    let mut runs = Vec::new();
    let mut found = 0;
    for _ in 0..5 {
        let start = Instant::now();
        found = factcheck::figure::scan(std::hint::black_box(text)).len();
        runs.push(start.elapsed());
    }
    let m = median(runs);
    let mb = text.len() as f64 / 1e6;
    println!(
        "{}, {found} figures, median {:.0} ms = {:.1} MB/s",
        label.replace("{}", &format!("{mb:.1}")),
        m.as_secs_f64() * 1e3,
        mb / m.as_secs_f64()
    );
}

/// A cached HTML page with an article and a price table.
fn page_html(n: usize) -> String {
    let mut rows = String::new();
    for d in 1..=28 {
        let _ = write!(
            rows,
            "<tr><td>2025-01-{d:02}</td><td>{:.2}</td><td>{:.2}</td></tr>",
            100.0 + (n * d) as f64 * 0.37,
            101.0 + (n * d) as f64 * 0.41
        );
    }
    let mut article = String::new();
    for p in 0..40 {
        let _ = write!(
            article,
            "<p>Paragraph {p} of story {n}: revenue was ${}.{} million, \
             a rise of {}.{}% on the year, with costs of about ${} billion.</p>",
            10 + p,
            n % 10,
            p % 30,
            n % 7,
            p + 1
        );
    }
    format!(
        "<!doctype html><html><head><title>Story {n}</title></head><body>\
         <nav><a href='/'>Home</a> Most read: $1 trillion deal</nav>\
         <article><h1>Story {n}</h1>{article}\
         <table class='prices'><tr><th>Date</th><th>Open</th><th>Close</th></tr>{rows}</table>\
         </article><footer>© 2025</footer></body></html>"
    )
}

fn claims_file(page: usize, url: &str) -> String {
    let mut s = format!("[sources]\np = \"{url}\"\n");
    for c in 0..CLAIMS_PER_PAGE {
        let p = c % 40;
        let check = match c % 4 {
            0 => format!(
                "figure = \"${}.{} million\"\nnear = \"Paragraph {p} of story {page}: revenue was\"",
                10 + p,
                page % 10
            ),
            1 => format!(
                "figure = \"about {}.{}%\"\npattern = 'Paragraph {p} of story {page}: .*?a rise of (?P<value>[\\d.]+%)'",
                p % 30,
                page % 7
            ),
            2 => format!(
                "figure = \"more than 90\"\ncell = {{ row = \"2025-01-{:02}\", column = \"Close\" }}",
                c % 28 + 1
            ),
            _ => format!(
                "figure = \"more than 0%\"\nchange = {{ from = {{ row = \"2025-01-01\", column = \"Open\" }}, to = {{ row = \"2025-01-{:02}\", column = \"Close\" }} }}",
                c % 28 + 1
            ),
        };
        let _ = write!(
            s,
            "\n[[claim]]\nid = \"c{c}\"\nstatement = \"claim {c}\"\nsource = \"p\"\n[claim.check]\n{check}\n"
        );
    }
    s
}

fn bench_claims() {
    let dir = tempfile::tempdir().expect("tempdir");
    let cache = Cache::new(dir.path().join("cache"));
    let mut suite = Suite::default();
    for n in 0..PAGES {
        let url = format!("https://news{}.example/story/{n}", n % 10);
        let meta = Meta {
            url: url.clone(),
            final_url: url.clone(),
            status: Some(200),
            content_type: Some("text/html; charset=utf-8".into()),
            retrieved: "2026-11-29T00:00:00Z".into(),
            ..Meta::default()
        };
        cache.put(meta, page_html(n).as_bytes()).expect("cache");
        let file = spec::load_str(Path::new(&format!("p{n}.toml")), &claims_file(n, &url))
            .expect("valid claims");
        suite.files.push(file);
    }
    let claims: usize = suite.files.iter().map(|f| f.claims.len()).sum();
    let opts = SourceOptions {
        cache_dir: dir.path().join("cache"),
        offline: true,
        ..SourceOptions::default()
    };
    let mut runs = Vec::new();
    for _ in 0..3 {
        let runner = Runner::new(Sources::open(&opts).expect("sources"));
        let start = Instant::now();
        let result = runner.run(&suite, &Filter::default()).expect("run");
        runs.push(start.elapsed());
        let supported = result
            .claims
            .iter()
            .filter(|c| c.verdict == factcheck::Verdict::Supported)
            .count();
        let failing: Vec<&str> = result
            .claims
            .iter()
            .filter(|c| c.verdict != factcheck::Verdict::Supported)
            .take(3)
            .map(|c| c.reason.as_str())
            .collect();
        assert_eq!(supported, claims, "not all supported: {failing:#?}");
    }
    let m = median(runs);
    println!(
        "check: {claims} figure claims against {PAGES} cached pages ({} threads), median {:.0} ms = {:.0} claims/s",
        std::thread::available_parallelism().map_or(1, |n| n.get()),
        m.as_secs_f64() * 1e3,
        claims as f64 / m.as_secs_f64()
    );
}

/// The article bodies of the real news pages in `../shared/extraction` (both corpora), joined;
/// `None` when `../shared` is not beside the project.
fn real_prose() -> Option<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/extraction");
    let mut text = String::new();
    for file in ["ground-truth.json", "readability/ground-truth.json"] {
        let json = std::fs::read_to_string(root.join(file)).ok()?;
        let value: serde_json::Value = serde_json::from_str(&json).ok()?;
        for page in value.as_object()?.values() {
            if let Some(body) = page["articleBody"].as_str() {
                text.push_str(body);
                text.push_str("\n\n");
            }
        }
    }
    Some(text)
}

/// Scanning real article bodies, repeated to about 10 MB: the prose figures come from.
fn bench_scan_real() {
    let Some(one) = real_prose() else {
        println!("scan (real news prose): ../shared/extraction is missing, skipped");
        return;
    };
    let text = one.repeat(SCAN_BYTES / one.len().max(1) + 1);
    time_scan("scan (real news prose): {} MB", &text);
}

fn main() {
    // `cargo test --benches` runs this with `--test`-like flags; keep that quick.
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    bench_scan();
    bench_scan_real();
    // `FACTCHECK_BENCH=scan` runs the scans alone (to compare builds side by side quickly).
    if std::env::var("FACTCHECK_BENCH").is_ok_and(|v| v == "scan") {
        return;
    }
    bench_claims();
}
