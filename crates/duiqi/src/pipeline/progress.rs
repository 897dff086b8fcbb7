//! How far an alignment has got, reported to an observer as it goes.

use std::sync::atomic::{AtomicUsize, Ordering};

/// How far an alignment has got: what [`Aligner::with_progress`]'s observer is told. The
/// encoder is most of the time of a long text with a model (minutes for a book).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Progress {
    /// Document pairs finished.
    pub pairs_done: usize,
    /// Document pairs in the run.
    pub pairs: usize,
    /// Sentences the encoder has read.
    pub encoded: usize,
    /// Sentences given to the encoder so far (0 without a model); grows as the pairs of a
    /// batch reach their neural pass.
    pub to_encode: usize,
}

/// Receives [`Progress`] reports, from any thread.
pub type ProgressObserver = dyn Fn(Progress) + Send + Sync;

/// The counters behind [`Progress`] during one run.
pub(super) struct Tracker<'a> {
    pub(super) observer: Option<&'a ProgressObserver>,
    pub(super) pairs: usize,
    pub(super) pairs_done: AtomicUsize,
    pub(super) encoded: AtomicUsize,
    pub(super) to_encode: AtomicUsize,
}

impl Tracker<'_> {
    /// Adds to one counter and reports the new state.
    pub(super) fn add(&self, counter: &AtomicUsize, amount: usize) {
        counter.fetch_add(amount, Ordering::Relaxed);
        if let Some(observer) = self.observer {
            observer(Progress {
                pairs_done: self.pairs_done.load(Ordering::Relaxed),
                pairs: self.pairs,
                // Target sentences at the edge of two chunks are encoded twice.
                encoded: self.encoded.load(Ordering::Relaxed).min(self.to_encode.load(Ordering::Relaxed)),
                to_encode: self.to_encode.load(Ordering::Relaxed),
            });
        }
    }
}
