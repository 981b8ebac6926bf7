// OS1's service worker: the app's shell offline, never a page with someone's words in it.
"use strict";
const SHELL = "os1-shell-2";
const FILES = ["/offline", "/static/style.css", "/static/chat.js", "/static/notify.js", "/static/pwa.js",
               "/static/icon-192.png", "/static/icon-512.png"];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(SHELL).then((cache) => cache.addAll(FILES)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys()
    .then((names) => Promise.all(names.filter((n) => n !== SHELL).map((n) => caches.delete(n))))
    .then(() => self.clients.claim()));
});

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== location.origin) return;
  if (event.request.mode === "navigate") {  // pages: always from the server; offline, the shell
    event.respondWith(fetch(event.request).catch(() => caches.match("/offline")));
  } else if (url.pathname.startsWith("/static/")) {  // fresh when online, cached when not
    event.respondWith(fetch(event.request).catch(() => caches.match(event.request)));
  }
});

self.addEventListener("notificationclick", (event) => {  // a reminder's notification opens the chat
  event.notification.close();
  event.waitUntil(self.clients.matchAll({type: "window"})
    .then((open) => (open.length ? open[0].focus() : self.clients.openWindow("/"))));
});
