//! Cases that mention a person in their text: for the DPO to review before answering an access request.

use super::Hit;
use crate::domain::enquiry::Reference;
use crate::domain::report::SubjectId;
use crate::store::api::Api;
use crate::store::api_error::ApiError;
use std::collections::BTreeMap;

/// Most cases listed per identifier.
const PER_QUERY: usize = 200;

/// The searches that find `id` in text: phrases, so a name is found as a name.
fn queries(id: &SubjectId) -> Vec<String> {
    let phrase = |s: &str| format!("\"{}\"", s.replace('"', " "));
    match id {
        SubjectId::Cpr(d) if d.len() == 10 => {
            vec![phrase(&format!("{}-{}", &d[..6], &d[6..])), phrase(d)]
        }
        SubjectId::Cpr(d) => vec![phrase(d)],
        SubjectId::Email(e) => vec![phrase(e)],
        SubjectId::NameAddress { name, address } => [name, address]
            .into_iter()
            .filter(|s| !s.trim().is_empty())
            .map(|s| phrase(s))
            .collect(),
    }
}

/// What the searches for a person found, and what they could not say whole.
#[derive(Debug, Default)]
pub struct Mentions {
    /// Cases other than the person's own, in reference order.
    pub hits: Vec<Hit>,
    /// One line per search that was refused or reached its limit, CPR numbers masked: the
    /// list above is then not the whole answer, and the DPO is told so.
    pub incomplete: Vec<String>,
}

/// Cases other than `own` whose text mentions any of `ids`, in reference order, through
/// the `Api` (here or on the server), so each search is in the read log like any other.
/// A store or server failure fails the whole review: a partial list said as whole would
/// let an answer go out unreviewed.
pub fn mentioning(
    api: &dyn Api,
    ids: &[SubjectId],
    own: &[Reference],
) -> Result<Mentions, ApiError> {
    let mut found: BTreeMap<Reference, Hit> = BTreeMap::new();
    let mut incomplete = Vec::new();
    for id in ids {
        for q in queries(id) {
            let shown = crate::domain::cpr::mask_cprs(&q);
            let hits = match api.search(&q, PER_QUERY) {
                Ok(hits) => hits,
                // The parser's refusal (an address longer than a query may be, say).
                Err(e) if e.is_refusal() => {
                    incomplete.push(format!("{shown}: not searched ({e})"));
                    continue;
                }
                Err(e) => return Err(e),
            };
            if hits.len() >= PER_QUERY {
                incomplete.push(format!(
                    "{shown}: more than {PER_QUERY} cases; only the first {PER_QUERY} are listed (`triage search` finds them all)"
                ));
            }
            for h in hits {
                if !own.contains(&h.reference) {
                    found.entry(h.reference).or_insert(h);
                }
            }
        }
    }
    Ok(Mentions {
        hits: found.into_values().collect(),
        incomplete: incomplete
            .into_iter()
            .map(|l| crate::domain::sanitize::sanitize_line(&l).into_owned())
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cpr_number_is_looked_for_in_both_spellings() {
        let q = queries(&SubjectId::Cpr("0102031234".into()));
        assert_eq!(q, vec!["\"010203-1234\"", "\"0102031234\""]);
        let q = queries(&SubjectId::NameAddress {
            name: "søren ødegård".into(),
            address: "vestergade 1, 8000 aarhus".into(),
        });
        assert_eq!(
            q,
            vec!["\"søren ødegård\"", "\"vestergade 1, 8000 aarhus\""]
        );
    }
}
