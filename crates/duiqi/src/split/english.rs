//! The English sentence splitter: abbreviations, initials, decimals, ellipses, quotes.

use super::is_closer;

/// Words that end with a full stop without ending the sentence (compared lower-case,
/// without the final stop).
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "gen", "col", "capt", "lt", "sgt", "rev", "hon", "gov", "sen",
    "rep", "mt", "ft", "vs", "cf", "al", "approx", "dept", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
    "sept", "oct", "nov", "dec", "e.g", "i.e", "viz", "ca", "ibid", "inc", "ltd", "corp", "co",
];

/// Abbreviations that stand before a number ("No. 5", "vol. 2"), and are words otherwise
/// ("“No. Absolutely not.”").
const NUMBER_ABBREVIATIONS: &[&str] = &["no", "nos", "vol", "pp", "fig", "ch", "op"];

/// Splits one paragraph into sentences.
pub fn split_sentences(paragraph: &str) -> Vec<&str> {
    let chars: Vec<(usize, char)> = paragraph.char_indices().collect();
    let mut sentences = Vec::new();
    let mut start = 0;
    let mut k = 0;
    while k < chars.len() {
        if !matches!(chars[k].1, '.' | '!' | '?' | '…') {
            k += 1;
            continue;
        }
        let mut end = k + 1;
        while end < chars.len() && (matches!(chars[end].1, '.' | '!' | '?' | '…') || is_closer(chars[end].1)) {
            end += 1;
        }
        if ends_sentence(paragraph, &chars, start, k, end) {
            let byte_end = chars.get(end).map_or(paragraph.len(), |&(i, _)| i);
            let piece = paragraph[start..byte_end].trim();
            if !piece.is_empty() {
                sentences.push(piece);
            }
            start = byte_end;
        }
        k = end;
    }
    let piece = paragraph[start..].trim();
    if !piece.is_empty() {
        sentences.push(piece);
    }
    sentences
}

/// Decides whether the punctuation run `chars[stop..end]` closes the sentence begun at
/// byte `start`.
fn ends_sentence(text: &str, chars: &[(usize, char)], start: usize, stop: usize, end: usize) -> bool {
    let Some(&(_, after)) = chars.get(end) else {
        return true;
    };
    if !after.is_whitespace() {
        return false; // "3.14", "U.S.A", "e.g.," and the like
    }
    let next = chars[end..].iter().map(|&(_, c)| c).find(|c| !c.is_whitespace());
    let Some(next) = next else { return true };
    if next.is_lowercase() || matches!(next, '—' | '–' | ',' | ';' | ':') {
        return false; // "“Mr. Darcy?” — and went on"
    }
    if chars[stop].1 != '.' || end - stop > 1 {
        return true; // ! ? and ellipses before a capital
    }
    let word_start = text[start..chars[stop].0]
        .char_indices()
        .rfind(|&(_, c)| c.is_whitespace() || matches!(c, '(' | '"' | '“' | '\'' | '‘'))
        .map_or(start, |(i, c)| start + i + c.len_utf8());
    let word = text[word_start..chars[stop].0].to_ascii_lowercase();
    let is_initial = word.chars().count() == 1 && word.chars().all(|c| c.is_alphabetic());
    let is_dotted = word.contains('.') && word.chars().all(|c| c.is_alphabetic() || c == '.');
    let before_number = next.is_ascii_digit() && NUMBER_ABBREVIATIONS.contains(&word.as_str());
    !(ABBREVIATIONS.contains(&word.as_str()) || before_number || is_initial || is_dotted)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn abbreviations_and_initials_do_not_split() {
        assert_eq!(
            split_sentences(
                "Mr. J. R. Smith met Dr. Lee in the U.S. on Jan. 5. They talked, e.g. about tea. Then left."
            ),
            ["Mr. J. R. Smith met Dr. Lee in the U.S. on Jan. 5.", "They talked, e.g. about tea.", "Then left."]
        );
        assert_eq!(
            split_sentences("See No. 5 and vol. 2. No. It was not."),
            ["See No. 5 and vol. 2.", "No.", "It was not."]
        );
    }

    #[test]
    fn decimals_quotes_and_ellipses() {
        assert_eq!(
            split_sentences("Pi is 3.14. \"Is it?\" she asked... and laughed. (Yes.) No!"),
            ["Pi is 3.14.", "\"Is it?\" she asked... and laughed.", "(Yes.)", "No!"]
        );
    }

    #[test]
    fn curly_quotes_before_a_full_stop() {
        assert_eq!(split_sentences("He said “Stop. Then he left."), ["He said “Stop.", "Then he left."]);
        assert_eq!(split_sentences("“Yes. I know,” she said."), ["“Yes.", "I know,” she said."]);
        assert_eq!(split_sentences("“No. Absolutely not.”"), ["“No.", "Absolutely not.”"]);
        assert_eq!(
            split_sentences("He wrote “Dr. Watson” on the card. Then he left."),
            ["He wrote “Dr. Watson” on the card.", "Then he left."]
        );
        assert_eq!(split_sentences("It was ‘Mr. Smith’ who came."), ["It was ‘Mr. Smith’ who came."]);
        assert_eq!(
            split_sentences("She paused — “Mr. Darcy?” — and went on."),
            ["She paused — “Mr. Darcy?” — and went on."]
        );
    }

    #[test]
    fn ellipsis_before_capital_splits() {
        assert_eq!(split_sentences("Wait… Then go."), ["Wait…", "Then go."]);
    }
}
