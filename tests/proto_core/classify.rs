//! The answer table and the service's error envelopes.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use super::{err_facts, facts};
use eka_voice::proto::*;

/// The answer table of Get Session.
fn classify(http: u16, facts: Option<&BodyFacts>) -> Verdict {
    classify_answer(Op::GetSession, http, facts)
}

#[test]
fn answer_table() {
    use SessionStatus::*;
    assert_eq!(classify(202, Some(&facts("initialized"))), Verdict::Pending);
    assert_eq!(classify(202, Some(&facts("processing"))), Verdict::Pending);
    assert_eq!(
        classify(202, Some(&facts("brand_new_state"))),
        Verdict::Pending
    );
    assert_eq!(
        classify(
            202,
            Some(&BodyFacts {
                object: true,
                ..Default::default()
            })
        ),
        Verdict::Pending
    );
    assert_eq!(
        classify(200, Some(&facts("completed"))),
        Verdict::Finished(Completed)
    );
    assert_eq!(
        classify(200, Some(&facts("failed"))),
        Verdict::Finished(Failed)
    );
    assert_eq!(
        classify(206, Some(&facts("partial"))),
        Verdict::Finished(Partial)
    );
    assert_eq!(
        classify(410, Some(&facts("expired"))),
        Verdict::Finished(SessionStatus::Expired)
    );
    assert_eq!(classify(200, Some(&facts("processing"))), Verdict::Pending);
    let code = |v: Verdict| match v {
        Verdict::Fatal(e) => (false, e.code, e.status),
        Verdict::Transient(e) => (true, e.code, e.status),
        Verdict::Unauthorized(e) => (false, e.code, e.status),
        other => panic!("{other:?}"),
    };
    use ErrorCode::*;
    assert_eq!(
        code(classify(202, None)),
        (false, InvalidResponse, Some(202))
    );
    assert_eq!(
        code(classify(200, None)),
        (false, InvalidResponse, Some(200))
    );
    assert_eq!(
        code(classify(200, Some(&facts("weird")))),
        (false, InvalidResponse, Some(200))
    );
    assert_eq!(
        code(classify(410, Some(&facts("processing")))),
        (false, InvalidResponse, Some(410))
    );
    assert_eq!(code(classify(404, None)), (false, NotFound, Some(404)));
    assert_eq!(code(classify(401, None)), (false, Unauthorized, Some(401)));
    assert_eq!(code(classify(403, None)), (false, Forbidden, Some(403)));
    assert_eq!(code(classify(400, None)), (false, BadRequest, Some(400)));
    assert_eq!(code(classify(422, None)), (false, BadRequest, Some(422)));
    assert_eq!(code(classify(408, None)), (true, Network, Some(408)));
    assert_eq!(code(classify(429, None)), (true, RateLimited, Some(429)));
    assert_eq!(code(classify(500, None)), (true, ServerError, Some(500)));
    assert_eq!(code(classify(503, None)), (true, ServerError, Some(503)));
    assert_eq!(
        code(classify(201, None)),
        (false, InvalidResponse, Some(201))
    );
    assert_eq!(
        code(classify(304, None)),
        (false, InvalidResponse, Some(304))
    );
    assert!(matches!(classify(401, None), Verdict::Unauthorized(_)));
}

#[test]
fn errors_carry_the_service_message_and_code_from_every_envelope() {
    // Envelope 1 and 2: error.code + error.message (display_message as fallback).
    let env1 = BodyFacts::read(404, |p, _| match p {
        ["error", "code"] => Some("session_not_found".into()),
        ["error", "message"] => Some("Session ses_x not found".into()),
        _ => None,
    });
    let Verdict::Fatal(e) = classify(404, Some(&env1)) else {
        panic!()
    };
    assert_eq!(e.message, "not found (HTTP 404): Session ses_x not found");
    assert_eq!(e.api_code.as_deref(), Some("session_not_found"));
    let env2 = BodyFacts::read(429, |p, _| match p {
        ["status"] => Some("failed".into()),
        ["error", "code"] => Some("rate_limit_exceeded".into()),
        ["error", "display_message"] => Some("Slow down".into()),
        _ => None,
    });
    let Verdict::Transient(e) = classify(429, Some(&env2)) else {
        panic!()
    };
    assert_eq!(e.message, "rate limited (HTTP 429): Slow down");
    assert_eq!(e.api_code.as_deref(), Some("rate_limit_exceeded"));
    // Envelope 3: gateway {"message"} or {"error": "…"}; no code.
    let gw = BodyFacts::read(401, |p, _| {
        (p == ["message"]).then(|| "Unauthorized".into())
    });
    let Verdict::Unauthorized(e) = classify(401, Some(&gw)) else {
        panic!()
    };
    assert_eq!(e.message, "unauthorized (HTTP 401): Unauthorized");
    assert_eq!(e.api_code, None);
    let s = BodyFacts::read(500, |p, _| (p == ["error"]).then(|| "boom".into()));
    let Verdict::Transient(e) = classify(500, Some(&s)) else {
        panic!()
    };
    assert_eq!(e.message, "server error (HTTP 500): boom");
    // Blank messages are skipped.
    let blank = BodyFacts::read(400, |p, _| match p {
        ["error", "message"] => Some("  ".into()),
        ["message"] => Some("real".into()),
        _ => None,
    });
    assert_eq!(blank.message.as_deref(), Some("real"));
    let e = err_facts("x", "y");
    assert_eq!(
        http_error(ErrorCode::BadRequest, 400, Some(&e), "bad request").message,
        "bad request (HTTP 400): y"
    );
}

#[test]
fn fastapi_detail_envelopes_give_the_code_and_the_message() {
    // The provider's own server's auth layer: `{"detail": "<code>"}`.
    let word = |http, d: &'static str| {
        BodyFacts::read(http, move |p, _| (p == ["detail"]).then(|| d.into()))
    };
    let expired = word(401, "token_expired");
    assert_eq!(expired.api_code.as_deref(), Some("token_expired"));
    let Verdict::Unauthorized(e) = classify(401, Some(&expired)) else {
        panic!()
    };
    assert_eq!(e.message, "unauthorized (HTTP 401): token_expired");
    // A sentence is a message, not a code.
    let sentence = word(400, "language_hint is required on session create");
    assert_eq!(sentence.api_code, None);
    let Verdict::Fatal(e) = classify_answer(Op::CreateSession, 400, Some(&sentence)) else {
        panic!()
    };
    assert_eq!(
        (e.code, e.message.as_str()),
        (
            ErrorCode::BadRequest,
            "bad request (HTTP 400): language_hint is required on session create"
        )
    );
    // FastAPI's request-validation list: the first entry's msg and type.
    let list = BodyFacts::read(422, |p, _| match p {
        ["detail", "0", "msg"] => Some("Field required".into()),
        ["detail", "0", "type"] => Some("missing".into()),
        _ => None,
    });
    assert_eq!(
        (list.api_code.as_deref(), list.message.as_deref()),
        (Some("missing"), Some("Field required"))
    );
    // error.code wins over detail when a body has both.
    let both = BodyFacts::read(400, |p, _| match p {
        ["error", "code"] => Some("bad_request".into()),
        ["detail"] => Some("other_code".into()),
        _ => None,
    });
    assert_eq!(both.api_code.as_deref(), Some("bad_request"));
}

#[test]
fn a_403_that_refuses_the_token_is_unauthorized_other_403s_are_forbidden() {
    for code in ["invalid_token", "missing_token"] {
        let f = BodyFacts::read(403, |p, _| (p == ["detail"]).then(|| code.into()));
        for op in [
            Op::GetSession,
            Op::CreateSession,
            Op::UploadAudio,
            Op::EndSession,
        ] {
            let Verdict::Unauthorized(e) = classify_answer(op, 403, Some(&f)) else {
                panic!("{op:?} {code}")
            };
            assert_eq!(
                (e.code, e.status, e.api_code.as_deref()),
                (ErrorCode::Unauthorized, Some(403), Some(code))
            );
        }
    }
    let other = err_facts("audio_not_enabled", "no");
    assert!(matches!(
        classify(403, Some(&other)),
        Verdict::Fatal(Error {
            code: ErrorCode::Forbidden,
            ..
        })
    ));
    assert!(matches!(classify(403, None), Verdict::Fatal(_)));
}

#[test]
fn session_audio_not_ready_yet_is_asked_again_other_404s_are_final() {
    let not_ready = err_facts("audio_not_available", "The combined audio is not ready yet");
    let Verdict::Transient(e) = classify_answer(Op::GetSessionAudio, 404, Some(&not_ready)) else {
        panic!("audio_not_available is retried")
    };
    assert_eq!(
        (e.code, e.status, e.api_code.as_deref()),
        (ErrorCode::NotFound, Some(404), Some("audio_not_available"))
    );
    // The same code to another operation, or another 404 to this one: final.
    let gone = err_facts("resource_not_found", "Session not found");
    for (op, f) in [
        (Op::GetSession, Some(&not_ready)),
        (Op::GetDocument, Some(&not_ready)),
        (Op::GetSessionAudio, Some(&gone)),
        (Op::GetSessionAudio, None),
    ] {
        assert!(
            matches!(
                classify_answer(op, 404, f),
                Verdict::Fatal(Error {
                    code: ErrorCode::NotFound,
                    ..
                })
            ),
            "{op:?}"
        );
    }
}
