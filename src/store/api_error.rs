//! The error that crosses the `Api`: kinds a person or a program can act on, never the storage engine's own.

use super::{ago, StoreError};
use crate::domain::command::Refusal;
use crate::domain::enquiry::Reference;
use chrono::{DateTime, Utc};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    /// The rules or a role said no; the refusal says which and why.
    #[error(transparent)]
    Refused(#[from] Refusal),
    /// The case is restricted from the caller (see `server::rules`).
    #[error("{0} is restricted (Art. 23): only the DPO, an administrator, its assignee and whoever restricted it may see it")]
    Hidden(Reference),
    #[error("no case {0}")]
    NotFound(Reference),
    #[error("{0} has been erased; only its tombstone remains")]
    Erased(Reference),
    /// Someone else changed the case since the caller read it: reload and decide again.
    #[error("{reference} was changed by {by} {}: reload? (you decided on version {expected}; it is now version {actual}; reload and decide again)", ago(.at, Utc::now()))]
    Conflict {
        reference: Reference,
        expected: u64,
        actual: u64,
        by: String,
        at: DateTime<Utc>,
    },
    /// What the caller gave cannot be used (a query, a package name, a date).
    #[error("{0}")]
    BadInput(String),
    /// The store or its server cannot be used now (missing, locked, stopped, the link lost).
    #[error("{0}")]
    Unavailable(String),
    /// The store answered, but something in it is damaged: check it, restore a backup.
    #[error("{0}")]
    Damaged(String),
}

impl ApiError {
    /// True for the kinds that are a decision about the request, not a failure of the store.
    pub fn is_refusal(&self) -> bool {
        matches!(
            self,
            ApiError::Refused(_)
                | ApiError::Hidden(_)
                | ApiError::NotFound(_)
                | ApiError::Erased(_)
                | ApiError::Conflict { .. }
        )
    }
}

/// The boundary: a store error becomes the kind a caller acts on, its words kept (they
/// already say what to do), the storage engine's type left behind.
impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound(r) => ApiError::NotFound(r),
            StoreError::Erased(r) => ApiError::Erased(r),
            StoreError::Hidden(r) => ApiError::Hidden(r),
            StoreError::Refused(r) => ApiError::Refused(r),
            StoreError::Conflict {
                reference,
                expected,
                actual,
                by,
                at,
            } => ApiError::Conflict {
                reference,
                expected,
                actual,
                by,
                at,
            },
            e @ (StoreError::NoStore { .. }
            | StoreError::Locked { .. }
            | StoreError::Directory { .. }
            | StoreError::Server(_)
            | StoreError::Search(_)
            | StoreError::Cancelled) => ApiError::Unavailable(e.to_string()),
            e @ (StoreError::Open { .. }
            | StoreError::Sled(_)
            | StoreError::Corrupt { .. }
            | StoreError::Encode(_)
            | StoreError::Damaged { .. }
            | StoreError::Journal(_)) => ApiError::Damaged(e.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn store_errors_keep_their_kind_and_words_but_not_their_type() {
        let r = Reference::new(2026, 4);
        assert_eq!(
            ApiError::from(StoreError::NotFound(r)),
            ApiError::NotFound(r)
        );
        let sled = StoreError::Sled(sled::Error::Unsupported("x".into()));
        let words = sled.to_string();
        match ApiError::from(sled) {
            ApiError::Damaged(s) => assert_eq!(s, words),
            other => panic!("{other:?}"),
        }
        let gone = ApiError::from(StoreError::Server("the server is stopping".into()));
        assert!(matches!(gone, ApiError::Unavailable(_)));
        assert!(!gone.is_refusal());
        let refused = ApiError::from(StoreError::Refused(Refusal::Invalid(
            crate::domain::invalid::Invalid::Other("no".into()),
        )));
        assert!(refused.is_refusal());
        assert_eq!(refused.to_string(), "no");
    }
}
