//! Properties of the working-day calendar and the answer clock that no table can cover.

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc, Weekday};
use proptest::prelude::*;
use triage::domain::calendar::{easter_sunday, Calendar};
use triage::domain::case::{Case, Flag, Pause, Stamp, Status};
use triage::domain::clock::{add_months, answer_clock, first_deadline};
use triage::domain::enquiry::{Channel, Enquiry, Language, Reference, Sender};
use triage::domain::policy::Policy;

/// A day between 1900-01-01 and 2200-12-31.
fn day() -> impl Strategy<Value = NaiveDate> {
    let first = NaiveDate::from_ymd_opt(1900, 1, 1).unwrap();
    let span = (NaiveDate::from_ymd_opt(2200, 12, 31).unwrap() - first).num_days();
    (0..=span).prop_map(move |n| first + Duration::days(n))
}

/// Any day chrono can represent.
fn any_day() -> impl Strategy<Value = NaiveDate> {
    (NaiveDate::MIN.num_days_from_ce()..=NaiveDate::MAX.num_days_from_ce())
        .prop_map(|n| NaiveDate::from_num_days_from_ce_opt(n).unwrap())
}

/// A calendar with up to four extra closing days, some of them possibly 29 February.
fn calendar() -> impl Strategy<Value = Calendar> {
    prop::collection::vec((1u32..=12, 1u32..=31), 0..4).prop_map(|days| {
        Calendar::new(
            days.into_iter()
                .filter(|&(m, d)| NaiveDate::from_ymd_opt(2024, m, d).is_some())
                .collect(),
        )
    })
}

/// A policy whose one purpose, `p`, has `deadline`, and the demo closing days.
fn policy(deadline: &str) -> Policy {
    Policy::from_toml(
        &format!(
            r#"
[authority]
id = "t"
name_en = "T"
name_da = "T"
address = "A"
dpo_contact = "d"
supervisory_authority = "s"

[calendar]
extra_closing_days = ["06-05", "12-24", "12-31"]

[archive]
first_period_start = "2022-01-01"
period_years = 5

[[purposes]]
id = "p"
name_en = "P"
name_da = "P"
legal_bases = ["gdpr-6-1-e"]
deadline = {deadline}
retention = {{ kind = "archive-then-delete" }}

[[recipients]]
id = "r"
name_en = "R"
name_da = "R"
legal_bases = ["gdpr-6-1-e"]
special_categories = false
criminal = false
restricted = false
region = "dk"
"#
        ),
        "props",
    )
    .unwrap()
}

/// An open case under purpose `p`, received at 10:00 Danish time on `received`.
fn case(received: NaiveDate) -> Case {
    let at = |d: NaiveDate| d.and_hms_opt(12, 0, 0).unwrap().and_utc();
    let enquiry = Enquiry {
        received: DateTime::parse_from_rfc3339(&format!("{received}T10:00:00+01:00")).unwrap(),
        channel: Channel::Letter,
        sender: Sender {
            name: "Test Person".into(),
            ..Sender::default()
        },
        subject: "Test".into(),
        body: "Test".into(),
        attachments: vec![],
        language: Language::Da,
        message_id: None,
        purpose: None,
        right: None,
    };
    let mut c = Case::new(
        Reference::new(2026, 1),
        enquiry,
        vec![],
        Stamp {
            by: "anne".into(),
            at: at(received),
        },
    );
    c.purpose = Some("p".into());
    c.status = Status::Triaged;
    c
}

fn deadline_rule() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(r#"{ kind = "gdpr-month" }"#.to_string()),
        Just(r#"{ kind = "offentlighedsloven-36" }"#.to_string()),
        (0u32..60).prop_map(|d| format!(r#"{{ kind = "working-days", days = {d} }}"#)),
        (0u32..120).prop_map(|d| format!(r#"{{ kind = "calendar-days", days = {d} }}"#)),
    ]
}

proptest! {
    #[test]
    fn answer_deadlines_fall_on_working_days(
        received in day(),
        rule in deadline_rule(),
        extended in any::<bool>(),
        // (start after receipt in days, length in minutes, still open)
        pauses in prop::collection::vec((0i64..60, 0i64..(30 * 24 * 60), any::<bool>()), 0..3),
        days_later in 0i64..200,
    ) {
        let policy = policy(&rule);
        let cal = Calendar::from_policy(&policy);
        let mut c = case(received);
        let noon = received.and_hms_opt(12, 0, 0).unwrap().and_utc();
        if extended {
            let set = Stamp { by: "anne".into(), at: noon };
            c.clock.extension = Some(Flag { reason: "complex".into(), set });
        }
        let last = pauses.len().saturating_sub(1);
        for (i, (start, minutes, open)) in pauses.into_iter().enumerate() {
            let from: DateTime<Utc> = noon + Duration::days(start);
            // Only the last pause may still be open, as the commands allow.
            let until = (!(open && i == last)).then(|| from + Duration::minutes(minutes));
            let (reason, by) = ("identity".into(), "anne".into());
            c.clock.pauses.push(Pause { reason, from, until, by });
        }
        let today = received + Duration::days(days_later);
        let ac = answer_clock(&c, &policy, &cal, today).expect("every rule here has a clock");
        prop_assert!(cal.is_working_day(ac.due), "{} due {} {}", rule, ac.due, ac.due.weekday());
        prop_assert!(ac.due >= received);
        let first = first_deadline(&c, &policy, &cal).unwrap();
        prop_assert!(cal.is_working_day(first), "{} first deadline {}", rule, first);
        prop_assert!(first <= ac.due);
    }

    #[test]
    fn working_days_there_and_back_return_to_a_working_day(
        d in day(),
        n in -1000i64..1000,
        cal in calendar(),
    ) {
        prop_assume!(cal.is_working_day(d));
        prop_assert_eq!(cal.add_working_days(cal.add_working_days(d, n), -n), d);
    }

    #[test]
    fn working_days_between_counts_what_add_working_days_added(
        d in day(),
        n in -1000i64..1000,
        cal in calendar(),
    ) {
        let there = cal.add_working_days(d, n);
        prop_assert!(n == 0 || cal.is_working_day(there));
        // Backwards, (there, d] holds d itself rather than `there`: it must be a working day.
        if n >= 0 || cal.is_working_day(d) {
            prop_assert_eq!(cal.working_days_between(d, there), n);
        }
    }

    #[test]
    fn add_months_never_panics_nor_goes_backwards(d in any_day(), months in any::<u32>()) {
        let later = add_months(d, months);
        prop_assert!(later >= d);
        prop_assert!(later <= add_months(d, months.saturating_add(1)));
        if months > 0 && later < NaiveDate::MAX {
            prop_assert!(later > d);
            prop_assert!(later.day() == d.day() || later.day() < d.day());
        }
    }

    #[test]
    fn easter_is_a_sunday_in_spring_for_any_year(year in any::<i32>()) {
        let e = easter_sunday(year);
        prop_assert_eq!(e.weekday(), Weekday::Sun);
        prop_assert!((3, 22) <= (e.month(), e.day()) && (e.month(), e.day()) <= (4, 25), "{}", e);
    }
}
