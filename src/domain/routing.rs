//! Routing checks: which legal bases a disclosure may rest on, and why others are refused.

use super::basis::{BasisKind, LegalBasis};
use super::case::{Case, DisclosureKind};
use super::category::DataCategory;
use super::command::{RouteRequest, MIN_JUSTIFICATION};
use super::policy::{CategoryRule, CategorySelector, Policy, Recipient};
use serde::Serialize;

/// One basis as the route wizard shows it: offered, or refused with the reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BasisOption {
    pub basis: LegalBasis,
    pub refused: Option<String>,
}

/// A category rule of the policy that the case's confirmed categories bring into play.
#[derive(Debug, Clone)]
pub struct CategoryNeed<'p> {
    pub rule: &'p CategoryRule,
    /// The confirmed categories the rule applies to.
    pub categories: Vec<DataCategory>,
}

impl CategoryNeed<'_> {
    /// What the case holds, in a sentence: "special categories (health)", "a CPR number".
    pub fn what_en(&self) -> String {
        let ids: Vec<&str> = self.categories.iter().map(|c| c.as_id()).collect();
        match self.rule.selector() {
            Some(CategorySelector::Special) => format!("special categories ({})", ids.join(", ")),
            _ => self
                .categories
                .iter()
                .map(|c| category_in_text_en(*c))
                .collect::<Vec<_>>()
                .join(", "),
        }
    }

    /// What the rule asks for: "an Art. 9(2) ground", "Data Protection Act § 11".
    pub fn requirement_en(&self) -> String {
        let mut parts: Vec<String> = self
            .rule
            .kinds()
            .map(|k| match k {
                BasisKind::Art6 => "a GDPR Art. 6(1) basis".to_string(),
                BasisKind::Art9 => "an Art. 9(2) ground".to_string(),
                BasisKind::Art10 => "an Art. 10 basis (e.g. Data Protection Act § 8)".to_string(),
                BasisKind::Statute => "a statute".to_string(),
            })
            .collect();
        parts.extend(self.rule.named_bases().map(LegalBasis::citation_en));
        parts.join(" or ")
    }
}

fn category_in_text_en(c: DataCategory) -> String {
    match c {
        DataCategory::Cpr => "a CPR number".into(),
        DataCategory::Criminal => "criminal-offence data".into(),
        other => other.name_en().to_lowercase(),
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
    LegalBasis::all()
        .into_iter()
        .map(|basis| {
            let refused = if !recipient.bases().any(|b| b == basis) {
                Some(format!(
                    "not a basis for disclosures to {}",
                    recipient.name_en
                ))
            } else {
                match basis.kind() {
                    BasisKind::Art9 if !recipient.special_categories => Some(format!(
                        "{} may not receive special categories",
                        recipient.name_en
                    )),
                    BasisKind::Art10 if !recipient.criminal => Some(format!(
                        "{} may not receive criminal-offence data",
                        recipient.name_en
                    )),
                    kind if bound_to_categories(policy, basis)
                        && !needs.iter().any(|n| n.rule.accepts(basis)) =>
                    {
                        Some(match kind {
                            BasisKind::Art9 => {
                                "no special category is confirmed on the case".to_string()
                            }
                            BasisKind::Art10 => {
                                "no criminal-offence data is confirmed on the case".to_string()
                            }
                            _ => {
                                format!("no {} is confirmed on the case", served_by(policy, basis))
                            }
                        })
                    }
                    _ => None,
                }
            };
            BasisOption { basis, refused }
        })
        .collect()
}

/// The categories the rules naming `basis` are for, in words ("CPR number").
fn served_by(policy: &Policy, basis: LegalBasis) -> String {
    let mut words: Vec<String> = Vec::new();
    for rule in policy.category_rules.iter().filter(|r| r.accepts(basis)) {
        let w = match rule.selector() {
            Some(CategorySelector::Special) => "special category".to_string(),
            Some(CategorySelector::One(DataCategory::Criminal)) => "criminal-offence data".into(),
            Some(CategorySelector::One(DataCategory::Cpr)) => "CPR number".into(),
            Some(CategorySelector::One(c)) => c.name_en().to_lowercase(),
            None => continue,
        };
        if !words.contains(&w) {
            words.push(w);
        }
    }
    words.join(" or ")
}

/// Checks a route request against the policy and the case. Returns every reason it fails.
pub fn check(policy: &Policy, case: &Case, req: &RouteRequest) -> Result<(), Vec<String>> {
    let mut why = Vec::new();
    let Some(recipient) = policy.recipient(&req.recipient) else {
        return Err(vec![format!("unknown recipient `{}`", req.recipient)]);
    };
    if case.purpose.is_none() {
        why.push("set the purpose first: it is the ground the case is processed on".to_string());
    }
    let confirmed = case.confirmed();
    if case.categories.is_empty() {
        why.push("classify the case first: the bases depend on its confirmed categories".into());
    }
    if req.justification.trim().chars().count() < MIN_JUSTIFICATION {
        why.push(format!(
            "a justification of at least {MIN_JUSTIFICATION} characters is required"
        ));
    }
    if req.bases.is_empty() {
        why.push("name at least one legal basis".into());
    }
    for b in &req.bases {
        if !recipient.bases().any(|r| r == *b) {
            why.push(format!(
                "{} is not a basis for disclosures to {}",
                b.citation_en(),
                recipient.name_en
            ));
        }
    }
    let has = |kind: BasisKind| req.bases.iter().any(|b| b.kind() == kind);
    if !has(BasisKind::Art6) {
        why.push("a disclosure needs a GDPR Art. 6(1) basis".into());
    }
    let special: Vec<&str> = confirmed
        .iter()
        .filter(|c| c.is_special())
        .map(|c| c.as_id())
        .collect();
    let refuses_special = !special.is_empty() && !recipient.special_categories;
    if refuses_special {
        why.push(format!(
            "{} may not receive special categories ({})",
            recipient.name_en,
            special.join(", ")
        ));
    }
    let refuses_criminal = confirmed.iter().any(|c| c.is_criminal()) && !recipient.criminal;
    if refuses_criminal {
        why.push(format!(
            "{} may not receive criminal-offence data",
            recipient.name_en
        ));
    }
    for need in category_needs(policy, &confirmed) {
        // Categories the recipient may not receive at all are refused above; asking for a
        // basis for them too would send the caseworker after one that cannot help.
        let refused_anyway = need
            .categories
            .iter()
            .all(|c| (c.is_special() && refuses_special) || (c.is_criminal() && refuses_criminal));
        if refused_anyway || req.bases.iter().any(|b| need.rule.accepts(*b)) {
            continue;
        }
        why.push(format!(
            "the case holds {}: {} is required",
            need.what_en(),
            need.requirement_en()
        ));
    }
    if recipient.needs_transfer_basis()
        && req
            .transfer
            .as_deref()
            .map(str::trim)
            .unwrap_or("")
            .is_empty()
    {
        why.push(format!("{} is outside the EU/EEA or an international organisation: name the transfer basis (GDPR Art. 45–49)", recipient.name_en));
    }
    match req.kind {
        DisclosureKind::Forward => {
            if !req.bases.contains(&LegalBasis::PublicAdministrationAct7) {
                why.push("forwarding to the competent authority rests on Public Administration Act § 7 (pal-7)".into());
            }
        }
        DisclosureKind::EmployerNotice => {
            if recipient.template != "employer-notice" {
                why.push(format!(
                    "{} does not take employer notices",
                    recipient.name_en
                ));
            }
            if req.parties.iter().all(|p| p.trim().is_empty()) {
                why.push("name the employers who reported salary in the last three months".into());
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
        let why = check(&policy, &case, &request("police", &["gdpr-6-1-e"])).unwrap_err();
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
        let why = check(&policy, &case, &request("pet", &["gdpr-6-1-e"])).unwrap_err();
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
        let why = check(
            &policy,
            &case,
            &request("pet", &["gdpr-6-1-e", "gdpr-9-2-f", "dpa-8"]),
        )
        .unwrap_err();
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
        let why = check(&policy, &case, &request("employers", &["gdpr-6-1-c"])).unwrap_err();
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
}
