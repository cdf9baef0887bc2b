// An agent's live run: the pipeline's stages, the countdown to the next scheduled run,
// the thought and action stream, and a task per file, from the agent room's events
// (console.js joins the room from the last event id the page was rendered with, so the
// replay brings exactly what came after; duplicates are dropped there by event id).
(function () {
  "use strict";
  var card = document.getElementById("agent-run");
  if (!card) return;
  var processId = card.getAttribute("data-process-id");
  var room = card.getAttribute("data-room");
  var ORDER = ["extract", "load", "transform", "done"];
  var STATE_WORDS = { done: "Done", active: "Working", paused: "Paused", failed: "Failed", stopped: "Stopped" };

  function ours(detail) { return detail && (detail.room === room || String(detail.process_id) === processId); }

  function setStatus(holder, value) {
    var element = holder && holder.querySelector(".status");
    if (!element) {
      if (!holder) return;
      element = document.createElement("span");
      holder.appendChild(element);
    }
    element.className = "badge rounded-pill status status-" + value.replace(/_/g, "-");
    element.textContent = value.charAt(0).toUpperCase() + value.slice(1).replace(/_/g, " ");
  }

  // --- Stages
  function showPipeline(run) {
    var at = ORDER.indexOf(run.stage);
    var pipeline = run.pipeline || {};
    document.querySelectorAll("#agent-stages [data-stage]").forEach(function (item) {
      var key = item.getAttribute("data-stage");
      var index = ORDER.indexOf(key);
      var state = "";
      if (run.status === "completed" || (at >= 0 && index < at)) state = "done";
      else if (index === at) state = { running: "active", queued: "active", paused: "paused", failed: "failed", stopped: "stopped" }[run.status] || "";
      item.setAttribute("data-state", state);
      item.classList.toggle("active", state === "active");
      item.querySelector(".stage-state").textContent = STATE_WORDS[state] || "";
      var info = pipeline[key] || {};
      var detail = [];
      if (info.current) detail.push(info.current);
      if (info.rows) detail.push(info.rows + " rows");
      if (info.chunks) detail.push(info.chunks + " text chunks");
      if (info.files) detail.push(info.files + (info.files === 1 ? " file" : " files"));
      if (detail.length) item.querySelector(".stage-detail").textContent = detail.join(" · ");
    });
    setStatus(document.getElementById("agent-run-status"), run.status);
    var runId = String(run.run_id || run.id || "");
    if (runId && runId !== card.getAttribute("data-run-id")) {
      // A new run: its stream starts empty.
      card.setAttribute("data-run-id", runId);
      document.getElementById("agent-stream").innerHTML = "";
      document.getElementById("agent-stream-empty").hidden = false;
    }
  }
  var initial = document.getElementById("agent-run-state");
  if (initial) {
    var run = JSON.parse(initial.textContent);
    if (run) showPipeline(run);
  }
  var refreshing = false, again = false;
  function refreshParts() {
    // The controls and the matches are the server's: read them again when a run ends
    // (once more if asked meanwhile: the process's status is written after the run's).
    if (!window.htmx) return;
    if (refreshing) { again = true; return; }
    refreshing = true;
    htmx.ajax("GET", location.pathname, { target: "#agent-controls", select: "#agent-controls", swap: "outerHTML" })
      .then(function () {
        return htmx.ajax("GET", location.pathname, { target: "#agent-matches", select: "#agent-matches", swap: "outerHTML" });
      })
      .finally(function () {
        refreshing = false;
        if (again) { again = false; refreshParts(); }
      });
  }
  // A file's task events go to the account's room, which is not replayed: a task that
  // began before this page's socket joined is read from the server when the pipeline
  // (replayed, or restated on join) names a file the page does not show yet.
  var tasksLoading = false;
  function taskShown(name) {
    return Array.prototype.some.call(document.querySelectorAll("#agent-tasks .agent-task"), function (task) {
      return task.firstElementChild && task.firstElementChild.textContent === name;
    });
  }
  function refreshTasks(run) {
    var current = run.stage && run.stage !== "done" && ((run.pipeline || {})[run.stage] || {}).current;
    if (!current || taskShown(current) || tasksLoading || !window.htmx) return;
    tasksLoading = true;
    htmx.ajax("GET", location.pathname, { target: "#agent-tasks", select: "#agent-tasks", swap: "outerHTML" })
      .finally(function () { tasksLoading = false; });
  }
  document.addEventListener("fl:pipeline_update", function (event) {
    if (!ours(event.detail)) return;
    showPipeline(event.detail);
    refreshTasks(event.detail);
    if (!event.detail.snapshot && ["completed", "failed", "stopped", "paused"].indexOf(event.detail.status) >= 0) refreshParts();
  });
  document.addEventListener("fl:agent_status", function (event) {
    if (!ours(event.detail)) return;
    var holder = document.getElementById("agent-status");
    var shown = holder.querySelector(".status");
    var was = shown ? shown.className : "";
    setStatus(holder, event.detail.status);
    if (was && was !== holder.querySelector(".status").className) refreshParts();
  });

  // --- Thoughts and actions, in arrival order (each event once: console.js drops replays).
  document.addEventListener("fl:agent_action", function (event) {
    var action = event.detail;
    if (!ours(action)) return;
    if (action.run_id && String(action.run_id) !== card.getAttribute("data-run-id")) {
      card.setAttribute("data-run-id", String(action.run_id));
      document.getElementById("agent-stream").innerHTML = "";
    }
    var item = document.createElement("li");
    item.className = "agent-" + (action.type === "thought" ? "thought" : "action");
    if (action.event_id) item.setAttribute("data-event-id", String(action.event_id));
    var icon = document.createElement("i");
    icon.className = "bi bi-" + (action.type === "thought" ? "lightbulb" : "lightning-charge");
    icon.setAttribute("aria-hidden", "true");
    var label = document.createElement("span");
    label.className = "visually-hidden";
    label.textContent = (action.type === "thought" ? "Thought" : "Action") + ": ";
    var content = document.createElement("span");
    content.className = "stream-text";
    content.textContent = action.content;
    var text = document.createElement("span");
    text.append(label, content);
    item.append(icon, text);
    var stream = document.getElementById("agent-stream");
    stream.appendChild(item);
    stream.scrollTop = stream.scrollHeight;
    document.getElementById("agent-stream-empty").hidden = true;
  });

  // --- A task per file: a progress bar bound to its job (console.js moves it).
  document.addEventListener("fl:task_update", function (event) {
    var job = event.detail;
    if (job.kind !== "agent.process_file" || job.target_type !== "agents.agentprocess" || String(job.target_id) !== processId) return;
    if (document.querySelector('#agent-tasks [data-job="' + job.id + '"]')) return;
    var empty = document.querySelector("#agent-tasks [data-no-tasks]");
    if (empty) empty.remove();
    var task = document.getElementById("agent-task-template").content.firstElementChild.cloneNode(true);
    task.setAttribute("data-task", job.id);
    task.querySelector(".task-name").textContent = job.filename || "File";
    task.querySelector("[data-job]").setAttribute("data-job", job.id);
    task.querySelector("[data-job]").setAttribute("data-status", job.status);
    document.getElementById("agent-tasks").appendChild(task);
    // Now bound: let the shared progress handler draw this first state too.
    document.dispatchEvent(new CustomEvent("fl:task_update", { detail: job }));
  });

  // --- The countdown to the next scheduled run: the server's seconds, ticking here between them.
  var countdown = document.getElementById("agent-countdown");
  var deadline = countdown.getAttribute("data-next-run-at") ? new Date(countdown.getAttribute("data-next-run-at")).getTime() : null;
  function tick() {
    if (deadline === null) { countdown.textContent = ""; return; }
    var left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
    var minutes = Math.floor(left / 60), seconds = left % 60;
    countdown.textContent = "Next run in " + minutes + ":" + (seconds < 10 ? "0" : "") + seconds;
  }
  document.addEventListener("fl:agent_countdown", function (event) {
    if (!ours(event.detail)) return;
    deadline = Date.now() + Number(event.detail.remaining_seconds || 0) * 1000;
    tick();
  });
  tick();
  setInterval(tick, 1000);
})();
