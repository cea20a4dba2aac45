//! The terminal interface: a queue of cases, the case with its details, keymaps as data, help,
//! palette and filter, in the shape Action → update → state → view.
//!
//! `update` never touches the store: it returns [`action::Effect`]s, which the run loop
//! carries out against the [`Api`] before it reads the next key, feeding the result back as
//! an action. So every change is saved, and every read of personal data audited, before the
//! screen shows it.

pub mod action;
pub mod app;
pub mod caps;
pub mod command;
pub mod details;
pub mod dialog;
pub mod i18n;
pub mod i18n_cli;
pub mod i18n_import;
pub mod i18n_show;
pub mod key;
pub mod keymap;
pub mod layout;
pub mod model;
pub mod paint;
pub mod paste;
pub mod queue;
pub mod state;
pub mod term;
pub mod text;
pub mod view;

pub use i18n::Lang;

use crate::domain::case::Status;
use crate::domain::danish_time::DanishDay;
use crate::store::api::Api;
use crate::store::api_error::ApiError;
use action::{Action, Effect, View};
use app::{update, App, Init};
use crossterm::event::{self, Event, MouseEventKind};
use paint::Painter;
use ratatui::backend::CrosstermBackend;
use std::collections::VecDeque;
use std::io::{self, BufWriter, IsTerminal, Stdout};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// How the interface starts.
#[derive(Debug, Clone, Default)]
pub struct TuiOptions {
    pub lang: Lang,
    /// A keymap file laid over the defaults; None looks for `triage/keymap.toml` in the XDG
    /// config directory.
    pub keymap: Option<PathBuf>,
    /// Capture the mouse (wheel scrolls). Off by default: it stops the terminal's own
    /// text selection.
    pub mouse: bool,
    /// Where the log file goes; None is the XDG state directory.
    pub log_dir: Option<PathBuf>,
}

#[derive(Debug, thiserror::Error)]
pub enum TuiError {
    #[error("the interface needs a terminal: start triage in one, or use its subcommands (triage --help) in scripts")]
    NotATerminal,
    #[error("{0}")]
    Unsuitable(String),
    #[error("cannot use the terminal: {0}")]
    Terminal(#[from] io::Error),
    #[error("{0}")]
    Store(#[from] ApiError),
}

type Term = Painter<BufWriter<Stdout>>;

/// Opens the interface on `api` until the user quits or the session ends (SIGTERM, SIGHUP).
pub fn run(api: &dyn Api, opts: TuiOptions) -> Result<(), TuiError> {
    if !io::stdin().is_terminal() || !io::stdout().is_terminal() {
        return Err(TuiError::NotATerminal);
    }
    if let Some(why) = caps::refusal(std::env::var("TERM").ok().as_deref()) {
        return Err(TuiError::Unsuitable(why));
    }
    let ascii = !caps::utf8_locale(|k| std::env::var(k).ok());
    init_logging(opts.log_dir.clone());
    let (keymap, problems) = keymap::load(opts.keymap.as_deref());
    for p in &problems {
        tracing::warn!("keymap: {p}");
    }
    let mut app = start(
        api,
        Init {
            lang: opts.lang,
            color: !no_color(),
            actor: api.actor().clone(),
            store: api.describe(),
            policy: api.policy().clone(),
            today: api.now().danish_day(),
            keymap,
            problems,
        },
    )?;

    let stop = Arc::new(AtomicBool::new(false));
    let mut signals = signal_hook::iterator::Signals::new([
        signal_hook::consts::SIGTERM,
        signal_hook::consts::SIGHUP,
        signal_hook::consts::SIGINT,
    ])?;
    let watched = Arc::clone(&stop);
    std::thread::spawn(move || {
        if signals.forever().next().is_some() {
            watched.store(true, Ordering::SeqCst);
            // The loop sees the flag within a tick and restores the terminal. But when the
            // terminal is gone (a dropped SSH link), crossterm can spin on the closed input
            // inside `read` and never come back: give the loop a moment, then leave.
            // Nothing is lost: every command was flushed before it was acknowledged.
            std::thread::sleep(Duration::from_millis(500));
            tracing::info!("ended by a signal while the terminal was unresponsive");
            term::restore();
            std::process::exit(0);
        }
    });
    term::install_panic_hook();
    term::enter(opts.mouse)?;
    let _guard = term::Guard;
    tracing::info!(store = %api.describe(), user = %api.actor().login, "interface started");
    let result = event_loop(api, &mut app, &stop, opts.mouse, ascii);
    term::restore();
    match &result {
        Ok(()) if stop.load(Ordering::SeqCst) => tracing::info!("stopped by a signal"),
        Ok(()) => tracing::info!("quit"),
        Err(e) => tracing::error!("interface ended: {e}"),
    }
    result
}

/// The interface with its first page: the most urgent new cases (or, with none, the most
/// urgent of all) from the store's urgency index. The rest loads after the first frame.
pub fn start(api: &dyn Api, init: Init) -> Result<App, ApiError> {
    let new = api.urgent(Some(Status::New), queue::FIRST_PAGE)?;
    Ok(if new.is_empty() {
        let all = api.urgent(None, queue::FIRST_PAGE)?;
        App::starting(init, View::All, &all)
    } else {
        App::starting(init, View::New, &new)
    })
}

/// Does one piece of the work that goes on between keys: a page of the queue while it
/// loads, else a chunk of the filter's matching. False when there is none.
pub fn pump(api: &dyn Api, app: &mut App) -> bool {
    if let Some(after) = app.queue.page_wanted() {
        if after.is_none() {
            // Room for every row before the first page: a list of a million rows grown by
            // doubling is copied into fresh memory, a stall of a tenth of a second. A hint.
            if let Ok(bound) = api.queue_bound() {
                app.queue.reserve_rows(bound);
            }
        }
        let n = app.queue.page_size.max(1);
        let action = match api.summaries_page(after, n) {
            Ok(summaries) => {
                let last = summaries.len() < n;
                Action::Page { summaries, last }
            }
            Err(e) => {
                // Keep what is shown; the message says why the rest is missing.
                app.queue.loading = None;
                Action::StoreFailed(e)
            }
        };
        dispatch(api, app, action);
        return true;
    }
    let wanted = app.archive_wanted();
    if !wanted.is_empty() {
        let answer = api
            .archive_states(&wanted)
            .map(|states| wanted.iter().copied().zip(states).collect())
            .map_err(|e| i18n::api_error(app.lang, &e));
        dispatch(api, app, Action::ArchiveStates(answer));
        return true;
    }
    if app.queue.text.due(std::time::Instant::now()) {
        // The filter text has stood still: its text search goes the way of every call,
        // as an effect carried out here, its answer coming back as an action.
        dispatch(api, app, Action::SearchText);
        return true;
    }
    if app.queue.searching() {
        app.queue.search_step();
        return true;
    }
    false
}

fn event_loop(
    api: &dyn Api,
    app: &mut App,
    stop: &AtomicBool,
    mouse: bool,
    ascii: bool,
) -> Result<(), TuiError> {
    // `term::enter` cleared the screen.
    let mut terminal: Term = Painter::on_blank_screen(CrosstermBackend::new(
        BufWriter::with_capacity(1 << 16, io::stdout()),
    ))?;
    terminal.set_ascii(ascii);
    let (width, height) = terminal.size()?;
    dispatch(api, app, Action::Resize(width, height));
    let mut dirty = true;
    // A terminal error after a signal is the terminal going away: a clean end.
    let gone = |e: io::Error| -> Result<(), TuiError> {
        if stop.load(Ordering::SeqCst) {
            Ok(())
        } else {
            Err(TuiError::Terminal(e))
        }
    };
    loop {
        if stop.load(Ordering::SeqCst) || app.quit {
            return Ok(());
        }
        if std::mem::take(&mut app.repaint) {
            terminal.invalidate();
            dirty = true;
        }
        if dirty {
            if let Err(e) = draw(&mut terminal, app) {
                return gone(e);
            }
            dirty = false;
        }
        // With work going on between keys, only look for keys; else wait for them.
        let now = std::time::Instant::now();
        let busy = app.queue.page_wanted().is_some()
            || app.queue.searching()
            || !app.archive_wanted().is_empty()
            || app.queue.text.due(now);
        let wait = if busy {
            Duration::ZERO
        } else {
            // A text search waiting for the filter to stand still wakes the loop when due.
            let tick = Duration::from_millis(250);
            app.queue.text.wait(now).map_or(tick, |w| w.min(tick))
        };
        match event::poll(wait) {
            Ok(true) => {
                // Take every queued event before drawing again: only the newest state is
                // drawn, so holding a key down never lags behind.
                loop {
                    let ev = match event::read() {
                        Ok(ev) => ev,
                        Err(e) => return gone(e),
                    };
                    if let Some(a) = to_action(ev, mouse) {
                        dispatch(api, app, a);
                        dirty = true;
                    }
                    if app.quit || stop.load(Ordering::SeqCst) {
                        break;
                    }
                    match event::poll(Duration::ZERO) {
                        Ok(true) => {}
                        Ok(false) => break,
                        Err(e) => return gone(e),
                    }
                }
            }
            Ok(false) if busy || app.queue.text.due(std::time::Instant::now()) => {
                pump(api, app);
                dirty = true;
            }
            Ok(false) => {
                let today = api.now().danish_day();
                let mut changed = today != app.today;
                let mut others = api.changed();
                if !others.is_empty() {
                    // Read only the cases others changed, not the whole queue again.
                    others.sort();
                    others.dedup();
                    dispatch(api, app, changed_cases(api, &others));
                    changed = true;
                }
                if changed {
                    dispatch(api, app, Action::Tick { today });
                    dirty = true;
                }
            }
            Err(e) => return gone(e),
        }
    }
}

/// One frame: what changed since the last, as one synchronized update.
fn draw(terminal: &mut Term, app: &App) -> io::Result<()> {
    terminal.draw(|area, buf| view::render(app, area, buf))
}

fn to_action(ev: Event, mouse: bool) -> Option<Action> {
    match ev {
        Event::Key(k) => keymap::Key::from_event(&k).map(Action::Key),
        Event::Resize(w, h) => Some(Action::Resize(w, h)),
        // A paste is text for the focused field, never keys (bracketed paste is on).
        Event::Paste(text) => Some(Action::Paste(text)),
        Event::Mouse(m) if mouse => match m.kind {
            MouseEventKind::ScrollDown => Some(Action::Down),
            MouseEventKind::ScrollUp => Some(Action::Up),
            _ => None,
        },
        _ => None,
    }
}

/// The cases others changed, as they now are; those gone from view (erased elsewhere, or
/// restricted away from this user) are named so the queue drops them.
pub fn changed_cases(api: &dyn Api, references: &[crate::domain::enquiry::Reference]) -> Action {
    let mut records = Vec::new();
    let mut gone = Vec::new();
    for &r in references {
        match api.case(r) {
            Ok(Some(record)) => records.push((record, api.events(r).unwrap_or_default())),
            Ok(None) | Err(ApiError::Hidden(_)) => gone.push(r),
            Err(e) => return Action::StoreFailed(e),
        }
    }
    Action::Changed { records, gone }
}

/// Where access reports are written: `TRIAGE_REPORT_DIR`, else the data directory's `reports`.
fn report_dir() -> Option<PathBuf> {
    match std::env::var_os("TRIAGE_REPORT_DIR") {
        Some(d) if !d.is_empty() => Some(PathBuf::from(d)),
        _ => directories::ProjectDirs::from("", "", "triage").map(|d| d.data_dir().join("reports")),
    }
}

/// Builds the access answer for the requester of `reference`, logs the read, and writes it
/// as Markdown (private to the user, like everything triage writes).
fn write_access_report(
    api: &dyn Api,
    reference: crate::domain::enquiry::Reference,
    lang: Lang,
) -> Result<PathBuf, String> {
    use crate::store::access_report::{access_for_request, access_report_what, request_subjects};
    use crate::tui::i18n_cli::{no_report_dir, report_error};
    let said = |e: ApiError| i18n::api_error(lang, &e);
    let ids = match api.case(reference).map_err(said)? {
        Some(crate::domain::case::CaseRecord::Live(c)) => {
            request_subjects(&c).map_err(|e| report_error(lang, &e))?
        }
        Some(crate::domain::case::CaseRecord::Erased(_)) => {
            return Err(said(ApiError::Erased(reference)))
        }
        None => return Err(said(ApiError::NotFound(reference))),
    };
    // In the request's language, whatever the interface speaks (Art. 12(1): intelligible).
    let report = access_for_request(api, reference, None).map_err(|e| report_error(lang, &e))?;
    // The read is on the record before anything is written out.
    let what = access_report_what(&ids, &report);
    api.log_access(
        Some(reference),
        &crate::domain::command::Access::Report { what },
    )
    .map_err(said)?;
    let dir = report_dir().ok_or_else(|| no_report_dir(lang).to_string())?;
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let path = dir.join(format!("access-{reference}.md"));
    std::fs::write(&path, crate::domain::report::access_markdown(&report))
        .map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(path)
}

/// Runs an action and every effect it leads to, in order, to the end.
pub fn dispatch(api: &dyn Api, app: &mut App, action: Action) {
    let mut queue = VecDeque::from([action]);
    while let Some(a) = queue.pop_front() {
        for effect in update(app, a) {
            queue.extend(perform(api, effect));
        }
    }
}

/// Carries out one effect against the store; its outcome comes back as actions.
pub fn perform(api: &dyn Api, effect: Effect) -> Vec<Action> {
    use crate::domain::command::Access;
    let failed = |e: ApiError| vec![Action::StoreFailed(e)];
    match effect {
        Effect::OpenCase(r) => {
            // The read is logged before anything of the case reaches the screen.
            if let Err(e) = api.log_access(Some(r), &Access::OpenCase) {
                return failed(e);
            }
            match api.case(r) {
                Ok(Some(record)) => vec![Action::CaseOpened {
                    record: Box::new(record),
                    events: api.events(r).unwrap_or_default(),
                }],
                Ok(None) => failed(ApiError::NotFound(r)),
                Err(e) => failed(e),
            }
        }
        Effect::RevealCpr(r) => match api.log_access(Some(r), &Access::RevealCpr) {
            Ok(()) => {
                tracing::info!(case = %r, "CPR numbers revealed");
                vec![Action::Revealed(r)]
            }
            Err(e) => failed(e),
        },
        Effect::LogAccess(r, access) => match api.log_access(r, &access) {
            Ok(()) => Vec::new(),
            Err(e) => failed(e),
        },
        Effect::Execute {
            reference,
            expected,
            command,
        } => match api.execute(reference, expected, &command) {
            Ok(record) => vec![Action::Saved {
                record: Box::new(record),
                events: api.events(reference).unwrap_or_default(),
            }],
            Err(ApiError::Refused(crate::domain::command::Refusal::Routing(reasons))) => {
                vec![Action::Refused { reference, reasons }]
            }
            Err(e) => failed(e),
        },
        Effect::SaveDraft { reference, text } => match api.save_draft(reference, &text) {
            Ok(()) => Vec::new(),
            Err(e) => failed(e),
        },
        Effect::AccessReport { reference, lang } => {
            let l = match lang {
                crate::domain::enquiry::Language::Da => Lang::Da,
                crate::domain::enquiry::Language::En => Lang::En,
            };
            match write_access_report(api, reference, l) {
                Ok(path) => vec![Action::Notice(i18n::tf(
                    l,
                    i18n::Msg::ReportWritten,
                    &[&reference.to_string(), &path.display().to_string()],
                ))],
                Err(e) => vec![Action::Failed(e)],
            }
        }
        Effect::LoadDraft(reference) => match api.draft(reference) {
            Ok(text) => vec![Action::DraftLoaded { reference, text }],
            Err(e) => failed(e),
        },
        // The terms are personal data: the store logs them as a read; nothing here traces them.
        Effect::SearchText(query) => {
            let result = api.search(&query, queue::text::TEXT_LIMIT);
            vec![Action::TextHits { query, result }]
        }
    }
}

/// `NO_COLOR` set to anything but the empty string turns colour off (no-color.org).
pub fn no_color() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

/// Logs go to `triage/triage.log` in the XDG state directory, never to the screen.
fn init_logging(dir: Option<PathBuf>) {
    let dir = dir.or_else(|| {
        directories::ProjectDirs::from("", "", "triage").map(|d| {
            d.state_dir()
                .unwrap_or_else(|| d.data_local_dir())
                .to_path_buf()
        })
    });
    let Some(dir) = dir else { return };
    if std::fs::create_dir_all(&dir).is_err() {
        return;
    }
    let Ok(file) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(dir.join("triage.log"))
    else {
        return;
    };
    // Another subscriber (a test harness) may already be set: then that one is used.
    let _ = tracing_subscriber::fmt()
        .with_writer(std::sync::Mutex::new(file))
        .with_ansi(false)
        .with_max_level(tracing::Level::INFO)
        .try_init();
}
