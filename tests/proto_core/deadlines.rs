//! The polling machine under a virtual clock: deadlines, request timeouts, the token
//! refresh, `once` mode, malformed answers and extreme options.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use super::facts;
use super::poll::{drive, http, Reply};
use eka_voice::proto::*;

#[test]
fn the_deadline_rejects_promptly_not_an_interval_later() {
    let cfg = PollConfig {
        timeout_ms: 2500,
        interval_ms: 1000,
        ..Default::default()
    };
    let pending = http(0, 202, "processing");
    let run = drive(
        cfg,
        &[pending.clone(), pending.clone(), pending.clone(), pending],
        0.5,
    );
    assert_eq!(run.sends, vec![0, 1000, 2000]);
    assert_eq!(run.end_ms, 2500);
    assert_eq!(run.outcome.unwrap_err().code, ErrorCode::Timeout);

    // A hanging request is cut at the deadline, not at requestTimeoutMs.
    let cfg = PollConfig {
        timeout_ms: 5000,
        request_timeout_ms: 30_000,
        ..Default::default()
    };
    let run = drive(cfg, &[Reply::Hang], 0.5);
    assert_eq!(run.end_ms, 5000);
    assert_eq!(run.outcome.unwrap_err().code, ErrorCode::Timeout);

    // Backoff is cut at the deadline too.
    let cfg = PollConfig {
        timeout_ms: 300,
        backoff: Backoff {
            base_ms: 10_000,
            max_ms: 10_000,
        },
        ..Default::default()
    };
    let run = drive(cfg, &[Reply::Net { after_ms: 0 }], 0.5);
    assert_eq!(run.end_ms, 300);
    assert_eq!(run.outcome.unwrap_err().code, ErrorCode::Timeout);
}

#[test]
fn a_timer_that_fires_early_at_the_deadline_sends_nothing_more() {
    let cfg = PollConfig {
        timeout_ms: 700,
        interval_ms: 400,
        ..Default::default()
    };
    let mut p = Poller::new(cfg);
    let pending = facts("processing");
    assert!(matches!(p.start(0), Action::Send { .. }));
    assert_eq!(
        p.on_answer(2, 202, Some(&pending), None, 0.5),
        Action::Progress
    );
    assert_eq!(p.on_progressed(2), Action::Sleep { ms: 398 });
    assert_eq!(
        p.on_wake(399),
        Action::Send { timeout_ms: 301 },
        "an early wake before the deadline still sends"
    );
    assert_eq!(
        p.on_answer(402, 202, Some(&pending), None, 0.5),
        Action::Progress
    );
    assert_eq!(p.on_progressed(402), Action::Sleep { ms: 298 });
    // The timer fires 1 ms early by Date.now(): still the deadline, no extra request.
    match p.on_wake(699) {
        Action::Reject(e) => assert_eq!(e.code, ErrorCode::Timeout),
        other => panic!("{other:?}"),
    }
}

#[test]
fn request_timeouts_are_transient_network_failures() {
    let cfg = PollConfig {
        request_timeout_ms: 20_000,
        max_retries: 1,
        backoff: Backoff {
            base_ms: 100,
            max_ms: 100,
        },
        ..Default::default()
    };
    let run = drive(cfg, &[Reply::Hang, Reply::Hang], 0.0);
    assert_eq!(run.sends, vec![0, 20_050]);
    let e = run.outcome.unwrap_err();
    assert_eq!((e.code, e.status), (ErrorCode::Network, None));
    assert!(e.message.contains("requestTimeoutMs"), "{}", e.message);
}

#[test]
fn a_401_refreshes_the_token_once_then_fails() {
    let unauthorized = Reply::Http {
        after_ms: 1,
        status: 401,
        facts: None,
        retry_after: None,
    };
    let cfg = PollConfig {
        can_refresh_token: true,
        ..Default::default()
    };
    let run = drive(cfg, &[unauthorized.clone(), http(1, 200, "completed")], 0.5);
    assert_eq!((run.refreshes, run.sends.len()), (1, 2));
    assert!(run.outcome.is_ok());
    let run = drive(
        cfg,
        &[
            unauthorized.clone(),
            unauthorized.clone(),
            http(1, 200, "completed"),
        ],
        0.5,
    );
    assert_eq!((run.refreshes, run.sends.len()), (1, 2));
    assert_eq!(run.outcome.unwrap_err().code, ErrorCode::Unauthorized);
    // After a good answer, a later 401 may refresh again (tokens expire mid-session).
    let run = drive(
        cfg,
        &[
            unauthorized.clone(),
            http(1, 202, "processing"),
            unauthorized.clone(),
            http(1, 200, "completed"),
        ],
        0.5,
    );
    assert_eq!((run.refreshes, run.sends.len()), (2, 4));
    assert!(run.outcome.is_ok());
    // Without a token source, a 401 fails at once.
    let run = drive(PollConfig::default(), &[unauthorized], 0.5);
    assert_eq!((run.refreshes, run.sends.len()), (0, 1));
    assert_eq!(run.outcome.unwrap_err().code, ErrorCode::Unauthorized);
}

#[test]
fn once_mode_resolves_pending_answers_and_does_not_retry() {
    let cfg = PollConfig {
        once: true,
        ..Default::default()
    };
    let run = drive(cfg, &[http(1, 202, "processing")], 0.5);
    assert_eq!((run.sends.len(), run.progress), (1, 0));
    assert!(run.outcome.is_ok());
    let run = drive(
        cfg,
        &[Reply::Http {
            after_ms: 1,
            status: 500,
            facts: None,
            retry_after: None,
        }],
        0.5,
    );
    assert_eq!(run.sends.len(), 1);
    assert_eq!(run.outcome.unwrap_err().code, ErrorCode::ServerError);
}

#[test]
fn malformed_and_unknown_answers_fail_clearly() {
    let run = drive(
        PollConfig::default(),
        &[Reply::Http {
            after_ms: 1,
            status: 200,
            facts: None,
            retry_after: None,
        }],
        0.5,
    );
    assert_eq!(run.outcome.unwrap_err().code, ErrorCode::InvalidResponse);
    let run = drive(PollConfig::default(), &[http(1, 200, "archived")], 0.5);
    let e = run.outcome.unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidResponse);
    assert!(e.message.contains("\"archived\""), "{}", e.message);
}

#[test]
fn huge_options_never_overflow() {
    let cfg = PollConfig {
        timeout_ms: u64::MAX,
        interval_ms: u64::MAX,
        request_timeout_ms: u64::MAX,
        ..Default::default()
    };
    let mut p = Poller::new(cfg);
    assert_eq!(
        p.start(5),
        Action::Send {
            timeout_ms: MAX_TIMER_MS
        }
    );
    assert_eq!(
        p.on_answer(6, 202, Some(&facts("processing")), None, 0.5),
        Action::Progress
    );
    assert_eq!(p.on_progressed(6), Action::Sleep { ms: MAX_TIMER_MS });
    let mut p = Poller::new(PollConfig {
        timeout_ms: 0,
        ..Default::default()
    });
    assert_eq!(
        p.start(5),
        Action::Reject(Error::new(
            ErrorCode::Timeout,
            "no final answer within 0 ms (timeoutMs)"
        ))
    );
}

// The randomised tests (random answers, options and text through every parser and the
// poller) are property tests now: tests/proto_props.rs (proptest).

#[test]
fn a_403_invalid_token_refreshes_once_like_a_401() {
    let refused = Reply::Http {
        after_ms: 1,
        status: 403,
        facts: Some(BodyFacts {
            object: true,
            api_code: Some("invalid_token".into()),
            message: Some("invalid_token".into()),
            ..Default::default()
        }),
        retry_after: None,
    };
    let cfg = PollConfig {
        can_refresh_token: true,
        ..Default::default()
    };
    let run = drive(cfg, &[refused.clone(), http(1, 200, "completed")], 0.5);
    assert_eq!((run.refreshes, run.sends.len()), (1, 2));
    assert!(run.outcome.is_ok());
    let run = drive(cfg, &[refused.clone(), refused.clone()], 0.5);
    assert_eq!((run.refreshes, run.sends.len()), (1, 2));
    let e = run.outcome.unwrap_err();
    assert_eq!(
        (e.code, e.status, e.api_code.as_deref()),
        (ErrorCode::Unauthorized, Some(403), Some("invalid_token"))
    );
}
