// The ROMs card: original ROM images the user supplies (www/roms.js), kept in IndexedDB and
// given to one element, which power-cycles with them.
//
// attachRoms(element, root) shows the ROMs the element runs with (an element with
// roms="stored" loads the stored ones itself) and returns { add(files) } for files dropped
// elsewhere on the page ([{ name, bytes }]).

import { identify_rom } from '../pkg/superboard.js';
import { RomStore, classify, slotLabel, ASKABLE_SLOTS } from '../roms.js';

export async function attachRoms(element, root) {
  const $ = (id) => root.querySelector(`#${id}`);
  const store = new RomStore();
  let records = [];

  function use(next) {
    records = next;
    show(element.setRoms(records));
  }

  function show(problems = []) {
    const list = $('rom-list');
    list.replaceChildren();
    for (const record of records) {
      const item = document.createElement('li');
      const what = document.createElement('span');
      what.textContent = `${slotLabel(record.slot)}: ${record.name} (${record.description})`;
      what.title = `SHA-1 ${record.sha1}`;
      const remove = document.createElement('button');
      remove.textContent = 'Remove';
      remove.className = 'small';
      remove.addEventListener('click', async () => {
        await store.remove(record.slot);
        use(records.filter((r) => r.slot !== record.slot));
        element.say(`Removed ${record.name}; the machine was switched off and on.`);
      });
      item.append(what, remove);
      list.append(item);
    }
    $('rom-summary').textContent = records.length
      ? 'Original ROMs in use (any part not listed comes from the open set):'
      : 'Built-in open ROMs (monitor, BASIC, character set).';
    $('rom-clear').disabled = records.length === 0;
    if (problems.length) element.say(problems.join('; '), 'error');
  }

  async function add(files) {
    const accepted = [];
    for (const { name, bytes } of files) {
      let record;
      try {
        record = classify(identify_rom, name, bytes);
      } catch (error) {
        element.say(error.message, 'error');
        continue;
      }
      if (record.ask) {
        askSlot(record);
        continue;
      }
      accepted.push(record);
    }
    if (accepted.length) await install(accepted);
  }

  async function install(added) {
    let next = records;
    for (const record of added) {
      next = [...next.filter((r) => r.slot !== record.slot), record];
      await store.put(record);
    }
    use(next);
    const names = added.map((r) => `${r.name} → ${slotLabel(r.slot)} (${r.description})`);
    element.say(`ROM${added.length > 1 ? 's' : ''} installed: ${names.join('; ')}. Power cycled.`);
  }

  // An unrecognised 2 KB image whose name says nothing: ask which socket it belongs in.
  function askSlot(record) {
    const ask = $('rom-ask');
    ask.hidden = false;
    ask.replaceChildren();
    const question = document.createElement('p');
    question.textContent = `${record.name} is a 2 KB ROM the emulator does not recognise. Which socket is it for?`;
    ask.append(question);
    for (const slot of ASKABLE_SLOTS) {
      const button = document.createElement('button');
      button.className = 'small';
      button.textContent = slotLabel(slot);
      button.addEventListener('click', async () => {
        ask.hidden = true;
        await install([{ ...record, slot, ask: undefined }]);
      });
      ask.append(button);
    }
    const cancel = document.createElement('button');
    cancel.className = 'small';
    cancel.textContent = 'Cancel';
    cancel.addEventListener('click', () => { ask.hidden = true; });
    ask.append(cancel);
  }

  $('rom-file').addEventListener('change', async (e) => {
    await add(await readFiles(e.target.files));
    e.target.value = '';
  });
  $('rom-clear').addEventListener('click', async () => {
    await store.clear();
    use([]);
    element.say('Back to the open ROMs; the machine was switched off and on.');
  });

  // The element loaded the stored ROMs itself (roms="stored") before its first power-on.
  await store.open();
  records = element.romRecords;
  show(element.romProblems ?? []);
  return { add };
}

// Files from an <input type=file> or a drop, as [{ name, bytes }].
export function readFiles(fileList) {
  return Promise.all([...fileList].map(async (file) => ({
    name: file.name,
    bytes: new Uint8Array(await file.arrayBuffer()),
  })));
}
