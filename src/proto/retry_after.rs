//! `Retry-After` (RFC 9110 §10.2.3): delta-seconds or an HTTP-date, turned into a
//! delay in milliseconds given the current time. Pure: the caller passes `now_ms`
//! (milliseconds since the Unix epoch).
//!
//! Accepted date forms: IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), the obsolete
//! RFC 850 form (`Sunday, 06-Nov-94 08:49:37 GMT`) and asctime
//! (`Sun Nov  6 08:49:37 1994`). A date in the past means "now" (0 ms). Anything else
//! is ignored (`None`), and the client falls back to its own backoff.

/// The longest delay a `Retry-After` may ask for: one day. Longer values are clamped.
pub const MAX_RETRY_AFTER_MS: u64 = 86_400_000;

/// Parses a `Retry-After` value into a delay in milliseconds.
///
/// ```
/// use eka_voice::proto::parse_retry_after;
/// assert_eq!(parse_retry_after("3", 0), Some(3000));
/// // 784111777 s after the epoch is Sun, 06 Nov 1994 08:49:37 GMT.
/// let now = 784_111_777_000 - 2_000;
/// assert_eq!(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", now), Some(2000));
/// assert_eq!(parse_retry_after("soon", now), None);
/// ```
pub fn parse_retry_after(value: &str, now_ms: u64) -> Option<u64> {
    let v = value.trim();
    if v.is_empty() {
        return None;
    }
    if v.bytes().all(|b| b.is_ascii_digit()) {
        let secs: u64 = if v.len() > 9 {
            u64::MAX
        } else {
            v.parse().ok()?
        };
        return Some(secs.saturating_mul(1000).min(MAX_RETRY_AFTER_MS));
    }
    let at_ms = parse_http_date(v)?;
    Some(at_ms.saturating_sub(now_ms).min(MAX_RETRY_AFTER_MS))
}

/// Parses an HTTP-date into milliseconds since the Unix epoch.
///
/// ```
/// use eka_voice::proto::parse_http_date;
/// assert_eq!(parse_http_date("Thu, 01 Jan 1970 00:00:01 GMT"), Some(1000));
/// assert_eq!(parse_http_date("Sun Nov  6 08:49:37 1994"), Some(784_111_777_000));
/// ```
pub fn parse_http_date(v: &str) -> Option<u64> {
    let mut month = None;
    let mut time = None;
    let mut numbers: [Option<&str>; 2] = [None, None];
    let mut n = 0;
    for tok in v.split([' ', ',', '-']).filter(|t| !t.is_empty()) {
        if tok.contains(':') {
            time = Some(tok);
        } else if tok.bytes().all(|b| b.is_ascii_digit()) {
            if n == 2 {
                return None;
            }
            numbers[n] = Some(tok);
            n += 1;
        } else if let Some(m) = month_number(tok) {
            month = Some(m);
        } else if !(is_weekday(tok) || tok == "GMT" || tok == "UTC") {
            return None;
        }
    }
    let day: u64 = numbers[0]?.parse().ok()?;
    let year_tok = numbers[1]?;
    let mut year: u64 = year_tok.parse().ok()?;
    if year_tok.len() == 2 {
        year += if year < 70 { 2000 } else { 1900 };
    }
    let mut hms = time?.split(':').map(|p| p.parse::<u64>().ok());
    let (h, m, s) = (hms.next()??, hms.next()??, hms.next()??);
    if hms.next().is_some()
        || !(1..=31).contains(&day)
        || h > 23
        || m > 59
        || s > 60
        || !(1970..=9999).contains(&year)
    {
        return None;
    }
    let days = days_from_civil(year, month?, day);
    Some((days * 86_400 + h * 3600 + m * 60 + s) * 1000)
}

fn month_number(tok: &str) -> Option<u64> {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    MONTHS.iter().position(|m| *m == tok).map(|i| i as u64 + 1)
}

fn is_weekday(tok: &str) -> bool {
    const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    DAYS.iter().any(|d| tok.len() >= 3 && tok.starts_with(d))
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: u64, m: u64, d: u64) -> u64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}
