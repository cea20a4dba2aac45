//! Flows through `update` and the run loop's effects against a real store: what is audited,
//! when, and what is saved.

use triage::domain::command::Access;
use triage::domain::policy::{Policy, Role};
use triage::store::api::{Api, Embedded};
use triage::store::{Actor, Store};
use triage::tui::action::{Action, View};
use triage::tui::app::{App, Init, Overlay};
use triage::tui::keymap::{Code, Key, Keymap};
use triage::tui::text::Mark;
use triage::tui::{dispatch, Lang};

const NOW: &str = "2026-11-24T09:00:00+01:00";

fn setup() -> (tempfile::TempDir, Embedded) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("db")).unwrap();
    let text = format!(
        "{}\n[[staff]]\nlogin = \"tester\"\nname = \"Test Person\"\nroles = [\"caseworker\"]\n",
        triage::cli::DEFAULT_POLICY
    );
    let policy = Policy::from_toml(&text, "policy").unwrap();
    let now = chrono::DateTime::parse_from_rfc3339(NOW)
        .unwrap()
        .with_timezone(&chrono::Utc);
    let records = triage::import::read_jsonl(
        triage::cli::demo::DEMO_ENQUIRIES.as_bytes(),
        std::path::Path::new("demo-data/enquiries.jsonl"),
    )
    .unwrap();
    triage::cli::demo::seed(&store, &policy, records, now, "tester").unwrap();
    let api = Embedded {
        store,
        policy,
        actor: Actor {
            login: "tester".into(),
            roles: vec![Role::Caseworker],
        },
        fixed_now: Some(now),
    };
    (dir, api)
}

fn app(api: &Embedded) -> App {
    let mut app = App::new(
        Init {
            lang: Lang::En,
            color: true,
            actor: api.actor().clone(),
            store: api.describe(),
            policy: api.policy().clone(),
            today: api.now().date_naive(),
            keymap: Keymap::default_map(),
            problems: Vec::new(),
        },
        &api.cases().unwrap(),
    );
    dispatch(api, &mut app, Action::Resize(80, 24));
    app
}

/// Reads (access records) in the audit log, in order.
fn reads(api: &Embedded) -> Vec<(Option<String>, Access)> {
    api.store
        .audit_log(None)
        .unwrap()
        .into_iter()
        .filter_map(|(e, a)| a.map(|a| (e.reference.map(|r| r.to_string()), a.access)))
        .collect()
}

fn key(api: &Embedded, app: &mut App, k: Key) {
    dispatch(api, app, Action::Key(k));
}

fn type_text(api: &Embedded, app: &mut App, s: &str) {
    for c in s.chars() {
        key(api, app, Key::char(c));
    }
}

#[test]
fn opening_and_revealing_are_audited_before_the_text_is_drawn() {
    let (_dir, api) = setup();
    let mut app = app(&api);
    // A case whose text holds a CPR number.
    dispatch(&api, &mut app, Action::ShowView(View::All));
    let pos = app
        .list
        .iter()
        .position(|&i| {
            let r = app.rows[i].reference;
            let case = api.case(r).unwrap().unwrap();
            case.live()
                .is_some_and(|c| !triage::domain::detect::find_cprs(&c.enquiry.body).is_empty())
        })
        .expect("the demo has a case with a CPR number in its text");
    for _ in 0..pos {
        dispatch(&api, &mut app, Action::Down);
    }
    let before = reads(&api).len();
    key(&api, &mut app, Key::plain(Code::Enter));
    let c = app.case.as_ref().expect("opened");
    let reference = c.reference().to_string();
    assert_eq!(
        reads(&api)[before..],
        [(Some(reference.clone()), Access::OpenCase)]
    );
    assert!(!c.revealed);
    let body = &c.record.live().unwrap().enquiry.body;
    let pieces = triage::tui::text::pieces(body, &[], c.revealed);
    assert!(pieces
        .iter()
        .any(|(s, m)| *m == Mark::Cpr { revealed: false } && s.ends_with("-XXXX")));

    key(&api, &mut app, Key::char('r'));
    assert!(app.case.as_ref().unwrap().revealed);
    assert_eq!(
        reads(&api)[before..],
        [
            (Some(reference.clone()), Access::OpenCase),
            (Some(reference.clone()), Access::RevealCpr)
        ]
    );
    // Masking again is not a read.
    key(&api, &mut app, Key::char('r'));
    assert!(!app.case.as_ref().unwrap().revealed);
    assert_eq!(reads(&api).len(), before + 2);
}

#[test]
fn a_filter_is_logged_once_on_enter_not_per_keystroke() {
    let (_dir, api) = setup();
    let mut app = app(&api);
    let before = reads(&api).len();
    type_text(&api, &mut app, "/åse");
    assert!(matches!(app.overlay, Some(Overlay::Filter { .. })));
    assert_eq!(app.filter, "åse");
    assert_eq!(reads(&api).len(), before, "typing logs nothing");
    key(&api, &mut app, Key::plain(Code::Enter));
    assert_eq!(
        reads(&api)[before..],
        [(
            None,
            Access::Search {
                terms: "åse".into()
            }
        )]
    );
    // Esc in the queue clears it again.
    key(&api, &mut app, Key::plain(Code::Esc));
    assert!(app.filter.is_empty());
}

#[test]
fn taking_and_releasing_are_saved_and_releasing_asks_first() {
    let (_dir, api) = setup();
    let mut app = app(&api);
    dispatch(&api, &mut app, Action::ShowView(View::New));
    let pos = app
        .list
        .iter()
        .position(|&i| app.rows[i].assignee.is_none())
        .expect("an unassigned new case");
    for _ in 0..pos {
        dispatch(&api, &mut app, Action::Down);
    }
    let r = app.selected_row().unwrap().reference;
    key(&api, &mut app, Key::char('t'));
    let case = api.case(r).unwrap().unwrap();
    assert_eq!(case.live().unwrap().assignee.as_deref(), Some("tester"));
    assert_eq!(
        app.message.as_ref().unwrap().text,
        format!("saved {r}"),
        "the status bar says it is saved"
    );
    assert!(app.counts[View::Mine.index()] > 0);

    // Release: a question first; no changes nothing.
    key(&api, &mut app, Key::char('T'));
    assert!(matches!(app.overlay, Some(Overlay::Confirm { .. })));
    key(&api, &mut app, Key::char('n'));
    let case = api.case(r).unwrap().unwrap();
    assert_eq!(case.live().unwrap().assignee.as_deref(), Some("tester"));
    key(&api, &mut app, Key::char('T'));
    key(&api, &mut app, Key::char('y'));
    let case = api.case(r).unwrap().unwrap();
    assert_eq!(case.live().unwrap().assignee, None);
}

#[test]
fn marks_take_every_marked_case_each_with_its_own_command() {
    let (_dir, api) = setup();
    let mut app = app(&api);
    dispatch(&api, &mut app, Action::ShowView(View::New));
    let free: Vec<usize> = (0..app.list.len())
        .filter(|&p| app.rows[app.list[p]].assignee.is_none())
        .take(3)
        .collect();
    assert_eq!(free.len(), 3);
    let mut refs = Vec::new();
    for p in free {
        app.selected = p;
        refs.push(app.selected_row().unwrap().reference);
        key(&api, &mut app, Key::char(' '));
    }
    assert_eq!(app.marks.len(), 3);
    key(&api, &mut app, Key::char('t'));
    for r in refs {
        let c = api.case(r).unwrap().unwrap();
        assert_eq!(c.live().unwrap().assignee.as_deref(), Some("tester"), "{r}");
    }
    // Clearing more than one mark asks.
    key(&api, &mut app, Key::char('u'));
    assert!(matches!(app.overlay, Some(Overlay::Confirm { .. })));
    key(&api, &mut app, Key::plain(Code::Enter));
    assert!(app.marks.is_empty());
}

#[test]
fn a_refused_command_shows_the_stores_reason() {
    let (_dir, api) = setup();
    let mut app = app(&api);
    dispatch(&api, &mut app, Action::ShowView(View::All));
    // A case that is closed: taking it is refused by the store.
    let pos = app
        .list
        .iter()
        .position(|&i| !app.rows[i].status.is_open())
        .unwrap();
    app.selected = pos;
    let r = app.selected_row().unwrap().reference;
    let held = app.selected_row().unwrap().assignee.clone();
    key(&api, &mut app, Key::char('t'));
    if held.is_some() && held.as_deref() != Some("tester") {
        key(&api, &mut app, Key::char('y'));
    }
    if held.as_deref() != Some("tester") {
        let m = app.message.as_ref().expect("a message");
        assert!(m.error, "{m:?}");
        assert!(m.text.contains("not possible"), "{}: {m:?}", r);
    }
}

#[test]
fn sequences_and_unknown_keys() {
    let (_dir, api) = setup();
    let mut app = app(&api);
    dispatch(&api, &mut app, Action::ShowView(View::All));
    type_text(&api, &mut app, "jjj");
    assert_eq!(app.selected, 3);
    type_text(&api, &mut app, "gg");
    assert_eq!(app.selected, 0);
    // "g" then "j": the sequence is dropped and j still moves.
    type_text(&api, &mut app, "gj");
    assert_eq!(app.selected, 1);
    type_text(&api, &mut app, "G");
    assert_eq!(app.selected, app.list.len() - 1);
    // Keys bound nowhere do nothing.
    type_text(&api, &mut app, "zZ");
    assert!(!app.quit);
    type_text(&api, &mut app, "q");
    assert!(app.quit);
}
