//! The language server, in process over an in-memory connection: diagnostics on the article's
//! own lines, hover with the evidence, a quick fix for a disputed figure, and edits answered fast.

mod skip;

use std::path::Path;
use std::str::FromStr;
use std::time::{Duration, Instant};

use lsp_server::{Connection, Message, Notification, Request, RequestId};
use lsp_types::{DiagnosticSeverity, PublishDiagnosticsParams, Uri};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

struct Client {
    conn: Connection,
    server: Option<std::thread::JoinHandle<()>>,
    next: i32,
}

impl Client {
    fn start(root: &Path) -> Client {
        let (server, client) = Connection::memory();
        let handle = std::thread::spawn(move || {
            factcheck::lsp::serve(&server).expect("the server runs");
        });
        let mut c = Client {
            conn: client,
            server: Some(handle),
            next: 0,
        };
        let root_uri = factcheck::lsp::uri_of(root).expect("uri");
        c.request(
            "initialize",
            serde_json::json!({"processId": null, "rootUri": root_uri.as_str(), "capabilities": {}}),
        );
        c.notify("initialized", serde_json::json!({}));
        c
    }

    fn notify(&self, method: &str, params: serde_json::Value) {
        self.conn
            .sender
            .send(Message::Notification(Notification::new(
                method.into(),
                params,
            )))
            .expect("send");
    }

    fn request(&mut self, method: &str, params: serde_json::Value) -> serde_json::Value {
        self.next += 1;
        let id = RequestId::from(self.next);
        self.conn
            .sender
            .send(Message::Request(Request::new(
                id.clone(),
                method.into(),
                params,
            )))
            .expect("send");
        loop {
            match self
                .conn
                .receiver
                .recv_timeout(Duration::from_secs(30))
                .expect("a reply")
            {
                Message::Response(r) if r.id == id => return r.result.unwrap_or_default(),
                _ => {}
            }
        }
    }

    fn diagnostics(&self) -> PublishDiagnosticsParams {
        loop {
            match self
                .conn
                .receiver
                .recv_timeout(Duration::from_secs(30))
                .expect("diagnostics")
            {
                Message::Notification(n) if n.method == "textDocument/publishDiagnostics" => {
                    return serde_json::from_value(n.params).expect("params");
                }
                _ => {}
            }
        }
    }

    fn stop(mut self) {
        self.request("shutdown", serde_json::Value::Null);
        self.notify("exit", serde_json::Value::Null);
        if let Some(h) = self.server.take() {
            h.join().expect("server thread");
        }
    }
}

fn open(c: &Client, uri: &Uri, text: &str) {
    c.notify(
        "textDocument/didOpen",
        serde_json::json!({"textDocument": {"uri": uri.as_str(), "languageId": "text", "version": 1, "text": text}}),
    );
}

#[test]
fn the_article_gets_its_diagnostics_hover_and_fast_updates() {
    let article = Path::new(ROOT).join("../shared/seed/deepseek-r1-article.txt");
    if !article.is_file() {
        skip::skip("../shared is not present");
        return;
    }
    let text = std::fs::read_to_string(&article).expect("article");
    let uri = factcheck::lsp::uri_of(&article.canonicalize().expect("canonical")).expect("uri");
    let mut c = Client::start(Path::new(ROOT));
    open(&c, &uri, &text);
    let d = c.diagnostics();
    let errors: Vec<_> = d
        .diagnostics
        .iter()
        .filter(|d| d.severity == Some(DiagnosticSeverity::ERROR))
        .collect();
    assert_eq!(errors.len(), 5, "{errors:#?}");
    let doubled = errors
        .iter()
        .find(|d| d.message.contains("doubled"))
        .expect("the doubled claim");
    assert_eq!(
        (doubled.range.start.line, doubled.range.start.character),
        (32, 166)
    );
    let hints = d
        .diagnostics
        .iter()
        .filter(|d| d.severity == Some(DiagnosticSeverity::HINT))
        .count();
    assert_eq!(hints, 3, "the unsourced claims");

    let hover = c.request(
        "textDocument/hover",
        serde_json::json!({"textDocument": {"uri": uri.as_str()}, "position": {"line": 32, "character": 170}}),
    );
    let shown = hover["contents"]["value"].as_str().expect("markdown");
    assert!(shown.contains("**disputed**"), "{shown}");
    assert!(shown.contains("600.3%"), "{shown}");
    assert!(shown.contains("NVDA.csv"), "{shown}");
    assert!(
        shown.contains("Explain: `factcheck explain deepseek-r1::nvidia-doubled`"),
        "{shown}"
    );

    // An edit moves the text: the diagnostics follow it, and answer fast.
    let edited = format!("A new first line.\n{text}");
    let start = Instant::now();
    c.notify(
        "textDocument/didChange",
        serde_json::json!({"textDocument": {"uri": uri.as_str(), "version": 2}, "contentChanges": [{"text": edited}]}),
    );
    let d = c.diagnostics();
    let elapsed = start.elapsed();
    let doubled = d
        .diagnostics
        .iter()
        .find(|d| d.message.contains("doubled"))
        .expect("still there");
    assert_eq!(doubled.range.start.line, 33);
    eprintln!("an edit of the article was answered in {elapsed:?}");
    assert!(elapsed < Duration::from_millis(100), "{elapsed:?}");
    c.stop();
}

#[test]
fn a_disputed_figure_gets_a_quick_fix() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    std::fs::write(root.join("factcheck.toml"), "cache = \"cache\"\n").expect("config");
    let cache = factcheck::source::cache::Cache::new(root.join("cache"));
    let url = "https://example.com/v3-report.txt";
    cache
        .put(
            factcheck::source::cache::Meta {
                url: url.into(),
                final_url: url.into(),
                status: Some(200),
                content_type: Some("text/plain".into()),
                retrieved: "2026-11-29T00:00:00Z".into(),
                ..Default::default()
            },
            b"our total training costs amount to only $5.576M.",
        )
        .expect("cache");
    std::fs::create_dir(root.join("assertions")).expect("mkdir");
    std::fs::write(
        root.join("assertions/draft.toml"),
        format!(
            "[document]\npath = \"../draft.md\"\n\n[[claim]]\nid = \"cost\"\nstatement = \"It cost $6.2 million.\"\n\
             quote = \"cost $6.2 million\"\nsource = \"{url}\"\nexpect = \"disputed\"\n\n\
             [claim.check]\nfigure = \"$6.2 million\"\nnear = \"total training costs\"\n"
        ),
    )
    .expect("assertions");
    let draft = root.join("draft.md");
    let text = "# Draft\n\nThe model's training run cost $6.2 million, they say.\n";
    std::fs::write(&draft, text).expect("draft");
    let uri = factcheck::lsp::uri_of(&draft.canonicalize().expect("canonical")).expect("uri");
    let mut c = Client::start(&root.canonicalize().expect("root"));
    open(&c, &uri, text);
    let d = c.diagnostics();
    assert_eq!(d.diagnostics.len(), 1, "{:#?}", d.diagnostics);
    assert_eq!(d.diagnostics[0].severity, Some(DiagnosticSeverity::ERROR));
    let actions = c.request(
        "textDocument/codeAction",
        serde_json::json!({
            "textDocument": {"uri": uri.as_str()},
            "range": d.diagnostics[0].range,
            "context": {"diagnostics": []}
        }),
    );
    let action = &actions[0];
    assert!(
        action["title"]
            .as_str()
            .expect("title")
            .contains("with \"$5.6 million\""),
        "{action}"
    );
    let edit = &action["edit"]["changes"][uri.as_str()][0];
    assert_eq!(edit["newText"], "$5.6 million");
    assert_eq!(
        edit["range"]["start"],
        serde_json::json!({"line": 2, "character": 30})
    );
    let _ = Uri::from_str(uri.as_str()).expect("valid uri");
    c.stop();
}

#[test]
fn an_uncovered_figure_gets_a_claim_stub_as_a_code_action() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    std::fs::write(root.join("factcheck.toml"), "cache = \"cache\"\n").expect("config");
    std::fs::create_dir_all(root.join("assertions")).expect("mkdir");
    let assertions = "# My claims.\n[document]\npath = \"../draft.md\"\n";
    std::fs::write(root.join("assertions/draft.toml"), assertions).expect("assertions");
    let draft = root.join("draft.md");
    let text = "# Draft\n\nShares of the chipmaker fell 12% on Monday.\n";
    std::fs::write(&draft, text).expect("draft");
    let uri = factcheck::lsp::uri_of(&draft.canonicalize().expect("canonical")).expect("uri");
    let mut c = Client::start(&root.canonicalize().expect("root"));
    open(&c, &uri, text);
    let d = c.diagnostics();
    let uncovered = d
        .diagnostics
        .iter()
        .find(|d| d.message.contains("covered by no claim"))
        .expect("the uncovered figure");
    let actions = c.request(
        "textDocument/codeAction",
        serde_json::json!({
            "textDocument": {"uri": uri.as_str()},
            "range": uncovered.range,
            "context": {"diagnostics": []}
        }),
    );
    let action = &actions[0];
    let title = action["title"].as_str().expect("title");
    assert!(title.contains("Add a claim for figure \"12%\""), "{title}");
    let file_uri = factcheck::lsp::uri_of(
        &root
            .join("assertions/draft.toml")
            .canonicalize()
            .expect("canonical"),
    )
    .expect("uri");
    let edit = &action["edit"]["changes"][file_uri.as_str()][0];
    assert_eq!(
        edit["range"]["start"],
        serde_json::json!({"line": 0, "character": 0})
    );
    assert_eq!(
        edit["range"]["end"],
        serde_json::json!({"line": 3, "character": 0})
    );
    let new_text = edit["newText"].as_str().expect("text");
    assert!(new_text.starts_with(assertions), "{new_text}");
    let file = factcheck::load_str(Path::new("assertions/draft.toml"), new_text).expect("valid");
    assert_eq!(file.claims[0].id, "chipmaker-fell-12");
    assert_eq!(file.claims[0].quote.as_deref(), Some("12%"));
    c.stop();
}
