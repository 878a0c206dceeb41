//! The one driver of the operation table's rows that have no method of their own
//! (`client.listTemplates()`, `client.processTemplate(…)`, …; the JS face makes one method
//! per row from the generated `pkg-template/js/ops.js`). The row says the HTTP method, the
//! URL, whether there is a JSON body, the token and whether transient failures are retried;
//! this performs it under the client's policy (retries, `Retry-After`, deadline, signal,
//! token refresh, size cap, typed errors) and — for a row that waits — polls the document
//! its answer names, as `pollSession` does.

use alloc::rc::Rc;
use alloc::string::String;
use alloc::vec::Vec;
use core::cell::Cell;
use wasm_bindgen::JsValue;

use super::abort::AbortWatch;
use super::client::{now, reporter, Call, Client, Hooks};
use super::errors::Failure;
use super::js;
use super::options::{Filters, OpOptions, PollOptions};
use crate::proto::discovery::max_age_ms;
use crate::proto::{op_url, push_encoded, Body, Error, ErrorCode, Op, OpRow, MAX_FIELD_CHARS};

/// An operation's arguments, read by the export: its path parameters (in the row's order),
/// its JSON body's text, its options.
pub struct OpArgs {
    /// The path parameters.
    pub params: Vec<String>,
    /// The JSON body, for a row that has one.
    pub body: Option<String>,
    /// The options.
    pub options: OpOptions,
}

impl Client {
    /// Performs `row` with `args`; resolves with the answer's body (plus `http_status`), or —
    /// for a row that waits — with the session holding the document, once it is final.
    pub async fn call(
        self: Rc<Self>,
        row: &'static OpRow,
        args: OpArgs,
    ) -> Result<JsValue, Failure> {
        let id = match args.params.first() {
            Some(id) if row.about_session() => id.as_str(),
            _ => "",
        };
        let fail = |e: Error| Failure::new(e, (!id.is_empty()).then_some(id));
        let url = url_of(self.base(), row, &args).map_err(fail)?;
        // Discovery's answer is kept as its Cache-Control says: asked again only when stale.
        let keeps = row.op == Op::Discovery;
        if let Some(copy) = keeps.then(|| self.discovery().answer(now())).flatten() {
            return Ok(copy);
        }
        let header = Cell::new(JsValue::UNDEFINED);
        let body = args.body.map(JsValue::from);
        let c = Call {
            method: row.method,
            url: &url,
            body: body.as_ref(),
            json: row.body == Body::Json,
            auth: row.auth,
            cache_control: keeps.then_some(&header),
            header: None,
        };
        let o = args.options;
        let mut cfg = self.config(&PollOptions::from(o.call.clone()), row.op, false);
        if !row.retry {
            cfg.max_retries = 0;
        }
        let abort = AbortWatch::new(o.call.request.signal.clone());
        let hooks = Hooks::retries_only(o.call.retries.on_retry.as_ref());
        let answer = self.execute(&c, cfg, &abort, id, &hooks).await?;
        if keeps {
            let max_age = max_age_ms(header.take().as_string().as_deref());
            self.discovery().keep(&answer, max_age, now());
        }
        if !row.waits {
            return Ok(answer);
        }
        let Some(document_id) =
            js::field(&answer, "document_id", None, None, MAX_FIELD_CHARS as u32)
        else {
            let what = "the answer names no `document_id` to wait for";
            let e = Error::new(ErrorCode::InvalidResponse, what);
            return Err(Failure::api(e, answer, Some(id)));
        };
        let poll = PollOptions {
            filters: Filters {
                template_id: None,
                document_id: Some(document_id),
            },
            request: o.call.request,
            retries: o.call.retries,
            pacing: o.pacing,
            on_progress: o.on_progress.clone(),
        };
        let report = reporter(o.on_progress.as_ref());
        self.poll_with(id, &poll, false, &abort, &report).await
    }
}

/// The row's URL with the call's path parameters and query options; an option the row does
/// not take is `invalid_argument`.
fn url_of(base: &crate::proto::BaseUrl, row: &OpRow, args: &OpArgs) -> Result<String, Error> {
    let params: Vec<&str> = args.params.iter().map(String::as_str).collect();
    let mut url = op_url(base, row.op, &params)?;
    let o = &args.options;
    let count = o.count.map(|n| {
        let mut s = String::new();
        crate::proto::push_decimal(&mut s, u64::from(n));
        s
    });
    let waiting = o.on_progress.is_some()
        || o.pacing.interval_ms.is_some()
        || o.pacing.min_interval_ms.is_some();
    let queried = count.is_some() || o.oid.is_some();
    if (waiting && !row.waits) || (queried && row.query.is_empty()) {
        return Err(Error::invalid_argument(
            "an option this operation does not take (`count`, `oid`: getSessions; \
             `onProgress`, `intervalMs`, `minIntervalMs`: processTemplate, uploadTranscript)",
        ));
    }
    for (key, value) in [("count", count.as_deref()), ("oid", o.oid.as_deref())] {
        if let Some(v) = value {
            url.push(if url.contains('?') { '&' } else { '?' });
            url.push_str(key);
            url.push('=');
            push_encoded(&mut url, v);
        }
    }
    Ok(url)
}
