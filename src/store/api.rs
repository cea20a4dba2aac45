//! The command and query API the interface and the CLI speak, embedded or served.

use super::api_error::ApiError;
use super::audit::Verification;
use super::backup::BackupSummary;
use super::check::CheckReport;
use super::lifecycle::AuditLine;
use super::{AccessRecord, Actor, NewEnquiry, Registration, Store, StoreError};
use crate::archive::registry::PackageRecord;
use crate::domain::case::{CaseRecord, Status};
use crate::domain::command::{Access, Command, Event, Refusal};
use crate::domain::enquiry::Reference;
use crate::domain::handover::ArchiveState;
use crate::domain::invalid::Invalid;
use crate::domain::policy::Policy;
use crate::domain::summary::CaseSummary;
use crate::search::Hit;
use crate::server::rules::{self, Operation};
use chrono::{DateTime, NaiveDate, Utc};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The most records one page carries, whoever asks for more: the server holds no more
/// than this at once for any request.
pub const PAGE: usize = 500;

/// A page of a list and where the next one starts (None: this was the last).
pub type Page<T, K> = (Vec<T>, Option<K>);

/// What installing a policy did: the digests the audit chain records.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PolicyChange {
    pub old: Option<String>,
    pub new: String,
    /// Ids in use that the new policy removed, installed anyway with `force`.
    pub forced: Vec<String>,
}

/// An archival version as `archive create` reports it, wherever it was written.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ArchiveMade {
    pub id: String,
    /// The package folder, as the caller sees it.
    pub path: PathBuf,
    pub cases: u64,
    pub file_index_md5: String,
    /// Rows per table, in table order.
    pub rows: Vec<(String, u64)>,
    pub bytes: u64,
}

/// The archives' approval as recorded.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ArchiveApproval {
    pub package: PackageRecord,
    /// Cases recorded as handed over now.
    pub cases: u64,
}

/// An archive failure as the `Api` reports it: the store's own errors keep their kind, the
/// rest (a missing policy section, an unknown package, a date) are refusals in words.
pub fn archive_error(e: crate::archive::ArchiveError) -> StoreError {
    use crate::archive::ArchiveError;
    match e {
        ArchiveError::Store(s) => s,
        ArchiveError::Api(a) if a.is_refusal() => {
            StoreError::Refused(Refusal::Invalid(Invalid::Other(a.to_string())))
        }
        ArchiveError::Api(a) => StoreError::Server(a.to_string()),
        ArchiveError::Io { .. } | ArchiveError::Render(_) => StoreError::Server(e.to_string()),
        other => StoreError::Refused(Refusal::Invalid(Invalid::Other(other.to_string()))),
    }
}

/// The blake3 digest of a policy text, as the audit chain records it.
pub fn policy_digest(text: &str) -> String {
    blake3::hash(text.as_bytes()).to_hex().to_string()
}

/// Installs `text` as the policy after the checks every path shares: it loads, the actor
/// is an administrator in the new policy too (nobody locks themselves out), and it strands
/// no purpose or recipient in use unless `force`.
pub fn install_policy(
    store: &Store,
    actor: &Actor,
    text: &str,
    force: bool,
    now: DateTime<Utc>,
) -> Result<(Policy, PolicyChange), StoreError> {
    rules::permit(actor, Operation::InstallPolicy)?;
    let invalid = |i: Invalid| StoreError::Refused(Refusal::Invalid(i));
    let policy = Policy::from_toml(text, "the new policy").map_err(|e| {
        invalid(Invalid::PolicyDoesNotLoad {
            error: e.to_string(),
        })
    })?;
    // An admin may hand administration to a colleague, but a policy with no admin at all
    // could never be changed again.
    if !policy
        .staff
        .iter()
        .any(|s| s.roles.contains(&crate::domain::policy::Role::Admin))
    {
        return Err(invalid(Invalid::PolicyNamesNoAdmin));
    }
    let stranded = store.in_use()?.stranded_by(&policy);
    if !stranded.is_empty() && !force {
        return Err(invalid(Invalid::PolicyStrands { stranded }));
    }
    let change = PolicyChange {
        old: store.policy_text()?.as_deref().map(policy_digest),
        new: policy_digest(text),
        forced: if force { stranded } else { Vec::new() },
    };
    store.install_policy(
        text,
        &Access::InstallPolicy {
            old: change.old.clone(),
            new: change.new.clone(),
            forced: change.forced.clone(),
        },
        &actor.login,
        now,
    )?;
    store.refresh_queue(&policy, now.date_naive())?;
    Ok((policy, change))
}

/// What a client of the store can do. The embedded store and the server's client both
/// implement it, so the interface never knows which one it talks to.
pub trait Api {
    /// "embedded /path/to/store" or "server /run/triage.sock", for the status bar.
    fn describe(&self) -> String;
    fn actor(&self) -> &Actor;
    fn policy(&self) -> &Policy;
    fn cases(&self) -> Result<Vec<CaseRecord>, ApiError>;
    /// The queue: one small summary per live case, without reading the enquiries.
    fn summaries(&self) -> Result<Vec<CaseSummary>, ApiError>;
    /// Up to `n` summaries in reference order after `after` (from the start when None): the
    /// queue loads in pages after its first frame.
    fn summaries_page(
        &self,
        after: Option<Reference>,
        n: usize,
    ) -> Result<Vec<CaseSummary>, ApiError>;
    /// At least the number of cases the queue will hold (a hint for reserving room).
    fn queue_bound(&self) -> Result<u64, ApiError>;
    /// The `n` most urgent cases (with `status`, or any): the queue's first page.
    fn urgent(&self, status: Option<Status>, n: usize) -> Result<Vec<CaseSummary>, ApiError>;
    fn case(&self, reference: Reference) -> Result<Option<CaseRecord>, ApiError>;
    fn events(&self, reference: Reference) -> Result<Vec<Event>, ApiError>;
    /// Applies a command decided on `expected`; returns the case as it now is.
    fn execute(
        &self,
        reference: Reference,
        expected: u64,
        cmd: &Command,
    ) -> Result<CaseRecord, ApiError>;
    fn log_access(&self, reference: Option<Reference>, access: &Access) -> Result<(), ApiError>;
    fn save_draft(&self, reference: Reference, text: &str) -> Result<(), ApiError>;
    fn draft(&self, reference: Reference) -> Result<Option<String>, ApiError>;
    /// The time the API acts at (the wall clock, or a fixed time in tests and demos).
    fn now(&self) -> DateTime<Utc>;
    /// Cases someone else changed since the last call (pushed by the server), without
    /// blocking. The interface polls it each tick. An embedded store has no one else.
    fn changed(&self) -> Vec<Reference> {
        Vec::new()
    }
    /// Cases whose text matches `query` (see `search::query`), best first, at most `limit`,
    /// each with a snippet. The terms go to the read log (they are personal data), and only
    /// there.
    fn search(&self, query: &str, limit: usize) -> Result<Vec<Hit>, ApiError>;
    /// Up to `n` (at most `PAGE`) whole case records after `after` in reference order,
    /// only those with `status` when given; the filter runs where the store is.
    fn cases_page(
        &self,
        after: Option<Reference>,
        n: usize,
        status: Option<Status>,
    ) -> Result<Page<CaseRecord, Reference>, ApiError>;
    /// The cases filed under any of these subject keys (`SubjectId::key`): the subject index,
    /// never a scan of every case.
    fn subject_records(&self, keys: &[String]) -> Result<Vec<CaseRecord>, ApiError>;
    /// Reads logged against one case, or (None) against none (needs dpo or admin).
    fn access_records(&self, reference: Option<Reference>) -> Result<Vec<AccessRecord>, ApiError>;
    /// Registers new enquiries in one transaction (all or none).
    fn register(&self, batch: Vec<NewEnquiry>) -> Result<Registration, ApiError>;
    /// Recomputes the audit chain (dpo or admin).
    fn audit_verify(&self) -> Result<Verification, ApiError>;
    /// The chain's head as one line to keep elsewhere (dpo or admin).
    fn audit_head(&self) -> Result<super::audit::HeadLine, ApiError>;
    /// None when the chain still extends a head written down earlier, else what is wrong
    /// (dpo or admin).
    fn audit_extends(&self, line: &super::audit::HeadLine) -> Result<Option<String>, ApiError>;
    /// Up to `n` (at most `PAGE`) audit entries after sequence number `after`.
    fn audit_page(
        &self,
        case: Option<Reference>,
        after: u64,
        n: usize,
    ) -> Result<Page<AuditLine, u64>, ApiError>;
    /// Writes a consistent backup to `file`, here, while others go on committing (admin).
    fn backup(&self, file: &Path) -> Result<BackupSummary, ApiError>;
    /// Checks a consistent snapshot of the store, changing nothing (admin).
    fn check(&self) -> Result<CheckReport, ApiError>;
    /// Installs a policy as one audited decision (see `install_policy`).
    fn install_policy(&self, text: &str, force: bool) -> Result<PolicyChange, ApiError>;
    /// What the archive register says of each of these cases, in the same order (at most
    /// `PAGE`): the retention decision needs it beside the case.
    fn archive_states(&self, cases: &[Reference]) -> Result<Vec<ArchiveState>, ApiError>;
    /// Every archival version made from this store, oldest first.
    fn archive_packages(&self) -> Result<Vec<PackageRecord>, ApiError>;
    /// Writes the next archival version into `out`, as the caller and on the caller's
    /// machine, and records it on every case it holds (dpo or admin).
    fn archive_create(&self, out: &Path, context_docs: &[PathBuf])
        -> Result<ArchiveMade, ApiError>;
    /// Records the archives' approval of `package` (an id; dpo or admin). With
    /// `file_index_md5` (from a package folder the caller verified) the package must be the
    /// one this store made.
    fn archive_receipt(
        &self,
        package: &str,
        approved: NaiveDate,
        file_index_md5: Option<String>,
    ) -> Result<ArchiveApproval, ApiError>;
}

/// `archive create` on a store this process holds (the server's too: it writes into its
/// own folder and the client fetches the files).
pub fn archive_create_here(
    api: &Embedded,
    out: &Path,
    context_docs: &[PathBuf],
) -> Result<ArchiveMade, StoreError> {
    rules::permit(&api.actor, Operation::Archive)?;
    let today = api.now().date_naive();
    let c = crate::archive::create::create(api, out, context_docs, today).map_err(archive_error)?;
    Ok(ArchiveMade {
        id: c.id,
        path: c.path,
        cases: c.cases,
        file_index_md5: c.file_index_md5,
        rows: c
            .rows
            .into_iter()
            .map(|(n, r)| (n.to_string(), r))
            .collect(),
        bytes: c.bytes,
    })
}

/// `archive receipt` on a store this process holds (see `Api::archive_receipt`).
pub fn archive_receipt_here(
    api: &Embedded,
    package: &str,
    approved: NaiveDate,
    file_index_md5: Option<String>,
) -> Result<ArchiveApproval, StoreError> {
    rules::permit(&api.actor, Operation::Archive)?;
    if let Some(md5) = file_index_md5 {
        let id = crate::archive::parse_package_id(package).ok_or_else(|| {
            archive_error(crate::archive::ArchiveError::UnknownPackage(package.into()))
        })?;
        let record = crate::archive::registry::package(&api.store, &id).map_err(archive_error)?;
        if record.file_index_md5 != md5 {
            return Err(archive_error(crate::archive::ArchiveError::Verify(format!(
                "the folder given is not the package this store made as {id} (its fileIndex.xml differs)"
            ))));
        }
    }
    let today = api.now().date_naive();
    let r =
        crate::archive::receipt::approve(api, package, approved, today).map_err(archive_error)?;
    Ok(ArchiveApproval {
        package: r.package,
        cases: r.cases,
    })
}

/// The archive register's answer for each case (see `Api::archive_states`).
pub fn archive_states_here(
    store: &Store,
    cases: &[Reference],
) -> Result<Vec<ArchiveState>, StoreError> {
    if cases.len() > PAGE {
        return Err(StoreError::Refused(Refusal::Invalid(
            Invalid::LookupTooLarge {
                cases: cases.len(),
                page: PAGE,
            },
        )));
    }
    cases
        .iter()
        .map(|r| crate::archive::registry::archived(store, *r))
        .collect()
}

/// A backup or check failure as the `Api` reports it: in words, storage details inside.
pub fn backup_error(e: super::backup::BackupError) -> StoreError {
    match e {
        super::backup::BackupError::Store(s) => s,
        other => StoreError::Server(other.to_string()),
    }
}

/// The store opened in this process.
pub struct Embedded {
    /// Shared with nobody in a CLI run; a server lends its store to the use cases it runs.
    pub store: Arc<Store>,
    pub policy: Policy,
    pub actor: Actor,
    /// Fixed "now" for reproducible runs (TRIAGE_NOW); the wall clock otherwise.
    pub fixed_now: Option<DateTime<Utc>>,
}

impl Api for Embedded {
    fn describe(&self) -> String {
        format!("embedded {}", self.store.path().display())
    }
    fn actor(&self) -> &Actor {
        &self.actor
    }
    fn policy(&self) -> &Policy {
        &self.policy
    }
    fn cases(&self) -> Result<Vec<CaseRecord>, ApiError> {
        Ok(self.store.cases().collect::<Result<_, StoreError>>()?)
    }
    fn summaries(&self) -> Result<Vec<CaseSummary>, ApiError> {
        Ok(self.store.summaries().collect::<Result<_, StoreError>>()?)
    }
    fn summaries_page(
        &self,
        after: Option<Reference>,
        n: usize,
    ) -> Result<Vec<CaseSummary>, ApiError> {
        Ok(self.store.summaries_page(after, n)?)
    }
    fn urgent(&self, status: Option<Status>, n: usize) -> Result<Vec<CaseSummary>, ApiError> {
        Ok(self.store.urgent(status, n)?)
    }
    fn queue_bound(&self) -> Result<u64, ApiError> {
        Ok(self.store.queue_bound()?)
    }
    fn case(&self, reference: Reference) -> Result<Option<CaseRecord>, ApiError> {
        Ok(self.store.case(reference)?)
    }
    fn events(&self, reference: Reference) -> Result<Vec<Event>, ApiError> {
        Ok(self.store.events(reference)?)
    }
    fn execute(
        &self,
        reference: Reference,
        expected: u64,
        cmd: &Command,
    ) -> Result<CaseRecord, ApiError> {
        Ok(self.store.execute(
            &self.policy,
            &self.actor,
            reference,
            expected,
            cmd,
            self.now(),
        )?)
    }
    fn log_access(&self, reference: Option<Reference>, access: &Access) -> Result<(), ApiError> {
        Ok(self
            .store
            .log_access(&self.actor.login, reference, access, self.now())?)
    }
    fn save_draft(&self, reference: Reference, text: &str) -> Result<(), ApiError> {
        Ok(self.store.save_draft(reference, &self.actor.login, text)?)
    }
    fn draft(&self, reference: Reference) -> Result<Option<String>, ApiError> {
        Ok(self.store.draft(reference, &self.actor.login)?)
    }
    fn now(&self) -> DateTime<Utc> {
        self.fixed_now.unwrap_or_else(Utc::now)
    }
    fn cases_page(
        &self,
        after: Option<Reference>,
        n: usize,
        status: Option<Status>,
    ) -> Result<Page<CaseRecord, Reference>, ApiError> {
        let (page, next) = self.store.cases_page(after, n.min(PAGE), status)?;
        Ok((
            page.into_iter()
                .filter(|r| rules::may_read_record(&self.actor, r))
                .collect(),
            next,
        ))
    }
    fn subject_records(&self, keys: &[String]) -> Result<Vec<CaseRecord>, ApiError> {
        Ok(self
            .store
            .subject_records(keys)?
            .into_iter()
            .filter(|r| rules::may_read_record(&self.actor, r))
            .collect())
    }
    fn access_records(&self, reference: Option<Reference>) -> Result<Vec<AccessRecord>, ApiError> {
        if reference.is_none() {
            rules::permit(&self.actor, Operation::ReadAudit)?;
        }
        Ok(self.store.access_records(reference)?)
    }
    fn register(&self, batch: Vec<NewEnquiry>) -> Result<Registration, ApiError> {
        // The bulk path: one unit for the batch, as fast as `triage import` always was.
        Ok(self.store.register_bulk(
            &self.policy,
            &batch,
            &self.actor.login,
            self.now(),
            batch.len().max(1),
        )?)
    }
    fn audit_verify(&self) -> Result<Verification, ApiError> {
        rules::permit(&self.actor, Operation::ReadAudit)?;
        Ok(self.store.verify_audit()?)
    }
    fn audit_head(&self) -> Result<super::audit::HeadLine, ApiError> {
        rules::permit(&self.actor, Operation::ReadAudit)?;
        Ok(self.store.audit_head()?)
    }
    fn audit_extends(&self, line: &super::audit::HeadLine) -> Result<Option<String>, ApiError> {
        rules::permit(&self.actor, Operation::ReadAudit)?;
        Ok(self.store.audit_extends(line)?)
    }
    fn audit_page(
        &self,
        case: Option<Reference>,
        after: u64,
        n: usize,
    ) -> Result<Page<AuditLine, u64>, ApiError> {
        rules::permit(&self.actor, Operation::ReadAudit)?;
        Ok(self.store.audit_page(case, after, n.min(PAGE))?)
    }
    fn backup(&self, file: &Path) -> Result<BackupSummary, ApiError> {
        rules::permit(&self.actor, Operation::Backup)?;
        Ok(self.store.backup(file).map_err(backup_error)?)
    }
    fn check(&self) -> Result<CheckReport, ApiError> {
        rules::permit(&self.actor, Operation::Check)?;
        Ok(super::check::check_live(&self.store).map_err(backup_error)?)
    }
    fn install_policy(&self, text: &str, force: bool) -> Result<PolicyChange, ApiError> {
        Ok(install_policy(&self.store, &self.actor, text, force, self.now())?.1)
    }
    fn archive_states(&self, cases: &[Reference]) -> Result<Vec<ArchiveState>, ApiError> {
        Ok(archive_states_here(&self.store, cases)?)
    }
    fn archive_packages(&self) -> Result<Vec<PackageRecord>, ApiError> {
        Ok(crate::archive::registry::packages(&self.store)?)
    }
    fn archive_create(
        &self,
        out: &Path,
        context_docs: &[PathBuf],
    ) -> Result<ArchiveMade, ApiError> {
        Ok(archive_create_here(self, out, context_docs)?)
    }
    fn archive_receipt(
        &self,
        package: &str,
        approved: NaiveDate,
        file_index_md5: Option<String>,
    ) -> Result<ArchiveApproval, ApiError> {
        Ok(archive_receipt_here(
            self,
            package,
            approved,
            file_index_md5,
        )?)
    }
    fn search(&self, query: &str, limit: usize) -> Result<Vec<Hit>, ApiError> {
        // One person's store: every case is theirs to see, as `cases` shows.
        Ok(crate::search::run(
            &self.store,
            &self.actor.login,
            query,
            limit,
            &|_| true,
            self.now(),
        )?)
    }
}
