/* Draws the book's charts offline, each one only as it nears the viewport. Loaded (deferred) only on pages that have
   a chart; vega-embed (_static/vega-bundle.js, written by `tillit build`) is fetched when the first chart is about
   to be seen. Before drawing, each chart already has its text alternative, caption, table and reserved height
   in the page (tillit.charts.figure). Numbers use Swedish formatting (decimal comma, no-break space as thousands
   separator). */
(function () {
  "use strict";
  var formatLocale = { decimal: ",", thousands: "\u00a0", grouping: [3], currency: ["", "\u00a0kr"] };
  var timeFormatLocale = {
    dateTime: "%A den %d %B %Y %X", date: "%Y-%m-%d", time: "%H:%M:%S",
    periods: ["fm", "em"],
    days: ["söndag", "måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag"],
    shortDays: ["sön", "mån", "tis", "ons", "tor", "fre", "lör"],
    months: ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober",
             "november", "december"],
    shortMonths: ["jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]
  };
  var FAILED = "Diagrammet kunde inte visas; siffrorna finns i tabellen nedan.";
  // how far ahead of the viewport a chart starts drawing (about one screen on a phone)
  var AHEAD = "600px 0px";
  var bundleUrl = new URL("vega-bundle.js", document.currentScript.src).href;
  var loading = null;
  var queue = [];
  var busy = false;

  function loadVega() {
    if (!loading) {
      loading = new Promise(function (resolve, reject) {
        var tag = document.createElement("script");
        tag.src = bundleUrl;
        tag.async = true;
        tag.onload = function () {
          if (typeof window.vegaEmbed !== "function") { reject(new Error("vega-bundle.js defined no vegaEmbed")); return; }
          resolve(window.vegaEmbed);
        };
        tag.onerror = function () { reject(new Error("could not load " + bundleUrl)); };
        document.head.appendChild(tag);
      });
    }
    return loading;
  }

  function fail(target, err) {
    target.dataset.drawn = "failed";
    target.textContent = FAILED;
    console.error("tillit chart " + target.id + ": " + err);
  }

  // Draw one chart: the placeholder's height is held as min-height while the chart replaces it.
  function draw(target, vegaEmbed) {
    var spec = JSON.parse(document.getElementById("spec-" + target.id.replace(/^vis-/, "")).textContent);
    var placeholder = target.querySelector(".tillit-placeholder");
    if (placeholder) {
      target.style.minHeight = placeholder.getBoundingClientRect().height + "px";
      placeholder.remove();
    }
    // draw into an inner element, so the outer element's role="img" + aria-label (the text alternative) stay
    var canvas = document.createElement("div");
    canvas.className = "tillit-vega-canvas";
    target.appendChild(canvas);
    // the spec is already compiled to Vega (tillit.charts.compile_to_vega): no Vega-Lite compiling here
    return vegaEmbed(canvas, spec, {
      // ast + vega's expression interpreter (in the bundle): no eval/new Function, so the page's
      // Content-Security-Policy needs no 'unsafe-eval' (tillit/csp.py)
      mode: "vega", ast: true, actions: false, renderer: "svg", formatLocale: formatLocale, timeFormatLocale: timeFormatLocale
    }).then(function () {
      var svg = canvas.querySelector("svg");
      if (svg) { svg.setAttribute("aria-hidden", "true"); svg.setAttribute("focusable", "false"); }
      target.dataset.drawn = "1";
      target.dispatchEvent(new CustomEvent("tillit:drawn", { bubbles: true }));
    });
  }

  // One chart per task, so that drawing several charts never blocks the page for long.
  function pump() {
    if (busy || !queue.length) { return; }
    busy = true;
    var target = queue.shift();
    loadVega().then(function (vegaEmbed) { return draw(target, vegaEmbed); })
      .catch(function (err) { fail(target, err); })
      .then(function () { busy = false; setTimeout(pump, 0); });
  }

  function request(target) {
    if (target.dataset.drawn || queue.indexOf(target) >= 0) { return; }
    queue.push(target);
    pump();
  }

  var targets = Array.prototype.slice.call(document.querySelectorAll(".tillit-vega"));
  if (!targets.length) { return; }
  if ("IntersectionObserver" in window) {
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (entry.isIntersecting) { observer.unobserve(entry.target); request(entry.target); }
      });
    }, { rootMargin: AHEAD });
    targets.forEach(function (t) { observer.observe(t); });
  } else {
    targets.forEach(request);
  }
  // printing shows every chart
  window.addEventListener("beforeprint", function () { targets.forEach(request); });
})();
