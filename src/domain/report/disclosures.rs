//! The disclosure log.

use super::*;

// ---------------------------------------------------------------------------------------
// Disclosures

/// Which disclosures to list. Dates are the days the disclosures were made, inclusive.
#[derive(Debug, Clone, Default)]
pub struct DisclosureFilter {
    pub recipient: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// Also disclosures on restricted cases and to restricted recipients (Art. 23): the
    /// data protection officer's view; by default they are left out like everywhere else.
    pub include_restricted: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct DisclosureRow {
    pub reference: String,
    pub id: u32,
    pub date: NaiveDate,
    pub made_at: DateTime<Utc>,
    pub made_by: String,
    pub recipient: String,
    pub recipient_name: String,
    pub kind: String,
    /// Ids, for programs; `legal_basis_names` says them in words.
    pub legal_bases: Vec<String>,
    pub legal_basis_names: Vec<String>,
    pub justification: String,
    pub transfer: Option<String>,
    /// Ids, for programs; `category_names` says them in words.
    pub categories: Vec<String>,
    pub category_names: Vec<String>,
    pub parties: Vec<String>,
    pub withdrawn: Option<String>,
    pub restricted: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct DisclosuresReport {
    pub language: &'static str,
    pub title: String,
    pub period: Option<String>,
    pub rows: Vec<DisclosureRow>,
}

pub fn disclosures(
    policy: &Policy,
    cases: &[Case],
    filter: &DisclosureFilter,
    lang: Language,
) -> DisclosuresReport {
    let t = texts(lang);
    let mut rows = Vec::new();
    for c in cases {
        for d in &c.disclosures {
            let recipient = policy.recipient(&d.recipient);
            let restricted = c.restriction.is_some() || recipient.is_none_or(|r| r.restricted);
            let date = d.made.at.danish_day();
            if (restricted && !filter.include_restricted)
                || filter.recipient.as_ref().is_some_and(|r| *r != d.recipient)
                || filter.from.is_some_and(|f| date < f)
                || filter.to.is_some_and(|x| date > x)
            {
                continue;
            }
            rows.push(DisclosureRow {
                reference: c.reference.to_string(),
                id: d.id,
                date,
                made_at: d.made.at,
                made_by: d.made.by.clone(),
                recipient: d.recipient.clone(),
                recipient_name: recipient
                    .map(|r| r.name(lang).to_string())
                    .unwrap_or_else(|| d.recipient.clone()),
                kind: kind_name(d.kind, t).into(),
                legal_bases: d.bases.iter().map(|b| b.id()).collect(),
                legal_basis_names: d.bases.iter().map(|b| citation(*b, lang)).collect(),
                justification: line(&d.justification),
                transfer: d.transfer.as_deref().map(line),
                categories: d.categories.iter().map(|x| x.as_id().to_string()).collect(),
                category_names: d
                    .categories
                    .iter()
                    .map(|x| category_name(*x, lang).to_string())
                    .collect(),
                parties: d.parties.iter().map(|p| line(p)).collect(),
                withdrawn: d
                    .withdrawn
                    .as_ref()
                    .map(|w| format!("{}: {}", w.set.at.danish_day(), line(&w.reason))),
                restricted,
            });
        }
    }
    rows.sort_by(|a, b| (a.made_at, &a.reference, a.id).cmp(&(b.made_at, &b.reference, b.id)));
    let period = (filter.from.is_some() || filter.to.is_some()).then(|| {
        fill(
            t.period,
            &[
                (
                    "from",
                    &filter
                        .from
                        .map(|d| d.to_string())
                        .unwrap_or_else(|| "…".into()),
                ),
                (
                    "to",
                    &filter
                        .to
                        .map(|d| d.to_string())
                        .unwrap_or_else(|| "…".into()),
                ),
            ],
        )
    });
    DisclosuresReport {
        language: lang_id(lang),
        title: t.disclosures_title.into(),
        period,
        rows,
    }
}

pub fn disclosures_markdown(r: &DisclosuresReport) -> String {
    let t = if r.language == "da" { &DA } else { &EN };
    let mut o = format!("# {}\n\n", r.title);
    if let Some(p) = &r.period {
        o.push_str(&format!("{p}\n\n"));
    }
    if r.rows.is_empty() {
        o.push_str(&format!("{}\n", t.no_disclosures));
        return o;
    }
    o.push_str(&format!(
        "| {} | {} | {} | {} | {} | {} | {} | {} | {} |\n|---|---|---|---|---|---|---|---|---|\n",
        t.col_case,
        t.date_label,
        t.col_recipient,
        t.col_kind,
        t.categories,
        t.legal_basis,
        t.col_justification,
        t.col_made_by,
        t.col_withdrawn
    ));
    for x in &r.rows {
        let mut recipient = x.recipient_name.clone();
        if let Some(tr) = &x.transfer {
            recipient.push_str(&format!(" ({tr})"));
        }
        o.push_str(&format!(
            "| {} #{} | {} | {} | {} | {} | {} | {} | {} | {} |\n",
            x.reference,
            x.id,
            x.date,
            md_escape_cell(&recipient),
            x.kind,
            md_escape_cell(&if x.category_names.is_empty() {
                t.none.to_string()
            } else {
                x.category_names.join(", ")
            }),
            md_escape_cell(&x.legal_basis_names.join("; ")),
            md_escape_cell(&x.justification),
            md_escape_cell(&x.made_by),
            md_escape_cell(x.withdrawn.as_deref().unwrap_or(""))
        ));
    }
    o
}
