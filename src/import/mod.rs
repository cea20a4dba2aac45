//! Reading enquiries from files: JSON Lines in triage's own format, e-mail, mbox, maildir.
//!
//! A file is read whole before anything is stored, so a malformed record refuses the file
//! with its line (or message) number and nothing of it is registered.

pub mod date;
pub mod decode;
pub mod mail;
pub mod mailbox;
pub mod outcome;

use crate::domain::enquiry::{Enquiry, Language};
use crate::domain::sanitize::{sanitize_line, sanitize_text};
use chrono::{DateTime, Utc};
use mail::MailContext;
use mailbox::Format;
use std::path::{Path, PathBuf};

pub use crate::tui::i18n_import::Reason;

/// Largest body accepted; longer ones are refused rather than stored half.
pub const MAX_BODY_BYTES: usize = 4 * 1024 * 1024;
/// Largest subject, sender field or file name accepted.
pub const MAX_FIELD_BYTES: usize = 4 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{}: {source}", .file.display())]
    Io {
        file: PathBuf,
        source: std::io::Error,
    },
    #[error("{}:{line}: {message}\n  nothing from this file was imported", .file.display())]
    Record {
        file: PathBuf,
        line: usize,
        message: Reason,
    },
    #[error("{}: message {index}: {message}\n  nothing from this file was imported", .file.display())]
    Message {
        file: PathBuf,
        index: usize,
        message: Reason,
    },
    #[error("{}: not a file format triage reads (JSON Lines, an e-mail message, an mbox file, or a maildir folder)", .file.display())]
    UnknownFormat { file: PathBuf },
}

/// An enquiry read from a file, with where it came from.
#[derive(Debug, Clone)]
pub struct Record {
    pub enquiry: Enquiry,
    /// The file and message (or line), then the notes: recorded with the registration.
    pub source: String,
    /// Which record of its file: "message 3", "line 3".
    pub what: String,
    /// What the caseworker should look at: how the message was read where it was odd
    /// (no From:, a Date: in the future, the receipt time from the import, …).
    pub flags: Vec<String>,
}

/// A message or line that cannot be registered, with why and its bytes as they came.
#[derive(Debug, Clone)]
pub struct Refused {
    /// "message 3", "line 3" or a maildir file's name.
    pub what: String,
    pub reason: Reason,
    pub raw: Vec<u8>,
}

/// Everything read from one path: what can be registered and what cannot.
#[derive(Debug, Clone)]
pub struct FileRead {
    pub file: PathBuf,
    pub records: Vec<Record>,
    pub refused: Vec<Refused>,
}

impl FileRead {
    /// The file all or nothing: its first refusal as an error, else its records.
    pub fn whole(self) -> Result<Vec<Record>, ImportError> {
        let Some(first) = self.refused.into_iter().next() else {
            return Ok(self.records);
        };
        let file = self.file;
        let message = first.reason;
        Err(match first.what.strip_prefix("line ") {
            Some(n) => ImportError::Record {
                file,
                line: n.parse().unwrap_or(0),
                message,
            },
            None => ImportError::Message {
                file,
                index: first
                    .what
                    .split_whitespace()
                    .nth(1)
                    .and_then(|n| n.parse().ok())
                    .unwrap_or(0),
                message,
            },
        })
    }
}

/// The files an import of `paths` reads, in order: a folder that is not a maildir stands
/// for what it holds (files and maildirs, sorted by name, hidden ones left out, sub-folders
/// followed), so `triage import mail/` reads a folder of saved messages. A folder that
/// holds nothing is kept, so it is refused by name.
pub fn expand(paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for p in paths {
        expand_into(p, &mut out, 0);
    }
    out
}

fn is_maildir(path: &Path) -> bool {
    path.join("cur").is_dir() || path.join("new").is_dir()
}

fn expand_into(path: &Path, out: &mut Vec<PathBuf>, depth: usize) {
    // Depth bounds a folder that links back to itself.
    if !path.is_dir() || is_maildir(path) || depth > 8 {
        out.push(path.to_path_buf());
        return;
    }
    let Ok(entries) = std::fs::read_dir(path) else {
        out.push(path.to_path_buf());
        return;
    };
    let mut inside: Vec<PathBuf> = entries
        .flatten()
        .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
        .map(|e| e.path())
        .collect();
    if inside.is_empty() {
        out.push(path.to_path_buf());
        return;
    }
    inside.sort();
    for p in inside {
        expand_into(&p, out, depth + 1);
    }
}

/// Reads one path all or nothing: the first bad record refuses it.
pub fn read_path(path: &Path) -> Result<Vec<Record>, ImportError> {
    read_file(path, Utc::now())?.whole()
}

/// Reads one path: JSON Lines, an e-mail message, an mbox or a maildir folder (judged by
/// content as well as extension). `now` is the receipt time of a message that carries none.
pub fn read_file(path: &Path, now: DateTime<Utc>) -> Result<FileRead, ImportError> {
    let io = |source| ImportError::Io {
        file: path.to_path_buf(),
        source,
    };
    let mut read = FileRead {
        file: path.to_path_buf(),
        records: Vec::new(),
        refused: Vec::new(),
    };
    if path.is_dir() {
        if !(path.join("cur").is_dir() || path.join("new").is_dir()) {
            return Err(ImportError::UnknownFormat {
                file: path.to_path_buf(),
            });
        }
        let messages = mailbox::read_maildir(path).map_err(io)?;
        let read_one = |(i, m): &(usize, mailbox::MaildirMessage)| {
            let ctx = MailContext {
                envelope: None,
                delivered: m.delivered,
                now,
            };
            let name = m
                .path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let what = format!("message {} ({})", i + 1, sanitize_line(&name));
            (
                what,
                m.path.display().to_string(),
                mail::read_mail(&m.bytes, &ctx),
            )
        };
        let numbered: Vec<(usize, mailbox::MaildirMessage)> =
            messages.into_iter().enumerate().collect();
        let results = crate::parallel::map(&numbered, read_one);
        for ((_, m), (what, source, result)) in numbered.into_iter().zip(results) {
            read.push(what, source, result, m.bytes);
        }
        if read.records.is_empty() && read.refused.is_empty() {
            return Err(ImportError::Message {
                file: path.to_path_buf(),
                index: 0,
                message: Reason::NoMessages,
            });
        }
        return Ok(read);
    }
    let bytes = std::fs::read(path).map_err(io)?;
    let unknown = || ImportError::UnknownFormat {
        file: path.to_path_buf(),
    };
    match mailbox::sniff(path, &bytes).ok_or_else(unknown)? {
        Format::JsonLines => {
            let (records, refused) = read_jsonl_all(&bytes, path);
            read.records = records;
            read.refused = refused;
        }
        Format::Message => {
            let ctx = MailContext {
                envelope: None,
                delivered: None,
                now,
            };
            let result = mail::read_mail(&bytes, &ctx);
            read.push(
                "message 1".into(),
                path.display().to_string(),
                result,
                bytes,
            );
        }
        Format::Mbox => {
            let messages = mailbox::split_mbox(&bytes);
            let results = crate::parallel::map(&messages, |m| {
                let ctx = MailContext {
                    envelope: m.envelope.clone(),
                    delivered: None,
                    now,
                };
                mail::read_mail(&m.bytes, &ctx)
            });
            for (i, (m, result)) in messages.into_iter().zip(results).enumerate() {
                let what = format!("message {}", i + 1);
                let source = format!("{} {what}", path.display());
                read.push(what, source, result, m.bytes);
            }
            if read.records.is_empty() && read.refused.is_empty() {
                return Err(ImportError::Message {
                    file: path.to_path_buf(),
                    index: 0,
                    message: Reason::NoMessages,
                });
            }
        }
    }
    Ok(read)
}

impl FileRead {
    fn push(
        &mut self,
        what: String,
        source: String,
        result: Result<mail::Mail, Reason>,
        raw: Vec<u8>,
    ) {
        match result {
            Ok(m) => {
                let source = if m.notes.is_empty() {
                    source
                } else {
                    format!("{source} ({})", m.notes.join("; "))
                };
                self.records.push(Record {
                    enquiry: m.enquiry,
                    source: sanitize_line(&source).into_owned(),
                    what,
                    flags: m.flags,
                });
            }
            Err(reason) => self.refused.push(Refused { what, reason, raw }),
        }
    }
}

/// JSON Lines: one enquiry object per line; blank lines are skipped. Lines are parsed on
/// every core; the first malformed line (by number) is the one reported.
pub fn read_jsonl(bytes: &[u8], file: &Path) -> Result<Vec<Record>, ImportError> {
    let (records, refused) = read_jsonl_all(bytes, file);
    FileRead {
        file: file.to_path_buf(),
        records,
        refused,
    }
    .whole()
}

/// JSON Lines, every line: the records, and each malformed line with its reason.
fn read_jsonl_all(bytes: &[u8], file: &Path) -> (Vec<Record>, Vec<Refused>) {
    let lines: Vec<(usize, &[u8])> = bytes
        .split(|b| *b == b'\n')
        .enumerate()
        .map(|(i, raw)| (i + 1, raw))
        .collect();
    let mut records = Vec::new();
    let mut refused = Vec::new();
    let results = crate::parallel::map(&lines, |&(line, raw)| read_jsonl_line(raw, line, file));
    for ((line, raw), result) in lines.into_iter().zip(results) {
        match result {
            Ok(Some(r)) => records.push(r),
            Ok(None) => {}
            Err(reason) => refused.push(Refused {
                what: format!("line {line}"),
                reason,
                raw: raw.to_vec(),
            }),
        }
    }
    (records, refused)
}

fn read_jsonl_line(raw: &[u8], line: usize, file: &Path) -> Result<Option<Record>, Reason> {
    let text = std::str::from_utf8(raw).map_err(|e| Reason::NotUtf8 {
        byte: e.valid_up_to(),
    })?;
    if text.trim().is_empty() {
        return Ok(None);
    }
    let enquiry: Enquiry = serde_json::from_str(text).map_err(|e| jsonl_problem(text, &e))?;
    let enquiry = clean(enquiry)?;
    Ok(Some(Record {
        enquiry,
        source: format!("{}:{line}", file.display()),
        what: format!("line {line}"),
        flags: Vec::new(),
    }))
}

/// Why a line is not an enquiry, naming the field and the form expected; only on the error
/// path, so the common case parses once.
fn jsonl_problem(text: &str, e: &serde_json::Error) -> Reason {
    use crate::domain::sanitize::sanitize_line;
    let value: serde_json::Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(_) => return Reason::NotJson(e.to_string()),
    };
    let Some(obj) = value.as_object() else {
        return Reason::NotAnObject;
    };
    let shown = |v: &serde_json::Value| {
        let s = v.to_string();
        let s = if s.chars().count() > 60 {
            format!("{}…", s.chars().take(60).collect::<String>())
        } else {
            s
        };
        sanitize_line(&s).into_owned()
    };
    if let Some(v) = obj.get("received") {
        let ok = v
            .as_str()
            .is_some_and(|s| chrono::DateTime::parse_from_rfc3339(s).is_ok());
        if !ok {
            return Reason::BadReceived(shown(v));
        }
    }
    type Probe = fn(serde_json::Value) -> bool;
    type Said = fn(String) -> Reason;
    let probes: [(&str, Probe, Said); 3] = [
        (
            "channel",
            |v| serde_json::from_value::<ChannelProbe>(v).is_ok(),
            Reason::BadChannel,
        ),
        (
            "language",
            |v| serde_json::from_value::<LanguageProbe>(v).is_ok(),
            Reason::BadLanguage,
        ),
        (
            "right",
            |v| serde_json::from_value::<RightProbe>(v).is_ok(),
            Reason::BadRight,
        ),
    ];
    for (field, probe, said) in probes {
        if let Some(v) = obj.get(field) {
            let mut one = serde_json::Map::new();
            one.insert(field.to_string(), v.clone());
            if !probe(serde_json::Value::Object(one)) {
                return said(shown(v));
            }
        }
    }
    let message = e.to_string();
    // serde_json ends with "at line 1 column N": the line is the file's line, said already.
    let message = message
        .split(" at line ")
        .next()
        .unwrap_or(&message)
        .to_string();
    Reason::Parser(sanitize_line(&message).into_owned())
}

#[derive(serde::Deserialize)]
#[allow(dead_code)]
struct ChannelProbe {
    channel: crate::domain::enquiry::Channel,
}
#[derive(serde::Deserialize)]
#[allow(dead_code)]
struct LanguageProbe {
    language: crate::domain::enquiry::Language,
}
#[derive(serde::Deserialize)]
#[allow(dead_code)]
struct RightProbe {
    right: Option<crate::domain::enquiry::RightKind>,
}

/// Parses one RFC 5322 message into an enquiry, received now when it carries no
/// `Received:` header.
pub fn parse_email(bytes: &[u8]) -> Result<Enquiry, String> {
    let ctx = MailContext {
        envelope: None,
        delivered: None,
        now: Utc::now(),
    };
    mail::read_mail(bytes, &ctx)
        .map(|m| m.enquiry)
        .map_err(|r| r.to_string())
}

/// Danish unless the text looks English: Danish letters and common words decide.
pub(crate) fn guess_language(text: &str) -> Language {
    let lower = text.to_lowercase();
    let da = lower.matches(['æ', 'ø', 'å']).count()
        + [
            " jeg ", " og ", " ikke ", " til ", " har ", " med ", " min ", " om ",
        ]
        .iter()
        .map(|w| lower.matches(w).count())
        .sum::<usize>();
    let en = [
        " i ", " and ", " not ", " the ", " have ", " with ", " my ", " about ",
    ]
    .iter()
    .map(|w| lower.matches(w).count())
    .sum::<usize>();
    if en > da {
        Language::En
    } else {
        Language::Da
    }
}

/// Validates an enquiry and makes its text safe to store and show.
pub fn clean(mut e: Enquiry) -> Result<Enquiry, Reason> {
    if e.body.len() > MAX_BODY_BYTES {
        return Err(Reason::BodyTooLong {
            bytes: e.body.len(),
        });
    }
    let fields = [("subject", &e.subject), ("sender.name", &e.sender.name)];
    for (what, v) in fields {
        if v.len() > MAX_FIELD_BYTES {
            return Err(Reason::FieldTooLong {
                field: what,
                bytes: v.len(),
            });
        }
    }
    if e.sender.name.trim().is_empty() {
        return Err(Reason::SenderNameEmpty);
    }
    if let Some(cpr) = &e.sender.cpr {
        if crate::domain::cpr::parse_cpr(cpr.trim()).is_none() {
            return Err(Reason::BadCpr);
        }
    }
    let line = |s: &str| sanitize_line(s.trim()).into_owned();
    e.subject = line(&e.subject);
    e.body = sanitize_text(&e.body).into_owned();
    e.sender.name = line(&e.sender.name);
    for v in [
        &mut e.sender.email,
        &mut e.sender.phone,
        &mut e.sender.address,
        &mut e.sender.cpr,
    ]
    .into_iter()
    .flatten()
    {
        if v.len() > MAX_FIELD_BYTES {
            return Err(Reason::SenderFieldTooLong { bytes: v.len() });
        }
        *v = line(v);
    }
    for a in &mut e.attachments {
        *a = line(a);
    }
    Ok(e)
}
