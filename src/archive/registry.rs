//! Which archival versions this store has made, which cases each holds, and which are approved.
//!
//! Kept in the store's `meta` tree (so backups and restores carry it) under `archive/` keys.

use super::ArchiveError;
use crate::domain::enquiry::Reference;
use crate::domain::handover::ArchiveState;
use crate::store::{codec, ref_key, Store, StoreError};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

const PACKAGE: &[u8] = b"archive/package/";
const CASE: &[u8] = b"archive/case/";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PackageRecord {
    pub id: String,
    /// Running number from 0: the AVID number is the policy's first number plus this.
    pub seq: u64,
    pub created: NaiveDate,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub cases: u64,
    pub file_index_md5: String,
    pub approved: Option<NaiveDate>,
}

fn key(prefix: &[u8], rest: &[u8]) -> Vec<u8> {
    let mut k = prefix.to_vec();
    k.extend_from_slice(rest);
    k
}

fn corrupt(what: &str, e: codec::CodecError) -> StoreError {
    StoreError::Corrupt {
        what: what.into(),
        source: e,
    }
}

/// Every package made, oldest first.
pub fn packages(store: &Store) -> Result<Vec<PackageRecord>, StoreError> {
    let meta = store.raw_tree("meta")?;
    meta.scan_prefix(PACKAGE)
        .map(|kv| {
            let (_, v) = kv?;
            codec::decode(&v).map_err(|e| corrupt("an archive package record", e))
        })
        .collect()
}

pub fn package(store: &Store, id: &str) -> Result<PackageRecord, ArchiveError> {
    packages(store)?
        .into_iter()
        .find(|p| p.id == id)
        .ok_or_else(|| ArchiveError::UnknownPackage(id.to_string()))
}

pub fn save(store: &Store, p: &PackageRecord) -> Result<(), StoreError> {
    let meta = store.raw_tree("meta")?;
    let bytes = codec::encode(p).map_err(|e| corrupt("an archive package record", e))?;
    meta.insert(key(PACKAGE, &p.seq.to_be_bytes()), bytes)?;
    store.flush()
}

/// Notes that `case` is in package number `seq`.
pub fn mark_case(store: &Store, case: Reference, seq: u64) -> Result<(), StoreError> {
    let meta = store.raw_tree("meta")?;
    meta.insert(key(CASE, &ref_key(case)), &seq.to_be_bytes())?;
    Ok(())
}

/// The running number of the package holding `case`, if any.
pub fn case_package(store: &Store, case: Reference) -> Result<Option<u64>, StoreError> {
    let meta = store.raw_tree("meta")?;
    Ok(meta
        .get(key(CASE, &ref_key(case)))?
        .and_then(|v| <[u8; 8]>::try_from(v.as_ref()).ok())
        .map(u64::from_be_bytes))
}

/// Every packaged case with its package's running number, in reference order.
pub fn packaged_cases(store: &Store) -> impl Iterator<Item = Result<(Reference, u64), StoreError>> {
    let meta = store.raw_tree("meta");
    let iter = meta.map(|m| m.scan_prefix(CASE));
    let (ok, err) = match iter {
        Ok(i) => (Some(i), None),
        Err(e) => (None, Some(e)),
    };
    err.into_iter()
        .map(Err)
        .chain(ok.into_iter().flatten().filter_map(|kv| {
            let (k, v) = match kv {
                Ok(kv) => kv,
                Err(e) => return Some(Err(e.into())),
            };
            let r = crate::store::ref_from_key(&k[CASE.len()..])?;
            let seq = u64::from_be_bytes(<[u8; 8]>::try_from(v.as_ref()).ok()?);
            Some(Ok((r, seq)))
        }))
}

/// What the archive says of one case, for the retention decision.
pub fn archived(store: &Store, case: Reference) -> Result<ArchiveState, StoreError> {
    let Some(seq) = case_package(store, case)? else {
        return Ok(ArchiveState::NotPackaged);
    };
    let meta = store.raw_tree("meta")?;
    let record: Option<PackageRecord> = meta
        .get(key(PACKAGE, &seq.to_be_bytes()))?
        .map(|v| codec::decode(&v).map_err(|e| corrupt("an archive package record", e)))
        .transpose()?;
    Ok(match record.and_then(|p| p.approved) {
        Some(d) => ArchiveState::Approved(d),
        None => ArchiveState::Packaged,
    })
}
