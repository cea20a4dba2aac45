//! The case commands that take a text (note, answer, close, extend, restrict, hold, pause,
//! resume) at the keyboard, against a real store: what is recorded, what is asked first,
//! what is said after, and how they look at 80×24 and 120×40 in both languages.

mod common;

use ratatui::backend::TestBackend;
use ratatui::Terminal;
use triage::domain::case::Status;
use triage::domain::command::{Change, Command};
use triage::domain::enquiry::Reference;
use triage::store::api::{Api, Embedded};
use triage::tui::action::{Action, View};
use triage::tui::app::{App, Overlay};
use triage::tui::keymap::{Code, Key};
use triage::tui::{dispatch, view, Lang};

fn app(api: &Embedded, lang: Lang, size: (u16, u16)) -> App {
    let init = triage::tui::app::Init {
        // A fixed path, so the status line is the same on every machine.
        store: "embedded /srv/triage/store".into(),
        ..common::interface::init(api, lang, false)
    };
    let mut app = App::new(init, &api.cases().unwrap());
    dispatch(api, &mut app, Action::Resize(size.0, size.1));
    app
}

fn keys(api: &Embedded, app: &mut App, s: &str) {
    for c in s.chars() {
        dispatch(api, app, Action::Key(Key::char(c)));
    }
}

fn enter(api: &Embedded, app: &mut App) {
    dispatch(api, app, Action::Key(Key::plain(Code::Enter)));
}

fn esc(api: &Embedded, app: &mut App) {
    dispatch(api, app, Action::Key(Key::plain(Code::Esc)));
}

/// Opens the first case in `view` whose status is `status`; returns its reference.
fn open_first(api: &Embedded, app: &mut App, view: View, status: Status) -> Reference {
    dispatch(api, app, Action::ShowView(view));
    let pos = app
        .queue
        .list
        .iter()
        .position(|&i| app.queue.rows[i].status == status)
        .expect("such a case in the demo");
    for _ in 0..pos {
        dispatch(api, app, Action::Down);
    }
    enter(api, app);
    app.case.as_ref().expect("opened").reference()
}

fn last_command(api: &Embedded, r: Reference) -> Command {
    match api.events(r).unwrap().pop().unwrap().change {
        Change::Command(c) => c,
        other => panic!("{other:?}"),
    }
}

fn message(app: &App) -> String {
    app.message
        .as_ref()
        .map(|m| m.text.clone())
        .unwrap_or_default()
}

#[test]
fn a_note_is_written_saved_and_named() {
    let (_dir, api) = common::interface::demo_api();
    let mut app = app(&api, Lang::En, (120, 40));
    let r = open_first(&api, &mut app, View::All, Status::Routed);
    let before = api.events(r).unwrap().len();
    keys(&api, &mut app, "i");
    assert!(matches!(app.overlay, Some(Overlay::Command(_))));
    // Enter with nothing written saves nothing and says what is missing.
    enter(&api, &mut app);
    assert_eq!(api.events(r).unwrap().len(), before);
    assert!(
        message(&app).contains("Write the note first"),
        "{}",
        message(&app)
    );
    // Letters that are keys elsewhere (x closes, q quits) are text here.
    keys(&api, &mut app, "Phoned the citizen; will send the papers");
    assert!(!app.quit);
    enter(&api, &mut app);
    assert!(app.overlay.is_none());
    assert_eq!(
        last_command(&api, r),
        Command::AddNote {
            text: "Phoned the citizen; will send the papers".into()
        }
    );
    assert_eq!(message(&app), format!("Noted on {r}"));
}

#[test]
fn closing_says_what_will_happen_and_waits_for_yes() {
    let (_dir, api) = common::interface::demo_api();
    let mut app = app(&api, Lang::En, (80, 24));
    let r = open_first(&api, &mut app, View::All, Status::Answered);
    let before = api.events(r).unwrap().len();
    keys(&api, &mut app, "x");
    keys(&api, &mut app, "Answered by letter");
    enter(&api, &mut app);
    // The confirm step: nothing saved yet, and it says what closing does.
    match &app.overlay {
        Some(Overlay::Command(d)) => assert!(d.confirming()),
        other => panic!("{other:?}"),
    }
    assert_eq!(api.events(r).unwrap().len(), before);
    let shown = format!("{:?}", screen(&app));
    assert!(shown.contains("is closed"), "{shown}");
    // Esc goes back to the text, kept; a second Enter and then y closes.
    esc(&api, &mut app);
    match &app.overlay {
        Some(Overlay::Command(d)) => {
            assert!(!d.confirming());
            assert_eq!(d.text, "Answered by letter");
        }
        other => panic!("{other:?}"),
    }
    enter(&api, &mut app);
    keys(&api, &mut app, "y");
    assert_eq!(
        last_command(&api, r),
        Command::Close {
            reason: "Answered by letter".into()
        }
    );
    assert_eq!(message(&app), format!("Closed {r}"));
    assert_eq!(
        app.case.as_ref().unwrap().record.live().unwrap().status,
        Status::Closed
    );
}

#[test]
fn hold_pause_and_resume_are_recorded_and_a_refusal_is_said() {
    let (_dir, api) = common::interface::demo_api();
    let mut app = app(&api, Lang::En, (120, 40));
    let r = open_first(&api, &mut app, View::All, Status::Routed);
    keys(&api, &mut app, "zhPending court case");
    enter(&api, &mut app);
    assert_eq!(
        last_command(&api, r),
        Command::Hold {
            reason: "Pending court case".into()
        }
    );
    // Releasing a hold is the DPO's: the caseworker is told, and nothing is saved.
    let before = api.events(r).unwrap().len();
    keys(&api, &mut app, "zHCourt case ended");
    enter(&api, &mut app);
    keys(&api, &mut app, "y");
    assert_eq!(api.events(r).unwrap().len(), before);
    assert!(message(&app).contains("dpo"), "{}", message(&app));
    assert!(app.message.as_ref().unwrap().error);
    // The dialog stays with its text, so nothing written is lost; Esc twice leaves it.
    match &app.overlay {
        Some(Overlay::Command(d)) => assert_eq!(d.text, "Court case ended"),
        other => panic!("{other:?}"),
    }
    esc(&api, &mut app);
    esc(&api, &mut app);
    assert!(app.overlay.is_none());
    // Resume asks nothing but yes.
    let r = open_first(&api, &mut app, View::All, Status::Triaged);
    keys(&api, &mut app, "zpWaiting for the passport copy");
    enter(&api, &mut app);
    assert!(matches!(last_command(&api, r), Command::Pause { .. }));
    keys(&api, &mut app, "zP");
    match &app.overlay {
        Some(Overlay::Command(d)) => assert!(d.confirming()),
        other => panic!("{other:?}"),
    }
    keys(&api, &mut app, "y");
    assert_eq!(last_command(&api, r), Command::Resume);
}

/// What the rules refuse stands on a Danish screen in Danish: a second legal hold.
#[test]
fn a_refusal_of_the_rules_is_said_in_danish_on_a_danish_screen() {
    let (_dir, api) = common::interface::demo_api();
    let mut da = app(&api, Lang::Da, (120, 40));
    let r = open_first(&api, &mut da, View::All, Status::Routed);
    keys(&api, &mut da, "zhRetssag verserer");
    enter(&api, &mut da);
    assert!(matches!(last_command(&api, r), Command::Hold { .. }));
    let before = api.events(r).unwrap().len();
    keys(&api, &mut da, "zhRetssag verserer stadig");
    enter(&api, &mut da);
    assert_eq!(api.events(r).unwrap().len(), before, "nothing saved");
    let said = message(&da);
    assert!(da.message.as_ref().unwrap().error, "{said}");
    assert!(
        said.contains("Sagen er allerede under retslig tilbageholdelse"),
        "{said}"
    );
    assert!(!said.contains("already"), "{said}");
    // On the screen as drawn, too (the status line at 120 columns).
    let b = screen(&da).buffer().clone();
    let mut drawn = String::new();
    for y in 0..b.area.height {
        for x in 0..b.area.width {
            drawn.push_str(b[(x, y)].symbol());
        }
    }
    assert!(
        drawn.contains("allerede under retslig tilbageholdelse"),
        "{drawn}"
    );
    // The same refusal on an English screen, in English.
    let mut en = app(&api, Lang::En, (120, 40));
    let r2 = open_first(&api, &mut en, View::All, Status::Routed);
    assert_eq!(r, r2);
    keys(&api, &mut en, "zhCourt case still pending");
    enter(&api, &mut en);
    assert!(
        message(&en).contains("the case is already under legal hold"),
        "{}",
        message(&en)
    );
}

#[test]
fn in_the_queue_a_command_asks_for_an_open_case() {
    let (_dir, api) = common::interface::demo_api();
    let mut app = app(&api, Lang::Da, (80, 24));
    dispatch(&api, &mut app, Action::ShowView(View::All));
    dispatch(
        &api,
        &mut app,
        Action::Command(triage::tui::command::CaseCommand::Note),
    );
    assert!(app.overlay.is_none());
    assert!(
        message(&app).contains("Åbn en sag først"),
        "{}",
        message(&app)
    );
}

fn screen(app: &App) -> TestBackend {
    let mut t = Terminal::new(TestBackend::new(app.size.0, app.size.1)).unwrap();
    t.draw(|f| view::view(app, f)).unwrap();
    t.backend().clone()
}

#[test]
fn command_dialogs_at_both_sizes_in_both_languages() {
    let (_dir, api) = common::interface::demo_api();
    for size in [(80, 24), (120, 40)] {
        for (lang, l) in [(Lang::En, "en"), (Lang::Da, "da")] {
            let mut a = app(&api, lang, size);
            open_first(&api, &mut a, View::All, Status::Answered);
            keys(&api, &mut a, "iCalled back about the missing page");
            insta::assert_snapshot!(format!("note_{l}_{}x{}", size.0, size.1), screen(&a));
            esc(&api, &mut a);
            keys(&api, &mut a, "xAnswered by letter");
            enter(&api, &mut a);
            insta::assert_snapshot!(
                format!("close_confirm_{l}_{}x{}", size.0, size.1),
                screen(&a)
            );
        }
    }
}

#[test]
fn the_palette_ranks_the_name_typed_first_and_enter_on_nothing_does_nothing() {
    let (_dir, api) = common::interface::demo_api();
    let mut app = app(&api, Lang::En, (120, 40));
    for (typed, first) in [
        ("note", "note"),
        ("close", "close"),
        ("resu", "resume"),
        ("view_r", "view_routed"),
    ] {
        dispatch(&api, &mut app, Action::Palette);
        keys(&api, &mut app, typed);
        let entries = app.palette_entries();
        assert_eq!(
            entries[0].name,
            first,
            "{typed}: {:?}",
            entries.iter().map(|e| e.name).collect::<Vec<_>>()
        );
        esc(&api, &mut app);
    }
    dispatch(&api, &mut app, Action::Palette);
    enter(&api, &mut app);
    assert!(!app.quit, "Enter on an empty palette quit");
    assert!(matches!(app.overlay, Some(Overlay::Palette { .. })));
}

/// One key confirms every suggestion the classify checklist shows.
#[test]
fn classify_confirms_every_suggestion_with_one_key() {
    let (_dir, api) = common::interface::demo_api();
    let mut app = app(&api, Lang::En, (120, 40));
    dispatch(&api, &mut app, Action::ShowView(View::New));
    let pos = app
        .queue
        .list
        .iter()
        .position(|&i| {
            let r = app.queue.rows[i].reference;
            api.case(r)
                .unwrap()
                .unwrap()
                .live()
                .is_some_and(|c| c.open_suggestions().len() >= 2)
        })
        .expect("a new case with two suggestions");
    for _ in 0..pos {
        dispatch(&api, &mut app, Action::Down);
    }
    enter(&api, &mut app);
    let r = app.case.as_ref().unwrap().reference();
    let mut suggested: Vec<_> = app
        .case
        .as_ref()
        .unwrap()
        .record
        .live()
        .unwrap()
        .open_suggestions()
        .iter()
        .map(|s| s.category)
        .collect();
    suggested.sort();
    suggested.dedup();
    keys(&api, &mut app, "ca");
    enter(&api, &mut app);
    match last_command(&api, r) {
        Command::Classify { confirm, reject } => {
            assert_eq!(confirm, suggested);
            assert!(reject.is_empty());
        }
        other => panic!("{other:?}"),
    }
    let case = api.case(r).unwrap().unwrap();
    assert!(case.live().unwrap().open_suggestions().is_empty());
}

/// Marks on cases that left the view are counted in the status bar, and taking them asks
/// first, saying so.
#[test]
fn marks_out_of_view_are_said_and_taking_them_asks() {
    let (_dir, api) = common::interface::demo_api();
    let mut app = app(&api, Lang::En, (120, 40));
    dispatch(&api, &mut app, Action::ShowView(View::New));
    // Mark two unassigned new cases, then look at another view.
    let free: Vec<usize> = (0..app.queue.list.len())
        .filter(|&p| app.queue.rows[app.queue.list[p]].assignee().is_none())
        .take(2)
        .collect();
    assert_eq!(free.len(), 2, "two unassigned new cases");
    for &p in &free {
        app.queue.selected = p;
        dispatch(&api, &mut app, Action::Mark);
    }
    assert_eq!(app.queue.marks_out_of_view(), 0);
    dispatch(&api, &mut app, Action::ShowView(View::Routed));
    assert_eq!(app.queue.marks_out_of_view(), 2);
    let shown = format!("{:?}", screen(&app));
    assert!(shown.contains("2 marked (2 not in view)"), "{shown}");
    let marked: Vec<Reference> = app.queue.marks.iter().copied().collect();
    keys(&api, &mut app, "t");
    match &app.overlay {
        Some(Overlay::Confirm { prompt, .. }) => {
            assert!(
                prompt.contains("2 of them are not in this view"),
                "{prompt}"
            )
        }
        other => panic!("taking hidden marks did not ask: {other:?}"),
    }
    // Nothing taken until yes.
    for r in &marked {
        assert_eq!(
            api.case(*r).unwrap().unwrap().live().unwrap().assignee,
            None
        );
    }
    keys(&api, &mut app, "y");
    for r in &marked {
        assert_eq!(
            api.case(*r)
                .unwrap()
                .unwrap()
                .live()
                .unwrap()
                .assignee
                .as_deref(),
            Some("tester")
        );
    }
}

/// A colleague changed the case while a note was written: the person is told who and can
/// reload (then save on the new version) or keep editing; no text is lost either way.
#[test]
fn a_conflict_offers_reload_or_keep_editing() {
    let (_dir, api) = common::interface::demo_api();
    let mut app = app(&api, Lang::En, (120, 40));
    let r = open_first(&api, &mut app, View::All, Status::Routed);
    keys(&api, &mut app, "iCalled back");
    // Someone else writes to the case meanwhile.
    let v = api.case(r).unwrap().unwrap().version();
    api.execute(
        r,
        v,
        &Command::AddNote {
            text: "by someone else".into(),
        },
    )
    .unwrap();
    enter(&api, &mut app);
    match &app.overlay {
        Some(Overlay::Conflict { message, .. }) => {
            assert!(message.contains("changed by"), "{message}")
        }
        other => panic!("no conflict shown: {other:?}"),
    }
    let shown = format!("{:?}", screen(&app));
    assert!(
        shown.contains("r reload") && shown.contains("keep editing"),
        "{shown}"
    );
    // Esc: back to the note, text kept.
    esc(&api, &mut app);
    match &app.overlay {
        Some(Overlay::Command(d)) => assert_eq!(d.text, "Called back"),
        other => panic!("{other:?}"),
    }
    // Again, then r: the case is read anew and the note goes onto the new version.
    enter(&api, &mut app);
    assert!(matches!(app.overlay, Some(Overlay::Conflict { .. })));
    keys(&api, &mut app, "r");
    match &app.overlay {
        Some(Overlay::Command(d)) => assert_eq!(d.version, v + 1),
        other => panic!("{other:?}"),
    }
    enter(&api, &mut app);
    assert!(app.overlay.is_none(), "{:?}", app.overlay);
    assert_eq!(
        last_command(&api, r),
        Command::AddNote {
            text: "Called back".into()
        }
    );
}

fn down(api: &Embedded, app: &mut App) {
    dispatch(api, app, Action::Key(Key::plain(Code::Down)));
}

/// Assign: a colleague picked from the policy's staff; withdraw: a disclosure picked and a
/// reason; decide: an outcome, and for a refusal the ruling's reasons and ground.
#[test]
fn assign_withdraw_and_decide_pick_then_write_then_confirm() {
    let (_dir, api) = common::interface::demo_api();
    let mut app = app(&api, Lang::En, (120, 40));
    // Assign.
    let r = open_first(&api, &mut app, View::All, Status::Routed);
    let holder = api
        .case(r)
        .unwrap()
        .unwrap()
        .live()
        .unwrap()
        .assignee
        .clone();
    keys(&api, &mut app, "za");
    let to = match &app.overlay {
        Some(Overlay::Command(d)) => {
            assert!(!d.choices.is_empty());
            assert!(d.choices.iter().all(|c| Some(&c.id) != holder.as_ref()));
            d.choices[1].id.clone()
        }
        other => panic!("{other:?}"),
    };
    down(&api, &mut app);
    enter(&api, &mut app);
    let shown = format!("{:?}", screen(&app));
    assert!(shown.contains("goes to"), "{shown}");
    keys(&api, &mut app, "y");
    assert_eq!(
        last_command(&api, r),
        Command::Assign {
            to: Some(to.clone()),
            from: holder
        }
    );
    // Withdraw the case's first live disclosure.
    let case = api.case(r).unwrap().unwrap().live().unwrap().clone();
    let d = case
        .live_disclosures()
        .next()
        .expect("a routed case has one")
        .id;
    keys(&api, &mut app, "zw");
    enter(&api, &mut app);
    keys(&api, &mut app, "Sent to the wrong authority");
    enter(&api, &mut app);
    keys(&api, &mut app, "y");
    assert_eq!(
        last_command(&api, r),
        Command::Withdraw {
            disclosure: d,
            reason: "Sent to the wrong authority".into()
        }
    );
    let after = api.case(r).unwrap().unwrap().live().unwrap().clone();
    assert!(after
        .disclosures
        .iter()
        .find(|x| x.id == d)
        .unwrap()
        .withdrawn
        .is_some());
    // Decide a data-subject request: refused, with reasons and ground.
    let requests: Vec<Reference> = api
        .cases()
        .unwrap()
        .into_iter()
        .filter_map(|c| c.live().cloned())
        .filter(|c| {
            c.purpose.as_deref() == Some("data-subject-rights")
                && c.decision.is_none()
                && c.status.is_open()
        })
        .map(|c| c.reference)
        .collect();
    let r = *requests.first().expect("an undecided request in the demo");
    dispatch(&api, &mut app, Action::ShowView(View::All));
    let pos = app
        .queue
        .list
        .iter()
        .position(|&i| app.queue.rows[i].reference == r)
        .unwrap();
    app.queue.selected = pos;
    enter(&api, &mut app);
    keys(&api, &mut app, "D");
    down(&api, &mut app);
    down(&api, &mut app);
    enter(&api, &mut app);
    keys(&api, &mut app, "The documents concern another person");
    enter(&api, &mut app);
    // The ground is asked for on its own.
    enter(&api, &mut app);
    assert!(
        message(&app).contains("Write the legal ground first"),
        "{}",
        message(&app)
    );
    keys(&api, &mut app, "Art. 15(4)");
    enter(&api, &mut app);
    keys(&api, &mut app, "y");
    assert_eq!(
        last_command(&api, r),
        Command::Decide {
            outcome: triage::domain::case::Outcome::Refused,
            ruling: Some(triage::domain::case::Ruling {
                reasons: "The documents concern another person".into(),
                ground: "Art. 15(4)".into()
            })
        }
    );
    assert_eq!(message(&app), format!("Decided {r}"));
}

/// Classifying marked cases: each line says on how many of them the category is suggested,
/// and one key confirms each case's own suggestions (not everyone's).
#[test]
fn bulk_classify_counts_suggestions_and_confirms_each_cases_own() {
    let (_dir, api) = common::interface::demo_api();
    let mut app = app(&api, Lang::En, (120, 40));
    dispatch(&api, &mut app, Action::ShowView(View::New));
    let with: Vec<usize> = (0..app.queue.list.len())
        .filter(|&p| {
            app.queue.rows[app.queue.list[p]]
                .badges
                .iter()
                .any(|(_, ok)| !ok)
        })
        .take(2)
        .collect();
    assert_eq!(with.len(), 2, "two new cases with suggestions");
    let mut marked = Vec::new();
    for &p in &with {
        app.queue.selected = p;
        marked.push(app.queue.rows[app.queue.list[p]].reference);
        dispatch(&api, &mut app, Action::Mark);
    }
    keys(&api, &mut app, "c");
    match &app.overlay {
        Some(Overlay::Classify(d)) => {
            assert_eq!(d.targets.len(), 2);
            assert!(d
                .lines
                .iter()
                .any(|l| matches!(l.stored, triage::tui::dialog::Stored::SuggestedOn(_))));
        }
        other => panic!("{other:?}"),
    }
    let shown = format!("{:?}", screen(&app));
    assert!(shown.contains("suggested on"), "{shown}");
    keys(&api, &mut app, "a");
    enter(&api, &mut app);
    for r in marked {
        let case = api.case(r).unwrap().unwrap().live().unwrap().clone();
        assert!(
            !case
                .open_suggestions()
                .iter()
                .any(|s| s.category.is_special() || s.category.is_criminal()),
            "{r} still has undecided special suggestions"
        );
        assert!(matches!(last_command(&api, r), Command::Classify { .. }));
    }
}
