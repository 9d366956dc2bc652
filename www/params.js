// The parameters of a machine: ONE table of names, accepted values and defaults, read from a
// <superboard-ii>'s attributes and, on our own page, from the URL's `?` query and `#` fragment
// (the fragment wins; it never reaches a server). docs/embedding.md is written from this table.
//
// Every value is checked here. A bad one is never fatal: it is ignored, the default is used and
// the caller shows a note naming the parameter and what it accepts. No value ever reaches
// eval, innerHTML or a URL other than a relative one or data:.

const FLAG_TRUE = new Set(['', 'true', '1', 'yes', 'on']);
const FLAG_FALSE = new Set(['false', '0', 'no', 'off']);

function flag(raw) {
  const value = raw.trim().toLowerCase();
  if (FLAG_TRUE.has(value)) return true;
  if (FLAG_FALSE.has(value)) return false;
  throw new Error('use the name alone, or =true / =false');
}

function oneOf(values, aliases = {}) {
  return (raw) => {
    const value = raw.trim().toLowerCase();
    const canonical = aliases[value] ?? value;
    if (!values.includes(canonical)) throw new Error(`use ${values.slice(0, -1).join(', ')} or ${values.at(-1)}`);
    return canonical;
  };
}

// Longest text a parameter may carry (a program of about 32 KB; links are far shorter).
const MAX_TEXT = 64 * 1024;

function text(raw) {
  if (raw.length > MAX_TEXT) throw new Error(`at most ${MAX_TEXT / 1024} KB of text`);
  return raw;
}

// A tape's address: relative to the page (no scheme, no //host) or a data: URL.
function tapeUrl(raw) {
  const value = raw.trim();
  if (/^data:/i.test(value)) return value;
  if (value === '' || /^[a-z][a-z0-9+.-]*:/i.test(value) || value.startsWith('//') || value.startsWith('\\')) {
    throw new Error('use a path relative to the page (e.g. tapes/hello.bas) or a data: URL');
  }
  return value;
}

// A program: a plain listing (starting with a line number) or, as Copy link makes it, "z"
// followed by the listing compressed with deflate-raw in base64url.
function program(raw) {
  const value = text(raw);
  if (/^z[A-Za-z0-9_-]+={0,2}$/.test(value)) return { compressed: value.slice(1) };
  if (/^\s*\d/.test(value)) return { listing: value };
  throw new Error('use a BASIC listing (lines starting with numbers) or a link made by Copy link');
}

function origins(raw) {
  const list = raw.split(/[\s,]+/).filter(Boolean);
  for (const origin of list) {
    if (origin === '*') continue;
    let url;
    try {
      url = new URL(origin);
    } catch {
      throw new Error('use origins like https://example.org, separated by commas, or *');
    }
    if (url.origin !== origin.replace(/\/$/, '')) throw new Error(`${origin} is not an origin (scheme://host[:port])`);
  }
  return list.map((o) => (o === '*' ? o : new URL(o).origin));
}

// name → { accepts (for notes and the docs), fallback (the default, in words), parse(raw) }.
export const PARAMS = {
  program: { accepts: 'a BASIC listing, or the compressed form Copy link makes ("z…")', fallback: 'none', parse: program },
  tape: { accepts: 'a tape file (.bas .txt .wav .65v) by a path relative to the page, or a data: URL', fallback: 'none', parse: tapeUrl },
  type: { accepts: 'text typed after boot (RETURN as a line break)', fallback: 'none', parse: text },
  autorun: { accepts: 'a flag: cold-start BASIC, load the program or tape, RUN', fallback: 'off', parse: flag },
  list: { accepts: 'a flag: LIST the program or tape once loaded', fallback: 'off', parse: flag },
  speed: { accepts: '1, 2, 4 or max', fallback: '1', parse: oneOf(['1', '2', '4', 'max'], { '1x': '1', '2x': '2', '4x': '4' }) },
  view: {
    accepts: 'tv (the 24×24 TV window; also "window"), tv25, tv26 or full (32×32)',
    fallback: 'tv',
    parse: oneOf(['tv', 'tv25', 'tv26', 'full'], { window: 'tv', tv24: 'tv', '24x24': 'tv', '25x25': 'tv25', '24x26': 'tv26', '32x32': 'full' }),
  },
  aspect: { accepts: 'tv (4:3) or square', fallback: 'tv', parse: oneOf(['tv', 'square'], { '4:3': 'tv' }) },
  keys: { accepts: 'natural or positional', fallback: 'natural', parse: oneOf(['natural', 'positional']) },
  mute: { accepts: 'a flag: no tape sound', fallback: 'off', parse: flag },
  ram: { accepts: '4, 8 or 32 (KB)', fallback: '8', parse: oneOf(['4', '8', '32'], { '4k': '4', '8k': '8', '32k': '32' }) },
  embed: { accepts: 'a flag: the bare screen, filling its box', fallback: 'off', parse: flag },
  status: { accepts: 'a flag: show the status line (shown unless embedded)', fallback: 'on unless embedded', parse: flag },
  state: { accepts: 'a saved state (.sbstate) by a path relative to the page, or a data: URL, to start from', fallback: 'none', parse: tapeUrl },
  resume: { accepts: 'on, or off: do not keep the machine for the next visit', fallback: 'on', parse: oneOf(['on', 'off']) },
  'allow-origin': { accepts: 'origins allowed to drive an embedded page by postMessage, comma separated, or *', fallback: 'the page\'s own origin', parse: origins },
};

// Parses one parameter: { value } or { problem } (a sentence naming it and what it accepts).
export function parseParam(name, raw) {
  const param = PARAMS[name];
  if (!param) return { problem: `Unknown parameter "${name}" ignored (known: ${Object.keys(PARAMS).join(', ')}).` };
  try {
    return { value: param.parse(String(raw)) };
  } catch (error) {
    return { problem: `${name}=${shorten(String(raw))} ignored: ${error.message}. Using ${param.fallback}.` };
  }
}

function shorten(value) {
  const oneLine = JSON.stringify(value);
  return oneLine.length > 40 ? `${oneLine.slice(0, 37)}…"` : oneLine;
}

// The page URL's parameters, the fragment's over the query's: [[name, value], ...].
export function urlParams(location) {
  const params = new Map(new URLSearchParams(location.search));
  for (const [name, value] of new URLSearchParams(location.hash.replace(/^#/, ''))) params.set(name, value);
  return [...params];
}

// ---- compressed programs (share links) ----

function toBase64Url(bytes) {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text) {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

async function pipe(bytes, stream) {
  const response = new Response(new Blob([bytes]).stream().pipeThrough(stream));
  return new Uint8Array(await response.arrayBuffer());
}

// A listing as the `program` parameter's compressed form (without the leading "z").
export async function compressProgram(listing) {
  return toBase64Url(await pipe(new TextEncoder().encode(listing), new CompressionStream('deflate-raw')));
}

// Back to the listing; throws with a readable message when the text was cut or garbled.
export async function decompressProgram(compressed) {
  try {
    return new TextDecoder().decode(await pipe(fromBase64Url(compressed), new DecompressionStream('deflate-raw')));
  } catch {
    throw new Error('the program in this link is damaged (was the link cut short?)');
  }
}
