// Types of `eka-voice/server`: everything of `eka-voice`, plus the backend's exports.
export * from './index.js';

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
 * constant time against every `v1` (key rotation); when the raw body does not match, its
 * compact JSON form (as the provider's own verifier re-serialises it) is tried too; then
 * `|now − t|` within `toleranceSec`. Resolves with the normalised event. Rejects with
 * `VoiceApiError`: `invalid_argument` (bad options or a malformed header),
 * `invalid_signature`, `stale_signature`, or `invalid_response` (a signed payload of
 * neither documented shape).
 */
export declare function verifyWebhook(options: VerifyWebhookOptions): Promise<WebhookEvent>;
