//! Bytes → [`Page`]: decoding, the readable text of each format, and the HTML DOM.
//!
//! A page is parsed once per run however many claims cite it; the normalised forms that checks
//! match against are computed lazily, once each.

pub mod decode;
pub mod html;
pub mod lang;
pub mod markdown;
pub mod pdf;
pub mod table;

use std::sync::{Mutex, OnceLock};

use crate::figure::{self, Figure, Notation};
use crate::source::Snapshot;
use crate::spec::{Format, Within};
use crate::text::Normalized;
use html::HtmlDoc;
use table::Table;

/// Errors reading a page (the source is then `unavailable`, with this as the reason).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PageError {
    /// The PDF has no readable text, or could not be parsed.
    #[error("cannot read the PDF")]
    Pdf(#[source] pdf::PdfError),
    /// The bytes are not text in the encoding they declare or seem to have.
    #[error("cannot read the page as text")]
    Decode(#[source] decode::DecodeError),
}

/// A readable page: its text, and for HTML its DOM and main content.
pub struct Page {
    /// The source URL.
    pub url: String,
    /// How the bytes were read.
    pub format: Format,
    /// The SHA-256 of the bytes read.
    pub sha256: String,
    /// When they were retrieved (RFC 3339), empty when unknown.
    pub retrieved: String,
    /// Where they came from: `cache`, `archive <file>` or `network`.
    pub origin: String,
    /// The readable text: visible text of HTML (rendered when first asked for), markdown without
    /// markup, PDF text, or the file as it stands for text, CSV and JSON.
    text: OnceLock<String>,
    /// The language `<html lang>` or a `Content-Language` `<meta>` declares.
    declared_lang: Option<String>,
    /// The page's language, the declared one else guessed when first asked for.
    lang: OnceLock<Option<String>>,
    /// The HTML document, for selectors (HTML only).
    dom: Option<Mutex<HtmlDoc>>,
    /// The main content of an HTML page, extracted when first asked for.
    main: OnceLock<String>,
    /// Lazily normalised forms: [page or main][case folded or not].
    norm: [[OnceLock<Normalized>; 2]; 2],
    /// Lazily scanned figures: [page or main].
    figures: [OnceLock<Vec<Figure>>; 2],
    /// The tables (markdown's are read with the page, CSV's and HTML's when first asked for).
    tables: OnceLock<Vec<Table>>,
}

impl std::fmt::Debug for Page {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Page")
            .field("url", &self.url)
            .field("format", &self.format)
            .field("text_len", &self.text.get().map(String::len))
            .finish_non_exhaustive()
    }
}

/// A part of a page that a check reads: its readable text and normalised form.
pub enum Region<'a> {
    /// A whole text (page or main content), normalised and scanned once per page.
    Shared {
        /// The readable text.
        text: &'a str,
        /// Its normalised form.
        norm: &'a Normalized,
        /// Its figures, scanned when first asked for.
        figures: &'a OnceLock<Vec<Figure>>,
        /// The page it is part of.
        page: &'a Page,
    },
    /// The text of a selector's elements, normalised for this check.
    Owned {
        /// The readable text.
        text: String,
        /// Its normalised form.
        norm: Normalized,
        /// Its figures, scanned when first asked for.
        figures: OnceLock<Vec<Figure>>,
        /// The page it is part of.
        page: &'a Page,
    },
}

impl Region<'_> {
    /// The readable text.
    pub fn text(&self) -> &str {
        match self {
            Region::Shared { text, .. } => text,
            Region::Owned { text, .. } => text,
        }
    }

    /// The normalised text.
    pub fn norm(&self) -> &Normalized {
        match self {
            Region::Shared { norm, .. } => norm,
            Region::Owned { norm, .. } => norm,
        }
    }

    /// The page's language, when known ([`Page::lang`]).
    pub fn lang(&self) -> Option<&str> {
        match self {
            Region::Shared { page, .. } | Region::Owned { page, .. } => page.lang(),
        }
    }

    /// How the region's numbers are written, from the page's language: `25.000` is twenty-five
    /// thousand on a German page.
    pub fn notation(&self) -> Notation {
        self.lang().map(Notation::for_lang).unwrap_or_default()
    }

    /// Every figure in the readable text, with spans into it.
    pub fn figures(&self) -> &[Figure] {
        let (text, cell) = match self {
            Region::Shared { text, figures, .. } => (*text, *figures),
            Region::Owned { text, figures, .. } => (text.as_str(), figures),
        };
        cell.get_or_init(|| figure::scan_in(text, self.notation()))
    }
}

impl Page {
    /// Reads a snapshot as `format`, or as the detected format when `None`.
    pub fn read(snapshot: &Snapshot, format: Option<Format>) -> Result<Page, PageError> {
        let format = format.unwrap_or_else(|| {
            detect_format(
                snapshot.meta.content_type.as_deref(),
                &snapshot.meta.final_url,
                &snapshot.body,
            )
        });
        let ct = snapshot.meta.content_type.as_deref();
        // Noise is not text: no check may read a verdict into it.
        let decoded = || {
            decode::decode_text(&snapshot.body, ct, format == Format::Html)
                .map(|d| d.text)
                .map_err(PageError::Decode)
        };
        let text = OnceLock::new();
        let tables = OnceLock::new();
        let mut declared_lang = None;
        let mut dom = None;
        match format {
            Format::Html => {
                // Only the parse happens here: the visible text, the main content and the rest
                // wait until a check asks for them.
                let doc = HtmlDoc::parse(&decoded()?);
                declared_lang = doc.lang();
                dom = Some(Mutex::new(doc));
            }
            Format::Markdown => {
                let decoded = decoded()?;
                let _ = tables.set(markdown::markdown_tables(&decoded));
                let _ = text.set(markdown::markdown_to_text(&decoded));
            }
            Format::Pdf => {
                let _ = text.set(pdf::pdf_to_text(&snapshot.body).map_err(PageError::Pdf)?);
            }
            Format::Text | Format::Csv | Format::Json => {
                let _ = text.set(decoded()?);
            }
        }
        Ok(Page {
            url: snapshot.meta.url.clone(),
            format,
            sha256: snapshot.meta.sha256.clone(),
            retrieved: snapshot.meta.retrieved.clone(),
            origin: snapshot.origin.to_string(),
            text,
            declared_lang,
            lang: OnceLock::new(),
            dom,
            main: OnceLock::new(),
            norm: Default::default(),
            figures: Default::default(),
            tables,
        })
    }

    /// The readable text: the visible text of HTML, markdown without markup, PDF text, or the
    /// file as it stands for text, CSV and JSON.
    pub fn text(&self) -> &str {
        self.text
            .get_or_init(|| self.with_dom(HtmlDoc::visible_text).unwrap_or_default())
    }

    /// The page's language: `<html lang>` or a `Content-Language` `<meta>`, else guessed from
    /// the most common words of its main content ([`lang::guess_lang`]) for HTML.
    pub fn lang(&self) -> Option<&str> {
        self.lang
            .get_or_init(|| {
                self.declared_lang.clone().or_else(|| {
                    self.dom
                        .as_ref()
                        .and_then(|_| lang::guess_lang(self.main_text()).map(str::to_string))
                })
            })
            .as_deref()
    }

    /// The main content of an HTML page; the whole text for other formats.
    pub fn main_text(&self) -> &str {
        match self.dom {
            Some(_) => self
                .main
                .get_or_init(|| self.with_dom(HtmlDoc::main_text).unwrap_or_default()),
            None => self.text(),
        }
    }

    /// The SHA-256 (hex) of the normalised main content, case folded, of an HTML page; `None`
    /// for other formats.
    ///
    /// Two versions of a page with the same main-content hash differ only in boilerplate.
    pub fn main_sha256(&self) -> Option<String> {
        self.dom.as_ref()?;
        let norm = self.norm[1][0].get_or_init(|| Normalized::new(self.main_text(), false));
        Some(crate::source::cache::sha256_hex(norm.text.as_bytes()))
    }

    /// The part of the page that `within` names, with its normalised form.
    ///
    /// `within` only applies to HTML; other formats are read whole. A selector that matches
    /// nothing gives `Ok(None)`.
    pub fn region(
        &self,
        within: &Within,
        case_sensitive: bool,
    ) -> Result<Option<Region<'_>>, html::SelectorError> {
        let which = match (within, &self.dom) {
            (Within::Selector(selector), Some(dom)) => {
                let dom = crate::sync::lock(dom);
                return Ok(dom.select_text(selector)?.map(|text| Region::Owned {
                    norm: Normalized::new(&text, case_sensitive),
                    text,
                    figures: OnceLock::new(),
                    page: self,
                }));
            }
            (Within::Main, Some(_)) => 1,
            _ => 0,
        };
        let text = if which == 1 {
            self.main_text()
        } else {
            self.text()
        };
        let norm = self.norm[which][usize::from(case_sensitive)]
            .get_or_init(|| Normalized::new(text, case_sensitive));
        Ok(Some(Region::Shared {
            text,
            norm,
            figures: &self.figures[which],
            page: self,
        }))
    }

    /// The page's tables: a CSV file is one table; markdown and HTML have theirs.
    pub fn tables(&self) -> &[Table] {
        self.tables.get_or_init(|| match self.format {
            Format::Csv => vec![table::csv_table(self.text())],
            Format::Html => self.with_dom(HtmlDoc::tables).unwrap_or_default(),
            _ => Vec::new(),
        })
    }

    /// Runs `f` on the HTML document, if this is an HTML page.
    pub fn with_dom<T>(&self, f: impl FnOnce(&HtmlDoc) -> T) -> Option<T> {
        self.dom.as_ref().map(|dom| f(&crate::sync::lock(dom)))
    }
}

/// Detects a format: from a specific Content-Type, then the URL's suffix, then the bytes.
///
/// `text/plain` and `application/octet-stream` say little (raw file hosts serve everything as
/// one or the other), so with them the URL's suffix and the bytes decide.
pub fn detect_format(content_type: Option<&str>, url: &str, body: &[u8]) -> Format {
    let mime = content_type
        .and_then(|ct| ct.split(';').next())
        .map(|m| m.trim().to_ascii_lowercase())
        .unwrap_or_default();
    let from_mime = match mime.as_str() {
        "text/html" | "application/xhtml+xml" => Some(Format::Html),
        "application/pdf" => Some(Format::Pdf),
        "text/markdown" | "text/x-markdown" => Some(Format::Markdown),
        "text/csv" => Some(Format::Csv),
        m if m == "application/json" || m.ends_with("+json") => Some(Format::Json),
        _ => None,
    };
    if let Some(format) = from_mime {
        return format;
    }
    if let Some(format) = format_from_url(url) {
        return format;
    }
    sniff(body).unwrap_or(Format::Text)
}

/// The format a URL's suffix names (`.pdf`, `.csv`, `.md`...), if any.
pub fn format_from_url(url: &str) -> Option<Format> {
    let path = url
        .split(['?', '#'])
        .next()
        .unwrap_or(url)
        .rsplit('/')
        .next()?;
    let ext = path.rsplit_once('.')?.1.to_ascii_lowercase();
    match ext.as_str() {
        "html" | "htm" | "xhtml" => Some(Format::Html),
        "md" | "markdown" | "mdown" => Some(Format::Markdown),
        "csv" => Some(Format::Csv),
        "json" => Some(Format::Json),
        "pdf" => Some(Format::Pdf),
        "txt" | "text" => Some(Format::Text),
        _ => None,
    }
}

/// Tells a format from the first bytes: `%PDF-`, an HTML tag, or a JSON object or array.
fn sniff(body: &[u8]) -> Option<Format> {
    let start = body
        .iter()
        .position(|b| !b.is_ascii_whitespace() && *b != 0xEF && *b != 0xBB && *b != 0xBF)
        .unwrap_or(body.len());
    let head = &body[start..body.len().min(start + 512)];
    if head.starts_with(b"%PDF-") {
        return Some(Format::Pdf);
    }
    let lower = head.to_ascii_lowercase();
    if lower.starts_with(b"<!doctype html") || lower.starts_with(b"<html") {
        return Some(Format::Html);
    }
    if (head.starts_with(b"{") || head.starts_with(b"["))
        && serde_json::from_slice::<serde_json::Value>(body).is_ok()
    {
        return Some(Format::Json);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specific_content_types_win() {
        assert_eq!(
            detect_format(Some("text/html; charset=utf-8"), "https://x/a.md", b""),
            Format::Html
        );
        assert_eq!(
            detect_format(Some("application/pdf"), "https://x/a", b""),
            Format::Pdf
        );
    }

    #[test]
    fn generic_content_types_defer_to_the_url_then_the_bytes() {
        let raw = "https://raw.githubusercontent.com/o/r/c/README.md";
        assert_eq!(
            detect_format(Some("text/plain; charset=utf-8"), raw, b"# Title"),
            Format::Markdown
        );
        assert_eq!(
            detect_format(
                Some("application/octet-stream"),
                "https://x/paper",
                b"%PDF-1.5\n"
            ),
            Format::Pdf
        );
        assert_eq!(
            detect_format(None, "https://x/LICENSE", b"MIT License"),
            Format::Text
        );
        assert_eq!(
            detect_format(None, "https://x/data", b" {\"a\": 1}"),
            Format::Json
        );
        assert_eq!(
            detect_format(None, "https://x/", b"<!DOCTYPE html><p>x"),
            Format::Html
        );
        assert_eq!(
            detect_format(None, "https://x/data.csv?raw=1", b"a,b"),
            Format::Csv
        );
    }
}
