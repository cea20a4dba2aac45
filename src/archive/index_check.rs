//! The index files read against the archives' schemas: element order, required elements, types.

use super::verify::Problem;
use super::xml::DIARK_NS;
use roxmltree::{Document, Node};

fn problem<T>(s: impl Into<String>) -> Result<T, Problem> {
    Err(Problem(s.into()))
}

fn parse(text: &str) -> Result<Document<'_>, Problem> {
    Document::parse(text).map_err(|e| Problem(format!("not well-formed XML: {e}")))
}

/// The element children of a node, read in order against the schema's sequence.
struct Seq<'a, 'i> {
    kids: Vec<Node<'a, 'i>>,
    pos: usize,
    within: String,
}

impl<'a, 'i> Seq<'a, 'i> {
    fn of(node: Node<'a, 'i>) -> Result<Seq<'a, 'i>, Problem> {
        let kids: Vec<Node> = node.children().filter(|n| n.is_element()).collect();
        for k in &kids {
            if k.tag_name().namespace() != node.tag_name().namespace() {
                return problem(format!(
                    "<{}> in <{}> is not in the namespace {}",
                    k.tag_name().name(),
                    node.tag_name().name(),
                    node.tag_name().namespace().unwrap_or("(none)")
                ));
            }
        }
        if node
            .children()
            .any(|n| n.is_text() && !n.text().unwrap_or("").trim().is_empty())
        {
            return problem(format!(
                "<{}> holds text outside its elements",
                node.tag_name().name()
            ));
        }
        Ok(Seq {
            kids,
            pos: 0,
            within: node.tag_name().name().to_string(),
        })
    }

    fn opt(&mut self, name: &str) -> Option<Node<'a, 'i>> {
        let k = *self.kids.get(self.pos)?;
        if k.tag_name().name() == name {
            self.pos += 1;
            Some(k)
        } else {
            None
        }
    }

    fn one(&mut self, name: &str) -> Result<Node<'a, 'i>, Problem> {
        self.opt(name).map_or_else(
            || {
                let found = self
                    .kids
                    .get(self.pos)
                    .map(|k| format!("<{}>", k.tag_name().name()))
                    .unwrap_or_else(|| "the end".into());
                problem(format!(
                    "<{}> expected in <{}>, found {found}",
                    name, self.within
                ))
            },
            Ok,
        )
    }

    fn many(&mut self, name: &str) -> Vec<Node<'a, 'i>> {
        std::iter::from_fn(|| self.opt(name)).collect()
    }

    fn end(&self) -> Result<(), Problem> {
        match self.kids.get(self.pos) {
            None => Ok(()),
            Some(k) => problem(format!(
                "unexpected <{}> in <{}>",
                k.tag_name().name(),
                self.within
            )),
        }
    }
}

fn text<'a>(n: Node<'a, '_>) -> &'a str {
    n.text().unwrap_or("")
}

fn leaf<'a>(n: Node<'a, '_>) -> Result<&'a str, Problem> {
    if n.children().any(|c| c.is_element()) {
        return problem(format!(
            "<{}> must hold text, not elements",
            n.tag_name().name()
        ));
    }
    Ok(text(n))
}

fn typed(n: Node, ok: fn(&str) -> bool, what: &str) -> Result<(), Problem> {
    let v = leaf(n)?;
    if ok(v.trim()) && (what == "text" || v == v.trim()) {
        Ok(())
    } else {
        problem(format!("<{}> `{v}` is not {what}", n.tag_name().name()))
    }
}

pub fn is_bool(s: &str) -> bool {
    matches!(s, "true" | "false" | "1" | "0")
}

fn is_nonempty(s: &str) -> bool {
    !s.is_empty()
}

pub fn is_date(s: &str) -> bool {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").is_ok() && s.len() == 10
}

/// y_ym_ymdDatoType: a year, a year-month or a date from 1700 to 2100.
fn is_archive_date(s: &str) -> bool {
    let year_ok =
        |y: &str| y.len() == 4 && y.parse::<u32>().is_ok_and(|y| (1700..=2100).contains(&y));
    match s.len() {
        4 => year_ok(s),
        7 => {
            year_ok(&s[..4])
                && &s[4..5] == "-"
                && s[5..].parse::<u32>().is_ok_and(|m| (1..=12).contains(&m))
        }
        10 => is_date(s) && year_ok(&s[..4]),
        _ => false,
    }
}

fn is_code(s: &str) -> bool {
    (2..=4).contains(&s.chars().count())
        && s.chars()
            .all(|c| c.is_ascii_uppercase() || "ÆØÅ".contains(c))
}

fn root<'a, 'i>(doc: &'a Document<'i>, name: &str) -> Result<Node<'a, 'i>, Problem> {
    let r = doc.root_element();
    if r.tag_name().name() != name || r.tag_name().namespace() != Some(DIARK_NS) {
        return problem(format!(
            "the root element is <{}> in {}, expected <{name}> in {DIARK_NS}",
            r.tag_name().name(),
            r.tag_name().namespace().unwrap_or("no namespace")
        ));
    }
    Ok(r)
}

pub fn parse_file_index(text_: &str, folder: &str) -> Result<Vec<(String, String)>, Problem> {
    let at = |p: Problem| Problem(format!("{folder}\\Indices\\fileIndex.xml: {}", p.0));
    let doc = parse(text_).map_err(at)?;
    let r = root(&doc, "fileIndex").map_err(at)?;
    let mut seq = Seq::of(r).map_err(at)?;
    let fs = seq.many("f");
    seq.end().map_err(at)?;
    if fs.is_empty() {
        return Err(at(Problem("no <f> entries".into())));
    }
    let mut out = Vec::new();
    for f in fs {
        let mut s = Seq::of(f).map_err(at)?;
        let fo = leaf(s.one("foN").map_err(at)?).map_err(at)?;
        let fi = leaf(s.one("fiN").map_err(at)?).map_err(at)?;
        let md5 = leaf(s.one("md5").map_err(at)?).map_err(at)?;
        s.end().map_err(at)?;
        let Some(rel_folder) = fo.strip_prefix(folder).and_then(|r| r.strip_prefix('\\')) else {
            return Err(at(Problem(format!("folder `{fo}` is not inside {folder}"))));
        };
        if !folder_ok(rel_folder) {
            return Err(at(Problem(format!(
                "folder `{fo}` is not a folder the schema allows"
            ))));
        }
        if !file_name_ok(fi) {
            return Err(at(Problem(format!(
                "file name `{fi}` is not one the schema allows"
            ))));
        }
        if md5.len() != 32 || !md5.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(at(Problem(format!("`{md5}` for {fo}\\{fi} is not an MD5"))));
        }
        out.push((format!("{rel_folder}\\{fi}"), md5.to_string()));
    }
    Ok(out)
}

fn number(s: &str) -> bool {
    !s.is_empty() && !s.starts_with('0') && s.len() <= 12 && s.bytes().all(|b| b.is_ascii_digit())
}

fn folder_ok(rel: &str) -> bool {
    let parts: Vec<&str> = rel.split('\\').collect();
    match parts.as_slice() {
        ["Indices"] => true,
        ["Schemas", "standard" | "localShared"] => true,
        ["Tables", t] => t.strip_prefix("table").is_some_and(number),
        ["ContextDocumentation" | "Documents", c, d] => {
            c.strip_prefix("docCollection")
                .is_some_and(|n| number(n) && n.parse::<u32>().is_ok_and(|n| n <= 10_000))
                && number(d)
        }
        _ => false,
    }
}

fn file_name_ok(name: &str) -> bool {
    const FIXED: &[&str] = &[
        "archiveIndex.xml",
        "docIndex.xml",
        "contextDocumentationIndex.xml",
        "fileIndex.xml",
        "tableIndex.xml",
        "researchIndex.xml",
        "archiveIndex.xsd",
        "docIndex.xsd",
        "contextDocumentationIndex.xsd",
        "fileIndex.xsd",
        "tableIndex.xsd",
        "researchIndex.xsd",
        "XMLSchema.xsd",
    ];
    if FIXED.contains(&name) {
        return true;
    }
    let Some((stem, ext)) = name.rsplit_once('.') else {
        return false;
    };
    if let Some(n) = stem.strip_prefix("table") {
        return number(n) && matches!(ext, "xml" | "XML" | "xsd" | "XSD");
    }
    number(stem)
        && matches!(
            ext.to_ascii_lowercase().as_str(),
            "tif" | "mp3" | "mpg" | "jp2" | "gml" | "xsd" | "wav"
        )
}

pub fn check_archive_index(text_: &str, folder: &str) -> Result<(), Problem> {
    let doc = parse(text_)?;
    let r = root(&doc, "archiveIndex")?;
    let mut s = Seq::of(r)?;
    let id = s.one("archiveInformationPackageID")?;
    let expected = super::parse_package_id(folder).unwrap_or_default();
    if leaf(id)? != expected {
        return problem(format!(
            "archiveInformationPackageID `{}` does not match the folder {folder}",
            text(id)
        ));
    }
    for prev in s.many("archiveInformationPackageIDPrevious") {
        typed(
            prev,
            |v| {
                super::parse_package_id(v).is_some()
                    || (v.len() == 8 && v.bytes().all(|b| b.is_ascii_digit()))
            },
            "a package id",
        )?;
    }
    typed(s.one("archivePeriodStart")?, is_archive_date, "a date")?;
    typed(s.one("archivePeriodEnd")?, is_archive_date, "a date")?;
    if let Some(d) = s.opt("documentPeriodStart") {
        typed(d, is_archive_date, "a date")?;
        typed(s.one("documentPeriodEnd")?, is_archive_date, "a date")?;
    }
    typed(s.one("archiveInformationPacketType")?, is_bool, "a boolean")?;
    let creators = s.one("archiveCreatorList")?;
    let mut c = Seq::of(creators)?;
    loop {
        typed(c.one("creatorName")?, is_nonempty, "text")?;
        typed(c.one("creationPeriodStart")?, is_archive_date, "a date")?;
        typed(c.one("creationPeriodEnd")?, is_archive_date, "a date")?;
        if c.kids.get(c.pos).is_none() {
            break;
        }
    }
    typed(s.one("archiveType")?, is_bool, "a boolean")?;
    if let Some(n) = s.opt("archiveTypeClosedFiles") {
        typed(n, is_bool, "a boolean")?;
    }
    typed(s.one("systemName")?, is_nonempty, "text")?;
    for n in s.many("alternativeName") {
        typed(n, is_nonempty, "text")?;
    }
    typed(s.one("systemPurpose")?, is_nonempty, "text")?;
    typed(s.one("systemContent")?, is_nonempty, "text")?;
    for name in [
        "regionNum",
        "komNum",
        "cprNum",
        "cvrNum",
        "matrikNum",
        "bbrNum",
        "whoSygKod",
    ] {
        typed(s.one(name)?, is_bool, "a boolean")?;
    }
    for name in ["sourceName", "userName", "predecessorName"] {
        for n in s.many(name) {
            typed(n, is_nonempty, "text")?;
        }
    }
    if s.opt("form").is_some() {
        // Not written by this project; its inner structure is left to xmllint.
    }
    for name in [
        "containsDigitalDocuments",
        "containsGeodata",
        "containsResearchData",
        "researchSIP",
        "documentsDisposal",
        "searchRelatedOtherRecords",
    ] {
        typed(s.one(name)?, is_bool, "a boolean")?;
    }
    for n in s.many("relatedRecordsName") {
        typed(n, is_nonempty, "text")?;
    }
    for name in [
        "systemFileConcept",
        "multipleDataCollection",
        "personalDataRestrictedInfo",
        "otherAccessTypeRestrictions",
    ] {
        typed(s.one(name)?, is_bool, "a boolean")?;
    }
    typed(
        s.one("archiveApproval")?,
        is_code,
        "an archive code (2-4 capitals)",
    )?;
    s.opt("archiveRestrictions");
    s.end()
}

/// The document ids the index lists.
pub fn check_context_index(text_: &str) -> Result<Vec<String>, Problem> {
    let doc = parse(text_)?;
    let r = root(&doc, "contextDocumentationIndex")?;
    let mut s = Seq::of(r)?;
    let docs = s.many("document");
    s.end()?;
    if docs.is_empty() {
        return problem("no <document>");
    }
    let mut ids = Vec::new();
    for d in docs {
        let mut s = Seq::of(d)?;
        let id = s.one("documentID")?;
        typed(id, number, "a document number")?;
        ids.push(text(id).to_string());
        typed(s.one("documentTitle")?, is_nonempty, "text")?;
        if let Some(n) = s.opt("documentDescription") {
            typed(n, is_nonempty, "text")?;
        }
        if let Some(n) = s.opt("documentDate") {
            typed(n, is_archive_date, "a date")?;
        }
        for a in s.many("documentAuthor") {
            let mut a = Seq::of(a)?;
            if let Some(n) = a.opt("authorName") {
                typed(n, is_nonempty, "text")?;
            }
            if let Some(n) = a.opt("authorInstitution") {
                typed(n, is_nonempty, "text")?;
            }
            a.end()?;
        }
        let cat = s.one("documentCategory")?;
        s.end()?;
        let mut c = Seq::of(cat)?;
        const GROUPS: &[(&str, &[&str])] = &[
            (
                "systemInformation",
                &[
                    "systemPurpose",
                    "systemRegulations",
                    "systemContent",
                    "systemAdministrativeFunctions",
                    "systemPresentationStructure",
                    "systemDataProvision",
                    "systemDataTransfer",
                    "systemPreviousSubsequentFunctions",
                    "systemAgencyQualityControl",
                    "systemPublication",
                    "systemInformationOther",
                    "systemTaxonomy",
                    "systemInstruction",
                ],
            ),
            (
                "operationalInformation",
                &[
                    "operationalSystemInformation",
                    "operationalSystemConvertedInformation",
                    "operationalSystemSOA",
                    "operationalSystemInformationOther",
                ],
            ),
            (
                "submissionInformation",
                &[
                    "archivalProvisions",
                    "archivalTransformationInformation",
                    "archivalInformationOther",
                ],
            ),
            (
                "ingestInformation",
                &[
                    "archivistNotes",
                    "archivalTestNotes",
                    "archivalInformationOther",
                ],
            ),
            (
                "archivalPreservationInformation",
                &["archivalMigrationInformation", "archivalInformationOther"],
            ),
            ("informationOther", &["informationOther"]),
            (
                "researchInformation",
                &[
                    "researchProjectDescription",
                    "researchQuestionnaire",
                    "researchProtocol",
                    "researchPublication",
                    "researchInformationOther",
                ],
            ),
        ];
        for (group, flags) in GROUPS {
            if let Some(g) = c.opt(group) {
                let mut f = Seq::of(g)?;
                for flag in *flags {
                    if *group == "informationOther" {
                        typed(f.one(flag)?, is_bool, "a boolean")?;
                    } else if let Some(n) = f.opt(flag) {
                        typed(n, is_bool, "a boolean")?;
                    }
                }
                f.end()?;
            }
        }
        c.end()?;
    }
    Ok(ids)
}

pub struct ColumnSpec {
    pub xsd: &'static str,
    pub nullable: bool,
    /// VARCHAR(n): the most characters a value may have.
    pub max_chars: Option<usize>,
}

pub struct TableSpec {
    pub name: String,
    pub folder: String,
    pub columns: Vec<ColumnSpec>,
    pub rows: u64,
}

fn sql_type(t: &str) -> Option<(&'static str, Option<usize>)> {
    let t = t.trim();
    let upper = t.to_ascii_uppercase();
    let len = || -> Option<usize> {
        let inner = upper.split_once('(')?.1.strip_suffix(')')?.trim();
        inner.parse().ok().filter(|&n: &usize| n >= 1)
    };
    if upper.starts_with("VARCHAR") || upper.starts_with("CHARACTER VARYING") {
        return Some(("xs:string", Some(len()?)));
    }
    Some(match upper.as_str() {
        "INTEGER" | "INT" | "SMALLINT" => ("xs:integer", None),
        "DATE" => ("xs:date", None),
        "BOOLEAN" => ("xs:boolean", None),
        "TIMESTAMP" | "TIMESTAMP WITH TIME ZONE" | "TIMESTAMP WITHOUT TIME ZONE" => {
            ("xs:dateTime", None)
        }
        _ => return None,
    })
}

fn is_identifier(s: &str) -> bool {
    let mut cs = s.chars();
    cs.next().is_some_and(char::is_alphabetic)
        && cs.all(|c| c.is_alphanumeric() || c == '_')
        && s.chars().count() <= 128
}

pub fn check_table_index(text_: &str) -> Result<Vec<TableSpec>, Problem> {
    let doc = parse(text_)?;
    let r = root(&doc, "siardDiark")?;
    let mut s = Seq::of(r)?;
    let v = s.one("version")?;
    if leaf(v)?.trim() != "1.0" {
        return problem(format!("version `{}` is not 1.0", text(v)));
    }
    if let Some(n) = s.opt("dbName") {
        typed(n, is_identifier, "an SQL identifier")?;
    }
    s.opt("databaseProduct");
    let tables = s.one("tables")?;
    s.opt("views");
    s.end()?;
    let mut ts = Seq::of(tables)?;
    let list = ts.many("table");
    ts.end()?;
    if list.is_empty() {
        return problem("no <table>");
    }
    let mut out = Vec::new();
    for t in list {
        let mut s = Seq::of(t)?;
        let name = s.one("name")?;
        typed(name, is_identifier, "an SQL identifier")?;
        let folder = s.one("folder")?;
        typed(
            folder,
            |f| {
                f.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
                    && f.chars().all(|c| c.is_ascii_alphanumeric())
            },
            "a folder name",
        )?;
        leaf(s.one("description")?)?;
        let mut cs = Seq::of(s.one("columns")?)?;
        let columns = cs.many("column");
        cs.end()?;
        if columns.is_empty() {
            return problem(format!("table {} has no <column>", text(name)));
        }
        let mut specs = Vec::new();
        for (j, c) in columns.into_iter().enumerate() {
            let mut s = Seq::of(c)?;
            typed(s.one("name")?, is_identifier, "an SQL identifier")?;
            let id = s.one("columnID")?;
            if leaf(id)? != format!("c{}", j + 1) {
                return problem(format!(
                    "table {}: columnID `{}` where c{} belongs",
                    text(name),
                    text(id),
                    j + 1
                ));
            }
            let ty = s.one("type")?;
            let Some((xsd, max_chars)) = sql_type(leaf(ty)?) else {
                return problem(format!(
                    "table {}: type `{}` is not an SQL:1999 type this verifier knows",
                    text(name),
                    text(ty)
                ));
            };
            s.opt("typeOriginal");
            s.opt("defaultValue");
            let nullable = s.one("nullable")?;
            typed(nullable, is_bool, "a boolean")?;
            leaf(s.one("description")?)?;
            for f in s.many("functionalDescription") {
                typed(
                    f,
                    |v| {
                        matches!(
                            v,
                            "Myndighedsidentifikation"
                                | "Dokumentidentifikation"
                                | "Lagringsform"
                                | "Afleveret"
                                | "Sagsidentifikation"
                                | "Sagstitel"
                                | "Dokumenttitel"
                                | "Dokumentdato"
                                | "Afsender_modtager"
                                | "Digital_signatur"
                                | "FORM"
                                | "Kassation"
                        )
                    },
                    "a functional description the schema lists",
                )?;
            }
            s.end()?;
            specs.push(ColumnSpec {
                xsd,
                nullable: matches!(text(nullable).trim(), "true" | "1"),
                max_chars,
            });
        }
        let mut pk = Seq::of(s.one("primaryKey")?)?;
        typed(pk.one("name")?, is_identifier, "an SQL identifier")?;
        if pk.many("column").is_empty() {
            return problem(format!(
                "table {}: the primary key names no column",
                text(name)
            ));
        }
        pk.end()?;
        if let Some(fks) = s.opt("foreignKeys") {
            let mut f = Seq::of(fks)?;
            let list = f.many("foreignKey");
            f.end()?;
            if list.is_empty() {
                return problem(format!("table {}: <foreignKeys> is empty", text(name)));
            }
            for fk in list {
                let mut k = Seq::of(fk)?;
                typed(k.one("name")?, is_identifier, "an SQL identifier")?;
                typed(
                    k.one("referencedTable")?,
                    is_identifier,
                    "an SQL identifier",
                )?;
                let refs = k.many("reference");
                k.end()?;
                if refs.is_empty() {
                    return problem(format!(
                        "table {}: a foreign key without <reference>",
                        text(name)
                    ));
                }
                for r in refs {
                    let mut rs = Seq::of(r)?;
                    typed(rs.one("column")?, is_identifier, "an SQL identifier")?;
                    typed(rs.one("referenced")?, is_identifier, "an SQL identifier")?;
                    rs.end()?;
                }
            }
        }
        let rows = s.one("rows")?;
        typed(
            rows,
            |v| v.bytes().all(|b| b.is_ascii_digit()) && !v.is_empty(),
            "a row count",
        )?;
        s.end()?;
        out.push(TableSpec {
            name: text(name).to_string(),
            folder: text(folder).to_string(),
            columns: specs,
            rows: text(rows).parse().unwrap_or(0),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_and_names_follow_the_file_index_schema() {
        assert!(folder_ok("Tables\\table12"));
        assert!(folder_ok("ContextDocumentation\\docCollection1\\3"));
        assert!(!folder_ok("Tables\\table0"));
        assert!(!folder_ok("Tables"));
        assert!(file_name_ok("table3.xsd"));
        assert!(file_name_ok("1.tif"));
        assert!(!file_name_ok("notes.txt"));
    }

    #[test]
    fn sql_types_are_read_with_their_lengths() {
        assert_eq!(sql_type("VARCHAR(12)"), Some(("xs:string", Some(12))));
        assert_eq!(
            sql_type("TIMESTAMP WITH TIME ZONE"),
            Some(("xs:dateTime", None))
        );
        assert_eq!(sql_type("VARCHAR"), None);
    }

    #[test]
    fn dates_of_the_archive_index_are_years_months_or_days_from_1700_to_2100() {
        assert!(is_archive_date("2026"));
        assert!(is_archive_date("2026-12"));
        assert!(is_archive_date("2026-12-31"));
        assert!(!is_archive_date("2101-01-01"));
        assert!(!is_archive_date("2026-1"));
    }
}
