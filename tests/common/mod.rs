//! Helpers shared by the integration tests.
pub mod project;
pub mod server;
pub mod shared_page;
