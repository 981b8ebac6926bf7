// Installs the service worker (sw.js): the app can be added to a phone's or desktop's home screen.
"use strict";
if ("serviceWorker" in navigator) {
  navigator.serviceWorker.register("/sw.js").catch(() => {});
}
