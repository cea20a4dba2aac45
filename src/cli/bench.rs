//! `triage bench`: measures the performance figures on a generated store and prints one
//! table with each target. Figures, not pass/fail: the README shows a recent run.

use super::gen;
use super::{as_user, Global};
use crate::domain::command::Command;
use crate::domain::detect::Detector;
use crate::domain::summary::CaseSummary;
use crate::store::api::Api;
use crate::store::Store;
use anyhow::{bail, Result};
use chrono::Utc;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

pub struct Row {
    pub figure: &'static str,
    pub target: &'static str,
    pub measured: String,
    pub met: Option<bool>,
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map(|kb| kb / 1024.0)
        .unwrap_or(f64::NAN)
}

/// The interface's figures through a `triage serve` started on the store for the
/// measurement (None when no server could be started: the table then says so).
fn measure_served(db: &Path, tmp: &Path) -> Result<Option<super::bench_ui::UiFigures>> {
    let socket = tmp.join("bench.sock");
    let mut child = std::process::Command::new(std::env::current_exe()?)
        .args(["serve", "--db"])
        .arg(db)
        .arg("--socket")
        .arg(&socket)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()?;
    let waited = Instant::now();
    let client = loop {
        if let Ok(c) = crate::server::Client::connect(&socket) {
            break Some(c);
        }
        if waited.elapsed().as_secs() > 300 || child.try_wait()?.is_some() {
            break None;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    let figures = match client {
        Some(c) => {
            drop(c);
            let started = Instant::now();
            let client = crate::server::Client::connect(&socket)?;
            Some(super::bench_ui::measure(&client, started, rss_mb)?)
        }
        None => {
            eprintln!("triage bench: the server did not start; the served figures are left out");
            None
        }
    };
    // SIGTERM: the server drains and closes the store before the embedded figures open it.
    let _ = std::process::Command::new("kill")
        .arg(child.id().to_string())
        .status();
    child.wait()?;
    Ok(figures)
}

/// A part of the bench to run alone (the others need the generated store).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Only {
    /// Import from JSON Lines (with and without the search index) and from a maildir into fresh stores; needs no generated store
    Import,
    /// The full-text search figures alone, on the generated store
    Search,
    /// Package every closed case of a copy of --db (or of the generated store) into an archival version
    Archive,
    /// `cases --json` through a server alone: first line, server memory, SIGTERM mid-stream
    Served,
}

pub fn run(
    global: &Global,
    cases: u64,
    keep: Option<PathBuf>,
    only: Option<Only>,
) -> Result<ExitCode> {
    if only == Some(Only::Archive) && std::env::var_os(super::bench_archive::CHILD).is_some() {
        super::bench_archive::child(global)?;
        return Ok(ExitCode::SUCCESS);
    }
    let tmp = tempfile_dir()?;
    if only == Some(Only::Import) {
        // As `triage import` runs (see `alloc::keep_freed_memory`).
        crate::alloc::keep_freed_memory();
        let rows = [
            import_row(&tmp)?,
            recovery_row(&tmp)?,
            super::bench_mail::mail_import_row(&tmp)?,
            super::bench_search::import_with_index(&tmp)?,
        ];
        print_table(&rows, 0);
        let _ = std::fs::remove_dir_all(&tmp);
        return Ok(ExitCode::SUCCESS);
    }
    let db = match (&global.db, &keep) {
        (Some(db), _) => db.clone(),
        (None, Some(k)) => k.clone(),
        (None, None) => tmp.join("bench-store"),
    };
    if !db.exists() || std::fs::read_dir(&db)?.next().is_none() {
        eprintln!("generating {cases} cases into {} …", db.display());
        // In a child process, so this one's memory figure is the queue's alone.
        let status = std::process::Command::new(std::env::current_exe()?)
            .args(["gen", "--cases", &cases.to_string(), "--db"])
            .arg(&db)
            .status()?;
        if !status.success() {
            bail!("generating the bench store failed");
        }
    }
    let mut rows = Vec::new();
    if only == Some(Only::Archive) {
        // On a copy: packaging records events on every packaged case.
        let rows = super::bench_archive::rows(&db, &tmp)?;
        print_table(&rows, 0);
        let _ = std::fs::remove_dir_all(&tmp);
        return Ok(ExitCode::SUCCESS);
    }
    if only == Some(Only::Served) {
        let rows = super::bench_served::rows(&db, &tmp)?;
        print_table(&rows, 0);
        let _ = std::fs::remove_dir_all(&tmp);
        return Ok(ExitCode::SUCCESS);
    }
    if only == Some(Only::Search) {
        let global = Global {
            db: Some(db.clone()),
            policy: None,
            da: false,
            server: None,
        };
        let api = as_user(Store::open(&db)?, &global)?;
        let rows = super::bench_search::rows(&api.store, &tmp, percentile)?;
        print_table(&rows, api.store.case_count());
        let _ = std::fs::remove_dir_all(&tmp);
        return Ok(ExitCode::SUCCESS);
    }

    // The interface first, while this process holds nothing else: open the store, build
    // the queue, draw the first frame; then keystrokes through the real crossterm backend.
    let base_rss = rss_mb();
    let global = Global {
        db: Some(db.clone()),
        policy: None,
        da: false,
        server: None,
    };
    // Through the server first (how several people on one machine use it): this process
    // then holds no store, only the interface.
    let served = measure_served(&db, &tmp)?;
    // The whole list through the server, before this process opens the store itself.
    let listed = match super::bench_served::rows(&db, &tmp) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("triage bench: the served list was not measured: {e}");
            Vec::new()
        }
    };
    // The figures below start at `main`; what comes before it (exec, loading, the
    // allocator) is measured as a whole process and added.
    let exec_ms = start_ms()?;
    let started = Instant::now();
    let api = as_user(Store::open(&db)?, &global)?;
    let ui = super::bench_ui::measure(&api, started, rss_mb)?;
    rows.push(Row {
        figure: "process start to first frame with the queue drawn",
        target: "≤ 100 ms",
        measured: format!(
            "{:.0} ms ({exec_ms:.1} ms to start the process, {:.0} ms from opening the store to the frame; {} rows in-process)",
            exec_ms + ui.first_frame_ms,
            ui.first_frame_ms,
            ui.rows
        ),
        met: Some(exec_ms + ui.first_frame_ms <= 100.0),
    });
    if let Some(sv) = &served {
        rows.push(Row {
            figure: "… the same through `triage serve`: process start to first frame",
            target: "≤ 100 ms",
            measured: format!(
                "{:.0} ms (start, connect, first page, frame; the rest read in {:.0} ms after it)",
                exec_ms + sv.first_frame_ms,
                sv.load_ms
            ),
            met: Some(exec_ms + sv.first_frame_ms <= 100.0),
        });
    }
    rows.push(Row {
        figure: "navigation keystroke → frame rendered (CPU, p99)",
        target: "≤ 1 ms",
        measured: format!(
            "{:.3} ms p99, {:.3} ms p50 over 2000 keys at 120×40",
            ui.nav_p99_ms, ui.nav_p50_ms
        ),
        met: Some(ui.nav_p99_ms <= 1.0),
    });
    rows.push(Row {
        figure: "bytes written to the terminal for one \"down\" at 120×40",
        target: "≤ 400",
        measured: format!(
            "{} bytes within the page (median; crossterm backend, synchronized output included); {} when it scrolls the page",
            ui.down_bytes, ui.scroll_bytes
        ),
        met: Some(ui.down_bytes <= 400),
    });
    rows.push(Row {
        figure: "filter keystroke → results drawn, selective query",
        target: "≤ 50 ms p50",
        measured: format!(
            "{:.1} ms to the first matches drawn (p50 over the keys of \"kjærgaard\"); the whole queue matched in {:.1} ms p50 ({} hits at the end)",
            ui.filter_first_ms, ui.filter_whole_ms, ui.filter_hits
        ),
        met: Some(ui.filter_first_ms <= 50.0),
    });
    rows.push(Row {
        figure: "longest frame while a filter runs",
        target: "≤ 16 ms",
        measured: format!(
            "{:.1} ms; p99 {:.1} ms over {} frames (matching on both cores between frames, in steps aimed at {} ms)",
            ui.filter_longest_ms,
            ui.filter_p99_ms,
            ui.filter_frames,
            crate::tui::queue::STEP_BUDGET.as_millis()
        ),
        met: Some(ui.filter_longest_ms <= 16.0),
    });
    rows.push(Row {
        figure: "the rest of the queue, read after the first frame",
        target: "(background)",
        measured: format!(
            "{:.0} ms in pages of {}; the longest page + frame {:.1} ms",
            ui.load_ms,
            crate::tui::queue::LOAD_PAGE,
            ui.longest_load_step_ms
        ),
        met: None,
    });
    rows.push(Row {
        figure: "resident memory with the queue open",
        target: "≤ 300 MB",
        measured: format!("{:.0} MB ({:.0} MB before opening)", ui.rss_mb, base_rss),
        met: Some(ui.rss_mb <= 300.0),
    });
    if let Some(sv) = &served {
        rows.push(Row {
            figure: "… the same through `triage serve`: the interface's memory",
            target: "≤ 300 MB",
            measured: format!(
                "{:.0} MB (the server holds the store; filter first matches {:.1} ms, longest frame {:.1} ms, p99 {:.1} ms; nav p99 {:.3} ms)",
                sv.rss_mb, sv.filter_first_ms, sv.filter_longest_ms, sv.filter_p99_ms, sv.nav_p99_ms
            ),
            met: Some(sv.rss_mb <= 300.0),
        });
    }
    rows.extend(listed);
    let summaries: Vec<CaseSummary> = api.summaries()?;
    let n = summaries.len();

    // Filter: the matcher over every queue line, selective query, both cores.
    let lines: Vec<String> = summaries
        .iter()
        .map(|s| format!("{} {} {}", s.reference, s.sender, s.subject))
        .collect();
    let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
    let mut times = Vec::new();
    let mut hits = 0;
    for q in [
        "humanitær",
        "kjærgaard",
        "indsigt rahimi",
        "complaint haddad",
        "aktindsigt",
    ] {
        let t = Instant::now();
        hits = super::filter::matches(&refs, q).len();
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    let p50 = percentile(&times, 0.5);
    rows.push(Row {
        figure: "the matcher alone over every queue line, both cores (p50)",
        target: "(for comparison)",
        measured: format!("{p50:.1} ms for all {n} lines (last query: {hits} hits)"),
        met: None,
    });

    // Subject lookup: index scan plus loading the person's cases.
    let identifiers: Vec<String> = summaries
        .iter()
        .step_by((n / 2000).max(1))
        .filter_map(|s| api.store.live_case(s.reference).ok())
        .flat_map(|c| crate::store::subject_identifiers(&c.enquiry))
        .filter(|id| id.starts_with("cpr:"))
        .take(1000)
        .collect();
    let mut times = Vec::new();
    for id in &identifiers {
        let t = Instant::now();
        let refs = api.store.subject_cases(id)?;
        for r in refs {
            std::hint::black_box(api.store.case(r)?);
        }
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    rows.push(Row {
        figure: "subject lookup for the access report (p99)",
        target: "≤ 5 ms",
        measured: format!(
            "{:.2} ms p99, {:.2} ms p50 over {} people",
            percentile(&times, 0.99),
            percentile(&times, 0.5),
            times.len()
        ),
        met: Some(percentile(&times, 0.99) <= 5.0),
    });

    // Command commit: transaction, journal synced, sled flushed, one note at a time.
    let mut times = Vec::new();
    for s in summaries.iter().step_by((n / 500).max(1)).take(500) {
        let case = api.store.live_case(s.reference)?;
        let t = Instant::now();
        api.execute(
            s.reference,
            case.version,
            &Command::AddNote {
                text: "bench".into(),
            },
        )?;
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    rows.push(Row {
        figure: "command commit, transaction + journal fdatasync (p99)",
        target: "≤ 5 ms",
        measured: format!(
            "{:.2} ms p99, {:.2} ms p50 over {} commands",
            percentile(&times, 0.99),
            percentile(&times, 0.5),
            times.len()
        ),
        met: Some(percentile(&times, 0.99) <= 5.0),
    });
    rows.extend(super::bench_search::rows(&api.store, &tmp, percentile)?);
    drop(summaries);
    drop(api);

    rows.extend(super::bench_archive::rows(&db, &tmp)?);
    // The memory rows are behind; the imports run as `triage import` runs them.
    crate::alloc::keep_freed_memory();
    rows.push(import_row(&tmp)?);
    rows.push(recovery_row(&tmp)?);
    rows.push(super::bench_mail::mail_import_row(&tmp)?);

    // Whole processes on the same subject lines: triage filter against fzf --filter.
    let lines_file = tmp.join("subjects.txt");
    std::fs::write(&lines_file, lines.join("\n"))?;
    let query = "indsigt";
    let ours = time_process(
        std::env::current_exe()?.as_os_str(),
        &[
            "filter",
            "--query",
            query,
            lines_file.to_str().unwrap_or(""),
        ],
        None,
    )?;
    // fzf is optional: without it the row says so and the bench goes on.
    let fzf = fzf_installed()
        .then(|| time_process("fzf".as_ref(), &["--filter", query], Some(&lines_file)));
    let side = match fzf {
        Some(Ok(f)) => format!("triage filter {ours:.0} ms, fzf --filter {f:.0} ms, ratio {:.2} (query {query:?}, {n} lines)", ours / f),
        Some(Err(e)) => format!("triage filter {ours:.0} ms; fzf not run: {e}"),
        None => format!("triage filter {ours:.0} ms; fzf not installed"),
    };
    rows.push(Row {
        figure: "filter as a whole process vs fzf --filter",
        target: "(side by side)",
        measured: side,
        met: None,
    });

    print_table(&rows, n);
    let _ = std::fs::remove_dir_all(&tmp);
    Ok(ExitCode::SUCCESS)
}

/// Import from JSON Lines with detection, into a fresh store, as `triage import` does.
fn import_row(tmp: &Path) -> Result<Row> {
    let file = tmp.join("import.jsonl");
    let count = 20_000;
    write_jsonl(&file, count)?;
    let fresh = tmp.join("import-store");
    let store = Store::open(&fresh)?;
    store.set_policy_text(super::DEFAULT_POLICY)?;
    let policy = crate::domain::policy::Policy::from_toml(super::DEFAULT_POLICY, "policy")?;
    let t = Instant::now();
    let cpu = cpu_seconds();
    let records = crate::import::read_path(&file)?;
    let detector = Detector::from_policy(&policy);
    let reg = super::register_batch(&store, &policy, &detector, records, "bench", Utc::now())?;
    let secs = t.elapsed().as_secs_f64();
    let cpu = cpu_seconds() - cpu;
    let rate = reg.registered.len() as f64 / secs;
    Ok(Row {
        figure: "import from JSON Lines, with detection",
        target: "≥ 20,000 enquiries/s",
        measured: format!(
            "{rate:.0} enquiries/s ({} in {secs:.2} s, {cpu:.2} s of CPU)",
            reg.registered.len()
        ),
        met: Some(rate >= 20_000.0),
    })
}

/// The CPU time this process has used so far, all its threads, user and system.
pub(crate) fn cpu_seconds() -> f64 {
    // SAFETY: getrusage only writes the struct it is given.
    let mut u: libc::rusage = unsafe { std::mem::zeroed() };
    if unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut u) } != 0 {
        return f64::NAN;
    }
    let secs = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    secs(u.ru_utime) + secs(u.ru_stime)
}

/// `triage recover` on the store `import_row` left: the journal replayed into new files,
/// then opened and its chain verified.
fn recovery_row(tmp: &Path) -> Result<Row> {
    let r = crate::store::recovery::recover(&tmp.join("import-store"))?;
    let rate = r.events as f64 / r.seconds;
    let _ = std::fs::remove_dir_all(&r.moved_aside);
    Ok(Row {
        figure: "recovery from the journal (replay, open, verify)",
        target: "≥ 20,000 events/s",
        measured: format!(
            "{rate:.0} events/s ({} events, {} records in {:.2} s)",
            r.events, r.records, r.seconds
        ),
        met: Some(rate >= 20_000.0),
    })
}

pub(crate) fn write_jsonl(path: &Path, count: u64) -> Result<()> {
    let mut rng = gen::Rng::new(7);
    let now = Utc::now();
    let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
    for i in 0..count {
        let mut e = gen::enquiry(&mut rng, 10_000_000 + i, now);
        e.message_id = Some(format!("<bench-import-{i}@triage.invalid>"));
        writeln!(out, "{}", serde_json::to_string(&e)?)?;
    }
    out.flush()?;
    Ok(())
}

/// Starting this program as a whole process, to the end of `main` (`--version`): the
/// median of five.
fn start_ms() -> Result<f64> {
    let exe = std::env::current_exe()?;
    let mut times = (0..5)
        .map(|_| time_process(exe.as_os_str(), &["--version"], None))
        .collect::<Result<Vec<f64>>>()?;
    times.sort_by(f64::total_cmp);
    Ok(times[2])
}

fn time_process(program: &std::ffi::OsStr, args: &[&str], stdin: Option<&Path>) -> Result<f64> {
    let mut cmd = std::process::Command::new(program);
    cmd.args(args)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    if let Some(f) = stdin {
        cmd.stdin(std::fs::File::open(f)?);
    }
    let t = Instant::now();
    let status = cmd
        .status()
        .map_err(|e| anyhow::anyhow!("{}: {e}", program.to_string_lossy()))?;
    let ms = t.elapsed().as_secs_f64() * 1000.0;
    if status.code().is_none() {
        bail!("{} was killed", program.to_string_lossy());
    }
    Ok(ms)
}

/// Whether an `fzf` can be started at all (on PATH and executable).
fn fzf_installed() -> bool {
    match std::process::Command::new("fzf")
        .arg("--version")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
    {
        Ok(_) => true,
        Err(e) => e.kind() != std::io::ErrorKind::NotFound,
    }
}

fn tempfile_dir() -> Result<PathBuf> {
    let d = std::env::temp_dir().join(format!("triage-bench-{}", std::process::id()));
    std::fs::create_dir_all(&d)?;
    Ok(d)
}

pub fn print_table(rows: &[Row], cases: usize) {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_string())
        })
        .unwrap_or_default();
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    println!("triage bench: {cases} cases; {cores} cores, {cpu}");
    println!();
    println!("| figure | target | measured | met |");
    println!("|---|---|---|---|");
    for r in rows {
        let met = match r.met {
            Some(true) => "yes",
            Some(false) => "NO",
            None => "–",
        };
        println!("| {} | {} | {} | {met} |", r.figure, r.target, r.measured);
    }
}
