// Types of `eka-voice/server`: everything of `eka-voice`, plus the backend's exports.
import { VoiceClient as BaseClient } from './index.js';
import type { ClientOptions, PollOptions, Session, SessionResult, VoiceApiError } from './index.js';
export * from './index.js';

/** Options of `pollMany`: its own, and the poll options each poll gets. */
export interface PollManyOptions extends PollOptions {
  /** Polls in flight at once (default 16): memory and sockets stay bounded by it. */
  concurrency?: number | undefined;
  /**
   * From now on, ALL requests of this client share a budget of this many requests a second
   * (paced evenly: no second ever sees more), and a 429 with `Retry-After` pauses the whole
   * client, not one poll.
   */
  maxRequestsPerSecond?: number | undefined;
}

/**
 * One result of `pollMany`: the session, or why it could not be had (a `VoiceApiError`).
 * Tell them apart by `error === undefined`. (When the caller's `signal` aborts, the loop
 * itself throws its reason.)
 */
export type PollManyResult =
  | { sessionId: string; session: SessionResult; error?: undefined }
  | { sessionId: string; session?: undefined; error: VoiceApiError };

/** The server entry's client: `eka-voice`'s, plus `pollMany`. */
export declare class VoiceClient extends BaseClient {
  constructor(options?: ClientOptions);
  /**
   * Polls many sessions, at most `concurrency` at once, and yields each result as it settles
   * (completion order; never held while the next id is awaited), every id exactly once.
   * `ids`: an array, or any (async) iterable — pulled one at a time, only while a poll may
   * start, the event loop getting a turn every 64 ids. Aborting `signal` stops at once: the
   * loop throws its reason, no more ids are pulled, the polls in flight are aborted. Breaking
   * out of the loop stops taking ids and aborts the polls in flight too.
   */
  pollMany(ids: Iterable<string> | AsyncIterable<string>, options?: PollManyOptions): AsyncGenerator<PollManyResult, void, undefined>;
}

/** Options of `verifyWebhook`. */
export interface VerifyWebhookOptions {
  /** The RAW request body, as received: a string or bytes — never a re-serialised object. */
  body: string | ArrayBuffer | ArrayBufferView;
  /** The `Eka-Webhook-Signature` header: `t=<unix seconds>,v1=<hex>[,v1=<hex>…]`. */
  signature: string;
  /** The signing key registered with the webhook subscription. Never logged or echoed. */
  signingKey: string | ArrayBuffer | ArrayBufferView;
  /** The largest |now − t| accepted, in seconds (default 180). */
  toleranceSec?: number | undefined;
  /** The current time (default `Date.now()`): a `Date` or milliseconds since the epoch. */
  now?: Date | number | undefined;
}

/** One webhook, normalised from either payload shape the provider sends. */
export interface WebhookEvent {
  /** `v2rx.completed`, or another event the provider sends. */
  event: string;
  /** The session the event is about: call `getSession(sessionId)` once. */
  sessionId: string;
  /** The session's status, when the payload says it. */
  status?: string;
  /** When the event happened (ISO text), when the payload says it. */
  eventTime?: string;
  /** The parsed payload, as sent. */
  raw: { [key: string]: unknown };
}

/**
 * Verifies a webhook: HMAC-SHA256 of `"<t>.<body>"` under the signing key, compared in
 * constant time against every `v1` (key rotation); when the raw body does not match, the
 * form the provider's verifier hashes (Python's compact `json.dumps`) is derived from the raw
 * text — white space out, strings as Python escapes them, everything else as it is — and
 * tried too (a body whose meaning differs from what was signed never verifies; nothing
 * unsigned is ever parsed, whatever its size or nesting); `raw` is the signed bytes, parsed; then
 * `|now − t|` within `toleranceSec`. Resolves with the normalised event. Rejects with
 * `VoiceApiError`: `invalid_argument` (bad options or a malformed header),
 * `invalid_signature`, `stale_signature`, or `invalid_response` (a signed payload of
 * neither documented shape).
 */
export declare function verifyWebhook(options: VerifyWebhookOptions): Promise<WebhookEvent>;

/** Options of `handleWebhook`. */
export interface HandleWebhookOptions {
  /** The signing key registered with the webhook subscription. Typically `process.env.…`: an unset (`undefined`) or empty one makes `handleWebhook` reject with `invalid_argument` (every delivery would be refused, unseen). */
  signingKey: string | ArrayBuffer | ArrayBufferView | undefined;
  /** The client that fetches the session (once per session). */
  client: Pick<BaseClient, 'getSession'>;
  /** Called with the session (one Get Session) and the event, after the answer was sent. */
  onSession: (session: Session, event: WebhookEvent) => void | PromiseLike<void>;
  /** Called when Get Session or `onSession` fails, with a signed payload of neither shape, or when `dedupe` fails. What it throws is dropped. */
  onError?: ((error: unknown, event?: WebhookEvent) => void) | undefined;
  /**
   * Called for each delivery refused: `reason` `bad_signature` (401: a wrong key, or a
   * forgery), `stale` (401), `malformed` (401: no or a bad signature header), `too_large`
   * (413), `timeout` (408: the body did not arrive within 10 s), `method` (405: not a POST).
   * Log it: a wrong key otherwise looks like webhooks that never arrive. What it throws is
   * dropped.
   */
  onRejected?: ((rejection: { reason: 'bad_signature' | 'stale' | 'malformed' | 'too_large' | 'timeout' | 'method'; status: number; error?: unknown }) => void) | undefined;
  /**
   * `true` when the session is seen for the first time (then it is handled). Default: an
   * in-memory table of the last 10,000 sessions of this process. Give a shared store when
   * several processes receive the webhooks.
   */
  dedupe?: ((sessionId: string) => boolean | PromiseLike<boolean>) | undefined;
  /** Edge runtimes: keeps the work after the answer alive (e.g. `ctx.waitUntil`). */
  waitUntil?: ((work: Promise<unknown>) => void) | undefined;
  /** As in `verifyWebhook` (default 180). */
  toleranceSec?: number | undefined;
}

/**
 * A webhook receiver for Fetch-API servers (`Request` in, `Response` out): verifies the
 * delivery, answers at once — 204 when verified, 401 on a bad, stale or missing signature,
 * 202 for a signed payload of neither shape (reported to `onError`), 413 for a body over
 * 1 MiB (not read whole), 408 for a body that trickles past 10 s, 405 for another method,
 * 503 when `dedupe` fails or takes over 10 s (the provider retries) — each refusal reported
 * to `onRejected` — and, for a session it has not handled yet (retries and duplicates are
 * deduplicated by session id), calls Get Session once and hands the session to
 * `onSession`. An unsigned request costs one bounded pass over at most 1 MiB: never a parse,
 * never a 500. Rejects only for bad options — a missing or empty `signingKey` among them.
 */
export declare function handleWebhook(request: Request, options: HandleWebhookOptions): Promise<Response>;

/** Options of `clientCredentials`. */
export interface ClientCredentialsOptions {
  /** The client id of the API credentials. Typically `process.env.…`: an unset (`undefined`) or empty one is refused with `invalid_argument` when `clientCredentials` is called. */
  clientId: string | undefined;
  /** The client secret. Servers only; never in an error or a log. Unset or empty: refused like `clientId`. */
  clientSecret: string | undefined;
  /** Base URL of the auth endpoints (default `https://api.eka.care`). */
  baseUrl?: string | undefined;
}

/**
 * A `getToken` for `VoiceClient`, from client credentials (servers only): logs in
 * (`/connect-auth/v1/account/login`), caches the token, refreshes it through the refresh
 * endpoint at 80 % of its lifetime, logs in again when the refresh token is gone or refused
 * — and when the API refused the cached token (the client passes `{ refused }`: revoked
 * tokens, a clock jump) — one request in flight however many callers wait. A lifetime
 * under 60 s counts as 60 s; an answer over 64 KiB is `invalid_response`, unread. A busy or
 * unreachable auth service (network, 408, 429, 5xx) is asked again with backoff and
 * `Retry-After`, each request cut after 10 s; no token within 30 s is `timeout`. Rejects
 * with `VoiceApiError`:
 * `unauthorized` (wrong credentials; `apiCode` is the service's `code`), `network`,
 * `server_error`… Throws `invalid_argument` for bad options, and where a `document` exists:
 * a client secret must never reach a browser.
 */
export declare function clientCredentials(options: ClientCredentialsOptions): (context?: { refused?: string }) => Promise<string>;

/** Which voice-session operation a page's request through `voiceProxy` is. */
export type ProxiedOperation = 'createSession' | 'uploadAudio' | 'endSession' | 'getSession';

/** Options of `voiceProxy`. */
export interface VoiceProxyOptions {
  /**
   * The app's own check, before anything is forwarded: `true` lets the request through
   * (with the backend's token); anything else answers 403. Told the operation and the
   * session (none for `createSession`) — e.g. check the user's EMR session cookie, and that
   * the session is one this user created. Waited for at most 10 s (then 503).
   */
  authorize: (request: Request, call: { operation: ProxiedOperation; sessionId?: string | undefined }) => boolean | PromiseLike<boolean>;
  /** The backend's token source, e.g. `clientCredentials({ clientId, clientSecret })`; told the token the API refused. */
  getToken?: ((context: { refused?: string }) => string | PromiseLike<string>) | undefined;
  /** A static backend token instead of `getToken`. */
  token?: string | undefined;
  /** The Voice API (default `https://api.eka.care`). */
  baseUrl?: string | undefined;
  /** Where the proxy is mounted, e.g. `/api/eka` (default: the root). The page's client uses `baseUrl: location.origin + basePath`. */
  basePath?: string | undefined;
  /** The proxy's URL as pages reach it (default: the request's origin + `basePath`), for a created session's `upload_url`. */
  publicUrl?: string | undefined;
  /** Told of what failed on the backend's side (the token source, `authorize`, the Voice API unreachable); what it throws is dropped. */
  onError?: ((error: unknown) => void) | undefined;
}

/**
 * A Fetch-API handler (`Request` in, `Response` out) that forwards a page's voice-session
 * requests to the Voice API with the BACKEND's token, after `authorize` — the page never
 * holds a provider credential (its `VoiceClient` has no token at all). Forwards only what a
 * recording page needs: Create Session, Upload Audio, End Session, Get Session (404 for any
 * other path, 405 for another method, 400 for an id or a query the client never sends); a
 * created session's `upload_url` is rewritten to go through the proxy too; a token the API
 * refuses gets one fresh one and one retry; answers are handed back with the token redacted,
 * without cookies. Bodies: at most 10 MiB from the page (413), 10 s to arrive (408); the
 * Voice API: 60 s (504), unreachable 502, no token 503 — all with `{ error: { code,
 * message } }`. Throws `invalid_argument` for bad options.
 */
export declare function voiceProxy(options: VoiceProxyOptions): (request: Request) => Promise<Response>;
