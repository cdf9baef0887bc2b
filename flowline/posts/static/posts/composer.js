// The composer: each chosen platform's rules (the API's `social/accounts/platforms/`, in
// the page as JSON) checked as you type, a preview per platform, and AI help through the
// API's `ai/generate/social-post/` and `ai/generate/hashtags/`. The API checks it all again
// when the post is saved; this only tells you sooner.
(function () {
  "use strict";
  var form = document.getElementById("composer");
  if (!form) return;
  var rules = JSON.parse(document.getElementById("platform-rules").textContent);
  var VIDEO = /\.(mp4|mov|webm|m4v)$/i;
  var URL_RE = /https?:\/\/\S+/g;
  var HASHTAG = /(^|[^\w])#\w+/g;

  function field(name) { return form.querySelector('[name="' + name + '"]'); }
  function lines(value) { return (value || "").split("\n").map(function (l) { return l.trim(); }).filter(Boolean); }
  function media(value) {
    return lines(value).map(function (url) { return { url: url, type: VIDEO.test(url.split("?")[0]) ? "video" : "image" }; });
  }
  function chosen() {
    var found = [];
    form.querySelectorAll('input[name="targets"]:checked').forEach(function (box) {
      var platform = box.getAttribute("data-platform");
      if (found.indexOf(platform) < 0) found.push(platform);
    });
    return found;
  }
  // What goes to a platform: its own text and media, or else the post's.
  function variantFor(platform) {
    var ownText = field("variant_" + platform + "_text");
    var ownMedia = field("variant_" + platform + "_media");
    return {
      text: (ownText && ownText.value.trim()) ? ownText.value : field("text").value,
      media: (ownMedia && ownMedia.value.trim()) ? media(ownMedia.value) : media(field("media").value),
      link: field("link").value.trim(),
    };
  }
  // The same checks as flowline.social.platforms.rules.validate_variant.
  function textLength(rule, text, link) {
    var full = link && text.indexOf(link) < 0 ? (text + " " + link).trim() : text;
    if (rule.url_length) full = full.replace(URL_RE, new Array(rule.url_length + 1).join("x"));
    return full.length;
  }
  function problems(platform, variant) {
    var rule = rules[platform];
    var found = [];
    var length = textLength(rule, variant.text, rule.allows_link ? variant.link : "");
    if (length > rule.max_length) found.push("text: " + length + " characters; " + platform + " allows " + rule.max_length + ".");
    if (!variant.text.trim() && !variant.media.length) found.push("text: A post needs text or media.");
    var tags = (variant.text.match(HASHTAG) || []).length;
    if (rule.max_hashtags !== null && tags > rule.max_hashtags) found.push("text: " + platform + " allows at most " + rule.max_hashtags + " hashtags.");
    if (variant.link && !rule.allows_link) found.push("link: " + platform + " posts cannot carry a link.");
    if (rule.requires_media && !variant.media.length) found.push("media: " + platform + " posts need at least one image or video.");
    if (variant.media.length > rule.max_media) found.push("media: " + variant.media.length + " items; " + platform + " allows " + rule.max_media + ".");
    var videos = variant.media.filter(function (m) { return m.type === "video"; }).length;
    if (videos > rule.max_videos || (videos && variant.media.length > 1 && platform !== "instagram")) {
      found.push("media: " + platform + " takes one video per post, without other media.");
    }
    return { length: length, found: found };
  }

  function render() {
    var platforms = chosen();
    form.querySelectorAll(".is-invalid[data-checked]").forEach(function (element) {
      element.classList.remove("is-invalid");
      element.removeAttribute("data-checked");
    });
    document.getElementById("no-preview").hidden = platforms.length > 0;
    Object.keys(rules).forEach(function (platform) {
      var section = form.querySelector('.platform-variant[data-platform="' + platform + '"]');
      var preview = form.querySelector('[data-preview="' + platform + '"]');
      if (!section) return;
      var active = platforms.indexOf(platform) >= 0;
      section.hidden = !active;
      preview.hidden = !active;
      if (!active) return;
      var variant = variantFor(platform);
      var checked = problems(platform, variant);
      var rule = rules[platform];
      var counter = form.querySelector('[data-counter="' + platform + '"]');
      counter.textContent = checked.length + " / " + rule.max_length;
      var over = checked.length > rule.max_length;
      counter.classList.toggle("text-danger", over);
      counter.classList.toggle("fw-semibold", over);
      counter.classList.toggle("text-body-secondary", !over);
      // Mark the field the problem is in: the platform's own one, or else the post's.
      ["text", "media"].forEach(function (name) {
        if (!checked.found.some(function (m) { return m.indexOf(name + ":") === 0; })) return;
        var own = field("variant_" + platform + "_" + name);
        var target = own && own.value.trim() ? own : field(name);
        target.classList.add("is-invalid");
        target.setAttribute("data-checked", "");
      });
      var list = form.querySelector('[data-problems="' + platform + '"]');
      list.querySelectorAll("li:not([data-server])").forEach(function (li) { li.remove(); });
      checked.found.forEach(function (message) {
        var li = document.createElement("li");
        li.textContent = message;
        list.appendChild(li);
      });
      var state = form.querySelector('[data-preview-state="' + platform + '"]');
      state.textContent = checked.found.length ? "Not accepted yet" : "Ready";
      state.className = "badge " + (checked.found.length ? "text-bg-warning" : "text-bg-success");
      preview.querySelector(".preview-text").textContent = variant.text;
      preview.querySelector(".preview-link").textContent = rule.allows_link ? variant.link : "";
      var box = preview.querySelector(".preview-media");
      box.textContent = "";
      variant.media.forEach(function (item) {
        var element;
        if (item.type === "image") {
          element = document.createElement("img");
          element.src = item.url;
          element.alt = "";
          element.width = 96; element.height = 96;
          element.className = "rounded object-fit-cover bg-body-tertiary";
        } else {
          element = document.createElement("span");
          element.className = "badge text-bg-secondary";
          element.textContent = "Video: " + item.url.split("/").pop();
        }
        box.appendChild(element);
      });
    });
  }

  form.addEventListener("input", function (event) {
    // A field typed into again: the server's old message about it no longer holds.
    var platform = event.target.getAttribute("data-variant-text") || event.target.getAttribute("data-variant-media");
    if (platform) form.querySelectorAll('[data-problems="' + platform + '"] li[data-server]').forEach(function (li) { li.remove(); });
    render();
  });
  form.addEventListener("change", render);
  render();

  // --- AI help: the API's generators; their answers come back already checked.
  var status = document.getElementById("ai-status");
  function say(message) { status.textContent = message; }
  function answer(response) {
    return response.json().then(function (body) {
      if (!response.ok) throw new Error(body.error || body.message || "The AI could not help just now.");
      return body.data;
    });
  }
  form.querySelectorAll("[data-ai]").forEach(function (button) {
    button.addEventListener("click", function () {
      var platforms = chosen();
      var text = field("text").value.trim() || field("title").value.trim();
      if (!text) { say("Write a few words about the post first."); return; }
      if (!platforms.length) { say("Choose where the post goes first."); return; }
      button.disabled = true;
      say("Asking the AI…");
      var request = button.getAttribute("data-ai") === "write"
        ? window.flowline.api("POST", "/api/v1/ai/generate/social-post/", { subject: text, platforms: platforms }).then(answer).then(function (data) {
            Object.keys(data.variants).forEach(function (platform) {
              var own = field("variant_" + platform + "_text");
              var written = data.variants[platform];
              var tags = written.hashtags.filter(function (tag) { return written.text.indexOf(tag) < 0; });
              if (own) own.value = written.text + (tags.length ? "\n\n" + tags.join(" ") : "");
            });
            say("Written for " + platforms.join(", ") + (data.offline ? " by the built-in offline model" : "") + ". Edit freely.");
          })
        : window.flowline.api("POST", "/api/v1/ai/generate/hashtags/", { text: text, platform: platforms[0], count: 5 }).then(answer).then(function (data) {
            var tags = data.hashtags.filter(function (tag) { return field("text").value.indexOf(tag) < 0; });
            if (tags.length) field("text").value = field("text").value.replace(/\s*$/, "") + "\n\n" + tags.join(" ");
            say(tags.length ? "Added " + tags.join(" ") + "." : "No new hashtags to add.");
          });
      request.catch(function (error) { say(error.message); }).then(function () {
        button.disabled = false;
        render();
      });
    });
  });
})();
