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
    ArchiveUnavailable,
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
    Notes,
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
    HintSuggested,
    HelpWorkingDays,
    HelpOverdue,
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
    TextSearchOff,
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
        Msg::OutcomePartly => ("partly granted", "delvist imødekommet"),
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
        Msg::ViewRetention => ("Retention", "Opbevaring"),
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
        Msg::Notes => ("Notes", "Noter"),
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
        Msg::ArchiveUnavailable => (
            "the archive register could not be read ({}); steps are not shown (r reloads)",
            "arkivregistret kunne ikke læses ({}); trinene vises ikke (r genindlæser)",
        ),
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
        Msg::HintSuggested => ("suggested", "forslag"),
        Msg::HelpWorkingDays => (
            "wd: working days (Monday to Friday, public holidays not counted); d: calendar days",
            "hd: hverdage (mandag til fredag, helligdage ikke medregnet); d: kalenderdage",
        ),
        Msg::HelpOverdue => (
            "−3 wd or \"overdue 3wd\": three working days past the deadline",
            "−3 hd eller \"overskredet 3hd\": fristen er overskredet med tre hverdage",
        ),
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
        Msg::TextSearchOff => ("text search off: {}", "ingen tekstsøgning: {}"),
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

/// A case's step on its way to the archives and deletion, as the Retention view's deadline
/// column shows it (at most 11 columns, the column's narrow width).
pub fn step(lang: Lang, s: crate::domain::handover::Step) -> &'static str {
    use crate::domain::handover::Step as S;
    match (lang, s) {
        (Lang::En, S::Open) => "open",
        (Lang::En, S::PeriodRunning) => "in period",
        (Lang::En, S::PackageDue) => "package due",
        (Lang::En, S::Packaged) => "packaged",
        (Lang::En, S::Approved) => "approved",
        (Lang::En, S::AssessmentDue) => "assess",
        (Lang::En, S::DeletionDue) => "delete",
        (Lang::En, S::Held) => "legal hold",
        (Lang::Da, S::Open) => "åben",
        (Lang::Da, S::PeriodRunning) => "i perioden",
        (Lang::Da, S::PackageDue) => "skal pakkes",
        (Lang::Da, S::Packaged) => "pakket",
        (Lang::Da, S::Approved) => "godkendt",
        (Lang::Da, S::AssessmentDue) => "vurdér",
        (Lang::Da, S::DeletionDue) => "slet",
        (Lang::Da, S::Held) => "bev.pligt",
    }
}

/// A command's action as the history names it: the store's id in English, a past-tense
/// phrase in Danish ("klassificeret", "videregivet").
pub fn action(lang: Lang, id: &str) -> String {
    let da = match id {
        "register" => "registreret",
        "classify" => "klassificeret",
        "set-purpose" => "formål angivet",
        "route" => "videregivet",
        "forward" => "videresendt",
        "employer-notice" => "underretning til arbejdsgiver",
        "withdraw" => "videregivelse tilbagekaldt",
        "assign" => "givet til en kollega",
        "note" => "notat",
        "decide" => "afgørelse truffet",
        "answer" => "besvaret",
        "close" => "lukket",
        "restrict" => "begrænset (art. 23)",
        "unrestrict" => "begrænsning ophævet",
        "hold" => "retslig tilbageholdelse",
        "release-hold" => "tilbageholdelse ophævet",
        "extend" => "frist forlænget",
        "pause" => "frist stillet i bero",
        "resume" => "frist genoptaget",
        "hand-over" => "afleveret til Rigsarkivet",
        "assess" => "bevaringsvurdering",
        "erase" => "slettet",
        "archive-package" => "arkiveringsversion dannet",
        "archive-approved" => "arkiveringsversion godkendt",
        "reveal-cpr" => "CPR-numre vist",
        "open" => "åbnet",
        _ => "",
    };
    match lang {
        Lang::Da if !da.is_empty() => da.to_string(),
        _ => crate::domain::sanitize::sanitize_line(id).into_owned(),
    }
}

/// A staff role.
pub fn role(lang: Lang, r: crate::domain::policy::Role) -> &'static str {
    use crate::domain::policy::Role;
    match (lang, r) {
        (Lang::En, _) => r.as_id(),
        (Lang::Da, Role::Caseworker) => "sagsbehandler",
        (Lang::Da, Role::Dpo) => "DPO",
        (Lang::Da, Role::Admin) => "administrator",
    }
}

/// Where the interface reads and writes, as the `Api` describes it ("embedded PATH",
/// "server SOCKET — disconnected: WHY"), with its words in `lang`.
pub fn store_place(lang: Lang, described: &str) -> String {
    if lang == Lang::En {
        return described.to_string();
    }
    let s = match described.strip_prefix("embedded ") {
        Some(rest) => format!("lokal {rest}"),
        None => described.to_string(),
    };
    s.replacen(" — disconnected: ", " — afbrudt: ", 1)
}

/// A data category's short badge: the English codes, or Danish ones.
pub fn badge(lang: Lang, c: crate::domain::category::DataCategory) -> &'static str {
    use crate::domain::category::DataCategory as C;
    match (lang, c) {
        (Lang::En, _) => c.badge(),
        (Lang::Da, C::General) => "ALM",
        (Lang::Da, C::Contact) => "KONT",
        (Lang::Da, C::Cpr) => "CPR",
        (Lang::Da, C::CaseNumber) => "SAG",
        (Lang::Da, C::EthnicOrigin) => "ETN",
        (Lang::Da, C::Political) => "POL",
        (Lang::Da, C::Religion) => "REL",
        (Lang::Da, C::TradeUnion) => "FAG",
        (Lang::Da, C::Genetic) => "GEN9",
        (Lang::Da, C::Biometric) => "BIO",
        (Lang::Da, C::Health) => "HELB",
        (Lang::Da, C::SexLife) => "SEKS",
        (Lang::Da, C::Criminal) => "A10",
    }
}

/// A legal basis by its short name: the id in English ("gdpr-6-1-e"), the citation as
/// Danish caseworkers write it in Danish ("art. 6, stk. 1, litra e", "DBL § 8").
pub fn basis(lang: Lang, b: crate::domain::basis::LegalBasis) -> String {
    use crate::domain::basis::LegalBasis as B;
    match (lang, b) {
        (Lang::En, _) => b.id(),
        (Lang::Da, B::Gdpr6(c)) => format!("art. 6, stk. 1, litra {c}"),
        (Lang::Da, B::Gdpr9(c)) => format!("art. 9, stk. 2, litra {c}"),
        (Lang::Da, B::Gdpr10) => "art. 10".into(),
        (Lang::Da, B::DataProtectionAct) => "databeskyttelsesloven".into(),
        (Lang::Da, B::DataProtectionAct7) => "DBL § 7".into(),
        (Lang::Da, B::DataProtectionAct8) => "DBL § 8".into(),
        (Lang::Da, B::DataProtectionAct11) => "DBL § 11".into(),
        (Lang::Da, B::AliensAct) => "udlændingeloven".into(),
        (Lang::Da, B::PublicAdministrationAct) => "forvaltningsloven".into(),
        (Lang::Da, B::PublicAdministrationAct7) => "FVL § 7".into(),
        (Lang::Da, B::AccessToFilesAct) => "offentlighedsloven".into(),
        (Lang::Da, B::ArchivesAct) => "arkivloven".into(),
    }
}

/// Why the retention clock stands where it does: the domain's sentence in English, one
/// from the state and its dates in Danish.
pub fn retention_reason(lang: Lang, r: &crate::domain::clock::RetentionClock) -> String {
    if lang == Lang::En {
        return r.reason.clone();
    }
    let date = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    let s = match r.state {
        RetentionState::Open => {
            "sagen er ikke lukket; opbevaringsperioden regnes fra lukningen".to_string()
        }
        RetentionState::Waiting => match (r.handover_due, r.deletion_due) {
            (Some(h), _) => format!("arkivperioden slutter {h}; derefter afleveres sagen til Rigsarkivet (bevaringspligt)"),
            (None, Some(d)) => format!("slettes {d}"),
            (None, None) => "intet forfalder endnu".to_string(),
        },
        RetentionState::HandoverDue => format!(
            "arkivperioden er slut: afleveres til Rigsarkivet (bevaringspligt) {}",
            date(r.handover_due)
        ),
        RetentionState::DeletionDue => "myndighedens kopi skal slettes".to_string(),
        RetentionState::AssessmentDue => {
            "bevaringsvurdering: skal sagen bevares eller slettes".to_string()
        }
        RetentionState::Kept { review: Some(d) } => format!("bevares; vurderes igen {d}"),
        RetentionState::Kept { review: None } => "bevares".to_string(),
        RetentionState::Held => {
            "retslig tilbageholdelse: intet slettes, før den ophæves".to_string()
        }
        RetentionState::HandedOver => "afleveret til Rigsarkivet".to_string(),
    };
    if r.held && r.state == RetentionState::HandoverDue {
        format!("{s} (tilbageholdelsen standser sletning, ikke aflevering)")
    } else {
        s
    }
}

/// An action as the thing done, for refusals ("lukning er ikke mulig …").
fn action_noun_da(id: &str) -> Option<&'static str> {
    Some(match id {
        "classify" => "klassificering",
        "set-purpose" => "angivelse af formål",
        "route" => "videregivelse",
        "forward" => "videresendelse",
        "employer-notice" => "underretning til arbejdsgiver",
        "withdraw" => "tilbagekaldelse af en videregivelse",
        "assign" => "tildeling",
        "note" => "notat",
        "decide" => "afgørelse",
        "answer" => "besvarelse",
        "close" => "lukning",
        "restrict" => "begrænsning",
        "unrestrict" => "ophævelse af begrænsning",
        "hold" => "retslig tilbageholdelse",
        "release-hold" => "ophævelse af tilbageholdelse",
        "extend" => "fristforlængelse",
        "pause" => "berostillelse af fristen",
        "resume" => "genoptagelse af fristen",
        "hand-over" => "aflevering",
        "assess" => "bevaringsvurdering",
        "erase" => "sletning",
        "archive-package" => "arkiveringsversion",
        "archive-approved" => "godkendelse af arkiveringsversion",
        "backup" => "sikkerhedskopi",
        _ => return None,
    })
}

/// Role ids in a refusal's words ("dpo or admin", "caseworker, dpo") in `lang`.
fn roles_words(lang: Lang, s: &str) -> String {
    use crate::domain::policy::Role;
    if lang == Lang::En {
        return s.to_string();
    }
    s.split(' ')
        .map(|w| {
            let (word, comma) = match w.strip_suffix(',') {
                Some(x) => (x, ","),
                None => (w, ""),
            };
            let da = match word {
                "caseworker" => role(lang, Role::Caseworker),
                "dpo" => role(lang, Role::Dpo),
                "admin" => role(lang, Role::Admin),
                "or" => "eller",
                "none" => "ingen",
                other => {
                    return format!("{}{comma}", crate::domain::sanitize::sanitize_line(other))
                }
            };
            format!("{da}{comma}")
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// How long ago, in Danish, as the store says it in English ("12 s ago", "3 min ago").
fn ago_da(at: &chrono::DateTime<chrono::Utc>, now: chrono::DateTime<chrono::Utc>) -> String {
    let secs = (now - *at).num_seconds();
    match secs {
        0..=119 => format!("for {secs} s siden"),
        120..=7199 => format!("for {} min. siden", secs / 60),
        7200..=86399 => format!("for {} t. siden", secs / 3600),
        _ => format!("den {}", at.format("%Y-%m-%d %H:%M UTC")),
    }
}

/// What the store said when it refused or failed, for the person at the keyboard. The
/// refusals a caseworker meets (roles, status, restriction, conflict) are in the catalogue;
/// words that come from elsewhere (a file, the server's link) are passed on as they are.
pub fn api_error(lang: Lang, e: &crate::store::api_error::ApiError) -> String {
    use crate::domain::command::Refusal;
    use crate::store::api_error::ApiError as E;
    if lang == Lang::En {
        return e.to_string();
    }
    let noun = |a: &str| {
        action_noun_da(a)
            .map(str::to_string)
            .unwrap_or_else(|| crate::domain::sanitize::sanitize_line(a).into_owned())
    };
    match e {
        E::Refused(Refusal::NotPermitted {
            action,
            needs,
            have,
        }) => format!(
            "{} kræver rollen {}; du har {}",
            capitalise(&noun(action)),
            roles_words(lang, needs),
            roles_words(lang, have)
        ),
        E::Refused(Refusal::WrongStatus { action, status: st }) => format!(
            "{} kan ikke foretages på en sag, der er {}",
            capitalise(&noun(action)),
            status(lang, *st)
        ),
        E::Refused(Refusal::Routing(reasons)) => {
            let reasons: Vec<String> = reasons.iter().map(|r| r.text(lang.language())).collect();
            format!("{} {}", t(lang, Msg::RouteRefused), reasons.join("; "))
        }
        E::Refused(Refusal::Invalid(why)) => capitalise(&why.text(lang.language())),
        E::Hidden(r) => format!(
            "{r} er begrænset (art. 23): kun databeskyttelsesrådgiveren, en administrator, \
             sagsbehandleren og den, der begrænsede sagen, kan se den"
        ),
        E::NotFound(r) => format!("sagen {r} findes ikke"),
        E::Erased(r) => format!("{r} er slettet; kun sletningsoplysningerne er tilbage"),
        E::Conflict {
            reference,
            expected,
            actual,
            by,
            at,
        } => format!(
            "{reference} er ændret af {} {}: genindlæs? (du tog stilling til version {expected}; \
             nu er den version {actual}; genindlæs og tag stilling igen)",
            crate::domain::sanitize::sanitize_line(by),
            ago_da(at, chrono::Utc::now())
        ),
        E::BadInput(s) | E::Unavailable(s) | E::Damaged(s) => s.clone(),
    }
}

/// Why the filter text is no search query, for the filter line: the queue filter goes on
/// without the text search.
pub fn query_problem(lang: Lang, e: &crate::search::query::QueryError) -> String {
    use crate::search::query::{QueryError as Q, Scope, MAX_CLAUSES, MAX_QUERY_BYTES};
    let why = match lang {
        Lang::En => e.to_string(),
        Lang::Da => match e {
            Q::TooLong { bytes } => format!(
                "søgningen er {bytes} byte lang; en søgning må højst være {MAX_QUERY_BYTES} byte"
            ),
            Q::TooManyClauses => {
                format!("søgningen har mere end {MAX_CLAUSES} ord og fraser; søg efter færre")
            }
            Q::UnclosedQuote { at } => {
                format!("anførselstegnet ved tegn {at} lukkes aldrig: afslut frasen med \"")
            }
            Q::UnknownField { name } => format!(
                "`{name}:` er ikke et felt, der kan søges i; brug {}",
                Scope::NAMED
                    .iter()
                    .map(|(n, _)| format!("{n}:"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Q::EmptyField { name } => {
                format!("`{name}:` skal efterfølges af et ord eller en \"frase\"")
            }
            Q::OnlyExclusions => {
                "søgningen udelukker kun ord (-ord); tilføj et ord at søge efter".to_string()
            }
        },
    };
    tf(lang, Msg::TextSearchOff, &[&why])
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// A label of `triage show`: the English word as it stands, or its Danish one.
pub fn cli_label(lang: Lang, en: &'static str) -> &'static str {
    if lang == Lang::En {
        return en;
    }
    match en {
        "received" => "modtaget",
        "Danish day" => "dansk dato",
        "from" => "fra",
        "subject" => "emne",
        "purpose" => "formål",
        "right" => "rettighed",
        "assignee" => "ansvarlig",
        "due" => "svarfrist",
        "retention" => "opbevaring",
        "closed" => "lukket",
        "handover" => "aflevering",
        "deletion" => "sletning",
        "confirmed" => "bekræftet",
        "suggested" => "foreslået",
        "decision" => "afgørelse",
        "note" => "notat",
        "history" => "historik",
        "address" => "adresse",
        "source" => "kilde",
        "ruling" => "begrundelse",
        other => other,
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

    #[test]
    fn every_action_has_danish_words_for_the_history_and_refusals() {
        for id in [
            "register",
            "classify",
            "set-purpose",
            "route",
            "forward",
            "employer-notice",
            "withdraw",
            "assign",
            "note",
            "decide",
            "answer",
            "close",
            "restrict",
            "unrestrict",
            "hold",
            "release-hold",
            "extend",
            "pause",
            "resume",
            "hand-over",
            "assess",
            "erase",
            "archive-package",
            "archive-approved",
        ] {
            assert_eq!(action(Lang::En, id), id);
            assert_ne!(action(Lang::Da, id), id, "{id} has no Danish history name");
            assert!(
                id == "register" || action_noun_da(id).is_some(),
                "{id} has no Danish noun for refusals"
            );
        }
        // Something unknown (from a newer server) is shown as it came, made safe.
        assert_eq!(action(Lang::Da, "new-thing"), "new-thing");
        assert!(!action(Lang::Da, "x\u{1b}]0;t\u{7}").contains('\u{1b}'));
    }

    #[test]
    fn the_stores_refusals_in_danish() {
        use crate::domain::command::Refusal;
        use crate::domain::enquiry::Reference;
        use crate::store::api_error::ApiError;
        let r = Reference::new(2026, 7);
        let not_permitted = ApiError::Refused(Refusal::NotPermitted {
            action: "erase",
            needs: "dpo or admin",
            have: "caseworker".into(),
        });
        assert_eq!(
            api_error(Lang::Da, &not_permitted),
            "Sletning kræver rollen DPO eller administrator; du har sagsbehandler"
        );
        assert_eq!(
            api_error(Lang::En, &not_permitted),
            not_permitted.to_string()
        );
        let wrong = ApiError::Refused(Refusal::WrongStatus {
            action: "close",
            status: Status::Closed,
        });
        assert_eq!(
            api_error(Lang::Da, &wrong),
            "Lukning kan ikke foretages på en sag, der er lukket"
        );
        let conflict = ApiError::Conflict {
            reference: r,
            expected: 3,
            actual: 4,
            by: "sofie".into(),
            at: chrono::Utc::now(),
        };
        let da = api_error(Lang::Da, &conflict);
        assert!(
            da.starts_with("2026-000007 er ændret af sofie for "),
            "{da}"
        );
        assert!(da.contains("version 3") && da.contains("version 4"), "{da}");
        assert!(api_error(Lang::Da, &ApiError::Hidden(r)).contains("begrænset (art. 23)"));
        let withdrawn = ApiError::Refused(Refusal::Invalid(
            crate::domain::invalid::Invalid::AlreadyWithdrawn { disclosure: 2 },
        ));
        assert_eq!(
            api_error(Lang::Da, &withdrawn),
            "Videregivelse nr. 2 er allerede trukket tilbage"
        );
        assert_eq!(
            api_error(Lang::En, &withdrawn),
            "disclosure #2 is already withdrawn"
        );
    }

    #[test]
    fn the_store_and_roles_in_danish() {
        use crate::domain::policy::Role;
        assert_eq!(store_place(Lang::Da, "embedded /srv/x"), "lokal /srv/x");
        assert_eq!(
            store_place(Lang::Da, "server /run/t.sock — disconnected: gone"),
            "server /run/t.sock — afbrudt: gone"
        );
        assert_eq!(store_place(Lang::En, "embedded /srv/x"), "embedded /srv/x");
        assert_eq!(role(Lang::Da, Role::Caseworker), "sagsbehandler");
        assert_eq!(role(Lang::En, Role::Caseworker), "caseworker");
    }
}
