//! The text analysers of the full-text index: words, case and accent folding, Danish spellings, stemming.
//!
//! Both sides of a search go through the same analyser, so what matters is that a word and the
//! ways people type it end in the same token. Folding comes before stemming for that reason:
//! "Ødegaard" and "Ødegård" are both `odegard` before the stemmer sees them.

use rustc_hash::FxHashMap;
use std::cell::RefCell;
use tantivy::tokenizer::{TextAnalyzer, Token, TokenStream, Tokenizer};

/// The analyser for Danish text (and for names and notes, whatever the enquiry's language).
pub const DANISH: &str = "triage_da";
/// The analyser for the text of enquiries written in English.
pub const ENGLISH: &str = "triage_en";

/// Longer tokens are dropped: they are base64 blobs or URLs, not words anyone searches for.
const LONGEST_TOKEN: usize = 60;

/// Distinct words remembered per thread and language before the memory starts over.
const MEMO_WORDS: usize = 200_000;

pub fn danish() -> TextAnalyzer {
    TextAnalyzer::from(Words { lang: Lang::Danish })
}

pub fn english() -> TextAnalyzer {
    TextAnalyzer::from(Words {
        lang: Lang::English,
    })
}

/// The tokens `analyzer` makes of `text`, in order (for the query parser and tests).
pub fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut out = Vec::new();
    analyzer
        .token_stream(text)
        .process(&mut |t: &Token| out.push(t.text.clone()));
    out
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Lang {
    Danish,
    English,
}

/// Each word's token once worked out, per thread: folding and stemming were most of the
/// time it took to index an enquiry, and the same few thousand words make up most text.
/// Words with digits (CPR and telephone numbers, dates) are worked out every time: they
/// rarely repeat, and a person's number is not kept in memory longer than its text is.
struct Memo {
    stemmers: [rust_stemmers::Stemmer; 2],
    /// Word as written → its token, or None when it is dropped as too long.
    words: [FxHashMap<Box<str>, Option<Box<str>>>; 2],
    scratch: String,
}

thread_local! {
    static MEMO: RefCell<Memo> = RefCell::new(Memo {
        stemmers: [
            rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::Danish),
            rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::English),
        ],
        words: [FxHashMap::default(), FxHashMap::default()],
        scratch: String::new(),
    });
}

impl Memo {
    /// Writes the token of `word` into `out`; false when the word is dropped.
    fn token(&mut self, lang: Lang, word: &str, out: &mut String) -> bool {
        let l = lang as usize;
        if let Some(known) = self.words[l].get(word) {
            out.clear();
            if let Some(t) = known {
                out.push_str(t);
            }
            return known.is_some();
        }
        self.scratch.clear();
        fold_into(word, &mut self.scratch);
        let token = (self.scratch.len() < LONGEST_TOKEN)
            .then(|| self.stemmers[l].stem(&self.scratch).into_owned());
        out.clear();
        if let Some(t) = &token {
            out.push_str(t);
        }
        let kept = token.is_some();
        if !word.bytes().any(|b| b.is_ascii_digit()) {
            if self.words[l].len() >= MEMO_WORDS {
                self.words[l].clear();
            }
            self.words[l].insert(word.into(), token.map(String::into_boxed_str));
        }
        kept
    }
}

/// Splits text into runs of letters and digits, each lowercased and folded (see `fold`),
/// drops the overlong, and stems the rest. A dropped word still takes its position, so
/// the words either side of it are not next to each other.
#[derive(Clone)]
struct Words {
    lang: Lang,
}

pub struct WordStream<'a> {
    text: &'a str,
    lang: Lang,
    at: usize,
    position: usize,
    token: Token,
}

impl Tokenizer for Words {
    type TokenStream<'a> = WordStream<'a>;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> WordStream<'a> {
        WordStream {
            text,
            lang: self.lang,
            at: 0,
            position: 0,
            token: Token::default(),
        }
    }
}

impl TokenStream for WordStream<'_> {
    fn advance(&mut self) -> bool {
        loop {
            let Some((start, end)) = next_word(self.text, self.at) else {
                self.at = self.text.len();
                return false;
            };
            self.at = end;
            let position = self.position;
            self.position += 1;
            let kept = MEMO.with(|m| {
                m.borrow_mut()
                    .token(self.lang, &self.text[start..end], &mut self.token.text)
            });
            if kept {
                self.token.offset_from = start;
                self.token.offset_to = end;
                self.token.position = position;
                self.token.position_length = 1;
                return true;
            }
        }
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

/// The next run of letters and digits at or after byte `from`, as byte offsets, judged as
/// detection judges them (ASCII and Latin-1 without the Unicode tables).
fn next_word(text: &str, from: usize) -> Option<(usize, usize)> {
    use crate::domain::detect::{char_at, is_word_char};
    // The end of the run from `i` of characters that are (or are not) word characters.
    let run_end = |mut i: usize, word: bool| {
        while i < text.len() {
            let c = char_at(text, i);
            if is_word_char(c) != word {
                break;
            }
            i += c.len_utf8();
        }
        i
    };
    let start = run_end(from, false);
    (start < text.len()).then(|| (start, run_end(start, true)))
}

/// One word lowercased, with accents folded and the Danish letters written as people type
/// them without a Danish keyboard: `ø` and `oe` become `o`, `å` and `aa` become `a`, `æ`
/// becomes `ae`. So "Søren", "Soeren" and "soren" meet, as do "Ødegård" and "Odegaard".
pub fn fold(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    fold_into(word, &mut out);
    out
}

fn fold_into(word: &str, out: &mut String) {
    let mut plain = String::with_capacity(word.len());
    for c in word.chars() {
        for l in c.to_lowercase() {
            match l {
                'æ' | 'ä' => plain.push_str("ae"),
                'ø' | 'ö' | 'ó' | 'ò' | 'ô' | 'õ' | 'ő' => plain.push('o'),
                'å' | 'á' | 'à' | 'â' | 'ã' | 'ā' | 'ą' => plain.push('a'),
                'é' | 'è' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' => plain.push('e'),
                'í' | 'ì' | 'î' | 'ï' | 'ī' | 'ı' => plain.push('i'),
                'ú' | 'ù' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' => plain.push('u'),
                'ý' | 'ÿ' => plain.push('y'),
                'ç' | 'č' | 'ć' => plain.push('c'),
                'ñ' | 'ń' | 'ň' => plain.push('n'),
                'š' | 'ś' | 'ş' => plain.push('s'),
                'ž' | 'ź' | 'ż' => plain.push('z'),
                'ł' => plain.push('l'),
                'ř' => plain.push('r'),
                'ð' | 'ď' => plain.push('d'),
                'ť' => plain.push('t'),
                'ğ' => plain.push('g'),
                'þ' => plain.push_str("th"),
                'ß' => plain.push_str("ss"),
                other => plain.push(other),
            }
        }
    }
    // The digraphs typed for å and ø; done after the letters, so "øe" and "oe" agree too.
    let b = plain.as_bytes();
    let mut i = 0;
    let mut from = 0;
    while i + 1 < b.len() {
        match (b[i], b[i + 1]) {
            (b'a', b'a') | (b'o', b'e') => {
                out.push_str(&plain[from..=i]);
                i += 2;
                from = i;
            }
            _ => i += 1,
        }
    }
    out.push_str(&plain[from..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn da(text: &str) -> Vec<String> {
        tokens(&mut danish(), text)
    }

    fn en(text: &str) -> Vec<String> {
        tokens(&mut english(), text)
    }

    #[test]
    fn danish_stemming_meets_inflected_forms() {
        assert_eq!(da("nattevagter"), da("nattevagt"));
        assert_eq!(da("partshøring"), da("partshøringer"));
        assert_eq!(da("Partshøringen"), da("partshøring"));
        assert_eq!(da("klagerne"), da("klager"));
        assert_ne!(da("nattevagt"), da("dagvagt"));
    }

    #[test]
    fn danish_letters_meet_the_spellings_people_type() {
        assert_eq!(da("Ødegaard"), da("Ødegård"));
        assert_eq!(da("Odegaard"), da("ødegård"));
        assert_eq!(da("soren"), da("Søren"));
        assert_eq!(da("Soeren"), da("SØREN"));
        assert_eq!(da("Jaeger"), da("Jæger"));
        assert_eq!(da("Aarhus"), da("Århus"));
        assert_eq!(da("Moeller"), da("Møller"));
        assert_ne!(da("Møller"), da("Mæller"));
    }

    #[test]
    fn accents_and_case_fold() {
        assert_eq!(da("café"), da("CAFE"));
        assert_eq!(da("Müller"), da("muller"));
        assert_eq!(en("Zoë"), en("zoe"));
    }

    #[test]
    fn english_stemming_for_english_text() {
        assert_eq!(en("transplants"), en("transplant"));
        assert_eq!(en("applications"), en("application"));
        assert_eq!(en("running"), en("run"));
        assert_eq!(en("Søren"), en("soren"));
    }

    #[test]
    fn words_split_on_everything_but_letters_and_digits() {
        assert_eq!(da("e-mail: 010203-1234!").len(), 4);
        assert_eq!(da("  ").len(), 0);
        let mut a = danish();
        let mut stream = a.token_stream("Hej Søren");
        assert!(stream.advance());
        assert!(stream.advance());
        let t = stream.token();
        assert_eq!(&"Hej Søren"[t.offset_from..t.offset_to], "Søren");
        assert_eq!(t.position, 1);
    }

    #[test]
    fn a_remembered_word_makes_the_token_it_made_the_first_time() {
        let text = "Søren skriver om sine nattevagter og partshøringer, 010203-1234, Søren";
        let direct: Vec<String> = text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(|w| {
                let folded = fold(w);
                let stemmer = rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::Danish);
                stemmer.stem(&folded).into_owned()
            })
            .collect();
        assert_eq!(da(text), direct);
        assert_eq!(da(text), direct, "the second time, from memory");
        // The memory is per language: the English stem of the same word differs.
        assert_eq!(en("running"), ["run"]);
        assert_eq!(da("running"), da("running"));
        assert_ne!(da("running"), en("running"));
    }

    #[test]
    fn an_overlong_word_is_dropped_but_keeps_its_place() {
        let long = "x".repeat(LONGEST_TOKEN);
        for _ in 0..2 {
            let mut a = danish();
            let mut positions = Vec::new();
            a.token_stream(&format!("før {long} efter"))
                .process(&mut |t: &Token| positions.push((t.text.clone(), t.position)));
            let words: Vec<(String, usize)> = da("før efter").into_iter().zip([0, 2]).collect();
            assert_eq!(positions, words);
        }
        let just = "y".repeat(LONGEST_TOKEN - 1);
        assert_eq!(da(&just).len(), 1);
    }

    #[test]
    fn words_are_found_as_the_standard_library_judges_letters() {
        let text = "Åse-Marie: 12 æbler, naïve café… Ωmega ١٢٣ x\u{200B}y end";
        let mut want = Vec::new();
        let mut at = 0;
        for w in text.split(|c: char| !c.is_alphanumeric()) {
            let start = text[at..].find(w).map(|i| at + i).unwrap_or(at);
            if !w.is_empty() {
                want.push((start, start + w.len()));
            }
            at = start + w.len();
        }
        let mut got = Vec::new();
        let mut from = 0;
        while let Some((a, b)) = next_word(text, from) {
            got.push((a, b));
            from = b;
        }
        assert_eq!(got, want);
        assert_eq!(next_word("  ,. ", 0), None);
    }

    #[test]
    fn fold_writes_the_typed_spelling() {
        assert_eq!(fold("Ødegård"), "odegard");
        assert_eq!(fold("Ødegaard"), "odegard");
        assert_eq!(fold("Søren"), "soren");
        assert_eq!(fold("Æble"), "aeble");
    }
}
