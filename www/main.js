// Our own page: one <superboard-ii> element plus its side panels (Programs, Machine, Display, Share,
// Cassette, ROMs), the first visit's welcome, the page-wide drop target, and the URL's
// parameters given to the element. Course pages use the
// same element without this module.

import './superboard-ii.js';
import { isTapeFile } from './tape.js';
import { attachMachine } from './panels/machine.js';
import { attachCassette } from './panels/cassette.js';
import { attachRoms, readFiles } from './panels/roms.js';
import { attachDebugger } from './panels/debugger.js';
import { attachBasicView } from './panels/basic-view.js';
import { attachAssembler } from './panels/assembler.js';
import { attachSerial } from './panels/serial.js';
import { attachShare } from './panels/share.js';
import { answerMessages } from './messages.js';
import { PARAMS, parseParam, urlParams } from './params.js';
import { attachDisplay } from './panels/display.js';
import { buildShelf } from './programs.js';
import { isFirstVisit, welcome } from './firstvisit.js';
import { attachStates } from './panels/states.js';
import { isSnapshotFile } from './snapshots.js';

const $ = (id) => document.getElementById(id);

// URL parameters (`?` query or `#` fragment) become the element's attributes, which checks
// their values; an unknown name is noted here. Returns the notes and the names the URL set.
function applyUrl(element) {
  const params = urlParams(location);
  const problems = [];
  for (const [name, value] of params) {
    if (name in PARAMS) element.setAttribute(name, value);
    else problems.push(parseParam(name, value).problem);
  }
  const embedded = element.hasAttribute('embed') && parseParam('embed', element.getAttribute('embed')).value;
  if (embedded) document.body.classList.add('embed');
  return { problems, names: new Set(params.map(([name]) => name)), embedded };
}

// Drop anywhere on the page: saved states are loaded, tapes go to the deck (and onto the tape
// shelf), anything else is tried as a ROM.
function wireDrop(element, roms, shelf) {
  let depth = 0;
  const overlay = $('drop-overlay');
  window.addEventListener('dragenter', (e) => { e.preventDefault(); depth++; overlay.hidden = false; });
  window.addEventListener('dragleave', () => { if (--depth <= 0) { depth = 0; overlay.hidden = true; } });
  window.addEventListener('dragover', (e) => e.preventDefault());
  window.addEventListener('drop', async (e) => {
    e.preventDefault();
    depth = 0;
    overlay.hidden = true;
    if (!e.dataTransfer?.files?.length) return;
    const files = await readFiles(e.dataTransfer.files);
    const states = files.filter((f) => isSnapshotFile(f.name, f.bytes));
    for (const state of states) element.snapshots.loadFile(state.bytes, state.name);
    const rest = files.filter((f) => !states.includes(f));
    for (const tape of rest.filter((f) => isTapeFile(f.name))) await shelf.insertFile(tape.bytes, tape.name);
    const others = rest.filter((f) => !isTapeFile(f.name));
    if (others.length) await roms.add(others);
  });
}

// Buttons and fields give the keys back to the machine once used.
function returnFocus(panel) {
  panel.addEventListener('click', (e) => {
    if (e.target instanceof HTMLElement && e.target.closest('button')) e.target.closest('button').blur();
  });
  panel.addEventListener('change', (e) => {
    if (e.target instanceof HTMLElement && e.target.type !== 'range') e.target.blur();
  });
}

// Phones and tablets: the cards live in a menu that slides over the machine.
function wireMenu() {
  const toggle = $('menu-toggle');
  const set = (open) => {
    document.body.classList.toggle('menu-open', open);
    toggle.setAttribute('aria-expanded', String(open));
  };
  toggle.addEventListener('click', () => set(!document.body.classList.contains('menu-open')));
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && document.body.classList.contains('menu-open')) set(false);
  });
  $('machine').addEventListener('pointerdown', () => set(false));
}

async function main() {
  const element = $('machine');
  const fromUrl = applyUrl(element);
  // An embedded page answers its parent's messages (only from allowed origins).
  answerMessages(element);
  await element.ready;
  for (const problem of fromUrl.problems) element.note(problem);
  if (!fromUrl.embedded && isFirstVisit()) welcome({ element, hint: $('first-hint'), help: $('help') });
  buildShelf($('programs-card'), element);
  attachMachine(element, $('machine-card'));
  attachDisplay(element, $('display-card'), fromUrl.names);
  // An embedded page hides the cards: it keeps no tapes on a shelf the user cannot see.
  const { shelf } = attachCassette(element, $('tape-card'), { keepTapes: !fromUrl.embedded });
  attachSerial(element, $('serial-card'));
  attachShare(element, $('share-card'));
  attachStates(element, $('state-card'));
  const roms = await attachRoms(element, $('rom-card'));
  wireDrop(element, roms, shelf);
  attachDebugger(element, $('debug-card'));
  attachBasicView(element, $('basic-card'));
  attachAssembler(element, $('asm-card'));
  returnFocus($('panel'));
  wireMenu();
  window.superboard = element;
}

main().catch((error) => console.error(error));
