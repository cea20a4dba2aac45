//! The command line end to end: the real binary on temporary stores.

mod common;
use common::*;

#[test]
fn import_of_the_demo_enquiries_gives_200_cases_and_a_verifying_chain() {
    let s = TestStore::new();
    let out = s.ok(&[
        "import",
        root().join("demo-data/enquiries.jsonl").to_str().unwrap(),
    ]);
    let registered: usize = out
        .split(": ")
        .nth(1)
        .unwrap()
        .split(' ')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!(registered >= 200, "{out}");
    assert_eq!(s.cases().len(), registered);
    let verify = s.ok(&["audit", "verify"]);
    assert!(verify.starts_with("audit chain verified"), "{verify}");
    // Importing again registers nothing new.
    let again = s.ok(&[
        "import",
        root().join("demo-data/enquiries.jsonl").to_str().unwrap(),
    ]);
    assert!(again.contains(": 0 registered"), "{again}");
    assert_eq!(s.cases().len(), registered);
}

#[test]
fn route_then_show_json_has_the_disclosure_with_basis_justification_actor_and_time() {
    let s = TestStore::new();
    s.ok(&[
        "import",
        root().join("tests/data/three.jsonl").to_str().unwrap(),
    ]);
    let r = "2026-000003"; // the phone note about a conviction
    s.ok(&["case", r, "classify", "--confirm", "criminal,contact"]);
    s.ok(&["case", r, "purpose", "citizenship"]);
    let why = "The police asked for the record as part of the naturalisation check.";
    let out = s.ok(&[
        "case",
        r,
        "route",
        "--to",
        "police",
        "--basis",
        "gdpr-6-1-e,dpa-8",
        "--why",
        why,
    ]);
    assert!(out.starts_with(&format!("saved {r}")), "{out}");
    let v = s.json(&["show", r, "--json"]);
    let d = &v["disclosures"][0];
    assert_eq!(d["recipient"], "police");
    assert_eq!(d["bases"], serde_json::json!(["gdpr-6-1-e", "dpa-8"]));
    assert_eq!(d["justification"], why);
    assert_eq!(d["made"]["by"], login());
    assert_eq!(d["made"]["at"], "2026-11-24T08:00:00Z");
    assert_eq!(v["status"], "routed");
    assert!(s
        .ok(&["audit", "verify"])
        .starts_with("audit chain verified"));
}

#[test]
fn routing_special_categories_without_an_art9_ground_is_refused_with_the_reason() {
    let s = TestStore::new();
    s.ok(&[
        "import",
        root().join("tests/data/three.jsonl").to_str().unwrap(),
    ]);
    let r = "2026-000001";
    s.ok(&["case", r, "classify", "--confirm", "health,cpr"]);
    s.ok(&["case", r, "purpose", "citizen-enquiries"]);
    let err = s.fails(&[
        "case",
        r,
        "route",
        "--to",
        "immigration-service",
        "--basis",
        "gdpr-6-1-e",
        "--why",
        "The Immigration Service handles the residence case.",
    ]);
    assert!(err.contains("Art. 9(2) ground is required"), "{err}");
    let v = s.json(&["show", r, "--json"]);
    assert_eq!(v["disclosures"], serde_json::json!([]));
}

#[test]
fn a_confirmed_cpr_number_is_routed_only_on_data_protection_act_11() {
    let s = TestStore::new();
    s.ok(&[
        "import",
        root().join("tests/data/three.jsonl").to_str().unwrap(),
    ]);
    let r = "2026-000001";
    s.ok(&["case", r, "classify", "--confirm", "cpr,contact"]);
    s.ok(&["case", r, "purpose", "citizen-enquiries"]);
    let route = |bases: &str| {
        vec![
            "case",
            r,
            "route",
            "--to",
            "local-authorities",
            "--basis",
            bases,
            "--why",
            "The municipality handles the citizen's services.",
        ]
        .into_iter()
        .map(String::from)
        .collect::<Vec<_>>()
    };
    let args = route("gdpr-6-1-e");
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let err = s.fails(&args);
    assert!(
        err.contains("the case holds a CPR number: Data Protection Act § 11 is required"),
        "{err}"
    );
    assert_eq!(err.matches("§ 11").count(), 1, "{err}");
    let args = route("gdpr-6-1-e,dpa-11");
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    s.ok(&args);
    let v = s.json(&["show", r, "--json"]);
    assert_eq!(
        v["disclosures"][0]["bases"],
        serde_json::json!(["gdpr-6-1-e", "dpa-11"])
    );
}

#[test]
fn a_policy_whose_category_rule_names_an_unknown_basis_is_not_installed() {
    let s = TestStore::new();
    let text = std::fs::read_to_string(policy_file(s.dir.path())).unwrap();
    assert!(text.contains("bases = [\"dpa-11\"]"));
    let text = text.replacen("bases = [\"dpa-11\"]", "bases = [\"dpa-12\"]", 1);
    let bad = s.dir.path().join("bad.toml");
    std::fs::write(&bad, &text).unwrap();
    let before = s.ok(&["policy"]);
    let err = s.fails(&["policy", "--install", bad.to_str().unwrap()]);
    let line = text.lines().position(|l| l.contains("dpa-12")).unwrap() + 1;
    assert!(err.contains(&format!("bad.toml:{line}:")), "{err}");
    assert!(
        err.contains("category_rules: unknown legal basis `dpa-12`"),
        "{err}"
    );
    assert_eq!(s.ok(&["policy"]), before, "the policy in force stays");
}

#[test]
fn a_malformed_record_refuses_the_whole_file_with_its_line() {
    let s = TestStore::new();
    let file = root().join("tests/data/bad_line3.jsonl");
    let err = s.fails(&["import", file.to_str().unwrap()]);
    assert!(err.contains("bad_line3.jsonl:3:"), "{err}");
    assert!(err.contains("fax"), "{err}");
    assert!(err.contains("nothing from this file was imported"), "{err}");
    assert!(s.cases().is_empty());
}

#[test]
fn email_mbox_and_maildir_import() {
    let s = TestStore::new();
    let mail = root().join("demo-data/mail");
    let mut expected = 0;
    for entry in std::fs::read_dir(&mail).unwrap() {
        let p = entry.unwrap().path();
        let name = p.file_name().unwrap().to_str().unwrap().to_string();
        let out = s.ok(&["import", p.to_str().unwrap()]);
        let head = out.lines().next().unwrap();
        let n: usize = head
            .rsplit(": ")
            .next()
            .unwrap()
            .split(' ')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        match name.as_str() {
            n_ if n_.ends_with(".eml") => assert_eq!(n, 1, "{out}"),
            "sample.mbox" => assert_eq!(n, 3, "{out}"),
            "maildir" => assert_eq!(n, 2, "{out}"),
            _ => {}
        }
        expected += n;
    }
    assert!(
        expected >= 9,
        "four .eml, three in the mbox, two in the maildir: {expected}"
    );
    let cases = s.cases();
    assert_eq!(cases.len(), expected);
    assert!(cases.iter().all(|c| c["channel"] == "email"));
    // Re-import: Message-IDs make it a no-op.
    let out = s.ok(&["import", mail.join("sample.mbox").to_str().unwrap()]);
    assert!(out.contains("0 registered, 3 already"), "{out}");
}

#[test]
fn a_policy_error_names_file_line_and_key() {
    let s = TestStore::new();
    let bad = s.dir.path().join("bad.toml");
    let text = std::fs::read_to_string(root().join("demo-data/policy.toml")).unwrap();
    let text = text.replacen("region = \"dk\"", "region = \"mars\"", 1);
    std::fs::write(&bad, &text).unwrap();
    let err = s.fails(&["cases", "--policy", bad.to_str().unwrap()]);
    let line = text.lines().position(|l| l.contains("\"mars\"")).unwrap() + 1;
    assert!(err.contains(&format!("bad.toml:{line}:")), "{err}");
    assert!(err.contains("mars"), "{err}");
}

#[test]
fn a_login_that_is_not_staff_is_refused() {
    let s = TestStore::new();
    // The bundled policy names demo staff only, not the test runner.
    s.ok(&[
        "policy",
        "--install",
        root().join("demo-data/policy.toml").to_str().unwrap(),
    ]);
    let err = s.fails(&["cases"]);
    assert!(err.contains("is not staff"), "{err}");
}

/// A policy passed on the command line cannot grant roles: roles come from the installed
/// policy, and a command that writes refuses `--policy` outright.
#[test]
fn a_passed_policy_grants_no_role_and_decides_no_write() {
    let s = TestStore::new();
    s.ok(&[
        "import",
        root().join("tests/data/three.jsonl").to_str().unwrap(),
    ]);
    let reference = s.cases()[0]["reference"].as_str().unwrap().to_string();
    // Installed: the runner is a caseworker only.
    let mut text = std::fs::read_to_string(root().join("demo-data/policy.toml")).unwrap();
    text.push_str(&format!(
        "\n[[staff]]\nlogin = \"{}\"\nname = \"Runner\"\nroles = [\"caseworker\"]\n",
        login()
    ));
    let caseworker = s.dir.path().join("caseworker.toml");
    std::fs::write(&caseworker, &text).unwrap();
    s.ok(&["policy", "--install", caseworker.to_str().unwrap()]);
    // Passed: the same policy with the runner as DPO.
    let grant = s.dir.path().join("grant.toml");
    std::fs::write(
        &grant,
        text.replace(
            "roles = [\"caseworker\"]\n",
            "roles = [\"caseworker\", \"dpo\", \"admin\"]\n",
        ),
    )
    .unwrap();
    let grant = grant.to_str().unwrap();
    let err = s.fails(&[
        "case", &reference, "--policy", grant, "erase", "--ground", "Art. 17",
    ]);
    assert!(err.contains("--policy"), "{err}");
    assert!(err.contains("read-only"), "{err}");
    assert_eq!(err.matches("--policy").count(), 1, "said once: {err}");
    // A read under the passed policy still has the installed roles: the DPO's report is refused.
    let err = s.fails(&[
        "report",
        "disclosures",
        "--include-restricted",
        "--policy",
        grant,
    ]);
    assert!(err.contains("you have caseworker"), "{err}");
    // And the case is untouched.
    assert!(s.ok(&["show", &reference]).contains(&reference));
    assert!(!s.ok(&["show", &reference]).contains("erased"));
}

#[test]
fn a_store_in_use_is_refused_with_what_to_do() {
    let s = TestStore::new();
    let _held = triage::store::Store::open(&s.db).unwrap();
    let err = s.fails(&["cases"]);
    assert!(err.contains("in use by another triage process"), "{err}");
    assert!(!err.contains("WouldBlock"), "{err}");
}

#[test]
fn the_store_directory_is_private() {
    use std::os::unix::fs::PermissionsExt;
    let s = TestStore::new();
    let mode = std::fs::metadata(&s.db).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o700);
    for entry in std::fs::read_dir(&s.db).unwrap() {
        let p = entry.unwrap().path();
        if p.is_file() {
            let mode = std::fs::metadata(&p).unwrap().permissions().mode() & 0o777;
            assert_eq!(
                mode & 0o077,
                0,
                "{} is readable by others: {mode:o}",
                p.display()
            );
        }
    }
}

#[test]
fn stale_version_from_the_cli_is_a_conflict() {
    let s = TestStore::new();
    s.ok(&[
        "import",
        root().join("tests/data/three.jsonl").to_str().unwrap(),
    ]);
    s.ok(&["case", "2026-000002", "note", "first note"]);
    let err = s.fails(&["case", "2026-000002", "--at-version", "1", "note", "second"]);
    assert!(err.contains("reload"), "{err}");
}

#[test]
fn show_masks_cpr_numbers_and_reveal_is_audited() {
    let s = TestStore::new();
    s.ok(&[
        "import",
        root().join("tests/data/three.jsonl").to_str().unwrap(),
    ]);
    let shown = s.ok(&["show", "2026-000001"]);
    assert!(!shown.contains("150672-1113"), "{shown}");
    assert!(shown.contains("150672-XXXX"), "{shown}");
    let revealed = s.ok(&["case", "2026-000001", "reveal"]);
    assert!(revealed.contains("150672-1113"));
    let log = s.ok(&["audit", "log", "--case", "2026-000001"]);
    assert!(log.contains("open") && log.contains("reveal-cpr"), "{log}");
}

#[test]
fn the_audit_log_shows_danish_time_and_its_json_the_instant() {
    let s = TestStore::new();
    let file = s.dir.path().join("one.jsonl");
    std::fs::write(
        &file,
        r#"{"received":"2026-11-20T10:00:00+01:00","channel":"letter","sender":{"name":"Kim"},"subject":"Hej","body":"Hej","language":"da"}"#.to_string() + "\n",
    )
    .unwrap();
    s.ok(&["import", file.to_str().unwrap()]);
    // Registered at NOW, 09:00 in Copenhagen (08:00 UTC).
    let log = s.ok(&["audit", "log"]);
    let line = log.lines().find(|l| l.contains("register")).unwrap();
    assert!(line.contains("2026-11-24 09:00:00"), "{log}");
    let json = s.ok(&["audit", "log", "--json"]);
    let first: serde_json::Value = serde_json::from_str(json.lines().next().unwrap()).unwrap();
    let at = chrono::DateTime::parse_from_rfc3339(first["at"].as_str().unwrap()).unwrap();
    assert_eq!(at, chrono::DateTime::parse_from_rfc3339(NOW).unwrap());
}

#[test]
fn demo_seeds_a_believable_store() {
    let s = TestStore::demo();
    let cases = s.cases();
    assert!(cases.len() >= 200);
    let status = |st: &str| cases.iter().filter(|c| c["status"] == st).count();
    assert!(status("new") >= 50, "yesterday's post stays new");
    assert!(status("closed") >= 20);
    assert!(status("routed") >= 5);
    assert!(s
        .ok(&["audit", "verify"])
        .starts_with("audit chain verified"));
    // Running demo again recreates it rather than failing or doubling.
    s.ok(&["demo", "--no-ui"]);
    assert_eq!(s.cases().len(), cases.len());
}

#[test]
fn demo_refuses_to_overwrite_a_store_that_is_not_a_demo() {
    let s = TestStore::new();
    s.ok(&[
        "import",
        root().join("tests/data/three.jsonl").to_str().unwrap(),
    ]);
    let err = s.fails(&["demo", "--no-ui"]);
    assert!(err.contains("is not a demo store"), "{err}");
    assert_eq!(s.cases().len(), 3);
}

#[test]
fn the_language_comes_from_the_config_file_unless_given() {
    let s = TestStore::new();
    let home = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(home.path().join("triage")).unwrap();
    std::fs::write(home.path().join("triage/config.toml"), "lang = \"da\"\n").unwrap();
    let run = |args: &[&str]| {
        let out = hermetic(&mut std::process::Command::new(BIN), s.dir.path())
            .args(args)
            .arg("--db")
            .arg(&s.db)
            .env("XDG_CONFIG_HOME", home.path())
            .env("TRIAGE_NOW", NOW)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let da = run(&["report", "ropa"]);
    let en = run(&["report", "ropa", "--lang", "en"]);
    assert!(da.contains("Fortegnelse"), "{}", &da[..200.min(da.len())]);
    assert!(
        en.contains("Record of processing"),
        "{}",
        &en[..200.min(en.len())]
    );
    std::fs::write(home.path().join("triage/config.toml"), "lang = \"fr\"\n").unwrap();
    let out = hermetic(&mut std::process::Command::new(BIN), s.dir.path())
        .args(["report", "ropa", "--db"])
        .arg(&s.db)
        .env("XDG_CONFIG_HOME", home.path())
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("lang must be"),
        "a bad setting is reported"
    );
}

/// Issue 8: `triage bench` prints every figure of the table with its target and a verdict,
/// measured on a store it generates (small here; the figures themselves are for release
/// builds on a real store, see the README).
#[test]
fn bench_prints_every_figure_with_its_target() {
    let dir = tempfile::tempdir().unwrap();
    let keep = dir.path().join("gen");
    let out = hermetic(&mut std::process::Command::new(BIN), dir.path())
        .args(["bench", "--cases", "300", "--keep"])
        .arg(&keep)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{text}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains("300 cases"), "{text}");
    for (figure, target) in [
        (
            "process start to first frame with the queue drawn",
            "≤ 100 ms",
        ),
        ("the same through `triage serve`: process start", "≤ 100 ms"),
        ("navigation keystroke → frame rendered", "≤ 1 ms"),
        ("filter keystroke → results drawn", "≤ 50 ms p50"),
        ("longest frame while a filter runs", "≤ 16 ms"),
        ("bytes written to the terminal for one \"down\"", "≤ 400"),
        ("command commit, transaction + journal fdatasync", "≤ 5 ms"),
        (
            "recovery from the journal (replay, open, verify)",
            "≥ 20,000 events/s",
        ),
        (
            "import from JSON Lines, with detection",
            "≥ 20,000 enquiries/s",
        ),
        (
            "import e-mail from a maildir, with detection",
            "≥ 2,000 messages/s",
        ),
        ("subject lookup for the access report", "≤ 5 ms"),
        ("resident memory with the queue open", "≤ 300 MB"),
        ("archival version: packaging rate", "≥ 5,000 cases/s"),
        ("archival version: the packager's peak memory", "≤ 200 MB"),
        (
            "archival version through triage serve: the server's growth",
            "≤ 200 MB each",
        ),
        (
            "filter as a whole process vs fzf --filter",
            "(side by side)",
        ),
    ] {
        let row = text
            .lines()
            .find(|l| l.contains(figure))
            .unwrap_or_else(|| panic!("no row for {figure}:\n{text}"));
        let cells: Vec<&str> = row.split(" | ").collect();
        assert_eq!(cells.len(), 4, "{row}");
        assert_eq!(cells[1], target, "{row}");
        assert!(cells[2].chars().any(|c| c.is_ascii_digit()), "{row}");
        assert!(
            ["yes |", "NO |", "– |"].contains(&cells[3]),
            "a verdict: {row}"
        );
    }
    // The side by side names both programs and their ratio when fzf is installed (`.ci/run`
    // installs it); without it the row says so and the bench still finishes.
    let row = text.lines().find(|l| l.contains("fzf --filter")).unwrap();
    assert!(
        row.contains("ratio") || row.contains("fzf not installed"),
        "{row}"
    );
    // The generated store is kept for the next run.
    assert!(keep.join("triage-store").exists());
}

/// The head written down (by `audit head` or a backup's manifest) catches a rewrite of the
/// whole chain, which `verify` alone cannot.
#[test]
fn a_recorded_head_catches_a_rewritten_chain() {
    let s = TestStore::new();
    s.ok(&[
        "import",
        root().join("tests/data/three.jsonl").to_str().unwrap(),
    ]);
    let line = s.ok(&["audit", "head"]).trim().to_string();
    assert!(line.starts_with("triage-audit-head seq="), "{line}");
    assert_eq!(line.lines().count(), 1);
    let ok = s.ok(&["audit", "verify", "--against", &line]);
    assert!(ok.contains("extends the recorded head"), "{ok}");
    // A backup carries the same head in its manifest.
    let backup = s.dir.path().join("nightly.backup");
    s.ok(&["backup", backup.to_str().unwrap()]);
    let manifest = std::fs::read_to_string(s.dir.path().join("nightly.backup.manifest")).unwrap();
    assert!(manifest.lines().any(|l| l == line), "{manifest}");
    // Someone with the store files rewrites who did what and re-hashes everything.
    {
        let store = triage::store::Store::open(&s.db).unwrap();
        store
            .tamper_rewrite_chain(|e| e.actor = "mallory".into())
            .unwrap();
    }
    let alone = s.ok(&["audit", "verify"]);
    assert!(alone.contains("audit chain verified"), "{alone}");
    let out = s.run(&["audit", "verify", "--against", &line]);
    assert_eq!(out.status.code(), Some(2));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("does NOT extend the recorded head"), "{text}");
    // A line that is not a head is bad input, said once.
    let err = s.fails(&["audit", "verify", "--against", "seq=3"]);
    assert!(err.contains("--against: not an audit head line"), "{err}");
}

/// TRIAGE_NOW fixes time only on stores made as test or demo stores; on a real store it is
/// refused, so nobody dates a decision by setting a variable.
#[test]
fn triage_now_is_refused_on_a_real_store_and_honoured_on_a_test_store() {
    let dir = tempfile::tempdir().unwrap();
    let policy = common::policy_file(dir.path());
    let real = dir.path().join("real");
    let run = |db: &std::path::Path, args: &[&str], now: Option<&str>| {
        let mut cmd = std::process::Command::new(common::BIN);
        common::hermetic(&mut cmd, &dir.path().join("env"));
        cmd.args(args).arg("--db").arg(db).env_remove("TRIAGE_NOW");
        if let Some(n) = now {
            cmd.env("TRIAGE_NOW", n);
        }
        cmd.output().unwrap()
    };
    // init refuses a fixed time without --test-clock, and creates nothing.
    let out = run(
        &real,
        &["init", "--policy", policy.to_str().unwrap()],
        Some(common::NOW),
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--test-clock"));
    assert!(!real.exists());
    let out = run(&real, &["init", "--policy", policy.to_str().unwrap()], None);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let three = common::root().join("tests/data/three.jsonl");
    let out = run(
        &real,
        &["import", three.to_str().unwrap()],
        Some("2020-01-01T10:00:00+01:00"),
    );
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("keeps real time"), "{err}");
    assert_eq!(err.matches("TRIAGE_NOW").count(), 2, "said once: {err}");
    // A test store takes it.
    let test = dir.path().join("test");
    let out = run(
        &test,
        &["init", "--policy", policy.to_str().unwrap(), "--test-clock"],
        Some(common::NOW),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = run(
        &test,
        &["import", three.to_str().unwrap()],
        Some(common::NOW),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let log = run(&test, &["audit", "log", "--json"], Some(common::NOW));
    let last: serde_json::Value =
        serde_json::from_str(String::from_utf8_lossy(&log.stdout).lines().last().unwrap()).unwrap();
    assert!(
        last["at"]
            .as_str()
            .unwrap()
            .starts_with("2026-11-24T08:00:00"),
        "{last}"
    );
}

/// What the rules refuse is said in the language asked for: `--lang da`, or the config's
/// `lang = "da"`; English otherwise, and `--lang en` over the config.
#[test]
fn the_rules_refuse_in_danish_with_lang_da() {
    let s = TestStore::new();
    s.ok(&[
        "import",
        root().join("tests/data/three.jsonl").to_str().unwrap(),
    ]);
    let r = "2026-000001";
    let withdraw = ["case", r, "withdraw", "9", "--why", "sendt ved en fejl"];
    let err = s.fails(&[&["--lang", "da"], &withdraw[..]].concat());
    assert!(
        err.contains("2026-000001 har ingen videregivelse nr. 9"),
        "{err}"
    );
    assert!(!err.contains("no disclosure"), "{err}");
    let out = s.run(&withdraw);
    assert_eq!(out.status.code(), Some(1), "a refusal, in either language");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no disclosure #9 on 2026-000001"), "{err}");

    // A rule with data of its own: the shortest reason.
    let err = s.fails(&["--lang", "da", "case", r, "hold", "--why", "ret"]);
    assert!(
        err.contains("Retslig tilbageholdelse kræver en begrundelse på mindst 5 tegn"),
        "{err}"
    );
    s.ok(&["case", r, "hold", "--why", "Retssag verserer"]);
    let again = ["case", r, "hold", "--why", "Retssag verserer stadig"];
    let err = s.fails(&again);
    assert!(
        err.contains("the case is already under legal hold"),
        "{err}"
    );

    let config = s.dir.path().join("env/config/triage");
    std::fs::create_dir_all(&config).unwrap();
    std::fs::write(config.join("config.toml"), "lang = \"da\"\n").unwrap();
    let err = s.fails(&again);
    assert!(
        err.contains("Sagen er allerede under retslig tilbageholdelse"),
        "{err}"
    );
    let err = s.fails(&[&again[..], &["--lang", "en"]].concat());
    assert!(
        err.contains("the case is already under legal hold"),
        "{err}"
    );
}

/// `--lang da` governs the command line's words too: the status, the history and what the
/// store refused come from the interface's catalogue.
#[test]
fn show_and_refusals_in_danish_with_lang_da() {
    let s = TestStore::new();
    s.ok(&[
        "import",
        root().join("tests/data/three.jsonl").to_str().unwrap(),
    ]);
    let r = "2026-000001";
    s.ok(&["case", r, "classify", "--confirm", "contact"]);
    let saved = s.ok(&["--lang", "da", "case", r, "note", "Ringet til borgeren."]);
    assert!(saved.starts_with(&format!("gemt {r} (notat,")), "{saved}");

    let en = s.ok(&["show", r]);
    assert!(en.contains("classify") && en.contains("register"), "{en}");
    let da = s.ok(&["show", r, "--lang", "da"]);
    for w in [
        "historik",
        "registreret",
        "klassificeret",
        "notat",
        "ansvarlig",
        "Kontaktoplysninger",
    ] {
        assert!(da.contains(w), "{w} missing:\n{da}");
    }
    let words: Vec<&str> = da
        .split(|c: char| !c.is_alphanumeric() && c != '-')
        .collect();
    for w in [
        "register", "classify", "note", "history", "assignee", "new", "triaged",
    ] {
        assert!(!words.contains(&w), "{w} in Danish:\n{da}");
    }

    // A refusal: a decision on a version since changed.
    let err = s.fails(&[
        "--lang",
        "da",
        "case",
        r,
        "--at-version",
        "1",
        "note",
        "For sent.",
    ]);
    assert!(err.contains("er ændret af"), "{err}");
    assert!(!err.contains("was changed"), "{err}");
    let err = s.fails(&["case", r, "--at-version", "1", "note", "Too late."]);
    assert!(err.contains("was changed by"), "{err}");

    // The config's `lang = "da"` does the same where no --lang is given.
    let config = s.dir.path().join("env/config/triage");
    std::fs::create_dir_all(&config).unwrap();
    std::fs::write(config.join("config.toml"), "lang = \"da\"\n").unwrap();
    assert!(s.ok(&["show", r]).contains("klassificeret"));
    assert!(s.ok(&["show", r, "--lang", "en"]).contains("classify"));
}
