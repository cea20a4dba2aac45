//! One file's import as the summary tells it: registered, duplicates, flagged, refused.
//!
//! Both the embedded and the served `import` print through this, so staff read the same
//! summary whichever way the store is reached.

use super::{FileRead, Record, Refused};
use crate::domain::enquiry::Reference;
use crate::domain::sanitize::sanitize_line;
use crate::store::Registration;
use crate::tui::i18n::Lang;
use crate::tui::i18n_cli::{record, ImportLine as L};
use std::io::Write;
use std::path::{Path, PathBuf};

/// What will happen to one file's records, decided before anything is registered.
#[derive(Debug)]
pub struct Plan {
    pub file: PathBuf,
    /// Each record's "message 3" and flags, in batch order (kept for the summary).
    labels: Vec<(String, Vec<String>)>,
    records: Vec<Record>,
    refused: Vec<Refused>,
    /// Where each refused message was set aside, with `--quarantine`.
    quarantined: Vec<PathBuf>,
}

impl Plan {
    /// A file with refused records is refused whole, unless they go to `quarantine`: then
    /// they are written there (the message as it came, and beside it the reason) and the
    /// rest is registered. The reason is written in `lang`, as the summary says it.
    pub fn new(read: FileRead, quarantine: Option<&Path>, lang: Lang) -> std::io::Result<Plan> {
        let mut quarantined = Vec::new();
        if let (Some(dir), false) = (quarantine, read.refused.is_empty()) {
            std::fs::create_dir_all(dir)?;
            let stem = read
                .file
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| "import".into());
            for r in &read.refused {
                quarantined.push(set_aside(dir, &stem, r, lang)?);
            }
        }
        Ok(Plan {
            file: read.file,
            labels: read
                .records
                .iter()
                .map(|r| (r.what.clone(), r.flags.clone()))
                .collect(),
            records: read.records,
            refused: read.refused,
            quarantined,
        })
    }

    /// Nothing of the file is registered: something in it was refused and not set aside.
    pub fn refused_whole(&self) -> bool {
        !self.refused.is_empty() && self.quarantined.is_empty()
    }

    /// The records to register (none when the file is refused whole).
    pub fn take_records(&mut self) -> Vec<Record> {
        if self.refused_whole() {
            return Vec::new();
        }
        std::mem::take(&mut self.records)
    }

    /// The summary: lines for standard output, and for standard error when the file or
    /// part of it was refused. Every text from the file is sanitised.
    pub fn report(&self, reg: &Registration, lang: Lang) -> (Vec<String>, Vec<String>) {
        let file = sanitize_line(&self.file.display().to_string()).into_owned();
        let mut out = Vec::new();
        let mut err = Vec::new();
        if self.refused_whole() {
            err.push(
                L::RefusedWhole {
                    file: &file,
                    refused: self.refused.len(),
                    of: self.refused.len() + self.labels.len(),
                }
                .text(lang),
            );
            for r in &self.refused {
                err.push(format!("  {}", named(&file, r, lang)));
            }
            err.push(L::QuarantineHint.text(lang));
            return (out, err);
        }
        let mut head = L::Head {
            file: &file,
            registered: reg.registered.len(),
            already: reg.duplicates.len(),
        }
        .text(lang);
        if !self.refused.is_empty() {
            head.push_str(&L::AndQuarantined(self.refused.len()).text(lang));
        }
        out.push(head);
        out.extend(self.details(reg, lang));
        for (r, at) in self.refused.iter().zip(&self.quarantined) {
            err.push(
                L::SetAside {
                    named: &named(&file, r, lang),
                    at: &sanitize_line(&at.display().to_string()),
                }
                .text(lang),
            );
        }
        (out, err)
    }

    /// One line per record that needs a word: a duplicate, a possible duplicate, a flag;
    /// and the references registered.
    fn details(&self, reg: &Registration, lang: Lang) -> Vec<String> {
        let mut lines = Vec::new();
        let mut duplicates = reg.duplicates.iter().peekable();
        let mut registered = reg.registered.iter();
        let mut refs: Vec<Reference> = Vec::new();
        for (i, (what, flags)) in self.labels.iter().enumerate() {
            if let Some((_, existing)) = duplicates.next_if(|(pos, _)| *pos == i) {
                lines.push(
                    L::AlreadyAs {
                        what,
                        existing: *existing,
                    }
                    .text(lang),
                );
                continue;
            }
            let Some(r) = registered.next() else {
                break;
            };
            refs.push(*r);
            if let Some((_, first)) = reg.flagged.iter().find(|(new, _)| new == r) {
                lines.push(
                    L::PossibleDuplicate {
                        what,
                        r: *r,
                        first: *first,
                    }
                    .text(lang),
                );
            }
            if !flags.is_empty() {
                lines.push(
                    L::Check {
                        what,
                        r: *r,
                        flags: &sanitize_line(&flags.join("; ")),
                    }
                    .text(lang),
                );
            }
        }
        let listed = match refs.as_slice() {
            [] => None,
            [one] => Some(one.to_string()),
            few if few.len() <= 10 => Some(
                few.iter()
                    .map(Reference::to_string)
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
            [first, .., last] => Some(format!("{first} … {last}")),
        };
        if let Some(l) = listed {
            lines.insert(0, L::Registered(&l).text(lang));
        }
        lines
    }
}

/// A refused record by file and number: `FILE:3: reason` for a line, `FILE: message 3:
/// reason` for a message.
fn named(file: &str, r: &Refused, lang: Lang) -> String {
    let reason = r.reason.text(lang);
    let reason = sanitize_line(&reason);
    match r.what.strip_prefix("line ") {
        Some(n) => format!("{file}:{n}: {reason}"),
        None => format!("{file}: {}: {reason}", record(lang, &r.what)),
    }
}

/// Adds a unit's registration to the file's, its positions shifted by `offset`.
pub fn merge(into: &mut Registration, unit: Registration, offset: usize) {
    into.registered.extend(unit.registered);
    into.duplicates
        .extend(unit.duplicates.into_iter().map(|(i, r)| (i + offset, r)));
    into.flagged.extend(unit.flagged);
}

/// Writes a refused record to `dir` as it came, with its reason beside it; never over an
/// existing file.
fn set_aside(dir: &Path, stem: &str, r: &Refused, lang: Lang) -> std::io::Result<PathBuf> {
    let what: String = r
        .what
        .split_whitespace()
        .take(2)
        .collect::<Vec<_>>()
        .join("-");
    let safe = |s: &str| -> String {
        s.chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                    c
                } else {
                    '_'
                }
            })
            .collect()
    };
    let base = format!("{}.{}", safe(stem), safe(&what));
    let ext = if r.what.starts_with("line ") {
        "jsonl"
    } else {
        "eml"
    };
    for n in 1..10_000 {
        let name = if n == 1 {
            base.clone()
        } else {
            format!("{base}-{n}")
        };
        let path = dir.join(format!("{name}.{ext}"));
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(mut f) => {
                f.write_all(&r.raw)?;
                f.sync_all()?;
                let mut why = std::fs::File::create(dir.join(format!("{name}.reason.txt")))?;
                let reason = r.reason.text(lang);
                writeln!(why, "{}: {}", record(lang, &r.what), sanitize_line(&reason))?;
                why.sync_all()?;
                return Ok(path);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    Err(std::io::Error::new(
        std::io::ErrorKind::AlreadyExists,
        format!("{}: no free name for {base}", dir.display()),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::fixtures;

    fn record(what: &str, flags: &[&str]) -> Record {
        Record {
            enquiry: fixtures::enquiry("2026-11-24T10:00:00+01:00", "text"),
            source: format!("inbox {what}"),
            what: what.into(),
            flags: flags.iter().map(|f| f.to_string()).collect(),
        }
    }

    #[test]
    fn units_merge_into_one_report_by_position() {
        let read = FileRead {
            file: PathBuf::from("inbox.mbox"),
            records: vec![
                record("message 1", &[]),
                record("message 2", &[]),
                record("message 3", &["no usable From: header"]),
            ],
            refused: Vec::new(),
        };
        let mut plan = Plan::new(read, None, Lang::En).unwrap();
        assert_eq!(plan.take_records().len(), 3);
        let r = |n| Reference::new(2026, n);
        // Two units as the server answers them: positions within each unit.
        let mut reg = Registration::default();
        merge(
            &mut reg,
            Registration {
                registered: vec![r(5)],
                duplicates: vec![(1, r(1))],
                flagged: Vec::new(),
            },
            0,
        );
        merge(
            &mut reg,
            Registration {
                registered: vec![r(6)],
                duplicates: Vec::new(),
                flagged: vec![(r(6), r(2))],
            },
            2,
        );
        let (out, err) = plan.report(&reg, Lang::En);
        assert!(err.is_empty());
        assert_eq!(
            out,
            [
                "inbox.mbox: 2 registered, 1 already in the store",
                "  registered: 2026-000005, 2026-000006",
                "  message 2: already in the store as 2026-000001",
                "  message 3: registered as 2026-000006, possible duplicate of 2026-000002",
                "  message 3: registered as 2026-000006; check: no usable From: header",
            ]
        );
    }

    #[test]
    fn a_refused_record_refuses_the_file_unless_set_aside() {
        let read = || FileRead {
            file: PathBuf::from("x.jsonl"),
            records: vec![record("line 1", &[])],
            refused: vec![Refused {
                what: "line 2".into(),
                reason: super::super::Reason::Parser("bad \u{1b}[31m".into()),
                raw: b"{oops".to_vec(),
            }],
        };
        let mut plan = Plan::new(read(), None, Lang::En).unwrap();
        assert!(plan.refused_whole());
        assert!(plan.take_records().is_empty());
        let (out, err) = plan.report(&Registration::default(), Lang::En);
        assert!(out.is_empty());
        assert!(err[1].starts_with("  x.jsonl:2: bad "), "{err:?}");
        assert!(!err.iter().any(|l| l.contains('\u{1b}')), "{err:?}");

        let dir = tempfile::tempdir().unwrap();
        let mut plan = Plan::new(read(), Some(dir.path()), Lang::En).unwrap();
        assert!(!plan.refused_whole());
        assert_eq!(plan.take_records().len(), 1);
        let kept = std::fs::read(dir.path().join("x.jsonl.line-2.jsonl")).unwrap();
        assert_eq!(kept, b"{oops");
        // A second import of the same file does not overwrite the first one's.
        Plan::new(read(), Some(dir.path()), Lang::En).unwrap();
        assert!(dir.path().join("x.jsonl.line-2-2.jsonl").exists());
    }
}
