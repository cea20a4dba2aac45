//! Mail as it really comes: the odd-message corpus in tests/mail/, batches and quarantine.

mod common;

use chrono::{DateTime, Utc};
use common::{root, TestStore};
use std::path::{Path, PathBuf};
use triage::import::{read_file, FileRead};

fn corpus(name: &str) -> PathBuf {
    root().join("tests/mail").join(name)
}

fn now() -> DateTime<Utc> {
    common::NOW.parse().unwrap()
}

fn read(name: &str) -> FileRead {
    read_file(&corpus(name), now()).unwrap()
}

/// What one message of the corpus must register as.
struct Want {
    file: &'static str,
    /// The receipt instant, in UTC.
    received: &'static str,
    name: &'static str,
    email: Option<&'static str>,
    subject: &'static str,
    text: &'static [&'static str],
    attachments: &'static [&'static str],
    /// A flag the caseworker must see, if any.
    flag: Option<&'static str>,
}

const fn want(file: &'static str, received: &'static str, name: &'static str) -> Want {
    Want {
        file,
        received,
        name,
        email: None,
        subject: "",
        text: &[],
        attachments: &[],
        flag: None,
    }
}

fn corpus_wants() -> Vec<Want> {
    vec![
        Want {
            email: Some("hanne@example.dk"),
            subject: "Ingen dato",
            text: &["Jeg har ikke fået svar."],
            ..want("no_date.eml", "2026-11-24T09:15:00Z", "Hanne Holm")
        },
        Want {
            subject: "Old client",
            text: &["Written long ago."],
            ..want(
                "obsolete_date.eml",
                "2026-11-24T09:16:00Z",
                "old@example.com",
            )
        },
        // CET read as +01:00: 00:30 CET on 25 November is 23:30 UTC on the 24th.
        Want {
            subject: "Named zone",
            ..want("named_zone.eml", "2026-11-24T23:30:00Z", "Ole Berg")
        },
        Want {
            email: Some("postkasse@kommune.example"),
            flag: Some("sender taken from Sender:"),
            ..want(
                "no_from_sender.eml",
                "2026-11-24T09:17:00Z",
                "Kommune Postkasse",
            )
        },
        Want {
            email: Some("bounce@mailer.example"),
            flag: Some("sender taken from the envelope"),
            ..want(
                "from_empty.eml",
                "2026-11-24T09:18:00Z",
                "bounce@mailer.example",
            )
        },
        Want {
            subject: "Anonym henvendelse",
            flag: Some("no sender address"),
            ..want(
                "undisclosed.eml",
                "2026-11-24T09:19:00Z",
                "(unknown sender)",
            )
        },
        Want {
            subject: "BOM first",
            ..want("bom.eml", "2026-11-24T09:20:00Z", "Bo Mark")
        },
        Want {
            subject: "Spørgsmål om æøå",
            text: &["Spørgsmål om æ, ø og å."],
            ..want("utf7.eml", "2026-11-24T09:21:00Z", "Seven")
        },
        Want {
            subject: "テストメール",
            text: &["こんにちは、日本から。"],
            ..want("iso2022jp.eml", "2026-11-24T09:22:00Z", "Sender")
        },
        Want {
            subject: "お問い合わせ",
            text: &["個人情報について質問があります。"],
            ..want("shift_jis.eml", "2026-11-24T09:22:00Z", "Sender")
        },
        Want {
            subject: "查詢",
            text: &["您好，我想查詢我的資料。"],
            ..want("big5.eml", "2026-11-24T09:22:00Z", "Sender")
        },
        Want {
            subject: "Spørgsmål om min sag",
            text: &["Hej, jeg hedder Søren Øberg og bor på Ærø."],
            ..want("latin1_headers.eml", "2026-11-24T09:23:00Z", "Søren Øberg")
        },
        Want {
            subject: "ætøå spørgsmål",
            ..want("split_words.eml", "2026-11-24T09:24:00Z", "Søren Øberg")
        },
        Want {
            email: Some("first@example.dk"),
            flag: Some("the first is used"),
            ..want("duplicate_from.eml", "2026-11-24T09:25:00Z", "First Person")
        },
        Want {
            subject: "HTML only",
            text: &[
                "Hello,\n\nYou have my papers.\nSecond line.",
                "First item\n",
                "Second item",
                "010190-1234",
            ],
            ..want("html_table.eml", "2026-11-24T09:26:00Z", "Html Only")
        },
        Want {
            text: &["See the forwarded message."],
            attachments: &[
                "(unnamed message/rfc822: The original)",
                "(unnamed application/octet-stream, 6 bytes)",
                "ansoegning.pdf",
            ],
            ..want("unnamed_parts.eml", "2026-11-24T09:27:00Z", "Parts")
        },
        // No Received:, a Date: in 2099: received at the import, flagged, 2099 unused.
        Want {
            subject: "From the future",
            flag: Some("in the future; not used"),
            ..want("future_date.eml", "2026-11-24T08:00:00Z", "Future")
        },
        Want {
            subject: "Saved as .msg",
            ..want("rfc5322.msg", "2026-11-24T09:32:00Z", "msg@example.dk")
        },
        Want {
            subject: "No extension",
            ..want("no_extension", "2026-11-24T09:33:00Z", "plain@example.dk")
        },
        Want {
            email: Some("attacker@evil.example"),
            ..want(
                "display_name_address.eml",
                "2026-11-24T09:34:00Z",
                "borger.jensen@example.dk",
            )
        },
    ]
}

#[test]
fn every_odd_message_registers_with_its_receipt_sender_subject_text_and_parts() {
    for w in corpus_wants() {
        let r = read(w.file);
        assert!(r.refused.is_empty(), "{}: {:?}", w.file, r.refused);
        assert_eq!(r.records.len(), 1, "{}", w.file);
        let rec = &r.records[0];
        let e = &rec.enquiry;
        let at = |s: &str| s.parse::<DateTime<Utc>>().unwrap();
        assert_eq!(e.received.with_timezone(&Utc), at(w.received), "{}", w.file);
        assert_eq!(e.sender.name, w.name, "{}", w.file);
        if let Some(m) = w.email {
            assert_eq!(e.sender.email.as_deref(), Some(m), "{}", w.file);
        }
        if !w.subject.is_empty() {
            assert_eq!(e.subject, w.subject, "{}", w.file);
        }
        for t in w.text {
            assert!(e.body.contains(t), "{}: {t:?} not in {:?}", w.file, e.body);
        }
        assert!(!e.body.contains('\u{FFFD}'), "{}: {:?}", w.file, e.body);
        assert!(!e.subject.contains('\u{FFFD}'), "{}", w.file);
        assert_eq!(e.attachments, w.attachments, "{}", w.file);
        match w.flag {
            Some(f) => assert!(
                rec.flags.iter().any(|x| x.contains(f)) && rec.source.contains(f),
                "{}: {f:?} not in {:?}",
                w.file,
                rec.flags
            ),
            None => assert!(rec.flags.is_empty(), "{}: {:?}", w.file, rec.flags),
        }
    }
}

#[test]
fn the_senders_date_is_kept_as_information_only() {
    let r = read("obsolete_date.eml");
    assert!(
        r.records[0]
            .source
            .contains("sender's Date: 1995-12-20 19:59 -06:00"),
        "{}",
        r.records[0].source
    );
    let r = read("named_zone.eml");
    assert!(r.records[0].source.contains("2026-11-24 22:10 +02:00"));
}

#[test]
fn an_unescaped_from_line_does_not_split_a_message() {
    let r = read("unescaped_from.mbox");
    assert_eq!(r.records.len(), 2);
    let body = &r.records[0].enquiry.body;
    assert!(body.contains("From next month I live in Aarhus."), "{body}");
    assert!(body.contains("is how my mail begins."), "{body}");
    assert_eq!(r.records[1].enquiry.subject, "Second");
}

#[test]
fn a_bad_message_is_named_by_file_and_number() {
    let r = read("long_subject.mbox");
    assert_eq!(r.records.len(), 2);
    assert_eq!(r.refused.len(), 1);
    assert_eq!(r.refused[0].what, "message 2");
    assert!(r.refused[0]
        .reason
        .to_string()
        .contains("subject is 5000 bytes"));
    let err = r.whole().unwrap_err().to_string();
    assert!(err.contains("long_subject.mbox: message 2:"), "{err}");
}

#[test]
fn a_cpr_number_in_an_html_table_cell_is_detected() {
    let s = TestStore::new();
    s.ok(&["import", corpus("html_table.eml").to_str().unwrap()]);
    let v = s.json(&["show", "2026-000001", "--json"]);
    let suggestions = v["suggestions"].to_string();
    assert!(suggestions.contains("cpr"), "{suggestions}");
    let body = v["enquiry"]["body"].as_str().unwrap();
    assert!(!body.contains("010190-1234"), "masked: {body}");
}

#[test]
fn shared_message_ids_are_flagged_and_true_duplicates_named() {
    let s = TestStore::new();
    let out = s.ok(&["import", corpus("shared_message_id.mbox").to_str().unwrap()]);
    assert!(
        out.contains("2 registered, 1 already in the store"),
        "{out}"
    );
    assert!(
        out.contains("message 2: registered as 2026-000002, possible duplicate of 2026-000001"),
        "{out}"
    );
    assert!(
        out.contains("message 3: already in the store as 2026-000001"),
        "{out}"
    );
    let shown = s.ok(&["show", "2026-000002"]);
    assert!(
        shown.contains("DUPLICATE? the same Message-ID as 2026-000001"),
        "{shown}"
    );
    let da = s.ok(&["show", "2026-000002", "--lang", "da"]);
    assert!(
        da.contains("DUBLET? samme Message-ID som 2026-000001, men med andet indhold"),
        "{da}"
    );
    assert!(!da.contains("DUPLICATE"), "{da}");
    // The same message without a Message-ID, as .eml and inside an mbox: one case.
    s.ok(&["import", corpus("no_message_id.mbox").to_str().unwrap()]);
    let out = s.ok(&["import", corpus("no_message_id.eml").to_str().unwrap()]);
    assert!(
        out.contains("0 registered, 1 already in the store"),
        "{out}"
    );
}

#[test]
fn show_gives_the_address_beside_a_display_name_and_the_future_date_flag() {
    let s = TestStore::new();
    for f in ["display_name_address.eml", "future_date.eml"] {
        s.ok(&["import", corpus(f).to_str().unwrap()]);
    }
    let shown = s.ok(&["show", "2026-000001"]);
    assert!(
        shown.contains("from      borger.jensen@example.dk"),
        "{shown}"
    );
    assert!(
        shown.contains("address   <attacker@evil.example>"),
        "{shown}"
    );
    // A Date: in 2099 does not make the reference year.
    let shown = s.ok(&["show", "2026-000002"]);
    assert!(shown.contains("is in the future; not used"), "{shown}");
}

#[test]
fn one_bad_file_refuses_only_itself() {
    let s = TestStore::new();
    let bad = corpus("long_subject.mbox");
    let good = corpus("no_date.eml");
    let out = s.run(&["import", bad.to_str().unwrap(), good.to_str().unwrap()]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("long_subject.mbox: refused, nothing from this file was imported"),
        "{err}"
    );
    assert!(
        err.contains("long_subject.mbox: message 2: subject is 5000 bytes"),
        "{err}"
    );
    let out = String::from_utf8_lossy(&out.stdout);
    assert!(out.contains("no_date.eml: 1 registered"), "{out}");
    assert_eq!(s.cases().len(), 1);
}

/// A maildir of `good` plain messages with bad ones at the given positions.
fn maildir(dir: &Path, total: usize, bad: &[usize]) {
    std::fs::create_dir_all(dir.join("cur")).unwrap();
    std::fs::create_dir_all(dir.join("new")).unwrap();
    for i in 1..=total {
        let text = if bad.contains(&i) {
            format!(
                "From: bad{i}@example.dk\r\nSubject: {}\r\nMessage-ID: <bad{i}@example.dk>\r\n\r\nbad\r\n",
                "x".repeat(5000)
            )
        } else {
            format!(
                "Received: from mx by mail.authority.example; Mon, 23 Nov 2026 10:00:00 +0100\r\nFrom: Borger {i} <borger{i}@example.dk>\r\nSubject: Henvendelse {i}\r\nMessage-ID: <good{i}@example.dk>\r\n\r\nTekst {i}\r\n"
            )
        };
        std::fs::write(dir.join("new").join(format!("{i:04}.host:2,")), text).unwrap();
    }
}

#[test]
fn a_maildir_with_three_bad_messages_names_them_all_and_quarantines_them() {
    let s = TestStore::new();
    let dir = s.dir.path().join("inbox");
    maildir(&dir, 100, &[7, 50, 93]);
    let err = s.fails(&["import", dir.to_str().unwrap()]);
    for n in [
        "message 7 (0007.host:2,)",
        "message 50 (0050.host:2,)",
        "message 93 (0093.host:2,)",
    ] {
        assert!(err.contains(n), "{n} not in {err}");
    }
    assert!(
        err.contains("3 of 100 records cannot be registered"),
        "{err}"
    );
    assert!(s.cases().is_empty());

    let q = s.dir.path().join("quarantine");
    let out = s.ok(&[
        "import",
        dir.to_str().unwrap(),
        "--quarantine",
        q.to_str().unwrap(),
    ]);
    assert!(
        out.contains("97 registered, 0 already in the store, 3 refused"),
        "{out}"
    );
    assert_eq!(s.cases().len(), 97);
    let mut set_aside: Vec<String> = std::fs::read_dir(&q)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    set_aside.sort();
    assert_eq!(
        set_aside,
        [
            "inbox.message-50.eml",
            "inbox.message-50.reason.txt",
            "inbox.message-7.eml",
            "inbox.message-7.reason.txt",
            "inbox.message-93.eml",
            "inbox.message-93.reason.txt",
        ]
    );
    let reason = std::fs::read_to_string(q.join("inbox.message-7.reason.txt")).unwrap();
    assert!(reason.contains("subject is 5000 bytes"), "{reason}");
    let kept = std::fs::read(q.join("inbox.message-7.eml")).unwrap();
    assert!(kept.starts_with(b"From: bad7@example.dk"));
}

#[test]
fn an_over_long_subject_no_longer_blocks_an_mbox_with_quarantine() {
    let s = TestStore::new();
    let q = s.dir.path().join("q");
    let out = s.ok(&[
        "import",
        corpus("long_subject.mbox").to_str().unwrap(),
        "--quarantine",
        q.to_str().unwrap(),
    ]);
    assert!(out.contains("2 registered"), "{out}");
    assert!(q.join("long_subject.mbox.message-2.eml").exists());
}

#[test]
fn without_received_a_maildir_message_is_received_when_delivered() {
    let dir = tempfile::tempdir().unwrap();
    let inbox = dir.path().join("inbox");
    std::fs::create_dir_all(inbox.join("new")).unwrap();
    let file = inbox.join("new").join("1.host:2,");
    std::fs::write(
        &file,
        "Date: Thu, 01 Jan 2099 10:00:00 +0100\r\nFrom: a@example.dk\r\nSubject: late\r\n\r\nx\r\n",
    )
    .unwrap();
    let delivered: DateTime<Utc> = "2026-11-20T23:30:00Z".parse().unwrap();
    std::fs::File::options()
        .write(true)
        .open(&file)
        .unwrap()
        .set_modified(delivered.into())
        .unwrap();
    let r = read_file(&inbox, now()).unwrap();
    let e = &r.records[0].enquiry;
    assert_eq!(e.received.with_timezone(&Utc), delivered);
    // 00:30 on 21 November in Copenhagen: the Danish day of delivery.
    assert_eq!(e.received.to_rfc3339(), "2026-11-21T00:30:00+01:00");
    assert!(r.records[0]
        .flags
        .iter()
        .any(|f| f.contains("delivered to the maildir")));
}

/// Stops the server it holds when dropped, whatever the test's outcome.
struct Server(std::process::Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn through_the_server_the_summary_and_quarantine_are_the_same() {
    let s = TestStore::new();
    let dir = s.dir.path().join("inbox");
    maildir(&dir, 20, &[4, 17]);
    let socket = triage::server::default_socket(&s.db);
    let log = std::fs::File::create(s.dir.path().join("serve.log")).unwrap();
    let mut server = Server(
        std::process::Command::new(common::BIN)
            .args(["serve", "--db"])
            .arg(&s.db)
            .env("TRIAGE_NOW", common::NOW)
            .env_remove("TRIAGE_POLICY")
            .env_remove("TRIAGE_DB")
            .env_remove("TRIAGE_SERVER")
            .stdout(std::process::Stdio::null())
            .stderr(log)
            .spawn()
            .unwrap(),
    );
    let start = std::time::Instant::now();
    while std::os::unix::net::UnixStream::connect(&socket).is_err() {
        assert!(server.0.try_wait().unwrap().is_none(), "the server exited");
        assert!(start.elapsed().as_secs() < 20, "the server did not listen");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let err = s.fails(&["import", dir.to_str().unwrap()]);
    assert!(err.contains("message 4 (0004.host:2,)"), "{err}");
    assert!(err.contains("message 17 (0017.host:2,)"), "{err}");
    let q = s.dir.path().join("q");
    let out = s.ok(&[
        "import",
        dir.to_str().unwrap(),
        "--quarantine",
        q.to_str().unwrap(),
    ]);
    assert!(
        out.contains("18 registered, 0 already in the store, 2 refused"),
        "{out}"
    );
    let again = s.ok(&[
        "import",
        dir.to_str().unwrap(),
        "--quarantine",
        q.to_str().unwrap(),
    ]);
    assert!(
        again.contains("0 registered, 18 already in the store"),
        "{again}"
    );
    assert!(
        again.contains("message 20 (0020.host:2,): already in the store as 2026-000018"),
        "{again}"
    );
    assert_eq!(s.cases().len(), 18);
}

#[test]
fn a_folder_of_saved_messages_is_read_message_by_message() {
    // As the README's set-up does: `triage import mail/` on the shipped sample folder,
    // which holds .eml files, an mbox and a maildir side by side.
    let s = TestStore::new();
    let folder = s.dir.path().join("mail");
    let sample = root().join("demo-data/mail");
    let copy = |from: &Path, to: &Path| {
        std::process::Command::new("cp")
            .arg("-r")
            .arg(from)
            .arg(to)
            .status()
            .unwrap()
    };
    assert!(copy(&sample, &folder).success());
    std::fs::write(folder.join(".hidden"), "not a message").unwrap();
    let out = s.ok(&["import", folder.to_str().unwrap()]);
    for name in ["plain-da.eml", "sample.mbox", "maildir"] {
        assert!(out.contains(name), "{name} not named in {out}");
    }
    assert!(!out.contains(".hidden"), "{out}");
    // Four saved messages, a maildir of two and an mbox of three, each file on its own.
    for (file, n) in [
        ("attachment-pdf.eml", 1),
        ("multipart-alternative-en.eml", 1),
        ("plain-da.eml", 1),
        ("quoted-printable-da.eml", 1),
        ("maildir", 2),
        ("sample.mbox", 3),
    ] {
        let line = format!("{file}: {n} registered");
        assert!(out.contains(&line), "{line} not in {out}");
    }
    let expected = 9;
    assert_eq!(s.cases().len(), expected, "{out}");

    // An empty folder is refused by its name.
    let empty = s.dir.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    let err = s.fails(&["import", empty.to_str().unwrap()]);
    assert!(err.contains("empty"), "{err}");
}
