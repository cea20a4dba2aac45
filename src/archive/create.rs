//! `archive create`: one archival version for every closed case whose archive period has ended.
//!
//! The package is written into a hidden `.AVID….partial` folder beside its final place, checked
//! with [`super::verify`], and renamed only when complete, so an interrupted run leaves nothing
//! that looks like a package. Cases stream from the store one at a time into the table files.

use super::indices::{self, ArchiveFacts, ContextDoc, FileEntry, TableStats};
use super::pages::{self, Block};
use super::registry::{self, PackageRecord};
use super::table_writer::Tables;
use super::tables::{self, RowSink, Value, TABLES};
use super::xml::HashedFile;
use super::{io, ArchiveError, ArchiveSettings, STANDARD_SCHEMAS};
use crate::domain::case::{CaseRecord, Status};
use crate::domain::category::DataCategory;
use crate::domain::clock;
use crate::domain::command::{Access, Command};
use crate::domain::danish_time::DanishDay;
use crate::domain::enquiry::Reference;
use crate::domain::handover::goes_to_archives;
use crate::domain::policy::{Policy, RetentionRule};
use crate::store::api::{Api, Embedded};
use crate::store::Batched;
use chrono::NaiveDate;
use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};

pub struct Created {
    pub id: String,
    pub path: PathBuf,
    pub cases: u64,
    pub file_index_md5: String,
    pub rows: Vec<(&'static str, u64)>,
    pub bytes: u64,
    /// Seconds spent in each phase, for the bench: tables and indices, the verification, the
    /// events on the cases.
    pub phases: Vec<(&'static str, f64)>,
}

fn write_hashed(path: &Path, bytes: &[u8]) -> Result<String, ArchiveError> {
    let mut f = HashedFile::create(path).map_err(io(path))?;
    f.write_all(bytes).map_err(io(path))?;
    f.finish().map_err(io(path))
}

/// True for a case that goes into the next package as of `today`: closed, of a purpose whose
/// records go to the archives, its archive period ended, and in no package yet.
fn due(policy: &Policy, case: &crate::domain::case::Case, today: NaiveDate) -> bool {
    // HandedOver: marked by the old flag, before archival versions existed; still unpackaged.
    matches!(case.status, Status::Closed | Status::HandedOver)
        && case
            .purpose
            .as_deref()
            .and_then(|p| policy.purpose(p))
            .is_some_and(|p| goes_to_archives(p.retention))
        && case
            .closed
            .as_ref()
            .is_some_and(|c| clock::archive_period_end(policy, c.at.danish_day()) < today)
}

/// Writes the next archival version into `out` and records it on every case it holds.
pub fn create(
    api: &Embedded,
    out: &Path,
    context_docs: &[PathBuf],
    today: NaiveDate,
) -> Result<Created, ArchiveError> {
    let settings = ArchiveSettings::from_policy(&api.policy)?;
    for doc in context_docs {
        let mut head = [0u8; 4];
        let ok = std::fs::File::open(doc)
            .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut head))
            .map(|_| pages::looks_like_tiff(&head));
        match ok {
            Ok(true) => {}
            Ok(false) => return Err(ArchiveError::NotTiff { path: doc.clone() }),
            Err(e) => return Err(io(doc)(e)),
        }
    }
    let store = &api.store;
    let seq = registry::packages(store)?
        .iter()
        .map(|p| p.seq + 1)
        .max()
        .unwrap_or(0);
    let id = settings.package_id(seq);
    let folder = super::folder_name(&id);
    let target = out.join(&folder);
    if target.exists() {
        return Err(ArchiveError::Exists(target));
    }
    std::fs::create_dir_all(out).map_err(io(out))?;
    let tmp = out.join(format!(".{folder}.partial"));
    if tmp.exists() {
        // Left by an interrupted run of ours: it never became a package.
        std::fs::remove_dir_all(&tmp).map_err(io(&tmp))?;
    }
    let mut phases = Vec::new();
    let mut started = std::time::Instant::now();
    let mut lap = |name: &'static str| {
        phases.push((name, started.elapsed().as_secs_f64()));
        started = std::time::Instant::now();
    };
    let result = write_package(api, &settings, &id, &tmp, context_docs, today);
    lap("write");
    let written = match result {
        Ok(w) => w,
        Err(e) => {
            let _ = std::fs::remove_dir_all(&tmp);
            return Err(e);
        }
    };
    if let Err(problem) = super::verify::verify_as(&tmp, &folder) {
        let _ = std::fs::remove_dir_all(&tmp);
        return Err(ArchiveError::Verify(problem.to_string()));
    }
    lap("verify");
    super::xml::sync_filesystem(&tmp).map_err(io(&tmp))?;
    std::fs::rename(&tmp, &target).map_err(io(&target))?;
    if let Ok(d) = std::fs::File::open(out) {
        let _ = d.sync_all();
    }

    // The package exists: record it, then the event on every case it holds.
    let record = PackageRecord {
        id: id.clone(),
        seq,
        created: today,
        period_start: written.period.0,
        period_end: written.period.1,
        cases: written.cases.len() as u64,
        file_index_md5: written.file_index_md5.clone(),
        approved: None,
    };
    registry::save(store, &record)?;
    let cmd = Command::Package {
        package: id.clone(),
        file_index_md5: written.file_index_md5.clone(),
    };
    record_on_cases(api, &written.cases, &cmd, |r| {
        registry::mark_case(store, r, seq)
    })?;
    api.log_access(
        None,
        &Access::Export {
            what: format!("archival version {id} ({} cases)", written.cases.len()),
        },
    )?;
    lap("events");
    Ok(Created {
        id,
        path: target,
        cases: written.cases.len() as u64,
        file_index_md5: written.file_index_md5,
        rows: TABLES
            .iter()
            .zip(&written.stats)
            .map(|(t, s)| (t.name, s.rows))
            .collect(),
        bytes: written.bytes,
        phases,
    })
}

/// A first and a last day.
type Span = (NaiveDate, NaiveDate);

/// Records `cmd` on every case, in transactions of [`BATCH`] (each case its own event and audit
/// entry, one flush per transaction); `after` runs for each case recorded.
pub fn record_on_cases(
    api: &Embedded,
    cases: &[(Reference, u64)],
    cmd: &Command,
    mut after: impl FnMut(Reference) -> Result<(), crate::store::StoreError>,
) -> Result<(), ArchiveError> {
    for chunk in cases.chunks(BATCH) {
        let items: Vec<Batched> = chunk
            .iter()
            .map(|(r, version)| Batched {
                actor: api.actor.clone(),
                reference: *r,
                expected: Some(*version),
                command: cmd.clone(),
                at: api.now(),
            })
            .collect();
        let results = api.store.execute_many(&api.policy, &items)?;
        for ((r, _), result) in chunk.iter().zip(results) {
            result?;
            after(*r)?;
        }
    }
    api.store.flush()?;
    Ok(())
}

/// Cases recorded per transaction: a flush per case would make packaging a large store slow,
/// and each transaction holds its cases' writes (1,000 a time peaked 20 MB higher at
/// 100,000 cases than 250, at about the same rate).
const BATCH: usize = 250;

struct Written {
    cases: Vec<(Reference, u64)>,
    period: (NaiveDate, NaiveDate),
    file_index_md5: String,
    stats: Vec<TableStats>,
    bytes: u64,
}

fn write_package(
    api: &Embedded,
    settings: &ArchiveSettings,
    id: &str,
    root: &Path,
    context_docs: &[PathBuf],
    today: NaiveDate,
) -> Result<Written, ArchiveError> {
    let policy = &api.policy;
    let store = &api.store;
    let mut tables = Tables::open(&root.join("Tables"))?;
    let mut cases = Vec::new();
    let mut period: Option<Span> = None;
    let mut creation: Option<Span> = None;
    let mut cpr = false;
    let mut recipients = BTreeSet::new();
    let widen = |span: &mut Option<Span>, a: NaiveDate, b: NaiveDate| {
        *span = Some(match *span {
            None => (a, b),
            Some((x, y)) => (x.min(a), y.max(b)),
        });
    };
    // Every packaged case read once, instead of a look-up per case.
    let packaged = registry::packaged_cases(store)
        .map(|r| r.map(|(reference, _)| reference))
        .collect::<Result<std::collections::HashSet<Reference>, _>>()?;
    for rec in store.cases() {
        let CaseRecord::Live(case) = rec? else {
            continue;
        };
        if !due(policy, &case, today) || packaged.contains(&case.reference) {
            continue;
        }
        let events = store.events(case.reference)?;
        tables::case_rows(&case, &events, &mut tables).map_err(io(root))?;
        let closed = case.closed.as_ref().map_or(today, |s| s.at.danish_day());
        let (first, last) = clock::archive_period(policy, closed);
        widen(&mut period, first, last);
        widen(&mut creation, case.enquiry.received.danish_day(), closed);
        cpr |= case.enquiry.sender.cpr.is_some();
        for d in &case.disclosures {
            recipients.insert(d.recipient.clone());
        }
        cases.push((case.reference, case.version));
    }
    let (Some(period), Some(creation)) = (period, creation) else {
        return Err(ArchiveError::NothingDue(today));
    };
    write_code_lists(policy, &recipients, &mut tables).map_err(io(root))?;
    let (mut files, stats, bytes) = tables.finish()?;

    let schemas = root.join("Schemas").join("standard");
    std::fs::create_dir_all(&schemas).map_err(io(&schemas))?;
    let mut schema_files = Vec::new();
    for (name, bytes) in STANDARD_SCHEMAS {
        let md5 = write_hashed(&schemas.join(name), bytes)?;
        schema_files.push(FileEntry {
            folder: "Schemas\\standard".into(),
            name: (*name).into(),
            md5,
        });
    }

    let docs_root = root.join("ContextDocumentation").join("docCollection1");
    let mut docs = Vec::new();
    let mut doc_files = Vec::new();
    let mut add_doc = |doc: ContextDoc, write: &dyn Fn(&Path) -> Result<(), ArchiveError>| {
        let dir = docs_root.join(doc.id.to_string());
        std::fs::create_dir_all(&dir).map_err(io(&dir))?;
        let path = dir.join("1.tif");
        write(&path)?;
        doc_files.push(FileEntry {
            folder: format!("ContextDocumentation\\docCollection1\\{}", doc.id),
            name: "1.tif".into(),
            md5: super::xml::md5_file(&path).map_err(io(&path))?,
        });
        docs.push(doc);
        Ok::<(), ArchiveError>(())
    };
    let render = |blocks: Vec<Block>| {
        move |path: &Path| -> Result<(), ArchiveError> {
            let f = std::fs::File::create(path).map_err(io(path))?;
            let mut w = std::io::BufWriter::new(f);
            pages::write_tiff(&blocks, &mut w).map_err(ArchiveError::Render)?;
            w.into_inner().map_err(|e| io(path)(e.into_error()))?;
            Ok(())
        }
    };
    let institution = settings.creator.clone();
    add_doc(
        ContextDoc {
            id: 1,
            title: "Systembeskrivelse".into(),
            description: format!(
                "Systemets formål og indhold, arkivperioden og behandlingsformålene i {id}."
            ),
            date: today,
            institution: institution.clone(),
            category: ("systemInformation", &["systemPurpose", "systemContent"]),
        },
        &render(system_description(settings, policy, id, period)),
    )?;
    add_doc(
        ContextDoc {
            id: 2,
            title: "Tabeller og kodelister".into(),
            description: "Hver tabel og kolonne med beskrivelse, nøgler og kodelisternes værdier."
                .into(),
            date: today,
            institution: institution.clone(),
            category: (
                "systemInformation",
                &["systemPresentationStructure", "systemTaxonomy"],
            ),
        },
        &render(table_description(policy)),
    )?;
    for (i, doc) in context_docs.iter().enumerate() {
        let title = doc
            .file_stem()
            .map(|s| crate::domain::sanitize::sanitize_line(&s.to_string_lossy()).into_owned())
            .filter(|s| !s.trim().is_empty())
            .unwrap_or_else(|| "Dokument".into());
        add_doc(
            ContextDoc {
                id: 3 + i as u32,
                title,
                description: "Myndighedens egen kontekstdokumentation.".into(),
                date: today,
                institution: institution.clone(),
                category: ("informationOther", &["informationOther"]),
            },
            &|path: &Path| {
                std::fs::copy(doc, path).map_err(io(doc))?;
                Ok(())
            },
        )?;
    }

    let indices = root.join("Indices");
    std::fs::create_dir_all(&indices).map_err(io(&indices))?;
    let mut index_files = Vec::new();
    let facts = ArchiveFacts {
        id,
        period,
        creation,
        cpr,
    };
    for (name, text) in [
        ("archiveIndex.xml", indices::archive_index(settings, &facts)),
        (
            "contextDocumentationIndex.xml",
            indices::context_documentation_index(&docs),
        ),
        ("tableIndex.xml", indices::table_index(&stats)),
    ] {
        let md5 = write_hashed(&indices.join(name), text.as_bytes())?;
        index_files.push(FileEntry {
            folder: "Indices".into(),
            name: name.into(),
            md5,
        });
    }
    let folder = super::folder_name(id);
    let mut all = index_files;
    all.append(&mut schema_files);
    all.append(&mut files);
    all.append(&mut doc_files);
    for f in &mut all {
        f.folder = format!("{folder}\\{}", f.folder);
    }
    let file_index_md5 = write_hashed(
        &indices.join("fileIndex.xml"),
        indices::file_index(&all).as_bytes(),
    )?;
    Ok(Written {
        cases,
        period,
        file_index_md5,
        stats,
        bytes,
    })
}

fn write_code_lists(
    policy: &Policy,
    referenced_recipients: &BTreeSet<String>,
    sink: &mut impl RowSink,
) -> std::io::Result<()> {
    let t = |s: &str| {
        Value::Text(
            crate::domain::sanitize::sanitize_text(s)
                .into_owned()
                .into(),
        )
    };
    for p in &policy.purposes {
        let bases: Vec<String> = p.legal_bases.iter().map(|b| b.get_ref().id()).collect();
        sink.row(
            tables::PURPOSES,
            &[
                t(p.id()),
                t(&p.name_da),
                t(&p.name_en),
                if p.description_da.trim().is_empty() {
                    Value::Null
                } else {
                    t(&p.description_da)
                },
                if bases.is_empty() {
                    Value::Null
                } else {
                    t(&bases.join(" "))
                },
                t(&retention_text(p.retention)),
            ],
        )?;
    }
    for r in &policy.recipients {
        sink.row(
            tables::RECIPIENTS,
            &[t(r.id()), t(&r.name_da), t(&r.name_en)],
        )?;
    }
    // A disclosure to a recipient the policy no longer lists still needs its code.
    for id in referenced_recipients {
        if !policy.recipients.iter().any(|r| r.id() == id) {
            let unknown = "(ikke længere i politikken / no longer in the policy)";
            sink.row(tables::RECIPIENTS, &[t(id), t(unknown), t(unknown)])?;
        }
    }
    for b in crate::domain::basis::LegalBasis::all() {
        sink.row(
            tables::LEGAL_BASES,
            &[t(&b.id()), t(&b.citation_da()), t(&b.citation_en())],
        )?;
    }
    for c in DataCategory::ALL {
        sink.row(
            tables::CATEGORIES,
            &[t(c.as_id()), t(c.name_da()), t(c.name_en())],
        )?;
    }
    Ok(())
}

fn retention_text(rule: RetentionRule) -> String {
    match rule {
        RetentionRule::ArchiveThenDelete => "archive-then-delete".into(),
        RetentionRule::ArchiveThenAssess => "archive-then-assess".into(),
        RetentionRule::DeleteAfterYears { years } => format!("delete-after-years {years}"),
    }
}

fn system_description(
    s: &ArchiveSettings,
    policy: &Policy,
    id: &str,
    period: (NaiveDate, NaiveDate),
) -> Vec<Block> {
    let mut b = vec![
        Block::Title(format!("Systembeskrivelse: {}", s.system_name)),
        Block::Text(format!(
            "Arkiveringsversion {id}, arkivperioden {} til {}. Arkivskaber: {}.",
            period.0, period.1, s.creator
        )),
        Block::Heading("Formål".into()),
        Block::Text(s.system_purpose.clone()),
        Block::Heading("Indhold".into()),
        Block::Text(s.system_content.clone()),
        Block::Heading("Myndighed".into()),
        Block::Text(format!(
            "{}, {}. Databeskyttelsesrådgiver: {}.",
            policy.authority.name_da, policy.authority.address, policy.authority.dpo_contact
        )),
        Block::Heading("Sagsgang".into()),
        Block::Text(
            "En henvendelse registreres med et journalnummer (ÅÅÅÅ-NNNNNN) og et behandlingsformål, \
             der fastlægger hjemmel, svarfrist og opbevaring. Sagsbehandleren bekræfter eller afviser \
             de personoplysningskategorier, systemet foreslår, videregiver med hjemmel og skriftlig \
             begrundelse, træffer afgørelse og afslutter sagen. Hver ændring registreres i sagens \
             historik (tabellen history) og i en hashkædet revisionslog."
                .into(),
        ),
        Block::Text(
            "Afsluttede sager afleveres ved arkivperiodens udløb. Myndigheden sletter først sin \
             egen kopi, når Rigsarkivet har godkendt arkiveringsversionen."
                .into(),
        ),
        Block::Heading("Behandlingsformål".into()),
    ];
    for p in &policy.purposes {
        b.push(Block::Item(format!(
            "{} ({}): {}",
            p.name_da,
            p.id(),
            retention_text(p.retention)
        )));
    }
    b.push(Block::Heading("Tegnsæt og tid".into()));
    b.push(Block::Text(
        "Tabellerne er UTF-8. Tidspunkter er angivet i UTC (TIMESTAMP WITH TIME ZONE). \
         Tekst fra borgere er renset for styretegn; et fjernet tegn står som U+FFFD."
            .into(),
    ));
    b
}

fn table_description(policy: &Policy) -> Vec<Block> {
    let mut b = vec![Block::Title("Tabeller og kodelister".into())];
    for (i, t) in TABLES.iter().enumerate() {
        b.push(Block::Heading(format!("table{}: {}", i + 1, t.name)));
        b.push(Block::Text(t.description.into()));
        for (j, c) in t.columns.iter().enumerate() {
            b.push(Block::Item(format!(
                "c{} {} ({}{}): {}",
                j + 1,
                c.name,
                c.ty.sql(0).split('(').next().unwrap_or(""),
                if c.nullable { ", kan være tom" } else { "" },
                c.description
            )));
        }
        b.push(Block::Item(format!(
            "Primærnøgle: {}",
            t.primary_key.join(", ")
        )));
        for fk in t.foreign_keys {
            let cols: Vec<String> = fk
                .columns
                .iter()
                .map(|(a, r)| format!("{a} → {}.{r}", fk.table))
                .collect();
            b.push(Block::Item(format!("Fremmednøgle: {}", cols.join(", "))));
        }
    }
    b.push(Block::Heading("Kodeliste: behandlingsformål".into()));
    for p in &policy.purposes {
        b.push(Block::Item(format!("{}: {}", p.id(), p.name_da)));
    }
    b.push(Block::Heading("Kodeliste: modtagere".into()));
    for r in &policy.recipients {
        b.push(Block::Item(format!("{}: {}", r.id(), r.name_da)));
    }
    b.push(Block::Heading(
        "Kodeliste: personoplysningskategorier".into(),
    ));
    for c in DataCategory::ALL {
        b.push(Block::Item(format!("{}: {}", c.as_id(), c.name_da())));
    }
    b.push(Block::Heading("Kodeliste: hjemmel".into()));
    for l in crate::domain::basis::LegalBasis::all() {
        b.push(Block::Item(format!("{}: {}", l.id(), l.citation_da())));
    }
    b
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::case::Stamp;
    use crate::domain::fixtures;
    use chrono::{Duration, TimeZone, Utc};

    #[test]
    fn a_case_closed_just_after_danish_midnight_belongs_to_the_danish_days_period() {
        let policy = fixtures::policy();
        let purpose = policy
            .purposes
            .iter()
            .find(|p| goes_to_archives(p.retention))
            .expect("a purpose the State Archives receive");
        // The first day of a period, and a case closed there at 00:30 Danish time: on
        // the day before in UTC (and so in the period before).
        let (first, _) = clock::archive_period(&policy, "2031-06-01".parse().unwrap());
        let closed_at = Utc
            .from_local_datetime(&first.and_hms_opt(0, 30, 0).unwrap())
            .unwrap()
            - Duration::hours(1);
        assert_eq!(closed_at.danish_day(), first);
        assert_ne!(closed_at.date_naive(), first);
        let mut case = fixtures::case("2026-01-02T09:00:00+01:00", "x");
        case.purpose = Some(purpose.id.get_ref().clone());
        case.status = Status::Closed;
        case.closed = Some(Stamp {
            by: "anne".into(),
            at: closed_at,
        });
        let earlier_end = clock::archive_period_end(&policy, first.pred_opt().unwrap());
        let its_end = clock::archive_period_end(&policy, first);
        assert!(earlier_end < its_end);
        assert!(!due(&policy, &case, earlier_end.succ_opt().unwrap()));
        assert!(due(&policy, &case, its_end.succ_opt().unwrap()));
    }
}
