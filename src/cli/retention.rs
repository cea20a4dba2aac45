//! `triage retention`: where each closed case stands between its archive period and its deletion
//! as of a date, and (with `--apply`) erasing what is due, never before the archives approved it.

use super::{find_server, open, Global};
use crate::domain::case::CaseRecord;
use crate::domain::danish_time::DanishDay;
use crate::domain::handover::Step;
use crate::domain::policy::Role;
use crate::store::api::{Api, PAGE};
use crate::tui::i18n::Lang;
use crate::tui::i18n_cli::{self, CliError, Say};
use crate::usecase::retention::{self, Applied, Due};
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
    let lang = global.lang();
    if let Some(client) = find_server(global)? {
        let done = run_on(&client, lang, as_of, apply, yes, json)?;
        if done.erased > 0 && !json {
            println!("{}", Say::RetentionCompactServed.text(lang));
        }
        return Ok(exit(done));
    }
    let api = open(global)?;
    let done = run_on(&api, lang, as_of, apply, yes, json)?;
    drop(api);
    // Erased data is gone from every tree; rewriting the store removes it from the files
    // too (sled keeps old values in its log until it reuses the space).
    if done.erased > 0 {
        let db = super::db_path(global)?;
        super::compact::run_on(&db)?;
        if !json {
            println!("{}", Say::RetentionCompacted.text(lang));
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
    lang: Lang,
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
    // The list's reasons in Danish, from each case as it stands before anything is erased.
    if lang == Lang::Da && !json {
        let said = reasons(api, lang, &due, today);
        for (d, reason) in due.iter_mut().zip(said) {
            if let Some(r) = reason {
                d.reason = r;
            }
        }
    }
    let to_erase = due.iter().filter(|d| d.erase).count();
    let mut done = Applied::default();
    if apply && to_erase > 0 {
        if !api.actor().roles.contains(&Role::Dpo) {
            bail!(CliError::ErasingNeedsDpo);
        }
        if !yes {
            let n = to_erase;
            eprintln!("{}", Say::RetentionWillErase { n, today }.text(lang));
            for d in due.iter().filter(|d| d.erase) {
                eprintln!("  {}  {}", d.reference, d.reason);
            }
            eprint!("{}", Say::RetentionConfirm.text(lang));
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
                step(d.state).map_or(d.state, |s| i18n_cli::retention_step(lang, s)),
                d.reason,
                d.applied
                    .as_deref()
                    .map(|a| format!(" → {}", i18n_cli::retention_outcome(lang, a)))
                    .unwrap_or_default()
            );
        }
        let count = |s: Step| due.iter().filter(|d| d.state == s.as_id()).count();
        let summary = Say::RetentionSummary {
            today,
            package_due: count(Step::PackageDue),
            packaged: count(Step::Packaged),
            deletion_due: count(Step::DeletionDue),
            assessment_due: count(Step::AssessmentDue),
            held: count(Step::Held),
        };
        println!("{}", summary.text(lang));
        if apply {
            let (erased, refused) = (done.erased, done.refused);
            println!("{}", Say::RetentionApplied { erased, refused }.text(lang));
        }
    }
    Ok(done)
}

/// The step a listed line names by its id.
fn step(id: &str) -> Option<Step> {
    [
        Step::Open,
        Step::PeriodRunning,
        Step::PackageDue,
        Step::Packaged,
        Step::Approved,
        Step::AssessmentDue,
        Step::DeletionDue,
        Step::Held,
    ]
    .into_iter()
    .find(|s| s.as_id() == id)
}

/// Each listed case's reason in `lang`, read again with the archive register's word on
/// it; None where the case or the register cannot be read (the line keeps its reason).
fn reasons(api: &dyn Api, lang: Lang, due: &[Due], today: NaiveDate) -> Vec<Option<String>> {
    let mut out = Vec::with_capacity(due.len());
    for chunk in due.chunks(PAGE) {
        let refs: Vec<_> = chunk.iter().map(|d| d.key).collect();
        let states = match api.archive_states(&refs) {
            Ok(s) if s.len() == refs.len() => s,
            _ => {
                out.extend(chunk.iter().map(|_| None));
                continue;
            }
        };
        for (d, archived) in chunk.iter().zip(states) {
            out.push(match api.case(d.key) {
                Ok(Some(CaseRecord::Live(case))) => {
                    i18n_cli::retention_decision(lang, &case, api.policy(), today, archived)
                }
                _ => None,
            });
        }
    }
    out
}
