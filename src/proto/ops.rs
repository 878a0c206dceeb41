//! The operation table: every operation of the Voice API (the provider's OpenAPI document,
//! 18 operations) as ONE row of data — its method, its path, the query parameters it takes,
//! what its body is, whether it carries the token, whether a transient failure is retried,
//! and whether a page may send it through `voiceProxy`. URLs are built from the rows
//! ([`op_url`]); the proxy matches a page's request against them ([`match_op`]). Adding an
//! operation is adding a row (and its types, its simulator route and its tests). Three rows
//! are not the document's operations: the presigned storage upload, and the auth API's
//! login and token refresh (client credentials, servers only: `ClientCredentials` performs
//! them through the same driver, with the same retries).

use super::error::{Error, ErrorCode};
use super::url::{check_session_id, push_encoded, BaseUrl, Filter};
use alloc::string::String;

/// An operation of the Voice API (plus the presigned storage upload and the auth API's
/// two, which are not its).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Op {
    /// `GET /voice/v1/.well-known/medscribealliance`: the service's capabilities.
    Discovery,
    /// `POST /voice/v1/sessions`.
    CreateSession,
    /// `POST /voice/v1/sessions/{id}/audio/audio_<n>.<ext>` with the raw audio (or the
    /// session's own `upload_url`).
    UploadAudio,
    /// The multipart POST to a presigned storage URL (no token; not the API's).
    PresignedUpload,
    /// `GET /voice/v1/sessions/{id}/audio`: a presigned URL of the whole recording.
    GetSessionAudio,
    /// `PATCH /voice/v1/sessions/{id}`.
    UpdateSession,
    /// `GET /voice/v1/sessions/{id}`.
    GetSession,
    /// `POST /voice/v1/sessions/{id}/end`.
    EndSession,
    /// `POST /voice/v1/sessions/{id}/process/template/{template_id}`.
    ProcessTemplate,
    /// `POST /voice/api/v1/transaction/{id}/convert-to-template`.
    UploadTranscript,
    /// `POST /voice/api/v1/template`.
    CreateTemplate,
    /// `GET /voice/api/v1/template`.
    ListTemplates,
    /// `PATCH /voice/api/v1/template/{template_id}`.
    UpdateTemplate,
    /// `DELETE /voice/api/v1/template/{template_id}`.
    DeleteTemplate,
    /// `POST /voice/api/v1/documents` (create or update).
    SaveDocument,
    /// `GET /voice/api/v1/documents/{document_id}`.
    GetDocument,
    /// `DELETE /voice/api/v1/documents/{document_id}`.
    DeleteDocument,
    /// `GET /voice/api/v1/sessions/{id}`: the documents of a session.
    ListSessionDocuments,
    /// `GET /voice/api/v2/transaction/history`: past sessions, newest first.
    GetSessions,
    /// `POST /connect-auth/v1/account/login`: tokens for client credentials.
    Login,
    /// `POST /connect-auth/v1/account/refresh-token`: fresh tokens for a refresh token
    /// (the access token as bearer, and a `Client-Id` header).
    RefreshToken,
}

/// The login endpoint, under the base URL.
pub const LOGIN_PATH: &str = "/connect-auth/v1/account/login";

/// The refresh endpoint, under the base URL.
pub const REFRESH_PATH: &str = "/connect-auth/v1/account/refresh-token";

/// What an operation's request body is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Body {
    /// No body.
    None,
    /// A JSON object (`Content-Type: application/json`).
    Json,
    /// Raw audio bytes (no `Content-Type`: the service reads the file name's extension).
    Audio,
    /// A multipart form (a presigned upload).
    Form,
}

/// One row of the table: see the module docs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OpRow {
    /// The operation.
    pub op: Op,
    /// The client's method that performs it (the JS name; the Rust one is its snake_case).
    pub name: &'static str,
    /// The HTTP method.
    pub method: &'static str,
    /// The path under the base URL; `{…}` segments are its parameters, in order.
    pub path: &'static str,
    /// The query parameters it takes.
    pub query: &'static [&'static str],
    /// Its body.
    pub body: Body,
    /// Whether it carries the bearer token (Discovery is public; storage never gets it).
    pub auth: bool,
    /// Whether a transient failure (network, 408, 429, 5xx) is retried: the idempotent
    /// operations, and the lifecycle's POSTs whose repeat the service tells apart (a
    /// chunk's number, End's counts, a Create that is keyed or checked). A POST that makes
    /// something new each time (Process Template, a template, a document) is not: its
    /// failure is the caller's to judge.
    pub retry: bool,
    /// Whether a page may send it through `voiceProxy`.
    pub page: bool,
    /// Whether its answer names a document (`document_id`) that the call then waits for,
    /// polling Get Session `?document_id=` as `pollSession` does (Process Template, Upload
    /// Transcript: both answer 202 while the document is generated).
    pub waits: bool,
    /// What a 404 to it means when the provider's document says it means "there is
    /// nothing" (Get Sessions: "No sessions found"): the JSON answer the call resolves with
    /// instead — an empty list, not a `not_found` error, since a patient's first visit
    /// has no history. (`http_status` stays the service's 404.)
    pub none: Option<&'static str>,
}

/// Get Sessions' answer when the service has none (its 404 "No sessions found"): the
/// document's 200 shape with an empty list.
pub const NO_SESSIONS: &str = r#"{"status":"success","data":[],"retrieved_count":0}"#;

/// A row's flags: a transient failure is retried ([`OpRow::retry`]).
const RETRY: u8 = 1;
/// A row's flags: a page may send it through the proxy ([`OpRow::page`]).
const PAGE: u8 = 2;
/// A row's flags: the call waits for the document its answer names ([`OpRow::waits`]).
const WAIT: u8 = 4;

const fn row(
    op: Op,
    name: &'static str,
    method: &'static str,
    path: &'static str,
    query: &'static [&'static str],
    body: Body,
    flags: u8,
) -> OpRow {
    OpRow {
        op,
        name,
        method,
        path,
        query,
        body,
        // The auth API's rows carry the credentials' own bearer (a refresh), not the client's.
        auth: !matches!(
            op,
            Op::Discovery | Op::PresignedUpload | Op::Login | Op::RefreshToken
        ),
        retry: flags & RETRY != 0,
        page: flags & PAGE != 0,
        waits: flags & WAIT != 0,
        none: None,
    }
}

impl OpRow {
    /// The row with what its 404 means ([`OpRow::none`]).
    const fn none_is(mut self, answer: &'static str) -> OpRow {
        self.none = Some(answer);
        self
    }
}

/// Every operation, in the order of the provider's document (and the presigned upload,
/// whose URL is the session's; then the auth API's login and refresh).
#[rustfmt::skip]
pub const OPS: [OpRow; 21] = [
    row(Op::Discovery, "getDiscovery", "GET", "/voice/v1/.well-known/medscribealliance", &[], Body::None, RETRY),
    row(Op::CreateSession, "createSession", "POST", "/voice/v1/sessions", &["version"], Body::Json, RETRY | PAGE),
    row(Op::UploadAudio, "uploadAudio", "POST", "/voice/v1/sessions/{session_id}/audio/{file}", &[], Body::Audio, RETRY | PAGE),
    row(Op::PresignedUpload, "uploadAudio", "POST", "", &[], Body::Form, RETRY),
    row(Op::GetSessionAudio, "getSessionAudio", "GET", "/voice/v1/sessions/{session_id}/audio", &[], Body::None, RETRY),
    row(Op::UpdateSession, "updateSession", "PATCH", "/voice/v1/sessions/{session_id}", &[], Body::Json, RETRY),
    row(Op::GetSession, "getSession", "GET", "/voice/v1/sessions/{session_id}", &["template_id", "document_id"], Body::None, RETRY | PAGE),
    row(Op::EndSession, "endSession", "POST", "/voice/v1/sessions/{session_id}/end", &[], Body::Json, RETRY | PAGE),
    row(Op::ProcessTemplate, "processTemplate", "POST", "/voice/v1/sessions/{session_id}/process/template/{template_id}", &[], Body::None, WAIT),
    row(Op::UploadTranscript, "uploadTranscript", "POST", "/voice/api/v1/transaction/{session_id}/convert-to-template", &[], Body::Json, WAIT),
    row(Op::CreateTemplate, "createTemplate", "POST", "/voice/api/v1/template", &[], Body::Json, 0),
    row(Op::ListTemplates, "listTemplates", "GET", "/voice/api/v1/template", &[], Body::None, RETRY),
    row(Op::UpdateTemplate, "updateTemplate", "PATCH", "/voice/api/v1/template/{template_id}", &[], Body::Json, RETRY),
    row(Op::DeleteTemplate, "deleteTemplate", "DELETE", "/voice/api/v1/template/{template_id}", &[], Body::None, RETRY),
    row(Op::SaveDocument, "saveDocument", "POST", "/voice/api/v1/documents", &[], Body::Json, 0),
    row(Op::GetDocument, "getDocument", "GET", "/voice/api/v1/documents/{document_id}", &[], Body::None, RETRY),
    row(Op::DeleteDocument, "deleteDocument", "DELETE", "/voice/api/v1/documents/{document_id}", &[], Body::None, RETRY),
    row(Op::ListSessionDocuments, "listSessionDocuments", "GET", "/voice/api/v1/sessions/{session_id}", &[], Body::None, RETRY),
    row(Op::GetSessions, "getSessions", "GET", "/voice/api/v2/transaction/history", &["count", "oid"], Body::None, RETRY).none_is(NO_SESSIONS),
    // Retried: a login repeated gives another token; a refresh whose answer was lost is
    // refused when repeated (its refresh token is single-use), and the credentials log in.
    row(Op::Login, "getToken", "POST", LOGIN_PATH, &[], Body::Json, RETRY),
    row(Op::RefreshToken, "getToken", "POST", REFRESH_PATH, &[], Body::Json, RETRY),
];

/// The operations performed by methods of their own (the lifecycle's: `createSession`,
/// `uploadAudio`, `getSession` / `pollSession`, `endSession`; `ClientCredentials.getToken`),
/// whose arguments are not the table's generic shape; every other row is performed by the
/// client's one driver (`client.call`), one JS method per row ([`operations_js`]).
pub const OWN_METHODS: [Op; 7] = [
    Op::CreateSession,
    Op::UploadAudio,
    Op::PresignedUpload,
    Op::GetSession,
    Op::EndSession,
    Op::Login,
    Op::RefreshToken,
];

/// The text of `pkg-template/js/ops.js`: `[name, index, path parameters, JSON body]` of each
/// operation the client's one driver performs (not the lifecycle's own, [`OWN_METHODS`]).
#[cfg(any(not(target_arch = "wasm32"), doc))]
pub fn operations_js() -> String {
    let mut s = String::from(
        "// GENERATED from src/proto/ops.rs by `cargo run --example seam` (checked by\n\
         // tests/seam_files.rs): do not edit. One method of VoiceClient per row of the\n\
         // operation table that the client's one driver performs (`call`).\n\n\
         /** [method, row, path parameters, has a JSON body] */\n\
         export const OPERATIONS = [\n",
    );
    for (i, r) in OPS.iter().enumerate() {
        if OWN_METHODS.contains(&r.op) {
            continue;
        }
        let params = r.params();
        let body = u8::from(r.body == Body::Json);
        s.push_str(&alloc::format!(
            "  ['{}', {i}, {params}, {body}],\n",
            r.name
        ));
    }
    s.push_str("];\n");
    s
}

impl OpRow {
    /// How many path parameters it takes (its `{…}` segments).
    ///
    /// ```
    /// use eka_voice::proto::Op;
    /// assert_eq!(Op::ProcessTemplate.row().params(), 2);
    /// assert_eq!(Op::ListTemplates.row().params(), 0);
    /// ```
    pub fn params(&self) -> usize {
        self.path.matches('{').count()
    }

    /// Whether it concerns a session: its path has `{session_id}` (then its first parameter).
    ///
    /// ```
    /// use eka_voice::proto::Op;
    /// assert!(Op::UploadTranscript.row().about_session());
    /// assert!(!Op::GetDocument.row().about_session());
    /// ```
    pub fn about_session(&self) -> bool {
        self.path.split('/').any(|s| s == "{session_id}")
    }
}

impl Op {
    /// Its row of [`OPS`].
    ///
    /// ```
    /// use eka_voice::proto::Op;
    /// assert_eq!(Op::ProcessTemplate.row().method, "POST");
    /// assert!(!Op::Discovery.row().auth);
    /// ```
    pub fn row(self) -> &'static OpRow {
        &OPS[self as usize]
    }

    /// Whether the request carries the bearer token (and so whether a 401 may refresh
    /// it): every call to the API but Discovery does; a presigned storage upload never
    /// does — the token never goes to a storage origin.
    ///
    /// ```
    /// use eka_voice::proto::Op;
    /// assert!(Op::UploadAudio.sends_token());
    /// assert!(!Op::PresignedUpload.sends_token());
    /// ```
    pub fn sends_token(self) -> bool {
        self.row().auth
    }

    /// The client's method that performs it (`getSession`, `uploadAudio` — a presigned
    /// upload too —, …).
    ///
    /// ```
    /// assert_eq!(eka_voice::proto::Op::EndSession.name(), "endSession");
    /// ```
    pub fn name(self) -> &'static str {
        self.row().name
    }
}

/// A path parameter: a non-empty value that a URL would not resolve away (`.`, `..`).
fn check_param(name: &str, value: &str) -> Result<(), Error> {
    if name == "session_id" {
        return check_session_id(value);
    }
    if value.trim().is_empty() || value == "." || value == ".." {
        let mut m = String::from(name);
        m.push_str(" must be a non-empty string (not `.` or `..`)");
        return Err(Error::invalid_argument(m));
    }
    Ok(())
}

/// The URL of `op` under `base`: its path with `params` in its `{…}` segments, in order,
/// each checked and percent-encoded as one segment (a missing one is `invalid_argument`).
///
/// ```
/// use eka_voice::proto::{op_url, BaseUrl, Op};
/// let b = BaseUrl::default();
/// assert_eq!(
///     op_url(&b, Op::ProcessTemplate, &["s/1", "notes"]).unwrap(),
///     "https://api.eka.care/voice/v1/sessions/s%2F1/process/template/notes"
/// );
/// assert!(op_url(&b, Op::GetDocument, &[".."]).is_err());
/// ```
pub fn op_url(base: &BaseUrl, op: Op, params: &[&str]) -> Result<String, Error> {
    let path = op.row().path;
    let mut url = String::with_capacity(base.as_str().len() + path.len() + 32);
    url.push_str(base.as_str());
    let mut values = params.iter();
    let mut rest = path;
    // (split_once, not slicing: nothing here can panic, and no panic message is linked in)
    while let Some((before, after)) = rest.split_once('{') {
        url.push_str(before);
        let (name, tail) = after.split_once('}').unwrap_or((after, ""));
        let value = values.next().copied().unwrap_or("");
        check_param(name, value)?;
        push_encoded(&mut url, value);
        rest = tail;
    }
    url.push_str(rest);
    Ok(url)
}

/// `GET {base}/voice/v1/sessions/{id}[?template_id=… | ?document_id=…]`.
///
/// ```
/// use eka_voice::proto::{session_url, BaseUrl, Filter};
/// let b = BaseUrl::default();
/// assert_eq!(
///     session_url(&b, "a/b?c", Filter::Template("t 1")).unwrap(),
///     "https://api.eka.care/voice/v1/sessions/a%2Fb%3Fc?template_id=t%201"
/// );
/// assert!(session_url(&b, "..", Filter::None).is_err());
/// ```
pub fn session_url(base: &BaseUrl, session_id: &str, filter: Filter<'_>) -> Result<String, Error> {
    let mut url = op_url(base, Op::GetSession, &[session_id])?;
    match filter {
        Filter::None => {}
        Filter::Template(t) => {
            url.push_str("?template_id=");
            push_encoded(&mut url, t);
        }
        Filter::Document(d) => {
            url.push_str("?document_id=");
            push_encoded(&mut url, d);
        }
    }
    Ok(url)
}

/// The row whose method and path a request has, and its path parameters (still
/// percent-encoded, in order); or the refusal: 404 when no row has the path, 405 when one
/// has it with another method. Only rows `page` is true for are looked at when `page`.
///
/// ```
/// use eka_voice::proto::{match_op, Op};
/// let (row, params) = match_op("POST", "/voice/v1/sessions/s1/end", true).unwrap();
/// assert_eq!((row.op, params.as_slice()), (Op::EndSession, ["s1"].as_slice()));
/// assert_eq!(match_op("DELETE", "/voice/v1/sessions/s1", true).unwrap_err().status, Some(405));
/// assert_eq!(match_op("GET", "/voice/api/v1/template", true).unwrap_err().status, Some(404));
/// ```
pub fn match_op<'p>(
    method: &str,
    path: &'p str,
    page: bool,
) -> Result<(&'static OpRow, alloc::vec::Vec<&'p str>), Error> {
    let mut found_path = false;
    for r in OPS
        .iter()
        .filter(|r| !r.path.is_empty() && (r.page || !page))
    {
        let Some(params) = match_path(r.path, path) else {
            continue;
        };
        if r.method == method {
            return Ok((r, params));
        }
        found_path = true;
    }
    let (status, code, what) = if found_path {
        (405, ErrorCode::BadRequest, "method not allowed")
    } else {
        (404, ErrorCode::NotFound, "not an operation this forwards")
    };
    Err(Error::new(code, what).with_status(status))
}

/// The values of `pattern`'s `{…}` segments in `path`, when it has the same segments.
fn match_path<'p>(pattern: &str, path: &'p str) -> Option<alloc::vec::Vec<&'p str>> {
    let mut params = alloc::vec::Vec::new();
    let mut want = pattern.split('/');
    let mut have = path.split('/');
    loop {
        match (want.next(), have.next()) {
            (None, None) => return Some(params),
            (Some(w), Some(h)) if w.starts_with('{') && !h.is_empty() => params.push(h),
            (Some(w), Some(h)) if w == h => {}
            _ => return None,
        }
    }
}
