// A post's page: the post and its targets are read again whenever a live `post_update` for it arrives,
// and once the socket is connected (a change between the page's render and the socket
// joining the account's room is not replayed).
(function () {
  "use strict";
  var box = document.getElementById("post-live");
  if (!box || !window.htmx) return;
  var postId = Number(box.getAttribute("data-post"));
  document.addEventListener("fl:post_update", function (event) {
    if (event.detail && event.detail.post_id === postId) htmx.trigger(box, "post-changed");
  });
  var socket = window.flowline && window.flowline.socket();
  if (socket) socket.on("connect", function () { htmx.trigger(box, "post-changed"); });
})();
