//! The ruling on a rights request as a letter.

use super::access::ruling_text;
use super::access_md::{md_letterhead, md_ruling, md_signature};
use super::*;

// ---------------------------------------------------------------------------------------
// The ruling on a rights request

#[derive(Debug, Clone, Serialize)]
pub struct RulingLetter {
    pub language: &'static str,
    pub title: String,
    pub reference: String,
    pub date: NaiveDate,
    pub lines: Vec<String>,
    pub outcome: String,
    pub ruling: Option<RulingText>,
    pub rights: Section,
    pub complaint: Section,
    pub authority: String,
    /// The requester as they wrote their name and address.
    pub concerning: String,
    pub controller: Controller,
    pub signature: Signature,
}

/// The decision on a rights request as a letter; None when the case has no decision yet.
pub fn ruling_letter(policy: &Policy, c: &Case, lang: Language) -> Option<RulingLetter> {
    let t = texts(lang);
    let d = c.decision.as_ref()?;
    let a = &policy.authority;
    let authority = match lang {
        Language::En => a.name_en.clone(),
        Language::Da => a.name_da.clone(),
    };
    let mut lines = vec![fill(
        t.ruling_received,
        &[
            ("date", &long_date(c.enquiry.received.danish_day(), t)),
            ("reference", &c.reference.to_string()),
        ],
    )];
    if let Some(r) = c.right {
        lines.push(fill(
            t.request_line,
            &[("right", right_name(r, t)), ("article", article_number(r))],
        ));
    }
    let decided = d.made.at.danish_day();
    lines.push(fill(
        t.decided_line,
        &[
            ("date", &long_date(decided, t)),
            ("outcome", outcome_name(d.outcome, t)),
        ],
    ));
    if d.outcome == Outcome::Granted && d.ruling.is_none() {
        lines.push(t.ruling_granted_only.into());
    }
    let report = access_report(policy, &[], &[], lang, decided, None);
    Some(RulingLetter {
        language: lang_id(lang),
        title: t.ruling_title.into(),
        reference: c.reference.to_string(),
        date: decided,
        lines,
        outcome: outcome_name(d.outcome, t).into(),
        ruling: d.ruling.as_ref().map(|r| ruling_text(r, t)),
        rights: report.rights,
        complaint: report.complaint,
        authority,
        concerning: {
            let s = &c.enquiry.sender;
            [Some(s.name.as_str()), s.address.as_deref()]
                .into_iter()
                .flatten()
                .map(line)
                .filter(|x| !x.is_empty())
                .collect::<Vec<_>>()
                .join(", ")
        },
        controller: report.controller,
        signature: report.signature,
    })
}

pub fn ruling_markdown(r: &RulingLetter) -> String {
    let t = if r.language == "da" { &DA } else { &EN };
    let mut o = String::new();
    md_letterhead(&mut o, &r.controller);
    o.push_str(&format!("# {}\n\n", r.title));
    o.push_str(&format!("{}: {}\n\n", t.date_label, long_date(r.date, t)));
    if !r.concerning.is_empty() {
        o.push_str(&format!("{}: {}\n\n", t.concerning, r.concerning));
    }
    o.push_str(&format!("{}: {}\n\n", t.references, r.reference));
    for l in &r.lines {
        o.push_str(&format!("{l}\n\n"));
    }
    if let Some(ru) = &r.ruling {
        md_ruling(&mut o, ru);
    }
    md_list_section(&mut o, "##", &r.rights);
    md_section(&mut o, "##", &r.complaint);
    md_signature(&mut o, &r.signature);
    o.truncate(o.trim_end().len());
    o.push('\n');
    o
}
