//! One connection: the greeting, the request loop, and long requests watched so a client
//! that leaves cancels them.

use super::{
    handle, log, Connection, Shared, BODY_TIMEOUT, HANDSHAKE_TIMEOUT, MAX_HELLO, OUTBOX,
    WRITE_TIMEOUT,
};
use crate::server::protocol::{
    self, Call, FrameError, Greeting, Hello, Request, ServerMessage, Welcome, WireError, MAX_REPLY,
    MAX_REQUEST, PROTOCOL,
};
use crate::server::unix;
use crate::store::Actor;
use std::io;
use std::net::Shutdown;
use std::os::unix::net::UnixStream;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, SyncSender};
use std::sync::Arc;

/// Sends a greeting refusal and closes: the client reads why it was turned away.
pub(super) fn refuse(stream: &UnixStream, reason: String) {
    if let Ok(bytes) = protocol::frame(&Greeting::Refused { reason }, MAX_REPLY) {
        let _ = unix::send_all(stream, &bytes);
    }
    let _ = stream.shutdown(Shutdown::Both);
}

/// Reads the greeting and decides who the peer is. Err carries the refusal to send.
pub(super) fn handshake(shared: &Shared, stream: &UnixStream) -> Result<Actor, Option<String>> {
    let cred =
        unix::peer_cred(stream).map_err(|e| Some(format!("cannot tell who you are: {e}")))?;
    let _ = stream.set_read_timeout(Some(HANDSHAKE_TIMEOUT));
    let mut reader = stream;
    let hello: Hello = match protocol::read_frame(&mut reader, MAX_HELLO) {
        Ok(Some(body)) => protocol::decode(&body).map_err(|_| {
            Some("not a triage client: the first message is not a triage greeting".to_string())
        })?,
        Ok(None) => return Err(None),
        Err(FrameError::TooBig { len, .. }) => {
            return Err(Some(format!(
                "not a triage client: a first message of {len} bytes is no triage greeting"
            )))
        }
        Err(FrameError::Io(e))
            if matches!(
                e.kind(),
                io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
            ) =>
        {
            return Err(Some(format!(
                "no greeting within {} s",
                HANDSHAKE_TIMEOUT.as_secs()
            )))
        }
        Err(_) => return Err(None),
    };
    if hello.protocol != PROTOCOL {
        return Err(Some(format!(
            "this server is triage {} speaking protocol {PROTOCOL}; your client ({}) speaks protocol {}. Use the same triage version as the server.",
            env!("CARGO_PKG_VERSION"),
            hello.client,
            hello.protocol
        )));
    }
    let login = crate::identity::login_of(cred.uid).map_err(Some)?;
    let roles = shared.policy().roles_of(&login);
    if roles.is_empty() {
        return Err(Some(format!(
            "your login `{login}` is not staff in the policy this server works under. Ask the DPO or an administrator to add it to the policy's [[staff]] list."
        )));
    }
    if shared.stopping.load(Ordering::SeqCst) {
        return Err(Some("the triage server is stopping".into()));
    }
    let count = shared
        .connections
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .len();
    if count >= shared.max_clients {
        return Err(Some(format!(
            "the server already serves {count} connections (its limit); try again shortly"
        )));
    }
    Ok(Actor { login, roles })
}

pub(super) fn serve_connection(shared: Arc<Shared>, stream: UnixStream, id: u64) {
    if shared.stopping.load(Ordering::SeqCst) {
        // The stopper's own wake-up connection, or a client that came too late.
        return refuse(&stream, "the triage server is stopping".into());
    }
    let actor = match handshake(&shared, &stream) {
        Ok(a) => a,
        Err(reason) => {
            if let Some(r) = &reason {
                log(&format!("connection {id} refused: {r}"));
                refuse(&stream, r.clone());
            }
            return;
        }
    };
    let welcome = Greeting::Welcome(Welcome {
        protocol: PROTOCOL,
        server: env!("CARGO_PKG_VERSION").to_string(),
        login: actor.login.clone(),
        roles: actor.roles.clone(),
        policy: shared.policy_text().to_string(),
        store: shared.store.path().display().to_string(),
        fixed_now: shared.fixed_now,
    });
    let _ = stream.set_write_timeout(Some(WRITE_TIMEOUT));
    match protocol::frame(&welcome, MAX_REPLY) {
        Ok(bytes) if unix::send_all(&stream, &bytes).is_ok() => {}
        _ => return,
    }
    let (Ok(writer_stream), Ok(registry_stream)) = (stream.try_clone(), stream.try_clone()) else {
        return;
    };
    let (outbox, inbox) = mpsc::sync_channel::<Vec<u8>>(OUTBOX);
    let writer = std::thread::Builder::new()
        .name(format!("conn-{id}-out"))
        .spawn(move || {
            for bytes in inbox {
                if unix::send_all(&writer_stream, &bytes).is_err() {
                    let _ = writer_stream.shutdown(Shutdown::Both);
                    break;
                }
            }
        });
    let Ok(writer) = writer else { return };
    shared
        .connections
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .insert(
            id,
            Connection {
                actor: actor.clone(),
                outbox: outbox.clone(),
                stream: registry_stream,
            },
        );
    log(&format!(
        "connection {id}: {} ({})",
        actor.login,
        actor
            .roles
            .iter()
            .map(|r| r.as_id())
            .collect::<Vec<_>>()
            .join(", ")
    ));

    let why = request_loop(&shared, &stream, &actor, id, &outbox);
    if let Some(message) = &why {
        log(&format!("connection {id} ({}): {message}", actor.login));
        if let Ok(b) = protocol::frame(
            &ServerMessage::Error {
                message: message.clone(),
            },
            MAX_REPLY,
        ) {
            let _ = outbox.try_send(b);
        }
    }
    shared
        .connections
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .remove(&id);
    drop(outbox);
    let _ = writer.join();
    let _ = stream.shutdown(Shutdown::Both);
}

/// Answers requests until the client leaves (None) or breaks the protocol (Some(why)).
pub(super) fn request_loop(
    shared: &Shared,
    stream: &UnixStream,
    actor: &Actor,
    id: u64,
    outbox: &SyncSender<Vec<u8>>,
) -> Option<String> {
    let mut reader = stream;
    // This connection's backup snapshot, removed when it is done or the client goes.
    let mut snapshot: Option<crate::server::whole::Snapshot> = None;
    loop {
        // Idle between requests for as long as the person at the interface likes.
        let _ = stream.set_read_timeout(None);
        let len = match protocol::read_header(&mut reader, MAX_REQUEST) {
            Ok(None) => return None,
            Ok(Some(len)) => len,
            Err(e @ FrameError::TooBig { .. }) => {
                return Some(format!("refused a request: {e}; closing this connection"))
            }
            Err(FrameError::Truncated) => return None,
            Err(e) => return Some(format!("reading a request failed: {e}")),
        };
        let _ = stream.set_read_timeout(Some(BODY_TIMEOUT));
        let body = match protocol::read_body(&mut reader, len) {
            Ok(b) => b,
            Err(FrameError::Truncated) => return Some("a request was cut off".into()),
            Err(e) => return Some(format!("reading a request failed: {e}")),
        };
        let call: Call = match protocol::decode(&body) {
            Ok(c) => c,
            Err(e) => return Some(format!("{e}; closing this connection")),
        };
        shared.requests.fetch_add(1, Ordering::Relaxed);
        let name = call.request.name();
        let long = is_long(&call.request);
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            if !long {
                return handle::handle(shared, actor, id, call.request, &mut snapshot);
            }
            let (result, why) = watched(shared, stream, || {
                handle::handle(shared, actor, id, call.request, &mut snapshot)
            });
            if let Some(why) = why {
                log(&format!(
                    "connection {id} ({}): {name} request cancelled: {why}",
                    actor.login
                ));
            }
            result
        }))
        .unwrap_or_else(|_| {
            log(&format!("connection {id}: a {name} request panicked"));
            Err(WireError::Failed(format!(
                "the server failed on this {name} request; it keeps serving"
            )))
        });
        let reply = ServerMessage::Reply {
            id: call.id,
            result,
        };
        let bytes = match protocol::frame(&reply, MAX_REPLY) {
            Ok(b) => b,
            Err(e) => protocol::frame(
                &ServerMessage::Reply {
                    id: call.id,
                    result: Err(WireError::Failed(format!("the answer cannot be sent: {e}"))),
                },
                MAX_REPLY,
            )
            .unwrap_or_default(),
        };
        if outbox.send(bytes).is_err() {
            return None;
        }
    }
}

/// Requests that read the whole store and may take minutes at a million cases: they run
/// watched, so a client that leaves (or a stop) cancels them instead of leaving them to run.
pub(super) fn is_long(r: &Request) -> bool {
    matches!(
        r,
        Request::Snapshot | Request::AuditVerify | Request::Check | Request::ArchiveCreate { .. }
    )
}

/// True when the peer has hung up (or the socket failed), waiting at most `ms` to see.
pub(super) fn hung_up(fd: std::os::unix::io::RawFd, ms: i32) -> bool {
    let mut p = libc::pollfd {
        fd,
        events: libc::POLLRDHUP,
        revents: 0,
    };
    // SAFETY: one pollfd on a descriptor the caller keeps open for the call.
    let n = unsafe { libc::poll(&mut p, 1, ms) };
    n > 0 && p.revents & (libc::POLLRDHUP | libc::POLLHUP | libc::POLLERR) != 0
}

/// Runs long work with a watcher that cancels it (see `store::cancel`) when the client
/// hangs up or the server starts stopping; says why when it did.
pub(super) fn watched<T>(
    shared: &Shared,
    stream: &UnixStream,
    work: impl FnOnce() -> T,
) -> (T, Option<&'static str>) {
    use std::os::unix::io::AsRawFd;
    const LEFT: u8 = 1;
    const STOPPING: u8 = 2;
    let fd = stream.as_raw_fd();
    let cancel = Arc::new(AtomicBool::new(false));
    let why = Arc::new(std::sync::atomic::AtomicU8::new(0));
    let done = Arc::new(AtomicBool::new(false));
    // A client that sent its request and died is cancelled before any work starts.
    if hung_up(fd, 0) {
        why.store(LEFT, Ordering::SeqCst);
        cancel.store(true, Ordering::SeqCst);
    }
    let watcher = {
        let (cancel, why, done) = (cancel.clone(), why.clone(), done.clone());
        let stopping = shared.stopping.clone();
        std::thread::Builder::new()
            .name("watch".into())
            .spawn(move || {
                while !done.load(Ordering::SeqCst) && !cancel.load(Ordering::SeqCst) {
                    let reason = if stopping.load(Ordering::SeqCst) {
                        STOPPING
                    } else if hung_up(fd, 100) {
                        LEFT
                    } else {
                        continue;
                    };
                    why.store(reason, Ordering::SeqCst);
                    cancel.store(true, Ordering::SeqCst);
                }
            })
    };
    let out = crate::store::cancel::scope(cancel.clone(), work);
    done.store(true, Ordering::SeqCst);
    if let Ok(w) = watcher {
        let _ = w.join();
    }
    let why = match why.load(Ordering::SeqCst) {
        LEFT => Some("the client went away"),
        STOPPING => Some("the server is stopping"),
        _ => None,
    };
    (out, why)
}
