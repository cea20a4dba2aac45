//! The access answer as Markdown: a letter that runs through Art. 15(1)(a)–(h) in order,
//! then the copy of the data, then Art. 15(2) transfers where there are any.

use super::*;

/// The access answer as Markdown, for a letter or print.
pub fn access_markdown(r: &AccessReport) -> String {
    let t = if r.language == "da" { &DA } else { &EN };
    let mut o = String::new();
    md_letterhead(&mut o, &r.controller);
    o.push_str(&format!("# {}\n\n", r.title));
    o.push_str(&format!("{}: {}\n\n", t.date_label, long_date(r.date, t)));
    o.push_str(&format!("{}: {}\n\n", t.concerning, r.subject.join("; ")));
    if !r.references.is_empty() {
        o.push_str(&format!(
            "{}: {}\n\n",
            t.references,
            r.references.join(", ")
        ));
    }
    o.push_str(&format!("{}\n\n", r.intro));
    let c = &r.controller;
    o.push_str(&format!("## {}\n\n", c.heading));
    o.push_str(&format!("{}  \n{}", c.name, c.address));
    for extra in [&c.email, &c.phone] {
        if !extra.is_empty() {
            o.push_str(&format!("  \n{extra}"));
        }
    }
    o.push_str(&format!("\n\n{}: {}\n\n", c.dpo_heading, c.dpo));
    if let Some(none) = &r.none_found {
        o.push_str(&format!("{none}\n\n"));
    }
    let per_case = |o: &mut String, heading: &str, body: &dyn Fn(&mut String, &CaseSection)| {
        if r.cases.is_empty() {
            return;
        }
        o.push_str(&format!("## {heading}\n\n"));
        for cs in &r.cases {
            o.push_str(&format!("### {}\n\n", cs.heading));
            body(o, cs);
        }
    };
    if let Some(first) = r.cases.first() {
        per_case(&mut o, &first.purpose.heading, &|o, cs| {
            for l in &cs.summary {
                o.push_str(&format!("{l}\n"));
            }
            o.push('\n');
            let p = &cs.purpose;
            if let Some(name) = &p.name {
                o.push_str(&format!("**{name}**"));
                if let Some(d) = &p.description {
                    o.push_str(&format!(": {d}"));
                }
                o.push_str("\n\n");
            }
            for l in &p.lines {
                o.push_str(&format!("{l}\n\n"));
            }
            if !p.legal_bases.is_empty() {
                o.push_str(&format!(
                    "{}: {}\n\n",
                    p.legal_basis_heading,
                    p.legal_bases.join("; ")
                ));
            }
        });
        per_case(&mut o, &first.categories.heading, &|o, cs| {
            md_items(o, &cs.categories.lines)
        });
        per_case(&mut o, &first.recipients.heading, &|o, cs| {
            let items: Vec<String> = cs
                .recipients
                .recipients
                .iter()
                .map(|x| x.text.clone())
                .collect();
            md_items(o, &items);
            for l in &cs.recipients.lines {
                o.push_str(&format!("{l}\n\n"));
            }
        });
        per_case(&mut o, &first.retention.heading, &|o, cs| {
            md_paragraphs(o, &cs.retention.lines)
        });
    }
    md_rights(&mut o, &r.rights);
    md_section(&mut o, "##", &r.complaint);
    if let Some(first) = r.cases.first() {
        per_case(&mut o, &first.source.heading, &|o, cs| {
            md_paragraphs(o, &cs.source.lines)
        });
    }
    md_section(&mut o, "##", &r.automated);
    if let Some(first) = r.cases.first() {
        per_case(&mut o, &first.copy.heading, &|o, cs| md_copy(o, cs, t));
    }
    if let Some(tr) = &r.transfers {
        md_list_section(&mut o, "##", tr);
    }
    if let Some(log) = &r.log {
        o.push_str(&format!("## {}\n\n{}\n\n", log.heading, log.intro));
        for e in &log.entries {
            o.push_str(&format!(
                "- {}{}: {}\n",
                e.when,
                e.reference
                    .as_deref()
                    .map(|r| format!(" ({r})"))
                    .unwrap_or_default(),
                e.what
            ));
        }
        if let Some(empty) = &log.empty {
            o.push_str(&format!("{empty}\n"));
        }
        o.push('\n');
    }
    md_signature(&mut o, &r.signature);
    o.truncate(o.trim_end().len());
    o.push('\n');
    o
}

fn md_items(o: &mut String, items: &[String]) {
    for i in items {
        o.push_str(&format!("- {i}\n"));
    }
    if !items.is_empty() {
        o.push('\n');
    }
}

fn md_paragraphs(o: &mut String, lines: &[String]) {
    for l in lines {
        o.push_str(&format!("{l}\n\n"));
    }
}

/// The rights: an introduction, the four rights as a list, then two paragraphs.
fn md_rights(o: &mut String, rights: &Section) {
    o.push_str(&format!("## {}\n\n", rights.heading));
    if let Some((first, rest)) = rights.lines.split_first() {
        o.push_str(&format!("{first}\n\n"));
        let (items, tail) = rest.split_at(rest.len().min(4));
        md_items(o, items);
        md_paragraphs(o, tail);
    }
}

/// A case's copy: the decision on it, if any, then the sender's details and the enquiry.
fn md_copy(o: &mut String, cs: &CaseSection, t: &Texts) {
    if let Some(d) = &cs.decision {
        o.push_str(&format!("**{}**\n\n", d.heading));
        md_paragraphs(o, &d.lines);
        if let Some(ru) = &d.ruling {
            md_ruling(o, ru);
        }
    }
    let cp = &cs.copy;
    let fields: Vec<String> = cp
        .fields
        .iter()
        .map(|(label, value)| format!("{label}: {value}"))
        .collect();
    md_items(o, &fields);
    if let Some(n) = &cp.note {
        o.push_str(&format!("{n}\n\n"));
    }
    o.push_str(&format!("{}: {}\n\n", cp.subject_heading, cp.subject));
    o.push_str(&format!("{}:\n\n{}\n\n", cp.text_heading, quote(&cp.text)));
    if !cp.attachments.is_empty() {
        o.push_str(&format!(
            "{}: {}\n\n",
            t.attachments,
            cp.attachments.join(", ")
        ));
    }
}

pub(super) fn md_ruling(o: &mut String, r: &RulingText) {
    o.push_str(&format!("**{}:** {}\n\n", r.ground_heading, r.ground));
    o.push_str(&format!(
        "**{}:**\n\n{}\n\n",
        r.reasons_heading,
        quote(&r.reasons)
    ));
}

/// The authority's name, address and contact lines above the title.
pub(super) fn md_letterhead(o: &mut String, c: &Controller) {
    o.push_str(&format!("**{}**  \n{}", c.name, c.address));
    let contact: Vec<&str> = [c.email.as_str(), c.phone.as_str()]
        .into_iter()
        .filter(|x| !x.is_empty())
        .collect();
    if !contact.is_empty() {
        o.push_str(&format!("  \n{}", contact.join(" · ")));
    }
    o.push_str("\n\n");
}

/// The closing: greeting, signer and title, the authority, the DPO.
pub(super) fn md_signature(o: &mut String, s: &Signature) {
    o.push_str(&format!("{}\n\n", s.greeting));
    let mut lines: Vec<&str> = Vec::new();
    for l in [&s.signer, &s.title, &s.authority] {
        if !l.is_empty() {
            lines.push(l);
        }
    }
    o.push_str(&format!("{}\n\n", lines.join("  \n")));
    o.push_str(&format!("{}: {}\n\n", s.dpo_heading, s.dpo));
}
