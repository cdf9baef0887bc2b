// Web Push for this browser: subscribe with the API's VAPID public key, hand the
// subscription to `notifications/push-subscriptions/`, or take it back.
(function () {
  "use strict";
  var card = document.getElementById("push-optin");
  if (!card || card.getAttribute("data-enabled") !== "true") return;
  var state = card.querySelector("[data-push-state]");
  var on = card.querySelector("[data-push-on]");
  var off = card.querySelector("[data-push-off]");
  var SUBSCRIPTIONS = "/api/v1/notifications/push-subscriptions/";

  function show(text, subscribed) {
    state.textContent = text;
    on.hidden = subscribed !== false;
    off.hidden = subscribed !== true;
  }
  function applicationServerKey(base64url) {
    var text = atob(base64url.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((base64url.length + 3) % 4));
    return Uint8Array.from(text, function (c) { return c.charCodeAt(0); });
  }
  function failed(error) {
    show("Push could not be changed: " + (error && error.message ? error.message : error), null);
    if (window.flowline) flowline.toast(state.textContent, "danger");
  }
  function answered(response) {
    if (!response.ok) return response.json().then(function (body) { throw new Error(body.error || response.statusText); });
    return response;
  }

  if (!("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) {
    show("This browser cannot receive push notifications.", null);
    return;
  }
  if (Notification.permission === "denied") {
    show("Notifications are blocked for this site in the browser's settings.", null);
    return;
  }
  var registering = navigator.serviceWorker.register(card.getAttribute("data-worker"));
  registering
    .then(function (registration) { return registration.pushManager.getSubscription(); })
    .then(function (subscription) {
      show(subscription ? "Push is on in this browser." : "Push is off in this browser.", !!subscription);
    }, failed);

  on.addEventListener("click", function () {
    Notification.requestPermission()
      .then(function (permission) {
        if (permission !== "granted") throw new Error("the browser was not allowed to show notifications");
        return registering;
      })
      .then(function (registration) {
        return registration.pushManager.subscribe({
          userVisibleOnly: true,
          applicationServerKey: applicationServerKey(card.getAttribute("data-public-key")),
        });
      })
      .then(function (subscription) { return flowline.api("POST", SUBSCRIPTIONS, subscription.toJSON()).then(answered); })
      .then(function () { show("Push is on in this browser.", true); }, failed);
  });

  off.addEventListener("click", function () {
    registering
      .then(function (registration) { return registration.pushManager.getSubscription(); })
      .then(function (subscription) {
        if (!subscription) return null;
        var endpoint = subscription.endpoint;
        return subscription.unsubscribe().then(function () {
          return flowline.api("POST", SUBSCRIPTIONS + "unsubscribe/", { endpoint: endpoint }).then(answered);
        });
      })
      .then(function () { show("Push is off in this browser.", false); }, failed);
  });
})();
