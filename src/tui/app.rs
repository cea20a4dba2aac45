//! The interface's state and `update`: pure data and rules, no terminal and no store.

use super::action::{Action, Effect, View};
use super::command;
use super::dialog::{self, ClassifyDialog, PurposePicker, RouteStep, RouteWizard};
use super::i18n::{t, tf, Lang, Msg};
use super::keymap::{Code, Context, Key, Keymap, Resolution};
use super::layout;
use super::model::{self, Filter, Row, SortKey};
use super::text;
use crate::domain::calendar::Calendar;
use crate::domain::case::{CaseRecord, Verdict};
use crate::domain::command::{Access, Command, Event};
use crate::domain::enquiry::Reference;
use crate::domain::policy::Policy;
use crate::domain::summary::CaseSummary;
use crate::store::Actor;
use chrono::NaiveDate;
use std::collections::HashSet;

/// What the interface needs to start.
pub struct Init {
    pub lang: Lang,
    /// False under NO_COLOR: selection and urgency then show by reverse video, bold and marks.
    pub color: bool,
    pub actor: Actor,
    /// The store, as `Api::describe` gives it.
    pub store: String,
    pub policy: Policy,
    pub today: NaiveDate,
    pub keymap: Keymap,
    /// Problems found in the user's keymap, shown on start.
    pub problems: Vec<String>,
}

/// An open case.
#[derive(Debug, Clone)]
pub struct CaseView {
    pub record: CaseRecord,
    pub events: Vec<Event>,
    /// CPR numbers drawn unmasked; set only after the reveal is in the audit log.
    pub revealed: bool,
    /// At narrow widths the details replace the text; at wide ones they take the keys.
    pub side: bool,
    pub text_scroll: usize,
    pub side_scroll: usize,
}

impl CaseView {
    pub fn reference(&self) -> Reference {
        self.record.reference()
    }
}

/// What happens when a confirm dialog is answered yes.
#[derive(Debug, Clone, PartialEq)]
pub enum OnYes {
    Effects(Vec<Effect>),
    ClearMarks,
}

/// A layer over the queue or the case that takes the keys.
#[derive(Debug, Clone, PartialEq)]
pub enum Overlay {
    /// Typing the filter; `before` comes back on cancel.
    Filter {
        before: String,
    },
    Help {
        input: String,
        scroll: usize,
    },
    Palette {
        input: String,
        selected: usize,
    },
    Confirm {
        prompt: String,
        yes: OnYes,
    },
    Classify(ClassifyDialog),
    Purpose(PurposePicker),
    Route(Box<RouteWizard>),
    Command(super::command::CommandDialog),
    /// Someone else changed the case since it was read; `before` is the dialog that was
    /// being worked on, given back on Esc (or after a reload, on the new version).
    Conflict {
        reference: Reference,
        message: String,
        before: Option<Box<Overlay>>,
    },
}

/// The last message for the status bar.
#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    pub text: String,
    pub error: bool,
}

/// One line of the help overlay or the palette.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub context: Context,
    pub keys: String,
    pub action: Action,
    pub name: &'static str,
    pub desc: String,
}

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

pub struct App {
    pub lang: Lang,
    pub color: bool,
    pub actor: Actor,
    pub store: String,
    pub policy: Policy,
    pub calendar: Calendar,
    pub today: NaiveDate,
    pub keymap: Keymap,
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
    pub case: Option<CaseView>,
    pub overlay: Option<Overlay>,
    pub message: Option<Message>,
    pub pending: Vec<Key>,
    /// A dialog to open over the case once it has been opened (and the open logged).
    pub after_open: Option<Action>,
    /// What to say when the command just given on this case is saved ("Noted on …").
    pub pending_done: Option<(Reference, String)>,
    /// A case reloaded after a conflict: the dialog given back moves to its new version.
    pub after_reload: Option<Reference>,
    pub size: (u16, u16),
    /// The screen is to be drawn whole again (it may hold another program's output).
    pub repaint: bool,
    pub quit: bool,
}

impl App {
    pub fn new(init: Init, records: &[CaseRecord]) -> App {
        let calendar = Calendar::from_policy(&init.policy);
        let message = init.problems.first().map(|p| Message {
            text: if init.problems.len() > 1 {
                format!("{p} (+{} more; see the log)", init.problems.len() - 1)
            } else {
                p.clone()
            },
            error: true,
        });
        let mut app = App {
            lang: init.lang,
            color: init.color,
            actor: init.actor,
            store: init.store,
            policy: init.policy,
            calendar,
            today: init.today,
            keymap: init.keymap,
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
            case: None,
            overlay: None,
            message,
            pending: Vec::new(),
            after_open: None,
            pending_done: None,
            after_reload: None,
            size: (80, 24),
            repaint: false,
            quit: false,
        };
        let rows: Vec<Row> = records
            .iter()
            .filter_map(|r| model::row_of(r, &app.policy, &app.calendar, app.today))
            .collect();
        app.set_rows(rows);
        // Staff start where the work is: new cases if there are any.
        app.view = if app.counts[View::New.index()] > 0 {
            View::New
        } else {
            View::All
        };
        app.rebuild_list(None);
        app
    }

    /// The interface on a large store: the first page of the queue (the most urgent cases
    /// of `view`) drawn at once; the rest is read in pages by [`App::load_page`].
    pub fn starting(init: Init, view: View, first: &[CaseSummary]) -> App {
        let mut app = App::new(init, &[]);
        app.rows = first
            .iter()
            .map(|s| Row::from_summary(s, &app.calendar, app.today))
            .collect();
        app.view = view;
        app.loading = Some(Loading::default());
        app.rebuild_list(None);
        app
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

    /// Takes one page of summaries; the last one (shorter than asked) ends the load.
    pub fn load_page(&mut self, page: &[CaseSummary], last: bool) {
        let Some(loading) = &mut self.loading else {
            return;
        };
        loading.after = page.last().map(|s| s.reference).or(loading.after);
        loading.rows.extend(
            page.iter()
                .map(|s| Row::from_summary(s, &self.calendar, self.today)),
        );
        if last {
            let rows = self.loading.take().map(|l| l.rows).unwrap_or_default();
            // A selection the user moved stays on its case; one left at the top stays there.
            let keep = self
                .selected_row()
                .filter(|_| self.selected > 0 || self.case.is_some())
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
    fn set_rows(&mut self, mut rows: Vec<Row>) {
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

    fn count(&mut self) {
        let me = self.actor.login.as_str();
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
    fn list_key(&self, i: usize, score: i64) -> ListKey {
        let (primary, reference) = model::sort_key(&self.rows[i], self.sort);
        let (primary, reference) = if self.reverse {
            (!primary, !reference)
        } else {
            (primary, reference)
        };
        (score.saturating_neg(), primary, reference, i as u32)
    }

    /// Rows in list order, sorted on both cores when there are many.
    fn sorted(&self, mut keys: Vec<ListKey>) -> Vec<ListKey> {
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
    fn rebuild_list(&mut self, keep: Option<Reference>) {
        self.keep = keep;
        if self.compiled.is_empty() {
            self.search = None;
            let me = self.actor.login.as_str();
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
        let me = self.actor.login.as_str();
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
        self.list.clear();
        self.list.extend(s.hits.iter().map(|h| h.3 as usize));
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
        self.settle_selection();
    }

    fn settle_selection(&mut self) {
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

    fn scroll_to_selected(&mut self) {
        let h = layout::queue_rows(self.size).max(1);
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + h {
            self.offset = self.selected + 1 - h;
        }
        let max_offset = self.list.len().saturating_sub(h);
        self.offset = self.offset.min(max_offset);
    }

    /// The context keys are looked up in.
    pub fn context(&self) -> Context {
        match &self.overlay {
            Some(Overlay::Confirm { .. }) => Context::Dialog,
            Some(Overlay::Classify(_)) => Context::Checklist,
            Some(Overlay::Route(w)) => match w.step {
                RouteStep::Bases => Context::Checklist,
                RouteStep::Confirm => Context::Dialog,
                _ => Context::Input,
            },
            Some(Overlay::Command(d)) if d.confirming() => Context::Dialog,
            Some(Overlay::Conflict { .. }) => Context::Dialog,
            Some(_) => Context::Input,
            None if self.case.is_some() => Context::Case,
            None => Context::Queue,
        }
    }

    pub fn say(&mut self, text: impl Into<String>) {
        self.message = Some(Message {
            text: text.into(),
            error: false,
        });
    }

    pub fn fail(&mut self, text: impl Into<String>) {
        self.message = Some(Message {
            text: text.into(),
            error: true,
        });
    }

    /// The keys for an action where the current context is active, for hints.
    pub fn key_hint(&self, context: Context, action: &Action) -> String {
        self.keymap
            .keys_for(context, action)
            .into_iter()
            .next()
            .unwrap_or_else(|| t(self.lang, Msg::NoBinding).to_string())
    }

    /// The context under any overlay: the queue or the case.
    pub fn base_context(&self) -> Context {
        match self.case {
            Some(_) => Context::Case,
            None => Context::Queue,
        }
    }

    /// Every binding in force, grouped by context (the one under the help first), for help.
    pub fn help_entries(&self) -> Vec<Entry> {
        let mut order: Vec<Context> = self.base_context().chain().to_vec();
        for c in Context::ALL {
            if !order.contains(&c) {
                order.push(c);
            }
        }
        let mut out: Vec<Entry> = Vec::new();
        for ctx in order {
            for b in self.keymap.bindings.iter().filter(|b| b.context == ctx) {
                // One line per action in a context, with all its keys.
                if let Some(e) = out
                    .iter_mut()
                    .find(|e| e.context == ctx && e.action == b.action)
                {
                    e.keys = format!("{}, {}", e.keys, b.keys_text());
                    continue;
                }
                out.push(Entry {
                    context: ctx,
                    keys: b.keys_text(),
                    name: b.action.name().unwrap_or(""),
                    action: b.action.clone(),
                    desc: b.desc(self.lang).to_string(),
                });
            }
        }
        match &self.overlay {
            Some(Overlay::Help { input, .. }) if !input.trim().is_empty() => {
                let terms: Vec<String> = model::fold(input)
                    .split_whitespace()
                    .map(String::from)
                    .collect();
                out.retain(|e| {
                    let hay = model::fold(&format!("{} {} {}", e.keys, e.name, e.desc));
                    terms.iter().all(|t| hay.contains(t.as_str()))
                });
                out
            }
            _ => out,
        }
    }

    /// Every action the palette offers, with its keys in the current context, filtered by
    /// the palette's input.
    pub fn palette_entries(&self) -> Vec<Entry> {
        let ctx = self.base_context();
        let input = match &self.overlay {
            Some(Overlay::Palette { input, .. }) => input.as_str(),
            _ => "",
        };
        let matcher = Filter::new(input);
        let mut out: Vec<((u8, i64), Entry)> = super::action::NAMED
            .iter()
            .filter(|(_, a)| !a.is_input_only())
            .filter_map(|(name, action)| {
                let keys = self.keymap.keys_for(ctx, action).join(", ");
                let desc = self
                    .keymap
                    .describe(action)
                    .map(|b| b.desc(self.lang).to_string())
                    .unwrap_or_default();
                let e = Entry {
                    context: ctx,
                    keys,
                    action: action.clone(),
                    name,
                    desc,
                };
                if matcher.is_empty() {
                    return Some(((0, 0), e));
                }
                // What was typed as a name ranks first: the action of that name, then the
                // names it begins, then everything else by the matcher.
                let typed = model::fold(input.trim());
                let name = model::fold(e.name);
                let rank = if name == typed {
                    0
                } else if name.starts_with(&typed) {
                    1
                } else {
                    2
                };
                let hay = model::fold(&format!("{} {}", e.name, e.desc));
                let score = matcher.positions(&hay);
                (!score.is_empty() && input_matches(&hay, input)).then_some((
                    (
                        rank,
                        -(score.len() as i64) - (score.first().copied().unwrap_or(0) as i64),
                    ),
                    e,
                ))
            })
            .collect();
        out.sort_by_key(|(s, _)| *s);
        out.into_iter().map(|(_, e)| e).collect()
    }

    fn text_width(&self) -> usize {
        layout::case_text_width(self.size) as usize
    }

    /// How far the case text and the details may scroll.
    fn case_scroll_limits(&self) -> (usize, usize) {
        let Some(c) = &self.case else {
            return (0, 0);
        };
        let body_rows = layout::case_body_rows(self.size);
        let text_lines = match c.record.live() {
            Some(case) => text::wrap(
                &text::pieces(&case.enquiry.body, &case.suggestions, c.revealed),
                self.text_width(),
            )
            .len(),
            None => 0,
        };
        let side_lines =
            super::view::side_lines(self, c, layout::side_width(self.size) as usize).len();
        let side_rows = layout::side_rows(self.size);
        (
            text_lines.saturating_sub(body_rows),
            side_lines.saturating_sub(side_rows),
        )
    }

    /// The cases an action on "the case" means: the marked ones, else the open or selected
    /// one.
    fn targets(&self) -> Vec<(Reference, u64, Option<String>)> {
        if let Some(c) = &self.case {
            let assignee = c.record.live().and_then(|x| x.assignee.clone());
            return vec![(c.reference(), c.record.version(), assignee)];
        }
        if !self.marks.is_empty() {
            let mut v: Vec<_> = self
                .rows
                .iter()
                .filter(|r| self.marks.contains(&r.reference))
                .map(|r| (r.reference, r.version, r.assignee().map(String::from)))
                .collect();
            v.sort_by_key(|x| x.0);
            return v;
        }
        self.selected_row()
            .map(|r| vec![(r.reference, r.version, r.assignee().map(String::from))])
            .unwrap_or_default()
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
    fn replace_row(&mut self, record: &CaseRecord) {
        let reference = record.reference();
        let Some(row) = model::row_of(record, &self.policy, &self.calendar, self.today) else {
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
        let me = self.actor.login.clone();
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

    fn remove_row(&mut self, reference: Reference) {
        if let Some(l) = &mut self.loading {
            l.rows.retain(|r| r.reference != reference);
        }
        self.rows.retain(|r| r.reference != reference);
        self.marks.remove(&reference);
        self.count();
        let keep = self.selected_row().map(|r| r.reference);
        self.rebuild_list(keep);
    }

    fn move_selection(&mut self, to: usize) {
        self.selected = to.min(self.list.len().saturating_sub(1));
        self.scroll_to_selected();
    }
}

/// Every word of `input` occurs in `hay` as a subsequence (the palette's own leniency).
fn input_matches(hay: &str, input: &str) -> bool {
    model::fold(input).split_whitespace().all(|w| {
        let mut it = hay.chars();
        w.chars().all(|c| it.any(|h| h == c))
    })
}

fn pop_word(s: &mut String) {
    while s.ends_with(' ') {
        s.pop();
    }
    while let Some(c) = s.pop() {
        if c == ' ' {
            s.push(c);
            break;
        }
    }
}

/// Changes the state for one action; returns what the store must do.
pub fn update(app: &mut App, action: Action) -> Vec<Effect> {
    let lang = app.lang;
    match action {
        Action::Key(key) => return on_key(app, key),
        Action::Resize(w, h) => {
            app.size = (w, h);
            app.scroll_to_selected();
            let (tmax, smax) = app.case_scroll_limits();
            if let Some(c) = &mut app.case {
                c.text_scroll = c.text_scroll.min(tmax);
                c.side_scroll = c.side_scroll.min(smax);
            }
        }
        Action::Tick { today } => {
            if today != app.today {
                // Countdowns and retention states move at midnight.
                app.today = today;
                app.reload();
            }
        }
        Action::Page { summaries, last } => app.load_page(&summaries, last),
        Action::Changed { records, gone } => {
            for (record, events) in records {
                app.replace_row(&record);
                if let Some(c) = &mut app.case {
                    if c.reference() == record.reference() {
                        c.record = record;
                        c.events = events;
                    }
                }
            }
            for r in gone {
                app.remove_row(r);
                if app.case.as_ref().is_some_and(|c| c.reference() == r) {
                    app.case = None;
                }
            }
        }
        Action::CaseOpened { record, events } => {
            if app.after_reload.take() == Some(record.reference()) {
                command::rebase(app, record.version());
            }
            let side = app.case.as_ref().map(|c| c.side).unwrap_or(false);
            app.case = Some(CaseView {
                record: *record,
                events,
                revealed: false,
                side,
                text_scroll: 0,
                side_scroll: 0,
            });
            if let Some(then) = app.after_open.take() {
                return update(app, then);
            }
        }
        Action::Saved { record, events } => {
            let reference = record.reference();
            app.replace_row(&record);
            if let Some(c) = &mut app.case {
                if c.reference() == reference {
                    c.record = (*record).clone();
                    c.events = events;
                }
            }
            match app.pending_done.take() {
                Some((r, done)) if r == reference => app.say(done),
                _ => app.say(tf(lang, Msg::Saved, &[&reference.to_string()])),
            }
            command::saved(app, reference);
            return dialog::saved(app, reference);
        }
        Action::Revealed(reference) => {
            if let Some(c) = &mut app.case {
                if c.reference() == reference {
                    c.revealed = true;
                }
            }
        }
        Action::Notice(text) => app.say(text),
        Action::AccessReport => match app.case.as_ref().and_then(|c| c.record.live()) {
            Some(c) => {
                let lang = match app.lang {
                    Lang::Da => crate::domain::enquiry::Language::Da,
                    Lang::En => crate::domain::enquiry::Language::En,
                };
                return vec![Effect::AccessReport {
                    reference: c.reference,
                    lang,
                }];
            }
            None => app.fail(t(lang, Msg::OpenRequestFirst)),
        },
        Action::Failed(text) => {
            app.after_open = None;
            dialog::refused(app, vec![text.clone()]);
            app.fail(text);
        }
        Action::Refused { reasons, .. } => {
            if !dialog::refused(app, reasons.clone()) {
                app.fail(reasons.join("; "));
            }
        }
        Action::DraftLoaded { reference, text } => dialog::draft_loaded(app, reference, text),
        Action::Paste(text) => return paste(app, &text),
        Action::InputChar(ch) => match &mut app.overlay {
            Some(Overlay::Filter { .. }) => {
                app.filter.push(ch);
                app.compiled = Filter::new(&app.filter);
                app.selected = 0;
                app.rebuild_list(None);
            }
            Some(Overlay::Help { input, scroll }) => {
                input.push(ch);
                *scroll = 0;
            }
            Some(Overlay::Palette { input, selected }) => {
                input.push(ch);
                *selected = 0;
            }
            Some(Overlay::Purpose(_)) | Some(Overlay::Route(_)) => {
                return dialog::type_char(app, ch);
            }
            Some(Overlay::Command(_)) => command::edit(app, &|s: &mut String| s.push(ch)),
            _ => {}
        },
        Action::Backspace | Action::ClearInput | Action::DeleteWord => {
            let edit = |s: &mut String| match action {
                Action::Backspace => {
                    s.pop();
                }
                Action::ClearInput => s.clear(),
                _ => pop_word(s),
            };
            match &mut app.overlay {
                Some(Overlay::Filter { .. }) => {
                    edit(&mut app.filter);
                    app.compiled = Filter::new(&app.filter);
                    app.rebuild_list(None);
                }
                Some(Overlay::Help { input, .. }) | Some(Overlay::Palette { input, .. }) => {
                    edit(input)
                }
                Some(Overlay::Purpose(_)) | Some(Overlay::Route(_)) => {
                    return dialog::edit(app, &edit);
                }
                Some(Overlay::Command(_)) => command::edit(app, &edit),
                _ => {}
            }
        }
        Action::Conflict { reference, message } => {
            let before = app.overlay.take().map(Box::new);
            app.overlay = Some(Overlay::Conflict {
                reference,
                message,
                before,
            });
        }
        Action::ReloadCase | Action::Confirm
            if matches!(app.overlay, Some(Overlay::Conflict { .. })) =>
        {
            if let Some(Overlay::Conflict {
                reference, before, ..
            }) = app.overlay.take()
            {
                app.overlay = before.map(|b| *b);
                app.after_reload = Some(reference);
                return vec![Effect::OpenCase(reference)];
            }
        }
        Action::Cancel if matches!(app.overlay, Some(Overlay::Conflict { .. })) => {
            if let Some(Overlay::Conflict { before, .. }) = app.overlay.take() {
                app.overlay = before.map(|b| *b);
            }
        }
        Action::Submit | Action::Confirm if matches!(app.overlay, Some(Overlay::Command(_))) => {
            return command::submit(app);
        }
        Action::Cancel if matches!(app.overlay, Some(Overlay::Command(_))) => command::cancel(app),
        Action::Command(kind) => return command::open(app, kind),
        Action::Submit => {
            if matches!(
                app.overlay,
                Some(Overlay::Classify(_) | Overlay::Purpose(_) | Overlay::Route(_))
            ) {
                return dialog::submit(app);
            }
            if let Some(Overlay::Palette { input, .. }) = &app.overlay {
                if input.trim().is_empty() {
                    // Nothing asked for: Enter does nothing (it used to run the first entry).
                    return Vec::new();
                }
            }
            if let Some(Overlay::Palette { selected, .. }) = &app.overlay {
                let chosen = app
                    .palette_entries()
                    .get(*selected)
                    .map(|e| e.action.clone());
                app.overlay = None;
                return chosen.map(|a| update(app, a)).unwrap_or_default();
            }
            if let Some(Overlay::Filter { .. }) = app.overlay.take() {
                let terms = app.filter.trim().to_string();
                if !terms.is_empty() {
                    return vec![Effect::LogAccess(None, Access::Search { terms })];
                }
            }
        }
        Action::Cancel => {
            match &app.overlay {
                Some(Overlay::Classify(_)) => {
                    app.overlay = None;
                    return Vec::new();
                }
                Some(Overlay::Purpose(_) | Overlay::Route(_)) => return dialog::cancel(app),
                _ => {}
            }
            if let Some(Overlay::Filter { before }) = app.overlay.take() {
                app.filter = before;
                app.compiled = Filter::new(&app.filter);
                app.rebuild_list(None);
            }
        }
        Action::Confirm => {
            if let Some(Overlay::Route(_)) = &app.overlay {
                return dialog::submit(app);
            }
            if let Some(Overlay::Confirm { yes, .. }) = app.overlay.take() {
                match yes {
                    OnYes::Effects(e) => return e,
                    OnYes::ClearMarks => app.marks.clear(),
                }
            }
        }
        Action::ReloadCase => {}
        Action::Quit => app.quit = true,
        Action::Help => {
            app.overlay = Some(Overlay::Help {
                input: String::new(),
                scroll: 0,
            })
        }
        Action::Palette => {
            app.overlay = Some(Overlay::Palette {
                input: String::new(),
                selected: 0,
            })
        }
        Action::Filter => {
            app.case = None;
            app.overlay = Some(Overlay::Filter {
                before: app.filter.clone(),
            });
        }
        Action::ClearFilter => {
            if !app.filter.is_empty() {
                let keep = app.selected_row().map(|r| r.reference);
                app.filter.clear();
                app.compiled = Filter::default();
                app.rebuild_list(keep);
            }
        }
        Action::NextView | Action::PrevView | Action::ShowView(_) => {
            let i = app.view.index();
            let n = View::ALL.len();
            app.view = match action {
                Action::NextView => View::ALL[(i + 1) % n],
                Action::PrevView => View::ALL[(i + n - 1) % n],
                Action::ShowView(v) => v,
                _ => app.view,
            };
            app.case = None;
            app.selected = 0;
            app.offset = 0;
            app.rebuild_list(None);
        }
        Action::Refresh => {
            app.repaint = true;
            app.say(t(lang, Msg::Reloaded));
            app.reload();
        }
        Action::Down
        | Action::Up
        | Action::PageDown
        | Action::PageUp
        | Action::Top
        | Action::Bottom => return movement(app, action),
        Action::Open => {
            if let Some(r) = app.selected_row() {
                return vec![Effect::OpenCase(r.reference)];
            }
        }
        Action::Back => app.case = None,
        Action::NextCase | Action::PrevCase => {
            if app.case.is_some() && !app.list.is_empty() {
                let to = match action {
                    Action::NextCase => (app.selected + 1).min(app.list.len() - 1),
                    _ => app.selected.saturating_sub(1),
                };
                if to != app.selected {
                    app.move_selection(to);
                    if let Some(r) = app.selected_row() {
                        return vec![Effect::OpenCase(r.reference)];
                    }
                }
            }
        }
        Action::SortNext => {
            let keep = app.selected_row().map(|r| r.reference);
            app.sort = app.sort.next();
            app.rebuild_list(keep);
        }
        Action::SortReverse => {
            let keep = app.selected_row().map(|r| r.reference);
            app.reverse = !app.reverse;
            app.rebuild_list(keep);
        }
        Action::Mark => {
            if app.case.is_none() {
                if let Some(r) = app.selected_row().map(|r| r.reference) {
                    if !app.marks.remove(&r) {
                        app.marks.insert(r);
                    }
                    let to = app.selected + 1;
                    app.move_selection(to);
                }
            }
        }
        Action::MarkAll => {
            let refs: Vec<Reference> = app.list.iter().map(|&i| app.rows[i].reference).collect();
            app.marks.extend(refs);
        }
        Action::ClearMarks => match app.marks.len() {
            0 => app.say(t(lang, Msg::NothingMarked)),
            1 => app.marks.clear(),
            n => {
                app.overlay = Some(Overlay::Confirm {
                    prompt: tf(lang, Msg::ClearMarks, &[&n.to_string()]),
                    yes: OnYes::ClearMarks,
                })
            }
        },
        Action::Take => return take(app),
        Action::Release => return release(app),
        Action::RevealCpr => match &mut app.case {
            Some(c) if c.revealed => c.revealed = false,
            Some(c) => return vec![Effect::RevealCpr(c.reference())],
            None => app.say(t(lang, Msg::OpenCaseFirst)),
        },
        Action::ToggleSide => {
            if let Some(c) = &mut app.case {
                c.side = !c.side;
            }
        }
        Action::Classify => return dialog::open_classify(app),
        Action::SetPurpose => return dialog::open_purpose(app),
        Action::Route => return dialog::open_route(app),
        Action::ConfirmItem => dialog::decide(app, Some(Verdict::Confirmed), false),
        Action::RejectItem => dialog::decide(app, Some(Verdict::Rejected), false),
        Action::UndoItem => dialog::decide(app, None, true),
        Action::AcceptSuggestions => dialog::accept_suggestions(app),
        Action::Newline if matches!(app.overlay, Some(Overlay::Command(_))) => {
            command::edit(app, &|s: &mut String| s.push('\n'))
        }
        Action::Newline => return dialog::newline(app),
        Action::Nothing => {}
    }
    Vec::new()
}

/// A paste into the focused field, as one edit: the filter runs once on the result, not
/// once per character. With no field focused it is ignored: a paste is never keys.
fn paste(app: &mut App, text: &str) -> Vec<Effect> {
    let multiline = matches!(
        &app.overlay,
        Some(Overlay::Route(w)) if w.step == dialog::RouteStep::Justification
    );
    let (text, cut) = super::paste::fit(text, multiline, super::paste::PASTE_LIMIT);
    let mut effects = Vec::new();
    match &mut app.overlay {
        Some(Overlay::Filter { .. }) => {
            app.filter.push_str(&text);
            app.compiled = Filter::new(&app.filter);
            app.selected = 0;
            app.rebuild_list(None);
        }
        Some(Overlay::Help { input, scroll }) => {
            input.push_str(&text);
            *scroll = 0;
        }
        Some(Overlay::Palette { input, selected }) => {
            input.push_str(&text);
            *selected = 0;
        }
        Some(Overlay::Purpose(_)) | Some(Overlay::Route(_)) => {
            effects = dialog::type_text(app, &text);
        }
        _ => {
            app.say(match app.lang {
                Lang::Da => "indsat tekst ignoreret: intet tekstfelt er valgt",
                Lang::En => "paste ignored: no text field has focus",
            });
            return effects;
        }
    }
    if cut {
        app.say(match app.lang {
            Lang::Da => format!(
                "indsat tekst afkortet til {} tegn",
                super::paste::PASTE_LIMIT
            ),
            Lang::En => format!(
                "pasted text cut to {} characters",
                super::paste::PASTE_LIMIT
            ),
        });
    }
    effects
}

fn on_key(app: &mut App, key: Key) -> Vec<Effect> {
    let ctx = app.context();
    app.pending.push(key);
    let mut res = app.keymap.resolve(ctx, &app.pending);
    if res == Resolution::Unbound && app.pending.len() > 1 {
        // A started sequence that went nowhere: the last key starts afresh.
        app.pending = vec![key];
        res = app.keymap.resolve(ctx, &app.pending);
    }
    match res {
        Resolution::Pending => Vec::new(),
        Resolution::Action(a) => {
            app.pending.clear();
            update(app, a)
        }
        Resolution::Unbound => {
            app.pending.clear();
            match key.code {
                Code::Char(c) if ctx == Context::Input && !key.ctrl && !key.alt => {
                    update(app, Action::InputChar(c))
                }
                _ => Vec::new(),
            }
        }
    }
}

fn movement(app: &mut App, action: Action) -> Vec<Effect> {
    let page = |rows: usize| rows.saturating_sub(1).max(1);
    match &mut app.overlay {
        Some(Overlay::Help { scroll, .. }) => {
            *scroll = match action {
                Action::Down => *scroll + 1,
                Action::Up => scroll.saturating_sub(1),
                Action::PageDown => *scroll + 10,
                Action::PageUp => scroll.saturating_sub(10),
                Action::Top => 0,
                _ => *scroll,
            };
            return Vec::new();
        }
        Some(Overlay::Palette { selected, .. }) => {
            *selected = match action {
                Action::Down => *selected + 1,
                Action::Up => selected.saturating_sub(1),
                _ => *selected,
            };
            let n = app.palette_entries().len();
            if let Some(Overlay::Palette { selected, .. }) = &mut app.overlay {
                *selected = (*selected).min(n.saturating_sub(1));
            }
            return Vec::new();
        }
        Some(Overlay::Filter { .. }) => {
            // Up and down while filtering move the selection in the narrowed queue.
        }
        Some(Overlay::Command(_)) => {
            command::move_choice(app, matches!(action, Action::Down | Action::PageDown));
            return Vec::new();
        }
        Some(Overlay::Confirm { .. } | Overlay::Conflict { .. }) => return Vec::new(),
        Some(Overlay::Classify(_) | Overlay::Purpose(_) | Overlay::Route(_)) => {
            let delta = match action {
                Action::Down => 1,
                Action::Up => -1,
                Action::PageDown => 10,
                Action::PageUp => -10,
                Action::Top => isize::MIN / 2,
                _ => isize::MAX / 2,
            };
            dialog::move_in(app, delta);
            return Vec::new();
        }
        None => {}
    }
    let (tmax, smax) = app.case_scroll_limits();
    let rows = layout::case_body_rows(app.size);
    if let (Some(c), None) = (app.case.as_mut(), &app.overlay) {
        let focus_side = c.side;
        let (scroll, max) = if focus_side {
            (&mut c.side_scroll, smax)
        } else {
            (&mut c.text_scroll, tmax)
        };
        *scroll = match action {
            Action::Down => *scroll + 1,
            Action::Up => scroll.saturating_sub(1),
            Action::PageDown => *scroll + page(rows),
            Action::PageUp => scroll.saturating_sub(page(rows)),
            Action::Top => 0,
            _ => max,
        }
        .min(max);
        return Vec::new();
    }
    let last = app.list.len().saturating_sub(1);
    let rows = layout::queue_rows(app.size);
    let to = match action {
        Action::Down => app.selected + 1,
        Action::Up => app.selected.saturating_sub(1),
        Action::PageDown => app.selected + page(rows),
        Action::PageUp => app.selected.saturating_sub(page(rows)),
        Action::Top => 0,
        _ => last,
    };
    app.move_selection(to);
    Vec::new()
}

fn assign(reference: Reference, expected: u64, to: Option<String>, from: Option<String>) -> Effect {
    Effect::Execute {
        reference,
        expected,
        command: Command::Assign { to, from },
    }
}

fn take(app: &mut App) -> Vec<Effect> {
    let me = app.actor.login.clone();
    let targets = app.targets();
    let mut now = Vec::new();
    let mut held = Vec::new();
    for (r, v, holder) in targets {
        match holder {
            Some(h) if h == me => {}
            None => now.push(assign(r, v, Some(me.clone()), None)),
            Some(h) => held.push((r, assign(r, v, Some(me.clone()), Some(h.clone())), h)),
        }
    }
    let hidden = if app.case.is_none() {
        app.marks_out_of_view()
    } else {
        0
    };
    if held.is_empty() && hidden == 0 {
        return now;
    }
    if held.is_empty() {
        // Marks out of sight: say whose cases the key takes before taking them.
        let n = now.len();
        app.overlay = Some(Overlay::Confirm {
            prompt: tf(
                app.lang,
                Msg::TakeMarkedHidden,
                &[&n.to_string(), &hidden.to_string()],
            ),
            yes: OnYes::Effects(now),
        });
        return Vec::new();
    }
    // Taking a case from a colleague is a decision: ask, naming them.
    let prompt = match held.as_slice() {
        [(r, _, h)] => tf(app.lang, Msg::TakeFrom, &[&r.to_string(), h]),
        many => {
            let mut holders: Vec<&str> = many.iter().map(|(_, _, h)| h.as_str()).collect();
            holders.sort_unstable();
            holders.dedup();
            tf(
                app.lang,
                Msg::TakeMany,
                &[&many.len().to_string(), &holders.join(", ")],
            )
        }
    };
    let mut effects = now;
    effects.extend(held.into_iter().map(|(_, e, _)| e));
    app.overlay = Some(Overlay::Confirm {
        prompt,
        yes: OnYes::Effects(effects),
    });
    Vec::new()
}

fn release(app: &mut App) -> Vec<Effect> {
    let me = app.actor.login.clone();
    let effects: Vec<Effect> = app
        .targets()
        .into_iter()
        .filter(|(_, _, h)| h.as_deref() == Some(me.as_str()))
        .map(|(r, v, _)| assign(r, v, None, Some(me.clone())))
        .collect();
    let refs: Vec<String> = effects
        .iter()
        .filter_map(|e| match e {
            Effect::Execute { reference, .. } => Some(reference.to_string()),
            _ => None,
        })
        .collect();
    match refs.len() {
        0 => app.fail(t(app.lang, Msg::NotYours)),
        _ => {
            app.overlay = Some(Overlay::Confirm {
                prompt: tf(app.lang, Msg::Release, &[&refs.join(", ")]),
                yes: OnYes::Effects(effects),
            })
        }
    }
    Vec::new()
}
