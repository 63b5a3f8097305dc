//! WARC archives (ISO 28500, WARC 1.0 and 1.1): an index over a `.warc` or `.warc.gz` file that
//! reads one capture on demand, a whole-file reader for import, and a writer for export.
//!
//! Reading accepts plain files and gzip files (told apart by the gzip magic bytes, not the name),
//! whether gzip is applied per record (the norm) or to the whole file as one stream. `response`
//! records (`application/http; msgtype=response`) are unwrapped to their HTTP status, headers and
//! decoded payload; `resource` records give their block as the payload. Other record types
//! (`warcinfo`, `request`, `metadata`, `revisit`, `conversion`, ...) are skipped.
//!
//! [`WarcArchive::open`] scans the file once and keeps, per `WARC-Target-URI`, only where its
//! record starts: the byte offset of the record in a plain file, or of the gzip member holding it
//! (plus the record's offset inside that member's decompressed data, zero for gzip-per-record
//! files). [`WarcArchive::get`] reopens the file, seeks there and reads that one record. For a file
//! compressed as a single gzip stream this means decompressing from the start of the file up to
//! the record on every `get`: correct, but linear in the record's position (recompress such files
//! per record for fast lookups).

mod digest;
mod http;
mod read;
mod write;

#[cfg(test)]
mod tests;

use std::collections::BTreeMap;
use std::fmt;
use std::fs::File;
use std::io::{self, BufReader, Seek, SeekFrom};
use std::path::{Path, PathBuf};

pub use write::WarcWriter;

/// Longest WARC or HTTP header block accepted, in bytes, before a record is declared malformed.
pub const DEFAULT_MAX_HEADER_BYTES: usize = 256 * 1024;

/// Size of the read buffers used when scanning a WARC file.
pub const DEFAULT_READ_BUFFER_BYTES: usize = 64 * 1024;

/// One captured page read from (or written to) a WARC file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArchivedPage {
    /// `WARC-Target-URI`, angle brackets removed.
    pub url: String,
    /// `WARC-Date` as written.
    pub date: Option<String>,
    /// HTTP status (response records); `None` for resource records.
    pub status: Option<u16>,
    /// HTTP `Content-Type` (response) or WARC `Content-Type` (resource).
    pub content_type: Option<String>,
    /// HTTP headers of a response record, in order; empty for resource records.
    pub headers: Vec<(String, String)>,
    /// The payload: the HTTP body de-chunked and decoded, or the resource block.
    pub body: Vec<u8>,
    /// The payload's SHA-256 (hex), when reading it computed it already.
    pub sha256: Option<String>,
}

impl ArchivedPage {
    /// The first HTTP header named `name` (compared case-insensitively).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// A page that [`WarcWriter`] stores as a `resource` record (no HTTP status or headers).
    pub fn resource(
        url: impl Into<String>,
        date: Option<String>,
        content_type: Option<String>,
        body: Vec<u8>,
    ) -> ArchivedPage {
        ArchivedPage {
            url: url.into(),
            date,
            status: None,
            content_type,
            headers: Vec::new(),
            body,
            sha256: None,
        }
    }

    /// A page that [`WarcWriter`] stores as a `response` record, with `headers` set to exactly
    /// what the writer emits (`Content-Type`, `ETag`, `Last-Modified`, `Content-Length`), so that
    /// writing it and reading it back gives an equal page.
    pub fn http(
        url: impl Into<String>,
        date: Option<String>,
        status: u16,
        content_type: Option<String>,
        etag: Option<String>,
        last_modified: Option<String>,
        body: Vec<u8>,
    ) -> ArchivedPage {
        let mut headers = Vec::new();
        if let Some(ct) = &content_type {
            headers.push(("Content-Type".to_string(), ct.clone()));
        }
        if let Some(etag) = etag {
            headers.push(("ETag".to_string(), etag));
        }
        if let Some(lm) = last_modified {
            headers.push(("Last-Modified".to_string(), lm));
        }
        headers.push(("Content-Length".to_string(), body.len().to_string()));
        ArchivedPage {
            url: url.into(),
            date,
            status: Some(status),
            content_type,
            headers,
            body,
            sha256: None,
        }
    }
}

/// Where a record (or a fault) is in a WARC file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    /// Byte offset in the file: of the record in a plain file, of the gzip member otherwise.
    pub offset: u64,
    /// For gzip files, the offset inside the member's decompressed data (0 when the record
    /// starts the member, as in gzip-per-record files); `None` for plain files.
    pub in_member: Option<u64>,
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.in_member {
            None => write!(f, "offset {}", self.offset),
            Some(0) => write!(f, "offset {} (gzip member)", self.offset),
            Some(inner) => write!(
                f,
                "offset {} (gzip member), {inner} bytes into its decompressed data",
                self.offset
            ),
        }
    }
}

/// Why a WARC file could not be read or written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WarcError {
    /// The file could not be opened, read or sought.
    #[error("cannot read WARC file {path}")]
    Io {
        /// The WARC file.
        path: PathBuf,
        /// The underlying failure.
        #[source]
        source: io::Error,
    },
    /// The file does not start with a WARC record.
    #[error("{path}: not a WARC file: expected `WARC/` at {at}, found {found:?}")]
    NotWarc {
        /// The file.
        path: PathBuf,
        /// Where the record was expected.
        at: Position,
        /// The first bytes found there (lossily decoded).
        found: String,
    },
    /// The file ends inside a record.
    #[error("{path}: truncated record at {at}: {detail}")]
    Truncated {
        /// The file.
        path: PathBuf,
        /// The record's start.
        at: Position,
        /// What was cut short.
        detail: String,
    },
    /// A record's `Content-Length` is missing or not a number.
    #[error("{path}: bad Content-Length {value:?} in record at {at}")]
    BadContentLength {
        /// The file.
        path: PathBuf,
        /// The record's start.
        at: Position,
        /// The value found (empty when the field is missing).
        value: String,
    },
    /// A gzip member is corrupt, truncated, or the bytes after a member are not gzip.
    #[error("{path}: bad gzip member at offset {offset}")]
    BadGzip {
        /// The file.
        path: PathBuf,
        /// Byte offset of the member in the file.
        offset: u64,
        /// The decompressor's complaint.
        #[source]
        source: io::Error,
    },
    /// A record's header or HTTP message is malformed.
    #[error("{path}: malformed record at {at}: {detail}")]
    Malformed {
        /// The file.
        path: PathBuf,
        /// The record's start.
        at: Position,
        /// What is wrong.
        detail: String,
    },
    /// A response uses a `Content-Encoding` or `Transfer-Encoding` that cannot be decoded.
    #[error("{path}: unsupported encoding `{encoding}` in response record at {at}")]
    UnsupportedEncoding {
        /// The file.
        path: PathBuf,
        /// The record's start.
        at: Position,
        /// The encoding named by the response.
        encoding: String,
    },
    /// A response body could not be decoded with the encoding it declares.
    #[error("{path}: cannot decode `{encoding}` body of response record at {at}")]
    Decode {
        /// The file.
        path: PathBuf,
        /// The record's start.
        at: Position,
        /// The encoding declared.
        encoding: String,
        /// The decoder's complaint.
        #[source]
        source: io::Error,
    },
    /// A record is larger than a limit, or decodes to more than one (the detail names it).
    #[error("{path}: record at {at}: {detail}")]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// The record's start.
        at: Position,
        /// Which limit, and by how much.
        detail: String,
    },
    /// A record's `WARC-Block-Digest` or `WARC-Payload-Digest` does not match its bytes: the
    /// record was altered or damaged since it was written.
    #[error("{path}: record at {at}: {field} does not match: {detail}")]
    Digest {
        /// The file.
        path: PathBuf,
        /// The record's start.
        at: Position,
        /// The header field.
        field: String,
        /// The digest written and the one computed.
        detail: String,
    },
    /// A page cannot be written as a WARC record (a field holds a line break, say).
    #[error("cannot write WARC record for {url:?}: {detail}")]
    InvalidPage {
        /// The page's URL.
        url: String,
        /// What is wrong.
        detail: String,
    },
    /// Writing to the output failed.
    #[error("cannot write WARC output")]
    Write {
        /// The underlying failure.
        #[source]
        source: io::Error,
    },
}

/// An index over a WARC file: captured URLs and where their records are, without the bodies.
#[derive(Debug, Clone)]
pub struct WarcArchive {
    path: PathBuf,
    gzip: bool,
    /// Lookup key (see [`url_key`]) to the last capture of that URL.
    index: BTreeMap<String, Entry>,
    /// The captured URLs as written (angle brackets removed), sorted.
    urls: Vec<String>,
}

#[derive(Debug, Clone)]
struct Entry {
    url: String,
    at: Position,
}

impl WarcArchive {
    /// Scans the WARC file at `path` once and indexes its `response` and `resource` records;
    /// when a URL is captured more than once, the last capture wins.
    pub fn open(path: &Path) -> Result<WarcArchive, WarcError> {
        let mut scanner = read::Scanner::open_for_heads(path)?;
        let gzip = scanner.is_gzip();
        let mut index = BTreeMap::new();
        while let Some(head) = scanner.next_head()? {
            if let Some(url) = scanner.page_url(&head)? {
                index.insert(url_key(&url).to_string(), Entry { url, at: head.at });
            }
            scanner.skip_block(&head)?;
        }
        let mut urls: Vec<String> = index.values().map(|e| e.url.clone()).collect();
        urls.sort();
        Ok(WarcArchive {
            path: path.to_path_buf(),
            gzip,
            index,
            urls,
        })
    }

    /// The WARC file this archive reads.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Number of distinct URLs captured.
    pub fn len(&self) -> usize {
        self.index.len()
    }

    /// Whether no page is captured.
    pub fn is_empty(&self) -> bool {
        self.index.is_empty()
    }

    /// The captured URLs as written in the file (angle brackets removed), sorted.
    pub fn urls(&self) -> impl Iterator<Item = &str> {
        self.urls.iter().map(String::as_str)
    }

    /// Whether `url` is captured (matched as by [`WarcArchive::get`]), without reading the file.
    pub fn contains(&self, url: &str) -> bool {
        self.index.contains_key(url_key(url))
    }

    /// Reads the last capture of `url`, matching it also when it differs only by a `#fragment`
    /// or by being written in angle brackets; `Ok(None)` when the archive does not hold it.
    pub fn get(&self, url: &str) -> Result<Option<ArchivedPage>, WarcError> {
        let Some(entry) = self.index.get(url_key(url)) else {
            return Ok(None);
        };
        let io_err = |source| WarcError::Io {
            path: self.path.clone(),
            source,
        };
        let mut file = File::open(&self.path).map_err(io_err)?;
        file.seek(SeekFrom::Start(entry.at.offset))
            .map_err(io_err)?;
        let reader = BufReader::with_capacity(DEFAULT_READ_BUFFER_BYTES, file);
        let mut scanner = read::Scanner::at(&self.path, reader, self.gzip, entry.at)?;
        let head = scanner.next_head()?.ok_or_else(|| WarcError::Truncated {
            path: self.path.clone(),
            at: entry.at,
            detail: "the indexed record is no longer there".to_string(),
        })?;
        match scanner.page_url(&head)? {
            Some(found) if url_key(&found) == url_key(&entry.url) => {
                scanner.read_page(&head, found).map(Some)
            }
            _ => Err(WarcError::Malformed {
                path: self.path.clone(),
                at: entry.at,
                detail: format!(
                    "expected the capture of {} here (has the file changed since it was opened?)",
                    entry.url
                ),
            }),
        }
    }
}

/// Reads every `response` and `resource` record of the WARC file at `path`, in file order
/// (duplicate captures included, so a later one can overwrite an earlier one on import).
pub fn read_all(path: &Path) -> Result<Vec<ArchivedPage>, WarcError> {
    let mut scanner = read::Scanner::open(path)?;
    let mut pages = Vec::new();
    while let Some(head) = scanner.next_head()? {
        match scanner.page_url(&head)? {
            Some(url) => pages.push(scanner.read_page(&head, url)?),
            None => scanner.skip_block(&head)?,
        }
    }
    Ok(pages)
}

/// The lookup key of a URL: surrounding whitespace and angle brackets removed, and the
/// `#fragment` dropped.
fn url_key(url: &str) -> &str {
    let url = strip_brackets(url);
    url.split_once('#').map_or(url, |(base, _)| base)
}

/// `url` with surrounding whitespace and one pair of surrounding angle brackets removed.
fn strip_brackets(url: &str) -> &str {
    let url = url.trim();
    url.strip_prefix('<')
        .and_then(|u| u.strip_suffix('>'))
        .map_or(url, str::trim)
}
