//! Detection throughput over the demo enquiries: how many enquiries per second the lexicon
//! and CPR scan handle (it runs on every import).

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::hint::black_box;
use std::path::Path;
use std::time::Instant;
use triage::domain::detect::Detector;
use triage::domain::policy::Policy;

fn demo() -> (Detector, Vec<triage::domain::enquiry::Enquiry>) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let policy = Policy::from_toml(
        &std::fs::read_to_string(root.join("demo-data/policy.toml")).unwrap(),
        "policy",
    )
    .unwrap();
    let bytes = std::fs::read(root.join("demo-data/enquiries.jsonl")).unwrap();
    let records = triage::import::read_jsonl(&bytes, Path::new("demo")).unwrap();
    (
        Detector::from_policy(&policy),
        records.into_iter().map(|r| r.enquiry).collect(),
    )
}

fn bench(c: &mut Criterion) {
    let (detector, enquiries) = demo();
    let bytes: usize = enquiries
        .iter()
        .map(|e| e.body.len() + e.subject.len())
        .sum();
    let mut group = c.benchmark_group("detection");
    group.throughput(Throughput::Elements(enquiries.len() as u64));
    group.bench_function("detect_enquiry over the demo enquiries", |b| {
        b.iter(|| {
            for e in &enquiries {
                black_box(detector.detect_enquiry(black_box(e)));
            }
        })
    });
    group.finish();
    // One plain figure for the README, beside criterion's own report.
    let rounds = 200;
    let start = Instant::now();
    for _ in 0..rounds {
        for e in &enquiries {
            black_box(detector.detect_enquiry(e));
        }
    }
    let secs = start.elapsed().as_secs_f64();
    let n = (rounds * enquiries.len()) as f64;
    println!(
        "detection: {:.0} enquiries/s ({:.1} MB/s, mean enquiry {} bytes, {} demo enquiries × {rounds})",
        n / secs,
        (bytes * rounds) as f64 / secs / 1e6,
        bytes / enquiries.len(),
        enquiries.len()
    );
}

criterion_group!(benches, bench);
criterion_main!(benches);
