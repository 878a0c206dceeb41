//! The `transcribe` machine ([`Transcriber`]) on a virtual clock: create, chunks as they
//! arrive with bounded parallelism, the failure policy, End's counts, the deadline — and,
//! as properties, any order of completions and failures: it always settles, never loses a
//! chunk, and never ends the session while a chunk is in doubt.
#![cfg(not(target_arch = "wasm32"))]

use eka_voice::proto::*;
use proptest::prelude::*;

const OGG: &[u8] = b"OggS\0\0\0\0";

fn cfg(concurrency: u32, allow_partial: bool, chunks_total: Option<u32>) -> TranscribeConfig {
    TranscribeConfig {
        concurrency,
        allow_partial,
        timeout_ms: 10_000,
        chunks_total,
        bytes_total: chunks_total.map(|n| u64::from(n) * 8),
        durable: false,
    }
}

/// Drains the actions, answering Create / End / Poll at once (the uploads and chunks are
/// the caller's to play); returns the actions seen.
fn drain(m: &mut Transcriber, now: u64) -> Vec<TranscribeAction> {
    let mut seen = Vec::new();
    while let Some(a) = m.next_action() {
        match &a {
            TranscribeAction::Create { .. } => m.on_created("ses_1", None),
            TranscribeAction::End { .. } => m.on_ended(now),
            TranscribeAction::Poll { .. } => m.on_polled(),
            _ => {}
        }
        seen.push(a);
    }
    seen
}

/// Gives the first chunk (asked for before anything is created) and drains, answering
/// Create with `target`: the session exists then.
fn created_with_first(m: &mut Transcriber, target: Option<Target>) -> Vec<TranscribeAction> {
    let mut seen = drain(m, 0);
    assert!(
        !seen
            .iter()
            .any(|a| matches!(a, TranscribeAction::Create { .. })),
        "nothing is created before the first chunk"
    );
    assert_eq!(asks(&seen), 1);
    m.on_chunk(1, 8, None, OGG);
    while let Some(a) = m.next_action() {
        if let TranscribeAction::Create { .. } = a {
            m.on_created("ses_1", target.clone());
        }
        seen.push(a);
    }
    seen
}

fn uploads(seen: &[TranscribeAction]) -> Vec<UploadPlan> {
    seen.iter()
        .filter_map(|a| match a {
            TranscribeAction::Upload { plan, .. } => Some(plan.clone()),
            _ => None,
        })
        .collect()
}

fn asks(seen: &[TranscribeAction]) -> usize {
    seen.iter()
        .filter(|a| **a == TranscribeAction::NextChunk)
        .count()
}

fn end_of(seen: &[TranscribeAction]) -> Option<(u32, u32)> {
    seen.iter().find_map(|a| match a {
        TranscribeAction::End { sent, uploaded, .. } => Some((*sent, *uploaded)),
        _ => None,
    })
}

#[test]
fn every_chunk_is_uploaded_then_the_session_is_ended_and_polled() {
    let mut m = Transcriber::new(cfg(2, false, Some(3)), BaseUrl::default(), 0);
    let seen = created_with_first(&mut m, None);
    assert!(matches!(
        seen[0],
        TranscribeAction::Progress(Phase::Creating, None)
    ));
    let first = uploads(&seen);
    assert_eq!(
        first.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(),
        ["audio_0.ogg"]
    );
    assert!(
        matches!(&first[0].request, UploadRequest::Raw { url } if url.ends_with("/voice/v1/sessions/ses_1/audio/audio_0.ogg"))
    );
    assert_eq!(
        asks(&seen),
        2,
        "the session's creation asks for the second chunk"
    );
    m.on_chunk(2, 8, None, OGG);
    let seen = drain(&mut m, 2);
    let plans = uploads(&seen);
    assert_eq!(
        plans.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(),
        ["audio_1.ogg"]
    );
    assert_eq!(asks(&seen), 0, "two in flight: no third asked for");
    m.on_uploaded(3, 0, Ok(()));
    m.on_chunk(4, 8, Some("audio/webm"), b"");
    m.on_chunks_done(5);
    m.on_uploaded(6, 1, Ok(()));
    let seen = drain(&mut m, 6);
    assert_eq!(end_of(&seen), None, "End waits for the chunk in flight");
    assert_eq!(
        uploads(&seen)[0].name,
        "audio_2.webm",
        "the Blob's type names it"
    );
    m.on_uploaded(7, 2, Ok(()));
    let seen = drain(&mut m, 7);
    assert_eq!(end_of(&seen), Some((3, 3)));
    let progress: Vec<_> = seen
        .iter()
        .filter_map(|a| match a {
            TranscribeAction::Progress(Phase::Uploading, Some(p)) => Some(p.chunks_done),
            _ => None,
        })
        .collect();
    assert_eq!(progress, [3]);
    assert_eq!(
        seen.last(),
        Some(&TranscribeAction::Resolve {
            missing_chunks: vec![],
            unstored_chunks: vec![]
        })
    );
}

#[test]
fn a_chunk_that_failed_blocks_end_unless_partial_is_allowed() {
    for allow_partial in [false, true] {
        let mut m = Transcriber::new(cfg(3, allow_partial, None), BaseUrl::default(), 0);
        created_with_first(&mut m, None);
        for t in 1..3 {
            m.on_chunk(t, 8, None, OGG);
            drain(&mut m, t);
        }
        m.on_chunks_done(4);
        m.on_uploaded(
            5,
            1,
            Err(Error::new(
                ErrorCode::ServerError,
                "server error (HTTP 503)",
            )),
        );
        m.on_uploaded(6, 0, Ok(()));
        m.on_uploaded(7, 2, Ok(()));
        let seen = drain(&mut m, 7);
        if allow_partial {
            assert_eq!(end_of(&seen), Some((3, 2)));
            assert_eq!(
                seen.last(),
                Some(&TranscribeAction::Resolve {
                    missing_chunks: vec!["audio_1.ogg".into()],
                    unstored_chunks: vec![]
                })
            );
        } else {
            assert_eq!(end_of(&seen), None, "the session is not ended");
            let Some(TranscribeAction::Reject(e)) = seen.last() else {
                panic!("{seen:?}")
            };
            assert_eq!(e.code, ErrorCode::UploadFailed);
            assert_eq!(e.message, "could not upload 1 of 3 audio chunks: audio_1.ogg; first failure: server error (HTTP 503)");
        }
    }
    // Partial needs one chunk that made it.
    let mut m = Transcriber::new(cfg(1, true, None), BaseUrl::default(), 0);
    created_with_first(&mut m, None);
    m.on_uploaded(2, 0, Err(Error::new(ErrorCode::Network, "network error")));
    m.on_chunks_done(3);
    let seen = drain(&mut m, 3);
    assert!(
        matches!(seen.last(), Some(TranscribeAction::Reject(e)) if e.code == ErrorCode::UploadFailed)
    );
}

#[test]
fn bad_input_ends_the_call_at_once() {
    // No chunks at all: nothing is created.
    let mut m = Transcriber::new(cfg(2, false, Some(0)), BaseUrl::default(), 0);
    let seen = drain(&mut m, 0);
    assert!(
        matches!(&seen[..], [TranscribeAction::Reject(e)] if e.code == ErrorCode::InvalidArgument)
    );
    // Not audio: found in the first chunk, before a session is created.
    let mut m = Transcriber::new(cfg(2, false, None), BaseUrl::default(), 0);
    drain(&mut m, 0);
    m.on_chunk(1, 8, None, b"%PDF-1.7");
    let seen = drain(&mut m, 1);
    assert!(
        matches!(&seen[..], [TranscribeAction::Reject(e)] if e.code == ErrorCode::InvalidAudio),
        "{seen:?}"
    );
    // A chunk that is not a chunk at all (or an iterable that throws): nothing created.
    let mut m = Transcriber::new(cfg(2, false, None), BaseUrl::default(), 0);
    drain(&mut m, 0);
    m.on_bad_chunk(Error::invalid_argument("an audio chunk must be a Blob…"));
    assert!(matches!(
        drain(&mut m, 1)[..],
        [TranscribeAction::Reject(_)]
    ));
    // An iterable that ends at once: nothing created.
    let mut m = Transcriber::new(cfg(2, false, None), BaseUrl::default(), 0);
    drain(&mut m, 0);
    m.on_chunks_done(1);
    assert!(
        matches!(&drain(&mut m, 1)[..], [TranscribeAction::Reject(e)] if e.code == ErrorCode::InvalidArgument)
    );
    // An upload that failed as the caller's fault (invalid_argument) ends it too.
    let mut m = Transcriber::new(cfg(2, false, None), BaseUrl::default(), 0);
    created_with_first(&mut m, None);
    m.on_uploaded(2, 0, Err(Error::invalid_argument("bad")));
    assert!(
        matches!(drain(&mut m, 2).last(), Some(TranscribeAction::Reject(e)) if e.code == ErrorCode::InvalidArgument)
    );
}

#[test]
fn a_target_on_another_origin_is_refused_before_any_upload() {
    let mut m = Transcriber::new(cfg(2, false, None), BaseUrl::default(), 0);
    let target = Target::Raw("https://evil.example/audio".into());
    let seen = created_with_first(&mut m, Some(target));
    assert!(uploads(&seen).is_empty());
    assert!(
        matches!(seen.last(), Some(TranscribeAction::Reject(e)) if e.code == ErrorCode::InvalidResponse)
    );
}

#[test]
fn presigned_targets_get_their_form_fields() {
    let mut m = Transcriber::new(cfg(1, false, None), BaseUrl::default(), 0);
    let target = Target::Presigned {
        url: "https://bucket.example/".into(),
        fields: vec![("key".into(), "u/${filename}".into())],
    };
    let plan = uploads(&created_with_first(&mut m, Some(target))).remove(0);
    assert_eq!(plan.request.op(), Op::PresignedUpload);
    assert!(!plan.request.op().sends_token(), "no token to storage");
    let UploadRequest::Presigned { fields, object, .. } = plan.request else {
        panic!()
    };
    // The STORED name: the provider's server collects only `<n>.<ext>` objects at End.
    assert_eq!(fields[0], ("key".into(), "u/0.ogg".into()));
    assert_eq!(object, "0.ogg", "the file part is named as the object");
    assert_eq!(plan.name, "audio_0.ogg", "the chunk's upload name stays");
}

#[test]
fn the_deadline_counts_from_the_last_chunk() {
    let mut m = Transcriber::new(cfg(2, false, None), BaseUrl::default(), 0);
    drain(&mut m, 0);
    assert_eq!(m.timer_ms(0), 10_000);
    m.on_chunk(9_000, 8, None, OGG); // a chunk moves the deadline to 19 000
    let Some(TranscribeAction::Upload { timeout_ms, .. }) = drain(&mut m, 9_000)
        .into_iter()
        .find(|a| matches!(a, TranscribeAction::Upload { .. }))
    else {
        panic!()
    };
    assert_eq!(timeout_ms, 10_000);
    m.on_timer(12_000); // early: nothing
    assert!(drain(&mut m, 12_000).is_empty());
    assert_eq!(m.timer_ms(12_000), 7_000);
    m.on_timer(19_000);
    let seen = drain(&mut m, 19_000);
    assert!(matches!(&seen[..], [TranscribeAction::Reject(e)] if e.code == ErrorCode::Timeout));
    // After the deadline nothing more happens.
    m.on_uploaded(19_001, 0, Ok(()));
    m.on_chunks_done(19_002);
    assert!(drain(&mut m, 19_002).is_empty());
}

proptest! {
    /// Any number of chunks, any concurrency, any order of completions and failures, and
    /// chunks and completions interleaved at random: the machine settles; it never has more
    /// than `concurrency` uploads in flight; End is sent only when every chunk settled, with
    /// counts that account for every chunk, and only if all made it or (partial) one did.
    #[test]
    fn any_order_of_completions_settles_and_loses_nothing(
        n in 0u32..12,
        concurrency in 1u32..5,
        allow_partial in any::<bool>(),
        choices in prop::collection::vec((any::<u8>(), any::<bool>()), 200),
    ) {
        let mut m = Transcriber::new(cfg(concurrency, allow_partial, None), BaseUrl::default(), 0);
        let (mut given, mut in_flight, mut asked) = (0u32, Vec::<u32>::new(), false);
        let (mut ok, mut failed, mut done) = (0u32, 0u32, false);
        let mut outcome = None;
        for (step, (pick, success)) in choices.into_iter().enumerate() {
            let now = step as u64;
            while let Some(a) = m.next_action() {
                match a {
                    TranscribeAction::Create { .. } => {
                        prop_assert!(given > 0, "a session created before the first chunk");
                        m.on_created("ses_1", None)
                    }
                    TranscribeAction::NextChunk => asked = true,
                    TranscribeAction::Upload { plan, .. } => {
                        in_flight.push(plan.n);
                        prop_assert!(in_flight.len() <= concurrency as usize);
                    }
                    TranscribeAction::End { sent, uploaded, .. } => {
                        prop_assert!(in_flight.is_empty(), "End with a chunk in doubt");
                        prop_assert_eq!((sent, uploaded), (given, ok));
                        prop_assert!(failed == 0 || (allow_partial && ok > 0));
                        m.on_ended(now);
                    }
                    TranscribeAction::Poll { .. } => m.on_polled(),
                    TranscribeAction::Resolve { missing_chunks, .. } => {
                        prop_assert_eq!(missing_chunks.len() as u32, failed);
                        outcome = Some(true);
                    }
                    TranscribeAction::Reject(e) => {
                        prop_assert!(e.code == ErrorCode::UploadFailed || (n == 0 && e.code == ErrorCode::InvalidArgument), "{:?}", e);
                        outcome = Some(false);
                    }
                    TranscribeAction::Progress(..) => {}
                    other => prop_assert!(false, "a plain transcription asked for {:?}", other),
                }
            }
            if outcome.is_some() {
                break;
            }
            // Either a chunk (or the end) arrives, or an upload in flight settles.
            if asked && (in_flight.is_empty() || pick % 2 == 0) && !done {
                asked = false;
                if given < n {
                    given += 1;
                    m.on_chunk(now, 8, None, OGG);
                } else {
                    done = true;
                    m.on_chunks_done(now);
                }
            } else if !in_flight.is_empty() {
                let i = pick as usize % in_flight.len();
                let c = in_flight.remove(i);
                if success { ok += 1 } else { failed += 1 }
                let result = if success { Ok(()) } else { Err(Error::new(ErrorCode::Network, "network error")) };
                m.on_uploaded(now, c, result);
            } else {
                prop_assert!(false, "stuck: nothing asked, nothing in flight");
            }
        }
        prop_assert!(outcome.is_some(), "did not settle");
    }
}
