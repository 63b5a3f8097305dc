//! The language server's wire format over a byte stream: `Content-Length` framed JSON-RPC
//! messages, read with bounded memory (a header line, the header count and the body are all
//! limited, the body by `Limits::message_bytes`), and the error replies for what does not
//! parse. `lsp-server` reads frames too, but allocates whatever length a header claims and
//! stops at the first malformed message; this reader answers and reads on.

use std::io::{self, BufRead, Read, Write};

use lsp_server::{ErrorCode, Message};
use serde_json::Value;

/// The longest header line read, in bytes; the rest of a longer line is skipped.
const MAX_HEADER_LINE: usize = 1024;
/// The most header lines in one message.
const MAX_HEADERS: usize = 16;

/// A message that cannot be served, with the error reply it gets.
#[derive(Debug, Clone, PartialEq)]
pub struct BadMessage {
    /// The request id to reply to, when one could be read (else the reply's id is `null`).
    pub id: Option<Value>,
    /// The JSON-RPC error code (`ErrorCode::ParseError`, `InvalidRequest`).
    pub code: i32,
    /// What is wrong.
    pub message: String,
}

impl BadMessage {
    fn new(code: ErrorCode, message: impl Into<String>) -> BadMessage {
        BadMessage {
            id: None,
            code: code as i32,
            message: message.into(),
        }
    }

    /// The error reply, as JSON text.
    pub fn to_json(&self) -> String {
        serde_json::json!({
            "jsonrpc": "2.0",
            "id": self.id.clone().unwrap_or(Value::Null),
            "error": {"code": self.code, "message": self.message},
        })
        .to_string()
    }
}

/// Why a frame could not be read.
#[derive(Debug)]
pub enum FrameError {
    /// The stream failed.
    Io(io::Error),
    /// The frame is malformed or too large; the stream is positioned after it when its length
    /// was known.
    Bad(BadMessage),
}

impl From<io::Error> for FrameError {
    fn from(e: io::Error) -> FrameError {
        FrameError::Io(e)
    }
}

/// One header line, without its line break.
enum Line {
    /// The input ended before any byte of the line.
    Eof,
    /// The line (up to [`MAX_HEADER_LINE`] bytes).
    Text(Vec<u8>),
    /// A line over [`MAX_HEADER_LINE`] bytes, skipped to its end.
    TooLong,
}

/// Reads one line of at most [`MAX_HEADER_LINE`] bytes; a longer one is consumed and dropped.
fn read_line(input: &mut impl BufRead) -> io::Result<Line> {
    let mut line = Vec::new();
    let mut too_long = false;
    let mut any = false;
    loop {
        let buf = match input.fill_buf() {
            Ok(buf) => buf,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if buf.is_empty() {
            break;
        }
        any = true;
        let (take, done) = match buf.iter().position(|&b| b == b'\n') {
            Some(i) => (i + 1, true),
            None => (buf.len(), false),
        };
        if !too_long {
            let room = MAX_HEADER_LINE + 2 - line.len();
            if take > room {
                too_long = true;
                line.clear();
            } else {
                line.extend_from_slice(&buf[..take]);
            }
        }
        input.consume(take);
        if done {
            break;
        }
    }
    if !any {
        return Ok(Line::Eof);
    }
    if too_long {
        return Ok(Line::TooLong);
    }
    while line.last().is_some_and(|&b| b == b'\n' || b == b'\r') {
        line.pop();
    }
    Ok(Line::Text(line))
}

/// Reads one frame's body; `Ok(None)` at the end of the input. A body over `limit` bytes is
/// skipped, never held.
pub fn read(input: &mut impl BufRead, limit: u64) -> Result<Option<Vec<u8>>, FrameError> {
    let mut length: Option<u64> = None;
    let mut problem: Option<String> = None;
    let mut headers = 0;
    loop {
        let text = match read_line(input)? {
            Line::Eof => return Ok(None),
            Line::TooLong => {
                problem.get_or_insert(format!("a header line over {MAX_HEADER_LINE} bytes"));
                continue;
            }
            Line::Text(text) => text,
        };
        if text.is_empty() {
            if headers == 0 && problem.is_none() {
                // Blank lines between messages.
                continue;
            }
            break;
        }
        headers += 1;
        if headers > MAX_HEADERS {
            problem.get_or_insert(format!("more than {MAX_HEADERS} header lines"));
            continue;
        }
        let Some((name, value)) = std::str::from_utf8(&text)
            .ok()
            .and_then(|t| t.split_once(':'))
        else {
            problem.get_or_insert(format!(
                "malformed header `{}`",
                crate::spec::cut(&String::from_utf8_lossy(&text))
            ));
            continue;
        };
        if name.trim().eq_ignore_ascii_case("content-length") {
            match value.trim().parse::<u64>() {
                Ok(n) => length = Some(n),
                Err(_) => {
                    problem.get_or_insert(format!(
                        "Content-Length `{}` is not a number of bytes",
                        crate::spec::cut(value.trim())
                    ));
                }
            }
        }
    }
    let Some(length) = length else {
        return Err(FrameError::Bad(BadMessage::new(
            ErrorCode::ParseError,
            problem.unwrap_or_else(|| "no Content-Length header".to_owned()),
        )));
    };
    if length > limit || problem.is_some() {
        // Skip the body as it streams by, holding none of it.
        io::copy(&mut input.take(length), &mut io::sink())?;
        let message = problem.unwrap_or_else(|| {
            format!(
                "a message of {length} bytes is over the limit of {limit} (`message_bytes` in factcheck.toml's [limits])"
            )
        });
        return Err(FrameError::Bad(BadMessage::new(
            ErrorCode::ParseError,
            message,
        )));
    }
    let mut body = Vec::new();
    input.take(length).read_to_end(&mut body)?;
    if (body.len() as u64) < length {
        // The input ended inside the body: the client went away.
        return Ok(None);
    }
    Ok(Some(body))
}

/// A frame's body as a message, or the error reply it gets: bad JSON is a parse error (id
/// `null`), JSON that is no message an invalid request (with its id, when it has a usable
/// one).
pub fn decode(body: &[u8]) -> Result<Message, BadMessage> {
    let value: Value = serde_json::from_slice(body).map_err(|e| {
        BadMessage::new(
            ErrorCode::ParseError,
            format!("the message is not JSON: {e}"),
        )
    })?;
    let id = value
        .get("id")
        .filter(|id| id.is_string() || id.as_i64().is_some_and(|n| i32::try_from(n).is_ok()))
        .cloned();
    let invalid = |why: String| BadMessage {
        id: id.clone(),
        code: ErrorCode::InvalidRequest as i32,
        message: format!("not a JSON-RPC request, response or notification: {why}"),
    };
    // `Message` is untagged: tell the kinds apart here, so that a request with a bad `method`
    // is not taken for a response.
    let Some(object) = value.as_object() else {
        return Err(invalid("not a JSON object".to_owned()));
    };
    let parsed = match object.get("method") {
        Some(Value::String(_)) if object.contains_key("id") => {
            serde_json::from_value(value).map(Message::Request)
        }
        Some(Value::String(_)) => serde_json::from_value(value).map(Message::Notification),
        Some(_) => return Err(invalid("`method` is not a string".to_owned())),
        None if object.contains_key("result") || object.contains_key("error") => {
            serde_json::from_value(value).map(Message::Response)
        }
        None => return Err(invalid("no `method`, `result` or `error`".to_owned())),
    };
    parsed.map_err(|e| invalid(e.to_string()))
}

/// Writes one message, framed.
pub fn write_message(output: &mut impl Write, msg: &Message) -> Result<(), super::LspError> {
    let text = serde_json::to_string(msg)?;
    write_raw(output, &text)?;
    Ok(())
}

/// Writes one JSON text, framed.
pub fn write_raw(output: &mut impl Write, text: &str) -> io::Result<()> {
    write!(output, "Content-Length: {}\r\n\r\n", text.len())?;
    output.write_all(text.as_bytes())?;
    output.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frames(input: &[u8], limit: u64) -> Vec<Result<Vec<u8>, String>> {
        let mut r = io::BufReader::new(input);
        let mut out = Vec::new();
        loop {
            match read(&mut r, limit) {
                Ok(None) => return out,
                Ok(Some(b)) => out.push(Ok(b)),
                Err(FrameError::Bad(b)) => out.push(Err(b.message)),
                Err(FrameError::Io(e)) => panic!("{e}"),
            }
        }
    }

    #[test]
    fn reads_frames_and_skips_what_it_cannot_hold() {
        let input = b"Content-Length: 2\r\n\r\n{}Content-Length: 1000000000000000000\r\n\r\nabcContent-Length: 3\r\n\r\n[1]";
        let got = frames(input, 1 << 20);
        assert_eq!(got.len(), 2, "{got:?}");
        assert_eq!(got[0], Ok(b"{}".to_vec()));
        assert!(
            got[1].as_ref().is_err_and(|e| e.contains("over the limit")),
            "{got:?}"
        );
    }

    #[test]
    fn bad_headers_are_reported_and_reading_goes_on() {
        let long = "X".repeat(10_000);
        let input = format!(
            "Content-Length: lots\r\n\r\nnoheader\r\n\r\n{long}\r\nContent-Length: 0\r\n\r\nContent-Length: 2\r\n\r\n{{}}"
        );
        let got = frames(input.as_bytes(), 1 << 20);
        assert!(got.iter().filter(|g| g.is_err()).count() >= 2, "{got:?}");
        assert_eq!(got.last(), Some(&Ok(b"{}".to_vec())));
    }

    #[test]
    fn decode_tells_parse_errors_from_invalid_requests() {
        assert_eq!(
            decode(b"{\"id\": 1").unwrap_err().code,
            ErrorCode::ParseError as i32
        );
        // A lone surrogate is not text.
        assert_eq!(
            decode(br#"{"jsonrpc":"2.0","id":1,"method":"x","params":"\ud800"}"#)
                .unwrap_err()
                .code,
            ErrorCode::ParseError as i32
        );
        let bad = decode(br#"{"id": 7, "method": 5}"#).unwrap_err();
        assert_eq!(bad.code, ErrorCode::InvalidRequest as i32);
        assert_eq!(bad.id, Some(Value::from(7)));
        assert!(bad.to_json().contains("\"id\":7"));
        assert!(decode(b"[]").is_err());
        assert!(matches!(
            decode(br#"{"jsonrpc":"2.0","id":1,"method":"shutdown"}"#),
            Ok(Message::Request(_))
        ));
    }
}
