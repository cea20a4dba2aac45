//! `archive receipt`: the National Archives' approval, recorded on the package and every case in it.

use super::registry::{self, PackageRecord};
use super::ArchiveError;
use crate::domain::case::{CaseRecord, Status};
use crate::domain::command::Command;
use crate::domain::handover::approval_time;
use crate::store::api::Embedded;
use chrono::NaiveDate;
use std::path::Path;

pub struct Receipt {
    pub package: PackageRecord,
    /// Cases recorded as handed over now.
    pub cases: u64,
}

/// Records that `package` (an id, or the path of the package folder, which is then verified and
/// compared with what this store made) was approved on `approved`. Everything is checked before
/// anything is written.
pub fn approve(
    api: &Embedded,
    package: &str,
    approved: NaiveDate,
    today: NaiveDate,
) -> Result<Receipt, ArchiveError> {
    let Some(id) = super::parse_package_id(package) else {
        return Err(ArchiveError::UnknownPackage(package.to_string()));
    };
    let store = &api.store;
    let mut record = registry::package(store, &id)?;
    if let Some(on) = record.approved {
        return Err(ArchiveError::AlreadyApproved {
            package: id,
            approved: on,
        });
    }
    if approved < record.created {
        return Err(ArchiveError::ApprovedBeforeCreated {
            package: id,
            approved,
            created: record.created,
        });
    }
    if approved > today {
        return Err(ArchiveError::ApprovedInFuture { approved, today });
    }
    let path = Path::new(package);
    if path.is_dir() {
        super::verify::verify(path).map_err(|p| ArchiveError::Verify(p.0))?;
        let index = path.join("Indices").join("fileIndex.xml");
        let md5 = super::xml::md5_file(&index).map_err(super::io(&index))?;
        if md5 != record.file_index_md5 {
            return Err(ArchiveError::Verify(format!(
                "{} is not the package this store made as {id} (its fileIndex.xml differs)",
                path.display()
            )));
        }
    }
    let cases: Vec<_> = registry::packaged_cases(store)
        .filter_map(|r| match r {
            Ok((c, seq)) if seq == record.seq => Some(Ok(c)),
            Ok(_) => None,
            Err(e) => Some(Err(e)),
        })
        .collect::<Result<_, _>>()?;
    let cmd = Command::ArchiveApproved {
        package: id.clone(),
        approved,
    };
    // Re-running after an interruption skips the cases already recorded.
    let mut pending = Vec::new();
    for r in cases {
        if let Some(CaseRecord::Live(case)) = store.case(r)? {
            let recorded = case.handed_over.as_ref().map(|s| s.at) == Some(approval_time(approved));
            if matches!(case.status, Status::Closed | Status::HandedOver) && !recorded {
                pending.push((r, case.version));
            }
        }
    }
    super::create::record_on_cases(api, &pending, &cmd, |_| Ok(()))?;
    let done = pending.len() as u64;
    record.approved = Some(approved);
    registry::save(store, &record)?;
    Ok(Receipt {
        package: record,
        cases: done,
    })
}
