//! Reports end to end: a person spread over several cases, and what each report may say.

mod common;
use common::*;
use serde_json::Value;

const CPR: &str = "120385-1234";
const SUBJECT: &str = "cpr:120385-1234";
const EMAIL: &str = "email:Fatima@Example.com";
const NAME: &str = "name:Fatima Hassan|Nørrebrogade 12, 2200 København N";

fn line(
    received: &str,
    channel: &str,
    sender: Value,
    subject: &str,
    body: &str,
    extra: Value,
) -> String {
    let mut v = serde_json::json!({
        "received": received, "channel": channel, "sender": sender,
        "subject": subject, "body": body, "language": "da",
    });
    if let Value::Object(m) = extra {
        for (k, x) in m {
            v[k] = x;
        }
    }
    v.to_string()
}

fn fatima() -> Value {
    serde_json::json!({"name": "Fatima Hassan", "email": "fatima@example.com",
        "address": "Nørrebrogade 12, 2200 København N", "cpr": CPR})
}

const WHY: &str = "The recipient needs the enquiry for its own case about the person.";

/// The person's cases:
/// 1 routed to two recipients (one outside the EU/EEA, with its safeguard);
/// 2 routed to PET and so restricted; 3 closed and erased; 4 routed to the police and to
/// PET with the restriction waived; 5 someone else's letter naming her CPR number;
/// 6 an unrelated person; 7 and 8 access requests (8 a duplicate of 7).
fn scenario() -> TestStore {
    let s = TestStore::new();
    let none = serde_json::json!({});
    let lines = [
        line(
            "2026-11-02T09:00:00+01:00",
            "email",
            fatima(),
            "Min opholdstilladelse",
            "Hvornår får jeg svar på min ansøgning?",
            none.clone(),
        ),
        line(
            "2026-11-03T09:00:00+01:00",
            "letter",
            fatima(),
            "Hemmeligt brev",
            "Jeg har oplysninger om en sag.",
            none.clone(),
        ),
        line(
            "2026-11-04T09:00:00+01:00",
            "email",
            fatima(),
            "Slettes snart",
            "Tak for hjælpen med flytningen.",
            none.clone(),
        ),
        line(
            "2026-11-05T09:00:00+01:00",
            "email",
            fatima(),
            "Klage over politiet",
            "Jeg vil klage over en anholdelse.",
            none.clone(),
        ),
        line(
            "2026-11-06T09:00:00+01:00",
            "letter",
            serde_json::json!({"name": "Ole Holm", "address": "Vestergade 3, 8000 Aarhus C", "cpr": "010170-1111"}),
            "Om min nabo",
            "Min nabo Fatima, CPR 120385-1234, larmer om natten.",
            none.clone(),
        ),
        line(
            "2026-11-07T09:00:00+01:00",
            "email",
            serde_json::json!({"name": "Jonas Berg", "email": "jonas@example.com"}),
            "Andet",
            "Et helt andet spørgsmål.",
            none.clone(),
        ),
        line(
            "2026-11-10T09:00:00+01:00",
            "e-boks",
            fatima(),
            "Indsigt",
            "Jeg vil gerne se, hvad I har registreret om mig.",
            serde_json::json!({"purpose": "data-subject-rights", "right": "access"}),
        ),
        line(
            "2026-11-20T09:00:00+01:00",
            "e-boks",
            fatima(),
            "Indsigt igen",
            "Jeg spørger igen om indsigt.",
            serde_json::json!({"purpose": "data-subject-rights", "right": "access"}),
        ),
    ];
    let file = s.dir.path().join("fatima.jsonl");
    std::fs::write(&file, lines.join("\n") + "\n").unwrap();
    let out = s.ok(&["import", file.to_str().unwrap()]);
    assert!(out.contains("8 registered"), "{out}");

    let triage = |r: &str| {
        s.ok(&["case", r, "classify", "--confirm", "contact,cpr"]);
        s.ok(&["case", r, "purpose", "citizen-enquiries"]);
    };
    triage("2026-000001");
    s.ok(&[
        "case",
        "2026-000001",
        "route",
        "--to",
        "immigration-service",
        "--basis",
        "gdpr-6-1-e,dpa-11",
        "--why",
        WHY,
    ]);
    s.ok(&[
        "case",
        "2026-000001",
        "route",
        "--to",
        "third-country-authorities",
        "--basis",
        "gdpr-6-1-e,dpa-11",
        "--transfer",
        "GDPR Art. 49(1)(d): important reasons of public interest",
        "--why",
        WHY,
    ]);
    triage("2026-000002");
    s.ok(&[
        "case",
        "2026-000002",
        "route",
        "--to",
        "pet",
        "--basis",
        "gdpr-6-1-e,dpa-11",
        "--why",
        WHY,
    ]);
    triage("2026-000003");
    s.ok(&["case", "2026-000003", "close", "--why", "answered by phone"]);
    s.ok(&[
        "case",
        "2026-000003",
        "erase",
        "--ground",
        "the retention period has ended",
    ]);
    triage("2026-000004");
    s.ok(&[
        "case",
        "2026-000004",
        "route",
        "--to",
        "police",
        "--basis",
        "gdpr-6-1-e,dpa-11",
        "--why",
        WHY,
    ]);
    s.ok(&[
        "case",
        "2026-000004",
        "route",
        "--to",
        "pet",
        "--basis",
        "gdpr-6-1-e,dpa-11",
        "--why",
        WHY,
        "--waive-restriction",
        "the complaint itself is not sensitive",
    ]);
    s.ok(&[
        "case",
        "2026-000007",
        "purpose",
        "data-subject-rights",
        "--right",
        "access",
    ]);
    s
}

fn references(report: &Value) -> Vec<String> {
    report["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["reference"].as_str().unwrap().to_string())
        .collect()
}

fn recipients(report: &Value, reference: &str) -> Vec<String> {
    let case = report["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["reference"] == reference)
        .unwrap();
    case["recipients"]["recipients"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect()
}

/// What must never be in an access answer for this person.
fn assert_no_trace_of_restricted(text: &str) {
    for hidden in [
        "2026-000002",
        "Hemmeligt",
        "2026-000003",
        "Slettes snart",
        "2026-000006",
        "Jonas",
        "PET",
        "Efterretningstjeneste",
        "Intelligence",
        "\"pet\"",
        "Art. 23",
        "Article 23",
        "artikel 23",
        "withheld",
        "tilbageholdt",
    ] {
        assert!(
            !text.contains(hidden),
            "{hidden:?} in the access answer:\n{text}"
        );
    }
    assert!(
        !text.contains(&login()),
        "a staff login in the access answer"
    );
}

#[test]
fn access_report_lists_exactly_the_persons_unrestricted_cases_recipients_and_retention() {
    let s = scenario();
    let text = s.ok(&[
        "report",
        "access",
        "--subject",
        SUBJECT,
        "--subject",
        EMAIL,
        "--subject",
        NAME,
        "--format",
        "json",
    ]);
    let r: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        references(&r),
        [
            "2026-000001",
            "2026-000004",
            "2026-000005",
            "2026-000007",
            "2026-000008"
        ]
    );
    assert_eq!(
        recipients(&r, "2026-000001"),
        ["immigration-service", "third-country-authorities"]
    );
    assert_eq!(recipients(&r, "2026-000004"), ["police"]);
    let case1 = &r["cases"][0];
    let third = &case1["recipients"]["recipients"][1];
    assert_eq!(third["third_country"], true);
    assert_eq!(
        third["safeguard"],
        "GDPR Art. 49(1)(d): important reasons of public interest"
    );
    assert_eq!(third["date"], "2026-11-24");
    // (d): the retention rule of the purpose and the archive periods it turns on.
    let retention = case1["retention"]["lines"].to_string();
    assert!(
        retention.contains("Danish National Archives") && retention.contains("5 years"),
        "{retention}"
    );
    assert!(retention.contains("still open"), "{retention}");
    // The letter from the neighbour: she is mentioned, the neighbour's details stay out.
    let case5 = &r["cases"][2];
    assert_eq!(case5["role"], "mentioned");
    assert_eq!(case5["copy"]["fields"], serde_json::json!([]));
    assert!(
        !text.contains("Ole Holm") && !text.contains("010170"),
        "{text}"
    );
    assert!(case5["copy"]["text"].as_str().unwrap().contains(CPR));
    assert_no_trace_of_restricted(&text);
}

#[test]
fn access_report_markdown_has_items_a_to_g_in_english_and_danish() {
    let s = scenario();
    let en = s.ok(&["report", "access", "--subject", SUBJECT]);
    for item in [
        "# Access to your personal data (GDPR Article 15)",
        "### Case 2026-000001",
        "(a) Purpose and legal basis",
        "Citizen enquiries",
        "GDPR Art. 6(1)(c)",
        "(b) Categories of personal data",
        "Contact details",
        "CPR number",
        "(c) Recipients",
        "Danish Immigration Service: disclosed on 24 November 2026",
        "safeguard: GDPR Art. 49(1)(d)",
        "(d) How long the data is kept",
        "Danish National Archives",
        "(e) Your rights",
        "(Article 16)",
        "(Article 17)",
        "(Article 18)",
        "(Article 21)",
        "(f) Complaint to the Danish Data Protection Agency",
        "Datatilsynet, Carl Jacobsens Vej 35",
        "(g) Where the data came from",
        "You gave us the data yourself",
        "Copy of the personal data",
        "Hvornår får jeg svar på min ansøgning?",
        CPR,
        "Data protection officer: Databeskyttelsesrådgiver, Slotsholmsgade 10",
    ] {
        assert!(en.contains(item), "missing {item:?}:\n{en}");
    }
    assert_no_trace_of_restricted(&en);
    let da = s.ok(&["report", "access", "--subject", SUBJECT, "--lang", "da"]);
    for item in [
        "# Indsigt i dine personoplysninger",
        "### Sag 2026-000001",
        "(a) Formål og retsgrundlag",
        "Henvendelser fra borgere",
        "(b) Kategorier af personoplysninger",
        "Kontaktoplysninger",
        "(c) Modtagere",
        "Udlændingestyrelsen: videregivet den 24. november 2026",
        "(d) Hvor længe oplysningerne opbevares",
        "Rigsarkivet",
        "(e) Dine rettigheder",
        "berigtiget",
        "slettet",
        "begrænset",
        "indsigelse",
        "(f) Klage til Datatilsynet",
        "(g) Hvor oplysningerne stammer fra",
        "Kopi af personoplysningerne",
        "Databeskyttelsesrådgiver",
    ] {
        assert!(da.contains(item), "missing {item:?}:\n{da}");
    }
    assert_no_trace_of_restricted(&da);
}

#[test]
fn access_report_from_the_request_case_with_a_log_extract_without_staff() {
    let s = scenario();
    s.ok(&["show", "2026-000001"]);
    s.ok(&["show", "2026-000002"]); // a read of the restricted case: not in the extract
    s.ok(&["case", "2026-000004", "reveal"]);
    // The request is in Danish; --lang asks for the English answer.
    let md = s.ok(&[
        "--lang",
        "en",
        "report",
        "access",
        "--case",
        "2026-000007",
        "--log",
    ]);
    assert!(md.contains("## Log of reads of your data"), "{md}");
    assert!(md.contains("(2026-000001): the case was opened"), "{md}");
    assert!(
        md.contains("(2026-000004): the CPR number was shown"),
        "{md}"
    );
    assert_no_trace_of_restricted(&md);
    // The second answer's extract shows the first one, by digest, not by number.
    let again = s.ok(&[
        "report",
        "access",
        "--subject",
        EMAIL,
        "--log",
        "--format",
        "json",
    ]);
    let r: Value = serde_json::from_str(&again).unwrap();
    let whats: Vec<&str> = r["log"]["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["what"].as_str().unwrap())
        .collect();
    assert!(
        whats.contains(&"your data was included in a report"),
        "{whats:?}"
    );
    assert_no_trace_of_restricted(&again);
}

#[test]
fn reading_an_access_report_is_audited_by_digest_not_by_cpr_number() {
    let s = scenario();
    s.ok(&["report", "access", "--subject", SUBJECT]);
    let log = s.ok(&["audit", "log"]);
    let line = log
        .lines()
        .rev()
        .find(|l| l.contains("report"))
        .expect("a report entry");
    assert!(line.contains("access report; subject "), "{line}");
    assert!(line.contains("2026-000001,2026-000004"), "{line}");
    assert!(!log.contains("1203851234") && !log.contains(CPR), "{log}");
    assert!(s
        .ok(&["audit", "verify"])
        .starts_with("audit chain verified"));
}

#[test]
fn a_bad_subject_is_refused_with_what_to_give() {
    let s = TestStore::new();
    let err = s.fails(&["report", "access", "--subject", "Fatima"]);
    assert!(err.contains("cpr:DDMMYY-SSSS"), "{err}");
    let err = s.fails(&["report", "access"]);
    assert!(err.contains("--subject"), "{err}");
}

#[test]
fn refusing_without_a_ruling_is_refused_and_the_ruling_is_shown_and_reported() {
    let s = scenario();
    let r = "2026-000007";
    let err = s.fails(&["case", r, "decide", "refused"]);
    assert!(err.contains("written ruling"), "{err}");
    let err = s.fails(&[
        "case",
        r,
        "decide",
        "partly-granted",
        "--reasons",
        "Parts concern others.",
    ]);
    assert!(err.contains("written ruling"), "{err}");
    let reasons = "Parts of case 2026-000004 concern the protected interests of other persons.";
    s.ok(&[
        "case",
        r,
        "decide",
        "partly-granted",
        "--reasons",
        reasons,
        "--ground",
        "Data Protection Act § 22",
    ]);
    let shown = s.ok(&["show", r]);
    assert!(shown.contains("decision  partly-granted"), "{shown}");
    assert!(
        shown.contains("Data Protection Act § 22") && shown.contains(reasons),
        "{shown}"
    );
    let letter = s.ok(&["report", "ruling", r, "--lang", "en"]);
    for item in [
        "partly granted",
        "access",
        "Data Protection Act § 22",
        reasons,
        "Datatilsynet",
    ] {
        assert!(letter.contains(item), "{item}: {letter}");
    }
    let da = s.ok(&["report", "ruling", r, "--lang", "da", "--format", "json"]);
    let v: Value = serde_json::from_str(&da).unwrap();
    assert_eq!(v["outcome"], "delvist imødekommet");
    assert_eq!(v["ruling"]["ground"], "Data Protection Act § 22");
    let answer = s.ok(&["report", "access", "--subject", SUBJECT]);
    assert!(
        answer.contains("**Legal ground:** Data Protection Act § 22") && answer.contains(reasons),
        "{answer}"
    );
    let err = s.fails(&["report", "ruling", "2026-000001"]);
    assert!(err.contains("no decision"), "{err}");
}

#[test]
fn duplicate_rights_requests_are_flagged_not_merged() {
    let s = scenario();
    // Registered in the same import as its predecessor.
    let v = s.json(&["show", "2026-000008", "--json"]);
    assert_eq!(v["duplicate_of"], "2026-000007");
    assert!(s
        .ok(&["show", "2026-000008"])
        .contains("DUPLICATE? the same person asked for the same right in 2026-000007"));
    let da = s.ok(&["show", "2026-000008", "--lang", "da"]);
    assert!(
        da.contains("DUBLET? samme person har anmodet om samme rettighed i 2026-000007"),
        "{da}"
    );
    assert_eq!(
        s.json(&["show", "2026-000007", "--json"])["duplicate_of"],
        Value::Null
    );
    // Registered later, through the subject index.
    let file = s.dir.path().join("again.jsonl");
    std::fs::write(
        &file,
        line(
            "2026-11-23T09:00:00+01:00",
            "email",
            serde_json::json!({"name": "F. Hassan", "email": "FATIMA@example.com"}),
            "Indsigt",
            "Tredje gang.",
            serde_json::json!({"right": "access"}),
        ) + "\n",
    )
    .unwrap();
    s.ok(&["import", file.to_str().unwrap()]);
    assert_eq!(
        s.json(&["show", "2026-000009", "--json"])["duplicate_of"],
        "2026-000008"
    );
    // Set through the purpose: another right is no duplicate; the same right is.
    s.ok(&[
        "case",
        "2026-000001",
        "purpose",
        "data-subject-rights",
        "--right",
        "erasure",
    ]);
    assert_eq!(
        s.json(&["show", "2026-000001", "--json"])["duplicate_of"],
        Value::Null
    );
    s.ok(&[
        "case",
        "2026-000004",
        "purpose",
        "data-subject-rights",
        "--right",
        "access",
    ]);
    assert_eq!(
        s.json(&["show", "2026-000004", "--json"])["duplicate_of"],
        Value::Null,
        "a later request does not make an earlier one a duplicate"
    );
    s.ok(&[
        "case",
        "2026-000004",
        "purpose",
        "data-subject-rights",
        "--right",
        "erasure",
    ]);
    assert_eq!(
        s.json(&["show", "2026-000004", "--json"])["duplicate_of"],
        "2026-000001"
    );
    // Every request stays its own case.
    assert_eq!(s.cases().len(), 9);
    let deadlines = s.ok(&["report", "deadlines"]);
    assert!(
        deadlines.contains("possible duplicate of 2026-000007"),
        "{deadlines}"
    );
}

#[test]
fn the_subject_index_files_mentioned_cpr_numbers_and_erasure_removes_every_key() {
    let s = scenario();
    let store = triage::store::Store::open(&s.db).unwrap();
    let refs = |k: &str| -> Vec<String> {
        store
            .subject_cases(k)
            .unwrap()
            .iter()
            .map(|r| r.to_string())
            .collect()
    };
    assert_eq!(
        refs("cpr:1203851234"),
        [
            "2026-000001",
            "2026-000002",
            "2026-000004",
            "2026-000005",
            "2026-000007",
            "2026-000008"
        ]
    );
    assert_eq!(refs("cpr:0101701111"), ["2026-000005"]);
    assert_eq!(
        refs("name:fatima hassan|nørrebrogade 12, 2200 københavn n").len(),
        5
    );
    // 2026-000003 was erased: no key of its left anywhere in the index.
    let tree = store.raw_tree("subjects").unwrap();
    let erased = triage::store::ref_key("2026-000003".parse().unwrap());
    assert!(tree.iter().keys().all(|k| !k.unwrap().ends_with(&erased)));
}

#[test]
fn ropa_is_the_record_of_processing_from_the_policy() {
    let s = TestStore::new();
    let v: Value = serde_json::from_str(&s.ok(&["report", "ropa", "--format", "json"])).unwrap();
    assert_eq!(
        v["controller"]["name"],
        "Ministry of Immigration and Integration (demo)"
    );
    assert!(v["controller"]["dpo"]
        .as_str()
        .unwrap()
        .contains("dpo@example.dk"));
    assert!(v["supervisory"]
        .as_str()
        .unwrap()
        .starts_with("Datatilsynet"));
    let acts = v["activities"].as_array().unwrap();
    assert!(acts.len() >= 14, "{}", acts.len());
    let hum = acts
        .iter()
        .find(|a| a["id"] == "humanitarian-residence")
        .unwrap();
    assert!(hum["erasure"]
        .as_str()
        .unwrap()
        .contains("specific assessment"));
    assert!(hum["categories"].to_string().contains("Health"));
    assert!(!hum["data_subjects"].as_str().unwrap().is_empty());
    let staff = acts.iter().find(|a| a["id"] == "staff").unwrap();
    assert!(staff["erasure"].as_str().unwrap().contains("5 years after"));
    assert!(v["transfers"]["lines"]
        .to_string()
        .contains("Authorities outside the EU/EEA"));
    assert!(v["security"]["lines"].as_array().unwrap().len() >= 5);
    let md = s.ok(&["report", "ropa", "--lang", "da"]);
    for item in [
        "# Fortegnelse over behandlingsaktiviteter",
        "Databeskyttelsesrådgiver",
        "Tidsfrist for sletning",
        "Kategorier af registrerede",
        "Tekniske og organisatoriske sikkerhedsforanstaltninger",
    ] {
        assert!(md.contains(item), "{item}: {md}");
    }
}

#[test]
fn disclosures_report_filters_and_keeps_art_23_for_the_dpo() {
    let s = scenario();
    let all: Value =
        serde_json::from_str(&s.ok(&["report", "disclosures", "--format", "json"])).unwrap();
    let rows = all["rows"].as_array().unwrap();
    let to: Vec<&str> = rows
        .iter()
        .map(|r| r["recipient"].as_str().unwrap())
        .collect();
    assert_eq!(
        to,
        ["immigration-service", "third-country-authorities", "police"]
    );
    assert_eq!(rows[0]["justification"], WHY);
    assert_eq!(
        rows[0]["legal_bases"],
        serde_json::json!(["gdpr-6-1-e", "dpa-11"])
    );
    let police: Value = serde_json::from_str(&s.ok(&[
        "report",
        "disclosures",
        "--recipient",
        "police",
        "--format",
        "json",
    ]))
    .unwrap();
    assert_eq!(police["rows"].as_array().unwrap().len(), 1);
    let md = s.ok(&[
        "report",
        "disclosures",
        "--from",
        "2026-11-25",
        "--to",
        "2026-12-31",
    ]);
    assert!(
        md.contains("No disclosures.") && md.contains("Period: 2026-11-25 to 2026-12-31"),
        "{md}"
    );
    let dpo: Value = serde_json::from_str(&s.ok(&[
        "report",
        "disclosures",
        "--include-restricted",
        "--format",
        "json",
    ]))
    .unwrap();
    assert_eq!(dpo["rows"].as_array().unwrap().len(), 5);
    assert!(s
        .fails(&["report", "disclosures", "--recipient", "mars"])
        .contains("unknown recipient"));
}

#[test]
fn deadlines_report_lists_open_cases_only() {
    let s = scenario();
    let v: Value =
        serde_json::from_str(&s.ok(&["report", "deadlines", "--format", "json"])).unwrap();
    let listed: Vec<&str> = v["groups"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|g| {
            g["cases"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["reference"].as_str().unwrap())
        })
        .collect();
    assert!(
        listed.contains(&"2026-000007") && listed.contains(&"2026-000006"),
        "{listed:?}"
    );
    assert!(!listed.contains(&"2026-000003"), "erased");
    let state = |r: &str| -> String {
        v["groups"]
            .as_array()
            .unwrap()
            .iter()
            .find(|g| {
                g["cases"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|c| c["reference"] == r)
            })
            .map(|g| g["state"].as_str().unwrap().to_string())
            .unwrap()
    };
    // Citizen enquiries: 10 working days; rights requests: one month (Art. 12(3)).
    assert_eq!(state("2026-000001"), "overdue");
    assert_eq!(state("2026-000006"), "no-deadline", "no purpose yet");
    assert_eq!(state("2026-000008"), "later");
    let md = s.ok(&["report", "deadlines", "--lang", "da"]);
    assert!(md.starts_with("# Åbne sager efter frist"), "{md}");
}

#[test]
fn the_interface_path_through_the_api_finds_the_same_cases_as_the_index() {
    let s = scenario();
    let cli: Value = serde_json::from_str(&s.ok(&[
        "report",
        "access",
        "--case",
        "2026-000007",
        "--format",
        "json",
    ]))
    .unwrap();
    let global = triage::cli::Global {
        db: Some(s.db.clone()),
        policy: None,
        da: false,
        server: None,
    };
    let api = triage::cli::open(&global).unwrap();
    let report = triage::cli::report::access_for_request(
        &api,
        "2026-000007".parse().unwrap(),
        Some(triage::domain::enquiry::Language::En),
    )
    .unwrap();
    let via_api = serde_json::to_value(&report).unwrap();
    assert_eq!(references(&via_api), references(&cli));
    assert_no_trace_of_restricted(&via_api.to_string());
}
