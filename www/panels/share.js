// The Share card: the BASIC program in memory (read from RAM and detokenised by the core, as
// LIST prints it) as a link, as text, as a .bas file, and as embed code for a course page.
//
// A link carries the program compressed (deflate-raw, base64url) in the URL's fragment, so it
// never reaches a server's log; opening it loads the program through the tape and LISTs it.
//
// attachShare(element, root): `root` holds the card's controls (see index.html).

import { compressProgram } from '../params.js';
import { download, baseName } from '../tape.js';

// Longest compressed program a link carries: beyond this, browsers, chat programs and mail
// clients start cutting URLs.
export const MAX_LINK_PROGRAM = 8 * 1024;

// The settings a link or embed code repeats when they differ from the defaults.
const DEFAULTS = { speed: '1', view: 'tv', aspect: 'tv', keys: 'natural' };

export function attachShare(element, root) {
  const $ = (id) => root.querySelector(`#${id}`);
  const output = $('share-output');
  const message = $('share-message');

  function tell(text, kind = 'info') {
    message.textContent = text;
    message.dataset.kind = kind;
  }

  // The program as text, or null (with the reason shown) when there is none to share.
  function program() {
    let listing;
    try {
      listing = element.program();
    } catch (error) {
      tell(`No program to share: ${error.message}.`, 'error');
      return null;
    }
    if (!listing) {
      tell('There is no program in memory yet: type one in BASIC (or load a tape) first.', 'error');
      return null;
    }
    return listing;
  }

  function settings() {
    return Object.entries(element.settings).filter(([name, value]) => name in DEFAULTS && DEFAULTS[name] !== value);
  }

  async function show(text, what) {
    output.hidden = false;
    output.value = text;
    try {
      await navigator.clipboard.writeText(text);
      tell(`${what} copied.`, 'ok');
    } catch {
      output.select();
      tell(`${what} is below: copy it with Ctrl/⌘-C.`, 'ok');
    }
  }

  // The program compressed, or null (with the reason shown) when too long for a link.
  async function packed(listing) {
    const compressed = await compressProgram(listing);
    if (compressed.length > MAX_LINK_PROGRAM) {
      tell(`This program is ${(compressed.length / 1024).toFixed(1)} KB compressed, too long for a link ` +
        `(at most ${MAX_LINK_PROGRAM / 1024} KB): use Download .bas instead.`, 'error');
      return null;
    }
    return compressed;
  }

  function pageUrl() {
    const url = new URL(location.href);
    url.search = '';
    url.hash = '';
    return url;
  }

  $('share-link').addEventListener('click', async () => {
    const listing = program();
    if (listing === null) return;
    const compressed = await packed(listing);
    if (compressed === null) return;
    const fragment = new URLSearchParams(settings());
    fragment.set('program', `z${compressed}`);
    const url = pageUrl();
    url.hash = fragment.toString();
    await show(url.href, 'Link');
  });

  $('share-program').addEventListener('click', async () => {
    const listing = program();
    if (listing !== null) await show(listing, 'Program');
  });

  $('share-download').addEventListener('click', () => {
    const listing = program();
    if (listing === null) return;
    const name = `${baseName($('share-name').value.trim() || 'program').replace(/[\\/:*?"<>|]+/g, '-')}.bas`;
    download(listing, name, 'text/plain');
    tell(`Saved as ${name}.`, 'ok');
  });

  $('share-embed').addEventListener('click', async () => {
    let listing = null;
    try {
      listing = element.program() || null;
    } catch {
      // no BASIC program: the embed code starts the machine empty
    }
    const compressed = listing === null ? null : await packed(listing);
    if (listing !== null && compressed === null) return;
    const params = settings();
    if (compressed) params.push(['program', `z${compressed}`]);
    const frame = pageUrl();
    frame.search = 'embed';
    if (params.length) frame.hash = new URLSearchParams(params).toString();
    const attributes = params.map(([name, value]) => ` ${name}="${escapeAttribute(value)}"`).join('');
    const script = new URL('../superboard-ii.js', import.meta.url).href;
    const code = `<iframe src="${escapeAttribute(frame.href)}" width="640" height="480" style="border:0" ` +
      'title="Superboard II" allow="autoplay; clipboard-write"></iframe>\n\n' +
      `<script type="module" src="${escapeAttribute(script)}"></script>\n` +
      `<superboard-ii${attributes} style="max-width:640px"></superboard-ii>\n`;
    await show(code, `Embed code${listing === null ? ' (no program in memory)' : ''}`);
  });

  // The download name follows the tape the program came from.
  function suggestName() {
    const file = element.deck.file;
    if (file && !$('share-name').dataset.edited) $('share-name').value = baseName(file.name);
  }
  $('share-name').addEventListener('input', () => { $('share-name').dataset.edited = 'yes'; });
  element.addEventListener('tapeloaded', suggestName);
  suggestName();
}

function escapeAttribute(text) {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}
