//! The retention run: where each closed case stands as of a date, and erasing what is due,
//! through the `Api` so the store opened here and `triage serve` decide it the same way.

use crate::domain::case::CaseRecord;
use crate::domain::clock;
use crate::domain::command::Command;
use crate::domain::enquiry::Reference;
use crate::domain::handover::{self, Decision, Step};
use crate::store::api::{Api, PAGE};
use crate::store::api_error::ApiError;
use chrono::NaiveDate;

/// One closed case with something due or pending, as `triage retention` lists it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Due {
    pub reference: String,
    pub purpose: Option<String>,
    pub state: &'static str,
    pub handover_due: Option<NaiveDate>,
    pub deletion_due: Option<NaiveDate>,
    pub reason: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub applied: Option<String>,
    #[serde(skip)]
    pub erase: bool,
    /// The case, for applying.
    #[serde(skip)]
    pub key: Reference,
}

/// Steps worth a line in the list: something is due or waiting on someone.
fn listed(step: Step) -> bool {
    matches!(
        step,
        Step::PackageDue | Step::Packaged | Step::AssessmentDue | Step::DeletionDue | Step::Held
    )
}

/// Every closed case the caller may see with something due or pending as of `today`, in
/// reference order. Reads a page of cases at a time and asks the archive register only
/// about the closed ones on it.
pub fn plan(api: &dyn Api, today: NaiveDate) -> Result<Vec<Due>, ApiError> {
    let policy = api.policy();
    let mut due = Vec::new();
    let mut after = None;
    loop {
        let (page, next) = api.cases_page(after, PAGE, None)?;
        let closed: Vec<_> = page
            .into_iter()
            .filter_map(|r| match r {
                CaseRecord::Live(c) if c.closed.is_some() => Some(c),
                _ => None,
            })
            .collect();
        let refs: Vec<Reference> = closed.iter().map(|c| c.reference).collect();
        let states = if refs.is_empty() {
            Vec::new()
        } else {
            api.archive_states(&refs)?
        };
        if states.len() != refs.len() {
            return Err(ApiError::Unavailable(format!(
                "asked the archive register about {} cases and heard of {}",
                refs.len(),
                states.len()
            )));
        }
        for (case, archived) in closed.iter().zip(states) {
            let Some(Decision {
                step,
                erase,
                reason,
            }) = handover::decide(case, policy, today, archived)
            else {
                continue;
            };
            if !listed(step) {
                continue;
            }
            let clock = clock::retention_clock(case, policy, today);
            due.push(Due {
                reference: case.reference.to_string(),
                purpose: case.purpose.clone(),
                state: step.as_id(),
                handover_due: clock.as_ref().and_then(|c| c.handover_due),
                deletion_due: clock.as_ref().and_then(|c| c.deletion_due),
                reason,
                applied: None,
                erase,
                key: case.reference,
            });
        }
        match next {
            Some(n) => after = Some(n),
            None => return Ok(due),
        }
    }
}

/// What an applied run did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Applied {
    pub erased: usize,
    pub refused: usize,
}

/// Erases every planned case that is due, each decided again on its state now (one
/// transaction each, all or nothing per case); notes the outcome on each line.
pub fn apply(api: &dyn Api, due: &mut [Due], today: NaiveDate) -> Applied {
    let mut done = Applied::default();
    for d in due.iter_mut().filter(|d| d.erase) {
        d.applied = Some(match erase_one(api, d.key, today) {
            Ok(true) => {
                done.erased += 1;
                "erased".into()
            }
            Ok(false) => "nothing to do".into(),
            Err(e) => {
                done.refused += 1;
                format!("refused: {e}")
            }
        });
    }
    done
}

/// Erases one case if, decided again on its current state and the archive register, it is
/// due: never before the archives approved its package.
fn erase_one(api: &dyn Api, r: Reference, today: NaiveDate) -> Result<bool, ApiError> {
    let Some(CaseRecord::Live(case)) = api.case(r)? else {
        return Ok(false);
    };
    let archived = api.archive_states(&[r])?.pop().ok_or_else(|| {
        ApiError::Unavailable(format!("the archive register said nothing of {r}"))
    })?;
    match handover::decide(&case, api.policy(), today, archived) {
        Some(d) if d.erase => {
            let ground = format!("Retention ended: {}", d.reason);
            api.execute(r, case.version, &Command::Erase { ground })?;
            Ok(true)
        }
        _ => Ok(false),
    }
}
