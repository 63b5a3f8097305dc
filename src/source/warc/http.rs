//! The HTTP message inside a WARC `response` record: status line, headers, and the payload
//! de-chunked (`Transfer-Encoding: chunked`) and decoded (`Content-Encoding: gzip`/`deflate`/
//! `br`). Decoding stops at [`Limits::decompressed_bytes`](crate::limits::Limits), so a few
//! kilobytes that expand to gigabytes cost no more than the limit.

use std::io::{self, Read};

use flate2::read::{DeflateDecoder, MultiGzDecoder, ZlibDecoder};

use super::DEFAULT_MAX_HEADER_BYTES;
use crate::limits::Limits;
use crate::source::file::{is_too_large, read_bounded};

/// An HTTP response unwrapped from a record block.
#[derive(Debug)]
pub(super) struct HttpResponse {
    pub(super) status: u16,
    pub(super) headers: Vec<(String, String)>,
    pub(super) body: Vec<u8>,
    /// The payload as transferred (after the header, before any decoding), for
    /// `WARC-Payload-Digest`.
    pub(super) raw_body_start: usize,
    /// The payload with only the transfer coding undone, when there was one.
    pub(super) dechunked: Option<Vec<u8>>,
}

/// Why a response block could not be unwrapped; the caller adds path and position.
#[derive(Debug)]
pub(super) enum HttpError {
    /// The message is not well-formed HTTP.
    Malformed(String),
    /// A content or transfer coding other than gzip, deflate, chunked and identity.
    Unsupported(String),
    /// The body does not decode with the coding it declares.
    Decode { encoding: String, source: io::Error },
    /// The decoded body would be larger than the limit (the message names it).
    TooLarge(String),
}

/// Parses an HTTP response message: status line, headers (LF-only line ends tolerated), body.
pub(super) fn parse_response(block: &[u8]) -> Result<HttpResponse, HttpError> {
    let mut lines = Lines { rest: block };
    let status_line = lines.next_line().unwrap_or_default();
    let status = parse_status(status_line)?;
    let mut headers: Vec<(String, String)> = Vec::new();
    loop {
        let consumed = block.len() - lines.rest.len();
        if consumed > DEFAULT_MAX_HEADER_BYTES {
            return Err(HttpError::Malformed(format!(
                "HTTP header longer than {DEFAULT_MAX_HEADER_BYTES} bytes"
            )));
        }
        // A block that ends inside the header has an empty body.
        let Some(line) = lines.next_line() else { break };
        if line.is_empty() {
            break;
        }
        let text = String::from_utf8_lossy(line);
        if text.starts_with([' ', '\t']) {
            if let Some((_, value)) = headers.last_mut() {
                value.push(' ');
                value.push_str(text.trim());
                continue;
            }
        }
        let Some((name, value)) = text.split_once(':') else {
            return Err(HttpError::Malformed(format!(
                "HTTP header line without a colon: {:?}",
                truncate(&text)
            )));
        };
        headers.push((name.trim().to_string(), value.trim().to_string()));
    }
    let raw_body_start = block.len() - lines.rest.len();
    let mut body = lines.rest.to_vec();
    let transfer = codings(&headers, "Transfer-Encoding");
    for coding in transfer.iter().rev() {
        body = match coding.as_str() {
            "chunked" => dechunk(&body)?,
            other => decode(body, other)?,
        };
    }
    let dechunked = (!transfer.is_empty()).then(|| body.clone());
    for coding in codings(&headers, "Content-Encoding").iter().rev() {
        body = decode(body, coding)?;
    }
    Ok(HttpResponse {
        status,
        headers,
        body,
        raw_body_start,
        dechunked,
    })
}

/// Splits a byte block into lines ending in LF or CRLF.
struct Lines<'a> {
    rest: &'a [u8],
}

impl<'a> Lines<'a> {
    /// The next line without its line end; `None` when no line end is left.
    fn next_line(&mut self) -> Option<&'a [u8]> {
        let i = self.rest.iter().position(|&b| b == b'\n')?;
        let line = &self.rest[..i];
        self.rest = &self.rest[i + 1..];
        Some(line.strip_suffix(b"\r").unwrap_or(line))
    }
}

fn parse_status(line: &[u8]) -> Result<u16, HttpError> {
    let text = String::from_utf8_lossy(line);
    let mut parts = text.split_whitespace();
    let version = parts.next().unwrap_or("");
    let code = parts.next().unwrap_or("");
    match code.parse::<u16>() {
        Ok(status) if version.starts_with("HTTP/") && code.len() == 3 && status >= 100 => {
            Ok(status)
        }
        _ => Err(HttpError::Malformed(format!(
            "response block does not start with an HTTP status line: {:?}",
            truncate(&text)
        ))),
    }
}

fn truncate(text: &str) -> String {
    text.chars().take(60).collect()
}

/// The codings listed in every `name` header, lower-cased, in the order applied.
fn codings(headers: &[(String, String)], name: &str) -> Vec<String> {
    headers
        .iter()
        .filter(|(n, _)| n.eq_ignore_ascii_case(name))
        .flat_map(|(_, v)| v.split(','))
        .map(|c| c.trim().to_ascii_lowercase())
        .filter(|c| !c.is_empty() && c != "identity")
        .collect()
}

/// Undoes one gzip, deflate or brotli coding, producing at most the `decompressed_bytes`
/// limit; any other coding is unsupported.
fn decode(body: Vec<u8>, coding: &str) -> Result<Vec<u8>, HttpError> {
    if body.is_empty() {
        // HEAD-like and 304 responses declare a coding but carry no bytes.
        return Ok(body);
    }
    let limit = Limits::current().decompressed_bytes;
    let bounded = |reader: &mut dyn Read| {
        read_bounded(reader, limit, "the decoded body", "decompressed_bytes")
    };
    let result = match coding {
        "gzip" | "x-gzip" => bounded(&mut MultiGzDecoder::new(&body[..])),
        "br" => bounded(&mut brotli_decompressor::Decompressor::new(&body[..], 4096)),
        "deflate" => {
            // RFC 9110 deflate is zlib-wrapped; some servers send raw deflate.
            bounded(&mut ZlibDecoder::new(&body[..])).or_else(|e| {
                if is_too_large(&e) {
                    Err(e)
                } else {
                    bounded(&mut DeflateDecoder::new(&body[..]))
                }
            })
        }
        other => return Err(HttpError::Unsupported(other.to_string())),
    };
    match result {
        Ok(out) => Ok(out),
        Err(e) if is_too_large(&e) => Err(HttpError::TooLarge(e.to_string())),
        Err(source) => Err(HttpError::Decode {
            encoding: coding.to_string(),
            source,
        }),
    }
}

/// Undoes `Transfer-Encoding: chunked` (extensions and trailers ignored). A body that stops at a
/// chunk boundary without the final zero-size chunk is accepted; one cut inside a chunk is not.
fn dechunk(body: &[u8]) -> Result<Vec<u8>, HttpError> {
    let mut out = Vec::with_capacity(body.len());
    let mut lines = Lines { rest: body };
    loop {
        if lines.rest.iter().all(|b| b.is_ascii_whitespace()) {
            return Ok(out);
        }
        let Some(line) = lines.next_line() else {
            return Err(HttpError::Malformed(
                "chunked body ends inside a chunk size line".to_string(),
            ));
        };
        let text = String::from_utf8_lossy(line);
        let size_text = text.split(';').next().unwrap_or("").trim();
        let size = usize::from_str_radix(size_text, 16).map_err(|_| {
            HttpError::Malformed(format!(
                "bad chunk size {:?} in chunked body",
                truncate(&text)
            ))
        })?;
        if size == 0 {
            return Ok(out);
        }
        if lines.rest.len() < size {
            return Err(HttpError::Malformed(format!(
                "chunked body truncated: a chunk of {size} bytes has only {} left",
                lines.rest.len()
            )));
        }
        out.extend_from_slice(&lines.rest[..size]);
        let after = &lines.rest[size..];
        lines.rest = after
            .strip_prefix(b"\r\n")
            .or_else(|| after.strip_prefix(b"\n"))
            .unwrap_or(after);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::Compression;
    use flate2::write::{GzEncoder, ZlibEncoder};
    use std::io::Write;

    fn gzip(data: &[u8]) -> Vec<u8> {
        let mut enc = GzEncoder::new(Vec::new(), Compression::default());
        enc.write_all(data).unwrap();
        enc.finish().unwrap()
    }

    #[test]
    fn parses_status_headers_and_body() {
        let r = parse_response(
            b"HTTP/1.1 404 Not Found\r\nContent-Type: text/html\r\nX-A: 1\r\n\r\n<p>gone</p>",
        )
        .unwrap();
        assert_eq!(r.status, 404);
        assert_eq!(
            r.headers,
            vec![
                ("Content-Type".to_string(), "text/html".to_string()),
                ("X-A".to_string(), "1".to_string())
            ]
        );
        assert_eq!(r.body, b"<p>gone</p>");
    }

    #[test]
    fn tolerates_lf_only_and_folded_headers() {
        let r = parse_response(b"HTTP/1.0 200 OK\nX-Long: a\n  b\n\nbody\r\n").unwrap();
        assert_eq!(r.status, 200);
        assert_eq!(r.headers, vec![("X-Long".to_string(), "a b".to_string())]);
        assert_eq!(r.body, b"body\r\n");
    }

    #[test]
    fn dechunks_with_extensions_and_trailers() {
        let block = b"HTTP/1.1 200 OK\r\ntransfer-encoding: Chunked\r\n\r\n5;ext=1\r\nhello\r\n7\r\n, world\r\n0\r\nX-Trailer: t\r\n\r\n";
        assert_eq!(parse_response(block).unwrap().body, b"hello, world");
    }

    #[test]
    fn chunked_without_final_chunk_is_accepted_but_cut_chunk_is_not() {
        let ok = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n";
        assert_eq!(parse_response(ok).unwrap().body, b"abc");
        let cut = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10\r\nabc";
        assert!(
            matches!(parse_response(cut), Err(HttpError::Malformed(m)) if m.contains("truncated"))
        );
        let bad = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc";
        assert!(
            matches!(parse_response(bad), Err(HttpError::Malformed(m)) if m.contains("chunk size"))
        );
    }

    #[test]
    fn decodes_gzip_and_deflate_content_encoding() {
        let mut block = b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n\r\n".to_vec();
        block.extend(gzip(b"zipped text"));
        assert_eq!(parse_response(&block).unwrap().body, b"zipped text");

        let mut z = ZlibEncoder::new(Vec::new(), Compression::default());
        z.write_all(b"zlib text").unwrap();
        let mut block = b"HTTP/1.1 200 OK\r\nContent-Encoding: deflate\r\n\r\n".to_vec();
        block.extend(z.finish().unwrap());
        assert_eq!(parse_response(&block).unwrap().body, b"zlib text");

        let mut raw = flate2::write::DeflateEncoder::new(Vec::new(), Compression::default());
        raw.write_all(b"raw deflate").unwrap();
        let mut block = b"HTTP/1.1 200 OK\r\nContent-Encoding: deflate\r\n\r\n".to_vec();
        block.extend(raw.finish().unwrap());
        assert_eq!(parse_response(&block).unwrap().body, b"raw deflate");
    }

    #[test]
    fn chunked_gzip_body_is_dechunked_then_decoded() {
        let zipped = gzip(b"both layers");
        let mut block =
            b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n"
                .to_vec();
        block.extend(format!("{:x}\r\n", zipped.len()).as_bytes());
        block.extend(&zipped);
        block.extend(b"\r\n0\r\n\r\n");
        assert_eq!(parse_response(&block).unwrap().body, b"both layers");
    }

    #[test]
    fn unsupported_and_corrupt_encodings_are_errors() {
        let zstd = b"HTTP/1.1 200 OK\r\nContent-Encoding: zstd\r\n\r\nxyz";
        assert!(matches!(parse_response(zstd), Err(HttpError::Unsupported(e)) if e == "zstd"));
        let bad = b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n\r\nnot gzip at all";
        assert!(
            matches!(parse_response(bad), Err(HttpError::Decode { encoding, .. }) if encoding == "gzip")
        );
        let empty = b"HTTP/1.1 304 Not Modified\r\nContent-Encoding: gzip\r\n\r\n";
        assert_eq!(parse_response(empty).unwrap().body, b"");
    }

    /// Regression: a 4 KB record whose gzip body expands to gigabytes took 4 GB of memory.
    #[test]
    fn a_gzip_or_deflate_bomb_stops_at_the_limit() {
        let limit = Limits::current().decompressed_bytes;
        let mut enc = GzEncoder::new(Vec::new(), Compression::best());
        let zeros = vec![0u8; 1 << 20];
        for _ in 0..(limit >> 20) + 2 {
            enc.write_all(&zeros).unwrap();
        }
        let bomb = enc.finish().unwrap();
        for coding in ["gzip", "x-gzip"] {
            let mut block =
                format!("HTTP/1.1 200 OK\r\nContent-Encoding: {coding}\r\n\r\n").into_bytes();
            block.extend(&bomb);
            match parse_response(&block) {
                Err(HttpError::TooLarge(m)) => assert!(m.contains("decompressed_bytes"), "{m}"),
                other => panic!("expected TooLarge, got {other:?}"),
            }
        }
        let mut z = ZlibEncoder::new(Vec::new(), Compression::best());
        for _ in 0..(limit >> 20) + 2 {
            z.write_all(&zeros).unwrap();
        }
        let mut block = b"HTTP/1.1 200 OK\r\nContent-Encoding: deflate\r\n\r\n".to_vec();
        block.extend(z.finish().unwrap());
        assert!(matches!(
            parse_response(&block),
            Err(HttpError::TooLarge(_))
        ));
    }

    #[test]
    fn decodes_brotli_and_bounds_a_brotli_bomb() {
        let small = brotli_of_repeated(b"hello brotli", 1);
        let mut block = b"HTTP/1.1 200 OK\r\nContent-Encoding: br\r\n\r\n".to_vec();
        block.extend(&small);
        assert_eq!(parse_response(&block).unwrap().body, b"hello brotli");
        let limit = Limits::current().decompressed_bytes as usize;
        let bomb = brotli_of_repeated(b"\0", limit + 1);
        assert!(
            bomb.len() < limit / 100,
            "a real bomb: {} bytes",
            bomb.len()
        );
        let mut block = b"HTTP/1.1 200 OK\r\nContent-Encoding: br\r\n\r\n".to_vec();
        block.extend(&bomb);
        assert!(matches!(
            parse_response(&block),
            Err(HttpError::TooLarge(_))
        ));
    }

    /// A brotli stream of `text` repeated `n` times.
    fn brotli_of_repeated(text: &[u8], n: usize) -> Vec<u8> {
        let mut out = Vec::new();
        {
            let mut w = brotli::CompressorWriter::new(&mut out, 4096, 11, 22);
            for _ in 0..n {
                w.write_all(text).unwrap();
            }
        }
        out
    }

    #[test]
    fn rejects_a_block_without_status_line() {
        assert!(matches!(
            parse_response(b"<html>hi</html>"),
            Err(HttpError::Malformed(_))
        ));
        assert!(matches!(
            parse_response(b"HTTP/1.1 OK\r\n\r\n"),
            Err(HttpError::Malformed(_))
        ));
    }
}
