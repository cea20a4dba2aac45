//! `archive verify`: the file list and every MD5, the schemas, the indices and every table row.
//!
//! Checks are the schemas' rules for the parts this project writes (element order, required
//! elements, value types, row counts), done in Rust so the tests need no outside tool; the CI
//! script `.ci/xmllint-archive` validates the same package with xmllint as well.

use super::index_check::{
    check_archive_index, check_context_index, check_table_index, parse_file_index,
};
use super::table_check::check_table;
use super::xml::{md5_file, table_xsd_from};
use super::STANDARD_SCHEMAS;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The first problem found, naming the file (and where in it).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Problem(pub String);

fn problem<T>(s: impl Into<String>) -> Result<T, Problem> {
    Err(Problem(s.into()))
}

#[derive(Debug, Clone)]
pub struct Verified {
    pub files: usize,
    pub tables: Vec<(String, u64)>,
}

/// Verifies the package folder at `path` (named `AVID.X.N.1`).
pub fn verify(path: &Path) -> Result<Verified, Problem> {
    let Some(name) = path
        .file_name()
        .and_then(|n| n.to_str())
        .filter(|n| super::parse_package_id(n).is_some() && n.split('.').count() == 4)
    else {
        return problem(format!(
            "{} is not an archival version folder (its name should be AVID.<code>.<number>.1)",
            path.display()
        ));
    };
    verify_as(path, name)
}

/// Verifies the package in `path` as if its folder were named `folder` (used on the temporary
/// folder before it is renamed).
pub fn verify_as(path: &Path, folder: &str) -> Result<Verified, Problem> {
    if !path.is_dir() {
        return problem(format!("{} is not a folder", path.display()));
    }
    let shown = |rel: &str| format!("{folder}\\{rel}");
    let file_index = read(path, "Indices\\fileIndex.xml", folder)?;
    let listed = parse_file_index(&file_index, folder)?;
    // Missing files first, in the index's order; then files the index does not list.
    for (rel, _) in &listed {
        if !local(path, rel).is_file() {
            return problem(format!("missing file {}", shown(rel)));
        }
    }
    let mut present = Vec::new();
    walk(path, "", &mut present).map_err(|e| Problem(format!("{}: {e}", path.display())))?;
    let known: BTreeSet<&str> = listed.iter().map(|(r, _)| r.as_str()).collect();
    for rel in &present {
        if rel != "Indices\\fileIndex.xml" && !known.contains(rel.as_str()) {
            return problem(format!("extra file {} (not in fileIndex.xml)", shown(rel)));
        }
    }
    in_parallel(&listed, |(rel, md5)| {
        let actual =
            md5_file(&local(path, rel)).map_err(|e| Problem(format!("{}: {e}", shown(rel))))?;
        if !actual.eq_ignore_ascii_case(md5) {
            return problem(format!(
                "MD5 mismatch in {}: fileIndex.xml says {md5}, the file has {actual}",
                shown(rel)
            ));
        }
        Ok(())
    })?;
    for (name, bytes) in STANDARD_SCHEMAS {
        let rel = format!("Schemas\\standard\\{name}");
        let on_disk = std::fs::read(local(path, &rel))
            .map_err(|_| Problem(format!("missing file {}", shown(&rel))))?;
        if on_disk != *bytes {
            return problem(format!("{} differs from the published schema", shown(&rel)));
        }
    }
    let archive_index = read(path, "Indices\\archiveIndex.xml", folder)?;
    check_archive_index(&archive_index, folder)
        .map_err(|p| Problem(format!("{}: {}", shown("Indices\\archiveIndex.xml"), p.0)))?;
    let ctx = read(path, "Indices\\contextDocumentationIndex.xml", folder)?;
    let docs = check_context_index(&ctx).map_err(|p| {
        Problem(format!(
            "{}: {}",
            shown("Indices\\contextDocumentationIndex.xml"),
            p.0
        ))
    })?;
    for id in docs {
        let prefix = format!("ContextDocumentation\\docCollection1\\{id}\\");
        let files: Vec<&String> = present.iter().filter(|r| r.starts_with(&prefix)).collect();
        if files.is_empty() {
            return problem(format!("missing file {}1.tif", shown(&prefix)));
        }
        for f in files {
            let mut head = [0u8; 4];
            let ok = std::fs::File::open(local(path, f))
                .and_then(|mut h| std::io::Read::read_exact(&mut h, &mut head))
                .is_ok_and(|_| super::pages::looks_like_tiff(&head));
            if !ok {
                return problem(format!("{} is not a TIFF file", shown(f)));
            }
        }
    }
    let table_index = read(path, "Indices\\tableIndex.xml", folder)?;
    let tables = check_table_index(&table_index)
        .map_err(|p| Problem(format!("{}: {}", shown("Indices\\tableIndex.xml"), p.0)))?;
    for (i, t) in tables.iter().enumerate() {
        let n = i + 1;
        if t.folder != format!("table{n}") {
            return problem(format!(
                "{}: table {} is in folder {}, expected table{n}",
                shown("Indices\\tableIndex.xml"),
                t.name,
                t.folder
            ));
        }
    }
    let numbered: Vec<_> = tables.iter().enumerate().collect();
    let counts = in_parallel(&numbered, |&(i, t)| {
        let n = i + 1;
        let xsd_rel = format!("Tables\\table{n}\\table{n}.xsd");
        let xsd = read(path, &xsd_rel, folder)?;
        let expected = table_xsd_from(n, t.columns.iter().map(|c| (c.xsd, c.nullable)));
        if xsd != expected {
            return problem(format!(
                "{} does not declare the columns tableIndex.xml gives table {}",
                shown(&xsd_rel),
                t.name
            ));
        }
        let xml_rel = format!("Tables\\table{n}\\table{n}.xml");
        let rows = check_table(&local(path, &xml_rel), n, t)
            .map_err(|p| Problem(format!("{}: {}", shown(&xml_rel), p.0)))?;
        if rows != t.rows {
            return problem(format!(
                "{} has {rows} rows; tableIndex.xml says {}",
                shown(&xml_rel),
                t.rows
            ));
        }
        Ok((t.name.clone(), rows))
    })?;
    Ok(Verified {
        files: present.len(),
        tables: counts,
    })
}

/// Runs `check` on every item on up to four threads (the table files dominate, and there are
/// as many cores to read them as the machine has); returns the results in order, or the problem
/// of the first item, in order, that has one: the same answer a loop would give.
fn in_parallel<T: Sync, R: Send>(
    items: &[T],
    check: impl Fn(&T) -> Result<R, Problem> + Sync,
) -> Result<Vec<R>, Problem> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Mutex;
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 4)
        .min(items.len().max(1));
    let next = AtomicUsize::new(0);
    // The lowest index that failed so far: later items need not be checked.
    let failed = AtomicUsize::new(usize::MAX);
    let results: Mutex<Vec<Option<Result<R, Problem>>>> =
        Mutex::new(items.iter().map(|_| None).collect());
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= items.len() || i > failed.load(Ordering::Relaxed) {
                    break;
                }
                let r = check(&items[i]);
                if r.is_err() {
                    failed.fetch_min(i, Ordering::Relaxed);
                }
                results.lock().unwrap_or_else(|e| e.into_inner())[i] = Some(r);
            });
        }
    });
    let mut out = Vec::with_capacity(items.len());
    for r in results.into_inner().unwrap_or_else(|e| e.into_inner()) {
        match r {
            Some(r) => out.push(r?),
            None => break,
        }
    }
    Ok(out)
}

fn local(root: &Path, rel: &str) -> PathBuf {
    rel.split('\\')
        .fold(root.to_path_buf(), |p, part| p.join(part))
}

fn read(root: &Path, rel: &str, folder: &str) -> Result<String, Problem> {
    let p = local(root, rel);
    let bytes = std::fs::read(&p).map_err(|_| Problem(format!("missing file {folder}\\{rel}")))?;
    String::from_utf8(bytes).map_err(|_| Problem(format!("{folder}\\{rel} is not UTF-8")))
}

fn walk(root: &Path, rel: &str, out: &mut Vec<String>) -> std::io::Result<()> {
    let dir = if rel.is_empty() {
        root.to_path_buf()
    } else {
        local(root, rel)
    };
    let mut entries: Vec<_> = std::fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let name = e.file_name().to_string_lossy().into_owned();
        let child = if rel.is_empty() {
            name
        } else {
            format!("{rel}\\{name}")
        };
        if e.file_type()?.is_dir() {
            walk(root, &child, out)?;
        } else {
            out.push(child);
        }
    }
    Ok(())
}
