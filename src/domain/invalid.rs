//! Why a command is not valid as given, as typed values the CLI, the server and the interface render in English or Danish.

use super::case::Outcome;
use super::category::DataCategory;
use super::enquiry::{Language, Reference};
use super::sanitize::sanitize_line;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;

/// What a reason is asked for, in the sentence that refuses one too short.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReasonFor {
    /// Not restricting a case disclosed to a recipient whose disclosures restrict it (Art. 23).
    WaiveRestriction,
    Withdraw,
    Close,
    Restrict,
    Unrestrict,
    Hold,
    ReleaseHold,
    Extend,
    Pause,
    Assess,
    Erase,
}

impl ReasonFor {
    pub const ALL: [ReasonFor; 11] = [
        ReasonFor::WaiveRestriction,
        ReasonFor::Withdraw,
        ReasonFor::Close,
        ReasonFor::Restrict,
        ReasonFor::Unrestrict,
        ReasonFor::Hold,
        ReasonFor::ReleaseHold,
        ReasonFor::Extend,
        ReasonFor::Pause,
        ReasonFor::Assess,
        ReasonFor::Erase,
    ];

    /// The act the reason is for, as the subject of a sentence.
    pub fn text(self, lang: Language) -> &'static str {
        use Language::{Da, En};
        use ReasonFor as R;
        match (self, lang) {
            (R::WaiveRestriction, En) => {
                "not restricting after a disclosure to a restricted recipient"
            }
            (R::WaiveRestriction, Da) => {
                "at undlade begrænsning efter videregivelse til en modtager med begrænsning"
            }
            (R::Withdraw, En) => "withdrawing a disclosure",
            (R::Withdraw, Da) => "tilbagetrækning af en videregivelse",
            (R::Close, En) => "closing",
            (R::Close, Da) => "lukning af sagen",
            (R::Restrict, En) => "restricting",
            (R::Restrict, Da) => "begrænsning af sagen",
            (R::Unrestrict, En) => "lifting a restriction",
            (R::Unrestrict, Da) => "ophævelse af en begrænsning",
            (R::Hold, En) => "a legal hold",
            (R::Hold, Da) => "retslig tilbageholdelse",
            (R::ReleaseHold, En) => "lifting a legal hold",
            (R::ReleaseHold, Da) => "ophævelse af en retslig tilbageholdelse",
            (R::Extend, En) => "an extension",
            (R::Extend, Da) => "forlængelse af fristen",
            (R::Pause, En) => "pausing the clock",
            (R::Pause, Da) => "at sætte fristen på pause",
            (R::Assess, En) => "a retention assessment",
            (R::Assess, Da) => "vurdering af opbevaringen",
            (R::Erase, En) => "erasure",
            (R::Erase, Da) => "sletning",
        }
    }
}

/// Why a command is refused as given: one value per rule, with the data the sentence names.
/// `Other` carries words that come from outside the rules (an archive file, a newer server).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Invalid {
    ClassifyNeedsCategory,
    ConfirmedAndRejected {
        category: DataCategory,
    },
    UnknownPurpose {
        purpose: String,
    },
    RightNeeded,
    NoDisclosure {
        disclosure: u32,
        reference: Reference,
    },
    AlreadyWithdrawn {
        disclosure: u32,
    },
    /// Someone else holds the case: taking it is confirmed by naming them.
    HeldBy {
        reference: Reference,
        holder: String,
    },
    NoLongerHeld {
        reference: Reference,
    },
    NotStaff {
        login: String,
    },
    SameAssignee,
    NoteNeedsText,
    DecideNeedsRightsCase,
    RulingNeeded {
        outcome: Outcome,
        min: usize,
    },
    RightsCaseAnsweredByDecision,
    AnswerNeedsSummary,
    CloseNeedsPurpose,
    RightsCaseNeedsDecision,
    AlreadyRestricted,
    NotRestricted,
    AlreadyOnHold,
    NotOnHold,
    ExtendOnlyRights,
    AlreadyExtended,
    ExtensionTooLate {
        due: NaiveDate,
    },
    NoDeadlineToExtend,
    /// Offentlighedsloven § 36 has no suspension of its deadline.
    AccessToDocumentsCannotPause,
    AlreadyPaused,
    NotPaused,
    KeepNeedsReview,
    UnderLegalHold {
        reason: String,
    },
    PackageNeedsId,
    ReasonTooShort {
        what: ReasonFor,
        min: usize,
    },
    PolicyDoesNotLoad {
        error: String,
    },
    PolicyNamesNoAdmin,
    PolicyStrands {
        stranded: Vec<String>,
    },
    LookupTooLarge {
        cases: usize,
        page: usize,
    },
    Other(String),
}

fn outcome_da(o: Outcome) -> &'static str {
    match o {
        Outcome::Granted => "en imødekommelse",
        Outcome::PartlyGranted => "en delvis imødekommelse",
        Outcome::Refused => "et afslag",
    }
}

impl Invalid {
    /// The refusal in a sentence, in English or in Danish as caseworkers write it. Words
    /// from outside (a purpose id, a login, a reason) are made safe for a terminal.
    pub fn text(&self, lang: Language) -> String {
        use Invalid as I;
        use Language::{Da, En};
        let safe = |s: &str| sanitize_line(s).into_owned();
        match (self, lang) {
            (I::ClassifyNeedsCategory, En) => {
                "classify needs at least one category to confirm or reject".into()
            }
            (I::ClassifyNeedsCategory, Da) => {
                "angiv mindst én kategori, der skal bekræftes eller afvises".into()
            }
            (I::ConfirmedAndRejected { category }, En) => {
                format!("{category} cannot be both confirmed and rejected")
            }
            (I::ConfirmedAndRejected { category }, Da) => format!(
                "{} kan ikke både bekræftes og afvises",
                category.name_da()
            ),
            (I::UnknownPurpose { purpose }, En) => {
                format!("unknown purpose `{}`", safe(purpose))
            }
            (I::UnknownPurpose { purpose }, Da) => format!("ukendt formål `{}`", safe(purpose)),
            (I::RightNeeded, En) => "a data-subject-rights case needs the right it invokes (access, rectification, erasure, restriction, objection)".into(),
            (I::RightNeeded, Da) => "en sag om den registreredes rettigheder skal angive den rettighed, der gøres gældende (indsigt, berigtigelse, sletning, begrænsning, indsigelse)".into(),
            (I::NoDisclosure { disclosure, reference }, En) => {
                format!("no disclosure #{disclosure} on {reference}")
            }
            (I::NoDisclosure { disclosure, reference }, Da) => {
                format!("{reference} har ingen videregivelse nr. {disclosure}")
            }
            (I::AlreadyWithdrawn { disclosure }, En) => {
                format!("disclosure #{disclosure} is already withdrawn")
            }
            (I::AlreadyWithdrawn { disclosure }, Da) => {
                format!("videregivelse nr. {disclosure} er allerede trukket tilbage")
            }
            (I::HeldBy { reference, holder }, En) => format!(
                "{reference} is held by {}; confirm taking it from them",
                safe(holder)
            ),
            (I::HeldBy { reference, holder }, Da) => format!(
                "{reference} har {} som ansvarlig; bekræft, at du overtager sagen",
                safe(holder)
            ),
            (I::NoLongerHeld { reference }, En) => {
                format!("{reference} is no longer held by anyone")
            }
            (I::NoLongerHeld { reference }, Da) => {
                format!("{reference} har ikke længere nogen ansvarlig")
            }
            (I::NotStaff { login }, En) => format!("`{}` is not staff in the policy", safe(login)),
            (I::NotStaff { login }, Da) => {
                format!("`{}` er ikke medarbejder efter politikken", safe(login))
            }
            (I::SameAssignee, En) => {
                "nothing to change: the case already has that assignee".into()
            }
            (I::SameAssignee, Da) => {
                "intet at ændre: sagen har allerede den ansvarlige".into()
            }
            (I::NoteNeedsText, En) => "a note needs text".into(),
            (I::NoteNeedsText, Da) => "et notat skal have en tekst".into(),
            (I::DecideNeedsRightsCase, En) => {
                "only data-subject-rights requests are decided; set the purpose first".into()
            }
            (I::DecideNeedsRightsCase, Da) => "der træffes kun afgørelse i anmodninger om den registreredes rettigheder; angiv formålet først".into(),
            (I::RulingNeeded { outcome, min }, En) => format!(
                "a {} decision needs a written ruling with reasons (at least {min} characters) and the legal ground",
                outcome.as_id()
            ),
            (I::RulingNeeded { outcome, min }, Da) => format!(
                "{} kræver en skriftlig afgørelse med begrundelse (mindst {min} tegn) og hjemmel",
                outcome_da(*outcome)
            ),
            (I::RightsCaseAnsweredByDecision, En) => {
                "a data-subject-rights request is answered with a decision (decide)".into()
            }
            (I::RightsCaseAnsweredByDecision, Da) => {
                "en anmodning om den registreredes rettigheder besvares med en afgørelse".into()
            }
            (I::AnswerNeedsSummary, En) => "an answer needs a summary".into(),
            (I::AnswerNeedsSummary, Da) => "et svar skal have et resumé".into(),
            (I::CloseNeedsPurpose, En) => {
                "set the purpose before closing: it decides the retention rule".into()
            }
            (I::CloseNeedsPurpose, Da) => {
                "angiv formålet, før sagen lukkes: det afgør, hvor længe den opbevares".into()
            }
            (I::RightsCaseNeedsDecision, En) => {
                "a data-subject-rights request is closed only after its decision".into()
            }
            (I::RightsCaseNeedsDecision, Da) => "en anmodning om den registreredes rettigheder kan først lukkes, når der er truffet afgørelse".into(),
            (I::AlreadyRestricted, En) => "the case is already restricted".into(),
            (I::AlreadyRestricted, Da) => "sagen er allerede begrænset".into(),
            (I::NotRestricted, En) => "the case is not restricted".into(),
            (I::NotRestricted, Da) => "sagen er ikke begrænset".into(),
            (I::AlreadyOnHold, En) => "the case is already under legal hold".into(),
            (I::AlreadyOnHold, Da) => "sagen er allerede under retslig tilbageholdelse".into(),
            (I::NotOnHold, En) => "the case is not under legal hold".into(),
            (I::NotOnHold, Da) => "sagen er ikke under retslig tilbageholdelse".into(),
            (I::ExtendOnlyRights, En) => {
                "only a data-subject-rights deadline can be extended (Art. 12(3))".into()
            }
            (I::ExtendOnlyRights, Da) => "kun fristen for en anmodning om den registreredes rettigheder kan forlænges (art. 12, stk. 3)".into(),
            (I::AlreadyExtended, En) => "the deadline has already been extended".into(),
            (I::AlreadyExtended, Da) => "fristen er allerede forlænget".into(),
            (I::ExtensionTooLate { due }, En) => format!(
                "the deadline {due} has passed: Art. 12(3) allows an extension only within the first month"
            ),
            (I::ExtensionTooLate { due }, Da) => format!(
                "fristen {due} er overskredet: efter art. 12, stk. 3, kan fristen kun forlænges inden for den første måned"
            ),
            (I::NoDeadlineToExtend, En) => "the case has no answer deadline to extend".into(),
            (I::NoDeadlineToExtend, Da) => "sagen har ingen svarfrist, der kan forlænges".into(),
            (I::AccessToDocumentsCannotPause, En) => "a request for access to documents cannot be paused: the Access to Public Administration Files Act (§ 36) has no suspension".into(),
            (I::AccessToDocumentsCannotPause, Da) => "fristen for en anmodning om aktindsigt kan ikke sættes på pause: offentlighedslovens § 36 giver ikke adgang til at stille den i bero".into(),
            (I::AlreadyPaused, En) => "the clock is already paused".into(),
            (I::AlreadyPaused, Da) => "fristen er allerede sat på pause".into(),
            (I::NotPaused, En) => "the clock is not paused".into(),
            (I::NotPaused, Da) => "fristen er ikke sat på pause".into(),
            (I::KeepNeedsReview, En) => {
                "keeping a case after assessment needs a review date".into()
            }
            (I::KeepNeedsReview, Da) => {
                "en sag, der bevares efter vurdering, skal have en dato for ny vurdering".into()
            }
            (I::UnderLegalHold { reason }, En) => format!(
                "the case is under legal hold ({}); lift it first",
                safe(reason)
            ),
            (I::UnderLegalHold { reason }, Da) => format!(
                "sagen er under retslig tilbageholdelse ({}); ophæv den først",
                safe(reason)
            ),
            (I::PackageNeedsId, En) => "a package needs its id".into(),
            (I::PackageNeedsId, Da) => "en arkiveringsversion skal have sit id".into(),
            (I::ReasonTooShort { what, min }, En) => format!(
                "{} needs a reason of at least {min} characters",
                what.text(En)
            ),
            (I::ReasonTooShort { what, min }, Da) => format!(
                "{} kræver en begrundelse på mindst {min} tegn",
                what.text(Da)
            ),
            (I::PolicyDoesNotLoad { error }, En) => {
                format!("the policy does not load: {}", safe(error))
            }
            (I::PolicyDoesNotLoad { error }, Da) => {
                format!("politikken kan ikke indlæses: {}", safe(error))
            }
            (I::PolicyNamesNoAdmin, En) => "the new policy names no admin: installing it would leave no one able to change it back".into(),
            (I::PolicyNamesNoAdmin, Da) => "den nye politik har ingen administrator: installeres den, kan ingen ændre den tilbage".into(),
            (I::PolicyStrands { stranded }, En) => format!(
                "the new policy removes what cases still use ({}); keep them in the policy, or give --force to install it anyway (recorded in the audit chain)",
                safe(&stranded.join(", "))
            ),
            (I::PolicyStrands { stranded }, Da) => format!(
                "den nye politik fjerner noget, som sager stadig bruger ({}); bevar det i politikken, eller installér den alligevel med --force (det registreres i revisionssporet)",
                safe(&stranded.join(", "))
            ),
            (I::LookupTooLarge { cases, page }, En) => {
                format!("a lookup of {cases} cases is more than a page ({page})")
            }
            (I::LookupTooLarge { cases, page }, Da) => {
                format!("et opslag på {cases} sager er mere end én side ({page})")
            }
            (I::Other(words), _) => safe(words),
        }
    }
}

impl fmt::Display for Invalid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text(Language::En))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One of each variant (every reason kind too), with data that is neither English nor Danish.
    fn every() -> Vec<Invalid> {
        let r = Reference::new(2026, 7);
        let mut all = vec![
            Invalid::ClassifyNeedsCategory,
            Invalid::ConfirmedAndRejected {
                category: DataCategory::Health,
            },
            Invalid::UnknownPurpose {
                purpose: "xyz".into(),
            },
            Invalid::RightNeeded,
            Invalid::NoDisclosure {
                disclosure: 3,
                reference: r,
            },
            Invalid::AlreadyWithdrawn { disclosure: 3 },
            Invalid::HeldBy {
                reference: r,
                holder: "bo".into(),
            },
            Invalid::NoLongerHeld { reference: r },
            Invalid::NotStaff { login: "zz".into() },
            Invalid::SameAssignee,
            Invalid::NoteNeedsText,
            Invalid::DecideNeedsRightsCase,
            Invalid::RulingNeeded {
                outcome: Outcome::Refused,
                min: 20,
            },
            Invalid::RightsCaseAnsweredByDecision,
            Invalid::AnswerNeedsSummary,
            Invalid::CloseNeedsPurpose,
            Invalid::RightsCaseNeedsDecision,
            Invalid::AlreadyRestricted,
            Invalid::NotRestricted,
            Invalid::AlreadyOnHold,
            Invalid::NotOnHold,
            Invalid::ExtendOnlyRights,
            Invalid::AlreadyExtended,
            Invalid::ExtensionTooLate {
                due: NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(),
            },
            Invalid::NoDeadlineToExtend,
            Invalid::AccessToDocumentsCannotPause,
            Invalid::AlreadyPaused,
            Invalid::NotPaused,
            Invalid::KeepNeedsReview,
            Invalid::UnderLegalHold {
                reason: "xyz".into(),
            },
            Invalid::PackageNeedsId,
            Invalid::PolicyDoesNotLoad {
                error: "xyz".into(),
            },
            Invalid::PolicyNamesNoAdmin,
            Invalid::PolicyStrands {
                stranded: vec!["xyz".into()],
            },
            Invalid::LookupTooLarge {
                cases: 600,
                page: 500,
            },
        ];
        all.extend(
            ReasonFor::ALL
                .iter()
                .map(|&what| Invalid::ReasonTooShort { what, min: 5 }),
        );
        all
    }

    /// Each variant's place: the match has no wildcard, so a new variant does not compile
    /// until it is given one here, and the test below then asks for it in [`every`].
    fn place(i: &Invalid) -> usize {
        use Invalid as I;
        match i {
            I::ClassifyNeedsCategory => 0,
            I::ConfirmedAndRejected { .. } => 1,
            I::UnknownPurpose { .. } => 2,
            I::RightNeeded => 3,
            I::NoDisclosure { .. } => 4,
            I::AlreadyWithdrawn { .. } => 5,
            I::HeldBy { .. } => 6,
            I::NoLongerHeld { .. } => 7,
            I::NotStaff { .. } => 8,
            I::SameAssignee => 9,
            I::NoteNeedsText => 10,
            I::DecideNeedsRightsCase => 11,
            I::RulingNeeded { .. } => 12,
            I::RightsCaseAnsweredByDecision => 13,
            I::AnswerNeedsSummary => 14,
            I::CloseNeedsPurpose => 15,
            I::RightsCaseNeedsDecision => 16,
            I::AlreadyRestricted => 17,
            I::NotRestricted => 18,
            I::AlreadyOnHold => 19,
            I::NotOnHold => 20,
            I::ExtendOnlyRights => 21,
            I::AlreadyExtended => 22,
            I::ExtensionTooLate { .. } => 23,
            I::NoDeadlineToExtend => 24,
            I::AccessToDocumentsCannotPause => 25,
            I::AlreadyPaused => 26,
            I::NotPaused => 27,
            I::KeepNeedsReview => 28,
            I::UnderLegalHold { .. } => 29,
            I::PackageNeedsId => 30,
            I::ReasonTooShort { .. } => 31,
            I::PolicyDoesNotLoad { .. } => 32,
            I::PolicyNamesNoAdmin => 33,
            I::PolicyStrands { .. } => 34,
            I::LookupTooLarge { .. } => 35,
            // Words from outside: not translated, so not in `every`.
            I::Other(_) => 36,
        }
    }

    /// English words of the refusals that have no business in a Danish sentence.
    const ENGLISH: &[&str] = &[
        "the",
        "a",
        "an",
        "is",
        "needs",
        "case",
        "already",
        "not",
        "no",
        "only",
        "set",
        "purpose",
        "deadline",
        "clock",
        "note",
        "answer",
        "decision",
        "reason",
        "first",
        "policy",
        "restricted",
        "hold",
        "legal",
        "disclosure",
        "withdrawn",
        "held",
        "staff",
        "characters",
        "closing",
        "request",
        "rights",
        "lift",
        "package",
        "extension",
        "and",
        "or",
        "of",
        "by",
        "with",
        "confirm",
        "cannot",
    ];

    #[test]
    fn every_refusal_has_its_own_english_and_danish_sentence() {
        let all = every();
        let places: std::collections::BTreeSet<usize> = all.iter().map(place).collect();
        assert_eq!(places, (0..36).collect(), "a variant missing from `every`");
        let mut en = std::collections::BTreeSet::new();
        let mut da = std::collections::BTreeSet::new();
        for i in &all {
            let (e, d) = (i.text(Language::En), i.text(Language::Da));
            assert!(!e.trim().is_empty() && !d.trim().is_empty(), "{i:?}");
            assert_ne!(e, d, "{i:?} is not translated");
            assert_eq!(i.to_string(), e, "Display is the English text");
            assert!(en.insert(e.clone()), "{e} twice");
            assert!(da.insert(d.clone()), "{d} twice");
            let words: Vec<String> = d
                .split(|c: char| !(c.is_alphanumeric() || c == '-'))
                .map(str::to_lowercase)
                .collect();
            for w in ENGLISH {
                assert!(!words.iter().any(|x| x == w), "`{w}` in Danish: {d}");
            }
        }
        // The check can fail: the English sentences hold these words.
        let english: String = en.into_iter().collect::<Vec<_>>().join(" ");
        for w in ["needs", "already", "case"] {
            assert!(english.contains(w), "{w}");
        }
    }

    #[test]
    fn the_data_stands_in_both_languages() {
        let r = Reference::new(2026, 7);
        let i = Invalid::NoDisclosure {
            disclosure: 3,
            reference: r,
        };
        assert_eq!(i.text(Language::En), "no disclosure #3 on 2026-000007");
        assert_eq!(
            i.text(Language::Da),
            "2026-000007 har ingen videregivelse nr. 3"
        );
        let short = Invalid::ReasonTooShort {
            what: ReasonFor::Close,
            min: 5,
        };
        assert_eq!(
            short.text(Language::En),
            "closing needs a reason of at least 5 characters"
        );
        assert_eq!(
            short.text(Language::Da),
            "lukning af sagen kræver en begrundelse på mindst 5 tegn"
        );
        let purpose = Invalid::UnknownPurpose {
            purpose: "bad\u{1b}[2J".into(),
        };
        for lang in [Language::En, Language::Da] {
            assert!(!purpose.text(lang).contains('\u{1b}'), "{lang:?}");
        }
        // Words from elsewhere are passed on as they are, in either language.
        let other = Invalid::Other("no such package".into());
        assert_eq!(other.text(Language::Da), "no such package");
    }
}
