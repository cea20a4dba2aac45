//! A bulk registration's documents handed to the index writer as each unit is stored, so
//! tantivy indexes one unit while sled writes the next, and the catch-up that commits them
//! (the next search or open, as after any command) does not read those cases back.

use super::{failed, TextIndex};
use crate::domain::enquiry::Reference;
use crate::store::StoreError;
use rustc_hash::FxHashSet;
use tantivy::TantivyDocument;

/// Cases a bulk registration handed over (`prepare`), in the writer but not committed: the
/// catch-up that commits them does not read them back from the store.
#[derive(Default)]
pub(super) struct Prepared {
    pub(super) cases: FxHashSet<Reference>,
    /// The audit entries they were registered by, first and last, while those follow one
    /// another without a gap: a catch-up to exactly these needs to read nothing.
    span: Option<(u64, u64)>,
    gap: bool,
}

impl Prepared {
    fn add(&mut self, first: u64, last: u64, cases: impl IntoIterator<Item = Reference>) {
        self.cases.extend(cases);
        self.span = match self.span {
            None if !self.gap => Some((first, last)),
            Some((a, b)) if first == b + 1 => Some((a, last)),
            _ => {
                self.gap = true;
                None
            }
        };
    }

    /// Whether these are exactly the audit entries after `mark` up to `head`.
    pub(super) fn are_all_between(&self, mark: u64, head: u64) -> bool {
        self.span == Some((mark + 1, head))
    }
}

impl TextIndex {
    /// Hands the writer the documents of cases a bulk registration has just stored by
    /// audit entries `first..=last`, so they are indexed on the other core while the next
    /// unit is written; the next catch-up commits them. Nothing is handed over that a
    /// catch-up or a rebuild may already have read from the store.
    pub fn prepare(
        &self,
        first: u64,
        last: u64,
        docs: Vec<(Reference, TantivyDocument)>,
    ) -> Result<(), StoreError> {
        let mut st = self.lock();
        if st.mark.seq >= last || st.after_rebuild || docs.is_empty() {
            return Ok(());
        }
        let writer = self.writer(&mut st)?;
        let mut added = Vec::with_capacity(docs.len());
        let mut result = Ok(());
        for (r, d) in docs {
            if let Err(e) = writer.add_document(d) {
                result = Err(failed(&self.dir)(e));
                break;
            }
            added.push(r);
        }
        if result.is_err() {
            // The writer goes, and every document it had not committed with it; the
            // catch-up reads them all from the store instead.
            st.writer = None;
            st.prepared = Prepared::default();
            return result;
        }
        st.prepared.add(first, last, added);
        // Registrations are no erasures: `after_commit` need not read them to know it.
        if st.mark.seq.max(st.erasures_seen) + 1 == first {
            st.erasures_seen = last;
        }
        Ok(())
    }
}
