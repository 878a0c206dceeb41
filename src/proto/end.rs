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
