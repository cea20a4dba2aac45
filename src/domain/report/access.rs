//! The Art. 15 access answer as data.

use super::*;

// ---------------------------------------------------------------------------------------
// The access answer (Art. 15)

/// How the person was found in a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// The person wrote (sender's CPR, e-mail or name and address).
    Sender,
    /// The person's CPR number is written in someone else's enquiry.
    Mentioned,
}

/// A read of the person's data, for the log extract. Staff identities are not in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Read {
    pub at: DateTime<Utc>,
    pub reference: Option<Reference>,
    /// The access action id: open, reveal-cpr, search, export, report.
    pub action: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct AccessReport {
    pub language: &'static str,
    pub date: NaiveDate,
    pub title: String,
    pub intro: String,
    /// The person as their own enquiries write them (CPR numbers masked).
    pub subject: Vec<String>,
    /// The references of the cases the answer covers.
    pub references: Vec<String>,
    pub controller: Controller,
    pub cases: Vec<CaseSection>,
    pub none_found: Option<String>,
    /// (e)
    pub rights: Section,
    /// (f)
    pub complaint: Section,
    /// (h)
    pub automated: Section,
    /// Art. 15(2): only when something went outside the EU/EEA.
    pub transfers: Option<Section>,
    pub log: Option<LogExtract>,
    pub signature: Signature,
}

/// The closing of a letter: greeting, signer, authority and the DPO.
#[derive(Debug, Clone, Serialize)]
pub struct Signature {
    pub greeting: String,
    pub signer: String,
    pub title: String,
    pub authority: String,
    pub dpo_heading: String,
    pub dpo: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Controller {
    pub heading: String,
    pub name: String,
    pub address: String,
    pub email: String,
    pub phone: String,
    pub dpo_heading: String,
    pub dpo: String,
}

/// A heading with its paragraphs or list items.
#[derive(Debug, Clone, Serialize)]
pub struct Section {
    pub heading: String,
    pub lines: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CaseSection {
    pub heading: String,
    pub reference: String,
    pub received: NaiveDate,
    pub role: Role,
    pub summary: Vec<String>,
    /// (a)
    pub purpose: PurposeSection,
    /// (b)
    pub categories: Section,
    /// (c)
    pub recipients: RecipientsSection,
    /// (d)
    pub retention: Section,
    /// (g)
    pub source: Section,
    pub decision: Option<DecisionSection>,
    pub copy: CopySection,
}

#[derive(Debug, Clone, Serialize)]
pub struct PurposeSection {
    pub heading: String,
    pub id: Option<String>,
    pub name: Option<String>,
    pub description: Option<String>,
    pub legal_basis_heading: String,
    pub legal_bases: Vec<String>,
    pub lines: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RecipientsSection {
    pub heading: String,
    pub recipients: Vec<RecipientLine>,
    pub lines: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RecipientLine {
    pub id: String,
    pub name: String,
    pub date: NaiveDate,
    pub legal_bases: Vec<String>,
    pub third_country: bool,
    pub safeguard: Option<String>,
    pub text: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct DecisionSection {
    pub heading: String,
    pub right: Option<String>,
    pub outcome: String,
    pub date: NaiveDate,
    pub lines: Vec<String>,
    pub ruling: Option<RulingText>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RulingText {
    pub reasons_heading: String,
    pub reasons: String,
    pub ground_heading: String,
    pub ground: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct CopySection {
    pub heading: String,
    /// (label, value) pairs of the sender's details, when the person is the sender.
    pub fields: Vec<(String, String)>,
    pub note: Option<String>,
    pub subject_heading: String,
    pub subject: String,
    pub text_heading: String,
    pub text: String,
    pub attachments: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct LogExtract {
    pub heading: String,
    pub intro: String,
    pub entries: Vec<LogLine>,
    pub empty: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct LogLine {
    pub at: DateTime<Utc>,
    /// `at` in Danish time, as the letter writes it.
    pub when: String,
    pub reference: Option<String>,
    pub what: String,
}

/// Whether a case may appear in an access answer at all: not restricted under Art. 23.
pub fn reportable(case: &Case) -> bool {
    case.restriction.is_none()
}

/// Whether a disclosure may appear in an access answer: live, and to a recipient the
/// policy knows and does not restrict. An unknown recipient (a policy changed since) is
/// treated as restricted: leaving a line out can be corrected, telling cannot be undone.
pub fn reportable_disclosure(policy: &Policy, d: &Disclosure) -> bool {
    d.withdrawn.is_none()
        && policy
            .recipient(&d.recipient)
            .is_some_and(|r| !r.restricted)
}

/// The role of the person in a case, from the keys they were looked up by.
pub fn role_in(case: &Case, keys: &BTreeSet<String>) -> Role {
    if sender_keys(&case.enquiry.sender)
        .iter()
        .any(|k| keys.contains(k))
    {
        Role::Sender
    } else {
        Role::Mentioned
    }
}

/// Builds the access answer. `cases` are the person's live cases as found in the subject
/// index; restricted ones are dropped here, without a trace. `reads` is the log extract
/// when asked for (already limited to this person's data).
pub fn access_report(
    policy: &Policy,
    subjects: &[SubjectId],
    cases: &[Case],
    lang: Language,
    today: NaiveDate,
    reads: Option<&[Read]>,
) -> AccessReport {
    let t = texts(lang);
    let a = &policy.authority;
    let authority = match lang {
        Language::En => &a.name_en,
        Language::Da => &a.name_da,
    };
    let keys: BTreeSet<String> = subjects.iter().map(SubjectId::key).collect();
    let own_cprs: BTreeSet<String> = subjects
        .iter()
        .filter_map(|s| match s {
            SubjectId::Cpr(d) => Some(d.clone()),
            _ => None,
        })
        .collect();
    let mut shown: Vec<&Case> = cases.iter().filter(|c| reportable(c)).collect();
    shown.sort_by_key(|c| c.reference);
    shown.dedup_by_key(|c| c.reference);
    let included: BTreeSet<Reference> = shown.iter().map(|c| c.reference).collect();
    let sections: Vec<CaseSection> = shown
        .iter()
        .map(|c| case_section(policy, c, role_in(c, &keys), &own_cprs, lang, today))
        .collect();
    let in_text = authority_in_text(policy, lang);
    let rights = Section {
        heading: t.e_heading.into(),
        lines: vec![
            t.rights_intro.into(),
            t.right_rectification.into(),
            t.right_erasure.into(),
            t.right_restriction.into(),
            t.right_objection.into(),
            t.rights_ruling.into(),
            fill(
                t.rights_contact,
                &[
                    ("authority", &in_text),
                    ("address", &a.address),
                    ("dpo", &a.dpo_contact),
                ],
            ),
        ],
    };
    let transfer_lines: Vec<String> = sections
        .iter()
        .flat_map(|cs| {
            cs.recipients
                .recipients
                .iter()
                .filter(|r| r.third_country)
                .map(|r| {
                    fill(
                        t.transfer_line,
                        &[
                            ("reference", &cs.reference),
                            ("recipient", &r.name),
                            ("date", &long_date(r.date, t)),
                            ("transfer", r.safeguard.as_deref().unwrap_or("-")),
                        ],
                    )
                })
                .collect::<Vec<_>>()
        })
        .collect();
    let transfers = (!transfer_lines.is_empty()).then(|| Section {
        heading: t.transfers_heading.into(),
        lines: transfer_lines,
    });
    let complaint = Section {
        heading: t.f_heading.into(),
        lines: vec![fill(t.complaint, &[("agency", &a.supervisory_authority)])],
    };
    let log = reads.map(|reads| {
        let mut entries: Vec<LogLine> = reads
            .iter()
            // Reads of a case left out are left out too: the log must not hint at it.
            .filter(|r| r.reference.is_none_or(|x| included.contains(&x)))
            .filter_map(|r| {
                let what = match r.action.as_str() {
                    "open" => t.log_open,
                    "reveal-cpr" => t.log_reveal,
                    "search" => t.log_search,
                    "export" => t.log_export,
                    "report" => t.log_report,
                    _ => return None,
                };
                Some(LogLine {
                    at: r.at,
                    when: long_time(r.at, t),
                    reference: r.reference.map(|x| x.to_string()),
                    what: what.into(),
                })
            })
            .collect();
        entries.sort_by(|x, y| (x.at, &x.reference).cmp(&(y.at, &y.reference)));
        LogExtract {
            heading: t.log_heading.into(),
            intro: t.log_intro.into(),
            empty: entries.is_empty().then(|| t.log_empty.into()),
            entries,
        }
    });
    AccessReport {
        language: lang_id(lang),
        date: today,
        title: t.access_title.into(),
        intro: fill(t.intro, &[("authority", &in_text)]),
        subject: subjects.iter().map(|s| as_written(s, &shown)).collect(),
        references: shown.iter().map(|c| c.reference.to_string()).collect(),
        controller: Controller {
            heading: t.controller.into(),
            name: authority.clone(),
            address: a.address.clone(),
            email: a.email.clone(),
            phone: a.phone.clone(),
            dpo_heading: t.dpo.into(),
            dpo: a.dpo_contact.clone(),
        },
        none_found: sections.is_empty().then(|| t.none_found.into()),
        cases: sections,
        rights,
        complaint,
        automated: Section {
            heading: t.h_heading.into(),
            lines: vec![t.automated.into()],
        },
        transfers,
        log,
        signature: signature(policy, lang),
    }
}

/// The closing every letter ends with, from the policy.
pub fn signature(policy: &Policy, lang: Language) -> Signature {
    let t = texts(lang);
    let a = &policy.authority;
    Signature {
        greeting: t.greeting.into(),
        signer: line(&a.signer),
        title: line(match lang {
            Language::En => &a.signer_title_en,
            Language::Da => &a.signer_title_da,
        }),
        authority: line(match lang {
            Language::En => &a.name_en,
            Language::Da => &a.name_da,
        }),
        dpo_heading: t.dpo.into(),
        dpo: line(&a.dpo_contact),
    }
}

/// The authority inside a sentence: "the Ministry of …" in English, the name in Danish.
pub fn authority_in_text(policy: &Policy, lang: Language) -> String {
    let a = &policy.authority;
    match lang {
        Language::Da => a.name_da.clone(),
        Language::En => a.name_en_in_text.clone().unwrap_or_else(|| {
            if a.name_en.to_lowercase().starts_with("the ") {
                a.name_en.clone()
            } else {
                format!("the {}", a.name_en)
            }
        }),
    }
}

/// The person as their enquiries write them: the identifiers are lower-cased for the index,
/// a letter uses the name, address and e-mail as the sender wrote them.
fn as_written(id: &SubjectId, cases: &[&Case]) -> String {
    let senders = || cases.iter().map(|c| &c.enquiry.sender);
    let found = match id {
        SubjectId::Cpr(_) => None,
        SubjectId::Email(m) => senders()
            .filter_map(|s| s.email.as_deref())
            .find(|e| e.trim().to_lowercase() == *m)
            .map(line),
        SubjectId::NameAddress { name, address } => senders()
            .find(|s| {
                words_norm(&s.name) == *name
                    && s.address
                        .as_deref()
                        .is_some_and(|a| words_norm(a) == *address)
            })
            .map(|s| {
                let words = |x: &str| line(x).split_whitespace().collect::<Vec<_>>().join(" ");
                format!(
                    "{}, {}",
                    words(&s.name),
                    words(s.address.as_deref().unwrap_or_default())
                )
            }),
    };
    found.unwrap_or_else(|| id.shown())
}

fn case_section(
    policy: &Policy,
    c: &Case,
    role: Role,
    own_cprs: &BTreeSet<String>,
    lang: Language,
    today: NaiveDate,
) -> CaseSection {
    let t = texts(lang);
    let e = &c.enquiry;
    let received = e.received.danish_day();
    let channel = channel_name(e.channel, t);
    let purpose = c.purpose.as_deref().and_then(|p| policy.purpose(p));
    let confirmed = c.confirmed();
    let special = confirmed.iter().any(|x| x.is_special());
    let criminal = confirmed.iter().any(|x| x.is_criminal());

    // (a) Only the Art. 9 and Art. 10 grounds the case's data calls for.
    let legal_bases: Vec<String> = purpose
        .map(|p| {
            p.bases()
                .filter(|b| match b.kind() {
                    BasisKind::Art9 => special,
                    BasisKind::Art10 => criminal,
                    _ => true,
                })
                .map(|b| citation(b, lang))
                .collect()
        })
        .unwrap_or_default();
    let purpose_section = PurposeSection {
        heading: t.a_heading.into(),
        id: purpose.map(|p| p.id().to_string()),
        name: purpose.map(|p| p.name(lang).to_string()),
        description: purpose
            .map(|p| match lang {
                Language::En => p.description_en.clone(),
                Language::Da => p.description_da.clone(),
            })
            .filter(|d| !d.is_empty()),
        legal_basis_heading: t.legal_basis.into(),
        legal_bases,
        lines: if purpose.is_none() {
            vec![t.purpose_undecided.into()]
        } else {
            vec![]
        },
    };

    // (b)
    let categories = Section {
        heading: t.b_heading.into(),
        lines: if confirmed.is_empty() {
            vec![t.unclassified.into()]
        } else {
            confirmed
                .iter()
                .map(|x| category_name(*x, lang).to_string())
                .collect()
        },
    };

    // (c)
    let recipients: Vec<RecipientLine> = c
        .disclosures
        .iter()
        .filter(|d| reportable_disclosure(policy, d))
        .filter_map(|d| {
            let r: &Recipient = policy.recipient(&d.recipient)?;
            let date = d.made.at.danish_day();
            let bases: Vec<String> = d.bases.iter().map(|b| citation(*b, lang)).collect();
            let template = match d.kind {
                DisclosureKind::Disclosure => t.disclosed,
                DisclosureKind::Forward => t.forwarded,
                DisclosureKind::EmployerNotice => t.employer_notice,
            };
            let text = fill(
                template,
                &[
                    ("recipient", r.name(lang)),
                    ("date", &long_date(date, t)),
                    ("bases", &bases.join(", ")),
                ],
            );
            let third_country = r.needs_transfer_basis();
            let safeguard = d.transfer.as_deref().map(line);
            Some(RecipientLine {
                id: r.id().to_string(),
                name: r.name(lang).to_string(),
                date,
                legal_bases: bases,
                third_country,
                safeguard,
                text,
            })
        })
        .collect();
    let mut recipient_lines = Vec::new();
    if recipients.is_empty() {
        recipient_lines.push(t.no_recipients.to_string());
    }

    // (d)
    let retention = Section {
        heading: t.d_heading.into(),
        lines: retention_lines(policy, c, purpose.map(|p| p.retention), lang, today),
    };

    // (g)
    let date = long_date(received, t);
    let mut source_lines = vec![fill(
        match role {
            Role::Sender => t.source_sender,
            Role::Mentioned => t.source_mentioned,
        },
        &[("channel", channel), ("date", &date)],
    )];
    if let Some(p) = purpose {
        let s = match lang {
            Language::En => &p.source_en,
            Language::Da => &p.source_da,
        };
        if !s.is_empty() {
            source_lines.push(fill(t.source_purpose, &[("source", s)]));
        }
    }

    let decision = c.decision.as_ref().map(|d| DecisionSection {
        heading: t.decision_heading.into(),
        right: c.right.map(|r| right_name(r, t).to_string()),
        outcome: outcome_name(d.outcome, t).into(),
        date: d.made.at.danish_day(),
        lines: {
            let mut v = Vec::new();
            if let Some(r) = c.right {
                v.push(fill(
                    t.request_line,
                    &[("right", right_name(r, t)), ("article", article_number(r))],
                ));
            }
            v.push(fill(
                t.decided_line,
                &[
                    ("date", &long_date(d.made.at.danish_day(), t)),
                    ("outcome", outcome_name(d.outcome, t)),
                ],
            ));
            v
        },
        ruling: d.ruling.as_ref().map(|r| ruling_text(r, t)),
    });

    CaseSection {
        heading: fill(t.case_heading, &[("reference", &c.reference.to_string())]),
        reference: c.reference.to_string(),
        received,
        role,
        summary: vec![
            fill(t.received_line, &[("date", &date), ("channel", channel)]),
            match role {
                Role::Sender => t.role_sender.into(),
                Role::Mentioned => t.role_mentioned.into(),
            },
        ],
        purpose: purpose_section,
        categories,
        recipients: RecipientsSection {
            heading: t.c_heading.into(),
            recipients,
            lines: recipient_lines,
        },
        retention,
        source: Section {
            heading: t.g_heading.into(),
            lines: source_lines,
        },
        decision,
        copy: copy_section(e, role, own_cprs, t),
    }
}

pub(super) fn ruling_text(r: &Ruling, t: &Texts) -> RulingText {
    RulingText {
        reasons_heading: t.reasons.into(),
        reasons: sanitize_text(&r.reasons).trim().to_string(),
        ground_heading: t.ground.into(),
        ground: line(&r.ground),
    }
}

fn copy_section(e: &Enquiry, role: Role, own_cprs: &BTreeSet<String>, t: &Texts) -> CopySection {
    let s = &e.sender;
    let mut fields = Vec::new();
    let mut note = None;
    match role {
        Role::Sender => {
            let mut push = |label: &str, v: &Option<String>| {
                if let Some(v) = v.as_deref().map(line).filter(|v| !v.is_empty()) {
                    fields.push((label.to_string(), v));
                }
            };
            push(t.name, &Some(s.name.clone()));
            push(t.email, &s.email);
            push(t.phone, &s.phone);
            push(t.address, &s.address);
            push(t.cpr, &s.cpr);
        }
        // Art. 15(4): the copy must not take away the rights of others.
        Role::Mentioned => note = Some(t.sender_withheld.to_string()),
    }
    // The person's own CPR numbers stay readable; anyone else's are masked.
    let keep: BTreeSet<String> = match role {
        Role::Sender => own_cprs
            .iter()
            .cloned()
            .chain(
                s.cpr
                    .iter()
                    .map(|c| c.chars().filter(char::is_ascii_digit).collect()),
            )
            .collect(),
        Role::Mentioned => own_cprs.clone(),
    };
    CopySection {
        heading: t.copy_heading.into(),
        fields,
        note,
        subject_heading: t.subject.into(),
        subject: line(&mask_cprs_except(&e.subject, &keep)),
        text_heading: t.text.into(),
        text: sanitize_text(&mask_cprs_except(&e.body, &keep))
            .trim()
            .to_string(),
        attachments: e.attachments.iter().map(|a| line(a)).collect(),
    }
}

fn retention_lines(
    policy: &Policy,
    c: &Case,
    rule: Option<RetentionRule>,
    lang: Language,
    today: NaiveDate,
) -> Vec<String> {
    let t = texts(lang);
    let mut v = Vec::new();
    let Some(rule) = rule else {
        v.push(t.retention_undecided.to_string());
        return v;
    };
    v.push(retention_rule_text(policy, rule, t));
    // The dates come from the retention clock, the one the retention run acts on.
    let Some(clock) = clock::retention_clock(c, policy, today) else {
        return v;
    };
    let handed = c.handed_over.as_ref().map(|s| s.at.danish_day());
    let on = |template: &str, d: NaiveDate| fill(template, &[("date", &long_date(d, t))]);
    if clock.closed.is_none() {
        v.push(t.retention_open.into());
    } else if let RetentionRule::DeleteAfterYears { .. } = rule {
        if let Some(d) = clock.deletion_due {
            v.push(on(t.retention_delete_on, d));
        }
    } else if let Some(h) = handed {
        v.push(on(t.retention_handed_over, h));
        match clock.state {
            RetentionState::Kept { review: Some(r) } => v.push(on(t.retention_kept, r)),
            _ => {
                if let Some(d) = clock.deletion_due {
                    v.push(on(t.retention_delete_on, d));
                }
            }
        }
    } else if let Some(end) = clock.handover_due {
        // The handover falls due the day after the period's last day.
        v.push(on(t.retention_handover_due, end.succ_opt().unwrap_or(end)));
    }
    if c.legal_hold.is_some() {
        v.push(t.retention_hold.into());
    }
    v
}
