//! How long finding one person's cases takes on a large store: the subject index, not a scan.
//!
//! `cargo bench --bench subject_lookup` fills a temporary store with
//! `TRIAGE_BENCH_CASES` synthetic cases (default 100 000) through `Store::register`, then
//! times `subject_records` (index lookup and loading the cases) for one person.
//! At a million cases: `TRIAGE_BENCH_CASES=1000000 cargo bench --bench subject_lookup`
//! (about 2 GB on disk in the temporary directory, and a few minutes to fill).

use chrono::{DateTime, TimeZone, Utc};
use criterion::Criterion;
use std::hint::black_box;
use std::time::{Duration, Instant};
use triage::domain::enquiry::{Channel, Enquiry, Language, Sender};
use triage::domain::policy::Policy;
use triage::store::{NewEnquiry, Store};

/// Each person writes this many times, so a lookup finds several cases.
const CASES_PER_PERSON: usize = 5;
const BATCH: usize = 2_000;

/// A plausible, unique CPR number for person `p`.
fn cpr(p: usize) -> String {
    let day = p % 28 + 1;
    let month = (p / 28) % 12 + 1;
    let year = (p / 336) % 100;
    let serial = (p / 33_600) % 10_000;
    format!("{day:02}{month:02}{year:02}-{serial:04}")
}

fn enquiry(i: usize, people: usize, received: DateTime<Utc>) -> NewEnquiry {
    let p = i % people;
    NewEnquiry {
        enquiry: Enquiry {
            received: (received + chrono::Duration::minutes(i as i64)).fixed_offset(),
            channel: Channel::Email,
            sender: Sender {
                name: format!("Person {p}"),
                email: Some(format!("person{p}@example.dk")),
                phone: None,
                address: Some(format!("Vej {p}, 2200 København N")),
                cpr: Some(cpr(p)),
            },
            subject: format!("Henvendelse {i}"),
            body: "Jeg har et spørgsmål om min sag og venter på svar.".into(),
            attachments: vec![],
            language: Language::Da,
            message_id: Some(format!("<{i}@bench.example.dk>")),
            purpose: None,
            right: None,
        },
        suggestions: vec![],
        source: "bench".into(),
    }
}

fn main() {
    let n: usize = std::env::var("TRIAGE_BENCH_CASES")
        .ok()
        .and_then(|v| v.replace('_', "").parse().ok())
        .unwrap_or(100_000);
    let people = (n / CASES_PER_PERSON).max(1);
    let dir = tempfile::tempdir().expect("a temporary directory");
    let store = Store::open(&dir.path().join("db")).expect("a fresh store");
    store.set_flush_each(false);
    let policy = Policy::from_toml(triage::cli::DEFAULT_POLICY, "demo-data/policy.toml")
        .expect("the bundled policy");
    let start = Utc.with_ymd_and_hms(2024, 1, 2, 9, 0, 0).unwrap();
    let filled = Instant::now();
    for from in (0..n).step_by(BATCH) {
        let batch: Vec<NewEnquiry> = (from..(from + BATCH).min(n))
            .map(|i| enquiry(i, people, start))
            .collect();
        store
            .register(&policy, &batch, "bench", Utc::now())
            .expect("register");
    }
    store.flush().expect("flush");
    eprintln!(
        "filled {n} cases ({people} people) in {:.1} s",
        filled.elapsed().as_secs_f64()
    );

    let person = people / 2;
    let keys = vec![
        format!("cpr:{}", cpr(person).replace('-', "")),
        format!("email:person{person}@example.dk"),
        format!("name:person {person}|vej {person}, 2200 københavn n"),
    ];
    let found = store.subject_records(&keys).expect("lookup");
    assert_eq!(found.len(), n.div_ceil(people).min(CASES_PER_PERSON));

    // A plain figure besides criterion's: the mean of many lookups of different people.
    let rounds = 1_000;
    let t = Instant::now();
    for k in 0..rounds {
        let p = (person + k * 7919) % people;
        let key = format!("cpr:{}", cpr(p).replace('-', ""));
        black_box(
            store
                .subject_records(std::slice::from_ref(&key))
                .expect("lookup"),
        );
    }
    eprintln!(
        "subject lookup + loading the cases: {:.1} µs per person (mean of {rounds}, N = {n})",
        t.elapsed().as_secs_f64() * 1e6 / rounds as f64
    );

    let mut c = Criterion::default()
        .measurement_time(Duration::from_secs(5))
        .configure_from_args();
    c.bench_function(&format!("subject_records, 3 identifiers, N = {n}"), |b| {
        b.iter(|| black_box(store.subject_records(black_box(&keys)).expect("lookup")))
    });
    c.bench_function(&format!("subject_cases, one CPR number, N = {n}"), |b| {
        b.iter(|| black_box(store.subject_cases(black_box(&keys[0])).expect("lookup")))
    });
    c.final_summary();
}
