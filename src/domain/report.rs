//! Reports as plain data: the Art. 15 access answer, the Art. 30 record, disclosures, deadlines and rulings, with Markdown in English or Danish.
//!
//! Everything here is pure: the CLI (or the interface) loads the cases, asks the clocks and
//! the audit log, and hands the results in. Every fixed text is in [`EN`] or [`DA`], one
//! table per language, so a translation is checked in one place.

use super::basis::{BasisKind, LegalBasis};
use super::case::{Case, Disclosure, DisclosureKind, Outcome, Ruling};
use super::category::DataCategory;
use super::clock::{self, RetentionState};
use super::cpr::{cprs_in_text, mask_cprs_except, plausible_birth_date};
use super::enquiry::{Channel, Enquiry, Language, Reference, RightKind, Sender};
use super::policy::{Policy, Recipient, Region, RetentionRule};
use super::sanitize::{sanitize_line, sanitize_text};
use crate::domain::danish_time::DanishDay;
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::Serialize;
use std::collections::BTreeSet;

// ---------------------------------------------------------------------------------------
// Subject identifiers

/// How a person is looked up: the keys of the store's subject index.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SubjectId {
    /// Ten digits, DDMMYYSSSS.
    Cpr(String),
    /// Lower-cased.
    Email(String),
    /// Lower-cased, whitespace collapsed.
    NameAddress { name: String, address: String },
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a subject identifier: give cpr:DDMMYY-SSSS, email:someone@example.dk or \"name:Full Name|Street 1, 1234 Town\"")]
pub struct BadSubject(pub String);

impl SubjectId {
    /// Parses `cpr:…`, `email:…`, `name:NAME|ADDRESS`, or a bare CPR number or e-mail address.
    pub fn parse(s: &str) -> Result<SubjectId, BadSubject> {
        let bad = || BadSubject(s.to_string());
        let t = s.trim();
        if let Some(rest) = t.strip_prefix("cpr:") {
            return cpr_digits(rest).map(SubjectId::Cpr).ok_or_else(bad);
        }
        if let Some(rest) = t.strip_prefix("email:") {
            return email_norm(rest).map(SubjectId::Email).ok_or_else(bad);
        }
        if let Some(rest) = t.strip_prefix("name:") {
            let (name, address) = rest.split_once('|').ok_or_else(bad)?;
            let (name, address) = (words_norm(name), words_norm(address));
            if name.is_empty() || address.is_empty() {
                return Err(bad());
            }
            return Ok(SubjectId::NameAddress { name, address });
        }
        if let Some(d) = cpr_digits(t) {
            return Ok(SubjectId::Cpr(d));
        }
        email_norm(t).map(SubjectId::Email).ok_or_else(bad)
    }

    /// The key in the subject index (`cpr:DDMMYYSSSS`, `email:lower`, `name:name|address`).
    pub fn key(&self) -> String {
        match self {
            SubjectId::Cpr(d) => format!("cpr:{d}"),
            SubjectId::Email(m) => format!("email:{m}"),
            SubjectId::NameAddress { name, address } => format!("name:{name}|{address}"),
        }
    }

    /// A short digest of the key, for the audit log: the identifier itself is personal data.
    pub fn digest(&self) -> String {
        blake3::hash(self.key().as_bytes()).to_hex()[..16].to_string()
    }

    /// For the report's heading: the CPR number masked, the rest as given.
    pub fn shown(&self) -> String {
        match self {
            SubjectId::Cpr(d) => format!("{}-XXXX", &d[..6]),
            SubjectId::Email(m) => m.clone(),
            SubjectId::NameAddress { name, address } => format!("{name}, {address}"),
        }
    }
}

fn words_norm(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Ten digits that form a plausible CPR number (a real day of birth), with or without the
/// hyphen; anything else is refused rather than guessed at.
fn cpr_digits(s: &str) -> Option<String> {
    let t = s.trim();
    let digits: String = t.chars().filter(|c| c.is_ascii_digit()).collect();
    let shape_ok = t
        .chars()
        .all(|c| c.is_ascii_digit() || c == '-' || c == ' ')
        && t.chars().filter(|c| *c == '-').count() <= 1;
    (shape_ok && digits.len() == 10 && plausible_birth_date(&digits)).then_some(digits)
}

fn email_norm(s: &str) -> Option<String> {
    let m = s.trim().to_lowercase();
    let (local, domain) = m.split_once('@')?;
    (!local.is_empty() && domain.contains('.') && !m.contains(char::is_whitespace)).then_some(m)
}

/// The index keys of a sender: CPR number, e-mail, name with address.
pub fn sender_keys(sender: &Sender) -> Vec<String> {
    let mut keys = Vec::new();
    if let Some(cpr) = &sender.cpr {
        let digits: String = cpr.chars().filter(|c| c.is_ascii_digit()).collect();
        if digits.len() == 10 {
            keys.push(format!("cpr:{digits}"));
        }
    }
    if let Some(mail) = &sender.email {
        let m = mail.trim().to_lowercase();
        if !m.is_empty() {
            keys.push(format!("email:{m}"));
        }
    }
    if let Some(addr) = &sender.address {
        let (name, addr) = (words_norm(&sender.name), words_norm(addr));
        if !name.is_empty() && !addr.is_empty() {
            keys.push(format!("name:{name}|{addr}"));
        }
    }
    keys
}

/// Every index key of an enquiry: the sender's, and the CPR numbers written in its subject
/// or text (the person mentioned is a data subject too).
pub fn enquiry_keys(e: &Enquiry) -> Vec<String> {
    let mut keys = sender_keys(&e.sender);
    for text in [&e.subject, &e.body] {
        for hit in cprs_in_text(text) {
            let k = format!("cpr:{}", hit.digits);
            if !keys.contains(&k) {
                keys.push(k);
            }
        }
    }
    keys
}

// ---------------------------------------------------------------------------------------
// Rights requests

/// The request `this` may repeat: the latest earlier request of the same person for the
/// same right received within `window_days` before it (same day: the lower reference is
/// the earlier). Later requests never count, so the first of a series is never flagged.
/// `others` are the person's other cases: (reference, right invoked, day received).
pub fn duplicate_of(
    this: Reference,
    right: RightKind,
    received: NaiveDate,
    window_days: u32,
    others: &[(Reference, Option<RightKind>, NaiveDate)],
) -> Option<Reference> {
    others
        .iter()
        .filter(|(reference, r, d)| {
            *r == Some(right)
                && (*d, *reference) < (received, this)
                && (received - *d).num_days() <= i64::from(window_days)
        })
        .max_by_key(|(reference, _, d)| (*d, *reference))
        .map(|(reference, _, _)| *reference)
}

// ---------------------------------------------------------------------------------------
// The fixed texts, one table per language

/// Every fixed text of the reports. `{name}` marks where a value goes.
pub struct Texts {
    pub months: [&'static str; 12],
    pub date_pattern: &'static str,
    // The access answer.
    pub access_title: &'static str,
    pub intro: &'static str,
    pub date_label: &'static str,
    pub concerning: &'static str,
    pub controller: &'static str,
    pub dpo: &'static str,
    pub none_found: &'static str,
    pub case_heading: &'static str,
    pub received_line: &'static str,
    pub role_sender: &'static str,
    pub role_mentioned: &'static str,
    pub a_heading: &'static str,
    pub purpose_undecided: &'static str,
    pub legal_basis: &'static str,
    pub b_heading: &'static str,
    pub unclassified: &'static str,
    pub c_heading: &'static str,
    pub no_recipients: &'static str,
    pub disclosed: &'static str,
    pub forwarded: &'static str,
    pub employer_notice: &'static str,
    pub transfer: &'static str,
    pub no_transfer: &'static str,
    pub d_heading: &'static str,
    pub retention_archive_delete: &'static str,
    pub retention_archive_assess: &'static str,
    pub retention_delete_years: &'static str,
    pub retention_undecided: &'static str,
    pub retention_open: &'static str,
    pub retention_handover_due: &'static str,
    pub retention_handed_over: &'static str,
    pub retention_delete_on: &'static str,
    pub retention_kept: &'static str,
    pub retention_hold: &'static str,
    pub e_heading: &'static str,
    pub rights_intro: &'static str,
    pub right_rectification: &'static str,
    pub right_erasure: &'static str,
    pub right_restriction: &'static str,
    pub right_objection: &'static str,
    pub rights_ruling: &'static str,
    pub rights_contact: &'static str,
    pub f_heading: &'static str,
    pub complaint: &'static str,
    pub g_heading: &'static str,
    pub source_sender: &'static str,
    pub source_mentioned: &'static str,
    pub source_purpose: &'static str,
    pub copy_heading: &'static str,
    pub name: &'static str,
    pub email: &'static str,
    pub phone: &'static str,
    pub address: &'static str,
    pub cpr: &'static str,
    pub subject: &'static str,
    pub text: &'static str,
    pub attachments: &'static str,
    pub sender_withheld: &'static str,
    pub decision_heading: &'static str,
    pub request_line: &'static str,
    pub decided_line: &'static str,
    pub granted: &'static str,
    pub partly_granted: &'static str,
    pub refused: &'static str,
    pub reasons: &'static str,
    pub ground: &'static str,
    pub article: &'static str,
    pub right_names: [&'static str; 5],
    pub channels: [&'static str; 6],
    pub log_heading: &'static str,
    pub log_intro: &'static str,
    pub log_empty: &'static str,
    pub log_open: &'static str,
    pub log_reveal: &'static str,
    pub log_search: &'static str,
    pub log_export: &'static str,
    pub log_report: &'static str,
    // The ruling.
    pub ruling_title: &'static str,
    pub ruling_received: &'static str,
    pub ruling_granted_only: &'static str,
    // The record of processing activities.
    pub ropa_title: &'static str,
    pub supervisory: &'static str,
    pub activities: &'static str,
    pub purpose: &'static str,
    pub data_subjects: &'static str,
    pub categories: &'static str,
    pub sources: &'static str,
    pub erasure_limit: &'static str,
    pub recipients: &'static str,
    pub restricted_note: &'static str,
    pub transfers: &'static str,
    pub transfer_case_by_case: &'static str,
    pub no_transfers: &'static str,
    pub security: &'static str,
    pub regions: [&'static str; 4],
    // Disclosures and deadlines.
    pub disclosures_title: &'static str,
    pub period: &'static str,
    pub no_disclosures: &'static str,
    pub col_case: &'static str,
    pub col_recipient: &'static str,
    pub col_kind: &'static str,
    pub col_justification: &'static str,
    pub col_made_by: &'static str,
    pub col_withdrawn: &'static str,
    pub kinds: [&'static str; 3],
    pub deadlines_title: &'static str,
    pub deadline_states: [&'static str; 5],
    pub col_received: &'static str,
    pub col_due: &'static str,
    pub col_countdown: &'static str,
    pub col_assignee: &'static str,
    pub col_notes: &'static str,
    pub note_paused: &'static str,
    pub note_extended: &'static str,
    pub note_complaint: &'static str,
    pub note_duplicate: &'static str,
    pub none: &'static str,
}

pub const EN: Texts = Texts {
    months: [
        "January", "February", "March", "April", "May", "June", "July", "August", "September",
        "October", "November", "December",
    ],
    date_pattern: "{day} {month} {year}",
    access_title: "Access to your personal data (GDPR Article 15)",
    intro: "You asked for access to the personal data {authority} processes about you. For each case below you will find the purpose and legal basis, the categories of data, the recipients, how long the data is kept and where it came from, followed by a copy of the data. Your rights and where you can complain are described at the end.",
    date_label: "Date",
    concerning: "Concerning",
    controller: "Data controller",
    dpo: "Data protection officer",
    none_found: "This answer covers no case with personal data about you.",
    case_heading: "Case {reference}",
    received_line: "Received on {date} by {channel}.",
    role_sender: "You wrote to us.",
    role_mentioned: "You are mentioned in an enquiry from another person.",
    a_heading: "(a) Purpose and legal basis",
    purpose_undecided: "The purpose has not been decided yet: the enquiry is being registered.",
    legal_basis: "Legal basis",
    b_heading: "(b) Categories of personal data",
    unclassified: "The case has not been classified yet; the data is the content of the enquiry shown in the copy below.",
    c_heading: "(c) Recipients",
    no_recipients: "The data has not been disclosed to anyone.",
    disclosed: "{recipient}: disclosed on {date} ({bases})",
    forwarded: "{recipient}: forwarded on {date} as the competent authority ({bases})",
    employer_notice: "{recipient}: told on {date} that the residence permit has ended ({bases})",
    transfer: "Transfer outside the EU/EEA or to an international organisation; safeguard: {transfer}",
    no_transfer: "None of the data has been transferred to a country outside the EU/EEA or to an international organisation.",
    d_heading: "(d) How long the data is kept",
    retention_archive_delete: "We keep the case while it is needed for its purpose and hand it over to the Danish National Archives at the end of the archive period in which it is closed (archive periods of {years} years, counted from {start}); after that we delete our copy.",
    retention_archive_assess: "We keep the case while it is needed for its purpose and hand it over to the Danish National Archives at the end of the archive period in which it is closed (archive periods of {years} years, counted from {start}). After that we make a specific assessment of whether we need to keep a copy, for example for a later request for renewed consideration; if not, we delete it.",
    retention_delete_years: "We delete the data {years} years after the case is closed.",
    retention_undecided: "The retention period follows from the purpose once it is decided: cases are handed over to the Danish National Archives at the end of their archive period and then deleted.",
    retention_open: "The case is still open; the period runs from when it is closed.",
    retention_handover_due: "The case is due to be handed over to the Danish National Archives on {date}.",
    retention_handed_over: "The case was handed over to the Danish National Archives on {date}.",
    retention_delete_on: "The data is due to be deleted on {date}.",
    retention_kept: "After a specific assessment we keep a copy until {date}, when we assess it again.",
    retention_hold: "Deletion is postponed while the data may be needed to establish, exercise or defend legal claims.",
    e_heading: "(e) Your rights",
    rights_intro: "Under the General Data Protection Regulation you have the right to:",
    right_rectification: "have inaccurate data about you rectified (Article 16)",
    right_erasure: "have data about you erased in certain cases (Article 17)",
    right_restriction: "have the processing of your data restricted in certain cases (Article 18)",
    right_objection: "object to our processing of your data (Article 21)",
    rights_ruling: "If we refuse a request in whole or in part, you will receive a written ruling with the reasons and the legal ground.",
    rights_contact: "To exercise your rights, write to {authority}, {address}, or contact our data protection officer: {dpo}.",
    f_heading: "(f) Complaint to the Danish Data Protection Agency",
    complaint: "You have the right to lodge a complaint with the Danish Data Protection Agency (Datatilsynet) if you are dissatisfied with the way we process your personal data: {agency}.",
    g_heading: "(g) Where the data came from",
    source_sender: "You gave us the data yourself: the enquiry reached us by {channel} on {date}.",
    source_mentioned: "The data reached us in an enquiry received by {channel} on {date}.",
    source_purpose: "Sources in cases of this kind: {source}.",
    copy_heading: "Copy of the personal data",
    name: "Name",
    email: "E-mail",
    phone: "Phone",
    address: "Address",
    cpr: "CPR number",
    subject: "Subject",
    text: "Text",
    attachments: "Attachments",
    sender_withheld: "The sender's own details are another person's data and are not included.",
    decision_heading: "Decision",
    request_line: "Request: {right} (GDPR Article {article})",
    decided_line: "Decided on {date}: {outcome}",
    granted: "granted",
    partly_granted: "partly granted",
    refused: "refused",
    reasons: "Reasons",
    ground: "Legal ground",
    article: "GDPR Article {article}",
    right_names: ["access", "rectification", "erasure", "restriction of processing", "objection"],
    channels: ["e-Boks", "e-mail", "letter", "phone", "contact form", "in person"],
    log_heading: "Log of reads of your data",
    log_intro: "When and how your data was read in our case system. Who read it is not shown.",
    log_empty: "No reads are logged.",
    log_open: "the case was opened",
    log_reveal: "the CPR number was shown",
    log_search: "a search found your data",
    log_export: "the case was exported",
    log_report: "your data was included in a report",
    ruling_title: "Decision on your request under the General Data Protection Regulation",
    ruling_received: "We received your request on {date} (our reference {reference}).",
    ruling_granted_only: "Your request is granted in full.",
    ropa_title: "Record of processing activities (GDPR Article 30)",
    supervisory: "Supervisory authority",
    activities: "Processing activities",
    purpose: "Purpose",
    data_subjects: "Categories of data subjects",
    categories: "Categories of personal data",
    sources: "Sources",
    erasure_limit: "Time limit for erasure",
    recipients: "Categories of recipients",
    restricted_note: "disclosures here are withheld from access answers (Article 23)",
    transfers: "Transfers to third countries and international organisations",
    transfer_case_by_case: "{recipient} ({region}): case by case, with the safeguard recorded on each disclosure (GDPR Articles 45–49)",
    no_transfers: "No transfers.",
    security: "Technical and organisational security measures (Article 32)",
    regions: ["Denmark", "EU/EEA", "International organisation in the EU/EEA", "Outside the EU/EEA"],
    disclosures_title: "Disclosures",
    period: "Period: {from} to {to}",
    no_disclosures: "No disclosures.",
    col_case: "Case",
    col_recipient: "Recipient",
    col_kind: "Kind",
    col_justification: "Justification",
    col_made_by: "Made by",
    col_withdrawn: "Withdrawn",
    kinds: ["disclosure", "forwarding", "employer notice"],
    deadlines_title: "Open cases by deadline",
    deadline_states: ["Overdue", "Due today", "Due within 7 days", "Due later", "No deadline"],
    col_received: "Received",
    col_due: "Due",
    col_countdown: "Countdown",
    col_assignee: "Assignee",
    col_notes: "Notes",
    note_paused: "clock paused",
    note_extended: "extended (Article 12(3))",
    note_complaint: "§ 39 complaint date {date}",
    note_duplicate: "possible duplicate of {reference}",
    none: "none",
};

pub const DA: Texts = Texts {
    months: [
        "januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september",
        "oktober", "november", "december",
    ],
    date_pattern: "{day}. {month} {year}",
    access_title: "Indsigt i dine personoplysninger (databeskyttelsesforordningens artikel 15)",
    intro: "Du har bedt om indsigt i de personoplysninger, {authority} behandler om dig. Nedenfor kan du for hver sag se formål og retsgrundlag, kategorier af oplysninger, modtagere, hvor længe oplysningerne opbevares, og hvor de stammer fra, efterfulgt af en kopi af oplysningerne. Til sidst beskrives dine rettigheder, og hvor du kan klage.",
    date_label: "Dato",
    concerning: "Vedrørende",
    controller: "Dataansvarlig",
    dpo: "Databeskyttelsesrådgiver",
    none_found: "Dette svar omfatter ingen sager med personoplysninger om dig.",
    case_heading: "Sag {reference}",
    received_line: "Modtaget den {date} via {channel}.",
    role_sender: "Du har selv henvendt dig.",
    role_mentioned: "Du er nævnt i en henvendelse fra en anden person.",
    a_heading: "(a) Formål og retsgrundlag",
    purpose_undecided: "Formålet er endnu ikke fastlagt: henvendelsen er ved at blive registreret.",
    legal_basis: "Retsgrundlag",
    b_heading: "(b) Kategorier af personoplysninger",
    unclassified: "Sagen er endnu ikke klassificeret; oplysningerne er indholdet af henvendelsen, som ses i kopien nedenfor.",
    c_heading: "(c) Modtagere",
    no_recipients: "Oplysningerne er ikke videregivet til andre.",
    disclosed: "{recipient}: videregivet den {date} ({bases})",
    forwarded: "{recipient}: videresendt den {date} som rette myndighed ({bases})",
    employer_notice: "{recipient}: underrettet den {date} om, at opholdstilladelsen er ophørt ({bases})",
    transfer: "Overførsel til et land uden for EU/EØS eller til en international organisation; garanti: {transfer}",
    no_transfer: "Ingen af oplysningerne er overført til et land uden for EU/EØS eller til en international organisation.",
    d_heading: "(d) Hvor længe oplysningerne opbevares",
    retention_archive_delete: "Vi opbevarer sagen, så længe den er nødvendig for formålet, og afleverer den til Rigsarkivet ved udgangen af den arkivperiode, hvor den afsluttes (arkivperioder på {years} år regnet fra {start}); derefter sletter vi vores kopi.",
    retention_archive_assess: "Vi opbevarer sagen, så længe den er nødvendig for formålet, og afleverer den til Rigsarkivet ved udgangen af den arkivperiode, hvor den afsluttes (arkivperioder på {years} år regnet fra {start}). Derefter foretager vi en konkret vurdering af, om vi har brug for at beholde en kopi, fx i forbindelse med en senere anmodning om genoptagelse; hvis ikke, sletter vi den.",
    retention_delete_years: "Vi sletter oplysningerne {years} år efter, at sagen er afsluttet.",
    retention_undecided: "Opbevaringsperioden følger af formålet, når det er fastlagt: sager afleveres til Rigsarkivet ved udgangen af deres arkivperiode og slettes derefter.",
    retention_open: "Sagen er endnu ikke afsluttet; perioden regnes fra afslutningen.",
    retention_handover_due: "Sagen skal afleveres til Rigsarkivet den {date}.",
    retention_handed_over: "Sagen blev afleveret til Rigsarkivet den {date}.",
    retention_delete_on: "Oplysningerne skal slettes den {date}.",
    retention_kept: "Efter en konkret vurdering beholder vi en kopi indtil den {date}, hvor vi vurderer det igen.",
    retention_hold: "Sletningen er udsat, så længe oplysningerne kan være nødvendige for, at et retskrav kan fastlægges, gøres gældende eller forsvares.",
    e_heading: "(e) Dine rettigheder",
    rights_intro: "Efter databeskyttelsesforordningen har du ret til:",
    right_rectification: "at få urigtige oplysninger om dig berigtiget (artikel 16)",
    right_erasure: "at få oplysninger om dig slettet i visse tilfælde (artikel 17)",
    right_restriction: "at få behandlingen af dine oplysninger begrænset i visse tilfælde (artikel 18)",
    right_objection: "at gøre indsigelse mod vores behandling af dine oplysninger (artikel 21)",
    rights_ruling: "Hvis vi helt eller delvist afslår en anmodning, får du en skriftlig afgørelse med begrundelse og hjemmel.",
    rights_contact: "Hvis du vil gøre brug af dine rettigheder, kan du skrive til {authority}, {address}, eller kontakte vores databeskyttelsesrådgiver: {dpo}.",
    f_heading: "(f) Klage til Datatilsynet",
    complaint: "Du har ret til at indgive en klage til Datatilsynet, hvis du er utilfreds med den måde, vi behandler dine personoplysninger på: {agency}.",
    g_heading: "(g) Hvor oplysningerne stammer fra",
    source_sender: "Du har selv givet os oplysningerne: henvendelsen kom til os via {channel} den {date}.",
    source_mentioned: "Oplysningerne kom til os i en henvendelse, der blev modtaget via {channel} den {date}.",
    source_purpose: "Kilder i sager af denne type: {source}.",
    copy_heading: "Kopi af personoplysningerne",
    name: "Navn",
    email: "E-mail",
    phone: "Telefon",
    address: "Adresse",
    cpr: "CPR-nummer",
    subject: "Emne",
    text: "Tekst",
    attachments: "Bilag",
    sender_withheld: "Afsenderens egne oplysninger er en anden persons oplysninger og er ikke medtaget.",
    decision_heading: "Afgørelse",
    request_line: "Anmodning: {right} (databeskyttelsesforordningens artikel {article})",
    decided_line: "Afgjort den {date}: {outcome}",
    granted: "imødekommet",
    partly_granted: "delvist imødekommet",
    refused: "afslået",
    reasons: "Begrundelse",
    ground: "Hjemmel",
    article: "databeskyttelsesforordningens artikel {article}",
    right_names: ["indsigt", "berigtigelse", "sletning", "begrænsning af behandling", "indsigelse"],
    channels: ["e-Boks", "e-mail", "brev", "telefon", "kontaktformular", "personligt fremmøde"],
    log_heading: "Log over opslag i dine oplysninger",
    log_intro: "Hvornår og hvordan dine oplysninger er blevet læst i vores sagssystem. Det fremgår ikke, hvem der har læst dem.",
    log_empty: "Der er ikke logget nogen opslag.",
    log_open: "sagen blev åbnet",
    log_reveal: "CPR-nummeret blev vist",
    log_search: "en søgning fandt dine oplysninger",
    log_export: "sagen blev eksporteret",
    log_report: "dine oplysninger indgik i en rapport",
    ruling_title: "Afgørelse om din anmodning efter databeskyttelsesforordningen",
    ruling_received: "Vi modtog din anmodning den {date} (vores sagsnummer {reference}).",
    ruling_granted_only: "Din anmodning er imødekommet fuldt ud.",
    ropa_title: "Fortegnelse over behandlingsaktiviteter (databeskyttelsesforordningens artikel 30)",
    supervisory: "Tilsynsmyndighed",
    activities: "Behandlingsaktiviteter",
    purpose: "Formål",
    data_subjects: "Kategorier af registrerede",
    categories: "Kategorier af personoplysninger",
    sources: "Kilder",
    erasure_limit: "Tidsfrist for sletning",
    recipients: "Kategorier af modtagere",
    restricted_note: "videregivelser hertil undtages fra indsigt (artikel 23)",
    transfers: "Overførsler til tredjelande og internationale organisationer",
    transfer_case_by_case: "{recipient} ({region}): efter konkret vurdering, med den garanti, der registreres ved hver videregivelse (databeskyttelsesforordningens artikel 45-49)",
    no_transfers: "Ingen overførsler.",
    security: "Tekniske og organisatoriske sikkerhedsforanstaltninger (artikel 32)",
    regions: ["Danmark", "EU/EØS", "International organisation i EU/EØS", "Uden for EU/EØS"],
    disclosures_title: "Videregivelser",
    period: "Periode: {from} til {to}",
    no_disclosures: "Ingen videregivelser.",
    col_case: "Sag",
    col_recipient: "Modtager",
    col_kind: "Type",
    col_justification: "Begrundelse",
    col_made_by: "Foretaget af",
    col_withdrawn: "Tilbagekaldt",
    kinds: ["videregivelse", "videresendelse", "underretning af arbejdsgiver"],
    deadlines_title: "Åbne sager efter frist",
    deadline_states: ["Overskredet", "Frist i dag", "Frist inden for 7 dage", "Frist senere", "Ingen frist"],
    col_received: "Modtaget",
    col_due: "Frist",
    col_countdown: "Nedtælling",
    col_assignee: "Sagsbehandler",
    col_notes: "Bemærkninger",
    note_paused: "fristen er stillet i bero",
    note_extended: "forlænget (artikel 12, stk. 3)",
    note_complaint: "klage efter § 39 mulig fra {date}",
    note_duplicate: "mulig gentagelse af {reference}",
    none: "ingen",
};

pub fn texts(lang: Language) -> &'static Texts {
    match lang {
        Language::En => &EN,
        Language::Da => &DA,
    }
}

fn lang_id(lang: Language) -> &'static str {
    match lang {
        Language::En => "en",
        Language::Da => "da",
    }
}

/// Fills `{key}` placeholders.
fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut s = template.to_string();
    for (k, v) in values {
        s = s.replace(&format!("{{{k}}}"), v);
    }
    s
}

/// A date as a letter writes it: "24 November 2026", "24. november 2026".
pub fn long_date(d: NaiveDate, t: &Texts) -> String {
    fill(
        t.date_pattern,
        &[
            ("day", &d.day().to_string()),
            ("month", t.months[d.month0() as usize]),
            ("year", &d.year().to_string()),
        ],
    )
}

fn channel_name(c: Channel, t: &Texts) -> &'static str {
    let i = Channel::ALL.iter().position(|x| *x == c).unwrap_or(0);
    t.channels[i]
}

fn right_name(r: RightKind, t: &Texts) -> &'static str {
    let i = RightKind::ALL.iter().position(|x| *x == r).unwrap_or(0);
    t.right_names[i]
}

fn outcome_name(o: Outcome, t: &Texts) -> &'static str {
    match o {
        Outcome::Granted => t.granted,
        Outcome::PartlyGranted => t.partly_granted,
        Outcome::Refused => t.refused,
    }
}

fn category_name(c: DataCategory, lang: Language) -> &'static str {
    match lang {
        Language::En => c.name_en(),
        Language::Da => c.name_da(),
    }
}

fn citation(b: LegalBasis, lang: Language) -> String {
    match lang {
        Language::En => b.citation_en(),
        Language::Da => b.citation_da(),
    }
}

fn region_name(r: Region, t: &Texts) -> &'static str {
    match r {
        Region::Dk => t.regions[0],
        Region::EuEea => t.regions[1],
        Region::InternationalEuEea => t.regions[2],
        Region::ThirdCountry => t.regions[3],
    }
}

fn kind_name(k: DisclosureKind, t: &Texts) -> &'static str {
    match k {
        DisclosureKind::Disclosure => t.kinds[0],
        DisclosureKind::Forward => t.kinds[1],
        DisclosureKind::EmployerNotice => t.kinds[2],
    }
}

fn article_number(r: RightKind) -> &'static str {
    r.article().trim_start_matches("Art. ")
}

/// One line of untrusted text, safe for a terminal and a Markdown table.
fn line(s: &str) -> String {
    sanitize_line(s).trim().to_string()
}

// ---------------------------------------------------------------------------------------
// The access answer (Art. 15)

/// How the person was found in a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// The person wrote (sender's CPR, e-mail or name and address).
    Sender,
    /// The person's CPR number is written in someone else's enquiry.
    Mentioned,
}

/// A read of the person's data, for the log extract. Staff identities are not in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Read {
    pub at: DateTime<Utc>,
    pub reference: Option<Reference>,
    /// The access action id: open, reveal-cpr, search, export, report.
    pub action: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct AccessReport {
    pub language: &'static str,
    pub date: NaiveDate,
    pub title: String,
    pub intro: String,
    pub subject: Vec<String>,
    pub controller: Controller,
    pub cases: Vec<CaseSection>,
    pub none_found: Option<String>,
    /// (e)
    pub rights: Section,
    /// (f)
    pub complaint: Section,
    pub log: Option<LogExtract>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Controller {
    pub heading: String,
    pub name: String,
    pub address: String,
    pub email: String,
    pub phone: String,
    pub dpo_heading: String,
    pub dpo: String,
}

/// A heading with its paragraphs or list items.
#[derive(Debug, Clone, Serialize)]
pub struct Section {
    pub heading: String,
    pub lines: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CaseSection {
    pub heading: String,
    pub reference: String,
    pub received: NaiveDate,
    pub role: Role,
    pub summary: Vec<String>,
    /// (a)
    pub purpose: PurposeSection,
    /// (b)
    pub categories: Section,
    /// (c)
    pub recipients: RecipientsSection,
    /// (d)
    pub retention: Section,
    /// (g)
    pub source: Section,
    pub decision: Option<DecisionSection>,
    pub copy: CopySection,
}

#[derive(Debug, Clone, Serialize)]
pub struct PurposeSection {
    pub heading: String,
    pub id: Option<String>,
    pub name: Option<String>,
    pub description: Option<String>,
    pub legal_basis_heading: String,
    pub legal_bases: Vec<String>,
    pub lines: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RecipientsSection {
    pub heading: String,
    pub recipients: Vec<RecipientLine>,
    pub lines: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RecipientLine {
    pub id: String,
    pub name: String,
    pub date: NaiveDate,
    pub legal_bases: Vec<String>,
    pub third_country: bool,
    pub safeguard: Option<String>,
    pub text: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct DecisionSection {
    pub heading: String,
    pub right: Option<String>,
    pub outcome: String,
    pub date: NaiveDate,
    pub lines: Vec<String>,
    pub ruling: Option<RulingText>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RulingText {
    pub reasons_heading: String,
    pub reasons: String,
    pub ground_heading: String,
    pub ground: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct CopySection {
    pub heading: String,
    /// (label, value) pairs of the sender's details, when the person is the sender.
    pub fields: Vec<(String, String)>,
    pub note: Option<String>,
    pub subject_heading: String,
    pub subject: String,
    pub text_heading: String,
    pub text: String,
    pub attachments: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct LogExtract {
    pub heading: String,
    pub intro: String,
    pub entries: Vec<LogLine>,
    pub empty: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct LogLine {
    pub at: DateTime<Utc>,
    pub reference: Option<String>,
    pub what: String,
}

/// Whether a case may appear in an access answer at all: not restricted under Art. 23.
pub fn reportable(case: &Case) -> bool {
    case.restriction.is_none()
}

/// Whether a disclosure may appear in an access answer: live, and to a recipient the
/// policy knows and does not restrict. An unknown recipient (a policy changed since) is
/// treated as restricted: leaving a line out can be corrected, telling cannot be undone.
pub fn reportable_disclosure(policy: &Policy, d: &Disclosure) -> bool {
    d.withdrawn.is_none()
        && policy
            .recipient(&d.recipient)
            .is_some_and(|r| !r.restricted)
}

/// The role of the person in a case, from the keys they were looked up by.
pub fn role_in(case: &Case, keys: &BTreeSet<String>) -> Role {
    if sender_keys(&case.enquiry.sender)
        .iter()
        .any(|k| keys.contains(k))
    {
        Role::Sender
    } else {
        Role::Mentioned
    }
}

/// Builds the access answer. `cases` are the person's live cases as found in the subject
/// index; restricted ones are dropped here, without a trace. `reads` is the log extract
/// when asked for (already limited to this person's data).
pub fn access_report(
    policy: &Policy,
    subjects: &[SubjectId],
    cases: &[Case],
    lang: Language,
    today: NaiveDate,
    reads: Option<&[Read]>,
) -> AccessReport {
    let t = texts(lang);
    let a = &policy.authority;
    let authority = match lang {
        Language::En => &a.name_en,
        Language::Da => &a.name_da,
    };
    let keys: BTreeSet<String> = subjects.iter().map(SubjectId::key).collect();
    let own_cprs: BTreeSet<String> = subjects
        .iter()
        .filter_map(|s| match s {
            SubjectId::Cpr(d) => Some(d.clone()),
            _ => None,
        })
        .collect();
    let mut shown: Vec<&Case> = cases.iter().filter(|c| reportable(c)).collect();
    shown.sort_by_key(|c| c.reference);
    shown.dedup_by_key(|c| c.reference);
    let included: BTreeSet<Reference> = shown.iter().map(|c| c.reference).collect();
    let sections: Vec<CaseSection> = shown
        .iter()
        .map(|c| case_section(policy, c, role_in(c, &keys), &own_cprs, lang, today))
        .collect();
    let rights = Section {
        heading: t.e_heading.into(),
        lines: vec![
            t.rights_intro.into(),
            t.right_rectification.into(),
            t.right_erasure.into(),
            t.right_restriction.into(),
            t.right_objection.into(),
            t.rights_ruling.into(),
            fill(
                t.rights_contact,
                &[
                    ("authority", authority),
                    ("address", &a.address),
                    ("dpo", &a.dpo_contact),
                ],
            ),
        ],
    };
    let complaint = Section {
        heading: t.f_heading.into(),
        lines: vec![fill(t.complaint, &[("agency", &a.supervisory_authority)])],
    };
    let log = reads.map(|reads| {
        let mut entries: Vec<LogLine> = reads
            .iter()
            // Reads of a case left out are left out too: the log must not hint at it.
            .filter(|r| r.reference.is_none_or(|x| included.contains(&x)))
            .filter_map(|r| {
                let what = match r.action.as_str() {
                    "open" => t.log_open,
                    "reveal-cpr" => t.log_reveal,
                    "search" => t.log_search,
                    "export" => t.log_export,
                    "report" => t.log_report,
                    _ => return None,
                };
                Some(LogLine {
                    at: r.at,
                    reference: r.reference.map(|x| x.to_string()),
                    what: what.into(),
                })
            })
            .collect();
        entries.sort_by(|x, y| (x.at, &x.reference).cmp(&(y.at, &y.reference)));
        LogExtract {
            heading: t.log_heading.into(),
            intro: t.log_intro.into(),
            empty: entries.is_empty().then(|| t.log_empty.into()),
            entries,
        }
    });
    AccessReport {
        language: lang_id(lang),
        date: today,
        title: t.access_title.into(),
        intro: fill(t.intro, &[("authority", authority)]),
        subject: subjects.iter().map(SubjectId::shown).collect(),
        controller: Controller {
            heading: t.controller.into(),
            name: authority.clone(),
            address: a.address.clone(),
            email: a.email.clone(),
            phone: a.phone.clone(),
            dpo_heading: t.dpo.into(),
            dpo: a.dpo_contact.clone(),
        },
        none_found: sections.is_empty().then(|| t.none_found.into()),
        cases: sections,
        rights,
        complaint,
        log,
    }
}

fn case_section(
    policy: &Policy,
    c: &Case,
    role: Role,
    own_cprs: &BTreeSet<String>,
    lang: Language,
    today: NaiveDate,
) -> CaseSection {
    let t = texts(lang);
    let e = &c.enquiry;
    let received = e.received.danish_day();
    let channel = channel_name(e.channel, t);
    let purpose = c.purpose.as_deref().and_then(|p| policy.purpose(p));
    let confirmed = c.confirmed();
    let special = confirmed.iter().any(|x| x.is_special());
    let criminal = confirmed.iter().any(|x| x.is_criminal());

    // (a) Only the Art. 9 and Art. 10 grounds the case's data calls for.
    let legal_bases: Vec<String> = purpose
        .map(|p| {
            p.bases()
                .filter(|b| match b.kind() {
                    BasisKind::Art9 => special,
                    BasisKind::Art10 => criminal,
                    _ => true,
                })
                .map(|b| citation(b, lang))
                .collect()
        })
        .unwrap_or_default();
    let purpose_section = PurposeSection {
        heading: t.a_heading.into(),
        id: purpose.map(|p| p.id().to_string()),
        name: purpose.map(|p| p.name(lang).to_string()),
        description: purpose
            .map(|p| match lang {
                Language::En => p.description_en.clone(),
                Language::Da => p.description_da.clone(),
            })
            .filter(|d| !d.is_empty()),
        legal_basis_heading: t.legal_basis.into(),
        legal_bases,
        lines: if purpose.is_none() {
            vec![t.purpose_undecided.into()]
        } else {
            vec![]
        },
    };

    // (b)
    let categories = Section {
        heading: t.b_heading.into(),
        lines: if confirmed.is_empty() {
            vec![t.unclassified.into()]
        } else {
            confirmed
                .iter()
                .map(|x| category_name(*x, lang).to_string())
                .collect()
        },
    };

    // (c)
    let recipients: Vec<RecipientLine> = c
        .disclosures
        .iter()
        .filter(|d| reportable_disclosure(policy, d))
        .filter_map(|d| {
            let r: &Recipient = policy.recipient(&d.recipient)?;
            let date = d.made.at.danish_day();
            let bases: Vec<String> = d.bases.iter().map(|b| citation(*b, lang)).collect();
            let template = match d.kind {
                DisclosureKind::Disclosure => t.disclosed,
                DisclosureKind::Forward => t.forwarded,
                DisclosureKind::EmployerNotice => t.employer_notice,
            };
            let mut text = fill(
                template,
                &[
                    ("recipient", r.name(lang)),
                    ("date", &long_date(date, t)),
                    ("bases", &bases.join(", ")),
                ],
            );
            let third_country = r.needs_transfer_basis();
            let safeguard = d.transfer.as_deref().map(line);
            if third_country {
                text.push_str(". ");
                text.push_str(&fill(
                    t.transfer,
                    &[("transfer", safeguard.as_deref().unwrap_or("-"))],
                ));
            }
            Some(RecipientLine {
                id: r.id().to_string(),
                name: r.name(lang).to_string(),
                date,
                legal_bases: bases,
                third_country,
                safeguard,
                text,
            })
        })
        .collect();
    let mut recipient_lines = Vec::new();
    if recipients.is_empty() {
        recipient_lines.push(t.no_recipients.to_string());
    } else if !recipients.iter().any(|r| r.third_country) {
        recipient_lines.push(t.no_transfer.to_string());
    }

    // (d)
    let retention = Section {
        heading: t.d_heading.into(),
        lines: retention_lines(policy, c, purpose.map(|p| p.retention), lang, today),
    };

    // (g)
    let date = long_date(received, t);
    let mut source_lines = vec![fill(
        match role {
            Role::Sender => t.source_sender,
            Role::Mentioned => t.source_mentioned,
        },
        &[("channel", channel), ("date", &date)],
    )];
    if let Some(p) = purpose {
        let s = match lang {
            Language::En => &p.source_en,
            Language::Da => &p.source_da,
        };
        if !s.is_empty() {
            source_lines.push(fill(t.source_purpose, &[("source", s)]));
        }
    }

    let decision = c.decision.as_ref().map(|d| DecisionSection {
        heading: t.decision_heading.into(),
        right: c.right.map(|r| right_name(r, t).to_string()),
        outcome: outcome_name(d.outcome, t).into(),
        date: d.made.at.danish_day(),
        lines: {
            let mut v = Vec::new();
            if let Some(r) = c.right {
                v.push(fill(
                    t.request_line,
                    &[("right", right_name(r, t)), ("article", article_number(r))],
                ));
            }
            v.push(fill(
                t.decided_line,
                &[
                    ("date", &long_date(d.made.at.danish_day(), t)),
                    ("outcome", outcome_name(d.outcome, t)),
                ],
            ));
            v
        },
        ruling: d.ruling.as_ref().map(|r| ruling_text(r, t)),
    });

    CaseSection {
        heading: fill(t.case_heading, &[("reference", &c.reference.to_string())]),
        reference: c.reference.to_string(),
        received,
        role,
        summary: vec![
            fill(t.received_line, &[("date", &date), ("channel", channel)]),
            match role {
                Role::Sender => t.role_sender.into(),
                Role::Mentioned => t.role_mentioned.into(),
            },
        ],
        purpose: purpose_section,
        categories,
        recipients: RecipientsSection {
            heading: t.c_heading.into(),
            recipients,
            lines: recipient_lines,
        },
        retention,
        source: Section {
            heading: t.g_heading.into(),
            lines: source_lines,
        },
        decision,
        copy: copy_section(e, role, own_cprs, t),
    }
}

fn ruling_text(r: &Ruling, t: &Texts) -> RulingText {
    RulingText {
        reasons_heading: t.reasons.into(),
        reasons: sanitize_text(&r.reasons).trim().to_string(),
        ground_heading: t.ground.into(),
        ground: line(&r.ground),
    }
}

fn copy_section(e: &Enquiry, role: Role, own_cprs: &BTreeSet<String>, t: &Texts) -> CopySection {
    let s = &e.sender;
    let mut fields = Vec::new();
    let mut note = None;
    match role {
        Role::Sender => {
            let mut push = |label: &str, v: &Option<String>| {
                if let Some(v) = v.as_deref().map(line).filter(|v| !v.is_empty()) {
                    fields.push((label.to_string(), v));
                }
            };
            push(t.name, &Some(s.name.clone()));
            push(t.email, &s.email);
            push(t.phone, &s.phone);
            push(t.address, &s.address);
            push(t.cpr, &s.cpr);
        }
        // Art. 15(4): the copy must not take away the rights of others.
        Role::Mentioned => note = Some(t.sender_withheld.to_string()),
    }
    // The person's own CPR numbers stay readable; anyone else's are masked.
    let keep: BTreeSet<String> = match role {
        Role::Sender => own_cprs
            .iter()
            .cloned()
            .chain(
                s.cpr
                    .iter()
                    .map(|c| c.chars().filter(char::is_ascii_digit).collect()),
            )
            .collect(),
        Role::Mentioned => own_cprs.clone(),
    };
    CopySection {
        heading: t.copy_heading.into(),
        fields,
        note,
        subject_heading: t.subject.into(),
        subject: line(&mask_cprs_except(&e.subject, &keep)),
        text_heading: t.text.into(),
        text: sanitize_text(&mask_cprs_except(&e.body, &keep))
            .trim()
            .to_string(),
        attachments: e.attachments.iter().map(|a| line(a)).collect(),
    }
}

fn retention_lines(
    policy: &Policy,
    c: &Case,
    rule: Option<RetentionRule>,
    lang: Language,
    today: NaiveDate,
) -> Vec<String> {
    let t = texts(lang);
    let years = policy.archive.period_years.to_string();
    let start = policy
        .archive_start()
        .map(|d| long_date(d, t))
        .unwrap_or_default();
    let mut v = Vec::new();
    let Some(rule) = rule else {
        v.push(t.retention_undecided.to_string());
        return v;
    };
    v.push(match rule {
        RetentionRule::ArchiveThenDelete => fill(
            t.retention_archive_delete,
            &[("years", &years), ("start", &start)],
        ),
        RetentionRule::ArchiveThenAssess => fill(
            t.retention_archive_assess,
            &[("years", &years), ("start", &start)],
        ),
        RetentionRule::DeleteAfterYears { years } => {
            fill(t.retention_delete_years, &[("years", &years.to_string())])
        }
    });
    // The dates come from the retention clock, the one the retention run acts on.
    let Some(clock) = clock::retention_clock(c, policy, today) else {
        return v;
    };
    let handed = c.handed_over.as_ref().map(|s| s.at.danish_day());
    let on = |template: &str, d: NaiveDate| fill(template, &[("date", &long_date(d, t))]);
    if clock.closed.is_none() {
        v.push(t.retention_open.into());
    } else if let RetentionRule::DeleteAfterYears { .. } = rule {
        if let Some(d) = clock.deletion_due {
            v.push(on(t.retention_delete_on, d));
        }
    } else if let Some(h) = handed {
        v.push(on(t.retention_handed_over, h));
        match clock.state {
            RetentionState::Kept { review: Some(r) } => v.push(on(t.retention_kept, r)),
            _ => {
                if let Some(d) = clock.deletion_due {
                    v.push(on(t.retention_delete_on, d));
                }
            }
        }
    } else if let Some(end) = clock.handover_due {
        // The handover falls due the day after the period's last day.
        v.push(on(t.retention_handover_due, end.succ_opt().unwrap_or(end)));
    }
    if c.legal_hold.is_some() {
        v.push(t.retention_hold.into());
    }
    v
}

// ---------------------------------------------------------------------------------------
// Markdown

fn md_escape_cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

fn quote(text: &str) -> String {
    text.lines()
        .map(|l| {
            if l.trim().is_empty() {
                ">".to_string()
            } else {
                format!("> {l}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn md_section(out: &mut String, level: &str, s: &Section) {
    out.push_str(&format!("{level} {}\n\n", s.heading));
    for l in &s.lines {
        out.push_str(&format!("{l}\n\n"));
    }
}

fn md_list_section(out: &mut String, level: &str, s: &Section) {
    out.push_str(&format!("{level} {}\n\n", s.heading));
    for l in &s.lines {
        out.push_str(&format!("- {l}\n"));
    }
    out.push('\n');
}

/// The access answer as Markdown, for a letter or print.
pub fn access_markdown(r: &AccessReport) -> String {
    let t = if r.language == "da" { &DA } else { &EN };
    let mut o = String::new();
    o.push_str(&format!("# {}\n\n", r.title));
    o.push_str(&format!("{}: {}\n\n", t.date_label, long_date(r.date, t)));
    o.push_str(&format!("{}: {}\n\n", t.concerning, r.subject.join("; ")));
    o.push_str(&format!("{}\n\n", r.intro));
    let c = &r.controller;
    o.push_str(&format!("## {}\n\n", c.heading));
    o.push_str(&format!("{}  \n{}", c.name, c.address));
    for extra in [&c.email, &c.phone] {
        if !extra.is_empty() {
            o.push_str(&format!("  \n{extra}"));
        }
    }
    o.push_str(&format!("\n\n{}: {}\n\n", c.dpo_heading, c.dpo));
    if let Some(none) = &r.none_found {
        o.push_str(&format!("{none}\n\n"));
    }
    for cs in &r.cases {
        o.push_str(&format!("## {}\n\n", cs.heading));
        for l in &cs.summary {
            o.push_str(&format!("{l}\n"));
        }
        o.push('\n');
        let p = &cs.purpose;
        o.push_str(&format!("### {}\n\n", p.heading));
        if let Some(name) = &p.name {
            o.push_str(&format!("**{name}**"));
            if let Some(d) = &p.description {
                o.push_str(&format!(": {d}"));
            }
            o.push_str("\n\n");
        }
        for l in &p.lines {
            o.push_str(&format!("{l}\n\n"));
        }
        if !p.legal_bases.is_empty() {
            o.push_str(&format!(
                "{}: {}\n\n",
                p.legal_basis_heading,
                p.legal_bases.join("; ")
            ));
        }
        md_list_section(&mut o, "###", &cs.categories);
        o.push_str(&format!("### {}\n\n", cs.recipients.heading));
        for rl in &cs.recipients.recipients {
            o.push_str(&format!("- {}\n", rl.text));
        }
        if !cs.recipients.recipients.is_empty() {
            o.push('\n');
        }
        for l in &cs.recipients.lines {
            o.push_str(&format!("{l}\n\n"));
        }
        md_section(&mut o, "###", &cs.retention);
        md_section(&mut o, "###", &cs.source);
        if let Some(d) = &cs.decision {
            o.push_str(&format!("### {}\n\n", d.heading));
            for l in &d.lines {
                o.push_str(&format!("{l}\n\n"));
            }
            if let Some(ru) = &d.ruling {
                md_ruling(&mut o, ru);
            }
        }
        let cp = &cs.copy;
        o.push_str(&format!("### {}\n\n", cp.heading));
        for (label, value) in &cp.fields {
            o.push_str(&format!("- {label}: {value}\n"));
        }
        if !cp.fields.is_empty() {
            o.push('\n');
        }
        if let Some(n) = &cp.note {
            o.push_str(&format!("{n}\n\n"));
        }
        o.push_str(&format!("{}: {}\n\n", cp.subject_heading, cp.subject));
        o.push_str(&format!("{}:\n\n{}\n\n", cp.text_heading, quote(&cp.text)));
        if !cp.attachments.is_empty() {
            o.push_str(&format!(
                "{}: {}\n\n",
                t.attachments,
                cp.attachments.join(", ")
            ));
        }
    }
    // The rights: an introduction, the four rights as a list, then two paragraphs.
    o.push_str(&format!("## {}\n\n", r.rights.heading));
    if let Some((first, rest)) = r.rights.lines.split_first() {
        o.push_str(&format!("{first}\n\n"));
        let (items, tail) = rest.split_at(rest.len().min(4));
        for i in items {
            o.push_str(&format!("- {i}\n"));
        }
        o.push('\n');
        for l in tail {
            o.push_str(&format!("{l}\n\n"));
        }
    }
    md_section(&mut o, "##", &r.complaint);
    if let Some(log) = &r.log {
        o.push_str(&format!("## {}\n\n{}\n\n", log.heading, log.intro));
        for e in &log.entries {
            o.push_str(&format!(
                "- {}{}: {}\n",
                e.at.format("%Y-%m-%d %H:%M UTC"),
                e.reference
                    .as_deref()
                    .map(|r| format!(" ({r})"))
                    .unwrap_or_default(),
                e.what
            ));
        }
        if let Some(empty) = &log.empty {
            o.push_str(&format!("{empty}\n"));
        }
        o.push('\n');
    }
    o.truncate(o.trim_end().len());
    o.push('\n');
    o
}

fn md_ruling(o: &mut String, r: &RulingText) {
    o.push_str(&format!("**{}:** {}\n\n", r.ground_heading, r.ground));
    o.push_str(&format!(
        "**{}:**\n\n{}\n\n",
        r.reasons_heading,
        quote(&r.reasons)
    ));
}

// ---------------------------------------------------------------------------------------
// The ruling on a rights request

#[derive(Debug, Clone, Serialize)]
pub struct RulingLetter {
    pub language: &'static str,
    pub title: String,
    pub reference: String,
    pub date: NaiveDate,
    pub lines: Vec<String>,
    pub outcome: String,
    pub ruling: Option<RulingText>,
    pub rights: Section,
    pub complaint: Section,
    pub authority: String,
}

/// The decision on a rights request as a letter; None when the case has no decision yet.
pub fn ruling_letter(policy: &Policy, c: &Case, lang: Language) -> Option<RulingLetter> {
    let t = texts(lang);
    let d = c.decision.as_ref()?;
    let a = &policy.authority;
    let authority = match lang {
        Language::En => a.name_en.clone(),
        Language::Da => a.name_da.clone(),
    };
    let mut lines = vec![fill(
        t.ruling_received,
        &[
            ("date", &long_date(c.enquiry.received.danish_day(), t)),
            ("reference", &c.reference.to_string()),
        ],
    )];
    if let Some(r) = c.right {
        lines.push(fill(
            t.request_line,
            &[("right", right_name(r, t)), ("article", article_number(r))],
        ));
    }
    let decided = d.made.at.danish_day();
    lines.push(fill(
        t.decided_line,
        &[
            ("date", &long_date(decided, t)),
            ("outcome", outcome_name(d.outcome, t)),
        ],
    ));
    if d.outcome == Outcome::Granted && d.ruling.is_none() {
        lines.push(t.ruling_granted_only.into());
    }
    let report = access_report(policy, &[], &[], lang, decided, None);
    Some(RulingLetter {
        language: lang_id(lang),
        title: t.ruling_title.into(),
        reference: c.reference.to_string(),
        date: decided,
        lines,
        outcome: outcome_name(d.outcome, t).into(),
        ruling: d.ruling.as_ref().map(|r| ruling_text(r, t)),
        rights: report.rights,
        complaint: report.complaint,
        authority,
    })
}

pub fn ruling_markdown(r: &RulingLetter) -> String {
    let t = if r.language == "da" { &DA } else { &EN };
    let mut o = format!("# {}\n\n{}\n\n", r.title, r.authority);
    o.push_str(&format!("{}: {}\n\n", t.date_label, long_date(r.date, t)));
    for l in &r.lines {
        o.push_str(&format!("{l}\n\n"));
    }
    if let Some(ru) = &r.ruling {
        md_ruling(&mut o, ru);
    }
    md_list_section(&mut o, "##", &r.rights);
    md_section(&mut o, "##", &r.complaint);
    o.truncate(o.trim_end().len());
    o.push('\n');
    o
}

// ---------------------------------------------------------------------------------------
// The record of processing activities (Art. 30)

#[derive(Debug, Clone, Serialize)]
pub struct Ropa {
    pub language: &'static str,
    pub title: String,
    pub date: NaiveDate,
    pub controller: Controller,
    pub supervisory_heading: String,
    pub supervisory: String,
    pub activities_heading: String,
    pub activities: Vec<Activity>,
    pub recipients_heading: String,
    pub recipients: Vec<RopaRecipient>,
    pub transfers: Section,
    pub security: Section,
}

#[derive(Debug, Clone, Serialize)]
pub struct Activity {
    pub id: String,
    pub name: String,
    pub purpose: String,
    pub data_subjects: String,
    pub categories: Vec<String>,
    pub legal_bases: Vec<String>,
    pub sources: String,
    pub erasure: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct RopaRecipient {
    pub id: String,
    pub name: String,
    pub region: String,
    pub restricted: bool,
    pub text: String,
}

pub fn ropa(policy: &Policy, lang: Language, today: NaiveDate) -> Ropa {
    let t = texts(lang);
    let a = &policy.authority;
    let years = policy.archive.period_years.to_string();
    let start = policy
        .archive_start()
        .map(|d| long_date(d, t))
        .unwrap_or_default();
    let pick = |en: &String, da: &String| match lang {
        Language::En => en.clone(),
        Language::Da => da.clone(),
    };
    let activities = policy
        .purposes
        .iter()
        .map(|p| Activity {
            id: p.id().to_string(),
            name: p.name(lang).to_string(),
            purpose: pick(&p.description_en, &p.description_da),
            data_subjects: pick(&p.data_subjects_en, &p.data_subjects_da),
            categories: p
                .categories
                .iter()
                .map(|c| category_name(*c.get_ref(), lang).to_string())
                .collect(),
            legal_bases: p.bases().map(|b| citation(b, lang)).collect(),
            sources: pick(&p.source_en, &p.source_da),
            erasure: match p.retention {
                RetentionRule::ArchiveThenDelete => fill(
                    t.retention_archive_delete,
                    &[("years", &years), ("start", &start)],
                ),
                RetentionRule::ArchiveThenAssess => fill(
                    t.retention_archive_assess,
                    &[("years", &years), ("start", &start)],
                ),
                RetentionRule::DeleteAfterYears { years } => {
                    fill(t.retention_delete_years, &[("years", &years.to_string())])
                }
            },
        })
        .collect();
    let recipients = policy
        .recipients
        .iter()
        .map(|r| {
            let region = region_name(r.region, t).to_string();
            let mut text = format!("{} ({region})", r.name(lang));
            if r.restricted {
                text.push_str(&format!("; {}", t.restricted_note));
            }
            RopaRecipient {
                id: r.id().to_string(),
                name: r.name(lang).to_string(),
                region,
                restricted: r.restricted,
                text,
            }
        })
        .collect();
    let mut transfers: Vec<String> = policy
        .recipients
        .iter()
        .filter(|r| r.needs_transfer_basis())
        .map(|r| {
            fill(
                t.transfer_case_by_case,
                &[
                    ("recipient", r.name(lang)),
                    ("region", region_name(r.region, t)),
                ],
            )
        })
        .collect();
    if transfers.is_empty() {
        transfers.push(t.no_transfers.into());
    }
    Ropa {
        language: lang_id(lang),
        title: t.ropa_title.into(),
        date: today,
        controller: Controller {
            heading: t.controller.into(),
            name: pick(&a.name_en, &a.name_da),
            address: a.address.clone(),
            email: a.email.clone(),
            phone: a.phone.clone(),
            dpo_heading: t.dpo.into(),
            dpo: a.dpo_contact.clone(),
        },
        supervisory_heading: t.supervisory.into(),
        supervisory: a.supervisory_authority.clone(),
        activities_heading: t.activities.into(),
        activities,
        recipients_heading: t.recipients.into(),
        recipients,
        transfers: Section {
            heading: t.transfers.into(),
            lines: transfers,
        },
        security: Section {
            heading: t.security.into(),
            lines: a.security_measures.clone(),
        },
    }
}

pub fn ropa_markdown(r: &Ropa) -> String {
    let t = if r.language == "da" { &DA } else { &EN };
    let mut o = format!("# {}\n\n", r.title);
    o.push_str(&format!("{}: {}\n\n", t.date_label, long_date(r.date, t)));
    let c = &r.controller;
    o.push_str(&format!(
        "## {}\n\n{}  \n{}  \n{}  \n{}\n\n{}: {}\n\n{}: {}\n\n",
        c.heading,
        c.name,
        c.address,
        c.email,
        c.phone,
        c.dpo_heading,
        c.dpo,
        r.supervisory_heading,
        r.supervisory
    ));
    o.push_str(&format!("## {}\n\n", r.activities_heading));
    for a in &r.activities {
        o.push_str(&format!("### {} (`{}`)\n\n", a.name, a.id));
        o.push_str(&format!("- {}: {}\n", t.purpose, a.purpose));
        o.push_str(&format!("- {}: {}\n", t.data_subjects, a.data_subjects));
        o.push_str(&format!(
            "- {}: {}\n",
            t.categories,
            a.categories.join(", ")
        ));
        o.push_str(&format!(
            "- {}: {}\n",
            t.legal_basis,
            a.legal_bases.join("; ")
        ));
        o.push_str(&format!("- {}: {}\n", t.sources, a.sources));
        o.push_str(&format!("- {}: {}\n\n", t.erasure_limit, a.erasure));
    }
    o.push_str(&format!("## {}\n\n", r.recipients_heading));
    for x in &r.recipients {
        o.push_str(&format!("- {}\n", x.text));
    }
    o.push('\n');
    md_list_section(&mut o, "##", &r.transfers);
    md_list_section(&mut o, "##", &r.security);
    o.truncate(o.trim_end().len());
    o.push('\n');
    o
}

// ---------------------------------------------------------------------------------------
// Disclosures

/// Which disclosures to list. Dates are the days the disclosures were made, inclusive.
#[derive(Debug, Clone, Default)]
pub struct DisclosureFilter {
    pub recipient: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// Also disclosures on restricted cases and to restricted recipients (Art. 23): the
    /// data protection officer's view; by default they are left out like everywhere else.
    pub include_restricted: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct DisclosureRow {
    pub reference: String,
    pub id: u32,
    pub date: NaiveDate,
    pub made_at: DateTime<Utc>,
    pub made_by: String,
    pub recipient: String,
    pub recipient_name: String,
    pub kind: String,
    pub legal_bases: Vec<String>,
    pub justification: String,
    pub transfer: Option<String>,
    pub categories: Vec<String>,
    pub parties: Vec<String>,
    pub withdrawn: Option<String>,
    pub restricted: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct DisclosuresReport {
    pub language: &'static str,
    pub title: String,
    pub period: Option<String>,
    pub rows: Vec<DisclosureRow>,
}

pub fn disclosures(
    policy: &Policy,
    cases: &[Case],
    filter: &DisclosureFilter,
    lang: Language,
) -> DisclosuresReport {
    let t = texts(lang);
    let mut rows = Vec::new();
    for c in cases {
        for d in &c.disclosures {
            let recipient = policy.recipient(&d.recipient);
            let restricted = c.restriction.is_some() || recipient.is_none_or(|r| r.restricted);
            let date = d.made.at.danish_day();
            if (restricted && !filter.include_restricted)
                || filter.recipient.as_ref().is_some_and(|r| *r != d.recipient)
                || filter.from.is_some_and(|f| date < f)
                || filter.to.is_some_and(|x| date > x)
            {
                continue;
            }
            rows.push(DisclosureRow {
                reference: c.reference.to_string(),
                id: d.id,
                date,
                made_at: d.made.at,
                made_by: d.made.by.clone(),
                recipient: d.recipient.clone(),
                recipient_name: recipient
                    .map(|r| r.name(lang).to_string())
                    .unwrap_or_else(|| d.recipient.clone()),
                kind: kind_name(d.kind, t).into(),
                legal_bases: d.bases.iter().map(|b| b.id()).collect(),
                justification: line(&d.justification),
                transfer: d.transfer.as_deref().map(line),
                categories: d.categories.iter().map(|x| x.as_id().to_string()).collect(),
                parties: d.parties.iter().map(|p| line(p)).collect(),
                withdrawn: d
                    .withdrawn
                    .as_ref()
                    .map(|w| format!("{}: {}", w.set.at.danish_day(), line(&w.reason))),
                restricted,
            });
        }
    }
    rows.sort_by(|a, b| (a.made_at, &a.reference, a.id).cmp(&(b.made_at, &b.reference, b.id)));
    let period = (filter.from.is_some() || filter.to.is_some()).then(|| {
        fill(
            t.period,
            &[
                (
                    "from",
                    &filter
                        .from
                        .map(|d| d.to_string())
                        .unwrap_or_else(|| "…".into()),
                ),
                (
                    "to",
                    &filter
                        .to
                        .map(|d| d.to_string())
                        .unwrap_or_else(|| "…".into()),
                ),
            ],
        )
    });
    DisclosuresReport {
        language: lang_id(lang),
        title: t.disclosures_title.into(),
        period,
        rows,
    }
}

pub fn disclosures_markdown(r: &DisclosuresReport) -> String {
    let t = if r.language == "da" { &DA } else { &EN };
    let mut o = format!("# {}\n\n", r.title);
    if let Some(p) = &r.period {
        o.push_str(&format!("{p}\n\n"));
    }
    if r.rows.is_empty() {
        o.push_str(&format!("{}\n", t.no_disclosures));
        return o;
    }
    o.push_str(&format!(
        "| {} | {} | {} | {} | {} | {} | {} | {} |\n|---|---|---|---|---|---|---|---|\n",
        t.col_case,
        t.date_label,
        t.col_recipient,
        t.col_kind,
        t.legal_basis,
        t.col_justification,
        t.col_made_by,
        t.col_withdrawn
    ));
    for x in &r.rows {
        let mut recipient = x.recipient_name.clone();
        if let Some(tr) = &x.transfer {
            recipient.push_str(&format!(" ({tr})"));
        }
        o.push_str(&format!(
            "| {} #{} | {} | {} | {} | {} | {} | {} | {} |\n",
            x.reference,
            x.id,
            x.date,
            md_escape_cell(&recipient),
            x.kind,
            x.legal_bases.join(", "),
            md_escape_cell(&x.justification),
            md_escape_cell(&x.made_by),
            md_escape_cell(x.withdrawn.as_deref().unwrap_or(""))
        ));
    }
    o
}

// ---------------------------------------------------------------------------------------
// Deadlines

/// Where an open case stands against its answer deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DeadlineState {
    Overdue,
    DueToday,
    DueSoon,
    Later,
    NoDeadline,
}

impl DeadlineState {
    pub const ALL: [DeadlineState; 5] = [
        DeadlineState::Overdue,
        DeadlineState::DueToday,
        DeadlineState::DueSoon,
        DeadlineState::Later,
        DeadlineState::NoDeadline,
    ];

    pub fn of(due: Option<NaiveDate>, today: NaiveDate) -> DeadlineState {
        match due {
            None => DeadlineState::NoDeadline,
            Some(d) if d < today => DeadlineState::Overdue,
            Some(d) if d == today => DeadlineState::DueToday,
            Some(d) if (d - today).num_days() <= 7 => DeadlineState::DueSoon,
            Some(_) => DeadlineState::Later,
        }
    }
}

/// The answer clock of one case as the clocks module gives it.
#[derive(Debug, Clone)]
pub struct ClockReading {
    pub due: NaiveDate,
    pub countdown: String,
    /// For ordering within a state: smaller is more urgent.
    pub urgency: i64,
    /// The § 39 complaint date of a § 36 case.
    pub complaint_date: Option<NaiveDate>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DeadlineRow {
    pub reference: String,
    pub state: DeadlineState,
    pub received: NaiveDate,
    pub status: String,
    pub purpose: Option<String>,
    pub right: Option<String>,
    pub due: Option<NaiveDate>,
    /// Offentlighedsloven § 39: when the requester may complain (§ 36 cases).
    pub complaint_date: Option<NaiveDate>,
    pub countdown: Option<String>,
    pub assignee: Option<String>,
    pub paused: bool,
    pub extended: bool,
    pub duplicate_of: Option<String>,
    #[serde(skip)]
    urgency: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct DeadlineGroup {
    pub state: DeadlineState,
    pub heading: String,
    pub cases: Vec<DeadlineRow>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DeadlinesReport {
    pub language: &'static str,
    pub title: String,
    pub date: NaiveDate,
    pub groups: Vec<DeadlineGroup>,
}

/// Open cases grouped by the state of their answer clock, most urgent first.
pub fn deadlines(
    cases: &[(Case, Option<ClockReading>)],
    lang: Language,
    today: NaiveDate,
) -> DeadlinesReport {
    let t = texts(lang);
    let mut rows: Vec<DeadlineRow> = cases
        .iter()
        .filter(|(c, _)| c.status.is_open())
        .map(|(c, clock)| DeadlineRow {
            reference: c.reference.to_string(),
            state: DeadlineState::of(clock.as_ref().map(|k| k.due), today),
            received: c.enquiry.received.danish_day(),
            status: c.status.as_id().into(),
            purpose: c.purpose.clone(),
            right: c.right.map(|r| r.as_id().to_string()),
            due: clock.as_ref().map(|k| k.due),
            complaint_date: clock.as_ref().and_then(|k| k.complaint_date),
            countdown: clock.as_ref().map(|k| k.countdown.clone()),
            assignee: c.assignee.clone(),
            paused: c.clock.pauses.iter().any(|p| p.until.is_none()),
            extended: c.clock.extension.is_some(),
            duplicate_of: c.duplicate_of.map(|r| r.to_string()),
            urgency: clock.as_ref().map(|k| k.urgency).unwrap_or(i64::MAX),
        })
        .collect();
    rows.sort_by(|a, b| {
        (a.state, a.urgency, &a.reference).cmp(&(b.state, b.urgency, &b.reference))
    });
    let groups = DeadlineState::ALL
        .iter()
        .enumerate()
        .filter_map(|(i, s)| {
            let cases: Vec<DeadlineRow> = rows.iter().filter(|r| r.state == *s).cloned().collect();
            (!cases.is_empty()).then(|| DeadlineGroup {
                state: *s,
                heading: t.deadline_states[i].into(),
                cases,
            })
        })
        .collect();
    DeadlinesReport {
        language: lang_id(lang),
        title: t.deadlines_title.into(),
        date: today,
        groups,
    }
}

pub fn deadlines_markdown(r: &DeadlinesReport) -> String {
    let t = if r.language == "da" { &DA } else { &EN };
    let mut o = format!(
        "# {}\n\n{}: {}\n\n",
        r.title,
        t.date_label,
        long_date(r.date, t)
    );
    if r.groups.is_empty() {
        o.push_str(&format!("{}\n", t.none));
        return o;
    }
    for g in &r.groups {
        o.push_str(&format!(
            "## {} ({})\n\n| {} | {} | {} | {} | {} | {} | {} |\n|---|---|---|---|---|---|---|\n",
            g.heading,
            g.cases.len(),
            t.col_case,
            t.col_received,
            t.purpose,
            t.col_due,
            t.col_countdown,
            t.col_assignee,
            t.col_notes
        ));
        for x in &g.cases {
            let mut notes = Vec::new();
            if x.paused {
                notes.push(t.note_paused.to_string());
            }
            if x.extended {
                notes.push(t.note_extended.to_string());
            }
            if let Some(d) = x.complaint_date {
                notes.push(fill(t.note_complaint, &[("date", &d.to_string())]));
            }
            if let Some(d) = &x.duplicate_of {
                notes.push(fill(t.note_duplicate, &[("reference", d)]));
            }
            let purpose = match (&x.purpose, &x.right) {
                (Some(p), Some(r)) => format!("{p} ({r})"),
                (Some(p), None) => p.clone(),
                (None, _) => "-".into(),
            };
            o.push_str(&format!(
                "| {} | {} | {} | {} | {} | {} | {} |\n",
                x.reference,
                x.received,
                md_escape_cell(&purpose),
                x.due.map(|d| d.to_string()).unwrap_or_else(|| "-".into()),
                x.countdown.as_deref().unwrap_or("-"),
                md_escape_cell(x.assignee.as_deref().unwrap_or("-")),
                notes.join("; ")
            ));
        }
        o.push('\n');
    }
    o.truncate(o.trim_end().len());
    o.push('\n');
    o
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::case::{CategoryDecision, Decision, Flag, Stamp, Verdict};
    use crate::domain::fixtures;

    fn stamp(at: &str) -> Stamp {
        Stamp {
            by: "anne".into(),
            at: fixtures::at(at),
        }
    }

    fn case(seq: u32, body: &str) -> Case {
        let mut c = fixtures::case("2026-03-02T09:00:00+01:00", body);
        c.reference = Reference::new(2026, seq);
        c
    }

    fn disclose(c: &mut Case, recipient: &str, transfer: Option<&str>) {
        let id = c.disclosures.len() as u32 + 1;
        c.disclosures.push(Disclosure {
            id,
            kind: DisclosureKind::Disclosure,
            recipient: recipient.into(),
            bases: vec!["gdpr-6-1-e".parse().unwrap()],
            justification: "Needed by the recipient for its own case.".into(),
            transfer: transfer.map(str::to_string),
            categories: vec![],
            parties: vec![],
            made: stamp("2026-03-05T10:00:00Z"),
            withdrawn: None,
        });
    }

    fn fatima() -> Vec<SubjectId> {
        vec![SubjectId::parse("cpr:120385-1234").unwrap()]
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
    }

    #[test]
    fn subject_ids_parse_and_normalise_like_the_index() {
        let id = SubjectId::parse("cpr:010203-1234").unwrap();
        assert_eq!(id.key(), "cpr:0102031234");
        assert_eq!(id.shown(), "010203-XXXX");
        assert_eq!(SubjectId::parse("0102031234").unwrap(), id);
        assert_eq!(
            SubjectId::parse(" Fatima@Example.COM ").unwrap().key(),
            "email:fatima@example.com"
        );
        assert_eq!(
            SubjectId::parse("name:Fatima  Hassan|Nørrebrogade 12,  2200 København N")
                .unwrap()
                .key(),
            "name:fatima hassan|nørrebrogade 12, 2200 københavn n"
        );
        for bad in [
            "cpr:1234",
            "cpr:320185-1234",
            "name:Fatima Hassan",
            "Fatima Hassan",
            "email:nobody",
            "",
        ] {
            assert!(SubjectId::parse(bad).is_err(), "{bad}");
        }
        // The digest is stable and does not contain the number.
        assert_eq!(
            id.digest(),
            SubjectId::parse("0102031234").unwrap().digest()
        );
        assert!(!id.digest().contains("0102031234"));
    }

    #[test]
    fn cpr_numbers_in_text_are_found_strictly() {
        let text = "Min søn 010203-1234 og jeg (1203851234). Tlf 22334455, konto 12345678901, dato 320185-1234, ordre 0102031234567.";
        let hits: Vec<String> = cprs_in_text(text).into_iter().map(|h| h.digits).collect();
        assert_eq!(hits, ["0102031234", "1203851234"]);
        let masked = mask_cprs_except(text, &BTreeSet::from(["1203851234".to_string()]));
        assert!(masked.contains("010203-XXXX") && masked.contains("1203851234"));
    }

    #[test]
    fn enquiry_keys_are_the_senders_and_the_cpr_numbers_written_in_it() {
        let e = fixtures::enquiry(
            "2026-03-02T09:00:00+01:00",
            "Mit CPR-nummer er 120385-1234; min datter har 010203-4321.",
        );
        assert_eq!(
            enquiry_keys(&e),
            [
                "cpr:1203851234",
                "email:fatima@example.com",
                "name:fatima hassan|nørrebrogade 12, 2200 københavn n",
                "cpr:0102034321",
            ]
        );
    }

    #[test]
    fn a_duplicate_is_the_latest_same_right_request_within_the_window() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let others = [
            (
                Reference::new(2026, 1),
                Some(RightKind::Access),
                d("2026-01-01"),
            ),
            (
                Reference::new(2026, 2),
                Some(RightKind::Access),
                d("2026-02-20"),
            ),
            (
                Reference::new(2026, 3),
                Some(RightKind::Erasure),
                d("2026-03-01"),
            ),
            (Reference::new(2026, 4), None, d("2026-03-01")),
        ];
        let right = RightKind::Access;
        let me = Reference::new(2026, 9);
        // A later request does not make this one a duplicate.
        assert_eq!(
            duplicate_of(me, right, d("2026-01-20"), 30, &others),
            Some(Reference::new(2026, 1))
        );
        assert_eq!(
            duplicate_of(Reference::new(2026, 1), right, d("2026-01-01"), 30, &others),
            None
        );
        assert_eq!(
            duplicate_of(me, right, d("2026-03-01"), 30, &others),
            Some(Reference::new(2026, 2))
        );
        assert_eq!(duplicate_of(me, right, d("2026-03-23"), 30, &others), None);
        assert_eq!(
            duplicate_of(me, RightKind::Objection, d("2026-03-01"), 30, &others),
            None
        );
        assert_eq!(
            duplicate_of(me, RightKind::Erasure, d("2026-03-31"), 30, &others),
            Some(Reference::new(2026, 3))
        );
    }

    #[test]
    fn restricted_cases_and_restricted_recipients_leave_no_trace() {
        let policy = fixtures::policy();
        let mut open = case(1, "Spørgsmål om min sag.");
        open.purpose = Some("citizen-enquiries".into());
        disclose(&mut open, "police", None);
        // Waived: the case stays unrestricted, but the disclosure itself must not show.
        disclose(&mut open, "pet", None);
        disclose(
            &mut open,
            "unhcr",
            Some("Art. 49(1)(d), important reasons of public interest"),
        );
        disclose(&mut open, "gone-from-policy", None);
        let mut secret = case(2, "Hemmelig sag");
        secret.restriction = Some(Flag {
            reason: "disclosed to PET (Art. 23)".into(),
            set: stamp("2026-03-05T10:00:00Z"),
        });
        let reads = [
            Read {
                at: fixtures::at("2026-03-06T10:00:00Z"),
                reference: Some(Reference::new(2026, 1)),
                action: "open".into(),
            },
            Read {
                at: fixtures::at("2026-03-07T10:00:00Z"),
                reference: Some(Reference::new(2026, 2)),
                action: "reveal-cpr".into(),
            },
        ];
        for lang in [Language::En, Language::Da] {
            let r = access_report(
                &policy,
                &fatima(),
                &[open.clone(), secret.clone()],
                lang,
                today(),
                Some(&reads),
            );
            assert_eq!(r.cases.len(), 1);
            let recipients: Vec<&str> = r.cases[0]
                .recipients
                .recipients
                .iter()
                .map(|x| x.id.as_str())
                .collect();
            assert_eq!(recipients, ["police", "unhcr"]);
            assert_eq!(
                r.cases[0].recipients.recipients[1].safeguard.as_deref(),
                Some("Art. 49(1)(d), important reasons of public interest")
            );
            let log = r.log.as_ref().unwrap();
            assert_eq!(log.entries.len(), 1);
            let md = access_markdown(&r);
            let json = serde_json::to_string(&r).unwrap();
            for text in [&md, &json] {
                for hidden in [
                    "2026-000002",
                    "Hemmelig",
                    "PET",
                    "Efterretning",
                    "Intelligence",
                    "gone-from-policy",
                    "anne",
                    "withheld",
                    "Article 23",
                    "artikel 23",
                    "Art. 23",
                ] {
                    assert!(!text.contains(hidden), "{hidden} in {lang:?}: {text}");
                }
            }
        }
    }

    #[test]
    fn the_answer_has_items_a_to_g_and_a_copy_in_both_languages() {
        let policy = fixtures::policy();
        let mut c = case(1, "Mit CPR-nummer er 120385-1234. Min søn har 010203-1234.");
        c.purpose = Some("data-subject-rights".into());
        c.right = Some(RightKind::Access);
        c.categories.push(CategoryDecision {
            category: DataCategory::Cpr,
            verdict: Verdict::Confirmed,
            decided: stamp("2026-03-03T10:00:00Z"),
        });
        c.closed = Some(stamp("2026-03-20T10:00:00Z"));
        c.decision = Some(Decision {
            outcome: Outcome::PartlyGranted,
            ruling: Some(Ruling {
                reasons: "Parts concern another person's protected interests.".into(),
                ground: "Data Protection Act § 22".into(),
            }),
            made: stamp("2026-03-19T10:00:00Z"),
        });
        let en = access_markdown(&access_report(
            &policy,
            &fatima(),
            &[c.clone()],
            Language::En,
            today(),
            None,
        ));
        for item in [
            "(a) Purpose and legal basis",
            "GDPR Art. 6(1)(c)",
            "(b) Categories of personal data",
            "CPR number",
            "(c) Recipients",
            "has not been disclosed",
            "(d) How long the data is kept",
            "1 January 2027",
            "(e) Your rights",
            "rectified (Article 16)",
            "(Article 17)",
            "(Article 18)",
            "(Article 21)",
            "(f) Complaint to the Danish Data Protection Agency",
            "Datatilsynet",
            "(g) Where the data came from",
            "Copy of the personal data",
            "120385-1234",
            "010203-XXXX",
            "Data Protection Act § 22",
            "partly granted",
            "dpo@example.dk",
        ] {
            assert!(en.contains(item), "missing {item:?}:\n{en}");
        }
        assert!(
            !en.contains("010203-1234"),
            "another person's CPR number in clear"
        );
        let da = access_markdown(&access_report(
            &policy,
            &fatima(),
            &[c],
            Language::Da,
            today(),
            None,
        ));
        for item in [
            "Indsigt i dine personoplysninger",
            "(a) Formål og retsgrundlag",
            "databeskyttelsesforordningens art. 6, stk. 1, litra c",
            "(b) Kategorier af personoplysninger",
            "CPR-nummer",
            "(c) Modtagere",
            "(d) Hvor længe oplysningerne opbevares",
            "1. januar 2027",
            "berigtiget",
            "slettet",
            "begrænset",
            "indsigelse",
            "(f) Klage til Datatilsynet",
            "(g) Hvor oplysningerne stammer fra",
            "Kopi af personoplysningerne",
            "delvist imødekommet",
            "Hjemmel",
            "Databeskyttelsesrådgiver",
        ] {
            assert!(da.contains(item), "missing {item:?}:\n{da}");
        }
    }

    #[test]
    fn a_person_mentioned_gets_the_text_but_not_the_senders_details() {
        let policy = fixtures::policy();
        let c = case(1, "Jeg skriver om min nabo 010203-1234.");
        let neighbour = [SubjectId::parse("010203-1234").unwrap()];
        let r = access_report(&policy, &neighbour, &[c], Language::En, today(), None);
        let copy = &r.cases[0].copy;
        assert_eq!(r.cases[0].role, Role::Mentioned);
        assert!(copy.fields.is_empty());
        assert!(copy.note.is_some());
        assert!(copy.text.contains("010203-1234"));
        let md = access_markdown(&r);
        assert!(
            !md.contains("fatima") && !md.contains("Fatima") && !md.contains("120385"),
            "{md}"
        );
    }

    #[test]
    fn deadlines_group_open_cases_and_show_duplicates() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let reading = |due: &str| {
            Some(ClockReading {
                due: d(due),
                complaint_date: None,
                countdown: "x".into(),
                urgency: 0,
            })
        };
        let mut dup = case(3, "igen");
        dup.duplicate_of = Some(Reference::new(2026, 1));
        let mut closed = case(4, "lukket");
        closed.status = crate::domain::case::Status::Closed;
        let cases = vec![
            (case(1, "a"), reading("2026-11-20")),
            (case(2, "b"), reading("2026-11-24")),
            (dup, reading("2026-11-27")),
            (case(5, "c"), None),
            (closed, None),
        ];
        let r = deadlines(&cases, Language::En, today());
        let states: Vec<(DeadlineState, usize)> =
            r.groups.iter().map(|g| (g.state, g.cases.len())).collect();
        assert_eq!(
            states,
            [
                (DeadlineState::Overdue, 1),
                (DeadlineState::DueToday, 1),
                (DeadlineState::DueSoon, 1),
                (DeadlineState::NoDeadline, 1)
            ]
        );
        let md = deadlines_markdown(&r);
        assert!(md.contains("possible duplicate of 2026-000001"), "{md}");
        assert!(!md.contains("2026-000004"));
    }

    #[test]
    fn the_disclosures_report_leaves_out_art_23_unless_asked() {
        let policy = fixtures::policy();
        let mut c = case(1, "x");
        disclose(&mut c, "police", None);
        disclose(&mut c, "pet", None);
        let mut r2 = case(2, "y");
        disclose(&mut r2, "police", None);
        r2.restriction = Some(Flag {
            reason: "Art. 23".into(),
            set: stamp("2026-03-05T10:00:00Z"),
        });
        let cases = [c, r2];
        let plain = disclosures(&policy, &cases, &DisclosureFilter::default(), Language::En);
        assert_eq!(plain.rows.len(), 1);
        assert!(!disclosures_markdown(&plain).contains("Intelligence"));
        let all = DisclosureFilter {
            include_restricted: true,
            ..Default::default()
        };
        assert_eq!(
            disclosures(&policy, &cases, &all, Language::En).rows.len(),
            3
        );
        let later = DisclosureFilter {
            from: NaiveDate::from_ymd_opt(2026, 3, 6),
            ..Default::default()
        };
        assert!(disclosures(&policy, &cases, &later, Language::En)
            .rows
            .is_empty());
    }

    #[test]
    fn the_ropa_has_controller_dpo_purposes_recipients_transfers_and_security() {
        let policy = fixtures::policy();
        let r = ropa(&policy, Language::En, today());
        assert_eq!(r.activities.len(), policy.purposes.len());
        let md = ropa_markdown(&r);
        for item in [
            "Test authority",
            "dpo@example.dk",
            "Citizen enquiries",
            "Time limit for erasure",
            "International organisation",
            "Article 23",
        ] {
            assert!(md.contains(item), "{item}: {md}");
        }
        assert!(ropa_markdown(&ropa(&policy, Language::Da, today()))
            .contains("Fortegnelse over behandlingsaktiviteter"));
    }

    #[test]
    fn a_ruling_letter_needs_a_decision() {
        let policy = fixtures::policy();
        let mut c = case(1, "x");
        assert!(ruling_letter(&policy, &c, Language::En).is_none());
        c.right = Some(RightKind::Erasure);
        c.decision = Some(Decision {
            outcome: Outcome::Refused,
            ruling: Some(Ruling {
                reasons: "The case must be kept under the Archives Act.".into(),
                ground: "GDPR Art. 17(3)(b)".into(),
            }),
            made: stamp("2026-03-19T10:00:00Z"),
        });
        let md = ruling_markdown(&ruling_letter(&policy, &c, Language::Da).unwrap());
        for item in [
            "afslået",
            "sletning",
            "GDPR Art. 17(3)(b)",
            "Archives Act",
            "Datatilsynet",
        ] {
            assert!(md.contains(item), "{item}: {md}");
        }
    }
}
