//! A bracketed paste made fit for the focused field: capped, and without what a field cannot hold.

/// The most characters one paste puts into a field. A 1 MB paste is cut here in one step,
/// so the interface never works per character on it.
pub const PASTE_LIMIT: usize = 4096;

/// `text` as a field takes it: at most `limit` characters; line breaks kept for a
/// multi-line field and made spaces in a one-line field (so a pasted line break is never
/// Enter); tabs become spaces; other control and format characters are dropped. Returns
/// the text and whether it was cut.
pub fn fit(text: &str, multiline: bool, limit: usize) -> (String, bool) {
    let mut out = String::with_capacity(text.len().min(limit * 4));
    let mut n = 0;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if n == limit {
            return (out, true);
        }
        let c = match c {
            '\r' if chars.peek() == Some(&'\n') => continue,
            '\r' | '\n' if multiline => '\n',
            '\r' | '\n' | '\t' => ' ',
            c if c.is_control() || is_invisible(c) => continue,
            c => c,
        };
        out.push(c);
        n += 1;
    }
    (out, false)
}

/// Bidi controls and zero-width characters: nothing a person means to paste into a field.
fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{ad}' | '\u{61c}' | '\u{200b}'..='\u{200f}' | '\u{2028}'..='\u{202e}'
        | '\u{2060}'..='\u{206f}' | '\u{feff}' | '\u{e0000}'..='\u{e007f}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pasted_line_break_is_a_space_in_a_one_line_field() {
        assert_eq!(fit("Hanne\nty", false, 100), ("Hanne ty".into(), false));
        assert_eq!(fit("a\r\nb\rc", false, 100), ("a b c".into(), false));
        assert_eq!(fit("a\r\nb", true, 100), ("a\nb".into(), false));
        assert_eq!(
            fit("x\u{1b}[2J\u{202e}y\u{200b}", false, 100),
            ("x[2Jy".into(), false)
        );
    }

    #[test]
    fn a_long_paste_is_cut_at_the_limit() {
        let big = "æ".repeat(1 << 20);
        let (t, cut) = fit(&big, false, PASTE_LIMIT);
        assert!(cut);
        assert_eq!(t.chars().count(), PASTE_LIMIT);
        let (t, cut) = fit("abc", false, 3);
        assert_eq!((t.as_str(), cut), ("abc", false));
    }
}
