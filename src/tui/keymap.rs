//! Keymaps as data: keys to named actions per context, from `keymaps/*.toml` and a user file.
//!
//! A user file patches the shipped defaults one binding at a time; anything wrong in it is
//! reported (with its line) and the defaults stay, as gitui does.

use super::action::Action;
use super::i18n::Lang;
pub use super::key::{Code, Key};
use serde::Deserialize;
use std::path::{Path, PathBuf};
use toml::Spanned;

pub const DEFAULT: &str = include_str!("../../keymaps/default.toml");
pub const ARROWS: &str = include_str!("../../keymaps/arrows.toml");

/// The shipped keymaps, by the name a user file's `preset = "…"` gives.
pub const PRESETS: &[(&str, &str)] = &[("default", DEFAULT), ("arrows", ARROWS)];

/// Where a binding applies. Queue and case keys fall back to the global ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Context {
    Global,
    Queue,
    Case,
    Dialog,
    /// A list of items each decided by a key (categories, legal bases).
    Checklist,
    Input,
}

impl Context {
    pub const ALL: [Context; 6] = [
        Context::Queue,
        Context::Case,
        Context::Global,
        Context::Dialog,
        Context::Checklist,
        Context::Input,
    ];

    pub fn as_id(self) -> &'static str {
        match self {
            Context::Global => "global",
            Context::Queue => "queue",
            Context::Case => "case",
            Context::Dialog => "dialog",
            Context::Checklist => "checklist",
            Context::Input => "input",
        }
    }

    /// The contexts searched, in order, when this one is active.
    pub fn chain(self) -> &'static [Context] {
        match self {
            Context::Queue => &[Context::Queue, Context::Global],
            Context::Case => &[Context::Case, Context::Global],
            Context::Global => &[Context::Global],
            Context::Dialog => &[Context::Dialog],
            Context::Checklist => &[Context::Checklist],
            Context::Input => &[Context::Input],
        }
    }
}

/// One key (or key sequence) bound to an action, with what it does in both languages.
#[derive(Debug, Clone, PartialEq)]
pub struct Binding {
    pub context: Context,
    pub keys: Vec<Key>,
    pub action: Action,
    pub desc_en: String,
    pub desc_da: String,
}

impl Binding {
    pub fn keys_text(&self) -> String {
        self.keys
            .iter()
            .map(|k| k.to_string())
            .collect::<Vec<_>>()
            .join(" ")
    }

    pub fn desc(&self, lang: Lang) -> &str {
        match lang {
            Lang::Da if !self.desc_da.is_empty() => &self.desc_da,
            _ => &self.desc_en,
        }
    }
}

/// What a key (sequence) means in a context.
#[derive(Debug, Clone, PartialEq)]
pub enum Resolution {
    Action(Action),
    /// The keys so far begin a longer binding ("g" of "g g").
    Pending,
    Unbound,
}

/// The bindings in force.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Keymap {
    pub bindings: Vec<Binding>,
}

impl Keymap {
    /// The shipped default keymap. It is tested to parse, so this cannot fail in a build
    /// that passed its tests.
    pub fn default_map() -> Keymap {
        parse(DEFAULT, "keymaps/default.toml", None).0
    }

    pub fn resolve(&self, context: Context, keys: &[Key]) -> Resolution {
        let mut pending = false;
        for ctx in context.chain() {
            for b in self.bindings.iter().filter(|b| b.context == *ctx) {
                if b.keys == keys {
                    return Resolution::Action(b.action.clone());
                }
                if b.keys.len() > keys.len() && b.keys.starts_with(keys) {
                    pending = true;
                }
            }
        }
        if pending {
            Resolution::Pending
        } else {
            Resolution::Unbound
        }
    }

    /// The keys bound to `action` where `context` is active, as shown to people.
    pub fn keys_for(&self, context: Context, action: &Action) -> Vec<String> {
        context
            .chain()
            .iter()
            .flat_map(|ctx| {
                self.bindings
                    .iter()
                    .filter(move |b| b.context == *ctx && b.action == *action)
            })
            .map(Binding::keys_text)
            .collect()
    }

    /// The first binding of `action` in any context (for its description).
    pub fn describe(&self, action: &Action) -> Option<&Binding> {
        self.bindings.iter().find(|b| b.action == *action)
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    preset: Option<Spanned<String>>,
    #[serde(default)]
    global: Vec<RawBinding>,
    #[serde(default)]
    queue: Vec<RawBinding>,
    #[serde(default)]
    case: Vec<RawBinding>,
    #[serde(default)]
    dialog: Vec<RawBinding>,
    #[serde(default)]
    checklist: Vec<RawBinding>,
    #[serde(default)]
    input: Vec<RawBinding>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBinding {
    on: Spanned<Vec<String>>,
    run: Spanned<String>,
    desc: Option<String>,
    desc_da: Option<String>,
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

/// Parses a keymap file into bindings laid over `base` (None: an empty map). Returns the
/// map and one message per problem, each naming the file and line; a binding with a
/// problem is left out, and a file that is not TOML changes nothing.
pub fn parse(text: &str, file: &str, base: Option<&Keymap>) -> (Keymap, Vec<String>) {
    let mut map = base.cloned().unwrap_or_default();
    let mut problems = Vec::new();
    let raw: RawFile = match toml::from_str(text) {
        Ok(r) => r,
        Err(e) => {
            let line = e.span().map(|s| line_of(text, s.start)).unwrap_or(1);
            problems.push(format!("{file} line {line}: {}", e.message().trim()));
            return (map, problems);
        }
    };
    if let Some(p) = &raw.preset {
        match PRESETS.iter().find(|(name, _)| name == p.get_ref()) {
            Some((name, preset)) => {
                map = parse(preset, &format!("keymaps/{name}.toml"), None).0;
            }
            None => problems.push(format!(
                "{file} line {}: unknown preset `{}` (known: {})",
                line_of(text, p.span().start),
                p.get_ref(),
                PRESETS
                    .iter()
                    .map(|(n, _)| *n)
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        }
    }
    let sections = [
        (Context::Global, raw.global),
        (Context::Queue, raw.queue),
        (Context::Case, raw.case),
        (Context::Dialog, raw.dialog),
        (Context::Checklist, raw.checklist),
        (Context::Input, raw.input),
    ];
    for (context, list) in sections {
        for rb in list {
            let run_line = line_of(text, rb.run.span().start);
            let Some(action) = Action::from_name(rb.run.get_ref()) else {
                problems.push(format!(
                    "{file} line {run_line}: unknown action `{}`",
                    rb.run.get_ref()
                ));
                continue;
            };
            let on_line = line_of(text, rb.on.span().start);
            let mut keys = Vec::new();
            let mut bad = None;
            for k in rb.on.get_ref() {
                match Key::parse(k) {
                    Some(key) => keys.push(key),
                    None => {
                        bad = Some(k.clone());
                        break;
                    }
                }
            }
            if let Some(k) = bad {
                problems.push(format!("{file} line {on_line}: bad key `{k}`"));
                continue;
            }
            if keys.is_empty() {
                problems.push(format!("{file} line {on_line}: `on` names no key"));
                continue;
            }
            // The description a user leaves out is the one the action already has.
            let known = map.describe(&action).cloned();
            map.bindings
                .retain(|b| !(b.context == context && b.keys == keys));
            if action == Action::Nothing {
                continue;
            }
            map.bindings.push(Binding {
                context,
                keys,
                desc_en: rb
                    .desc
                    .or_else(|| known.as_ref().map(|b| b.desc_en.clone()))
                    .unwrap_or_else(|| rb.run.get_ref().clone()),
                desc_da: rb
                    .desc_da
                    .or_else(|| known.as_ref().map(|b| b.desc_da.clone()))
                    .unwrap_or_default(),
                action,
            });
        }
    }
    (map, problems)
}

/// Where a user's keymap lives unless one is given: `$XDG_CONFIG_HOME/triage/keymap.toml`.
pub fn user_file() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "triage").map(|d| d.config_dir().join("keymap.toml"))
}

/// The defaults with the user's file laid over them, and what was wrong with that file.
/// `explicit`: a file the user named (missing is then a problem); None looks in the config
/// directory (missing is normal).
pub fn load(explicit: Option<&Path>) -> (Keymap, Vec<String>) {
    let defaults = Keymap::default_map();
    let (path, must_exist) = match explicit {
        Some(p) => (Some(p.to_path_buf()), true),
        None => (user_file(), false),
    };
    let Some(path) = path else {
        return (defaults, Vec::new());
    };
    match std::fs::read_to_string(&path) {
        Ok(text) => {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| path.display().to_string());
            parse(&text, &name, Some(&defaults))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !must_exist => (defaults, Vec::new()),
        Err(e) => (
            defaults,
            vec![format!("cannot read {}: {e}", path.display())],
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    #[test]
    fn keys_parse_and_print_back() {
        for s in [
            "j",
            "G",
            "?",
            "/",
            ":",
            "<Down>",
            "<C-d>",
            "<A-x>",
            "<Enter>",
            "<Esc>",
            "<Space>",
            "<F1>",
            "<BackTab>",
            "<PageDown>",
            "<Del>",
            "æ",
        ] {
            let k = Key::parse(s).unwrap_or_else(|| panic!("{s}"));
            assert_eq!(k.to_string(), s);
        }
        assert_eq!(Key::parse("<S-Tab>"), Key::parse("<BackTab>"));
        assert_eq!(Key::parse("<C-D>"), Key::parse("<C-d>"));
        assert_eq!(Key::parse("<S-g>"), Key::parse("G"));
        assert_eq!(Key::parse("<cr>"), Key::parse("<Enter>"));
        for bad in ["", "jj", "<Foo>", "<F13>", "<>", "\u{1b}", "<C->"] {
            assert_eq!(Key::parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn events_map_to_the_keys_files_name() {
        let ev = |code, m| KeyEvent::new(code, m);
        assert_eq!(
            Key::from_event(&ev(KeyCode::Char('G'), KeyModifiers::SHIFT)),
            Key::parse("G")
        );
        assert_eq!(
            Key::from_event(&ev(KeyCode::Char('d'), KeyModifiers::CONTROL)),
            Key::parse("<C-d>")
        );
        assert_eq!(
            Key::from_event(&ev(KeyCode::Tab, KeyModifiers::SHIFT)),
            Key::parse("<BackTab>")
        );
        assert_eq!(
            Key::from_event(&ev(KeyCode::Down, KeyModifiers::NONE)),
            Key::parse("<Down>")
        );
    }

    #[test]
    fn user_file_overrides_single_bindings_and_reports_problems() {
        let base = Keymap::default_map();
        let user = r#"
[[queue]]
on = ["x"]
run = "mark"

[[queue]]
on = ["j"]
run = "frobnicate"

[[queue]]
on = ["<Hyper-q>"]
run = "quit"

[[global]]
on = ["q"]
run = "none"
"#;
        let (map, problems) = parse(user, "keymap.toml", Some(&base));
        assert_eq!(
            problems,
            vec![
                "keymap.toml line 8: unknown action `frobnicate`".to_string(),
                "keymap.toml line 11: bad key `<Hyper-q>`".to_string(),
            ]
        );
        assert_eq!(
            map.resolve(Context::Queue, &[Key::char('x')]),
            Resolution::Action(Action::Mark)
        );
        // The bad line left the default in force.
        assert_eq!(
            map.resolve(Context::Queue, &[Key::char('j')]),
            Resolution::Action(Action::Down)
        );
        assert_eq!(
            map.resolve(Context::Queue, &[Key::char('q')]),
            Resolution::Unbound
        );
        // The new binding took the description the action already had.
        let b = map
            .bindings
            .iter()
            .find(|b| b.keys == [Key::char('x')] && b.context == Context::Queue)
            .unwrap();
        assert_eq!(b.desc_en, base.describe(&Action::Mark).unwrap().desc_en);
    }

    #[test]
    fn a_file_that_is_not_toml_changes_nothing() {
        let base = Keymap::default_map();
        let (map, problems) = parse("[[queue]\non = ", "keymap.toml", Some(&base));
        assert_eq!(map, base);
        assert_eq!(problems.len(), 1);
        assert!(
            problems[0].starts_with("keymap.toml line 1:"),
            "{problems:?}"
        );
    }

    #[test]
    fn a_preset_replaces_the_base() {
        let (map, problems) = parse("preset = \"arrows\"\n", "keymap.toml", None);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(
            map.resolve(Context::Queue, &[Key::char('j')]),
            Resolution::Unbound
        );
        let (_, problems) = parse("preset = \"emacs\"\n", "keymap.toml", None);
        assert!(problems[0].contains("unknown preset `emacs`"));
    }

    #[test]
    fn sequences_wait_for_their_second_key() {
        let map = Keymap::default_map();
        assert_eq!(
            map.resolve(Context::Queue, &[Key::char('g')]),
            Resolution::Pending
        );
        assert_eq!(
            map.resolve(Context::Queue, &[Key::char('g'), Key::char('g')]),
            Resolution::Action(Action::Top)
        );
    }
}
