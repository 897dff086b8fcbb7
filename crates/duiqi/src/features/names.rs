//! Names across scripts: the pinyin and Wade–Giles romanisations of a Chinese name
//! (盛世才 ↔ Sheng Shicai, 毛泽东 ↔ Mao Tse-tung), party acronyms (国民党 ↔ GMD), and how
//! much a span of transliteration characters sounds like an English name (阿拉木图 ↔
//! Alma-Ata).

use crate::normalize::english_words::is_stopword;
use crate::script::is_han;
use pinyin::ToPinyin;

/// Romanisations a Chinese word of two to four characters may appear as in English: the
/// whole name in pinyin and Wade–Giles, and for three-character names the given name alone.
pub fn chinese_name_forms(word: &str) -> Option<Vec<String>> {
    if !may_be_a_name(word) {
        return None;
    }
    let syllables: Vec<Syllable> = word.chars().map(syllable).collect::<Option<_>>()?;
    Some(name_forms(&syllables.iter().collect::<Vec<_>>()))
}

/// Whether a word can be a name [`chinese_name_forms`] romanises: two to four ideographs.
pub fn may_be_a_name(word: &str) -> bool {
    (2..=4).contains(&word.chars().count()) && word.chars().all(is_han)
}

/// A character's syllable: pinyin (ü written u) and Wade–Giles.
pub type Syllable = (String, String);

/// The syllable of a character, if it has a reading.
pub fn syllable(c: char) -> Option<Syllable> {
    let pinyin = c.to_pinyin()?.plain().replace(['ü', 'v'], "u");
    let wade_giles = wade_giles(&pinyin);
    Some((pinyin, wade_giles))
}

/// [`chinese_name_forms`] of a word whose characters read as `syllables` (two to four).
pub fn name_forms(syllables: &[&Syllable]) -> Vec<String> {
    let pinyin = |from: usize| syllables[from..].iter().map(|s| s.0.as_str()).collect::<String>();
    let wade_giles = |from: usize| syllables[from..].iter().map(|s| s.1.as_str()).collect::<String>();
    let mut forms = vec![pinyin(0), wade_giles(0)];
    if syllables.len() == 3 {
        forms.push(pinyin(1));
        forms.push(wade_giles(1));
    }
    forms.sort();
    forms.dedup();
    forms
}

/// Capitalised words, each with its joins to the following capitalised words, so that
/// "Sheng Shicai" offers "sheng", "shengshicai" and "shicai". A sentence-initial word
/// counts only when another capitalised word follows it (otherwise it is just capitalised
/// for the sentence).
pub fn english_name_forms(words: &[&str]) -> Vec<Vec<String>> {
    english_names(words).into_iter().map(|(_, forms)| forms).collect()
}

/// The names of [`english_name_forms`], each with the index of its first word (its form
/// k spans words first..=first + k).
pub fn english_names(words: &[&str]) -> Vec<(usize, Vec<String>)> {
    let capitalised: Vec<bool> =
        words.iter().map(|w| w.chars().next().is_some_and(char::is_uppercase) && w.len() > 1).collect();
    let flat = |w: &str| w.chars().filter(char::is_ascii_alphabetic).collect::<String>().to_ascii_lowercase();
    let mut names = Vec::new();
    for k in 0..words.len() {
        let followed = capitalised.get(k + 1).copied().unwrap_or(false);
        if !capitalised[k] || is_stopword(&words[k].to_ascii_lowercase()) || (k == 0 && !followed) {
            continue;
        }
        let mut forms = vec![flat(words[k])];
        let mut joined = forms[0].clone();
        for next in (k + 1..words.len().min(k + 3)).take_while(|&n| capitalised[n]) {
            joined.push_str(&flat(words[next]));
            forms.push(joined.clone());
        }
        names.push((k, forms));
    }
    names
}

/// Initials of a Chinese word's syllables as an acronym, pinyin and Wade–Giles, for words
/// of three or four characters: 国民党 → "gmd", "kmt" (English writes GMD, KMT).
pub fn chinese_acronyms(word: &str) -> Vec<String> {
    let count = word.chars().count();
    if !(3..=4).contains(&count) || !word.chars().all(is_han) {
        return Vec::new();
    }
    let Some(syllables) = word.to_pinyin().map(|p| p.map(|p| p.plain().to_string())).collect::<Option<Vec<_>>>() else {
        return Vec::new();
    };
    let initials =
        |forms: &mut dyn Iterator<Item = String>| -> String { forms.filter_map(|s| s.chars().next()).collect() };
    let mut acronyms =
        vec![initials(&mut syllables.iter().cloned()), initials(&mut syllables.iter().map(|s| wade_giles(s)))];
    acronyms.dedup();
    acronyms
}

/// Characters Chinese uses to transliterate foreign names (Simplified): a span made only
/// of them may sound out an English name (阿拉木图 ↔ Alma-Ata, 雅尔达 ↔ Yalta).
const TRANSLITERATION_CHARS: &str = "阿埃艾爱安昂奥澳巴拜班邦保鲍贝本比彼毕宾波伯勃博布查达戴丹道德登迪\
    蒂丁东杜敦顿多厄俄额恩尔耳法凡范菲费芬丰佛弗伏福盖甘冈高戈哥格根古瓜圭哈海汉豪赫亨洪胡华怀霍基吉加\
    贾杰捷金卡凯坎康考柯科克肯库夸奎昆拉莱兰朗劳乐勒雷累黎里理利莉连林琳卢鲁陆路伦罗洛吕律马玛迈麦曼\
    梅美门蒙孟米密明缪摩莫墨姆木穆纳娜乃南内尼年涅宁纽努诺欧帕潘庞佩彭皮平珀普奇齐乔切钦琴琼丘屈让热\
    茹若瑞萨塞赛桑瑟森沙山尚绍舍申什史士舒斯松苏索塔泰坦汤唐陶特提廷通图土托瓦万旺威韦维温文沃乌伍武\
    西希锡夏香谢辛休徐雅亚延扬耶伊依因尤于约扎泽詹兹朱卓斐莎琪其恰彻楚茨以撒各大黑老迦色列罕";

/// How much a romanised Chinese span (toneless pinyin, syllables joined) sounds like an
/// English word, in [0, 1]: one minus a phonetic edit distance over the longer length.
/// Vowels are cheap to change, insert or drop (transliteration adds vowels between
/// consonants: Alma → a-la-mu), consonants of one class (b/p, d/t, g/k/h, s/z/x, l/r)
/// cheap to exchange.
#[cfg(test)]
pub fn transliteration_similarity(pinyin: &str, english: &str) -> f32 {
    phonetic_similarity(&letters(pinyin), &letters(english))
}

/// The lower-case ASCII letters of `text`, as [`phonetic_similarity`] compares them.
pub fn letters(text: &str) -> Vec<u8> {
    text.bytes().filter(u8::is_ascii_alphabetic).map(|b| b.to_ascii_lowercase()).collect()
}

/// [`transliteration_similarity`] on lower-case ASCII letters, prepared once by callers
/// comparing many pairs. Two rows of the edit-distance table, reused.
pub fn phonetic_similarity(a: &[u8], b: &[u8]) -> f32 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let vowel = |c: u8| b"aeiouy".contains(&c);
    let indel = |c: u8| if vowel(c) || c == b'h' || c == b'g' { 0.5 } else { 1.0 };
    const CLASSES: [&[u8]; 8] = [b"bpfvw", b"dt", b"gkhcq", b"szcxj", b"lr", b"mn", b"wvu", b"yij"];
    let substitute = |x: u8, y: u8| -> f32 {
        if x == y {
            0.0
        } else if CLASSES.iter().any(|c| c.contains(&x) && c.contains(&y)) {
            0.3
        } else if vowel(x) && vowel(y) {
            0.5
        } else {
            1.0
        }
    };
    let mut previous: Vec<f32> = std::iter::once(0.0)
        .chain(b.iter().scan(0.0, |acc, &c| {
            *acc += indel(c);
            Some(*acc)
        }))
        .collect();
    let mut row = vec![0f32; b.len() + 1];
    for &x in a {
        row[0] = previous[0] + indel(x);
        for (j, &y) in b.iter().enumerate() {
            row[j + 1] = (previous[j] + substitute(x, y)).min(previous[j + 1] + indel(x)).min(row[j] + indel(y));
        }
        std::mem::swap(&mut previous, &mut row);
    }
    1.0 - previous[b.len()] / a.len().max(b.len()) as f32
}

/// Similarity from which a span is taken as the transliteration of a name.
pub const TRANSLITERATION_MIN: f32 = 0.7;

/// True when every character of `span` is a usual transliteration character.
#[cfg(test)]
pub fn is_transliteration(span: &str) -> bool {
    span.chars().all(is_transliteration_char)
}

/// True for a character Chinese commonly uses to transliterate foreign names.
pub fn is_transliteration_char(c: char) -> bool {
    static SET: std::sync::OnceLock<rustc_hash::FxHashSet<char>> = std::sync::OnceLock::new();
    SET.get_or_init(|| TRANSLITERATION_CHARS.chars().collect()).contains(&c)
}

/// Toneless pinyin of a span of Han characters, syllables joined; `None` if one has none.
pub fn pinyin_of(span: &str) -> Option<String> {
    span.to_pinyin().map(|p| p.map(|p| p.plain().replace(['ü', 'v'], "u"))).collect()
}

/// Converts one toneless pinyin syllable to Wade–Giles without apostrophes or umlauts.
pub fn wade_giles(syllable: &str) -> String {
    match syllable {
        "zi" | "ci" => return "tzu".into(),
        "si" => return "ssu".into(),
        "zhi" | "chi" => return "chih".into(),
        "shi" => return "shih".into(),
        "ri" => return "jih".into(),
        "er" => return "erh".into(),
        "you" => return "yu".into(),
        "yan" => return "yen".into(),
        "ye" => return "yeh".into(),
        "yong" => return "yung".into(),
        _ => {}
    }
    let (initial, wg_initial) = [
        ("zh", "ch"),
        ("ch", "ch"),
        ("sh", "sh"),
        ("b", "p"),
        ("p", "p"),
        ("d", "t"),
        ("t", "t"),
        ("g", "k"),
        ("k", "k"),
        ("z", "ts"),
        ("c", "ts"),
        ("s", "s"),
        ("j", "ch"),
        ("q", "ch"),
        ("x", "hs"),
        ("r", "j"),
    ]
    .into_iter()
    .find(|(p, _)| syllable.starts_with(p))
    .unwrap_or(("", ""));
    let final_part = &syllable[initial.len()..];
    let wg_final = match (initial, final_part) {
        ("g" | "k" | "h", "e") => "o".to_string(),
        ("g" | "k" | "h" | "sh", "uo") => "uo".to_string(),
        (_, "uo") if !initial.is_empty() => "o".to_string(),
        (_, "ui") => "uei".to_string(),
        _ => final_part.replace("ong", "ung").replace("ian", "ien").replace("ie", "ieh").replace("ue", "ueh"),
    };
    let wg_initial = if initial.is_empty() { "" } else { wg_initial };
    format!("{wg_initial}{wg_final}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<&str> {
        crate::normalize::english_tokens(text)
    }

    #[test]
    fn pinyin_names_meet_english_names() {
        let zh = chinese_name_forms("盛世才").unwrap();
        let en = english_name_forms(&words("when Sheng Shicai shifted his allegiance"));
        assert!(en.iter().any(|forms| forms.iter().any(|f| zh.contains(f))));
        let zh = chinese_name_forms("叶文洁").unwrap();
        assert!(zh.contains(&"yewenjie".to_string()) && zh.contains(&"wenjie".to_string()));
    }

    #[test]
    fn wade_giles_forms() {
        let mao = chinese_name_forms("毛泽东").unwrap();
        assert!(mao.contains(&"maotsetung".to_string()), "{mao:?}");
        assert_eq!(wade_giles("xiong"), "hsiung");
        assert_eq!(wade_giles("guo"), "kuo");
        assert_eq!(wade_giles("qing"), "ching");
    }

    #[test]
    fn acronyms_of_party_names() {
        assert_eq!(chinese_acronyms("国民党"), ["gmd", "kmt"]);
        assert!(chinese_acronyms("苏联").is_empty(), "two letters are too ambiguous");
    }

    #[test]
    fn transliterations_sound_like_their_names() {
        let sounds = |zh: &str, en: &str| transliteration_similarity(&pinyin_of(zh).unwrap(), en);
        for (zh, en) in
            [("阿拉木图", "Alma-Ata"), ("雅尔达", "Yalta"), ("哈萨克", "Kazak"), ("土耳其斯坦", "Turkestan")]
        {
            assert!(is_transliteration(zh), "{zh}");
            assert!(sounds(zh, en) >= TRANSLITERATION_MIN, "{zh} {en}: {}", sounds(zh, en));
        }
        for (zh, en) in [("阿勒泰", "Ashan"), ("雅尔达", "Moscow"), ("伊宁", "Alma-Ata"), ("哈萨克", "Stalin")]
        {
            assert!(sounds(zh, en) < TRANSLITERATION_MIN, "{zh} {en}: {}", sounds(zh, en));
        }
        assert!(!is_transliteration("成立"));
    }

    #[test]
    fn sentence_initial_capital_alone_is_not_a_name() {
        assert!(english_name_forms(&words("Within the region")).is_empty());
        assert_eq!(english_name_forms(&words("Chen Qingyang caught me"))[0], ["chen", "chenqingyang"]);
    }
}
