//! `triage retention`: which closed cases are due for handover to the State Archives or for
//! deletion as of a date, and (with `--apply`) recording the handover and erasing.

use super::{connect_or_open, pages, Global};
use crate::domain::case::CaseRecord;
use crate::domain::clock::{self, RetentionState};
use crate::domain::command::Command;
use crate::domain::danish_time::DanishDay;
use crate::domain::enquiry::Reference;
use crate::store::api::Api;
use crate::store::StoreError;
use anyhow::Result;
use chrono::NaiveDate;
use std::process::ExitCode;

#[derive(serde::Serialize)]
struct Due {
    reference: String,
    purpose: Option<String>,
    state: &'static str,
    handover_due: Option<NaiveDate>,
    deletion_due: Option<NaiveDate>,
    reason: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    applied: Option<String>,
}

pub fn run(global: &Global, as_of: Option<NaiveDate>, apply: bool, json: bool) -> Result<ExitCode> {
    let api = connect_or_open(global)?;
    let served = api.describe().starts_with("server");
    let today = as_of.unwrap_or_else(|| api.now().danish_day());
    let mut due: Vec<(Reference, u64, Due)> = Vec::new();
    for rec in pages(&*api, None) {
        let CaseRecord::Live(case) = rec? else {
            continue;
        };
        let Some(clock) = clock::retention_clock(&case, api.policy(), today) else {
            continue;
        };
        if matches!(
            clock.state,
            RetentionState::HandoverDue
                | RetentionState::DeletionDue
                | RetentionState::AssessmentDue
                | RetentionState::Held
        ) && (clock.state != RetentionState::Held
            || case.status >= crate::domain::case::Status::Closed)
        {
            due.push((
                case.reference,
                case.version,
                Due {
                    reference: case.reference.to_string(),
                    purpose: case.purpose.clone(),
                    state: clock.state.as_id(),
                    handover_due: clock.handover_due,
                    deletion_due: clock.deletion_due,
                    reason: clock.reason.clone(),
                    applied: None,
                },
            ));
        }
    }
    let (mut handed, mut erased, mut refused) = (0, 0, 0);
    if apply {
        for (r, version, d) in &mut due {
            let outcome = apply_one(&*api, *r, *version, today);
            d.applied = Some(match outcome {
                Ok((h, e)) => {
                    handed += h;
                    erased += e;
                    match (h, e) {
                        (1, 1) => "handed over and erased".into(),
                        (1, 0) => "handed over".into(),
                        (0, 1) => "erased".into(),
                        _ => "nothing to do".into(),
                    }
                }
                Err(e) => {
                    refused += 1;
                    format!("refused: {e}")
                }
            });
        }
    }
    if json {
        println!(
            "{}",
            crate::domain::safe_json::to_pretty(
                &due.iter().map(|(_, _, d)| d).collect::<Vec<_>>()
            )?
        );
    } else {
        for (_, _, d) in &due {
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
        let count = |s: &str| due.iter().filter(|(_, _, d)| d.state == s).count();
        println!(
            "as of {today}: {} due for handover, {} due for deletion, {} need a recorded assessment, {} held",
            count("handover-due"),
            count("deletion-due"),
            count("assessment-due"),
            count("held")
        );
        if apply {
            println!("applied: {handed} handed over, {erased} erased, {refused} refused");
        }
    }
    let erased_any = erased > 0;
    drop(api);
    // Erased data is gone from every tree; rewriting the store removes it from the files
    // too (sled keeps old values in its log until it reuses the space).
    if erased_any && served {
        // The server holds the files: they are rewritten when it next stops for it.
        if !json {
            println!("erased data is gone from every record; to remove it from the store's files too, run `triage compact` while the server is stopped (e.g. in the nightly maintenance window)");
        }
    } else if erased_any {
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

/// Hands over and/or erases one case as its retention clock says; returns (handed, erased).
fn apply_one(
    api: &dyn Api,
    r: Reference,
    version: u64,
    today: NaiveDate,
) -> Result<(u32, u32), StoreError> {
    let mut version = version;
    let mut handed = 0;
    loop {
        let case = match api.case(r)? {
            None => return Err(StoreError::NotFound(r)),
            Some(CaseRecord::Erased(_)) => return Err(StoreError::Erased(r)),
            Some(CaseRecord::Live(c)) => c,
        };
        let Some(clock) = clock::retention_clock(&case, api.policy(), today) else {
            return Ok((handed, 0));
        };
        match clock.state {
            RetentionState::HandoverDue => {
                version = api.execute(r, version, &Command::HandOver)?.version();
                handed = 1;
            }
            RetentionState::DeletionDue => {
                let ground = format!("Retention ended: {}", clock.reason);
                api.execute(r, version, &Command::Erase { ground })?;
                return Ok((handed, 1));
            }
            _ => return Ok((handed, 0)),
        }
    }
}
