//! A small Rust/wasm app that uses `eka-voice` as a Rust dependency, the way a Leptos, Yew
//! or Dioxus frontend would: it chooses its own global allocator and exports its own
//! `getSession` to JS — neither clashes with the crate, which exports nothing and sets no
//! allocator unless the npm package's feature (`js-package`) asks for it.

use eka_voice::wasm::errors::Failure;
use eka_voice::wasm::options::Json;
use eka_voice::wasm::rust_hooks::{
    on_retry, on_session_progress, token_source, RetryEvent, TokenFailure,
};
use eka_voice::wasm::{GetOptions, PollOptions, VoiceClient};
use wasm_bindgen::prelude::*;

/// The app's own allocator (std's, on wasm32: dlmalloc). The crate sets none.
#[global_allocator]
static ALLOCATOR: std::alloc::System = std::alloc::System;

/// The app's own `getSession` export: the status of a session, as text. The crate's JS
/// exports (same name) are not in this module. A failure reaches JS as the crate's
/// `VoiceApiError`.
#[wasm_bindgen(js_name = getSession)]
pub async fn get_session(
    base_url: String,
    token: String,
    session_id: String,
) -> Result<String, JsValue> {
    let client = client(base_url, token).map_err(Failure::into_js)?;
    let session = client
        .get_session(&session_id, GetOptions::default())
        .await
        .map_err(Failure::into_js)?;
    Ok(session.status)
}

/// Polls a session until it is final, and answers its status.
pub async fn poll_status(base_url: &str, token: &str, session_id: &str) -> Result<String, Failure> {
    let client = client(base_url.into(), token.into())?;
    let mut options = PollOptions::default();
    options.pacing.interval_ms = Some(100);
    let session = client.poll_session(session_id, options, &|_| {}).await?;
    Ok(session.status)
}

fn client(base_url: String, token: String) -> Result<VoiceClient, Failure> {
    VoiceClient::with_options(eka_voice::wasm::ClientOptions {
        base_url: Some(base_url),
        token: Some(token),
        ..Default::default()
    })
}

/// A template as the app reads it (only the fields it names).
#[derive(serde::Deserialize)]
pub struct Template {
    /// Its id.
    pub id: String,
    /// Its title.
    pub title: String,
}

#[derive(serde::Deserialize)]
struct Templates {
    items: Vec<Template>,
}

#[derive(serde::Serialize)]
struct NewTemplate<'a> {
    title: &'a str,
    section_ids: [&'a str; 1],
}

/// A template picker's calls through the crate's one operation method, with the app's own
/// types: creates a template, lists them, and answers the one created as listed.
pub async fn template_roundtrip(
    base_url: &str,
    token: &str,
    title: &str,
) -> Result<Template, Failure> {
    use eka_voice::proto::Op;
    let client = client(base_url.into(), token.into())?;
    let body = NewTemplate {
        title,
        section_ids: ["sec_1"],
    };
    #[derive(serde::Deserialize)]
    struct Made {
        template_id: String,
    }
    let made: Made = client
        .operation(Op::CreateTemplate, &[], Some(&body), Default::default())
        .await?;
    let listed: Templates = client
        .operation(Op::ListTemplates, &[], None::<&()>, Default::default())
        .await?;
    let found = listed.items.into_iter().find(|t| t.id == made.template_id);
    found.ok_or_else(|| {
        let e = eka_voice::proto::Error::new(
            eka_voice::proto::ErrorCode::InvalidResponse,
            "not listed",
        );
        Failure::from(e)
    })
}

/// The whole lifecycle through the crate's Rust API, with typed results: create a session,
/// upload each chunk, end it, poll it (counting the progress snapshots). Answers the final
/// status and how many snapshots came.
pub async fn record(
    base_url: &str,
    token: &str,
    chunks: &[&[u8]],
) -> Result<(String, usize), Failure> {
    let client = client(base_url.into(), token.into())?;
    let create = eka_voice::wasm::options::CreateOptions {
        templates: Some(vec!["eka_emr_template".into()]),
        // The simulator answers 202 snapshots while it processes (no long-polled hold).
        additional_data: Some(Json::of(&simulate(300))?),
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
    let client = client(base_url.into(), token.into())?;
    let mut o = eka_voice::wasm::options::TranscribeOptions::default();
    o.create.additional_data = Some(Json::of(&simulate(200))?);
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

/// A Rust token source (the crate's `token_source`): its first token is refused by the
/// service (the simulator refuses tokens that start with `expired`), so the client asks it
/// again, telling it which one was refused. Answers the session's status, how many times the
/// source was asked, and the token it was told was refused.
pub async fn with_token_source(
    base_url: &str,
    session_id: &str,
) -> Result<(String, u32, Option<String>), Failure> {
    use std::{cell::RefCell, rc::Rc};
    let asked = Rc::new(RefCell::new((0u32, None::<String>)));
    let seen = asked.clone();
    let source = token_source(move |refused: Option<String>| {
        let seen = seen.clone();
        async move {
            let mut s = seen.borrow_mut();
            s.0 += 1;
            if s.0 == 1 {
                return Ok("expired-first".to_string());
            }
            s.1 = refused;
            Ok("app-token".to_string())
        }
    });
    let client = VoiceClient::with_options(eka_voice::wasm::ClientOptions {
        base_url: Some(base_url.into()),
        get_token: Some(source),
        ..Default::default()
    })?;
    let session = client
        .get_session(session_id, GetOptions::default())
        .await?;
    let (calls, refused) = asked.borrow().clone();
    Ok((session.status, calls, refused))
}

/// A Rust token source that fails for good (its service answered 403): the call's error.
pub async fn with_failing_token_source(base_url: &str, session_id: &str) -> Failure {
    let source = token_source(|_| async {
        Err(TokenFailure {
            status: Some(403),
            message: "the clinic's login expired".into(),
        })
    });
    let client = VoiceClient::with_options(eka_voice::wasm::ClientOptions {
        base_url: Some(base_url.into()),
        get_token: Some(source),
        ..Default::default()
    });
    match client {
        Ok(c) => match c.get_session(session_id, GetOptions::default()).await {
            Ok(s) => panic!("answered {}", s.status),
            Err(e) => e,
        },
        Err(e) => e,
    }
}

/// Polls a session whose first answers fail, with a Rust `onRetry`: the session's status
/// and each retry's attempt and error code.
pub async fn retries_seen(
    base_url: &str,
    token: &str,
    session_id: &str,
) -> Result<(String, Vec<(u32, &'static str)>), Failure> {
    use std::{cell::RefCell, rc::Rc};
    let seen = Rc::new(RefCell::new(Vec::new()));
    let log = seen.clone();
    let mut options = PollOptions::default();
    options.pacing.interval_ms = Some(100);
    options.retries.on_retry = Some(on_retry(move |e: &RetryEvent| {
        let code = match &e.error {
            Failure::Api(a) => a.error.code.as_str(),
            _ => "not an api failure",
        };
        log.borrow_mut().push((e.attempt, code));
    }));
    let client = client(base_url.into(), token.into())?;
    let session = client.poll_session(session_id, options, &|_| {}).await?;
    let seen = seen.borrow().clone();
    Ok((session.status, seen))
}

/// A finished consultation processed again with another template (Process Template waits
/// for its document), its 202 snapshots reported to a Rust closure: the final status, the
/// template ids of the answer and how many snapshots came.
pub async fn process_again(
    base_url: &str,
    token: &str,
    wav: &[u8],
) -> Result<(String, Vec<String>, u32), Failure> {
    use eka_voice::proto::Op;
    use std::{cell::Cell, rc::Rc};
    let client = client(base_url.into(), token.into())?;
    let create = eka_voice::wasm::options::CreateOptions {
        additional_data: Some(Json::of(&simulate(100))?),
        ..Default::default()
    };
    let created = client.create_session(create, Default::default()).await?;
    let id = created.session_id;
    client.upload_audio(&id, wav, Default::default()).await?;
    client.end_session(&id, Default::default()).await?;
    let mut fast = PollOptions::default();
    fast.pacing.interval_ms = Some(100);
    client.poll_session(&id, fast, &|_| {}).await?;
    let snapshots = Rc::new(Cell::new(0u32));
    let count = snapshots.clone();
    let mut o = eka_voice::wasm::options::OpOptions::default();
    o.pacing.interval_ms = Some(100);
    o.on_progress = Some(on_session_progress(
        move |s: &eka_voice::wasm::model::Session| {
            assert_eq!(s.status, "processing");
            count.set(count.get() + 1);
        },
    ));
    let done: eka_voice::wasm::model::Session = client
        .operation(
            Op::ProcessTemplate,
            &[&id, "eka_emr_template"],
            None::<&()>,
            o,
        )
        .await?;
    let templates = done
        .templates
        .iter()
        .map(|t| t.template_id.clone())
        .collect();
    Ok((done.status, templates, snapshots.get()))
}

/// What the simulator is told through `additional_data` (the app's own type: `Json::of`
/// turns it into the option).
#[derive(serde::Serialize)]
struct Simulated {
    simulate: Simulate,
}

#[derive(serde::Serialize)]
struct Simulate {
    process_ms: u32,
    hold_max_ms: u32,
}

/// Processing in `process_ms`, answering 202 snapshots meanwhile (no long-polled hold).
fn simulate(process_ms: u32) -> Simulated {
    Simulated {
        simulate: Simulate {
            process_ms,
            hold_max_ms: 0,
        },
    }
}
