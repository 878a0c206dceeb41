//! The URL policy: base URLs, session URLs, filters.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use eka_voice::proto::*;

#[test]
fn base_url_policy() {
    for ok in [
        "https://api.eka.care",
        "https://api.eka.care/",
        "HTTPS://API.EKA.CARE",
        "https://emr.example:8443/proxy/eka/",
        "http://localhost:8080",
        "http://127.0.0.1",
        "http://127.1.2.3:9",
        "http://[::1]:3000",
    ] {
        assert!(BaseUrl::parse(ok).is_ok(), "{ok}");
    }
    for bad in [
        "",
        "api.eka.care",
        "ftp://api.eka.care",
        "http://api.eka.care",
        "http://10.0.0.1",
        "http://127.0.0.1.evil.com",
        "http://localhost.evil.com",
        "http://128.0.0.1",
        "https://user:pw@api.eka.care",
        "https://api.eka.care?x=1",
        "https://api.eka.care/#f",
        "https://api.eka.care/ /",
        "https://api.eka.care/a\\..\\b",
        "https://api.eka.care/\u{7f}",
        "https://",
        "https://host:port",
        "http://[::2]",
    ] {
        let e = BaseUrl::parse(bad).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidArgument, "{bad}");
    }
    let b = BaseUrl::parse("https://EMR.example:8443/proxy/eka/").unwrap();
    assert_eq!(b.as_str(), "https://emr.example:8443/proxy/eka");
    assert_eq!(b.origin(), "https://emr.example:8443");
    assert_eq!(BaseUrl::default().as_str(), DEFAULT_BASE_URL);
}

#[test]
fn session_url_encodes_the_id_as_one_segment() {
    let b = BaseUrl::parse("http://127.0.0.1:9/").unwrap();
    assert_eq!(
        session_url(&b, "ses_abc123def456", Filter::None).unwrap(),
        "http://127.0.0.1:9/voice/v1/sessions/ses_abc123def456"
    );
    assert_eq!(
        session_url(&b, "../a/b?x=1#f%20", Filter::None).unwrap(),
        "http://127.0.0.1:9/voice/v1/sessions/..%2Fa%2Fb%3Fx%3D1%23f%2520"
    );
    assert_eq!(
        session_url(&b, "s", Filter::Document("doc&x=1")).unwrap(),
        "http://127.0.0.1:9/voice/v1/sessions/s?document_id=doc%26x%3D1"
    );
    assert_eq!(
        session_url(&b, "s", Filter::Template("eka_emr_template")).unwrap(),
        "http://127.0.0.1:9/voice/v1/sessions/s?template_id=eka_emr_template"
    );
    assert_eq!(
        session_url(&b, "", Filter::None).unwrap_err().code,
        ErrorCode::InvalidArgument
    );
    assert_eq!(
        session_url(&b, "  ", Filter::None).unwrap_err().code,
        ErrorCode::InvalidArgument
    );
}

#[test]
fn filters() {
    assert_eq!(Filter::from_options(None, None).unwrap(), Filter::None);
    assert_eq!(
        Filter::from_options(None, Some("d")).unwrap(),
        Filter::Document("d")
    );
    for (t, d) in [(Some("t"), Some("d")), (Some(""), None), (None, Some(""))] {
        assert_eq!(
            Filter::from_options(t, d).unwrap_err().code,
            ErrorCode::InvalidArgument
        );
    }
}
