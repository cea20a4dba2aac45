//! Corruption trials: copies of one store with flipped bytes, zeroed 4 KB pages and
//! truncations in each of its files. Every copy opens whole or is refused as damaged
//! (never shown smaller), and `triage recover` brings every refused one back whole.
//! Trials: `TRIAGE_CORRUPTION_TRIALS` (default 200, on every core; each runs the binary two to five times).

mod common;
use common::*;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn next(seed: &mut u64) -> u64 {
    *seed ^= *seed << 13;
    *seed ^= *seed >> 7;
    *seed ^= *seed << 17;
    *seed
}

/// Runs the binary on `db` with a short limit on reading a damaged copy.
fn run(db: &Path, args: &[&str]) -> Output {
    // Each copy has its own HOME and XDG directories beside it: never the user's.
    let home = db.with_extension("home");
    hermetic(&mut Command::new(BIN), &home)
        .args(args)
        .arg("--db")
        .arg(db)
        .env("TRIAGE_NOW", NOW)
        .env("TRIAGE_OPEN_CHECK_MS", "3000")
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// What a whole store shows: its cases (reference and version) and its verified chain.
fn whole(db: &Path) -> Result<(String, String), String> {
    // The listing first: a store refused as damaged is refused here, and a whole one needs
    // only the chain's verification besides.
    let cases = run(db, &["cases", "--json"]);
    if !cases.status.success() {
        return Err(text(&cases));
    }
    let verify = run(db, &["audit", "verify"]);
    if !verify.status.success() {
        return Err(text(&verify));
    }
    let mut refs: Vec<String> = String::from_utf8_lossy(&cases.stdout)
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            format!("{} v{}", v["reference"], v["version"])
        })
        .collect();
    refs.sort();
    Ok((
        String::from_utf8_lossy(&verify.stdout).trim().to_string(),
        refs.join("\n"),
    ))
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

/// Every non-empty file of the store: sled's, the high-water record, the journal.
fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            files(&p, out);
        } else if std::fs::metadata(&p).unwrap().len() > 0 && !p.ends_with("triage-store") {
            out.push(p);
        }
    }
}

/// Damages one file of the copy; says how, for the failure message.
fn damage(file: &Path, seed: &mut u64) -> String {
    let mut bytes = std::fs::read(file).unwrap();
    let len = bytes.len() as u64;
    let name = file.file_name().unwrap().to_string_lossy().into_owned();
    match next(seed) % 3 {
        0 => {
            let n = 1 + next(seed) % 20;
            for _ in 0..n {
                let at = (next(seed) % len) as usize;
                bytes[at] ^= 1 << (next(seed) % 8);
            }
            std::fs::write(file, bytes).unwrap();
            format!("{n} bits flipped in {name}")
        }
        1 => {
            let page = next(seed) % len.div_ceil(4096);
            let from = (page * 4096) as usize;
            let to = (from + 4096).min(bytes.len());
            bytes[from..to].fill(0);
            std::fs::write(file, bytes).unwrap();
            format!("page {page} of {name} zeroed")
        }
        _ => {
            let at = next(seed) % len;
            let f = std::fs::OpenOptions::new().write(true).open(file).unwrap();
            f.set_len(at).unwrap();
            format!("{name} cut to {at} of {len} bytes")
        }
    }
}

fn digest_dir(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut all = Vec::new();
    files(dir, &mut all);
    all.sort();
    all.into_iter()
        .map(|p| {
            let b = std::fs::read(&p).unwrap();
            (p, b)
        })
        .collect()
}

#[test]
fn every_damaged_copy_opens_whole_or_is_refused_and_recovers() {
    let trials: u64 = std::env::var("TRIAGE_CORRUPTION_TRIALS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200);
    let s = TestStore::new();
    // A small store keeps each trial quick: 40 enquiries, some with a history.
    let all = std::fs::read_to_string(root().join("demo-data/enquiries.jsonl")).unwrap();
    let import = s.dir.path().join("forty.jsonl");
    std::fs::write(&import, all.lines().take(40).collect::<Vec<_>>().join("\n")).unwrap();
    s.ok(&["import", import.to_str().unwrap()]);
    for c in s.cases().iter().take(3) {
        let r = c["reference"].as_str().unwrap().to_string();
        s.ok(&["case", &r, "note", "a note for the history"]);
    }
    let want = whole(&s.db).expect("the original store is whole");
    let work = tempfile::tempdir().unwrap();
    // Trials are independent (each damages its own copy), so they run on every core; each
    // trial's damage comes from its own seed, the same on every run.
    let workers = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .clamp(1, 4) as u64;
    let outcomes: Vec<Outcome> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|w| {
                let (db, want, work) = (&s.db, &want, work.path());
                scope.spawn(move || {
                    (0..trials)
                        .filter(|t| t % workers == w)
                        .map(|t| trial(t, db, want, work))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    });
    let opened = outcomes
        .iter()
        .filter(|o| **o == Outcome::OpenedWhole)
        .count();
    let recovered = outcomes
        .iter()
        .filter(|o| **o == Outcome::RecoveredWhole)
        .count();
    println!("corruption trials: {trials}: {opened} opened whole, {recovered} refused and recovered whole, 0 silent losses");
    assert_eq!((opened + recovered) as u64, trials);
}

#[derive(Debug, PartialEq)]
enum Outcome {
    OpenedWhole,
    RecoveredWhole,
}

/// One trial: a copy of `original` with one file damaged either opens whole or is refused
/// as damaged with its files untouched, and then recovers whole. Panics otherwise.
fn trial(t: u64, original: &Path, want: &(String, String), work: &Path) -> Outcome {
    let mut seed = 0xc0ffee_u64 ^ (t + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    next(&mut seed);
    let db = work.join(format!("t{t}"));
    copy_dir(original, &db);
    let mut targets = Vec::new();
    files(&db, &mut targets);
    targets.sort();
    let file = targets[(next(&mut seed) % targets.len() as u64) as usize].clone();
    let how = damage(&file, &mut seed);
    let before = digest_dir(&db);
    let outcome = match whole(&db) {
        Ok(got) => {
            assert_eq!(&got, want, "trial {t} ({how}): opened, but not whole");
            Outcome::OpenedWhole
        }
        Err(err) => {
            assert!(
                err.contains("is damaged: it should hold")
                    && err.contains("nothing was changed; run `triage recover`"),
                "trial {t} ({how}): neither whole nor refused as damaged: {err}"
            );
            assert!(!err.contains("panicked"), "trial {t} ({how}): {err}");
            assert_eq!(
                digest_dir(&db),
                before,
                "trial {t} ({how}): a refused store's files were changed"
            );
            let rec = run(&db, &["recover"]);
            assert!(
                rec.status.success(),
                "trial {t} ({how}): recover failed: {}",
                text(&rec)
            );
            let got = whole(&db).unwrap_or_else(|e| panic!("trial {t} ({how}): {e}"));
            assert_eq!(&got, want, "trial {t} ({how}): recovered, but not whole");
            Outcome::RecoveredWhole
        }
    };
    // The copy and whatever recover moved aside.
    let _ = std::fs::remove_dir_all(&db);
    for e in std::fs::read_dir(work).unwrap().flatten() {
        if e.file_name()
            .to_string_lossy()
            .starts_with(&format!("t{t}."))
        {
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
    outcome
}

#[test]
fn recover_names_the_first_bad_journal_record_and_changes_nothing() {
    let s = TestStore::new();
    let import = root().join("demo-data/enquiries.jsonl");
    s.ok(&["import", import.to_str().unwrap()]);
    let journal = s.db.join("journal");
    let seg = std::fs::read_dir(&journal)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "seg"))
        .unwrap();
    let mut bytes = std::fs::read(&seg).unwrap();
    // Inside the first record's payload, with later records intact after it.
    bytes[40] ^= 0x10;
    std::fs::write(&seg, &bytes).unwrap();
    let before = digest_dir(&s.db);
    let err = s.fails(&["recover"]);
    assert!(
        err.contains("journal record 1 ") && err.contains("is damaged"),
        "{err}"
    );
    assert_eq!(digest_dir(&s.db), before, "nothing was changed");
    let check = s.run(&["check"]);
    assert!(
        text(&check).contains("journal record 1 "),
        "check names it too: {}",
        text(&check)
    );
}
