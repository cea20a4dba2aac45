//! Suggests the data categories an enquiry holds, from lexicon terms and CPR numbers, with their spans.

use super::case::Suggestion;
use super::category::DataCategory;
use super::enquiry::Enquiry;
use super::policy::{DetectionRules, LexiconEntry, Policy};

pub use super::cpr::{find_cprs, mask_cpr, parse_cpr, CprHit};

// ---------------------------------------------------------------------------
// Words and case folding

/// A word is a maximal run of alphanumeric characters; a single `-` between two such runs
/// joins them into one word (`dna-test`, `hiv-smittet`).
struct Words<'a> {
    text: &'a str,
    pos: usize,
}

/// The char starting at byte `i` (not past the end), decoded without the iterator machinery for
/// ASCII.
#[inline]
pub(crate) fn char_at(text: &str, i: usize) -> char {
    let b = text.as_bytes()[i];
    if b < 0x80 {
        b as char
    } else {
        text[i..]
            .chars()
            .next()
            .unwrap_or(char::REPLACEMENT_CHARACTER)
    }
}

#[inline]
pub(crate) fn is_word_char(c: char) -> bool {
    match c {
        '\0'..='\x7f' => c.is_ascii_alphanumeric(),
        // Latin-1 letters (æ, ø, å, é, ü ...) without the Unicode table lookup.
        'À'..='Ö' | 'Ø'..='ö' | 'ø'..='ÿ' => true,
        _ => c.is_alphanumeric(),
    }
}

/// Full Unicode lower-casing of one char, appended as UTF-8: the same for lexicon terms and
/// text, so `Æ`, `Ø` and `Å` fold like any other letter. Final sigma folds to sigma so a Greek
/// word matches wherever it stands.
#[inline]
fn push_folded(c: char, out: &mut Vec<u8>) {
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase() as u8);
    } else if matches!(c, 'À'..='Ö' | 'Ø'..='Þ') {
        // Latin-1 capitals (Æ, Ø, Å ...) lie 0x20 below their small letters.
        let l = char::from_u32(c as u32 + 0x20).unwrap_or(c);
        out.extend_from_slice(l.encode_utf8(&mut [0; 4]).as_bytes());
    } else if matches!(c, 'ß'..='ÿ') {
        // Already small (æ, ø, å ...): no table lookup.
        out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
    } else {
        for l in c.to_lowercase() {
            let l = if l == 'ς' { 'σ' } else { l };
            out.extend_from_slice(l.encode_utf8(&mut [0; 4]).as_bytes());
        }
    }
}

fn fold(s: &str) -> String {
    let mut out = Vec::with_capacity(s.len());
    s.chars().for_each(|c| push_folded(c, &mut out));
    // Only whole chars were pushed, so this cannot fail; an empty term matches nothing.
    String::from_utf8(out).unwrap_or_default()
}

impl Words<'_> {
    /// The next word's byte span, with its folded form left in `folded`: one pass does both,
    /// which is where the detector spends its time.
    fn next_folded(&mut self, folded: &mut Vec<u8>) -> Option<(usize, usize)> {
        let text = self.text;
        let b = text.as_bytes();
        let len = b.len();
        let mut i = self.pos;
        folded.clear();
        loop {
            if i >= len {
                self.pos = len;
                return None;
            }
            let x = b[i];
            if x < 0x80 {
                if x.is_ascii_alphanumeric() {
                    break;
                }
                i += 1;
            } else {
                let c = char_at(text, i);
                if is_word_char(c) {
                    break;
                }
                i += c.len_utf8();
            }
        }
        let start = i;
        loop {
            while i < len {
                let x = b[i];
                if x < 0x80 {
                    let run = b[i..]
                        .iter()
                        .take_while(|x| x.is_ascii_alphanumeric())
                        .count();
                    if run == 0 {
                        break;
                    }
                    folded.extend(b[i..i + run].iter().map(u8::to_ascii_lowercase));
                    i += run;
                } else {
                    let c = char_at(text, i);
                    if !is_word_char(c) {
                        break;
                    }
                    push_folded(c, folded);
                    i += c.len_utf8();
                }
            }
            if i + 1 < len && b[i] == b'-' && is_word_char(char_at(text, i + 1)) {
                folded.push(b'-');
                i += 1;
                continue;
            }
            break;
        }
        self.pos = i;
        Some((start, i))
    }
}

impl Iterator for Words<'_> {
    /// Byte span of the next word.
    type Item = (usize, usize);

    fn next(&mut self) -> Option<(usize, usize)> {
        let mut scratch = Vec::new();
        self.next_folded(&mut scratch)
    }
}

// ---------------------------------------------------------------------------
// The compiled lexicon

/// What a trie node (or an infix) says when a word reaches it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mark {
    /// A single-word term: index into `Detector::terms`.
    Term(u32),
    /// The first word of a phrase: index into `Detector::phrases`.
    Phrase(u32),
}

#[derive(Debug, Clone, Default)]
struct Node {
    /// Sorted by byte.
    edges: Vec<(u8, u32)>,
    /// Hit when the word ends exactly at this node.
    whole: Vec<Mark>,
    /// Hit by every word whose walk reaches this node: a word head in the forward trie, a word
    /// tail in the reverse one.
    part: Vec<Mark>,
}

/// A byte trie over folded words while the lexicon is compiled.
#[derive(Debug, Clone)]
struct TrieBuilder {
    nodes: Vec<Node>,
}

impl TrieBuilder {
    fn new() -> TrieBuilder {
        TrieBuilder {
            nodes: vec![Node::default()],
        }
    }

    fn node_for(&mut self, key: impl Iterator<Item = u8>) -> &mut Node {
        let mut at = 0usize;
        for b in key {
            at = match self.nodes[at].edges.binary_search_by_key(&b, |e| e.0) {
                Ok(k) => self.nodes[at].edges[k].1 as usize,
                Err(k) => {
                    let next = self.nodes.len();
                    self.nodes.push(Node::default());
                    self.nodes[at].edges.insert(k, (b, next as u32));
                    next
                }
            };
        }
        &mut self.nodes[at]
    }

    /// The same trie as a double array: a step is one load and one compare, with no search
    /// among a node's children (a search there was most of the detector's time).
    fn freeze(self) -> Trie {
        let empty = Slot {
            base: 0,
            check: EMPTY,
            whole: 0,
            part: 0,
        };
        let mut t = Trie {
            slots: vec![empty; 512],
            ranges: vec![(0, 0)],
            marks: Vec::new(),
        };
        // The root is slot 0; its own `check` is never read.
        t.slots[0].check = 0;
        let mut slot_of = vec![0usize; self.nodes.len()];
        let mut queue = std::collections::VecDeque::from([0usize]);
        let mut first_free: usize = 1;
        while let Some(n) = queue.pop_front() {
            let node = &self.nodes[n];
            let s = slot_of[n];
            t.slots[s].whole = t.range_of(&node.whole);
            t.slots[s].part = t.range_of(&node.part);
            let Some(&(lowest, _)) = node.edges.first() else {
                continue;
            };
            let mut base = first_free.saturating_sub(usize::from(lowest)).max(1);
            loop {
                if t.slots.len() < base + 256 {
                    t.slots.resize(base + 256, empty);
                }
                if node
                    .edges
                    .iter()
                    .all(|&(b, _)| t.slots[base + usize::from(b)].check == EMPTY)
                {
                    break;
                }
                base += 1;
            }
            t.slots[s].base = base as u32;
            for &(b, child) in &node.edges {
                let c = base + usize::from(b);
                t.slots[c].check = s as u32;
                slot_of[child as usize] = c;
                queue.push_back(child as usize);
            }
            while first_free < t.slots.len() && t.slots[first_free].check != EMPTY {
                first_free += 1;
            }
        }
        t
    }
}

/// `check` of a slot no node occupies.
const EMPTY: u32 = u32::MAX;

/// One cell of the double array: node `s` has a child for byte `b` at slot `base(s) + b` when
/// that slot's `check` is `s`.
#[derive(Debug, Clone, Copy)]
struct Slot {
    base: u32,
    check: u32,
    /// Indexes into `Trie::ranges`; 0 for none.
    whole: u32,
    part: u32,
}

/// A byte trie over folded words: one walk per word finds every term it matches, however large
/// the lexicon.
#[derive(Debug, Clone)]
struct Trie {
    slots: Vec<Slot>,
    /// Ranges of `marks`; entry 0 is the empty range.
    ranges: Vec<(u32, u32)>,
    marks: Vec<Mark>,
}

impl Trie {
    fn range_of(&mut self, marks: &[Mark]) -> u32 {
        if marks.is_empty() {
            return 0;
        }
        let start = self.marks.len() as u32;
        self.marks.extend_from_slice(marks);
        self.ranges.push((start, self.marks.len() as u32));
        (self.ranges.len() - 1) as u32
    }

    #[inline]
    fn marks(&self, range: u32, out: &mut Vec<Mark>) {
        if range != 0 {
            let (a, b) = self.ranges[range as usize];
            out.extend_from_slice(&self.marks[a as usize..b as usize]);
        }
    }

    /// Collects the marks a key reaches: `part` marks along the way, `whole` marks at its end.
    #[inline]
    fn walk(&self, key: impl Iterator<Item = u8>, out: &mut Vec<Mark>) {
        let mut s = 0usize;
        for b in key {
            let c = self.slots[s].base as usize + usize::from(b);
            match self.slots.get(c) {
                Some(slot) if slot.check == s as u32 && c != 0 => {
                    s = c;
                    self.marks(slot.part, out);
                }
                _ => return,
            }
        }
        self.marks(self.slots[s].whole, out);
    }
}

fn add_mark(marks: &mut Vec<Mark>, m: Mark) {
    if !marks.contains(&m) {
        marks.push(m);
    }
}

/// What one lexicon term contributes when it hits.
#[derive(Debug, Clone, Copy)]
struct TermInfo {
    category: DataCategory,
    confidence: f32,
}

/// How the text between two words of a phrase must look.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Gap {
    /// The term had whitespace here: any run of whitespace, line breaks included.
    Space,
    /// The term had other non-word characters here (`bahá'í`): exactly these.
    Literal(String),
}

/// A term of several words, matched over consecutive words of the text.
#[derive(Debug, Clone)]
struct Phrase {
    term: u32,
    /// Folded words; gaps[k] lies between words[k] and words[k + 1].
    words: Vec<Vec<u8>>,
    gaps: Vec<Gap>,
    /// The term ended in `*`: the last word need only start with its word.
    open_end: bool,
}

/// Extra confidence for each further distinct hit (another word or phrase) in a category, and
/// how many such hits count.
const DISTINCT_HIT_BONUS: f32 = 0.05;
const MAX_BONUS_HITS: usize = 3;
/// The bonus never lifts a suggestion above this; only a lexicon entry may say more.
const BONUS_CAP: f32 = 0.99;
/// A sender field the enquiry carries is a fact, not a guess; staff still confirm.
const SENDER_FIELD: f32 = 0.99;
/// A sender CPR field that does not parse is still most likely someone's CPR number.
const SENDER_CPR_UNPARSED: f32 = 0.8;

/// Keys of hits that are not words: every CPR number in the text counts as one piece of
/// evidence, the sender's fields as another. Word keys are hashes and will not meet these.
const KEY_CPR_NUMBER: u64 = u64::MAX;
const KEY_SENDER_FIELD: u64 = u64::MAX - 1;

/// Identifies what a hit matched, folded: the same word matched by two terms (`sygdom*` and
/// `*sygdom` on `sygdom`) or written twice is one distinct hit, not two (FNV-1a).
fn hit_key(folded: &[u8]) -> u64 {
    folded.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    }) & (u64::MAX >> 1)
}

/// A compiled lexicon, built once from the policy and reused for every enquiry.
///
/// Term syntax (folded to lower case with full Unicode case mapping; a word is a maximal run of
/// alphanumeric characters, a single `-` between two runs joining them):
/// - `term`: the word is term, or term + one of the policy's suffixes;
/// - `term*`: the word starts with term;
/// - `*term`: the word ends with term, or with term + one suffix;
/// - `*term*`: the word contains term;
/// - `several words`: consecutive words separated by whitespace only; every word but the last
///   must be exactly its word, the last is matched as a plain term, or as `term*` when the
///   phrase ends in `*`, and a leading `*` lets the first word be a compound tail. Non-space
///   punctuation inside a term (`bahá'í`) must appear as written.
///
/// Suffixes holding a character that cannot occur inside a word (the `'s` of `Muslim's`) are
/// ignored: the apostrophe ends the word, so the stem matches on its own.
#[derive(Debug, Clone)]
pub struct Detector {
    suffixes: Vec<String>,
    terms: Vec<TermInfo>,
    phrases: Vec<Phrase>,
    /// Plain terms with their suffixed forms (`whole`), and `term*` heads (`part`).
    heads: Trie,
    /// `*term` tails, reversed, with their suffixed forms (`part`).
    tails: Trie,
    /// `*term*`: rare, so a list scanned per word.
    infixes: Vec<(Vec<u8>, Mark)>,
}

/// The lexicon while it is compiled.
struct Compiler {
    suffixes: Vec<String>,
    terms: Vec<TermInfo>,
    phrases: Vec<Phrase>,
    heads: TrieBuilder,
    tails: TrieBuilder,
    infixes: Vec<(Vec<u8>, Mark)>,
}

impl Compiler {
    fn add_word_term(&mut self, word: &str, open_start: bool, open_end: bool, mark: Mark) {
        match (open_start, open_end) {
            (false, false) => {
                add_mark(&mut self.heads.node_for(word.bytes()).whole, mark);
                for s in &self.suffixes {
                    let form = word.bytes().chain(s.bytes());
                    add_mark(&mut self.heads.node_for(form).whole, mark);
                }
            }
            (false, true) => add_mark(&mut self.heads.node_for(word.bytes()).part, mark),
            (true, false) => {
                add_mark(&mut self.tails.node_for(word.bytes().rev()).part, mark);
                for s in &self.suffixes {
                    let form = word.bytes().chain(s.bytes()).rev();
                    add_mark(&mut self.tails.node_for(form).part, mark);
                }
            }
            (true, true) => self.infixes.push((word.as_bytes().to_vec(), mark)),
        }
    }

    fn add_phrase(
        &mut self,
        core: &str,
        words: &[(usize, usize)],
        open_start: bool,
        open_end: bool,
        term: u32,
    ) {
        let gaps = words
            .windows(2)
            .map(|w| {
                let gap = &core[w[0].1..w[1].0];
                if gap.chars().all(char::is_whitespace) {
                    Gap::Space
                } else {
                    Gap::Literal(gap.to_string())
                }
            })
            .collect();
        let first = &core[words[0].0..words[0].1];
        let mark = Mark::Phrase(self.phrases.len() as u32);
        self.phrases.push(Phrase {
            term,
            words: words
                .iter()
                .map(|&(s, e)| core.as_bytes()[s..e].to_vec())
                .collect(),
            gaps,
            open_end,
        });
        if open_start {
            add_mark(&mut self.tails.node_for(first.bytes().rev()).part, mark);
        } else {
            add_mark(&mut self.heads.node_for(first.bytes()).whole, mark);
        }
    }
}

/// One lexicon or CPR hit, before hits are gathered per category.
#[derive(Debug, Clone, Copy)]
struct Hit {
    category: DataCategory,
    confidence: f32,
    /// What counts as one distinct hit (see [`hit_key`]).
    key: u64,
    span: Option<(usize, usize)>,
}

/// Per-call scratch space, so scanning allocates only what the result needs.
#[derive(Default)]
struct Scratch {
    word: Vec<u8>,
    next: Vec<u8>,
    marks: Vec<Mark>,
    hits: Vec<Hit>,
}

impl Detector {
    pub fn new(rules: &DetectionRules, lexicon: &[LexiconEntry]) -> Detector {
        let mut suffixes: Vec<String> = rules
            .suffixes
            .iter()
            .map(|s| fold(s.trim()))
            .filter(|s| !s.is_empty() && s.chars().all(|c| is_word_char(c) || c == '-'))
            .collect();
        suffixes.sort();
        suffixes.dedup();

        let mut c = Compiler {
            suffixes,
            terms: Vec::new(),
            phrases: Vec::new(),
            heads: TrieBuilder::new(),
            tails: TrieBuilder::new(),
            infixes: Vec::new(),
        };
        for entry in lexicon {
            let category = *entry.category.get_ref();
            let confidence = entry.confidence.clamp(0.0, 1.0);
            for raw in &entry.terms {
                let t = raw.trim();
                let open_start = t.starts_with('*');
                let open_end = t.ends_with('*');
                let core = fold(t.trim_matches('*').trim());
                let words: Vec<(usize, usize)> = Words {
                    text: &core,
                    pos: 0,
                }
                .collect();
                if words.is_empty() {
                    continue;
                }
                let term = c.terms.len() as u32;
                c.terms.push(TermInfo {
                    category,
                    confidence,
                });
                if let [(s, e)] = words[..] {
                    // Punctuation around a single word (`3F.`) cannot be asked of a word.
                    c.add_word_term(&core[s..e], open_start, open_end, Mark::Term(term));
                } else {
                    c.add_phrase(&core, &words, open_start, open_end, term);
                }
            }
        }
        Detector {
            suffixes: c.suffixes,
            terms: c.terms,
            phrases: c.phrases,
            heads: c.heads.freeze(),
            tails: c.tails.freeze(),
            infixes: c.infixes,
        }
    }

    pub fn from_policy(p: &Policy) -> Detector {
        Detector::new(&p.detection, &p.lexicon)
    }

    /// Suggestions for a text: one per category found, with confidence and byte spans (start, end)
    /// into `text`, sorted and with overlapping spans merged. CPR numbers count (see [`find_cprs`]).
    pub fn detect(&self, text: &str) -> Vec<Suggestion> {
        let mut scratch = Scratch::default();
        self.scan(text, true, &mut scratch);
        gather(&mut scratch.hits)
    }

    /// Suggestions for an enquiry. Spans are into the body only: hits in the subject and in
    /// attachment file names add to their category's confidence but carry no spans, because a
    /// span cannot say which text it points into. The sender's CPR field gives `Cpr`; an
    /// e-mail, phone or address gives `Contact`; `General` is always there (an enquiry always
    /// names its sender).
    pub fn detect_enquiry(&self, e: &Enquiry) -> Vec<Suggestion> {
        let mut scratch = Scratch::default();
        self.scan(&e.body, true, &mut scratch);
        self.scan(&e.subject, false, &mut scratch);
        for name in &e.attachments {
            self.scan(name, false, &mut scratch);
        }
        let field = |category, confidence| Hit {
            category,
            confidence,
            key: KEY_SENDER_FIELD,
            span: None,
        };
        let s = &e.sender;
        if let Some(cpr) = s.cpr.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
            let confidence = if parse_cpr(cpr).is_some() {
                SENDER_FIELD
            } else {
                SENDER_CPR_UNPARSED
            };
            scratch.hits.push(field(DataCategory::Cpr, confidence));
        }
        let given = |f: &Option<String>| f.as_deref().is_some_and(|v| !v.trim().is_empty());
        if given(&s.email) || given(&s.phone) || given(&s.address) {
            scratch
                .hits
                .push(field(DataCategory::Contact, SENDER_FIELD));
        }
        scratch
            .hits
            .push(field(DataCategory::General, SENDER_FIELD));
        gather(&mut scratch.hits)
    }

    fn scan(&self, text: &str, with_spans: bool, sc: &mut Scratch) {
        let span = |s: usize, e: usize| with_spans.then_some((s, e));
        for hit in find_cprs(text) {
            sc.hits.push(Hit {
                category: DataCategory::Cpr,
                confidence: hit.confidence(),
                key: KEY_CPR_NUMBER,
                span: span(hit.start, hit.end),
            });
        }
        let mut words = Words { text, pos: 0 };
        while let Some((start, end)) = words.next_folded(&mut sc.word) {
            sc.marks.clear();
            let w = &sc.word;
            self.heads.walk(w.iter().copied(), &mut sc.marks);
            self.tails.walk(w.iter().rev().copied(), &mut sc.marks);
            for (infix, mark) in &self.infixes {
                if w.windows(infix.len()).any(|x| x == infix.as_slice()) {
                    sc.marks.push(*mark);
                }
            }
            if sc.marks.is_empty() {
                continue;
            }
            let word_key = hit_key(w);
            for k in 0..sc.marks.len() {
                let (term, end, key) = match sc.marks[k] {
                    Mark::Term(t) => (t, end, word_key),
                    Mark::Phrase(p) => {
                        let phrase = &self.phrases[p as usize];
                        let Some(end) = self.phrase_end(phrase, text, end, &mut sc.next) else {
                            continue;
                        };
                        sc.next.clear();
                        text[start..end]
                            .chars()
                            .for_each(|c| push_folded(c, &mut sc.next));
                        (phrase.term, end, hit_key(&sc.next))
                    }
                };
                let info = self.terms[term as usize];
                sc.hits.push(Hit {
                    category: info.category,
                    confidence: info.confidence,
                    key,
                    span: span(start, end),
                });
            }
        }
    }

    /// Where the phrase ends when its first word ended at `pos`, or None when the following
    /// words do not fit.
    fn phrase_end(
        &self,
        p: &Phrase,
        text: &str,
        mut pos: usize,
        buf: &mut Vec<u8>,
    ) -> Option<usize> {
        let last = p.words.len() - 1;
        for (k, want) in p.words.iter().enumerate().skip(1) {
            let mut words = Words { text, pos };
            let (s, e) = words.next_folded(buf)?;
            let between = &text[pos..s];
            let gap_fits = match &p.gaps[k - 1] {
                Gap::Space => !between.is_empty() && between.chars().all(char::is_whitespace),
                Gap::Literal(g) => between == g,
            };
            if !gap_fits {
                return None;
            }
            let fits = if k < last {
                buf == want
            } else if p.open_end {
                buf.starts_with(want)
            } else {
                buf == want
                    || (buf.starts_with(want)
                        && self
                            .suffixes
                            .iter()
                            .any(|x| buf[want.len()..] == *x.as_bytes()))
            };
            if !fits {
                return None;
            }
            pos = e;
        }
        Some(pos)
    }
}

/// One suggestion per category hit, in category order: the best confidence plus a small bonus
/// for further distinct terms, spans sorted with overlaps merged.
fn gather(hits: &mut [Hit]) -> Vec<Suggestion> {
    hits.sort_unstable_by_key(|h| (h.category, h.key));
    let mut out = Vec::new();
    for group in hits.chunk_by(|a, b| a.category == b.category) {
        let best = group.iter().map(|h| h.confidence).fold(0.0f32, f32::max);
        let distinct = 1 + group.windows(2).filter(|w| w[0].key != w[1].key).count();
        // Sorted by key within the category, so distinct keys are where neighbours differ.
        let bonus = DISTINCT_HIT_BONUS * (distinct - 1).min(MAX_BONUS_HITS) as f32;
        let confidence = best.max((best + bonus).min(BONUS_CAP));
        let mut spans: Vec<(usize, usize)> = group.iter().filter_map(|h| h.span).collect();
        spans.sort_unstable();
        let mut merged: Vec<(u32, u32)> = Vec::with_capacity(spans.len());
        for (s, e) in spans {
            let (s, e) = (to_u32(s), to_u32(e));
            match merged.last_mut() {
                Some(last) if s < last.1 => last.1 = last.1.max(e),
                _ => merged.push((s, e)),
            }
        }
        out.push(Suggestion {
            category: group[0].category,
            confidence,
            spans: merged,
        });
    }
    out
}

/// Spans are stored as u32; an enquiry is never 4 GiB, but a cast must not wrap if one were.
fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::cpr::{CPR_BARE, CPR_BARE_MOD11, CPR_DASHED, CPR_DASHED_MOD11};
    use crate::domain::enquiry::{Channel, Enquiry, Language, Sender};
    use chrono::NaiveDate;

    use chrono::Datelike;
    use toml::Spanned;
    use DataCategory::*;

    // ---- CPR ----

    fn year_of(s: &str) -> Option<i32> {
        parse_cpr(s).map(|h| h.birth_date.year())
    }

    #[test]
    fn century_follows_the_seventh_digit() {
        // (yy, 7th digit, year)
        let table = [
            (0, 0, 1900),
            (36, 1, 1936),
            (37, 2, 1937),
            (99, 3, 1999),
            (0, 4, 2000),
            (36, 4, 2036),
            (37, 4, 1937),
            (99, 4, 1999),
            (36, 9, 2036),
            (37, 9, 1937),
            (0, 5, 2000),
            (57, 5, 2057),
            (58, 5, 1858),
            (57, 6, 2057),
            (58, 7, 1858),
            (99, 8, 1899),
            (57, 8, 2057),
        ];
        for (yy, d7, year) in table {
            let cpr = format!("0101{yy:02}-{d7}000");
            assert_eq!(year_of(&cpr), Some(year), "{cpr}");
            assert_eq!(year_of(&cpr.replace('-', "")), Some(year), "{cpr} bare");
        }
    }

    #[test]
    fn impossible_dates_are_refused() {
        for bad in [
            "310224-1234", // 31 February
            "300224-4234", // 30 February
            "290223-1234", // 1923 is no leap year
            "290223-4234", // nor is 2023
            "290200-1234", // 1900 is no leap year
            "000000-0000",
            "000124-1234",
            "320124-1234",
            "011324-1234",
            "010024-1234",
            "310424-1234", // 31 April
        ] {
            assert_eq!(parse_cpr(bad), None, "{bad}");
            assert!(find_cprs(&format!("cpr {bad} tak")).is_empty(), "{bad}");
        }
        assert_eq!(year_of("290224-4234"), Some(2024), "2024 is a leap year");
        assert_eq!(year_of("290224-1234"), Some(1924), "so is 1924");
        assert_eq!(year_of("290200-4234"), Some(2000), "2000 is a leap year");
    }

    #[test]
    fn parse_cpr_is_strict_about_its_shape() {
        let h = parse_cpr("070761-4285").unwrap();
        assert_eq!((h.start, h.end), (0, 11));
        assert_eq!(h.birth_date, NaiveDate::from_ymd_opt(1961, 7, 7).unwrap());
        for bad in [
            " 070761-4285",
            "070761-4285 ",
            "070761 4285",
            "07076-14285",
            "070761-428",
            "0707614285x",
            "",
            "070761—4285",
        ] {
            assert_eq!(parse_cpr(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn modulus_11_is_a_hint_not_a_gate() {
        // 0*4 + 7*3 + 0*2 + 7*7 + 6*6 + 1*5 + 4*4 + 2*3 + 8*2 + 5*1 = 154 = 14 * 11
        let passes = parse_cpr("070761-4285").unwrap();
        let fails = parse_cpr("070761-4286").unwrap();
        assert!(passes.mod11 && !fails.mod11);
        assert_eq!(passes.confidence(), CPR_DASHED_MOD11);
        assert_eq!(fails.confidence(), CPR_DASHED);
        assert_eq!(
            parse_cpr("0707614285").unwrap().confidence(),
            CPR_BARE_MOD11
        );
        assert_eq!(parse_cpr("0707614286").unwrap().confidence(), CPR_BARE);
        const {
            assert!(
                CPR_BARE < CPR_DASHED
                    && CPR_DASHED < CPR_BARE_MOD11
                    && CPR_BARE_MOD11 < CPR_DASHED_MOD11
            )
        };
    }

    #[test]
    fn both_forms_are_found_in_running_text_with_byte_spans() {
        let text = "Kære Søren Ærø, mit CPR-nr. er 070761-4286 og min søns (0101054321). \
                    My number: 070761-4285.\nCPR:0707614285";
        let hits = find_cprs(text);
        let found: Vec<&str> = hits.iter().map(|h| &text[h.start..h.end]).collect();
        assert_eq!(
            found,
            ["070761-4286", "0101054321", "070761-4285", "0707614285"]
        );
        let first = &hits[0];
        assert_eq!(first.start, text.find("070761-4286").unwrap());
        let chars_before = text[..first.start].chars().count();
        assert!(first.start > chars_before, "æ, ø and Æ take two bytes each");
        assert_eq!(
            hits[1].birth_date,
            NaiveDate::from_ymd_opt(2005, 1, 1).unwrap()
        );
        assert!(hits[2].mod11 && !hits[0].mod11);
    }

    #[test]
    fn phone_case_numbers_dates_amounts_and_long_runs_are_not_cprs() {
        // Each holds digits that would be a valid CPR number on their own.
        let negatives = [
            "ring på +45 0707614285",   // ten digits after a dialling prefix
            "ring på 0045 0707614285",  // the same with 00
            "ring på (+45) 0707614285", // and in brackets
            "ring på +4507076142",      // `+` directly before
            "+450707614285",            // twelve-digit run
            "sagsnr. 070761-4285-5",    // a longer reference
            "sagsnr. 2024-070761-4285", // glued to a number before
            "j.nr. 24/0707614285",      // case number with a slash
            "konto 12.0707614285",      // glued with a dot
            "07076142851",              // eleven digits
            "107076142851",             // twelve digits
            "beløb 0707614285,50 kr.",  // an amount with decimals
            "kl. 0707614285:30",        // glued with a colon
            "ordre A0707614285",        // letter before
            "0707614285B",              // letter after
            "Ø0707614285",              // a non-ASCII letter before
            "070761-42855",             // five-digit serial
            "0707-614285",              // wrong grouping
            "070761 4285",              // space form: not matched on purpose
            "+45 12 34 56 78",          // phone numbers
            "12345678",
            "+4512345678",
            "2024-12345", // case numbers
            "24/01234",
            "12-03-2024", // dates
            "12.03.24",
            "120324",
            "1.070.761,42 kr.", // an amount
        ];
        assert!(negatives.len() >= 15);
        for text in negatives {
            assert!(find_cprs(text).is_empty(), "{text}: {:?}", find_cprs(text));
        }
        // The same digits standing alone are found, so the context is what refused them.
        for text in [
            "0707614285",
            "070761-4285",
            "(070761-4285)",
            "070761-4285.",
            "nr. 0707614285, tak",
            "CPR-0707614285",
        ] {
            assert_eq!(find_cprs(text).len(), 1, "{text}");
        }
    }

    #[test]
    fn mask_keeps_the_date_and_hides_the_serial() {
        assert_eq!(mask_cpr("070761-4285"), "070761-XXXX");
        assert_eq!(mask_cpr("0707614285"), "070761-XXXX");
        assert_eq!(mask_cpr(" 070761-4285 "), "070761-XXXX");
        assert_eq!(
            mask_cpr("070761 4285"),
            "XXXXXX XXXX",
            "anything else loses every digit"
        );
        assert_eq!(mask_cpr("sagsnr 12"), "sagsnr XX");
    }

    // ---- lexicon ----

    fn entry(category: DataCategory, confidence: f32, terms: &[&str]) -> LexiconEntry {
        LexiconEntry {
            category: Spanned::new(0..0, category),
            confidence,
            terms: terms.iter().map(|t| t.to_string()).collect(),
        }
    }

    fn detector(suffixes: &[&str], lexicon: &[LexiconEntry]) -> Detector {
        let rules = DetectionRules {
            suffixes: suffixes.iter().map(|s| s.to_string()).collect(),
        };
        Detector::new(&rules, lexicon)
    }

    const SUFFIXES: &[&str] = &["e", "en", "er", "erne", "et", "ene", "s", "es", "'s"];

    fn danish() -> Detector {
        detector(
            SUFFIXES,
            &[
                entry(
                    Health,
                    0.7,
                    &[
                        "sygdom*",
                        "*sygdom",
                        "helbred*",
                        "hiv",
                        "åndenød",
                        "mental health",
                        "psykisk syg",
                    ],
                ),
                entry(Religion, 0.6, &["muslim", "bahá'í"]),
                entry(
                    TradeUnion,
                    0.7,
                    &["fagforening", "3F", "Dansk Metal", "*union member"],
                ),
                entry(Criminal, 0.6, &["dom", "straffet", "betinget dom"]),
                entry(SexLife, 0.7, &["sexual orient*"]),
                entry(General, 0.5, &["Ægteskab"]),
            ],
        )
    }

    fn found(d: &Detector, text: &str, category: DataCategory) -> Option<Suggestion> {
        d.detect(text).into_iter().find(|s| s.category == category)
    }

    fn hits(d: &Detector, text: &str, category: DataCategory) -> bool {
        found(d, text, category).is_some()
    }

    fn span_texts<'t>(text: &'t str, s: &Suggestion) -> Vec<&'t str> {
        s.spans
            .iter()
            .map(|&(a, b)| &text[a as usize..b as usize])
            .collect()
    }

    #[test]
    fn plain_terms_take_danish_inflections() {
        let d = danish();
        for text in [
            "muslimer",
            "Muslims",
            "Han er muslim.",
            "Muslim's",
            "fagforeningen",
            "fagforeningerne",
            "straffet",
        ] {
            assert!(
                hits(&d, text, Religion) || hits(&d, text, TradeUnion) || hits(&d, text, Criminal),
                "{text}"
            );
        }
        for text in [
            "muslimsk",
            "Muslimske",
            "straffeattest",
            "ustraffet",
            "fagforeningsmøde",
        ] {
            assert!(d.detect(text).is_empty(), "{text}: {:?}", d.detect(text));
        }
    }

    #[test]
    fn head_and_tail_terms_catch_compounds() {
        let d = danish();
        for text in [
            "sygdom",
            "sygdomme",
            "sygdommen",
            "sygdomsforløb",
            "hjertesygdom",
            "HELBREDSOPLYSNINGER",
            "helbredet",
        ] {
            assert!(hits(&d, text, Health), "{text}");
        }
        // `muslim*` catches what plain `muslim` does not.
        let head = detector(SUFFIXES, &[entry(Religion, 0.6, &["muslim*"])]);
        assert!(hits(&head, "Muslimsk", Religion) && hits(&head, "muslimer", Religion));
        assert!(!hits(&head, "antimuslim", Religion));

        // A tail takes a suffix only when the policy lists it.
        let tail = |suffixes: &[&str]| detector(suffixes, &[entry(Health, 0.7, &["*sygdom"])]);
        assert!(hits(&tail(&["men"]), "hjertesygdommen", Health));
        assert!(!hits(&tail(&["en"]), "hjertesygdommen", Health));
        assert!(hits(&tail(&[]), "Hjertesygdom", Health) && hits(&tail(&[]), "sygdom", Health));
        assert!(!hits(&tail(&[]), "sygdomme", Health));

        let infix = detector(&[], &[entry(EthnicOrigin, 0.6, &["*kurd*"])]);
        assert!(hits(&infix, "prokurdiske", EthnicOrigin) && hits(&infix, "Kurder", EthnicOrigin));
    }

    #[test]
    fn case_folds_with_full_unicode() {
        let d = danish();
        for text in [
            "ÆGTESKAB",
            "Ægteskab",
            "ægteskabet",
            "ÅNDENØD",
            "Åndenød",
            "åndenøden",
        ] {
            assert!(hits(&d, text, General) || hits(&d, text, Health), "{text}");
        }
        let upper_term = detector(&[], &[entry(Health, 0.7, &["ØJENLÆGE"])]);
        assert!(hits(&upper_term, "øjenlæge", Health));
        let greek = detector(&[], &[entry(Religion, 0.6, &["ΘΕΟΣ"])]);
        assert!(hits(&greek, "θεος", Religion) && hits(&greek, "θεοσ", Religion));
    }

    #[test]
    fn folding_agrees_with_unicode_lower_casing() {
        // The Latin-1 shortcuts must give what the Unicode tables give.
        for c in ('\u{80}'..='\u{24f}').chain(['Σ', 'ς', 'İ', 'ẞ', 'Ω']) {
            let mut got = Vec::new();
            push_folded(c, &mut got);
            let want: String = c
                .to_lowercase()
                .map(|l| if l == 'ς' { 'σ' } else { l })
                .collect();
            assert_eq!(String::from_utf8(got).unwrap(), want, "{c:?}");
        }
    }

    #[test]
    fn whole_words_only() {
        let d = danish();
        for text in ["domstol", "domæne", "kongedømme", "Domstolsstyrelsen"] {
            assert!(!hits(&d, text, Criminal), "{text}");
        }
        assert!(
            !hits(&d, "sygdom", Criminal),
            "a compound ending in `dom` is not a verdict"
        );
        assert!(hits(&d, "Dom afsagt.", Criminal) && hits(&d, "doms", Criminal));
        for text in ["archive", "arkiv", "chivalry", "Chivas"] {
            assert!(!hits(&d, text, Health), "{text}");
        }
        // The suffixes are the policy's business: with `e` among them, Danish `hive` (to pull)
        // is `hiv` + `e`.
        assert!(hits(&d, "hive", Health));
        assert!(hits(&d, "HIV-positiv eller ej: HIV.", Health));
        assert!(hits(&d, "Jeg er medlem af 3F.", TradeUnion));
        for text in ["A3F", "3FX", "23F", "3F2"] {
            assert!(!hits(&d, text, TradeUnion), "{text}");
        }
        // A hyphen compound is one word: a plain term does not see inside it (a policy wanting
        // those writes `3F*` or `*medlem`).
        assert!(!hits(&d, "3F-medlem", TradeUnion));
    }

    #[test]
    fn phrases_span_consecutive_words() {
        let d = danish();
        let text = "Han fik en betinget  dom i 2019.";
        let s = found(&d, text, Criminal).unwrap();
        assert_eq!(span_texts(text, &s), ["betinget  dom"]);
        for text in [
            "betinget\ndom",
            "BETINGET DOMS",
            "Dansk Metal",
            "dansk metals",
            "sexual orientation",
            "Sexual Orientations",
            "psykisk syge",
        ] {
            assert!(!d.detect(text).is_empty(), "{text}");
        }
        for text in [
            "betinget, dom",
            "betinget-dom",
            "betinget domstol",
            "Dansk Metallurgi",
            "sexual",
            "psykisk",
        ] {
            let cats: Vec<_> = d.detect(text).into_iter().map(|s| s.category).collect();
            assert!(
                !cats.contains(&TradeUnion) && !cats.contains(&SexLife) && !cats.contains(&Health),
                "{text}"
            );
            if text != "betinget domstol" && text != "betinget, dom" {
                assert!(!cats.contains(&Criminal), "{text}");
            }
        }
        // `betinget, dom` still has the word `dom`: the plain term hits, the phrase does not.
        let s = found(&d, "betinget, dom", Criminal).unwrap();
        assert_eq!(span_texts("betinget, dom", &s), ["dom"]);
        // A leading `*` lets the first word be a compound tail.
        let text = "I am a trade-union member.";
        assert_eq!(
            span_texts(text, &found(&d, text, TradeUnion).unwrap()),
            ["trade-union member"]
        );
        // Punctuation inside a term must be there as written.
        assert!(hits(&d, "Bahá'í", Religion) && !hits(&d, "bahá í", Religion));
    }

    #[test]
    fn spans_are_bytes_into_the_text_and_merge_when_they_overlap() {
        let d = danish();
        let text = "Kære Åse — min søn har en hjertesygdom og HIV; mental health matters.";
        let s = found(&d, text, Health).unwrap();
        assert_eq!(
            span_texts(text, &s),
            ["hjertesygdom", "HIV", "mental health"]
        );
        assert_eq!(s.spans[0].0 as usize, text.find("hjertesygdom").unwrap());
        // `mental health` and a `health` term cover the same bytes: one span.
        let both = detector(&[], &[entry(Health, 0.7, &["mental health", "health"])]);
        let s = found(&both, "mental health", Health).unwrap();
        assert_eq!(s.spans, [(0, 13)]);
    }

    #[test]
    fn confidence_is_the_best_hit_plus_a_bonus_for_distinct_terms() {
        let d = danish();
        assert_eq!(found(&d, "sygdom", Health).unwrap().confidence, 0.7);
        assert_eq!(
            found(&d, "sygdom, sygdom og sygdom", Health)
                .unwrap()
                .confidence,
            0.7
        );
        let two = found(&d, "sygdom og hiv", Health).unwrap().confidence;
        assert!((two - 0.75).abs() < 1e-6, "{two}");
        let many = found(
            &d,
            "sygdom hiv åndenød helbred mental health psykisk syg",
            Health,
        )
        .unwrap()
        .confidence;
        assert!(
            (many - 0.85).abs() < 1e-6,
            "the bonus stops after three further terms: {many}"
        );
        let high = detector(&[], &[entry(Health, 0.97, &["a", "b", "c"])]);
        assert_eq!(found(&high, "a b c", Health).unwrap().confidence, 0.99);
        let sure = detector(&[], &[entry(Health, 1.0, &["a", "b"])]);
        assert_eq!(
            found(&sure, "a b", Health).unwrap().confidence,
            1.0,
            "the cap never lowers the policy"
        );
    }

    #[test]
    fn cpr_numbers_in_text_are_suggested() {
        let d = danish();
        let text = "Søren, cpr 070761-4285 og 0101054321";
        let s = found(&d, text, Cpr).unwrap();
        assert_eq!(span_texts(text, &s), ["070761-4285", "0101054321"]);
        assert_eq!(s.confidence, CPR_DASHED_MOD11);
        assert!(d.detect("ingenting her").is_empty());
    }

    #[test]
    fn from_policy_reads_the_lexicon() {
        let toml = r#"
recipients = []

[authority]
id = "t"
name_en = "Test"
name_da = "Test"
address = "Street 1"
dpo_contact = "dpo@example.dk"
supervisory_authority = "Datatilsynet"

[archive]
first_period_start = "2022-01-01"
period_years = 5

[[purposes]]
id = "citizen-enquiries"
name_en = "Citizen enquiries"
name_da = "Henvendelser"
legal_bases = ["gdpr-6-1-e"]
deadline = { kind = "none" }
retention = { kind = "archive-then-delete" }

[detection]
suffixes = ["en", "er"]

[[lexicon]]
category = "trade-union"
confidence = 0.7
terms = ["fagforening"]
"#;
        let p = Policy::from_toml(toml, "t.toml").unwrap();
        let d = Detector::from_policy(&p);
        let s = found(&d, "Fagforeningen ringede.", TradeUnion).unwrap();
        assert_eq!(s.spans, [(0, 13)]);
        assert_eq!(s.confidence, 0.7);
    }

    // ---- enquiries ----

    fn enquiry(sender: Sender, subject: &str, body: &str) -> Enquiry {
        Enquiry {
            received: chrono::DateTime::parse_from_rfc3339("2026-03-02T10:00:00+01:00").unwrap(),
            channel: Channel::Email,
            sender,
            subject: subject.into(),
            body: body.into(),
            attachments: Vec::new(),
            language: Language::Da,
            message_id: None,
            purpose: None,
            right: None,
        }
    }

    #[test]
    fn enquiry_uses_sender_fields_subject_and_body() {
        let d = danish();
        let sender = Sender {
            name: "Åse Ærø".into(),
            email: Some("ase@example.dk".into()),
            cpr: Some("0707614286".into()),
            ..Sender::default()
        };
        let body = "Hej. Min søns CPR er 010105-4321, og han har en sygdom.";
        let e = enquiry(sender, "HIV og fagforening", body);
        let got = d.detect_enquiry(&e);
        let cats: Vec<_> = got.iter().map(|s| s.category).collect();
        assert_eq!(cats, [General, Contact, Cpr, TradeUnion, Health]);
        let cpr = &got[2];
        assert_eq!(
            span_texts(body, cpr),
            ["010105-4321"],
            "spans point into the body"
        );
        assert_eq!(cpr.confidence, 0.99);
        let health = &got[4];
        assert_eq!(
            span_texts(body, health),
            ["sygdom"],
            "the subject's HIV has no span"
        );
        assert!(
            (health.confidence - 0.75).abs() < 1e-6,
            "but it adds to the confidence"
        );
        let union = &got[3];
        assert!(
            union.spans.is_empty() && union.confidence == 0.7,
            "subject only: {union:?}"
        );
    }

    #[test]
    fn general_is_always_suggested_and_fields_only_when_given() {
        let d = danish();
        let bare = d.detect_enquiry(&enquiry(
            Sender {
                name: "X".into(),
                ..Sender::default()
            },
            "",
            "",
        ));
        assert_eq!(bare.len(), 1);
        assert_eq!(bare[0].category, General);
        assert!(bare[0].spans.is_empty());

        let blank = Sender {
            name: "X".into(),
            phone: Some("  ".into()),
            cpr: Some("".into()),
            ..Sender::default()
        };
        let got = d.detect_enquiry(&enquiry(blank, "", ""));
        assert_eq!(got.len(), 1, "blank fields carry no data: {got:?}");

        let odd = Sender {
            name: "X".into(),
            cpr: Some("0707 61 4285".into()),
            ..Sender::default()
        };
        let got = d.detect_enquiry(&enquiry(odd, "", ""));
        let cpr = got.iter().find(|s| s.category == Cpr).unwrap();
        assert_eq!(cpr.confidence, SENDER_CPR_UNPARSED);

        let mut with_file = enquiry(
            Sender {
                name: "X".into(),
                ..Sender::default()
            },
            "",
            "",
        );
        with_file.attachments.push("sygdomsforløb.pdf".into());
        let got = d.detect_enquiry(&with_file);
        assert!(
            got.iter()
                .any(|s| s.category == Health && s.spans.is_empty()),
            "{got:?}"
        );
    }
}
