//! The JS API (`VoiceClient`, `pollSession`, `getSession`), exercised from wasm against the
//! simulator over real HTTP. The same cases run in Node, in headless Chromium (cross-origin:
//! CORS preflights and exposed `Retry-After` included) and in a dedicated worker; the
//! environment is chosen by the test script (`WASM_BINDGEN_USE_BROWSER=1`, …).
//!
//! The simulator's URL is baked in at compile time (`EKA_SIM_URL`): browsers cannot read
//! the environment at run time. Each test uses its own session ids and checks, at the
//! simulator, exactly which requests arrived.
#![cfg(target_arch = "wasm32")]

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use eka_voice::wasm::VoiceClient;
use js_sys::{Array, Date, Function, Object, Promise, Reflect, JSON};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

mod support;
use support::*;

// ------------------------------------------------------------------ environment

/// Proves that each run ran where the test script meant it to (`EKA_TEST_ENV`).
#[wasm_bindgen_test]
fn runs_in_the_intended_environment() {
    let global: JsValue = js_sys::global().into();
    let has = |name: &str| Reflect::has(&global, &JsValue::from_str(name)).unwrap_or(false);
    let actual = if has("WorkerGlobalScope") {
        "worker"
    } else if has("window") {
        "chromium"
    } else if has("process") {
        "node"
    } else {
        "unknown"
    };
    if let Some(expected) = option_env!("EKA_TEST_ENV") {
        assert_eq!(actual, expected);
    }
}

// ------------------------------------------------------------------ results

#[wasm_bindgen_test]
async fn polls_until_completed_with_progress_and_keeps_every_field() {
    let id = uid("complete");
    let seen = Rc::new(RefCell::new(Vec::<(String, f64)>::new()));
    let seen2 = seen.clone();
    let cb = Closure::<dyn FnMut(JsValue)>::new(move |snap: JsValue| {
        seen2
            .borrow_mut()
            .push((s(&snap, "status"), n(&snap, "http_status")));
    });
    let opts = obj(&[
        ("intervalMs", 150.into()),
        ("onProgress", cb.as_ref().clone()),
    ]);
    let r = poll(&client(), &id, opts).await.unwrap();
    assert_eq!(s(&r, "status"), "completed");
    assert_eq!(n(&r, "http_status"), 200.0);
    assert_eq!(s(&r, "session_id"), id);
    assert!(s(&r, "transcript").contains("acute bronchitis"));
    let templates: Array = get(&r, "templates").dyn_into().unwrap();
    assert_eq!(templates.length(), 2);
    let emr = get(&templates.get(0), "eka_emr_template");
    assert_eq!(
        n(
            &get(&get(&emr, "data"), "symptoms")
                .dyn_into::<Array>()
                .unwrap()
                .get(1),
            "temperature_c"
        ),
        38.4
    );
    let notes = get(&templates.get(1), "clinical_notes_template");
    assert!(
        s(&notes, "data").starts_with("## Assessment"),
        "markdown data stays a string"
    );
    assert_eq!(
        get(&get(&r, "vendor_extension"), "kept"),
        JsValue::TRUE,
        "unknown fields kept"
    );
    assert_eq!(
        *seen.borrow(),
        vec![
            ("initialized".to_string(), 202.0),
            ("processing".to_string(), 202.0)
        ]
    );
    let (times, auth, _) = received(&id).await;
    assert_eq!(times.len(), 3, "exactly one request per tick");
    assert!(auth.iter().all(|a| a == "Bearer test-token"));
    assert!(
        times[1] - times[0] >= 140.0 && times[2] - times[1] >= 140.0,
        "{times:?}"
    );
}

#[wasm_bindgen_test]
async fn every_final_state_resolves_as_the_api_sent_it() {
    let c = client();
    let fast = || obj(&[("intervalMs", 50.into())]);
    let p = poll(&c, &uid("partial"), fast()).await.unwrap();
    assert_eq!(
        (s(&p, "status"), n(&p, "http_status")),
        ("partial".into(), 206.0)
    );
    assert_eq!(n(&p, "audio_files_processed"), 1.0);
    assert!(Array::is_array(&get(&p, "processing_errors")));
    let f = poll(&c, &uid("failed"), fast()).await.unwrap();
    assert_eq!(
        (s(&f, "status"), n(&f, "http_status")),
        ("failed".into(), 200.0)
    );
    assert_eq!(s(&get(&f, "error"), "code"), "processing_failed");
    let x = poll(&c, &uid("expired"), fast()).await.unwrap();
    assert_eq!(
        (s(&x, "status"), n(&x, "http_status")),
        ("expired".into(), 410.0)
    );
    let t = get(&x, "templates");
    assert!(
        t.is_object() && !Array::is_array(&t),
        "templates {{}} on 410"
    );
    let u = poll(&c, &uid("unknown-pending"), fast()).await.unwrap();
    assert_eq!(
        s(&u, "status"),
        "completed",
        "an unknown 202 status keeps polling"
    );
}

#[wasm_bindgen_test]
async fn get_session_answers_once_in_any_state() {
    let id = uid("complete");
    let r = get_once(&client(), &id, JsValue::UNDEFINED).await.unwrap();
    assert_eq!(
        (s(&r, "status"), n(&r, "http_status")),
        ("initialized".into(), 202.0)
    );
    assert_eq!(received(&id).await.0.len(), 1);
    let r = JsFuture::from(eka_voice::wasm::get_session(
        uid("instant").into(),
        client_opts(&[]),
    ))
    .await
    .unwrap();
    assert_eq!(s(&r, "status"), "completed");
}

#[wasm_bindgen_test]
async fn one_shot_poll_session_takes_client_and_poll_options_together() {
    let r = JsFuture::from(eka_voice::wasm::poll_session(
        uid("partial").into(),
        client_opts(&[("intervalMs", 50.into())]),
    ))
    .await
    .unwrap();
    assert_eq!(s(&r, "status"), "partial");
}

// ------------------------------------------------------------------ filters and URLs

#[wasm_bindgen_test]
async fn template_and_document_filters() {
    let c = client();
    let id = uid("instant");
    let r = get_once(
        &c,
        &id,
        obj(&[("templateId", "clinical_notes_template".into())]),
    )
    .await
    .unwrap();
    assert_eq!(
        get(&r, "templates").dyn_into::<Array>().unwrap().length(),
        1
    );
    let id2 = uid("instant");
    let r = get_once(&c, &id2, obj(&[("documentId", "doc_emr_1".into())]))
        .await
        .unwrap();
    let only: Array = get(&r, "templates").dyn_into().unwrap();
    assert!(get(&only.get(0), "eka_emr_template").is_object());
    let e = expect_error(
        get_once(&c, &uid("instant"), obj(&[("templateId", "nope".into())])).await,
        "not_found",
        Some(404),
    );
    assert_eq!(s(&e, "apiCode"), "template_not_found");
    let (_, _, paths) = received(&id).await;
    assert!(
        paths[0].ends_with("?template_id=clinical_notes_template"),
        "{paths:?}"
    );
    assert!(received(&id2).await.2[0].ends_with("?document_id=doc_emr_1"));
    let id3 = uid("instant");
    expect_error(
        get_once(
            &c,
            &id3,
            obj(&[("templateId", "a".into()), ("documentId", "b".into())]),
        )
        .await,
        "invalid_argument",
        None,
    );
    assert_eq!(received(&id3).await.0.len(), 0);
}

#[wasm_bindgen_test]
async fn the_session_id_is_one_percent_encoded_path_segment() {
    let mut id = uid("instant");
    id.push_str("a/b?c#d%e f");
    let r = get_once(&client(), &id, JsValue::UNDEFINED).await.unwrap();
    assert_eq!(s(&r, "session_id"), id);
    let (_, _, paths) = received(&id).await;
    assert!(paths[0].ends_with("a%2Fb%3Fc%23d%25e%20f"), "{paths:?}");
}

// ------------------------------------------------------------------ errors

#[wasm_bindgen_test]
async fn not_found_rejects_at_once_with_the_service_code() {
    let id = uid("no-such-scenario");
    let e = expect_error(
        poll(&client(), &id, JsValue::UNDEFINED).await,
        "not_found",
        Some(404),
    );
    assert_eq!(s(&e, "apiCode"), "session_not_found");
    assert_eq!(s(&e, "sessionId"), id);
    assert!(s(&e, "message").contains("not found"));
    assert_eq!(
        s(&get(&get(&e, "body"), "error"), "code"),
        "session_not_found"
    );
    assert_eq!(received(&id).await.0.len(), 1, "404 is never retried");
}

#[wasm_bindgen_test]
async fn the_three_error_envelopes_give_code_and_message() {
    let c = client();
    let once = obj(&[("maxRetries", 0.into())]);
    let e = expect_error(
        poll(&c, &uid("forbidden"), once.clone()).await,
        "forbidden",
        Some(403),
    );
    assert!(s(&e, "message").contains("Forbidden"));
    assert!(get(&e, "apiCode").is_undefined());
    let e = expect_error(
        poll(&c, &uid("bad-request"), once.clone()).await,
        "bad_request",
        Some(400),
    );
    assert_eq!(s(&e, "apiCode"), "invalid_request");
    assert!(s(&e, "message").contains("The request is invalid"));
    let e = expect_error(
        poll(&c, &uid("error-string"), once.clone()).await,
        "server_error",
        Some(500),
    );
    assert!(s(&e, "message").contains("boom"));
    let e = expect_error(
        poll(&c, &uid("bad-gateway"), once).await,
        "server_error",
        Some(502),
    );
    assert!(
        s(&e, "body").contains("502 Bad Gateway"),
        "a non-JSON body is kept as text"
    );
}

#[wasm_bindgen_test]
async fn malformed_answers_are_invalid_response() {
    let c = client();
    expect_error(
        poll(&c, &uid("bad-json"), JsValue::UNDEFINED).await,
        "invalid_response",
        Some(200),
    );
    expect_error(
        poll(&c, &uid("bad-json-202"), JsValue::UNDEFINED).await,
        "invalid_response",
        Some(202),
    );
    expect_error(
        poll(&c, &uid("not-a-session"), JsValue::UNDEFINED).await,
        "invalid_response",
        Some(200),
    );
    let e = expect_error(
        poll(&c, &uid("unknown-status"), JsValue::UNDEFINED).await,
        "invalid_response",
        Some(200),
    );
    assert!(s(&e, "message").contains("\"archived\""));
    assert_eq!(
        s(&get(&e, "body"), "status"),
        "archived",
        "the body is kept"
    );
}

#[wasm_bindgen_test]
async fn transient_failures_are_retried_then_reported() {
    let c = client();
    let id = uid("flaky");
    let r = poll(&c, &id, JsValue::UNDEFINED).await.unwrap();
    assert_eq!(s(&r, "status"), "completed");
    assert_eq!(received(&id).await.0.len(), 3);
    let id = uid("down");
    let e = expect_error(
        poll(&c, &id, obj(&[("maxRetries", 2.into())])).await,
        "server_error",
        Some(500),
    );
    assert_eq!(s(&e, "apiCode"), "internal_error");
    assert_eq!(received(&id).await.0.len(), 3, "1 try + 2 retries");
}

#[wasm_bindgen_test]
async fn on_retry_is_told_of_each_retry_before_it_starts() {
    let (seen, hook) = retry_recorder();
    let id = uid("rate-limited");
    let r = poll(&client(), &id, obj(&[("onRetry", hook)]))
        .await
        .unwrap();
    assert_eq!(s(&r, "status"), "completed");
    let expected = format!("1,1000,rate_limited,429,{id},true");
    assert_eq!(
        String::from(seen.join(";")),
        expected,
        "Retry-After: 1 is the delay"
    );
    // What it throws ends the call: no retry is sent.
    let boom = Function::new_with_args("e", "throw new RangeError('ui broke')");
    let id = uid("down");
    let e = poll(&client(), &id, obj(&[("onRetry", boom.into())]))
        .await
        .unwrap_err();
    assert_eq!(s(&e, "name"), "RangeError");
    assert_eq!(received(&id).await.0.len(), 1);
}

#[wasm_bindgen_test]
async fn retry_after_is_honoured_in_seconds_and_as_a_date() {
    let c = client();
    let id = uid("rate-limited");
    assert_eq!(
        s(&poll(&c, &id, JsValue::UNDEFINED).await.unwrap(), "status"),
        "completed"
    );
    let (t, _, _) = received(&id).await;
    assert_eq!(t.len(), 2);
    assert!(
        t[1] - t[0] >= 990.0,
        "Retry-After: 1 must be readable (CORS) and honoured: {t:?}"
    );
    let id = uid("rate-limited-date");
    assert_eq!(
        s(&poll(&c, &id, JsValue::UNDEFINED).await.unwrap(), "status"),
        "completed"
    );
    let (t, _, _) = received(&id).await;
    // The date has a 1 s resolution: 1.5 s ahead may read as 0.5–1.5 s.
    assert!(t[1] - t[0] >= 480.0, "{t:?}");
    let id = uid("rate-limited-long");
    let e = expect_error(
        poll(&c, &id, obj(&[("timeoutMs", 5000.into())])).await,
        "rate_limited",
        Some(429),
    );
    assert!(s(&e, "message").contains("past the timeoutMs deadline"));
    assert_eq!(received(&id).await.0.len(), 1);
}

#[wasm_bindgen_test]
async fn request_timeouts_are_retried_and_reported_as_network() {
    let c = client();
    let id = uid("slow-once");
    let r = poll(&c, &id, obj(&[("requestTimeoutMs", 300.into())]))
        .await
        .unwrap();
    assert_eq!(s(&r, "status"), "completed");
    assert_eq!(received(&id).await.0.len(), 2);
    let id = uid("hang");
    let e = expect_error(
        poll(
            &c,
            &id,
            obj(&[("requestTimeoutMs", 200.into()), ("maxRetries", 1.into())]),
        )
        .await,
        "network",
        None,
    );
    assert!(s(&e, "message").contains("requestTimeoutMs"));
    assert_eq!(received(&id).await.0.len(), 2);
}

#[wasm_bindgen_test]
async fn network_failures_are_network_errors() {
    let c = VoiceClient::new(obj(&[
        ("baseUrl", "http://127.0.0.1:9".into()),
        ("token", "t".into()),
    ]))
    .unwrap();
    let e = expect_error(
        poll(&c, "x", obj(&[("maxRetries", 1.into())])).await,
        "network",
        None,
    );
    assert!(
        s(&e, "message").starts_with("network error"),
        "{}",
        s(&e, "message")
    );
}

#[wasm_bindgen_test]
async fn long_polled_answers_are_followed_at_once() {
    let id = uid("longpoll");
    let r = poll(&client(), &id, obj(&[("intervalMs", 1000.into())]))
        .await
        .unwrap();
    assert_eq!(s(&r, "status"), "completed");
    let (t, _, _) = received(&id).await;
    assert_eq!(t.len(), 3);
    // Each request was held 1.2 s: the next one starts at once, not an interval later.
    assert!(t[1] - t[0] < 1700.0 && t[2] - t[1] < 1700.0, "{t:?}");
}

#[wasm_bindgen_test]
async fn the_deadline_rejects_promptly() {
    let id = uid("never-ends");
    let start = Date::now();
    let e = expect_error(
        poll(
            &client(),
            &id,
            obj(&[("timeoutMs", 700.into()), ("intervalMs", 400.into())]),
        )
        .await,
        "timeout",
        None,
    );
    let took = Date::now() - start;
    assert!((690.0..1000.0).contains(&took), "took {took} ms");
    assert!(s(&e, "message").contains("timeoutMs"));
    assert_eq!(received(&id).await.0.len(), 2);
}

#[wasm_bindgen_test]
async fn abort_rejects_at_once_with_the_reason_and_sends_nothing_after() {
    let id = uid("never-ends");
    let controller = web_sys::AbortController::new().unwrap();
    let signal = controller.signal();
    let opts = obj(&[("signal", signal.into()), ("intervalMs", 200.into())]);
    let c = client();
    let pending = JsFuture::from(c.poll_session_js(id.clone().into(), opts));
    sleep(500).await;
    let start = Date::now();
    controller.abort_with_reason(&"stop!".into());
    let e = pending.await.unwrap_err();
    assert!(Date::now() - start < 100.0);
    assert_eq!(
        e.as_string().as_deref(),
        Some("stop!"),
        "rejects with signal.reason"
    );
    let count = received(&id).await.0.len();
    sleep(600).await;
    assert_eq!(received(&id).await.0.len(), count, "no request after abort");

    // Already aborted: nothing is sent at all; the default reason is an AbortError.
    let id = uid("instant");
    let controller = web_sys::AbortController::new().unwrap();
    controller.abort();
    let e = poll(&c, &id, obj(&[("signal", controller.signal().into())]))
        .await
        .unwrap_err();
    assert_eq!(s(&e, "name"), "AbortError");
    assert_eq!(received(&id).await.0.len(), 0);

    // Aborting a held (long-polled) request cancels it in flight.
    let id = uid("hang");
    let controller = web_sys::AbortController::new().unwrap();
    let pending = JsFuture::from(c.poll_session_js(
        id.clone().into(),
        obj(&[("signal", controller.signal().into())]),
    ));
    sleep(200).await;
    let start = Date::now();
    controller.abort();
    assert_eq!(s(&pending.await.unwrap_err(), "name"), "AbortError");
    assert!(Date::now() - start < 100.0);
}

// ------------------------------------------------------------------ tokens

fn counting_get_token(
    calls: Rc<Cell<u32>>,
    token: &'static str,
) -> Closure<dyn FnMut() -> Promise> {
    Closure::new(move || {
        calls.set(calls.get() + 1);
        Promise::new(&mut |resolve, _| {
            let f = Closure::once_into_js(move || {
                resolve.call1(&JsValue::UNDEFINED, &token.into()).unwrap();
            });
            set_timeout(f.unchecked_ref(), 30);
        })
    })
}

#[wasm_bindgen_test]
async fn a_401_refreshes_the_token_once_and_concurrent_401s_share_one_call() {
    let calls = Rc::new(Cell::new(0));
    let get_token = counting_get_token(calls.clone(), "fresh-token");
    let c = VoiceClient::new(obj(&[
        ("baseUrl", SIM.into()),
        ("token", "expired-token".into()),
        ("getToken", get_token.as_ref().clone()),
    ]))
    .unwrap();
    let ids: Vec<String> = (0..3).map(|_| uid("instant")).collect();
    let all = Array::new();
    for id in &ids {
        all.push(&c.get_session_js(id.into(), JsValue::UNDEFINED));
    }
    let results: Array = JsFuture::from(Promise::all(&all))
        .await
        .unwrap()
        .dyn_into()
        .unwrap();
    assert!(results.iter().all(|r| s(&r, "status") == "completed"));
    assert_eq!(calls.get(), 1, "one shared getToken call");
    for id in &ids {
        let (_, auth, _) = received(id).await;
        assert_eq!(auth, vec!["Bearer expired-token", "Bearer fresh-token"]);
    }
    // The fresh token is kept for later requests.
    let id = uid("instant");
    get_once(&c, &id, JsValue::UNDEFINED).await.unwrap();
    assert_eq!(received(&id).await.1, vec!["Bearer fresh-token"]);
    assert_eq!(calls.get(), 1);
}

#[wasm_bindgen_test]
async fn get_token_is_asked_before_the_first_request_and_a_second_401_fails() {
    let calls = Rc::new(Cell::new(0));
    let get_token = counting_get_token(calls.clone(), "first-token");
    let c = VoiceClient::new(obj(&[
        ("baseUrl", SIM.into()),
        ("getToken", get_token.as_ref().clone()),
    ]))
    .unwrap();
    let id = uid("instant");
    get_once(&c, &id, JsValue::UNDEFINED).await.unwrap();
    assert_eq!(calls.get(), 1);
    assert_eq!(received(&id).await.1, vec!["Bearer first-token"]);
    let id = uid("unauthorized");
    let e = expect_error(
        poll(&c, &id, JsValue::UNDEFINED).await,
        "unauthorized",
        Some(401),
    );
    assert!(s(&e, "message").contains("Unauthorized"));
    assert_eq!(calls.get(), 2, "asked again once after the 401");
    assert_eq!(
        received(&id).await.0.len(),
        2,
        "the request is repeated once"
    );
    // Without getToken, a 401 fails at once.
    let id = uid("unauthorized-once");
    expect_error(
        poll(&client(), &id, JsValue::UNDEFINED).await,
        "unauthorized",
        Some(401),
    );
    assert_eq!(received(&id).await.0.len(), 1);
}

/// A getToken that throws what `throw_js` builds for its first `fails` calls, then gives
/// `tok-after-failures`; the array counts its calls.
fn flaky_token_source(fails: u32, throw_js: &str) -> (JsValue, Array) {
    let calls = Array::new();
    let body = format!(
        "return () => {{ calls.push(1); if (calls.length <= {fails}) throw {throw_js}; return 'tok-after-failures'; }}"
    );
    let f = Function::new_with_args("calls", &body)
        .call1(&JsValue::NULL, &calls)
        .unwrap();
    (f, calls)
}

#[wasm_bindgen_test]
async fn a_token_source_that_may_come_back_is_retried_and_one_that_refuses_is_final() {
    // Transient (a fetch TypeError, a 502 from the token endpoint, an error that does not
    // say): token_unavailable, retried like a network failure, then the request goes.
    for throw_js in [
        "new TypeError('fetch failed')",
        "Object.assign(new Error('token endpoint answered 502'), { status: 502 })",
        "new Error('backend down')",
    ] {
        let (f, calls) = flaky_token_source(2, throw_js);
        let c = VoiceClient::new(obj(&[("baseUrl", SIM.into()), ("getToken", f)])).unwrap();
        let (seen, hook) = retry_recorder();
        let id = uid("instant");
        let opts = obj(&[("onRetry", hook), ("maxRetries", 3.into())]);
        let done = poll(&c, &id, opts).await.unwrap();
        assert_eq!(s(&done, "status"), "completed", "{throw_js}");
        assert_eq!(calls.length(), 3, "{throw_js}");
        assert_eq!(seen.length(), 2, "{throw_js}");
        let first: Array = seen.get(0).dyn_into().unwrap();
        assert_eq!(first.get(2).as_string().unwrap(), "token_unavailable");
        assert_eq!(received(&id).await.1, vec!["Bearer tok-after-failures"]);
    }
    // Still failing when the retries ran out: token_unavailable, nothing sent.
    let (f, calls) = flaky_token_source(
        99,
        "Object.assign(new Error('answered 503'), { status: 503 })",
    );
    let c = VoiceClient::new(obj(&[("baseUrl", SIM.into()), ("getToken", f)])).unwrap();
    let id = uid("instant");
    let e = expect_error(
        poll(&c, &id, obj(&[("maxRetries", 1.into())])).await,
        "token_unavailable",
        Some(503),
    );
    assert_eq!(
        s(&e, "message"),
        "getToken() failed: answered 503 (after 2 attempts)"
    );
    assert_eq!(calls.length(), 2);
    assert_eq!(received(&id).await.0.len(), 0);
    // Refused for good (a 4xx status, a final VoiceApiError code): unauthorized, asked once.
    for throw_js in [
        "Object.assign(new Error('logged out'), { status: 401 })",
        "Object.assign(new Error('bad secret'), { code: 'unauthorized' })",
    ] {
        let (f, calls) = flaky_token_source(99, throw_js);
        let c = VoiceClient::new(obj(&[("baseUrl", SIM.into()), ("getToken", f)])).unwrap();
        let e = poll(&c, &uid("instant"), JsValue::UNDEFINED)
            .await
            .unwrap_err();
        assert_eq!(s(&e, "code"), "unauthorized", "{throw_js}");
        assert!(s(&e, "message").starts_with("getToken() failed: "));
        assert_eq!(calls.length(), 1, "{throw_js}");
    }
    // A thrown string is the reason; getSession (one answer) does not retry.
    let f = Function::new_no_args("throw 'vault sealed'");
    let c = VoiceClient::new(obj(&[("baseUrl", SIM.into()), ("getToken", f.into())])).unwrap();
    let e = expect_error(
        get_once(&c, &uid("instant"), JsValue::UNDEFINED).await,
        "token_unavailable",
        None,
    );
    assert_eq!(s(&e, "message"), "getToken() failed: vault sealed");
    // Something that is not a token (an error page read as one): says what to check.
    for body in [
        "return 42",
        "return '<html><body>502 Bad Gateway</body></html>'",
    ] {
        let f = Function::new_no_args(body);
        let c = VoiceClient::new(obj(&[("baseUrl", SIM.into()), ("getToken", f.into())])).unwrap();
        let e = expect_error(
            get_once(&c, &uid("instant"), JsValue::UNDEFINED).await,
            "token_unavailable",
            None,
        );
        assert!(s(&e, "message").contains("res.ok"), "{}", s(&e, "message"));
    }
}

#[wasm_bindgen_test]
async fn a_token_source_that_never_answers_is_cut_at_the_deadline() {
    let never = Function::new_no_args("return new Promise(() => {})");
    let c = VoiceClient::new(obj(&[("baseUrl", SIM.into()), ("getToken", never.into())])).unwrap();
    let id = uid("instant");
    let start = Date::now();
    let e = expect_error(
        poll(&c, &id, obj(&[("timeoutMs", 300.into())])).await,
        "timeout",
        None,
    );
    assert!((290.0..700.0).contains(&(Date::now() - start)));
    assert_eq!(s(&e, "sessionId"), id);
    assert_eq!(received(&id).await.0.len(), 0);
}

#[wasm_bindgen_test]
async fn the_token_never_appears_in_an_error() {
    let secret = "sk-live-0123456789abcdef";
    let c = VoiceClient::new(obj(&[("baseUrl", SIM.into()), ("token", secret.into())])).unwrap();
    for scenario in [
        "no-such",
        "forbidden",
        "bad-json",
        "unauthorized",
        "echo-auth",
    ] {
        let e = poll(&c, &uid(scenario), obj(&[("maxRetries", 0.into())]))
            .await
            .unwrap_err();
        let json = JSON::stringify(&e).unwrap().as_string().unwrap();
        let stack = get(&e, "stack").as_string().unwrap_or_default();
        let text = e
            .unchecked_ref::<js_sys::Error>()
            .to_string()
            .as_string()
            .unwrap();
        for t in [json, stack, text] {
            assert!(!t.contains(secret), "{scenario}: {t}");
        }
        if scenario == "echo-auth" {
            // The body keeps its shape; the core's rule took the token out of every string.
            let body = get(&e, "body");
            let echoed = get(&get(&get(&body, "echo"), "headers"), "authorization");
            assert_eq!(echoed.as_string().as_deref(), Some("Bearer [redacted]"));
            let said = s(&get(&body, "error"), "message");
            assert_eq!(said, "rejected header: Bearer [redacted]");
        }
    }
    let e = VoiceClient::new(obj(&[
        ("baseUrl", SIM.into()),
        ("token", "bad token\n".into()),
    ]))
    .err()
    .unwrap();
    assert_eq!(s(&e, "code"), "invalid_argument");
    assert!(!s(&e, "message").contains("bad token"));
}

// ------------------------------------------------------------------ arguments

#[wasm_bindgen_test]
async fn bad_arguments_reject_before_any_request() {
    let c = client();
    for id in [
        JsValue::from(""),
        JsValue::from("   "),
        JsValue::from(42),
        JsValue::NULL,
    ] {
        let e = JsFuture::from(c.poll_session_js(id, JsValue::UNDEFINED)).await;
        expect_error(e, "invalid_argument", None);
    }
    let id = uid("instant");
    for bad in [
        obj(&[("intervalMs", "fast".into())]),
        obj(&[("intervalMs", (-1).into())]),
        obj(&[("timeoutMs", f64::NAN.into())]),
        obj(&[("requestTimeoutMs", 0.into())]),
        obj(&[("maxRetries", 1.5.into())]),
        obj(&[("onProgress", "nope".into())]),
        obj(&[("signal", Object::new().into())]),
        obj(&[("templateId", 7.into())]),
        JsValue::from("options"),
    ] {
        expect_error(poll(&c, &id, bad).await, "invalid_argument", None);
    }
    // The message names the option, never its value.
    let e = expect_error(
        poll(&c, &id, obj(&[("maxRetries", "secret-value".into())])).await,
        "invalid_argument",
        None,
    );
    assert_eq!(
        s(&e, "message"),
        "`maxRetries` must be a non-negative integer"
    );
    let e = expect_error(
        poll(&c, &id, Function::new_no_args("").into()).await,
        "invalid_argument",
        None,
    );
    assert_eq!(s(&e, "message"), "options must be an object");
    assert_eq!(received(&id).await.0.len(), 0);
    for base in [
        "http://api.eka.care",
        "ftp://127.0.0.1",
        "not a url",
        "https://u:p@api.eka.care",
    ] {
        let e = VoiceClient::new(obj(&[("baseUrl", base.into())]))
            .err()
            .expect(base);
        assert_eq!(s(&e, "code"), "invalid_argument");
    }
    for ok in [
        "https://api.eka.care",
        "http://localhost:1",
        "http://127.0.0.2",
        "http://[::1]:1",
    ] {
        assert!(
            VoiceClient::new(obj(&[("baseUrl", ok.into())])).is_ok(),
            "{ok}"
        );
    }
    let e = JsFuture::from(eka_voice::wasm::poll_session(
        "x".into(),
        obj(&[("baseUrl", "http://example.com".into())]),
    ))
    .await;
    expect_error(e, "invalid_argument", None);
}

#[wasm_bindgen_test]
async fn what_on_progress_throws_rejects_the_poll() {
    let f = Function::new_with_args("s", "throw new RangeError('ui broke')");
    let e = poll(
        &client(),
        &uid("complete"),
        obj(&[("onProgress", f.into())]),
    )
    .await
    .unwrap_err();
    assert_eq!(s(&e, "name"), "RangeError");
}

// ------------------------------------------------------------------ Rust users

#[wasm_bindgen_test]
async fn rust_users_get_typed_views_without_a_second_conversion() {
    use eka_voice::proto::SessionStatus;
    use eka_voice::wasm::model::{session_from_js, DocumentData};
    let r = poll(
        &client(),
        &uid("partial"),
        obj(&[("intervalMs", 50.into())]),
    )
    .await
    .unwrap();
    let session = session_from_js(&r).unwrap();
    assert_eq!(session.state(), Some(SessionStatus::Partial));
    assert_eq!(session.http_status, Some(206));
    assert_eq!(session.templates.len(), 2);
    assert_eq!(session.templates[0].template_id, "eka_emr_template");
    let sent = get(
        &Array::from(&get(&r, "templates")).get(0),
        "eka_emr_template",
    );
    match session.templates[0].data() {
        // The very JS object of the result, not a copy.
        DocumentData::Json(o) => assert!(Object::is(&o, &get(&sent, "data"))),
        other => panic!("{other:?}"),
    }
    assert!(
        matches!(session.templates[1].data(), DocumentData::Markdown(ref m) if m.starts_with("## Assessment"))
    );
    assert_eq!(session.processing_errors[0].file.as_deref(), Some("1.wav"));
    // The accessors: the same documents, by template id.
    assert_eq!(session.documents().len(), 2);
    let notes = session.find_document("clinical_notes_template").unwrap();
    assert!(notes.markdown().unwrap().starts_with("## Assessment"));
    assert!(notes.failed(), "a partial session's notes failed");
    assert!(!session.documents()[0].failed());
    assert_eq!(session.documents()[0].markdown(), None);
    assert!(session.find_document("no_such_template").is_none());
    let expired = session_from_js(
        &poll(&client(), &uid("expired"), JsValue::UNDEFINED)
            .await
            .unwrap(),
    )
    .unwrap();
    assert!(
        expired.templates.is_empty(),
        "templates {{}} reads as no templates"
    );
    assert!(session_from_js(&JsValue::from(3)).is_err());
}
