//! One request answered for one actor: what each call reads or writes, and what it may see.

use super::Shared;
use crate::domain::case::CaseRecord;
use crate::domain::enquiry::Reference;
use crate::domain::summary::CaseSummary;
use crate::server::protocol::{Answer, Request, WireError};
use crate::server::rules::{self, Visibility};
use crate::store::{Actor, Batched, NewEnquiry, Store, StoreError};

pub(in crate::server) fn hidden_check(
    store: &Store,
    actor: &Actor,
    r: Reference,
) -> Result<Option<CaseRecord>, WireError> {
    let rec = store.case(r).map_err(|e| WireError::from(&e))?;
    match &rec {
        Some(rec) if !rules::may_read_record(actor, rec) => Err(WireError::Hidden(r)),
        _ => Ok(rec),
    }
}

/// The most summaries one request returns (a page is well under the frame limit).
pub(super) const PAGE_LIMIT: u32 = 20_000;

pub(super) fn summary_visible(store: &Store, actor: &Actor, s: &CaseSummary) -> bool {
    let v = Visibility {
        restricted: s.restricted,
        assignee: s.assignee.clone(),
        restricted_by: None,
    };
    if rules::may_read(actor, &v) {
        return true;
    }
    // Only restricted cases get here, and they are few: who restricted it is in the case.
    matches!(store.case(s.reference), Ok(Some(rec)) if rules::may_read_record(actor, &rec))
}

pub(super) fn handle(
    shared: &Shared,
    actor: &Actor,
    conn: u64,
    request: Request,
    snapshot: &mut Option<crate::server::whole::Snapshot>,
) -> Result<Answer, WireError> {
    let store = &shared.store;
    let wire = |e: StoreError| WireError::from(&e);
    match request {
        Request::SummariesPage { after, n } => {
            let page = store
                .summaries_page(after, n.min(PAGE_LIMIT) as usize)
                .map_err(wire)?;
            Ok(Answer::Summaries(
                page.into_iter()
                    .filter(|s| summary_visible(store, actor, s))
                    .collect(),
            ))
        }
        Request::Urgent { status, n } => {
            let n = n.min(PAGE_LIMIT) as usize;
            // A few hidden cases must not leave the first page short.
            let mut page: Vec<CaseSummary> = store
                .urgent(status, n + n / 2)
                .map_err(wire)?
                .into_iter()
                .filter(|s| summary_visible(store, actor, s))
                .collect();
            page.truncate(n);
            Ok(Answer::Summaries(page))
        }
        Request::QueueBound => store.queue_bound().map(Answer::Count).map_err(wire),
        Request::Case(r) => hidden_check(store, actor, r).map(Answer::Case),
        Request::Events(r) => {
            hidden_check(store, actor, r)?;
            store.events(r).map(Answer::Events).map_err(wire)
        }
        Request::Execute {
            reference,
            expected,
            command,
        } => {
            // Checked on the version read here; any change before the commit is a conflict.
            let before = hidden_check(store, actor, reference)?
                .as_ref()
                .and_then(Visibility::of_record);
            let rec = shared
                .commit(Batched {
                    actor: actor.clone(),
                    reference,
                    expected: Some(expected),
                    command,
                    at: shared.now(),
                })
                .map_err(wire)?;
            shared.notify(
                vec![reference],
                &actor.login,
                conn,
                [before, Visibility::of_record(&rec)],
            );
            Ok(Answer::Executed(rec))
        }
        Request::LogAccess { reference, access } => {
            if let Some(r) = reference {
                hidden_check(store, actor, r)?;
            }
            store
                .log_access(&actor.login, reference, &access, shared.now())
                .map(|_| Answer::Done)
                .map_err(wire)
        }
        Request::SaveDraft { reference, text } => {
            hidden_check(store, actor, reference)?;
            store
                .save_draft(reference, &actor.login, &text)
                .map(|_| Answer::Done)
                .map_err(wire)
        }
        Request::Register { batch } => {
            let batch: Vec<NewEnquiry> = batch
                .into_iter()
                .map(|a| NewEnquiry {
                    enquiry: a.enquiry,
                    suggestions: a.suggestions,
                    source: a.source,
                })
                .collect();
            let reg = store
                .register(&shared.policy(), &batch, &actor.login, shared.now())
                .map_err(wire)?;
            if !reg.registered.is_empty() {
                // New cases are restricted from no one.
                shared.notify(reg.registered.clone(), &actor.login, conn, [None, None]);
            }
            Ok(Answer::Registered {
                registered: reg.registered,
                duplicates: reg.duplicates,
                flagged: reg.flagged,
            })
        }
        Request::Draft(r) => {
            hidden_check(store, actor, r)?;
            store
                .draft(r, &actor.login)
                .map(Answer::Draft)
                .map_err(wire)
        }
        Request::Search { query, limit } => crate::search::run(
            store,
            &actor.login,
            &query,
            limit as usize,
            &|rec| rules::may_read_record(actor, rec),
            shared.now(),
        )
        .map(Answer::Hits)
        .map_err(wire),
        other => crate::server::whole::handle(shared, actor, conn, other, snapshot),
    }
}
