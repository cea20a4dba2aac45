//! The command line as its users meet it: help, completions, the manual page, and errors
//! that name the culprit once.

mod common;
use common::*;
use std::process::Command;

fn triage(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    let mut cmd = Command::new(BIN);
    hermetic(&mut cmd, dir).args(args).output().unwrap()
}

#[test]
fn completions_generate_for_bash_zsh_and_fish() {
    let dir = tempfile::tempdir().unwrap();
    for (shell, marker) in [
        ("bash", "complete -F"),
        ("zsh", "#compdef triage"),
        ("fish", "complete -c triage"),
    ] {
        let out = triage(dir.path(), &["completions", shell]);
        assert!(out.status.success(), "{shell}: {out:?}");
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.contains(marker), "{shell}: no `{marker}`");
        // fish names a long option `-l format`, the others `--format`.
        let format = if shell == "fish" {
            "-l format"
        } else {
            "--format"
        };
        for word in ["report", "completions", format, "release-hold"] {
            assert!(text.contains(word), "{shell} completion lacks `{word}`");
        }
    }
    let out = triage(dir.path(), &["completions", "tcsh"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn the_manual_page_is_roff_with_every_section() {
    // Rendering with man(1) is checked in CI (.ci/man-page); here the roff source itself,
    // so the test needs nothing beyond Rust.
    let dir = tempfile::tempdir().unwrap();
    let out = triage(dir.path(), &["man"]);
    assert!(out.status.success());
    let page = String::from_utf8(out.stdout).expect("the page is UTF-8");
    assert!(page.contains(".TH triage 1"), "no title line:\n{page}");
    for want in [
        ".SH NAME",
        ".SH SYNOPSIS",
        ".SH DESCRIPTION",
        ".SH OPTIONS",
        ".SH SUBCOMMANDS",
    ] {
        assert!(page.contains(want), "`{want}` not in the page:\n{page}");
    }
    for sub in ["completions", "report", "archive", "case"] {
        assert!(
            page.lines()
                .any(|l| l.contains(&format!("triage\\-{sub}"))
                    || l.contains(&format!("triage-{sub}"))),
            "subcommand `{sub}` not listed:\n{page}"
        );
    }
    // No line a roff reader would take for an unknown request from a stray dot.
    assert!(page.lines().all(|l| !l.starts_with("..")), "{page}");
    // One page per subcommand, nested ones too.
    let pages = dir.path().join("man");
    let out = triage(dir.path(), &["man", "--dir", pages.to_str().unwrap()]);
    assert!(out.status.success(), "{out:?}");
    for name in [
        "triage.1",
        "triage-case.1",
        "triage-case-route.1",
        "triage-report-access.1",
    ] {
        assert!(pages.join(name).exists(), "{name} not written");
    }
}

#[test]
fn the_case_commands_have_examples_and_described_options() {
    let dir = tempfile::tempdir().unwrap();
    let out = triage(dir.path(), &["case", "--help"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("Examples:"), "{text}");
    assert!(text.contains("release-hold"), "{text}");
    assert!(text.contains("Release a legal hold"), "{text}");
    let out = triage(dir.path(), &["case", "x", "route", "--help"]);
    let text = String::from_utf8(out.stdout).unwrap();
    for want in [
        "--to <RECIPIENT>",
        "The recipient's id",
        "--basis <IDS>",
        "--why <TEXT>",
        "Why the recipient needs the data",
        "Example: triage case",
    ] {
        assert!(text.contains(want), "`{want}` not in:\n{text}");
    }
}

#[test]
fn a_bad_date_in_json_lines_names_file_line_field_and_form_once() {
    let s = TestStore::new();
    let file = s.dir.path().join("bad.jsonl");
    std::fs::write(
        &file,
        concat!(
            r#"{"received":"2026-11-20T10:00:00+01:00","channel":"email","sender":{"name":"A"},"subject":"s","body":"b"}"#,
            "\n",
            r#"{"received":"2026-13-01","channel":"email","sender":{"name":"B"},"subject":"s","body":"b"}"#,
            "\n"
        ),
    )
    .unwrap();
    let out = s.run(&["import", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains(
            r#"bad.jsonl:2: "received": "2026-13-01" is not a date-time like 2026-11-30T09:14:00+01:00"#
        ),
        "{err}"
    );
    assert_eq!(err.matches("2026-13-01").count(), 1, "said once: {err}");
    assert!(!err.contains("column"), "{err}");

    let file = s.dir.path().join("fax.jsonl");
    std::fs::write(
        &file,
        r#"{"received":"2026-11-20T10:00:00+01:00","channel":"fax","sender":{"name":"A"},"subject":"s","body":"b"}"#,
    )
    .unwrap();
    let err = s.fails(&["import", file.to_str().unwrap()]);
    assert!(
        err.contains(r#"fax.jsonl:1: "channel": "fax" is not one of"#),
        "{err}"
    );
}

#[test]
fn a_missing_file_and_a_refusal_are_each_said_once() {
    let s = TestStore::new();
    let missing = s.dir.path().join("nowhere.jsonl");
    let out = s.run(&["import", missing.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("nowhere.jsonl"), "{err}");
    assert_eq!(err.matches("No such file").count(), 1, "said once: {err}");

    let pdf = s.run(&["report", "ruling", "2026-000099", "--format", "pdf"]);
    assert_eq!(pdf.status.code(), Some(1));
    let err = String::from_utf8(pdf.stderr).unwrap();
    assert_eq!(err.matches("2026-000099").count(), 1, "said once: {err}");
}

/// No part of the message is said twice ("routing refused: X: routing refused: X").
fn assert_said_once(err: &str) {
    let m = err.trim().trim_start_matches("triage: ");
    for part in m.split(": ").filter(|p| p.len() > 10) {
        assert_eq!(m.matches(part).count(), 1, "`{part}` said twice in: {err}");
    }
}

#[test]
fn a_routing_refusal_is_said_once_with_exit_code_1() {
    let s = TestStore::new();
    let file = s.dir.path().join("one.jsonl");
    std::fs::write(
        &file,
        r#"{"received":"2026-11-20T10:00:00+01:00","channel":"email","sender":{"name":"A"},"subject":"s","body":"Jeg er syg."}"#,
    )
    .unwrap();
    s.ok(&["import", file.to_str().unwrap()]);
    s.ok(&["case", "2026-000001", "classify", "--confirm", "health"]);
    s.ok(&["case", "2026-000001", "purpose", "citizen-enquiries"]);
    let out = s.run(&[
        "case",
        "2026-000001",
        "route",
        "--to",
        "police",
        "--basis",
        "gdpr-6-1-e",
        "--why",
        "The police asked for it.",
    ]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("2026-000001") || err.contains("Art. 9"),
        "{err}"
    );
    assert_said_once(&err);
    let out = s.run(&[
        "case",
        "2026-000001",
        "route",
        "--to",
        "nowhere-at-all",
        "--basis",
        "gdpr-6-1-e",
        "--why",
        "x",
    ]);
    assert_ne!(out.status.code(), Some(0));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("nowhere-at-all"), "names the culprit: {err}");
    assert_said_once(&err);
}
