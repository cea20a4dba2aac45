//! The JSON Lines importer: any bytes are refused with a line number or imported clean.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(records) = triage::import::read_jsonl(data, std::path::Path::new("fuzz.jsonl")) {
        for r in records {
            assert!(!r.enquiry.body.contains('\x1b'));
            assert!(!r.enquiry.subject.contains('\x1b'));
        }
    }
});
