//! The drafts claims are placed on (`[document] path`, or `--document` for all): each read once
//! per run.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use crate::document::{self, Draft};
use crate::result::DocumentPos;
use crate::source::error_chain;
use crate::spec::{AssertionFile, Claim};

use super::lock;

/// Drafts read so far, and the warnings of those that could not be read.
#[derive(Default)]
pub(crate) struct Drafts {
    /// The draft every claim is placed on (`--document`), instead of each file's own.
    pub(crate) document: Option<PathBuf>,
    /// Drafts read so far (`None`: could not be read).
    read: Mutex<HashMap<PathBuf, Option<Arc<Draft>>>>,
    /// Why drafts could not be read, in the order they were first asked for.
    warnings: Mutex<Vec<String>>,
}

impl Drafts {
    /// The draft of a file's claims, read once.
    pub(crate) fn get(&self, file: &AssertionFile) -> Option<Arc<Draft>> {
        let path = self
            .document
            .clone()
            .or_else(|| document::draft_path(file))?;
        lock(&self.read)
            .entry(path.clone())
            .or_insert_with(|| match Draft::read(&path) {
                Ok(draft) => Some(Arc::new(draft)),
                Err(e) => {
                    lock(&self.warnings).push(error_chain(&e));
                    None
                }
            })
            .clone()
    }

    /// Where a claim's quote is in its draft, or a warning when it is missing or repeated.
    pub(crate) fn place(
        &self,
        file: &AssertionFile,
        claim: &Claim,
    ) -> (Option<DocumentPos>, Option<String>) {
        let Some(draft) = self.get(file) else {
            return (None, None);
        };
        match document::place_claim(&draft, file, claim) {
            Ok(placed) => (
                Some(DocumentPos {
                    path: draft.path.display().to_string(),
                    line: placed.start.line,
                    column: placed.start.column,
                    end_line: placed.end.line,
                    end_column: placed.end.column,
                }),
                None,
            ),
            // An unsourced claim without a quote is a note to self, not worth a warning.
            Err(warning) => (None, claim.quote.is_some().then_some(warning)),
        }
    }

    /// The warnings of drafts that could not be read, emptied.
    pub(crate) fn take_warnings(&self) -> Vec<String> {
        std::mem::take(&mut *lock(&self.warnings))
    }
}
