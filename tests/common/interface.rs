//! The interface's tests: a seeded demo store opened in-process, and the interface's
//! start-up values for it.

use ratatui::backend::TestBackend;
use ratatui::Terminal;
use triage::domain::enquiry::Reference;
use triage::domain::policy::{Policy, Role};
use triage::store::api::{Api, Embedded};
use triage::store::{Actor, Store};
use triage::tui::app::{App, Init};
use triage::tui::keymap::Keymap;
use triage::tui::view;
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

/// The screen `app` draws, line by line.
pub fn screen(app: &App) -> String {
    let mut t = Terminal::new(TestBackend::new(app.size.0, app.size.1)).unwrap();
    t.draw(|f| view::view(app, f)).unwrap();
    let buf = t.backend().buffer().clone();
    (0..buf.area.height)
        .map(|y| {
            (0..buf.area.width)
                .map(|x| buf[(x, y)].symbol().to_string())
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The references the queue lists, in order.
pub fn listed(app: &App) -> Vec<Reference> {
    app.queue
        .list
        .iter()
        .map(|&i| app.queue.rows[i].reference)
        .collect()
}
