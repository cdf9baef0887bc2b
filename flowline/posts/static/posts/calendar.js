// The calendar: drag a scheduled post onto another day to move it there at the same time
// (the same form as its Move button, posted to the page, which reschedules it through the
// API). Keyboard users use the Move button.
(function () {
  "use strict";
  var drop = document.getElementById("calendar-drop");
  if (!drop) return;
  var dragged = null;
  document.querySelectorAll(".calendar-post[draggable=true]").forEach(function (post) {
    post.addEventListener("dragstart", function (event) {
      dragged = post;
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", post.getAttribute("data-post"));
      post.classList.add("dragging");
    });
    post.addEventListener("dragend", function () { post.classList.remove("dragging"); dragged = null; });
  });
  document.querySelectorAll(".calendar-day").forEach(function (day) {
    day.addEventListener("dragover", function (event) {
      if (!dragged) return;
      event.preventDefault();
      day.classList.add("drop-target");
    });
    day.addEventListener("dragleave", function () { day.classList.remove("drop-target"); });
    day.addEventListener("drop", function (event) {
      event.preventDefault();
      day.classList.remove("drop-target");
      if (!dragged || dragged.closest(".calendar-day") === day) return;
      drop.elements.post.value = dragged.getAttribute("data-post");
      drop.elements.scheduled_at.value = day.getAttribute("data-day") + "T" + dragged.getAttribute("data-time");
      drop.submit();
    });
  });
})();
