// AudioWorklet: plays the tape sound chunks posted by audio.js. Keeps the queue short: when
// more than MAX_QUEUE_S is waiting (the page ran ahead), the oldest sound is dropped so the
// tones stay in step with the picture; when the queue runs dry it plays silence.

const MAX_QUEUE_S = 0.25;

class TapePlayer extends AudioWorkletProcessor {
  constructor() {
    super();
    this.chunks = [];
    this.offset = 0; // read position in chunks[0]
    this.queued = 0; // samples waiting
    this.port.onmessage = (event) => {
      this.chunks.push(event.data);
      this.queued += event.data.length;
      const max = MAX_QUEUE_S * sampleRate;
      while (this.queued > max && this.chunks.length > 1) {
        const dropped = this.chunks.shift();
        this.queued -= dropped.length - this.offset;
        this.offset = 0;
      }
    };
  }

  process(inputs, outputs) {
    const out = outputs[0][0];
    let i = 0;
    while (i < out.length && this.chunks.length) {
      const chunk = this.chunks[0];
      const n = Math.min(out.length - i, chunk.length - this.offset);
      out.set(chunk.subarray(this.offset, this.offset + n), i);
      i += n;
      this.offset += n;
      this.queued -= n;
      if (this.offset === chunk.length) {
        this.chunks.shift();
        this.offset = 0;
      }
    }
    out.fill(0, i);
    return true;
  }
}

registerProcessor('tape-player', TapePlayer);
