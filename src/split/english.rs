//! The English sentence splitter: abbreviations, initials, decimals, ellipses, quotes.

use super::is_closer;

/// Words that end with a full stop without ending the sentence (compared lower-case,
/// without the final stop).
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "gen", "col", "capt", "lt", "sgt", "rev", "hon", "gov", "sen",
    "rep", "mt", "ft", "vs", "cf", "al", "approx", "dept", "no", "nos", "vol", "pp", "fig", "ch", "jan", "feb", "mar",
    "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "e.g", "i.e", "viz", "ca", "op", "ibid", "inc",
    "ltd", "corp", "co",
];

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
    if next.is_lowercase() {
        return false;
    }
    if chars[stop].1 != '.' || end - stop > 1 {
        return true; // ! ? and ellipses before a capital
    }
    let word_start = text[start..chars[stop].0]
        .rfind(|c: char| c.is_whitespace() || matches!(c, '(' | '"' | '“' | '\'' | '‘'))
        .map_or(start, |i| start + i + 1);
    let word = text[word_start..chars[stop].0].to_ascii_lowercase();
    let is_initial = word.chars().count() == 1 && word.chars().all(|c| c.is_alphabetic());
    let is_dotted = word.contains('.') && word.chars().all(|c| c.is_alphabetic() || c == '.');
    !(ABBREVIATIONS.contains(&word.as_str()) || is_initial || is_dotted)
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
    }

    #[test]
    fn decimals_quotes_and_ellipses() {
        assert_eq!(
            split_sentences("Pi is 3.14. \"Is it?\" she asked... and laughed. (Yes.) No!"),
            ["Pi is 3.14.", "\"Is it?\" she asked... and laughed.", "(Yes.)", "No!"]
        );
    }

    #[test]
    fn ellipsis_before_capital_splits() {
        assert_eq!(split_sentences("Wait… Then go."), ["Wait…", "Then go."]);
    }
}
