//! The command and query API the interface and the CLI speak, embedded or (later) served.

use super::{Actor, Store, StoreError};
use crate::domain::case::{CaseRecord, Status};
use crate::domain::command::{Access, Command, Event};
use crate::domain::enquiry::Reference;
use crate::domain::policy::Policy;
use crate::domain::summary::CaseSummary;
use crate::search::Hit;
use chrono::{DateTime, Utc};

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
    /// Cases whose text matches `query` (see `search::query`), best first, at most `limit`,
    /// each with a snippet. The terms go to the read log (they are personal data), and only
    /// there.
    fn search(&self, query: &str, limit: usize) -> Result<Vec<Hit>, StoreError>;
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
    fn search(&self, query: &str, limit: usize) -> Result<Vec<Hit>, StoreError> {
        // One person's store: every case is theirs to see, as `cases` shows.
        crate::search::run(
            &self.store,
            &self.actor.login,
            query,
            limit,
            &|_| true,
            self.now(),
        )
    }
}
