//! Figures in the real sources of the DeepSeek R1 article (read from the shared WARC file):
//! markdown tables in the R1 README, the CSV price files, and the V3 report's PDF text.

mod skip;

use std::path::Path;

use factcheck::figure::{Unit, parse_located, scan};
use factcheck::page::Page;
use factcheck::page::table::find_cell;
use factcheck::source::snapshot_from_archive;
use factcheck::source::warc::WarcArchive;
use factcheck::spec::{CellRef, Format};

const R1: &str = "https://raw.githubusercontent.com/deepseek-ai/DeepSeek-R1/ed4409d2a9ff2620d88914f3ba2ca5600bceb749/";
const V3: &str = "https://raw.githubusercontent.com/deepseek-ai/DeepSeek-V3/b5d872ead062c94b852d75ce41ae0b10fcfa1c86/";
const PRICES: &str = "https://raw.githubusercontent.com/growwanalysis/nasdaq100/af63fde007231dd5e26c73c131f7a05569d37cd7/data/";

fn page(url: &str) -> Option<Page> {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/sources/deepseek-r1-sources.warc.gz");
    if !path.is_file() {
        skip::skip(&format!("{} is not present", path.display()));
        return None;
    }
    let archive = WarcArchive::open(&path).expect("the shared WARC opens");
    let record = archive.get(url).expect("readable").expect("archived");
    Some(Page::read(&snapshot_from_archive(record, &path), None).expect("a page"))
}

fn cell(row: &str, column: &str, key: Option<&str>) -> CellRef {
    CellRef {
        row: row.into(),
        column: column.into(),
        key: key.map(str::to_string),
        table: None,
    }
}

#[test]
fn r1_readme_benchmark_table() {
    let Some(p) = page(&format!("{R1}README.md")) else {
        return;
    };
    assert_eq!(p.format, Format::Markdown);
    assert!(p.tables().len() >= 4, "{} tables", p.tables().len());
    let key = Some("Benchmark (Metric)");
    for (row, column, want) in [
        ("AIME 2024 (Pass@1)", "DeepSeek R1", 79.8),
        ("AIME 2024 (Pass@1)", "OpenAI o1-1217", 79.2),
        ("MATH-500 (Pass@1)", "DeepSeek R1", 97.3),
        ("MMLU (Pass@1)", "OpenAI o1-1217", 91.8),
        ("Codeforces (Rating)", "DeepSeek R1", 2029.0),
    ] {
        let found = find_cell(p.tables(), &cell(row, column, key)).expect("cell");
        let figure = parse_located(found.text).expect("a figure");
        assert_eq!(figure.low, want, "{row} / {column}: {}", found.text);
    }
    // The model table: "671B" total parameters.
    let found = find_cell(p.tables(), &cell("DeepSeek-R1", "#Total Params", None)).expect("cell");
    assert_eq!(parse_located(found.text).expect("figure").low, 671e9);
}

#[test]
fn price_files_are_tables() {
    let Some(p) = page(&format!("{PRICES}NVDA.csv")) else {
        return;
    };
    assert_eq!(p.format, Format::Csv);
    let close = find_cell(p.tables(), &cell("2025-01-27", "Close", None)).expect("cell");
    assert!((parse_located(close.text).expect("figure").low - 118.42).abs() < 0.01);
    let open = find_cell(p.tables(), &cell("2025-01-27", "Open", Some("Date"))).expect("cell");
    assert!((parse_located(open.text).expect("figure").low - 124.80).abs() < 0.01);
    // Dates in the first column are not figures; prices are.
    let figures = scan(&p.text()[..2000]);
    assert!(
        figures.iter().all(|f| f.low < 1e9),
        "no date read as a number"
    );
}

#[test]
fn v3_report_pdf_figures() {
    let Some(p) = page(&format!("{V3}DeepSeek_V3.pdf")) else {
        return;
    };
    assert_eq!(p.format, Format::Pdf);
    let figures = scan(p.text());
    let cost = figures
        .iter()
        .find(|f| f.unit == Unit::Currency("USD") && (f.low - 5.576e6).abs() < 1.0)
        .expect("$5.576M is in the report");
    let page_no = p.text()[..cost.span.start].matches('\x0c').count() + 1;
    assert_eq!(page_no, 5, "the training cost is on p.5");
    assert!(
        figures.iter().any(|f| (f.low - 2.788e6).abs() < 1.0),
        "2.788M GPU hours"
    );
    assert!(
        !figures.iter().any(|f| f.text == "800"),
        "H800 is a name, not a figure"
    );
}
