//! Hostile inputs at speed: each shape of untrusted input that once crashed or crawled, timed
//! stage by stage, with inputs per second. Run with `cargo bench --bench hostile [-- FILTER]`;
//! `HOSTILE_SCALE` sets the size (default 40,000 elements per page), `HOSTILE_STACK_MB` the
//! reader's stack (default 2 MiB).
//!
//! Then a section per input kind (the assertion loader, the figure and date readers, the WARC
//! reader, markdown/CSV/JSON/text pages) runs its targets for `HOSTILE_SECONDS` (default 2) on
//! generated hostile inputs (the known big shapes first, then random and mutated ones) and
//! prints the inputs run, inputs per second, panics caught (each call runs under
//! `catch_unwind`; there must be none), calls slower than [`HANG`], the slowest input, and the
//! process's peak RSS (`VmHWM`) after the section. FILTER matches a shape or a kind's name.
//!
//! Every stage should be near-linear: doubling the scale should about double the times.
//! Pages are read on a thread with a 2 MiB stack (Rust's default for spawned threads), so a
//! walker that recurses on the DOM aborts the bench.

#[path = "../../tests/hostile/pages/shapes.rs"]
mod shapes;

mod kinds;

use std::time::{Duration, Instant};

use factcheck::page::html::HtmlDoc;

/// A call slower than this counts as a hang.
pub const HANG: Duration = Duration::from_secs(10);

/// The stack of the thread that reads each input.
const STACK_BYTES: usize = 2 * 1024 * 1024;

fn main() {
    let filter: Option<String> = std::env::args().skip(1).find(|a| !a.starts_with("--"));
    let scale = std::env::var("HOSTILE_SCALE")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(40_000);
    pages(scale, filter.as_deref());
    let seconds = std::env::var("HOSTILE_SECONDS")
        .ok()
        .and_then(|s| s.parse::<f64>().ok())
        .unwrap_or(2.0);
    let stack = std::env::var("HOSTILE_STACK_MB")
        .ok()
        .and_then(|s| s.parse::<usize>().ok())
        .map_or(STACK_BYTES, |mb| mb << 20);
    std::thread::Builder::new()
        .stack_size(stack)
        .spawn(move || kinds::run_all(Duration::from_secs_f64(seconds), filter.as_deref()))
        .expect("spawn")
        .join()
        .expect("the fuzz loop itself panicked");
}

/// Times one stage.
fn time<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let start = Instant::now();
    let out = f();
    (out, start.elapsed())
}

fn ms(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1e3)
}

/// HTML pages: parse, visible text, main content, tables, selectors, unseen text, drop.
fn pages(scale: usize, filter: Option<&str>) {
    println!("## pages (scale {scale})\n");
    println!(
        "| shape | KB | parse | visible | main | tables | select | unseen | drop | total ms | pages/s |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|");
    for shape in shapes::all(scale) {
        if filter.is_some_and(|f| !shape.name.contains(f)) {
            continue;
        }
        let name = shape.name;
        let kb = shape.html.len() / 1024;
        let stack = std::env::var("HOSTILE_STACK_MB")
            .ok()
            .and_then(|s| s.parse::<usize>().ok())
            .map_or(STACK_BYTES, |mb| mb << 20);
        let row = std::thread::Builder::new()
            .stack_size(stack)
            .spawn(move || read_page(&shape.html))
            .expect("spawn")
            .join()
            .expect("the page reader panicked");
        let total: Duration = row.iter().sum();
        let cells: Vec<String> = row.iter().map(|d| ms(*d)).collect();
        println!(
            "| {name} | {kb} | {} | {} | {:.1} |",
            cells.join(" | "),
            ms(total),
            1.0 / total.as_secs_f64()
        );
    }
}

/// The stage times of reading one page.
fn read_page(html: &str) -> Vec<Duration> {
    let (doc, parse) = time(|| HtmlDoc::parse(html));
    let (visible, visible_t) = time(|| doc.visible_text());
    let (main, main_t) = time(|| doc.main_text());
    let (tables, tables_t) = time(|| doc.tables());
    let (selected, select_t) = time(|| {
        let mut n = 0;
        for css in ["p span", "li:nth-child(2)", "td", "div > b i", "table td b"] {
            n += doc.select_text(css).ok().flatten().map_or(0, |t| t.len());
            n += doc
                .select_first_text(css)
                .ok()
                .flatten()
                .map_or(0, |t| t.len());
        }
        n
    });
    let (unseen, unseen_t) = time(|| (doc.unseen().len(), doc.published().len(), doc.title()));
    std::hint::black_box((&visible, &main, &tables, selected, &unseen));
    let ((), drop_t) = time(|| drop(doc));
    vec![
        parse, visible_t, main_t, tables_t, select_t, unseen_t, drop_t,
    ]
}
