"""The HTML map page's style sheet and script, inlined into every page (no file, font or request outside it).

The script only reads the data the page carries (`<script type="application/json" id="map-data">`) and
writes text nodes (never HTML) into the quotes panel. Keys: Tab and shift+Tab go from figure to figure,
Enter or Space opens a figure's quotes, the arrow keys move between the map's cells, Esc closes the panel
and goes back to the figure. Before printing, the page is scaled to one landscape page.
"""

# CSS px of a landscape page's printable box on both Letter and A4 (8 mm margins): the page is zoomed to fit.
PRINT_W, PRINT_H = 990, 720

CSS = """
:root { --ink: #1d1d1d; --grey: #666; --line: #b9b9b9; --lane: #f2f2f2; --head: #dce6f0; --tobe: #eaf1fb;
        --link: #1f4e79; font-family: "DejaVu Sans", "Segoe UI", Arial, sans-serif; color: var(--ink); }
body { margin: 18px 22px; font-size: 13px; line-height: 1.3; }
h1 { font-size: 22px; margin: 0 0 2px; }
.sub { color: var(--grey); margin: 0 0 4px; }
.facts, .help { color: var(--grey); font-size: 12px; margin: 0 0 10px; }
h2 { font-size: 15px; margin: 14px 0 6px; }
button.ev, button.more { font: inherit; color: inherit; background: none; border: 0; padding: 0; margin: 0;
  text-align: left; cursor: pointer; text-decoration: underline dotted var(--link); text-underline-offset: 2px; }
button.ev:hover, button.more:hover { background: #fff7c2; }
button:focus-visible { outline: 2px solid var(--link); outline-offset: 1px; background: #fff7c2; }
button.more { color: var(--grey); }
ol.moments { margin: 0; padding-left: 22px; }
ol.moments li { margin: 2px 0; }
.g { color: var(--grey); } .b { font-weight: bold; } .i { font-style: italic; }
table.map { border-collapse: collapse; width: 100%; table-layout: fixed; font-size: 11.5px; }
table.map th, table.map td { border: 1px solid var(--line); vertical-align: top; padding: 3px 4px; }
table.map th[scope=row] { background: var(--lane); text-align: left; width: 92px; }
table.map thead th { text-align: left; }
table.map td p, table.map th p { margin: 0 0 2px; }
table.map td.tobe { background: var(--tobe); }
table.map td.empty { color: var(--grey); }
.overview { display: flex; flex-wrap: wrap; gap: 4px 28px; align-items: flex-start; }
.overview .moments { flex: 1 1 420px; } .overview .curve { flex: 1 1 480px; max-width: 620px; }
#curve { width: 100%; height: auto; display: block; }
#curve .axis, #curve .stage { font-size: 11px; fill: #444; }
#quotes { position: fixed; top: 0; right: 0; bottom: 0; width: min(460px, 92vw); overflow-y: auto;
  background: #fff; border-left: 2px solid var(--link); box-shadow: -4px 0 14px rgba(0,0,0,.15); padding: 14px 16px; }
#quotes[hidden] { display: none; }
#quotes h2 { margin-top: 0; padding-right: 60px; }
#quotes .close { position: absolute; top: 10px; right: 12px; font: inherit; }
#quotes blockquote { margin: 8px 0 2px; font-style: italic; }
#quotes .who { color: var(--grey); font-size: 12px; margin: 0 0 8px; }
#quotes .strong { border-left: 3px solid var(--link); padding-left: 8px; }
#quotes ul { padding-left: 18px; }
@page { size: landscape; margin: 8mm; }
@media print {
  body { margin: 0; zoom: var(--print-zoom, 1); }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
@PRINT@
}
.measure { margin: 0 !important; }
@MEASURE@
"""
# how the page prints, and how it is measured beforehand (the same rules, on the page or under .measure)
PRINT_RULES = (("body", "font-size: 12px"), ("#quotes, .help", "display: none !important"),
               ("h2", "margin: 6px 0 3px"), ("#curve", "max-height: 170px"),
               ("table.map th, table.map td", "padding: 2px 3px"),
               ("button.ev, button.more", "text-decoration: none"))
CSS = (CSS.replace("@PRINT@", "\n".join(f"  {sel} {{ {rule}; }}" for sel, rule in PRINT_RULES))
       .replace("@MEASURE@", "\n".join(", ".join(".measure" if part.strip() == "body" else f".measure {part.strip()}"
                                                 for part in sel.split(",")) + f" {{ {rule}; }}"
                                       for sel, rule in PRINT_RULES)))

SCRIPT = """
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("map-data").textContent);
  var panel = document.getElementById("quotes");
  var opener = null;

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined) { e.textContent = text; }
    return e;
  }
  function open(title, fill, from) {
    panel.textContent = "";
    var close = el("button", "close", "Close (Esc)");
    close.type = "button";
    close.addEventListener("click", shut);
    panel.appendChild(close);
    panel.appendChild(el("h2", "", title));
    fill(panel);
    panel.hidden = false;
    opener = from;
    panel.focus();
  }
  function shut() {
    panel.hidden = true;
    if (opener) { opener.focus(); }
  }
  function showQuotes(id, from) {
    var f = data.figures[id];
    open(f.title, function (box) {
      box.appendChild(el("p", "g", f.count));
      f.quotes.forEach(function (qid, i) {
        var q = data.quotes[qid];
        var bq = el("blockquote", i < f.strongest ? "strong" : "", "\\u201c" + q[0] + "\\u201d");
        box.appendChild(bq);
        box.appendChild(el("p", "who", [q[1], q[2], q[3]].filter(Boolean).join(" \\u00b7 ")));
      });
      if (!f.quotes.length) { box.appendChild(el("p", "g", "No quote behind this figure.")); }
    }, from);
  }
  function showList(id, from) {
    var l = data.lists[id];
    open(l.title, function (box) {
      var ul = el("ul");
      l.items.forEach(function (item) {
        var li = el("li"), b = el("button", "ev", item[0]);
        b.type = "button";
        b.dataset.ev = item[1];
        li.appendChild(b);
        ul.appendChild(li);
      });
      box.appendChild(ul);
    }, from);
  }
  document.addEventListener("click", function (e) {
    var b = e.target.closest ? e.target.closest("button[data-ev], button[data-list]") : null;
    if (!b) { return; }
    var from = panel.contains(b) ? opener : b;
    if (b.dataset.ev) { showQuotes(b.dataset.ev, from); } else { showList(b.dataset.list, from); }
  });
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape" && !panel.hidden) { e.preventDefault(); shut(); return; }
    var moves = {ArrowLeft: [0, -1], ArrowRight: [0, 1], ArrowUp: [-1, 0], ArrowDown: [1, 0]};
    var move = moves[e.key];
    var cell = document.activeElement && document.activeElement.closest
      ? document.activeElement.closest("table.map td, table.map th") : null;
    if (!move || !cell) { return; }
    var row = cell.parentElement, rows = Array.prototype.slice.call(cell.closest("table").rows);
    var r = rows.indexOf(row) + move[0], c = cell.cellIndex + move[1];
    while (r >= 0 && r < rows.length && c >= 0 && c < rows[r].cells.length) {
      var target = rows[r].cells[c].querySelector("button");
      if (target) { e.preventDefault(); target.focus(); return; }
      r += move[0]; c += move[1];
    }
  });
  function fit() {  // the largest zoom at which the page, laid out that much wider, fits one printed page
    var body = document.body, zoom = 0.25;
    body.classList.add("measure");
    for (var z = 1; z > 0.25; z -= 0.025) {
      body.style.width = (@PRINT_W@ / z) + "px";
      var root = document.documentElement;
      if (root.scrollHeight * z <= @PRINT_H@ && root.scrollWidth * z <= @PRINT_W@ + 1) { zoom = z; break; }
    }
    body.style.width = "";
    body.classList.remove("measure");
    body.style.setProperty("--print-zoom", String(Math.floor(zoom * 1000) / 1000));
  }
  fit();
  window.addEventListener("beforeprint", fit);
})();
""".replace("@PRINT_W@", str(PRINT_W)).replace("@PRINT_H@", str(PRINT_H))
