//! The enquiries' text searched beside the queue filter: asked of the store once the filter
//! text has stood still, its hits kept with their snippets for the rows they name.

use crate::domain::enquiry::Reference;
use crate::search::query::{self, QueryError};
use crate::search::Hit;
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

#[cfg(test)]
mod tests {
    use super::*;

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
