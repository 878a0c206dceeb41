//! Tokens from client credentials: when to use, refresh or log in, the requests, and the
//! auth endpoints' errors — the client secret never in any of them.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use eka_voice::proto::*;

const SECRET: &str = "cs_very_secret_value_1";

fn machine() -> Credentials {
    Credentials::new(
        BaseUrl::parse("http://127.0.0.1:8787/").unwrap(),
        "client-1",
        SECRET,
    )
    .unwrap()
}

fn tokens(access: &str, expires_in: f64, refresh: Option<(&str, f64)>) -> AuthAnswer {
    AuthAnswer {
        access_token: Some(access.into()),
        expires_in: Some(expires_in),
        refresh_token: refresh.map(|r| r.0.into()),
        refresh_expires_in: refresh.map(|r| r.1),
        ..Default::default()
    }
}

#[test]
fn login_then_use_until_80_percent_then_refresh_then_login_again() {
    let mut c = machine();
    let CredentialStep::Login { url, body } = c.next(0) else {
        panic!()
    };
    assert_eq!(url, "http://127.0.0.1:8787/connect-auth/v1/account/login");
    assert_eq!(
        body,
        format!(r#"{{"client_id":"client-1","client_secret":"{SECRET}"}}"#)
    );
    assert_eq!(
        c.on_login(1_000, 200, &tokens("at1", 1800.0, Some(("rt1", 3600.0))))
            .unwrap(),
        "at1"
    );
    assert_eq!(c.next(1_000 + 1_439_999), CredentialStep::Use("at1".into()));
    let CredentialStep::Refresh {
        url,
        access_token,
        client_id,
        body,
    } = c.next(1_000 + 1_440_000)
    else {
        panic!()
    };
    assert_eq!(
        url,
        "http://127.0.0.1:8787/connect-auth/v1/account/refresh-token"
    );
    assert_eq!(
        (access_token.as_str(), client_id.as_str()),
        ("at1", "client-1")
    );
    assert_eq!(body, r#"{"refresh_token":"rt1","access_token":"at1"}"#);
    assert_eq!(
        c.on_refresh(
            1_500_000,
            200,
            &tokens("at2", 1800.0, Some(("rt2", 3600.0)))
        )
        .unwrap()
        .as_deref(),
        Some("at2")
    );
    assert_eq!(c.next(1_500_001), CredentialStep::Use("at2".into()));
    // Past the refresh token's life: log in again.
    assert!(matches!(
        c.next(1_500_000 + 3_600_000),
        CredentialStep::Login { .. }
    ));
}

#[test]
fn a_refused_refresh_drops_the_tokens_and_logs_in_again() {
    let mut c = machine();
    c.on_login(0, 200, &tokens("at1", 10.0, Some(("rt1", 60.0))))
        .unwrap();
    assert!(matches!(c.next(8_000), CredentialStep::Refresh { .. }));
    let refused = AuthAnswer {
        code: Some("invalid_refresh_token".into()),
        ..Default::default()
    };
    assert_eq!(c.on_refresh(8_000, 401, &refused).unwrap(), None);
    assert!(matches!(c.next(8_000), CredentialStep::Login { .. }));
}

#[test]
fn auth_errors_are_typed_and_never_carry_the_secret() {
    let mut c = machine();
    let echo = AuthAnswer {
        code: Some("invalid_credentials".into()),
        message: Some(format!("no client with secret {SECRET}")),
        ..Default::default()
    };
    let e = c.on_login(0, 401, &echo).unwrap_err();
    assert_eq!(
        (e.code, e.status, e.api_code.as_deref()),
        (
            ErrorCode::Unauthorized,
            Some(401),
            Some("invalid_credentials")
        )
    );
    assert!(!e.message.contains(SECRET), "{}", e.message);
    assert!(e.message.contains("[redacted]"), "{}", e.message);
    assert_eq!(
        c.on_login(0, 503, &AuthAnswer::default()).unwrap_err().code,
        ErrorCode::ServerError
    );
    assert_eq!(
        c.on_login(0, 429, &AuthAnswer::default()).unwrap_err().code,
        ErrorCode::RateLimited
    );
    assert_eq!(
        c.on_login(0, 400, &AuthAnswer::default()).unwrap_err().code,
        ErrorCode::BadRequest
    );
    let half = AuthAnswer {
        access_token: Some("at".into()),
        ..Default::default()
    };
    assert_eq!(
        c.on_login(0, 200, &half).unwrap_err().code,
        ErrorCode::InvalidResponse
    );
    assert!(!format!("{c:?} {:?}", c.next(0)).contains(SECRET));
    assert_eq!(
        Credentials::new(BaseUrl::default(), "id", "")
            .unwrap_err()
            .code,
        ErrorCode::InvalidArgument
    );
}
