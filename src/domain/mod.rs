//! Pure rules over plain data: no I/O, no terminal, no wall clock.

pub mod basis;
pub mod calendar;
pub mod case;
pub mod category;
pub mod clock;
pub mod command;
pub mod detect;
pub mod enquiry;
pub mod handover;
pub mod policy;
pub mod report;
pub mod routing;
pub mod sanitize;
pub mod summary;

#[cfg(test)]
pub(crate) mod fixtures;
