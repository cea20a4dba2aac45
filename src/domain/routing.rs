//! Routing checks: which legal bases a disclosure may rest on, and why others are refused.
//!
//! The rules live here once; they answer with typed values (`RouteProblem`, `BasisRefusal`)
//! that the CLI, the server and the interface render in the reader's language.

use super::basis::{BasisKind, LegalBasis};
use super::case::{Case, DisclosureKind};
use super::category::DataCategory;
use super::command::{RouteRequest, MIN_JUSTIFICATION};
use super::policy::{CategoryRule, CategorySelector, Policy, Recipient};
pub use super::route_problem::{BasisRefusal, RecipientName, RouteProblem};
use serde::Serialize;

/// One basis as the route wizard shows it: offered, or refused with the reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BasisOption {
    pub basis: LegalBasis,
    pub refused: Option<BasisRefusal>,
}

/// A category rule of the policy that the case's confirmed categories bring into play.
#[derive(Debug, Clone)]
pub struct CategoryNeed<'p> {
    pub rule: &'p CategoryRule,
    /// The confirmed categories the rule applies to.
    pub categories: Vec<DataCategory>,
}

impl CategoryNeed<'_> {
    /// The problem of a disclosure whose bases do not meet the rule.
    pub fn problem(&self) -> RouteProblem {
        let special = self.rule.selector() == Some(CategorySelector::Special);
        let kinds: Vec<BasisKind> = self.rule.kinds().collect();
        let bases: Vec<LegalBasis> = self.rule.named_bases().collect();
        let criminal_only = self.categories == [DataCategory::Criminal];
        match (kinds.as_slice(), bases.is_empty()) {
            ([BasisKind::Art9], true) if special => RouteProblem::MissingArt9Basis {
                categories: self.categories.clone(),
            },
            ([BasisKind::Art10], true) if criminal_only => RouteProblem::MissingArt10Basis,
            _ => RouteProblem::MissingCategoryBasis {
                categories: self.categories.clone(),
                special,
                kinds,
                bases,
            },
        }
    }
}

/// The policy's category rules that apply to a case with these confirmed categories.
pub fn category_needs<'p>(policy: &'p Policy, confirmed: &[DataCategory]) -> Vec<CategoryNeed<'p>> {
    policy
        .category_rules
        .iter()
        .filter_map(|rule| {
            let categories = rule.applies_to(confirmed);
            (!categories.is_empty()).then_some(CategoryNeed { rule, categories })
        })
        .collect()
}

/// Whether a basis is there only for some categories (an Art. 9 or Art. 10 basis, or one a
/// category rule names), so offering it on a case without them would mislead.
fn bound_to_categories(policy: &Policy, basis: LegalBasis) -> bool {
    match basis.kind() {
        BasisKind::Art9 | BasisKind::Art10 => true,
        BasisKind::Art6 => false,
        BasisKind::Statute => policy
            .category_rules
            .iter()
            .any(|r| r.named_bases().any(|b| b == basis)),
    }
}

/// The bases a disclosure of `case` to `recipient` could rest on, each with why it is not
/// offered where it is not.
pub fn basis_options(policy: &Policy, recipient: &Recipient, case: &Case) -> Vec<BasisOption> {
    let confirmed = case.confirmed();
    let needs = category_needs(policy, &confirmed);
    let name = || RecipientName::of(recipient);
    LegalBasis::all()
        .into_iter()
        .map(|basis| {
            let refused = if !recipient.bases().any(|b| b == basis) {
                Some(BasisRefusal::NotForRecipient { recipient: name() })
            } else {
                match basis.kind() {
                    BasisKind::Art9 if !recipient.special_categories => {
                        Some(BasisRefusal::RecipientRefusesSpecialCategories { recipient: name() })
                    }
                    BasisKind::Art10 if !recipient.criminal => {
                        Some(BasisRefusal::RecipientRefusesCriminalData { recipient: name() })
                    }
                    kind if bound_to_categories(policy, basis)
                        && !needs.iter().any(|n| n.rule.accepts(basis)) =>
                    {
                        Some(match kind {
                            BasisKind::Art9 => BasisRefusal::NoSpecialCategoryConfirmed,
                            BasisKind::Art10 => BasisRefusal::NoCriminalDataConfirmed,
                            _ => BasisRefusal::CategoryNotConfirmed {
                                categories: served_by(policy, basis),
                            },
                        })
                    }
                    _ => None,
                }
            };
            BasisOption { basis, refused }
        })
        .collect()
}

/// The categories the rules naming `basis` are for (one category rules only).
fn served_by(policy: &Policy, basis: LegalBasis) -> Vec<DataCategory> {
    let mut v: Vec<DataCategory> = Vec::new();
    for rule in policy.category_rules.iter().filter(|r| r.accepts(basis)) {
        if let Some(CategorySelector::One(c)) = rule.selector() {
            if !v.contains(&c) {
                v.push(c);
            }
        }
    }
    v
}

/// What the chosen bases lack for a disclosure of `case` to `recipient`: the purpose and
/// classification, the recipient's limits, the Art. 6 basis and the policy's category rules.
/// The route wizard asks this before the justification; `check` asks it too.
pub fn basis_problems(
    policy: &Policy,
    recipient: &Recipient,
    case: &Case,
    bases: &[LegalBasis],
) -> Vec<RouteProblem> {
    let mut why = Vec::new();
    if case.purpose.is_none() {
        why.push(RouteProblem::NoPurpose);
    }
    if case.categories.is_empty() {
        why.push(RouteProblem::NotClassified);
    }
    if bases.is_empty() {
        why.push(RouteProblem::NoBasis);
    }
    for b in bases {
        if !recipient.bases().any(|r| r == *b) {
            why.push(RouteProblem::BasisNotForRecipient {
                basis: *b,
                recipient: RecipientName::of(recipient),
            });
        }
    }
    if !bases.iter().any(|b| b.kind() == BasisKind::Art6) {
        why.push(RouteProblem::NeedsArt6);
    }
    let confirmed = case.confirmed();
    let special: Vec<DataCategory> = confirmed
        .iter()
        .copied()
        .filter(|c| c.is_special())
        .collect();
    let refuses_special = !special.is_empty() && !recipient.special_categories;
    if refuses_special {
        why.push(RouteProblem::RecipientRefusesSpecialCategories {
            recipient: RecipientName::of(recipient),
            categories: special,
        });
    }
    let refuses_criminal = confirmed.iter().any(|c| c.is_criminal()) && !recipient.criminal;
    if refuses_criminal {
        why.push(RouteProblem::RecipientRefusesCriminalData {
            recipient: RecipientName::of(recipient),
        });
    }
    for need in category_needs(policy, &confirmed) {
        // Categories the recipient may not receive at all are refused above; asking for a
        // basis for them too would send the caseworker after one that cannot help.
        let refused_anyway = need
            .categories
            .iter()
            .all(|c| (c.is_special() && refuses_special) || (c.is_criminal() && refuses_criminal));
        if refused_anyway || bases.iter().any(|b| need.rule.accepts(*b)) {
            continue;
        }
        why.push(need.problem());
    }
    why
}

/// Checks a route request against the policy and the case. Returns every reason it fails.
pub fn check(policy: &Policy, case: &Case, req: &RouteRequest) -> Result<(), Vec<RouteProblem>> {
    let Some(recipient) = policy.recipient(&req.recipient) else {
        return Err(vec![RouteProblem::UnknownRecipient {
            recipient: req.recipient.clone(),
        }]);
    };
    let mut why = basis_problems(policy, recipient, case, &req.bases);
    if req.justification.trim().chars().count() < MIN_JUSTIFICATION {
        // In the order a person fills the request in: after the case, before the bases.
        let at = why
            .iter()
            .position(|p| !matches!(p, RouteProblem::NoPurpose | RouteProblem::NotClassified))
            .unwrap_or(why.len());
        why.insert(
            at,
            RouteProblem::JustificationTooShort {
                min: MIN_JUSTIFICATION,
            },
        );
    }
    if recipient.needs_transfer_basis()
        && req
            .transfer
            .as_deref()
            .map(str::trim)
            .unwrap_or("")
            .is_empty()
    {
        why.push(RouteProblem::NeedsTransferBasis {
            recipient: RecipientName::of(recipient),
        });
    }
    match req.kind {
        DisclosureKind::Forward => {
            if !req.bases.contains(&LegalBasis::PublicAdministrationAct7) {
                why.push(RouteProblem::ForwardNeedsPal7);
            }
        }
        DisclosureKind::EmployerNotice => {
            if recipient.template != "employer-notice" {
                why.push(RouteProblem::NoEmployerNotices {
                    recipient: RecipientName::of(recipient),
                });
            }
            if req.parties.iter().all(|p| p.trim().is_empty()) {
                why.push(RouteProblem::NoEmployersNamed);
            }
        }
        DisclosureKind::Disclosure => {}
    }
    if why.is_empty() {
        Ok(())
    } else {
        Err(why)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::case::{CategoryDecision, Verdict};
    use crate::domain::enquiry::Language;
    use crate::domain::fixtures;

    fn case_with(confirmed: &[DataCategory]) -> Case {
        let mut case = fixtures::case("2026-11-20T10:00:00+01:00", "tekst");
        case.purpose = Some("citizen-enquiries".into());
        let decided = case.registered.clone();
        case.categories = confirmed
            .iter()
            .map(|c| CategoryDecision {
                category: *c,
                verdict: Verdict::Confirmed,
                decided: decided.clone(),
            })
            .collect();
        case
    }

    fn texts(checked: Result<(), Vec<RouteProblem>>) -> Vec<String> {
        checked
            .unwrap_err()
            .iter()
            .map(|p| p.text(Language::En))
            .collect()
    }

    fn request(recipient: &str, bases: &[&str]) -> RouteRequest {
        RouteRequest {
            kind: DisclosureKind::Disclosure,
            recipient: recipient.into(),
            bases: bases.iter().map(|b| b.parse().unwrap()).collect(),
            justification: "The police need the enquiry for their own case.".into(),
            transfer: None,
            waive_restriction: None,
            parties: Vec::new(),
        }
    }

    #[test]
    fn a_confirmed_cpr_number_needs_data_protection_act_11() {
        let policy = fixtures::policy();
        let case = case_with(&[DataCategory::Contact, DataCategory::Cpr]);
        let why = texts(check(&policy, &case, &request("police", &["gdpr-6-1-e"])));
        assert_eq!(
            why,
            vec!["the case holds a CPR number: Data Protection Act § 11 is required".to_string()]
        );
        assert_eq!(
            check(
                &policy,
                &case,
                &request("police", &["gdpr-6-1-e", "dpa-11"])
            ),
            Ok(())
        );
    }

    #[test]
    fn without_the_cpr_rule_a_cpr_number_needs_no_basis_of_its_own() {
        let text = fixtures::POLICY.replace(
            "[[category_rules]]\ncategory = \"cpr\"\nbases = [\"dpa-11\"]\n",
            "",
        );
        let policy = Policy::from_toml(&text, "p.toml").unwrap();
        assert_eq!(policy.category_rules.len(), 2);
        let case = case_with(&[DataCategory::Cpr]);
        assert_eq!(
            check(&policy, &case, &request("police", &["gdpr-6-1-e"])),
            Ok(())
        );
    }

    #[test]
    fn special_and_criminal_rules_come_from_the_policy() {
        let policy = fixtures::policy();
        let case = case_with(&[DataCategory::Health, DataCategory::Criminal]);
        let why = texts(check(&policy, &case, &request("pet", &["gdpr-6-1-e"])));
        assert_eq!(
            why,
            vec![
                "the case holds special categories (health): an Art. 9(2) ground is required"
                    .to_string(),
                "the case holds criminal-offence data: an Art. 10 basis (e.g. Data Protection Act § 8) is required".to_string(),
            ]
        );
        assert_eq!(
            check(
                &policy,
                &case,
                &request("pet", &["gdpr-6-1-e", "gdpr-9-2-f", "dpa-8"])
            ),
            Ok(())
        );
        // A policy that lets DPA § 7 alone carry health data: Art. 9(2)(f) no longer does.
        let text = fixtures::POLICY.replace(
            "category = \"special\"\nbasis_kinds = [\"art-9\"]",
            "category = \"special\"\nbases = [\"dpa-7\"]",
        );
        let policy = Policy::from_toml(&text, "p.toml").unwrap();
        let why = texts(check(
            &policy,
            &case,
            &request("pet", &["gdpr-6-1-e", "gdpr-9-2-f", "dpa-8"]),
        ));
        assert_eq!(
            why,
            vec![
                "the case holds special categories (health): Data Protection Act § 7 is required"
                    .to_string()
            ]
        );
    }

    #[test]
    fn a_recipient_that_refuses_the_categories_is_not_asked_for_their_basis() {
        let policy = fixtures::policy();
        let case = case_with(&[DataCategory::Health]);
        let why = texts(check(
            &policy,
            &case,
            &request("employers", &["gdpr-6-1-c"]),
        ));
        assert_eq!(
            why,
            vec!["Employers may not receive special categories (health)".to_string()]
        );
    }

    #[test]
    fn the_cpr_basis_is_offered_only_where_a_cpr_number_is_confirmed() {
        let policy = fixtures::policy();
        let police = policy.recipient("police").unwrap();
        let refusal = |case: &Case, b: LegalBasis| {
            basis_options(&policy, police, case)
                .into_iter()
                .find(|o| o.basis == b)
                .unwrap()
                .refused
                .map(|r| r.text(Language::En))
        };
        let without = case_with(&[DataCategory::Contact]);
        assert_eq!(
            refusal(&without, LegalBasis::DataProtectionAct11).as_deref(),
            Some("no CPR number is confirmed on the case")
        );
        assert_eq!(refusal(&without, LegalBasis::Gdpr6('e')), None);
        assert_eq!(
            refusal(&without, LegalBasis::Gdpr10).as_deref(),
            Some("no criminal-offence data is confirmed on the case")
        );
        let with = case_with(&[DataCategory::Cpr, DataCategory::Criminal]);
        assert_eq!(refusal(&with, LegalBasis::DataProtectionAct11), None);
        assert_eq!(refusal(&with, LegalBasis::Gdpr10), None);
        assert_eq!(
            refusal(&with, LegalBasis::Gdpr9('f')).as_deref(),
            Some("not a basis for disclosures to Police")
        );
    }

    #[test]
    fn problems_are_typed_and_read_in_danish() {
        let policy = fixtures::policy();
        let mut case = case_with(&[DataCategory::Cpr, DataCategory::Health]);
        case.purpose = None;
        let mut req = request("employers", &["gdpr-9-2-f"]);
        req.justification = "kort".into();
        let why = check(&policy, &case, &req).unwrap_err();
        let employers = RecipientName::of(policy.recipient("employers").unwrap());
        assert_eq!(
            why,
            vec![
                RouteProblem::NoPurpose,
                RouteProblem::JustificationTooShort {
                    min: MIN_JUSTIFICATION
                },
                RouteProblem::BasisNotForRecipient {
                    basis: LegalBasis::Gdpr9('f'),
                    recipient: employers.clone(),
                },
                RouteProblem::NeedsArt6,
                RouteProblem::RecipientRefusesSpecialCategories {
                    recipient: employers,
                    categories: vec![DataCategory::Health],
                },
                RouteProblem::MissingCategoryBasis {
                    categories: vec![DataCategory::Cpr],
                    special: false,
                    kinds: vec![],
                    bases: vec![LegalBasis::DataProtectionAct11],
                },
            ]
        );
        let da: Vec<String> = why.iter().map(|p| p.text(Language::Da)).collect();
        assert_eq!(
            da[5],
            "sagen indeholder et CPR-nummer: det kræver et grundlag i databeskyttelseslovens § 11"
        );
        assert_eq!(
            da[4],
            "Arbejdsgivere må ikke modtage følsomme oplysninger (helbredsoplysninger)"
        );
        // No English left in the Danish texts of the problems.
        for (text, p) in da.iter().zip(&why) {
            for english in ["the case", "required", "basis", "may not", "set the"] {
                assert!(!text.contains(english), "{p:?}: {text}");
            }
        }
    }

    #[test]
    fn the_wizard_and_the_check_agree_on_the_bases() {
        let policy = fixtures::policy();
        let case = case_with(&[DataCategory::Cpr, DataCategory::Criminal]);
        let police = policy.recipient("police").unwrap();
        let bases = [LegalBasis::Gdpr6('e'), LegalBasis::Gdpr10];
        assert_eq!(
            basis_problems(&policy, police, &case, &bases),
            vec![RouteProblem::MissingCategoryBasis {
                categories: vec![DataCategory::Cpr],
                special: false,
                kinds: vec![],
                bases: vec![LegalBasis::DataProtectionAct11],
            }]
        );
        let req = request("police", &["gdpr-6-1-e", "gdpr-10"]);
        assert_eq!(
            check(&policy, &case, &req).unwrap_err(),
            basis_problems(&policy, police, &case, &bases)
        );
    }

    #[test]
    fn problems_survive_json_and_the_wire() {
        let p = RouteProblem::MissingArt9Basis {
            categories: vec![DataCategory::Health],
        };
        let json = serde_json::to_string(&p).unwrap();
        assert_eq!(json, r#"{"missing-art9-basis":{"categories":["health"]}}"#);
        assert_eq!(serde_json::from_str::<RouteProblem>(&json).unwrap(), p);
        let bytes = crate::store::codec::encode(&p).unwrap();
        assert_eq!(
            crate::store::codec::decode::<RouteProblem>(&bytes).unwrap(),
            p
        );
    }
}
