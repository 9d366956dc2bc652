// The postMessage API of an embedded page (index.html?embed in an <iframe>): the parent page
// sends commands and hears events, the same ones the element offers to scripts on its own page.
// Only origins listed in the `allow-origin` parameter (default: this page's own origin) are
// answered or told anything; messages from any other origin are ignored. docs/embedding.md
// describes the format:
//
//   parent → page   { superboard: 'command', id, name, args: [...] }
//   page → parent   { superboard: 'reply', id, result } or { superboard: 'reply', id, error }
//   page → parent   { superboard: 'event', name, detail }   ready, screenchange, tapesaved, programend

const COMMANDS = {
  type: (element, text) => element.type(String(text)),
  loadTape: (element, data, name) => {
    const bytes = typeof data === 'string' ? data : new Uint8Array(data);
    return element.loadTape(bytes, String(name ?? 'tape.bas'));
  },
  reset: (element) => element.reset(),
  screenText: (element, view) => element.screenText(view === 'full' ? 'full' : undefined),
  program: (element) => element.program(),
  setSpeed: (element, speed) => element.setSpeed(speed),
};

const EVENTS = ['ready', 'screenchange', 'tapesaved', 'programend'];

export function answerMessages(element) {
  let allowed = null; // origins, read once the element has checked its parameters

  function allows(origin) {
    return allowed.includes('*') || allowed.includes(origin);
  }

  function tell(message) {
    if (window.parent === window) return;
    for (const origin of allowed) window.parent.postMessage(message, origin);
  }

  window.addEventListener('message', async (event) => {
    const message = event.data;
    if (!message || typeof message !== 'object' || message.superboard !== 'command') return;
    await element.ready;
    if (!allows(event.origin)) return;
    const reply = { superboard: 'reply', id: message.id };
    const command = Object.hasOwn(COMMANDS, message.name) ? COMMANDS[message.name] : null;
    try {
      if (!command) throw new Error(`unknown command ${JSON.stringify(String(message.name))} (use ${Object.keys(COMMANDS).join(', ')})`);
      const result = command(element, ...(Array.isArray(message.args) ? message.args : []));
      reply.result = result === undefined ? null : JSON.parse(JSON.stringify(result));
    } catch (error) {
      reply.error = error.message;
    }
    event.source?.postMessage(reply, event.origin);
  });

  element.ready.then(() => {
    allowed = element.param('allow-origin') ?? [location.origin];
    for (const name of EVENTS.slice(1)) {
      element.addEventListener(name, (event) => {
        const detail = event.detail && typeof event.detail === 'object' ? event.detail : null;
        tell({ superboard: 'event', name, detail });
      });
    }
    tell({ superboard: 'event', name: 'ready', detail: null });
  });
}
