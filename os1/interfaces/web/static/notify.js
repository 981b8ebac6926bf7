// Browser notifications: a proactive message (a reminder, the morning plan) that arrives while
// the page is hidden also shows as a system notification. Only once the user turned them on
// with the button: the browser's question is never asked unprompted. Quiet hours and the hourly
// limit are the server's (it sends nothing then); nothing of them is repeated here.
"use strict";
(function () {
  const button = document.getElementById("notify");
  const KEY = "os1.notify";
  const supported = "Notification" in window;

  function on() {
    return supported && Notification.permission === "granted" && localStorage.getItem(KEY) === "on";
  }

  function label() {
    button.setAttribute("aria-pressed", on() ? "true" : "false");
    button.textContent = on() ? "Notifications on" : "Notify me when away";
  }

  async function toggle() {
    if (on()) {
      localStorage.setItem(KEY, "off");
    } else if (await Notification.requestPermission() === "granted") {
      localStorage.setItem(KEY, "on");
    } else {
      document.getElementById("status").textContent =
        "The browser blocks notifications for this page; its site settings can allow them.";
    }
    label();
  }

  async function notify(title, text) {
    if (!on() || document.visibilityState === "visible") return;
    const options = {body: text, icon: "/static/icon-192.png", tag: "os1-" + Date.now()};
    const registration = "serviceWorker" in navigator ? await navigator.serviceWorker.getRegistration() : undefined;
    if (registration) {
      await registration.showNotification(title, options);  // sw.js focuses the page on a click
    } else {
      const shown = new Notification(title, options);
      shown.onclick = () => { window.focus(); shown.close(); };
    }
  }

  window.os1Notify = (title, text) => { notify(title, text).catch(() => {}); };
  button.hidden = !supported;
  button.addEventListener("click", () => { toggle().catch(() => {}); });
  label();
})();
