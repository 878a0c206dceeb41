//! Host tests of the lifecycle core: answers of every operation, audio formats (on the
//! fixtures), request bodies, upload URLs and the origin rule, presigned forms, the
//! upload ledger.

#![cfg(not(target_arch = "wasm32"))] // reads the fixtures from disk

use eka_voice::proto::*;

fn fatal_code(v: Verdict) -> ErrorCode {
    match v {
        Verdict::Fatal(e) => e.code,
        other => panic!("not fatal: {other:?}"),
    }
}

#[test]
fn lifecycle_answers() {
    let created = BodyFacts {
        object: true,
        session_id: Some("ses_1".into()),
        ..Default::default()
    };
    assert_eq!(
        classify_answer(Op::CreateSession, 201, Some(&created)),
        Verdict::Done
    );
    assert_eq!(
        classify_answer(Op::CreateSession, 200, Some(&created)),
        Verdict::Done
    );
    assert_eq!(
        fatal_code(classify_answer(Op::CreateSession, 201, None)),
        ErrorCode::InvalidResponse
    );
    assert_eq!(
        fatal_code(classify_answer(
            Op::CreateSession,
            201,
            Some(&BodyFacts {
                object: true,
                ..Default::default()
            })
        )),
        ErrorCode::InvalidResponse
    );
    for ok in [200, 201, 204] {
        assert_eq!(classify_answer(Op::UploadAudio, ok, None), Verdict::Done);
        assert_eq!(
            classify_answer(Op::PresignedUpload, ok, None),
            Verdict::Done
        );
    }
    assert_eq!(classify_answer(Op::EndSession, 202, None), Verdict::Done);
    assert_eq!(
        fatal_code(classify_answer(Op::EndSession, 204, None)),
        ErrorCode::InvalidResponse
    );
    let ended = BodyFacts {
        object: true,
        api_code: Some("session_ended".into()),
        message: Some("Session already ended".into()),
        ..Default::default()
    };
    match classify_answer(Op::UploadAudio, 400, Some(&ended)) {
        Verdict::Fatal(e) => {
            assert_eq!(
                (e.code, e.status, e.api_code.as_deref()),
                (ErrorCode::BadRequest, Some(400), Some("session_ended"))
            );
            assert!(e.message.contains("Session already ended"));
        }
        other => panic!("{other:?}"),
    }
    for op in [Op::CreateSession, Op::UploadAudio, Op::EndSession] {
        assert_eq!(
            fatal_code(classify_answer(op, 409, None)),
            ErrorCode::Conflict
        );
        assert_eq!(
            fatal_code(classify_answer(op, 410, None)),
            ErrorCode::Expired
        );
        assert_eq!(
            fatal_code(classify_answer(op, 413, None)),
            ErrorCode::TooLarge
        );
        assert_eq!(
            fatal_code(classify_answer(op, 422, None)),
            ErrorCode::BadRequest
        );
        assert!(matches!(
            classify_answer(op, 503, None),
            Verdict::Transient(_)
        ));
        assert!(matches!(
            classify_answer(op, 429, None),
            Verdict::Transient(_)
        ));
        assert!(matches!(
            classify_answer(op, 401, None),
            Verdict::Unauthorized(_)
        ));
    }
    // Get Session keeps its own 410 (a session body).
    let expired = BodyFacts {
        object: true,
        status: Some("expired".into()),
        ..Default::default()
    };
    assert_eq!(
        classify_answer(Op::GetSession, 410, Some(&expired)),
        Verdict::Finished(SessionStatus::Expired)
    );
}

#[test]
fn a_lifecycle_call_is_retried_on_transient_failures_and_resolves_on_success() {
    let mut p = Poller::new(PollConfig {
        op: Op::UploadAudio,
        ..Default::default()
    });
    assert!(matches!(p.start(0), Action::Send { .. }));
    assert!(matches!(
        p.on_answer(1, 503, None, None, 0.0),
        Action::Retry {
            attempt: 1,
            delay_ms: 250,
            ..
        }
    ));
    assert_eq!(p.on_retried(1), Action::Sleep { ms: 250 });
    assert!(matches!(p.on_wake(251), Action::Send { .. }));
    assert_eq!(p.on_answer(260, 200, None, None, 0.0), Action::Resolve);
}

fn fixture(name: &str) -> Vec<u8> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/audio/");
    std::fs::read(format!("{path}{name}")).unwrap_or_else(|e| panic!("fixture {name}: {e}"))
}

#[test]
fn sniffing_the_fixtures() {
    for (file, format) in [
        ("consultation-part0.wav", AudioFormat::Wav),
        ("consultation.webm", AudioFormat::Webm),
        ("consultation.ogg", AudioFormat::Ogg),
        ("consultation.mp3", AudioFormat::Mp3),
        ("consultation-noid3.mp3", AudioFormat::Mp3),
        ("consultation.m4a", AudioFormat::M4a),
    ] {
        let bytes = fixture(file);
        assert_eq!(
            AudioFormat::sniff(&bytes[..SNIFF_BYTES]),
            Some(format),
            "{file}"
        );
        assert_eq!(
            resolve_format(None, Some(""), &bytes[..SNIFF_BYTES]).unwrap(),
            format
        );
    }
    let mut mp4 = fixture("consultation.m4a");
    mp4[8..12].copy_from_slice(b"isom");
    assert_eq!(AudioFormat::sniff(&mp4), Some(AudioFormat::Mp4));
    for not_audio in [
        &b"%PDF-1.7 xxxxx"[..],
        b"{\"a\":1}",
        b"",
        b"RIFF\0\0\0\0AVI ",
        &[0xFF, 0xF1, 0x50, 0x80],
        b"OggS"[..3].as_ref(),
    ] {
        assert_eq!(AudioFormat::sniff(not_audio), None, "{not_audio:?}");
    }
}

#[test]
fn formats_from_names_and_mime_types() {
    use AudioFormat::*;
    for (s, f) in [
        ("wav", Wav),
        (".WAV", Wav),
        ("audio/x-wav", Wav),
        ("audio/wav", Wav),
        ("audio/webm;codecs=opus", Webm),
        ("video/webm", Webm),
        ("ogg", Ogg),
        ("audio/ogg; codecs=opus", Ogg),
        ("mp3", Mp3),
        ("audio/mpeg", Mp3),
        ("m4a", M4a),
        ("audio/x-m4a", M4a),
        ("audio/mp4", Mp4),
    ] {
        assert_eq!(AudioFormat::parse(s), Some(f), "{s}");
    }
    for s in [
        "flac",
        "audio/flac",
        "text/plain",
        "",
        "application/octet-stream",
        "image/webm",
    ] {
        assert_eq!(AudioFormat::parse(s), None, "{s}");
    }
    // The caller's format wins; a MIME type that names no format falls back to the bytes.
    assert_eq!(
        resolve_format(Some("mp3"), Some("audio/wav"), b"RIFF").unwrap(),
        Mp3
    );
    assert_eq!(
        resolve_format(None, Some("audio/ogg"), b"RIFF\0\0\0\0WAVE").unwrap(),
        Ogg
    );
    assert_eq!(
        resolve_format(None, Some("application/octet-stream"), b"RIFF\0\0\0\0WAVE").unwrap(),
        Wav
    );
    assert_eq!(
        resolve_format(Some("aiff"), None, b"RIFF\0\0\0\0WAVE")
            .unwrap_err()
            .code,
        ErrorCode::InvalidArgument
    );
    assert_eq!(
        resolve_format(None, None, b"nope").unwrap_err().code,
        ErrorCode::InvalidAudio
    );
    assert_eq!(file_name(0, Wav), "audio_0.wav");
    assert_eq!(
        check_chunk_size(MAX_CHUNK_BYTES + 1).unwrap_err().code,
        ErrorCode::InvalidAudio
    );
    assert_eq!(
        check_chunk_size(0).unwrap_err().code,
        ErrorCode::InvalidAudio
    );
}

#[test]
fn create_session_bodies() {
    let full = CreateSession {
        upload_type: UploadType::Single,
        templates: Some(vec![
            "eka_emr_template".into(),
            "clinical_notes_template".into(),
        ]),
        model: Some("pro".into()),
        language_hint: Some(vec!["en".into(), "hi".into()]),
        transcript_language: Some("en".into()),
        session_mode: Some("consultation".into()),
        patient_details_json: Some(r#"{"oid":"p_1","name":"A \"B\""}"#.into()),
        additional_data_json: Some(r#"{"visit":7}"#.into()),
        additional_data_has_protocol: false,
        session_id: Some("client-chosen-id-0001".into()),
        // A query parameter (`?version=v2`), never in the body.
        presigned: true,
    };
    assert_eq!(
        full.to_json().unwrap(),
        concat!(
            r#"{"upload_type":"single","communication_protocol":"http","#,
            r#""templates":["eka_emr_template","clinical_notes_template"],"model":"pro","transcript_language":"en","#,
            r#""session_mode":"consultation","session_id":"client-chosen-id-0001","language_hint":["en","hi"],"#,
            r#""patient_details":{"oid":"p_1","name":"A \"B\""},"additional_data":{"visit":7}}"#
        )
    );
    let bad = |c: CreateSession| c.to_json().unwrap_err().code;
    assert_eq!(
        bad(CreateSession {
            session_id: Some("short".into()),
            ..Default::default()
        }),
        ErrorCode::InvalidArgument
    );
    assert_eq!(
        bad(CreateSession {
            session_id: Some("x".repeat(33)),
            ..Default::default()
        }),
        ErrorCode::InvalidArgument
    );
    assert_eq!(
        bad(CreateSession {
            additional_data_json: Some("[1]".into()),
            ..Default::default()
        }),
        ErrorCode::InvalidArgument
    );
    assert_eq!(
        bad(CreateSession {
            patient_details_json: Some("\"x\"".into()),
            ..Default::default()
        }),
        ErrorCode::InvalidArgument
    );
    let big = format!(r#"{{"a":"{}"}}"#, "x".repeat(MAX_ADDITIONAL_DATA_BYTES));
    assert_eq!(
        bad(CreateSession {
            additional_data_json: Some(big),
            ..Default::default()
        }),
        ErrorCode::InvalidArgument
    );
    assert_eq!(
        bad(CreateSession {
            additional_data_has_protocol: true,
            additional_data_json: Some("{}".into()),
            ..Default::default()
        }),
        ErrorCode::InvalidArgument
    );
    assert!(UploadType::parse("stream").is_err());
    // Strings are escaped as JSON (the writer is the core's own).
    let tricky = CreateSession {
        model: Some("tab\tü\u{7f}\\\"\u{1}".into()),
        ..Default::default()
    };
    let json = tricky.to_json().unwrap();
    assert!(
        json.ends_with("\"model\":\"tab\\tü\u{7f}\\\\\\\"\\u0001\"}"),
        "{json}"
    );
}

#[test]
fn urls_and_the_token_origin_rule() {
    let base = BaseUrl::parse("http://127.0.0.1:8787").unwrap();
    assert_eq!(
        create_url(&base, false),
        "http://127.0.0.1:8787/voice/v1/sessions"
    );
    assert_eq!(
        end_url(&base, "ses_1").unwrap(),
        "http://127.0.0.1:8787/voice/v1/sessions/ses_1/end"
    );
    assert_eq!(
        default_upload_url(&base, "s 1").unwrap(),
        "http://127.0.0.1:8787/voice/v1/sessions/s%201/audio"
    );
    // Dot segments would resolve away: refused by every builder of a session URL.
    for dots in [".", ".."] {
        for e in [
            end_url(&base, dots).unwrap_err(),
            default_upload_url(&base, dots).unwrap_err(),
            session_url(&base, dots, Filter::None).unwrap_err(),
        ] {
            assert_eq!(e.code, ErrorCode::InvalidArgument, "{dots}");
        }
    }
    assert_eq!(
        raw_upload_url(
            &base,
            "http://127.0.0.1:8787/voice/v1/sessions/ses_1/audio",
            "audio_3.ogg"
        )
        .unwrap(),
        "http://127.0.0.1:8787/voice/v1/sessions/ses_1/audio/audio_3.ogg"
    );
    for other in [
        "http://127.0.0.1:8788/voice/v1/sessions/ses_1/audio",
        "http://localhost:8787/voice/v1/sessions/ses_1/audio",
        "https://127.0.0.1:8787/audio",
        "wss://127.0.0.1:8787/voice/v1/stream/sessions/x/audio",
        "http://evil.example/audio",
        "not a url",
    ] {
        assert_eq!(
            raw_upload_url(&base, other, "audio_0.wav")
                .unwrap_err()
                .code,
            ErrorCode::InvalidResponse,
            "{other}"
        );
    }
    assert!(check_presigned_url("https://bucket.s3.amazonaws.com/").is_ok());
    assert!(check_presigned_url("http://bucket.example/").is_err());
    assert_eq!(
        end_body(0, 0),
        r#"{"audio_files_sent":0,"audio_files_uploaded":0}"#
    );
}

#[test]
fn presigned_forms_put_the_fields_first_and_replace_the_file_name() {
    let given = vec![
        ("key".to_string(), "folder/ses_1/${filename}".to_string()),
        ("policy".to_string(), "eyJ...".to_string()),
        ("x-amz-signature".to_string(), "abc".to_string()),
        (
            "Content-Type".to_string(),
            "application/octet-stream".to_string(),
        ),
    ];
    let f = presigned_fields(&given, "2.webm", AudioFormat::Webm);
    assert_eq!(f[0], ("key".into(), "folder/ses_1/2.webm".into()));
    assert_eq!(f[1].0, "policy");
    assert_eq!(f[2].0, "x-amz-signature");
    assert_eq!(
        f.last().unwrap(),
        &(
            "Content-Type".to_string(),
            "audio/webm;codecs=opus".to_string()
        )
    );
    assert_eq!(f.len(), 4);
    for fmt in [
        AudioFormat::Wav,
        AudioFormat::Ogg,
        AudioFormat::Mp3,
        AudioFormat::M4a,
        AudioFormat::Mp4,
    ] {
        assert!(fmt.mime().starts_with("audio/"));
    }
}

#[test]
fn the_upload_ledger_numbers_counts_and_decides() {
    let mut l = UploadLedger::default();
    assert_eq!(
        l.check(false).unwrap_err().code,
        ErrorCode::InvalidArgument,
        "no chunks at all"
    );
    assert_eq!(
        l.assign(Some(5), AudioFormat::Ogg).unwrap(),
        (5, "audio_5.ogg".to_string())
    );
    assert_eq!(l.assign(None, AudioFormat::Ogg).unwrap().0, 6);
    assert_eq!(l.assign(Some(2), AudioFormat::Ogg).unwrap().0, 2);
    assert_eq!(
        l.assign(Some(5), AudioFormat::Ogg).unwrap_err().code,
        ErrorCode::InvalidArgument
    );
    l.release(2);
    assert_eq!(
        l.assign(Some(2), AudioFormat::Wav).unwrap().1,
        "audio_2.wav"
    );
    l.settle(5, "audio_5.ogg", true);
    l.settle(6, "audio_6.ogg", true);
    assert_eq!(l.check(false).unwrap(), Vec::<String>::new());
    l.settle(2, "audio_2.wav", false);
    assert_eq!(l.end_counts(), (3, 2));
    let e = l.check(false).unwrap_err();
    assert_eq!(e.code, ErrorCode::UploadFailed);
    assert!(e.message.contains("audio_2.wav"), "{}", e.message);
    assert_eq!(l.check(true).unwrap(), vec!["audio_2.wav".to_string()]);
    // A failed chunk may be sent again under its number: a retry, counted once; a retry
    // released before sending is failed again.
    assert_eq!(l.reserve(Some(2)).unwrap(), 2);
    assert_eq!(l.in_flight(), 1);
    l.release(2);
    assert_eq!((l.in_flight(), l.end_counts()), (0, (3, 2)));
    assert_eq!(l.reserve(Some(2)).unwrap(), 2);
    l.settle(2, "audio_2.wav", true);
    assert_eq!(l.end_counts(), (3, 3));
    assert_eq!(l.check(false).unwrap(), Vec::<String>::new());
    assert_eq!(l.reserve(None).unwrap(), 7, "after the highest");
    let mut none_made_it = UploadLedger::default();
    none_made_it.settle(0, "audio_0.wav", false);
    assert_eq!(
        none_made_it.check(true).unwrap_err().code,
        ErrorCode::UploadFailed,
        "partial needs one chunk"
    );
}

#[test]
fn progress_phases_and_upload_progress() {
    assert_eq!(
        [
            Phase::Creating,
            Phase::Uploading,
            Phase::Ending,
            Phase::Processing
        ]
        .map(Phase::as_str),
        ["creating", "uploading", "ending", "processing"]
    );
    // Totals known (an array of chunks): a real progress bar.
    let mut p = UploadProgress::new(Some(3), Some(600));
    p.settle(100, true);
    p.settle(200, false);
    p.settle(300, true);
    assert_eq!((p.chunks_done, p.bytes_done), (3, 400));
    assert_eq!((p.chunks_total, p.bytes_total), (Some(3), Some(600)));
    // Totals unknown (a live async iterable): counts only.
    let mut live = UploadProgress::default();
    live.settle(10, true);
    assert_eq!(
        (live.chunks_done, live.bytes_done, live.bytes_total),
        (1, 10, None)
    );
}

#[test]
fn an_upload_url_read_from_the_wire_is_judged_by_the_core() {
    use eka_voice::proto::{Target, UploadUrlRead};
    let s = |v: &str| Some(v.to_string());
    assert_eq!(
        Target::from_read(UploadUrlRead::Text("https://api.example/a".into())),
        Ok(Some(Target::Raw("https://api.example/a".into())))
    );
    // Fields keep their order.
    let read = UploadUrlRead::Other {
        url: s("https://s3.example/b"),
        fields: Some(vec![("z".into(), s("1")), ("a".into(), s("2"))]),
    };
    assert_eq!(
        Target::from_read(read),
        Ok(Some(Target::Presigned {
            url: "https://s3.example/b".into(),
            fields: vec![("z".into(), "1".into()), ("a".into(), "2".into())],
        }))
    );
    for (read, says) in [
        (
            UploadUrlRead::Other {
                url: None,
                fields: Some(vec![]),
            },
            "neither",
        ),
        (
            UploadUrlRead::Other {
                url: s("u"),
                fields: None,
            },
            "neither",
        ),
        (
            UploadUrlRead::Other {
                url: s("u"),
                fields: Some(vec![("k".into(), None)]),
            },
            "must hold strings",
        ),
    ] {
        let e = Target::from_read(read).unwrap_err();
        assert_eq!(e.code, eka_voice::proto::ErrorCode::InvalidResponse);
        assert!(e.message.contains(says), "{}", e.message);
    }
}
