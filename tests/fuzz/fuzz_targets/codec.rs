//! The codec decoder: any stored bytes decode or are refused, never panic or over-allocate.
#![no_main]
use libfuzzer_sys::fuzz_target;
use triage::store::codec;

fuzz_target!(|data: &[u8]| {
    let _ = codec::decode::<triage::domain::case::CaseRecord>(data);
    let _ = codec::decode::<triage::domain::command::Event>(data);
    let _ = triage::store::audit::AuditEntry::decode(data);
    let _ = codec::decode::<triage::domain::summary::CaseSummary>(data);
});
