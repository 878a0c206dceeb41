//! Audio chunks: the supported formats, how a chunk's format is found (the caller's
//! `format`, else the Blob's MIME type, else the bytes themselves), the upload file name
//! `audio_<n>.<ext>`, and the size limit.

use super::error::{push_decimal, Error, ErrorCode};
use alloc::string::String;

/// The largest chunk the service takes in one request (it answers 413 above): 10 MiB.
pub const MAX_CHUNK_BYTES: u64 = 10 * 1024 * 1024;

/// How many leading bytes [`AudioFormat::sniff`] needs.
pub const SNIFF_BYTES: usize = 12;

/// The audio formats the service accepts.
///
/// ```
/// use eka_voice::proto::AudioFormat;
/// assert_eq!(AudioFormat::parse("audio/webm;codecs=opus"), Some(AudioFormat::Webm));
/// assert_eq!(AudioFormat::sniff(b"RIFF\0\0\0\0WAVEfmt "), Some(AudioFormat::Wav));
/// assert_eq!(AudioFormat::M4a.ext(), "m4a");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AudioFormat {
    /// `.wav` (RIFF/WAVE).
    Wav,
    /// `.webm` (Matroska/WebM, usually Opus).
    Webm,
    /// `.ogg` (Ogg, usually Opus).
    Ogg,
    /// `.mp3`.
    Mp3,
    /// `.m4a` (MP4 audio, brand `M4A `).
    M4a,
    /// `.mp4`.
    Mp4,
}

impl AudioFormat {
    /// The file extension (without the dot).
    pub fn ext(self) -> &'static str {
        match self {
            AudioFormat::Wav => "wav",
            AudioFormat::Webm => "webm",
            AudioFormat::Ogg => "ogg",
            AudioFormat::Mp3 => "mp3",
            AudioFormat::M4a => "m4a",
            AudioFormat::Mp4 => "mp4",
        }
    }

    /// The MIME type, from the service's allow-list (the `Content-Type` field of a
    /// presigned upload).
    ///
    /// ```
    /// assert_eq!(eka_voice::proto::AudioFormat::Webm.mime(), "audio/webm;codecs=opus");
    /// ```
    pub fn mime(self) -> &'static str {
        match self {
            AudioFormat::Wav => "audio/wav",
            AudioFormat::Webm => "audio/webm;codecs=opus",
            AudioFormat::Ogg => "audio/ogg",
            AudioFormat::Mp3 => "audio/mp3",
            AudioFormat::M4a => "audio/m4a",
            AudioFormat::Mp4 => "audio/mp4",
        }
    }

    /// A format from an extension (`wav`, `.wav`) or a MIME type (`audio/wav`,
    /// `audio/x-wav`, `audio/mpeg`, `audio/webm;codecs=opus`, …); case-insensitive.
    pub fn parse(s: &str) -> Option<AudioFormat> {
        let s = s.trim();
        let base = s.split(';').next().unwrap_or(s).trim().to_ascii_lowercase();
        let name = base.strip_prefix('.').unwrap_or(&base);
        let sub = match name.split_once('/') {
            Some(("audio" | "video" | "application", sub)) => sub,
            Some(_) => return None,
            None => name,
        };
        Some(match sub {
            "wav" | "wave" | "x-wav" | "vnd.wave" | "x-pn-wav" => AudioFormat::Wav,
            "webm" => AudioFormat::Webm,
            "ogg" | "opus" | "x-ogg" => AudioFormat::Ogg,
            "mp3" | "mpeg" | "mpeg3" | "x-mp3" | "x-mpeg" => AudioFormat::Mp3,
            "m4a" | "x-m4a" => AudioFormat::M4a,
            "mp4" => AudioFormat::Mp4,
            _ => return None,
        })
    }

    /// The format of audio bytes, from their first [`SNIFF_BYTES`] bytes.
    pub fn sniff(head: &[u8]) -> Option<AudioFormat> {
        let at = |i: usize, sig: &[u8]| head.get(i..i + sig.len()) == Some(sig);
        if at(0, b"RIFF") && at(8, b"WAVE") {
            Some(AudioFormat::Wav)
        } else if at(0, b"OggS") {
            Some(AudioFormat::Ogg)
        } else if at(0, &[0x1A, 0x45, 0xDF, 0xA3]) {
            Some(AudioFormat::Webm)
        } else if at(0, b"ID3") {
            Some(AudioFormat::Mp3)
        } else if at(4, b"ftyp") {
            Some(if at(8, b"M4A ") {
                AudioFormat::M4a
            } else {
                AudioFormat::Mp4
            })
        } else if is_mpeg_frame_sync(head) {
            Some(AudioFormat::Mp3)
        } else {
            None
        }
    }
}

/// An MPEG audio frame header: 11 sync bits, a valid version and a layer that is not
/// "reserved" (which also rules out AAC ADTS, whose layer bits are 00).
fn is_mpeg_frame_sync(head: &[u8]) -> bool {
    match head {
        [0xFF, b1, b2, ..] => {
            (b1 & 0xE0) == 0xE0 && (b1 & 0x18) != 0x08 && (b1 & 0x06) != 0 && (b2 & 0xF0) != 0xF0
        }
        _ => false,
    }
}

/// Finds the format of a chunk: the caller's `format` (which must be supported), else
/// the MIME type when it names a supported format, else the leading bytes.
///
/// ```
/// use eka_voice::proto::{resolve_format, AudioFormat};
/// assert_eq!(resolve_format(None, Some("application/octet-stream"), b"OggS....").unwrap(), AudioFormat::Ogg);
/// assert!(resolve_format(Some("flac"), None, b"").is_err());
/// assert!(resolve_format(None, None, b"hello world!").is_err());
/// ```
pub fn resolve_format(
    format: Option<&str>,
    mime: Option<&str>,
    head: &[u8],
) -> Result<AudioFormat, Error> {
    if let Some(f) = format {
        return AudioFormat::parse(f).ok_or_else(|| {
            Error::invalid_argument(
                "`format` must be one of wav, webm, ogg, mp3, m4a, mp4 (or their MIME types)",
            )
        });
    }
    mime.and_then(AudioFormat::parse)
        .or_else(|| AudioFormat::sniff(head))
        .ok_or_else(|| {
            Error::new(
                ErrorCode::InvalidAudio,
                "the chunk is not audio in a supported format (wav, webm, ogg, mp3, m4a, mp4); pass `format` if it is",
            )
        })
}

/// Checks a chunk's size: not empty, at most [`MAX_CHUNK_BYTES`] (else
/// [`ErrorCode::InvalidAudio`]).
///
/// ```
/// assert!(eka_voice::proto::check_chunk_size(0).is_err());
/// assert!(eka_voice::proto::check_chunk_size(10 * 1024 * 1024).is_ok());
/// assert!(eka_voice::proto::check_chunk_size(10 * 1024 * 1024 + 1).is_err());
/// ```
pub fn check_chunk_size(bytes: u64) -> Result<(), Error> {
    if bytes == 0 {
        return Err(Error::new(
            ErrorCode::InvalidAudio,
            "an audio chunk must not be empty",
        ));
    }
    if bytes > MAX_CHUNK_BYTES {
        let mut m = String::from("an audio chunk must be at most 10 MiB (");
        push_decimal(&mut m, MAX_CHUNK_BYTES);
        m.push_str(" bytes); this one has ");
        push_decimal(&mut m, bytes);
        m.push_str(": cut it (the recorder's splitRecording)");
        return Err(Error::new(ErrorCode::InvalidAudio, m));
    }
    Ok(())
}

/// The upload file name of chunk `n`: `audio_<n>.<ext>`.
///
/// ```
/// use eka_voice::proto::{file_name, AudioFormat};
/// assert_eq!(file_name(12, AudioFormat::Webm), "audio_12.webm");
/// ```
pub fn file_name(n: u32, format: AudioFormat) -> String {
    let mut s = String::from("audio_");
    s.push_str(&stored_name(n, format));
    s
}

/// The name the service stores chunk `n` under, `<n>.<ext>`: what `audio_files` lists, and
/// the object name of a presigned upload (nothing renames objects in storage, and the
/// provider's server collects only objects named `^(\d+)\.<ext>$` at End).
///
/// ```
/// use eka_voice::proto::{stored_name, AudioFormat};
/// assert_eq!(stored_name(3, AudioFormat::Wav), "3.wav");
/// ```
pub fn stored_name(n: u32, format: AudioFormat) -> String {
    let mut s = String::with_capacity(12);
    push_decimal(&mut s, u64::from(n));
    s.push('.');
    s.push_str(format.ext());
    s
}
