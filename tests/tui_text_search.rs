//! `/` in the interface searches the enquiries' text too: against a real store and through
//! `triage serve`, hits listed with a snippet under their row (CPR numbers masked), asked
//! once the filter text stands still, the terms in the read log and nowhere else.

mod common;
use common::interface::{listed, screen};

use std::time::{Duration, Instant};
use triage::domain::command::Access;
use triage::domain::enquiry::Reference;
use triage::store::api::{Api, Embedded};
use triage::tui::action::{Action, View};
use triage::tui::app::{App, Init, Overlay};
use triage::tui::keymap::{Code, Key};
use triage::tui::{dispatch, pump, Lang};

/// Two enquiries whose bodies alone speak of a carrier pigeon ("brevdue"): neither subject
/// nor sender holds the word, so only the text search finds them. The first carries a CPR
/// number next to it.
const PIGEONS: &str = r#"{"received": "2026-11-20T10:00:00+01:00", "channel": "letter", "sender": {"name": "Ole Kragh", "address": "Vestergade 3, 5000 Odense C"}, "subject": "Spørgsmål om opholdstilladelse", "body": "Hej\n\nMit CPR-nummer er 120385-1234. Jeg sender dette med brevdue, fordi min computer er i stykker. Hvornår kan jeg forvente svar på min ansøgning?\n\nVenlig hilsen\nOle Kragh", "language": "da"}
{"received": "2026-11-21T11:30:00+01:00", "channel": "email", "sender": {"name": "Mette Lund", "email": "mette.lund@example.com"}, "subject": "Vedr. foreningens tilskud", "body": "Kære ministerium\n\nVores forening af brevdueejere søger tilskud igen i år. Vi har sendt regnskabet med posten. En brevdue kan ikke bære et regnskab.\n\nMed venlig hilsen\nMette Lund", "language": "da"}"#;

const NOW: &str = common::NOW;

/// The demo enquiries and the two above, in a temporary store opened by "tester".
fn store() -> (tempfile::TempDir, Embedded) {
    common::interface::demo_api_with(PIGEONS)
}

fn init(api: &dyn Api, lang: Lang) -> Init {
    Init {
        // A fixed place, so the status line is the same on every machine.
        store: "embedded /srv/triage/store".into(),
        ..common::interface::init(api, lang, true)
    }
}

fn app(api: &dyn Api, lang: Lang, size: (u16, u16)) -> App {
    let mut app = App::new(init(api, lang), &api.cases().unwrap());
    dispatch(api, &mut app, Action::Resize(size.0, size.1));
    dispatch(api, &mut app, Action::ShowView(View::All));
    app
}

fn key(api: &dyn Api, app: &mut App, k: Key) {
    dispatch(api, app, Action::Key(k));
}

fn type_text(api: &dyn Api, app: &mut App, s: &str) {
    for c in s.chars() {
        key(api, app, Key::char(c));
    }
}

/// What the run loop does between keys, until there is nothing left to do.
fn idle(api: &dyn Api, app: &mut App) {
    let mut rounds = 0;
    while pump(api, app) {
        rounds += 1;
        assert!(rounds < 1000, "the interface keeps working");
    }
}

/// Search terms in the read log, in order.
fn searches(api: &Embedded) -> Vec<String> {
    api.store
        .audit_log(None)
        .unwrap()
        .into_iter()
        .filter_map(|(_, a)| match a.map(|a| a.access) {
            Some(Access::Search { terms }) => Some(terms),
            _ => None,
        })
        .collect()
}

/// The case whose subject is `subject`.
fn case_titled(api: &dyn Api, subject: &str) -> Reference {
    api.cases()
        .unwrap()
        .iter()
        .filter_map(|c| c.live())
        .find(|c| c.enquiry.subject == subject)
        .unwrap()
        .reference
}

#[test]
fn a_word_only_in_a_body_lists_its_case_with_a_snippet_and_the_cpr_masked() {
    let (_dir, api) = store();
    let mut app = app(&api, Lang::En, (80, 24));
    let pigeon = case_titled(&api, "Spørgsmål om opholdstilladelse");
    let reads_before = searches(&api).len();
    // A long wait first: however slow the machine, the keys come faster than that.
    app.queue.text.delay = Duration::from_secs(3600);
    key(&api, &mut app, Key::char('/'));
    type_text(&api, &mut app, "brevdue");
    // Typed fast: nothing is asked until the text has stood still.
    idle(&api, &mut app);
    assert!(
        app.queue.text.hits.is_empty() && !listed(&app).contains(&pigeon),
        "the store was asked before the text stood still"
    );
    assert_eq!(searches(&api).len(), reads_before);
    // The text has now stood still long enough.
    app.queue.text.delay = Duration::ZERO;
    assert!(app.queue.text.due(Instant::now()));
    assert!(pump(&api, &mut app), "the due search is work between keys");
    idle(&api, &mut app);

    let row = app
        .queue
        .rows
        .iter()
        .find(|r| r.reference == pigeon)
        .unwrap();
    assert_eq!(
        app.queue.compiled.score(row),
        None,
        "the queue filter alone does not find it"
    );
    assert!(listed(&app).contains(&pigeon), "{:?}", listed(&app));
    let snippet = app.queue.text.snippet(pigeon).unwrap();
    assert!(snippet.text.contains("brevdue"), "{}", snippet.text);
    assert!(snippet.text.contains("120385-XXXX"), "{}", snippet.text);
    assert!(!snippet.text.contains("1234"), "{}", snippet.text);
    let marked: Vec<String> = snippet
        .highlights
        .iter()
        .map(|&(a, b)| {
            snippet
                .text
                .chars()
                .skip(a as usize)
                .take((b - a) as usize)
                .collect()
        })
        .collect();
    assert!(marked.iter().any(|w| w == "brevdue"), "{marked:?}");

    // On screen: the row, and under it the snippet, masked, without markers.
    let s = screen(&app);
    let lines: Vec<&str> = s.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.contains(&pigeon.to_string()))
        .unwrap_or_else(|| panic!("{pigeon} not on screen:\n{s}"));
    let under = lines[at + 1];
    assert!(under.contains("brevdue"), "{s}");
    assert!(under.contains("XXXX") && !s.contains("1234"), "{s}");
    assert!(!s.contains("<b>") && !s.contains('\u{1b}'), "{s}");

    // Asked once, for the whole word: the terms are in the read log, once.
    assert_eq!(searches(&api)[reads_before..], ["brevdue".to_string()]);
    // Enter keeps the filter and its hits; the search already logged the terms.
    key(&api, &mut app, Key::plain(Code::Enter));
    assert!(app.overlay.is_none());
    assert!(listed(&app).contains(&pigeon));
    assert_eq!(searches(&api).len(), reads_before + 1);

    // Esc clears the filter and the snippets.
    key(&api, &mut app, Key::plain(Code::Esc));
    assert!(app.queue.filter.is_empty());
    assert!(app.queue.text.hits.is_empty());
    assert!(!screen(&app).contains("brevdue"));
    idle(&api, &mut app);
    assert_eq!(
        searches(&api).len(),
        reads_before + 1,
        "nothing asked again"
    );
}

#[test]
fn enter_asks_at_once_and_a_malformed_query_falls_back_to_the_filter_quietly() {
    let (_dir, api) = store();
    let mut app = app(&api, Lang::En, (80, 24));
    let pigeon = case_titled(&api, "Spørgsmål om opholdstilladelse");
    let before = searches(&api).len();

    // Enter before the text has stood still: asked at once, logged once.
    key(&api, &mut app, Key::char('/'));
    type_text(&api, &mut app, "brevdue");
    key(&api, &mut app, Key::plain(Code::Enter));
    assert!(listed(&app).contains(&pigeon));
    assert!(!app.queue.text.due(Instant::now() + Duration::from_secs(1)));
    assert_eq!(searches(&api)[before..], ["brevdue".to_string()]);
    key(&api, &mut app, Key::plain(Code::Esc));

    // An unclosed quote: no search, no dialog, the filter goes on; the filter line says
    // why once the text stands still.
    app.queue.text.delay = Duration::ZERO;
    key(&api, &mut app, Key::char('/'));
    type_text(&api, &mut app, "\"brevdue");
    idle(&api, &mut app);
    assert!(matches!(app.overlay, Some(Overlay::Filter { .. })));
    assert!(app.message.is_none(), "{:?}", app.message);
    assert!(app.queue.text.hits.is_empty());
    assert!(!listed(&app).contains(&pigeon));
    let s = screen(&app);
    let status = s.lines().last().unwrap();
    assert!(status.contains("text search off"), "{s}");
    assert!(status.contains("Filter: \"brevdue"), "{s}");
    assert_eq!(searches(&api).len(), before + 1, "the store was not asked");
    // Closing the quote makes it a query again.
    type_text(&api, &mut app, "\"");
    idle(&api, &mut app);
    assert!(listed(&app).contains(&pigeon));
    assert!(!screen(&app).contains("text search off"));
    // Enter on a malformed text logs the terms, as the filter always has.
    key(&api, &mut app, Key::plain(Code::Backspace));
    idle(&api, &mut app);
    key(&api, &mut app, Key::plain(Code::Enter));
    assert_eq!(
        searches(&api)[before..],
        [
            "brevdue".to_string(),
            "\"brevdue\"".to_string(),
            "\"brevdue".to_string()
        ]
    );

    // In Danish, the same problem in Danish.
    let mut da = self::app(&api, Lang::Da, (120, 40));
    da.queue.text.delay = Duration::ZERO;
    key(&api, &mut da, Key::char('/'));
    type_text(&api, &mut da, "\"brev");
    idle(&api, &mut da);
    let s = screen(&da);
    assert!(s.contains("ingen tekstsøgning"), "{s}");
    assert!(s.contains("lukkes aldrig"), "{s}");
}

#[test]
fn the_list_with_snippets_at_both_sizes_in_both_languages() {
    let (_dir, api) = store();
    for size in [(80u16, 24u16), (120, 40)] {
        for (lang, l) in [(Lang::En, "en"), (Lang::Da, "da")] {
            let mut a = app(&api, lang, size);
            key(&api, &mut a, Key::char('/'));
            type_text(&api, &mut a, "tilskud");
            key(&api, &mut a, Key::plain(Code::Enter));
            idle(&api, &mut a);
            dispatch(&api, &mut a, Action::Down);
            insta::assert_snapshot!(format!("text_search_{l}_{}x{}", size.0, size.1), screen(&a));
        }
    }
}

/// Through `triage serve`, like every other call: the hits come over the socket, masked,
/// and the server logs the terms as this user's read.
#[test]
fn through_a_served_store() {
    use std::os::unix::net::UnixStream;
    use std::process::{Command, Stdio};
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let socket = dir.path().join("db.sock");
    let env = dir.path().join("env");
    let policy = common::policy_file(dir.path());
    let pigeons = dir.path().join("pigeons.jsonl");
    std::fs::write(&pigeons, format!("{PIGEONS}\n")).unwrap();
    let run = |args: &[&str]| {
        let out = common::hermetic(&mut Command::new(common::BIN), &env)
            .args(args)
            .arg("--db")
            .arg(&db)
            .env("TRIAGE_NOW", NOW)
            .stdin(Stdio::null())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    run(&["init", "--policy", policy.to_str().unwrap(), "--test-clock"]);
    run(&[
        "import",
        common::root()
            .join("demo-data/enquiries.jsonl")
            .to_str()
            .unwrap(),
    ]);
    run(&["import", pigeons.to_str().unwrap()]);
    let log = std::fs::File::create(dir.path().join("serve.log")).unwrap();
    let mut server = common::hermetic(&mut Command::new(common::BIN), &env)
        .args(["serve", "--db"])
        .arg(&db)
        .arg("--socket")
        .arg(&socket)
        .env("TRIAGE_NOW", NOW)
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .unwrap();
    struct Stop(std::process::Child);
    impl Drop for Stop {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
    let started = Instant::now();
    while UnixStream::connect(&socket).is_err() {
        if let Some(status) = server.try_wait().unwrap() {
            panic!(
                "triage serve exited with {status}: {}",
                std::fs::read_to_string(dir.path().join("serve.log")).unwrap_or_default()
            );
        }
        assert!(started.elapsed() < Duration::from_secs(20), "no server");
        std::thread::sleep(Duration::from_millis(20));
    }
    let _server = Stop(server);
    let client = triage::server::Client::connect(&socket).unwrap();
    let api: &dyn Api = &client;

    let pigeon = case_titled(api, "Spørgsmål om opholdstilladelse");
    let mut app = app(api, Lang::En, (80, 24));
    app.queue.text.delay = Duration::ZERO;
    key(api, &mut app, Key::char('/'));
    type_text(api, &mut app, "brevdue");
    idle(api, &mut app);
    assert!(listed(&app).contains(&pigeon), "{:?}", listed(&app));
    let snippet = app.queue.text.snippet(pigeon).unwrap();
    assert!(snippet.text.contains("brevdue") && snippet.text.contains("120385-XXXX"));
    let s = screen(&app);
    assert!(!s.contains("1234"), "{s}");
    // The server logged the terms as this user's read.
    let logged = api
        .access_records(None)
        .unwrap()
        .into_iter()
        .filter(|a| matches!(&a.access, Access::Search { terms } if terms == "brevdue"))
        .count();
    assert_eq!(logged, 1);
    // No search term in the server's own log.
    let server_log = std::fs::read_to_string(dir.path().join("serve.log")).unwrap();
    assert!(!server_log.contains("brevdue"), "{server_log}");
}
