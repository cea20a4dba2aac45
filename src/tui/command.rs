//! The case commands given through one dialog: a choice where there is one (the colleague,
//! the disclosure, the outcome), then a text (a note, an answer, a reason, the ground of a
//! ruling) and, where weighty, a confirm step that says what will happen: note, answer,
//! close, extend, restrict and unrestrict, legal hold and its release, pause and resume,
//! assign, withdraw a disclosure, decide a request.

use super::i18n::{t, tf, Lang, Msg};
use crate::domain::case::{Case, Outcome, Ruling};
use crate::domain::command::Command;
use crate::domain::danish_time::DanishDay;
use crate::domain::enquiry::Reference;
use crate::domain::policy::{Policy, Role};

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
    Assign,
    Withdraw,
    Decide,
}

impl CaseCommand {
    pub const ALL: [CaseCommand; 13] = [
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
        CaseCommand::Assign,
        CaseCommand::Withdraw,
        CaseCommand::Decide,
    ];

    /// Whether it asks for text (all but resume and assign; decide only for a ruling).
    pub fn takes_text(self) -> bool {
        !matches!(self, CaseCommand::Resume | CaseCommand::Assign)
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
                | CaseCommand::Assign
                | CaseCommand::Withdraw
                | CaseCommand::Decide
        )
    }

    /// The store command for the text typed (commands with a choice: see `CommandDialog`).
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
            CaseCommand::Resume
            | CaseCommand::Assign
            | CaseCommand::Withdraw
            | CaseCommand::Decide => Command::Resume,
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
            CaseCommand::Assign => [CmdAssignTitle, CmdReasonAsk, CmdAssignWill, CmdAssignDone],
            CaseCommand::Withdraw => [
                CmdWithdrawTitle,
                CmdReasonAsk,
                CmdWithdrawWill,
                CmdWithdrawDone,
            ],
            CaseCommand::Decide => [CmdDecideTitle, CmdRulingAsk, CmdDecideWill, CmdDecideDone],
        }
    }
}

/// Where the dialog is: choosing, writing, writing the ground of a ruling, confirming.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    Pick,
    Text,
    Ground,
    Confirm,
}

/// One choice the dialog offers: what it stands for, and how it reads.
#[derive(Debug, Clone, PartialEq)]
pub struct Choice {
    pub id: String,
    pub label: String,
}

/// The choices a command offers on `case`, for `lang`; empty for commands without one.
pub fn choices(kind: CaseCommand, case: &Case, policy: &Policy, lang: Lang) -> Vec<Choice> {
    match kind {
        CaseCommand::Assign => policy
            .staff
            .iter()
            .filter(|s| s.roles.contains(&Role::Caseworker) || s.roles.contains(&Role::Dpo))
            .filter(|s| case.assignee.as_deref() != Some(s.login.get_ref().as_str()))
            .map(|s| Choice {
                id: s.login.get_ref().clone(),
                label: format!("{} ({})", s.name, s.login.get_ref()),
            })
            .collect(),
        CaseCommand::Withdraw => case
            .live_disclosures()
            .map(|d| Choice {
                id: d.id.to_string(),
                label: format!(
                    "#{} {} · {}",
                    d.id,
                    policy
                        .recipient(&d.recipient)
                        .map(|r| r.name(lang.language()).to_string())
                        .unwrap_or_else(|| d.recipient.clone()),
                    d.made.at.danish_day()
                ),
            })
            .collect(),
        CaseCommand::Decide => [
            (Outcome::Granted, Msg::OutcomeGranted),
            (Outcome::PartlyGranted, Msg::OutcomePartly),
            (Outcome::Refused, Msg::OutcomeRefused),
        ]
        .into_iter()
        .map(|(o, m)| Choice {
            id: o.as_id().into(),
            label: t(lang, m).into(),
        })
        .collect(),
        _ => Vec::new(),
    }
}

/// The dialog: a choice, the text being written, then (for a weighty command) the confirm
/// step.
#[derive(Debug, Clone, PartialEq)]
pub struct CommandDialog {
    pub kind: CaseCommand,
    pub reference: Reference,
    pub version: u64,
    pub stage: Stage,
    pub choices: Vec<Choice>,
    pub selected: usize,
    pub text: String,
    /// The legal ground of a ruling (decide, when not granted in full).
    pub ground: String,
    /// The case's holder when the dialog opened (assign takes it from them).
    pub holder: Option<String>,
}

impl CommandDialog {
    pub fn confirming(&self) -> bool {
        self.stage == Stage::Confirm
    }

    fn chosen(&self) -> Option<&Choice> {
        self.choices.get(self.selected)
    }

    fn outcome(&self) -> Option<Outcome> {
        match self.chosen()?.id.as_str() {
            "granted" => Some(Outcome::Granted),
            "partly-granted" => Some(Outcome::PartlyGranted),
            "refused" => Some(Outcome::Refused),
            _ => None,
        }
    }

    /// Whether this dialog asks for a text at all (decide: only for a ruling).
    pub fn wants_text(&self) -> bool {
        match self.kind {
            CaseCommand::Decide => self.outcome() != Some(Outcome::Granted),
            k => k.takes_text(),
        }
    }

    /// The store command as decided in the dialog.
    pub fn command(&self) -> Command {
        let text = self.text.trim().to_string();
        match self.kind {
            CaseCommand::Assign => Command::Assign {
                to: self.chosen().map(|c| c.id.clone()),
                from: self.holder.clone(),
            },
            CaseCommand::Withdraw => Command::Withdraw {
                disclosure: self.chosen().and_then(|c| c.id.parse().ok()).unwrap_or(0),
                reason: text,
            },
            CaseCommand::Decide => {
                let outcome = self.outcome().unwrap_or(Outcome::Granted);
                Command::Decide {
                    outcome,
                    ruling: (outcome != Outcome::Granted).then(|| Ruling {
                        reasons: text,
                        ground: self.ground.trim().to_string(),
                    }),
                }
            }
            k => k.command(&self.text),
        }
    }

    /// What the confirm step says; the choice made is named.
    pub fn will_text(&self, lang: Lang) -> String {
        let label = self.chosen().map(|c| c.label.as_str()).unwrap_or("");
        tf(
            lang,
            self.kind.words()[2],
            &[&self.reference.to_string(), label],
        )
    }
    pub fn title(&self, lang: Lang) -> String {
        tf(lang, self.kind.words()[0], &[&self.reference.to_string()])
    }

    /// What the field of the current stage asks for.
    pub fn ask(&self, lang: Lang) -> &'static str {
        match self.stage {
            Stage::Ground => t(lang, Msg::CmdGroundAsk),
            _ => t(lang, self.kind.words()[1]),
        }
    }

    /// The field of the current stage.
    pub fn field(&self) -> &str {
        match self.stage {
            Stage::Ground => &self.ground,
            _ => &self.text,
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
