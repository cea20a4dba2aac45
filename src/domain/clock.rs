//! A case's clocks: when its answer is due, and when it must be handed over, assessed or deleted.

// Stamps (`Stamp.at`, pause times) are UTC, and their date here is simply the UTC date.
// Danish time runs one hour ahead in winter and two in summer, so an event in the first
// hour or two after midnight counts on the day before. The domain carries no time-zone
// rules on purpose; the date of receipt is exact, as it keeps the sender's own offset.

use super::calendar::Calendar;
use super::case::{Assessment, Case, Pause};
use super::policy::{DeadlineRule, Policy, RetentionRule};
use crate::domain::danish_time::DanishDay;
use chrono::{Datelike, Days, Months, NaiveDate, TimeDelta};
use serde::{Deserialize, Serialize};

/// Regulation 1182/71 month arithmetic: the same date `months` later, or that month's
/// last day when the date does not exist there (31 January + 1 month = 28/29 February).
/// Saturates at chrono's last day.
pub fn add_months(d: NaiveDate, months: u32) -> NaiveDate {
    d.checked_add_months(Months::new(months))
        .unwrap_or(NaiveDate::MAX)
}

fn add_days(d: NaiveDate, n: i64) -> NaiveDate {
    if n >= 0 {
        d.checked_add_days(Days::new(n.unsigned_abs()))
            .unwrap_or(NaiveDate::MAX)
    } else {
        d.checked_sub_days(Days::new(n.unsigned_abs()))
            .unwrap_or(NaiveDate::MIN)
    }
}

/// Unit a countdown is counted in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Unit {
    WorkingDays,
    Days,
}

impl Unit {
    fn suffix(self) -> &'static str {
        match self {
            Unit::WorkingDays => "wd",
            Unit::Days => "d",
        }
    }

    /// Fifths of a calendar day: a working day is about 7/5 of a calendar day, so sort keys
    /// of different units compare roughly fairly while each unit keeps its exact order.
    fn fifths(self) -> i64 {
        match self {
            Unit::WorkingDays => 7,
            Unit::Days => 5,
        }
    }
}

/// A countdown as staff see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Countdown {
    DueIn { n: i64, unit: Unit },
    DueToday,
    Overdue { n: i64, unit: Unit },
}

impl Countdown {
    /// "3d", "5wd", "today", "overdue 2d", "overdue 1wd".
    pub fn short(&self) -> String {
        match self {
            Countdown::DueIn { n, unit } => format!("{n}{}", unit.suffix()),
            Countdown::DueToday => "today".into(),
            Countdown::Overdue { n, unit } => format!("overdue {n}{}", unit.suffix()),
        }
    }

    /// Smaller is more urgent: overdue (the longer the more urgent), then due today, then
    /// due in (the sooner the more urgent). Counts in working days weigh 7/5 of a calendar
    /// day, so a queue mixing both units sorts roughly by real time left.
    pub fn sort_key(&self) -> i64 {
        match self {
            Countdown::DueIn { n, unit } => n.saturating_mul(unit.fifths()),
            Countdown::DueToday => 0,
            Countdown::Overdue { n, unit } => n.saturating_mul(unit.fifths()).saturating_neg(),
        }
    }

    /// The countdown to `due` as of `on`. Overdue counts are at least 1: on the Saturday
    /// after a Friday deadline no working day has passed, but the case is overdue.
    pub fn between(on: NaiveDate, due: NaiveDate, unit: Unit, cal: &Calendar) -> Countdown {
        let n = match unit {
            Unit::WorkingDays => cal.working_days_between(on, due),
            Unit::Days => (due - on).num_days(),
        };
        match on.cmp(&due) {
            std::cmp::Ordering::Equal => Countdown::DueToday,
            std::cmp::Ordering::Less => Countdown::DueIn { n: n.max(1), unit },
            std::cmp::Ordering::Greater => Countdown::Overdue {
                n: n.saturating_neg().max(1),
                unit,
            },
        }
    }
}

/// The answer deadline of an open case, as of a given day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnswerClock {
    pub rule: DeadlineRule,
    pub received: NaiveDate,
    /// After extension and pauses; always a working day (bar saturation at chrono's last day).
    pub due: NaiveDate,
    /// The Art. 12(3) extension applies (GDPR rule only).
    pub extended: bool,
    /// Paused now.
    pub paused: bool,
    /// Calendar days spent paused so far (an open pause counts up to `today`).
    pub paused_days: i64,
    /// Relative to `today`; while paused, frozen as it stood on the day the pause began.
    pub countdown: Countdown,
    /// Offentlighedsloven § 36: the 7 working days passed without a decision — a letter
    /// with reasons and an expected date is due.
    pub delay_letter_due: bool,
    /// Offentlighedsloven § 39: 14 working days passed — the requester may complain about
    /// the processing time.
    pub complaint_possible: bool,
    /// Offentlighedsloven § 39: the day the 14 working days run out (§ 36 cases only).
    pub complaint_date: Option<NaiveDate>,
}

/// Time the clock stood still, in the two units deadlines are counted in.
#[derive(Debug, Clone, Copy, Default)]
struct Stopped {
    days: i64,
    working_days: i64,
}

impl Stopped {
    fn plus(self, other: Stopped) -> Stopped {
        Stopped {
            days: self.days.saturating_add(other.days),
            working_days: self.working_days.saturating_add(other.working_days),
        }
    }
}

/// How long one pause stopped the clock. A closed pause counts its length in days, a
/// started day as a whole one (so it never shortens the authority's time). An open pause
/// counts the dates from its first day up to, not including, `today`: 0 on the day it
/// began. Resuming later that day can thus add one. The working days stopped are the
/// working days among the stopped days, counted from the pause's first day.
fn stopped_by(p: &Pause, today: NaiveDate, cal: &Calendar) -> Stopped {
    let start = p.from.danish_day();
    let days = match p.until {
        Some(until) => ceil_days(until - p.from),
        None => (today - start).num_days(),
    }
    .max(0);
    let working_days = if days == 0 {
        0
    } else {
        cal.working_days_between(add_days(start, -1), add_days(start, days - 1))
    };
    Stopped { days, working_days }
}

fn ceil_days(t: TimeDelta) -> i64 {
    let whole = t.num_days();
    if t > TimeDelta::days(whole) {
        whole + 1
    } else {
        whole
    }
}

/// The unit a rule's countdown is counted in.
pub fn unit_of(rule: DeadlineRule) -> Unit {
    match rule {
        DeadlineRule::Offentlighedsloven36 | DeadlineRule::WorkingDays { .. } => Unit::WorkingDays,
        DeadlineRule::GdprMonth | DeadlineRule::CalendarDays { .. } | DeadlineRule::None => {
            Unit::Days
        }
    }
}

/// The deadline under `rule`, shifted by the time stopped; None for `DeadlineRule::None`.
fn due_under(
    rule: DeadlineRule,
    received: NaiveDate,
    extended: bool,
    stopped: Stopped,
    cal: &Calendar,
) -> Option<NaiveDate> {
    let working = |n: i64| {
        // With no days to count the deadline is the day of receipt, or the next working day.
        if n == 0 {
            cal.next_working_day_from(received)
        } else {
            cal.add_working_days(received, n)
        }
    };
    Some(match rule {
        DeadlineRule::GdprMonth => {
            // One month, or one month plus two further months (Art. 12(3)); the pause
            // shifts the end of the period, and only the shifted end moves off a closed day.
            let end = add_months(received, if extended { 3 } else { 1 });
            cal.next_working_day_from(add_days(end, stopped.days))
        }
        DeadlineRule::Offentlighedsloven36 => working(7i64.saturating_add(stopped.working_days)),
        DeadlineRule::WorkingDays { days } => {
            working(i64::from(days).saturating_add(stopped.working_days))
        }
        DeadlineRule::CalendarDays { days } => cal.next_working_day_from(add_days(
            received,
            i64::from(days).saturating_add(stopped.days),
        )),
        DeadlineRule::None => return None,
    })
}

fn rule_of(case: &Case, policy: &Policy) -> Option<DeadlineRule> {
    // Until staff set the purpose, the source's suggested one runs the clock: a statutory
    // deadline runs from receipt, not from triage.
    let rule = policy.purpose(case.answer_purpose()?)?.deadline;
    (rule != DeadlineRule::None).then_some(rule)
}

/// The answer clock of an open case as of `today`. None when the case has no purpose (or
/// one the policy does not know), the rule is `none`, or the case is answered or later.
///
/// Pauses stop the clock in the rule's own unit: calendar days for the GDPR month and
/// calendar-day rules, the working days inside the pause for working-day rules (§ 36 and
/// § 39 included). The extension applies to the GDPR rule only; on any other rule it is
/// ignored (it can only be recorded on a data-subject-rights case whose purpose later
/// changed).
pub fn answer_clock(
    case: &Case,
    policy: &Policy,
    cal: &Calendar,
    today: NaiveDate,
) -> Option<AnswerClock> {
    if !case.status.is_open() {
        return None;
    }
    let rule = rule_of(case, policy)?;
    let received = case.enquiry.received.danish_day();
    let extended = rule == DeadlineRule::GdprMonth && case.clock.extension.is_some();
    let unit = unit_of(rule);
    let pauses = pauses_under(rule, case);

    let open = pauses.iter().find(|p| p.until.is_none());
    let closed = pauses
        .iter()
        .filter(|p| p.until.is_some())
        .fold(Stopped::default(), |acc, p| {
            acc.plus(stopped_by(p, today, cal))
        });
    let running = open.map(|p| stopped_by(p, today, cal)).unwrap_or_default();
    let stopped = closed.plus(running);
    let due = due_under(rule, received, extended, stopped, cal)?;

    // While paused, every judgement is frozen as of the day the pause began, against the
    // deadline as it stood then: the countdown does not tick, and no letter falls due
    // during the pause. (The shifted `due` would give nearly the same countdown, but it
    // jumps when the shifted date crosses a weekend.)
    let (on, due_then, stopped_then) = match open {
        Some(p) => {
            let began = p.from.danish_day().min(today);
            (
                began,
                due_under(rule, received, extended, closed, cal)?,
                closed,
            )
        }
        None => (today, due, stopped),
    };
    let is_36 = rule == DeadlineRule::Offentlighedsloven36;
    let complaint_from =
        cal.add_working_days(received, 14i64.saturating_add(stopped_then.working_days));

    Some(AnswerClock {
        rule,
        received,
        due,
        extended,
        paused: open.is_some(),
        paused_days: stopped.days,
        countdown: Countdown::between(on, due_then, unit, cal),
        // The letter must go out before the 7 working days run out, so it is flagged on
        // the due day itself, not the day after.
        delay_letter_due: is_36 && on >= due_then,
        complaint_possible: is_36 && on > complaint_from,
        complaint_date: is_36.then_some(complaint_from),
    })
}

/// The pauses that stop the clock under `rule`. The Access to Public Administration Files
/// Act has no suspension, so a § 36 clock ignores any pause (one recorded before pausing
/// was refused, or under another purpose).
fn pauses_under(rule: DeadlineRule, case: &Case) -> &[Pause] {
    if rule == DeadlineRule::Offentlighedsloven36 {
        &[]
    } else {
        &case.clock.pauses
    }
}

/// Whether the clock of `case` may be paused: None if so, else why not.
pub fn pause_refused(case: &Case, policy: &Policy) -> Option<super::invalid::Invalid> {
    (rule_of(case, policy)? == DeadlineRule::Offentlighedsloven36)
        .then_some(super::invalid::Invalid::AccessToDocumentsCannotPause)
}

/// The un-extended answer deadline, for the extension check: `Command::Extend` is allowed
/// only while today is on or before it. Closed pauses count; an open pause does not (there
/// is no day to count it to: use [`first_deadline_on`]). Given for any status, so it also
/// tells whether an answered case was answered in time. None when there is no rule.
pub fn first_deadline(case: &Case, policy: &Policy, cal: &Calendar) -> Option<NaiveDate> {
    first_deadline_with(case, policy, cal, None)
}

/// [`first_deadline`], with an open pause counted up to `today`.
pub fn first_deadline_on(
    case: &Case,
    policy: &Policy,
    cal: &Calendar,
    today: NaiveDate,
) -> Option<NaiveDate> {
    first_deadline_with(case, policy, cal, Some(today))
}

fn first_deadline_with(
    case: &Case,
    policy: &Policy,
    cal: &Calendar,
    today: Option<NaiveDate>,
) -> Option<NaiveDate> {
    let rule = rule_of(case, policy)?;
    let received = case.enquiry.received.danish_day();
    let stopped = pauses_under(rule, case)
        .iter()
        .filter(|p| p.until.is_some() || today.is_some())
        // A closed pause does not look at the day it is counted to.
        .map(|p| stopped_by(p, today.unwrap_or(received), cal))
        .fold(Stopped::default(), Stopped::plus);
    due_under(rule, received, false, stopped, cal)
}

/// Where a case stands in its retention, as of a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RetentionState {
    /// Not closed yet: retention has not begun.
    Open,
    /// Closed; nothing is due yet.
    Waiting,
    /// The archive period has ended: hand over to the State Archives.
    HandoverDue,
    /// Delete the authority's copy.
    DeletionDue,
    /// A specific assessment (keep or delete) is due.
    AssessmentDue,
    /// Kept after an assessment, until the review date.
    Kept { review: Option<NaiveDate> },
    /// Under legal hold: nothing is deleted.
    Held,
    /// Handed over; nothing further due yet.
    HandedOver,
}

impl RetentionState {
    pub fn as_id(self) -> &'static str {
        match self {
            RetentionState::Open => "open",
            RetentionState::Waiting => "waiting",
            RetentionState::HandoverDue => "handover-due",
            RetentionState::DeletionDue => "deletion-due",
            RetentionState::AssessmentDue => "assessment-due",
            RetentionState::Kept { .. } => "kept",
            RetentionState::Held => "held",
            RetentionState::HandedOver => "handed-over",
        }
    }
}

/// A case's retention clock, as of a given day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetentionClock {
    pub received: NaiveDate,
    pub closed: Option<NaiveDate>,
    /// The last day of the archive period the case closed in (archive-then-* rules); the
    /// handover falls due the day after. None for delete-after-years, and until closed.
    pub handover_due: Option<NaiveDate>,
    /// archive-then-delete: the day it was handed over (delete once handed over);
    /// delete-after-years: closed + years; archive-then-assess: the assessment's date when
    /// it decided deletion, the review date when it decided to keep. Kept as the rule gives
    /// it under a legal hold too: `state` says whether deletion is actually due.
    pub deletion_due: Option<NaiveDate>,
    /// A legal hold stops the deletion clock.
    pub held: bool,
    pub state: RetentionState,
    /// One English sentence: why this state.
    pub reason: String,
}

/// One step of a case's retention timeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Milestone {
    Received,
    Closed,
    HandoverDue,
    DeletionDue,
    Today,
}

impl RetentionClock {
    /// The timeline from receipt through closing, handover and deletion, in date order,
    /// with today placed where it stands (before a step due the same day).
    pub fn timeline(&self, today: NaiveDate) -> Vec<(Milestone, NaiveDate)> {
        let mut steps = vec![(Milestone::Received, self.received)];
        steps.extend(self.closed.map(|d| (Milestone::Closed, d)));
        steps.extend(self.handover_due.map(|d| (Milestone::HandoverDue, d)));
        steps.extend(self.deletion_due.map(|d| (Milestone::DeletionDue, d)));
        let at = steps
            .iter()
            .position(|(_, d)| *d >= today)
            .unwrap_or(steps.len());
        steps.insert(at, (Milestone::Today, today));
        steps
    }
}

/// The last day of the archive period containing `d`. Periods of `period_years` start at
/// `archive_start` and run back before it as well as forward; each boundary is counted
/// from the start (so a period starting 29 February ends on 27 or 28 February).
pub fn archive_period_end(policy: &Policy, d: NaiveDate) -> NaiveDate {
    archive_period(policy, d).1
}

/// The archive period (first day, last day) containing `d`.
pub fn archive_period(policy: &Policy, d: NaiveDate) -> (NaiveDate, NaiveDate) {
    // A loaded policy always has a valid start and at least one year; the fallbacks only
    // keep a hand-built one from panicking.
    let start = policy
        .archive_start()
        .unwrap_or_else(|| NaiveDate::from_ymd_opt(d.year(), 1, 1).unwrap_or(d));
    let period = i64::from(policy.archive.period_years.max(1)) * 12;
    let boundary = |k: i64| -> NaiveDate {
        let months = k.saturating_mul(period);
        let shifted = match u32::try_from(months.unsigned_abs()) {
            Ok(m) if months >= 0 => start.checked_add_months(Months::new(m)),
            Ok(m) => start.checked_sub_months(Months::new(m)),
            Err(_) => None,
        };
        shifted.unwrap_or(if months >= 0 {
            NaiveDate::MAX
        } else {
            NaiveDate::MIN
        })
    };
    let months =
        i64::from(d.year() - start.year()) * 12 + i64::from(d.month()) - i64::from(start.month());
    let mut k = months.div_euclid(period);
    // The month estimate is off by at most one period where the day of the month decides.
    for _ in 0..3 {
        if boundary(k) > d {
            k -= 1;
        } else if boundary(k + 1) <= d {
            k += 1;
        } else {
            break;
        }
    }
    let next = boundary(k + 1);
    let last = if next == NaiveDate::MAX {
        next
    } else {
        add_days(next, -1)
    };
    (boundary(k), last)
}

/// The retention clock of a case as of `today`. None when the case has no purpose, or
/// one the policy does not know.
pub fn retention_clock(case: &Case, policy: &Policy, today: NaiveDate) -> Option<RetentionClock> {
    let rule = policy.purpose(case.purpose.as_deref()?)?.retention;
    let received = case.enquiry.received.danish_day();
    let closed = case.closed.as_ref().map(|s| s.at.danish_day());
    let handed_over = case.handed_over.as_ref().map(|s| s.at.danish_day());
    let held = case.legal_hold.is_some();

    let handover_due = match rule {
        RetentionRule::ArchiveThenDelete | RetentionRule::ArchiveThenAssess => {
            closed.map(|c| archive_period_end(policy, c))
        }
        RetentionRule::DeleteAfterYears { .. } => None,
    };
    let deletion_due = match rule {
        RetentionRule::ArchiveThenDelete => handed_over,
        RetentionRule::ArchiveThenAssess => case.assessment.as_ref().and_then(|a| {
            if a.keep {
                a.review
            } else {
                Some(a.made.at.danish_day())
            }
        }),
        RetentionRule::DeleteAfterYears { years } => {
            closed.map(|c| add_months(c, years.saturating_mul(12)))
        }
    };

    let (state, reason) = match (closed, rule) {
        (None, _) => (
            RetentionState::Open,
            "the case is not closed yet; retention starts when it closes".to_string(),
        ),
        (Some(c), RetentionRule::DeleteAfterYears { years }) => {
            after_years(years, c, deletion_due.unwrap_or(c), handed_over, today)
        }
        (Some(c), _) => match handed_over {
            None => before_handover(c, archive_period(policy, c), today),
            Some(h) if rule == RetentionRule::ArchiveThenDelete => (
                RetentionState::DeletionDue,
                format!("handed over to the State Archives on {h}; delete the authority's copy"),
            ),
            Some(h) => after_assessment(case.assessment.as_ref(), h, today),
        },
    };

    // A legal hold stops deletion, never archiving: a due handover still shows.
    let (state, reason) = match (held, state) {
        (false, _) => (state, reason),
        (true, RetentionState::HandoverDue) => (
            state,
            format!("{reason} (the legal hold stops deletion, not archiving)"),
        ),
        (true, _) => (
            RetentionState::Held,
            format!(
                "under legal hold, so nothing is deleted until it is lifted; otherwise: {reason}"
            ),
        ),
    };

    Some(RetentionClock {
        received,
        closed,
        handover_due,
        deletion_due,
        held,
        state,
        reason,
    })
}

/// An archive-then-* case, closed and not yet handed over.
fn before_handover(
    closed: NaiveDate,
    (first, last): (NaiveDate, NaiveDate),
    today: NaiveDate,
) -> (RetentionState, String) {
    if today > last {
        (
            RetentionState::HandoverDue,
            format!("archive period {first}–{last} ended; hand over to the State Archives"),
        )
    } else {
        (
            RetentionState::Waiting,
            format!(
                "closed {closed} in archive period {first}–{last}; \
                 hand over to the State Archives after {last}"
            ),
        )
    }
}

/// An archive-then-assess case after handover: the recorded assessment decides.
fn after_assessment(
    assessment: Option<&Assessment>,
    handed_over: NaiveDate,
    today: NaiveDate,
) -> (RetentionState, String) {
    let Some(a) = assessment else {
        return (
            RetentionState::AssessmentDue,
            format!(
                "handed over to the State Archives on {handed_over}; \
                 a specific assessment of whether to keep the case is due"
            ),
        );
    };
    let made = a.made.at.danish_day();
    match (a.keep, a.review) {
        (false, _) => (
            RetentionState::DeletionDue,
            format!("the assessment of {made} decided deletion; delete the authority's copy"),
        ),
        (true, Some(review)) if today >= review => (
            RetentionState::AssessmentDue,
            format!("kept after the assessment of {made} until {review}; a new assessment is due"),
        ),
        (true, review) => (
            RetentionState::Kept { review },
            match review {
                Some(r) => format!("kept after the assessment of {made}; review on {r}"),
                None => format!("kept after the assessment of {made}, with no review date"),
            },
        ),
    }
}

/// "1 year", "5 years".
fn years_word(years: u32) -> String {
    if years == 1 {
        "1 year".into()
    } else {
        format!("{years} years")
    }
}

/// A delete-after-years case, closed (and perhaps handed over all the same).
fn after_years(
    years: u32,
    closed: NaiveDate,
    due: NaiveDate,
    handed_over: Option<NaiveDate>,
    today: NaiveDate,
) -> (RetentionState, String) {
    if today >= due {
        (
            RetentionState::DeletionDue,
            format!(
                "closed {closed}; {} passed on {due}; delete the case",
                years_word(years)
            ),
        )
    } else if let Some(h) = handed_over {
        (
            RetentionState::HandedOver,
            format!(
                "handed over on {h}; delete on {due}, {} after closing",
                years_word(years)
            ),
        )
    } else {
        (
            RetentionState::Waiting,
            format!(
                "closed {closed}; delete on {due}, {} after closing",
                years_word(years)
            ),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::case::{Flag, Stamp, Status};
    use crate::domain::enquiry::{Channel, Enquiry, Language, Reference, Sender};
    use chrono::{DateTime, Utc};

    /// One purpose per deadline and retention rule, and the demo authority's closing days.
    const POLICY: &str = r#"
[authority]
id = "t"
name_en = "Test authority"
name_da = "Testmyndighed"
address = "Street 1"
dpo_contact = "dpo@example.dk"
supervisory_authority = "Datatilsynet"

[calendar]
extra_closing_days = ["06-05", "12-24", "12-31"]

[archive]
first_period_start = "2022-01-01"
period_years = 5

[[purposes]]
id = "rights"
name_en = "Data-subject rights"
name_da = "Registreredes rettigheder"
legal_bases = ["gdpr-6-1-c"]
deadline = { kind = "gdpr-month" }
retention = { kind = "archive-then-delete" }

[[purposes]]
id = "access"
name_en = "Access to documents"
name_da = "Aktindsigt"
legal_bases = ["gdpr-6-1-c"]
deadline = { kind = "offentlighedsloven-36" }
retention = { kind = "archive-then-delete" }

[[purposes]]
id = "citizen"
name_en = "Citizen enquiries"
name_da = "Borgerhenvendelser"
legal_bases = ["gdpr-6-1-e"]
deadline = { kind = "working-days", days = 10 }
retention = { kind = "archive-then-delete" }

[[purposes]]
id = "press"
name_en = "Press"
name_da = "Presse"
legal_bases = ["gdpr-6-1-e"]
deadline = { kind = "calendar-days", days = 7 }
retention = { kind = "archive-then-delete" }

[[purposes]]
id = "humanitarian"
name_en = "Humanitarian residence permits"
name_da = "Humanitær opholdstilladelse"
legal_bases = ["gdpr-6-1-e"]
deadline = { kind = "calendar-days", days = 90 }
retention = { kind = "archive-then-assess" }

[[purposes]]
id = "hr"
name_en = "Staff"
name_da = "Personale"
legal_bases = ["gdpr-6-1-c"]
deadline = { kind = "none" }
retention = { kind = "delete-after-years", years = 5 }

[[recipients]]
id = "police"
name_en = "Police"
name_da = "Politiet"
legal_bases = ["gdpr-6-1-e"]
special_categories = false
criminal = false
restricted = false
region = "dk"
"#;

    fn policy() -> Policy {
        Policy::from_toml(POLICY, "test").unwrap()
    }

    fn cal() -> Calendar {
        Calendar::from_policy(&policy())
    }

    fn date(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    /// A UTC instant: "2026-02-05T09:00:00Z", or a bare date for midday.
    fn at(s: &str) -> DateTime<Utc> {
        let full = if s.len() == 10 {
            format!("{s}T12:00:00Z")
        } else {
            s.to_string()
        };
        DateTime::parse_from_rfc3339(&full)
            .unwrap()
            .with_timezone(&Utc)
    }

    fn stamp(s: &str) -> Stamp {
        Stamp {
            by: "anne".into(),
            at: at(s),
        }
    }

    /// A new case under `purpose`, received at `received`: a date (10:00 Danish winter
    /// time) or a full RFC 3339 time with the sender's offset.
    fn case(purpose: &str, received: &str) -> Case {
        let received = if received.len() == 10 {
            format!("{received}T10:00:00+01:00")
        } else {
            received.to_string()
        };
        let enquiry = Enquiry {
            received: DateTime::parse_from_rfc3339(&received).unwrap(),
            channel: Channel::Email,
            sender: Sender {
                name: "Test Person".into(),
                ..Sender::default()
            },
            subject: "Test".into(),
            body: "Test".into(),
            attachments: vec![],
            language: Language::Da,
            message_id: None,
            purpose: None,
            right: None,
        };
        let mut c = Case::new(
            Reference::new(2026, 1),
            enquiry,
            vec![],
            stamp("2026-01-01"),
        );
        c.purpose = Some(purpose.to_string());
        c.status = Status::Triaged;
        c
    }

    fn clock(c: &Case, today: &str) -> AnswerClock {
        answer_clock(c, &policy(), &cal(), date(today)).expect("an answer clock")
    }

    fn pause(c: &mut Case, from: &str, until: Option<&str>) {
        c.clock.pauses.push(Pause {
            reason: "identity check".into(),
            from: at(from),
            until: until.map(at),
            by: "anne".into(),
        });
    }

    fn flag() -> Flag {
        Flag {
            reason: "because".into(),
            set: stamp("2026-01-01"),
        }
    }

    #[test]
    fn add_months_follows_regulation_1182_71() {
        for (from, months, want) in [
            ("2026-01-15", 1, "2026-02-15"),
            ("2026-01-31", 1, "2026-02-28"),
            ("2024-01-31", 1, "2024-02-29"),
            ("2026-03-31", 1, "2026-04-30"),
            ("2026-12-31", 2, "2027-02-28"),
            ("2026-01-31", 3, "2026-04-30"),
            ("2024-02-29", 12, "2025-02-28"),
            ("2024-02-29", 48, "2028-02-29"),
            ("2026-05-05", 0, "2026-05-05"),
        ] {
            assert_eq!(
                add_months(date(from), months),
                date(want),
                "{from} + {months}"
            );
        }
        assert_eq!(add_months(NaiveDate::MAX, 1), NaiveDate::MAX);
        assert_eq!(add_months(date("2026-01-01"), u32::MAX), NaiveDate::MAX);
    }

    #[test]
    fn gdpr_month_ends_on_the_same_date_or_the_next_working_day() {
        for (received, want, why) in [
            ("2026-01-31", "2026-03-02", "28 Feb 2026 is a Saturday"),
            ("2024-01-31", "2024-02-29", "a Thursday in a leap year"),
            ("2026-01-15", "2026-02-16", "15 Feb 2026 is a Sunday"),
            ("2026-02-10", "2026-03-10", "a Tuesday"),
            ("2026-03-06", "2026-04-07", "6 April 2026 is Easter Monday"),
            (
                "2026-03-02",
                "2026-04-07",
                "2 April 2026 is Maundy Thursday, then Easter",
            ),
            (
                "2026-11-25",
                "2026-12-28",
                "Christmas Day is a Friday, then a weekend",
            ),
            (
                "2026-11-24",
                "2026-12-28",
                "24 Dec is a closing day of the authority",
            ),
            ("2026-12-01", "2027-01-04", "New Year's Day is a Friday"),
            (
                "2026-12-24",
                "2027-01-25",
                "received on a closing day; 24 Jan 2027 is a Sunday",
            ),
            (
                "2026-12-31",
                "2027-02-01",
                "received on a closing day; 31 Jan 2027 is a Sunday",
            ),
            ("2026-03-07", "2026-04-07", "received on a Saturday"),
            (
                "2026-05-05",
                "2026-06-08",
                "5 June is a closing day, then a weekend",
            ),
        ] {
            let c = clock(&case("rights", received), received);
            assert_eq!(c.due, date(want), "{received}: {why}");
            assert_eq!(c.rule, DeadlineRule::GdprMonth);
            assert!(!c.extended && !c.paused && c.paused_days == 0);
            assert!(!c.delay_letter_due && !c.complaint_possible);
            assert_eq!(
                first_deadline(&case("rights", received), &policy(), &cal()),
                Some(date(want))
            );
        }
    }

    #[test]
    fn the_date_of_receipt_is_the_senders_own_date() {
        // 00:30 Danish time on 1 March is still 28 February in UTC.
        let c = clock(&case("rights", "2026-03-01T00:30:00+01:00"), "2026-03-01");
        assert_eq!(c.received, date("2026-03-01"));
        assert_eq!(c.due, date("2026-04-01"));
    }

    #[test]
    fn gdpr_countdown_in_days() {
        let c = case("rights", "2026-01-31");
        for (today, want, short) in [
            (
                "2026-01-31",
                Countdown::DueIn {
                    n: 30,
                    unit: Unit::Days,
                },
                "30d",
            ),
            (
                "2026-02-27",
                Countdown::DueIn {
                    n: 3,
                    unit: Unit::Days,
                },
                "3d",
            ),
            ("2026-03-02", Countdown::DueToday, "today"),
            (
                "2026-03-04",
                Countdown::Overdue {
                    n: 2,
                    unit: Unit::Days,
                },
                "overdue 2d",
            ),
        ] {
            let got = clock(&c, today).countdown;
            assert_eq!(got, want, "{today}");
            assert_eq!(got.short(), short);
        }
    }

    #[test]
    fn extension_is_three_months_from_receipt() {
        for (received, want) in [
            ("2026-01-31", "2026-04-30"),
            ("2026-01-05", "2026-04-07"), // 5 April 2026 is Easter Sunday, the 6th Easter Monday
            ("2026-11-30", "2027-03-01"), // 28 Feb 2027 is a Sunday
        ] {
            let mut c = case("rights", received);
            let first = first_deadline(&c, &policy(), &cal()).unwrap();
            c.clock.extension = Some(flag());
            let ac = clock(&c, received);
            assert!(ac.extended);
            assert_eq!(ac.due, date(want), "{received}");
            assert_eq!(
                first_deadline(&c, &policy(), &cal()),
                Some(first),
                "the first deadline ignores the extension"
            );
            assert!(first < ac.due);
        }
    }

    #[test]
    fn extension_only_moves_the_gdpr_deadline() {
        let mut c = case("citizen", "2026-03-30");
        c.clock.extension = Some(flag());
        let ac = clock(&c, "2026-03-30");
        assert!(!ac.extended);
        assert_eq!(ac.due, date("2026-04-16"));
    }

    #[test]
    fn a_closed_pause_shifts_the_gdpr_deadline_by_its_days() {
        // Received Monday 2 Feb 2026: due Monday 2 March without a pause.
        for (from, until, days, want) in [
            (
                "2026-02-05T09:00:00Z",
                "2026-02-15T09:00:00Z",
                10,
                "2026-03-12",
            ),
            (
                "2026-02-05T09:00:00Z",
                "2026-02-15T10:00:00Z",
                11,
                "2026-03-13",
            ), // a started day counts
            (
                "2026-02-05T09:00:00Z",
                "2026-02-17T09:00:00Z",
                12,
                "2026-03-16",
            ), // 14 March is a Saturday
            (
                "2026-02-05T09:00:00Z",
                "2026-02-05T15:00:00Z",
                1,
                "2026-03-03",
            ),
            (
                "2026-02-05T09:00:00Z",
                "2026-02-05T09:00:00Z",
                0,
                "2026-03-02",
            ),
            (
                "2026-02-05T09:00:00Z",
                "2026-02-01T09:00:00Z",
                0,
                "2026-03-02",
            ), // backwards: nothing
        ] {
            let mut c = case("rights", "2026-02-02");
            pause(&mut c, from, Some(until));
            let ac = clock(&c, "2026-02-20");
            assert_eq!(
                (ac.paused_days, ac.due),
                (days, date(want)),
                "{from}..{until}"
            );
            assert!(!ac.paused);
            assert_eq!(first_deadline(&c, &policy(), &cal()), Some(date(want)));
        }
    }

    #[test]
    fn pauses_add_up_and_combine_with_the_extension() {
        let mut c = case("rights", "2026-02-02");
        pause(&mut c, "2026-02-05T09:00:00Z", Some("2026-02-08T09:00:00Z"));
        pause(&mut c, "2026-02-10T09:00:00Z", Some("2026-02-12T09:00:00Z"));
        c.clock.extension = Some(flag());
        let ac = clock(&c, "2026-02-20");
        assert_eq!(ac.paused_days, 5);
        // 2 May 2026 + 5 days = Thursday 7 May.
        assert_eq!(ac.due, date("2026-05-07"));
        assert_eq!(
            first_deadline(&c, &policy(), &cal()),
            Some(date("2026-03-09"))
        );
    }

    #[test]
    fn an_open_pause_counts_up_to_today_and_freezes_the_countdown() {
        let mut c = case("rights", "2026-02-02");
        pause(&mut c, "2026-02-05T09:00:00Z", None);
        for (today, days, want) in [
            ("2026-02-05", 0, "2026-03-02"),
            ("2026-02-06", 1, "2026-03-03"),
            ("2026-02-16", 11, "2026-03-13"),
            ("2026-02-20", 15, "2026-03-17"),
            ("2026-03-20", 43, "2026-04-14"), // 13 April 2026 is a Monday; 12 April a Sunday
        ] {
            let ac = clock(&c, today);
            assert!(ac.paused);
            assert_eq!((ac.paused_days, ac.due), (days, date(want)), "{today}");
            // As it stood on 5 February: 25 days to 2 March.
            assert_eq!(
                ac.countdown,
                Countdown::DueIn {
                    n: 25,
                    unit: Unit::Days
                },
                "{today}"
            );
            assert_eq!(
                first_deadline_on(&c, &policy(), &cal(), date(today)),
                Some(date(want))
            );
        }
        assert_eq!(
            first_deadline(&c, &policy(), &cal()),
            Some(date("2026-03-02")),
            "an open pause is not counted"
        );
    }

    #[test]
    fn offentlighedsloven_36_counts_seven_working_days() {
        for (received, want, why) in [
            ("2026-03-30", "2026-04-13", "Easter: 2–6 April are closed"),
            ("2026-12-22", "2027-01-06", "Christmas and New Year"),
            (
                "2026-12-24",
                "2027-01-07",
                "received on a closing day; 31 Dec is closed too",
            ),
            ("2026-03-07", "2026-03-17", "received on a Saturday"),
            ("2026-03-09", "2026-03-18", "an ordinary Monday"),
        ] {
            let ac = clock(&case("access", received), received);
            assert_eq!(ac.due, date(want), "{received}: {why}");
            assert_eq!(ac.rule, DeadlineRule::Offentlighedsloven36);
        }
    }

    #[test]
    fn delay_letter_on_the_due_day_and_complaint_the_day_after() {
        // Received 30 March 2026: 7 working days end 13 April, 14 end 22 April.
        let c = case("access", "2026-03-30");
        for (today, countdown, letter, complaint) in [
            ("2026-03-30", "7wd", false, false),
            ("2026-04-01", "5wd", false, false),
            ("2026-04-03", "5wd", false, false), // Easter: the count stands still
            ("2026-04-08", "3wd", false, false),
            ("2026-04-13", "today", true, false),
            ("2026-04-14", "overdue 1wd", true, false),
            ("2026-04-22", "overdue 7wd", true, false),
            ("2026-04-23", "overdue 8wd", true, true),
        ] {
            let ac = clock(&c, today);
            assert_eq!(ac.countdown.short(), countdown, "{today}");
            assert_eq!(ac.delay_letter_due, letter, "letter {today}");
            assert_eq!(ac.complaint_possible, complaint, "complaint {today}");
            assert_eq!(ac.complaint_date, Some(date("2026-04-22")), "{today}");
        }
    }

    #[test]
    fn an_overdue_working_day_count_is_at_least_one() {
        // Due Friday 13 March; on Saturday no working day has passed, but it is overdue.
        let c = case("access", "2026-03-04");
        assert_eq!(clock(&c, "2026-03-13").countdown, Countdown::DueToday);
        assert_eq!(
            clock(&c, "2026-03-14").countdown,
            Countdown::Overdue {
                n: 1,
                unit: Unit::WorkingDays
            }
        );
        assert_eq!(
            clock(&c, "2026-03-16").countdown,
            Countdown::Overdue {
                n: 1,
                unit: Unit::WorkingDays
            }
        );
        assert_eq!(
            clock(&c, "2026-03-17").countdown,
            Countdown::Overdue {
                n: 2,
                unit: Unit::WorkingDays
            }
        );
    }

    #[test]
    fn a_pause_on_a_36_clock_is_ignored() {
        // The Access to Public Administration Files Act has no suspension: a pause
        // recorded on an access request moves neither the § 36 nor the § 39 date.
        let mut c = case("access", "2026-03-30");
        pause(&mut c, "2026-04-08T09:00:00Z", None);
        let ac = clock(&c, "2026-04-20");
        assert_eq!(
            (ac.paused, ac.paused_days, ac.due),
            (false, 0, date("2026-04-13"))
        );
        assert_eq!(ac.complaint_date, Some(date("2026-04-22")));
        assert!(ac.delay_letter_due && !ac.complaint_possible);
        assert!(pause_refused(&c, &policy()).is_some());
        assert!(pause_refused(&case("rights", "2026-03-30"), &policy()).is_none());
    }

    #[test]
    fn working_and_calendar_day_rules() {
        let ac = clock(&case("citizen", "2026-03-30"), "2026-04-14");
        assert_eq!(ac.due, date("2026-04-16"));
        assert_eq!(
            ac.countdown,
            Countdown::DueIn {
                n: 2,
                unit: Unit::WorkingDays
            }
        );
        assert!(
            !ac.delay_letter_due && !ac.complaint_possible,
            "§ 36 and § 39 are for access requests only"
        );
        assert_eq!(
            clock(&case("citizen", "2026-03-30"), "2026-04-30")
                .countdown
                .short(),
            "overdue 10wd"
        );

        // 27 March + 7 days is Good Friday; then Easter until Monday.
        let ac = clock(&case("press", "2026-03-27"), "2026-04-01");
        assert_eq!(ac.due, date("2026-04-07"));
        assert_eq!(ac.countdown.short(), "6d");
        let ac = clock(&case("press", "2026-03-10"), "2026-03-10");
        assert_eq!(ac.due, date("2026-03-17"));
    }

    #[test]
    fn no_clock_without_a_rule_or_once_answered() {
        let p = policy();
        let today = date("2026-03-10");
        assert_eq!(
            answer_clock(&case("hr", "2026-03-10"), &p, &cal(), today),
            None,
            "rule none"
        );
        assert_eq!(first_deadline(&case("hr", "2026-03-10"), &p, &cal()), None);
        assert_eq!(
            answer_clock(&case("unknown", "2026-03-10"), &p, &cal(), today),
            None
        );
        let mut c = case("rights", "2026-03-10");
        c.purpose = None;
        assert_eq!(answer_clock(&c, &p, &cal(), today), None, "no purpose");
        for status in [Status::Answered, Status::Closed, Status::HandedOver] {
            let mut c = case("rights", "2026-03-10");
            c.status = status;
            assert_eq!(answer_clock(&c, &p, &cal(), today), None, "{status}");
            assert_eq!(
                first_deadline(&c, &p, &cal()),
                Some(date("2026-04-10")),
                "{status}"
            );
        }
        for status in [Status::New, Status::Triaged, Status::Routed] {
            let mut c = case("rights", "2026-03-10");
            c.status = status;
            assert!(answer_clock(&c, &p, &cal(), today).is_some(), "{status}");
        }
    }

    #[test]
    fn sort_key_puts_the_most_urgent_first() {
        let wd = |n| Countdown::DueIn {
            n,
            unit: Unit::WorkingDays,
        };
        let d = |n| Countdown::DueIn {
            n,
            unit: Unit::Days,
        };
        let late = |n, unit| Countdown::Overdue { n, unit };
        let mut v = vec![
            d(30),
            wd(5),
            Countdown::DueToday,
            late(1, Unit::Days),
            d(1),
            late(3, Unit::WorkingDays),
            wd(1),
            d(6),
        ];
        v.sort_by_key(Countdown::sort_key);
        assert_eq!(
            v,
            vec![
                late(3, Unit::WorkingDays),
                late(1, Unit::Days),
                Countdown::DueToday,
                d(1),
                wd(1),
                d(6),
                wd(5),
                d(30)
            ]
        );
        assert_eq!(
            wd(5).sort_key(),
            d(7).sort_key(),
            "five working days weigh a week"
        );
        assert!(late(i64::MAX, Unit::WorkingDays).sort_key() < late(1, Unit::Days).sort_key());
    }

    fn closed(c: &mut Case, on: &str) {
        c.status = Status::Closed;
        c.closed = Some(stamp(on));
    }

    fn handed_over(c: &mut Case, on: &str) {
        c.status = Status::HandedOver;
        c.handed_over = Some(stamp(on));
    }

    fn retention(c: &Case, today: &str) -> RetentionClock {
        retention_clock(c, &policy(), date(today)).expect("a retention clock")
    }

    #[test]
    fn archive_periods_of_five_years_from_2022() {
        let p = policy();
        for (d, want) in [
            ("2022-01-01", "2026-12-31"),
            ("2024-06-01", "2026-12-31"),
            ("2026-12-31", "2026-12-31"),
            ("2027-01-01", "2031-12-31"),
            ("2029-07-15", "2031-12-31"),
            ("2031-12-31", "2031-12-31"),
            ("2032-01-01", "2036-12-31"),
            ("2021-12-31", "2021-12-31"),
            ("2017-01-01", "2021-12-31"),
            ("2016-12-31", "2016-12-31"),
        ] {
            assert_eq!(archive_period_end(&p, date(d)), date(want), "{d}");
        }
        let _ = archive_period_end(&p, NaiveDate::MIN);
        assert_eq!(archive_period_end(&p, NaiveDate::MAX), NaiveDate::MAX);
    }

    #[test]
    fn archive_periods_from_an_odd_start() {
        let two_years = POLICY
            .replace("2022-01-01", "2022-03-15")
            .replace("period_years = 5", "period_years = 2");
        let p = Policy::from_toml(&two_years, "test").unwrap();
        for (d, want) in [
            ("2024-03-14", "2024-03-14"),
            ("2024-03-15", "2026-03-14"),
            ("2022-03-14", "2022-03-14"),
        ] {
            assert_eq!(archive_period_end(&p, date(d)), date(want), "{d}");
        }
        let leap = POLICY
            .replace("2022-01-01", "2024-02-29")
            .replace("period_years = 5", "period_years = 1");
        let p = Policy::from_toml(&leap, "test").unwrap();
        for (d, want) in [
            ("2024-02-29", "2025-02-27"),
            ("2025-02-28", "2026-02-27"),
            ("2028-02-29", "2029-02-27"),
        ] {
            assert_eq!(archive_period_end(&p, date(d)), date(want), "{d}");
        }
    }

    #[test]
    fn archive_then_delete_through_its_states() {
        let mut c = case("citizen", "2024-05-20");
        let r = retention(&c, "2024-05-21");
        assert_eq!(
            (r.state, r.closed, r.handover_due, r.deletion_due),
            (RetentionState::Open, None, None, None)
        );

        closed(&mut c, "2024-06-01");
        let r = retention(&c, "2026-12-31");
        assert_eq!(r.state, RetentionState::Waiting, "{}", r.reason);
        assert_eq!(
            r.reason,
            "closed 2024-06-01 in archive period 2022-01-01–2026-12-31; \
             hand over to the State Archives after 2026-12-31"
        );
        assert_eq!(
            (r.received, r.closed, r.handover_due),
            (
                date("2024-05-20"),
                Some(date("2024-06-01")),
                Some(date("2026-12-31"))
            )
        );
        assert_eq!(r.deletion_due, None);

        let r = retention(&c, "2027-01-01");
        assert_eq!(r.state, RetentionState::HandoverDue);
        assert_eq!(
            r.reason,
            "archive period 2022-01-01–2026-12-31 ended; hand over to the State Archives"
        );

        handed_over(&mut c, "2027-01-10");
        let r = retention(&c, "2027-01-10");
        assert_eq!(
            (r.state, r.deletion_due),
            (RetentionState::DeletionDue, Some(date("2027-01-10")))
        );
        assert!(!r.held);
    }

    #[test]
    fn a_legal_hold_stops_deletion_but_not_handover() {
        let mut c = case("citizen", "2024-05-20");
        c.legal_hold = Some(flag());
        assert_eq!(
            retention(&c, "2024-05-21").state,
            RetentionState::Held,
            "held while still open"
        );

        closed(&mut c, "2024-06-01");
        let r = retention(&c, "2026-06-01");
        assert_eq!(r.state, RetentionState::Held);
        let r = retention(&c, "2027-01-01");
        assert_eq!(
            r.state,
            RetentionState::HandoverDue,
            "archiving goes on under a hold"
        );
        assert!(r.held && r.reason.contains("legal hold"), "{}", r.reason);

        handed_over(&mut c, "2027-01-10");
        let r = retention(&c, "2030-01-01");
        assert_eq!(r.state, RetentionState::Held, "no deletion while held");
        assert!(r.held && r.reason.contains("legal hold"), "{}", r.reason);

        c.legal_hold = None;
        assert_eq!(
            retention(&c, "2030-01-01").state,
            RetentionState::DeletionDue
        );
    }

    #[test]
    fn archive_then_assess_keeps_or_deletes_after_an_assessment() {
        let mut c = case("humanitarian", "2023-02-01");
        closed(&mut c, "2025-11-30");
        assert_eq!(retention(&c, "2026-12-31").state, RetentionState::Waiting);
        assert_eq!(
            retention(&c, "2027-01-01").state,
            RetentionState::HandoverDue
        );
        handed_over(&mut c, "2027-01-15");
        let r = retention(&c, "2027-01-15");
        assert_eq!(
            (r.state, r.deletion_due),
            (RetentionState::AssessmentDue, None)
        );

        let mut kept = c.clone();
        kept.assessment = Some(Assessment {
            keep: true,
            reason: "of historical value".into(),
            review: Some(date("2032-01-01")),
            made: stamp("2027-02-01"),
        });
        let r = retention(&kept, "2031-12-31");
        assert_eq!(
            r.state,
            RetentionState::Kept {
                review: Some(date("2032-01-01"))
            }
        );
        assert_eq!(r.deletion_due, Some(date("2032-01-01")));
        assert_eq!(
            retention(&kept, "2032-01-01").state,
            RetentionState::AssessmentDue,
            "review date reached"
        );

        let mut deleted = c.clone();
        deleted.assessment = Some(Assessment {
            keep: false,
            reason: "no further value".into(),
            review: None,
            made: stamp("2027-02-01"),
        });
        let r = retention(&deleted, "2027-02-01");
        assert_eq!(
            (r.state, r.deletion_due),
            (RetentionState::DeletionDue, Some(date("2027-02-01")))
        );

        deleted.legal_hold = Some(flag());
        assert_eq!(
            retention(&deleted, "2027-02-01").state,
            RetentionState::Held
        );
    }

    #[test]
    fn delete_after_years_counts_from_closing() {
        let mut c = case("hr", "2023-10-01");
        closed(&mut c, "2024-02-29");
        let r = retention(&c, "2029-02-27");
        assert_eq!(
            (r.state, r.handover_due, r.deletion_due),
            (RetentionState::Waiting, None, Some(date("2029-02-28")))
        );
        let r = retention(&c, "2029-02-28");
        assert_eq!(r.state, RetentionState::DeletionDue);
        assert_eq!(
            r.reason,
            "closed 2024-02-29; 5 years passed on 2029-02-28; delete the case"
        );

        handed_over(&mut c, "2025-01-10");
        assert_eq!(
            retention(&c, "2026-01-01").state,
            RetentionState::HandedOver
        );
        assert_eq!(
            retention(&c, "2029-03-01").state,
            RetentionState::DeletionDue
        );

        c.legal_hold = Some(flag());
        assert_eq!(retention(&c, "2029-03-01").state, RetentionState::Held);
    }

    #[test]
    fn one_year_is_said_in_the_singular() {
        let d = |s: &str| date(s);
        let (_, due) = after_years(1, d("2025-03-01"), d("2026-03-01"), None, d("2026-03-01"));
        assert_eq!(
            due,
            "closed 2025-03-01; 1 year passed on 2026-03-01; delete the case"
        );
        let (_, waiting) = after_years(1, d("2025-03-01"), d("2026-03-01"), None, d("2025-06-01"));
        assert_eq!(
            waiting,
            "closed 2025-03-01; delete on 2026-03-01, 1 year after closing"
        );
        let (_, two) = after_years(2, d("2025-03-01"), d("2027-03-01"), None, d("2025-06-01"));
        assert!(two.ends_with(", 2 years after closing"), "{two}");
    }

    #[test]
    fn stamps_count_on_their_danish_date() {
        // 23:30 UTC on New Year's Eve is already 1 January in Denmark: the new period.
        let mut c = case("citizen", "2026-12-01");
        closed(&mut c, "2026-12-31T23:30:00Z");
        let r = retention(&c, "2027-01-01");
        assert_eq!(r.closed, Some(date("2027-01-01")));
        assert_eq!(r.handover_due, Some(date("2031-12-31")));
    }

    #[test]
    fn no_retention_clock_without_a_known_purpose() {
        let mut c = case("unknown", "2026-03-02");
        assert_eq!(retention_clock(&c, &policy(), date("2026-03-02")), None);
        c.purpose = None;
        assert_eq!(retention_clock(&c, &policy(), date("2026-03-02")), None);
    }

    #[test]
    fn retention_state_ids() {
        let ids: Vec<&str> = [
            RetentionState::Open,
            RetentionState::Waiting,
            RetentionState::HandoverDue,
            RetentionState::DeletionDue,
            RetentionState::AssessmentDue,
            RetentionState::Kept { review: None },
            RetentionState::Held,
            RetentionState::HandedOver,
        ]
        .map(RetentionState::as_id)
        .to_vec();
        assert_eq!(
            ids,
            [
                "open",
                "waiting",
                "handover-due",
                "deletion-due",
                "assessment-due",
                "kept",
                "held",
                "handed-over"
            ]
        );
    }

    #[test]
    fn the_timeline_places_today_among_the_steps() {
        let r = RetentionClock {
            received: date("2025-03-02"),
            closed: Some(date("2025-04-01")),
            handover_due: Some(date("2026-12-31")),
            deletion_due: None,
            held: false,
            state: RetentionState::Waiting,
            reason: String::new(),
        };
        let steps: Vec<Milestone> = r
            .timeline(date("2026-11-24"))
            .into_iter()
            .map(|(m, _)| m)
            .collect();
        assert_eq!(
            steps,
            [
                Milestone::Received,
                Milestone::Closed,
                Milestone::Today,
                Milestone::HandoverDue
            ]
        );
        let steps: Vec<Milestone> = r
            .timeline(date("2030-01-01"))
            .into_iter()
            .map(|(m, _)| m)
            .collect();
        assert_eq!(steps.last(), Some(&Milestone::Today));
        let steps: Vec<Milestone> = r
            .timeline(date("2025-03-02"))
            .into_iter()
            .map(|(m, _)| m)
            .collect();
        assert_eq!(
            steps[0],
            Milestone::Today,
            "today before a step due the same day"
        );
    }
}
