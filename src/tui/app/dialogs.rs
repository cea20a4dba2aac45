//! The decision dialogs as keys change them: opened over a case, stepped, typed into, and
//! what reaches the store sent out as effects.

use crate::domain::case::{Case, Verdict};
use crate::domain::command::{Command, MIN_JUSTIFICATION};
use crate::domain::enquiry::{Reference, RightKind};
use crate::domain::routing::{self};
use crate::tui::action::Effect;
use crate::tui::dialog::*;
use crate::tui::i18n::{t, tf, Msg};
use crate::tui::state::{App, Overlay};

/// The live case the dialogs act on: the open one.
fn open_case(app: &App) -> Option<&Case> {
    app.case.as_ref().and_then(|c| c.record.live())
}

/// `c`: the checklist for the open case, for the marked cases, or (after opening it, which
/// is logged) for the selected one.
pub fn open_classify(app: &mut App) -> Vec<Effect> {
    if let Some(case) = open_case(app) {
        app.overlay = Some(Overlay::Classify(ClassifyDialog::for_case(case)));
        return Vec::new();
    }
    if app.case.is_some() {
        app.fail(t(app.lang, Msg::CaseNotLive));
        return Vec::new();
    }
    if !app.queue.marks.is_empty() {
        let mut marked: Vec<&super::model::Row> = app
            .queue
            .rows
            .iter()
            .filter(|r| app.queue.marks.contains(&r.reference))
            .collect();
        marked.sort_by_key(|r| r.reference);
        let targets = marked.iter().map(|r| (r.reference, r.version)).collect();
        let own = marked
            .iter()
            .map(|r| {
                r.badges
                    .iter()
                    .filter(|(_, confirmed)| !confirmed)
                    .map(|(c, _)| c)
                    .collect()
            })
            .collect();
        app.overlay = Some(Overlay::Classify(ClassifyDialog::for_many(targets, own)));
        return Vec::new();
    }
    open_then(app, crate::tui::action::Action::Classify)
}

/// Opens the selected case (the open is logged) and runs `then` over it when it arrives.
fn open_then(app: &mut App, then: crate::tui::action::Action) -> Vec<Effect> {
    match app.queue.selected_row() {
        Some(r) => {
            let reference = r.reference;
            app.after_open = Some(then);
            vec![Effect::OpenCase(reference)]
        }
        None => Vec::new(),
    }
}

/// `p`: the purpose picker for the open case (or the selected one, opened first).
pub fn open_purpose(app: &mut App) -> Vec<Effect> {
    let Some(case) = open_case(app) else {
        if app.case.is_some() {
            app.fail(t(app.lang, Msg::CaseNotLive));
            return Vec::new();
        }
        return open_then(app, crate::tui::action::Action::SetPurpose);
    };
    let current = case
        .purpose
        .as_deref()
        .or(case.enquiry.purpose.as_deref())
        .and_then(|p| app.policy.purposes.iter().position(|x| x.id() == p))
        .unwrap_or(0);
    app.overlay = Some(Overlay::Purpose(PurposePicker {
        reference: case.reference,
        version: case.version,
        step: PurposeStep::Purpose,
        input: String::new(),
        selected: current,
        purpose: None,
        right: case.right.or(case.enquiry.right),
    }));
    Vec::new()
}

/// `R`: the route wizard for the open case (or the selected one, opened first); the
/// draft justification is read back.
pub fn open_route(app: &mut App) -> Vec<Effect> {
    let Some(case) = open_case(app) else {
        if app.case.is_some() {
            app.fail(t(app.lang, Msg::CaseNotLive));
            return Vec::new();
        }
        return open_then(app, crate::tui::action::Action::Route);
    };
    let w = RouteWizard::new(case);
    let reference = w.reference;
    app.overlay = Some(Overlay::Route(Box::new(w)));
    vec![Effect::LoadDraft(reference)]
}

/// Moves the selection in a dialog's list by `delta` (clamped).
pub fn move_in(app: &mut App, delta: isize) {
    let policy = &app.policy;
    let (selected, len) = match &mut app.overlay {
        Some(Overlay::Classify(d)) => (&mut d.selected, d.lines.len()),
        Some(Overlay::Purpose(p)) => {
            let n = p.matches(policy).len();
            (&mut p.selected, n)
        }
        Some(Overlay::Route(w)) => match w.step {
            RouteStep::Recipient => {
                let n = w.recipients(policy).len();
                (&mut w.selected, n)
            }
            RouteStep::Bases => (&mut w.selected, w.options.len()),
            _ => return,
        },
        _ => return,
    };
    let to = (*selected as isize + delta).clamp(0, len.saturating_sub(1) as isize);
    *selected = to as usize;
    // The bases checklist steps over rows that cannot be chosen for this case.
    if let Some(Overlay::Route(w)) = &mut app.overlay {
        if w.step == RouteStep::Bases {
            let step = if delta < 0 { -1 } else { 1 };
            w.selected = next_available(w, w.selected, step)
                .or_else(|| next_available(w, w.selected, -step))
                .unwrap_or(w.selected);
        }
    }
}

/// `a` in a checklist: in classify, every suggested category not yet decided in the dialog
/// is confirmed (one key for the common case: detection was right); in the route's bases,
/// the bases suggested for what the case holds are chosen as well.
pub fn accept_suggestions(app: &mut App) {
    let purpose: Vec<crate::domain::basis::LegalBasis> = open_case(app)
        .and_then(|c| c.purpose.as_deref())
        .and_then(|p| app.policy.purpose(p))
        .map(|p| p.bases().collect())
        .unwrap_or_default();
    let confirmed = open_case(app).map(|c| c.confirmed()).unwrap_or_default();
    let suggested = match &app.overlay {
        Some(Overlay::Route(w)) if w.step == RouteStep::Bases => {
            w.suggested_bases(&app.policy, &confirmed, &purpose)
        }
        _ => Vec::new(),
    };
    if let Some(Overlay::Route(w)) = &mut app.overlay {
        if w.step == RouteStep::Bases {
            w.reasons.clear();
            for b in suggested {
                if !w.chosen.contains(&b) {
                    w.chosen.push(b);
                }
            }
            w.chosen.sort();
        }
        return;
    }
    if let Some(Overlay::Classify(d)) = &mut app.overlay {
        if d.targets.len() > 1 {
            // Marked cases: each gets its own suggestions confirmed, not everyone's.
            d.each_own = !d.each_own;
            return;
        }
        for l in &mut d.lines {
            if matches!(l.stored, Stored::Suggested(_)) && l.choice.is_none() {
                l.choice = Some(Verdict::Confirmed);
            }
        }
    }
}

/// y / n / u in a checklist.
pub fn decide(app: &mut App, choice: Option<Verdict>, undo: bool) {
    match &mut app.overlay {
        Some(Overlay::Classify(d)) => {
            if let Some(l) = d.lines.get_mut(d.selected) {
                l.choice = if undo { None } else { choice };
            }
            // Deciding moves on, as marking does in the queue.
            if !undo && d.selected + 1 < d.lines.len() {
                d.selected += 1;
            }
        }
        Some(Overlay::Route(w)) if w.step == RouteStep::Bases => {
            w.reasons.clear();
            let Some(o) = w.options.get(w.selected) else {
                return;
            };
            if o.refused.is_some() {
                return;
            }
            let b = o.basis;
            let on = w.chosen.contains(&b);
            let want = match (choice, undo) {
                (_, true) | (Some(Verdict::Rejected), _) => false,
                // Space and y toggle a basis.
                _ => !on,
            };
            w.chosen.retain(|x| *x != b);
            if want {
                w.chosen.push(b);
                w.chosen.sort();
            }
            // Deciding moves on, as in classify: one meaning of y everywhere.
            if !undo {
                if let Some(n) = next_available(w, w.selected + 1, 1) {
                    w.selected = n;
                }
            }
        }
        _ => {}
    }
}

/// A character typed into a dialog's text field.
pub fn type_char(app: &mut App, ch: char) -> Vec<Effect> {
    match &mut app.overlay {
        Some(Overlay::Purpose(p)) => {
            p.input.push(ch);
            p.selected = 0;
        }
        Some(Overlay::Route(w)) => {
            w.reasons.clear();
            match w.step {
                RouteStep::Recipient => {
                    w.input.push(ch);
                    w.selected = 0;
                }
                RouteStep::Transfer => w.transfer.push(ch),
                RouteStep::Justification => {
                    w.justification.push(ch);
                    return typed(w);
                }
                _ => {}
            }
        }
        _ => {}
    }
    Vec::new()
}

/// Pasted text into a dialog's text field, as one edit (one draft save at most).
pub fn type_text(app: &mut App, text: &str) -> Vec<Effect> {
    match &mut app.overlay {
        Some(Overlay::Purpose(p)) => {
            p.input.push_str(text);
            p.selected = 0;
        }
        Some(Overlay::Route(w)) => {
            w.reasons.clear();
            match w.step {
                RouteStep::Recipient => {
                    w.input.push_str(text);
                    w.selected = 0;
                }
                RouteStep::Transfer => w.transfer.push_str(text),
                RouteStep::Justification => {
                    w.justification.push_str(text);
                    w.unsaved = 0;
                    return vec![save_draft(w)];
                }
                _ => {}
            }
        }
        _ => {}
    }
    Vec::new()
}

/// Counts a keystroke in the justification; every `DRAFT_EVERY` the draft is saved.
fn typed(w: &mut RouteWizard) -> Vec<Effect> {
    w.unsaved += 1;
    if w.unsaved >= DRAFT_EVERY {
        w.unsaved = 0;
        return vec![save_draft(w)];
    }
    Vec::new()
}

fn save_draft(w: &RouteWizard) -> Effect {
    Effect::SaveDraft {
        reference: w.reference,
        text: w.justification.clone(),
    }
}

/// Backspace, Ctrl-U, Ctrl-W in a dialog's text field.
pub fn edit(app: &mut App, f: &dyn Fn(&mut String)) -> Vec<Effect> {
    match &mut app.overlay {
        Some(Overlay::Purpose(p)) => {
            f(&mut p.input);
            p.selected = 0;
        }
        Some(Overlay::Route(w)) => {
            w.reasons.clear();
            match w.step {
                RouteStep::Recipient => {
                    f(&mut w.input);
                    w.selected = 0;
                }
                RouteStep::Transfer => f(&mut w.transfer),
                RouteStep::Justification => {
                    f(&mut w.justification);
                    return typed(w);
                }
                _ => {}
            }
        }
        _ => {}
    }
    Vec::new()
}

/// Enter in a dialog: save, choose, or go on to the next step.
pub fn submit(app: &mut App) -> Vec<Effect> {
    let lang = app.lang;
    match app.overlay.take() {
        Some(Overlay::Classify(d)) => {
            let (confirm, reject) = d.changes();
            if confirm.is_empty() && reject.is_empty() && !d.each_own {
                app.say(t(lang, Msg::NoChanges));
                return Vec::new();
            }
            d.targets
                .iter()
                .enumerate()
                .filter_map(|(i, &(reference, expected))| {
                    let mut confirm = confirm.clone();
                    if d.each_own {
                        let own = d.own.get(i).map(Vec::as_slice).unwrap_or(&[]);
                        confirm.extend(own.iter().filter(|c| !reject.contains(c)));
                        confirm.sort();
                        confirm.dedup();
                    }
                    (!confirm.is_empty() || !reject.is_empty()).then(|| Effect::Execute {
                        reference,
                        expected,
                        command: Command::Classify {
                            confirm,
                            reject: reject.clone(),
                        },
                    })
                })
                .collect()
        }
        Some(Overlay::Purpose(mut p)) => {
            let list = p.matches(&app.policy);
            let Some(&i) = list.get(p.selected) else {
                app.overlay = Some(Overlay::Purpose(p));
                return Vec::new();
            };
            let (purpose, right) = match p.step {
                PurposeStep::Purpose => {
                    let id = app.policy.purposes[i].id().to_string();
                    if id == RIGHTS_PURPOSE {
                        p.step = PurposeStep::Right;
                        p.input.clear();
                        p.selected = p
                            .right
                            .and_then(|r| RightKind::ALL.iter().position(|x| *x == r))
                            .unwrap_or(0);
                        p.purpose = Some(id);
                        app.overlay = Some(Overlay::Purpose(p));
                        return Vec::new();
                    }
                    (id, None)
                }
                PurposeStep::Right => (
                    p.purpose.clone().unwrap_or_default(),
                    Some(RightKind::ALL[i]),
                ),
            };
            vec![Effect::Execute {
                reference: p.reference,
                expected: p.version,
                command: Command::SetPurpose { purpose, right },
            }]
        }
        Some(Overlay::Route(mut w)) => {
            let effects = route_submit(app, &mut w);
            app.overlay = Some(Overlay::Route(w));
            effects
        }
        other => {
            app.overlay = other;
            Vec::new()
        }
    }
}

fn route_submit(app: &mut App, w: &mut RouteWizard) -> Vec<Effect> {
    let lang = app.lang;
    w.reasons.clear();
    match w.step {
        RouteStep::Recipient => {
            let list = w.recipients(&app.policy);
            let Some(&i) = list.get(w.selected) else {
                return Vec::new();
            };
            let recipient = &app.policy.recipients[i];
            let Some(case) = open_case(app) else {
                return Vec::new();
            };
            let options = routing::basis_options(&app.policy, recipient, case);
            if w.recipient.as_deref() != Some(recipient.id()) {
                w.chosen.clear();
            }
            w.recipient = Some(recipient.id().to_string());
            // What the case asks of any disclosure there, before a basis is chosen.
            w.needs = routing::basis_problems(&app.policy, recipient, case, &[])
                .into_iter()
                .filter(|p| *p != routing::RouteProblem::NoBasis)
                .collect();
            // Keep only what is still offered for this recipient.
            w.chosen
                .retain(|b| options.iter().any(|o| o.basis == *b && o.refused.is_none()));
            w.selected = options
                .iter()
                .position(|o| o.refused.is_none())
                .unwrap_or(0);
            w.options = options;
            w.step = RouteStep::Bases;
        }
        RouteStep::Bases => {
            let Some(case) = open_case(app) else {
                return Vec::new();
            };
            let gaps = w.basis_gaps(&app.policy, case);
            if gaps.is_empty() {
                w.step = w.next_step(&app.policy);
            } else {
                w.reasons = gaps.iter().map(|p| p.text(lang.language())).collect();
            }
        }
        RouteStep::Transfer => {
            if w.transfer.trim().is_empty() {
                w.reasons = vec![t(lang, Msg::TransferEmpty).to_string()];
            } else {
                w.step = w.next_step(&app.policy);
            }
        }
        RouteStep::Justification => {
            let n = w.justification.trim().chars().count();
            let save = save_draft(w);
            w.unsaved = 0;
            if n < MIN_JUSTIFICATION {
                w.reasons = vec![tf(
                    lang,
                    Msg::JustificationShort,
                    &[&MIN_JUSTIFICATION.to_string(), &n.to_string()],
                )];
            } else {
                w.step = RouteStep::Confirm;
            }
            return vec![save];
        }
        RouteStep::Confirm => {
            if w.sent {
                return Vec::new();
            }
            w.sent = true;
            let mut effects = vec![Effect::Execute {
                reference: w.reference,
                expected: w.version,
                command: Command::Route(w.request()),
            }];
            // Bulk: the same disclosure, with the same justification, for every other
            // marked case, each its own command; the store refuses any whose categories
            // the chosen bases do not cover, with the reason.
            let mut others: Vec<(Reference, u64)> = app
                .queue
                .rows
                .iter()
                .filter(|r| app.queue.marks.contains(&r.reference) && r.reference != w.reference)
                .map(|r| (r.reference, r.version))
                .collect();
            others.sort_by_key(|x| x.0);
            effects.extend(
                others
                    .into_iter()
                    .map(|(reference, expected)| Effect::Execute {
                        reference,
                        expected,
                        command: Command::Route(w.request()),
                    }),
            );
            return effects;
        }
    }
    Vec::new()
}

/// Esc in a dialog: back one step, or close (a route's draft stays).
pub fn cancel(app: &mut App) -> Vec<Effect> {
    match app.overlay.take() {
        Some(Overlay::Purpose(mut p)) if p.step == PurposeStep::Right => {
            p.step = PurposeStep::Purpose;
            p.input.clear();
            p.selected = p
                .purpose
                .as_deref()
                .and_then(|id| app.policy.purposes.iter().position(|x| x.id() == id))
                .unwrap_or(0);
            app.overlay = Some(Overlay::Purpose(p));
            Vec::new()
        }
        Some(Overlay::Route(mut w)) => {
            w.reasons.clear();
            w.sent = false;
            let leaving = w.step;
            match w.prev_step(&app.policy) {
                Some(prev) => {
                    w.step = prev;
                    if prev == RouteStep::Recipient {
                        w.selected = w
                            .recipient
                            .as_deref()
                            .and_then(|id| {
                                w.recipients(&app.policy)
                                    .into_iter()
                                    .position(|i| app.policy.recipients[i].id() == id)
                            })
                            .unwrap_or(0);
                    }
                    if prev == RouteStep::Bases {
                        w.selected = w.selected.min(w.options.len().saturating_sub(1));
                    }
                    let reference = w.reference;
                    let text = w.justification.clone();
                    app.overlay = Some(Overlay::Route(w));
                    if leaving == RouteStep::Justification {
                        return vec![Effect::SaveDraft { reference, text }];
                    }
                    Vec::new()
                }
                None => Vec::new(),
            }
        }
        _ => Vec::new(),
    }
}

/// A line break in the justification.
pub fn newline(app: &mut App) -> Vec<Effect> {
    if let Some(Overlay::Route(w)) = &mut app.overlay {
        if w.step == RouteStep::Justification {
            w.justification.push('\n');
            return typed(w);
        }
    }
    Vec::new()
}

/// The store saved a case: a sent route closes its wizard and clears the draft.
pub fn saved(app: &mut App, reference: Reference) -> Vec<Effect> {
    if let Some(Overlay::Route(w)) = &app.overlay {
        if w.reference == reference && w.sent {
            app.overlay = None;
            return vec![Effect::SaveDraft {
                reference,
                text: String::new(),
            }];
        }
    }
    Vec::new()
}

/// The store refused: a sent route shows every reason and keeps the input. Returns false
/// when no wizard was waiting (the status bar then shows it).
pub fn refused(app: &mut App, reasons: Vec<String>) -> bool {
    if let Some(Overlay::Route(w)) = &mut app.overlay {
        if w.sent {
            w.sent = false;
            w.reasons = reasons;
            return true;
        }
    }
    false
}

/// The draft read back when the wizard opened: it fills an untouched justification.
pub fn draft_loaded(app: &mut App, reference: Reference, text: Option<String>) {
    if let (Some(Overlay::Route(w)), Some(text)) = (&mut app.overlay, text) {
        if w.reference == reference && w.justification.is_empty() {
            w.justification = text;
        }
    }
}
