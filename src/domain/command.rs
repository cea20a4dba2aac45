//! Commands: every change to a case, the rules that allow or refuse it, and its event.

use super::basis::LegalBasis;
use super::case::*;
use super::category::DataCategory;
use super::enquiry::RightKind;
use super::invalid::{Invalid, ReasonFor};
use super::policy::{Policy, Role};
use super::routing;
use crate::domain::danish_time::DanishDay;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// The note an extension leaves on the case (the interface says it in Danish too).
pub const EXTENSION_NOTE: &str =
    "The requester must be told of the extension and its reasons within the first month (Art. 12(3)).";

/// Shortest justification accepted for a disclosure: two real sentences, not "ok".
pub const MIN_JUSTIFICATION: usize = 20;
/// Shortest reason accepted where a reason is required.
pub const MIN_REASON: usize = 5;

/// A request to route a case to a recipient.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RouteRequest {
    pub kind: DisclosureKind,
    pub recipient: String,
    pub bases: Vec<LegalBasis>,
    pub justification: String,
    pub transfer: Option<String>,
    /// Staff's reason for not marking the case restricted after a disclosure to a
    /// restricted recipient (Art. 23).
    pub waive_restriction: Option<String>,
    /// Employers told, for employer notices.
    pub parties: Vec<String>,
}

/// Every change to a case. A command is applied against the case version it was decided on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Command {
    Classify {
        confirm: Vec<DataCategory>,
        reject: Vec<DataCategory>,
    },
    SetPurpose {
        purpose: String,
        right: Option<RightKind>,
    },
    Route(RouteRequest),
    Withdraw {
        disclosure: u32,
        reason: String,
    },
    /// Give the case to `to` (None releases it). `from` is who the actor saw holding it:
    /// taking a case from someone else is a decision the actor confirms by naming them.
    Assign {
        to: Option<String>,
        from: Option<String>,
    },
    AddNote {
        text: String,
    },
    Decide {
        outcome: Outcome,
        ruling: Option<Ruling>,
    },
    Answer {
        summary: String,
    },
    Close {
        reason: String,
    },
    Restrict {
        reason: String,
    },
    Unrestrict {
        reason: String,
    },
    Hold {
        reason: String,
    },
    ReleaseHold {
        reason: String,
    },
    Extend {
        reason: String,
    },
    Pause {
        reason: String,
    },
    Resume,
    HandOver,
    Assess {
        keep: bool,
        reason: String,
        review: Option<NaiveDate>,
    },
    Erase {
        ground: String,
    },
    // Appended after `Erase`: the codec stores variants by index (see store/codec.rs).
    /// The case was written into the archival version `package`; `file_index_md5` is the MD5 of
    /// that package's fileIndex.xml, which pins every file in it.
    Package {
        package: String,
        file_index_md5: String,
    },
    /// The National Archives approved the archival version `package` on `approved`: from that
    /// day the case counts as handed over and its deletion clock runs.
    ArchiveApproved {
        package: String,
        approved: NaiveDate,
    },
}

impl Command {
    /// The action's name in the audit log and the CLI.
    pub fn action(&self) -> &'static str {
        match self {
            Command::Classify { .. } => "classify",
            Command::SetPurpose { .. } => "set-purpose",
            Command::Route(r) => match r.kind {
                DisclosureKind::Disclosure => "route",
                DisclosureKind::Forward => "forward",
                DisclosureKind::EmployerNotice => "employer-notice",
            },
            Command::Withdraw { .. } => "withdraw",
            Command::Assign { .. } => "assign",
            Command::AddNote { .. } => "note",
            Command::Decide { .. } => "decide",
            Command::Answer { .. } => "answer",
            Command::Close { .. } => "close",
            Command::Restrict { .. } => "restrict",
            Command::Unrestrict { .. } => "unrestrict",
            Command::Hold { .. } => "hold",
            Command::ReleaseHold { .. } => "release-hold",
            Command::Extend { .. } => "extend",
            Command::Pause { .. } => "pause",
            Command::Resume => "resume",
            Command::HandOver => "hand-over",
            Command::Assess { .. } => "assess",
            Command::Erase { .. } => "erase",
            Command::Package { .. } => "archive-package",
            Command::ArchiveApproved { .. } => "archive-approved",
        }
    }

    /// Roles allowed to give the command. Lifting protections and destroying data is the
    /// data protection officer's; handing over to the archives also the administrator's.
    pub fn permitted(&self, roles: &[Role]) -> bool {
        let any = |allowed: &[Role]| roles.iter().any(|r| allowed.contains(r));
        match self {
            Command::Erase { .. }
            | Command::ReleaseHold { .. }
            | Command::Unrestrict { .. }
            | Command::Assess { .. } => any(&[Role::Dpo]),
            Command::HandOver | Command::Package { .. } | Command::ArchiveApproved { .. } => {
                any(&[Role::Dpo, Role::Admin])
            }
            _ => any(&[Role::Caseworker, Role::Dpo, Role::Admin]),
        }
    }
}

/// A change as recorded: the command, who gave it and when, and the version it produced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    pub version: u64,
    pub at: DateTime<Utc>,
    pub actor: String,
    pub change: Change,
}

/// What an event records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Change {
    Registered { source: String },
    Command(Command),
}

impl Change {
    pub fn action(&self) -> &'static str {
        match self {
            Change::Registered { .. } => "register",
            Change::Command(c) => c.action(),
        }
    }
}

/// A read of personal data, logged per the Data Protection Agency's guidance on logging.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Access {
    OpenCase,
    RevealCpr,
    Search {
        terms: String,
    },
    Export {
        what: String,
    },
    Report {
        what: String,
    },
    /// A policy installed: blake3 digests of the old text (None on a new store) and the new
    /// one, and the ids in use it removed that `--force` overrode.
    InstallPolicy {
        old: Option<String>,
        new: String,
        forced: Vec<String>,
    },
}

impl Access {
    pub fn action(&self) -> &'static str {
        match self {
            Access::OpenCase => "open",
            Access::RevealCpr => "reveal-cpr",
            Access::Search { .. } => "search",
            Access::Export { .. } => "export",
            Access::Report { .. } => "report",
            Access::InstallPolicy { .. } => "install-policy",
        }
    }
}

/// Who is acting, on what rules, at what time. The domain never reads the clock itself.
pub struct Context<'a> {
    pub actor: &'a str,
    pub roles: &'a [Role],
    pub now: DateTime<Utc>,
    pub policy: &'a Policy,
}

/// Why a command was refused. Nothing is written for a refused command.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("{action} needs the role {needs}; you have {have}")]
    NotPermitted {
        action: &'static str,
        needs: &'static str,
        have: String,
    },
    #[error("{action} is not possible on a case that is {status}")]
    WrongStatus {
        action: &'static str,
        status: Status,
    },
    #[error("{0}")]
    Invalid(Invalid),
    #[error("routing refused: {}", routing_text(.0))]
    Routing(Vec<routing::RouteProblem>),
}

fn routing_text(problems: &[routing::RouteProblem]) -> String {
    problems
        .iter()
        .map(|p| p.to_string())
        .collect::<Vec<_>>()
        .join("; ")
}

/// The result of applying a command.
#[derive(Debug, Clone, PartialEq)]
pub enum Applied {
    Updated(Box<Case>),
    Erased(Tombstone),
}

fn need_reason(what: ReasonFor, text: &str) -> Result<String, Refusal> {
    let t = text.trim();
    if t.chars().count() < MIN_REASON {
        return Err(Refusal::Invalid(Invalid::ReasonTooShort {
            what,
            min: MIN_REASON,
        }));
    }
    Ok(t.to_string())
}

fn roles_text(roles: &[Role]) -> String {
    if roles.is_empty() {
        "none".into()
    } else {
        roles
            .iter()
            .map(|r| r.as_id())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Applies `cmd` to `case` under `ctx`: the new state, or the reason it is refused.
/// `answer_due` is the case's current answer deadline (from the clocks), needed to decide
/// whether an extension is still allowed.
pub fn apply(
    case: &Case,
    cmd: &Command,
    ctx: &Context,
    answer_due: Option<NaiveDate>,
) -> Result<Applied, Refusal> {
    if !cmd.permitted(ctx.roles) {
        let needs = match cmd {
            Command::HandOver | Command::Package { .. } | Command::ArchiveApproved { .. } => {
                "dpo or admin"
            }
            Command::Erase { .. }
            | Command::ReleaseHold { .. }
            | Command::Unrestrict { .. }
            | Command::Assess { .. } => "dpo",
            _ => "caseworker, dpo or admin",
        };
        return Err(Refusal::NotPermitted {
            action: cmd.action(),
            needs,
            have: roles_text(ctx.roles),
        });
    }
    let wrong = || Refusal::WrongStatus {
        action: cmd.action(),
        status: case.status,
    };
    let stamp = Stamp {
        by: ctx.actor.to_string(),
        at: ctx.now,
    };
    let mut next = case.clone();
    let open = case.status.is_open();

    match cmd {
        Command::Classify { confirm, reject } => {
            if !open {
                return Err(wrong());
            }
            if confirm.is_empty() && reject.is_empty() {
                return Err(Refusal::Invalid(Invalid::ClassifyNeedsCategory));
            }
            if let Some(&category) = confirm.iter().find(|c| reject.contains(c)) {
                return Err(Refusal::Invalid(Invalid::ConfirmedAndRejected { category }));
            }
            for (cats, verdict) in [(confirm, Verdict::Confirmed), (reject, Verdict::Rejected)] {
                for &category in cats {
                    next.categories.retain(|d| d.category != category);
                    next.categories.push(CategoryDecision {
                        category,
                        verdict,
                        decided: stamp.clone(),
                    });
                }
            }
            next.categories.sort_by_key(|d| d.category);
            if next.status == Status::New && !special_undecided(&next) {
                next.status = Status::Triaged;
            }
        }
        Command::SetPurpose { purpose, right } => {
            if !open {
                return Err(wrong());
            }
            if ctx.policy.purpose(purpose).is_none() {
                return Err(Refusal::Invalid(Invalid::UnknownPurpose {
                    purpose: purpose.clone(),
                }));
            }
            if purpose == "data-subject-rights" && right.is_none() && case.right.is_none() {
                return Err(Refusal::Invalid(Invalid::RightNeeded));
            }
            next.purpose = Some(purpose.clone());
            next.right = if purpose == "data-subject-rights" {
                right.or(case.right)
            } else {
                None
            };
            if next.status == Status::New && !special_undecided(&next) {
                next.status = Status::Triaged;
            }
        }
        Command::Route(req) => {
            if !open {
                return Err(wrong());
            }
            routing::check(ctx.policy, case, req).map_err(Refusal::Routing)?;
            let recipient = ctx.policy.recipient(&req.recipient).expect("checked above");
            let id = case.disclosures.iter().map(|d| d.id).max().unwrap_or(0) + 1;
            next.disclosures.push(Disclosure {
                id,
                kind: req.kind,
                recipient: req.recipient.clone(),
                bases: req.bases.clone(),
                justification: req.justification.trim().to_string(),
                transfer: req
                    .transfer
                    .as_ref()
                    .map(|t| t.trim().to_string())
                    .filter(|t| !t.is_empty()),
                categories: case.confirmed(),
                parties: req.parties.clone(),
                made: stamp.clone(),
                withdrawn: None,
            });
            if recipient.restricted && case.restriction.is_none() {
                match &req.waive_restriction {
                    Some(why) => {
                        need_reason(ReasonFor::WaiveRestriction, why)?;
                    }
                    None => {
                        next.restriction = Some(Flag {
                            reason: format!("disclosed to {} (Art. 23)", recipient.name_en),
                            set: stamp.clone(),
                        });
                    }
                }
            }
            next.status = Status::Routed;
        }
        Command::Withdraw { disclosure, reason } => {
            let reason = need_reason(ReasonFor::Withdraw, reason)?;
            let d = next
                .disclosures
                .iter_mut()
                .find(|d| d.id == *disclosure)
                .ok_or(Refusal::Invalid(Invalid::NoDisclosure {
                    disclosure: *disclosure,
                    reference: case.reference,
                }))?;
            if d.withdrawn.is_some() {
                return Err(Refusal::Invalid(Invalid::AlreadyWithdrawn {
                    disclosure: *disclosure,
                }));
            }
            d.withdrawn = Some(Flag {
                reason,
                set: stamp.clone(),
            });
        }
        Command::Assign { to, from } => {
            if !open {
                return Err(wrong());
            }
            if case.assignee != *from {
                return Err(Refusal::Invalid(match &case.assignee {
                    Some(holder) => Invalid::HeldBy {
                        reference: case.reference,
                        holder: holder.clone(),
                    },
                    None => Invalid::NoLongerHeld {
                        reference: case.reference,
                    },
                }));
            }
            if let Some(login) = to {
                if ctx.policy.staff(login).is_none() {
                    return Err(Refusal::Invalid(Invalid::NotStaff {
                        login: login.clone(),
                    }));
                }
            }
            if case.assignee == *to {
                return Err(Refusal::Invalid(Invalid::SameAssignee));
            }
            next.assignee = to.clone();
        }
        Command::AddNote { text } => {
            if case.status >= Status::HandedOver {
                return Err(wrong());
            }
            let t = text.trim();
            if t.is_empty() {
                return Err(Refusal::Invalid(Invalid::NoteNeedsText));
            }
            next.notes.push(Note {
                text: t.to_string(),
                made: stamp.clone(),
            });
        }
        Command::Decide { outcome, ruling } => {
            if !open {
                return Err(wrong());
            }
            if case.purpose.as_deref() != Some("data-subject-rights") {
                return Err(Refusal::Invalid(Invalid::DecideNeedsRightsCase));
            }
            let ruling = match (outcome, ruling) {
                (Outcome::Granted, _) => ruling.clone(),
                (_, Some(r))
                    if r.reasons.trim().chars().count() >= MIN_JUSTIFICATION
                        && !r.ground.trim().is_empty() =>
                {
                    Some(Ruling {
                        reasons: r.reasons.trim().into(),
                        ground: r.ground.trim().into(),
                    })
                }
                _ => {
                    return Err(Refusal::Invalid(Invalid::RulingNeeded {
                        outcome: *outcome,
                        min: MIN_JUSTIFICATION,
                    }))
                }
            };
            next.decision = Some(Decision {
                outcome: *outcome,
                ruling,
                made: stamp.clone(),
            });
            next.status = Status::Answered;
            next.answered = Some(stamp.clone());
        }
        Command::Answer { summary } => {
            if !open {
                return Err(wrong());
            }
            if case.purpose.as_deref() == Some("data-subject-rights") {
                return Err(Refusal::Invalid(Invalid::RightsCaseAnsweredByDecision));
            }
            let t = summary.trim();
            if t.is_empty() {
                return Err(Refusal::Invalid(Invalid::AnswerNeedsSummary));
            }
            next.notes.push(Note {
                text: format!("Answered: {t}"),
                made: stamp.clone(),
            });
            next.status = Status::Answered;
            next.answered = Some(stamp.clone());
        }
        Command::Close { reason } => {
            if !(open || case.status == Status::Answered) {
                return Err(wrong());
            }
            let reason = need_reason(ReasonFor::Close, reason)?;
            if case.purpose.is_none() {
                return Err(Refusal::Invalid(Invalid::CloseNeedsPurpose));
            }
            if case.purpose.as_deref() == Some("data-subject-rights") && case.decision.is_none() {
                return Err(Refusal::Invalid(Invalid::RightsCaseNeedsDecision));
            }
            next.notes.push(Note {
                text: format!("Closed: {reason}"),
                made: stamp.clone(),
            });
            next.status = Status::Closed;
            next.closed = Some(stamp.clone());
        }
        Command::Restrict { reason } => {
            if case.restriction.is_some() {
                return Err(Refusal::Invalid(Invalid::AlreadyRestricted));
            }
            next.restriction = Some(Flag {
                reason: need_reason(ReasonFor::Restrict, reason)?,
                set: stamp.clone(),
            });
        }
        Command::Unrestrict { reason } => {
            need_reason(ReasonFor::Unrestrict, reason)?;
            if case.restriction.is_none() {
                return Err(Refusal::Invalid(Invalid::NotRestricted));
            }
            next.restriction = None;
        }
        Command::Hold { reason } => {
            if case.legal_hold.is_some() {
                return Err(Refusal::Invalid(Invalid::AlreadyOnHold));
            }
            next.legal_hold = Some(Flag {
                reason: need_reason(ReasonFor::Hold, reason)?,
                set: stamp.clone(),
            });
        }
        Command::ReleaseHold { reason } => {
            need_reason(ReasonFor::ReleaseHold, reason)?;
            if case.legal_hold.is_none() {
                return Err(Refusal::Invalid(Invalid::NotOnHold));
            }
            next.legal_hold = None;
        }
        Command::Extend { reason } => {
            if !open {
                return Err(wrong());
            }
            if case.purpose.as_deref() != Some("data-subject-rights") {
                return Err(Refusal::Invalid(Invalid::ExtendOnlyRights));
            }
            if case.clock.extension.is_some() {
                return Err(Refusal::Invalid(Invalid::AlreadyExtended));
            }
            let reason = need_reason(ReasonFor::Extend, reason)?;
            match answer_due {
                Some(due) if ctx.now.danish_day() <= due => {}
                Some(due) => return Err(Refusal::Invalid(Invalid::ExtensionTooLate { due })),
                None => return Err(Refusal::Invalid(Invalid::NoDeadlineToExtend)),
            }
            next.clock.extension = Some(Flag {
                reason,
                set: stamp.clone(),
            });
            next.notes.push(Note {
                text: EXTENSION_NOTE.into(),
                made: stamp.clone(),
            });
        }
        Command::Pause { reason } => {
            if !open {
                return Err(wrong());
            }
            if let Some(why) = super::clock::pause_refused(case, ctx.policy) {
                return Err(Refusal::Invalid(why));
            }
            if case.clock.pauses.iter().any(|p| p.until.is_none()) {
                return Err(Refusal::Invalid(Invalid::AlreadyPaused));
            }
            let reason = need_reason(ReasonFor::Pause, reason)?;
            next.clock.pauses.push(Pause {
                reason,
                from: ctx.now,
                until: None,
                by: ctx.actor.into(),
            });
        }
        Command::Resume => {
            let p = next
                .clock
                .pauses
                .iter_mut()
                .find(|p| p.until.is_none())
                .ok_or(Refusal::Invalid(Invalid::NotPaused))?;
            p.until = Some(ctx.now);
        }
        Command::HandOver => {
            if case.status != Status::Closed {
                return Err(wrong());
            }
            next.status = Status::HandedOver;
            next.handed_over = Some(stamp.clone());
        }
        Command::Assess {
            keep,
            reason,
            review,
        } => {
            if case.status != Status::HandedOver {
                return Err(wrong());
            }
            let reason = need_reason(ReasonFor::Assess, reason)?;
            if *keep && review.is_none() {
                return Err(Refusal::Invalid(Invalid::KeepNeedsReview));
            }
            next.assessment = Some(Assessment {
                keep: *keep,
                reason,
                review: *review,
                made: stamp.clone(),
            });
        }
        Command::Erase { ground } => {
            if !matches!(case.status, Status::Closed | Status::HandedOver) {
                return Err(wrong());
            }
            if let Some(hold) = &case.legal_hold {
                return Err(Refusal::Invalid(Invalid::UnderLegalHold {
                    reason: hold.reason.clone(),
                }));
            }
            let ground = need_reason(ReasonFor::Erase, ground)?;
            return Ok(Applied::Erased(Tombstone {
                reference: case.reference,
                purpose: case.purpose.clone(),
                received: case.enquiry.received.danish_day(),
                closed: case.closed.as_ref().map(|s| s.at),
                handed_over: case.handed_over.as_ref().map(|s| s.at),
                ground,
                erased: stamp,
                version: case.version + 1,
            }));
        }
        Command::Package { package, .. } => {
            // HandedOver: marked by the old flag, before archival versions existed.
            if !matches!(case.status, Status::Closed | Status::HandedOver) {
                return Err(wrong());
            }
            if package.trim().is_empty() {
                return Err(Refusal::Invalid(Invalid::PackageNeedsId));
            }
        }
        Command::ArchiveApproved { approved, .. } => {
            if !matches!(case.status, Status::Closed | Status::HandedOver) {
                return Err(wrong());
            }
            next.status = Status::HandedOver;
            next.handed_over = Some(Stamp {
                by: ctx.actor.to_string(),
                at: super::handover::approval_time(*approved),
            });
        }
    }
    next.version = case.version + 1;
    next.updated = stamp;
    Ok(Applied::Updated(Box::new(next)))
}

/// A suggestion of an Art. 9 special category or of Art. 10 criminal data that nobody has
/// confirmed or rejected yet: such a case stays New, so it is not routed on a guess.
fn special_undecided(case: &Case) -> bool {
    case.open_suggestions()
        .iter()
        .any(|s| s.category.is_special() || s.category.is_criminal())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::case::Suggestion;
    use crate::domain::category::DataCategory;
    use crate::domain::fixtures;

    fn with_suggestions(cats: &[DataCategory]) -> Case {
        let mut c = fixtures::case("2026-11-23T09:00:00+01:00", "x");
        c.suggestions = cats
            .iter()
            .map(|&category| Suggestion {
                category,
                confidence: 0.8,
                spans: vec![],
            })
            .collect();
        c
    }

    fn run(case: &Case, cmd: Command) -> Case {
        let policy = fixtures::policy();
        let ctx = Context {
            actor: "anne",
            roles: &[Role::Caseworker],
            now: fixtures::at("2026-11-24T09:00:00Z"),
            policy: &policy,
        };
        match apply(case, &cmd, &ctx, None).unwrap() {
            Applied::Updated(c) => *c,
            other => panic!("{other:?}"),
        }
    }

    fn classify(confirm: &[DataCategory], reject: &[DataCategory]) -> Command {
        Command::Classify {
            confirm: confirm.to_vec(),
            reject: reject.to_vec(),
        }
    }

    /// A case leaves New only when every Art. 9 / Art. 10 suggestion on it is decided:
    /// nobody routes health data on a guess.
    #[test]
    fn a_case_stays_new_while_a_special_suggestion_is_undecided() {
        use DataCategory::*;
        let case = with_suggestions(&[Health, Criminal, Contact]);
        let after = run(&case, classify(&[Contact], &[]));
        assert_eq!(after.status, Status::New, "health and criminal undecided");
        let purpose = Command::SetPurpose {
            purpose: "citizen-enquiries".into(),
            right: None,
        };
        assert_eq!(run(&after, purpose.clone()).status, Status::New);
        let after = run(&after, classify(&[Health], &[]));
        assert_eq!(after.status, Status::New, "criminal still undecided");
        let after = run(&after, classify(&[], &[Criminal]));
        assert_eq!(after.status, Status::Triaged, "rejected counts as decided");
        // Only general suggestions open: triage moves on.
        let plain = with_suggestions(&[Contact]);
        assert_eq!(run(&plain, purpose).status, Status::Triaged);
    }
}
