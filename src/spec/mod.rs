//! Assertion files: the schema ([`model`]), loading and validation ([`load_paths`],
//! [`load_file`], [`load_str`]), and located, rustc-style error messages ([`Diagnostics`]).
//!
//! The loader walks TOML's spanned document tree itself, so that one pass reports every error
//! of every file, each pointing at the exact key or value.

mod check;
mod claim;
pub mod diagnostic;
mod load;
pub mod model;
mod syntax;
mod walk;

pub use diagnostic::{
    Diagnostic, Diagnostics, LineIndex, Severity, TextPos, cut, edit_distance, line_col, suggest,
};
pub use load::{ASSERTION_EXTENSION, each_file, load_file, load_paths, load_str};
pub use model::*;
pub use syntax::VALUE_GROUP;

#[cfg(test)]
mod tests;
