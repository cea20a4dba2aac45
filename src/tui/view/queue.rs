//! The queue pane: its columns, the rows and the deadline cell in its narrow forms.

use super::parts::{cell, fit};
use super::theme::Theme;
use crate::domain::cpr::mask_cprs;
use crate::domain::sanitize::sanitize_line;
use crate::tui::action::View;
use crate::tui::i18n::{self, t, Lang, Msg};
use crate::tui::layout;
use crate::tui::model::{self, Deadline, Row, SortKey};
use crate::tui::queue::text::Snippet;
use crate::tui::state::App;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Col {
    Ref,
    Received,
    Channel,
    Sender,
    Subject,
    Badges,
    Status,
    Assignee,
    Due,
}

pub(super) const GUTTER: usize = 2;

pub(super) const MIN_SUBJECT: usize = 16;

/// The queue's columns and their widths for a terminal width; the subject takes what is
/// left, and columns are dropped (channel first) until it has enough.
pub(super) fn columns(width: usize) -> Vec<(Col, usize)> {
    let narrow = width < layout::WIDE as usize;
    let mut cols = vec![
        (Col::Ref, 11),
        (Col::Received, 10),
        (Col::Channel, 8),
        (Col::Sender, if narrow { 13 } else { 18 }),
        (Col::Subject, 0),
        (Col::Badges, 9),
        (Col::Status, if narrow { 8 } else { 11 }),
        (Col::Assignee, 8),
        (Col::Due, if narrow { 11 } else { 13 }),
    ];
    let drop_order = [
        Col::Channel,
        Col::Assignee,
        Col::Received,
        Col::Badges,
        Col::Sender,
    ];
    let rest = |cols: &[(Col, usize)]| {
        let fixed: usize = cols.iter().map(|(_, w)| w + 1).sum();
        width.saturating_sub(GUTTER + fixed)
    };
    for d in drop_order {
        if rest(&cols) >= MIN_SUBJECT {
            break;
        }
        cols.retain(|(c, _)| *c != d);
    }
    let subject = rest(&cols);
    for c in cols.iter_mut() {
        if c.0 == Col::Subject {
            c.1 = subject;
        }
    }
    cols
}

pub(super) fn col_title(lang: Lang, c: Col) -> &'static str {
    t(
        lang,
        match c {
            Col::Ref => Msg::ColRef,
            Col::Received => Msg::ColReceived,
            Col::Channel => Msg::ColChannel,
            Col::Sender => Msg::ColSender,
            Col::Subject => Msg::ColSubject,
            Col::Badges => Msg::ColCategories,
            Col::Status => Msg::ColStatus,
            Col::Assignee => Msg::ColAssignee,
            Col::Due => Msg::ColDue,
        },
    )
}

pub(super) fn sorted_by(c: Col) -> Option<SortKey> {
    Some(match c {
        Col::Ref => SortKey::Reference,
        Col::Received => SortKey::Received,
        Col::Sender => SortKey::Sender,
        Col::Subject => SortKey::Subject,
        Col::Status => SortKey::Status,
        Col::Assignee => SortKey::Assignee,
        Col::Due => SortKey::Urgency,
        _ => return None,
    })
}

/// The deadline cell's text in `width` columns: the full countdown where it fits, else the
/// narrow form, so a number is never cut ("overdue 13…" hid how late a case was).
pub(super) fn deadline_cell(lang: Lang, d: &Deadline, width: usize) -> String {
    let full = deadline_text(lang, d);
    if full.width() <= width {
        return full;
    }
    match d {
        Deadline::Answer {
            countdown, paused, ..
        } => {
            let s = i18n::countdown_narrow(lang, countdown);
            if *paused {
                format!("{s}‖")
            } else {
                s
            }
        }
        _ => full,
    }
}

/// The deadline column of a row: in the Retention view, the case's step on its way to the
/// archives and deletion ("…" while the archive register is asked); elsewhere the clock.
fn due_cell(app: &App, row: &Row, width: usize) -> String {
    if app.queue.view == View::RetentionDue && row.retention.is_some() {
        return match app.retention_step(row) {
            Some(step) => i18n::step(app.lang, step).to_string(),
            None => "\u{2026}".to_string(),
        };
    }
    deadline_cell(app.lang, &row.deadline, width)
}

/// The deadline cell's text: countdown, retention step, or nothing.
pub fn deadline_text(lang: Lang, d: &Deadline) -> String {
    match d {
        Deadline::Answer {
            countdown, paused, ..
        } => {
            let s = i18n::countdown(lang, countdown);
            if *paused {
                format!("{s} ‖")
            } else {
                s
            }
        }
        Deadline::Retention(s) => i18n::retention(lang, *s).to_string(),
        Deadline::None => String::new(),
    }
}

pub(super) fn badges_text(lang: Lang, row: &Row) -> String {
    row.badges
        .iter()
        .map(|(c, confirmed)| {
            let badge = i18n::badge(lang, c);
            if confirmed {
                badge.to_string()
            } else {
                badge.to_lowercase()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

pub(super) fn draw_queue(app: &App, area: Rect, buf: &mut Buffer, th: Theme) {
    if area.height < 2 {
        return;
    }
    let cols = columns(area.width as usize);
    // Header.
    let mut spans = vec![Span::raw(" ".repeat(GUTTER))];
    for (i, (c, w)) in cols.iter().enumerate() {
        if i > 0 {
            spans.push(Span::raw(" "));
        }
        let mut title = col_title(app.lang, *c).to_string();
        if sorted_by(*c) == Some(app.queue.sort) {
            title.push(if app.queue.reverse { '▼' } else { '▲' });
        }
        spans.push(Span::styled(fit(&title, *w), th.header()));
    }
    buf.set_line(area.x, area.y, &Line::from(spans), area.width);

    let body = Rect {
        y: area.y + 1,
        height: area.height - 1,
        ..area
    };
    if app.queue.list.is_empty() {
        let msg = if app.queue.filter.is_empty() {
            t(app.lang, Msg::NoCases)
        } else {
            t(app.lang, Msg::NoMatch)
        };
        buf.set_stringn(
            body.x + 2,
            body.y + 1,
            msg,
            body.width as usize - 2,
            th.dim(),
        );
        return;
    }
    let bottom = body.y + body.height;
    let mut y = body.y;
    for (pos, &i) in app.queue.list.iter().enumerate().skip(app.queue.offset) {
        if y >= bottom {
            break;
        }
        let row = &app.queue.rows[i];
        let selected = pos == app.queue.selected;
        let marked = app.queue.marks.contains(&row.reference);
        let line = |y| Rect {
            y,
            height: 1,
            ..body
        };
        draw_row(app, row, selected, marked, &cols, line(y), buf, th);
        y += 1;
        // A text hit's snippet on the line under its row (cut off at the pane's foot).
        if let Some(snippet) = app.queue.text.snippet(row.reference) {
            if y < bottom {
                let indent = GUTTER + 2;
                let width = (body.width as usize).saturating_sub(indent);
                let mut spans = vec![Span::raw(" ".repeat(indent))];
                spans.extend(snippet_line(snippet, width, th.dim(), th));
                buf.set_line(body.x, y, &Line::from(spans), body.width);
                if selected {
                    buf.set_style(line(y), th.selected());
                }
                y += 1;
            }
        }
    }
}

/// A text hit's snippet as one line of `width` columns: the matched words styled (the
/// store's ranges, never markers in the text), cut so that the first of them is in sight.
/// The store masked and sanitised it; each piece is masked and sanitised again here, as
/// everything bound for the screen is.
pub(super) fn snippet_line(
    snippet: &Snippet,
    width: usize,
    base: Style,
    th: Theme,
) -> Vec<Span<'static>> {
    let chars: Vec<char> = snippet.text.chars().collect();
    let mut ranges: Vec<(usize, usize)> = snippet
        .highlights
        .iter()
        .map(|&(a, b)| ((a as usize).min(chars.len()), (b as usize).min(chars.len())))
        .filter(|(a, b)| a < b)
        .collect();
    ranges.sort_unstable();
    let mut pieces: Vec<(String, bool)> = Vec::new();
    let mut at = 0;
    for (a, b) in ranges {
        // Overlapping ranges: the part already taken stays taken.
        let a = a.max(at);
        if a >= b {
            continue;
        }
        pieces.push((chars[at..a].iter().collect(), false));
        pieces.push((chars[a..b].iter().collect(), true));
        at = b;
    }
    pieces.push((chars[at..].iter().collect(), false));
    let mut text = String::new();
    let mut hl: Vec<usize> = Vec::new();
    let mut n = 0;
    for (piece, matched) in pieces {
        let clean = sanitize_line(&mask_cprs(&piece)).into_owned();
        for c in clean.chars() {
            if matched {
                hl.push(n);
            }
            text.push(c);
            n += 1;
        }
    }
    // A first match the line would cut or hide: start a third of the line before it, with
    // "…"; one in sight keeps the text before it, where the context is.
    if let Some(&first) = hl.first() {
        let run = hl.iter().zip(first..).take_while(|(p, q)| *p == q).count();
        if first + run + 1 > width && first > width / 3 {
            let skip = first - width / 3;
            text = std::iter::once('…')
                .chain(text.chars().skip(skip + 1))
                .collect();
            hl = hl
                .into_iter()
                .filter(|&p| p > skip)
                .map(|p| p - skip)
                .collect();
        }
    }
    cell(&text, width, base, &hl, th.matched())
}

#[allow(clippy::too_many_arguments)]
pub(super) fn draw_row(
    app: &App,
    row: &Row,
    selected: bool,
    marked: bool,
    cols: &[(Col, usize)],
    area: Rect,
    buf: &mut Buffer,
    th: Theme,
) {
    let lang = app.lang;
    let hl = |k: usize| {
        if app.queue.compiled.is_empty() {
            Vec::new()
        } else {
            // Folded per field for the visible rows only: positions are the drawn ones.
            let field = match k {
                0 => row.reference_text(),
                1 => row.sender(),
                _ => row.subject(),
            };
            app.queue.compiled.positions(&model::fold(field))
        }
    };
    // The markers are bold; a row with neither keeps its gutter plain, since bold on blanks
    // shows nothing and costs bytes on every row a frame rewrites.
    let mut spans: Vec<Span> = vec![Span::styled(
        format!(
            "{}{}",
            if selected { '>' } else { ' ' },
            if marked { '*' } else { ' ' }
        ),
        if selected || marked {
            th.bold()
        } else {
            Style::new()
        },
    )];
    let base = if marked { th.bold() } else { Style::new() };
    for (n, (c, w)) in cols.iter().enumerate() {
        if n > 0 {
            spans.push(Span::raw(" "));
        }
        let w = *w;
        match c {
            Col::Ref => spans.extend(cell(row.reference_text(), w, base, &hl(0), th.matched())),
            Col::Received => spans.push(Span::styled(fit(&row.received.to_string(), w), base)),
            Col::Channel => spans.push(Span::styled(
                fit(i18n::channel(lang, row.channel), w),
                base.patch(th.dim()),
            )),
            Col::Sender => spans.extend(cell(row.sender(), w, base, &hl(1), th.matched())),
            Col::Subject => spans.extend(cell(row.subject(), w, base, &hl(2), th.matched())),
            Col::Badges => {
                let style = if row.badges.iter().any(|(c, _)| c.is_criminal()) {
                    th.fg(Color::Red)
                } else if row.badges.iter().any(|(c, _)| c.is_special()) {
                    th.fg(Color::Magenta)
                } else {
                    th.fg(Color::Cyan)
                };
                spans.push(Span::styled(
                    fit(&badges_text(lang, row), w),
                    base.patch(style),
                ))
            }
            Col::Status => spans.push(Span::styled(fit(i18n::status(lang, row.status), w), base)),
            Col::Assignee => spans.push(Span::styled(fit(row.assignee().unwrap_or(""), w), base)),
            Col::Due => spans.push(Span::styled(
                fit(&due_cell(app, row, w), w),
                base.patch(th.urgency(row.deadline.urgency())),
            )),
        }
    }
    buf.set_line(area.x, area.y, &Line::from(spans), area.width);
    if selected {
        buf.set_style(area, th.selected());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snippet(text: &str, highlights: &[(u32, u32)]) -> Snippet {
        Snippet {
            text: text.into(),
            highlights: highlights.to_vec(),
            rank: 0,
        }
    }

    /// The line's text, and the words drawn in the match style.
    fn drawn(spans: &[Span], th: Theme) -> (String, Vec<String>) {
        let text = spans.iter().map(|s| s.content.as_ref()).collect();
        let matched = spans
            .iter()
            .filter(|s| s.style == th.dim().patch(th.matched()))
            .map(|s| s.content.to_string())
            .collect();
        (text, matched)
    }

    #[test]
    fn a_snippet_styles_its_matches_masks_and_sanitises_and_keeps_the_first_in_sight() {
        let th = Theme { color: true };
        let s = snippet("Mit nr. er 1203851234, sendt med brevdue.", &[(33, 40)]);
        let (text, matched) = drawn(&snippet_line(&s, 60, th.dim(), th), th);
        assert_eq!(
            text.trim_end(),
            "Mit nr. er 120385-XXXX, sendt med brevdue."
        );
        assert_eq!(text.chars().count(), 60, "padded to the width");
        assert_eq!(matched, ["brevdue"]);
        // A control sequence in the text never reaches the screen; ranges past the end and
        // overlapping ones do no harm.
        let s = snippet("brev\u{1b}[2Jdue", &[(0, 4), (2, 6), (90, 99)]);
        let (text, _) = drawn(&snippet_line(&s, 20, th.dim(), th), th);
        assert!(!text.contains('\u{1b}'), "{text:?}");
        // A match the line would hide: the line starts shortly before it.
        let long = format!("{} brevdue til sidst", "ord ".repeat(30));
        let at = long.find("brevdue").unwrap() as u32;
        let s = snippet(&long, &[(at, at + 7)]);
        let (text, matched) = drawn(&snippet_line(&s, 40, th.dim(), th), th);
        assert!(text.starts_with('…'), "{text:?}");
        assert_eq!(matched, ["brevdue"], "{text:?}");
    }

    #[test]
    fn columns_fill_the_width_and_drop_the_channel_first() {
        for w in [60usize, 80, 100, 120, 200] {
            let cols = columns(w);
            let total: usize = GUTTER + cols.iter().map(|(_, w)| w + 1).sum::<usize>();
            assert!(total <= w + 1, "{w}: {total}");
            assert!(cols.iter().any(|(c, _)| *c == Col::Due));
        }
        assert!(!columns(80).iter().any(|(c, _)| *c == Col::Channel));
        assert!(columns(120).iter().any(|(c, _)| *c == Col::Channel));
    }
}
