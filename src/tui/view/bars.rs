//! The tab bar (views and their counts) and the status bar.

use super::parts::fit;
use super::theme::Theme;
use crate::domain::sanitize::sanitize_line;
use crate::tui::action::{Action, View};
use crate::tui::i18n::{self, t, Lang, Msg};
use crate::tui::keymap::Context;
use crate::tui::state::{App, Overlay};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

pub(super) fn view_name(lang: Lang, v: View) -> &'static str {
    t(
        lang,
        match v {
            View::New => Msg::ViewNew,
            View::Mine => Msg::ViewMine,
            View::DueSoon => Msg::ViewDue,
            View::Routed => Msg::ViewRouted,
            View::RetentionDue => Msg::ViewRetention,
            View::All => Msg::ViewAll,
        },
    )
}

pub(super) fn draw_tabs(app: &App, area: Rect, buf: &mut Buffer, th: Theme) {
    let help = format!(
        " {} {} ",
        app.key_hint(Context::Queue, &Action::Help),
        match app.lang {
            Lang::En => "help",
            Lang::Da => "hjælp",
        }
    );
    // Three forms, widest first: every tab with its key; without keys; and, where even that
    // does not fit, the active view in full and the others by their keys only, so the
    // active view and help are always on screen.
    let tabs = |form: u8| -> Vec<(String, bool)> {
        View::ALL
            .iter()
            .map(|v| {
                let key = app
                    .keymap
                    .keys_for(Context::Queue, &Action::ShowView(*v))
                    .into_iter()
                    .next();
                // Counts come once the whole queue is read.
                let n = app
                    .queue
                    .count_of(*v)
                    .map(|n| n.to_string())
                    .unwrap_or_else(|| "…".into());
                let active = *v == app.queue.view;
                let name = view_name(app.lang, *v);
                let label = match (form, key) {
                    (0, Some(k)) => format!(" {k} {name} {n} "),
                    (2, Some(k)) if !active => format!(" {k} "),
                    (2, None) if !active => format!(" {} ", name.chars().next().unwrap_or(' ')),
                    _ => format!(" {name} {n} "),
                };
                (label, active)
            })
            .collect()
    };
    let width = area.width as usize;
    let total = |v: &[(String, bool)]| v.iter().map(|(s, _)| s.width() + 1).sum::<usize>();
    let mut chosen = tabs(0);
    for form in [1, 2] {
        if total(&chosen) + help.width() <= width {
            break;
        }
        chosen = tabs(form);
    }
    let mut spans: Vec<Span> = Vec::new();
    for (label, active) in chosen {
        let style = if active {
            th.selected().add_modifier(Modifier::BOLD)
        } else {
            Style::new()
        };
        spans.push(Span::styled(label, style));
        spans.push(Span::styled("│", th.dim()));
    }
    let used: usize = spans.iter().map(|s| s.width()).sum();
    buf.set_line(area.x, area.y, &Line::from(spans), area.width);
    if used + help.width() <= width {
        let x = area.x + (width - help.width()) as u16;
        buf.set_stringn(x, area.y, &help, help.width(), th.dim());
    }
}

pub(super) fn draw_status(app: &App, area: Rect, buf: &mut Buffer, th: Theme) {
    let width = area.width as usize;
    buf.set_style(area, th.bar());
    if let Some(Overlay::Filter { .. }) = &app.overlay {
        // The status bar is the filter's input line while it is typed.
        let left = format!(" {}: {}", t(app.lang, Msg::FilterPrompt), app.queue.filter);
        let right = format!(
            "{}{}/{}  {} ✓  {} ✗ ",
            app.queue.list.len(),
            if app.queue.searching() { "…" } else { "" },
            app.queue
                .count_of(app.queue.view)
                .map(|n| n.to_string())
                .unwrap_or_else(|| "…".into()),
            app.key_hint(Context::Input, &Action::Submit),
            app.key_hint(Context::Input, &Action::Cancel),
        );
        // Why the text is no search query, between the text and the counts: said once the
        // text stands still, in the line itself, never as a dialog per key.
        let problem = app
            .queue
            .text
            .problem
            .as_ref()
            .map(|p| format!("{} ", sanitize_line(&i18n::query_problem(app.lang, p))))
            .unwrap_or_default();
        let room = width.saturating_sub(right.width() + 2 + left.width().min(width / 2));
        let problem_w = problem.width().min(room);
        if problem_w > 0 {
            let x = area.x + (width - right.width().min(width) - problem_w) as u16;
            let style = th.bar().patch(th.error());
            buf.set_stringn(x, area.y, fit(&problem, problem_w), problem_w, style);
        }
        let left_w = width.saturating_sub(right.width() + problem_w + 1);
        let shown = fit(&left, left_w);
        buf.set_stringn(area.x, area.y, &shown, left_w, th.bar());
        let cursor_x = area.x + (left.width().min(left_w.saturating_sub(1))) as u16;
        buf.set_stringn(cursor_x, area.y, " ", 1, Style::new());
        buf.set_stringn(
            area.x + (width - right.width().min(width)) as u16,
            area.y,
            &right,
            right.width(),
            th.bar(),
        );
        return;
    }
    let roles: Vec<&str> = app
        .actor
        .roles
        .iter()
        .map(|r| i18n::role(app.lang, *r))
        .collect();
    let mut place = view_name(app.lang, app.queue.view).to_string();
    if let Some(c) = &app.case {
        place = format!("{place} › {}", c.reference());
    }
    let mut parts = vec![
        format!("{} ({})", app.actor.login, roles.join(", ")),
        sanitize_line(&i18n::store_place(app.lang, &app.store)).into_owned(),
        place,
    ];
    if !app.queue.filter.is_empty() {
        parts.push(format!("/{}", app.queue.filter));
    }
    let mut counts = format!(
        "{}/{}",
        if app.queue.list.is_empty() {
            0
        } else {
            app.queue.selected + 1
        },
        app.queue.list.len()
    );
    if app.queue.searching() {
        counts.push('…');
    }
    if !app.queue.marks.is_empty() {
        counts.push_str(&format!(
            " · {} {}",
            app.queue.marks.len(),
            t(app.lang, Msg::Marked)
        ));
        let hidden = app.queue.marks_out_of_view();
        if hidden > 0 {
            counts.push_str(&format!(" ({hidden} {})", t(app.lang, Msg::MarkedHidden)));
        }
    }
    if app.queue.loading.is_some() {
        counts.push_str(&format!(" · {}…", t(app.lang, Msg::Loading)));
    }
    parts.push(counts);
    let msg = app.message.as_ref();
    let msg_text = msg
        .map(|m| format!(" {} ", sanitize_line(&m.text)))
        .unwrap_or_default();
    let msg_w = msg_text.width().min(width * 3 / 5);
    let left_w = width.saturating_sub(msg_w);
    // The store's path gives way first: shorten it from the left.
    let mut left = format!(" {} ", parts.join(" │ "));
    if left.width() > left_w {
        let over = left.width() - left_w + 1;
        let store = &parts[1];
        let keep: String = store
            .chars()
            .rev()
            .take(store.chars().count().saturating_sub(over))
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        parts[1] = format!("…{keep}");
        left = format!(" {} ", parts.join(" │ "));
    }
    buf.set_stringn(area.x, area.y, fit(&left, left_w), left_w, th.bar());
    if let Some(m) = msg {
        let style = if m.error {
            th.bar().patch(th.error())
        } else {
            th.bar().add_modifier(Modifier::BOLD)
        };
        let x = area.x + (width - msg_w) as u16;
        buf.set_stringn(x, area.y, fit(&msg_text, msg_w), msg_w, style);
    }
}
