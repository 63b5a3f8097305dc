//! The message loop, in process over byte streams: every malformed message gets an error reply
//! and the session goes on; `exit` returns 0 only after `shutdown`. A property test feeds it
//! arbitrary bytes and mutated sessions.

use std::io::{BufReader, Cursor};
use std::time::{Duration, Instant};

use proptest::prelude::*;
use serde_json::{Value, json};

use super::*;

/// A frame around a body.
fn frame(body: &[u8]) -> Vec<u8> {
    let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    out.extend_from_slice(body);
    out
}

fn msg(v: Value) -> Vec<u8> {
    frame(v.to_string().as_bytes())
}

/// An empty workspace to serve, so that sessions are fast and read nothing of the project.
fn root() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().expect("temp dir");
    let uri = uri_of(dir.path()).expect("a file URI");
    (dir, uri.as_str().to_owned())
}

fn initialize(root: &str) -> Vec<u8> {
    let mut out = msg(json!({"jsonrpc": "2.0", "id": 1, "method": "initialize",
        "params": {"processId": null, "rootUri": root, "capabilities": {}}}));
    out.extend(msg(
        json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}),
    ));
    out
}

/// Runs a session over `input`; the exit code and every message written.
fn run(input: &[u8]) -> (u8, Vec<Value>) {
    let mut reader = BufReader::new(Cursor::new(input.to_vec()));
    let mut output = Vec::new();
    let code = serve_io(&mut reader, &mut output).expect("the session ends without an I/O error");
    let mut replies = Vec::new();
    let mut out = BufReader::new(Cursor::new(output));
    while let Ok(Some(body)) = frame::read(&mut out, u64::MAX) {
        replies.push(serde_json::from_slice(&body).expect("the server writes JSON"));
    }
    (code, replies)
}

/// The error code of the reply to request `id`.
fn error_of(replies: &[Value], id: Value) -> Option<i64> {
    replies
        .iter()
        .find(|r| r.get("id") == Some(&id) && r.get("error").is_some())
        .and_then(|r| r["error"]["code"].as_i64())
}

fn shutdown_exit(id: i64) -> Vec<u8> {
    let mut out = msg(json!({"jsonrpc": "2.0", "id": id, "method": "shutdown"}));
    out.extend(msg(json!({"jsonrpc": "2.0", "method": "exit"})));
    out
}

#[test]
fn exit_without_shutdown_is_1_and_with_it_0() {
    let (_dir, root) = root();
    let mut input = initialize(&root);
    input.extend(msg(json!({"jsonrpc": "2.0", "method": "exit"})));
    assert_eq!(run(&input).0, EXIT_UNCLEAN);
    let mut input = initialize(&root);
    input.extend(shutdown_exit(2));
    let (code, replies) = run(&input);
    assert_eq!(code, EXIT_CLEAN);
    assert!(
        replies
            .iter()
            .any(|r| r["id"] == 2 && r["result"].is_null())
    );
    // The input ending without `exit`.
    assert_eq!(run(&initialize(&root)).0, EXIT_UNCLEAN);
}

#[test]
fn malformed_messages_get_error_replies_and_the_session_goes_on() {
    let (_dir, root) = root();
    let mut input = Vec::new();
    // Before `initialize`: not initialized.
    input.extend(msg(
        json!({"jsonrpc": "2.0", "id": 100, "method": "textDocument/hover", "params": {}}),
    ));
    input.extend(initialize(&root));
    // Bad JSON, and a lone surrogate.
    input.extend(frame(b"{\"jsonrpc\": \"2.0\", \"id\": 3, "));
    input.extend(frame(
        br#"{"jsonrpc":"2.0","id":4,"method":"textDocument/hover","params":{"x":"\udc00"}}"#,
    ));
    // Params of the wrong type, negative positions, a URI that is not one.
    input.extend(msg(
        json!({"jsonrpc": "2.0", "id": 5, "method": "textDocument/hover", "params": [1, 2]}),
    ));
    input.extend(msg(json!({"jsonrpc": "2.0", "id": 6, "method": "textDocument/hover",
        "params": {"textDocument": {"uri": "file:///a.md"}, "position": {"line": -1, "character": -5}}})));
    input.extend(msg(json!({"jsonrpc": "2.0", "id": 7, "method": "textDocument/hover",
        "params": {"textDocument": {"uri": "::not a uri::"}, "position": {"line": 0, "character": 0}}})));
    // Positions far past the end of an unknown document: no hover, no error.
    input.extend(msg(json!({"jsonrpc": "2.0", "id": 8, "method": "textDocument/hover",
        "params": {"textDocument": {"uri": "file:///a.md"}, "position": {"line": 4294967295u32, "character": 4294967295u32}}})));
    // Notifications with bad params: logged, not fatal.
    input.extend(msg(
        json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": "nope"}),
    ));
    input.extend(msg(json!({"jsonrpc": "2.0", "method": "textDocument/didChange",
        "params": {"textDocument": {"uri": "file:///x.md", "version": -1}, "contentChanges": [{"text": "\u{0}"}]}})));
    // Not a message; an unknown method; a second initialize.
    input.extend(msg(json!({"jsonrpc": "2.0", "id": 9, "method": 12})));
    input.extend(msg(json!([1, 2, 3])));
    input.extend(msg(
        json!({"jsonrpc": "2.0", "id": 10, "method": "no/such"}),
    ));
    input.extend(msg(
        json!({"jsonrpc": "2.0", "id": 11, "method": "initialize", "params": {"capabilities": {}}}),
    ));
    // Headers that do not parse.
    input.extend(b"Content-Length: many\r\n\r\n");
    input.extend(b"Content-Type: x\r\n\r\n");
    // After shutdown, requests are refused; then exit.
    input.extend(msg(
        json!({"jsonrpc": "2.0", "id": 12, "method": "shutdown"}),
    ));
    input.extend(msg(
        json!({"jsonrpc": "2.0", "id": 13, "method": "textDocument/hover", "params": {}}),
    ));
    input.extend(msg(json!({"jsonrpc": "2.0", "method": "exit"})));
    let (code, replies) = run(&input);
    assert_eq!(code, EXIT_CLEAN, "{replies:#?}");
    let e = |id: i64| error_of(&replies, json!(id));
    assert_eq!(e(100), Some(ErrorCode::ServerNotInitialized as i64));
    assert_eq!(
        error_of(&replies, Value::Null),
        Some(ErrorCode::ParseError as i64)
    );
    let nulls = replies
        .iter()
        .filter(|r| r["id"].is_null() && r.get("error").is_some())
        .count();
    // Bad JSON, the lone surrogate, `[1,2,3]`, and the two bad headers.
    assert_eq!(nulls, 5, "{replies:#?}");
    for id in [5, 6, 7] {
        assert_eq!(e(id), Some(ErrorCode::InvalidParams as i64), "request {id}");
    }
    assert!(
        replies
            .iter()
            .any(|r| r["id"] == 8 && r["result"].is_null())
    );
    assert_eq!(e(9), Some(ErrorCode::InvalidRequest as i64));
    assert_eq!(e(10), Some(ErrorCode::MethodNotFound as i64));
    assert_eq!(e(11), Some(ErrorCode::InvalidRequest as i64));
    assert_eq!(e(13), Some(ErrorCode::InvalidRequest as i64));
    let logs = replies
        .iter()
        .filter(|r| r["method"] == "window/logMessage")
        .count();
    assert_eq!(
        logs, 1,
        "the didOpen with bad params is logged: {replies:#?}"
    );
}

#[test]
fn an_enormous_content_length_is_refused_without_allocating_it() {
    let (_dir, root) = root();
    let mut input = initialize(&root);
    input.extend(b"Content-Length: 1000000000000000000\r\n\r\n{}");
    let start = Instant::now();
    let (code, replies) = run(&input);
    assert!(start.elapsed() < Duration::from_secs(10));
    assert_eq!(code, EXIT_UNCLEAN);
    let refused = replies
        .iter()
        .find(|r| r["id"].is_null() && r.get("error").is_some())
        .expect("an error reply");
    assert!(
        refused["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("over the limit")),
        "{refused}"
    );
}

/// A well-formed session to mutate: open a draft that is no draft of the workspace, hover,
/// ask for actions, change, save, close, shut down.
fn session(root: &str) -> Vec<Vec<u8>> {
    let doc = format!("{root}/draft.md");
    vec![
        initialize(root),
        msg(
            json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument":
            {"uri": doc, "languageId": "markdown", "version": 1, "text": "Costs rose 12% to $5.6 million.\n"}}}),
        ),
        msg(
            json!({"jsonrpc": "2.0", "id": 2, "method": "textDocument/hover", "params":
            {"textDocument": {"uri": doc}, "position": {"line": 0, "character": 11}}}),
        ),
        msg(
            json!({"jsonrpc": "2.0", "id": 3, "method": "textDocument/codeAction", "params":
            {"textDocument": {"uri": doc}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 5}},
             "context": {"diagnostics": []}}}),
        ),
        msg(
            json!({"jsonrpc": "2.0", "method": "textDocument/didChange", "params":
            {"textDocument": {"uri": doc, "version": 2}, "contentChanges": [{"text": "Costs fell 3%."}]}}),
        ),
        msg(
            json!({"jsonrpc": "2.0", "method": "textDocument/didSave", "params": {"textDocument": {"uri": doc}}}),
        ),
        msg(
            json!({"jsonrpc": "2.0", "method": "textDocument/didClose", "params": {"textDocument": {"uri": doc}}}),
        ),
        shutdown_exit(9),
    ]
}

/// One mutation of a byte string.
#[derive(Debug, Clone)]
enum Mutation {
    Flip(usize, u8),
    Cut(usize),
    Insert(usize, Vec<u8>),
    Drop(usize, usize),
}

fn mutate(mut bytes: Vec<u8>, mutations: &[Mutation]) -> Vec<u8> {
    for m in mutations {
        let len = bytes.len().max(1);
        match m {
            Mutation::Flip(i, b) => {
                if let Some(x) = bytes.get_mut(i % len) {
                    *x ^= b | 1;
                }
            }
            Mutation::Cut(i) => bytes.truncate(i % len),
            Mutation::Insert(i, ins) => {
                let at = (i % len).min(bytes.len());
                bytes.splice(at..at, ins.iter().copied());
            }
            Mutation::Drop(i, n) => {
                let at = (i % len).min(bytes.len());
                let end = (at + n).min(bytes.len());
                bytes.drain(at..end);
            }
        }
    }
    bytes
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Mutation::Flip(i, b)),
        any::<usize>().prop_map(Mutation::Cut),
        (
            any::<usize>(),
            prop_oneof![
                proptest::collection::vec(any::<u8>(), 0..16),
                Just(b"Content-Length: 99999999999999999999\r\n\r\n".to_vec()),
                Just(b"\r\n\r\n".to_vec()),
                Just(b"\\ud800".to_vec()),
                Just(b"-1".to_vec()),
                Just(br#"{"jsonrpc":"2.0","id":1,"method":"shutdown"}"#.to_vec()),
            ]
        )
            .prop_map(|(i, b)| Mutation::Insert(i, b)),
        (any::<usize>(), 0usize..64).prop_map(|(i, n)| Mutation::Drop(i, n)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Arbitrary bytes: the loop ends (the input runs out) with an exit code, never a panic
    /// or an error.
    #[test]
    fn arbitrary_bytes_never_end_the_server_badly(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let start = Instant::now();
        let (code, _) = run(&bytes);
        prop_assert!(code == EXIT_CLEAN || code == EXIT_UNCLEAN);
        prop_assert!(start.elapsed() < Duration::from_secs(10));
    }

    /// Mutated sessions: every message in, a reply or a log out; never a panic, an I/O error
    /// or a hang; each request that was answered got exactly one reply.
    #[test]
    fn mutated_sessions_are_answered(
        which in proptest::collection::vec(any::<bool>(), 8),
        mutations in proptest::collection::vec(mutation(), 0..6),
    ) {
        let (_dir, root) = root();
        let messages = session(&root);
        let mut input = Vec::new();
        for (i, m) in messages.iter().enumerate() {
            // Mutate some messages, keep the others.
            if which.get(i).copied().unwrap_or(false) {
                input.extend(mutate(m.clone(), &mutations));
            } else {
                input.extend_from_slice(m);
            }
        }
        let start = Instant::now();
        let (code, replies) = run(&input);
        prop_assert!(code == EXIT_CLEAN || code == EXIT_UNCLEAN);
        prop_assert!(start.elapsed() < Duration::from_secs(20));
        let mut ids: Vec<String> = replies
            .iter()
            .filter(|r| r.get("result").is_some() || r.get("error").is_some())
            .filter(|r| !r["id"].is_null())
            .map(|r| r["id"].to_string())
            .collect();
        let n = ids.len();
        ids.sort();
        ids.dedup();
        prop_assert_eq!(ids.len(), n, "a request answered twice: {:?}", replies);
    }
}
