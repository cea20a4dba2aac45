//! The interface's figures for `triage bench`: first frame, a navigation keystroke, the
//! bytes one "down" sends through the real crossterm backend, frames while filtering, and
//! memory with the queue open. Measured in-process on the same code the run loop uses.

use crate::store::api::Api;
use crate::tui::action::{Action, View};
use crate::tui::app::{update, App, Init};
use crate::tui::{keymap, view, Lang};
use crossterm::terminal::{BeginSynchronizedUpdate, EndSynchronizedUpdate};
use ratatui::backend::CrosstermBackend;
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};
use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Instant;

/// A writer that counts what would reach the terminal.
#[derive(Clone, Default)]
pub struct Counting(Arc<AtomicUsize>);

impl Write for Counting {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.fetch_add(buf.len(), Ordering::Relaxed);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

pub struct UiFigures {
    pub first_frame_ms: f64,
    pub nav_p99_ms: f64,
    pub nav_p50_ms: f64,
    pub down_bytes: usize,
    /// The most one "down" wrote when it scrolled the page.
    pub scroll_bytes: usize,
    pub filter_longest_ms: f64,
    pub filter_first_ms: f64,
    pub rss_mb: f64,
    pub rows: usize,
}

type Term = Terminal<CrosstermBackend<Counting>>;

fn frame(t: &mut Term, app: &App) -> std::io::Result<()> {
    crossterm::queue!(t.backend_mut(), BeginSynchronizedUpdate)?;
    t.draw(|f| view::view(app, f))?;
    crossterm::queue!(t.backend_mut(), EndSynchronizedUpdate)?;
    t.backend_mut().flush()
}

/// `started` is when the process (or the measurement) began, before the store was opened.
pub fn measure(
    api: &dyn Api,
    started: Instant,
    rss: impl Fn() -> f64,
) -> anyhow::Result<UiFigures> {
    let (keymap, problems) = keymap::load(None);
    let records = api.cases()?;
    let mut app = App::new(
        Init {
            lang: Lang::En,
            color: true,
            actor: api.actor().clone(),
            store: api.describe(),
            policy: api.policy().clone(),
            today: api.now().date_naive(),
            keymap,
            problems,
        },
        &records,
    );
    drop(records);
    let rows = app.rows.len();
    let counter = Counting::default();
    let mut t: Term = Terminal::with_options(
        CrosstermBackend::new(counter.clone()),
        TerminalOptions {
            viewport: Viewport::Fixed(Rect::new(0, 0, 120, 40)),
        },
    )?;
    update(&mut app, Action::Resize(120, 40));
    frame(&mut t, &app)?;
    let first_frame_ms = started.elapsed().as_secs_f64() * 1000.0;
    let rss_mb = rss();
    // The All view: every case, so moving and filtering work over the whole queue.
    update(&mut app, Action::ShowView(View::All));
    frame(&mut t, &app)?;

    // Navigation: one "down" → update → frame, many times.
    let mut times = Vec::new();
    for i in 0..2000 {
        let t0 = Instant::now();
        update(
            &mut app,
            if (i / 500) % 2 == 0 {
                Action::Down
            } else {
                Action::Up
            },
        );
        frame(&mut t, &app)?;
        times.push(t0.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    let nav_p99_ms = times[(times.len() * 99) / 100];
    let nav_p50_ms = times[times.len() / 2];
    // Bytes for one "down" within the page (the common case), and for one that scrolls it.
    update(&mut app, Action::Top);
    frame(&mut t, &app)?;
    let mut within = Vec::new();
    for _ in 0..10 {
        let before = counter.0.load(Ordering::Relaxed);
        update(&mut app, Action::Down);
        frame(&mut t, &app)?;
        within.push(counter.0.load(Ordering::Relaxed) - before);
    }
    within.sort();
    let down_bytes = within[within.len() / 2];
    let mut scrolling = 0;
    for _ in 0..60 {
        let before = counter.0.load(Ordering::Relaxed);
        update(&mut app, Action::Down);
        frame(&mut t, &app)?;
        scrolling = scrolling.max(counter.0.load(Ordering::Relaxed) - before);
    }

    // Filtering: type a selective query a key at a time; every keystroke is a frame.
    update(&mut app, Action::Filter);
    let mut longest = 0f64;
    let mut first = f64::NAN;
    for c in "kjærgaard".chars() {
        let t0 = Instant::now();
        update(&mut app, Action::InputChar(c));
        frame(&mut t, &app)?;
        let ms = t0.elapsed().as_secs_f64() * 1000.0;
        if first.is_nan() {
            first = ms;
        }
        longest = longest.max(ms);
    }
    Ok(UiFigures {
        first_frame_ms,
        nav_p99_ms,
        nav_p50_ms,
        down_bytes,
        scroll_bytes: scrolling,
        filter_longest_ms: longest,
        filter_first_ms: first,
        rss_mb,
        rows,
    })
}
