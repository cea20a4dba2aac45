use super::*;
use crate::domain::case::{DisclosureKind, Status};
use crate::domain::category::DataCategory;
use crate::domain::command::RouteRequest;
use crate::domain::danish_time::DanishDay;
use crate::domain::fixtures;
use crate::domain::routing::RouteProblem;

fn open() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("db")).unwrap();
    (dir, store)
}

fn anne() -> Actor {
    Actor {
        login: "anne".into(),
        roles: vec![Role::Caseworker],
    }
}

fn dora() -> Actor {
    Actor {
        login: "dora".into(),
        roles: vec![Role::Dpo, Role::Caseworker],
    }
}

fn new(received: &str, body: &str) -> NewEnquiry {
    NewEnquiry {
        enquiry: fixtures::enquiry(received, body),
        suggestions: vec![],
        source: "test".into(),
    }
}

fn now() -> DateTime<Utc> {
    fixtures::at("2026-11-24T08:00:00Z")
}

fn route_to_police() -> Command {
    Command::Route(RouteRequest {
        kind: DisclosureKind::Disclosure,
        recipient: "police".into(),
        bases: vec!["gdpr-6-1-e".parse().unwrap(), "gdpr-10".parse().unwrap()],
        justification: "The police asked for the letter in a pending investigation.".into(),
        transfer: None,
        waive_restriction: None,
        parties: vec![],
    })
}

/// Registers one case and takes it through classify and purpose; returns its reference.
fn triaged(store: &Store, policy: &Policy, body: &str) -> Reference {
    let r = store
        .register(
            &fixtures::policy(),
            &[new("2026-11-23T09:00:00+01:00", body)],
            "anne",
            now(),
        )
        .unwrap()
        .registered[0];
    let cmd = Command::Classify {
        confirm: vec![DataCategory::Criminal, DataCategory::Contact],
        reject: vec![],
    };
    store.execute(policy, &anne(), r, 1, &cmd, now()).unwrap();
    let cmd = Command::SetPurpose {
        purpose: "citizen-enquiries".into(),
        right: None,
    };
    store.execute(policy, &anne(), r, 2, &cmd, now()).unwrap();
    r
}

#[test]
fn numbering_is_per_year_and_gap_free() {
    let (_d, store) = open();
    let batch = vec![
        new("2025-12-31T23:00:00+01:00", "a"),
        new("2026-01-02T09:00:00+01:00", "b"),
        new("2026-01-03T09:00:00+01:00", "c"),
    ];
    let reg = store
        .register(&fixtures::policy(), &batch, "anne", now())
        .unwrap();
    let refs: Vec<String> = reg.registered.iter().map(|r| r.to_string()).collect();
    assert_eq!(refs, ["2025-000001", "2026-000001", "2026-000002"]);
    // A failed batch (a refused command does not count here; a re-run does) leaves no gap.
    let reg = store
        .register(
            &fixtures::policy(),
            &[new("2026-02-01T09:00:00+01:00", "d")],
            "anne",
            now(),
        )
        .unwrap();
    assert_eq!(reg.registered[0].to_string(), "2026-000003");
    // The references given out bound the queue from above, read from the counters.
    assert_eq!(store.queue_bound().unwrap(), 4);
    assert_eq!(store.summaries().count(), 4);
}

#[test]
fn reimport_of_the_same_enquiry_is_reported_not_duplicated() {
    let (_d, store) = open();
    let batch = vec![
        new("2026-01-02T09:00:00+01:00", "same"),
        new("2026-01-02T09:00:00+01:00", "same"),
    ];
    let reg = store
        .register(&fixtures::policy(), &batch, "anne", now())
        .unwrap();
    assert_eq!(reg.registered.len(), 1);
    assert_eq!(reg.duplicates, vec![(1, reg.registered[0])]);
    let again = store
        .register(&fixtures::policy(), &batch[..1], "anne", now())
        .unwrap();
    assert!(again.registered.is_empty());
    assert_eq!(store.case_count(), 1);
}

#[test]
fn two_people_of_one_name_with_the_same_words_the_same_minute_are_two_enquiries() {
    for bulk in [false, true] {
        let (_d, store) = open();
        let policy = fixtures::policy();
        let hans = |phone: &str, cpr: Option<&str>| {
            let mut n = new("2026-11-02T09:00:00+01:00", "Ringede om sin sag.");
            n.enquiry.channel = crate::domain::enquiry::Channel::Phone;
            n.enquiry.sender = crate::domain::enquiry::Sender {
                name: "Hans Hansen".into(),
                email: None,
                phone: Some(phone.into()),
                address: None,
                cpr: cpr.map(Into::into),
            };
            n
        };
        let register = |batch: &[NewEnquiry]| {
            if bulk {
                store.register_bulk(&policy, batch, "anne", now(), 10)
            } else {
                store.register(&policy, batch, "anne", now())
            }
            .unwrap()
        };
        let first = register(&[hans("+45 11 22 33 44", None)]);
        let other = register(&[hans("+45 55 66 77 88", Some("070761-4285"))]);
        assert_eq!(other.registered.len(), 1, "bulk {bulk}: {other:?}");
        assert!(other.duplicates.is_empty(), "bulk {bulk}");
        // The first again is still a duplicate.
        let again = register(&[hans("+45 11 22 33 44", None)]);
        assert_eq!(
            again.duplicates,
            vec![(0, first.registered[0])],
            "bulk {bulk}"
        );
        // A store an earlier version wrote holds the key without the sender's details:
        // the same enquiry is found by it, and another person's is not taken for it.
        let mine = hans("+45 11 22 33 44", None);
        let new_key = audit::digest(mine.enquiry.dedup_key().as_bytes());
        let old_key = audit::digest(mine.enquiry.legacy_dedup_key().unwrap().as_bytes());
        assert_ne!(new_key, old_key);
        let r = store.dedup.remove(new_key).unwrap().expect("the key");
        store.dedup.insert(old_key, r).unwrap();
        let again = register(&[hans("+45 11 22 33 44", None)]);
        assert_eq!(
            again.duplicates,
            vec![(0, first.registered[0])],
            "bulk {bulk}"
        );
        let third = register(&[hans("+45 99 99 99 99", None)]);
        assert_eq!(third.registered.len(), 1, "bulk {bulk}: {third:?}");
        assert_eq!(store.case_count(), 3, "bulk {bulk}");
    }
}

#[test]
fn the_same_message_id_with_other_content_is_registered_and_flagged() {
    let mail = |body: &str| {
        let mut n = new("2026-01-02T09:00:00+01:00", body);
        n.enquiry.channel = crate::domain::enquiry::Channel::Email;
        n.enquiry.message_id = Some("<shared@example.dk>".into());
        n
    };
    let batch = vec![mail("first"), mail("second"), mail("first")];
    for bulk in [false, true] {
        let (_d, store) = open();
        let policy = fixtures::policy();
        let reg = if bulk {
            store.register_bulk(&policy, &batch, "anne", now(), 2)
        } else {
            store.register(&policy, &batch, "anne", now())
        }
        .unwrap();
        let (first, second) = (reg.registered[0], reg.registered[1]);
        assert_eq!(reg.registered.len(), 2, "bulk {bulk}");
        assert_eq!(reg.duplicates, vec![(2, first)], "bulk {bulk}");
        assert_eq!(reg.flagged, vec![(second, first)], "bulk {bulk}");
        match store.case(second).unwrap() {
            Some(CaseRecord::Live(c)) => assert_eq!(c.duplicate_of, Some(first)),
            other => panic!("{other:?}"),
        }
        // A later import of a third text with that Message-ID points at the first too.
        let later = store
            .register(&policy, &[mail("third")], "anne", now())
            .unwrap();
        assert_eq!(later.flagged, vec![(later.registered[0], first)]);
        // A store that keyed mail by its Message-ID alone: the same message again is a
        // duplicate, found by its content.
        let full = audit::digest(batch[0].enquiry.dedup_key().as_bytes());
        store.dedup.remove(full).unwrap();
        let again = store
            .register_bulk(&policy, &batch[..1], "anne", now(), 10)
            .unwrap();
        assert_eq!(again.duplicates, vec![(0, first)], "bulk {bulk}");
    }
}

#[test]
fn a_refused_command_writes_nothing() {
    let (_d, store) = open();
    let policy = fixtures::policy();
    let r = store
        .register(
            &fixtures::policy(),
            &[new("2026-11-23T09:00:00+01:00", "x")],
            "anne",
            now(),
        )
        .unwrap()
        .registered[0];
    let audit_before = store.audit.len();
    // Routing before classification and purpose is refused with reasons.
    let err = store
        .execute(&policy, &anne(), r, 1, &route_to_police(), now())
        .unwrap_err();
    match err {
        StoreError::Refused(Refusal::Routing(why)) => {
            assert!(why.contains(&RouteProblem::NoPurpose), "{why:?}");
            assert!(why.contains(&RouteProblem::NotClassified), "{why:?}");
        }
        other => panic!("expected a routing refusal, got {other}"),
    }
    assert_eq!(store.audit.len(), audit_before);
    assert_eq!(store.events(r).unwrap().len(), 1);
    assert_eq!(store.live_case(r).unwrap().version, 1);
}

#[test]
fn a_stale_version_is_refused_with_who_changed_it() {
    let (_d, store) = open();
    let policy = fixtures::policy();
    let r = store
        .register(
            &fixtures::policy(),
            &[new("2026-11-23T09:00:00+01:00", "x")],
            "anne",
            now(),
        )
        .unwrap()
        .registered[0];
    let note = |t: &str| Command::AddNote { text: t.into() };
    store
        .execute(&policy, &dora(), r, 1, &note("first"), now())
        .unwrap();
    let err = store
        .execute(&policy, &anne(), r, 1, &note("second"), now())
        .unwrap_err();
    match &err {
        StoreError::Conflict {
            expected: 1,
            actual: 2,
            by,
            ..
        } => assert_eq!(by, "dora"),
        other => panic!("expected a conflict, got {other}"),
    }
    assert!(err.to_string().contains("reload"), "{err}");
    let case = store.live_case(r).unwrap();
    assert_eq!(case.notes.len(), 1);
    assert_eq!(case.notes[0].text, "first");
}

#[test]
fn route_records_disclosure_event_and_audit() {
    let (_d, store) = open();
    let policy = fixtures::policy();
    let r = triaged(&store, &policy, "Han er dømt for tyveri.");
    let rec = store
        .execute(&policy, &anne(), r, 3, &route_to_police(), now())
        .unwrap();
    let case = rec.live().unwrap();
    assert_eq!(case.status, Status::Routed);
    let d = &case.disclosures[0];
    assert_eq!(
        (d.recipient.as_str(), d.made.by.as_str()),
        ("police", "anne")
    );
    assert!(d.justification.starts_with("The police asked"));
    assert_eq!(
        d.categories,
        vec![DataCategory::Contact, DataCategory::Criminal]
    );
    let events = store.events(r).unwrap();
    assert_eq!(
        events.iter().map(|e| e.change.action()).collect::<Vec<_>>(),
        ["register", "classify", "set-purpose", "route"]
    );
    let v = store.verify_audit().unwrap();
    assert_eq!(v.first_broken, None);
    assert_eq!((v.entries, v.events_checked), (4, 4));
}

#[test]
fn route_without_art10_basis_is_refused() {
    let (_d, store) = open();
    let policy = fixtures::policy();
    let r = triaged(&store, &policy, "x");
    let mut cmd = route_to_police();
    if let Command::Route(req) = &mut cmd {
        req.bases = vec!["gdpr-6-1-e".parse().unwrap()];
    }
    let err = store
        .execute(&policy, &anne(), r, 3, &cmd, now())
        .unwrap_err();
    assert!(err.to_string().contains("Art. 10"), "{err}");
}

#[test]
fn audit_verify_names_a_tampered_entry() {
    let (_d, store) = open();
    let policy = fixtures::policy();
    triaged(&store, &policy, "x");
    triaged(&store, &policy, "y");
    assert_eq!(store.verify_audit().unwrap().first_broken, None);
    // Rewrite entry 2's actor, keeping it decodable: entry 3 no longer points to it.
    let audit = store.raw_tree("audit").unwrap();
    let mut entry: AuditEntry =
        codec::decode(&audit.get(2u64.to_be_bytes()).unwrap().unwrap()).unwrap();
    entry.actor = "mallory".into();
    audit
        .insert(2u64.to_be_bytes(), codec::encode(&entry).unwrap())
        .unwrap();
    let v = store.verify_audit().unwrap();
    let broken = v.first_broken.expect("tampering found");
    assert_eq!(broken.seq, 3, "{}", broken.problem);
}

#[test]
fn audit_verify_detects_an_altered_event_and_a_truncated_tail() {
    let (_d, store) = open();
    let policy = fixtures::policy();
    let r = triaged(&store, &policy, "x");
    let events = store.raw_tree("events").unwrap();
    let key = event_key(r, 2);
    let mut ev: Event = codec::decode(&events.get(key).unwrap().unwrap()).unwrap();
    ev.actor = "mallory".into();
    events.insert(key, codec::encode(&ev).unwrap()).unwrap();
    let broken = store.verify_audit().unwrap().first_broken.unwrap();
    assert_eq!(broken.seq, 2);
    assert!(broken.problem.contains("altered"), "{}", broken.problem);

    let (_d2, store) = open();
    triaged(&store, &policy, "x");
    store
        .raw_tree("audit")
        .unwrap()
        .remove(3u64.to_be_bytes())
        .unwrap();
    let broken = store.verify_audit().unwrap().first_broken.unwrap();
    assert!(broken.problem.contains("head"), "{}", broken.problem);
}

#[test]
fn reads_are_audited_with_their_terms() {
    let (_d, store) = open();
    let r = store
        .register(
            &fixtures::policy(),
            &[new("2026-11-23T09:00:00+01:00", "x")],
            "anne",
            now(),
        )
        .unwrap()
        .registered[0];
    store
        .log_access("anne", Some(r), &Access::RevealCpr, now())
        .unwrap();
    store
        .log_access(
            "anne",
            None,
            &Access::Search {
                terms: "hassan".into(),
            },
            now(),
        )
        .unwrap();
    let log = store.audit_log(None).unwrap();
    assert_eq!(log.len(), 3);
    assert_eq!(log[1].0.action, "reveal-cpr");
    assert_eq!(
        log[2].1.as_ref().unwrap().access,
        Access::Search {
            terms: "hassan".into()
        }
    );
    assert_eq!(store.audit_log(Some(r)).unwrap().len(), 2);
    assert_eq!(store.verify_audit().unwrap().first_broken, None);
}

#[test]
fn erasure_leaves_a_tombstone_and_a_verifying_chain() {
    let (_d, store) = open();
    let policy = fixtures::policy();
    let r = triaged(&store, &policy, "Hemmelig tekst 7c1f9");
    store
        .log_access("anne", Some(r), &Access::OpenCase, now())
        .unwrap();
    store.save_draft(r, "anne", "draft about 7c1f9").unwrap();
    store
        .execute(
            &policy,
            &anne(),
            r,
            3,
            &Command::Close {
                reason: "answered by phone".into(),
            },
            now(),
        )
        .unwrap();
    let err = store
        .execute(
            &policy,
            &anne(),
            r,
            4,
            &Command::Erase {
                ground: "archive rules".into(),
            },
            now(),
        )
        .unwrap_err();
    assert!(
        matches!(err, StoreError::Refused(Refusal::NotPermitted { .. })),
        "{err}"
    );
    store
        .execute(
            &policy,
            &dora(),
            r,
            4,
            &Command::Hold {
                reason: "pending court case".into(),
            },
            now(),
        )
        .unwrap();
    let err = store
        .execute(
            &policy,
            &dora(),
            r,
            5,
            &Command::Erase {
                ground: "archive rules".into(),
            },
            now(),
        )
        .unwrap_err();
    assert!(err.to_string().contains("legal hold"), "{err}");
    store
        .execute(
            &policy,
            &dora(),
            r,
            5,
            &Command::ReleaseHold {
                reason: "court case ended".into(),
            },
            now(),
        )
        .unwrap();
    let rec = store
        .execute(
            &policy,
            &dora(),
            r,
            6,
            &Command::Erase {
                ground: "Archives Act: handed over, no need to keep".into(),
            },
            now(),
        )
        .unwrap();
    assert!(matches!(rec, CaseRecord::Erased(_)));
    assert_eq!(
        store.events(r).unwrap().len(),
        1,
        "only the erase event remains"
    );
    assert_eq!(store.draft(r, "anne").unwrap(), None);
    assert!(store.subject_cases("cpr:1203851234").unwrap().is_empty());
    assert!(matches!(store.live_case(r), Err(StoreError::Erased(_))));
    let v = store.verify_audit().unwrap();
    assert_eq!(v.first_broken, None, "{v:?}");
    assert_eq!(v.erased_cases, 1);
    // The erased case leaves the queue; the bound still counts its reference.
    assert_eq!(store.summaries().count(), 0);
    assert_eq!(store.queue_bound().unwrap(), 1);
}

#[test]
fn subjects_are_indexed_by_cpr_email_and_name_with_address() {
    let (_d, store) = open();
    let reg = store
        .register(
            &fixtures::policy(),
            &[
                new("2026-11-20T09:00:00+01:00", "a"),
                new("2026-11-21T09:00:00+01:00", "b"),
            ],
            "anne",
            now(),
        )
        .unwrap();
    assert_eq!(
        store.subject_cases("cpr:1203851234").unwrap(),
        reg.registered
    );
    assert_eq!(
        store
            .subject_cases("email:fatima@example.com")
            .unwrap()
            .len(),
        2
    );
    assert_eq!(
        store
            .subject_cases("name:fatima hassan|nørrebrogade 12, 2200 københavn n")
            .unwrap()
            .len(),
        2
    );
    assert!(store.subject_cases("cpr:0000000000").unwrap().is_empty());
}

#[test]
fn a_second_opener_is_told_the_store_is_in_use() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db");
    let _first = Store::open(&path).unwrap();
    // sled's lock is per process; a second open in this process would share it, so
    // the cross-process case is tested end to end in tests/cli.rs.
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o700);
}

#[test]
fn the_queue_index_follows_every_change_and_drops_erased_cases() {
    let (_d, store) = open();
    let policy = fixtures::policy();
    let r = triaged(&store, &policy, "x");
    let q: Vec<_> = store.summaries().collect::<Result<_, _>>().unwrap();
    assert_eq!(q.len(), 1);
    assert_eq!(
        (q[0].reference, q[0].version, q[0].status),
        (r, 3, Status::Triaged)
    );
    assert_eq!(q[0].purpose.as_deref(), Some("citizen-enquiries"));
    store
        .execute(
            &policy,
            &anne(),
            r,
            3,
            &Command::Close {
                reason: "done with it".into(),
            },
            now(),
        )
        .unwrap();
    store
        .execute(
            &policy,
            &dora(),
            r,
            4,
            &Command::Erase {
                ground: "retention ended".into(),
            },
            now(),
        )
        .unwrap();
    assert_eq!(store.summaries().count(), 0);
    assert_eq!(store.case_count(), 1, "the tombstone stays");
}

#[test]
fn execute_many_applies_each_command_and_skips_the_refused_ones() {
    let (_d, store) = open();
    let policy = fixtures::policy();
    let reg = store
        .register(
            &policy,
            &[
                new("2026-11-20T09:00:00+01:00", "a"),
                new("2026-11-21T09:00:00+01:00", "b"),
            ],
            "anne",
            now(),
        )
        .unwrap();
    let (a, b) = (reg.registered[0], reg.registered[1]);
    let item = |reference, expected, command| Batched {
        actor: anne(),
        reference,
        expected,
        command,
        at: now(),
    };
    let results = store
        .execute_many(
            &policy,
            &[
                item(a, Some(1), Command::AddNote { text: "one".into() }),
                item(a, None, Command::AddNote { text: "two".into() }),
                item(
                    b,
                    Some(7),
                    Command::AddNote {
                        text: "stale".into(),
                    },
                ),
                item(
                    b,
                    None,
                    Command::Erase {
                        ground: "not allowed for anne".into(),
                    },
                ),
                item(
                    b,
                    None,
                    Command::SetPurpose {
                        purpose: "citizen-enquiries".into(),
                        right: None,
                    },
                ),
            ],
        )
        .unwrap();
    assert_eq!(
        results.iter().map(|r| r.is_ok()).collect::<Vec<_>>(),
        [true, true, false, false, true]
    );
    assert!(matches!(results[2], Err(StoreError::Conflict { .. })));
    assert!(matches!(
        results[3],
        Err(StoreError::Refused(Refusal::NotPermitted { .. }))
    ));
    assert_eq!(store.live_case(a).unwrap().notes.len(), 2);
    assert_eq!(store.live_case(b).unwrap().version, 2);
    assert_eq!(store.events(b).unwrap().len(), 2);
    let v = store.verify_audit().unwrap();
    assert_eq!((v.first_broken, v.entries), (None, 5));
}

#[test]
fn the_urgency_order_gives_the_first_page_and_follows_every_change() {
    let (_d, store) = open();
    let policy = fixtures::policy();
    // Received on different days: the earlier one falls due first.
    let later = triaged(&store, &policy, "later");
    let reg = store
        .register(
            &policy,
            &[
                new("2026-11-02T09:00:00+01:00", "earlier"),
                new("2026-11-20T09:00:00+01:00", "no purpose yet"),
            ],
            "anne",
            now(),
        )
        .unwrap();
    let (earlier, bare) = (reg.registered[0], reg.registered[1]);
    let cmd = Command::SetPurpose {
        purpose: "citizen-enquiries".into(),
        right: None,
    };
    store
        .execute(&policy, &anne(), earlier, 1, &cmd, now())
        .unwrap();
    let refs = |v: Vec<CaseSummary>| v.into_iter().map(|s| s.reference).collect::<Vec<_>>();
    // Any status: due soonest first, no deadline last.
    assert_eq!(
        refs(store.urgent(None, 10).unwrap()),
        [earlier, later, bare]
    );
    assert_eq!(refs(store.urgent(None, 2).unwrap()), [earlier, later]);
    assert_eq!(refs(store.urgent(Some(Status::New), 10).unwrap()), [bare]);
    // Closing moves a case out of its status and its deadline away.
    let cmd = Command::Close {
        reason: "answered by phone".into(),
    };
    store
        .execute(&policy, &anne(), earlier, 2, &cmd, now())
        .unwrap();
    assert_eq!(
        refs(store.urgent(Some(Status::Triaged), 10).unwrap()),
        [later]
    );
    assert_eq!(
        refs(store.urgent(Some(Status::Closed), 10).unwrap()),
        [earlier]
    );
    assert_eq!(store.order.len(), 3, "one order entry per live case");
    // Erasing takes it out of the order too.
    let cmd = Command::Erase {
        ground: "retention ended".into(),
    };
    store
        .execute(&policy, &dora(), earlier, 3, &cmd, now())
        .unwrap();
    assert_eq!(refs(store.urgent(None, 10).unwrap()), [later, bare]);
    assert_eq!(store.order.len(), 2);
    // Pages in reference order cover every live case once.
    let first = store.summaries_page(None, 1).unwrap();
    let rest = store.summaries_page(Some(first[0].reference), 10).unwrap();
    let mut all = refs(first);
    all.extend(refs(rest));
    assert_eq!(all, [later, bare]);
}

#[test]
fn the_queue_index_is_rebuilt_once_under_a_new_policy() {
    let (_d, store) = open();
    let policy = fixtures::policy();
    let r = triaged(&store, &policy, "x");
    let today = now().danish_day();
    // A store written before the index had a format marker gets it rebuilt, once.
    assert_eq!(store.refresh_queue(&policy, today).unwrap(), Some(1));
    assert_eq!(store.refresh_queue(&policy, today).unwrap(), None);
    let before = store.summaries_page(None, 1).unwrap()[0].due().unwrap();
    // A longer deadline in a new policy moves the due date in the index.
    let mut longer = policy.clone();
    for p in &mut longer.purposes {
        if p.id.get_ref() == "citizen-enquiries" {
            p.deadline = crate::domain::policy::DeadlineRule::WorkingDays { days: 30 };
        }
    }
    assert!(!store.queue_current(&longer).unwrap());
    assert_eq!(store.refresh_queue(&longer, today).unwrap(), Some(1));
    let after = store.summaries_page(None, 1).unwrap()[0].clone();
    assert_eq!(after.reference, r);
    assert!(
        after.due().unwrap() > before,
        "{before} → {:?}",
        after.due()
    );
    assert_eq!(store.urgent(None, 5).unwrap(), vec![after]);
}

/// A wall clock that steps back (or a time someone sets) never dates an entry before the
/// one it follows: the entry takes the head's time and keeps the reading beside it.
#[test]
fn a_clock_behind_the_head_keeps_the_chain_monotonic() {
    let (_d, store) = open();
    let policy = fixtures::policy();
    let r = triaged(&store, &policy, "x");
    let back = fixtures::at("2020-01-01T09:00:00Z");
    let cmd = Command::AddNote {
        text: "backdated?".into(),
    };
    store.execute(&policy, &anne(), r, 3, &cmd, back).unwrap();
    let log = store.audit_log(Some(r)).unwrap();
    let (last, _) = log.last().unwrap();
    assert_eq!(last.at, now(), "dated at the head's time");
    assert_eq!(last.clock, Some(back), "the real reading is kept");
    for pair in log.windows(2) {
        assert!(pair[0].0.at <= pair[1].0.at);
    }
    let v = store.verify_audit().unwrap();
    assert_eq!(v.first_broken, None);
    // A later import in bulk follows the same rule.
    store
        .register_bulk(
            &policy,
            &[new("2026-11-23T09:00:00+01:00", "y")],
            "anne",
            back,
            10,
        )
        .unwrap();
    assert_eq!(store.verify_audit().unwrap().first_broken, None);
    assert_eq!(store.audit_head().unwrap().at, Some(now()));
}

/// An entry rewritten to an earlier time, with the whole chain re-hashed after it so the
/// hashes hold, is still caught: the time goes back.
#[test]
fn verify_names_an_entry_moved_back_in_time() {
    let (_d, store) = open();
    let policy = fixtures::policy();
    let r = triaged(&store, &policy, "x");
    store
        .execute(
            &policy,
            &anne(),
            r,
            3,
            &Command::AddNote { text: "n".into() },
            fixtures::at("2026-11-25T08:00:00Z"),
        )
        .unwrap();
    store
        .tamper_rewrite_chain(|e| {
            if e.seq == 3 {
                e.at = fixtures::at("2019-01-01T00:00:00Z");
            }
        })
        .unwrap();
    let broken = store.verify_audit().unwrap().first_broken.expect("caught");
    assert_eq!(broken.seq, 3, "{}", broken.problem);
    assert!(
        broken.problem.contains("back in time"),
        "{}",
        broken.problem
    );
}

#[test]
fn a_head_written_down_catches_a_rewrite_of_the_whole_chain() {
    let (_d, store) = open();
    let policy = fixtures::policy();
    let r = triaged(&store, &policy, "x");
    let anchored = store.audit_head().unwrap();
    assert_eq!(anchored.seq, 3);
    assert_eq!(store.audit_extends(&anchored).unwrap(), None);
    // The chain grows: the old head is still part of it.
    store
        .execute(
            &policy,
            &anne(),
            r,
            3,
            &Command::AddNote { text: "n".into() },
            now(),
        )
        .unwrap();
    assert_eq!(store.audit_extends(&anchored).unwrap(), None);
    // Someone rewrites who did what and re-hashes everything: verify alone passes...
    store
        .tamper_rewrite_chain(|e| e.actor = "mallory".into())
        .unwrap();
    assert_eq!(store.verify_audit().unwrap().first_broken, None);
    // ...but not against the head kept elsewhere.
    let problem = store.audit_extends(&anchored).unwrap().expect("caught");
    assert!(problem.contains("entry 3"), "{problem}");
    // A head beyond the chain's end: cut short.
    let beyond = audit::HeadLine {
        seq: 99,
        ..anchored
    };
    assert!(store
        .audit_extends(&beyond)
        .unwrap()
        .unwrap()
        .contains("no longer holds entry 99"));
}

/// A triaged case closed by anne (now version 4) and the erasure dora may give it.
fn closed_for_erasure(store: &Store, policy: &Policy) -> (Reference, Command) {
    let r = triaged(store, policy, "Hemmelig tekst 7c1f9");
    let close = Command::Close {
        reason: "answered by phone".into(),
    };
    store.execute(policy, &anne(), r, 3, &close, now()).unwrap();
    let erase = Command::Erase {
        ground: "Archives Act: handed over, no need to keep".into(),
    };
    (r, erase)
}

#[test]
fn drafts_go_with_the_erased_case_and_none_is_saved_after() {
    let (_d, store) = open();
    let policy = fixtures::policy();
    let (r, erase) = closed_for_erasure(&store, &policy);
    store.save_draft(r, "anne", "draft about 7c1f9").unwrap();
    store.save_draft(r, "dora", "another draft").unwrap();
    store
        .execute(&policy, &dora(), r, 4, &erase, now())
        .unwrap();
    assert_eq!(store.draft(r, "anne").unwrap(), None);
    assert_eq!(store.drafts.scan_prefix(ref_key(r)).count(), 0);
    // An open route wizard that keeps saving is refused, and writes nothing.
    let err = store
        .save_draft(r, "anne", "still typing 7c1f9")
        .unwrap_err();
    assert!(matches!(err, StoreError::Erased(x) if x == r), "{err}");
    assert_eq!(store.drafts.scan_prefix(ref_key(r)).count(), 0);
    // A case that does not exist takes no draft either.
    let missing = Reference::new(2026, 999);
    assert!(matches!(
        store.save_draft(missing, "anne", "x"),
        Err(StoreError::NotFound(_))
    ));
}

#[test]
fn what_is_written_between_the_erasure_scan_and_its_commit_is_removed_too() {
    let (_d, store) = open();
    let policy = fixtures::policy();
    let (r, erase) = closed_for_erasure(&store, &policy);
    // The steps of `execute`, with writes slipped in between the scan and the commit.
    let keys = store.erase_keys(r, &erase).unwrap();
    assert!(keys.drafts.is_empty());
    store.save_draft(r, "anne", "late draft 7c1f9").unwrap();
    store
        .log_access("anne", Some(r), &Access::OpenCase, now())
        .unwrap();
    let calendar = Calendar::from_policy(&policy);
    store
        .transaction(|tx| {
            match tx.apply(
                &policy,
                &calendar,
                &dora(),
                r,
                Some(4),
                &erase,
                now(),
                &keys,
            )? {
                Ok(record) => Ok(record),
                Err(e) => abort(e),
            }
        })
        .unwrap();
    assert_eq!(store.drafts.scan_prefix(ref_key(r)).count(), 1, "the race");
    store.sweep_erased(r).unwrap();
    assert_eq!(store.drafts.scan_prefix(ref_key(r)).count(), 0);
    assert_eq!(store.access.scan_prefix(ref_key(r)).count(), 0);
}

#[test]
fn a_writer_saving_drafts_throughout_an_erasure_leaves_none() {
    let (_d, store) = open();
    let policy = fixtures::policy();
    let (r, erase) = closed_for_erasure(&store, &policy);
    std::thread::scope(|s| {
        let writer = s.spawn(|| {
            let mut n = 0u32;
            while store.save_draft(r, "anne", &format!("draft {n}")).is_ok() {
                n += 1;
            }
            n
        });
        while store.draft(r, "anne").unwrap().is_none() {
            std::thread::yield_now();
        }
        store
            .execute(&policy, &dora(), r, 4, &erase, now())
            .unwrap();
        assert!(writer.join().unwrap() > 0);
    });
    assert_eq!(store.drafts.scan_prefix(ref_key(r)).count(), 0);
}

#[test]
fn a_store_opened_with_the_streaming_cache_reads_and_writes_what_the_default_one_does() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let policy = fixtures::policy();
    let first = {
        let store = Store::open(&db).unwrap();
        triaged(&store, &policy, "the first letter")
    };
    let store = Store::open_with_cache(&db, STREAMING_CACHE_BYTES).unwrap();
    let case = store.live_case(first).unwrap();
    let second = triaged(&store, &policy, "the second letter");
    drop(store);
    let store = Store::open(&db).unwrap();
    assert_eq!(store.live_case(first).unwrap(), case);
    assert!(store.live_case(second).is_ok());
    let v = store.verify_audit().unwrap();
    assert_eq!(v.first_broken, None);
    assert_eq!((v.entries, v.events_checked), (6, 6));
}

#[test]
fn packaging_and_approval_leave_the_search_index_in_step() {
    // They change no searchable text: the next open must not read every packaged case again
    // (880,130 of them after packaging a generated million).
    let (_d, store) = open();
    let policy = fixtures::policy();
    let r = triaged(&store, &policy, "om nyretransplantation");
    let close = Command::Close {
        reason: "done with it".into(),
    };
    store
        .execute(&policy, &anne(), r, 3, &close, now())
        .unwrap();
    let index = crate::search::attach(&store).unwrap();
    index.catch_up(&store).unwrap();
    let package = Command::Package {
        package: "AVID.SA.18000.1".into(),
        file_index_md5: "0".repeat(32),
    };
    store
        .execute(&policy, &dora(), r, 4, &package, now())
        .unwrap();
    let approved = Command::ArchiveApproved {
        package: "AVID.SA.18000.1".into(),
        approved: now().date_naive(),
    };
    store
        .execute(&policy, &dora(), r, 5, &approved, now())
        .unwrap();
    assert_eq!(index.catch_up(&store).unwrap(), 0, "no case read again");
    let hits = index
        .search(&store, "nyretransplantation", 10, &|_| true)
        .unwrap();
    assert_eq!(hits.len(), 1);
}
