//! What can happen to the interface (`Action`) and what it asks of the store (`Effect`).

use super::key::Key;
use crate::domain::case::CaseRecord;
use crate::domain::command::{Access, Command, Event};
use crate::domain::enquiry::Reference;

/// The queue's views, shown as tabs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum View {
    New,
    Mine,
    DueSoon,
    Routed,
    RetentionDue,
    All,
}

impl View {
    pub const ALL: [View; 6] = [
        View::New,
        View::Mine,
        View::DueSoon,
        View::Routed,
        View::RetentionDue,
        View::All,
    ];

    pub fn index(self) -> usize {
        View::ALL.iter().position(|v| *v == self).unwrap_or(0)
    }
}

/// Everything that changes the interface's state: a named action a key or the palette runs,
/// or something that happened (a key, a resize, a store's answer).
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    // Named actions: bound to keys in keymaps/*.toml.
    Quit,
    Help,
    Palette,
    NextView,
    PrevView,
    ShowView(View),
    Refresh,
    Down,
    Up,
    PageDown,
    PageUp,
    Top,
    Bottom,
    Open,
    Back,
    Filter,
    ClearFilter,
    SortNext,
    SortReverse,
    Mark,
    MarkAll,
    ClearMarks,
    Take,
    Release,
    RevealCpr,
    /// Write the access answer (Art. 15) for the requester of the open case.
    AccessReport,
    ToggleSide,
    NextCase,
    PrevCase,
    Confirm,
    Cancel,
    Submit,
    Backspace,
    ClearInput,
    DeleteWord,
    /// Open the classify checklist (marked cases if any).
    Classify,
    /// Open the purpose picker.
    SetPurpose,
    /// Open the route wizard.
    Route,
    /// In a checklist: confirm the category, or choose the basis.
    ConfirmItem,
    /// In a checklist: reject the category, or leave the basis out.
    RejectItem,
    /// In a checklist: back to the stored state.
    UndoItem,
    /// In the classify checklist: confirm every suggestion shown.
    AcceptSuggestions,
    /// After a conflict: read the case as it now is, and go back to the dialog.
    ReloadCase,
    /// In a multi-line text field: a line break.
    Newline,
    /// A case command that takes a text (note, answer, close, …): see `tui::command`.
    Command(super::command::CaseCommand),
    /// Does nothing; a user keymap binds a key to it to unbind the default.
    Nothing,

    // Events.
    Key(Key),
    InputChar(char),
    /// Text pasted (bracketed paste): for the focused field, never keys.
    Paste(String),
    Resize(u16, u16),
    /// A timer tick: the date (it may have changed at midnight) and cases others changed.
    Tick {
        today: chrono::NaiveDate,
    },
    /// A page of the queue, read while it loads; `last` ends the load.
    Page {
        summaries: Vec<crate::domain::summary::CaseSummary>,
        last: bool,
    },
    /// Cases someone else changed, as they now are (with their history), and those that
    /// left this user's view.
    Changed {
        records: Vec<(CaseRecord, Vec<Event>)>,
        gone: Vec<Reference>,
    },
    /// An opened case with its history; the open is already in the audit log.
    CaseOpened {
        record: Box<CaseRecord>,
        events: Vec<Event>,
    },
    /// A command was saved: the case as it now is, with its history.
    Saved {
        record: Box<CaseRecord>,
        events: Vec<Event>,
    },
    /// The reveal of a case's CPR numbers is in the audit log: they may be drawn.
    Revealed(Reference),
    /// The store refused or failed; the text is for the person at the keyboard.
    Failed(String),
    /// The archive register's answer for rows the Retention view shows, or why it failed.
    ArchiveStates(Result<Vec<(Reference, crate::domain::handover::ArchiveState)>, String>),
    /// The store refused or failed: said through the catalogue in the interface's language.
    StoreFailed(crate::store::api_error::ApiError),
    /// Something was done that is worth saying in the status bar.
    Notice(String),
    /// Someone changed the case since it was read: reload or keep editing.
    Conflict {
        reference: Reference,
        message: String,
    },
    /// The store refused a route, with every reason.
    Refused {
        reference: Reference,
        reasons: Vec<crate::domain::routing::RouteProblem>,
    },
    /// The draft justification saved for a case, read when the route wizard opened.
    DraftLoaded {
        reference: Reference,
        text: Option<String>,
    },
    /// The filter text has stood still (or Enter was pressed): search the enquiries' text.
    SearchText,
    /// The store's text hits for `query`, best first (snippets sanitised, CPR numbers
    /// masked), or why it could not search.
    TextHits {
        query: String,
        result: Result<Vec<crate::search::Hit>, crate::store::api_error::ApiError>,
    },
}

use super::command::CaseCommand;

/// Every named action: its name in keymaps and the palette.
pub const NAMED: &[(&str, Action)] = &[
    ("quit", Action::Quit),
    ("help", Action::Help),
    ("palette", Action::Palette),
    ("view_next", Action::NextView),
    ("view_prev", Action::PrevView),
    ("view_new", Action::ShowView(View::New)),
    ("view_mine", Action::ShowView(View::Mine)),
    ("view_due", Action::ShowView(View::DueSoon)),
    ("view_routed", Action::ShowView(View::Routed)),
    ("view_retention", Action::ShowView(View::RetentionDue)),
    ("view_all", Action::ShowView(View::All)),
    ("refresh", Action::Refresh),
    ("down", Action::Down),
    ("up", Action::Up),
    ("page_down", Action::PageDown),
    ("page_up", Action::PageUp),
    ("top", Action::Top),
    ("bottom", Action::Bottom),
    ("open", Action::Open),
    ("back", Action::Back),
    ("filter", Action::Filter),
    ("clear_filter", Action::ClearFilter),
    ("sort_next", Action::SortNext),
    ("sort_reverse", Action::SortReverse),
    ("mark", Action::Mark),
    ("mark_all", Action::MarkAll),
    ("clear_marks", Action::ClearMarks),
    ("take", Action::Take),
    ("access_report", Action::AccessReport),
    ("release", Action::Release),
    ("reveal_cpr", Action::RevealCpr),
    ("toggle_side", Action::ToggleSide),
    ("next_case", Action::NextCase),
    ("prev_case", Action::PrevCase),
    ("confirm", Action::Confirm),
    ("cancel", Action::Cancel),
    ("submit", Action::Submit),
    ("backspace", Action::Backspace),
    ("clear_input", Action::ClearInput),
    ("delete_word", Action::DeleteWord),
    ("classify", Action::Classify),
    ("purpose", Action::SetPurpose),
    ("route", Action::Route),
    ("confirm_item", Action::ConfirmItem),
    ("reject_item", Action::RejectItem),
    ("undo_item", Action::UndoItem),
    ("accept_suggestions", Action::AcceptSuggestions),
    ("reload_case", Action::ReloadCase),
    ("newline", Action::Newline),
    ("note", Action::Command(CaseCommand::Note)),
    ("answer", Action::Command(CaseCommand::Answer)),
    ("close", Action::Command(CaseCommand::Close)),
    ("extend", Action::Command(CaseCommand::Extend)),
    ("restrict", Action::Command(CaseCommand::Restrict)),
    ("unrestrict", Action::Command(CaseCommand::Unrestrict)),
    ("hold", Action::Command(CaseCommand::Hold)),
    ("release_hold", Action::Command(CaseCommand::ReleaseHold)),
    ("pause", Action::Command(CaseCommand::Pause)),
    ("resume", Action::Command(CaseCommand::Resume)),
    ("assign", Action::Command(CaseCommand::Assign)),
    ("withdraw", Action::Command(CaseCommand::Withdraw)),
    ("decide", Action::Command(CaseCommand::Decide)),
    ("none", Action::Nothing),
];

impl Action {
    pub fn from_name(name: &str) -> Option<Action> {
        NAMED
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, a)| a.clone())
    }

    pub fn name(&self) -> Option<&'static str> {
        NAMED.iter().find(|(_, a)| a == self).map(|(n, _)| *n)
    }

    /// Actions that make sense only inside a dialog or a text field; the palette leaves
    /// them out.
    pub fn is_input_only(&self) -> bool {
        matches!(
            self,
            Action::Confirm
                | Action::Cancel
                | Action::Submit
                | Action::Backspace
                | Action::ClearInput
                | Action::DeleteWord
                | Action::ConfirmItem
                | Action::RejectItem
                | Action::UndoItem
                | Action::AcceptSuggestions
                | Action::ReloadCase
                | Action::Newline
                | Action::Nothing
        )
    }
}

/// Work for the run loop: done against the store before the next key is read, its result
/// coming back as an [`Action`].
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Log the open, then read the case and its events.
    OpenCase(Reference),
    /// Log the reveal (the audit entry comes first), then allow drawing.
    RevealCpr(Reference),
    /// Log a read that returns nothing to draw (a search).
    LogAccess(Option<Reference>, Access),
    /// Give a command on a case, decided on `expected`.
    Execute {
        reference: Reference,
        expected: u64,
        command: Command,
    },
    /// Keep a draft justification (an empty one clears it).
    SaveDraft { reference: Reference, text: String },
    /// Read the draft justification for a case.
    LoadDraft(Reference),
    /// Search the enquiries' text for the filter's query (the store logs the terms as a
    /// read, and only there).
    SearchText(String),
    /// Write the access answer for the requester of a case (the read is logged).
    AccessReport {
        reference: Reference,
        lang: crate::domain::enquiry::Language,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_round_trip() {
        let mut seen = std::collections::HashSet::new();
        for (name, action) in NAMED {
            assert!(seen.insert(*name), "duplicate {name}");
            assert_eq!(Action::from_name(name).as_ref(), Some(action));
            assert_eq!(action.name(), Some(*name));
        }
        assert_eq!(Action::from_name("frobnicate"), None);
    }
}
