//! triage: register, classify, route and watch the clocks of citizen enquiries.

pub mod domain;
pub mod import;
pub mod store;
