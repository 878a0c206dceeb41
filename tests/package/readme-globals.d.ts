// The names the README's snippets take from the code around them, typed as an app would
// have them (readme-types.mjs). Nothing here widens a package type: each declaration is the
// package's own type, a standard one, or an app's own function.
import type { Session, SessionResult, SessionDocument, VoiceClient as Client, documents as Documents, findDocument as FindDocument, TranscribeProgress, CompiledWasmModule } from 'eka-voice';
import type { HandleWebhookOptions, handleWebhook as HandleWebhook } from 'eka-voice/server';

declare global {
  const sessionIds: readonly string[];
  const clientId: string;
  const clientSecret: string;
  const session: SessionResult;
  /** What an earlier snippet of the same section defined or imported. */
  const options: HandleWebhookOptions;
  const ekaProxy: (request: Request) => Promise<Response>;
  const VoiceClient: typeof Client;
  const documents: typeof Documents;
  const findDocument: typeof FindDocument;
  const handleWebhook: typeof HandleWebhook;
  /** `init()`'s inputs. */
  const url: string;
  const bytes: ArrayBuffer;
  const wasmModule: CompiledWasmModule;
  /** The app's own. */
  const getToken: () => Promise<string>;
  const sessionId: string;
  const editedMarkdown: string;
  function saveDocuments(sessionId: string, session: Session): void;
  function save(sessionId: string, documents: SessionDocument[]): void;
  function userOf(request: Request): Promise<{ id: string } | null>;
  function ownsSession(user: { id: string }, sessionId: string): Promise<boolean>;
  function showError(templateId: string, errors: SessionDocument['errors']): void;
  function renderMarkdown(markdown: string): void;
  function renderForm(data: SessionDocument['data']): void;
  const progressBar: { update(event: TranscribeProgress): void };
  /** Express is the app's: its types are not the package's concern. */
  const app: { post(path: string, ...handlers: ((req: any, res: any, next: () => void) => unknown)[]): void };
  const express: { raw(options: { type: string }): (req: any, res: any, next: () => void) => void };
}
export {};
