//! Layouts of the main screens at 80×24 and 120×40, in English and Danish, on the demo data.

mod common;

use ratatui::backend::TestBackend;
use ratatui::style::{Color, Modifier};
use ratatui::Terminal;
use std::sync::OnceLock;
use triage::store::api::{Api, Embedded};
use triage::tui::action::{Action, View};
use triage::tui::app::{App, Init};
use triage::tui::keymap::Key;
use triage::tui::{dispatch, view, Lang};

struct Demo {
    api: Embedded,
    _dir: tempfile::TempDir,
}

/// One demo store for every test in this file (seeding takes a moment).
fn demo() -> &'static Embedded {
    static DEMO: OnceLock<Demo> = OnceLock::new();
    &DEMO
        .get_or_init(|| {
            let (dir, api) = common::interface::demo_api();
            Demo { api, _dir: dir }
        })
        .api
}

fn app(lang: Lang, size: (u16, u16)) -> App {
    let api = demo();
    let init = Init {
        // A fixed path, so the status line is the same on every machine.
        store: "embedded /srv/triage/store".into(),
        ..common::interface::init(api, lang, true)
    };
    let mut app = App::new(init, &api.cases().unwrap());
    dispatch(api, &mut app, Action::Resize(size.0, size.1));
    app
}

fn act(app: &mut App, actions: &[Action]) {
    for a in actions {
        dispatch(demo(), app, a.clone());
    }
}

fn keys(app: &mut App, keys: &str) {
    for c in keys.chars() {
        dispatch(demo(), app, Action::Key(Key::char(c)));
    }
}

fn screen(app: &App) -> TestBackend {
    let mut t = Terminal::new(TestBackend::new(app.size.0, app.size.1)).unwrap();
    t.draw(|f| view::view(app, f)).unwrap();
    t.backend().clone()
}

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];
const LANGS: [(Lang, &str); 2] = [(Lang::En, "en"), (Lang::Da, "da")];

#[test]
fn queue_screens() {
    for size in SIZES {
        for (lang, l) in LANGS {
            let mut a = app(lang, size);
            act(
                &mut a,
                &[Action::ShowView(View::All), Action::Down, Action::Mark],
            );
            insta::assert_snapshot!(format!("queue_{l}_{}x{}", size.0, size.1), screen(&a));
        }
    }
}

#[test]
fn case_screens() {
    for size in SIZES {
        for (lang, l) in LANGS {
            let mut a = app(lang, size);
            // A new case with a CPR number and a health term in its text.
            act(&mut a, &[Action::ShowView(View::New)]);
            keys(&mut a, "jj");
            act(&mut a, &[Action::Open]);
            assert!(a.case.is_some());
            insta::assert_snapshot!(format!("case_{l}_{}x{}", size.0, size.1), screen(&a));
            if size.0 < 100 {
                act(&mut a, &[Action::ToggleSide]);
                insta::assert_snapshot!(format!("case_side_{l}_{}x{}", size.0, size.1), screen(&a));
            }
        }
    }
}

#[test]
fn help_screens() {
    for size in SIZES {
        for (lang, l) in LANGS {
            let mut a = app(lang, size);
            act(&mut a, &[Action::Help]);
            insta::assert_snapshot!(format!("help_{l}_{}x{}", size.0, size.1), screen(&a));
        }
    }
}

#[test]
fn help_filters_the_live_keymap() {
    let mut a = app(Lang::En, (80, 24));
    keys(&mut a, "?cpr");
    let s = screen(&a).to_string();
    assert!(s.contains("Show or mask CPR numbers"), "{s}");
    assert!(!s.contains("Move down"), "{s}");
}

#[test]
fn palette_filter_and_small_screens() {
    let mut a = app(Lang::En, (80, 24));
    keys(&mut a, ":");
    insta::assert_snapshot!("palette_en_80x24", screen(&a));
    keys(&mut a, "sort");
    insta::assert_snapshot!("palette_sort_en_80x24", screen(&a));

    let mut a = app(Lang::Da, (80, 24));
    act(&mut a, &[Action::ShowView(View::All)]);
    keys(&mut a, "/søren");
    insta::assert_snapshot!("filter_da_80x24", screen(&a));

    let mut a = app(Lang::En, (40, 12));
    insta::assert_snapshot!("too_small_en_40x12", screen(&a));
    act(&mut a, &[Action::Resize(80, 24)]);
    assert!(screen(&a).to_string().contains("Reference"));
}

#[test]
fn taking_a_colleagues_case_asks_first() {
    let mut a = app(Lang::En, (80, 24));
    act(&mut a, &[Action::ShowView(View::All)]);
    let me = a.actor.login.clone();
    let pos = a
        .queue
        .list
        .iter()
        .position(|&i| {
            a.queue.rows[i].status.is_open() && a.queue.rows[i].assignee().is_some_and(|h| h != me)
        })
        .expect("the demo has open cases held by others");
    for _ in 0..pos {
        act(&mut a, &[Action::Down]);
    }
    act(&mut a, &[Action::Take]);
    insta::assert_snapshot!("confirm_take_en_80x24", screen(&a));
    // No: nothing changes.
    act(&mut a, &[Action::Cancel]);
    assert!(a.overlay.is_none());
}

#[test]
fn without_colour_selection_and_urgency_still_show() {
    let mut a = app(Lang::En, (120, 40));
    a.color = false;
    act(&mut a, &[Action::ShowView(View::All), Action::Top]);
    let b = screen(&a);
    let buf = b.buffer();
    for cell in buf.content() {
        assert_eq!(cell.fg, Color::Reset, "no colour under NO_COLOR");
        assert_eq!(cell.bg, Color::Reset, "no colour under NO_COLOR");
    }
    // The selected row: a marker and reverse video.
    assert_eq!(buf[(0, 2)].symbol(), ">");
    assert!(buf[(5, 2)].modifier.contains(Modifier::REVERSED));
    // The most urgent case sorts first; overdue says so in words and in bold.
    let cells: Vec<String> = (0..120).map(|x| buf[(x, 2)].symbol().to_string()).collect();
    let x = (0..cells.len() - 7)
        .find(|&x| cells[x..x + 7].concat() == "overdue")
        .unwrap_or_else(|| panic!("no overdue in {}", cells.concat()));
    assert!(buf[(x as u16, 2)].modifier.contains(Modifier::BOLD));
}

#[test]
fn classify_dialog_screens() {
    for size in SIZES {
        for (lang, l) in LANGS {
            let mut a = app(lang, size);
            // The new case with a CPR number and a health term: its suggestions pre-marked.
            act(&mut a, &[Action::ShowView(View::New)]);
            keys(&mut a, "jj");
            act(&mut a, &[Action::Open, Action::Classify]);
            // One decision made, not yet saved.
            act(&mut a, &[Action::Down, Action::ConfirmItem]);
            insta::assert_snapshot!(format!("classify_{l}_{}x{}", size.0, size.1), screen(&a));
            act(&mut a, &[Action::Cancel]);
            assert!(a.overlay.is_none());
        }
    }
}

#[test]
fn route_bases_screens() {
    for size in SIZES {
        for (lang, l) in LANGS {
            let mut a = app(lang, size);
            act(&mut a, &[Action::ShowView(View::All)]);
            // An open case with health data confirmed: the Art. 9 need is said.
            let pos =
                a.queue
                    .list
                    .iter()
                    .position(|&i| {
                        a.queue.rows[i].status.is_open()
                            && a.queue.rows[i].badges.iter().any(|b| {
                                b == (triage::domain::category::DataCategory::Health, true)
                            })
                    })
                    .expect("the demo has an open case with health data confirmed");
            a.queue.selected = pos;
            act(&mut a, &[Action::Open, Action::Route]);
            keys(&mut a, "politi");
            act(&mut a, &[Action::Submit, Action::ConfirmItem]);
            insta::assert_snapshot!(format!("route_bases_{l}_{}x{}", size.0, size.1), screen(&a));
        }
    }
}
