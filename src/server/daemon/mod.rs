//! `triage serve`: owns the store and serves the `Api` to many interfaces over a Unix socket.
//!
//! One thread per connection reads requests and answers them in order; one writer thread
//! per connection sends its replies and the change notices other connections cause, so a
//! client that stops reading never blocks anyone else. The acting user is the socket
//! peer's uid (SO_PEERCRED), looked up in the password database and then in the policy.
//!
//! Commands go through one committer thread that applies whatever has queued up in one
//! transaction (`Store::execute_many`) and one flush: under load, many people's commands
//! share a flush instead of waiting for each other's (group commit). Each command is still
//! checked on its own version and gets its own event, audit entry and answer.

mod connection;
mod handle;

use connection::{refuse, serve_connection};
pub(super) use handle::hidden_check;

use super::protocol::{self, ServerMessage, MAX_REPLY};
use super::rules::{self, Visibility};
use super::unix;
use crate::domain::case::CaseRecord;
use crate::domain::danish_time::DanishDay;
use crate::domain::enquiry::Reference;
use crate::domain::policy::Policy;
use crate::store::{Actor, Batched, Store, StoreError};
use chrono::{DateTime, Utc};
use std::collections::HashMap;
use std::io;
use std::net::Shutdown;
use std::os::unix::fs::{FileTypeExt, PermissionsExt};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{self, SyncSender, TrySendError};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// A client must greet within this time, or it is not a triage client.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);
/// Once a frame's length has arrived, its body must follow within this time.
const BODY_TIMEOUT: Duration = Duration::from_secs(30);
/// A client that does not take its replies within this time is cut off.
const WRITE_TIMEOUT: Duration = Duration::from_secs(30);
/// Frames queued for one client; a client this far behind is cut off, not waited for.
const OUTBOX: usize = 1024;
/// How long a stop waits for in-flight requests before exiting anyway.
const DRAIN: Duration = Duration::from_secs(4);
/// The greeting is small; anything bigger is not a triage client.
const MAX_HELLO: usize = 64 * 1024;
/// Most commands one group commit takes; a bound on one transaction's write set.
const MAX_GROUP: usize = 64;

/// A command waiting for the committer, and where its answer goes.
struct Job {
    batched: Batched,
    answer: mpsc::Sender<Result<CaseRecord, StoreError>>,
}

/// How `triage serve` listens.
#[derive(Debug, Clone)]
pub struct Config {
    pub socket: PathBuf,
    /// Permission bits of the socket file (connecting needs write permission).
    pub mode: u32,
    /// The group given the socket file, so its members may connect.
    pub group: Option<String>,
    pub max_clients: usize,
    /// Fixed "now" (TRIAGE_NOW) for reproducible runs; the wall clock otherwise.
    pub fixed_now: Option<DateTime<Utc>>,
}

impl Config {
    pub fn new(socket: PathBuf) -> Config {
        Config {
            socket,
            mode: 0o660,
            group: None,
            max_clients: 256,
            fixed_now: None,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("a triage server already listens on {}; stop it first (or give another --socket)", .0.display())]
    AlreadyServing(PathBuf),
    #[error("{} exists and is not a socket; refusing to replace it", .0.display())]
    NotASocket(PathBuf),
    #[error("cannot listen on {}: {cause}", .path.display())]
    Bind { path: PathBuf, cause: io::Error },
    #[error("cannot set the permissions of {}: {cause}", .path.display())]
    Permissions { path: PathBuf, cause: io::Error },
    #[error("cannot give the socket to the group `{group}`: {cause} (the server's user must be a member of that group)")]
    Group { group: String, cause: io::Error },
    #[error("{0}")]
    Store(#[from] StoreError),
}

/// What a finished run did, for the last log line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    pub connections: u64,
    pub requests: u64,
    /// Connections still busy when the drain time ran out.
    pub abandoned: usize,
}

struct Connection {
    actor: Actor,
    outbox: SyncSender<Vec<u8>>,
    stream: UnixStream,
}

pub(super) struct Shared {
    pub(super) store: Arc<Store>,
    /// The policy in force and its text; `policy --install` through the server replaces both.
    pub(super) policy: std::sync::RwLock<(Arc<Policy>, Arc<String>)>,
    fixed_now: Option<DateTime<Utc>>,
    max_clients: usize,
    stopping: Arc<AtomicBool>,
    connections: Mutex<HashMap<u64, Connection>>,
    requests: AtomicU64,
    /// To the committer thread; taken (closing it) when the server stops.
    commits: Mutex<Option<SyncSender<Job>>>,
}

impl Shared {
    pub(super) fn now(&self) -> DateTime<Utc> {
        self.fixed_now.unwrap_or_else(Utc::now)
    }

    /// The store as the use cases see it, acting as `actor` under the policy in force.
    pub(super) fn embedded(&self, actor: &Actor) -> crate::store::api::Embedded {
        crate::store::api::Embedded {
            store: self.store.clone(),
            policy: (*self.policy()).clone(),
            actor: actor.clone(),
            fixed_now: self.fixed_now,
        }
    }

    fn policy(&self) -> Arc<Policy> {
        self.policy
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .0
            .clone()
    }

    fn policy_text(&self) -> Arc<String> {
        self.policy
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .1
            .clone()
    }

    /// Applies one command through the committer (see the module comment).
    fn commit(&self, batched: Batched) -> Result<CaseRecord, StoreError> {
        let sender = self
            .commits
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone();
        let Some(sender) = sender else {
            return Err(StoreError::Server("the triage server is stopping".into()));
        };
        let (answer, answered) = mpsc::channel();
        sender
            .send(Job { batched, answer })
            .map_err(|_| StoreError::Server("the triage server is stopping".into()))?;
        answered.recv().unwrap_or_else(|_| {
            Err(StoreError::Server(
                "the server failed while applying this command; reload to see whether it was saved"
                    .into(),
            ))
        })
    }

    /// Tells every other connection that may see the case (before or after the change).
    fn notify(
        &self,
        references: Vec<Reference>,
        by: &str,
        origin: u64,
        seen: [Option<Visibility>; 2],
    ) {
        let Ok(bytes) = protocol::frame(
            &ServerMessage::Changed {
                references,
                by: by.to_string(),
            },
            MAX_REPLY,
        ) else {
            return;
        };
        let connections = self.connections.lock().unwrap_or_else(|p| p.into_inner());
        for (id, c) in connections.iter() {
            if *id == origin {
                continue;
            }
            let may = seen
                .iter()
                .any(|v| v.as_ref().is_none_or(|v| rules::may_read(&c.actor, v)));
            if !may {
                continue;
            }
            if let Err(TrySendError::Full(_)) = c.outbox.try_send(bytes.clone()) {
                log(&format!(
                    "connection {id} ({}) is {OUTBOX} messages behind; closing it",
                    c.actor.login
                ));
                let _ = c.stream.shutdown(Shutdown::Both);
            }
        }
    }
}

/// Stops a running server from another thread (the signal handler's thread, a test).
#[derive(Clone)]
pub struct Stopper {
    stopping: Arc<AtomicBool>,
    socket: PathBuf,
    /// The listening socket's descriptor: shut down, it wakes the accept even when the
    /// socket file is gone (removed by someone else), so a stop never hangs.
    listener: std::os::unix::io::RawFd,
}

impl Stopper {
    pub fn stop(&self) {
        self.stopping.store(true, Ordering::SeqCst);
        // Wakes the blocking accept; the loop sees the flag and stops taking connections.
        if UnixStream::connect(&self.socket).is_err() {
            // SAFETY: shutdown on a descriptor the server owns until `run` returns; at
            // worst (already closed) it fails with EBADF.
            unsafe {
                libc::shutdown(self.listener, libc::SHUT_RDWR);
            }
        }
    }
}

pub struct Server {
    shared: Arc<Shared>,
    listener: UnixListener,
    socket: PathBuf,
}

impl Server {
    /// Listens on the configured socket with its mode and group. A stale socket file left
    /// by a crashed server is replaced; a live one is not.
    pub fn bind(store: Store, policy_text: String, config: Config) -> Result<Server, ServeError> {
        let policy = Policy::from_toml(&policy_text, "the store's policy").map_err(|e| {
            ServeError::Store(StoreError::Server(format!("the policy does not load: {e}")))
        })?;
        let today = config.fixed_now.unwrap_or_else(Utc::now).danish_day();
        if let Some(n) = store.refresh_queue(&policy, today)? {
            tracing::info!("rebuilt the queue index ({n} cases)");
        }
        let path = config.socket.clone();
        if let Ok(meta) = std::fs::symlink_metadata(&path) {
            if !meta.file_type().is_socket() {
                return Err(ServeError::NotASocket(path));
            }
            if UnixStream::connect(&path).is_ok() {
                return Err(ServeError::AlreadyServing(path));
            }
            std::fs::remove_file(&path).map_err(|cause| ServeError::Bind {
                path: path.clone(),
                cause,
            })?;
        }
        // bind creates the file under the process umask (0077 in triage): nobody else can
        // connect until the mode below is set, so the socket never starts out too open.
        let listener = UnixListener::bind(&path).map_err(|cause| ServeError::Bind {
            path: path.clone(),
            cause,
        })?;
        if let Some(group) = &config.group {
            let gid = unix::group_id(group).map_err(|cause| ServeError::Group {
                group: group.clone(),
                cause,
            })?;
            unix::chgrp(&path, gid).map_err(|cause| ServeError::Group {
                group: group.clone(),
                cause,
            })?;
        }
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(config.mode)).map_err(
            |cause| ServeError::Permissions {
                path: path.clone(),
                cause,
            },
        )?;
        Ok(Server {
            shared: Arc::new(Shared {
                store: Arc::new(store),
                policy: std::sync::RwLock::new((Arc::new(policy), Arc::new(policy_text))),
                fixed_now: config.fixed_now,
                max_clients: config.max_clients,
                stopping: Arc::new(AtomicBool::new(false)),
                connections: Mutex::new(HashMap::new()),
                requests: AtomicU64::new(0),
                commits: Mutex::new(None),
            }),
            listener,
            socket: path,
        })
    }

    pub fn socket(&self) -> &Path {
        &self.socket
    }

    pub fn store_path(&self) -> &Path {
        self.shared.store.path()
    }

    /// Reads the audit head while serving (for the system log; see `anchor`).
    pub fn head_reader(
        &self,
    ) -> impl Fn() -> Option<crate::store::audit::HeadLine> + Send + 'static {
        let shared = self.shared.clone();
        move || shared.store.audit_head().ok()
    }

    pub fn stopper(&self) -> Stopper {
        use std::os::unix::io::AsRawFd;
        Stopper {
            stopping: self.shared.stopping.clone(),
            socket: self.socket.clone(),
            listener: self.listener.as_raw_fd(),
        }
    }

    /// Serves until stopped; then finishes in-flight requests, flushes the store and
    /// removes the socket file.
    pub fn run(self) -> Result<Summary, ServeError> {
        let (commits, jobs) = mpsc::sync_channel::<Job>(MAX_GROUP * 4);
        *self
            .shared
            .commits
            .lock()
            .unwrap_or_else(|p| p.into_inner()) = Some(commits);
        let committer = {
            let shared = self.shared.clone();
            std::thread::Builder::new()
                .name("committer".into())
                .spawn(move || committer(&shared, jobs))
                .map_err(|cause| ServeError::Bind {
                    path: self.socket.clone(),
                    cause,
                })?
        };
        let mut workers: Vec<JoinHandle<()>> = Vec::new();
        let mut next_id = 0u64;
        for incoming in self.listener.incoming() {
            if self.shared.stopping.load(Ordering::SeqCst) {
                break;
            }
            match incoming {
                Ok(stream) => {
                    workers.retain(|h| !h.is_finished());
                    // Counts greeting connections too: a flood of silent connections
                    // must not grow threads without bound.
                    if workers.len() >= self.shared.max_clients {
                        let _ = stream.set_write_timeout(Some(Duration::from_secs(1)));
                        refuse(
                            &stream,
                            format!(
                                "the server already serves {} connections (its limit); try again shortly",
                                workers.len()
                            ),
                        );
                        continue;
                    }
                    next_id += 1;
                    let id = next_id;
                    let shared = self.shared.clone();
                    match std::thread::Builder::new()
                        .name(format!("conn-{id}"))
                        .spawn(move || serve_connection(shared, stream, id))
                    {
                        Ok(h) => workers.push(h),
                        Err(e) => log(&format!("cannot start a thread for a connection: {e}")),
                    }
                }
                Err(e) => {
                    // Out of file descriptors or similar: back off instead of spinning.
                    log(&format!("accept failed: {e}"));
                    std::thread::sleep(Duration::from_millis(100));
                }
            }
        }
        // New clients now find no server, rather than a socket nobody answers.
        let _ = std::fs::remove_file(&self.socket);
        drop(self.listener);
        let stopping = protocol::frame(
            &ServerMessage::Stopping {
                reason: "the triage server is stopping".into(),
            },
            MAX_REPLY,
        )
        .ok();
        {
            let connections = self
                .shared
                .connections
                .lock()
                .unwrap_or_else(|p| p.into_inner());
            for c in connections.values() {
                // Reads end; a request being handled still gets its reply.
                let _ = c.stream.shutdown(Shutdown::Read);
                if let Some(b) = &stopping {
                    let _ = c.outbox.try_send(b.clone());
                }
            }
        }
        let deadline = Instant::now() + DRAIN;
        while workers.iter().any(|h| !h.is_finished()) && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
        let abandoned = workers.iter().filter(|h| !h.is_finished()).count();
        for h in workers {
            if h.is_finished() {
                let _ = h.join();
            }
        }
        // Commands already queued are applied; then the committer ends.
        self.shared
            .commits
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take();
        if abandoned == 0 {
            let _ = committer.join();
        }
        self.shared.store.flush()?;
        Ok(Summary {
            connections: next_id,
            requests: self.shared.requests.load(Ordering::Relaxed),
            abandoned,
        })
    }
}

/// Takes whatever commands have queued and applies them in one transaction and flush.
fn committer(shared: &Shared, jobs: mpsc::Receiver<Job>) {
    while let Ok(first) = jobs.recv() {
        let mut group = vec![first];
        while group.len() < MAX_GROUP {
            match jobs.try_recv() {
                Ok(j) => group.push(j),
                Err(_) => break,
            }
        }
        let items: Vec<Batched> = group.iter().map(|j| j.batched.clone()).collect();
        let policy = shared.policy();
        match shared.store.execute_many(&policy, &items) {
            Ok(results) => {
                for (job, result) in group.into_iter().zip(results) {
                    let _ = job.answer.send(result);
                }
            }
            // The group as a whole failed (storage): each alone, so each gets its own error.
            Err(_) => {
                for job in group {
                    let b = &job.batched;
                    let result = shared.store.execute(
                        &policy,
                        &b.actor,
                        b.reference,
                        b.expected.unwrap_or(0),
                        &b.command,
                        b.at,
                    );
                    let _ = job.answer.send(result);
                }
            }
        }
    }
}

pub(super) fn log(line: &str) {
    eprintln!("triage serve: {line}");
}
