(function () {
  "use strict";
  // Conflict filters live in the URL hash: #kind=numeric&severity=error&status=new&document=sources/a.txt
  // (status also takes "decided"; values are percent-encoded). Rows are shown or hidden by their data- attributes.
  var KEYS = ["kind", "severity", "status", "document"];
  var form = document.getElementById("filters");
  var count = document.getElementById("f-count");
  var findings = Array.prototype.slice.call(document.querySelectorAll(".finding"));

  function parseHash() {
    var hash = location.hash.replace(/^#/, "");
    if (hash.indexOf("=") < 0) return null; // a plain anchor such as #claims
    var out = {};
    hash.split("&").forEach(function (part) {
      var i = part.indexOf("=");
      if (i < 1) return;
      try {
        var key = decodeURIComponent(part.slice(0, i));
        if (KEYS.indexOf(key) >= 0) out[key] = decodeURIComponent(part.slice(i + 1));
      } catch (e) { /* malformed escape: ignore that part */ }
    });
    if (out.status === "undecided") out.status = "new";
    return out;
  }

  function toHash(f) {
    return KEYS.filter(function (k) { return f[k]; }).map(function (k) {
      return k + "=" + encodeURIComponent(f[k]).replace(/%2F/g, "/");
    }).join("&");
  }

  function matches(el, f) {
    var d = el.dataset;
    if (f.kind && d.kind !== f.kind) return false;
    if (f.severity && d.severity !== f.severity) return false;
    if (f.status) {
      if (f.status === "decided") {
        if (d.status === "new") return false;
      } else if (d.status !== f.status) return false;
    }
    if (f.document && d.docA !== f.document && d.docB !== f.document) return false;
    return true;
  }

  function setSelect(name, value) {
    var sel = form.elements[name];
    if (!sel) return;
    if (value && !Array.prototype.some.call(sel.options, function (o) { return o.value === value; })) {
      var opt = document.createElement("option");
      opt.value = value;
      opt.textContent = value;
      sel.appendChild(opt);
    }
    sel.value = value || "";
    sel.classList.toggle("active", !!value);
  }

  function apply(f) {
    var shown = 0;
    findings.forEach(function (el) {
      var ok = matches(el, f);
      el.hidden = !ok;
      if (ok) shown += 1;
    });
    document.querySelectorAll("[data-group]").forEach(function (g) {
      g.hidden = !g.querySelector(".finding:not([hidden])");
    });
    document.querySelectorAll("#conflicts, #terminology").forEach(function (sec) {
      var msg = sec.querySelector(".empty-filter");
      if (msg) msg.hidden = !!sec.querySelector(".finding:not([hidden])");
    });
    document.querySelectorAll(".map [data-doc]").forEach(function (c) {
      c.classList.toggle("picked", !!f.document && c.getAttribute("data-doc") === f.document);
    });
    KEYS.forEach(function (k) { setSelect(k, f[k]); });
    var total = findings.length;
    count.textContent = (shown === total ? total : shown + " of " + total) + " conflict" + (total === 1 ? "" : "s") + (shown === total ? "" : " shown");
  }

  function current() {
    var f = {};
    KEYS.forEach(function (k) { f[k] = form.elements[k].value; });
    return f;
  }

  function commit(f) {
    apply(f);
    var h = toHash(f);
    try {
      history.replaceState(null, "", h ? "#" + h : location.pathname + location.search);
    } catch (e) { /* some browsers refuse on file:// */ }
  }

  form.addEventListener("change", function () { commit(current()); });
  form.addEventListener("reset", function (e) { e.preventDefault(); commit({}); });
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  window.addEventListener("hashchange", function () {
    var f = parseHash();
    if (!f) return;
    apply(f);
    var target = document.getElementById(f.kind === "terminology" ? "terminology" : "conflicts");
    if (target) target.scrollIntoView();
  });
  apply(parseHash() || {});

  // --- claims table: text, aspect and document filters; sorting by column ------------------------
  var table = document.getElementById("claims-table");
  if (!table) return;
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  rows.forEach(function (r, i) { r._order = i; r._text = r.textContent.toLowerCase(); });
  var text = document.getElementById("c-text");
  var aspect = document.getElementById("c-aspect");
  var doc = document.getElementById("c-document");
  var ccount = document.getElementById("c-count");

  function filterClaims() {
    var words = text.value.toLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0;
    rows.forEach(function (r) {
      var ok = (!aspect.value || r.dataset.aspect === aspect.value) &&
        (!doc.value || r.dataset.doc === doc.value) &&
        words.every(function (w) { return r._text.indexOf(w) >= 0; });
      r.hidden = !ok;
      if (ok) shown += 1;
    });
    ccount.textContent = (shown === rows.length ? rows.length : shown + " of " + rows.length) + " claim" + (rows.length === 1 ? "" : "s");
  }
  text.addEventListener("input", filterClaims);
  aspect.addEventListener("change", filterClaims);
  doc.addEventListener("change", filterClaims);

  function key(r, col, type) {
    var cell = r.cells[col];
    var v = cell.hasAttribute("data-sort") ? cell.getAttribute("data-sort") : cell.textContent.trim();
    return type === "num" ? parseFloat(v) || 0 : v.toLowerCase();
  }
  var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);
  heads.forEach(function (th, col) {
    var button = th.querySelector("button");
    button.addEventListener("click", function () {
      var dir = th.getAttribute("aria-sort") === "ascending" ? "descending" : "ascending";
      heads.forEach(function (h) { h.setAttribute("aria-sort", "none"); });
      th.setAttribute("aria-sort", dir);
      var type = button.getAttribute("data-type");
      var sign = dir === "ascending" ? 1 : -1;
      rows.sort(function (a, b) {
        var x = key(a, col, type), y = key(b, col, type);
        if (x < y) return -sign;
        if (x > y) return sign;
        return a._order - b._order;
      });
      rows.forEach(function (r) { body.appendChild(r); });
    });
  });
})();
