//! The durable transcription (a recording's) on a virtual clock: the session id saved before
//! Create, chunks stored with the state that counts them, outages that never fail a
//! recording, a 409 / `session_ended` for what already reached the service, the deadline
//! from the stop, resume from the stored state (and the chunk stored after it), corrupt
//! states — and, as a property, any interleaving of network up and down, reloads, stop and
//! failures: End only with every chunk cut, each uploaded once per life, or a failure naming
//! exactly what is missing.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::{BTreeMap, BTreeSet};

use eka_voice::proto::*;
use proptest::prelude::*;

const WAV: &[u8] = b"RIFF\0\0\0\0WAVE";
const ID: &str = "evs_0123456789abcdef01234567";

fn cfg(timeout_ms: u64) -> TranscribeConfig {
    TranscribeConfig {
        concurrency: 2,
        allow_partial: false,
        timeout_ms,
        chunks_total: None,
        bytes_total: None,
        durable: true,
    }
}

fn drain(m: &mut Transcriber) -> Vec<TranscribeAction> {
    std::iter::from_fn(|| m.next_action()).collect()
}

fn net_down() -> Error {
    Error::new(ErrorCode::Network, "network error (Failed to fetch)")
}

#[test]
fn the_state_round_trips_and_a_corrupt_one_is_a_typed_error() {
    let s = DurableState {
        session_id: Some(ID.into()),
        created: true,
        target: Some(Target::Presigned {
            url: "https://bucket.example/".into(),
            fields: vec![
                ("key".into(), "a/${filename}".into()),
                ("x\ny".into(), "b\\c".into()),
            ],
        }),
        cut: 9,
        uploaded: vec![0, 1, 2, 5, 7, 8],
        stopped: true,
        ended: false,
    };
    assert_eq!(DurableState::decode(&s.encode()).unwrap(), s);
    let empty = DurableState::default();
    assert_eq!(DurableState::decode(&empty.encode()).unwrap(), empty);
    let good = s.encode();
    let bad = [
        String::new(),
        "[-1,4294967295]".into(),
        good.replace("\n9\n", "\n4294967295\n"),
        good.replace("\n9\n", "\n-1\n"),
        good.replace("0-2,5,7-8", "0-2,5,7-9"),
        good.replace("0-2,5,7-8", "5,0-2"),
        good.replace("\n110\n", "\n1x0\n"),
        good.replace("presigned", "carrier-pigeon"),
        good.replace("a/${filename}", "a\\q"),
    ];
    for text in bad {
        let e = DurableState::decode(&text).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidArgument, "{text:?}");
        assert!(e.message.contains("corrupt"), "{}", e.message);
    }
    let e = Transcriber::resume(cfg(1000), BaseUrl::default(), 0, "{}", 1).unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidArgument);
}

#[test]
fn an_outage_at_record_is_waited_out_and_nothing_is_lost() {
    let mut m = Transcriber::durable(cfg(60_000), BaseUrl::default(), 0, ID.into(), 7);
    let seen = drain(&mut m);
    // The id is saved before Create is sent, and chunks are asked for at once.
    let save = seen
        .iter()
        .position(|a| matches!(a, TranscribeAction::Save { .. }));
    let create = seen
        .iter()
        .position(|a| matches!(a, TranscribeAction::Create { .. }));
    assert!(save.unwrap() < create.unwrap(), "{seen:?}");
    assert!(
        matches!(&seen[create.unwrap()], TranscribeAction::Create { session_id: Some(id), .. } if id == ID)
    );
    assert!(seen.contains(&TranscribeAction::NextChunk));
    // The network is down: Create fails; it is tried again later, and reported.
    m.on_create_failed(1_000, net_down());
    let seen = drain(&mut m);
    assert!(seen
        .iter()
        .any(|a| matches!(a, TranscribeAction::Retrying { attempt: 1, .. })));
    assert!(seen
        .iter()
        .any(|a| matches!(a, TranscribeAction::Progress(_, Some(p)) if p.offline)));
    let wait = m.timer_ms(1_000);
    assert!((500..=1_000).contains(&wait), "{wait}");
    // Chunks keep coming and are stored (with the state that counts them), not uploaded.
    for t in 0..3u64 {
        m.on_chunk(1_001 + t, 100, None, WAV);
        let seen = drain(&mut m);
        assert!(
            matches!(seen.first(), Some(TranscribeAction::Store { n, state }) if u64::from(*n) == t && state.contains("\n3\n") == (t == 2))
        );
        assert!(!seen
            .iter()
            .any(|a| matches!(a, TranscribeAction::Upload { .. })));
        m.on_stored(t as u32, true);
    }
    // The network comes back: at once, not at the backoff's time.
    m.on_online(2_500);
    let seen = drain(&mut m);
    assert!(seen
        .iter()
        .any(|a| matches!(a, TranscribeAction::Create { .. })));
    m.on_created(ID, None);
    let seen = drain(&mut m);
    let ups: Vec<u32> = seen
        .iter()
        .filter_map(|a| match a {
            TranscribeAction::Upload { plan, .. } => Some(plan.n),
            _ => None,
        })
        .collect();
    assert_eq!(ups, [0, 1], "lowest first, two in flight");
    // Chunk 0 fails (down again), chunk 1 makes it; chunk 0 waits and goes again.
    m.on_uploaded(3_000, 0, Err(net_down()));
    m.on_uploaded(3_001, 1, Ok(()));
    let seen = drain(&mut m);
    let save = seen
        .iter()
        .position(|a| matches!(a, TranscribeAction::Save { .. }))
        .unwrap();
    let drop = seen
        .iter()
        .position(|a| *a == TranscribeAction::Drop { n: 1 })
        .unwrap();
    assert!(save < drop, "saved as uploaded before its bytes go");
    assert!(seen
        .iter()
        .any(|a| matches!(a, TranscribeAction::Upload { plan, .. } if plan.n == 2)));
    m.on_uploaded(3_100, 2, Ok(()));
    m.on_chunks_done(3_200); // stop
    drain(&mut m);
    assert!(m.timer_ms(3_200) <= 1_000);
    m.on_timer(3_200 + m.timer_ms(3_200));
    let seen = drain(&mut m);
    assert!(seen
        .iter()
        .any(|a| matches!(a, TranscribeAction::Upload { plan, .. } if plan.n == 0)));
    m.on_uploaded(5_000, 0, Ok(()));
    let seen = drain(&mut m);
    assert!(
        seen.iter().any(|a| matches!(
            a,
            TranscribeAction::End {
                sent: 3,
                uploaded: 3,
                ..
            }
        )),
        "{seen:?}"
    );
    m.on_end_failed(
        5_100,
        Error {
            api_code: Some("session_ended".into()),
            ..Error::new(ErrorCode::BadRequest, "ended")
        },
    );
    let seen = drain(&mut m);
    assert!(
        seen.iter()
            .any(|a| matches!(a, TranscribeAction::Poll { .. })),
        "an End that reached the service"
    );
    m.on_polled();
    let seen = drain(&mut m);
    assert_eq!(
        &seen[seen.len() - 2..],
        [
            TranscribeAction::Forget,
            TranscribeAction::Resolve {
                missing_chunks: vec![],
                unstored_chunks: vec![]
            }
        ]
    );
}

#[test]
fn a_create_that_reached_the_service_is_not_a_failure() {
    let mut m = Transcriber::durable(cfg(60_000), BaseUrl::default(), 0, ID.into(), 7);
    drain(&mut m);
    m.on_create_failed(
        10,
        Error::new(ErrorCode::Conflict, "session_already_committed"),
    );
    m.on_chunk(20, 100, None, WAV);
    let seen = drain(&mut m);
    let Some(TranscribeAction::Upload { plan, .. }) = seen
        .iter()
        .find(|a| matches!(a, TranscribeAction::Upload { .. }))
    else {
        panic!("{seen:?}")
    };
    assert_eq!(
        plan.request,
        UploadRequest::Raw {
            url: format!("https://api.eka.care/voice/v1/sessions/{ID}/audio/audio_0.wav")
        }
    );
    // A 4xx other than that is final.
    let mut m = Transcriber::durable(cfg(60_000), BaseUrl::default(), 0, ID.into(), 7);
    drain(&mut m);
    m.on_create_failed(
        10,
        Error::new(ErrorCode::BadRequest, "language_hint is required"),
    );
    assert!(
        matches!(drain(&mut m).last(), Some(TranscribeAction::Reject(e)) if e.code == ErrorCode::BadRequest)
    );
}

#[test]
fn after_the_stop_the_deadline_names_what_is_missing_and_never_ends_with_fewer() {
    let mut m = Transcriber::durable(cfg(10_000), BaseUrl::default(), 0, ID.into(), 7);
    drain(&mut m);
    m.on_created(ID, None);
    m.on_chunk(1, 100, None, WAV);
    m.on_chunk(2, 100, None, WAV);
    drain(&mut m);
    m.on_uploaded(100, 0, Ok(()));
    m.on_stored(1, false); // the disk was full: uploaded from memory
    m.on_uploaded(200, 1, Err(net_down()));
    m.on_chunks_done(1_000);
    // While recording there was no deadline; from the stop, 10 s.
    let mut now = 1_000;
    loop {
        now += m.timer_ms(now).max(1);
        m.on_timer(now);
        let seen = drain(&mut m);
        assert!(!seen
            .iter()
            .any(|a| matches!(a, TranscribeAction::End { .. })));
        if let Some(TranscribeAction::Reject(e)) = seen.last() {
            assert_eq!(e.code, ErrorCode::UploadFailed);
            assert!(
                e.message
                    .contains("lacks 1 of 2 chunks: audio_1.wav (not stored)"),
                "{}",
                e.message
            );
            assert!(now >= 11_000);
            break;
        }
        for a in seen {
            if let TranscribeAction::Upload { plan, .. } = a {
                m.on_uploaded(now, plan.n, Err(net_down()));
            }
        }
        assert!(now < 20_000, "the deadline passed without a verdict");
    }
}

#[test]
fn a_resume_uploads_what_is_stored_and_the_chunk_stored_after_the_state() {
    let state = DurableState {
        session_id: Some(ID.into()),
        created: true,
        target: None,
        cut: 3,
        uploaded: vec![0],
        stopped: false,
        ended: false,
    };
    let mut m =
        Transcriber::resume(cfg(60_000), BaseUrl::default(), 0, &state.encode(), 3).unwrap();
    let loads: Vec<u32> = drain(&mut m)
        .iter()
        .filter_map(|a| match a {
            TranscribeAction::Load { n } => Some(*n),
            _ => None,
        })
        .collect();
    assert_eq!(
        loads,
        [1, 2, 3],
        "3 is looked for: it may have been stored after the state"
    );
    m.on_loaded(1, 1, Some((100, None, WAV)));
    m.on_loaded(2, 2, Some((100, None, WAV)));
    m.on_loaded(3, 3, Some((50, None, WAV)));
    // Found: counted, and 4 is looked for (the chunk being recorded, stored as it grew).
    let seen = drain(&mut m);
    let saved_4 = |a: &TranscribeAction| matches!(a, TranscribeAction::Save { state } if state.contains("\n4\n"));
    assert!(seen.iter().any(saved_4), "{seen:?}");
    assert!(seen.contains(&TranscribeAction::Load { n: 4 }), "{seen:?}");
    m.on_loaded(4, 4, Some((30, None, WAV)));
    assert!(drain(&mut m).contains(&TranscribeAction::Load { n: 5 }));
    m.on_loaded(5, 5, None);
    for n in [1, 2, 3, 4] {
        m.on_uploaded(10, n, Ok(()));
    }
    let seen = drain(&mut m);
    let end_5 = |a: &TranscribeAction| {
        matches!(
            a,
            TranscribeAction::End {
                sent: 5,
                uploaded: 5,
                ..
            }
        )
    };
    assert!(seen.iter().any(end_5), "{seen:?}");
    // A stored chunk that is gone (and not uploaded): named, never an End with fewer.
    let mut m =
        Transcriber::resume(cfg(60_000), BaseUrl::default(), 0, &state.encode(), 3).unwrap();
    drain(&mut m);
    m.on_loaded(1, 1, None);
    m.on_loaded(2, 2, Some((100, None, WAV)));
    m.on_loaded(3, 3, None);
    drain(&mut m);
    m.on_uploaded(10, 2, Ok(()));
    let seen = drain(&mut m);
    assert!(!seen
        .iter()
        .any(|a| matches!(a, TranscribeAction::End { .. })));
    let Some(TranscribeAction::Reject(e)) = seen.last() else {
        panic!("{seen:?}")
    };
    assert!(
        e.message
            .contains("lacks 1 of 3 chunks: audio_1.wav (lost: not stored)"),
        "{}",
        e.message
    );
}

/// The test's world: the service, the browser's storage, the network.
#[derive(Default)]
struct World {
    received: BTreeSet<u32>,
    created: bool,
    ended: bool,
    stored: BTreeMap<u32, u64>,
    state: Option<String>,
    up: bool,
}

proptest! {
    #[test]
    fn any_interleaving_ends_with_every_chunk_or_names_the_missing(
        n in 0u32..8,
        choices in prop::collection::vec((0u8..8, any::<u8>()), 300),
    ) {
        let mut w = World { up: true, ..World::default() };
        let mut m = Transcriber::durable(cfg(50_000), BaseUrl::default(), 0, ID.into(), 9);
        let (mut now, mut given, mut recording) = (0u64, 0u32, true);
        let (mut uploads, mut pending): (Vec<u32>, Vec<&str>) = (vec![], vec![]);
        let mut asked = false;
        let mut life_uploads = BTreeSet::new();
        let mut outcome: Option<bool> = None;
        for (what, pick) in choices {
            for a in drain(&mut m) {
                match a {
                    TranscribeAction::Save { state } => w.state = Some(state),
                    TranscribeAction::Store { n, state } => {
                        w.stored.insert(n, 100);
                        w.state = Some(state);
                        m.on_stored(n, true);
                    }
                    TranscribeAction::Drop { n } => { w.stored.remove(&n); }
                    TranscribeAction::Load { n } => {
                        let found = w.stored.get(&n).map(|&size| (size, None, WAV));
                        m.on_loaded(now, n, found);
                    }
                    TranscribeAction::Create { .. } => pending.push("create"),
                    TranscribeAction::End { sent, uploaded, .. } => {
                        let cut = DurableState::decode(w.state.as_deref().unwrap()).unwrap().cut;
                        prop_assert_eq!((sent, uploaded), (cut, cut));
                        prop_assert!((0..sent).all(|c| w.received.contains(&c)), "End with fewer: {:?} of {}", w.received, sent);
                        pending.push("end");
                    }
                    TranscribeAction::Upload { plan, .. } => {
                        prop_assert!(uploads.len() < 2);
                        prop_assert!(!life_uploads.contains(&plan.n), "uploaded again after it made it, in one life");
                        uploads.push(plan.n);
                    }
                    TranscribeAction::NextChunk => asked = true,
                    TranscribeAction::Poll { .. } => m.on_polled(),
                    TranscribeAction::Resolve { .. } => outcome = Some(true),
                    TranscribeAction::Reject(e) => {
                        prop_assert!(matches!(e.code, ErrorCode::UploadFailed | ErrorCode::Timeout) || (given == 0 && e.code == ErrorCode::InvalidArgument), "{:?}", e);
                        if e.code == ErrorCode::InvalidArgument { break; }
                        outcome = Some(false);
                    }
                    TranscribeAction::Forget => { w.stored.clear(); w.state = None; }
                    TranscribeAction::Progress(..) | TranscribeAction::Retrying { .. } => {}
                }
            }
            if outcome == Some(true) {
                break;
            }
            now += 1 + u64::from(pick) * 7;
            if outcome == Some(false) {
                // Rejected (the deadline): the stored recording is resumed later, online.
                let Some(state) = w.state.clone() else { break };
                w.up = true;
                m = Transcriber::resume(cfg(50_000), BaseUrl::default(), now, &state, 5).unwrap();
                (uploads, pending, life_uploads, asked, recording, outcome) = (vec![], vec![], BTreeSet::new(), false, false, None);
                continue;
            }
            match what {
                0 | 1 if asked && recording => {
                    asked = false;
                    if given < n {
                        given += 1;
                        m.on_chunk(now, 100, None, WAV);
                    } else {
                        recording = false;
                        m.on_chunks_done(now);
                    }
                }
                2 if !uploads.is_empty() => {
                    let c = uploads.remove(pick as usize % uploads.len());
                    if w.up { w.received.insert(c); life_uploads.insert(c); }
                    m.on_uploaded(now, c, if w.up { Ok(()) } else { Err(net_down()) });
                }
                3 if !pending.is_empty() => match pending.remove(0) {
                    "create" if w.up && w.created => m.on_create_failed(now, Error::new(ErrorCode::Conflict, "exists")),
                    "create" if w.up => { w.created = true; m.on_created(ID, None) }
                    "end" if w.up && w.ended => m.on_end_failed(now, Error { api_code: Some("session_ended".into()), ..Error::new(ErrorCode::BadRequest, "ended") }),
                    "end" if w.up => { w.ended = true; m.on_ended(now) }
                    "create" => m.on_create_failed(now, net_down()),
                    _ => m.on_end_failed(now, net_down()),
                },
                4 => { w.up = !w.up; if w.up { m.on_online(now) } }
                5 => { now += m.timer_ms(now); m.on_timer(now) }
                6 if pick < 40 => {
                    // A reload: the page and its requests are gone (some may have arrived).
                    let Some(state) = w.state.clone() else { continue };
                    if w.up && pick % 2 == 0 && pending.contains(&"create") { w.created = true }
                    m = Transcriber::resume(cfg(50_000), BaseUrl::default(), now, &state, u64::from(pick)).unwrap();
                    (uploads, pending, life_uploads, asked, recording) = (vec![], vec![], BTreeSet::new(), false, false);
                }
                _ => { now += m.timer_ms(now).min(5_000); m.on_timer(now) }
            }
        }
        if outcome == Some(true) {
            let cut = given;
            prop_assert!((0..cut).all(|c| w.received.contains(&c)) || cut > 0, "resolved without every chunk");
        }
    }
}

#[test]
fn a_token_source_that_may_come_back_is_waited_out_one_that_refuses_is_final() {
    let step = |e: Error| {
        let mut m = Transcriber::durable(cfg(60_000), BaseUrl::default(), 0, ID.into(), 7);
        drain(&mut m);
        m.on_create_failed(1_000, e);
        drain(&mut m)
    };
    let seen = step(Error::new(ErrorCode::TokenUnavailable, "getToken() failed"));
    assert!(
        seen.iter()
            .any(|a| matches!(a, TranscribeAction::Retrying { attempt: 1, .. })),
        "{seen:?}"
    );
    assert!(!seen
        .iter()
        .any(|a| matches!(a, TranscribeAction::Reject(_))));
    let seen = step(Error::new(
        ErrorCode::Unauthorized,
        "getToken() failed: logged out",
    ));
    assert!(
        matches!(seen.last(), Some(TranscribeAction::Reject(e)) if e.code == ErrorCode::Unauthorized),
        "{seen:?}"
    );
}
