//! The test harness in a project of your own: every claim of `assertions/` as a libtest trial,
//! its result snapshotted with insta under `snapshots/`.
//!
//! In your project this is `tests/claims.rs`, with, in `Cargo.toml`:
//!
//! ```toml
//! [dev-dependencies]
//! factcheck = { version = "0.1", default-features = false }
//!
//! [[test]]
//! name = "claims"
//! harness = false
//! ```
//!
//! and `cargo test` runs it (`cargo test --test claims -- --list` lists the claims,
//! `INSTA_UPDATE=always` or `cargo insta review` accepts new snapshots). Here it runs on this
//! repository's assertions: `cargo run --example harness -- --list`.

fn main() {
    factcheck::Harness::new(env!("CARGO_MANIFEST_DIR"))
        // The defaults, spelled out: the assertion files, and where snapshots live.
        .paths(vec!["assertions".into()])
        .snapshots("snapshots")
        .run_and_exit();
}
