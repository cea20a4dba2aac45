//! The user's settings file, `$XDG_CONFIG_HOME/triage/config.toml`: the interface language and
//! whether the mouse is on. Command-line options win over it.

use serde::Deserialize;
use std::path::PathBuf;

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// "en" or "da".
    pub lang: Option<String>,
    pub mouse: Option<bool>,
}

pub fn path() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "triage").map(|d| d.config_dir().join("config.toml"))
}

/// The settings, or the defaults with a sentence saying what was wrong with the file.
pub fn load() -> (Config, Option<String>) {
    let Some(path) = path() else {
        return (Config::default(), None);
    };
    let Ok(text) = std::fs::read_to_string(&path) else {
        return (Config::default(), None);
    };
    match toml::from_str::<Config>(&text) {
        Ok(c) if matches!(c.lang.as_deref(), None | Some("en") | Some("da")) => (c, None),
        Ok(c) => (
            Config {
                lang: None,
                ..c.clone()
            },
            Some(format!(
                "{}: lang must be \"en\" or \"da\", not {:?}; using English",
                path.display(),
                c.lang.unwrap_or_default()
            )),
        ),
        Err(e) => (
            Config::default(),
            Some(format!(
                "{}: {}; using the defaults",
                path.display(),
                e.message()
            )),
        ),
    }
}
