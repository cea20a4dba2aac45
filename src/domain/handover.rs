//! Where a closed case stands between its archive period and its deletion, and what retention may do.
//!
//! The order the law gives: the archive period ends → an archival version is written and
//! verified → the National Archives approve it → only then may the authority delete its copy.
//! Purposes whose rule is delete-after-years are not of preservation value and skip the archives.

use super::case::{Case, Status};
use super::clock::{self, RetentionState};
use super::policy::{Policy, RetentionRule};
use chrono::NaiveDate;

/// What the archive registry says of a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum ArchiveState {
    NotPackaged,
    Packaged,
    Approved(NaiveDate),
}

/// A case's step on the way out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Not closed yet.
    Open,
    /// Closed; its archive (or retention) period is still running.
    PeriodRunning,
    /// The archive period ended: the case belongs in the next archival version.
    PackageDue,
    /// In an archival version the National Archives have not approved yet.
    Packaged,
    /// Approved; nothing more due yet (kept after an assessment, or awaiting one).
    Approved,
    /// A specific assessment (keep or delete) is due.
    AssessmentDue,
    /// The authority's copy is to be deleted.
    DeletionDue,
    /// Under legal hold: nothing is deleted.
    Held,
}

impl Step {
    pub fn as_id(self) -> &'static str {
        match self {
            Step::Open => "open",
            Step::PeriodRunning => "period-running",
            Step::PackageDue => "package-due",
            Step::Packaged => "packaged",
            Step::Approved => "approved",
            Step::AssessmentDue => "assessment-due",
            Step::DeletionDue => "deletion-due",
            Step::Held => "held",
        }
    }
}

/// The step a case shows, from its retention state and the archive register alone (no case
/// read): what the interface's Retention view needs for every row. `decide` is the rule for
/// erasing; this only names where the case stands, and agrees with it.
pub fn step_of(state: RetentionState, archive: ArchiveState) -> Step {
    match state {
        RetentionState::Open => Step::Open,
        RetentionState::Waiting => Step::PeriodRunning,
        RetentionState::HandoverDue | RetentionState::HandedOver => match archive {
            ArchiveState::NotPackaged => Step::PackageDue,
            ArchiveState::Packaged => Step::Packaged,
            ArchiveState::Approved(_) => Step::Approved,
        },
        RetentionState::Kept { .. } => Step::Approved,
        RetentionState::AssessmentDue => Step::AssessmentDue,
        RetentionState::DeletionDue => Step::DeletionDue,
        RetentionState::Held => Step::Held,
    }
}

/// Whether the step of a case in `state` depends on the archive register (else `step_of`
/// gives the same answer for any register state).
pub fn needs_register(state: RetentionState) -> bool {
    matches!(
        state,
        RetentionState::HandoverDue | RetentionState::HandedOver
    )
}

/// The step, and whether retention may erase the case now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub step: Step,
    pub erase: bool,
    /// One English sentence: why.
    pub reason: String,
}

/// The time recorded as a case's handover when the archives approved on `day`: noon UTC is that
/// day in Denmark and in UTC alike, so every day-level reading of it gives the approval day.
pub fn approval_time(day: NaiveDate) -> chrono::DateTime<chrono::Utc> {
    day.and_hms_opt(12, 0, 0).expect("noon exists").and_utc()
}

/// True when the purpose's records go to the State Archives before deletion.
pub fn goes_to_archives(rule: RetentionRule) -> bool {
    !matches!(rule, RetentionRule::DeleteAfterYears { .. })
}

/// Decides one case as of `today`; None when its purpose has no retention rule.
pub fn decide(
    case: &Case,
    policy: &Policy,
    today: NaiveDate,
    archive: ArchiveState,
) -> Option<Decision> {
    let rule = policy.purpose(case.purpose.as_deref()?)?.retention;
    let clock = clock::retention_clock(case, policy, today)?;
    let d = |step, erase, reason: String| {
        Some(Decision {
            step,
            erase,
            reason,
        })
    };
    if case.closed.is_none() || case.status.is_open() || case.status == Status::Answered {
        return d(Step::Open, false, clock.reason);
    }
    if !goes_to_archives(rule) {
        return match clock.state {
            RetentionState::DeletionDue => d(Step::DeletionDue, true, clock.reason),
            RetentionState::Held => d(Step::Held, false, clock.reason),
            _ => d(Step::PeriodRunning, false, clock.reason),
        };
    }
    match archive {
        ArchiveState::NotPackaged => {
            let period_over = clock.handover_due.is_some_and(|last| today > last);
            if period_over || case.status == Status::HandedOver {
                d(
                    Step::PackageDue,
                    false,
                    format!(
                        "the archive period ended{}; not in an archival version yet (`triage archive create`), so nothing is deleted",
                        clock
                            .handover_due
                            .map(|l| format!(" on {l}"))
                            .unwrap_or_default()
                    ),
                )
            } else {
                d(Step::PeriodRunning, false, clock.reason)
            }
        }
        ArchiveState::Packaged => d(
            Step::Packaged,
            false,
            "in an archival version awaiting the National Archives' approval (`triage archive receipt`); nothing is deleted before it"
                .into(),
        ),
        ArchiveState::Approved(on) => match clock.state {
            RetentionState::DeletionDue => d(
                Step::DeletionDue,
                true,
                format!("the National Archives approved its archival version on {on}; delete the authority's copy"),
            ),
            RetentionState::Held => d(Step::Held, false, clock.reason),
            RetentionState::AssessmentDue => d(Step::AssessmentDue, false, clock.reason),
            _ => d(Step::Approved, false, clock.reason),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::fixtures;

    #[test]
    fn the_step_of_a_row_follows_the_register_only_where_it_matters() {
        let all = [
            ArchiveState::NotPackaged,
            ArchiveState::Packaged,
            ArchiveState::Approved(day("2032-03-01")),
        ];
        assert_eq!(
            all.map(|a| step_of(RetentionState::HandoverDue, a)),
            [Step::PackageDue, Step::Packaged, Step::Approved]
        );
        for (state, step) in [
            (RetentionState::Open, Step::Open),
            (RetentionState::Waiting, Step::PeriodRunning),
            (RetentionState::DeletionDue, Step::DeletionDue),
            (RetentionState::AssessmentDue, Step::AssessmentDue),
            (RetentionState::Kept { review: None }, Step::Approved),
            (RetentionState::Held, Step::Held),
        ] {
            assert!(!needs_register(state));
            for a in all {
                assert_eq!(step_of(state, a), step, "{state:?} {a:?}");
            }
        }
        assert!(needs_register(RetentionState::HandoverDue));
    }

    #[test]
    fn the_row_step_agrees_with_the_decision_on_a_closed_case() {
        let policy = fixtures::policy();
        let c = closed_case("citizen-enquiries", "2026-04-01T10:00:00+02:00");
        let mut seen = Vec::new();
        for (today, archive) in [
            ("2026-12-31", ArchiveState::NotPackaged),
            ("2027-01-01", ArchiveState::NotPackaged),
            ("2040-01-01", ArchiveState::Packaged),
        ] {
            let today = day(today);
            let d = decide(&c, &policy, today, archive).unwrap();
            seen.push(d.step);
            let state = clock::retention_clock(&c, &policy, today).unwrap().state;
            assert_eq!(step_of(state, archive), d.step, "{today} {archive:?}");
        }
        assert_eq!(
            seen,
            [Step::PeriodRunning, Step::PackageDue, Step::Packaged]
        );
    }

    fn closed_case(purpose: &str, closed: &str) -> Case {
        let mut c = fixtures::case("2026-03-02T10:00:00+01:00", "Hej");
        c.purpose = Some(purpose.into());
        c.status = Status::Closed;
        c.closed = Some(crate::domain::case::Stamp {
            by: "anne".into(),
            at: chrono::DateTime::parse_from_rfc3339(closed)
                .unwrap()
                .with_timezone(&chrono::Utc),
        });
        c
    }

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn nothing_is_erased_before_the_archives_approve() {
        let p = fixtures::policy();
        let c = closed_case("citizen-enquiries", "2026-04-01T10:00:00+02:00");
        let before = decide(&c, &p, day("2026-12-31"), ArchiveState::NotPackaged).unwrap();
        assert_eq!((before.step, before.erase), (Step::PeriodRunning, false));
        let due = decide(&c, &p, day("2027-01-01"), ArchiveState::NotPackaged).unwrap();
        assert_eq!((due.step, due.erase), (Step::PackageDue, false));
        let packaged = decide(&c, &p, day("2040-01-01"), ArchiveState::Packaged).unwrap();
        assert_eq!((packaged.step, packaged.erase), (Step::Packaged, false));
    }

    #[test]
    fn approval_starts_the_deletion_clock() {
        let p = fixtures::policy();
        let mut c = closed_case("citizen-enquiries", "2026-04-01T10:00:00+02:00");
        c.status = Status::HandedOver;
        c.handed_over = Some(crate::domain::case::Stamp {
            by: "dpo".into(),
            at: day("2027-03-01").and_hms_opt(12, 0, 0).unwrap().and_utc(),
        });
        let d = decide(
            &c,
            &p,
            day("2027-03-01"),
            ArchiveState::Approved(day("2027-03-01")),
        )
        .unwrap();
        assert_eq!((d.step, d.erase), (Step::DeletionDue, true), "{}", d.reason);
    }

    #[test]
    fn a_case_handed_over_by_flag_alone_is_not_erased() {
        let p = fixtures::policy();
        let mut c = closed_case("citizen-enquiries", "2026-04-01T10:00:00+02:00");
        c.status = Status::HandedOver;
        c.handed_over = c.closed.clone();
        let d = decide(&c, &p, day("2027-02-01"), ArchiveState::NotPackaged).unwrap();
        assert_eq!((d.step, d.erase), (Step::PackageDue, false));
    }
}
