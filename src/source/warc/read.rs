//! Sequential WARC record reading: plain and gzip input (per record or one stream) with record
//! positions, WARC header parsing, and turning a record's block into an [`ArchivedPage`].

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Seek};
use std::path::{Path, PathBuf};

use flate2::bufread::GzDecoder;
use sha2::{Digest, Sha256};

use super::http::{self, HttpError};
use super::{
    ArchivedPage, DEFAULT_MAX_HEADER_BYTES, DEFAULT_READ_BUFFER_BYTES, Position, WarcError,
    strip_brackets,
};
use crate::limits::Limits;
use crate::source::file::human_bytes;

/// The header of one WARC record, with where the record starts.
#[derive(Debug)]
pub(super) struct Head {
    /// Where the record starts.
    pub(super) at: Position,
    /// The header fields in order, names as written.
    pub(super) fields: Vec<(String, String)>,
    /// The block's length (`Content-Length`).
    pub(super) length: u64,
}

impl Head {
    /// The first field named `name` (case-insensitive).
    pub(super) fn field(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// The read buffer of a scan that reads headers and seeks past blocks: a WARC header and the
/// start of its block fit in it, and a longer header only takes another read.
const HEADS_READ_BUFFER_BYTES: usize = 4 * 1024;

/// Reads WARC records one after the other from a file.
pub(super) struct Scanner {
    path: PathBuf,
    input: Input,
    /// Whether no record has been read yet (a bad start means "not a WARC file").
    first: bool,
}

impl Scanner {
    /// Opens `path` at its start, telling gzip from plain by the magic bytes.
    pub(super) fn open(path: &Path) -> Result<Scanner, WarcError> {
        Scanner::open_buffered(path, DEFAULT_READ_BUFFER_BYTES)
    }

    /// [`Scanner::open`] for reading the headers alone ([`Scanner::skip_block`] after each): an
    /// uncompressed file is read through a buffer of [`HEADS_READ_BUFFER_BYTES`], since each
    /// seek past a block discards the buffer and a full one would be read again for a header of
    /// a few hundred bytes (indexing read a third of a large archive's bytes so). A gzip stream
    /// is read through whole, with the usual buffer.
    pub(super) fn open_for_heads(path: &Path) -> Result<Scanner, WarcError> {
        Scanner::open_buffered(path, HEADS_READ_BUFFER_BYTES)
    }

    fn open_buffered(path: &Path, plain_buffer: usize) -> Result<Scanner, WarcError> {
        let io_err = |source| WarcError::Io {
            path: path.to_path_buf(),
            source,
        };
        let (file, _) = crate::source::file::open_regular(path).map_err(io_err)?;
        let mut reader = BufReader::with_capacity(plain_buffer, file);
        let gzip = reader
            .fill_buf()
            .map_err(io_err)?
            .starts_with(&[0x1f, 0x8b]);
        if gzip && plain_buffer < DEFAULT_READ_BUFFER_BYTES {
            let mut file = reader.into_inner();
            file.rewind().map_err(io_err)?;
            reader = BufReader::with_capacity(DEFAULT_READ_BUFFER_BYTES, file);
        }
        let start = Position {
            offset: 0,
            in_member: gzip.then_some(0),
        };
        let mut scanner = Scanner::at(path, reader, gzip, start)?;
        scanner.first = true;
        Ok(scanner)
    }

    /// Starts reading at `at` from `reader`, which is already positioned at `at.offset`.
    pub(super) fn at(
        path: &Path,
        reader: BufReader<File>,
        gzip: bool,
        at: Position,
    ) -> Result<Scanner, WarcError> {
        let counted = Counted {
            inner: reader,
            pos: at.offset,
        };
        let input = if gzip {
            Input::Gzip(Box::new(GzInput::new(counted)))
        } else {
            Input::Plain(counted)
        };
        let mut scanner = Scanner {
            path: path.to_path_buf(),
            input,
            first: false,
        };
        let skip = at.in_member.unwrap_or(0);
        if skip > 0 {
            let skipped = io::copy(&mut (&mut scanner.input).take(skip), &mut io::sink())
                .map_err(|e| scanner.io_error(at, e, "before the record"))?;
            if skipped < skip {
                return Err(scanner.truncated(at, "the file ends before the record".to_string()));
            }
        }
        Ok(scanner)
    }

    /// Whether the input is gzip-compressed.
    pub(super) fn is_gzip(&self) -> bool {
        matches!(self.input, Input::Gzip(_))
    }

    /// Reads the next record's header; `None` at the end of the file.
    pub(super) fn next_head(&mut self) -> Result<Option<Head>, WarcError> {
        // Records end with CRLF CRLF; tolerate any number of line breaks between records.
        let here = self.input.position();
        loop {
            let buf = match self.input.fill_buf() {
                Ok(buf) => buf,
                Err(e) => return Err(self.io_error(here, e, "between records")),
            };
            if buf.is_empty() {
                if self.first {
                    return Err(self.not_warc(self.input.position(), b""));
                }
                return Ok(None);
            }
            let breaks = buf
                .iter()
                .take_while(|b| matches!(b, b'\r' | b'\n'))
                .count();
            if breaks == 0 {
                break;
            }
            self.input.consume(breaks);
        }
        let at = self.input.position();
        let mut line = Vec::new();
        let mut total = 0;
        let mut end = read_line(&mut self.input, &mut line)
            .map_err(|e| self.io_error(at, e, "in the header"))?;
        if !line.starts_with(b"WARC/") {
            if self.first {
                return Err(self.not_warc(at, &line));
            }
            return Err(self.malformed(
                at,
                format!(
                    "expected a record starting with `WARC/`, found {:?} \
                     (is the previous record's Content-Length wrong?)",
                    preview(&line)
                ),
            ));
        }
        self.first = false;
        let mut fields: Vec<(String, String)> = Vec::new();
        loop {
            total += line.len();
            if total > DEFAULT_MAX_HEADER_BYTES {
                return Err(self.malformed(
                    at,
                    format!("header longer than {DEFAULT_MAX_HEADER_BYTES} bytes"),
                ));
            }
            if end == LineEnd::Eof {
                return Err(self.truncated(at, "the file ends inside the header".to_string()));
            }
            line.clear();
            end = read_line(&mut self.input, &mut line)
                .map_err(|e| self.io_error(at, e, "in the header"))?;
            let text = String::from_utf8_lossy(trim_eol(&line)).into_owned();
            if text.is_empty() {
                if end == LineEnd::Eof {
                    return Err(self.truncated(at, "the file ends inside the header".to_string()));
                }
                break;
            }
            if text.starts_with([' ', '\t']) {
                match fields.last_mut() {
                    Some((_, value)) => {
                        value.push(' ');
                        value.push_str(text.trim());
                        continue;
                    }
                    None => {
                        return Err(
                            self.malformed(at, "header starts with a continuation line".into())
                        );
                    }
                }
            }
            let Some((name, value)) = text.split_once(':') else {
                return Err(self.malformed(
                    at,
                    format!("header line without a colon: {:?}", preview(&line)),
                ));
            };
            fields.push((name.trim().to_string(), value.trim().to_string()));
        }
        let length = fields
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case("Content-Length"))
            .map(|(_, v)| v.as_str());
        let length = match length.map(|v| (v, v.parse::<u64>())) {
            Some((_, Ok(n))) => n,
            Some((v, Err(_))) => return Err(self.bad_length(at, v)),
            None => return Err(self.bad_length(at, "")),
        };
        Ok(Some(Head { at, fields, length }))
    }

    /// The page URL of a `response` or `resource` record (angle brackets removed); `None` for
    /// the record types that are skipped.
    pub(super) fn page_url(&self, head: &Head) -> Result<Option<String>, WarcError> {
        let kind = head.field("WARC-Type").unwrap_or("");
        if !kind.eq_ignore_ascii_case("response") && !kind.eq_ignore_ascii_case("resource") {
            return Ok(None);
        }
        if head.field("WARC-Segment-Number").is_some() {
            return Err(self.malformed(head.at, "segmented records are not supported".into()));
        }
        match head.field("WARC-Target-URI").map(strip_brackets) {
            Some(url) if !url.is_empty() => Ok(Some(url.to_string())),
            _ => Err(self.malformed(head.at, format!("{kind} record without WARC-Target-URI"))),
        }
    }

    /// Skips the block of the record whose header was just read: an uncompressed file seeks
    /// past it (indexing a large archive reads its headers, not its pages), a gzip stream
    /// decompresses through it.
    pub(super) fn skip_block(&mut self, head: &Head) -> Result<(), WarcError> {
        let skipped = match &mut self.input {
            Input::Plain(counted) => counted.skip(head.length),
            input => io::copy(&mut input.take(head.length), &mut io::sink()),
        }
        .map_err(|e| self.io_error(head.at, e, "in the block"))?;
        self.check_length(head, skipped)
    }

    /// Reads the block of the record whose header was just read.
    fn read_block(&mut self, head: &Head) -> Result<Vec<u8>, WarcError> {
        let limit = Limits::current().body_bytes;
        if head.length > limit {
            return Err(WarcError::TooLarge {
                path: self.path.clone(),
                at: head.at,
                detail: format!(
                    "its block of {} bytes is larger than the limit of {} (`body_bytes`)",
                    head.length,
                    human_bytes(limit)
                ),
            });
        }
        // Do not trust a huge Content-Length for the allocation; grow as bytes arrive.
        let capacity = usize::try_from(head.length.min(16 << 20)).unwrap_or(0);
        let mut block = Vec::with_capacity(capacity);
        (&mut self.input)
            .take(head.length)
            .read_to_end(&mut block)
            .map_err(|e| self.io_error(head.at, e, "in the block"))?;
        self.check_length(head, block.len() as u64)?;
        Ok(block)
    }

    /// Reads the block of a `response` or `resource` record and makes it a page.
    pub(super) fn read_page(
        &mut self,
        head: &Head,
        url: String,
    ) -> Result<ArchivedPage, WarcError> {
        let block = self.read_block(head)?;
        let date = head.field("WARC-Date").map(str::to_string);
        let warc_type = head.field("Content-Type").map(str::to_string);
        let is_response = head
            .field("WARC-Type")
            .is_some_and(|k| k.eq_ignore_ascii_case("response"));
        let is_http = match &warc_type {
            Some(ct) => ct
                .trim()
                .to_ascii_lowercase()
                .starts_with("application/http"),
            None => block.starts_with(b"HTTP/"),
        };
        if !(is_response && is_http) {
            self.check_digest(head, "WARC-Block-Digest", &[&block], None)?;
            self.check_digest(head, "WARC-Payload-Digest", &[&block], None)?;
            return Ok(ArchivedPage::resource(url, date, warc_type, block));
        }
        let response = match http::parse_response(&block) {
            Ok(response) => response,
            Err(e) => {
                // A block that is not what it says is reported as such before its HTTP.
                self.check_digest(head, "WARC-Block-Digest", &[&block], None)?;
                return Err(self.http_error(head.at, e));
            }
        };
        // Writers differ on whether the payload is taken before or after de-chunking.
        let raw = &block[response.raw_body_start..];
        let payloads: Vec<&[u8]> = match &response.dechunked {
            Some(dechunked) => vec![raw, dechunked],
            None => vec![raw],
        };
        // The body's SHA-256 names the snapshot; a payload digest over the same bytes reuses it.
        let sha256: [u8; 32] = Sha256::digest(&response.body).into();
        let payload = head
            .field("WARC-Payload-Digest")
            .map(|value| super::digest::verify(value, &payloads, Some((&response.body, &sha256))));
        // A payload digest that matches vouches for the body, which is all a check reads: the
        // block is not hashed again for its digest (it would be a second pass over the same
        // bytes). Otherwise the block digest is checked first, as it always was.
        if payload != Some(super::digest::Outcome::Match) {
            self.check_digest(head, "WARC-Block-Digest", &[&block], None)?;
            if let Some(outcome) = payload {
                self.digest_outcome(head, "WARC-Payload-Digest", outcome)?;
            }
        }
        let content_type = response
            .headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case("Content-Type"))
            .map(|(_, v)| v.clone());
        Ok(ArchivedPage {
            url,
            date,
            status: Some(response.status),
            content_type,
            headers: response.headers,
            body: response.body,
            sha256: Some(super::digest::hex(&sha256)),
        })
    }

    /// Checks the digest in the header field `field`, when present and of a known algorithm,
    /// against the candidates (any may match).
    fn check_digest(
        &self,
        head: &Head,
        field: &str,
        candidates: &[&[u8]],
        known: Option<(&[u8], &[u8; 32])>,
    ) -> Result<(), WarcError> {
        let Some(value) = head.field(field) else {
            return Ok(());
        };
        self.digest_outcome(head, field, super::digest::verify(value, candidates, known))
    }

    /// The error, if any, of the digest check of the header field `field` that had `outcome`.
    fn digest_outcome(
        &self,
        head: &Head,
        field: &str,
        outcome: super::digest::Outcome,
    ) -> Result<(), WarcError> {
        let value = head.field(field).unwrap_or_default();
        match outcome {
            super::digest::Outcome::Match | super::digest::Outcome::Unknown => Ok(()),
            super::digest::Outcome::Mismatch(actual) => Err(WarcError::Digest {
                path: self.path.clone(),
                at: head.at,
                field: field.to_string(),
                detail: format!("the record says {value}, its bytes give {actual}"),
            }),
            super::digest::Outcome::Malformed => Err(WarcError::Digest {
                path: self.path.clone(),
                at: head.at,
                field: field.to_string(),
                detail: format!("cannot read the digest {value:?}"),
            }),
        }
    }

    fn check_length(&self, head: &Head, got: u64) -> Result<(), WarcError> {
        if got < head.length {
            return Err(self.truncated(
                head.at,
                format!("the block has {got} of its {} bytes", head.length),
            ));
        }
        Ok(())
    }

    fn io_error(&self, at: Position, source: io::Error, place: &str) -> WarcError {
        if let Some(offset) = self.input.gzip_fault() {
            WarcError::BadGzip {
                path: self.path.clone(),
                offset,
                source,
            }
        } else if source.kind() == io::ErrorKind::UnexpectedEof {
            self.truncated(at, format!("the file ends {place}"))
        } else {
            WarcError::Io {
                path: self.path.clone(),
                source,
            }
        }
    }

    fn http_error(&self, at: Position, err: HttpError) -> WarcError {
        let path = self.path.clone();
        match err {
            HttpError::Malformed(detail) => WarcError::Malformed { path, at, detail },
            HttpError::Unsupported(encoding) => {
                WarcError::UnsupportedEncoding { path, at, encoding }
            }
            HttpError::Decode { encoding, source } => WarcError::Decode {
                path,
                at,
                encoding,
                source,
            },
            HttpError::TooLarge(detail) => WarcError::TooLarge { path, at, detail },
        }
    }

    fn not_warc(&self, at: Position, found: &[u8]) -> WarcError {
        WarcError::NotWarc {
            path: self.path.clone(),
            at,
            found: preview(found),
        }
    }

    fn truncated(&self, at: Position, detail: String) -> WarcError {
        WarcError::Truncated {
            path: self.path.clone(),
            at,
            detail,
        }
    }

    fn malformed(&self, at: Position, detail: String) -> WarcError {
        WarcError::Malformed {
            path: self.path.clone(),
            at,
            detail,
        }
    }

    fn bad_length(&self, at: Position, value: &str) -> WarcError {
        WarcError::BadContentLength {
            path: self.path.clone(),
            at,
            value: value.to_string(),
        }
    }
}

/// The first bytes of `bytes`, lossily decoded, for error messages.
fn preview(bytes: &[u8]) -> String {
    let bytes = trim_eol(bytes);
    let cut = &bytes[..bytes.len().min(40)];
    String::from_utf8_lossy(cut).into_owned()
}

/// `line` without its trailing LF or CRLF.
fn trim_eol(line: &[u8]) -> &[u8] {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    line.strip_suffix(b"\r").unwrap_or(line)
}

#[derive(Debug, PartialEq, Eq)]
enum LineEnd {
    Newline,
    Eof,
    TooLong,
}

/// Appends one line (with its `\n`) to `line`, stopping past [`DEFAULT_MAX_HEADER_BYTES`].
fn read_line(input: &mut impl BufRead, line: &mut Vec<u8>) -> io::Result<LineEnd> {
    loop {
        let buf = input.fill_buf()?;
        if buf.is_empty() {
            return Ok(LineEnd::Eof);
        }
        let (take, done) = match buf.iter().position(|&b| b == b'\n') {
            Some(i) => (i + 1, true),
            None => (buf.len(), false),
        };
        line.extend_from_slice(&buf[..take]);
        input.consume(take);
        if done {
            return Ok(LineEnd::Newline);
        }
        if line.len() > DEFAULT_MAX_HEADER_BYTES {
            return Ok(LineEnd::TooLong);
        }
    }
}

/// The input of a [`Scanner`]: plain bytes or concatenated gzip members.
enum Input {
    Plain(Counted<BufReader<File>>),
    Gzip(Box<GzInput<BufReader<File>>>),
}

impl Input {
    /// Where the next byte to be consumed is.
    fn position(&self) -> Position {
        match self {
            Input::Plain(c) => Position {
                offset: c.pos,
                in_member: None,
            },
            Input::Gzip(g) => g.position(),
        }
    }

    /// The offset of the gzip member that failed to decompress, if one did.
    fn gzip_fault(&self) -> Option<u64> {
        match self {
            Input::Plain(_) => None,
            Input::Gzip(g) => g.fault,
        }
    }
}

impl Read for Input {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        match self {
            // A large read of a plain file goes straight into `out`, not through the buffer.
            Input::Plain(c) => c.read(out),
            Input::Gzip(g) => read_via_buf(g.as_mut(), out),
        }
    }
}

impl BufRead for Input {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        match self {
            Input::Plain(c) => c.fill_buf(),
            Input::Gzip(g) => g.fill_buf(),
        }
    }

    fn consume(&mut self, n: usize) {
        match self {
            Input::Plain(c) => c.consume(n),
            Input::Gzip(g) => g.consume(n),
        }
    }
}

/// `Read::read` through `fill_buf` and `consume`, so that positions stay exact.
fn read_via_buf(r: &mut impl BufRead, out: &mut [u8]) -> io::Result<usize> {
    let buf = r.fill_buf()?;
    let n = buf.len().min(out.len());
    out[..n].copy_from_slice(&buf[..n]);
    r.consume(n);
    Ok(n)
}

/// A buffered reader that counts the bytes consumed, i.e. knows its offset in the file.
struct Counted<R> {
    inner: R,
    pos: u64,
}

impl Counted<BufReader<File>> {
    /// Moves `n` bytes on, seeking past what is not buffered, but never past the end of the
    /// file: the bytes skipped, fewer than `n` when the file ends first.
    fn skip(&mut self, n: u64) -> io::Result<u64> {
        let buffered = self.inner.buffer().len();
        if let Ok(small) = usize::try_from(n)
            && small <= buffered
        {
            self.consume(small);
            return Ok(n);
        }
        let left = self
            .inner
            .get_ref()
            .metadata()?
            .len()
            .saturating_sub(self.pos);
        let n = n.min(left);
        let offset = i64::try_from(n).map_err(io::Error::other)?;
        self.inner.seek_relative(offset)?;
        self.pos += n;
        Ok(n)
    }
}

impl<R: BufRead> Read for Counted<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        // The inner reader's own `read`: what it returns is consumed, so the count stays exact
        // (`BufReader` reads a large request straight from the file once its buffer is empty).
        let n = self.inner.read(out)?;
        self.pos += n as u64;
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Counted<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        self.inner.fill_buf()
    }

    fn consume(&mut self, n: usize) {
        self.pos += n as u64;
        self.inner.consume(n);
    }
}

/// Decompresses concatenated gzip members, one at a time, knowing which member (by file
/// offset) the next byte comes from and how far into that member's data it is. Its buffer never
/// spans two members.
struct GzInput<R> {
    state: Option<GzState<R>>,
    buf: Box<[u8]>,
    start: usize,
    end: usize,
    /// File offset of the current member, or of the next one between members.
    member: u64,
    /// Decompressed bytes of the current member before `buf[0]`.
    produced: u64,
    /// File offset of the member that failed to decompress.
    fault: Option<u64>,
}

enum GzState<R> {
    Between(Counted<R>),
    Member(GzDecoder<Counted<R>>),
}

impl<R: BufRead> GzInput<R> {
    fn new(reader: Counted<R>) -> GzInput<R> {
        GzInput {
            member: reader.pos,
            state: Some(GzState::Between(reader)),
            buf: vec![0; DEFAULT_READ_BUFFER_BYTES].into_boxed_slice(),
            start: 0,
            end: 0,
            produced: 0,
            fault: None,
        }
    }

    fn position(&self) -> Position {
        Position {
            offset: self.member,
            in_member: Some(self.produced + self.start as u64),
        }
    }
}

impl<R: BufRead> Read for GzInput<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        read_via_buf(self, out)
    }
}

impl<R: BufRead> BufRead for GzInput<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.start < self.end {
            return Ok(&self.buf[self.start..self.end]);
        }
        self.produced += self.end as u64;
        self.start = 0;
        self.end = 0;
        loop {
            match self.state.take() {
                Some(GzState::Member(mut decoder)) => match decoder.read(&mut self.buf) {
                    Ok(0) => {
                        let reader = decoder.into_inner();
                        self.member = reader.pos;
                        self.produced = 0;
                        self.state = Some(GzState::Between(reader));
                    }
                    Ok(n) => {
                        self.state = Some(GzState::Member(decoder));
                        self.end = n;
                        return Ok(&self.buf[..n]);
                    }
                    Err(e) => {
                        self.state = Some(GzState::Member(decoder));
                        self.fault = Some(self.member);
                        return Err(e);
                    }
                },
                Some(GzState::Between(mut reader)) => {
                    let at_end = match reader.fill_buf() {
                        Ok(buf) => buf.is_empty(),
                        Err(e) => {
                            self.state = Some(GzState::Between(reader));
                            return Err(e);
                        }
                    };
                    if at_end {
                        self.state = Some(GzState::Between(reader));
                        return Ok(&[]);
                    }
                    self.member = reader.pos;
                    self.produced = 0;
                    self.state = Some(GzState::Member(GzDecoder::new(reader)));
                }
                None => return Err(io::Error::other("gzip input used after a failure")),
            }
        }
    }

    fn consume(&mut self, n: usize) {
        self.start = (self.start + n).min(self.end);
    }
}
