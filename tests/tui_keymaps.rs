//! Every shipped keymap parses cleanly and binds every action, so no action is out of reach
//! and every one shows in help.

use triage::tui::action::{Action, NAMED};
use triage::tui::keymap::{parse, PRESETS};

#[test]
fn every_shipped_keymap_parses_and_binds_every_action() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("keymaps");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    assert_eq!(
        files.len(),
        PRESETS.len(),
        "every file in keymaps/ is a preset"
    );
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        let name = path.display().to_string();
        let (map, problems) = parse(&text, &name, None);
        assert!(problems.is_empty(), "{name}: {problems:?}");
        for (action_name, action) in NAMED {
            if *action == Action::Nothing {
                continue;
            }
            assert!(
                map.bindings.iter().any(|b| b.action == *action),
                "{name} does not bind `{action_name}`"
            );
        }
        for b in &map.bindings {
            assert!(
                !b.desc_en.is_empty() && !b.desc_da.is_empty(),
                "{name}: {b:?} lacks a description"
            );
            // No key does two things where it is pressed, and no key is cut off by a longer
            // sequence it begins.
            for ctx in b.context.chain() {
                for other in map
                    .bindings
                    .iter()
                    .filter(|o| o.context == *ctx && !std::ptr::eq(*o, b))
                {
                    assert!(
                        !(other.keys == b.keys && other.context == b.context),
                        "{name}: {} bound twice in {:?}",
                        b.keys_text(),
                        b.context
                    );
                    assert!(
                        !(other.keys.len() > b.keys.len() && other.keys.starts_with(&b.keys)),
                        "{name}: {} hides {}",
                        b.keys_text(),
                        other.keys_text()
                    );
                }
            }
        }
    }
}

#[test]
fn the_bundled_presets_are_the_files() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("keymaps");
    for (name, text) in PRESETS {
        assert_eq!(
            std::fs::read_to_string(dir.join(format!("{name}.toml"))).unwrap(),
            *text
        );
    }
}
