//! The bench's archival-version figures: packaging rate and the packager's peak memory.
//!
//! The packager runs in a child process on a copy of the bench store (packaging records events,
//! and the next run should find the same cases to package), so its peak memory is its own.

use super::bench::Row;
use super::{as_user, Global};
use crate::store::Store;
use anyhow::{bail, Context, Result};
use std::path::Path;
use std::time::Instant;

#[derive(serde::Serialize, serde::Deserialize)]
struct Figures {
    cases: u64,
    secs: f64,
    peak_mb: f64,
    start_mb: f64,
    /// The peak once the store was open, before packaging: what any command opening it takes.
    open_peak_mb: f64,
    bytes: u64,
    /// Seconds per phase of `archive create` (write, verify, events).
    phases: Vec<(String, f64)>,
}

fn status_mb(key: &str) -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(key))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map(|kb| kb / 1024.0)
        .unwrap_or(f64::NAN)
}

/// In the child: package every closed case of the store (judged as of a day long after the
/// generated cases' archive periods) and print the figures as JSON.
pub fn child(global: &Global) -> Result<()> {
    let db = global
        .db
        .clone()
        .context("the archive bench needs --db (a copy of the bench store)")?;
    let start_mb = status_mb("VmRSS:");
    // As `archive create` opens it (see `connect_or_open_streaming`).
    let store = Store::open_with_cache(&db, crate::store::STREAMING_CACHE_BYTES)?;
    let api = as_user(store, global)?;
    let open_peak_mb = status_mb("VmHWM:");
    let out = db.with_extension("packages");
    let today = chrono::NaiveDate::from_ymd_opt(2099, 1, 1).expect("a date");
    let t = Instant::now();
    let made = crate::archive::create::create(&api, &out, &[], today)?;
    let secs = t.elapsed().as_secs_f64();
    let f = Figures {
        cases: made.cases,
        secs,
        peak_mb: status_mb("VmHWM:"),
        start_mb,
        open_peak_mb,
        bytes: made.bytes,
        phases: made
            .phases
            .iter()
            .map(|(name, secs)| (name.to_string(), *secs))
            .collect(),
    };
    println!("{}", serde_json::to_string(&f)?);
    drop(api);
    let _ = std::fs::remove_dir_all(&out);
    Ok(())
}

fn copy_dir(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for e in std::fs::read_dir(from)? {
        let e = e?;
        let target = to.join(e.file_name());
        if e.file_type()?.is_dir() {
            copy_dir(&e.path(), &target)?;
        } else {
            std::fs::copy(e.path(), &target)?;
        }
    }
    Ok(())
}

/// Set for the child that packages the copy: `--only archive` alone never packages the
/// store it is given.
pub const CHILD: &str = "TRIAGE_BENCH_ARCHIVE_CHILD";

/// Packaging through a `triage serve` on `db`, as an authority's archivist does: the
/// server writes the package, the client fetches and verifies it.
struct Served {
    cases: u64,
    secs: f64,
    /// The server's memory once settled, and its highest while packaging.
    server_base_mb: f64,
    server_peak_mb: f64,
    /// The archivist's process, whole.
    client_peak_mb: f64,
}

/// A server stopped (SIGTERM, then waited for) however the measurement ends.
struct Stopped(std::process::Child);

impl Drop for Stopped {
    fn drop(&mut self) {
        super::bench_served::sigterm(&self.0);
        let _ = self.0.wait();
    }
}

fn served(db: &Path, tmp: &Path) -> Result<Served> {
    use super::bench_served::{rss_of, serve_with, settled_rss, status_of};
    let socket = tmp.join("bench-archive.sock");
    // A day long after the generated cases' archive periods, as the in-process run uses.
    let server = Stopped(serve_with(
        db,
        &socket,
        &[("TRIAGE_NOW", "2099-01-01T12:00:00Z")],
    )?);
    let server_base_mb = settled_rss(server.0.id());
    let out = tmp.join("served-packages");
    let t = Instant::now();
    let client = std::process::Command::new(std::env::current_exe()?)
        .arg("--server")
        .arg(&socket)
        .args(["archive", "create", "--out"])
        .arg(&out)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::inherit())
        .spawn()?;
    let pid = client.id();
    let watching = std::sync::atomic::AtomicBool::new(true);
    // The client's own peak as the kernel keeps it for its process since exec (a child's
    // rusage would count what the bench itself held when it forked).
    let (server_peak_mb, client_peak_mb, stdout, status) = std::thread::scope(|scope| {
        let sampler = scope.spawn(|| {
            let (mut server_peak, mut client_peak) = (server_base_mb, 0f64);
            while watching.load(std::sync::atomic::Ordering::Relaxed) {
                server_peak = server_peak.max(rss_of(server.0.id()).unwrap_or(server_peak));
                client_peak = client_peak.max(status_of(pid, "VmHWM:").unwrap_or(client_peak));
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            (server_peak, client_peak)
        });
        let mut client = client;
        let mut stdout = String::new();
        if let Some(mut o) = client.stdout.take() {
            let _ = std::io::Read::read_to_string(&mut o, &mut stdout);
        }
        let status = client.wait();
        watching.store(false, std::sync::atomic::Ordering::Relaxed);
        let (s, c) = sampler.join().unwrap_or((f64::NAN, f64::NAN));
        (s, c, stdout, status)
    });
    let status = status?.success();
    let secs = t.elapsed().as_secs_f64();
    drop(server);
    let _ = std::fs::remove_dir_all(&out);
    if !status {
        bail!("packaging through the server failed");
    }
    // "PATH: N cases, …"
    let cases = stdout
        .split(": ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next()?.parse().ok())
        .context("packaging through the server printed no case count")?;
    Ok(Served {
        cases,
        secs,
        server_base_mb,
        server_peak_mb,
        client_peak_mb,
    })
}

/// The bench's rows: packaging rate and peak memory, measured in a child on a copy of `db`.
/// A copy of `db` at `copy`, its search index in step: a store in use has it so, a
/// generated one has none yet. Built here, so the figures are the packager's and not the
/// index's.
fn indexed_copy(db: &Path, copy: &Path) -> Result<()> {
    copy_dir(db, copy)?;
    let store = Store::open(copy)?;
    crate::search::attach(&store)?.catch_up(&store)?;
    Ok(())
}

pub fn rows(db: &Path, tmp: &Path) -> Result<Vec<Row>> {
    let copy = tmp.join("archive-store");
    indexed_copy(db, &copy)?;
    let out = std::process::Command::new(std::env::current_exe()?)
        .args(["bench", "--only", "archive", "--db"])
        .arg(&copy)
        .env(CHILD, "1")
        .stderr(std::process::Stdio::inherit())
        .output()?;
    let _ = std::fs::remove_dir_all(&copy);
    if !out.status.success() {
        bail!("the archive bench failed");
    }
    let f: Figures = serde_json::from_slice(&out.stdout)?;
    // Again on a fresh copy (the first run recorded its package on every case), served. A
    // failure there costs only its own row.
    let s = indexed_copy(db, &copy).and_then(|()| served(&copy, tmp));
    let _ = std::fs::remove_dir_all(&copy);
    let rate = f.cases as f64 / f.secs;
    let phases: Vec<String> = f
        .phases
        .iter()
        .map(|(name, secs)| format!("{name} {secs:.1} s"))
        .collect();
    let mut rows = vec![
        Row {
            figure: "archival version: packaging rate (closed cases into tables, indices, MD5s, TIFF pages, verified)",
            target: "≥ 5,000 cases/s",
            measured: format!(
                "{rate:.0} cases/s ({} cases in {:.2} s: {}; {:.0} MB of tables)",
                f.cases,
                f.secs,
                phases.join(", "),
                f.bytes as f64 / 1e6
            ),
            met: Some(rate >= 5_000.0),
        },
        Row {
            figure: "archival version: the packager's peak memory",
            target: "≤ 200 MB",
            measured: format!(
                "{:.0} MB peak; opening the store had peaked at {:.0} MB before packaging began ({:.0} MB at start)",
                f.peak_mb, f.open_peak_mb, f.start_mb
            ),
            met: Some(f.peak_mb <= 200.0),
        },
    ];
    const SERVED: &str = "archival version through triage serve: the server's growth while packaging, the archivist's process";
    rows.push(match s {
        Ok(s) => Row {
            figure: SERVED,
            target: "≤ 200 MB each",
            measured: format!(
                "server +{:.0} MB (from {:.0} MB), archivist's process {:.0} MB peak; {} cases in {:.1} s ({:.0} cases/s, fetched and verified)",
                s.server_peak_mb - s.server_base_mb,
                s.server_base_mb,
                s.client_peak_mb,
                s.cases,
                s.secs,
                s.cases as f64 / s.secs
            ),
            met: Some(s.server_peak_mb - s.server_base_mb <= 200.0 && s.client_peak_mb <= 200.0),
        },
        Err(e) => Row {
            figure: SERVED,
            target: "≤ 200 MB each",
            measured: format!("not measured: {e}"),
            met: None,
        },
    });
    Ok(rows)
}
