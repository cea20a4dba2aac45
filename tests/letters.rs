//! The letters citizens receive: the access answer and the ruling, in Markdown and PDF.

mod common;
use common::*;
use serde_json::Value;

const CPR: &str = "010172-1235";

fn hassan() -> Value {
    serde_json::json!({"name": "Hassan Jama Farah", "email": "Hassan.Farah@Example.dk",
        "address": "Rughaven 21, 2700 Brønshøj", "cpr": CPR})
}

/// Hassan's case routed inside and outside the EU/EEA, then his access request, in `lang`.
fn store(lang: &str) -> TestStore {
    let s = TestStore::new();
    let lines = [
        serde_json::json!({"received": "2026-11-02T09:00:00+01:00", "channel": "email",
            "sender": hassan(), "subject": "Min ansøgning", "language": lang,
            "body": "Hvornår får jeg svar på min ansøgning om ophold?"}),
        serde_json::json!({"received": "2026-11-10T09:00:00+01:00", "channel": "e-boks",
            "sender": hassan(), "subject": "Indsigt", "language": lang,
            "body": "Jeg vil gerne se, hvad I har registreret om mig.",
            "purpose": "data-subject-rights", "right": "access"}),
    ];
    let file = s.dir.path().join("hassan.jsonl");
    let text: Vec<String> = lines.iter().map(Value::to_string).collect();
    std::fs::write(&file, text.join("\n") + "\n").unwrap();
    s.ok(&["import", file.to_str().unwrap()]);
    s.ok(&[
        "case",
        "2026-000001",
        "classify",
        "--confirm",
        "contact,cpr",
    ]);
    s.ok(&["case", "2026-000001", "purpose", "citizen-enquiries"]);
    for (to, extra) in [
        ("immigration-service", None),
        (
            "third-country-authorities",
            Some("GDPR Art. 49(1)(d): important reasons of public interest"),
        ),
    ] {
        let mut args = vec![
            "case",
            "2026-000001",
            "route",
            "--to",
            to,
            "--basis",
            "gdpr-6-1-e,dpa-11",
            "--why",
            "The recipient decides the residence case.",
        ];
        if let Some(t) = extra {
            args.extend(["--transfer", t]);
        }
        s.ok(&args);
    }
    s.ok(&["show", "2026-000001"]);
    s
}

/// Where each heading starts, which must be in the order given.
fn assert_in_order(text: &str, headings: &[&str]) {
    let mut last = 0;
    for h in headings {
        let at = text[last..]
            .find(h)
            .unwrap_or_else(|| panic!("`{h}` missing or out of order in:\n{text}"));
        last += at + h.len();
    }
}

#[test]
fn the_danish_access_letter_runs_a_to_h_then_the_copy_then_transfers() {
    let s = store("da");
    let md = s.ok(&["report", "access", "--case", "2026-000002", "--log"]);
    assert_in_order(
        &md,
        &[
            "**Udlændinge- og Integrationsministeriet (demo)**",
            "# Indsigt i dine personoplysninger",
            "Dato: 24. november 2026",
            "Vedrørende: ",
            "Vores sagsnumre: 2026-000001, 2026-000002",
            "## (a) Formål og retsgrundlag",
            "### Sag 2026-000001",
            "## (b) ",
            "## (c) Modtagere",
            "## (d) ",
            "## (e) Dine rettigheder",
            "## (f) Klage til Datatilsynet",
            "## (g) ",
            "## (h) Automatiske afgørelser",
            "## Kopi af personoplysningerne",
            "## Overførsler til lande uden for EU/EØS (artikel 15, stk. 2)",
            "Sag 2026-000001: Myndigheder uden for EU og EØS",
            "## Log over opslag",
            "Med venlig hilsen",
            "Karen Holm",
            "Kontorchef, Borgerservice",
        ],
    );
    // Names and addresses as the citizen wrote them, not as the index keeps them.
    assert!(
        md.contains("Hassan Jama Farah, Rughaven 21, 2700 Brønshøj"),
        "{md}"
    );
    assert!(md.contains("Hassan.Farah@Example.dk"), "{md}");
    assert!(!md.contains("hassan jama farah"), "{md}");
    // The log in Danish time (the reads happened at 09:00 Danish time, 08:00 UTC).
    assert!(md.contains("24. november 2026 kl. 09.00"), "{md}");
    assert!(!md.contains("UTC"), "{md}");
    for english in ["Purpose", "Recipients", "Kind regards", "Concerning"] {
        assert!(
            !md.contains(english),
            "English `{english}` in a Danish letter:\n{md}"
        );
    }
}

#[test]
fn the_letter_follows_the_request_language_unless_lang_is_given() {
    let s = store("en");
    let en = s.ok(&["report", "access", "--case", "2026-000002"]);
    assert_in_order(
        &en,
        &[
            "# Access to your personal data",
            "Concerning: ",
            "## (a) Purpose and legal basis",
            "## (b) ",
            "## (c) ",
            "## (d) ",
            "## (e) ",
            "## (f) ",
            "## (g) ",
            "## (h) Automated decisions",
            "## Copy of the personal data",
            "## Transfers to countries outside the EU/EEA (Article 15(2))",
            "Kind regards",
        ],
    );
    assert!(
        en.contains(
            "the personal data the Ministry of Immigration and Integration (demo) processes"
        ),
        "{en}"
    );
    assert!(
        en.contains("Hassan Jama Farah, Rughaven 21, 2700 Brønshøj"),
        "{en}"
    );
    // --lang wins over the request's language.
    let da = s.ok(&["--lang", "da", "report", "access", "--case", "2026-000002"]);
    assert!(da.contains("## (h) Automatiske afgørelser"), "{da}");
    // A Danish request is answered in Danish even when the caller's default is English.
    let s = store("da");
    let da = s.ok(&["report", "access", "--case", "2026-000002"]);
    assert!(da.contains("Med venlig hilsen"), "{da}");
}

#[test]
fn the_markdown_letters_are_pinned() {
    let s = store("da");
    let da = s.ok(&["report", "access", "--case", "2026-000002"]);
    insta::assert_snapshot!("access_letter_da", da);
    let en = s.ok(&["--lang", "en", "report", "access", "--case", "2026-000002"]);
    insta::assert_snapshot!("access_letter_en", en);
    s.ok(&[
        "case",
        "2026-000002",
        "purpose",
        "data-subject-rights",
        "--right",
        "access",
    ]);
    s.ok(&[
        "case",
        "2026-000002",
        "decide",
        "partly-granted",
        "--ground",
        "Databeskyttelseslovens § 22",
        "--reasons",
        "Oplysninger om en verserende straffesag er undtaget.",
    ]);
    let ruling = s.ok(&["report", "ruling", "2026-000002"]);
    insta::assert_snapshot!("ruling_letter_da", ruling);
    assert!(ruling.contains("Vedrørende: Hassan Jama Farah, Rughaven 21, 2700 Brønshøj"));
    assert!(ruling.contains("Med venlig hilsen"));
}

/// What a PDF reader sees, whitespace collapsed and the page footers taken out.
fn pdf_words(pdf: &[u8], footer_word: &str) -> String {
    let text = pdf_extract::extract_text_from_mem(pdf).expect("the PDF reads back");
    let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
    // "Side 1 af 3" between two halves of a paragraph.
    let mut out = String::new();
    let words: Vec<&str> = collapsed.split(' ').collect();
    let mut i = 0;
    while i < words.len() {
        if words[i] == footer_word
            && words.get(i + 1).is_some_and(|w| w.parse::<u32>().is_ok())
            && words.get(i + 3).is_some_and(|w| w.parse::<u32>().is_ok())
        {
            i += 4;
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(words[i]);
        i += 1;
    }
    out
}

#[test]
fn the_pdf_letter_says_what_the_markdown_says() {
    let s = store("da");
    let md = s.ok(&["report", "access", "--case", "2026-000002"]);
    let path = s.dir.path().join("svar.pdf");
    s.ok(&[
        "report",
        "access",
        "--case",
        "2026-000002",
        "--format",
        "pdf",
        "--out",
        path.to_str().unwrap(),
    ]);
    let pdf = std::fs::read(&path).unwrap();
    assert!(pdf.starts_with(b"%PDF-"), "not a PDF");
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
        0o600
    );
    let raw = pdf_extract::extract_text_from_mem(&pdf).unwrap();
    assert!(raw.contains("Side 1 af "), "no page number: {raw}");
    assert!(
        raw.contains("æ") && raw.contains("ø") && raw.contains("å"),
        "{raw}"
    );
    // pdf-extract joins a wrapped line to the next without a space ("om" + "dig"), so the
    // comparison is of the characters in order, whitespace aside.
    let seen = pdf_words(&pdf, "Side").replace(' ', "");
    for line in triage::letter::plain_text(&md) {
        let want: String = line.split_whitespace().collect();
        assert!(
            seen.contains(&want),
            "the PDF lacks `{want}`\n--- PDF text ---\n{seen}"
        );
    }
    // A ruling too, in English on request.
    let ruling = s.dir.path().join("ruling.pdf");
    s.ok(&[
        "case",
        "2026-000002",
        "purpose",
        "data-subject-rights",
        "--right",
        "access",
    ]);
    s.ok(&["case", "2026-000002", "decide", "granted"]);
    s.ok(&[
        "--lang",
        "en",
        "report",
        "ruling",
        "2026-000002",
        "--format",
        "pdf",
        "--out",
        ruling.to_str().unwrap(),
    ]);
    let seen = pdf_words(&std::fs::read(&ruling).unwrap(), "Page");
    assert!(seen.contains("Decision on your request"), "{seen}");
    assert!(seen.contains("Kind regards Karen Holm"), "{seen}");
}
