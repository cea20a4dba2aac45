//! The hostile corpus (tests/hostile/ plus large inputs made here): every class is imported
//! with a clear error or shown safely — no control character, escape sequence, bidi control
//! or zero-width character reaches the output, and nothing panics.

mod common;
use common::*;

/// Characters that must never reach a terminal from an enquiry.
fn forbidden(c: char) -> bool {
    let u = c as u32;
    (u < 0x20 && c != '\n')
        || u == 0x7f
        || (0x80..=0x9f).contains(&u)
        || matches!(u, 0x200b..=0x200f | 0x202a..=0x202e | 0x2060..=0x2064 | 0x2066..=0x2069 | 0xfeff | 0x061c | 0x2028 | 0x2029 | 0x00ad)
        || (0xe0000..=0xe007f).contains(&u)
}

fn assert_safe(what: &str, bytes: &[u8]) {
    let text =
        std::str::from_utf8(bytes).unwrap_or_else(|e| panic!("{what}: output is not UTF-8: {e}"));
    if let Some((i, c)) = text.char_indices().find(|(_, c)| forbidden(*c)) {
        let from = text[..i]
            .char_indices()
            .rev()
            .nth(20)
            .map(|(j, _)| j)
            .unwrap_or(0);
        panic!(
            "{what}: U+{:04X} at byte {i} near {:?}",
            c as u32,
            &text[from..i]
        );
    }
}

fn hostile(name: &str) -> String {
    root()
        .join("tests/hostile")
        .join(name)
        .to_str()
        .unwrap()
        .to_string()
}

/// Imports a file that must be accepted and checks every way its cases are shown.
fn import_and_show_safely(s: &TestStore, file: &str) -> usize {
    let out = s.ok(&["import", file]);
    assert_safe("import output", out.as_bytes());
    let cases = s.cases();
    for c in &cases {
        let r = c["reference"].as_str().unwrap();
        for args in [vec!["show", r], vec!["show", r, "--json"]] {
            let out = s.run(&args);
            assert!(
                out.status.success(),
                "{args:?}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            if args.len() == 2 {
                assert_safe(&format!("show {r}"), &out.stdout);
            } else {
                // JSON escapes what it must; decoded strings must still be clean.
                let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
                assert_safe(
                    &format!("show {r} --json (decoded)"),
                    v.to_string().replace("\\n", "\n").as_bytes(),
                );
                for field in [
                    &v["enquiry"]["subject"],
                    &v["enquiry"]["body"],
                    &v["enquiry"]["sender"]["name"],
                ] {
                    assert_safe(
                        &format!("{r} field"),
                        field.as_str().unwrap_or("").as_bytes(),
                    );
                }
            }
        }
    }
    let listed = s.run(&["cases"]);
    assert_safe("cases", &listed.stdout);
    let export = s.run(&["export", "--format", "csv"]);
    assert_safe("export csv", &export.stdout);
    cases.len()
}

#[test]
fn escape_sequences_are_neutralised() {
    let s = TestStore::new();
    assert_eq!(import_and_show_safely(&s, &hostile("escapes.jsonl")), 4);
    let shown = s.ok(&["show", "2026-000001"]);
    assert!(
        shown.contains('\u{fffd}'),
        "a visible placeholder marks what was removed: {shown}"
    );
}

#[test]
fn bidi_overrides_and_isolates_are_neutralised() {
    let s = TestStore::new();
    assert_eq!(import_and_show_safely(&s, &hostile("bidi.jsonl")), 2);
}

#[test]
fn zero_width_characters_are_neutralised() {
    let s = TestStore::new();
    assert_eq!(import_and_show_safely(&s, &hostile("zero_width.jsonl")), 1);
}

#[test]
fn invalid_utf8_in_json_lines_is_refused_with_the_line() {
    let s = TestStore::new();
    let err = s.fails(&["import", &hostile("invalid_utf8.jsonl")]);
    assert!(
        err.contains("invalid_utf8.jsonl:2:") && err.contains("UTF-8"),
        "{err}"
    );
    assert!(s.cases().is_empty());
}

#[test]
fn invalid_utf8_and_escapes_in_an_email_are_shown_safely() {
    let s = TestStore::new();
    assert_eq!(import_and_show_safely(&s, &hostile("escapes.eml")), 1);
}

#[test]
fn odd_dates_are_refused_or_kept_exactly() {
    let s = TestStore::new();
    let err = s.fails(&["import", &hostile("odd_date_feb30.jsonl")]);
    assert!(err.contains("odd_date_feb30.jsonl:1:"), "{err}");
    let err = s.fails(&["import", &hostile("odd_date_no_zone.jsonl")]);
    assert!(err.contains("odd_date_no_zone.jsonl:1:"), "{err}");
    // Mail without a (readable) Date: is registered: the receipt time is the authority's,
    // and the sender's date is noted as it stands.
    assert_eq!(import_and_show_safely(&s, &hostile("no_date.eml")), 1);
    assert_eq!(import_and_show_safely(&s, &hostile("odd_date.eml")), 2);
    let shown = s.ok(&["show", "2026-000002"]);
    assert!(
        shown.contains("sender's Date: `Fri, 31 Feb 2026 25:61:00 +9999` cannot be read"),
        "{shown}"
    );
    // Far past and far future are real dates: kept as written.
    assert_eq!(
        import_and_show_safely(&s, &hostile("odd_date_far_future.jsonl")),
        4
    );
    let refs: Vec<String> = s
        .cases()
        .iter()
        .map(|c| c["reference"].as_str().unwrap().to_string())
        .collect();
    assert!(
        refs.contains(&"9999-000001".to_string()) && refs.contains(&"1900-000001".to_string()),
        "{refs:?}"
    );
}

#[test]
fn a_10_mb_body_is_refused_with_the_limit() {
    let s = TestStore::new();
    let file = s.dir.path().join("huge.jsonl");
    let body = "a".repeat(10 * 1024 * 1024);
    std::fs::write(&file, format!("{{\"received\":\"2026-11-20T10:00:00+01:00\",\"channel\":\"email\",\"sender\":{{\"name\":\"X\"}},\"subject\":\"big\",\"body\":\"{body}\"}}\n")).unwrap();
    let err = s.fails(&["import", file.to_str().unwrap()]);
    assert!(
        err.contains("huge.jsonl:1:") && err.contains("limit"),
        "{err}"
    );
    assert!(s.cases().is_empty());
}

#[test]
fn a_100000_line_body_is_imported_and_shown() {
    let s = TestStore::new();
    let file = s.dir.path().join("lines.jsonl");
    let body: String = (0..100_000).map(|i| format!("line {i}\\n")).collect();
    std::fs::write(&file, format!("{{\"received\":\"2026-11-20T10:00:00+01:00\",\"channel\":\"letter\",\"sender\":{{\"name\":\"X\"}},\"subject\":\"many lines\",\"body\":\"{body}\"}}\n")).unwrap();
    s.ok(&["import", file.to_str().unwrap()]);
    let shown = s.ok(&["show", "2026-000001"]);
    assert!(shown.contains("line 99999"));
    assert_eq!(
        shown.lines().filter(|l| l.starts_with("line ")).count(),
        100_000
    );
}

#[test]
fn deeply_nested_mime_does_not_overflow() {
    let s = TestStore::new();
    let mut mail = String::from("From: deep@example.com\r\nSubject: nested\r\nDate: Fri, 20 Nov 2026 10:00:00 +0100\r\nMessage-ID: <deep@example.com>\r\nMIME-Version: 1.0\r\n");
    let depth = 2000;
    for i in 0..depth {
        mail.push_str(&format!(
            "Content-Type: multipart/mixed; boundary=\"b{i}\"\r\n\r\n--b{i}\r\n"
        ));
    }
    mail.push_str("Content-Type: text/plain\r\n\r\nthe innermost text\r\n");
    for i in (0..depth).rev() {
        mail.push_str(&format!("--b{i}--\r\n"));
    }
    let file = s.dir.path().join("deep.eml");
    std::fs::write(&file, mail).unwrap();
    let out = s.run(&["import", file.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !err.contains("panicked") && !err.contains("overflow"),
        "{err}"
    );
    if out.status.success() {
        assert_eq!(s.cases().len(), 1);
        assert_safe("show", &s.run(&["show", "2026-000001"]).stdout);
    } else {
        assert!(err.contains("deep.eml"), "{err}");
    }
}

#[test]
fn huge_headers_are_refused_with_the_limit() {
    let s = TestStore::new();
    let mail = format!(
        "From: big@example.com\r\nSubject: {}\r\nDate: Fri, 20 Nov 2026 10:00:00 +0100\r\n\r\nbody\r\n",
        "S".repeat(1024 * 1024)
    );
    let file = s.dir.path().join("bighdr.eml");
    std::fs::write(&file, mail).unwrap();
    let err = s.fails(&["import", file.to_str().unwrap()]);
    assert!(err.contains("bighdr.eml") && err.contains("limit"), "{err}");
    let many: String = (0..20_000)
        .map(|i| format!("X-Header-{i}: value\r\n"))
        .collect();
    let mail = format!("From: many@example.com\r\n{many}Subject: many\r\nDate: Fri, 20 Nov 2026 10:00:00 +0100\r\n\r\nbody\r\n");
    let file = s.dir.path().join("manyhdr.eml");
    std::fs::write(&file, mail).unwrap();
    let out = s.run(&["import", file.to_str().unwrap()]);
    assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
}
