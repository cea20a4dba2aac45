//! The crash test: kill a process applying commands with SIGKILL at random moments; after
//! every kill the store opens, every acknowledged command is there, the chain verifies, and
//! (every tenth round) the journal replays to the same store.
//! Rounds: `TRIAGE_CRASH_ROUNDS` (default 100).

mod common;
use common::*;
use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

/// A small deterministic generator, so a failing round can be replayed.
fn next(seed: &mut u64) -> u64 {
    *seed ^= *seed << 13;
    *seed ^= *seed >> 7;
    *seed ^= *seed << 17;
    *seed
}

/// A copy of the store rebuilt from its journal alone shows the same cases and chain.
fn journal_replays_to_the_same_store(s: &TestStore, round: u64) {
    let copy = TestStore {
        dir: tempfile::tempdir().unwrap(),
        db: s.dir.path().join(format!("replay-{round}")),
    };
    copy_dir(&s.db, &copy.db);
    copy.ok(&["recover"]);
    assert_eq!(
        copy.ok(&["cases", "--json"]),
        s.ok(&["cases", "--json"]),
        "round {round}: the journal replays to another store"
    );
    assert_eq!(
        copy.ok(&["audit", "verify"]),
        s.ok(&["audit", "verify"]),
        "round {round}"
    );
    let _ = std::fs::remove_dir_all(&copy.db);
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
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

#[test]
fn sigkill_at_random_moments_loses_no_acknowledged_command() {
    let rounds: u64 = std::env::var("TRIAGE_CRASH_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100);
    let s = TestStore::new();
    let mut seed = 0x5eed_u64;
    let mut acked: HashMap<String, u64> = HashMap::new();
    let mut total_acks = 0u64;
    for round in 0..rounds {
        let mut child = hermetic(&mut Command::new(BIN), &s.dir.path().join("env"))
            .args(["stress", "--ops", "1000000", "--db"])
            .arg(&s.db)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        // Kill at a random moment once the store is open and commands are flowing.
        let ready = rx
            .recv_timeout(Duration::from_secs(20))
            .expect("stress process starts");
        assert_eq!(ready, "ready");
        std::thread::sleep(Duration::from_millis(next(&mut seed) % 40));
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        reader.join().unwrap();
        for line in rx.try_iter() {
            let mut parts = line.split(' ');
            if let (Some("ack"), Some(r), Some(v)) = (parts.next(), parts.next(), parts.next()) {
                let v: u64 = v.parse().unwrap();
                let e = acked.entry(r.to_string()).or_default();
                *e = (*e).max(v);
                total_acks += 1;
            }
        }
        // The store opens and holds everything acknowledged so far.
        let versions: HashMap<String, u64> = s
            .cases()
            .into_iter()
            .map(|c| {
                (
                    c["reference"].as_str().unwrap().to_string(),
                    c["version"].as_u64().unwrap(),
                )
            })
            .collect();
        let lost: Vec<_> = acked
            .iter()
            .filter(|(r, v)| versions.get(*r).is_none_or(|have| have < v))
            .collect();
        assert!(
            lost.is_empty(),
            "round {round}: acknowledged commands lost: {lost:?}"
        );
        let verify = s.run(&["audit", "verify"]);
        assert!(
            verify.status.success(),
            "round {round}: {}",
            String::from_utf8_lossy(&verify.stdout)
        );
        if round % 20 == 19 {
            let check = s.ok(&["check"]);
            assert!(
                check.contains("no problems found"),
                "round {round}: {check}"
            );
        }
        if round % 10 == 9 {
            journal_replays_to_the_same_store(&s, round);
        }
    }
    assert!(
        total_acks > rounds,
        "the stress process got work done before the kills ({total_acks} acks)"
    );
    println!(
        "crash test: {rounds} rounds, {total_acks} acknowledged commands, {} cases, 0 lost",
        acked.len()
    );
}
