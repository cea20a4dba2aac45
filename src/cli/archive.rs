//! `triage archive`: write, verify, list and record the approval of archival versions.

use super::{open, Global};
use crate::archive::{create, receipt, registry, verify};
use crate::domain::policy::Role;
use crate::store::api::Api;
use anyhow::{bail, Result};
use chrono::NaiveDate;
use clap::Subcommand;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Subcommand, Debug)]
pub enum ArchiveCmd {
    /// Write one archival version (SIARD-DK) of every closed case whose archive period has ended
    Create {
        /// The folder to write AVID.<code>.<n>.1/ into
        #[arg(long, default_value = ".")]
        out: PathBuf,
        /// An authority's own context document (TIFF) to include; may be repeated
        #[arg(long = "context-doc")]
        context_doc: Vec<PathBuf>,
    },
    /// Check a package: file list, every MD5, the schemas, indices and every table row
    Verify {
        /// The package's folder (AVID.…)
        path: PathBuf,
    },
    /// Record the National Archives' approval of a package (by id, or its folder to verify it too)
    Receipt {
        /// The package's id (AVID.…) or its folder
        package: String,
        /// The day the National Archives approved it (YYYY-MM-DD)
        #[arg(long)]
        approved: NaiveDate,
    },
    /// The archival versions this store has made
    List {
        /// The list as JSON
        #[arg(long)]
        json: bool,
    },
}

fn may_archive(roles: &[Role]) -> Result<()> {
    if !roles.iter().any(|r| matches!(r, Role::Dpo | Role::Admin)) {
        bail!(
            "archival versions are made and approved by the dpo or an admin; you have neither role"
        );
    }
    Ok(())
}

pub fn run(global: &Global, cmd: ArchiveCmd) -> Result<ExitCode> {
    match cmd {
        ArchiveCmd::Verify { path } => match verify::verify(&path) {
            Ok(v) => {
                let rows: u64 = v.tables.iter().map(|(_, n)| n).sum();
                println!(
                    "{}: verified ({} files, {} tables, {rows} rows; every MD5, the schemas, the indices and every row)",
                    path.display(),
                    v.files,
                    v.tables.len()
                );
                Ok(ExitCode::SUCCESS)
            }
            Err(p) => {
                eprintln!("triage: {}: {p}", path.display());
                Ok(ExitCode::from(2))
            }
        },
        ArchiveCmd::Create { out, context_doc } => {
            let api = open(global)?;
            may_archive(&api.actor.roles)?;
            let today = api.now().date_naive();
            let c = create::create(&api, &out, &context_doc, today)?;
            println!(
                "{}: {} cases, {} bytes of tables; fileIndex.xml MD5 {}",
                c.path.display(),
                c.cases,
                c.bytes,
                c.file_index_md5
            );
            for (name, rows) in &c.rows {
                println!("  {name:<18} {rows} rows");
            }
            println!(
                "Deliver it to the National Archives; when they approve it: triage archive receipt {} --approved DATE",
                c.id
            );
            Ok(ExitCode::SUCCESS)
        }
        ArchiveCmd::Receipt { package, approved } => {
            let api = open(global)?;
            may_archive(&api.actor.roles)?;
            let today = api.now().date_naive();
            let r = receipt::approve(&api, &package, approved, today)?;
            println!(
                "{} approved on {}: {} cases handed over; their deletion is due from that day (`triage retention`)",
                r.package.id, approved, r.cases
            );
            Ok(ExitCode::SUCCESS)
        }
        ArchiveCmd::List { json } => {
            let api = open(global)?;
            let packages = registry::packages(&api.store)?;
            if json {
                let v: Vec<_> = packages
                    .iter()
                    .map(|p| {
                        serde_json::json!({
                            "id": p.id, "created": p.created, "cases": p.cases,
                            "period_start": p.period_start, "period_end": p.period_end,
                            "file_index_md5": p.file_index_md5, "approved": p.approved,
                        })
                    })
                    .collect();
                println!("{}", serde_json::to_string_pretty(&v)?);
            } else {
                for p in &packages {
                    println!(
                        "{}  made {}  {} cases  period {}–{}  {}",
                        p.id,
                        p.created,
                        p.cases,
                        p.period_start,
                        p.period_end,
                        p.approved
                            .map(|d| format!("approved {d}"))
                            .unwrap_or_else(|| "awaiting approval".into())
                    );
                }
                if packages.is_empty() {
                    println!("no archival version made yet");
                }
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}
