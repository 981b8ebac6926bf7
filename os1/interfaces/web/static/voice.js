// Voice: the microphone to /ws/voice (the same protocol as `os1 talk`'s WebSocket transport),
// the reply's audio played as it streams. Hands-free, end of turn, barge-in and consent are
// decided on the server; this only records, plays, and stops playing on "interruption".
// Push-to-talk (a toggle, remembered): audio is sent only while the button is held (pointer or
// Space), and letting go sends "end-of-turn"; the microphone stays open between presses (the
// next one is heard at once) until "Close the microphone".
"use strict";
(function () {
  const button = document.getElementById("talk");
  const ptt = document.getElementById("ptt");
  const micOff = document.getElementById("mic-off");
  const state = document.getElementById("voice-state");
  const log = document.getElementById("log");
  let ws = null, ctx = null, stream = null, node = null, held = false, early = [];
  let outRate = 24000, nextTime = 0, playing = [], reply = null;
  window.os1Voice = {played: 0, cut: 0, events: []};  // what was heard, played and cut (tests read it)

  function show(text) { state.textContent = text; }

  function label() {
    const on = ptt.checked ? held : ws !== null;
    button.setAttribute("aria-pressed", on ? "true" : "false");
    if (ptt.checked) button.textContent = held ? "Talking… (let go to send)" : "Hold to talk";
    else button.textContent = ws ? "Stop talking" : "Talk hands-free";
    micOff.hidden = !(ptt.checked && ws);
  }

  function send(data) {  // what is sent before the connection is open waits, and goes first
    if (ws && ws.readyState === WebSocket.OPEN) ws.send(data);
    else if (early.length < 1000) early.push(data);  // at most 32 s of audio
  }

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
    // Recording starts now (push-to-talk: only while held); sent once the connection is open.
    node = new AudioWorkletNode(ctx, "pcm16");
    node.port.onmessage = (e) => { if (!ptt.checked || held) send(e.data); };
    ctx.createMediaStreamSource(stream).connect(node);
    show("Starting…");
    const turns = ptt.checked ? "push-to-talk" : "hands-free";
    ws.onopen = () => {
      ws.send(JSON.stringify({type: "audio-start", rate: ctx.sampleRate, width: 2, channels: 1, turns: turns}));
      early.splice(0).forEach((data) => ws.send(data));
    };
    ws.onclose = () => stop();
    label();
  }

  function stop() {
    if (ws && ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({type: "audio-stop"}));
    ws = null;
    silence();
    if (stream) stream.getTracks().forEach((t) => t.stop());
    if (ctx) ctx.close();
    stream = ctx = node = null;
    held = false;
    early = [];
    label();
    show("");
  }

  let opening = false;
  function open() {
    if (opening) return;
    opening = true;
    start().catch((e) => { show("The microphone is not available: " + e.message); stop(); })
      .finally(() => { opening = false; });
  }

  function press() {
    if (!ptt.checked || held) return;
    held = true;
    if (!ws) open();
    label();
  }

  function release() {
    if (!held) return;
    held = false;
    send(JSON.stringify({type: "end-of-turn"}));
    label();
  }

  button.addEventListener("click", () => {
    if (ptt.checked) return;  // held, not clicked
    if (ws) stop(); else open();
  });
  micOff.addEventListener("click", () => { stop(); button.focus(); });
  button.addEventListener("pointerdown", (e) => { if (ptt.checked) { e.preventDefault(); press(); } });
  ["pointerup", "pointercancel", "pointerleave"].forEach((type) => button.addEventListener(type, release));
  button.addEventListener("keydown", (e) => {
    if (ptt.checked && (e.key === " " || e.key === "Enter")) { e.preventDefault(); if (!e.repeat) press(); }
  });
  button.addEventListener("keyup", (e) => {
    if (ptt.checked && (e.key === " " || e.key === "Enter")) { e.preventDefault(); release(); }
  });
  ptt.checked = localStorage.getItem("os1.voice.ptt") === "on";
  ptt.addEventListener("change", () => {
    localStorage.setItem("os1.voice.ptt", ptt.checked ? "on" : "off");
    if (ws) stop();  // the other way of talking starts with the next press or click
    label();
  });
  label();
})();
