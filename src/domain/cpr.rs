//! The one home of CPR numbers: finding them for suggestions, for the subject index and for masking.

use chrono::NaiveDate;
use std::collections::BTreeSet;
use std::ops::Range;

// Suggestions: strict, with a confidence.

/// Dashed and passing modulus 11: as sure as a pattern gets.
pub(crate) const CPR_DASHED_MOD11: f32 = 0.95;
/// Dashed but failing modulus 11: numbers issued since 2007 may fail it, so still likely.
pub(crate) const CPR_DASHED: f32 = 0.75;
/// A bare ten-digit run is more often an account, order or phone-with-prefix number than a
/// CPR number, even with a valid date; modulus 11 makes it much likelier again.
pub(crate) const CPR_BARE_MOD11: f32 = 0.85;
pub(crate) const CPR_BARE: f32 = 0.6;

/// One CPR number found in a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CprHit {
    /// Byte offsets into the text searched: `&text[start..end]` is the number as written.
    pub start: usize,
    pub end: usize,
    pub birth_date: NaiveDate,
    /// Passes the modulus-11 check: a hint only, never a reason to reject.
    pub mod11: bool,
}

impl CprHit {
    /// Written `DDMMYY-SSSS` rather than as a bare ten-digit run.
    pub fn dashed(&self) -> bool {
        self.end - self.start == 11
    }

    /// How sure the detector is that this is a CPR number (see the `CPR_*` constants).
    pub fn confidence(&self) -> f32 {
        match (self.dashed(), self.mod11) {
            (true, true) => CPR_DASHED_MOD11,
            (true, false) => CPR_DASHED,
            (false, true) => CPR_BARE_MOD11,
            (false, false) => CPR_BARE,
        }
    }
}

/// The full year of a CPR birth date, from the two-digit year and the 7th digit (the first of
/// the serial), as the CPR office defines the centuries.
fn cpr_year(yy: u32, digit7: u32) -> i32 {
    let yy = yy as i32;
    match digit7 {
        0..=3 => 1900 + yy,
        4 | 9 if yy <= 36 => 2000 + yy,
        4 | 9 => 1900 + yy,
        _ if yy <= 57 => 2000 + yy,
        _ => 1800 + yy,
    }
}

/// Birth date and modulus-11 result of ten CPR digits, or None when the date does not exist.
fn decode_cpr(d: [u8; 10]) -> Option<(NaiveDate, bool)> {
    const WEIGHTS: [u32; 10] = [4, 3, 2, 7, 6, 5, 4, 3, 2, 1];
    let n = |i: usize| u32::from(d[i] - b'0');
    let date = NaiveDate::from_ymd_opt(
        cpr_year(n(4) * 10 + n(5), n(6)),
        n(2) * 10 + n(3),
        n(0) * 10 + n(1),
    )?;
    let sum: u32 = (0..10).map(|i| WEIGHTS[i] * n(i)).sum();
    Some((date, sum.is_multiple_of(11)))
}

/// The ten digits of `DDMMYY-SSSS` or `DDMMYYSSSS`, or None for any other shape.
fn cpr_digits(s: &[u8]) -> Option<[u8; 10]> {
    let mut d = [0u8; 10];
    match s.len() {
        10 => d.copy_from_slice(s),
        11 if s[6] == b'-' => {
            d[..6].copy_from_slice(&s[..6]);
            d[6..].copy_from_slice(&s[7..]);
        }
        _ => return None,
    }
    d.iter().all(u8::is_ascii_digit).then_some(d)
}

/// Parses one CPR number `DDMMYY-SSSS` or `DDMMYYSSSS`, strictly: nothing else around it, and
/// the date must exist. The span covers the whole string.
pub fn parse_cpr(s: &str) -> Option<CprHit> {
    let (birth_date, mod11) = decode_cpr(cpr_digits(s.as_bytes())?)?;
    Some(CprHit {
        start: 0,
        end: s.len(),
        birth_date,
        mod11,
    })
}

/// `DDMMYY-XXXX` for display: the birth date stays, the serial is masked. Anything that is not
/// shaped like a CPR number has every digit masked, so a caller's mistake cannot show a serial.
pub fn mask_cpr(s: &str) -> String {
    let t = s.trim();
    match cpr_digits(t.as_bytes()) {
        Some(_) => format!("{}-XXXX", &t[..6]),
        None => s
            .chars()
            .map(|c| if c.is_ascii_digit() { 'X' } else { c })
            .collect(),
    }
}

/// Characters that glue digit groups into one longer number (`2024-123456`, `24/0102031234`,
/// `1.234`, `12,50`, `12:30`) when a digit stands on their other side.
fn is_number_glue(c: char) -> bool {
    matches!(c, '-' | '/' | '.' | ',' | ':')
}

/// The text before a candidate ends in an international dialling prefix (`+45 `, `0045 `,
/// `(+45) `): what follows is a phone number, whatever its digits.
fn after_dialling_prefix(before: &str) -> bool {
    let Some(s) = before.strip_suffix([' ', '\u{a0}']) else {
        return false;
    };
    if s.ends_with("0045") && !s[..s.len() - 4].ends_with(|c: char| c.is_ascii_digit()) {
        return true;
    }
    let s = s.strip_suffix(')').unwrap_or(s);
    let digits = s.bytes().rev().take_while(u8::is_ascii_digit).count();
    (1..=3).contains(&digits) && s[..s.len() - digits].ends_with('+')
}

/// The candidate at `start..end` stands on its own: not part of a longer run of digits or
/// letters, not glued to other digits, not after a `+` or a dialling prefix.
fn stands_alone(text: &str, start: usize, end: usize) -> bool {
    let before = &text[..start];
    let mut back = before.chars().rev();
    match back.next() {
        Some(c) if c.is_alphanumeric() || c == '+' => return false,
        Some(c) if is_number_glue(c) && back.next().is_some_and(|d| d.is_ascii_digit()) => {
            return false
        }
        _ => {}
    }
    if after_dialling_prefix(before) {
        return false;
    }
    let mut ahead = text[end..].chars();
    match ahead.next() {
        Some(c) if c.is_alphanumeric() => false,
        // A full stop or comma ending a sentence is fine; one followed by a digit is not.
        Some(c) if is_number_glue(c) => !ahead.next().is_some_and(|d| d.is_ascii_digit()),
        _ => true,
    }
}

/// The first index at or after `i` that may hold an ASCII digit, skipping eight bytes at a time
/// while none of them is one: most of an enquiry is words.
#[inline]
fn skip_to_digit(b: &[u8], mut i: usize) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const LOW7: u64 = ONES * 0x7f;
    const HIGH: u64 = ONES * 0x80;
    while let Some(chunk) = b.get(i..i + 8) {
        let x = u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8]));
        let v = x & LOW7;
        // Per byte, without carries between bytes: high bit set when v < b'9' + 1, when
        // v > b'0' - 1, and when the byte is ASCII at all.
        let digit = (ONES * (0x7f + u64::from(b'9' + 1)) - v)
            & (v + ONES * (0x7f - u64::from(b'0' - 1)))
            & !x
            & HIGH;
        if digit != 0 {
            return i;
        }
        i += 8;
    }
    i
}

/// CPR numbers found in text: each with its byte span, the date it encodes, and whether it passes
/// modulus 11.
///
/// Matched: `DDMMYY-SSSS` and a bare `DDMMYYSSSS`, each only when the date exists with the
/// century the 7th digit gives, and only when it stands alone: no letter or digit directly
/// before or after it, no `-`, `/`, `.`, `,` or `:` joining it to another digit, no `+` or
/// dialling prefix (`+45 `, `0045 `) before it. So phone numbers, case numbers, dates, amounts
/// and longer digit runs are not taken. The space-separated `DDMMYY SSSS` is deliberately not matched: a six-digit and a four-digit group
/// side by side are far more often a date and a time, a postcode and a number, or a phone
/// number than a CPR number.
pub fn find_cprs(text: &str) -> Vec<CprHit> {
    let b = text.as_bytes();
    let run_end = |from: usize| from + b[from..].iter().take_while(|c| c.is_ascii_digit()).count();
    let mut hits = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_digit() {
            i = skip_to_digit(b, i + 1);
            continue;
        }
        let start = i;
        let first = run_end(start);
        let end = match first - start {
            10 => first,
            6 if b.get(first) == Some(&b'-') && run_end(first + 1) - (first + 1) == 4 => first + 5,
            _ => {
                i = first;
                continue;
            }
        };
        i = end;
        if !stands_alone(text, start, end) {
            continue;
        }
        if let Some((birth_date, mod11)) = cpr_digits(&b[start..end]).and_then(decode_cpr) {
            hits.push(CprHit {
                start,
                end,
                birth_date,
                mod11,
            });
        }
    }
    hits
}

// The subject index: a fixed rule, so erasure finds exactly the cases filed.

/// A date for some century: the seventh digit picks it, and the index needs no more.
pub fn plausible_birth_date(digits: &str) -> bool {
    let n = |r: std::ops::Range<usize>| digits[r].parse::<u32>().unwrap_or(0);
    let (d, m, y) = (n(0..2), n(2..4), n(4..6) as i32);
    // Either century will do: the seventh digit decides it, and no rule here needs it.
    NaiveDate::from_ymd_opt(2000 + y, m, d).is_some()
        || NaiveDate::from_ymd_opt(1900 + y, m, d).is_some()
}

/// A CPR number found in free text: byte range and its ten digits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CprInText {
    pub start: usize,
    pub end: usize,
    pub digits: String,
}

/// CPR numbers written in a text (`DDMMYY-SSSS` or ten digits in a row, not part of a
/// longer number). Deliberately strict and independent of detection's tuning: the subject
/// index files cases under these, and erasure must find exactly the same ones again.
pub fn cprs_in_text(text: &str) -> Vec<CprInText> {
    let b = text.as_bytes();
    let digit = |i: usize| b.get(i).is_some_and(u8::is_ascii_digit);
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if !digit(i) || (i > 0 && digit(i - 1)) {
            i += 1;
            continue;
        }
        let run = |from: usize| (from..b.len()).take_while(|&j| digit(j)).count();
        let first = run(i);
        let (end, digits) = if first == 10 {
            (i + 10, text[i..i + 10].to_string())
        } else if first == 6 && b.get(i + 6) == Some(&b'-') && run(i + 7) == 4 {
            (
                i + 11,
                format!("{}{}", &text[i..i + 6], &text[i + 7..i + 11]),
            )
        } else {
            i += first.max(1);
            continue;
        };
        if plausible_birth_date(&digits) && !digit(end) {
            out.push(CprInText {
                start: i,
                end,
                digits,
            });
        }
        i = end;
    }
    out
}

// Masking: errs toward masking.

/// Every span that may be a CPR number: what suggestions find and what the subject index
/// files (`A0707614285`, `+45 0707614285`, `1.0707614285`), sorted, overlaps merged. A
/// number the store treats as personal data is never shown in clear.
pub fn mask_spans(text: &str) -> Vec<Range<usize>> {
    let mut spans: Vec<Range<usize>> = find_cprs(text)
        .into_iter()
        .map(|h| h.start..h.end)
        .chain(cprs_in_text(text).into_iter().map(|h| h.start..h.end))
        .collect();
    spans.sort_by_key(|r| (r.start, r.end));
    let mut merged: Vec<Range<usize>> = Vec::with_capacity(spans.len());
    for s in spans {
        match merged.last_mut() {
            Some(last) if s.start < last.end => last.end = last.end.max(s.end),
            _ => merged.push(s),
        }
    }
    merged
}

/// Every CPR number in `text` masked to `DDMMYY-XXXX`.
pub fn mask_cprs(text: &str) -> String {
    mask_cprs_except(text, &BTreeSet::new())
}

/// Every CPR number in `text` masked, except those in `keep` (ten digits each): the
/// subject's own number in their access answer.
pub fn mask_cprs_except(text: &str, keep: &BTreeSet<String>) -> String {
    let spans = mask_spans(text);
    if spans.is_empty() {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for s in spans {
        out.push_str(&text[last..s.start]);
        let raw = &text[s.clone()];
        let digits: String = raw.chars().filter(char::is_ascii_digit).collect();
        if keep.contains(&digits) {
            out.push_str(raw);
        } else {
            out.push_str(&mask_cpr(raw));
        }
        last = s.end;
    }
    out.push_str(&text[last..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masking_covers_every_form_the_subject_index_files() {
        for text in [
            "A0707614285",
            "+45 0707614285",
            "0045 0707614285",
            "tlf. 1.0707614285",
            "070761-4285",
            "0707614285",
            "x070761-4285y",
        ] {
            assert!(
                !cprs_in_text(text).is_empty() || !find_cprs(text).is_empty(),
                "{text}"
            );
            let masked = mask_cprs(text);
            assert!(!masked.contains("4285"), "{text} → {masked}");
        }
        // The strict detector (suggestions) still skips the awkward ones.
        assert!(find_cprs("A0707614285").is_empty());
        assert!(find_cprs("+45 0707614285").is_empty());
        // Nothing else is touched.
        assert_eq!(
            mask_cprs("sag 2026-000123, tlf 22 33 44 55"),
            "sag 2026-000123, tlf 22 33 44 55"
        );
    }

    #[test]
    fn the_subjects_own_number_may_be_kept() {
        let keep = BTreeSet::from(["0707614285".to_string()]);
        assert_eq!(
            mask_cprs_except("mig 070761-4285, ham 120385-1234", &keep),
            "mig 070761-4285, ham 120385-XXXX"
        );
    }
}
