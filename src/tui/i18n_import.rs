//! Why an import refuses a record or a file, in English and Danish.
//!
//! `Display` is the English text (tests and the quarantine files of English imports match
//! it); `text(lang)` says it in the chosen language. Text from a parser (serde_json's own
//! message, an I/O error) and the value quoted from the file stay as they are.

use super::i18n::Lang;
use crate::import::{ImportError, MAX_BODY_BYTES, MAX_FIELD_BYTES};

/// Why one record (a line, a message) cannot be registered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    NotUtf8 {
        byte: usize,
    },
    /// Not JSON at all, with serde_json's message.
    NotJson(String),
    NotAnObject,
    /// The value as quoted from the line (clipped, sanitised).
    BadReceived(String),
    BadChannel(String),
    BadLanguage(String),
    BadRight(String),
    /// serde_json's own message for any other field.
    Parser(String),
    BodyTooLong {
        bytes: usize,
    },
    /// `field` is "subject" or "sender.name".
    FieldTooLong {
        field: &'static str,
        bytes: usize,
    },
    SenderFieldTooLong {
        bytes: usize,
    },
    SenderNameEmpty,
    BadCpr,
    NotMail,
    NoHeaderFields,
    NoMessages,
}

const RECEIVED_FORM: &str = "2026-11-30T09:14:00+01:00";
const CHANNELS: &str = "e-boks, email, letter, phone, contact-form, in-person";
const RIGHTS: &str = "access, rectification, erasure, restriction, objection";

impl Reason {
    /// The reason in `lang`, any CPR number in a quoted value masked.
    pub fn text(&self, lang: Lang) -> String {
        crate::domain::cpr::mask_cprs(&self.unmasked(lang))
    }

    fn unmasked(&self, lang: Lang) -> String {
        use Reason as R;
        match (self, lang) {
            (R::NotUtf8 { byte }, Lang::En) => format!("not valid UTF-8 (byte {byte})"),
            (R::NotUtf8 { byte }, Lang::Da) => format!("ikke gyldig UTF-8 (byte {byte})"),
            (R::NotJson(e), Lang::En) => format!("not a JSON object ({e})"),
            (R::NotJson(e), Lang::Da) => format!("ikke et JSON-objekt ({e})"),
            (R::NotAnObject, Lang::En) => "not a JSON object: each line must be one enquiry {\"received\": …, \"sender\": …}".into(),
            (R::NotAnObject, Lang::Da) => "ikke et JSON-objekt: hver linje skal være én henvendelse {\"received\": …, \"sender\": …}".into(),
            (R::BadReceived(v), Lang::En) => format!("\"received\": {v} is not a date-time like {RECEIVED_FORM}"),
            (R::BadReceived(v), Lang::Da) => format!("\"received\": {v} er ikke et tidspunkt som {RECEIVED_FORM}"),
            (R::BadChannel(v), Lang::En) => format!("\"channel\": {v} is not one of {CHANNELS}"),
            (R::BadChannel(v), Lang::Da) => format!("\"channel\": {v} er ikke en af {CHANNELS}"),
            (R::BadLanguage(v), Lang::En) => format!("\"language\": {v} is not da or en"),
            (R::BadLanguage(v), Lang::Da) => format!("\"language\": {v} er ikke da eller en"),
            (R::BadRight(v), Lang::En) => format!("\"right\": {v} is not one of {RIGHTS}"),
            (R::BadRight(v), Lang::Da) => format!("\"right\": {v} er ikke en af {RIGHTS}"),
            (R::Parser(m), Lang::En) => m.clone(),
            (R::Parser(m), Lang::Da) => format!("kan ikke læses som en henvendelse: {m}"),
            (R::BodyTooLong { bytes }, Lang::En) => format!("body is {bytes} bytes; the limit is {MAX_BODY_BYTES}"),
            (R::BodyTooLong { bytes }, Lang::Da) => format!("brødteksten er {bytes} bytes; grænsen er {MAX_BODY_BYTES}"),
            (R::FieldTooLong { field, bytes }, Lang::En) => format!("{field} is {bytes} bytes; the limit is {MAX_FIELD_BYTES}"),
            (R::FieldTooLong { field, bytes }, Lang::Da) => format!("{field} er {bytes} bytes; grænsen er {MAX_FIELD_BYTES}"),
            (R::SenderFieldTooLong { bytes }, Lang::En) => format!("a sender field is {bytes} bytes; the limit is {MAX_FIELD_BYTES}"),
            (R::SenderFieldTooLong { bytes }, Lang::Da) => format!("et afsenderfelt er {bytes} bytes; grænsen er {MAX_FIELD_BYTES}"),
            (R::SenderNameEmpty, Lang::En) => "sender.name is empty".into(),
            (R::SenderNameEmpty, Lang::Da) => "sender.name er tom".into(),
            // The value is not quoted: a mistyped CPR number is still a person's number.
            (R::BadCpr, Lang::En) => "sender.cpr is not a CPR number (DDMMYY-SSSS with a real date)".into(),
            (R::BadCpr, Lang::Da) => "sender.cpr er ikke et CPR-nummer (DDMMÅÅ-SSSS med en gyldig dato)".into(),
            (R::NotMail, Lang::En) => "not an e-mail message".into(),
            (R::NotMail, Lang::Da) => "ikke en e-mail".into(),
            (R::NoHeaderFields, Lang::En) => "not an e-mail message (no header fields)".into(),
            (R::NoHeaderFields, Lang::Da) => "ikke en e-mail (ingen brevhoved)".into(),
            (R::NoMessages, Lang::En) => "no messages found".into(),
            (R::NoMessages, Lang::Da) => "ingen meddelelser fundet".into(),
        }
    }
}

impl std::fmt::Display for Reason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text(Lang::En))
    }
}

/// A file refused whole, said in `lang`; English is its `Display`. The I/O error's own
/// text stays as the system gives it.
pub fn import_error(lang: Lang, e: &ImportError) -> String {
    if lang == Lang::En {
        return e.to_string();
    }
    const NOTHING: &str = "intet fra denne fil blev importeret";
    match e {
        ImportError::Io { file, source } => {
            format!("{}: kan ikke læses: {source}", file.display())
        }
        ImportError::Record {
            file,
            line,
            message,
        } => format!(
            "{}:{line}: {}\n  {NOTHING}",
            file.display(),
            message.text(lang)
        ),
        ImportError::Message {
            file,
            index,
            message,
        } => format!(
            "{}: meddelelse {index}: {}\n  {NOTHING}",
            file.display(),
            message.text(lang)
        ),
        ImportError::UnknownFormat { file } => format!(
            "{}: ikke et filformat, triage læser (JSON Lines, en e-mail, en mbox-fil eller en maildir-mappe)",
            file.display()
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;
    use std::path::PathBuf;

    fn every() -> Vec<Reason> {
        let v = || "\"x\"".to_string();
        vec![
            Reason::NotUtf8 { byte: 3 },
            Reason::NotJson("expected value".into()),
            Reason::NotAnObject,
            Reason::BadReceived(v()),
            Reason::BadChannel(v()),
            Reason::BadLanguage(v()),
            Reason::BadRight(v()),
            Reason::Parser("missing field `sender`".into()),
            Reason::BodyTooLong { bytes: 9 },
            Reason::FieldTooLong {
                field: "subject",
                bytes: 9,
            },
            Reason::SenderFieldTooLong { bytes: 9 },
            Reason::SenderNameEmpty,
            Reason::BadCpr,
            Reason::NotMail,
            Reason::NoHeaderFields,
            Reason::NoMessages,
        ]
    }

    #[test]
    fn every_reason_has_distinct_english_and_danish_text() {
        let all = every();
        let mut seen = HashSet::new();
        for r in &all {
            let (en, da) = (r.text(Lang::En), r.text(Lang::Da));
            assert!(!en.is_empty() && !da.is_empty(), "{r:?}");
            assert_ne!(en, da, "{r:?}");
            assert_eq!(r.to_string(), en);
            assert!(
                seen.insert(en) && seen.insert(da),
                "{r:?} says what another says"
            );
        }
        // A new variant is listed above too: the match in `text` and this count change together.
        assert_eq!(all.len(), 16);
    }

    #[test]
    fn the_english_text_is_what_it_always_was() {
        assert_eq!(
            Reason::BadReceived("\"soon\"".into()).to_string(),
            "\"received\": \"soon\" is not a date-time like 2026-11-30T09:14:00+01:00"
        );
        assert_eq!(Reason::NotMail.to_string(), "not an e-mail message");
    }

    #[test]
    fn a_refused_file_is_framed_in_danish_around_the_systems_text() {
        let file = PathBuf::from("in.jsonl");
        let e = ImportError::Record {
            file: file.clone(),
            line: 2,
            message: Reason::NotAnObject,
        };
        assert_eq!(import_error(Lang::En, &e), e.to_string());
        let da = import_error(Lang::Da, &e);
        assert!(da.starts_with("in.jsonl:2: ikke et JSON-objekt"), "{da}");
        assert!(
            da.contains("intet fra denne fil") && !da.contains("nothing"),
            "{da}"
        );
        let io = ImportError::Io {
            file,
            source: std::io::Error::other("disk gone"),
        };
        let da = import_error(Lang::Da, &io);
        assert_eq!(da, "in.jsonl: kan ikke læses: disk gone");
        let e = ImportError::UnknownFormat {
            file: PathBuf::from("a.pdf"),
        };
        let (en, da) = (import_error(Lang::En, &e), import_error(Lang::Da, &e));
        assert!(en.contains("not a file format") && da.contains("ikke et filformat"));
    }
}
