//! The audit head sent to the system log at start, every hour and at stop, so a copy of it
//! lives outside the store (and, with remote syslog, off the machine).

use crate::store::audit::HeadLine;
use std::ffi::CString;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How often a running server writes the head down.
pub const EVERY: Duration = Duration::from_secs(3600);

/// Writes `line` to syslog (facility daemon, ident `triage`) and to standard error, which
/// systemd's journal keeps as well.
pub fn record(moment: &str, line: &HeadLine) {
    let text = format!("audit head at {moment}: {line}");
    eprintln!("triage serve: {text}");
    // The text is ours (digits, hex, an RFC 3339 time): no NUL can be in it.
    if let Ok(c) = CString::new(text) {
        // SAFETY: the ident and format are static C strings and the message a valid one;
        // openlog keeps the ident pointer, which lives for the whole program.
        unsafe {
            libc::openlog(c"triage".as_ptr(), libc::LOG_PID, libc::LOG_DAEMON);
            libc::syslog(libc::LOG_NOTICE, c"%s".as_ptr(), c.as_ptr());
        }
    }
}

/// Records the head every `EVERY` until `stopping` is set; checks the flag each second so a
/// stop is not held up.
pub fn hourly(
    stopping: Arc<AtomicBool>,
    head: impl Fn() -> Option<HeadLine> + Send + 'static,
) -> std::io::Result<std::thread::JoinHandle<()>> {
    std::thread::Builder::new()
        .name("audit-head".into())
        .spawn(move || {
            let mut next = Instant::now() + EVERY;
            while !stopping.load(Ordering::SeqCst) {
                std::thread::sleep(Duration::from_secs(1));
                if Instant::now() >= next {
                    if let Some(line) = head() {
                        record("the hour", &line);
                    }
                    next += EVERY;
                }
            }
        })
}
