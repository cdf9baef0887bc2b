// The bell in the top bar follows the live `notification` event.
document.addEventListener("fl:notification", function (event) {
  var bell = document.querySelector("[data-bell]");
  if (!bell) return;
  var count = Number(event.detail.unread_count || 0);
  var badge = bell.querySelector("[data-bell-count]");
  badge.textContent = String(count);
  badge.hidden = count === 0;
  bell.setAttribute("aria-label", "Notifications, " + count + " unread");
  if (window.flowline) flowline.toast(event.detail.title || "New notification", "primary");
});

// Marking read on the notifications page changes the count: read it again from the API.
document.addEventListener("htmx:afterRequest", function (event) {
  var config = event.detail.requestConfig || {};
  if (config.verb !== "post" || !event.detail.successful || !window.flowline) return;
  if (location.pathname.indexOf("/notifications/") !== 0) return;
  flowline.api("GET", "/api/v1/notifications/count/")
    .then(function (response) { return response.ok ? response.json() : null; })
    .then(function (body) {
      if (!body || !body.data) return;
      var bell = document.querySelector("[data-bell]");
      var count = Number(body.data.unread_count || 0);
      var badge = bell && bell.querySelector("[data-bell-count]");
      if (!badge) return;
      badge.textContent = String(count);
      badge.hidden = count === 0;
      bell.setAttribute("aria-label", "Notifications, " + count + " unread");
    }, function () { /* the next page load tells */ });
});
