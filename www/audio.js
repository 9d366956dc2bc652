// Tape sound: the core renders the KCS tones (f32, mono, at the AudioContext's rate) in step
// with emulated time; they are posted to an AudioWorklet that plays them from a small queue.
//
// One AudioContext serves every machine on the page (browsers limit how many a page may open);
// each machine has its own worklet node and GainNode, so volume and mute are per machine. The
// context is created suspended (no user gesture yet) and resumed on the first click or key
// (docs/toolchain.md, "Sound").

let shared = null; // { context, ready } once created; { context: null } when unavailable

function sharedContext() {
  if (shared) return shared;
  try {
    const context = new AudioContext({ latencyHint: 'interactive' });
    const ready = context.audioWorklet.addModule(new URL('./audio-worklet.js', import.meta.url));
    shared = { context, ready };
    const resume = () => {
      if (context.state === 'suspended') context.resume().catch(() => {});
    };
    window.addEventListener('pointerdown', resume, true);
    window.addEventListener('keydown', resume, true);
  } catch (error) {
    console.warn('tape sound unavailable:', error);
    shared = { context: null, ready: Promise.reject(error) };
    shared.ready.catch(() => {});
  }
  return shared;
}

export class TapeAudio {
  constructor() {
    const { context, ready } = sharedContext();
    this.context = context;
    this.node = null;
    this.gain = null;
    this.volume = 0.3;
    this.muted = false;
    this.pushedSamples = 0; // samples handed to the worklet so far
    this.ready = ready
      .then(() => {
        this.node = new AudioWorkletNode(context, 'tape-player', { outputChannelCount: [1] });
        this.gain = new GainNode(context, { gain: this.level() });
        this.node.connect(this.gain).connect(context.destination);
      })
      .catch((error) => {
        if (context) console.warn('tape sound unavailable:', error);
        this.node = null;
      });
  }

  get sampleRate() {
    return this.context ? Math.round(this.context.sampleRate) : 0;
  }

  // The shared context's state: "suspended" until a user gesture, then "running".
  get state() {
    return this.context?.state ?? 'unavailable';
  }

  // True when samples pushed now will be heard (context running, worklet loaded).
  get running() {
    return Boolean(this.node) && this.context.state === 'running';
  }

  resume() {
    if (this.context && this.context.state === 'suspended') this.context.resume().catch(() => {});
  }

  level() {
    return this.muted ? 0 : this.volume;
  }

  setVolume(volume) {
    this.volume = volume;
    if (this.gain) this.gain.gain.value = this.level();
  }

  setMuted(muted) {
    this.muted = muted;
    if (this.gain) this.gain.gain.value = this.level();
  }

  push(samples) {
    if (!this.node) return;
    this.pushedSamples += samples.length;
    this.node.port.postMessage(samples, [samples.buffer]);
  }

  // The element left the page: let its node go.
  close() {
    this.node?.disconnect();
    this.gain?.disconnect();
    this.node = null;
  }
}
