//! Archival versions through the server: made in the server's outbox beside the store, then
//! fetched file by file by the archivist's client and written as the archivist.
//!
//! The store's directory belongs to the service user (mode 0700) and the unit may write only
//! there, while the package must end up where the archivist can take it to the National
//! Archives. So the server writes and records the package in `<store>.outbox/`, the client
//! copies it into `--out` under a `.partial` name, verifies it and renames it, and only then
//! tells the server to drop its copy. A copy whose fetch was cut off stays in the outbox
//! until `triage archive fetch` takes it.

use super::client::{unexpected, Client, LONG_CALL_TIMEOUT};
use super::daemon::{log, Shared};
use super::protocol::{Answer, Request, WireError};
use super::rules::{self, Operation};
use crate::archive::{folder_name, parse_package_id, ArchiveError, ArchiveSettings};
use crate::store::api::{self, ArchiveMade};
use crate::store::api_error::ApiError;
use crate::store::{Actor, StoreError};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Component, Path, PathBuf};

/// The most bytes of a package file one reply carries.
const MAX_PART: u32 = 8 * 1024 * 1024;
/// Bytes fetched per request.
const PART: u32 = 4 * 1024 * 1024;

/// Where the server keeps packages until their archivist has fetched them.
pub fn outbox(store: &Path) -> PathBuf {
    let mut s = store.as_os_str().to_owned();
    s.push(".outbox");
    PathBuf::from(s)
}

fn wire(e: StoreError) -> WireError {
    WireError::from(&e)
}

fn failed(what: &str, e: impl std::fmt::Display) -> WireError {
    WireError::Failed(format!("the server could not {what}: {e}"))
}

/// The package folder in the outbox for a package id the client named.
fn waiting(shared: &Shared, package: &str) -> Result<PathBuf, WireError> {
    let id = parse_package_id(package).ok_or_else(|| {
        wire(api::archive_error(ArchiveError::UnknownPackage(
            package.into(),
        )))
    })?;
    let dir = outbox(shared.store.path()).join(folder_name(&id));
    if !dir.is_dir() {
        return Err(WireError::Failed(format!(
            "{id} is not waiting on the server: it was fetched already, or never made (`triage archive list`)"
        )));
    }
    Ok(dir)
}

/// Every file under `dir` as (path inside it with `/`, bytes), in name order.
fn files(dir: &Path) -> std::io::Result<Vec<(String, u64)>> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, u64)>) -> std::io::Result<()> {
        for e in std::fs::read_dir(dir)? {
            let e = e?;
            let meta = std::fs::symlink_metadata(e.path())?;
            if meta.is_dir() {
                walk(root, &e.path(), out)?;
            } else if meta.is_file() {
                let rel = e.path().strip_prefix(root).unwrap_or(&e.path()).to_owned();
                let rel: Vec<String> = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                out.push((rel.join("/"), meta.len()));
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out)?;
    out.sort();
    Ok(out)
}

/// A path inside a package, as a client names it: plain names only, no way out of it.
fn inside(dir: &Path, path: &str) -> Result<PathBuf, WireError> {
    let p = Path::new(path);
    if path.is_empty() || !p.components().all(|c| matches!(c, Component::Normal(_))) {
        return Err(WireError::Failed(format!(
            "`{path}` is not a path inside a package"
        )));
    }
    Ok(dir.join(p))
}

pub fn handle(
    shared: &Shared,
    actor: &Actor,
    conn: u64,
    request: Request,
) -> Result<Answer, WireError> {
    let permit = || rules::permit(actor, Operation::Archive).map_err(|r| wire(r.into()));
    match request {
        Request::ArchiveStates(cases) => api::archive_states_here(&shared.store, &cases)
            .map(Answer::ArchiveStates)
            .map_err(wire),
        Request::ArchivePackages => crate::archive::registry::packages(&shared.store)
            .map(Answer::Packages)
            .map_err(wire),
        Request::ArchiveCreate { context_docs } => {
            permit()?;
            let outbox = outbox(shared.store.path());
            std::fs::create_dir_all(&outbox).map_err(|e| failed("prepare its outbox", e))?;
            // The authority's documents, kept only while the package is written.
            let docs_dir = outbox.join(format!(".docs-{}-{conn}", std::process::id()));
            let _ = std::fs::remove_dir_all(&docs_dir);
            let docs = write_docs(&docs_dir, &context_docs);
            let made = docs.and_then(|docs| {
                api::archive_create_here(&shared.embedded(actor), &outbox, &docs).map_err(wire)
            });
            let _ = std::fs::remove_dir_all(&docs_dir);
            let made = made?;
            let listed = files(&made.path).map_err(|e| failed("list the package", e))?;
            log(&format!(
                "connection {conn} ({}): made {} ({} cases) in the outbox",
                actor.login, made.id, made.cases
            ));
            Ok(Answer::ArchiveMade {
                made,
                files: listed,
            })
        }
        Request::ArchiveFiles(package) => {
            permit()?;
            let dir = waiting(shared, &package)?;
            files(&dir)
                .map(Answer::ArchiveFiles)
                .map_err(|e| failed("list the package", e))
        }
        Request::ArchivePart {
            package,
            path,
            offset,
            len,
        } => {
            permit()?;
            let file = inside(&waiting(shared, &package)?, &path)?;
            let mut f = std::fs::File::open(&file).map_err(|e| failed("read the package", e))?;
            f.seek(SeekFrom::Start(offset))
                .map_err(|e| failed("read the package", e))?;
            let mut buf = Vec::new();
            f.take(u64::from(len.min(MAX_PART)))
                .read_to_end(&mut buf)
                .map_err(|e| failed("read the package", e))?;
            Ok(Answer::Bytes(buf))
        }
        Request::ArchiveFetched(package) => {
            permit()?;
            let dir = waiting(shared, &package)?;
            std::fs::remove_dir_all(&dir).map_err(|e| failed("remove its copy", e))?;
            log(&format!(
                "connection {conn} ({}): {package} fetched; the outbox copy is removed",
                actor.login
            ));
            Ok(Answer::Done)
        }
        Request::ArchiveReceipt {
            package,
            approved,
            file_index_md5,
        } => {
            permit()?;
            api::archive_receipt_here(&shared.embedded(actor), &package, approved, file_index_md5)
                .map(Answer::Approved)
                .map_err(wire)
        }
        other => Err(WireError::Failed(format!(
            "the server cannot answer a {} request here",
            other.name()
        ))),
    }
}

/// Writes the client's context documents into `dir` under their own file names.
fn write_docs(dir: &Path, docs: &[(String, Vec<u8>)]) -> Result<Vec<PathBuf>, WireError> {
    if docs.is_empty() {
        return Ok(Vec::new());
    }
    std::fs::create_dir_all(dir).map_err(|e| failed("keep the context documents", e))?;
    let mut out = Vec::new();
    for (i, (name, bytes)) in docs.iter().enumerate() {
        // Only the last part of the name, and never a name that could leave the folder.
        let base = Path::new(name)
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .filter(|n| !n.starts_with('.'))
            .unwrap_or_else(|| format!("document-{}.tif", i + 1));
        let path = dir.join(base);
        std::fs::write(&path, bytes).map_err(|e| failed("keep the context documents", e))?;
        out.push(path);
    }
    Ok(out)
}

impl Client {
    /// `archive create` through the server: refuses before anything is made if the package's
    /// folder already exists here, then has the server make it and fetches it.
    pub(super) fn create_archive(
        &self,
        out: &Path,
        context_docs: &[PathBuf],
    ) -> Result<ArchiveMade, ApiError> {
        use crate::store::api::Api;
        let refused = |e: ArchiveError| ApiError::from(api::archive_error(e));
        let settings = ArchiveSettings::from_policy(self.policy()).map_err(refused)?;
        let seq = self
            .archive_packages()?
            .iter()
            .map(|p| p.seq + 1)
            .max()
            .unwrap_or(0);
        let target = out.join(folder_name(&settings.package_id(seq)));
        if target.exists() {
            return Err(refused(ArchiveError::Exists(target)));
        }
        let mut docs = Vec::new();
        for doc in context_docs {
            let bytes = std::fs::read(doc).map_err(|e| {
                refused(ArchiveError::Io {
                    path: doc.clone(),
                    source: e,
                })
            })?;
            let name = doc
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            docs.push((name, bytes));
        }
        let (mut made, files) = match self.call_within(
            Request::ArchiveCreate { context_docs: docs },
            LONG_CALL_TIMEOUT,
        )? {
            Answer::ArchiveMade { made, files } => (made, files),
            a => return Err(unexpected(a)),
        };
        made.path = self.fetch_package(&made.id, &files, out, Some(&made.file_index_md5))?;
        Ok(made)
    }

    /// `archive fetch`: a package left in the server's outbox by a fetch that was cut off.
    pub fn fetch_archive(&self, package: &str, out: &Path) -> Result<PathBuf, ApiError> {
        let files = match self.call(Request::ArchiveFiles(package.to_string()))? {
            Answer::ArchiveFiles(f) => f,
            a => return Err(unexpected(a)),
        };
        let id = parse_package_id(package).unwrap_or_else(|| package.to_string());
        self.fetch_package(&id, &files, out, None)
    }

    /// Copies the package's files into `out/.<folder>.partial`, verifies the copy and renames
    /// it into place; then the server drops its own.
    fn fetch_package(
        &self,
        id: &str,
        files: &[(String, u64)],
        out: &Path,
        file_index_md5: Option<&str>,
    ) -> Result<PathBuf, ApiError> {
        let folder = folder_name(id);
        let target = out.join(&folder);
        let tmp = out.join(format!(".{folder}.partial"));
        let io = |path: &Path, e: std::io::Error| {
            ApiError::from(api::archive_error(ArchiveError::Io {
                path: path.to_path_buf(),
                source: e,
            }))
        };
        let kept = || {
            format!(
                "{id} is made and recorded, and waits on the server: `triage archive fetch {id} --out {}` takes it",
                out.display()
            )
        };
        if target.exists() {
            return Err(api::archive_error(ArchiveError::Exists(target)).into());
        }
        std::fs::create_dir_all(out).map_err(|e| io(out, e))?;
        if tmp.exists() {
            std::fs::remove_dir_all(&tmp).map_err(|e| io(&tmp, e))?;
        }
        let copied = (|| {
            for (path, bytes) in files {
                let dest = inside(&tmp, path).map_err(ApiError::from)?;
                if let Some(parent) = dest.parent() {
                    std::fs::create_dir_all(parent).map_err(|e| io(parent, e))?;
                }
                let mut f = std::fs::File::create(&dest).map_err(|e| io(&dest, e))?;
                let mut offset = 0u64;
                while offset < *bytes {
                    let len = PART.min((bytes - offset) as u32);
                    let part = match self.call(Request::ArchivePart {
                        package: id.to_string(),
                        path: path.clone(),
                        offset,
                        len,
                    })? {
                        Answer::Bytes(b) => b,
                        a => return Err(unexpected(a)),
                    };
                    if part.is_empty() {
                        return Err(ApiError::Unavailable(format!(
                            "{path} ended at {offset} of {bytes} bytes on the server"
                        )));
                    }
                    f.write_all(&part).map_err(|e| io(&dest, e))?;
                    offset += part.len() as u64;
                }
                f.sync_all().map_err(|e| io(&dest, e))?;
            }
            crate::archive::verify::verify_as(&tmp, &folder).map_err(|p| {
                ApiError::from(api::archive_error(ArchiveError::Verify(format!(
                    "the copy here: {p}"
                ))))
            })?;
            if let Some(md5) = file_index_md5 {
                let index = tmp.join("Indices").join("fileIndex.xml");
                let got = crate::archive::xml::md5_file(&index).map_err(|e| io(&index, e))?;
                if got != md5 {
                    return Err(ApiError::from(api::archive_error(ArchiveError::Verify(
                        "the copy here is not the package the server recorded (its fileIndex.xml differs)"
                            .into(),
                    ))));
                }
            }
            crate::archive::xml::sync_filesystem(&tmp).map_err(|e| io(&tmp, e))?;
            std::fs::rename(&tmp, &target).map_err(|e| io(&target, e))
        })();
        if let Err(e) = copied {
            let _ = std::fs::remove_dir_all(&tmp);
            return Err(ApiError::Unavailable(format!("{e}; {}", kept())));
        }
        if let Ok(d) = std::fs::File::open(out) {
            let _ = d.sync_all();
        }
        match self.call(Request::ArchiveFetched(id.to_string()))? {
            Answer::Done => Ok(target),
            a => Err(unexpected(a)),
        }
    }
}
