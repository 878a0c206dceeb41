//! The operation table against the provider's OpenAPI document (a copy in the repository):
//! every operation of the document is exactly one row, with its method and path.

use eka_voice::proto::{op_url, BaseUrl, Body, ErrorCode, Op, OPS};

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

const OPENAPI: &str = include_str!("../fixtures/openapi/eka-voice-openapi.yaml");

/// `(METHOD, path)` of every operation of the document (its `paths:` section).
fn documented() -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut path = None;
    let paths = OPENAPI.split("\npaths:\n").nth(1).expect("paths");
    let paths = paths.split("\ncomponents:").next().unwrap();
    for line in paths.lines() {
        if let Some(p) = line.strip_prefix("  /").and_then(|p| p.strip_suffix(':')) {
            path = Some(format!("/{p}"));
        } else if let Some(m) = line.strip_prefix("    ").and_then(|m| m.strip_suffix(':')) {
            if ["get", "post", "put", "patch", "delete"].contains(&m) {
                out.push((m.to_uppercase(), path.clone().expect("a path first")));
            }
        }
    }
    out
}

/// A row's path with the document's parameter names (`{file}` is the document's
/// `{file_sequence}`).
fn as_documented(path: &str) -> String {
    path.replace("{file}", "{file_sequence}")
}

#[test]
fn every_operation_of_the_document_is_one_row_and_every_row_one_operation() {
    let doc = documented();
    assert_eq!(doc.len(), 18, "{doc:?}");
    // Not the document's: the presigned storage upload, the auth API's login and refresh.
    let not_its = [Op::PresignedUpload, Op::Login, Op::RefreshToken];
    let rows: Vec<(String, String)> = OPS
        .iter()
        .filter(|r| !not_its.contains(&r.op))
        .map(|r| (r.method.to_string(), as_documented(r.path)))
        .collect();
    let mut a = doc.clone();
    let mut b = rows.clone();
    a.sort();
    b.sort();
    assert_eq!(a, b);
    // The table is indexed by the operation.
    for (i, r) in OPS.iter().enumerate() {
        assert_eq!(r.op as usize, i, "{:?}", r.op);
        assert_eq!(r.op.row(), r);
    }
}

#[test]
fn rows_say_what_each_operation_sends_and_where() {
    let base = BaseUrl::default();
    let url = |op, p: &[&str]| op_url(&base, op, p).unwrap();
    assert_eq!(
        url(Op::Discovery, &[]),
        "https://api.eka.care/voice/v1/.well-known/medscribealliance"
    );
    assert!(!Op::Discovery.row().auth, "Discovery is public");
    assert_eq!(
        url(Op::GetSessionAudio, &["s1"]),
        "https://api.eka.care/voice/v1/sessions/s1/audio"
    );
    assert_eq!(
        url(Op::UpdateSession, &["s1"]),
        "https://api.eka.care/voice/v1/sessions/s1"
    );
    assert_eq!(
        url(Op::UploadTranscript, &["s1"]),
        "https://api.eka.care/voice/api/v1/transaction/s1/convert-to-template"
    );
    assert_eq!(
        url(Op::UpdateTemplate, &["t 1"]),
        "https://api.eka.care/voice/api/v1/template/t%201"
    );
    assert_eq!(
        url(Op::DeleteDocument, &["d1"]),
        "https://api.eka.care/voice/api/v1/documents/d1"
    );
    assert_eq!(
        url(Op::ListSessionDocuments, &["s1"]),
        "https://api.eka.care/voice/api/v1/sessions/s1"
    );
    assert_eq!(
        url(Op::GetSessions, &[]),
        "https://api.eka.care/voice/api/v2/transaction/history"
    );
    assert_eq!(Op::GetSessions.row().query, ["count", "oid"]);
    // A parameter that is missing or would be resolved away: nothing is built.
    assert!(op_url(&base, Op::GetDocument, &[]).is_err());
    assert!(op_url(&base, Op::ProcessTemplate, &["s1", ".."]).is_err());
    // Bodies and retries: a POST that makes something new each time is not retried.
    for op in [
        Op::ProcessTemplate,
        Op::CreateTemplate,
        Op::SaveDocument,
        Op::UploadTranscript,
    ] {
        assert!(!op.row().retry, "{op:?}");
    }
    for r in OPS
        .iter()
        .filter(|r| matches!(r.method, "GET" | "DELETE" | "PATCH"))
    {
        assert!(r.retry, "{:?} is idempotent", r.op);
        assert_eq!(r.body == Body::Json, r.method == "PATCH", "{:?}", r.op);
    }
    assert_eq!(Op::UploadAudio.row().body, Body::Audio);
    assert!(!Op::PresignedUpload.sends_token());
    // A page may send only what a recording needs.
    let page: Vec<&str> = OPS.iter().filter(|r| r.page).map(|r| r.name).collect();
    assert_eq!(
        page,
        ["createSession", "uploadAudio", "getSession", "endSession"]
    );
}

#[test]
fn every_row_classifies_every_answer_class() {
    use eka_voice::proto::{classify_answer, BodyFacts, ErrorCode, Verdict};
    let code = |v: Verdict| match v {
        Verdict::Fatal(e) | Verdict::Transient(e) | Verdict::Unauthorized(e) => Some(e.code),
        _ => None,
    };
    let created = BodyFacts {
        object: true,
        session_id: Some("s1".into()),
        ..Default::default()
    };
    for r in OPS.iter().filter(|r| r.op != Op::GetSession) {
        let ok = |http| classify_answer(r.op, http, Some(&created));
        // Its documented successes resolve.
        let success: &[u16] = match r.op {
            Op::CreateSession => &[200, 201],
            Op::UploadAudio | Op::PresignedUpload => &[200, 201, 204],
            Op::EndSession => &[200, 202],
            Op::ProcessTemplate | Op::UploadTranscript => &[202],
            Op::CreateTemplate | Op::SaveDocument => &[201, 200],
            _ => &[200],
        };
        for &s in success {
            assert_eq!(ok(s), Verdict::Done, "{:?} {s}", r.op);
        }
        // The failures, the same for every operation.
        assert!(matches!(
            classify_answer(r.op, 401, None),
            Verdict::Unauthorized(_)
        ));
        assert_eq!(
            code(classify_answer(r.op, 403, None)),
            Some(ErrorCode::Forbidden)
        );
        // A 404 is `not_found`, unless the row says what it means (Get Sessions: none).
        let not_found = classify_answer(r.op, 404, None);
        match r.none {
            Some(answer) => assert_eq!(not_found, Verdict::Nothing(answer)),
            None => assert_eq!(code(not_found), Some(ErrorCode::NotFound), "{:?}", r.op),
        }
        assert_eq!(
            code(classify_answer(r.op, 409, None)),
            Some(ErrorCode::Conflict)
        );
        assert_eq!(
            code(classify_answer(r.op, 422, None)),
            Some(ErrorCode::BadRequest)
        );
        assert_eq!(
            code(classify_answer(r.op, 413, None)),
            Some(ErrorCode::TooLarge)
        );
        assert!(matches!(
            classify_answer(r.op, 429, None),
            Verdict::Transient(_)
        ));
        assert!(matches!(
            classify_answer(r.op, 503, None),
            Verdict::Transient(_)
        ));
        assert!(matches!(
            classify_answer(r.op, 408, None),
            Verdict::Transient(_)
        ));
        assert_eq!(
            code(classify_answer(r.op, 302, None)),
            Some(ErrorCode::InvalidResponse)
        );
        assert_eq!(
            code(classify_answer(r.op, 410, None)),
            Some(ErrorCode::Expired)
        );
    }
}

#[test]
fn the_auth_apis_rows_are_retried_never_forwarded_and_have_no_generated_method() {
    use eka_voice::proto::{LOGIN_PATH, OWN_METHODS, REFRESH_PATH};
    for (op, path) in [(Op::Login, LOGIN_PATH), (Op::RefreshToken, REFRESH_PATH)] {
        let r = op.row();
        assert_eq!((r.method, r.path, r.body), ("POST", path, Body::Json));
        assert!(r.retry, "a transient failure of {op:?} is retried");
        assert!(
            !r.page && !r.auth,
            "{op:?}: never through voiceProxy, no client token"
        );
        assert!(OWN_METHODS.contains(&op));
        #[cfg(not(target_arch = "wasm32"))]
        assert!(!eka_voice::proto::operations_js().contains(&format!(", {}, ", op as usize)));
        let base = BaseUrl::parse("https://api.example").unwrap();
        assert_eq!(
            op_url(&base, op, &[]).unwrap(),
            format!("https://api.example{path}")
        );
    }
}

#[test]
fn a_patient_without_sessions_has_an_empty_history_not_an_error() {
    use eka_voice::proto::{PollConfig, NO_SESSIONS};
    // Only Get Sessions gives its 404 a meaning (the document: "No sessions found").
    let rows: Vec<Op> = OPS
        .iter()
        .filter(|r| r.none.is_some())
        .map(|r| r.op)
        .collect();
    assert_eq!(rows, [Op::GetSessions]);
    assert_eq!(Op::GetSessions.row().none, Some(NO_SESSIONS));
    // Its shape is the document's 200: a success with an empty `data` list.
    assert!(NO_SESSIONS.contains(r#""status":"success""#));
    assert!(NO_SESSIONS.contains(r#""data":[]"#));
    // The call resolves with it at the first 404: no retry, no error.
    let once = |op| PollConfig {
        op,
        once: true,
        ..PollConfig::default()
    };
    let none = [super::poll::Reply::Http {
        after_ms: 5,
        status: 404,
        facts: None,
        retry_after: None,
    }];
    let run = super::poll::drive(once(Op::GetSessions), &none, 0.5);
    assert_eq!(run.outcome, Ok(()));
    assert_eq!(run.resolved_with, Some(NO_SESSIONS));
    assert_eq!((run.sends.len(), run.retries.len()), (1, 0));
    // Any other operation's 404 stays the error.
    let run = super::poll::drive(once(Op::ListTemplates), &none, 0.5);
    assert_eq!(run.outcome.map_err(|e| e.code), Err(ErrorCode::NotFound));
}
