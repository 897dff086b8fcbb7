//! How far an alignment has got, reported to an observer as it goes.

use std::sync::atomic::{AtomicUsize, Ordering};

/// How far an alignment has got: what [`Aligner::with_progress`](crate::Aligner::with_progress)'s observer is told. The
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
    /// Adds to one counter and reports the new state. Each report carries the value this
    /// addition made (pairs finishing at once report 1 and 2, not 2 twice); reports from
    /// different threads may arrive out of order.
    pub(super) fn add(&self, counter: &AtomicUsize, amount: usize) {
        let now = counter.fetch_add(amount, Ordering::Relaxed) + amount;
        let value = |c: &AtomicUsize| if std::ptr::eq(c, counter) { now } else { c.load(Ordering::Relaxed) };
        if let Some(observer) = self.observer {
            observer(Progress {
                pairs_done: value(&self.pairs_done),
                pairs: self.pairs,
                // Target sentences at the edge of two chunks are encoded twice.
                encoded: value(&self.encoded).min(value(&self.to_encode)),
                to_encode: value(&self.to_encode),
            });
        }
    }
}
