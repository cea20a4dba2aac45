//! `triage demo`: a fresh store seeded from the bundled sample data, with two years of work on it.
//!
//! Older enquiries are taken through the steps staff would have taken (classify, purpose,
//! route, answer, close) at plausible times, in time order, so the audit chain reads like
//! real use; yesterday's post is left new.

use super::{as_user, default_db, fixed_now, register_batch, Global, DEFAULT_POLICY};
use crate::domain::basis::{BasisKind, LegalBasis};
use crate::domain::case::{Case, CaseRecord, DisclosureKind, Outcome};
use crate::domain::command::{Command, RouteRequest};
use crate::domain::detect::Detector;
use crate::domain::enquiry::Reference;
use crate::domain::policy::{Policy, Role};
use crate::import;
use crate::store::{Actor, Store};
use anyhow::{anyhow, bail, Result};
use chrono::{DateTime, Duration, Utc};
use std::path::Path;
use std::process::ExitCode;

pub const DEMO_ENQUIRIES: &str = include_str!("../../demo-data/enquiries.jsonl");

pub fn run(global: &Global, open_ui: bool) -> Result<ExitCode> {
    let db = match &global.db {
        Some(p) => p.clone(),
        None => default_db("demo")?,
    };
    recreate(&db)?;
    let login = crate::identity::os_login().map_err(|e| anyhow!(e))?;
    let base = match &global.policy {
        Some(p) => std::fs::read_to_string(p)?,
        None => DEFAULT_POLICY.to_string(),
    };
    let mut text = base.clone();
    if Policy::from_toml(&base, "demo policy")?
        .staff(&login)
        .is_none()
    {
        // The person running the demo gets every role, so every action can be tried.
        text.push_str(&format!("\n[[staff]]\nlogin = \"{login}\"\nname = \"{login} (demo)\"\nroles = [\"caseworker\", \"dpo\", \"admin\"]\n"));
    }
    // One handle for the whole run: sled releases its lock only when its threads end.
    let store = Store::open(&db)?;
    store.set_policy_text(&text)?;
    store.set_flag("demo")?;
    // Its clock may be fixed (TRIAGE_NOW): it holds no real enquiries.
    store.set_flag("test-clock")?;
    let demo_global = Global {
        db: Some(db.clone()),
        policy: None,
        da: global.da,
        server: None,
    };
    let api = as_user(store, &demo_global)?;
    let now = fixed_now()?.unwrap_or_else(Utc::now);
    let records = import::read_jsonl(
        DEMO_ENQUIRIES.as_bytes(),
        Path::new("demo-data/enquiries.jsonl"),
    )?;
    let stats = seed(&api.store, &api.policy, records, now, &login)?;
    println!(
        "demo store at {}: {} cases ({} new, {} closed), {} disclosures, audit chain of {} entries",
        db.display(),
        stats.cases,
        stats.new,
        stats.closed,
        stats.disclosures,
        api.store.verify_audit()?.entries
    );
    if open_ui {
        return super::run_interface(&api, &demo_global);
    }
    Ok(ExitCode::SUCCESS)
}

/// Removes an earlier demo store; refuses to touch anything that is not one.
fn recreate(db: &Path) -> Result<()> {
    if !db.exists() {
        return Ok(());
    }
    if std::fs::read_dir(db)?.next().is_none() {
        return Ok(());
    }
    let is_demo = Store::open(db).and_then(|s| s.flag("demo"))?;
    match is_demo {
        true => std::fs::remove_dir_all(db)?,
        false => bail!(crate::tui::i18n_cli::CliError::NotDemoStore(
            db.to_path_buf()
        )),
    }
    Ok(())
}

#[derive(Default)]
pub struct SeedStats {
    pub cases: usize,
    pub new: usize,
    pub closed: usize,
    pub disclosures: usize,
}

/// Which recipient a purpose's cases typically go to in the demo, and why.
pub(crate) fn typical_route(purpose: &str) -> Option<(&'static str, &'static str)> {
    Some(match purpose {
        "humanitarian-residence" => ("immigration-service", "The Immigration Service needs the applicant's account and documents to assess the residence basis. The application cannot be decided without its input."),
        "citizenship" => ("police", "The police are consulted on criminal records before a naturalisation bill. Only the data needed for that check is sent."),
        "complaints" => ("ombudsman", "The Parliamentary Ombudsman has asked for the case in connection with the complaint. The full case file is needed to answer."),
        "parliament" => ("parliament", "The answer to the parliamentary question requires the facts of the case. Personal data is limited to what the question concerns."),
        "citizen-enquiries" => ("local-authorities", "The enquiry concerns the citizen's municipal services. The local authority needs the enquiry to reply on its own area."),
        "whistleblower" => ("prosecution", "The report describes possible criminal offences. The prosecution service must assess whether to open an investigation."),
        _ => return None,
    })
}

/// Picks bases the recipient accepts: an Art. 6 basis (the purpose's if it shares one),
/// and a basis for each of the policy's category rules the confirmed categories bring in.
pub(crate) fn pick_bases(policy: &Policy, recipient: &str, case: &Case) -> Vec<LegalBasis> {
    let Some(r) = policy.recipient(recipient) else {
        return vec![];
    };
    let purpose_bases: Vec<LegalBasis> = case
        .purpose
        .as_deref()
        .and_then(|p| policy.purpose(p))
        .map(|p| p.bases().collect())
        .unwrap_or_default();
    let of = |kind: BasisKind| -> Option<LegalBasis> {
        let candidates: Vec<LegalBasis> = r.bases().filter(|b| b.kind() == kind).collect();
        candidates
            .iter()
            .find(|b| purpose_bases.contains(b))
            .or(candidates.first())
            .copied()
    };
    let mut bases: Vec<LegalBasis> = of(BasisKind::Art6).into_iter().collect();
    for need in crate::domain::routing::category_needs(policy, &case.confirmed()) {
        if bases.iter().any(|b| need.rule.accepts(*b)) {
            continue;
        }
        let candidates: Vec<LegalBasis> = r.bases().filter(|b| need.rule.accepts(*b)).collect();
        bases.extend(
            candidates
                .iter()
                .find(|b| purpose_bases.contains(b))
                .or(candidates.first())
                .copied(),
        );
    }
    bases
}

/// What happens next to a demo case and when.
enum Step {
    Register(usize),
    Act(usize, Command),
}

/// The day the bundled demo enquiries were written for: "yesterday's post" is dated the day
/// before it.
pub const DEMO_DAY: (i32, u32, u32) = (2026, 11, 24);

/// Moves every enquiry by whole days so that the demo lives on the day it runs: yesterday's
/// post is yesterday's, and deadlines fall due and run over as they did on `DEMO_DAY`.
pub fn relative_to(records: &mut [import::Record], now: DateTime<Utc>) {
    let (y, m, d) = DEMO_DAY;
    let written = chrono::NaiveDate::from_ymd_opt(y, m, d).expect("a valid date");
    let shift =
        Duration::days((crate::domain::danish_time::danish_date(&now) - written).num_days());
    for r in records {
        r.enquiry.received += shift;
    }
}

pub fn seed(
    store: &Store,
    policy: &Policy,
    mut records: Vec<import::Record>,
    now: DateTime<Utc>,
    runner: &str,
) -> Result<SeedStats> {
    relative_to(&mut records, now);
    let detector = Detector::from_policy(policy);
    let caseworkers: Vec<String> = policy
        .staff
        .iter()
        .filter(|s| s.roles.contains(&Role::Caseworker) && s.login.get_ref() != runner)
        .map(|s| s.login.get_ref().clone())
        .collect();
    let dpo = policy
        .staff
        .iter()
        .find(|s| s.roles.contains(&Role::Dpo))
        .map(|s| s.login.get_ref().clone())
        .unwrap_or(runner.to_string());
    let actor_for = |login: &str| Actor {
        login: login.to_string(),
        roles: policy.roles_of(login),
    };
    let worker = |i: usize| {
        caseworkers
            .get(i % caseworkers.len().max(1))
            .cloned()
            .unwrap_or(runner.to_string())
    };

    // Plan registrations and the first steps (classify, purpose) on a timeline.
    let mut timeline: Vec<(DateTime<Utc>, Step)> = Vec::new();
    for (i, r) in records.iter().enumerate() {
        let received = r.enquiry.received.with_timezone(&Utc).min(now);
        timeline.push((received, Step::Register(i)));
    }
    timeline.sort_by_key(|(t, _)| *t);
    store.set_flush_each(false);
    let mut refs: Vec<Option<Reference>> = vec![None; records.len()];
    let mut stats = SeedStats {
        cases: 0,
        ..Default::default()
    };
    let mut later: Vec<(DateTime<Utc>, Step)> = Vec::new();
    // Steps are taken in time order with the registrations, so the audit chain reads as the
    // days went: no entry dated before the one it follows.
    let act_until = |later: &mut Vec<(DateTime<Utc>, Step)>,
                     refs: &[Option<Reference>],
                     until: Option<DateTime<Utc>>| {
        later.sort_by_key(|(t, _)| std::cmp::Reverse(*t));
        while let Some((at, _)) = later.last() {
            if until.is_some_and(|u| *at > u) {
                break;
            }
            let Some((at, Step::Act(i, mut cmd))) = later.pop() else {
                continue;
            };
            let Some(r) = refs[i] else { continue };
            let Ok(case) = store.live_case(r) else {
                continue;
            };
            if let Command::Route(req) = &mut cmd {
                req.bases = pick_bases(policy, &req.recipient, &case);
            }
            let login = match &cmd {
                Command::Hold { .. } => dpo.clone(),
                _ => case.assignee.clone().unwrap_or_else(|| worker(i)),
            };
            // A step the rules refuse (e.g. a basis the recipient lacks) is skipped, as staff
            // would.
            let _ = store.execute(policy, &actor_for(&login), r, case.version, &cmd, at);
        }
    };
    for (at, step) in timeline {
        act_until(&mut later, &refs, Some(at));
        let Step::Register(i) = step else { continue };
        let reg = register_batch(
            store,
            policy,
            &detector,
            vec![records[i].clone()],
            &worker(i),
            at,
        )?;
        refs[i] = reg.registered.first().copied();
        let age = now - at;
        if age < Duration::days(2) {
            if i % 9 == 0 {
                later.push((
                    at + Duration::hours(1),
                    Step::Act(
                        i,
                        Command::Assign {
                            to: Some(runner.into()),
                            from: None,
                        },
                    ),
                ));
            }
            continue;
        }
        let case = match refs[i].and_then(|r| store.live_case(r).ok()) {
            Some(c) => c,
            None => continue,
        };
        let t = |hours: i64| (at + Duration::hours(hours)).min(now - Duration::minutes(5));
        let confirm = case
            .open_suggestions()
            .iter()
            .filter(|s| s.confidence >= 0.6)
            .map(|s| s.category)
            .collect::<Vec<_>>();
        let reject = case
            .open_suggestions()
            .iter()
            .filter(|s| s.confidence < 0.6)
            .map(|s| s.category)
            .collect::<Vec<_>>();
        let holder = if i % 5 == 0 {
            runner.to_string()
        } else {
            worker(i)
        };
        later.push((
            t(2),
            Step::Act(
                i,
                Command::Assign {
                    to: Some(holder),
                    from: None,
                },
            ),
        ));
        if !confirm.is_empty() || !reject.is_empty() {
            later.push((t(3), Step::Act(i, Command::Classify { confirm, reject })));
        } else {
            later.push((
                t(3),
                Step::Act(
                    i,
                    Command::Classify {
                        confirm: vec![crate::domain::category::DataCategory::Contact],
                        reject: vec![],
                    },
                ),
            ));
        }
        let purpose = case
            .enquiry
            .purpose
            .clone()
            .filter(|p| policy.purpose(p).is_some())
            .unwrap_or_else(|| "citizen-enquiries".into());
        later.push((
            t(4),
            Step::Act(
                i,
                Command::SetPurpose {
                    purpose: purpose.clone(),
                    right: case.enquiry.right,
                },
            ),
        ));
        if age > Duration::days(6) && i % 3 != 2 {
            if let Some((recipient, why)) = typical_route(&purpose) {
                // Bases are picked when the step runs, from the case as classified then.
                later.push((
                    t(30),
                    Step::Act(
                        i,
                        Command::Route(RouteRequest {
                            kind: DisclosureKind::Disclosure,
                            recipient: recipient.into(),
                            bases: vec![],
                            justification: why.into(),
                            transfer: None,
                            waive_restriction: None,
                            parties: vec![],
                        }),
                    ),
                ));
            }
        }
        if age > Duration::days(40) {
            if purpose == "data-subject-rights" {
                later.push((
                    t(24 * 20),
                    Step::Act(
                        i,
                        Command::Decide {
                            outcome: Outcome::Granted,
                            ruling: None,
                        },
                    ),
                ));
            } else {
                later.push((
                    t(24 * 14),
                    Step::Act(
                        i,
                        Command::Answer {
                            summary: "Answered by letter.".into(),
                        },
                    ),
                ));
            }
            if i % 7 != 3 {
                later.push((
                    t(24 * 25),
                    Step::Act(
                        i,
                        Command::Close {
                            reason: "Answered; nothing further to do.".into(),
                        },
                    ),
                ));
            }
        }
        if i % 41 == 7 && age > Duration::days(60) {
            later.push((
                t(24 * 26),
                Step::Act(
                    i,
                    Command::Hold {
                        reason: "Pending court case about the decision.".into(),
                    },
                ),
            ));
        }
    }
    act_until(&mut later, &refs, None);
    store.set_flush_each(true);
    store.flush()?;
    for rec in store.cases() {
        stats.cases += 1;
        if let CaseRecord::Live(c) = rec? {
            stats.new += usize::from(c.status == crate::domain::case::Status::New);
            stats.closed += usize::from(c.status == crate::domain::case::Status::Closed);
            stats.disclosures += c.disclosures.len();
        }
    }
    Ok(stats)
}
