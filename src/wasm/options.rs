//! Reads camelCase JS option objects into the Rust option structs, checking every type:
//! a wrong type is an `invalid_argument` error naming the option (never its value, which
//! could be a token). The checks run in one JS helper ([`read`]); Rust reads the values.

use alloc::{string::String, vec::Vec};
use js_sys::Function;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::AbortSignal;

use super::js::read_options;
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
    /// `maxResponseBytes` (default 32 MiB): the largest answer body read; a bigger one
    /// fails with `invalid_response`.
    pub max_response_bytes: Option<u64>,
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
    /// `minIntervalMs` (default 100): the floor of `intervalMs`; 0 lets a caller poll
    /// back to back.
    pub min_interval_ms: Option<u64>,
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

/// The spec of the client options (see [`read`]): `baseUrl`, `token`, `getToken`,
/// `maxResponseBytes`.
pub const CLIENT: &str = spec!(client);
/// The spec of the retry and timeout options of any call, `onProgress` aside.
pub const CALL: &str = spec!(call);
/// The spec of the Create Session options (see [`create_options`]).
pub const CREATE: &str = spec!(create);
/// How many values [`CLIENT`], [`CALL`] and [`CREATE`] read.
pub const CLIENT_LEN: u32 = 4;
/// See [`CLIENT_LEN`].
pub const CALL_LEN: u32 = 8;
/// See [`CLIENT_LEN`].
pub const CREATE_LEN: u32 = 10;

/// The number of entries of a spec (checked against the `*_LEN` constants at compile time).
const fn entries(spec: &str) -> u32 {
    let b = spec.as_bytes();
    let (mut i, mut n) = (0, 1);
    while i < b.len() {
        if b[i] == b' ' {
            n += 1;
        }
        i += 1;
    }
    n
}
const _: () = assert!(entries(CLIENT) == CLIENT_LEN);
const _: () = assert!(entries(CALL) == CALL_LEN);
const _: () = assert!(entries(CREATE) == CREATE_LEN);

/// An options object read by [`read`]: one value per spec entry, `undefined` where the
/// option was absent (or `null`).
pub struct Values(js_sys::Array);

/// Reads the options object `o` (`undefined` / `null` read as empty) by `spec`: entries
/// separated by one space, each a kind letter and the camelCase key. The types are checked
/// by the package's JS helper (one call for all options, where Rust would need a dozen
/// imports per option); a wrong type is an `invalid_argument` error naming the option,
/// never its value (which could be a token). Kinds:
///
/// | kind | the value must be | Rust reads |
/// |---|---|---|
/// | `s` | a string | [`Values::string`] |
/// | `b` | a boolean | [`Values::boolean`] |
/// | `f` | a function | [`Values::function`] |
/// | `n` / `p` | an integer ≥ 0 / ≥ 1, at most 2³²−1 | [`Values::count`] |
/// | `m` / `M` | a number of milliseconds ≥ 0 / ≥ 1 (`Infinity`: no limit) | [`Values::millis`] |
/// | `a` | an `AbortSignal` (by shape, so that other realms' signals pass) | [`Values::signal`] |
/// | `t` / `T` | an array of strings / the same, or one string | [`Values::strings`] |
/// | `j` | a plain object, serialisable as JSON | [`Values::json_object`] |
pub fn read(o: &JsValue, spec: &str) -> Result<Values, Error> {
    read_options(o, spec).map(Values).map_err(|e| {
        Error::invalid_argument(
            e.as_string()
                .unwrap_or_else(|| String::from("options could not be read")),
        )
    })
}

impl Values {
    fn get(&self, i: u32) -> JsValue {
        self.0.get(i)
    }

    /// A string (`s`).
    pub fn string(&self, i: u32) -> Option<String> {
        self.get(i).as_string()
    }

    /// A boolean (`b`).
    pub fn boolean(&self, i: u32) -> Option<bool> {
        self.get(i).as_bool()
    }

    /// A function (`f`; the helper checked `typeof`: no `instanceof`, which would run a
    /// Proxy's `getPrototypeOf` trap inside the wasm).
    pub fn function(&self, i: u32) -> Option<Function> {
        let v = self.get(i);
        (!v.is_undefined()).then(|| v.unchecked_into())
    }

    /// A count (`n`, `p`).
    pub fn count(&self, i: u32) -> Option<u32> {
        self.get(i).as_f64().map(|n| n as u32)
    }

    /// Milliseconds (`m`, `M`), rounded up; `Infinity` is `u64::MAX`.
    pub fn millis(&self, i: u32) -> Option<u64> {
        self.get(i).as_f64().map(|n| {
            let whole = n as u64; // saturates: Infinity -> u64::MAX
            if (whole as f64) < n {
                whole.saturating_add(1)
            } else {
                whole
            }
        })
    }

    /// An `AbortSignal` (`a`).
    pub fn signal(&self, i: u32) -> Option<AbortSignal> {
        let v = self.get(i);
        (!v.is_undefined()).then(|| v.unchecked_into())
    }

    /// Strings (`t`, `T`).
    pub fn strings(&self, i: u32) -> Option<Vec<String>> {
        let v = self.get(i);
        let a = v.dyn_ref::<js_sys::Array>()?;
        Some(
            a.iter()
                .map(|s| s.as_string().unwrap_or_default())
                .collect(),
        )
    }

    /// A plain object (`j`) as JSON text, and whether it has its own `_protocol` key (the
    /// service reserves it in `additional_data`).
    pub fn json_object(&self, i: u32) -> Option<(String, bool)> {
        let v = self.get(i);
        let a = v.dyn_ref::<js_sys::Array>()?;
        Some((a.get(0).as_string()?, a.get(1).is_truthy()))
    }
}

/// The client options, read from `v` at `at` (spec [`CLIENT`]).
pub fn client_options(v: &Values, at: u32) -> ClientOptions {
    ClientOptions {
        base_url: v.string(at),
        token: v.string(at + 1),
        get_token: v.function(at + 2),
        max_response_bytes: v.count(at + 3).map(u64::from),
    }
}

/// The retry and timeout options, read from `v` at `at` (spec [`CALL`]), with
/// `on_progress`.
pub fn call_options(v: &Values, at: u32, on_progress: Option<Function>) -> PollOptions {
    PollOptions {
        template_id: v.string(at),
        document_id: v.string(at + 1),
        interval_ms: v.millis(at + 2),
        timeout_ms: v.millis(at + 3),
        request_timeout_ms: v.millis(at + 4),
        signal: v.signal(at + 5),
        max_retries: v.count(at + 6),
        min_interval_ms: v.millis(at + 7),
        on_progress,
    }
}

/// The Create Session options read from `v` at `at` (spec [`CREATE`]), and
/// `presignedUpload`.
pub fn create_options(v: &Values, at: u32) -> Result<(crate::proto::CreateSession, bool), Error> {
    let additional = v.json_object(at + 7);
    let upload_type = match v.string(at + 1) {
        Some(t) => crate::proto::UploadType::parse(&t)?,
        None => Default::default(),
    };
    let create = crate::proto::CreateSession {
        upload_type,
        templates: v.strings(at),
        model: v.string(at + 2),
        language_hint: v.strings(at + 3),
        transcript_language: v.string(at + 4),
        session_mode: v.string(at + 5),
        patient_details_json: v.json_object(at + 6).map(|(j, _)| j),
        additional_data_has_protocol: additional.as_ref().is_some_and(|(_, has)| *has),
        additional_data_json: additional.map(|(j, _)| j),
        session_id: v.string(at + 8),
    };
    Ok((create, v.boolean(at + 9).unwrap_or(false)))
}
