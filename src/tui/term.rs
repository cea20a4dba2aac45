//! The terminal: entering and leaving the full-screen mode, and leaving it on every exit
//! path (normal, panic, SIGTERM, SIGHUP).

use crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
};
use crossterm::terminal::{
    disable_raw_mode, enable_raw_mode, Clear, ClearType, EndSynchronizedUpdate,
    EnterAlternateScreen, LeaveAlternateScreen,
};
use crossterm::{cursor, queue};
use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, Ordering};

/// Whether the terminal is in our mode (so a panic hook knows to restore it).
static ACTIVE: AtomicBool = AtomicBool::new(false);
/// Whether mouse capture was turned on, so restoring turns it off.
static MOUSE: AtomicBool = AtomicBool::new(false);

/// The bytes that put a terminal back as we found it: end any half-written synchronized
/// frame, mouse off, cursor shown, main screen back.
pub fn restore_bytes(mouse: bool) -> Vec<u8> {
    let mut out = Vec::new();
    // Writing to a Vec cannot fail.
    let _ = queue!(out, EndSynchronizedUpdate);
    if mouse {
        let _ = queue!(out, DisableMouseCapture);
    }
    let _ = queue!(
        out,
        DisableBracketedPaste,
        cursor::Show,
        LeaveAlternateScreen
    );
    out
}

/// The bytes that enter the interface's mode (raw mode is set separately).
pub fn enter_bytes(mouse: bool) -> Vec<u8> {
    let mut out = Vec::new();
    // Cleared here rather than by ratatui, whose clear asks the terminal for the cursor
    // position: an answer that can time out over a slow SSH link.
    let _ = queue!(
        out,
        EnterAlternateScreen,
        Clear(ClearType::All),
        cursor::Hide,
        // A paste arrives as one event of text, so a newline in it is never Enter.
        EnableBracketedPaste
    );
    if mouse {
        let _ = queue!(out, EnableMouseCapture);
    }
    out
}

/// Raw mode on, alternate screen, cursor hidden, mouse if asked.
pub fn enter(mouse: bool) -> io::Result<()> {
    enable_raw_mode()?;
    ACTIVE.store(true, Ordering::SeqCst);
    MOUSE.store(mouse, Ordering::SeqCst);
    let mut out = io::stdout();
    out.write_all(&enter_bytes(mouse))?;
    out.flush()
}

/// Puts the terminal back. Safe to call more than once and from a panic hook; errors are
/// ignored because the terminal may already be gone (a dropped SSH connection).
pub fn restore() {
    if !ACTIVE.swap(false, Ordering::SeqCst) {
        return;
    }
    let mut out = io::stdout();
    let _ = out.write_all(&restore_bytes(MOUSE.load(Ordering::SeqCst)));
    let _ = out.flush();
    let _ = disable_raw_mode();
}

/// Restores the terminal before the previous panic hook prints, so the message is readable
/// and the shell is usable after it.
pub fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        previous(info);
    }));
}

/// Restores the terminal when dropped: covers early returns and `?` in the run loop.
pub struct Guard;

impl Drop for Guard {
    fn drop(&mut self) {
        restore();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn restoring_leaves_the_alternate_screen_and_shows_the_cursor() {
        let b = String::from_utf8(restore_bytes(false)).unwrap();
        assert!(
            b.contains("\x1b[?2026l"),
            "ends a synchronized frame: {b:?}"
        );
        assert!(b.contains("\x1b[?25h"), "shows the cursor: {b:?}");
        assert!(
            b.contains("\x1b[?1049l"),
            "leaves the alternate screen: {b:?}"
        );
        assert!(
            !b.contains("\x1b[?1000l"),
            "mouse untouched when never captured"
        );
        let b = String::from_utf8(restore_bytes(true)).unwrap();
        assert!(b.contains("\x1b[?1000l"), "mouse capture off: {b:?}");
    }

    #[test]
    fn entering_mirrors_restoring() {
        let b = String::from_utf8(enter_bytes(false)).unwrap();
        assert!(
            b.contains("\x1b[?1049h") && b.contains("\x1b[?25l"),
            "{b:?}"
        );
        assert!(!b.contains("\x1b[?1000h"), "mouse is off by default: {b:?}");
        assert!(b.contains("\x1b[?2004h"), "bracketed paste on: {b:?}");
        assert!(
            String::from_utf8(restore_bytes(false))
                .unwrap()
                .contains("\x1b[?2004l"),
            "and off again"
        );
    }

    #[test]
    fn restore_without_enter_writes_nothing() {
        // Not active: must not touch the terminal of the test runner.
        restore();
        assert!(!ACTIVE.load(Ordering::SeqCst));
    }
}
