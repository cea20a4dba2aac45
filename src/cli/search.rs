//! `triage search QUERY`: the cases whose text matches, best first, each with a snippet.

use super::{connect_or_open, Global};
use crate::search::Hit;
use crate::tui::i18n_cli::Say;
use anyhow::Result;
use std::io::{IsTerminal, Write};
use std::process::ExitCode;

/// Hits shown unless `--limit` says otherwise.
pub const DEFAULT_LIMIT: usize = 20;

pub fn run(global: &Global, query: &str, json: bool, limit: usize) -> Result<ExitCode> {
    // A malformed query is bad input (exit 2), said before the store is opened; the store
    // checks it again (the server does for every client).
    if let Err(e) = crate::search::query::parse(query) {
        return Err(super::fail::BadInput(e.to_string()).into());
    }
    let api = connect_or_open(global)?;
    // The refusal already says what is wrong: once, without its source appended again.
    let hits = api
        .search(query, limit)
        .map_err(|e| anyhow::anyhow!(e.to_string()))?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    if json {
        for h in &hits {
            let line = serde_json::json!({
                "reference": h.reference.to_string(),
                "score": h.score,
                "snippet": h.snippet,
                "highlights": h.highlights,
            });
            writeln!(out, "{line}")?;
        }
        out.flush()?;
        return Ok(ExitCode::SUCCESS);
    }
    let bold = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    for h in &hits {
        writeln!(out, "{}  {}", h.reference, marked(h, bold))?;
    }
    out.flush()?;
    if hits.is_empty() && !query.trim().is_empty() {
        eprintln!("{}", Say::NoCaseMatches.text(global.lang()));
    }
    Ok(ExitCode::SUCCESS)
}

/// The snippet with its matched words in bold on a terminal, in [brackets] elsewhere. The
/// snippet is already sanitised; only our own marks are added.
pub fn marked(h: &Hit, bold: bool) -> String {
    let (open, close) = if bold {
        ("\x1b[1m", "\x1b[0m")
    } else {
        ("[", "]")
    };
    let mut out = String::with_capacity(h.snippet.len() + 8 * h.highlights.len());
    let mut marks = h.highlights.iter().peekable();
    for (i, c) in h.snippet.chars().enumerate() {
        let i = i as u32;
        while let Some((_, end)) = marks.peek() {
            if *end == i {
                out.push_str(close);
                marks.next();
            } else {
                break;
            }
        }
        if marks.peek().is_some_and(|(start, _)| *start == i) {
            out.push_str(open);
        }
        out.push(c);
    }
    if marks.next().is_some() {
        out.push_str(close);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::enquiry::Reference;

    #[test]
    fn matched_words_are_marked() {
        let h = Hit {
            reference: Reference::new(2026, 1),
            score: 1.0,
            snippet: "om min nyre og Søren".into(),
            highlights: vec![(7, 11), (15, 20)],
        };
        assert_eq!(marked(&h, false), "om min [nyre] og [Søren]");
        assert_eq!(
            marked(&h, true),
            "om min \x1b[1mnyre\x1b[0m og \x1b[1mSøren\x1b[0m"
        );
    }
}
