//! Every claim under `assertions/` as its own test, with a snapshot under `snapshots/`.

fn main() {
    factcheck::harness::Harness::new(env!("CARGO_MANIFEST_DIR")).run_and_exit();
}
