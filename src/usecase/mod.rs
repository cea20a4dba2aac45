//! What people do with the record that takes more than one call, above the `Api`: the same whether the store is opened here or served.

pub mod access_report;
pub mod retention;
