//! Full-text search end to end: Danish and English forms, the query language, notes and
//! erasure keeping the index in step, a rebuild, the server, and CPR masking in snippets.

mod common;
use common::*;
use std::path::Path;
use std::process::{Child, Command, Stdio};

const ENQUIRIES: &str = r#"{"received":"2026-11-20T10:00:00+01:00","channel":"email","sender":{"name":"Søren Ødegård","email":"soren@example.dk"},"subject":"Nattevagter på plejehjemmet","body":"Jeg arbejder som nattevagt og har fået afslag på opholdstilladelse. Min kollega Maja Krogh 010203-1234 har det samme problem med partshøringen.","language":"da","message_id":"<s1@example.dk>"}
{"received":"2026-11-21T11:30:00+01:00","channel":"email","sender":{"name":"Alice Brown","email":"alice@example.com"},"subject":"Kidney transplant and residence","body":"My husband received a kidney transplant in Aarhus last year. Can he stay while he recovers from the transplants?","language":"en","message_id":"<s2@example.com>"}
{"received":"2026-11-22T09:15:00+01:00","channel":"letter","sender":{"name":"Bent Holm"},"subject":"Partshøringer i min sag","body":"Jeg har modtaget to partshøringer om zyxwvkvist. Hvornår får jeg svar?","attachments":["bilag-zyxwvkvist.pdf"],"language":"da","message_id":"<s3@example.dk>"}
"#;

fn seeded() -> TestStore {
    let s = TestStore::new();
    let file = s.dir.path().join("search.jsonl");
    std::fs::write(&file, ENQUIRIES).unwrap();
    s.ok(&["import", file.to_str().unwrap()]);
    s
}

/// The references `triage search QUERY --json` lists, best first.
fn found(s: &TestStore, query: &str) -> Vec<String> {
    s.ok(&["search", query, "--json"])
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            v["reference"].as_str().unwrap().to_string()
        })
        .collect()
}

fn files_contain(dir: &Path, needle: &[u8]) -> Vec<String> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(files_contain(&p, needle));
        } else if std::fs::read(&p)
            .unwrap()
            .windows(needle.len())
            .any(|w| w == needle)
        {
            out.push(p.display().to_string());
        }
    }
    out
}

const SOREN: &str = "2026-000001";
const ALICE: &str = "2026-000002";
const BENT: &str = "2026-000003";

#[test]
fn danish_and_english_forms_find_each_other() {
    let s = seeded();
    assert_eq!(found(&s, "nattevagt"), vec![SOREN]);
    assert_eq!(found(&s, "soren"), vec![SOREN]);
    assert_eq!(found(&s, "Odegaard"), vec![SOREN]);
    let both = found(&s, "partshøring");
    assert_eq!(both.len(), 2, "{both:?}");
    assert!(both.contains(&SOREN.to_string()) && both.contains(&BENT.to_string()));
    // Best first: Bent's case says it in the subject and the body.
    assert_eq!(both[0], BENT);
    assert_eq!(found(&s, "transplant"), vec![ALICE]);
    assert_eq!(found(&s, "recovering"), vec![ALICE]);
    assert!(found(&s, "elefant").is_empty());
}

#[test]
fn phrases_exclusions_and_fields() {
    let s = seeded();
    assert_eq!(found(&s, "\"kidney transplant\""), vec![ALICE]);
    assert!(found(&s, "\"transplant kidney\"").is_empty());
    assert_eq!(found(&s, "partshøring -nattevagt"), vec![BENT]);
    // A word left out is not marked in a snippet that holds it.
    let out = s.ok(&["search", "afslag -subject:zyxwvkvist"]);
    assert!(out.contains("[afslag]"), "{out}");
    let out = s.ok(&["search", "nattevagt -subject:afslag"]);
    assert!(
        out.contains("[nattevagt]") && !out.contains("[afslag]"),
        "{out}"
    );
    assert_eq!(found(&s, "subject:nattevagter"), vec![SOREN]);
    assert!(found(&s, "subject:afslag").is_empty());
    assert_eq!(found(&s, "from:holm"), vec![BENT]);
    assert_eq!(found(&s, "attachment:bilag"), vec![BENT]);
    assert_eq!(
        s.ok(&["search", "partshøring", "--json", "--limit", "1"])
            .lines()
            .count(),
        1
    );
}

#[test]
fn bad_queries_say_what_is_wrong_and_empty_ones_list_nothing() {
    let s = seeded();
    let err = s.fails(&["search", "\"kidney transplant"]);
    assert!(err.contains("never closed"), "{err}");
    // Bad input, as the README's exit codes say.
    let out = s.run(&["search", "colour:red"]);
    assert_eq!(out.status.code(), Some(2));
    let err = s.fails(&["search", "colour:red"]);
    assert!(err.contains("`colour:` is not a field"), "{err}");
    assert!(err.contains("subject:"), "{err}");
    assert_eq!(err.matches("colour").count(), 1, "said once: {err}");
    assert_eq!(s.ok(&["search", ""]), "");
    assert_eq!(s.ok(&["search", "   "]), "");
    // Far beyond the limit (an argument can hold no 10 MB; the library test covers that).
    let long = "ord ".repeat(25_000);
    let err = s.fails(&["search", &long]);
    assert!(err.contains("at most 1000 bytes"), "{err}");
}

#[test]
fn snippets_mask_cpr_numbers_and_mark_the_match() {
    let s = seeded();
    let out = s.ok(&["search", "Krogh"]);
    assert!(out.starts_with(SOREN), "{out}");
    assert!(out.contains("[Krogh]"), "{out}");
    assert!(out.contains("010203-XXXX"), "{out}");
    assert!(!out.contains("1234"), "{out}");
    // Searching for the number finds the case, but the snippet still hides the serial.
    let out = s.ok(&["search", "\"010203-1234\""]);
    assert!(out.starts_with(SOREN), "{out}");
    assert!(!out.contains("1234"), "{out}");
}

#[test]
fn searches_are_logged_as_reads_with_their_terms() {
    let s = seeded();
    s.ok(&["search", "transplant"]);
    let log = s.ok(&["audit", "log"]);
    assert!(log.contains("search"), "{log}");
    assert!(log.contains("transplant"), "{log}");
}

#[test]
fn notes_are_found_and_erased_words_leave_the_index_files() {
    use triage::search::{documents_holding, stray_files};
    let s = seeded();
    assert!(found(&s, "note:tilbageringning").is_empty());
    s.ok(&["case", BENT, "note", "Tilbageringning aftalt med borgeren"]);
    assert_eq!(found(&s, "note:tilbageringning"), vec![BENT]);
    assert_eq!(found(&s, "zyxwvkvist"), vec![BENT]);
    let index = s.db.join("search");
    // Words only this case holds, and one it shares with another case.
    let only_bent = [
        "zyxwvkvist",
        "tilbageringning",
        "borgeren",
        "Holm",
        "Hvornår",
    ];
    for w in only_bent {
        assert!(
            documents_holding(&index, w).unwrap() > 0,
            "{w} indexed before"
        );
    }
    s.ok(&["case", BENT, "purpose", "citizen-enquiries"]);
    s.ok(&["case", BENT, "close", "--why", "answered by phone"]);
    s.ok(&[
        "case",
        BENT,
        "erase",
        "--ground",
        "the retention period has ended",
    ]);
    assert!(found(&s, "zyxwvkvist").is_empty());
    assert!(found(&s, "tilbageringning").is_empty());
    for w in only_bent {
        assert_eq!(
            documents_holding(&index, w).unwrap(),
            0,
            "{w} still in a segment"
        );
    }
    assert_eq!(stray_files(&index).unwrap(), Vec::<String>::new());
    // The other cases are still found; the check agrees with the store.
    assert_eq!(found(&s, "nattevagt"), vec![SOREN]);
    assert_eq!(found(&s, "partshøring"), vec![SOREN]);
    let check = s.ok(&["check"]);
    assert!(
        check.contains("search index   2 cases indexed, in step"),
        "{check}"
    );
    assert!(check.contains("no problems found"), "{check}");
    // After the rewrite of the store's own files, no file of the store holds the text.
    // (Words searched for are in the read log by design, so the needles were never searched.)
    s.ok(&["compact"]);
    for text in [
        "Hvornår får jeg svar",
        "Bent Holm",
        "bilag-zyxwvkvist.pdf",
        "aftalt med borgeren",
    ] {
        let left = files_contain(&s.db, text.as_bytes());
        assert!(left.is_empty(), "{text} still in {left:?}");
    }
    assert_eq!(found(&s, "nattevagt"), vec![SOREN]);
}

#[test]
fn the_notes_an_answer_and_a_close_leave_are_found() {
    let s = seeded();
    s.ok(&["case", BENT, "purpose", "citizen-enquiries"]);
    s.ok(&["case", BENT, "answer", "Svar sendt om qqvfristen"]);
    assert_eq!(found(&s, "note:qqvfristen"), vec![BENT]);
    s.ok(&["case", BENT, "close", "--why", "Oversendt til xxkommunen"]);
    assert_eq!(found(&s, "note:xxkommunen"), vec![BENT]);
    // `check` compares the index with the store and finds it in step.
    let check = s.ok(&["check"]);
    assert!(check.contains("in step"), "{check}");
}

#[test]
fn a_purge_left_owed_is_done_by_the_next_command() {
    use triage::search::{documents_holding, PURGE_OWED};
    let s = seeded();
    let index = s.db.join("search");
    assert_eq!(found(&s, "zyxwvkvist"), vec![BENT]);
    // The body and the attachment's name each hold it.
    let live = documents_holding(&index, "zyxwvkvist").unwrap();
    assert!(live > 0);
    // A note re-indexes the case: its old document is deleted but still in the segment.
    s.ok(&["case", BENT, "note", "Ringede igen"]);
    assert_eq!(found(&s, "zyxwvkvist"), vec![BENT]);
    assert_eq!(documents_holding(&index, "zyxwvkvist").unwrap(), 2 * live);
    // As an erasure leaves it when its purge fails or the process dies during it.
    std::fs::write(index.join(PURGE_OWED), b"").unwrap();
    assert_eq!(found(&s, "zyxwvkvist"), vec![BENT]);
    assert_eq!(documents_holding(&index, "zyxwvkvist").unwrap(), live);
    assert!(!index.join(PURGE_OWED).exists());
}

#[test]
fn a_deleted_index_is_rebuilt_with_a_line_on_stderr() {
    let s = seeded();
    std::fs::remove_dir_all(s.db.join("search")).unwrap();
    let check = s.ok(&["check"]);
    assert!(check.contains("search index   none yet"), "{check}");
    let out = s.run(&["search", "transplant", "--json"]);
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("building the search index over 3 cases"),
        "{err}"
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains(ALICE));
    // Once: the next open finds it in step.
    let out = s.run(&["search", "transplant"]);
    assert!(!String::from_utf8_lossy(&out.stderr).contains("building"));
}

#[test]
fn an_index_marked_by_an_earlier_version_is_rebuilt() {
    let s = seeded();
    s.ok(&["case", BENT, "purpose", "citizen-enquiries"]);
    s.ok(&["case", BENT, "close", "--why", "Oversendt til xxkommunen"]);
    assert_eq!(found(&s, "xxkommunen"), vec![BENT]);
    // The mark as version 1 wrote it (that version left the close's note out).
    let meta = s.db.join("search/meta.json");
    let text = std::fs::read_to_string(&meta).unwrap();
    assert!(text.contains("triage-search/2 seq="), "{text}");
    std::fs::write(
        &meta,
        text.replace("triage-search/2 seq=", "triage-search seq="),
    )
    .unwrap();
    let out = s.run(&["search", "xxkommunen", "--json"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("building the search index over 3 cases"),
        "{err}"
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains(BENT));
    let again = s.run(&["search", "xxkommunen"]);
    assert!(!String::from_utf8_lossy(&again.stderr).contains("building"));
}

#[test]
fn a_flipped_byte_in_the_index_files_is_found_and_the_index_rebuilt() {
    let s = seeded();
    assert_eq!(found(&s, "transplant"), vec![ALICE]);
    // The largest segment file: the stored texts, or the postings.
    let (_, biggest) = std::fs::read_dir(s.db.join("search"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| !p.extension().is_some_and(|x| x == "json" || x == "lock"))
        .map(|p| (std::fs::metadata(&p).unwrap().len(), p))
        .max()
        .unwrap();
    let mut bytes = std::fs::read(&biggest).unwrap();
    let at = bytes.len() / 2;
    bytes[at] ^= 0x08;
    std::fs::write(&biggest, &bytes).unwrap();
    let out = s.run(&["search", "transplant", "--json"]);
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("it was damaged"),
        "{}: {err}",
        biggest.display()
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains(ALICE));
    let out = s.run(&["search", "transplant"]);
    assert!(!String::from_utf8_lossy(&out.stderr).contains("damaged"));
}

struct Served {
    child: Child,
    socket: std::path::PathBuf,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(s: &TestStore) -> Served {
    let socket = s.dir.path().join("triage.sock");
    let child = Command::new(BIN)
        .args(["serve", "--db"])
        .arg(&s.db)
        .arg("--socket")
        .arg(&socket)
        .env("TRIAGE_NOW", NOW)
        .env_remove("TRIAGE_POLICY")
        .env_remove("TRIAGE_DB")
        .env_remove("TRIAGE_SERVER")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let start = std::time::Instant::now();
    while std::os::unix::net::UnixStream::connect(&socket).is_err() {
        assert!(start.elapsed().as_secs() < 20, "the server did not start");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    Served { child, socket }
}

#[test]
fn search_through_the_server() {
    let s = seeded();
    let served = serve(&s);
    let via = |args: &[&str]| {
        let mut all = args.to_vec();
        all.extend(["--server", served.socket.to_str().unwrap()]);
        s.run(&all)
    };
    let out = via(&["search", "kidney transplant", "--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains(ALICE), "{text}");
    assert!(text.contains("\"highlights\""), "{text}");
    // A note made through the server is found through it.
    let out = via(&["case", SOREN, "note", "Ringede om xqvvbrevet"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = via(&["search", "xqvvbrevet"]);
    assert!(String::from_utf8_lossy(&out.stdout).starts_with(SOREN));
    let out = via(&["search", "from:"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("needs a word"));
    // `check` through the server compares the server's index, not its snapshot's (none).
    let out = via(&["check"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("search index   3 cases indexed, in step with the store"),
        "{text}"
    );
}

#[test]
fn a_ten_megabyte_query_is_refused_with_the_limit() {
    use triage::store::api::Api;
    let s = seeded();
    let api = triage::cli::open(&triage::cli::Global {
        db: Some(s.db.clone()),
        policy: None,
        da: false,
        server: None,
    })
    .unwrap();
    let err = api
        .search(&"a".repeat(10 << 20), 10)
        .unwrap_err()
        .to_string();
    assert!(err.contains("10485760 bytes"), "{err}");
    assert!(err.contains("at most 1000 bytes"), "{err}");
    // Nothing was searched, so nothing was logged.
    let searches = api
        .store
        .access_records(None)
        .unwrap()
        .into_iter()
        .filter(|r| r.access.action() == "search")
        .count();
    assert_eq!(searches, 0);
    assert_eq!(api.search("transplant", 10).unwrap().len(), 1);
}

#[test]
fn the_dpo_is_told_when_the_mentions_are_not_the_whole_answer() {
    let s = seeded();
    // 201 letters from others that mention one person: more than one search lists.
    s.import_letters_mentioning_a_neighbour(201);
    let out = s.run(&[
        "report",
        "access",
        "--subject",
        "name:Kirsten Vognmand|Algade 1, 4000 Roskilde",
    ]);
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("other cases that mention the person (200)"),
        "{err}"
    );
    assert!(err.contains("Not the whole answer"), "{err}");
    assert!(err.contains("more than 200 cases"), "{err}");
    // A person few letters mention: the list is whole, and nothing says otherwise.
    let out = s.run(&["report", "access", "--subject", "cpr:010203-1234"]);
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("other cases that mention the person"), "{err}");
    assert!(!err.contains("Not the whole answer"), "{err}");
}
