//! Load test of `triage serve` on loopback: 8 clients × 500 commands, throughput and latency.
//!
//! Bounded in count and time, local socket only. Run with `cargo bench --bench server_load`
//! (TRIAGE_BENCH_CLIENTS and TRIAGE_BENCH_COMMANDS change the shape).

use chrono::Utc;
use std::path::Path;
use std::time::{Duration, Instant};
use triage::cli::{register_batch, DEFAULT_POLICY};
use triage::domain::case::CaseRecord;
use triage::domain::command::Command;
use triage::domain::detect::Detector;
use triage::domain::enquiry::Reference;
use triage::domain::policy::Policy;
use triage::import;
use triage::server::{Client, Config, Server};
use triage::store::api::Api;
use triage::store::api_error::ApiError;
use triage::store::Store;

/// No run goes on longer than this, whatever the machine.
const TIME_LIMIT: Duration = Duration::from_secs(180);

fn env_or(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

struct Phase {
    latencies: Vec<Duration>,
    conflicts: usize,
    elapsed: Duration,
}

/// Each client gives `commands` notes, round-robin over its `cases`, tracking versions
/// from the answers and reloading on a conflict (counted).
fn phase(
    socket: &Path,
    clients: usize,
    commands: usize,
    cases_of: impl Fn(usize) -> Vec<Reference> + Sync,
) -> Phase {
    let deadline = Instant::now() + TIME_LIMIT;
    let start = Instant::now();
    let results: Vec<(Vec<Duration>, usize)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..clients)
            .map(|c| {
                let cases = cases_of(c);
                scope.spawn(move || {
                    let client = Client::connect(socket).expect("connect");
                    let mut versions: Vec<u64> = cases
                        .iter()
                        .map(|r| match client.case(*r).unwrap() {
                            Some(CaseRecord::Live(case)) => case.version,
                            _ => panic!("{r} is not live"),
                        })
                        .collect();
                    let mut lat = Vec::with_capacity(commands);
                    let mut conflicts = 0;
                    for n in 0..commands {
                        if Instant::now() > deadline {
                            break;
                        }
                        let i = n % cases.len();
                        let cmd = Command::AddNote {
                            text: format!("load note {n} from client {c}"),
                        };
                        loop {
                            let t = Instant::now();
                            match client.execute(cases[i], versions[i], &cmd) {
                                Ok(rec) => {
                                    lat.push(t.elapsed());
                                    versions[i] = rec.version();
                                    break;
                                }
                                Err(ApiError::Conflict { actual, .. }) => {
                                    conflicts += 1;
                                    versions[i] = actual;
                                }
                                Err(e) => panic!("{e}"),
                            }
                        }
                    }
                    (lat, conflicts)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let elapsed = start.elapsed();
    let mut latencies: Vec<Duration> = results.iter().flat_map(|r| r.0.clone()).collect();
    latencies.sort();
    Phase {
        conflicts: results.iter().map(|r| r.1).sum(),
        latencies,
        elapsed,
    }
}

fn report(name: &str, clients: usize, p: &Phase) {
    let n = p.latencies.len();
    println!(
        "{name}: {clients} clients, {n} commands in {:.2} s: {:.0} commands/s, p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms, {} conflicts retried",
        p.elapsed.as_secs_f64(),
        n as f64 / p.elapsed.as_secs_f64(),
        ms(percentile(&p.latencies, 0.50)),
        ms(percentile(&p.latencies, 0.99)),
        ms(p.latencies.last().copied().unwrap_or_default()),
        p.conflicts,
    );
}

fn main() {
    let clients = env_or("TRIAGE_BENCH_CLIENTS", 8);
    let commands = env_or("TRIAGE_BENCH_COMMANDS", 500);
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::open(&dir.path().join("db")).expect("store");
    let login = triage::identity::os_login().expect("login");
    let text = format!(
        "{DEFAULT_POLICY}\n[[staff]]\nlogin = \"{login}\"\nname = \"bench\"\nroles = [\"caseworker\", \"dpo\", \"admin\"]\n"
    );
    let policy = Policy::from_toml(&text, "bench policy").expect("policy");
    store.set_policy_text(&text).expect("policy in store");
    let records = import::read_jsonl(
        triage::cli::demo::DEMO_ENQUIRIES.as_bytes(),
        Path::new("demo-data/enquiries.jsonl"),
    )
    .expect("demo enquiries");
    let detector = Detector::from_policy(&policy);
    let registered = register_batch(&store, &policy, &detector, records, &login, Utc::now())
        .expect("register")
        .registered;
    assert!(registered.len() >= clients * 10, "too few cases");

    let socket = dir.path().join("bench.sock");
    let mut config = Config::new(socket.clone());
    config.mode = 0o600;
    let server = Server::bind(store, text, config).expect("bind");
    let stopper = server.stopper();
    let running = std::thread::spawn(move || server.run());

    println!(
        "triage serve load test: loopback Unix socket; every command is durable (flushed) before its answer, concurrent ones share a transaction and a flush"
    );
    // Distinct cases: ten per client, none shared.
    let distinct = phase(&socket, clients, commands, |c| {
        registered[c * 10..c * 10 + 10].to_vec()
    });
    report("distinct cases", clients, &distinct);
    // Contended: every client on the same four cases, so conflicts happen and are retried.
    let hot: Vec<Reference> = registered[registered.len() - 4..].to_vec();
    let contended = phase(&socket, clients, commands / 5, |_| hot.clone());
    report("same 4 cases ", clients, &contended);

    stopper.stop();
    let summary = running.join().expect("server thread").expect("server run");
    println!(
        "server: {} connections, {} requests",
        summary.connections, summary.requests
    );
}
