//! A key as the interface reads it: a code and its modifiers, parsed from and printed as
//! "<C-x>" text.

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use std::fmt;

/// A key without its press/release noise. Shift is folded into the character for printable
/// keys ("G", not "<S-g>").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: Code,
    pub ctrl: bool,
    pub alt: bool,
    pub shift: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Code {
    Char(char),
    Enter,
    Esc,
    Tab,
    BackTab,
    Backspace,
    Delete,
    Insert,
    Up,
    Down,
    Left,
    Right,
    Home,
    End,
    PageUp,
    PageDown,
    F(u8),
}

const NAMED_KEYS: &[(&str, Code)] = &[
    ("Enter", Code::Enter),
    ("Esc", Code::Esc),
    ("Tab", Code::Tab),
    ("BackTab", Code::BackTab),
    ("Backspace", Code::Backspace),
    ("Del", Code::Delete),
    ("Insert", Code::Insert),
    ("Up", Code::Up),
    ("Down", Code::Down),
    ("Left", Code::Left),
    ("Right", Code::Right),
    ("Home", Code::Home),
    ("End", Code::End),
    ("PageUp", Code::PageUp),
    ("PageDown", Code::PageDown),
    ("Space", Code::Char(' ')),
];

impl Key {
    pub const fn plain(code: Code) -> Key {
        Key {
            code,
            ctrl: false,
            alt: false,
            shift: false,
        }
    }

    pub const fn char(c: char) -> Key {
        Key::plain(Code::Char(c))
    }

    pub const fn ctrl(c: char) -> Key {
        Key {
            code: Code::Char(c),
            ctrl: true,
            alt: false,
            shift: false,
        }
    }

    /// Parses "j", "G", "?", "<Down>", "<C-d>", "<A-x>", "<S-Tab>", "<F1>", "<Space>".
    pub fn parse(s: &str) -> Option<Key> {
        let mut chars = s.chars();
        if let (Some(c), None) = (chars.next(), chars.next()) {
            return (!c.is_control()).then_some(Key::char(c));
        }
        let inner = s.strip_prefix('<')?.strip_suffix('>')?;
        let (mut ctrl, mut alt, mut shift) = (false, false, false);
        let mut rest = inner;
        loop {
            let lower = rest.get(..2).map(str::to_ascii_lowercase);
            match lower.as_deref() {
                Some("c-") if rest.len() > 2 => ctrl = true,
                Some("a-") | Some("m-") if rest.len() > 2 => alt = true,
                Some("s-") if rest.len() > 2 => shift = true,
                _ => break,
            }
            rest = &rest[2..];
        }
        let mut chars = rest.chars();
        let code = if let (Some(c), None) = (chars.next(), chars.next()) {
            if c.is_control() {
                return None;
            }
            // <C-D> and <C-d> are the same key: terminals send no case with Ctrl.
            Code::Char(if ctrl { c.to_ascii_lowercase() } else { c })
        } else if let Some(n) = rest
            .strip_prefix(['F', 'f'])
            .and_then(|n| n.parse::<u8>().ok())
        {
            if !(1..=12).contains(&n) {
                return None;
            }
            Code::F(n)
        } else {
            let found = NAMED_KEYS
                .iter()
                .find(|(name, _)| name.eq_ignore_ascii_case(rest))
                .map(|(_, c)| *c)
                .or(match rest.to_ascii_lowercase().as_str() {
                    "cr" | "return" => Some(Code::Enter),
                    "escape" => Some(Code::Esc),
                    "bs" => Some(Code::Backspace),
                    "delete" => Some(Code::Delete),
                    "pgup" => Some(Code::PageUp),
                    "pgdn" | "pgdown" => Some(Code::PageDown),
                    _ => None,
                })?;
            found
        };
        let mut key = Key {
            code,
            ctrl,
            alt,
            shift,
        };
        if key.code == Code::Tab && key.shift {
            key = Key::plain(Code::BackTab);
        }
        if let Code::Char(c) = key.code {
            if c != ' ' && !ctrl && !alt {
                // "<S-g>" is "G"; "<g>" is "g".
                key.shift = false;
                if shift {
                    key.code = Code::Char(c.to_uppercase().next().unwrap_or(c));
                }
            }
        }
        Some(key)
    }

    /// The key of a terminal event; None for releases and keys this interface does not use.
    pub fn from_event(ev: &KeyEvent) -> Option<Key> {
        if ev.kind == KeyEventKind::Release {
            return None;
        }
        let ctrl = ev.modifiers.contains(KeyModifiers::CONTROL);
        let alt = ev.modifiers.contains(KeyModifiers::ALT);
        let shift = ev.modifiers.contains(KeyModifiers::SHIFT);
        let code = match ev.code {
            KeyCode::Char(c) if ctrl => Code::Char(c.to_ascii_lowercase()),
            KeyCode::Char(c) => Code::Char(c),
            KeyCode::Enter => Code::Enter,
            KeyCode::Esc => Code::Esc,
            KeyCode::Tab if shift => Code::BackTab,
            KeyCode::Tab => Code::Tab,
            KeyCode::BackTab => Code::BackTab,
            KeyCode::Backspace => Code::Backspace,
            KeyCode::Delete => Code::Delete,
            KeyCode::Insert => Code::Insert,
            KeyCode::Up => Code::Up,
            KeyCode::Down => Code::Down,
            KeyCode::Left => Code::Left,
            KeyCode::Right => Code::Right,
            KeyCode::Home => Code::Home,
            KeyCode::End => Code::End,
            KeyCode::PageUp => Code::PageUp,
            KeyCode::PageDown => Code::PageDown,
            KeyCode::F(n) => Code::F(n),
            _ => return None,
        };
        let shift = match code {
            Code::Char(_) | Code::BackTab => false,
            _ => shift,
        };
        Some(Key {
            code,
            ctrl,
            alt,
            shift,
        })
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = match self.code {
            Code::Char(' ') => "Space".to_string(),
            Code::Char(c) if !self.ctrl && !self.alt && !self.shift => {
                return write!(f, "{c}");
            }
            Code::Char(c) => c.to_string(),
            Code::F(n) => format!("F{n}"),
            code => NAMED_KEYS
                .iter()
                .find(|(_, c)| *c == code)
                .map(|(n, _)| n.to_string())
                .unwrap_or_default(),
        };
        f.write_str("<")?;
        if self.ctrl {
            f.write_str("C-")?;
        }
        if self.alt {
            f.write_str("A-")?;
        }
        if self.shift {
            f.write_str("S-")?;
        }
        write!(f, "{name}>")
    }
}
