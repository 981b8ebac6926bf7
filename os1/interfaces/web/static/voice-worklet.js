// Runs in the audio thread: the microphone's samples (already at the context's 16 kHz) become
// little-endian PCM16 messages of 512 samples (32 ms) for the voice WebSocket.
"use strict";
class Pcm16 extends AudioWorkletProcessor {
  constructor() {
    super();
    this.buffer = new Int16Array(512);
    this.filled = 0;
  }
  process(inputs) {
    const channel = inputs[0] && inputs[0][0];
    if (!channel) return true;
    for (let i = 0; i < channel.length; i++) {
      const s = Math.max(-1, Math.min(1, channel[i]));
      this.buffer[this.filled++] = s < 0 ? s * 0x8000 : s * 0x7fff;
      if (this.filled === this.buffer.length) {
        this.port.postMessage(this.buffer.buffer, [this.buffer.buffer]);
        this.buffer = new Int16Array(512);
        this.filled = 0;
      }
    }
    return true;
  }
}
registerProcessor("pcm16", Pcm16);
