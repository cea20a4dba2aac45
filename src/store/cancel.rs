//! Cooperative cancellation of long whole-store work (a snapshot, the chain recomputed) whose caller has gone.
//!
//! The server runs such a request inside [`scope`] with a flag its watcher sets when the
//! client hangs up or the server stops; the store's long loops call [`check`] every so
//! often and give up with [`StoreError::Cancelled`]. Outside a scope `check` never fails.

use super::StoreError;
use std::cell::RefCell;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

thread_local! {
    static CURRENT: RefCell<Option<Arc<AtomicBool>>> = const { RefCell::new(None) };
}

/// Runs `f` on this thread with `flag` as its cancellation flag.
pub fn scope<T>(flag: Arc<AtomicBool>, f: impl FnOnce() -> T) -> T {
    struct Reset(Option<Arc<AtomicBool>>);
    impl Drop for Reset {
        fn drop(&mut self) {
            let old = self.0.take();
            CURRENT.with(|c| *c.borrow_mut() = old);
        }
    }
    let old = CURRENT.with(|c| c.borrow_mut().replace(flag));
    let _reset = Reset(old);
    f()
}

/// Err once the work running on this thread has been cancelled.
pub fn check() -> Result<(), StoreError> {
    let cancelled = CURRENT.with(|c| {
        c.borrow()
            .as_ref()
            .is_some_and(|f| f.load(Ordering::Relaxed))
    });
    if cancelled {
        Err(StoreError::Cancelled)
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_work_inside_a_cancelled_scope_is_stopped() {
        assert!(check().is_ok());
        let flag = Arc::new(AtomicBool::new(false));
        scope(flag.clone(), || {
            assert!(check().is_ok());
            flag.store(true, Ordering::Relaxed);
            assert!(matches!(check(), Err(StoreError::Cancelled)));
        });
        // The scope ended: this thread's next work is not cancelled.
        assert!(check().is_ok());
    }
}
