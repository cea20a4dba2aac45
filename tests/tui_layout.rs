//! Small terminals: the deadline is never cut, and the active view and help stay on screen.

mod common;

use triage::store::api::Api;
use triage::tui::action::{Action, View};
use triage::tui::app::{App, Init};
use triage::tui::model::Deadline;
use triage::tui::{dispatch, i18n, Lang};

fn lines(app: &App) -> Vec<String> {
    common::interface::screen(app)
        .lines()
        .map(String::from)
        .collect()
}

#[test]
fn at_80x24_and_60x20_deadlines_are_whole_and_the_view_and_help_show() {
    let (_dir, api) = common::interface::demo_api();
    for size in [(80u16, 24u16), (60, 20)] {
        for (lang, help, due) in [
            (Lang::En, "help", "Due soon"),
            (Lang::Da, "hjælp", "Frist nærmer sig"),
        ] {
            let init = Init {
                store: "embedded /srv/triage/store".into(),
                ..common::interface::init(&api, lang, false)
            };
            let mut app = App::new(init, &api.cases().unwrap());
            dispatch(&api, &mut app, Action::Resize(size.0, size.1));
            dispatch(&api, &mut app, Action::ShowView(View::DueSoon));
            let screen = lines(&app);
            let tabs = &screen[0];
            assert!(tabs.contains(help), "{size:?} {lang:?}: {tabs}");
            assert!(tabs.contains(due), "{size:?} {lang:?}: {tabs}");
            // Every visible row shows its whole countdown, full or narrow.
            let mut checked = 0;
            for &i in app.queue.list.iter().take(size.1 as usize - 4) {
                let row = &app.queue.rows[i];
                let Deadline::Answer { countdown, .. } = &row.deadline else {
                    continue;
                };
                let line = screen
                    .iter()
                    .find(|l| l.contains(&row.reference.to_string()))
                    .unwrap_or_else(|| panic!("{} not on screen", row.reference));
                let full = i18n::countdown(lang, countdown);
                let narrow = i18n::countdown_narrow(lang, countdown);
                assert!(
                    line.contains(&full) || line.contains(&narrow),
                    "{size:?} {lang:?}: `{full}` / `{narrow}` cut in\n{line}"
                );
                checked += 1;
            }
            assert!(checked >= 5, "{size:?}: only {checked} rows checked");
        }
    }
}
