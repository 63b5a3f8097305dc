//! The `factcheck` command: a thin layer over the library (its `cli` module, the `cli` feature).

use std::process::ExitCode;

fn main() -> ExitCode {
    factcheck::cli::main()
}
