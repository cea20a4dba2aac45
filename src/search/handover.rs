//! A bulk registration's documents handed to the index writer while the unit is stored, so
//! tantivy indexes them on the other core instead of after the import.
//!
//! The hand-over holds the index while the unit is written: no catch-up, rebuild or search
//! can commit a document whose case the store may still refuse. A unit that is stored
//! confirms its documents (the next catch-up commits them without reading the cases back);
//! one that fails takes them out again, before anything could commit them.

use super::{failed, key, State, TextIndex};
use crate::domain::enquiry::Reference;
use crate::store::StoreError;
use rustc_hash::FxHashSet;
use std::sync::MutexGuard;
use tantivy::{TantivyDocument, Term};

/// Cases a bulk registration handed over, in the writer but not committed: the catch-up
/// that commits them does not read them back from the store.
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

/// Documents in the writer for a unit being stored by audit entries `first..=last`; the
/// index stays held until the unit is confirmed or the hand-over dropped (taken back).
pub struct HandOver<'a> {
    index: &'a TextIndex,
    st: MutexGuard<'a, State>,
    first: u64,
    last: u64,
    cases: Vec<Reference>,
    confirmed: bool,
}

impl HandOver<'_> {
    /// The unit is stored: its documents stay for the next catch-up to commit.
    pub fn confirm(mut self) {
        let cases = std::mem::take(&mut self.cases);
        self.st.prepared.add(self.first, self.last, cases);
        self.confirmed = true;
    }
}

impl Drop for HandOver<'_> {
    fn drop(&mut self) {
        if self.confirmed {
            return;
        }
        // Deleting a term removes every document added before it, committed or not.
        let field = self.index.fields.reference;
        if let Some(w) = self.st.writer.as_mut() {
            for r in &self.cases {
                w.delete_term(Term::from_field_u64(field, key(*r)));
            }
        }
    }
}

impl TextIndex {
    /// Hands the writer the documents of a unit about to be stored by audit entries
    /// `first..=last`. None when nothing is handed over: the catch-up reads those cases
    /// instead (an index already past them, or a rebuild whose catch-up is still owed).
    pub fn hand_over(
        &self,
        first: u64,
        last: u64,
        docs: Vec<(Reference, TantivyDocument)>,
    ) -> Result<Option<HandOver<'_>>, StoreError> {
        let mut st = self.lock();
        if st.mark.seq >= last || st.after_rebuild || docs.is_empty() {
            return Ok(None);
        }
        let writer = self.writer(&mut st)?;
        let mut cases = Vec::with_capacity(docs.len());
        for (r, d) in docs {
            if let Err(e) = writer.add_document(d) {
                // The writer goes, and every document it had not committed with it; the
                // catch-up reads them all from the store instead.
                st.writer = None;
                st.prepared = Prepared::default();
                return Err(failed(&self.dir)(e));
            }
            cases.push(r);
        }
        Ok(Some(HandOver {
            index: self,
            st,
            first,
            last,
            cases,
            confirmed: false,
        }))
    }

    /// Hands over the documents of cases already stored by `first..=last`.
    pub fn prepare(
        &self,
        first: u64,
        last: u64,
        docs: Vec<(Reference, TantivyDocument)>,
    ) -> Result<(), StoreError> {
        if let Some(h) = self.hand_over(first, last, docs)? {
            h.confirm();
        }
        Ok(())
    }
}
