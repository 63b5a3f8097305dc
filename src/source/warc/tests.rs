//! Tests of the WARC module over whole files: every record form, errors with offsets,
//! write/read round trips, and the DeepSeek R1 sources archive.

use super::*;
use flate2::Compression;
use flate2::write::GzEncoder;
use std::io::Write;

/// One raw record: `version` line, `fields` (name, value), then the block, with line end `eol`.
fn record(version: &str, fields: &[(&str, &str)], block: &[u8], eol: &str) -> Vec<u8> {
    let mut out = format!("{version}{eol}").into_bytes();
    for (name, value) in fields {
        out.extend(format!("{name}: {value}{eol}").as_bytes());
    }
    out.extend(format!("Content-Length: {}{eol}{eol}", block.len()).as_bytes());
    out.extend(block);
    out.extend(format!("{eol}{eol}").as_bytes());
    out
}

fn resource(url: &str, content_type: &str, body: &[u8]) -> Vec<u8> {
    let fields = [
        ("WARC-Type", "resource"),
        ("WARC-Target-URI", url),
        ("WARC-Date", "2025-01-02T03:04:05Z"),
        ("Content-Type", content_type),
    ];
    record("WARC/1.1", &fields, body, "\r\n")
}

fn response(url: &str, http: &[u8]) -> Vec<u8> {
    let fields = [
        ("WARC-Type", "response"),
        ("WARC-Target-URI", url),
        ("WARC-Date", "2025-01-02T03:04:05Z"),
        ("Content-Type", "application/http; msgtype=response"),
    ];
    record("WARC/1.1", &fields, http, "\r\n")
}

fn other(kind: &str, url: &str, block: &[u8]) -> Vec<u8> {
    let fields = [("WARC-Type", kind), ("WARC-Target-URI", url)];
    record("WARC/1.1", &fields, block, "\r\n")
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut enc = GzEncoder::new(Vec::new(), Compression::default());
    enc.write_all(data).unwrap();
    enc.finish().unwrap()
}

/// Concatenates records, each as its own gzip member.
fn gzip_each(records: &[Vec<u8>]) -> Vec<u8> {
    records.iter().flat_map(|r| gzip(r)).collect()
}

fn write_file(bytes: &[u8]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("test.warc");
    std::fs::write(&path, bytes).unwrap();
    (dir, path)
}

fn sample_records() -> Vec<Vec<u8>> {
    let chunked_gzip = {
        let zipped = gzip(b"<html>hello</html>");
        let mut http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\
            Content-Encoding: gzip\r\nTransfer-Encoding: chunked\r\nETag: \"abc\"\r\n\r\n"
            .to_vec();
        http.extend(format!("{:x}\r\n", zipped.len()).as_bytes());
        http.extend(&zipped);
        http.extend(b"\r\n0\r\n\r\n");
        http
    };
    vec![
        other("warcinfo", "", b"software: test\r\n"),
        other(
            "request",
            "https://e.org/page",
            b"GET /page HTTP/1.1\r\n\r\n",
        ),
        response("https://e.org/page", &chunked_gzip),
        other("metadata", "https://e.org/page", b"outlinks: none\r\n"),
        other(
            "revisit",
            "https://e.org/old",
            b"HTTP/1.1 304 Not Modified\r\n\r\n",
        ),
        resource(
            "https://e.org/data.csv",
            "text/csv",
            b"Date,Close\n2025-01-27,118.42\n",
        ),
    ]
}

fn check_sample(archive: &WarcArchive) {
    assert_eq!(archive.len(), 2);
    assert_eq!(
        archive.urls().collect::<Vec<_>>(),
        ["https://e.org/data.csv", "https://e.org/page"]
    );
    let page = archive.get("https://e.org/page").unwrap().unwrap();
    assert_eq!(page.status, Some(200));
    assert_eq!(
        page.content_type.as_deref(),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(page.header("etag"), Some("\"abc\""));
    assert_eq!(page.body, b"<html>hello</html>");
    assert_eq!(page.date.as_deref(), Some("2025-01-02T03:04:05Z"));
    let csv = archive.get("https://e.org/data.csv").unwrap().unwrap();
    assert_eq!(csv.status, None);
    assert!(csv.headers.is_empty());
    assert_eq!(csv.content_type.as_deref(), Some("text/csv"));
    assert_eq!(csv.body, b"Date,Close\n2025-01-27,118.42\n");
    assert_eq!(archive.get("https://e.org/old").unwrap(), None);
    assert_eq!(archive.get("https://e.org/missing").unwrap(), None);
    assert!(!archive.contains("https://e.org/missing"));
    assert!(archive.contains("https://e.org/page#section"));
}

#[test]
fn plain_file_with_response_and_resource() {
    let (_dir, path) = write_file(&sample_records().concat());
    let archive = WarcArchive::open(&path).unwrap();
    assert_eq!(archive.path(), path);
    check_sample(&archive);
}

#[test]
fn headers_longer_than_the_index_read_buffer_are_read_whole() {
    // The index reads headers through a small buffer: a header several buffers long, between
    // records with blocks to seek past, is read across refills.
    let long = format!("https://e.org/{}", "q".repeat(20_000));
    let mut records = sample_records();
    let http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<html>long</html>";
    records.insert(1, response(&long, http));
    let (_dir, path) = write_file(&records.concat());
    let archive = WarcArchive::open(&path).unwrap();
    assert_eq!(archive.len(), 3);
    let page = archive.get(&long).unwrap().unwrap();
    assert_eq!(page.body, b"<html>long</html>");
    let csv = archive.get("https://e.org/data.csv").unwrap().unwrap();
    assert_eq!(csv.body, b"Date,Close\n2025-01-27,118.42\n");
}

#[test]
fn gzip_per_record_indexes_member_offsets() {
    let records = sample_records();
    let bytes = gzip_each(&records);
    let (_dir, path) = write_file(&bytes);
    let archive = WarcArchive::open(&path).unwrap();
    check_sample(&archive);
    let csv_member: usize = records[..5].iter().map(|r| gzip(r).len()).sum();
    let entry = &archive.index["https://e.org/data.csv"];
    assert_eq!(
        entry.at,
        Position {
            offset: csv_member as u64,
            in_member: Some(0)
        }
    );
}

#[test]
fn whole_file_as_one_gzip_stream() {
    let (_dir, path) = write_file(&gzip(&sample_records().concat()));
    let archive = WarcArchive::open(&path).unwrap();
    check_sample(&archive);
    assert_eq!(archive.index["https://e.org/data.csv"].at.offset, 0);
    assert!(archive.index["https://e.org/data.csv"].at.in_member > Some(0));
}

#[test]
fn warc_1_0_angle_brackets_and_fragments_match() {
    let fields = [
        ("WARC-Type", "resource"),
        ("WARC-Target-URI", "<http://example.com/doc#top>"),
        ("Content-Type", "text/plain"),
    ];
    let (_dir, path) = write_file(&record("WARC/1.0", &fields, b"old style", "\r\n"));
    let archive = WarcArchive::open(&path).unwrap();
    assert_eq!(
        archive.urls().collect::<Vec<_>>(),
        ["http://example.com/doc#top"]
    );
    for query in [
        "http://example.com/doc",
        "http://example.com/doc#top",
        "http://example.com/doc#other",
        "<http://example.com/doc>",
    ] {
        let page = archive
            .get(query)
            .unwrap()
            .unwrap_or_else(|| panic!("{query} not found"));
        assert_eq!(page.url, "http://example.com/doc#top");
        assert_eq!(page.body, b"old style");
        assert_eq!(page.date, None);
    }
}

#[test]
fn lf_only_and_case_insensitive_headers() {
    let http =
        b"HTTP/1.0 301 Moved\nlocation: https://e.org/new\ncontent-type: text/plain\n\nmoved";
    let fields = [
        ("warc-type", "Response"),
        ("warc-target-uri", "https://e.org/lf"),
        ("content-type", "application/http;msgtype=response"),
    ];
    let mut bytes = record("WARC/1.0", &fields, http, "\n");
    bytes.extend(resource("https://e.org/after", "text/plain", b"next"));
    let (_dir, path) = write_file(&bytes);
    let archive = WarcArchive::open(&path).unwrap();
    let page = archive.get("https://e.org/lf").unwrap().unwrap();
    assert_eq!(page.status, Some(301));
    assert_eq!(page.header("Location"), Some("https://e.org/new"));
    assert_eq!(page.content_type.as_deref(), Some("text/plain"));
    assert_eq!(page.body, b"moved");
    assert_eq!(
        archive.get("https://e.org/after").unwrap().unwrap().body,
        b"next"
    );
}

#[test]
fn duplicate_url_last_capture_wins() {
    let records = [
        resource("https://e.org/x", "text/plain", b"first"),
        resource("https://e.org/y", "text/plain", b"other"),
        resource("https://e.org/x#again", "text/plain", b"second"),
    ];
    for bytes in [records.concat(), gzip_each(&records)] {
        let (_dir, path) = write_file(&bytes);
        let archive = WarcArchive::open(&path).unwrap();
        assert_eq!(archive.len(), 2);
        assert_eq!(
            archive.get("https://e.org/x").unwrap().unwrap().body,
            b"second"
        );
        let all = read_all(&path).unwrap();
        let bodies: Vec<&[u8]> = all.iter().map(|p| &p.body[..]).collect();
        assert_eq!(bodies, [&b"first"[..], b"other", b"second"]);
    }
}

#[test]
fn truncated_record_names_its_offset() {
    let good = resource("https://e.org/a", "text/plain", b"complete");
    let mut cut = resource(
        "https://e.org/b",
        "text/plain",
        b"this body will be cut short",
    );
    cut.truncate(cut.len() - 15);
    let (_dir, path) = write_file(&[good.clone(), cut].concat());
    let err = WarcArchive::open(&path).unwrap_err();
    assert!(
        matches!(&err, WarcError::Truncated { at, .. } if at.offset == good.len() as u64),
        "{err}"
    );
    let message = err.to_string();
    assert!(
        message.contains(&format!("offset {}", good.len())),
        "{message}"
    );
    assert!(message.contains("truncated record"), "{message}");
    assert!(message.contains("test.warc"), "{message}");

    let mut header_cut = resource("https://e.org/c", "text/plain", b"x");
    header_cut.truncate(30);
    let (_dir, path) = write_file(&[good.clone(), header_cut].concat());
    assert!(matches!(
        WarcArchive::open(&path),
        Err(WarcError::Truncated { .. })
    ));
}

#[test]
fn truncated_gzip_member_is_a_bad_gzip_error() {
    let first = gzip(&resource("https://e.org/a", "text/plain", b"fine"));
    let mut second = gzip(&resource("https://e.org/b", "text/plain", &[b'z'; 5000]));
    second.truncate(second.len() / 2);
    let (_dir, path) = write_file(&[first.clone(), second].concat());
    let err = WarcArchive::open(&path).unwrap_err();
    assert!(
        matches!(&err, WarcError::BadGzip { offset, .. } if *offset == first.len() as u64),
        "{err:?}"
    );
}

#[test]
fn garbage_is_not_a_warc_file() {
    for bytes in [&b"<html>not a warc</html>"[..], b"", &gzip(b"hello, gzip")] {
        let (_dir, path) = write_file(bytes);
        let err = WarcArchive::open(&path).unwrap_err();
        assert!(matches!(err, WarcError::NotWarc { .. }), "{err:?}");
        assert!(err.to_string().contains("not a WARC file"), "{err}");
    }
}

#[test]
fn garbage_after_good_records_fails_with_its_offset() {
    let good = [
        resource("https://e.org/a", "text/plain", b"aaa"),
        resource("https://e.org/b", "text/plain", b"bbb"),
    ];
    let plain = good.concat();
    let (_dir, path) = write_file(&[&plain[..], b"GARBAGE here\r\n\r\n"].concat());
    let err = WarcArchive::open(&path).unwrap_err();
    assert!(
        matches!(&err, WarcError::Malformed { at, .. } if at.offset == plain.len() as u64),
        "{err:?}"
    );
    assert!(read_all(&path).is_err());

    let zipped = gzip_each(&good);
    let (_dir, path) = write_file(&[&zipped[..], b"trailing junk"].concat());
    let err = WarcArchive::open(&path).unwrap_err();
    assert!(
        matches!(&err, WarcError::BadGzip { offset, .. } if *offset == zipped.len() as u64),
        "{err:?}"
    );
}

#[test]
fn content_length_errors() {
    let bad = b"WARC/1.1\r\nWARC-Type: resource\r\nWARC-Target-URI: https://e.org/\r\nContent-Length: 12x\r\n\r\n12x\r\n\r\n";
    let (_dir, path) = write_file(bad);
    let err = WarcArchive::open(&path).unwrap_err();
    assert!(
        matches!(&err, WarcError::BadContentLength { value, .. } if value == "12x"),
        "{err:?}"
    );

    let missing =
        b"WARC/1.1\r\nWARC-Type: resource\r\nWARC-Target-URI: https://e.org/\r\n\r\nbody\r\n\r\n";
    let (_dir, path) = write_file(missing);
    assert!(matches!(
        WarcArchive::open(&path),
        Err(WarcError::BadContentLength { .. })
    ));

    // A Content-Length that is too small leaves bytes where the next record should start.
    let short = b"WARC/1.1\r\nWARC-Type: resource\r\nWARC-Target-URI: https://e.org/\r\nContent-Length: 2\r\n\r\nbody\r\n\r\n";
    let (_dir, path) = write_file(short);
    let err = WarcArchive::open(&path).unwrap_err();
    assert!(err.to_string().contains("Content-Length wrong"), "{err}");
}

#[test]
fn unsupported_content_encoding_fails_on_get_naming_it() {
    let http = b"HTTP/1.1 200 OK\r\nContent-Encoding: zstd\r\n\r\n\x28\xb5\x2f\xfd";
    let (_dir, path) = write_file(&response("https://e.org/z", http));
    let archive = WarcArchive::open(&path).unwrap();
    let err = archive.get("https://e.org/z").unwrap_err();
    assert!(matches!(&err, WarcError::UnsupportedEncoding { encoding, .. } if encoding == "zstd"));
    assert!(err.to_string().contains("`zstd`"), "{err}");
    // Brotli is decoded.
    let mut http = b"HTTP/1.1 200 OK\r\nContent-Encoding: br\r\n\r\n".to_vec();
    {
        let mut w = brotli::CompressorWriter::new(&mut http, 4096, 5, 22);
        w.write_all(b"hi").unwrap();
    }
    let (_dir, path) = write_file(&response("https://e.org/br", &http));
    let page = WarcArchive::open(&path)
        .unwrap()
        .get("https://e.org/br")
        .unwrap();
    assert_eq!(page.unwrap().body, b"hi");
}

/// A record with extra WARC fields (digests), as crawlers write them.
fn response_with(url: &str, http: &[u8], extra: &[(&str, &str)]) -> Vec<u8> {
    let mut fields = vec![
        ("WARC-Type", "response"),
        ("WARC-Target-URI", url),
        ("Content-Type", "application/http; msgtype=response"),
    ];
    fields.extend_from_slice(extra);
    record("WARC/1.1", &fields, http, "\r\n")
}

/// Regression: a 4 KB archive whose response is a gzip bomb took 4 GB of memory in `check`.
#[test]
fn a_gzip_bomb_record_is_refused_at_the_limit_and_the_source_is_unavailable() {
    let limit = crate::limits::Limits::current().decompressed_bytes as usize;
    let mut enc = GzEncoder::new(Vec::new(), Compression::best());
    let zeros = vec![0u8; 1 << 20];
    for _ in 0..limit / zeros.len() + 4 {
        enc.write_all(&zeros).unwrap();
    }
    let mut http =
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\n\r\n".to_vec();
    http.extend(enc.finish().unwrap());
    assert!(http.len() < 100 * 1024, "a small file: {}", http.len());
    let mut file = response("https://e.org/bomb", &http);
    file.extend(resource("https://e.org/ok", "text/plain", b"fine"));
    let (dir, path) = write_file(&file);
    let archive = WarcArchive::open(&path).unwrap();
    let err = archive.get("https://e.org/bomb").unwrap_err();
    assert!(matches!(err, WarcError::TooLarge { .. }), "{err:?}");
    assert!(err.to_string().contains("decompressed_bytes"), "{err}");
    assert!(read_all(&path).is_err(), "an import refuses it");

    let opts = crate::source::SourceOptions {
        cache_dir: dir.path().join("cache"),
        archives: vec![path.clone()],
        offline: true,
        ..crate::source::SourceOptions::default()
    };
    let sources = crate::source::Sources::open(&opts).unwrap();
    match sources.get("https://e.org/bomb") {
        Err(crate::source::Obtain::Unavailable(reason)) => {
            assert!(reason.contains("decompressed_bytes"), "{reason}")
        }
        other => panic!(
            "expected unavailable, got {:?}",
            other.map(|s| s.body.len())
        ),
    }
    assert_eq!(sources.get("https://e.org/ok").unwrap().body, b"fine");
}

#[test]
fn a_block_larger_than_body_bytes_is_refused_without_reading_it() {
    let limit = crate::limits::Limits::current().body_bytes;
    let mut file = format!(
        "WARC/1.1\r\nWARC-Type: resource\r\nWARC-Target-URI: https://e.org/big\r\n\
         Content-Length: {}\r\n\r\n",
        limit + 1
    )
    .into_bytes();
    file.extend(b"only a few bytes");
    let (_dir, path) = write_file(&file);
    let err = read_all(&path).unwrap_err();
    assert!(err.to_string().contains("`body_bytes`"), "{err}");
}

/// Regression: a tampered archive flipped a disputed claim, and its import verified clean.
#[test]
fn block_and_payload_digests_are_verified() {
    let body = b"<p>The model is licensed under MIT.</p>";
    let mut http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n".to_vec();
    http.extend(body);
    let block_digest = super::digest::sha1_base32(&http);
    let payload_digest = super::digest::sha1_base32(body);
    let sha256_payload = format!("sha256:{}", crate::source::cache::sha256_hex(body));
    let good = response_with(
        "https://e.org/d",
        &http,
        &[
            ("WARC-Block-Digest", &block_digest),
            ("WARC-Payload-Digest", &payload_digest),
        ],
    );
    let (_dir, path) = write_file(&good);
    assert_eq!(read_all(&path).unwrap()[0].body, body);
    let good256 = response_with(
        "https://e.org/d",
        &http,
        &[("WARC-Payload-Digest", &sha256_payload)],
    );
    let (_dir, path) = write_file(&good256);
    assert_eq!(read_all(&path).unwrap()[0].body, body);

    // The same record with "MIT" changed to "GPL": same length, digests no longer match.
    let tampered: Vec<u8> = String::from_utf8(good.clone())
        .unwrap()
        .replace("MIT", "GPL")
        .into_bytes();
    let (_dir, path) = write_file(&tampered);
    let err = read_all(&path).unwrap_err();
    assert!(matches!(err, WarcError::Digest { .. }), "{err:?}");
    assert!(
        err.to_string().contains("WARC-Block-Digest does not match"),
        "{err}"
    );
    let archive = WarcArchive::open(&path).unwrap();
    assert!(archive.get("https://e.org/d").is_err());

    // Only the payload digest, on a resource record.
    let fields = [
        ("WARC-Type", "resource"),
        ("WARC-Target-URI", "https://e.org/r"),
        ("WARC-Payload-Digest", payload_digest.as_str()),
    ];
    let (_dir, path) = write_file(&record("WARC/1.1", &fields, b"something else", "\r\n"));
    let err = read_all(&path).unwrap_err();
    assert!(err.to_string().contains("WARC-Payload-Digest"), "{err}");

    // A chunked payload digested before de-chunking (as warcio does) verifies too.
    let chunked = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n";
    let raw_payload = super::digest::sha1_base32(b"3\r\nabc\r\n0\r\n\r\n");
    let (_dir, path) = write_file(&response_with(
        "https://e.org/c",
        chunked,
        &[("WARC-Payload-Digest", &raw_payload)],
    ));
    assert_eq!(read_all(&path).unwrap()[0].body, b"abc");
    let dechunked_payload = super::digest::sha1_base32(b"abc");
    let (_dir, path) = write_file(&response_with(
        "https://e.org/c",
        chunked,
        &[("WARC-Payload-Digest", &dechunked_payload)],
    ));
    assert_eq!(read_all(&path).unwrap()[0].body, b"abc");
}

/// The body is hashed once: a payload digest that matches vouches for it, and the block is not
/// hashed again for its digest, so a change to the HTTP head alone goes unseen then (FORMAT.md
/// says so). Without a payload digest, the block digest still catches it.
#[test]
fn a_matching_payload_digest_spares_the_block_digest() {
    let body = b"<p>The model is licensed under MIT.</p>";
    let mut http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n".to_vec();
    http.extend(body);
    let block_digest = super::digest::sha1_base32(&http);
    let payload_digest = format!("sha256:{}", crate::source::cache::sha256_hex(body));
    let head_changed: Vec<u8> = String::from_utf8(http.clone())
        .unwrap()
        .replace("200 OK", "200 Ok")
        .into_bytes();
    let both = [
        ("WARC-Block-Digest", block_digest.as_str()),
        ("WARC-Payload-Digest", payload_digest.as_str()),
    ];
    let (_dir, path) = write_file(&response_with("https://e.org/d", &head_changed, &both));
    assert_eq!(read_all(&path).unwrap()[0].body, body);
    let (_dir, path) = write_file(&response_with("https://e.org/d", &head_changed, &both[..1]));
    let err = read_all(&path).unwrap_err();
    assert!(err.to_string().contains("WARC-Block-Digest"), "{err}");
    // A payload digest that does not match: the block digest is checked first, as before.
    let wrong = format!("sha256:{}", crate::source::cache::sha256_hex(b"other"));
    let (_dir, path) = write_file(&response_with(
        "https://e.org/d",
        &head_changed,
        &[both[0], ("WARC-Payload-Digest", &wrong)],
    ));
    let err = read_all(&path).unwrap_err();
    assert!(err.to_string().contains("WARC-Block-Digest"), "{err}");
    let (_dir, path) = write_file(&response_with(
        "https://e.org/d",
        &http,
        &[both[0], ("WARC-Payload-Digest", &wrong)],
    ));
    let err = read_all(&path).unwrap_err();
    assert!(err.to_string().contains("WARC-Payload-Digest"), "{err}");
}

/// An uncompressed archive is indexed by seeking past each block: every record is found, and a
/// block cut short by the end of the file is still a truncated record.
#[test]
fn indexing_a_plain_archive_seeks_past_large_blocks() {
    let big = vec![b'x'; 3 * DEFAULT_READ_BUFFER_BYTES + 17];
    let records = [
        resource("https://e.org/big", "text/plain", &big),
        resource("https://e.org/small", "text/plain", b"small"),
        resource("https://e.org/big2", "text/plain", &big),
    ];
    let (_dir, path) = write_file(&records.concat());
    let archive = WarcArchive::open(&path).unwrap();
    assert_eq!(archive.len(), 3);
    assert_eq!(
        archive.get("https://e.org/small").unwrap().unwrap().body,
        b"small"
    );
    assert_eq!(
        archive.get("https://e.org/big2").unwrap().unwrap().body,
        big
    );
    let mut cut = records.concat();
    cut.truncate(cut.len() - DEFAULT_READ_BUFFER_BYTES);
    let (_dir, path) = write_file(&cut);
    let err = WarcArchive::open(&path).unwrap_err();
    let start = (records[0].len() + records[1].len()) as u64;
    assert!(
        matches!(&err, WarcError::Truncated { at, .. } if at.offset == start),
        "{err}"
    );
}

#[cfg(unix)]
#[test]
fn an_archive_that_is_not_a_regular_file_is_refused_saying_what_it_is() {
    let dir = tempfile::tempdir().unwrap();
    let err = WarcArchive::open(dir.path()).unwrap_err();
    let chain = crate::run::error_chain(&err);
    assert!(
        chain.contains("it is a directory, not a regular file"),
        "{chain}"
    );
    let err = WarcArchive::open(Path::new("/dev/zero")).unwrap_err();
    assert!(crate::run::error_chain(&err).contains("a character device"));
    let fifo = dir.path().join("fifo.warc");
    rustix::fs::mkfifoat(
        rustix::fs::CWD,
        &fifo,
        rustix::fs::Mode::from_raw_mode(0o600),
    )
    .unwrap();
    let err = WarcArchive::open(&fifo).unwrap_err();
    assert!(crate::run::error_chain(&err).contains("FIFO"));
}

mod fuzz {
    use super::*;
    use proptest::prelude::*;

    /// Reads a file both ways; whatever the bytes, an error or pages, never a panic, and no
    /// page larger than the limits.
    fn read_both(bytes: &[u8]) {
        let (_dir, path) = write_file(bytes);
        let limits = crate::limits::Limits::current();
        if let Ok(pages) = read_all(&path) {
            for page in pages {
                assert!(page.body.len() as u64 <= limits.body_bytes.max(limits.decompressed_bytes));
            }
        }
        if let Ok(archive) = WarcArchive::open(&path) {
            let urls: Vec<String> = archive.urls().map(str::to_string).collect();
            for url in urls {
                let _ = archive.get(&url);
            }
        }
    }

    fn sample_file() -> Vec<u8> {
        let mut http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n".to_vec();
        let zipped = gzip(b"<p>hello</p>");
        http.extend(format!("{:x}\r\n", zipped.len()).as_bytes());
        http.extend(&zipped);
        http.extend(b"\r\n0\r\n\r\n");
        let digest = super::super::digest::sha1_base32(&http);
        let mut file = other("warcinfo", "", b"software: test\r\n");
        file.extend(response_with(
            "https://e.org/a",
            &http,
            &[("WARC-Block-Digest", &digest)],
        ));
        file.extend(resource("https://e.org/b", "text/plain", b"plain body"));
        file
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..1024)) {
            read_both(&bytes);
            let mut warc = b"WARC/1.1\r\n".to_vec();
            warc.extend(&bytes);
            read_both(&warc);
        }

        #[test]
        fn mutated_records_never_panic(
            edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0u8..3), 1..8),
            gz in any::<bool>(),
        ) {
            let mut file = sample_file();
            for (at, byte, op) in edits {
                if file.is_empty() {
                    break;
                }
                let i = at.index(file.len());
                match op {
                    0 => file[i] = byte,
                    1 => { file.remove(i); }
                    _ => file.insert(i, byte),
                }
            }
            if gz {
                file = gzip(&file);
            }
            read_both(&file);
        }
    }
}

#[test]
fn round_trip_gzip_and_plain_response_and_resource() {
    let pages = vec![
        ArchivedPage::http(
            "https://e.org/page",
            Some("2025-01-02T03:04:05Z".into()),
            200,
            Some("text/html; charset=utf-8".into()),
            Some("\"etag-1\"".into()),
            Some("Mon, 27 Jan 2025 10:00:00 GMT".into()),
            "<p>ünïcode & bytes\r\n\r\nafter a blank line</p>"
                .as_bytes()
                .to_vec(),
        ),
        ArchivedPage::http(
            "https://e.org/gone",
            None,
            404,
            None,
            None,
            None,
            Vec::new(),
        ),
        ArchivedPage::resource(
            "https://e.org/file.pdf",
            Some("2024-12-26T00:00:00Z".into()),
            Some("application/octet-stream".into()),
            (0..=255u8).cycle().take(70_000).collect(),
        ),
        ArchivedPage::resource("https://e.org/empty", None, None, Vec::new()),
    ];
    for gzip in [true, false] {
        let write = || {
            let mut w =
                WarcWriter::new(Vec::new(), "0.1.0", gzip).with_date("2025-06-01T00:00:00Z");
            for page in &pages {
                w.write_page(page).unwrap();
            }
            w.finish().unwrap()
        };
        let bytes = write();
        assert_eq!(bytes, write(), "exports are reproducible");
        assert_eq!(bytes.starts_with(&[0x1f, 0x8b]), gzip);
        let (_dir, path) = write_file(&bytes);
        let mut expected = pages.clone();
        for page in &mut expected {
            page.date
                .get_or_insert_with(|| "2025-06-01T00:00:00Z".to_string());
            // Reading a response hashes its body once, for the payload digest and the snapshot.
            if page.status.is_some() {
                page.sha256 = Some(crate::source::cache::sha256_hex(&page.body));
            }
        }
        assert_eq!(read_all(&path).unwrap(), expected);
        let archive = WarcArchive::open(&path).unwrap();
        assert_eq!(archive.len(), pages.len());
        for page in &expected {
            assert_eq!(archive.get(&page.url).unwrap().as_ref(), Some(page));
        }
    }
}

#[test]
fn empty_export_holds_only_warcinfo() {
    let bytes = WarcWriter::new(Vec::new(), "0.1.0", true).finish().unwrap();
    let (_dir, path) = write_file(&bytes);
    assert!(WarcArchive::open(&path).unwrap().is_empty());
}

#[test]
fn archive_is_shared_across_threads() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<WarcArchive>();
    let records: Vec<Vec<u8>> = (0..20)
        .map(|i| {
            resource(
                &format!("https://e.org/{i}"),
                "text/plain",
                format!("body {i}").as_bytes(),
            )
        })
        .collect();
    let (_dir, path) = write_file(&gzip_each(&records));
    let archive = WarcArchive::open(&path).unwrap();
    std::thread::scope(|s| {
        for t in 0..4 {
            let archive = &archive;
            s.spawn(move || {
                for i in (t..20).step_by(4) {
                    let page = archive.get(&format!("https://e.org/{i}")).unwrap().unwrap();
                    assert_eq!(page.body, format!("body {i}").as_bytes());
                }
            });
        }
    });
}

/// The DeepSeek R1 sources archive shared by the project, if present.
fn deepseek_sources() -> Option<PathBuf> {
    let path = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/sources/deepseek-r1-sources.warc.gz"
    ));
    path.exists().then_some(path)
}

#[test]
fn deepseek_r1_sources_archive() {
    let Some(path) = deepseek_sources() else {
        // Under CI the shared sources are beside the clone: missing, they fail the test.
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "shared/sources/deepseek-r1-sources.warc.gz is absent: under CI=true this fails"
        );
        eprintln!("skipping: shared/sources/deepseek-r1-sources.warc.gz is absent");
        return;
    };
    let archive = WarcArchive::open(&path).unwrap();
    assert_eq!(archive.len(), 18);
    let pages = read_all(&path).unwrap();
    assert_eq!(pages.len(), 18);
    assert!(
        pages
            .iter()
            .all(|p| p.status.is_none() && p.headers.is_empty())
    );

    let base = "https://raw.githubusercontent.com/";
    let license = archive
        .get(&format!(
            "{base}deepseek-ai/DeepSeek-R1/ed4409d2a9ff2620d88914f3ba2ca5600bceb749/LICENSE"
        ))
        .unwrap()
        .unwrap();
    assert!(license.body.starts_with(b"MIT License"));
    assert_eq!(
        license.content_type.as_deref(),
        Some("text/plain; charset=utf-8")
    );
    let v3_pdf = archive
        .get(&format!(
            "{base}deepseek-ai/DeepSeek-V3/b5d872ead062c94b852d75ce41ae0b10fcfa1c86/DeepSeek_V3.pdf"
        ))
        .unwrap()
        .unwrap();
    assert!(v3_pdf.body.starts_with(b"%PDF-"));
    let nvda = archive
        .get(&format!(
            "{base}growwanalysis/nasdaq100/af63fde007231dd5e26c73c131f7a05569d37cd7/data/NVDA.csv"
        ))
        .unwrap()
        .unwrap();
    assert!(nvda.body.starts_with(b"Date,"));

    for url in archive.urls() {
        let page = archive.get(url).unwrap().unwrap();
        let imported = pages.iter().find(|p| p.url == url).unwrap();
        assert_eq!(&page, imported);
    }
}
