// Types of `eka-voice/simulator` (Node only).

/** A local fake of the Eka Care Voice API, listening on 127.0.0.1 only. */
export interface Simulator {
  /** The underlying Node `http.Server`. */
  readonly server: unknown;
  /** Starts listening (port 0: any free port); resolves with its base URL, e.g. `http://127.0.0.1:8787`. */
  listen(port?: number): Promise<string>;
  /** Stops listening and closes every connection. */
  close(): Promise<void>;
}

/**
 * Makes a simulator: sessions created through it process for 1.5 s and complete; scripted
 * sessions (`complete.<suffix>`, `missing.<suffix>`, `expired.<suffix>`, …) answer from a
 * script. Every API request needs `Authorization: Bearer <anything>`.
 */
export declare function createSimulator(options?: {
  /** Logs each request (method and path) to stderr. */
  verbose?: boolean | undefined;
  /** Lifetime of client-credentials tokens, seconds (default 1800). */
  tokenTtlSec?: number | undefined;
  /** Lifetime of refresh tokens, seconds (default 3600). */
  refreshTtlSec?: number | undefined;
  /**
   * The origin the answers' links name (`upload_url`, Discovery's endpoints, audio and
   * document URLs), e.g. `http://127.0.0.1:4010` when a proxy stands in front of the
   * simulator. Default: the request's own `Host`.
   */
  publicUrl?: string | undefined;
}): Simulator;
