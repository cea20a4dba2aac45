//! `triage archive`: write, verify, list and record the approval of archival versions.

use super::{connect_or_open, find_server, Global};
use crate::archive::verify;
use crate::tui::i18n_cli::Say;
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
    /// Take a package a cut-off `archive create` left waiting on the server
    Fetch {
        /// The package's name, AVID.<code>.<n>.1 (as `archive list` shows it)
        package: String,
        /// The folder to write AVID.<code>.<n>.1/ into
        #[arg(long, default_value = ".")]
        out: PathBuf,
    },
    /// The archival versions this store has made
    List {
        /// The list as JSON
        #[arg(long)]
        json: bool,
    },
}

pub fn run(global: &Global, cmd: ArchiveCmd) -> Result<ExitCode> {
    let lang = global.lang();
    match cmd {
        ArchiveCmd::Verify { path } => match verify::verify(&path) {
            Ok(v) => {
                let rows: u64 = v.tables.iter().map(|(_, n)| n).sum();
                let verified = Say::ArchiveVerified {
                    path: &path.display().to_string(),
                    files: v.files,
                    tables: v.tables.len(),
                    rows,
                };
                println!("{}", verified.text(lang));
                Ok(ExitCode::SUCCESS)
            }
            Err(p) => {
                eprintln!("triage: {}: {p}", path.display());
                Ok(ExitCode::from(2))
            }
        },
        // Through the server when one runs (it decides the roles and records the package; the
        // files come here, written as the caller), else on the store opened here.
        ArchiveCmd::Create { out, context_doc } => {
            let api = super::connect_or_open_streaming(global)?;
            let c = api.archive_create(&out, &context_doc)?;
            let created = Say::ArchiveCreated {
                path: &c.path.display().to_string(),
                cases: c.cases,
                bytes: c.bytes,
                md5: &c.file_index_md5,
            };
            println!("{}", created.text(lang));
            for (name, rows) in &c.rows {
                let rows = *rows;
                println!("{}", Say::ArchiveTableRows { name, rows }.text(lang));
            }
            println!("{}", Say::ArchiveDeliver { id: &c.id }.text(lang));
            Ok(ExitCode::SUCCESS)
        }
        ArchiveCmd::Receipt { package, approved } => {
            let api = connect_or_open(global)?;
            // A folder is verified here, where it is, and must be the package the store made.
            let folder = std::path::Path::new(&package);
            let md5 = if folder.is_dir() {
                if let Err(p) = verify::verify(folder) {
                    let unverified = Say::ArchiveReceiptUnverified {
                        path: &folder.display().to_string(),
                        problem: &p.to_string(),
                    };
                    bail!(unverified.text(lang));
                }
                let index = folder.join("Indices").join("fileIndex.xml");
                Some(crate::archive::xml::md5_file(&index)?)
            } else {
                None
            };
            let id = crate::archive::parse_package_id(&package).unwrap_or(package);
            let r = api.archive_receipt(&id, approved, md5)?;
            let receipted = Say::ArchiveReceipted {
                id: &r.package.id,
                approved,
                cases: r.cases,
            };
            println!("{}", receipted.text(lang));
            Ok(ExitCode::SUCCESS)
        }
        ArchiveCmd::Fetch { package, out } => {
            let Some(client) = find_server(global)? else {
                bail!(crate::tui::i18n_cli::CliError::NoServerToFetch);
            };
            let path = client.fetch_archive(&package, &out)?;
            let path = path.display().to_string();
            println!("{}", Say::ArchiveFetched(&path).text(lang));
            Ok(ExitCode::SUCCESS)
        }
        ArchiveCmd::List { json } => {
            let api = connect_or_open(global)?;
            let packages = api.archive_packages()?;
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
                    let line = Say::ArchivePackage {
                        id: &p.id,
                        made: p.created,
                        cases: p.cases,
                        from: p.period_start,
                        to: p.period_end,
                        approved: p.approved,
                    };
                    println!("{}", line.text(lang));
                }
                if packages.is_empty() {
                    println!("{}", Say::NoArchivePackage.text(lang));
                }
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}
