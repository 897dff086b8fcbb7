//! The review project: edits keep every sentence once and in order, undo and redo restore
//! exactly, re-alignment keeps what was confirmed, and the project file survives a round
//! trip.

mod common;

use common::{aligner, seed};

use duiqi::{Format, check_coverage};
use duiqi_review::{Edit, Project, Status};
use proptest::prelude::*;

fn covers(project: &Project) -> Result<(), String> {
    check_coverage(&project.alignment(), project.src.sentences.len(), project.tgt.sentences.len())
}

fn edit() -> impl Strategy<Value = Edit> {
    let bead = 0usize..20;
    prop_oneof![
        (bead.clone(), any::<bool>()).prop_map(|(bead, through)| Edit::Confirm { bead, through }),
        bead.clone().prop_map(|bead| Edit::Unconfirm { bead }),
        bead.clone().prop_map(|bead| Edit::MergeNext { bead }),
        (bead.clone(), 0usize..25, 0usize..25).prop_map(|(bead, src_at, tgt_at)| Edit::Split { bead, src_at, tgt_at }),
        (bead.clone(), any::<bool>()).prop_map(|(bead, target)| Edit::MoveFirstUp { bead, target }),
        (bead.clone(), any::<bool>()).prop_map(|(bead, target)| Edit::MoveLastDown { bead, target }),
        (bead, any::<bool>(), any::<bool>()).prop_map(|(bead, target, last)| Edit::Unpair { bead, target, last }),
        (any::<bool>(), 0usize..25, prop::sample::select(vec!["新的句子。", "One.\nTwo.", "", " \n "]))
            .prop_map(|(target, sentence, text)| Edit::EditSentence { target, sentence, text: text.to_string() }),
        (any::<bool>(), 0usize..25).prop_map(|(target, sentence)| Edit::JoinNext { target, sentence }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn edits_keep_every_sentence_and_undo_restores_them(edits in proptest::collection::vec(edit(), 1..25)) {
        let original = seed();
        let mut project = original.clone();
        let state = |p: &Project| (p.beads.clone(), p.src.sentences.clone(), p.tgt.sentences.clone());
        let mut states = vec![state(&project)];
        for edit in &edits {
            if project.apply(edit).is_ok() {
                prop_assert!(covers(&project).is_ok(), "{edit:?}: {:?}", covers(&project));
                states.push(state(&project));
            } else {
                prop_assert_eq!(&state(&project), states.last().unwrap(), "a refused edit changes nothing");
            }
        }
        for earlier in states.iter().rev().skip(1) {
            prop_assert!(project.undo());
            prop_assert_eq!(&state(&project), earlier);
        }
        prop_assert!(!project.undo());
        prop_assert_eq!(&project.src, &original.src);
        for later in states.iter().skip(1) {
            prop_assert!(project.redo());
            prop_assert_eq!(&state(&project), later);
        }
    }
}

#[test]
fn each_edit_does_what_it_says() {
    let mut project = seed();
    let first = project.beads[0].bead.clone();
    let second = project.beads[1].bead.clone();
    project.apply(&Edit::MergeNext { bead: 0 }).unwrap();
    assert_eq!(project.beads[0].bead.src, first.src.start..second.src.end);
    assert_eq!(project.beads[0].bead.tgt, first.tgt.start..second.tgt.end);
    project.apply(&Edit::Split { bead: 0, src_at: second.src.start, tgt_at: second.tgt.start }).unwrap();
    assert_eq!((project.beads[0].bead.src.clone(), project.beads[1].bead.src.clone()), (first.src, second.src));
    project.apply(&Edit::Confirm { bead: 3, through: true }).unwrap();
    assert!(project.beads[..4].iter().all(|b| b.status == Status::Confirmed));
    assert_eq!(project.beads[4].status, Status::Auto);
    assert!(project.apply(&Edit::MoveFirstUp { bead: 0, target: false }).is_err());
    assert!(project.apply(&Edit::MergeNext { bead: project.beads.len() - 1 }).is_err());
}

#[test]
fn sentences_can_be_edited_split_and_joined() {
    let mut project = seed();
    let bead = project.beads.iter().position(|b| b.bead.tgt.len() == 1 && b.bead.src.len() == 1).unwrap();
    let sentence = project.beads[bead].bead.tgt.start;
    let (count, beads_after) = (project.tgt.sentences.len(), project.beads[bead + 1..].to_vec());
    let edit = Edit::EditSentence { target: true, sentence, text: "First half.\n Second half. ".to_string() };
    project.apply(&edit).unwrap();
    assert_eq!(project.tgt.sentences.len(), count + 1);
    let texts: Vec<&str> = project.tgt.sentences[sentence..sentence + 2].iter().map(|s| s.text.as_str()).collect();
    assert_eq!(texts, ["First half.", "Second half."]);
    assert_eq!(project.beads[bead].bead.tgt, sentence..sentence + 2, "the bead keeps both halves");
    let shifted = project.beads[bead + 1..].iter().zip(&beads_after);
    assert!(
        shifted.clone().all(|(now, was)| now.bead.tgt.start == was.bead.tgt.start + 1 && now.bead.src == was.bead.src)
    );
    project.apply(&Edit::JoinNext { target: true, sentence }).unwrap();
    assert_eq!(project.tgt.sentences[sentence].text, "First half. Second half.");
    assert_eq!(project.tgt.sentences.len(), count);
    covers(&project).unwrap();
    let last_of_bead = project.beads[bead].bead.tgt.end - 1;
    let across = Edit::JoinNext { target: true, sentence: last_of_bead };
    assert!(project.apply(&across).unwrap_err().to_string().contains("one bead"));
    let empty = Edit::EditSentence { target: false, sentence: 0, text: "\n".to_string() };
    assert!(project.apply(&empty).is_err());
    assert!(project.undo() && project.undo());
    let fresh = seed();
    assert_eq!((&project.beads, &project.tgt), (&fresh.beads, &fresh.tgt), "undo restores the text");
}

#[test]
fn realigning_keeps_the_confirmed_beads() {
    let mut project = seed();
    project.apply(&Edit::MergeNext { bead: 2 }).unwrap();
    project.apply(&Edit::Confirm { bead: 2, through: false }).unwrap();
    let confirmed = project.beads[2].clone();
    let before = project.beads.clone();
    project.realign(aligner()).unwrap();
    let after = project.beads.clone();
    assert!(project.beads.contains(&confirmed), "{confirmed:?} kept");
    assert_eq!(project.beads.iter().filter(|b| b.status == Status::Confirmed).count(), 1);
    covers(&project).unwrap();
    assert!(project.undo(), "re-alignment is undoable, all its runs in one step");
    assert_eq!(project.beads, before);
    assert!(project.redo());
    assert_eq!(project.beads, after);
    assert!(project.undo() && project.undo(), "then the confirmation");
    assert_eq!(project.beads[2].status, Status::Auto);
}

#[test]
fn the_project_file_round_trips_and_refuses_what_is_not_one() {
    let dir = std::env::temp_dir().join(format!("duiqi-review-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("seed.duiqi.json");
    let mut project = seed();
    project.apply(&Edit::Confirm { bead: 1, through: true }).unwrap();
    project.save(&path).unwrap();
    let loaded = Project::load(&path).unwrap();
    assert_eq!(loaded, project);
    assert!(std::fs::read_dir(&dir).unwrap().all(|e| !e.unwrap().file_name().to_string_lossy().ends_with(".tmp")));
    let broken = dir.join("broken.duiqi.json");
    std::fs::write(&broken, b"{\"version\": 1}").unwrap();
    assert!(Project::load(&broken).unwrap_err().to_string().contains("not a duiqi project file"));
}

#[test]
fn export_writes_all_or_what_was_chosen() {
    let mut project = seed();
    project.apply(&Edit::Confirm { bead: 1, through: true }).unwrap();
    let export = |confirmed_only, min_score| {
        let mut out = Vec::new();
        project.export(&mut out, Format::Align, confirmed_only, min_score).unwrap();
        String::from_utf8(out).unwrap()
    };
    assert_eq!(export(false, None).lines().count(), project.beads.len());
    assert_eq!(export(true, None).lines().count(), 2);
    let min = project.beads[0].bead.score;
    let above = project.beads.iter().filter(|b| b.bead.score >= min).count();
    assert_eq!(export(false, Some(min)).lines().count(), above);
}
