// The Display card: phosphor colour, CRT look and margin of one element, and the exports — a
// PNG picture (optionally in its bezel), Copy screen as Unicode text, a WebM recording. The
// choices are kept in this browser (localStorage) and given back to the element on the next
// visit unless the URL set them; the card follows the element's `settingschange` events.
//
// attachDisplay(element, root): `root` holds the card's controls (see index.html).

import { exportName } from '../export.js';
import { download } from '../tape.js';

const STORE_KEY = 'superboard.display';

function load() {
  try {
    return JSON.parse(localStorage.getItem(STORE_KEY) ?? '{}') ?? {};
  } catch {
    return {};
  }
}

function store(settings) {
  try {
    localStorage.setItem(STORE_KEY, JSON.stringify(settings));
  } catch {
    // storage refused: the choice lasts for this visit
  }
}

// `explicit`: attribute names the page's URL set, which the stored choices must not override.
export function attachDisplay(element, root, explicit = new Set()) {
  const $ = (id) => root.querySelector(`#${id}`);
  const saved = load();
  if (!explicit.has('phosphor') && saved.phosphor) element.setAttribute('phosphor', saved.phosphor);
  if (!explicit.has('crt') && saved.crt) element.setAttribute('crt', '');
  if (!explicit.has('margin') && saved.margin === false) element.setAttribute('margin', 'off');

  const remember = () => {
    const { phosphor, crt, margin } = element.settings;
    store({ phosphor, crt, margin });
  };
  $('phosphor').addEventListener('change', (e) => {
    element.setAttribute('phosphor', e.target.value);
    remember();
  });
  $('crt').addEventListener('change', (e) => {
    element.toggleAttribute('crt', e.target.checked);
    remember();
  });
  $('margin').addEventListener('change', (e) => {
    element.setAttribute('margin', e.target.checked ? 'on' : 'off');
    remember();
  });

  $('export-png').addEventListener('click', async () => {
    try {
      const blob = await element.screenshot({ bezel: $('export-bezel').checked });
      download(blob, exportName('png'), 'image/png');
      element.say('Screen saved as a PNG picture.');
    } catch (error) {
      element.say(`No picture: ${error.message}`, 'error');
    }
  });
  $('copy-screen').addEventListener('click', async () => {
    try {
      await element.copyScreen();
    } catch (error) {
      element.say(`Not copied: ${error.message}`, 'error');
    }
  });

  const record = $('record');
  record.addEventListener('click', async () => {
    try {
      if (element.recording) {
        const blob = await element.stopRecording();
        download(blob, exportName('webm'), 'video/webm');
      } else {
        element.startRecording();
      }
    } catch (error) {
      element.say(`No recording: ${error.message}`, 'error');
    }
  });
  element.addEventListener('recordingchange', (e) => {
    record.textContent = e.detail.recording ? '■ Stop recording' : '● Record';
    record.setAttribute('aria-pressed', String(e.detail.recording));
  });

  function show({ phosphor, crt, margin }) {
    $('phosphor').value = phosphor;
    $('crt').checked = crt;
    $('margin').checked = margin;
  }
  element.addEventListener('settingschange', (e) => show(e.detail));
  show(element.settings);
}
