//! Spreading CPU-bound work over the machine's cores, keeping the input's order.

/// `f` over every item, on as many threads as there are cores (each taking one contiguous
/// part), results in the items' order. Small inputs stay on the calling thread.
pub fn map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    // Below this a thread costs more than it saves.
    const LEAST_PER_THREAD: usize = 64;
    let threads = cores.min(items.len() / LEAST_PER_THREAD).max(1);
    if threads == 1 {
        return items.iter().map(f).collect();
    }
    let part = items.len().div_ceil(threads);
    let f = &f;
    std::thread::scope(|scope| {
        let mut parts = items.chunks(part);
        // The calling thread takes the first part itself.
        let first = parts.next().unwrap_or_default();
        let handles: Vec<_> = parts
            .map(|chunk| scope.spawn(move || chunk.iter().map(f).collect::<Vec<R>>()))
            .collect();
        let mut out: Vec<R> = first.iter().map(f).collect();
        for h in handles {
            match h.join() {
                Ok(rest) => out.extend(rest),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        out
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn keeps_the_order_of_the_items() {
        for n in [0, 1, 63, 64, 129, 1000, 1001] {
            let items: Vec<usize> = (0..n).collect();
            let got = super::map(&items, |i| i * 2);
            assert_eq!(got, items.iter().map(|i| i * 2).collect::<Vec<_>>(), "{n}");
        }
    }
}
