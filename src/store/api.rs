//! The command and query API the interface and the CLI speak, embedded or served.

use super::audit::Verification;
use super::backup::BackupSummary;
use super::check::CheckReport;
use super::lifecycle::AuditLine;
use super::{AccessRecord, Actor, NewEnquiry, Registration, Store, StoreError};
use crate::domain::case::{CaseRecord, Status};
use crate::domain::command::{Access, Command, Event};
use crate::domain::enquiry::Reference;
use crate::domain::policy::Policy;
use crate::domain::summary::CaseSummary;
use crate::server::rules::{self, Operation};
use chrono::{DateTime, Utc};
use std::path::Path;

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
    let invalid = |s: String| StoreError::Refused(crate::domain::command::Refusal::Invalid(s));
    let policy = Policy::from_toml(text, "the new policy")
        .map_err(|e| invalid(format!("the policy does not load: {e}")))?;
    // An admin may hand administration to a colleague, but a policy with no admin at all
    // could never be changed again.
    if !policy
        .staff
        .iter()
        .any(|s| s.roles.contains(&crate::domain::policy::Role::Admin))
    {
        return Err(invalid(
            "the new policy names no admin: installing it would leave no one able to change it back".into(),
        ));
    }
    let stranded = store.in_use()?.stranded_by(&policy);
    if !stranded.is_empty() && !force {
        return Err(invalid(format!(
            "the new policy removes what cases still use ({}); keep them in the policy, or give --force to install it anyway (recorded in the audit chain)",
            stranded.join(", ")
        )));
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
    fn cases(&self) -> Result<Vec<CaseRecord>, StoreError>;
    /// The queue: one small summary per live case, without reading the enquiries.
    fn summaries(&self) -> Result<Vec<CaseSummary>, StoreError>;
    /// Up to `n` summaries in reference order after `after` (from the start when None): the
    /// queue loads in pages after its first frame.
    fn summaries_page(
        &self,
        after: Option<Reference>,
        n: usize,
    ) -> Result<Vec<CaseSummary>, StoreError>;
    /// At least the number of cases the queue will hold (a hint for reserving room).
    fn queue_bound(&self) -> Result<u64, StoreError>;
    /// The `n` most urgent cases (with `status`, or any): the queue's first page.
    fn urgent(&self, status: Option<Status>, n: usize) -> Result<Vec<CaseSummary>, StoreError>;
    fn case(&self, reference: Reference) -> Result<Option<CaseRecord>, StoreError>;
    fn events(&self, reference: Reference) -> Result<Vec<Event>, StoreError>;
    /// Applies a command decided on `expected`; returns the case as it now is.
    fn execute(
        &self,
        reference: Reference,
        expected: u64,
        cmd: &Command,
    ) -> Result<CaseRecord, StoreError>;
    fn log_access(&self, reference: Option<Reference>, access: &Access) -> Result<(), StoreError>;
    fn save_draft(&self, reference: Reference, text: &str) -> Result<(), StoreError>;
    fn draft(&self, reference: Reference) -> Result<Option<String>, StoreError>;
    /// The time the API acts at (the wall clock, or a fixed time in tests and demos).
    fn now(&self) -> DateTime<Utc>;
    /// Cases someone else changed since the last call (pushed by the server), without
    /// blocking. The interface polls it each tick. An embedded store has no one else.
    fn changed(&self) -> Vec<Reference> {
        Vec::new()
    }
    /// Up to `n` (at most `PAGE`) whole case records after `after` in reference order,
    /// only those with `status` when given; the filter runs where the store is.
    fn cases_page(
        &self,
        after: Option<Reference>,
        n: usize,
        status: Option<Status>,
    ) -> Result<Page<CaseRecord, Reference>, StoreError>;
    /// The cases filed under any of these subject keys (`SubjectId::key`): the subject index,
    /// never a scan of every case.
    fn subject_records(&self, keys: &[String]) -> Result<Vec<CaseRecord>, StoreError>;
    /// Reads logged against one case, or (None) against none (needs dpo or admin).
    fn access_records(&self, reference: Option<Reference>)
        -> Result<Vec<AccessRecord>, StoreError>;
    /// Registers new enquiries in one transaction (all or none).
    fn register(&self, batch: Vec<NewEnquiry>) -> Result<Registration, StoreError>;
    /// Recomputes the audit chain (dpo or admin).
    fn audit_verify(&self) -> Result<Verification, StoreError>;
    /// The chain's head as one line to keep elsewhere (dpo or admin).
    fn audit_head(&self) -> Result<super::audit::HeadLine, StoreError>;
    /// None when the chain still extends a head written down earlier, else what is wrong
    /// (dpo or admin).
    fn audit_extends(&self, line: &super::audit::HeadLine) -> Result<Option<String>, StoreError>;
    /// Up to `n` (at most `PAGE`) audit entries after sequence number `after`.
    fn audit_page(
        &self,
        case: Option<Reference>,
        after: u64,
        n: usize,
    ) -> Result<Page<AuditLine, u64>, StoreError>;
    /// Writes a consistent backup to `file`, here, while others go on committing (admin).
    fn backup(&self, file: &Path) -> Result<BackupSummary, StoreError>;
    /// Checks a consistent snapshot of the store, changing nothing (admin).
    fn check(&self) -> Result<CheckReport, StoreError>;
    /// Installs a policy as one audited decision (see `install_policy`).
    fn install_policy(&self, text: &str, force: bool) -> Result<PolicyChange, StoreError>;
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
    pub store: Store,
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
    fn cases(&self) -> Result<Vec<CaseRecord>, StoreError> {
        self.store.cases().collect()
    }
    fn summaries(&self) -> Result<Vec<CaseSummary>, StoreError> {
        self.store.summaries().collect()
    }
    fn summaries_page(
        &self,
        after: Option<Reference>,
        n: usize,
    ) -> Result<Vec<CaseSummary>, StoreError> {
        self.store.summaries_page(after, n)
    }
    fn urgent(&self, status: Option<Status>, n: usize) -> Result<Vec<CaseSummary>, StoreError> {
        self.store.urgent(status, n)
    }
    fn queue_bound(&self) -> Result<u64, StoreError> {
        self.store.queue_bound()
    }
    fn case(&self, reference: Reference) -> Result<Option<CaseRecord>, StoreError> {
        self.store.case(reference)
    }
    fn events(&self, reference: Reference) -> Result<Vec<Event>, StoreError> {
        self.store.events(reference)
    }
    fn execute(
        &self,
        reference: Reference,
        expected: u64,
        cmd: &Command,
    ) -> Result<CaseRecord, StoreError> {
        self.store.execute(
            &self.policy,
            &self.actor,
            reference,
            expected,
            cmd,
            self.now(),
        )
    }
    fn log_access(&self, reference: Option<Reference>, access: &Access) -> Result<(), StoreError> {
        self.store
            .log_access(&self.actor.login, reference, access, self.now())
    }
    fn save_draft(&self, reference: Reference, text: &str) -> Result<(), StoreError> {
        self.store.save_draft(reference, &self.actor.login, text)
    }
    fn draft(&self, reference: Reference) -> Result<Option<String>, StoreError> {
        self.store.draft(reference, &self.actor.login)
    }
    fn now(&self) -> DateTime<Utc> {
        self.fixed_now.unwrap_or_else(Utc::now)
    }
    fn cases_page(
        &self,
        after: Option<Reference>,
        n: usize,
        status: Option<Status>,
    ) -> Result<Page<CaseRecord, Reference>, StoreError> {
        let (page, next) = self.store.cases_page(after, n.min(PAGE), status)?;
        Ok((
            page.into_iter()
                .filter(|r| rules::may_read_record(&self.actor, r))
                .collect(),
            next,
        ))
    }
    fn subject_records(&self, keys: &[String]) -> Result<Vec<CaseRecord>, StoreError> {
        Ok(self
            .store
            .subject_records(keys)?
            .into_iter()
            .filter(|r| rules::may_read_record(&self.actor, r))
            .collect())
    }
    fn access_records(
        &self,
        reference: Option<Reference>,
    ) -> Result<Vec<AccessRecord>, StoreError> {
        if reference.is_none() {
            rules::permit(&self.actor, Operation::ReadAudit)?;
        }
        self.store.access_records(reference)
    }
    fn register(&self, batch: Vec<NewEnquiry>) -> Result<Registration, StoreError> {
        // The bulk path: one unit for the batch, as fast as `triage import` always was.
        self.store.register_bulk(
            &self.policy,
            &batch,
            &self.actor.login,
            self.now(),
            batch.len().max(1),
        )
    }
    fn audit_verify(&self) -> Result<Verification, StoreError> {
        rules::permit(&self.actor, Operation::ReadAudit)?;
        self.store.verify_audit()
    }
    fn audit_head(&self) -> Result<super::audit::HeadLine, StoreError> {
        rules::permit(&self.actor, Operation::ReadAudit)?;
        self.store.audit_head()
    }
    fn audit_extends(&self, line: &super::audit::HeadLine) -> Result<Option<String>, StoreError> {
        rules::permit(&self.actor, Operation::ReadAudit)?;
        self.store.audit_extends(line)
    }
    fn audit_page(
        &self,
        case: Option<Reference>,
        after: u64,
        n: usize,
    ) -> Result<Page<AuditLine, u64>, StoreError> {
        rules::permit(&self.actor, Operation::ReadAudit)?;
        self.store.audit_page(case, after, n.min(PAGE))
    }
    fn backup(&self, file: &Path) -> Result<BackupSummary, StoreError> {
        rules::permit(&self.actor, Operation::Backup)?;
        self.store.backup(file).map_err(backup_error)
    }
    fn check(&self) -> Result<CheckReport, StoreError> {
        rules::permit(&self.actor, Operation::Check)?;
        super::check::check_live(&self.store).map_err(backup_error)
    }
    fn install_policy(&self, text: &str, force: bool) -> Result<PolicyChange, StoreError> {
        install_policy(&self.store, &self.actor, text, force, self.now()).map(|(_, c)| c)
    }
}
