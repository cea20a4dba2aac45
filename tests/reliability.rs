//! Backups, restores, checks and damaged stores: clear messages, nothing lost, no panics.

mod common;
use common::*;
use std::path::Path;

fn files_under(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(files_under(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[test]
fn backup_then_restore_gives_the_same_cases_and_a_verifying_chain() {
    let s = TestStore::demo();
    let backup = s.dir.path().join("store.bak");
    let out = s.ok(&["backup", backup.to_str().unwrap()]);
    assert!(out.contains("blake3"), "{out}");
    let restored = TestStore {
        dir: tempfile::tempdir().unwrap(),
        db: s.dir.path().join("restored"),
    };
    let out = restored.ok(&["restore", backup.to_str().unwrap()]);
    assert!(out.contains("audit chain verified"), "{out}");
    assert_eq!(
        restored.ok(&["cases", "--json"]),
        s.ok(&["cases", "--json"])
    );
    assert!(restored.ok(&["check"]).contains("no problems found"));
    // Restoring over an existing store is refused.
    let err = restored.fails(&["restore", backup.to_str().unwrap()]);
    assert!(err.contains("already exists"), "{err}");
}

#[test]
fn a_damaged_backup_is_refused_whole() {
    let s = TestStore::demo();
    let backup = s.dir.path().join("store.bak");
    s.ok(&["backup", backup.to_str().unwrap()]);
    let mut bytes = std::fs::read(&backup).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0x01;
    std::fs::write(&backup, &bytes).unwrap();
    let out = s.run(&["check", "--backup", backup.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stdout).contains("checksum mismatch"));
    let target = TestStore {
        dir: tempfile::tempdir().unwrap(),
        db: s.dir.path().join("restored"),
    };
    let err = target.fails(&["restore", backup.to_str().unwrap()]);
    assert!(err.contains("damaged"), "{err}");
    assert!(
        !target.db.exists(),
        "nothing is written from a damaged backup"
    );
    std::fs::write(&backup, &bytes[..bytes.len() / 3]).unwrap();
    assert!(target
        .fails(&["restore", backup.to_str().unwrap()])
        .contains("damaged"));
}

#[test]
fn check_finds_a_tampered_chain_without_changing_the_store() {
    let s = TestStore::demo();
    let before: Vec<(std::path::PathBuf, Vec<u8>)> = files_under(&s.db)
        .into_iter()
        .map(|p| (p.clone(), std::fs::read(&p).unwrap()))
        .collect();
    assert!(s.ok(&["check"]).contains("no problems found"));
    let after: Vec<(std::path::PathBuf, Vec<u8>)> = files_under(&s.db)
        .into_iter()
        .map(|p| (p.clone(), std::fs::read(&p).unwrap()))
        .collect();
    assert!(before == after, "check must not write to the store");
    {
        let store = triage::store::Store::open(&s.db).unwrap();
        let audit = store.raw_tree("audit").unwrap();
        let (k, v) = audit.iter().nth(10).unwrap().unwrap();
        let mut v = v.to_vec();
        let last = v.len() - 1;
        v[last] ^= 0xff; // the tail of `prev`
        audit.insert(k, v).unwrap();
        store.flush().unwrap();
    }
    let out = s.run(&["check"]);
    assert_eq!(out.status.code(), Some(2));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("audit chain broken at entry 11"), "{text}");
}

/// Damage the store files in several ways: every command gives a clear message and the way
/// to restore, and nothing panics.
#[test]
fn damaged_store_files_give_a_clear_error_never_a_panic() {
    let s = TestStore::demo();
    type Damage = fn(&Path);
    let damages: Vec<(&str, Damage)> = vec![
        ("truncate the log to 100 bytes", |db| {
            std::fs::OpenOptions::new()
                .write(true)
                .open(db.join("db"))
                .unwrap()
                .set_len(100)
                .unwrap()
        }),
        ("truncate the log to half", |db| {
            let f = std::fs::OpenOptions::new()
                .write(true)
                .open(db.join("db"))
                .unwrap();
            let len = f.metadata().unwrap().len();
            f.set_len(len / 2).unwrap()
        }),
        ("empty the log", |db| {
            std::fs::write(db.join("db"), b"").unwrap()
        }),
        ("flip bytes in the snapshot", |db| {
            for p in files_under(db) {
                if p.file_name()
                    .unwrap()
                    .to_string_lossy()
                    .starts_with("snap.")
                {
                    let mut b = std::fs::read(&p).unwrap();
                    for i in (0..b.len()).step_by(97) {
                        b[i] ^= 0x5a;
                    }
                    std::fs::write(&p, b).unwrap();
                }
            }
        }),
        ("flip bytes across the log", |db| {
            let p = db.join("db");
            let mut b = std::fs::read(&p).unwrap();
            for i in (0..b.len()).step_by(4099) {
                b[i] ^= 0xff;
            }
            std::fs::write(&p, b).unwrap();
        }),
    ];
    let mut refused = 0;
    for (what, damage) in damages {
        let copy = TestStore {
            dir: tempfile::tempdir().unwrap(),
            db: s.dir.path().join(format!("copy-{refused}-{}", what.len())),
        };
        copy_dir(&s.db, &copy.db);
        damage(&copy.db);
        let out = copy.run(&["cases"]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!err.contains("panicked"), "{what}: {err}");
        if !out.status.success() {
            refused += 1;
            assert!(
                err.contains("triage restore") || err.contains("triage recover"),
                "{what}: the message names the way back: {err}"
            );
        }
        let check = copy.run(&["check"]);
        let text = String::from_utf8_lossy(&check.stdout);
        assert!(
            !String::from_utf8_lossy(&check.stderr).contains("panicked"),
            "{what}"
        );
        if !out.status.success() {
            assert_eq!(
                check.status.code(),
                Some(2),
                "{what}: check reports what cases could not read: {text}"
            );
        }
    }
    assert!(
        refused >= 3,
        "truncation and an empty log must be detected ({refused} refused)"
    );
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let t = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &t);
        } else {
            std::fs::copy(e.path(), t).unwrap();
        }
    }
}

/// A write that fails half-way (here: a file-size limit, as a full disk would) gives a clear
/// error, and the import is all or nothing: the store is as it was and still verifies.
#[test]
fn a_full_disk_refuses_the_import_whole_with_a_clear_error() {
    use std::os::unix::process::CommandExt;
    let s = TestStore::demo();
    let before = s.ok(&["cases", "--json"]);
    let big = s.dir.path().join("big.jsonl");
    let mut text = String::new();
    for i in 0..3000 {
        text.push_str(&format!(
            "{{\"received\":\"2026-11-20T10:00:00+01:00\",\"channel\":\"email\",\"sender\":{{\"name\":\"Big {i}\"}},\"subject\":\"Big {i}\",\"body\":\"{}\"}}\n",
            "x".repeat(2000)
        ));
    }
    std::fs::write(&big, text).unwrap();
    let limit = std::fs::metadata(s.db.join("db")).unwrap().len() + 300_000;
    let mut cmd = std::process::Command::new(BIN);
    hermetic(&mut cmd, &s.dir.path().join("env"))
        .args(["import", big.to_str().unwrap(), "--db"])
        .arg(&s.db)
        .env("TRIAGE_NOW", NOW);
    // SAFETY: setrlimit only, between fork and exec.
    unsafe {
        cmd.pre_exec(move || {
            let lim = libc::rlimit {
                rlim_cur: limit,
                rlim_max: limit,
            };
            if libc::setrlimit(libc::RLIMIT_FSIZE, &lim) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let out = cmd.output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "the import should hit the limit");
    assert!(
        err.contains("disk is full") && err.contains("not written"),
        "{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(
        s.ok(&["cases", "--json"]),
        before,
        "nothing of the refused import is visible"
    );
    assert!(s
        .ok(&["audit", "verify"])
        .starts_with("audit chain verified"));
    assert!(s.ok(&["check"]).contains("no problems found"));
}
