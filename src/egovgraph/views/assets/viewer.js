/* egovgraph viewer: draws the embedded graph with vis-network, with search, filters, legend and details.
 * Every string from the graph is data: it is set with textContent or handed to vis-network, which draws
 * labels on the canvas and shows string tooltips as text. No data is ever parsed as markup. */
(function () {
  "use strict";
  var payload = JSON.parse(document.getElementById("egovgraph-data").textContent);
  var ui = payload.ui;
  var container = document.getElementById("network");
  var total = payload.nodes.length;
  var neighbours = [];
  var i;
  for (i = 0; i < total; i++) neighbours.push([]);

  function text(tag, value, className) {
    var el = document.createElement(tag);
    el.textContent = value;
    if (className) el.className = className;
    return el;
  }

  function tooltip(node) {
    var lines = [node.label];
    node.a.forEach(function (pair) {
      if (payload.tooltip_keys.indexOf(pair[0]) >= 0 && pair[1] !== "") {
        var value = String(pair[1]);
        if (value.length > 300) value = value.slice(0, 299) + "…";
        lines.push((ui.keys[pair[0]] || pair[0]) + ": " + value);
      }
    });
    return lines.join("\n");
  }

  var visNodes = payload.nodes.map(function (n) {
    var cls = payload.classes[n.c];
    n._q = (n.label + " " + n.iri).toLowerCase();
    var out = {id: n.id, label: n.display || n.label, title: tooltip(n), shape: cls.shape, size: n.size,
               color: {background: cls.color, border: cls.border,
                       highlight: {background: cls.color, border: "#1b1f24"}}};
    if (n.x !== undefined) { out.x = n.x; out.y = n.y; }
    return out;
  });
  var visEdges = payload.edges.map(function (e, index) {
    neighbours[e.from].push(e.to);
    neighbours[e.to].push(e.from);
    return {id: index, from: e.from, to: e.to, title: e.title, width: e.width,
            arrows: payload.directed ? "to" : undefined};
  });
  var nodes = new vis.DataSet(visNodes);
  var edges = new vis.DataSet(visEdges);
  var large = total > 1000;
  var options = {
    autoResize: true,
    layout: {randomSeed: payload.seed, improvedLayout: payload.physics && total <= 100},
    nodes: {font: {size: 14, face: "system-ui, sans-serif"}, borderWidth: 1},
    edges: {color: {color: "#8c959f", highlight: "#1b1f24", hover: "#1b1f24"}, smooth: false,
            font: {size: 0}},
    interaction: {hover: !large, tooltipDelay: 150, hideEdgesOnDrag: large, hideEdgesOnZoom: large},
    physics: payload.physics ? {
      enabled: true, solver: "forceAtlas2Based",
      forceAtlas2Based: {gravitationalConstant: -60, springLength: 110, avoidOverlap: 0.4},
      stabilization: {enabled: true, iterations: 400, updateInterval: 50, fit: true}
    } : {enabled: false}
  };
  var network = new vis.Network(container, {nodes: nodes, edges: edges}, options);

  function ready() {
    document.documentElement.setAttribute("data-ready", "true");
  }
  if (payload.physics) {
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({physics: {enabled: false}});
      ready();
    });
  } else {
    network.once("afterDrawing", ready);
    network.fit();
  }

  // ---------------------------------------------------------------- legend
  var legend = document.getElementById("legend");
  legend.appendChild(text("h2", ui.legend));
  var list = document.createElement("ul");
  payload.classes.forEach(function (cls) {
    var li = document.createElement("li");
    var swatch = document.createElement("span");
    swatch.className = "swatch " + cls.shape;
    swatch.style.backgroundColor = cls.color;
    li.appendChild(swatch);
    li.appendChild(text("span", cls.label + " (" + cls.count + ")"));
    li.appendChild(text("span", cls.glyph, "shape"));
    list.appendChild(li);
  });
  legend.appendChild(list);
  legend.appendChild(text("p", ui.size));

  // ---------------------------------------------------------------- details
  var details = document.getElementById("details");
  function showDetails(index) {
    while (details.firstChild) details.removeChild(details.firstChild);
    details.appendChild(text("h2", ui.details));
    if (index === null) { details.appendChild(text("p", ui.click)); return; }
    var n = payload.nodes[index];
    var dl = document.createElement("dl");
    dl.appendChild(text("dt", ui.keys.label || "label"));
    dl.appendChild(text("dd", n.label));
    if (n.iri) { dl.appendChild(text("dt", "IRI")); dl.appendChild(text("dd", n.iri)); }
    n.a.forEach(function (pair) {
      if (pair[1] === "") return;
      dl.appendChild(text("dt", ui.keys[pair[0]] || pair[0]));
      dl.appendChild(text("dd", String(pair[1])));
    });
    dl.appendChild(text("dt", ui.neighbours));
    dl.appendChild(text("dd", String(neighbours[index].length)));
    details.appendChild(dl);
  }
  showDetails(null);
  network.on("click", function (params) {
    showDetails(params.nodes.length ? params.nodes[0] : null);
  });

  // ---------------------------------------------------------------- search and filters
  var controls = document.getElementById("controls");
  var search = document.createElement("input");
  search.type = "search";
  search.id = "search";
  search.placeholder = ui.search;
  search.setAttribute("aria-label", ui.search);
  var searchLabel = document.createElement("label");
  searchLabel.appendChild(search);
  controls.appendChild(searchLabel);
  var selects = payload.facets.map(function (facet, index) {
    var label = text("label", facet.label + " ");
    var select = document.createElement("select");
    select.id = "filter-" + facet.key;
    select.setAttribute("data-facet", String(index));
    select.appendChild(new Option(ui.all, "-1"));
    facet.values.forEach(function (value, valueIndex) {
      select.appendChild(new Option(value, String(valueIndex)));
    });
    label.appendChild(select);
    controls.appendChild(label);
    select.addEventListener("change", apply);
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
  var reset = text("button", ui.reset);
  reset.type = "button";
  reset.id = "reset";
  controls.appendChild(reset);
  var shown = document.createElement("output");
  shown.id = "shown";
  controls.appendChild(shown);

  var visible = new Array(total).fill(true);
  function apply() {
    var query = search.value.trim().toLowerCase();
    var chosen = selects.map(function (s) { return parseInt(s.value, 10); });
    var active = query !== "" || chosen.some(function (v) { return v >= 0; });
    var next = new Array(total).fill(!active);
    var matched = [];
    if (active) {
      payload.nodes.forEach(function (n, index) {
        if (query !== "" && n._q.indexOf(query) < 0) return;
        for (var f = 0; f < chosen.length; f++) {
          if (chosen[f] >= 0 && n.f[f].indexOf(chosen[f]) < 0) return;
        }
        matched.push(index);
        next[index] = true;
      });
      if (withNeighbours.checked) {
        matched.forEach(function (index) {
          neighbours[index].forEach(function (other) { next[other] = true; });
        });
      }
    }
    var nodeChanges = [];
    var count = 0;
    for (var k = 0; k < total; k++) {
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
    if (nodeChanges.length) nodes.update(nodeChanges);
    if (edgeChanges.length) edges.update(edgeChanges);
    network.selectNodes(query !== "" ? matched : []);
    shown.textContent = ui.shown.replace("{shown}", String(count)).replace("{total}", String(total))
      + (active ? " · " + ui.matching.replace("{n}", String(matched.length)) : "");
    document.body.setAttribute("data-shown", String(count));
    document.body.setAttribute("data-matched", String(active ? matched.length : total));
    if (count > 0 && active) network.fit({nodes: visibleIds()});
  }
  function visibleIds() {
    var ids = [];
    for (var k = 0; k < total; k++) if (visible[k]) ids.push(k);
    return ids;
  }
  search.addEventListener("input", apply);
  withNeighbours.addEventListener("change", apply);
  reset.addEventListener("click", function () {
    search.value = "";
    selects.forEach(function (s) { s.value = "-1"; });
    apply();
    network.fit();
  });
  apply();

  window.egovgraph = {
    network: network, nodes: nodes, edges: edges, total: total,
    visibleCount: function () { return visibleIds().length; }
  };
})();
