//! The server entry's exports (`eka-voice/server`, feature `server`): `verifyWebhook`, and
//! what `handleWebhook` (pkg-template/js/server.js) asks the core: the answer to give
//! (`webhookAnswer`) and the table of sessions already handled (`SeenSessions`); and
//! `ClientCredentials`, the driver of the core's [`Credentials`] machine behind
//! `clientCredentials()`; and `ProxyRules`, the core's rules of `voiceProxy`.
//! The rules are the core's ([`proto::webhook`](crate::proto::webhook)); this layer reads
//! the caller's options (through `server.js`), parses the body as JSON (the platform does),
//! and hands the bytes to the core.

use alloc::rc::Rc;
use alloc::string::String;
use alloc::vec::Vec;
use core::cell::RefCell;

use js_sys::{Array, Promise, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

use super::abort::AbortWatch;
use super::api::VoiceClient;
use super::client::{now, Call, Client, Hooks};
use super::errors::Failure;
use super::js::get;
use super::options::{ClientOptions, PollOptions};
use crate::proto::{
    normalize_event, verify_delivery, webhook_answer, AuthAnswer, BaseUrl, CredentialStep,
    Credentials, Error, ErrorCode, Op, SeenSessions, WebhookEvent, AUTH_REQUEST_TIMEOUT_MS,
    AUTH_TIMEOUT_MS, DEFAULT_TOLERANCE_S, MAX_AUTH_ANSWER_BYTES, MAX_FIELD_CHARS,
};
use crate::proto::{proxy_route, proxy_upload_url, redact, refuses_token};

#[wasm_bindgen(module = "/src/wasm/server.js")]
extern "C" {
    #[wasm_bindgen(js_name = webhookInput, catch)]
    fn webhook_input(options: &JsValue) -> Result<Array, JsValue>;
    #[wasm_bindgen(js_name = parsePayload)]
    fn parse_payload(text: &str) -> JsValue;
    #[wasm_bindgen(js_name = readPath)]
    fn read_path(payload: &JsValue, path: &Array, max: u32) -> Option<String>;
    #[wasm_bindgen(js_name = webhookEvent)]
    fn webhook_event(
        event: &str,
        session_id: &str,
        status: Option<String>,
        event_time: Option<String>,
        raw: &JsValue,
    ) -> JsValue;
}

/// `verifyWebhook({ body, signature, signingKey, toleranceSec?, now? })`: resolves with
/// `{ event, sessionId, status?, eventTime?, raw }`, or rejects with `invalid_argument` (the
/// options, a malformed header), `invalid_signature`, `stale_signature` or
/// `invalid_response` (a signed payload of neither shape). The key is never in an error.
#[wasm_bindgen(js_name = verifyWebhook)]
pub fn verify_webhook(options: JsValue) -> Promise {
    match verify(&options) {
        Ok(event) => Promise::resolve(&event),
        Err(e) => Promise::reject(&Failure::new(e, None).into_js()),
    }
}

/// What a `server.js` option reader threw (a message) as the `invalid_argument` error.
fn refused(message: JsValue) -> Error {
    let why = message
        .as_string()
        .unwrap_or_else(|| String::from("options could not be read"));
    Error::new(ErrorCode::InvalidArgument, why)
}

fn verify(options: &JsValue) -> Result<JsValue, Error> {
    let input = webhook_input(options).map_err(refused)?;
    let body: Vec<u8> = Uint8Array::from(input.get(0)).to_vec();
    let text = input.get(1).as_string();
    let signature = input.get(2).as_string().unwrap_or_default();
    let key: Vec<u8> = Uint8Array::from(input.get(3)).to_vec();
    let tolerance = input
        .get(4)
        .as_f64()
        .map_or(DEFAULT_TOLERANCE_S, |t| t as u64);
    let now_s = (input.get(5).as_f64().unwrap_or(0.0) / 1000.0) as u64;

    // The order (header, raw bytes, the derived signed form, freshness) is the core's.
    let verified = verify_delivery(&body, text, &signature, &key, tolerance, now_s)?;
    // The payload the app gets: the signed bytes, parsed by the platform.
    let payload = verified
        .as_deref()
        .map_or(JsValue::UNDEFINED, parse_payload);
    let read = |path: &[&str]| {
        let keys: Array = path.iter().map(|k| JsValue::from_str(k)).collect();
        // One character more than the core keeps: it refuses what would have been cut.
        read_path(&payload, &keys, MAX_FIELD_CHARS as u32 + 1)
    };
    let WebhookEvent {
        event,
        session_id,
        status,
        event_time,
    } = normalize_event(&read)?;
    Ok(webhook_event(
        &event,
        &session_id,
        status,
        event_time,
        &payload,
    ))
}

/// `webhookAnswer(code?)`: the HTTP status a webhook receiver answers when verifying gave
/// the error `code` (none: verified); the table is [`webhook_answer`]'s.
#[wasm_bindgen(js_name = webhookAnswer)]
pub fn webhook_answer_js(code: Option<String>) -> u16 {
    match code {
        None => webhook_answer(None),
        Some(name) => webhook_answer(Some(
            ErrorCode::parse(&name).unwrap_or(ErrorCode::ServerError),
        )),
    }
}

/// The sessions a webhook receiver has handled (JS `SeenSessions`; the core's table).
#[wasm_bindgen(js_name = SeenSessions)]
pub struct JsSeenSessions(SeenSessions);

#[wasm_bindgen(js_class = SeenSessions)]
impl JsSeenSessions {
    /// `new SeenSessions(capacity)`: remembers the last `capacity` session ids.
    #[wasm_bindgen(constructor)]
    pub fn new(capacity: u32) -> JsSeenSessions {
        JsSeenSessions(SeenSessions::new(capacity as usize))
    }

    /// Whether `sessionId` is seen for the first time (and remembers it).
    pub fn first(&mut self, session_id: &str) -> bool {
        self.0.first(session_id)
    }
}

#[wasm_bindgen(module = "/src/wasm/server.js")]
extern "C" {
    #[wasm_bindgen(js_name = credentialsInput, catch)]
    fn credentials_input(options: &JsValue) -> Result<Array, JsValue>;
}

/// Tokens from client credentials (JS `clientCredentials(options)` wraps one: its
/// `getToken` is this object's). One request in flight however many callers wait.
#[wasm_bindgen(js_name = ClientCredentials)]
pub struct JsCredentials {
    machine: Rc<RefCell<Credentials>>,
    inflight: Rc<RefCell<Option<Promise>>>,
}

#[wasm_bindgen(js_class = ClientCredentials)]
impl JsCredentials {
    /// `new ClientCredentials({ clientId, clientSecret, baseUrl? })`; throws a
    /// `VoiceApiError` (`invalid_argument`) for bad options, or where a `document` exists.
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue) -> Result<JsCredentials, JsValue> {
        let machine = credentials(&options).map_err(|e| Failure::new(e, None).into_js())?;
        Ok(JsCredentials {
            machine: Rc::new(RefCell::new(machine)),
            inflight: Rc::new(RefCell::new(None)),
        })
    }

    /// A token: the cached one, or the one the login / refresh in flight will give.
    /// `refused`: the token the API refused (dropped when it is the cached one).
    #[wasm_bindgen(js_name = getToken)]
    pub fn get_token(&self, refused: Option<String>) -> Promise {
        if let Some(token) = refused {
            self.machine.borrow_mut().on_refused(&token);
        }
        if let CredentialStep::Use(token) = self.machine.borrow().next(now()) {
            return Promise::resolve(&JsValue::from(token));
        }
        if let Some(p) = self.inflight.borrow().as_ref() {
            return p.clone();
        }
        let (machine, inflight) = (self.machine.clone(), self.inflight.clone());
        let p = future_to_promise(async move {
            let token = obtain(&machine).await;
            inflight.borrow_mut().take();
            token.map(JsValue::from).map_err(Failure::into_js)
        });
        *self.inflight.borrow_mut() = Some(p.clone());
        p
    }
}

fn credentials(options: &JsValue) -> Result<Credentials, Error> {
    let input = credentials_input(options).map_err(refused)?;
    let base = match input.get(2).as_string() {
        Some(b) => BaseUrl::parse(&b)?,
        None => BaseUrl::default(),
    };
    let (id, secret) = (input.get(0).as_string(), input.get(1).as_string());
    Credentials::new(base, &id.unwrap_or_default(), &secret.unwrap_or_default())
}

/// Steps the machine until it hands out a token: a login, or a refresh (and a login when
/// the service refused the refresh).
async fn obtain(machine: &RefCell<Credentials>) -> Result<String, Failure> {
    loop {
        let step = machine.borrow().next(now());
        match step {
            CredentialStep::Use(token) => return Ok(token),
            CredentialStep::Login { url, body } => {
                let (status, answer) = auth_call(Op::Login, &url, &body, None, None).await?;
                return Ok(machine.borrow_mut().on_login(now(), status, &answer)?);
            }
            CredentialStep::Refresh {
                url,
                access_token,
                client_id,
                body,
            } => {
                let (bearer, id) = (Some(access_token), Some(client_id));
                let (status, answer) = auth_call(Op::RefreshToken, &url, &body, bearer, id).await?;
                if let Some(token) = machine.borrow_mut().on_refresh(now(), status, &answer)? {
                    return Ok(token);
                }
            }
        }
    }
}

/// One auth request through the client's driver, under the table's row for it: a
/// transient failure (network, 408, 429, 5xx) retried with backoff and `Retry-After`, an
/// answer over [`MAX_AUTH_ANSWER_BYTES`] refused unread, within the core's
/// [`AUTH_TIMEOUT_MS`] (each request [`AUTH_REQUEST_TIMEOUT_MS`]). The final answer — a
/// 2xx, or a 4xx the credentials machine judges — as its status and fields; a transient
/// failure that outlasted the retries as its error.
async fn auth_call(
    op: Op,
    url: &str,
    body: &str,
    bearer: Option<String>,
    client_id: Option<String>,
) -> Result<(u16, AuthAnswer), Failure> {
    let sends_bearer = bearer.is_some();
    let client = Client::new(ClientOptions {
        token: bearer,
        max_response_bytes: Some(MAX_AUTH_ANSWER_BYTES),
        ..Default::default()
    })?;
    let header = client_id.map(|id| JsValue::from(Array::of2(&"client-id".into(), &id.into())));
    let body = JsValue::from(body);
    let call = Call {
        method: "POST",
        url,
        body: Some(&body),
        json: true,
        auth: sends_bearer,
        cache_control: None,
        header: header.as_ref(),
    };
    let mut o = PollOptions::default();
    o.request.timeout_ms = Some(AUTH_TIMEOUT_MS);
    o.request.request_timeout_ms = Some(AUTH_REQUEST_TIMEOUT_MS);
    let cfg = client.config(&o, op, false);
    let abort = AbortWatch::new(None);
    let hooks = Hooks::retries_only(None);
    let (status, answer) = match client.execute(&call, cfg, &abort, "", &hooks).await {
        Ok(answer) => (200, answer),
        Err(Failure::Api(f)) => match f.error.status {
            Some(s @ 400..=499) => (s, f.body),
            _ => return Err(Failure::Api(f)),
        },
        Err(other) => return Err(other),
    };
    let status = match status {
        200 => get(&answer, "http_status")
            .as_f64()
            .map_or(200, |s| s as u16),
        _ => status,
    };
    let string = |p: &[&str]| {
        let (a, b) = (p.first().copied().unwrap_or(""), p.get(1).copied());
        super::js::field(&answer, a, b, None, MAX_TOKEN_CHARS)
    };
    let number = |k: &str| get(&answer, k).as_f64().filter(|n| n.is_finite());
    Ok((status, AuthAnswer::read(string, number)))
}

/// The longest token or message read from an auth answer.
const MAX_TOKEN_CHARS: u32 = 8192;

/// The browser proxy's decisions, for `voiceProxy` (server.js): the core's
/// [`proxy`](crate::proto::proxy) rules against one upstream.
#[wasm_bindgen(js_name = ProxyRules)]
pub struct ProxyRules {
    upstream: BaseUrl,
}

#[wasm_bindgen(js_class = ProxyRules)]
impl ProxyRules {
    /// Rules for the Voice API at `base_url` (default `https://api.eka.care`); throws
    /// `invalid_argument` for a base URL the client would refuse.
    #[wasm_bindgen(constructor)]
    pub fn new(base_url: Option<String>) -> Result<ProxyRules, JsValue> {
        let upstream = match base_url {
            Some(u) => BaseUrl::parse(&u),
            None => Ok(BaseUrl::default()),
        };
        let upstream = upstream.map_err(|e| Failure::new(e, None).into_js())?;
        Ok(ProxyRules { upstream })
    }

    /// `[upstreamUrl, operation, sessionId?]` for a page's request, or throws the refusal
    /// (a `VoiceApiError` whose `status` is the proxy's answer: 404, 405, 400).
    pub fn route(&self, method: &str, path: &str, query: &str) -> Result<Array, JsValue> {
        let r = proxy_route(&self.upstream, method, path, query)
            .map_err(|e| Failure::new(e, None).into_js())?;
        let id = r.session_id.map_or(JsValue::UNDEFINED, JsValue::from);
        Ok(Array::of3(&r.url.into(), &r.op.name().into(), &id))
    }

    /// A created session's string `upload_url` as the page must see it (under `public`, the
    /// proxy's own URL), or `undefined` to leave it.
    #[wasm_bindgen(js_name = uploadUrl)]
    pub fn upload_url(&self, upload_url: &str, public: &str) -> Option<String> {
        proxy_upload_url(upload_url, &self.upstream, public)
    }

    /// Whether an upstream answer (its status, its parsed body) refuses the token.
    #[wasm_bindgen(js_name = refusesToken)]
    pub fn refuses_token(status: u16, body: &JsValue) -> bool {
        refuses_token(status, super::fetch::facts_of(status, body).as_ref())
    }

    /// The largest body the proxy takes from a page (one audio chunk).
    #[wasm_bindgen(js_name = maxBodyBytes)]
    pub fn max_body_bytes() -> f64 {
        crate::proto::PROXY_MAX_BODY_BYTES as f64
    }

    /// The largest answer of the Voice API the proxy reads (the client's default cap).
    #[wasm_bindgen(js_name = maxAnswerBytes)]
    pub fn max_answer_bytes() -> f64 {
        crate::proto::DEFAULT_MAX_RESPONSE_BYTES as f64
    }

    /// `text` without the token (the client's redaction rule), for an answer handed back.
    pub fn redact(text: String, token: Option<String>) -> String {
        redact(&text, token.as_deref()).unwrap_or(text)
    }
}

#[wasm_bindgen]
impl VoiceClient {
    /// `client.setRequestBudget(perSecond)`: from now on all requests of this client share
    /// a budget of `perSecond` requests a second (0: no budget).
    #[wasm_bindgen(js_name = setRequestBudget)]
    pub fn set_request_budget(&self, per_second: u32) {
        let budget = (per_second > 0).then(|| crate::proto::RequestBudget::new(per_second));
        *self.client_ref().budget().borrow_mut() = budget;
    }
}
