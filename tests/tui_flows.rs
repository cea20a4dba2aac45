//! Flows through `update` and the run loop's effects against a real store: what is audited,
//! when, and what is saved.

mod common;
use common::interface::listed;

use triage::domain::command::Access;
use triage::domain::policy::Role;
use triage::store::api::{Api, Embedded};
use triage::store::Actor;
use triage::tui::action::{Action, View};
use triage::tui::app::{App, Init, Overlay};
use triage::tui::keymap::{Code, Key};
use triage::tui::text::Mark;
use triage::tui::{dispatch, Lang};

fn setup() -> (tempfile::TempDir, Embedded) {
    common::interface::demo_api()
}

fn app(api: &Embedded) -> App {
    let mut app = App::new(init(api), &api.cases().unwrap());
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

/// Moves the route's bases cursor to row `target` (refused rows are stepped over).
fn to_basis(api: &Embedded, app: &mut App, target: usize) {
    type_text(api, app, &"k".repeat(40));
    for _ in 0..40 {
        if wizard(app).selected == target {
            return;
        }
        key(api, app, Key::char('j'));
    }
    panic!("the cursor never reached basis row {target}");
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
        .queue
        .list
        .iter()
        .position(|&i| {
            let r = app.queue.rows[i].reference;
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
    assert_eq!(app.queue.filter, "åse");
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
    assert!(app.queue.filter.is_empty());
}

#[test]
fn taking_and_releasing_are_saved_and_releasing_asks_first() {
    let (_dir, api) = setup();
    let mut app = app(&api);
    dispatch(&api, &mut app, Action::ShowView(View::New));
    let pos = app
        .queue
        .list
        .iter()
        .position(|&i| app.queue.rows[i].assignee().is_none())
        .expect("an unassigned new case");
    for _ in 0..pos {
        dispatch(&api, &mut app, Action::Down);
    }
    let r = app.queue.selected_row().unwrap().reference;
    key(&api, &mut app, Key::char('t'));
    let case = api.case(r).unwrap().unwrap();
    assert_eq!(case.live().unwrap().assignee.as_deref(), Some("tester"));
    assert_eq!(
        app.message.as_ref().unwrap().text,
        format!("saved {r}"),
        "the status bar says it is saved"
    );
    assert!(app.queue.counts[View::Mine.index()] > 0);

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
    let free: Vec<usize> = (0..app.queue.list.len())
        .filter(|&p| app.queue.rows[app.queue.list[p]].assignee().is_none())
        .take(3)
        .collect();
    assert_eq!(free.len(), 3);
    let mut refs = Vec::new();
    for p in free {
        app.queue.selected = p;
        refs.push(app.queue.selected_row().unwrap().reference);
        key(&api, &mut app, Key::char(' '));
    }
    assert_eq!(app.queue.marks.len(), 3);
    key(&api, &mut app, Key::char('t'));
    for r in refs {
        let c = api.case(r).unwrap().unwrap();
        assert_eq!(c.live().unwrap().assignee.as_deref(), Some("tester"), "{r}");
    }
    // Clearing more than one mark asks.
    key(&api, &mut app, Key::char('u'));
    assert!(matches!(app.overlay, Some(Overlay::Confirm { .. })));
    key(&api, &mut app, Key::plain(Code::Enter));
    assert!(app.queue.marks.is_empty());
}

#[test]
fn a_refused_command_shows_the_stores_reason() {
    let (_dir, api) = setup();
    let mut app = app(&api);
    dispatch(&api, &mut app, Action::ShowView(View::All));
    // A case that is closed: taking it is refused by the store.
    let pos = app
        .queue
        .list
        .iter()
        .position(|&i| !app.queue.rows[i].status.is_open())
        .unwrap();
    app.queue.selected = pos;
    let r = app.queue.selected_row().unwrap().reference;
    let held = app
        .queue
        .selected_row()
        .unwrap()
        .assignee()
        .map(String::from);
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
    assert_eq!(app.queue.selected, 3);
    type_text(&api, &mut app, "gg");
    assert_eq!(app.queue.selected, 0);
    // "g" then "j": the sequence is dropped and j still moves.
    type_text(&api, &mut app, "gj");
    assert_eq!(app.queue.selected, 1);
    type_text(&api, &mut app, "G");
    assert_eq!(app.queue.selected, app.queue.list.len() - 1);
    // Keys bound nowhere do nothing.
    type_text(&api, &mut app, "zZ");
    assert!(!app.quit);
    type_text(&api, &mut app, "q");
    assert!(app.quit);
}

// The decision dialogs: classify, purpose, route.

use triage::domain::basis::LegalBasis;
use triage::domain::case::{Case, Verdict};
use triage::domain::category::DataCategory;
use triage::domain::command::{Change, Command};
use triage::domain::enquiry::{Reference, RightKind};
use triage::domain::routing::RouteProblem;
use triage::tui::dialog::{RouteStep, Stored};

/// Shows every case and selects `r`.
fn select(api: &Embedded, app: &mut App, r: Reference) {
    dispatch(api, app, Action::ShowView(View::All));
    let pos = app
        .queue
        .list
        .iter()
        .position(|&i| app.queue.rows[i].reference == r)
        .expect("the case is in the queue");
    app.queue.selected = pos;
}

fn live(api: &Embedded, r: Reference) -> Case {
    api.case(r).unwrap().unwrap().live().unwrap().clone()
}

/// Open cases of the demo, as the store has them.
fn open_cases(api: &Embedded) -> Vec<Case> {
    api.cases()
        .unwrap()
        .into_iter()
        .filter_map(|r| r.live().cloned())
        .filter(|c| c.status.is_open())
        .collect()
}

fn press(api: &Embedded, app: &mut App, k: Code, n: usize) {
    for _ in 0..n {
        key(api, app, Key::plain(k));
    }
}

/// Gives a case a purpose and confirmed categories through the store, as a colleague would.
fn prepare(api: &Embedded, r: Reference, confirm: &[DataCategory]) {
    let c = live(api, r);
    let c = api
        .execute(
            r,
            c.version,
            &Command::SetPurpose {
                purpose: "citizen-enquiries".into(),
                right: None,
            },
        )
        .unwrap();
    api.execute(
        r,
        c.version(),
        &Command::Classify {
            confirm: confirm.to_vec(),
            reject: vec![],
        },
    )
    .unwrap();
}

/// Like `prepare`, and a CPR number on the case rejected: a disclosure of it would need a
/// Data Protection Act § 11 basis, which these flows are not about.
fn prepare_without_cpr(api: &Embedded, r: Reference, confirm: &[DataCategory]) {
    prepare(api, r, confirm);
    let c = live(api, r);
    api.execute(
        r,
        c.version,
        &Command::Classify {
            confirm: vec![],
            reject: vec![DataCategory::Cpr],
        },
    )
    .unwrap();
    assert!(!live(api, r).confirmed().contains(&DataCategory::Cpr));
}

fn wizard(app: &App) -> &triage::tui::dialog::RouteWizard {
    match &app.overlay {
        Some(Overlay::Route(w)) => w,
        other => panic!("no route wizard: {other:?}"),
    }
}

#[test]
fn classify_saves_confirmations_and_rejections_with_the_actor() {
    let (_dir, api) = setup();
    let case = open_cases(&api)
        .into_iter()
        .find(|c| c.open_suggestions().len() >= 2)
        .expect("a case with two open suggestions");
    let mut app = app(&api);
    select(&api, &mut app, case.reference);
    // From the queue, c opens the case (logged) and the checklist over it.
    let before = reads(&api).len();
    key(&api, &mut app, Key::char('c'));
    assert_eq!(
        reads(&api)[before..],
        [(Some(case.reference.to_string()), Access::OpenCase)]
    );
    let Some(Overlay::Classify(d)) = &app.overlay else {
        panic!("no checklist: {:?}", app.overlay);
    };
    assert_eq!(d.lines.len(), 13);
    let suggested: Vec<usize> = d
        .lines
        .iter()
        .enumerate()
        .filter(|(_, l)| matches!(l.stored, Stored::Suggested(_)))
        .map(|(i, _)| i)
        .collect();
    assert!(
        suggested.len() >= 2,
        "suggestions are pre-marked as suggested"
    );
    assert!(
        d.lines.iter().all(|l| l.choice.is_none()),
        "nothing confirmed yet"
    );
    let (a, b) = (suggested[0], suggested[1]);
    let (ca, cb) = (d.lines[a].category, d.lines[b].category);
    // y confirms a, then u undoes and y again; n rejects b. Deciding moves down one.
    type_text(&api, &mut app, &"j".repeat(a));
    type_text(&api, &mut app, "yky");
    type_text(&api, &mut app, &"j".repeat(b - a - 1));
    type_text(&api, &mut app, "n");
    // A row decided and undone is not saved.
    type_text(&api, &mut app, "yku");
    key(&api, &mut app, Key::plain(Code::Enter));
    assert!(app.overlay.is_none());

    let after = live(&api, case.reference);
    let verdict = |c: DataCategory| {
        after
            .categories
            .iter()
            .find(|d| d.category == c)
            .map(|d| (d.verdict, d.decided.by.clone()))
    };
    assert_eq!(verdict(ca), Some((Verdict::Confirmed, "tester".into())));
    assert_eq!(verdict(cb), Some((Verdict::Rejected, "tester".into())));
    assert_eq!(after.categories.len(), case.categories.len() + 2);
    let events = api.events(case.reference).unwrap();
    let last = events.last().unwrap();
    assert_eq!(last.actor, "tester");
    assert_eq!(
        last.change,
        Change::Command(Command::Classify {
            confirm: vec![ca],
            reject: vec![cb],
        })
    );
}

#[test]
fn classify_on_marked_cases_gives_each_its_own_command() {
    let (_dir, api) = setup();
    let mut app = app(&api);
    dispatch(&api, &mut app, Action::ShowView(View::New));
    let refs: Vec<Reference> = app.queue.list[..2]
        .iter()
        .map(|&i| app.queue.rows[i].reference)
        .collect();
    type_text(&api, &mut app, "  ");
    key(&api, &mut app, Key::char('c'));
    assert!(app.case.is_none(), "bulk classify opens no case");
    // Confirm the first category (general), reject CPR (the third).
    type_text(&api, &mut app, "yjn");
    key(&api, &mut app, Key::plain(Code::Enter));
    for r in refs {
        let c = live(&api, r);
        assert_eq!(c.confirmed(), vec![DataCategory::General], "{r}");
        let last = api.events(r).unwrap().pop().unwrap();
        assert_eq!(
            last.change,
            Change::Command(Command::Classify {
                confirm: vec![DataCategory::General],
                reject: vec![DataCategory::Cpr],
            }),
            "{r}"
        );
    }
}

#[test]
fn purpose_picker_preselects_the_suggestion_and_asks_for_the_right() {
    let (_dir, api) = setup();
    let case = open_cases(&api)
        .into_iter()
        .find(|c| {
            c.enquiry.purpose.as_deref() == Some("data-subject-rights")
                && c.purpose.is_none()
                && c.enquiry.right.is_some_and(|r| r != RightKind::Erasure)
        })
        .expect("a data-subject-rights request without a set purpose");
    let mut app = app(&api);
    select(&api, &mut app, case.reference);
    key(&api, &mut app, Key::plain(Code::Enter));
    key(&api, &mut app, Key::char('p'));
    let Some(Overlay::Purpose(p)) = &app.overlay else {
        panic!("no picker");
    };
    let chosen = p.matches(&app.policy)[p.selected];
    assert_eq!(app.policy.purposes[chosen].id(), "data-subject-rights");
    key(&api, &mut app, Key::plain(Code::Enter));
    let Some(Overlay::Purpose(p)) = &app.overlay else {
        panic!("no right step");
    };
    assert_eq!(
        RightKind::ALL[p.matches(&app.policy)[p.selected]],
        case.enquiry.right.unwrap(),
        "the suggested right is preselected"
    );
    // Typed in Danish, folded: "SLET" finds erasure.
    type_text(&api, &mut app, "SLET");
    key(&api, &mut app, Key::plain(Code::Enter));
    assert!(app.overlay.is_none());
    let after = live(&api, case.reference);
    assert_eq!(after.purpose.as_deref(), Some("data-subject-rights"));
    assert_eq!(after.right, Some(RightKind::Erasure));

    // A purpose found by its Danish name, in Danish letters.
    key(&api, &mut app, Key::char('p'));
    type_text(&api, &mut app, "klagesagsbehandling");
    key(&api, &mut app, Key::plain(Code::Enter));
    assert_eq!(
        live(&api, case.reference).purpose.as_deref(),
        Some("complaints")
    );
}

const WHY: &str = "Politiet efterforsker sagen og har bedt om oplysningerne.";

#[test]
fn routing_to_the_police_saves_a_disclosure_and_clears_the_draft() {
    let (_dir, api) = setup();
    let case = open_cases(&api)
        .into_iter()
        .find(|c| c.disclosures.is_empty() && c.restriction.is_none())
        .unwrap();
    let r = case.reference;
    prepare_without_cpr(&api, r, &[DataCategory::General]);
    let mut app = app(&api);
    select(&api, &mut app, r);
    key(&api, &mut app, Key::plain(Code::Enter));
    key(&api, &mut app, Key::char('R'));
    assert_eq!(wizard(&app).step, RouteStep::Recipient);
    type_text(&api, &mut app, "politi");
    key(&api, &mut app, Key::plain(Code::Enter));
    let w = wizard(&app);
    assert_eq!(w.step, RouteStep::Bases);
    assert_eq!(w.recipient.as_deref(), Some("police"));
    // Move to Art. 6(1)(e); refused bases cannot be chosen.
    let target = w
        .options
        .iter()
        .position(|o| o.basis == LegalBasis::Gdpr6('e'))
        .unwrap();
    assert!(w.options[target].refused.is_none());
    assert!(w.options.iter().any(|o| o.refused.is_some()));
    let rows = w.options.len();
    // The cursor steps over refused bases: it never rests on one, so none can be chosen.
    type_text(&api, &mut app, &"k".repeat(40));
    for _ in 0..rows {
        let w = wizard(&app);
        assert!(
            w.options[w.selected].refused.is_none(),
            "rests on a refused basis"
        );
        key(&api, &mut app, Key::char('j'));
    }
    to_basis(&api, &mut app, target);
    key(&api, &mut app, Key::char(' '));
    assert_eq!(wizard(&app).chosen, vec![LegalBasis::Gdpr6('e')]);
    key(&api, &mut app, Key::plain(Code::Enter));
    assert_eq!(
        wizard(&app).step,
        RouteStep::Justification,
        "{:?}",
        wizard(&app).reasons
    );
    // Too short: stays, says why.
    type_text(&api, &mut app, "kort");
    key(&api, &mut app, Key::plain(Code::Enter));
    assert_eq!(wizard(&app).step, RouteStep::Justification);
    assert!(!wizard(&app).reasons.is_empty());
    key(&api, &mut app, Key::ctrl('u'));
    type_text(&api, &mut app, WHY);
    key(&api, &mut app, Key::plain(Code::Enter));
    assert_eq!(wizard(&app).step, RouteStep::Confirm);
    assert_eq!(
        api.draft(r).unwrap().as_deref(),
        Some(WHY),
        "kept on leaving"
    );
    key(&api, &mut app, Key::plain(Code::Enter));
    assert!(app.overlay.is_none(), "{:?}", app.overlay);

    let after = live(&api, r);
    assert_eq!(after.disclosures.len(), 1);
    let d = &after.disclosures[0];
    assert_eq!(d.recipient, "police");
    assert_eq!(d.bases, vec![LegalBasis::Gdpr6('e')]);
    assert_eq!(d.justification, WHY);
    assert_eq!(d.made.by, "tester");
    assert_eq!(api.draft(r).unwrap(), None, "the draft is cleared");
}

#[test]
fn health_data_needs_an_art_9_ground_and_refusals_are_listed() {
    let (_dir, api) = setup();
    let case = open_cases(&api)
        .into_iter()
        .find(|c| c.disclosures.is_empty())
        .unwrap();
    let r = case.reference;
    prepare(&api, r, &[DataCategory::Health]);
    let mut app = app(&api);
    select(&api, &mut app, r);
    key(&api, &mut app, Key::plain(Code::Enter));
    key(&api, &mut app, Key::char('R'));
    type_text(&api, &mut app, "police");
    key(&api, &mut app, Key::plain(Code::Enter));
    // The need is said above the list.
    let mut t = ratatui::Terminal::new(ratatui::backend::TestBackend::new(120, 40)).unwrap();
    dispatch(&api, &mut app, Action::Resize(120, 40));
    t.draw(|f| triage::tui::view::view(&app, f)).unwrap();
    let screen = t.backend().to_string();
    assert!(
        screen.contains("an Art. 9(2) ground is required"),
        "{screen}"
    );
    assert!(
        wizard(&app)
            .needs
            .contains(&RouteProblem::MissingArt9Basis {
                categories: vec![DataCategory::Health]
            }),
        "{:?}",
        wizard(&app).needs
    );
    // Only Art. 6(1)(e): the wizard does not go on.
    let target = wizard(&app)
        .options
        .iter()
        .position(|o| o.basis == LegalBasis::Gdpr6('e'))
        .unwrap();
    to_basis(&api, &mut app, target);
    key(&api, &mut app, Key::char('y'));
    key(&api, &mut app, Key::plain(Code::Enter));
    let w = wizard(&app);
    assert_eq!(w.step, RouteStep::Bases);
    assert!(
        w.reasons.iter().any(|x| x.contains("Art. 9(2)")),
        "{:?}",
        w.reasons
    );

    // Forced through to the confirm step with the bad request: the store refuses and
    // every reason shows, the input kept.
    if let Some(Overlay::Route(w)) = &mut app.overlay {
        w.step = RouteStep::Confirm;
        w.justification = WHY.into();
    }
    dispatch(&api, &mut app, Action::Confirm);
    let w = wizard(&app);
    assert_eq!(w.step, RouteStep::Confirm);
    assert_eq!(w.justification, WHY);
    assert!(
        w.reasons
            .iter()
            .any(|x| x.contains("an Art. 9(2) ground is required")),
        "{:?}",
        w.reasons
    );
    assert!(live(&api, r).disclosures.is_empty());
    t.draw(|f| triage::tui::view::view(&app, f)).unwrap();
    let screen = t.backend().to_string();
    assert!(screen.contains("The store refused the route"), "{screen}");
}

#[test]
fn the_justification_draft_is_saved_and_restored() {
    let (_dir, api) = setup();
    let case = open_cases(&api)
        .into_iter()
        .find(|c| c.disclosures.is_empty())
        .unwrap();
    let r = case.reference;
    prepare_without_cpr(&api, r, &[DataCategory::General]);
    let mut app = app(&api);
    select(&api, &mut app, r);
    key(&api, &mut app, Key::plain(Code::Enter));
    key(&api, &mut app, Key::char('R'));
    type_text(&api, &mut app, "police");
    key(&api, &mut app, Key::plain(Code::Enter));
    let target = wizard(&app)
        .options
        .iter()
        .position(|o| o.basis == LegalBasis::Gdpr6('e'))
        .unwrap();
    to_basis(&api, &mut app, target);
    type_text(&api, &mut app, "y");
    key(&api, &mut app, Key::plain(Code::Enter));
    assert_eq!(wizard(&app).step, RouteStep::Justification);
    // Every 20 keystrokes the draft is saved.
    type_text(&api, &mut app, "Første linje af begrundelsen");
    assert_eq!(
        api.draft(r).unwrap().as_deref(),
        Some("Første linje af begr")
    );
    key(
        &api,
        &mut app,
        Key {
            code: Code::Enter,
            ctrl: false,
            alt: true,
            shift: false,
        },
    );
    type_text(&api, &mut app, "og en til");
    let text = "Første linje af begrundelsen\nog en til";
    assert_eq!(wizard(&app).justification, text);
    // Leaving the step saves it; Esc on the first step closes, the draft stays.
    press(&api, &mut app, Code::Esc, 1);
    assert_eq!(api.draft(r).unwrap().as_deref(), Some(text));
    press(&api, &mut app, Code::Esc, 2);
    assert!(app.overlay.is_none());
    assert!(app.case.is_some(), "Esc closed the wizard, not the case");
    // Reopened (here after closing the case too), the text is back.
    press(&api, &mut app, Code::Esc, 1);
    assert!(app.case.is_none());
    key(&api, &mut app, Key::char('R'));
    assert_eq!(wizard(&app).justification, text);
    assert_eq!(wizard(&app).reference, r);
}

#[test]
fn transfer_basis_restriction_and_missing_groundwork_show_in_the_wizard() {
    let (_dir, api) = setup();
    let cases: Vec<Case> = open_cases(&api)
        .into_iter()
        .filter(|c| c.disclosures.is_empty() && c.restriction.is_none() && c.purpose.is_none())
        .take(2)
        .collect();
    let (a, b) = (cases[0].reference, cases[1].reference);
    let mut app = app(&api);

    // Without a purpose the wizard says so before any justification is typed.
    select(&api, &mut app, a);
    key(&api, &mut app, Key::char('R'));
    type_text(&api, &mut app, "police");
    press(&api, &mut app, Code::Enter, 2);
    let w = wizard(&app);
    assert_eq!(w.step, RouteStep::Bases);
    assert!(
        w.reasons
            .iter()
            .any(|r| r.contains("set the purpose first")),
        "{:?}",
        w.reasons
    );
    press(&api, &mut app, Code::Esc, 3);
    assert!(app.overlay.is_none());

    // An international organisation: a transfer basis step, which must not be empty.
    prepare(&api, a, &[DataCategory::General]);
    dispatch(&api, &mut app, Action::Back);
    select(&api, &mut app, a);
    key(&api, &mut app, Key::char('R'));
    type_text(&api, &mut app, "internationale organisationer");
    key(&api, &mut app, Key::plain(Code::Enter));
    assert_eq!(
        wizard(&app).recipient.as_deref(),
        Some("international-organisations")
    );
    key(&api, &mut app, Key::char('y'));
    assert_eq!(wizard(&app).chosen, vec![LegalBasis::Gdpr6('e')]);
    key(&api, &mut app, Key::plain(Code::Enter));
    assert_eq!(wizard(&app).step, RouteStep::Transfer);
    key(&api, &mut app, Key::plain(Code::Enter));
    assert_eq!(wizard(&app).step, RouteStep::Transfer);
    type_text(&api, &mut app, "Art. 49(1)(d)");
    key(&api, &mut app, Key::plain(Code::Enter));
    type_text(&api, &mut app, WHY);
    key(&api, &mut app, Key::plain(Code::Enter));
    key(&api, &mut app, Key::char('y'));
    assert!(app.overlay.is_none(), "{:?}", app.overlay);
    let d = &live(&api, a).disclosures[0];
    assert_eq!(d.transfer.as_deref(), Some("Art. 49(1)(d)"));

    // PET is restricted: the confirm screen says the case will be restricted, and it is.
    prepare(&api, b, &[DataCategory::General]);
    dispatch(&api, &mut app, Action::Back);
    select(&api, &mut app, b);
    key(&api, &mut app, Key::char('R'));
    type_text(&api, &mut app, "PET");
    key(&api, &mut app, Key::plain(Code::Enter));
    assert_eq!(wizard(&app).recipient.as_deref(), Some("pet"));
    let e = wizard(&app)
        .options
        .iter()
        .position(|o| o.basis == LegalBasis::Gdpr6('e'))
        .unwrap();
    to_basis(&api, &mut app, e);
    key(&api, &mut app, Key::char(' '));
    key(&api, &mut app, Key::plain(Code::Enter));
    type_text(&api, &mut app, WHY);
    key(&api, &mut app, Key::plain(Code::Enter));
    assert_eq!(wizard(&app).step, RouteStep::Confirm);
    let mut t = ratatui::Terminal::new(ratatui::backend::TestBackend::new(80, 24)).unwrap();
    t.draw(|f| triage::tui::view::view(&app, f)).unwrap();
    let screen = t.backend().to_string();
    assert!(
        screen.contains("marked restricted under Art. 23"),
        "{screen}"
    );
    key(&api, &mut app, Key::plain(Code::Enter));
    assert!(app.overlay.is_none());
    assert!(live(&api, b).restriction.is_some());
}

#[test]
fn routing_with_marked_cases_discloses_each_with_one_justification() {
    let (_dir, api) = setup();
    let cases: Vec<Case> = open_cases(&api)
        .into_iter()
        .filter(|c| c.disclosures.is_empty() && c.restriction.is_none())
        .take(2)
        .collect();
    let (a, b) = (cases[0].reference, cases[1].reference);
    prepare_without_cpr(&api, a, &[DataCategory::General]);
    prepare_without_cpr(&api, b, &[DataCategory::General]);
    let mut app = app(&api);
    select(&api, &mut app, b);
    dispatch(&api, &mut app, Action::Mark);
    select(&api, &mut app, a);
    dispatch(&api, &mut app, Action::Mark);
    key(&api, &mut app, Key::plain(Code::Enter));
    key(&api, &mut app, Key::char('R'));
    type_text(&api, &mut app, "politi");
    key(&api, &mut app, Key::plain(Code::Enter));
    let target = wizard(&app)
        .options
        .iter()
        .position(|o| o.basis == LegalBasis::Gdpr6('e'))
        .unwrap();
    to_basis(&api, &mut app, target);
    key(&api, &mut app, Key::char(' '));
    key(&api, &mut app, Key::plain(Code::Enter));
    type_text(&api, &mut app, WHY);
    key(&api, &mut app, Key::plain(Code::Enter));
    key(&api, &mut app, Key::plain(Code::Enter));
    for r in [a, b] {
        let c = live(&api, r);
        assert_eq!(c.disclosures.len(), 1, "{r} routed");
        assert_eq!(
            (
                c.disclosures[0].recipient.as_str(),
                c.disclosures[0].justification.as_str()
            ),
            ("police", WHY)
        );
    }
    let routes = api
        .store
        .audit_log(None)
        .unwrap()
        .into_iter()
        .filter(|(e, _)| e.action == "route" && (e.reference == Some(a) || e.reference == Some(b)))
        .count();
    assert_eq!(routes, 2, "each case recorded separately");
}

/// From the interface, on an access request: the Art. 15 answer is written for its sender,
/// and the read is on the record (by digest and references, not the identifiers).
#[test]
fn the_access_answer_is_written_from_an_access_request() {
    let (dir, api) = setup();
    let out = dir.path().join("reports");
    // Only this test reads the variable.
    std::env::set_var("TRIAGE_REPORT_DIR", &out);
    let request = open_cases(&api)
        .into_iter()
        .find(|c| {
            c.enquiry.right == Some(triage::domain::enquiry::RightKind::Access)
                && c.enquiry.sender.cpr.is_some()
        })
        .expect("the demo has access requests");
    let r = request.reference;
    let mut app = app(&api);
    dispatch(&api, &mut app, Action::AccessReport);
    assert!(
        app.message.as_ref().is_some_and(|m| m.error),
        "no open case: refused with a reason"
    );
    select(&api, &mut app, r);
    key(&api, &mut app, Key::plain(Code::Enter));
    dispatch(&api, &mut app, Action::AccessReport);
    let file = out.join(format!("access-{r}.md"));
    let text = std::fs::read_to_string(&file).expect("the report is written");
    assert!(
        text.contains(&r.to_string()),
        "the request itself is among the person's cases"
    );
    assert!(
        text.contains("Datatilsynet") || text.contains("Data Protection Agency"),
        "{text}"
    );
    let logged = reads(&api).into_iter().any(|(case, a)| case.as_deref() == Some(&r.to_string()) && matches!(&a, Access::Report { what } if what.contains("access report") && !what.contains(request.enquiry.sender.cpr.as_deref().unwrap())));
    assert!(logged, "the report is logged without the CPR number");
}

/// A colleague's change (pushed by the server) updates that row and the open case, and a
/// case that leaves this user's view leaves the queue: only those cases are read again.
#[test]
fn changes_by_others_update_only_their_rows() {
    let (_dir, api) = setup();
    let mut app = app(&api);
    dispatch(&api, &mut app, Action::ShowView(View::All));
    let case = open_cases(&api)
        .into_iter()
        .find(|c| c.assignee.is_none())
        .unwrap();
    let r = case.reference;
    select(&api, &mut app, r);
    key(&api, &mut app, Key::plain(Code::Enter));
    let anne = Actor {
        login: "anne".into(),
        roles: vec![Role::Caseworker],
    };
    api.store
        .execute(
            &api.policy,
            &anne,
            r,
            case.version,
            &Command::Assign {
                to: Some("anne".into()),
                from: None,
            },
            api.now(),
        )
        .unwrap();
    let rows_before = app.queue.rows.len();
    let reads_before = reads(&api).len();
    dispatch(&api, &mut app, triage::tui::changed_cases(&api, &[r]));
    let row = app
        .queue
        .rows
        .iter()
        .find(|row| row.reference == r)
        .unwrap();
    assert_eq!(row.assignee(), Some("anne"));
    let open = app.case.as_ref().unwrap();
    assert_eq!(
        open.record.live().unwrap().assignee.as_deref(),
        Some("anne")
    );
    assert!(
        open.events.iter().any(|e| e.actor == "anne"),
        "the history shows the colleague's change"
    );
    assert_eq!(app.queue.rows.len(), rows_before);
    assert_eq!(
        reads(&api).len(),
        reads_before,
        "a pushed change is not a read by this user"
    );
    let other = app
        .queue
        .rows
        .iter()
        .find(|row| row.reference != r)
        .unwrap()
        .reference;
    dispatch(
        &api,
        &mut app,
        Action::Changed {
            records: vec![],
            gone: vec![other],
        },
    );
    assert_eq!(app.queue.rows.len(), rows_before - 1);
    assert!(app.queue.rows.iter().all(|row| row.reference != other));
}

fn init(api: &Embedded) -> Init {
    common::interface::init(api, Lang::En, true)
}

/// The list a filter gives when matched in one go, for comparison.
fn matched_at_once(api: &Embedded, filter: &str) -> Vec<Reference> {
    let mut a = app(api);
    dispatch(api, &mut a, Action::ShowView(View::All));
    dispatch(api, &mut a, Action::Filter);
    for c in filter.chars() {
        dispatch(api, &mut a, Action::InputChar(c));
    }
    assert!(
        !a.queue.searching(),
        "215 rows are matched in the first chunk"
    );
    listed(&a)
}

#[test]
fn the_filter_matches_in_chunks_narrows_as_it_grows_and_starts_over_when_it_changes() {
    let (_d, api) = setup();
    let mut app = app(&api);
    app.queue.search_chunk = 20;
    app.queue.search_budget = None;
    dispatch(&api, &mut app, Action::ShowView(View::All));
    dispatch(&api, &mut app, Action::Filter);
    dispatch(&api, &mut app, Action::InputChar('s'));
    assert!(app.queue.searching(), "one chunk of 20 is not all 215 rows");
    let mut steps = 1;
    let mut seen = app.queue.list.len();
    while app.queue.searching() {
        app.queue.search_step();
        steps += 1;
        assert!(app.queue.list.len() >= seen, "results only ever arrive");
        seen = app.queue.list.len();
    }
    assert_eq!(steps, 215usize.div_ceil(20));
    let first = listed(&app);
    assert_eq!(first, matched_at_once(&api, "s"));
    // The query grew: only the earlier matches are looked at.
    dispatch(&api, &mut app, Action::InputChar('ø'));
    assert_eq!(app.queue.search_narrowed(), Some(first.len()));
    while app.queue.searching() {
        app.queue.search_step();
    }
    let narrowed = listed(&app);
    assert!(narrowed.len() < first.len() && !narrowed.is_empty());
    assert_eq!(narrowed, matched_at_once(&api, "sø"));
    // Typing while a search runs drops it: the new one looks at every row again, because
    // the one it would narrow did not finish.
    dispatch(&api, &mut app, Action::Backspace);
    dispatch(&api, &mut app, Action::Backspace);
    dispatch(&api, &mut app, Action::InputChar('k'));
    assert!(app.queue.searching());
    dispatch(&api, &mut app, Action::InputChar('o'));
    assert_eq!(app.queue.search_narrowed(), None);
    while app.queue.searching() {
        app.queue.search_step();
    }
    assert_eq!(listed(&app), matched_at_once(&api, "ko"));
    // Clearing the filter gives the whole view back at once.
    dispatch(&api, &mut app, Action::Cancel);
    assert!(!app.queue.searching());
    assert_eq!(app.queue.list.len(), 215);
}

#[test]
fn the_queue_starts_from_its_first_page_and_loads_the_rest_between_keys() {
    let (_d, api) = setup();
    let whole = app(&api);
    let mut app = triage::tui::start(&api, init(&api)).unwrap();
    app.queue.page_size = 150;
    dispatch(&api, &mut app, Action::Resize(80, 24));
    assert_eq!(app.queue.view, View::New);
    assert!(app.queue.loading.is_some());
    assert_eq!(
        app.queue.count_of(View::New),
        None,
        "no counts until everything is read"
    );
    let new = whole.queue.counts[View::New.index()];
    assert_eq!(
        app.queue.rows.len(),
        new.min(triage::tui::queue::FIRST_PAGE)
    );
    assert!(app
        .queue
        .rows
        .iter()
        .all(|r| r.status == triage::domain::case::Status::New));
    // The first page is the most urgent: by deadline, none last.
    let dues: Vec<_> = app
        .queue
        .list
        .iter()
        .map(|&i| match app.queue.rows[i].deadline {
            triage::tui::model::Deadline::Answer { due, .. } => Some(due),
            _ => None,
        })
        .collect();
    let mut sorted = dues.clone();
    sorted.sort_by_key(|d| d.unwrap_or(chrono::NaiveDate::MAX));
    assert_eq!(dues, sorted);
    // Keys work while it loads; the selection stays on its case when the rest arrives.
    dispatch(&api, &mut app, Action::Down);
    dispatch(&api, &mut app, Action::Down);
    let chosen = app.queue.selected_row().unwrap().reference;
    // Someone else takes a case while the queue loads: after one page, one of the cases
    // it read is changed, and the change must survive the rest of the load.
    assert!(triage::tui::pump(&api, &mut app));
    // Room for the whole queue was made before the first page: no row list is copied as
    // it grows.
    let whole_rows = whole.queue.rows.len();
    assert!(
        whole_rows > app.queue.page_size,
        "more than one page to read"
    );
    assert!(app.queue.loading.as_ref().unwrap().rows.capacity() >= whole_rows);
    let (loaded_ref, holder) = app.queue.loading.as_ref().unwrap().rows[..150]
        .iter()
        .find(|r| r.status.is_open() && r.assignee() != Some("anne"))
        .map(|r| (r.reference, r.assignee().map(String::from)))
        .expect("an open case on the first page read");
    let version = api.case(loaded_ref).unwrap().unwrap().version();
    let anne = Actor {
        login: "anne".into(),
        roles: vec![Role::Caseworker],
    };
    api.store
        .execute(
            &api.policy,
            &anne,
            loaded_ref,
            version,
            &Command::Assign {
                to: Some("anne".into()),
                from: holder,
            },
            api.now(),
        )
        .unwrap();
    dispatch(
        &api,
        &mut app,
        triage::tui::changed_cases(&api, &[loaded_ref]),
    );
    let mut pages = 1;
    while triage::tui::pump(&api, &mut app) {
        pages += 1;
    }
    assert_eq!(pages, 215usize.div_ceil(150));
    assert!(app.queue.loading.is_none());
    assert_eq!(app.queue.rows.len(), 215);
    assert_eq!(app.queue.count_of(View::New), Some(new));
    assert_eq!(app.queue.selected_row().unwrap().reference, chosen);
    let row = app
        .queue
        .rows
        .iter()
        .find(|r| r.reference == loaded_ref)
        .unwrap();
    assert_eq!(row.assignee(), Some("anne"));
    // The same list as reading everything at start would give.
    let mut again = self::app(&api);
    dispatch(&api, &mut again, Action::ShowView(View::New));
    assert_eq!(listed(&app), listed(&again));
}

/// `a` in the bases step chooses the suggested bases: an Art. 6 basis the purpose rests on
/// and, for confirmed special categories, an Art. 9 ground; the wizard then goes on.
#[test]
fn a_in_the_bases_step_chooses_the_suggested_bases() {
    let (_dir, api) = setup();
    let case = open_cases(&api)
        .into_iter()
        .find(|c| c.disclosures.is_empty() && c.restriction.is_none())
        .unwrap();
    let r = case.reference;
    prepare(&api, r, &[DataCategory::Health]);
    let mut app = app(&api);
    select(&api, &mut app, r);
    key(&api, &mut app, Key::plain(Code::Enter));
    key(&api, &mut app, Key::char('R'));
    type_text(&api, &mut app, "politi");
    key(&api, &mut app, Key::plain(Code::Enter));
    assert_eq!(wizard(&app).step, RouteStep::Bases);
    assert!(
        wizard(&app).chosen.is_empty(),
        "nothing chosen before the key"
    );
    key(&api, &mut app, Key::char('a'));
    let w = wizard(&app);
    // citizen-enquiries rests on Art. 6(1)(c) and (e); the police accept both.
    assert!(w.chosen.contains(&LegalBasis::Gdpr6('c')), "{:?}", w.chosen);
    assert!(
        w.chosen.iter().any(|b| matches!(b, LegalBasis::Gdpr9(_))),
        "{:?}",
        w.chosen
    );
    for b in &w.chosen {
        let o = w.options.iter().find(|o| o.basis == *b).unwrap();
        assert!(o.refused.is_none(), "{b:?} suggested but not offered");
    }
    key(&api, &mut app, Key::plain(Code::Enter));
    assert_eq!(wizard(&app).step, RouteStep::Justification);
}
