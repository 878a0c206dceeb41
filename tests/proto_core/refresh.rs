//! The single-flight refresh of a client's token, on its own: the rules `wasm/token.rs`
//! performs (one `getToken()` call for concurrent needs, keyed by generation, forgotten when
//! it settles or its last waiter leaves, published once and never over a newer token).

use eka_voice::proto::{TokenState, TokenStep};

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

/// The IO layer's side of an ask: the step `need` takes (it must be an ask), the source
/// called, its handle (here the refresh's number plus 100) handed back.
fn ask(
    t: &mut TokenState<u32>,
    need: impl FnOnce(&mut TokenState<u32>) -> TokenStep<u32>,
) -> (u32, Option<String>) {
    match need(t) {
        TokenStep::Ask { refresh, refused } => {
            t.started(refresh, refresh + 100);
            (refresh, refused)
        }
        other => panic!("expected an ask, got {other:?}"),
    }
}

#[test]
fn a_static_token_or_no_source_never_asks() {
    let mut fixed = TokenState::<u32>::new(Some("tok-static".into()), false);
    assert_eq!(
        fixed.first(),
        TokenStep::Use((Some("tok-static".into()), 0))
    );
    assert_eq!(
        fixed.replace(0),
        TokenStep::Use((Some("tok-static".into()), 0))
    );
    let mut none = TokenState::<u32>::new(None, false);
    assert_eq!(none.first(), TokenStep::Use((None, 0)));
    // A static token with a source: used first, replaced on refusal.
    let mut both = TokenState::<u32>::new(Some("tok-static".into()), true);
    assert_eq!(both.first(), TokenStep::Use((Some("tok-static".into()), 0)));
    assert_eq!(
        ask(&mut both, |t| t.replace(0)),
        (0, Some("tok-static".into()))
    );
}

#[test]
fn concurrent_refusals_share_one_call_and_late_ones_use_the_new_token() {
    let mut t = TokenState::<u32>::new(Some("tok-old".into()), true);
    let (n, refused) = ask(&mut t, |t| t.replace(0));
    assert_eq!(
        refused.as_deref(),
        Some("tok-old"),
        "the source is told what was refused"
    );
    for _ in 0..5 {
        assert_eq!(t.replace(0), TokenStep::Wait(n, n + 100));
    }
    assert_eq!(
        t.settled(n, Some("tok-new".into())),
        (Some("tok-new".into()), 1)
    );
    // Every other waiter says so too: nothing changes.
    assert_eq!(
        t.settled(n, Some("tok-other".into())),
        (Some("tok-new".into()), 1)
    );
    assert_eq!(t.in_flight(), None);
    // A request refused with the old token now: the new one, no call.
    assert_eq!(t.replace(0), TokenStep::Use((Some("tok-new".into()), 1)));
    // Refused with the new one: a new call, a new number.
    let (m, refused) = ask(&mut t, |t| t.replace(1));
    assert_ne!(m, n);
    assert_eq!(refused.as_deref(), Some("tok-new"));
}

#[test]
fn a_refresh_every_waiter_left_is_forgotten_and_never_reused() {
    let mut t = TokenState::<u32>::new(None, true);
    let (n, _) = ask(&mut t, |t| t.first());
    assert_eq!(t.first(), TokenStep::Wait(n, n + 100));
    t.left(n);
    assert_eq!(t.in_flight(), Some(n), "one waiter still there");
    t.left(n);
    assert_eq!(t.in_flight(), None);
    // The next need asks again; the old call settling late publishes nothing.
    let (m, _) = ask(&mut t, |t| t.first());
    assert_ne!(m, n);
    assert_eq!(t.settled(n, Some("tok-late".into())), (None, 0));
    assert_eq!(
        t.settled(m, Some("tok-fresh".into())),
        (Some("tok-fresh".into()), 1)
    );
}

#[test]
fn a_failed_refresh_publishes_nothing_and_the_next_need_asks_again() {
    let mut t = TokenState::<u32>::new(Some("tok-1".into()), true);
    let (n, _) = ask(&mut t, |t| t.replace(0));
    assert_eq!(t.settled(n, None), (Some("tok-1".into()), 0));
    assert_eq!(t.in_flight(), None);
    let (m, refused) = ask(&mut t, |t| t.replace(0));
    assert_ne!(m, n);
    assert_eq!(refused.as_deref(), Some("tok-1"));
}

#[test]
fn an_older_refresh_never_overwrites_a_newer_token() {
    let mut t = TokenState::<u32>::new(None, true);
    let (n, _) = ask(&mut t, |t| t.first());
    assert_eq!(
        t.settled(n, Some("tok-a".into())),
        (Some("tok-a".into()), 1)
    );
    let (m, _) = ask(&mut t, |t| t.replace(1));
    assert_eq!(
        t.settled(m, Some("tok-b".into())),
        (Some("tok-b".into()), 2)
    );
    // A stale settle of either is a no-op.
    assert_eq!(
        t.settled(n, Some("tok-stale".into())),
        (Some("tok-b".into()), 2)
    );
    assert_eq!(
        t.settled(m, Some("tok-stale".into())),
        (Some("tok-b".into()), 2)
    );
}
