//! The queue: every row, the view's list (filtered and sorted), the counts per view, the
//! search matched a chunk at a time, the text hits joined to it, the load in pages, the
//! selection and the marks.

pub mod text;

use crate::domain::enquiry::Reference;
use crate::tui::action::View;
use crate::tui::model::{self, Filter, Row, SortKey};
use std::collections::HashSet;

/// The queue being read in pages after the first frame (or read again).
#[derive(Debug, Default)]
pub struct Loading {
    /// Rows read so far, in reference order.
    pub rows: Vec<Row>,
    /// The last reference read; the next page starts after it.
    pub after: Option<Reference>,
}

/// (negated score, sort key, reference, row index): a row's place in the list.
type ListKey = (i64, u64, u64, u32);

/// Two lists in order, merged.
fn merge(a: &[ListKey], b: &[ListKey]) -> Vec<ListKey> {
    let mut out = Vec::new();
    merge_into(a, b, &mut out);
    out
}

/// Two lists in order, merged into `out` (its old contents dropped, its memory reused).
fn merge_into(a: &[ListKey], b: &[ListKey], out: &mut Vec<ListKey>) {
    out.clear();
    out.reserve(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        if a[i] <= b[j] {
            out.push(a[i]);
            i += 1;
        } else {
            out.push(b[j]);
            j += 1;
        }
    }
    out.extend_from_slice(&a[i..]);
    out.extend_from_slice(&b[j..]);
}

/// A filter being matched a chunk at a time, between keys and frames.
pub struct Search {
    /// The filter text it matches (narrowing starts from its hits when the text only grew).
    text: String,
    view: View,
    filter: Filter,
    /// Row indexes to look at: every row, or the hits of the search this one narrows.
    candidates: Option<Vec<usize>>,
    /// How many candidates were looked at.
    next: usize,
    /// Matches so far, in list order.
    hits: Vec<ListKey>,
    /// The previous step's hits, kept for their memory: a step merges into it and swaps,
    /// so a long search does not allocate (and fault in) its whole hit list every step.
    spare: Vec<ListKey>,
}

impl Search {
    fn total(&self, rows: usize) -> usize {
        self.candidates.as_ref().map_or(rows, Vec::len)
    }

    pub fn done(&self, rows: usize) -> bool {
        self.next >= self.total(rows)
    }
}

/// Rows matched per step: small enough that a step and a frame stay well under 16 ms on
/// two cores, so typing never waits on the matcher.
pub const SEARCH_CHUNK: usize = 10_000;

/// Rows matched in the first step of a search that narrows an earlier one's matches: each
/// passed the earlier query, so most reach the full matcher and cost several plain rows.
pub const NARROW_CHUNK: usize = 2_500;

/// What a search step aims to take: with the frame after it well under 16 ms, on a loaded
/// machine too (the chunk shrinks when the machine is busy).
pub const STEP_BUDGET: std::time::Duration = std::time::Duration::from_millis(5);

/// Summaries read per page while the queue loads.
pub const LOAD_PAGE: usize = 2_000;

/// Rows on the first page, read from the urgency index before anything else.
pub const FIRST_PAGE: usize = 200;

pub struct Queue {
    /// The person's login: "mine" is theirs.
    me: String,
    /// Rows the queue pane shows at the current size (scrolling keeps the selection in them).
    pub height: usize,
    pub rows: Vec<Row>,
    /// Cases per view, unfiltered.
    pub counts: [usize; 6],
    pub view: View,
    /// Indexes into `rows`: the current view, filtered and sorted.
    pub list: Vec<usize>,
    /// Position in `list`.
    pub selected: usize,
    /// First list position drawn.
    pub offset: usize,
    pub sort: SortKey,
    pub reverse: bool,
    pub filter: String,
    pub compiled: Filter,
    /// The filter's matching in progress; None when the list is complete.
    pub search: Option<Search>,
    /// Rows per search step (tests make it small to watch results arrive).
    pub search_chunk: usize,
    /// Time one search step aims at; the chunk follows it (None: a fixed chunk).
    pub search_budget: Option<std::time::Duration>,
    /// Summaries per page while loading (tests make it small to act between pages).
    pub page_size: usize,
    /// Set while the queue is read in pages; the rows shown are the first page until then.
    pub loading: Option<Loading>,
    /// The case to keep selected once a search or a load brings it into the list.
    keep: Option<Reference>,
    pub marks: HashSet<Reference>,
    /// The enquiries' text searched for the filter: hits with their snippets.
    pub text: text::TextSearch,
    /// Rows in the view that only the text search found, in list order (a few at most):
    /// they follow the filter's own matches.
    text_only: Vec<ListKey>,
}

impl Queue {
    pub fn new(me: &str) -> Queue {
        Queue {
            me: me.to_string(),
            height: crate::tui::layout::queue_rows((80, 24)),
            rows: Vec::new(),
            counts: [0; 6],
            view: View::All,
            list: Vec::new(),
            selected: 0,
            offset: 0,
            sort: SortKey::Urgency,
            reverse: false,
            filter: String::new(),
            compiled: Filter::default(),
            search: None,
            search_chunk: SEARCH_CHUNK,
            search_budget: Some(STEP_BUDGET),
            page_size: LOAD_PAGE,
            loading: None,
            keep: None,
            marks: HashSet::new(),
            text: text::TextSearch::default(),
            text_only: Vec::new(),
        }
    }

    /// Starts reading the queue again (after midnight, or when asked): the current rows stay
    /// on screen until the new ones are all in.
    pub fn reload(&mut self) {
        self.loading = Some(Loading::default());
    }

    /// Makes room for `bound` rows in the load under way (at most ten million: a hint from
    /// the store, not a promise).
    pub fn reserve_rows(&mut self, bound: u64) {
        if let Some(l) = &mut self.loading {
            let n = usize::try_from(bound.min(10_000_000)).unwrap_or(0);
            l.rows.reserve(n.saturating_sub(l.rows.len()));
        }
    }

    /// Where the next page of the queue starts, while it loads.
    pub fn page_wanted(&self) -> Option<Option<Reference>> {
        self.loading.as_ref().map(|l| l.after)
    }

    /// Takes one page of rows (in reference order); the last one ends the load. `held`: the
    /// selection is on a case the user chose (an open case), even at the top.
    pub fn load_page(&mut self, page: Vec<Row>, last: bool, held: bool) {
        let Some(loading) = &mut self.loading else {
            return;
        };
        loading.after = page.last().map(|r| r.reference).or(loading.after);
        loading.rows.extend(page);
        if last {
            let rows = self.loading.take().map(|l| l.rows).unwrap_or_default();
            // A selection the user moved stays on its case; one left at the top stays there.
            let keep = self
                .selected_row()
                .filter(|_| self.selected > 0 || held)
                .map(|r| r.reference);
            self.set_rows(rows);
            if !self.marks.is_empty() {
                let known: HashSet<Reference> = self.rows.iter().map(|r| r.reference).collect();
                self.marks.retain(|r| known.contains(r));
            }
            self.rebuild_list(keep);
        }
    }

    /// Replaces every row (in reference order) and counts them.
    pub fn set_rows(&mut self, mut rows: Vec<Row>) {
        rows.sort_by_key(|r| r.reference);
        self.rows = rows;
        self.search = None;
        self.count();
    }

    /// The count of a view, or None while the queue is still loading.
    pub fn count_of(&self, v: View) -> Option<usize> {
        match self.loading {
            Some(_) => None,
            None => Some(self.counts[v.index()]),
        }
    }

    pub fn count(&mut self) {
        let me = self.me.as_str();
        let mut counts = [0; 6];
        // One pass: a million rows are read once, not once per view.
        for r in &self.rows {
            for v in View::ALL {
                counts[v.index()] += usize::from(model::in_view(r, v, me));
            }
        }
        self.counts = counts;
    }

    /// The selected row, if the list is not empty.
    pub fn selected_row(&self) -> Option<&Row> {
        self.list.get(self.selected).map(|&i| &self.rows[i])
    }

    /// A row's place in the list as plain numbers: while filtering the best matches first
    /// (as in fzf), then the chosen sort, then the reference. Sorting a million rows then
    /// compares integers instead of reaching into rows.
    pub fn list_key(&self, i: usize, score: i64) -> ListKey {
        let (primary, reference) = model::sort_key(&self.rows[i], self.sort);
        let (primary, reference) = if self.reverse {
            (!primary, !reference)
        } else {
            (primary, reference)
        };
        (score.saturating_neg(), primary, reference, i as u32)
    }

    /// Rows in list order, sorted on both cores when there are many.
    pub fn sorted(&self, mut keys: Vec<ListKey>) -> Vec<ListKey> {
        if keys.len() < 50_000 {
            keys.sort_unstable();
            return keys;
        }
        let mid = keys.len() / 2;
        let (a, b) = keys.split_at_mut(mid);
        std::thread::scope(|t| {
            t.spawn(|| a.sort_unstable());
            b.sort_unstable();
        });
        merge(&keys[..mid], &keys[mid..])
    }

    /// Recomputes the list for the view, filter and sort, keeping `keep` selected if it is
    /// still there (else the same position). Without a filter the list is made at once; a
    /// filter starts a search whose first chunk runs now and the rest in [`App::search_step`].
    pub fn rebuild_list(&mut self, keep: Option<Reference>) {
        self.keep = keep;
        if self.compiled.is_empty() {
            self.search = None;
            self.text_only.clear();
            let me = self.me.as_str();
            let keys: Vec<ListKey> = (0..self.rows.len())
                .filter(|&i| model::in_view(&self.rows[i], self.view, me))
                .map(|i| self.list_key(i, 0))
                .collect();
            self.list = self
                .sorted(keys)
                .into_iter()
                .map(|k| k.3 as usize)
                .collect();
            self.settle_selection();
            return;
        }
        // When the filter only grew, the new matches are among the old ones.
        let narrowed = match &self.search {
            Some(s)
                if s.done(self.rows.len())
                    && s.view == self.view
                    && !s.text.trim().is_empty()
                    && self.filter.starts_with(s.text.as_str()) =>
            {
                let mut v: Vec<usize> = s.hits.iter().map(|h| h.3 as usize).collect();
                v.sort_unstable();
                Some(v)
            }
            _ => None,
        };
        if self.search_budget.is_some() {
            // The step after a key is matched before its frame: start small, then adapt.
            self.search_chunk = if narrowed.is_some() {
                NARROW_CHUNK
            } else {
                SEARCH_CHUNK
            };
        }
        // Room for every candidate up front: growing a list of a million hits by doubling
        // copies it into fresh memory, a step that stalls on page faults. Untouched room
        // costs no memory.
        let room = narrowed.as_ref().map_or(self.rows.len(), Vec::len);
        self.search = Some(Search {
            text: self.filter.clone(),
            view: self.view,
            filter: Filter::new(&self.filter),
            candidates: narrowed,
            next: 0,
            hits: Vec::with_capacity(room),
            spare: Vec::with_capacity(room),
        });
        self.text_only = self.text_only_keys();
        self.list.clear();
        self.search_step();
    }

    /// How many rows the current search looks at when it narrows an earlier one's matches
    /// (None: it looks at every row).
    pub fn search_narrowed(&self) -> Option<usize> {
        self.search
            .as_ref()
            .and_then(|s| s.candidates.as_ref().map(Vec::len))
    }

    /// Whether a search is still matching.
    pub fn searching(&self) -> bool {
        self.search
            .as_ref()
            .is_some_and(|s| !s.done(self.rows.len()))
    }

    /// Matches the next chunk of the search on both cores and shows what it found so far.
    pub fn search_step(&mut self) {
        let Some(mut s) = self.search.take() else {
            return;
        };
        let started = std::time::Instant::now();
        let total = s.total(self.rows.len());
        let end = s.next.saturating_add(self.search_chunk.max(1)).min(total);
        let me = self.me.as_str();
        let rows = &self.rows;
        let (view, filter, candidates) = (s.view, &s.filter, s.candidates.as_deref());
        let key = |i: usize, sc: i64| self.list_key(i, sc);
        let scan = |from: usize, to: usize| -> Vec<ListKey> {
            let mut v: Vec<ListKey> = (from..to)
                .map(|k| candidates.map_or(k, |c| c[k]))
                .filter(|&i| model::in_view(&rows[i], view, me))
                .filter_map(|i| filter.score(&rows[i]).map(|sc| key(i, sc)))
                .collect();
            v.sort_unstable();
            v
        };
        let found = if end - s.next > 4_096 {
            let mid = s.next + (end - s.next) / 2;
            std::thread::scope(|t| {
                let other = t.spawn(|| scan(mid, end));
                let a = scan(s.next, mid);
                merge(&a, &other.join().unwrap_or_default())
            })
        } else {
            scan(s.next, end)
        };
        s.next = end;
        // Both in list order: the new matches slot in among those found before.
        merge_into(&s.hits, &found, &mut s.spare);
        std::mem::swap(&mut s.hits, &mut s.spare);
        if let Some(budget) = self.search_budget {
            // Aim the next chunk at the budget, moving at most 2× a step.
            let took = started.elapsed().as_secs_f64().max(1e-5);
            let ideal = self.search_chunk as f64 * budget.as_secs_f64() / took;
            let next = ideal.clamp(
                self.search_chunk as f64 / 2.0,
                self.search_chunk as f64 * 2.0,
            );
            self.search_chunk = (next as usize).clamp(2_000, 400_000);
        }
        self.search = Some(s);
        self.join_text_hits();
        self.settle_selection();
    }

    pub fn settle_selection(&mut self) {
        if let Some(r) = self.keep {
            if let Some(p) = self.list.iter().position(|&i| self.rows[i].reference == r) {
                self.selected = p;
                if !self.searching() {
                    self.keep = None;
                }
            }
        }
        self.selected = self.selected.min(self.list.len().saturating_sub(1));
        self.scroll_to_selected();
    }

    pub fn scroll_to_selected(&mut self) {
        let h = self.height.max(1);
        if self.list.is_empty() {
            self.offset = 0;
            return;
        }
        if self.text.hits.is_empty() {
            // One line per row: plain arithmetic, whatever the list's length.
            if self.selected < self.offset {
                self.offset = self.selected;
            } else if self.selected >= self.offset + h {
                self.offset = self.selected + 1 - h;
            }
            let max_offset = self.list.len().saturating_sub(h);
            self.offset = self.offset.min(max_offset);
            return;
        }
        // Text hits take two lines (row and snippet): the selected one is seen whole.
        if self.selected < self.offset {
            self.offset = self.selected;
        } else {
            self.offset = self.offset.max(self.first_fitting(self.selected, h));
        }
        let max_offset = self.first_fitting(self.list.len() - 1, h);
        self.offset = self.offset.min(max_offset);
    }

    /// How many marked cases the current view (and filter) does not show: an action on the
    /// marks acts on them too, so the status bar and the confirm step say so.
    pub fn marks_out_of_view(&self) -> usize {
        if self.marks.is_empty() {
            return 0;
        }
        let shown = |i: usize| -> bool { self.list.contains(&i) };
        let many: Option<std::collections::HashSet<usize>> =
            (self.marks.len() > 64).then(|| self.list.iter().copied().collect());
        self.marks
            .iter()
            .filter(|r| {
                match self.rows.binary_search_by_key(*r, |row| row.reference) {
                    Ok(i) => !many
                        .as_ref()
                        .map_or_else(|| shown(i), |set| set.contains(&i)),
                    // Not loaded or gone: not on screen either.
                    Err(_) => true,
                }
            })
            .count()
    }

    /// Puts a changed case's row in place: in the rows shown and, while loading, in those
    /// read so far. Rows are in reference order, so finding one is a binary search; the list
    /// is patched in place rather than rebuilt (a million rows sort in a noticeable time).
    /// No row: the case left the queue (erased).
    pub fn replace_row(&mut self, reference: Reference, row: Option<Row>) {
        let Some(row) = row else {
            return self.remove_row(reference);
        };
        if let Some(l) = &mut self.loading {
            match l.rows.binary_search_by_key(&reference, |r| r.reference) {
                Ok(i) => l.rows[i] = row.clone(),
                // Not read yet: the page that holds it will read it as it now is.
                Err(i) if l.after.is_some_and(|a| reference <= a) => l.rows.insert(i, row.clone()),
                Err(_) => {}
            }
        }
        let keep = self.selected_row().map(|r| r.reference);
        let me = self.me.clone();
        match self.rows.binary_search_by_key(&reference, |r| r.reference) {
            Ok(i) if self.compiled.is_empty() => {
                for v in View::ALL {
                    self.counts[v.index()] -= usize::from(model::in_view(&self.rows[i], v, &me));
                    self.counts[v.index()] += usize::from(model::in_view(&row, v, &me));
                }
                self.rows[i] = row;
                if let Some(p) = self.list.iter().position(|&x| x == i) {
                    self.list.remove(p);
                }
                if model::in_view(&self.rows[i], self.view, &me) {
                    let at = self
                        .list
                        .partition_point(|&x| self.list_key(x, 0) < self.list_key(i, 0));
                    self.list.insert(at, i);
                }
                self.keep = keep;
                self.settle_selection();
            }
            Ok(i) => {
                self.rows[i] = row;
                self.count();
                self.rebuild_list(keep);
            }
            Err(i) => {
                // While loading, only the first page is shown: a case beyond it comes with
                // the load.
                if self.loading.is_none() || i < self.rows.len() {
                    self.rows.insert(i, row);
                    self.count();
                    self.rebuild_list(keep);
                }
            }
        }
    }

    pub fn remove_row(&mut self, reference: Reference) {
        if let Some(l) = &mut self.loading {
            l.rows.retain(|r| r.reference != reference);
        }
        self.rows.retain(|r| r.reference != reference);
        self.marks.remove(&reference);
        self.count();
        let keep = self.selected_row().map(|r| r.reference);
        self.rebuild_list(keep);
    }

    pub fn move_selection(&mut self, to: usize) {
        self.selected = to.min(self.list.len().saturating_sub(1));
        self.scroll_to_selected();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::calendar::Calendar;
    use crate::domain::fixtures;
    use chrono::NaiveDate;

    /// Rows 2026-000001 … n: odd ones assigned to "anne", every third one with "klage" in
    /// its subject.
    pub(super) fn rows(n: u32) -> Vec<Row> {
        (1..=n).map(|i| row(i, i % 2 == 1)).collect()
    }

    fn row(i: u32, annes: bool) -> Row {
        let policy = fixtures::policy();
        let cal = Calendar::from_policy(&policy);
        let today: NaiveDate = "2026-11-24".parse().unwrap();
        let mut c = fixtures::case("2026-11-20T09:00:00+01:00", "x");
        c.reference = Reference::new(2026, i);
        c.enquiry.subject = if i.is_multiple_of(3) {
            format!("klage nummer {i}")
        } else {
            format!("spørgsmål {i}")
        };
        if annes {
            c.assignee = Some("anne".into());
        }
        Row::of_case(&c, &policy, &cal, today)
    }

    pub(super) fn queue(n: u32) -> Queue {
        let mut q = Queue::new("anne");
        q.set_rows(rows(n));
        q.view = View::All;
        q.rebuild_list(None);
        q
    }

    pub(super) fn shown(q: &Queue) -> Vec<u32> {
        q.list.iter().map(|&i| q.rows[i].reference.seq).collect()
    }

    #[test]
    fn counts_and_lists_follow_the_view() {
        let mut q = queue(10);
        assert_eq!(q.count_of(View::All), Some(10));
        assert_eq!(q.count_of(View::Mine), Some(5));
        q.view = View::Mine;
        q.rebuild_list(None);
        assert_eq!(shown(&q).len(), 5);
        assert!(shown(&q).iter().all(|n| n % 2 == 1));
    }

    #[test]
    fn a_filter_is_matched_in_chunks_and_narrows_from_its_own_hits() {
        let mut q = queue(30);
        q.search_budget = None;
        q.search_chunk = 7;
        q.filter = "klage".into();
        q.compiled = Filter::new("klage");
        q.rebuild_list(None);
        assert!(q.searching(), "30 rows in chunks of 7 take several steps");
        while q.searching() {
            q.search_step();
        }
        let mut hits = shown(&q);
        hits.sort_unstable();
        assert_eq!(hits, vec![3, 6, 9, 12, 15, 18, 21, 24, 27, 30]);
        q.filter = "klage nummer 2".into();
        q.compiled = Filter::new(&q.filter);
        q.rebuild_list(None);
        assert_eq!(
            q.search_narrowed(),
            Some(10),
            "only the earlier hits are looked at"
        );
    }

    #[test]
    fn a_load_keeps_a_moved_selection_and_drops_marks_on_cases_gone() {
        let mut q = queue(5);
        q.move_selection(2);
        let chosen = q.selected_row().unwrap().reference;
        q.marks.insert(Reference::new(2026, 5));
        q.reload();
        assert_eq!(q.count_of(View::All), None, "no count while loading");
        let mut fresh = rows(4);
        let second = fresh.split_off(2);
        q.load_page(fresh, false, false);
        assert_eq!(q.page_wanted(), Some(Some(Reference::new(2026, 2))));
        q.load_page(second, true, false);
        assert_eq!(q.count_of(View::All), Some(4));
        assert_eq!(q.selected_row().unwrap().reference, chosen);
        assert!(q.marks.is_empty(), "2026-000005 is no longer in the queue");
    }

    #[test]
    fn a_changed_row_moves_the_counts_and_a_gone_one_leaves_with_its_mark() {
        let mut q = queue(6);
        assert_eq!(q.count_of(View::Mine), Some(3));
        q.replace_row(Reference::new(2026, 2), Some(row(2, true)));
        assert_eq!(q.count_of(View::Mine), Some(4));
        q.marks.insert(Reference::new(2026, 4));
        q.replace_row(Reference::new(2026, 4), None);
        assert_eq!(q.count_of(View::All), Some(5));
        assert!(q.marks.is_empty());
    }

    #[test]
    fn marks_out_of_view_are_counted() {
        let mut q = queue(6);
        q.marks.insert(Reference::new(2026, 1));
        q.marks.insert(Reference::new(2026, 2));
        q.marks.insert(Reference::new(2026, 99));
        q.view = View::Mine;
        q.rebuild_list(None);
        // 2 is not anne's and 99 is not loaded: two marks the list does not show.
        assert_eq!(q.marks_out_of_view(), 2);
    }

    #[test]
    fn the_selection_scrolls_into_the_pane() {
        let mut q = queue(50);
        q.height = 10;
        q.move_selection(25);
        assert!(q.offset <= 25 && 25 < q.offset + 10);
        q.move_selection(1_000);
        assert_eq!(q.selected, 49);
        assert_eq!(q.offset, 40);
    }
}
