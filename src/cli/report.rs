//! `triage report …`: loads what a report needs from the store, logs the read, prints Markdown or JSON.

use super::{connect_or_open, pages, parse_ref, Global};
use crate::domain::calendar::Calendar;
use crate::domain::case::{Case, CaseRecord};
use crate::domain::clock;
use crate::domain::command::Access;
use crate::domain::cpr::mask_cprs;
use crate::domain::enquiry::{Language, Reference};
use crate::domain::policy::Role;
use crate::domain::report::{self, AccessReport, SubjectId};
use crate::domain::safe_json;
use crate::store::api::Api;
use crate::store::StoreError;
use crate::tui::i18n_cli::CliError;
use anyhow::{anyhow, bail, Result};
use chrono::NaiveDate;
use clap::{Subcommand, ValueEnum};
use serde::Serialize;
use std::io::Write;
use std::process::ExitCode;

#[derive(Clone, Copy, Debug, Default, ValueEnum)]
pub enum Format {
    /// Markdown, for print and letters
    #[default]
    Md,
    /// JSON with the same content
    Json,
}

/// How a letter to a citizen is written out.
#[derive(Clone, Copy, Debug, Default, ValueEnum, PartialEq, Eq)]
pub enum LetterFormat {
    /// Markdown, for print and review
    #[default]
    Md,
    /// JSON with the same content
    Json,
    /// A PDF on A4 with the letterhead and page numbers, ready for Digital Post
    Pdf,
}

#[derive(Subcommand, Debug)]
pub enum ReportCmd {
    /// The answer to an access request (GDPR Art. 15) for one person
    Access {
        /// cpr:DDMMYY-SSSS, email:ADDRESS or "name:NAME|ADDRESS" (repeatable; a bare CPR
        /// number or e-mail address is accepted too)
        #[arg(long = "subject")]
        subjects: Vec<String>,
        /// Find the person by the sender of this (access-request) case instead
        #[arg(long = "case")]
        case: Option<String>,
        /// Add an extract of the log: when the person's data was read (no staff names)
        #[arg(long)]
        log: bool,
        /// How to write the letter (a PDF needs --out FILE or a redirected output)
        #[arg(long, value_enum, default_value = "md")]
        format: LetterFormat,
        /// Write the letter to this file (mode 0600) instead of the standard output
        #[arg(long, value_name = "FILE")]
        out: Option<std::path::PathBuf>,
    },
    /// The record of processing activities (GDPR Art. 30), from the policy
    Ropa {
        /// Markdown for print, or JSON
        #[arg(long, value_enum, default_value = "md")]
        format: Format,
    },
    /// Every disclosure with its legal basis and justification
    Disclosures {
        /// Only disclosures to this recipient (an id from the policy)
        #[arg(long)]
        recipient: Option<String>,
        /// From this day (YYYY-MM-DD), inclusive
        #[arg(long)]
        from: Option<NaiveDate>,
        /// To this day (YYYY-MM-DD), inclusive
        #[arg(long)]
        to: Option<NaiveDate>,
        /// Also restricted cases and restricted recipients (Art. 23); data protection officer only
        #[arg(long)]
        include_restricted: bool,
        /// Markdown for print, or JSON (which adds the ids of bases and categories)
        #[arg(long, value_enum, default_value = "md")]
        format: Format,
    },
    /// Open cases by the state of their answer clock
    Deadlines {
        /// Markdown for print, or JSON
        #[arg(long, value_enum, default_value = "md")]
        format: Format,
    },
    /// The decision and written ruling on a rights request, as a letter
    Ruling {
        /// The case reference, e.g. 2026-000012
        reference: String,
        /// How to write the letter (a PDF needs --out FILE or a redirected output)
        #[arg(long, value_enum, default_value = "md")]
        format: LetterFormat,
        /// Write the letter to this file (mode 0600) instead of the standard output
        #[arg(long, value_name = "FILE")]
        out: Option<std::path::PathBuf>,
    },
}

fn lang(global: &Global) -> Language {
    if global.da {
        Language::Da
    } else {
        Language::En
    }
}

/// Prints a report with every CPR number masked: only the subject's own access answer
/// (see [`print_unmasked`]) shows them.
fn print<T: Serialize>(
    format: Format,
    value: &T,
    markdown: impl FnOnce(&T) -> String,
) -> Result<()> {
    match format {
        Format::Md => print!("{}", mask_cprs(&markdown(value))),
        Format::Json => {
            let mut v = serde_json::to_value(value)?;
            safe_json::mask_cprs_in(&mut v);
            println!("{}", safe_json::to_pretty(&v)?)
        }
    }
    Ok(())
}

/// Writes a letter to a citizen as Markdown, JSON or PDF, to `out` or the standard output.
/// `mask` masks every CPR number (a ruling); the access answer masks only other people's
/// itself, so the subject's own numbers stay.
fn write_letter<T: Serialize>(
    format: LetterFormat,
    out: Option<&std::path::Path>,
    value: &T,
    markdown: impl FnOnce(&T) -> String,
    lang: Language,
    mask: bool,
) -> Result<()> {
    use std::io::IsTerminal;
    let md = || {
        let m = markdown(value);
        if mask {
            mask_cprs(&m)
        } else {
            m
        }
    };
    let bytes = match format {
        LetterFormat::Md => md().into_bytes(),
        LetterFormat::Json => {
            let mut v = serde_json::to_value(value)?;
            if mask {
                safe_json::mask_cprs_in(&mut v);
            }
            format!("{}\n", safe_json::to_pretty(&v)?).into_bytes()
        }
        LetterFormat::Pdf => {
            if out.is_none() && std::io::stdout().is_terminal() {
                bail!(CliError::PdfNeedsOut);
            }
            let m = md();
            let t = report::texts(lang);
            let title = m
                .lines()
                .find_map(|l| l.strip_prefix("# "))
                .unwrap_or_default()
                .to_string();
            crate::letter::letter_pdf(&m, &title, report::lang_code(lang), t.page_of)?
        }
    };
    match out {
        Some(path) => write_private(path, &bytes)?,
        None => std::io::stdout().lock().write_all(&bytes)?,
    }
    Ok(())
}

/// `explicit` is the `--lang` given on the command line: it wins over a letter's default,
/// the language the citizen wrote in.
pub fn run(global: &Global, cmd: ReportCmd, explicit: Option<Language>) -> Result<ExitCode> {
    let api = connect_or_open(global)?;
    let api = &*api;
    let lang = lang(global);
    match cmd {
        ReportCmd::Access {
            subjects,
            case,
            log,
            format,
            out,
        } => {
            let mut letter_lang = explicit;
            let mut ids = subjects
                .iter()
                .map(|s| SubjectId::parse(s))
                .collect::<Result<Vec<_>, _>>()?;
            if let Some(c) = case {
                let r = parse_ref(&c)?;
                let request = live_case(api, r)?;
                letter_lang = letter_lang.or(Some(request.enquiry.language));
                ids.extend(request_subjects(&request)?);
            }
            if ids.is_empty() {
                bail!(CliError::NameThePerson);
            }
            ids.sort();
            ids.dedup();
            let letter_lang = letter_lang.unwrap_or(lang);
            let report = access(api, &ids, letter_lang, log)?;
            write_letter(
                format,
                out.as_deref(),
                &report,
                report::access_markdown,
                letter_lang,
                false,
            )?;
            let json = format == LetterFormat::Json;
            dpo_mentions(api, &ids, &report, json, global.lang())?;
        }
        ReportCmd::Ropa { format } => {
            let r = report::ropa(api.policy(), lang, today(api));
            print(format, &r, report::ropa_markdown)?;
        }
        ReportCmd::Disclosures {
            recipient,
            from,
            to,
            include_restricted,
            format,
        } => {
            if include_restricted && !api.actor().roles.contains(&Role::Dpo) {
                bail!(CliError::RestrictedNeedsDpo { have: roles(api) });
            }
            if let Some(id) = &recipient {
                if api.policy().recipient(id).is_none() {
                    bail!(CliError::UnknownRecipient(id.clone()));
                }
            }
            if let (Some(f), Some(t)) = (from, to) {
                if f > t {
                    bail!(CliError::FromAfterTo { from: f, to: t });
                }
            }
            let filter = report::DisclosureFilter {
                recipient,
                from,
                to,
                include_restricted,
            };
            let cases = live_cases(api, None)?;
            let r = report::disclosures(api.policy(), &cases, &filter, lang);
            api.log_access(
                None,
                &Access::Report {
                    what: format!(
                        "disclosures report: {} disclosures{}",
                        r.rows.len(),
                        if include_restricted {
                            ", restricted included"
                        } else {
                            ""
                        }
                    ),
                },
            )?;
            print(format, &r, report::disclosures_markdown)?;
        }
        ReportCmd::Deadlines { format } => {
            let cal = Calendar::from_policy(api.policy());
            let day = today(api);
            let cases: Vec<(Case, Option<report::ClockReading>)> = live_cases(api, None)?
                .into_iter()
                .filter(|c| c.status.is_open())
                .map(|c| {
                    let reading = clock::answer_clock(&c, api.policy(), &cal, day).map(|a| {
                        report::ClockReading {
                            due: a.due,
                            countdown: crate::tui::i18n::countdown(global.lang(), &a.countdown),
                            urgency: a.countdown.sort_key(),
                            complaint_date: a.complaint_date,
                        }
                    });
                    (c, reading)
                })
                .collect();
            let r = report::deadlines(&cases, lang, day);
            print(format, &r, report::deadlines_markdown)?;
        }
        ReportCmd::Ruling {
            reference,
            format,
            out,
        } => {
            let r = parse_ref(&reference)?;
            let case = live_case(api, r)?;
            let lang = explicit.unwrap_or(case.enquiry.language);
            let letter = report::ruling_letter(api.policy(), &case, lang)
                .ok_or(CliError::NoDecisionYet(r))?;
            api.log_access(
                Some(r),
                &Access::Report {
                    what: format!("ruling on {r}"),
                },
            )?;
            write_letter(
                format,
                out.as_deref(),
                &letter,
                report::ruling_markdown,
                lang,
                true,
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// A letter holds personal data: only its owner may read the file.
fn write_private(path: &std::path::Path, bytes: &[u8]) -> Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)
        .map_err(|e| anyhow!("cannot write {}: {}", path.display(), e))?;
    f.write_all(bytes)
        .map_err(|e| anyhow!("cannot write {}: {}", path.display(), e))?;
    Ok(())
}

fn roles(api: &dyn Api) -> String {
    api.actor()
        .roles
        .iter()
        .map(|r| r.as_id())
        .collect::<Vec<_>>()
        .join(", ")
}

fn today(api: &dyn Api) -> NaiveDate {
    api.now().date_naive()
}

/// The live case, or a clear error for a missing or erased one.
fn live_case(api: &dyn Api, r: Reference) -> Result<Case> {
    match api.case(r)? {
        None => Err(StoreError::NotFound(r).into()),
        Some(CaseRecord::Erased(_)) => Err(StoreError::Erased(r).into()),
        Some(CaseRecord::Live(c)) => Ok(*c),
    }
}

/// The live cases the caller may read, read a page at a time.
fn live_cases(api: &dyn Api, status: Option<crate::domain::case::Status>) -> Result<Vec<Case>> {
    let mut out = Vec::new();
    for rec in pages(api, status) {
        if let CaseRecord::Live(c) = rec? {
            out.push(*c);
        }
    }
    Ok(out)
}

/// The person behind a request: the sender's identifiers only. CPR numbers written in the
/// request's text may be other people's (a child, a client) and do not make them the
/// requester.
pub fn request_subjects(case: &Case) -> Result<Vec<SubjectId>> {
    Ok(crate::store::access_report::request_subjects(case)?)
}

/// The access answer for the named person through the subject index, the read logged (see
/// `store::access_report::access`).
pub fn access(
    api: &dyn Api,
    ids: &[SubjectId],
    lang: Language,
    with_log: bool,
) -> Result<AccessReport> {
    Ok(crate::store::access_report::access(
        api, ids, lang, with_log,
    )?)
}

/// The access answer for the requester of `reference`, through the `Api` (see
/// `store::access_report`).
pub fn access_for_request(
    api: &dyn Api,
    reference: Reference,
    lang: Option<Language>,
) -> Result<AccessReport> {
    Ok(crate::store::access_report::access_for_request(
        api, reference, lang,
    )?)
}

pub use crate::store::access_report::access_report_what;

/// For the DPO, on stderr so it never lands in the letter on stdout: other cases whose text
/// mentions the person (name, address, CPR number, e-mail), to review before answering.
fn dpo_mentions(
    api: &dyn Api,
    ids: &[SubjectId],
    report: &AccessReport,
    json: bool,
    lang: crate::tui::i18n::Lang,
) -> Result<()> {
    use crate::tui::i18n_cli::Say;
    let own: Vec<Reference> = report
        .cases
        .iter()
        .filter_map(|c| c.reference.parse().ok())
        .collect();
    let found = crate::search::mentions::mentioning(api, ids, &own)?;
    let hits = &found.hits;
    let mut err = std::io::stderr().lock();
    if json {
        writeln!(
            err,
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({
                "dpo_only_mentions": hits,
                "dpo_only_mentions_incomplete": found.incomplete,
            }))?
        )?;
        return Ok(());
    }
    writeln!(err, "\n{}\n", Say::DpoMentions(hits.len()).text(lang))?;
    for h in hits {
        writeln!(
            err,
            "- {}: {}",
            h.reference,
            crate::cli::search::marked(h, false)
        )?;
    }
    if !found.incomplete.is_empty() {
        writeln!(err, "\n{}", Say::DpoNotWhole.text(lang))?;
        for l in &found.incomplete {
            writeln!(err, "- {l}")?;
        }
    }
    Ok(())
}
