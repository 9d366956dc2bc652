// Tape sound: the core renders the KCS tones (f32, mono, at the AudioContext's rate) in step
// with emulated time; they are posted to an AudioWorklet that plays them from a small queue.
//
// The context is created suspended (no user gesture yet) and resumed on the first click or key
// (toolchain.md pitfall 5). Volume and mute act on a GainNode.

export class TapeAudio {
  constructor() {
    this.context = null;
    this.node = null;
    this.gain = null;
    this.volume = 0.3;
    this.muted = false;
    this.pushedSamples = 0; // samples handed to the worklet so far
    try {
      this.context = new AudioContext({ latencyHint: 'interactive' });
      this.ready = this.context.audioWorklet
        .addModule(new URL('./audio-worklet.js', import.meta.url))
        .then(() => {
          this.node = new AudioWorkletNode(this.context, 'tape-player', { outputChannelCount: [1] });
          this.gain = new GainNode(this.context, { gain: this.level() });
          this.node.connect(this.gain).connect(this.context.destination);
        })
        .catch((error) => {
          console.warn('tape sound unavailable:', error);
          this.node = null;
        });
    } catch (error) {
      console.warn('tape sound unavailable:', error);
      this.context = null;
    }
  }

  get sampleRate() {
    return this.context ? Math.round(this.context.sampleRate) : 0;
  }

  // True when samples pushed now will be heard (context running, worklet loaded).
  get state() {
    return this.context?.state ?? 'unavailable';
  }

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
}
