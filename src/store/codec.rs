//! The one place values meet bytes: bincode 2 behind a one-byte format version.
//!
//! bincode carries no schema (and its development has ceased, RUSTSEC-2025-0141), so
//! every stored value starts with `FORMAT`; a golden-bytes test pins each format so a
//! struct change cannot silently reinterpret old stores.

use bincode::config::{Configuration, Limit, LittleEndian, Varint};
use serde::de::DeserializeOwned;
use serde::Serialize;

/// The format written today.
pub const FORMAT: u8 = 1;

/// Decoding never allocates more than this for one value, whatever a corrupt length says.
const LIMIT: usize = 256 * 1024 * 1024;

fn config() -> Configuration<LittleEndian, Varint, Limit<LIMIT>> {
    bincode::config::standard().with_limit::<LIMIT>()
}

#[derive(Debug, thiserror::Error)]
pub enum CodecError {
    #[error("empty value")]
    Empty,
    #[error("unknown format version {0} (this build reads format {FORMAT}); is the store from a newer triage?")]
    UnknownFormat(u8),
    #[error("undecodable value: {0}")]
    Decode(String),
    #[error("{0} trailing bytes after the value")]
    Trailing(usize),
    #[error("cannot encode value: {0}")]
    Encode(String),
}

pub fn encode<T: Serialize>(value: &T) -> Result<Vec<u8>, CodecError> {
    let mut out = vec![FORMAT];
    bincode::serde::encode_into_std_write(value, &mut out, config())
        .map_err(|e| CodecError::Encode(e.to_string()))?;
    Ok(out)
}

/// Decodes a value at the start of `bytes` and says how many bytes it used; for the one
/// value (the audit entry) that may carry an optional tail after its pinned shape.
pub fn decode_prefix<T: DeserializeOwned>(bytes: &[u8]) -> Result<(T, usize), CodecError> {
    let (&version, body) = bytes.split_first().ok_or(CodecError::Empty)?;
    if version != FORMAT {
        return Err(CodecError::UnknownFormat(version));
    }
    let (value, used) = bincode::serde::decode_from_slice(body, config())
        .map_err(|e| CodecError::Decode(e.to_string()))?;
    Ok((value, used + 1))
}

/// Encodes a bare value (no format byte) to append after one `encode` wrote.
pub fn encode_tail<T: Serialize>(value: &T) -> Result<Vec<u8>, CodecError> {
    bincode::serde::encode_to_vec(value, config()).map_err(|e| CodecError::Encode(e.to_string()))
}

/// Decodes a bare value that must fill `bytes` exactly (see `encode_tail`).
pub fn decode_tail<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, CodecError> {
    let (value, used) = bincode::serde::decode_from_slice(bytes, config())
        .map_err(|e| CodecError::Decode(e.to_string()))?;
    if used != bytes.len() {
        return Err(CodecError::Trailing(bytes.len() - used));
    }
    Ok(value)
}

pub fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, CodecError> {
    let (&version, body) = bytes.split_first().ok_or(CodecError::Empty)?;
    if version != FORMAT {
        return Err(CodecError::UnknownFormat(version));
    }
    let (value, used) = bincode::serde::decode_from_slice(body, config())
        .map_err(|e| CodecError::Decode(e.to_string()))?;
    if used != body.len() {
        return Err(CodecError::Trailing(body.len() - used));
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::case::*;
    use crate::domain::category::DataCategory;
    use crate::domain::command::{Change, Command, Event, RouteRequest};
    use crate::domain::enquiry::*;
    use chrono::{DateTime, TimeZone, Utc};

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn sample_case() -> Case {
        let enquiry = Enquiry {
            received: DateTime::parse_from_rfc3339("2026-11-23T09:14:00+01:00").unwrap(),
            channel: Channel::Email,
            sender: Sender {
                name: "Åse Ødegård".into(),
                email: Some("aase@example.dk".into()),
                phone: None,
                address: None,
                cpr: Some("010203-1234".into()),
            },
            subject: "Indsigt".into(),
            body: "Jeg har diabetes.".into(),
            attachments: vec!["pas.pdf".into()],
            language: Language::Da,
            message_id: Some("<a@example.dk>".into()),
            purpose: None,
            right: Some(RightKind::Access),
        };
        let stamp = Stamp {
            by: "anne".into(),
            at: Utc.with_ymd_and_hms(2026, 11, 23, 10, 0, 0).unwrap(),
        };
        let mut case = Case::new(
            Reference::new(2026, 123),
            enquiry,
            vec![Suggestion {
                category: DataCategory::Health,
                confidence: 0.75,
                spans: vec![(7, 15)],
            }],
            stamp.clone(),
        );
        case.categories.push(CategoryDecision {
            category: DataCategory::Health,
            verdict: Verdict::Confirmed,
            decided: stamp,
        });
        case
    }

    /// Format 1, pinned. If this fails, a stored struct changed: bump FORMAT and migrate,
    /// do not update the bytes.
    #[test]
    fn golden_bytes_format_1() {
        let bytes = encode(&CaseRecord::Live(Box::new(sample_case()))).unwrap();
        let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        let digest = blake3::hash(&bytes).to_hex().to_string();
        assert_eq!(bytes[0], 1);
        assert_eq!(
            (bytes.len(), digest.as_str()),
            (GOLDEN_LEN, GOLDEN_DIGEST),
            "format 1 bytes changed:\n{hex}"
        );
        let back: CaseRecord = decode(&bytes).unwrap();
        assert_eq!(back, CaseRecord::Live(Box::new(sample_case())));
    }

    const GOLDEN_LEN: usize = 243;
    const GOLDEN_DIGEST: &str = "128018614619ed79e96f71246a1cac56a66e2267b8e4937acf84e0a94168355f";

    #[test]
    fn golden_bytes_event_format_1() {
        let event = Event {
            version: 2,
            at: at("2026-11-23T10:00:00Z"),
            actor: "anne".into(),
            change: Change::Command(Command::Route(RouteRequest {
                kind: DisclosureKind::Disclosure,
                recipient: "police".into(),
                bases: vec!["gdpr-6-1-e".parse().unwrap()],
                justification: "Needed for the investigation.".into(),
                transfer: None,
                waive_restriction: None,
                parties: vec![],
            })),
        };
        let bytes = encode(&event).unwrap();
        let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(hex, GOLDEN_EVENT_HEX);
        assert_eq!(decode::<Event>(&bytes).unwrap(), event);
    }

    const GOLDEN_EVENT_HEX: &str = "010214323032362d31312d32335431303a30303a30305a04616e6e6501020006706f6c696365010a676470722d362d312d651d4e656564656420666f722074686520696e7665737469676174696f6e2e000000";

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    /// The audit chain hashes the encoded `AuditEntry`: its bytes are as much the format
    /// as the case's. Pinned like the others.
    #[test]
    fn golden_bytes_audit_entry_format_1() {
        use crate::store::audit::AuditEntry;
        let entry = AuditEntry {
            seq: 300,
            at: at("2026-11-23T10:00:00Z"),
            actor: "dora".into(),
            reference: Some(Reference::new(2026, 123)),
            version: 5,
            action: "erase".into(),
            digest: [0xab; 32],
            prev: [0x01; 32],
            clock: None,
        };
        let bytes = entry.encode().unwrap();
        assert_eq!(hex(&bytes), GOLDEN_AUDIT_HEX);
        assert_eq!(AuditEntry::decode(&bytes).unwrap(), entry);
        assert_eq!(
            blake3::Hash::from(entry.hash()).to_hex().as_str(),
            blake3::hash(&bytes).to_hex().as_str()
        );
        assert_eq!(
            blake3::Hash::from(entry.hash()).to_hex().as_str(),
            GOLDEN_AUDIT_HASH
        );
    }

    const GOLDEN_AUDIT_HEX: &str = "01fb2c0114323032362d31312d32335431303a30303a30305a04646f726101fbea077b05056572617365abababababababababababababababababababababababababababababababab0101010101010101010101010101010101010101010101010101010101010101";
    const GOLDEN_AUDIT_HASH: &str =
        "d6a709f4b0f65ac61aaec3d88949632b970976809160becc0bb8a2b1b706adf7";

    /// The tombstone an erasure leaves, as stored and as its event's bytes are hashed.
    #[test]
    fn golden_bytes_tombstone_format_1() {
        let tomb = Tombstone {
            reference: Reference::new(2026, 123),
            purpose: Some("citizen-enquiries".into()),
            received: "2026-11-23".parse().unwrap(),
            closed: Some(at("2026-11-24T08:00:00Z")),
            handed_over: None,
            ground: "Archives Act".into(),
            erased: Stamp {
                by: "dora".into(),
                at: at("2026-11-25T08:00:00Z"),
            },
            version: 6,
        };
        let rec = CaseRecord::Erased(tomb);
        let bytes = encode(&rec).unwrap();
        assert_eq!(hex(&bytes), GOLDEN_TOMBSTONE_HEX);
        assert_eq!(decode::<CaseRecord>(&bytes).unwrap(), rec);
        let event = Event {
            version: 6,
            at: at("2026-11-25T08:00:00Z"),
            actor: "dora".into(),
            change: Change::Command(Command::Erase {
                ground: "Archives Act".into(),
            }),
        };
        let bytes = encode(&event).unwrap();
        assert_eq!(hex(&bytes), GOLDEN_ERASE_EVENT_HEX);
        assert_eq!(decode::<Event>(&bytes).unwrap(), event);
    }

    const GOLDEN_TOMBSTONE_HEX: &str = "0101fbea077b0111636974697a656e2d656e717569726965730a323032362d31312d32330114323032362d31312d32345430383a30303a30305a000c41726368697665732041637404646f726114323032362d31312d32355430383a30303a30305a06";
    const GOLDEN_ERASE_EVENT_HEX: &str =
        "010614323032362d31312d32355430383a30303a30305a04646f726101120c417263686976657320416374";

    /// A read is chained by the digest of its access record.
    #[test]
    fn golden_bytes_access_record_format_1() {
        use crate::domain::command::Access;
        use crate::store::AccessRecord;
        let rec = AccessRecord {
            at: at("2026-11-23T10:00:00Z"),
            actor: "anne".into(),
            reference: Some(Reference::new(2026, 123)),
            access: Access::RevealCpr,
        };
        let bytes = encode(&rec).unwrap();
        assert_eq!(hex(&bytes), GOLDEN_ACCESS_HEX);
        assert_eq!(decode::<AccessRecord>(&bytes).unwrap(), rec);
    }

    const GOLDEN_ACCESS_HEX: &str =
        "0114323032362d31312d32335431303a30303a30305a04616e6e6501fbea077b01";

    #[test]
    fn refuses_unknown_version_empty_and_trailing_bytes() {
        let mut bytes = encode(&42u32).unwrap();
        assert_eq!(decode::<u32>(&bytes).unwrap(), 42);
        bytes.push(0);
        assert!(matches!(
            decode::<u32>(&bytes),
            Err(CodecError::Trailing(1))
        ));
        assert!(matches!(decode::<u32>(&[]), Err(CodecError::Empty)));
        assert!(matches!(
            decode::<u32>(&[2, 42]),
            Err(CodecError::UnknownFormat(2))
        ));
    }

    #[test]
    fn corrupt_lengths_do_not_allocate_wildly() {
        // A string claiming 2^60 bytes must be refused, not attempted.
        let mut bytes = vec![FORMAT, 0xff];
        bytes.extend_from_slice(&(1u64 << 60).to_le_bytes());
        assert!(decode::<String>(&bytes).is_err());
    }
}
