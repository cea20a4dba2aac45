//! Frames as the terminal receives them: the run loop's painter over an emulated terminal
//! (vt100), the screen checked against the rendered frame after every step, and the bytes
//! one key costs at 120×40.

mod common;

use ratatui::backend::CrosstermBackend;
use ratatui::buffer::{Buffer, CellWidth};
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier};
use std::cell::RefCell;
use std::io::Write;
use std::rc::Rc;
use triage::store::api::{Api, Embedded};
use triage::tui::action::{Action, View};
use triage::tui::app::App;
use triage::tui::paint::Painter;
use triage::tui::{dispatch, view, Lang};

fn setup() -> (tempfile::TempDir, Embedded) {
    common::interface::demo_api()
}

fn app(api: &Embedded, color: bool, size: (u16, u16)) -> App {
    let init = common::interface::init(api, Lang::En, color);
    let mut app = App::new(init, &api.cases().unwrap());
    dispatch(api, &mut app, Action::Resize(size.0, size.1));
    app
}

/// A writer the test reads back.
#[derive(Clone, Default)]
struct Shared(Rc<RefCell<Vec<u8>>>);

impl Write for Shared {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The painter, what it wrote, and a terminal emulator reading it.
struct Screen {
    painter: Painter<Shared>,
    out: Shared,
    parser: vt100::Parser,
}

fn vt_color(c: Color) -> vt100::Color {
    let named = [
        Color::Black,
        Color::Red,
        Color::Green,
        Color::Yellow,
        Color::Blue,
        Color::Magenta,
        Color::Cyan,
        Color::Gray,
        Color::DarkGray,
        Color::LightRed,
        Color::LightGreen,
        Color::LightYellow,
        Color::LightBlue,
        Color::LightMagenta,
        Color::LightCyan,
        Color::White,
    ];
    match c {
        Color::Reset => vt100::Color::Default,
        Color::Indexed(i) => vt100::Color::Idx(i),
        Color::Rgb(r, g, b) => vt100::Color::Rgb(r, g, b),
        c => vt100::Color::Idx(named.iter().position(|n| *n == c).unwrap() as u8),
    }
}

impl Screen {
    fn new(size: (u16, u16)) -> Screen {
        let out = Shared::default();
        Screen {
            painter: Painter::fixed(CrosstermBackend::new(out.clone()), size.0, size.1),
            out,
            parser: vt100::Parser::new(size.1, size.0, 0),
        }
    }

    fn resize(&mut self, size: (u16, u16)) {
        self.painter.resize(size.0, size.1);
        self.parser.screen_mut().set_size(size.1, size.0);
    }

    /// Draws a frame as the run loop does; checks the emulated screen shows exactly what the
    /// view renders; returns the bytes the frame cost.
    fn frame(&mut self, app: &App, what: &str) -> Vec<u8> {
        self.painter
            .draw(|area, buf| view::render(app, area, buf))
            .unwrap();
        let bytes = std::mem::take(&mut *self.out.0.borrow_mut());
        self.parser.process(&bytes);
        let (w, h) = self.painter.size().unwrap();
        let mut want = Buffer::empty(Rect::new(0, 0, w, h));
        view::render(app, want.area, &mut want);
        let screen = self.parser.screen();
        for y in 0..h {
            let mut x = 0;
            while x < w {
                let cell = &want[(x, y)];
                let got = screen.cell(y, x).unwrap();
                let text = match got.contents() {
                    "" => " ",
                    t => t,
                };
                let m = cell.modifier;
                assert!(
                    text == cell.symbol()
                        && got.fgcolor() == vt_color(cell.fg)
                        && got.bgcolor() == vt_color(cell.bg)
                        && got.bold() == m.contains(Modifier::BOLD)
                        && got.italic() == m.contains(Modifier::ITALIC)
                        && got.underline() == m.contains(Modifier::UNDERLINED)
                        && got.inverse() == m.contains(Modifier::REVERSED),
                    "after {what}: ({x},{y}) should be {cell:?}, the terminal shows {got:?}\n{}",
                    screen.contents()
                );
                x += cell.symbol().cell_width().max(1);
            }
        }
        bytes
    }
}

/// A small deterministic generator.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

/// The scroll regions a frame sets, in order ("" resets it to the whole screen).
fn regions(bytes: &[u8]) -> Vec<String> {
    let mut found = Vec::new();
    for (i, w) in bytes.windows(2).enumerate() {
        if w == b"\x1b[" {
            let params: Vec<u8> = bytes[i + 2..]
                .iter()
                .copied()
                .take_while(|b| b.is_ascii_digit() || *b == b';')
                .collect();
            if bytes.get(i + 2 + params.len()) == Some(&b'r') {
                found.push(String::from_utf8(params).unwrap());
            }
        }
    }
    found
}

/// Random moves, pages, views, filters, resizes and overlays, with and without colour:
/// after every frame the terminal shows exactly the frame, scroll regions and all.
#[test]
fn the_terminal_always_shows_the_frame() {
    let (_dir, api) = setup();
    let sizes = [
        (120, 40),
        (80, 24),
        (100, 30),
        (60, 15),
        (40, 12),
        (132, 50),
    ];
    for (color, seed) in [
        (true, 0x9e37_79b9_7f4a_7c15u64),
        (false, 0x2545_f491_4f6c_dd1d),
    ] {
        let mut rng = Rng(seed);
        let mut a = app(&api, color, (120, 40));
        let mut s = Screen::new((120, 40));
        s.frame(&a, "the first frame");
        let mut scrolled = 0;
        for step in 0..1500 {
            let action = match rng.below(20) {
                0..=5 => Action::Down,
                6..=9 => Action::Up,
                10 => Action::PageDown,
                11 => Action::PageUp,
                12 => [Action::Top, Action::Bottom][rng.below(2)].clone(),
                13 => Action::ShowView(View::ALL[rng.below(View::ALL.len())]),
                14 => Action::Mark,
                15 => {
                    let size = sizes[rng.below(sizes.len())];
                    s.resize(size);
                    Action::Resize(size.0, size.1)
                }
                16 => [Action::Help, Action::Open, Action::SortNext][rng.below(3)].clone(),
                17 => [Action::Cancel, Action::Back][rng.below(2)].clone(),
                // Type a query: every key is a frame, and so is each chunk of matching.
                _ => {
                    dispatch(&api, &mut a, Action::Cancel);
                    dispatch(&api, &mut a, Action::Filter);
                    let query = ["k", "ra", "aktindsigt", "zzz", "hj"][rng.below(5)];
                    for c in query.chars() {
                        dispatch(&api, &mut a, Action::InputChar(c));
                        s.frame(&a, &format!("step {step}: typing {c:?}"));
                        while a.queue.searching() {
                            a.queue.search_step();
                            s.frame(&a, &format!("step {step}: matching"));
                        }
                    }
                    [Action::Submit, Action::Cancel][rng.below(2)].clone()
                }
            };
            let what = format!("step {step}: {action:?}");
            dispatch(&api, &mut a, action);
            let bytes = s.frame(&a, &what);
            scrolled += usize::from(bytes.windows(3).any(|w| w == b"\x1b[r"));
            if let Some(last) = regions(&bytes).last() {
                assert!(
                    last.is_empty(),
                    "{what}: the scroll region is left at {last}"
                );
            }
        }
        assert!(scrolled > 50, "only {scrolled} frames used a scroll region");
    }
}

/// Issue 8's figure: one "down" at 120×40 writes at most 400 bytes, within the page and
/// when the queue scrolls (up as well), with colour and without.
#[test]
fn one_step_writes_at_most_400_bytes_at_120x40() {
    let (_dir, api) = setup();
    for color in [true, false] {
        let mut a = app(&api, color, (120, 40));
        dispatch(&api, &mut a, Action::ShowView(View::All));
        let mut s = Screen::new((120, 40));
        s.frame(&a, "the first frame");
        let rows = a.queue.list.len();
        assert!(rows > 100, "the demo queue scrolls at 120x40");
        let (mut within, mut scrolling) = (Vec::new(), Vec::new());
        for action in [Action::Down, Action::Up] {
            for _ in 0..rows - 1 {
                let offset = a.queue.offset;
                dispatch(&api, &mut a, action.clone());
                let n = s.frame(&a, &format!("{action:?}")).len();
                if a.queue.offset == offset {
                    within.push(n);
                } else {
                    scrolling.push(n);
                }
            }
        }
        within.sort();
        scrolling.sort();
        eprintln!(
            "colour {color}: within the page {}..{} bytes (median {}), scrolling {}..{} (median {})",
            within[0],
            within[within.len() - 1],
            within[within.len() / 2],
            scrolling[0],
            scrolling[scrolling.len() - 1],
            scrolling[scrolling.len() / 2]
        );
        assert!(scrolling.len() > 100);
        assert!(
            within.iter().chain(&scrolling).all(|&n| n <= 400),
            "colour {color}: within the page up to {} bytes, scrolling up to {}",
            within[within.len() - 1],
            scrolling[scrolling.len() - 1]
        );
    }
}
