//! Drawing: reads the state and writes cells; never changes state, never touches the store.

use super::action::{Action, View};
use super::app::{App, CaseView, Entry, Overlay};
use super::dialog::{
    ClassifyDialog, Needs, PurposePicker, PurposeStep, RouteStep, RouteWizard, Stored,
};
use super::i18n::{self, t, tf, Lang, Msg};
use super::keymap::Context;
use super::layout;
use super::model::{self, Deadline, Row, SortKey, Urgency};
use super::text::{self, Mark};
use crate::domain::basis::LegalBasis;
use crate::domain::case::{Case, Verdict};
use crate::domain::category::DataCategory;
use crate::domain::clock;
use crate::domain::command::Change;
use crate::domain::command::MIN_JUSTIFICATION;
use crate::domain::danish_time::DanishDay;
use crate::domain::enquiry::RightKind;
use crate::domain::sanitize::sanitize_line;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Widget};
use ratatui::Frame;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Styles with and without colour. Without colour, meaning is carried by reverse video,
/// bold, underline and the text itself.
#[derive(Clone, Copy)]
struct Theme {
    color: bool,
}

impl Theme {
    fn fg(self, c: Color) -> Style {
        if self.color {
            Style::new().fg(c)
        } else {
            Style::new()
        }
    }
    fn selected(self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED)
    }
    fn header(self) -> Style {
        Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
    }
    fn bold(self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }
    fn dim(self) -> Style {
        self.fg(Color::DarkGray)
    }
    fn urgency(self, u: Urgency) -> Style {
        match u {
            Urgency::Overdue => self.fg(Color::Red).add_modifier(Modifier::BOLD),
            Urgency::Today => self.fg(Color::Yellow).add_modifier(Modifier::BOLD),
            Urgency::Soon => self.fg(Color::Yellow),
            Urgency::Later => Style::new(),
            Urgency::None => self.dim(),
        }
    }
    fn matched(self) -> Style {
        self.fg(Color::Yellow)
            .add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
    }
    fn mark(self, m: Mark) -> Style {
        match m {
            Mark::Plain => Style::new(),
            Mark::Cpr { revealed: false } => self.fg(Color::Cyan).add_modifier(Modifier::BOLD),
            Mark::Cpr { revealed: true } => self
                .fg(Color::Cyan)
                .add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            Mark::Term(c) if c.is_criminal() => {
                self.fg(Color::Red).add_modifier(Modifier::UNDERLINED)
            }
            Mark::Term(c) if c.is_special() => {
                self.fg(Color::Magenta).add_modifier(Modifier::UNDERLINED)
            }
            Mark::Term(_) => self.fg(Color::Blue).add_modifier(Modifier::UNDERLINED),
        }
    }
    fn error(self) -> Style {
        self.fg(Color::Red).add_modifier(Modifier::BOLD)
    }
    fn bar(self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED)
    }
}

/// Draws the whole interface.
pub fn view(app: &App, f: &mut Frame) {
    let area = f.area();
    render(app, area, f.buffer_mut());
}

/// Draws into a buffer (what `view` does, without a frame).
pub fn render(app: &App, area: Rect, buf: &mut Buffer) {
    let th = Theme { color: app.color };
    if layout::too_small((area.width, area.height)) {
        too_small(app, area, buf, th);
        return;
    }
    let (tabs, main, status) = layout::frame(area);
    draw_tabs(app, tabs, buf, th);
    match &app.case {
        Some(c) => draw_case(app, c, main, buf, th),
        None => draw_queue(app, main, buf, th),
    }
    draw_status(app, status, buf, th);
    match &app.overlay {
        Some(Overlay::Help { input, scroll }) => draw_help(app, input, *scroll, area, buf, th),
        Some(Overlay::Palette { input, selected }) => {
            draw_palette(app, input, *selected, area, buf, th)
        }
        Some(Overlay::Confirm { prompt, .. }) => draw_confirm(app, prompt, area, buf, th),
        Some(Overlay::Classify(d)) => draw_classify(app, d, area, buf, th),
        Some(Overlay::Purpose(p)) => draw_purpose(app, p, area, buf, th),
        Some(Overlay::Route(w)) => draw_route(app, w, area, buf, th),
        Some(Overlay::Command(d)) => draw_command(app, d, area, buf, th),
        Some(Overlay::Conflict { message, .. }) => draw_conflict(app, message, area, buf, th),
        Some(Overlay::Filter { .. }) | None => {}
    }
}

/// `s` cut to `width` columns (with "…" when cut) and padded to exactly `width`.
pub fn fit(s: &str, width: usize) -> String {
    let mut out = String::new();
    let mut w = 0;
    let total = s.width();
    for c in s.chars() {
        let cw = c.width().unwrap_or(0);
        if total > width && w + cw + 1 > width {
            out.push('…');
            w += 1;
            break;
        }
        if w + cw > width {
            break;
        }
        out.push(c);
        w += cw;
    }
    out.extend(std::iter::repeat_n(' ', width.saturating_sub(w)));
    out
}

/// A cell with the characters at `hl` positions styled as matches, cut and padded.
fn cell(s: &str, width: usize, base: Style, hl: &[usize], hl_style: Style) -> Vec<Span<'static>> {
    if hl.is_empty() {
        return vec![Span::styled(fit(s, width), base)];
    }
    let fitted = fit(s, width);
    let mut spans: Vec<Span<'static>> = Vec::new();
    let mut cur = String::new();
    let mut cur_hl = false;
    for (i, c) in fitted.chars().enumerate() {
        let is_hl = hl.binary_search(&i).is_ok() && c != '…';
        if is_hl != cur_hl && !cur.is_empty() {
            let st = if cur_hl { base.patch(hl_style) } else { base };
            spans.push(Span::styled(std::mem::take(&mut cur), st));
        }
        cur_hl = is_hl;
        cur.push(c);
    }
    if !cur.is_empty() {
        let st = if cur_hl { base.patch(hl_style) } else { base };
        spans.push(Span::styled(cur, st));
    }
    spans
}

fn too_small(app: &App, area: Rect, buf: &mut Buffer, th: Theme) {
    let hint = tf(
        app.lang,
        Msg::TooSmallHint,
        &[
            &layout::MIN_WIDTH.to_string(),
            &layout::MIN_HEIGHT.to_string(),
        ],
    );
    let mut lines: Vec<(String, Style)> = vec![(t(app.lang, Msg::TooSmall).to_string(), th.bold())];
    for l in text::wrap(&[(hint, Mark::Plain)], area.width as usize) {
        lines.push((l.into_iter().map(|(s, _)| s).collect(), Style::new()));
    }
    lines.push((format!("{}×{}", area.width, area.height), th.dim()));
    let top = area.y + area.height.saturating_sub(lines.len() as u16) / 2;
    for (y, (text, style)) in (top..area.y + area.height).zip(lines.iter()) {
        let w = text.width().min(area.width as usize);
        let x = area.x + (area.width - w as u16) / 2;
        buf.set_stringn(x, y, text, area.width as usize, *style);
    }
}

fn view_name(lang: Lang, v: View) -> &'static str {
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

fn draw_tabs(app: &App, area: Rect, buf: &mut Buffer, th: Theme) {
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
                    .count_of(*v)
                    .map(|n| n.to_string())
                    .unwrap_or_else(|| "…".into());
                let active = *v == app.view;
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

#[derive(Clone, Copy, PartialEq, Eq)]
enum Col {
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

const GUTTER: usize = 2;
const MIN_SUBJECT: usize = 16;

/// The queue's columns and their widths for a terminal width; the subject takes what is
/// left, and columns are dropped (channel first) until it has enough.
fn columns(width: usize) -> Vec<(Col, usize)> {
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

fn col_title(lang: Lang, c: Col) -> &'static str {
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

fn sorted_by(c: Col) -> Option<SortKey> {
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
fn deadline_cell(lang: Lang, d: &Deadline, width: usize) -> String {
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

fn badges_text(row: &Row) -> String {
    row.badges
        .iter()
        .map(|(c, confirmed)| {
            if confirmed {
                c.badge().to_string()
            } else {
                c.badge().to_lowercase()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn draw_queue(app: &App, area: Rect, buf: &mut Buffer, th: Theme) {
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
        if sorted_by(*c) == Some(app.sort) {
            title.push(if app.reverse { '▼' } else { '▲' });
        }
        spans.push(Span::styled(fit(&title, *w), th.header()));
    }
    buf.set_line(area.x, area.y, &Line::from(spans), area.width);

    let body = Rect {
        y: area.y + 1,
        height: area.height - 1,
        ..area
    };
    if app.list.is_empty() {
        let msg = if app.filter.is_empty() {
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
    let visible = app
        .list
        .iter()
        .enumerate()
        .skip(app.offset)
        .take(body.height as usize);
    for (y, (pos, &i)) in (body.y..).zip(visible) {
        let row = &app.rows[i];
        let selected = pos == app.selected;
        let marked = app.marks.contains(&row.reference);
        draw_row(
            app,
            row,
            selected,
            marked,
            &cols,
            Rect {
                y,
                height: 1,
                ..body
            },
            buf,
            th,
        );
    }
}

#[allow(clippy::too_many_arguments)]
fn draw_row(
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
        if app.compiled.is_empty() {
            Vec::new()
        } else {
            // Folded per field for the visible rows only: positions are the drawn ones.
            let field = match k {
                0 => row.reference_text(),
                1 => row.sender(),
                _ => row.subject(),
            };
            app.compiled.positions(&model::fold(field))
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
                spans.push(Span::styled(fit(&badges_text(row), w), base.patch(style)))
            }
            Col::Status => spans.push(Span::styled(fit(i18n::status(lang, row.status), w), base)),
            Col::Assignee => spans.push(Span::styled(fit(row.assignee().unwrap_or(""), w), base)),
            Col::Due => spans.push(Span::styled(
                fit(&deadline_cell(lang, &row.deadline, w), w),
                base.patch(th.urgency(row.deadline.urgency())),
            )),
        }
    }
    buf.set_line(area.x, area.y, &Line::from(spans), area.width);
    if selected {
        buf.set_style(area, th.selected());
    }
}

fn draw_status(app: &App, area: Rect, buf: &mut Buffer, th: Theme) {
    let width = area.width as usize;
    buf.set_style(area, th.bar());
    if let Some(Overlay::Filter { .. }) = &app.overlay {
        // The status bar is the filter's input line while it is typed.
        let left = format!(" {}: {}", t(app.lang, Msg::FilterPrompt), app.filter);
        let right = format!(
            "{}{}/{}  {} ✓  {} ✗ ",
            app.list.len(),
            if app.searching() { "…" } else { "" },
            app.count_of(app.view)
                .map(|n| n.to_string())
                .unwrap_or_else(|| "…".into()),
            app.key_hint(Context::Input, &Action::Submit),
            app.key_hint(Context::Input, &Action::Cancel),
        );
        let left_w = width.saturating_sub(right.width() + 1);
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
    let roles: Vec<&str> = app.actor.roles.iter().map(|r| r.as_id()).collect();
    let mut place = view_name(app.lang, app.view).to_string();
    if let Some(c) = &app.case {
        place = format!("{place} › {}", c.reference());
    }
    let mut parts = vec![
        format!("{} ({})", app.actor.login, roles.join(", ")),
        sanitize_line(&app.store).into_owned(),
        place,
    ];
    if !app.filter.is_empty() {
        parts.push(format!("/{}", app.filter));
    }
    let mut counts = format!(
        "{}/{}",
        if app.list.is_empty() {
            0
        } else {
            app.selected + 1
        },
        app.list.len()
    );
    if app.searching() {
        counts.push('…');
    }
    if !app.marks.is_empty() {
        counts.push_str(&format!(
            " · {} {}",
            app.marks.len(),
            t(app.lang, Msg::Marked)
        ));
        let hidden = app.marks_out_of_view();
        if hidden > 0 {
            counts.push_str(&format!(" ({hidden} {})", t(app.lang, Msg::MarkedHidden)));
        }
    }
    if app.loading.is_some() {
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

fn draw_case(app: &App, c: &CaseView, main: Rect, buf: &mut Buffer, th: Theme) {
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

fn draw_case_header(app: &App, c: &CaseView, case: &Case, area: Rect, buf: &mut Buffer, th: Theme) {
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

fn draw_text(c: &CaseView, case: &Case, area: Rect, buf: &mut Buffer, th: Theme) {
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

/// How a line of the details is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SideKind {
    Heading,
    Normal,
    Warn,
    Dim,
}

/// The details of a case (categories, purpose, clocks, disclosures, history), wrapped to
/// `width`. `update` uses the count to bound scrolling.
pub fn side_lines(app: &App, c: &CaseView, width: usize) -> Vec<(String, SideKind)> {
    let lang = app.lang;
    let mut raw: Vec<(String, SideKind)> = Vec::new();
    let Some(case) = c.record.live() else {
        return raw;
    };
    let mut push = |s: String, k: SideKind| raw.push((s, k));

    push(t(lang, Msg::Categories).into(), SideKind::Heading);
    let name = |cat: crate::domain::category::DataCategory| match lang {
        Lang::En => cat.name_en(),
        Lang::Da => cat.name_da(),
    };
    let mut any = false;
    for d in &case.categories {
        any = true;
        let (mark, extra) = match d.verdict {
            Verdict::Confirmed => ("✓", String::new()),
            Verdict::Rejected => ("✗", format!(" · {}", t(lang, Msg::Rejected))),
        };
        push(
            format!(
                " {mark} {} ({}){extra}",
                name(d.category),
                d.category.badge()
            ),
            if d.verdict == Verdict::Confirmed {
                SideKind::Normal
            } else {
                SideKind::Dim
            },
        );
    }
    for s in case.open_suggestions() {
        any = true;
        push(
            format!(
                " ? {} ({}) · {} {:.0}%",
                name(s.category),
                s.category.badge(),
                t(lang, Msg::Suggested),
                s.confidence * 100.0
            ),
            SideKind::Warn,
        );
    }
    if !any {
        push(format!(" {}", t(lang, Msg::None)), SideKind::Dim);
    }

    push(t(lang, Msg::Purpose).into(), SideKind::Heading);
    match case.purpose.as_deref().map(|p| (p, app.policy.purpose(p))) {
        Some((_, Some(p))) => {
            push(format!(" {}", p.name(lang.language())), SideKind::Normal);
            let bases: Vec<String> = p
                .bases()
                .map(|b| match lang {
                    Lang::En => b.citation_en(),
                    Lang::Da => b.citation_da(),
                })
                .collect();
            push(
                format!(" {}: {}", t(lang, Msg::LegalBasis), bases.join("; ")),
                SideKind::Normal,
            );
        }
        Some((id, None)) => push(format!(" {}", sanitize_line(id)), SideKind::Warn),
        None => {
            // The answer clock runs on the purpose the source suggested until staff set one.
            let suggested = case
                .enquiry
                .purpose
                .as_deref()
                .and_then(|p| app.policy.purpose(p))
                .map(|p| {
                    format!(
                        " ({}: {})",
                        t(lang, Msg::Suggested),
                        p.name(lang.language())
                    )
                })
                .unwrap_or_default();
            push(format!(" {}{suggested}", t(lang, Msg::None)), SideKind::Dim)
        }
    }
    if let Some(r) = case.right {
        push(
            format!(" {}: {} ({})", t(lang, Msg::Right), r.as_id(), r.article()),
            SideKind::Normal,
        );
    }
    if let Some(f) = &case.restriction {
        push(
            format!(
                "{}: {}",
                t(lang, Msg::Restricted),
                model::display_line(&f.reason)
            ),
            SideKind::Warn,
        );
    }
    if let Some(f) = &case.legal_hold {
        push(
            format!(
                "{}: {}",
                t(lang, Msg::LegalHold),
                model::display_line(&f.reason)
            ),
            SideKind::Warn,
        );
    }

    push(t(lang, Msg::Clocks).into(), SideKind::Heading);
    match clock::answer_clock(case, &app.policy, &app.calendar, app.today) {
        Some(a) => {
            let mut s = format!(
                " {} {} · {}",
                t(lang, Msg::AnswerDue),
                a.due,
                i18n::countdown(lang, &a.countdown)
            );
            if a.paused {
                s.push_str(&format!(" · {}", t(lang, Msg::Paused)));
            }
            if a.extended {
                s.push_str(&format!(" · {}", t(lang, Msg::Extended)));
            }
            let urgent = matches!(
                a.countdown,
                clock::Countdown::Overdue { .. } | clock::Countdown::DueToday
            );
            push(
                s,
                if urgent {
                    SideKind::Warn
                } else {
                    SideKind::Normal
                },
            );
            if let Some(d) = a.complaint_date {
                push(
                    format!(" {} {d}", t(lang, Msg::ComplaintDate)),
                    SideKind::Normal,
                );
            }
            if a.delay_letter_due {
                push(format!(" {}", t(lang, Msg::DelayLetter)), SideKind::Warn);
            }
            if a.complaint_possible {
                push(format!(" {}", t(lang, Msg::Complaint)), SideKind::Warn);
            }
        }
        None => push(
            format!(" {}: {}", t(lang, Msg::AnswerDue), t(lang, Msg::None)),
            SideKind::Dim,
        ),
    }
    if let Some(r) = clock::retention_clock(case, &app.policy, app.today) {
        push(
            format!(
                " {}: {} · {}",
                t(lang, Msg::Retention),
                i18n::retention(lang, r.state),
                r.reason
            ),
            if matches!(
                r.state,
                clock::RetentionState::HandoverDue
                    | clock::RetentionState::DeletionDue
                    | clock::RetentionState::AssessmentDue
            ) {
                SideKind::Warn
            } else {
                SideKind::Normal
            },
        );
        // The timeline, with where today stands: passed steps dim, today marked.
        let mut passed = true;
        for (m, d) in r.timeline(app.today) {
            let today = m == clock::Milestone::Today;
            if today {
                passed = false;
            }
            let mark = if today {
                "▶"
            } else if passed {
                "·"
            } else {
                "○"
            };
            push(
                format!("  {mark} {d} {}", i18n::milestone(lang, m)),
                if today {
                    SideKind::Warn
                } else if passed {
                    SideKind::Dim
                } else {
                    SideKind::Normal
                },
            );
        }
    }

    push(t(lang, Msg::Disclosures).into(), SideKind::Heading);
    if case.disclosures.is_empty() {
        push(format!(" {}", t(lang, Msg::None)), SideKind::Dim);
    }
    for d in &case.disclosures {
        let recipient = app
            .policy
            .recipient(&d.recipient)
            .map(|r| r.name(lang.language()).to_string())
            .unwrap_or_else(|| sanitize_line(&d.recipient).into_owned());
        let bases: Vec<String> = d.bases.iter().map(|b| b.id()).collect();
        let kind = if d.withdrawn.is_some() {
            SideKind::Dim
        } else {
            SideKind::Normal
        };
        let mut s = format!(
            " #{} {} → {} ({})",
            d.id,
            d.made.at.danish_day(),
            recipient,
            bases.join(", ")
        );
        if d.withdrawn.is_some() {
            s.push_str(&format!(" · {}", t(lang, Msg::Withdrawn)));
        }
        push(s, kind);
        push(
            format!("   {}", model::display_line(&d.justification)),
            SideKind::Dim,
        );
    }

    push(t(lang, Msg::From).into(), SideKind::Heading);
    let sender = &case.enquiry.sender;
    push(
        format!(" {}", model::display_line(&sender.name)),
        SideKind::Normal,
    );
    for v in [&sender.email, &sender.phone, &sender.address]
        .into_iter()
        .flatten()
    {
        push(format!(" {}", model::display_line(v)), SideKind::Normal);
    }
    if let Some(cpr) = &sender.cpr {
        let shown = if c.revealed {
            sanitize_line(cpr).into_owned()
        } else {
            crate::domain::cpr::mask_cpr(cpr)
        };
        push(format!(" CPR {shown}"), SideKind::Normal);
    }

    push(t(lang, Msg::History).into(), SideKind::Heading);
    for e in &c.events {
        let what = match &e.change {
            Change::Registered { .. } => "register".to_string(),
            Change::Command(cmd) => cmd.action().to_string(),
        };
        push(
            format!(
                " {} {} {}",
                e.at.format("%Y-%m-%d %H:%M"),
                sanitize_line(&e.actor),
                what
            ),
            SideKind::Normal,
        );
    }

    // Wrap, indenting continuation lines by one column.
    let mut out = Vec::new();
    for (s, k) in raw {
        for (i, line) in text::wrap(&[(s, Mark::Plain)], width.max(2))
            .into_iter()
            .enumerate()
        {
            let t: String = line.into_iter().map(|(s, _)| s).collect();
            out.push((if i > 0 { format!(" {t}") } else { t }, k));
        }
    }
    out
}

fn draw_side(app: &App, c: &CaseView, area: Rect, buf: &mut Buffer, th: Theme) {
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

fn overlay_box(title: &str, area: Rect, w: u16, h: u16, buf: &mut Buffer) -> Rect {
    let r = layout::centered(area, w, h);
    Clear.render(r, buf);
    let block = Block::bordered().title(format!(" {title} "));
    let inner = block.inner(r);
    block.render(r, buf);
    inner
}

fn context_name(lang: Lang, c: Context) -> &'static str {
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

fn draw_help(app: &App, input: &str, scroll: usize, area: Rect, buf: &mut Buffer, th: Theme) {
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

fn draw_palette(app: &App, input: &str, selected: usize, area: Rect, buf: &mut Buffer, th: Theme) {
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

fn draw_confirm(app: &App, prompt: &str, area: Rect, buf: &mut Buffer, th: Theme) {
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
fn draw_conflict(app: &App, message: &str, area: Rect, buf: &mut Buffer, th: Theme) {
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

/// A case command: the text being written, or what will happen when it is given.
fn draw_command(
    app: &App,
    d: &crate::tui::command::CommandDialog,
    area: Rect,
    buf: &mut Buffer,
    th: Theme,
) {
    let lang = app.lang;
    let w = area.width.saturating_sub(4).min(72);
    let inner_w = w.saturating_sub(3) as usize;
    use crate::tui::command::Stage;
    let (mut lines, hint) = match d.stage {
        Stage::Confirm => {
            let mut l = wrap_plain(&d.will_text(lang), inner_w);
            for field in [&d.text, &d.ground] {
                if !field.trim().is_empty() {
                    l.push(String::new());
                    for line in wrap_plain(&sanitize_lines(field.trim()), inner_w.saturating_sub(2))
                    {
                        l.push(format!("  {line}"));
                    }
                }
            }
            let hint = hints(
                app,
                Context::Dialog,
                &[
                    (Action::Confirm, Msg::HintConfirm),
                    (Action::Cancel, Msg::HintBack),
                ],
            );
            (l, hint)
        }
        Stage::Pick => {
            let l = d
                .choices
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    format!(
                        "{}{}",
                        if i == d.selected { '>' } else { ' ' },
                        sanitize_line(&c.label)
                    )
                })
                .collect();
            let hint = hints(
                app,
                Context::Input,
                &[
                    (Action::Down, Msg::HintMove),
                    (Action::Submit, Msg::HintChoose),
                    (Action::Cancel, Msg::HintCancel),
                ],
            );
            (l, hint)
        }
        Stage::Text | Stage::Ground => {
            let ask = d.ask(lang);
            let mut first = ask.chars();
            let label: String = first
                .next()
                .map(|c| c.to_uppercase().chain(first).collect())
                .unwrap_or_default();
            let mut l = vec![format!("{label}:")];
            l.extend(wrap_plain(
                &format!("{}▏", sanitize_lines(d.field())),
                inner_w,
            ));
            let hint = hints(
                app,
                Context::Input,
                &[
                    (Action::Submit, Msg::HintSave),
                    (Action::Newline, Msg::HintNewline),
                    (Action::Cancel, Msg::HintCancel),
                ],
            );
            (l, hint)
        }
    };
    let room = area.height.saturating_sub(6).max(1) as usize;
    if lines.len() > room {
        if d.stage == Stage::Pick {
            // The choice under the cursor stays in view.
            let start = d.selected.saturating_sub(room - 1).min(lines.len() - room);
            lines = lines[start..start + room].to_vec();
        } else {
            // The end of a long text stays in view while it is written.
            lines.drain(..lines.len() - room);
        }
    }
    let inner = overlay_box(&d.title(lang), area, w, lines.len() as u16 + 4, buf);
    if inner.height < 2 {
        return;
    }
    for (y, line) in (inner.y..inner.y + inner.height - 1).zip(lines.iter()) {
        buf.set_stringn(inner.x + 1, y, line, inner.width as usize - 1, th.bold());
    }
    buf.set_stringn(
        inner.x + 1,
        inner.y + inner.height - 1,
        &hint,
        inner.width as usize - 1,
        th.dim(),
    );
}

/// "keys word · keys word", the keys as bound in `ctx`.
fn hints(app: &App, ctx: Context, items: &[(Action, Msg)]) -> String {
    items
        .iter()
        .filter_map(|(a, m)| {
            let keys = app.keymap.keys_for(ctx, a);
            (!keys.is_empty()).then(|| format!("{} {}", keys.join("/"), t(app.lang, *m)))
        })
        .collect::<Vec<_>>()
        .join(" · ")
}

/// Plain text wrapped to `width` columns.
fn wrap_plain(s: &str, width: usize) -> Vec<String> {
    text::wrap(&[(s.to_string(), Mark::Plain)], width.max(1))
        .into_iter()
        .map(|l| l.into_iter().map(|(s, _)| s).collect())
        .collect()
}

/// Untrusted multi-line text, each line sanitised, line breaks kept.
fn sanitize_lines(s: &str) -> String {
    s.split('\n')
        .map(|l| sanitize_line(l).into_owned())
        .collect::<Vec<_>>()
        .join("\n")
}

fn category_name(lang: Lang, c: DataCategory) -> &'static str {
    match lang {
        Lang::En => c.name_en(),
        Lang::Da => c.name_da(),
    }
}

fn stored_text(lang: Lang, s: Stored) -> String {
    match s {
        Stored::None => t(lang, Msg::None).to_string(),
        Stored::Suggested(c) => format!("{} {:.0}%", t(lang, Msg::Suggested), c * 100.0),
        Stored::SuggestedOn(n) => tf(lang, Msg::SuggestedOn, &[&n.to_string()]),
        Stored::Confirmed => t(lang, Msg::Confirmed).to_string(),
        Stored::Rejected => t(lang, Msg::Rejected).to_string(),
    }
}

fn verdict_text(lang: Lang, v: Verdict) -> &'static str {
    match v {
        Verdict::Confirmed => t(lang, Msg::Confirmed),
        Verdict::Rejected => t(lang, Msg::Rejected),
    }
}

/// A list drawn in `area` with the selected row kept in view; `rows` are (text, style).
fn draw_list(rows: &[(String, Style)], selected: usize, area: Rect, buf: &mut Buffer, th: Theme) {
    let h = area.height as usize;
    if h == 0 {
        return;
    }
    let top = selected.saturating_sub(h.saturating_sub(1));
    for (i, (y, (s, st))) in (area.y..area.y + area.height)
        .zip(rows.iter().skip(top))
        .enumerate()
    {
        let pos = top + i;
        let style = if pos == selected {
            st.patch(th.selected())
        } else {
            *st
        };
        buf.set_stringn(
            area.x,
            y,
            fit(s, area.width as usize),
            area.width as usize,
            style,
        );
    }
}

/// A text field's line with a cursor after the text.
fn draw_prompt(prefix: &str, input: &str, area: Rect, y: u16, buf: &mut Buffer, th: Theme) {
    let shown = format!("{prefix}{}", sanitize_line(input));
    let w = area.width as usize;
    // The end of a long input stays in view.
    let skip = shown.width().saturating_sub(w.saturating_sub(1));
    let visible: String = shown.chars().skip(skip).collect();
    buf.set_stringn(area.x, y, &visible, w, th.bold());
    let cx = area.x + (visible.width() as u16).min(area.width.saturating_sub(1));
    buf.set_style(Rect::new(cx, y, 1, 1), th.selected());
}

fn draw_classify(app: &App, d: &ClassifyDialog, area: Rect, buf: &mut Buffer, th: Theme) {
    let lang = app.lang;
    let many = d.targets.len() != 1;
    let title = match d.targets.as_slice() {
        [(r, _)] => tf(lang, Msg::ClassifyTitle, &[&r.to_string()]),
        _ => tf(
            lang,
            Msg::ClassifyTitle,
            &[&format!("({})", d.targets.len())],
        ),
    };
    let extra = if many { 2 } else { 0 };
    let inner = overlay_box(
        &title,
        area,
        area.width.saturating_sub(4).min(76),
        (d.lines.len() as u16 + 4 + extra).min(area.height.saturating_sub(2)),
        buf,
    );
    if inner.height < 4 {
        return;
    }
    let mut y = inner.y;
    if many {
        let mut msg = tf(lang, Msg::ClassifyMany, &[&d.targets.len().to_string()]);
        if d.each_own {
            msg = format!("{msg} {}", t(lang, Msg::ClassifyEachOwn));
        }
        buf.set_stringn(inner.x + 1, y, msg, inner.width as usize - 1, th.bold());
        y += 2;
    }
    let name_w = 36usize.min(inner.width as usize / 2);
    let rows: Vec<(String, Style)> = d
        .lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let shown = match (l.choice, l.stored) {
                (Some(Verdict::Confirmed), _) | (None, Stored::Confirmed) => "[✓]",
                (Some(Verdict::Rejected), _) | (None, Stored::Rejected) => "[✗]",
                (None, Stored::Suggested(_) | Stored::SuggestedOn(_)) => "[?]",
                (None, Stored::None) => "[ ]",
            };
            let mut state = stored_text(lang, l.stored);
            if let Some(v) = l.change() {
                state = format!("{state} → {}", verdict_text(lang, v));
            }
            let text = format!(
                "{}{shown} {} {state}",
                if i == d.selected { '>' } else { ' ' },
                fit(
                    &format!(
                        "{} ({})",
                        category_name(lang, l.category),
                        l.category.badge()
                    ),
                    name_w
                ),
            );
            let style = if l.change().is_some() {
                th.bold()
            } else {
                match l.stored {
                    Stored::Suggested(_) | Stored::SuggestedOn(_) => th.fg(Color::Yellow),
                    Stored::Rejected => th.dim(),
                    _ => Style::new(),
                }
            };
            (text, style)
        })
        .collect();
    let list_h = (inner.y + inner.height).saturating_sub(y + 2);
    draw_list(
        &rows,
        d.selected,
        Rect::new(inner.x, y, inner.width, list_h),
        buf,
        th,
    );
    let hint = hints(
        app,
        Context::Checklist,
        &[
            (Action::ConfirmItem, Msg::HintConfirm),
            (Action::RejectItem, Msg::HintReject),
            (Action::UndoItem, Msg::HintUndo),
            (Action::Submit, Msg::HintSave),
            (Action::Cancel, Msg::HintCancel),
        ],
    );
    buf.set_stringn(
        inner.x + 1,
        inner.y + inner.height - 1,
        hint,
        inner.width as usize - 1,
        th.dim(),
    );
}

fn draw_purpose(app: &App, p: &PurposePicker, area: Rect, buf: &mut Buffer, th: Theme) {
    let lang = app.lang;
    let title = match p.step {
        PurposeStep::Purpose => tf(lang, Msg::PurposeTitle, &[&p.reference.to_string()]),
        PurposeStep::Right => tf(lang, Msg::RightTitle, &[&p.reference.to_string()]),
    };
    let inner = overlay_box(
        &title,
        area,
        area.width.saturating_sub(4).min(80),
        area.height.saturating_sub(4).min(22),
        buf,
    );
    if inner.height < 4 {
        return;
    }
    draw_prompt("> ", &p.input, inner, inner.y, buf, th);
    let suggested = app
        .case
        .as_ref()
        .and_then(|c| c.record.live())
        .and_then(|c| match p.step {
            PurposeStep::Purpose => c.enquiry.purpose.clone(),
            PurposeStep::Right => c.enquiry.right.map(|r| r.as_id().to_string()),
        });
    let matches = p.matches(&app.policy);
    let rows: Vec<(String, Style)> = matches
        .iter()
        .enumerate()
        .map(|(pos, &i)| {
            let (id, name) = match p.step {
                PurposeStep::Purpose => {
                    let x = &app.policy.purposes[i];
                    (x.id().to_string(), x.name(lang.language()).to_string())
                }
                PurposeStep::Right => {
                    let r = RightKind::ALL[i];
                    (r.as_id().to_string(), i18n::right(lang, r))
                }
            };
            let mark = if suggested.as_deref() == Some(id.as_str()) {
                format!(" · {}", t(lang, Msg::Suggested))
            } else {
                String::new()
            };
            (
                format!(
                    "{}{}{mark}",
                    if pos == p.selected { '>' } else { ' ' },
                    sanitize_line(&name)
                ),
                Style::new(),
            )
        })
        .collect();
    let list = Rect::new(inner.x, inner.y + 1, inner.width, inner.height - 3);
    if rows.is_empty() {
        buf.set_stringn(
            list.x + 1,
            list.y,
            t(lang, Msg::NothingMatches),
            list.width as usize - 1,
            th.dim(),
        );
    }
    draw_list(&rows, p.selected, list, buf, th);
    let hint = hints(
        app,
        Context::Input,
        &[
            (Action::Down, Msg::HintMove),
            (Action::Submit, Msg::HintChoose),
            (Action::Cancel, Msg::HintBack),
        ],
    );
    buf.set_stringn(
        inner.x + 1,
        inner.y + inner.height - 1,
        format!("{} · {hint}", t(lang, Msg::TypeToFilter)),
        inner.width as usize - 1,
        th.dim(),
    );
}

fn step_name(lang: Lang, s: RouteStep) -> &'static str {
    t(
        lang,
        match s {
            RouteStep::Recipient => Msg::StepRecipient,
            RouteStep::Bases => Msg::StepBases,
            RouteStep::Transfer => Msg::StepTransfer,
            RouteStep::Justification => Msg::StepJustification,
            RouteStep::Confirm => Msg::StepConfirm,
        },
    )
}

fn citation(lang: Lang, b: LegalBasis) -> String {
    match lang {
        Lang::En => b.citation_en(),
        Lang::Da => b.citation_da(),
    }
}

/// Why a basis is not offered, in the interface's language. The domain decides and gives
/// its reason in English; in Danish the same facts are put in Danish, and anything not
/// recognised is shown as the domain gave it.
fn refusal_text(
    lang: Lang,
    recipient: Option<&crate::domain::policy::Recipient>,
    needs: &Needs,
    basis: LegalBasis,
    why: &str,
) -> String {
    use crate::domain::basis::BasisKind;
    let (Lang::Da, Some(r)) = (lang, recipient) else {
        return why.to_string();
    };
    let name = &r.name_da;
    if !r.bases().any(|b| b == basis) {
        return format!("ikke et grundlag for videregivelse til {name}");
    }
    match basis.kind() {
        BasisKind::Art9 if !r.special_categories => tf(lang, Msg::NoSpecial, &[name]),
        BasisKind::Art9 if needs.special.is_empty() => {
            "ingen følsomme oplysninger er bekræftet på sagen".into()
        }
        BasisKind::Art10 if !r.criminal => tf(lang, Msg::NoCriminal, &[name]),
        BasisKind::Art10 if !needs.criminal => {
            "ingen oplysninger om strafbare forhold er bekræftet på sagen".into()
        }
        _ => why.to_string(),
    }
}

fn draw_route(app: &App, w: &RouteWizard, area: Rect, buf: &mut Buffer, th: Theme) {
    let lang = app.lang;
    let steps = w.steps(&app.policy);
    let n = steps.iter().position(|s| *s == w.step).unwrap_or(0) + 1;
    let title = tf(
        lang,
        Msg::RouteTitle,
        &[
            &w.reference.to_string(),
            &n.to_string(),
            &steps.len().to_string(),
            step_name(lang, w.step),
        ],
    );
    let inner = overlay_box(
        &title,
        area,
        area.width.saturating_sub(4).min(100),
        area.height.saturating_sub(2),
        buf,
    );
    if inner.height < 6 {
        return;
    }
    let width = inner.width as usize;
    let recipient = w.recipient.as_deref().and_then(|r| app.policy.recipient(r));
    let recipient_name = recipient
        .map(|r| sanitize_line(r.name(lang.language())).into_owned())
        .unwrap_or_default();

    // The bottom: the reasons it cannot go on, then the keys.
    let ctx = app.context();
    let hint = match w.step {
        RouteStep::Bases => hints(
            app,
            ctx,
            &[
                (Action::ConfirmItem, Msg::HintChoose),
                (Action::RejectItem, Msg::HintLeaveOut),
                (Action::Submit, Msg::HintNext),
                (Action::Cancel, Msg::HintBack),
            ],
        ),
        RouteStep::Confirm => hints(
            app,
            ctx,
            &[
                (Action::Confirm, Msg::HintRoute),
                (Action::Cancel, Msg::HintBack),
            ],
        ),
        RouteStep::Justification => hints(
            app,
            ctx,
            &[
                (Action::Newline, Msg::HintNewline),
                (Action::Submit, Msg::HintNext),
                (Action::Cancel, Msg::HintBack),
            ],
        ),
        _ => hints(
            app,
            ctx,
            &[
                (Action::Submit, Msg::HintNext),
                (Action::Cancel, Msg::HintBack),
            ],
        ),
    };
    let mut bottom: Vec<(String, Style)> = Vec::new();
    if !w.reasons.is_empty() {
        if w.step == RouteStep::Confirm {
            bottom.push((t(lang, Msg::RouteRefused).to_string(), th.error()));
        }
        for r in &w.reasons {
            for (i, l) in wrap_plain(&sanitize_line(r), width.saturating_sub(3))
                .into_iter()
                .enumerate()
            {
                let lead = if i == 0 { " • " } else { "   " };
                bottom.push((format!("{lead}{l}"), th.error()));
            }
        }
    }
    bottom.push((hint, th.dim()));
    let bottom_h = (bottom.len() as u16).min(inner.height / 2);
    let body = Rect::new(inner.x, inner.y, inner.width, inner.height - bottom_h);
    let skip = bottom.len() - bottom_h as usize;
    for (y, (s, st)) in (body.y + body.height..).zip(bottom.iter().skip(skip)) {
        buf.set_stringn(inner.x, y, fit(s, width), width, *st);
    }

    let mut lines: Vec<(String, Style)> = Vec::new();
    match w.step {
        RouteStep::Recipient => {
            draw_prompt("> ", &w.input, body, body.y, buf, th);
            let rows: Vec<(String, Style)> = w
                .recipients(&app.policy)
                .iter()
                .enumerate()
                .map(|(pos, &i)| {
                    let r = &app.policy.recipients[i];
                    (
                        format!(
                            "{}{}",
                            if pos == w.selected { '>' } else { ' ' },
                            sanitize_line(r.name(lang.language()))
                        ),
                        Style::new(),
                    )
                })
                .collect();
            let list = Rect::new(
                body.x,
                body.y + 1,
                body.width,
                body.height.saturating_sub(1),
            );
            if rows.is_empty() {
                buf.set_stringn(
                    list.x + 1,
                    list.y,
                    t(lang, Msg::NothingMatches),
                    width - 1,
                    th.dim(),
                );
            }
            draw_list(&rows, w.selected, list, buf, th);
            return;
        }
        RouteStep::Bases => {
            lines.push((
                format!("{}: {recipient_name}", t(lang, Msg::Recipient)),
                th.bold(),
            ));
            let mut needs: Vec<String> = vec![t(lang, Msg::NeedArt6).to_string()];
            if !w.needs.special.is_empty() {
                let names: Vec<&str> = w
                    .needs
                    .special
                    .iter()
                    .map(|c| category_name(lang, *c))
                    .collect();
                needs.push(tf(lang, Msg::NeedArt9, &[&names.join(", ")]));
                if !w.needs.special_allowed {
                    needs.push(tf(lang, Msg::NoSpecial, &[&recipient_name]));
                }
            }
            if w.needs.criminal {
                needs.push(t(lang, Msg::NeedArt10).to_string());
                if !w.needs.criminal_allowed {
                    needs.push(tf(lang, Msg::NoCriminal, &[&recipient_name]));
                }
            }
            if w.needs.special.is_empty() && !w.needs.criminal {
                needs.push(t(lang, Msg::NeedsNothing).to_string());
            }
            if w.needs.no_purpose {
                needs.push(t(lang, Msg::PurposeFirst).to_string());
            }
            if w.needs.unclassified {
                needs.push(t(lang, Msg::ClassifyFirst).to_string());
            }
            for n in needs {
                for l in wrap_plain(&n, width) {
                    lines.push((l, th.fg(Color::Yellow).add_modifier(Modifier::BOLD)));
                }
            }
            let head = lines.len() as u16 + 1;
            for (y, (s, st)) in (body.y..).zip(lines.iter()) {
                buf.set_stringn(body.x, y, fit(s, width), width, *st);
            }
            let rows: Vec<(String, Style)> = w
                .options
                .iter()
                .enumerate()
                .map(|(pos, o)| {
                    let sel = if pos == w.selected { '>' } else { ' ' };
                    match &o.refused {
                        Some(why) => (
                            format!(
                                "{sel}[-] {} — {}",
                                citation(lang, o.basis),
                                sanitize_line(&refusal_text(
                                    lang, recipient, &w.needs, o.basis, why
                                ))
                            ),
                            th.dim(),
                        ),
                        None => (
                            format!(
                                "{sel}[{}] {}",
                                if w.chosen.contains(&o.basis) {
                                    'x'
                                } else {
                                    ' '
                                },
                                citation(lang, o.basis)
                            ),
                            if w.chosen.contains(&o.basis) {
                                th.bold()
                            } else {
                                Style::new()
                            },
                        ),
                    }
                })
                .collect();
            let list = Rect::new(
                body.x,
                body.y + head.min(body.height),
                body.width,
                body.height.saturating_sub(head),
            );
            draw_list(&rows, w.selected, list, buf, th);
            return;
        }
        RouteStep::Transfer => {
            for l in wrap_plain(&tf(lang, Msg::TransferPrompt, &[&recipient_name]), width) {
                lines.push((l, Style::new()));
            }
            let y = body.y + lines.len() as u16 + 1;
            for (y, (s, st)) in (body.y..).zip(lines.iter()) {
                buf.set_stringn(body.x, y, s, width, *st);
            }
            if y < body.y + body.height {
                draw_prompt("> ", &w.transfer, body, y, buf, th);
            }
            return;
        }
        RouteStep::Justification => {
            for l in wrap_plain(
                &tf(
                    lang,
                    Msg::JustificationPrompt,
                    &[&MIN_JUSTIFICATION.to_string()],
                ),
                width,
            ) {
                lines.push((l, Style::new()));
            }
            lines.push((String::new(), Style::new()));
            let text = sanitize_lines(&w.justification);
            let mut wrapped = wrap_plain(&text, width.saturating_sub(2));
            if let Some(last) = wrapped.last_mut() {
                // The cursor.
                last.push('▏');
            }
            let n = w.justification.trim().chars().count();
            let room = (body.height as usize).saturating_sub(lines.len() + 2);
            let skip = wrapped.len().saturating_sub(room);
            for l in wrapped.into_iter().skip(skip) {
                lines.push((format!("  {l}"), th.bold()));
            }
            lines.push((String::new(), Style::new()));
            lines.push((
                format!("{n}/{MIN_JUSTIFICATION}"),
                if n >= MIN_JUSTIFICATION {
                    th.dim()
                } else {
                    th.fg(Color::Yellow)
                },
            ));
        }
        RouteStep::Confirm => {
            let label_w = 22usize.min(width / 3);
            let mut field = |label: &str, value: &str, st: Style| {
                for (i, l) in wrap_plain(value, width.saturating_sub(label_w + 1))
                    .into_iter()
                    .enumerate()
                {
                    let head = if i == 0 { label } else { "" };
                    lines.push((format!("{} {l}", fit(head, label_w)), st));
                }
            };
            field(t(lang, Msg::Recipient), &recipient_name, th.bold());
            let bases: Vec<String> = w.chosen.iter().map(|b| citation(lang, *b)).collect();
            field(t(lang, Msg::LegalBasis), &bases.join("; "), Style::new());
            if !w.transfer.trim().is_empty() {
                field(
                    t(lang, Msg::Transfer),
                    &sanitize_line(w.transfer.trim()),
                    Style::new(),
                );
            }
            field(
                t(lang, Msg::Justification),
                &sanitize_lines(w.justification.trim()),
                Style::new(),
            );
            let restricted_now = app
                .case
                .as_ref()
                .and_then(|c| c.record.live())
                .is_some_and(|c| c.restriction.is_some());
            let others = app.marks.iter().filter(|r| **r != w.reference).count();
            if others > 0 {
                lines.push((String::new(), Style::new()));
                let text = tf(lang, Msg::AlsoMarked, &[&others.to_string()]);
                for l in wrap_plain(&text, width) {
                    lines.push((l, th.bold()));
                }
            }
            if recipient.is_some_and(|r| r.restricted) && !restricted_now {
                lines.push((String::new(), Style::new()));
                for l in wrap_plain(t(lang, Msg::WillRestrict), width) {
                    lines.push((l, th.fg(Color::Yellow).add_modifier(Modifier::BOLD)));
                }
            }
        }
    }
    for (y, (s, st)) in (body.y..body.y + body.height).zip(lines.iter()) {
        buf.set_stringn(body.x, y, fit(s, width), width, *st);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_cuts_with_an_ellipsis_and_pads() {
        assert_eq!(fit("abc", 5), "abc  ");
        assert_eq!(fit("abcdef", 4), "abc…");
        assert_eq!(fit("æøå", 3), "æøå");
        assert_eq!(fit("日本語", 4), "日… ");
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
