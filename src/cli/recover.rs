//! `triage recover`: rebuild a damaged store from its journal, the old files kept aside.

use super::{db_path, Global};
use crate::store::recovery;
use anyhow::Result;
use std::process::ExitCode;

pub fn run(global: &Global) -> Result<ExitCode> {
    let db = db_path(global)?;
    let r = recovery::recover(&db)?;
    if let Some((segment, offset, bytes)) = &r.torn {
        println!(
            "cut off a half-written last journal record ({bytes} bytes at byte {offset} of {}): a crash interrupted it before it was acknowledged",
            segment.display()
        );
    }
    println!(
        "recovered {}: {} journal records replayed ({} events) in {:.2} s; {} cases, audit chain verified ({} entries)",
        db.display(),
        r.records,
        r.events,
        r.seconds,
        r.cases,
        r.audit_entries
    );
    println!(
        "the old files are kept untouched in {}; remove them once you are satisfied",
        r.moved_aside.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// What `restore --journal` replayed after the backup.
pub fn say_rolled_forward(r: &crate::store::rollforward::RolledForward) {
    if let Some((segment, offset, bytes)) = &r.torn {
        println!(
            "left out a half-written last journal record ({bytes} bytes at byte {offset} of {}): it was never acknowledged",
            segment.display()
        );
    }
    if r.records == 0 {
        println!(
            "the journal in {} holds nothing after the backup's record {}",
            r.journal.display(),
            r.backup_record
        );
    } else {
        println!(
            "replayed journal records {}–{} from {} after the backup's record {} ({} erasures among them)",
            r.backup_record + 1,
            r.last,
            r.journal.display(),
            r.backup_record,
            r.erasures
        );
    }
    if let Some(damage) = &r.stopped {
        println!(
            "warning: stopped before a damaged record: {damage}; commands after record {} are not restored",
            r.last
        );
    }
}
