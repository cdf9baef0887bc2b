// Applies the theme before the page paints (no flash): light, dark, or the system's.
(function () {
  var root = document.documentElement;
  var preference = root.getAttribute("data-theme-preference") || "system";
  function apply(pref) {
    var dark = pref === "dark" || (pref === "system" && window.matchMedia("(prefers-color-scheme: dark)").matches);
    root.setAttribute("data-bs-theme", dark ? "dark" : "light");
  }
  apply(preference);
  window.matchMedia("(prefers-color-scheme: dark)").addEventListener("change", function () {
    apply(root.getAttribute("data-theme-preference") || "system");
  });
  window.flowlineApplyTheme = function (pref) { root.setAttribute("data-theme-preference", pref); apply(pref); };
})();
