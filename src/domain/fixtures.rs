//! Test fixtures shared by the unit tests: a small policy and enquiry builders.

use super::case::{Case, Stamp};
use super::enquiry::*;
use super::policy::Policy;
use chrono::{DateTime, TimeZone, Utc};

/// A small but complete policy: two purposes, a few recipients, two staff.
pub const POLICY: &str = r#"
[authority]
id = "t"
name_en = "Test authority"
name_da = "Testmyndighed"
address = "Street 1"
dpo_contact = "dpo@example.dk"
supervisory_authority = "Datatilsynet"

[archive]
first_period_start = "2022-01-01"
period_years = 5

[[staff]]
login = "anne"
name = "Anne"
roles = ["caseworker"]

[[purposes]]
id = "citizen-enquiries"
name_en = "Citizen enquiries"
name_da = "Henvendelser fra borgere"
legal_bases = ["gdpr-6-1-c", "gdpr-9-2-f"]
deadline = { kind = "working-days", days = 10 }
retention = { kind = "archive-then-delete" }

[[recipients]]
id = "police"
name_en = "Police"
name_da = "Politiet"
legal_bases = ["gdpr-6-1-e", "gdpr-10", "dpa-11"]
special_categories = true
criminal = true
restricted = false
region = "dk"

[[staff]]
login = "dora"
name = "Dora DPO"
roles = ["dpo", "caseworker"]

[[purposes]]
id = "data-subject-rights"
name_en = "Data-subject rights"
name_da = "Registreredes rettigheder"
legal_bases = ["gdpr-6-1-c"]
deadline = { kind = "gdpr-month" }
retention = { kind = "archive-then-delete" }

[[recipients]]
id = "employers"
name_en = "Employers"
name_da = "Arbejdsgivere"
legal_bases = ["gdpr-6-1-c", "aliens-act"]
special_categories = false
criminal = false
restricted = false
region = "dk"
template = "employer-notice"

[[recipients]]
id = "pet"
name_en = "Danish Security and Intelligence Service"
name_da = "Politiets Efterretningstjeneste"
legal_bases = ["gdpr-6-1-e", "gdpr-9-2-f", "gdpr-10", "dpa-8", "dpa-11"]
special_categories = true
criminal = true
restricted = true
region = "dk"

[[recipients]]
id = "unhcr"
name_en = "International organisation"
name_da = "International organisation"
legal_bases = ["gdpr-6-1-e"]
special_categories = false
criminal = false
restricted = false
region = "international-eu-eea"

[[recipients]]
id = "local-authorities"
name_en = "Local authorities"
name_da = "Kommuner"
legal_bases = ["gdpr-6-1-e", "pal-7", "dpa-11"]
special_categories = false
criminal = false
restricted = false
region = "dk"

[[category_rules]]
category = "special"
basis_kinds = ["art-9"]

[[category_rules]]
category = "criminal"
basis_kinds = ["art-10"]

[[category_rules]]
category = "cpr"
bases = ["dpa-11"]
"#;

pub fn policy() -> Policy {
    Policy::from_toml(POLICY, "fixture").expect("fixture policy is valid")
}

pub fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s)
        .expect("rfc3339")
        .with_timezone(&Utc)
}

pub fn enquiry(received: &str, body: &str) -> Enquiry {
    Enquiry {
        received: DateTime::parse_from_rfc3339(received).expect("rfc3339"),
        channel: Channel::Email,
        sender: Sender {
            name: "Fatima Hassan".into(),
            email: Some("fatima@example.com".into()),
            phone: None,
            address: Some("Nørrebrogade 12, 2200 København N".into()),
            cpr: Some("120385-1234".into()),
        },
        subject: "Spørgsmål".into(),
        body: body.into(),
        attachments: vec![],
        language: Language::Da,
        message_id: None,
        purpose: None,
        right: None,
    }
}

pub fn case(received: &str, body: &str) -> Case {
    let stamp = Stamp {
        by: "anne".into(),
        at: Utc.with_ymd_and_hms(2026, 1, 1, 9, 0, 0).unwrap(),
    };
    Case::new(
        Reference::new(2026, 1),
        enquiry(received, body),
        vec![],
        stamp,
    )
}
