//! `triage import`: files read, planned and registered, each all or nothing.

use super::{connect_or_open, Global};
use crate::domain::detect::Detector;
use crate::domain::policy::Policy;
use crate::domain::sanitize::{sanitize_line, sanitize_text};
use crate::import;
use crate::store::api::Api;
use crate::store::{NewEnquiry, Registration, Store};
use crate::tui::i18n;
use crate::tui::i18n_cli::CliError;
use anyhow::{Context as _, Result};
use chrono::{DateTime, Utc};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Reads and registers file by file, each all or nothing on its own (or, with
/// `quarantine`, its refused records set aside there and the rest registered); the summary
/// names every record that was a duplicate, flagged or refused.
pub fn import(global: &Global, files: &[PathBuf], quarantine: Option<&Path>) -> Result<ExitCode> {
    let api = connect_or_open(global)?;
    import_through(&*api, files, quarantine, global.lang())
}

/// The per-file loop both ways of importing share: read, plan, register, report.
fn import_each(
    files: &[PathBuf],
    now: DateTime<Utc>,
    quarantine: Option<&Path>,
    lang: i18n::Lang,
    mut register: impl FnMut(Vec<import::Record>) -> Result<Registration>,
) -> Result<ExitCode> {
    let files = &import::expand(files);
    let mut refused = 0;
    for f in files {
        let read = match import::read_file(f, now) {
            Ok(read) => read,
            Err(e) => {
                eprintln!(
                    "{}",
                    sanitize_text(&crate::tui::i18n_import::import_error(lang, &e))
                );
                refused += 1;
                continue;
            }
        };
        let mut plan = import::outcome::Plan::new(read, quarantine, lang).with_context(|| {
            format!(
                "{}: cannot set refused messages aside",
                sanitize_line(&f.display().to_string())
            )
        })?;
        let records = plan.take_records();
        let reg = if records.is_empty() {
            Registration::default()
        } else {
            register(records)?
        };
        let (out, err) = plan.report(&reg, lang);
        for l in out {
            println!("{l}");
        }
        for l in err {
            eprintln!("{l}");
        }
        if plan.refused_whole() {
            refused += 1;
        }
    }
    if refused == files.len() {
        return Err(CliError::NothingImported.into());
    }
    if refused > 0 {
        return Err(CliError::SomeFilesRefused {
            refused,
            of: files.len(),
        }
        .into());
    }
    Ok(ExitCode::SUCCESS)
}

/// Detection here, registration through the `Api` (the store here, or its server), each
/// file all or nothing up to ATOMIC_IMPORT records, in units of that size beyond, and in
/// frames a server accepts.
fn import_through(
    api: &dyn Api,
    files: &[PathBuf],
    quarantine: Option<&Path>,
    lang: i18n::Lang,
) -> Result<ExitCode> {
    use crate::server::protocol::MAX_REQUEST;
    let detector = Detector::from_policy(api.policy());
    import_each(files, api.now(), quarantine, lang, |mut records| {
        for r in &mut records {
            crate::domain::purpose_cue::fill(api.policy(), &mut r.enquiry);
        }
        let total = records.len();
        let suggestions = crate::parallel::map(&records, |r| detector.detect_enquiry(&r.enquiry));
        let mut chunks: Vec<Vec<NewEnquiry>> = vec![Vec::new()];
        let mut bytes = 0;
        for (r, suggestions) in records.into_iter().zip(suggestions) {
            let arrival = NewEnquiry {
                suggestions,
                enquiry: r.enquiry,
                source: r.source,
            };
            let size = crate::store::codec::encode(&(&arrival.enquiry, &arrival.suggestions))
                .map(|b| b.len() + arrival.source.len())
                .unwrap_or(0);
            let last = chunks.last().map(Vec::len).unwrap_or(0);
            if last > 0 && (last == ATOMIC_IMPORT || bytes + size > MAX_REQUEST / 2) {
                chunks.push(Vec::new());
                bytes = 0;
            }
            bytes += size;
            chunks.last_mut().expect("one chunk at least").push(arrival);
        }
        let mut reg = Registration::default();
        let mut done = 0;
        for chunk in chunks {
            let n = chunk.len();
            // If the disk fails half-way, importing the file again registers the rest: what
            // was stored is recognised as already there.
            let unit = api.register(chunk).with_context(|| {
                if done == 0 {
                    "nothing from this file was imported".to_string()
                } else {
                    format!(
                        "{done} of {total} records were stored before this failure; importing the file again registers the rest"
                    )
                }
            })?;
            import::outcome::merge(&mut reg, unit, done);
            done += n;
        }
        Ok(reg)
    })
}

/// Largest file imported in a single transaction.
pub const ATOMIC_IMPORT: usize = 5000;

/// Runs detection on each record and registers them (see ATOMIC_IMPORT).
pub fn register_batch(
    store: &Store,
    policy: &Policy,
    detector: &Detector,
    records: Vec<import::Record>,
    actor: &str,
    at: DateTime<Utc>,
) -> Result<Registration> {
    let suggestions = crate::parallel::map(&records, |r| detector.detect_enquiry(&r.enquiry));
    let batch: Vec<NewEnquiry> = records
        .into_iter()
        .zip(suggestions)
        .map(|(mut r, suggestions)| {
            crate::domain::purpose_cue::fill(policy, &mut r.enquiry);
            NewEnquiry {
                suggestions,
                enquiry: r.enquiry,
                source: r.source,
            }
        })
        .collect();
    // Every record was validated before this point, so a malformed one never leaves part
    // of a file stored. A file of up to ATOMIC_IMPORT records is one unit, all or nothing;
    // a larger one is written in units of that size, and if the disk fails half-way,
    // re-running the import registers the rest: what was stored is recognised as already
    // there.
    Ok(store.register_bulk(policy, &batch, actor, at, ATOMIC_IMPORT)?)
}
