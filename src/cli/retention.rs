//! `triage retention`: where each closed case stands between its archive period and its deletion
//! as of a date, and (with `--apply`) erasing what is due, never before the archives approved it.

use super::{find_server, open, Global};
use crate::domain::danish_time::DanishDay;
use crate::domain::handover::Step;
use crate::domain::policy::Role;
use crate::store::api::Api;
use crate::tui::i18n_cli::CliError;
use crate::usecase::retention::{self, Applied};
use anyhow::{bail, Result};
use chrono::NaiveDate;
use std::io::{BufRead, Write};
use std::process::ExitCode;

pub fn run(
    global: &Global,
    as_of: Option<NaiveDate>,
    apply: bool,
    yes: bool,
    json: bool,
) -> Result<ExitCode> {
    // Through the server when one runs for the store (it decides the roles), else here.
    if let Some(client) = find_server(global)? {
        let done = run_on(&client, as_of, apply, yes, json)?;
        if done.erased > 0 && !json {
            println!("erased from every tree and the journal; sled's own files keep old values until the store is rewritten: stop the server and run `triage compact`");
        }
        return Ok(exit(done));
    }
    let api = open(global)?;
    let done = run_on(&api, as_of, apply, yes, json)?;
    drop(api);
    // Erased data is gone from every tree; rewriting the store removes it from the files
    // too (sled keeps old values in its log until it reuses the space).
    if done.erased > 0 {
        let db = super::db_path(global)?;
        super::compact::run_on(&db)?;
        if !json {
            println!("store rewritten: erased data is gone from its files");
        }
    }
    Ok(exit(done))
}

fn exit(done: Applied) -> ExitCode {
    if done.refused > 0 {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    }
}

/// Lists (and with `apply`, erases) through any `Api`: the same words either way.
fn run_on(
    api: &dyn Api,
    as_of: Option<NaiveDate>,
    apply: bool,
    yes: bool,
    json: bool,
) -> Result<Applied> {
    let real_today = api.now().danish_day();
    let today = as_of.unwrap_or(real_today);
    if apply && today > real_today {
        bail!(CliError::AsOfAfterToday {
            as_of: today,
            today: real_today
        });
    }
    let mut due = retention::plan(api, today)?;
    let to_erase = due.iter().filter(|d| d.erase).count();
    let mut done = Applied::default();
    if apply && to_erase > 0 {
        if !api.actor().roles.contains(&Role::Dpo) {
            bail!(CliError::ErasingNeedsDpo);
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
                bail!(CliError::NotConfirmed);
            }
        }
        done = retention::apply(api, &mut due, today);
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
            println!("applied: {} erased, {} refused", done.erased, done.refused);
        }
    }
    Ok(done)
}
