//! The interface's tests: a seeded demo store opened in-process, and the interface's
//! start-up values for it.

use triage::domain::policy::{Policy, Role};
use triage::store::api::{Api, Embedded};
use triage::store::{Actor, Store};
use triage::tui::app::Init;
use triage::tui::keymap::Keymap;
use triage::tui::Lang;

/// The demo enquiries seeded into a temporary store, opened by "tester", a caseworker,
/// at the fixed time `super::NOW`.
pub fn demo_api() -> (tempfile::TempDir, Embedded) {
    demo_api_with("")
}

/// The same, with `extra` JSON Lines enquiries seeded after the demo's.
pub fn demo_api_with(extra: &str) -> (tempfile::TempDir, Embedded) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("db")).unwrap();
    let text = format!(
        "{}\n[[staff]]\nlogin = \"tester\"\nname = \"Test Person\"\nroles = [\"caseworker\"]\n",
        triage::cli::DEFAULT_POLICY
    );
    let policy = Policy::from_toml(&text, "policy").unwrap();
    let now = chrono::DateTime::parse_from_rfc3339(super::NOW)
        .unwrap()
        .with_timezone(&chrono::Utc);
    let lines = format!(
        "{}\n{extra}\n",
        triage::cli::demo::DEMO_ENQUIRIES.trim_end()
    );
    let records = triage::import::read_jsonl(
        lines.as_bytes(),
        std::path::Path::new("demo-data/enquiries.jsonl"),
    )
    .unwrap();
    triage::cli::demo::seed(&store, &policy, records, now, "tester").unwrap();
    let api = Embedded {
        store: std::sync::Arc::new(store),
        policy,
        actor: Actor {
            login: "tester".into(),
            roles: vec![Role::Caseworker],
        },
        fixed_now: Some(now),
    };
    (dir, api)
}

/// What the interface starts with on `api`, with the default keys.
pub fn init(api: &dyn Api, lang: Lang, color: bool) -> Init {
    Init {
        lang,
        color,
        actor: api.actor().clone(),
        store: api.describe(),
        policy: api.policy().clone(),
        today: triage::domain::danish_time::danish_date(&api.now()),
        keymap: Keymap::default_map(),
        problems: Vec::new(),
    }
}
