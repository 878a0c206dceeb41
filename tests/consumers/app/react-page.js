// The README's React hook (use-session.js, written by the case from the installed
// package's README as it is, with the simulator's baseUrl) under <StrictMode> in the Vite
// dev server (React's development build: StrictMode runs every effect, its cleanup, and the
// effect again). window.__result: whether the hook reached the completed session with no
// error (a freed client once made it `VoiceApiError: this VoiceClient was freed`).
import { StrictMode, createElement } from 'react';
import { createRoot } from 'react-dom/client';
import { useSession } from './use-session.js';

globalThis.SIM = new URLSearchParams(location.search).get('sim');
const id = `complete.strict-${Math.random().toString(36).slice(2)}`;
const getToken = () => 'consumer-token';
let settle;
window.__result = new Promise((resolve) => (settle = resolve));
setTimeout(() => settle({ error: 'no completed session within 20 s' }), 20_000);

function App() {
  const state = useSession(id, getToken);
  if (state.status === 'completed') settle({ completed: state.documents.length === 2 });
  if (state.status === 'error') settle({ error: String(state.error?.message ?? state.error) });
  return createElement('p', null, state.status);
}

const root = document.createElement('div');
document.body.append(root);
createRoot(root).render(createElement(StrictMode, null, createElement(App)));
