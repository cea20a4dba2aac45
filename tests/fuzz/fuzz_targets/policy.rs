//! The policy loader: any text is refused with a line inside the text, or loaded.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Err(e) = triage::domain::policy::Policy::from_toml(text, "fuzz.toml") {
            assert!(e.line >= 1 && e.line <= text.lines().count() + 1);
        }
    }
});
