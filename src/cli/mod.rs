//! The subcommands behind `main`: open the store as the OS user and print for people or JSON.

pub mod archive;
pub mod bench;
pub mod bench_archive;
pub mod bench_mail;
pub mod bench_search;
pub mod bench_served;
pub mod bench_ui;
pub mod compact;
pub mod config;
pub mod demo;
pub mod docs;
pub mod fail;
pub mod filter;
pub mod gen;
pub mod init;
pub mod recover;
pub mod report;
pub mod retention;
pub mod search;
pub mod stress;

use crate::domain::basis::LegalBasis;
use crate::domain::calendar::Calendar;
use crate::domain::case::{Case, CaseRecord, DisclosureKind, Outcome, Ruling, Status};
use crate::domain::category::DataCategory;
use crate::domain::clock;
use crate::domain::command::{Access, Command, RouteRequest};
use crate::domain::cpr::{self, mask_cprs};
use crate::domain::danish_time::DanishDay;
use crate::domain::detect::Detector;
use crate::domain::enquiry::{Reference, RightKind};
use crate::domain::policy::Policy;
use crate::domain::safe_json;
use crate::domain::sanitize::{sanitize_line, sanitize_text};
use crate::domain::summary::display_line;
use crate::import;
use crate::store::api::{Api, Embedded};
use crate::store::{Actor, NewEnquiry, Registration, Store, StoreError};
use crate::tui::i18n;
use crate::tui::i18n_cli::CliError;
use crate::tui::i18n_show::{self, ClockNote, Duplicate};
use anyhow::{anyhow, bail, Context as _, Result};
use chrono::{DateTime, NaiveDate, Utc};
use clap::Subcommand;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The bundled demo policy, which `demo`, `gen` and `bench` install in the stores they make.
pub const DEFAULT_POLICY: &str = include_str!("../../demo-data/policy.toml");

/// Options every subcommand shares.
pub struct Global {
    pub db: Option<PathBuf>,
    pub policy: Option<PathBuf>,
    pub da: bool,
    /// The server to connect to (`--server`, `TRIAGE_SERVER`); found beside the store otherwise.
    pub server: Option<PathBuf>,
}

impl Global {
    /// The language people read: `--lang`, else the config's `lang`.
    pub fn lang(&self) -> i18n::Lang {
        if self.da {
            i18n::Lang::Da
        } else {
            i18n::Lang::En
        }
    }
}

/// Where the store lives unless `--db` says otherwise.
pub fn default_db(name: &str) -> Result<PathBuf> {
    let dirs = directories::ProjectDirs::from("", "", "triage").ok_or(CliError::NoHome)?;
    Ok(dirs.data_dir().join(name))
}

/// The time commands act at: the wall clock, or `TRIAGE_NOW` (RFC 3339) for reproducible runs.
pub fn fixed_now() -> Result<Option<DateTime<Utc>>> {
    match std::env::var("TRIAGE_NOW") {
        Ok(v) if !v.is_empty() => Ok(Some(
            DateTime::parse_from_rfc3339(&v)
                .with_context(|| CliError::BadFixedTime(v.clone()))?
                .with_timezone(&Utc),
        )),
        _ => Ok(None),
    }
}

/// `TRIAGE_NOW` for this store: honoured only on a store made as a test or demo store
/// (`demo`, `gen`, `init --test-clock`, recorded in the store); anywhere else it is refused,
/// so nobody can date a decision on a real store by setting a variable.
pub fn store_now(store: &Store) -> Result<Option<DateTime<Utc>>> {
    let fixed = fixed_now()?;
    if fixed.is_some() && !store.flag("test-clock")? {
        bail!(CliError::FixedTimeOnRealStore(store.path().to_path_buf()));
    }
    Ok(fixed)
}

/// Loads the policy: `--policy`, else the store's own (a store without one is refused).
pub fn load_policy(global: &Global, store: &Store) -> Result<Policy> {
    let (text, name) = policy_source(global, store)?;
    Ok(Policy::from_toml(&text, &name)?)
}

/// The policy's text and a name for it in error messages (see `load_policy`).
pub fn policy_source(global: &Global, store: &Store) -> Result<(String, String)> {
    if let Some(path) = &global.policy {
        let text = std::fs::read_to_string(path)
            .with_context(|| CliError::CannotReadPolicy(path.clone()))?;
        return Ok((text, path.display().to_string()));
    }
    match store.policy_text()? {
        Some(text) => Ok((text, "the store's policy".into())),
        None => bail!(CliError::NoPolicyInstalled(store.path().to_path_buf())),
    }
}

/// Opens the store as the operating-system user, with the roles the policy gives them.
pub fn open(global: &Global) -> Result<Embedded> {
    let db = db_path(global)?;
    as_user(open_store(global, &db, None)?, global)
}

/// Opens the store itself (never creating one), with `cache_bytes` of sled page cache when
/// given; when a server holds it, says so and where.
fn open_store(global: &Global, db: &Path, cache_bytes: Option<u64>) -> Result<Store> {
    let opened = match cache_bytes {
        Some(bytes) => Store::open_existing_with_cache(db, bytes),
        None => Store::open_existing(db),
    };
    match opened {
        Err(StoreError::Locked { path }) => {
            let socket = global
                .server
                .clone()
                .unwrap_or_else(|| crate::server::default_socket(&path));
            if std::os::unix::net::UnixStream::connect(&socket).is_ok() {
                bail!(CliError::StoreInUse {
                    store: path,
                    socket
                })
            }
            Err(StoreError::Locked { path }.into())
        }
        other => Ok(other?),
    }
}

/// The server for the store, if one answers: `--server` (or `TRIAGE_SERVER`), else the
/// socket beside the store. An explicit socket where nothing answers is an error.
pub fn find_server(global: &Global) -> Result<Option<crate::server::Client>> {
    use crate::server::{default_socket, Client};
    if let Some(socket) = &global.server {
        return match Client::connect(socket) {
            Ok(c) => Ok(Some(c)),
            Err(e) if e.no_server() => bail!(
                "{e}\n  Start it with `triage serve`, or leave out --server (and TRIAGE_SERVER) to open the store directly."
            ),
            Err(e) => Err(e.into()),
        };
    }
    match Client::connect(&default_socket(&db_path(global)?)) {
        Ok(c) => Ok(Some(c)),
        Err(e) if e.no_server() => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// The store through its server when one runs for it, else opened in this process.
pub fn connect_or_open(global: &Global) -> Result<Box<dyn Api>> {
    connect_or_open_cached(global, None)
}

/// `connect_or_open` for a command that reads every case once (the packager): a store
/// opened here gets a small page cache (see `STREAMING_CACHE_BYTES`).
pub fn connect_or_open_streaming(global: &Global) -> Result<Box<dyn Api>> {
    connect_or_open_cached(global, Some(crate::store::STREAMING_CACHE_BYTES))
}

fn connect_or_open_cached(global: &Global, cache_bytes: Option<u64>) -> Result<Box<dyn Api>> {
    Ok(match find_server(global)? {
        Some(c) => Box::new(c),
        None => {
            let store = open_store(global, &db_path(global)?, cache_bytes)?;
            Box::new(as_user(store, global)?)
        }
    })
}

/// `triage watch`: prints the reference of each case others change, as the server tells.
pub fn watch(global: &Global, seconds: Option<u64>) -> Result<ExitCode> {
    let Some(client) = find_server(global)? else {
        bail!(CliError::NoServerToWatch);
    };
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "# watching {} as {}",
        client.socket().display(),
        client.actor().login
    )?;
    out.flush()?;
    let until = seconds.map(|s| std::time::Instant::now() + std::time::Duration::from_secs(s));
    while until.is_none_or(|u| std::time::Instant::now() < u) {
        for r in client.changed() {
            writeln!(out, "{r}")?;
            out.flush()?;
        }
        if let Some(why) = client.ended() {
            bail!("the server connection ended: {why}");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    Ok(ExitCode::SUCCESS)
}

/// Wraps an open store with its policy and the acting user.
pub fn as_user(store: Store, global: &Global) -> Result<Embedded> {
    let policy = load_policy(global, &store)?;
    let login = crate::identity::os_login().map_err(|e| anyhow!(e))?;
    let fixed = store_now(&store)?;
    let now = fixed.unwrap_or_else(Utc::now);
    // The queue index holds deadlines the policy decides: rebuilt once after a policy change
    // or an upgrade, before anyone reads it.
    if !store.is_empty() && !store.queue_current(&policy)? {
        eprintln!("triage: rebuilding the queue index (once, after an upgrade or a new policy)…");
    }
    store.refresh_queue(&policy, now.danish_day())?;
    // Built or brought up to date now (with a line on stderr), then kept in step by the store.
    crate::search::attach(&store)?;
    // Roles come from the installed policy even when `--policy` dry-runs another one.
    let roles = match (&global.policy, store.policy_text()?) {
        (Some(_), Some(installed)) => {
            Policy::from_toml(&installed, "the store's policy")?.roles_of(&login)
        }
        _ => policy.roles_of(&login),
    };
    if roles.is_empty() {
        bail!(CliError::NotStaff { login });
    }
    Ok(Embedded {
        store: std::sync::Arc::new(store),
        policy,
        actor: Actor { login, roles },
        fixed_now: fixed,
    })
}

pub fn interface(global: &Global) -> Result<ExitCode> {
    let api = connect_or_open(global)?;
    run_interface(&*api, global)
}

pub fn run_interface(api: &dyn Api, global: &Global) -> Result<ExitCode> {
    let (config, _) = config::load();
    let opts = crate::tui::TuiOptions {
        lang: if global.da {
            crate::tui::Lang::Da
        } else {
            crate::tui::Lang::En
        },
        mouse: config.mouse.unwrap_or(false),
        ..Default::default()
    };
    crate::tui::run(api, opts)?;
    Ok(ExitCode::SUCCESS)
}

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

fn parse_ref(s: &str) -> Result<Reference> {
    Ok(s.parse::<Reference>()?)
}

fn today(api: &dyn Api) -> NaiveDate {
    api.now().danish_day()
}

fn countdown(case: &Case, policy: &Policy, cal: &Calendar, today: NaiveDate) -> String {
    clock::answer_clock(case, policy, cal, today)
        .map(|c| c.countdown.short())
        .unwrap_or_default()
}

fn masked_sender(case: &Case) -> String {
    display_line(&case.enquiry.sender.name)
}

fn badges(case: &Case) -> String {
    case.badges()
        .iter()
        .map(|(c, confirmed)| {
            if *confirmed {
                c.badge().to_string()
            } else {
                c.badge().to_lowercase()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn truncate(s: &str, width: usize) -> String {
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
                c.status.as_id(),
                truncate(c.purpose.as_deref().unwrap_or("-"), 22),
                countdown(c, api.policy(), &cal, today),
                truncate(&badges(c), 14),
                truncate(&display_line(&c.enquiry.subject), 50),
            )?,
            CaseRecord::Erased(t) => writeln!(
                out,
                "{}  {}  erased      {}",
                t.reference,
                t.received,
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
fn case_json(rec: &CaseRecord, reveal: bool) -> Result<serde_json::Value> {
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
                &t.erased.at.format("%Y-%m-%d").to_string(),
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
            at: &d.made.at.format("%Y-%m-%d %H:%M").to_string(),
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
            n.made.at.format("%Y-%m-%d"),
            display_line(&n.made.by),
            i18n_show::note(lang, &display_line(&n.text))
        );
    }
    for ev in &events {
        println!(
            "{:<9} {} {} {}",
            label("history"),
            ev.at.format("%Y-%m-%d %H:%M"),
            display_line(&ev.actor),
            i18n::action(lang, ev.change.action())
        );
    }
    println!();
    println!("{}", sanitize_text(&mask_cprs(&e.body)));
    Ok(ExitCode::SUCCESS)
}

fn reason(v: &Option<String>, what: &'static str) -> Result<String> {
    Ok(v.clone()
        .filter(|s| !s.trim().is_empty())
        .ok_or(CliError::NeedsReason { what })?)
}

/// The commands `triage case REF …` gives, one per case command.
#[derive(Subcommand, Debug)]
pub enum CaseAction {
    /// Confirm or reject data categories (comma-separated ids, e.g. health,cpr)
    #[command(
        after_help = "Example: triage case 2026-000012 classify --confirm health,cpr --reject criminal"
    )]
    Classify {
        /// Categories the case holds (ids: general, contact, cpr, health, criminal, …)
        #[arg(long, value_delimiter = ',', value_name = "IDS")]
        confirm: Vec<DataCategory>,
        /// Categories detection suggested that the case does not hold
        #[arg(long, value_delimiter = ',', value_name = "IDS")]
        reject: Vec<DataCategory>,
        /// Confirm every suggestion detection made
        #[arg(long)]
        accept_suggestions: bool,
    },
    /// Set the processing purpose (an id from the policy)
    #[command(
        after_help = "Example: triage case 2026-000012 purpose data-subject-rights --right access"
    )]
    Purpose {
        /// The purpose's id (see `triage policy`)
        purpose: String,
        /// For data-subject-rights: access, rectification, erasure, restriction, objection
        #[arg(long)]
        right: Option<RightKind>,
    },
    /// Disclose the case to a recipient with legal bases and a justification
    #[command(
        after_help = "Example: triage case 2026-000012 route --to immigration-service --basis gdpr-6-1-e --why \"The Service decides the residence case\""
    )]
    Route {
        /// The recipient's id (see `triage policy`)
        #[arg(long = "to", value_name = "RECIPIENT")]
        to: String,
        /// Legal bases of the disclosure, comma-separated ids (e.g. gdpr-6-1-e,gdpr-9-2-f)
        #[arg(
            long = "basis",
            value_delimiter = ',',
            required = true,
            value_name = "IDS"
        )]
        bases: Vec<LegalBasis>,
        /// Why the recipient needs the data: the justification kept on record
        #[arg(long = "why", value_name = "TEXT")]
        why: String,
        /// Transfer basis, for recipients outside the EU/EEA or international organisations
        #[arg(long)]
        transfer: Option<String>,
        /// Reason for not restricting the case after a disclosure to a restricted recipient
        #[arg(long)]
        waive_restriction: Option<String>,
        /// Forward to the competent authority (Public Administration Act § 7)
        #[arg(long, conflicts_with = "employer_notice")]
        forward: bool,
        /// Notify employers (residence permit refused, revoked or lapsed)
        #[arg(long)]
        employer_notice: bool,
        /// An employer notified (repeatable)
        #[arg(long = "party")]
        parties: Vec<String>,
    },
    /// Withdraw a disclosure made by mistake (it stays on record)
    Withdraw {
        /// The disclosure's number on the case (see `triage show`)
        disclosure: u32,
        /// Why it is withdrawn, kept on record
        #[arg(long)]
        why: Option<String>,
    },
    /// Take the case (from its holder, with --from)
    Take {
        /// The login of the colleague who holds it now
        #[arg(long, value_name = "LOGIN")]
        from: Option<String>,
    },
    /// Release the case you hold
    Release,
    /// Give the case to a colleague
    Assign {
        /// The colleague's login
        login: String,
        /// The login of the colleague who holds it now
        #[arg(long, value_name = "LOGIN")]
        from: Option<String>,
    },
    /// Add a note
    Note {
        /// The note's text
        text: String,
    },
    /// Decide a data-subject-rights request
    #[command(
        after_help = "Example: triage case 2026-000012 decide refused --ground \"GDPR Art. 17(3)(b)\" --reasons \"The data is needed for the pending case.\""
    )]
    Decide {
        /// granted, partly-granted or refused
        outcome: OutcomeArg,
        /// The reasons, written to the citizen (needed unless granted)
        #[arg(long, value_name = "TEXT")]
        reasons: Option<String>,
        /// The legal ground the decision rests on (needed unless granted)
        #[arg(long, value_name = "TEXT")]
        ground: Option<String>,
    },
    /// Record that the enquiry was answered
    Answer {
        /// What the answer said, in a sentence
        summary: String,
    },
    /// Close the case (its retention clock starts)
    Close {
        /// Why, kept on record
        #[arg(long)]
        why: Option<String>,
    },
    /// Restrict under Art. 23 (left out of access reports)
    Restrict {
        /// The Art. 23 reason, kept on record
        #[arg(long)]
        why: Option<String>,
    },
    /// Lift an Art. 23 restriction (the case shows in access reports again)
    Unrestrict {
        /// Why the restriction no longer applies, kept on record
        #[arg(long)]
        why: Option<String>,
    },
    /// Put under legal hold (stops the deletion clock)
    Hold {
        /// The claim or proceedings the data may be needed for
        #[arg(long)]
        why: Option<String>,
    },
    /// Release a legal hold (the deletion clock runs again)
    ReleaseHold {
        /// Why the hold ends, kept on record
        #[arg(long)]
        why: Option<String>,
    },
    /// Extend a data-subject-rights deadline by two months (Art. 12(3))
    Extend {
        /// The reason the citizen is told
        #[arg(long)]
        why: Option<String>,
    },
    /// Pause the answer clock (waiting for identity verification)
    Pause {
        /// What the case waits for
        #[arg(long)]
        why: Option<String>,
    },
    /// Restart a paused answer clock
    Resume,
    /// Record the handover to the state archives
    HandOver,
    /// Record the specific assessment after handover
    Assess {
        /// keep a copy or delete it
        decision: KeepArg,
        /// The assessment's reasons
        #[arg(long)]
        why: Option<String>,
        /// When to assess a kept copy again (YYYY-MM-DD)
        #[arg(long, value_name = "DATE")]
        review: Option<NaiveDate>,
    },
    /// Erase the case's personal data, leaving a tombstone
    Erase {
        /// The legal ground for erasing (e.g. GDPR Art. 17(1)(a))
        #[arg(long, value_name = "TEXT")]
        ground: Option<String>,
    },
    /// Print the CPR numbers of the case unmasked (audited)
    Reveal,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug)]
pub enum OutcomeArg {
    /// The request is granted in full
    Granted,
    /// Granted in part; a ruling with reasons is needed
    PartlyGranted,
    /// Refused; a ruling with reasons is needed
    Refused,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug)]
pub enum KeepArg {
    /// Keep a copy until the review date
    Keep,
    /// Delete the copy
    Delete,
}

pub fn case(
    global: &Global,
    reference: &str,
    at_version: Option<u64>,
    action: CaseAction,
) -> Result<ExitCode> {
    let api = connect_or_open(global)?;
    let r = parse_ref(reference)?;
    let current = match api.case(r)? {
        None => return Err(StoreError::NotFound(r).into()),
        Some(CaseRecord::Erased(_)) => return Err(StoreError::Erased(r).into()),
        Some(CaseRecord::Live(c)) => *c,
    };
    if let CaseAction::Reveal = action {
        api.log_access(Some(r), &Access::RevealCpr)?;
        let mut cprs: Vec<String> = current.enquiry.sender.cpr.iter().cloned().collect();
        cprs.extend(
            cpr::find_cprs(&current.enquiry.body)
                .iter()
                .map(|h| current.enquiry.body[h.start..h.end].to_string()),
        );
        for c in cprs {
            println!("{c}");
        }
        return Ok(ExitCode::SUCCESS);
    }
    let cmd = to_command(action, &current, &api.actor().login)?;
    let rec = api.execute(r, at_version.unwrap_or(current.version), &cmd)?;
    let lang = global.lang();
    println!(
        "{} ({}, version {})",
        i18n::tf(lang, i18n::Msg::Saved, &[&r.to_string()]),
        i18n::action(lang, cmd.action()),
        rec.version()
    );
    Ok(ExitCode::SUCCESS)
}

fn to_command(action: CaseAction, current: &Case, me: &str) -> Result<Command> {
    Ok(match action {
        CaseAction::Classify {
            mut confirm,
            reject,
            accept_suggestions,
        } => {
            if accept_suggestions {
                confirm.extend(
                    current
                        .open_suggestions()
                        .iter()
                        .map(|s| s.category)
                        .filter(|c| !reject.contains(c)),
                );
                confirm.sort();
                confirm.dedup();
            }
            Command::Classify { confirm, reject }
        }
        CaseAction::Purpose { purpose, right } => Command::SetPurpose { purpose, right },
        CaseAction::Route {
            to,
            bases,
            why,
            transfer,
            waive_restriction,
            forward,
            employer_notice,
            parties,
        } => Command::Route(RouteRequest {
            kind: if forward {
                DisclosureKind::Forward
            } else if employer_notice {
                DisclosureKind::EmployerNotice
            } else {
                DisclosureKind::Disclosure
            },
            recipient: to,
            bases,
            justification: why,
            transfer,
            waive_restriction,
            parties,
        }),
        CaseAction::Withdraw { disclosure, why } => Command::Withdraw {
            disclosure,
            reason: reason(&why, "withdraw")?,
        },
        CaseAction::Take { from } => Command::Assign {
            to: Some(me.to_string()),
            from,
        },
        CaseAction::Release => Command::Assign {
            to: None,
            from: Some(me.to_string()),
        },
        CaseAction::Assign { login, from } => Command::Assign {
            to: Some(login),
            from: from.or_else(|| current.assignee.clone()),
        },
        CaseAction::Note { text } => Command::AddNote { text },
        CaseAction::Decide {
            outcome,
            reasons,
            ground,
        } => {
            let outcome = match outcome {
                OutcomeArg::Granted => Outcome::Granted,
                OutcomeArg::PartlyGranted => Outcome::PartlyGranted,
                OutcomeArg::Refused => Outcome::Refused,
            };
            let ruling = match (reasons, ground) {
                (None, None) => None,
                (r, g) => Some(Ruling {
                    reasons: r.unwrap_or_default(),
                    ground: g.unwrap_or_default(),
                }),
            };
            Command::Decide { outcome, ruling }
        }
        CaseAction::Answer { summary } => Command::Answer { summary },
        CaseAction::Close { why } => Command::Close {
            reason: reason(&why, "close")?,
        },
        CaseAction::Restrict { why } => Command::Restrict {
            reason: reason(&why, "restrict")?,
        },
        CaseAction::Unrestrict { why } => Command::Unrestrict {
            reason: reason(&why, "unrestrict")?,
        },
        CaseAction::Hold { why } => Command::Hold {
            reason: reason(&why, "hold")?,
        },
        CaseAction::ReleaseHold { why } => Command::ReleaseHold {
            reason: reason(&why, "release-hold")?,
        },
        CaseAction::Extend { why } => Command::Extend {
            reason: reason(&why, "extend")?,
        },
        CaseAction::Pause { why } => Command::Pause {
            reason: reason(&why, "pause")?,
        },
        CaseAction::Resume => Command::Resume,
        CaseAction::HandOver => Command::HandOver,
        CaseAction::Assess {
            decision,
            why,
            review,
        } => Command::Assess {
            keep: matches!(decision, KeepArg::Keep),
            reason: reason(&why, "assess")?,
            review,
        },
        CaseAction::Erase { ground } => Command::Erase {
            ground: ground
                .filter(|g| !g.trim().is_empty())
                .ok_or(CliError::NeedsGround)?,
        },
        CaseAction::Reveal => unreachable!("handled before"),
    })
}

pub fn export(global: &Global, csv: bool, reveal: bool) -> Result<ExitCode> {
    let api = connect_or_open(global)?;
    api.log_access(
        None,
        &Access::Export {
            what: match (csv, reveal) {
                (true, false) => "all cases (csv)",
                (false, false) => "all cases (jsonl)",
                (true, true) => "all cases (csv), CPR numbers revealed",
                (false, true) => "all cases (jsonl), CPR numbers revealed",
            }
            .into(),
        },
    )?;
    if reveal {
        api.log_access(None, &Access::RevealCpr)?;
    }
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    if csv {
        writeln!(
            out,
            "reference,received,channel,status,purpose,assignee,categories,recipients,subject"
        )?;
    }
    for rec in pages(&*api, None) {
        let rec = rec?;
        if !csv {
            writeln!(out, "{}", safe_json::to_line(&case_json(&rec, reveal)?)?)?;
            continue;
        }
        let row: Vec<String> = match &rec {
            CaseRecord::Live(c) => vec![
                c.reference.to_string(),
                c.enquiry.received.to_rfc3339(),
                c.enquiry.channel.as_id().into(),
                c.status.as_id().into(),
                c.purpose.clone().unwrap_or_default(),
                c.assignee.clone().unwrap_or_default(),
                c.confirmed()
                    .iter()
                    .map(|c| c.as_id())
                    .collect::<Vec<_>>()
                    .join(" "),
                c.live_disclosures()
                    .map(|d| d.recipient.clone())
                    .collect::<Vec<_>>()
                    .join(" "),
                if reveal {
                    sanitize_line(&c.enquiry.subject).into_owned()
                } else {
                    display_line(&c.enquiry.subject)
                },
            ],
            CaseRecord::Erased(t) => vec![
                t.reference.to_string(),
                t.received.to_string(),
                String::new(),
                "erased".into(),
                t.purpose.clone().unwrap_or_default(),
            ],
        };
        writeln!(
            out,
            "{}",
            row.iter()
                .map(|f| csv_field(f))
                .collect::<Vec<_>>()
                .join(",")
        )?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// Quotes a CSV field; a leading =, +, - or @ is defused so a spreadsheet never runs it.
fn csv_field(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

pub fn audit_verify(global: &Global, against: Option<&str>) -> Result<ExitCode> {
    let anchor = against
        .map(|l| l.parse::<crate::store::audit::HeadLine>())
        .transpose()
        .map_err(|e| anyhow!("--against: {e}"))?;
    let api = connect_or_open(global)?;
    let v = api.audit_verify()?;
    match &v.first_broken {
        None => {
            println!("audit chain verified: {} entries, {} events checked against their digests, {} erased cases", v.entries, v.events_checked, v.erased_cases);
            if let Some(anchor) = anchor {
                if let Some(problem) = api.audit_extends(&anchor)? {
                    println!(
                        "audit chain does NOT extend the recorded head (entry {}): {problem}",
                        anchor.seq
                    );
                    return Ok(ExitCode::from(2));
                }
                println!(
                    "it extends the recorded head: entry {} has the recorded hash",
                    anchor.seq
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Some(b) => {
            println!("audit chain BROKEN at entry {}: {}", b.seq, b.problem);
            println!("  ({} entries before it verified)", v.entries);
            Ok(ExitCode::from(2))
        }
    }
}

/// `triage audit head`: one line to keep elsewhere (see `audit verify --against`).
pub fn audit_head(global: &Global) -> Result<ExitCode> {
    let api = connect_or_open(global)?;
    println!("{}", api.audit_head()?);
    Ok(ExitCode::SUCCESS)
}

pub fn audit_log(global: &Global, case: Option<&str>, json: bool) -> Result<ExitCode> {
    let api = connect_or_open(global)?;
    let r = case.map(parse_ref).transpose()?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let mut after = 0;
    loop {
        let (lines, next) = api.audit_page(r, after, crate::store::api::PAGE)?;
        for (e, access) in lines {
            let detail = match access.map(|a| a.access) {
                Some(Access::Search { terms }) => format!("terms {:?}", display_line(&terms)),
                Some(Access::Export { what }) | Some(Access::Report { what }) => {
                    sanitize_line(&what).into_owned()
                }
                Some(Access::InstallPolicy { old, new, forced }) => format!(
                    "policy {} → {}{}",
                    old.as_deref()
                        .map(|d| &d[..16.min(d.len())])
                        .unwrap_or("none"),
                    &new[..16.min(new.len())],
                    if forced.is_empty() {
                        String::new()
                    } else {
                        format!(", forced past {}", sanitize_line(&forced.join(", ")))
                    }
                ),
                _ => String::new(),
            };
            if json {
                writeln!(
                    out,
                    "{}",
                    safe_json::to_line(&serde_json::json!({
                        "seq": e.seq, "at": e.at.to_rfc3339(), "actor": e.actor,
                        "case": e.reference.map(|r| r.to_string()), "version": e.version,
                        "action": e.action, "detail": detail,
                        "clock": e.clock.map(|c| c.to_rfc3339()),
                        "digest": crate::store::audit::hex(&e.digest), "prev": crate::store::audit::hex(&e.prev),
                    }))?
                )?;
            } else {
                let detail = match e.clock {
                    Some(c) => format!(
                        "{detail} (clock read {}: behind the entry before)",
                        c.format("%Y-%m-%d %H:%M:%S")
                    ),
                    None => detail,
                };
                writeln!(
                    out,
                    "{:>6}  {}  {:<10} {:<12} {:<14} {}",
                    e.seq,
                    e.at.format("%Y-%m-%d %H:%M:%S"),
                    truncate(&e.actor, 10),
                    e.reference
                        .map(|r| r.to_string())
                        .unwrap_or_else(|| "-".into()),
                    e.action,
                    detail
                )?;
            }
        }
        match next {
            Some(n) => after = n,
            None => break,
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

pub fn policy(global: &Global, install: Option<&Path>, force: bool) -> Result<ExitCode> {
    let api: Box<dyn Api> = match find_server(global)? {
        Some(c) => Box::new(c),
        None => {
            let store = open_store(global, &db_path(global)?, None)?;
            match (install, store.policy_text()?) {
                // A store from before `triage init` installed one: the first policy is
                // installed by someone it makes an administrator.
                (Some(path), None) => return first_policy(store, path),
                _ => Box::new(as_user(store, global)?),
            }
        }
    };
    if let Some(path) = install {
        let text = std::fs::read_to_string(path)
            .with_context(|| CliError::CannotRead(path.to_path_buf()))?;
        Policy::from_toml(&text, &path.display().to_string())?;
        let change = api.install_policy(&text, force)?;
        println!(
            "policy {} installed ({}): digest {} (was {}){}",
            path.display(),
            api.describe(),
            change.new,
            change.old.as_deref().unwrap_or("none"),
            if change.forced.is_empty() {
                String::new()
            } else {
                format!("; forced past {}", change.forced.join(", "))
            }
        );
        return Ok(ExitCode::SUCCESS);
    }
    let p = api.policy();
    println!("{} — {}", p.authority.name_en, p.authority.name_da);
    println!("\npurposes:");
    for pu in &p.purposes {
        println!("  {:<24} {} / {}", pu.id(), pu.name_en, pu.name_da);
    }
    println!("\nrecipients:");
    for r in &p.recipients {
        println!(
            "  {:<28} {}{}",
            r.id(),
            r.name_en,
            if r.restricted {
                "  [restricted, Art. 23]"
            } else {
                ""
            }
        );
    }
    println!("\ncategory rules (a disclosure needs, beyond its Art. 6 basis):");
    for rule in &p.category_rules {
        let mut needs: Vec<String> = rule
            .basis_kinds
            .iter()
            .map(|k| k.get_ref().clone())
            .collect();
        needs.extend(rule.bases.iter().map(|b| b.get_ref().clone()));
        println!("  {:<12} {}", rule.category.get_ref(), needs.join(" or "));
    }
    println!("\nstaff:");
    for s in &p.staff {
        println!(
            "  {:<12} {} ({})",
            s.login.get_ref(),
            s.name,
            s.roles
                .iter()
                .map(|r| r.as_id())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Installs the first policy of a store that has none, as an admin of that policy.
fn first_policy(store: Store, path: &Path) -> Result<ExitCode> {
    let text =
        std::fs::read_to_string(path).with_context(|| CliError::CannotRead(path.to_path_buf()))?;
    let policy = Policy::from_toml(&text, &path.display().to_string())?;
    let login = crate::identity::os_login().map_err(|e| anyhow!(e))?;
    let actor = Actor {
        roles: policy.roles_of(&login),
        login,
    };
    let now = store_now(&store)?.unwrap_or_else(Utc::now);
    let (_, change) = crate::store::api::install_policy(&store, &actor, &text, false, now)?;
    println!(
        "policy {} installed in {}: digest {}",
        path.display(),
        store.path().display(),
        change.new
    );
    Ok(ExitCode::SUCCESS)
}

pub fn db_path(global: &Global) -> Result<PathBuf> {
    match &global.db {
        Some(p) => Ok(p.clone()),
        None => default_db("store"),
    }
}

pub fn backup(global: &Global, file: &Path) -> Result<ExitCode> {
    let api = connect_or_open(global)?;
    let s = api.backup(file)?;
    api.log_access(
        None,
        &Access::Export {
            what: format!("backup to {}", file.display()),
        },
    )?;
    println!(
        "backup {}: {} entries, {} bytes, blake3 {}",
        file.display(),
        s.entries,
        s.bytes,
        s.checksum
    );
    if let Some(head) = &s.head {
        println!(
            "manifest {}: {head}",
            crate::store::backup::manifest_path(file).display()
        );
    }
    Ok(ExitCode::SUCCESS)
}

pub fn restore(
    global: &Global,
    file: &Path,
    journal: Option<&Path>,
    until_damage: bool,
) -> Result<ExitCode> {
    let db = db_path(global)?;
    let s = match journal {
        Some(j) => {
            let roll = crate::store::rollforward::RollForward {
                journal: j.to_path_buf(),
                until_damage,
            };
            let (s, r) = Store::restore_rolled_forward(file, &db, &roll)?;
            recover::say_rolled_forward(&r);
            s
        }
        None => Store::restore(file, &db)?,
    };
    let store = Store::open(&db)?;
    let v = store.verify_audit()?;
    println!(
        "restored {} entries from {} (blake3 {}) into {}",
        s.entries,
        file.display(),
        s.checksum,
        db.display()
    );
    match v.first_broken {
        None => println!("audit chain verified: {} entries", v.entries),
        Some(b) => println!(
            "warning: the restored audit chain is broken at entry {}: {}",
            b.seq, b.problem
        ),
    }
    Ok(ExitCode::SUCCESS)
}

pub fn check(global: &Global, backup: Option<&Path>, json: bool) -> Result<ExitCode> {
    let report = match backup {
        Some(b) => crate::store::check::check_backup(b)?,
        // Served: a snapshot the server checks. Otherwise the files themselves, through a
        // private copy: opening a store writes to it, and a damaged one may not open.
        None => match find_server(global)? {
            Some(client) => client.check()?,
            None => crate::store::check::check_store(&db_path(global)?)?,
        },
    };
    if json {
        println!("{}", safe_json::to_pretty(&report)?);
    } else {
        println!("checked {}", report.checked.display());
        for (tree, n) in &report.counts {
            println!("  {tree:<14} {n}");
        }
        println!("  audit entries  {}", report.audit_entries);
        println!("  search index   {}", report.search);
        if report.ok() {
            println!("no problems found");
        } else {
            println!("{} problem(s):", report.problems.len());
            for p in &report.problems {
                println!("  - {p}");
            }
            println!("restore the latest good backup with `triage restore FILE --db NEW_PATH` (check it first: `triage check --backup FILE`)");
        }
    }
    Ok(if report.ok() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    })
}

/// How `triage serve` listens (see `server::Config`).
pub struct ServeArgs {
    pub socket: Option<PathBuf>,
    pub mode: u32,
    pub group: Option<String>,
    pub max_clients: usize,
}

/// Parses a socket mode given in octal ("0660", "660", "0o660").
pub fn parse_mode(s: &str) -> std::result::Result<u32, String> {
    let digits = s.trim_start_matches("0o");
    match u32::from_str_radix(digits, 8) {
        Ok(m) if m <= 0o777 => Ok(m),
        _ => Err(format!("`{s}` is not an octal file mode such as 0660")),
    }
}

/// `triage serve`: holds the store and serves it until SIGTERM or SIGINT.
pub fn serve(global: &Global, args: ServeArgs) -> Result<ExitCode> {
    use crate::server::{default_socket, Config, Server};
    let db = db_path(global)?;
    let store = open_store(global, &db, None)?;
    crate::search::attach(&store)?;
    let (text, name) = policy_source(global, &store)?;
    let policy = Policy::from_toml(&text, &name)?;
    // The same TRIAGE_SERVER the staff's sessions use, when the unit sets it for both.
    let socket = args
        .socket
        .or_else(|| global.server.clone())
        .unwrap_or_else(|| default_socket(&db));
    let config = Config {
        socket,
        mode: args.mode,
        group: args.group.clone(),
        max_clients: args.max_clients,
        fixed_now: store_now(&store)?,
    };
    let server = Server::bind(store, text, config)?;
    let stopper = server.stopper();
    let head = server.head_reader();
    if let Some(line) = head() {
        crate::server::anchor::record("start", &line);
    }
    let hourly_stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let hourly = crate::server::anchor::hourly(hourly_stop.clone(), server.head_reader())?;
    let mut signals = signal_hook::iterator::Signals::new([
        signal_hook::consts::SIGTERM,
        signal_hook::consts::SIGINT,
    ])
    .context("cannot install the signal handlers")?;
    let signal_handle = signals.handle();
    std::thread::Builder::new()
        .name("signals".into())
        .spawn(move || {
            if let Some(sig) = signals.forever().next() {
                eprintln!("triage serve: signal {sig}: finishing requests in flight and stopping");
                stopper.stop();
            }
        })?;
    eprintln!(
        "triage serve: serving {} on {} (mode {:04o}{}); {} staff in {}",
        server.store_path().display(),
        server.socket().display(),
        args.mode,
        args.group
            .as_deref()
            .map(|g| format!(", group {g}"))
            .unwrap_or_default(),
        policy.staff.len(),
        name
    );
    let summary = server.run()?;
    signal_handle.close();
    hourly_stop.store(true, std::sync::atomic::Ordering::SeqCst);
    let _ = hourly.join();
    if let Some(line) = head() {
        crate::server::anchor::record("stop", &line);
    }
    eprintln!(
        "triage serve: stopped after {} connections and {} requests; the store is flushed{}",
        summary.connections,
        summary.requests,
        if summary.abandoned > 0 {
            format!(" ({} connections were still busy)", summary.abandoned)
        } else {
            String::new()
        }
    );
    Ok(ExitCode::SUCCESS)
}

pub fn compact(global: &Global) -> Result<ExitCode> {
    let db = db_path(global)?;
    // Refuse anyone not allowed in, and a store in use, before touching anything.
    drop(open(global)?);
    let (before, after) = compact::run_on(&db)?;
    println!("store rewritten: {before} bytes before, {after} after");
    Ok(ExitCode::SUCCESS)
}
