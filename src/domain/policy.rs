//! The policy catalogue: purposes, recipients, staff, calendar and lexicon, loaded from TOML.
//!
//! The catalogue is data, not code: another authority ships its own file. Loading parses
//! a string (the caller reads the file) and refuses anything inconsistent with the file,
//! line and key so a person can fix it.

use super::basis::LegalBasis;
use super::category::DataCategory;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use toml::Spanned;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    pub authority: Authority,
    #[serde(default)]
    pub calendar: CalendarRules,
    pub archive: ArchivePeriods,
    #[serde(default)]
    pub rights: RightsRules,
    #[serde(default)]
    pub staff: Vec<Staff>,
    pub purposes: Vec<Purpose>,
    pub recipients: Vec<Recipient>,
    #[serde(default)]
    pub detection: DetectionRules,
    #[serde(default)]
    pub lexicon: Vec<LexiconEntry>,
    /// Words that suggest an enquiry's purpose (see `purpose_cue`).
    #[serde(default)]
    pub purpose_cues: Vec<super::purpose_cue::PurposeCue>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Authority {
    pub id: String,
    pub name_en: String,
    pub name_da: String,
    pub address: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub phone: String,
    pub dpo_contact: String,
    pub supervisory_authority: String,
    #[serde(default)]
    pub security_measures: Vec<String>,
    /// The same measures in Danish, for a Danish Art. 30 record (the English ones are used
    /// when these are missing).
    #[serde(default)]
    pub security_measures_da: Vec<String>,
    /// The authority's English name inside a sentence ("the Ministry of …"); by default
    /// "the " and `name_en`.
    #[serde(default)]
    pub name_en_in_text: Option<String>,
    /// Who signs letters (name), and their title in each language: the letters' closing.
    #[serde(default)]
    pub signer: String,
    #[serde(default)]
    pub signer_title_en: String,
    #[serde(default)]
    pub signer_title_da: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CalendarRules {
    /// `MM-DD` days the authority is closed every year (e.g. 06-05, 12-24, 12-31).
    #[serde(default)]
    pub extra_closing_days: Vec<Spanned<String>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ArchivePeriods {
    pub first_period_start: Spanned<String>,
    pub period_years: u32,
    /// What an archival version (Executive Order 128/2020) needs to say; optional here so a
    /// policy without it still loads, and `triage archive create` names what is missing.
    #[serde(default)]
    pub archive_code: Option<String>,
    /// The first AVID number the National Archives assigned; packages count up from it.
    #[serde(default)]
    pub first_avid_number: Option<u64>,
    #[serde(default)]
    pub system_name: Option<String>,
    #[serde(default)]
    pub system_purpose: Option<String>,
    #[serde(default)]
    pub system_content: Option<String>,
    /// The authority that created the records (default: the authority's Danish name).
    #[serde(default)]
    pub creator: Option<String>,
    /// Access restrictions of archiveIndex.xml: personal data, other grounds.
    #[serde(default)]
    pub personal_data_restricted: Option<bool>,
    #[serde(default)]
    pub other_access_restrictions: Option<bool>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RightsRules {
    #[serde(default = "default_duplicate_window")]
    pub duplicate_window_days: u32,
}

fn default_duplicate_window() -> u32 {
    30
}

impl Default for RightsRules {
    fn default() -> Self {
        RightsRules {
            duplicate_window_days: default_duplicate_window(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Caseworker,
    Dpo,
    Admin,
}

impl Role {
    pub fn as_id(self) -> &'static str {
        match self {
            Role::Caseworker => "caseworker",
            Role::Dpo => "dpo",
            Role::Admin => "admin",
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Staff {
    pub login: Spanned<String>,
    pub name: String,
    pub roles: Vec<Role>,
}

/// When an enquiry under a purpose must be answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case", deny_unknown_fields)]
pub enum DeadlineRule {
    /// GDPR Art. 12(3): one month, counted as Regulation 1182/71 counts.
    GdprMonth,
    /// Offentlighedsloven § 36: 7 working days.
    #[serde(rename = "offentlighedsloven-36")]
    Offentlighedsloven36,
    WorkingDays {
        days: u32,
    },
    CalendarDays {
        days: u32,
    },
    None,
}

/// What happens to a closed case's data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case", deny_unknown_fields)]
pub enum RetentionRule {
    /// Hand over to the state archives at the end of the archive period, then delete.
    ArchiveThenDelete,
    /// Hand over, then keep or delete after a recorded specific assessment.
    ArchiveThenAssess,
    /// Delete a number of years after the case closed (no archive handover).
    DeleteAfterYears { years: u32 },
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Purpose {
    pub id: Spanned<String>,
    pub name_en: String,
    pub name_da: String,
    #[serde(default)]
    pub description_en: String,
    #[serde(default)]
    pub description_da: String,
    #[serde(default)]
    pub data_subjects_en: String,
    #[serde(default)]
    pub data_subjects_da: String,
    pub legal_bases: Vec<Spanned<LegalBasis>>,
    #[serde(default)]
    pub categories: Vec<Spanned<DataCategory>>,
    #[serde(default)]
    pub source_en: String,
    #[serde(default)]
    pub source_da: String,
    pub deadline: DeadlineRule,
    pub retention: RetentionRule,
}

impl Purpose {
    pub fn id(&self) -> &str {
        self.id.get_ref()
    }
    pub fn bases(&self) -> impl Iterator<Item = LegalBasis> + '_ {
        self.legal_bases.iter().map(|b| *b.get_ref())
    }
    pub fn name(&self, lang: super::enquiry::Language) -> &str {
        match lang {
            super::enquiry::Language::Da => &self.name_da,
            super::enquiry::Language::En => &self.name_en,
        }
    }
}

/// Where a recipient sits, which decides whether a disclosure is a transfer (GDPR ch. V).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Region {
    Dk,
    EuEea,
    InternationalEuEea,
    ThirdCountry,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Recipient {
    pub id: Spanned<String>,
    pub name_en: String,
    pub name_da: String,
    pub legal_bases: Vec<Spanned<LegalBasis>>,
    pub special_categories: bool,
    pub criminal: bool,
    /// Art. 23: disclosures here are withheld from access reports.
    pub restricted: bool,
    pub region: Region,
    #[serde(default)]
    pub template: String,
}

impl Recipient {
    pub fn id(&self) -> &str {
        self.id.get_ref()
    }
    pub fn bases(&self) -> impl Iterator<Item = LegalBasis> + '_ {
        self.legal_bases.iter().map(|b| *b.get_ref())
    }
    /// A disclosure outside the EU/EEA, or to an international organisation, needs a
    /// transfer basis (GDPR Art. 44 ff.).
    pub fn needs_transfer_basis(&self) -> bool {
        matches!(
            self.region,
            Region::ThirdCountry | Region::InternationalEuEea
        )
    }
    pub fn name(&self, lang: super::enquiry::Language) -> &str {
        match lang {
            super::enquiry::Language::Da => &self.name_da,
            super::enquiry::Language::En => &self.name_en,
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DetectionRules {
    /// Inflection endings a plain lexicon term may carry.
    #[serde(default)]
    pub suffixes: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LexiconEntry {
    pub category: Spanned<DataCategory>,
    #[serde(default = "default_confidence")]
    pub confidence: f32,
    pub terms: Vec<String>,
}

fn default_confidence() -> f32 {
    0.6
}

/// A policy the tool refuses, with where to look.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}: {message}")]
pub struct PolicyError {
    pub file: String,
    pub line: usize,
    pub message: String,
}

impl Policy {
    /// Parses and validates a policy. `file` only names the source in errors.
    pub fn from_toml(text: &str, file: &str) -> Result<Policy, PolicyError> {
        let line_of = |offset: usize| text[..offset.min(text.len())].matches('\n').count() + 1;
        let err = |offset: usize, message: String| PolicyError {
            file: file.to_string(),
            line: line_of(offset),
            message,
        };
        let policy: Policy = toml::from_str(text).map_err(|e| {
            let offset = e.span().map(|s| s.start).unwrap_or(0);
            err(offset, e.message().to_string())
        })?;

        let mut seen = HashSet::new();
        for p in &policy.purposes {
            if !seen.insert(p.id().to_string()) {
                return Err(err(
                    p.id.span().start,
                    format!("purposes: duplicate id `{}`", p.id()),
                ));
            }
            if p.legal_bases.is_empty() {
                return Err(err(
                    p.id.span().start,
                    format!("purposes.{}: legal_bases is empty", p.id()),
                ));
            }
        }
        let mut seen = HashSet::new();
        for r in &policy.recipients {
            if !seen.insert(r.id().to_string()) {
                return Err(err(
                    r.id.span().start,
                    format!("recipients: duplicate id `{}`", r.id()),
                ));
            }
            if r.legal_bases.is_empty() {
                return Err(err(
                    r.id.span().start,
                    format!("recipients.{}: legal_bases is empty", r.id()),
                ));
            }
        }
        let mut seen = HashSet::new();
        for s in &policy.staff {
            if !seen.insert(s.login.get_ref().clone()) {
                return Err(err(
                    s.login.span().start,
                    format!("staff: duplicate login `{}`", s.login.get_ref()),
                ));
            }
            if s.roles.is_empty() {
                return Err(err(
                    s.login.span().start,
                    format!("staff.{}: roles is empty", s.login.get_ref()),
                ));
            }
        }
        for day in &policy.calendar.extra_closing_days {
            if parse_month_day(day.get_ref()).is_none() {
                return Err(err(
                    day.span().start,
                    format!(
                        "calendar.extra_closing_days: `{}` is not a MM-DD day",
                        day.get_ref()
                    ),
                ));
            }
        }
        if policy.archive_start().is_none() {
            let s = &policy.archive.first_period_start;
            return Err(err(
                s.span().start,
                format!(
                    "archive.first_period_start: `{}` is not a YYYY-MM-DD date",
                    s.get_ref()
                ),
            ));
        }
        if policy.archive.period_years == 0 {
            return Err(err(
                policy.archive.first_period_start.span().start,
                "archive.period_years must be at least 1".into(),
            ));
        }
        for entry in &policy.lexicon {
            if !(0.0..=1.0).contains(&entry.confidence) {
                return Err(err(
                    entry.category.span().start,
                    format!(
                        "lexicon: confidence {} is not between 0 and 1",
                        entry.confidence
                    ),
                ));
            }
            if let Some(t) = entry.terms.iter().find(|t| {
                let core = t.trim_matches('*');
                core.trim().is_empty() || core.contains('*') || t.trim() != t.as_str()
            }) {
                return Err(err(
                    entry.category.span().start,
                    format!(
                        "lexicon: bad term `{t}` (a `*` may stand only at the start or the end)"
                    ),
                ));
            }
        }
        for cue in &policy.purpose_cues {
            let at = cue.purpose.span().start;
            if policy.purpose(cue.purpose.get_ref()).is_none() {
                return Err(err(
                    at,
                    format!("purpose_cues: unknown purpose `{}`", cue.purpose.get_ref()),
                ));
            }
            if cue.right.is_some() && cue.purpose.get_ref() != "data-subject-rights" {
                return Err(err(
                    at,
                    "purpose_cues: a right goes only with the purpose data-subject-rights".into(),
                ));
            }
            if let Some(t) = cue
                .terms
                .iter()
                .find(|t| !t.chars().any(char::is_alphanumeric))
            {
                return Err(err(at, format!("purpose_cues: empty term `{t}`")));
            }
        }
        Ok(policy)
    }

    pub fn purpose(&self, id: &str) -> Option<&Purpose> {
        self.purposes.iter().find(|p| p.id() == id)
    }

    pub fn recipient(&self, id: &str) -> Option<&Recipient> {
        self.recipients.iter().find(|r| r.id() == id)
    }

    pub fn staff(&self, login: &str) -> Option<&Staff> {
        self.staff.iter().find(|s| s.login.get_ref() == login)
    }

    pub fn roles_of(&self, login: &str) -> Vec<Role> {
        self.staff(login)
            .map(|s| s.roles.clone())
            .unwrap_or_default()
    }

    /// (month, day) pairs the authority is closed every year.
    pub fn closing_days(&self) -> Vec<(u32, u32)> {
        self.calendar
            .extra_closing_days
            .iter()
            .filter_map(|d| parse_month_day(d.get_ref()))
            .collect()
    }

    pub fn archive_start(&self) -> Option<chrono::NaiveDate> {
        chrono::NaiveDate::parse_from_str(self.archive.first_period_start.get_ref(), "%Y-%m-%d")
            .ok()
    }

    /// Lets the demo give the person running it a seat in the catalogue.
    pub fn add_staff(&mut self, login: &str, name: &str, roles: Vec<Role>) {
        if self.staff(login).is_none() {
            self.staff.push(Staff {
                login: Spanned::new(0..0, login.to_string()),
                name: name.to_string(),
                roles,
            });
        }
    }
}

fn parse_month_day(s: &str) -> Option<(u32, u32)> {
    let (m, d) = s.split_once('-')?;
    if m.len() != 2 || d.len() != 2 {
        return None;
    }
    let (m, d): (u32, u32) = (m.parse().ok()?, d.parse().ok()?);
    // 2024 is a leap year, so 02-29 is accepted as a possible closing day.
    chrono::NaiveDate::from_ymd_opt(2024, m, d).map(|_| (m, d))
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = crate::domain::fixtures::POLICY;

    #[test]
    fn minimal_policy_loads() {
        let p = Policy::from_toml(MINIMAL, "p.toml").unwrap();
        assert_eq!(p.purposes.len(), 2);
        assert_eq!(p.recipient("police").unwrap().bases().count(), 2);
        assert_eq!(p.roles_of("anne"), vec![Role::Caseworker]);
        assert!(p.roles_of("mallory").is_empty());
    }

    #[test]
    fn unknown_basis_is_refused_with_its_line() {
        let text = MINIMAL.replace(
            r#"["gdpr-6-1-e", "gdpr-10"]"#,
            r#"["gdpr-6-1-e", "gdpr-6-1-z"]"#,
        );
        let e = Policy::from_toml(&text, "p.toml").unwrap_err();
        let line = text.lines().position(|l| l.contains("gdpr-6-1-z")).unwrap() + 1;
        assert_eq!(e.line, line, "{e}");
        assert!(e.message.contains("gdpr-6-1-z"), "{e}");
        assert!(e.to_string().starts_with(&format!("p.toml:{line}:")));
    }

    #[test]
    fn duplicate_purpose_id_is_refused() {
        let dup = MINIMAL.to_string()
            + r#"
[[purposes]]
id = "citizen-enquiries"
name_en = "Again"
name_da = "Igen"
legal_bases = ["gdpr-6-1-c"]
deadline = { kind = "none" }
retention = { kind = "archive-then-delete" }
"#;
        let e = Policy::from_toml(&dup, "p.toml").unwrap_err();
        assert!(
            e.message.contains("duplicate id `citizen-enquiries`"),
            "{e}"
        );
        let second = dup
            .match_indices("id = \"citizen-enquiries\"")
            .nth(1)
            .unwrap()
            .0;
        assert_eq!(e.line, dup[..second].matches('\n').count() + 1);
    }

    #[test]
    fn missing_field_is_refused() {
        let text = MINIMAL.replace("restricted = false\n", "");
        let e = Policy::from_toml(&text, "p.toml").unwrap_err();
        assert!(e.message.contains("restricted"), "{e}");
    }

    #[test]
    fn unknown_key_and_category_and_date_are_refused() {
        let text = MINIMAL.replace("period_years = 5", "period_years = 5\nperiod_yeers = 4");
        assert!(Policy::from_toml(&text, "p")
            .unwrap_err()
            .message
            .contains("period_yeers"));
        let text = MINIMAL.replace(
            "legal_bases = [\"gdpr-6-1-c\", \"gdpr-9-2-f\"]",
            "legal_bases = [\"gdpr-6-1-c\"]\ncategories = [\"healthy\"]",
        );
        assert!(Policy::from_toml(&text, "p")
            .unwrap_err()
            .message
            .contains("healthy"));
        let text = MINIMAL.replace("2022-01-01", "2022-13-01");
        assert!(Policy::from_toml(&text, "p")
            .unwrap_err()
            .message
            .contains("2022-13-01"));
        let text = MINIMAL.replace(
            "[archive]",
            "[calendar]\nextra_closing_days = [\"02-30\"]\n\n[archive]",
        );
        assert!(Policy::from_toml(&text, "p")
            .unwrap_err()
            .message
            .contains("02-30"));
    }

    #[test]
    fn bad_lexicon_term_is_refused() {
        let text =
            MINIMAL.to_string() + "\n[[lexicon]]\ncategory = \"health\"\nterms = [\"syg*dom\"]\n";
        assert!(Policy::from_toml(&text, "p")
            .unwrap_err()
            .message
            .contains("syg*dom"));
        let ok = MINIMAL.to_string()
            + "\n[[lexicon]]\ncategory = \"health\"\nterms = [\"sygdom*\", \"*sygdom\"]\n";
        assert_eq!(
            Policy::from_toml(&ok, "p").unwrap().lexicon[0].terms.len(),
            2
        );
    }
}
