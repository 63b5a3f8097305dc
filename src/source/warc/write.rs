//! Writing WARC/1.1 files: a `warcinfo` record, then one `response` or `resource` record per
//! page, each optionally its own gzip member, with reproducible record IDs and sha256 digests.

use std::io::Write;
use std::time::{SystemTime, UNIX_EPOCH};

use flate2::Compression;
use flate2::write::GzEncoder;
use sha2::{Digest, Sha256};

use super::{ArchivedPage, WarcError};

/// Writes pages as WARC/1.1 records to `W`; the `warcinfo` record goes first, written with the
/// first page (or by [`WarcWriter::finish`] when there is none).
///
/// ```
/// use factcheck::source::warc::{ArchivedPage, WarcWriter};
/// let mut writer = WarcWriter::new(Vec::new(), "0.1.0", true).with_date("2025-01-01T00:00:00Z");
/// let page = ArchivedPage::resource("https://example.org/a.txt", None, Some("text/plain".into()), b"hi".to_vec());
/// writer.write_page(&page)?;
/// let bytes = writer.finish()?;
/// assert_eq!(&bytes[..2], &[0x1f, 0x8b]);
/// # Ok::<(), factcheck::source::warc::WarcError>(())
/// ```
#[derive(Debug)]
pub struct WarcWriter<W: Write> {
    out: W,
    gzip: bool,
    version: String,
    date: String,
    started: bool,
}

impl<W: Write> WarcWriter<W> {
    /// A writer to `out` for factcheck `version` (recorded as `software: factcheck/<version>`),
    /// compressing each record as its own gzip member when `gzip` is set. The current time is the
    /// `WARC-Date` of the `warcinfo` record and of pages without a date.
    pub fn new(out: W, version: &str, gzip: bool) -> WarcWriter<W> {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        WarcWriter {
            out,
            gzip,
            version: version.to_string(),
            date: format_timestamp(now),
            started: false,
        }
    }

    /// Uses `date` (a WARC-Date, e.g. `2025-01-01T00:00:00Z`) instead of the current time, for
    /// exports that are byte-for-byte reproducible.
    pub fn with_date(mut self, date: impl Into<String>) -> WarcWriter<W> {
        self.date = date.into();
        self
    }

    /// Writes `page` as a `response` record when it has an HTTP status (status line and headers
    /// rebuilt from status, content type, `ETag` and `Last-Modified`), else as a `resource`.
    pub fn write_page(&mut self, page: &ArchivedPage) -> Result<(), WarcError> {
        self.start()?;
        let invalid = |detail: String| WarcError::InvalidPage {
            url: page.url.clone(),
            detail,
        };
        let url = page.url.trim();
        if url.is_empty() {
            return Err(invalid("the URL is empty".to_string()));
        }
        let date = page.date.clone().unwrap_or_else(|| self.date.clone());
        let mut fields = vec![
            ("WARC-Date", date.clone()),
            ("WARC-Target-URI", url.to_string()),
        ];
        let (kind, block) = match page.status {
            Some(status) => {
                let head = http_head(page, status).map_err(invalid)?;
                let mut block = head.into_bytes();
                block.extend_from_slice(&page.body);
                fields.push(("Content-Type", "application/http;msgtype=response".into()));
                ("response", block)
            }
            None => {
                if let Some(ct) = &page.content_type {
                    fields.push(("Content-Type", ct.clone()));
                }
                ("resource", page.body.clone())
            }
        };
        fields.push(("WARC-Payload-Digest", sha256_label(&page.body)));
        for (name, value) in &fields {
            if value.contains(['\r', '\n']) {
                return Err(invalid(format!("{name} contains a line break")));
            }
        }
        self.write_record(kind, &[url, &date], fields, &block)
    }

    /// Writes the `warcinfo` record if no record was written yet, flushes, and returns the output.
    pub fn finish(mut self) -> Result<W, WarcError> {
        self.start()?;
        self.out
            .flush()
            .map_err(|source| WarcError::Write { source })?;
        Ok(self.out)
    }

    fn start(&mut self) -> Result<(), WarcError> {
        if self.started {
            return Ok(());
        }
        self.started = true;
        let block = format!(
            "software: factcheck/{}\r\nformat: WARC File Format 1.1\r\n\
             conformsTo: http://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/\r\n",
            self.version
        );
        let fields = vec![
            ("WARC-Date", self.date.clone()),
            ("Content-Type", "application/warc-fields".to_string()),
        ];
        let date = self.date.clone();
        self.write_record("warcinfo", &[&date], fields, block.as_bytes())
    }

    /// Writes one record; its ID is derived from `kind`, `id_parts` and the block.
    fn write_record(
        &mut self,
        kind: &str,
        id_parts: &[&str],
        fields: Vec<(&str, String)>,
        block: &[u8],
    ) -> Result<(), WarcError> {
        let mut hasher = Sha256::new();
        hasher.update(kind.as_bytes());
        for part in id_parts {
            hasher.update([0]);
            hasher.update(part.as_bytes());
        }
        hasher.update([0]);
        hasher.update(block);
        let id = uuid_from_digest(&hasher.finalize());

        let mut head =
            format!("WARC/1.1\r\nWARC-Type: {kind}\r\nWARC-Record-ID: <urn:uuid:{id}>\r\n");
        for (name, value) in &fields {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str(&format!(
            "WARC-Block-Digest: {}\r\nContent-Length: {}\r\n\r\n",
            sha256_label(block),
            block.len()
        ));
        let mut record = head.into_bytes();
        record.extend_from_slice(block);
        record.extend_from_slice(b"\r\n\r\n");
        let write_err = |source| WarcError::Write { source };
        if self.gzip {
            let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
            encoder.write_all(&record).map_err(write_err)?;
            record = encoder.finish().map_err(write_err)?;
        }
        self.out.write_all(&record).map_err(write_err)
    }
}

/// The HTTP/1.1 status line and headers of a response record (the body follows them).
fn http_head(page: &ArchivedPage, status: u16) -> Result<String, String> {
    let mut head = format!("HTTP/1.1 {status} {}\r\n", reason_phrase(status));
    let mut push = |name: &str, value: &str| {
        if value.contains(['\r', '\n']) {
            return Err(format!("HTTP header {name} contains a line break"));
        }
        head.push_str(&format!("{name}: {value}\r\n"));
        Ok(())
    };
    if let Some(ct) = &page.content_type {
        push("Content-Type", ct)?;
    }
    if let Some(etag) = page.header("ETag") {
        push("ETag", etag)?;
    }
    if let Some(lm) = page.header("Last-Modified") {
        push("Last-Modified", lm)?;
    }
    push("Content-Length", &page.body.len().to_string())?;
    head.push_str("\r\n");
    Ok(head)
}

/// The standard reason phrase of common HTTP statuses; empty for others (which is valid).
fn reason_phrase(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        202 => "Accepted",
        203 => "Non-Authoritative Information",
        204 => "No Content",
        206 => "Partial Content",
        300 => "Multiple Choices",
        301 => "Moved Permanently",
        302 => "Found",
        303 => "See Other",
        304 => "Not Modified",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        406 => "Not Acceptable",
        408 => "Request Timeout",
        410 => "Gone",
        429 => "Too Many Requests",
        451 => "Unavailable For Legal Reasons",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "",
    }
}

/// `sha256:` followed by the RFC 4648 base32 of the SHA-256 of `data`.
fn sha256_label(data: &[u8]) -> String {
    format!("sha256:{}", base32(&Sha256::digest(data)))
}

/// RFC 4648 base32 (upper case, `=` padding).
fn base32(data: &[u8]) -> String {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut out = String::with_capacity(data.len().div_ceil(5) * 8);
    for chunk in data.chunks(5) {
        let mut group = [0u8; 5];
        group[..chunk.len()].copy_from_slice(chunk);
        let bits = group.iter().fold(0u64, |acc, &b| (acc << 8) | u64::from(b));
        let symbols = (chunk.len() * 8).div_ceil(5);
        for i in 0..8 {
            if i < symbols {
                let index = (bits >> (35 - 5 * i)) & 0x1f;
                out.push(char::from(ALPHABET[index as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// A UUID (version 8, RFC 9562 "custom") made of the first 16 bytes of `digest`.
fn uuid_from_digest(digest: &[u8]) -> String {
    let mut b = [0u8; 16];
    let n = digest.len().min(16);
    b[..n].copy_from_slice(&digest[..n]);
    b[6] = (b[6] & 0x0f) | 0x80;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// Formats seconds since the Unix epoch as a WARC-Date (`YYYY-MM-DDThh:mm:ssZ`, UTC).
fn format_timestamp(secs: u64) -> String {
    let days = i64::try_from(secs / 86_400).unwrap_or(0);
    let rem = secs % 86_400;
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base32_matches_rfc_4648_vectors() {
        let cases = [
            ("", ""),
            ("f", "MY======"),
            ("fo", "MZXQ===="),
            ("foo", "MZXW6==="),
            ("foob", "MZXW6YQ="),
            ("fooba", "MZXW6YTB"),
            ("foobar", "MZXW6YTBOI======"),
        ];
        for (input, expected) in cases {
            assert_eq!(base32(input.as_bytes()), expected, "base32({input:?})");
        }
    }

    #[test]
    fn sha256_label_of_empty_input() {
        // SHA-256("") = e3b0c442...b855, in base32 as computed by Python's base64.b32encode.
        assert_eq!(
            sha256_label(b""),
            "sha256:4OYMIQUY7QOBJGX36TEJS35ZEQT24QPEMSNZGTFESWMRW6CSXBKQ===="
        );
    }

    #[test]
    fn uuid_is_version_8_and_deterministic() {
        let id = uuid_from_digest(&Sha256::digest(b"x"));
        assert_eq!(id, uuid_from_digest(&Sha256::digest(b"x")));
        assert_ne!(id, uuid_from_digest(&Sha256::digest(b"y")));
        assert_eq!(id.len(), 36);
        assert_eq!(&id[14..15], "8");
        assert!(matches!(&id[19..20], "8" | "9" | "a" | "b"));
    }

    #[test]
    fn timestamps_format_as_utc_warc_dates() {
        assert_eq!(format_timestamp(0), "1970-01-01T00:00:00Z");
        assert_eq!(format_timestamp(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(format_timestamp(1_735_689_599), "2024-12-31T23:59:59Z");
    }

    #[test]
    fn response_record_layout() {
        let page = ArchivedPage::http(
            "https://example.org/",
            Some("2025-02-03T04:05:06Z".into()),
            200,
            Some("text/html".into()),
            Some("\"v1\"".into()),
            None,
            b"<p>hi</p>".to_vec(),
        );
        let mut w = WarcWriter::new(Vec::new(), "9.9.9", false).with_date("2025-01-01T00:00:00Z");
        w.write_page(&page).unwrap();
        let out = String::from_utf8(w.finish().unwrap()).unwrap();
        assert!(out.starts_with("WARC/1.1\r\nWARC-Type: warcinfo\r\n"));
        assert!(out.contains("software: factcheck/9.9.9\r\n"));
        let response = &out[out.find("WARC/1.1\r\nWARC-Type: response").unwrap()..];
        assert!(response.contains("WARC-Record-ID: <urn:uuid:"));
        assert!(response.contains("WARC-Date: 2025-02-03T04:05:06Z\r\n"));
        assert!(response.contains("WARC-Target-URI: https://example.org/\r\n"));
        assert!(response.contains("Content-Type: application/http;msgtype=response\r\n"));
        assert!(response.contains(&format!(
            "WARC-Payload-Digest: {}\r\n",
            sha256_label(b"<p>hi</p>")
        )));
        let http = "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nETag: \"v1\"\r\nContent-Length: 9\r\n\r\n<p>hi</p>";
        assert!(response.contains(&format!(
            "WARC-Block-Digest: {}\r\n",
            sha256_label(http.as_bytes())
        )));
        assert!(response.contains(&format!(
            "Content-Length: {}\r\n\r\n{http}\r\n\r\n",
            http.len()
        )));
        assert!(response.ends_with("\r\n\r\n"));
    }

    #[test]
    fn line_breaks_in_fields_are_rejected() {
        let mut w = WarcWriter::new(Vec::new(), "1", false);
        let page = ArchivedPage::resource("https://e.org/\r\nX: y", None, None, Vec::new());
        assert!(matches!(
            w.write_page(&page),
            Err(WarcError::InvalidPage { .. })
        ));
        let page = ArchivedPage::http(
            "https://e.org/",
            None,
            200,
            Some("a\nb".into()),
            None,
            None,
            Vec::new(),
        );
        assert!(matches!(
            w.write_page(&page),
            Err(WarcError::InvalidPage { .. })
        ));
    }
}
