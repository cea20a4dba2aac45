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
    /// another without a gap (None once there is one): a catch-up to exactly these needs
    /// to read nothing.
    span: Option<(u64, u64)>,
}

impl Prepared {
    fn add(&mut self, first: u64, last: u64, cases: impl IntoIterator<Item = Reference>) {
        self.span = match self.span {
            None if self.cases.is_empty() => Some((first, last)),
            Some((a, b)) if first == b + 1 => Some((a, last)),
            _ => None,
        };
        self.cases.extend(cases);
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
        let handed = docs.into_iter().try_for_each(|(r, d)| {
            writer.add_document(d)?;
            added.push(r);
            Ok(())
        });
        if let Err(e) = handed {
            // The writer goes, and every document it had not committed with it; the
            // catch-up reads them all from the store instead.
            st.writer = None;
            st.prepared = Prepared::default();
            return Err(failed(&self.dir)(e));
        }
        st.prepared.add(first, last, added);
        // Registrations are no erasures: `after_commit` need not read them to know it.
        if st.mark.seq.max(st.erasures_seen) + 1 == first {
            st.erasures_seen = last;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_gap_between_units_is_not_forgotten_by_later_ones() {
        let r = |seq| Reference::new(2026, seq);
        let mut p = Prepared::default();
        p.add(1, 2, [r(1), r(2)]);
        p.add(3, 4, [r(3), r(4)]);
        assert!(p.are_all_between(0, 4));
        p.add(6, 6, [r(5)]);
        assert!(!p.are_all_between(0, 6));
        p.add(7, 7, [r(6)]);
        assert!(!p.are_all_between(0, 7));
        assert!(!p.are_all_between(5, 7));
    }
}
