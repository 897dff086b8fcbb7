//! The Chinese sentence splitter (Traditional and Simplified alike).

use super::is_closer;

/// Splits one paragraph at 。！？…, and at ASCII `.!?` used as full stops; closing quotes
/// and brackets stay with the sentence they close.
pub fn split_sentences(paragraph: &str) -> Vec<&str> {
    let chars: Vec<(usize, char)> = paragraph.char_indices().collect();
    let mut sentences = Vec::new();
    let mut start = 0;
    let mut k = 0;
    while k < chars.len() {
        if is_terminator(&chars, k) {
            let mut end = k + 1;
            while end < chars.len() && (is_terminator(&chars, end) || is_closer(chars[end].1)) {
                end += 1;
            }
            let byte_end = chars.get(end).map_or(paragraph.len(), |&(i, _)| i);
            push_trimmed(&mut sentences, &paragraph[start..byte_end]);
            start = byte_end;
            k = end;
        } else {
            k += 1;
        }
    }
    push_trimmed(&mut sentences, &paragraph[start..]);
    sentences
}

fn is_terminator(chars: &[(usize, char)], k: usize) -> bool {
    match chars[k].1 {
        '。' | '！' | '？' | '!' | '?' | '…' | '｡' => true,
        // An ASCII full stop ends a sentence unless it sits inside a number or a Latin word,
        // or follows a Latin word before more Latin text ("Dr. Watson").
        '.' => {
            let latin_before = k > 0 && chars[k - 1].1.is_ascii_alphabetic();
            let next = match chars.get(k + 1) {
                Some(&(_, ' ')) => chars.get(k + 2).map(|&(_, c)| c),
                other => other.map(|&(_, c)| c),
            };
            !(chars.get(k + 1).is_some_and(|&(_, c)| c.is_ascii_alphanumeric())
                || latin_before && next.is_some_and(|c| c.is_ascii_alphabetic()))
        }
        _ => false,
    }
}

fn push_trimmed<'a>(sentences: &mut Vec<&'a str>, piece: &'a str) {
    let piece = piece.trim();
    if !piece.is_empty() {
        sentences.push(piece);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_at_full_stops_and_keeps_closers() {
        assert_eq!(
            split_sentences("他說：「走吧。」她沒有回答！真的嗎？是的……好。"),
            ["他說：「走吧。」", "她沒有回答！", "真的嗎？", "是的……", "好。"]
        );
    }

    #[test]
    fn ascii_stops_but_not_decimals() {
        assert_eq!(split_sentences("圓周率約爲3.14.下一句!最後"), ["圓周率約爲3.14.", "下一句!", "最後"]);
    }

    #[test]
    fn quotes_of_every_kind() {
        assert_eq!(split_sentences("他說「停。然後他走了。"), ["他說「停。", "然後他走了。"]);
        assert_eq!(split_sentences("『是。我知道，』她說。"), ["『是。", "我知道，』她說。"]);
        assert_eq!(split_sentences("“不。绝对不行。”"), ["“不。", "绝对不行。”"]);
        assert_eq!(
            split_sentences("他在卡片上写了“Dr. Watson”。然后走了。"),
            ["他在卡片上写了“Dr. Watson”。", "然后走了。"]
        );
        assert_eq!(split_sentences("是『Mr. Smith』來的……"), ["是『Mr. Smith』來的……"]);
    }

    #[test]
    fn closing_quote_after_question_mark() {
        assert_eq!(split_sentences("“你来了？”他问。"), ["“你来了？”", "他问。"]);
    }
}
