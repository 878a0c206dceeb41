// What the server entry does with what others control: a body (a webhook delivery, a
// page's request through the proxy, the Voice API's answer to it) is read to at most `max`
// bytes — a bigger one is refused without being read whole — within a time (a trickling
// body is abandoned); a hook of the app (onError, authorize, dedupe…) is waited for within
// a time, and what a reporting hook throws is dropped.
import { bounded } from './load.js';

/** Calls a caller's hook; what it throws or rejects with is dropped (never the answer's). */
export function safe(f, ...args) {
  try {
    Promise.resolve(f?.(...args)).catch(() => {});
  } catch {}
}

/** `promise`, or a rejection after `ms` (then `onLate()`). */
export const within = (promise, ms, onLate) => bounded(promise, ms, undefined, () => (onLate?.(), new Error('timed out')));

/**
 * The bytes of `message` (a Request or a Response), or `undefined` when it is larger than
 * `max` bytes; rejects when it takes longer than `timeoutMs`.
 */
export async function readBody(message, max, timeoutMs) {
  if (Number(message.headers.get('content-length')) > max) return undefined;
  if (!message.body) return new Uint8Array(0);
  const reader = message.body.getReader();
  const cancel = () => reader.cancel().catch(() => {});
  const parts = [];
  let n = 0;
  const read = async () => {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return true;
      if ((n += value.length) > max) return void cancel();
      parts.push(value);
    }
  };
  if (!(await within(read(), timeoutMs, cancel))) return undefined;
  const body = new Uint8Array(n);
  for (let i = 0, at = 0; i < parts.length; at += parts[i++].length) body.set(parts[i], at);
  return body;
}
