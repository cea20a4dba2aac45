//! The record as archive tables: their columns, keys and descriptions, and each case's rows.

use crate::domain::case::{Case, Verdict};
use crate::domain::command::{Change, Event};
use crate::domain::sanitize::sanitize_text;
use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use std::borrow::Cow;

/// The SQL:1999 types the tables use, and how each is written in a table's XML.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SqlType {
    Integer,
    Text,
    Date,
    Timestamp,
    Boolean,
}

impl SqlType {
    /// The XML Schema type of a value in a table file.
    pub fn xsd(self) -> &'static str {
        match self {
            SqlType::Integer => "xs:integer",
            SqlType::Text => "xs:string",
            SqlType::Date => "xs:date",
            SqlType::Timestamp => "xs:dateTime",
            SqlType::Boolean => "xs:boolean",
        }
    }

    /// The SQL:1999 type for tableIndex.xml; text columns are as long as their longest value.
    pub fn sql(self, max_chars: usize) -> String {
        match self {
            SqlType::Integer => "INTEGER".into(),
            SqlType::Text => format!("VARCHAR({})", max_chars.max(1)),
            SqlType::Date => "DATE".into(),
            SqlType::Timestamp => "TIMESTAMP WITH TIME ZONE".into(),
            SqlType::Boolean => "BOOLEAN".into(),
        }
    }
}

pub struct Column {
    pub name: &'static str,
    pub ty: SqlType,
    pub nullable: bool,
    pub description: &'static str,
    /// The archives' functional description (Sagsidentifikation, Sagstitel, …), if any.
    pub function: Option<&'static str>,
}

pub struct ForeignKey {
    pub name: &'static str,
    pub table: &'static str,
    /// (column here, column referenced)
    pub columns: &'static [(&'static str, &'static str)],
}

pub struct Table {
    pub name: &'static str,
    pub description: &'static str,
    pub columns: &'static [Column],
    pub primary_key: &'static [&'static str],
    pub foreign_keys: &'static [ForeignKey],
}

const fn col(name: &'static str, ty: SqlType, nullable: bool, description: &'static str) -> Column {
    Column {
        name,
        ty,
        nullable,
        description,
        function: None,
    }
}

use SqlType::{Boolean as B, Integer as I, Text as T, Timestamp as TS};

const CASE_FK: ForeignKey = ForeignKey {
    name: "fk_case",
    table: "cases",
    columns: &[("case_ref", "case_ref")],
};

const CASE_REF: Column = Column {
    name: "case_ref",
    ty: T,
    nullable: false,
    description: "Sagens journalnummer (ÅÅÅÅ-NNNNNN). The case's reference number.",
    function: Some("Sagsidentifikation"),
};

pub const CASES: usize = 0;
pub const ENQUIRIES: usize = 1;
pub const CATEGORIES_OF_CASE: usize = 2;
pub const DISCLOSURES: usize = 3;
pub const DISCLOSURE_BASES: usize = 4;
pub const NOTES: usize = 5;
pub const DECISIONS: usize = 6;
pub const HISTORY: usize = 7;
pub const PURPOSES: usize = 8;
pub const RECIPIENTS: usize = 9;
pub const LEGAL_BASES: usize = 10;
pub const CATEGORIES: usize = 11;

/// Every table, in the order they are numbered (table1 = cases, …).
pub const TABLES: &[Table] = &[
    Table {
        name: "cases",
        description: "Sager: én række pr. henvendelse, med formål, status og sagens forløb. Cases.",
        columns: &[
            CASE_REF,
            col(
                "purpose_id",
                T,
                true,
                "Behandlingsformål (kodeliste purposes).",
            ),
            col(
                "right_kind",
                T,
                true,
                "Den rettighed henvendelsen påberåber (GDPR art. 15-18, 21).",
            ),
            col("status", T, false, "Sagens status ved aflevering (closed)."),
            col("registered_at", TS, false, "Registreret (UTC)."),
            col("registered_by", T, false, "Registreret af (brugernavn)."),
            col(
                "assignee",
                T,
                true,
                "Sagsbehandler sagen sidst var tildelt.",
            ),
            col(
                "restricted",
                B,
                false,
                "Begrænset efter GDPR art. 23 (udeladt af indsigtssvar).",
            ),
            col(
                "restriction_reason",
                T,
                true,
                "Begrundelse for begrænsningen.",
            ),
            col(
                "legal_hold_reason",
                T,
                true,
                "Begrundelse for retligt tilbagehold (litigation hold).",
            ),
            col("answered_at", TS, true, "Besvaret (UTC)."),
            col("answer_by", T, true, "Besvaret af."),
            col("closed_at", TS, true, "Afsluttet (UTC)."),
            col("closed_by", T, true, "Afsluttet af."),
            col(
                "duplicate_of",
                T,
                true,
                "Tidligere sag med samme anmodning fra samme person.",
            ),
            col(
                "version",
                I,
                false,
                "Antal ændringer sagen har fået (tabellen history).",
            ),
        ],
        primary_key: &["case_ref"],
        foreign_keys: &[ForeignKey {
            name: "fk_purpose",
            table: "purposes",
            columns: &[("purpose_id", "purpose_id")],
        }],
    },
    Table {
        name: "enquiries",
        description:
            "Henvendelser: afsender, emne, fuld tekst, kanal og modtagelsestidspunkt. Enquiries.",
        columns: &[
            CASE_REF,
            Column {
                name: "received",
                ty: TS,
                nullable: false,
                description: "Modtaget (UTC).",
                function: Some("Dokumentdato"),
            },
            col(
                "channel",
                T,
                false,
                "Kanal: e-boks, email, letter, phone, contact-form, in-person.",
            ),
            col("language", T, false, "Sprog: da eller en."),
            Column {
                name: "sender_name",
                ty: T,
                nullable: false,
                description: "Afsenderens navn.",
                function: Some("Afsender_modtager"),
            },
            col("sender_email", T, true, "Afsenderens e-mailadresse."),
            col("sender_phone", T, true, "Afsenderens telefonnummer."),
            col("sender_address", T, true, "Afsenderens postadresse."),
            col(
                "sender_cpr",
                T,
                true,
                "Afsenderens CPR-nummer (DDMMÅÅ-SSSS).",
            ),
            Column {
                name: "subject",
                ty: T,
                nullable: false,
                description: "Henvendelsens emne.",
                function: Some("Sagstitel"),
            },
            col("body", T, false, "Henvendelsens fulde tekst."),
            col(
                "attachments",
                T,
                true,
                "Navne på vedhæftede filer, én pr. linje (filerne er ikke med).",
            ),
            col("message_id", T, true, "E-mailens Message-ID."),
        ],
        primary_key: &["case_ref"],
        foreign_keys: &[CASE_FK],
    },
    Table {
        name: "case_categories",
        description:
            "Personoplysningskategorier i sagen, bekræftet eller afvist af en sagsbehandler.",
        columns: &[
            CASE_REF,
            col("category_id", T, false, "Kategori (kodeliste categories)."),
            col(
                "verdict",
                T,
                false,
                "confirmed (bekræftet) eller rejected (afvist).",
            ),
            col("decided_by", T, false, "Besluttet af."),
            col("decided_at", TS, false, "Besluttet (UTC)."),
        ],
        primary_key: &["case_ref", "category_id"],
        foreign_keys: &[
            CASE_FK,
            ForeignKey {
                name: "fk_category",
                table: "categories",
                columns: &[("category_id", "category_id")],
            },
        ],
    },
    Table {
        name: "disclosures",
        description:
            "Videregivelser: modtager, begrundelse, hvem og hvornår, og om den er trukket tilbage.",
        columns: &[
            CASE_REF,
            col("disclosure_no", I, false, "Videregivelsens nummer i sagen."),
            col(
                "kind",
                T,
                false,
                "disclosure, forward (oversendelse) eller employer-notice.",
            ),
            col("recipient_id", T, false, "Modtager (kodeliste recipients)."),
            col("justification", T, false, "Skriftlig begrundelse."),
            col(
                "transfer_basis",
                T,
                true,
                "Overførselsgrundlag uden for EU/EØS (GDPR art. 44 ff.).",
            ),
            col(
                "categories",
                T,
                true,
                "Videregivne kategorier (id'er adskilt af mellemrum).",
            ),
            col(
                "parties",
                T,
                true,
                "Parter, der underrettes (f.eks. arbejdsgiver), én pr. linje.",
            ),
            col("made_by", T, false, "Videregivet af."),
            col("made_at", TS, false, "Videregivet (UTC)."),
            col("withdrawn_at", TS, true, "Trukket tilbage (UTC)."),
            col("withdrawn_by", T, true, "Trukket tilbage af."),
            col(
                "withdrawn_reason",
                T,
                true,
                "Begrundelse for tilbagetrækning.",
            ),
        ],
        primary_key: &["case_ref", "disclosure_no"],
        foreign_keys: &[
            CASE_FK,
            ForeignKey {
                name: "fk_recipient",
                table: "recipients",
                columns: &[("recipient_id", "recipient_id")],
            },
        ],
    },
    Table {
        name: "disclosure_bases",
        description: "Hjemmel for hver videregivelse (én række pr. hjemmel).",
        columns: &[
            CASE_REF,
            col("disclosure_no", I, false, "Videregivelsens nummer i sagen."),
            col("basis_id", T, false, "Hjemmel (kodeliste legal_bases)."),
        ],
        primary_key: &["case_ref", "disclosure_no", "basis_id"],
        foreign_keys: &[
            ForeignKey {
                name: "fk_disclosure",
                table: "disclosures",
                columns: &[("case_ref", "case_ref"), ("disclosure_no", "disclosure_no")],
            },
            ForeignKey {
                name: "fk_basis",
                table: "legal_bases",
                columns: &[("basis_id", "basis_id")],
            },
        ],
    },
    Table {
        name: "notes",
        description: "Notater i sagen.",
        columns: &[
            CASE_REF,
            col("note_no", I, false, "Notatets nummer i sagen."),
            col("text", T, false, "Notatets tekst."),
            col("made_by", T, false, "Skrevet af."),
            col("made_at", TS, false, "Skrevet (UTC)."),
        ],
        primary_key: &["case_ref", "note_no"],
        foreign_keys: &[CASE_FK],
    },
    Table {
        name: "decisions",
        description: "Afgørelser om rettigheder, med begrundelse og hjemmel ved afslag.",
        columns: &[
            CASE_REF,
            col(
                "outcome",
                T,
                false,
                "granted, partly-granted eller refused.",
            ),
            col("reasons", T, true, "Begrundelse (afgørelsens tekst)."),
            col("ground", T, true, "Hjemmel for afslaget."),
            col("made_by", T, false, "Truffet af."),
            col("made_at", TS, false, "Truffet (UTC)."),
        ],
        primary_key: &["case_ref"],
        foreign_keys: &[CASE_FK],
    },
    Table {
        name: "history",
        description: "Sagens fulde historik: hver ændring som den blev registreret.",
        columns: &[
            CASE_REF,
            col("version", I, false, "Sagens version efter ændringen."),
            col("at", TS, false, "Tidspunkt (UTC)."),
            col("actor", T, false, "Hvem (brugernavn)."),
            col(
                "action",
                T,
                false,
                "Handling (register, classify, route, close, …).",
            ),
            col("detail", T, false, "Ændringens indhold som JSON."),
        ],
        primary_key: &["case_ref", "version"],
        foreign_keys: &[CASE_FK],
    },
    Table {
        name: "purposes",
        description: "Kodeliste: behandlingsformål med hjemmel og opbevaringsregel.",
        columns: &[
            col("purpose_id", T, false, "Formålets id."),
            col("name_da", T, false, "Navn (dansk)."),
            col("name_en", T, false, "Navn (engelsk)."),
            col("description_da", T, true, "Beskrivelse (dansk)."),
            col(
                "legal_bases",
                T,
                true,
                "Hjemmel (id'er adskilt af mellemrum, se legal_bases).",
            ),
            col(
                "retention",
                T,
                false,
                "Opbevaringsregel: archive-then-delete, archive-then-assess, delete-after-years.",
            ),
        ],
        primary_key: &["purpose_id"],
        foreign_keys: &[],
    },
    Table {
        name: "recipients",
        description: "Kodeliste: modtagere af videregivelser.",
        columns: &[
            col("recipient_id", T, false, "Modtagerens id."),
            col("name_da", T, false, "Navn (dansk)."),
            col("name_en", T, false, "Navn (engelsk)."),
        ],
        primary_key: &["recipient_id"],
        foreign_keys: &[],
    },
    Table {
        name: "legal_bases",
        description: "Kodeliste: hjemmelsgrundlag.",
        columns: &[
            col("basis_id", T, false, "Hjemlens id."),
            col("citation_da", T, false, "Henvisning (dansk)."),
            col("citation_en", T, false, "Henvisning (engelsk)."),
        ],
        primary_key: &["basis_id"],
        foreign_keys: &[],
    },
    Table {
        name: "categories",
        description: "Kodeliste: personoplysningskategorier (GDPR art. 6, 9 og 10, CPR-nummer).",
        columns: &[
            col("category_id", T, false, "Kategoriens id."),
            col("name_da", T, false, "Navn (dansk)."),
            col("name_en", T, false, "Navn (engelsk)."),
        ],
        primary_key: &["category_id"],
        foreign_keys: &[],
    },
];

/// One value of a row.
#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    Null,
    Int(i64),
    Text(Cow<'a, str>),
    Date(NaiveDate),
    Time(DateTime<Utc>),
    Bool(bool),
}

impl Value<'_> {
    /// The text as the table file holds it (before XML escaping); None for NULL.
    pub fn lexical(&self) -> Option<Cow<'_, str>> {
        Some(match self {
            Value::Null => return None,
            Value::Int(n) => Cow::Owned(n.to_string()),
            Value::Text(s) => Cow::Borrowed(s.as_ref()),
            Value::Date(d) => Cow::Owned(d.format("%Y-%m-%d").to_string()),
            Value::Time(t) => Cow::Owned(t.to_rfc3339_opts(SecondsFormat::Secs, true)),
            Value::Bool(b) => Cow::Borrowed(if *b { "true" } else { "false" }),
        })
    }
}

/// Text from the record, made safe for XML 1.0 and for whoever reads it later: the project's one
/// sanitiser (no controls, escapes or bidi overrides; line breaks kept).
fn text(s: &str) -> Value<'_> {
    Value::Text(sanitize_text(s))
}

fn opt_text(s: Option<&str>) -> Value<'_> {
    s.map_or(Value::Null, text)
}

fn time(t: Option<&DateTime<Utc>>) -> Value<'static> {
    t.map_or(Value::Null, |t| Value::Time(*t))
}

/// Receives the rows of one case, table by table.
pub trait RowSink {
    fn row(&mut self, table: usize, values: &[Value<'_>]) -> std::io::Result<()>;
}

/// Writes every row `case` contributes (with its history from `events`).
pub fn case_rows(case: &Case, events: &[Event], sink: &mut impl RowSink) -> std::io::Result<()> {
    let r = case.reference.to_string();
    let reference = || Value::Text(Cow::Borrowed(r.as_str()));
    sink.row(
        CASES,
        &[
            reference(),
            opt_text(case.purpose.as_deref()),
            case.right
                .map_or(Value::Null, |k| Value::Text(k.as_id().into())),
            Value::Text(case.status.as_id().into()),
            Value::Time(case.registered.at),
            text(&case.registered.by),
            opt_text(case.assignee.as_deref()),
            Value::Bool(case.restriction.is_some()),
            opt_text(case.restriction.as_ref().map(|f| f.reason.as_str())),
            opt_text(case.legal_hold.as_ref().map(|f| f.reason.as_str())),
            time(case.answered.as_ref().map(|s| &s.at)),
            opt_text(case.answered.as_ref().map(|s| s.by.as_str())),
            time(case.closed.as_ref().map(|s| &s.at)),
            opt_text(case.closed.as_ref().map(|s| s.by.as_str())),
            case.duplicate_of
                .map_or(Value::Null, |d| Value::Text(d.to_string().into())),
            Value::Int(i64::try_from(case.version).unwrap_or(i64::MAX)),
        ],
    )?;
    let e = &case.enquiry;
    let attachments = e.attachments.join("\n");
    sink.row(
        ENQUIRIES,
        &[
            reference(),
            Value::Time(e.received.with_timezone(&Utc)),
            Value::Text(e.channel.as_id().into()),
            Value::Text(
                match e.language {
                    crate::domain::enquiry::Language::Da => "da",
                    crate::domain::enquiry::Language::En => "en",
                }
                .into(),
            ),
            text(&e.sender.name),
            opt_text(e.sender.email.as_deref()),
            opt_text(e.sender.phone.as_deref()),
            opt_text(e.sender.address.as_deref()),
            opt_text(e.sender.cpr.as_deref()),
            text(&e.subject),
            text(&e.body),
            if attachments.is_empty() {
                Value::Null
            } else {
                text(&attachments)
            },
            opt_text(e.message_id.as_deref()),
        ],
    )?;
    for d in &case.categories {
        sink.row(
            CATEGORIES_OF_CASE,
            &[
                reference(),
                Value::Text(d.category.as_id().into()),
                Value::Text(
                    match d.verdict {
                        Verdict::Confirmed => "confirmed",
                        Verdict::Rejected => "rejected",
                    }
                    .into(),
                ),
                text(&d.decided.by),
                Value::Time(d.decided.at),
            ],
        )?;
    }
    for d in &case.disclosures {
        let categories: Vec<&str> = d.categories.iter().map(|c| c.as_id()).collect();
        let parties = d.parties.join("\n");
        sink.row(
            DISCLOSURES,
            &[
                reference(),
                Value::Int(i64::from(d.id)),
                Value::Text(
                    match d.kind {
                        crate::domain::case::DisclosureKind::Disclosure => "disclosure",
                        crate::domain::case::DisclosureKind::Forward => "forward",
                        crate::domain::case::DisclosureKind::EmployerNotice => "employer-notice",
                    }
                    .into(),
                ),
                text(&d.recipient),
                text(&d.justification),
                opt_text(d.transfer.as_deref()),
                if categories.is_empty() {
                    Value::Null
                } else {
                    Value::Text(categories.join(" ").into())
                },
                if parties.is_empty() {
                    Value::Null
                } else {
                    text(&parties)
                },
                text(&d.made.by),
                Value::Time(d.made.at),
                time(d.withdrawn.as_ref().map(|w| &w.set.at)),
                opt_text(d.withdrawn.as_ref().map(|w| w.set.by.as_str())),
                opt_text(d.withdrawn.as_ref().map(|w| w.reason.as_str())),
            ],
        )?;
        let mut bases: Vec<String> = d.bases.iter().map(|b| b.id()).collect();
        bases.sort();
        bases.dedup();
        for b in bases {
            sink.row(
                DISCLOSURE_BASES,
                &[
                    reference(),
                    Value::Int(i64::from(d.id)),
                    Value::Text(b.into()),
                ],
            )?;
        }
    }
    for (i, n) in case.notes.iter().enumerate() {
        sink.row(
            NOTES,
            &[
                reference(),
                Value::Int(i as i64 + 1),
                text(&n.text),
                text(&n.made.by),
                Value::Time(n.made.at),
            ],
        )?;
    }
    if let Some(d) = &case.decision {
        sink.row(
            DECISIONS,
            &[
                reference(),
                Value::Text(d.outcome.as_id().into()),
                opt_text(d.ruling.as_ref().map(|r| r.reasons.as_str())),
                opt_text(d.ruling.as_ref().map(|r| r.ground.as_str())),
                text(&d.made.by),
                Value::Time(d.made.at),
            ],
        )?;
    }
    for ev in events {
        let detail = match &ev.change {
            Change::Registered { source } => serde_json::json!({ "source": source }).to_string(),
            Change::Command(c) => serde_json::to_string(c).unwrap_or_default(),
        };
        sink.row(
            HISTORY,
            &[
                reference(),
                Value::Int(i64::try_from(ev.version).unwrap_or(i64::MAX)),
                Value::Time(ev.at),
                text(&ev.actor),
                Value::Text(ev.change.action().into()),
                Value::Text(Cow::Owned(sanitize_text(&detail).into_owned())),
            ],
        )?;
    }
    Ok(())
}

/// Where in `TABLES` a table is, by name.
pub fn index_of(name: &str) -> Option<usize> {
    TABLES.iter().position(|t| t.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_name_columns_that_exist() {
        for t in TABLES {
            for k in t.primary_key {
                assert!(t.columns.iter().any(|c| c.name == *k), "{}.{k}", t.name);
            }
            for fk in t.foreign_keys {
                let target = &TABLES[index_of(fk.table).expect(fk.table)];
                for (here, there) in fk.columns {
                    assert!(
                        t.columns.iter().any(|c| c.name == *here),
                        "{}.{here}",
                        t.name
                    );
                    assert!(target.columns.iter().any(|c| c.name == *there), "{there}");
                    assert!(target.primary_key.contains(there), "{there} is a key");
                }
            }
        }
    }

    #[test]
    fn values_are_written_as_xml_schema_reads_them() {
        let t = DateTime::parse_from_rfc3339("2026-11-23T09:14:00+01:00").unwrap();
        assert_eq!(
            Value::Time(t.with_timezone(&Utc)).lexical().unwrap(),
            "2026-11-23T08:14:00Z"
        );
        assert_eq!(Value::Bool(true).lexical().unwrap(), "true");
        assert_eq!(Value::Null.lexical(), None);
        let cleaned = text("a\u{202E}b\u{1b}[2J");
        let cleaned = cleaned.lexical().unwrap();
        assert!(
            !cleaned.contains('\u{202E}') && !cleaned.contains('\u{1b}'),
            "{cleaned}"
        );
    }
}
