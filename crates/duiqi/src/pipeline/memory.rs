//! Memory freed between passes, given back to the system.

/// Texts from this many sentences on (source and target together) give back what a phase
/// freed: below, there is little to give, and thousands of small pairs would each pay for
/// the walk through the heap.
const LARGE_TEXT_SENTENCES: usize = 100_000;

/// Gives the memory freed so far back to the system, after a phase over `sentences`
/// sentences. glibc keeps what a finished phase freed (the normalised texts: millions of
/// small strings among long-lived tables) in its heaps, where the next phases' tables, too
/// large for the holes, never reuse it: on a million lines, 300 MB of peak memory.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
pub(super) fn give_back_freed(sentences: usize) {
    if sentences >= LARGE_TEXT_SENTENCES {
        // SAFETY: malloc_trim only releases free pages; any thread may call it at any time.
        unsafe {
            libc::malloc_trim(0);
        }
    }
}

/// Other allocators give memory back as they see fit.
#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
pub(super) fn give_back_freed(_sentences: usize) {}
