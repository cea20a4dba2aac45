//! The enquiries' text searched beside the queue filter: asked of the store once the filter
//! text has stood still, its hits kept with their snippets for the rows they name.

use super::{merge, ListKey, Queue};
use crate::domain::enquiry::Reference;
use crate::search::query::{self, QueryError};
use crate::search::Hit;
use crate::tui::model::{self, Filter};
use std::collections::HashMap;
use std::time::{Duration, Instant};

/// How long the filter text stands still before the text is searched: typing fast asks the
/// store once, at the end, not once per key.
pub const TEXT_DELAY: Duration = Duration::from_millis(150);

/// Hits asked for per search: more than a screen shows. The store ranks them, so the rest
/// are the weaker matches.
pub const TEXT_LIMIT: usize = 100;

/// What a text hit shows under its row: the words around the match, as the store cut them
/// (CPR numbers masked, one line), and where the matched words are.
#[derive(Debug, Clone, PartialEq)]
pub struct Snippet {
    pub text: String,
    /// Character ranges (start, end) of the matched words in `text`.
    pub highlights: Vec<(u32, u32)>,
    /// Its place among the hits, best first: rows found only by the text keep this order.
    pub rank: usize,
}

/// The text search that goes with the filter.
#[derive(Debug)]
pub struct TextSearch {
    /// The filter text waiting to be asked, and when it last changed.
    pending: Option<(String, Instant)>,
    /// The query the hits answer; None when nothing was asked since the filter changed.
    pub asked: Option<String>,
    pub hits: HashMap<Reference, Snippet>,
    /// Why the filter text is no query (an unclosed quote, say): the queue filter alone
    /// applies, and the filter line says why, once the text has stood still.
    pub problem: Option<QueryError>,
    /// How long the text stands still first (tests make it zero).
    pub delay: Duration,
}

impl Default for TextSearch {
    fn default() -> Self {
        TextSearch {
            pending: None,
            asked: None,
            hits: HashMap::new(),
            problem: None,
            delay: TEXT_DELAY,
        }
    }
}

impl TextSearch {
    /// The filter text changed (to `filter`) at `now`: the hits answer another text and go;
    /// the new text is asked once it has stood still.
    pub fn edited(&mut self, filter: &str, now: Instant) {
        self.forget();
        self.pending = (!filter.trim().is_empty()).then(|| (filter.to_string(), now));
    }

    /// No filter: nothing asked, nothing shown.
    pub fn clear(&mut self) {
        self.forget();
        self.pending = None;
    }

    fn forget(&mut self) {
        self.hits.clear();
        self.asked = None;
        self.problem = None;
    }

    /// Whether a text waits to be asked and has stood still long enough.
    pub fn due(&self, now: Instant) -> bool {
        self.pending
            .as_ref()
            .is_some_and(|(_, at)| now.saturating_duration_since(*at) >= self.delay)
    }

    /// How long until the waiting text is due (None: nothing waits).
    pub fn wait(&self, now: Instant) -> Option<Duration> {
        self.pending
            .as_ref()
            .map(|(_, at)| (*at + self.delay).saturating_duration_since(now))
    }

    /// Takes the waiting text to ask the store now: the query when it is one with something
    /// to look for; a malformed one leaves its problem to be shown instead.
    pub fn take(&mut self) -> Option<String> {
        let (text, _) = self.pending.take()?;
        match query::parse(&text) {
            Ok(clauses) if clauses.is_empty() => None,
            Ok(_) => Some(text),
            Err(e) => {
                self.problem = Some(e);
                None
            }
        }
    }

    /// Whether the store has answered `filter` (and so logged its terms as a read).
    pub fn answered(&self, filter: &str) -> bool {
        self.asked.as_deref() == Some(filter)
    }

    /// The store's answer to `query`, kept only while it is still the filter's text (an
    /// answer to an older text is dropped). True when kept.
    pub fn take_answer(&mut self, query: &str, filter: &str, hits: Vec<Hit>) -> bool {
        if query != filter {
            return false;
        }
        self.hits = hits
            .into_iter()
            .enumerate()
            .map(|(rank, h)| {
                (
                    h.reference,
                    Snippet {
                        text: h.snippet,
                        highlights: h.highlights,
                        rank,
                    },
                )
            })
            .collect();
        self.asked = Some(query.to_string());
        true
    }

    pub fn snippet(&self, r: Reference) -> Option<&Snippet> {
        if self.hits.is_empty() {
            return None;
        }
        self.hits.get(&r)
    }
}

/// The queue's side of it: the filter edited, the answer joined to the list, and the lines a
/// text hit takes (its row and its snippet).
impl Queue {
    /// The filter text was changed by the person typing: the list follows at once, the text
    /// search once the text stands still.
    pub fn filter_edited(&mut self, now: Instant) {
        self.compiled = Filter::new(&self.filter);
        self.text.edited(&self.filter, now);
        self.rebuild_list(None);
    }

    /// The store's text hits for `query` arrived: kept if they answer the filter shown, and
    /// joined to the list (the selection stays on its case).
    pub fn text_answered(&mut self, query: &str, hits: Vec<Hit>) {
        if !self.text.take_answer(query, &self.filter, hits) {
            return;
        }
        self.keep = self.selected_row().map(|r| r.reference);
        self.text_only = self.text_only_keys();
        self.join_text_hits();
        self.settle_selection();
    }

    /// Rows in the view that the text search found and the filter did not, in list order:
    /// after every filter match (a key's score part sorts them there), best text hit first.
    pub(super) fn text_only_keys(&self) -> Vec<ListKey> {
        if self.text.hits.is_empty() || self.compiled.is_empty() {
            return Vec::new();
        }
        let me = self.me.as_str();
        let mut keys: Vec<ListKey> = self
            .text
            .hits
            .iter()
            .filter_map(|(r, snippet)| {
                // Only cases in the queue's rows: a hit on a case not loaded (or not in the
                // queue at all) is not shown.
                let i = self
                    .rows
                    .binary_search_by_key(r, |row| row.reference)
                    .ok()?;
                let row = &self.rows[i];
                if !model::in_view(row, self.view, me) || self.compiled.score(row).is_some() {
                    return None;
                }
                let mut key = self.list_key(i, 0);
                // Filter matches carry a negated score (≤ 0): these come after them.
                key.0 = 1 + snippet.rank as i64;
                Some(key)
            })
            .collect();
        keys.sort_unstable();
        keys
    }

    /// The list as the filter's matches so far plus the rows only the text search found
    /// (worked out when the hits, the rows or the filter change, not at every step).
    pub(super) fn join_text_hits(&mut self) {
        let Some(s) = &self.search else {
            return;
        };
        self.list.clear();
        if self.text_only.is_empty() {
            self.list.extend(s.hits.iter().map(|h| h.3 as usize));
        } else {
            self.list.extend(
                merge(&s.hits, &self.text_only)
                    .into_iter()
                    .map(|h| h.3 as usize),
            );
        }
    }

    /// Screen lines the list item at `pos` takes: its row, and its snippet if the text
    /// search found it.
    pub fn item_lines(&self, pos: usize) -> usize {
        if self.text.hits.is_empty() {
            return 1;
        }
        match self.list.get(pos) {
            Some(&i) if self.text.hits.contains_key(&self.rows[i].reference) => 2,
            _ => 1,
        }
    }

    /// The first list position from which the items up to `last` fit in `h` lines (`last`
    /// itself always counts).
    pub(super) fn first_fitting(&self, last: usize, h: usize) -> usize {
        let mut lines = self.item_lines(last);
        let mut first = last;
        while first > 0 {
            let l = self.item_lines(first - 1);
            if lines + l > h {
                break;
            }
            lines += l;
            first -= 1;
        }
        first
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::action::View;
    use crate::tui::queue::tests::{queue, shown};
    fn text_hit(seq: u32) -> crate::search::Hit {
        crate::search::Hit {
            reference: Reference::new(2026, seq),
            score: 1.0,
            snippet: format!("brevdue {seq}"),
            highlights: vec![(0, 7)],
        }
    }

    /// Filters for `text` at once and takes the store's text hits for it.
    fn filtered_with_hits(q: &mut Queue, text: &str, hits: &[u32]) {
        q.filter = text.into();
        q.filter_edited(std::time::Instant::now());
        while q.searching() {
            q.search_step();
        }
        q.text_answered(text, hits.iter().map(|&s| text_hit(s)).collect());
    }

    #[test]
    fn text_hits_join_the_filter_matches_after_them_best_first_each_once() {
        let mut q = queue(12);
        // 3, 6, 9, 12 match "klage"; the text search found 5, 9, 2 and 40 (not in the
        // queue), best first.
        filtered_with_hits(&mut q, "klage", &[5, 9, 2, 40]);
        let listed = shown(&q);
        assert_eq!(listed.len(), 6, "{listed:?}");
        let mut filter_part = listed[..4].to_vec();
        filter_part.sort_unstable();
        assert_eq!(filter_part, vec![3, 6, 9, 12], "the filter's matches first");
        assert_eq!(listed[4..], [5, 2], "then the text's own, best first");
        assert_eq!(
            q.item_lines(4),
            2,
            "a text hit takes its snippet's line too"
        );
        let nine = listed.iter().position(|&n| n == 9).unwrap();
        assert_eq!(
            q.item_lines(nine),
            2,
            "found by both: shown once, with its snippet"
        );
        let three = listed.iter().position(|&n| n == 3).unwrap();
        assert_eq!(q.item_lines(three), 1);
    }

    #[test]
    fn text_hits_keep_to_the_view_and_follow_the_filter() {
        let mut q = queue(12);
        q.view = View::Mine;
        q.rebuild_list(None);
        filtered_with_hits(&mut q, "klage", &[5, 2]);
        // Mine: the odd ones. 3 and 9 match the filter; 5 is anne's, 2 is not.
        assert_eq!(shown(&q), vec![3, 9, 5]);
        // An answer to an older text is not shown.
        q.text_answered("klag", vec![text_hit(1)]);
        assert!(!shown(&q).contains(&1));
        // The text changes: its hits go with the old text.
        q.filter.push('x');
        q.filter_edited(std::time::Instant::now());
        while q.searching() {
            q.search_step();
        }
        assert!(q.text.hits.is_empty());
        assert!(shown(&q).is_empty(), "no row matches klagex");
    }

    #[test]
    fn the_selected_text_hit_is_seen_whole_with_its_snippet() {
        let mut q = queue(30);
        q.height = 6;
        // Every row a text hit: two lines each, three to a pane of six.
        filtered_with_hits(&mut q, "klage", &(1..=30).collect::<Vec<_>>());
        assert_eq!(q.list.len(), 30);
        q.move_selection(4);
        assert_eq!(q.offset, 2, "items 2, 3 and 4 fill the six lines");
        q.move_selection(1_000);
        assert_eq!(q.offset, 27, "the last three at the foot, no blank lines");
        q.move_selection(0);
        assert_eq!(q.offset, 0);
    }

    fn hit(seq: u32, snippet: &str) -> Hit {
        Hit {
            reference: Reference::new(2026, seq),
            score: 1.0,
            snippet: snippet.into(),
            highlights: vec![(0, 3)],
        }
    }

    #[test]
    fn a_text_is_asked_once_it_has_stood_still() {
        let t0 = Instant::now();
        let mut s = TextSearch::default();
        s.edited("bre", t0);
        assert!(!s.due(t0 + Duration::from_millis(100)));
        s.edited("brev", t0 + Duration::from_millis(100));
        assert!(
            !s.due(t0 + Duration::from_millis(200)),
            "each key starts the wait again"
        );
        assert_eq!(
            s.wait(t0 + Duration::from_millis(200)),
            Some(Duration::from_millis(50))
        );
        assert!(s.due(t0 + Duration::from_millis(250)));
        assert_eq!(s.take().as_deref(), Some("brev"));
        assert!(!s.due(t0 + Duration::from_secs(9)), "asked once");
        assert_eq!(s.wait(t0), None);
    }

    #[test]
    fn a_blank_or_malformed_text_is_not_asked() {
        let now = Instant::now();
        let mut s = TextSearch::default();
        s.edited("   ", now);
        assert!(!s.due(now + TEXT_DELAY));
        s.edited("\"brev", now);
        assert_eq!(s.take(), None);
        assert!(matches!(s.problem, Some(QueryError::UnclosedQuote { .. })));
        s.edited("\"brev\"", now);
        assert_eq!(s.problem, None, "a new text has no problem yet");
        assert_eq!(s.take().as_deref(), Some("\"brev\""));
    }

    #[test]
    fn only_an_answer_to_the_text_shown_is_kept() {
        let now = Instant::now();
        let mut s = TextSearch::default();
        s.edited("brevdue", now);
        assert!(!s.take_answer("brev", "brevdue", vec![hit(1, "brev")]));
        assert!(s.hits.is_empty() && !s.answered("brevdue"));
        assert!(s.take_answer(
            "brevdue",
            "brevdue",
            vec![hit(7, "brevdue a"), hit(3, "brevdue b")]
        ));
        assert!(s.answered("brevdue"));
        assert_eq!(s.snippet(Reference::new(2026, 7)).unwrap().rank, 0);
        assert_eq!(s.snippet(Reference::new(2026, 3)).unwrap().rank, 1);
        s.edited("brevdu", now);
        assert!(s.hits.is_empty() && !s.answered("brevdue"));
        s.clear();
        assert!(!s.due(now + TEXT_DELAY));
    }
}
