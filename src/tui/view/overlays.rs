//! Overlays over the queue or the case: help, palette, confirm, conflict.

use super::parts::{fit, hints, overlay_box, wrap_plain};
use super::theme::Theme;
use crate::domain::sanitize::sanitize_line;
use crate::tui::action::Action;
use crate::tui::i18n::{t, Lang, Msg};
use crate::tui::keymap::Context;
use crate::tui::state::{App, Entry};
use crate::tui::text::{self, Mark};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use unicode_width::UnicodeWidthStr;

pub(super) fn context_name(lang: Lang, c: Context) -> &'static str {
    t(
        lang,
        match c {
            Context::Global => Msg::ContextGlobal,
            Context::Queue => Msg::ContextQueue,
            Context::Case => Msg::ContextCase,
            Context::Dialog => Msg::ContextDialog,
            Context::Checklist => Msg::ContextChecklist,
            Context::Input => Msg::ContextInput,
        },
    )
}

pub(super) fn draw_help(
    app: &App,
    input: &str,
    scroll: usize,
    area: Rect,
    buf: &mut Buffer,
    th: Theme,
) {
    let inner = overlay_box(
        t(app.lang, Msg::HelpTitle),
        area,
        area.width.saturating_sub(4).min(96),
        area.height.saturating_sub(2),
        buf,
    );
    if inner.height < 2 {
        return;
    }
    let entries = app.help_entries();
    let keys_w = entries
        .iter()
        .map(|e| e.keys.width())
        .max()
        .unwrap_or(8)
        .min(20);
    let mut lines: Vec<(String, Style)> = Vec::new();
    let mut last: Option<Context> = None;
    for e in &entries {
        if last != Some(e.context) {
            lines.push((context_name(app.lang, e.context).to_string(), th.header()));
            last = Some(e.context);
        }
        lines.push((
            format!("  {} {}", fit(&e.keys, keys_w), e.desc),
            Style::new(),
        ));
    }
    // The deadline column's units, after the keys.
    if input.is_empty() {
        lines.push((t(app.lang, Msg::Clocks).to_string(), th.header()));
        for m in [Msg::HelpWorkingDays, Msg::HelpOverdue] {
            lines.push((format!("  {}", t(app.lang, m)), Style::new()));
        }
    }
    let body_h = inner.height as usize - 1;
    let scroll = scroll.min(lines.len().saturating_sub(body_h));
    for (y, (s, st)) in (inner.y..).zip(lines.iter().skip(scroll).take(body_h)) {
        buf.set_stringn(inner.x, y, s, inner.width as usize, *st);
    }
    let prompt = format!("/{input}");
    let foot = format!("{prompt}  · {}", t(app.lang, Msg::HelpHint));
    let y = inner.y + inner.height - 1;
    buf.set_stringn(
        inner.x,
        y,
        fit(&foot, inner.width as usize),
        inner.width as usize,
        th.dim(),
    );
    buf.set_stringn(inner.x, y, &prompt, inner.width as usize, th.bold());
    let cx = inner.x + (prompt.width() as u16).min(inner.width - 1);
    buf.set_style(Rect::new(cx, y, 1, 1), th.selected());
}

pub(super) fn draw_palette(
    app: &App,
    input: &str,
    selected: usize,
    area: Rect,
    buf: &mut Buffer,
    th: Theme,
) {
    let inner = overlay_box(
        t(app.lang, Msg::PaletteTitle),
        area,
        area.width.saturating_sub(4).min(90),
        area.height.saturating_sub(4).min(22),
        buf,
    );
    if inner.height < 2 {
        return;
    }
    let prompt = format!(": {input}");
    buf.set_stringn(inner.x, inner.y, &prompt, inner.width as usize, th.bold());
    let cx = inner.x + (prompt.width() as u16).min(inner.width - 1);
    buf.set_style(Rect::new(cx, inner.y, 1, 1), th.selected());
    let entries: Vec<Entry> = app.palette_entries();
    let rows = inner.height as usize - 1;
    let top = selected.saturating_sub(rows.saturating_sub(1));
    for (i, (y, e)) in (inner.y + 1..)
        .zip(entries.iter().skip(top).take(rows))
        .enumerate()
    {
        let pos = top + i;
        let keys = if e.keys.is_empty() {
            t(app.lang, Msg::NoBinding).to_string()
        } else {
            e.keys.clone()
        };
        let s = format!(
            "{}{} {} {}",
            if pos == selected { '>' } else { ' ' },
            fit(e.name, 15),
            fit(&keys, 14),
            e.desc
        );
        let r = Rect::new(inner.x, y, inner.width, 1);
        buf.set_stringn(
            inner.x,
            y,
            fit(&s, inner.width as usize),
            inner.width as usize,
            Style::new(),
        );
        if pos == selected {
            buf.set_style(r, th.selected());
        }
    }
}

pub(super) fn draw_confirm(app: &App, prompt: &str, area: Rect, buf: &mut Buffer, th: Theme) {
    let w = area.width.saturating_sub(8).min(64);
    let lines = text::wrap(
        &[(prompt.to_string(), Mark::Plain)],
        w.saturating_sub(2) as usize,
    );
    let inner = overlay_box(
        t(app.lang, Msg::ConfirmTitle),
        area,
        w,
        lines.len() as u16 + 4,
        buf,
    );
    for (y, line) in (inner.y..inner.y + inner.height).zip(lines.iter()) {
        let s: String = line.iter().map(|(s, _)| s.as_str()).collect();
        buf.set_stringn(inner.x + 1, y, s, inner.width as usize - 1, th.bold());
    }
    let yes = app
        .keymap
        .keys_for(Context::Dialog, &Action::Confirm)
        .join("/");
    let no = app
        .keymap
        .keys_for(Context::Dialog, &Action::Cancel)
        .join("/");
    let (y_word, n_word) = match app.lang {
        Lang::En => ("yes", "no"),
        Lang::Da => ("ja", "nej"),
    };
    let hint = format!("{yes}: {y_word}   {no}: {n_word}");
    buf.set_stringn(
        inner.x + 1,
        inner.y + inner.height - 1,
        hint,
        inner.width as usize - 1,
        th.dim(),
    );
}

/// Someone changed the case meanwhile: reload it, or go back to what was being written.
pub(super) fn draw_conflict(app: &App, message: &str, area: Rect, buf: &mut Buffer, th: Theme) {
    let w = area.width.saturating_sub(8).min(64);
    let lines = wrap_plain(&sanitize_line(message), w.saturating_sub(3) as usize);
    let inner = overlay_box(
        t(app.lang, Msg::ConflictTitle),
        area,
        w,
        lines.len() as u16 + 4,
        buf,
    );
    if inner.height < 2 {
        return;
    }
    for (y, line) in (inner.y..inner.y + inner.height - 1).zip(lines.iter()) {
        buf.set_stringn(inner.x + 1, y, line, inner.width as usize - 1, th.bold());
    }
    let hint = hints(
        app,
        Context::Dialog,
        &[
            (Action::ReloadCase, Msg::HintReload),
            (Action::Cancel, Msg::HintKeepEditing),
        ],
    );
    buf.set_stringn(
        inner.x + 1,
        inner.y + inner.height - 1,
        &hint,
        inner.width as usize - 1,
        th.dim(),
    );
}
