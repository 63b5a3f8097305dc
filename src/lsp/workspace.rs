//! What the language server knows: the claims of the workspace's assertion files, their
//! verdicts (checked once, from the cache and archives only), and how they land on a draft's
//! current text.
//!
//! A verdict depends on the sources, not on the draft, so an edit never re-checks anything: it
//! re-places the quotes in the new text (a normalisation of the draft, microseconds for an
//! article) and maps the verdicts onto their new ranges.

use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use lsp_types::{
    CodeAction, CodeActionKind, Diagnostic, DiagnosticSeverity, Hover, HoverContents,
    MarkupContent, MarkupKind, NumberOrString, Position, Range as LspRange, TextEdit, Uri,
    WorkspaceEdit,
};

use crate::config::Config;
use crate::document::{self, Draft};
use crate::figure::{self, Figure};
use crate::report::Level;
use crate::result::ClaimResult;
use crate::run::{Filter, Runner, error_chain};
use crate::scaffold;
use crate::source::Sources;
use crate::spec::{self, CheckKind, Suite, Verdict};

/// The workspace: claims, their results, and the drafts they are about.
pub struct Workspace {
    suite: Suite,
    /// Results by `(file index, claim index)`.
    results: HashMap<(usize, usize), ClaimResult>,
    /// Canonical draft path → the claims about it.
    drafts: HashMap<PathBuf, Vec<(usize, usize)>>,
    /// Problems loading the workspace, for the client to show.
    pub problems: Vec<String>,
}

/// A claim placed on the current text of a draft.
struct Placed<'a> {
    range: Range<usize>,
    result: &'a ClaimResult,
    file: usize,
    claim: usize,
}

impl Workspace {
    /// A workspace with no claims, and these problems to show.
    pub fn empty(problems: Vec<String>) -> Workspace {
        Workspace {
            suite: Suite::default(),
            results: HashMap::new(),
            drafts: HashMap::new(),
            problems,
        }
    }

    /// Loads the assertion files under `root` (as `factcheck.toml` says) and checks every claim
    /// offline: cache and archives only, so the editor never waits on the network.
    pub fn load(root: &Path) -> Workspace {
        let mut problems = Vec::new();
        let config = Config::discover(root).unwrap_or_else(|e| {
            problems.push(error_chain(&e));
            Config {
                root: root.to_path_buf(),
                ..Config::default()
            }
        });
        let paths: Vec<PathBuf> = config
            .assertion_paths()
            .into_iter()
            .filter(|p| p.exists())
            .collect();
        let suite = if paths.is_empty() {
            Suite::default()
        } else {
            spec::load_paths(&paths).unwrap_or_else(|d| {
                problems.push(d.render(false));
                Suite::default()
            })
        };
        let mut opts = config.source_options();
        opts.offline = true;
        let mut results = HashMap::new();
        match Sources::open(&opts) {
            Ok(sources) => {
                let mut runner = Runner::new(sources);
                match crate::expiry::today() {
                    Ok(today) => runner = runner.with_today(today),
                    Err(e) => problems.push(e.to_string()),
                }
                match runner.run(&suite, &Filter::default()) {
                    Ok(run) => {
                        let mut it = run.claims.into_iter();
                        for (f, file) in suite.files.iter().enumerate() {
                            for c in 0..file.claims.len() {
                                if let Some(r) = it.next() {
                                    results.insert((f, c), r);
                                }
                            }
                        }
                    }
                    Err(e) => problems.push(error_chain(&e)),
                }
            }
            Err(e) => problems.push(error_chain(&e)),
        }
        let mut drafts: HashMap<PathBuf, Vec<(usize, usize)>> = HashMap::new();
        for (f, file) in suite.files.iter().enumerate() {
            if let Some(path) = document::draft_path(file) {
                let key = path.canonicalize().unwrap_or(path);
                drafts
                    .entry(key)
                    .or_default()
                    .extend((0..file.claims.len()).map(|c| (f, c)));
            }
        }
        Workspace {
            suite,
            results,
            drafts,
            problems,
        }
    }

    /// Whether `path` is a draft some assertion file names.
    pub fn is_draft(&self, path: &Path) -> bool {
        self.drafts.contains_key(&canonical(path))
    }

    /// The drafts, canonical paths.
    pub fn drafts(&self) -> impl Iterator<Item = &Path> {
        self.drafts.keys().map(PathBuf::as_path)
    }

    fn placed<'a>(&'a self, draft: &Draft) -> Vec<Placed<'a>> {
        let Some(claims) = self.drafts.get(&canonical(&draft.path)) else {
            return Vec::new();
        };
        claims
            .iter()
            .filter_map(|&(f, c)| {
                let file = &self.suite.files[f];
                let placed = document::place_claim(draft, file, &file.claims[c]).ok()?;
                Some(Placed {
                    range: placed.range,
                    result: self.results.get(&(f, c))?,
                    file: f,
                    claim: c,
                })
            })
            .collect()
    }

    /// The diagnostics of a draft's current text: disputed claims are errors, not_found and
    /// unavailable warnings, unsourced claims and figures no claim covers hints.
    pub fn diagnostics(&self, draft: &Draft) -> Vec<Diagnostic> {
        let placed = self.placed(draft);
        let mut out: Vec<Diagnostic> = placed
            .iter()
            .filter_map(|p| {
                let severity = match Level::of(p.result.verdict) {
                    Level::Error => DiagnosticSeverity::ERROR,
                    Level::Warning => DiagnosticSeverity::WARNING,
                    Level::Note => DiagnosticSeverity::HINT,
                    Level::None => return None,
                };
                Some(Diagnostic {
                    range: lsp_range(draft, &p.range),
                    severity: Some(severity),
                    code: Some(NumberOrString::String(p.result.name())),
                    source: Some("factcheck".into()),
                    message: format!(
                        "{}: {} — {}",
                        p.result.verdict, p.result.statement, p.result.reason
                    ),
                    ..Diagnostic::default()
                })
            })
            .collect();
        let covered: Vec<(Range<usize>, &ClaimResult)> =
            placed.iter().map(|p| (p.range.clone(), p.result)).collect();
        for f in document::cover(draft, &covered) {
            if f.claims.is_empty() {
                out.push(Diagnostic {
                    range: lsp_range(draft, &f.figure.range),
                    severity: Some(DiagnosticSeverity::HINT),
                    code: Some(NumberOrString::String("uncovered".into())),
                    source: Some("factcheck".into()),
                    message: format!(
                        "{} \"{}\" is covered by no claim",
                        f.figure.kind, f.figure.text
                    ),
                    ..Diagnostic::default()
                });
            }
        }
        out.sort_by_key(|d| (d.range.start.line, d.range.start.character));
        out
    }

    /// What a hover at `pos` shows: the statement, verdict, reason, evidence and source of the
    /// claims whose quote is there.
    pub fn hover(&self, draft: &Draft, pos: Position) -> Option<Hover> {
        let at = offset(draft, pos)?;
        let parts: Vec<String> = self
            .placed(draft)
            .iter()
            .filter(|p| p.range.start <= at && at <= p.range.end)
            .map(|p| {
                let r = p.result;
                let mut s = format!(
                    "**{}** — {}\n\n`{}`: {}",
                    r.verdict,
                    r.statement,
                    r.name(),
                    r.reason
                );
                for e in &r.evidence {
                    if let Some(x) = &e.excerpt {
                        s.push_str(&format!("\n\n> {x}"));
                    }
                    if let Some(v) = &e.value {
                        s.push_str(&format!("\n\nValue: {v}"));
                    }
                    s.push_str(&format!("\n\nSource: {}", e.url));
                }
                if let Some(note) = &r.note {
                    s.push_str(&format!("\n\n*{note}*"));
                }
                // How the verdict came about: every candidate, the closest passages.
                s.push_str(&format!("\n\nExplain: `factcheck explain {}`", r.name()));
                s
            })
            .collect();
        if parts.is_empty() {
            return None;
        }
        Some(Hover {
            contents: HoverContents::Markup(MarkupContent {
                kind: MarkupKind::Markdown,
                value: parts.join("\n\n---\n\n"),
            }),
            range: None,
        })
    }

    /// Quick fixes in `range`: a disputed figure replaced with the figure its source gives.
    // lsp-types keys `WorkspaceEdit::changes` by `Uri`, whose cached parse clippy mistakes for
    // interior mutability of the key.
    #[allow(clippy::mutable_key_type)]
    pub fn code_actions(&self, uri: &Uri, draft: &Draft, range: LspRange) -> Vec<CodeAction> {
        let (Some(from), Some(to)) = (offset(draft, range.start), offset(draft, range.end)) else {
            return Vec::new();
        };
        let placed = self.placed(draft);
        let mut actions = Vec::new();
        for p in &placed {
            if p.result.verdict != Verdict::Disputed || p.range.end < from || p.range.start > to {
                continue;
            }
            let claim = &self.suite.files[p.file].claims[p.claim];
            let Some(CheckKind::Figure(check)) = claim.check.as_ref().map(|c| &c.kind) else {
                continue;
            };
            let Some(located) = p.result.evidence.iter().find_map(|e| e.value.as_deref()) else {
                continue;
            };
            let (Ok(claimed), Some(value)) = (
                figure::parse_claimed(&check.claimed),
                figure::parse_located(located),
            ) else {
                continue;
            };
            let quote = &draft.text[p.range.clone()];
            let Some(written) = figure::scan(quote).into_iter().next() else {
                continue;
            };
            let replacement = rewrite(&written, &claimed, &value);
            let span = p.range.start + written.span.start..p.range.start + written.span.end;
            let edit = TextEdit {
                range: lsp_range(draft, &span),
                new_text: replacement.clone(),
            };
            let mut changes = HashMap::new();
            changes.insert(uri.clone(), vec![edit]);
            actions.push(CodeAction {
                title: format!(
                    "Replace \"{}\" with \"{replacement}\", as {} gives it",
                    written.text,
                    p.result
                        .evidence
                        .first()
                        .map_or("the source", |e| e.url.as_str())
                ),
                kind: Some(CodeActionKind::QUICKFIX),
                edit: Some(WorkspaceEdit {
                    changes: Some(changes),
                    ..WorkspaceEdit::default()
                }),
                is_preferred: Some(true),
                ..CodeAction::default()
            });
        }
        actions.extend(self.scaffold_actions(draft, &placed, from, to));
        actions
    }

    /// "Add a claim for this figure": for each figure in `from..to` that no claim covers, the
    /// stub `factcheck figures --scaffold` would append, as an edit of the draft's (first)
    /// assertion file.
    #[allow(clippy::mutable_key_type)]
    fn scaffold_actions(
        &self,
        draft: &Draft,
        placed: &[Placed<'_>],
        from: usize,
        to: usize,
    ) -> Vec<CodeAction> {
        // The first assertion file about this draft (with claims or not yet).
        let here = canonical(&draft.path);
        let Some(file) = self
            .suite
            .files
            .iter()
            .find(|f| document::draft_path(f).is_some_and(|p| canonical(&p) == here))
        else {
            return Vec::new();
        };
        let (Ok(path), Some(dir)) = (
            std::path::absolute(&file.path),
            std::path::absolute(&file.path)
                .ok()
                .and_then(|p| p.parent().map(Path::to_path_buf)),
        ) else {
            return Vec::new();
        };
        let Some(file_uri) = super::uri_of(&path) else {
            return Vec::new();
        };
        let covered: Vec<(Range<usize>, &ClaimResult)> =
            placed.iter().map(|p| (p.range.clone(), p.result)).collect();
        let uncovered: Vec<_> = document::cover(draft, &covered)
            .into_iter()
            .filter(|c| {
                c.claims.is_empty() && c.figure.range.end >= from && c.figure.range.start <= to
            })
            .map(|c| c.figure)
            .collect();
        let taken = file.claims.iter().map(|c| c.id.clone()).collect();
        let draft_path = scaffold::relative_path(&canonical(&draft.path), &canonical(&dir));
        let mut actions = Vec::new();
        for figure in uncovered {
            let (stubs, _) = scaffold::stubs(draft, std::slice::from_ref(&figure), &taken);
            let Some(stub) = stubs.into_iter().next() else {
                continue; // no words to find it by: nothing to offer
            };
            let Ok(text) =
                scaffold::append(Some(&file.text), &draft_path, std::slice::from_ref(&stub))
            else {
                continue;
            };
            let edit = TextEdit {
                range: LspRange::new(Position::new(0, 0), end_of(&file.text)),
                new_text: text,
            };
            let mut changes = HashMap::new();
            changes.insert(file_uri.clone(), vec![edit]);
            actions.push(CodeAction {
                title: format!(
                    "Add a claim for {} \"{}\" to {} (id `{}`, near \"{}\")",
                    figure.kind,
                    figure.text,
                    file.path.display(),
                    stub.id,
                    stub.near
                ),
                kind: Some(CodeActionKind::QUICKFIX),
                edit: Some(WorkspaceEdit {
                    changes: Some(changes),
                    ..WorkspaceEdit::default()
                }),
                ..CodeAction::default()
            });
        }
        actions
    }
}

/// The position after the last character of `text`, in LSP terms (UTF-16 columns).
fn end_of(text: &str) -> Position {
    let line = text.matches('\n').count();
    let last = text.rsplit('\n').next().unwrap_or("");
    Position::new(line as u32, last.encode_utf16().count() as u32)
}

/// The figure the source gives, written the way the draft wrote its own: same currency symbol,
/// scale word and hedge, one more decimal than the draft if that is what it takes to differ.
pub fn rewrite(written: &Figure, claimed: &Figure, located: &Figure) -> String {
    let mut value = located.value();
    // "fell 12%" is claimed as -12%: the draft writes the magnitude.
    if written.low >= 0.0 && claimed.low < 0.0 && value < 0.0 {
        value = -value;
    }
    let scaled = value / written.scale;
    let mut decimals = decimals_of(written);
    let written_value = written.low / written.scale;
    while decimals < 4 && round_to(scaled, decimals) == round_to(written_value, decimals) {
        decimals += 1;
    }
    let number = format!("{:.*}", decimals, round_to(scaled, decimals));
    // Keep the draft's text around the number: replace its first number.
    let text = &written.text;
    let start = text.find(|c: char| c.is_ascii_digit()).unwrap_or(0);
    let end = start
        + text[start..]
            .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == ','))
            .unwrap_or(text.len() - start);
    format!("{}{}{}", &text[..start], number, &text[end..])
}

/// How many decimals a figure was written with, from its implied precision (half a unit of
/// its last digit, in its own scale).
fn decimals_of(f: &Figure) -> usize {
    let unit = 2.0 * f.precision / f.scale;
    if unit > 0.0 && unit < 1.0 {
        (-unit.log10()).round() as usize
    } else {
        0
    }
}

fn round_to(x: f64, decimals: usize) -> f64 {
    let m = 10f64.powi(decimals as i32);
    (x * m).round() / m
}

fn canonical(path: &Path) -> PathBuf {
    path.canonicalize().unwrap_or_else(|_| path.to_path_buf())
}

/// An LSP range (0-based lines, UTF-16 columns) of a byte range of the draft.
pub fn lsp_range(draft: &Draft, range: &Range<usize>) -> LspRange {
    let pos = |b: usize| {
        let p = draft.position(b);
        Position::new(
            u32::try_from(p.line - 1).unwrap_or(u32::MAX),
            u32::try_from(p.utf16).unwrap_or(u32::MAX),
        )
    };
    LspRange::new(pos(range.start), pos(range.end))
}

/// The byte offset of an LSP position in the draft; `None` for a line past the last.
pub fn offset(draft: &Draft, pos: Position) -> Option<usize> {
    draft.offset_of(pos.line as usize, pos.character as usize)
}
