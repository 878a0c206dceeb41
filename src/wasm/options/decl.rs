//! The options of every call, declared once each (see `options!` in [the module above](super)): one
//! line per option. They are exactly the options the TypeScript types name; anything else
//! in an options object is refused.

use crate::proto::{CreateSession, Error, UploadType};

options! {
    /// Options of a [`Client`](crate::wasm::client::Client) (JS: the `VoiceClient`
    /// constructor; also the one-shot `pollSession` / `getSession`).
    pub struct ClientOptions {
        /// `baseUrl`: default `https://api.eka.care`; `https://` unless loopback.
        base_url: text "baseUrl",
        /// `token`: a bearer token.
        token: text "token",
        /// `getToken`: `() => string | Promise<string>`, asked before the first request when
        /// there is no `token`, and again (once) after a 401.
        get_token: func "getToken",
        /// `maxResponseBytes` (default 32 MiB): the largest answer body read.
        max_response_bytes: positive "maxResponseBytes",
        /// `trustedUploadOrigins`: origins besides `baseUrl`'s that a string `upload_url`
        /// may name and the token may go to (behind a gateway: the service's own origin).
        trusted_upload_origins: strings "trustedUploadOrigins",
    }
}

options! {
    /// What bounds one call: its signal and its timeouts.
    pub struct Request {
        /// `signal`: aborting rejects at once with `signal.reason`.
        signal: signal "signal",
        /// `requestTimeoutMs` (default 30 000): aborts one hanging request (transient).
        request_timeout_ms: millis1 "requestTimeoutMs",
        /// `timeoutMs` (default 600 000): deadline of the whole call.
        timeout_ms: millis "timeoutMs",
    }
}

options! {
    /// How many transient failures a call tolerates.
    pub struct Retries {
        /// `maxRetries` (default 5): consecutive transient failures tolerated.
        max_retries: count "maxRetries",
        /// `onRetry({ attempt, delayMs, error })`: called before each retry (what it
        /// throws ends the call).
        on_retry: func "onRetry",
    }
}

options! {
    /// Which documents a Get Session answer holds.
    pub struct Filters {
        /// `templateId`: sends `?template_id=`.
        template_id: text "templateId",
        /// `documentId`: sends `?document_id=` (not with `templateId`).
        document_id: text "documentId",
    }
}

options! {
    /// How often a poll asks.
    pub struct Pacing {
        /// `intervalMs` (default 1000): minimum time between the starts of two requests.
        interval_ms: millis "intervalMs",
        /// `minIntervalMs` (default 100): the floor of `intervalMs`; 0 polls back to back.
        min_interval_ms: millis "minIntervalMs",
    }
}

options! {
    /// Options of `getSession`.
    pub struct GetOptions {
        ..filters: Filters,
        ..request: Request,
    }
}

options! {
    /// Options of `pollSession`.
    pub struct PollOptions {
        ..filters: Filters,
        ..request: Request,
        ..retries: Retries,
        ..pacing: Pacing,
        /// `onProgress(snapshot)`: called with each 202 body.
        on_progress: func "onProgress",
    }
}

options! {
    /// Options of one lifecycle request (`createSession`, `uploadAudio`, `endSession`).
    pub struct CallOptions {
        ..request: Request,
        ..retries: Retries,
    }
}

options! {
    /// What Create Session is asked for (sent in snake_case).
    pub struct CreateOptions {
        /// `templates`: template ids to generate.
        templates: strings "templates",
        /// `uploadType`: `chunked` (default) or `single`.
        upload_type: text "uploadType",
        /// `model`: `pro` or `lite`.
        model: text "model",
        /// `languageHint`: language codes (or one), e.g. `en`, `hi`, `en-hi` (the
        /// provider's server requires one on create and refuses `auto_detect`).
        language_hint: strings_or_one "languageHint",
        /// `transcriptLanguage`.
        transcript_language: text "transcriptLanguage",
        /// `sessionMode`: `consultation` or `dictation`.
        session_mode: text "sessionMode",
        /// `patientDetails`: a plain object.
        patient_details: json "patientDetails",
        /// `additionalData`: a plain object of at most 4 KB, without `_protocol`.
        additional_data: json "additionalData",
        /// `sessionId`: a client-chosen id (16–32 characters).
        session_id: text "sessionId",
        /// `presignedUpload`: ask for the presigned form of `upload_url`.
        presigned_upload: flag "presignedUpload",
    }
}

options! {
    /// Options of `createSession`.
    pub struct CreateArgs {
        ..create: CreateOptions,
        ..call: CallOptions,
    }
}

options! {
    /// Options of `uploadAudio`.
    pub struct UploadOptions {
        ..call: CallOptions,
        /// `index`: `n` of `audio_<n>.<ext>` (default: counted per session from 0).
        index: count "index",
        /// `format`: `wav`, `webm`, … or a MIME type (default: the Blob's type, else the bytes).
        format: text "format",
    }
}

options! {
    /// Options of `endSession`.
    pub struct EndOptions {
        ..call: CallOptions,
        /// `audioFilesSent` (default: this client's count for the session).
        audio_files_sent: count "audioFilesSent",
        /// `audioFilesUploaded` (default: this client's count, else `audioFilesSent`).
        audio_files_uploaded: count "audioFilesUploaded",
    }
}

options! {
    /// Options of `transcribe`: Create Session's, the final poll's, and its own.
    pub struct TranscribeOptions {
        ..create: CreateOptions,
        ..filters: Filters,
        ..call: CallOptions,
        ..pacing: Pacing,
        /// `concurrency` (default 2): uploads in flight at once.
        concurrency: positive "concurrency",
        /// `allowPartialUpload`: go on when some (not all) chunks failed.
        allow_partial_upload: flag "allowPartialUpload",
        /// `onProgress({ phase, … })`.
        on_progress: func "onProgress",
        /// `durable`: where a durable transcription (a recording's) keeps its chunks and
        /// state: `{ putChunk, getChunk, dropChunk, save, forget }` (see
        /// [`DURABLE_HOOKS`](crate::wasm::durable::DURABLE_HOOKS)).
        durable: object "durable",
        /// `resume`: a durable transcription's stored state (what `durable.save` was
        /// given), to finish it (with `durable`, and no chunks).
        resume: text "resume",
    }
}

options! {
    /// Options of the table's other operations (`client.listTemplates(options)`, …): the
    /// call's; a poll's for the ones that wait for their document (`processTemplate`,
    /// `uploadTranscript`); the query parameters of the ones that take them
    /// (`getSessions`). An option the operation does not take is refused.
    pub struct OpOptions {
        ..call: CallOptions,
        ..pacing: Pacing,
        /// `onProgress(snapshot)`: each 202 body while waiting for the document.
        on_progress: func "onProgress",
        /// `count` (`getSessions`): the number of latest sessions.
        count: positive "count",
        /// `oid` (`getSessions`): that patient's sessions.
        oid: text "oid",
    }
}

options! {
    /// The body of an operation that sends one (the JS side passes `{ body }`).
    pub struct BodyArg {
        /// `body`: a plain object, serialisable as JSON.
        body: json "body",
    }
}

options! {
    /// Options of the one-shot `pollSession`.
    pub struct OneShotPoll {
        ..client: ClientOptions,
        ..poll: PollOptions,
    }
}

options! {
    /// Options of the one-shot `getSession`.
    pub struct OneShotGet {
        ..client: ClientOptions,
        ..get: GetOptions,
    }
}

impl From<GetOptions> for PollOptions {
    fn from(o: GetOptions) -> PollOptions {
        PollOptions {
            filters: o.filters,
            request: o.request,
            ..PollOptions::default()
        }
    }
}

impl From<CallOptions> for PollOptions {
    fn from(o: CallOptions) -> PollOptions {
        PollOptions {
            request: o.request,
            retries: o.retries,
            ..PollOptions::default()
        }
    }
}

impl CreateOptions {
    /// The core's Create Session request.
    pub fn to_request(&self) -> Result<CreateSession, Error> {
        let upload_type = match self.upload_type.as_deref() {
            Some(t) => UploadType::parse(t)?,
            None => UploadType::default(),
        };
        Ok(CreateSession {
            upload_type,
            templates: self.templates.clone(),
            model: self.model.clone(),
            language_hint: self.language_hint.clone(),
            transcript_language: self.transcript_language.clone(),
            session_mode: self.session_mode.clone(),
            patient_details_json: self.patient_details.as_ref().map(|j| j.text.clone()),
            additional_data_json: self.additional_data.as_ref().map(|j| j.text.clone()),
            additional_data_has_protocol: self
                .additional_data
                .as_ref()
                .is_some_and(|j| j.has_protocol),
            session_id: self.session_id.clone(),
            presigned: self.presigned_upload.unwrap_or(false),
        })
    }
}
