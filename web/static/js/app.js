/* camwatch — every page: the phone menu button and the "scroll sideways" hint of wide
   tables (docs/web.md "Phone"). No framework; CSP-safe (no inline script or style). */
(function () {
  "use strict";
  var toggle = document.querySelector(".navtoggle");
  var nav = document.getElementById("mainnav");
  if (toggle && nav) {
    toggle.addEventListener("click", function () {
      var open = document.body.classList.toggle("nav-open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }
  var hintText = document.documentElement.lang === "en" ? "← scroll sideways for more →" : "← 左右滑动查看更多 →";
  var wraps = Array.prototype.slice.call(document.querySelectorAll(".tablewrap"));
  function mark(wrap) {
    var table = wrap.querySelector("table");
    if (!table) { return; }
    var over = table.scrollWidth > wrap.clientWidth + 1;
    wrap.classList.toggle("overflows", over);
    var atEnd = wrap.scrollLeft + wrap.clientWidth >= wrap.scrollWidth - 2;
    wrap.classList.toggle("at-end", atEnd);
    wrap.classList.toggle("at-start", wrap.scrollLeft <= 1);
    var hint = wrap.querySelector(".scrollhint");
    if (over && !hint) {
      hint = document.createElement("p");
      hint.className = "scrollhint";
      hint.setAttribute("aria-hidden", "true");
      hint.textContent = hintText;
      wrap.insertBefore(hint, table);
    }
    if (hint) { hint.hidden = !over; }
  }
  wraps.forEach(function (wrap) {
    wrap.addEventListener("scroll", function () { mark(wrap); }, { passive: true });
    mark(wrap);
  });
  // tab bars that scroll sideways (a compound's tabs on a phone) fade at the edge that hides tabs
  var bars = Array.prototype.slice.call(document.querySelectorAll("nav.tabs"));
  function markBar(bar) {
    bar.classList.toggle("overflows", bar.scrollWidth > bar.clientWidth + 1);
    bar.classList.toggle("at-end", bar.scrollLeft + bar.clientWidth >= bar.scrollWidth - 2);
  }
  bars.forEach(function (bar) {
    bar.addEventListener("scroll", function () { markBar(bar); }, { passive: true });
    markBar(bar);
  });
  window.addEventListener("resize", function () { wraps.forEach(mark); bars.forEach(markBar); });
  // parts still being computed on the server come in by themselves: the analysis page's
  // routes (#planner-pending in #planner-routes) and the compound list's rows just edited
  // (.list-pending in #compound-grid). The page is fetched again after 1 s, then every 3 s
  // (at most 20 times), and the section replaced once the fetched one has nothing pending
  // (docs/web.md "Performance"); without JS, a reload does it
  function pollUntilDone(sectionId, pending) {
    var tries = 0;
    function poll() {
      tries += 1;
      var again = function () { if (tries < 20) { window.setTimeout(poll, 3000); } };
      window.fetch(window.location.href, { credentials: "same-origin", headers: { Accept: "text/html" } })
        .then(function (resp) { return resp.ok ? resp.text() : Promise.reject(resp.status); })
        .then(function (html) {
          var fresh = new DOMParser().parseFromString(html, "text/html").getElementById(sectionId);
          var here = document.getElementById(sectionId);
          if (fresh && here && !fresh.querySelector(pending)) {
            here.replaceWith(document.importNode(fresh, true));
          } else {
            again();
          }
        })
        .catch(again);
    }
    var section = document.getElementById(sectionId);
    if (section && section.querySelector(pending) && window.fetch && window.DOMParser) {
      window.setTimeout(poll, 1000);
    }
  }
  pollUntilDone("planner-routes", "#planner-pending");
  pollUntilDone("compound-grid", ".list-pending");
})();
