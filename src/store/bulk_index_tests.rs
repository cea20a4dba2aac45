//! A bulk registration with the search index attached: each unit's documents handed to the
//! index as the unit is stored, committed by the next catch-up, never twice and never for
//! a unit that was not stored.

use super::bulk::tests::{interrupted, Interrupt};
use super::*;
use crate::domain::fixtures;
use crate::search::TextIndex;
use std::sync::Arc;

fn now() -> DateTime<Utc> {
    fixtures::at("2026-11-24T08:00:00Z")
}

fn new(received: &str, body: &str) -> NewEnquiry {
    NewEnquiry {
        enquiry: fixtures::enquiry(received, body),
        suggestions: vec![],
        source: format!("test:{body}"),
    }
}

/// A store with its index attached, as the interface and the server hold it.
fn indexed() -> (tempfile::TempDir, Store, Arc<TextIndex>) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("db")).unwrap();
    let index = crate::search::attach(&store).unwrap();
    (dir, store, index)
}

fn found(store: &Store, index: &TextIndex, query: &str) -> Vec<Reference> {
    index
        .search(store, query, 50, &|_| true)
        .unwrap()
        .into_iter()
        .map(|h| h.reference)
        .collect()
}

/// Live documents in the index and the audit entry it reflects.
fn in_step(store: &Store, index: &TextIndex) -> (u64, bool) {
    let (docs, mark) = index.status();
    (docs, mark == store.audit_head().unwrap().seq)
}

/// Registers one enquiry the ordinary way (the index is left behind), with the audit
/// entry that did it and the case as stored.
fn registered(store: &Store, received: &str, body: &str) -> (Reference, u64, Case) {
    let r = store
        .register(&fixtures::policy(), &[new(received, body)], "anne", now())
        .unwrap()
        .registered[0];
    let Some(CaseRecord::Live(case)) = store.case(r).unwrap() else {
        panic!("the case is live");
    };
    (r, store.audit_head().unwrap().seq, *case)
}

#[test]
fn a_bulk_import_is_in_the_index_once_after_the_next_catch_up() {
    let (_d, store, index) = indexed();
    let words = [
        "nyretransplantation",
        "nattevagter",
        "partshøring",
        "fingeraftryk",
        "bopælsattest",
    ];
    let batch: Vec<NewEnquiry> = words
        .iter()
        .enumerate()
        .map(|(i, w)| {
            new(
                &format!("2026-11-2{i}T09:00:00+01:00"),
                &format!("om {w} i min sag"),
            )
        })
        .collect();
    // Units of two: three units, each handed over as it is stored.
    let reg = store
        .register_bulk(&fixtures::policy(), &batch, "anne", now(), 2)
        .unwrap();
    assert_eq!(reg.registered.len(), 5);
    // Handed over, not yet committed: the next catch-up commits all five at once.
    assert_eq!(index.status().0, 0);
    assert_eq!(index.catch_up(&store).unwrap(), 5);
    assert_eq!(in_step(&store, &index), (5, true));
    for (w, r) in words.iter().zip(&reg.registered) {
        assert_eq!(found(&store, &index, w), [*r], "{w}");
    }
    // A phrase finds every case through the word pairs, each once.
    assert_eq!(found(&store, &index, "\"min sag\"").len(), 5);
    // Searching caught nothing up twice.
    assert_eq!(in_step(&store, &index), (5, true));
}

#[test]
fn a_unit_that_fails_leaves_nothing_in_the_index() {
    let (_d, store, index) = indexed();
    let policy = fixtures::policy();
    store
        .register_bulk(
            &policy,
            &[new("2026-11-20T09:00:00+01:00", "om hundeattest")],
            "anne",
            now(),
            5,
        )
        .unwrap();
    let failed = interrupted(Interrupt::Fail, || {
        store.register_bulk(
            &policy,
            &[new("2026-11-21T09:00:00+01:00", "om kattelem")],
            "anne",
            now(),
            5,
        )
    });
    assert!(failed.is_err());
    index.catch_up(&store).unwrap();
    assert_eq!(in_step(&store, &index), (1, true));
    assert!(found(&store, &index, "kattelem").is_empty());
    // Imported again, it is there once.
    let again = store
        .register_bulk(
            &policy,
            &[new("2026-11-21T09:00:00+01:00", "om kattelem")],
            "anne",
            now(),
            5,
        )
        .unwrap();
    index.catch_up(&store).unwrap();
    assert_eq!(found(&store, &index, "kattelem"), again.registered);
    assert_eq!(in_step(&store, &index), (2, true));
}

#[test]
fn a_case_changed_after_it_was_handed_over_is_indexed_as_it_is_now() {
    let (_d, store, index) = indexed();
    let policy = fixtures::policy();
    let (r, head, case) = registered(&store, "2026-11-20T09:00:00+01:00", "om vandskade");
    // Handed over as registered; then a note comes before any catch-up.
    index
        .prepare(head, head, vec![(r, index.document_of(&case))])
        .unwrap();
    let dora = Actor {
        login: "dora".into(),
        roles: vec![Role::Dpo, Role::Caseworker],
    };
    let note = Command::AddNote {
        text: "ringede om skimmelsvamp".into(),
    };
    store.execute(&policy, &dora, r, 1, &note, now()).unwrap();
    assert_eq!(index.catch_up(&store).unwrap(), 1);
    assert_eq!(found(&store, &index, "skimmelsvamp"), [r]);
    assert_eq!(found(&store, &index, "vandskade"), [r]);
    assert_eq!(in_step(&store, &index), (1, true));
}

#[test]
fn what_is_already_in_the_index_is_not_handed_over_again() {
    let (_d, store, index) = indexed();
    let (r, head, case) = registered(&store, "2026-11-20T09:00:00+01:00", "om carport");
    index.catch_up(&store).unwrap();
    // Late: the catch-up has read it from the store already.
    index
        .prepare(head, head, vec![(r, index.document_of(&case))])
        .unwrap();
    registered(&store, "2026-11-21T09:00:00+01:00", "om hæk");
    index.catch_up(&store).unwrap();
    assert_eq!(found(&store, &index, "carport"), [r]);
    assert_eq!(in_step(&store, &index), (2, true));
}
