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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::command::{Change, Command, Event};

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    /// The archive's events and package record, pinned: the new Command variants sit after
    /// every older one, so old stores decode unchanged. If this fails, a stored shape changed.
    #[test]
    fn golden_bytes_of_the_archive_events_and_package_record() {
        let at = chrono::DateTime::parse_from_rfc3339("2027-02-01T09:00:00Z")
            .unwrap()
            .with_timezone(&chrono::Utc);
        let day = |s: &str| s.parse::<NaiveDate>().unwrap();
        let packaged = Event {
            version: 9,
            at,
            actor: "dpo".into(),
            change: Change::Command(Command::Package {
                package: "AVID.SA.18000".into(),
                file_index_md5: "CFCF29ED4CA5AE1048A321661BEBC807".into(),
            }),
        };
        let approved = Event {
            version: 10,
            at,
            actor: "dpo".into(),
            change: Change::Command(Command::ArchiveApproved {
                package: "AVID.SA.18000".into(),
                approved: day("2027-02-20"),
            }),
        };
        let record = PackageRecord {
            id: "AVID.SA.18000".into(),
            seq: 0,
            created: day("2027-02-01"),
            period_start: day("2022-01-01"),
            period_end: day("2026-12-31"),
            cases: 92,
            file_index_md5: "CFCF29ED4CA5AE1048A321661BEBC807".into(),
            approved: Some(day("2027-02-20")),
        };
        let actual = [
            hex(&codec::encode(&packaged).unwrap()),
            hex(&codec::encode(&approved).unwrap()),
            hex(&codec::encode(&record).unwrap()),
        ];
        assert_eq!(actual, [GOLDEN_PACKAGED, GOLDEN_APPROVED, GOLDEN_RECORD]);
        assert_eq!(
            codec::decode::<Event>(&codec::encode(&packaged).unwrap()).unwrap(),
            packaged
        );
        assert_eq!(
            codec::decode::<Event>(&codec::encode(&approved).unwrap()).unwrap(),
            approved
        );
        assert_eq!(
            codec::decode::<PackageRecord>(&codec::encode(&record).unwrap()).unwrap(),
            record
        );
    }

    const GOLDEN_PACKAGED: &str = "010914323032372d30322d30315430393a30303a30305a0364706f01130d415649442e53412e3138303030204346434632394544344341354145313034384133323136363142454243383037";
    const GOLDEN_APPROVED: &str = "010a14323032372d30322d30315430393a30303a30305a0364706f01140d415649442e53412e31383030300a323032372d30322d3230";
    const GOLDEN_RECORD: &str = "010d415649442e53412e3138303030000a323032372d30322d30310a323032322d30312d30310a323032362d31322d33315c204346434632394544344341354145313034384133323136363142454243383037010a323032372d30322d3230";
}
