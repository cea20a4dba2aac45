//! `triage bench`'s served list: `cases --json` streamed through a `triage serve`, the
//! server's memory meanwhile, and how fast SIGTERM stops it in the middle of a stream.

use super::bench::Row;
use anyhow::{bail, Result};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Resident memory of another process, in MB.
pub(super) fn rss_of(pid: u32) -> Option<f64> {
    status_of(pid, "VmRSS:")
}

/// A memory line of another process's status (`VmRSS:`, `VmHWM:` …), in MB.
pub(super) fn status_of(pid: u32, key: &str) -> Option<f64> {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()?
        .lines()
        .find(|l| l.starts_with(key))
        .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        .map(|kb| kb / 1024.0)
}

/// The server's memory once its start is over: the socket answers before it has finished
/// opening everything (the search index among them), and that is not the stream's growth.
/// Settled is two readings a second apart within 1 MB of each other (at most 30 s).
pub(super) fn settled_rss(pid: u32) -> f64 {
    let waited = Instant::now();
    let mut last = rss_of(pid).unwrap_or(f64::NAN);
    while waited.elapsed() < Duration::from_secs(30) {
        std::thread::sleep(Duration::from_secs(1));
        let now = rss_of(pid).unwrap_or(f64::NAN);
        if (now - last).abs() < 1.0 {
            return now;
        }
        last = now;
    }
    last
}

fn serve(db: &Path, socket: &Path) -> Result<Child> {
    serve_with(db, socket, &[])
}

/// A server on `db`, with these variables set, once its socket answers.
pub(super) fn serve_with(db: &Path, socket: &Path, env: &[(&str, &str)]) -> Result<Child> {
    let mut child = Command::new(std::env::current_exe()?)
        .envs(env.iter().copied())
        .args(["serve", "--db"])
        .arg(db)
        .arg("--socket")
        .arg(socket)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()?;
    let waited = Instant::now();
    while std::os::unix::net::UnixStream::connect(socket).is_err() {
        if waited.elapsed() > Duration::from_secs(300) || child.try_wait()?.is_some() {
            let _ = child.kill();
            bail!("the server did not start");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    Ok(child)
}

fn list(socket: &Path) -> Result<Child> {
    Ok(Command::new(std::env::current_exe()?)
        .arg("--server")
        .arg(socket)
        .args(["cases", "--json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()?)
}

pub(super) fn sigterm(child: &Child) {
    // SAFETY: a signal to our own child process.
    unsafe {
        libc::kill(child.id() as i32, libc::SIGTERM);
    }
}

/// The three rows; the server is started for them and stopped before they return.
pub fn rows(db: &Path, tmp: &Path) -> Result<Vec<Row>> {
    let socket = tmp.join("bench-list.sock");
    let mut server = serve(db, &socket)?;
    let base = settled_rss(server.id());
    let started = Instant::now();
    let mut client = list(&socket)?;
    let mut lines = BufReader::new(client.stdout.take().expect("piped")).lines();
    let first = lines.next().transpose()?.map(|_| started.elapsed());
    let (mut count, mut peak) = (u64::from(first.is_some()), base);
    for line in lines {
        line?;
        count += 1;
        if count % 2000 == 0 {
            peak = peak.max(rss_of(server.id()).unwrap_or(peak));
        }
    }
    client.wait()?;
    let elapsed = started.elapsed();
    peak = peak.max(rss_of(server.id()).unwrap_or(peak));
    // SIGTERM while a second listing is in the middle of its stream.
    let mut client = list(&socket)?;
    let mut lines = BufReader::new(client.stdout.take().expect("piped")).lines();
    let _ = lines.next();
    let stop_started = Instant::now();
    sigterm(&server);
    server.wait()?;
    let stop = stop_started.elapsed();
    drop(lines);
    let cut_off = !client.wait()?.success();
    let first_ms = first.map(|d| d.as_secs_f64() * 1000.0);
    let growth = peak - base;
    Ok(vec![
        Row {
            figure: "served cases --json: first line",
            target: "≤ 100 ms",
            measured: match first_ms {
                Some(ms) => format!(
                    "{ms:.0} ms ({count} lines in {:.1} s)",
                    elapsed.as_secs_f64()
                ),
                None => "no line".into(),
            },
            met: first_ms.map(|ms| ms <= 100.0),
        },
        Row {
            figure: "server memory growth while streaming cases --json",
            target: "≤ 50 MB",
            measured: format!("{growth:.1} MB (from {base:.0} MB)"),
            met: Some(growth <= 50.0),
        },
        Row {
            figure: "SIGTERM mid-stream → server stopped",
            target: "≤ 5 s",
            measured: format!(
                "{:.2} s{}",
                stop.as_secs_f64(),
                if cut_off {
                    ", the cut-off client exited with an error"
                } else {
                    ", the client had finished"
                }
            ),
            met: Some(stop <= Duration::from_secs(5)),
        },
    ])
}
