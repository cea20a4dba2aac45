//! The interface's side panel: the § 39 complaint date beside the § 36 deadline.

mod common;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use triage::store::api::Api;
use triage::tui::action::{Action, View};
use triage::tui::app::App;
use triage::tui::keymap::{Code, Key};
use triage::tui::{dispatch, view, Lang};

#[test]
fn an_access_to_documents_case_shows_its_section_39_date() {
    let (_dir, api) = common::interface::demo_api();
    let mut app = App::new(
        common::interface::init(&api, Lang::En, false),
        &api.cases().unwrap(),
    );
    dispatch(&api, &mut app, Action::Resize(120, 40));
    dispatch(&api, &mut app, Action::ShowView(View::All));
    let pos = app
        .queue
        .list
        .iter()
        .position(|&i| {
            let case = api.case(app.queue.rows[i].reference).unwrap().unwrap();
            case.live().is_some_and(|c| {
                c.status.is_open() && c.answer_purpose() == Some("access-to-documents")
            })
        })
        .expect("the demo has an open request for access to documents");
    for _ in 0..pos {
        dispatch(&api, &mut app, Action::Down);
    }
    dispatch(&api, &mut app, Action::Key(Key::plain(Code::Enter)));
    assert!(app.case.is_some(), "opened");
    let mut buf = Buffer::empty(Rect::new(0, 0, 120, 40));
    view::render(&app, buf.area, &mut buf);
    let screen: String = (0..40)
        .map(|y| {
            (0..120)
                .map(|x| buf[(x, y)].symbol().to_string())
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("\n");
    let line = screen
        .lines()
        .find(|l| l.contains("§ 39 complaint date"))
        .unwrap_or_else(|| panic!("no § 39 date:\n{screen}"));
    assert!(
        line.split_whitespace()
            .any(|w| w.len() == 10 && w.parse::<chrono::NaiveDate>().is_ok()),
        "{line}"
    );
}
