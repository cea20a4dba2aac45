//! The record of processing activities (Art. 30).

use super::*;

// ---------------------------------------------------------------------------------------
// The record of processing activities (Art. 30)

#[derive(Debug, Clone, Serialize)]
pub struct Ropa {
    pub language: &'static str,
    pub title: String,
    pub date: NaiveDate,
    pub controller: Controller,
    pub supervisory_heading: String,
    pub supervisory: String,
    pub activities_heading: String,
    pub activities: Vec<Activity>,
    pub recipients_heading: String,
    pub recipients: Vec<RopaRecipient>,
    pub transfers: Section,
    pub security: Section,
}

#[derive(Debug, Clone, Serialize)]
pub struct Activity {
    pub id: String,
    pub name: String,
    pub purpose: String,
    pub data_subjects: String,
    pub categories: Vec<String>,
    pub legal_bases: Vec<String>,
    pub sources: String,
    pub erasure: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct RopaRecipient {
    pub id: String,
    pub name: String,
    pub region: String,
    pub restricted: bool,
    pub text: String,
}

pub fn ropa(policy: &Policy, lang: Language, today: NaiveDate) -> Ropa {
    let t = texts(lang);
    let a = &policy.authority;
    let pick = |en: &String, da: &String| match lang {
        Language::En => en.clone(),
        Language::Da => da.clone(),
    };
    let activities = policy
        .purposes
        .iter()
        .map(|p| Activity {
            id: p.id().to_string(),
            name: p.name(lang).to_string(),
            purpose: pick(&p.description_en, &p.description_da),
            data_subjects: pick(&p.data_subjects_en, &p.data_subjects_da),
            categories: p
                .categories
                .iter()
                .map(|c| category_name(*c.get_ref(), lang).to_string())
                .collect(),
            legal_bases: p.bases().map(|b| citation(b, lang)).collect(),
            sources: pick(&p.source_en, &p.source_da),
            erasure: retention_rule_text(policy, p.retention, t),
        })
        .collect();
    let recipients = policy
        .recipients
        .iter()
        .map(|r| {
            let region = region_name(r.region, t).to_string();
            let mut text = format!("{} ({region})", r.name(lang));
            if r.restricted {
                text.push_str(&format!("; {}", t.restricted_note));
            }
            RopaRecipient {
                id: r.id().to_string(),
                name: r.name(lang).to_string(),
                region,
                restricted: r.restricted,
                text,
            }
        })
        .collect();
    let mut transfers: Vec<String> = policy
        .recipients
        .iter()
        .filter(|r| r.needs_transfer_basis())
        .map(|r| {
            fill(
                t.transfer_case_by_case,
                &[
                    ("recipient", r.name(lang)),
                    ("region", region_name(r.region, t)),
                ],
            )
        })
        .collect();
    if transfers.is_empty() {
        transfers.push(t.no_transfers.into());
    }
    Ropa {
        language: lang_id(lang),
        title: t.ropa_title.into(),
        date: today,
        controller: Controller {
            heading: t.controller.into(),
            name: pick(&a.name_en, &a.name_da),
            address: a.address.clone(),
            email: a.email.clone(),
            phone: a.phone.clone(),
            dpo_heading: t.dpo.into(),
            dpo: a.dpo_contact.clone(),
        },
        supervisory_heading: t.supervisory.into(),
        supervisory: a.supervisory_authority.clone(),
        activities_heading: t.activities.into(),
        activities,
        recipients_heading: t.recipients.into(),
        recipients,
        transfers: Section {
            heading: t.transfers.into(),
            lines: transfers,
        },
        security: Section {
            heading: t.security.into(),
            lines: match lang {
                Language::Da if !a.security_measures_da.is_empty() => {
                    a.security_measures_da.clone()
                }
                _ => a.security_measures.clone(),
            },
        },
    }
}

pub fn ropa_markdown(r: &Ropa) -> String {
    let t = if r.language == "da" { &DA } else { &EN };
    let mut o = format!("# {}\n\n", r.title);
    o.push_str(&format!("{}: {}\n\n", t.date_label, long_date(r.date, t)));
    let c = &r.controller;
    o.push_str(&format!(
        "## {}\n\n{}  \n{}  \n{}  \n{}\n\n{}: {}\n\n{}: {}\n\n",
        c.heading,
        c.name,
        c.address,
        c.email,
        c.phone,
        c.dpo_heading,
        c.dpo,
        r.supervisory_heading,
        r.supervisory
    ));
    o.push_str(&format!("## {}\n\n", r.activities_heading));
    for a in &r.activities {
        o.push_str(&format!("### {} (`{}`)\n\n", a.name, a.id));
        o.push_str(&format!("- {}: {}\n", t.purpose, a.purpose));
        o.push_str(&format!("- {}: {}\n", t.data_subjects, a.data_subjects));
        o.push_str(&format!(
            "- {}: {}\n",
            t.categories,
            a.categories.join(", ")
        ));
        o.push_str(&format!(
            "- {}: {}\n",
            t.legal_basis,
            a.legal_bases.join("; ")
        ));
        o.push_str(&format!("- {}: {}\n", t.sources, a.sources));
        o.push_str(&format!("- {}: {}\n\n", t.erasure_limit, a.erasure));
    }
    o.push_str(&format!("## {}\n\n", r.recipients_heading));
    for x in &r.recipients {
        o.push_str(&format!("- {}\n", x.text));
    }
    o.push('\n');
    md_list_section(&mut o, "##", &r.transfers);
    md_list_section(&mut o, "##", &r.security);
    o.truncate(o.trim_end().len());
    o.push('\n');
    o
}
