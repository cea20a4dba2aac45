//! The demo lives on the day it runs: whatever the date, it opens on fresh post with a spread
//! of clocks and something in every view.

mod common;

use triage::domain::calendar::Calendar;
use triage::domain::policy::Policy;
use triage::store::Store;
use triage::tui::action::View;
use triage::tui::model::{in_view, Deadline, Row, Urgency};

struct Day {
    views: Vec<(View, usize)>,
    /// Enquiries received today or yesterday.
    fresh: usize,
    /// (overdue, running) answer clocks of open cases.
    clocks: (usize, usize),
}

fn day(now: &str) -> Day {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("db")).unwrap();
    let text = format!(
        "{}\n[[staff]]\nlogin = \"tester\"\nname = \"Test Person\"\nroles = [\"caseworker\"]\n",
        triage::cli::DEFAULT_POLICY
    );
    let policy = Policy::from_toml(&text, "policy").unwrap();
    let now = chrono::DateTime::parse_from_rfc3339(now)
        .unwrap()
        .with_timezone(&chrono::Utc);
    let records = triage::import::read_jsonl(
        triage::cli::demo::DEMO_ENQUIRIES.as_bytes(),
        std::path::Path::new("demo-data/enquiries.jsonl"),
    )
    .unwrap();
    triage::cli::demo::seed(&store, &policy, records, now, "tester").unwrap();
    let cal = Calendar::from_policy(&policy);
    let today = triage::domain::danish_time::danish_date(&now);
    let rows: Vec<Row> = store
        .summaries()
        .map(|s| Row::from_summary(&s.unwrap(), &cal, today))
        .collect();
    let fresh = store
        .cases()
        .filter_map(|c| c.unwrap().live().cloned())
        .filter(|c| {
            (today - triage::domain::danish_time::danish_date(&c.enquiry.received)).num_days() <= 1
        })
        .count();
    let running: Vec<&Row> = rows
        .iter()
        .filter(|r| r.status.is_open() && matches!(r.deadline, Deadline::Answer { .. }))
        .collect();
    let overdue = running
        .iter()
        .filter(|r| r.deadline.urgency() == Urgency::Overdue)
        .count();
    Day {
        views: View::ALL
            .iter()
            .map(|v| (*v, rows.iter().filter(|r| in_view(r, *v, "tester")).count()))
            .collect(),
        fresh,
        clocks: (overdue, running.len()),
    }
}

#[test]
fn the_demo_opens_on_fresh_post_and_full_views_on_any_day() {
    for now in [
        "2026-12-01T08:00:00+01:00",
        "2027-12-02T10:30:00+01:00",
        "2028-12-04T13:00:00+01:00",
    ] {
        let Day {
            views,
            fresh,
            clocks: (overdue, running),
        } = day(now);
        assert!(
            overdue > 0 && overdue * 3 < running,
            "{now}: {overdue} of {running} open clocks overdue"
        );
        assert!(
            fresh >= 20,
            "{now}: only {fresh} enquiries from today and yesterday"
        );
        for (view, n) in &views {
            assert!(*n > 0, "{now}: the {view:?} view is empty: {views:?}");
        }
        let new = views.iter().find(|(v, _)| *v == View::New).unwrap().1;
        assert!(new >= 20, "{now}: {new} new cases");
    }
}
