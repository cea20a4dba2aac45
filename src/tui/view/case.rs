//! The case pane: its header, the enquiry text with its marks, and the details beside it.

use super::parts::fit;
use super::theme::Theme;
use crate::domain::case::Case;
use crate::domain::danish_time::DanishDay;
use crate::domain::sanitize::sanitize_line;
use crate::tui::action::Action;
use crate::tui::details::{side_lines, SideKind};
use crate::tui::i18n::{self, t, tf, Msg};
use crate::tui::keymap::Context;
use crate::tui::layout;
use crate::tui::model::{self};
use crate::tui::state::{App, CaseView};
use crate::tui::text::{self};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

pub(super) fn draw_case(app: &App, c: &CaseView, main: Rect, buf: &mut Buffer, th: Theme) {
    let (header, text_area, side_area) = layout::case(main);
    let wide = layout::wide((main.width, main.height + 2));
    let Some(case) = c.record.live() else {
        buf.set_stringn(
            main.x + 1,
            main.y + 1,
            format!(
                "{} {}",
                c.reference(),
                i18n::status(app.lang, c.record.status())
            ),
            main.width as usize,
            th.bold(),
        );
        return;
    };
    draw_case_header(app, c, case, header, buf, th);
    if wide {
        draw_text(c, case, text_area, buf, th);
        for y in main.y..main.y + main.height {
            buf.set_stringn(side_area.x - 1, y, "│", 1, th.dim());
        }
        draw_side(app, c, side_area, buf, th);
    } else if c.side {
        draw_side(app, c, side_area, buf, th);
    } else {
        draw_text(c, case, text_area, buf, th);
    }
}

pub(super) fn draw_case_header(
    app: &App,
    c: &CaseView,
    case: &Case,
    area: Rect,
    buf: &mut Buffer,
    th: Theme,
) {
    let w = area.width as usize;
    let lang = app.lang;
    let title = format!(
        "{}  {}",
        case.reference,
        model::display_line(&case.enquiry.subject)
    );
    buf.set_stringn(area.x, area.y, fit(&title, w), w, th.bold());
    if area.height < 2 {
        return;
    }
    let sender = &case.enquiry.sender;
    let mut from = format!(
        "{}: {}",
        t(lang, Msg::From),
        model::display_line(&sender.name)
    );
    if let Some(e) = &sender.email {
        from.push_str(&format!(" <{}>", model::display_line(e)));
    }
    from.push_str(&format!(
        " · {} · {} · {} · {}",
        i18n::channel(lang, case.enquiry.channel),
        case.enquiry.received.danish_day(),
        i18n::status(lang, case.status),
        case.assignee
            .as_deref()
            .map(|a| sanitize_line(a).into_owned())
            .unwrap_or_else(|| t(lang, Msg::Unassigned).to_string())
    ));
    buf.set_stringn(area.x, area.y + 1, fit(&from, w), w, Style::new());
    if area.height < 3 {
        return;
    }
    let key = app.key_hint(Context::Case, &Action::RevealCpr);
    let hint = if c.revealed {
        tf(lang, Msg::CprRevealed, &[&key])
    } else {
        tf(lang, Msg::CprMasked, &[&key])
    };
    let mut line = Vec::new();
    if !case.enquiry.attachments.is_empty() {
        let names: Vec<String> = case
            .enquiry
            .attachments
            .iter()
            .map(|a| model::display_line(a))
            .collect();
        line.push(Span::raw(format!(
            "{}: {} · ",
            t(lang, Msg::Attachments),
            names.join(", ")
        )));
    }
    let hint_style = if c.revealed { th.error() } else { th.dim() };
    line.push(Span::styled(hint, hint_style));
    buf.set_line(area.x, area.y + 2, &Line::from(line), area.width);
}

pub(super) fn draw_text(c: &CaseView, case: &Case, area: Rect, buf: &mut Buffer, th: Theme) {
    let pieces = text::pieces(&case.enquiry.body, &case.suggestions, c.revealed);
    let lines = text::wrap(&pieces, area.width as usize);
    let max = lines.len().saturating_sub(area.height as usize);
    let scroll = c.text_scroll.min(max);
    for (y, line) in (area.y..area.y + area.height).zip(lines.iter().skip(scroll)) {
        let spans: Vec<Span> = line
            .iter()
            .map(|(s, m)| Span::styled(s.clone(), th.mark(*m)))
            .collect();
        buf.set_line(area.x, y, &Line::from(spans), area.width);
    }
    if lines.len() > area.height as usize && area.width > 0 {
        let pos = format!(" {}/{} ", scroll + area.height as usize, lines.len());
        let x = area.x + area.width - (pos.width() as u16).min(area.width);
        buf.set_stringn(
            x,
            area.y + area.height - 1,
            pos,
            area.width as usize,
            th.dim(),
        );
    }
}

pub(super) fn draw_side(app: &App, c: &CaseView, area: Rect, buf: &mut Buffer, th: Theme) {
    let lines = side_lines(app, c, area.width as usize);
    let max = lines.len().saturating_sub(area.height as usize);
    let scroll = c.side_scroll.min(max);
    for (y, (s, k)) in (area.y..area.y + area.height).zip(lines.iter().skip(scroll)) {
        let style = match k {
            SideKind::Heading => th.header(),
            SideKind::Normal => Style::new(),
            SideKind::Warn => th.fg(Color::Yellow).add_modifier(Modifier::BOLD),
            SideKind::Dim => th.dim(),
        };
        buf.set_stringn(area.x, y, s, area.width as usize, style);
    }
}
