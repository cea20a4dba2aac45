//! The journal end to end: erasure reaches it, a restored store is journaled, and a
//! recovered store equals the original.

mod common;
use common::*;
use std::path::Path;

/// Every file under `dir` that contains `word`.
fn holding(dir: &Path, word: &str, out: &mut Vec<String>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            holding(&p, word, out);
        } else {
            let bytes = std::fs::read(&p).unwrap();
            if bytes.windows(word.len()).any(|w| w == word.as_bytes()) {
                out.push(p.display().to_string());
            }
        }
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &to.join(e.file_name()));
        } else {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

fn at(s: &TestStore, db: &Path) -> TestStore {
    let _ = s;
    TestStore {
        dir: tempfile::tempdir().unwrap(),
        db: db.to_path_buf(),
    }
}

#[test]
fn erasure_reaches_the_journal_and_a_recovered_store_still_verifies() {
    let s = TestStore::demo();
    let r = "2024-000001";
    let words = ["Fernando", "fernando.alves@example.com", "Brazilian wife"];
    let mut before = Vec::new();
    holding(&s.db.join("journal"), words[0], &mut before);
    assert!(!before.is_empty(), "the journal holds the enquiry before");
    s.ok(&[
        "case",
        r,
        "erase",
        "--ground",
        "the retention period has ended",
    ]);
    for w in words {
        let mut found = Vec::new();
        holding(&s.db.join("journal"), w, &mut found);
        assert!(found.is_empty(), "{w:?} is still in {found:?}");
    }
    // A copy rebuilt from the journal alone: the same cases, the tombstone, a chain that
    // verifies.
    let want = s.ok(&["cases", "--json"]);
    let copy = s.dir.path().join("copy");
    copy_dir(&s.db, &copy);
    let c = at(&s, &copy);
    let out = c.ok(&["recover"]);
    assert!(out.contains("audit chain verified"), "{out}");
    assert_eq!(c.ok(&["cases", "--json"]), want);
    assert!(c.ok(&["audit", "verify"]).contains("1 erased"));
    // sled's own log keeps old values until the store is rewritten.
    s.ok(&["compact"]);
    for w in words {
        let mut found = Vec::new();
        holding(&s.db, w, &mut found);
        assert!(
            found.is_empty(),
            "{w:?} is still in {found:?} after compaction"
        );
    }
    assert!(s.ok(&["audit", "verify"]).contains("audit chain verified"));
}

#[test]
fn a_restored_store_is_journaled_and_recovers_to_itself() {
    let s = TestStore::new();
    let import = root().join("demo-data/enquiries.jsonl");
    s.ok(&["import", import.to_str().unwrap()]);
    let backup = s.dir.path().join("b.triage");
    s.ok(&["backup", backup.to_str().unwrap()]);
    let restored = at(&s, &s.dir.path().join("restored"));
    restored.ok(&["restore", backup.to_str().unwrap()]);
    let want = restored.ok(&["cases", "--json"]);
    assert_eq!(want, s.ok(&["cases", "--json"]));
    restored.ok(&["recover"]);
    assert_eq!(restored.ok(&["cases", "--json"]), want);
    assert!(restored
        .ok(&["audit", "verify"])
        .contains("audit chain verified"));
}

#[test]
fn a_store_without_its_high_water_record_is_refused_untouched() {
    let s = TestStore::new();
    let import = root().join("demo-data/enquiries.jsonl");
    s.ok(&["import", import.to_str().unwrap()]);
    let want = s.ok(&["cases", "--json"]);
    std::fs::remove_file(s.db.join("high-water")).unwrap();
    let db_bytes = std::fs::read(s.db.join("db")).unwrap();
    let err = s.fails(&["cases"]);
    assert!(
        err.contains("is damaged: it should hold a high-water record and shows none"),
        "{err}"
    );
    assert_eq!(std::fs::read(s.db.join("db")).unwrap(), db_bytes);
    s.ok(&["recover"]);
    assert_eq!(s.ok(&["cases", "--json"]), want);
}

/// A draft saved as staff would (the interface saves one every few keystrokes).
fn save_draft(db: &Path, r: &str, text: &str) {
    let store = triage::store::Store::open(db).unwrap();
    store.save_draft(r.parse().unwrap(), "anne", text).unwrap();
}

fn draft(db: &Path, r: &str) -> Option<String> {
    let store = triage::store::Store::open(db).unwrap();
    store.draft(r.parse().unwrap(), "anne").unwrap()
}

#[test]
fn a_backup_rolled_forward_with_the_journal_brings_back_every_acknowledged_command() {
    let s = TestStore::demo();
    let backup = s.dir.path().join("nightly.triage");
    let backup = backup.to_str().unwrap();
    save_draft(&s.db, "2024-000003", "begrundelse fra før backuppen");
    s.ok(&["backup", backup]);
    let manifest = std::fs::read_to_string(format!("{backup}.manifest")).unwrap();
    assert!(manifest.contains("\njournal record "), "{manifest}");
    // After the backup: notes, a registration, a draft, and an erasure of a case the
    // backup holds whole.
    s.ok(&[
        "case",
        "2024-000002",
        "note",
        "acknowledged after the backup",
    ]);
    s.ok(&["case", "2024-000003", "note", "and another"]);
    let first = std::fs::read_to_string(root().join("demo-data/enquiries.jsonl")).unwrap();
    let mut line: serde_json::Value = serde_json::from_str(first.lines().nth(4).unwrap()).unwrap();
    line["subject"] = "Registreret efter backuppen".into();
    line["message_id"] = "<after-the-backup@example.dk>".into();
    let late = s.dir.path().join("late.jsonl");
    std::fs::write(&late, format!("{line}\n")).unwrap();
    assert!(s.ok(&["import", late.to_str().unwrap()]).contains("1 "));
    save_draft(&s.db, "2024-000002", "halvskrevet begrundelse");
    let words = ["Fernando", "fernando.alves@example.com", "Brazilian wife"];
    s.ok(&[
        "case",
        "2024-000001",
        "erase",
        "--ground",
        "the retention period has ended",
    ]);
    let want = s.ok(&["cases", "--json"]);
    let verified = s.ok(&["audit", "verify"]);

    // The store's sled files are lost; its journal is what is left.
    let restored = at(&s, &s.dir.path().join("restored"));
    let out = restored.ok(&["restore", backup, "--journal", s.db.to_str().unwrap()]);
    assert!(out.contains("replayed journal records"), "{out}");
    assert!(out.contains("(1 erasures among them)"), "{out}");
    assert_eq!(restored.ok(&["cases", "--json"]), want);
    assert_eq!(restored.ok(&["audit", "verify"]), verified);
    assert!(restored.ok(&["check"]).contains("no problems found"));
    assert_eq!(
        draft(&restored.db, "2024-000002").as_deref(),
        Some("halvskrevet begrundelse"),
        "a draft saved after the backup comes back"
    );
    // The erasure made after the backup holds in the restored store, in every file.
    for w in words {
        let mut found = Vec::new();
        holding(&restored.db, w, &mut found);
        assert!(found.is_empty(), "{w:?} is back in {found:?}");
    }
    // Without the journal the same backup lacks what came after it.
    let plain = at(&s, &s.dir.path().join("plain"));
    plain.ok(&["restore", backup]);
    assert_ne!(plain.ok(&["cases", "--json"]), want);
    // The restored store goes on: it takes commands and its journal rebuilds it.
    restored.ok(&["case", "2024-000002", "note", "after the restore"]);
    let now = restored.ok(&["cases", "--json"]);
    restored.ok(&["recover"]);
    assert_eq!(restored.ok(&["cases", "--json"]), now);
}

#[test]
fn a_journal_that_does_not_continue_the_backup_is_refused_and_nothing_is_written() {
    let s = TestStore::new();
    let import = root().join("demo-data/enquiries.jsonl");
    s.ok(&["import", import.to_str().unwrap()]);
    let backup = s.dir.path().join("b.triage");
    let backup = backup.to_str().unwrap();
    s.ok(&["backup", backup]);
    for i in 0..3 {
        s.ok(&["case", "2024-000002", "note", &format!("note {i}")]);
    }
    // A damaged record after the backup: named, nothing restored; --until-damage takes
    // the backup and the records before it.
    let copy = s.dir.path().join("copy");
    copy_dir(&s.db, &copy);
    let (_, seg) = triage::store::journal::segments(&copy.join("journal"))
        .unwrap()
        .pop()
        .unwrap();
    let mut bytes = std::fs::read(&seg).unwrap();
    // Inside the second-to-last record's payload (damage in the last one is a torn tail).
    let mut starts = vec![0usize];
    while *starts.last().unwrap() < bytes.len() {
        let at = *starts.last().unwrap();
        let len = u32::from_le_bytes(bytes[at..at + 4].try_into().unwrap()) as usize;
        starts.push(at + 12 + len);
    }
    let second_to_last = starts[starts.len() - 3];
    bytes[second_to_last + 12 + 20] ^= 0x20;
    std::fs::write(&seg, bytes).unwrap();
    let target = at(&s, &s.dir.path().join("target"));
    let err = target.fails(&["restore", backup, "--journal", copy.to_str().unwrap()]);
    assert!(
        err.contains("cannot roll the backup forward") && err.contains("is damaged"),
        "{err}"
    );
    assert!(err.contains("nothing was restored"), "{err}");
    assert!(!target.db.exists(), "nothing written");
    let out = target.ok(&[
        "restore",
        backup,
        "--journal",
        copy.to_str().unwrap(),
        "--until-damage",
    ]);
    assert!(out.contains("stopped before a damaged record"), "{out}");
    assert!(target
        .ok(&["audit", "verify"])
        .contains("audit chain verified"));
    // After a compaction the journal begins anew with a full copy: an older backup is not
    // rolled forward with it, and the compaction says so.
    let said = s.ok(&["compact"]);
    assert!(
        said.contains("make a new one now (`triage backup FILE`)"),
        "{said}"
    );
    let other = at(&s, &s.dir.path().join("other"));
    let err = other.fails(&["restore", backup, "--journal", s.db.to_str().unwrap()]);
    assert!(err.contains("the records between are not in it"), "{err}");
    assert!(!other.db.exists(), "nothing written");
}
