//! Turning bytes into text: BOMs, UTF-8, legacy Chinese encodings (GB18030, Big5), with the
//! byte offset of the first bad byte when decoding fails.

use crate::error::{Error, Result};
use crate::script::is_han;
use encoding_rs::{BIG5, DecoderResult, Encoding, GB18030, UTF_8, UTF_16BE, UTF_16LE};

/// Looks up an encoding by the label a user types (`gbk`, `big5`, `utf-16le`, ...).
pub fn encoding_for_label(label: &str) -> Result<&'static Encoding> {
    Encoding::for_label(label.trim().as_bytes()).ok_or_else(|| Error::UnknownEncoding(label.to_string()))
}

/// Text decoded from bytes, and how its encoding was chosen.
#[derive(Debug)]
pub struct Decoded {
    /// The text.
    pub text: String,
    /// The legacy encoding the bytes were read in, when it was guessed from them (not
    /// forced, not from a BOM, not UTF-8): worth telling the user, who may know better.
    pub guessed: Option<&'static Encoding>,
}

/// Decodes `bytes` into text. With `forced`, that encoding is used (a BOM still wins, as
/// in every browser); otherwise a BOM, then UTF-8, then a legacy Chinese encoding
/// (GB18030, Big5) when the bytes read as Chinese in it. Bytes that are UTF-8 but for a
/// few, or that fit no encoding, are reported as invalid UTF-8 at the first bad byte:
/// never decoded into something else silently.
pub fn decode(bytes: &[u8], forced: Option<&'static Encoding>, name: &str) -> Result<Decoded> {
    let known = |text| Ok(Decoded { text, guessed: None });
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        return decode_strict(&bytes[bom_len..], encoding, bom_len, name).and_then(known);
    }
    if let Some(encoding) = forced {
        if encoding != UTF_16LE && encoding != UTF_16BE {
            reject_binary(bytes, name)?;
        }
        return decode_strict(bytes, encoding, 0, name).and_then(known);
    }
    reject_binary(bytes, name)?;
    if std::str::from_utf8(bytes).is_ok() || mostly_utf8(bytes) {
        return decode_strict(bytes, UTF_8, 0, name).and_then(known);
    }
    let legacy = guess_legacy(bytes);
    match decode_strict(bytes, legacy, 0, name) {
        Ok(text) if reads_as(&text, legacy) => Ok(Decoded { text, guessed: Some(legacy) }),
        _ => decode_strict(bytes, UTF_8, 0, name).and_then(known),
    }
}

/// More well-formed multi-byte UTF-8 characters than malformed sequences: a UTF-8 file
/// with a few bad bytes. (Chinese legacy text forms a valid UTF-8 sequence by chance
/// for about one character in six.)
fn mostly_utf8(bytes: &[u8]) -> bool {
    let (mut valid, mut invalid) = (0usize, 0usize);
    for chunk in bytes.utf8_chunks() {
        valid += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        invalid += !chunk.invalid().is_empty() as usize;
    }
    valid > invalid
}

/// Whether `text`, decoded in a guessed legacy encoding, is plausibly what the file holds:
/// for GB18030 and Big5, Chinese (Han characters at least a tenth of its letters, and
/// nearly all that is not ASCII Chinese script or punctuation); for other encodings, a
/// text in a language duiqi can name, so that the user is told which.
fn reads_as(text: &str, encoding: &'static Encoding) -> bool {
    if encoding != GB18030 && encoding != BIG5 {
        return super::other_language(text).is_some();
    }
    let is_cjk_punctuation = |c: char| matches!(c, '\u{3000}'..='\u{303F}' | '\u{FF00}'..='\u{FFEF}' | '“' | '”' | '‘' | '’' | '…' | '—' | '·');
    let (mut letters, mut han, mut non_ascii, mut chinese) = (0usize, 0usize, 0usize, 0usize);
    for c in text.chars() {
        letters += c.is_alphanumeric() as usize;
        han += is_han(c) as usize;
        non_ascii += !c.is_ascii() as usize;
        chinese += (is_han(c) || is_cjk_punctuation(c)) as usize;
    }
    han * 10 >= letters && chinese * 10 >= non_ascii * 9
}

/// Picks the most likely non-UTF-8 encoding; Chinese legacy files are GB18030 (a superset
/// of GBK and GB2312) or Big5.
fn guess_legacy(bytes: &[u8]) -> &'static Encoding {
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    let guess = detector.guess(None, chardetng::Utf8Detection::Deny);
    if guess == BIG5 {
        BIG5
    } else if guess.name() == "GBK" || guess == GB18030 {
        GB18030
    } else {
        guess
    }
}

/// NUL bytes or many C0 control characters mean this is not a text file.
fn reject_binary(bytes: &[u8], name: &str) -> Result<()> {
    let sample = &bytes[..bytes.len().min(64 * 1024)];
    let controls = sample.iter().filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0c)).count();
    if sample.contains(&0) || controls * 100 > sample.len().max(1) {
        return Err(Error::Binary { name: name.to_string() });
    }
    Ok(())
}

/// Decodes without replacement characters, reporting the offset of the first bad byte.
fn decode_strict(bytes: &[u8], encoding: &'static Encoding, base: usize, name: &str) -> Result<String> {
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let capacity = decoder.max_utf8_buffer_length_without_replacement(bytes.len()).unwrap_or(bytes.len() * 3);
    let mut text = String::with_capacity(capacity);
    let (result, read) = decoder.decode_to_string_without_replacement(bytes, &mut text, true);
    match result {
        DecoderResult::InputEmpty => Ok(text),
        DecoderResult::Malformed(bad, consumed_after) => Err(Error::Undecodable {
            name: name.to_string(),
            encoding: encoding.name(),
            offset: base + read - consumed_after as usize - bad as usize,
        }),
        DecoderResult::OutputFull => unreachable!("buffer sized by max_utf8_buffer_length"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_utf8_with_and_without_bom() {
        assert_eq!(decode("新疆".as_bytes(), None, "x").unwrap().text, "新疆");
        let mut with_bom = vec![0xEF, 0xBB, 0xBF];
        with_bom.extend_from_slice("新疆".as_bytes());
        assert_eq!(decode(&with_bom, None, "x").unwrap().text, "新疆");
    }

    #[test]
    fn detects_utf16_by_bom() {
        let mut bytes = vec![0xFF, 0xFE];
        for unit in "蘇聯 Soviet".encode_utf16() {
            bytes.extend_from_slice(&unit.to_le_bytes());
        }
        assert_eq!(decode(&bytes, None, "x").unwrap().text, "蘇聯 Soviet");
    }

    #[test]
    fn detects_gb18030_and_big5() {
        let text = "一九四四年，新疆伊犁的穆斯林在苏联帮助下发动了暴动。民族军成立了。";
        let (gb, _, _) = GB18030.encode(text);
        let decoded = decode(&gb, None, "x").unwrap();
        assert_eq!((decoded.text.as_str(), decoded.guessed), (text, Some(GB18030)));
        let traditional = "一九四四年，新疆伊犁的穆斯林在蘇聯幫助下發動了暴動。民族軍成立了。";
        let (big5, _, _) = BIG5.encode(traditional);
        let decoded = decode(&big5, None, "x").unwrap();
        assert_eq!((decoded.text.as_str(), decoded.guessed), (traditional, Some(BIG5)));
    }

    #[test]
    fn reports_offset_of_bad_byte_in_forced_encoding() {
        let bytes = b"abc\xffdef";
        match decode(bytes, Some(UTF_8), "f.txt") {
            Err(Error::Undecodable { offset, encoding, .. }) => {
                assert_eq!(offset, 3);
                assert_eq!(encoding, "UTF-8");
            }
            other => panic!("expected Undecodable, got {other:?}"),
        }
    }

    fn invalid_utf8_at(bytes: &[u8]) -> usize {
        match decode(bytes, None, "f.txt") {
            Err(Error::Undecodable { offset, encoding: "UTF-8", .. }) => offset,
            other => panic!("expected invalid UTF-8, got {other:?}"),
        }
    }

    #[test]
    fn utf8_with_a_few_bad_bytes_is_reported_not_guessed() {
        let mut bytes = "新疆伊犁的穆斯林在蘇聯幫助下發動了暴動。".as_bytes().to_vec();
        bytes.insert(9, 0xFF);
        assert_eq!(invalid_utf8_at(&bytes), 9);
        assert_eq!(invalid_utf8_at(b"A nice caf\xe9 on the corner. We met there."), 10);
        assert_eq!(invalid_utf8_at(b"The caf\xe9s of Paris are open. We met there."), 7);
        let forced = decode(b"The caf\xe9s of Paris.", Some(encoding_rs::WINDOWS_1252), "f.txt").unwrap();
        assert_eq!(forced.text, "The cafés of Paris.");
    }

    #[test]
    fn rejects_binary() {
        assert!(matches!(decode(b"\x7fELF\x02\x01\x00\x00", None, "x"), Err(Error::Binary { .. })));
    }

    #[test]
    fn unknown_label_is_an_error() {
        assert!(encoding_for_label("klingon").is_err());
        assert_eq!(encoding_for_label("big5").unwrap(), BIG5);
    }
}
