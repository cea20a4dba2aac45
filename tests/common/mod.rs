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
        Command::new(BIN)
            .args(args)
            .arg("--db")
            .arg(&self.db)
            .env("TRIAGE_NOW", NOW)
            .env_remove("TRIAGE_POLICY")
            .env_remove("TRIAGE_DB")
            .env("NO_COLOR", "1")
            .output()
            .unwrap()
    }

    /// Runs and asserts success; returns stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
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
    pub fn cases(&self) -> Vec<serde_json::Value> {
        self.ok(&["cases", "--json"])
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }
}
