//! Properties of detection and sanitising over arbitrary input: nothing panics, nothing unsafe survives.

use proptest::prelude::*;
use toml::Spanned;
use triage::domain::category::DataCategory;
use triage::domain::detect::{find_cprs, mask_cpr, parse_cpr, Detector};
use triage::domain::policy::{DetectionRules, LexiconEntry};
use triage::domain::sanitize::{is_clean, sanitize_line, sanitize_text, PLACEHOLDER};

/// What must never reach the terminal, written out here independently of the module.
fn forbidden(c: char) -> bool {
    let u = c as u32;
    (c.is_control() && c != '\n')
        || matches!(u, 0x202A..=0x202E | 0x2066..=0x2069 | 0x200E | 0x200F | 0x061C)
        || matches!(
            u,
            0x200B | 0x2060..=0x2064 | 0xFEFF | 0x180E | 0x00AD | 0x2028 | 0x2029
        )
        || matches!(u, 0xE0000..=0xE007F)
}

fn lexicon() -> Detector {
    let entry = |c: DataCategory, terms: &[&str]| LexiconEntry {
        category: Spanned::new(0..0, c),
        confidence: 0.7,
        terms: terms.iter().map(|t| t.to_string()).collect(),
    };
    let rules = DetectionRules {
        suffixes: ["e", "en", "er", "s", "'s", "-"].map(String::from).to_vec(),
    };
    Detector::new(
        &rules,
        &[
            entry(
                DataCategory::Health,
                &[
                    "sygdom*",
                    "*sygdom",
                    "æ",
                    "ø-ø",
                    "mental health",
                    "*a b*",
                    "*ß*",
                ],
            ),
            entry(DataCategory::Religion, &["muslim", "bahá'í", "İ", "σ"]),
        ],
    )
}

/// Text with the characters that matter here much more often than uniform chars would give.
fn tricky_text() -> impl Strategy<Value = String> {
    let pieces = prop_oneof![
        any::<char>().prop_map(String::from),
        Just("\x1b".to_string()),
        Just("\x1b[".to_string()),
        Just("\x1b]".to_string()),
        Just("\x07".to_string()),
        Just("\r".to_string()),
        Just("\n".to_string()),
        Just("\u{9b}".to_string()),
        Just("\u{9c}".to_string()),
        Just("\u{200d}".to_string()),
        Just("\u{200c}".to_string()),
        Just("\u{fe0f}".to_string()),
        Just("\u{301}".to_string()),
        Just("👩".to_string()),
        Just("ب".to_string()),
        Just("-".to_string()),
        Just(" ".to_string()),
        Just("Æ".to_string()),
        Just("sygdom".to_string()),
        Just("İ".to_string()),
        "[0-9]{1,11}",
    ];
    prop::collection::vec(pieces, 0..40).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn sanitized_text_holds_nothing_forbidden(s in tricky_text()) {
        let out = sanitize_text(&s);
        prop_assert!(!out.contains('\x1b'));
        for (i, c) in out.char_indices() {
            prop_assert!(!forbidden(c), "{c:?} at {i} in {out:?}");
            if c == '\u{200d}' {
                // Kept only inside a sequence of visible characters.
                let next = out[i + c.len_utf8()..].chars().next();
                prop_assert!(next.is_some_and(|n| !n.is_ascii() && !forbidden(n)), "{out:?}");
            }
        }
        prop_assert!(is_clean(&out), "{out:?}");
        prop_assert_eq!(sanitize_text(&out), out.clone());
        prop_assert_eq!(is_clean(&s), out == s);
    }

    #[test]
    fn sanitized_line_is_one_line(s in tricky_text()) {
        let out = sanitize_line(&s);
        prop_assert!(!out.contains(['\n', '\r', '\x1b']));
        prop_assert!(out.chars().all(|c| !forbidden(c)));
        prop_assert_eq!(sanitize_line(&out), out.clone());
    }

    #[test]
    fn arbitrary_strings_are_sanitized_too(s in any::<String>()) {
        let out = sanitize_text(&s);
        prop_assert!(out.chars().all(|c| !forbidden(c)), "{out:?}");
    }

    #[test]
    fn detect_spans_lie_on_char_boundaries(s in tricky_text()) {
        let d = lexicon();
        for sugg in d.detect(&s) {
            prop_assert!(sugg.confidence > 0.0 && sugg.confidence <= 1.0);
            let mut last_end = 0;
            for (a, b) in sugg.spans {
                let (a, b) = (a as usize, b as usize);
                prop_assert!(a < b && b <= s.len(), "{a}..{b} in {s:?}");
                prop_assert!(s.is_char_boundary(a) && s.is_char_boundary(b));
                prop_assert!(a >= last_end, "spans sorted and disjoint");
                last_end = b;
            }
        }
    }

    #[test]
    fn detect_never_panics_on_any_string(s in any::<String>()) {
        let d = lexicon();
        for sugg in d.detect(&s) {
            for (a, b) in sugg.spans {
                prop_assert!(s.get(a as usize..b as usize).is_some());
            }
        }
    }

    #[test]
    fn cpr_scan_never_panics_on_digit_strings(s in "[0-9\\-+/., :a-zø]{0,60}") {
        for hit in find_cprs(&s) {
            let found = &s[hit.start..hit.end];
            prop_assert!(found.len() == 10 || found.len() == 11);
            let parsed = parse_cpr(found).unwrap();
            prop_assert_eq!(parsed.birth_date, hit.birth_date);
            prop_assert_eq!(parsed.mod11, hit.mod11);
            prop_assert_eq!(&mask_cpr(found)[6..], "-XXXX");
        }
    }

    #[test]
    fn every_valid_cpr_alone_is_found(
        d in 1u32..=28,
        m in 1u32..=12,
        y in 0u32..=99,
        serial in 0u32..=9999,
        dashed: bool,
        // Words before it, of any length, so the number starts at every offset in a chunk.
        before in "[a-zæ.:]{0,17}",
    ) {
        let s = if dashed { format!("{d:02}{m:02}{y:02}-{serial:04}") } else { format!("{d:02}{m:02}{y:02}{serial:04}") };
        let text = format!("{before} {s}. tak");
        let hits = find_cprs(&text);
        prop_assert_eq!(hits.len(), 1);
        prop_assert_eq!(hits[0].start, before.len() + 1);
        prop_assert_eq!(&text[hits[0].start..hits[0].end], s.as_str());
    }
}

#[test]
fn placeholder_is_visible() {
    assert!(!forbidden(PLACEHOLDER));
}

// ---- the compiled lexicon against a plain reading of the term syntax ----

/// Words as the detector defines them, the slow way: (start, end, folded).
fn reference_words(text: &str) -> Vec<(usize, usize, String)> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut out = Vec::new();
    let mut k = 0;
    while k < chars.len() {
        if !chars[k].1.is_alphanumeric() {
            k += 1;
            continue;
        }
        let start = k;
        while k < chars.len()
            && (chars[k].1.is_alphanumeric()
                || (chars[k].1 == '-'
                    && k > start
                    && chars[k - 1].1.is_alphanumeric()
                    && chars.get(k + 1).is_some_and(|c| c.1.is_alphanumeric())))
        {
            k += 1;
        }
        let (s, e) = (chars[start].0, chars.get(k).map_or(text.len(), |c| c.0));
        let folded = text[s..e]
            .chars()
            .flat_map(char::to_lowercase)
            .map(|c| if c == 'ς' { 'σ' } else { c })
            .collect();
        out.push((s, e, folded));
    }
    out
}

fn reference_hits(
    terms: &[(String, usize)],
    suffixes: &[&str],
    text: &str,
) -> Vec<(usize, usize, usize)> {
    let mut hits = Vec::new();
    for (s, e, w) in reference_words(text) {
        for (t, cat) in terms {
            let core = t.trim_matches('*');
            let with_suffix = |stem: &str| suffixes.iter().any(|x| w == format!("{stem}{x}"));
            let ends_with_suffixed = suffixes.iter().any(|x| w.ends_with(&format!("{core}{x}")));
            let hit = match (t.starts_with('*'), t.ends_with('*')) {
                (false, false) => w == core || with_suffix(core),
                (false, true) => w.starts_with(core),
                (true, false) => w.ends_with(core) || ends_with_suffixed,
                (true, true) => w.contains(core),
            };
            if hit {
                hits.push((*cat, s, e));
            }
        }
    }
    hits.sort();
    hits.dedup();
    hits
}

fn small_term() -> impl Strategy<Value = String> {
    ("[abæÆ]{1,3}", 0..4usize).prop_map(|(core, form)| match form {
        0 => core,
        1 => format!("{core}*"),
        2 => format!("*{core}"),
        _ => format!("*{core}*"),
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn compiled_lexicon_matches_the_plain_reading(
        terms in prop::collection::vec((small_term(), 0..DataCategory::ALL.len()), 1..8),
        text in "[abæÆAB -.,1]{0,40}",
    ) {
        let suffixes = ["a", "bæ"];
        let lexicon: Vec<LexiconEntry> = terms
            .iter()
            .map(|(t, cat)| LexiconEntry {
                category: Spanned::new(0..0, DataCategory::ALL[*cat]),
                confidence: 0.5,
                terms: vec![t.clone()],
            })
            .collect();
        let rules = DetectionRules { suffixes: suffixes.map(String::from).to_vec() };
        let d = Detector::new(&rules, &lexicon);
        let mut got: Vec<(usize, usize, usize)> = d
            .detect(&text)
            .into_iter()
            .flat_map(|s| {
                let cat = DataCategory::ALL.iter().position(|c| *c == s.category).unwrap();
                s.spans.into_iter().map(move |(a, b)| (cat, a as usize, b as usize))
            })
            .collect();
        got.sort();
        let folded: Vec<(String, usize)> = terms.iter().map(|(t, c)| (t.to_lowercase(), *c)).collect();
        prop_assert_eq!(got, reference_hits(&folded, &suffixes, &text));
    }
}
