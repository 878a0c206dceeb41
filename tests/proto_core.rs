//! Host tests of the sans-IO core: URL policy, Retry-After, backoff, the answer table
//! and the polling machine under a virtual clock. They also build for wasm32, where they
//! run under wasm-bindgen-test.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use eka_voice::proto::*;

fn facts(status: &str) -> BodyFacts {
    BodyFacts {
        object: true,
        status: Some(status.into()),
        ..Default::default()
    }
}

fn err_facts(code: &str, msg: &str) -> BodyFacts {
    BodyFacts {
        object: true,
        api_code: Some(code.into()),
        message: Some(msg.into()),
        ..Default::default()
    }
}

// ---------------------------------------------------------------- url

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

// ---------------------------------------------------------------- retry-after

#[test]
fn retry_after_seconds_and_dates() {
    let now = 784_111_777_000; // Sun, 06 Nov 1994 08:49:37 GMT
    assert_eq!(parse_retry_after("0", now), Some(0));
    assert_eq!(parse_retry_after(" 120 ", now), Some(120_000));
    assert_eq!(
        parse_retry_after("99999999999999999999", now),
        Some(MAX_RETRY_AFTER_MS)
    );
    assert_eq!(
        parse_retry_after("Sun, 06 Nov 1994 08:49:47 GMT", now),
        Some(10_000)
    );
    assert_eq!(
        parse_retry_after("Sunday, 06-Nov-94 08:49:47 GMT", now),
        Some(10_000)
    );
    assert_eq!(
        parse_retry_after("Sun Nov  6 08:49:47 1994", now),
        Some(10_000)
    );
    assert_eq!(
        parse_retry_after("Sun, 06 Nov 1994 08:00:00 GMT", now),
        Some(0),
        "past date = now"
    );
    for bad in [
        "",
        "-1",
        "1.5",
        "soon",
        "Sun, 32 Nov 1994 08:49:37 GMT",
        "Sun, 06 Foo 1994 08:49:37 GMT",
        "Sun, 06 Nov 1994 25:49:37 GMT",
        "Sun, 06 Nov 1994 GMT",
        "Sun, 06 Nov 99999999999999 08:49:37 GMT",
        "Sun, 06 Nov 1994 99999999999999999999:49:37 GMT",
        "06 Nov 1994 1 2 08:00:00",
    ] {
        assert_eq!(parse_retry_after(bad, now), None, "{bad:?}");
    }
    assert_eq!(
        parse_http_date("Tue, 24 Nov 2026 20:00:00 GMT"),
        Some(1_795_550_400_000)
    );
    assert_eq!(
        parse_http_date("Thu, 29 Feb 2024 00:00:00 GMT"),
        Some(1_709_164_800_000)
    );
}

// ---------------------------------------------------------------- backoff

#[test]
fn backoff_is_capped_exponential_with_equal_jitter() {
    let b = Backoff {
        base_ms: 100,
        max_ms: 1000,
    };
    assert_eq!(b.delay_ms(0, 0.0), 50);
    assert_eq!(b.delay_ms(0, 0.999), 99);
    assert_eq!(b.delay_ms(2, 0.0), 200);
    assert_eq!(b.delay_ms(3, 0.5), 600);
    assert_eq!(b.delay_ms(4, 0.0), 500);
    assert_eq!(b.delay_ms(200, 0.999), 999);
    assert_eq!(b.delay_ms(1, f64::NAN), 100);
    assert_eq!(b.delay_ms(1, -3.0), 100);
}

// ---------------------------------------------------------------- classify

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

// ---------------------------------------------------------------- poller

/// One scripted outcome of a request, for the virtual-clock driver.
#[derive(Clone)]
enum Reply {
    Http {
        after_ms: u64,
        status: u16,
        facts: Option<BodyFacts>,
        retry_after: Option<&'static str>,
    },
    Net {
        after_ms: u64,
    },
    Hang,
}

fn http(after_ms: u64, status: u16, body_status: &str) -> Reply {
    Reply::Http {
        after_ms,
        status,
        facts: Some(facts(body_status)),
        retry_after: None,
    }
}

#[derive(Debug, PartialEq)]
struct Run {
    /// Start times of the requests.
    sends: Vec<u64>,
    progress: usize,
    refreshes: usize,
    end_ms: u64,
    outcome: Result<(), Error>,
}

/// Drives a poller against a script, with a virtual clock. Fails if it never settles.
fn drive(cfg: PollConfig, script: &[Reply], rand01: f64) -> Run {
    let mut p = Poller::new(cfg);
    let mut now = 0;
    let mut run = Run {
        sends: vec![],
        progress: 0,
        refreshes: 0,
        end_ms: 0,
        outcome: Ok(()),
    };
    let mut action = p.start(now);
    for _ in 0..10_000 {
        action = match action {
            Action::Send { timeout_ms } => {
                run.sends.push(now);
                let reply = script
                    .get(run.sends.len() - 1)
                    .cloned()
                    .unwrap_or(Reply::Hang);
                match reply {
                    Reply::Http {
                        after_ms,
                        status,
                        facts,
                        retry_after,
                    } if after_ms < timeout_ms => {
                        now += after_ms;
                        p.on_answer(now, status, facts.as_ref(), retry_after, rand01)
                    }
                    Reply::Net { after_ms } if after_ms < timeout_ms => {
                        now += after_ms;
                        p.on_transport_error(now, Transport::Network("refused".into()), rand01)
                    }
                    _ => {
                        now += timeout_ms;
                        p.on_transport_error(now, Transport::TimedOut, rand01)
                    }
                }
            }
            Action::Sleep { ms } => {
                assert!(ms > 0 && ms <= MAX_TIMER_MS);
                now += ms;
                p.on_wake(now)
            }
            Action::Progress => {
                run.progress += 1;
                p.on_progressed(now)
            }
            Action::RefreshToken => {
                run.refreshes += 1;
                p.on_token(now)
            }
            Action::Resolve => {
                run.end_ms = now;
                return run;
            }
            Action::Reject(e) => {
                run.end_ms = now;
                run.outcome = Err(e);
                return run;
            }
        };
    }
    panic!("the poller never settled");
}

#[test]
fn quick_answers_wait_out_the_interval_and_held_answers_do_not() {
    let run = drive(
        PollConfig::default(),
        &[
            http(10, 202, "initialized"),
            http(10, 202, "processing"),
            http(10, 200, "completed"),
        ],
        0.5,
    );
    assert_eq!(run.sends, vec![0, 1000, 2000]);
    assert_eq!(run.progress, 2);
    assert_eq!(run.end_ms, 2010);
    assert!(run.outcome.is_ok());

    let held = drive(
        PollConfig::default(),
        &[
            http(14_000, 202, "processing"),
            http(14_000, 202, "processing"),
            http(300, 206, "partial"),
        ],
        0.5,
    );
    assert_eq!(
        held.sends,
        vec![0, 14_000, 28_000],
        "a held request is followed at once"
    );
    assert_eq!(held.end_ms, 28_300);
}

#[test]
fn terminal_answers_resolve_at_once() {
    for (code, status) in [
        (200, "completed"),
        (200, "failed"),
        (206, "partial"),
        (410, "expired"),
    ] {
        let run = drive(PollConfig::default(), &[http(5, code, status)], 0.5);
        assert_eq!(run.sends, vec![0]);
        assert_eq!(run.end_ms, 5);
        assert!(run.outcome.is_ok(), "{code} {status}");
    }
}

#[test]
fn not_found_is_never_retried() {
    let run = drive(
        PollConfig::default(),
        &[Reply::Http {
            after_ms: 3,
            status: 404,
            facts: Some(err_facts("session_not_found", "nope")),
            retry_after: None,
        }],
        0.5,
    );
    assert_eq!(run.sends.len(), 1);
    let e = run.outcome.unwrap_err();
    assert_eq!(
        (e.code, e.status, e.api_code.as_deref()),
        (ErrorCode::NotFound, Some(404), Some("session_not_found"))
    );
}

#[test]
fn transient_failures_back_off_then_give_up_after_max_retries() {
    let cfg = PollConfig {
        max_retries: 3,
        backoff: Backoff {
            base_ms: 100,
            max_ms: 1000,
        },
        ..Default::default()
    };
    let fail = Reply::Http {
        after_ms: 0,
        status: 503,
        facts: None,
        retry_after: None,
    };
    let run = drive(
        cfg,
        &[
            fail.clone(),
            fail.clone(),
            fail.clone(),
            fail.clone(),
            http(0, 200, "completed"),
        ],
        0.0,
    );
    assert_eq!(
        run.sends,
        vec![0, 50, 150, 350],
        "delays 50, 100, 200 with rand 0"
    );
    let e = run.outcome.unwrap_err();
    assert_eq!((e.code, e.status), (ErrorCode::ServerError, Some(503)));
    assert!(e.message.ends_with("(after 4 attempts)"), "{}", e.message);

    let run = drive(
        cfg,
        &[
            fail.clone(),
            fail.clone(),
            fail.clone(),
            http(0, 200, "completed"),
        ],
        0.999,
    );
    assert_eq!(run.sends, vec![0, 99, 298, 697]);
    assert!(run.outcome.is_ok());
}

#[test]
fn successes_reset_the_failure_count() {
    let cfg = PollConfig {
        max_retries: 1,
        interval_ms: 100,
        ..Default::default()
    };
    let fail = Reply::Net { after_ms: 1 };
    let run = drive(
        cfg,
        &[
            fail.clone(),
            http(1, 202, "processing"),
            fail.clone(),
            http(1, 202, "processing"),
            fail,
            http(1, 200, "completed"),
        ],
        0.0,
    );
    assert!(run.outcome.is_ok(), "{:?}", run.outcome);
    assert_eq!(run.sends.len(), 6);
}

#[test]
fn retry_after_is_honoured_in_seconds_and_past_the_deadline_fails_at_once() {
    let limited = |ra| Reply::Http {
        after_ms: 0,
        status: 429,
        facts: None,
        retry_after: Some(ra),
    };
    let run = drive(
        PollConfig::default(),
        &[limited("2"), limited("3"), http(0, 200, "completed")],
        0.5,
    );
    assert_eq!(run.sends, vec![0, 2000, 5000]);
    let cfg = PollConfig {
        timeout_ms: 10_000,
        ..Default::default()
    };
    let run = drive(cfg, &[limited("60")], 0.5);
    assert_eq!(run.sends, vec![0]);
    assert_eq!(run.end_ms, 0);
    let e = run.outcome.unwrap_err();
    assert_eq!(e.code, ErrorCode::RateLimited);
    assert!(
        e.message.contains("past the timeoutMs deadline"),
        "{}",
        e.message
    );
    // A garbled Retry-After falls back to backoff.
    let run = drive(
        PollConfig::default(),
        &[limited("soon"), http(0, 200, "completed")],
        0.0,
    );
    assert_eq!(run.sends, vec![0, 250]);
}

#[test]
fn retry_after_on_a_202_delays_the_next_poll() {
    let r = Reply::Http {
        after_ms: 0,
        status: 202,
        facts: Some(facts("processing")),
        retry_after: Some("5"),
    };
    let run = drive(PollConfig::default(), &[r, http(0, 200, "completed")], 0.5);
    assert_eq!(run.sends, vec![0, 5000]);
}

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
