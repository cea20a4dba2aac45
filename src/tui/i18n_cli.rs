//! The CLI's own refusals of its input (a missing option, an unknown name, a step not confirmed), in English and Danish.

use super::i18n::Lang;
use crate::domain::case::Case;
use crate::domain::clock;
use crate::domain::enquiry::{BadReference, Reference};
use crate::domain::handover::{self, ArchiveState, Step};
use crate::domain::policy::{Policy, RetentionRule};
use chrono::NaiveDate;
use std::path::PathBuf;

/// Why the CLI would not go on with what it was given. Its `Display` is the English text;
/// the edge (`cli::fail::message_in`) says it in the chosen language. Command words,
/// options and ids stay as they are typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CliError {
    /// A case command that records a reason was given none (`what` is the command word).
    NeedsReason {
        what: &'static str,
    },
    NeedsGround,
    UnknownStatus(String),
    NoHome,
    InitNeedsPolicy,
    /// `TRIAGE_NOW` is set for a store that keeps real time.
    FixedTimeOnRealStore(PathBuf),
    NoPolicyInstalled(PathBuf),
    NotStaff {
        login: String,
    },
    NoServerToWatch,
    NoServerToFetch,
    PdfNeedsOut,
    NameThePerson,
    RestrictedNeedsDpo {
        have: String,
    },
    UnknownRecipient(String),
    FromAfterTo {
        from: NaiveDate,
        to: NaiveDate,
    },
    NoDecisionYet(Reference),
    AsOfAfterToday {
        as_of: NaiveDate,
        today: NaiveDate,
    },
    ErasingNeedsDpo,
    NotConfirmed,
    /// `triage init` on a store or a directory that holds something.
    StoreExists(PathBuf),
    DirNotEmpty(PathBuf),
    InitNotAdmin {
        policy: PathBuf,
        login: String,
    },
    FixedTimeAtInit,
    /// `TRIAGE_NOW` that is no RFC 3339 time.
    BadFixedTime(String),
    StoreInUse {
        store: PathBuf,
        socket: PathBuf,
    },
    NotDemoStore(PathBuf),
    /// A file could not be read (the cause follows).
    CannotRead(PathBuf),
    CannotReadPolicy(PathBuf),
    /// Every file of an import was refused (each said why already).
    NothingImported,
    SomeFilesRefused {
        refused: usize,
        of: usize,
    },
}

impl CliError {
    pub fn text(&self, lang: Lang) -> String {
        use CliError as E;
        match (self, lang) {
            (E::NeedsReason { what }, Lang::En) => format!("{what}: give the reason with --why \"…\""),
            (E::NeedsReason { what }, Lang::Da) => format!("{what}: angiv begrundelsen med --why \"…\""),
            (E::NeedsGround, Lang::En) => "erase: give the legal ground with --ground \"…\"".into(),
            (E::NeedsGround, Lang::Da) => "erase: angiv hjemlen for sletningen med --ground \"…\"".into(),
            (E::UnknownStatus(s), Lang::En) => format!("unknown status `{s}`"),
            (E::UnknownStatus(s), Lang::Da) => format!("ukendt status `{s}`"),
            (E::NoHome, Lang::En) => "no home directory: give the store with --db PATH".into(),
            (E::NoHome, Lang::Da) => "ingen hjemmemappe: angiv lageret med --db STI".into(),
            (E::InitNeedsPolicy, Lang::En) => "`triage init` needs the policy the store will work under: give --policy FILE (see demo-data/policy.toml for its shape)".into(),
            (E::InitNeedsPolicy, Lang::Da) => "`triage init` skal have den politik, lageret skal arbejde under: angiv --policy FIL (se demo-data/policy.toml for dens form)".into(),
            (E::FixedTimeOnRealStore(p), Lang::En) => format!("TRIAGE_NOW is set, but the store at {} keeps real time: only stores made with `triage demo`, `triage gen` or `triage init --test-clock` take a fixed time. Unset TRIAGE_NOW; nothing was done.", p.display()),
            (E::FixedTimeOnRealStore(p), Lang::Da) => format!("TRIAGE_NOW er sat, men lageret i {} bruger den rigtige tid: kun lagre lavet med `triage demo`, `triage gen` eller `triage init --test-clock` tager en fast tid. Fjern TRIAGE_NOW; intet er gjort.", p.display()),
            (E::NoPolicyInstalled(p), Lang::En) => format!("the store at {} has no policy installed, so nobody's roles are known.\n  An administrator installs one with `triage policy --install FILE --db {}`.", p.display(), p.display()),
            (E::NoPolicyInstalled(p), Lang::Da) => format!("lageret i {} har ingen politik installeret, så ingens roller kendes.\n  En administrator installerer en med `triage policy --install FIL --db {}`.", p.display(), p.display()),
            (E::NotStaff { login }, Lang::En) => format!("your login `{login}` is not staff in the policy in force.\n  Add it to the policy's [[staff]] list (login = \"{login}\", roles = [\"caseworker\"]) and install it with `triage policy --install FILE`."),
            (E::NotStaff { login }, Lang::Da) => format!("dit login `{login}` er ikke ansat i den gældende politik.\n  Tilføj det til politikkens [[staff]]-liste (login = \"{login}\", roles = [\"caseworker\"]) og installér den med `triage policy --install FIL`."),
            (E::NoServerToWatch, Lang::En) => "no triage server runs for this store: `watch` follows a server's change notices (start one with `triage serve`)".into(),
            (E::NoServerToWatch, Lang::Da) => "der kører ingen triage-server for dette lager: `watch` følger en servers ændringsbeskeder (start en med `triage serve`)".into(),
            (E::NoServerToFetch, Lang::En) => "no triage server runs for this store: `archive create` on the store itself writes the package straight into --out, so there is nothing to fetch".into(),
            (E::NoServerToFetch, Lang::Da) => "der kører ingen triage-server for dette lager: `archive create` på selve lageret skriver pakken direkte i --out, så der er intet at hente".into(),
            (E::PdfNeedsOut, Lang::En) => "--format pdf writes a binary file: give --out FILE (or redirect the output to a file)".into(),
            (E::PdfNeedsOut, Lang::Da) => "--format pdf skriver en binær fil: angiv --out FIL (eller send uddata til en fil)".into(),
            (E::NameThePerson, Lang::En) => "name the person: --subject cpr:DDMMYY-SSSS | email:ADDRESS | \"name:NAME|ADDRESS\", or --case REF of their access request".into(),
            (E::NameThePerson, Lang::Da) => "angiv personen: --subject cpr:DDMMÅÅ-SSSS | email:ADRESSE | \"name:NAVN|ADRESSE\", eller --case REF for deres indsigtsanmodning".into(),
            (E::RestrictedNeedsDpo { have }, Lang::En) => format!("--include-restricted shows what Art. 23 withholds: it is for the data protection officer (role dpo); you have {have}"),
            (E::RestrictedNeedsDpo { have }, Lang::Da) => format!("--include-restricted viser det, art. 23 tilbageholder: det er for databeskyttelsesrådgiveren (rollen dpo); du har {have}"),
            (E::UnknownRecipient(id), Lang::En) => format!("unknown recipient `{id}` (see `triage policy` for the ids)"),
            (E::UnknownRecipient(id), Lang::Da) => format!("ukendt modtager `{id}` (se `triage policy` for id'erne)"),
            (E::FromAfterTo { from, to }, Lang::En) => format!("--from {from} is after --to {to}"),
            (E::FromAfterTo { from, to }, Lang::Da) => format!("--from {from} ligger efter --to {to}"),
            (E::NoDecisionYet(r), Lang::En) => format!("{r} has no decision yet: decide it first (`triage case {r} decide …`)"),
            (E::NoDecisionYet(r), Lang::Da) => format!("{r} har endnu ingen afgørelse: træf den først (`triage case {r} decide …`)"),
            (E::AsOfAfterToday { as_of, today }, Lang::En) => format!("--as-of {as_of} is after today ({today}): retention erases only what is due now; nothing changed"),
            (E::AsOfAfterToday { as_of, today }, Lang::Da) => format!("--as-of {as_of} ligger efter i dag ({today}): opbevaringen sletter kun det, der er forfaldent nu; intet er ændret"),
            (E::ErasingNeedsDpo, Lang::En) => "erasing needs the dpo role; nothing changed".into(),
            (E::ErasingNeedsDpo, Lang::Da) => "sletning kræver rollen dpo; intet er ændret".into(),
            (E::NotConfirmed, Lang::En) => "not confirmed (type yes, or pass --yes): nothing changed".into(),
            (E::NotConfirmed, Lang::Da) => "ikke bekræftet (skriv yes, eller angiv --yes): intet er ændret".into(),
            (E::StoreExists(p), Lang::En) => format!("{} already holds a triage store; `triage init` makes new ones only (change the policy with `triage policy --install FILE`)", p.display()),
            (E::StoreExists(p), Lang::Da) => format!("{} rummer allerede et triage-lager; `triage init` laver kun nye (skift politikken med `triage policy --install FIL`)", p.display()),
            (E::DirNotEmpty(p), Lang::En) => format!("{} exists and is not empty; give `triage init` a new or empty directory", p.display()),
            (E::DirNotEmpty(p), Lang::Da) => format!("{} findes og er ikke tom; giv `triage init` en ny eller tom mappe", p.display()),
            (E::InitNotAdmin { policy, login }, Lang::En) => format!("{} does not make you (`{login}`) an admin: whoever creates the store must be able to manage it. Add login = \"{login}\" with roles = [\"admin\"] to its [[staff]] list; nothing was created.", policy.display()),
            (E::InitNotAdmin { policy, login }, Lang::Da) => format!("{} gør ikke dig (`{login}`) til administrator: den, der opretter lageret, skal kunne styre det. Tilføj login = \"{login}\" med roles = [\"admin\"] til dens [[staff]]-liste; intet er oprettet.", policy.display()),
            (E::FixedTimeAtInit, Lang::En) => "TRIAGE_NOW is set, but a store made without --test-clock keeps real time: unset TRIAGE_NOW, or give --test-clock for a test store; nothing was created".into(),
            (E::FixedTimeAtInit, Lang::Da) => "TRIAGE_NOW er sat, men et lager lavet uden --test-clock bruger den rigtige tid: fjern TRIAGE_NOW, eller angiv --test-clock for et testlager; intet er oprettet".into(),
            (E::BadFixedTime(v), Lang::En) => format!("TRIAGE_NOW `{v}` is not an RFC 3339 time"),
            (E::BadFixedTime(v), Lang::Da) => format!("TRIAGE_NOW `{v}` er ikke et tidspunkt efter RFC 3339"),
            (E::StoreInUse { store, socket }, Lang::En) => format!("the store at {} is in use by the triage server listening on {}.\n  Every subcommand works through the server except `compact` and `restore`, which need the store's files to themselves: stop the server first (e.g. `systemctl stop triage`), run it, then start the server again.", store.display(), socket.display()),
            (E::StoreInUse { store, socket }, Lang::Da) => format!("lageret i {} bruges af triage-serveren, der lytter på {}.\n  Alle underkommandoer virker gennem serveren undtagen `compact` og `restore`, som skal have lagerets filer for sig selv: stop først serveren (fx `systemctl stop triage`), kør kommandoen, og start så serveren igen.", store.display(), socket.display()),
            (E::NotDemoStore(p), Lang::En) => format!("{} exists and is not a demo store; give `triage demo` another --db", p.display()),
            (E::NotDemoStore(p), Lang::Da) => format!("{} findes og er ikke et demolager; giv `triage demo` en anden --db", p.display()),
            (E::CannotRead(p), Lang::En) => format!("cannot read {}", p.display()),
            (E::CannotRead(p), Lang::Da) => format!("kan ikke læse {}", p.display()),
            (E::CannotReadPolicy(p), Lang::En) => format!("cannot read the policy {}", p.display()),
            (E::CannotReadPolicy(p), Lang::Da) => format!("kan ikke læse politikken {}", p.display()),
            (E::NothingImported, Lang::En) => "nothing was imported".into(),
            (E::NothingImported, Lang::Da) => "intet blev importeret".into(),
            (E::SomeFilesRefused { refused, of }, Lang::En) => format!("{refused} of {of} files were refused; the others were imported"),
            (E::SomeFilesRefused { refused, of }, Lang::Da) => format!("{refused} af {of} filer blev afvist; de øvrige blev importeret"),
        }
    }

    /// Input the command could not use as a whole, its details said one by one before:
    /// exit code 2. The others keep the code they had as plain messages (1).
    /// Exit code 2 (README): an argument, an option, a file or a line was wrong or missing.
    pub fn is_bad_input(&self) -> bool {
        matches!(
            self,
            CliError::NothingImported
                | CliError::SomeFilesRefused { .. }
                | CliError::NeedsReason { .. }
                | CliError::NeedsGround
                | CliError::UnknownStatus(_)
                | CliError::InitNeedsPolicy
                | CliError::PdfNeedsOut
                | CliError::NameThePerson
                | CliError::UnknownRecipient(_)
                | CliError::FromAfterTo { .. }
                | CliError::AsOfAfterToday { .. }
                | CliError::BadFixedTime(_)
                | CliError::FixedTimeAtInit
                | CliError::StoreExists(_)
                | CliError::DirNotEmpty(_)
                | CliError::CannotRead(_)
                | CliError::CannotReadPolicy(_)
        )
    }

    /// Exit code 3 (README): the store or its server is not there or not usable as it is.
    pub fn is_store_problem(&self) -> bool {
        matches!(
            self,
            CliError::NoHome
                | CliError::NoPolicyInstalled(_)
                | CliError::StoreInUse { .. }
                | CliError::NoServerToWatch
                | CliError::NoServerToFetch
        )
    }
}

impl std::fmt::Display for CliError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text(Lang::En))
    }
}

impl std::error::Error for CliError {}

/// A text that is not a case reference, in `lang`.
/// A store that is not there or is held by another process, in Danish (None: as the store
/// says it, in English).
pub fn store_not_open(lang: Lang, e: &crate::store::StoreError) -> Option<String> {
    use crate::store::StoreError;
    if lang != Lang::Da {
        return None;
    }
    match e {
        StoreError::NoStore { path } => Some(format!(
            "der er intet triage-lager i {p}.\n  Opret et med `triage init --policy FIL --db {p}` (eller prøv `triage demo`); intet blev oprettet.",
            p = path.display()
        )),
        StoreError::Locked { path } => Some(format!(
            "lageret i {p} bruges af en anden triage-proces.\n  Stop den proces, eller kør `triage serve --db {p}` og lad alle forbinde sig til den.",
            p = path.display()
        )),
        _ => None,
    }
}

pub fn bad_reference(lang: Lang, b: &BadReference) -> String {
    match lang {
        Lang::En => b.to_string(),
        Lang::Da => format!(
            "`{}` er ikke et sagsnummer (ventet ÅÅÅÅ-NNNNNN, fx 2026-000123)",
            b.0
        ),
    }
}

/// Why an access answer could not be made, in `lang`: the store's refusals through the
/// catalogue ([`super::i18n::api_error`]).
pub fn report_error(lang: Lang, e: &crate::usecase::access_report::ReportError) -> String {
    use crate::usecase::access_report::ReportError as R;
    match (e, lang) {
        (R::Api(a), _) => super::i18n::api_error(lang, a),
        (R::NoSubject(_), Lang::En) => e.to_string(),
        (R::NoSubject(r), Lang::Da) => format!(
            "{r}: afsenderen har hverken CPR-nummer, e-mail eller adresse, som vedkommendes sager kan findes ud fra; angiv --subject"
        ),
    }
}

/// The access answer could not be written: no home directory to put it in.
pub fn no_report_dir(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "no home directory to write the report in",
        Lang::Da => "ingen hjemmemappe at skrive rapporten i",
    }
}

/// A line of an import's summary. Texts from the file come made safe.
pub enum ImportLine<'a> {
    /// Every record refused unless some are set aside: nothing from the file was stored.
    RefusedWhole {
        file: &'a str,
        refused: usize,
        of: usize,
    },
    QuarantineHint,
    Head {
        file: &'a str,
        registered: usize,
        already: usize,
    },
    AndQuarantined(usize),
    SetAside {
        named: &'a str,
        at: &'a str,
    },
    AlreadyAs {
        what: &'a str,
        existing: Reference,
    },
    PossibleDuplicate {
        what: &'a str,
        r: Reference,
        first: Reference,
    },
    Check {
        what: &'a str,
        r: Reference,
        flags: &'a str,
    },
    Registered(&'a str),
}

impl ImportLine<'_> {
    pub fn text(&self, lang: Lang) -> String {
        use ImportLine as L;
        let what = |w: &str| record(lang, w);
        match (self, lang) {
            (L::RefusedWhole { file, refused, of }, Lang::En) => format!("{file}: refused, nothing from this file was imported: {refused} of {of} records cannot be registered"),
            (L::RefusedWhole { file, refused, of }, Lang::Da) => format!("{file}: afvist, intet fra denne fil blev importeret: {refused} af {of} poster kan ikke registreres"),
            (L::QuarantineHint, Lang::En) => "  import it again with --quarantine DIR to set these aside and register the rest".into(),
            (L::QuarantineHint, Lang::Da) => "  importér den igen med --quarantine MAPPE for at lægge disse til side og registrere resten".into(),
            (L::Head { file, registered, already }, Lang::En) => format!("{file}: {registered} registered, {already} already in the store"),
            (L::Head { file, registered, already }, Lang::Da) => format!("{file}: {registered} registreret, {already} allerede i lageret"),
            (L::AndQuarantined(n), Lang::En) => format!(", {n} refused and quarantined"),
            (L::AndQuarantined(n), Lang::Da) => format!(", {n} afvist og lagt i karantæne"),
            (L::SetAside { named, at }, Lang::En) => format!("{named}; set aside as {at}"),
            (L::SetAside { named, at }, Lang::Da) => format!("{named}; lagt til side som {at}"),
            (L::AlreadyAs { what: w, existing }, Lang::En) => format!("  {w}: already in the store as {existing}"),
            (L::AlreadyAs { what: w, existing }, Lang::Da) => format!("  {}: allerede i lageret som {existing}", what(w)),
            (L::PossibleDuplicate { what: w, r, first }, Lang::En) => format!("  {w}: registered as {r}, possible duplicate of {first}"),
            (L::PossibleDuplicate { what: w, r, first }, Lang::Da) => format!("  {}: registreret som {r}, muligvis en dublet af {first}", what(w)),
            (L::Check { what: w, r, flags }, Lang::En) => format!("  {w}: registered as {r}; check: {flags}"),
            (L::Check { what: w, r, flags }, Lang::Da) => format!("  {}: registreret som {r}; kontrollér: {}", what(w), super::i18n_show::import_notes(lang, flags)),
            (L::Registered(l), Lang::En) => format!("  registered: {l}"),
            (L::Registered(l), Lang::Da) => format!("  registreret: {l}"),
        }
    }
}

/// Which record of a file: "line 3", "message 3 (NAME)", in `lang`.
pub fn record(lang: Lang, what: &str) -> String {
    if lang == Lang::En {
        return what.to_string();
    }
    for (en, da) in [("line ", "linje "), ("message ", "meddelelse ")] {
        if let Some(rest) = what.strip_prefix(en) {
            return format!("{da}{rest}");
        }
    }
    what.to_string()
}

/// A fixed line of the CLI's reports on the store and its cases (`retention`, `check`,
/// `audit verify`, `archive`, `restore`, `search`, the DPO's part of `report access`), in
/// `lang`. Values from the store (dates, ids,
/// paths, the problems found) are passed in as they are.
pub enum Say<'a> {
    /// `triage retention`: the confirmation asked before erasing.
    RetentionWillErase {
        n: usize,
        today: NaiveDate,
    },
    RetentionConfirm,
    /// The line under the list: how many cases stand at each step.
    RetentionSummary {
        today: NaiveDate,
        package_due: usize,
        packaged: usize,
        deletion_due: usize,
        assessment_due: usize,
        held: usize,
    },
    RetentionApplied {
        erased: usize,
        refused: usize,
    },
    /// Erased through the server: the files still need rewriting.
    RetentionCompactServed,
    /// Erased here: the store was rewritten.
    RetentionCompacted,
    /// `triage check`.
    Checked(&'a str),
    AuditEntries(u64),
    SearchIndex(&'a str),
    NoProblems,
    Problems(usize),
    RestoreHint,
    /// `triage audit verify`.
    AuditVerified {
        entries: u64,
        events: u64,
        erased: u64,
    },
    AuditNotExtended {
        seq: u64,
        problem: &'a str,
    },
    AuditExtends {
        seq: u64,
    },
    AuditBroken {
        seq: u64,
        problem: &'a str,
    },
    AuditBeforeBroken(u64),
    /// `triage archive list`.
    ArchivePackage {
        id: &'a str,
        made: NaiveDate,
        cases: u64,
        from: NaiveDate,
        to: NaiveDate,
        approved: Option<NaiveDate>,
    },
    NoArchivePackage,
    /// `triage archive verify`: the package passed every check.
    ArchiveVerified {
        path: &'a str,
        files: usize,
        tables: usize,
        rows: u64,
    },
    /// `triage archive create`: the package written, its tables' rows, what to do next.
    ArchiveCreated {
        path: &'a str,
        cases: u64,
        bytes: u64,
        md5: &'a str,
    },
    ArchiveTableRows {
        name: &'a str,
        rows: u64,
    },
    ArchiveDeliver {
        id: &'a str,
    },
    /// `triage archive receipt`: a folder that fails verification (the problem as found).
    ArchiveReceiptUnverified {
        path: &'a str,
        problem: &'a str,
    },
    ArchiveReceipted {
        id: &'a str,
        approved: NaiveDate,
        cases: u64,
    },
    /// `triage archive fetch`.
    ArchiveFetched(&'a str),
    /// `triage restore`: the restored store's audit chain.
    RestoredVerified(u64),
    RestoredBroken {
        seq: u64,
        problem: &'a str,
    },
    /// `triage report access`, on stderr for the DPO: the heading of the other cases that
    /// mention the person, and the line before the searches that did not see everything.
    DpoMentions(usize),
    DpoNotWhole,
    /// `triage search` found nothing.
    NoCaseMatches,
}

impl Say<'_> {
    pub fn text(&self, lang: Lang) -> String {
        use Say as S;
        match (self, lang) {
            (S::RetentionWillErase { n, today }, Lang::En) => format!("retention will erase {n} cases as of {today}:"),
            (S::RetentionWillErase { n: 1, today }, Lang::Da) => format!("opbevaringen sletter 1 sag pr. {today}:"),
            (S::RetentionWillErase { n, today }, Lang::Da) => format!("opbevaringen sletter {n} sager pr. {today}:"),
            (S::RetentionConfirm, Lang::En) => "Erase them? Type yes to go on: ".into(),
            (S::RetentionConfirm, Lang::Da) => "Slet dem? Skriv yes for at fortsætte: ".into(),
            (S::RetentionSummary { today, package_due, packaged, deletion_due, assessment_due, held }, Lang::En) => format!("as of {today}: {package_due} due for an archival version, {packaged} awaiting the archives' approval, {deletion_due} due for deletion, {assessment_due} need a recorded assessment, {held} held"),
            (S::RetentionSummary { today, package_due, packaged, deletion_due, assessment_due, held }, Lang::Da) => format!("pr. {today}: {package_due} skal i en arkiveringsversion, {packaged} afventer Rigsarkivets godkendelse, {deletion_due} skal slettes, {assessment_due} mangler en registreret bevaringsvurdering, {held} er under retslig tilbageholdelse"),
            (S::RetentionApplied { erased, refused }, Lang::En) => format!("applied: {erased} erased, {refused} refused"),
            (S::RetentionApplied { erased, refused }, Lang::Da) => format!("udført: {erased} slettet, {refused} afvist"),
            (S::RetentionCompactServed, Lang::En) => "erased from every tree and the journal; sled's own files keep old values until the store is rewritten: stop the server and run `triage compact`".into(),
            (S::RetentionCompactServed, Lang::Da) => "slettet fra alle træer og journalen; sleds egne filer beholder de gamle værdier, indtil lageret skrives om: stop serveren, og kør `triage compact`".into(),
            (S::RetentionCompacted, Lang::En) => "store rewritten: erased data is gone from its files. Its journal starts afresh, so a backup made before cannot be rolled forward: make a new one now (`triage backup FILE`)".into(),
            (S::RetentionCompacted, Lang::Da) => "lageret er skrevet om: de slettede data er væk fra dets filer. Dets journal begynder forfra, så en sikkerhedskopi fra før kan ikke rulles frem: tag en ny nu (`triage backup FIL`)".into(),
            (S::Checked(path), Lang::En) => format!("checked {path}"),
            (S::Checked(path), Lang::Da) => format!("kontrolleret {path}"),
            (S::AuditEntries(n), Lang::En) => format!("  audit entries  {n}"),
            (S::AuditEntries(n), Lang::Da) => format!("  {:<16} {n}", "revisionsposter"),
            (S::SearchIndex(line), Lang::En) => format!("  search index   {line}"),
            (S::SearchIndex(line), Lang::Da) => format!("  {:<16} {}", "søgeindeks", search_line_da(line)),
            (S::NoProblems, Lang::En) => "no problems found".into(),
            (S::NoProblems, Lang::Da) => "ingen problemer fundet".into(),
            (S::Problems(n), Lang::En) => format!("{n} problem(s):"),
            (S::Problems(1), Lang::Da) => "1 problem:".into(),
            (S::Problems(n), Lang::Da) => format!("{n} problemer:"),
            (S::RestoreHint, Lang::En) => "restore the latest good backup with `triage restore FILE --db NEW_PATH` (check it first: `triage check --backup FILE`)".into(),
            (S::RestoreHint, Lang::Da) => "gendan den seneste gode sikkerhedskopi med `triage restore FIL --db NY_STI` (kontrollér den først: `triage check --backup FIL`)".into(),
            (S::AuditVerified { entries, events, erased }, Lang::En) => format!("audit chain verified: {entries} entries, {events} events checked against their digests, {erased} erased cases"),
            (S::AuditVerified { entries, events, erased }, Lang::Da) => format!("revisionssporet er verificeret: {entries} poster, {events} hændelser kontrolleret mod deres hashværdier, {erased} slettede sager"),
            (S::AuditNotExtended { seq, problem }, Lang::En) => format!("audit chain does NOT extend the recorded head (entry {seq}): {problem}"),
            (S::AuditNotExtended { seq, problem }, Lang::Da) => format!("revisionssporet fortsætter IKKE det noterede slutpunkt (post {seq}): {problem}"),
            (S::AuditExtends { seq }, Lang::En) => format!("it extends the recorded head: entry {seq} has the recorded hash"),
            (S::AuditExtends { seq }, Lang::Da) => format!("det fortsætter det noterede slutpunkt: post {seq} har den noterede hashværdi"),
            (S::AuditBroken { seq, problem }, Lang::En) => format!("audit chain BROKEN at entry {seq}: {problem}"),
            (S::AuditBroken { seq, problem }, Lang::Da) => format!("revisionssporet er BRUDT ved post {seq}: {problem}"),
            (S::AuditBeforeBroken(n), Lang::En) => format!("  ({n} entries before it verified)"),
            (S::AuditBeforeBroken(n), Lang::Da) => format!("  ({n} poster før den er verificeret)"),
            (S::ArchivePackage { id, made, cases, from, to, approved }, Lang::En) => format!(
                "{id}  made {made}  {cases} cases  period {from}–{to}  {}",
                approved.map(|d| format!("approved {d}")).unwrap_or_else(|| "awaiting approval".into())
            ),
            (S::ArchivePackage { id, made, cases, from, to, approved }, Lang::Da) => format!(
                "{id}  dannet {made}  {cases} {}  periode {from}–{to}  {}",
                if *cases == 1 { "sag" } else { "sager" },
                approved.map(|d| format!("godkendt {d}")).unwrap_or_else(|| "afventer godkendelse".into())
            ),
            (S::NoArchivePackage, Lang::En) => "no archival version made yet".into(),
            (S::NoArchivePackage, Lang::Da) => "ingen arkiveringsversion dannet endnu".into(),
            (S::ArchiveVerified { path, files, tables, rows }, Lang::En) => format!("{path}: verified ({files} files, {tables} tables, {rows} rows; every MD5, the schemas, the indices and every row)"),
            (S::ArchiveVerified { path, files, tables, rows }, Lang::Da) => format!("{path}: verificeret ({files} filer, {tables} tabeller, {rows} rækker; alle MD5-værdier, skemaerne, indeksene og alle rækker)"),
            (S::ArchiveCreated { path, cases, bytes, md5 }, Lang::En) => format!("{path}: {cases} cases, {bytes} bytes of tables; fileIndex.xml MD5 {md5}"),
            (S::ArchiveCreated { path, cases, bytes, md5 }, Lang::Da) => format!(
                "{path}: {cases} {}, {bytes} byte i tabellerne; fileIndex.xml MD5 {md5}",
                if *cases == 1 { "sag" } else { "sager" }
            ),
            (S::ArchiveTableRows { name, rows }, Lang::En) => format!("  {name:<18} {rows} rows"),
            (S::ArchiveTableRows { name, rows: 1 }, Lang::Da) => format!("  {name:<18} 1 række"),
            (S::ArchiveTableRows { name, rows }, Lang::Da) => format!("  {name:<18} {rows} rækker"),
            (S::ArchiveDeliver { id }, Lang::En) => format!("Deliver it to the National Archives; when they approve it: triage archive receipt {id} --approved DATE"),
            (S::ArchiveDeliver { id }, Lang::Da) => format!("Aflevér den til Rigsarkivet; når de har godkendt den: triage archive receipt {id} --approved DATO"),
            (S::ArchiveReceiptUnverified { path, problem }, Lang::En) => format!("{path}: the package fails verification: {problem}; nothing was recorded"),
            (S::ArchiveReceiptUnverified { path, problem }, Lang::Da) => format!("{path}: pakken består ikke verificeringen: {problem}; intet er registreret"),
            (S::ArchiveReceipted { id, approved, cases }, Lang::En) => format!("{id} approved on {approved}: {cases} cases handed over; their deletion is due from that day (`triage retention`)"),
            (S::ArchiveReceipted { id, approved, cases: 1 }, Lang::Da) => format!("{id} godkendt {approved}: 1 sag afleveret; den skal slettes fra den dag (`triage retention`)"),
            (S::ArchiveReceipted { id, approved, cases }, Lang::Da) => format!("{id} godkendt {approved}: {cases} sager afleveret; de skal slettes fra den dag (`triage retention`)"),
            (S::ArchiveFetched(path), Lang::En) => format!("{path}: fetched and verified"),
            (S::ArchiveFetched(path), Lang::Da) => format!("{path}: hentet og verificeret"),
            (S::RestoredVerified(n), Lang::En) => format!("audit chain verified: {n} entries"),
            (S::RestoredVerified(n), Lang::Da) => format!("revisionssporet er verificeret: {n} poster"),
            (S::RestoredBroken { seq, problem }, Lang::En) => format!("warning: the restored audit chain is broken at entry {seq}: {problem}"),
            (S::RestoredBroken { seq, problem }, Lang::Da) => format!("advarsel: det gendannede revisionsspor er brudt ved post {seq}: {problem}"),
            (S::DpoMentions(n), Lang::En) => format!("## For the DPO, not part of the letter: other cases that mention the person ({n})"),
            (S::DpoMentions(n), Lang::Da) => format!("## Til databeskyttelsesrådgiveren, ikke en del af brevet: andre sager, der nævner personen ({n})"),
            (S::DpoNotWhole, Lang::En) => "Not the whole answer:".into(),
            (S::DpoNotWhole, Lang::Da) => "Ikke hele svaret:".into(),
            (S::NoCaseMatches, Lang::En) => "no case matches".into(),
            (S::NoCaseMatches, Lang::Da) => "ingen sager matcher".into(),
        }
    }
}

/// A tree of the store as `triage check` counts it, in `lang` (a name it does not know
/// stays as it is).
pub fn store_tree(lang: Lang, tree: &str) -> &str {
    if lang == Lang::En {
        return tree;
    }
    match tree {
        "cases" => "sager",
        "events" => "hændelser",
        "audit" => "revisionsspor",
        "access" => "adgangslog",
        "subjects" => "personer",
        "dedup" => "dubletter",
        "queue" => "kø",
        "order" => "rækkefølge",
        "drafts" => "kladder",
        "meta" => "metadata",
        "erased cases" => "slettede sager",
        other => other,
    }
}

/// The search index's line of `triage check` in Danish, for the usual states; any other
/// (a failure, with the index's own words) stays as the index said it.
fn search_line_da(line: &str) -> String {
    if line == "none yet (built when the store is next opened)" {
        return "intet endnu (bygges, næste gang lageret åbnes)".into();
    }
    if line == "of an older version (rebuilt when the store is next opened)" {
        return "fra en ældre version (bygges igen, næste gang lageret åbnes)".into();
    }
    let Some((docs, rest)) = line.split_once(" cases indexed, ") else {
        return line.to_string();
    };
    if docs.parse::<u64>().is_err() {
        return line.to_string();
    }
    if rest == "in step with the store" {
        return format!("{docs} sager indekseret, i takt med lageret");
    }
    if let Some(behind) = rest
        .strip_suffix(" changed case(s) behind (caught up when the store is next opened)")
        .filter(|b| b.parse::<u64>().is_ok())
    {
        return format!("{docs} sager indekseret, {behind} ændrede sager bagud (indhentes, næste gang lageret åbnes)");
    }
    line.to_string()
}

/// A case's step toward the archives and deletion, as `triage retention` lists it: the
/// step's id in English, words in Danish.
pub fn retention_step(lang: Lang, s: Step) -> &'static str {
    match (lang, s) {
        (Lang::En, _) => s.as_id(),
        (Lang::Da, Step::Open) => "åben",
        (Lang::Da, Step::PeriodRunning) => "i perioden",
        (Lang::Da, Step::PackageDue) => "skal pakkes",
        (Lang::Da, Step::Packaged) => "pakket",
        (Lang::Da, Step::Approved) => "godkendt",
        (Lang::Da, Step::AssessmentDue) => "skal vurderes",
        (Lang::Da, Step::DeletionDue) => "skal slettes",
        (Lang::Da, Step::Held) => "tilbageholdt",
    }
}

/// What an applied retention run did to one case (`retention::apply`'s note), in `lang`.
pub fn retention_outcome(lang: Lang, applied: &str) -> String {
    if lang == Lang::En {
        return applied.to_string();
    }
    match applied {
        "erased" => "slettet".into(),
        "nothing to do" => "intet at gøre".into(),
        other => match other.strip_prefix("refused: ") {
            Some(why) => format!("afvist: {why}"),
            None => other.to_string(),
        },
    }
}

/// Why retention lists a closed case where it does, in `lang`: the decision's own
/// sentence in English ([`handover::decide`]); in Danish one made from the same case,
/// policy and archive register. None when the case's purpose has no retention rule.
pub fn retention_decision(
    lang: Lang,
    case: &Case,
    policy: &Policy,
    today: NaiveDate,
    archive: ArchiveState,
) -> Option<String> {
    let decision = handover::decide(case, policy, today, archive)?;
    if lang == Lang::En {
        return Some(decision.reason);
    }
    let rule = policy.purpose(case.purpose.as_deref()?)?.retention;
    let clock = clock::retention_clock(case, policy, today)?;
    let from_clock = || super::i18n::retention_reason(lang, &clock);
    Some(match (decision.step, archive) {
        (Step::DeletionDue, _) if !handover::goes_to_archives(rule) => {
            match (rule, clock.closed, clock.deletion_due) {
                (RetentionRule::DeleteAfterYears { years }, Some(closed), Some(due)) => {
                    format!("lukket {closed}; opbevaringsperioden på {years} år udløb {due}; slet sagen")
                }
                _ => from_clock(),
            }
        }
        (Step::PackageDue, _) => format!(
            "arkivperioden sluttede{}; sagen er endnu ikke i en arkiveringsversion (`triage archive create`), så intet slettes",
            clock.handover_due.map(|d| format!(" {d}")).unwrap_or_default()
        ),
        (Step::Packaged, _) => "i en arkiveringsversion, der afventer Rigsarkivets godkendelse (`triage archive receipt`); intet slettes før da".into(),
        (Step::DeletionDue, ArchiveState::Approved(on)) => {
            format!("Rigsarkivet godkendte arkiveringsversionen {on}; slet myndighedens kopi")
        }
        _ => from_clock(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_is_the_display_and_danish_differs() {
        let e = CliError::NeedsReason { what: "close" };
        assert_eq!(e.to_string(), "close: give the reason with --why \"…\"");
        let da = e.text(Lang::Da);
        assert!(da.contains("begrundelsen") && !da.contains("give"), "{da}");
        let b = BadReference("x".into());
        assert!(bad_reference(Lang::Da, &b).contains("ikke et sagsnummer"));
        assert_eq!(bad_reference(Lang::En, &b), b.to_string());
    }

    #[test]
    fn the_reports_lines_keep_their_english_and_say_it_in_danish() {
        let day = NaiveDate::from_ymd_opt(2027, 12, 1).unwrap();
        let lines = [
            Say::RetentionWillErase { n: 2, today: day },
            Say::RetentionConfirm,
            Say::RetentionSummary {
                today: day,
                package_due: 1,
                packaged: 0,
                deletion_due: 2,
                assessment_due: 0,
                held: 0,
            },
            Say::RetentionApplied {
                erased: 2,
                refused: 0,
            },
            Say::RetentionCompactServed,
            Say::RetentionCompacted,
            Say::Checked("/srv/db"),
            Say::AuditEntries(7),
            Say::SearchIndex("3 cases indexed, in step with the store"),
            Say::NoProblems,
            Say::Problems(2),
            Say::RestoreHint,
            Say::AuditVerified {
                entries: 7,
                events: 6,
                erased: 0,
            },
            Say::AuditNotExtended {
                seq: 3,
                problem: "x",
            },
            Say::AuditExtends { seq: 3 },
            Say::AuditBroken {
                seq: 3,
                problem: "x",
            },
            Say::AuditBeforeBroken(2),
            Say::ArchivePackage {
                id: "AVID.SA.18000",
                made: day,
                cases: 1,
                from: day,
                to: day,
                approved: None,
            },
            Say::NoArchivePackage,
            Say::NoCaseMatches,
        ];
        for l in &lines {
            assert_ne!(l.text(Lang::En), l.text(Lang::Da));
        }
        // English as it always was.
        assert_eq!(lines[7].text(Lang::En), "  audit entries  7");
        assert_eq!(
            lines[8].text(Lang::En),
            "  search index   3 cases indexed, in step with the store"
        );
        assert_eq!(lines[10].text(Lang::En), "2 problem(s):");
        assert_eq!(
            lines[17].text(Lang::En),
            "AVID.SA.18000  made 2027-12-01  1 cases  period 2027-12-01–2027-12-01  awaiting approval"
        );
        // The archive's, the restore's and the DPO's lines: English as it was, Danish apart.
        let more = [
            Say::ArchiveVerified {
                path: "/p/AVID.SA.18000.1",
                files: 40,
                tables: 12,
                rows: 90,
            },
            Say::ArchiveCreated {
                path: "/p/AVID.SA.18000.1",
                cases: 2,
                bytes: 100,
                md5: "AB",
            },
            Say::ArchiveTableRows {
                name: "cases",
                rows: 2,
            },
            Say::ArchiveDeliver {
                id: "AVID.SA.18000",
            },
            Say::ArchiveReceiptUnverified {
                path: "/p/AVID.SA.18000.1",
                problem: "x",
            },
            Say::ArchiveReceipted {
                id: "AVID.SA.18000",
                approved: day,
                cases: 2,
            },
            Say::ArchiveFetched("/p/AVID.SA.18000.1"),
            Say::RestoredVerified(7),
            Say::RestoredBroken {
                seq: 3,
                problem: "x",
            },
            Say::DpoMentions(4),
            Say::DpoNotWhole,
        ];
        for l in &more {
            assert_ne!(l.text(Lang::En), l.text(Lang::Da));
        }
        let en: Vec<String> = more.iter().map(|l| l.text(Lang::En)).collect();
        assert_eq!(en[0], "/p/AVID.SA.18000.1: verified (40 files, 12 tables, 90 rows; every MD5, the schemas, the indices and every row)");
        assert_eq!(
            en[1],
            "/p/AVID.SA.18000.1: 2 cases, 100 bytes of tables; fileIndex.xml MD5 AB"
        );
        assert_eq!(en[2], "  cases              2 rows");
        assert_eq!(en[3], "Deliver it to the National Archives; when they approve it: triage archive receipt AVID.SA.18000 --approved DATE");
        assert_eq!(
            en[4],
            "/p/AVID.SA.18000.1: the package fails verification: x; nothing was recorded"
        );
        assert_eq!(en[5], "AVID.SA.18000 approved on 2027-12-01: 2 cases handed over; their deletion is due from that day (`triage retention`)");
        assert_eq!(en[6], "/p/AVID.SA.18000.1: fetched and verified");
        assert_eq!(en[7], "audit chain verified: 7 entries");
        assert_eq!(
            en[8],
            "warning: the restored audit chain is broken at entry 3: x"
        );
        assert_eq!(
            en[9],
            "## For the DPO, not part of the letter: other cases that mention the person (4)"
        );
        assert_eq!(en[10], "Not the whole answer:");
        assert_eq!(
            more[6].text(Lang::Da),
            "/p/AVID.SA.18000.1: hentet og verificeret"
        );
        assert_eq!(
            more[7].text(Lang::Da),
            "revisionssporet er verificeret: 7 poster"
        );
        assert_eq!(Say::Problems(1).text(Lang::Da), "1 problem:");
        assert_eq!(lines[10].text(Lang::Da), "2 problemer:");
        // The index's line in Danish for its usual states; anything else as it came.
        assert_eq!(
            search_line_da("4 cases indexed, 2 changed case(s) behind (caught up when the store is next opened)"),
            "4 sager indekseret, 2 ændrede sager bagud (indhentes, næste gang lageret åbnes)"
        );
        assert_eq!(search_line_da("does not open: gone"), "does not open: gone");
        assert_eq!(retention_step(Lang::En, Step::DeletionDue), "deletion-due");
        assert_eq!(retention_step(Lang::Da, Step::DeletionDue), "skal slettes");
        assert_eq!(retention_outcome(Lang::Da, "refused: x"), "afvist: x");
        assert_eq!(retention_outcome(Lang::En, "refused: x"), "refused: x");
        assert_eq!(store_tree(Lang::Da, "erased cases"), "slettede sager");
        assert_eq!(store_tree(Lang::En, "erased cases"), "erased cases");
    }
}
