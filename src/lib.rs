//! triage: register, classify, route and watch the clocks of citizen enquiries.

pub mod alloc;
pub mod archive;
pub mod cli;
pub mod domain;
pub mod fill;
pub mod identity;
pub mod import;
pub mod letter;
pub mod parallel;
pub mod search;
pub mod server;
pub mod store;
pub mod tui;
pub mod usecase;
