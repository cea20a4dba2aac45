//! Every CLI output masks CPR numbers and passes the one sanitiser: cases, show, export, reports, errors, through a pty.

mod common;
use common::*;

/// Characters that must never reach a terminal from outside text.
fn forbidden(c: char) -> bool {
    let u = c as u32;
    (u < 0x20 && c != '\n')
        || u == 0x7f
        || (0x80..=0x9f).contains(&u)
        || matches!(u, 0x200b..=0x200f | 0x202a..=0x202e | 0x2060..=0x2064 | 0x2066..=0x2069 | 0xfeff | 0x061c | 0x2028 | 0x2029 | 0x00ad)
        || (0xe0000..=0xe007f).contains(&u)
}

/// Fails with where the first forbidden character stands. The pty's own `\r\n` is allowed.
fn assert_clean(what: &str, raw: &[u8]) {
    let text = String::from_utf8_lossy(raw).replace("\r\n", "\n");
    if let Some((i, c)) = text.char_indices().find(|(_, c)| forbidden(*c)) {
        let from = text[..i]
            .char_indices()
            .rev()
            .nth(40)
            .map(|(j, _)| j)
            .unwrap_or(0);
        panic!("{what}: U+{:04X} near {:?}", c as u32, &text[from..i]);
    }
}

/// The hostile corpus: every string in tests/hostile/*.jsonl (subjects, bodies, names,
/// attachments) that carries something to neutralise.
fn payloads() -> Vec<String> {
    let mut out = Vec::new();
    for file in ["escapes.jsonl", "bidi.jsonl", "zero_width.jsonl"] {
        let text = std::fs::read_to_string(root().join("tests/hostile").join(file)).unwrap();
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            let mut strings = vec![
                v["subject"].clone(),
                v["body"].clone(),
                v["sender"]["name"].clone(),
            ];
            strings.extend(v["attachments"].as_array().cloned().unwrap_or_default());
            for s in strings.iter().filter_map(|s| s.as_str()) {
                if s.chars().any(forbidden) {
                    out.push(s.to_string());
                }
            }
        }
    }
    assert!(out.len() >= 12, "the corpus has shrunk: {}", out.len());
    out
}

const CPR: &str = "070761-4285";

/// A store with one case whose subject, body and sender carry CPR numbers in the awkward
/// forms too.
fn store_with_cprs() -> TestStore {
    let s = TestStore::new();
    let file = s.dir.path().join("cpr.jsonl");
    std::fs::write(
        &file,
        format!(
            "{}\n",
            serde_json::json!({
                "received": "2026-11-20T10:00:00+01:00",
                "channel": "email",
                "sender": {"name": "Kim 0707614285", "cpr": CPR},
                "subject": format!("Sag om {CPR}, A0707614285 og +45 0707614285"),
                "body": "Mit nummer: 0707614285.",
                "language": "da",
                "purpose": "citizen-enquiries"
            })
        ),
    )
    .unwrap();
    s.ok(&["import", file.to_str().unwrap()]);
    s
}

fn no_serial(what: &str, text: &str) {
    assert!(!text.contains("4285"), "{what} shows a CPR serial:\n{text}");
}

#[test]
fn every_cli_output_masks_cpr_numbers_in_subjects_notes_and_reasons() {
    let s = store_with_cprs();
    let r = "2026-000001";
    s.ok(&["case", r, "note", &format!("Ringede, CPR {CPR} bekræftet")]);
    s.ok(&["case", r, "hold", "--why", "retssag om A0707614285"]);
    s.ok(&["case", r, "restrict", "--why", &format!("beskyttet: {CPR}")]);
    for args in [
        vec!["cases"],
        vec!["cases", "--json"],
        vec!["show", r],
        vec!["show", r, "--json"],
        vec!["export"],
        vec!["export", "--format", "csv"],
        vec!["report", "deadlines"],
        vec!["report", "deadlines", "--format", "json"],
    ] {
        let out = s.ok(&args);
        no_serial(&format!("{args:?}"), &out);
    }
    let shown = s.ok(&["show", r]);
    assert!(shown.contains("070761-XXXX"), "{shown}");
    assert!(
        shown.contains("LEGAL HOLD") && shown.contains("RESTRICTED"),
        "{shown}"
    );
    // The reader who must see them asks for it, and that is logged as a reveal.
    let before = s.ok(&["audit", "log"]);
    let revealed = s.ok(&["export", "--reveal"]);
    assert!(revealed.contains("0707614285"), "{revealed}");
    let after = s.ok(&["audit", "log"]);
    assert!(
        after.matches("reveal").count() > before.matches("reveal").count(),
        "the reveal is in the log:\n{after}"
    );
}

#[test]
fn the_hostile_corpus_reaches_no_cli_surface_through_a_pty() {
    let s = store_with_cprs();
    let r = "2026-000001";
    let all = payloads();
    for p in &all {
        s.ok(&["case", r, "note", p]);
    }
    let joined = all.join(" | ");
    s.ok(&["case", r, "hold", "--why", &joined]);
    s.ok(&["case", r, "restrict", "--why", &joined]);
    // Files whose content an error quotes: an unknown variant, a bad field.
    let bad = s.dir.path().join("bad.jsonl");
    let mut surfaces: Vec<Vec<String>> = [
        vec!["cases"],
        vec!["cases", "--json"],
        vec!["show", r],
        vec!["show", r, "--json"],
        vec!["export"],
        vec!["export", "--format", "csv"],
        vec!["audit", "log"],
        vec!["report", "deadlines"],
        vec!["report", "deadlines", "--format", "json"],
        vec!["import", bad.to_str().unwrap()],
    ]
    .iter()
    .map(|a| a.iter().map(|x| x.to_string()).collect())
    .collect();
    for p in &all {
        // Arguments echoed in errors: ours and clap's.
        surfaces.push(vec!["show".into(), p.clone()]);
        surfaces.push(vec!["case".into(), p.clone(), "note".into(), "x".into()]);
        surfaces.push(vec!["cases".into(), "--status".into(), p.clone()]);
        surfaces.push(vec![format!("--{p}")]);
        surfaces.push(vec!["case".into(), r.into(), p.clone()]);
    }
    let mut lines = String::new();
    for p in std::iter::once(&"\u{1b}]0;pwned\u{7}".to_string()).chain(&all) {
        lines.push_str(
            &serde_json::json!({
                "received": "2026-11-20T10:00:00+01:00",
                "channel": p,
                "sender": {"name": "X"},
                "subject": "s",
                "body": "b"
            })
            .to_string(),
        );
        lines.push('\n');
    }
    std::fs::write(&bad, lines).unwrap();
    for args in &surfaces {
        let a: Vec<&str> = args.iter().map(String::as_str).collect();
        let (raw, _) = s.pty(&a);
        assert!(!raw.is_empty(), "{a:?} said nothing");
        assert_clean(&format!("{a:?}"), &raw);
        no_serial(&format!("{a:?}"), &String::from_utf8_lossy(&raw));
    }
    // The errors did quote the culprit, with a visible placeholder where a control stood.
    let (raw, ok) = s.pty(&["import", bad.to_str().unwrap()]);
    let text = String::from_utf8_lossy(&raw);
    assert!(!ok && text.contains("bad.jsonl:1:"), "{text}");
    // The field's value is quoted as JSON writes it: the escape visible as `\u001b`, inert.
    assert!(
        text.contains(r#"bad.jsonl:1: "channel": "\u001b]0;pwned\u0007" is not one of"#),
        "the escape sequence is quoted inert, as JSON escapes: {text}"
    );
    let (raw, ok) = s.pty(&["show", "2026-\u{1b}]0;pwned\u{7}1"]);
    let text = String::from_utf8_lossy(&raw);
    assert!(!ok && text.contains("2026-\u{fffd}1"), "{text}");
}

/// § 36 through the CLI: received Friday 13 November 2026, so "today" (24 November) is
/// day 7 (the delay letter is due now, not tomorrow) and the § 39 date is 3 December.
#[test]
fn section_36_shows_the_letter_on_day_7_the_section_39_date_and_refuses_a_pause() {
    let s = TestStore::new();
    let file = s.dir.path().join("aktindsigt.jsonl");
    std::fs::write(
        &file,
        format!(
            "{}\n",
            serde_json::json!({
                "received": "2026-11-13T10:00:00+01:00",
                "channel": "email",
                "sender": {"name": "Journalist"},
                "subject": "Aktindsigt",
                "body": "Jeg beder om aktindsigt.",
                "language": "da",
                "purpose": "access-to-documents"
            })
        ),
    )
    .unwrap();
    s.ok(&["import", file.to_str().unwrap()]);
    let r = "2026-000001";
    let shown = s.ok(&["show", r]);
    assert!(shown.contains("due       2026-11-24"), "{shown}");
    assert!(shown.contains("letter with reasons"), "{shown}");
    assert!(shown.contains("§ 39      2026-12-03"), "{shown}");
    let report = s.ok(&["report", "deadlines"]);
    assert!(
        report.contains("§ 39 complaint date 2026-12-03"),
        "{report}"
    );
    let json = s.ok(&["report", "deadlines", "--format", "json"]);
    assert!(
        json.contains("\"complaint_date\": \"2026-12-03\""),
        "{json}"
    );
    let err = s.fails(&["case", r, "pause", "--why", "waiting for identity papers"]);
    assert!(
        err.contains("access to documents cannot be paused") && err.lines().count() == 1,
        "{err}"
    );
    // In Danish: the notes beside the deadline, the § 39 line and the refusal.
    let da = s.ok(&["show", r, "--lang", "da"]);
    for said in [
        "svarfrist 2026-11-24",
        "ansøgeren skal have en underretning med begrundelse",
        "(offentlighedslovens § 36)",
        "§ 39      2026-12-03 (klage over sagsbehandlingstiden er mulig efter 14 arbejdsdage)",
    ] {
        assert!(da.contains(said), "{said}:\n{da}");
    }
    for english in ["letter with reasons", "complaint", "working days"] {
        assert!(!da.contains(english), "{english}:\n{da}");
    }
    let err = s.fails(&[
        "--lang",
        "da",
        "case",
        r,
        "pause",
        "--why",
        "venter på identitetspapirer",
    ]);
    assert!(
        err.contains("Fristen for en anmodning om aktindsigt kan ikke sættes på pause")
            && err.lines().count() == 1,
        "{err}"
    );
}

/// The day of receipt the CLI shows and counts from is the Copenhagen day.
#[test]
fn the_cli_shows_the_danish_day_of_receipt() {
    let s = TestStore::new();
    let file = s.dir.path().join("tokyo.jsonl");
    std::fs::write(
        &file,
        format!(
            "{}\n",
            serde_json::json!({
                "received": "2026-03-10T05:30:00+09:00",
                "channel": "email",
                "sender": {"name": "Sender in Tokyo"},
                "subject": "Indsigt",
                "body": "Hvad har I om mig?",
                "language": "da"
            })
        ),
    )
    .unwrap();
    s.ok(&["import", file.to_str().unwrap()]);
    let listed = s.ok(&["cases"]);
    assert!(listed.contains("2026-000001  2026-03-09"), "{listed}");
    let shown = s.ok(&["show", "2026-000001"]);
    assert!(shown.contains("(Danish day 2026-03-09)"), "{shown}");
}

#[test]
fn error_messages_mask_a_cpr_number_they_quote() {
    let s = store_with_cprs();
    // A CPR number in the wrong field of an import, through each kind of refused value.
    for (field, value) in [
        ("received", "070761-4285"),
        ("channel", "fax 0707614285"),
        ("language", "xx 070761-4285"),
        ("right", "0707614285"),
    ] {
        let mut record = serde_json::json!({
            "received": "2026-11-20T10:00:00+01:00", "channel": "email",
            "sender": {"name": "Kim"}, "subject": "Hej", "body": "Hej", "language": "da"
        });
        record[field] = serde_json::Value::from(value);
        let file = s.dir.path().join(format!("bad-{field}.jsonl"));
        std::fs::write(&file, format!("{record}\n")).unwrap();
        for lang in ["en", "da"] {
            let err = s.fails(&["--lang", lang, "import", file.to_str().unwrap()]);
            assert!(err.contains(&format!("\"{field}\"")), "{err}");
            no_serial(&format!("import with {field} in {lang}"), &err);
        }
    }
    // A mistyped number in sender.cpr is not quoted at all.
    let file = s.dir.path().join("bad-cpr.jsonl");
    std::fs::write(
        &file,
        format!(
            "{}\n",
            serde_json::json!({
                "received": "2026-11-20T10:00:00+01:00", "channel": "email",
                "sender": {"name": "Kim", "cpr": "0707614285x"}, "subject": "Hej",
                "body": "Hej", "language": "da"
            })
        ),
    )
    .unwrap();
    let err = s.fails(&["import", file.to_str().unwrap()]);
    assert!(err.contains("sender.cpr"), "{err}");
    no_serial("sender.cpr", &err);
    // A CPR number given where a reference or a login belongs.
    for args in [
        vec!["show", "070761-4285"],
        vec!["case", "2026-000001", "assign", "0707614285"],
        vec!["--lang", "da", "show", "070761-4285"],
    ] {
        let err = s.fails(&args);
        no_serial(&format!("{args:?}"), &err);
    }
}
