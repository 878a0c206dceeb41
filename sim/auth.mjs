// Tokens from client credentials in the simulator (lifecycle.md §0), with lifetimes short
// enough for tests to see a refresh in the middle of a poll:
//   POST /connect-auth/v1/account/login          {client_id, client_secret} -> tokens
//   POST /connect-auth/v1/account/refresh-token  Authorization: Bearer <access>, Client-Id,
//        {refresh_token, access_token} -> new tokens (the refresh token is single-use)
// Errors are `{code, error}` bodies. A secret starting with `wrong` is refused; one starting
// with `busy` gets two 503s (Retry-After: 0) per client id before its tokens. The tokens it
// issues (`sim_at_…`) expire: an API request with an expired one answers 401 token_expired.
// Any other bearer token keeps working (the simulator's default).
import * as B from './bodies.mjs';

export class Auth {
  constructor({ tokenTtlSec = 1800, refreshTtlSec = 3600 } = {}) {
    this.ttl = tokenTtlSec;
    this.refreshTtl = refreshTtlSec;
    this.reset();
  }

  reset() {
    this.access = new Map(); // token -> { client_id, until }
    this.refresh = new Map(); // token -> { client_id, access, until }
    this.n = 0;
    this.logins = 0;
    this.refreshes = 0;
    this.busy = new Map(); // client id -> 503s given
  }

  issue(clientId) {
    const n = ++this.n;
    const now = Date.now();
    const access = `sim_at_${n}_${Math.random().toString(36).slice(2, 10)}`;
    const refresh = `sim_rt_${n}_${Math.random().toString(36).slice(2, 10)}`;
    this.access.set(access, { client_id: clientId, until: now + this.ttl * 1000 });
    this.refresh.set(refresh, { client_id: clientId, access, until: now + this.refreshTtl * 1000 });
    return [200, { access_token: access, expires_in: this.ttl, refresh_token: refresh, refresh_expires_in: this.refreshTtl }];
  }

  login(body) {
    this.logins++;
    const { client_id: id, client_secret: secret } = body ?? {};
    if (typeof id !== 'string' || !id || typeof secret !== 'string' || !secret) {
      return [400, { code: 'invalid_request', error: 'client_id and client_secret are required' }];
    }
    if (secret.startsWith('wrong')) return [401, { code: 'invalid_credentials', error: 'Invalid client credentials' }];
    const busy = this.busy.get(id) ?? 0;
    if (secret.startsWith('busy') && busy < 2) {
      this.busy.set(id, busy + 1);
      return [503, { code: 'unavailable', error: 'The auth service is busy' }, { 'retry-after': '0' }];
    }
    return this.issue(id);
  }

  refreshTokens(headers, body) {
    this.refreshes++;
    const r = this.refresh.get(body?.refresh_token);
    const bearer = (headers.authorization || '').replace(/^Bearer /, '');
    const ok = r && r.until > Date.now() && r.access === body.access_token && bearer === r.access && headers['client-id'] === r.client_id;
    if (!ok) return [401, { code: 'invalid_refresh_token', error: 'The refresh token is invalid or expired' }];
    this.refresh.delete(body.refresh_token);
    return this.issue(r.client_id);
  }

  /** An API request's bearer token: null when fine, else the 401 to answer. */
  check(token) {
    if (!token.startsWith('sim_at_')) return null;
    const a = this.access.get(token);
    if (a && a.until > Date.now()) return null;
    return [401, B.envelope1('token_expired', 'Token expired')];
  }

  describe() {
    return { logins: this.logins, refreshes: this.refreshes, token_ttl_sec: this.ttl, refresh_ttl_sec: this.refreshTtl };
  }
}
