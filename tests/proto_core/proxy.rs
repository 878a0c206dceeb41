//! The browser proxy's rules: what it forwards, where, and what it refuses.

use eka_voice::proto::{
    proxy_route, proxy_upload_url, refuses_token, BaseUrl, BodyFacts, ErrorCode, Op,
};

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

fn up() -> BaseUrl {
    BaseUrl::parse("https://api.eka.care/gw").unwrap()
}

#[test]
fn the_four_operations_of_a_recording_page_are_forwarded_to_rebuilt_urls() {
    let r = |m, p, q| proxy_route(&up(), m, p, q).unwrap();
    let create = r("POST", "/voice/v1/sessions", "");
    assert_eq!(create.op, Op::CreateSession);
    assert_eq!(create.session_id, None);
    assert_eq!(create.url, "https://api.eka.care/gw/voice/v1/sessions");
    assert_eq!(
        r("POST", "/voice/v1/sessions", "version=v2").url,
        "https://api.eka.care/gw/voice/v1/sessions?version=v2"
    );
    let get = r(
        "GET",
        "/voice/v1/sessions/ses%2F1",
        "template_id=clinical%20notes",
    );
    assert_eq!(get.op, Op::GetSession);
    assert_eq!(get.session_id.as_deref(), Some("ses/1"));
    assert_eq!(
        get.url,
        "https://api.eka.care/gw/voice/v1/sessions/ses%2F1?template_id=clinical%20notes"
    );
    assert_eq!(
        r("GET", "/voice/v1/sessions/s1", "document_id=d1").url,
        "https://api.eka.care/gw/voice/v1/sessions/s1?document_id=d1"
    );
    let end = r("POST", "/voice/v1/sessions/s1/end", "");
    assert_eq!(
        (end.op, end.url.as_str()),
        (
            Op::EndSession,
            "https://api.eka.care/gw/voice/v1/sessions/s1/end"
        )
    );
    let up_ = r("POST", "/voice/v1/sessions/s1/audio/audio_12.webm", "");
    assert_eq!(up_.op, Op::UploadAudio);
    assert_eq!(
        up_.url,
        "https://api.eka.care/gw/voice/v1/sessions/s1/audio/audio_12.webm"
    );
}

#[test]
fn everything_else_is_refused_with_the_proxys_answer() {
    let refused = |m, p, q| {
        let e = proxy_route(&up(), m, p, q).unwrap_err();
        (e.status.unwrap(), e.code)
    };
    // Other paths: 404, never forwarded with the token.
    for path in [
        "/",
        "/voice/v1/templates",
        "/voice/v1/sessionsX",
        "/voice/v1/sessions/s1/audio",
        "/voice/v1/sessions/s1/documents/d1",
        "/voice/v1/sessions/s1/end/more",
        "/connect-auth/v1/account/login",
        "/voice/v1/sessions/s1/audio/a/b",
    ] {
        assert_eq!(refused("POST", path, "").0, 404, "{path}");
    }
    // Another method on a known path: 405.
    assert_eq!(
        refused("GET", "/voice/v1/sessions", ""),
        (405, ErrorCode::BadRequest)
    );
    assert_eq!(refused("DELETE", "/voice/v1/sessions/s1", "").0, 405);
    assert_eq!(refused("PATCH", "/voice/v1/sessions/s1/end", "").0, 405);
    // Ids and names the client never sends, queries it never adds: 400.
    for (m, p, q) in [
        ("GET", "/voice/v1/sessions/%2e%2e", ""),
        ("GET", "/voice/v1/sessions/..", ""),
        ("GET", "/voice/v1/sessions/%zz", ""),
        ("GET", "/voice/v1/sessions/%ff", ""),
        (
            "GET",
            "/voice/v1/sessions/s1",
            "template_id=a&document_id=b",
        ),
        ("GET", "/voice/v1/sessions/s1", "template_id="),
        ("GET", "/voice/v1/sessions/s1", "token=x"),
        ("POST", "/voice/v1/sessions", "version=v3"),
        ("POST", "/voice/v1/sessions/s1/end", "x=1"),
        ("POST", "/voice/v1/sessions/s1/audio/evil.sh", ""),
        ("POST", "/voice/v1/sessions/s1/audio/audio_x.wav", ""),
        ("POST", "/voice/v1/sessions/s1/audio/audio_1.exe", ""),
        ("POST", "/voice/v1/sessions/s1/audio/0.wav", ""),
        (
            "POST",
            "/voice/v1/sessions/s1/audio/audio_12345678901.wav",
            "",
        ),
    ] {
        let (status, code) = refused(m, p, q);
        assert_eq!(
            (status, code),
            (400, ErrorCode::InvalidArgument),
            "{m} {p}?{q}"
        );
    }
}

#[test]
fn upload_urls_under_the_upstream_are_the_proxys_and_token_refusals_refresh() {
    let public = "https://emr.example/eka/";
    assert_eq!(
        proxy_upload_url(
            "https://api.eka.care/gw/voice/v1/sessions/s1/audio",
            &up(),
            public
        )
        .as_deref(),
        Some("https://emr.example/eka/voice/v1/sessions/s1/audio")
    );
    for other in [
        "https://api.eka.care/voice/v1/sessions/s1/audio",
        "https://api.eka.care/gw/other/s1",
        "https://bucket.s3.amazonaws.com/",
        "https://api.eka.care.evil.example/gw/voice/v1/sessions/s1/audio",
    ] {
        assert_eq!(proxy_upload_url(other, &up(), public), None, "{other}");
    }
    assert!(refuses_token(401, None));
    let invalid_token = BodyFacts {
        object: true,
        api_code: Some("invalid_token".into()),
        ..Default::default()
    };
    assert!(refuses_token(403, Some(&invalid_token)));
    assert!(!refuses_token(403, None));
    assert!(!refuses_token(500, None));
}
