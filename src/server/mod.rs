//! The multi-user daemon (`triage serve`) and its client, speaking the store's `Api` over a Unix socket.

pub mod client;
pub mod daemon;
pub mod protocol;
pub mod rules;
pub mod unix;

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
    #[test]
    fn the_default_socket_sits_beside_the_store() {
        assert_eq!(
            super::default_socket(std::path::Path::new("/var/lib/triage/store")),
            std::path::PathBuf::from("/var/lib/triage/store.sock")
        );
    }
}
