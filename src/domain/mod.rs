//! Pure rules over plain data: no I/O, no terminal, no wall clock.

pub mod basis;
pub mod calendar;
pub mod case;
pub mod category;
pub mod clock;
pub mod command;
pub mod cpr;
pub mod danish_time;
pub mod detect;
pub mod enquiry;
pub mod handover;
pub mod invalid;
pub mod policy;
pub mod purpose_cue;
pub mod report;
pub mod route_problem;
pub mod routing;
pub mod safe_json;
pub mod sanitize;
pub mod summary;

#[cfg(test)]
pub(crate) mod fixtures;
