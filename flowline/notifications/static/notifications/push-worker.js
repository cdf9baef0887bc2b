// The service worker Web Push wakes: it shows the notification Flowline sent
// ({type, title, body, link, id}) and opens its link when clicked.
self.addEventListener("push", function (event) {
  var data = {};
  try { data = event.data ? event.data.json() : {}; } catch (error) { data = { title: event.data.text() }; }
  event.waitUntil(self.registration.showNotification(data.title || "Flowline", {
    body: data.body || "",
    tag: data.id ? "flowline-" + data.id : undefined,
    data: { link: data.link || "/notifications/" },
  }));
});

self.addEventListener("notificationclick", function (event) {
  event.notification.close();
  var link = (event.notification.data && event.notification.data.link) || "/notifications/";
  event.waitUntil(self.clients.openWindow(link));
});
