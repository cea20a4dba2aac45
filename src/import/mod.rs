//! Reading enquiries from files: JSON Lines in triage's own format, e-mail, mbox, maildir.
//!
//! A file is read whole before anything is stored, so a malformed record refuses the file
//! with its line (or message) number and nothing of it is registered.

use crate::domain::enquiry::{Channel, Enquiry, Language, Sender};
use crate::domain::sanitize::{sanitize_line, sanitize_text};
use chrono::DateTime;
use mail_parser::{MessageParser, MimeHeaders};
use std::path::{Path, PathBuf};

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
        message: String,
    },
    #[error("{}: message {index}: {message}\n  nothing from this file was imported", .file.display())]
    Message {
        file: PathBuf,
        index: usize,
        message: String,
    },
    #[error("{}: not a file format triage reads (JSON Lines .jsonl, e-mail .eml, .mbox, or a maildir folder)", .file.display())]
    UnknownFormat { file: PathBuf },
}

/// An enquiry read from a file, with where it came from.
#[derive(Debug, Clone)]
pub struct Record {
    pub enquiry: Enquiry,
    pub source: String,
}

/// Reads one path: a .jsonl file, an .eml, an mbox or a maildir directory.
pub fn read_path(path: &Path) -> Result<Vec<Record>, ImportError> {
    let io = |source| ImportError::Io {
        file: path.to_path_buf(),
        source,
    };
    if path.is_dir() {
        if path.join("cur").is_dir() || path.join("new").is_dir() {
            return read_maildir(path);
        }
        return Err(ImportError::UnknownFormat {
            file: path.to_path_buf(),
        });
    }
    let bytes = std::fs::read(path).map_err(io)?;
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    match ext.as_str() {
        "jsonl" | "ndjson" | "json" => read_jsonl(&bytes, path),
        "eml" => {
            let enquiry = parse_email(&bytes).map_err(|message| ImportError::Message {
                file: path.to_path_buf(),
                index: 1,
                message,
            })?;
            Ok(vec![Record {
                enquiry,
                source: path.display().to_string(),
            }])
        }
        "mbox" | "mbx" => read_mbox(&bytes, path),
        _ if bytes.starts_with(b"From ") => read_mbox(&bytes, path),
        _ => Err(ImportError::UnknownFormat {
            file: path.to_path_buf(),
        }),
    }
}

/// JSON Lines: one enquiry object per line; blank lines are skipped. Lines are parsed on
/// every core; the first malformed line (by number) is the one reported.
pub fn read_jsonl(bytes: &[u8], file: &Path) -> Result<Vec<Record>, ImportError> {
    let lines: Vec<(usize, &[u8])> = bytes
        .split(|b| *b == b'\n')
        .enumerate()
        .map(|(i, raw)| (i + 1, raw))
        .collect();
    crate::parallel::map(&lines, |&(line, raw)| read_jsonl_line(raw, line, file))
        .into_iter()
        .filter_map(Result::transpose)
        .collect()
}

fn read_jsonl_line(raw: &[u8], line: usize, file: &Path) -> Result<Option<Record>, ImportError> {
    let err = |message: String| ImportError::Record {
        file: file.to_path_buf(),
        line,
        message,
    };
    let text = std::str::from_utf8(raw)
        .map_err(|e| err(format!("not valid UTF-8 (byte {})", e.valid_up_to())))?;
    if text.trim().is_empty() {
        return Ok(None);
    }
    let enquiry: Enquiry = serde_json::from_str(text).map_err(|e| err(format!("{e}")))?;
    let enquiry = clean(enquiry).map_err(err)?;
    Ok(Some(Record {
        enquiry,
        source: format!("{}:{line}", file.display()),
    }))
}

fn read_mbox(bytes: &[u8], file: &Path) -> Result<Vec<Record>, ImportError> {
    let mut out = Vec::new();
    for (i, msg) in mail_parser::mailbox::mbox::MessageIterator::new(bytes).enumerate() {
        let index = i + 1;
        let err = |message: String| ImportError::Message {
            file: file.to_path_buf(),
            index,
            message,
        };
        let msg = msg.map_err(|_| err("malformed mbox entry".into()))?;
        let enquiry = parse_email(msg.contents()).map_err(err)?;
        out.push(Record {
            enquiry,
            source: format!("{} message {index}", file.display()),
        });
    }
    if out.is_empty() {
        return Err(ImportError::Message {
            file: file.to_path_buf(),
            index: 0,
            message: "no messages found".into(),
        });
    }
    Ok(out)
}

fn read_maildir(dir: &Path) -> Result<Vec<Record>, ImportError> {
    let io = |source| ImportError::Io {
        file: dir.to_path_buf(),
        source,
    };
    let mut messages: Vec<(PathBuf, Vec<u8>)> = Vec::new();
    for msg in mail_parser::mailbox::maildir::MessageIterator::new(dir).map_err(io)? {
        let msg = msg.map_err(io)?;
        messages.push((msg.path().to_path_buf(), msg.unwrap_contents()));
    }
    // Directory order is arbitrary; sort so imports are reproducible.
    messages.sort_by(|a, b| a.0.cmp(&b.0));
    messages
        .into_iter()
        .enumerate()
        .map(|(i, (path, contents))| {
            let enquiry = parse_email(&contents).map_err(|message| ImportError::Message {
                file: path.clone(),
                index: i + 1,
                message,
            })?;
            Ok(Record {
                enquiry,
                source: path.display().to_string(),
            })
        })
        .collect()
}

/// Parses one RFC 5322 message into an enquiry.
pub fn parse_email(bytes: &[u8]) -> Result<Enquiry, String> {
    let msg = MessageParser::default()
        .parse(bytes)
        .ok_or("not an e-mail message")?;
    let from = msg.from().and_then(|a| a.first()).ok_or("no From header")?;
    let email = from.address().map(str::to_string);
    let name = from
        .name()
        .map(str::to_string)
        .or_else(|| email.clone())
        .ok_or("From header has no address")?;
    let date = msg
        .date()
        .filter(|d| d.is_valid())
        .ok_or("no valid Date header")?;
    let received = DateTime::parse_from_rfc3339(&date.to_rfc3339())
        .map_err(|e| format!("Date header out of range: {e}"))?;
    let body = msg
        .body_text(0)
        .map(|b| b.into_owned())
        .or_else(|| msg.body_html(0).map(|b| b.into_owned()))
        .unwrap_or_default();
    let attachments = msg
        .attachments()
        .filter_map(|a| a.attachment_name().map(str::to_string))
        .collect();
    let subject = msg.subject().unwrap_or("").to_string();
    let language = guess_language(&format!("{subject}\n{body}"));
    let enquiry = Enquiry {
        received,
        channel: Channel::Email,
        sender: Sender {
            name,
            email,
            phone: None,
            address: None,
            cpr: None,
        },
        subject,
        body,
        attachments,
        language,
        message_id: msg
            .message_id()
            .map(|m| format!("<{}>", m.trim_matches(|c| c == '<' || c == '>'))),
        purpose: None,
        right: None,
    };
    clean(enquiry)
}

/// Danish unless the text looks English: Danish letters and common words decide.
fn guess_language(text: &str) -> Language {
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
pub fn clean(mut e: Enquiry) -> Result<Enquiry, String> {
    if e.body.len() > MAX_BODY_BYTES {
        return Err(format!(
            "body is {} bytes; the limit is {MAX_BODY_BYTES}",
            e.body.len()
        ));
    }
    let fields = [("subject", &e.subject), ("sender.name", &e.sender.name)];
    for (what, v) in fields {
        if v.len() > MAX_FIELD_BYTES {
            return Err(format!(
                "{what} is {} bytes; the limit is {MAX_FIELD_BYTES}",
                v.len()
            ));
        }
    }
    if e.sender.name.trim().is_empty() {
        return Err("sender.name is empty".into());
    }
    if let Some(cpr) = &e.sender.cpr {
        if crate::domain::cpr::parse_cpr(cpr.trim()).is_none() {
            return Err(format!(
                "sender.cpr `{}` is not a CPR number (DDMMYY-SSSS with a real date)",
                sanitize_line(cpr)
            ));
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
            return Err(format!(
                "a sender field is {} bytes; the limit is {MAX_FIELD_BYTES}",
                v.len()
            ));
        }
        *v = line(v);
    }
    for a in &mut e.attachments {
        *a = line(a);
    }
    Ok(e)
}
