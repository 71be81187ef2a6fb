// Copies the microphone's samples (the first channel) to the page, which makes a WAV of them.
class PcmRecorder extends AudioWorkletProcessor {
  process(inputs) {
    const channel = inputs[0] && inputs[0][0];
    if (channel) this.port.postMessage(channel.slice(0));
    return true;
  }
}
registerProcessor("pcm-recorder", PcmRecorder);
