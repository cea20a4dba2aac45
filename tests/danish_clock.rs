//! Day-level decisions in Danish time and the § 36 clock: receipt days, "today", extensions, archive periods.

use chrono::{DateTime, NaiveDate, Utc};
use triage::domain::calendar::Calendar;
use triage::domain::case::{Case, Pause, Stamp, Status};
use triage::domain::clock::{answer_clock, first_deadline, retention_clock};
use triage::domain::command::{apply, Applied, Command, Context, Refusal};
use triage::domain::danish_time::danish_date;
use triage::domain::enquiry::{Channel, Enquiry, Language, Reference, Sender};
use triage::domain::invalid::Invalid;
use triage::domain::policy::{Policy, Role};

const POLICY: &str = r#"
[authority]
id = "t"
name_en = "T"
name_da = "T"
address = "A"
dpo_contact = "d"
supervisory_authority = "s"

[archive]
first_period_start = "2022-01-01"
period_years = 5

[[purposes]]
id = "data-subject-rights"
name_en = "Rights"
name_da = "Rettigheder"
legal_bases = ["gdpr-6-1-c"]
deadline = { kind = "gdpr-month" }
retention = { kind = "archive-then-delete" }

[[purposes]]
id = "access"
name_en = "Access to documents"
name_da = "Aktindsigt"
legal_bases = ["gdpr-6-1-c"]
deadline = { kind = "offentlighedsloven-36" }
retention = { kind = "archive-then-delete" }

[[recipients]]
id = "police"
name_en = "Police"
name_da = "Politiet"
legal_bases = ["gdpr-6-1-e"]
special_categories = false
criminal = false
restricted = false
region = "dk"
"#;

fn policy() -> Policy {
    Policy::from_toml(POLICY, "test").unwrap()
}

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn utc(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

fn case(purpose: &str, received: &str) -> Case {
    let enquiry = Enquiry {
        received: DateTime::parse_from_rfc3339(received).unwrap(),
        channel: Channel::Email,
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
    let stamp = Stamp {
        by: "anne".into(),
        at: utc("2026-01-01T09:00:00Z"),
    };
    let mut c = Case::new(Reference::new(2026, 1), enquiry, vec![], stamp);
    c.purpose = Some(purpose.into());
    c.status = Status::Triaged;
    c
}

fn run(c: &Case, cmd: Command, now: &str) -> Result<Case, Refusal> {
    let policy = policy();
    let ctx = Context {
        actor: "dora",
        roles: &[Role::Dpo, Role::Caseworker],
        now: utc(now),
        policy: &policy,
    };
    let due = first_deadline(c, &policy, &Calendar::from_policy(&policy));
    apply(c, &cmd, &ctx, due).map(|a| match a {
        Applied::Updated(c) => *c,
        Applied::Erased(_) => panic!("not an erasure"),
    })
}

#[test]
fn the_day_of_receipt_is_the_copenhagen_day_not_the_senders() {
    let p = policy();
    let cal = Calendar::from_policy(&p);
    for (sent, day) in [
        // 21:30 on 9 March in Copenhagen.
        ("2026-03-10T05:30:00+09:00", "2026-03-09"),
        // 00:30 on 10 March in Copenhagen, the sender's evening before.
        ("2026-03-09T18:30:00-05:00", "2026-03-10"),
        ("2026-06-01T03:00:00+05:30", "2026-05-31"),
        ("2026-06-01T04:00:00+05:45", "2026-06-01"),
        // Summer time begins 29 March 2026 (01:00 UTC) and ends 25 October 2026 (01:00 UTC).
        ("2026-03-28T23:30:00Z", "2026-03-29"),
        ("2026-03-29T21:59:00Z", "2026-03-29"),
        ("2026-03-29T22:00:00Z", "2026-03-30"),
        ("2026-10-24T22:30:00Z", "2026-10-25"),
        ("2026-10-25T22:30:00Z", "2026-10-25"),
        ("2026-10-25T23:00:00Z", "2026-10-26"),
    ] {
        let c = case("data-subject-rights", sent);
        let clock = answer_clock(&c, &p, &cal, d("2026-01-01")).unwrap();
        assert_eq!(clock.received, d(day), "{sent}");
        let r = retention_clock(&c, &p, d("2026-01-01")).unwrap();
        assert_eq!(r.received, d(day), "{sent}");
    }
}

#[test]
fn today_at_half_past_midnight_danish_time_is_already_the_new_day() {
    // Winter (CET): 00:30 is 23:30 UTC the day before; summer (CEST): 22:30 UTC.
    assert_eq!(danish_date(&utc("2026-01-13T23:30:00Z")), d("2026-01-14"));
    assert_eq!(danish_date(&utc("2026-07-14T22:30:00Z")), d("2026-07-15"));
}

#[test]
fn an_extension_at_half_past_midnight_after_the_deadline_is_refused() {
    let p = policy();
    let c = case("data-subject-rights", "2026-01-14T10:00:00+01:00");
    let due = first_deadline(&c, &p, &Calendar::from_policy(&p)).unwrap();
    let why = || Command::Extend {
        reason: "complex request with many records".into(),
    };
    // 23:30 Danish time on the due day: still allowed.
    let late = format!("{due}T23:30:00+01:00");
    assert!(run(&c, why(), &late).is_ok(), "{late}");
    // 00:30 Danish time the day after (still the due day in UTC): refused.
    let next = due.succ_opt().unwrap();
    let after = format!("{next}T00:30:00+01:00");
    assert_eq!(
        utc(&after).date_naive(),
        due,
        "the instant is the due day in UTC"
    );
    match run(&c, why(), &after) {
        Err(Refusal::Invalid(m @ Invalid::ExtensionTooLate { .. })) => {
            assert!(m.to_string().contains("has passed"), "{m}")
        }
        other => panic!("extension at {after} was not refused: {other:?}"),
    }
}

#[test]
fn a_case_closed_at_half_past_midnight_on_new_year_falls_in_the_new_archive_period() {
    let p = policy();
    let c = case("access", "2026-12-01T10:00:00+01:00");
    let closed = run(
        &c,
        Command::Close {
            reason: "answered in full".into(),
        },
        "2027-01-01T00:30:00+01:00",
    )
    .unwrap();
    let r = retention_clock(&closed, &p, d("2027-01-02")).unwrap();
    assert_eq!(r.closed, Some(d("2027-01-01")));
    // Periods of five years from 2022: the one that began 1 January 2027 ends 2031.
    assert_eq!(r.handover_due, Some(d("2031-12-31")));
}

#[test]
fn a_request_for_access_to_documents_cannot_be_paused() {
    let c = case("access", "2026-02-02T10:00:00+01:00");
    let pause = || Command::Pause {
        reason: "waiting for identity papers".into(),
    };
    match run(&c, pause(), "2026-02-03T10:00:00+01:00") {
        Err(Refusal::Invalid(m @ Invalid::AccessToDocumentsCannotPause)) => {
            let m = m.to_string();
            assert!(
                m.contains("access to documents") && m.contains("§ 36"),
                "{m}"
            )
        }
        other => panic!("a § 36 pause was not refused: {other:?}"),
    }
    // The GDPR clock still waits for identity.
    let rights = case("data-subject-rights", "2026-02-02T10:00:00+01:00");
    assert!(run(&rights, pause(), "2026-02-03T10:00:00+01:00").is_ok());
}

#[test]
fn a_pause_recorded_on_a_section_36_case_moves_neither_date() {
    let p = policy();
    let cal = Calendar::from_policy(&p);
    let mut c = case("access", "2026-02-02T10:00:00+01:00");
    c.clock.pauses.push(Pause {
        reason: "recorded before pauses were refused".into(),
        from: utc("2026-02-03T10:00:00Z"),
        until: Some(utc("2026-02-10T10:00:00Z")),
        by: "anne".into(),
    });
    let a = answer_clock(&c, &p, &cal, d("2026-02-11")).unwrap();
    assert_eq!(a.due, d("2026-02-11"));
    assert_eq!(a.complaint_date, Some(d("2026-02-20")));
    assert!(!a.paused);
}

#[test]
fn the_delay_letter_is_flagged_on_day_seven_and_the_section_39_date_is_given() {
    let p = policy();
    let cal = Calendar::from_policy(&p);
    // Received Monday 2 February 2026: 7 working days → Wednesday 11 February,
    // 14 working days → Friday 20 February.
    let c = case("access", "2026-02-02T10:00:00+01:00");
    let on = |day: &str| answer_clock(&c, &p, &cal, d(day)).unwrap();
    assert_eq!(on("2026-02-10").due, d("2026-02-11"));
    assert!(!on("2026-02-10").delay_letter_due, "day 6");
    assert!(on("2026-02-11").delay_letter_due, "day 7, the due day");
    assert!(on("2026-02-12").delay_letter_due, "after day 7");
    assert_eq!(on("2026-02-10").complaint_date, Some(d("2026-02-20")));
    assert!(!on("2026-02-20").complaint_possible);
    assert!(on("2026-02-23").complaint_possible);
    // A GDPR case has no § 39 date.
    let rights = case("data-subject-rights", "2026-02-02T10:00:00+01:00");
    let a = answer_clock(&rights, &p, &cal, d("2026-02-10")).unwrap();
    assert_eq!(a.complaint_date, None);
    assert!(!a.delay_letter_due);
}

#[test]
fn the_reference_year_is_the_danish_year_of_receipt() {
    let dir = tempfile::tempdir().unwrap();
    let store = triage::store::Store::open(&dir.path().join("db")).unwrap();
    let new = |received: &str| triage::store::NewEnquiry {
        enquiry: case("data-subject-rights", received).enquiry,
        suggestions: vec![],
        source: "test".into(),
    };
    let reg = store
        .register(
            &policy(),
            &[
                // 21:30 on New Year's Eve in Copenhagen, though already 2027 in Tokyo.
                new("2027-01-01T05:30:00+09:00"),
                // 00:30 on New Year's Day in Copenhagen, still 2026 in UTC.
                new("2026-12-31T23:30:00Z"),
            ],
            "anne",
            utc("2027-01-02T09:00:00Z"),
        )
        .unwrap();
    let years: Vec<String> = reg.registered.iter().map(|r| r.to_string()).collect();
    assert_eq!(years, ["2026-000001", "2027-000001"]);
}
