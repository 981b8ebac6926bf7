// The chat page: one WebSocket to /ws carries the conversation both ways (see live.py).
// Hand-written on purpose: a few dozen lines, nothing fetched from elsewhere.
"use strict";
(function () {
  const log = document.getElementById("log");
  const form = document.getElementById("say");
  const input = document.getElementById("text");
  const stopButton = document.getElementById("stop");
  const status = document.getElementById("status");
  const dialog = document.getElementById("consent");
  let name = log.dataset.name;
  let reply = null;   // the <span> the streaming reply is written into
  let consentId = null;
  let ws = null;

  function add(role, text) {
    const p = document.createElement("p");
    p.className = "msg " + role;
    const who = document.createElement("span");
    who.className = "who";
    who.textContent = (role === "user" ? "You" : name) + ":";
    const words = document.createElement("span");
    words.className = "words";
    words.textContent = text || "";
    p.append(who, " ", words);
    log.append(p);
    log.scrollTop = log.scrollHeight;
    return words;
  }

  function note(text) {
    const p = document.createElement("p");
    p.className = "msg step";
    p.textContent = text;
    log.append(p);
  }

  // A piece a tool composed: its player (it starts at once: the user has just asked for it),
  // its score as an image (nothing in it runs) and links to it. The moment is text, never markup.
  function piece(m) {
    const figure = document.createElement("figure");
    figure.className = "piece";
    figure.dataset.piece = m.number;  // as in the history the page is rendered with
    const caption = document.createElement("figcaption");
    caption.textContent = "#" + m.number + " For “" + m.moment + "” · ";
    const links = [["Music page", m.page], ["Score (PDF)", m.pdf]].map(([label, href]) => {
      const a = document.createElement("a");
      a.href = href;
      a.textContent = label;
      return a;
    });
    caption.append(links[0], " · ", links[1]);
    const audio = document.createElement("audio");
    audio.controls = true;
    audio.src = m.audio;
    const score = document.createElement("img");
    score.className = "score";
    score.src = m.score;
    score.alt = "The score of piece " + m.number;
    figure.append(caption, audio, score);
    log.querySelectorAll("figure.piece audio").forEach((a) => a.pause());  // one piece at a time
    log.append(figure);
    log.scrollTop = log.scrollHeight;
    audio.play().catch(() => {});  // a browser that will not start it: the player is there
  }

  function busy(on) {
    log.setAttribute("aria-busy", on ? "true" : "false");  // screen readers read the whole reply at its end
    stopButton.hidden = !on;
    status.textContent = on ? name + " is answering…" : "";
  }

  function answerConsent(approved) {
    if (consentId === null) return;
    ws.send(JSON.stringify({type: "confirm", id: consentId, approved: approved}));
    consentId = null;
    if (dialog.open) dialog.close();
    input.focus();
  }

  const handlers = {
    "ask": (m) => { add("assistant", m.text); input.focus(); },
    "said": (m) => add("assistant", m.text),
    "ready": (m) => {
      name = m.name;
      document.querySelectorAll(".to").forEach((e) => { e.textContent = m.name; });
      document.body.dataset.ready = "1";
    },
    "turn-start": () => { reply = null; busy(true); },
    "text": (m) => { if (reply === null) reply = add("assistant", ""); reply.textContent += m.text; },
    "tool": (m) => { note("· using " + m.tool); reply = null; },
    "tool-step": (m) => { note(m.step); reply = null; },  // a long tool shows what it is doing
    "piece": (m) => { piece(m); reply = null; },
    "confirm": (m) => {
      consentId = m.id;
      document.getElementById("consent-what").textContent = m.summary;
      dialog.showModal();
    },
    "confirmed": (m) => note(m.approved ? "Allowed." : "Not done."),
    "error": (m) => note("Problem: " + m.message),
    "turn-end": () => {
      reply = null;
      busy(false);
      document.body.dataset.turns = String(Number(document.body.dataset.turns || 0) + 1);
    },
    "proactive": (m) => { add("assistant proactive", m.text); window.os1Notify(name, m.text); },
  };

  function connect() {
    const scheme = location.protocol === "https:" ? "wss://" : "ws://";
    ws = new WebSocket(scheme + location.host + "/ws");
    ws.onmessage = (e) => {
      const m = JSON.parse(e.data);
      if (handlers[m.type]) handlers[m.type](m);
    };
    ws.onclose = () => {
      status.textContent = "Disconnected. Reload the page to talk again.";
      document.body.dataset.ready = "";
    };
  }

  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const text = input.value.trim();
    if (!text || !ws || ws.readyState !== WebSocket.OPEN) return;
    add("user", text);
    ws.send(JSON.stringify({type: "say", text: text}));
    input.value = "";
  });
  input.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && !e.shiftKey) { e.preventDefault(); form.requestSubmit(); }
  });
  stopButton.addEventListener("click", () => ws.send(JSON.stringify({type: "stop"})));
  document.getElementById("consent-yes").addEventListener("click", () => answerConsent(true));
  document.getElementById("consent-no").addEventListener("click", () => answerConsent(false));
  dialog.addEventListener("cancel", (e) => { e.preventDefault(); answerConsent(false); });  // Escape: no
  connect();
  input.focus();
})();
