// `documents(session)` and `findDocument(session, templateId)`: a session's documents
// without the nested loop over `templates` (an array of one-key objects; `{}` on a 410).
// Pure JS over the parsed body: no wasm involved, nothing converted again.

/** See index.d.ts. */
export function documents(session) {
  const out = [];
  try {
    const entries = session?.templates;
    if (Array.isArray(entries)) {
      for (const entry of entries) {
        if (entry === null || typeof entry !== 'object') continue;
        for (const [templateId, d] of Object.entries(entry)) if (d !== null && typeof d === 'object') out.push(view(templateId, d));
      }
    }
  } catch {
    // A hostile object (a Proxy, a throwing getter) is no session: what was read stays.
  }
  return out;
}

function view(templateId, { document_id: documentId, status, data, errors, warnings }) {
  const list = (v) => (Array.isArray(v) ? v : []);
  const markdown = typeof data === 'string' ? data : undefined;
  return { templateId, documentId, status, data, markdown, failed: status === 'failure', errors: list(errors), warnings: list(warnings) };
}

/** See index.d.ts. */
export const findDocument = (session, templateId) => documents(session).find((d) => d.templateId === templateId);
