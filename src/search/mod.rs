//! The full-text index over every enquiry, in `<store>/search/`, kept in step with the audit head.
//!
//! The index records the audit sequence number it reflects (in its commit payload). After each
//! commit the store calls [`TextIndex::catch_up`], which reads the audit entries since then and
//! re-indexes the cases they name; on open, an index that is missing, damaged or from another
//! chain is rebuilt, and one that is behind catches up the same way. So it is never silently
//! stale: a crash between the store's commit and the index's only delays the catch-up.
//!
//! Only terms are kept (no stored text): snippets are cut from the case as the store holds it.
//! An erased case's terms leave the files: its segments are rewritten, then the old files go.

pub mod analyzer;
mod checksum;
mod fields;
mod inspect;
pub mod mentions;
mod pairs;
mod prepared;
pub mod query;
mod snippet;

use fields::{key, reference_of, Fields};
pub use inspect::{compare, documents_holding, stray_files};
use prepared::Prepared;

use crate::domain::case::{Case, CaseRecord};
use crate::domain::command::{Access, Refusal};
use crate::domain::enquiry::Reference;
use crate::domain::invalid::Invalid;
use crate::store::audit::{self, AuditEntry};
use crate::store::{Store, StoreError};
use query::Clause;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use tantivy::collector::TopDocs;
use tantivy::indexer::NoMergePolicy;
use tantivy::query::{BooleanQuery, Occur, PhraseQuery, Query, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

/// The directory of the index inside a store.
pub const DIR: &str = "search";

/// A file in the index directory while an erasure's words may still be in its segments:
/// written before the erasure is committed to the index, removed once they are rewritten.
pub const PURGE_OWED: &str = ".purge-owed";

/// Audit actions that never change the text of a case; every other change re-indexes it,
/// so a command added later is indexed unless it is listed here. ("answer", "close" and
/// "extend" add a note, so they are not.)
const KEEPS_TEXT: &[&str] = &[
    "classify",
    "set-purpose",
    "route",
    "forward",
    "employer-notice",
    "withdraw",
    "assign",
    "decide",
    "restrict",
    "unrestrict",
    "hold",
    "release-hold",
    "pause",
    "resume",
    "hand-over",
    "assess",
    "archive-package",
    "archive-approved",
];

/// Cases read and made into documents at once while catching up.
const CATCH_UP_CHUNK: usize = 4096;

/// Memory the writer may fill before it writes a segment, per indexing thread.
const WRITER_BYTES_PER_THREAD: usize = 40_000_000;

/// One case a search found: its reference, how well it matched, and where.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hit {
    pub reference: Reference,
    pub score: f32,
    /// About 150 characters around the best match, CPR numbers masked, sanitised, one line.
    pub snippet: String,
    /// The matched words in `snippet`, as character ranges (start, end).
    pub highlights: Vec<(u32, u32)>,
}

/// What the index reflects: the audit entry it is in step with, and that entry's hash (so an
/// index copied beside another store, or a chain rewritten, is noticed and rebuilt).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct Mark {
    seq: u64,
    hash: audit::Hash,
}

/// The mark's version: an index whose mark has another is rebuilt on open.
const MARK_PREFIX: &str = "triage-search/2 seq=";

impl Mark {
    fn payload(&self) -> String {
        format!("{MARK_PREFIX}{} hash={}", self.seq, audit::hex(&self.hash))
    }

    fn parse(payload: &str) -> Option<Mark> {
        let rest = payload.strip_prefix(MARK_PREFIX)?;
        let (seq, hash) = rest.split_once(" hash=")?;
        let bytes: Vec<u8> = (0..hash.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(hash.get(i..i + 2)?, 16).ok())
            .collect::<Option<_>>()?;
        Some(Mark {
            seq: seq.parse().ok()?,
            hash: bytes.try_into().ok()?,
        })
    }
}

struct State {
    writer: Option<IndexWriter>,
    mark: Mark,
    /// After a rebuild, a case registered while it read may already be in: the catch-up
    /// that follows deletes before it adds, even for new cases.
    after_rebuild: bool,
    /// The last audit entry already looked at for an erasure after a commit: each commit
    /// looks only at the entries after it, not at everything since the last catch-up
    /// (which grew with every command until a search came, and made commits slower).
    erasures_seen: u64,
    /// What bulk registrations handed over since the last commit (see `prepare`).
    prepared: Prepared,
}

/// The full-text index of one store.
pub struct TextIndex {
    index: Index,
    reader: IndexReader,
    fields: Fields,
    dir: PathBuf,
    state: Mutex<State>,
}

fn failed(dir: &Path) -> impl Fn(tantivy::TantivyError) -> StoreError + '_ {
    move |e| StoreError::Search(format!("the search index in {}: {e}", dir.display()))
}

/// The cases whose text changed in the audit entries after `from` up to `to`, each with
/// whether it was only registered there (then it has nothing in the index to delete).
fn changed_since(
    store: &Store,
    from: u64,
    to: u64,
) -> Result<BTreeMap<Reference, bool>, StoreError> {
    let audit = store.raw_tree("audit")?;
    let mut changed = BTreeMap::new();
    for item in audit.range((from + 1).to_be_bytes()..=to.to_be_bytes()) {
        let (_, bytes) = item?;
        let entry = AuditEntry::decode(&bytes).map_err(|source| StoreError::Corrupt {
            what: "an audit entry".into(),
            source,
        })?;
        if entry.version != 0 && !KEEPS_TEXT.contains(&entry.action.as_str()) {
            if let Some(r) = entry.reference {
                let new = entry.action == "register";
                *changed.entry(r).or_insert(new) &= new;
            }
        }
    }
    Ok(changed)
}

/// Most hits one search returns.
pub const MAX_LIMIT: usize = 1000;

/// A malformed query, as the refusal every client shows.
pub fn refused(e: query::QueryError) -> StoreError {
    StoreError::Refused(Refusal::Invalid(Invalid::Other(e.to_string())))
}

/// One search as an actor makes it: the query checked, its terms logged as a read (only
/// when there is something to look for), then the index asked. The embedded store and the
/// server both come here.
pub fn run(
    store: &Store,
    login: &str,
    text: &str,
    limit: usize,
    visible: &dyn Fn(&CaseRecord) -> bool,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Vec<Hit>, StoreError> {
    let clauses = query::parse(text).map_err(refused)?;
    if clauses.is_empty() || limit == 0 {
        return Ok(Vec::new());
    }
    store.log_access(
        login,
        None,
        &Access::Search {
            terms: text.to_string(),
        },
        now,
    )?;
    // Commits leave the index behind (see `after_commit`): a search first catches up, so it
    // always sees what was committed before it.
    let index = attach(store)?;
    index.catch_up(store)?;
    index.search(store, text, limit.min(MAX_LIMIT), visible)
}

/// Opens the store's index (building or bringing it up to date, with a line on stderr) and
/// hands it to the store, which keeps it in step from then on.
pub fn attach(store: &Store) -> Result<Arc<TextIndex>, StoreError> {
    if let Some(i) = store.text_index() {
        return Ok(i.clone());
    }
    let index = Arc::new(TextIndex::open(store, true)?);
    store.set_text_index(index.clone());
    Ok(index)
}

impl TextIndex {
    /// Opens the index of `store`; rebuilds it when missing, damaged or not of this chain, and
    /// brings it up to date. `tell` prints what it does on stderr.
    pub fn open(store: &Store, tell: bool) -> Result<TextIndex, StoreError> {
        match Self::open_at(store, tell, false) {
            Ok(index) => Ok(index),
            // The index is derived from the store: one that cannot be read (a damaged
            // segment shows only when a reader opens it) is made anew, never trusted.
            Err(e) => {
                if tell {
                    eprintln!(
                        "triage: the search index could not be read ({}); rebuilding it",
                        crate::domain::sanitize::sanitize_line(&e.to_string())
                    );
                }
                Self::open_at(store, tell, true)
            }
        }
    }

    fn open_at(store: &Store, tell: bool, fresh: bool) -> Result<TextIndex, StoreError> {
        let dir = store.path().join(DIR);
        let (schema, fields) = Fields::schema();
        // Every file's checksum is checked before a reader touches it: tantivy trusts its
        // files (a flipped bit in a term dictionary panics), and the index is only derived
        // data, so a damaged one is rebuilt from the store.
        let existing = (!fresh)
            .then(|| Index::open_in_dir(&dir).ok())
            .flatten()
            .filter(|i| i.schema() == schema)
            .filter(|i| checksum::holds(i, &dir))
            // A mark of an earlier version: that index may lack what it did not re-index
            // then (the notes an answer, a close or an extension left, before version 2).
            .and_then(|i| match i.load_metas().ok().and_then(|m| m.payload) {
                None => Some((i, Mark::default())),
                Some(p) => Mark::parse(&p).map(|mark| (i, mark)),
            });
        let why = match &existing {
            Some(_) => None,
            None if fresh || dir.join("meta.json").exists() => {
                Some("it was damaged or of an older version")
            }
            None => Some("there was none"),
        };
        let (index, mark) = match existing {
            Some(found) => found,
            None => {
                let _ = std::fs::remove_dir_all(&dir);
                std::fs::create_dir_all(&dir).map_err(|cause| StoreError::Directory {
                    path: dir.clone(),
                    cause,
                })?;
                let index = Index::create_in_dir(&dir, schema).map_err(failed(&dir))?;
                (index, Mark::default())
            }
        };
        index
            .tokenizers()
            .register(analyzer::DANISH, analyzer::danish());
        index
            .tokenizers()
            .register(analyzer::ENGLISH, analyzer::english());
        index.tokenizers().register(
            pairs::DANISH_PAIRS,
            pairs::Pairs::analyzer(analyzer::danish()),
        );
        index.tokenizers().register(
            pairs::ENGLISH_PAIRS,
            pairs::Pairs::analyzer(analyzer::english()),
        );
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(failed(&dir))?;
        let this = TextIndex {
            index,
            reader,
            fields,
            dir,
            state: Mutex::new(State {
                writer: None,
                mark,
                after_rebuild: false,
                erasures_seen: 0,
                prepared: Prepared::default(),
            }),
        };
        let of_this_chain = this.mark_holds(store, &mark)?;
        match (why, of_this_chain) {
            (Some(why), _) => this.rebuild(store, tell.then_some(why))?,
            (None, false) => this.rebuild(
                store,
                tell.then_some("it does not match this store's audit chain"),
            )?,
            (None, true) => {
                this.catch_up_telling(store, tell)?;
            }
        }
        Ok(this)
    }

    /// The audit entry the mark names is still there with the same hash.
    fn mark_holds(&self, store: &Store, mark: &Mark) -> Result<bool, StoreError> {
        if mark.seq == 0 {
            return Ok(true);
        }
        let audit = store.raw_tree("audit")?;
        Ok(match audit.get(mark.seq.to_be_bytes())? {
            Some(bytes) => audit::digest(&bytes) == mark.hash,
            None => false,
        })
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn writer<'a>(&self, st: &'a mut State) -> Result<&'a mut IndexWriter, StoreError> {
        if st.writer.is_none() {
            let threads = std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(1)
                .clamp(1, 2);
            st.writer = Some(
                self.index
                    .writer_with_num_threads(threads, threads * WRITER_BYTES_PER_THREAD)
                    .map_err(failed(&self.dir))?,
            );
        }
        Ok(st.writer.as_mut().expect("just made"))
    }

    /// The audit head as a mark.
    fn head(store: &Store) -> Result<Mark, StoreError> {
        let h = store.audit_head()?;
        Ok(Mark {
            seq: h.seq,
            hash: h.hash,
        })
    }

    /// Throws the index away and indexes every live case again.
    fn rebuild(&self, store: &Store, why: Option<&str>) -> Result<(), StoreError> {
        let mut st = self.lock();
        let started = std::time::Instant::now();
        // The head first: a change committed while we read is caught up afterwards.
        let head = Self::head(store)?;
        let total = store.case_count();
        // A new, empty store needs no word about it.
        let why = why.filter(|_| total > 0);
        if let Some(why) = why {
            eprintln!("triage: building the search index over {total} cases ({why})…");
        }
        let fields = self.fields;
        let had_prepared = !std::mem::take(&mut st.prepared).cases.is_empty();
        let writer = self.writer(&mut st)?;
        // Documents a bulk registration handed over may still be in the writer's threads,
        // where removing the segments does not reach them: they are dropped first (the
        // store holds their cases, and the rebuild reads them all again).
        if had_prepared {
            writer.rollback().map_err(failed(&self.dir))?;
        }
        writer.delete_all_documents().map_err(failed(&self.dir))?;
        let mut done = 0usize;
        for record in store.cases() {
            if let CaseRecord::Live(c) = record? {
                writer
                    .add_document(fields.document(&c))
                    .map_err(failed(&self.dir))?;
            }
            done += 1;
            if why.is_some() && done.is_multiple_of(100_000) {
                eprintln!("triage: search index: {done} of {total} cases");
            }
        }
        self.commit(&mut st, head)?;
        // A build leaves dozens of segments, each a cost to every query; the merges it
        // started are let finish (the writer is made again when next needed).
        if let Some(w) = st.writer.take() {
            w.wait_merging_threads().map_err(failed(&self.dir))?;
            self.reader.reload().map_err(failed(&self.dir))?;
        }
        st.after_rebuild = true;
        st.erasures_seen = 0;
        drop(st);
        if why.is_some() {
            eprintln!(
                "triage: search index built: {done} cases in {:.1} s",
                started.elapsed().as_secs_f64()
            );
        }
        self.catch_up(store)?;
        Ok(())
    }

    /// The document of `case` as the index holds it (a bulk registration makes them on
    /// every core, beside the case's own encoding).
    pub fn document_of(&self, case: &Case) -> TantivyDocument {
        self.fields.document(case)
    }

    fn commit(&self, st: &mut State, mark: Mark) -> Result<(), StoreError> {
        let writer = self.writer(st)?;
        let mut prepared = writer.prepare_commit().map_err(failed(&self.dir))?;
        prepared.set_payload(&mark.payload());
        prepared.commit().map_err(failed(&self.dir))?;
        st.mark = mark;
        self.reader.reload().map_err(failed(&self.dir))?;
        Ok(())
    }

    /// Brings the index up to the store's audit head: re-indexes every case changed since
    /// the entry it reflects (the store calls this after each commit). Returns the number of
    /// cases re-indexed.
    pub fn catch_up(&self, store: &Store) -> Result<usize, StoreError> {
        self.catch_up_telling(store, false)
    }

    /// After a commit: an erasure reaches the index files at once (its words must leave
    /// them); anything else waits for the next search or open, so no command waits on the
    /// index (a tantivy commit per command cost more than the store's own).
    pub fn after_commit(&self, store: &Store) -> Result<(), StoreError> {
        let from = {
            let st = self.lock();
            st.mark.seq.max(st.erasures_seen)
        };
        let head = Self::head(store)?;
        if head.seq <= from {
            return Ok(());
        }
        let audit = store.raw_tree("audit")?;
        let mut erased = false;
        for item in audit.range((from + 1).to_be_bytes()..=head.seq.to_be_bytes()) {
            let (_, bytes) = item?;
            if AuditEntry::decode(&bytes).is_ok_and(|e| e.action == "erase") {
                erased = true;
                break;
            }
        }
        if erased {
            self.catch_up(store)?;
        } else {
            let mut st = self.lock();
            st.erasures_seen = st.erasures_seen.max(head.seq);
        }
        Ok(())
    }

    fn catch_up_telling(&self, store: &Store, tell: bool) -> Result<usize, StoreError> {
        let mut st = self.lock();
        if self.dir.join(PURGE_OWED).exists() {
            // An erasure's purge that failed or was cut short: its words are still in the
            // segments, and no later erasure may ever rewrite those.
            self.purge(&mut st)?;
        }
        let head = Self::head(store)?;
        if head.seq == st.mark.seq {
            // Nothing committed since the last rebuild began (if that is what set the mark):
            // it read every case as it is, so none is in it twice.
            st.after_rebuild = false;
            return Ok(0);
        }
        if head.seq < st.mark.seq {
            drop(st);
            self.rebuild(store, tell.then_some("the store is older than the index"))?;
            return Ok(0);
        }
        if !st.after_rebuild && st.prepared.are_all_between(st.mark.seq, head.seq) {
            // Every change since is a registration already handed over: commit them.
            let n = std::mem::take(&mut st.prepared).cases.len();
            self.commit(&mut st, head)?;
            return Ok(n);
        }
        let changed = changed_since(store, st.mark.seq, head.seq)?;
        if changed.is_empty() {
            // Only reads since: nothing to write; the next change records the later head.
            st.mark = head;
            return Ok(0);
        }
        // Commits leave the index a little behind as a rule; only a long catch-up is said.
        if tell && changed.len() > 1000 {
            eprintln!(
                "triage: bringing the search index up to date ({} changed cases)…",
                changed.len()
            );
        }
        let fields = self.fields;
        // A case a bulk registration handed over and nothing changed since is already in
        // the writer; one changed since is deleted (with what was handed over) and read again.
        let prepared = std::mem::take(&mut st.prepared).cases;
        let refs: Vec<Reference> = changed
            .iter()
            .filter(|(r, only_registered)| !(**only_registered && prepared.contains(r)))
            .map(|(r, _)| *r)
            .collect();
        let mut erased = false;
        let st_after_rebuild = std::mem::take(&mut st.after_rebuild);
        let writer = self.writer(&mut st)?;
        // A chunk at a time, so a long catch-up (a generated or imported million) holds a
        // few thousand documents in memory, not all of them.
        for chunk in refs.chunks(CATCH_UP_CHUNK) {
            // Reading and decoding the cases is most of the work: on every core.
            let docs = crate::parallel::map(chunk, |r| {
                Ok::<_, StoreError>(match store.case(*r)? {
                    Some(CaseRecord::Live(c)) => Some(fields.document(&c)),
                    _ => None,
                })
            });
            for (r, doc) in chunk.iter().zip(docs) {
                if !changed[r] || st_after_rebuild {
                    writer.delete_term(Term::from_field_u64(fields.reference, key(*r)));
                }
                match doc? {
                    Some(d) => {
                        writer.add_document(d).map_err(failed(&self.dir))?;
                    }
                    None => erased = true,
                }
            }
        }
        if erased {
            // Before the commit that moves the mark past the erasure: if the purge below
            // does not finish, the next catch-up sees this and purges.
            std::fs::write(self.dir.join(PURGE_OWED), b"").map_err(|cause| {
                StoreError::Directory {
                    path: self.dir.clone(),
                    cause,
                }
            })?;
        }
        self.commit(&mut st, head)?;
        if erased {
            self.purge(&mut st)?;
        }
        Ok(changed.len())
    }

    /// Rewrites every segment that still holds deleted documents, then removes the old
    /// files: until then an erased case's words would still be in them.
    fn purge(&self, st: &mut State) -> Result<(), StoreError> {
        let fail = failed(&self.dir);
        if let Some(w) = st.writer.take() {
            // Lets merges under way finish, so the segments below are not busy.
            w.wait_merging_threads().map_err(&fail)?;
        }
        let mut w: IndexWriter = self
            .index
            .writer_with_num_threads(1, WRITER_BYTES_PER_THREAD)
            .map_err(&fail)?;
        w.set_merge_policy(Box::new(NoMergePolicy));
        let with_deletes: Vec<_> = self
            .index
            .searchable_segment_metas()
            .map_err(&fail)?
            .into_iter()
            .filter(|m| m.has_deletes())
            .map(|m| m.id())
            .collect();
        if !with_deletes.is_empty() {
            w.merge(&with_deletes).wait().map_err(&fail)?;
        }
        self.reader.reload().map_err(&fail)?;
        w.garbage_collect_files().wait().map_err(&fail)?;
        w.wait_merging_threads().map_err(&fail)?;
        match std::fs::remove_file(self.dir.join(PURGE_OWED)) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(StoreError::Directory {
                path: self.dir.clone(),
                cause: e,
            }),
            _ => Ok(()),
        }
    }

    /// Live documents in the index and the audit entry it reflects (for `triage check`).
    pub fn status(&self) -> (u64, u64) {
        (self.reader.searcher().num_docs(), self.lock().mark.seq)
    }

    /// The cases matching `query`, best first, at most `limit`, among those `visible` lets
    /// the asker see. A malformed query is refused with what is wrong; an empty one finds
    /// nothing.
    pub fn search(
        &self,
        store: &Store,
        query: &str,
        limit: usize,
        visible: &dyn Fn(&CaseRecord) -> bool,
    ) -> Result<Vec<Hit>, StoreError> {
        let clauses = query::parse(query).map_err(refused)?;
        // The words to mark in snippets: the ones asked for, not the ones left out.
        let wanted: Vec<query::Clause> = clauses.iter().filter(|c| !c.excluded).cloned().collect();
        let (Some(q), Some(words)) = (self.build(&clauses, true), self.build(&wanted, false))
        else {
            return Ok(Vec::new());
        };
        if limit == 0 {
            return Ok(Vec::new());
        }
        let searcher = self.reader.searcher();
        let fail = failed(&self.dir);
        let snippets = snippet::Snippets::new(&searcher, &*words, &self.fields)?;
        let mut hits = Vec::new();
        // Cases the asker may not see are skipped: ask for more than `limit` at once.
        let mut want = limit.saturating_mul(2).saturating_add(10);
        loop {
            let top = searcher
                .search(&*q, &TopDocs::with_limit(want))
                .map_err(&fail)?;
            hits.clear();
            for (score, addr) in &top {
                let doc: TantivyDocument = searcher.doc(*addr).map_err(&fail)?;
                let Some(k) = doc
                    .get_first(self.fields.reference)
                    .and_then(|v| v.as_u64())
                else {
                    continue;
                };
                let record = match store.case(reference_of(k))? {
                    Some(r @ CaseRecord::Live(_)) => r,
                    _ => continue,
                };
                if !visible(&record) {
                    continue;
                }
                let CaseRecord::Live(case) = &record else {
                    continue;
                };
                hits.push(snippets.hit(case, *score));
                if hits.len() == limit {
                    return Ok(hits);
                }
            }
            if top.len() < want {
                return Ok(hits);
            }
            want = want.saturating_mul(4);
        }
    }

    /// How many cases match `query`, without reading them (the bench's side by side with grep).
    pub fn count(&self, query: &str) -> Result<usize, StoreError> {
        let clauses = query::parse(query).map_err(refused)?;
        let Some(q) = self.build(&clauses, true) else {
            return Ok(0);
        };
        self.reader
            .searcher()
            .search(&*q, &tantivy::collector::Count)
            .map_err(failed(&self.dir))
    }

    /// The tantivy query for `clauses`, or None when no clause holds a word to look for.
    ///
    /// With `use_pairs`, a two-word phrase is looked up as one term of the pair fields (fast at
    /// any size); without, as a phrase of the text fields, which is what snippets need to
    /// find the words to highlight.
    fn build(&self, clauses: &[Clause], use_pairs: bool) -> Option<Box<dyn Query>> {
        let mut da = analyzer::danish();
        let mut en = analyzer::english();
        let mut parts: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for c in clauses {
            let mut per_field: Vec<(Occur, Box<dyn Query>)> = Vec::new();
            for field in self.fields.of(c.scope) {
                let analyzer = if self.fields.is_english(field) {
                    &mut en
                } else {
                    &mut da
                };
                let words = analyzer::tokens(analyzer, &c.text);
                let terms: Vec<Term> = words
                    .iter()
                    .map(|t| Term::from_field_text(field, t))
                    .collect();
                let q: Box<dyn Query> = match terms.len() {
                    0 => continue,
                    1 => Box::new(TermQuery::new(
                        terms.into_iter().next().expect("one term"),
                        IndexRecordOption::WithFreqs,
                    )),
                    2 if use_pairs => Box::new(TermQuery::new(
                        Term::from_field_text(
                            self.fields.pairs_of(field),
                            &pairs::pair(&words[0], &words[1]),
                        ),
                        IndexRecordOption::WithFreqs,
                    )),
                    _ => Box::new(PhraseQuery::new(terms)),
                };
                per_field.push((Occur::Should, q));
            }
            if per_field.is_empty() {
                continue;
            }
            let occur = if c.excluded {
                Occur::MustNot
            } else {
                Occur::Must
            };
            parts.push((occur, Box::new(BooleanQuery::new(per_field))));
        }
        if !parts.iter().any(|(o, _)| *o == Occur::Must) {
            return None;
        }
        // One required clause alone is its own query: a plain union of per-field terms lets
        // tantivy skip blocks that cannot reach the top (block-max WAND), where a union
        // nested under a Must scores every matching case (all of them for a common word).
        if parts.len() == 1 {
            return parts.pop().map(|(_, q)| q);
        }
        Some(Box::new(BooleanQuery::new(parts)))
    }
}
