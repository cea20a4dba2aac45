//! How soon the allocator (mimalloc, the binary's) gives freed memory back to the system:
//! the one option of it that commands set for themselves. Option 15 is
//! `mi_option_purge_delay` (the `mimalloc` crate exposes options only with a feature that
//! needs another crate). Where the binary's allocator is another (the library's tests), it
//! sets an option of an allocator nobody uses.

// Linked even where nothing else of the crate is used.
use mimalloc as _;

extern "C" {
    fn mi_option_set(option: std::os::raw::c_int, value: std::os::raw::c_long);
}

const PURGE_DELAY: std::os::raw::c_int = 15;

/// Freed memory goes back after `ms` milliseconds (mimalloc's default: a second).
///
/// The packager uses 10 ms: each of its phases frees what the one before held (opening a
/// large store, the tables, the events), and it peaked about 45 MB higher at 100,000 cases
/// with the default; at once (0) saved 5–40 MB more but made the events a fifth slower
/// (`triage bench --only archive`).
pub fn purge_after_ms(ms: u32) {
    set(i64::from(ms));
}

/// Freed memory is kept for reuse until the process ends: for a short batch command whose
/// peak is what it is anyway. An import otherwise gave back and faulted in again, zeroed
/// by the kernel, the memory each unit and the index writer free: about a tenth of an
/// import with the search index (`triage bench --only import`).
pub fn keep_freed_memory() {
    set(-1);
}

fn set(value: i64) {
    // Safe: a plain integer mimalloc reads at each purge.
    unsafe { mi_option_set(PURGE_DELAY, value as std::os::raw::c_long) }
}
