//! One table file streamed and checked row by row against what tableIndex.xml declares.

use super::index_check::{is_bool, is_date, TableSpec};
use super::verify::Problem;
use super::xml::{table_ns, XSI_NS};
use quick_xml::events::Event as XmlEvent;
use std::path::Path;

fn problem<T>(s: impl Into<String>) -> Result<T, Problem> {
    Err(Problem(s.into()))
}

fn at_row(rows: u64) -> String {
    format!("row {rows}")
}

fn value_ok(xsd: &str, v: &str) -> bool {
    match xsd {
        "xs:integer" => {
            let d = v.strip_prefix(['-', '+']).unwrap_or(v);
            !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit())
        }
        "xs:date" => is_date(v),
        "xs:dateTime" => {
            chrono::DateTime::parse_from_rfc3339(v).is_ok()
                || chrono::NaiveDateTime::parse_from_str(v, "%Y-%m-%dT%H:%M:%S%.f").is_ok()
        }
        "xs:boolean" => is_bool(v),
        _ => true,
    }
}

/// Streams one table file: root, rows, columns in order, types, nils. Returns the row count.
pub fn check_table(path: &Path, n: usize, spec: &TableSpec) -> Result<u64, Problem> {
    let file = std::fs::File::open(path).map_err(|e| Problem(e.to_string()))?;
    let mut reader = quick_xml::NsReader::from_reader(std::io::BufReader::new(file));
    let ns = table_ns(n);
    let mut buf = Vec::new();
    let mut depth = 0usize;
    let mut rows = 0u64;
    let mut col = 0usize;
    let mut value = String::new();
    let mut seen_root = false;
    let err = |reader: &quick_xml::NsReader<_>, msg: String| -> Problem {
        let _ = reader;
        Problem(msg)
    };
    loop {
        let pos = reader.buffer_position();
        let ev = reader
            .read_event_into(&mut buf)
            .map_err(|e| Problem(format!("not well-formed XML at byte {pos}: {e}")))?;
        match ev {
            XmlEvent::Start(ref e) | XmlEvent::Empty(ref e) => {
                let empty = matches!(ev, XmlEvent::Empty(_));
                let (resolved, local) = reader.resolver().resolve_element(e.name());
                let in_ns = matches!(resolved, quick_xml::name::ResolveResult::Bound(b) if b.as_ref() == ns.as_bytes());
                let local = String::from_utf8_lossy(local.as_ref()).into_owned();
                match depth {
                    0 => {
                        if local != "table" || !in_ns {
                            return Err(err(
                                &reader,
                                format!("the root element must be <table> in {ns}"),
                            ));
                        }
                        seen_root = true;
                    }
                    1 => {
                        if local != "row" || !in_ns {
                            return Err(err(&reader, format!("<{local}> where a <row> belongs")));
                        }
                        rows += 1;
                        col = 0;
                        if empty {
                            return Err(err(&reader, format!("{} has no columns", at_row(rows))));
                        }
                    }
                    2 => {
                        col += 1;
                        if local != format!("c{col}") || !in_ns {
                            return Err(err(
                                &reader,
                                format!("{}: <{local}> where <c{col}> belongs", at_row(rows)),
                            ));
                        }
                        let Some(c) = spec.columns.get(col - 1) else {
                            return Err(err(
                                &reader,
                                format!(
                                    "{}: more columns than tableIndex.xml declares",
                                    at_row(rows)
                                ),
                            ));
                        };
                        let mut nil = false;
                        for a in e.attributes() {
                            let a = a.map_err(|e| Problem(format!("{}: {e}", at_row(rows))))?;
                            let (ans, alocal) = reader.resolver().resolve_attribute(a.key);
                            let xsi = matches!(ans, quick_xml::name::ResolveResult::Bound(b) if b.as_ref() == XSI_NS.as_bytes());
                            if xsi
                                && alocal.as_ref() == b"nil"
                                && matches!(a.value.as_ref(), b"true" | b"1")
                            {
                                nil = true;
                            }
                        }
                        if nil && !c.nullable {
                            return Err(err(
                                &reader,
                                format!(
                                    "{}: c{col} is empty but its column is not nullable",
                                    at_row(rows)
                                ),
                            ));
                        }
                        if nil && !empty {
                            // A nil element must have no content; checked at its end.
                        }
                        value.clear();
                        if empty {
                            if !nil && c.xsd != "xs:string" {
                                return Err(err(
                                    &reader,
                                    format!(
                                        "{}: c{col} is empty, which is no {}",
                                        at_row(rows),
                                        c.xsd
                                    ),
                                ));
                            }
                            if !nil && !c.nullable && c.xsd != "xs:string" {
                                return Err(err(
                                    &reader,
                                    format!("{}: c{col} has no value", at_row(rows)),
                                ));
                            }
                        }
                    }
                    _ => {
                        return Err(err(
                            &reader,
                            format!("{}: <{local}> inside a column", at_row(rows)),
                        ));
                    }
                }
                if !empty {
                    depth += 1;
                }
            }
            XmlEvent::Text(t) => {
                if depth == 3 {
                    let raw = t
                        .decode()
                        .map_err(|e| Problem(format!("{}: {e}", at_row(rows))))?;
                    value.push_str(&raw);
                } else if !t.iter().all(|b| b.is_ascii_whitespace()) {
                    return Err(err(
                        &reader,
                        format!("text outside a column near {}", at_row(rows)),
                    ));
                }
            }
            XmlEvent::GeneralRef(r) => {
                if depth != 3 {
                    return Err(err(
                        &reader,
                        format!("an entity outside a column near {}", at_row(rows)),
                    ));
                }
                let name = String::from_utf8_lossy(r.as_ref()).into_owned();
                let ch = match name.as_str() {
                    "lt" => '<',
                    "gt" => '>',
                    "amp" => '&',
                    "quot" => '"',
                    "apos" => '\'',
                    other => {
                        let code = other
                            .strip_prefix("#x")
                            .and_then(|h| u32::from_str_radix(h, 16).ok())
                            .or_else(|| other.strip_prefix('#').and_then(|d| d.parse().ok()));
                        match code.and_then(char::from_u32) {
                            Some(c) => c,
                            None => {
                                return Err(err(
                                    &reader,
                                    format!("{}: unknown entity &{other};", at_row(rows)),
                                ))
                            }
                        }
                    }
                };
                value.push(ch);
            }
            XmlEvent::CData(c) if depth == 3 => {
                value.push_str(&String::from_utf8_lossy(c.as_ref()));
            }
            XmlEvent::End(_) => {
                if depth == 3 {
                    let c = &spec.columns[col - 1];
                    if !value_ok(c.xsd, &value) {
                        return Err(err(
                            &reader,
                            format!("{}: c{col} `{value}` is not {}", at_row(rows), c.xsd),
                        ));
                    }
                    if let Some(max) = c.max_chars {
                        if value.chars().count() > max {
                            return Err(err(
                                &reader,
                                format!(
                                    "{}: c{col} is longer than its VARCHAR({max})",
                                    at_row(rows)
                                ),
                            ));
                        }
                    }
                }
                if depth == 2 && col != spec.columns.len() {
                    return Err(err(
                        &reader,
                        format!(
                            "{}: {col} columns; tableIndex.xml declares {}",
                            at_row(rows),
                            spec.columns.len()
                        ),
                    ));
                }
                depth = depth.saturating_sub(1);
            }
            XmlEvent::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    if !seen_root {
        return problem("no <table> element");
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_checked_against_their_column_types() {
        assert!(value_ok("xs:dateTime", "2026-11-23T08:14:00Z"));
        assert!(!value_ok("xs:date", "2026-13-01"));
        assert!(!value_ok("xs:integer", "12a"));
        assert!(value_ok("xs:boolean", "false"));
    }
}
