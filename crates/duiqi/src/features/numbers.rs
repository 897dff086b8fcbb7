//! Numbers in a sentence: Arabic and Chinese numerals, years, decades and months, each
//! with the forms it is compared by (一九四四年 ↔ 1944, 四十年代 ↔ 1940s, 十一月 ↔ November).

use std::ops::Range;

/// A number a sentence mentions: where (bytes of the sentence, unit included: 一九四四年,
/// "November") and its comparable forms.
#[derive(Clone, Debug, PartialEq)]
pub struct Mention {
    /// Byte range in the sentence.
    pub bytes: Range<usize>,
    /// Comparable forms ("1944"; "month11", "11"; "40s").
    pub forms: Vec<String>,
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];
const SMALL: [&str; 20] = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
];
const TENS: [&str; 8] = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"];
const DECADES: [&str; 8] =
    ["twenties", "thirties", "forties", "fifties", "sixties", "seventies", "eighties", "nineties"];

/// The numbers an English sentence mentions, each as its comparable forms. Number words
/// are composed into phrases: "an hundred fourscore and eight" is 188, "twenty-three" 23.
pub fn english_numbers(text: &str) -> Vec<Mention> {
    let tokens: Vec<&str> = text.split(|c: char| !c.is_alphanumeric()).filter(|t| !t.is_empty()).collect();
    let start_of = |t: &str| t.as_ptr() as usize - text.as_ptr() as usize;
    let bytes = |first: usize, last: usize| start_of(tokens[first])..start_of(tokens[last]) + tokens[last].len();
    let mut found = Vec::new();
    let mut k = 0;
    while k < tokens.len() {
        if !may_start_a_number(tokens[k]) {
            k += 1;
            continue;
        }
        let (token, lower) = (tokens[k], tokens[k].to_ascii_lowercase());
        if let Some((value, words)) = number_phrase(&tokens[k..]) {
            // A lone "one" is mostly a pronoun or article; phrases and larger numbers count.
            if value != 1 || words > 1 {
                found.push(Mention { bytes: bytes(k, k + words - 1), forms: vec![value.to_string()] });
            }
            k += words;
            continue;
        }
        let forms = if let Some(digits) =
            lower.strip_suffix('s').filter(|d| d.len() == 4 && d.chars().all(|c| c.is_ascii_digit()))
        {
            Some(format!("{}0s", &digits[2..3])) // 1940s → decade "40s"
        } else if lower.chars().all(|c| c.is_ascii_digit()) {
            Some(lower.trim_start_matches('0').to_string())
        } else if let Some(m) = MONTHS.iter().position(|m| *m == lower) {
            (token.starts_with(char::is_uppercase) && lower != "may").then(|| format!("month{}", m + 1))
        } else {
            DECADES.iter().position(|w| *w == lower).map(|t| format!("{}0s", t + 2))
        };
        if let Some(form) = forms {
            found.push(Mention { bytes: bytes(k, k), forms: vec![form] });
        }
        k += 1;
    }
    found
}

/// Whether a token can begin a mention: a digit, a number, month or decade word, or
/// "a"/"an" (a hundred). Most tokens cannot, and are passed over without a lower-case copy
/// (a short one is lowered into an integer and looked up among [`STARTS`]).
fn may_start_a_number(token: &str) -> bool {
    let bytes = token.as_bytes();
    if bytes[0].is_ascii_digit() {
        return true;
    }
    if bytes.len() <= LONGEST_START
        && START_ENDS.may_start(bytes)
        && STARTS.binary_search(&packed_lowercase(bytes)).is_ok()
    {
        return true;
    }
    token.len() > 5 && token.is_char_boundary(token.len() - 5) && token[token.len() - 5..].eq_ignore_ascii_case("score")
}

/// A word of at most 16 bytes, lowered and packed into an integer (zero-padded), so that
/// words compare as integers, in the order of their bytes.
fn packed_lowercase(bytes: &[u8]) -> u128 {
    let mut packed = [0u8; 16];
    for (lower, byte) in packed.iter_mut().zip(bytes) {
        *lower = byte.to_ascii_lowercase();
    }
    u128::from_be_bytes(packed)
}

/// The words that may begin a mention (besides "…score"), packed and sorted.
static STARTS: std::sync::LazyLock<Vec<u128>> = std::sync::LazyLock::new(|| {
    let words = [&SMALL[..], &TENS, &MONTHS, &DECADES, &["hundred", "a", "an"]].concat();
    let mut packed: Vec<u128> = words.iter().map(|w| packed_lowercase(w.as_bytes())).collect();
    packed.sort_unstable();
    packed
});

/// Per length and first letter of the [`STARTS`], their last letters (a bit each): most
/// words ("the", "and", "of") are told apart by these alone.
struct StartEnds([[u32; 26]; LONGEST_START + 1]);

static START_ENDS: std::sync::LazyLock<StartEnds> = std::sync::LazyLock::new(|| {
    let mut ends = [[0; 26]; LONGEST_START + 1];
    for word in [&SMALL[..], &TENS, &MONTHS, &DECADES, &["hundred", "a", "an"]].concat() {
        let (first, last) = (letter(word.as_bytes()[0]), letter(word.as_bytes()[word.len() - 1]));
        ends[word.len()][first.expect("a letter")] |= 1 << last.expect("a letter");
    }
    StartEnds(ends)
});

impl StartEnds {
    /// False when no start has this word's length, first and last letter (any case).
    fn may_start(&self, word: &[u8]) -> bool {
        match (letter(word[0]), letter(word[word.len() - 1])) {
            (Some(first), Some(last)) => self.0[word.len()][first] & 1 << last != 0,
            _ => false,
        }
    }
}

/// A letter's place in the alphabet, either case.
fn letter(byte: u8) -> Option<usize> {
    byte.is_ascii_alphabetic().then(|| usize::from(byte.to_ascii_lowercase() - b'a'))
}

/// The longest of them ("september", "seventeen", "seventies").
const LONGEST_START: usize = 9;

/// Reads a number phrase at the start of `tokens`: its value and how many tokens it took.
fn number_phrase(tokens: &[&str]) -> Option<(u64, usize)> {
    let word_value = |w: &str| -> Option<u64> {
        let w = w.to_ascii_lowercase();
        if let Some(v) = SMALL.iter().position(|x| *x == w) {
            return Some(v as u64);
        }
        if let Some(t) = TENS.iter().position(|x| *x == w) {
            return Some((t as u64 + 2) * 10);
        }
        // "threescore", "fourscore": so many twenties.
        let units = w.strip_suffix("score")?;
        SMALL.iter().position(|x| *x == units).map(|v| v as u64 * 20)
    };
    let (mut total, mut current, mut used, mut any) = (0u64, 0u64, 0usize, false);
    let mut k = 0;
    while k < tokens.len() {
        let lower = tokens[k].to_ascii_lowercase();
        let next_is_number = |at: usize| {
            tokens.get(at).is_some_and(|t| {
                let t = t.to_ascii_lowercase();
                word_value(&t).is_some() || matches!(t.as_str(), "hundred" | "thousand" | "score")
            })
        };
        match lower.as_str() {
            "hundred" if any || next_is_number(k + 1) || k > 0 => current = current.max(1) * 100,
            "thousand" if any || k > 0 => {
                total += current.max(1) * 1000;
                current = 0;
            }
            "score" if any => current = current.max(1) * 20,
            "a" | "an"
                if !any
                    && tokens
                        .get(k + 1)
                        .is_some_and(|t| matches!(t.to_ascii_lowercase().as_str(), "hundred" | "thousand")) => {}
            "and" if any && next_is_number(k + 1) => {}
            _ => match word_value(&lower) {
                Some(v) => current += v,
                None => break,
            },
        }
        if !matches!(lower.as_str(), "a" | "an" | "and") {
            any = true;
        }
        k += 1;
        used = k;
    }
    (any && used > 0).then_some((total + current, used))
}

const DIGITS: &str = "〇零一二三四五六七八九";

/// The numbers a Chinese sentence mentions, each as its comparable forms.
pub fn chinese_numbers(text: &str) -> Vec<Mention> {
    if !text.chars().any(|c| fullwidth_to_ascii(c).is_ascii_digit() || is_chinese_numeral(c)) {
        return Vec::new(); // most sentences: nothing to collect
    }
    let offsets: Vec<usize> = text.char_indices().map(|(i, _)| i).chain(std::iter::once(text.len())).collect();
    let chars: Vec<char> = text.chars().map(fullwidth_to_ascii).collect();
    let mut found = Vec::new();
    let mut k = 0;
    while k < chars.len() {
        let is_arabic = chars[k].is_ascii_digit();
        let is_chinese = is_chinese_numeral(chars[k]);
        if !is_arabic && !is_chinese {
            k += 1;
            continue;
        }
        let start = k;
        while k < chars.len() && (if is_arabic { chars[k].is_ascii_digit() } else { is_chinese_numeral(chars[k]) }) {
            k += 1;
        }
        let run: String = chars[start..k].iter().collect();
        let unit = chars.get(k).copied();
        let value = if is_arabic {
            Some(run.trim_start_matches('0').to_string())
        } else if unit == Some('年') && run.chars().count() == 4 && run.chars().all(|c| DIGITS.contains(c)) {
            Some(run.chars().map(|c| char::from(b'0' + digit_value(c).unwrap_or(0) as u8)).collect())
        } else if run == "一" && !matches!(unit, Some('月' | '日' | '号' | '岁' | '年')) {
            None // 一 is mostly the article "a"
        } else {
            chinese_value(&run).map(|v| v.to_string())
        };
        let Some(value) = value else { continue };
        let decade = unit == Some('年') && chars.get(k + 1) == Some(&'代');
        let unit_chars = match unit {
            _ if decade => 2,
            Some('年' | '月' | '日' | '号' | '岁') => 1,
            _ => 0,
        };
        let forms = match unit {
            _ if decade => vec![format!("{}s", value.get(value.len().saturating_sub(2)..).unwrap_or(&value))],
            Some('月') => vec![format!("month{value}"), value],
            _ => vec![value],
        };
        found.push(Mention { bytes: offsets[start]..offsets[k + unit_chars], forms });
    }
    found
}

fn fullwidth_to_ascii(c: char) -> char {
    match c {
        '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
        _ => c,
    }
}

fn is_chinese_numeral(c: char) -> bool {
    matches!(
        c,
        '〇' | '零'
            | '一'
            | '二'
            | '三'
            | '四'
            | '五'
            | '六'
            | '七'
            | '八'
            | '九'
            | '十'
            | '百'
            | '千'
            | '万'
            | '两'
    )
}

fn digit_value(c: char) -> Option<u64> {
    match c {
        '〇' | '零' => Some(0),
        '两' => Some(2),
        _ => DIGITS.chars().position(|d| d == c).map(|p| p as u64 - 1),
    }
}

/// Value of a Chinese numeral such as 三十, 十一, 一百零五, 两千; digit strings such as
/// 一九四四 read digit by digit.
pub fn chinese_value(run: &str) -> Option<u64> {
    if run.chars().count() > 1 && run.chars().all(|c| DIGITS.contains(c)) {
        return run.chars().try_fold(0u64, |acc, c| Some(acc * 10 + digit_value(c)?));
    }
    let (mut total, mut section, mut digit) = (0u64, 0u64, None::<u64>);
    for c in run.chars() {
        let multiplier = match c {
            '十' => 10,
            '百' => 100,
            '千' => 1000,
            '万' => {
                total = (total + section + digit.take().unwrap_or(0)) * 10_000;
                section = 0;
                continue;
            }
            _ => {
                digit = Some(digit_value(c)?);
                continue;
            }
        };
        section += digit.take().unwrap_or(1) * multiplier;
    }
    Some(total + section + digit.unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_numerals_have_values() {
        assert_eq!(chinese_value("三十"), Some(30));
        assert_eq!(chinese_value("十一"), Some(11));
        assert_eq!(chinese_value("一百零五"), Some(105));
        assert_eq!(chinese_value("两千"), Some(2000));
        assert_eq!(chinese_value("一九四四"), Some(1944));
        assert_eq!(chinese_value("三万五千"), Some(35000));
    }

    #[test]
    fn years_decades_and_months_meet_english() {
        let zh_text = "一九四四年十一月，四十年代中期，1942年";
        let en_text = "In November 1944, during the 1940s, and in 1942";
        let (zh, en) = (chinese_numbers(zh_text), english_numbers(en_text));
        for mention in &zh {
            assert!(en.iter().any(|e| e.forms.iter().any(|f| mention.forms.contains(f))), "{mention:?} not in {en:?}");
        }
        // Where they are written, units included.
        let written = |text: &str, mentions: &[Mention]| -> Vec<String> {
            mentions.iter().map(|m| text[m.bytes.clone()].to_string()).collect()
        };
        assert_eq!(written(zh_text, &zh), ["一九四四年", "十一月", "四十年代", "1942年"]);
        assert_eq!(written(en_text, &en), ["November", "1944", "1940s", "1942"]);
    }

    #[test]
    fn number_words_in_any_case_may_start_a_mention() {
        for token in ["1944", "An", "a", "SEPTEMBER", "Seventies", "fourscore", "Threescore", "hundred", "nineteen"] {
            assert!(may_start_a_number(token), "{token}");
        }
        for token in ["score", "the", "years", "Septembers", "anew", "北京", "é"] {
            assert!(!may_start_a_number(token), "{token}");
        }
    }

    #[test]
    fn english_number_phrases_are_composed() {
        let values = |t: &str| english_numbers(t).into_iter().map(|m| m.forms[0].clone()).collect::<Vec<_>>();
        assert_eq!(values("The men of Bethlehem, an hundred fourscore and eight."), ["188"]);
        assert_eq!(values("three hundred and twenty men, twenty-three days"), ["320", "23"]);
        assert_eq!(values("two thousand five hundred"), ["2500"]);
        assert_eq!(values("one of them said threescore and ten"), ["70"]);
        assert_eq!(chinese_numbers("共一百八十八名")[0].forms, ["188"]);
    }

    #[test]
    fn the_article_yi_is_not_a_number() {
        assert!(chinese_numbers("他买了一本书").is_empty());
        assert_eq!(chinese_numbers("三个人")[0].forms, ["3"]);
    }
}
