//! The decision dialogs over a case (classify, purpose, route): their state and its rules.

use super::i18n::Lang;
use super::model::{self, Filter};
use crate::domain::basis::{BasisKind, LegalBasis};
use crate::domain::case::{Case, DisclosureKind, Verdict};
use crate::domain::category::DataCategory;
use crate::domain::command::RouteRequest;
use crate::domain::enquiry::{Reference, RightKind};
use crate::domain::policy::Policy;
use crate::domain::routing::{self, BasisOption, RouteProblem};

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
    /// What a disclosure of the case to the chosen recipient needs before any basis is
    /// chosen (the domain's problems with no basis named), shown above the bases.
    pub needs: Vec<RouteProblem>,
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
            needs: Vec::new(),
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

    pub fn next_step(&self, policy: &Policy) -> RouteStep {
        let steps = self.steps(policy);
        let i = steps.iter().position(|s| *s == self.step).unwrap_or(0);
        steps.get(i + 1).copied().unwrap_or(RouteStep::Confirm)
    }

    pub fn prev_step(&self, policy: &Policy) -> Option<RouteStep> {
        let steps = self.steps(policy);
        let i = steps.iter().position(|s| *s == self.step)?;
        i.checked_sub(1).map(|j| steps[j])
    }

    /// What the chosen bases lack, as the domain's routing rules say; empty when they may go
    /// on to the justification.
    pub fn basis_gaps(&self, policy: &Policy, case: &Case) -> Vec<RouteProblem> {
        let Some(recipient) = self.recipient.as_deref().and_then(|r| policy.recipient(r)) else {
            return vec![RouteProblem::UnknownRecipient {
                recipient: self.recipient.clone().unwrap_or_default(),
            }];
        };
        routing::basis_problems(policy, recipient, case, &self.chosen)
    }

    /// The bases to suggest for this case and recipient: an Art. 6 basis, then for each
    /// category rule of the policy the confirmed categories bring into play (Art. 9(2) for
    /// special categories, Art. 10 for criminal data, DPA § 11 for a CPR number …) a basis
    /// that meets it; each time the purpose's own basis first, else the first offered one.
    /// Only rows the wizard offers are suggested; nothing where the recipient may not
    /// receive the data at all.
    pub fn suggested_bases(
        &self,
        policy: &Policy,
        confirmed: &[DataCategory],
        purpose: &[LegalBasis],
    ) -> Vec<LegalBasis> {
        let refused = self.needs.iter().any(|p| {
            matches!(
                p,
                RouteProblem::RecipientRefusesSpecialCategories { .. }
                    | RouteProblem::RecipientRefusesCriminalData { .. }
            )
        });
        if refused {
            return Vec::new();
        }
        let offered: Vec<LegalBasis> = self
            .options
            .iter()
            .filter(|o| o.refused.is_none())
            .map(|o| o.basis)
            .collect();
        let pick = |fits: &dyn Fn(LegalBasis) -> bool| {
            let mut fitting = offered.iter().copied().filter(|b| fits(*b));
            let first = fitting.clone().next();
            fitting.find(|b| purpose.contains(b)).or(first)
        };
        let mut out: Vec<LegalBasis> = pick(&|b| b.kind() == BasisKind::Art6).into_iter().collect();
        for need in routing::category_needs(policy, confirmed) {
            if out.iter().any(|b| need.rule.accepts(*b)) {
                continue;
            }
            out.extend(pick(&|b| need.rule.accepts(b)));
        }
        out.sort();
        out.dedup();
        out
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

/// The next row of the route's bases at or after `from` in `step` direction that can be
/// chosen; rows refused for the case are stepped over.
pub fn next_available(w: &RouteWizard, from: usize, step: isize) -> Option<usize> {
    let mut i = from as isize;
    while i >= 0 && (i as usize) < w.options.len() {
        if w.options[i as usize].refused.is_none() {
            return Some(i as usize);
        }
        i += step;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::routing::{BasisRefusal, RecipientName};

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
            refused: refused.then_some(routing::BasisRefusal::NoCriminalDataConfirmed),
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
    fn basis_gaps_are_the_domain_rules() {
        use crate::domain::case::{CategoryDecision, Verdict};
        use crate::domain::enquiry::Language;
        let policy = crate::domain::fixtures::policy();
        let mut case = crate::domain::fixtures::case("2026-11-20T10:00:00+01:00", "tekst");
        case.purpose = Some("citizen-enquiries".into());
        let decided = case.registered.clone();
        case.categories = [DataCategory::Health, DataCategory::Cpr]
            .into_iter()
            .map(|category| CategoryDecision {
                category,
                verdict: Verdict::Confirmed,
                decided: decided.clone(),
            })
            .collect();
        let mut w = RouteWizard::new(&case);
        w.recipient = Some("pet".into());
        w.chosen = vec![LegalBasis::Gdpr6('e')];
        let gaps = w.basis_gaps(&policy, &case);
        assert!(
            matches!(gaps[0], RouteProblem::MissingArt9Basis { .. }),
            "{gaps:?}"
        );
        assert!(
            gaps[1]
                .text(Language::En)
                .contains("Data Protection Act § 11"),
            "{gaps:?}"
        );
        w.chosen
            .extend([LegalBasis::Gdpr9('f'), LegalBasis::DataProtectionAct11]);
        assert_eq!(w.basis_gaps(&policy, &case), vec![]);
        w.recipient = Some("employers".into());
        assert!(w
            .basis_gaps(&policy, &case)
            .iter()
            .any(|p| matches!(p, RouteProblem::RecipientRefusesSpecialCategories { .. })));
    }

    #[test]
    fn suggested_bases_cover_what_the_case_needs_from_what_is_offered() {
        let policy = crate::domain::fixtures::policy();
        let case = crate::domain::fixtures::case("2026-11-20T10:00:00+01:00", "tekst");
        let mut w = RouteWizard::new(&case);
        let refused = BasisRefusal::NoSpecialCategoryConfirmed;
        let opt = |b: LegalBasis, no: bool| BasisOption {
            basis: b,
            refused: no.then(|| refused.clone()),
        };
        w.options = vec![
            opt(LegalBasis::Gdpr6('a'), true),
            opt(LegalBasis::Gdpr6('c'), false),
            opt(LegalBasis::Gdpr6('e'), false),
            opt(LegalBasis::Gdpr9('f'), true),
            opt(LegalBasis::Gdpr9('g'), false),
            opt(LegalBasis::Gdpr10, false),
        ];
        // Art. 6 only; the purpose's own basis first, else the first offered.
        assert_eq!(
            w.suggested_bases(&policy, &[], &[]),
            vec![LegalBasis::Gdpr6('c')]
        );
        assert_eq!(
            w.suggested_bases(
                &policy,
                &[],
                &[LegalBasis::Gdpr6('e'), LegalBasis::Gdpr6('a')]
            ),
            vec![LegalBasis::Gdpr6('e')]
        );
        // Special categories and criminal data: an offered Art. 9 ground (9(2)(f) is refused
        // here) and an Art. 10 basis, as the policy's rules ask.
        let held = [DataCategory::Health, DataCategory::Criminal];
        assert_eq!(
            w.suggested_bases(&policy, &held, &[]),
            vec![
                LegalBasis::Gdpr6('c'),
                LegalBasis::Gdpr9('g'),
                LegalBasis::Gdpr10
            ]
        );
        // A confirmed CPR number: § 11 where the recipient offers it.
        let cpr = [DataCategory::Cpr];
        assert!(!w
            .suggested_bases(&policy, &cpr, &[])
            .contains(&LegalBasis::DataProtectionAct11));
        w.options.push(opt(LegalBasis::DataProtectionAct11, false));
        assert!(w
            .suggested_bases(&policy, &cpr, &[])
            .contains(&LegalBasis::DataProtectionAct11));
        assert!(!w
            .suggested_bases(&policy, &[], &[])
            .contains(&LegalBasis::DataProtectionAct11));
        // A recipient that may not receive them: nothing is suggested.
        w.needs = vec![RouteProblem::RecipientRefusesCriminalData {
            recipient: RecipientName {
                id: "x".into(),
                en: "X".into(),
                da: "X".into(),
            },
        }];
        assert!(w.suggested_bases(&policy, &held, &[]).is_empty());
    }
}
