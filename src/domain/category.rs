//! Data categories: what kind of personal data an enquiry holds (GDPR Art. 9, Art. 10, CPR).

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// One category of personal data. The ids (`as_id`) are the policy's and the CLI's names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DataCategory {
    General,
    Contact,
    Cpr,
    CaseNumber,
    EthnicOrigin,
    Political,
    Religion,
    TradeUnion,
    Genetic,
    Biometric,
    Health,
    SexLife,
    Criminal,
}

impl DataCategory {
    pub const ALL: [DataCategory; 13] = [
        DataCategory::General,
        DataCategory::Contact,
        DataCategory::Cpr,
        DataCategory::CaseNumber,
        DataCategory::EthnicOrigin,
        DataCategory::Political,
        DataCategory::Religion,
        DataCategory::TradeUnion,
        DataCategory::Genetic,
        DataCategory::Biometric,
        DataCategory::Health,
        DataCategory::SexLife,
        DataCategory::Criminal,
    ];

    pub fn as_id(self) -> &'static str {
        match self {
            DataCategory::General => "general",
            DataCategory::Contact => "contact",
            DataCategory::Cpr => "cpr",
            DataCategory::CaseNumber => "case-number",
            DataCategory::EthnicOrigin => "ethnic-origin",
            DataCategory::Political => "political",
            DataCategory::Religion => "religion",
            DataCategory::TradeUnion => "trade-union",
            DataCategory::Genetic => "genetic",
            DataCategory::Biometric => "biometric",
            DataCategory::Health => "health",
            DataCategory::SexLife => "sex-life",
            DataCategory::Criminal => "criminal",
        }
    }

    /// GDPR Art. 9(1): processing needs an Art. 9(2) ground.
    pub fn is_special(self) -> bool {
        matches!(
            self,
            DataCategory::EthnicOrigin
                | DataCategory::Political
                | DataCategory::Religion
                | DataCategory::TradeUnion
                | DataCategory::Genetic
                | DataCategory::Biometric
                | DataCategory::Health
                | DataCategory::SexLife
        )
    }

    /// GDPR Art. 10: criminal convictions and offences.
    pub fn is_criminal(self) -> bool {
        self == DataCategory::Criminal
    }

    /// Short badge for the queue, e.g. `CPR`, `HLTH`, `A10`.
    pub fn badge(self) -> &'static str {
        match self {
            DataCategory::General => "GEN",
            DataCategory::Contact => "CON",
            DataCategory::Cpr => "CPR",
            DataCategory::CaseNumber => "CASE",
            DataCategory::EthnicOrigin => "ETH",
            DataCategory::Political => "POL",
            DataCategory::Religion => "REL",
            DataCategory::TradeUnion => "TU",
            DataCategory::Genetic => "GEN9",
            DataCategory::Biometric => "BIO",
            DataCategory::Health => "HLTH",
            DataCategory::SexLife => "SEX",
            DataCategory::Criminal => "A10",
        }
    }

    pub fn name_en(self) -> &'static str {
        match self {
            DataCategory::General => "General personal data",
            DataCategory::Contact => "Contact details",
            DataCategory::Cpr => "CPR number",
            DataCategory::CaseNumber => "Case numbers",
            DataCategory::EthnicOrigin => "Racial or ethnic origin",
            DataCategory::Political => "Political opinions",
            DataCategory::Religion => "Religious or philosophical beliefs",
            DataCategory::TradeUnion => "Trade-union membership",
            DataCategory::Genetic => "Genetic data",
            DataCategory::Biometric => "Biometric data for identification",
            DataCategory::Health => "Health",
            DataCategory::SexLife => "Sex life or sexual orientation",
            DataCategory::Criminal => "Criminal convictions and offences",
        }
    }

    pub fn name_da(self) -> &'static str {
        match self {
            DataCategory::General => "Almindelige personoplysninger",
            DataCategory::Contact => "Kontaktoplysninger",
            DataCategory::Cpr => "CPR-nummer",
            DataCategory::CaseNumber => "Sagsnumre",
            DataCategory::EthnicOrigin => "Race eller etnisk oprindelse",
            DataCategory::Political => "Politisk overbevisning",
            DataCategory::Religion => "Religiøs eller filosofisk overbevisning",
            DataCategory::TradeUnion => "Fagforeningsmæssigt tilhørsforhold",
            DataCategory::Genetic => "Genetiske data",
            DataCategory::Biometric => "Biometriske data til identifikation",
            DataCategory::Health => "Helbredsoplysninger",
            DataCategory::SexLife => "Seksuelle forhold eller seksuel orientering",
            DataCategory::Criminal => "Strafbare forhold",
        }
    }
}

impl fmt::Display for DataCategory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_id())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown data category `{0}` (known: general, contact, cpr, case-number, ethnic-origin, political, religion, trade-union, genetic, biometric, health, sex-life, criminal)")]
pub struct UnknownCategory(pub String);

impl FromStr for DataCategory {
    type Err = UnknownCategory;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        DataCategory::ALL
            .into_iter()
            .find(|c| c.as_id() == s)
            .ok_or_else(|| UnknownCategory(s.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_and_are_unique() {
        let mut seen = std::collections::HashSet::new();
        for c in DataCategory::ALL {
            assert!(seen.insert(c.as_id()));
            assert_eq!(c.as_id().parse::<DataCategory>().unwrap(), c);
        }
        assert!("diabetes".parse::<DataCategory>().is_err());
    }

    #[test]
    fn serde_names_are_the_ids() {
        for c in DataCategory::ALL {
            assert_eq!(
                serde_json::to_string(&c).unwrap(),
                format!("\"{}\"", c.as_id())
            );
        }
    }

    #[test]
    fn art9_and_art10_are_told_apart() {
        let special: Vec<_> = DataCategory::ALL
            .into_iter()
            .filter(|c| c.is_special())
            .collect();
        assert_eq!(special.len(), 8, "GDPR Art. 9(1) names eight categories");
        assert!(!DataCategory::Criminal.is_special());
        assert!(DataCategory::Criminal.is_criminal());
        assert!(!DataCategory::Cpr.is_special());
    }
}
