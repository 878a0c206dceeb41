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
use super::client::{Call, Client, Hooks};
use super::errors::Failure;
use super::js;
use super::options::{CallOptions, PollOptions, UploadOptions};
use super::sessions::target_of;
use crate::proto::{
    create_url, end_body, end_counts, end_url, CreateSession, Error, Op, SessionState, Target,
    UploadLedger, UploadPlan, UploadRequest,
};

/// A created session: the answer as the API sent it (plus `http_status`), its id and where
/// its audio goes (read once, here).
pub struct Created {
    /// The answer.
    pub body: JsValue,
    /// `session_id`.
    pub id: String,
    /// `upload_url`, when the answer had one.
    pub target: Option<Target>,
}

impl Client {
    /// `createSession`: resolves with the body as the API sent it plus `http_status`.
    pub async fn create(
        &self,
        req: &CreateSession,
        call: &CallOptions,
        abort: &AbortWatch,
    ) -> Result<Created, Failure> {
        // Against the kept Discovery answer, if any (no request of its own).
        let checked = self.discovery().check(req, super::client::now());
        checked.map_err(|e| Failure::new(e, req.session_id.as_deref()))?;
        let body: JsValue = req
            .to_json()
            .map_err(|e| Failure::new(e, req.session_id.as_deref()))?
            .into();
        let url = create_url(self.base(), req.presigned);
        let created = self
            .post_json(&url, &body, Op::CreateSession, call, abort, "")
            .await?;
        let id = Reflect::get(&created, &"session_id".into())
            .ok()
            .and_then(|v| v.as_string())
            .unwrap_or_default();
        // A malformed `upload_url` is the service's fault: refused now rather than
        // silently replaced by the default endpoint at the first upload.
        let target = target_of(&js::get(&created, "upload_url"))
            .map_err(|e| Failure::api(e, created.clone(), Some(&id)))?;
        self.sessions().with(&id, |s| {
            *s = SessionState {
                target: target.clone(),
                ledger: UploadLedger::default(),
            }
        });
        Ok(Created {
            body: created,
            id,
            target,
        })
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
            target_of(&js::get(session, "upload_url")).map_err(|e| Failure::new(e, Some(&id)))?;
        Ok((id, t))
    }

    /// `uploadAudio`: one chunk (taken when the call was made, see [`chunk::take`]),
    /// retried on transient failures. Its number is reserved before the chunk is read
    /// (calls made one after the other are numbered in call order:
    /// [`UploadLedger::reserve`]); the core plans it (format, name, target:
    /// [`SessionState::plan_reserved`]) and keeps the session's ledger; this sends it.
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
        let taken = chunk.map_err(invalid)?;
        let sessions = self.sessions();
        let n = sessions
            .with(id, |state| state.ledger.reserve(o.index))
            .map_err(invalid)?;
        let c = taken.read().await.map_err(|e| {
            sessions.with(id, |state| state.ledger.release(n));
            invalid(e)
        })?;
        let (format, mime) = (o.format.as_deref(), c.mime.as_deref());
        let plan = sessions
            .with(id, |state| {
                state.plan_reserved(self.base(), id, given_target, n, format, mime, &c.head)
            })
            .map_err(invalid)?;
        let outcome = self.send_planned(id, &plan, &c.body, &o.call, abort).await;
        self.sessions()
            .with(id, |state| state.settle(&plan, outcome.is_ok()));
        let body = outcome?;
        let _ = Reflect::set(&body, &"file_name".into(), &JsValue::from_str(&plan.name));
        let _ = Reflect::set(&body, &"index".into(), &JsValue::from(plan.n));
        Ok(body)
    }

    /// Sends a planned chunk (`body`: the taken chunk's bytes or Blob).
    pub async fn send_planned(
        &self,
        id: &str,
        plan: &UploadPlan,
        body: &JsValue,
        call: &CallOptions,
        abort: &AbortWatch,
    ) -> Result<JsValue, Failure> {
        let (url, body) = match &plan.request {
            UploadRequest::Raw { url } => (url, body.clone()),
            UploadRequest::Presigned {
                url,
                fields,
                object,
            } => {
                let flat = js_sys::Array::new();
                for (k, v) in fields {
                    flat.push(&JsValue::from(k));
                    flat.push(&JsValue::from(v));
                }
                let form = js::presigned_form(&flat, body, plan.format.mime(), object)
                    .map_err(Failure::Thrown)?;
                (url, form)
            }
        };
        let op = plan.request.op();
        let call_desc = Call {
            method: "POST",
            url,
            body: Some(&body),
            json: false,
            auth: op.sends_token(),
            cache_control: None,
            header: None,
        };
        let cfg = self.config(&PollOptions::from(call.clone()), op, false);
        let hooks = Hooks::retries_only(call.retries.on_retry.as_ref());
        self.execute(&call_desc, cfg, abort, id, &hooks).await
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
            end_counts(sent, uploaded, known).map_err(|e| Failure::new(e, Some(id)))?;
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
            cache_control: None,
            header: None,
        };
        let cfg = self.config(&PollOptions::from(call.clone()), op, false);
        let hooks = Hooks::retries_only(call.retries.on_retry.as_ref());
        self.execute(&c, cfg, abort, session_id, &hooks).await
    }
}
