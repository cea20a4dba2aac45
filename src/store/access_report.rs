//! The access answer for the requester of a case, through the `Api`: for the interface and
//! the CLI alike, embedded or served.

use crate::domain::case::{Case, CaseRecord};
use crate::domain::danish_time::DanishDay;
use crate::domain::enquiry::{Language, Reference};
use crate::domain::report::{self, AccessReport, SubjectId};
use crate::store::api::Api;
use crate::store::subject_identifiers;
use std::collections::BTreeSet;

/// The identifiers of the person who sent `case`: whom an access request is about.
pub fn request_subjects(case: &Case) -> Result<Vec<SubjectId>, String> {
    let ids: Vec<SubjectId> = report::sender_keys(&case.enquiry.sender)
        .iter()
        .filter_map(|k| SubjectId::parse(k).ok())
        .collect();
    if ids.is_empty() {
        return Err(format!(
            "{}: the sender has no CPR number, e-mail or address to find their cases by; give --subject",
            case.reference
        ));
    }
    Ok(ids)
}

/// The access answer for the requester of `reference`, from the cases the API holds: for
/// the interface, which speaks the `Api` and may be a client of the server. The caller
/// logs the read with `Access::Report` (see `access_report_what`).
pub fn access_for_request(
    api: &dyn Api,
    reference: Reference,
    lang: Language,
) -> Result<AccessReport, String> {
    let request = match api.case(reference).map_err(|e| e.to_string())? {
        Some(CaseRecord::Live(c)) => c,
        Some(CaseRecord::Erased(_)) => return Err(format!("{reference} has been erased")),
        None => return Err(format!("no case {reference}")),
    };
    let ids = request_subjects(&request)?;
    let keys: BTreeSet<String> = ids.iter().map(SubjectId::key).collect();
    let cases: Vec<Case> = api
        .cases()
        .map_err(|e| e.to_string())?
        .into_iter()
        .filter_map(|r| match r {
            CaseRecord::Live(c) => Some(*c),
            CaseRecord::Erased(_) => None,
        })
        .filter(|c| {
            subject_identifiers(&c.enquiry)
                .iter()
                .any(|k| keys.contains(k))
        })
        .collect();
    Ok(report::access_report(
        api.policy(),
        &ids,
        &cases,
        lang,
        api.now().danish_day(),
        None,
    ))
}

/// What the audit log records for an access answer: digests and references only.
pub fn access_report_what(ids: &[SubjectId], report: &AccessReport) -> String {
    let digests: Vec<String> = ids.iter().map(SubjectId::digest).collect();
    let refs: Vec<&str> = report.cases.iter().map(|c| c.reference.as_str()).collect();
    format!(
        "access report; subject {}; cases {}",
        digests.join(","),
        if refs.is_empty() {
            "-".to_string()
        } else {
            refs.join(",")
        }
    )
}
