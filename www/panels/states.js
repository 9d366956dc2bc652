// The States card: rewind (button, F8, and a scrubber with a picture of the moment), named save
// slots, and the state as a file — all through the element's `snapshots` (www/snapshots.js).
//
// attachStates(element, root): `root` holds the card's controls (see index.html).

import { drawThumbnail, REWIND_KEY, REWIND_STEP_S } from '../snapshots.js';

export function attachStates(element, root) {
  const $ = (id) => root.querySelector(`#${id}`);
  const snapshots = () => element.snapshots;
  const scrub = $('rewind-scrub');
  const preview = $('rewind-preview');
  let scrubbing = false;

  function report(text, kind = 'info') {
    const el = $('state-report');
    el.textContent = text;
    el.dataset.kind = kind;
  }

  // ---- rewind ----

  $('rewind').title = `Go back ${REWIND_STEP_S} seconds (${REWIND_KEY})`;
  $('rewind').addEventListener('click', () => snapshots().rewind(REWIND_STEP_S));

  function showRing() {
    const { states, bytes, seconds } = snapshots().rewindInfo;
    $('rewind').disabled = states === 0;
    scrub.disabled = states < 2;
    if (!scrubbing) {
      scrub.max = String(Math.max(states - 1, 0));
      scrub.value = scrub.max;
    }
    $('rewind-info').textContent = states
      ? `${Math.round(seconds)} s kept (${states} states, ${(bytes / 1024 / 1024).toFixed(1)} MB)`
      : 'Nothing kept yet.';
  }

  function previewAt(index) {
    const entry = snapshots().ring[index];
    if (!entry) return;
    preview.hidden = false;
    drawThumbnail(preview, entry.bytes, element.machine.chargen());
    $('rewind-age').textContent = `−${snapshots().ageOf(index).toFixed(0)} s`;
  }

  // Dragging pauses the machine and shows each moment; letting go goes back to it.
  scrub.addEventListener('input', () => {
    if (!scrubbing) {
      scrubbing = true;
      element.pause('rewind');
    }
    previewAt(Number(scrub.value));
  });
  scrub.addEventListener('change', () => {
    const index = Number(scrub.value);
    scrubbing = false;
    preview.hidden = true;
    $('rewind-age').textContent = '';
    if (index < snapshots().ring.length - 1) snapshots().rewindTo(index);
    element.resume('rewind');
    showRing();
  });
  element.addEventListener('rewindchange', showRing);
  showRing();

  // ---- slots ----

  async function showSlots() {
    const list = $('slot-list');
    list.replaceChildren();
    for (const slot of await snapshots().slots()) {
      const item = document.createElement('li');
      const label = document.createElement('span');
      label.className = 'slot-name';
      label.textContent = slot.name;
      const when = document.createElement('time');
      when.dateTime = new Date(slot.savedAt).toISOString();
      when.textContent = new Date(slot.savedAt).toLocaleString();
      const load = document.createElement('button');
      load.textContent = 'Load';
      load.addEventListener('click', async () => {
        try {
          await snapshots().loadSlot(slot.name);
          report(`Loaded "${slot.name}".`, 'ok');
        } catch (error) {
          report(`"${slot.name}" not loaded: ${error.message}`, 'error');
        }
      });
      const remove = document.createElement('button');
      remove.textContent = '×';
      remove.title = `Delete "${slot.name}"`;
      remove.setAttribute('aria-label', `Delete ${slot.name}`);
      remove.addEventListener('click', async () => {
        await snapshots().deleteSlot(slot.name);
        showSlots();
      });
      item.append(label, when, load, remove);
      list.append(item);
    }
  }

  $('slot-save').addEventListener('click', async () => {
    const name = $('slot-name').value;
    try {
      const record = await snapshots().saveSlot(name);
      report(`Saved "${record.name}" (${record.bytes.length.toLocaleString()} bytes).`, 'ok');
      $('slot-name').value = '';
      showSlots();
    } catch (error) {
      report(`Not saved: ${error.message}`, 'error');
    }
  });
  $('slot-name').addEventListener('keydown', (e) => {
    if (e.key === 'Enter') $('slot-save').click();
  });
  showSlots();

  // ---- files ----

  $('state-download').addEventListener('click', () => {
    report(`Downloaded ${snapshots().download()}.`, 'ok');
  });
  $('state-file').addEventListener('change', async (e) => {
    const file = e.target.files[0];
    e.target.value = '';
    if (!file) return;
    if (snapshots().loadFile(new Uint8Array(await file.arrayBuffer()), file.name)) {
      report(`Loaded ${file.name}.`, 'ok');
    }
  });
  element.addEventListener('statefailed', (e) => report(`${e.detail.name} not loaded: ${e.detail.message}`, 'error'));
}
