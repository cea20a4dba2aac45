//! The Markdown letters read into blocks of plain text, for the PDF and for comparing.

/// One piece of a letter, its text without Markdown markers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// The authority's name and address above the title, one entry a line.
    Letterhead(Vec<String>),
    Title(String),
    Heading(String),
    Subheading(String),
    /// Lines kept apart by hard breaks.
    Paragraph(Vec<String>),
    Bullet(String),
    /// A quoted line of the citizen's own text; an empty one keeps a blank line.
    Quote(String),
}

/// Removes the emphasis markers the letters use (`**bold**`).
fn unmark(s: &str) -> String {
    s.replace("**", "")
}

/// Reads a letter written by `domain::report`'s Markdown functions.
pub fn blocks(markdown: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut para: Vec<String> = Vec::new();
    let mut head: Vec<String> = Vec::new();
    let mut seen_title = false;
    let flush = |para: &mut Vec<String>, out: &mut Vec<Block>| {
        if !para.is_empty() {
            out.push(Block::Paragraph(std::mem::take(para)));
        }
    };
    for raw in markdown.lines() {
        let l = raw.trim_end();
        if !seen_title {
            if let Some(t) = l.strip_prefix("# ") {
                if !head.is_empty() {
                    out.push(Block::Letterhead(std::mem::take(&mut head)));
                }
                out.push(Block::Title(unmark(t)));
                seen_title = true;
            } else if !l.is_empty() {
                head.push(unmark(l));
            }
            continue;
        }
        if l.is_empty() {
            flush(&mut para, &mut out);
        } else if let Some(t) = l.strip_prefix("### ") {
            flush(&mut para, &mut out);
            out.push(Block::Subheading(unmark(t)));
        } else if let Some(t) = l.strip_prefix("## ") {
            flush(&mut para, &mut out);
            out.push(Block::Heading(unmark(t)));
        } else if let Some(t) = l.strip_prefix("# ") {
            flush(&mut para, &mut out);
            out.push(Block::Title(unmark(t)));
        } else if let Some(t) = l.strip_prefix("- ") {
            flush(&mut para, &mut out);
            out.push(Block::Bullet(unmark(t)));
        } else if l == ">" || l.starts_with("> ") {
            flush(&mut para, &mut out);
            out.push(Block::Quote(
                l.trim_start_matches('>').trim_start().to_string(),
            ));
        } else {
            para.push(unmark(l.trim()));
        }
    }
    flush(&mut para, &mut out);
    if !head.is_empty() {
        out.push(Block::Letterhead(head));
    }
    out
}

/// The letter's words in reading order, one block a line: what a reader of the PDF sees.
pub fn plain_text(markdown: &str) -> Vec<String> {
    blocks(markdown)
        .into_iter()
        .flat_map(|b| match b {
            Block::Letterhead(v) | Block::Paragraph(v) => v,
            Block::Title(s)
            | Block::Heading(s)
            | Block::Subheading(s)
            | Block::Bullet(s)
            | Block::Quote(s) => vec![s],
        })
        .filter(|s| !s.trim().is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_letter_reads_into_blocks_without_markers() {
        let md = "**Styrelsen**  \nVej 1\n\n# Titel\n\nDato: 1. december 2026\n\n## (a) Formål\n\n### Sag 2026-000001\n\n**Borgerservice**: tekst\nlinje to\n\n- punkt\n\n> citat\n>\n> mere\n";
        let b = blocks(md);
        assert_eq!(
            b,
            vec![
                Block::Letterhead(vec!["Styrelsen".into(), "Vej 1".into()]),
                Block::Title("Titel".into()),
                Block::Paragraph(vec!["Dato: 1. december 2026".into()]),
                Block::Heading("(a) Formål".into()),
                Block::Subheading("Sag 2026-000001".into()),
                Block::Paragraph(vec!["Borgerservice: tekst".into(), "linje to".into()]),
                Block::Bullet("punkt".into()),
                Block::Quote("citat".into()),
                Block::Quote(String::new()),
                Block::Quote("mere".into()),
            ]
        );
        assert_eq!(plain_text(md).len(), 11);
    }
}
