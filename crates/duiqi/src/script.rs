//! Which script a character or a text is in.

/// Frequent characters written differently in the two scripts, as (Traditional,
/// Simplified) strings in the same order.
const SCRIPT_PAIRS: (&str, &str) = (
    "們個這來說時為會對國學與後發經問開過當還從進種現實體關點動長見兩讓東車門間聽覺話記邊歷應業區傳條總黨軍義蘇聯華無產領導書愛頭氣電",
    "们个这来说时为会对国学与后发经问开过当还从进种现实体关点动长见两让东车门间听觉话记边历应业区传条总党军义苏联华无产领导书爱头气电",
);

/// Whether Chinese `text` is written in Traditional characters (`Some(true)`) or
/// Simplified ones (`Some(false)`), from the frequent characters that differ; `None`
/// when none occur. Translation memories record the difference (zh-TW, zh-CN).
pub fn is_traditional(text: &str) -> Option<bool> {
    let (mut traditional, mut simplified) = (0usize, 0usize);
    for c in text.chars().take(200_000) {
        traditional += SCRIPT_PAIRS.0.contains(c) as usize;
        simplified += SCRIPT_PAIRS.1.contains(c) as usize;
    }
    (traditional + simplified > 0).then_some(traditional > simplified)
}

/// True for CJK unified ideographs (basic block and extension A, compatibility block).
pub fn is_han(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{2FA1F}' | '〇')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tells_traditional_from_simplified() {
        assert_eq!(is_traditional("蘇聯利用新疆問題迫使中國政府接受雅爾達協定。"), Some(true));
        assert_eq!(is_traditional("苏联利用新疆问题迫使中国政府接受雅尔达协定。"), Some(false));
        assert_eq!(is_traditional("山水"), None);
        let (traditional, simplified) = SCRIPT_PAIRS;
        assert_eq!(traditional.chars().count(), simplified.chars().count());
        assert!(traditional.chars().zip(simplified.chars()).all(|(t, s)| t != s));
    }
}
