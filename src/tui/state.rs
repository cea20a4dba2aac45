//! The interface's state: the cases shown, the open case, the layer over them, the message;
//! pure data, no terminal and no store.

use crate::domain::calendar::Calendar;
use crate::domain::case::CaseRecord;
use crate::domain::command::Event;
use crate::domain::enquiry::Reference;
use crate::domain::handover::{self, ArchiveState, Step};
use crate::domain::policy::Policy;
use crate::domain::summary::CaseSummary;
use crate::store::Actor;
use crate::tui::action::{Action, Effect, View};
use crate::tui::dialog::{ClassifyDialog, PurposePicker, RouteStep, RouteWizard};
use crate::tui::i18n::{t, Lang, Msg};
use crate::tui::keymap::{Context, Key, Keymap};
use crate::tui::model::{self, Filter, Row};
use crate::tui::queue::Queue;
use chrono::NaiveDate;

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

pub struct App {
    pub lang: Lang,
    pub color: bool,
    pub actor: Actor,
    pub store: String,
    pub policy: Policy,
    pub calendar: Calendar,
    pub today: NaiveDate,
    pub keymap: Keymap,
    /// The cases shown: rows, view, list, selection, filter, loading and marks.
    pub queue: Queue,
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
    /// What the archive register says of cases the Retention view has shown (asked for the
    /// rows in sight only, a page at a time; forgotten when a case changes or on reload).
    pub archive: std::collections::HashMap<Reference, ArchiveState>,
    /// The register could not be read: the Retention view says so instead of asking again.
    pub archive_unavailable: bool,
}

impl App {
    pub fn new(init: Init, records: &[CaseRecord]) -> App {
        let calendar = Calendar::from_policy(&init.policy);
        let queue = Queue::new(&init.actor.login);
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
            queue,
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
            archive: std::collections::HashMap::new(),
            archive_unavailable: false,
        };
        let rows: Vec<Row> = records
            .iter()
            .filter_map(|r| model::row_of(r, &app.policy, &app.calendar, app.today))
            .collect();
        app.queue.set_rows(rows);
        // Staff start where the work is: new cases if there are any.
        app.queue.view = if app.queue.counts[View::New.index()] > 0 {
            View::New
        } else {
            View::All
        };
        app.queue.rebuild_list(None);
        app
    }

    /// The interface on a large store: the first page of the queue (the most urgent cases
    /// of `view`) drawn at once; the rest is read in pages by [`App::load_page`].
    pub fn starting(init: Init, view: View, first: &[CaseSummary]) -> App {
        let mut app = App::new(init, &[]);
        app.queue.rows = first
            .iter()
            .map(|s| Row::from_summary(s, &app.calendar, app.today))
            .collect();
        app.queue.view = view;
        app.queue.loading = Some(crate::tui::queue::Loading::default());
        app.queue.rebuild_list(None);
        app
    }

    /// Takes one page of summaries; the last one (shorter than asked) ends the load.
    pub fn load_page(&mut self, page: &[CaseSummary], last: bool) {
        let rows = page
            .iter()
            .map(|s| Row::from_summary(s, &self.calendar, self.today))
            .collect();
        let held = self.case.is_some();
        self.queue.load_page(rows, last, held);
    }

    /// Puts a changed case's row in place (or takes it out, when the case is gone).
    pub fn replace_row(&mut self, record: &CaseRecord) {
        self.archive.remove(&record.reference());
        let row = model::row_of(record, &self.policy, &self.calendar, self.today);
        self.queue.replace_row(record.reference(), row);
    }

    /// Rows in sight in the Retention view whose step needs the archive register and is not
    /// known yet (at most a page).
    pub fn archive_wanted(&self) -> Vec<Reference> {
        if self.queue.view != View::RetentionDue || self.archive_unavailable {
            return Vec::new();
        }
        self.queue
            .list
            .iter()
            .skip(self.queue.offset)
            .take(self.queue.height.max(1))
            .map(|&i| &self.queue.rows[i])
            .filter(|r| {
                r.retention.is_some_and(handover::needs_register)
                    && !self.archive.contains_key(&r.reference)
            })
            .map(|r| r.reference)
            .take(crate::store::api::PAGE)
            .collect()
    }

    /// Where a row stands on its way to the archives and deletion; None while the register
    /// has not answered for it (or for a case retention has not reached).
    pub fn retention_step(&self, row: &Row) -> Option<Step> {
        let state = row.retention?;
        if handover::needs_register(state) {
            let archive = self.archive.get(&row.reference)?;
            Some(handover::step_of(state, *archive))
        } else {
            Some(handover::step_of(state, ArchiveState::NotPackaged))
        }
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

    /// The cases an action on "the case" means: the marked ones, else the open or selected
    /// one.
    pub fn targets(&self) -> Vec<(Reference, u64, Option<String>)> {
        if let Some(c) = &self.case {
            let assignee = c.record.live().and_then(|x| x.assignee.clone());
            return vec![(c.reference(), c.record.version(), assignee)];
        }
        if !self.queue.marks.is_empty() {
            let mut v: Vec<_> = self
                .queue
                .rows
                .iter()
                .filter(|r| self.queue.marks.contains(&r.reference))
                .map(|r| (r.reference, r.version, r.assignee().map(String::from)))
                .collect();
            v.sort_by_key(|x| x.0);
            return v;
        }
        self.queue
            .selected_row()
            .map(|r| vec![(r.reference, r.version, r.assignee().map(String::from))])
            .unwrap_or_default()
    }
}

/// Every word of `input` occurs in `hay` as a subsequence (the palette's own leniency).
fn input_matches(hay: &str, input: &str) -> bool {
    model::fold(input).split_whitespace().all(|w| {
        let mut it = hay.chars();
        w.chars().all(|c| it.any(|h| h == c))
    })
}
