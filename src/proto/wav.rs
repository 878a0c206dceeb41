//! WAV files (issue 14): the writer of what the recorder uploads (PCM s16le, mono) and the
//! reader of pre-recorded files that [`split_wav`](crate::proto::split_wav) cuts into
//! chunks. Sans-IO: bytes in, samples out.
//!
//! The reader takes RIFF/WAVE with PCM 8/16/24/32-bit integers or 32/64-bit floats, plain
//! or `WAVE_FORMAT_EXTENSIBLE`, any number of channels, any rate from 8 kHz to 384 kHz;
//! chunks it does not need (LIST, fact, …) are skipped; a `data` chunk whose size runs past
//! the end (a writer that never came back to fix it) is read to the end of the file.

use alloc::vec::Vec;

use super::error::Error;

/// The lowest and highest rates [`parse_wav`] accepts.
pub const WAV_RATES: core::ops::RangeInclusive<u32> = 8_000..=384_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Encoding {
    U8,
    S16,
    S24,
    S32,
    F32,
    F64,
}

impl Encoding {
    fn bytes(self) -> usize {
        match self {
            Encoding::U8 => 1,
            Encoding::S16 => 2,
            Encoding::S24 => 3,
            Encoding::S32 | Encoding::F32 => 4,
            Encoding::F64 => 8,
        }
    }

    fn sample(self, b: &[u8]) -> f32 {
        match self {
            Encoding::U8 => (f32::from(b[0]) - 128.0) / 128.0,
            Encoding::S16 => f32::from(i16::from_le_bytes([b[0], b[1]])) / 32_768.0,
            Encoding::S24 => (i32::from_le_bytes([0, b[0], b[1], b[2]]) >> 8) as f32 / 8_388_608.0,
            Encoding::S32 => i32::from_le_bytes([b[0], b[1], b[2], b[3]]) as f32 / 2_147_483_648.0,
            Encoding::F32 => f32::from_le_bytes([b[0], b[1], b[2], b[3]]),
            Encoding::F64 => {
                f64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]) as f32
            }
        }
    }
}

/// What a WAV file's header says: the format and where its samples are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WavHeader {
    /// Frames a second.
    pub sample_rate: u32,
    /// Channels of each frame.
    pub channels: u16,
    encoding: Encoding,
    /// Where the samples start in the file.
    pub data_start: usize,
    /// The bytes of samples the header declares (may run past the end of the file).
    pub data_len: u64,
}

impl WavHeader {
    /// Bytes of one frame (a sample of every channel).
    pub fn frame_bytes(&self) -> usize {
        usize::from(self.channels) * self.encoding.bytes()
    }

    /// The whole frames of `bytes` (a run of sample data starting on a frame), one `Vec`
    /// per channel, as floats; a partial frame at the end is left out.
    pub fn decode(&self, bytes: &[u8]) -> Vec<Vec<f32>> {
        let (n, width) = (usize::from(self.channels), self.encoding.bytes());
        let frames = bytes.len() / self.frame_bytes();
        let mut out = alloc::vec![Vec::with_capacity(frames); n];
        for frame in bytes.chunks_exact(self.frame_bytes()) {
            for (c, channel) in out.iter_mut().enumerate() {
                channel.push(self.encoding.sample(&frame[c * width..]));
            }
        }
        out
    }
}

/// A WAV file's samples arriving in pieces of any size (a file read piece by piece): each
/// piece gives the whole frames it completes; a frame split between two pieces waits.
#[derive(Clone, Debug)]
pub struct WavFrames {
    header: WavHeader,
    rest: Vec<u8>,
}

impl WavFrames {
    /// A reader of the samples this header describes.
    pub fn new(header: WavHeader) -> WavFrames {
        WavFrames {
            header,
            rest: Vec::new(),
        }
    }

    /// The header it reads by.
    pub fn header(&self) -> &WavHeader {
        &self.header
    }

    /// The next piece of sample data: its whole frames, one `Vec` per channel.
    ///
    /// ```
    /// use eka_voice::proto::{parse_wav_header, wav_bytes, WavFrames};
    /// let wav = wav_bytes(&[16_384, -16_384], 16_000);
    /// let mut frames = WavFrames::new(parse_wav_header(&wav).unwrap());
    /// assert_eq!(frames.push(&wav[44..45]), vec![Vec::<f32>::new()]); // half a frame
    /// assert_eq!(frames.push(&wav[45..]), vec![vec![0.5, -0.5]]);
    /// ```
    pub fn push(&mut self, bytes: &[u8]) -> Vec<Vec<f32>> {
        self.rest.extend_from_slice(bytes);
        let whole = self.rest.len() - self.rest.len() % self.header.frame_bytes();
        let channels = self.header.decode(&self.rest[..whole]);
        self.rest.drain(..whole);
        channels
    }
}

/// The audio of a WAV file, borrowed from its bytes.
#[derive(Clone, Copy, Debug)]
pub struct WavAudio<'a> {
    /// Frames a second.
    pub sample_rate: u32,
    /// Channels of each frame.
    pub channels: u16,
    header: WavHeader,
    data: &'a [u8],
}

impl WavAudio<'_> {
    /// Frames (samples of every channel) in the file.
    pub fn frames(&self) -> usize {
        self.data.len() / self.header.frame_bytes()
    }

    /// `count` frames from `start` (fewer at the end), one `Vec` per channel, as floats.
    pub fn read(&self, start: usize, count: usize) -> Vec<Vec<f32>> {
        let fb = self.header.frame_bytes();
        let end = start.saturating_add(count).min(self.frames());
        self.header
            .decode(&self.data[start.min(end) * fb..end * fb])
    }
}

fn invalid(why: &str) -> Error {
    let mut message = alloc::string::String::from("not a WAV file this library reads: ");
    message.push_str(why);
    Error::new(super::error::ErrorCode::InvalidAudio, message)
}

fn u16_at(b: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([b[at], b[at + 1]])
}

fn u32_at(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

/// Reads a WAV file's header and finds its samples.
///
/// ```
/// use eka_voice::proto::{parse_wav, wav_bytes};
/// let wav = wav_bytes(&[0, 16_384, -32_768], 16_000);
/// let audio = parse_wav(&wav).unwrap();
/// assert_eq!((audio.sample_rate, audio.channels, audio.frames()), (16_000, 1, 3));
/// assert_eq!(audio.read(0, 3), vec![vec![0.0, 0.5, -1.0]]);
/// assert_eq!(parse_wav(b"OggS").unwrap_err().code.as_str(), "invalid_audio");
/// ```
pub fn parse_wav(bytes: &[u8]) -> Result<WavAudio<'_>, Error> {
    let header = parse_wav_header(bytes)?;
    let end = usize::try_from(header.data_len)
        .unwrap_or(usize::MAX)
        .min(bytes.len() - header.data_start);
    Ok(WavAudio {
        sample_rate: header.sample_rate,
        channels: header.channels,
        header,
        data: &bytes[header.data_start..header.data_start + end],
    })
}

/// How many of a WAV file's first bytes [`parse_wav_header`] needs: 0 when `head` holds
/// the whole header (or is no WAV at all: the parse says why), else the length to read —
/// past chunks of metadata of any size (a reader reads more and asks again).
///
/// ```
/// use eka_voice::proto::{wav_bytes, wav_header_needs};
/// let wav = wav_bytes(&[0; 8], 16_000);
/// assert_eq!(wav_header_needs(&wav), 0);
/// let mut big = wav[..12].to_vec();
/// big.extend_from_slice(b"LIST");
/// big.extend_from_slice(&(2_000_000u32).to_le_bytes());
/// assert_eq!(wav_header_needs(&big), 12 + 8 + 2_000_000 + 8, "past the metadata, a chunk header");
/// ```
pub fn wav_header_needs(head: &[u8]) -> u64 {
    if head.len() < 12 || &head[..4] != b"RIFF" || &head[8..12] != b"WAVE" {
        return 0;
    }
    let mut at = 12u64;
    loop {
        let Some(h) = head.get(at as usize..at as usize + 8) else {
            return at + 8;
        };
        let size = u64::from(u32::from_le_bytes([h[4], h[5], h[6], h[7]]));
        match &h[..4] {
            b"data" => return 0,
            b"fmt " if (head.len() as u64) < at + 8 + size => return at + 8 + size,
            _ => at += 8 + size + (size & 1),
        }
    }
}

/// Reads a WAV file's header from its first bytes (up to the `data` chunk's header: a
/// streaming reader passes the first KBs of a file and then its samples piece by piece).
pub fn parse_wav_header(head: &[u8]) -> Result<WavHeader, Error> {
    if head.len() < 12 || &head[..4] != b"RIFF" || &head[8..12] != b"WAVE" {
        return Err(invalid("no RIFF/WAVE header"));
    }
    let (mut at, mut format) = (12usize, None);
    while at + 8 <= head.len() {
        let size = u32_at(head, at + 4) as usize;
        let body = &head[at + 8..];
        match &head[at..at + 4] {
            b"fmt " => format = Some(read_format(&body[..size.min(body.len())])?),
            b"data" => {
                let (sample_rate, channels, encoding) =
                    format.ok_or_else(|| invalid("data before fmt"))?;
                return Ok(WavHeader {
                    sample_rate,
                    channels,
                    encoding,
                    data_start: at + 8,
                    data_len: size as u64,
                });
            }
            _ => {}
        }
        // Chunks are padded to an even size.
        at = at
            .saturating_add(8)
            .saturating_add(size)
            .saturating_add(size & 1);
    }
    Err(invalid("no data chunk in the header's bytes"))
}

fn read_format(fmt: &[u8]) -> Result<(u32, u16, Encoding), Error> {
    if fmt.len() < 16 {
        return Err(invalid("short fmt chunk"));
    }
    let (mut tag, channels, rate, bits) = (
        u16_at(fmt, 0),
        u16_at(fmt, 2),
        u32_at(fmt, 4),
        u16_at(fmt, 14),
    );
    if tag == 0xFFFE && fmt.len() >= 26 {
        // WAVE_FORMAT_EXTENSIBLE: the sub-format GUID starts with the format tag.
        tag = u16_at(fmt, 24);
    }
    let encoding = match (tag, bits) {
        (1, 8) => Encoding::U8,
        (1, 16) => Encoding::S16,
        (1, 24) => Encoding::S24,
        (1, 32) => Encoding::S32,
        (3, 32) => Encoding::F32,
        (3, 64) => Encoding::F64,
        _ => return Err(invalid("only PCM integers (8–32 bits) and floats are read")),
    };
    if channels == 0 || !WAV_RATES.contains(&rate) {
        return Err(invalid("no channels, or a rate outside 8–384 kHz"));
    }
    Ok((rate, channels, encoding))
}

/// A WAV file (RIFF, PCM signed 16-bit little-endian, mono) of `samples` at `sample_rate`:
/// what the recorder uploads.
///
/// ```
/// use eka_voice::proto::wav_bytes;
/// let wav = wav_bytes(&[0, 1, -1], 16_000);
/// assert_eq!(&wav[..4], b"RIFF");
/// assert_eq!(&wav[8..16], b"WAVEfmt ");
/// assert_eq!(wav.len(), 44 + 6);
/// ```
pub fn wav_bytes(samples: &[i16], sample_rate: u32) -> Vec<u8> {
    let data = (samples.len() * 2) as u32;
    let mut out = Vec::with_capacity(44 + samples.len() * 2);
    out.extend_from_slice(b"RIFF");
    out.extend_from_slice(&(36 + data).to_le_bytes());
    out.extend_from_slice(b"WAVEfmt ");
    out.extend_from_slice(&16u32.to_le_bytes()); // fmt chunk size
    out.extend_from_slice(&1u16.to_le_bytes()); // PCM
    out.extend_from_slice(&1u16.to_le_bytes()); // mono
    out.extend_from_slice(&sample_rate.to_le_bytes());
    out.extend_from_slice(&(sample_rate * 2).to_le_bytes()); // bytes a second
    out.extend_from_slice(&2u16.to_le_bytes()); // block align
    out.extend_from_slice(&16u16.to_le_bytes()); // bits per sample
    out.extend_from_slice(b"data");
    out.extend_from_slice(&data.to_le_bytes());
    for s in samples {
        out.extend_from_slice(&s.to_le_bytes());
    }
    out
}
