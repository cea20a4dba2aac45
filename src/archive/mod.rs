//! Archival versions for the State Archives (SIARD-DK, Executive Order 128/2020): write, verify, approve.

pub mod create;
pub mod index_check;
pub mod indices;
pub mod pages;
pub mod receipt;
pub mod registry;
pub mod table_check;
pub mod table_writer;
pub mod tables;
pub mod verify;
pub mod xml;

use crate::domain::policy::Policy;
use std::path::PathBuf;

/// The published schemas, shipped in `data/siarddk-128/` and copied into every package.
pub const STANDARD_SCHEMAS: &[(&str, &[u8])] = &[
    (
        "archiveIndex.xsd",
        include_bytes!("../../data/siarddk-128/archiveIndex.xsd"),
    ),
    (
        "contextDocumentationIndex.xsd",
        include_bytes!("../../data/siarddk-128/contextDocumentationIndex.xsd"),
    ),
    (
        "docIndex.xsd",
        include_bytes!("../../data/siarddk-128/docIndex.xsd"),
    ),
    (
        "fileIndex.xsd",
        include_bytes!("../../data/siarddk-128/fileIndex.xsd"),
    ),
    (
        "researchIndex.xsd",
        include_bytes!("../../data/siarddk-128/researchIndex.xsd"),
    ),
    (
        "tableIndex.xsd",
        include_bytes!("../../data/siarddk-128/tableIndex.xsd"),
    ),
    (
        "XMLSchema.xsd",
        include_bytes!("../../data/siarddk-128/XMLSchema.xsd"),
    ),
];

#[derive(Debug, thiserror::Error)]
pub enum ArchiveError {
    #[error("the policy's [archive] section lacks {0}; add it (see demo-data/policy.toml) and install the policy again")]
    Policy(String),
    #[error("no closed case is due for an archival version as of {0}: no archive period has ended for a case not yet packaged")]
    NothingDue(chrono::NaiveDate),
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{0} already exists; move it away or choose another --out")]
    Exists(PathBuf),
    #[error("the context document {path} is not a TIFF file (the order wants TIFF)")]
    NotTiff { path: PathBuf },
    #[error("{0}")]
    Render(String),
    #[error("no archival version {0} was made from this store (`triage archive list` shows those that were)")]
    UnknownPackage(String),
    #[error("approval date {approved} is before the package {package} was made ({created})")]
    ApprovedBeforeCreated {
        package: String,
        approved: chrono::NaiveDate,
        created: chrono::NaiveDate,
    },
    #[error("approval date {approved} is in the future (today is {today})")]
    ApprovedInFuture {
        approved: chrono::NaiveDate,
        today: chrono::NaiveDate,
    },
    #[error("{package} was already approved on {approved}")]
    AlreadyApproved {
        package: String,
        approved: chrono::NaiveDate,
    },
    #[error("the package fails verification: {0}")]
    Verify(String),
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
    #[error(transparent)]
    Api(#[from] crate::store::api_error::ApiError),
}

pub fn io(path: &std::path::Path) -> impl FnOnce(std::io::Error) -> ArchiveError + '_ {
    move |source| ArchiveError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// What the policy's `[archive]` section says about the archival version.
#[derive(Debug, Clone)]
pub struct ArchiveSettings {
    /// The archive's code: AVID.<code>.<number>.
    pub code: String,
    pub first_number: u64,
    pub system_name: String,
    pub system_purpose: String,
    pub system_content: String,
    pub creator: String,
    pub personal_data_restricted: bool,
    pub other_access_restrictions: bool,
}

impl ArchiveSettings {
    /// The settings, or which key is missing or wrong.
    pub fn from_policy(policy: &Policy) -> Result<ArchiveSettings, ArchiveError> {
        let a = &policy.archive;
        let need = |v: &Option<String>, key: &str| -> Result<String, ArchiveError> {
            match v.as_deref().map(str::trim) {
                Some(s) if !s.is_empty() => Ok(s.to_string()),
                _ => Err(ArchiveError::Policy(format!("`{key}`"))),
            }
        };
        let code = need(&a.archive_code, "archive_code")?;
        if !(2..=4).contains(&code.chars().count())
            || !code
                .chars()
                .all(|c| c.is_ascii_uppercase() || "ÆØÅ".contains(c))
        {
            return Err(ArchiveError::Policy(format!(
                "a valid `archive_code` (2 to 4 capital letters A–Å, not `{code}`)"
            )));
        }
        let first_number = match a.first_avid_number {
            Some(n) if n >= 1 => n,
            _ => {
                return Err(ArchiveError::Policy(
                    "`first_avid_number` (1 or more)".into(),
                ))
            }
        };
        Ok(ArchiveSettings {
            code,
            first_number,
            system_name: need(&a.system_name, "system_name")?,
            system_purpose: need(&a.system_purpose, "system_purpose")?,
            system_content: need(&a.system_content, "system_content")?,
            creator: a
                .creator
                .clone()
                .filter(|c| !c.trim().is_empty())
                .unwrap_or_else(|| policy.authority.name_da.clone()),
            personal_data_restricted: a.personal_data_restricted.ok_or_else(|| {
                ArchiveError::Policy("`personal_data_restricted` (true or false)".into())
            })?,
            other_access_restrictions: a.other_access_restrictions.ok_or_else(|| {
                ArchiveError::Policy("`other_access_restrictions` (true or false)".into())
            })?,
        })
    }

    /// The package id for running number `n` (0 for the first package).
    pub fn package_id(&self, n: u64) -> String {
        format!("AVID.{}.{}", self.code, self.first_number + n)
    }
}

/// The folder name of the package's first (only) medium.
pub fn folder_name(package_id: &str) -> String {
    format!("{package_id}.1")
}

/// The package id of a folder or id the user typed (`AVID.SA.18000` or `AVID.SA.18000.1`).
pub fn parse_package_id(s: &str) -> Option<String> {
    let s = s.trim().trim_end_matches('/');
    let name = std::path::Path::new(s).file_name()?.to_str()?;
    let parts: Vec<&str> = name.split('.').collect();
    let ok_code = |c: &str| {
        (2..=4).contains(&c.chars().count())
            && c.chars()
                .all(|c| c.is_ascii_uppercase() || "ÆØÅ".contains(c))
    };
    let ok_num =
        |n: &str| !n.is_empty() && !n.starts_with('0') && n.bytes().all(|b| b.is_ascii_digit());
    match parts.as_slice() {
        ["AVID", code, num] | ["AVID", code, num, _] if ok_code(code) && ok_num(num) => {
            Some(format!("AVID.{code}.{num}"))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn package_ids_are_read_from_ids_and_folders() {
        assert_eq!(
            parse_package_id("AVID.SA.18000").as_deref(),
            Some("AVID.SA.18000")
        );
        assert_eq!(
            parse_package_id("/tmp/out/AVID.SA.18000.1/").as_deref(),
            Some("AVID.SA.18000")
        );
        assert_eq!(parse_package_id("AVID.sa.18000"), None);
        assert_eq!(parse_package_id("AVID.SA.018000"), None);
        assert_eq!(parse_package_id("SA.18000"), None);
    }

    #[test]
    fn the_shipped_archive_index_schema_has_its_tab_removed_and_nothing_else() {
        let (_, bytes) = STANDARD_SCHEMAS[0];
        let text = std::str::from_utf8(bytes).unwrap();
        assert!(text.contains("version=\"0.9.6\" id=\"archiveIndex\""));
        assert!(!text.contains("0.9.6\t"));
    }
}
