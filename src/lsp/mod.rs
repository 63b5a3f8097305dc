//! `factcheck lsp`: a language server over stdio. In a workspace it finds the assertion files
//! and the drafts they name; on open, change and save of a draft it publishes diagnostics
//! (disputed claims as errors, not_found and unavailable as warnings, unsourced claims and
//! uncovered figures as hints), answers hovers with the evidence, and offers to replace a
//! disputed figure with the one its source gives. It reads only the cache and the archives.
//!
//! A client's mistakes never end the session: a malformed or oversized message, bad JSON, a
//! request with the wrong params or before `initialize` or after `shutdown` gets the protocol's
//! error reply (a notification's, a log message), and a panic while serving one message is
//! caught and answered as an internal error. `exit` ends the server with 0 after `shutdown`,
//! else 1, as the protocol says.

pub mod frame;
mod workspace;

use std::collections::HashMap;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::str::FromStr;

use lsp_server::{Connection, ErrorCode, Message, Notification, Request, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidCloseTextDocument, DidOpenTextDocument, DidSaveTextDocument, Exit,
    LogMessage, Notification as _, PublishDiagnostics, ShowMessage,
};
use lsp_types::request::{CodeActionRequest, HoverRequest, Initialize, Request as _, Shutdown};
use lsp_types::{
    CodeActionOrCommand, CodeActionParams, CodeActionProviderCapability,
    DidChangeTextDocumentParams, DidCloseTextDocumentParams, DidOpenTextDocumentParams,
    DidSaveTextDocumentParams, HoverParams, HoverProviderCapability, InitializeParams,
    LogMessageParams, MessageType, PublishDiagnosticsParams, SaveOptions, ServerCapabilities,
    ShowMessageParams, TextDocumentSyncCapability, TextDocumentSyncKind, TextDocumentSyncOptions,
    TextDocumentSyncSaveOptions, Uri,
};

use crate::document::Draft;
use crate::limits::Limits;
use crate::spec;
pub use workspace::{Workspace, lsp_range, offset, rewrite};

/// Errors that stop the server.
#[derive(Debug, thiserror::Error)]
pub enum LspError {
    /// The protocol broke (bad message, closed stream).
    #[error("language server protocol error")]
    Protocol(#[from] lsp_server::ProtocolError),
    /// A message could not be encoded or decoded.
    #[error("malformed message")]
    Json(#[from] serde_json::Error),
    /// The connection closed.
    #[error("the client went away")]
    Closed,
    /// Reading or writing stdio failed.
    #[error("stdio failed")]
    Io(#[from] std::io::Error),
}

/// The exit code after `shutdown` then `exit`.
pub const EXIT_CLEAN: u8 = 0;
/// The exit code after `exit` without `shutdown`, or when the client goes away without `exit`.
pub const EXIT_UNCLEAN: u8 = 1;

/// Serves on stdin/stdout until the client says `exit`; returns the exit code the protocol
/// asks for: 0 after `shutdown`, else 1.
pub fn serve_stdio() -> Result<u8, LspError> {
    let stdin = std::io::stdin();
    let stdout = std::io::stdout();
    serve_io(&mut stdin.lock(), &mut stdout.lock())
}

/// Serves one client over `Content-Length` framed messages read from `input`, writing to
/// `output`, until `exit` or the end of the input ([`EXIT_UNCLEAN`]). A message over
/// `Limits::message_bytes`, a header that does not parse, bad JSON or JSON that is no message
/// gets the protocol's error reply, and the server reads on.
pub fn serve_io(input: &mut impl BufRead, output: &mut impl Write) -> Result<u8, LspError> {
    let limit = Limits::current().message_bytes;
    let mut server = Server::new();
    loop {
        let bad = match frame::read(input, limit) {
            Ok(None) => return Ok(EXIT_UNCLEAN),
            Ok(Some(body)) => match frame::decode(&body) {
                Ok(msg) => {
                    let mut send = |m: Message| frame::write_message(output, &m);
                    if let Some(code) = server.handle(msg, &mut send)? {
                        return Ok(code);
                    }
                    continue;
                }
                Err(bad) => bad,
            },
            Err(frame::FrameError::Io(e)) => return Err(e.into()),
            Err(frame::FrameError::Bad(bad)) => bad,
        };
        frame::write_raw(output, &bad.to_json())?;
    }
}

/// Serves one client on a connection (in memory, for tests and embedding) until `exit`;
/// returns the exit code, as [`serve_stdio`] does.
pub fn serve(connection: &Connection) -> Result<u8, LspError> {
    let mut server = Server::new();
    let mut send = |m: Message| connection.sender.send(m).map_err(|_| LspError::Closed);
    for msg in &connection.receiver {
        if let Some(code) = server.handle(msg, &mut send)? {
            return Ok(code);
        }
    }
    Ok(EXIT_UNCLEAN)
}

/// The server's capabilities: full text sync with save, hover, quick fixes.
pub fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::FULL),
                save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions {
                    include_text: Some(true),
                })),
                ..TextDocumentSyncOptions::default()
            },
        )),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        code_action_provider: Some(CodeActionProviderCapability::Simple(true)),
        ..ServerCapabilities::default()
    }
}

fn root_of(params: &InitializeParams) -> Option<PathBuf> {
    if let Some(folder) = params.workspace_folders.as_ref().and_then(|f| f.first()) {
        return path_of(&folder.uri);
    }
    #[allow(deprecated)]
    params.root_uri.as_ref().and_then(path_of)
}

/// The file path of a `file:` URI.
pub fn path_of(uri: &Uri) -> Option<PathBuf> {
    url::Url::parse(uri.as_str()).ok()?.to_file_path().ok()
}

/// The `file:` URI of a path.
pub fn uri_of(path: &Path) -> Option<Uri> {
    let url = url::Url::from_file_path(path).ok()?;
    Uri::from_str(url.as_str()).ok()
}

/// Where the session is: requests are answered differently before `initialize` and after
/// `shutdown`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Waiting for `initialize`.
    Uninitialized,
    /// Serving.
    Running,
    /// `shutdown` answered: only `exit` is expected.
    ShutDown,
}

struct Server {
    state: State,
    workspace: Workspace,
    root: PathBuf,
    /// Open drafts: their current text.
    open: HashMap<String, (Uri, Draft)>,
    /// Problems loading the workspace, shown once `initialize` is answered.
    pending: Vec<String>,
}

/// Sends a message to the client.
type Send<'s> = dyn FnMut(Message) -> Result<(), LspError> + 's;

/// Why a request is answered with an error.
struct Reject {
    code: ErrorCode,
    message: String,
}

impl Reject {
    fn new(code: ErrorCode, message: impl Into<String>) -> Reject {
        Reject {
            code,
            message: message.into(),
        }
    }
}

/// Why a notification was not handled.
enum Ignored {
    /// Its params do not fit the method.
    Params(serde_json::Error),
    /// Sending to the client failed: the session is over.
    Send(LspError),
}

impl From<LspError> for Ignored {
    fn from(e: LspError) -> Ignored {
        Ignored::Send(e)
    }
}

/// The params of a request, or an `InvalidParams` rejection.
fn params<P: serde::de::DeserializeOwned>(req: &Request) -> Result<P, Reject> {
    serde_json::from_value(req.params.clone()).map_err(|e| {
        Reject::new(
            ErrorCode::InvalidParams,
            format!("invalid params for {}: {e}", spec::cut(&req.method)),
        )
    })
}

/// Loads the workspace; a panic while loading is a problem to show, not the server's end.
fn load(root: &Path) -> Workspace {
    crate::caught::catch(|| Workspace::load(root)).unwrap_or_else(|c| {
        Workspace::empty(vec![format!(
            "cannot load the assertion files (an internal error, please report it): {c}"
        )])
    })
}

/// Sends a `window/logMessage`.
fn log(send: &mut Send<'_>, typ: MessageType, message: &str) -> Result<(), LspError> {
    let params = LogMessageParams {
        typ,
        message: format!("factcheck: {message}"),
    };
    send(Message::Notification(Notification::new(
        LogMessage::METHOD.to_string(),
        params,
    )))
}

impl Server {
    fn new() -> Server {
        Server {
            state: State::Uninitialized,
            workspace: Workspace::empty(Vec::new()),
            root: PathBuf::new(),
            open: HashMap::new(),
            pending: Vec::new(),
        }
    }

    /// Handles one message; `Some(code)` when the session is over.
    fn handle(&mut self, msg: Message, send: &mut Send<'_>) -> Result<Option<u8>, LspError> {
        match msg {
            Message::Request(req) => {
                let id = req.id.clone();
                let method = spec::cut(&req.method).into_owned();
                let reply = match crate::caught::catch(|| self.request(req, send)) {
                    Ok(Ok(Ok(value))) => Response::new_ok(id, value),
                    Ok(Ok(Err(reject))) => {
                        Response::new_err(id, reject.code as i32, reject.message)
                    }
                    Ok(Err(e)) => return Err(e),
                    Err(caught) => Response::new_err(
                        id,
                        ErrorCode::InternalError as i32,
                        format!("factcheck failed on {method}: {caught}"),
                    ),
                };
                send(Message::Response(reply))?;
                for problem in std::mem::take(&mut self.pending) {
                    self.show(send, MessageType::WARNING, &problem)?;
                }
                Ok(None)
            }
            Message::Notification(n) if n.method == Exit::METHOD => {
                Ok(Some(if self.state == State::ShutDown {
                    EXIT_CLEAN
                } else {
                    EXIT_UNCLEAN
                }))
            }
            // Before `initialize` notifications are dropped, after `shutdown` ignored.
            Message::Notification(_) if self.state != State::Running => Ok(None),
            Message::Notification(n) => {
                let method = spec::cut(&n.method).into_owned();
                let problem = match crate::caught::catch(|| self.notification(n, send)) {
                    Ok(Ok(())) => return Ok(None),
                    Ok(Err(Ignored::Send(e))) => return Err(e),
                    Ok(Err(Ignored::Params(e))) => {
                        format!("ignored {method}: invalid params: {e}")
                    }
                    Err(caught) => format!("failed on {method}: {caught}"),
                };
                log(send, MessageType::ERROR, &problem)?;
                Ok(None)
            }
            Message::Response(_) => Ok(None),
        }
    }

    /// Answers a request: `Ok(Err(_))` is an error reply, `Err(_)` the end of the session.
    #[allow(clippy::type_complexity)]
    fn request(
        &mut self,
        req: Request,
        send: &mut Send<'_>,
    ) -> Result<Result<serde_json::Value, Reject>, LspError> {
        let _ = &send;
        let reply = match (self.state, req.method.as_str()) {
            (State::Uninitialized, Initialize::METHOD) => self.initialize(&req),
            (State::Uninitialized, _) => Err(Reject::new(
                ErrorCode::ServerNotInitialized,
                "the server is not initialized: send `initialize` first",
            )),
            (State::ShutDown, _) => Err(Reject::new(
                ErrorCode::InvalidRequest,
                "the server is shutting down: only `exit` is expected",
            )),
            (State::Running, Initialize::METHOD) => Err(Reject::new(
                ErrorCode::InvalidRequest,
                "the server is initialized already",
            )),
            (State::Running, Shutdown::METHOD) => {
                self.state = State::ShutDown;
                Ok(serde_json::Value::Null)
            }
            (State::Running, HoverRequest::METHOD) => params::<HoverParams>(&req).map(|p| {
                let uri = p.text_document_position_params.text_document.uri;
                let hover = self.open.get(uri.as_str()).and_then(|(_, draft)| {
                    self.workspace
                        .hover(draft, p.text_document_position_params.position)
                });
                serde_json::to_value(hover).unwrap_or_default()
            }),
            (State::Running, CodeActionRequest::METHOD) => {
                params::<CodeActionParams>(&req).map(|p| {
                    let actions: Vec<CodeActionOrCommand> = self
                        .open
                        .get(p.text_document.uri.as_str())
                        .map(|(uri, draft)| {
                            self.workspace
                                .code_actions(uri, draft, p.range)
                                .into_iter()
                                .map(CodeActionOrCommand::CodeAction)
                                .collect()
                        })
                        .unwrap_or_default();
                    serde_json::to_value(actions).unwrap_or_default()
                })
            }
            (State::Running, method) => Err(Reject::new(
                ErrorCode::MethodNotFound,
                format!("factcheck does not handle {}", spec::cut(method)),
            )),
        };
        Ok(reply)
    }

    /// `initialize`: finds the workspace root, loads and checks the claims.
    fn initialize(&mut self, req: &Request) -> Result<serde_json::Value, Reject> {
        let p: InitializeParams = params(req)?;
        self.root = root_of(&p).unwrap_or_else(|| std::env::current_dir().unwrap_or_default());
        self.workspace = load(&self.root);
        self.pending = self.workspace.problems.clone();
        self.state = State::Running;
        Ok(serde_json::json!({ "capabilities": capabilities() }))
    }

    fn show(&self, send: &mut Send<'_>, typ: MessageType, message: &str) -> Result<(), LspError> {
        let params = ShowMessageParams {
            typ,
            message: format!("factcheck: {message}"),
        };
        send(Message::Notification(Notification::new(
            ShowMessage::METHOD.to_string(),
            params,
        )))
    }

    fn publish(&self, send: &mut Send<'_>, uri: &Uri, draft: &Draft) -> Result<(), LspError> {
        let params = PublishDiagnosticsParams {
            uri: uri.clone(),
            diagnostics: self.workspace.diagnostics(draft),
            version: None,
        };
        send(Message::Notification(Notification::new(
            PublishDiagnostics::METHOD.to_string(),
            params,
        )))
    }

    /// Records a draft's new text and publishes its diagnostics, if it is a draft.
    fn update(&mut self, send: &mut Send<'_>, uri: Uri, text: String) -> Result<(), LspError> {
        let Some(path) = path_of(&uri) else {
            return Ok(());
        };
        if path.extension().is_some_and(|e| e == "toml") && path.starts_with(&self.root) {
            // An assertion file or the configuration changed: check again, republish.
            self.workspace = load(&self.root);
            for problem in self.workspace.problems.clone() {
                self.show(send, MessageType::WARNING, &problem)?;
            }
            for (uri, draft) in self.open.values() {
                self.publish(send, uri, draft)?;
            }
            return Ok(());
        }
        if !self.workspace.is_draft(&path) {
            return Ok(());
        }
        let limit = Limits::current().draft_bytes;
        if text.len() as u64 > limit {
            self.open.remove(uri.as_str());
            return log(
                send,
                MessageType::WARNING,
                &format!(
                    "{} is over {limit} bytes (`draft_bytes` in factcheck.toml's [limits]); not checked",
                    path.display()
                ),
            );
        }
        let draft = Draft::new(path, text);
        self.publish(send, &uri, &draft)?;
        self.open.insert(uri.as_str().to_string(), (uri, draft));
        Ok(())
    }

    fn notification(&mut self, n: Notification, send: &mut Send<'_>) -> Result<(), Ignored> {
        fn parse<P: serde::de::DeserializeOwned>(n: Notification) -> Result<P, Ignored> {
            serde_json::from_value(n.params).map_err(Ignored::Params)
        }
        match n.method.as_str() {
            DidOpenTextDocument::METHOD => {
                let p: DidOpenTextDocumentParams = parse(n)?;
                self.update(send, p.text_document.uri, p.text_document.text)?;
            }
            DidChangeTextDocument::METHOD => {
                let mut p: DidChangeTextDocumentParams = parse(n)?;
                if let Some(change) = p.content_changes.pop() {
                    self.update(send, p.text_document.uri, change.text)?;
                }
            }
            DidSaveTextDocument::METHOD => {
                let p: DidSaveTextDocumentParams = parse(n)?;
                let text = match p.text {
                    Some(text) => text,
                    None => match self.open.get(p.text_document.uri.as_str()) {
                        Some((_, draft)) => draft.text.clone(),
                        None => path_of(&p.text_document.uri)
                            .and_then(|path| read_draft(&path))
                            .unwrap_or_default(),
                    },
                };
                self.update(send, p.text_document.uri, text)?;
            }
            DidCloseTextDocument::METHOD => {
                let p: DidCloseTextDocumentParams = parse(n)?;
                self.open.remove(p.text_document.uri.as_str());
            }
            _ => {}
        }
        Ok(())
    }
}

/// A saved draft's text from disk: a regular file within `Limits::draft_bytes`, else nothing.
fn read_draft(path: &Path) -> Option<String> {
    let meta = std::fs::metadata(path).ok()?;
    if !meta.is_file() || meta.len() > Limits::current().draft_bytes {
        return None;
    }
    let mut text = String::new();
    std::io::Read::read_to_string(
        &mut std::io::Read::take(
            std::fs::File::open(path).ok()?,
            Limits::current().draft_bytes,
        ),
        &mut text,
    )
    .ok()?;
    Some(text)
}

#[cfg(test)]
mod tests;
