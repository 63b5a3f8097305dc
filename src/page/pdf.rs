//! PDF pages: the text of a PDF document, page by page.
//!
//! Text comes from `pdf-extract` (pure Rust, on `lopdf`), which follows the page's text layout
//! into lines, decodes fonts' ToUnicode maps (ligatures such as `ﬁ` come out as `fi`) and reads
//! text inside form XObjects, such as the numbers on a chart. Pages are separated by a form feed
//! (`'\x0c'`, [`PAGE_BREAK`]) so a locator can count pages; within a page, lines are trimmed, runs
//! of white space collapsed and empty lines dropped. Words hyphenated at a line end stay split
//! (`pre-` / `training`): a PDF does not tell a soft hyphen from a real one.

//!
//! PDFs come from anywhere, and the reader is not built for hostile ones, so reading is bounded
//! and isolated ([`Limits`](crate::limits::Limits)): before the reader sees the document, every Flate stream is
//! inflated into nothing to check it stays within `decompressed_bytes`, the object count is held
//! to `pdf_objects`, and the graph of Form XObjects drawn with `Do` is walked to refuse a form
//! that draws itself or forms nested deeper than `pdf_recursion`. The reader then runs in its own
//! thread (named [`PDF_THREAD`], with a large stack), its panics caught and kept quiet, and is
//! waited for at most `pdf_seconds`; one that runs past that is left to finish in the
//! background while the source is reported unavailable.

#[cfg(feature = "pdf")]
mod read;
#[cfg(feature = "pdf")]
pub use read::pdf_to_text;

/// The separator between pages in [`pdf_to_text`]'s output: a form feed.
pub const PAGE_BREAK: char = '\x0c';

/// How far into the bytes the `%PDF-` header may start (the specification allows leading junk).
pub const PDF_HEADER_WINDOW: usize = 1024;

/// The name of the threads that read PDFs; their panics are caught and not printed.
pub const PDF_THREAD: &str = "factcheck-pdf";

/// The stack of a PDF reading thread: the reader recurses over nested forms and CMaps.
pub const PDF_STACK_BYTES: usize = 256 * 1024 * 1024;

/// How many times `decompressed_bytes` all of a PDF's streams may inflate to, together.
pub const PDF_TOTAL_STREAM_FACTOR: u64 = 8;

/// Why a PDF's text could not be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PdfError {
    /// The bytes do not start with a PDF header.
    #[error("not a PDF: no `%PDF-` header in the first {PDF_HEADER_WINDOW} bytes")]
    NotPdf,
    /// The PDF reader rejected the document.
    #[error("{detail}{}", hint.as_deref().map(|h| format!(" ({h})")).unwrap_or_default())]
    Read {
        /// The reader's complaint.
        detail: String,
        /// What it probably means ("the file looks truncated ..."), when that can be told.
        hint: Option<String>,
    },
    /// The document goes past one of the [`Limits`](crate::limits::Limits) (the message names it).
    #[error("{0}")]
    Limit(String),
    /// The reader ran past `pdf_seconds`.
    #[error("reading the PDF took longer than the limit of {0} s (`pdf_seconds`)")]
    TimedOut(u64),
    /// The PDF reader panicked on the document (a bug in the reader, caught and reported).
    #[error("the PDF reader failed on this document: {message}")]
    Panicked {
        /// The panic's message.
        message: String,
    },
    /// This build reads no PDF.
    #[error("this build of factcheck reads no PDF: it was built without the `pdf` feature")]
    NotBuilt,
}

/// Without the `pdf` feature a PDF cannot be read: its source is `unavailable`, saying why.
#[cfg(not(feature = "pdf"))]
pub fn pdf_to_text(_bytes: &[u8]) -> Result<String, PdfError> {
    Err(PdfError::NotBuilt)
}
