//! Turning bytes into text: BOMs, UTF-8, legacy Chinese encodings (GB18030, Big5), with the
//! byte offset of the first bad byte when decoding fails.

use crate::error::{Error, Result};
use encoding_rs::{BIG5, DecoderResult, Encoding, GB18030, UTF_8, UTF_16BE, UTF_16LE};

/// Looks up an encoding by the label a user types (`gbk`, `big5`, `utf-16le`, ...).
pub fn encoding_for_label(label: &str) -> Result<&'static Encoding> {
    Encoding::for_label(label.trim().as_bytes()).ok_or_else(|| Error::UnknownEncoding(label.to_string()))
}

/// Decodes `bytes` into text. With `forced`, that encoding is used (a BOM still wins, as
/// in every browser); otherwise a BOM, then valid UTF-8, then a statistical guess among
/// legacy encodings decides.
pub fn decode(bytes: &[u8], forced: Option<&'static Encoding>, name: &str) -> Result<String> {
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        return decode_strict(&bytes[bom_len..], encoding, bom_len, name);
    }
    if let Some(encoding) = forced {
        if encoding != UTF_16LE && encoding != UTF_16BE {
            reject_binary(bytes, name)?;
        }
        return decode_strict(bytes, encoding, 0, name);
    }
    reject_binary(bytes, name)?;
    if std::str::from_utf8(bytes).is_ok() {
        return decode_strict(bytes, UTF_8, 0, name);
    }
    decode_strict(bytes, guess_legacy(bytes), 0, name)
}

/// Picks the most likely non-UTF-8 encoding; Chinese legacy files are GB18030 (a superset
/// of GBK and GB2312) or Big5.
fn guess_legacy(bytes: &[u8]) -> &'static Encoding {
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    let guess = detector.guess(None, chardetng::Utf8Detection::Deny);
    if guess == BIG5 {
        BIG5
    } else if guess == UTF_8 || guess.name() == "GBK" || guess == GB18030 {
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
        assert_eq!(decode("新疆".as_bytes(), None, "x").unwrap(), "新疆");
        let mut with_bom = vec![0xEF, 0xBB, 0xBF];
        with_bom.extend_from_slice("新疆".as_bytes());
        assert_eq!(decode(&with_bom, None, "x").unwrap(), "新疆");
    }

    #[test]
    fn detects_utf16_by_bom() {
        let mut bytes = vec![0xFF, 0xFE];
        for unit in "蘇聯 Soviet".encode_utf16() {
            bytes.extend_from_slice(&unit.to_le_bytes());
        }
        assert_eq!(decode(&bytes, None, "x").unwrap(), "蘇聯 Soviet");
    }

    #[test]
    fn detects_gb18030_and_big5() {
        let text = "一九四四年，新疆伊犁的穆斯林在苏联帮助下发动了暴动。民族军成立了。";
        let (gb, _, _) = GB18030.encode(text);
        assert_eq!(decode(&gb, None, "x").unwrap(), text);
        let traditional = "一九四四年，新疆伊犁的穆斯林在蘇聯幫助下發動了暴動。民族軍成立了。";
        let (big5, _, _) = BIG5.encode(traditional);
        assert_eq!(decode(&big5, None, "x").unwrap(), traditional);
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
