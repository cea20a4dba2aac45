//! One e-mail message to an enquiry: receipt time from the authority's side, sender, text.
//!
//! A citizen's enquiry is registered however odd the mail client that sent it: what cannot
//! be read from the message is taken from the mailbox (envelope, delivery time) or the
//! import, and noted for the caseworker rather than refused.

use super::date;
use super::decode::{mend, utf8_or_1252};
use crate::domain::enquiry::{Channel, Enquiry, Sender};
use chrono::{DateTime, FixedOffset, Utc};
use mail_parser::{
    Encoding, HeaderName, HeaderValue, Message, MessageParser, MessagePart, MimeHeaders, PartType,
};

/// What the mailbox around a message tells about it.
#[derive(Debug, Clone)]
pub struct MailContext {
    /// The envelope sender (the mbox `From ` line).
    pub envelope: Option<String>,
    /// When the message was delivered into the maildir (the file's modification time).
    pub delivered: Option<DateTime<Utc>>,
    /// The import's own time, the last resort for the receipt time.
    pub now: DateTime<Utc>,
}

/// A message read: its enquiry and what the caseworker should know about how it was read.
#[derive(Debug, Clone)]
pub struct Mail {
    pub enquiry: Enquiry,
    /// Everything noted while reading (the sender's Date: among them), kept with the case.
    pub notes: Vec<String>,
    /// The notes that need a person's eye: a guessed sender, an implausible date, …
    pub flags: Vec<String>,
}

/// Notes that only inform: the sender's plausible Date: or its absence, a stand-in id.
fn is_flag(note: &str) -> bool {
    let info = note.starts_with("sender's Date: ")
        || note.starts_with("no Date:")
        || note.starts_with("no usable Message-ID:");
    !info || note.ends_with("not used") || note.ends_with("be read")
}

/// The display name used when no header nor the mailbox names the sender.
pub const UNKNOWN_SENDER: &str = "(unknown sender)";

/// Largest HTML body turned into text; beyond it the tags are stripped without layout.
const MAX_HTML_LAYOUT: usize = 1024 * 1024;

/// Reads one RFC 5322 message.
pub fn read_mail(raw: &[u8], ctx: &MailContext) -> Result<Mail, super::Reason> {
    let mended = mend(raw);
    let msg = MessageParser::default()
        .parse(&mended[..])
        .ok_or(super::Reason::NotMail)?;
    if msg.headers().is_empty() {
        return Err(super::Reason::NoHeaderFields);
    }
    let mut notes = Vec::new();
    let received = receipt_time(&msg, &mended, ctx, &mut notes);
    sender_date(&msg, &mended, ctx.now, &mut notes);
    let sender = sender(&msg, &mended, ctx, &mut notes);
    let subject = msg.subject().unwrap_or("").to_string();
    let body = body_text(&msg, &mended);
    // A name is for telling attachments apart; a longer one than a file system allows is
    // cut rather than stored whole.
    let attachments: Vec<String> = msg
        .attachments()
        .map(|p| clip(&describe_attachment(p), 255))
        .collect();
    let message_id = msg
        .message_id()
        .map(|m| m.trim_matches(|c| c == '<' || c == '>'))
        .filter(|m| !m.trim().is_empty() && m.len() <= super::MAX_FIELD_BYTES)
        .map(|m| format!("<{m}>"));
    let message_id = match message_id {
        Some(id) => id,
        None => {
            notes.push("no usable Message-ID: header; one made from the content stands in".into());
            content_id(&msg, &mended, &sender, &subject, &body, &attachments)
        }
    };
    let language = super::guess_language(&format!("{subject}\n{body}"));
    let enquiry = Enquiry {
        received,
        channel: Channel::Email,
        sender,
        subject,
        body,
        attachments,
        language,
        message_id: Some(message_id),
        purpose: None,
        right: None,
    };
    let flags = notes.iter().filter(|n| is_flag(n)).cloned().collect();
    Ok(Mail {
        enquiry: super::clean(enquiry)?,
        notes,
        flags,
    })
}

/// A stand-in Message-ID from what the message says and its sender's `Date:` as written,
/// so the same message read from an .eml and from an mbox is recognised as one (the
/// `.invalid` domain says no mail system made it).
fn content_id(
    msg: &Message<'_>,
    raw: &[u8],
    sender: &Sender,
    subject: &str,
    body: &str,
    attachments: &[String],
) -> String {
    let date = msg
        .headers()
        .iter()
        .find(|h| h.name == HeaderName::Date)
        .map(|h| raw_value(raw, h))
        .unwrap_or_default();
    let mut h = blake3::Hasher::new();
    let email = sender.email.as_deref().unwrap_or("");
    let fields = [&sender.name, email, subject, body.trim_end()];
    for part in fields
        .iter()
        .map(|p| p.as_bytes())
        .chain([date.trim_ascii()])
    {
        h.update(&(part.len() as u64).to_le_bytes());
        h.update(part);
    }
    for a in attachments {
        h.update(&(a.len() as u64).to_le_bytes());
        h.update(a.as_bytes());
    }
    format!("<content-{}@triage.invalid>", &h.finalize().to_hex()[..32])
}

/// The raw text of a header field's value, as the (mended) message holds it.
fn raw_value<'a>(raw: &'a [u8], h: &mail_parser::Header<'_>) -> &'a [u8] {
    let (s, e) = (h.offset_start as usize, h.offset_end as usize);
    raw.get(s..e.min(raw.len())).unwrap_or_default()
}

/// The topmost `Received:` (the authority's own server wrote it), else the delivery into
/// the maildir, else the import. Never the sender's `Date:`.
fn receipt_time(
    msg: &Message<'_>,
    raw: &[u8],
    ctx: &MailContext,
    notes: &mut Vec<String>,
) -> DateTime<FixedOffset> {
    let top = msg
        .headers()
        .iter()
        .find(|h| h.name == HeaderName::Received);
    if let Some(h) = top {
        let text = utf8_or_1252(raw_value(raw, h));
        // RFC 5322 § 3.6.7: the date follows the last semicolon; without one there is none.
        let stamp = text.rsplit_once(';').map_or("", |(_, d)| d);
        match date::parse(stamp) {
            Some(d) if date::implausible(d.at, ctx.now).is_none() => return d.at,
            Some(d) => notes.push(format!(
                "the topmost Received: date {} is {}; not used",
                d.at.format("%Y-%m-%d %H:%M %:z"),
                date::implausible(d.at, ctx.now).unwrap_or("implausible")
            )),
            None => notes.push("the topmost Received: header has no readable date".into()),
        }
    }
    let delivered = ctx.delivered.filter(|t| {
        let plausible = date::implausible(t.fixed_offset(), ctx.now).is_none();
        if !plausible {
            notes.push("the maildir file's time is implausible; not used".into());
        }
        plausible
    });
    match delivered {
        Some(t) => {
            if top.is_none() {
                notes.push("no Received: header; received when delivered to the maildir".into());
            }
            copenhagen(t)
        }
        None => {
            notes.push("no usable Received: header; received at the import".into());
            copenhagen(ctx.now)
        }
    }
}

/// The sender's `Date:`: information only, noted as written and flagged when implausible.
fn sender_date(msg: &Message<'_>, raw: &[u8], now: DateTime<Utc>, notes: &mut Vec<String>) {
    let Some(h) = msg.headers().iter().find(|h| h.name == HeaderName::Date) else {
        notes.push("no Date: header".into());
        return;
    };
    let text = utf8_or_1252(raw_value(raw, h));
    match date::parse(&text) {
        Some(d) => {
            let mut note = format!("sender's Date: {}", d.at.format("%Y-%m-%d %H:%M %:z"));
            if !d.zone_known {
                note.push_str(" (no time zone given)");
            }
            if let Some(why) = date::implausible(d.at, now) {
                note.push_str(&format!(" is {why}; not used"));
            }
            notes.push(note);
        }
        None => notes.push(format!(
            "sender's Date: `{}` cannot be read",
            clip(text.trim(), 60)
        )),
    }
}

fn clip(s: &str, n: usize) -> String {
    s.chars().take(n).collect()
}

/// The first `From:` (RFC 5322 allows one; of several the first is what was written first),
/// else `Sender:`, else the envelope or `Return-Path:`, else "(unknown sender)".
fn sender(msg: &Message<'_>, raw: &[u8], ctx: &MailContext, notes: &mut Vec<String>) -> Sender {
    let first = |name: HeaderName<'static>| -> Option<(Option<String>, Option<String>)> {
        let h = msg.headers().iter().find(|h| h.name == name)?;
        let addr = match &h.value {
            HeaderValue::Address(a) => a.first(),
            _ => None,
        };
        let address = addr
            .and_then(|a| a.address())
            .map(str::trim)
            .filter(|a| !a.is_empty());
        let name = addr
            .and_then(|a| a.name())
            .map(str::trim)
            .filter(|n| !n.is_empty());
        match (name, address) {
            (None, None) => None,
            (n, a) => Some((n.map(str::to_string), a.map(str::to_string))),
        }
    };
    if msg
        .headers()
        .iter()
        .filter(|h| h.name == HeaderName::From)
        .count()
        > 1
    {
        notes.push("several From: headers; the first is used".into());
    }
    let found = first(HeaderName::From)
        .or_else(|| {
            let s = first(HeaderName::Sender)?;
            notes.push("no usable From: header; sender taken from Sender:".into());
            Some(s)
        })
        .or_else(|| {
            let envelope = ctx
                .envelope
                .clone()
                .or_else(|| return_path(msg, raw))
                .filter(|e| e.contains('@'))?;
            notes.push("no usable From: header; sender taken from the envelope".into());
            Some((None, Some(envelope)))
        });
    match found {
        Some((name, address)) => {
            if address.is_none() {
                notes.push("the sender has a name but no address".into());
            }
            Sender {
                name: name
                    .or_else(|| address.clone())
                    .unwrap_or_else(|| UNKNOWN_SENDER.into()),
                email: address,
                ..Sender::default()
            }
        }
        None => {
            notes.push("no sender address in the message or its envelope".into());
            Sender {
                name: UNKNOWN_SENDER.into(),
                ..Sender::default()
            }
        }
    }
}

fn return_path(msg: &Message<'_>, raw: &[u8]) -> Option<String> {
    let h = msg
        .headers()
        .iter()
        .find(|h| h.name == HeaderName::ReturnPath)?;
    let text = utf8_or_1252(raw_value(raw, h));
    let addr = text
        .trim()
        .trim_start_matches('<')
        .trim_end_matches('>')
        .trim();
    (!addr.is_empty()).then(|| addr.to_string())
}

/// The text a person reads: every inline text part, HTML laid out as text.
fn body_text(msg: &Message<'_>, raw: &[u8]) -> String {
    let mut parts = Vec::new();
    for &id in &msg.text_body {
        let Some(part) = msg.parts.get(id as usize) else {
            continue;
        };
        match &part.body {
            PartType::Text(t) => parts.push(own_decoding(part, raw).unwrap_or(t.to_string())),
            PartType::Html(h) => parts.push(html_to_text(h)),
            _ => {}
        }
    }
    parts.join("\n\n")
}

/// The text of a part mail-parser would decode wrongly: raw 8-bit without a charset (UTF-8
/// when valid, else Windows-1252, rather than replacement characters) and UTF-7.
fn own_decoding(part: &MessagePart<'_>, raw: &[u8]) -> Option<String> {
    let bytes = raw.get(part.offset_body as usize..part.offset_end as usize)?;
    let charset = part.content_type().and_then(|c| c.attribute("charset"));
    match charset {
        None if part.encoding == Encoding::None => {
            if bytes.is_ascii() || std::str::from_utf8(bytes).is_ok() {
                return None;
            }
            Some(utf8_or_1252(bytes).into_owned())
        }
        Some(c) if c.eq_ignore_ascii_case("utf-7") || c.eq_ignore_ascii_case("utf7") => {
            let decoded = match part.encoding {
                Encoding::None => bytes.to_vec(),
                Encoding::Base64 => mail_parser::decoders::base64::base64_decode(bytes)?,
                Encoding::QuotedPrintable => {
                    mail_parser::decoders::quoted_printable::quoted_printable_decode(bytes)?
                }
            };
            Some(super::decode::utf7(&decoded))
        }
        _ => None,
    }
}

/// HTML as readable text: paragraphs, line breaks, list items and table cells kept apart.
/// Very large or very deeply nested HTML (which an HTML parser handles in time that grows
/// with the square of the depth) gets its tags stripped without layout instead.
pub fn html_to_text(html: &str) -> String {
    if html.len() <= MAX_HTML_LAYOUT && nesting(html) <= MAX_HTML_DEPTH {
        if let Ok(text) = html2text::config::plain().string_from_read(html.as_bytes(), 100) {
            return text;
        }
    }
    mail_parser::decoders::html::html_to_text(html)
}

/// Deepest element nesting laid out as text; real mail stays far below it.
const MAX_HTML_DEPTH: usize = 256;

/// The deepest nesting of elements, counted from the tags alone (an overestimate where end
/// tags are left out, which only means less layout).
fn nesting(html: &str) -> usize {
    const VOID: [&str; 14] = [
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
        "source", "track", "wbr",
    ];
    let (mut depth, mut deepest) = (0usize, 0usize);
    let bytes = html.as_bytes();
    let mut i = 0;
    while let Some(n) = bytes[i..].iter().position(|b| *b == b'<') {
        let start = i + n + 1;
        let end = bytes[start..]
            .iter()
            .position(|b| *b == b'>')
            .map_or(bytes.len(), |e| start + e);
        let tag = &html[start..end];
        i = (end + 1).min(bytes.len());
        if let Some(rest) = tag.strip_prefix('/') {
            if !rest.is_empty() {
                depth = depth.saturating_sub(1);
            }
            continue;
        }
        let name: String = tag
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        if name.is_empty() || tag.ends_with('/') || VOID.contains(&name.as_str()) {
            continue;
        }
        depth += 1;
        deepest = deepest.max(depth);
    }
    deepest
}

/// An attachment's name, or for an unnamed part what it is.
fn describe_attachment(part: &MessagePart<'_>) -> String {
    if let Some(name) = part.attachment_name().filter(|n| !n.trim().is_empty()) {
        return name.to_string();
    }
    let kind = part
        .content_type()
        .map(|c| match c.subtype() {
            Some(sub) => format!("{}/{}", c.ctype(), sub),
            None => c.ctype().to_string(),
        })
        .unwrap_or_else(|| "text/plain".into());
    match &part.body {
        PartType::Message(m) => format!(
            "(unnamed {kind}: {})",
            m.subject().map(|s| clip(s, 80)).unwrap_or_default()
        ),
        _ => format!("(unnamed {kind}, {} bytes)", part.len()),
    }
}

/// An instant with the offset Danish clocks show then (the one Danish clock's zone rules).
pub fn copenhagen(t: DateTime<Utc>) -> DateTime<FixedOffset> {
    crate::domain::danish_time::in_copenhagen(&t)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Mail {
        let ctx = MailContext {
            envelope: None,
            delivered: None,
            now: "2026-11-24T08:00:00Z".parse().unwrap(),
        };
        read_mail(text.as_bytes(), &ctx).unwrap()
    }

    #[test]
    fn an_absurd_received_year_is_noted_not_used() {
        let m = read("Received: from a by b; 1 Jan 99999 10:00 +0100\r\nFrom: a@b.dk\r\n\r\nx\r\n");
        assert_eq!(m.enquiry.received.to_rfc3339(), "2026-11-24T09:00:00+01:00");
        assert!(
            m.flags
                .iter()
                .any(|f| f.contains("99999-01-01 10:00 +01:00 is in the future")),
            "{:?}",
            m.flags
        );
    }

    #[test]
    fn a_name_without_an_address_is_kept_and_flagged() {
        let m = read("From: Hanne Holm\r\nSubject: x\r\n\r\nbody\r\n");
        assert_eq!(m.enquiry.sender.name, "Hanne Holm");
        assert_eq!(m.enquiry.sender.email, None);
        assert!(
            m.flags.iter().any(|f| f.contains("no address")),
            "{:?}",
            m.flags
        );
    }

    #[test]
    fn a_received_header_without_a_date_is_not_guessed_from() {
        let m = read(
            "Received: from mar.example by may.example id 12 2026\r\nFrom: a@b.dk\r\n\r\nx\r\n",
        );
        assert_eq!(m.enquiry.received.to_rfc3339(), "2026-11-24T09:00:00+01:00");
        assert!(
            m.flags.iter().any(|f| f.contains("no readable date")),
            "{:?}",
            m.flags
        );
    }

    #[test]
    fn deeply_nested_html_is_laid_out_without_overflow() {
        let html = format!("{}deep{}", "<div>".repeat(20_000), "</div>".repeat(20_000));
        assert_eq!(nesting(&html), 20_000);
        let text = html_to_text(&html);
        assert!(text.contains("deep"), "{text:.100}");
        // Just within the limit, laid out on a thread with the default stack, as an
        // import's worker threads are.
        let html = format!("{}edge{}", "<div>".repeat(250), "</div>".repeat(250));
        let text = std::thread::spawn(move || html_to_text(&html))
            .join()
            .unwrap();
        assert!(text.contains("edge"));
        let flat = "<p>a<br>b</p><ul><li>c</li><li>d<img src=x/></li></ul>";
        assert_eq!(nesting(flat), 2);
    }

    #[test]
    fn copenhagen_offsets_switch_with_summer_time() {
        let t = |s: &str| copenhagen(s.parse::<DateTime<Utc>>().unwrap()).to_rfc3339();
        assert_eq!(t("2026-03-29T00:59:00Z"), "2026-03-29T01:59:00+01:00");
        assert_eq!(t("2026-03-29T01:00:00Z"), "2026-03-29T03:00:00+02:00");
        assert_eq!(t("2026-10-25T00:59:00Z"), "2026-10-25T02:59:00+02:00");
        assert_eq!(t("2026-10-25T01:00:00Z"), "2026-10-25T02:00:00+01:00");
        assert_eq!(t("2026-11-30T23:30:00Z"), "2026-12-01T00:30:00+01:00");
    }
}
