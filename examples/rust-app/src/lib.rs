//! A small Rust/wasm app that uses `eka-voice` as a Rust dependency, the way a Leptos, Yew
//! or Dioxus frontend would: it chooses its own global allocator and exports its own
//! `getSession` to JS — neither clashes with the crate, which exports nothing and sets no
//! allocator unless the npm package's feature (`js-package`) asks for it.

use eka_voice::wasm::errors::Failure;
use eka_voice::wasm::{GetOptions, PollOptions, VoiceClient};
use wasm_bindgen::prelude::*;

/// The app's own allocator (std's, on wasm32: dlmalloc). The crate sets none.
#[global_allocator]
static ALLOCATOR: std::alloc::System = std::alloc::System;

/// The app's own `getSession` export: the status of a session, as text. The crate's JS
/// exports (same name) are not in this module.
#[wasm_bindgen(js_name = getSession)]
pub async fn get_session(
    base_url: String,
    token: String,
    session_id: String,
) -> Result<String, JsValue> {
    let client = client(base_url, token)?;
    let session = client.get(&session_id, GetOptions::default()).await?;
    Ok(status_of(&session))
}

/// Polls a session until it is final, and answers its status.
pub async fn poll_status(base_url: &str, token: &str, session_id: &str) -> Result<String, JsValue> {
    let client = client(base_url.into(), token.into())?;
    let mut options = PollOptions::default();
    options.pacing.interval_ms = Some(100);
    let session = client.poll(session_id, options).await?;
    Ok(status_of(&session))
}

fn client(base_url: String, token: String) -> Result<VoiceClient, JsValue> {
    VoiceClient::with_options(eka_voice::wasm::ClientOptions {
        base_url: Some(base_url),
        token: Some(token),
        ..Default::default()
    })
}

fn status_of(session: &JsValue) -> String {
    js_sys::Reflect::get(session, &"status".into())
        .ok()
        .and_then(|s| s.as_string())
        .unwrap_or_default()
}

/// The whole lifecycle through the crate's Rust API, with typed results: create a session,
/// upload each chunk, end it, poll it (counting the progress snapshots). Answers the final
/// status and how many snapshots came.
pub async fn record(
    base_url: &str,
    token: &str,
    chunks: &[&[u8]],
) -> Result<(String, usize), Failure> {
    let client = client(base_url.into(), token.into()).map_err(Failure::Thrown)?;
    let create = eka_voice::wasm::options::CreateOptions {
        templates: Some(vec!["eka_emr_template".into()]),
        // The simulator answers 202 snapshots while it processes (no long-polled hold).
        additional_data: Some(eka_voice::wasm::options::Json {
            text: r#"{"simulate":{"process_ms":300,"hold_max_ms":0}}"#.into(),
            has_protocol: false,
        }),
        ..Default::default()
    };
    let created = client.create_session(create, Default::default()).await?;
    for chunk in chunks {
        let uploaded = client
            .upload_audio(&created.session_id, chunk, Default::default())
            .await?;
        assert!(uploaded.file_name.starts_with("audio_"));
    }
    client
        .end_session(&created.session_id, Default::default())
        .await?;
    let snapshots = std::cell::Cell::new(0);
    let mut options = PollOptions::default();
    options.pacing.interval_ms = Some(100);
    let session = client
        .poll_session(&created.session_id, options, &|_| {
            snapshots.set(snapshots.get() + 1)
        })
        .await?;
    Ok((session.status, snapshots.get()))
}

/// `transcribe` through the crate's Rust API, the chunks as a `Stream`: answers the final
/// status and the phases reported, in order (each once).
pub async fn transcribe_stream(
    base_url: &str,
    token: &str,
    chunks: Vec<Vec<u8>>,
) -> Result<(String, Vec<&'static str>), Failure> {
    let client = client(base_url.into(), token.into()).map_err(Failure::Thrown)?;
    let mut o = eka_voice::wasm::options::TranscribeOptions::default();
    o.create.additional_data = Some(eka_voice::wasm::options::Json {
        text: r#"{"simulate":{"process_ms":200,"hold_max_ms":0}}"#.into(),
        has_protocol: false,
    });
    o.pacing.interval_ms = Some(100);
    let phases = std::cell::RefCell::new(Vec::new());
    let done = client
        .transcribe(futures_util::stream::iter(chunks), o, &|phase, _| {
            let mut p = phases.borrow_mut();
            if p.last() != Some(&phase.as_str()) {
                p.push(phase.as_str());
            }
        })
        .await?;
    assert!(done.missing_chunks.is_empty());
    Ok((done.session.status, phases.into_inner()))
}
