//! The interface's figures for `triage bench`: first frame, a navigation keystroke, the
//! bytes one "down" sends through the real crossterm backend, frames while filtering, and
//! memory with the queue open. Measured in-process on the same code the run loop uses.

use crate::domain::danish_time::DanishDay;
use crate::store::api::Api;
use crate::tui::action::{Action, View};
use crate::tui::app::{update, App, Init};
use crate::tui::paint::Painter;
use crate::tui::{keymap, view, Lang};
use ratatui::backend::CrosstermBackend;
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
    /// The 99th percentile of those frames, and how many there were.
    pub filter_p99_ms: f64,
    pub filter_frames: usize,
    /// Key → first frame with matches, p50 over the keys of the query.
    pub filter_first_ms: f64,
    /// Key → the whole queue matched, p50.
    pub filter_whole_ms: f64,
    pub filter_hits: usize,
    /// First frame → the whole queue read (in pages, between frames).
    pub load_ms: f64,
    pub longest_load_step_ms: f64,
    pub rss_mb: f64,
    pub rows: usize,
}

type Term = Painter<Counting>;

/// A frame as the run loop draws it.
fn frame(t: &mut Term, app: &App) -> std::io::Result<()> {
    t.draw(|area, buf| view::render(app, area, buf))
}

/// One matching step and the frame after it, as the run loop does between keys; in ms.
fn step(t: &mut Term, app: &mut App) -> std::io::Result<f64> {
    let s0 = Instant::now();
    app.queue.search_step();
    frame(t, app)?;
    Ok(s0.elapsed().as_secs_f64() * 1000.0)
}

/// `started` is when the process (or the measurement) began, before the store was opened.
pub fn measure(
    api: &dyn Api,
    started: Instant,
    rss: impl Fn() -> f64,
) -> anyhow::Result<UiFigures> {
    let (keymap, problems) = keymap::load(None);
    // As the run loop starts: the first page from the urgency index, drawn, then the rest.
    let mut app = crate::tui::start(
        api,
        Init {
            lang: Lang::En,
            color: true,
            actor: api.actor().clone(),
            store: api.describe(),
            policy: api.policy().clone(),
            today: api.now().danish_day(),
            keymap,
            problems,
        },
    )?;
    let counter = Counting::default();
    let mut t: Term = Painter::fixed(CrosstermBackend::new(counter.clone()), 120, 40);
    update(&mut app, Action::Resize(120, 40));
    frame(&mut t, &app)?;
    let first_frame_ms = started.elapsed().as_secs_f64() * 1000.0;
    // The rest of the queue, a page at a time between frames, as the run loop reads it.
    let t0 = Instant::now();
    let mut longest_load_step = 0f64;
    while app.queue.loading.is_some() {
        let s0 = Instant::now();
        crate::tui::pump(api, &mut app);
        frame(&mut t, &app)?;
        longest_load_step = longest_load_step.max(s0.elapsed().as_secs_f64() * 1000.0);
    }
    let load_ms = t0.elapsed().as_secs_f64() * 1000.0;
    let rows = app.queue.rows.len();
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

    // Filtering: type a selective query a key at a time. A key starts a search whose first
    // chunk is matched at once and drawn; the rest is matched a chunk per frame, as the run
    // loop does between keys. "First results" is key → first frame with matches drawn.
    update(&mut app, Action::Filter);
    // Every frame while a filter runs: the key's own, then one per matching step.
    let mut frames = Vec::new();
    let mut firsts = Vec::new();
    let mut whole = Vec::new();
    for c in "kjærgaard".chars() {
        let t0 = Instant::now();
        update(&mut app, Action::InputChar(c));
        frame(&mut t, &app)?;
        frames.push(t0.elapsed().as_secs_f64() * 1000.0);
        while app.queue.list.is_empty() && app.queue.searching() {
            frames.push(step(&mut t, &mut app)?);
        }
        firsts.push(t0.elapsed().as_secs_f64() * 1000.0);
        while app.queue.searching() {
            frames.push(step(&mut t, &mut app)?);
        }
        whole.push(t0.elapsed().as_secs_f64() * 1000.0);
    }
    let hits = app.queue.list.len();
    frames.sort_by(f64::total_cmp);
    let filter_p99_ms = frames[(frames.len() * 99) / 100];
    let longest = frames.last().copied().unwrap_or(0.0);
    firsts.sort_by(f64::total_cmp);
    whole.sort_by(f64::total_cmp);
    let first = firsts[firsts.len() / 2];
    let whole_p50 = whole[whole.len() / 2];
    Ok(UiFigures {
        first_frame_ms,
        nav_p99_ms,
        nav_p50_ms,
        down_bytes,
        scroll_bytes: scrolling,
        filter_longest_ms: longest,
        filter_p99_ms,
        filter_frames: frames.len(),
        filter_first_ms: first,
        filter_whole_ms: whole_p50,
        filter_hits: hits,
        load_ms,
        longest_load_step_ms: longest_load_step,
        rss_mb,
        rows,
    })
}
