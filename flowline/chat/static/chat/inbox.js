// The inbox: a `chat_message` on the account room (any client gets the same event)
// refreshes the conversation list, and the open thread when the message is in it.
// A suggested reply is put in the reply box to edit before sending.
(function () {
  "use strict";
  document.addEventListener("fl:chat_message", function (event) {
    if (!window.htmx) return;
    var list = document.getElementById("conversations");
    if (list) htmx.trigger(list, "chat-message");
    var thread = document.getElementById("thread");
    var messages = document.getElementById("messages");
    if (thread && messages && String(event.detail.conversation_id) === thread.getAttribute("data-conversation")) {
      htmx.trigger(messages, "chat-message");
    }
  });
  // The thread opens (and refreshes) at its latest message.
  function toLatest() {
    var messages = document.getElementById("messages");
    if (messages) messages.scrollTop = messages.scrollHeight;
  }
  toLatest();
  document.body.addEventListener("htmx:afterSettle", function (event) {
    if (event.target.id === "messages") toLatest();
  });
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-use-suggestion]");
    if (!button) return;
    var box = document.getElementById("reply-body");
    box.value = button.getAttribute("data-use-suggestion");
    box.focus();
  });
})();
