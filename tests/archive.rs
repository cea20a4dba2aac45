//! Archival versions end to end: a package from the demo store, its verification (and what makes
//! it fail), the archives' approval, and retention that erases nothing before it.

mod common;
use common::*;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// After the demo's archive period (2022–2026) has ended.
const AFTER_PERIOD: &str = "2027-02-01T10:00:00+01:00";

fn at(s: &TestStore, now: &str, args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .arg("--db")
        .arg(&s.db)
        .env("TRIAGE_NOW", now)
        .env("HOME", s.dir.path())
        .env("XDG_CONFIG_HOME", s.dir.path().join("config"))
        .env("XDG_STATE_HOME", s.dir.path().join("state"))
        .env_remove("TRIAGE_POLICY")
        .env_remove("TRIAGE_DB")
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

fn ok_at(s: &TestStore, now: &str, args: &[&str]) -> String {
    let out = at(s, now, args);
    assert!(
        out.status.success(),
        "triage {args:?} failed: {}\n{}",
        String::from_utf8_lossy(&out.stderr),
        String::from_utf8_lossy(&out.stdout)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn fails_at(s: &TestStore, now: &str, args: &[&str]) -> String {
    let out = at(s, now, args);
    assert!(
        !out.status.success(),
        "triage {args:?} should have failed: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(!err.contains("panicked"), "{err}");
    err
}

/// A demo store and its first package, written after the archive period ended.
fn packaged() -> (TestStore, PathBuf, String) {
    let s = TestStore::demo();
    let out = s.dir.path().join("out");
    let made = ok_at(
        &s,
        AFTER_PERIOD,
        &["archive", "create", "--out", out.to_str().unwrap()],
    );
    let pkg = out.join("AVID.SA.18000.1");
    assert!(pkg.is_dir(), "{made}");
    (s, pkg, made)
}

fn files_under(p: &Path) -> Vec<PathBuf> {
    let mut v = Vec::new();
    for e in std::fs::read_dir(p).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            v.extend(files_under(&p));
        } else {
            v.push(p);
        }
    }
    v.sort();
    v
}

fn md5_hex(bytes: &[u8]) -> String {
    use md5::Digest;
    let d = md5::Md5::digest(bytes);
    d.iter().map(|b| format!("{b:02X}")).collect()
}

/// One package serves both checks: building it is the slow part.
#[test]
fn a_demo_package_verifies_and_a_flipped_byte_a_missing_or_an_extra_file_fails_by_name() {
    let (s, pkg, made) = packaged();
    md5s_and_row_counts(&s, &pkg, &made);
    failures_are_named(&s, &pkg);
}

fn md5s_and_row_counts(s: &TestStore, pkg: &Path, made: &str) {
    let cases: usize = made
        .lines()
        .next()
        .unwrap()
        .split(": ")
        .nth(1)
        .unwrap()
        .split(' ')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!(cases >= 20, "{made}");

    // The indices, checked here with a plain XML parser against what the schemas require.
    let index = std::fs::read_to_string(pkg.join("Indices/fileIndex.xml")).unwrap();
    let doc = roxmltree::Document::parse(&index).unwrap();
    let entries: Vec<(String, String, String)> = doc
        .root_element()
        .children()
        .filter(|n| n.has_tag_name("f"))
        .map(|f| {
            let t = |name| {
                f.children()
                    .find(|c| c.has_tag_name(name))
                    .and_then(|c| c.text())
                    .unwrap()
                    .to_string()
            };
            (t("foN"), t("fiN"), t("md5"))
        })
        .collect();
    // Every file but fileIndex.xml itself is listed, with its MD5, in Windows-style folders.
    assert_eq!(entries.len(), files_under(pkg).len() - 1);
    for (folder, name, md5) in &entries {
        assert!(folder.starts_with("AVID.SA.18000.1\\"), "{folder}");
        let rel: PathBuf = folder.split('\\').skip(1).chain([name.as_str()]).collect();
        let bytes = std::fs::read(pkg.join(&rel)).unwrap();
        assert_eq!(&md5_hex(&bytes), md5, "{}", rel.display());
    }
    assert!(entries
        .iter()
        .any(|(f, n, _)| f == "AVID.SA.18000.1\\Tables\\table1" && n == "table1.xml"));
    assert!(entries
        .iter()
        .any(|(f, n, _)| f == "AVID.SA.18000.1\\Schemas\\standard" && n == "XMLSchema.xsd"));

    // Row counts: tableIndex.xml against the rows actually in each table.
    let ti = std::fs::read_to_string(pkg.join("Indices/tableIndex.xml")).unwrap();
    let ti = roxmltree::Document::parse(&ti).unwrap();
    let tables: Vec<_> = ti
        .descendants()
        .filter(|n| n.has_tag_name("table"))
        .collect();
    assert_eq!(tables.len(), 12);
    for t in &tables {
        let child = |name| {
            t.children()
                .find(|c| c.has_tag_name(name))
                .and_then(|c| c.text())
                .unwrap()
        };
        let folder = child("folder");
        let rows: usize = child("rows").parse().unwrap();
        let xml = std::fs::read_to_string(
            pkg.join("Tables")
                .join(folder)
                .join(format!("{folder}.xml")),
        )
        .unwrap();
        let doc = roxmltree::Document::parse(&xml).unwrap();
        let actual = doc
            .root_element()
            .children()
            .filter(|n| n.has_tag_name("row"))
            .count();
        assert_eq!(actual, rows, "{}", child("name"));
        if child("name") == "cases" {
            assert_eq!(rows, cases);
        }
        // Primary keys are declared for every table, foreign keys where rows point elsewhere.
        assert!(t.children().any(|c| c.has_tag_name("primaryKey")));
    }
    let fks = ti
        .descendants()
        .filter(|n| n.has_tag_name("foreignKey"))
        .count();
    assert!(fks >= 8, "{fks} foreign keys");
    // The archive index names the package and says CPR numbers are in it.
    let ai = std::fs::read_to_string(pkg.join("Indices/archiveIndex.xml")).unwrap();
    assert!(ai.contains("<archiveInformationPackageID>AVID.SA.18000</archiveInformationPackageID>"));
    assert!(ai.contains("<cprNum>true</cprNum>"));
    assert!(!files_under(pkg.parent().unwrap())
        .iter()
        .any(|p| p.to_string_lossy().contains(".partial")));

    let verified = ok_at(
        s,
        AFTER_PERIOD,
        &["archive", "verify", pkg.to_str().unwrap()],
    );
    assert!(verified.contains("verified"), "{verified}");

    // Every packaged case carries the event, and a second run finds nothing left to package.
    let due = ok_at(s, AFTER_PERIOD, &["retention"]);
    assert!(
        due.contains(&format!("0 due for an archival version, {cases} awaiting")),
        "{due}"
    );
    let first = due
        .lines()
        .find(|l| l.contains("packaged"))
        .unwrap()
        .split(' ')
        .next()
        .unwrap()
        .to_string();
    let log = ok_at(s, AFTER_PERIOD, &["audit", "log", "--case", &first]);
    assert!(log.contains("archive-package"), "{log}");
    let again = fails_at(
        s,
        AFTER_PERIOD,
        &[
            "archive",
            "create",
            "--out",
            pkg.parent().unwrap().to_str().unwrap(),
        ],
    );
    assert!(again.contains("no closed case is due"), "{again}");
    assert!(!pkg.parent().unwrap().join("AVID.SA.18001.1").exists());
}

fn failures_are_named(s: &TestStore, pkg: &Path) {
    let verify = |p: &Path| fails_at(s, AFTER_PERIOD, &["archive", "verify", p.to_str().unwrap()]);
    let copy = |name: &str| {
        let dir = s.dir.path().join(name);
        let to = dir.join("AVID.SA.18000.1");
        for f in files_under(pkg) {
            let rel = f.strip_prefix(pkg).unwrap();
            std::fs::create_dir_all(to.join(rel).parent().unwrap()).unwrap();
            std::fs::copy(&f, to.join(rel)).unwrap();
        }
        to
    };

    let flipped = copy("flipped");
    let table = flipped.join("Tables/table2/table2.xml");
    let mut bytes = std::fs::read(&table).unwrap();
    let i = bytes.len() / 2;
    bytes[i] ^= 0x01;
    std::fs::write(&table, bytes).unwrap();
    let err = verify(&flipped);
    assert!(
        err.contains("MD5 mismatch in AVID.SA.18000.1\\Tables\\table2\\table2.xml"),
        "{err}"
    );
    // A corrupt package is refused as proof of approval too, and nothing is recorded.
    let err = fails_at(
        s,
        AFTER_PERIOD,
        &[
            "archive",
            "receipt",
            flipped.to_str().unwrap(),
            "--approved",
            "2027-02-01",
        ],
    );
    assert!(err.contains("fails verification"), "{err}");
    assert!(ok_at(s, AFTER_PERIOD, &["archive", "list"]).contains("awaiting approval"));

    let missing = copy("missing");
    std::fs::remove_file(missing.join("Indices/tableIndex.xml")).unwrap();
    let err = verify(&missing);
    assert!(
        err.contains("missing file AVID.SA.18000.1\\Indices\\tableIndex.xml"),
        "{err}"
    );

    let extra = copy("extra");
    std::fs::write(extra.join("Tables/table3/notes.txt"), "left behind").unwrap();
    let err = verify(&extra);
    assert!(
        err.contains("extra file AVID.SA.18000.1\\Tables\\table3\\notes.txt"),
        "{err}"
    );

    // A row count that disagrees with tableIndex.xml, with the MD5 made to match.
    let rows = copy("rows");
    let ti = rows.join("Indices/tableIndex.xml");
    let text = std::fs::read_to_string(&ti).unwrap();
    let at_rows = text.find("<rows>").unwrap();
    let end = text[at_rows..].find("</rows>").unwrap() + at_rows;
    let n: u64 = text[at_rows + 6..end].parse().unwrap();
    let changed = format!("{}<rows>{}{}", &text[..at_rows], n + 1, &text[end..]);
    std::fs::write(&ti, &changed).unwrap();
    let fi = rows.join("Indices/fileIndex.xml");
    let index = std::fs::read_to_string(&fi).unwrap();
    let index = index.replace(&md5_hex(text.as_bytes()), &md5_hex(changed.as_bytes()));
    std::fs::write(&fi, index).unwrap();
    let err = verify(&rows);
    assert!(
        err.contains("table1.xml has") && err.contains("tableIndex.xml says"),
        "{err}"
    );
}

fn store_files_contain(db: &Path, needle: &[u8]) -> bool {
    files_under(db).iter().any(|p| {
        std::fs::read(p)
            .unwrap()
            .windows(needle.len())
            .any(|w| w == needle)
    })
}

#[test]
fn no_case_is_erased_before_approval_and_erasure_after_leaves_no_personal_data() {
    let s = TestStore::demo();
    let json = |now: &str| -> serde_json::Value {
        serde_json::from_str(&ok_at(&s, now, &["retention", "--json"])).unwrap()
    };
    let due = json(AFTER_PERIOD);
    let victim = due
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["purpose"] == "citizen-enquiries" && d["state"] == "package-due")
        .unwrap()["reference"]
        .as_str()
        .unwrap()
        .to_string();
    let case = s.json(&["show", &victim, "--json"]);
    let subject = case["enquiry"]["subject"].as_str().unwrap().to_string();
    assert!(subject.len() >= 12, "{subject}");

    // Period over, not packaged: nothing of preservation value is erased.
    let applied = ok_at(&s, AFTER_PERIOD, &["retention", "--apply", "--yes"]);
    assert!(applied.contains("0 refused"), "{applied}");
    assert!(s
        .json(&["show", &victim, "--json"])
        .get("enquiry")
        .is_some());

    let out = s.dir.path().join("out");
    ok_at(
        &s,
        AFTER_PERIOD,
        &["archive", "create", "--out", out.to_str().unwrap()],
    );
    // Packaged, not approved: still nothing.
    let applied = ok_at(&s, AFTER_PERIOD, &["retention", "--apply", "--yes"]);
    assert!(applied.contains("applied: 0 erased"), "{applied}");
    assert!(s
        .json(&["show", &victim, "--json"])
        .get("enquiry")
        .is_some());

    // Bad receipts change nothing.
    let err = fails_at(
        &s,
        AFTER_PERIOD,
        &[
            "archive",
            "receipt",
            "AVID.SA.99",
            "--approved",
            "2027-02-01",
        ],
    );
    assert!(err.contains("no archival version AVID.SA.99"), "{err}");
    let err = fails_at(
        &s,
        AFTER_PERIOD,
        &[
            "archive",
            "receipt",
            "AVID.SA.18000",
            "--approved",
            "2027-01-31",
        ],
    );
    assert!(
        err.contains("before the package AVID.SA.18000 was made (2027-02-01)"),
        "{err}"
    );
    let err = fails_at(
        &s,
        AFTER_PERIOD,
        &[
            "archive",
            "receipt",
            "AVID.SA.18000",
            "--approved",
            "2027-03-01",
        ],
    );
    assert!(err.contains("in the future"), "{err}");
    let state = json(AFTER_PERIOD);
    let of = |r: &str| {
        state
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["reference"] == r)
            .unwrap()["state"]
            .clone()
    };
    assert_eq!(of(&victim), "packaged");

    // A later --as-of is refused outright; an unconfirmed run changes nothing.
    let err = fails_at(
        &s,
        AFTER_PERIOD,
        &["retention", "--as-of", "2040-01-01", "--apply", "--yes"],
    );
    assert!(err.contains("after today"), "{err}");

    let pkg = out.join("AVID.SA.18000.1");
    let approved = ok_at(
        &s,
        "2027-03-01T10:00:00+01:00",
        &[
            "archive",
            "receipt",
            pkg.to_str().unwrap(),
            "--approved",
            "2027-02-20",
        ],
    );
    assert!(approved.contains("approved on 2027-02-20"), "{approved}");
    let later = "2027-03-01T10:00:00+01:00";
    let err = fails_at(&s, later, &["retention", "--apply"]);
    assert!(err.contains("not confirmed"), "{err}");
    assert!(s
        .json(&["show", &victim, "--json"])
        .get("enquiry")
        .is_some());
    assert!(store_files_contain(&s.db, subject.as_bytes()));

    let applied = ok_at(&s, later, &["retention", "--apply", "--yes"]);
    assert!(applied.contains("0 refused"), "{applied}");
    let tomb = s.json(&["show", &victim, "--json"]);
    assert!(tomb.get("enquiry").is_none(), "{tomb}");
    assert!(
        tomb["erased"]["ground"]
            .as_str()
            .unwrap()
            .contains("approved"),
        "{tomb}"
    );
    assert!(
        !store_files_contain(&s.db, subject.as_bytes()),
        "erased text must be gone from the store files"
    );
    assert!(s
        .ok(&["audit", "verify"])
        .starts_with("audit chain verified"));
    assert!(s.ok(&["check"]).contains("no problems found"));
    // The package itself keeps the record: that is where it now lives.
    let enquiries = std::fs::read_to_string(pkg.join("Tables/table2/table2.xml")).unwrap();
    assert!(enquiries.contains(&victim));
}

#[test]
fn an_incomplete_archive_section_is_named_and_nothing_is_written() {
    let s = TestStore::new();
    let text = std::fs::read_to_string(policy_file(s.dir.path())).unwrap();
    let without: String = text
        .lines()
        .filter(|l| !l.starts_with("archive_code"))
        .collect::<Vec<_>>()
        .join("\n");
    let policy = s.dir.path().join("partial.toml");
    std::fs::write(&policy, without).unwrap();
    s.ok(&["policy", "--install", policy.to_str().unwrap()]);
    let out = s.dir.path().join("out");
    let err = fails_at(
        &s,
        AFTER_PERIOD,
        &["archive", "create", "--out", out.to_str().unwrap()],
    );
    assert!(err.contains("`archive_code`"), "{err}");
    assert!(!out.exists() || std::fs::read_dir(&out).unwrap().next().is_none());
}
