//! `triage init`: the one way (besides `triage demo`) a store comes into being.

use super::{db_path, Global};
use crate::domain::policy::{Policy, Role};
use crate::store::Store;
use crate::tui::i18n_cli::CliError;
use anyhow::{anyhow, bail, Context as _, Result};
use std::process::ExitCode;

/// Creates the store at `--db` (mode 0700) under the policy `--policy`, refusing a path that
/// already holds anything and a policy that does not make the caller an administrator.
/// `test_clock` marks the store as one whose clock tests and demos may fix (TRIAGE_NOW).
pub fn run(global: &Global, test_clock: bool) -> Result<ExitCode> {
    let db = db_path(global)?;
    let Some(policy_path) = &global.policy else {
        bail!(CliError::InitNeedsPolicy);
    };
    if Store::exists(&db) {
        bail!(CliError::StoreExists(db));
    }
    if db.exists() && std::fs::read_dir(&db).map(|mut d| d.next().is_some())? {
        bail!(CliError::DirNotEmpty(db));
    }
    let text = std::fs::read_to_string(policy_path)
        .with_context(|| CliError::CannotReadPolicy(policy_path.clone()))?;
    let policy = Policy::from_toml(&text, &policy_path.display().to_string())?;
    let login = crate::identity::os_login().map_err(|e| anyhow!(e))?;
    if !policy.roles_of(&login).contains(&Role::Admin) {
        bail!(CliError::InitNotAdmin {
            policy: policy_path.clone(),
            login
        });
    }
    if !test_clock && super::fixed_now()?.is_some() {
        bail!(CliError::FixedTimeAtInit);
    }
    let store = Store::open(&db)?;
    let actor = crate::store::Actor {
        roles: policy.roles_of(&login),
        login,
    };
    if test_clock {
        store.set_flag("test-clock")?;
    }
    let now = super::store_now(&store)?.unwrap_or_else(chrono::Utc::now);
    crate::store::api::install_policy(&store, &actor, &text, false, now)?;
    store.flush()?;
    println!(
        "store created at {} under {} ({} staff){}",
        db.display(),
        policy_path.display(),
        policy.staff.len(),
        if test_clock { "; a test store" } else { "" }
    );
    println!(
        "  serve it to your staff with `triage serve --db {}`",
        db.display()
    );
    Ok(ExitCode::SUCCESS)
}
