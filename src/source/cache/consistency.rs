//! What `cache verify` checks beyond the hashes: that an entry's metadata agrees with itself and
//! with its body (the body file's name, the hash's form, the content type and charset).

use super::{Meta, key};
use crate::page::decode;

/// Problems of the metadata alone.
pub(super) fn meta_problems(meta: &Meta) -> Vec<String> {
    let mut problems = Vec::new();
    let hex64 = meta.sha256.len() == 64
        && meta
            .sha256
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    if !hex64 {
        problems.push(format!(
            "sha256 {:?} is not a SHA-256 in lowercase hex",
            cut(&meta.sha256)
        ));
    } else {
        let expected = format!("{}.{}.body", key(&meta.url), &meta.sha256[..12]);
        if meta.body != expected {
            problems.push(format!(
                "body file name {:?} should be {expected}",
                cut(&meta.body)
            ));
        }
    }
    problems
}

/// Problems of the metadata against the body: a content type that the body contradicts, a
/// charset the body does not read in.
pub(super) fn body_problems(meta: &Meta, body: &[u8]) -> Vec<String> {
    let mut problems = Vec::new();
    let Some(ct) = meta.content_type.as_deref() else {
        return problems;
    };
    let mime = ct
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let is_pdf = body[..body.len().min(1024)]
        .windows(5)
        .any(|w| w == b"%PDF-");
    if mime.contains("pdf") && !is_pdf {
        problems.push(format!(
            "content type {ct:?} says PDF, but the body is not a PDF"
        ));
    }
    let textual = mime.starts_with("text/")
        || mime.ends_with("+xml")
        || mime.ends_with("/xml")
        || mime.ends_with("json")
        || mime.contains("html");
    if textual && is_pdf {
        problems.push(format!(
            "content type {ct:?} says text, but the body is a PDF"
        ));
    } else if textual {
        if let Some(e) = decode::charset_from_content_type(ct)
            && (e == encoding_rs::UTF_16LE || e == encoding_rs::UTF_16BE)
            && encoding_rs::Encoding::for_bom(body).is_none()
            && !body.contains(&0)
        {
            problems.push(format!(
                "content type {ct:?} declares UTF-16, but the body has no NUL byte: it is not \
                 UTF-16"
            ));
        }
        if let Err(e) = decode::decode_text(body, Some(ct), mime.contains("html")) {
            problems.push(format!("content type {ct:?}: {e}"));
        }
    }
    problems
}

/// A value cut for a message.
fn cut(s: &str) -> String {
    if s.chars().count() > 80 {
        format!("{}…", s.chars().take(80).collect::<String>())
    } else {
        s.to_string()
    }
}
