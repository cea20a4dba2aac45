//! The case commands that take a line of text (a note, an answer, a reason) and, where
//! weighty, a confirm step that says what will happen: note, answer, close, extend,
//! restrict and unrestrict, legal hold and its release, pause and resume.

use super::action::Effect;
use super::app::{App, Overlay};
use super::i18n::{t, tf, Lang, Msg};
use crate::domain::command::Command;
use crate::domain::enquiry::Reference;

/// Which command the dialog gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CaseCommand {
    Note,
    Answer,
    Close,
    Extend,
    Restrict,
    Unrestrict,
    Hold,
    ReleaseHold,
    Pause,
    Resume,
}

impl CaseCommand {
    pub const ALL: [CaseCommand; 10] = [
        CaseCommand::Note,
        CaseCommand::Answer,
        CaseCommand::Close,
        CaseCommand::Extend,
        CaseCommand::Restrict,
        CaseCommand::Unrestrict,
        CaseCommand::Hold,
        CaseCommand::ReleaseHold,
        CaseCommand::Pause,
        CaseCommand::Resume,
    ];

    /// Whether it asks for text (all but resume).
    pub fn takes_text(self) -> bool {
        self != CaseCommand::Resume
    }

    /// Whether a confirm step says what will happen before it is given: what ends a case,
    /// moves a deadline a requester must be told of, or lifts a protection.
    pub fn weighty(self) -> bool {
        matches!(
            self,
            CaseCommand::Close
                | CaseCommand::Extend
                | CaseCommand::Restrict
                | CaseCommand::Unrestrict
                | CaseCommand::ReleaseHold
                | CaseCommand::Resume
        )
    }

    /// The store command for the text typed.
    pub fn command(self, text: &str) -> Command {
        let text = text.trim().to_string();
        match self {
            CaseCommand::Note => Command::AddNote { text },
            CaseCommand::Answer => Command::Answer { summary: text },
            CaseCommand::Close => Command::Close { reason: text },
            CaseCommand::Extend => Command::Extend { reason: text },
            CaseCommand::Restrict => Command::Restrict { reason: text },
            CaseCommand::Unrestrict => Command::Unrestrict { reason: text },
            CaseCommand::Hold => Command::Hold { reason: text },
            CaseCommand::ReleaseHold => Command::ReleaseHold { reason: text },
            CaseCommand::Pause => Command::Pause { reason: text },
            CaseCommand::Resume => Command::Resume,
        }
    }

    /// (title, what the text is, what will happen, what was done), each with `{}` for the
    /// reference.
    pub fn words(self) -> [Msg; 4] {
        use Msg::*;
        match self {
            CaseCommand::Note => [CmdNoteTitle, CmdNoteAsk, CmdNoteWill, CmdNoteDone],
            CaseCommand::Answer => [CmdAnswerTitle, CmdAnswerAsk, CmdAnswerWill, CmdAnswerDone],
            CaseCommand::Close => [CmdCloseTitle, CmdReasonAsk, CmdCloseWill, CmdCloseDone],
            CaseCommand::Extend => [CmdExtendTitle, CmdReasonAsk, CmdExtendWill, CmdExtendDone],
            CaseCommand::Restrict => [
                CmdRestrictTitle,
                CmdReasonAsk,
                CmdRestrictWill,
                CmdRestrictDone,
            ],
            CaseCommand::Unrestrict => [
                CmdUnrestrictTitle,
                CmdReasonAsk,
                CmdUnrestrictWill,
                CmdUnrestrictDone,
            ],
            CaseCommand::Hold => [CmdHoldTitle, CmdReasonAsk, CmdHoldWill, CmdHoldDone],
            CaseCommand::ReleaseHold => [
                CmdReleaseHoldTitle,
                CmdReasonAsk,
                CmdReleaseHoldWill,
                CmdReleaseHoldDone,
            ],
            CaseCommand::Pause => [CmdPauseTitle, CmdReasonAsk, CmdPauseWill, CmdPauseDone],
            CaseCommand::Resume => [CmdResumeTitle, CmdReasonAsk, CmdResumeWill, CmdResumeDone],
        }
    }
}

/// The dialog: the text being written, then (for a weighty command) the confirm step.
#[derive(Debug, Clone, PartialEq)]
pub struct CommandDialog {
    pub kind: CaseCommand,
    pub reference: Reference,
    pub version: u64,
    pub text: String,
    pub confirming: bool,
}

impl CommandDialog {
    pub fn title(&self, lang: Lang) -> String {
        tf(lang, self.kind.words()[0], &[&self.reference.to_string()])
    }

    pub fn ask(&self, lang: Lang) -> &'static str {
        t(lang, self.kind.words()[1])
    }

    pub fn will(&self, lang: Lang) -> String {
        tf(lang, self.kind.words()[2], &[&self.reference.to_string()])
    }
}

/// Opens the dialog on the open case; a command needs a case open (and live).
pub fn open(app: &mut App, kind: CaseCommand) -> Vec<Effect> {
    let Some(case) = app.case.as_ref().and_then(|c| c.record.live()) else {
        let m = if app.case.is_some() {
            Msg::CaseNotLive
        } else {
            Msg::OpenCaseFirst
        };
        app.fail(t(app.lang, m));
        return Vec::new();
    };
    app.overlay = Some(Overlay::Command(CommandDialog {
        kind,
        reference: case.reference,
        version: case.version,
        text: String::new(),
        // Nothing to write for resume: straight to what will happen.
        confirming: !kind.takes_text(),
    }));
    Vec::new()
}

/// Enter: text written → the confirm step (weighty) or the command; confirmed → the command.
pub fn submit(app: &mut App) -> Vec<Effect> {
    let lang = app.lang;
    let Some(Overlay::Command(d)) = &mut app.overlay else {
        return Vec::new();
    };
    if d.kind.takes_text() && d.text.trim().is_empty() {
        let ask = d.ask(lang);
        app.fail(tf(lang, Msg::CmdWriteFirst, &[ask]));
        return Vec::new();
    }
    if d.kind.weighty() && !d.confirming {
        d.confirming = true;
        return Vec::new();
    }
    let d = d.clone();
    // The dialog stays until the store says saved, so a refusal or a conflict loses no text.
    app.pending_done = Some((
        d.reference,
        tf(lang, d.kind.words()[3], &[&d.reference.to_string()]),
    ));
    vec![Effect::Execute {
        reference: d.reference,
        expected: d.version,
        command: d.kind.command(&d.text),
    }]
}

/// Saved: the dialog for that case is done.
pub fn saved(app: &mut App, reference: Reference) {
    if matches!(&app.overlay, Some(Overlay::Command(d)) if d.reference == reference) {
        app.overlay = None;
    }
}

/// After a reload the dialog acts on the version now read (its text kept): the person has
/// seen the change and decides again.
pub fn rebase(app: &mut App, version: u64) {
    if let Some(Overlay::Command(d)) = &mut app.overlay {
        d.version = version;
        d.confirming = false;
    }
}

/// Esc: from the confirm step back to the text; from the text, away.
pub fn cancel(app: &mut App) {
    match &mut app.overlay {
        Some(Overlay::Command(d)) if d.confirming && d.kind.takes_text() => d.confirming = false,
        _ => app.overlay = None,
    }
}

/// Text typed (or pasted) into the dialog; ignored on the confirm step.
pub fn edit(app: &mut App, f: &dyn Fn(&mut String)) {
    if let Some(Overlay::Command(d)) = &mut app.overlay {
        if !d.confirming {
            f(&mut d.text);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_command_has_words_in_both_languages_and_a_store_command() {
        for k in CaseCommand::ALL {
            for lang in [Lang::En, Lang::Da] {
                for m in k.words() {
                    assert!(!t(lang, m).is_empty(), "{k:?} {m:?}");
                }
                let title = tf(lang, k.words()[0], &["2026-000001"]);
                assert!(title.contains("2026-000001"), "{k:?}: {title}");
            }
            let c = k.command("  why  ");
            assert_ne!(c.action(), "", "{k:?}");
        }
        assert_eq!(
            CaseCommand::Note.command(" called back "),
            Command::AddNote {
                text: "called back".into()
            }
        );
    }
}
