//! Property tests of the readers of markdown, CSV, JSON and text pages on arbitrary and mutated
//! input: no panic, output bounded by the input, and every call finishes (each case must read
//! well within a time that only a quadratic reader would miss).

use std::time::{Duration, Instant};

use proptest::prelude::*;

use crate::page::table::{Table, csv_table, find_cell};
use crate::page::{Page, markdown};
use crate::source::Snapshot;
use crate::spec::{CellRef, Format, Within};

/// Pieces that markdown, CSV and JSON readers treat specially, to build hostile inputs from.
const TOKENS: &[&str] = &[
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
    "<style>",
    "&amp;",
    "&#x41;",
    "&#99999999;",
    "- ",
    "1. ",
    "> ",
    "# ",
    "\\",
    "\t",
    "\"",
    "\"\"",
    ",",
    ",,",
    "\r\n",
    "{",
    "}",
    "[",
    "]",
    ":",
    "12.5%",
    "$1,234",
    "−7",
    "ü",
    "\u{feff}",
    "\u{0}",
    "a",
    "row",
];

fn tokens() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(TOKENS), 0..400).prop_map(|t| t.concat())
}

/// A valid document of each format, to mutate.
const SEEDS: &[&str] = &[
    "# Results\n\nRevenue grew **12.5%** in [2024](https://x.org).\n\n| model | score |\n|---|---:|\n| A | 79.8 |\n| B | `81` |\n\n<div>raw <b>html</b></div>\n",
    "model,score,notes\nA,79.8,\"quoted, with comma\"\nB,81,\"multi\nline\"\n",
    "{\"models\": [{\"name\": \"A\", \"score\": 79.8}, {\"name\": \"B\", \"score\": [1, [2, [3]]]}]}",
    "Plain text with 12.5% and $1,234 and a date 2024-03-01.\n",
];

/// A seed with byte edits: flips, insertions of a token, deletions and duplications.
fn mutated() -> impl Strategy<Value = Vec<u8>> {
    (
        prop::sample::select(SEEDS),
        prop::collection::vec((any::<u8>(), any::<usize>(), any::<u8>()), 0..24),
    )
        .prop_map(|(seed, edits)| {
            let mut bytes = seed.as_bytes().to_vec();
            for (op, at, byte) in edits {
                let at = at % (bytes.len() + 1);
                match op % 4 {
                    0 if at < bytes.len() => bytes[at] = byte,
                    1 => {
                        let t = TOKENS[usize::from(byte) % TOKENS.len()];
                        bytes.splice(at..at, t.bytes());
                    }
                    2 if at < bytes.len() => {
                        bytes.remove(at);
                    }
                    _ => {
                        let end = (at + usize::from(byte)).min(bytes.len());
                        let copy = bytes[at..end].to_vec();
                        bytes.splice(at..at, copy);
                    }
                }
            }
            bytes
        })
}

/// Any input: arbitrary bytes, token soup, or a mutated seed.
fn input() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..2048),
        tokens().prop_map(String::into_bytes),
        mutated(),
    ]
}

/// Far more than any of these small inputs may take; a reader that crawls misses it.
const SLOW: Duration = Duration::from_secs(2);

/// The most text a reader may make of `n` input bytes (an entity or a cell separator may grow
/// a little; nothing may multiply).
fn bound(n: usize) -> usize {
    4 * n + 64
}

fn cells(tables: &[Table]) -> usize {
    tables
        .iter()
        .flatten()
        .map(|row| row.iter().map(|c| c.len() + 1).sum::<usize>())
        .sum()
}

/// The most cells a markdown reader may make of `n` bytes: the parser pads rows to the header's
/// width, so cells may outnumber bytes, up to the renderer's event limit.
fn cell_bound(n: usize) -> usize {
    markdown::EVENTS_PER_BYTE * n + 4096
}

fn cell_count(tables: &[Table]) -> usize {
    tables.iter().flatten().map(Vec::len).sum()
}

fn cell_refs() -> impl Strategy<Value = CellRef> {
    (
        prop::sample::select(&["A", "B", "row", "", "79.8", "a"][..]),
        prop::sample::select(&["score", "model", "", "notes", "a"][..]),
        prop::option::of(prop::sample::select(&["model", "score", ""][..])),
        prop::option::of(1usize..4),
    )
        .prop_map(|(row, column, key, table)| CellRef {
            row: row.to_string(),
            column: column.to_string(),
            key: key.map(str::to_string),
            table,
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn markdown_reads_any_input_bounded(bytes in input()) {
        let md = String::from_utf8_lossy(&bytes);
        let start = Instant::now();
        let text = markdown::markdown_to_text(&md);
        let tables = markdown::markdown_tables(&md);
        prop_assert!(start.elapsed() < SLOW, "{:?}", start.elapsed());
        prop_assert!(text.len() <= bound(md.len()), "{} bytes of text from {}", text.len(), md.len());
        prop_assert!(cell_count(&tables) <= cell_bound(md.len()), "{} cells", cell_count(&tables));
    }

    #[test]
    fn csv_tables_and_cells_read_any_input_bounded(bytes in input(), cell in cell_refs()) {
        let text = String::from_utf8_lossy(&bytes);
        let start = Instant::now();
        let tables = vec![csv_table(&text)];
        let found = find_cell(&tables, &cell);
        prop_assert!(start.elapsed() < SLOW, "{:?}", start.elapsed());
        prop_assert!(cells(&tables) <= bound(text.len()));
        if let Ok(c) = found {
            prop_assert!(c.row.get(c.column).map(String::as_str) == Some(c.text));
        }
    }

    #[test]
    fn pages_of_every_text_format_read_any_input_bounded(
        bytes in input(),
        format in prop::sample::select(&[Format::Json, Format::Csv, Format::Markdown, Format::Text][..]),
        content_type in prop::option::of(prop::sample::select(&[
            "text/plain; charset=utf-8", "application/json", "text/csv; charset=utf-16",
            "text/markdown; charset=latin1", "text/plain; charset=bogus",
        ][..])),
        cell in cell_refs(),
    ) {
        let n = bytes.len();
        let snapshot = Snapshot::local("https://example.org/page", content_type, bytes);
        let start = Instant::now();
        // An error (noise is not text) is a fine answer; a panic is not.
        if let Ok(page) = Page::read(&snapshot, Some(format)) {
            prop_assert!(page.text().len() <= bound(n), "{} bytes of text from {n}", page.text().len());
            prop_assert!(page.main_text().len() <= bound(n));
            let region = page.region(&Within::Page, false);
            prop_assert!(region.is_ok());
            if let Ok(Some(region)) = region {
                prop_assert!(region.figures().len() <= n);
            }
            let _ = find_cell(page.tables(), &cell);
            prop_assert!(cell_count(page.tables()) <= cell_bound(n));
        }
        prop_assert!(start.elapsed() < SLOW, "{:?}", start.elapsed());
    }
}

/// Shapes that a grammar-blind generator rarely makes, at a size where a quadratic reader shows:
/// their output stays within linear bounds, and none takes the minutes a quadratic walk would.
/// (How fast they read is measured by `cargo bench --bench hostile`; the ceiling here is far
/// above a loaded two-core machine's debug build, which took up to 13 s, and only catches a
/// blow-up.)
#[test]
fn big_hostile_shapes_read_in_near_linear_time() {
    let mut shapes: Vec<(&str, String)> = vec![
        ("nested quotes", "> ".repeat(20_000) + "x"),
        ("nested lists", "- ".repeat(20_000) + "x"),
        ("open brackets", "[".repeat(50_000)),
        ("open emphasis", "*a ".repeat(30_000)),
        ("open links", "[a](".repeat(20_000)),
    ];
    let mut wide = "|a".repeat(2_000) + "|\n" + &"|-".repeat(2_000) + "|\n";
    wide.push_str(&"x|\n".repeat(5_000));
    shapes.push(("wide table, short rows", wide));
    shapes.push(("csv quotes", "\"".repeat(100_001)));
    shapes.push((
        "csv commas",
        ",".repeat(100_000) + "\n" + &"a\n".repeat(50_000),
    ));
    for (name, input) in shapes {
        let start = Instant::now();
        let text = markdown::markdown_to_text(&input);
        let tables = markdown::markdown_tables(&input);
        let csv = csv_table(&input);
        let elapsed = start.elapsed();
        assert!(elapsed < Duration::from_secs(90), "{name}: {elapsed:?}");
        assert!(
            text.len() <= bound(input.len()),
            "{name}: {} bytes",
            text.len()
        );
        assert!(cell_count(&tables) <= cell_bound(input.len()), "{name}");
        assert!(cells(&[csv]) <= bound(input.len()), "{name}");
    }
}

/// A wide header over many one-cell rows: the parser pads each row to the header's width. The
/// text stays near the input's size, the rest past the event limit is kept as it stands, and the
/// tables stay within the limit.
#[test]
fn a_padded_table_bomb_is_bounded_and_its_text_kept() {
    let cols = 4_000;
    let rows = 20_000;
    let mut md = "|h".repeat(cols) + "|\n" + &"|-".repeat(cols) + "|\n";
    for i in 0..rows {
        md.push_str(&format!("r{i}|\n"));
    }
    md.push_str("\nAfter the table: the end marker.\n");
    let start = Instant::now();
    let text = markdown::markdown_to_text(&md);
    let tables = markdown::markdown_tables(&md);
    assert!(
        start.elapsed() < Duration::from_secs(20),
        "{:?}",
        start.elapsed()
    );
    assert!(
        text.len() <= bound(md.len()),
        "{} bytes from {}",
        text.len(),
        md.len()
    );
    assert!(text.contains("r19999"), "the last row's text is kept");
    assert!(
        text.contains("the end marker"),
        "the text after the table is kept"
    );
    assert!(text.contains("r19999|"), "the rest is kept as it stands");
    assert!(cell_count(&tables) <= cell_bound(md.len()));
    assert_eq!(tables.len(), 1);
}
