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
