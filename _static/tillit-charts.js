/* Renders the book's charts offline: vega-embed comes from _static/vega-bundle.js (written by `tillit build`),
   numbers use Swedish formatting (decimal comma, no-break space as thousands separator). */
(function () {
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
  window.tillitRender = function (name) {
    var target = document.getElementById("vis-" + name);
    var specNode = document.getElementById("spec-" + name);
    if (!target || !specNode || target.dataset.rendered) { return; }
    target.dataset.rendered = "1";
    if (typeof window.vegaEmbed !== "function") {
      target.textContent = "Diagrammet kunde inte visas; siffrorna finns i tabellen nedan.";
      return;
    }
    var spec = JSON.parse(specNode.textContent);
    // draw into an inner element: vega-embed rewrites the role and label of the element it draws into,
    // and the outer element's role="img" + aria-label (the chart's text alternative) must survive
    var canvas = document.createElement("div");
    canvas.className = "tillit-vega-canvas";
    target.appendChild(canvas);
    window.vegaEmbed(canvas, spec, {
      // ast + vega's expression interpreter (in the bundle): no eval/new Function, so the page's
      // Content-Security-Policy needs no 'unsafe-eval' (tillit/csp.py)
      ast: true,
      actions: false, renderer: "svg", formatLocale: formatLocale, timeFormatLocale: timeFormatLocale
    }).then(function (result) {
      var svg = target.querySelector("svg");
      if (svg) { svg.setAttribute("aria-hidden", "true"); svg.setAttribute("focusable", "false"); }
    }).catch(function (err) { console.error("tillit chart " + name + ": " + err); });
  };
})();
