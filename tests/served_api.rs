//! Every subcommand through a real `triage serve`: the same answers as the store opened in
//! the process, roles decided by the server, an online backup under load, and no store made
//! by accident.

mod common;

use common::{policy_file, root, BIN, NOW};
use std::collections::BTreeSet;
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};
use triage::domain::command::Command as CaseCommand;
use triage::store::api::Api;

/// A store made by `triage init` with the demo enquiries, optionally served.
struct Fixture {
    dir: tempfile::TempDir,
    db: PathBuf,
    socket: PathBuf,
    server: Option<Child>,
}

fn triage(db: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.args(args)
        .arg("--db")
        .arg(db)
        .env("TRIAGE_NOW", NOW)
        .env_remove("TRIAGE_POLICY")
        .env_remove("TRIAGE_DB")
        .env_remove("TRIAGE_SERVER")
        .stdin(Stdio::null());
    cmd
}

fn ok(out: Output, what: &str) -> String {
    assert!(
        out.status.success(),
        "{what} failed: {}\n{}",
        String::from_utf8_lossy(&out.stderr),
        String::from_utf8_lossy(&out.stdout)
    );
    String::from_utf8(out.stdout).unwrap()
}

impl Fixture {
    fn new() -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("db");
        let policy = policy_file(dir.path());
        let f = Fixture {
            socket: dir.path().join("db.sock"),
            db,
            dir,
            server: None,
        };
        f.embedded(&["init", "--policy", policy.to_str().unwrap(), "--test-clock"]);
        f.embedded(&[
            "import",
            root().join("demo-data/enquiries.jsonl").to_str().unwrap(),
        ]);
        f
    }

    fn embedded(&self, args: &[&str]) -> String {
        ok(
            triage(&self.db, args).output().unwrap(),
            &format!("{args:?}"),
        )
    }

    /// A copy of the store's files (the store must not be open).
    fn copy_to(&self, to: &Path) {
        std::fs::create_dir_all(to).unwrap();
        for e in std::fs::read_dir(&self.db).unwrap() {
            let e = e.unwrap();
            if e.file_type().unwrap().is_dir() {
                let sub = to.join(e.file_name());
                std::fs::create_dir_all(&sub).unwrap();
                for f in std::fs::read_dir(e.path()).unwrap() {
                    let f = f.unwrap();
                    std::fs::copy(f.path(), sub.join(f.file_name())).unwrap();
                }
            } else {
                std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
            }
        }
    }

    fn serve(&mut self, extra: &[&str]) {
        let log = std::fs::File::create(self.dir.path().join("serve.log")).unwrap();
        let child = triage(&self.db, &["serve"])
            .args(extra)
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .unwrap();
        self.server = Some(child);
        let start = Instant::now();
        while UnixStream::connect(&self.socket).is_err() {
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "the server did not listen: {}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("serve.log")).unwrap_or_default()
    }

    /// The CLI through the server (found beside the store, as staff would).
    fn served(&self, args: &[&str]) -> Output {
        let out = triage(&self.db, args)
            .env_remove("TRIAGE_NOW")
            .output()
            .unwrap();
        assert!(self.server.is_some(), "no server started");
        out
    }

    fn served_ok(&self, args: &[&str]) -> String {
        let out = self.served(args);
        let what = format!("{args:?} through the server (log: {})", self.log());
        ok(out, &what)
    }

    fn stop(&mut self) -> Duration {
        let mut child = self.server.take().expect("a server");
        let start = Instant::now();
        unsafe {
            libc::kill(child.id() as i32, libc::SIGTERM);
        }
        let status = child.wait().unwrap();
        assert!(status.success(), "serve: {status}: {}", self.log());
        start.elapsed()
    }
}

impl Drop for Fixture {
    fn drop(&mut self) {
        if let Some(mut c) = self.server.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

/// The sender's CPR number of a demo enquiry (Asif Rahman's).
const SUBJECT: &str = "cpr:060587-3049";

#[test]
fn every_report_export_and_audit_count_is_the_same_through_the_server_as_embedded() {
    let mut f = Fixture::new();
    // The same store twice: one served, its copy opened in the process, the same commands
    // in the same order on each (each report is itself logged, so order matters).
    let twin = f.dir.path().join("twin");
    f.copy_to(&twin);
    f.serve(&[]);
    let commands: &[&[&str]] = &[
        &["report", "access", "--subject", SUBJECT, "--format", "json"],
        &["report", "access", "--subject", SUBJECT, "--log"],
        &["report", "ropa", "--format", "json"],
        &["report", "disclosures", "--format", "json"],
        &["report", "deadlines", "--format", "json"],
        &["export"],
        &["export", "--format", "csv"],
        &["cases", "--json"],
        &["cases", "--status", "new"],
        &["policy"],
        &["audit", "verify"],
    ];
    for args in commands {
        let here = ok(triage(&twin, args).output().unwrap(), &format!("{args:?}"));
        let there = f.served_ok(args);
        assert!(!here.trim().is_empty(), "{args:?} printed nothing");
        assert_eq!(here, there, "{args:?} differs through the server");
    }
    // The person's case is named: the server looked in its own store, by the index.
    let answer = f.served_ok(&["report", "access", "--subject", SUBJECT]);
    let cases = f.served_ok(&["cases", "--json"]);
    let theirs = cases
        .lines()
        .find(|l| l.contains("Indfødsretsprøven"))
        .expect("the demo case");
    let reference: serde_json::Value = serde_json::from_str(theirs).unwrap();
    let reference = reference["reference"].as_str().unwrap();
    assert!(
        answer.contains(reference),
        "the access answer misses {reference}:\n{answer}"
    );
    assert!(!answer.contains("covers no case"), "{answer}");
    // Nothing fell back to another store: the default one was never made.
    assert!(f.stop() < Duration::from_secs(5));
}

#[test]
fn admin_commands_are_decided_by_the_server_from_the_callers_identity() {
    let mut f = Fixture::new();
    // The server works under a policy that makes the runner a caseworker only.
    let text = std::fs::read_to_string(root().join("demo-data/policy.toml")).unwrap()
        + &format!(
            "\n[[staff]]\nlogin = \"{}\"\nname = \"Runner\"\nroles = [\"caseworker\"]\n",
            common::login()
        );
    let caseworker = f.dir.path().join("caseworker.toml");
    std::fs::write(&caseworker, text).unwrap();
    // Installed, not passed (a server takes no policy from --policy).
    let out = triage(
        &f.db,
        &["policy", "--install", caseworker.to_str().unwrap()],
    )
    .output()
    .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    f.serve(&[]);
    let backup = f.dir.path().join("b.triage");
    for (args, needs) in [
        (
            vec!["backup", backup.to_str().unwrap()],
            "backup needs the role admin",
        ),
        (vec!["check"], "check needs the role admin"),
        (vec!["audit", "verify"], "audit needs the role dpo or admin"),
        (vec!["audit", "log"], "audit needs the role dpo or admin"),
        (
            vec!["policy", "--install", caseworker.to_str().unwrap()],
            "install-policy needs the role admin",
        ),
    ] {
        let out = f.served(&args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{args:?} was allowed");
        assert!(err.contains(needs), "{args:?}: {err}");
        assert!(err.contains("you have caseworker"), "{args:?}: {err}");
        assert_eq!(err.matches(needs).count(), 1, "said once: {err}");
    }
    // Archival versions too: the client asks, the server refuses, nothing is made or fetched.
    let out_dir = f.dir.path().join("packages");
    let out = f.served(&["archive", "create", "--out", out_dir.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "archive create was allowed");
    assert!(
        err.contains("archive needs the role dpo or admin") && err.contains("you have caseworker"),
        "{err}"
    );
    assert!(tree(&out_dir).is_empty(), "{:?}", tree(&out_dir));
    let out = f.served(&[
        "archive",
        "receipt",
        "AVID.SA.18000",
        "--approved",
        "2026-11-01",
    ]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("archive needs the role dpo or admin"), "{err}");
    assert!(!backup.exists(), "a refused backup left a file");
    // What a caseworker may do still works.
    assert!(f.served_ok(&["cases"]).lines().count() > 100);
    f.stop();
}

#[test]
fn an_online_backup_under_four_committing_clients_holds_every_acknowledged_command() {
    let mut f = Fixture::new();
    f.serve(&[]);
    let refs: Vec<String> = f
        .served_ok(&["cases", "--json", "--status", "new"])
        .lines()
        .take(4)
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["reference"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(refs.len(), 4);
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let clients: Vec<_> = refs
        .iter()
        .map(|r| {
            let (socket, r, stop) = (f.socket.clone(), r.parse().unwrap(), stop.clone());
            std::thread::spawn(move || {
                let client = triage::server::Client::connect(&socket).unwrap();
                let mut version = match client.case(r).unwrap().unwrap() {
                    triage::domain::case::CaseRecord::Live(c) => c.version,
                    _ => panic!("erased"),
                };
                let mut acked = Vec::new();
                let mut n = 0;
                while !stop.load(std::sync::atomic::Ordering::SeqCst) {
                    n += 1;
                    let cmd = CaseCommand::AddNote {
                        text: format!("note {n}"),
                    };
                    // Commits may wait for the snapshot, never fail.
                    let rec = client.execute(r, version, &cmd).unwrap();
                    version = rec.version();
                    acked.push((version, Instant::now()));
                }
                (r, acked)
            })
        })
        .collect();
    std::thread::sleep(Duration::from_millis(400));
    let file = f.dir.path().join("online.triage");
    let began = Instant::now();
    let said = f.served_ok(&["backup", file.to_str().unwrap()]);
    assert!(said.contains("entries"), "{said}");
    std::thread::sleep(Duration::from_millis(300));
    stop.store(true, std::sync::atomic::Ordering::SeqCst);
    let acked: Vec<_> = clients.into_iter().map(|c| c.join().unwrap()).collect();
    f.stop();
    let restored = f.dir.path().join("restored");
    ok(
        triage(&restored, &["restore", file.to_str().unwrap()])
            .output()
            .unwrap(),
        "restore",
    );
    let verify = ok(
        triage(&restored, &["audit", "verify"]).output().unwrap(),
        "verify",
    );
    assert!(verify.starts_with("audit chain verified"), "{verify}");
    let store = triage::store::Store::open(&restored).unwrap();
    let mut checked = 0;
    for (r, acks) in acked {
        let versions: BTreeSet<u64> = store.events(r).unwrap().iter().map(|e| e.version).collect();
        let before: Vec<_> = acks.iter().filter(|(_, at)| *at < began).collect();
        assert!(
            !before.is_empty(),
            "{r}: no command acknowledged before the backup"
        );
        for (v, _) in before {
            assert!(
                versions.contains(v),
                "{r} version {v} was acknowledged but is missing"
            );
            checked += 1;
        }
    }
    assert!(checked >= 4);
}

#[test]
fn policy_changes_through_the_server_are_audited_and_refused_if_they_strand_cases() {
    let mut f = Fixture::new();
    let p = policy_file(f.dir.path());
    let text = std::fs::read_to_string(&p).unwrap();
    f.serve(&[]);
    // A case uses the purpose `citizen-enquiries`; a policy without it would strand it.
    let r = f.served_ok(&["cases", "--json"]);
    let first: serde_json::Value = serde_json::from_str(r.lines().next().unwrap()).unwrap();
    let reference = first["reference"].as_str().unwrap().to_string();
    f.served_ok(&["case", &reference, "purpose", "citizen-enquiries"]);
    let without = f.dir.path().join("without.toml");
    let stripped = strip_purpose(&text, "citizen-enquiries");
    std::fs::write(&without, stripped).unwrap();
    let out = f.served(&["policy", "--install", without.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        err.contains("purpose citizen-enquiries") && err.contains("--force"),
        "{err}"
    );
    let said = f.served_ok(&["policy", "--install", without.to_str().unwrap(), "--force"]);
    assert!(
        said.contains("forced past purpose citizen-enquiries"),
        "{said}"
    );
    let log = f.served_ok(&["audit", "log"]);
    let line = log
        .lines()
        .find(|l| l.contains("install-policy") && l.contains("forced"))
        .unwrap_or_else(|| panic!("no audited install:\n{log}"));
    assert!(line.contains(" → "), "{line}");
    // New connections get the new policy.
    assert!(!f.served_ok(&["policy"]).contains("citizen-enquiries"));
    f.stop();
}

/// A refusal of the rules crosses the wire as its value: the client says it in the language
/// its user asked for, though the server decided it.
#[test]
fn the_servers_refusals_are_said_in_the_clients_language() {
    let mut f = Fixture::new();
    f.serve(&[]);
    let r = f.served_ok(&["cases", "--json"]);
    let first: serde_json::Value = serde_json::from_str(r.lines().next().unwrap()).unwrap();
    let reference = first["reference"].as_str().unwrap().to_string();
    let withdraw = [
        "case",
        &reference,
        "withdraw",
        "9",
        "--why",
        "sendt ved en fejl",
    ];
    let out = f.served(&[&["--lang", "da"], &withdraw[..]].concat());
    assert_eq!(out.status.code(), Some(1), "a refusal");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!("{reference} har ingen videregivelse nr. 9")),
        "{err}"
    );
    let out = f.served(&[&["--lang", "en"], &withdraw[..]].concat());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!("no disclosure #9 on {reference}")),
        "{err}"
    );
    // One the store decides beyond a case: a policy that would strand what cases use.
    f.served_ok(&["case", &reference, "purpose", "citizen-enquiries"]);
    let text = std::fs::read_to_string(policy_file(f.dir.path())).unwrap();
    let without = f.dir.path().join("without.toml");
    std::fs::write(&without, strip_purpose(&text, "citizen-enquiries")).unwrap();
    let out = f.served(&[
        "--lang",
        "da",
        "policy",
        "--install",
        without.to_str().unwrap(),
    ]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("Den nye politik fjerner noget, som sager stadig bruger")
            && err.contains("--force"),
        "{err}"
    );
    f.stop();
}

/// The policy text without one [[purposes]] table.
fn strip_purpose(text: &str, id: &str) -> String {
    let mut out = String::new();
    for block in text.split("\n[[") {
        let is_it = block.starts_with("purposes]]") && block.contains(&format!("id = \"{id}\""));
        if !is_it {
            if !out.is_empty() {
                out.push_str("\n[[");
            }
            out.push_str(block);
        }
    }
    out
}

#[test]
fn check_runs_online_and_reads_only() {
    let mut f = Fixture::new();
    f.serve(&[]);
    let before = f.served_ok(&["audit", "verify"]);
    let said = f.served_ok(&["check"]);
    assert!(said.contains("no problems found"), "{said}");
    assert!(said.contains(&f.db.display().to_string()), "{said}");
    // The check wrote nothing: the chain did not grow (verifying is not logged either).
    let after = f.served_ok(&["audit", "verify"]);
    let entries = |s: &str| s.split(':').nth(1).map(|x| x.trim().to_string());
    assert_ne!(entries(&before), None);
    assert_eq!(entries(&before), entries(&after));
    f.stop();
}

/// Every file and directory under `dir`, relative to it.
fn tree(dir: &Path) -> BTreeSet<PathBuf> {
    let mut out = BTreeSet::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            out.insert(e.path().strip_prefix(dir).unwrap().to_path_buf());
            if e.file_type().map(|t| t.is_dir()).unwrap_or(false) {
                todo.push(e.path());
            }
        }
    }
    out
}

#[test]
fn no_command_but_init_and_demo_creates_a_store() {
    let home = tempfile::tempdir().unwrap();
    let h = home.path();
    for d in [".local/share", ".config", ".local/state", ".cache"] {
        std::fs::create_dir_all(h.join(d)).unwrap();
    }
    std::fs::write(h.join("enquiries.jsonl"), "").unwrap();
    let policy = policy_file(h);
    let missing = h.join("nowhere/store");
    let backup = h.join("b.triage");
    let run = |args: &[&str], db: Option<&Path>| {
        let mut cmd = Command::new(BIN);
        cmd.args(args)
            .env("HOME", h)
            .env("XDG_DATA_HOME", h.join(".local/share"))
            .env("XDG_CONFIG_HOME", h.join(".config"))
            .env("XDG_STATE_HOME", h.join(".local/state"))
            .env("XDG_CACHE_HOME", h.join(".cache"))
            .env_remove("TRIAGE_DB")
            .env_remove("TRIAGE_POLICY")
            .env_remove("TRIAGE_SERVER")
            .env("TRIAGE_NOW", NOW)
            .stdin(Stdio::null());
        if let Some(db) = db {
            cmd.arg("--db").arg(db);
        }
        cmd.output().unwrap()
    };
    let p = policy.to_str().unwrap();
    let b = backup.to_str().unwrap();
    let e = h.join("enquiries.jsonl");
    let e = e.to_str().unwrap();
    let commands: Vec<Vec<&str>> = vec![
        vec![],
        vec!["cases"],
        vec!["cases", "--json"],
        vec!["show", "2024-00001"],
        vec!["case", "2024-00001", "note", "hello"],
        vec!["import", e],
        vec!["export"],
        vec!["audit", "verify"],
        vec!["audit", "log"],
        vec!["report", "access", "--subject", SUBJECT],
        vec!["report", "ropa"],
        vec!["report", "disclosures"],
        vec!["report", "deadlines"],
        vec!["report", "ruling", "2024-00001"],
        vec!["retention"],
        vec!["retention", "--apply"],
        vec!["archive", "list"],
        vec!["backup", b],
        vec!["check"],
        vec!["policy"],
        vec!["policy", "--install", p],
        vec!["watch", "--seconds", "1"],
        vec!["compact"],
        vec!["serve"],
    ];
    let default_db = h.join(".local/share/triage/store");
    for db in [None, Some(missing.as_path())] {
        let shown = db.unwrap_or(&default_db).display().to_string();
        for args in &commands {
            let before = tree(h);
            let out = run(args, db);
            let err = String::from_utf8_lossy(&out.stderr);
            assert!(!out.status.success(), "{args:?} on {shown} succeeded");
            assert!(!err.contains("panicked"), "{args:?}: {err}");
            if args.first() != Some(&"watch") {
                assert!(
                    err.contains(&shown) && err.contains("triage init"),
                    "{args:?} on {shown}: {err}"
                );
            }
            assert_eq!(tree(h), before, "{args:?} on {shown} created files");
        }
    }
    // A missing backup restores into nothing.
    let before = tree(h);
    assert!(!run(&["restore", b], Some(&missing)).status.success());
    assert_eq!(tree(h), before);
    // init creates, privately; a second init refuses.
    let out = run(&["init", "--policy", p, "--test-clock"], Some(&missing));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&missing).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o700);
    let again = run(&["init", "--policy", p, "--test-clock"], Some(&missing));
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already holds a triage store"));
    assert!(run(&["cases"], Some(&missing)).status.success());
}

#[test]
fn init_refuses_a_policy_that_does_not_make_the_caller_admin() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(root().join("demo-data/policy.toml")).unwrap()
        + &format!(
            "\n[[staff]]\nlogin = \"{}\"\nname = \"Runner\"\nroles = [\"caseworker\", \"dpo\"]\n",
            common::login()
        );
    let p = dir.path().join("p.toml");
    std::fs::write(&p, text).unwrap();
    let db = dir.path().join("db");
    let out = triage(&db, &["init", "--policy", p.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("an admin") && err.contains("nothing was created"),
        "{err}"
    );
    assert!(!db.exists());
}

#[test]
fn a_store_without_a_policy_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    // A store as an older triage made it: files, no policy.
    drop(triage::store::Store::open(&db).unwrap());
    // sled lets go of its lock when its threads end, a moment after the drop.
    let start = Instant::now();
    let out = loop {
        let out = triage(&db, &["cases"]).output().unwrap();
        let busy = String::from_utf8_lossy(&out.stderr).contains("in use by another");
        if !busy || start.elapsed() > Duration::from_secs(10) {
            break out;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("no policy installed") && err.contains("policy --install"),
        "{err}"
    );
}

/// After the demo's archive period (2022–2026) has ended.
const AFTER_PERIOD: &str = "2027-02-01T10:00:00+01:00";

/// `triage` at `now`, run in `cwd` (so `--out out` names the same folder on both sides).
fn at(db: &Path, now: &str, cwd: &Path, args: &[&str]) -> Command {
    let mut cmd = triage(db, args);
    cmd.env("TRIAGE_NOW", now).current_dir(cwd);
    cmd
}

#[test]
fn retention_and_archival_versions_are_the_same_through_the_server_as_embedded() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    ok(triage(&db, &["demo", "--no-ui"]).output().unwrap(), "demo");
    let mut f = Fixture {
        socket: dir.path().join("db.sock"),
        db,
        dir,
        server: None,
    };
    let twin = f.dir.path().join("twin");
    f.copy_to(&twin);
    let (here_dir, there_dir) = (f.dir.path().join("here"), f.dir.path().join("there"));
    std::fs::create_dir_all(&here_dir).unwrap();
    std::fs::create_dir_all(&there_dir).unwrap();
    // The server keeps the demo's clock: after the archive period.
    let log = std::fs::File::create(f.dir.path().join("serve.log")).unwrap();
    f.server = Some(
        at(&f.db, AFTER_PERIOD, f.dir.path(), &["serve"])
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .unwrap(),
    );
    let start = Instant::now();
    while UnixStream::connect(&f.socket).is_err() {
        assert!(start.elapsed() < Duration::from_secs(20), "{}", f.log());
        std::thread::sleep(Duration::from_millis(20));
    }
    let both = |args: &[&str]| -> String {
        let here = ok(
            at(&twin, AFTER_PERIOD, &here_dir, args).output().unwrap(),
            &format!("{args:?}"),
        );
        let there = ok(
            at(&f.db, AFTER_PERIOD, &there_dir, args)
                .env_remove("TRIAGE_NOW")
                .output()
                .unwrap(),
            &format!("{args:?} through the server (log: {})", f.log()),
        );
        assert_eq!(here, there, "{args:?} differs through the server");
        there
    };
    let apply = ["retention", "--apply", "--yes", "--json"];
    let listed = both(&["retention", "--json"]);
    assert!(listed.contains("package-due"), "{listed}");
    both(&apply);
    let made = both(&["archive", "create", "--out", "out"]);
    assert!(made.starts_with("out/AVID.SA.18000.1: "), "{made}");
    let package = there_dir.join("out/AVID.SA.18000.1");
    assert!(package.is_dir());
    // Fetched, verified and renamed here; the server's copy is gone from its outbox.
    let outbox = triage::server::outbox(&f.db);
    assert!(tree(&outbox).is_empty(), "{:?}", tree(&outbox));
    assert_eq!(tree(&package), tree(&here_dir.join("out/AVID.SA.18000.1")));
    ok(
        at(
            &f.db,
            AFTER_PERIOD,
            &there_dir,
            &["archive", "verify", "out/AVID.SA.18000.1"],
        )
        .output()
        .unwrap(),
        "verify the fetched package",
    );
    both(&["archive", "list", "--json"]);
    // Packaged but not approved: nothing the package holds is erased, either way.
    let waiting = both(&apply);
    assert!(waiting.contains("packaged"), "{waiting}");
    assert!(!waiting.contains("\"applied\": \"erased\""), "{waiting}");
    // The approval, given with the folder (verified where it is), then deletion is due.
    both(&[
        "archive",
        "receipt",
        "out/AVID.SA.18000.1",
        "--approved",
        "2027-02-01",
    ]);
    let erased = both(&apply);
    assert!(erased.contains("\"applied\": \"erased\""), "{erased}");
    both(&["audit", "verify"]);
    assert!(f.stop() < Duration::from_secs(5));
}

#[test]
fn notes_written_at_once_by_several_people_are_all_kept() {
    let mut f = Fixture::new();
    f.serve(&[]);
    let r = "2026-000001";
    let before = f.served_ok(&["show", r, "--json"]);
    let before: serde_json::Value = serde_json::from_str(&before).unwrap();
    let notes_before = before["notes"].as_array().map_or(0, Vec::len);
    let children: Vec<_> = (0..6)
        .map(|i| {
            triage(&f.db, &["case", r, "note", &format!("samtidig note {i}")])
                .env_remove("TRIAGE_NOW")
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for c in children {
        let out = c.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let after: serde_json::Value =
        serde_json::from_str(&f.served_ok(&["show", r, "--json"])).unwrap();
    assert_eq!(after["notes"].as_array().unwrap().len(), notes_before + 6);
    // A decision on a case changed meanwhile is still refused, with the versions named.
    let err = f.served(&["case", r, "--at-version", "1", "assign", "mette"]);
    assert!(!err.status.success());
    f.stop();
}
