//! The interface's state and `update`: pure data and rules, no terminal and no store.

mod commands;
mod dialogs;

pub use crate::tui::state::*;

use crate::domain::case::Verdict;
use crate::domain::command::{Access, Command};
use crate::domain::enquiry::Reference;
use crate::store::api_error::ApiError;
use crate::tui::action::{Action, Effect, View};
use crate::tui::command::Stage;
use crate::tui::dialog::{self};
use crate::tui::i18n::{self, t, tf, Lang, Msg};
use crate::tui::keymap::{Code, Context, Key, Resolution};
use crate::tui::layout;
use crate::tui::model::{self, Filter};
use crate::tui::text;
use std::time::Instant;

use crate::tui::details::side_lines;

impl App {
    fn text_width(&self) -> usize {
        layout::case_text_width(self.size) as usize
    }

    /// How far the case text and the details may scroll.
    fn case_scroll_limits(&self) -> (usize, usize) {
        let Some(c) = &self.case else {
            return (0, 0);
        };
        let body_rows = layout::case_body_rows(self.size);
        let text_lines = match c.record.live() {
            Some(case) => text::wrap(
                &text::pieces(&case.enquiry.body, &case.suggestions, c.revealed),
                self.text_width(),
            )
            .len(),
            None => 0,
        };
        let side_lines = side_lines(self, c, layout::side_width(self.size) as usize).len();
        let side_rows = layout::side_rows(self.size);
        (
            text_lines.saturating_sub(body_rows),
            side_lines.saturating_sub(side_rows),
        )
    }
}

fn pop_word(s: &mut String) {
    while s.ends_with(' ') {
        s.pop();
    }
    while let Some(c) = s.pop() {
        if c == ' ' {
            s.push(c);
            break;
        }
    }
}

/// Changes the state for one action; returns what the store must do.
pub fn update(app: &mut App, action: Action) -> Vec<Effect> {
    let lang = app.lang;
    match action {
        Action::Key(key) => return on_key(app, key),
        Action::Resize(w, h) => {
            app.size = (w, h);
            app.queue.height = layout::queue_rows(app.size);
            app.queue.scroll_to_selected();
            let (tmax, smax) = app.case_scroll_limits();
            if let Some(c) = &mut app.case {
                c.text_scroll = c.text_scroll.min(tmax);
                c.side_scroll = c.side_scroll.min(smax);
            }
        }
        Action::Tick { today } => {
            if today != app.today {
                // Countdowns and retention states move at midnight.
                app.today = today;
                app.archive.clear();
                app.queue.reload();
            }
        }
        Action::Page { summaries, last } => app.load_page(&summaries, last),
        Action::ArchiveStates(Ok(states)) => app.archive.extend(states),
        Action::ArchiveStates(Err(why)) => {
            app.archive_unavailable = true;
            app.fail(tf(lang, Msg::ArchiveUnavailable, &[&why]));
        }
        Action::Changed { records, gone } => {
            for (record, events) in records {
                app.replace_row(&record);
                if let Some(c) = &mut app.case {
                    if c.reference() == record.reference() {
                        c.record = record;
                        c.events = events;
                    }
                }
            }
            for r in gone {
                app.queue.remove_row(r);
                if app.case.as_ref().is_some_and(|c| c.reference() == r) {
                    app.case = None;
                }
            }
        }
        Action::CaseOpened { record, events } => {
            if app.after_reload.take() == Some(record.reference()) {
                commands::rebase(app, record.version());
            }
            let side = app.case.as_ref().map(|c| c.side).unwrap_or(false);
            app.case = Some(CaseView {
                record: *record,
                events,
                revealed: false,
                side,
                text_scroll: 0,
                side_scroll: 0,
            });
            if let Some(then) = app.after_open.take() {
                return update(app, then);
            }
        }
        Action::Saved { record, events } => {
            let reference = record.reference();
            app.replace_row(&record);
            if let Some(c) = &mut app.case {
                if c.reference() == reference {
                    c.record = (*record).clone();
                    c.events = events;
                }
            }
            match app.pending_done.take() {
                Some((r, done)) if r == reference => app.say(done),
                _ => app.say(tf(lang, Msg::Saved, &[&reference.to_string()])),
            }
            commands::saved(app, reference);
            return dialogs::saved(app, reference);
        }
        Action::Revealed(reference) => {
            if let Some(c) = &mut app.case {
                if c.reference() == reference {
                    c.revealed = true;
                }
            }
        }
        Action::Notice(text) => app.say(text),
        Action::AccessReport => match app.case.as_ref().and_then(|c| c.record.live()) {
            Some(c) => {
                let lang = match app.lang {
                    Lang::Da => crate::domain::enquiry::Language::Da,
                    Lang::En => crate::domain::enquiry::Language::En,
                };
                return vec![Effect::AccessReport {
                    reference: c.reference,
                    lang,
                }];
            }
            None => app.fail(t(lang, Msg::OpenRequestFirst)),
        },
        Action::StoreFailed(e) => {
            let message = i18n::api_error(lang, &e);
            return match e {
                ApiError::Conflict { reference, .. } => {
                    update(app, Action::Conflict { reference, message })
                }
                _ => update(app, Action::Failed(message)),
            };
        }
        Action::Failed(text) => {
            app.after_open = None;
            dialogs::refused(app, vec![text.clone()]);
            app.fail(text);
        }
        Action::Refused { reasons, .. } => {
            let reasons: Vec<String> = reasons
                .iter()
                .map(|p| p.text(app.lang.language()))
                .collect();
            if !dialogs::refused(app, reasons.clone()) {
                app.fail(reasons.join("; "));
            }
        }
        Action::DraftLoaded { reference, text } => dialogs::draft_loaded(app, reference, text),
        Action::SearchText => {
            if let Some(query) = app.queue.text.take() {
                return vec![Effect::SearchText(query)];
            }
        }
        Action::TextHits { query, result } => match result {
            Ok(hits) => app.queue.text_answered(&query, hits),
            // Said in the status line, not as a dialog: the filter goes on without it.
            Err(e) => app.fail(i18n::api_error(lang, &e)),
        },
        Action::Paste(text) => return paste(app, &text),
        Action::InputChar(ch) => match &mut app.overlay {
            Some(Overlay::Filter { .. }) => {
                app.queue.filter.push(ch);
                app.queue.selected = 0;
                app.queue.filter_edited(Instant::now());
            }
            Some(Overlay::Help { input, scroll }) => {
                input.push(ch);
                *scroll = 0;
            }
            Some(Overlay::Palette { input, selected }) => {
                input.push(ch);
                *selected = 0;
            }
            Some(Overlay::Purpose(_)) | Some(Overlay::Route(_)) => {
                return dialogs::type_char(app, ch);
            }
            Some(Overlay::Command(_)) => commands::edit(app, &|s: &mut String| s.push(ch)),
            _ => {}
        },
        Action::Backspace | Action::ClearInput | Action::DeleteWord => {
            let edit = |s: &mut String| match action {
                Action::Backspace => {
                    s.pop();
                }
                Action::ClearInput => s.clear(),
                _ => pop_word(s),
            };
            match &mut app.overlay {
                Some(Overlay::Filter { .. }) => {
                    edit(&mut app.queue.filter);
                    app.queue.filter_edited(Instant::now());
                }
                Some(Overlay::Help { input, .. }) | Some(Overlay::Palette { input, .. }) => {
                    edit(input)
                }
                Some(Overlay::Purpose(_)) | Some(Overlay::Route(_)) => {
                    return dialogs::edit(app, &edit);
                }
                Some(Overlay::Command(_)) => commands::edit(app, &edit),
                _ => {}
            }
        }
        Action::Conflict { reference, message } => {
            let before = app.overlay.take().map(Box::new);
            app.overlay = Some(Overlay::Conflict {
                reference,
                message,
                before,
            });
        }
        Action::ReloadCase | Action::Confirm
            if matches!(app.overlay, Some(Overlay::Conflict { .. })) =>
        {
            if let Some(Overlay::Conflict {
                reference, before, ..
            }) = app.overlay.take()
            {
                app.overlay = before.map(|b| *b);
                app.after_reload = Some(reference);
                return vec![Effect::OpenCase(reference)];
            }
        }
        Action::Cancel if matches!(app.overlay, Some(Overlay::Conflict { .. })) => {
            if let Some(Overlay::Conflict { before, .. }) = app.overlay.take() {
                app.overlay = before.map(|b| *b);
            }
        }
        Action::Submit | Action::Confirm if matches!(app.overlay, Some(Overlay::Command(_))) => {
            return commands::submit(app);
        }
        Action::Cancel if matches!(app.overlay, Some(Overlay::Command(_))) => commands::cancel(app),
        Action::Command(kind) => return commands::open(app, kind),
        Action::Submit => {
            if matches!(
                app.overlay,
                Some(Overlay::Classify(_) | Overlay::Purpose(_) | Overlay::Route(_))
            ) {
                return dialogs::submit(app);
            }
            if let Some(Overlay::Palette { input, .. }) = &app.overlay {
                if input.trim().is_empty() {
                    // Nothing asked for: Enter does nothing (it used to run the first entry).
                    return Vec::new();
                }
            }
            if let Some(Overlay::Palette { selected, .. }) = &app.overlay {
                let chosen = app
                    .palette_entries()
                    .get(*selected)
                    .map(|e| e.action.clone());
                app.overlay = None;
                return chosen.map(|a| update(app, a)).unwrap_or_default();
            }
            if let Some(Overlay::Filter { .. }) = app.overlay.take() {
                return submit_filter(app);
            }
        }
        Action::Cancel => {
            match &app.overlay {
                Some(Overlay::Classify(_)) => {
                    app.overlay = None;
                    return Vec::new();
                }
                Some(Overlay::Purpose(_) | Overlay::Route(_)) => return dialogs::cancel(app),
                _ => {}
            }
            if let Some(Overlay::Filter { before }) = app.overlay.take() {
                if before != app.queue.filter {
                    app.queue.filter = before;
                    app.queue.filter_edited(Instant::now());
                }
            }
        }
        Action::Confirm => {
            if let Some(Overlay::Route(_)) = &app.overlay {
                return dialogs::submit(app);
            }
            if let Some(Overlay::Confirm { yes, .. }) = app.overlay.take() {
                match yes {
                    OnYes::Effects(e) => return e,
                    OnYes::ClearMarks => app.queue.marks.clear(),
                }
            }
        }
        Action::ReloadCase => {}
        Action::Quit => app.quit = true,
        Action::Help => {
            app.overlay = Some(Overlay::Help {
                input: String::new(),
                scroll: 0,
            })
        }
        Action::Palette => {
            app.overlay = Some(Overlay::Palette {
                input: String::new(),
                selected: 0,
            })
        }
        Action::Filter => {
            app.case = None;
            app.overlay = Some(Overlay::Filter {
                before: app.queue.filter.clone(),
            });
        }
        Action::ClearFilter => {
            if !app.queue.filter.is_empty() {
                let keep = app.queue.selected_row().map(|r| r.reference);
                app.queue.filter.clear();
                app.queue.compiled = Filter::default();
                app.queue.text.clear();
                app.queue.rebuild_list(keep);
            }
        }
        Action::NextView | Action::PrevView | Action::ShowView(_) => {
            let i = app.queue.view.index();
            let n = View::ALL.len();
            app.queue.view = match action {
                Action::NextView => View::ALL[(i + 1) % n],
                Action::PrevView => View::ALL[(i + n - 1) % n],
                Action::ShowView(v) => v,
                _ => app.queue.view,
            };
            app.case = None;
            app.queue.selected = 0;
            app.queue.offset = 0;
            app.queue.rebuild_list(None);
        }
        Action::Refresh => {
            app.archive.clear();
            app.archive_unavailable = false;
            app.repaint = true;
            app.say(t(lang, Msg::Reloaded));
            app.queue.reload();
        }
        Action::Down
        | Action::Up
        | Action::PageDown
        | Action::PageUp
        | Action::Top
        | Action::Bottom => return movement(app, action),
        Action::Open => {
            if let Some(r) = app.queue.selected_row() {
                return vec![Effect::OpenCase(r.reference)];
            }
        }
        Action::Back => app.case = None,
        Action::NextCase | Action::PrevCase => {
            if app.case.is_some() && !app.queue.list.is_empty() {
                let to = match action {
                    Action::NextCase => (app.queue.selected + 1).min(app.queue.list.len() - 1),
                    _ => app.queue.selected.saturating_sub(1),
                };
                if to != app.queue.selected {
                    app.queue.move_selection(to);
                    if let Some(r) = app.queue.selected_row() {
                        return vec![Effect::OpenCase(r.reference)];
                    }
                }
            }
        }
        Action::SortNext => {
            let keep = app.queue.selected_row().map(|r| r.reference);
            app.queue.sort = app.queue.sort.next();
            app.queue.rebuild_list(keep);
        }
        Action::SortReverse => {
            let keep = app.queue.selected_row().map(|r| r.reference);
            app.queue.reverse = !app.queue.reverse;
            app.queue.rebuild_list(keep);
        }
        Action::Mark => {
            if app.case.is_none() {
                if let Some(r) = app.queue.selected_row().map(|r| r.reference) {
                    if !app.queue.marks.remove(&r) {
                        app.queue.marks.insert(r);
                    }
                    let to = app.queue.selected + 1;
                    app.queue.move_selection(to);
                }
            }
        }
        Action::MarkAll => {
            let refs: Vec<Reference> = app
                .queue
                .list
                .iter()
                .map(|&i| app.queue.rows[i].reference)
                .collect();
            app.queue.marks.extend(refs);
        }
        Action::ClearMarks => match app.queue.marks.len() {
            0 => app.say(t(lang, Msg::NothingMarked)),
            1 => app.queue.marks.clear(),
            n => {
                app.overlay = Some(Overlay::Confirm {
                    prompt: tf(lang, Msg::ClearMarks, &[&n.to_string()]),
                    yes: OnYes::ClearMarks,
                })
            }
        },
        Action::Take => return take(app),
        Action::Release => return release(app),
        Action::RevealCpr => match &mut app.case {
            Some(c) if c.revealed => c.revealed = false,
            Some(c) => return vec![Effect::RevealCpr(c.reference())],
            None => app.say(t(lang, Msg::OpenCaseFirst)),
        },
        Action::ToggleSide => {
            if let Some(c) = &mut app.case {
                c.side = !c.side;
            }
        }
        Action::Classify => return dialogs::open_classify(app),
        Action::SetPurpose => return dialogs::open_purpose(app),
        Action::Route => return dialogs::open_route(app),
        Action::ConfirmItem => dialogs::decide(app, Some(Verdict::Confirmed), false),
        Action::RejectItem => dialogs::decide(app, Some(Verdict::Rejected), false),
        Action::UndoItem => dialogs::decide(app, None, true),
        Action::AcceptSuggestions => dialogs::accept_suggestions(app),
        Action::Newline if matches!(app.overlay, Some(Overlay::Command(_))) => {
            commands::edit(app, &|s: &mut String| s.push('\n'))
        }
        Action::Newline => return dialogs::newline(app),
        Action::Nothing => {}
    }
    Vec::new()
}

/// Enter in the filter: the filter stays, and its terms go to the read log. A text search
/// logs them itself, so Enter asks it now if it has not answered yet; a text that is no
/// query (or whose search has answered) is logged as it is, or not again.
fn submit_filter(app: &mut App) -> Vec<Effect> {
    let terms = app.queue.filter.trim().to_string();
    if terms.is_empty() || app.queue.text.answered(&app.queue.filter) {
        return Vec::new();
    }
    match app.queue.text.take() {
        Some(query) => vec![Effect::SearchText(query)],
        None => vec![Effect::LogAccess(None, Access::Search { terms })],
    }
}

/// A paste into the focused field, as one edit: the filter runs once on the result, not
/// once per character. With no field focused it is ignored: a paste is never keys.
fn paste(app: &mut App, text: &str) -> Vec<Effect> {
    let multiline = matches!(
        &app.overlay,
        Some(Overlay::Route(w)) if w.step == dialog::RouteStep::Justification
    );
    let (text, cut) = super::paste::fit(text, multiline, super::paste::PASTE_LIMIT);
    let mut effects = Vec::new();
    let command_field = matches!(
        &app.overlay,
        Some(Overlay::Command(d)) if matches!(d.stage, Stage::Text | Stage::Ground)
    );
    match &mut app.overlay {
        // A note's text, a reason, a ruling's ground.
        Some(Overlay::Command(_)) if command_field => {
            commands::edit(app, &|s: &mut String| s.push_str(&text));
        }
        Some(Overlay::Filter { .. }) => {
            app.queue.filter.push_str(&text);
            app.queue.selected = 0;
            app.queue.filter_edited(Instant::now());
        }
        Some(Overlay::Help { input, scroll }) => {
            input.push_str(&text);
            *scroll = 0;
        }
        Some(Overlay::Palette { input, selected }) => {
            input.push_str(&text);
            *selected = 0;
        }
        Some(Overlay::Purpose(_)) | Some(Overlay::Route(_)) => {
            effects = dialogs::type_text(app, &text);
        }
        _ => {
            app.say(match app.lang {
                Lang::Da => "indsat tekst ignoreret: intet tekstfelt er valgt",
                Lang::En => "paste ignored: no text field has focus",
            });
            return effects;
        }
    }
    if cut {
        app.say(match app.lang {
            Lang::Da => format!(
                "indsat tekst afkortet til {} tegn",
                super::paste::PASTE_LIMIT
            ),
            Lang::En => format!(
                "pasted text cut to {} characters",
                super::paste::PASTE_LIMIT
            ),
        });
    }
    effects
}

fn on_key(app: &mut App, key: Key) -> Vec<Effect> {
    let ctx = app.context();
    app.pending.push(key);
    let mut res = app.keymap.resolve(ctx, &app.pending);
    if res == Resolution::Unbound && app.pending.len() > 1 {
        // A started sequence that went nowhere: the last key starts afresh.
        app.pending = vec![key];
        res = app.keymap.resolve(ctx, &app.pending);
    }
    match res {
        Resolution::Pending => Vec::new(),
        Resolution::Action(a) => {
            app.pending.clear();
            update(app, a)
        }
        Resolution::Unbound => {
            app.pending.clear();
            match key.code {
                Code::Char(c) if ctx == Context::Input && !key.ctrl && !key.alt => {
                    update(app, Action::InputChar(c))
                }
                _ => Vec::new(),
            }
        }
    }
}

fn movement(app: &mut App, action: Action) -> Vec<Effect> {
    let page = |rows: usize| rows.saturating_sub(1).max(1);
    match &mut app.overlay {
        Some(Overlay::Help { scroll, .. }) => {
            *scroll = match action {
                Action::Down => *scroll + 1,
                Action::Up => scroll.saturating_sub(1),
                Action::PageDown => *scroll + 10,
                Action::PageUp => scroll.saturating_sub(10),
                Action::Top => 0,
                _ => *scroll,
            };
            return Vec::new();
        }
        Some(Overlay::Palette { selected, .. }) => {
            *selected = match action {
                Action::Down => *selected + 1,
                Action::Up => selected.saturating_sub(1),
                _ => *selected,
            };
            let n = app.palette_entries().len();
            if let Some(Overlay::Palette { selected, .. }) = &mut app.overlay {
                *selected = (*selected).min(n.saturating_sub(1));
            }
            return Vec::new();
        }
        Some(Overlay::Filter { .. }) => {
            // Up and down while filtering move the selection in the narrowed queue.
        }
        Some(Overlay::Command(_)) => {
            commands::move_choice(app, matches!(action, Action::Down | Action::PageDown));
            return Vec::new();
        }
        Some(Overlay::Confirm { .. } | Overlay::Conflict { .. }) => return Vec::new(),
        Some(Overlay::Classify(_) | Overlay::Purpose(_) | Overlay::Route(_)) => {
            let delta = match action {
                Action::Down => 1,
                Action::Up => -1,
                Action::PageDown => 10,
                Action::PageUp => -10,
                Action::Top => isize::MIN / 2,
                _ => isize::MAX / 2,
            };
            dialogs::move_in(app, delta);
            return Vec::new();
        }
        None => {}
    }
    let (tmax, smax) = app.case_scroll_limits();
    let rows = layout::case_body_rows(app.size);
    if let (Some(c), None) = (app.case.as_mut(), &app.overlay) {
        let focus_side = c.side;
        let (scroll, max) = if focus_side {
            (&mut c.side_scroll, smax)
        } else {
            (&mut c.text_scroll, tmax)
        };
        *scroll = match action {
            Action::Down => *scroll + 1,
            Action::Up => scroll.saturating_sub(1),
            Action::PageDown => *scroll + page(rows),
            Action::PageUp => scroll.saturating_sub(page(rows)),
            Action::Top => 0,
            _ => max,
        }
        .min(max);
        return Vec::new();
    }
    let last = app.queue.list.len().saturating_sub(1);
    let rows = layout::queue_rows(app.size);
    let to = match action {
        Action::Down => app.queue.selected + 1,
        Action::Up => app.queue.selected.saturating_sub(1),
        Action::PageDown => app.queue.selected + page(rows),
        Action::PageUp => app.queue.selected.saturating_sub(page(rows)),
        Action::Top => 0,
        _ => last,
    };
    app.queue.move_selection(to);
    Vec::new()
}

fn assign(reference: Reference, expected: u64, to: Option<String>, from: Option<String>) -> Effect {
    Effect::Execute {
        reference,
        expected,
        command: Command::Assign { to, from },
    }
}

fn take(app: &mut App) -> Vec<Effect> {
    let me = app.actor.login.clone();
    let targets = app.targets();
    let mut now = Vec::new();
    let mut held = Vec::new();
    for (r, v, holder) in targets {
        match holder {
            Some(h) if h == me => {}
            None => now.push(assign(r, v, Some(me.clone()), None)),
            Some(h) => held.push((r, assign(r, v, Some(me.clone()), Some(h.clone())), h)),
        }
    }
    let hidden = if app.case.is_none() {
        app.queue.marks_out_of_view()
    } else {
        0
    };
    if held.is_empty() && hidden == 0 {
        return now;
    }
    if held.is_empty() {
        // Marks out of sight: say whose cases the key takes before taking them.
        let n = now.len();
        app.overlay = Some(Overlay::Confirm {
            prompt: tf(
                app.lang,
                Msg::TakeMarkedHidden,
                &[&n.to_string(), &hidden.to_string()],
            ),
            yes: OnYes::Effects(now),
        });
        return Vec::new();
    }
    // Taking a case from a colleague is a decision: ask, naming them.
    let prompt = match held.as_slice() {
        [(r, _, h)] => tf(app.lang, Msg::TakeFrom, &[&r.to_string(), h]),
        many => {
            let mut holders: Vec<&str> = many.iter().map(|(_, _, h)| h.as_str()).collect();
            holders.sort_unstable();
            holders.dedup();
            tf(
                app.lang,
                Msg::TakeMany,
                &[&many.len().to_string(), &holders.join(", ")],
            )
        }
    };
    let mut effects = now;
    effects.extend(held.into_iter().map(|(_, e, _)| e));
    app.overlay = Some(Overlay::Confirm {
        prompt,
        yes: OnYes::Effects(effects),
    });
    Vec::new()
}

fn release(app: &mut App) -> Vec<Effect> {
    let me = app.actor.login.clone();
    let effects: Vec<Effect> = app
        .targets()
        .into_iter()
        .filter(|(_, _, h)| h.as_deref() == Some(me.as_str()))
        .map(|(r, v, _)| assign(r, v, None, Some(me.clone())))
        .collect();
    let refs: Vec<String> = effects
        .iter()
        .filter_map(|e| match e {
            Effect::Execute { reference, .. } => Some(reference.to_string()),
            _ => None,
        })
        .collect();
    match refs.len() {
        0 => app.fail(t(app.lang, Msg::NotYours)),
        _ => {
            app.overlay = Some(Overlay::Confirm {
                prompt: tf(app.lang, Msg::Release, &[&refs.join(", ")]),
                yes: OnYes::Effects(effects),
            })
        }
    }
    Vec::new()
}
