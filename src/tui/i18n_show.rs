//! The sentences of `triage show` beyond its labels (clock notes, duplicate warnings, flags), in English and Danish.

use super::i18n::Lang;
use crate::domain::case::{DisclosureKind, Outcome};
use crate::domain::enquiry::Reference;
use chrono::NaiveDate;

/// A note beside the answer deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClockNote {
    /// The deadline is counted from the purpose the tool suggested; nobody has set one.
    OnSuggestedPurpose,
    Extended,
    /// The clock is paused now, for this many days so far.
    PausedNow {
        days: i64,
    },
    /// Pauses, since ended, added this many days.
    PausedBefore {
        days: i64,
    },
    /// Offentlighedsloven § 36: past 7 working days the requester is told why and when.
    DelayLetterDue,
    /// § 39: past 14 working days the requester may complain about the processing time.
    ComplaintPossible,
}

impl ClockNote {
    pub fn text(self, lang: Lang) -> String {
        use ClockNote as N;
        match (self, lang) {
            (N::OnSuggestedPurpose, Lang::En) => "on the suggested purpose".into(),
            (N::OnSuggestedPurpose, Lang::Da) => "ud fra det foreslåede formål".into(),
            (N::Extended, Lang::En) => "extended by two months (Art. 12(3))".into(),
            (N::Extended, Lang::Da) => "forlænget med to måneder (art. 12, stk. 3)".into(),
            (N::PausedNow { days }, Lang::En) => {
                format!("PAUSED for identity verification, {days} days so far")
            }
            (N::PausedNow { days }, Lang::Da) => {
                format!("SAT PÅ PAUSE, mens identiteten bekræftes, {days} dage indtil nu")
            }
            (N::PausedBefore { days }, Lang::En) => format!("{days} days paused"),
            (N::PausedBefore { days }, Lang::Da) => format!("{days} dage på pause"),
            (N::DelayLetterDue, Lang::En) => "the 7 working days run out: a letter with reasons and an expected date is due (Offentlighedsloven § 36)".into(),
            (N::DelayLetterDue, Lang::Da) => "de 7 arbejdsdage er gået: ansøgeren skal have en underretning med begrundelse og forventet tidspunkt for afgørelsen (offentlighedslovens § 36)".into(),
            (N::ComplaintPossible, Lang::En) => "14 working days have passed: the requester may complain about the processing time (§ 39)".into(),
            (N::ComplaintPossible, Lang::Da) => "14 arbejdsdage er gået: ansøgeren kan klage over sagsbehandlingstiden (offentlighedslovens § 39)".into(),
        }
    }
}

/// The line that says from which day the requester may complain (§ 39).
pub fn complaint_date(lang: Lang, day: NaiveDate) -> String {
    match lang {
        Lang::En => format!(
            "§ 39      {day} (complaint about the processing time possible after 14 working days)"
        ),
        Lang::Da => format!(
            "§ 39      {day} (klage over sagsbehandlingstiden er mulig efter 14 arbejdsdage)"
        ),
    }
}

/// Why a case may be a duplicate of `first`. Nothing is merged: staff decide.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Duplicate {
    /// The same person asked for the same right within `days` days.
    SameRight { first: Reference, days: u32 },
    /// The same Message-ID as `first`, with other content.
    SameMessageId { first: Reference },
}

impl Duplicate {
    pub fn text(self, lang: Lang) -> String {
        use Duplicate as D;
        match (self, lang) {
            (D::SameRight { first, days }, Lang::En) => format!(
                "DUPLICATE? the same person asked for the same right in {first} (within {days} days); not merged"
            ),
            (D::SameRight { first, days }, Lang::Da) => format!(
                "DUBLET? samme person har anmodet om samme rettighed i {first} (inden for {days} dage); ikke lagt sammen"
            ),
            (D::SameMessageId { first }, Lang::En) => format!(
                "DUPLICATE? the same Message-ID as {first}, with other content; not merged"
            ),
            (D::SameMessageId { first }, Lang::Da) => format!(
                "DUBLET? samme Message-ID som {first}, men med andet indhold; ikke lagt sammen"
            ),
        }
    }
}

/// The heading of a restriction (Art. 23) or a legal hold, before its reason.
pub fn restricted(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "RESTRICTED (Art. 23)",
        Lang::Da => "BEGRÆNSET (art. 23)",
    }
}

pub fn legal_hold(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "LEGAL HOLD",
        Lang::Da => "RETSLIG TILBAGEHOLDELSE",
    }
}

/// A disclosure's line: number, kind, recipient, bases, who and when. Ids (recipient, bases)
/// stay ids, as the CLI takes them; `by` and `recipient` come made safe.
pub struct DisclosureLine<'a> {
    pub id: u32,
    pub kind: DisclosureKind,
    pub recipient: &'a str,
    pub bases: &'a str,
    pub by: &'a str,
    pub at: &'a str,
    pub withdrawn: bool,
}

impl DisclosureLine<'_> {
    pub fn text(&self, lang: Lang) -> String {
        let d = self;
        match lang {
            Lang::En => format!(
                "disclosure #{} {:?} to {} on {} by {} at {}{}",
                d.id,
                d.kind,
                d.recipient,
                d.bases,
                d.by,
                d.at,
                if d.withdrawn { " (withdrawn)" } else { "" }
            ),
            Lang::Da => format!(
                "{} nr. {} til {} efter {} af {} {}{}",
                match d.kind {
                    DisclosureKind::Disclosure => "videregivelse",
                    DisclosureKind::Forward => "videresendelse",
                    DisclosureKind::EmployerNotice => "arbejdsgiverunderretning",
                },
                d.id,
                d.recipient,
                d.bases,
                d.by,
                d.at,
                if d.withdrawn {
                    " (trukket tilbage)"
                } else {
                    ""
                }
            ),
        }
    }
}

/// A decision's outcome: its id in English (as the CLI takes it), its name in Danish.
pub fn outcome(lang: Lang, o: Outcome) -> &'static str {
    use super::i18n::{t, Msg};
    match (lang, o) {
        (Lang::En, o) => o.as_id(),
        (Lang::Da, Outcome::Granted) => t(lang, Msg::OutcomeGranted),
        (Lang::Da, Outcome::PartlyGranted) => t(lang, Msg::OutcomePartly),
        (Lang::Da, Outcome::Refused) => t(lang, Msg::OutcomeRefused),
    }
}

/// A note as the rules stored it: the fixed label the rules put before an answer's summary
/// or a closing reason said in `lang`; the words staff wrote stay as written.
pub fn note(lang: Lang, text: &str) -> String {
    if lang == Lang::En {
        return text.to_string();
    }
    for (en, da) in [("Answered: ", "Besvaret: "), ("Closed: ", "Lukket: ")] {
        if let Some(rest) = text.strip_prefix(en) {
            return format!("{da}{rest}");
        }
    }
    // The note an extension leaves (`command::apply`).
    if text == crate::domain::command::EXTENSION_NOTE {
        return "Den, der har anmodet, skal have besked om forlængelsen og grundene til den inden for den første måned (art. 12, stk. 3).".into();
    }
    text.to_string()
}

/// How an import read a message: the file and record, then the notes the mail reader
/// made, a fixed set of phrases (`import::mail`), said in `lang`. Longer phrases first, so
/// a shorter one never cuts into a longer.
const SOURCE_DA: &[(&str, &str)] = &[
    (
        "no usable Message-ID: header; one made from the content stands in",
        "intet brugbart Message-ID:-felt; et dannet ud fra indholdet bruges i stedet",
    ),
    (
        "no Received: header; received when delivered to the maildir",
        "intet Received:-felt; modtaget, da den blev lagt i maildir",
    ),
    (
        "no usable Received: header; received at the import",
        "intet brugbart Received:-felt; modtaget ved importen",
    ),
    (
        "the topmost Received: header has no readable date",
        "det øverste Received:-felt har ingen læsbar dato",
    ),
    (
        "the maildir file's time is implausible; not used",
        "maildir-filens tidspunkt er usandsynligt; ikke brugt",
    ),
    (
        "no usable From: header; sender taken from Sender:",
        "intet brugbart From:-felt; afsenderen er taget fra Sender:",
    ),
    (
        "no usable From: header; sender taken from the envelope",
        "intet brugbart From:-felt; afsenderen er taget fra konvolutten",
    ),
    (
        "no sender address in the message or its envelope",
        "ingen afsenderadresse i meddelelsen eller dens konvolut",
    ),
    (
        "several From: headers; the first is used",
        "flere From:-felter; det første bruges",
    ),
    (
        "the sender has a name but no address",
        "afsenderen har et navn, men ingen adresse",
    ),
    ("the topmost Received: date ", "den øverste Received:-dato "),
    (
        " is before e-mail was in use; not used",
        " ligger før e-mail var i brug; ikke brugt",
    ),
    (
        " is in the future; not used",
        " ligger i fremtiden; ikke brugt",
    ),
    (" (no time zone given)", " (ingen tidszone angivet)"),
    (" cannot be read", " kan ikke læses"),
    ("no Date: header", "intet Date:-felt"),
    ("sender's Date: ", "afsenderens Date: "),
];

/// The mail reader's notes (`import::mail`), said in `lang`; other words stay as written.
pub fn import_notes(lang: Lang, text: &str) -> String {
    let mut notes = text.to_string();
    if lang == Lang::Da {
        for (en, da) in SOURCE_DA {
            notes = notes.replace(en, da);
        }
    }
    notes
}

pub fn source(lang: Lang, text: &str) -> String {
    if lang == Lang::En {
        return text.to_string();
    }
    // The notes follow the file's name; a phrase inside the name itself is left alone.
    let (file, notes) = match text.find(" (") {
        Some(i) => text.split_at(i),
        None => (text, ""),
    };
    let notes = import_notes(lang, notes);
    // An mbox's record: "FILE message 3".
    let file = match file.rsplit_once(" message ") {
        Some((path, n)) if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => {
            format!("{path} meddelelse {n}")
        }
        _ => file.to_string(),
    };
    format!("{file}{notes}")
}

/// The two lines `triage show` gives for an erased case: when, by whom and on what ground,
/// then what is kept (the purpose and the day it came).
pub fn erased(
    lang: Lang,
    reference: Reference,
    day: &str,
    by: &str,
    ground: &str,
    purpose: &str,
    received: &str,
) -> [String; 2] {
    match lang {
        Lang::En => [
            format!("{reference}  erased {day} by {by}: {ground}"),
            format!("purpose: {purpose}  received: {received}"),
        ],
        Lang::Da => [
            format!("{reference}  slettet {day} af {by}: {ground}"),
            format!("formål: {purpose}  modtaget: {received}"),
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn every_sentence(lang: Lang) -> Vec<String> {
        let first = Reference::new(2026, 4);
        let day = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
        let mut all: Vec<String> = [
            ClockNote::OnSuggestedPurpose,
            ClockNote::Extended,
            ClockNote::PausedNow { days: 3 },
            ClockNote::PausedBefore { days: 3 },
            ClockNote::DelayLetterDue,
            ClockNote::ComplaintPossible,
        ]
        .iter()
        .map(|n| n.text(lang))
        .collect();
        all.push(complaint_date(lang, day));
        all.push(Duplicate::SameRight { first, days: 30 }.text(lang));
        all.push(Duplicate::SameMessageId { first }.text(lang));
        all.push(restricted(lang).into());
        all.push(legal_hold(lang).into());
        all.push(
            DisclosureLine {
                id: 2,
                kind: DisclosureKind::Forward,
                recipient: "police",
                bases: "pal-7",
                by: "anne",
                at: "2026-12-01 10:00",
                withdrawn: true,
            }
            .text(lang),
        );
        for o in [Outcome::Granted, Outcome::PartlyGranted, Outcome::Refused] {
            all.push(outcome(lang, o).into());
        }
        all
    }

    #[test]
    fn every_sentence_is_said_in_danish_without_english_words() {
        let en = every_sentence(Lang::En);
        let da = every_sentence(Lang::Da);
        let english = [
            "the",
            "days",
            "working",
            "paused",
            "duplicate",
            "merged",
            "complaint",
            "extended",
            "on",
            "with",
            "of",
            "restricted",
            "hold",
            "legal",
            "requester",
            "may",
            "same",
            "disclosure",
            "forward",
            "by",
            "withdrawn",
            "granted",
            "refused",
        ];
        for (e, d) in en.iter().zip(&da) {
            assert_ne!(e, d, "not translated");
            let words: Vec<String> = d
                .split(|c: char| !c.is_alphanumeric())
                .map(str::to_lowercase)
                .collect();
            for w in english {
                assert!(!words.iter().any(|x| x == w), "`{w}` in: {d}");
            }
        }
        // The check can fail: English says these words.
        let en = en.join(" ").to_lowercase();
        for w in ["working days", "duplicate", "merged"] {
            assert!(en.contains(w), "{w}");
        }
        assert!(da.iter().any(|d| d.contains("offentlighedslovens § 36")));
    }

    #[test]
    fn every_import_note_has_its_danish() {
        // Each phrase the mail reader writes, as `import::mail` words it.
        let notes = [
            "no usable Message-ID: header; one made from the content stands in",
            "the topmost Received: date 2099-01-01 10:00 +01:00 is in the future; not used",
            "the topmost Received: header has no readable date",
            "the maildir file's time is implausible; not used",
            "no Received: header; received when delivered to the maildir",
            "no usable Received: header; received at the import",
            "no Date: header",
            "sender's Date: 1970-01-01 00:00 +00:00 (no time zone given) is before e-mail was in use; not used",
            "sender's Date: `gibberish` cannot be read",
            "several From: headers; the first is used",
            "no usable From: header; sender taken from Sender:",
            "no usable From: header; sender taken from the envelope",
            "the sender has a name but no address",
            "no sender address in the message or its envelope",
        ];
        let en = format!("in/no mail.mbox message 3 ({})", notes.join("; "));
        assert_eq!(source(Lang::En, &en), en);
        let da = source(Lang::Da, &en);
        assert!(da.starts_with("in/no mail.mbox meddelelse 3 ("), "{da}");
        // Header names stay as the message has them.
        let mut notes_da = da[da.find(" (").unwrap()..].to_string();
        for h in ["Message-ID:", "Received:", "Date:", "From:", "Sender:"] {
            notes_da = notes_da.replace(h, "");
        }
        let words: Vec<String> = notes_da
            .split(|c: char| !c.is_alphanumeric() && c != '\'')
            .map(str::to_lowercase)
            .collect();
        for w in [
            "no", "usable", "header", "the", "is", "not", "used", "received", "sender", "from",
            "first", "address", "message", "future", "before", "zone", "read", "import",
        ] {
            assert!(!words.iter().any(|x| x == w), "`{w}` in: {da}");
        }
        assert_eq!(note(Lang::Da, "Answered: Ja."), "Besvaret: Ja.");
        assert_eq!(note(Lang::Da, "Closed: Færdig."), "Lukket: Færdig.");
        assert_eq!(note(Lang::Da, "Ringet op."), "Ringet op.");
    }
}
