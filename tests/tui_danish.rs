//! A Danish screen says nothing in English: the history, the status bar, the categories, the
//! legal bases, the clocks and what the store said, on every main screen at 120×40.

mod common;

use ratatui::backend::TestBackend;
use ratatui::Terminal;
use std::collections::BTreeSet;
use triage::domain::basis::LegalBasis;
use triage::domain::case::{DisclosureKind, Status};
use triage::domain::category::DataCategory;
use triage::domain::command::{Command, RouteRequest};
use triage::domain::enquiry::Reference;
use triage::domain::policy::{Policy, Role};
use triage::store::api::{Api, Embedded};
use triage::store::{Actor, Store};
use triage::tui::action::{Action, Effect, View};
use triage::tui::app::App;
use triage::tui::{dispatch, perform, view, Lang};

/// Words the English screens use for history, status, roles, clocks and refusals. None of
/// them is Danish, so none may stand on a Danish screen.
const ENGLISH: &[&str] = &[
    "register",
    "registered",
    "classify",
    "set-purpose",
    "route",
    "routed",
    "note",
    "noted",
    "close",
    "closed",
    "answer",
    "answered",
    "assign",
    "assigned",
    "caseworker",
    "embedded",
    "saved",
    "refused",
    "health",
    "contact",
    "general",
    "overdue",
    "due",
    "today",
    "received",
    "deadline",
    "purpose",
    "retention",
    "deletion",
    "handover",
    "kept",
    "waiting",
    "none",
    "suggested",
    "confirmed",
    "rejected",
    "unassigned",
    "changed",
    "reload",
    "ago",
    "gdpr",
    "gdpr-6-1-e",
    "wd",
    "not",
    "possible",
    "needs",
    "is",
    "the",
    "case",
    "help",
    "keys",
];

/// A store seeded with the demo's Danish enquiries only, so every English word on a Danish
/// screen is the interface's own. Opened by "tester", a caseworker.
fn danish_store() -> (tempfile::TempDir, Embedded) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("db")).unwrap();
    let text = format!(
        "{}\n[[staff]]\nlogin = \"tester\"\nname = \"Test Person\"\nroles = [\"caseworker\"]\n",
        triage::cli::DEFAULT_POLICY
    );
    let policy = Policy::from_toml(&text, "policy").unwrap();
    let now = chrono::DateTime::parse_from_rfc3339(common::NOW)
        .unwrap()
        .with_timezone(&chrono::Utc);
    let danish: String = triage::cli::demo::DEMO_ENQUIRIES
        .lines()
        .filter(|l| {
            serde_json::from_str::<serde_json::Value>(l).is_ok_and(|v| v["language"] == "da")
        })
        .map(|l| format!("{l}\n"))
        .collect();
    let records = triage::import::read_jsonl(
        danish.as_bytes(),
        std::path::Path::new("demo-data/enquiries.jsonl"),
    )
    .unwrap();
    assert!(records.len() >= 20, "{} Danish enquiries", records.len());
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

fn version(api: &Embedded, r: Reference) -> u64 {
    api.case(r).unwrap().unwrap().version()
}

fn exec(api: &Embedded, r: Reference, cmd: Command) {
    api.execute(r, version(api, r), &cmd)
        .unwrap_or_else(|e| panic!("{r} {cmd:?}: {e}"));
}

/// A case routed (General data only, to the police), noted, answered; another closed.
/// Returns (routed, closed).
fn story(api: &Embedded) -> (Reference, Reference) {
    let open: Vec<_> = api
        .cases()
        .unwrap()
        .into_iter()
        .filter_map(|c| c.live().cloned())
        .filter(|c| {
            // Staff's own text stays as they wrote it: no case the demo routed in English.
            c.status.is_open()
                && c.disclosures.is_empty()
                && c.restriction.is_none()
                && c.legal_hold.is_none()
                // A rights request closes only after its decision.
                && c.purpose.as_deref() != Some("data-subject-rights")
                && c.enquiry.purpose.as_deref() != Some("data-subject-rights")
        })
        .collect();
    let routed = open[0].reference;
    let closed = open[1].reference;
    for r in [routed, closed] {
        let c = api.case(r).unwrap().unwrap().live().cloned().unwrap();
        // Only general data stays: no basis beyond Art. 6 is needed.
        let reject: Vec<DataCategory> = c
            .open_suggestions()
            .iter()
            .map(|s| s.category)
            .chain(c.confirmed())
            .filter(|x| *x != DataCategory::General)
            .collect();
        exec(
            api,
            r,
            Command::Classify {
                confirm: vec![DataCategory::General],
                reject,
            },
        );
        if c.purpose.is_none() {
            exec(
                api,
                r,
                Command::SetPurpose {
                    purpose: "citizen-enquiries".into(),
                    right: None,
                },
            );
        }
    }
    exec(
        api,
        routed,
        Command::Route(RouteRequest {
            kind: DisclosureKind::Disclosure,
            recipient: "police".into(),
            bases: vec![LegalBasis::Gdpr6('e')],
            justification: "Politiet efterforsker sagen og har bedt om oplysningerne.".into(),
            transfer: None,
            waive_restriction: None,
            parties: Vec::new(),
        }),
    );
    exec(
        api,
        routed,
        Command::AddNote {
            text: "Ringet til borgeren om sagen.".into(),
        },
    );
    exec(
        api,
        closed,
        Command::Answer {
            summary: "Besvaret med brev.".into(),
        },
    );
    exec(
        api,
        closed,
        Command::Close {
            reason: "Besvaret med brev.".into(),
        },
    );
    (routed, closed)
}

fn app(api: &Embedded, lang: Lang) -> App {
    let init = triage::tui::app::Init {
        // A fixed path: a temporary directory's name could hold any word.
        store: "embedded /srv/triage/store".into(),
        ..common::interface::init(api, lang, false)
    };
    let mut app = App::new(init, &api.cases().unwrap());
    dispatch(api, &mut app, Action::Resize(120, 40));
    app
}

fn screen(app: &App) -> String {
    let mut t = Terminal::new(TestBackend::new(app.size.0, app.size.1)).unwrap();
    t.draw(|f| view::view(app, f)).unwrap();
    let b = t.backend().buffer().clone();
    let mut s = String::new();
    for y in 0..b.area.height {
        for x in 0..b.area.width {
            s.push_str(b[(x, y)].symbol());
        }
        s.push('\n');
    }
    s
}

/// Words as a reader sees them: runs of letters, digits and hyphens, lower-cased.
fn words(s: &str) -> BTreeSet<String> {
    s.split(|c: char| !(c.is_alphanumeric() || c == '-'))
        .flat_map(|w| {
            // "set-purpose" as a whole and its parts.
            let w = w.trim_matches('-').to_lowercase();
            let mut v: Vec<String> = w.split('-').map(str::to_string).collect();
            v.push(w);
            v
        })
        .filter(|w| !w.is_empty())
        .collect()
}

fn english_in(s: &str) -> Vec<&'static str> {
    let found = words(s);
    ENGLISH
        .iter()
        .copied()
        .filter(|w| found.contains(*w))
        .collect()
}

fn open(api: &Embedded, app: &mut App, r: Reference) {
    dispatch(api, app, Action::ShowView(View::All));
    let pos = app
        .queue
        .list
        .iter()
        .position(|&i| app.queue.rows[i].reference == r)
        .expect("the case is in All");
    for _ in 0..pos {
        dispatch(api, app, Action::Down);
    }
    dispatch(api, app, Action::Open);
    assert_eq!(app.case.as_ref().map(|c| c.reference()), Some(r));
}

/// Every main screen, and what the store said, as text: (what, screen).
fn screens(
    api: &Embedded,
    lang: Lang,
    routed: Reference,
    closed: Reference,
) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut a = app(api, lang);
    for v in View::ALL {
        dispatch(api, &mut a, Action::ShowView(v));
        out.push((format!("queue {v:?}"), screen(&a)));
    }
    for r in [routed, closed] {
        open(api, &mut a, r);
        out.push((format!("case {r}"), screen(&a)));
        // The whole side panel (history at its end), as it would scroll.
        let c = a.case.as_ref().unwrap();
        let side: Vec<String> = triage::tui::details::side_lines(&a, c, 60)
            .into_iter()
            .map(|(s, _)| s)
            .collect();
        out.push((format!("side panel {r}"), side.join("\n")));
        dispatch(api, &mut a, Action::Back);
    }
    // What the store says: a save, a refusal (closing a closed case), a conflict.
    open(api, &mut a, routed);
    let note = Effect::Execute {
        reference: routed,
        expected: version(api, routed),
        command: Command::AddNote {
            text: "Endnu et notat.".into(),
        },
    };
    for action in perform(api, note) {
        dispatch(api, &mut a, action);
    }
    out.push(("saved".into(), screen(&a)));
    let refused = Effect::Execute {
        reference: closed,
        expected: version(api, closed),
        command: Command::Close {
            reason: "Lukket igen.".into(),
        },
    };
    let answer = perform(api, refused);
    assert!(
        matches!(answer.as_slice(), [Action::StoreFailed(_)]),
        "{answer:?}"
    );
    for action in answer {
        dispatch(api, &mut a, action);
    }
    out.push(("refused".into(), screen(&a)));
    let stale = Effect::Execute {
        reference: routed,
        expected: 1,
        command: Command::AddNote {
            text: "Et notat på en gammel udgave.".into(),
        },
    };
    for action in perform(api, stale) {
        dispatch(api, &mut a, action);
    }
    let conflict = screen(&a);
    out.push(("conflict".into(), conflict));
    dispatch(api, &mut a, Action::Cancel);
    dispatch(api, &mut a, Action::Back);
    dispatch(api, &mut a, Action::Help);
    // Every page of it, down to the units of the deadline column.
    for page in 0..8 {
        out.push((format!("help page {page}"), screen(&a)));
        dispatch(api, &mut a, Action::PageDown);
    }
    let last = screen(&a);
    assert!(
        last.contains("wd:") || last.contains("hd:"),
        "the help ends with the units:\n{last}"
    );
    out
}

#[test]
fn no_english_word_on_a_danish_screen() {
    let (_dir, api) = danish_store();
    let (routed, closed) = story(&api);
    assert_eq!(api.case(closed).unwrap().unwrap().status(), Status::Closed);

    // The check can fail: the English screens say these words.
    let english: String = screens(&api, Lang::En, routed, closed)
        .into_iter()
        .map(|(_, s)| s)
        .collect();
    for w in [
        "register",
        "route",
        "caseworker",
        "embedded",
        "saved",
        "due",
    ] {
        assert!(
            english_in(&english).contains(&w),
            "{w} not on the English screens"
        );
    }

    let mut bad = Vec::new();
    for (what, s) in screens(&api, Lang::Da, routed, closed) {
        let found = english_in(&s);
        if !found.is_empty() {
            bad.push(format!("{what}: {found:?}\n{s}"));
        }
    }
    assert!(
        bad.is_empty(),
        "English on Danish screens:\n{}",
        bad.join("\n\n")
    );
}

/// An access answer that cannot be made is refused in the interface's language, through the
/// same catalogue as the store's other refusals.
#[test]
fn an_access_report_refusal_is_said_in_danish() {
    let (_dir, api) = danish_store();
    let missing = Reference::new(2026, 999);
    let said = |lang| {
        let effect = Effect::AccessReport {
            reference: missing,
            lang,
        };
        match perform(&api, effect).as_slice() {
            [Action::Failed(text)] => text.clone(),
            other => panic!("{other:?}"),
        }
    };
    let en = said(triage::domain::enquiry::Language::En);
    assert_eq!(en, "no case 2026-000999");
    let da = said(triage::domain::enquiry::Language::Da);
    assert_eq!(da, "sagen 2026-000999 findes ikke");
}
