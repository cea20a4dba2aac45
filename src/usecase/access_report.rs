//! The access answer for the requester of a case, through the `Api`: for the interface and
//! the CLI alike, embedded or served.

use crate::domain::case::{Case, CaseRecord};
use crate::domain::command::Access;
use crate::domain::danish_time::DanishDay;
use crate::domain::enquiry::{Language, Reference};
use crate::domain::report::{self, AccessReport, Read, SubjectId};
use crate::store::api::Api;
use crate::store::api_error::ApiError;

/// Why an access answer could not be made: what the store said, or a request whose sender
/// cannot be looked up. Said in a language by `tui::i18n::report_error`.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ReportError {
    #[error(transparent)]
    Api(#[from] ApiError),
    #[error("{0}: the sender has no CPR number, e-mail or address to find their cases by; give --subject")]
    NoSubject(Reference),
}

/// The identifiers of the person who sent `case`: whom an access request is about.
pub fn request_subjects(case: &Case) -> Result<Vec<SubjectId>, ReportError> {
    let ids: Vec<SubjectId> = report::sender_keys(&case.enquiry.sender)
        .iter()
        .filter_map(|k| SubjectId::parse(k).ok())
        .collect();
    if ids.is_empty() {
        return Err(ReportError::NoSubject(case.reference));
    }
    Ok(ids)
}

/// The access answer for the requester of `reference`, through the subject index: for
/// the interface, which speaks the `Api` and may be a client of the server. The caller
/// logs the read with `Access::Report` (see `access_report_what`). The answer is in the
/// request's language unless `lang` names another.
pub fn access_for_request(
    api: &dyn Api,
    reference: Reference,
    lang: Option<Language>,
) -> Result<AccessReport, ReportError> {
    let request = match api.case(reference)? {
        Some(CaseRecord::Live(c)) => c,
        Some(CaseRecord::Erased(_)) => return Err(ApiError::Erased(reference).into()),
        None => return Err(ApiError::NotFound(reference).into()),
    };
    let ids = request_subjects(&request)?;
    let lang = lang.unwrap_or(request.enquiry.language);
    let cases = subject_cases(api, &ids)?;
    Ok(report::access_report(
        api.policy(),
        &ids,
        &cases,
        lang,
        api.now().danish_day(),
        None,
    ))
}

/// The person's live cases, from the subject index (never a scan of every case).
fn subject_cases(api: &dyn Api, ids: &[SubjectId]) -> Result<Vec<Case>, ReportError> {
    let keys: Vec<String> = ids.iter().map(SubjectId::key).collect();
    Ok(api
        .subject_records(&keys)?
        .into_iter()
        .filter_map(|r| match r {
            CaseRecord::Live(c) => Some(*c),
            CaseRecord::Erased(_) => None,
        })
        .collect())
}

/// The access answer for the named person, with (`with_log`) an extract of the reads of
/// their data; the read is logged: the digests of the identifiers and the references
/// reported, never the identifiers themselves.
pub fn access(
    api: &dyn Api,
    ids: &[SubjectId],
    lang: Language,
    with_log: bool,
) -> Result<AccessReport, ReportError> {
    let cases = subject_cases(api, ids)?;
    let reads = if with_log {
        Some(reads_of(api, &cases, ids)?)
    } else {
        None
    };
    let report = report::access_report(
        api.policy(),
        ids,
        &cases,
        lang,
        api.now().date_naive(),
        reads.as_deref(),
    );
    api.log_access(
        None,
        &Access::Report {
            what: access_report_what(ids, &report),
        },
    )?;
    Ok(report)
}

/// The reads that touched the person's data: every read logged against their cases,
/// searches whose terms name them, and earlier reports on them (by digest).
fn reads_of(api: &dyn Api, cases: &[Case], ids: &[SubjectId]) -> Result<Vec<Read>, ApiError> {
    let mut reads = Vec::new();
    for c in cases.iter().filter(|c| report::reportable(c)) {
        for rec in api.access_records(Some(c.reference))? {
            reads.push(Read {
                at: rec.at,
                reference: rec.reference,
                action: rec.access.action().to_string(),
            });
        }
    }
    let needles: Vec<String> = ids
        .iter()
        .flat_map(|id| match id {
            SubjectId::Cpr(d) => vec![d.clone(), format!("{}-{}", &d[..6], &d[6..])],
            SubjectId::Email(m) => vec![m.clone()],
            SubjectId::NameAddress { name, .. } => vec![name.clone()],
        })
        .collect();
    let digests: Vec<String> = ids.iter().map(SubjectId::digest).collect();
    for rec in api.access_records(None)? {
        let hit = match &rec.access {
            Access::Search { terms } => {
                let terms = terms.to_lowercase();
                needles.iter().any(|n| terms.contains(n.as_str()))
            }
            Access::Report { what } => digests.iter().any(|d| what.contains(d.as_str())),
            _ => false,
        };
        if hit {
            reads.push(Read {
                at: rec.at,
                reference: None,
                action: rec.access.action().to_string(),
            });
        }
    }
    Ok(reads)
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
