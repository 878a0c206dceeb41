//! The polling machine under a virtual clock: the driver, intervals, retries and
//! `Retry-After`.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use super::{err_facts, facts};
use eka_voice::proto::*;

/// One scripted outcome of a request, for the virtual-clock driver.
#[derive(Clone)]
pub(crate) enum Reply {
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

pub(crate) fn http(after_ms: u64, status: u16, body_status: &str) -> Reply {
    Reply::Http {
        after_ms,
        status,
        facts: Some(facts(body_status)),
        retry_after: None,
    }
}

#[derive(Debug, PartialEq)]
pub(crate) struct Run {
    /// Start times of the requests.
    pub(crate) sends: Vec<u64>,
    pub(crate) progress: usize,
    /// The reported retries: (attempt, delay, error code).
    pub(crate) retries: Vec<(u32, u64, ErrorCode)>,
    pub(crate) refreshes: usize,
    pub(crate) end_ms: u64,
    pub(crate) outcome: Result<(), Error>,
    /// What the call resolved with instead of the body ([`Action::ResolveWith`]).
    pub(crate) resolved_with: Option<&'static str>,
}

/// Drives a poller against a script, with a virtual clock. Fails if it never settles.
pub(crate) fn drive(cfg: PollConfig, script: &[Reply], rand01: f64) -> Run {
    let mut p = Poller::new(cfg);
    let mut now = 0;
    let mut run = Run {
        sends: vec![],
        progress: 0,
        retries: vec![],
        refreshes: 0,
        end_ms: 0,
        outcome: Ok(()),
        resolved_with: None,
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
            Action::Retry {
                attempt,
                delay_ms,
                error,
            } => {
                run.retries.push((attempt, delay_ms, error.code));
                // Reporting takes a little time: it counts against the delay.
                now += 1;
                p.on_retried(now)
            }
            Action::RefreshToken => {
                run.refreshes += 1;
                p.on_token(now)
            }
            Action::Resolve => {
                run.end_ms = now;
                return run;
            }
            Action::ResolveWith(answer) => {
                run.end_ms = now;
                run.resolved_with = Some(answer);
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
        "delays 50, 100, 200 with rand 0 (the 1 ms each report took included)"
    );
    let server = ErrorCode::ServerError;
    assert_eq!(
        run.retries,
        vec![(1, 50, server), (2, 100, server), (3, 200, server)],
        "each retry is reported with its attempt and delay; the last failure is not"
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
fn a_backoff_past_the_deadline_is_no_retry() {
    let cfg = PollConfig {
        timeout_ms: 100,
        backoff: Backoff {
            base_ms: 1000,
            max_ms: 1000,
        },
        ..Default::default()
    };
    let fail = Reply::Net { after_ms: 1 };
    let run = drive(cfg, &[fail.clone(), fail], 0.5);
    assert_eq!(run.sends, vec![0]);
    assert!(run.retries.is_empty(), "{:?}", run.retries);
    assert_eq!(run.outcome.unwrap_err().code, ErrorCode::Timeout);
    assert_eq!(run.end_ms, 100);
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
    assert!(
        run.retries.is_empty(),
        "a retry that cannot happen is not reported"
    );
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
