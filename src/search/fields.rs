//! The index's fields and the document a case becomes: Danish and English text apart,
//! each text field beside the field of its word pairs.

use super::query::Scope;
use super::{analyzer, pairs};
use crate::domain::case::Case;
use crate::domain::enquiry::{Language, Reference};
use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, INDEXED, STORED,
};
use tantivy::TantivyDocument;

/// The index's fields. Danish text and English text sit in fields of their own, each with its
/// analyser; names and notes are always analysed as Danish.
#[derive(Clone, Copy)]
pub(super) struct Fields {
    pub(super) reference: Field,
    pub(super) subject: Field,
    pub(super) body: Field,
    pub(super) attachment: Field,
    pub(super) from: Field,
    pub(super) note: Field,
    pub(super) subject_en: Field,
    pub(super) body_en: Field,
    pub(super) attachment_en: Field,
    /// Each text field beside the field of its adjacent word pairs (see `pairs`).
    pub(super) pairs: [(Field, Field); 8],
}

impl Fields {
    pub(super) fn schema() -> (Schema, Fields) {
        let mut b = Schema::builder();
        let text = |name: &str| {
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(name)
                    .set_index_option(IndexRecordOption::WithFreqsAndPositions),
            )
        };
        let da = text(analyzer::DANISH);
        let en = text(analyzer::ENGLISH);
        let mut fields = Fields {
            reference: b.add_u64_field("reference", INDEXED | STORED),
            subject: b.add_text_field("subject", da.clone()),
            body: b.add_text_field("body", da.clone()),
            attachment: b.add_text_field("attachment", da.clone()),
            from: b.add_text_field("from", da.clone()),
            note: b.add_text_field("note", da),
            subject_en: b.add_text_field("subject_en", en.clone()),
            body_en: b.add_text_field("body_en", en.clone()),
            attachment_en: b.add_text_field("attachment_en", en),
            pairs: [(Field::from_field_id(0), Field::from_field_id(0)); 8],
        };
        // Pairs need no positions: a two-word phrase is one pair, matched as a word is.
        let pairs_of = |name: &str| {
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(name)
                    .set_index_option(IndexRecordOption::WithFreqs),
            )
        };
        let plain = fields.of(Scope::Everywhere);
        let names = [
            "subject",
            "body",
            "attachment",
            "from",
            "note",
            "subject_en",
            "body_en",
            "attachment_en",
        ];
        for ((slot, f), name) in fields.pairs.iter_mut().zip(plain).zip(names) {
            let tokenizer = if name.ends_with("_en") {
                pairs::ENGLISH_PAIRS
            } else {
                pairs::DANISH_PAIRS
            };
            *slot = (
                f,
                b.add_text_field(&format!("{name}_pairs"), pairs_of(tokenizer)),
            );
        }
        (b.build(), fields)
    }

    /// The field of word pairs beside text field `f`.
    pub(super) fn pairs_of(&self, f: Field) -> Field {
        self.pairs
            .iter()
            .find(|(plain, _)| *plain == f)
            .map(|(_, p)| *p)
            .expect("a pair field for every text field")
    }

    pub(super) fn of(&self, scope: Scope) -> Vec<Field> {
        match scope {
            Scope::Everywhere => vec![
                self.subject,
                self.body,
                self.attachment,
                self.from,
                self.note,
                self.subject_en,
                self.body_en,
                self.attachment_en,
            ],
            Scope::Subject => vec![self.subject, self.subject_en],
            Scope::Body => vec![self.body, self.body_en],
            Scope::From => vec![self.from],
            Scope::Note => vec![self.note],
            Scope::Attachment => vec![self.attachment, self.attachment_en],
        }
    }

    pub(super) fn is_english(&self, f: Field) -> bool {
        f == self.subject_en || f == self.body_en || f == self.attachment_en
    }

    pub(super) fn document(&self, case: &Case) -> TantivyDocument {
        let e = &case.enquiry;
        let (subject, body, attachment) = match e.language {
            Language::En => (self.subject_en, self.body_en, self.attachment_en),
            Language::Da => (self.subject, self.body, self.attachment),
        };
        let mut d = TantivyDocument::new();
        d.add_u64(self.reference, key(case.reference));
        let mut add = |f: Field, text: &str| {
            d.add_text(f, text);
            d.add_text(self.pairs_of(f), text);
        };
        add(subject, &e.subject);
        add(body, &e.body);
        for a in &e.attachments {
            add(attachment, a);
        }
        add(self.from, &e.sender.name);
        if let Some(mail) = &e.sender.email {
            add(self.from, mail);
        }
        for n in &case.notes {
            add(self.note, &n.text);
        }
        d
    }
}

pub(super) fn key(r: Reference) -> u64 {
    (u64::from(r.year) << 32) | u64::from(r.seq)
}

pub(super) fn reference_of(k: u64) -> Reference {
    Reference::new((k >> 32) as u16, k as u32)
}
