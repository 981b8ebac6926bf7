// Hands-free voice: the microphone to /ws/voice (the same protocol as `os1 talk`'s WebSocket
// transport), the reply's audio played as it streams. End of turn, barge-in and consent are
// decided on the server; this only records, plays, and stops playing on "interruption".
"use strict";
(function () {
  const button = document.getElementById("talk");
  const state = document.getElementById("voice-state");
  const log = document.getElementById("log");
  let ws = null, ctx = null, stream = null, node = null;
  let outRate = 24000, nextTime = 0, playing = [], reply = null;
  window.os1Voice = {played: 0, cut: 0, events: []};  // what was heard, played and cut (tests read it)

  function show(text) { state.textContent = text; }

  function line(role, text) {
    const p = document.createElement("p");
    p.className = "msg " + role;
    const who = document.createElement("span");
    who.className = "who";
    who.textContent = (role === "user" ? "You" : log.dataset.name) + ":";
    const words = document.createElement("span");
    words.className = "words";
    words.textContent = text;
    p.append(who, " ", words);
    log.append(p);
    log.scrollTop = log.scrollHeight;
    return words;
  }

  function play(data) {
    const pcm = new Int16Array(data);
    const buffer = ctx.createBuffer(1, pcm.length, outRate);
    const out = buffer.getChannelData(0);
    for (let i = 0; i < pcm.length; i++) out[i] = pcm[i] / 0x8000;
    const source = ctx.createBufferSource();
    source.buffer = buffer;
    source.connect(ctx.destination);
    const at = Math.max(ctx.currentTime, nextTime);
    source.start(at);
    nextTime = at + buffer.duration;
    playing.push(source);
    source.onended = () => {
      playing = playing.filter((s) => s !== source);
      if (!playing.length) show("Listening…");
    };
    window.os1Voice.played += pcm.length;
    show("Speaking… (talk over me to interrupt)");
  }

  function silence() {
    window.os1Voice.cut += playing.length;
    playing.forEach((s) => { try { s.stop(); } catch (e) { /* already ended */ } });
    playing = [];
    nextTime = 0;
  }

  function event(m) {
    window.os1Voice.events.push(m.type);
    if (m.type === "ready") { outRate = m.output.rate; show("Listening…"); }
    else if (m.type === "transcript" && m.final) { line("user", m.text); reply = null; }
    else if (m.type === "text" && m.text) { if (!reply) reply = line("assistant", ""); reply.textContent += m.text; }
    else if (m.type === "interruption") { silence(); reply = null; show("Listening…"); }
    else if (m.type === "confirm-asked") { show("Answer yes or no"); }
    else if (m.type === "turn-end") { reply = null; }
    else if (m.type === "error") { show(m.message); }
  }

  async function start() {
    stream = await navigator.mediaDevices.getUserMedia(
      {audio: {echoCancellation: true, noiseSuppression: true, channelCount: 1}});
    ctx = new AudioContext({sampleRate: 16000});  // the browser resamples the microphone
    await ctx.audioWorklet.addModule("/static/voice-worklet.js");
    const scheme = location.protocol === "https:" ? "wss://" : "ws://";
    ws = new WebSocket(scheme + location.host + "/ws/voice");
    ws.binaryType = "arraybuffer";
    ws.onmessage = (e) => { if (typeof e.data === "string") event(JSON.parse(e.data)); else play(e.data); };
    // Recording starts now; what is said before the connection is open waits and is sent first.
    const early = [];
    node = new AudioWorkletNode(ctx, "pcm16");
    node.port.onmessage = (e) => {
      if (ws && ws.readyState === WebSocket.OPEN) ws.send(e.data);
      else if (early.length < 1000) early.push(e.data);  // at most 32 s
    };
    ctx.createMediaStreamSource(stream).connect(node);
    show("Starting…");
    ws.onopen = () => {
      ws.send(JSON.stringify({type: "audio-start", rate: ctx.sampleRate, width: 2, channels: 1}));
      early.splice(0).forEach((frame) => ws.send(frame));
    };
    ws.onclose = () => stop();
    button.setAttribute("aria-pressed", "true");
    button.textContent = "Stop talking";
  }

  function stop() {
    if (ws && ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({type: "audio-stop"}));
    ws = null;
    silence();
    if (stream) stream.getTracks().forEach((t) => t.stop());
    if (ctx) ctx.close();
    stream = ctx = node = null;
    button.setAttribute("aria-pressed", "false");
    button.textContent = "Talk hands-free";
    show("");
  }

  button.addEventListener("click", () => {
    if (ws) stop();
    else start().catch((e) => { show("The microphone is not available: " + e.message); stop(); });
  });
})();
