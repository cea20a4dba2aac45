//! Adjacent word pairs as single terms, so a two-word phrase is one term lookup, not a positional check of every case holding both words.
//!
//! A phrase of common words ("min familie") is held by a large share of a million cases; a
//! phrase query reads the positions of every case holding both words before it can rank
//! any, which grows with the store. The pair "min famili" as one term is ranked like any
//! word, skipping blocks that cannot reach the top.

use tantivy::tokenizer::{BoxTokenStream, TextAnalyzer, Token, TokenStream, Tokenizer};

/// The analyser for the pairs of Danish text.
pub const DANISH_PAIRS: &str = "triage_da_pairs";
/// The analyser for the pairs of English text.
pub const ENGLISH_PAIRS: &str = "triage_en_pairs";

/// Joins the two analysed words of a pair: a space never survives the analyser in a word.
pub fn pair(first: &str, second: &str) -> String {
    format!("{first} {second}")
}

/// Each pair of words next to each other that `inner` makes of a text, as one token.
#[derive(Clone)]
pub struct Pairs {
    inner: TextAnalyzer,
}

impl Pairs {
    pub fn analyzer(inner: TextAnalyzer) -> TextAnalyzer {
        TextAnalyzer::from(Pairs { inner })
    }
}

/// Pairs as the words come: only the word before is kept, not the whole text's.
pub struct PairStream<'a> {
    words: BoxTokenStream<'a>,
    /// The word before (its text, start and position), once there is one.
    before: Option<(String, usize, usize)>,
    token: Token,
}

impl Tokenizer for Pairs {
    type TokenStream<'a> = PairStream<'a>;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> PairStream<'a> {
        PairStream {
            words: self.inner.token_stream(text),
            before: None,
            token: Token::default(),
        }
    }
}

impl TokenStream for PairStream<'_> {
    fn advance(&mut self) -> bool {
        while self.words.advance() {
            let b = self.words.token();
            let adjacent = match &self.before {
                // Only words next to each other (a dropped overlong token leaves a gap).
                Some((a, from, position)) if b.position == position + 1 => {
                    self.token.text.clear();
                    self.token.text.push_str(a);
                    self.token.text.push(' ');
                    self.token.text.push_str(&b.text);
                    self.token.offset_from = *from;
                    self.token.offset_to = b.offset_to;
                    self.token.position = *position;
                    self.token.position_length = 1;
                    true
                }
                _ => false,
            };
            let (text, from, position) = self.before.get_or_insert_with(Default::default);
            text.clear();
            text.push_str(&b.text);
            *from = b.offset_from;
            *position = b.position;
            if adjacent {
                return true;
            }
        }
        false
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::analyzer;

    #[test]
    fn pairs_are_the_analysed_words_side_by_side() {
        let mut a = Pairs::analyzer(analyzer::danish());
        let got = analyzer::tokens(&mut a, "Min familie og jeg");
        let words = analyzer::tokens(&mut analyzer::danish(), "Min familie og jeg");
        assert_eq!(got.len(), 3);
        assert_eq!(got[0], pair(&words[0], &words[1]));
        assert_eq!(got[2], pair(&words[2], &words[3]));
        assert!(analyzer::tokens(&mut a, "ene").is_empty());
    }

    #[test]
    fn a_dropped_word_breaks_the_pair() {
        let long = "x".repeat(200);
        let mut a = Pairs::analyzer(analyzer::danish());
        assert!(analyzer::tokens(&mut a, &format!("min {long} familie")).is_empty());
    }
}
