//! The CLI's own refusals of its input (a missing option, an unknown name, a step not confirmed), in English and Danish.

use super::i18n::Lang;
use crate::domain::enquiry::{BadReference, Reference};
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
}
