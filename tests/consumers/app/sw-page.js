// Registers sw.js as a module service worker and asks it to run the check.
const sim = new URLSearchParams(location.search).get('sim');
window.__result = (async () => {
  const reg = await navigator.serviceWorker.register('./sw.js', { type: 'module' });
  const sw = reg.active ?? (await new Promise((resolve) => {
    const w = reg.installing ?? reg.waiting;
    w.addEventListener('statechange', () => w.state === 'activated' && resolve(w));
  }));
  const channel = new MessageChannel();
  const answer = new Promise((resolve) => (channel.port1.onmessage = (m) => resolve(m.data)));
  sw.postMessage(sim, [channel.port2]);
  return answer;
})();
