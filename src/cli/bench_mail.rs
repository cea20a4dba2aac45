//! The bench's e-mail figure: a maildir of generated messages imported as `triage import`.

use super::bench::Row;
use super::gen;
use crate::domain::detect::Detector;
use crate::import::decode::base64;
use crate::store::Store;
use anyhow::Result;
use chrono::Utc;
use std::io::Write;
use std::path::Path;
use std::time::Instant;

/// Messages in the bench's maildir.
const MESSAGES: u64 = 5_000;

/// Import from a maildir with detection, into a fresh store: reading, decoding, HTML
/// layout for the HTML ones, registration.
pub fn mail_import_row(tmp: &Path) -> Result<Row> {
    let dir = tmp.join("maildir");
    write_maildir(&dir, MESSAGES)?;
    let store = Store::open(&tmp.join("mail-import-store"))?;
    store.set_policy_text(super::DEFAULT_POLICY)?;
    let policy = crate::domain::policy::Policy::from_toml(super::DEFAULT_POLICY, "policy")?;
    let t = Instant::now();
    let records = crate::import::read_path(&dir)?;
    let detector = Detector::from_policy(&policy);
    let reg = super::register_batch(&store, &policy, &detector, records, "bench", Utc::now())?;
    let secs = t.elapsed().as_secs_f64();
    let rate = reg.registered.len() as f64 / secs;
    Ok(Row {
        figure: "import e-mail from a maildir, with detection",
        target: "≥ 2,000 messages/s",
        measured: format!(
            "{rate:.0} messages/s ({} in {secs:.2} s)",
            reg.registered.len()
        ),
        met: Some(rate >= 2_000.0),
    })
}

/// Writes `count` messages as a mail server would deliver them: one in five HTML with a
/// plain alternative, one in ten with an attachment, non-ASCII subjects as encoded words.
fn write_maildir(dir: &Path, count: u64) -> Result<()> {
    for sub in ["new", "cur", "tmp"] {
        std::fs::create_dir_all(dir.join(sub))?;
    }
    let mut rng = gen::Rng::new(11);
    let now = Utc::now();
    for i in 0..count {
        let e = gen::enquiry(&mut rng, 20_000_000 + i, now);
        let mut m = Vec::with_capacity(e.body.len() * 2 + 1024);
        let received = e.received.to_rfc2822();
        write!(
            m,
            "Received: from mx.example.net by mail.authority.example; {received}\r\n\
             Date: {received}\r\n\
             From: {} <citizen{i}@example.dk>\r\n\
             Subject: =?utf-8?b?{}?=\r\n\
             Message-ID: <bench-mail-{i}@example.dk>\r\n\
             MIME-Version: 1.0\r\n",
            encoded_word(&e.sender.name),
            base64(e.subject.as_bytes()),
        )?;
        let plain = format!(
            "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n{}\r\n",
            e.body
        );
        if i % 5 == 0 || i % 10 == 1 {
            let html: String = e
                .body
                .split("\n\n")
                .map(|p| format!("<p>{}</p>", p.replace('\n', "<br>")))
                .collect();
            let (kind, extra) = if i % 10 == 1 {
                (
                    "mixed",
                    "--b\r\nContent-Type: application/pdf; name=\"bilag.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQKJcfsj6IK\r\n",
                )
            } else {
                ("alternative", "")
            };
            write!(
                m,
                "Content-Type: multipart/{kind}; boundary=\"b\"\r\n\r\n--b\r\n{plain}--b\r\n\
                 Content-Type: text/html; charset=utf-8\r\n\r\n<html><body>{html}</body></html>\r\n\
                 {extra}--b--\r\n"
            )?;
        } else {
            m.extend_from_slice(plain.as_bytes());
        }
        std::fs::write(dir.join("new").join(format!("{i:08}.bench:2,")), m)?;
    }
    Ok(())
}

fn encoded_word(s: &str) -> String {
    if s.is_ascii() {
        s.to_string()
    } else {
        format!("=?utf-8?b?{}?=", base64(s.as_bytes()))
    }
}
