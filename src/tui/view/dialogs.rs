//! The decision dialogs drawn: the case commands, classify and the purpose picker.

use super::parts::{
    category_name, draw_list, draw_prompt, fit, hints, overlay_box, sanitize_lines, wrap_plain,
};
use super::theme::Theme;
use crate::domain::case::Verdict;
use crate::domain::enquiry::RightKind;
use crate::domain::sanitize::sanitize_line;
use crate::tui::action::Action;
use crate::tui::dialog::{ClassifyDialog, PurposePicker, PurposeStep, Stored};
use crate::tui::i18n::{self, t, tf, Lang, Msg};
use crate::tui::keymap::Context;
use crate::tui::state::App;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Style};

/// A case command: the text being written, or what will happen when it is given.
pub(super) fn draw_command(
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

pub(super) fn stored_text(lang: Lang, s: Stored) -> String {
    match s {
        Stored::None => t(lang, Msg::None).to_string(),
        Stored::Suggested(c) => format!("{} {:.0}%", t(lang, Msg::Suggested), c * 100.0),
        Stored::SuggestedOn(n) => tf(lang, Msg::SuggestedOn, &[&n.to_string()]),
        Stored::Confirmed => t(lang, Msg::Confirmed).to_string(),
        Stored::Rejected => t(lang, Msg::Rejected).to_string(),
    }
}

pub(super) fn verdict_text(lang: Lang, v: Verdict) -> &'static str {
    match v {
        Verdict::Confirmed => t(lang, Msg::Confirmed),
        Verdict::Rejected => t(lang, Msg::Rejected),
    }
}

pub(super) fn draw_classify(
    app: &App,
    d: &ClassifyDialog,
    area: Rect,
    buf: &mut Buffer,
    th: Theme,
) {
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

pub(super) fn draw_purpose(app: &App, p: &PurposePicker, area: Rect, buf: &mut Buffer, th: Theme) {
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
