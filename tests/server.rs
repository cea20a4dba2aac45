//! `triage serve` end to end: a real server process, clients as other processes under other
//! uids (when the tests run as root, as CI does) and as library clients in threads.

mod common;
use common::*;
use std::io::{Read, Write};
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::os::unix::net::UnixStream;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Output, Stdio};
use std::time::{Duration, Instant};
use triage::domain::case::CaseRecord;
use triage::domain::command::Command as CaseCommand;
use triage::domain::enquiry::Reference;
use triage::server::protocol::{self, Greeting, Hello, ServerMessage, MAX_REPLY, PROTOCOL};
use triage::server::Client;
use triage::store::api::Api;
use triage::store::api_error::ApiError;

fn is_root() -> bool {
    unsafe { libc::geteuid() == 0 }
}

/// A system account from /etc/passwd, used as a distinct member of staff.
#[derive(Debug, Clone)]
struct User {
    login: String,
    uid: u32,
    gid: u32,
}

fn user(login: &str) -> User {
    let passwd = std::fs::read_to_string("/etc/passwd").unwrap();
    let line = passwd
        .lines()
        .find(|l| l.split(':').next() == Some(login))
        .unwrap_or_else(|| panic!("no user {login} in /etc/passwd"));
    let f: Vec<&str> = line.split(':').collect();
    User {
        login: login.into(),
        uid: f[2].parse().unwrap(),
        gid: f[3].parse().unwrap(),
    }
}

/// Caseworkers, a DPO and a stranger. As root these are real, distinct uids; otherwise
/// every client is the runner and the tests assert what one uid can show.
struct Staff {
    caseworker: Option<User>,
    colleague: Option<User>,
    dpo: Option<User>,
    stranger: Option<User>,
}

fn staff() -> Staff {
    if is_root() {
        Staff {
            caseworker: Some(user("daemon")),
            colleague: Some(user("bin")),
            dpo: Some(user("sys")),
            stranger: Some(user("nobody")),
        }
    } else {
        Staff {
            caseworker: None,
            colleague: None,
            dpo: None,
            stranger: None,
        }
    }
}

fn login_of(u: &Option<User>) -> String {
    u.as_ref().map(|u| u.login.clone()).unwrap_or_else(login)
}

/// A store with the demo enquiries and a policy naming the test users, served by a real
/// `triage serve` process.
struct Served {
    _dir: tempfile::TempDir,
    db: PathBuf,
    socket: PathBuf,
    log: PathBuf,
    child: Option<Child>,
    fixed_now: bool,
    /// The server's TRIAGE_NOW when `fixed_now` (the embedded commands use NOW).
    server_now: &'static str,
}

struct Setup {
    /// Run the server with TRIAGE_NOW (reproducible times) or on the wall clock.
    fixed_now: bool,
    /// The runner's roles in the policy.
    runner_roles: &'static str,
    extra_serve_args: Vec<String>,
    /// Serve under the bundled policy, which names demo staff only (not the runner).
    serve_without_runner: bool,
    /// The server's fixed time, when not NOW (a clock behind the store's head).
    server_now: &'static str,
}

impl Default for Setup {
    fn default() -> Self {
        Setup {
            fixed_now: true,
            runner_roles: r#"["caseworker", "dpo", "admin"]"#,
            extra_serve_args: vec!["--socket-mode".into(), "0666".into()],
            serve_without_runner: false,
            server_now: NOW,
        }
    }
}

impl Served {
    fn start() -> Served {
        Served::with(Setup::default())
    }

    fn with(setup: Setup) -> Served {
        let dir = tempfile::tempdir().unwrap();
        // Other uids must reach the socket inside; the store directory itself stays 0700.
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        let db = dir.path().join("db");
        let mut policy = std::fs::read_to_string(root().join("demo-data/policy.toml")).unwrap();
        policy.push_str(&format!(
            "\n[[staff]]\nlogin = \"{}\"\nname = \"Test runner\"\nroles = {}\n",
            login(),
            setup.runner_roles
        ));
        if is_root() {
            for (who, roles) in [
                ("daemon", "caseworker"),
                ("bin", "caseworker"),
                ("sys", "dpo"),
            ] {
                policy.push_str(&format!(
                    "\n[[staff]]\nlogin = \"{who}\"\nname = \"{who}\"\nroles = [\"{roles}\"]\n"
                ));
            }
        }
        let policy_file = dir.path().join("policy.toml");
        std::fs::write(&policy_file, &policy).unwrap();
        // Whoever makes the store is its admin; a runner with fewer roles gets them from
        // the policy the server is started under.
        let all_roles = r#"["caseworker", "dpo", "admin"]"#;
        let init_file = dir.path().join("init-policy.toml");
        std::fs::write(
            &init_file,
            policy.replace(
                &format!("roles = {}\n", setup.runner_roles),
                &format!("roles = {all_roles}\n"),
            ),
        )
        .unwrap();
        let s = Served {
            socket: dir.path().join("triage.sock"),
            log: dir.path().join("serve.log"),
            db,
            _dir: dir,
            child: None,
            fixed_now: setup.fixed_now,
            server_now: setup.server_now,
        };
        s.embedded_ok(&[
            "init",
            "--policy",
            init_file.to_str().unwrap(),
            "--test-clock",
        ]);
        s.embedded_ok(&[
            "import",
            root().join("tests/data/three.jsonl").to_str().unwrap(),
        ]);
        s.embedded_ok(&[
            "import",
            root().join("demo-data/enquiries.jsonl").to_str().unwrap(),
        ]);
        let mut s = s;
        if setup.serve_without_runner {
            // Installed, not passed: a server never takes its policy (or roles) from --policy.
            s.embedded_ok(&[
                "policy",
                "--install",
                root().join("demo-data/policy.toml").to_str().unwrap(),
            ]);
        } else if setup.runner_roles != all_roles {
            s.embedded_ok(&["policy", "--install", policy_file.to_str().unwrap()]);
        }
        s.spawn(&setup.extra_serve_args);
        s
    }

    fn spawn(&mut self, extra: &[String]) {
        let log = std::fs::File::create(&self.log).unwrap();
        let mut cmd = Command::new(BIN);
        hermetic(&mut cmd, &self._dir.path().join("env"))
            .arg("serve")
            .arg("--db")
            .arg(&self.db)
            .arg("--socket")
            .arg(&self.socket)
            .args(extra)
            .env_remove("TRIAGE_POLICY")
            .env_remove("TRIAGE_DB")
            .env_remove("TRIAGE_SERVER")
            .stdout(Stdio::null())
            .stderr(log);
        if self.fixed_now {
            cmd.env("TRIAGE_NOW", self.server_now);
        } else {
            cmd.env_remove("TRIAGE_NOW");
        }
        self.child = Some(cmd.spawn().unwrap());
        let start = Instant::now();
        while UnixStream::connect(&self.socket).is_err() {
            if let Some(status) = self.child.as_mut().unwrap().try_wait().unwrap() {
                panic!("triage serve exited with {status}: {}", self.log_text());
            }
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "the server did not listen: {}",
                self.log_text()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// The CLI on the store itself (before the server starts or after it stopped).
    fn embedded(&self, args: &[&str]) -> Output {
        hermetic(&mut Command::new(BIN), &self._dir.path().join("env"))
            .args(args)
            .arg("--db")
            .arg(&self.db)
            .env("TRIAGE_NOW", NOW)
            .env_remove("TRIAGE_POLICY")
            .env_remove("TRIAGE_DB")
            .env_remove("TRIAGE_SERVER")
            .output()
            .unwrap()
    }

    fn embedded_ok(&self, args: &[&str]) -> String {
        let out = self.embedded(args);
        assert!(
            out.status.success(),
            "triage {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    /// The CLI through the server, as `who` (None: the runner).
    fn cli(&self, who: &Option<User>, args: &[&str]) -> Command {
        let mut cmd = Command::new(BIN);
        hermetic(&mut cmd, &self._dir.path().join("env"))
            .arg("--server")
            .arg(&self.socket)
            .args(args)
            .env_remove("TRIAGE_POLICY")
            .env_remove("TRIAGE_DB")
            .env_remove("TRIAGE_NOW")
            .env_remove("TRIAGE_SERVER")
            .stdin(Stdio::null());
        if let Some(u) = who {
            // Another user cannot reach the runner's temporary directories.
            cmd.uid(u.uid).gid(u.gid).env("HOME", "/nonexistent");
            for v in [
                "XDG_CONFIG_HOME",
                "XDG_DATA_HOME",
                "XDG_STATE_HOME",
                "XDG_CACHE_HOME",
                "XDG_RUNTIME_DIR",
            ] {
                cmd.env(v, "/nonexistent");
            }
        }
        cmd
    }

    fn run(&self, who: &Option<User>, args: &[&str]) -> Output {
        self.cli(who, args).output().unwrap()
    }

    fn ok(&self, who: &Option<User>, args: &[&str]) -> String {
        let out = self.run(who, args);
        assert!(
            out.status.success(),
            "triage {args:?} as {}: {}\nserver log:\n{}",
            login_of(who),
            String::from_utf8_lossy(&out.stderr),
            self.log_text()
        );
        String::from_utf8(out.stdout).unwrap()
    }

    fn fails(&self, who: &Option<User>, args: &[&str]) -> String {
        let out = self.run(who, args);
        assert!(
            !out.status.success(),
            "triage {args:?} as {} should have failed: {}",
            login_of(who),
            String::from_utf8_lossy(&out.stdout)
        );
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(!err.contains("panicked"), "{err}");
        err
    }

    fn show(&self, who: &Option<User>, r: &str) -> serde_json::Value {
        serde_json::from_str(&self.ok(who, &["show", r, "--json"])).unwrap()
    }

    fn client(&self) -> Client {
        Client::connect(&self.socket).unwrap_or_else(|e| panic!("{e}\n{}", self.log_text()))
    }

    /// SIGTERM, then the exit status (within 15 s).
    fn stop(&mut self) -> ExitStatus {
        let mut child = self.child.take().expect("running");
        unsafe {
            libc::kill(child.id() as i32, libc::SIGTERM);
        }
        let start = Instant::now();
        loop {
            if let Some(status) = child.try_wait().unwrap() {
                return status;
            }
            if start.elapsed() > Duration::from_secs(15) {
                let _ = child.kill();
                panic!("the server did not stop on SIGTERM: {}", self.log_text());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

fn reference(s: &str) -> Reference {
    s.parse().unwrap()
}

fn live(rec: Option<CaseRecord>) -> triage::domain::case::Case {
    match rec {
        Some(CaseRecord::Live(c)) => *c,
        other => panic!("not a live case: {other:?}"),
    }
}

fn note(text: &str) -> CaseCommand {
    CaseCommand::AddNote { text: text.into() }
}

/// Applies a note through `api`, reloading and retrying on conflicts; returns the retries.
fn note_with_retry(api: &dyn Api, r: Reference, text: &str) -> usize {
    let mut conflicts = 0;
    loop {
        let version = live(api.case(r).unwrap()).version;
        match api.execute(r, version, &note(text)) {
            Ok(_) => return conflicts,
            Err(ApiError::Conflict { .. }) => conflicts += 1,
            Err(e) => panic!("{e}"),
        }
    }
}

#[test]
fn the_kernel_says_who_acts_roles_come_from_the_policy_and_strangers_are_refused() {
    let mut s = Served::start();
    let st = staff();
    let r = "2026-000002";
    s.ok(
        &st.caseworker,
        &["case", r, "note", "called the citizen back"],
    );
    let case = s.show(&None, r);
    let last = case["notes"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["made"]["by"], login_of(&st.caseworker), "{case}");

    // What the client process claims is irrelevant: the server asks the kernel.
    let out = s
        .cli(
            &st.caseworker,
            &["case", r, "note", "claimed to be someone else"],
        )
        .env("USER", "dora")
        .env("LOGNAME", "dora")
        .output()
        .unwrap();
    assert!(out.status.success());
    let case = s.show(&None, r);
    let last = case["notes"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["made"]["by"], login_of(&st.caseworker));

    if is_root() {
        // A caseworker may not erase or lift a hold: the server enforces the roles.
        let err = s.fails(
            &st.caseworker,
            &["case", r, "erase", "--ground", "retention over"],
        );
        assert!(err.contains("erase needs the role dpo"), "{err}");
        s.ok(&st.dpo, &["case", r, "hold", "--why", "pending court case"]);
        let err = s.fails(
            &st.caseworker,
            &["case", r, "release-hold", "--why", "court case over"],
        );
        assert!(err.contains("needs the role dpo"), "{err}");
        s.ok(
            &st.dpo,
            &["case", r, "release-hold", "--why", "court case over"],
        );
        // A login that is not staff is refused with a message, and nothing is written.
        let err = s.fails(&st.stranger, &["case", r, "note", "let me in"]);
        assert!(err.contains("`nobody` is not staff"), "{err}");
    }
    s.stop();
    let log = s.embedded_ok(&["audit", "log", "--case", r]);
    assert!(log.contains(&login_of(&st.caseworker)), "{log}");

    // One uid is enough for these: roles come from the server's policy, not the client.
    let mut other = Served::with(Setup {
        runner_roles: r#"["caseworker"]"#,
        ..Setup::default()
    });
    let err = other.fails(&None, &["case", r, "erase", "--ground", "retention over"]);
    assert!(err.contains("erase needs the role dpo"), "{err}");
    let err = other.fails(
        &None,
        &["case", r, "release-hold", "--why", "court case over"],
    );
    assert!(err.contains("needs the role dpo"), "{err}");
    other.stop();
    let mut stranger = Served::with(Setup {
        serve_without_runner: true,
        ..Setup::default()
    });
    let err = stranger.fails(&None, &["case", r, "note", "let me in"]);
    assert!(
        err.contains(&format!("`{}` is not staff", login())),
        "{err}"
    );
    assert!(!err.contains("panicked"));
    stranger.stop();
    // The runner is no staff there any more: read the chain with the library.
    let store = triage::store::Store::open(&stranger.db).unwrap();
    let log = store.audit_log(Some(reference(r))).unwrap();
    assert!(
        !log.iter().any(|(e, _)| e.action == "note"),
        "nothing was written for the stranger"
    );
}

#[test]
fn concurrent_commands_on_distinct_and_the_same_cases_lose_nothing_and_the_chain_verifies() {
    let mut s = Served::start();
    let st = staff();
    let users = [
        st.caseworker.clone(),
        st.colleague.clone(),
        st.dpo.clone(),
        None,
    ];
    // Separate processes, one per user, each on its own case and all on one shared case.
    let shared = "2026-000001";
    let own = ["2026-000002", "2026-000003", "2026-000004", "2026-000005"];
    let rounds = 4;
    let mut expected_shared = 0;
    for round in 0..rounds {
        let mut children = Vec::new();
        for (i, who) in users.iter().enumerate() {
            let text = format!("own note {round} by {i}");
            children.push((
                None,
                s.cli(who, &["case", own[i], "note", &text])
                    .stdout(Stdio::null())
                    .stderr(Stdio::piped())
                    .spawn()
                    .unwrap(),
            ));
            let text = format!("shared note {round} by {i}");
            children.push((
                Some(text.clone()),
                s.cli(who, &["case", shared, "note", &text])
                    .stdout(Stdio::null())
                    .stderr(Stdio::piped())
                    .spawn()
                    .unwrap(),
            ));
        }
        for (text, child) in children {
            let out = child.wait_with_output().unwrap();
            let err = String::from_utf8_lossy(&out.stderr);
            match text {
                None => assert!(out.status.success(), "{err}"),
                // On the shared case a process may lose the race: a clear conflict, never
                // a silent overwrite.
                Some(_) if out.status.success() => expected_shared += 1,
                Some(_) => assert!(err.contains("reload?"), "{err}"),
            }
        }
    }
    for (i, r) in own.iter().enumerate() {
        let case = s.show(&None, r);
        let mine: Vec<_> = case["notes"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|n| n["text"].as_str().unwrap().ends_with(&format!("by {i}")))
            .collect();
        assert_eq!(mine.len(), rounds, "{r}: {case}");
    }
    let case = s.show(&None, shared);
    let shared_notes = case["notes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["text"].as_str().unwrap().starts_with("shared note"))
        .count();
    assert_eq!(shared_notes, expected_shared);
    assert!(expected_shared >= rounds, "every round lets one through");

    // Library clients in threads: eight at once on one case, retrying conflicts.
    let r = reference("2026-000003");
    let before = live(s.client().case(r).unwrap()).notes.len();
    let per_thread = 15;
    let conflicts: usize = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..8)
            .map(|t| {
                let s = &s;
                scope.spawn(move || {
                    let c = s.client();
                    (0..per_thread)
                        .map(|n| note_with_retry(&c, r, &format!("thread {t} note {n}")))
                        .sum::<usize>()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).sum()
    });
    let case = live(s.client().case(r).unwrap());
    assert_eq!(case.notes.len(), before + 8 * per_thread, "no lost update");
    let events = s.client().events(r).unwrap();
    assert_eq!(events.len() as u64, case.version, "one event per version");
    assert!(events.iter().zip(1u64..).all(|(e, v)| e.version == v));
    eprintln!("{conflicts} conflicts were retried");

    assert!(s.stop().success(), "{}", s.log_text());
    let verify = s.embedded_ok(&["audit", "verify"]);
    assert!(verify.starts_with("audit chain verified"), "{verify}");
}

#[test]
fn taking_a_case_is_atomic_and_the_loser_hears_who_took_it_and_how_long_ago() {
    let mut s = Served::with(Setup {
        fixed_now: false,
        ..Setup::default()
    });
    let st = staff();
    let r = "2026-000001";
    let version = live(s.client().case(reference(r)).unwrap())
        .version
        .to_string();
    let users = [
        st.caseworker.clone(),
        st.colleague.clone(),
        st.dpo.clone(),
        None,
    ];
    // Everyone decided on the same version; each takes the case at once.
    let children: Vec<_> = users
        .iter()
        .map(|who| {
            s.cli(who, &["case", r, "--at-version", &version, "take"])
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let outs: Vec<Output> = children
        .into_iter()
        .map(|c| c.wait_with_output().unwrap())
        .collect();
    let winners: Vec<usize> = (0..outs.len())
        .filter(|i| outs[*i].status.success())
        .collect();
    assert_eq!(winners.len(), 1, "exactly one takes the case");
    let winner = login_of(&users[winners[0]]);
    let case = s.show(&None, r);
    assert_eq!(case["assignee"], winner.as_str());
    for (i, out) in outs.iter().enumerate() {
        if i == winners[0] {
            continue;
        }
        let err = String::from_utf8_lossy(&out.stderr);
        let said = format!("changed by {winner} ");
        assert!(
            err.contains(&said) && err.contains(" s ago: reload?"),
            "{err}"
        );
    }
    s.stop();
}

#[test]
fn a_change_reaches_every_other_open_client_without_a_keypress() {
    let mut s = Served::start();
    let st = staff();
    let watcher = s.client();
    let other = s.client();
    assert!(watcher.changed().is_empty());
    let r = reference("2026-000003");
    let wait_for = |c: &Client, r: Reference| -> Duration {
        let start = Instant::now();
        loop {
            if c.changed().contains(&r) {
                return start.elapsed();
            }
            assert!(
                start.elapsed() < Duration::from_secs(2),
                "no change notice for {r}"
            );
            std::thread::sleep(Duration::from_millis(5));
        }
    };
    // Classify, route, take and close, each by another process (another uid as root).
    let steps: [&[&str]; 5] = [
        &["classify", "--confirm", "criminal,contact"],
        &["purpose", "citizenship"],
        &[
            "route",
            "--to",
            "police",
            "--basis",
            "gdpr-6-1-e,dpa-8",
            "--why",
            "The police asked for the record in the naturalisation check.",
        ],
        &["take"],
        &["close", "--why", "answered by the police"],
    ];
    for step in steps {
        let mut args = vec!["case", "2026-000003"];
        args.extend_from_slice(step);
        // Only the writer's own connection is spared the notice.
        s.ok(&st.caseworker, &args);
        let took = wait_for(&watcher, r);
        assert!(took < Duration::from_millis(500), "{step:?} took {took:?}");
        wait_for(&other, r);
    }
    // New post imported while the server runs lands in every open queue.
    let post = s._dir.path().join("post.jsonl");
    std::fs::write(
        &post,
        concat!(
            r#"{"received":"2026-11-24T08:30:00+01:00","channel":"email","sender":{"name":"Ida Holm","email":"ida@example.com"},"#,
            r#""subject":"Ny henvendelse","body":"Hvornår får jeg svar på min ansøgning?","language":"da","message_id":"<post1@example.com>"}"#,
            "\n"
        ),
    )
    .unwrap();
    let out = s.ok(&st.caseworker, &["import", post.to_str().unwrap()]);
    assert!(out.contains(": 1 registered, 0 already"), "{out}");
    let start = Instant::now();
    let fresh = loop {
        let got = watcher.changed();
        if let Some(r) = got.first() {
            break *r;
        }
        assert!(
            start.elapsed() < Duration::from_secs(2),
            "no notice of the new case"
        );
        std::thread::sleep(Duration::from_millis(5));
    };
    let case = live(watcher.case(fresh).unwrap());
    assert_eq!(case.enquiry.sender.name, "Ida Holm");
    assert_eq!(case.registered.by, login_of(&st.caseworker));
    let again = s.ok(&st.caseworker, &["import", post.to_str().unwrap()]);
    assert!(again.contains(": 0 registered, 1 already"), "{again}");

    // A change made through a client is pushed to the others, not back to itself.
    wait_for(&other, fresh);
    let v = live(other.case(r).unwrap()).version;
    other.execute(r, v, &note("after closing")).unwrap();
    wait_for(&watcher, r);
    std::thread::sleep(Duration::from_millis(100));
    assert!(other.changed().is_empty());
    s.stop();
}

/// A raw connection that has greeted the server.
fn greeted(socket: &Path) -> UnixStream {
    let mut raw = UnixStream::connect(socket).unwrap();
    let hello = protocol::frame(
        &Hello {
            protocol: PROTOCOL,
            client: "raw test".into(),
        },
        1 << 20,
    )
    .unwrap();
    raw.write_all(&hello).unwrap();
    let body = protocol::read_frame(&mut raw, MAX_REPLY).unwrap().unwrap();
    assert!(matches!(
        protocol::decode::<Greeting>(&body).unwrap(),
        Greeting::Welcome(_)
    ));
    raw
}

/// Reads what the server says until it closes; returns the messages.
fn until_closed(raw: &mut UnixStream) -> Vec<ServerMessage> {
    raw.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let mut out = Vec::new();
    while let Ok(Some(body)) = protocol::read_frame(raw, MAX_REPLY) {
        out.push(protocol::decode(&body).unwrap());
    }
    out
}

#[test]
fn garbage_huge_frames_and_vanishing_clients_do_not_stop_the_server() {
    let mut s = Served::start();
    let good = s.client();
    let r = reference("2026-000002");
    let works = |what: &str| {
        note_with_retry(&good, r, what);
    };
    works("before the abuse");

    // Garbage after the greeting: an error frame, then that connection alone closes.
    let mut raw = greeted(&s.socket);
    raw.write_all(&[0, 0, 0, 5, 0xde, 0xad, 0xbe, 0xef, 0x00])
        .unwrap();
    let said = until_closed(&mut raw);
    assert!(
        matches!(said.as_slice(), [ServerMessage::Error { message }] if message.contains("undecodable")),
        "{said:?}"
    );
    works("after garbage");

    // A frame claiming 1 GiB is refused from its header, before anything is allocated.
    let mut raw = greeted(&s.socket);
    raw.write_all(&(1u32 << 30).to_be_bytes()).unwrap();
    let said = until_closed(&mut raw);
    assert!(
        matches!(said.as_slice(), [ServerMessage::Error { message }] if message.contains("over the limit")),
        "{said:?}"
    );
    works("after a huge frame");

    // Half a request, then gone.
    let mut raw = greeted(&s.socket);
    raw.write_all(&[0, 0, 1, 0, 1, 2, 3]).unwrap();
    drop(raw);
    // A whole request, then gone before the answer: the command stands or falls on its
    // own, and the server's answer into the void harms no one.
    let mut raw = greeted(&s.socket);
    let v = live(good.case(r).unwrap()).version;
    let call = triage::server::protocol::Call {
        id: 1,
        request: triage::server::protocol::Request::Execute {
            reference: r,
            expected: v,
            command: note("sent and gone"),
        },
    };
    raw.write_all(&protocol::frame(&call, 1 << 20).unwrap())
        .unwrap();
    drop(raw);
    // Gone in the middle of the greeting.
    let mut raw = UnixStream::connect(&s.socket).unwrap();
    raw.write_all(&[0, 0]).unwrap();
    drop(raw);
    works("after clients vanished");

    // Something that is not triage at all (an HTTP request) gets a refusal in words.
    let mut raw = UnixStream::connect(&s.socket).unwrap();
    raw.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
    let body = protocol::read_frame(&mut raw, MAX_REPLY).unwrap().unwrap();
    match protocol::decode::<Greeting>(&body).unwrap() {
        Greeting::Refused { reason } => assert!(reason.contains("not a triage client"), "{reason}"),
        other => panic!("{other:?}"),
    }

    // A client of another protocol version is told so, clearly.
    let mut raw = UnixStream::connect(&s.socket).unwrap();
    raw.write_all(
        &protocol::frame(
            &Hello {
                protocol: PROTOCOL + 1,
                client: "triage 9.0.0".into(),
            },
            1 << 20,
        )
        .unwrap(),
    )
    .unwrap();
    let body = protocol::read_frame(&mut raw, MAX_REPLY).unwrap().unwrap();
    match protocol::decode::<Greeting>(&body).unwrap() {
        Greeting::Refused { reason } => {
            assert!(reason.contains(&format!("protocol {PROTOCOL}")), "{reason}");
            assert!(reason.contains("triage 9.0.0"), "{reason}");
        }
        other => panic!("{other:?}"),
    }

    // A request too large to send is refused by the client before it leaves.
    let big = "x".repeat(protocol::MAX_REQUEST + 1);
    let v = live(good.case(r).unwrap()).version;
    let err = good.execute(r, v, &note(&big)).unwrap_err();
    assert!(err.to_string().contains("too large"), "{err}");
    works("at the end");
    let case = live(good.case(r).unwrap());
    let texts: Vec<&str> = case.notes.iter().map(|n| n.text.as_str()).collect();
    for t in [
        "before the abuse",
        "after garbage",
        "after a huge frame",
        "after clients vanished",
        "at the end",
    ] {
        assert!(texts.contains(&t), "{texts:?}");
    }
    assert!(s.stop().success(), "{}", s.log_text());
}

#[test]
fn restricted_cases_are_shown_only_to_dpo_admin_assignee_and_restricter() {
    let mut s = Served::start();
    let st = staff();
    let r = "2026-000001";
    // The runner (every role) restricts the case.
    s.ok(
        &None,
        &["case", r, "restrict", "--why", "disclosed to PET (Art. 23)"],
    );
    let listed = |who: &Option<User>| -> bool {
        s.ok(who, &["cases", "--json"])
            .lines()
            .any(|l| l.contains(&format!("\"reference\":\"{r}\"")))
    };
    assert!(listed(&None));
    assert!(s.show(&None, r)["restriction"].is_object());
    let watcher = s.client();
    // The queue's bound (references given out) through the socket: the runner sees every
    // case, none erased, so it is exactly the number listed.
    let all = s.ok(&None, &["cases", "--json"]).lines().count() as u64;
    assert!(all > 1);
    assert_eq!(watcher.queue_bound().unwrap(), all);
    if is_root() {
        assert!(!listed(&st.caseworker), "a caseworker does not see it");
        let err = s.fails(&st.caseworker, &["show", r]);
        assert!(err.contains("restricted (Art. 23)"), "{err}");
        let err = s.fails(&st.caseworker, &["case", r, "note", "let me add"]);
        assert!(err.contains("restricted (Art. 23)"), "{err}");
        assert!(listed(&st.dpo), "the DPO sees it");
        s.ok(&st.dpo, &["show", r]);
        // Once it is theirs, the caseworker sees it.
        let cw = login_of(&st.caseworker);
        s.ok(&None, &["case", r, "assign", &cw]);
        assert!(listed(&st.caseworker));
        s.ok(&st.caseworker, &["case", r, "note", "now mine"]);
        // The runner's open client (every role) heard of the caseworker's note.
        let start = Instant::now();
        while !watcher.changed().contains(&reference(r)) {
            assert!(start.elapsed() < Duration::from_secs(2), "no notice");
            std::thread::sleep(Duration::from_millis(5));
        }
    } else {
        // One uid only: the runner restricted it, so the runner may see it.
        s.ok(&None, &["case", r, "note", "still mine to see"]);
    }
    s.stop();
}

/// Starts `triage watch` as `who` and waits until it is connected.
fn watcher(s: &Served, who: &Option<User>) -> Child {
    let mut child = s
        .cli(who, &["watch", "--seconds", "3"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 1];
    // The first line ("# watching …") is written once the server has greeted it.
    child
        .stdout
        .as_mut()
        .unwrap()
        .read_exact(&mut first)
        .unwrap();
    assert_eq!(&first, b"#");
    child
}

fn heard(child: Child) -> String {
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn a_restricted_case_is_announced_only_to_those_who_may_see_it() {
    let mut s = Served::start();
    let st = staff();
    let (restricted, open) = ("2026-000001", "2026-000002");
    s.ok(
        &None,
        &[
            "case",
            restricted,
            "restrict",
            "--why",
            "disclosed to PET (Art. 23)",
        ],
    );
    let caseworker = watcher(&s, &st.caseworker);
    let dpo = watcher(&s, &st.dpo);
    s.ok(&None, &["case", restricted, "note", "restricted work"]);
    s.ok(&None, &["case", open, "note", "open work"]);
    let (caseworker, dpo) = (heard(caseworker), heard(dpo));
    if is_root() {
        assert!(caseworker.contains(open), "{caseworker}");
        assert!(!caseworker.contains(restricted), "{caseworker}");
        assert!(dpo.contains(open) && dpo.contains(restricted), "{dpo}");
    } else {
        // One uid: the watchers are the runner, who restricted it and may see it.
        assert!(caseworker.contains(open) && caseworker.contains(restricted));
    }
    s.stop();
}

#[test]
fn sigterm_finishes_flushes_removes_the_socket_and_exits_zero() {
    let mut s = Served::start();
    let c = s.client();
    let r = reference("2026-000002");
    note_with_retry(&c, r, "just before the stop");
    assert!(c.describe().starts_with("server "), "{}", c.describe());
    let status = s.stop();
    assert!(status.success(), "{status}: {}", s.log_text());
    assert!(!s.socket.exists(), "the socket file is removed");
    let log = s.log_text();
    assert!(
        log.contains("signal 15") && log.contains("the store is flushed"),
        "{log}"
    );
    // The client learns the server went, and says so instead of hanging.
    let start = Instant::now();
    while !c.describe().contains("disconnected") && start.elapsed() < Duration::from_secs(5) {
        std::thread::sleep(Duration::from_millis(10));
    }
    assert!(c.describe().contains("disconnected"), "{}", c.describe());
    let err = c.case(r).unwrap_err();
    assert!(err.to_string().contains("lost"), "{err}");
    // Everything acknowledged is on disk, and the chain verifies.
    let shown: serde_json::Value =
        serde_json::from_str(&s.embedded_ok(&["show", "2026-000002", "--json"])).unwrap();
    assert!(shown.to_string().contains("just before the stop"));
    assert!(s
        .embedded_ok(&["audit", "verify"])
        .starts_with("audit chain verified"));
}

#[test]
fn the_socket_gets_its_mode_and_group_and_the_group_decides_who_connects() {
    let st = staff();
    let group = if is_root() {
        "daemon".to_string()
    } else {
        unsafe { libc::getgid() }.to_string()
    };
    let mut s = Served::with(Setup {
        extra_serve_args: vec![
            "--socket-mode".into(),
            "0660".into(),
            "--socket-group".into(),
            group.clone(),
        ],
        ..Setup::default()
    });
    let meta = std::fs::metadata(&s.socket).unwrap();
    assert_eq!(meta.mode() & 0o777, 0o660);
    if is_root() {
        assert_eq!(meta.gid(), user("daemon").gid);
        // daemon is in the group; bin is not and is told what to ask for.
        s.ok(&st.caseworker, &["cases"]);
        let err = s.fails(&st.colleague, &["cases"]);
        assert!(
            err.contains("permission denied") && err.contains("group"),
            "{err}"
        );
    } else {
        assert_eq!(meta.gid(), unsafe { libc::getgid() });
        s.ok(&None, &["cases"]);
    }
    s.stop();
}

#[test]
fn triage_finds_the_server_beside_the_store_and_opens_the_store_itself_when_none_runs() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let policy = policy_file(dir.path());
    let run = |args: &[&str]| -> Output {
        hermetic(&mut Command::new(BIN), &dir.path().join("env"))
            .args(args)
            .arg("--db")
            .arg(&db)
            .env("TRIAGE_NOW", NOW)
            .env_remove("TRIAGE_POLICY")
            .env_remove("TRIAGE_DB")
            .env_remove("TRIAGE_SERVER")
            .output()
            .unwrap()
    };
    assert!(
        run(&["init", "--policy", policy.to_str().unwrap(), "--test-clock"])
            .status
            .success()
    );
    assert!(run(&[
        "import",
        root().join("tests/data/three.jsonl").to_str().unwrap()
    ])
    .status
    .success());
    let global = || triage::cli::Global {
        db: Some(db.clone()),
        policy: None,
        da: false,
        server: None,
    };
    // No server: the store itself. (Checked in-process only at the end: sled keeps its
    // lock until its threads end, which would race the processes below.)
    assert!(run(&["cases"]).status.success());
    // A stale socket file from a crashed server: still the store itself.
    let socket = triage::server::default_socket(&db);
    drop(std::os::unix::net::UnixListener::bind(&socket).unwrap());
    assert!(socket.exists());
    assert!(run(&["cases"]).status.success());

    // A server on the default socket (it replaces the stale file): the interface and the
    // case commands go through it; subcommands that need the store say where it is served.
    let mut child = hermetic(&mut Command::new(BIN), &dir.path().join("env"))
        .args(["serve", "--db"])
        .arg(&db)
        .env("TRIAGE_NOW", NOW)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while Client::connect(&socket).is_err() {
        assert!(start.elapsed() < Duration::from_secs(20), "no server");
        std::thread::sleep(Duration::from_millis(20));
    }
    {
        let api = triage::cli::connect_or_open(&global()).unwrap();
        assert_eq!(api.describe(), format!("server {}", socket.display()));
    }
    let out = run(&["case", "2026-000001", "note", "through the server"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = run(&["policy"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("purposes:"));
    // Every subcommand goes through the server; only `compact` needs the files themselves.
    assert!(run(&["export"]).status.success());
    let out = run(&["compact"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        err.contains("in use by the triage server listening on"),
        "{err}"
    );
    assert!(err.contains(socket.to_str().unwrap()), "{err}");
    // --server names a socket where nothing listens: an error, not a silent fallback.
    let out = run(&["--server", "/nonexistent/triage.sock", "cases"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(err.contains("no triage server answers"), "{err}");

    unsafe {
        libc::kill(child.id() as i32, libc::SIGTERM);
    }
    assert!(child.wait().unwrap().success());
    let mut log = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut log)
        .unwrap();
    assert!(log.contains("serving"), "{log}");
    let api = triage::cli::connect_or_open(&global()).unwrap();
    assert!(api.describe().starts_with("embedded "));
}

#[test]
fn connections_beyond_the_limit_are_refused_with_words_and_the_rest_keep_working() {
    let mut s = Served::with(Setup {
        extra_serve_args: vec![
            "--socket-mode".into(),
            "0666".into(),
            "--max-clients".into(),
            "2".into(),
        ],
        ..Setup::default()
    });
    // The readiness probe's connection may still count for a moment: retry until in.
    let eventually = || {
        let start = Instant::now();
        loop {
            match Client::connect(&s.socket) {
                Ok(c) => return c,
                Err(_) if start.elapsed() < Duration::from_secs(5) => {
                    std::thread::sleep(Duration::from_millis(20))
                }
                Err(e) => panic!("{e}"),
            }
        }
    };
    let a = eventually();
    let b = eventually();
    let err = match Client::connect(&s.socket) {
        Err(e) => e.to_string(),
        Ok(_) => panic!("a third connection was let in"),
    };
    assert!(err.contains("its limit"), "{err}");
    note_with_retry(&a, reference("2026-000002"), "a still works");
    drop(b);
    // A freed place is free again.
    let c = eventually();
    note_with_retry(&c, reference("2026-000002"), "c got in");
    s.stop();
}

/// The server writes the chain's head to the system log (and its journal on stderr) at
/// start and stop, so a copy lives outside the store.
#[test]
fn the_server_logs_the_audit_head_at_start_and_stop() {
    let mut s = Served::start();
    let me = None;
    let first = s.ok(&me, &["cases", "--json"]);
    let r = serde_json::from_str::<serde_json::Value>(first.lines().next().unwrap()).unwrap()
        ["reference"]
        .as_str()
        .unwrap()
        .to_string();
    s.ok(&me, &["case", &r, "note", "called back"]);
    assert!(s.stop().success());
    let log = s.log_text();
    let head_at = |moment: &str| -> triage::store::audit::HeadLine {
        let line = log
            .lines()
            .find(|l| l.contains(&format!("audit head at {moment}:")))
            .unwrap_or_else(|| panic!("no {moment} head in:\n{log}"));
        line.parse().unwrap()
    };
    let (start, stop) = (head_at("start"), head_at("stop"));
    assert!(stop.seq > start.seq, "{start} / {stop}");
    for line in [start, stop] {
        let out = s.embedded_ok(&["audit", "verify", "--against", &line.to_string()]);
        assert!(out.contains("extends the recorded head"), "{out}");
    }
}

/// A server whose clock reads earlier than the store's last entry (a clock stepped back, or
/// someone hoping to backdate) still writes entries in order: dated at the head's time,
/// with the clock's reading kept; the chain verifies.
#[test]
fn a_server_clock_behind_the_head_keeps_the_chain_in_order() {
    let mut s = Served::with(Setup {
        server_now: "2020-01-01T10:00:00+01:00",
        ..Setup::default()
    });
    let me = None;
    let first = s.ok(&me, &["cases", "--json"]);
    let r = serde_json::from_str::<serde_json::Value>(first.lines().next().unwrap()).unwrap()
        ["reference"]
        .as_str()
        .unwrap()
        .to_string();
    s.ok(&me, &["case", &r, "note", "looks older than it is"]);
    assert!(s.stop().success());
    let log: Vec<serde_json::Value> = s
        .embedded_ok(&["audit", "log", "--json"])
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let times: Vec<chrono::DateTime<chrono::FixedOffset>> = log
        .iter()
        .map(|e| chrono::DateTime::parse_from_rfc3339(e["at"].as_str().unwrap()).unwrap())
        .collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]), "{times:?}");
    let note = log.iter().rev().find(|e| e["action"] == "note").unwrap();
    assert!(!note["at"].as_str().unwrap().starts_with("2020"), "{note}");
    assert!(
        note["clock"]
            .as_str()
            .unwrap_or_default()
            .starts_with("2020-01-01T09:00:00"),
        "{note}"
    );
    let v = s.embedded_ok(&["audit", "verify"]);
    assert!(v.contains("audit chain verified"), "{v}");
}

#[test]
fn a_long_request_whose_client_leaves_is_cancelled_and_the_server_keeps_serving() {
    let mut s = Served::start();
    // A backup snapshot asked for by a client that is gone right after sending: the server
    // drops the work rather than copying the store for no one.
    let mut raw = greeted(&s.socket);
    let call = triage::server::protocol::Call {
        id: 1,
        request: triage::server::protocol::Request::Snapshot,
    };
    raw.write_all(&protocol::frame(&call, 1 << 20).unwrap())
        .unwrap();
    drop(raw);
    let start = Instant::now();
    while !s
        .log_text()
        .contains("snapshot request cancelled: the client went away")
    {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "no cancellation in the log: {}",
            s.log_text()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    // Whether the server noticed before it began copying or in the middle (both happen,
    // by timing), nothing of the snapshot is left beside the store, and the server answers at once.
    let parent = s.db.parent().unwrap();
    // (the connection's snapshot, if it was finished, goes when the connection ends).
    let left = || -> Vec<_> {
        std::fs::read_dir(parent)
            .unwrap()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().contains(".snapshot-"))
            .map(|e| e.file_name())
            .collect()
    };
    let start = Instant::now();
    while !left().is_empty() {
        assert!(start.elapsed() < Duration::from_secs(10), "{:?}", left());
        std::thread::sleep(Duration::from_millis(20));
    }
    let asked = Instant::now();
    assert!(s.client().queue_bound().unwrap() > 0);
    assert!(asked.elapsed() < Duration::from_secs(2));
    // A backup from a client that stays is taken as before.
    let file = parent.join("after.triage");
    let said = s.ok(&None, &["backup", file.to_str().unwrap()]);
    assert!(said.contains("entries"), "{said}");
    assert!(s.stop().success());
}
