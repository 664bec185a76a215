// Parallax report: optional enhancements only (the page is complete without script).
// Opens the collapsed sections that contain a link target, opens everything for printing,
// and wires the "Expand all / Collapse all" buttons.
(function () {
  "use strict";
  function openAncestors(el) {
    for (var n = el; n; n = n.parentElement) {
      if (n.tagName === "DETAILS") { n.open = true; }
    }
  }
  function reveal(id) {
    if (!id) { return; }
    var el = document.getElementById(id);
    if (el) { openAncestors(el); }
  }
  function frag(h) {
    try { return decodeURIComponent(h.slice(1)); } catch (err) { return ""; }
  }
  document.addEventListener("click", function (e) {
    var a = e.target && e.target.closest ? e.target.closest("a[href^='#']") : null;
    if (a) { reveal(frag(a.getAttribute("href"))); }
  });
  window.addEventListener("hashchange", function () {
    reveal(frag(location.hash));
  });
  if (location.hash) {
    reveal(frag(location.hash));
    var t = document.getElementById(frag(location.hash));
    if (t) { t.scrollIntoView(); }
  }
  var reopened = [];
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details:not([open])").forEach(function (d) {
      d.open = true; reopened.push(d);
    });
  });
  window.addEventListener("afterprint", function () {
    reopened.forEach(function (d) { d.open = false; });
    reopened = [];
  });
  document.querySelectorAll("[data-toggle-all]").forEach(function (b) {
    b.hidden = false;
    b.addEventListener("click", function () {
      var open = b.getAttribute("data-toggle-all") === "open";
      document.querySelectorAll("details").forEach(function (d) { d.open = open; });
    });
  });
})();
