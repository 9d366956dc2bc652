// The Programs shelf: a few programs of our own (www/programs/*.bas), each one click from
// running. A click fetches the listing, puts it in the cassette deck and runs LOAD & RUN — the
// same tape path as a dropped file (a BASIC cold start first if the machine is not in BASIC).
// tests/programs.rs checks that each listing loads and runs on the open BASIC.

export const PROGRAMS = [
  {
    file: 'catch.bas',
    title: 'Catch',
    kind: 'game',
    about: 'Catch the falling balls in your basket: Z moves left, X right. Ten balls.',
  },
  {
    file: 'pictures.bas',
    title: 'Pictures',
    kind: 'demo',
    about: 'A landscape, a castle, people and a ship drawn with the graphics characters. Ctrl-C stops it.',
  },
  {
    file: 'lesson.bas',
    title: 'Lesson 1',
    kind: 'lesson',
    about: 'PRINT, variables, INPUT and FOR loops, explained; it asks your name and a number. LIST it afterwards.',
  },
];

// The listing of a shelf program, fetched next to this module.
export async function fetchProgram(file) {
  const url = new URL(`./programs/${file}`, import.meta.url);
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${file}: the page could not fetch it (HTTP ${response.status})`);
  return response.text();
}

// Builds the shelf in `container` for the machine `element` (<superboard-ii>). `run(program)`
// (optional) replaces the default load-and-run, for pages with their own choreography.
export function buildShelf(container, element, { run = (program) => runProgram(element, program) } = {}) {
  const list = document.createElement('ul');
  list.className = 'shelf';
  for (const program of PROGRAMS) {
    const item = document.createElement('li');
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'shelf-run';
    button.dataset.file = program.file;
    button.innerHTML = `<span class="shelf-title"></span> <span class="shelf-kind"></span>`;
    button.querySelector('.shelf-title').textContent = program.title;
    button.querySelector('.shelf-kind').textContent = program.kind;
    button.title = `Load ${program.file} from tape and RUN it`;
    const about = document.createElement('p');
    about.className = 'shelf-about';
    about.textContent = program.about;
    button.addEventListener('click', async () => {
      button.disabled = true;
      try {
        await run(program);
      } catch (error) {
        element.say?.(error.message, 'error');
      } finally {
        button.disabled = false;
      }
    });
    item.append(button, about);
    list.append(item);
  }
  container.append(list);
  return list;
}

const PROMPT_WAIT_MS = 3000;

// Whether the machine waits for a command: BASIC's OK above the cursor, or the monitor's prompt.
function waitsForCommand(element) {
  const rows = element.screenText('full').split('\n').map((row) => row.trim()).filter((row) => row && row !== '_');
  const last = rows.at(-1) ?? '';
  return last === 'OK' || /C\/W\/M \?$/.test(last);
}

// Fetches `program`, inserts it as a tape and runs LOAD & RUN on `element`'s deck (which
// cold-starts BASIC from the monitor's prompt). A machine busy with something else (a program
// running, an INPUT waiting) gets BREAK first, as a person would press it.
export async function runProgram(element, program) {
  const listing = await fetchProgram(program.file);
  await element.ready;
  element.focus({ preventScroll: true });
  if (!waitsForCommand(element)) {
    element.reset();
    const started = performance.now();
    while (!/C\/W\/M \?/.test(element.screenText('full'))) {
      if (performance.now() - started > PROMPT_WAIT_MS) throw new Error('The machine did not come back to C/W/M ? after BREAK.');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  element.loadTape(listing, program.file);
  if (!element.deck.loadAndRun()) throw new Error(`${program.title} could not start: the machine is still typing.`);
}
