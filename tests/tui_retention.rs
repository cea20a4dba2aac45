//! The Retention view: every closed case on its way out, each with its step (period running,
//! package due, packaged, approved, deletion due), read from the archive register for the rows
//! in sight, in English and Danish.

mod common;
use common::interface::screen;

use triage::archive::registry::{self, PackageRecord};
use triage::domain::clock::RetentionState;
use triage::domain::enquiry::Reference;
use triage::domain::handover::Step;
use triage::store::api::{Api, Embedded};
use triage::tui::action::{Action, View};
use triage::tui::app::App;
use triage::tui::{dispatch, pump, Lang};

/// The demo store read on 1 February 2027: the 2026 archive period has ended, so the cases
/// closed in it are due for an archival version.
fn after_the_period() -> (tempfile::TempDir, Embedded) {
    let (dir, api) = common::interface::demo_api();
    let later = chrono::DateTime::parse_from_rfc3339("2027-02-01T09:00:00+01:00")
        .unwrap()
        .with_timezone(&chrono::Utc);
    (
        dir,
        Embedded {
            fixed_now: Some(later),
            ..api
        },
    )
}

fn app(api: &Embedded, lang: Lang) -> App {
    let mut app = App::new(
        common::interface::init(api, lang, false),
        &api.cases().unwrap(),
    );
    dispatch(api, &mut app, Action::Resize(120, 40));
    dispatch(api, &mut app, Action::ShowView(View::RetentionDue));
    // The register is asked between keys, as the event loop does.
    let mut rounds = 0;
    while pump(api, &mut app) {
        rounds += 1;
        assert!(rounds < 100, "the interface keeps asking");
    }
    app
}

/// The screen line showing `r`.
fn line_of(screen: &str, r: Reference) -> String {
    let r = r.to_string();
    screen
        .lines()
        .find(|l| l.contains(&r))
        .unwrap_or_else(|| panic!("{r} not on screen:\n{screen}"))
        .to_string()
}

/// Cases in the view in `state`, in the order shown.
fn shown_in(app: &App, state: RetentionState) -> Vec<Reference> {
    app.queue
        .list
        .iter()
        .map(|&i| &app.queue.rows[i])
        .filter(|r| r.retention == Some(state))
        .map(|r| r.reference)
        .collect()
}

#[test]
fn each_case_shows_its_step_and_a_package_moves_it_on() {
    let (_dir, api) = after_the_period();
    let before = app(&api, Lang::En);
    let due = shown_in(&before, RetentionState::HandoverDue);
    assert!(due.len() >= 2, "cases due for the archives: {due:?}");
    // Open cases are not on their way out; every listed one is closed.
    assert!(before
        .queue
        .list
        .iter()
        .all(|&i| before.queue.rows[i].retention != Some(RetentionState::Open)));
    let (packaged, waiting) = (due[0], due[1]);
    let s = screen(&before);
    assert!(line_of(&s, packaged).contains("package due"), "{s}");

    // An archival version holds the first case; the archives have not approved it yet.
    let mut record = PackageRecord {
        id: "AVID.TST.1.1".into(),
        seq: 0,
        created: "2027-01-20".parse().unwrap(),
        period_start: "2022-01-01".parse().unwrap(),
        period_end: "2026-12-31".parse().unwrap(),
        cases: 1,
        file_index_md5: "0".repeat(32),
        approved: None,
    };
    registry::save(&api.store, &record).unwrap();
    registry::mark_case(&api.store, packaged, 0).unwrap();

    let en = app(&api, Lang::En);
    let s = screen(&en);
    assert!(line_of(&s, packaged).contains("packaged"), "{s}");
    assert!(line_of(&s, waiting).contains("package due"), "{s}");
    let da = app(&api, Lang::Da);
    let s = screen(&da);
    assert!(line_of(&s, packaged).contains("pakket"), "{s}");
    assert!(line_of(&s, waiting).contains("skal pakkes"), "{s}");
    assert!(s.contains("Opbevaring"), "{s}");

    // The archives approve: a reload (r) asks the register again.
    record.approved = Some("2027-01-30".parse().unwrap());
    registry::save(&api.store, &record).unwrap();
    let mut en = en;
    dispatch(&api, &mut en, Action::Refresh);
    while pump(&api, &mut en) {}
    let s = screen(&en);
    assert!(line_of(&s, packaged).contains("approved"), "{s}");
}

#[test]
fn steps_that_need_no_register_are_shown_without_asking() {
    let (_dir, api) = after_the_period();
    let app = app(&api, Lang::En);
    let s = screen(&app);
    // Cases whose purpose skips the archives wait out their period, or are due for deletion.
    let running = shown_in(&app, RetentionState::Waiting);
    let deletion = shown_in(&app, RetentionState::DeletionDue);
    assert!(
        !running.is_empty() || !deletion.is_empty(),
        "the demo has closed cases outside the archives' path"
    );
    for r in running.iter().take(3) {
        if s.contains(&r.to_string()) {
            assert!(line_of(&s, *r).contains("in period"), "{s}");
        }
    }
    for r in deletion.iter().take(3) {
        if s.contains(&r.to_string()) {
            assert!(line_of(&s, *r).contains("delete"), "{s}");
        }
    }
    let step = |r: Reference| {
        let row = app.queue.rows.iter().find(|x| x.reference == r).unwrap();
        app.retention_step(row)
    };
    assert!(running
        .iter()
        .all(|r| step(*r) == Some(Step::PeriodRunning)));
    assert!(deletion.iter().all(|r| step(*r) == Some(Step::DeletionDue)));
    // Nothing is left asked for once the rows in sight are known.
    assert!(app.archive_wanted().is_empty());
}
