//! The command line: outputs, and a clear one-line message with exit code 2 for every
//! kind of bad input.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Path of a file under the repository's `data/examples/`.
fn example(relative: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data/examples").join(relative)
}

fn duiqi(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_duiqi")).args(args).output().expect("duiqi runs")
}

fn scratch(name: &str, bytes: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("duiqi-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

fn s(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// Asserts a failure with exit code 2 and a one-line message containing every `needle`.
fn assert_fails(output: &Output, needles: &[&str]) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "stderr: {stderr}");
    assert_eq!(stderr.trim().lines().count(), 1, "one line expected: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    for needle in needles {
        assert!(stderr.contains(needle), "'{needle}' not in: {stderr}");
    }
}

fn english() -> PathBuf {
    example("yili/yili.en.txt")
}

#[test]
fn align_writes_every_format() {
    let zh = example("yili/yili.zh.txt");
    for format in ["align", "tsv", "jsonl", "tmx", "xliff", "xlsx", "html"] {
        let output = duiqi(&["align", s(&zh), s(&english()), "--format", format]);
        assert!(output.status.success(), "{format}: {}", String::from_utf8_lossy(&output.stderr));
        if format == "xlsx" {
            assert!(output.stdout.starts_with(b"PK\x03\x04"), "a zip container");
            continue;
        }
        let text = String::from_utf8(output.stdout).unwrap();
        assert!(!text.is_empty());
        if format == "tmx" {
            // The seed abstract is in Traditional characters.
            assert!(text.contains(r#"<tuv xml:lang="zh-TW">"#) && text.ends_with("</tmx>\n"), "{text}");
        }
    }
}

#[test]
fn output_file_and_stdin() {
    let out = std::env::temp_dir().join(format!("duiqi-out-{}.align", std::process::id()));
    let zh = std::fs::read(example("yili/yili.zh.txt")).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_duiqi"))
        .args(["align", "-", s(&english()), "-o", s(&out)])
        .stdin(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(child.stdin.as_mut().unwrap(), &zh).unwrap();
    assert!(child.wait().unwrap().success());
    let written = std::fs::read_to_string(&out).unwrap();
    assert!(written.lines().all(|l| l.starts_with('[') && l.contains("]:[")));
}

#[test]
fn legacy_encodings_are_detected() {
    // Keep the characters Big5 can represent (it lacks 爲 and ―).
    let text: String = std::fs::read_to_string(example("yili/yili.zh.txt"))
        .unwrap()
        .chars()
        .filter(|c| !encoding_rs::BIG5.encode(&c.to_string()).2)
        .collect();
    let utf8_file = scratch("yili.utf8.txt", text.as_bytes());
    let (big5, _, lossy) = encoding_rs::BIG5.encode(&text);
    assert!(!lossy);
    let big5_file = scratch("yili.big5.txt", &big5);
    let (gb, _, _) = encoding_rs::GB18030.encode(&text);
    let gb_file = scratch("yili.gb18030.txt", &gb);
    let reference = duiqi(&["align", s(&utf8_file), s(&english())]);
    for file in [&big5_file, &gb_file] {
        let output = duiqi(&["align", s(file), s(&english())]);
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        assert_eq!(output.stdout, reference.stdout, "{}", file.display());
    }
}

#[test]
fn eval_matches_itself() {
    let gold = example("yili/yili.align");
    let output = duiqi(&["eval", s(&gold), s(&gold)]);
    assert_eq!(
        String::from_utf8(output.stdout).unwrap().trim(),
        "p_strict=1.000 r_strict=1.000 f1_strict=1.000 p_lax=1.000 r_lax=1.000 f1_lax=1.000"
    );
}

#[test]
fn empty_file() {
    let empty = scratch("empty.txt", b"");
    assert_fails(&duiqi(&["align", s(&empty), s(&english())]), &["empty.txt", "empty"]);
    let blank = scratch("blank.txt", b"  \n\n ");
    assert_fails(&duiqi(&["align", s(&blank), s(&english())]), &["blank.txt", "empty"]);
}

#[test]
fn file_without_sentences() {
    let punctuation = scratch("punct.txt", "。。。！？……\n---\n".as_bytes());
    assert_fails(&duiqi(&["align", s(&punctuation), s(&english()), "--src-lang", "zh"]), &["punct.txt", "no sentence"]);
}

#[test]
fn binary_file() {
    let binary = scratch("binary.bin", b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x03\x00>\x00");
    assert_fails(&duiqi(&["align", s(&binary), s(&english())]), &["binary.bin", "binary"]);
}

#[test]
fn undecodable_bytes_give_the_offset() {
    let bad = scratch("bad.txt", b"Soviet influence dominated \xff\xfe events.");
    assert_fails(
        &duiqi(&["align", s(&example("yili/yili.zh.txt")), s(&bad), "--encoding", "utf-8"]),
        &["bad.txt", "byte 27", "UTF-8"],
    );
}

#[test]
fn unknown_encoding_label() {
    assert_fails(
        &duiqi(&["align", s(&example("yili/yili.zh.txt")), s(&english()), "--encoding", "klingon"]),
        &["klingon"],
    );
}

#[test]
fn both_files_in_one_language() {
    assert_fails(&duiqi(&["align", s(&english()), s(&english())]), &["yili.en.txt", "both in 'en'"]);
}

#[test]
fn a_file_in_another_language() {
    let japanese =
        scratch("japanese.txt", "吾輩は猫である。名前はまだ無い。どこで生れたかとんと見当がつかぬ。".as_bytes());
    assert_fails(
        &duiqi(&["align", s(&japanese), s(&english())]),
        &["japanese.txt", "Japanese", "Chinese with English"],
    );
    let german = scratch(
        "german.txt",
        "Als Gregor Samsa eines Morgens aus unruhigen Träumen erwachte, fand er sich in seinem Bett zu einem \
         ungeheueren Ungeziefer verwandelt. Er lag auf seinem panzerartig harten Rücken und sah, wenn er den Kopf \
         ein wenig hob, seinen gewölbten, braunen Bauch."
            .as_bytes(),
    );
    assert_fails(
        &duiqi(&["align", s(&example("yili/yili.zh.txt")), s(&german)]),
        &["german.txt", "other than English", "--tgt-lang"],
    );
    // Forced, it is read as English all the same.
    let forced = duiqi(&["align", s(&example("yili/yili.zh.txt")), s(&german), "--tgt-lang", "en", "--no-model"]);
    assert!(forced.status.success(), "{}", String::from_utf8_lossy(&forced.stderr));
}

#[test]
fn unreadable_path() {
    let output = duiqi(&["align", "/no/such/file.txt", s(&english())]);
    assert_fails(&output, &["/no/such/file.txt", "cannot read", "no such file"]);
    let message = String::from_utf8_lossy(&output.stderr);
    assert_eq!(message.matches("no such file").count(), 1, "the reason is given once: {message}");
}

#[test]
fn ten_megabyte_line_without_punctuation_still_aligns() {
    let line: String = "新疆".repeat(10 * 1024 * 1024 / 6);
    let huge = scratch("huge.txt", line.as_bytes());
    let output = duiqi(&["align", s(&huge), s(&english()), "--no-model"]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let beads = String::from_utf8(output.stdout).unwrap();
    let expected_pieces = line.chars().count().div_ceil(duiqi::split::MAX_SENTENCE_CHARS);
    let last_src = beads.lines().filter_map(|l| l.split(":").next()).rfind(|s| *s != "[]").unwrap();
    assert!(last_src.contains(&format!("{}", expected_pieces - 1)), "{last_src}");
}

#[test]
fn glossary_of_an_unpunctuated_name_list_stays_quick() {
    // One line of 100,000 transliteration characters against 20,000 capitalised names:
    // every bead is a worst case for the name search (this took minutes before it was
    // bounded; a regression hangs here).
    let syllables = ["阿", "拉", "木", "图", "雅", "尔", "达", "哈", "萨", "克"];
    let zh: String = (0..100_000).map(|i| syllables[(i * 7 + i / 3) % syllables.len()]).collect();
    let names = ["Alma", "Yalta", "Kazak", "Tacheng", "Yili"];
    let en: Vec<&str> = (0..20_000).map(|i| names[(i * 3 + i / 7) % names.len()]).collect();
    let (zh, en) = (scratch("names.zh", zh.as_bytes()), scratch("names.en", en.join(" ").as_bytes()));
    let output = duiqi(&["glossary", s(&zh), s(&en), "--no-model"]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(String::from_utf8(output.stdout).unwrap().starts_with("chinese\tenglish"));
}

#[test]
fn broken_model_file_is_an_error_not_a_fallback() {
    let fake = scratch("fake-model.bin", b"E5S1 but not really a model");
    let output = duiqi(&["align", s(&example("yili/yili.zh.txt")), s(&english()), "--model", s(&fake)]);
    assert_fails(&output, &["fake-model.bin", "sha256", "fetch-model.sh"]);
    let output = duiqi(&["align", s(&example("yili/yili.zh.txt")), s(&english()), "--model", "/nonexistent/e5.bin"]);
    assert_fails(&output, &["/nonexistent/e5.bin", "cannot read", "fetch-model.sh"]);
}

#[test]
fn bad_max_bead() {
    assert_fails(
        &duiqi(&["align", s(&example("yili/yili.zh.txt")), s(&english()), "--max-bead", "9"]),
        &["--max-bead"],
    );
}

#[test]
fn batch_reports_a_failing_pair_and_writes_the_others() {
    let dir = std::env::temp_dir().join(format!("duiqi-batch-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (good_a, good_b) = (dir.join("a.align"), dir.join("b.align"));
    let missing = dir.join("missing.align");
    let jobs = format!(
        "{zh}\t{en}\t{a}\n/no/such/file.txt\t{en}\t{m}\n{gz}\t{ge}\t{b}\n",
        zh = s(&example("yili/yili.zh")),
        en = s(&example("yili/yili.en")),
        gz = s(&example("genesis/genesis.zh")),
        ge = s(&example("genesis/genesis.en")),
        a = s(&good_a),
        b = s(&good_b),
        m = s(&missing),
    );
    let jobs_file = scratch("jobs.tsv", jobs.as_bytes());
    let output = duiqi(&["align", "--batch", s(&jobs_file), "--presplit"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("/no/such/file.txt"), "{stderr}");
    assert!(!stderr.contains("panicked"));
    assert!(!missing.exists());
    for (file, sentences) in [(&good_a, 12), (&good_b, 175)] {
        let text = std::fs::read_to_string(file).unwrap();
        let beads = duiqi::eval::parse_alignment(&text, file).unwrap();
        assert_eq!(beads.iter().map(|b| b.0.len()).sum::<usize>(), sentences, "{}", file.display());
    }
}

#[test]
fn batch_failures_name_their_line_in_the_jobs_file() {
    let (zh, en) = (example("yili/yili.zh"), example("yili/yili.en"));
    let out = std::env::temp_dir().join(format!("duiqi-batch-lines-{}", std::process::id()));
    std::fs::create_dir_all(&out).unwrap();
    let empty = scratch("batch-empty.txt", b"");
    let jobs = format!(
        "# comment\n{zh}\t{en}\t{a}\n{empty}\t{en}\t{b}\nnot a job\n{zh}\t{en}\t{c}\n",
        zh = s(&zh),
        en = s(&en),
        empty = s(&empty),
        a = s(&out.join("a.align")),
        b = s(&out.join("b.align")),
        c = s(&out.join("no/such/dir/c.align")),
    );
    let output = duiqi(&["align", "--batch", s(&scratch("lines.tsv", jobs.as_bytes())), "--presplit", "--no-model"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    for needle in
        ["lines.tsv:3:", "batch-empty.txt: the file is empty", "lines.tsv:4:", "lines.tsv:5:", "cannot create"]
    {
        assert!(stderr.contains(needle), "'{needle}' not in {stderr}");
    }
    assert!(stderr.contains("3 of the batch's pairs failed"), "{stderr}");
    assert!(out.join("a.align").exists() && !out.join("b.align").exists());
}

#[test]
fn batch_with_one_output_twice_or_no_job_runs_nothing() {
    let (zh, en) = (s(&example("yili/yili.zh")).to_string(), s(&example("yili/yili.en")).to_string());
    let first = std::env::temp_dir().join(format!("duiqi-twice-{}.align", std::process::id()));
    let jobs = format!("{zh}\t{en}\t{out}\n{zh}\t{en}\t{out}\n", out = s(&first));
    let output = duiqi(&["align", "--batch", s(&scratch("twice.tsv", jobs.as_bytes())), "--presplit"]);
    assert_fails(&output, &["twice.tsv:2:", "also the output of line 1"]);
    assert!(!first.exists());
    let output = duiqi(&["align", "--batch", s(&scratch("nojobs.tsv", b"\xEF\xBB\xBF  # nothing here\n\n"))]);
    assert_fails(&output, &["nojobs.tsv", "no pair to align"]);
    let here = first.parent().unwrap().join(".").join(first.file_name().unwrap());
    let same_file = format!("{zh}\t{en}\t{out}\n{zh}\t{en}\t{here}\n", out = s(&first), here = s(&here));
    let output = duiqi(&["align", "--batch", s(&scratch("same.tsv", same_file.as_bytes())), "--presplit"]);
    assert_fails(&output, &["same.tsv:2:", "also the output of line 1"]);
    let own_input = format!("{zh}\t{en}\t{en}\n");
    let output = duiqi(&["align", "--batch", s(&scratch("own.tsv", own_input.as_bytes())), "--presplit"]);
    assert_fails(&output, &["own.tsv:1:", "is the pair's own input"]);
}

#[test]
fn writing_to_a_full_disk_names_the_file() {
    let output = duiqi(&["align", s(&example("yili/yili.zh.txt")), s(&english()), "-o", "/dev/full", "--no-model"]);
    assert_fails(&output, &["cannot write /dev/full: No space left on device"]);
}

#[test]
fn options_out_of_range() {
    let zh = example("yili/yili.zh.txt");
    assert_fails(&duiqi(&["align", s(&zh), s(&english()), "--passes", "0"]), &["--passes must be at least 1"]);
    for share in ["-1", "1.5", "nan"] {
        let output = duiqi(&["align", s(&zh), s(&english()), "--neural-share", share]);
        assert_eq!(output.status.code(), Some(2));
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(&format!("'{share}' is not a share between 0 and 1")), "{stderr}");
    }
}

#[test]
fn curly_quotes_split_and_align() {
    let en = scratch(
        "quotes.en",
        "He said “Stop. Then he left.\n\n“Yes. I know,” she said. It was ‘Mr. Smith’ who came.".as_bytes(),
    );
    let zh = scratch("quotes.zh", "他說「停。然後他走了。\n『是。我知道，』她說。是“史密斯先生”來的。".as_bytes());
    let output = duiqi(&["split", s(&en)]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(
        String::from_utf8(output.stdout).unwrap(),
        "He said “Stop.\nThen he left.\n“Yes.\nI know,” she said.\nIt was ‘Mr. Smith’ who came.\n"
    );
    let output = duiqi(&["align", s(&zh), s(&en), "--format", "jsonl", "--no-model"]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
}

#[test]
fn utf8_with_a_stray_byte_is_reported_not_misread() {
    let text = std::fs::read_to_string(example("yili/yili.zh.txt")).unwrap();
    let at = (300..).find(|&i| text.is_char_boundary(i)).unwrap();
    let mut chinese = text.into_bytes();
    chinese.insert(at, 0xFF);
    let bad = scratch("stray.zh.txt", &chinese);
    assert_fails(
        &duiqi(&["align", s(&bad), s(&english())]),
        &["stray.zh.txt", &format!("byte {at} is not valid UTF-8")],
    );
    let cafe = scratch("cafe.txt", b"We met in a caf\xe9 near the station. Then we left.");
    assert_fails(&duiqi(&["split", s(&cafe)]), &["cafe.txt", "byte 15 is not valid UTF-8"]);
    let output = duiqi(&["split", s(&cafe), "--encoding", "windows-1252"]);
    assert_eq!(String::from_utf8(output.stdout).unwrap(), "We met in a café near the station.\nThen we left.\n");
}

#[test]
fn a_guessed_encoding_is_named() {
    let text = std::fs::read_to_string(example("yili/yili.zh.txt")).unwrap();
    let gb = scratch("named.gb.txt", &encoding_rs::GB18030.encode(&text).0);
    let output = duiqi(&["split", s(&gb)]);
    assert!(output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("named.gb.txt: read as gb18030 (guessed"), "{stderr}");
}

#[test]
fn presplit_lines_keep_their_numbers_however_long() {
    let long_zh = "新疆伊犁的穆斯林在苏联帮助下发动了暴动".repeat(210);
    let long_en = "the Moslems of Yili in Xinjiang rose in revolt with Soviet help ".repeat(62);
    assert!(long_zh.chars().count() > 3900 && long_en.chars().count() > 3900);
    let zh = scratch("long.zh", format!("第一句。\n{long_zh}\n最后一句。\n").as_bytes());
    let en = scratch("long.en", format!("The first sentence.\n{long_en}\nThe last sentence.\n").as_bytes());
    let output = duiqi(&["align", s(&zh), s(&en), "--presplit", "--no-model"]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(String::from_utf8(output.stdout).unwrap(), "[0]:[0]\n[1]:[1]\n[2]:[2]\n");
}

#[test]
fn export_writes_a_review_project() {
    let (zh_path, en_path) = (example("yili/yili.zh.txt"), example("yili/yili.en.txt"));
    let read = |path: &Path| duiqi::read_path(s(path), &duiqi::ReadOptions::default()).unwrap();
    let (zh, en) = (read(&zh_path), read(&en_path));
    let aligner = duiqi::Aligner::new(duiqi::AlignOptions::default()).unwrap();
    let alignment = aligner.align(&zh, &en);
    let project = duiqi_review::Project::new(
        duiqi_review::Side::new(s(&zh_path), zh),
        duiqi_review::Side::new(s(&en_path), en),
        alignment,
    );
    let file = scratch("seed.duiqi.json", b"");
    project.save(&file).unwrap();
    let exported = duiqi(&["export", s(&file), "--format", "tmx"]);
    assert!(exported.status.success(), "{}", String::from_utf8_lossy(&exported.stderr));
    let aligned = duiqi(&["align", s(&zh_path), s(&en_path), "--format", "tmx", "--no-model"]);
    assert_eq!(exported.stdout, aligned.stdout);
    let confirmed = duiqi(&["export", s(&file), "--format", "align", "--confirmed-only"]);
    assert!(confirmed.status.success() && confirmed.stdout.is_empty());
    let broken = scratch("broken.duiqi.json", b"{\"version\": 1, \"src\": 3}");
    assert_fails(&duiqi(&["export", s(&broken)]), &["broken.duiqi.json", "not a duiqi project file"]);
}

#[test]
fn documents_several_translations_and_opus_output() {
    let documents = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../duiqi/tests/data/documents");
    let (zh, en) = (documents.join("film.zh.srt"), documents.join("film.en.srt"));
    let output = duiqi(&["align", s(&en), s(&zh), "-f", "jsonl", "--no-model"]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let first: serde_json::Value =
        serde_json::from_slice(output.stdout.split(|&b| b == b'\n').next().unwrap()).unwrap();
    assert_eq!(first["src_time"], serde_json::json!([1000, 3200]), "subtitle timing kept: {first}");
    let unknown = duiqi(&["align", s(&zh), s(&en), "--from", "doc"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("unknown input format 'doc'; use one of text, docx"));
    assert_fails(&duiqi(&["align", s(&documents.join("locked.docx")), s(&en)]), &["password-protected"]);

    let (zh, en, en2) = (example("yili/yili.zh.txt"), english(), example("yili/yili.en2.txt"));
    let output = duiqi(&["align", s(&zh), s(&en), s(&en2), "-f", "tsv", "--no-model"]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(String::from_utf8(output.stdout).unwrap().lines().all(|l| l.split('\t').count() == 5));
    assert_fails(&duiqi(&["align", s(&zh), s(&en), s(&en2), "-f", "xliff"]), &["holds one translation"]);
    assert_fails(&duiqi(&["align", s(&zh), s(&en), s(&zh)]), &["both in 'zh'"]);

    assert_fails(&duiqi(&["align", s(&zh), s(&en), "-f", "ces"]), &["-o FILE.xml"]);
    let links = scratch("yili.xml", b"");
    let output = duiqi(&["align", s(&zh), s(&en), "-f", "ces", "-o", s(&links), "--no-model"]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let written = std::fs::read_to_string(&links).unwrap();
    assert!(written.contains(r#"fromDoc="yili.zh.xml" toDoc="yili.en.xml""#), "{written}");
    assert!(links.with_file_name("yili.zh.xml").exists() && links.with_file_name("yili.en.xml").exists());
}

#[test]
fn an_encoder_that_is_not_installed_is_an_error() {
    let (zh, en) = (example("yili/yili.zh.txt"), english());
    let output = Command::new(env!("CARGO_BIN_EXE_duiqi"))
        .args(["align", s(&zh), s(&en), "--encoder", "muse"])
        .env("DUIQI_MODEL", "/nonexistent/e5-small-q4.bin")
        .env("XDG_CACHE_HOME", "/nonexistent")
        .output()
        .unwrap();
    assert_fails(&output, &["--encoder muse needs the mUSE files", "fetch-model.sh"]);
    let lexical = duiqi(&["align", s(&zh), s(&en), "--encoder", "lexical"]);
    assert!(lexical.status.success());
}

/// Genesis in passages of 12 lines a side, as records with their texts inline.
fn genesis_records() -> Vec<(String, String, String)> {
    let lines =
        |name: &str| std::fs::read_to_string(example(name)).unwrap().lines().map(String::from).collect::<Vec<_>>();
    let (en, zh) = (lines("genesis/genesis.en"), lines("genesis/genesis.zh"));
    let passages = en.len().div_ceil(12);
    (0..passages)
        .map(|k| {
            let part = |text: &[String], n: usize| text[k * n / passages..(k + 1) * n / passages].join("\n");
            (format!("gen{k}"), part(&en, en.len()), part(&zh, zh.len()))
        })
        .collect()
}

#[test]
fn records_align_as_the_batch_of_paths_and_bad_records_get_an_error_row() {
    let records = genesis_records();
    let mut jsonl = String::new();
    let (mut jobs, mut aligned) = (String::new(), Vec::new());
    for (k, (id, en, zh)) in records.iter().enumerate() {
        jsonl += &serde_json::json!({ "id": id, "src": en, "tgt": zh }).to_string();
        jsonl.push('\n');
        if k == 2 {
            jsonl += "{\"id\": \"empty\", \"src\": \"\", \"tgt\": \"起初神创造天地。\"}\n";
            jsonl += "{\"id\": 42, \"src\": \"In the beginning.\", \"tgt\": \"In the end.\"}\n";
            jsonl += "{\"id\": \"number\", \"src\": 7, \"tgt\": \"起初神创造天地。\"}\n";
            jsonl += "this line is not JSON\n";
        }
        let (src, tgt) = (scratch(&format!("{id}.en"), en.as_bytes()), scratch(&format!("{id}.zh"), zh.as_bytes()));
        jobs += &format!("{}\t{}\t{}\n", s(&src), s(&tgt), s(&src.with_extension("align")));
        aligned.push(src.with_extension("align"));
    }
    let records_file = scratch("records.jsonl", jsonl.as_bytes());
    let out = records_file.with_extension("out.jsonl");
    let glossary = records_file.with_extension("glossary.tsv");
    let output =
        duiqi(&["align", "--batch", s(&records_file), "-o", s(&out), "--glossary", s(&glossary), "--no-model"]);
    assert_eq!(output.status.code(), Some(1), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(String::from_utf8_lossy(&output.stderr).contains("4 of 14 records failed"));
    let rows: Vec<serde_json::Value> =
        std::fs::read_to_string(&out).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let errors: Vec<(&str, &str)> =
        rows.iter().filter_map(|r| Some((r["id"].as_str()?, r["error"].as_str()?))).collect();
    assert_eq!(errors.iter().map(|e| e.0).collect::<Vec<_>>(), ["empty", "42", "number", "line 7"]);
    assert!(errors[0].1.contains("empty") && errors[1].1.contains("both in 'en'"));
    assert!(errors[2].1.contains("\"src\" is not a text") && errors[3].1.contains("JSON"));
    // The same pairs as files in a batch of paths: the same beads, record by record.
    assert!(duiqi(&["align", "--batch", s(&scratch("genesis.tsv", jobs.as_bytes())), "--no-model"]).status.success());
    for ((id, _, _), from_paths) in records.iter().zip(aligned) {
        let beads: Vec<String> =
            rows.iter().filter(|r| r["id"] == id.as_str()).map(|r| format!("{}:{}", r["src"], r["tgt"])).collect();
        assert_eq!(beads.join("\n") + "\n", std::fs::read_to_string(from_paths).unwrap(), "{id}");
    }
    let glossary = std::fs::read_to_string(glossary).unwrap();
    let abel = glossary.lines().find(|l| l.starts_with("亚伯\tAbel\t")).expect("Abel in the corpus glossary");
    assert!(abel.split('\t').nth(4).unwrap().split(',').count() >= 2, "{abel}");
}
