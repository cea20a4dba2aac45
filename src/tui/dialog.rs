//! The decision dialogs over a case (classify, purpose, route): their state and how keys
//! change it. Like `app`, pure data and rules: what reaches the store goes out as effects.

use super::action::Effect;
use super::app::{App, Overlay};
use super::i18n::{t, tf, Lang, Msg};
use super::model::{self, Filter};
use crate::domain::basis::{BasisKind, LegalBasis};
use crate::domain::case::{Case, DisclosureKind, Verdict};
use crate::domain::category::DataCategory;
use crate::domain::command::{Command, RouteRequest, MIN_JUSTIFICATION};
use crate::domain::enquiry::{Reference, RightKind};
use crate::domain::policy::Policy;
use crate::domain::routing::{self, BasisOption};

/// Keystrokes in the justification between two saves of the draft.
pub const DRAFT_EVERY: usize = 20;

/// A category as the store has it for the case.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Stored {
    None,
    /// Found by detection, not yet decided; the confidence from 0 to 1.
    Suggested(f32),
    /// Marked cases: suggested (and undecided) on this many of them.
    SuggestedOn(usize),
    Confirmed,
    Rejected,
}

/// One row of the classify checklist.
#[derive(Debug, Clone, PartialEq)]
pub struct CategoryLine {
    pub category: DataCategory,
    pub stored: Stored,
    /// The decision made in the dialog; None leaves the stored state.
    pub choice: Option<Verdict>,
}

impl CategoryLine {
    /// The decision that would be saved: a choice that differs from what is stored.
    pub fn change(&self) -> Option<Verdict> {
        match (self.choice, self.stored) {
            (Some(Verdict::Confirmed), Stored::Confirmed) => None,
            (Some(Verdict::Rejected), Stored::Rejected) => None,
            (c, _) => c,
        }
    }
}

/// The classify checklist: all categories for one case, or for the marked ones.
#[derive(Debug, Clone, PartialEq)]
pub struct ClassifyDialog {
    /// The cases and the versions the decision is made on.
    pub targets: Vec<(Reference, u64)>,
    pub lines: Vec<CategoryLine>,
    pub selected: usize,
    /// For marked cases: each case's own undecided suggestions (of the categories the queue
    /// knows: Art. 9, Art. 10, CPR), in the order of `targets`.
    pub own: Vec<Vec<DataCategory>>,
    /// Confirm each case's own suggestions, besides the choices made for all.
    pub each_own: bool,
}

impl ClassifyDialog {
    /// The checklist for one case, each category in its stored state.
    pub fn for_case(case: &Case) -> ClassifyDialog {
        let lines = DataCategory::ALL
            .iter()
            .map(|&category| {
                let decided = case.categories.iter().find(|d| d.category == category);
                let stored = match decided.map(|d| d.verdict) {
                    Some(Verdict::Confirmed) => Stored::Confirmed,
                    Some(Verdict::Rejected) => Stored::Rejected,
                    None => case
                        .open_suggestions()
                        .iter()
                        .filter(|s| s.category == category)
                        .map(|s| s.confidence)
                        .fold(None, |m: Option<f32>, c| Some(m.map_or(c, |m| m.max(c))))
                        .map_or(Stored::None, Stored::Suggested),
                };
                CategoryLine {
                    category,
                    stored,
                    choice: None,
                }
            })
            .collect();
        ClassifyDialog {
            targets: vec![(case.reference, case.version)],
            lines,
            selected: 0,
            own: Vec::new(),
            each_own: false,
        }
    }

    /// The checklist for several cases: nothing pre-marked, the decisions apply to each;
    /// each line says on how many of them the category is suggested.
    pub fn for_many(targets: Vec<(Reference, u64)>, own: Vec<Vec<DataCategory>>) -> ClassifyDialog {
        ClassifyDialog {
            lines: DataCategory::ALL
                .iter()
                .map(|&category| {
                    let n = own.iter().filter(|o| o.contains(&category)).count();
                    CategoryLine {
                        category,
                        stored: if n > 0 {
                            Stored::SuggestedOn(n)
                        } else {
                            Stored::None
                        },
                        choice: None,
                    }
                })
                .collect(),
            targets,
            selected: 0,
            own,
            each_own: false,
        }
    }

    /// (confirm, reject): only the changes.
    pub fn changes(&self) -> (Vec<DataCategory>, Vec<DataCategory>) {
        let pick = |v: Verdict| {
            self.lines
                .iter()
                .filter(|l| l.change() == Some(v))
                .map(|l| l.category)
                .collect::<Vec<_>>()
        };
        (pick(Verdict::Confirmed), pick(Verdict::Rejected))
    }
}

/// Which list the purpose picker shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PurposeStep {
    Purpose,
    Right,
}

/// The purpose picker: a fuzzy list over the policy's purposes, then (for data-subject
/// rights) the right invoked.
#[derive(Debug, Clone, PartialEq)]
pub struct PurposePicker {
    pub reference: Reference,
    pub version: u64,
    pub step: PurposeStep,
    pub input: String,
    /// Position in the filtered list.
    pub selected: usize,
    /// The purpose chosen in the first step.
    pub purpose: Option<String>,
    /// Preselected in the right step.
    pub right: Option<RightKind>,
}

/// The purpose that asks which right is invoked.
pub const RIGHTS_PURPOSE: &str = "data-subject-rights";

/// Indexes of `names` (English, Danish) that match `input`, best first; all of them, in
/// order, when the input is empty. Case and æøå are folded on both sides.
pub fn fuzzy(names: &[(String, String)], input: &str) -> Vec<usize> {
    let filter = Filter::new(input);
    if filter.is_empty() {
        return (0..names.len()).collect();
    }
    let mut scored: Vec<(usize, i64)> = names
        .iter()
        .enumerate()
        .filter_map(|(i, (en, da))| {
            let s = [en, da]
                .iter()
                .filter_map(|n| filter.score_text(&model::fold(n)))
                .max()?;
            Some((i, s))
        })
        .collect();
    scored.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    scored.into_iter().map(|(i, _)| i).collect()
}

impl PurposePicker {
    /// The names the current step lists, in English and Danish.
    pub fn names(&self, policy: &Policy) -> Vec<(String, String)> {
        match self.step {
            PurposeStep::Purpose => policy
                .purposes
                .iter()
                .map(|p| (p.name_en.clone(), p.name_da.clone()))
                .collect(),
            PurposeStep::Right => RightKind::ALL
                .iter()
                .map(|&r| {
                    (
                        super::i18n::right(Lang::En, r),
                        super::i18n::right(Lang::Da, r),
                    )
                })
                .collect(),
        }
    }

    /// The filtered list: indexes into the policy's purposes or into `RightKind::ALL`.
    pub fn matches(&self, policy: &Policy) -> Vec<usize> {
        fuzzy(&self.names(policy), &self.input)
    }
}

/// The route wizard's steps, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RouteStep {
    Recipient,
    Bases,
    Transfer,
    Justification,
    Confirm,
}

/// What the case's confirmed categories ask of a disclosure to the chosen recipient.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Needs {
    /// Special categories confirmed on the case (ids).
    pub special: Vec<DataCategory>,
    pub criminal: bool,
    /// The recipient may receive them at all.
    pub special_allowed: bool,
    pub criminal_allowed: bool,
    /// No purpose is set: the store refuses a route until one is.
    pub no_purpose: bool,
    /// Nothing is classified: the store refuses a route until it is.
    pub unclassified: bool,
}

/// The route wizard: recipient, legal bases, transfer basis, justification, confirm.
#[derive(Debug, Clone, PartialEq)]
pub struct RouteWizard {
    pub reference: Reference,
    pub version: u64,
    pub step: RouteStep,
    /// The recipient filter.
    pub input: String,
    /// Position in the current list (recipients filtered, or bases).
    pub selected: usize,
    pub recipient: Option<String>,
    pub options: Vec<BasisOption>,
    pub chosen: Vec<LegalBasis>,
    pub needs: Needs,
    pub transfer: String,
    pub justification: String,
    /// Keystrokes in the justification since the draft was last saved.
    pub unsaved: usize,
    /// Why the wizard cannot go on, or why the store refused: shown until the next key.
    pub reasons: Vec<String>,
    /// The route is with the store; its answer closes the wizard or shows the refusal.
    pub sent: bool,
}

impl RouteWizard {
    pub fn new(case: &Case) -> RouteWizard {
        RouteWizard {
            reference: case.reference,
            version: case.version,
            step: RouteStep::Recipient,
            input: String::new(),
            selected: 0,
            recipient: None,
            options: Vec::new(),
            chosen: Vec::new(),
            needs: Needs::default(),
            transfer: String::new(),
            justification: String::new(),
            unsaved: 0,
            reasons: Vec::new(),
            sent: false,
        }
    }

    /// The recipients matching the filter: indexes into the policy's recipients.
    pub fn recipients(&self, policy: &Policy) -> Vec<usize> {
        let names: Vec<(String, String)> = policy
            .recipients
            .iter()
            .map(|r| (r.name_en.clone(), r.name_da.clone()))
            .collect();
        fuzzy(&names, &self.input)
    }

    /// The steps this route goes through (the transfer basis only outside the EU/EEA).
    pub fn steps(&self, policy: &Policy) -> Vec<RouteStep> {
        let transfer = self
            .recipient
            .as_deref()
            .and_then(|r| policy.recipient(r))
            .is_some_and(|r| r.needs_transfer_basis());
        let mut v = vec![RouteStep::Recipient, RouteStep::Bases];
        if transfer {
            v.push(RouteStep::Transfer);
        }
        v.extend([RouteStep::Justification, RouteStep::Confirm]);
        v
    }

    fn next_step(&self, policy: &Policy) -> RouteStep {
        let steps = self.steps(policy);
        let i = steps.iter().position(|s| *s == self.step).unwrap_or(0);
        steps.get(i + 1).copied().unwrap_or(RouteStep::Confirm)
    }

    fn prev_step(&self, policy: &Policy) -> Option<RouteStep> {
        let steps = self.steps(policy);
        let i = steps.iter().position(|s| *s == self.step)?;
        i.checked_sub(1).map(|j| steps[j])
    }

    /// What is missing from the chosen bases, in words; empty when they may go on.
    pub fn basis_gaps(&self, lang: Lang) -> Vec<String> {
        let has = |k: BasisKind| self.chosen.iter().any(|b| b.kind() == k);
        let mut why = Vec::new();
        if self.needs.no_purpose {
            why.push(t(lang, Msg::PurposeFirst).to_string());
        }
        if self.needs.unclassified {
            why.push(t(lang, Msg::ClassifyFirst).to_string());
        }
        if (!self.needs.special.is_empty() && !self.needs.special_allowed)
            || (self.needs.criminal && !self.needs.criminal_allowed)
        {
            why.push(t(lang, Msg::CannotReceive).to_string());
            return why;
        }
        if !has(BasisKind::Art6) {
            why.push(t(lang, Msg::MissingArt6).to_string());
        }
        if !self.needs.special.is_empty() && !has(BasisKind::Art9) {
            why.push(t(lang, Msg::MissingArt9).to_string());
        }
        if self.needs.criminal && !has(BasisKind::Art10) {
            why.push(t(lang, Msg::MissingArt10).to_string());
        }
        why
    }

    /// The request the confirm step sends.
    pub fn request(&self) -> RouteRequest {
        RouteRequest {
            kind: DisclosureKind::Disclosure,
            recipient: self.recipient.clone().unwrap_or_default(),
            bases: self.chosen.clone(),
            justification: self.justification.trim().to_string(),
            transfer: Some(self.transfer.trim().to_string()).filter(|t| !t.is_empty()),
            waive_restriction: None,
            parties: Vec::new(),
        }
    }
}

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
    if !app.marks.is_empty() {
        let mut marked: Vec<&super::model::Row> = app
            .rows
            .iter()
            .filter(|r| app.marks.contains(&r.reference))
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
    open_then(app, super::action::Action::Classify)
}

/// Opens the selected case (the open is logged) and runs `then` over it when it arrives.
fn open_then(app: &mut App, then: super::action::Action) -> Vec<Effect> {
    match app.selected_row() {
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
        return open_then(app, super::action::Action::SetPurpose);
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
        return open_then(app, super::action::Action::Route);
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

/// `a` in the classify checklist: every suggested category not yet decided in the dialog is
/// confirmed (one key for the common case: detection was right).
pub fn accept_suggestions(app: &mut App) {
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

/// The next row of the route's bases at or after `from` in `step` direction that can be
/// chosen; rows refused for the case are stepped over.
fn next_available(w: &RouteWizard, from: usize, step: isize) -> Option<usize> {
    let mut i = from as isize;
    while i >= 0 && (i as usize) < w.options.len() {
        if w.options[i as usize].refused.is_none() {
            return Some(i as usize);
        }
        i += step;
    }
    None
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
            let confirmed = case.confirmed();
            let options = routing::basis_options(recipient, case);
            if w.recipient.as_deref() != Some(recipient.id()) {
                w.chosen.clear();
            }
            w.recipient = Some(recipient.id().to_string());
            w.needs = Needs {
                special: confirmed
                    .iter()
                    .copied()
                    .filter(|c| c.is_special())
                    .collect(),
                criminal: confirmed.iter().any(|c| c.is_criminal()),
                special_allowed: recipient.special_categories,
                criminal_allowed: recipient.criminal,
                no_purpose: case.purpose.is_none(),
                unclassified: case.categories.is_empty(),
            };
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
            let gaps = w.basis_gaps(lang);
            if gaps.is_empty() {
                w.step = w.next_step(&app.policy);
            } else {
                w.reasons = gaps;
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
                .rows
                .iter()
                .filter(|r| app.marks.contains(&r.reference) && r.reference != w.reference)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fuzzy_folds_case_and_danish_letters_and_ranks() {
        let names = vec![
            ("Police".to_string(), "Politiet".to_string()),
            (
                "Danish Return Agency".to_string(),
                "Hjemrejsestyrelsen".to_string(),
            ),
            (
                "Authorities in other EU/EEA countries".to_string(),
                "Myndigheder i andre EU- og EØS-lande".to_string(),
            ),
        ];
        assert_eq!(fuzzy(&names, ""), vec![0, 1, 2]);
        assert_eq!(fuzzy(&names, "POLIT")[0], 0);
        assert_eq!(fuzzy(&names, "hjem"), vec![1]);
        assert_eq!(fuzzy(&names, "eøs"), vec![2]);
        assert_eq!(fuzzy(&names, "EØS"), vec![2]);
        assert!(fuzzy(&names, "zzz").is_empty());
    }

    #[test]
    fn only_changes_are_saved() {
        let line = |category, stored, choice| CategoryLine {
            category,
            stored,
            choice,
        };
        let d = ClassifyDialog {
            targets: Vec::new(),
            lines: vec![
                line(
                    DataCategory::Health,
                    Stored::Suggested(0.8),
                    Some(Verdict::Confirmed),
                ),
                line(
                    DataCategory::Cpr,
                    Stored::Confirmed,
                    Some(Verdict::Confirmed),
                ),
                line(
                    DataCategory::Religion,
                    Stored::Suggested(0.4),
                    Some(Verdict::Rejected),
                ),
                line(DataCategory::Contact, Stored::None, None),
                line(
                    DataCategory::Criminal,
                    Stored::Rejected,
                    Some(Verdict::Confirmed),
                ),
            ],
            selected: 0,
            own: Vec::new(),
            each_own: false,
        };
        assert_eq!(
            d.changes(),
            (
                vec![DataCategory::Health, DataCategory::Criminal],
                vec![DataCategory::Religion]
            )
        );
    }

    #[test]
    fn the_bases_list_steps_over_rows_that_cannot_be_chosen() {
        let case = crate::domain::fixtures::case("2026-11-20T10:00:00+01:00", "tekst");
        let mut w = RouteWizard::new(&case);
        let opt = |b: LegalBasis, refused: bool| BasisOption {
            basis: b,
            refused: refused.then(|| "not for this recipient".to_string()),
        };
        w.options = vec![
            opt(LegalBasis::Gdpr6('c'), false),
            opt(LegalBasis::Gdpr6('e'), true),
            opt(LegalBasis::Gdpr9('f'), true),
            opt(LegalBasis::Gdpr9('g'), false),
        ];
        assert_eq!(next_available(&w, 1, 1), Some(3));
        assert_eq!(next_available(&w, 2, -1), Some(0));
        assert_eq!(next_available(&w, 4, 1), None);
    }

    #[test]
    fn basis_gaps_name_what_the_categories_need() {
        let case = crate::domain::fixtures::case("2026-11-20T10:00:00+01:00", "tekst");
        let mut w = RouteWizard::new(&case);
        w.needs = Needs {
            special: vec![DataCategory::Health],
            criminal: false,
            special_allowed: true,
            criminal_allowed: true,
            no_purpose: false,
            unclassified: false,
        };
        w.chosen = vec![LegalBasis::Gdpr6('e')];
        assert_eq!(w.basis_gaps(Lang::En), vec![t(Lang::En, Msg::MissingArt9)]);
        w.chosen.push(LegalBasis::Gdpr9('f'));
        assert!(w.basis_gaps(Lang::En).is_empty());
        w.needs.special_allowed = false;
        assert_eq!(
            w.basis_gaps(Lang::Da),
            vec![t(Lang::Da, Msg::CannotReceive)]
        );
    }
}
