//! What untrusted input may cost: bytes read, bytes decompressed, DOM depth, PDF work, draft and
//! message sizes. One value for the whole process, with defaults, settable in `factcheck.toml`'s
//! `[limits]` table (docs/FORMAT.md, "Limits").
//!
//! Parsers deep in the pipeline read the limits with [`Limits::current`] rather than taking them
//! as an argument everywhere; the command line and the harness install the configured ones once,
//! at start-up, with [`Limits::install`]. Until then (and in library use that never installs
//! any) the defaults hold.
//!
//! ```
//! use factcheck::limits::Limits;
//! assert_eq!(Limits::current().body_bytes, 20 * 1024 * 1024);
//! ```

use std::sync::OnceLock;

use serde::Deserialize;

/// The limits on untrusted input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Limits {
    /// The largest body read from any source (HTTP, an archive record, an import, a batch
    /// file), in bytes; also the HTTP `body_limit` default.
    pub body_bytes: u64,
    /// The most bytes any decompression (gzip, brotli, deflate, PDF streams) may produce.
    pub decompressed_bytes: u64,
    /// The deepest HTML element nesting walked; deeper content is read as text of its ancestor
    /// at this depth (html5ever itself accepts any depth).
    pub dom_depth: usize,
    /// The most PDF objects a document may have.
    pub pdf_objects: usize,
    /// The deepest PDF nesting (Form XObjects drawing Form XObjects, CMaps using CMaps).
    pub pdf_recursion: usize,
    /// The longest a PDF's text extraction may run, in seconds.
    pub pdf_seconds: u64,
    /// The largest draft read (a `[document] path`, `factcheck figures`), in bytes.
    pub draft_bytes: u64,
    /// The largest language-server message, in bytes.
    pub message_bytes: u64,
}

/// The default of [`Limits::body_bytes`]: 20 MiB.
pub const DEFAULT_BODY_BYTES: u64 = 20 * 1024 * 1024;

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            body_bytes: DEFAULT_BODY_BYTES,
            decompressed_bytes: DEFAULT_BODY_BYTES,
            dom_depth: 512,
            pdf_objects: 200_000,
            pdf_recursion: 32,
            pdf_seconds: 30,
            draft_bytes: 16 * 1024 * 1024,
            message_bytes: 64 * 1024 * 1024,
        }
    }
}

static INSTALLED: OnceLock<Limits> = OnceLock::new();

impl Limits {
    /// The limits in force: the installed ones, else the defaults.
    pub fn current() -> Limits {
        INSTALLED.get().copied().unwrap_or_default()
    }

    /// Installs `self` for the rest of the process; `false` (and nothing changes) when limits
    /// were installed already.
    pub fn install(self) -> bool {
        INSTALLED.set(self).is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_hold_and_tables_may_set_some() {
        let d = Limits::default();
        assert_eq!(d.body_bytes, DEFAULT_BODY_BYTES);
        let set: Limits = toml::from_str("dom_depth = 64\npdf_seconds = 5\n").expect("parses");
        assert_eq!(set.dom_depth, 64);
        assert_eq!(set.pdf_seconds, 5);
        assert_eq!(set.body_bytes, d.body_bytes);
        assert!(toml::from_str::<Limits>("dom_dpeth = 64\n").is_err());
    }
}
