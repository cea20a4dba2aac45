//! The policy catalogue: purposes, recipients, staff, calendar and lexicon, loaded from TOML.
//!
//! The catalogue is data, not code: another authority ships its own file. Loading parses
//! a string (the caller reads the file) and refuses anything inconsistent with the file,
//! line and key so a person can fix it.

use super::basis::{BasisKind, LegalBasis};
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
    /// Which kind of basis a disclosure needs for each confirmed category. A policy from
    /// before these rules existed (one without the key) gets the rules the code used to
    /// hold: Art. 9 and Art. 10; so a store's installed policy means what it meant.
    #[serde(default = "default_category_rules")]
    pub category_rules: Vec<CategoryRule>,
}

/// A rule of the form "a disclosure of a case holding these categories needs one of these
/// bases": the special categories need an Art. 9(2) ground, criminal-offence data an Art. 10
/// basis, a CPR number Data Protection Act § 11.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CategoryRule {
    /// A category id (`cpr`, `health`) or a class: `special` (every GDPR Art. 9(1) category).
    pub category: Spanned<String>,
    /// Basis kinds that satisfy the rule: `art-9` (Art. 9(2), DPA § 7), `art-10` (Art. 10,
    /// DPA § 8).
    #[serde(default)]
    pub basis_kinds: Vec<Spanned<String>>,
    /// Bases by id that satisfy the rule (`dpa-11`).
    #[serde(default)]
    pub bases: Vec<Spanned<String>>,
}

/// What a category rule applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CategorySelector {
    One(DataCategory),
    /// The GDPR Art. 9(1) special categories.
    Special,
}

impl CategorySelector {
    pub fn parse(s: &str) -> Option<CategorySelector> {
        match s {
            "special" => Some(CategorySelector::Special),
            _ => s.parse().ok().map(CategorySelector::One),
        }
    }

    pub fn matches(self, c: DataCategory) -> bool {
        match self {
            CategorySelector::One(one) => one == c,
            CategorySelector::Special => c.is_special(),
        }
    }
}

fn parse_kind(s: &str) -> Option<BasisKind> {
    match s {
        "art-6" => Some(BasisKind::Art6),
        "art-9" => Some(BasisKind::Art9),
        "art-10" => Some(BasisKind::Art10),
        _ => None,
    }
}

impl CategoryRule {
    fn new(category: &str, kinds: &[&str], bases: &[&str]) -> CategoryRule {
        let spanned = |s: &&str| Spanned::new(0..0, s.to_string());
        CategoryRule {
            category: spanned(&category),
            basis_kinds: kinds.iter().map(spanned).collect(),
            bases: bases.iter().map(spanned).collect(),
        }
    }

    /// What the rule applies to; `None` only for a rule the loader would have refused.
    pub fn selector(&self) -> Option<CategorySelector> {
        CategorySelector::parse(self.category.get_ref())
    }

    pub fn kinds(&self) -> impl Iterator<Item = BasisKind> + '_ {
        self.basis_kinds
            .iter()
            .filter_map(|k| parse_kind(k.get_ref()))
    }

    pub fn named_bases(&self) -> impl Iterator<Item = LegalBasis> + '_ {
        self.bases.iter().filter_map(|b| b.get_ref().parse().ok())
    }

    /// Whether `basis` satisfies the rule.
    pub fn accepts(&self, basis: LegalBasis) -> bool {
        self.kinds().any(|k| k == basis.kind()) || self.named_bases().any(|b| b == basis)
    }

    /// The categories among `confirmed` the rule applies to.
    pub fn applies_to(&self, confirmed: &[DataCategory]) -> Vec<DataCategory> {
        match self.selector() {
            Some(sel) => confirmed
                .iter()
                .copied()
                .filter(|c| sel.matches(*c))
                .collect(),
            None => Vec::new(),
        }
    }
}

fn default_category_rules() -> Vec<CategoryRule> {
    vec![
        CategoryRule::new("special", &["art-9"], &[]),
        CategoryRule::new("criminal", &["art-10"], &[]),
    ]
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
        policy.check_category_rules(text.find("category_rules").unwrap_or(0), &err)?;
        Ok(policy)
    }

    /// Refuses a category rule naming an unknown category, kind or basis, one that no basis
    /// could satisfy, and a policy that leaves a special category or criminal-offence data
    /// without a rule (the law asks a basis of its own for them).
    fn check_category_rules(
        &self,
        rules_at: usize,
        err: &dyn Fn(usize, String) -> PolicyError,
    ) -> Result<(), PolicyError> {
        for rule in &self.category_rules {
            let at = rule.category.span().start;
            if rule.selector().is_none() {
                return Err(err(
                    at,
                    format!(
                        "category_rules: unknown category `{}` (a category id such as cpr or health, or `special` for every Art. 9 category)",
                        rule.category.get_ref()
                    ),
                ));
            }
            if let Some(k) = rule
                .basis_kinds
                .iter()
                .find(|k| parse_kind(k.get_ref()).is_none())
            {
                return Err(err(
                    k.span().start,
                    format!(
                        "category_rules: unknown basis kind `{}` (art-6, art-9 or art-10)",
                        k.get_ref()
                    ),
                ));
            }
            if let Some(b) = rule
                .bases
                .iter()
                .find(|b| b.get_ref().parse::<LegalBasis>().is_err())
            {
                return Err(err(
                    b.span().start,
                    format!(
                        "category_rules: unknown legal basis `{}` (e.g. gdpr-9-2-f, dpa-8, dpa-11)",
                        b.get_ref()
                    ),
                ));
            }
            if rule.basis_kinds.is_empty() && rule.bases.is_empty() {
                return Err(err(
                    at,
                    format!(
                        "category_rules.{}: name the basis_kinds or bases a disclosure needs",
                        rule.category.get_ref()
                    ),
                ));
            }
        }
        let uncovered: Vec<&str> = DataCategory::ALL
            .into_iter()
            .filter(|c| c.is_special() || c.is_criminal())
            .filter(|c| {
                !self
                    .category_rules
                    .iter()
                    .any(|r| r.selector().is_some_and(|s| s.matches(*c)))
            })
            .map(|c| c.as_id())
            .collect();
        if !uncovered.is_empty() {
            let at = self
                .category_rules
                .first()
                .map(|r| r.category.span().start)
                .filter(|at| *at > 0)
                .unwrap_or(rules_at);
            return Err(err(
                at,
                format!(
                    "category_rules: no rule for {} (special categories need an Art. 9(2) ground, criminal-offence data an Art. 10 basis)",
                    uncovered.join(", ")
                ),
            ));
        }
        Ok(())
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
        assert_eq!(p.recipient("police").unwrap().bases().count(), 3);
        assert_eq!(p.roles_of("anne"), vec![Role::Caseworker]);
        assert!(p.roles_of("mallory").is_empty());
    }

    #[test]
    fn unknown_basis_is_refused_with_its_line() {
        let text = MINIMAL.replace(
            r#"["gdpr-6-1-e", "gdpr-10", "#,
            r#"["gdpr-6-1-e", "gdpr-6-1-z", "#,
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

    #[test]
    fn category_rule_with_an_unknown_basis_is_refused_with_its_line() {
        let text = MINIMAL.replace("bases = [\"dpa-11\"]", "bases = [\"dpa-12\"]");
        let e = Policy::from_toml(&text, "p.toml").unwrap_err();
        let line = text.lines().position(|l| l.contains("dpa-12")).unwrap() + 1;
        assert_eq!((e.file.as_str(), e.line), ("p.toml", line), "{e}");
        assert!(
            e.message
                .starts_with("category_rules: unknown legal basis `dpa-12`"),
            "{e}"
        );
    }

    #[test]
    fn category_rule_with_an_unknown_category_or_kind_is_refused_with_its_line() {
        let text = MINIMAL.replace("category = \"cpr\"", "category = \"cpr-number\"");
        let e = Policy::from_toml(&text, "p.toml").unwrap_err();
        let line = text.lines().position(|l| l.contains("cpr-number")).unwrap() + 1;
        assert_eq!(e.line, line, "{e}");
        assert!(e.message.contains("unknown category `cpr-number`"), "{e}");
        let text = MINIMAL.replace("basis_kinds = [\"art-10\"]", "basis_kinds = [\"art-11\"]");
        let e = Policy::from_toml(&text, "p.toml").unwrap_err();
        let line = text.lines().position(|l| l.contains("art-11")).unwrap() + 1;
        assert_eq!(e.line, line, "{e}");
        assert!(e.message.contains("unknown basis kind `art-11`"), "{e}");
        let text = MINIMAL.replace("bases = [\"dpa-11\"]", "bases = []");
        let e = Policy::from_toml(&text, "p.toml").unwrap_err();
        assert!(e.message.contains("category_rules.cpr: name the"), "{e}");
    }

    #[test]
    fn special_categories_and_criminal_data_must_have_a_rule() {
        let text = MINIMAL.replace(
            "[[category_rules]]\ncategory = \"criminal\"\nbasis_kinds = [\"art-10\"]\n",
            "",
        );
        let e = Policy::from_toml(&text, "p.toml").unwrap_err();
        assert!(e.message.contains("no rule for criminal"), "{e}");
        // One special category alone does not cover the others.
        let text = MINIMAL.replace("category = \"special\"", "category = \"health\"");
        let e = Policy::from_toml(&text, "p.toml").unwrap_err();
        assert!(e.message.contains("no rule for ethnic-origin"), "{e}");
        assert!(!e.message.contains("health"), "{e}");
    }

    #[test]
    fn a_policy_without_category_rules_keeps_the_art9_and_art10_rules() {
        let cut = MINIMAL.find("[[category_rules]]").unwrap();
        let p = Policy::from_toml(&MINIMAL[..cut], "p.toml").unwrap();
        let rules: Vec<_> = p
            .category_rules
            .iter()
            .map(|r| (r.selector().unwrap(), r.kinds().collect::<Vec<_>>()))
            .collect();
        assert_eq!(
            rules,
            vec![
                (CategorySelector::Special, vec![BasisKind::Art9]),
                (
                    CategorySelector::One(DataCategory::Criminal),
                    vec![BasisKind::Art10]
                ),
            ]
        );
        assert!(p.category_rules[0].accepts(LegalBasis::DataProtectionAct7));
        assert!(!p.category_rules[0].accepts(LegalBasis::DataProtectionAct11));
    }
}
