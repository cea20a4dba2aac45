//! The server's answers that read more than one case: pages of records, the subject index,
//! the audit chain, backup snapshots, the check and policy installation.

use super::daemon::{hidden_check, log, Shared};
use super::protocol::{Answer, Request, WireError};
use super::rules::{self, Operation};
use crate::store::api::{self, PAGE};
use crate::store::{Actor, StoreError};
use std::io::{Read, Seek, SeekFrom};
use std::path::PathBuf;
use std::sync::Arc;

/// A client asks for at most this many subject keys at once (a person has a handful).
const MAX_KEYS: usize = 256;
/// The most snapshot bytes one reply carries.
const MAX_PART: u32 = 8 * 1024 * 1024;

/// A backup snapshot taken for one connection: a private file beside the store, removed
/// when the client is done with it or goes away.
pub struct Snapshot {
    dir: PathBuf,
    file: PathBuf,
}

impl Drop for Snapshot {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn wire(e: StoreError) -> WireError {
    WireError::from(&e)
}

fn permit(actor: &Actor, op: Operation) -> Result<(), WireError> {
    rules::permit(actor, op).map_err(|r| wire(StoreError::Refused(r)))
}

fn failed(what: &str, e: impl std::fmt::Display) -> WireError {
    WireError::Failed(format!("the server could not {what}: {e}"))
}

pub fn handle(
    shared: &Shared,
    actor: &Actor,
    conn: u64,
    request: Request,
    snapshot: &mut Option<Snapshot>,
) -> Result<Answer, WireError> {
    let store = &shared.store;
    match request {
        Request::CasesPage { after, n, status } => {
            let n = (n as usize).min(PAGE);
            let (page, next) = store.cases_page(after, n, status).map_err(wire)?;
            Ok(Answer::CasesPage {
                records: page
                    .into_iter()
                    .filter(|r| rules::may_read_record(actor, r))
                    .collect(),
                next,
            })
        }
        Request::SubjectRecords(keys) => {
            if keys.len() > MAX_KEYS {
                return Err(WireError::Failed(format!(
                    "a lookup of {} subject keys is more than the {MAX_KEYS} one person has",
                    keys.len()
                )));
            }
            Ok(Answer::Records(
                store
                    .subject_records(&keys)
                    .map_err(wire)?
                    .into_iter()
                    .filter(|r| rules::may_read_record(actor, r))
                    .collect(),
            ))
        }
        Request::AccessRecords(reference) => {
            match reference {
                Some(r) => {
                    hidden_check(store, actor, r)?;
                }
                None => permit(actor, Operation::ReadAudit)?,
            }
            store
                .access_records(reference)
                .map(Answer::AccessRecords)
                .map_err(wire)
        }
        Request::AuditVerify => {
            permit(actor, Operation::ReadAudit)?;
            store.verify_audit().map(Answer::Verified).map_err(wire)
        }
        Request::AuditHead => {
            permit(actor, Operation::ReadAudit)?;
            store
                .audit_head()
                .map(|h| Answer::Head(h.to_string()))
                .map_err(wire)
        }
        Request::AuditExtends(line) => {
            permit(actor, Operation::ReadAudit)?;
            let line = line
                .parse::<crate::store::audit::HeadLine>()
                .map_err(WireError::Failed)?;
            store
                .audit_extends(&line)
                .map(Answer::Extends)
                .map_err(wire)
        }
        Request::AuditPage { case, after, n } => {
            permit(actor, Operation::ReadAudit)?;
            let (lines, next) = store
                .audit_page(case, after, (n as usize).min(PAGE))
                .map_err(wire)?;
            Ok(Answer::AuditPage { lines, next })
        }
        Request::Snapshot => {
            permit(actor, Operation::Backup)?;
            // A new snapshot replaces this connection's earlier one.
            *snapshot = None;
            let mut dir = store.path().as_os_str().to_owned();
            dir.push(format!(".snapshot-{}-{conn}", std::process::id()));
            let dir = PathBuf::from(dir);
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir(&dir).map_err(|e| failed("prepare the snapshot", e))?;
            let taken = Snapshot {
                file: dir.join("backup"),
                dir,
            };
            let summary = store
                .backup(&taken.file)
                .map_err(|e| wire(api::backup_error(e)))?;
            log(&format!(
                "connection {conn} ({}): backup snapshot of {} entries",
                actor.login, summary.entries
            ));
            *snapshot = Some(taken);
            Ok(Answer::Snapshot(summary))
        }
        Request::SnapshotPart { offset, len } => {
            let Some(s) = snapshot.as_ref() else {
                return Err(WireError::Failed(
                    "no snapshot is open on this connection: ask for one first".into(),
                ));
            };
            let mut f = std::fs::File::open(&s.file).map_err(|e| failed("read the snapshot", e))?;
            f.seek(SeekFrom::Start(offset))
                .map_err(|e| failed("read the snapshot", e))?;
            let mut buf = Vec::new();
            f.take(u64::from(len.min(MAX_PART)))
                .read_to_end(&mut buf)
                .map_err(|e| failed("read the snapshot", e))?;
            Ok(Answer::Bytes(buf))
        }
        Request::SnapshotDone => {
            *snapshot = None;
            Ok(Answer::Done)
        }
        Request::Check => {
            permit(actor, Operation::Check)?;
            crate::store::check::check_live(store)
                .map(Answer::Checked)
                .map_err(|e| wire(api::backup_error(e)))
        }
        Request::InstallPolicy { text, force } => {
            let (policy, change) =
                api::install_policy(store, actor, &text, force, shared.now()).map_err(wire)?;
            *shared.policy.write().unwrap_or_else(|p| p.into_inner()) =
                (Arc::new(policy), Arc::new(text));
            log(&format!(
                "connection {conn} ({}): installed a new policy ({})",
                actor.login, change.new
            ));
            Ok(Answer::PolicyInstalled(change))
        }
        request @ (Request::ArchiveStates(_)
        | Request::ArchivePackages
        | Request::ArchiveCreate { .. }
        | Request::ArchiveFiles(_)
        | Request::ArchivePart { .. }
        | Request::ArchiveFetched(_)
        | Request::ArchiveReceipt { .. }) => super::archive::handle(shared, actor, conn, request),
        // The per-case requests are answered in `daemon::handle`.
        other => Err(WireError::Failed(format!(
            "the server cannot answer a {} request here",
            other.name()
        ))),
    }
}
