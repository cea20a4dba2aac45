//! Letters as PDF: the Markdown letters of `domain::report` laid out on A4 pages.
//!
//! The letters are built once, as Markdown; this module reads that small, known subset
//! (headings, paragraphs, lists, quotes, hard breaks, bold) into blocks and sets them with
//! the bundled DejaVu Sans, so a PDF says exactly what the Markdown says.

pub mod blocks;
pub mod pdf;

pub use blocks::{blocks, plain_text, Block};
pub use pdf::{letter_pdf, PdfError};
