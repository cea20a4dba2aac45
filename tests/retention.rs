//! Retention end to end: listing what is due as of a date, applying it, and erasure that
//! leaves no trace of the enquiry in the store's files while the chain still verifies.

mod common;
use common::*;

fn store_files_contain(db: &std::path::Path, needle: &[u8]) -> bool {
    fn walk(p: &std::path::Path, needle: &[u8]) -> bool {
        std::fs::read_dir(p).unwrap().any(|e| {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(&p, needle)
            } else {
                let bytes = std::fs::read(&p).unwrap();
                bytes.windows(needle.len()).any(|w| w == needle)
            }
        })
    }
    walk(db, needle)
}

#[test]
fn retention_as_of_2040_lists_applies_and_the_chain_still_verifies() {
    let s = TestStore::demo();
    let listed = s.ok(&["retention", "--as-of", "2040-01-01"]);
    let summary = listed.lines().last().unwrap();
    // "as of 2040-01-01: 92 due for handover, 6 due for deletion, …"
    let number = |what: &str| -> usize {
        let counts = summary.split_once(": ").unwrap().1;
        let part = counts.split(", ").find(|p| p.contains(what)).unwrap();
        part.split(' ').next().unwrap().parse().unwrap()
    };
    let handovers = number("handover");
    assert!(handovers >= 20, "{summary}");
    assert!(number("deletion") >= 1, "{summary}");
    // Nothing is due today: the demo's archive period runs to 2026-12-31.
    let today = s.ok(&["retention"]);
    assert!(
        today
            .lines()
            .last()
            .unwrap()
            .contains(": 0 due for handover"),
        "{today}"
    );

    // Pick an erasable case and a distinctive piece of its text.
    let json = s.json(&["retention", "--as-of", "2040-01-01", "--json"]);
    let victim = json
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["purpose"] == "citizen-enquiries" && d["state"] == "handover-due")
        .unwrap()["reference"]
        .as_str()
        .unwrap()
        .to_string();
    let case = s.json(&["show", &victim, "--json"]);
    let subject = case["enquiry"]["subject"].as_str().unwrap().to_string();
    assert!(subject.len() >= 12, "{subject}");
    assert!(
        store_files_contain(&s.db, subject.as_bytes()),
        "the text is in the store before"
    );

    let applied = s.ok(&["retention", "--as-of", "2040-01-01", "--apply"]);
    assert!(
        applied.contains(&format!("applied: {handovers} handed over")),
        "{applied}"
    );
    assert!(applied.contains("0 refused"), "{applied}");
    let tomb = s.json(&["show", &victim, "--json"]);
    let r = &tomb["erased"]["reference"];
    assert_eq!(
        format!("{}-{:06}", r["year"], r["seq"].as_u64().unwrap()),
        victim
    );
    assert!(
        tomb["erased"]["ground"]
            .as_str()
            .unwrap()
            .contains("Retention ended"),
        "{tomb}"
    );
    assert!(tomb.get("enquiry").is_none());
    assert!(
        !store_files_contain(&s.db, subject.as_bytes()),
        "erased text must be gone from the store files"
    );
    let verify = s.ok(&["audit", "verify"]);
    assert!(verify.starts_with("audit chain verified"), "{verify}");
    assert!(s.ok(&["check"]).contains("no problems found"));
    // Nothing is due any more, except the recorded assessments humanitarian cases need.
    let after = s.ok(&["retention", "--as-of", "2040-01-01"]);
    assert!(
        after
            .lines()
            .last()
            .unwrap()
            .contains(": 0 due for handover, 0 due for deletion"),
        "{after}"
    );
}
