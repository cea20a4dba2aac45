//! Legal bases: the GDPR articles and Danish statutes a processing or disclosure rests on.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A legal basis, by its stable id (`gdpr-6-1-e`, `gdpr-9-2-f`, `dpa-8`, `aliens-act` …).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum LegalBasis {
    /// GDPR Art. 6(1)(a)–(f); the letter as 'a'..='f'.
    Gdpr6(char),
    /// GDPR Art. 9(2)(a)–(j).
    Gdpr9(char),
    /// GDPR Art. 10.
    Gdpr10,
    /// Databeskyttelsesloven, in general.
    DataProtectionAct,
    /// Databeskyttelsesloven § 7 (special categories).
    DataProtectionAct7,
    /// Databeskyttelsesloven § 8 (criminal offences, public authorities).
    DataProtectionAct8,
    /// Databeskyttelsesloven § 11 (CPR numbers).
    DataProtectionAct11,
    /// Udlændingeloven.
    AliensAct,
    /// Forvaltningsloven.
    PublicAdministrationAct,
    /// Forvaltningsloven § 7: forwarding to the competent authority.
    PublicAdministrationAct7,
    /// Offentlighedsloven.
    AccessToFilesAct,
    /// Arkivloven.
    ArchivesAct,
}

/// What a basis can carry: ordinary data, Art. 9 special categories, Art. 10 criminal data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum BasisKind {
    Art6,
    Art9,
    Art10,
    Statute,
}

impl LegalBasis {
    pub fn all() -> Vec<LegalBasis> {
        let mut v: Vec<LegalBasis> = ('a'..='f').map(LegalBasis::Gdpr6).collect();
        v.extend(('a'..='j').map(LegalBasis::Gdpr9));
        v.extend([
            LegalBasis::Gdpr10,
            LegalBasis::DataProtectionAct,
            LegalBasis::DataProtectionAct7,
            LegalBasis::DataProtectionAct8,
            LegalBasis::DataProtectionAct11,
            LegalBasis::AliensAct,
            LegalBasis::PublicAdministrationAct,
            LegalBasis::PublicAdministrationAct7,
            LegalBasis::AccessToFilesAct,
            LegalBasis::ArchivesAct,
        ]);
        v
    }

    pub fn id(self) -> String {
        match self {
            LegalBasis::Gdpr6(c) => format!("gdpr-6-1-{c}"),
            LegalBasis::Gdpr9(c) => format!("gdpr-9-2-{c}"),
            LegalBasis::Gdpr10 => "gdpr-10".into(),
            LegalBasis::DataProtectionAct => "dpa".into(),
            LegalBasis::DataProtectionAct7 => "dpa-7".into(),
            LegalBasis::DataProtectionAct8 => "dpa-8".into(),
            LegalBasis::DataProtectionAct11 => "dpa-11".into(),
            LegalBasis::AliensAct => "aliens-act".into(),
            LegalBasis::PublicAdministrationAct => "pal".into(),
            LegalBasis::PublicAdministrationAct7 => "pal-7".into(),
            LegalBasis::AccessToFilesAct => "offl".into(),
            LegalBasis::ArchivesAct => "archives-act".into(),
        }
    }

    pub fn kind(self) -> BasisKind {
        match self {
            LegalBasis::Gdpr6(_) => BasisKind::Art6,
            // Databeskyttelsesloven § 7 supplements Art. 9(2) for special categories.
            LegalBasis::Gdpr9(_) | LegalBasis::DataProtectionAct7 => BasisKind::Art9,
            // § 8 is the Danish rule Art. 10 points to for public authorities.
            LegalBasis::Gdpr10 | LegalBasis::DataProtectionAct8 => BasisKind::Art10,
            _ => BasisKind::Statute,
        }
    }

    /// How the basis is cited in a record or report.
    pub fn citation_en(self) -> String {
        match self {
            LegalBasis::Gdpr6(c) => format!("GDPR Art. 6(1)({c})"),
            LegalBasis::Gdpr9(c) => format!("GDPR Art. 9(2)({c})"),
            LegalBasis::Gdpr10 => "GDPR Art. 10".into(),
            LegalBasis::DataProtectionAct => "Data Protection Act".into(),
            LegalBasis::DataProtectionAct7 => "Data Protection Act § 7".into(),
            LegalBasis::DataProtectionAct8 => "Data Protection Act § 8".into(),
            LegalBasis::DataProtectionAct11 => "Data Protection Act § 11".into(),
            LegalBasis::AliensAct => "Aliens Act".into(),
            LegalBasis::PublicAdministrationAct => "Public Administration Act".into(),
            LegalBasis::PublicAdministrationAct7 => "Public Administration Act § 7".into(),
            LegalBasis::AccessToFilesAct => "Access to Public Administration Files Act".into(),
            LegalBasis::ArchivesAct => "Archives Act".into(),
        }
    }

    pub fn citation_da(self) -> String {
        match self {
            LegalBasis::Gdpr6(c) => {
                format!("databeskyttelsesforordningens art. 6, stk. 1, litra {c}")
            }
            LegalBasis::Gdpr9(c) => {
                format!("databeskyttelsesforordningens art. 9, stk. 2, litra {c}")
            }
            LegalBasis::Gdpr10 => "databeskyttelsesforordningens art. 10".into(),
            LegalBasis::DataProtectionAct => "databeskyttelsesloven".into(),
            LegalBasis::DataProtectionAct7 => "databeskyttelseslovens § 7".into(),
            LegalBasis::DataProtectionAct8 => "databeskyttelseslovens § 8".into(),
            LegalBasis::DataProtectionAct11 => "databeskyttelseslovens § 11".into(),
            LegalBasis::AliensAct => "udlændingeloven".into(),
            LegalBasis::PublicAdministrationAct => "forvaltningsloven".into(),
            LegalBasis::PublicAdministrationAct7 => "forvaltningslovens § 7".into(),
            LegalBasis::AccessToFilesAct => "offentlighedsloven".into(),
            LegalBasis::ArchivesAct => "arkivloven".into(),
        }
    }
}

impl fmt::Display for LegalBasis {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.id())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown legal basis `{0}` (e.g. gdpr-6-1-e, gdpr-9-2-f, gdpr-10, dpa-8, aliens-act, pal-7)"
)]
pub struct UnknownBasis(pub String);

impl FromStr for LegalBasis {
    type Err = UnknownBasis;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let letter = |rest: &str, last: char| {
            let mut chars = rest.chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) if ('a'..=last).contains(&c) => Some(c),
                _ => None,
            }
        };
        let parsed = if let Some(rest) = s.strip_prefix("gdpr-6-1-") {
            letter(rest, 'f').map(LegalBasis::Gdpr6)
        } else if let Some(rest) = s.strip_prefix("gdpr-9-2-") {
            letter(rest, 'j').map(LegalBasis::Gdpr9)
        } else {
            LegalBasis::all().into_iter().find(|b| b.id() == s)
        };
        parsed.ok_or_else(|| UnknownBasis(s.to_string()))
    }
}

// Stored and exchanged by id, so a policy file, JSON output and a stored value read the same.
impl Serialize for LegalBasis {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.id())
    }
}

impl<'de> Deserialize<'de> for LegalBasis {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_basis_round_trips_through_its_id() {
        let all = LegalBasis::all();
        assert_eq!(all.len(), 6 + 10 + 10);
        for b in all {
            assert_eq!(b.id().parse::<LegalBasis>().unwrap(), b);
        }
    }

    #[test]
    fn out_of_range_letters_are_refused() {
        assert!("gdpr-6-1-g".parse::<LegalBasis>().is_err());
        assert!("gdpr-9-2-k".parse::<LegalBasis>().is_err());
        assert!("gdpr-6-1-".parse::<LegalBasis>().is_err());
        assert!("gdpr-6-1-ee".parse::<LegalBasis>().is_err());
    }

    #[test]
    fn kinds_follow_the_articles() {
        assert_eq!(
            "gdpr-9-2-f".parse::<LegalBasis>().unwrap().kind(),
            BasisKind::Art9
        );
        assert_eq!(
            "dpa-8".parse::<LegalBasis>().unwrap().kind(),
            BasisKind::Art10
        );
        assert_eq!(
            "gdpr-6-1-e".parse::<LegalBasis>().unwrap().kind(),
            BasisKind::Art6
        );
        assert_eq!(
            "aliens-act".parse::<LegalBasis>().unwrap().kind(),
            BasisKind::Statute
        );
    }
}
