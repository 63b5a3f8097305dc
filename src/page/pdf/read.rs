//! The PDF reader (the `pdf` feature): bounded and isolated, as the parent module describes.

use std::collections::HashSet;
use std::io::{self, Read, Write};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::{Arc, Once, mpsc};
use std::time::Duration;

use pdf_extract::{Dictionary, Document, Object, ObjectId};

use crate::limits::Limits;
use crate::source::file::human_bytes;

use super::*;

/// The text of a PDF, pages separated by `'\x0c'`.
///
/// The text may not exceed `body_bytes` ([`Limits`]): a PDF whose text goes past it is refused
/// with [`PdfError::Limit`] naming the limit, and so its source is `unavailable`, rather than
/// cut. A fact-checker expects that: a cut text would let an `absent` check pass, or a figure
/// go unfound, on the part that was never read, a wrong verdict without a warning; an
/// unavailable source says why, and the limit can be raised in `factcheck.toml`.
///
/// Runs the checks and the reader in a [`PDF_THREAD`] thread, bounded by the [`Limits`] in force;
/// a panic inside the reader is caught, printed nowhere, and returned as [`PdfError::Panicked`].
pub fn pdf_to_text(bytes: &[u8]) -> Result<String, PdfError> {
    let head = &bytes[..bytes.len().min(PDF_HEADER_WINDOW)];
    if !head.windows(5).any(|w| w == b"%PDF-") {
        return Err(PdfError::NotPdf);
    }
    let limits = Limits::current();
    quiet_pdf_panics();
    let bytes: Arc<[u8]> = Arc::from(bytes);
    let (tx, rx) = mpsc::channel();
    let spawned = std::thread::Builder::new()
        .name(PDF_THREAD.to_string())
        .stack_size(PDF_STACK_BYTES)
        .spawn(move || {
            // The closure only reads `bytes`; nothing observable is left half-updated by a panic.
            let result = catch_unwind(AssertUnwindSafe(|| read_pages(&bytes, &limits)));
            let _ = tx.send(result);
        });
    if let Err(e) = spawned {
        return Err(PdfError::Panicked {
            message: format!("cannot start the PDF reader: {e}"),
        });
    }
    let pages = match rx.recv_timeout(Duration::from_secs(limits.pdf_seconds)) {
        Ok(Ok(pages)) => pages?,
        Ok(Err(payload)) => {
            return Err(PdfError::Panicked {
                message: crate::caught::payload_message(payload.as_ref()),
            });
        }
        Err(mpsc::RecvTimeoutError::Timeout) => return Err(PdfError::TimedOut(limits.pdf_seconds)),
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            return Err(PdfError::Panicked {
                message: "the PDF reader stopped without an answer".to_string(),
            });
        }
    };
    Ok(pages.join(&PAGE_BREAK.to_string()))
}

fn text_too_long(limit: u64) -> PdfError {
    PdfError::Limit(format!(
        "the PDF's text is longer than the limit of {limit} bytes (`body_bytes`)"
    ))
}

/// Installs, once, a panic hook that prints nothing for [`PDF_THREAD`] threads (their panics
/// are caught and reported as reasons) and hands every other panic to the hook it replaced.
fn quiet_pdf_panics() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if std::thread::current().name() != Some(PDF_THREAD) {
                previous(info);
            }
        }));
    });
}

/// The checks, then the reader, page by page (in the PDF thread): the tidied pages, together
/// (with their breaks) no longer than `body_bytes`.
fn read_pages(bytes: &[u8], limits: &Limits) -> Result<Vec<String>, PdfError> {
    check_streams(bytes, limits.decompressed_bytes)?;
    check_counts(bytes, limits.pdf_objects)?;
    let mut doc = Document::load_mem(bytes).map_err(|e| read_error(&e.to_string(), bytes))?;
    if doc.objects.len() > limits.pdf_objects {
        return Err(too_many_objects(doc.objects.len(), limits.pdf_objects));
    }
    if doc.is_encrypted() {
        doc.decrypt("")
            .map_err(|e| read_error(&format!("encrypted, and {e}"), bytes))?;
    }
    check_forms(&doc, limits)?;
    let mut pages = Vec::new();
    let mut total = 0u64;
    for page_num in doc.get_pages().into_keys() {
        let mut text = String::new();
        let mut output = pdf_extract::PlainTextOutput::new(&mut text);
        // As the reader's own page loop does: the pages before a broken one are kept.
        if pdf_extract::output_doc_page(&doc, &mut output, page_num).is_err() {
            break;
        }
        // The tidied pages and their breaks count; reading stops at the first page past the limit.
        let text = tidy_page(&text);
        total = total.saturating_add(text.len() as u64 + u64::from(!pages.is_empty()));
        if total > limits.body_bytes {
            return Err(text_too_long(limits.body_bytes));
        }
        pages.push(text);
    }
    Ok(pages)
}

/// The reader's complaint about `bytes`, with a hint when the file looks truncated.
fn read_error(detail: &str, bytes: &[u8]) -> PdfError {
    let tail = &bytes[bytes.len().saturating_sub(1024)..];
    let hint = (!tail.windows(5).any(|w| w == b"%%EOF"))
        .then(|| "the file looks truncated: it does not end with `%%EOF`".to_string());
    PdfError::Read {
        detail: detail.to_string(),
        hint,
    }
}

fn too_many_objects(count: usize, limit: usize) -> PdfError {
    PdfError::Limit(format!(
        "the PDF has {count} objects, more than the limit of {limit} (`pdf_objects`)"
    ))
}

/// Inflates every Flate stream of the raw bytes into nothing, so that no stream expands past
/// `limit` and all of them together not past [`PDF_TOTAL_STREAM_FACTOR`] times it, before the
/// reader inflates them into memory. Filter chains of Flate are followed (up to four deep).
fn check_streams(bytes: &[u8], limit: u64) -> Result<(), PdfError> {
    let total_limit = limit.saturating_mul(PDF_TOTAL_STREAM_FACTOR);
    let mut total = 0u64;
    let mut pos = 0;
    while let Some(i) = find(&bytes[pos..], b"stream") {
        let keyword = pos + i;
        pos = keyword + 6;
        if bytes[..keyword].ends_with(b"end") {
            continue;
        }
        let mut data = pos;
        if bytes.get(data) == Some(&b'\r') {
            data += 1;
        }
        if bytes.get(data) == Some(&b'\n') {
            data += 1;
        }
        if data == pos {
            continue;
        }
        // The stream's dictionary lies between its `obj` and the keyword.
        let window = &bytes[keyword.saturating_sub(16 * 1024)..keyword];
        let dict = rfind(window, b"obj").map_or(window, |o| &window[o..]);
        let layers = count(dict, b"FlateDecode").min(4);
        if layers == 0 {
            continue;
        }
        let mut reader: Box<dyn Read + '_> = Box::new(&bytes[data..]);
        for _ in 0..layers {
            reader = Box::new(flate2::read::ZlibDecoder::new(reader));
        }
        let mut sink = Counter(0);
        // A damaged stream is the reader's business; only the size matters here.
        let _ = io::copy(&mut reader.take(limit + 1), &mut sink);
        if sink.0 > limit {
            return Err(PdfError::Limit(format!(
                "a stream of the PDF inflates to more than the limit of {} (`decompressed_bytes`)",
                human_bytes(limit)
            )));
        }
        total += sink.0;
        if total > total_limit {
            return Err(PdfError::Limit(format!(
                "the PDF's streams inflate to more than {} in all \
                 ({PDF_TOTAL_STREAM_FACTOR} times `decompressed_bytes`)",
                human_bytes(total_limit)
            )));
        }
        pos = data;
    }
    Ok(())
}

/// Counts bytes written, keeping none.
struct Counter(u64);

impl Write for Counter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0 += buf.len() as u64;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Refuses declared object counts (`/Size` of a trailer, `/N` of an object stream) past
/// `limit` before the reader allocates for them.
fn check_counts(bytes: &[u8], limit: usize) -> Result<(), PdfError> {
    for key in [&b"/Size"[..], b"/N"] {
        let mut pos = 0;
        while let Some(i) = find(&bytes[pos..], key) {
            pos += i + key.len();
            let rest = &bytes[pos..];
            let digits_at = rest.iter().take_while(|b| b.is_ascii_whitespace()).count();
            let digits: Vec<u8> = rest[digits_at..]
                .iter()
                .take(24)
                .take_while(|b| b.is_ascii_digit())
                .copied()
                .collect();
            // `/N5` is another name; the count follows white space.
            if digits.is_empty() || digits_at == 0 {
                continue;
            }
            let n = std::str::from_utf8(&digits)
                .ok()
                .and_then(|d| d.parse::<u128>().ok())
                .unwrap_or(u128::MAX);
            if n > limit as u128 {
                return Err(PdfError::Limit(format!(
                    "the PDF declares {} objects, more than the limit of {limit} (`pdf_objects`)",
                    String::from_utf8_lossy(&digits)
                )));
            }
        }
    }
    Ok(())
}

/// Walks the Form XObjects each page draws (`Do`), and the forms they draw, refusing a form
/// that draws itself (directly or through others) and nesting deeper than `pdf_recursion`. The
/// walk visits at most `pdf_objects` forms in all.
fn check_forms(doc: &Document, limits: &Limits) -> Result<(), PdfError> {
    let mut budget = limits.pdf_objects;
    for page_id in doc.get_pages().into_values() {
        let Ok(content) = doc.get_page_content(page_id) else {
            continue;
        };
        let resources = page_resources(doc, page_id);
        let mut path = Vec::new();
        walk_forms(doc, &content, resources, &mut path, &mut budget, limits)?;
    }
    Ok(())
}

/// The page's effective resources: its own, else the nearest ancestor's.
fn page_resources(doc: &Document, page_id: ObjectId) -> Option<&Dictionary> {
    let mut seen = HashSet::new();
    let mut node = doc.get_dictionary(page_id).ok()?;
    loop {
        if let Ok(resources) = node.get(b"Resources") {
            return deref(doc, resources).and_then(|o| o.as_dict().ok());
        }
        let parent = node.get(b"Parent").and_then(Object::as_reference).ok()?;
        if !seen.insert(parent) {
            return None;
        }
        node = doc.get_dictionary(parent).ok()?;
    }
}

fn walk_forms<'a>(
    doc: &'a Document,
    content: &[u8],
    resources: Option<&'a Dictionary>,
    path: &mut Vec<ObjectId>,
    budget: &mut usize,
    limits: &Limits,
) -> Result<(), PdfError> {
    let Some(xobjects) = resources
        .and_then(|r| r.get(b"XObject").ok())
        .and_then(|o| deref(doc, o))
        .and_then(|o| o.as_dict().ok())
    else {
        return Ok(());
    };
    let Ok(ops) = pdf_extract::content::Content::decode(content) else {
        return Ok(());
    };
    let mut drawn = HashSet::new();
    for op in ops.operations.iter().filter(|op| op.operator == "Do") {
        let Some(name) = op.operands.first().and_then(|o| o.as_name().ok()) else {
            continue;
        };
        let Ok(Object::Reference(id)) = xobjects.get(name) else {
            continue;
        };
        if !drawn.insert(*id) {
            continue;
        }
        if path.contains(id) {
            return Err(PdfError::Limit(format!(
                "the PDF's form XObject {} {} draws itself",
                id.0, id.1
            )));
        }
        let Ok(Object::Stream(form)) = doc.get_object(*id) else {
            continue;
        };
        if path.len() >= limits.pdf_recursion {
            return Err(PdfError::Limit(format!(
                "the PDF's form XObjects are nested deeper than the limit of {} (`pdf_recursion`)",
                limits.pdf_recursion
            )));
        }
        if *budget == 0 {
            return Err(PdfError::Limit(format!(
                "the PDF's pages draw more than {} forms (`pdf_objects`)",
                limits.pdf_objects
            )));
        }
        *budget -= 1;
        let own = form
            .dict
            .get(b"Resources")
            .ok()
            .and_then(|o| deref(doc, o))
            .and_then(|o| o.as_dict().ok());
        let Ok(inner) = form.decompressed_content() else {
            continue;
        };
        path.push(*id);
        walk_forms(doc, &inner, own.or(resources), path, budget, limits)?;
        path.pop();
    }
    Ok(())
}

/// The object a reference points to (through chains of references), or the object itself.
fn deref<'a>(doc: &'a Document, object: &'a Object) -> Option<&'a Object> {
    doc.dereference(object).ok().map(|(_, o)| o)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn rfind(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).rposition(|w| w == needle)
}

fn count(haystack: &[u8], needle: &[u8]) -> usize {
    haystack
        .windows(needle.len())
        .filter(|w| *w == needle)
        .count()
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
        let objects: Vec<Vec<u8>> = objects.into_iter().map(String::into_bytes).collect();
        pdf_of(&objects)
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
        // Whatever the reader does with it, the error is a reason (and nothing is printed: the
        // reading thread's panics are silenced).
        let mut pdf = tiny_pdf(&["Hello"]);
        pdf.truncate(40);
        pdf.extend_from_slice(b"\x00\xff garbage \x01 obj << /Broken");
        let err = pdf_to_text(&pdf).unwrap_err();
        assert!(
            matches!(err, PdfError::Read { .. } | PdfError::Panicked { .. }),
            "{err:?}"
        );
    }

    /// A PDF of the given object bodies (object `i + 1` is `objects[i]`; object 1 must be the
    /// catalog), with a correct cross-reference table.
    fn pdf_of(objects: &[Vec<u8>]) -> Vec<u8> {
        let mut pdf = b"%PDF-1.5\n".to_vec();
        let mut offsets = Vec::new();
        for (i, body) in objects.iter().enumerate() {
            offsets.push(pdf.len());
            pdf.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
            pdf.extend_from_slice(body);
            pdf.extend_from_slice(b"\nendobj\n");
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

    fn stream(dict: &str, data: &[u8]) -> Vec<u8> {
        let mut out = format!("<< {dict} /Length {} >>\nstream\n", data.len()).into_bytes();
        out.extend_from_slice(data);
        out.extend_from_slice(b"\nendstream");
        out
    }

    /// One page whose content is `content`, with a font and the XObjects `xobjects` (a
    /// dictionary body such as `/X0 5 0 R`); objects from 5 on are `extra`.
    fn one_page(content: &[u8], xobjects: &str, extra: Vec<Vec<u8>>) -> Vec<u8> {
        let mut objects = vec![
            b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
            format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R \
                 /Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica \
                 >> >> /XObject << {xobjects} >> >> >>"
            )
            .into_bytes(),
            stream("", content),
        ];
        objects.extend(extra);
        pdf_of(&objects)
    }

    /// Regression: a 720-byte PDF whose form XObject draws itself overflowed the stack and
    /// aborted the process.
    #[test]
    fn a_form_that_draws_itself_is_refused() {
        let form = stream(
            "/Type /XObject /Subtype /Form /BBox [0 0 10 10]",
            b"BT /F1 12 Tf (loop) Tj ET /X0 Do",
        );
        let pdf = one_page(b"/X0 Do", "/X0 5 0 R", vec![form]);
        assert!(pdf.len() < 1024);
        let err = pdf_to_text(&pdf).unwrap_err();
        assert!(err.to_string().contains("draws itself"), "{err}");
        // Through another form, with its own resources.
        let a = stream(
            "/Type /XObject /Subtype /Form /BBox [0 0 10 10] /Resources << /XObject << /B 6 0 R >> >>",
            b"/B Do",
        );
        let b = stream(
            "/Type /XObject /Subtype /Form /BBox [0 0 10 10] /Resources << /XObject << /A 5 0 R >> >>",
            b"/A Do",
        );
        let pdf = one_page(b"/X0 Do", "/X0 5 0 R", vec![a, b]);
        let err = pdf_to_text(&pdf).unwrap_err();
        assert!(err.to_string().contains("draws itself"), "{err}");
    }

    #[test]
    fn forms_nested_too_deep_are_refused_and_shallow_ones_read() {
        let depth = Limits::current().pdf_recursion + 2;
        let pdf = one_page(b"/X0 Do", "/X0 5 0 R", nested_forms(depth));
        let err = pdf_to_text(&pdf).unwrap_err();
        assert!(err.to_string().contains("`pdf_recursion`"), "{err}");
        // Two levels read fine, text of the forms included.
        let pdf = one_page(b"/X0 Do", "/X0 5 0 R", nested_forms(2));
        let text = pdf_to_text(&pdf).unwrap_or_else(|e| panic!("{e}"));
        assert!(text.contains("bottom"), "{text:?}");
    }

    /// `depth` forms, objects 5 on, each drawing the next.
    fn nested_forms(depth: usize) -> Vec<Vec<u8>> {
        let mut forms = Vec::new();
        for i in 0..depth {
            let next = 5 + i + 1;
            let content = if i + 1 < depth {
                format!("BT /F1 12 Tf (level{i}) Tj ET /N Do")
            } else {
                "BT /F1 12 Tf (bottom) Tj ET".to_string()
            };
            let resources = if i + 1 < depth {
                format!(
                    "/Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> /XObject << /N {next} 0 R >> >>"
                )
            } else {
                String::new()
            };
            forms.push(stream(
                &format!("/Type /XObject /Subtype /Form /BBox [0 0 10 10] {resources}"),
                content.as_bytes(),
            ));
        }
        forms
    }

    /// Regression: a 1 MB PDF with a Flate bomb ran for minutes at over 2 GB.
    #[test]
    fn a_flate_bomb_is_refused_before_the_reader_inflates_it() {
        use flate2::write::ZlibEncoder;
        use std::io::Write as _;
        let limit = Limits::current().decompressed_bytes as usize;
        let mut z = ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        let spaces = vec![b' '; 1 << 20];
        for _ in 0..limit / spaces.len() + 2 {
            z.write_all(&spaces).unwrap();
        }
        let bomb = z.finish().unwrap();
        let mut objects = vec![
            b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>".to_vec(),
        ];
        objects.push(stream("/Filter /FlateDecode", &bomb));
        let pdf = pdf_of(&objects);
        assert!(pdf.len() < 100 * 1024);
        let started = std::time::Instant::now();
        let err = pdf_to_text(&pdf).unwrap_err();
        assert!(err.to_string().contains("`decompressed_bytes`"), "{err}");
        assert!(started.elapsed().as_secs() < 10);
        // Two layers of Flate are followed.
        let mut z = ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        z.write_all(&bomb).unwrap();
        objects[3] = stream("/Filter [/FlateDecode /FlateDecode]", &z.finish().unwrap());
        let err = pdf_to_text(&pdf_of(&objects)).unwrap_err();
        assert!(err.to_string().contains("`decompressed_bytes`"), "{err}");
    }

    #[test]
    fn huge_declared_object_counts_are_refused() {
        let mut pdf = tiny_pdf(&["Hello"]);
        let text = String::from_utf8(pdf.clone()).unwrap();
        pdf = text.replace("/Size 6", "/Size 99999999999").into_bytes();
        let err = pdf_to_text(&pdf).unwrap_err();
        assert!(err.to_string().contains("`pdf_objects`"), "{err}");
        let objstm = stream("/Type /ObjStm /N 4000000000 /First 10", b"1 0 ");
        let pdf = one_page(b"", "", vec![objstm]);
        let err = pdf_to_text(&pdf).unwrap_err();
        assert!(err.to_string().contains("`pdf_objects`"), "{err}");
    }

    /// Regression: "cannot read the PDF: could not read the PDF: ..." said the same twice and
    /// did not tell that the file was cut short.
    #[test]
    fn a_truncated_pdf_says_so_once() {
        let mut pdf = tiny_pdf(&["Hello there"]);
        pdf.truncate(pdf.len() / 2);
        let err = pdf_to_text(&pdf).unwrap_err();
        let message = err.to_string();
        assert!(message.contains("looks truncated"), "{message}");
        assert!(!message.contains("could not read the PDF"), "{message}");
    }

    #[test]
    fn nan_and_garbage_operands_are_an_error_or_text_never_a_crash() {
        for content in [
            &b"BT /F1 NaN Tf 1e400 -1e400 Td (x) Tj ET"[..],
            b"BT /F1 12 Tf 72 720 Td [(a) 1e309 (b)] TJ ET",
            b"q 0 0 0 0 0 0 cm BT /F1 12 Tf (x) Tj ET Q",
            b"BT /F9 12 Tf (x) Tj ET",
            b"BT Tf Tj TJ Td ET",
        ] {
            let pdf = one_page(content, "", vec![]);
            let _ = pdf_to_text(&pdf);
        }
    }

    #[test]
    fn error_can_cross_threads() {
        fn assert_error<T: std::error::Error + Send + Sync + 'static>() {}
        assert_error::<PdfError>();
    }

    #[test]
    fn text_past_body_bytes_makes_the_pdf_unreadable_naming_the_limit() {
        let pdf = tiny_pdf(&["Revenue grew 12 percent", "Costs fell 3 percent"]);
        let whole = pdf_to_text(&pdf).unwrap();
        let exact = Limits {
            body_bytes: whole.len() as u64,
            ..Limits::default()
        };
        assert_eq!(read_pages(&pdf, &exact).unwrap().join("\x0c"), whole);
        let short = Limits {
            body_bytes: whole.len() as u64 - 1,
            ..Limits::default()
        };
        let err = read_pages(&pdf, &short).unwrap_err();
        assert!(matches!(err, PdfError::Limit(_)), "{err:?}");
        assert!(err.to_string().contains("`body_bytes`"), "{err}");
        // Past the first page, too: reading stops there.
        let first = Limits {
            body_bytes: 5,
            ..Limits::default()
        };
        assert!(matches!(read_pages(&pdf, &first), Err(PdfError::Limit(_))));
    }

    #[test]
    fn page_text_is_tidied() {
        assert_eq!(
            tidy_page("\n\n  Table 1 |   Training\tcosts \n\n\x0c\nnext  "),
            "Table 1 | Training costs\nnext"
        );
    }
}
