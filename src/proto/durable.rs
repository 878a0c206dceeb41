//! What a durable transcription (a recording's: `recorder.transcribe`, `resumeTranscription`)
//! keeps across a crash or a reload: [`DurableState`], written by the [`Transcriber`]
//! (its `Save` action) and handed back to it to resume. The JS side stores the text as it
//! is and never reads it: the layout is declared here only.
//!
//! Rules:
//! - the text starts with its version line; anything else, a number out of range, an
//!   uploaded chunk at or past the chunks cut, or a field that does not parse is a CORRUPT
//!   state: `invalid_argument`, at a bounded cost (never a trap, never an allocation sized
//!   by the input);
//! - at most [`MAX_CHUNKS`] chunks (≈ 364 hours of 20 s chunks).
//!
//! [`Transcriber`]: super::Transcriber

use super::error::{push_decimal, Error};
use super::sessions::Target;
use alloc::{string::String, vec::Vec};

/// The most chunks a durable transcription holds.
pub const MAX_CHUNKS: u32 = 1 << 16;

const VERSION: &str = "eka-voice-transcription 1";

/// The stored state of a durable transcription.
///
/// ```
/// use eka_voice::proto::{DurableState, Target};
/// let s = DurableState { session_id: Some("evs_0123456789abcdef".into()), created: true,
///     target: Some(Target::Raw("https://api.eka.care/voice/v1/sessions/x/audio".into())),
///     cut: 5, uploaded: vec![0, 1, 2, 4], stopped: true, ended: false };
/// assert_eq!(DurableState::decode(&s.encode()).unwrap(), s);
/// assert!(DurableState::decode("garbage").is_err());
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DurableState {
    /// The session's id, chosen by the client before Create Session is sent.
    pub session_id: Option<String>,
    /// Whether Create Session succeeded.
    pub created: bool,
    /// Where the session's audio goes (`upload_url`), once known.
    pub target: Option<Target>,
    /// Chunks cut so far: indices `0..cut`.
    pub cut: u32,
    /// The chunks the service has, in increasing order.
    pub uploaded: Vec<u32>,
    /// Whether the recording ended (no more chunks).
    pub stopped: bool,
    /// Whether End Session succeeded.
    pub ended: bool,
}

impl DurableState {
    /// The text to store.
    pub fn encode(&self) -> String {
        let mut s = String::from(VERSION);
        line(&mut s, self.session_id.as_deref().unwrap_or(""));
        s.push('\n');
        for flag in [self.created, self.stopped, self.ended] {
            s.push(if flag { '1' } else { '0' });
        }
        s.push('\n');
        push_decimal(&mut s, u64::from(self.cut));
        s.push('\n');
        push_ranges(&mut s, &self.uploaded);
        match &self.target {
            None => {}
            Some(Target::Raw(url)) => {
                line(&mut s, "raw");
                line(&mut s, url);
            }
            Some(Target::Presigned { url, fields }) => {
                line(&mut s, "presigned");
                line(&mut s, url);
                for (k, v) in fields {
                    line(&mut s, k);
                    line(&mut s, v);
                }
            }
        }
        s
    }

    /// Reads a stored text; a corrupt one is `invalid_argument` (see the module docs).
    pub fn decode(text: &str) -> Result<DurableState, Error> {
        let corrupt = |what: &str| {
            let mut m = String::from("the stored transcription is corrupt: ");
            m.push_str(what);
            Error::invalid_argument(m)
        };
        let mut lines = text.split('\n');
        if lines.next() != Some(VERSION) {
            return Err(corrupt("not a state of this version"));
        }
        let id = unescape(lines.next().ok_or_else(|| corrupt("no session id"))?)
            .ok_or_else(|| corrupt("a bad session id"))?;
        let flags = lines.next().unwrap_or("").as_bytes();
        if flags.len() != 3 || flags.iter().any(|b| !matches!(b, b'0' | b'1')) {
            return Err(corrupt("bad flags"));
        }
        let cut = lines
            .next()
            .and_then(number)
            .filter(|&c| c <= MAX_CHUNKS)
            .ok_or_else(|| corrupt("a bad chunk count"))?;
        let uploaded = read_ranges(lines.next().unwrap_or(""), cut)
            .ok_or_else(|| corrupt("a bad list of uploaded chunks"))?;
        let target = read_target(&mut lines).ok_or_else(|| corrupt("a bad upload target"))?;
        Ok(DurableState {
            session_id: (!id.is_empty()).then_some(id),
            created: flags[0] == b'1',
            target,
            cut,
            uploaded,
            stopped: flags[1] == b'1',
            ended: flags[2] == b'1',
        })
    }
}

/// A new line holding `v`, escaped (`\\`, `\n`).
fn line(s: &mut String, v: &str) {
    s.push('\n');
    for c in v.chars() {
        match c {
            '\\' => s.push_str("\\\\"),
            '\n' => s.push_str("\\n"),
            c => s.push(c),
        }
    }
}

fn unescape(v: &str) -> Option<String> {
    let mut out = String::with_capacity(v.len());
    let mut chars = v.chars();
    while let Some(c) = chars.next() {
        out.push(match c {
            '\\' => match chars.next()? {
                '\\' => '\\',
                'n' => '\n',
                _ => return None,
            },
            c => c,
        });
    }
    Some(out)
}

/// A decimal number (no sign, no spaces).
fn number(text: &str) -> Option<u32> {
    text.parse::<u32>().ok().filter(|_| !text.starts_with('+'))
}

/// `0-3,5,9-10` for `[0, 1, 2, 3, 5, 9, 10]` (sorted input).
fn push_ranges(s: &mut String, list: &[u32]) {
    let mut i = 0;
    while let Some(&start) = list.get(i) {
        let mut end = start;
        while list.get(i + 1) == Some(&end.saturating_add(1)) {
            end += 1;
            i += 1;
        }
        if s.as_bytes().last() != Some(&b'\n') {
            s.push(',');
        }
        push_decimal(s, u64::from(start));
        if end != start {
            s.push('-');
            push_decimal(s, u64::from(end));
        }
        i += 1;
    }
}

/// The list of `push_ranges`: increasing, each below `cut`; `None` when not.
fn read_ranges(text: &str, cut: u32) -> Option<Vec<u32>> {
    let mut out: Vec<u32> = Vec::new();
    for part in text.split(',').filter(|p| !p.is_empty()) {
        let (a, b) = match part.split_once('-') {
            Some((a, b)) => (number(a)?, number(b)?),
            None => (number(part)?, number(part)?),
        };
        if a > b || b >= cut || out.last().is_some_and(|&l| l >= a) {
            return None;
        }
        out.extend(a..=b);
    }
    Some(out)
}

/// The target lines: none, `raw` + URL, or `presigned` + URL + key/value pairs.
fn read_target<'a>(lines: &mut impl Iterator<Item = &'a str>) -> Option<Option<Target>> {
    let Some(kind) = lines.next() else {
        return Some(None);
    };
    let url = unescape(lines.next()?)?;
    match kind {
        "raw" => lines.next().is_none().then_some(Some(Target::Raw(url))),
        "presigned" => {
            let mut fields = Vec::new();
            while let Some(k) = lines.next() {
                fields.push((unescape(k)?, unescape(lines.next()?)?));
            }
            Some(Some(Target::Presigned { url, fields }))
        }
        _ => None,
    }
}
