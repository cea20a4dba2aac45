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
