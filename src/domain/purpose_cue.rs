//! Which purpose (and right) an enquiry's own words suggest, so a request for access has its
//! clock from the day it arrived, not from the day someone set its purpose by hand.
//!
//! The cues are the policy's (`[[purpose_cues]]`): whole words or phrases, matched without
//! regard to case in the subject first, then in the text; the earliest match wins, and at
//! the same place the longer cue ("anmodning om aktindsigt" before "anmodning").

use super::enquiry::{Enquiry, RightKind};
use super::policy::Policy;
use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PurposeCue {
    pub purpose: toml::Spanned<String>,
    /// For data-subject-rights: the right the words invoke.
    #[serde(default)]
    pub right: Option<RightKind>,
    pub terms: Vec<String>,
}

/// Lower-cased words of a text, letters and digits only.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// The first place (word index) where `cue` stands as whole words in `hay`.
fn find(hay: &[String], cue: &[String]) -> Option<usize> {
    if cue.is_empty() || cue.len() > hay.len() {
        return None;
    }
    (0..=hay.len() - cue.len()).find(|&i| hay[i..i + cue.len()] == *cue)
}

/// The purpose (and right) the subject, else the text, suggests; None when no cue stands
/// in either.
pub fn suggest(policy: &Policy, e: &Enquiry) -> Option<(String, Option<RightKind>)> {
    let cues: Vec<(&PurposeCue, Vec<String>)> = policy
        .purpose_cues
        .iter()
        .flat_map(|c| c.terms.iter().map(move |t| (c, words(t))))
        .collect();
    for text in [&e.subject, &e.body] {
        let hay = words(text);
        let best = cues
            .iter()
            .filter_map(|(c, cue)| find(&hay, cue).map(|at| (at, std::cmp::Reverse(cue.len()), *c)))
            .min_by_key(|(at, len, _)| (*at, *len));
        if let Some((_, _, c)) = best {
            return Some((c.purpose.get_ref().clone(), c.right));
        }
    }
    None
}

/// Gives an enquiry that arrived without a purpose the one its words suggest (kept as a
/// suggestion: the case's own purpose stays unset until staff confirm one).
pub fn fill(policy: &Policy, e: &mut Enquiry) {
    if e.purpose.is_some() {
        return;
    }
    if let Some((purpose, right)) = suggest(policy, e) {
        e.purpose = Some(purpose);
        if e.right.is_none() {
            e.right = right;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::fixtures;

    /// The demo authority's policy, whose cues these tests read.
    fn demo_policy() -> Policy {
        Policy::from_toml(include_str!("../../demo-data/policy.toml"), "demo").unwrap()
    }

    fn suggested(subject: &str, body: &str) -> Option<(String, Option<RightKind>)> {
        let mut e = fixtures::enquiry("2026-11-23T09:00:00+01:00", body);
        e.subject = subject.into();
        suggest(&demo_policy(), &e)
    }

    #[test]
    fn the_subject_names_the_purpose_and_the_right() {
        assert_eq!(
            suggested("Anmodning om indsigt", "Hej"),
            Some(("data-subject-rights".into(), Some(RightKind::Access)))
        );
        // "aktindsigt" is a word of its own: not an access request under the GDPR.
        assert_eq!(
            suggested("Anmodning om aktindsigt i sag 2024-118", ""),
            Some(("access-to-documents".into(), None))
        );
        assert_eq!(
            suggested("Request for access to documents", ""),
            Some(("access-to-documents".into(), None))
        );
        assert_eq!(
            suggested("Klage over afgørelse", ""),
            Some(("complaints".into(), None))
        );
        assert_eq!(
            suggested("Please delete my personal data", ""),
            Some(("data-subject-rights".into(), Some(RightKind::Erasure)))
        );
    }

    #[test]
    fn the_text_speaks_when_the_subject_does_not_and_nothing_is_guessed() {
        assert_eq!(
            suggested("Spørgsmål", "Jeg vil gerne have aktindsigt i min sag."),
            Some(("access-to-documents".into(), None))
        );
        assert_eq!(suggested("Tak for hjælpen", "Venlig hilsen"), None);
        // Part of a word is no cue.
        assert_eq!(suggested("Klagevejledning", ""), None);
    }

    #[test]
    fn a_purpose_already_given_is_kept() {
        let policy = demo_policy();
        let mut e = fixtures::enquiry("2026-11-23T09:00:00+01:00", "");
        e.subject = "Klage".into();
        e.purpose = Some("press".into());
        fill(&policy, &mut e);
        assert_eq!(e.purpose.as_deref(), Some("press"));
        e.purpose = None;
        fill(&policy, &mut e);
        assert_eq!(e.purpose.as_deref(), Some("complaints"));
    }
}
