//! The server's client: implements `Api` over the socket, so the interface cannot tell it
//! from the embedded store — except that `changed()` now hears of other people's work.

use super::protocol::{
    self, Answer, Arrival, Call, FrameError, Greeting, Hello, Request, ServerMessage, WireError,
    MAX_REPLY, MAX_REQUEST, PROTOCOL,
};
use super::unix;
use crate::domain::case::{CaseRecord, Status};
use crate::domain::command::{Access, Command, Event};
use crate::domain::enquiry::Reference;
use crate::domain::policy::{Policy, PolicyError};
use crate::domain::summary::CaseSummary;
use crate::store::api::Api;
use crate::store::api::{Page, PolicyChange, PAGE};
use crate::store::api_error::ApiError;
use crate::store::audit::HeadLine;
use crate::store::audit::Verification;
use crate::store::backup::BackupSummary;
use crate::store::check::CheckReport;
use crate::store::lifecycle::AuditLine;
use crate::store::{AccessRecord, Actor, NewEnquiry, Registration};
use chrono::{DateTime, Utc};
use std::io;
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// How long a call waits for its answer before telling the person the server is stuck.
const CALL_TIMEOUT: Duration = Duration::from_secs(60);
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);
/// Whole-store work (a snapshot, a check, the chain recomputed) takes minutes at a million
/// cases; the answer is waited for this long.
pub(super) const LONG_CALL_TIMEOUT: Duration = Duration::from_secs(3600);
/// Queue summaries per request when the whole queue is gathered (they are small).
const SUMMARY_PAGE: usize = 5000;
/// Bytes of a snapshot fetched per request.
const SNAPSHOT_PART: u32 = 4 * 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    /// Nothing listens there: the caller may open the store itself instead.
    #[error("no triage server answers at {}: {cause}", .socket.display())]
    NoServer { socket: PathBuf, cause: io::Error },
    #[error("the triage server at {} refused you: {reason}", .socket.display())]
    Refused { socket: PathBuf, reason: String },
    #[error("you may not connect to the triage server at {}: permission denied.\n  Its socket admits the members of one group (`triage serve --socket-group`); ask an administrator to add your login to it.", .socket.display())]
    Denied { socket: PathBuf },
    #[error("cannot talk to the triage server at {}: {detail}", .socket.display())]
    Broken { socket: PathBuf, detail: String },
    #[error("the triage server's policy does not load here: {0}")]
    Policy(PolicyError),
}

impl ConnectError {
    /// True when no server runs there, so opening the store directly is the right fallback.
    pub fn no_server(&self) -> bool {
        matches!(self, ConnectError::NoServer { .. })
    }
}

struct Link {
    stream: UnixStream,
    next_id: u64,
    replies: Receiver<(u64, Result<Answer, WireError>)>,
}

/// A connection to `triage serve`, speaking the `Api`.
pub struct Client {
    socket: PathBuf,
    store: String,
    actor: Actor,
    policy: Policy,
    fixed_now: Option<DateTime<Utc>>,
    link: Mutex<Link>,
    notices: Mutex<Receiver<Reference>>,
    /// Why the connection ended, once it has.
    ended: Arc<Mutex<Option<String>>>,
}

impl Client {
    /// Connects and greets. The server, not this process, decides who we are.
    pub fn connect(socket: &Path) -> Result<Client, ConnectError> {
        let socket = socket.to_path_buf();
        let broken = |detail: String| ConnectError::Broken {
            socket: socket.clone(),
            detail,
        };
        let stream = UnixStream::connect(&socket).map_err(|cause| match cause.kind() {
            io::ErrorKind::NotFound | io::ErrorKind::ConnectionRefused => ConnectError::NoServer {
                socket: socket.clone(),
                cause,
            },
            io::ErrorKind::PermissionDenied => ConnectError::Denied {
                socket: socket.clone(),
            },
            _ => broken(cause.to_string()),
        })?;
        let hello = protocol::frame(
            &Hello {
                protocol: PROTOCOL,
                client: format!("triage {}", env!("CARGO_PKG_VERSION")),
            },
            MAX_REQUEST,
        )
        .map_err(|e| broken(e.to_string()))?;
        // A server at its limit refuses before reading our greeting, so a failed send may
        // still leave its refusal to read.
        let sent = unix::send_all(&stream, &hello);
        stream
            .set_read_timeout(Some(HANDSHAKE_TIMEOUT))
            .map_err(|e| broken(e.to_string()))?;
        let mut reader = &stream;
        let greeting: Greeting = match protocol::read_frame(&mut reader, MAX_REPLY) {
            Ok(Some(body)) => protocol::decode(&body).map_err(|e| {
                broken(format!(
                    "its greeting does not decode ({e}); is it another triage version?"
                ))
            })?,
            _ if sent.is_err() => {
                return Err(broken(
                    sent.err().map(|e| e.to_string()).unwrap_or_default(),
                ))
            }
            Ok(None) | Err(FrameError::Truncated) => {
                return Err(broken("it closed the connection without a greeting".into()))
            }
            Err(e) => return Err(broken(e.to_string())),
        };
        let welcome = match greeting {
            Greeting::Refused { reason } => {
                return Err(ConnectError::Refused {
                    socket: socket.clone(),
                    reason,
                })
            }
            Greeting::Welcome(w) => w,
        };
        if welcome.protocol != PROTOCOL {
            return Err(broken(format!(
                "it speaks protocol {} (triage {}), this client protocol {PROTOCOL}",
                welcome.protocol, welcome.server
            )));
        }
        let policy = Policy::from_toml(&welcome.policy, "the server's policy")
            .map_err(ConnectError::Policy)?;
        stream
            .set_read_timeout(None)
            .map_err(|e| broken(e.to_string()))?;
        let reader_stream = stream.try_clone().map_err(|e| broken(e.to_string()))?;
        let (reply_tx, replies) = mpsc::channel();
        let (notice_tx, notices) = mpsc::channel();
        let ended = Arc::new(Mutex::new(None::<String>));
        let ended_by_reader = ended.clone();
        std::thread::Builder::new()
            .name("triage-client".into())
            .spawn(move || {
                let mut r = &reader_stream;
                let why = loop {
                    let body = match protocol::read_frame(&mut r, MAX_REPLY) {
                        Ok(Some(b)) => b,
                        Ok(None) | Err(FrameError::Truncated) => {
                            break "the server closed the connection".to_string()
                        }
                        Err(e) => break e.to_string(),
                    };
                    match protocol::decode::<ServerMessage>(&body) {
                        Ok(ServerMessage::Reply { id, result }) => {
                            let _ = reply_tx.send((id, result));
                        }
                        Ok(ServerMessage::Changed { references, .. }) => {
                            for r in references {
                                let _ = notice_tx.send(r);
                            }
                        }
                        Ok(ServerMessage::Error { message }) => {
                            break format!("the server ended the connection: {message}")
                        }
                        Ok(ServerMessage::Stopping { reason }) => {
                            // Replies still in flight follow; keep reading until the end.
                            *ended_by_reader.lock().unwrap_or_else(|p| p.into_inner()) =
                                Some(reason);
                        }
                        Err(e) => break format!("an undecodable message from the server ({e})"),
                    }
                };
                let mut ended = ended_by_reader.lock().unwrap_or_else(|p| p.into_inner());
                if ended.is_none() {
                    *ended = Some(why);
                }
            })
            .map_err(|e| broken(e.to_string()))?;
        Ok(Client {
            socket,
            store: welcome.store,
            actor: Actor {
                login: welcome.login,
                roles: welcome.roles,
            },
            policy,
            fixed_now: welcome.fixed_now,
            link: Mutex::new(Link {
                stream,
                next_id: 1,
                replies,
            }),
            notices: Mutex::new(notices),
            ended,
        })
    }

    pub fn socket(&self) -> &Path {
        &self.socket
    }

    /// The store's path on the server.
    pub fn store_path(&self) -> &str {
        &self.store
    }

    /// Why the connection ended, if it has (the server stopped, the network went).
    pub fn ended(&self) -> Option<String> {
        self.ended.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    fn lost(&self, detail: &str) -> ApiError {
        let why = self.ended().unwrap_or_else(|| detail.to_string());
        ApiError::Unavailable(format!(
            "the connection to the triage server at {} is lost ({why}); nothing more was saved. Restart triage to reconnect.",
            self.socket.display()
        ))
    }

    pub(super) fn call(&self, request: Request) -> Result<Answer, ApiError> {
        self.call_within(request, CALL_TIMEOUT)
    }

    pub(super) fn call_within(
        &self,
        request: Request,
        timeout: Duration,
    ) -> Result<Answer, ApiError> {
        let mut link = self.link.lock().unwrap_or_else(|p| p.into_inner());
        let id = link.next_id;
        link.next_id += 1;
        let bytes = protocol::frame(&Call { id, request }, MAX_REQUEST).map_err(|e| match e {
            FrameError::TooBig { .. } => {
                ApiError::Unavailable(format!("the request is too large to send: {e}"))
            }
            e => ApiError::Unavailable(e.to_string()),
        })?;
        unix::send_all(&link.stream, &bytes).map_err(|e| self.lost(&e.to_string()))?;
        loop {
            match link.replies.recv_timeout(timeout) {
                Ok((rid, result)) if rid == id => return result.map_err(ApiError::from),
                // The late answer to an earlier call that timed out.
                Ok(_) => continue,
                Err(RecvTimeoutError::Timeout) => {
                    return Err(ApiError::Unavailable(format!(
                        "the triage server at {} did not answer within {} s; the request may or may not have been done: reload before deciding again",
                        self.socket.display(),
                        timeout.as_secs()
                    )))
                }
                Err(RecvTimeoutError::Disconnected) => return Err(self.lost("no answer")),
            }
        }
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        // Ends the reader thread and tells the server at once, rather than when it next writes.
        let link = self.link.lock().unwrap_or_else(|p| p.into_inner());
        let _ = link.stream.shutdown(std::net::Shutdown::Both);
    }
}

pub(super) fn unexpected(a: Answer) -> ApiError {
    // Names the kind only: the answer itself may hold personal data.
    let kind = match a {
        Answer::Summaries(_) => "summaries",
        Answer::Case(_) => "case",
        Answer::Events(_) => "events",
        Answer::Executed(_) => "executed",
        Answer::Done => "done",
        Answer::Draft(_) => "draft",
        Answer::Count(_) => "count",
        Answer::Registered { .. } => "registered",
        Answer::CasesPage { .. } => "cases-page",
        Answer::Records(_) => "records",
        Answer::AccessRecords(_) => "access-records",
        Answer::Verified(_) => "verified",
        Answer::AuditPage { .. } => "audit-page",
        Answer::Snapshot(_) => "snapshot",
        Answer::Bytes(_) => "bytes",
        Answer::Checked(_) => "checked",
        Answer::PolicyInstalled(_) => "policy-installed",
        Answer::Head(_) => "head",
        Answer::Extends(_) => "extends",
        Answer::Hits(_) => "hits",
        Answer::ArchiveStates(_) => "archive-states",
        Answer::Packages(_) => "packages",
        Answer::ArchiveMade { .. } => "archive-made",
        Answer::ArchiveFiles(_) => "archive-files",
        Answer::Approved(_) => "approved",
    };
    ApiError::Unavailable(format!(
        "the server answered with the wrong kind of reply ({kind})"
    ))
}

impl Api for Client {
    fn describe(&self) -> String {
        match self.ended() {
            None => format!("server {}", self.socket.display()),
            Some(why) => format!("server {} — disconnected: {why}", self.socket.display()),
        }
    }
    fn actor(&self) -> &Actor {
        &self.actor
    }
    fn policy(&self) -> &Policy {
        &self.policy
    }
    /// Every case, gathered here a page at a time: the server never holds the list.
    fn cases(&self) -> Result<Vec<CaseRecord>, ApiError> {
        let (mut all, mut after) = (Vec::new(), None);
        loop {
            let (page, next) = self.cases_page(after, PAGE, None)?;
            all.extend(page);
            match next {
                Some(n) => after = Some(n),
                None => return Ok(all),
            }
        }
    }
    /// The whole queue, gathered here a page at a time (see `cases`).
    fn summaries(&self) -> Result<Vec<CaseSummary>, ApiError> {
        let (mut all, mut after) = (Vec::new(), None);
        loop {
            let page = self.summaries_page(after, SUMMARY_PAGE)?;
            let Some(last) = page.last().map(|s| s.reference) else {
                return Ok(all);
            };
            all.extend(page);
            after = Some(last);
        }
    }
    fn summaries_page(
        &self,
        after: Option<Reference>,
        n: usize,
    ) -> Result<Vec<CaseSummary>, ApiError> {
        let n = u32::try_from(n).unwrap_or(u32::MAX);
        match self.call(Request::SummariesPage { after, n })? {
            Answer::Summaries(v) => Ok(v),
            a => Err(unexpected(a)),
        }
    }
    fn urgent(&self, status: Option<Status>, n: usize) -> Result<Vec<CaseSummary>, ApiError> {
        let n = u32::try_from(n).unwrap_or(u32::MAX);
        match self.call(Request::Urgent { status, n })? {
            Answer::Summaries(v) => Ok(v),
            a => Err(unexpected(a)),
        }
    }
    fn queue_bound(&self) -> Result<u64, ApiError> {
        match self.call(Request::QueueBound)? {
            Answer::Count(n) => Ok(n),
            a => Err(unexpected(a)),
        }
    }
    fn case(&self, reference: Reference) -> Result<Option<CaseRecord>, ApiError> {
        match self.call(Request::Case(reference))? {
            Answer::Case(v) => Ok(v),
            a => Err(unexpected(a)),
        }
    }
    fn events(&self, reference: Reference) -> Result<Vec<Event>, ApiError> {
        match self.call(Request::Events(reference))? {
            Answer::Events(v) => Ok(v),
            a => Err(unexpected(a)),
        }
    }
    fn execute(
        &self,
        reference: Reference,
        expected: u64,
        cmd: &Command,
    ) -> Result<CaseRecord, ApiError> {
        match self.call(Request::Execute {
            reference,
            expected,
            command: cmd.clone(),
        })? {
            Answer::Executed(v) => Ok(v),
            a => Err(unexpected(a)),
        }
    }
    fn log_access(&self, reference: Option<Reference>, access: &Access) -> Result<(), ApiError> {
        match self.call(Request::LogAccess {
            reference,
            access: access.clone(),
        })? {
            Answer::Done => Ok(()),
            a => Err(unexpected(a)),
        }
    }
    fn save_draft(&self, reference: Reference, text: &str) -> Result<(), ApiError> {
        match self.call(Request::SaveDraft {
            reference,
            text: text.to_string(),
        })? {
            Answer::Done => Ok(()),
            a => Err(unexpected(a)),
        }
    }
    fn draft(&self, reference: Reference) -> Result<Option<String>, ApiError> {
        match self.call(Request::Draft(reference))? {
            Answer::Draft(v) => Ok(v),
            a => Err(unexpected(a)),
        }
    }
    fn now(&self) -> DateTime<Utc> {
        self.fixed_now.unwrap_or_else(Utc::now)
    }
    fn search(&self, query: &str, limit: usize) -> Result<Vec<crate::search::Hit>, ApiError> {
        // Said here, in the same words as the embedded store, rather than as a frame too big.
        crate::search::query::parse(query).map_err(crate::search::refused)?;
        let limit = u32::try_from(limit).unwrap_or(u32::MAX);
        match self.call(Request::Search {
            query: query.to_string(),
            limit,
        })? {
            Answer::Hits(v) => Ok(v),
            a => Err(unexpected(a)),
        }
    }
    fn changed(&self) -> Vec<Reference> {
        let rx = self.notices.lock().unwrap_or_else(|p| p.into_inner());
        let mut out: Vec<Reference> = Vec::new();
        while let Ok(r) = rx.try_recv() {
            if !out.contains(&r) {
                out.push(r);
            }
        }
        out
    }
    fn cases_page(
        &self,
        after: Option<Reference>,
        n: usize,
        status: Option<Status>,
    ) -> Result<Page<CaseRecord, Reference>, ApiError> {
        let n = n.min(PAGE) as u32;
        match self.call(Request::CasesPage { after, n, status })? {
            Answer::CasesPage { records, next } => Ok((records, next)),
            a => Err(unexpected(a)),
        }
    }
    fn subject_records(&self, keys: &[String]) -> Result<Vec<CaseRecord>, ApiError> {
        match self.call(Request::SubjectRecords(keys.to_vec()))? {
            Answer::Records(v) => Ok(v),
            a => Err(unexpected(a)),
        }
    }
    fn access_records(&self, reference: Option<Reference>) -> Result<Vec<AccessRecord>, ApiError> {
        match self.call(Request::AccessRecords(reference))? {
            Answer::AccessRecords(v) => Ok(v),
            a => Err(unexpected(a)),
        }
    }
    fn register(&self, batch: Vec<NewEnquiry>) -> Result<Registration, ApiError> {
        let batch = batch
            .into_iter()
            .map(|n| Arrival {
                enquiry: n.enquiry,
                suggestions: n.suggestions,
                source: n.source,
            })
            .collect();
        match self.call(Request::Register { batch })? {
            Answer::Registered {
                registered,
                duplicates,
                flagged,
            } => Ok(Registration {
                registered,
                duplicates,
                flagged,
            }),
            a => Err(unexpected(a)),
        }
    }
    fn audit_verify(&self) -> Result<Verification, ApiError> {
        match self.call_within(Request::AuditVerify, LONG_CALL_TIMEOUT)? {
            Answer::Verified(v) => Ok(v),
            a => Err(unexpected(a)),
        }
    }
    fn audit_head(&self) -> Result<HeadLine, ApiError> {
        match self.call(Request::AuditHead)? {
            Answer::Head(line) => line.parse().map_err(ApiError::Unavailable),
            a => Err(unexpected(a)),
        }
    }
    fn audit_extends(&self, line: &HeadLine) -> Result<Option<String>, ApiError> {
        match self.call(Request::AuditExtends(line.to_string()))? {
            Answer::Extends(problem) => Ok(problem),
            a => Err(unexpected(a)),
        }
    }
    fn audit_page(
        &self,
        case: Option<Reference>,
        after: u64,
        n: usize,
    ) -> Result<Page<AuditLine, u64>, ApiError> {
        let n = n.min(PAGE) as u32;
        match self.call(Request::AuditPage { case, after, n })? {
            Answer::AuditPage { lines, next } => Ok((lines, next)),
            a => Err(unexpected(a)),
        }
    }
    /// The server takes the snapshot (commits wait only meanwhile); its bytes come here in
    /// parts, into `FILE.partial`, renamed once whole and its checksum verified.
    fn backup(&self, file: &Path) -> Result<BackupSummary, ApiError> {
        let summary = match self.call_within(Request::Snapshot, LONG_CALL_TIMEOUT)? {
            Answer::Snapshot(s) => s,
            a => return Err(unexpected(a)),
        };
        let written = self.fetch_snapshot(file, summary.bytes);
        let _ = self.call(Request::SnapshotDone);
        written?;
        Ok(summary)
    }
    fn check(&self) -> Result<CheckReport, ApiError> {
        match self.call_within(Request::Check, LONG_CALL_TIMEOUT)? {
            Answer::Checked(r) => Ok(r),
            a => Err(unexpected(a)),
        }
    }
    fn archive_states(
        &self,
        cases: &[Reference],
    ) -> Result<Vec<crate::domain::handover::ArchiveState>, ApiError> {
        match self.call(Request::ArchiveStates(cases.to_vec()))? {
            Answer::ArchiveStates(v) => Ok(v),
            a => Err(unexpected(a)),
        }
    }
    fn archive_packages(&self) -> Result<Vec<crate::archive::registry::PackageRecord>, ApiError> {
        match self.call(Request::ArchivePackages)? {
            Answer::Packages(v) => Ok(v),
            a => Err(unexpected(a)),
        }
    }
    fn archive_create(
        &self,
        out: &Path,
        context_docs: &[PathBuf],
    ) -> Result<crate::store::api::ArchiveMade, ApiError> {
        self.create_archive(out, context_docs)
    }
    fn archive_receipt(
        &self,
        package: &str,
        approved: chrono::NaiveDate,
        file_index_md5: Option<String>,
    ) -> Result<crate::store::api::ArchiveApproval, ApiError> {
        match self.call_within(
            Request::ArchiveReceipt {
                package: package.to_string(),
                approved,
                file_index_md5,
            },
            LONG_CALL_TIMEOUT,
        )? {
            Answer::Approved(a) => Ok(a),
            a => Err(unexpected(a)),
        }
    }
    fn install_policy(&self, text: &str, force: bool) -> Result<PolicyChange, ApiError> {
        match self.call_within(
            Request::InstallPolicy {
                text: text.to_string(),
                force,
            },
            LONG_CALL_TIMEOUT,
        )? {
            Answer::PolicyInstalled(c) => Ok(c),
            a => Err(unexpected(a)),
        }
    }
}

impl Client {
    fn fetch_snapshot(&self, file: &Path, bytes: u64) -> Result<(), ApiError> {
        use std::io::Write;
        let partial = file.with_extension("partial");
        let failed = |e: io::Error| {
            ApiError::Unavailable(format!(
                "cannot write the backup {}: {e}",
                partial.display()
            ))
        };
        let mut out = std::fs::File::create(&partial).map_err(failed)?;
        let mut offset = 0u64;
        while offset < bytes {
            let len = SNAPSHOT_PART.min((bytes - offset) as u32);
            let part = match self.call(Request::SnapshotPart { offset, len })? {
                Answer::Bytes(b) => b,
                a => return Err(unexpected(a)),
            };
            if part.is_empty() {
                return Err(ApiError::Unavailable(format!(
                    "the server's snapshot ended at {offset} of {bytes} bytes"
                )));
            }
            out.write_all(&part).map_err(failed)?;
            offset += part.len() as u64;
        }
        out.sync_all().map_err(failed)?;
        drop(out);
        // The whole file's checksum, checked before it takes the final name.
        crate::store::backup::read_backup(&partial, |_, _, _| Ok(()))
            .map_err(crate::store::api::backup_error)?;
        std::fs::rename(&partial, file).map_err(failed)?;
        Ok(())
    }
}
