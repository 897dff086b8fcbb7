//! A corpus's word statistics, gathered pair by pair and merged (on one machine or across
//! a cluster), and the lexicon learned from them: the same associations and word weights
//! a batch learns from all its pairs at once ([`super::associations::learn`] over
//! [`Units::pool`]), but from counts that add up, so a corpus need not be in one memory.

use super::associations::{Chance, MAX_CHANCE, MIN_COUNT, select_partners};
use super::units::Units;
use crate::document::Bead;
use rustc_hash::FxHashMap;

/// One side's units and how many sentences and beads hold each.
#[derive(Clone, Debug, Default)]
struct SideCounts {
    ids: FxHashMap<String, u32>,
    units: Vec<String>,
    sentences: u64,
    /// Per unit: sentences holding it (its document frequency for the word weights).
    in_sentences: Vec<u32>,
    /// Per unit: paired beads (both sides non-empty) holding it.
    in_beads: Vec<u32>,
}

impl SideCounts {
    fn id(&mut self, unit: &str) -> u32 {
        if let Some(&id) = self.ids.get(unit) {
            return id;
        }
        let id = self.units.len() as u32;
        self.ids.insert(unit.to_string(), id);
        self.units.push(unit.to_string());
        self.in_sentences.push(0);
        self.in_beads.push(0);
        id
    }

    /// Adds a document's sentences; returns its unit ids here.
    fn add_sentences(&mut self, units: &Units) -> Vec<u32> {
        let ids: Vec<u32> = units.vocabulary.iter().map(|u| self.id(u)).collect();
        self.sentences += units.sentences.len() as u64;
        for &u in units.sentences.iter().flatten() {
            self.in_sentences[ids[u as usize] as usize] += 1;
        }
        ids
    }

    /// The distinct ids of a bead's sentences, counted once for the bead.
    fn add_bead(&mut self, units: &Units, ids: &[u32], sentences: std::ops::Range<usize>) -> Vec<u32> {
        let mut bead: Vec<u32> = sentences.flat_map(|i| units.sentences[i].iter().map(|&u| ids[u as usize])).collect();
        bead.sort_unstable();
        bead.dedup();
        for &u in &bead {
            self.in_beads[u as usize] += 1;
        }
        bead
    }

    /// Adds `other`'s counts; returns the ids of `other`'s units here.
    fn merge(&mut self, other: &SideCounts) -> Vec<u32> {
        self.sentences += other.sentences;
        let ids: Vec<u32> = other.units.iter().map(|u| self.id(u)).collect();
        for (k, &id) in ids.iter().enumerate() {
            self.in_sentences[id as usize] += other.in_sentences[k];
            self.in_beads[id as usize] += other.in_beads[k];
        }
        ids
    }

    /// ln(1 + N / df), as [`Units`] weighs a unit over the pooled sentences.
    fn weight(sentences: u64, in_sentences: u32) -> f32 {
        if in_sentences == 0 { 0.0 } else { (1.0 + sentences as f32 / in_sentences as f32).ln() }
    }
}

/// What the aligned pairs of a corpus say about its words: per side, how many sentences and
/// paired beads hold each unit, and how many paired beads hold each source–target pair.
/// Counts of different pairs [`merge`](CorpusCounts::merge) in any order to the same
/// result, and [`lexicon`](CorpusCounts::lexicon) learns from them.
#[derive(Clone, Debug, Default)]
pub struct CorpusCounts {
    src: SideCounts,
    tgt: SideCounts,
    /// Paired beads.
    beads: u64,
    /// (source unit, target unit) → paired beads holding both.
    together: FxHashMap<(u32, u32), u32>,
}

impl CorpusCounts {
    /// Counts one aligned document pair, given its units.
    pub(crate) fn add(&mut self, src: &Units, tgt: &Units, path: &[Bead]) {
        let (src_ids, tgt_ids) = (self.src.add_sentences(src), self.tgt.add_sentences(tgt));
        for bead in path.iter().filter(|b| !b.src.is_empty() && !b.tgt.is_empty()) {
            self.beads += 1;
            let a_units = self.src.add_bead(src, &src_ids, bead.src.clone());
            let b_units = self.tgt.add_bead(tgt, &tgt_ids, bead.tgt.clone());
            for &a in &a_units {
                for &b in &b_units {
                    *self.together.entry((a, b)).or_default() += 1;
                }
            }
        }
    }

    /// Adds the counts of other pairs.
    pub fn merge(&mut self, other: &CorpusCounts) {
        let (src_ids, tgt_ids) = (self.src.merge(&other.src), self.tgt.merge(&other.tgt));
        self.beads += other.beads;
        for (&(a, b), &n) in &other.together {
            *self.together.entry((src_ids[a as usize], tgt_ids[b as usize])).or_default() += n;
        }
    }

    /// Paired beads counted.
    pub fn beads(&self) -> u64 {
        self.beads
    }

    /// The lexicon these counts teach: each source unit's partners (as
    /// a batch chooses them) and the word weights of both sides.
    pub fn lexicon(&self) -> CorpusLexicon {
        let chance = Chance::new(self.beads, MAX_CHANCE);
        let mut met: Vec<Vec<(u32, u32)>> = vec![Vec::new(); self.src.units.len()];
        for (&(a, b), &n) in &self.together {
            if n >= MIN_COUNT {
                met[a as usize].push((b, n));
            }
        }
        let partners = met
            .into_iter()
            .enumerate()
            .filter_map(|(a, together)| {
                let with = self.src.in_beads[a];
                let found = select_partners(with, together, |b| self.tgt.in_beads[b as usize], &chance);
                // In word order: ids depend on the order counts were merged in.
                let mut words: Vec<String> =
                    found.iter().map(|&(b, _, _)| self.tgt.units[b as usize].clone()).collect();
                words.sort_unstable();
                let weight = SideCounts::weight(self.src.sentences, self.src.in_sentences[a]);
                (!found.is_empty()).then(|| (self.src.units[a].clone(), (weight, words)))
            })
            .collect();
        let tgt_weights = (self.tgt.units.iter().zip(&self.tgt.in_sentences))
            .map(|(unit, &df)| (unit.clone(), SideCounts::weight(self.tgt.sentences, df)))
            .collect();
        CorpusLexicon { partners, tgt_weights }
    }

    /// The counts as bytes, to send across a cluster ([`CorpusCounts::from_bytes`]).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Bytes::new(COUNTS_MAGIC);
        for side in [&self.src, &self.tgt] {
            out.u64(side.sentences);
            out.u64(side.units.len() as u64);
            for (k, unit) in side.units.iter().enumerate() {
                out.text(unit);
                out.u32(side.in_sentences[k]);
                out.u32(side.in_beads[k]);
            }
        }
        out.u64(self.beads);
        let mut together: Vec<_> = self.together.iter().collect();
        together.sort_unstable();
        out.u64(together.len() as u64);
        for (&(a, b), &n) in together {
            out.u32(a);
            out.u32(b);
            out.u32(n);
        }
        out.0
    }

    /// Reads [`CorpusCounts::to_bytes`]; `None` for bytes that are not such counts.
    pub fn from_bytes(bytes: &[u8]) -> Option<CorpusCounts> {
        let mut input = Reader::new(bytes, COUNTS_MAGIC)?;
        let mut side = || -> Option<SideCounts> {
            let mut side = SideCounts { sentences: input.u64()?, ..SideCounts::default() };
            for _ in 0..input.count(12)? {
                let unit = input.text()?;
                if side.ids.contains_key(unit) {
                    return None;
                }
                let id = side.id(unit) as usize;
                (side.in_sentences[id], side.in_beads[id]) = (input.u32()?, input.u32()?);
            }
            Some(side)
        };
        let (src, tgt) = (side()?, side()?);
        let beads = input.u64()?;
        let mut together = FxHashMap::default();
        for _ in 0..input.count(12)? {
            let (a, b, n) = (input.u32()?, input.u32()?, input.u32()?);
            if a as usize >= src.units.len() || b as usize >= tgt.units.len() {
                return None;
            }
            together.insert((a, b), n);
        }
        input.end().then_some(CorpusCounts { src, tgt, beads, together })
    }
}

/// The lexicon a corpus teaches: per source unit its learned partners and weight, per
/// target unit its weight, by their words.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CorpusLexicon {
    /// Source unit → (weight, the target units it translates).
    pub(crate) partners: FxHashMap<String, (f32, Vec<String>)>,
    /// Target unit → weight.
    pub(crate) tgt_weights: FxHashMap<String, f32>,
}

impl CorpusLexicon {
    /// Source units with learned partners.
    pub fn len(&self) -> usize {
        self.partners.len()
    }

    /// True when nothing was learned.
    pub fn is_empty(&self) -> bool {
        self.partners.is_empty()
    }

    /// The target units learned for a source unit (a Chinese word, an English stem).
    pub fn partners(&self, unit: &str) -> &[String] {
        self.partners.get(unit).map_or(&[], |(_, words)| words)
    }

    /// The lexicon as bytes, to broadcast across a cluster ([`CorpusLexicon::from_bytes`]).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Bytes::new(LEXICON_MAGIC);
        let mut partners: Vec<_> = self.partners.iter().collect();
        partners.sort_unstable_by(|x, y| x.0.cmp(y.0));
        out.u64(partners.len() as u64);
        for (unit, (weight, words)) in partners {
            out.text(unit);
            out.u32(weight.to_bits());
            out.u64(words.len() as u64);
            words.iter().for_each(|w| out.text(w));
        }
        let mut weights: Vec<_> = self.tgt_weights.iter().collect();
        weights.sort_unstable_by(|x, y| x.0.cmp(y.0));
        out.u64(weights.len() as u64);
        for (unit, weight) in weights {
            out.text(unit);
            out.u32(weight.to_bits());
        }
        out.0
    }

    /// Reads [`CorpusLexicon::to_bytes`]; `None` for bytes that are not such a lexicon.
    pub fn from_bytes(bytes: &[u8]) -> Option<CorpusLexicon> {
        let mut input = Reader::new(bytes, LEXICON_MAGIC)?;
        let mut lexicon = CorpusLexicon::default();
        for _ in 0..input.count(16)? {
            let unit = input.text()?.to_string();
            let weight = Some(f32::from_bits(input.u32()?)).filter(|w| w.is_finite())?;
            let words = (0..input.count(4)?).map(|_| input.text().map(str::to_string)).collect::<Option<_>>()?;
            lexicon.partners.insert(unit, (weight, words));
        }
        for _ in 0..input.count(8)? {
            let unit = input.text()?.to_string();
            let weight = Some(f32::from_bits(input.u32()?)).filter(|w| w.is_finite())?;
            lexicon.tgt_weights.insert(unit, weight);
        }
        input.end().then_some(lexicon)
    }
}

const COUNTS_MAGIC: &[u8; 8] = b"duiqiC01";
const LEXICON_MAGIC: &[u8; 8] = b"duiqiL01";

/// Little-endian numbers and length-prefixed UTF-8, after a magic tag.
struct Bytes(Vec<u8>);

impl Bytes {
    fn new(magic: &[u8; 8]) -> Bytes {
        Bytes(magic.to_vec())
    }
    fn u32(&mut self, v: u32) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn u64(&mut self, v: u64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn text(&mut self, s: &str) {
        self.u32(s.len() as u32);
        self.0.extend_from_slice(s.as_bytes());
    }
}

/// Reads what [`Bytes`] writes, refusing anything short, long or malformed.
struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn new(bytes: &'a [u8], magic: &[u8; 8]) -> Option<Reader<'a>> {
        bytes.strip_prefix(magic.as_slice()).map(Reader)
    }
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let (head, rest) = self.0.split_at_checked(n)?;
        self.0 = rest;
        Some(head)
    }
    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }
    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }
    fn text(&mut self) -> Option<&'a str> {
        let n = self.u32()? as usize;
        std::str::from_utf8(self.take(n)?).ok()
    }
    /// A count of items of at least `min_bytes` each: no more than the bytes left could hold.
    fn count(&mut self, min_bytes: usize) -> Option<usize> {
        let n = usize::try_from(self.u64()?).ok()?;
        (n <= self.0.len() / min_bytes).then_some(n)
    }
    fn end(&self) -> bool {
        self.0.is_empty()
    }
}
