//! PDF pages: the text of a PDF document, page by page.
//!
//! Text comes from `pdf-extract` (pure Rust, on `lopdf`), which follows the page's text layout
//! into lines, decodes fonts' ToUnicode maps (ligatures such as `ﬁ` come out as `fi`) and reads
//! text inside form XObjects, such as the numbers on a chart. Pages are separated by a form feed
//! (`'\x0c'`, [`PAGE_BREAK`]) so a locator can count pages; within a page, lines are trimmed, runs
//! of white space collapsed and empty lines dropped. Words hyphenated at a line end stay split
//! (`pre-` / `training`): a PDF does not tell a soft hyphen from a real one.

use std::panic::{AssertUnwindSafe, catch_unwind};

/// The separator between pages in [`pdf_to_text`]'s output: a form feed.
pub const PAGE_BREAK: char = '\x0c';

/// How far into the bytes the `%PDF-` header may start (the specification allows leading junk).
pub const PDF_HEADER_WINDOW: usize = 1024;

/// Why a PDF's text could not be read.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    /// The bytes do not start with a PDF header.
    #[error("not a PDF: no `%PDF-` header in the first {PDF_HEADER_WINDOW} bytes")]
    NotPdf,
    /// The PDF reader rejected the document.
    #[error("could not read the PDF")]
    Read {
        /// The reader's error.
        #[source]
        source: pdf_extract::OutputError,
    },
    /// The PDF reader panicked on the document (a bug in the reader, caught and reported).
    #[error("the PDF reader failed on this document: {message}")]
    Panicked {
        /// The panic's message.
        message: String,
    },
}

/// The text of a PDF, pages separated by `'\x0c'`.
///
/// A panic inside the PDF reader is caught and returned as [`PdfError::Panicked`] (the process's
/// panic hook still runs, so the default hook prints the panic to stderr).
pub fn pdf_to_text(bytes: &[u8]) -> Result<String, PdfError> {
    let head = &bytes[..bytes.len().min(PDF_HEADER_WINDOW)];
    if !head.windows(5).any(|w| w == b"%PDF-") {
        return Err(PdfError::NotPdf);
    }
    // The closure only reads `bytes`; nothing observable is left half-updated by a panic.
    let pages = catch_unwind(AssertUnwindSafe(|| {
        pdf_extract::extract_text_from_mem_by_pages(bytes)
    }))
    .map_err(|payload| PdfError::Panicked {
        message: panic_message(payload.as_ref()),
    })?
    .map_err(|source| PdfError::Read { source })?;
    let pages: Vec<String> = pages.iter().map(|page| tidy_page(page)).collect();
    Ok(pages.join(&PAGE_BREAK.to_string()))
}

/// The message of a caught panic, if it carried one.
fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "panic without a message".to_owned()
    }
}

/// Trims lines, collapses white space within them, and drops empty lines and stray form feeds.
fn tidy_page(page: &str) -> String {
    let lines = page.lines().filter_map(|line| {
        let line = line.split_whitespace().collect::<Vec<_>>().join(" ");
        (!line.is_empty()).then_some(line)
    });
    lines.collect::<Vec<_>>().join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A PDF with one page per text, each drawn in Helvetica with a single text object, and a
    /// correct cross-reference table.
    fn tiny_pdf(pages: &[&str]) -> Vec<u8> {
        let n = pages.len();
        // Objects: 1 catalog, 2 page tree, 3 font, then per page: page, content stream.
        let mut objects: Vec<String> = vec![
            "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
            format!(
                "<< /Type /Pages /Kids [{}] /Count {n} >>",
                (0..n)
                    .map(|i| format!("{} 0 R", 4 + 2 * i))
                    .collect::<Vec<_>>()
                    .join(" ")
            ),
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
                .to_owned(),
        ];
        for (i, text) in pages.iter().enumerate() {
            let content = format!("BT /F1 12 Tf 72 720 Td ({text}) Tj ET");
            objects.push(format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] \
                 /Resources << /Font << /F1 3 0 R >> >> /Contents {} 0 R >>",
                5 + 2 * i
            ));
            objects.push(format!(
                "<< /Length {} >>\nstream\n{content}\nendstream",
                content.len()
            ));
        }
        let mut pdf = b"%PDF-1.4\n".to_vec();
        let mut offsets = Vec::new();
        for (i, body) in objects.iter().enumerate() {
            offsets.push(pdf.len());
            pdf.extend_from_slice(format!("{} 0 obj\n{body}\nendobj\n", i + 1).as_bytes());
        }
        let xref = pdf.len();
        let mut table = format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1);
        for offset in offsets {
            table.push_str(&format!("{offset:010} 00000 n \n"));
        }
        pdf.extend_from_slice(table.as_bytes());
        pdf.extend_from_slice(
            format!(
                "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
                objects.len() + 1
            )
            .as_bytes(),
        );
        pdf
    }

    #[test]
    fn reads_text_of_a_one_page_pdf() {
        let pdf = tiny_pdf(&["Training costs amount to only $5.576M in total"]);
        let text = pdf_to_text(&pdf).expect("a valid PDF");
        assert_eq!(text, "Training costs amount to only $5.576M in total");
    }

    #[test]
    fn pages_are_separated_by_form_feeds() {
        let pdf = tiny_pdf(&["First page", "Second page", "Third page 2.788M"]);
        let text = pdf_to_text(&pdf).expect("a valid PDF");
        let pages: Vec<&str> = text.split(PAGE_BREAK).collect();
        assert_eq!(pages, ["First page", "Second page", "Third page 2.788M"]);
    }

    #[test]
    fn garbage_is_not_a_pdf() {
        let err = pdf_to_text(b"<html><body>not a pdf</body></html>").unwrap_err();
        assert!(matches!(err, PdfError::NotPdf), "{err:?}");
        assert!(err.to_string().starts_with("not a PDF"));
    }

    #[test]
    fn broken_pdf_is_an_error_not_a_panic() {
        let mut pdf = tiny_pdf(&["Hello"]);
        pdf.truncate(40);
        pdf.extend_from_slice(b"\x00\xff garbage \x01 obj << /Broken");
        let err = pdf_to_text(&pdf).unwrap_err();
        assert!(
            matches!(err, PdfError::Read { .. } | PdfError::Panicked { .. }),
            "{err:?}"
        );
    }

    #[test]
    fn error_can_cross_threads() {
        fn assert_error<T: std::error::Error + Send + Sync + 'static>() {}
        assert_error::<PdfError>();
    }

    #[test]
    fn page_text_is_tidied() {
        assert_eq!(
            tidy_page("\n\n  Table 1 |   Training\tcosts \n\n\x0c\nnext  "),
            "Table 1 | Training costs\nnext"
        );
    }
}
