//! Snippets of a hit: the words around the match, cut from the case's text with CPR numbers masked.

use super::fields::Fields;
use super::Hit;
use crate::domain::case::Case;
use crate::domain::cpr::mask_cprs;
use crate::domain::enquiry::Language;
use crate::domain::sanitize::sanitize_line;
use crate::store::StoreError;
use tantivy::query::Query;
use tantivy::snippet::SnippetGenerator;
use tantivy::Searcher;

/// Characters in a snippet.
const SNIPPET_CHARS: usize = 150;

/// One generator per field, for one query.
pub(super) struct Snippets {
    fields: Fields,
    generators: Vec<(tantivy::schema::Field, SnippetGenerator)>,
}

/// Text as a snippet may show it: CPR numbers masked, on one line, nothing a terminal would
/// act on. Masking comes first, so no serial number can be highlighted or cut in half.
fn shown(text: &str) -> String {
    let one_line: String = mask_cprs(text)
        .chars()
        .map(|c| {
            if matches!(c, '\n' | '\r' | '\t') {
                ' '
            } else {
                c
            }
        })
        .collect();
    sanitize_line(&one_line).into_owned()
}

impl Snippets {
    pub(super) fn new(
        searcher: &Searcher,
        query: &dyn Query,
        fields: &Fields,
    ) -> Result<Snippets, StoreError> {
        let mut generators = Vec::new();
        for f in fields.of(super::query::Scope::Everywhere) {
            let mut g = SnippetGenerator::create(searcher, query, f)
                .map_err(|e| StoreError::Search(format!("a snippet: {e}")))?;
            g.set_max_num_chars(SNIPPET_CHARS);
            generators.push((f, g));
        }
        Ok(Snippets {
            fields: *fields,
            generators,
        })
    }

    fn generator(&self, f: tantivy::schema::Field) -> &SnippetGenerator {
        &self
            .generators
            .iter()
            .find(|(g, _)| *g == f)
            .expect("a generator per field")
            .1
    }

    /// The hit for `case`: the first of body, subject, notes, attachments and sender that
    /// holds a match gives the snippet; else the start of the body.
    pub(super) fn hit(&self, case: &Case, score: f32) -> Hit {
        let f = &self.fields;
        let e = &case.enquiry;
        let (subject, body, attachment) = match e.language {
            Language::En => (f.subject_en, f.body_en, f.attachment_en),
            Language::Da => (f.subject, f.body, f.attachment),
        };
        let notes: Vec<&str> = case.notes.iter().map(|n| n.text.as_str()).collect();
        let sender = match &e.sender.email {
            Some(m) => format!("{} {m}", e.sender.name),
            None => e.sender.name.clone(),
        };
        let places = [
            (body, e.body.clone()),
            (subject, e.subject.clone()),
            (f.note, notes.join(" · ")),
            (attachment, e.attachments.join(", ")),
            (f.from, sender),
        ];
        for (field, text) in places {
            let text = shown(&text);
            let s = self.generator(field).snippet(&text);
            if !s.highlighted().is_empty() {
                let fragment = s.fragment();
                let chars = |byte: usize| fragment[..byte].chars().count() as u32;
                return Hit {
                    reference: case.reference,
                    score,
                    snippet: fragment.to_string(),
                    highlights: s
                        .highlighted()
                        .iter()
                        .map(|r| (chars(r.start), chars(r.end)))
                        .collect(),
                };
            }
        }
        Hit {
            reference: case.reference,
            score,
            snippet: shown(&e.body).chars().take(SNIPPET_CHARS).collect(),
            highlights: Vec::new(),
        }
    }
}
