// The Serial card: a terminal on the machine's ACIA — the serial header of a real Superboard.
// What the machine transmits shows in the pane; a line typed in the input box is sent with
// RETURN. BASIC listens to the line once the monitor's flags say so (POKE 515,128 for input,
// POKE 517,1 for output); "Hand BASIC to the line" types both on the keyboard.
//
// attachSerial(element, root): `root` holds the card's controls (see index.html). The element's
// API is `element.serial.send(bytes | string)` and the `serialdata` event ({ bytes, text }).

const MAX_PANE_CHARS = 20_000;
const HAND_OVER = 'POKE 517,1:POKE 515,128\r';

export function attachSerial(element, root) {
  const $ = (id) => root.querySelector(`#${id}`);
  const pane = $('serial-pane');
  const input = $('serial-input');

  element.addEventListener('serialdata', (event) => {
    const text = pane.textContent + event.detail.text;
    pane.textContent = text.length > MAX_PANE_CHARS ? text.slice(-MAX_PANE_CHARS) : text;
    pane.scrollTop = pane.scrollHeight;
  });

  function sendLine() {
    try {
      element.serial.send(`${input.value}\r`);
      input.value = '';
    } catch (error) {
      element.say(error.message, 'error');
    }
  }
  $('serial-form').addEventListener('submit', (event) => {
    event.preventDefault();
    sendLine();
  });
  $('serial-handover').addEventListener('click', () => {
    if (element.type(HAND_OVER)) element.say('BASIC now reads from and prints to the serial line (SPACE on the keyboard ends it).');
  });
  $('serial-turbo').addEventListener('change', (event) => element.serial.setTurbo(event.target.checked));
  $('serial-clear').addEventListener('click', () => {
    pane.textContent = '';
  });
}
