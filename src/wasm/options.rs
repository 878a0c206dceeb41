//! Reads camelCase JS option objects into the Rust option structs, checking every type:
//! a wrong type is an `invalid_argument` error naming the option (never its value, which
//! could be a token).

use alloc::{string::String, vec, vec::Vec};
use js_sys::{Function, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::AbortSignal;

use crate::proto::Error;

/// Options of a [`Client`](super::client::Client) (JS: `{ baseUrl?, token?, getToken? }`).
#[derive(Clone, Debug, Default)]
pub struct ClientOptions {
    /// Base URL of the API; default `https://api.eka.care`. `https://` unless loopback.
    pub base_url: Option<String>,
    /// A bearer token.
    pub token: Option<String>,
    /// `() => string | Promise<string>`: asked before the first request when there is
    /// no `token`, and again (once) after a 401.
    pub get_token: Option<Function>,
}

/// Options of one `pollSession` / `getSession` call (JS: camelCase names).
#[derive(Clone, Debug, Default)]
pub struct PollOptions {
    /// `templateId`: sends `?template_id=`.
    pub template_id: Option<String>,
    /// `documentId`: sends `?document_id=` (not with `templateId`).
    pub document_id: Option<String>,
    /// `intervalMs` (default 1000): minimum time between the starts of two requests.
    pub interval_ms: Option<u64>,
    /// `timeoutMs` (default 600 000): deadline of the whole call.
    pub timeout_ms: Option<u64>,
    /// `requestTimeoutMs` (default 30 000): aborts one hanging request (transient).
    pub request_timeout_ms: Option<u64>,
    /// `signal`: aborting rejects at once with `signal.reason`.
    pub signal: Option<AbortSignal>,
    /// `onProgress(snapshot)`: called with each 202 body.
    pub on_progress: Option<Function>,
    /// `maxRetries` (default 5): consecutive transient failures tolerated.
    pub max_retries: Option<u32>,
}

/// A JS options object (`undefined` / `null` read as empty).
pub struct Reader {
    obj: Option<Object>,
}

fn bad(key: &str, what: &str) -> Error {
    let mut m = String::with_capacity(key.len() + what.len() + 8);
    m.push('`');
    m.push_str(key);
    m.push_str("` must be ");
    m.push_str(what);
    Error::invalid_argument(m)
}

impl Reader {
    /// Wraps `v`, which must be an object, `undefined` or `null`.
    pub fn new(v: &JsValue) -> Result<Reader, Error> {
        if v.is_undefined() || v.is_null() {
            return Ok(Reader { obj: None });
        }
        match v.dyn_ref::<Object>() {
            Some(o) if !v.is_function() => Ok(Reader {
                obj: Some(o.clone()),
            }),
            _ => Err(Error::invalid_argument("options must be an object")),
        }
    }

    /// The value under `key`, `None` when absent, `undefined` or `null`.
    fn raw(&self, key: &str) -> Result<Option<JsValue>, Error> {
        let Some(o) = &self.obj else { return Ok(None) };
        let v = Reflect::get(o, &JsValue::from_str(key)).map_err(|_| bad(key, "readable"))?;
        Ok((!v.is_undefined() && !v.is_null()).then_some(v))
    }

    /// A string option.
    pub fn string(&self, key: &str) -> Result<Option<String>, Error> {
        self.raw(key)?
            .map(|v| v.as_string().ok_or_else(|| bad(key, "a string")))
            .transpose()
    }

    /// A duration in milliseconds: a number ≥ `min` (`Infinity` means "no limit").
    pub fn millis(&self, key: &str, min: f64) -> Result<Option<u64>, Error> {
        self.raw(key)?
            .map(|v| match v.as_f64() {
                Some(n) if n == f64::INFINITY => Ok(u64::MAX),
                Some(n) if n.is_finite() && n >= min => Ok(ceil_ms(n)),
                _ => Err(bad(
                    key,
                    if min > 0.0 {
                        "a positive number of milliseconds"
                    } else {
                        "a non-negative number of milliseconds"
                    },
                )),
            })
            .transpose()
    }

    /// A non-negative integer.
    pub fn count(&self, key: &str) -> Result<Option<u32>, Error> {
        self.raw(key)?
            .map(|v| match v.as_f64() {
                Some(n) if n >= 0.0 && n <= f64::from(u32::MAX) && f64::from(n as u32) == n => {
                    Ok(n as u32)
                }
                _ => Err(bad(key, "a non-negative integer")),
            })
            .transpose()
    }

    /// A function.
    pub fn function(&self, key: &str) -> Result<Option<Function>, Error> {
        self.raw(key)?
            .map(|v| v.dyn_into::<Function>().map_err(|_| bad(key, "a function")))
            .transpose()
    }

    /// An `AbortSignal` (checked by shape, so that signals of other realms pass).
    pub fn signal(&self, key: &str) -> Result<Option<AbortSignal>, Error> {
        self.raw(key)?
            .map(|v| {
                let ok = Reflect::get(&v, &"aborted".into())
                    .map(|a| a.as_bool().is_some())
                    .unwrap_or(false)
                    && Reflect::get(&v, &"addEventListener".into())
                        .map(|f| f.is_function())
                        .unwrap_or(false);
                if ok {
                    Ok(v.unchecked_into::<AbortSignal>())
                } else {
                    Err(bad(key, "an AbortSignal"))
                }
            })
            .transpose()
    }
}

/// `{ baseUrl?, token?, getToken? }`.
pub fn client_options(r: &Reader) -> Result<ClientOptions, Error> {
    Ok(ClientOptions {
        base_url: r.string("baseUrl")?,
        token: r.string("token")?,
        get_token: r.function("getToken")?,
    })
}

/// `{ templateId?, documentId?, intervalMs?, timeoutMs?, requestTimeoutMs?, signal?,
/// onProgress?, maxRetries? }`.
pub fn poll_options(r: &Reader) -> Result<PollOptions, Error> {
    Ok(PollOptions {
        on_progress: r.function("onProgress")?,
        ..poll_options_without_progress(r)?
    })
}

/// The poll options but `onProgress` (which `transcribe` uses for its own events).
pub fn poll_options_without_progress(r: &Reader) -> Result<PollOptions, Error> {
    Ok(PollOptions {
        template_id: r.string("templateId")?,
        document_id: r.string("documentId")?,
        interval_ms: r.millis("intervalMs", 0.0)?,
        timeout_ms: r.millis("timeoutMs", 0.0)?,
        request_timeout_ms: r.millis("requestTimeoutMs", 1.0)?,
        signal: r.signal("signal")?,
        on_progress: None,
        max_retries: r.count("maxRetries")?,
    })
}

impl Reader {
    /// An array of strings (a single string counts as a one-element array when
    /// `allow_single`).
    pub fn strings(&self, key: &str, allow_single: bool) -> Result<Option<Vec<String>>, Error> {
        let Some(v) = self.raw(key)? else {
            return Ok(None);
        };
        if allow_single {
            if let Some(s) = v.as_string() {
                return Ok(Some(vec![s]));
            }
        }
        let arr = v
            .dyn_ref::<js_sys::Array>()
            .ok_or_else(|| bad(key, "an array of strings"))?;
        arr.iter()
            .map(|x| x.as_string().ok_or_else(|| bad(key, "an array of strings")))
            .collect::<Result<Vec<_>, _>>()
            .map(Some)
    }

    /// A boolean.
    pub fn boolean(&self, key: &str) -> Result<Option<bool>, Error> {
        self.raw(key)?
            .map(|v| v.as_bool().ok_or_else(|| bad(key, "a boolean")))
            .transpose()
    }

    /// A plain object as JSON text, and whether it has the key `reserved`.
    pub fn json_object(&self, key: &str, reserved: &str) -> Result<Option<(String, bool)>, Error> {
        let Some(v) = self.raw(key)? else {
            return Ok(None);
        };
        if !v.is_object() || js_sys::Array::is_array(&v) || v.is_function() {
            return Err(bad(key, "a plain object"));
        }
        let json = js_sys::JSON::stringify(&v)
            .ok()
            .and_then(|s| s.as_string())
            .ok_or_else(|| bad(key, "serialisable as JSON"))?;
        let has = Reflect::has(&v, &JsValue::from_str(reserved)).unwrap_or(false);
        Ok(Some((json, has)))
    }

    /// A positive integer.
    pub fn positive(&self, key: &str) -> Result<Option<u32>, Error> {
        match self.count(key)? {
            Some(0) => Err(bad(key, "a positive integer")),
            other => Ok(other),
        }
    }
}

/// The Create Session options: `{ templates?, uploadType?, model?, languageHint?,
/// transcriptLanguage?, sessionMode?, patientDetails?, additionalData?, sessionId? }`.
pub fn create_options(r: &Reader) -> Result<crate::proto::CreateSession, Error> {
    let additional = r.json_object("additionalData", "_protocol")?;
    Ok(crate::proto::CreateSession {
        upload_type: r
            .string("uploadType")?
            .map(|t| crate::proto::UploadType::parse(&t))
            .transpose()?
            .unwrap_or_default(),
        templates: r.strings("templates", false)?,
        model: r.string("model")?,
        language_hint: r.strings("languageHint", true)?,
        transcript_language: r.string("transcriptLanguage")?,
        session_mode: r.string("sessionMode")?,
        patient_details_json: r.json_object("patientDetails", "")?.map(|(j, _)| j),
        additional_data_has_protocol: additional.as_ref().is_some_and(|(_, has)| *has),
        additional_data_json: additional.map(|(j, _)| j),
        session_id: r.string("sessionId")?,
    })
}

/// `n` (finite, ≥ 0) rounded up to whole milliseconds, saturating (`f64::ceil` is not in
/// `core`).
fn ceil_ms(n: f64) -> u64 {
    let whole = n as u64;
    if (whole as f64) < n {
        whole.saturating_add(1)
    } else {
        whole
    }
}
