//! Fuzz smoke run under `cargo test`: the JSON Lines and e-mail importers, the policy loader,
//! the codec decoder and the server's frame decoder get arbitrary and mutated inputs; they
//! may refuse, never panic.
//! Cases per target: `TRIAGE_FUZZ_CASES` (default 512).

use proptest::prelude::*;
use std::path::Path;
use triage::domain::case::CaseRecord;
use triage::domain::command::Event;
use triage::domain::policy::Policy;
use triage::store::audit::AuditEntry;
use triage::store::codec;

fn cases() -> u32 {
    std::env::var("TRIAGE_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(512)
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Valid inputs to mutate: real demo lines, a real policy, real mails, real stored values.
fn seeds_jsonl() -> Vec<u8> {
    let text = std::fs::read_to_string(root().join("demo-data/enquiries.jsonl")).unwrap();
    text.lines()
        .take(3)
        .collect::<Vec<_>>()
        .join("\n")
        .into_bytes()
}

fn seed_policy() -> String {
    std::fs::read_to_string(root().join("demo-data/policy.toml")).unwrap()
}

fn seed_mail() -> Vec<u8> {
    std::fs::read(root().join("demo-data/mail/multipart-alternative-en.eml")).unwrap()
}

/// Flips, deletes and inserts bytes at positions the strategy picks.
fn mutate(mut data: Vec<u8>, edits: &[(usize, u8, u8)]) -> Vec<u8> {
    for &(pos, byte, op) in edits {
        if data.is_empty() {
            data.push(byte);
            continue;
        }
        let at = pos % data.len();
        match op % 3 {
            0 => data[at] ^= byte | 1,
            1 => {
                data.remove(at);
            }
            _ => data.insert(at, byte),
        }
    }
    data
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn jsonl_importer_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..2048), edits in proptest::collection::vec((any::<usize>(), any::<u8>(), any::<u8>()), 0..16)) {
        let _ = triage::import::read_jsonl(&bytes, Path::new("fuzz.jsonl"));
        let mutated = mutate(seeds_jsonl(), &edits);
        if let Ok(records) = triage::import::read_jsonl(&mutated, Path::new("fuzz.jsonl")) {
            // Whatever gets through is clean enough to show.
            for r in records {
                prop_assert!(!r.enquiry.body.contains('\x1b'), "escape left in");
                prop_assert!(!r.enquiry.subject.contains('\x1b'), "escape left in");
            }
        }
    }

    #[test]
    fn email_importer_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..2048), edits in proptest::collection::vec((any::<usize>(), any::<u8>(), any::<u8>()), 0..24)) {
        let _ = triage::import::parse_email(&bytes);
        let mutated = mutate(seed_mail(), &edits);
        if let Ok(e) = triage::import::parse_email(&mutated) {
            prop_assert!(!e.body.contains('\x1b'), "escape left in");
        }
    }

    #[test]
    fn policy_loader_never_panics(text in ".{0,400}", edits in proptest::collection::vec((any::<usize>(), any::<u8>(), any::<u8>()), 0..8)) {
        let _ = Policy::from_toml(&text, "fuzz.toml");
        let mutated = mutate(seed_policy().into_bytes(), &edits);
        if let Ok(s) = String::from_utf8(mutated) {
            if let Err(e) = Policy::from_toml(&s, "fuzz.toml") {
                prop_assert!(e.line >= 1 && e.line <= s.lines().count() + 1, "line {} out of range", e.line);
            }
        }
    }

    #[test]
    fn codec_decoder_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let mut b = bytes.clone();
        if !b.is_empty() {
            b[0] = codec::FORMAT;
        }
        let _ = codec::decode::<CaseRecord>(&b);
        let _ = codec::decode::<Event>(&b);
        let _ = AuditEntry::decode(&b);
        let _ = codec::decode::<CaseRecord>(&bytes);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn server_frame_decoder_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..1024), len in any::<u32>()) {
        use triage::server::protocol::{self, Call, Hello, ServerMessage};
        // A stream: header then body, arbitrary both; the limit must hold before allocation.
        let mut stream = len.to_be_bytes().to_vec();
        stream.extend_from_slice(&bytes);
        let limit = 16 * 1024 * 1024;
        if let Ok(Some(body)) = protocol::read_frame(&mut stream.as_slice(), limit) {
            prop_assert!(body.len() <= limit);
            let _ = protocol::decode::<Call>(&body);
            let _ = protocol::decode::<Hello>(&body);
            let _ = protocol::decode::<ServerMessage>(&body);
        }
        let _ = protocol::decode::<Call>(&bytes);
        let _ = protocol::decode::<ServerMessage>(&bytes);
    }
}

/// Mutations of real stored values: decoding refuses or yields a value, never panics.
#[test]
fn codec_decoder_survives_mutated_real_values() {
    let dir = tempfile::tempdir().unwrap();
    let store = triage::store::Store::open(&dir.path().join("db")).unwrap();
    let policy = Policy::from_toml(&seed_policy(), "demo").unwrap();
    let records = triage::import::read_jsonl(
        &std::fs::read(root().join("demo-data/enquiries.jsonl")).unwrap(),
        Path::new("demo"),
    )
    .unwrap();
    let batch: Vec<_> = records
        .into_iter()
        .take(20)
        .map(|r| triage::store::NewEnquiry {
            enquiry: r.enquiry,
            suggestions: vec![],
            source: r.source,
        })
        .collect();
    store
        .register(&policy, &batch, "fuzz", chrono::Utc::now())
        .unwrap();
    let mut tried = 0;
    for rec in store.raw_tree("cases").unwrap().iter() {
        let (_, v) = rec.unwrap();
        for pos in (1..v.len()).step_by(7) {
            for flip in [0x01u8, 0x80, 0xff] {
                let mut b = v.to_vec();
                b[pos] ^= flip;
                let _ = codec::decode::<CaseRecord>(&b);
                let _ = codec::decode::<CaseRecord>(&b[..pos]);
                tried += 2;
            }
        }
    }
    assert!(tried > 1000, "{tried}");
}
