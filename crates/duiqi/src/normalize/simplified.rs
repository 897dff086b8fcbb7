//! Traditional → Simplified characters, exactly as OpenCC's `t2s` configuration converts,
//! from its two tables (Apache-2.0, see `data/lexicon/README.md`).

use rustc_hash::FxHashMap;

/// OpenCC's phrases whose characters convert otherwise than one by one.
static PHRASES: &str = include_str!("../../data/lexicon/opencc-TSPhrases.txt");
/// OpenCC's characters, each with its Simplified forms (the first is used).
static CHARACTERS: &str = include_str!("../../data/lexicon/opencc-TSCharacters.txt");

/// The conversion: from each position, the longest key of either table that starts there
/// is replaced by its first value (the phrase table's when both hold the key), and a
/// character no key starts is kept. Keys are found by their first character, so most
/// characters of a text cost one lookup (OpenCC's own walk of two FSTs per character
/// took 7 % of an alignment).
pub struct ToSimplified {
    /// Per first character, the keys it starts, longest first, with their replacements.
    keys: FxHashMap<char, Vec<(&'static str, &'static str)>>,
}

impl ToSimplified {
    /// Reads the bundled tables.
    pub fn new() -> ToSimplified {
        let phrases = table(PHRASES);
        let mut keys: FxHashMap<char, Vec<(&str, &str)>> = FxHashMap::default();
        let characters = table(CHARACTERS).into_iter().filter(|(key, _)| !phrases.contains_key(key));
        for (key, value) in phrases.iter().map(|(&k, &v)| (k, v)).chain(characters) {
            let first = key.chars().next().expect("keys are not empty");
            keys.entry(first).or_default().push((key, value));
        }
        for entries in keys.values_mut() {
            entries.sort_unstable_by_key(|(key, _)| std::cmp::Reverse(key.len()));
        }
        ToSimplified { keys }
    }

    /// `text` in Simplified characters.
    pub fn convert(&self, text: &str) -> String {
        let mut simplified = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(first) = rest.chars().next() {
            let entries = self.keys.get(&first).map_or(&[][..], Vec::as_slice);
            match entries.iter().find(|(key, _)| rest.starts_with(key)) {
                Some((key, value)) => {
                    simplified.push_str(value);
                    rest = &rest[key.len()..];
                }
                None => {
                    simplified.push(first);
                    rest = &rest[first.len_utf8()..];
                }
            }
        }
        simplified
    }
}

impl Default for ToSimplified {
    fn default() -> Self {
        ToSimplified::new()
    }
}

/// An OpenCC table (`key<TAB>value value…` lines, `#` comments) as key → first value, a
/// later line overriding an earlier one, as OpenCC's compiler reads it.
fn table(text: &'static str) -> FxHashMap<&'static str, &'static str> {
    text.lines()
        .filter(|line| !line.trim().is_empty() && !line.trim().starts_with('#'))
        .filter_map(|line| {
            let (key, values) = line.split_once('\t')?;
            let valid = !key.is_empty() && !values.contains('\t') && !values.split(' ').any(str::is_empty);
            Some((key, values.split(' ').next()?)).filter(|_| valid)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ferrous_opencc::{OpenCC, config::BuiltinConfig};

    #[test]
    fn phrases_convert_as_a_whole_and_characters_one_by_one() {
        let convert = ToSimplified::new();
        assert_eq!(convert.convert("蘇聯勢力控制了新疆。"), "苏联势力控制了新疆。");
        // 乾 is 干 alone but stays in 乾隆, a phrase; text without keys is kept.
        assert_eq!(convert.convert("乾隆乾燥"), "乾隆干燥");
        assert_eq!(convert.convert("plain text, 1905"), "plain text, 1905");
        assert_eq!(convert.convert(""), "");
    }

    /// Every key of both tables, alone and run together with its neighbours in both orders
    /// (so that keys overlap and the longest match decides), and the bundled Chinese
    /// examples: the same text as OpenCC's own `t2s`.
    #[test]
    fn converts_exactly_as_opencc() {
        let opencc = OpenCC::from_config(BuiltinConfig::T2s).unwrap();
        let convert = ToSimplified::new();
        let keys: Vec<&str> = [PHRASES, CHARACTERS]
            .iter()
            .flat_map(|text| table(text).into_keys())
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        let mut texts: Vec<String> = keys.iter().map(|k| k.to_string()).collect();
        for window in keys.windows(3) {
            texts.push(window.concat());
            texts.push(format!("{}{}x{}", window[2], window[1], window[0]));
        }
        for phrase in table(PHRASES).keys() {
            let chars: Vec<char> = phrase.chars().collect();
            // A phrase cut short, and one preceded by its own last character.
            texts.push(chars[..chars.len() - 1].iter().collect());
            texts.push(format!("{}{phrase}", chars[chars.len() - 1]));
        }
        texts.push(include_str!("../../../../data/examples/genesis/genesis.zh").to_string());
        texts.push(include_str!("../../../../data/examples/yili/yili.zh").to_string());
        for text in &texts {
            assert_eq!(convert.convert(text), opencc.convert(text), "{text}");
        }
    }
}
