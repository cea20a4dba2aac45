//! The multi-user daemon (`triage serve`) and its client, speaking the store's `Api` over a Unix socket.

pub mod anchor;
mod archive;
pub mod client;
pub mod daemon;
pub mod protocol;
pub mod rules;
pub mod unix;
mod whole;

pub use archive::outbox;
pub use client::{Client, ConnectError};
pub use daemon::{Config, ServeError, Server, Stopper};

use std::path::{Path, PathBuf};

/// Where a server for the store at `db` listens unless told otherwise: beside the store
/// directory (`/var/lib/triage/store` → `/var/lib/triage/store.sock`), so a client that
/// knows the store finds its server without further configuration.
pub fn default_socket(db: &Path) -> PathBuf {
    let mut s = db.as_os_str().to_owned();
    s.push(".sock");
    PathBuf::from(s)
}

#[cfg(test)]
mod tests {
    use chrono::{Duration, TimeZone, Utc};

    #[test]
    fn a_conflict_says_who_and_how_long_ago() {
        let at = Utc.with_ymd_and_hms(2026, 11, 24, 9, 0, 0).unwrap();
        let ago = |s: i64| crate::store::ago(&at, at + Duration::seconds(s));
        assert_eq!(ago(3), "3 s ago");
        assert_eq!(ago(600), "10 min ago");
        assert_eq!(ago(3 * 3600), "3 h ago");
        assert_eq!(ago(3 * 86400), "at 2026-11-24 09:00 UTC");
        // A clock behind the writer's must not say "-2 s ago".
        assert_eq!(ago(-2), "at 2026-11-24 09:00 UTC");
        let e = crate::store::StoreError::Conflict {
            reference: crate::domain::enquiry::Reference::new(2026, 1),
            expected: 1,
            actual: 2,
            by: "anne".into(),
            at: Utc::now() - Duration::seconds(3),
        };
        let text = e.to_string();
        assert!(text.contains("changed by anne 3 s ago: reload?"), "{text}");
    }

    #[test]
    fn the_default_socket_sits_beside_the_store() {
        assert_eq!(
            super::default_socket(std::path::Path::new("/var/lib/triage/store")),
            std::path::PathBuf::from("/var/lib/triage/store.sock")
        );
    }
}
