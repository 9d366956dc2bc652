// Line-in and line-out: the page and a real Superboard's cassette port.
//
// LineIn records a microphone or line input (getUserMedia into an AudioWorklet, in real time)
// and keeps the samples, with the level and the last stretch of signal for a meter and a live
// waveform; each chunk (about 50 ms) also goes to `onchunk(samples)` as it arrives, where the
// deck decodes it live onto a growing tape. LineOut plays a tape's
// WAV at real speed through a gain (the level a real cassette input wants varies).

export class LineIn {
  constructor() {
    this.context = null;
    this.stream = null;
    this.node = null;
    this.chunks = [];
    this.samples = 0;
    this.peak = 0;
    this.recent = new Float32Array(0);
    this.onchunk = null;
  }

  get recording() {
    return Boolean(this.node);
  }

  get seconds() {
    return this.context ? this.samples / this.context.sampleRate : 0;
  }

  // Asks for the microphone / line input and starts recording. Throws (in words) when the
  // browser has no audio input or the user refuses it.
  async start() {
    if (!navigator.mediaDevices?.getUserMedia) throw new Error('this browser offers no audio input');
    // Created first, while the click that asked for it still counts as a user gesture.
    this.context = new AudioContext();
    try {
      // The cassette signal must arrive as it is: no echo cancelling, noise suppression or gain.
      this.stream = await navigator.mediaDevices.getUserMedia({
        audio: { echoCancellation: false, noiseSuppression: false, autoGainControl: false },
      });
      await this.context.audioWorklet.addModule(new URL('./line-in-worklet.js', import.meta.url));
    } catch (error) {
      this.context.close();
      this.context = null;
      throw error;
    }
    const source = this.context.createMediaStreamSource(this.stream);
    this.node = new AudioWorkletNode(this.context, 'line-in-recorder');
    // The graph is pulled by its destination: the recorder outputs silence into it.
    this.sink = new GainNode(this.context, { gain: 0 });
    this.node.connect(this.sink).connect(this.context.destination);
    this.chunks = [];
    this.samples = 0;
    this.node.port.onmessage = ({ data }) => {
      this.chunks.push(data.samples);
      this.samples += data.samples.length;
      this.peak = Math.max(data.peak, this.peak * 0.8);
      this.recent = data.samples;
      this.onchunk?.(data.samples);
    };
    source.connect(this.node);
    if (this.context.state === 'suspended') await this.context.resume();
  }

  // Stops recording; returns { samples, sampleRate } (mono).
  stop() {
    const sampleRate = this.context?.sampleRate ?? 0;
    this.node?.port.close();
    this.node?.disconnect();
    this.sink?.disconnect();
    this.node = null;
    this.sink = null;
    for (const track of this.stream?.getTracks() ?? []) track.stop();
    this.stream = null;
    this.context?.close();
    this.context = null;
    const samples = new Float32Array(this.samples);
    let at = 0;
    for (const chunk of this.chunks) {
      samples.set(chunk, at);
      at += chunk.length;
    }
    this.chunks = [];
    this.peak = 0;
    return { samples, sampleRate };
  }
}

export class LineOut {
  constructor() {
    this.context = null;
    this.source = null;
    this.gain = null;
    this.level = 0.8;
    this.startedAt = 0;
    this.duration = 0;
    this.onended = null;
  }

  get playing() {
    return Boolean(this.source);
  }

  // Progress of the playback, 0 to 1.
  get progress() {
    if (!this.source || !this.duration) return 0;
    return Math.min(1, (this.context.currentTime - this.startedAt) / this.duration);
  }

  setLevel(level) {
    this.level = level;
    if (this.gain) this.gain.gain.value = level;
  }

  // Plays `wav` (the bytes of a WAV file) at real speed.
  async play(wav) {
    this.stop();
    this.context = new AudioContext();
    const buffer = await this.context.decodeAudioData(wav.buffer.slice(wav.byteOffset, wav.byteOffset + wav.byteLength));
    this.gain = new GainNode(this.context, { gain: this.level });
    this.source = new AudioBufferSourceNode(this.context, { buffer });
    this.source.connect(this.gain).connect(this.context.destination);
    this.source.onended = () => {
      const done = this.source !== null;
      this.stop();
      if (done) this.onended?.();
    };
    if (this.context.state === 'suspended') await this.context.resume();
    this.duration = buffer.duration;
    this.startedAt = this.context.currentTime;
    this.source.start();
  }

  stop() {
    const source = this.source;
    this.source = null;
    if (source) {
      source.onended = null;
      try { source.stop(); } catch { /* not started */ }
    }
    this.context?.close();
    this.context = null;
    this.gain = null;
  }
}
