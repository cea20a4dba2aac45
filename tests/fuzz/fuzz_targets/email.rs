//! The e-mail importer: any message is refused or imported clean.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(e) = triage::import::parse_email(data) {
        assert!(!e.body.contains('\x1b'));
        assert!(!e.sender.name.contains('\x1b'));
    }
});
