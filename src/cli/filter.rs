//! `triage filter`: the interface's fuzzy matching as a plain filter over lines (like
//! `fzf --filter`), for measuring the matcher against fzf on the same input.

use anyhow::{Context, Result};
use fuzzy_matcher::skim::SkimMatcherV2;
use fuzzy_matcher::FuzzyMatcher;
use std::io::{BufWriter, Write};
use std::path::Path;
use std::process::ExitCode;

/// Folds case for matching: Unicode lower-casing, so "Åse" and "åse" match (the matcher
/// itself folds ASCII only).
pub fn fold(s: &str) -> String {
    if s.is_ascii() {
        s.to_ascii_lowercase()
    } else {
        s.to_lowercase()
    }
}

/// Scores every line against the query on all cores; returns (score, line index), best first.
pub fn matches(lines: &[&str], query: &str) -> Vec<(i64, usize)> {
    let query = fold(query);
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .max(1);
    let chunk = lines.len().div_ceil(threads).max(1);
    let mut found: Vec<(i64, usize)> = std::thread::scope(|scope| {
        let handles: Vec<_> = lines
            .chunks(chunk)
            .enumerate()
            .map(|(c, part)| {
                let query = &query;
                scope.spawn(move || {
                    let matcher = SkimMatcherV2::default();
                    let mut out = Vec::new();
                    for (i, line) in part.iter().enumerate() {
                        let folded;
                        let hay: &str =
                            if line.is_ascii() && !line.bytes().any(|b| b.is_ascii_uppercase()) {
                                line
                            } else {
                                folded = fold(line);
                                &folded
                            };
                        if let Some(score) = matcher.fuzzy_match(hay, query) {
                            out.push((score, c * chunk + i));
                        }
                    }
                    out
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    });
    found.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    found
}

pub fn run(file: &Path, query: &str) -> Result<ExitCode> {
    let text = std::fs::read_to_string(file)
        .with_context(|| crate::tui::i18n_cli::CliError::CannotRead(file.to_path_buf()))?;
    let lines: Vec<&str> = text.lines().collect();
    let found = matches(&lines, query);
    let mut out = BufWriter::new(std::io::stdout().lock());
    for (_, i) in &found {
        writeln!(out, "{}", crate::domain::sanitize::sanitize_line(lines[*i]))?;
    }
    out.flush()?;
    Ok(if found.is_empty() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn danish_letters_and_case_match_as_a_user_expects() {
        let lines = ["Åse Ødegård", "ase odegard", "Bjørn Æblegaard", "Soren"];
        let hits: Vec<usize> = matches(&lines, "åse").into_iter().map(|(_, i)| i).collect();
        assert_eq!(hits, vec![0]);
        let hits: Vec<usize> = matches(&lines, "ÆBLE")
            .into_iter()
            .map(|(_, i)| i)
            .collect();
        assert_eq!(hits, vec![2]);
        let hits: Vec<usize> = matches(&lines, "SOREN")
            .into_iter()
            .map(|(_, i)| i)
            .collect();
        assert_eq!(hits, vec![3]);
        assert!(matches(&lines, "zzz").is_empty());
    }
}
