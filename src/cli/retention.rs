//! `triage retention`: where each closed case stands between its archive period and its deletion
//! as of a date, and (with `--apply`) erasing what is due, never before the archives approved it.

use super::{open, Global};
use crate::archive::registry;
use crate::domain::case::CaseRecord;
use crate::domain::clock;
use crate::domain::command::Command;
use crate::domain::danish_time::DanishDay;
use crate::domain::enquiry::Reference;
use crate::domain::handover::{self, Decision, Step};
use crate::domain::policy::Role;
use crate::store::api::{Api, Embedded};
use crate::store::StoreError;
use anyhow::{bail, Result};
use chrono::NaiveDate;
use std::io::{BufRead, Write};
use std::process::ExitCode;

#[derive(serde::Serialize)]
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
    #[serde(skip)]
    /// The case, for applying.
    key: Option<Reference>,
}

/// Steps worth a line in the list: something is due or waiting on someone.
fn listed(step: Step) -> bool {
    matches!(
        step,
        Step::PackageDue | Step::Packaged | Step::AssessmentDue | Step::DeletionDue | Step::Held
    )
}

/// Every closed case with something due or pending as of `today`, in reference order.
pub fn plan(api: &Embedded, today: NaiveDate) -> Result<Vec<Due>, StoreError> {
    let mut due = Vec::new();
    for rec in api.store.cases() {
        let CaseRecord::Live(case) = rec? else {
            continue;
        };
        let archived = registry::archived(&api.store, case.reference)?;
        let Some(Decision {
            step,
            erase,
            reason,
        }) = handover::decide(&case, &api.policy, today, archived)
        else {
            continue;
        };
        if case.closed.is_none() || !listed(step) {
            continue;
        }
        let clock = clock::retention_clock(&case, &api.policy, today);
        due.push(Due {
            reference: case.reference.to_string(),
            purpose: case.purpose.clone(),
            state: step.as_id(),
            handover_due: clock.as_ref().and_then(|c| c.handover_due),
            deletion_due: clock.as_ref().and_then(|c| c.deletion_due),
            reason,
            applied: None,
            erase,
            key: Some(case.reference),
        });
    }
    Ok(due)
}

pub fn run(
    global: &Global,
    as_of: Option<NaiveDate>,
    apply: bool,
    yes: bool,
    json: bool,
) -> Result<ExitCode> {
    let api = open(global)?;
    let real_today = api.now().danish_day();
    let today = as_of.unwrap_or(real_today);
    if apply && today > real_today {
        bail!("--as-of {today} is after today ({real_today}): retention erases only what is due now; nothing changed");
    }
    let mut due = plan(&api, today)?;
    let to_erase = due.iter().filter(|d| d.erase).count();
    let (mut erased, mut refused) = (0, 0);
    if apply && to_erase > 0 {
        if !api.actor.roles.contains(&Role::Dpo) {
            bail!("erasing needs the dpo role; nothing changed");
        }
        if !yes {
            eprintln!("retention will erase {to_erase} cases as of {today}:");
            for d in due.iter().filter(|d| d.erase) {
                eprintln!("  {}  {}", d.reference, d.reason);
            }
            eprint!("Erase them? Type yes to go on: ");
            let _ = std::io::stderr().flush();
            let mut answer = String::new();
            let _ = std::io::stdin().lock().read_line(&mut answer);
            if !matches!(answer.trim(), "yes" | "y") {
                bail!("not confirmed (type yes, or pass --yes): nothing changed");
            }
        }
        for d in due.iter_mut().filter(|d| d.erase) {
            let r = d.key.expect("planned cases carry their reference");
            d.applied = Some(match erase_one(&api, r, today) {
                Ok(true) => {
                    erased += 1;
                    "erased".into()
                }
                Ok(false) => "nothing to do".into(),
                Err(e) => {
                    refused += 1;
                    format!("refused: {e}")
                }
            });
        }
    }
    if json {
        println!("{}", serde_json::to_string_pretty(&due)?);
    } else {
        for d in &due {
            println!(
                "{}  {:<24} {:<15} {}{}",
                d.reference,
                d.purpose.as_deref().unwrap_or("-"),
                d.state,
                d.reason,
                d.applied
                    .as_deref()
                    .map(|a| format!(" → {a}"))
                    .unwrap_or_default()
            );
        }
        let count = |s: Step| due.iter().filter(|d| d.state == s.as_id()).count();
        println!(
            "as of {today}: {} due for an archival version, {} awaiting the archives' approval, {} due for deletion, {} need a recorded assessment, {} held",
            count(Step::PackageDue),
            count(Step::Packaged),
            count(Step::DeletionDue),
            count(Step::AssessmentDue),
            count(Step::Held)
        );
        if apply {
            println!("applied: {erased} erased, {refused} refused");
        }
    }
    drop(api);
    // Erased data is gone from every tree; rewriting the store removes it from the files
    // too (sled keeps old values in its log until it reuses the space).
    if erased > 0 {
        let db = super::db_path(global)?;
        super::compact::run_on(&db)?;
        if !json {
            println!("store rewritten: erased data is gone from its files");
        }
    }
    Ok(if refused > 0 {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}

/// Erases one case if, decided again on its current state, it is due; one transaction.
fn erase_one(api: &Embedded, r: Reference, today: NaiveDate) -> Result<bool, StoreError> {
    let case = api.store.live_case(r)?;
    let archived = registry::archived(&api.store, r)?;
    match handover::decide(&case, &api.policy, today, archived) {
        Some(d) if d.erase => {
            let ground = format!("Retention ended: {}", d.reason);
            api.execute(r, case.version, &Command::Erase { ground })?;
            Ok(true)
        }
        _ => Ok(false),
    }
}
