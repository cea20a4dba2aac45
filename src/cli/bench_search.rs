//! `triage bench`'s full-text search figures: query latency, import with indexing, index size, grep side by side.

use super::bench::Row;
use crate::domain::case::CaseRecord;
use crate::domain::detect::Detector;
use crate::store::Store;
use anyhow::Result;
use chrono::Utc;
use std::io::Write;
use std::path::Path;
use std::time::Instant;

/// Queries of each kind: a word few cases hold, one most hold, a two-word phrase.
const QUERIES: [(&str, &str); 3] = [
    ("rare word", "fingeraftryk"),
    ("common word", "sag"),
    ("two-word phrase", "\"min familie\""),
];

/// Per query: its label, its text, the hits shown, and the sorted milliseconds.
type Timings = Vec<(&'static str, &'static str, usize, Vec<f64>)>;

/// Times each query `runs` times (after one warm-up).
fn latencies(store: &Store, runs: usize) -> Result<Timings> {
    let index = crate::search::attach(store)?;
    let mut out = Vec::new();
    for (label, q) in QUERIES {
        let hits = index.search(store, q, 20, &|_| true)?.len();
        let mut times = Vec::with_capacity(runs);
        for _ in 0..runs {
            let t = Instant::now();
            std::hint::black_box(index.search(store, q, 20, &|_| true)?);
            times.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        times.sort_by(f64::total_cmp);
        out.push((label, q, hits, times));
    }
    Ok(out)
}

fn dir_bytes(p: &Path) -> u64 {
    std::fs::read_dir(p)
        .map(|d| {
            d.filter_map(|e| e.ok())
                .map(|e| match e.metadata() {
                    Ok(m) if m.is_dir() => dir_bytes(&e.path()),
                    Ok(m) => m.len(),
                    Err(_) => 0,
                })
                .sum()
        })
        .unwrap_or(0)
}

/// The search rows, on the bench's store (its index attached and in step).
pub fn rows(store: &Store, tmp: &Path, percentile: fn(&[f64], f64) -> f64) -> Result<Vec<Row>> {
    let mut rows = Vec::new();
    let live = store.case_count().max(1);
    for (label, q, hits, times) in latencies(store, 200)? {
        let p50 = percentile(&times, 0.5);
        let p99 = percentile(&times, 0.99);
        rows.push(Row {
            figure: match label {
                "rare word" => "search: a rare word (p50, p99; top 20 with snippets)",
                "common word" => "search: a common word (p50, p99; top 20 with snippets)",
                _ => "search: a two-word phrase (p50, p99; top 20 with snippets)",
            },
            target: "≤ 20 ms p50, ≤ 100 ms p99",
            measured: format!("{p50:.2} ms p50, {p99:.2} ms p99 over 200 runs ({q}: {hits} shown)"),
            met: Some(p50 <= 20.0 && p99 <= 100.0),
        });
    }
    let index_bytes = dir_bytes(&store.path().join(crate::search::DIR));
    rows.push(Row {
        figure: "search index size per case",
        target: "(figure)",
        measured: format!(
            "{:.0} bytes per case ({:.1} MB for {live} cases)",
            index_bytes as f64 / live as f64,
            index_bytes as f64 / 1e6
        ),
        met: None,
    });

    // The same word against grep -c over an export of the bodies, one line per case.
    let bodies = tmp.join("bodies.txt");
    {
        let mut out = std::io::BufWriter::new(std::fs::File::create(&bodies)?);
        for rec in store.cases() {
            if let CaseRecord::Live(c) = rec? {
                writeln!(out, "{}", c.enquiry.body.replace(['\n', '\r'], " "))?;
            }
        }
        out.flush()?;
    }
    let word = QUERIES[0].1;
    let index = crate::search::attach(store)?;
    let mut ours = Vec::new();
    let mut count = 0;
    for _ in 0..5 {
        let t = Instant::now();
        count = index.count(word)?;
        ours.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    ours.sort_by(f64::total_cmp);
    let mut greps = Vec::new();
    let mut grep_count = String::new();
    for _ in 0..5 {
        let t = Instant::now();
        let out = std::process::Command::new("grep")
            .args(["-c", "-i", word])
            .arg(&bodies)
            .output();
        greps.push(t.elapsed().as_secs_f64() * 1000.0);
        match out {
            Ok(o) => grep_count = String::from_utf8_lossy(&o.stdout).trim().to_string(),
            Err(e) => grep_count = format!("grep not run: {e}"),
        }
    }
    greps.sort_by(f64::total_cmp);
    rows.push(Row {
        figure: "search vs grep -c over an export of the bodies (median of 5)",
        target: "(side by side)",
        measured: format!(
            "search (count only, in process) {:.2} ms ({count} cases hold {word:?}, stemmed), grep -c -i (a whole process) {:.1} ms ({grep_count} lines), ratio {:.3}",
            ours[2],
            greps[2],
            ours[2] / greps[2]
        ),
        met: None,
    });
    let _ = std::fs::remove_file(&bodies);
    rows.push(import_with_index(tmp)?);
    Ok(rows)
}

/// Import from JSON Lines with detection into a fresh store whose index is kept in step.
fn import_with_index(tmp: &Path) -> Result<Row> {
    let file = tmp.join("import-search.jsonl");
    let count = 20_000;
    super::bench::write_jsonl(&file, count)?;
    let fresh = tmp.join("import-search-store");
    let store = Store::open(&fresh)?;
    store.set_policy_text(super::DEFAULT_POLICY)?;
    crate::search::attach(&store)?;
    let policy = crate::domain::policy::Policy::from_toml(super::DEFAULT_POLICY, "policy")?;
    let t = Instant::now();
    let records = crate::import::read_path(&file)?;
    let detector = Detector::from_policy(&policy);
    let reg = super::register_batch(&store, &policy, &detector, records, "bench", Utc::now())?;
    let secs = t.elapsed().as_secs_f64();
    let rate = reg.registered.len() as f64 / secs;
    let (docs, _) = crate::search::attach(&store)?.status();
    Ok(Row {
        figure: "import from JSON Lines, with detection and the search index",
        target: "≥ 20,000 enquiries/s",
        measured: format!(
            "{rate:.0} enquiries/s ({} in {secs:.2} s; {docs} indexed)",
            reg.registered.len()
        ),
        met: Some(rate >= 20_000.0),
    })
}
