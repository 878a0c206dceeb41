//! Discovery's answer kept by its `Cache-Control`, and a create checked against it: the
//! simulator's own answer (the provider's shape) read as the wasm layer reads it.

use eka_voice::proto::discovery::{max_age_ms, Offer, MAX_KEPT_MS};
use eka_voice::proto::ErrorCode;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

#[test]
fn cache_control_says_how_long_the_answer_is_kept() {
    for (header, ms) in [
        ("max-age=10800", 10_800_000),
        ("public, max-age=60", 60_000),
        ("MAX-AGE = 5", 5_000),
        ("max-age=\"7\"", 7_000),
        ("max-age=0", 0),
        ("max-age=60, max-age=120", 60_000),
        ("private, max-age=30", 30_000),
        ("no-cache", 0),
        ("max-age=60, no-store", 0),
        ("No-Store", 0),
        ("max-age=", 0),
        ("max-age=-5", 0),
        ("max-age=1e3", 0),
        ("max-age=99999999999999999999999", MAX_KEPT_MS),
        ("max-age=172800", MAX_KEPT_MS),
        ("", 0),
        ("s-maxage=60", 0),
    ] {
        assert_eq!(max_age_ms(Some(header)), ms, "{header}");
    }
    assert_eq!(max_age_ms(None), 0);
}

fn offer() -> Offer {
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    Offer {
        models: vec![
            ("lite".into(), s(&["en", "hi"])),
            ("pro".into(), s(&["en", "hi", "en-hi"])),
        ],
        languages: s(&["en", "hi", "en-hi"]),
    }
}

#[test]
fn a_create_is_checked_against_the_models_and_languages_offered() {
    let l = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    let o = offer();
    assert!(o.check(None, &[]).is_ok());
    assert!(o.check(Some("pro"), &l(&["en-hi"])).is_ok());
    assert!(o.check(None, &l(&["en", "hi"])).is_ok());
    for (model, langs, says) in [
        (
            Some("lite"),
            l(&["en-hi"]),
            "`languageHint` \"en-hi\" is not a language of model \"lite\" (Discovery: en, hi)",
        ),
        (
            None,
            l(&["en", "fr"]),
            "`languageHint` \"fr\" is not a language of the service (Discovery: en, hi, en-hi)",
        ),
        (
            Some("Pro"),
            vec![],
            "`model` \"Pro\" is not a model of the service (Discovery: lite, pro)",
        ),
    ] {
        let e = o.check(model, &langs).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidArgument);
        assert_eq!(e.message, says);
    }
    // A long value is cut in the message.
    let long = "x".repeat(10_000);
    let e = o.check(Some(&long), &[]).unwrap_err();
    assert!(e.message.len() < 200, "{}", e.message.len());
}

#[test]
fn what_the_answer_does_not_give_checks_nothing() {
    let empty = Offer::default();
    assert!(empty.check(Some("anything"), &["zz".into()]).is_ok());
    // Models without their languages: the service's list applies.
    let o = Offer {
        models: vec![("pro".into(), vec![])],
        languages: vec!["en".into()],
    };
    assert!(o.check(Some("pro"), &["en".into()]).is_ok());
    assert!(o.check(Some("pro"), &["hi".into()]).is_err());
    // Languages without models: any model passes, languages are checked.
    let o = Offer {
        models: vec![],
        languages: vec!["en".into()],
    };
    assert!(o.check(Some("pro"), &["en".into()]).is_ok());
}
