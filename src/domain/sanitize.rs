//! Untrusted text made safe to draw on a terminal: no controls, escape sequences, bidi or invisible tricks.
//!
//! What is removed becomes one visible [`PLACEHOLDER`], so staff see that something was there;
//! a run of removed characters (a whole escape sequence with its parameters, payload and
//! terminator, or several invisible characters in a row) collapses into one placeholder, so a
//! sender cannot flood a line with them. A tab becomes one space. Combining marks beyond
//! [`MAX_COMBINING`] on one base character (zalgo text) are dropped without a placeholder: the
//! marks that stay show that the text was decorated.

use std::borrow::Cow;

/// Stands where something was removed.
pub const PLACEHOLDER: char = '\u{FFFD}';

/// Combining marks kept on one base character. Four covers Vietnamese, pointed Hebrew and
/// vocalised Arabic as people write them.
pub const MAX_COMBINING: usize = 4;

/// One line of untrusted text made safe to draw. Line breaks are not allowed in a line and become
/// placeholders like every other control. Borrowed when already clean (the common case).
pub fn sanitize_line(s: &str) -> Cow<'_, str> {
    sanitize(s, false)
}

/// Multi-line text: keeps `\n` as line breaks (CRLF and a lone CR become `\n`, so a CR cannot
/// overwrite the start of a line) and sanitizes each line as [`sanitize_line`] does. An escape
/// sequence never reaches past the end of its line.
pub fn sanitize_text(s: &str) -> Cow<'_, str> {
    sanitize(s, true)
}

/// True when [`sanitize_text`] would change nothing (so `\n` is allowed, a CR is not).
pub fn is_clean(s: &str) -> bool {
    matches!(sanitize_text(s), Cow::Borrowed(_))
}

/// Bytes from an importer that may not be UTF-8: invalid sequences become U+FFFD, then the text
/// is sanitized.
pub fn from_untrusted_bytes(b: &[u8]) -> String {
    match String::from_utf8_lossy(b) {
        Cow::Borrowed(s) => sanitize_text(s).into_owned(),
        Cow::Owned(s) => match sanitize_text(&s) {
            Cow::Borrowed(_) => s,
            Cow::Owned(clean) => clean,
        },
    }
}

/// The output, not allocated until the first change.
struct Out<'a> {
    src: &'a str,
    buf: Option<String>,
    /// The last thing written is a placeholder this module put there.
    placeholder_last: bool,
}

impl Out<'_> {
    /// Start writing: everything before `at` was kept as it is.
    fn changed(&mut self, at: usize) -> &mut String {
        let src = self.src;
        self.buf.get_or_insert_with(|| {
            let mut b = String::with_capacity(src.len() + 16);
            b.push_str(&src[..at]);
            b
        })
    }

    fn keep(&mut self, at: usize, len: usize) {
        if let Some(b) = &mut self.buf {
            b.push_str(&self.src[at..at + len]);
        }
        self.placeholder_last = false;
    }

    fn replace(&mut self, at: usize, c: char) {
        self.changed(at).push(c);
        self.placeholder_last = false;
    }

    fn placeholder(&mut self, at: usize) {
        let collapse = self.placeholder_last;
        let b = self.changed(at);
        if !collapse {
            b.push(PLACEHOLDER);
        }
        self.placeholder_last = true;
    }

    fn drop_char(&mut self, at: usize) {
        self.changed(at);
    }
}

fn sanitize(s: &str, multiline: bool) -> Cow<'_, str> {
    let b = s.as_bytes();
    let mut out = Out {
        src: s,
        buf: None,
        placeholder_last: false,
    };
    // The last character written, for the joiner and variation-selector rules.
    let mut prev = '\n';
    let mut marks = 0usize;
    let mut i = 0;
    while i < b.len() {
        let byte = b[i];
        if (0x20..0x7f).contains(&byte) {
            out.keep(i, 1);
            prev = byte as char;
            marks = 0;
            i += 1;
            continue;
        }
        let c = s[i..].chars().next().unwrap_or(PLACEHOLDER);
        let len = c.len_utf8();
        // Where the removed stretch ends, when something is removed.
        let removed_to = match c {
            '\n' if multiline => {
                out.keep(i, 1);
                prev = '\n';
                marks = 0;
                i += 1;
                continue;
            }
            '\r' if multiline => {
                out.replace(i, '\n');
                prev = '\n';
                marks = 0;
                i += if b.get(i + 1) == Some(&b'\n') { 2 } else { 1 };
                continue;
            }
            '\t' => {
                out.replace(i, ' ');
                prev = ' ';
                marks = 0;
                i += 1;
                continue;
            }
            '\x1b' => escape_end(b, i),
            '\u{9b}' => csi_end(b, i + len),
            '\u{90}' | '\u{98}' | '\u{9d}' | '\u{9e}' | '\u{9f}' => string_end(b, i + len),
            '\0'..='\x1f' | '\x7f'..='\u{9f}' => i + len,
            _ if is_combining(c) => {
                if marks < MAX_COMBINING {
                    out.keep(i, len);
                    marks += 1;
                } else {
                    out.drop_char(i);
                }
                prev = c;
                i += len;
                continue;
            }
            '\u{200c}' | '\u{200d}' if joiner_fits(c, prev, s[i + len..].chars().next()) => {
                out.keep(i, len);
                prev = c;
                marks = 0;
                i += len;
                continue;
            }
            '\u{fe0e}' | '\u{fe0f}' if is_emoji_base(prev) => {
                out.keep(i, len);
                prev = c;
                marks = 0;
                i += len;
                continue;
            }
            _ if is_hidden(c) => i + len,
            _ => {
                out.keep(i, len);
                prev = c;
                marks = 0;
                i += len;
                continue;
            }
        };
        out.placeholder(i);
        prev = PLACEHOLDER;
        marks = 0;
        i = removed_to;
    }
    match out.buf {
        Some(b) => Cow::Owned(b),
        None => Cow::Borrowed(s),
    }
}

/// Byte index just past the escape sequence whose ESC is at `i`. A lone ESC (at the end, or
/// before something that cannot continue a sequence) is just itself.
fn escape_end(b: &[u8], i: usize) -> usize {
    let j = i + 1;
    match b.get(j) {
        Some(b'[') => csi_end(b, j + 1),
        // OSC, DCS, SOS, PM, APC: strings up to their terminator.
        Some(b']' | b'P' | b'X' | b'^' | b'_') => string_end(b, j + 1),
        // nF: intermediates, then a final byte (`ESC ( B`, `ESC # 8`).
        Some(0x20..=0x2f) => {
            let mut k = j;
            while b.get(k).is_some_and(|c| (0x20..=0x2f).contains(c)) {
                k += 1;
            }
            if b.get(k).is_some_and(|c| (0x30..=0x7e).contains(c)) {
                k + 1
            } else {
                k
            }
        }
        // Fp, Fe, Fs: one final byte (`ESC 7`, `ESC c`).
        Some(0x30..=0x7e) => j + 1,
        _ => j,
    }
}

/// Past a CSI's parameter and intermediate bytes and its final byte, from the first parameter
/// byte at `k`. Anything else aborts the sequence and is sanitized on its own.
fn csi_end(b: &[u8], mut k: usize) -> usize {
    while let Some(&c) = b.get(k) {
        match c {
            0x20..=0x3f => k += 1,
            0x40..=0x7e => return k + 1,
            _ => return k,
        }
    }
    k
}

/// Past a control string (OSC, DCS, SOS, PM, APC) from its first payload byte at `k`: up to and
/// including BEL, ST (`ESC \` or U+009C), CAN or SUB. An unterminated string stops at the end of
/// its line, so it cannot swallow the rest of a text; another ESC ends it and starts its own
/// sequence. Only ASCII bytes and the two-byte U+009C stop the scan, so every stop lies on a
/// char boundary.
fn string_end(b: &[u8], mut k: usize) -> usize {
    while let Some(&c) = b.get(k) {
        match c {
            0x07 | 0x18 | 0x1a => return k + 1,
            b'\n' | b'\r' => return k,
            0x1b => {
                return if b.get(k + 1) == Some(&b'\\') {
                    k + 2
                } else {
                    k
                }
            }
            0xc2 if b.get(k + 1) == Some(&0x9c) => return k + 2,
            _ => k += 1,
        }
    }
    k
}

/// Invisible or reordering characters that have no business in an enquiry: bidi controls
/// (U+202A–U+202E, U+2066–U+2069, LRM, RLM, ALM), zero-width and invisible format characters,
/// line and paragraph separators, fillers that render as nothing, variation selectors (VS15 and
/// VS16 are let through after an emoji base by the caller), tag characters and the rest of the
/// default-ignorable plane-14 block, and the non-characters U+FFFE/U+FFFF.
///
/// Tag characters go even though they spell subdivision flags (🏴 + tags): they are also the way
/// to hide a whole message invisibly in a line, and the flag still shows as 🏴.
fn is_hidden(c: char) -> bool {
    matches!(c as u32,
        0x00AD | 0x034F | 0x061C | 0x115F | 0x1160 | 0x17B4 | 0x17B5 | 0x180B..=0x180F
        | 0x200B..=0x200F | 0x2028..=0x202E | 0x2060..=0x206F | 0x3164
        | 0xFE00..=0xFE0F | 0xFEFF | 0xFFA0 | 0xFFF0..=0xFFFB | 0xFFFE | 0xFFFF
        | 0x1BCA0..=0x1BCA3 | 0x1D173..=0x1D17A | 0xE0000..=0xE0FFF)
}

/// The combining blocks zalgo text is built from, plus Hebrew and Arabic points. Marks of other
/// scripts pass uncapped: they are not how a line is flooded.
fn is_combining(c: char) -> bool {
    matches!(c as u32,
        0x0300..=0x036F | 0x0483..=0x0489 | 0x0591..=0x05BD | 0x05BF | 0x05C1 | 0x05C2 | 0x05C4
        | 0x05C5 | 0x05C7 | 0x0610..=0x061A | 0x064B..=0x065F | 0x0670 | 0x06D6..=0x06DC
        | 0x06DF..=0x06E4 | 0x06E7 | 0x06E8 | 0x06EA..=0x06ED | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF
        | 0x20D0..=0x20FF | 0xFE20..=0xFE2F)
}

/// Pictographs that take part in emoji sequences.
fn is_pictograph(c: char) -> bool {
    matches!(c as u32, 0x1F000..=0x1FAFF | 0x2300..=0x23FF | 0x2600..=0x27BF | 0x2B00..=0x2BFF)
}

/// What an emoji presentation selector (VS15/VS16) may follow: pictographs, the text-default
/// symbols that have an emoji form, and keycap bases.
fn is_emoji_base(c: char) -> bool {
    is_pictograph(c)
        || matches!(
            c,
            '0'..='9'
                | '#'
                | '*'
                | '©'
                | '®'
                | '‼'
                | '⁉'
                | '™'
                | 'ℹ'
                | 'Ⓜ'
                | '〰'
                | '〽'
                | '㊗'
                | '㊙'
        )
        || matches!(c as u32, 0x2190..=0x21FF | 0x25A0..=0x25FF | 0x2934 | 0x2935)
}

/// Scripts where ZWNJ and ZWJ are part of correct spelling (Arabic, Persian, Syriac, the Indic
/// scripts, Sinhala).
fn is_joining_script(c: char) -> bool {
    matches!(c as u32, 0x0600..=0x06FF | 0x0700..=0x074F | 0x0750..=0x077F | 0x0900..=0x0DFF
        | 0x08A0..=0x08FF | 0xFB50..=0xFDFF | 0xFE70..=0xFEFC)
}

/// ZWNJ and ZWJ stay where they do a visible job: between two letters of a script that spells
/// with them, and ZWJ between emoji (👩‍💻). Anywhere else (`pay‍pal`) they hide something.
fn joiner_fits(joiner: char, prev: char, next: Option<char>) -> bool {
    // A next character that is itself removed would leave the joiner beside a placeholder.
    let Some(next) = next.filter(|&n| !is_hidden(n) && !n.is_control()) else {
        return false;
    };
    if is_joining_script(prev) && is_joining_script(next) {
        return true;
    }
    joiner == '\u{200d}' && (is_pictograph(prev) || prev == '\u{fe0f}') && is_pictograph(next)
}

#[cfg(test)]
mod tests {
    use super::*;

    const P: char = PLACEHOLDER;

    fn line(s: &str) -> String {
        sanitize_line(s).into_owned()
    }

    fn text(s: &str) -> String {
        sanitize_text(s).into_owned()
    }

    #[test]
    fn escape_sequences_collapse_into_one_placeholder() {
        let cases = [
            ("a\x1b]52;c;ZXZpbA==\x07b", "OSC 52 clipboard write"),
            ("a\x1b[2Jb", "CSI 2J"),
            ("a\x1b[38;2;255;0;0mb", "CSI colour"),
            ("a\x1b[?1049hb", "CSI private mode"),
            ("a\x1b]0;pwned\x07b", "title with BEL"),
            ("a\x1b]0;pwned\x1b\\b", "title with ST"),
            ("a\x1b]8;;https://evil.example/\x1b\\b", "OSC 8 hyperlink"),
            ("a\x1bP+q544e\x1b\\b", "DCS"),
            ("a\x1b_pwned\x1b\\b", "APC"),
            ("a\x1b^pwned\x1b\\b", "PM"),
            ("a\x1bXpwned\x1b\\b", "SOS"),
            ("a\x1b]0;pwned\u{9c}b", "OSC with 8-bit ST"),
            ("a\u{9b}2Jb", "8-bit CSI"),
            ("a\u{9d}0;pwned\x07b", "8-bit OSC"),
            ("a\x1bcb", "RIS reset"),
            ("a\x1b#8b", "DECALN screen fill"),
            ("a\x1b(0b", "charset switch"),
            ("a\x1b[2J\x1b[Hb", "two sequences in a row"),
            ("a\x1b]0;pwned\x18b", "OSC cancelled by CAN"),
        ];
        for (input, what) in cases {
            assert_eq!(line(input), format!("a{P}b"), "{what}");
            assert_eq!(text(input), format!("a{P}b"), "{what}");
        }
    }

    #[test]
    fn unterminated_sequences_end_with_their_line() {
        assert_eq!(line("a\x1b"), format!("a{P}"), "lone ESC at the end");
        assert_eq!(
            line("a\x1b\u{e6}b"),
            format!("a{P}\u{e6}b"),
            "ESC before a non-ASCII char"
        );
        assert_eq!(line("a\x1b[12"), format!("a{P}"));
        assert_eq!(
            line("a\x1b[1\u{f8}"),
            format!("a{P}\u{f8}"),
            "a CSI aborted by a letter keeps the letter"
        );
        assert_eq!(
            text("a\x1b]0;evil\nsecond line\n"),
            format!("a{P}\nsecond line\n")
        );
        assert_eq!(text("a\x1b]0;evil\r\nsecond"), format!("a{P}\nsecond"));
        assert_eq!(
            line("a\x1b]0;evil\nb"),
            format!("a{P}b"),
            "the line break is a placeholder too, collapsed"
        );
        assert_eq!(
            line("a\x1b]0;x\x1b[31mb"),
            format!("a{P}b"),
            "an ESC ends the string and starts its own"
        );
    }

    #[test]
    fn controls_become_placeholders() {
        assert_eq!(line("ding\x07dong"), format!("ding{P}dong"), "BEL");
        assert_eq!(
            line("abc\x08\x08\x08xyz"),
            format!("abc{P}xyz"),
            "backspaces, collapsed"
        );
        assert_eq!(line("nul\0byte"), format!("nul{P}byte"));
        assert_eq!(line("del\x7fete"), format!("del{P}ete"));
        assert_eq!(line("next\u{85}line"), format!("next{P}line"), "C1 NEL");
        assert_eq!(
            line("safe\rEVIL"),
            format!("safe{P}EVIL"),
            "a CR cannot overwrite the line"
        );
        assert_eq!(
            text("safe\rEVIL"),
            "safe\nEVIL",
            "in text it is a line break, so both show"
        );
        assert_eq!(line("two\nlines"), format!("two{P}lines"));
        assert_eq!(line("tab\there"), "tab here");
        assert_eq!(text("a\tb\r\nc\rd\ne"), "a b\nc\nd\ne");
    }

    #[test]
    fn bidi_and_invisible_characters_become_placeholders() {
        for (c, what) in [
            ('\u{202e}', "RLO"),
            ('\u{202a}', "LRE"),
            ('\u{2066}', "LRI"),
            ('\u{2067}', "RLI"),
            ('\u{2068}', "FSI"),
            ('\u{2069}', "PDI"),
            ('\u{200e}', "LRM"),
            ('\u{200f}', "RLM"),
            ('\u{61c}', "ALM"),
            ('\u{200b}', "ZWSP"),
            ('\u{200c}', "ZWNJ"),
            ('\u{200d}', "ZWJ"),
            ('\u{2060}', "word joiner"),
            ('\u{2064}', "invisible plus"),
            ('\u{feff}', "BOM"),
            ('\u{180e}', "Mongolian vowel separator"),
            ('\u{ad}', "soft hyphen"),
            ('\u{2028}', "line separator"),
            ('\u{2029}', "paragraph separator"),
            ('\u{e0041}', "tag A"),
            ('\u{e0100}', "variation selector 17"),
            ('\u{fe00}', "variation selector 1"),
            ('\u{3164}', "Hangul filler"),
        ] {
            let s = format!("pay{c}pal");
            assert_eq!(line(&s), format!("pay{P}pal"), "{what}");
            assert!(!is_clean(&s), "{what}");
        }
        assert_eq!(line("invoice\u{202e}fdp.exe"), format!("invoice{P}fdp.exe"));
        assert_eq!(line("\u{2066}a\u{2069}"), format!("{P}a{P}"));
        // A hidden message in tag characters is one placeholder, not a line of them.
        let smuggled: String = "ignore"
            .chars()
            .map(|c| char::from_u32(0xe0000 + c as u32).unwrap())
            .collect();
        assert_eq!(line(&format!("hi{smuggled}!")), format!("hi{P}!"));
    }

    #[test]
    fn real_text_survives_unchanged_and_borrowed() {
        for s in [
            "Kære Åse Ærø, tak for din henvendelse om Øresund.",
            "Grüße aus Köln — naïve café",
            "emoji 😀👍🏽 ❤️ 1️⃣ and flags 🇩🇰",
            "family 👨‍👩‍👧 technologist 👩🏽‍💻 rainbow 🏳️‍🌈",
            "中文 日本語 한국어",
            "فارسی: می‌خواهم",
            "हिन्दी क्ष्",
            "Tiếng Việt",
            "private use \u{e000}\u{f8ff}",
            "already replaced \u{fffd}",
            "",
        ] {
            assert!(matches!(sanitize_line(s), Cow::Borrowed(_)), "{s}");
            assert!(matches!(sanitize_text(s), Cow::Borrowed(_)), "{s}");
            assert!(is_clean(s), "{s}");
        }
        assert!(matches!(sanitize_text("two\nlines\n"), Cow::Borrowed(_)));
        assert!(is_clean("two\nlines") && !is_clean("two\r\nlines"));
    }

    #[test]
    fn joiners_stay_only_where_they_spell() {
        assert_eq!(line("👨\u{200d}👩"), "👨\u{200d}👩");
        assert_eq!(line("a\u{200d}👩"), format!("a{P}👩"));
        assert_eq!(line("👨\u{200d}"), format!("👨{P}"));
        assert_eq!(line("👨\u{200d}\u{200b}👩"), format!("👨{P}👩"));
        assert_eq!(line("ب\u{200c}ب"), "ب\u{200c}ب");
        assert_eq!(line("ب\u{200c}\u{61c}"), format!("ب{P}"));
        // Presentation selectors only after something with an emoji form.
        assert_eq!(line("❤\u{fe0f}"), "❤\u{fe0f}");
        assert_eq!(line("a\u{fe0f}"), format!("a{P}"));
        assert_eq!(line("❤\u{fe0f}\u{fe0f}"), format!("❤\u{fe0f}{P}"));
    }

    #[test]
    fn zalgo_is_capped_at_four_marks_per_base() {
        let zalgo = format!(
            "Z{}a\u{301}",
            "\u{300}\u{301}\u{302}\u{303}\u{304}\u{305}\u{306}"
        );
        assert_eq!(line(&zalgo), "Z\u{300}\u{301}\u{302}\u{303}a\u{301}");
        let four = "e\u{300}\u{301}\u{302}\u{303}";
        assert!(matches!(sanitize_line(four), Cow::Borrowed(_)));
        assert_eq!(
            line(&"\u{300}".repeat(10)),
            "\u{300}".repeat(4),
            "marks with no base are capped too"
        );
    }

    #[test]
    fn sanitizing_twice_changes_nothing_more() {
        for s in [
            "a\x1b[2Jb\u{202e}c\r\nd\t\u{200b}e\x1b",
            "Z\u{300}\u{301}\u{302}\u{303}\u{304}\u{305}",
            "\u{fffd}\x07\u{fffd}",
            "👨\u{200d}\x1b[0m👩",
        ] {
            let once = text(s);
            assert!(is_clean(&once), "{once:?}");
            assert_eq!(text(&once), once);
            let once = line(s);
            assert_eq!(line(&once), once);
        }
    }

    #[test]
    fn bytes_that_are_not_utf8_are_replaced_then_sanitized() {
        assert_eq!(
            from_untrusted_bytes(b"ok \xff\xfe then \x1b[2J end"),
            format!("ok \u{fffd}\u{fffd} then {P} end")
        );
        assert_eq!(
            from_untrusted_bytes("Kære Åse\r\n".as_bytes()),
            "Kære Åse\n"
        );
        assert_eq!(from_untrusted_bytes(b"plain"), "plain");
        // Latin-1 `æ` is not UTF-8: it shows as a replacement, not as a C1 control.
        assert_eq!(from_untrusted_bytes(b"k\xe6re"), "k\u{fffd}re");
    }
}
