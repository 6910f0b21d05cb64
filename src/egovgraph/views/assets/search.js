/* egovgraph viewer: search (labels, other names, codes, IRIs, edge labels), filters and the result list.
 * Typing waits DEBOUNCE ms after the last key; the result list answers first, the drawing follows.
 * The list is walked with the arrow keys; Enter opens a result, Escape returns to the search box. */
(function (G) {
  "use strict";
  var payload = G.payload;
  var ui = G.ui;
  var total = G.total;
  // The counter counts against the view's nodes before the cap, grouped as the page's language does.
  var allNodes = Math.max(payload.all_nodes || 0, total);
  function grouped(n) { return n.toLocaleString(payload.lang === "de" ? "de-DE" : "en-GB"); }
  var DEBOUNCE = 120;
  var MAX_RESULTS = 50;
  var controls = document.getElementById("controls");
  var results = document.getElementById("results");

  var haystack = payload.nodes.map(function (n) {
    var codes = n.q.split(/[;\s]+/).map(function (c) { return c.indexOf("-") > 0 ? c + " " + c.split("-").pop() : c; });
    return (n.label + " \u0001" + codes.join(" ") + " \u0001" + n.iri).toLowerCase();
  });
  var edgeText = payload.edges.map(function (e) { return (e.label || "").toLowerCase(); });

  var search = document.createElement("input");
  search.type = "search";
  search.id = "search";
  search.placeholder = ui.search;
  search.setAttribute("aria-label", ui.search);
  search.setAttribute("role", "combobox");
  search.setAttribute("aria-controls", "results-list");
  search.setAttribute("aria-expanded", "false");
  search.setAttribute("aria-autocomplete", "list");
  var searchLabel = document.createElement("label");
  searchLabel.appendChild(search);
  controls.appendChild(searchLabel);
  var selects = payload.facets.map(function (facet, index) {
    var label = G.text("label", facet.label + " ");
    var select = document.createElement("select");
    select.id = "filter-" + facet.key;
    select.setAttribute("data-facet", String(index));
    select.appendChild(new Option(ui.all, "-1"));
    facet.values.forEach(function (value, valueIndex) {
      select.appendChild(new Option(value, String(valueIndex)));
    });
    label.appendChild(select);
    controls.appendChild(label);
    select.addEventListener("change", function () { apply(false); });
    return select;
  });
  var withNeighbours = document.createElement("input");
  withNeighbours.type = "checkbox";
  withNeighbours.id = "with-neighbours";
  withNeighbours.checked = true;
  var neighbourLabel = document.createElement("label");
  neighbourLabel.appendChild(withNeighbours);
  neighbourLabel.appendChild(document.createTextNode(ui.with_neighbours));
  controls.appendChild(neighbourLabel);
  var reset = G.button(ui.reset, function () {
    search.value = "";
    selects.forEach(function (s) { s.value = "-1"; });
    selectedClass = -1;
    apply();
    G.network.fit();
  });
  reset.id = "reset";
  controls.appendChild(reset);
  var shown = document.createElement("output");
  shown.id = "shown";
  controls.appendChild(shown);

  var visible = new Array(total).fill(true);
  var selectedClass = -1;

  function matches(query) {
    var hit = new Array(total).fill(false);
    var chosen = selects.map(function (s) { return parseInt(s.value, 10); });
    var k, f;
    for (k = 0; k < total; k++) {
      var n = payload.nodes[k];
      if (query !== "" && haystack[k].indexOf(query) < 0) continue;
      if (selectedClass >= 0 && n.c !== selectedClass) continue;
      var ok = true;
      for (f = 0; f < chosen.length; f++) if (chosen[f] >= 0 && n.f[f].indexOf(chosen[f]) < 0) { ok = false; break; }
      if (ok) hit[k] = true;
    }
    var edgeHits = [];
    if (query !== "") {
      for (k = 0; k < edgeText.length; k++) {
        if (edgeText[k].indexOf(query) < 0) continue;
        edgeHits.push(k);
        var e = payload.edges[k];
        if (selectedClass < 0 && chosen.every(function (v) { return v < 0; })) { hit[e.from] = true; hit[e.to] = true; }
      }
    }
    return {hit: hit, edges: edgeHits};
  }

  function listResults(query, found) {
    G.clear(results);
    if (query === "") {
      results.hidden = true;
      search.setAttribute("aria-expanded", "false");
      return;
    }
    results.hidden = false;
    search.setAttribute("aria-expanded", "true");
    results.appendChild(G.text("h2", ui.results));
    var ul = document.createElement("ul");
    ul.id = "results-list";
    ul.setAttribute("role", "listbox");
    ul.setAttribute("aria-label", ui.results);
    var count = 0;
    function add(label, detail, open) {
      var li = document.createElement("li");
      li.setAttribute("role", "option");
      var b = G.button(label, open, "result");
      if (detail) b.appendChild(G.text("span", " " + detail, "result-kind"));
      li.appendChild(b);
      ul.appendChild(li);
      count++;
    }
    for (var k = 0; k < total && count < MAX_RESULTS; k++) {
      if (!found.hit[k]) continue;
      (function (index) {
        add(payload.nodes[index].label, payload.classes[payload.nodes[index].c].label,
            function () { G.focusNode(index); });
      })(k);
    }
    found.edges.slice(0, Math.max(0, MAX_RESULTS - count)).forEach(function (index) {
      var e = payload.edges[index];
      var kind = G.kinds[e.k];
      add(payload.nodes[e.from].label + " – " + payload.nodes[e.to].label, kind ? kind.label : ui.edge,
          function () { G.focusEdge(index); });
    });
    if (!count) results.appendChild(G.text("p", ui.no_results));
    else results.appendChild(ul);
  }

  // The answer (counts, result list) first; the drawing follows in the next task, so the list shows
  // at once even when thousands of nodes are shown or hidden.
  var pending = null;
  function apply(now) {
    var started = performance.now();
    var query = search.value.trim().toLowerCase();
    var found = matches(query);
    listResults(query, found);
    var chosen = selects.some(function (s) { return parseInt(s.value, 10) >= 0; });
    var active = query !== "" || chosen || selectedClass >= 0;
    var matched = 0;
    for (var k = 0; k < total; k++) if (found.hit[k]) matched++;
    document.body.setAttribute("data-matched", String(active ? matched : total));
    document.body.setAttribute("data-search-ms", String(Math.round(performance.now() - started)));
    if (pending !== null) clearTimeout(pending);
    if (now) { pending = null; draw(found, active, matched); return; }
    document.body.setAttribute("data-drawing", "true");
    pending = setTimeout(function () { pending = null; draw(found, active, matched); }, 0);
  }
  function draw(found, active, matched) {
    var next = new Array(total).fill(!active);
    var k;
    if (active) {
      for (k = 0; k < total; k++) if (found.hit[k]) next[k] = true;
      if (withNeighbours.checked) {
        for (k = 0; k < total; k++) {
          if (!found.hit[k]) continue;
          G.adj[k].forEach(function (link) { next[link.other] = true; });
        }
      }
    }
    var nodeChanges = [];
    var count = 0;
    for (k = 0; k < total; k++) {
      if (next[k]) count++;
      if (next[k] !== visible[k]) nodeChanges.push({id: k, hidden: !next[k]});
    }
    var edgeChanges = [];
    payload.edges.forEach(function (e, index) {
      var before = visible[e.from] && visible[e.to];
      var after = next[e.from] && next[e.to];
      if (before !== after) edgeChanges.push({id: index, hidden: !after});
    });
    visible = next;
    if (nodeChanges.length) G.nodes.update(nodeChanges);
    if (edgeChanges.length) G.edges.update(edgeChanges);
    var selection = [];
    if (active) for (k = 0; k < total; k++) if (found.hit[k]) selection.push(k);
    G.network.selectNodes(selection.length <= 2000 ? selection : []);
    shown.textContent = ui.shown.replace("{shown}", grouped(count)).replace("{total}", grouped(allNodes))
      + (active ? " · " + ui.matching.replace("{n}", String(matched)) : "");
    document.body.setAttribute("data-shown", String(count));
    if (count > 0 && active && total <= 1000) G.network.fit({nodes: G.visibleIds(), animation: false});
    document.body.removeAttribute("data-drawing");
  }
  G.visibleIds = function () {
    var ids = [];
    for (var k = 0; k < total; k++) if (visible[k]) ids.push(k);
    return ids;
  };

  var timer = null;
  search.addEventListener("input", function () {
    if (timer !== null) clearTimeout(timer);
    var typed = performance.now();
    timer = setTimeout(function () {
      timer = null;
      apply();
      document.body.setAttribute("data-search-latency", String(Math.round(performance.now() - typed)));
    }, DEBOUNCE);
  });
  search.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter") {
      if (timer !== null) { clearTimeout(timer); timer = null; apply(); }
      var first = results.querySelector("button.result");
      if (first) { ev.preventDefault(); first.click(); }
    } else if (ev.key === "ArrowDown") {
      if (timer !== null) { clearTimeout(timer); timer = null; apply(); }
      var top = results.querySelector("button.result");
      if (top) { ev.preventDefault(); top.focus(); }
    }
  });
  results.addEventListener("keydown", function (ev) {
    var items = Array.prototype.slice.call(results.querySelectorAll("button.result"));
    var at = items.indexOf(document.activeElement);
    if (at < 0) return;
    if (ev.key === "ArrowDown" && at + 1 < items.length) { ev.preventDefault(); items[at + 1].focus(); }
    else if (ev.key === "ArrowUp") { ev.preventDefault(); (at > 0 ? items[at - 1] : search).focus(); }
    else if (ev.key === "Escape") { ev.preventDefault(); search.focus(); }
  });
  withNeighbours.addEventListener("change", function () { apply(false); });

  G.selectClass = function (index) {
    var facet = payload.facets.map(function (f) { return f.key; }).indexOf("class_label");
    var label = payload.classes[index].label;
    var at = facet >= 0 ? payload.facets[facet].values.indexOf(label) : -1;
    if (at >= 0) { selects[facet].value = String(at); selectedClass = -1; } else { selectedClass = index; }
    document.body.setAttribute("data-class-selected", label);
    apply();
  };

  G.showTab("graph", false);
  apply(true);
})(window.egovgraph);
