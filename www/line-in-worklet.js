// AudioWorklet: hands the line-in (or microphone) signal to the page in chunks of about 50 ms,
// each with its peak level, for the recorder in line-in.js. Channels are mixed to mono.

const CHUNK_S = 0.05;

class LineInRecorder extends AudioWorkletProcessor {
  constructor() {
    super();
    this.size = Math.round(CHUNK_S * sampleRate);
    this.chunk = new Float32Array(this.size);
    this.filled = 0;
  }

  process(inputs) {
    const channels = inputs[0];
    if (!channels || channels.length === 0) return true;
    const frames = channels[0].length;
    for (let i = 0; i < frames; i++) {
      let sum = 0;
      for (const channel of channels) sum += channel[i];
      this.chunk[this.filled++] = sum / channels.length;
      if (this.filled === this.size) {
        let peak = 0;
        for (const x of this.chunk) peak = Math.max(peak, Math.abs(x));
        // The chunk's buffer moves to the page (transferred), so a new one follows.
        this.port.postMessage({ samples: this.chunk, peak }, [this.chunk.buffer]);
        this.chunk = new Float32Array(this.size);
        this.filled = 0;
      }
    }
    return true;
  }
}

registerProcessor('line-in-recorder', LineInRecorder);
