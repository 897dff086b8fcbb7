//! A review project: the two texts as read, their beads with the reviewer's statuses,
//! edits with unlimited undo, and the project file, written atomically.

use duiqi::{Aligner, Alignment, Bead, Document, Format, Language, Sentence};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::io::Write;
use std::ops::Range;
use std::path::Path;

/// The project file's format version.
const VERSION: u32 = 1;

/// One text of the pair, as read: enough to show it, align it again and export it.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Side {
    /// The file it was read from, as the user named it.
    pub name: String,
    /// Its language.
    pub language: Language,
    /// The decoded text.
    pub text: String,
    /// Its sentences, with their spans in `text`.
    pub sentences: Vec<Sentence>,
}

impl Side {
    /// The side of a document read from `name`.
    pub fn new(name: &str, document: Document) -> Side {
        Side { name: name.to_string(), language: document.language, text: document.text, sentences: document.sentences }
    }

    /// The side as a document, to align or write.
    pub fn document(&self) -> Document {
        Document {
            language: self.language,
            text: self.text.clone(),
            sentences: self.sentences.clone(),
            // Sentence edits would leave paragraph ranges stale; the sentences keep their
            // paragraph starts.
            paragraphs: Vec::new(),
            guessed_encoding: None,
        }
    }
}

/// What the reviewer has said of a bead.
#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// As the aligner proposed it (or as an edit left it), not yet checked.
    Auto,
    /// Checked by the reviewer: re-alignment keeps it.
    Confirmed,
}

/// A bead and its status.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct ReviewBead {
    /// Source and target sentences and score.
    #[serde(flatten)]
    pub bead: Bead,
    /// Confirmed or not.
    pub status: Status,
}

impl ReviewBead {
    fn auto(src: Range<usize>, tgt: Range<usize>, score: f32) -> ReviewBead {
        ReviewBead { bead: Bead { src, tgt, score }, status: Status::Auto }
    }
}

/// An edit the reviewer makes. Indices are bead indices unless named otherwise.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Edit {
    /// Confirm a bead; with `through`, every bead above it too.
    Confirm {
        /// The bead.
        bead: usize,
        /// Also confirm all beads before it.
        #[serde(default)]
        through: bool,
    },
    /// Take a bead back to unconfirmed.
    Unconfirm {
        /// The bead.
        bead: usize,
    },
    /// Merge a bead with the next one.
    MergeNext {
        /// The bead.
        bead: usize,
    },
    /// Split a bead in two: source sentences before `src_at` and target sentences before
    /// `tgt_at` (absolute sentence indices) form the first.
    Split {
        /// The bead.
        bead: usize,
        /// First source sentence of the second bead.
        src_at: usize,
        /// First target sentence of the second bead.
        tgt_at: usize,
    },
    /// Move the first sentence of one side of a bead to the end of the previous bead.
    MoveFirstUp {
        /// The bead.
        bead: usize,
        /// True for the target side.
        target: bool,
    },
    /// Move the last sentence of one side of a bead to the start of the next bead.
    MoveLastDown {
        /// The bead.
        bead: usize,
        /// True for the target side.
        target: bool,
    },
    /// Leave the first or last sentence of one side of a bead unpaired, as a bead of its
    /// own before or after it.
    Unpair {
        /// The bead.
        bead: usize,
        /// True for the target side.
        target: bool,
        /// The last sentence instead of the first.
        last: bool,
    },
    /// Replace a sentence's text; each line break in `text` splits it there (its bead
    /// keeps all the parts).
    EditSentence {
        /// True for the target side.
        target: bool,
        /// The sentence index on that side.
        sentence: usize,
        /// The new text, one sentence per line.
        text: String,
    },
    /// Join a sentence with the next one of the same side (both must be in one bead).
    JoinNext {
        /// True for the target side.
        target: bool,
        /// The first of the two sentences.
        sentence: usize,
    },
}

/// Why an edit or a project file could not be taken.
#[derive(Debug)]
pub enum ProjectError {
    /// The edit does not apply to the beads as they are (e.g. no next bead to merge with).
    Edit(String),
    /// The project file could not be read or written.
    Io(String, std::io::Error),
    /// The project file is not a duiqi project (or a newer version of one).
    Format(String, String),
}

impl fmt::Display for ProjectError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ProjectError::Edit(why) => write!(f, "cannot edit: {why}"),
            ProjectError::Io(path, e) => write!(f, "{path}: {e}"),
            ProjectError::Format(path, why) => write!(f, "{path}: not a duiqi project file ({why})"),
        }
    }
}

impl std::error::Error for ProjectError {}

/// A replaced run of beads, and of sentences when their text was edited: how to undo or
/// redo an edit.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
struct Change {
    at: usize,
    removed: Vec<ReviewBead>,
    inserted: Vec<ReviewBead>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    sentences: Option<SentenceChange>,
    /// Part of one step with the change before it (the runs a re-alignment changed).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    with_previous: bool,
}

impl Change {
    /// The changes from `old` to `new` beads: one per run where they differ, each placed
    /// as if those before it were made, so undoing a re-alignment of a book keeps only
    /// what changed.
    fn between(old: &[ReviewBead], new: Vec<ReviewBead>) -> Vec<Change> {
        let end = |b: &ReviewBead| (b.bead.src.end, b.bead.tgt.end);
        let mut changes = Vec::new();
        let (mut a, mut b) = (0, 0);
        while a < old.len() && b < new.len() {
            if old[a] == new[b] {
                (a, b) = (a + 1, b + 1);
                continue;
            }
            // Take beads from whichever side is behind until both end at one boundary.
            let (a0, b0) = (a, b);
            let (mut old_end, mut new_end) = (end(&old[a]), end(&new[b]));
            (a, b) = (a + 1, b + 1);
            while old_end != new_end {
                let old_behind = old_end.0 < new_end.0 || (old_end.0 == new_end.0 && old_end.1 < new_end.1);
                match (old_behind, old.get(a), new.get(b)) {
                    (true, Some(next), _) => (old_end, a) = (end(next), a + 1),
                    (false, _, Some(next)) => (new_end, b) = (end(next), b + 1),
                    // Alignments of other texts: the rest differs.
                    _ => (a, b, old_end) = (old.len(), new.len(), new_end),
                }
            }
            changes.push(Change {
                at: b0,
                removed: old[a0..a].to_vec(),
                inserted: new[b0..b].to_vec(),
                sentences: None,
                with_previous: !changes.is_empty(),
            });
        }
        changes
    }
}

/// Sentences of one side replaced: the beads after the change shift by the difference.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
struct SentenceChange {
    target: bool,
    at: usize,
    removed: Vec<Sentence>,
    inserted: Vec<Sentence>,
}

/// A review project. Every sentence of both sides is in exactly one bead, in order, after
/// every edit, undo and redo.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Project {
    version: u32,
    /// The source text.
    pub src: Side,
    /// The target text.
    pub tgt: Side,
    /// The beads, in order.
    pub beads: Vec<ReviewBead>,
    /// Edits made, for undo (kept in the file, so undo survives a restart).
    undo: Vec<Change>,
    /// Edits undone, for redo; a new edit clears them.
    redo: Vec<Change>,
    /// Counts every change: a client that edits from an older revision is refused.
    pub revision: u64,
    /// Counts the changes to sentences (edits, undone or redone): what was worked out from
    /// the texts must be worked out again when it changes.
    #[serde(default)]
    pub text_revision: u64,
}

impl Project {
    /// A new project: `alignment` of `src` with `tgt`, nothing confirmed.
    pub fn new(src: Side, tgt: Side, alignment: Alignment) -> Project {
        let beads = alignment.into_iter().map(|bead| ReviewBead { bead, status: Status::Auto }).collect();
        Project { version: VERSION, src, tgt, beads, undo: Vec::new(), redo: Vec::new(), revision: 0, text_revision: 0 }
    }

    /// Applies an edit, to be undone by [`Project::undo`].
    pub fn apply(&mut self, edit: &Edit) -> Result<(), ProjectError> {
        let change = self.change_for(edit)?;
        self.splice(&change, true);
        self.undo.push(change);
        self.redo.clear();
        Ok(())
    }

    /// Undoes the last edit; false when there is none.
    pub fn undo(&mut self) -> bool {
        let Some(mut change) = self.undo.pop() else { return false };
        loop {
            self.splice(&change, false);
            let more = change.with_previous;
            self.redo.push(change);
            match self.undo.pop() {
                Some(previous) if more => change = previous,
                Some(previous) => {
                    self.undo.push(previous);
                    return true;
                }
                None => return true,
            }
        }
    }

    /// Redoes the last undone edit; false when there is none.
    pub fn redo(&mut self) -> bool {
        let Some(change) = self.redo.pop() else { return false };
        self.splice(&change, true);
        self.undo.push(change);
        while self.redo.last().is_some_and(|next| next.with_previous) {
            let next = self.redo.pop().expect("checked");
            self.splice(&next, true);
            self.undo.push(next);
        }
        true
    }

    /// Aligns again everything not confirmed, the confirmed beads kept as anchors; undoable.
    pub fn realign(&mut self, aligner: &Aligner) -> Result<(), ProjectError> {
        let anchors: Vec<Bead> =
            self.beads.iter().filter(|b| b.status == Status::Confirmed).map(|b| b.bead.clone()).collect();
        let alignment = aligner
            .align_anchored(&self.src.document(), &self.tgt.document(), &anchors)
            .map_err(|e| ProjectError::Edit(e.to_string()))?;
        // A pairing the aligner proposes again keeps its bead as it was (score included),
        // so the undo step holds only what changed.
        let old: std::collections::HashMap<(Range<usize>, Range<usize>), &ReviewBead> =
            self.beads.iter().map(|b| ((b.bead.src.clone(), b.bead.tgt.clone()), b)).collect();
        let inserted = alignment
            .into_iter()
            .map(|bead| match old.get(&(bead.src.clone(), bead.tgt.clone())) {
                Some(&same) => same.clone(),
                None => ReviewBead { bead, status: Status::Auto },
            })
            .collect();
        let changes = Change::between(&self.beads, inserted);
        if changes.is_empty() {
            self.revision += 1; // answered like any change, though nothing moved
        }
        for change in changes {
            self.splice(&change, true);
            self.undo.push(change);
        }
        self.redo.clear();
        Ok(())
    }

    /// Writes the project file atomically: a temporary file beside it, flushed to disk,
    /// then renamed over it, so a crash at any moment leaves the old or the new state.
    pub fn save(&self, path: &Path) -> Result<(), ProjectError> {
        let name = path.display().to_string();
        let io = |e| ProjectError::Io(name.clone(), e);
        let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let temporary = path.with_file_name(format!(".{file_name}.{}.tmp", std::process::id()));
        let bytes = serde_json::to_vec(self).map_err(|e| io(e.into()))?;
        let mut file = std::fs::File::create(&temporary).map_err(io)?;
        file.write_all(&bytes).and_then(|()| file.sync_all()).map_err(io)?;
        std::fs::rename(&temporary, path).map_err(io)?;
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::File::open(dir).and_then(|d| d.sync_all()).map_err(io)?;
        }
        Ok(())
    }

    /// Reads a project file, checking that every sentence is in exactly one bead.
    pub fn load(path: &Path) -> Result<Project, ProjectError> {
        let name = path.display().to_string();
        let bytes = std::fs::read(path).map_err(|e| ProjectError::Io(name.clone(), e))?;
        let project: Project =
            serde_json::from_slice(&bytes).map_err(|e| ProjectError::Format(name.clone(), e.to_string()))?;
        if project.version != VERSION {
            return Err(ProjectError::Format(name, format!("version {}, expected {VERSION}", project.version)));
        }
        duiqi::check_coverage(&project.alignment(), project.src.sentences.len(), project.tgt.sentences.len())
            .map_err(|why| ProjectError::Format(name, why))?;
        Ok(project)
    }

    /// The beads as an alignment.
    pub fn alignment(&self) -> Alignment {
        self.beads.iter().map(|b| b.bead.clone()).collect()
    }

    /// Writes the beads in `format`: all of them, or only those confirmed, or those scoring
    /// at least `min_score`.
    pub fn export(
        &self,
        out: &mut dyn Write,
        format: Format,
        confirmed_only: bool,
        min_score: Option<f32>,
    ) -> std::io::Result<()> {
        let chosen: Alignment = self
            .beads
            .iter()
            .filter(|b| !confirmed_only || b.status == Status::Confirmed)
            .filter(|b| min_score.is_none_or(|min| b.bead.score >= min))
            .map(|b| b.bead.clone())
            .collect();
        duiqi::write_alignment(out, format, &chosen, &self.src.document(), &self.tgt.document())
    }

    fn splice(&mut self, change: &Change, forward: bool) {
        let (remove, insert) =
            if forward { (&change.removed, &change.inserted) } else { (&change.inserted, &change.removed) };
        self.beads.splice(change.at..change.at + remove.len(), insert.iter().cloned());
        if let Some(sentences) = &change.sentences {
            let (gone, new) = if forward {
                (&sentences.removed, &sentences.inserted)
            } else {
                (&sentences.inserted, &sentences.removed)
            };
            let side = if sentences.target { &mut self.tgt } else { &mut self.src };
            side.sentences.splice(sentences.at..sentences.at + gone.len(), new.iter().cloned());
            let shift = |i: usize| i + new.len() - gone.len();
            for bead in &mut self.beads[change.at + insert.len()..] {
                let range = if sentences.target { &mut bead.bead.tgt } else { &mut bead.bead.src };
                *range = shift(range.start)..shift(range.end);
            }
            self.text_revision += 1;
        }
        self.revision += 1;
    }

    fn bead(&self, index: usize) -> Result<&ReviewBead, ProjectError> {
        self.beads.get(index).ok_or_else(|| ProjectError::Edit(format!("no bead {index}")))
    }

    /// The change an edit makes, checked against the beads as they are.
    fn change_for(&self, edit: &Edit) -> Result<Change, ProjectError> {
        let refuse = |why: &str| Err(ProjectError::Edit(why.to_string()));
        let replace = |at: usize, count: usize, inserted: Vec<ReviewBead>| Change {
            at,
            removed: self.beads[at..at + count].to_vec(),
            inserted,
            sentences: None,
            with_previous: false,
        };
        match *edit {
            Edit::Confirm { bead, through } => {
                self.bead(bead)?;
                let from = if through { 0 } else { bead };
                let inserted = self.beads[from..=bead]
                    .iter()
                    .map(|b| ReviewBead { status: Status::Confirmed, ..b.clone() })
                    .collect();
                Ok(replace(from, bead + 1 - from, inserted))
            }
            Edit::Unconfirm { bead } => {
                let b = self.bead(bead)?;
                Ok(replace(bead, 1, vec![ReviewBead { status: Status::Auto, ..b.clone() }]))
            }
            Edit::MergeNext { bead } => {
                let (a, b) = (self.bead(bead)?, self.bead(bead + 1)?);
                let merged = ReviewBead::auto(
                    a.bead.src.start..b.bead.src.end,
                    a.bead.tgt.start..b.bead.tgt.end,
                    a.bead.score + b.bead.score,
                );
                Ok(replace(bead, 2, vec![merged]))
            }
            Edit::Split { bead, src_at, tgt_at } => {
                let b = &self.bead(bead)?.bead;
                if !(b.src.start..=b.src.end).contains(&src_at) || !(b.tgt.start..=b.tgt.end).contains(&tgt_at) {
                    return refuse("the split point is outside the bead");
                }
                let first = ReviewBead::auto(b.src.start..src_at, b.tgt.start..tgt_at, b.score / 2.0);
                let second = ReviewBead::auto(src_at..b.src.end, tgt_at..b.tgt.end, b.score / 2.0);
                if [&first, &second].iter().any(|h| h.bead.src.is_empty() && h.bead.tgt.is_empty()) {
                    return refuse("each half of a split needs a sentence");
                }
                Ok(replace(bead, 1, vec![first, second]))
            }
            Edit::MoveFirstUp { bead, target } => {
                if bead == 0 {
                    return refuse("the first bead has no bead above it");
                }
                let here = &self.bead(bead)?.bead;
                let above = &self.beads[bead - 1].bead;
                let (above_side, here_side) = if target { (&above.tgt, &here.tgt) } else { (&above.src, &here.src) };
                if here_side.is_empty() {
                    return refuse("that side of the bead has no sentence");
                }
                let (moved_above, moved_here) =
                    (above_side.start..above_side.end + 1, here_side.start + 1..here_side.end);
                Ok(replace(bead - 1, 2, self.moved(above, here, target, moved_above, moved_here)))
            }
            Edit::MoveLastDown { bead, target } => {
                let (here, below) = (&self.bead(bead)?.bead, &self.bead(bead + 1)?.bead);
                let (here_side, below_side) = if target { (&here.tgt, &below.tgt) } else { (&here.src, &below.src) };
                if here_side.is_empty() {
                    return refuse("that side of the bead has no sentence");
                }
                let (moved_here, moved_below) =
                    (here_side.start..here_side.end - 1, below_side.start - 1..below_side.end);
                Ok(replace(bead, 2, self.moved(here, below, target, moved_here, moved_below)))
            }
            Edit::Unpair { bead, target, last } => {
                let b = &self.bead(bead)?.bead;
                let (side, other) = if target { (&b.tgt, &b.src) } else { (&b.src, &b.tgt) };
                if side.is_empty() || b.src.len() + b.tgt.len() == 1 {
                    return refuse("the bead has no sentence to unpair from another");
                }
                let (sentence, rest) = if last {
                    (side.end - 1..side.end, side.start..side.end - 1)
                } else {
                    (side.start..side.start + 1, side.start + 1..side.end)
                };
                // The unpaired sentence's bead goes after the bead (last) or before it (first).
                let at = if last { other.end } else { other.start };
                let (alone, kept) = if target {
                    (ReviewBead::auto(at..at, sentence, 0.0), ReviewBead::auto(b.src.clone(), rest, b.score))
                } else {
                    (ReviewBead::auto(sentence, at..at, 0.0), ReviewBead::auto(rest, b.tgt.clone(), b.score))
                };
                Ok(replace(bead, 1, if last { vec![kept, alone] } else { vec![alone, kept] }))
            }
            Edit::EditSentence { target, sentence, ref text } => {
                let old = self.sentence(target, sentence)?;
                let parts: Vec<&str> = text.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
                if parts.is_empty() {
                    return refuse("a sentence needs some text (to leave it out, make it unpaired)");
                }
                let inserted = parts
                    .iter()
                    .enumerate()
                    .map(|(k, part)| Sentence {
                        text: part.to_string(),
                        starts_paragraph: old.starts_paragraph && k == 0,
                        span: old.span.clone(),
                    })
                    .collect();
                self.sentence_change(target, sentence, 1, inserted)
            }
            Edit::JoinNext { target, sentence } => {
                let (first, second) = (self.sentence(target, sentence)?, self.sentence(target, sentence + 1)?);
                let joined = Sentence {
                    text: join_texts(&first.text, &second.text, self.side(target).language),
                    starts_paragraph: first.starts_paragraph,
                    span: first.span.start.min(second.span.start)..first.span.end.max(second.span.end),
                };
                self.sentence_change(target, sentence, 2, vec![joined])
            }
        }
    }

    fn side(&self, target: bool) -> &Side {
        if target { &self.tgt } else { &self.src }
    }

    fn sentence(&self, target: bool, index: usize) -> Result<&Sentence, ProjectError> {
        self.side(target).sentences.get(index).ok_or_else(|| ProjectError::Edit(format!("no sentence {index}")))
    }

    /// The change that replaces `count` sentences of one side from `at` by `inserted`, all
    /// in one bead, which keeps them.
    fn sentence_change(
        &self,
        target: bool,
        at: usize,
        count: usize,
        inserted: Vec<Sentence>,
    ) -> Result<Change, ProjectError> {
        let range_of = |b: &ReviewBead| if target { b.bead.tgt.clone() } else { b.bead.src.clone() };
        let index = self
            .beads
            .iter()
            .position(|b| range_of(b).contains(&at) && range_of(b).contains(&(at + count - 1)))
            .ok_or_else(|| ProjectError::Edit("sentences to join must be in one bead".to_string()))?;
        let bead = &self.beads[index];
        let range = range_of(bead);
        let grown = range.start..range.end + inserted.len() - count;
        let (src, tgt) = if target { (bead.bead.src.clone(), grown) } else { (grown, bead.bead.tgt.clone()) };
        let removed = self.side(target).sentences[at..at + count].to_vec();
        Ok(Change {
            at: index,
            removed: vec![bead.clone()],
            inserted: vec![ReviewBead { bead: Bead { src, tgt, score: bead.bead.score }, status: bead.status }],
            sentences: Some(SentenceChange { target, at, removed, inserted }),
            with_previous: false,
        })
    }

    /// Two neighbouring beads after a sentence moved between them on one side; a bead left
    /// with no sentence is dropped.
    fn moved(
        &self,
        first: &Bead,
        second: &Bead,
        target: bool,
        new_first: Range<usize>,
        new_second: Range<usize>,
    ) -> Vec<ReviewBead> {
        let rebuilt = |bead: &Bead, side: Range<usize>| {
            let (src, tgt) = if target { (bead.src.clone(), side) } else { (side, bead.tgt.clone()) };
            ReviewBead::auto(src, tgt, bead.score)
        };
        [rebuilt(first, new_first), rebuilt(second, new_second)]
            .into_iter()
            .filter(|b| !(b.bead.src.is_empty() && b.bead.tgt.is_empty()))
            .collect()
    }
}

/// Two sentences' texts as one: Chinese runs on, other languages take a space.
fn join_texts(first: &str, second: &str, language: Language) -> String {
    match language {
        Language::Chinese => format!("{first}{second}"),
        _ => format!("{first} {second}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bead(src: Range<usize>, tgt: Range<usize>) -> ReviewBead {
        ReviewBead::auto(src, tgt, 1.0)
    }

    #[test]
    fn the_changes_between_two_alignments_keep_only_what_differs() {
        let old = vec![bead(0..1, 0..1), bead(1..2, 1..2), bead(2..3, 2..3), bead(3..4, 3..4), bead(4..5, 4..5)];
        let new = vec![
            bead(0..1, 0..1),
            bead(1..3, 1..2),
            bead(3..3, 2..3),
            bead(3..4, 3..4),
            bead(4..4, 4..5),
            bead(4..5, 5..5),
        ];
        let changes = Change::between(&old, new.clone());
        let runs: Vec<_> = changes.iter().map(|c| (c.at, c.removed.len(), c.inserted.len(), c.with_previous)).collect();
        assert_eq!(runs, [(1, 2, 2, false), (4, 1, 2, true)]);
        let mut beads = old.clone();
        for change in &changes {
            beads.splice(change.at..change.at + change.removed.len(), change.inserted.iter().cloned());
        }
        assert_eq!(beads, new);
        assert!(Change::between(&old, old.clone()).is_empty());
    }
}
