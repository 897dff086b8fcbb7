//! Telling Chinese from English by script, so users need not say which file is which.

use crate::document::Language;
use crate::script::is_han;

/// Detects the language of `text` from its script: Chinese when Han characters carry
/// the text, English when Latin letters do and enough of its words are English function
/// words. Returns `None` when the text has too few letters to tell or is in another
/// language (see [`other_language`]).
pub fn detect_language(text: &str) -> Option<Language> {
    match verdict(text) {
        Verdict::Supported(language) => Some(language),
        Verdict::Other(_) | Verdict::Unknown => None,
    }
}

/// What `text` seems to be written in when it is neither Chinese nor English (for the
/// message that rejects it), e.g. "Japanese".
pub fn other_language(text: &str) -> Option<&'static str> {
    match verdict(text) {
        Verdict::Other(description) => Some(description),
        Verdict::Supported(_) | Verdict::Unknown => None,
    }
}

const NEITHER_SCRIPT: &str = "a language written in neither Han characters nor Latin letters";

enum Verdict {
    Supported(Language),
    Other(&'static str),
    Unknown,
}

/// Letters of the first 200,000 characters by script, and the lower-case Latin words.
#[derive(Default)]
struct Letters {
    han: usize,
    kana: usize,
    hangul: usize,
    latin: usize,
    other: usize,
    /// Latin words in lower case, and how many of them are English function words.
    words: usize,
    english_words: usize,
}

/// Words so frequent in any English text (a third of its running words) that a long text
/// with almost none of them is in another language.
const ENGLISH_FUNCTION_WORDS: &[&str] = &[
    "the", "of", "and", "to", "in", "a", "is", "was", "that", "for", "it", "with", "as", "he", "she", "his", "her",
    "on", "be", "at", "by", "i", "you", "not", "this", "are", "but", "had", "have", "from", "or", "they", "we", "were",
    "which", "an", "said", "their", "all", "my", "me", "him", "them", "what", "who", "when", "would", "will", "into",
];

/// Below this share of function words among at least [`MIN_WORDS_TO_JUDGE`] lower-case
/// words, a Latin-script text is not English: English prose (MAC-Dev, the KJV, the seed)
/// has 35–50 %, French or German a few per cent.
const MIN_ENGLISH_SHARE: f32 = 0.08;
const MIN_WORDS_TO_JUDGE: usize = 30;

fn count_letters(text: &str) -> Letters {
    let mut letters = Letters::default();
    let mut word = String::new();
    // Only words in lower case are judged: capitalised ones are mostly names (a list of
    // romanised names is no evidence against English).
    let end_word = |word: &mut String, letters: &mut Letters| {
        if word.starts_with(|c: char| c.is_ascii_lowercase()) {
            letters.words += 1;
            letters.english_words += ENGLISH_FUNCTION_WORDS.contains(&word.as_str()) as usize;
        }
        word.clear();
    };
    for c in text.chars().take(200_000) {
        if c.is_ascii_alphabetic() {
            letters.latin += 1;
            word.push(c);
            continue;
        }
        end_word(&mut word, &mut letters);
        match c {
            _ if is_han(c) => letters.han += 1,
            '\u{3041}'..='\u{309F}' | '\u{30A1}'..='\u{30FA}' => letters.kana += 1,
            '\u{AC00}'..='\u{D7AF}' | '\u{1100}'..='\u{11FF}' => letters.hangul += 1,
            _ if c.is_alphabetic() => letters.other += 1,
            _ => {}
        }
    }
    end_word(&mut word, &mut letters);
    letters
}

fn verdict(text: &str) -> Verdict {
    let l = count_letters(text);
    if l.hangul >= 3 && l.hangul > l.han {
        Verdict::Other("Korean")
    } else if l.kana >= 3 && l.kana * 10 >= l.han + l.kana {
        // Chinese never writes kana (the katakana dot and long-vowel mark are not counted).
        Verdict::Other("Japanese")
    } else if l.han == 0 && l.latin == 0 {
        if l.other >= 3 { Verdict::Other(NEITHER_SCRIPT) } else { Verdict::Unknown }
    } else if l.han * 4 >= l.latin {
        // A Han character carries about as much as a four-letter English word.
        Verdict::Supported(Language::Chinese)
    } else if l.other > l.latin {
        Verdict::Other(NEITHER_SCRIPT)
    } else if l.words >= MIN_WORDS_TO_JUDGE && (l.english_words as f32) < MIN_ENGLISH_SHARE * l.words as f32 {
        Verdict::Other("a Latin-script language other than English")
    } else if l.latin >= 2 {
        Verdict::Supported(Language::English)
    } else {
        Verdict::Unknown
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tells_chinese_from_english() {
        assert_eq!(detect_language("1944年新疆伊犁穆斯林發動了暴動。"), Some(Language::Chinese));
        assert_eq!(detect_language("In 1944 the Moslems in Yili (新疆) rose in rebellion."), Some(Language::English));
        assert_eq!(detect_language("1944, 1945!"), None);
    }

    #[test]
    fn names_the_languages_it_does_not_align() {
        assert_eq!(other_language("こんにちは。これは日本語の文章です。"), Some("Japanese"));
        assert_eq!(other_language("안녕하세요. 이것은 한국어 문장입니다."), Some("Korean"));
        assert_eq!(other_language("Это русский текст, а не английский."), Some(NEITHER_SCRIPT));
        let french = "Le petit prince habitait une planète à peine plus grande que lui, et il avait besoin \
                      d'un ami. Chaque jour il regardait le coucher du soleil depuis sa chaise, puis il \
                      arrosait sa fleur avec soin et ramonait ses volcans.";
        assert_eq!(other_language(french), Some("a Latin-script language other than English"));
        assert_eq!(detect_language(french), None);
        // Chinese with katakana name dots, and English long enough to be judged, are themselves.
        assert_eq!(detect_language("约翰・史密斯来到了北京。"), Some(Language::Chinese));
        let english = "The little prince lived on a planet hardly bigger than himself, and he needed a \
                       friend. Every day he watched the sunset from his chair, then he watered his flower \
                       with care and swept out his volcanoes.";
        assert_eq!(detect_language(english), Some(Language::English));
        assert_eq!(other_language(english), None);
    }
}
