/* Swedish for the few theme labels that are written into the templates in English and cannot be translated
   with a message catalog (sphinx-book-theme's sidebar toggles and navigation landmarks). */
(function () {
  var labels = {
    "Toggle primary sidebar": "Visa eller dölj innehållsförteckningen",
    "Toggle secondary sidebar": "Visa eller dölj sidans innehåll",
    "Main": "Kapitel",
    "Page": "Sidan",
    "Download this page": "Ladda ner sidan",
    "Fullscreen mode": "Helskärm",
    "Search": "Sök"
  };
  function translate() {
    ["title", "aria-label", "data-bs-original-title"].forEach(function (attr) {
      document.querySelectorAll("[" + attr + "]").forEach(function (el) {
        var value = el.getAttribute(attr);
        if (Object.prototype.hasOwnProperty.call(labels, value)) { el.setAttribute(attr, labels[value]); }
      });
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", translate); }
  else { translate(); }
})();
