//! Repairs a message's raw bytes before parsing: BOM, raw 8-bit headers, split encoded words.
//!
//! Mail as it really comes breaks the RFCs in a few common ways that a parser reading them
//! strictly turns into replacement characters; each is mended here, on the header block only,
//! so the MIME structure of the body is never touched.

use mail_parser::decoders::base64::base64_decode;
use mail_parser::decoders::charsets::map::charset_decoder;
use mail_parser::decoders::quoted_printable::quoted_printable_decode;
use std::borrow::Cow;

/// The message without a BOM or leading blank lines, its header block in valid UTF-8 with
/// each run of adjacent encoded words joined into one.
pub fn mend(raw: &[u8]) -> Cow<'_, [u8]> {
    let raw = skip_preamble(raw);
    let end = header_end(raw);
    let (head, body) = raw.split_at(end);
    if !head.contains(&b'=') && std::str::from_utf8(head).is_ok() {
        return Cow::Borrowed(raw);
    }
    let mut out = Vec::with_capacity(raw.len() + 64);
    let mut field: Vec<u8> = Vec::new();
    for line in head.split_inclusive(|b| *b == b'\n') {
        let continues = line.starts_with(b" ") || line.starts_with(b"\t");
        if !continues {
            mend_field(&field, &mut out);
            field.clear();
        }
        field.extend_from_slice(line);
    }
    mend_field(&field, &mut out);
    out.extend_from_slice(body);
    Cow::Owned(out)
}

/// One header field with its folded lines: decoded to UTF-8, and where it holds encoded
/// words, unfolded so that words split over two lines are joined too.
fn mend_field(field: &[u8], out: &mut Vec<u8>) {
    let text = utf8_or_1252(field);
    if !text.contains("=?") {
        out.extend_from_slice(text.as_bytes());
        return;
    }
    let (line, ending) = match text.strip_suffix("\r\n") {
        Some(l) => (l, "\r\n"),
        None => text.strip_suffix('\n').map_or((&*text, ""), |l| (l, "\n")),
    };
    let unfolded = line.replace("\r\n", "").replace('\n', "");
    out.extend_from_slice(join_encoded_words(&unfolded).as_bytes());
    out.extend_from_slice(ending.as_bytes());
}

/// Bytes as UTF-8 when they are valid UTF-8, else as Windows-1252 (which every byte is, and
/// which is what an unlabelled 8-bit Danish message almost always is).
pub fn utf8_or_1252(bytes: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(s) => Cow::Borrowed(s),
        Err(_) => {
            encoding_rs::WINDOWS_1252
                .decode_without_bom_handling(bytes)
                .0
        }
    }
}

/// Skips a UTF-8 BOM and blank lines before the first header.
pub fn skip_preamble(mut raw: &[u8]) -> &[u8] {
    if let Some(rest) = raw.strip_prefix(b"\xEF\xBB\xBF") {
        raw = rest;
    }
    loop {
        let line_end = raw.iter().position(|b| *b == b'\n');
        match line_end {
            Some(n) if raw[..n].iter().all(|b| b.is_ascii_whitespace()) => raw = &raw[n + 1..],
            _ => return raw,
        }
    }
}

/// Where the header block ends: just after its terminating blank line (or the end).
fn header_end(raw: &[u8]) -> usize {
    let mut at = 0;
    for line in raw.split_inclusive(|b| *b == b'\n') {
        at += line.len();
        if line == b"\n" || line == b"\r\n" {
            return at;
        }
    }
    raw.len()
}

/// One encoded word `=?charset?enc?text?=` found in a header line.
struct Word<'a> {
    end: usize,
    charset: &'a str,
    bytes: Vec<u8>,
}

fn encoded_word_at(s: &str, start: usize) -> Option<Word<'_>> {
    let rest = s.get(start..)?.strip_prefix("=?")?;
    let q1 = rest.find('?')?;
    let charset = &rest[..q1];
    let after = &rest[q1 + 1..];
    let q2 = after.find('?')?;
    let enc = &after[..q2];
    let text_and_more = &after[q2 + 1..];
    let close = text_and_more.find("?=")?;
    let text = &text_and_more[..close];
    if charset.is_empty() || charset.len() > 40 || text.contains(char::is_whitespace) {
        return None;
    }
    let bytes = match enc {
        "b" | "B" => base64_decode(text.as_bytes())?,
        "q" | "Q" => quoted_printable_decode(text.replace('_', " ").as_bytes())?,
        _ => return None,
    };
    // RFC 2231 language suffix: `utf-8*da`.
    let charset = charset.split('*').next().unwrap_or(charset);
    let end = start + 2 + q1 + 1 + q2 + 1 + close + 2;
    Some(Word {
        end,
        charset,
        bytes,
    })
}

/// Rewrites each run of encoded words that only whitespace separates, and that share a
/// charset, as one UTF-8 encoded word: a character whose bytes were split across two words
/// (as many clients do) is then decoded whole, and UTF-7 is decoded here rather than later.
fn join_encoded_words(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut copied = 0;
    let mut i = 0;
    while let Some(found) = line[i..].find("=?") {
        let start = i + found;
        let Some(first) = encoded_word_at(line, start) else {
            i = start + 2;
            continue;
        };
        let mut run = vec![first];
        loop {
            let last = run.last().expect("a run has a word");
            let gap_end = line[last.end..]
                .find(|c: char| !c.is_whitespace())
                .map_or(line.len(), |n| last.end + n);
            match encoded_word_at(line, gap_end) {
                Some(next) if next.charset.eq_ignore_ascii_case(last.charset) => run.push(next),
                _ => break,
            }
        }
        let end = run.last().expect("a run has a word").end;
        let mut bytes = Vec::new();
        for w in &run {
            bytes.extend_from_slice(&w.bytes);
        }
        if let Some(text) = decode_charset(run[0].charset, &bytes) {
            out.push_str(&line[copied..start]);
            out.push_str("=?utf-8?b?");
            out.push_str(&base64(text.as_bytes()));
            out.push_str("?=");
            copied = end;
        }
        i = end;
    }
    out.push_str(&line[copied..]);
    out
}

/// Bytes in a named charset as text; None for a charset nobody knows.
pub fn decode_charset(charset: &str, bytes: &[u8]) -> Option<String> {
    let label = charset.trim().to_ascii_lowercase();
    match label.as_str() {
        "utf-8" | "utf8" | "us-ascii" | "ascii" => Some(utf8_or_1252(bytes).into_owned()),
        "utf-7" | "utf7" | "unicode-1-1-utf-7" => Some(utf7(bytes)),
        _ => match charset_decoder(label.as_bytes()) {
            Some(decode) => Some(decode(bytes)),
            None => encoding_rs::Encoding::for_label(label.as_bytes())
                .map(|e| e.decode_without_bom_handling(bytes).0.into_owned()),
        },
    }
}

/// UTF-7 (RFC 2152). A shifted run ends at the first byte outside modified base64; that
/// byte is text unless it is the `-` that closes the run.
pub fn utf7(bytes: &[u8]) -> String {
    fn sextet(b: u8) -> Option<u32> {
        Some(match b {
            b'A'..=b'Z' => b - b'A',
            b'a'..=b'z' => b - b'a' + 26,
            b'0'..=b'9' => b - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32)
    }
    let mut out = String::with_capacity(bytes.len());
    let mut units: Vec<u16> = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        i += 1;
        if b != b'+' {
            out.push(b as char);
            continue;
        }
        if bytes.get(i) == Some(&b'-') {
            out.push('+');
            i += 1;
            continue;
        }
        let (mut acc, mut nbits) = (0u32, 0u32);
        units.clear();
        while let Some(v) = bytes.get(i).and_then(|b| sextet(*b)) {
            acc = (acc << 6 | v) & 0x3F_FFFF;
            nbits += 6;
            if nbits >= 16 {
                nbits -= 16;
                units.push((acc >> nbits) as u16);
            }
            i += 1;
        }
        out.extend(char::decode_utf16(units.iter().copied()).map(|c| c.unwrap_or('\u{FFFD}')));
        if bytes.get(i) == Some(&b'-') {
            i += 1;
        }
    }
    out
}

/// Standard base64 with padding (for writing encoded words).
pub fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = (chunk[0] as u32) << 16
            | (chunk.get(1).copied().unwrap_or(0) as u32) << 8
            | chunk.get(2).copied().unwrap_or(0) as u32;
        for k in 0..4 {
            if k <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * k) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf7_keeps_every_character() {
        assert_eq!(
            utf7(b"Sp+APg-rgsm+AOU-l om +AOY-, +APg- og +AOU-."),
            "Spørgsmål om æ, ø og å."
        );
        assert_eq!(utf7(b"1 +- 1 = 2, +ZeVnLIqe-"), "1 + 1 = 2, 日本語");
        assert_eq!(utf7(b"+2D3eAA-"), "\u{1F600}");
    }

    #[test]
    fn base64_round_trips() {
        for s in ["", "a", "ab", "abc", "æøå Søren"] {
            assert_eq!(
                base64_decode(base64(s.as_bytes()).as_bytes()).unwrap(),
                s.as_bytes()
            );
        }
    }

    #[test]
    fn a_character_split_across_encoded_words_is_joined() {
        // "ætø" + "å" whose two UTF-8 bytes are split over two words.
        let raw = b"Subject: =?utf-8?q?=C3=A6t=C3=B8=C3?=\r\n =?utf-8?q?=A5?= tak\r\n\r\nx";
        let mended = String::from_utf8(mend(raw).into_owned()).unwrap();
        let word = mended.split_whitespace().nth(1).unwrap();
        let inner = word.trim_start_matches("=?utf-8?b?").trim_end_matches("?=");
        assert_eq!(base64_decode(inner.as_bytes()).unwrap(), "ætøå".as_bytes());
        assert!(mended.ends_with(" tak\r\n\r\nx"), "{mended}");
    }

    #[test]
    fn raw_latin1_headers_and_a_bom_are_mended() {
        let raw =
            b"\xEF\xBB\xBF\r\n\r\nFrom: S\xF8ren \xD8berg <s@example.dk>\r\n\r\nbody \xF8\r\n";
        let mended = mend(raw);
        let text = String::from_utf8_lossy(&mended);
        assert!(
            text.starts_with("From: Søren Øberg <s@example.dk>\r\n"),
            "{text}"
        );
        // The body is left for the MIME decoder.
        assert!(mended.ends_with(b"body \xF8\r\n"));
    }
}
