//! The case commands' dialog as keys change it: opened on the open case, stepped through,
//! and given to the store as an effect.

use crate::domain::enquiry::Reference;
use crate::tui::action::Effect;
use crate::tui::command::*;
use crate::tui::i18n::{t, tf, Msg};
use crate::tui::state::{App, Overlay};

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
    let choices = choices(kind, case, &app.policy, app.lang);
    let stage = if !choices.is_empty() {
        Stage::Pick
    } else if matches!(kind, CaseCommand::Assign | CaseCommand::Withdraw) {
        // Nothing to choose from: no colleague to give it to, no disclosure to withdraw.
        app.fail(t(app.lang, Msg::CmdNothingToChoose));
        return Vec::new();
    } else if kind.takes_text() {
        Stage::Text
    } else {
        // Nothing to write for resume: straight to what will happen.
        Stage::Confirm
    };
    app.overlay = Some(Overlay::Command(CommandDialog {
        kind,
        reference: case.reference,
        version: case.version,
        stage,
        choices,
        selected: 0,
        text: String::new(),
        ground: String::new(),
        holder: case.assignee.clone(),
    }));
    Vec::new()
}

/// Enter: on to the next stage, and from the last one the command.
pub fn submit(app: &mut App) -> Vec<Effect> {
    let lang = app.lang;
    let Some(Overlay::Command(d)) = &mut app.overlay else {
        return Vec::new();
    };
    let next = match d.stage {
        Stage::Pick if d.wants_text() => Stage::Text,
        Stage::Pick => Stage::Confirm,
        Stage::Text if d.text.trim().is_empty() => {
            let ask = t(lang, d.kind.words()[1]);
            app.fail(tf(lang, Msg::CmdWriteFirst, &[ask]));
            return Vec::new();
        }
        Stage::Text if d.kind == CaseCommand::Decide => Stage::Ground,
        Stage::Ground if d.ground.trim().is_empty() => {
            app.fail(tf(lang, Msg::CmdWriteFirst, &[t(lang, Msg::CmdGroundAsk)]));
            return Vec::new();
        }
        Stage::Text | Stage::Ground if d.kind.weighty() => Stage::Confirm,
        _ => {
            let d = d.clone();
            // The dialog stays until the store says saved, so a refusal or a conflict loses
            // no text.
            app.pending_done = Some((
                d.reference,
                tf(lang, d.kind.words()[3], &[&d.reference.to_string()]),
            ));
            return vec![Effect::Execute {
                reference: d.reference,
                expected: d.version,
                command: d.command(),
            }];
        }
    };
    d.stage = next;
    Vec::new()
}

/// Up and down in the choice.
pub fn move_choice(app: &mut App, down: bool) {
    if let Some(Overlay::Command(d)) = &mut app.overlay {
        if d.stage == Stage::Pick && !d.choices.is_empty() {
            d.selected = if down {
                (d.selected + 1).min(d.choices.len() - 1)
            } else {
                d.selected.saturating_sub(1)
            };
        }
    }
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
        if d.stage == Stage::Confirm && d.wants_text() {
            d.stage = Stage::Text;
        }
    }
}

/// Esc: one stage back; from the first, away.
pub fn cancel(app: &mut App) {
    let Some(Overlay::Command(d)) = &mut app.overlay else {
        return;
    };
    let back = match d.stage {
        Stage::Confirm if d.kind == CaseCommand::Decide && d.wants_text() => Some(Stage::Ground),
        Stage::Confirm if d.wants_text() => Some(Stage::Text),
        Stage::Confirm | Stage::Text if !d.choices.is_empty() => Some(Stage::Pick),
        Stage::Ground => Some(Stage::Text),
        _ => None,
    };
    match back {
        Some(stage) => d.stage = stage,
        None => app.overlay = None,
    }
}

/// Text typed (or pasted) into the field of the stage; ignored where there is none.
pub fn edit(app: &mut App, f: &dyn Fn(&mut String)) {
    if let Some(Overlay::Command(d)) = &mut app.overlay {
        match d.stage {
            Stage::Text => f(&mut d.text),
            Stage::Ground => f(&mut d.ground),
            Stage::Pick | Stage::Confirm => {}
        }
    }
}
