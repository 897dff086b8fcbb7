//! Shared machinery for signals that compare "items" (words, names, numbers) across a
//! bead: how much of each side's weight is matched by something on the other side.
//! Merging a sentence that translates the other side raises coverage; merging an unrelated
//! one dilutes it, which is what lets one similarity judge every m-n bead.

use super::{KeyInterner, NO_EVIDENCE, Side, Signal};
use crate::normalize::NormalizedDocument;
use crate::search::{Corridor, Rows, Shape};
use rayon::prelude::*;
use rustc_hash::FxHashSet;
use std::ops::Range;

/// The items of every sentence of one side: things countable in a sentence (words,
/// names, numbers), each with a weight (how much matching it counts, e.g. inverse document
/// frequency) and keys in a space shared by both sides (concept ids, name keys, numbers);
/// an item is matched when any of its keys occurs on the other side. All lie end to end
/// in flat arrays: a book has millions of items, and one small vector each cost more
/// than their contents.
#[derive(Clone, Debug, PartialEq)]
pub struct Items {
    /// Where each sentence's items start in `weights`; one more entry marks the end.
    sentence_starts: Vec<u32>,
    weights: Vec<f32>,
    /// Where each item's keys start in `keys`; one more entry marks the end.
    key_starts: Vec<u32>,
    keys: Vec<u32>,
}

impl Default for Items {
    fn default() -> Self {
        Items { sentence_starts: vec![0], weights: Vec::new(), key_starts: vec![0], keys: Vec::new() }
    }
}

/// Sentences whose items are made and indexed by one task.
const SENTENCES_PER_TASK: usize = 512;

/// Where one side's items come from. They are asked for again each time they are needed
/// (to find the keys, then to index them), a few hundred sentences at a time, so that a
/// book's items are never all held at once.
pub trait ItemSource: Sync {
    /// How many sentences the side has.
    fn sentences(&self) -> usize;
    /// Adds sentence `s`'s items to `items` ([`Items::push`]).
    fn fill(&self, s: usize, items: &mut Items);
}

/// Items made by a function: `ItemsFrom(sentences, fill)`, `fill(s, items)` adding
/// sentence s's items.
pub struct ItemsFrom<F>(pub usize, pub F);

impl<F: Fn(usize, &mut Items) + Sync> ItemSource for ItemsFrom<F> {
    fn sentences(&self) -> usize {
        self.0
    }

    fn fill(&self, s: usize, items: &mut Items) {
        (self.1)(s, items);
    }
}

impl ItemSource for Items {
    fn sentences(&self) -> usize {
        self.sentence_starts.len() - 1
    }

    fn fill(&self, s: usize, items: &mut Items) {
        for (weight, keys) in self.of(s) {
            items.push(weight, keys.iter().copied());
        }
    }
}

/// `each` over the items of every block of [`SENTENCES_PER_TASK`] sentences of a side,
/// in parallel.
fn in_blocks<T: Send>(source: &impl ItemSource, each: impl Fn(&Items) -> T + Sync) -> Vec<T> {
    (0..source.sentences().div_ceil(SENTENCES_PER_TASK))
        .into_par_iter()
        .map(|block| {
            let first = block * SENTENCES_PER_TASK;
            let mut items = Items::default();
            for s in first..(first + SENTENCES_PER_TASK).min(source.sentences()) {
                source.fill(s, &mut items);
                items.end_sentence();
            }
            each(&items)
        })
        .collect()
}

impl Items {
    /// Adds an item to the sentence being filled.
    pub fn push(&mut self, weight: f32, keys: impl IntoIterator<Item = u32>) {
        self.weights.push(weight);
        self.keys.extend(keys);
        self.key_starts.push(self.keys.len() as u32);
    }

    /// Ends the sentence being filled (the next item starts another).
    pub fn end_sentence(&mut self) {
        self.sentence_starts.push(self.weights.len() as u32);
    }

    /// The (weight, keys) of sentence `s`'s items.
    fn of(&self, s: usize) -> impl Iterator<Item = (f32, &[u32])> {
        (self.sentence_starts[s] as usize..self.sentence_starts[s + 1] as usize)
            .map(|k| (self.weights[k], &self.keys[self.key_starts[k] as usize..self.key_starts[k + 1] as usize]))
    }
}

/// The keys a side's items use: a bit per key for ids (small, dense numbers), a hash set
/// for anything larger.
#[derive(Default)]
struct KeySet {
    bits: Vec<u64>,
    large: FxHashSet<u32>,
}

/// Keys from here on go to the hash set.
const LARGE_KEY: u32 = 1 << 26;

impl KeySet {
    fn of(source: &impl ItemSource) -> KeySet {
        let blocks = in_blocks(source, |items| {
            let mut set = KeySet::default();
            items.keys.iter().for_each(|&key| set.insert(key));
            set
        });
        blocks.into_iter().reduce(KeySet::union).unwrap_or_default()
    }

    fn insert(&mut self, key: u32) {
        if key >= LARGE_KEY {
            self.large.insert(key);
            return;
        }
        let word = key as usize / 64;
        if word >= self.bits.len() {
            self.bits.resize(word + 1, 0);
        }
        self.bits[word] |= 1 << (key % 64);
    }

    fn union(mut self, other: KeySet) -> KeySet {
        if self.bits.len() < other.bits.len() {
            self.bits.resize(other.bits.len(), 0);
        }
        self.bits.iter_mut().zip(&other.bits).for_each(|(word, other)| *word |= other);
        self.large.extend(other.large);
        self
    }
}

/// The keys both sides use, numbered densely in key order, so that a table entry packs
/// its key's number, its item bit and whether the next entry has the same key into 32
/// bits: half a key and a mask, and on a book the tables are the largest thing held.
struct SharedKeys {
    /// Shared keys below [`LARGE_KEY`], a bit each, and how many come before each word.
    bits: Vec<u64>,
    before: Vec<u32>,
    /// Shared keys from [`LARGE_KEY`] on, sorted: numbered after the `small` ones.
    large: Vec<u32>,
    small: u32,
}

/// Shared keys numbered from here on are dropped: 2^26, far more words than any text has.
const MAX_SHARED_KEYS: u32 = 1 << (32 - KEY_SHIFT);

impl SharedKeys {
    fn new((src, tgt): (KeySet, KeySet)) -> SharedKeys {
        let bits: Vec<u64> = src.bits.iter().zip(&tgt.bits).map(|(a, b)| a & b).collect();
        let mut small = 0;
        let before = bits
            .iter()
            .map(|word| {
                small += word.count_ones();
                small - word.count_ones()
            })
            .collect();
        let mut large: Vec<u32> = src.large.intersection(&tgt.large).copied().collect();
        large.sort_unstable();
        SharedKeys { bits, before, large, small }
    }

    /// The number of `key`, if both sides use it.
    fn number(&self, key: u32) -> Option<u32> {
        let number = if key < LARGE_KEY {
            let (word, bit) = (key as usize / 64, key % 64);
            let bits = *self.bits.get(word)?;
            if bits & (1 << bit) == 0 {
                return None;
            }
            self.before[word] + (bits & ((1 << bit) - 1)).count_ones()
        } else {
            self.small + self.large.binary_search(&key).ok()? as u32
        };
        (number < MAX_SHARED_KEYS).then_some(number)
    }

    /// Each number's key, in order.
    fn keys(&self) -> Vec<u32> {
        let small = self.bits.iter().enumerate().flat_map(|(word, &bits)| {
            (0..64).filter(move |bit| bits & (1 << bit) != 0).map(move |bit| (word * 64 + bit) as u32)
        });
        small.chain(self.large.iter().copied()).take(MAX_SHARED_KEYS as usize).collect()
    }
}

/// A table entry: the key's number from bit [`KEY_SHIFT`] on, [`SAME_KEY_NEXT`], and the
/// item's bit in the low five bits.
const KEY_SHIFT: u32 = 6;
/// Set when the next entry of the sentence has the same key (another item has it).
const SAME_KEY_NEXT: u32 = 1 << 5;
const ITEM_BIT: u32 = 31;

/// One side's items, indexed for fast matching: per sentence, its entries (key number,
/// item bit) sorted by key. Item k of a sentence owns bit k % 32; longer sentences share
/// bits. Flat, as [`Items`] are; the entries, by far the largest part, stay in the blocks
/// of sentences they were built in, so that they are never held twice.
struct SideTable {
    /// Per block of [`SENTENCES_PER_TASK`] sentences, their entries.
    key_blocks: Vec<KeyBlock>,
    /// Each sentence's weight per item bit, sentence after sentence, from `items_before`.
    bit_weights: Vec<f32>,
    totals: Vec<f32>,
    /// Number of item bits before each sentence (to skip sentences without items in O(1)).
    items_before: Vec<u32>,
}

/// The entries of a block of sentences (see [`KEY_SHIFT`]), sorted, sentence after sentence.
#[derive(Default)]
struct KeyBlock {
    keys: Vec<u32>,
    /// Where each sentence's keys start in `keys`; one more entry marks the end.
    starts: Vec<u32>,
}

impl SideTable {
    /// Indexes `items`, keeping only the keys both sides use and the items left with keys.
    fn new(source: &impl ItemSource, shared: &SharedKeys) -> SideTable {
        // Per block: its keys, and its sentences' bit weights, totals and item bit counts.
        type Block = (KeyBlock, Vec<f32>, Vec<f32>, Vec<u32>);
        let blocks: Vec<Block> = in_blocks(source, |items| {
            let (mut block, mut bit_weights, mut totals, mut bit_counts) = Block::default();
            block.starts.push(0);
            // At most every key of these sentences' items is kept.
            block.keys.reserve_exact(items.keys.len());
            let mut kept: Vec<u32> = Vec::new();
            for s in 0..items.sentence_starts.len() - 1 {
                let mut items_kept = 0usize;
                let first_key = block.keys.len();
                let mut weights = [0f32; 32];
                for (weight, keys) in items.of(s) {
                    kept.clear();
                    kept.extend(keys.iter().filter_map(|&key| shared.number(key)));
                    if kept.is_empty() {
                        continue;
                    }
                    let bit = items_kept % 32;
                    weights[bit] += weight;
                    block.keys.extend(kept.iter().map(|&number| number << KEY_SHIFT | bit as u32));
                    items_kept += 1;
                }
                let table = &mut block.keys[first_key..];
                table.sort_unstable();
                let mut length = 0;
                for k in 0..table.len() {
                    if length == 0 || table[length - 1] != table[k] {
                        table[length] = table[k];
                        length += 1;
                    }
                }
                for k in 1..length {
                    if table[k - 1] >> KEY_SHIFT == table[k] >> KEY_SHIFT {
                        table[k - 1] |= SAME_KEY_NEXT;
                    }
                }
                block.keys.truncate(first_key + length);
                block.starts.push(block.keys.len() as u32);
                let bits = &weights[..items_kept.min(32)];
                bit_weights.extend_from_slice(bits);
                totals.push(bits.iter().sum());
                bit_counts.push(bits.len() as u32);
            }
            block.keys.shrink_to_fit();
            (block, bit_weights, totals, bit_counts)
        });
        let mut table = SideTable {
            key_blocks: Vec::with_capacity(blocks.len()),
            bit_weights: Vec::with_capacity(blocks.iter().map(|b| b.1.len()).sum()),
            totals: Vec::with_capacity(source.sentences()),
            items_before: Vec::with_capacity(source.sentences() + 1),
        };
        table.items_before.push(0);
        for (block, bit_weights, totals, bit_counts) in blocks {
            table.key_blocks.push(block);
            table.bit_weights.extend(bit_weights);
            table.totals.extend(totals);
            for count in bit_counts {
                table.items_before.push(table.items_before.last().unwrap() + count);
            }
        }
        table
    }

    fn len(&self) -> usize {
        self.totals.len()
    }

    /// All entries of all sentences.
    fn key_count(&self) -> usize {
        self.key_blocks.iter().map(|block| block.keys.len()).sum()
    }

    fn table(&self, sentence: usize) -> &[u32] {
        let block = &self.key_blocks[sentence / SENTENCES_PER_TASK];
        let k = sentence % SENTENCES_PER_TASK;
        &block.keys[block.starts[k] as usize..block.starts[k + 1] as usize]
    }

    fn has_items(&self, sentences: &Range<usize>) -> bool {
        self.items_before[sentences.end] > self.items_before[sentences.start]
    }

    fn has_item(&self, sentence: usize) -> bool {
        self.items_before[sentence + 1] > self.items_before[sentence]
    }

    fn covered(&self, sentence: usize, mut mask: u32) -> f32 {
        let weights = &self.bit_weights[self.items_before[sentence] as usize..self.items_before[sentence + 1] as usize];
        let mut sum = 0.0;
        while mask != 0 {
            let bit = mask.trailing_zeros() as usize;
            sum += weights.get(bit).copied().unwrap_or(0.0);
            mask &= mask - 1;
        }
        sum
    }
}

/// Rows of the match cache filled by one task.
const ROWS_PER_BLOCK: usize = 32;

/// Marks in `spread`, by key number, the item bits of one sentence's `entries`.
fn spread_entries(spread: &mut [u32], entries: &[u32]) {
    for &entry in entries {
        spread[(entry >> KEY_SHIFT) as usize] |= 1 << (entry & ITEM_BIT);
    }
}

fn clear_entries(spread: &mut [u32], entries: &[u32]) {
    for &entry in entries {
        spread[(entry >> KEY_SHIFT) as usize] = 0;
    }
}

/// The masks of [`CoverageIndex::compute`] for `entries` against the sentence spread out:
/// the bits of `entries` whose key it has, and its bits of those keys.
fn look_up(spread: &[u32], entries: &[u32]) -> (u32, u32) {
    let (mut mine, mut theirs) = (0u32, 0u32);
    for &entry in entries {
        let bits = spread[(entry >> KEY_SHIFT) as usize];
        mine |= (1 << (entry & ITEM_BIT)) * (bits != 0) as u32;
        theirs |= bits;
    }
    (mine, theirs)
}

/// Matched and total item weight on both sides of a bead.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Coverage {
    /// Source weight matched by the target side.
    pub src_matched: f32,
    /// All source weight.
    pub src_total: f32,
    /// Target weight matched by the source side.
    pub tgt_matched: f32,
    /// All target weight.
    pub tgt_total: f32,
}

impl Coverage {
    /// The harmonic mean of both sides' matched shares; `None` when either side has no
    /// items, since then there is nothing to compare.
    pub fn f1(&self) -> Option<f32> {
        if self.src_total <= 0.0 || self.tgt_total <= 0.0 {
            return None;
        }
        let (p, r) = (self.src_matched / self.src_total, self.tgt_matched / self.tgt_total);
        Some(if p + r > 0.0 { 2.0 * p * r / (p + r) } else { 0.0 })
    }
}

/// Items of both documents plus a cache of sentence-pair matches over the search corridor.
pub struct CoverageIndex {
    src: SideTable,
    tgt: SideTable,
    /// The key of each key number, for the sketches.
    keys: Vec<u32>,
    /// Per source sentence: its first cached target sentence, and where its pairs start
    /// in `cache` (one more entry marks the end).
    cache_start: Vec<usize>,
    cache_offsets: Vec<usize>,
    /// The masks of [`CoverageIndex::pair`] for the corridor's pairs, row after row.
    cache: Vec<(u32, u32)>,
}

impl CoverageIndex {
    /// Indexes the items of every source and target sentence. Keys that occur nowhere on
    /// the other side are dropped first, and items left without keys with them: what the
    /// other text never offers to match is evidence neither for nor against a bead.
    pub fn new(src: impl ItemSource, tgt: impl ItemSource) -> CoverageIndex {
        let shared = SharedKeys::new(rayon::join(|| KeySet::of(&src), || KeySet::of(&tgt)));
        let (src, tgt) = rayon::join(|| SideTable::new(&src, &shared), || SideTable::new(&tgt, &shared));
        let keys = shared.keys();
        CoverageIndex { src, tgt, keys, cache_start: Vec::new(), cache_offsets: Vec::new(), cache: Vec::new() }
    }

    /// Precomputes the matches of every sentence pair a bead in `corridor` can contain
    /// (unless the items are so sparse that matching on demand is cheaper), taking those
    /// of the last corridor from its cache.
    pub fn prepare(&mut self, corridor: &Corridor, reach: usize) {
        if self.src.key_count() < self.src.len() * 2 {
            return; // sparse items (names, numbers) are cheaper to match than to cache
        }
        let (n_src, n_tgt) = (self.src.len(), self.tgt.len());
        let ranges: Vec<Range<usize>> = (0..n_src)
            .map(|i| {
                let last_row = (i + reach).min(corridor.rows() - 1);
                corridor.lo[i + 1].saturating_sub(reach)..corridor.hi[last_row].min(n_tgt)
            })
            .collect();
        let mut offsets = Vec::with_capacity(n_src + 1);
        offsets.push(0);
        offsets.extend(ranges.iter().scan(0, |end, cols| {
            *end += cols.len();
            Some(*end)
        }));
        let mut cache = vec![(0u32, 0u32); offsets[n_src]];
        let mut rows: Vec<&mut [(u32, u32)]> = Vec::with_capacity(n_src);
        let mut rest = cache.as_mut_slice();
        for cols in &ranges {
            let (row, tail) = rest.split_at_mut(cols.len());
            rows.push(row);
            rest = tail;
        }
        // The side whose sentences hold more entries is spread into a table by key number,
        // once per sentence for a block of rows; each pair then looks up the other side's
        // few entries instead of merging both lists.
        let spread_targets = self.tgt.key_count() * n_src > self.src.key_count() * n_tgt;
        let keys = self.keys.len();
        rows.par_chunks_mut(ROWS_PER_BLOCK).enumerate().for_each_init(
            || vec![0u32; keys],
            |spread, (block, rows)| {
                let first = block * ROWS_PER_BLOCK;
                let ranges = &ranges[first..first + rows.len()];
                if spread_targets {
                    let columns = ranges.iter().map(|r| r.start).min().unwrap_or(0)
                        ..ranges.iter().map(|r| r.end).max().unwrap_or(0);
                    for j in columns {
                        let mut spread_out = false;
                        for (k, (row, cols)) in rows.iter_mut().zip(ranges).enumerate() {
                            if cols.contains(&j) {
                                row[j - cols.start] = self.cached(first + k, j).unwrap_or_else(|| {
                                    if !spread_out {
                                        spread_entries(spread, self.tgt.table(j));
                                        spread_out = true;
                                    }
                                    look_up(spread, self.src.table(first + k))
                                });
                            }
                        }
                        if spread_out {
                            clear_entries(spread, self.tgt.table(j));
                        }
                    }
                } else {
                    for (k, (row, cols)) in rows.iter_mut().zip(ranges).enumerate() {
                        let i = first + k;
                        let mut spread_out = false;
                        for (cell, j) in row.iter_mut().zip(cols.clone()) {
                            *cell = self.cached(i, j).unwrap_or_else(|| {
                                if !spread_out {
                                    spread_entries(spread, self.src.table(i));
                                    spread_out = true;
                                }
                                let (tgt_mask, src_mask) = look_up(spread, self.tgt.table(j));
                                (src_mask, tgt_mask)
                            });
                        }
                        if spread_out {
                            clear_entries(spread, self.src.table(i));
                        }
                    }
                }
            },
        );
        self.cache = cache;
        self.cache_start = ranges.into_iter().map(|r| r.start).collect();
        self.cache_offsets = offsets;
    }

    /// Bit masks of the items of source sentence `i` matched by target sentence `j`, and
    /// of the items of `j` matched by `i`.
    fn pair(&self, i: usize, j: usize) -> (u32, u32) {
        self.cached(i, j).unwrap_or_else(|| self.compute(i, j))
    }

    /// The masks of [`CoverageIndex::pair`] if the cache holds them: a later pass searches
    /// near the path of an earlier one, so nearly all its pairs are in the last corridor's
    /// cache, still at hand while the new one is made.
    fn cached(&self, i: usize, j: usize) -> Option<(u32, u32)> {
        let start = *self.cache_start.get(i)?;
        let k = j.checked_sub(start)?;
        (k < self.cache_offsets[i + 1] - self.cache_offsets[i]).then(|| self.cache[self.cache_offsets[i] + k])
    }

    /// A merge of the two sorted entry lists that advances without branching (which side
    /// moves on is unpredictable, and a mispredicted branch costs more than the step). On
    /// equal keys, a side whose next entry has the key too moves on alone, so that every
    /// entry of a key on one side meets one of the other's.
    fn compute(&self, i: usize, j: usize) -> (u32, u32) {
        let (a, b) = (self.src.table(i), self.tgt.table(j));
        let (mut x, mut y) = (0, 0);
        let (mut src_mask, mut tgt_mask) = (0u32, 0u32);
        while x < a.len() && y < b.len() {
            let (entry_a, entry_b) = (a[x], b[y]);
            let (key_a, key_b) = (entry_a >> KEY_SHIFT, entry_b >> KEY_SHIFT);
            let same = (key_a == key_b) as u32;
            src_mask |= (1 << (entry_a & ITEM_BIT)) * same;
            tgt_mask |= (1 << (entry_b & ITEM_BIT)) * same;
            let (more_a, more_b) = ((entry_a & SAME_KEY_NEXT != 0) as u32, (entry_b & SAME_KEY_NEXT != 0) as u32);
            x += ((key_a < key_b) as u32 | same & (more_a | (more_b ^ 1))) as usize;
            y += ((key_b < key_a) as u32 | same & (more_a ^ 1)) as usize;
        }
        (src_mask, tgt_mask)
    }

    /// Matched and total weight for the bead `src` × `tgt`.
    pub fn coverage(&self, src: Range<usize>, tgt: Range<usize>) -> Coverage {
        let mut result = Coverage::default();
        if !self.src.has_items(&src) || !self.tgt.has_items(&tgt) {
            return result;
        }
        // Sentences are added nearest the bead's end first, as `f1_in_rows` adds them.
        let mut tgt_masks = [0u32; 8];
        for i in src.clone().rev() {
            let mut src_mask = 0;
            for (k, j) in tgt.clone().rev().enumerate() {
                let (s, t) = self.pair(i, j);
                src_mask |= s;
                tgt_masks[k.min(7)] |= t;
            }
            result.src_matched += self.src.covered(i, src_mask);
            result.src_total += self.src.totals[i];
        }
        for (k, j) in tgt.rev().enumerate() {
            result.tgt_matched += self.tgt.covered(j, tgt_masks[k.min(7)]);
            result.tgt_total += self.tgt.totals[j];
        }
        result
    }

    /// [`CoverageIndex::coverage`]'s F1 of every bead of `shapes` (both sides non-empty)
    /// ending at every cell of `rows`, cell after cell. Overlapping beads share their parts,
    /// each computed once: the masks of a sentence pair; the weight of a source sentence
    /// matched by the n target sentences before a column (shared by the rows below it);
    /// the weight of a target sentence matched by the m source sentences before a row
    /// (shared by the cells to its right). A cell's beads then take their sums from running
    /// totals, the sentence nearest the cell added first (as `coverage` adds them).
    pub fn f1_in_rows(&self, rows: Rows, shapes: &[Shape], out: &mut [f32]) {
        let src_reach = shapes.iter().map(|s| s.src).max().unwrap_or(0);
        let tgt_reach = shapes.iter().map(|s| s.tgt).max().unwrap_or(0);
        if rows.is_empty() || src_reach == 0 {
            out.fill(NO_EVIDENCE);
            return;
        }
        const MAX: usize = crate::search::MAX_BEAD;
        // The `src_reach` source sentences before the current row, nearest first.
        let mut recent: Vec<SourceRow> = (0..src_reach).map(|_| SourceRow::default()).collect();
        let mut tgt_covered: Vec<f32> = Vec::new();
        let mut cells = out.chunks_exact_mut(shapes.len());
        for (k, (&lo, &hi)) in rows.lo.iter().zip(rows.hi).enumerate() {
            let i = rows.first + k;
            let new_sources = if k == 0 { i.saturating_sub(src_reach)..i } else { i - 1..i };
            for s in new_sources {
                recent.rotate_right(1);
                self.fill_source_row(&mut recent[0], s, rows, src_reach, tgt_reach);
            }
            let row_cells = &mut cells.by_ref().take(hi + 1 - lo);
            if !self.src.has_items(&(i.saturating_sub(src_reach)..i)) {
                row_cells.for_each(|out| out.fill(NO_EVIDENCE)); // sparse items (names, numbers)
                continue;
            }
            // tgt_covered[(t − first_target) × src_reach + m − 1]: the weight of target t
            // matched by source sentences i − m..i.
            let first_target = lo.saturating_sub(tgt_reach);
            tgt_covered.clear();
            tgt_covered.resize((hi - first_target) * src_reach, 0.0);
            for (t, covered_by) in (first_target..hi).zip(tgt_covered.chunks_exact_mut(src_reach)) {
                if !self.tgt.has_item(t) {
                    continue; // nothing to match
                }
                let (mut mask, mut covered) = (0, 0.0);
                let mut outs = covered_by.iter_mut();
                for (out, row) in outs.by_ref().zip(&recent[..src_reach.min(i)]) {
                    let matched = row.pairs[t - row.first_pair].1;
                    if matched & !mask != 0 {
                        mask |= matched;
                        covered = self.tgt.covered(t, mask);
                    }
                    *out = covered;
                }
                outs.for_each(|out| *out = covered);
            }
            // Per height m: whether the last m source sentences have items, and their total.
            let heights = src_reach.min(i);
            let (mut src_has, mut src_total) = ([false; MAX + 1], [0f32; MAX + 1]);
            for m in 1..=heights {
                (src_has[m], src_total[m]) =
                    (src_has[m - 1] || self.src.has_item(i - m), src_total[m - 1] + self.src.totals[i - m]);
            }
            for (j, out) in (lo..=hi).zip(row_cells) {
                if !self.tgt.has_items(&(j.saturating_sub(tgt_reach)..j)) {
                    out.fill(NO_EVIDENCE);
                    continue;
                }
                let widths = tgt_reach.min(j);
                let (mut tgt_has, mut tgt_total) = ([false; MAX + 1], [0f32; MAX + 1]);
                for n in 1..=widths {
                    (tgt_has[n], tgt_total[n]) =
                        (tgt_has[n - 1] || self.tgt.has_item(j - n), tgt_total[n - 1] + self.tgt.totals[j - n]);
                }
                // src_matched[m][n − 1]: the source weight the m × n bead ending here
                // matches; tgt_matched[n][m − 1] its target weight.
                let mut src_matched = [[0f32; MAX]; MAX + 1];
                for (m, row) in (1..=heights).zip(&recent) {
                    let covered = &row.covered[(j - row.first_covered) * tgt_reach..][..tgt_reach];
                    let (before, rest) = src_matched.split_at_mut(m);
                    for ((sum, previous), &covered) in rest[0].iter_mut().zip(&before[m - 1]).zip(covered) {
                        *sum = previous + covered;
                    }
                }
                let mut tgt_matched = [[0f32; MAX]; MAX + 1];
                for n in 1..=widths {
                    let covered = &tgt_covered[(j - n - first_target) * src_reach..][..src_reach];
                    let (before, rest) = tgt_matched.split_at_mut(n);
                    for ((sum, previous), &covered) in rest[0].iter_mut().zip(&before[n - 1]).zip(covered) {
                        *sum = previous + covered;
                    }
                }
                for (&Shape { src: m, tgt: n }, out) in shapes.iter().zip(out) {
                    *out = if m > heights || n > widths || !src_has[m] || !tgt_has[n] {
                        NO_EVIDENCE
                    } else {
                        Coverage {
                            src_matched: src_matched[m][n - 1],
                            src_total: src_total[m],
                            tgt_matched: tgt_matched[n][m - 1],
                            tgt_total: tgt_total[n],
                        }
                        .f1()
                        .unwrap_or(NO_EVIDENCE)
                    };
                }
            }
        }
    }

    /// Fills `row` for source sentence `s`: its masks with the target sentences the rows
    /// of `rows` below it may pair it with, and its weight matched by the last n of them.
    fn fill_source_row(&self, row: &mut SourceRow, s: usize, rows: Rows, src_reach: usize, tgt_reach: usize) {
        // The rows that may pair sentence s: s + 1 to s + src_reach, as far as `rows` goes.
        let last = rows.len() - 1;
        let (first_user, last_user) =
            ((s + 1).saturating_sub(rows.first).min(last), (s + src_reach).saturating_sub(rows.first).min(last));
        let (lo, hi) = (rows.lo[first_user], rows.hi[last_user]);
        row.first_pair = lo.saturating_sub(tgt_reach);
        row.pairs.clear();
        if self.src.has_item(s) {
            let pair = |t: usize| if self.tgt.has_item(t) { self.pair(s, t) } else { (0, 0) };
            row.pairs.extend((row.first_pair..hi).map(pair));
        } else {
            row.pairs.resize(hi - row.first_pair, (0, 0));
        }
        row.first_covered = lo;
        row.covered.clear();
        row.covered.resize((hi + 1 - lo) * tgt_reach, 0.0);
        if !self.src.has_item(s) {
            return; // nothing to match (most sentences, for names and numbers)
        }
        for (j, covered_by) in (lo..=hi).zip(row.covered.chunks_exact_mut(tgt_reach)) {
            // Targets j − 1, j − 2, …: none before the grid.
            let nearest_first = row.pairs[..j - row.first_pair].iter().rev();
            let (mut mask, mut covered) = (0, 0.0);
            let mut outs = covered_by.iter_mut();
            for (out, &(matched, _)) in outs.by_ref().zip(nearest_first) {
                if matched & !mask != 0 {
                    mask |= matched;
                    covered = self.src.covered(s, mask);
                }
                *out = covered;
            }
            outs.for_each(|out| *out = covered);
        }
    }

    /// The (key, weight) features of one sentence, for the coarse search's sketches.
    pub fn sketch(&self, source_side: bool, sentence: usize, out: &mut Vec<(u32, f32)>) {
        let side = if source_side { &self.src } else { &self.tgt };
        let mut bits = 0;
        for &entry in side.table(sentence) {
            bits |= 1 << (entry & ITEM_BIT);
            if entry & SAME_KEY_NEXT == 0 {
                out.push((self.keys[(entry >> KEY_SHIFT) as usize], side.covered(sentence, bits)));
                bits = 0;
            }
        }
    }
}

/// What the beads ending in a row need of one source sentence before it.
#[derive(Default)]
struct SourceRow {
    /// Its item masks with target sentences `first_pair..`, as [`CoverageIndex::pair`].
    first_pair: usize,
    pairs: Vec<(u32, u32)>,
    /// `covered[(j − first_covered) × reach + n − 1]`: its weight matched by the target
    /// sentences j − n..j.
    first_covered: usize,
    covered: Vec<f32>,
}

/// A signal that is item coverage and nothing else (lexicon, learned, names, numbers):
/// each differs only in how it builds its items.
pub struct CoverageSignal {
    name: &'static str,
    index: CoverageIndex,
}

impl CoverageSignal {
    /// Wraps the items of both sides as the signal called `name` (its weight's name).
    pub fn new(name: &'static str, src: impl ItemSource, tgt: impl ItemSource) -> CoverageSignal {
        CoverageSignal { name, index: CoverageIndex::new(src, tgt) }
    }

    /// The signal whose items `items` recognises in each normalised document, with keys
    /// (forms) shared between the two sides.
    pub fn keyed(
        name: &'static str,
        src: &NormalizedDocument,
        tgt: &NormalizedDocument,
        items: fn(&NormalizedDocument, &mut KeyInterner) -> Items,
    ) -> CoverageSignal {
        let mut keys = KeyInterner::default();
        let src_items = items(src, &mut keys);
        CoverageSignal::new(name, src_items, items(tgt, &mut keys))
    }
}

impl Signal for CoverageSignal {
    fn name(&self) -> &'static str {
        self.name
    }

    fn prepare(&mut self, corridor: &Corridor, reach: usize) {
        self.index.prepare(corridor, reach);
    }

    fn similarity(&self, src: Range<usize>, tgt: Range<usize>) -> Option<f32> {
        self.index.coverage(src, tgt).f1()
    }

    fn similarities_in_rows(&self, rows: Rows, shapes: &[Shape], out: &mut [f32]) {
        self.index.f1_in_rows(rows, shapes, out);
    }

    fn sketch(&self, side: Side, sentence: usize, out: &mut Vec<(u32, f32)>) {
        self.index.sketch(side == Side::Source, sentence, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One side: per sentence, its items' keys (each item of weight 1).
    fn side(sentences: &[&[&[u32]]]) -> Items {
        let mut items = Items::default();
        for sentence in sentences {
            for keys in *sentence {
                items.push(1.0, keys.iter().copied());
            }
            items.end_sentence();
        }
        items
    }

    #[test]
    fn merging_a_translation_raises_coverage_and_an_unrelated_sentence_dilutes_it() {
        // Source sentence: items {1|2}, {3}, {4}. Target 0 has 1 and 3; target 1 has 4; target 2 has 9.
        let index = CoverageIndex::new(side(&[&[&[1, 2], &[3], &[4]]]), side(&[&[&[1], &[3]], &[&[4]], &[&[9]]]));
        let one = index.coverage(0..1, 0..1).f1().unwrap();
        let merged = index.coverage(0..1, 0..2).f1().unwrap();
        let diluted = index.coverage(0..1, 1..3).f1().unwrap();
        assert!(merged > one, "{merged} > {one}");
        assert!((merged - 1.0).abs() < 1e-6);
        assert!(diluted < one);
    }

    #[test]
    fn cached_and_computed_pairs_agree() {
        // Either side may hold more keys per sentence (and so be the one spread out), with
        // keys several items share; the corridor spans several blocks of rows.
        let few = |n: usize| {
            ItemsFrom(n, |i: usize, items: &mut Items| {
                items.push(1.0, [i as u32 % 50 + 1]);
                items.push(2.0, [i as u32 * 3 % 50, i as u32 % 50 + 1]);
            })
        };
        let many = |n: usize| {
            ItemsFrom(n, |j: usize, items: &mut Items| {
                for k in 0..6 {
                    items.push(1.0 + k as f32, [(j as u32 + k) % 50, (j as u32 * 7 + k) % 50]);
                }
                items.push(0.5, [j as u32 % 50]);
            })
        };
        let check = |mut index: CoverageIndex, n_src: usize, n_tgt: usize| {
            let corridor = Corridor::around_path(&[(0, 0), (n_src / 2, n_tgt / 3), (n_src, n_tgt)], n_src, n_tgt, 3);
            index.prepare(&corridor, 4);
            let mut cached = 0;
            for i in 0..n_src {
                for j in 0..n_tgt {
                    if let Some(masks) = index.cached(i, j) {
                        assert_eq!(masks, index.compute(i, j), "pair {i}, {j}");
                        cached += 1;
                    }
                }
            }
            assert!(cached > n_src * 8, "{cached} pairs cached");
        };
        check(CoverageIndex::new(few(150), many(170)), 150, 170);
        check(CoverageIndex::new(many(150), few(170)), 150, 170);
    }

    #[test]
    fn beads_scored_by_rows_agree_with_beads_scored_one_by_one() {
        // Sentences with 0 to 3 items over a small key space, some without any.
        let side = |seed: u32, n: usize| {
            ItemsFrom(n, move |s: usize, items: &mut Items| {
                let s = s as u32;
                for k in 0..(s * 7 + seed) % 4 {
                    items.push(1.0 + k as f32, [(s * 5 + k * 3 + seed) % 11]);
                }
            })
        };
        let mut index = CoverageIndex::new(side(1, 30), side(2, 40));
        let shapes: Vec<Shape> = crate::search::shapes(5).into_iter().filter(|s| s.src > 0 && s.tgt > 0).collect();
        let corridor = Corridor::around_path(&[(0, 0), (30, 40)], 30, 40, 3);
        for prepared in [false, true] {
            if prepared {
                index.prepare(&corridor, 4);
            }
            // The whole grid from row 0, and a band of rows starting further down.
            for (first, end, band) in [(0, 31, false), (6, 31, true), (7, 19, true)] {
                let (lo, hi): (Vec<usize>, Vec<usize>) =
                    (first..end).map(|i| if band { (corridor.lo[i], corridor.hi[i]) } else { (0, 40) }).unzip();
                let rows = Rows { first, lo: &lo, hi: &hi };
                let mut together = vec![0.0; rows.cells_count() * shapes.len()];
                index.f1_in_rows(rows, &shapes, &mut together);
                for ((i, j), together) in rows.cells().zip(together.chunks_exact(shapes.len())) {
                    for (shape, &together) in shapes.iter().zip(together) {
                        let together = crate::score::evidence(together);
                        let alone = shape.starts_at(i, j).and_then(|(i0, j0)| index.coverage(i0..i, j0..j).f1());
                        assert_eq!(together.map(f32::to_bits), alone.map(f32::to_bits), "{shape:?} at {i}, {j}");
                    }
                }
            }
        }
    }

    #[test]
    fn a_key_several_items_share_matches_them_all() {
        // Source: items {5}, {5|7}, {5}, {8}; target: {5}, {9|7}, {4}. Key 5 is in three
        // source items and one target item; 8, 9 and 4 match nothing and are dropped.
        let index = CoverageIndex::new(side(&[&[&[5], &[5, 7], &[5], &[8]]]), side(&[&[&[5], &[9, 7], &[4]]]));
        let coverage = index.coverage(0..1, 0..1);
        assert_eq!((coverage.src_matched, coverage.src_total), (3.0, 3.0));
        assert_eq!((coverage.tgt_matched, coverage.tgt_total), (2.0, 2.0));
        // The sketch has one feature per key, weighing all the items that have it.
        let mut features = Vec::new();
        index.sketch(true, 0, &mut features);
        assert_eq!(features, [(5, 3.0), (7, 1.0)]);
    }

    #[test]
    fn no_items_means_no_evidence() {
        let index = CoverageIndex::new(side(&[&[]]), side(&[&[&[1]]]));
        assert_eq!(index.coverage(0..1, 0..1).f1(), None);
        let unmatched = CoverageIndex::new(side(&[&[&[1]]]), side(&[&[&[2]]]));
        assert_eq!(unmatched.coverage(0..1, 0..1).f1(), None, "keys absent from the other text are dropped");
    }
}
