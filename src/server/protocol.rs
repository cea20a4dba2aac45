//! The wire between `triage serve` and its clients: frames, the handshake and the messages.
//!
//! A frame is a u32 big-endian length followed by that many bytes of `store::codec`
//! output (format byte + bincode). The first frame each way is the handshake; a client of
//! another protocol version is refused with words, not with undecodable bytes.

use crate::domain::case::{CaseRecord, Status, Suggestion};
use crate::domain::command::{Access, Command, Event, Refusal};
use crate::domain::enquiry::{Enquiry, Reference};
use crate::domain::invalid::Invalid;
use crate::domain::policy::Role;
use crate::domain::summary::CaseSummary;
use crate::store::api::PolicyChange;
use crate::store::audit::Verification;
use crate::store::backup::BackupSummary;
use crate::store::check::CheckReport;
use crate::store::codec::{self, CodecError};
use crate::store::lifecycle::AuditLine;
use crate::store::{AccessRecord, StoreError};
use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::io::{self, Read};

/// Bumped whenever a message below changes shape.
pub const PROTOCOL: u32 = 7;

/// The largest frame the server reads from a client: a command with a long note fits many
/// times over, and a client cannot make the server allocate more.
pub const MAX_REQUEST: usize = 16 * 1024 * 1024;

/// The largest frame a client reads from the server. Lists come in pages far below it;
/// one case with its events is the largest single answer.
pub const MAX_REPLY: usize = 256 * 1024 * 1024;

/// The client's first frame. Its shape never changes, so any server can read it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hello {
    pub protocol: u32,
    /// The client's program version, for the server's log and refusal messages.
    pub client: String,
}

/// The server's first frame. `Refused` stays variant 0 holding one string in every
/// protocol version, so a client of any version can read why it was turned away.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Greeting {
    Refused { reason: String },
    Welcome(Welcome),
}

/// What a client learns on connecting: who the kernel says it is, and the policy in force.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Welcome {
    pub protocol: u32,
    pub server: String,
    pub login: String,
    pub roles: Vec<Role>,
    /// The policy TOML the server works under; the client parses it for display.
    pub policy: String,
    /// The store's path on the server, for the status bar.
    pub store: String,
    /// The server's fixed "now" (TRIAGE_NOW), so client and server agree in tests.
    pub fixed_now: Option<DateTime<Utc>>,
}

/// A client's request, numbered so the reply can be matched to it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Call {
    pub id: u64,
    pub request: Request,
}

/// One call of the `Api`, as sent. The actor is never part of it: the server knows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Request {
    /// The queue index in reference order, a page at a time.
    SummariesPage {
        after: Option<Reference>,
        n: u32,
    },
    /// The most urgent cases, for the first page of the queue.
    Urgent {
        status: Option<Status>,
        n: u32,
    },
    /// References given out: at least the queue's length.
    QueueBound,
    Case(Reference),
    Events(Reference),
    Execute {
        reference: Reference,
        expected: u64,
        command: Command,
    },
    LogAccess {
        reference: Option<Reference>,
        access: Access,
    },
    SaveDraft {
        reference: Reference,
        text: String,
    },
    Draft(Reference),
    /// New enquiries, registered in one transaction (all or none), as `triage import` does.
    Register {
        batch: Vec<Arrival>,
    },
    /// Whole case records a page at a time, filtered by status in the server.
    CasesPage {
        after: Option<Reference>,
        n: u32,
        status: Option<Status>,
    },
    /// The cases filed under these subject keys (the subject index).
    SubjectRecords(Vec<String>),
    AccessRecords(Option<Reference>),
    AuditVerify,
    AuditPage {
        case: Option<Reference>,
        after: u64,
        n: u32,
    },
    /// Takes a consistent snapshot for this connection; its bytes follow with
    /// `SnapshotPart`, and `SnapshotDone` (or the connection's end) removes it.
    Snapshot,
    SnapshotPart {
        offset: u64,
        len: u32,
    },
    SnapshotDone,
    Check,
    InstallPolicy {
        text: String,
        force: bool,
    },
    /// The audit chain's head, as `audit::HeadLine` writes it.
    AuditHead,
    /// Whether the chain still extends a head line written down earlier.
    AuditExtends(String),
    /// A full-text search (see `search::query`); the server logs the terms as a read.
    Search {
        query: String,
        limit: u32,
    },
    /// The archive register's state of each case (at most a page).
    ArchiveStates(Vec<Reference>),
    ArchivePackages,
    /// Writes the next archival version into the server's outbox (beside the store) and
    /// records it; the client then fetches its files and says `ArchiveFetched`. The
    /// authority's own context documents travel as (file name, bytes).
    ArchiveCreate {
        context_docs: Vec<(String, Vec<u8>)>,
    },
    /// The files of a package waiting in the outbox: (path inside the package, bytes).
    ArchiveFiles(String),
    ArchivePart {
        package: String,
        path: String,
        offset: u64,
        len: u32,
    },
    /// The client holds a verified copy: the outbox's copy is removed.
    ArchiveFetched(String),
    ArchiveReceipt {
        package: String,
        approved: chrono::NaiveDate,
        file_index_md5: Option<String>,
    },
}

/// An enquiry to register, with what detection on the client suggested.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Arrival {
    pub enquiry: Enquiry,
    pub suggestions: Vec<Suggestion>,
    /// Where it came from (file and line), recorded in the registration event.
    pub source: String,
}

impl Request {
    /// A short name for the server's log; never personal data.
    pub fn name(&self) -> &'static str {
        match self {
            Request::SummariesPage { .. } => "summaries-page",
            Request::Urgent { .. } => "urgent",
            Request::QueueBound => "queue-bound",
            Request::Case(_) => "case",
            Request::Events(_) => "events",
            Request::Execute { command, .. } => command.action(),
            Request::LogAccess { .. } => "log-access",
            Request::SaveDraft { .. } => "save-draft",
            Request::Draft(_) => "draft",
            Request::Register { .. } => "register",
            Request::CasesPage { .. } => "cases-page",
            Request::SubjectRecords(_) => "subject-records",
            Request::AccessRecords(_) => "access-records",
            Request::AuditVerify => "audit-verify",
            Request::AuditPage { .. } => "audit-page",
            Request::Snapshot => "snapshot",
            Request::SnapshotPart { .. } => "snapshot-part",
            Request::SnapshotDone => "snapshot-done",
            Request::Check => "check",
            Request::InstallPolicy { .. } => "install-policy",
            Request::AuditHead => "audit-head",
            Request::AuditExtends(_) => "audit-extends",
            Request::Search { .. } => "search",
            Request::ArchiveStates(_) => "archive-states",
            Request::ArchivePackages => "archive-packages",
            Request::ArchiveCreate { .. } => "archive-create",
            Request::ArchiveFiles(_) => "archive-files",
            Request::ArchivePart { .. } => "archive-part",
            Request::ArchiveFetched(_) => "archive-fetched",
            Request::ArchiveReceipt { .. } => "archive-receipt",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Answer {
    Summaries(Vec<CaseSummary>),
    Case(Option<CaseRecord>),
    Events(Vec<Event>),
    Executed(CaseRecord),
    Done,
    Draft(Option<String>),
    Count(u64),
    Registered {
        registered: Vec<Reference>,
        /// (position in the batch, the case it duplicates)
        duplicates: Vec<(usize, Reference)>,
        /// (new case, earlier request of the same person for the same right)
        flagged: Vec<(Reference, Reference)>,
    },
    CasesPage {
        records: Vec<CaseRecord>,
        next: Option<Reference>,
    },
    Records(Vec<CaseRecord>),
    AccessRecords(Vec<AccessRecord>),
    Verified(Verification),
    AuditPage {
        lines: Vec<AuditLine>,
        next: Option<u64>,
    },
    Snapshot(BackupSummary),
    Bytes(Vec<u8>),
    Checked(CheckReport),
    PolicyInstalled(PolicyChange),
    /// A head line (`audit::HeadLine`).
    Head(String),
    /// None when the chain extends the head asked about, else what is wrong.
    Extends(Option<String>),
    Hits(Vec<crate::search::Hit>),
    ArchiveStates(Vec<crate::domain::handover::ArchiveState>),
    Packages(Vec<crate::archive::registry::PackageRecord>),
    /// A package made and waiting in the outbox, with its files (path inside it, bytes).
    ArchiveMade {
        made: crate::store::api::ArchiveMade,
        files: Vec<(String, u64)>,
    },
    ArchiveFiles(Vec<(String, u64)>),
    Approved(crate::store::api::ArchiveApproval),
}

/// Everything the server sends after the handshake.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ServerMessage {
    Reply {
        id: u64,
        result: Result<Answer, WireError>,
    },
    /// Someone else changed these cases (or registered them): reload them (pushed, unasked).
    Changed {
        references: Vec<Reference>,
        by: String,
    },
    /// The client broke the protocol; the server closes this connection after saying so.
    Error { message: String },
    /// The server is shutting down; the connection closes after in-flight replies.
    Stopping { reason: String },
}

/// A `StoreError` as it crosses the wire: the cases a client acts on keep their shape,
/// the rest travel as the server's words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum WireError {
    NotFound(Reference),
    Erased(Reference),
    Conflict {
        reference: Reference,
        expected: u64,
        actual: u64,
        by: String,
        at: DateTime<Utc>,
    },
    Refused(WireRefusal),
    Hidden(Reference),
    Failed(String),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum WireRefusal {
    NotPermitted {
        action: String,
        needs: String,
        have: String,
    },
    WrongStatus {
        action: String,
        status: Status,
    },
    /// Typed since protocol 7, so the client says it in its own language.
    Invalid(Invalid),
    Routing(Vec<crate::domain::routing::RouteProblem>),
}

impl From<&StoreError> for WireError {
    fn from(e: &StoreError) -> Self {
        match e {
            StoreError::NotFound(r) => WireError::NotFound(*r),
            StoreError::Erased(r) => WireError::Erased(*r),
            StoreError::Conflict {
                reference,
                expected,
                actual,
                by,
                at,
            } => WireError::Conflict {
                reference: *reference,
                expected: *expected,
                actual: *actual,
                by: by.clone(),
                at: *at,
            },
            StoreError::Refused(r) => WireError::Refused(match r {
                Refusal::NotPermitted {
                    action,
                    needs,
                    have,
                } => WireRefusal::NotPermitted {
                    action: action.to_string(),
                    needs: needs.to_string(),
                    have: have.clone(),
                },
                Refusal::WrongStatus { action, status } => WireRefusal::WrongStatus {
                    action: action.to_string(),
                    status: *status,
                },
                Refusal::Invalid(i) => WireRefusal::Invalid(i.clone()),
                Refusal::Routing(v) => WireRefusal::Routing(v.clone()),
            }),
            StoreError::Hidden(r) => WireError::Hidden(*r),
            other => WireError::Failed(format!("the server could not do it: {other}")),
        }
    }
}

/// Names a refusal may carry; a refusal keeps its type on the client only with these.
const ACTIONS: &[&str] = &[
    "classify",
    "set-purpose",
    "route",
    "forward",
    "employer-notice",
    "withdraw",
    "assign",
    "note",
    "decide",
    "answer",
    "close",
    "restrict",
    "unrestrict",
    "hold",
    "release-hold",
    "extend",
    "pause",
    "resume",
    "hand-over",
    "assess",
    "erase",
    "backup",
    "check",
    "install-policy",
    "audit",
    "archive",
];
const NEEDS: &[&str] = &["dpo or admin", "dpo", "caseworker, dpo or admin", "admin"];

fn known(s: &str, list: &[&'static str]) -> Option<&'static str> {
    list.iter().copied().find(|k| *k == s)
}

impl From<WireError> for StoreError {
    fn from(e: WireError) -> Self {
        match e {
            WireError::NotFound(r) => StoreError::NotFound(r),
            WireError::Erased(r) => StoreError::Erased(r),
            WireError::Conflict {
                reference,
                expected,
                actual,
                by,
                at,
            } => StoreError::Conflict {
                reference,
                expected,
                actual,
                by,
                at,
            },
            WireError::Hidden(r) => StoreError::Hidden(r),
            WireError::Failed(s) => StoreError::Server(s),
            WireError::Refused(r) => StoreError::Refused(match r {
                WireRefusal::NotPermitted {
                    action,
                    needs,
                    have,
                } => match (known(&action, ACTIONS), known(&needs, NEEDS)) {
                    (Some(action), Some(needs)) => Refusal::NotPermitted {
                        action,
                        needs,
                        have,
                    },
                    _ => Refusal::Invalid(Invalid::Other(format!(
                        "{action} needs the role {needs}; you have {have}"
                    ))),
                },
                WireRefusal::WrongStatus { action, status } => match known(&action, ACTIONS) {
                    Some(action) => Refusal::WrongStatus { action, status },
                    None => Refusal::Invalid(Invalid::Other(format!(
                        "{action} is not possible on a case that is {status}"
                    ))),
                },
                WireRefusal::Invalid(i) => Refusal::Invalid(i),
                WireRefusal::Routing(v) => Refusal::Routing(v),
            }),
        }
    }
}

/// A server's answer as the client's `Api` reports it: kinds kept, the rest in words.
impl From<WireError> for crate::store::api_error::ApiError {
    fn from(e: WireError) -> Self {
        StoreError::from(e).into()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum FrameError {
    #[error("{0}")]
    Io(#[from] io::Error),
    #[error("a frame of {len} bytes is over the limit of {limit} bytes")]
    TooBig { len: usize, limit: usize },
    #[error("the connection closed in the middle of a frame")]
    Truncated,
    #[error("undecodable frame: {0}")]
    Decode(CodecError),
    #[error("cannot encode a frame: {0}")]
    Encode(CodecError),
}

/// Encodes a message into one frame (length prefix included).
pub fn frame<T: Serialize>(value: &T, limit: usize) -> Result<Vec<u8>, FrameError> {
    let body = codec::encode(value).map_err(FrameError::Encode)?;
    if body.len() > limit {
        return Err(FrameError::TooBig {
            len: body.len(),
            limit,
        });
    }
    let mut out = Vec::with_capacity(4 + body.len());
    out.extend_from_slice(&(body.len() as u32).to_be_bytes());
    out.extend_from_slice(&body);
    Ok(out)
}

/// Reads one frame's header: None on a clean end of stream between frames.
pub fn read_header(r: &mut impl Read, limit: usize) -> Result<Option<usize>, FrameError> {
    let mut len = [0u8; 4];
    match crate::fill::fill(r, &mut len)? {
        0 => return Ok(None),
        4 => {}
        _ => return Err(FrameError::Truncated),
    }
    let len = u32::from_be_bytes(len) as usize;
    // Refused before a byte is allocated for it.
    if len > limit {
        return Err(FrameError::TooBig { len, limit });
    }
    Ok(Some(len))
}

/// Reads a frame body of `len` bytes (from `read_header`).
pub fn read_body(r: &mut impl Read, len: usize) -> Result<Vec<u8>, FrameError> {
    let mut body = vec![0u8; len];
    r.read_exact(&mut body).map_err(|e| match e.kind() {
        io::ErrorKind::UnexpectedEof => FrameError::Truncated,
        _ => FrameError::Io(e),
    })?;
    Ok(body)
}

/// Reads one whole frame: None on a clean end of stream.
pub fn read_frame(r: &mut impl Read, limit: usize) -> Result<Option<Vec<u8>>, FrameError> {
    match read_header(r, limit)? {
        None => Ok(None),
        Some(len) => read_body(r, len).map(Some),
    }
}

pub fn decode<T: DeserializeOwned>(body: &[u8]) -> Result<T, FrameError> {
    codec::decode(body).map_err(FrameError::Decode)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_frame_round_trips() {
        let call = Call {
            id: 7,
            request: Request::Execute {
                reference: Reference::new(2026, 3),
                expected: 2,
                command: Command::AddNote {
                    text: "called back".into(),
                },
            },
        };
        let bytes = frame(&call, MAX_REQUEST).unwrap();
        assert_eq!(
            u32::from_be_bytes(bytes[..4].try_into().unwrap()) as usize,
            bytes.len() - 4
        );
        let mut r = &bytes[..];
        let body = read_frame(&mut r, MAX_REQUEST).unwrap().unwrap();
        assert_eq!(decode::<Call>(&body).unwrap(), call);
        assert!(read_frame(&mut r, MAX_REQUEST).unwrap().is_none());
    }

    #[test]
    fn a_huge_length_is_refused_before_allocating() {
        let bytes = u32::MAX.to_be_bytes();
        match read_frame(&mut &bytes[..], MAX_REQUEST) {
            Err(FrameError::TooBig { len, limit }) => {
                assert_eq!(len, u32::MAX as usize);
                assert_eq!(limit, MAX_REQUEST);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_cut_frame_is_truncated_not_eof() {
        let bytes = frame(
            &Hello {
                protocol: 1,
                client: "x".into(),
            },
            MAX_REQUEST,
        )
        .unwrap();
        for cut in [2, 4, bytes.len() - 1] {
            assert!(
                matches!(
                    read_frame(&mut &bytes[..cut], MAX_REQUEST),
                    Err(FrameError::Truncated)
                ),
                "cut at {cut}"
            );
        }
    }

    #[test]
    fn garbage_does_not_decode() {
        assert!(decode::<Call>(b"GET / HTTP/1.1\r\n").is_err());
        assert!(decode::<Call>(&[]).is_err());
    }

    /// The refusal must stay readable by every client version: variant 0, one string.
    #[test]
    fn refusal_bytes_are_pinned() {
        let bytes = codec::encode(&Greeting::Refused {
            reason: "no".into(),
        })
        .unwrap();
        assert_eq!(bytes, vec![codec::FORMAT, 0, 2, b'n', b'o']);
        let hello = codec::encode(&Hello {
            protocol: 1,
            client: "v".into(),
        })
        .unwrap();
        assert_eq!(hello, vec![codec::FORMAT, 1, 1, b'v']);
    }

    #[test]
    fn errors_keep_their_shape_across_the_wire() {
        let at = Utc::now();
        let conflict = StoreError::Conflict {
            reference: Reference::new(2026, 1),
            expected: 1,
            actual: 2,
            by: "anne".into(),
            at,
        };
        let back: StoreError = WireError::from(&conflict).into();
        assert!(matches!(back, StoreError::Conflict { ref by, .. } if by == "anne"));
        let refused = StoreError::Refused(Refusal::NotPermitted {
            action: "erase",
            needs: "dpo",
            have: "caseworker".into(),
        });
        let back: StoreError = WireError::from(&refused).into();
        assert_eq!(back.to_string(), refused.to_string());
        assert!(matches!(
            back,
            StoreError::Refused(Refusal::NotPermitted {
                action: "erase",
                ..
            })
        ));
        let wrong = StoreError::Refused(Refusal::WrongStatus {
            action: "close",
            status: Status::Erased,
        });
        let back: StoreError = WireError::from(&wrong).into();
        assert_eq!(back.to_string(), wrong.to_string());
    }

    /// A refusal of the rules crosses the wire as its value, so the client can say it in
    /// Danish; the English words alone could not be translated there.
    #[test]
    fn an_invalid_command_keeps_its_type_across_the_wire() {
        let held = Invalid::HeldBy {
            reference: Reference::new(2026, 3),
            holder: "bo".into(),
        };
        let wire = WireError::from(&StoreError::Refused(Refusal::Invalid(held.clone())));
        let bytes = codec::encode(&wire).unwrap();
        let back: StoreError = decode::<WireError>(&bytes).unwrap().into();
        match back {
            StoreError::Refused(Refusal::Invalid(i)) => assert_eq!(i, held),
            other => panic!("{other:?}"),
        }
    }
}
