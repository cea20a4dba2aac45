//! Half-written justifications, kept per case and login until the command is given.

use super::{abort, codec, ref_key, Store, StoreError};
use crate::domain::case::CaseRecord;
use crate::domain::enquiry::Reference;

impl Store {
    /// Saves a half-written justification so a dropped connection loses nothing. Refused
    /// for a case that is missing or erased: checked in the same transaction as the write,
    /// so no draft outlives an erasure (see [`Store::sweep_erased`]).
    pub fn save_draft(
        &self,
        reference: Reference,
        login: &str,
        text: &str,
    ) -> Result<(), StoreError> {
        let mut k = ref_key(reference).to_vec();
        k.extend_from_slice(login.as_bytes());
        self.transaction(|tx| {
            match tx.cases.get(&ref_key(reference))? {
                None => return abort(StoreError::NotFound(reference)),
                Some(b) if matches!(codec::decode(&b), Ok(CaseRecord::Erased(_))) => {
                    return abort(StoreError::Erased(reference))
                }
                Some(_) => {}
            }
            if text.is_empty() {
                tx.drafts.remove(k.as_slice())?;
            } else {
                tx.drafts.insert(k.as_slice(), text.as_bytes())?;
            }
            Ok(())
        })?;
        Ok(())
    }

    /// After an erasure commits: removes the case's drafts and access records written
    /// between [`Store::erase_keys`]'s scan and the commit, scanning again until nothing
    /// is left. A transaction cannot scan; each round deletes in one that first checks the
    /// case is still erased. No new draft can arrive once the tombstone is in place.
    pub(super) fn sweep_erased(&self, reference: Reference) -> Result<(), StoreError> {
        loop {
            let left = self.keys_of(reference)?;
            if left.access.is_empty() && left.drafts.is_empty() {
                return Ok(());
            }
            let erased = self.transaction(|tx| {
                let erased = tx
                    .cases
                    .get(&ref_key(reference))?
                    .is_some_and(|b| matches!(codec::decode(&b), Ok(CaseRecord::Erased(_))));
                if erased {
                    for k in &left.access {
                        tx.access.remove(k)?;
                    }
                    for k in &left.drafts {
                        tx.drafts.remove(k)?;
                    }
                }
                Ok(erased)
            })?;
            if !erased {
                return Ok(());
            }
        }
    }

    pub fn draft(&self, reference: Reference, login: &str) -> Result<Option<String>, StoreError> {
        let mut k = ref_key(reference).to_vec();
        k.extend_from_slice(login.as_bytes());
        Ok(self
            .drafts
            .get(k)?
            .map(|v| String::from_utf8_lossy(&v).into_owned()))
    }
}
