//! The search language staff type: words, "phrases", -excluded words and field:word.

use std::fmt;

/// Longest query accepted, in bytes. A search is a few words; a longer one is a paste gone
/// wrong and would only cost time.
pub const MAX_QUERY_BYTES: usize = 1000;
/// Most clauses in one query.
pub const MAX_CLAUSES: usize = 32;

/// Where a clause looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Everywhere,
    Subject,
    Body,
    From,
    Note,
    Attachment,
}

impl Scope {
    /// The field names staff may type before a colon.
    pub const NAMED: [(&'static str, Scope); 5] = [
        ("subject", Scope::Subject),
        ("body", Scope::Body),
        ("from", Scope::From),
        ("note", Scope::Note),
        ("attachment", Scope::Attachment),
    ];
}

/// One part of a query: a word or a phrase, required or excluded, in one place or anywhere.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clause {
    pub scope: Scope,
    /// The text as typed (a phrase without its quotes); the analyser makes the terms.
    pub text: String,
    pub excluded: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QueryError {
    #[error("the query is {bytes} bytes long; a search may be at most {MAX_QUERY_BYTES} bytes")]
    TooLong { bytes: usize },
    #[error("the query has more than {MAX_CLAUSES} words and phrases; search for fewer")]
    TooManyClauses,
    #[error("the quote at character {at} is never closed: end the phrase with \"")]
    UnclosedQuote { at: usize },
    #[error("`{name}:` is not a field one can search; use {}", field_list())]
    UnknownField { name: String },
    #[error("`{name}:` needs a word or a \"phrase\" after the colon")]
    EmptyField { name: String },
    #[error("the query only excludes words (-word); add a word to look for")]
    OnlyExclusions,
}

fn field_list() -> String {
    Scope::NAMED
        .iter()
        .map(|(n, _)| format!("{n}:"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The clauses of `query`. An empty (or blank) query has none, and finds nothing.
pub fn parse(query: &str) -> Result<Vec<Clause>, QueryError> {
    if query.len() > MAX_QUERY_BYTES {
        return Err(QueryError::TooLong { bytes: query.len() });
    }
    let chars: Vec<char> = query.chars().collect();
    let mut clauses = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_whitespace() {
            i += 1;
            continue;
        }
        let mut excluded = false;
        if chars[i] == '-' && chars.get(i + 1).is_some_and(|c| !c.is_whitespace()) {
            excluded = true;
            i += 1;
        }
        // A field name: letters then a colon, directly followed by the word or phrase.
        let mut scope = Scope::Everywhere;
        let name_end = (i..chars.len())
            .find(|&j| !chars[j].is_alphabetic())
            .unwrap_or(chars.len());
        if name_end > i && chars.get(name_end) == Some(&':') {
            let name: String = chars[i..name_end].iter().collect::<String>().to_lowercase();
            scope = Scope::NAMED
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, s)| *s)
                .ok_or_else(|| QueryError::UnknownField { name: name.clone() })?;
            i = name_end + 1;
            if chars.get(i).is_none_or(|c| c.is_whitespace()) {
                return Err(QueryError::EmptyField { name });
            }
        }
        let text: String = if chars[i] == '"' {
            let open = i;
            let close = (i + 1..chars.len())
                .find(|&j| chars[j] == '"')
                .ok_or(QueryError::UnclosedQuote { at: open + 1 })?;
            i = close + 1;
            chars[open + 1..close].iter().collect()
        } else {
            let start = i;
            while i < chars.len() && !chars[i].is_whitespace() {
                if chars[i] == '"' {
                    return Err(QueryError::UnclosedQuote { at: i + 1 });
                }
                i += 1;
            }
            chars[start..i].iter().collect()
        };
        if text.trim().is_empty() {
            continue;
        }
        clauses.push(Clause {
            scope,
            text,
            excluded,
        });
        if clauses.len() > MAX_CLAUSES {
            return Err(QueryError::TooManyClauses);
        }
    }
    if !clauses.is_empty() && clauses.iter().all(|c| c.excluded) {
        return Err(QueryError::OnlyExclusions);
    }
    Ok(clauses)
}

impl fmt::Display for Clause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.excluded {
            write!(f, "-")?;
        }
        if let Some((n, _)) = Scope::NAMED.iter().find(|(_, s)| *s == self.scope) {
            write!(f, "{n}:")?;
        }
        write!(f, "\"{}\"", self.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clause(scope: Scope, text: &str, excluded: bool) -> Clause {
        Clause {
            scope,
            text: text.into(),
            excluded,
        }
    }

    #[test]
    fn words_phrases_exclusions_and_fields() {
        let q =
            parse(r#"nyre "kidney transplant" -afslag subject:klage from:"Søren Ø" note:ringet"#)
                .unwrap();
        assert_eq!(
            q,
            vec![
                clause(Scope::Everywhere, "nyre", false),
                clause(Scope::Everywhere, "kidney transplant", false),
                clause(Scope::Everywhere, "afslag", true),
                clause(Scope::Subject, "klage", false),
                clause(Scope::From, "Søren Ø", false),
                clause(Scope::Note, "ringet", false),
            ]
        );
    }

    #[test]
    fn an_empty_query_has_no_clauses() {
        assert_eq!(parse("").unwrap(), vec![]);
        assert_eq!(parse("   \t ").unwrap(), vec![]);
        assert_eq!(parse("\"\"").unwrap(), vec![]);
    }

    #[test]
    fn malformed_queries_say_what_is_wrong() {
        assert_eq!(
            parse(r#"nyre "kidney transplant"#),
            Err(QueryError::UnclosedQuote { at: 6 })
        );
        assert_eq!(parse(r#"ab"c"#), Err(QueryError::UnclosedQuote { at: 3 }));
        let e = parse("colour:red").unwrap_err();
        assert_eq!(
            e,
            QueryError::UnknownField {
                name: "colour".into()
            }
        );
        assert!(e
            .to_string()
            .contains("subject:, body:, from:, note:, attachment:"));
        assert_eq!(
            parse("subject: klage"),
            Err(QueryError::EmptyField {
                name: "subject".into()
            })
        );
        assert_eq!(parse("-afslag"), Err(QueryError::OnlyExclusions));
    }

    #[test]
    fn a_huge_query_is_refused_with_the_limit() {
        let big = "a".repeat(10 * 1024 * 1024);
        let e = parse(&big).unwrap_err();
        assert_eq!(
            e,
            QueryError::TooLong {
                bytes: 10 * 1024 * 1024
            }
        );
        assert!(e.to_string().contains("at most 1000 bytes"));
        let many = "ord ".repeat(MAX_CLAUSES + 1);
        assert_eq!(parse(&many), Err(QueryError::TooManyClauses));
    }

    #[test]
    fn a_lone_dash_and_times_are_words() {
        assert_eq!(
            parse("kl 12:30 - x").unwrap(),
            vec![
                clause(Scope::Everywhere, "kl", false),
                clause(Scope::Everywhere, "12:30", false),
                clause(Scope::Everywhere, "-", false),
                clause(Scope::Everywhere, "x", false),
            ]
        );
    }
}
