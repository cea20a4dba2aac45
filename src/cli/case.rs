//! `triage case REF …`: the case commands of the interface, from the command line.

use super::{connect_or_open, parse_ref, Global};
use crate::domain::basis::LegalBasis;
use crate::domain::case::{Case, CaseRecord, DisclosureKind, Outcome, Ruling};
use crate::domain::category::DataCategory;
use crate::domain::command::{Access, Command, RouteRequest};
use crate::domain::cpr;
use crate::domain::enquiry::RightKind;
use crate::store::api_error::ApiError;
use crate::store::StoreError;
use crate::tui::i18n;
use crate::tui::i18n_cli::CliError;
use anyhow::Result;
use chrono::NaiveDate;
use clap::Subcommand;
use std::process::ExitCode;

fn reason(v: &Option<String>, what: &'static str) -> Result<String> {
    Ok(v.clone()
        .filter(|s| !s.trim().is_empty())
        .ok_or(CliError::NeedsReason { what })?)
}

/// The commands `triage case REF …` gives, one per case command.
#[derive(Subcommand, Debug)]
pub enum CaseAction {
    /// Confirm or reject data categories (comma-separated ids, e.g. health,cpr)
    #[command(
        after_help = "Example: triage case 2026-000012 classify --confirm health,cpr --reject criminal"
    )]
    Classify {
        /// Categories the case holds (ids: general, contact, cpr, health, criminal, …)
        #[arg(long, value_delimiter = ',', value_name = "IDS")]
        confirm: Vec<DataCategory>,
        /// Categories detection suggested that the case does not hold
        #[arg(long, value_delimiter = ',', value_name = "IDS")]
        reject: Vec<DataCategory>,
        /// Confirm every suggestion detection made
        #[arg(long)]
        accept_suggestions: bool,
    },
    /// Set the processing purpose (an id from the policy)
    #[command(
        after_help = "Example: triage case 2026-000012 purpose data-subject-rights --right access"
    )]
    Purpose {
        /// The purpose's id (see `triage policy`)
        purpose: String,
        /// For data-subject-rights: access, rectification, erasure, restriction, objection
        #[arg(long)]
        right: Option<RightKind>,
    },
    /// Disclose the case to a recipient with legal bases and a justification
    #[command(
        after_help = "Example: triage case 2026-000012 route --to immigration-service --basis gdpr-6-1-e --why \"The Service decides the residence case\""
    )]
    Route {
        /// The recipient's id (see `triage policy`)
        #[arg(long = "to", value_name = "RECIPIENT")]
        to: String,
        /// Legal bases of the disclosure, comma-separated ids (e.g. gdpr-6-1-e,gdpr-9-2-f)
        #[arg(
            long = "basis",
            value_delimiter = ',',
            required = true,
            value_name = "IDS"
        )]
        bases: Vec<LegalBasis>,
        /// Why the recipient needs the data: the justification kept on record
        #[arg(long = "why", value_name = "TEXT")]
        why: String,
        /// Transfer basis, for recipients outside the EU/EEA or international organisations
        #[arg(long)]
        transfer: Option<String>,
        /// Reason for not restricting the case after a disclosure to a restricted recipient
        #[arg(long)]
        waive_restriction: Option<String>,
        /// Forward to the competent authority (Public Administration Act § 7)
        #[arg(long, conflicts_with = "employer_notice")]
        forward: bool,
        /// Notify employers (residence permit refused, revoked or lapsed)
        #[arg(long)]
        employer_notice: bool,
        /// An employer notified (repeatable)
        #[arg(long = "party")]
        parties: Vec<String>,
    },
    /// Withdraw a disclosure made by mistake (it stays on record)
    Withdraw {
        /// The disclosure's number on the case (see `triage show`)
        disclosure: u32,
        /// Why it is withdrawn, kept on record
        #[arg(long)]
        why: Option<String>,
    },
    /// Take the case (from its holder, with --from)
    Take {
        /// The login of the colleague who holds it now
        #[arg(long, value_name = "LOGIN")]
        from: Option<String>,
    },
    /// Release the case you hold
    Release,
    /// Give the case to a colleague
    Assign {
        /// The colleague's login
        login: String,
        /// The login of the colleague who holds it now
        #[arg(long, value_name = "LOGIN")]
        from: Option<String>,
    },
    /// Add a note
    Note {
        /// The note's text
        text: String,
    },
    /// Decide a data-subject-rights request
    #[command(
        after_help = "Example: triage case 2026-000012 decide refused --ground \"GDPR Art. 17(3)(b)\" --reasons \"The data is needed for the pending case.\""
    )]
    Decide {
        /// granted, partly-granted or refused
        outcome: OutcomeArg,
        /// The reasons, written to the citizen (needed unless granted)
        #[arg(long, value_name = "TEXT")]
        reasons: Option<String>,
        /// The legal ground the decision rests on (needed unless granted)
        #[arg(long, value_name = "TEXT")]
        ground: Option<String>,
    },
    /// Record that the enquiry was answered
    Answer {
        /// What the answer said, in a sentence
        summary: String,
    },
    /// Close the case (its retention clock starts)
    Close {
        /// Why, kept on record
        #[arg(long)]
        why: Option<String>,
    },
    /// Restrict under Art. 23 (left out of access reports)
    Restrict {
        /// The Art. 23 reason, kept on record
        #[arg(long)]
        why: Option<String>,
    },
    /// Lift an Art. 23 restriction (the case shows in access reports again)
    Unrestrict {
        /// Why the restriction no longer applies, kept on record
        #[arg(long)]
        why: Option<String>,
    },
    /// Put under legal hold (stops the deletion clock)
    Hold {
        /// The claim or proceedings the data may be needed for
        #[arg(long)]
        why: Option<String>,
    },
    /// Release a legal hold (the deletion clock runs again)
    ReleaseHold {
        /// Why the hold ends, kept on record
        #[arg(long)]
        why: Option<String>,
    },
    /// Extend a data-subject-rights deadline by two months (Art. 12(3))
    Extend {
        /// The reason the citizen is told
        #[arg(long)]
        why: Option<String>,
    },
    /// Pause the answer clock (waiting for identity verification)
    Pause {
        /// What the case waits for
        #[arg(long)]
        why: Option<String>,
    },
    /// Restart a paused answer clock
    Resume,
    /// Record the handover to the state archives
    HandOver,
    /// Record the specific assessment after handover
    Assess {
        /// keep a copy or delete it
        decision: KeepArg,
        /// The assessment's reasons
        #[arg(long)]
        why: Option<String>,
        /// When to assess a kept copy again (YYYY-MM-DD)
        #[arg(long, value_name = "DATE")]
        review: Option<NaiveDate>,
    },
    /// Erase the case's personal data, leaving a tombstone
    Erase {
        /// The legal ground for erasing (e.g. GDPR Art. 17(1)(a))
        #[arg(long, value_name = "TEXT")]
        ground: Option<String>,
    },
    /// Print the CPR numbers of the case unmasked (audited)
    Reveal,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug)]
pub enum OutcomeArg {
    /// The request is granted in full
    Granted,
    /// Granted in part; a ruling with reasons is needed
    PartlyGranted,
    /// Refused; a ruling with reasons is needed
    Refused,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug)]
pub enum KeepArg {
    /// Keep a copy until the review date
    Keep,
    /// Delete the copy
    Delete,
}

pub fn case(
    global: &Global,
    reference: &str,
    at_version: Option<u64>,
    action: CaseAction,
) -> Result<ExitCode> {
    let api = connect_or_open(global)?;
    let r = parse_ref(reference)?;
    let current = match api.case(r)? {
        None => return Err(StoreError::NotFound(r).into()),
        Some(CaseRecord::Erased(_)) => return Err(StoreError::Erased(r).into()),
        Some(CaseRecord::Live(c)) => *c,
    };
    if let CaseAction::Reveal = action {
        api.log_access(Some(r), &Access::RevealCpr)?;
        let mut cprs: Vec<String> = current.enquiry.sender.cpr.iter().cloned().collect();
        cprs.extend(
            cpr::find_cprs(&current.enquiry.body)
                .iter()
                .map(|h| current.enquiry.body[h.start..h.end].to_string()),
        );
        for c in cprs {
            println!("{c}");
        }
        return Ok(ExitCode::SUCCESS);
    }
    let cmd = to_command(action, &current, &api.actor().login)?;
    let mut version = at_version.unwrap_or(current.version);
    let mut tries = 0;
    let rec = loop {
        match api.execute(r, version, &cmd) {
            // A note decides nothing on what the case was: one that met another change is
            // added to the case as it now is. Every other command is refused, as in the
            // interface, so no decision is made on a case the person has not seen.
            Err(ApiError::Conflict { actual, .. })
                if at_version.is_none() && matches!(cmd, Command::AddNote { .. }) && tries < 10 =>
            {
                version = actual;
                tries += 1;
            }
            done => break done?,
        }
    };
    let lang = global.lang();
    println!(
        "{} ({}, version {})",
        i18n::tf(lang, i18n::Msg::Saved, &[&r.to_string()]),
        i18n::action(lang, cmd.action()),
        rec.version()
    );
    Ok(ExitCode::SUCCESS)
}

fn to_command(action: CaseAction, current: &Case, me: &str) -> Result<Command> {
    Ok(match action {
        CaseAction::Classify {
            mut confirm,
            reject,
            accept_suggestions,
        } => {
            if accept_suggestions {
                confirm.extend(
                    current
                        .open_suggestions()
                        .iter()
                        .map(|s| s.category)
                        .filter(|c| !reject.contains(c)),
                );
                confirm.sort();
                confirm.dedup();
            }
            Command::Classify { confirm, reject }
        }
        CaseAction::Purpose { purpose, right } => Command::SetPurpose { purpose, right },
        CaseAction::Route {
            to,
            bases,
            why,
            transfer,
            waive_restriction,
            forward,
            employer_notice,
            parties,
        } => Command::Route(RouteRequest {
            kind: if forward {
                DisclosureKind::Forward
            } else if employer_notice {
                DisclosureKind::EmployerNotice
            } else {
                DisclosureKind::Disclosure
            },
            recipient: to,
            bases,
            justification: why,
            transfer,
            waive_restriction,
            parties,
        }),
        CaseAction::Withdraw { disclosure, why } => Command::Withdraw {
            disclosure,
            reason: reason(&why, "withdraw")?,
        },
        CaseAction::Take { from } => Command::Assign {
            to: Some(me.to_string()),
            from,
        },
        CaseAction::Release => Command::Assign {
            to: None,
            from: Some(me.to_string()),
        },
        CaseAction::Assign { login, from } => Command::Assign {
            to: Some(login),
            from: from.or_else(|| current.assignee.clone()),
        },
        CaseAction::Note { text } => Command::AddNote { text },
        CaseAction::Decide {
            outcome,
            reasons,
            ground,
        } => {
            let outcome = match outcome {
                OutcomeArg::Granted => Outcome::Granted,
                OutcomeArg::PartlyGranted => Outcome::PartlyGranted,
                OutcomeArg::Refused => Outcome::Refused,
            };
            let ruling = match (reasons, ground) {
                (None, None) => None,
                (r, g) => Some(Ruling {
                    reasons: r.unwrap_or_default(),
                    ground: g.unwrap_or_default(),
                }),
            };
            Command::Decide { outcome, ruling }
        }
        CaseAction::Answer { summary } => Command::Answer { summary },
        CaseAction::Close { why } => Command::Close {
            reason: reason(&why, "close")?,
        },
        CaseAction::Restrict { why } => Command::Restrict {
            reason: reason(&why, "restrict")?,
        },
        CaseAction::Unrestrict { why } => Command::Unrestrict {
            reason: reason(&why, "unrestrict")?,
        },
        CaseAction::Hold { why } => Command::Hold {
            reason: reason(&why, "hold")?,
        },
        CaseAction::ReleaseHold { why } => Command::ReleaseHold {
            reason: reason(&why, "release-hold")?,
        },
        CaseAction::Extend { why } => Command::Extend {
            reason: reason(&why, "extend")?,
        },
        CaseAction::Pause { why } => Command::Pause {
            reason: reason(&why, "pause")?,
        },
        CaseAction::Resume => Command::Resume,
        CaseAction::HandOver => Command::HandOver,
        CaseAction::Assess {
            decision,
            why,
            review,
        } => Command::Assess {
            keep: matches!(decision, KeepArg::Keep),
            reason: reason(&why, "assess")?,
            review,
        },
        CaseAction::Erase { ground } => Command::Erase {
            ground: ground
                .filter(|g| !g.trim().is_empty())
                .ok_or(CliError::NeedsGround)?,
        },
        CaseAction::Reveal => unreachable!("handled before"),
    })
}
