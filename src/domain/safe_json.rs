//! The one way out to a JSON reader: invisible and control characters escaped as `\u…`, CPR numbers masked on request.

use super::cpr::mask_cprs;
use serde::Serialize;

/// Characters a JSON reader may pass to a terminal unseen, beyond the C0 controls serde
/// escapes itself (and the layout whitespace of pretty output, which is not in a string):
/// DEL and C1 controls, bidi controls, zero-width and other invisible format
/// characters, line and paragraph separators, and tag characters.
fn must_escape(c: char) -> bool {
    matches!(c,
        '\u{7f}'..='\u{9f}'
        | '\u{ad}'
        | '\u{61c}'
        | '\u{180e}'
        | '\u{200b}'..='\u{200f}'
        | '\u{2028}'..='\u{202e}'
        | '\u{2060}'..='\u{206f}'
        | '\u{feff}'
        | '\u{fff9}'..='\u{fffb}'
        | '\u{e0000}'..='\u{e007f}')
}

/// Escapes what [`must_escape`] names in serialised JSON. Outside strings JSON is ASCII
/// punctuation, digits and literals, so every such character found is inside a string,
/// where `\u…` means the same character to any reader.
fn escape_invisible(json: String) -> String {
    if !json.chars().any(must_escape) {
        return json;
    }
    let mut out = String::with_capacity(json.len() + 16);
    let mut units = [0u16; 2];
    for c in json.chars() {
        if must_escape(c) {
            for u in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{:04x}", u));
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// One line of JSON.
pub fn to_line<T: Serialize + ?Sized>(v: &T) -> serde_json::Result<String> {
    serde_json::to_string(v).map(escape_invisible)
}

/// Indented JSON.
pub fn to_pretty<T: Serialize + ?Sized>(v: &T) -> serde_json::Result<String> {
    serde_json::to_string_pretty(v).map(escape_invisible)
}

/// Every CPR number in every string of `v` masked (keys are ours and left alone).
pub fn mask_cprs_in(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::String(s) => {
            let masked = mask_cprs(s);
            if masked != *s {
                *s = masked;
            }
        }
        serde_json::Value::Array(a) => a.iter_mut().for_each(mask_cprs_in),
        serde_json::Value::Object(o) => o.values_mut().for_each(mask_cprs_in),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn invisible_and_control_characters_leave_as_escapes() {
        let v = json!({ "note": "a\u{1b}]0;x\u{7}b\u{9b}c\u{202e}d\u{200b}e\u{2066}f\u{feff}g\u{e0041}h\u{2028}i" });
        let s = to_line(&v).unwrap();
        for bad in [
            '\u{1b}',
            '\u{7}',
            '\u{9b}',
            '\u{202e}',
            '\u{200b}',
            '\u{2066}',
            '\u{feff}',
            '\u{e0041}',
            '\u{2028}',
        ] {
            assert!(!s.contains(bad), "{bad:?} in {s}");
        }
        for esc in [
            "\\u001b",
            "\\u009b",
            "\\u202e",
            "\\u200b",
            "\\u2066",
            "\\ufeff",
            "\\udb40\\udc41",
            "\\u2028",
        ] {
            assert!(s.contains(esc), "{esc} missing from {s}");
        }
        // Lossless: a reader gets the same text back.
        let back: serde_json::Value = serde_json::from_str(&s).unwrap();
        assert_eq!(back, v);
        assert_eq!(
            to_pretty(&json!({"k": "æøå é"})).unwrap(),
            "{\n  \"k\": \"æøå é\"\n}"
        );
    }

    #[test]
    fn cpr_numbers_are_masked_in_every_string() {
        let mut v = json!({ "a": ["ring A0707614285", {"b": "070761-4285"}], "n": 12 });
        mask_cprs_in(&mut v);
        let s = to_line(&v).unwrap();
        assert!(!s.contains("4285"), "{s}");
        assert!(s.contains("070761-XXXX"), "{s}");
    }
}
