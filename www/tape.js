// Tape deck: interim version until the core's tape deck lands.

const TAPE_EXTENSIONS = ['.bas', '.txt', '.wav', '.65v', '.lod'];

export function isTapeFile(name) {
  const lower = name.toLowerCase();
  return TAPE_EXTENSIONS.some((ext) => lower.endsWith(ext));
}

export class TapeDeck {
  constructor({ say }) {
    this.say = say;
  }

  attach(machine) {
    this.machine = machine;
  }

  insert(bytes, name) {
    this.say(`${name}: the tape deck is not available yet`, 'error');
  }

  service() {}

  wantsMaxSpeed() {
    return false;
  }

  isRunning() {
    return false;
  }

  updateStatus() {}
}
