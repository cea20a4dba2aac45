//! Why a route is refused, as typed values the CLI, the server and the interface render in English or Danish.

use super::basis::{BasisKind, LegalBasis};
use super::category::DataCategory;
use super::enquiry::Language;
use super::policy::Recipient;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A recipient as a problem names it: its id and its name in both languages, so a problem
/// reads the same wherever it is rendered, without the policy at hand.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecipientName {
    pub id: String,
    pub en: String,
    pub da: String,
}

impl RecipientName {
    pub fn of(r: &Recipient) -> RecipientName {
        RecipientName {
            id: r.id().to_string(),
            en: r.name_en.clone(),
            da: r.name_da.clone(),
        }
    }

    pub fn name(&self, lang: Language) -> &str {
        match lang {
            Language::En => &self.en,
            Language::Da => &self.da,
        }
    }
}

/// Why a route is refused: one value per rule of `routing::check`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RouteProblem {
    UnknownRecipient {
        recipient: String,
    },
    NoPurpose,
    NotClassified,
    JustificationTooShort {
        min: usize,
    },
    NoBasis,
    BasisNotForRecipient {
        basis: LegalBasis,
        recipient: RecipientName,
    },
    NeedsArt6,
    RecipientRefusesSpecialCategories {
        recipient: RecipientName,
        categories: Vec<DataCategory>,
    },
    RecipientRefusesCriminalData {
        recipient: RecipientName,
    },
    /// The policy's rule for the special categories asks an Art. 9(2) ground.
    MissingArt9Basis {
        categories: Vec<DataCategory>,
    },
    /// The policy's rule for criminal-offence data asks an Art. 10 basis.
    MissingArt10Basis,
    /// Any other category rule of the policy: one of `kinds` or `bases` is needed.
    MissingCategoryBasis {
        categories: Vec<DataCategory>,
        /// The rule is the one for every special category.
        special: bool,
        kinds: Vec<BasisKind>,
        bases: Vec<LegalBasis>,
    },
    NeedsTransferBasis {
        recipient: RecipientName,
    },
    ForwardNeedsPal7,
    NoEmployerNotices {
        recipient: RecipientName,
    },
    NoEmployersNamed,
}

/// Why the route wizard does not offer a basis for this case and recipient.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum BasisRefusal {
    NotForRecipient {
        recipient: RecipientName,
    },
    RecipientRefusesSpecialCategories {
        recipient: RecipientName,
    },
    RecipientRefusesCriminalData {
        recipient: RecipientName,
    },
    NoSpecialCategoryConfirmed,
    NoCriminalDataConfirmed,
    /// The basis serves a category rule for these categories, none of them confirmed.
    CategoryNotConfirmed {
        categories: Vec<DataCategory>,
    },
}

fn citation(lang: Language, b: LegalBasis) -> String {
    match lang {
        Language::En => b.citation_en(),
        Language::Da => b.citation_da(),
    }
}

fn ids(categories: &[DataCategory]) -> String {
    categories
        .iter()
        .map(|c| c.as_id())
        .collect::<Vec<_>>()
        .join(", ")
}

/// A category inside a sentence: "a CPR number", "et CPR-nummer".
fn category_in_text(lang: Language, c: DataCategory) -> String {
    match (lang, c) {
        (Language::En, DataCategory::Cpr) => "a CPR number".into(),
        (Language::Da, DataCategory::Cpr) => "et CPR-nummer".into(),
        (Language::En, DataCategory::Criminal) => "criminal-offence data".into(),
        (Language::Da, DataCategory::Criminal) => "oplysninger om strafbare forhold".into(),
        (Language::En, c) => c.name_en().to_lowercase(),
        (Language::Da, c) => c.name_da().to_lowercase(),
    }
}

fn categories_in_text(lang: Language, categories: &[DataCategory], special: bool) -> String {
    if special {
        return match lang {
            Language::En => format!("special categories ({})", ids(categories)),
            Language::Da => format!("følsomme oplysninger ({})", names_da(categories)),
        };
    }
    let words: Vec<String> = categories
        .iter()
        .map(|c| category_in_text(lang, *c))
        .collect();
    words.join(", ")
}

fn names_da(categories: &[DataCategory]) -> String {
    categories
        .iter()
        .map(|c| c.name_da().to_lowercase())
        .collect::<Vec<_>>()
        .join(", ")
}

fn kind_in_text(lang: Language, k: BasisKind) -> &'static str {
    match (lang, k) {
        (Language::En, BasisKind::Art6) => "a GDPR Art. 6(1) basis",
        (Language::Da, BasisKind::Art6) => "art. 6, stk. 1",
        (Language::En, BasisKind::Art9) => "an Art. 9(2) ground",
        (Language::Da, BasisKind::Art9) => "art. 9, stk. 2",
        (Language::En, BasisKind::Art10) => "an Art. 10 basis (e.g. Data Protection Act § 8)",
        (Language::Da, BasisKind::Art10) => "art. 10 (fx databeskyttelseslovens § 8)",
        (Language::En, BasisKind::Statute) => "a statute",
        (Language::Da, BasisKind::Statute) => "en lov",
    }
}

impl RouteProblem {
    /// The problem in a sentence, in English or in Danish as caseworkers write it.
    pub fn text(&self, lang: Language) -> String {
        use Language::{Da, En};
        use RouteProblem as P;
        match (self, lang) {
            (P::UnknownRecipient { recipient }, En) => format!("unknown recipient `{recipient}`"),
            (P::UnknownRecipient { recipient }, Da) => format!("ukendt modtager `{recipient}`"),
            (P::NoPurpose, En) => {
                "set the purpose first: it is the ground the case is processed on".into()
            }
            (P::NoPurpose, Da) => {
                "angiv formålet først: det er grundlaget for behandlingen".into()
            }
            (P::NotClassified, En) => {
                "classify the case first: the bases depend on its confirmed categories".into()
            }
            (P::NotClassified, Da) => {
                "klassificér sagen først: grundlagene afhænger af de bekræftede kategorier".into()
            }
            (P::JustificationTooShort { min }, En) => {
                format!("a justification of at least {min} characters is required")
            }
            (P::JustificationTooShort { min }, Da) => {
                format!("begrundelsen skal være på mindst {min} tegn")
            }
            (P::NoBasis, En) => "name at least one legal basis".into(),
            (P::NoBasis, Da) => "angiv mindst ét grundlag".into(),
            (P::BasisNotForRecipient { basis, recipient }, En) => format!(
                "{} is not a basis for disclosures to {}",
                basis.citation_en(),
                recipient.en
            ),
            (P::BasisNotForRecipient { basis, recipient }, Da) => format!(
                "{} er ikke et grundlag for videregivelse til {}",
                basis.citation_da(),
                recipient.da
            ),
            (P::NeedsArt6, En) => "a disclosure needs a GDPR Art. 6(1) basis".into(),
            (P::NeedsArt6, Da) => {
                "en videregivelse kræver et grundlag i art. 6, stk. 1"
                    .into()
            }
            (
                P::RecipientRefusesSpecialCategories {
                    recipient,
                    categories,
                },
                En,
            ) => format!(
                "{} may not receive special categories ({})",
                recipient.en,
                ids(categories)
            ),
            (
                P::RecipientRefusesSpecialCategories {
                    recipient,
                    categories,
                },
                Da,
            ) => format!(
                "{} må ikke modtage følsomme oplysninger ({})",
                recipient.da,
                names_da(categories)
            ),
            (P::RecipientRefusesCriminalData { recipient }, En) => {
                format!("{} may not receive criminal-offence data", recipient.en)
            }
            (P::RecipientRefusesCriminalData { recipient }, Da) => format!(
                "{} må ikke modtage oplysninger om strafbare forhold",
                recipient.da
            ),
            (P::MissingArt9Basis { categories }, En) => format!(
                "the case holds special categories ({}): an Art. 9(2) ground is required",
                ids(categories)
            ),
            (P::MissingArt9Basis { categories }, Da) => format!(
                "sagen indeholder følsomme oplysninger ({}): det kræver et grundlag i art. 9, stk. 2",
                names_da(categories)
            ),
            (P::MissingArt10Basis, En) => "the case holds criminal-offence data: an Art. 10 basis (e.g. Data Protection Act § 8) is required".into(),
            (P::MissingArt10Basis, Da) => "sagen indeholder oplysninger om strafbare forhold: det kræver et grundlag efter art. 10 (fx databeskyttelseslovens § 8)".into(),
            (
                P::MissingCategoryBasis {
                    categories,
                    special,
                    kinds,
                    bases,
                },
                lang,
            ) => {
                let mut needs: Vec<String> = kinds
                    .iter()
                    .map(|k| kind_in_text(lang, *k).to_string())
                    .collect();
                needs.extend(bases.iter().map(|b| citation(lang, *b)));
                let what = categories_in_text(lang, categories, *special);
                match lang {
                    En => format!("the case holds {what}: {} is required", needs.join(" or ")),
                    Da => format!(
                        "sagen indeholder {what}: det kræver et grundlag i {}",
                        needs.join(" eller ")
                    ),
                }
            }
            (P::NeedsTransferBasis { recipient }, En) => format!(
                "{} is outside the EU/EEA or an international organisation: name the transfer basis (GDPR Art. 45–49)",
                recipient.en
            ),
            (P::NeedsTransferBasis { recipient }, Da) => format!(
                "{} er uden for EU/EØS eller en international organisation: angiv grundlaget for overførslen (databeskyttelsesforordningens art. 45-49)",
                recipient.da
            ),
            (P::ForwardNeedsPal7, En) => "forwarding to the competent authority rests on Public Administration Act § 7 (pal-7)".into(),
            (P::ForwardNeedsPal7, Da) => "videresendelse til rette myndighed sker efter forvaltningslovens § 7 (pal-7)".into(),
            (P::NoEmployerNotices { recipient }, En) => {
                format!("{} does not take employer notices", recipient.en)
            }
            (P::NoEmployerNotices { recipient }, Da) => {
                format!("{} modtager ikke underretninger til arbejdsgivere", recipient.da)
            }
            (P::NoEmployersNamed, En) => {
                "name the employers who reported salary in the last three months".into()
            }
            (P::NoEmployersNamed, Da) => {
                "angiv de arbejdsgivere, der har indberettet løn inden for de seneste tre måneder"
                    .into()
            }
        }
    }
}

impl fmt::Display for RouteProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text(Language::En))
    }
}

impl BasisRefusal {
    /// Why the basis is not offered, beside it in the wizard.
    pub fn text(&self, lang: Language) -> String {
        use BasisRefusal as R;
        use Language::{Da, En};
        match (self, lang) {
            (R::NotForRecipient { recipient }, En) => {
                format!("not a basis for disclosures to {}", recipient.en)
            }
            (R::NotForRecipient { recipient }, Da) => {
                format!("ikke et grundlag for videregivelse til {}", recipient.da)
            }
            (R::RecipientRefusesSpecialCategories { recipient }, En) => {
                format!("{} may not receive special categories", recipient.en)
            }
            (R::RecipientRefusesSpecialCategories { recipient }, Da) => {
                format!("{} må ikke modtage følsomme oplysninger", recipient.da)
            }
            (R::RecipientRefusesCriminalData { recipient }, En) => {
                format!("{} may not receive criminal-offence data", recipient.en)
            }
            (R::RecipientRefusesCriminalData { recipient }, Da) => format!(
                "{} må ikke modtage oplysninger om strafbare forhold",
                recipient.da
            ),
            (R::NoSpecialCategoryConfirmed, En) => {
                "no special category is confirmed on the case".into()
            }
            (R::NoSpecialCategoryConfirmed, Da) => {
                "ingen følsomme oplysninger er bekræftet på sagen".into()
            }
            (R::NoCriminalDataConfirmed, En) => {
                "no criminal-offence data is confirmed on the case".into()
            }
            (R::NoCriminalDataConfirmed, Da) => {
                "ingen oplysninger om strafbare forhold er bekræftet på sagen".into()
            }
            (R::CategoryNotConfirmed { categories }, En) => {
                let words: Vec<String> = categories
                    .iter()
                    .map(|c| match c {
                        DataCategory::Cpr => "CPR number".to_string(),
                        c => c.name_en().to_lowercase(),
                    })
                    .collect();
                format!("no {} is confirmed on the case", words.join(" or "))
            }
            (R::CategoryNotConfirmed { categories }, Da) => {
                let words: Vec<String> = categories
                    .iter()
                    .map(|c| match c {
                        DataCategory::Cpr => "intet CPR-nummer".to_string(),
                        c => format!("ingen {}", c.name_da().to_lowercase()),
                    })
                    .collect();
                format!("{} er bekræftet på sagen", words.join(" eller "))
            }
        }
    }
}

impl fmt::Display for BasisRefusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text(Language::En))
    }
}
