(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("records").textContent);
  var rows = Array.prototype.slice.call(document.querySelectorAll(".rows .row"));
  var aside = document.getElementById("details");

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }

  function show(i) {
    rows.forEach(function (r) { r.classList.remove("sel"); });
    var row = rows[i];
    if (!row) { return; }
    row.classList.add("sel");
    var d = data[i];
    aside.textContent = "";
    if (!d.fields) {
      if (d.task_scope) {
        aside.appendChild(el("h2", null, d.id + "  task scope"));
        aside.appendChild(el("p", "hint", "A task handed to another thread: it took this id when it first " +
            "made a call or wrote a record, and writes no record of its own. Its calls are its children."));
      } else {
        aside.appendChild(el("h2", null, d.id + "  ? (record missing)"));
        aside.appendChild(el("p", "hint", "No record carries this id although one should: it was lost, or " +
            "is not written yet. Its children are placed by their ids."));
      }
      return;
    }
    var f = d.fields;
    var h = el("h2");
    var dot = el("span", "dot");
    dot.style.background = d.error ? "#e5484d" : getComputedStyle(row).getPropertyValue("--c");
    h.appendChild(dot);
    h.appendChild(el("span", null, f.x_name));
    aside.appendChild(h);
    aside.appendChild(el("div", "sub", d.id + (f.x_version ? "  ·  " + f.x_version : "")));
    if (d.error) {
      aside.appendChild(el("div", "errbox", (f.x_code ? "code " + f.x_code + ": " : "") + (f.x_msg || "error")));
    }
    var facts = el("dl", "facts");
    [["started", d.start], ["offset", d.offset], ["duration", d.duration], ["calls", d.callee],
     ["network", d.network], ["called by", d.caller], ["clock", d.clock], ["file", d.source]].forEach(function (p) {
      if (p[1]) { facts.appendChild(el("dt", null, p[0])); facts.appendChild(el("dd", null, p[1])); }
    });
    aside.appendChild(facts);
    var table = el("table");
    Object.keys(f).forEach(function (k) {
      var tr = el("tr");
      tr.appendChild(el("td", "k", k));
      var td = el("td", "v");
      var v = f[k];
      if (k === "x_backtrace" || (typeof v === "string" && v.indexOf("\n") >= 0)) {
        td.appendChild(el("pre", null, v));
      } else {
        td.textContent = typeof v === "object" ? JSON.stringify(v) : String(v);
      }
      tr.appendChild(td);
      table.appendChild(tr);
    });
    aside.appendChild(table);
  }

  function toggle(i) {
    var row = rows[i];
    var level = +row.dataset.level;
    var closing = !row.classList.contains("closed");
    row.classList.toggle("closed", closing);
    for (var j = i + 1; j < rows.length && +rows[j].dataset.level > level; j++) {
      rows[j].classList.toggle("hidden", closing);
      if (!closing) { rows[j].classList.remove("closed"); }
    }
  }

  rows.forEach(function (row, i) {
    row.addEventListener("click", function (ev) {
      if (ev.target.classList.contains("caret")) { toggle(i); } else { show(i); }
    });
  });
  show(SELECTED);
})();
