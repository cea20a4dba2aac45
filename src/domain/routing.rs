//! Routing checks: which legal bases a disclosure may rest on, and why others are refused.

use super::basis::{BasisKind, LegalBasis};
use super::case::{Case, DisclosureKind};
use super::command::{RouteRequest, MIN_JUSTIFICATION};
use super::policy::{Policy, Recipient};
use serde::Serialize;

/// One basis as the route wizard shows it: offered, or refused with the reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BasisOption {
    pub basis: LegalBasis,
    pub refused: Option<String>,
}

/// The bases a disclosure of `case` to `recipient` could rest on, each with why it is not
/// offered where it is not.
pub fn basis_options(recipient: &Recipient, case: &Case) -> Vec<BasisOption> {
    let confirmed = case.confirmed();
    let special = confirmed.iter().any(|c| c.is_special());
    let criminal = confirmed.iter().any(|c| c.is_criminal());
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
                    BasisKind::Art9 if !special => {
                        Some("no special category is confirmed on the case".into())
                    }
                    BasisKind::Art10 if !recipient.criminal => Some(format!(
                        "{} may not receive criminal-offence data",
                        recipient.name_en
                    )),
                    BasisKind::Art10 if !criminal => {
                        Some("no criminal-offence data is confirmed on the case".into())
                    }
                    _ => None,
                }
            };
            BasisOption { basis, refused }
        })
        .collect()
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
    let special: Vec<_> = confirmed.iter().filter(|c| c.is_special()).collect();
    if !special.is_empty() {
        let names: Vec<&str> = special.iter().map(|c| c.as_id()).collect();
        if !recipient.special_categories {
            why.push(format!(
                "{} may not receive special categories ({})",
                recipient.name_en,
                names.join(", ")
            ));
        } else if !has(BasisKind::Art9) {
            why.push(format!(
                "the case holds special categories ({}): an Art. 9(2) ground is required",
                names.join(", ")
            ));
        }
    }
    if confirmed.iter().any(|c| c.is_criminal()) {
        if !recipient.criminal {
            why.push(format!(
                "{} may not receive criminal-offence data",
                recipient.name_en
            ));
        } else if !has(BasisKind::Art10) {
            why.push("the case holds criminal-offence data: an Art. 10 basis (e.g. Data Protection Act § 8) is required".into());
        }
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
