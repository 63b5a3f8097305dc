//! Tables of a page, whatever its format: CSV files, markdown tables, HTML tables; and finding
//! a cell by its row key and column header (the `cell` locator).

use crate::spec::CellRef;
use crate::text::normalize_needle;

/// A table: rows of cell texts, the header row first.
pub type Table = Vec<Vec<String>>;

/// The rows of a CSV file (the header first). Ragged rows are kept as they are; a file that is
/// not CSV at all gives what could be read.
pub fn csv_table(text: &str) -> Table {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    reader
        .records()
        .map_while(Result::ok)
        .map(|r| r.iter().map(|c| c.trim().to_string()).collect())
        .collect()
}

/// A located cell: its text and where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell<'a> {
    /// The cell's text.
    pub text: &'a str,
    /// The header row.
    pub header: &'a [String],
    /// The whole row.
    pub row: &'a [String],
    /// Which table, counting from 1.
    pub table: usize,
    /// The index of the key column.
    pub key: usize,
    /// The index of the cell's column.
    pub column: usize,
}

/// Why a cell was not found, in words.
pub fn find_cell<'a>(tables: &'a [Table], cell: &CellRef) -> Result<Cell<'a>, String> {
    if tables.is_empty() {
        return Err("the source has no table".to_string());
    }
    let same = |a: &str, b: &str| normalize_needle(a, false) == normalize_needle(b, false);
    let candidates: Vec<(usize, &Table)> = match cell.table {
        Some(n) => match tables.get(n - 1) {
            Some(t) => vec![(n, t)],
            None => {
                return Err(format!(
                    "table {n} does not exist: the source has {} table{}",
                    tables.len(),
                    if tables.len() == 1 { "" } else { "s" }
                ));
            }
        },
        None => tables.iter().enumerate().map(|(i, t)| (i + 1, t)).collect(),
    };
    let mut saw_column = false;
    for (n, table) in candidates {
        let Some((header, rows)) = table.split_first() else {
            continue;
        };
        let Some(col) = header.iter().position(|h| same(h, &cell.column)) else {
            continue;
        };
        saw_column = true;
        let key = match &cell.key {
            Some(k) => match header.iter().position(|h| same(h, k)) {
                Some(i) => i,
                None => continue,
            },
            None => 0,
        };
        if let Some(row) = rows
            .iter()
            .find(|r| r.get(key).is_some_and(|v| same(v, &cell.row)))
        {
            return match row.get(col) {
                Some(text) => Ok(Cell {
                    text,
                    header,
                    row,
                    table: n,
                    key,
                    column: col,
                }),
                None => Err(format!(
                    "row \"{}\" has no cell in column \"{}\"",
                    cell.row, cell.column
                )),
            };
        }
    }
    Err(if saw_column {
        format!(
            "no row \"{}\"{} in a table with column \"{}\"",
            cell.row,
            cell.key
                .as_ref()
                .map(|k| format!(" in column \"{k}\""))
                .unwrap_or_default(),
            cell.column
        )
    } else {
        format!("no table has a column \"{}\"", cell.column)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(row: &str, column: &str) -> CellRef {
        CellRef {
            row: row.into(),
            column: column.into(),
            key: None,
            table: None,
        }
    }

    #[test]
    fn finds_csv_cells_by_first_column_and_header() {
        let t = csv_table(
            "Date,Symbol,Open,Close\n2025-01-24,NVDA,148.37,142.62\n2025-01-27,NVDA,124.8,118.42\n",
        );
        let tables = [t];
        let c = find_cell(&tables, &cell("2025-01-27", "close")).expect("cell");
        assert_eq!(c.text, "118.42");
        assert_eq!(c.table, 1);
        assert!(
            find_cell(&tables, &cell("2025-01-28", "Close"))
                .expect_err("missing")
                .contains("no row \"2025-01-28\"")
        );
        assert!(
            find_cell(&tables, &cell("2025-01-27", "Volume"))
                .expect_err("missing")
                .contains("no table has a column")
        );
    }

    #[test]
    fn key_and_table_pick_the_cell() {
        let first: Table = vec![
            vec!["Model".into(), "AIME".into()],
            vec!["R1".into(), "1".into()],
        ];
        let second: Table = vec![
            vec![
                "Category".into(),
                "Benchmark (Metric)".into(),
                "DeepSeek R1".into(),
            ],
            vec!["Math".into(), "AIME 2024 (Pass@1)".into(), "79.8".into()],
        ];
        let tables = [first, second];
        let mut c = cell("AIME 2024 (Pass@1)", "DeepSeek R1");
        c.key = Some("Benchmark (Metric)".into());
        assert_eq!(find_cell(&tables, &c).expect("cell").text, "79.8");
        c.table = Some(1);
        assert!(find_cell(&tables, &c).is_err());
        c.table = Some(3);
        assert!(
            find_cell(&tables, &c)
                .expect_err("no table 3")
                .contains("has 2 tables")
        );
    }
}
