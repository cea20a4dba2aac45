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
    SuggestedOn,
    ClassifyEachOwn,
    CmdAssignTitle,
    CmdAssignWill,
    CmdAssignDone,
    CmdWithdrawTitle,
    CmdWithdrawWill,
    CmdWithdrawDone,
    CmdDecideTitle,
    CmdDecideWill,
    CmdDecideDone,
    CmdRulingAsk,
    CmdGroundAsk,
    CmdNothingToChoose,
    OutcomeGranted,
    OutcomePartly,
    OutcomeRefused,
    ConflictTitle,
    HintReload,
    HintKeepEditing,
    TakeMarkedHidden,
    MarkedHidden,
    CmdWriteFirst,
    CmdReasonAsk,
    CmdNoteTitle,
    CmdNoteAsk,
    CmdNoteWill,
    CmdNoteDone,
    CmdAnswerTitle,
    CmdAnswerAsk,
    CmdAnswerWill,
    CmdAnswerDone,
    CmdCloseTitle,
    CmdCloseWill,
    CmdCloseDone,
    CmdExtendTitle,
    CmdExtendWill,
    CmdExtendDone,
    CmdRestrictTitle,
    CmdRestrictWill,
    CmdRestrictDone,
    CmdUnrestrictTitle,
    CmdUnrestrictWill,
    CmdUnrestrictDone,
    CmdHoldTitle,
    CmdHoldWill,
    CmdHoldDone,
    CmdReleaseHoldTitle,
    CmdReleaseHoldWill,
    CmdReleaseHoldDone,
    CmdPauseTitle,
    CmdPauseWill,
    CmdPauseDone,
    CmdResumeTitle,
    CmdResumeWill,
    CmdResumeDone,
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
    NeedsNothing,
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
}

/// The text of `m` in `lang`.
pub fn t(lang: Lang, m: Msg) -> &'static str {
    let (en, da) = match m {
        Msg::SuggestedOn => ("suggested on {}", "foreslået på {}"),
        Msg::ClassifyEachOwn => (
            "Each case's own suggestions are confirmed too.",
            "Hver sags egne forslag bekræftes også.",
        ),
        Msg::CmdAssignTitle => ("Assign {} to a colleague", "Giv {} til en kollega"),
        Msg::CmdAssignWill => ("{} goes to {}.", "{} overgår til {}."),
        Msg::CmdAssignDone => ("Assigned {}", "{} er givet videre"),
        Msg::CmdWithdrawTitle => ("Withdraw a disclosure of {}", "Tilbagekald en videregivelse af {}"),
        Msg::CmdWithdrawWill => (
            "{}: the disclosure {} is marked withdrawn; it stays on record with the reason.",
            "{}: videregivelsen {} markeres som tilbagekaldt; den bliver stående med begrundelsen.",
        ),
        Msg::CmdWithdrawDone => ("Withdrew a disclosure of {}", "En videregivelse af {} er tilbagekaldt"),
        Msg::CmdDecideTitle => ("Decide the request in {}", "Træf afgørelse i {}"),
        Msg::CmdDecideWill => (
            "The request in {} is decided: {}. The decision is recorded and goes into the answer.",
            "Anmodningen i {} afgøres: {}. Afgørelsen registreres og indgår i svaret.",
        ),
        Msg::CmdDecideDone => ("Decided {}", "Afgørelse truffet i {}"),
        Msg::CmdRulingAsk => ("the reasons for the ruling", "begrundelsen for afgørelsen"),
        Msg::CmdGroundAsk => ("the legal ground", "hjemlen"),
        Msg::CmdNothingToChoose => ("There is nothing to choose from for this case", "Der er intet at vælge imellem for denne sag"),
        Msg::OutcomeGranted => ("granted", "imødekommet"),
        Msg::OutcomePartly => ("partly granted", "delvis imødekommet"),
        Msg::OutcomeRefused => ("refused", "afslået"),
        Msg::ConflictTitle => ("Changed meanwhile", "Ændret i mellemtiden"),
        Msg::HintReload => ("reload", "genindlæs"),
        Msg::HintKeepEditing => ("keep editing", "fortsæt redigeringen"),
        Msg::TakeMarkedHidden => (
            "Take the {} marked cases? {} of them are not in this view.",
            "Tag de {} markerede sager? {} af dem er ikke i denne visning.",
        ),
        Msg::MarkedHidden => ("not in view", "ikke i visningen"),
        Msg::CmdWriteFirst => ("Write {} first", "Skriv {} først"),
        Msg::CmdReasonAsk => ("the reason", "begrundelsen"),
        Msg::CmdNoteTitle => ("Note on {}", "Notat på {}"),
        Msg::CmdNoteAsk => ("the note", "notatet"),
        Msg::CmdNoteWill => ("The note is added to {} for good.", "Notatet føjes varigt til {}."),
        Msg::CmdNoteDone => ("Noted on {}", "Notat tilføjet på {}"),
        Msg::CmdAnswerTitle => ("Answer {}", "Besvar {}"),
        Msg::CmdAnswerAsk => ("what was answered", "hvad der blev svaret"),
        Msg::CmdAnswerWill => ("{} is recorded as answered.", "{} registreres som besvaret."),
        Msg::CmdAnswerDone => ("Answered {}", "Besvaret: {}"),
        Msg::CmdCloseTitle => ("Close {}", "Luk {}"),
        Msg::CmdCloseWill => (
            "{} is closed: it leaves the open views, and its archive and deletion clocks start from today.",
            "{} lukkes: den forlader de åbne visninger, og dens frister for aflevering og sletning regnes fra i dag.",
        ),
        Msg::CmdCloseDone => ("Closed {}", "Lukket: {}"),
        Msg::CmdExtendTitle => ("Extend {} by two months", "Forlæng {} med to måneder"),
        Msg::CmdExtendWill => (
            "The deadline of {} moves two months (Art. 12(3)). The requester must be told within the first month, with the reasons.",
            "Fristen for {} rykkes to måneder (art. 12, stk. 3). Anmoderen skal have besked inden for den første måned med begrundelsen.",
        ),
        Msg::CmdExtendDone => ("Extended {} by two months", "Fristen for {} er forlænget med to måneder"),
        Msg::CmdRestrictTitle => ("Restrict {} (Art. 23)", "Begræns {} (art. 23)"),
        Msg::CmdRestrictWill => (
            "{} is left out of access reports, and only the DPO, administrators and its assignee can see it.",
            "{} udelades af indsigtssvar, og kun databeskyttelsesrådgiveren, administratorer og sagsbehandleren kan se den.",
        ),
        Msg::CmdRestrictDone => ("Restricted {}", "Begrænset: {}"),
        Msg::CmdUnrestrictTitle => ("Lift the restriction on {}", "Ophæv begrænsningen af {}"),
        Msg::CmdUnrestrictWill => (
            "{} shows in access reports again, and all staff can see it.",
            "{} kommer med i indsigtssvar igen, og alle medarbejdere kan se den.",
        ),
        Msg::CmdUnrestrictDone => ("Lifted the restriction on {}", "Begrænsningen af {} er ophævet"),
        Msg::CmdHoldTitle => ("Legal hold on {}", "Retslig tilbageholdelse af {}"),
        Msg::CmdHoldWill => (
            "{} is kept: its deletion clock stops until the hold is released.",
            "{} bevares: slettefristen står stille, til tilbageholdelsen ophæves.",
        ),
        Msg::CmdHoldDone => ("Legal hold on {}", "{} er tilbageholdt"),
        Msg::CmdReleaseHoldTitle => ("Release the legal hold on {}", "Ophæv tilbageholdelsen af {}"),
        Msg::CmdReleaseHoldWill => (
            "The deletion clock of {} runs again; if it is past due, the case can be erased.",
            "Slettefristen for {} løber igen; er den overskredet, kan sagen slettes.",
        ),
        Msg::CmdReleaseHoldDone => ("Released the legal hold on {}", "Tilbageholdelsen af {} er ophævet"),
        Msg::CmdPauseTitle => ("Pause the clock of {}", "Stop uret for {}"),
        Msg::CmdPauseWill => (
            "The answer clock of {} stops while the requester's identity is verified.",
            "Svarfristen for {} står stille, mens anmoderens identitet bekræftes.",
        ),
        Msg::CmdPauseDone => ("Paused the clock of {}", "Uret for {} er stoppet"),
        Msg::CmdResumeTitle => ("Resume the clock of {}", "Start uret for {} igen"),
        Msg::CmdResumeWill => (
            "The answer clock of {} runs again from today.",
            "Svarfristen for {} løber igen fra i dag.",
        ),
        Msg::CmdResumeDone => ("Resumed the clock of {}", "Uret for {} kører igen"),
        Msg::ViewNew => ("New", "Nye"),
        Msg::ViewMine => ("Mine", "Mine"),
        Msg::ViewDue => ("Due soon", "Frist nærmer sig"),
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
        Msg::HelpTitle => ("Help: the keys in force", "Hjælp: gældende taster"),
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
        Msg::LegalHold => ("Legal hold", "Retslig tilbageholdelse"),
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
        Msg::NeedsNothing => ("No special category or criminal-offence data is confirmed.", "Ingen følsomme oplysninger eller strafbare forhold er bekræftet."),
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

/// A countdown where the column is narrow: "−13 wd" for overdue, "5 wd", "today"; the
/// minus sign says overdue without colour (NO_COLOR) and without cutting the number.
pub fn countdown_narrow(lang: Lang, c: &Countdown) -> String {
    let unit = |u: Unit| match (lang, u) {
        (Lang::En, Unit::WorkingDays) => "wd",
        (Lang::Da, Unit::WorkingDays) => "hd",
        (_, Unit::Days) => "d",
    };
    match c {
        Countdown::DueIn { n, unit: u } => format!("{n} {}", unit(*u)),
        Countdown::DueToday => match lang {
            Lang::En => "today".into(),
            Lang::Da => "i dag".into(),
        },
        Countdown::Overdue { n, unit: u } => format!("\u{2212}{n} {}", unit(*u)),
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
