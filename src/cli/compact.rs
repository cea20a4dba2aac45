//! `triage compact`: rewrite the store into fresh files, so nothing erased survives in
//! sled's log (it keeps old values until it reuses their space).

use crate::store::Store;
use anyhow::{bail, Context, Result};
use std::path::Path;

/// Rewrites the store at `db`: back up, restore into a new directory, check it, swap.
pub fn run_on(db: &Path) -> Result<(u64, u64)> {
    let parent = db.parent().unwrap_or(Path::new("."));
    let name = db
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "store".into());
    let stamp = std::process::id();
    let backup = parent.join(format!(".{name}.compact-{stamp}.bak"));
    let fresh = parent.join(format!(".{name}.compact-{stamp}.new"));
    let old = parent.join(format!(".{name}.compact-{stamp}.old"));
    let before = dir_size(db);
    {
        let store = Store::open(db)?;
        store.backup(&backup)?;
    }
    Store::restore(&backup, &fresh)?;
    {
        let store = Store::open(&fresh)?;
        let v = store.verify_audit()?;
        if let Some(b) = v.first_broken {
            let _ = std::fs::remove_dir_all(&fresh);
            bail!("compaction stopped: the rewritten store does not verify at entry {} ({}); the store is unchanged", b.seq, b.problem);
        }
    }
    std::fs::rename(db, &old).with_context(|| format!("cannot move {} aside", db.display()))?;
    std::fs::rename(&fresh, db)
        .with_context(|| format!("cannot move the rewritten store into {}", db.display()))?;
    // The search index holds no erased words (they leave it at erasure) and reflects the same
    // audit chain: kept, rather than rebuilt on the next open. Not when an erasure's purge
    // is still owed: then it goes with the old files and the next open rebuilds it.
    let index = old.join(crate::search::DIR);
    if index.is_dir() && !index.join(crate::search::PURGE_OWED).exists() {
        let _ = std::fs::rename(&index, db.join(crate::search::DIR));
    }
    std::fs::remove_dir_all(&old)
        .with_context(|| format!("cannot remove the old files in {}", old.display()))?;
    std::fs::remove_file(&backup).with_context(|| format!("cannot remove {}", backup.display()))?;
    Ok((before, dir_size(db)))
}

fn dir_size(p: &Path) -> u64 {
    std::fs::read_dir(p)
        .map(|d| {
            d.filter_map(|e| e.ok())
                .map(|e| {
                    if e.path().is_dir() {
                        dir_size(&e.path())
                    } else {
                        e.metadata().map(|m| m.len()).unwrap_or(0)
                    }
                })
                .sum()
        })
        .unwrap_or(0)
}
