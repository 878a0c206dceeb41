//! End Session (`POST /voice/v1/sessions/{id}/end`): its body and URL. The body always
//! carries `audio_files_sent` (older deployments require it) and `audio_files_uploaded`.

use super::error::Error;
use super::json::JsonObject;
use super::ops::{op_url, Op};
use super::url::BaseUrl;
use alloc::string::String;

/// `POST {base}/voice/v1/sessions/{id}/end`.
///
/// ```
/// use eka_voice::proto::{end_url, BaseUrl};
/// assert_eq!(end_url(&BaseUrl::default(), "a/b").unwrap(), "https://api.eka.care/voice/v1/sessions/a%2Fb/end");
/// assert!(end_url(&BaseUrl::default(), ".").is_err());
/// ```
pub fn end_url(base: &BaseUrl, session_id: &str) -> Result<String, Error> {
    op_url(base, Op::EndSession, &[session_id])
}

/// The counts End Session reports: the caller's (`audioFilesSent`, `audioFilesUploaded`), else
/// what this client `known`s of the session's uploads (its ledger: sent, uploaded). A
/// missing `uploaded` is the known one, else `sent`. Without `sent` for a session the
/// client did not upload to, there is nothing to report: `invalid_argument`.
///
/// ```
/// use eka_voice::proto::end_counts;
/// assert_eq!(end_counts(None, None, Some((3, 2))).unwrap(), (3, 2));
/// assert_eq!(end_counts(Some(4), None, Some((3, 2))).unwrap(), (4, 2));
/// assert_eq!(end_counts(Some(4), None, None).unwrap(), (4, 4));
/// assert_eq!(end_counts(None, Some(1), Some((3, 2))).unwrap(), (3, 1));
/// assert!(end_counts(None, Some(1), None).is_err());
/// ```
pub fn end_counts(
    sent: Option<u32>,
    uploaded: Option<u32>,
    known: Option<(u32, u32)>,
) -> Result<(u32, u32), Error> {
    match (sent, known) {
        (Some(s), known) => Ok((s, uploaded.or(known.map(|k| k.1)).unwrap_or(s))),
        (None, Some((ks, ku))) => Ok((ks, uploaded.unwrap_or(ku))),
        (None, None) => Err(Error::invalid_argument(
            "audioFilesSent is required for a session this client did not upload to",
        )),
    }
}

/// The End Session body: `{"audio_files_sent": n, "audio_files_uploaded": m}`.
///
/// ```
/// assert_eq!(eka_voice::proto::end_body(3, 2), r#"{"audio_files_sent":3,"audio_files_uploaded":2}"#);
/// ```
pub fn end_body(sent: u32, uploaded: u32) -> String {
    let mut o = JsonObject::new();
    o.number("audio_files_sent", u64::from(sent));
    o.number("audio_files_uploaded", u64::from(uploaded));
    o.finish()
}
