//! What the terminal can do, from the environment: cursor addressing (TERM) and UTF-8 (the locale).

/// Why the full-screen interface cannot run on the terminal `TERM` names, or None if it can.
/// `dumb`, `unknown` and an empty or missing TERM have no cursor addressing; nor has a
/// terminal whose terminfo entry is found and lacks `cup`.
pub fn refusal(term: Option<&str>) -> Option<String> {
    let t = term.map(str::trim).unwrap_or("");
    if t.is_empty() || matches!(t, "dumb" | "unknown" | "emacs") {
        let shown = if t.is_empty() { "unset" } else { t };
        return Some(format!(
            "the interface needs a terminal with cursor addressing (TERM is {shown}): run triage in a terminal emulator, or use its subcommands (triage --help)"
        ));
    }
    if terminfo_lacks_cup(t) {
        return Some(format!(
            "the interface needs a terminal with cursor addressing, and the terminfo entry for TERM={t} has none: run triage in a terminal emulator, or use its subcommands (triage --help)"
        ));
    }
    None
}

/// Whether the environment's locale encodes text as UTF-8. The first of LC_ALL, LC_CTYPE
/// and LANG that is set decides, as the C library does; none set is the C locale.
pub fn utf8_locale(var: impl Fn(&str) -> Option<String>) -> bool {
    ["LC_ALL", "LC_CTYPE", "LANG"]
        .iter()
        .find_map(|k| var(k).filter(|v| !v.is_empty()))
        .map(|v| {
            let v = v.to_ascii_lowercase();
            v.contains("utf-8") || v.contains("utf8")
        })
        .unwrap_or(false)
}

/// The ASCII stand-in for a border or marker the interface draws, for a terminal whose
/// locale is not UTF-8. Text from cases is left as it is.
pub fn ascii_symbol(s: &str) -> Option<&'static str> {
    Some(match s {
        "│" | "┃" | "║" | "‖" | "▏" => "|",
        "─" | "━" | "═" | "—" | "–" => "-",
        "┌" | "┐" | "└" | "┘" | "├" | "┤" | "┬" | "┴" | "┼" | "╭" | "╮" | "╰" | "╯" => {
            "+"
        }
        "…" | "·" => ".",
        "•" => "*",
        "▶" | "›" | "→" | "»" => ">",
        "○" => "o",
        "▼" => "v",
        "▲" => "^",
        "✓" => "+",
        "✗" => "x",
        "×" => "x",
        _ => return None,
    })
}

/// Looks up TERM's compiled terminfo entry (the usual directories, and TERMINFO) and
/// reads whether it has `cup`. Not found or unreadable: assume it has (most terminals do,
/// and refusing a working one is worse).
fn terminfo_lacks_cup(term: &str) -> bool {
    if term.contains('/') || term.starts_with('.') {
        return false;
    }
    let Some(first) = term.chars().next() else {
        return false;
    };
    let mut dirs: Vec<std::path::PathBuf> = Vec::new();
    if let Some(d) = std::env::var_os("TERMINFO") {
        dirs.push(d.into());
    }
    if let Some(h) = std::env::var_os("HOME") {
        dirs.push(std::path::PathBuf::from(h).join(".terminfo"));
    }
    for d in [
        "/etc/terminfo",
        "/lib/terminfo",
        "/usr/share/terminfo",
        "/usr/lib/terminfo",
    ] {
        dirs.push(d.into());
    }
    for d in dirs {
        for sub in [first.to_string(), format!("{:02x}", first as u32)] {
            if let Ok(bytes) = std::fs::read(d.join(sub).join(term)) {
                return has_cup(&bytes) == Some(false);
            }
        }
    }
    false
}

/// Whether a compiled terminfo entry (legacy or extended-number format) defines `cup`,
/// string capability 10. None when the bytes are not a terminfo entry.
fn has_cup(b: &[u8]) -> Option<bool> {
    let word = |i: usize| -> Option<i32> {
        let v = i16::from_le_bytes([*b.get(i)?, *b.get(i + 1)?]);
        Some(i32::from(v))
    };
    let magic = word(0)?;
    let number_size = match magic {
        0o432 => 2,
        0o1036 => 4,
        _ => return None,
    };
    let names = usize::try_from(word(2)?).ok()?;
    let bools = usize::try_from(word(4)?).ok()?;
    let numbers = usize::try_from(word(6)?).ok()?;
    let strings = usize::try_from(word(8)?).ok()?;
    const CUP: usize = 10;
    if strings <= CUP {
        return Some(false);
    }
    let mut at = 12 + names + bools;
    at += at % 2; // numbers start on an even byte
    at += numbers * number_size;
    Some(word(at + CUP * 2)? >= 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dumb_and_missing_terminals_are_refused_by_name() {
        for t in [None, Some(""), Some("dumb"), Some("unknown")] {
            let why = refusal(t).expect("refused");
            assert!(why.contains("cursor addressing"), "{why}");
        }
        assert_eq!(refusal(Some("xterm-256color")), None);
    }

    #[test]
    fn the_first_locale_variable_set_decides() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == k)
                    .map(|(_, v)| v.to_string())
            }
        };
        assert!(!utf8_locale(env(&[("LANG", "C")])));
        assert!(!utf8_locale(env(&[])));
        assert!(utf8_locale(env(&[("LANG", "da_DK.UTF-8")])));
        assert!(utf8_locale(env(&[
            ("LANG", "C"),
            ("LC_CTYPE", "en_US.utf8")
        ])));
        assert!(!utf8_locale(env(&[
            ("LANG", "da_DK.UTF-8"),
            ("LC_ALL", "C")
        ])));
        assert!(!utf8_locale(env(&[("LANG", "da_DK.ISO-8859-1")])));
        assert!(utf8_locale(env(&[("LC_ALL", ""), ("LANG", "C.UTF-8")])));
    }

    #[test]
    fn borders_and_markers_have_ascii_stand_ins() {
        for s in [
            "│", "…", "▶", "✓", "✗", "▼", "▲", "·", "→", "›", "‖", "○", "•",
        ] {
            let a = ascii_symbol(s).unwrap_or_else(|| panic!("{s}"));
            assert!(a.is_ascii() && a.len() == 1, "{s} → {a}");
        }
        assert_eq!(ascii_symbol("æ"), None);
    }

    #[test]
    fn reads_cup_from_a_compiled_entry() {
        // A legacy entry: names "x|y\0" (4), no bools or numbers, 11 strings with cup set.
        let mut e: Vec<u8> = Vec::new();
        for w in [0o432i16, 4, 0, 0, 11, 10] {
            e.extend_from_slice(&w.to_le_bytes());
        }
        e.extend_from_slice(b"x|y\0");
        for i in 0..11i16 {
            let off: i16 = if i == 10 { 0 } else { -1 };
            e.extend_from_slice(&off.to_le_bytes());
        }
        e.extend_from_slice(b"\x1b[%p1%d;%p2%dH\0");
        assert_eq!(has_cup(&e), Some(true));
        let at = 16 + 2 * 10;
        e[at..at + 2].copy_from_slice(&(-1i16).to_le_bytes());
        assert_eq!(has_cup(&e), Some(false));
        assert_eq!(has_cup(b"not terminfo"), None);
    }
}
