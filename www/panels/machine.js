// The Machine card: BREAK, power, SHIFT LOCK, speed, view, TV shape, keyboard mode and the text
// mirror of one element. It reads the element's settings from its `settingschange` event, so
// changes made elsewhere (URL parameters, scripts) show here too.
//
// attachMachine(element, root): `root` holds the card's controls (see index.html).

export function attachMachine(element, root) {
  const $ = (id) => root.querySelector(`#${id}`);
  $('break').addEventListener('click', () => element.reset());
  $('power').addEventListener('click', () => {
    element.powerCycle();
    element.say('Switched off and on.');
  });
  $('shift-lock').addEventListener('click', () => element.toggleShiftLock());
  root.querySelectorAll('input[name=speed]').forEach((radio) =>
    radio.addEventListener('change', () => element.setSpeed(radio.value)));
  $('view').addEventListener('change', (e) => element.setView(e.target.value));
  $('aspect').addEventListener('change', (e) => element.setAspect(e.target.checked));
  $('keymode').addEventListener('change', (e) => element.setKeyboardMode(e.target.value));
  $('show-text').addEventListener('change', (e) => element.showText(e.target.checked));

  function show({ speed, view, aspect, keys, shiftLock }) {
    const radio = root.querySelector(`input[name=speed][value="${speed}"]`);
    if (radio) radio.checked = true;
    $('view').value = view;
    $('aspect').checked = aspect === 'tv';
    $('keymode').value = keys;
    $('shift-lock').setAttribute('aria-pressed', String(shiftLock));
  }
  element.addEventListener('settingschange', (e) => show(e.detail));
  show(element.settings);
}
