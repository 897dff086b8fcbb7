//! Subtitles (SubRip .srt, WebVTT .vtt): one paragraph per cue, its timing kept; markup
//! (`<i>`, `<v Speaker>`, `{\an8}`), cue numbers and settings, and WebVTT's header, NOTE,
//! STYLE and REGION blocks dropped. Simple enough that no crate is needed.

use super::{Block, collapse};
use crate::document::ParagraphKind;

pub(super) fn read(text: &str) -> Vec<Block> {
    let text = text.trim_start_matches('\u{feff}').replace("\r\n", "\n").replace('\r', "\n");
    let mut blocks = Vec::new();
    for chunk in text.split("\n\n") {
        let lines: Vec<&str> = chunk.lines().filter(|l| !l.trim().is_empty()).collect();
        if lines.first().is_some_and(|l| ["WEBVTT", "NOTE", "STYLE", "REGION"].iter().any(|k| l.starts_with(k))) {
            continue;
        }
        let Some(timing) = lines.iter().position(|l| l.contains("-->")) else { continue };
        let Some((start_ms, end_ms)) = timing_of(lines[timing]) else { continue };
        let cue = lines[timing + 1..].iter().map(|l| strip_markup(l)).collect::<Vec<_>>().join(" ");
        let text = collapse(&cue);
        if !text.is_empty() {
            blocks.push(Block { kind: ParagraphKind::Cue { start_ms, end_ms }, text });
        }
    }
    blocks
}

/// The start and end of `00:01:02,500 --> 00:01:04,000 position:10%` in milliseconds.
fn timing_of(line: &str) -> Option<(u64, u64)> {
    let (start, rest) = line.split_once("-->")?;
    let end = rest.split_whitespace().next()?;
    Some((milliseconds(start.trim())?, milliseconds(end)?))
}

/// `hh:mm:ss,mmm`, `hh:mm:ss.mmm` or `mm:ss.mmm` in milliseconds.
fn milliseconds(time: &str) -> Option<u64> {
    let (clock, fraction) = time.split_once([',', '.']).unwrap_or((time, "0"));
    let mut seconds = 0u64;
    for part in clock.split(':') {
        seconds = seconds.checked_mul(60)?.checked_add(part.trim().parse().ok()?)?;
    }
    let digits: String = fraction.chars().take(3).collect();
    let millis = format!("{digits:0<3}").parse::<u64>().ok()?;
    seconds.checked_mul(1000)?.checked_add(millis)
}

/// A cue line without its tags: `<...>` and `{...}` removed.
fn strip_markup(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut closing = None;
    for c in line.chars() {
        match (closing, c) {
            (None, '<') => closing = Some('>'),
            (None, '{') => closing = Some('}'),
            (Some(end), c) if c == end => closing = None,
            (Some(_), _) => {}
            (None, c) => out.push(c),
        }
    }
    out.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&nbsp;", " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn srt_and_vtt_cues() {
        let srt = "1\r\n00:00:01,000 --> 00:00:04,250\r\n<i>Hello</i> there.\r\nHow are you?\r\n\r\n2\r\n00:00:05,000 --> 00:00:06,000\r\n{\\an8}Fine.\r\n";
        let cues = read(srt);
        assert_eq!(cues.len(), 2);
        assert_eq!(cues[0].text, "Hello there. How are you?");
        assert_eq!(cues[0].kind, ParagraphKind::Cue { start_ms: 1000, end_ms: 4250 });
        assert_eq!(cues[1].text, "Fine.");
        let vtt = "WEBVTT - a film\n\nNOTE a comment\nwith --> an arrow? no.\n\nSTYLE\n::cue { color: red }\n\nintro\n01:02.5 --> 01:04.000 align:start\n<v Ann>Hi.</v>\n";
        let cues = read(vtt);
        assert_eq!(cues.len(), 1, "{cues:?}");
        assert_eq!(cues[0].kind, ParagraphKind::Cue { start_ms: 62_500, end_ms: 64_000 });
        assert_eq!(cues[0].text, "Hi.");
    }
}
