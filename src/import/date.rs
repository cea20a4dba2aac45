//! Lenient reading of the dates mail carries: RFC 5322 and its obsolete forms, Danish names.
//!
//! The sender's `Date:` is information only (the receipt day is the authority's), so this
//! reads what real clients write rather than refusing it: two-digit years, named zones,
//! no seconds, no zone, Danish day and month names, and the `Received:` header's date too.

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, NaiveTime, TimeZone, Utc};

/// A date as a sender's or server's header wrote it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HeaderDate {
    pub at: DateTime<FixedOffset>,
    /// False when the header named no zone (or an unknown one): read as UTC.
    pub zone_known: bool,
}

/// Reads a date header value; None when no day, month and year can be found in it.
pub fn parse(value: &str) -> Option<HeaderDate> {
    let value = value.trim();
    if let Ok(at) = DateTime::parse_from_rfc2822(value) {
        return Some(HeaderDate {
            at,
            zone_known: true,
        });
    }
    if let Ok(at) = DateTime::parse_from_rfc3339(value) {
        return Some(HeaderDate {
            at,
            zone_known: true,
        });
    }
    let lower = strip_comments(&value.to_lowercase());
    let tokens: Vec<&str> = lower
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|t| !t.is_empty())
        .collect();
    let (mut day, mut month, mut year) = (None, None, None);
    let mut numbers = Vec::new();
    let mut time = None;
    let mut offset: Option<i32> = None;
    let mut i = 0;
    while i < tokens.len() {
        let t = tokens[i].trim_end_matches('.');
        i += 1;
        if let Some(m) = month_of(t) {
            month.get_or_insert(m);
        } else if t.contains(':') {
            time = time.or_else(|| time_of(t));
        } else if t.bytes().all(|b| b.is_ascii_digit()) && !t.is_empty() {
            numbers.push(t);
        } else if let Some(o) = numeric_zone(t) {
            offset.get_or_insert(o);
        } else if let Some(mut o) = named_zone(t) {
            // "MET DST": the summer variant of the zone before it.
            if tokens.get(i) == Some(&"dst") {
                o += 3600;
                i += 1;
            }
            offset.get_or_insert(o);
        }
    }
    for n in &numbers {
        if n.len() == 4 && year.is_none() {
            year = n.parse::<i32>().ok();
        } else if day.is_none() && n.len() <= 2 {
            day = n.parse::<u32>().ok().filter(|d| (1..=31).contains(d));
        } else if year.is_none() {
            year = n.parse::<i32>().ok().map(widen_year);
        }
    }
    let date = NaiveDate::from_ymd_opt(year?, month?, day?)?;
    let time = time.unwrap_or(NaiveTime::MIN);
    let zone_known = offset.is_some();
    let tz = FixedOffset::east_opt(offset.unwrap_or(0))?;
    let at = tz.from_local_datetime(&date.and_time(time)).single()?;
    Some(HeaderDate { at, zone_known })
}

/// How a sender's date stands against the moment of import: None when plausible.
pub fn implausible(at: DateTime<FixedOffset>, now: DateTime<Utc>) -> Option<&'static str> {
    if at.with_timezone(&Utc) > now + Duration::days(1) {
        Some("in the future")
    } else if at.with_timezone(&Utc).timestamp() < EARLIEST_PLAUSIBLE {
        Some("before e-mail was in use")
    } else {
        None
    }
}

/// 1 January 1980: no enquiry the authority keeps was written earlier.
const EARLIEST_PLAUSIBLE: i64 = 315_532_800;

/// RFC 5322 § 4.3: two-digit years 00–49 are 2000–2049, 50–99 and three digits add 1900.
fn widen_year(y: i32) -> i32 {
    match y {
        0..=49 => 2000 + y,
        50..=999 => 1900 + y,
        _ => y,
    }
}

fn strip_comments(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut depth = 0usize;
    for c in s.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// English and Danish month names and their abbreviations.
fn month_of(t: &str) -> Option<u32> {
    if !t.chars().all(char::is_alphabetic) || t.chars().count() < 3 {
        return None;
    }
    const NAMES: [(&str, u32); 14] = [
        ("january", 1),
        ("januar", 1),
        ("february", 2),
        ("februar", 2),
        ("march", 3),
        ("marts", 3),
        ("april", 4),
        ("may", 5),
        ("maj", 5),
        ("june", 6),
        ("juni", 6),
        ("july", 7),
        ("juli", 7),
        ("august", 8),
    ];
    const MORE: [(&str, u32); 6] = [
        ("september", 9),
        ("october", 10),
        ("oktober", 10),
        ("november", 11),
        ("december", 12),
        ("sept", 9),
    ];
    NAMES
        .iter()
        .chain(MORE.iter())
        .find(|(name, _)| name.starts_with(t))
        .map(|(_, m)| *m)
}

fn time_of(t: &str) -> Option<NaiveTime> {
    let mut parts = t.split(':');
    let h: u32 = parts.next()?.parse().ok()?;
    let m: u32 = parts.next()?.parse().ok()?;
    let s: u32 = match parts.next() {
        Some(s) => s.split('.').next()?.parse().ok()?,
        None => 0,
    };
    // A leap second (":60") is read as the last second of the minute.
    NaiveTime::from_hms_opt(h, m, s.min(59))
}

fn numeric_zone(t: &str) -> Option<i32> {
    let (sign, digits) = match t.as_bytes().first()? {
        b'+' => (1, &t[1..]),
        b'-' => (-1, &t[1..]),
        _ => return None,
    };
    let digits = digits.replace(':', "");
    if digits.len() != 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let h: i32 = digits[..2].parse().ok()?;
    let m: i32 = digits[2..].parse().ok()?;
    if h > 23 || m > 59 {
        return None;
    }
    // "-0000" says the zone is unknown (RFC 5322 § 3.3): the instant is still UTC.
    Some(sign * (h * 3600 + m * 60))
}

/// Zone names real clients write; RFC 5322's obsolete ones and the European ones.
fn named_zone(t: &str) -> Option<i32> {
    let hours = match t {
        "ut" | "utc" | "gmt" | "z" | "wet" => 0,
        "est" => -5,
        "edt" => -4,
        "cst" => -6,
        "cdt" => -5,
        "mst" => -7,
        "mdt" => -6,
        "pst" => -8,
        "pdt" => -7,
        "cet" | "met" | "mez" | "west" | "bst" => 1,
        "cest" | "mest" | "mesz" | "eet" => 2,
        "eest" => 3,
        _ => return None,
    };
    Some(hours * 3600)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> String {
        parse(s).map(|d| d.at.to_rfc3339()).unwrap_or_default()
    }

    #[test]
    fn obsolete_forms_and_named_zones() {
        assert_eq!(at("Wed, 20 Dec 95 19:59 CST"), "1995-12-20T19:59:00-06:00");
        assert_eq!(
            at("Fri, 20 Nov 2026 10:00 CET"),
            "2026-11-20T10:00:00+01:00"
        );
        assert_eq!(
            at("Mon, 1 Jun 2026 10:00:00 CEST"),
            "2026-06-01T10:00:00+02:00"
        );
        assert_eq!(
            at("Mon, 1 Jun 2026 10:00:00 MET DST"),
            "2026-06-01T10:00:00+02:00"
        );
        assert_eq!(at("1 Jun 03 10:00:00 GMT"), "2003-06-01T10:00:00+00:00");
        assert_eq!(
            at("Thu, 13 Feb 1969 23:32 -0330 (Newfoundland Time)"),
            "1969-02-13T23:32:00-03:30"
        );
    }

    #[test]
    fn danish_names_and_no_zone() {
        assert_eq!(at("man, 2 maj 2005"), "2005-05-02T00:00:00+00:00");
        assert_eq!(
            at("tirsdag, 24. november 2026 09:15"),
            "2026-11-24T09:15:00+00:00"
        );
        assert_eq!(at("ons. 3 okt. 2001 12:00:00"), "2001-10-03T12:00:00+00:00");
        assert!(!parse("Tue, 24 Nov 2026 09:15").unwrap().zone_known);
        assert!(parse("Tue, 24 Nov 2026 09:15 CET").unwrap().zone_known);
    }

    #[test]
    fn nonsense_is_none() {
        for bad in ["", "yesterday", "31 Feb 2026 10:00 +0100", "12:00 +0100"] {
            assert_eq!(parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_future_and_the_far_past_are_implausible() {
        let now = Utc.with_ymd_and_hms(2026, 11, 24, 9, 0, 0).unwrap();
        let d = |s: &str| parse(s).unwrap().at;
        assert_eq!(
            implausible(d("1 Jan 2099 10:00 +0100"), now),
            Some("in the future")
        );
        assert!(implausible(d("1 Jan 1970 00:00 +0000"), now).is_some());
        assert_eq!(implausible(d("24 Nov 2026 10:30 +0100"), now), None);
    }
}
