//! `factcheck lsp`: a language server over stdio. In a workspace it finds the assertion files
//! and the drafts they name; on open, change and save of a draft it publishes diagnostics
//! (disputed claims as errors, not_found and unavailable as warnings, unsourced claims and
//! uncovered figures as hints), answers hovers with the evidence, and offers to replace a
//! disputed figure with the one its source gives. It reads only the cache and the archives.

mod workspace;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use lsp_server::{Connection, Message, Notification, Request, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidCloseTextDocument, DidOpenTextDocument, DidSaveTextDocument,
    Notification as _, PublishDiagnostics, ShowMessage,
};
use lsp_types::request::{CodeActionRequest, HoverRequest, Request as _};
use lsp_types::{
    CodeActionOrCommand, CodeActionParams, CodeActionProviderCapability,
    DidChangeTextDocumentParams, DidCloseTextDocumentParams, DidOpenTextDocumentParams,
    DidSaveTextDocumentParams, HoverParams, HoverProviderCapability, InitializeParams, MessageType,
    PublishDiagnosticsParams, SaveOptions, ServerCapabilities, ShowMessageParams,
    TextDocumentSyncCapability, TextDocumentSyncKind, TextDocumentSyncOptions,
    TextDocumentSyncSaveOptions, Uri,
};

use crate::document::Draft;
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

/// Serves on stdin/stdout until the client says `exit`.
pub fn serve_stdio() -> Result<(), LspError> {
    let (connection, io) = Connection::stdio();
    serve(&connection)?;
    drop(connection);
    io.join()?;
    Ok(())
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

/// Serves one client on a connection (stdio, or in memory for tests).
pub fn serve(connection: &Connection) -> Result<(), LspError> {
    let params = connection.initialize(serde_json::to_value(capabilities())?)?;
    let params: InitializeParams = serde_json::from_value(params)?;
    let root = root_of(&params).unwrap_or_else(|| std::env::current_dir().unwrap_or_default());
    let mut server = Server {
        connection,
        workspace: Workspace::load(&root),
        root,
        open: HashMap::new(),
    };
    for problem in server.workspace.problems.clone() {
        server.show(MessageType::WARNING, &problem)?;
    }
    for msg in &connection.receiver {
        match msg {
            Message::Request(req) => {
                if connection.handle_shutdown(&req)? {
                    return Ok(());
                }
                server.request(req)?;
            }
            Message::Notification(n) => server.notification(n)?,
            Message::Response(_) => {}
        }
    }
    Ok(())
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

struct Server<'a> {
    connection: &'a Connection,
    workspace: Workspace,
    root: PathBuf,
    /// Open drafts: their current text.
    open: HashMap<String, (Uri, Draft)>,
}

impl Server<'_> {
    fn send(&self, msg: Message) -> Result<(), LspError> {
        self.connection
            .sender
            .send(msg)
            .map_err(|_| LspError::Closed)
    }

    fn show(&self, typ: MessageType, message: &str) -> Result<(), LspError> {
        let params = ShowMessageParams {
            typ,
            message: format!("factcheck: {message}"),
        };
        self.send(Message::Notification(Notification::new(
            ShowMessage::METHOD.to_string(),
            params,
        )))
    }

    fn publish(&self, uri: &Uri, draft: &Draft) -> Result<(), LspError> {
        let params = PublishDiagnosticsParams {
            uri: uri.clone(),
            diagnostics: self.workspace.diagnostics(draft),
            version: None,
        };
        self.send(Message::Notification(Notification::new(
            PublishDiagnostics::METHOD.to_string(),
            params,
        )))
    }

    /// Records a draft's new text and publishes its diagnostics, if it is a draft.
    fn update(&mut self, uri: Uri, text: String) -> Result<(), LspError> {
        let Some(path) = path_of(&uri) else {
            return Ok(());
        };
        if path.extension().is_some_and(|e| e == "toml") && path.starts_with(&self.root) {
            // An assertion file or the configuration changed: check again, republish.
            self.workspace = Workspace::load(&self.root);
            for (uri, draft) in self.open.values() {
                self.publish(uri, draft)?;
            }
            return Ok(());
        }
        if !self.workspace.is_draft(&path) {
            return Ok(());
        }
        let draft = Draft::new(path, text);
        self.publish(&uri, &draft)?;
        self.open.insert(uri.as_str().to_string(), (uri, draft));
        Ok(())
    }

    fn notification(&mut self, n: Notification) -> Result<(), LspError> {
        match n.method.as_str() {
            DidOpenTextDocument::METHOD => {
                let p: DidOpenTextDocumentParams = serde_json::from_value(n.params)?;
                self.update(p.text_document.uri, p.text_document.text)
            }
            DidChangeTextDocument::METHOD => {
                let mut p: DidChangeTextDocumentParams = serde_json::from_value(n.params)?;
                match p.content_changes.pop() {
                    Some(change) => self.update(p.text_document.uri, change.text),
                    None => Ok(()),
                }
            }
            DidSaveTextDocument::METHOD => {
                let p: DidSaveTextDocumentParams = serde_json::from_value(n.params)?;
                let text = match p.text {
                    Some(text) => text,
                    None => match self.open.get(p.text_document.uri.as_str()) {
                        Some((_, draft)) => draft.text.clone(),
                        None => path_of(&p.text_document.uri)
                            .and_then(|path| std::fs::read_to_string(path).ok())
                            .unwrap_or_default(),
                    },
                };
                self.update(p.text_document.uri, text)
            }
            DidCloseTextDocument::METHOD => {
                let p: DidCloseTextDocumentParams = serde_json::from_value(n.params)?;
                self.open.remove(p.text_document.uri.as_str());
                Ok(())
            }
            _ => Ok(()),
        }
    }

    fn request(&mut self, req: Request) -> Result<(), LspError> {
        let response = match req.method.as_str() {
            HoverRequest::METHOD => {
                let p: HoverParams = serde_json::from_value(req.params)?;
                let uri = p.text_document_position_params.text_document.uri;
                let hover = self.open.get(uri.as_str()).and_then(|(_, draft)| {
                    self.workspace
                        .hover(draft, p.text_document_position_params.position)
                });
                Response::new_ok(req.id, hover)
            }
            CodeActionRequest::METHOD => {
                let p: CodeActionParams = serde_json::from_value(req.params)?;
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
                Response::new_ok(req.id, actions)
            }
            _ => Response::new_err(
                req.id,
                lsp_server::ErrorCode::MethodNotFound as i32,
                format!("factcheck does not handle {}", req.method),
            ),
        };
        self.send(Message::Response(response))
    }
}
