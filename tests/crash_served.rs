//! The crash test through the server: a real `triage serve` is killed with SIGKILL while
//! clients commit; after each restart (which replays the journal) every command a client
//! saw acknowledged is there, and the journal alone rebuilds the same store.
//! Rounds: `TRIAGE_SERVED_CRASH_ROUNDS` (default 4).

mod common;
use common::*;
use std::collections::HashMap;
use std::os::unix::net::UnixStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use triage::domain::case::CaseRecord;
use triage::domain::command::Command as CaseCommand;
use triage::domain::enquiry::Reference;
use triage::store::api::Api;

fn next(seed: &mut u64) -> u64 {
    *seed ^= *seed << 13;
    *seed ^= *seed >> 7;
    *seed ^= *seed << 17;
    *seed
}

fn serve(s: &TestStore, socket: &Path, round: u64) -> Child {
    let log = std::fs::File::create(s.dir.path().join(format!("serve-{round}.log"))).unwrap();
    let child = hermetic(&mut Command::new(BIN), &s.dir.path().join("env"))
        .args(["serve", "--db"])
        .arg(&s.db)
        // The test store's clock, as the embedded comparison below reads it.
        .env("TRIAGE_NOW", NOW)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .unwrap();
    let start = Instant::now();
    while UnixStream::connect(socket).is_err() {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "round {round}: the server did not listen: {}",
            std::fs::read_to_string(s.dir.path().join(format!("serve-{round}.log")))
                .unwrap_or_default()
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    child
}

fn version(client: &triage::server::Client, r: Reference) -> u64 {
    match client.case(r).unwrap() {
        Some(CaseRecord::Live(c)) => c.version,
        other => panic!("{r}: {other:?}"),
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &to.join(e.file_name()));
        } else if e.file_type().unwrap().is_file() {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

#[test]
fn a_server_killed_while_clients_commit_loses_no_acknowledged_command() {
    let rounds: u64 = std::env::var("TRIAGE_SERVED_CRASH_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(4);
    let s = TestStore::new();
    s.ok(&[
        "import",
        root().join("demo-data/enquiries.jsonl").to_str().unwrap(),
    ]);
    let refs: Vec<Reference> = s
        .cases()
        .iter()
        .take(4)
        .map(|c| c["reference"].as_str().unwrap().parse().unwrap())
        .collect();
    let socket = s.dir.path().join("db.sock");
    let acked: Arc<Mutex<HashMap<Reference, u64>>> = Arc::default();
    let mut seed = 0x5e7e_u64;
    let mut server = serve(&s, &socket, 0);
    let mut total = 0u64;
    for round in 0..rounds {
        // Four clients commit notes, each on its own case, until the server goes.
        let stop = Arc::new(AtomicBool::new(false));
        let clients: Vec<_> = refs
            .iter()
            .map(|&r| {
                let (socket, acked, stop) = (socket.clone(), acked.clone(), stop.clone());
                std::thread::spawn(move || {
                    // A server killed before this client got going: nothing acknowledged.
                    let Ok(client) = triage::server::Client::connect(&socket) else {
                        return 0u64;
                    };
                    let Ok(Some(CaseRecord::Live(case))) = client.case(r) else {
                        return 0;
                    };
                    let mut v = case.version;
                    let mut n = 0;
                    while !stop.load(Ordering::SeqCst) {
                        let cmd = CaseCommand::AddNote {
                            text: format!("note {n} in round {round}"),
                        };
                        match client.execute(r, v, &cmd) {
                            Ok(rec) => {
                                v = rec.version();
                                acked.lock().unwrap().insert(r, v);
                                n += 1;
                            }
                            // The server was killed mid-command: not acknowledged.
                            Err(_) => break,
                        }
                    }
                    n
                })
            })
            .collect();
        std::thread::sleep(Duration::from_millis(150 + next(&mut seed) % 250));
        server.kill().unwrap(); // SIGKILL
        server.wait().unwrap();
        stop.store(true, Ordering::SeqCst);
        let done: u64 = clients.into_iter().map(|c| c.join().unwrap()).sum();
        total += done;
        // What the crash left, for the journal-alone comparison below.
        let copy = s.dir.path().join(format!("crashed-{round}"));
        let replay = round % 3 == 2 || round + 1 == rounds;
        if replay {
            copy_dir(&s.db, &copy);
        }
        // The restarted server opens the store (replaying the journal where sled is behind)
        // and shows every acknowledged command.
        server = serve(&s, &socket, round + 1);
        let client = triage::server::Client::connect(&socket).unwrap();
        for (&r, &v) in acked.lock().unwrap().iter() {
            let have = version(&client, r);
            assert!(
                have >= v,
                "round {round}: {r} acknowledged at version {v}, the store shows {have}"
            );
        }
        let verify = s.ok(&["audit", "verify"]);
        assert!(
            verify.starts_with("audit chain verified"),
            "round {round}: {verify}"
        );
        if replay {
            let c = TestStore {
                dir: tempfile::tempdir().unwrap(),
                db: copy.clone(),
            };
            c.ok(&["recover"]);
            assert_eq!(
                c.ok(&["cases", "--json"]),
                s.ok(&["cases", "--json"]),
                "round {round}: the journal replays to another store"
            );
            let _ = std::fs::remove_dir_all(&copy);
        }
    }
    server.kill().unwrap();
    server.wait().unwrap();
    assert!(
        total >= rounds,
        "the clients got work done between the kills ({total} acknowledged)"
    );
    println!("served crash test: {rounds} rounds, {total} acknowledged commands, 0 lost");
}
