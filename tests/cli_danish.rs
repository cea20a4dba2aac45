//! The command line's own words in Danish with `--lang da`: its refusals of what it was
//! given, and the notes, import notes and erasures `triage show` prints.

mod common;

use common::{root, TestStore};

fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric() && c != '-' && c != '\'')
        .map(str::to_lowercase)
        .collect()
}

/// English words that may not appear in a Danish text.
fn no_english(da: &str, english: &[&str]) {
    let w = words(da);
    for e in english {
        assert!(!w.iter().any(|x| x == e), "`{e}` in Danish:\n{da}");
    }
}

fn three() -> TestStore {
    let s = TestStore::new();
    s.ok(&[
        "import",
        root().join("tests/data/three.jsonl").to_str().unwrap(),
    ]);
    s
}

#[test]
fn the_clis_own_input_errors_are_said_in_danish_with_lang_da() {
    let s = three();
    let r = "2026-000001";
    // A reason left out, a ground left out, an unknown status, a text that is no reference.
    let policy = s.dir.path().join("policy.toml");
    let policy = policy.to_str().unwrap();
    let cases: [(&[&str], &str, &str); 6] = [
        (
            &["init"],
            "`triage init` needs the policy the store will work under",
            "`triage init` skal have den politik, lageret skal arbejde under",
        ),
        (
            &["init", "--policy", policy],
            "already holds a triage store",
            "rummer allerede et triage-lager",
        ),
        (
            &["case", r, "close"],
            "close: give the reason with --why",
            "close: angiv begrundelsen med --why",
        ),
        (
            &["case", r, "erase"],
            "erase: give the legal ground with --ground",
            "erase: angiv hjemlen for sletningen med --ground",
        ),
        (
            &["cases", "--status", "sleeping"],
            "unknown status `sleeping`",
            "ukendt status `sleeping`",
        ),
        (
            &["show", "2026-x"],
            "`2026-x` is not a case reference (expected YYYY-NNNNNN",
            "`2026-x` er ikke et sagsnummer (ventet ÅÅÅÅ-NNNNNN",
        ),
    ];
    for (args, en, da) in cases {
        let out = s.run(args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(en), "{args:?}: {err}");
        let code = out.status.code();
        let out = s.run(&[&["--lang", "da"], args].concat());
        let danish = String::from_utf8_lossy(&out.stderr);
        assert!(danish.contains(da), "{args:?}: {danish}");
        assert!(!danish.contains(en), "{args:?}: {danish}");
        assert_eq!(out.status.code(), code, "the same exit code in Danish");
        no_english(&danish, &["give", "unknown", "reason", "expected", "not"]);
    }
    // The config's `lang = "da"` does the same where no --lang is given.
    let config = s.dir.path().join("env/config/triage");
    std::fs::create_dir_all(&config).unwrap();
    std::fs::write(config.join("config.toml"), "lang = \"da\"\n").unwrap();
    let err = s.fails(&["case", r, "hold"]);
    assert!(err.contains("hold: angiv begrundelsen med --why"), "{err}");
    let err = s.fails(&["--lang", "en", "case", r, "hold"]);
    assert!(err.contains("hold: give the reason with --why"), "{err}");
}

#[test]
fn an_answered_and_closed_case_shows_its_notes_in_danish() {
    let s = three();
    let r = "2026-000002";
    s.ok(&["case", r, "purpose", "citizen-enquiries"]);
    s.ok(&["case", r, "answer", "Svar sendt med brev."]);
    s.ok(&["case", r, "close", "--why", "Intet mere at gøre."]);
    let en = s.ok(&["show", r]);
    assert!(en.contains("Answered: Svar sendt med brev."), "{en}");
    assert!(en.contains("Closed: Intet mere at gøre."), "{en}");
    let da = s.ok(&["--lang", "da", "show", r]);
    assert!(da.contains("Besvaret: Svar sendt med brev."), "{da}");
    assert!(da.contains("Lukket: Intet mere at gøre."), "{da}");
    no_english(&da, &["answered", "closed", "note", "history"]);
}

#[test]
fn an_erased_case_is_summed_up_in_danish() {
    let s = three();
    let r = "2026-000003";
    s.ok(&["case", r, "purpose", "citizen-enquiries"]);
    s.ok(&["case", r, "close", "--why", "Besvaret i telefonen."]);
    s.ok(&["case", r, "erase", "--ground", "Art. 17(1)(a)"]);
    let en = s.ok(&["show", r]);
    assert!(en.contains(&format!("{r}  erased ")), "{en}");
    assert!(
        en.contains("purpose: ") && en.contains("received: "),
        "{en}"
    );
    let da = s.ok(&["--lang", "da", "show", r]);
    assert!(da.contains(&format!("{r}  slettet ")), "{da}");
    assert!(da.contains("formål: ") && da.contains("modtaget: "), "{da}");
    no_english(&da, &["erased", "by", "purpose", "received"]);
}

#[test]
fn an_imported_messages_notes_are_shown_in_danish() {
    let s = TestStore::new();
    let mail = root().join("tests/mail/no_date.eml");
    s.ok(&["import", mail.to_str().unwrap()]);
    let r = "2026-000001";
    let en = s.ok(&["show", r]);
    assert!(en.contains("no Date: header"), "{en}");
    let da = s.ok(&["--lang", "da", "show", r]);
    assert!(da.contains("intet Date:-felt"), "{da}");
    let source = da
        .lines()
        .find(|l| l.starts_with("kilde"))
        .unwrap_or_else(|| panic!("no source line:\n{da}"));
    // The notes follow the file's name (which is English here: no_date.eml).
    let notes = &source[source.find(" (").expect(source)..];
    no_english(
        notes,
        &["no", "header", "received", "usable", "the", "import"],
    );
}

#[test]
fn an_imports_summary_is_said_in_danish() {
    let s = TestStore::new();
    let file = root().join("tests/data/three.jsonl");
    let file = file.to_str().unwrap();
    let da = s.ok(&["--lang", "da", "import", file]);
    assert!(da.contains("3 registreret, 0 allerede i lageret"), "{da}");
    assert!(da.contains("  registreret: 2026-000001, "), "{da}");
    no_english(&da, &["registered", "already", "in", "the", "store"]);
    let en = s.ok(&["import", file]);
    assert!(en.contains("0 registered, 3 already in the store"), "{en}");
    assert!(
        en.contains("line 1: already in the store as 2026-000001"),
        "{en}"
    );
    let da = s.ok(&["--lang", "da", "import", file]);
    assert!(
        da.contains("linje 1: allerede i lageret som 2026-000001"),
        "{da}"
    );
    no_english(&da, &["registered", "already", "line", "store"]);
}

#[test]
fn an_imports_own_refusals_are_said_in_danish() {
    let s = TestStore::new();
    let dir = s.dir.path();
    let unknown = dir.join("notes.txt");
    std::fs::write(&unknown, "just some words, no e-mail and no JSON\n").unwrap();
    let received = dir.join("received.jsonl");
    std::fs::write(
        &received,
        "{\"received\":\"next tuesday\",\"sender\":{\"name\":\"A\"},\"subject\":\"s\",\"body\":\"b\"}\n",
    )
    .unwrap();
    let channel = dir.join("channel.jsonl");
    std::fs::write(
        &channel,
        "{\"received\":\"2026-11-20T10:00:00+01:00\",\"channel\":\"pigeon\",\"sender\":{\"name\":\"A\"},\"subject\":\"s\",\"body\":\"b\"}\n",
    )
    .unwrap();
    let files = [&unknown, &received, &channel].map(|p| p.to_str().unwrap().to_string());
    let args = |lang: Option<&str>| -> Vec<String> {
        let mut a: Vec<String> = lang
            .map(|l| vec!["--lang".into(), l.into()])
            .unwrap_or_default();
        a.push("import".into());
        a.extend(files.iter().cloned());
        a
    };
    let run = |lang| {
        let a = args(lang);
        s.fails(&a.iter().map(String::as_str).collect::<Vec<_>>())
    };

    let da = run(Some("da"));
    assert!(
        da.contains("notes.txt: ikke et filformat, triage læser"),
        "{da}"
    );
    assert!(
        da.contains("received.jsonl:1: \"received\": \"next tuesday\" er ikke et tidspunkt som"),
        "{da}"
    );
    assert!(
        da.contains("channel.jsonl:1: \"channel\": \"pigeon\" er ikke en af e-boks, email"),
        "{da}"
    );
    for english in ["not a file format", "is not a date-time", "is not one of"] {
        assert!(!da.contains(english), "`{english}` in Danish:\n{da}");
    }

    let en = run(None);
    assert!(
        en.contains("notes.txt: not a file format triage reads"),
        "{en}"
    );
    assert!(
        en.contains("received.jsonl:1: \"received\": \"next tuesday\" is not a date-time like"),
        "{en}"
    );
    assert!(
        en.contains("channel.jsonl:1: \"channel\": \"pigeon\" is not one of e-boks, email"),
        "{en}"
    );
    assert!(!en.contains("ikke et"), "{en}");

    // Set aside, the reason beside the line is in the language asked for too.
    let q = dir.join("q");
    let q = q.to_str().unwrap();
    let c = files[2].as_str();
    s.ok(&["--lang", "da", "import", "--quarantine", q, c]);
    let why = std::fs::read_to_string(dir.join("q/channel.jsonl.line-1.reason.txt")).unwrap();
    assert!(
        why.starts_with("linje 1: \"channel\": \"pigeon\" er ikke en af"),
        "{why}"
    );
    assert!(!why.contains("is not"), "{why}");
}

#[test]
fn a_missing_store_is_said_in_danish() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nowhere");
    let run = |lang: &[&str]| {
        let out = common::hermetic(&mut std::process::Command::new(common::BIN), dir.path())
            .args(["cases", "--db"])
            .arg(&missing)
            .args(lang)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(3), "a store problem");
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let da = run(&["--lang", "da"]);
    assert!(da.contains("der er intet triage-lager i"), "{da}");
    no_english(
        &da,
        &["there", "is", "no", "store", "nothing", "was", "created"],
    );
    let en = run(&[]);
    assert!(en.contains("there is no triage store at"), "{en}");
    assert!(!missing.exists(), "nothing was created");
}

/// `retention`, `cases`, `report deadlines`, `check`, `audit verify`, `archive list` and
/// `search` say their own words in Danish with `--lang da`, and as before in English.
#[test]
fn the_stores_lists_and_checks_are_said_in_danish() {
    let s = three();
    // 1 is kept a year and then deleted; 2 goes to the archives first; 3 is still open.
    for (r, purpose) in [
        ("2026-000001", "newsletters"),
        ("2026-000002", "citizen-enquiries"),
        ("2026-000003", "citizen-enquiries"),
    ] {
        s.ok(&["case", r, "purpose", purpose]);
    }
    for r in ["2026-000001", "2026-000002"] {
        s.ok(&["case", r, "close", "--why", "Intet mere at gøre."]);
    }
    let da = |args: &[&str]| s.ok(&[&["--lang", "da"], args].concat());

    // Retention: the steps, the reasons and the summary (and "1 year" in English).
    let retention = ["retention", "--as-of", "2027-12-01"];
    let en = s.ok(&retention);
    assert!(
        en.contains(
            "deletion-due    closed 2026-11-24; 1 year passed on 2027-11-24; delete the case"
        ),
        "{en}"
    );
    assert!(
        en.contains("as of 2027-12-01: 1 due for an archival version, 0 awaiting the archives' approval, 1 due for deletion, 0 need a recorded assessment, 0 held"),
        "{en}"
    );
    let list = da(&retention);
    assert!(
        list.contains("skal slettes    lukket 2026-11-24; opbevaringsperioden på 1 år udløb 2027-11-24; slet sagen"),
        "{list}"
    );
    assert!(
        list.contains("skal pakkes     arkivperioden sluttede 2026-12-31; sagen er endnu ikke i en arkiveringsversion"),
        "{list}"
    );
    assert!(
        list.contains("pr. 2027-12-01: 1 skal i en arkiveringsversion, 0 afventer Rigsarkivets godkendelse, 1 skal slettes, 0 mangler en registreret bevaringsvurdering, 0 er under retslig tilbageholdelse"),
        "{list}"
    );
    let retention_words = [
        "deletion-due",
        "package-due",
        "packaged",
        "closed",
        "year",
        "years",
        "passed",
        "delete",
        "deleted",
        "the",
        "as",
        "of",
        "due",
        "held",
        "awaiting",
        "approval",
        "nothing",
        "erased",
        "applied",
        "refused",
    ];
    no_english(&list, &retention_words);

    // The case list: Danish status names, countdowns in working days (hverdage).
    let en = s.ok(&["cases"]);
    assert!(en.contains("2026-11-20  closed      newsletters"), "{en}");
    assert!(
        en.contains("2026-11-22  new         citizen-enquiries"),
        "{en}"
    );
    assert!(en.contains(" 8wd "), "{en}");
    let cases = da(&["cases"]);
    assert!(
        cases.contains("2026-11-20  lukket      newsletters"),
        "{cases}"
    );
    assert!(
        cases.contains("2026-11-22  ny          citizen-enquiries"),
        "{cases}"
    );
    assert!(cases.contains(" 8hd "), "{cases}");
    no_english(&cases, &["new", "closed", "triaged", "8wd"]);

    // The deadlines report counts in hverdage too.
    assert!(s.ok(&["report", "deadlines"]).contains("| 8wd |"));
    let deadlines = da(&["report", "deadlines"]);
    assert!(deadlines.contains("| 8hd |"), "{deadlines}");
    assert!(!deadlines.contains("wd"), "{deadlines}");

    // check and audit verify.
    let en = s.ok(&["check"]);
    assert!(
        en.contains("\n  audit entries  ") && en.contains("no problems found"),
        "{en}"
    );
    let check = da(&["check"]);
    assert!(check.starts_with("kontrolleret "), "{check}");
    assert!(check.contains("\n  revisionsposter  "), "{check}");
    assert!(
        check.contains("\n  søgeindeks       3 sager indekseret, i takt med lageret\n"),
        "{check}"
    );
    assert!(check.contains("\ningen problemer fundet\n"), "{check}");
    no_english(
        &check,
        &[
            "checked", "audit", "entries", "search", "index", "cases", "events", "indexed",
            "store", "no", "problems", "found",
        ],
    );
    let en = s.ok(&["audit", "verify"]);
    assert!(en.starts_with("audit chain verified: "), "{en}");
    let verify = da(&["audit", "verify"]);
    assert!(
        verify.starts_with("revisionssporet er verificeret: "),
        "{verify}"
    );
    assert!(
        verify.contains("hændelser kontrolleret mod deres hashværdier, 0 slettede sager"),
        "{verify}"
    );
    no_english(
        &verify,
        &[
            "audit", "chain", "verified", "entries", "events", "checked", "erased", "cases",
        ],
    );

    // A search that finds nothing.
    let out = s.run(&["search", "zzqqxx"]);
    assert_eq!(String::from_utf8_lossy(&out.stderr), "no case matches\n");
    let out = s.run(&["--lang", "da", "search", "zzqqxx"]);
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "ingen sager matcher\n"
    );

    // The archival versions: none yet, one awaiting approval, one approved.
    assert_eq!(s.ok(&["archive", "list"]), "no archival version made yet\n");
    assert_eq!(
        da(&["archive", "list"]),
        "ingen arkiveringsversion dannet endnu\n"
    );
    let after_period = "2027-02-01T10:00:00+01:00";
    let out = s.dir.path().join("out");
    s.ok_at(
        after_period,
        &["archive", "create", "--out", out.to_str().unwrap()],
    );
    let en = s.ok(&["archive", "list"]);
    assert!(
        en.contains("  made 2027-02-01  1 cases  period 2022-01-01–2026-12-31  awaiting approval"),
        "{en}"
    );
    let archives = da(&["archive", "list"]);
    assert!(
        archives.contains(
            "  dannet 2027-02-01  1 sag  periode 2022-01-01–2026-12-31  afventer godkendelse"
        ),
        "{archives}"
    );
    no_english(
        &archives,
        &["made", "cases", "period", "awaiting", "approval"],
    );
    let list = da(&retention);
    assert!(
        list.contains(
            "pakket          i en arkiveringsversion, der afventer Rigsarkivets godkendelse"
        ),
        "{list}"
    );
    no_english(&list, &retention_words);

    let later = "2027-12-02T10:00:00+01:00";
    let id = archives.split_whitespace().next().unwrap();
    s.ok_at(
        later,
        &["archive", "receipt", id, "--approved", "2027-03-01"],
    );
    let archives = s.ok_at(later, &["--lang", "da", "archive", "list"]);
    assert!(archives.ends_with("  godkendt 2027-03-01\n"), "{archives}");
    let list = s.ok_at(later, &["--lang", "da", "retention"]);
    assert!(
        list.contains("skal slettes    Rigsarkivet godkendte arkiveringsversionen 2027-03-01; slet myndighedens kopi"),
        "{list}"
    );
    no_english(&list, &retention_words);

    // Erasing what is due: each line's outcome and the totals.
    let applied = s.ok_at(later, &["--lang", "da", "retention", "--apply", "--yes"]);
    assert!(applied.contains("; slet sagen → slettet\n"), "{applied}");
    assert!(
        applied.contains("udført: 2 slettet, 0 afvist\n"),
        "{applied}"
    );
    assert!(
        applied.contains("lageret er skrevet om: de slettede data er væk fra dets filer. Dets journal begynder forfra, så en sikkerhedskopi fra før kan ikke rulles frem: tag en ny nu"),
        "{applied}"
    );
    no_english(&applied, &retention_words);
    let cases = s.ok_at(later, &["--lang", "da", "cases"]);
    assert!(
        cases.contains("2026-11-20  slettet     newsletters"),
        "{cases}"
    );
    assert!(cases.contains("overskredet "), "{cases}");
    no_english(&cases, &["erased", "overdue"]);
    let verify = s.ok_at(later, &["--lang", "da", "audit", "verify"]);
    assert!(verify.ends_with(", 2 slettede sager\n"), "{verify}");

    // The config's `lang = "da"` does the same where no --lang is given.
    let config = s.dir.path().join("env/config/triage");
    std::fs::create_dir_all(&config).unwrap();
    std::fs::write(config.join("config.toml"), "lang = \"da\"\n").unwrap();
    let check = s.ok_at(later, &["check"]);
    assert!(check.contains("\ningen problemer fundet\n"), "{check}");
}

#[test]
fn the_archive_and_restore_lines_are_said_in_danish() {
    let s = three();
    s.ok(&["case", "2026-000002", "purpose", "citizen-enquiries"]);
    s.ok(&[
        "case",
        "2026-000002",
        "close",
        "--why",
        "Intet mere at gøre.",
    ]);
    let archive_words = [
        "cases", "bytes", "of", "tables", "rows", "deliver", "national", "archives", "approve",
        "approved", "date", "verified", "files", "every", "schemas", "indices", "row", "handed",
        "over", "deletion", "due", "fetched",
    ];

    // archive create: the package, its tables' rows, and what to do next.
    let out = s.dir.path().join("out");
    let created = s.ok_at(
        "2027-02-01T10:00:00+01:00",
        &[
            "--lang",
            "da",
            "archive",
            "create",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    let package = std::fs::read_dir(&out)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let path = package.to_str().unwrap();
    let folder = package.file_name().unwrap().to_str().unwrap();
    let id = folder.strip_suffix(".1").unwrap();
    assert!(
        created.starts_with(&format!("{path}: 1 sag, ")),
        "{created}"
    );
    assert!(
        created.contains(" byte i tabellerne; fileIndex.xml MD5 "),
        "{created}"
    );
    assert!(
        created.contains("\n  cases              1 række\n"),
        "{created}"
    );
    assert!(
        created.contains("\n  history            3 rækker\n"),
        "{created}"
    );
    assert!(
        created.ends_with(&format!(
            "Aflevér den til Rigsarkivet; når de har godkendt den: triage archive receipt {id} --approved DATO\n"
        )),
        "{created}"
    );
    assert!(!created.contains("bytes of tables"), "{created}");
    // The table names are the tables' own.
    let said: Vec<&str> = created
        .lines()
        .map(|l| {
            l.strip_prefix("  ")
                .map_or(l, |r| r.split_once(' ').unwrap().1)
        })
        .collect();
    no_english(&said.join("\n").replace(path, ""), &archive_words);

    // archive verify, in English as it was and in Danish.
    let en = s.ok(&["archive", "verify", path]);
    assert!(en.starts_with(&format!("{path}: verified (")), "{en}");
    assert!(
        en.ends_with(" rows; every MD5, the schemas, the indices and every row)\n"),
        "{en}"
    );
    let verified = s.ok(&["--lang", "da", "archive", "verify", path]);
    assert!(
        verified.starts_with(&format!("{path}: verificeret (")),
        "{verified}"
    );
    assert!(
        verified.ends_with(" rækker; alle MD5-værdier, skemaerne, indeksene og alle rækker)\n"),
        "{verified}"
    );
    no_english(&verified.replace(path, ""), &archive_words);

    // A folder that fails verification is refused for a receipt; nothing is recorded.
    let copy = s.dir.path().join("copy").join(folder);
    std::fs::create_dir_all(&copy).unwrap();
    let copied = std::process::Command::new("cp")
        .arg("-r")
        .arg(format!("{path}/."))
        .arg(&copy)
        .status()
        .unwrap();
    assert!(copied.success());
    let index = copy.join("Indices").join("tableIndex.xml");
    let mut bytes = std::fs::read(&index).unwrap();
    bytes.extend_from_slice(b"\n");
    std::fs::write(&index, bytes).unwrap();
    let later = "2027-12-02T10:00:00+01:00";
    let copy = copy.to_str().unwrap();
    let receipt = ["archive", "receipt", copy, "--approved", "2027-03-01"];
    let out = s.run_at(later, &[&["--lang", "da"], &receipt[..]].concat());
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!("{copy}: pakken består ikke verificeringen: ")),
        "{err}"
    );
    assert!(err.contains("; intet er registreret"), "{err}");
    assert!(!err.contains("fails verification"), "{err}");
    let out = s.run_at(later, &receipt);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!("{copy}: the package fails verification: ")),
        "{err}"
    );

    // archive receipt: approved, handed over, due for deletion.
    let receipted = s.ok_at(
        later,
        &[
            "--lang",
            "da",
            "archive",
            "receipt",
            path,
            "--approved",
            "2027-03-01",
        ],
    );
    assert_eq!(
        receipted,
        format!("{id} godkendt 2027-03-01: 1 sag afleveret; den skal slettes fra den dag (`triage retention`)\n")
    );

    // archive fetch with no server: the refusal in Danish.
    let out = s.run(&["--lang", "da", "archive", "fetch", id]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("der kører ingen triage-server"), "{err}");

    // restore: the restored store's audit chain.
    let backup = s.dir.path().join("store.bak");
    s.ok(&["backup", backup.to_str().unwrap()]);
    let restored = TestStore {
        dir: tempfile::tempdir().unwrap(),
        db: s.dir.path().join("restored"),
    };
    let out = restored.ok(&["--lang", "da", "restore", backup.to_str().unwrap()]);
    let last = out.lines().last().unwrap();
    assert!(
        last.starts_with("revisionssporet er verificeret: ") && last.ends_with(" poster"),
        "{out}"
    );
    assert!(!out.contains("audit chain verified"), "{out}");
    no_english(last, &["audit", "chain", "verified", "entries"]);
    let restored_en = TestStore {
        dir: tempfile::tempdir().unwrap(),
        db: s.dir.path().join("restored-en"),
    };
    let out = restored_en.ok(&["restore", backup.to_str().unwrap()]);
    assert!(
        out.lines()
            .last()
            .unwrap()
            .starts_with("audit chain verified: "),
        "{out}"
    );
}

#[test]
fn the_dpos_part_of_an_access_answer_is_said_in_danish() {
    let s = three();
    // 201 letters from others that mention one person: more than one search lists.
    s.import_letters_mentioning_a_neighbour(201);
    let access = [
        "report",
        "access",
        "--subject",
        "name:Kirsten Vognmand|Algade 1, 4000 Roskilde",
    ];
    let out = s.run(&access);
    assert!(out.status.success());
    let en = String::from_utf8_lossy(&out.stderr);
    assert!(
        en.contains("\n## For the DPO, not part of the letter: other cases that mention the person (200)\n\n"),
        "{en}"
    );
    assert!(en.contains("\nNot the whole answer:\n"), "{en}");
    let out = s.run(&[&["--lang", "da"], &access[..]].concat());
    assert!(out.status.success());
    let da = String::from_utf8_lossy(&out.stderr);
    assert!(
        da.contains("\n## Til databeskyttelsesrådgiveren, ikke en del af brevet: andre sager, der nævner personen (200)\n\n"),
        "{da}"
    );
    assert!(da.contains("\nIkke hele svaret:\n"), "{da}");
    assert!(!da.contains("For the DPO"), "{da}");
    assert!(!da.contains("Not the whole answer"), "{da}");
}
