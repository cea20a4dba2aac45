//! The enquiry text as the case pane draws it: cut at CPR numbers and detected spans first,
//! then each piece masked and sanitised, then wrapped to the pane.

use crate::domain::case::Suggestion;
use crate::domain::category::DataCategory;
use crate::domain::cpr::{mask_cpr, mask_spans};
use crate::domain::sanitize::sanitize_text;
use unicode_width::UnicodeWidthChar;

/// What a piece of the text is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    Plain,
    /// A CPR number: masked unless revealed.
    Cpr {
        revealed: bool,
    },
    /// A term detection matched to a category.
    Term(DataCategory),
}

/// A piece of text and what it is.
pub type Piece = (String, Mark);

/// The body cut at CPR numbers and suggestion spans, each piece masked (unless `revealed`)
/// and sanitised on its own, so sanitising cannot move a highlight.
pub fn pieces(body: &str, suggestions: &[Suggestion], revealed: bool) -> Vec<Piece> {
    // Byte ranges of detected terms, limited to the body (subject spans lie past its end)
    // and to character boundaries.
    let mut terms: Vec<(usize, usize, DataCategory)> = suggestions
        .iter()
        .filter(|s| s.category != DataCategory::Cpr)
        .flat_map(|s| {
            s.spans
                .iter()
                .map(move |&(a, b)| (a as usize, b as usize, s.category))
        })
        .filter(|&(a, b, _)| {
            a < b && b <= body.len() && body.is_char_boundary(a) && body.is_char_boundary(b)
        })
        .collect();
    terms.sort_by_key(|&(a, b, _)| (a, std::cmp::Reverse(b)));

    let mut out: Vec<Piece> = Vec::new();
    let mut push = |raw: &str, mark: Mark| {
        if raw.is_empty() {
            return;
        }
        let shown = match mark {
            Mark::Cpr { revealed: false } => mask_cpr(raw),
            _ => raw.to_string(),
        };
        out.push((sanitize_text(&shown).into_owned(), mark));
    };
    // Plain stretches between CPR numbers, cut again at terms.
    let plain = |from: usize, to: usize, push: &mut dyn FnMut(&str, Mark)| {
        let mut at = from;
        for &(a, b, cat) in &terms {
            let (a, b) = (a.max(at), b.min(to));
            if a >= b {
                continue;
            }
            push(&body[at..a], Mark::Plain);
            push(&body[a..b], Mark::Term(cat));
            at = b;
        }
        push(&body[at..to], Mark::Plain);
    };
    let mut at = 0;
    // Every form the subject index files is masked too (`A0707614285`, `+45 0707614285`).
    for span in mask_spans(body) {
        plain(at, span.start, &mut push);
        push(&body[span.clone()], Mark::Cpr { revealed });
        at = span.end;
    }
    plain(at, body.len(), &mut push);
    out
}

/// Wraps pieces to `width` columns at spaces (breaking words longer than a line), keeping
/// each character's mark. Line breaks in the text start new lines.
pub fn wrap(pieces: &[Piece], width: usize) -> Vec<Vec<Piece>> {
    let width = width.max(1);
    let mut lines: Vec<Vec<(char, Mark)>> = vec![Vec::new()];
    for (text, mark) in pieces {
        for c in text.chars() {
            if c == '\n' {
                lines.push(Vec::new());
            } else if let Some(l) = lines.last_mut() {
                l.push((c, *mark));
            }
        }
    }
    let mut out = Vec::new();
    for line in lines {
        for wrapped in wrap_line(&line, width) {
            out.push(runs(wrapped));
        }
    }
    out
}

fn width_of(c: char) -> usize {
    c.width().unwrap_or(0)
}

fn wrap_line(line: &[(char, Mark)], width: usize) -> Vec<&[(char, Mark)]> {
    let mut out = Vec::new();
    let mut start = 0;
    while start < line.len() {
        // Take as many characters as fit.
        let mut w = 0;
        let mut end = start;
        while end < line.len() && w + width_of(line[end].0) <= width {
            w += width_of(line[end].0);
            end += 1;
        }
        if end == start {
            // A character wider than the line: give it a line of its own.
            end = start + 1;
        }
        if end < line.len() {
            // Break after the last space within the line, if there is one.
            if let Some(sp) = line[start..end].iter().rposition(|(c, _)| *c == ' ') {
                if sp > 0 {
                    end = start + sp + 1;
                }
            }
        }
        let mut shown = &line[start..end];
        while let Some(((' ', _), rest)) = shown.split_last() {
            if end < line.len() {
                shown = rest;
            } else {
                break;
            }
        }
        out.push(shown);
        start = end;
        // Spaces at the start of a continuation line are dropped.
        while start < line.len() && line[start].0 == ' ' && end < line.len() {
            start += 1;
        }
    }
    if out.is_empty() {
        out.push(&line[0..0]);
    }
    out
}

fn runs(chars: &[(char, Mark)]) -> Vec<Piece> {
    let mut out: Vec<Piece> = Vec::new();
    for &(c, m) in chars {
        match out.last_mut() {
            Some((s, mark)) if *mark == m => s.push(c),
            _ => out.push((c.to_string(), m)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(line: &[Piece]) -> String {
        line.iter().map(|(s, _)| s.as_str()).collect()
    }

    #[test]
    fn cpr_numbers_are_masked_until_revealed() {
        let body = "Mit CPR er 120385-1234, tak.";
        let p = pieces(body, &[], false);
        assert_eq!(
            p,
            vec![
                ("Mit CPR er ".to_string(), Mark::Plain),
                ("120385-XXXX".to_string(), Mark::Cpr { revealed: false }),
                (", tak.".to_string(), Mark::Plain),
            ]
        );
        let p = pieces(body, &[], true);
        assert_eq!(p[1].0, "120385-1234");
    }

    #[test]
    fn the_awkward_forms_the_subject_index_files_are_masked_too() {
        for body in ["kunde A0707614285 ringede", "ring +45 0707614285 i dag"] {
            let shown: String = pieces(body, &[], false)
                .iter()
                .map(|(s, _)| s.as_str())
                .collect();
            assert!(!shown.contains("4285"), "{body} → {shown}");
            assert!(shown.contains("070761-XXXX"), "{shown}");
        }
    }

    #[test]
    fn highlights_stay_on_their_words_when_sanitising_changes_lengths() {
        // Escape sequences before the term shrink to one placeholder; the term must still
        // be the highlighted piece.
        let body = "a\u{1b}]52;c;ZXZpbA==\u{7} b diabetes c";
        let start = body.find("diabetes").unwrap() as u32;
        let s = Suggestion {
            category: DataCategory::Health,
            confidence: 0.9,
            spans: vec![(start, start + 8), (900, 950)],
        };
        let p = pieces(body, &[s], false);
        assert!(p.contains(&("diabetes".to_string(), Mark::Term(DataCategory::Health))));
        assert!(p
            .iter()
            .all(|(t, _)| !t.contains('\u{1b}') && !t.contains('\u{7}')));
    }

    #[test]
    fn wrapping_breaks_at_spaces_and_keeps_marks() {
        let p = vec![
            ("one two ".to_string(), Mark::Plain),
            ("three".to_string(), Mark::Term(DataCategory::Health)),
            (" four\nfive".to_string(), Mark::Plain),
        ];
        let lines = wrap(&p, 9);
        let shown: Vec<String> = lines.iter().map(|l| text(l)).collect();
        assert_eq!(shown, vec!["one two", "three", "four", "five"]);
        assert_eq!(lines[1][0].1, Mark::Term(DataCategory::Health));
        // A word longer than the line is cut.
        let lines = wrap(&[("abcdefghij".to_string(), Mark::Plain)], 4);
        assert_eq!(lines.len(), 3);
        // Empty lines survive.
        assert_eq!(wrap(&[("a\n\nb".to_string(), Mark::Plain)], 10).len(), 3);
    }
}
