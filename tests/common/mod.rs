//! Helpers for the end-to-end tests: run the real binary against a temporary store.
#![allow(dead_code)]

pub mod interface;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub const BIN: &str = env!("CARGO_BIN_EXE_triage");

/// Fixed time for reproducible runs; the demo data is written around 2026-11-24.
pub const NOW: &str = "2026-11-24T09:00:00+01:00";

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn login() -> String {
    triage::identity::os_login().unwrap()
}

/// The demo policy with the test runner added as staff with every role.
pub fn policy_file(dir: &Path) -> PathBuf {
    let mut text = std::fs::read_to_string(root().join("demo-data/policy.toml")).unwrap();
    let me = login();
    if !text.contains(&format!("login = \"{me}\"")) {
        text.push_str(&format!("\n[[staff]]\nlogin = \"{me}\"\nname = \"Test runner\"\nroles = [\"caseworker\", \"dpo\", \"admin\"]\n"));
    }
    let path = dir.join("policy.toml");
    std::fs::write(&path, text).unwrap();
    path
}

/// HOME and every XDG directory (config, data, state, cache, runtime) inside `dir`, and a
/// UTF-8 locale: a test never reads the user's settings (a `lang = "da"` in their
/// config) and never writes into their directories.
pub fn hermetic_env(dir: &Path) -> Vec<(&'static str, std::ffi::OsString)> {
    let mut env = Vec::new();
    for (var, sub) in [
        ("HOME", "home"),
        ("XDG_CONFIG_HOME", "config"),
        ("XDG_DATA_HOME", "data"),
        ("XDG_STATE_HOME", "state"),
        ("XDG_CACHE_HOME", "cache"),
        ("XDG_RUNTIME_DIR", "runtime"),
    ] {
        let p = dir.join(sub);
        std::fs::create_dir_all(&p).unwrap();
        env.push((var, p.into_os_string()));
    }
    env.push(("LANG", "C.UTF-8".into()));
    env
}

/// Variables a test never inherits: they would override [`hermetic_env`]'s locale or point
/// the binary at the user's store, policy or server.
pub const UNSET: [&str; 6] = [
    "LC_ALL",
    "LC_CTYPE",
    "TRIAGE_POLICY",
    "TRIAGE_DB",
    "TRIAGE_SERVER",
    "TRIAGE_NOW",
];

/// Applies [`hermetic_env`] and [`UNSET`] to a command.
pub fn hermetic<'a>(cmd: &'a mut Command, dir: &Path) -> &'a mut Command {
    for v in UNSET {
        cmd.env_remove(v);
    }
    cmd.envs(hermetic_env(dir))
}

/// A temporary, empty store with the runner in its policy.
pub struct TestStore {
    pub dir: tempfile::TempDir,
    pub db: PathBuf,
}

impl TestStore {
    pub fn new() -> TestStore {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("db");
        let policy = policy_file(dir.path());
        let s = TestStore { dir, db };
        s.ok(&["init", "--policy", policy.to_str().unwrap(), "--test-clock"]);
        s
    }

    /// A demo store (seeded from demo-data) in a temporary directory.
    pub fn demo() -> TestStore {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("db");
        let s = TestStore { dir, db };
        s.ok(&["demo", "--no-ui"]);
        s
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.run_at(NOW, args)
    }

    /// `run` at another time than `NOW` (the store keeps a test clock).
    pub fn run_at(&self, now: &str, args: &[&str]) -> Output {
        Command::new(BIN)
            .args(args)
            .arg("--db")
            .arg(&self.db)
            .envs(hermetic_env(&self.dir.path().join("env")))
            .env_remove("LC_ALL")
            .env_remove("LC_CTYPE")
            .env_remove("TRIAGE_POLICY")
            .env_remove("TRIAGE_DB")
            .env_remove("TRIAGE_SERVER")
            .env("TRIAGE_NOW", now)
            .env("NO_COLOR", "1")
            .output()
            .unwrap()
    }

    /// Imports `n` letters from different neighbours that each mention Kirsten Vognmand
    /// (more than one search of the DPO's review lists, at n = 201).
    pub fn import_letters_mentioning_a_neighbour(&self, n: usize) {
        let lines: Vec<String> = (0..n)
            .map(|i| {
                serde_json::json!({
                    "received": format!("2026-11-{:02}T{:02}:{:02}:00+01:00", 1 + i % 20, 8 + i % 9, i % 60),
                    "channel": "letter",
                    "sender": {"name": format!("Nabo {i}")},
                    "subject": "Om min nabo",
                    "body": format!("Min nabo Kirsten Vognmand larmer igen ({i})."),
                    "language": "da"
                })
                .to_string()
            })
            .collect();
        let file = self.dir.path().join("naboer.jsonl");
        std::fs::write(&file, lines.join("\n") + "\n").unwrap();
        self.ok(&["import", file.to_str().unwrap()]);
    }

    /// Runs and asserts success; returns stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        self.ok_at(NOW, args)
    }

    /// `ok` at another time than `NOW`.
    pub fn ok_at(&self, now: &str, args: &[&str]) -> String {
        let out = self.run_at(now, args);
        assert!(
            out.status.success(),
            "triage {args:?} failed: {}\n{}",
            String::from_utf8_lossy(&out.stderr),
            String::from_utf8_lossy(&out.stdout)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    /// Runs and asserts failure; returns stderr.
    pub fn fails(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            !out.status.success(),
            "triage {args:?} should have failed: {}",
            String::from_utf8_lossy(&out.stdout)
        );
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(!err.contains("panicked"), "triage {args:?} panicked: {err}");
        err
    }

    pub fn json(&self, args: &[&str]) -> serde_json::Value {
        serde_json::from_str(&self.ok(args)).unwrap()
    }

    /// References listed by `triage cases --json`.
    /// Runs the binary with stdin, stdout and stderr on a pseudo-terminal, as a person
    /// would, and returns every byte the terminal received (the tty turns `\n` into
    /// `\r\n`) and whether it succeeded.
    pub fn pty(&self, args: &[&str]) -> (Vec<u8>, bool) {
        use portable_pty::{native_pty_system, CommandBuilder, PtySize};
        use std::io::Read;
        let pair = native_pty_system()
            .openpty(PtySize {
                rows: 50,
                cols: 200,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let mut cmd = CommandBuilder::new(BIN);
        cmd.cwd(self.dir.path());
        cmd.args(args);
        cmd.arg("--db");
        cmd.arg(&self.db);
        for v in UNSET {
            cmd.env_remove(v);
        }
        for (k, v) in hermetic_env(&self.dir.path().join("env")) {
            cmd.env(k, v);
        }
        cmd.env("TRIAGE_NOW", NOW);
        cmd.env("TERM", "xterm-256color");
        let mut child = pair.slave.spawn_command(cmd).unwrap();
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().unwrap();
        let collect = std::thread::spawn(move || {
            let mut all = Vec::new();
            let mut buf = [0u8; 8192];
            // The read ends with EIO once the child has gone and the slave is closed.
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                all.extend_from_slice(&buf[..n]);
            }
            all
        });
        let status = child.wait().unwrap();
        drop(pair.master);
        (collect.join().unwrap(), status.success())
    }

    pub fn cases(&self) -> Vec<serde_json::Value> {
        self.ok(&["cases", "--json"])
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }
}
