//! Looking at the index from outside: `triage check`'s comparison, and what erasure tests ask.

use super::fields::{key, Fields};
use super::query::Scope;
use super::{analyzer, audit, changed_since, failed, Mark, TextIndex, DIR};
use crate::domain::enquiry::Reference;
use crate::store::{Store, StoreError};
use std::path::Path;
use tantivy::{Index, Term};

/// `triage check`'s line on the index of `store` (read as it is, never rebuilt), and a
/// problem when it holds a case the store has erased or a different number of cases.
pub fn compare(store: &Store, live: u64, erased: &[Reference]) -> (String, Option<String>) {
    let dir = store.path().join(DIR);
    if !dir.join("meta.json").exists() {
        return (
            "none yet (built when the store is next opened)".into(),
            None,
        );
    }
    let (schema, fields) = Fields::schema();
    let index = match Index::open_in_dir(&dir) {
        Ok(i) if i.schema() == schema => i,
        Ok(_) => {
            return (
                "of an older version (rebuilt when the store is next opened)".into(),
                None,
            )
        }
        Err(e) => {
            return (
                format!("does not open: {e}"),
                Some(format!(
                "the search index does not open ({e}); it is rebuilt when the store is next opened"
            )),
            )
        }
    };
    let searcher = match index.reader() {
        Ok(r) => r.searcher(),
        Err(e) => {
            let p = format!("the search index cannot be read: {e}");
            return (p.clone(), Some(p));
        }
    };
    let mark = index
        .load_metas()
        .ok()
        .and_then(|m| m.payload)
        .and_then(|p| Mark::parse(&p))
        .unwrap_or_default();
    let head = match TextIndex::head(store) {
        Ok(h) => h,
        Err(e) => return (format!("not compared: {e}"), None),
    };
    let docs = searcher.num_docs();
    let still_there: Vec<String> = erased
        .iter()
        .filter(|r| {
            searcher
                .doc_freq(&Term::from_field_u64(fields.reference, key(**r)))
                .is_ok_and(|n| n > 0)
        })
        .map(|r| r.to_string())
        .collect();
    let holds = match store
        .raw_tree("audit")
        .and_then(|a| Ok(a.get(mark.seq.to_be_bytes())?))
    {
        Ok(Some(bytes)) => audit::digest(&bytes) == mark.hash,
        Ok(None) => mark.seq == 0,
        Err(_) => false,
    };
    let behind = match changed_since(store, mark.seq, head.seq) {
        Ok(c) if holds && mark.seq <= head.seq => c.len(),
        _ => {
            return (
                format!("{docs} cases indexed, for another audit chain (rebuilt when the store is next opened)"),
                None,
            )
        }
    };
    let line = if behind == 0 {
        format!("{docs} cases indexed, in step with the store")
    } else {
        format!("{docs} cases indexed, {behind} changed case(s) behind (caught up when the store is next opened)")
    };
    if !still_there.is_empty() {
        let p = format!(
            "the search index still holds the words of erased case(s) {}: open the store once (it catches up and rewrites the index)",
            still_there.join(", ")
        );
        return (line, Some(p));
    }
    if behind == 0 && docs != live {
        let p = format!(
            "the search index holds {docs} cases, the store {live} live cases: remove {} and open the store to rebuild it",
            dir.display()
        );
        return (line, Some(p));
    }
    (line, None)
}

/// How many documents of the index in `dir` hold `word` (as the analysers make it), counting
/// deleted documents not yet merged away: zero means no segment's dictionary has the term.
/// For tests and audits of erasure; opens the index read-only.
pub fn documents_holding(dir: &Path, word: &str) -> Result<u64, StoreError> {
    let index = Index::open_in_dir(dir).map_err(failed(dir))?;
    let (_, fields) = Fields::schema();
    let searcher = index.reader().map_err(failed(dir))?.searcher();
    let mut n = 0;
    for field in fields.of(Scope::Everywhere) {
        let mut a = if fields.is_english(field) {
            analyzer::english()
        } else {
            analyzer::danish()
        };
        for t in analyzer::tokens(&mut a, word) {
            n += searcher
                .doc_freq(&Term::from_field_text(field, &t))
                .map_err(failed(dir))?;
        }
    }
    Ok(n)
}

/// Files in the index directory that belong to no segment of its last commit (left by a
/// merge until garbage collection): after a purge there are none.
pub fn stray_files(dir: &Path) -> Result<Vec<String>, StoreError> {
    let index = Index::open_in_dir(dir).map_err(failed(dir))?;
    let live: Vec<String> = index
        .searchable_segment_ids()
        .map_err(failed(dir))?
        .iter()
        .map(|id| id.uuid_string())
        .collect();
    let mut stray = Vec::new();
    for e in std::fs::read_dir(dir).map_err(|cause| StoreError::Directory {
        path: dir.to_path_buf(),
        cause,
    })? {
        let name = e
            .map_err(|cause| StoreError::Directory {
                path: dir.to_path_buf(),
                cause,
            })?
            .file_name()
            .to_string_lossy()
            .into_owned();
        if name.starts_with('.') || name == "meta.json" {
            continue;
        }
        if !live.iter().any(|id| name.starts_with(id.as_str())) {
            stray.push(name);
        }
    }
    Ok(stray)
}
