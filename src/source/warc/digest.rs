//! `WARC-Block-Digest` and `WARC-Payload-Digest`: `algorithm:value`, with SHA-1 written in
//! base32 (the common form) or hex, and SHA-256 in hex or base32.

use sha1::Sha1;
use sha2::{Digest, Sha256};

/// What a digest check found.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Outcome {
    /// One of the candidates has the digest.
    Match,
    /// None does; the computed digest of the first, in the record's form.
    Mismatch(String),
    /// An algorithm that is not checked (md5, ...): nothing to say.
    Unknown,
    /// A known algorithm with a value that is not a digest.
    Malformed,
}

/// Checks a digest field's value against the candidate byte strings; `known` is bytes whose
/// SHA-256 is already computed, so a candidate equal to them is not hashed again.
pub(super) fn verify(
    value: &str,
    candidates: &[&[u8]],
    known: Option<(&[u8], &[u8; 32])>,
) -> Outcome {
    let Some((algorithm, written)) = value.trim().split_once(':') else {
        return Outcome::Malformed;
    };
    let algorithm = algorithm.trim().to_ascii_lowercase().replace('-', "");
    let written = written.trim();
    let size = match algorithm.as_str() {
        "sha1" => 20,
        "sha256" => 32,
        _ => return Outcome::Unknown,
    };
    let (expected, base32) = if written.len() == size * 2 {
        match decode_hex(written) {
            Some(bytes) => (bytes, false),
            None => return Outcome::Malformed,
        }
    } else {
        match decode_base32(written) {
            Some(bytes) if bytes.len() == size => (bytes, true),
            _ => return Outcome::Malformed,
        }
    };
    let hash = |bytes: &[u8]| -> Vec<u8> {
        match known {
            _ if size == 20 => Sha1::digest(bytes).to_vec(),
            Some((same, sha256)) if same == bytes => sha256.to_vec(),
            _ => Sha256::digest(bytes).to_vec(),
        }
    };
    let mut first = None;
    for candidate in candidates {
        let actual = hash(candidate);
        if actual == expected {
            return Outcome::Match;
        }
        first.get_or_insert(actual);
    }
    let actual = first.unwrap_or_else(|| hash(b""));
    let shown = if base32 {
        encode_base32(&actual)
    } else {
        hex(&actual)
    };
    Outcome::Mismatch(format!("{algorithm}:{shown}"))
}

const BASE32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

fn decode_base32(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 5 / 8);
    let (mut buffer, mut bits) = (0u32, 0u32);
    for c in text.trim_end_matches('=').bytes() {
        let v = BASE32.iter().position(|&b| b == c.to_ascii_uppercase())? as u32;
        buffer = (buffer << 5) | v;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
            buffer &= (1 << bits) - 1;
        }
    }
    Some(out)
}

fn encode_base32(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(5) * 8);
    let (mut buffer, mut bits) = (0u32, 0u32);
    for &b in bytes {
        buffer = (buffer << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(BASE32[((buffer >> bits) & 31) as usize] as char);
        }
        buffer &= (1 << bits) - 1;
    }
    if bits > 0 {
        out.push(BASE32[((buffer << (5 - bits)) & 31) as usize] as char);
    }
    out
}

/// Bytes in lowercase hex.
pub(super) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn decode_hex(text: &str) -> Option<Vec<u8>> {
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

/// The `sha1:BASE32` digest of `bytes`, as WARC writers put it.
#[cfg(test)]
pub(super) fn sha1_base32(bytes: &[u8]) -> String {
    format!("sha1:{}", encode_base32(&Sha1::digest(bytes)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha1_base32_and_sha256_forms_are_checked() {
        // The SHA-1 of the empty string, as WARC files write it.
        assert_eq!(sha1_base32(b""), "sha1:3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ");
        assert_eq!(
            verify("sha1:3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ", &[b""], None),
            Outcome::Match
        );
        assert_eq!(
            verify(
                "SHA1:da39a3ee5e6b4b0d3255bfef95601890afd80709",
                &[b"x", b""],
                None
            ),
            Outcome::Match
        );
        let sha256 = "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
        assert_eq!(verify(sha256, &[b""], None), Outcome::Match);
        assert!(matches!(
            verify(sha256, &[b"tampered"], None),
            Outcome::Mismatch(_)
        ));
        match verify("sha1:3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ", &[b"a"], None) {
            Outcome::Mismatch(actual) => assert_eq!(actual, sha1_base32(b"a")),
            other => panic!("{other:?}"),
        }
        assert_eq!(verify("md5:abc", &[b""], None), Outcome::Unknown);
        assert_eq!(verify("sha1:not base32!", &[b""], None), Outcome::Malformed);
        assert_eq!(verify("nocolon", &[b""], None), Outcome::Malformed);
    }
}
