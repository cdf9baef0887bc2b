// Flowline console: session upkeep, CSRF for htmx, theme, toasts and live updates over
// Socket.IO. Pages stay server-rendered; this only wires the shared behaviour.
(function () {
  "use strict";
  var REFRESH_URL = "/api/v1/auth/refresh/";
  var PROFILE_URL = "/api/v1/auth/profile/";
  var LOGIN_URL = "/login/";

  function cookie(name) {
    var match = document.cookie.match(new RegExp("(?:^|; )" + name + "=([^;]*)"));
    return match ? decodeURIComponent(match[1]) : "";
  }
  function csrfToken() {
    return cookie("csrf_access_token") || (document.querySelector("meta[name=csrf-token]") || {}).content || "";
  }
  function api(method, url, body) {
    return fetch(url, {
      method: method,
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrfToken(), "Accept": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }
  function toLogin() {
    var next = location.pathname + location.search;
    location.replace(LOGIN_URL + "?next=" + encodeURIComponent(next));
  }

  // --- The session: the access token is refreshed before it expires, and on a 401.
  var refreshing = null;
  function refreshSession() {
    if (!refreshing) {
      refreshing = api("POST", REFRESH_URL, {}).then(function (response) {
        refreshing = null;
        if (!response.ok) throw new Error("refresh refused");
        return response.json();
      }, function (error) { refreshing = null; throw error; });
    }
    return refreshing;
  }
  function scheduleRefresh(expiresAt) {
    if (!expiresAt) return;
    var wait = new Date(expiresAt).getTime() - Date.now() - 60000;
    setTimeout(function () {
      refreshSession().then(function (body) {
        scheduleRefresh(body && body.data && body.data.access_expires_at);
      }, function () { /* the next request will find out and resume */ });
    }, Math.max(wait, 5000));
  }
  scheduleRefresh(document.body.getAttribute("data-access-expires"));

  // The resume page: a page load found no valid access token (expired, or the browser
  // came from another site and sent no SameSite=Strict cookie). Try a same-site refresh.
  var resume = document.getElementById("resume");
  if (resume) {
    var next = resume.getAttribute("data-next") || "/";
    var key = "flowline-resumed:" + next;
    var last = Number(sessionStorage.getItem(key) || 0);
    if (Date.now() - last < 15000) {
      sessionStorage.removeItem(key);
      location.replace(resume.getAttribute("data-login") + "?next=" + encodeURIComponent(next));
    } else {
      sessionStorage.setItem(key, String(Date.now()));
      refreshSession().then(function () { location.replace(next); }, function () {
        sessionStorage.removeItem(key);
        location.replace(resume.getAttribute("data-login") + "?next=" + encodeURIComponent(next));
      });
    }
  }

  // --- htmx: send the CSRF token, swap error fragments (forms re-render with errors).
  if (window.htmx) {
    htmx.config.responseHandling = [
      { code: "204", swap: false },
      { code: "[23]..", swap: true },
      { code: "401", swap: false, error: true },
      { code: "4..", swap: true, error: false },
      { code: "5..", swap: true, error: true },
    ];
    document.body.addEventListener("htmx:configRequest", function (event) {
      event.detail.headers["X-CSRF-Token"] = csrfToken();
    });
    document.body.addEventListener("htmx:responseError", function (event) {
      if (event.detail.xhr && event.detail.xhr.status >= 500) toast("Something went wrong. Try again.", "danger");
    });
    document.body.addEventListener("htmx:sendError", function () {
      toast("The server could not be reached. Check your connection.", "danger");
    });
    document.body.addEventListener("session-expired", function () {
      refreshSession().then(function () { location.reload(); }, toLogin);
    });
  }
  // Logging out goes through the API, which revokes the refresh token (its cookie is only
  // sent to the API's auth path) and clears the cookies; the form is the no-script path.
  var loggingOut = false;
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-logout]")) return;
    event.preventDefault();
    loggingOut = true; // the logout closes this page's socket: no reconnecting then
    api("POST", "/api/v1/auth/logout/", {}).finally(function () {
      location.replace(LOGIN_URL + "?logged_out=1");
    });
  });
  // Plain forms carry the token in a field; keep it current (a refresh rotates it).
  document.addEventListener("submit", function (event) {
    var field = event.target.querySelector && event.target.querySelector("input[name=csrf_token]");
    if (field && cookie("csrf_access_token")) field.value = cookie("csrf_access_token");
  }, true);

  // Plain forms: a submit button with data-confirm asks first (htmx ones use hx-confirm).
  document.addEventListener("submit", function (event) {
    var button = event.submitter;
    if (button && button.dataset.confirm && !window.confirm(button.dataset.confirm)) event.preventDefault();
  }, true);

  // "Select all" in a table's header.
  document.addEventListener("change", function (event) {
    if (!event.target.matches("[data-select-all]")) return;
    var table = event.target.closest("table");
    table.querySelectorAll('tbody input[type=checkbox][name=ids]').forEach(function (box) {
      box.checked = event.target.checked;
    });
  });

  // --- Theme: light, dark or the system's, kept in the user's profile.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-set-theme]");
    if (!button) return;
    var theme = button.getAttribute("data-set-theme");
    window.flowlineApplyTheme(theme);
    api("PATCH", PROFILE_URL, { theme: theme });
  });

  // --- Toasts
  function toast(message, level) {
    var box = document.getElementById("toasts");
    if (!box || !window.bootstrap) return;
    var element = document.createElement("div");
    element.className = "toast align-items-center text-bg-" + (level || "secondary") + " border-0";
    element.setAttribute("role", level === "danger" ? "alert" : "status");
    element.innerHTML = '<div class="d-flex"><div class="toast-body"></div><button type="button" class="btn-close btn-close-white me-2 m-auto" data-bs-dismiss="toast" aria-label="Close"></button></div>';
    element.querySelector(".toast-body").textContent = message;
    box.appendChild(element);
    new bootstrap.Toast(element, { delay: 6000 }).show();
    element.addEventListener("hidden.bs.toast", function () { element.remove(); });
  }

  // --- Live updates: one Socket.IO connection per page, the same rooms and events as
  // any client. Events are re-dispatched on document as `fl:<event>` DOM events; rooms
  // are joined for every [data-room] element, with the last event id seen so a
  // reconnect replays what was missed.
  var lastEventIds = {};
  // task_update events the socket delivered, per job: a job check answered over HTTP
  // while one arrived may be older than it (see syncJobs).
  var jobEvents = {};
  var socket = null;
  function roomsOnPage(root) {
    var found = [];
    (root || document).querySelectorAll("[data-room]").forEach(function (element) {
      var room = element.getAttribute("data-room");
      var seen = element.getAttribute("data-last-event-id");
      if (seen && !(room in lastEventIds)) lastEventIds[room] = Number(seen);
      if (found.indexOf(room) < 0) found.push(room);
    });
    document.querySelectorAll("[data-job]").forEach(function (element) {
      var room = "job_" + element.getAttribute("data-job");
      if (found.indexOf(room) < 0) found.push(room);
    });
    return found;
  }
  function join(room) {
    if (!socket) return;
    var payload = { room: room };
    if (room in lastEventIds) payload.last_event_id = lastEventIds[room];
    socket.emit("join", payload);
  }
  // Refresh the session first, so the handshake carries a fresh cookie; a refused
  // refresh means the session is over. Once per connection, so a socket the server keeps
  // refusing does not spin.
  var retried = false;
  function reconnect() {
    if (loggingOut || retried) return;
    retried = true;
    refreshSession().then(function () { socket.connect(); }, function (error) {
      if (error && error.message === "refresh refused") return toLogin();
      retried = false; // the server could not be reached: try again shortly
      setTimeout(reconnect, 5000);
    });
  }
  if (window.io && document.querySelector(".shell")) {
    socket = io({ path: "/api/socket.io", withCredentials: true, transports: ["websocket", "polling"] });
    socket.on("connect", function () { retried = false; roomsOnPage().forEach(join); syncJobs(document); });
    // The server closes the socket when the token it was opened with expires, when the
    // session logs out (in another tab too) or the membership changes, and refuses a
    // handshake whose cookie expired; the client does not reconnect by itself then.
    socket.on("disconnect", function (reason) { if (reason === "io server disconnect") reconnect(); });
    socket.on("connect_error", function () { if (!socket.active) reconnect(); });
    socket.onAny(function (event, data) {
      if (data && data.snapshot) {
        // The room's state as of event_id: stale if a later event was already applied.
        if (typeof data.event_id === "number" && data.event_id < (lastEventIds[data.room] || 0)) return;
      } else if (data && data.room && typeof data.event_id === "number") {
        if (data.event_id <= (lastEventIds[data.room] || 0) && data.room in lastEventIds) return; // a replayed duplicate
        lastEventIds[data.room] = data.event_id;
      }
      if (event === "task_update" && data && data.id) jobEvents[data.id] = (jobEvents[data.id] || 0) + 1;
      document.dispatchEvent(new CustomEvent("fl:" + event, { detail: data || {} }));
    });
    document.body.addEventListener("htmx:afterSettle", function (event) {
      roomsOnPage(event.target).forEach(join);
      syncJobs(event.target);
    });
  }

  // Progress bars bound to jobs ([data-job]) follow task_update.
  var FINISHED = ["completed", "failed", "cancelled"];
  document.addEventListener("fl:task_update", function (event) {
    var job = event.detail;
    document.querySelectorAll('[data-job="' + job.id + '"]').forEach(function (element) {
      // A finished job never runs again: an older state arriving late is ignored.
      if (FINISHED.indexOf(element.getAttribute("data-status")) >= 0 && FINISHED.indexOf(job.status) < 0) return;
      var percent = Math.max(0, Math.min(100, Number(job.progress) || 0));
      var bar = element.querySelector(".progress-bar");
      if (bar) {
        bar.style.width = percent + "%";
        bar.parentElement.setAttribute("aria-valuenow", String(percent));
        bar.classList.toggle("bg-danger", job.status === "failed");
        bar.classList.toggle("bg-success", job.status === "completed");
        var moving = job.status === "queued" || job.status === "running" || job.status === "processing";
        bar.classList.toggle("progress-bar-animated", moving);
        bar.classList.toggle("progress-bar-striped", moving);
      }
      var label = element.querySelector(".job-percent");
      if (label) label.textContent = percent + "%";
      var phase = element.querySelector(".job-phase");
      if (phase) phase.textContent = job.message || job.phase || job.status;
      var error = element.querySelector(".job-error");
      if (error) { error.textContent = job.error || ""; error.hidden = !job.error; }
      element.setAttribute("data-status", job.status);
      var finished = FINISHED.indexOf(job.status) >= 0;
      if (finished && window.htmx) htmx.trigger(element, "job-finished", job);
    });
  });

  // A job can move (or end) between the page's render and the socket joining its rooms,
  // and those events are not replayed to a new socket: once joined, take its state as it is.
  // An answer read before a step the socket has meanwhile told is older than what the
  // page shows (a slow answer took a running job back a step): it is dropped then.
  function syncJobs(scope) {
    if (!socket || !socket.connected) return;
    scope.querySelectorAll("[data-job]").forEach(function (element) {
      if (FINISHED.indexOf(element.getAttribute("data-status")) >= 0) return;
      var id = element.getAttribute("data-job");
      var told = jobEvents[id] || 0;
      api("GET", "/api/v1/jobs/" + encodeURIComponent(id) + "/")
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (body) {
          if ((jobEvents[id] || 0) !== told) return; // the socket told a state at least as new
          if (body && body.data) document.dispatchEvent(new CustomEvent("fl:task_update", { detail: body.data }));
        }, function () { /* the next live event will tell */ });
    });
  }

  window.flowline = { api: api, toast: toast, socket: function () { return socket; }, join: join, csrfToken: csrfToken };
})();
