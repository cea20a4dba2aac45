//! Every string the interface shows, in English and Danish.

use crate::domain::case::Status;
use crate::domain::clock::{Countdown, RetentionState, Unit};
use crate::domain::enquiry::{Channel, Language, RightKind};

/// The interface language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    En,
    Da,
}

impl Lang {
    /// The domain's language, for names the policy gives in both (purposes, recipients).
    pub fn language(self) -> Language {
        match self {
            Lang::En => Language::En,
            Lang::Da => Language::Da,
        }
    }
}

/// A fixed piece of interface text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Msg {
    ViewNew,
    ViewMine,
    ViewDue,
    ViewRouted,
    ViewRetention,
    ViewAll,
    ColRef,
    ColReceived,
    ColChannel,
    ColSender,
    ColSubject,
    ColCategories,
    ColStatus,
    ColAssignee,
    ColDue,
    NoCases,
    NoMatch,
    Marked,
    TooSmall,
    TooSmallHint,
    HelpTitle,
    HelpHint,
    PaletteTitle,
    ConfirmTitle,
    FilterPrompt,
    Categories,
    Suggested,
    Rejected,
    None,
    Purpose,
    LegalBasis,
    Right,
    Disclosures,
    Withdrawn,
    History,
    Clocks,
    AnswerDue,
    Paused,
    Extended,
    DelayLetter,
    Complaint,
    ComplaintDate,
    Retention,
    HandoverDue,
    DeletionDue,
    From,
    Received,
    Attachments,
    Assignee,
    Unassigned,
    Restricted,
    LegalHold,
    CprMasked,
    CprRevealed,
    OpenCaseFirst,
    Saved,
    Sort,
    Loading,
    ContextQueue,
    ContextCase,
    ContextGlobal,
    ContextDialog,
    ContextInput,
    TakeFrom,
    TakeMany,
    NotYours,
    Release,
    NothingMarked,
    Reloaded,
    ClearMarks,
    NoBinding,
    SidePanel,
    Retained,
    ContextChecklist,
    ClassifyTitle,
    ClassifyMany,
    Confirmed,
    Changed,
    HintMove,
    HintConfirm,
    HintReject,
    HintUndo,
    HintSave,
    HintCancel,
    HintNext,
    HintBack,
    HintChoose,
    HintLeaveOut,
    HintNewline,
    HintRoute,
    NoChanges,
    PurposeTitle,
    RightTitle,
    TypeToFilter,
    NothingMatches,
    RouteTitle,
    StepRecipient,
    StepBases,
    StepTransfer,
    StepJustification,
    StepConfirm,
    Recipient,
    NeedArt6,
    NeedArt9,
    NeedArt10,
    NoSpecial,
    NoCriminal,
    NeedsNothing,
    MissingArt6,
    MissingArt9,
    MissingArt10,
    CannotReceive,
    TransferPrompt,
    TransferEmpty,
    JustificationPrompt,
    JustificationShort,
    WillRestrict,
    OpenRequestFirst,
    ReportWritten,
    AlsoMarked,
    Transfer,
    Justification,
    RouteRefused,
    CaseNotLive,
    PurposeFirst,
    ClassifyFirst,
}

/// The text of `m` in `lang`.
pub fn t(lang: Lang, m: Msg) -> &'static str {
    let (en, da) = match m {
        Msg::ViewNew => ("New", "Nye"),
        Msg::ViewMine => ("Mine", "Mine"),
        Msg::ViewDue => ("Due soon", "Snart frist"),
        Msg::ViewRouted => ("Routed", "Videregivet"),
        Msg::ViewRetention => ("Retention due", "Opbevaring"),
        Msg::ViewAll => ("All", "Alle"),
        Msg::ColRef => ("Reference", "Sagsnr."),
        Msg::ColReceived => ("Received", "Modtaget"),
        Msg::ColChannel => ("Channel", "Kanal"),
        Msg::ColSender => ("Sender", "Afsender"),
        Msg::ColSubject => ("Subject", "Emne"),
        Msg::ColCategories => ("Data", "Data"),
        Msg::ColStatus => ("Status", "Status"),
        Msg::ColAssignee => ("Assignee", "Ansvarlig"),
        Msg::ColDue => ("Deadline", "Frist"),
        Msg::NoCases => ("No cases in this view.", "Ingen sager i denne visning."),
        Msg::NoMatch => (
            "No case matches the filter. Esc clears it.",
            "Ingen sag passer til filteret. Esc fjerner det.",
        ),
        Msg::Marked => ("marked", "markeret"),
        Msg::TooSmall => ("Terminal too small", "Terminalen er for lille"),
        Msg::TooSmallHint => (
            "Make the window at least {} columns by {} rows. q quits.",
            "Gør vinduet mindst {} kolonner gange {} linjer. q afslutter.",
        ),
        Msg::HelpTitle => ("Help: the keys in force", "Hjælp: tasterne lige nu"),
        Msg::HelpHint => (
            "Type to filter · Esc closes",
            "Skriv for at filtrere · Esc lukker",
        ),
        Msg::PaletteTitle => (
            "Commands: type to filter, Enter runs",
            "Kommandoer: skriv for at filtrere, Enter udfører",
        ),
        Msg::ConfirmTitle => ("Confirm", "Bekræft"),
        Msg::FilterPrompt => ("Filter", "Filter"),
        Msg::Categories => ("Categories", "Kategorier"),
        Msg::Suggested => ("suggested", "foreslået"),
        Msg::Rejected => ("rejected", "afvist"),
        Msg::None => ("none", "ingen"),
        Msg::Purpose => ("Purpose", "Formål"),
        Msg::LegalBasis => ("Legal basis", "Retsgrundlag"),
        Msg::Right => ("Right invoked", "Rettighed"),
        Msg::Disclosures => ("Disclosures", "Videregivelser"),
        Msg::Withdrawn => ("withdrawn", "trukket tilbage"),
        Msg::History => ("History", "Historik"),
        Msg::Clocks => ("Clocks", "Frister"),
        Msg::AnswerDue => ("Answer due", "Svarfrist"),
        Msg::Paused => ("paused", "sat på pause"),
        Msg::Extended => ("extended (Art. 12(3))", "forlænget (art. 12, stk. 3)"),
        Msg::DelayLetter => (
            "§ 36 delay letter due",
            "underretning efter § 36 skal sendes",
        ),
        Msg::Complaint => ("§ 39 complaint possible", "klage efter § 39 er mulig"),
        Msg::ComplaintDate => ("§ 39 complaint date", "Klagefrist § 39"),
        Msg::Retention => ("Retention", "Opbevaring"),
        Msg::HandoverDue => ("Handover", "Aflevering"),
        Msg::DeletionDue => ("Deletion", "Sletning"),
        Msg::From => ("From", "Fra"),
        Msg::Received => ("Received", "Modtaget"),
        Msg::Attachments => ("Attachments", "Bilag"),
        Msg::Assignee => ("Assignee", "Ansvarlig"),
        Msg::Unassigned => ("unassigned", "ingen ansvarlig"),
        Msg::Restricted => ("Restricted (Art. 23)", "Begrænset (art. 23)"),
        Msg::LegalHold => ("Legal hold", "Retligt tilbagehold"),
        Msg::CprMasked => (
            "CPR numbers masked · {} reveals (logged)",
            "CPR-numre skjult · {} viser dem (logges)",
        ),
        Msg::CprRevealed => (
            "CPR numbers shown; the reveal is logged · {} hides",
            "CPR-numre vist; visningen er logget · {} skjuler",
        ),
        Msg::OpenCaseFirst => ("Open a case first", "Åbn en sag først"),
        Msg::Saved => ("saved {}", "gemt {}"),
        Msg::Sort => ("sort", "sortering"),
        Msg::Loading => ("loading", "indlæser"),
        Msg::ContextQueue => ("Queue", "Kø"),
        Msg::ContextCase => ("Case", "Sag"),
        Msg::ContextGlobal => ("Everywhere", "Overalt"),
        Msg::ContextDialog => ("Dialogs", "Dialoger"),
        Msg::ContextInput => ("Text input", "Tekstfelter"),
        Msg::TakeFrom => (
            "{} is held by {}. Take it from them?",
            "{} har {} som ansvarlig. Vil du overtage den?",
        ),
        Msg::TakeMany => (
            "{} of these cases are held by others ({}). Take them?",
            "{} af sagerne har andre som ansvarlige ({}). Vil du overtage dem?",
        ),
        Msg::NotYours => (
            "none of these cases is yours to release",
            "ingen af sagerne er din at frigive",
        ),
        Msg::Release => (
            "Release {} so no one holds it?",
            "Frigiv {}, så ingen er ansvarlig?",
        ),
        Msg::NothingMarked => ("no case marked", "ingen sag markeret"),
        Msg::Reloaded => ("reloaded", "genindlæst"),
        Msg::ClearMarks => ("Clear {} marks?", "Fjern {} markeringer?"),
        Msg::NoBinding => ("(no key)", "(ingen tast)"),
        Msg::SidePanel => ("Details", "Detaljer"),
        Msg::Retained => ("kept", "bevaret"),
        Msg::ContextChecklist => ("Checklists", "Tjeklister"),
        Msg::ClassifyTitle => ("Classify {}", "Klassificér {}"),
        Msg::ClassifyMany => ("{} marked cases: each gets the same decisions, as its own change", "{} markerede sager: hver får de samme afgørelser, som sin egen ændring"),
        Msg::Confirmed => ("confirmed", "bekræftet"),
        Msg::Changed => ("changed", "ændret"),
        Msg::HintMove => ("move", "flyt"),
        Msg::HintConfirm => ("confirm", "bekræft"),
        Msg::HintReject => ("reject", "afvis"),
        Msg::HintUndo => ("undo", "fortryd"),
        Msg::HintSave => ("save", "gem"),
        Msg::HintCancel => ("cancel", "annullér"),
        Msg::HintNext => ("next", "videre"),
        Msg::HintBack => ("back", "tilbage"),
        Msg::HintChoose => ("choose", "vælg"),
        Msg::HintLeaveOut => ("leave out", "fravælg"),
        Msg::HintNewline => ("new line", "ny linje"),
        Msg::HintRoute => ("route", "videregiv"),
        Msg::NoChanges => ("nothing changed", "intet ændret"),
        Msg::PurposeTitle => ("Purpose of {}", "Formål for {}"),
        Msg::RightTitle => ("Right invoked in {}", "Påberåbt rettighed i {}"),
        Msg::TypeToFilter => ("type to filter", "skriv for at filtrere"),
        Msg::NothingMatches => ("nothing matches", "intet passer"),
        Msg::RouteTitle => ("Route {} · step {} of {}: {}", "Videregiv {} · trin {} af {}: {}"),
        Msg::StepRecipient => ("recipient", "modtager"),
        Msg::StepBases => ("legal bases", "retsgrundlag"),
        Msg::StepTransfer => ("transfer basis", "overførselsgrundlag"),
        Msg::StepJustification => ("justification", "begrundelse"),
        Msg::StepConfirm => ("confirm", "bekræft"),
        Msg::Recipient => ("Recipient", "Modtager"),
        Msg::NeedArt6 => ("Every disclosure needs a GDPR Art. 6(1) basis.", "Enhver videregivelse kræver et grundlag i art. 6, stk. 1."),
        Msg::NeedArt9 => ("Special categories confirmed ({}): an Art. 9(2) ground is required.", "Følsomme oplysninger bekræftet ({}): kræver et grundlag i art. 9, stk. 2."),
        Msg::NeedArt10 => ("Criminal-offence data confirmed: an Art. 10 basis (e.g. Data Protection Act § 8) is required.", "Oplysninger om strafbare forhold bekræftet: kræver et grundlag efter art. 10 (fx databeskyttelseslovens § 8)."),
        Msg::NoSpecial => ("{} may not receive special categories.", "{} må ikke modtage følsomme oplysninger."),
        Msg::NoCriminal => ("{} may not receive criminal-offence data.", "{} må ikke modtage oplysninger om strafbare forhold."),
        Msg::NeedsNothing => ("No special category or criminal-offence data is confirmed.", "Ingen følsomme oplysninger eller strafbare forhold er bekræftet."),
        Msg::MissingArt6 => ("choose a GDPR Art. 6(1) basis", "vælg et grundlag i art. 6, stk. 1"),
        Msg::MissingArt9 => ("choose an Art. 9(2) ground: the case holds special categories", "vælg et grundlag i art. 9, stk. 2: sagen indeholder følsomme oplysninger"),
        Msg::MissingArt10 => ("choose an Art. 10 basis: the case holds criminal-offence data", "vælg et grundlag efter art. 10: sagen indeholder oplysninger om strafbare forhold"),
        Msg::CannotReceive => ("this recipient may not receive the case's data: choose another", "modtageren må ikke modtage sagens oplysninger: vælg en anden"),
        Msg::TransferPrompt => ("{} is outside the EU/EEA or an international organisation: name the transfer basis (GDPR Art. 45–49).", "{} er uden for EU/EØS eller en international organisation: angiv overførselsgrundlaget (art. 45-49)."),
        Msg::TransferEmpty => ("name the transfer basis", "angiv overførselsgrundlaget"),
        Msg::JustificationPrompt => ("Why the disclosure is necessary (at least {} characters; kept as a draft):", "Hvorfor videregivelsen er nødvendig (mindst {} tegn; gemmes som kladde):"),
        Msg::JustificationShort => ("the justification needs at least {} characters ({} so far)", "begrundelsen skal have mindst {} tegn ({} indtil nu)"),
        Msg::WillRestrict => ("The case will be marked restricted under Art. 23.", "Sagen bliver markeret som begrænset efter art. 23."),
        Msg::OpenRequestFirst => ("Open the access request first: the report is for its sender.", "Åbn anmodningen om indsigt først: rapporten gælder afsenderen."),
        Msg::ReportWritten => ("Access report for {} written to {}", "Indsigtsrapport for {} skrevet til {}"),
        Msg::AlsoMarked => ("The same disclosure goes for the {} other marked cases, each recorded on its own.", "Samme videregivelse gælder de {} andre markerede sager, hver registreret for sig."),
        Msg::Transfer => ("Transfer basis", "Overførselsgrundlag"),
        Msg::Justification => ("Justification", "Begrundelse"),
        Msg::RouteRefused => ("The store refused the route:", "Videregivelsen blev afvist:"),
        Msg::CaseNotLive => ("the case is erased", "sagen er slettet"),
        Msg::PurposeFirst => (
            "set the purpose first: it is the ground the case is processed on",
            "angiv formålet først: det er grundlaget for behandlingen",
        ),
        Msg::ClassifyFirst => (
            "classify the case first: the bases depend on its confirmed categories",
            "klassificér sagen først: grundlagene afhænger af de bekræftede kategorier",
        ),
    };
    match lang {
        Lang::En => en,
        Lang::Da => da,
    }
}

/// `t` with each `{}` replaced, in order, by `args`.
pub fn tf(lang: Lang, m: Msg, args: &[&str]) -> String {
    let mut out = String::new();
    let mut rest = t(lang, m);
    for a in args {
        match rest.split_once("{}") {
            Some((head, tail)) => {
                out.push_str(head);
                out.push_str(a);
                rest = tail;
            }
            None => break,
        }
    }
    out.push_str(rest);
    out
}

pub fn status(lang: Lang, s: Status) -> &'static str {
    match lang {
        Lang::En => s.as_id(),
        Lang::Da => match s {
            Status::New => "ny",
            Status::Triaged => "vurderet",
            Status::Routed => "videregivet",
            Status::Answered => "besvaret",
            Status::Closed => "lukket",
            Status::HandedOver => "afleveret",
            Status::Erased => "slettet",
        },
    }
}

pub fn channel(lang: Lang, c: Channel) -> &'static str {
    match lang {
        Lang::En => c.as_id(),
        Lang::Da => match c {
            Channel::EBoks => "e-boks",
            Channel::Email => "e-mail",
            Channel::Letter => "brev",
            Channel::Phone => "telefon",
            Channel::ContactForm => "formular",
            Channel::InPerson => "personligt",
        },
    }
}

/// A right of the data subject, with its article.
pub fn right(lang: Lang, r: RightKind) -> String {
    let name = match (lang, r) {
        (Lang::En, _) => r.as_id(),
        (Lang::Da, RightKind::Access) => "indsigt",
        (Lang::Da, RightKind::Rectification) => "berigtigelse",
        (Lang::Da, RightKind::Erasure) => "sletning",
        (Lang::Da, RightKind::Restriction) => "begrænsning",
        (Lang::Da, RightKind::Objection) => "indsigelse",
    };
    let article = match lang {
        Lang::En => r.article().to_string(),
        Lang::Da => r.article().replace("Art.", "art."),
    };
    format!("{name} ({article})")
}

/// A countdown as the queue shows it: "3d", "5wd", "today", "overdue 2d".
pub fn countdown(lang: Lang, c: &Countdown) -> String {
    let unit = |u: Unit| match (lang, u) {
        (Lang::En, Unit::WorkingDays) => "wd",
        (Lang::Da, Unit::WorkingDays) => "hd",
        (_, Unit::Days) => "d",
    };
    match (lang, c) {
        (Lang::En, _) => c.short(),
        (Lang::Da, Countdown::DueIn { n, unit: u }) => format!("{n}{}", unit(*u)),
        (Lang::Da, Countdown::DueToday) => "i dag".into(),
        (Lang::Da, Countdown::Overdue { n, unit: u }) => format!("overskredet {n}{}", unit(*u)),
    }
}

/// The retention state in words; the deadline column shows the due ones.
pub fn retention(lang: Lang, s: RetentionState) -> &'static str {
    match (lang, s) {
        (Lang::En, RetentionState::Open) => "open",
        (Lang::En, RetentionState::Waiting) => "waiting",
        (Lang::En, RetentionState::HandoverDue) => "hand over",
        (Lang::En, RetentionState::DeletionDue) => "delete",
        (Lang::En, RetentionState::AssessmentDue) => "assess",
        (Lang::En, RetentionState::Kept { .. }) => "kept",
        (Lang::En, RetentionState::Held) => "legal hold",
        (Lang::En, RetentionState::HandedOver) => "handed over",
        (Lang::Da, RetentionState::Open) => "åben",
        (Lang::Da, RetentionState::Waiting) => "venter",
        (Lang::Da, RetentionState::HandoverDue) => "aflevér",
        (Lang::Da, RetentionState::DeletionDue) => "slet",
        (Lang::Da, RetentionState::AssessmentDue) => "vurdér",
        (Lang::Da, RetentionState::Kept { .. }) => "bevaret",
        (Lang::Da, RetentionState::Held) => "tilbageholdt",
        (Lang::Da, RetentionState::HandedOver) => "afleveret",
    }
}

/// A step of the retention timeline.
pub fn milestone(lang: Lang, m: crate::domain::clock::Milestone) -> &'static str {
    use crate::domain::clock::Milestone as M;
    match (lang, m) {
        (Lang::En, M::Received) => "received",
        (Lang::En, M::Closed) => "closed",
        (Lang::En, M::HandoverDue) => "handover due",
        (Lang::En, M::DeletionDue) => "deletion due",
        (Lang::En, M::Today) => "today",
        (Lang::Da, M::Received) => "modtaget",
        (Lang::Da, M::Closed) => "lukket",
        (Lang::Da, M::HandoverDue) => "aflevering",
        (Lang::Da, M::DeletionDue) => "sletning",
        (Lang::Da, M::Today) => "i dag",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_filled_in_order() {
        assert_eq!(
            tf(Lang::En, Msg::TakeFrom, &["2026-000001", "anne"]),
            "2026-000001 is held by anne. Take it from them?"
        );
        assert_eq!(
            tf(Lang::Da, Msg::Saved, &["2026-000002"]),
            "gemt 2026-000002"
        );
    }

    #[test]
    fn both_languages_have_the_same_placeholders() {
        // Every message: the Danish text takes the same arguments as the English one.
        for m in [
            Msg::TooSmallHint,
            Msg::CprMasked,
            Msg::CprRevealed,
            Msg::Saved,
            Msg::TakeFrom,
            Msg::TakeMany,
            Msg::Release,
            Msg::ClearMarks,
            Msg::ClassifyTitle,
            Msg::ClassifyMany,
            Msg::PurposeTitle,
            Msg::RightTitle,
            Msg::RouteTitle,
            Msg::NeedArt9,
            Msg::NoSpecial,
            Msg::NoCriminal,
            Msg::TransferPrompt,
            Msg::JustificationPrompt,
            Msg::JustificationShort,
        ] {
            assert_eq!(
                t(Lang::En, m).matches("{}").count(),
                t(Lang::Da, m).matches("{}").count(),
                "{m:?}"
            );
        }
    }

    #[test]
    fn danish_countdowns() {
        let c = Countdown::Overdue {
            n: 2,
            unit: Unit::Days,
        };
        assert_eq!(countdown(Lang::En, &c), "overdue 2d");
        assert_eq!(countdown(Lang::Da, &c), "overskredet 2d");
        assert_eq!(countdown(Lang::Da, &Countdown::DueToday), "i dag");
    }
}
