//! Unit tests of the reports.

use super::*;
use crate::domain::case::{CategoryDecision, Decision, Flag, Stamp, Verdict};
use crate::domain::fixtures;

fn stamp(at: &str) -> Stamp {
    Stamp {
        by: "anne".into(),
        at: fixtures::at(at),
    }
}

fn case(seq: u32, body: &str) -> Case {
    let mut c = fixtures::case("2026-03-02T09:00:00+01:00", body);
    c.reference = Reference::new(2026, seq);
    c
}

fn disclose(c: &mut Case, recipient: &str, transfer: Option<&str>) {
    let id = c.disclosures.len() as u32 + 1;
    c.disclosures.push(Disclosure {
        id,
        kind: DisclosureKind::Disclosure,
        recipient: recipient.into(),
        bases: vec!["gdpr-6-1-e".parse().unwrap()],
        justification: "Needed by the recipient for its own case.".into(),
        transfer: transfer.map(str::to_string),
        categories: vec![],
        parties: vec![],
        made: stamp("2026-03-05T10:00:00Z"),
        withdrawn: None,
    });
}

fn fatima() -> Vec<SubjectId> {
    vec![SubjectId::parse("cpr:120385-1234").unwrap()]
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
}

#[test]
fn subject_ids_parse_and_normalise_like_the_index() {
    let id = SubjectId::parse("cpr:010203-1234").unwrap();
    assert_eq!(id.key(), "cpr:0102031234");
    assert_eq!(id.shown(), "010203-XXXX");
    assert_eq!(SubjectId::parse("0102031234").unwrap(), id);
    assert_eq!(
        SubjectId::parse(" Fatima@Example.COM ").unwrap().key(),
        "email:fatima@example.com"
    );
    assert_eq!(
        SubjectId::parse("name:Fatima  Hassan|Nørrebrogade 12,  2200 København N")
            .unwrap()
            .key(),
        "name:fatima hassan|nørrebrogade 12, 2200 københavn n"
    );
    for bad in [
        "cpr:1234",
        "cpr:320185-1234",
        "name:Fatima Hassan",
        "Fatima Hassan",
        "email:nobody",
        "",
    ] {
        assert!(SubjectId::parse(bad).is_err(), "{bad}");
    }
    // The digest is stable and does not contain the number.
    assert_eq!(
        id.digest(),
        SubjectId::parse("0102031234").unwrap().digest()
    );
    assert!(!id.digest().contains("0102031234"));
}

#[test]
fn cpr_numbers_in_text_are_found_strictly() {
    let text = "Min søn 010203-1234 og jeg (1203851234). Tlf 22334455, konto 12345678901, dato 320185-1234, ordre 0102031234567.";
    let hits: Vec<String> = cprs_in_text(text).into_iter().map(|h| h.digits).collect();
    assert_eq!(hits, ["0102031234", "1203851234"]);
    let masked = mask_cprs_except(text, &BTreeSet::from(["1203851234".to_string()]));
    assert!(masked.contains("010203-XXXX") && masked.contains("1203851234"));
}

#[test]
fn enquiry_keys_are_the_senders_and_the_cpr_numbers_written_in_it() {
    let e = fixtures::enquiry(
        "2026-03-02T09:00:00+01:00",
        "Mit CPR-nummer er 120385-1234; min datter har 010203-4321.",
    );
    assert_eq!(
        enquiry_keys(&e),
        [
            "cpr:1203851234",
            "email:fatima@example.com",
            "name:fatima hassan|nørrebrogade 12, 2200 københavn n",
            "cpr:0102034321",
        ]
    );
}

#[test]
fn a_duplicate_is_the_latest_same_right_request_within_the_window() {
    let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    let others = [
        (
            Reference::new(2026, 1),
            Some(RightKind::Access),
            d("2026-01-01"),
        ),
        (
            Reference::new(2026, 2),
            Some(RightKind::Access),
            d("2026-02-20"),
        ),
        (
            Reference::new(2026, 3),
            Some(RightKind::Erasure),
            d("2026-03-01"),
        ),
        (Reference::new(2026, 4), None, d("2026-03-01")),
    ];
    let right = RightKind::Access;
    let me = Reference::new(2026, 9);
    // A later request does not make this one a duplicate.
    assert_eq!(
        duplicate_of(me, right, d("2026-01-20"), 30, &others),
        Some(Reference::new(2026, 1))
    );
    assert_eq!(
        duplicate_of(Reference::new(2026, 1), right, d("2026-01-01"), 30, &others),
        None
    );
    assert_eq!(
        duplicate_of(me, right, d("2026-03-01"), 30, &others),
        Some(Reference::new(2026, 2))
    );
    assert_eq!(duplicate_of(me, right, d("2026-03-23"), 30, &others), None);
    assert_eq!(
        duplicate_of(me, RightKind::Objection, d("2026-03-01"), 30, &others),
        None
    );
    assert_eq!(
        duplicate_of(me, RightKind::Erasure, d("2026-03-31"), 30, &others),
        Some(Reference::new(2026, 3))
    );
}

#[test]
fn restricted_cases_and_restricted_recipients_leave_no_trace() {
    let policy = fixtures::policy();
    let mut open = case(1, "Spørgsmål om min sag.");
    open.purpose = Some("citizen-enquiries".into());
    disclose(&mut open, "police", None);
    // Waived: the case stays unrestricted, but the disclosure itself must not show.
    disclose(&mut open, "pet", None);
    disclose(
        &mut open,
        "unhcr",
        Some("Art. 49(1)(d), important reasons of public interest"),
    );
    disclose(&mut open, "gone-from-policy", None);
    let mut secret = case(2, "Hemmelig sag");
    secret.restriction = Some(Flag {
        reason: "disclosed to PET (Art. 23)".into(),
        set: stamp("2026-03-05T10:00:00Z"),
    });
    let reads = [
        Read {
            at: fixtures::at("2026-03-06T10:00:00Z"),
            reference: Some(Reference::new(2026, 1)),
            action: "open".into(),
        },
        Read {
            at: fixtures::at("2026-03-07T10:00:00Z"),
            reference: Some(Reference::new(2026, 2)),
            action: "reveal-cpr".into(),
        },
    ];
    for lang in [Language::En, Language::Da] {
        let r = access_report(
            &policy,
            &fatima(),
            &[open.clone(), secret.clone()],
            lang,
            today(),
            Some(&reads),
        );
        assert_eq!(r.cases.len(), 1);
        let recipients: Vec<&str> = r.cases[0]
            .recipients
            .recipients
            .iter()
            .map(|x| x.id.as_str())
            .collect();
        assert_eq!(recipients, ["police", "unhcr"]);
        assert_eq!(
            r.cases[0].recipients.recipients[1].safeguard.as_deref(),
            Some("Art. 49(1)(d), important reasons of public interest")
        );
        let log = r.log.as_ref().unwrap();
        assert_eq!(log.entries.len(), 1);
        let md = access_markdown(&r);
        let json = serde_json::to_string(&r).unwrap();
        for text in [&md, &json] {
            for hidden in [
                "2026-000002",
                "Hemmelig",
                "PET",
                "Efterretning",
                "Intelligence",
                "gone-from-policy",
                "anne",
                "withheld",
                "Article 23",
                "artikel 23",
                "Art. 23",
            ] {
                assert!(!text.contains(hidden), "{hidden} in {lang:?}: {text}");
            }
        }
    }
}

#[test]
fn the_answer_has_items_a_to_g_and_a_copy_in_both_languages() {
    let policy = fixtures::policy();
    let mut c = case(1, "Mit CPR-nummer er 120385-1234. Min søn har 010203-1234.");
    c.purpose = Some("data-subject-rights".into());
    c.right = Some(RightKind::Access);
    c.categories.push(CategoryDecision {
        category: DataCategory::Cpr,
        verdict: Verdict::Confirmed,
        decided: stamp("2026-03-03T10:00:00Z"),
    });
    c.closed = Some(stamp("2026-03-20T10:00:00Z"));
    c.decision = Some(Decision {
        outcome: Outcome::PartlyGranted,
        ruling: Some(Ruling {
            reasons: "Parts concern another person's protected interests.".into(),
            ground: "Data Protection Act § 22".into(),
        }),
        made: stamp("2026-03-19T10:00:00Z"),
    });
    let en = access_markdown(&access_report(
        &policy,
        &fatima(),
        &[c.clone()],
        Language::En,
        today(),
        None,
    ));
    for item in [
        "(a) Purpose and legal basis",
        "GDPR Art. 6(1)(c)",
        "(b) Categories of personal data",
        "CPR number",
        "(c) Recipients",
        "has not been disclosed",
        "(d) How long the data is kept",
        "1 January 2027",
        "(e) Your rights",
        "rectified (Article 16)",
        "(Article 17)",
        "(Article 18)",
        "(Article 21)",
        "(f) Complaint to the Danish Data Protection Agency",
        "Datatilsynet",
        "(g) Where the data came from",
        "Copy of the personal data",
        "120385-1234",
        "010203-XXXX",
        "Data Protection Act § 22",
        "partly granted",
        "dpo@example.dk",
    ] {
        assert!(en.contains(item), "missing {item:?}:\n{en}");
    }
    assert!(
        !en.contains("010203-1234"),
        "another person's CPR number in clear"
    );
    let da = access_markdown(&access_report(
        &policy,
        &fatima(),
        &[c],
        Language::Da,
        today(),
        None,
    ));
    for item in [
        "Indsigt i dine personoplysninger",
        "(a) Formål og retsgrundlag",
        "databeskyttelsesforordningens art. 6, stk. 1, litra c",
        "(b) Kategorier af personoplysninger",
        "CPR-nummer",
        "(c) Modtagere",
        "(d) Hvor længe oplysningerne opbevares",
        "1. januar 2027",
        "berigtiget",
        "slettet",
        "begrænset",
        "indsigelse",
        "(f) Klage til Datatilsynet",
        "(g) Hvor oplysningerne stammer fra",
        "Kopi af personoplysningerne",
        "delvist imødekommet",
        "Hjemmel",
        "Databeskyttelsesrådgiver",
    ] {
        assert!(da.contains(item), "missing {item:?}:\n{da}");
    }
}

#[test]
fn a_person_mentioned_gets_the_text_but_not_the_senders_details() {
    let policy = fixtures::policy();
    let c = case(1, "Jeg skriver om min nabo 010203-1234.");
    let neighbour = [SubjectId::parse("010203-1234").unwrap()];
    let r = access_report(&policy, &neighbour, &[c], Language::En, today(), None);
    let copy = &r.cases[0].copy;
    assert_eq!(r.cases[0].role, Role::Mentioned);
    assert!(copy.fields.is_empty());
    assert!(copy.note.is_some());
    assert!(copy.text.contains("010203-1234"));
    let md = access_markdown(&r);
    assert!(
        !md.contains("fatima") && !md.contains("Fatima") && !md.contains("120385"),
        "{md}"
    );
}

#[test]
fn deadlines_group_open_cases_and_show_duplicates() {
    let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    let reading = |due: &str| {
        Some(ClockReading {
            due: d(due),
            complaint_date: None,
            countdown: "x".into(),
            urgency: 0,
        })
    };
    let mut dup = case(3, "igen");
    dup.duplicate_of = Some(Reference::new(2026, 1));
    let mut closed = case(4, "lukket");
    closed.status = crate::domain::case::Status::Closed;
    let cases = vec![
        (case(1, "a"), reading("2026-11-20")),
        (case(2, "b"), reading("2026-11-24")),
        (dup, reading("2026-11-27")),
        (case(5, "c"), None),
        (closed, None),
    ];
    let r = deadlines(&cases, Language::En, today());
    let states: Vec<(DeadlineState, usize)> =
        r.groups.iter().map(|g| (g.state, g.cases.len())).collect();
    assert_eq!(
        states,
        [
            (DeadlineState::Overdue, 1),
            (DeadlineState::DueToday, 1),
            (DeadlineState::DueSoon, 1),
            (DeadlineState::NoDeadline, 1)
        ]
    );
    let md = deadlines_markdown(&r);
    assert!(md.contains("possible duplicate of 2026-000001"), "{md}");
    assert!(!md.contains("2026-000004"));
}

#[test]
fn the_disclosures_report_leaves_out_art_23_unless_asked() {
    let policy = fixtures::policy();
    let mut c = case(1, "x");
    disclose(&mut c, "police", None);
    disclose(&mut c, "pet", None);
    let mut r2 = case(2, "y");
    disclose(&mut r2, "police", None);
    r2.restriction = Some(Flag {
        reason: "Art. 23".into(),
        set: stamp("2026-03-05T10:00:00Z"),
    });
    let cases = [c, r2];
    let plain = disclosures(&policy, &cases, &DisclosureFilter::default(), Language::En);
    assert_eq!(plain.rows.len(), 1);
    assert!(!disclosures_markdown(&plain).contains("Intelligence"));
    let all = DisclosureFilter {
        include_restricted: true,
        ..Default::default()
    };
    assert_eq!(
        disclosures(&policy, &cases, &all, Language::En).rows.len(),
        3
    );
    let later = DisclosureFilter {
        from: NaiveDate::from_ymd_opt(2026, 3, 6),
        ..Default::default()
    };
    assert!(disclosures(&policy, &cases, &later, Language::En)
        .rows
        .is_empty());
}

#[test]
fn the_ropa_has_controller_dpo_purposes_recipients_transfers_and_security() {
    let policy = fixtures::policy();
    let r = ropa(&policy, Language::En, today());
    assert_eq!(r.activities.len(), policy.purposes.len());
    let md = ropa_markdown(&r);
    for item in [
        "Test authority",
        "dpo@example.dk",
        "Citizen enquiries",
        "Time limit for erasure",
        "International organisation",
        "Article 23",
    ] {
        assert!(md.contains(item), "{item}: {md}");
    }
    assert!(ropa_markdown(&ropa(&policy, Language::Da, today()))
        .contains("Fortegnelse over behandlingsaktiviteter"));
}

#[test]
fn a_ruling_letter_needs_a_decision() {
    let policy = fixtures::policy();
    let mut c = case(1, "x");
    assert!(ruling_letter(&policy, &c, Language::En).is_none());
    c.right = Some(RightKind::Erasure);
    c.decision = Some(Decision {
        outcome: Outcome::Refused,
        ruling: Some(Ruling {
            reasons: "The case must be kept under the Archives Act.".into(),
            ground: "GDPR Art. 17(3)(b)".into(),
        }),
        made: stamp("2026-03-19T10:00:00Z"),
    });
    let md = ruling_markdown(&ruling_letter(&policy, &c, Language::Da).unwrap());
    for item in [
        "afslået",
        "sletning",
        "GDPR Art. 17(3)(b)",
        "Archives Act",
        "Datatilsynet",
    ] {
        assert!(md.contains(item), "{item}: {md}");
    }
}

#[test]
fn the_danish_ropa_uses_the_danish_measures_and_counts_years_right() {
    let mut policy = fixtures::policy();
    policy.authority.security_measures = vec!["Backups are encrypted".into()];
    policy.authority.security_measures_da = vec!["Sikkerhedskopier er krypterede".into()];
    policy.archive.period_years = 1;
    let da = ropa_markdown(&ropa(&policy, Language::Da, today()));
    assert!(da.contains("- Sikkerhedskopier er krypterede"), "{da}");
    assert!(!da.contains("Backups are encrypted"), "{da}");
    let en = ropa_markdown(&ropa(&policy, Language::En, today()));
    assert!(en.contains("archive periods of 1 year,"), "{en}");
    assert!(!en.contains("1 years"), "{en}");
    assert_eq!(years_text(5, &EN), "5 years");
    assert_eq!(years_text(1, &DA), "1 år");
}

#[test]
fn log_times_are_written_in_danish_time() {
    let winter = fixtures::at("2026-12-01T09:15:00Z");
    assert_eq!(long_time(winter, &DA), "1. december 2026 kl. 10.15");
    let summer = fixtures::at("2026-07-01T09:15:00Z");
    assert_eq!(long_time(summer, &EN), "1 July 2026 at 11:15 (Danish time)");
}

#[test]
fn the_disclosure_log_names_bases_and_categories_in_words() {
    let policy = fixtures::policy();
    let mut c = case(1, "x");
    disclose(&mut c, "police", None);
    c.disclosures[0].categories = vec![DataCategory::Health];
    let r = disclosures(&policy, &[c], &DisclosureFilter::default(), Language::Da);
    let md = disclosures_markdown(&r);
    assert!(!md.contains("gdpr-6-1-e"), "{md}");
    assert!(md.contains("litra e"), "{md}");
    assert!(md.contains(DataCategory::Health.name_da()), "{md}");
    assert_eq!(r.rows[0].legal_bases, vec!["gdpr-6-1-e".to_string()]);
    assert_eq!(r.rows[0].categories, vec!["health".to_string()]);
}
