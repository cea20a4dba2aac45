//! `triage gen`: a synthetic store of N cases for benchmarks and demos at scale — Danish and
//! English text of realistic length, CPR numbers, special categories, disclosures, and dates
//! spread over five years. Deterministic for a given seed.

use super::demo::{pick_bases, typical_route};
use super::{as_user, fixed_now, Global, DEFAULT_POLICY};
use crate::domain::case::DisclosureKind;
use crate::domain::command::{Command, RouteRequest};
use crate::domain::detect::Detector;
use crate::domain::enquiry::{Channel, Enquiry, Language, RightKind, Sender};
use crate::domain::policy::Policy;
use crate::store::{Batched, NewEnquiry, Store};
use anyhow::{bail, Result};
use chrono::{DateTime, Duration, FixedOffset, Utc};

use std::process::ExitCode;
use std::time::Instant;

/// xorshift64*: small, fast and reproducible.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
    pub fn word(&mut self, items: &[&'static str]) -> &'static str {
        items[self.below(items.len() as u64) as usize]
    }
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

const FIRST: &[&str] = &[
    "Anne", "Mads", "Fatima", "Ahmad", "Sofie", "Jonas", "Leyla", "Dawit", "Olena", "Karim",
    "Mette", "Søren", "Åse", "Ømer", "Hanan", "Mikkel", "Ida", "Yusuf", "Maria", "Thomas", "Nour",
    "Birgitte", "Jakob", "Sara", "Tharshan", "Emma", "Aziz", "Ingrid",
];
const LAST: &[&str] = &[
    "Jensen",
    "Nielsen",
    "Hansen",
    "Pedersen",
    "Rahimi",
    "Haddad",
    "Tesfaye",
    "Kovalenko",
    "Yilmaz",
    "Said",
    "Lund",
    "Kjærgaard",
    "Møller",
    "Østergaard",
    "Andersen",
    "Christensen",
    "Osman",
    "Larsen",
    "Nguyen",
    "Sørensen",
    "Ali",
    "Holm",
];
const STREETS: &[&str] = &[
    "Nørrebrogade",
    "Vesterbrogade",
    "Østergade",
    "Jernbanegade",
    "Skolevej",
    "Åboulevarden",
    "Søndergade",
    "Kirkevej",
];
const TOWNS: &[&str] = &[
    "2200 København N",
    "8000 Aarhus C",
    "5000 Odense C",
    "9000 Aalborg",
    "4700 Næstved",
    "6700 Esbjerg",
    "7100 Vejle",
];

struct Topic {
    purpose: &'static str,
    subjects_da: &'static [&'static str],
    subjects_en: &'static [&'static str],
}

const TOPICS: &[Topic] = &[
    Topic {
        purpose: "citizen-enquiries",
        subjects_da: &[
            "Spørgsmål om min opholdstilladelse",
            "Henvendelse om familiesammenføring",
            "Hvor lang er sagsbehandlingstiden?",
        ],
        subjects_en: &[
            "Question about my residence permit",
            "Family reunification question",
            "How long does processing take?",
        ],
    },
    Topic {
        purpose: "data-subject-rights",
        subjects_da: &[
            "Anmodning om indsigt",
            "Indsigt i mine oplysninger",
            "Berigtigelse af forkerte oplysninger",
        ],
        subjects_en: &[
            "Request for access to my data",
            "Subject access request",
            "Please correct my data",
        ],
    },
    Topic {
        purpose: "access-to-documents",
        subjects_da: &["Aktindsigt i sagens dokumenter", "Anmodning om aktindsigt"],
        subjects_en: &[
            "Request for access to documents",
            "Access to documents request",
        ],
    },
    Topic {
        purpose: "humanitarian-residence",
        subjects_da: &[
            "Ansøgning om humanitært ophold",
            "Humanitær opholdstilladelse – nye oplysninger",
        ],
        subjects_en: &[
            "Application for humanitarian residence",
            "New medical information for my humanitarian case",
        ],
    },
    Topic {
        purpose: "citizenship",
        subjects_da: &[
            "Spørgsmål om indfødsret",
            "Statsborgerskab – krav om ophold",
        ],
        subjects_en: &["Question about citizenship", "Naturalisation requirements"],
    },
    Topic {
        purpose: "complaints",
        subjects_da: &["Klage over sagsbehandlingen", "Klage over afgørelse"],
        subjects_en: &["Complaint about my case", "Complaint about the decision"],
    },
    Topic {
        purpose: "parliament",
        subjects_da: &["Spørgsmål til ministeren", "Udvalgsspørgsmål"],
        subjects_en: &["Parliamentary question"],
    },
    Topic {
        purpose: "press",
        subjects_da: &["Pressehenvendelse", "Spørgsmål fra journalist"],
        subjects_en: &["Press enquiry", "Media question"],
    },
    Topic {
        purpose: "whistleblower",
        subjects_da: &["Indberetning til whistleblowerordningen"],
        subjects_en: &["Whistleblower report"],
    },
    Topic {
        purpose: "newsletters",
        subjects_da: &["Afmeld nyhedsbrev", "Tilmelding til nyhedsbrev"],
        subjects_en: &["Unsubscribe", "Newsletter sign-up"],
    },
];

const OPENING_DA: &[&str] = &[
    "Kære ministerium",
    "Til rette vedkommende",
    "Hej",
    "Til Udlændinge- og Integrationsministeriet",
];
const OPENING_EN: &[&str] = &[
    "Dear Sir or Madam",
    "To whom it may concern",
    "Hello",
    "Dear Ministry",
];
const BODY_DA: &[&str] = &[
    "Jeg skriver angående min sag, som jeg har ventet på svar i længe.",
    "Min familie og jeg har boet i Danmark i mange år, og vi ønsker at blive her.",
    "Jeg har vedlagt de dokumenter, som kommunen bad om.",
    "Kan I fortælle mig, hvornår jeg kan forvente en afgørelse?",
    "Jeg har tidligere ringet, men fik ikke noget svar.",
    "Sagen er vigtig for os, fordi vores børn går i skole her.",
    "Jeg forstår ikke brevet, jeg modtog i sidste måned.",
    "Min arbejdsgiver har spurgt, om jeg stadig må arbejde.",
];
const BODY_EN: &[&str] = &[
    "I am writing about my case, which has been waiting for a decision for a long time.",
    "My family and I have lived in Denmark for many years and wish to stay.",
    "I have attached the documents the municipality asked for.",
    "Could you tell me when I can expect a decision?",
    "I called earlier but did not get an answer.",
    "This matters a great deal to us because our children go to school here.",
    "I do not understand the letter I received last month.",
    "My employer has asked whether I am still allowed to work.",
];
/// Sentences that reveal special categories or criminal matters, as real enquiries do.
const SENSITIVE_DA: &[&str] = &[
    "Jeg har diabetes og har været indlagt på hospitalet to gange i år.",
    "Min søn har en alvorlig sygdom og får medicin hver dag.",
    "Jeg er konvertit og frygter forfølgelse, hvis jeg sendes tilbage.",
    "Jeg er medlem af 3F og min fagforening har hjulpet mig.",
    "Jeg er homoseksuel, og det er farligt i mit hjemland.",
    "Jeg blev straffet for mange år siden, men har ikke begået noget siden.",
    "Ambassaden tog mine fingeraftryk, da jeg søgte visum.",
    "Jeg er kurder og var politisk aktiv i oppositionen.",
];
const SENSITIVE_EN: &[&str] = &[
    "I have diabetes and was admitted to hospital twice this year.",
    "My son has a serious illness and takes medication every day.",
    "I converted to Christianity and fear persecution if I am sent back.",
    "I am a member of a trade union, which has helped me.",
    "I am gay, and that is dangerous in my home country.",
    "I was convicted many years ago but have done nothing since.",
    "The embassy took my fingerprints when I applied for a visa.",
    "I am Kurdish and was politically active in the opposition.",
];

/// A CPR number with a real date and the century digit to match; most pass modulus 11.
fn cpr(rng: &mut Rng) -> String {
    loop {
        let year = 1940 + rng.below(80) as i32;
        let month = 1 + rng.below(12) as u32;
        let day = 1 + rng.below(28) as u32;
        let yy = year % 100;
        let first = if year < 2000 { rng.below(4) } else { 4 };
        let rest = rng.below(1000);
        let digits = format!("{day:02}{month:02}{yy:02}{first}{rest:03}");
        let weights = [4, 3, 2, 7, 6, 5, 4, 3, 2, 1];
        let sum: u32 = digits
            .bytes()
            .zip(weights)
            .map(|(b, w)| (b - b'0') as u32 * w)
            .sum();
        // About a third fail modulus 11, as numbers issued since 2007 may.
        if sum.is_multiple_of(11) || rng.chance(30) {
            return format!("{}-{}", &digits[..6], &digits[6..]);
        }
    }
}

pub fn enquiry(rng: &mut Rng, i: u64, now: DateTime<Utc>) -> Enquiry {
    let da = rng.chance(60);
    let topic = rng.pick(TOPICS);
    let received =
        now - Duration::days(rng.below(5 * 365) as i64) - Duration::minutes(rng.below(600) as i64);
    let received: DateTime<FixedOffset> =
        received.with_timezone(&FixedOffset::east_opt(3600).expect("valid offset"));
    let name = format!("{} {}", rng.word(FIRST), rng.word(LAST));
    let channel = *rng.pick(&[
        Channel::Email,
        Channel::Email,
        Channel::EBoks,
        Channel::EBoks,
        Channel::ContactForm,
        Channel::Letter,
        Channel::Phone,
        Channel::InPerson,
    ]);
    let cpr_number = rng.chance(40).then(|| cpr(rng));
    let mut body = String::new();
    let opening: &str = if da {
        rng.word(OPENING_DA)
    } else {
        rng.word(OPENING_EN)
    };
    body.push_str(opening);
    body.push_str("\n\n");
    let sentences = 3 + rng.below(14);
    for s in 0..sentences {
        let line: &str = if rng.chance(12) {
            if da {
                rng.word(SENSITIVE_DA)
            } else {
                rng.word(SENSITIVE_EN)
            }
        } else if da {
            rng.word(BODY_DA)
        } else {
            rng.word(BODY_EN)
        };
        body.push_str(line);
        body.push(if s % 4 == 3 { '\n' } else { ' ' });
    }
    if rng.chance(20) {
        body.push_str(&format!(
            "\n\nCPR: {}. Telefon +45 {} {} {} {}.",
            cpr(rng),
            20 + rng.below(80),
            10 + rng.below(90),
            10 + rng.below(90),
            10 + rng.below(90)
        ));
    }
    if rng.chance(25) {
        body.push_str(&format!(
            " Sagsnr. {}-{:05}.",
            2020 + rng.below(6),
            rng.below(99999)
        ));
    }
    body.push_str(&format!(
        "\n\n{}\n{name}",
        if da {
            "Med venlig hilsen"
        } else {
            "Kind regards"
        }
    ));
    Enquiry {
        received,
        channel,
        sender: Sender {
            email: rng.chance(60).then(|| {
                format!(
                    "{}.{}@example.com",
                    name.split(' ').next().unwrap_or("x").to_lowercase(),
                    i
                )
            }),
            phone: rng
                .chance(30)
                .then(|| format!("+45 {:08}", 20_000_000 + rng.below(79_999_999))),
            address: rng.chance(30).then(|| {
                format!(
                    "{} {}, {}",
                    rng.word(STREETS),
                    1 + rng.below(150),
                    rng.word(TOWNS)
                )
            }),
            cpr: cpr_number,
            name,
        },
        subject: (if da {
            rng.word(topic.subjects_da)
        } else {
            rng.word(topic.subjects_en)
        })
        .to_string(),
        body,
        attachments: if rng.chance(20) {
            vec!["bilag.pdf".into()]
        } else {
            vec![]
        },
        language: if da { Language::Da } else { Language::En },
        message_id: Some(format!("<gen-{i}@triage.invalid>")),
        purpose: Some(topic.purpose.to_string()),
        right: (topic.purpose == "data-subject-rights").then_some(RightKind::Access),
    }
}

pub fn run(global: &Global, cases: u64, seed: u64) -> Result<ExitCode> {
    let Some(db) = &global.db else {
        bail!("give the store to generate with --db PATH")
    };
    if db.exists() && std::fs::read_dir(db)?.next().is_some() {
        bail!(
            "{} is not empty; `triage gen` writes a new store",
            db.display()
        );
    }
    let login = crate::identity::os_login().map_err(|e| anyhow::anyhow!(e))?;
    let mut text = DEFAULT_POLICY.to_string();
    if Policy::from_toml(&text, "policy")?.staff(&login).is_none() {
        text.push_str(&format!("\n[[staff]]\nlogin = \"{login}\"\nname = \"{login}\"\nroles = [\"caseworker\", \"dpo\", \"admin\"]\n"));
    }
    let store = Store::open(db)?;
    store.set_policy_text(&text)?;
    store.set_flag("generated")?;
    // Its clock may be fixed (TRIAGE_NOW): it holds no real enquiries.
    store.set_flag("test-clock")?;
    let api = as_user(
        store,
        &Global {
            db: Some(db.clone()),
            policy: None,
            da: global.da,
            server: None,
        },
    )?;
    let now = fixed_now()?.unwrap_or_else(Utc::now);
    let started = Instant::now();
    let total = generate(
        &api.store,
        &api.policy,
        cases,
        seed,
        now,
        &api.actor.login,
        |done| {
            if done % 100_000 == 0 {
                eprintln!("{done} cases, {:.0} s", started.elapsed().as_secs_f64());
            }
        },
    )?;
    let secs = started.elapsed().as_secs_f64();
    println!(
        "generated {total} cases in {secs:.1} s ({:.0} cases/s) into {}",
        total as f64 / secs,
        db.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// Registers `cases` synthetic enquiries with their history, in chunks; returns the count.
pub fn generate(
    store: &Store,
    policy: &Policy,
    cases: u64,
    seed: u64,
    now: DateTime<Utc>,
    login: &str,
    mut progress: impl FnMut(u64),
) -> Result<u64> {
    const CHUNK: u64 = 5000;
    let detector = Detector::from_policy(policy);
    let mut rng = Rng::new(seed);
    let actor = crate::store::Actor {
        login: login.to_string(),
        roles: policy.roles_of(login),
    };
    store.set_flush_each(false);
    let mut done = 0;
    while done < cases {
        let n = CHUNK.min(cases - done);
        let batch: Vec<NewEnquiry> = (done..done + n)
            .map(|i| {
                let enquiry = enquiry(&mut rng, i, now);
                NewEnquiry {
                    suggestions: detector.detect_enquiry(&enquiry),
                    enquiry,
                    source: "triage gen".into(),
                }
            })
            .collect();
        let reg = store.register(policy, &batch, login, now)?;
        let mut history = Vec::new();
        for (n, r) in batch.iter().zip(reg.registered) {
            let age = now - n.enquiry.received.with_timezone(&Utc);
            if age < Duration::days(3) {
                continue;
            }
            let item = |command| Batched {
                actor: actor.clone(),
                reference: r,
                expected: None,
                command,
                at: now,
            };
            let confirm: Vec<_> = n
                .suggestions
                .iter()
                .filter(|s| s.confidence >= 0.6)
                .map(|s| s.category)
                .collect();
            history.push(item(Command::Classify {
                confirm,
                reject: vec![],
            }));
            let purpose = n
                .enquiry
                .purpose
                .clone()
                .unwrap_or_else(|| "citizen-enquiries".into());
            history.push(item(Command::SetPurpose {
                purpose: purpose.clone(),
                right: n.enquiry.right,
            }));
            if rng.chance(30) {
                if let Some((recipient, why)) = typical_route(&purpose) {
                    history.push(item(Command::Route(RouteRequest {
                        kind: DisclosureKind::Disclosure,
                        recipient: recipient.into(),
                        bases: vec![],
                        justification: why.into(),
                        transfer: None,
                        waive_restriction: None,
                        parties: vec![],
                    })));
                }
            }
            if age > Duration::days(40) {
                history.push(item(if purpose == "data-subject-rights" {
                    Command::Decide {
                        outcome: crate::domain::case::Outcome::Granted,
                        ruling: None,
                    }
                } else {
                    Command::Answer {
                        summary: "Answered by letter.".into(),
                    }
                }));
                history.push(item(Command::Close {
                    reason: "Answered; nothing further to do.".into(),
                }));
            }
        }
        // Routing bases depend on the classification the batch applies first, so routes
        // go in a second pass with their bases picked from the classified case.
        let (routes, first): (Vec<_>, Vec<_>) = history
            .into_iter()
            .partition(|b| matches!(b.command, Command::Route(_)));
        let (closing, early): (Vec<_>, Vec<_>) = first.into_iter().partition(|b| {
            matches!(
                b.command,
                Command::Answer { .. } | Command::Decide { .. } | Command::Close { .. }
            )
        });
        store.execute_many(policy, &early)?;
        let routes: Vec<Batched> = routes
            .into_iter()
            .filter_map(|mut b| {
                let case = store.live_case(b.reference).ok()?;
                if let Command::Route(req) = &mut b.command {
                    req.bases = pick_bases(policy, &req.recipient, &case);
                }
                Some(b)
            })
            .collect();
        store.execute_many(policy, &routes)?;
        store.execute_many(policy, &closing)?;
        done += n;
        progress(done);
    }
    store.set_flush_each(true);
    store.flush()?;
    Ok(done)
}
