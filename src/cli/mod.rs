//! The subcommands behind `main`: open the store as the OS user and print for people or JSON.

pub mod archive;
pub mod bench;
pub mod bench_archive;
pub mod bench_mail;
pub mod bench_search;
pub mod bench_served;
pub mod bench_ui;
pub mod case;
pub mod compact;
pub mod config;
pub mod demo;
pub mod docs;
pub mod fail;
pub mod filter;
pub mod gen;
pub mod importing;
pub mod init;
pub mod listing;
pub mod recover;
pub mod report;
pub mod retention;
pub mod search;
pub mod stress;

pub use case::{case, CaseAction, KeepArg, OutcomeArg};
pub use importing::{import, register_batch, ATOMIC_IMPORT};
use listing::{case_json, truncate};
pub use listing::{cases, pages, show};

use crate::domain::case::CaseRecord;
use crate::domain::command::Access;
use crate::domain::danish_time::DanishDay;
use crate::domain::enquiry::Reference;
use crate::domain::policy::Policy;
use crate::domain::safe_json;
use crate::domain::sanitize::sanitize_line;
use crate::domain::summary::display_line;
use crate::store::api::{Api, Embedded};
use crate::store::{Actor, Store, StoreError};
use crate::tui::i18n;
use crate::tui::i18n_cli::{self, CliError, Say};
use anyhow::{anyhow, bail, Context as _, Result};
use chrono::{DateTime, Utc};
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

fn parse_ref(s: &str) -> Result<Reference> {
    Ok(s.parse::<Reference>()?)
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
    let lang = global.lang();
    match &v.first_broken {
        None => {
            let verified = Say::AuditVerified {
                entries: v.entries,
                events: v.events_checked,
                erased: v.erased_cases,
            };
            println!("{}", verified.text(lang));
            if let Some(anchor) = anchor {
                if let Some(problem) = api.audit_extends(&anchor)? {
                    let seq = anchor.seq;
                    let problem = &problem;
                    println!("{}", Say::AuditNotExtended { seq, problem }.text(lang));
                    return Ok(ExitCode::from(2));
                }
                println!("{}", Say::AuditExtends { seq: anchor.seq }.text(lang));
            }
            Ok(ExitCode::SUCCESS)
        }
        Some(b) => {
            let (seq, problem) = (b.seq, &b.problem);
            println!("{}", Say::AuditBroken { seq, problem }.text(lang));
            println!("{}", Say::AuditBeforeBroken(v.entries).text(lang));
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
                        crate::domain::danish_time::in_copenhagen(&c).format("%Y-%m-%d %H:%M:%S")
                    ),
                    None => detail,
                };
                writeln!(
                    out,
                    "{:>6}  {}  {:<10} {:<12} {:<14} {}",
                    e.seq,
                    // On the Copenhagen clock, as every time the interface shows (the JSON
                    // keeps the instant in UTC, for machines).
                    crate::domain::danish_time::in_copenhagen(&e.at).format("%Y-%m-%d %H:%M:%S"),
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
    let lang = global.lang();
    match v.first_broken {
        None => println!("{}", Say::RestoredVerified(v.entries).text(lang)),
        Some(b) => {
            let (seq, problem) = (b.seq, &b.problem);
            println!("{}", Say::RestoredBroken { seq, problem }.text(lang));
        }
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
        let lang = global.lang();
        let checked = report.checked.display().to_string();
        println!("{}", Say::Checked(&checked).text(lang));
        for (tree, n) in &report.counts {
            match lang {
                i18n::Lang::En => println!("  {tree:<14} {n}"),
                i18n::Lang::Da => println!("  {:<16} {n}", i18n_cli::store_tree(lang, tree)),
            }
        }
        println!("{}", Say::AuditEntries(report.audit_entries).text(lang));
        println!("{}", Say::SearchIndex(&report.search).text(lang));
        if report.ok() {
            println!("{}", Say::NoProblems.text(lang));
        } else {
            println!("{}", Say::Problems(report.problems.len()).text(lang));
            for p in &report.problems {
                println!("  - {p}");
            }
            println!("{}", Say::RestoreHint.text(lang));
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
    println!("its journal starts afresh, so a backup made before cannot be rolled forward: make a new one now (`triage backup FILE`)");
    Ok(ExitCode::SUCCESS)
}
