//! A case: an enquiry and every decision taken on it.

use super::basis::LegalBasis;
use super::category::DataCategory;
use super::enquiry::{Enquiry, Reference, RightKind};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Where a case is in its life. Moves forward only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    New,
    Triaged,
    Routed,
    Answered,
    Closed,
    HandedOver,
    Erased,
}

impl Status {
    pub const ALL: [Status; 7] = [
        Status::New,
        Status::Triaged,
        Status::Routed,
        Status::Answered,
        Status::Closed,
        Status::HandedOver,
        Status::Erased,
    ];

    pub fn as_id(self) -> &'static str {
        match self {
            Status::New => "new",
            Status::Triaged => "triaged",
            Status::Routed => "routed",
            Status::Answered => "answered",
            Status::Closed => "closed",
            Status::HandedOver => "handed-over",
            Status::Erased => "erased",
        }
    }

    /// Still being worked on: the answer clock runs.
    pub fn is_open(self) -> bool {
        matches!(self, Status::New | Status::Triaged | Status::Routed)
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_id())
    }
}

/// Who did something, and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    pub by: String,
    pub at: DateTime<Utc>,
}

/// A flag that is set with a reason (restriction, legal hold, extension).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Flag {
    pub reason: String,
    pub set: Stamp,
}

/// A suggested category, from detection, with the text spans behind it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Suggestion {
    pub category: DataCategory,
    pub confidence: f32,
    /// Byte ranges into the enquiry body. Hits in the subject or attachment names raise the
    /// confidence but carry no span (see detect).
    pub spans: Vec<(u32, u32)>,
}

/// Staff's decision on one category.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Confirmed,
    Rejected,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryDecision {
    pub category: DataCategory,
    pub verdict: Verdict,
    pub decided: Stamp,
}

/// How an enquiry leaves the authority.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DisclosureKind {
    /// A disclosure of personal data to a recipient.
    Disclosure,
    /// Forwarding to the competent authority (Forvaltningsloven § 7).
    Forward,
    /// Notice to employers that a residence permit was refused, revoked or lapsed.
    EmployerNotice,
}

/// One disclosure. Never edited: a mistake is withdrawn by a later event with a reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Disclosure {
    pub id: u32,
    pub kind: DisclosureKind,
    pub recipient: String,
    pub bases: Vec<LegalBasis>,
    pub justification: String,
    /// Transfer basis for third countries and international organisations (GDPR ch. V).
    pub transfer: Option<String>,
    /// The confirmed categories at the time of disclosure.
    pub categories: Vec<DataCategory>,
    /// For employer notices: the employers told.
    pub parties: Vec<String>,
    pub made: Stamp,
    pub withdrawn: Option<Flag>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Note {
    pub text: String,
    pub made: Stamp,
}

/// A stretch during which the answer clock stood still (identity verification).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pause {
    pub reason: String,
    pub from: DateTime<Utc>,
    pub until: Option<DateTime<Utc>>,
    pub by: String,
}

/// What the answer clock has been told beyond the purpose's rule.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClockRecord {
    /// Art. 12(3) extension by two months; the requester must be told.
    pub extension: Option<Flag>,
    pub pauses: Vec<Pause>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    Granted,
    PartlyGranted,
    Refused,
}

impl Outcome {
    pub fn as_id(self) -> &'static str {
        match self {
            Outcome::Granted => "granted",
            Outcome::PartlyGranted => "partly-granted",
            Outcome::Refused => "refused",
        }
    }
}

/// The written ruling a refusal or partial grant requires.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ruling {
    pub reasons: String,
    /// The legal ground, e.g. "Data Protection Act § 22".
    pub ground: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    pub outcome: Outcome,
    pub ruling: Option<Ruling>,
    pub made: Stamp,
}

/// The recorded specific assessment after handover (humanitarian permits).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assessment {
    pub keep: bool,
    pub reason: String,
    pub review: Option<NaiveDate>,
    pub made: Stamp,
}

/// A live case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Case {
    pub reference: Reference,
    pub enquiry: Enquiry,
    pub status: Status,
    /// Bumped by every change; a command names the version it was decided on.
    pub version: u64,
    pub registered: Stamp,
    pub updated: Stamp,
    pub assignee: Option<String>,
    pub purpose: Option<String>,
    pub right: Option<RightKind>,
    pub suggestions: Vec<Suggestion>,
    pub categories: Vec<CategoryDecision>,
    pub disclosures: Vec<Disclosure>,
    pub notes: Vec<Note>,
    /// Art. 23 restriction: left out of access reports.
    pub restriction: Option<Flag>,
    pub legal_hold: Option<Flag>,
    pub clock: ClockRecord,
    pub decision: Option<Decision>,
    pub answered: Option<Stamp>,
    pub closed: Option<Stamp>,
    pub handed_over: Option<Stamp>,
    pub assessment: Option<Assessment>,
    /// A flag set at registration when the same person asked for the same right recently.
    pub duplicate_of: Option<Reference>,
}

impl Case {
    /// A fresh case for a registered enquiry.
    pub fn new(
        reference: Reference,
        enquiry: Enquiry,
        suggestions: Vec<Suggestion>,
        stamp: Stamp,
    ) -> Case {
        Case {
            reference,
            right: enquiry.right,
            enquiry,
            status: Status::New,
            version: 1,
            registered: stamp.clone(),
            updated: stamp,
            assignee: None,
            purpose: None,
            suggestions,
            categories: Vec::new(),
            disclosures: Vec::new(),
            notes: Vec::new(),
            restriction: None,
            legal_hold: None,
            clock: ClockRecord::default(),
            decision: None,
            answered: None,
            closed: None,
            handed_over: None,
            assessment: None,
            duplicate_of: None,
        }
    }

    /// The purpose whose deadline applies: the one staff set, else the one the source suggested.
    pub fn answer_purpose(&self) -> Option<&str> {
        self.purpose.as_deref().or(self.enquiry.purpose.as_deref())
    }

    /// Categories staff have confirmed.
    pub fn confirmed(&self) -> Vec<DataCategory> {
        let mut v: Vec<DataCategory> = self
            .categories
            .iter()
            .filter(|d| d.verdict == Verdict::Confirmed)
            .map(|d| d.category)
            .collect();
        v.sort();
        v
    }

    /// Suggestions not yet confirmed or rejected.
    pub fn open_suggestions(&self) -> Vec<&Suggestion> {
        self.suggestions
            .iter()
            .filter(|s| !self.categories.iter().any(|d| d.category == s.category))
            .collect()
    }

    pub fn live_disclosures(&self) -> impl Iterator<Item = &Disclosure> {
        self.disclosures.iter().filter(|d| d.withdrawn.is_none())
    }

    /// Badges for the queue: confirmed categories, or suggested ones (lower-cased) until then.
    pub fn badges(&self) -> Vec<(DataCategory, bool)> {
        let mut v: Vec<(DataCategory, bool)> =
            self.confirmed().into_iter().map(|c| (c, true)).collect();
        for s in self.open_suggestions() {
            if !v.iter().any(|(c, _)| *c == s.category) {
                v.push((s.category, false));
            }
        }
        v.retain(|(c, _)| c.is_special() || c.is_criminal() || *c == DataCategory::Cpr);
        v.sort();
        v
    }
}

/// What is left of an erased case: no personal data, only what the erasure must show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tombstone {
    pub reference: Reference,
    pub purpose: Option<String>,
    pub received: NaiveDate,
    pub closed: Option<DateTime<Utc>>,
    pub handed_over: Option<DateTime<Utc>>,
    pub ground: String,
    pub erased: Stamp,
    pub version: u64,
}

/// A stored case: live, or erased down to its tombstone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum CaseRecord {
    Live(Box<Case>),
    Erased(Tombstone),
}

impl CaseRecord {
    pub fn reference(&self) -> Reference {
        match self {
            CaseRecord::Live(c) => c.reference,
            CaseRecord::Erased(t) => t.reference,
        }
    }
    pub fn version(&self) -> u64 {
        match self {
            CaseRecord::Live(c) => c.version,
            CaseRecord::Erased(t) => t.version,
        }
    }
    pub fn live(&self) -> Option<&Case> {
        match self {
            CaseRecord::Live(c) => Some(c),
            CaseRecord::Erased(_) => None,
        }
    }
    pub fn status(&self) -> Status {
        match self {
            CaseRecord::Live(c) => c.status,
            CaseRecord::Erased(_) => Status::Erased,
        }
    }
}
