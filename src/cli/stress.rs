//! `triage stress`: applies a stream of commands and acknowledges each one on stdout once it
//! is durable, for the crash test (which kills the process at random and checks that every
//! acknowledged command survived).

use super::{open, Global};
use crate::domain::command::Command;
use crate::domain::enquiry::{Channel, Enquiry, Language, Sender};
use crate::store::api::Api;
use crate::store::NewEnquiry;
use anyhow::Result;
use std::io::Write;
use std::process::ExitCode;

pub fn run(global: &Global, ops: u64) -> Result<ExitCode> {
    let api = open(global)?;
    let mut out = std::io::stdout().lock();
    let mut live: Vec<crate::domain::enquiry::Reference> = api
        .store
        .summaries()
        .filter_map(|s| s.ok().map(|s| s.reference))
        .collect();
    writeln!(out, "ready")?;
    out.flush()?;
    for i in 0..ops {
        if live.is_empty() || i % 3 == 0 {
            let now = api.now();
            let enquiry = Enquiry {
                received: now.fixed_offset(),
                channel: Channel::Email,
                sender: Sender {
                    name: format!("Stress sender {i}"),
                    email: Some(format!("s{i}@example.com")),
                    ..Default::default()
                },
                subject: format!("Stress enquiry {i} of process {}", std::process::id()),
                body: "Jeg skriver om min sag.".into(),
                attachments: vec![],
                language: Language::Da,
                message_id: None,
                purpose: None,
                right: None,
            };
            let batch = [NewEnquiry {
                enquiry,
                suggestions: vec![],
                source: "stress".into(),
            }];
            let reg = api
                .store
                .register(&api.policy, &batch, &api.actor.login, now)?;
            for r in reg.registered {
                live.push(r);
                writeln!(out, "ack {r} 1")?;
            }
        } else {
            let r = live[(i as usize * 7) % live.len()];
            let case = api.store.live_case(r)?;
            let rec = api.execute(
                r,
                case.version,
                &Command::AddNote {
                    text: format!("note {i}"),
                },
            )?;
            writeln!(out, "ack {r} {}", rec.version())?;
        }
        out.flush()?;
    }
    Ok(ExitCode::SUCCESS)
}
