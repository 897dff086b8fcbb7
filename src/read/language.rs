//! Telling Chinese from English by script, so users need not say which file is which.

use crate::document::Language;

/// Detects the language of `text` from the share of Han characters among letters.
/// Returns `None` when the text has too few letters to tell.
pub fn detect_language(text: &str) -> Option<Language> {
    let (mut han, mut latin) = (0usize, 0usize);
    for c in text.chars().take(200_000) {
        if is_han(c) {
            han += 1;
        } else if c.is_ascii_alphabetic() {
            latin += 1;
        }
    }
    // A Han character carries about as much as a four-letter English word.
    if han == 0 && latin == 0 {
        None
    } else if han * 4 >= latin {
        Some(Language::Chinese)
    } else if latin >= 2 {
        Some(Language::English)
    } else {
        None
    }
}

/// True for CJK unified ideographs (basic block and extension A, compatibility block).
pub fn is_han(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{2FA1F}' | '〇')
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
}
