//! Helpers shared by the integration tests.
pub mod project;
pub mod server;
