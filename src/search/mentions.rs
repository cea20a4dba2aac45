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

/// Cases other than `own` whose text mentions any of `ids`, in reference order, through
/// the `Api` (here or on the server), so each search is in the read log like any other.
pub fn mentioning(
    api: &dyn Api,
    ids: &[SubjectId],
    own: &[Reference],
) -> Result<Vec<Hit>, ApiError> {
    let mut found: BTreeMap<Reference, Hit> = BTreeMap::new();
    for id in ids {
        for q in queries(id) {
            // A query the parser refuses (an address longer than a query may be) is skipped.
            let Ok(hits) = api.search(&q, PER_QUERY) else {
                continue;
            };
            for h in hits {
                if !own.contains(&h.reference) {
                    found.entry(h.reference).or_insert(h);
                }
            }
        }
    }
    Ok(found.into_values().collect())
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
