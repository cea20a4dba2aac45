//! The package's Indices/*.xml, written in the element order the archives' schemas prescribe.

use super::tables::TABLES;
use super::xml::{esc, DIARK_NS, XSI_NS};
use super::ArchiveSettings;
use chrono::NaiveDate;
use std::fmt::Write as _;

fn head(root: &str, schema: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<{root} xmlns=\"{DIARK_NS}\" xmlns:xsi=\"{XSI_NS}\" \
         xsi:schemaLocation=\"{DIARK_NS} ../Schemas/standard/{schema}\">\n"
    )
}

fn el(out: &mut String, indent: usize, name: &str, value: &str) {
    let _ = writeln!(out, "{:indent$}<{name}>{}</{name}>", "", esc(value));
}

fn flag(out: &mut String, name: &str, value: bool) {
    el(out, 2, name, if value { "true" } else { "false" });
}

/// What archiveIndex.xml says about one package.
pub struct ArchiveFacts<'a> {
    pub id: &'a str,
    pub period: (NaiveDate, NaiveDate),
    pub creation: (NaiveDate, NaiveDate),
    pub cpr: bool,
}

pub fn archive_index(s: &ArchiveSettings, f: &ArchiveFacts) -> String {
    let mut o = head("archiveIndex", "archiveIndex.xsd");
    let date = |d: NaiveDate| d.format("%Y-%m-%d").to_string();
    el(&mut o, 2, "archiveInformationPackageID", f.id);
    el(&mut o, 2, "archivePeriodStart", &date(f.period.0));
    el(&mut o, 2, "archivePeriodEnd", &date(f.period.1));
    // A periodic delivery, not the system's final one.
    flag(&mut o, "archiveInformationPacketType", false);
    o.push_str("  <archiveCreatorList>\n");
    el(&mut o, 4, "creatorName", &s.creator);
    el(&mut o, 4, "creationPeriodStart", &date(f.creation.0));
    el(&mut o, 4, "creationPeriodEnd", &date(f.creation.1));
    o.push_str("  </archiveCreatorList>\n");
    // Cases are delivered by archive period.
    flag(&mut o, "archiveType", true);
    el(&mut o, 2, "systemName", &s.system_name);
    el(&mut o, 2, "systemPurpose", &s.system_purpose);
    el(&mut o, 2, "systemContent", &s.system_content);
    flag(&mut o, "regionNum", false);
    flag(&mut o, "komNum", false);
    flag(&mut o, "cprNum", f.cpr);
    flag(&mut o, "cvrNum", false);
    flag(&mut o, "matrikNum", false);
    flag(&mut o, "bbrNum", false);
    flag(&mut o, "whoSygKod", false);
    flag(&mut o, "containsDigitalDocuments", false);
    flag(&mut o, "containsGeodata", false);
    flag(&mut o, "containsResearchData", false);
    flag(&mut o, "researchSIP", false);
    flag(&mut o, "documentsDisposal", false);
    flag(&mut o, "searchRelatedOtherRecords", false);
    // The system has cases (sager): every row belongs to one.
    flag(&mut o, "systemFileConcept", true);
    flag(&mut o, "multipleDataCollection", false);
    flag(
        &mut o,
        "personalDataRestrictedInfo",
        s.personal_data_restricted,
    );
    flag(
        &mut o,
        "otherAccessTypeRestrictions",
        s.other_access_restrictions,
    );
    el(&mut o, 2, "archiveApproval", &s.code);
    o.push_str("</archiveIndex>\n");
    o
}

/// What was written for one table: rows and the longest text per column.
#[derive(Debug, Clone, Default)]
pub struct TableStats {
    pub rows: u64,
    pub max_chars: Vec<usize>,
}

pub fn table_index(stats: &[TableStats]) -> String {
    let mut o = head("siardDiark", "tableIndex.xsd");
    el(&mut o, 2, "version", "1.0");
    el(&mut o, 2, "dbName", "triage");
    el(
        &mut o,
        2,
        "databaseProduct",
        concat!("triage ", env!("CARGO_PKG_VERSION"), " (sled)"),
    );
    o.push_str("  <tables>\n");
    for (i, (t, st)) in TABLES.iter().zip(stats).enumerate() {
        o.push_str("    <table>\n");
        el(&mut o, 6, "name", t.name);
        el(&mut o, 6, "folder", &format!("table{}", i + 1));
        el(&mut o, 6, "description", t.description);
        o.push_str("      <columns>\n");
        for (j, c) in t.columns.iter().enumerate() {
            o.push_str("        <column>\n");
            el(&mut o, 10, "name", c.name);
            el(&mut o, 10, "columnID", &format!("c{}", j + 1));
            el(
                &mut o,
                10,
                "type",
                &c.ty.sql(st.max_chars.get(j).copied().unwrap_or(1)),
            );
            el(
                &mut o,
                10,
                "nullable",
                if c.nullable { "true" } else { "false" },
            );
            el(&mut o, 10, "description", c.description);
            if let Some(f) = c.function {
                el(&mut o, 10, "functionalDescription", f);
            }
            o.push_str("        </column>\n");
        }
        o.push_str("      </columns>\n      <primaryKey>\n");
        el(&mut o, 8, "name", &format!("pk_{}", t.name));
        for k in t.primary_key {
            el(&mut o, 8, "column", k);
        }
        o.push_str("      </primaryKey>\n");
        if !t.foreign_keys.is_empty() {
            o.push_str("      <foreignKeys>\n");
            for fk in t.foreign_keys {
                o.push_str("        <foreignKey>\n");
                el(&mut o, 10, "name", &format!("{}_{}", fk.name, t.name));
                el(&mut o, 10, "referencedTable", fk.table);
                for (here, there) in fk.columns {
                    o.push_str("          <reference>\n");
                    el(&mut o, 12, "column", here);
                    el(&mut o, 12, "referenced", there);
                    o.push_str("          </reference>\n");
                }
                o.push_str("        </foreignKey>\n");
            }
            o.push_str("      </foreignKeys>\n");
        }
        el(&mut o, 6, "rows", &st.rows.to_string());
        o.push_str("    </table>\n");
    }
    o.push_str("  </tables>\n</siardDiark>\n");
    o
}

/// One document of ContextDocumentation, and which category of the index it belongs to.
pub struct ContextDoc {
    pub id: u32,
    pub title: String,
    pub description: String,
    pub date: NaiveDate,
    pub institution: String,
    /// (category element, its flags in schema order)
    pub category: (&'static str, &'static [&'static str]),
}

pub fn context_documentation_index(docs: &[ContextDoc]) -> String {
    let mut o = head("contextDocumentationIndex", "contextDocumentationIndex.xsd");
    for d in docs {
        o.push_str("  <document>\n");
        el(&mut o, 4, "documentID", &d.id.to_string());
        el(&mut o, 4, "documentTitle", &d.title);
        el(&mut o, 4, "documentDescription", &d.description);
        el(
            &mut o,
            4,
            "documentDate",
            &d.date.format("%Y-%m-%d").to_string(),
        );
        o.push_str("    <documentAuthor>\n");
        el(&mut o, 6, "authorInstitution", &d.institution);
        o.push_str("    </documentAuthor>\n    <documentCategory>\n");
        let _ = writeln!(o, "      <{}>", d.category.0);
        for f in d.category.1 {
            el(&mut o, 8, f, "true");
        }
        let _ = writeln!(o, "      </{}>", d.category.0);
        o.push_str("    </documentCategory>\n  </document>\n");
    }
    o.push_str("</contextDocumentationIndex>\n");
    o
}

/// One entry of fileIndex.xml: folder as `AVID.X.N.1\Tables\table1`, file name, MD5.
pub struct FileEntry {
    pub folder: String,
    pub name: String,
    pub md5: String,
}

pub fn file_index(files: &[FileEntry]) -> String {
    let mut o = head("fileIndex", "fileIndex.xsd");
    for f in files {
        o.push_str("  <f>\n");
        el(&mut o, 4, "foN", &f.folder);
        el(&mut o, 4, "fiN", &f.name);
        el(&mut o, 4, "md5", &f.md5);
        o.push_str("  </f>\n");
    }
    o.push_str("</fileIndex>\n");
    o
}
