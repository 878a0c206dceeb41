//! `Retry-After` and the backoff.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use eka_voice::proto::*;

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
