//! The interface's queue at scale, without a store or a terminal: how long the filter takes
//! from a keystroke to its first matches and to the whole queue, and how long sorting a
//! view takes, over `TRIAGE_BENCH_CASES` generated rows (default 200 000).
//!
//! `cargo bench --bench queue_filter`; at a million rows:
//! `TRIAGE_BENCH_CASES=1000000 cargo bench --bench queue_filter`.

use chrono::{TimeZone, Utc};
use criterion::Criterion;
use std::time::{Duration, Instant};
use triage::cli::gen::{self, Rng};
use triage::domain::calendar::Calendar;
use triage::domain::case::{Case, Stamp};
use triage::domain::enquiry::Reference;
use triage::domain::policy::Policy;
use triage::domain::summary::CaseSummary;
use triage::store::Actor;
use triage::tui::action::{Action, View};
use triage::tui::app::{update, App, Init};
use triage::tui::keymap::Keymap;
use triage::tui::Lang;

fn app(n: u64) -> App {
    let policy = Policy::from_toml(triage::cli::DEFAULT_POLICY, "policy").expect("policy");
    let cal = Calendar::from_policy(&policy);
    let now = Utc.with_ymd_and_hms(2026, 11, 24, 8, 0, 0).unwrap();
    let today = now.date_naive();
    let mut rng = Rng::new(7);
    let summaries: Vec<CaseSummary> = (0..n)
        .map(|i| {
            let e = gen::enquiry(&mut rng, i, now);
            let stamp = Stamp {
                by: "bench".into(),
                at: now,
            };
            let r = Reference::new(2026, i as u32 + 1);
            let case = Case::new(r, e, Vec::new(), stamp);
            CaseSummary::new(&case, &policy, &cal, today)
        })
        .collect();
    let init = Init {
        lang: Lang::En,
        color: true,
        actor: Actor {
            login: "bench".into(),
            roles: Vec::new(),
        },
        store: "bench".into(),
        policy,
        today,
        keymap: Keymap::default_map(),
        problems: Vec::new(),
    };
    let mut app = App::starting(init, View::All, &summaries[..200.min(summaries.len())]);
    app.load_page(&summaries, true);
    update(&mut app, Action::Resize(120, 40));
    app
}

fn main() {
    let n: u64 = std::env::var("TRIAGE_BENCH_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200_000);
    let mut app = app(n);
    let mut c = Criterion::default()
        .configure_from_args()
        .sample_size(20)
        .measurement_time(Duration::from_secs(8));
    // Each measurement starts from a set-up state (not timed) and times one keystroke.
    let mut timed = |name: String, setup: &str, key: char, whole: bool| {
        c.bench_function(&name, |b| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    update(&mut app, Action::ClearFilter);
                    update(&mut app, Action::Filter);
                    for ch in setup.chars() {
                        update(&mut app, Action::InputChar(ch));
                        while app.queue.searching() {
                            app.queue.search_step();
                        }
                    }
                    let t = Instant::now();
                    update(&mut app, Action::InputChar(key));
                    while app.queue.searching() && (whole || app.queue.list.is_empty()) {
                        app.queue.search_step();
                    }
                    total += t.elapsed();
                    while app.queue.searching() {
                        app.queue.search_step();
                    }
                }
                total
            })
        });
    };
    timed(
        format!("first key → first matches, N = {n}"),
        "",
        'k',
        false,
    );
    timed(
        format!("first key → whole queue matched, N = {n}"),
        "",
        'k',
        true,
    );
    timed(
        format!("5th key of \"kjærg\" → whole queue matched (narrowing), N = {n}"),
        "kjær",
        'g',
        true,
    );
    update(&mut app, Action::Cancel);
    update(&mut app, Action::ClearFilter);
    c.bench_function(&format!("switch view (sort the queue), N = {n}"), |b| {
        b.iter(|| {
            update(&mut app, Action::ShowView(View::New));
            update(&mut app, Action::ShowView(View::All));
            app.queue.list.len()
        })
    });
    c.final_summary();
}
