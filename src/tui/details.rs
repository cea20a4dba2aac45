//! The details of an open case as lines (categories, purpose, clocks, disclosures, history):
//! drawn beside the text, and counted by the state to bound scrolling.

use crate::domain::case::Verdict;
use crate::domain::clock;
use crate::domain::danish_time::DanishDay;
use crate::domain::sanitize::sanitize_line;
use crate::tui::i18n::{self, t, Lang, Msg};
use crate::tui::model::{self};
use crate::tui::state::{App, CaseView};
use crate::tui::text::{self, Mark};

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
                i18n::badge(lang, d.category)
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
                i18n::badge(lang, s.category),
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
            format!(" {}: {}", t(lang, Msg::Right), i18n::right(lang, r)),
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
                i18n::retention_reason(lang, &r)
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
        let bases: Vec<String> = d.bases.iter().map(|b| i18n::basis(lang, *b)).collect();
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

    // Every note in full (a phone call, an answer's summary, a closing reason): the
    // history below names only that a note was made.
    if !case.notes.is_empty() {
        push(t(lang, Msg::Notes).into(), SideKind::Heading);
        for n in &case.notes {
            let said = crate::tui::i18n_show::note(lang, &n.text);
            let text = if c.revealed {
                sanitize_line(&said).into_owned()
            } else {
                sanitize_line(&crate::domain::cpr::mask_cprs(&said)).into_owned()
            };
            push(
                format!(
                    " {} {}: {text}",
                    n.made.at.danish_day(),
                    sanitize_line(&n.made.by)
                ),
                SideKind::Normal,
            );
        }
    }

    push(t(lang, Msg::History).into(), SideKind::Heading);
    for e in &c.events {
        let what = i18n::action(lang, e.change.action());
        push(
            format!(
                " {} {} {}",
                e.at.danish_minute(),
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
