// The simulator page: typed, spoken and uploaded turns, the session's panels, and the microphone.
"use strict";

(() => {
  const $ = (id) => document.getElementById(id);
  const { api, el, pretty, money } = Console;
  let sim = null;      // this tab's simulator id
  let busy = false;

  function setStatus(text) { $("status").textContent = text || ""; }
  function setError(text) { $("error").textContent = text || ""; }

  function setBusy(value, text) {
    busy = value;
    for (const id of ["send", "silence", "new-session", "end-session", "switch-user"]) $(id).disabled = value;
    if (value) setStatus(text || "Working…");
    else if ($("status").textContent === (text || "Working…")) setStatus("");  // a message set meanwhile stays
  }

  async function run(label, action) {
    if (busy) return;
    setError("");
    setBusy(true, label);
    try {
      const data = await action();
      if (data && data.turn) showTurn(data.turn);
      if (data && data.state) showState(data.state);
    } catch (err) {
      setError(err.message);
    } finally {
      setBusy(false, label);
    }
  }

  // -- a turn ------------------------------------------------------------------------------------

  function timingLine(turn) {
    const t = turn.timings || {};
    const parts = [];
    if (t.asr !== undefined) parts.push(`ASR ${t.asr.toFixed(2)}s`);
    if (t.nlu_skill !== undefined) parts.push(`NLU+skill ${t.nlu_skill.toFixed(2)}s`);
    if (t.tts_out !== undefined) parts.push(`TTS out ${t.tts_out.toFixed(2)}s`);
    if (t.response_latency !== undefined) parts.push(`end of speech to answer ${t.response_latency.toFixed(2)}s`);
    return parts.length ? "timings: " + parts.join(", ") : "";
  }

  function youLine(turn) {
    const you = el("p", { class: "you" });
    const labels = { typed: "You typed", mic: "You said", upload: "WAV", silence: "You", "new-session": "New session",
                     "end-session": "End session" };
    you.append(el("span", { class: "who" }, labels[turn.source] || "You"));
    if (turn.source === "silence") {
      you.append(el("em", {}, "(said nothing)"));
    } else if (turn.source === "end-session") {
      you.append(el("em", {}, "(walked away: SessionEndedRequest)"));
    } else if (turn.asr) {
      if (turn.asr.rejected) {
        you.append(el("span", { class: "turn-heard" }, "(not understood)"));
        you.append(" ", el("span", { class: "engine-heard turn-engine-heard" }, `the engine heard “${turn.asr.raw}”`));
      } else {
        you.append(el("span", { class: "turn-heard" }, turn.heard));
        if (turn.asr.engine_heard) {
          you.append(" ", el("span", { class: "engine-heard turn-engine-heard" },
            `(the engine itself heard “${turn.asr.engine_heard}”)`));
        }
      }
      you.append(" ", el("span", { class: "conf" }, `[${turn.asr.engine}]`));
    } else {
      you.append(el("span", { class: "turn-heard" }, turn.heard));
    }
    return you;
  }

  function understoodLine(turn) {
    if (!turn.request_type) return null;
    const line = el("p", { class: "understood" });
    if (turn.intent) {
      line.append(el("span", { class: "intent turn-intent" }, turn.intent));
      if (turn.confidence !== null && turn.confidence !== undefined) {
        line.append(" ", el("span", { class: "conf turn-confidence" }, turn.confidence.toFixed(2)));
      }
    } else {
      line.append(el("span", { class: "intent turn-intent" }, turn.request_type));
    }
    for (const [name, slot] of Object.entries(turn.slots || {})) {
      let text = `${name}=${slot.value}`;
      if (slot.id) text += ` → ${slot.id}`;
      else if (slot.status === "ER_SUCCESS_NO_MATCH") text += " (no match)";
      line.append(" ", el("span", { class: "chip slot", title: slot.status || "" }, text));
    }
    return line;
  }

  function showTurn(turn) {
    $("empty-hint").hidden = true;
    const item = el("li", { class: "turn", "data-turn": turn.n });
    item.append(youLine(turn));
    const understood = understoodLine(turn);
    if (understood) item.append(understood);
    if (turn.speech) {
      const alexa = el("div", { class: "alexa" });
      alexa.append(el("p", { class: "speech-line" }, el("span", { class: "who" }, "Alexa"),
        el("span", { class: "turn-speech" }, turn.speech)));
      if (turn.reprompt && turn.reprompt !== turn.speech) {
        alexa.append(el("p", { class: "reprompt" }, `If you say nothing: ${turn.reprompt}`));
      }
      if (turn.audio) {
        const audio = el("audio", { controls: true, preload: "auto", class: "turn-audio",
                                    src: `/audio/${turn.audio}`, "aria-label": `Answer ${turn.n}, spoken` });
        alexa.append(audio);
        if ($("autoplay").checked) {
          for (const other of document.querySelectorAll("audio")) other.pause();
          audio.play().catch(() => {});
        }
      }
      item.append(alexa);
    }
    if (turn.error) item.append(el("p", { class: "turn-error" }, turn.error));
    const timing = timingLine(turn);
    if (timing) item.append(el("p", { class: "timings turn-timings" }, timing));
    $("turns").append(item);
    item.scrollIntoView({ block: "nearest" });
    if (turn.request) $("request-json").textContent = pretty(turn.request);
    if (turn.response) $("response-json").textContent = pretty(turn.response);
  }

  // -- the panels --------------------------------------------------------------------------------

  function showState(state) {
    $("state-user").textContent = state.user;
    $("state-session").textContent = state.session.open ? `open (${state.session.id})` : "closed";
    $("dialog-state").textContent = state.dialog ? pretty(state.dialog) : "none";
    $("session-attributes").textContent = pretty(state.session.attributes || {});
    if (state.shop) showShop(state.shop);
  }

  function showShop(shop) {
    const box = $("shop");
    box.replaceChildren();
    box.append(el("h3", {}, "Cart"));
    if (!shop.cart.length) {
      box.append(el("p", { class: "hint", id: "cart-empty" }, "The cart is empty."));
    } else {
      const table = el("table", { class: "grid", id: "cart-table" });
      table.append(el("thead", {}, el("tr", {}, el("th", { scope: "col" }, "Product"),
        el("th", { scope: "col" }, "Qty"), el("th", { scope: "col" }, "Total"))));
      const body = el("tbody");
      for (const line of shop.cart) {
        body.append(el("tr", {}, el("td", {}, `${line.name}, ${line.size}`), el("td", { class: "num" }, line.quantity),
          el("td", { class: "num" }, money(line.line_total_cents))));
      }
      body.append(el("tr", {}, el("th", { scope: "row", colspan: "2" }, "Subtotal"),
        el("td", { class: "num" }, money(shop.subtotal_cents))));
      table.append(body);
      box.append(table);
    }
    box.append(el("h3", {}, "Recent orders"));
    if (!shop.orders.length) {
      box.append(el("p", { class: "hint" }, "No orders yet."));
      return;
    }
    const table = el("table", { class: "grid", id: "orders-table" });
    table.append(el("thead", {}, el("tr", {}, el("th", { scope: "col" }, "Order"), el("th", { scope: "col" }, "Status"),
      el("th", { scope: "col" }, "Items"), el("th", { scope: "col" }, "Delivery"), el("th", { scope: "col" }, "Total"))));
    const body = el("tbody");
    for (const order of shop.orders) {
      const items = order.items.map((i) => `${i.quantity} × ${i.name}`).join(", ");
      const delivery = order.delivery ? `${order.delivery.address || ""} ${order.delivery.date} ${order.delivery.window}` : "–";
      body.append(el("tr", { class: "order" }, el("td", { class: "order-id" }, order.order_id), el("td", {}, order.status),
        el("td", {}, items), el("td", {}, delivery), el("td", { class: "num" }, money(order.total_cents))));
    }
    table.append(body);
    box.append(table);
  }

  function showVoice(voice) {
    if (!voice) return;
    $("state-voice").textContent = voice.error ? voice.error
      : voice.ready ? `${voice.engine}${voice.second_opinion ? " + Whisper's second opinion" : ""}`
      : "loading…";
  }

  // -- microphone: Web Audio captures PCM, which goes to the server as a WAV -----------------------

  const recorder = { context: null, stream: null, node: null, source: null, chunks: [], rate: 0, active: false };

  async function startTalking() {
    if (recorder.active || busy) return;
    setError("");
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      setError("This browser gives the page no microphone; type, or upload a WAV.");
      return;
    }
    recorder.active = true;
    $("talk").setAttribute("aria-pressed", "true");
    setStatus("Listening… let go to send.");
    try {
      recorder.stream = await navigator.mediaDevices.getUserMedia({ audio: { channelCount: 1, echoCancellation: false,
        noiseSuppression: false, autoGainControl: false } });
      recorder.context = new AudioContext();
      recorder.rate = recorder.context.sampleRate;
      recorder.chunks = [];
      recorder.source = recorder.context.createMediaStreamSource(recorder.stream);
      await recorder.context.audioWorklet.addModule("/static/recorder-worklet.js");
      recorder.node = new AudioWorkletNode(recorder.context, "pcm-recorder");
      recorder.node.port.onmessage = (event) => recorder.chunks.push(event.data);
      const mute = recorder.context.createGain();
      mute.gain.value = 0;
      recorder.source.connect(recorder.node).connect(mute).connect(recorder.context.destination);
      if (!recorder.active) await stopTalking();  // let go while the microphone was opening
    } catch (err) {
      recorder.active = false;
      $("talk").setAttribute("aria-pressed", "false");
      setStatus("");
      setError(`No microphone: ${err.message}. Type, or upload a WAV.`);
      cleanUpRecorder();
    }
  }

  function cleanUpRecorder() {
    if (recorder.stream) recorder.stream.getTracks().forEach((track) => track.stop());
    if (recorder.context) recorder.context.close().catch(() => {});
    recorder.stream = recorder.context = recorder.node = recorder.source = null;
  }

  async function stopTalking() {
    if (!recorder.active) return;
    recorder.active = false;
    $("talk").setAttribute("aria-pressed", "false");
    if (!recorder.context) return;  // still opening: startTalking stops when it is ready
    await new Promise((resolve) => setTimeout(resolve, 150));  // the last words still in the pipeline
    const chunks = recorder.chunks;
    const rate = recorder.rate;
    cleanUpRecorder();
    const samples = chunks.reduce((n, c) => n + c.length, 0);
    if (samples < rate * 0.2) {
      setStatus("");
      setError("That was too short: hold the button while you speak.");
      return;
    }
    await sendAudio(encodeWav(chunks, samples, rate), "mic", "recording.wav");
  }

  function encodeWav(chunks, samples, rate) {
    const buffer = new ArrayBuffer(44 + samples * 2);
    const view = new DataView(buffer);
    const text = (offset, s) => { for (let i = 0; i < s.length; i++) view.setUint8(offset + i, s.charCodeAt(i)); };
    text(0, "RIFF"); view.setUint32(4, 36 + samples * 2, true); text(8, "WAVE");
    text(12, "fmt "); view.setUint32(16, 16, true); view.setUint16(20, 1, true); view.setUint16(22, 1, true);
    view.setUint32(24, rate, true); view.setUint32(28, rate * 2, true); view.setUint16(32, 2, true);
    view.setUint16(34, 16, true); text(36, "data"); view.setUint32(40, samples * 2, true);
    let offset = 44;
    for (const chunk of chunks) {
      for (let i = 0; i < chunk.length; i++, offset += 2) {
        const s = Math.max(-1, Math.min(1, chunk[i]));
        view.setInt16(offset, s < 0 ? s * 0x8000 : s * 0x7fff, true);
      }
    }
    return new Blob([buffer], { type: "audio/wav" });
  }

  async function sendAudio(blob, source, name) {
    const form = new FormData();
    form.append("audio", blob, name);
    form.append("source", source);
    await run(source === "mic" ? "Recognising what you said…" : "Recognising the WAV…", async () => {
      const data = await api("POST", `/api/sim/${sim}/audio`, form);
      refreshVoice();
      return data;
    });
  }

  async function refreshVoice() {
    try {
      const data = await api("GET", `/api/sim/${sim}`);
      showVoice(data.voice);
    } catch (err) { /* the next turn says it */ }
  }

  // -- wiring ------------------------------------------------------------------------------------

  async function start() {
    try {
      const data = await api("POST", "/api/sim", {});
      sim = data.state.id;
      showState(data.state);
      showVoice(data.voice);
      watchVoice(data.voice, 60);
    } catch (err) {
      setError(err.message);
    }
  }

  // the recogniser loads in the background when the console starts: say when it is ready
  function watchVoice(voice, tries) {
    if (!voice || voice.ready || voice.error || tries <= 0) return;
    setTimeout(async () => {
      try {
        const data = await api("GET", "/api/status");
        showVoice(data.voice);
        watchVoice(data.voice, tries - 1);
      } catch (err) { /* the next turn says it */ }
    }, 2000);
  }

  $("say-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const text = $("utterance").value.trim();
    if (!text) { setError("Type what you would say (or use “Say nothing”)."); return; }
    run("Sending…", async () => {
      const data = await api("POST", `/api/sim/${sim}/say`, { text });
      $("utterance").value = "";
      return data;
    }).then(() => $("utterance").focus());
  });
  $("silence").addEventListener("click", () => run("Saying nothing…", () => api("POST", `/api/sim/${sim}/silence`)));
  $("new-session").addEventListener("click", () => run("Opening the skill…", () => api("POST", `/api/sim/${sim}/new-session`)));
  $("end-session").addEventListener("click", () => run("Ending the session…", () => api("POST", `/api/sim/${sim}/end-session`)));
  $("switch-user").addEventListener("click", () => run("Switching user…", async () => {
    const data = await api("POST", `/api/sim/${sim}/user`, { user: $("user-id").value.trim() });
    setStatus(`Now speaking as ${data.state.user}.`);
    return data;
  }));
  $("wav-file").addEventListener("change", async () => {
    const file = $("wav-file").files[0];
    if (!file) return;
    await sendAudio(file, "upload", file.name);
    $("wav-file").value = "";
  });
  const talk = $("talk");
  talk.addEventListener("pointerdown", (event) => { event.preventDefault(); startTalking(); });
  talk.addEventListener("pointerup", stopTalking);
  talk.addEventListener("pointerleave", stopTalking);
  talk.addEventListener("keydown", (event) => {
    if ((event.key === " " || event.key === "Enter") && !event.repeat) { event.preventDefault(); startTalking(); }
  });
  talk.addEventListener("keyup", (event) => {
    if (event.key === " " || event.key === "Enter") { event.preventDefault(); stopTalking(); }
  });
  talk.addEventListener("click", (event) => event.preventDefault());
  talk.setAttribute("aria-pressed", "false");
  for (const button of document.querySelectorAll("button.copy")) {
    button.addEventListener("click", () => Console.copy($(button.dataset.copy).textContent, button));
  }
  start();
})();
