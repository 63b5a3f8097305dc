//! Panics that are caught: a dependency that panics on a hostile input (a PDF reader, a
//! parser) becomes a reason, and nothing is printed for it. Rust's default panic hook prints
//! "thread … panicked" (and maybe a backtrace) even for a panic that is then caught, which users
//! read as a crash; this module owns the process's panic hook instead.
//!
//! [`catch`] runs a closure and turns its panic into a [`Caught`], printing nothing. The command
//! line and the language server over stdio call [`silence`], after which no panic prints at all:
//! they catch every panic themselves and report it once, as an error. Elsewhere (the test
//! harness, a library user) a panic outside [`catch`] still goes to the previous hook, so a
//! failing assertion still shows its message.
//!
//! ```
//! let caught = factcheck::caught::catch(|| -> u32 { panic!("bad input") });
//! assert_eq!(caught.unwrap_err().message, "bad input");
//! ```

use std::cell::Cell;
use std::panic::{AssertUnwindSafe, PanicHookInfo};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, Once};

/// A panic caught by [`catch`]: its message and where it happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caught {
    /// The panic's message (`"panic without a message"` when it carried none).
    pub message: String,
    /// `file:line:column` of the panic, when known.
    pub location: Option<String>,
}

impl std::fmt::Display for Caught {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)?;
        if let Some(at) = &self.location {
            write!(f, " (at {at})")?;
        }
        Ok(())
    }
}

impl std::error::Error for Caught {}

thread_local! {
    /// How many [`catch`] calls this thread is inside.
    static DEPTH: Cell<usize> = const { Cell::new(0) };
    /// The last panic of this thread that the hook kept quiet: (message, location).
    static LAST: Cell<Option<(String, Option<String>)>> = const { Cell::new(None) };
}

/// Whether every panic is kept quiet ([`silence`]).
static SILENT: AtomicBool = AtomicBool::new(false);
/// The location of the last quiet panic of any thread, for a panic that crossed threads.
static LAST_ANYWHERE: Mutex<Option<String>> = Mutex::new(None);
static INSTALL: Once = Once::new();

/// Installs the hook (once): quiet inside [`catch`] or after [`silence`], else the previous
/// hook.
fn install() {
    INSTALL.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info: &PanicHookInfo<'_>| {
            let quiet = SILENT.load(Ordering::Relaxed) || DEPTH.with(Cell::get) > 0;
            if !quiet {
                previous(info);
                return;
            }
            let location = info
                .location()
                .map(|l| format!("{}:{}:{}", l.file(), l.line(), l.column()));
            if let Ok(mut last) = LAST_ANYWHERE.lock() {
                last.clone_from(&location);
            }
            LAST.with(|last| last.set(Some((payload_message(info.payload()), location))));
        }));
    });
}

/// Keeps every panic of the process quiet from now on: the caller catches them and reports
/// each once (the command line and the stdio language server do).
pub fn silence() {
    install();
    SILENT.store(true, Ordering::Relaxed);
}

/// Runs `f`; a panic inside it is returned as a [`Caught`] and prints nothing.
///
/// `f` is treated as unwind-safe: call it only where nothing it half-updated is used after a
/// panic (a parser reading its input, a request handler whose state is replaced).
pub fn catch<T>(f: impl FnOnce() -> T) -> Result<T, Caught> {
    install();
    DEPTH.with(|d| d.set(d.get() + 1));
    let result = std::panic::catch_unwind(AssertUnwindSafe(f));
    DEPTH.with(|d| d.set(d.get().saturating_sub(1)));
    result.map_err(|payload| caught(payload.as_ref()))
}

/// The [`Caught`] of a panic payload taken by `catch_unwind` after the hook ran.
pub fn caught(payload: &(dyn std::any::Any + Send)) -> Caught {
    let here = LAST.with(Cell::take);
    let message = payload_message(payload);
    let location = match here {
        Some((m, location)) if m == message => location,
        _ => LAST_ANYWHERE.lock().ok().and_then(|l| l.clone()),
    };
    Caught { message, location }
}

/// The message a panic carried.
pub fn payload_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "panic without a message".to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_caught_panic_is_a_reason_with_its_place() {
        let c = catch(|| -> u8 { panic!("boom {}", 7) }).expect_err("panics");
        assert_eq!(c.message, "boom 7");
        assert!(
            c.location
                .as_deref()
                .is_some_and(|l| l.contains("caught.rs")),
            "{c:?}"
        );
        assert_eq!(catch(|| 5).expect("no panic"), 5);
        // Nested catches unwind to the innermost.
        let outer = catch(|| catch(|| -> u8 { panic!("inner") }).is_err());
        assert_eq!(outer, Ok(true));
    }
}
