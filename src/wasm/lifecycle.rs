//! The session lifecycle on top of the client: `createSession`, `uploadAudio` (raw and
//! presigned) and `endSession` (`transcribe` builds on them, in its own module). Every
//! decision (bodies, names, URLs, the origin rule, counts, "may we go on") is the core's
//! ([`crate::proto::create`], [`crate::proto::upload`], [`crate::proto::end`]); this
//! module performs the calls.

use alloc::string::String;
use js_sys::Reflect;
use wasm_bindgen::JsValue;

use super::abort::AbortWatch;
use super::chunk;
use super::client::{Call, Client};
use super::errors::Failure;
use super::js;
use super::options::{CallOptions, PollOptions, UploadOptions};
use super::sessions::target_of;
use crate::proto::{
    check_presigned_url, create_url, default_upload_url, end_body, end_url, presigned_fields,
    raw_upload_url, resolve_format, CreateSession, Error, Op, SessionState, Target, UploadLedger,
};

impl Client {
    /// `createSession`: resolves with the body as the API sent it plus `http_status`.
    pub async fn create(
        &self,
        req: &CreateSession,
        presigned: bool,
        call: &CallOptions,
        abort: &AbortWatch,
    ) -> Result<JsValue, Failure> {
        let body: JsValue = req
            .to_json()
            .map_err(|e| Failure::new(e, req.session_id.as_deref()))?
            .into();
        let url = create_url(self.base(), presigned);
        let created = self
            .post_json(&url, &body, Op::CreateSession, call, abort, "")
            .await?;
        let id = Reflect::get(&created, &"session_id".into())
            .ok()
            .and_then(|v| v.as_string())
            .unwrap_or_default();
        // A malformed `upload_url` is the service's fault: refused now rather than
        // silently replaced by the default endpoint at the first upload.
        let target =
            target_of(&Reflect::get(&created, &"upload_url".into()).unwrap_or(JsValue::UNDEFINED))
                .map_err(|e| Failure::api(e, created.clone(), Some(&id)))?;
        self.sessions().with(&id, |s| {
            *s = SessionState {
                target,
                ledger: UploadLedger::default(),
            }
        });
        Ok(created)
    }

    /// The session argument of `uploadAudio`: a session id, or a session object (its
    /// `session_id` and `upload_url`, each read once, now).
    pub fn upload_session(session: &JsValue) -> Result<(String, Option<Target>), Failure> {
        if let Some(id) = session.as_string() {
            return Ok((id, None));
        }
        let id = Reflect::get(session, &"session_id".into())
            .ok()
            .and_then(|v| v.as_string());
        let id = id.ok_or_else(|| {
            Failure::from(Error::invalid_argument(
                "session must be a session id or an object with a string `session_id`",
            ))
        })?;
        let t =
            target_of(&Reflect::get(session, &"upload_url".into()).unwrap_or(JsValue::UNDEFINED))
                .map_err(|e| Failure::new(e, Some(&id)))?;
        Ok((id, t))
    }

    /// `uploadAudio`: one chunk (taken when the call was made, see [`chunk::take`]),
    /// retried on transient failures: names it, sends it to the session's target (the
    /// given one, else the one Create Session answered, else the default endpoint), keeps
    /// the ledger.
    pub async fn upload(
        &self,
        id: &str,
        given_target: Option<Target>,
        chunk: Result<chunk::Taken, Error>,
        o: &UploadOptions,
        abort: &AbortWatch,
    ) -> Result<JsValue, Failure> {
        let invalid = |e: Error| Failure::new(e, Some(id));
        crate::proto::check_session_id(id).map_err(invalid)?;
        let c = chunk.map_err(invalid)?.read().await.map_err(invalid)?;
        let format =
            resolve_format(o.format.as_deref(), c.mime.as_deref(), &c.head).map_err(invalid)?;
        let (target, n, name) = self
            .sessions()
            .with(id, |state| {
                if given_target.is_some() {
                    state.target = given_target;
                }
                let target = match state.target.clone() {
                    Some(t) => t,
                    None => Target::Raw(default_upload_url(self.base(), id)?),
                };
                state
                    .ledger
                    .assign(o.index, format)
                    .map(|(n, name)| (target, n, name))
            })
            .map_err(invalid)?;
        let outcome = self
            .send_chunk(id, &target, &c, format, &name, &o.call, abort)
            .await;
        self.sessions().with(id, |state| match &outcome {
            Err(SendError::Refused(_)) => state.ledger.release(n),
            other => state.ledger.settle(&name, other.is_ok()),
        });
        let body = outcome.map_err(|e| match e {
            SendError::Refused(e) | SendError::Failed(e) => e,
        })?;
        let _ = Reflect::set(&body, &"file_name".into(), &JsValue::from_str(&name));
        let _ = Reflect::set(&body, &"index".into(), &JsValue::from(n));
        Ok(body)
    }

    #[allow(clippy::too_many_arguments)]
    async fn send_chunk(
        &self,
        id: &str,
        target: &Target,
        c: &chunk::Chunk,
        format: crate::proto::AudioFormat,
        name: &str,
        call: &CallOptions,
        abort: &AbortWatch,
    ) -> Result<JsValue, SendError> {
        let refused = |e: Error| SendError::Refused(Failure::new(e, Some(id)));
        let (url, body, op, auth) = match target {
            Target::Raw(upload_url) => {
                let url = raw_upload_url(self.base(), upload_url, name).map_err(refused)?;
                (url, c.body.clone(), Op::UploadAudio, true)
            }
            Target::Presigned { url, fields } => {
                check_presigned_url(url).map_err(refused)?;
                let flat = js_sys::Array::new();
                for (k, v) in presigned_fields(fields, name, format) {
                    flat.push(&JsValue::from(k));
                    flat.push(&JsValue::from(v));
                }
                let form = js::presigned_form(&flat, &c.body, format.mime(), name)
                    .map_err(|thrown| SendError::Failed(Failure::Thrown(thrown)))?;
                (url.clone(), form, Op::PresignedUpload, false)
            }
        };
        let call_desc = Call {
            method: "POST",
            url: &url,
            body: Some(&body),
            json: false,
            auth,
        };
        self.execute(
            &call_desc,
            self.config(&PollOptions::from(call.clone()), op, false),
            abort,
            id,
            &|_| Ok(()),
        )
        .await
        .map_err(SendError::Failed)
    }

    /// `endSession`: reports the counts (given, else this client's own for the session).
    pub async fn end(
        &self,
        id: &str,
        sent: Option<u32>,
        uploaded: Option<u32>,
        call: &CallOptions,
        abort: &AbortWatch,
    ) -> Result<JsValue, Failure> {
        crate::proto::check_session_id(id).map_err(|e| Failure::new(e, Some(id)))?;
        let known = self.sessions().peek(id, |s| s.ledger.end_counts());
        let (sent, uploaded) =
            match (sent, uploaded, known) {
                (Some(s), u, known) => (s, u.or(known.map(|k| k.1)).unwrap_or(s)),
                (None, u, Some((ks, ku))) => (ks, u.unwrap_or(ku)),
                (None, _, None) => return Err(Failure::new(
                    Error::invalid_argument(
                        "audioFilesSent is required for a session this client did not upload to",
                    ),
                    Some(id),
                )),
            };
        let body: JsValue = end_body(sent, uploaded).into();
        let url = end_url(self.base(), id).map_err(|e| Failure::new(e, Some(id)))?;
        let ended = self
            .post_json(&url, &body, Op::EndSession, call, abort, id)
            .await?;
        self.sessions().remove(id);
        Ok(ended)
    }
}

impl Client {
    /// `POST url` with a JSON body and the bearer token, under the call policy of `op`.
    async fn post_json(
        &self,
        url: &str,
        body: &JsValue,
        op: Op,
        call: &CallOptions,
        abort: &AbortWatch,
        session_id: &str,
    ) -> Result<JsValue, Failure> {
        let c = Call {
            method: "POST",
            url,
            body: Some(body),
            json: true,
            auth: true,
        };
        self.execute(
            &c,
            self.config(&PollOptions::from(call.clone()), op, false),
            abort,
            session_id,
            &|_| Ok(()),
        )
        .await
    }
}

/// Why a chunk was not uploaded.
enum SendError {
    /// Refused before sending (e.g. `upload_url` on another origin).
    Refused(Failure),
    /// Sent, and failed after the retries (or aborted).
    Failed(Failure),
}
