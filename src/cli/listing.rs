//! `triage cases` and `triage show`: the queue and one case, as text or JSON.

use super::{connect_or_open, parse_ref, Global};
use crate::domain::calendar::Calendar;
use crate::domain::case::{Case, CaseRecord, Status};
use crate::domain::category::DataCategory;
use crate::domain::clock;
use crate::domain::command::Access;
use crate::domain::cpr::{self, mask_cprs};
use crate::domain::danish_time::DanishDay;
use crate::domain::policy::Policy;
use crate::domain::safe_json;
use crate::domain::sanitize::sanitize_text;
use crate::domain::summary::display_line;
use crate::store::api::Api;
use crate::store::StoreError;
use crate::tui::i18n;
use crate::tui::i18n_cli::CliError;
use crate::tui::i18n_show::{self, ClockNote, Duplicate};
use anyhow::Result;
use chrono::NaiveDate;
use std::io::Write;
use std::process::ExitCode;

fn today(api: &dyn Api) -> NaiveDate {
    api.now().danish_day()
}

fn countdown(
    lang: i18n::Lang,
    case: &Case,
    policy: &Policy,
    cal: &Calendar,
    today: NaiveDate,
) -> String {
    clock::answer_clock(case, policy, cal, today)
        .map(|c| i18n::countdown(lang, &c.countdown))
        .unwrap_or_default()
}

fn masked_sender(case: &Case) -> String {
    display_line(&case.enquiry.sender.name)
}

fn badges(lang: i18n::Lang, case: &Case) -> String {
    case.badges()
        .iter()
        .map(|(c, confirmed)| {
            let badge = i18n::badge(lang, *c);
            if *confirmed {
                badge.to_string()
            } else {
                badge.to_lowercase()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

pub(crate) fn truncate(s: &str, width: usize) -> String {
    if s.chars().count() <= width {
        return s.to_string();
    }
    let mut t: String = s.chars().take(width.saturating_sub(1)).collect();
    t.push('…');
    t
}

pub fn cases(global: &Global, json: bool, status: Option<&str>) -> Result<ExitCode> {
    let api = connect_or_open(global)?;
    let want = match status {
        Some(s) => Some(
            Status::ALL
                .into_iter()
                .find(|x| x.as_id() == s)
                .ok_or_else(|| CliError::UnknownStatus(s.to_string()))?,
        ),
        None => None,
    };
    let cal = Calendar::from_policy(api.policy());
    let today = today(&*api);
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    // A page at a time, filtered where the store is: the first line prints at once and
    // neither side ever holds the whole list.
    let mut first = true;
    let lang = global.lang();
    for rec in pages(&*api, want) {
        let rec = rec?;
        if json {
            writeln!(
                out,
                "{}",
                safe_json::to_line(&summary_json(&rec, api.policy(), &cal, today))?
            )?;
            // The first line goes out at once; the rest in the buffer's blocks.
            if std::mem::take(&mut first) {
                out.flush()?;
            }
            continue;
        }
        match &rec {
            CaseRecord::Live(c) => writeln!(
                out,
                "{}  {}  {:<11} {:<22} {:>10}  {:<14} {}",
                c.reference,
                c.enquiry.received.danish_day(),
                i18n::status(lang, c.status),
                truncate(c.purpose.as_deref().unwrap_or("-"), 22),
                countdown(lang, c, api.policy(), &cal, today),
                truncate(&badges(lang, c), 14),
                truncate(&display_line(&c.enquiry.subject), 50),
            )?,
            CaseRecord::Erased(t) => writeln!(
                out,
                "{}  {}  {:<11} {}",
                t.reference,
                t.received,
                i18n::status(lang, Status::Erased),
                t.purpose.as_deref().unwrap_or("-")
            )?,
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// Records in the first page a list asks for.
const FIRST_PAGE: usize = 25;

/// Every case record the caller may read (with `status` when given), a page at a time.
pub fn pages(
    api: &dyn Api,
    status: Option<Status>,
) -> impl Iterator<Item = Result<CaseRecord, crate::store::api_error::ApiError>> + '_ {
    let mut after = None;
    let mut done = false;
    let mut page = std::collections::VecDeque::new();
    // The first page small, so the first line comes at once; then doubling up to a full page.
    let mut size = FIRST_PAGE;
    std::iter::from_fn(move || loop {
        if let Some(rec) = page.pop_front() {
            return Some(Ok(rec));
        }
        if done {
            return None;
        }
        let asked = size;
        size = (size * 2).min(crate::store::api::PAGE);
        match api.cases_page(after, asked, status) {
            Ok((records, next)) => {
                page.extend(records);
                done = next.is_none();
                after = next;
            }
            Err(e) => {
                done = true;
                return Some(Err(e));
            }
        }
    })
}

fn summary_json(
    rec: &CaseRecord,
    policy: &Policy,
    cal: &Calendar,
    today: NaiveDate,
) -> serde_json::Value {
    match rec {
        CaseRecord::Live(c) => serde_json::json!({
            "reference": c.reference.to_string(),
            "received": c.enquiry.received.to_rfc3339(),
            "channel": c.enquiry.channel.as_id(),
            "status": c.status.as_id(),
            "purpose": c.purpose,
            "assignee": c.assignee,
            "categories": c.confirmed(),
            "due": clock::answer_clock(c, policy, cal, today).map(|a| a.due.to_string()),
            "subject": display_line(&c.enquiry.subject),
            "version": c.version,
        }),
        CaseRecord::Erased(t) => serde_json::json!({
            "reference": t.reference.to_string(),
            "status": "erased",
            "purpose": t.purpose,
            "erased": t.erased.at.to_rfc3339(),
            "version": t.version,
        }),
    }
}

/// The case as JSON, with CPR numbers in every text masked unless `reveal`: showing is not
/// revealing.
pub(crate) fn case_json(rec: &CaseRecord, reveal: bool) -> Result<serde_json::Value> {
    let mut v = serde_json::to_value(match rec {
        CaseRecord::Live(c) => serde_json::to_value(c)?,
        CaseRecord::Erased(t) => serde_json::json!({ "erased": t }),
    })?;
    if let CaseRecord::Live(c) = rec {
        v["reference"] = serde_json::Value::String(c.reference.to_string());
        v["duplicate_of"] = c
            .duplicate_of
            .map(|r| serde_json::Value::String(r.to_string()))
            .unwrap_or(serde_json::Value::Null);
        if let Some(cpr) = c.enquiry.sender.cpr.as_ref().filter(|_| !reveal) {
            v["enquiry"]["sender"]["cpr"] = serde_json::Value::String(cpr::mask_cpr(cpr));
        }
    }
    if !reveal {
        safe_json::mask_cprs_in(&mut v);
    }
    Ok(v)
}

pub fn show(global: &Global, reference: &str, json: bool) -> Result<ExitCode> {
    let api = connect_or_open(global)?;
    let r = parse_ref(reference)?;
    let rec = api.case(r)?.ok_or(StoreError::NotFound(r))?;
    api.log_access(Some(r), &Access::OpenCase)?;
    if json {
        println!("{}", safe_json::to_pretty(&case_json(&rec, false)?)?);
        return Ok(ExitCode::SUCCESS);
    }
    let c = match rec {
        CaseRecord::Erased(t) => {
            let lines = i18n_show::erased(
                global.lang(),
                t.reference,
                &t.erased.at.danish_day().to_string(),
                &display_line(&t.erased.by),
                &display_line(&t.ground),
                &display_line(t.purpose.as_deref().unwrap_or("-")),
                &t.received.to_string(),
            );
            for l in lines {
                println!("{l}");
            }
            return Ok(ExitCode::SUCCESS);
        }
        CaseRecord::Live(c) => c,
    };
    let cal = Calendar::from_policy(api.policy());
    let e = &c.enquiry;
    // Status, clocks, history and refusals in the language asked for (`--lang`, config);
    // the labels beside them too.
    let lang = global.lang();
    let label = |en: &'static str| i18n::cli_label(lang, en);
    println!(
        "{}  {}  version {}",
        c.reference,
        i18n::status(lang, c.status),
        c.version
    );
    println!(
        "{:<9} {} via {} ({} {})",
        label("received"),
        e.received.format("%Y-%m-%d %H:%M %:z"),
        i18n::channel(lang, e.channel),
        label("Danish day"),
        e.received.danish_day()
    );
    println!("{:<9} {}", label("from"), masked_sender(&c));
    // A display name can look like an address; the address it came from is shown too.
    if let Some(email) = e.sender.email.as_deref().filter(|m| *m != e.sender.name) {
        println!("{:<9} <{}>", label("address"), display_line(email));
    }
    println!("{:<9} {}", label("subject"), display_line(&e.subject));
    println!(
        "{:<9} {}",
        label("purpose"),
        display_line(c.purpose.as_deref().unwrap_or("-"))
    );
    if let Some(right) = c.right {
        match lang {
            i18n::Lang::En => println!("right     {} ({})", right.as_id(), right.article()),
            i18n::Lang::Da => println!("{:<9} {}", label("right"), i18n::right(lang, right)),
        }
    }
    let duplicate = c.duplicate_of.map(|first| match c.right {
        Some(_) => Duplicate::SameRight {
            first,
            days: api.policy().rights.duplicate_window_days,
        },
        None => Duplicate::SameMessageId { first },
    });
    if let Some(d) = duplicate {
        println!("{}", d.text(lang));
    }
    let events = api.events(r)?;
    // How an imported message was read (its sender's Date:, a guessed sender, …).
    for ev in &events {
        if let crate::domain::command::Change::Registered { source } = &ev.change {
            println!(
                "{:<9} {}",
                label("source"),
                i18n_show::source(lang, &display_line(source))
            );
        }
    }
    println!(
        "{:<9} {}",
        label("assignee"),
        display_line(c.assignee.as_deref().unwrap_or("-"))
    );
    if let Some(clock) = clock::answer_clock(&c, api.policy(), &cal, today(&*api)) {
        let mut notes = Vec::new();
        if c.purpose.is_none() {
            notes.push(ClockNote::OnSuggestedPurpose);
        }
        if clock.extended {
            notes.push(ClockNote::Extended);
        }
        if clock.paused {
            notes.push(ClockNote::PausedNow {
                days: clock.paused_days,
            });
        } else if clock.paused_days > 0 {
            notes.push(ClockNote::PausedBefore {
                days: clock.paused_days,
            });
        }
        if clock.delay_letter_due {
            notes.push(ClockNote::DelayLetterDue);
        }
        if clock.complaint_possible {
            notes.push(ClockNote::ComplaintPossible);
        }
        let notes: Vec<String> = notes.into_iter().map(|n| n.text(lang)).collect();
        let extra = if notes.is_empty() {
            String::new()
        } else {
            format!("; {}", notes.join("; "))
        };
        println!(
            "{:<9} {} ({}){extra}",
            label("due"),
            clock.due,
            i18n::countdown(lang, &clock.countdown)
        );
        if let Some(d) = clock.complaint_date {
            println!("{}", i18n_show::complaint_date(lang, d));
        }
    }
    if let Some(r) = clock::retention_clock(&c, api.policy(), today(&*api)) {
        let date = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_else(|| "-".into());
        let (state, held) = match lang {
            i18n::Lang::En => (r.state.as_id(), ", held"),
            i18n::Lang::Da => (i18n::retention(lang, r.state), ", tilbageholdt"),
        };
        println!(
            "{} {} {} → {} {} → {} {} → {} {}  [{}{}] {}",
            label("retention"),
            label("received"),
            r.received,
            label("closed"),
            date(r.closed),
            label("handover"),
            date(r.handover_due),
            label("deletion"),
            date(r.deletion_due),
            state,
            if r.held { held } else { "" },
            i18n::retention_reason(lang, &r)
        );
    }
    let category = |d: DataCategory| match lang {
        i18n::Lang::En => d.as_id(),
        i18n::Lang::Da => d.name_da(),
    };
    let confirmed: Vec<&str> = c.confirmed().iter().map(|d| category(*d)).collect();
    println!(
        "{:<9} {}",
        label("confirmed"),
        if confirmed.is_empty() {
            "-".into()
        } else {
            confirmed.join(", ")
        }
    );
    let suggested: Vec<String> = c
        .open_suggestions()
        .iter()
        .map(|s| format!("{} ({:.0}%)", category(s.category), s.confidence * 100.0))
        .collect();
    if !suggested.is_empty() {
        println!("{:<9} {}", label("suggested"), suggested.join(", "));
    }
    if let Some(r) = &c.restriction {
        println!(
            "{}: {}",
            i18n_show::restricted(lang),
            display_line(&r.reason)
        );
    }
    if let Some(h) = &c.legal_hold {
        println!(
            "{}: {}",
            i18n_show::legal_hold(lang),
            display_line(&h.reason)
        );
    }
    for d in &c.disclosures {
        let bases: Vec<String> = d.bases.iter().map(|b| b.id()).collect();
        let line = i18n_show::DisclosureLine {
            id: d.id,
            kind: d.kind,
            recipient: &display_line(&d.recipient),
            bases: &bases.join(" + "),
            by: &display_line(&d.made.by),
            at: &d.made.at.danish_minute(),
            withdrawn: d.withdrawn.is_some(),
        };
        println!("{}", line.text(lang));
        println!("    {}", display_line(&d.justification));
    }
    if let Some(dec) = &c.decision {
        println!(
            "{:<9} {}",
            label("decision"),
            i18n_show::outcome(lang, dec.outcome)
        );
        if let Some(r) = &dec.ruling {
            println!(
                "{:<9} {} — {}",
                label("ruling"),
                display_line(&r.ground),
                display_line(&r.reasons)
            );
        }
    }
    for n in &c.notes {
        println!(
            "{:<9} {} {}: {}",
            label("note"),
            n.made.at.danish_day(),
            display_line(&n.made.by),
            i18n_show::note(lang, &display_line(&n.text))
        );
    }
    for ev in &events {
        println!(
            "{:<9} {} {} {}",
            label("history"),
            ev.at.danish_minute(),
            display_line(&ev.actor),
            i18n::action(lang, ev.change.action())
        );
    }
    println!();
    println!("{}", sanitize_text(&mask_cprs(&e.body)));
    Ok(ExitCode::SUCCESS)
}
