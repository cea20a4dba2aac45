//! Retention end to end: listing what is due as of a date, refusing a future date for --apply,
//! and erasing what is not of preservation value while the chain still verifies.
//! (Erasure after the archives' approval is in tests/archive.rs.)

mod common;
use common::*;

#[test]
fn retention_lists_by_step_refuses_a_future_apply_and_erases_only_what_skips_the_archives() {
    let s = TestStore::demo();
    let listed = s.ok(&["retention", "--as-of", "2040-01-01"]);
    let summary = listed.lines().last().unwrap();
    // "as of 2040-01-01: 92 due for an archival version, 0 awaiting …, 6 due for deletion, …"
    let number = |summary: &str, what: &str| -> usize {
        let counts = summary.split_once(": ").unwrap().1;
        let part = counts.split(", ").find(|p| p.contains(what)).unwrap();
        part.split(' ').next().unwrap().parse().unwrap()
    };
    assert!(number(summary, "archival version") >= 20, "{summary}");
    assert!(number(summary, "deletion") >= 1, "{summary}");
    // Nothing is due for the archives today: the demo's archive period runs to 2026-12-31.
    let today = s.ok(&["retention"]);
    let today_summary = today.lines().last().unwrap();
    assert_eq!(number(today_summary, "archival version"), 0, "{today}");

    // --apply acts on today only.
    let err = s.fails(&["retention", "--as-of", "2040-01-01", "--apply", "--yes"]);
    assert!(err.contains("after today"), "{err}");
    assert!(err.lines().count() == 1, "said once: {err}");

    // What is due for deletion today is of a purpose that skips the archives.
    let json = s.json(&["retention", "--json"]);
    let victims: Vec<String> = json
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["state"] == "deletion-due")
        .map(|d| d["reference"].as_str().unwrap().to_string())
        .collect();
    assert!(!victims.is_empty(), "{json}");
    let applied = s.ok(&["retention", "--apply", "--yes"]);
    assert!(
        applied.contains(&format!("applied: {} erased, 0 refused", victims.len())),
        "{applied}"
    );
    for v in &victims {
        let tomb = s.json(&["show", v, "--json"]);
        assert!(tomb.get("enquiry").is_none(), "{tomb}");
    }
    let verify = s.ok(&["audit", "verify"]);
    assert!(verify.starts_with("audit chain verified"), "{verify}");
    assert!(s.ok(&["check"]).contains("no problems found"));
}
