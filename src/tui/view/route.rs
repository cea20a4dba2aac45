//! The route wizard drawn: recipient, legal bases with why each is unavailable, transfer, justification, confirm.

use super::parts::{draw_list, draw_prompt, fit, hints, overlay_box, sanitize_lines, wrap_plain};
use super::theme::Theme;
use crate::domain::basis::LegalBasis;
use crate::domain::command::MIN_JUSTIFICATION;
use crate::domain::routing::RouteProblem;
use crate::domain::sanitize::sanitize_line;
use crate::tui::action::Action;
use crate::tui::dialog::{RouteStep, RouteWizard};
use crate::tui::i18n::{t, tf, Lang, Msg};
use crate::tui::state::App;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};

pub(super) fn step_name(lang: Lang, s: RouteStep) -> &'static str {
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

pub(super) fn citation(lang: Lang, b: LegalBasis) -> String {
    match lang {
        Lang::En => b.citation_en(),
        Lang::Da => b.citation_da(),
    }
}

pub(super) fn draw_route(app: &App, w: &RouteWizard, area: Rect, buf: &mut Buffer, th: Theme) {
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
                (Action::AcceptSuggestions, Msg::HintSuggested),
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
            // What the domain's routing rules ask of any disclosure of this case there.
            let mut needs: Vec<String> = w
                .needs
                .iter()
                .map(|p| match p {
                    RouteProblem::NeedsArt6 => t(lang, Msg::NeedArt6).to_string(),
                    p => p.text(lang.language()),
                })
                .collect();
            if !w.needs.iter().any(|p| {
                matches!(
                    p,
                    RouteProblem::MissingArt9Basis { .. }
                        | RouteProblem::MissingArt10Basis
                        | RouteProblem::MissingCategoryBasis { .. }
                        | RouteProblem::RecipientRefusesSpecialCategories { .. }
                        | RouteProblem::RecipientRefusesCriminalData { .. }
                )
            }) {
                needs.push(t(lang, Msg::NeedsNothing).to_string());
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
                                sanitize_line(&why.text(lang.language()))
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
            let others = app
                .queue
                .marks
                .iter()
                .filter(|r| **r != w.reference)
                .count();
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
