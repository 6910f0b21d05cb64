/* egovgraph viewer: draws the embedded graph with vis-network; tabs, legend and the shared state.
 * Every string from the graph is data: it is set with textContent or handed to vis-network, which draws
 * labels on the canvas and shows string tooltips as text. No data is ever parsed as markup.
 * The page's other scripts (tables, details, search) follow this one in the same script element. */
(function () {
  "use strict";
  var payload = JSON.parse(document.getElementById("egovgraph-data").textContent);
  var ui = payload.ui;
  var total = payload.nodes.length;
  var G = {payload: payload, ui: ui, total: total, adj: [], kinds: {}};
  window.egovgraph = G;
  var i;
  for (i = 0; i < total; i++) G.adj.push([]);
  payload.kinds.forEach(function (k) { G.kinds[k.key] = k; });

  G.text = function (tag, value, className) {
    var el = document.createElement(tag);
    el.textContent = value;
    if (className) el.className = className;
    return el;
  };
  G.clear = function (el) { while (el.firstChild) el.removeChild(el.firstChild); };
  G.button = function (label, onClick, className) {
    var b = G.text("button", label, className);
    b.type = "button";
    b.addEventListener("click", onClick);
    return b;
  };
  G.key = function (key) { return payload.keys[key] || key; };
  G.attr = function (item, key) {
    for (var k = 0; k < item.a.length; k++) if (item.a[k][0] === key) return item.a[k][1];
    return "";
  };

  function tooltip(node) {
    var lines = [node.label];
    node.a.forEach(function (pair) {
      if (payload.tooltip_keys.indexOf(pair[0]) >= 0 && pair[1] !== "") {
        var value = String(pair[1]);
        if (value.length > 300) value = value.slice(0, 299) + "…";
        lines.push(G.key(pair[0]) + ": " + value);
      }
    });
    return lines.join("\n");
  }
  function edgeTitle(e) {
    var kind = G.kinds[e.k];
    var lines = [kind ? kind.label : e.k];
    if (e.label) lines.push(e.label.length > 300 ? e.label.slice(0, 299) + "…" : e.label);
    return lines.join("\n");
  }

  var anyFree = false;
  var anyFixed = false;
  var visNodes = payload.nodes.map(function (n) {
    var cls = payload.classes[n.c];
    var out = {id: n.id, label: n.display, title: tooltip(n), shape: cls.shape, size: n.size,
               color: {background: cls.color, border: cls.border,
                       highlight: {background: cls.color, border: "#1b1f24"}}};
    if (n.x !== undefined) { out.x = n.x; out.y = n.y; }
    if (n.fixed) { out.fixed = {x: true, y: true}; out.physics = false; anyFixed = true; } else { anyFree = true; }
    return out;
  });
  var visEdges = payload.edges.map(function (e, index) {
    var kind = G.kinds[e.k] || {color: "#8c959f", dashes: [], arrow: payload.directed};
    G.adj[e.from].push({other: e.to, edge: index, out: true});
    if (e.to !== e.from) G.adj[e.to].push({other: e.from, edge: index, out: false});
    return {id: index, from: e.from, to: e.to, title: edgeTitle(e), width: e.width,
            color: {color: kind.color, highlight: "#1b1f24", hover: "#1b1f24"},
            dashes: kind.dashes.length ? kind.dashes : false,
            arrows: kind.arrow ? "to" : undefined};
  });
  var physics = payload.physics && anyFree;
  G.nodes = new vis.DataSet(visNodes);
  G.edges = new vis.DataSet(visEdges);
  var large = total > 1000;
  var options = {
    autoResize: true,
    layout: {randomSeed: payload.seed, improvedLayout: physics && total <= 100},
    nodes: {font: {size: 14, face: "system-ui, sans-serif"}, borderWidth: 1},
    edges: {smooth: false, font: {size: 0}, selectionWidth: 2},
    interaction: {hover: !large, tooltipDelay: 150, hideEdgesOnDrag: large, hideEdgesOnZoom: large,
                  keyboard: false},
    physics: physics ? {
      enabled: true, solver: "forceAtlas2Based",
      // Around nodes fixed at their geography, a stronger push keeps the free ones off their labels.
      forceAtlas2Based: anyFixed ? {gravitationalConstant: -140, springLength: 70, avoidOverlap: 1}
                                 : {gravitationalConstant: -60, springLength: 110, avoidOverlap: 0.4},
      stabilization: {enabled: true, iterations: 400, updateInterval: 50, fit: true}
    } : {enabled: false}
  };
  G.network = new vis.Network(document.getElementById("network"), {nodes: G.nodes, edges: G.edges}, options);
  G.network.on("click", function (params) {
    if (params.nodes.length) G.showNode(params.nodes[0]);
    else if (params.edges.length) G.showEdge(params.edges[0]);
    else G.showNone();
  });

  function ready() { document.documentElement.setAttribute("data-ready", "true"); }
  if (physics) {
    G.network.once("stabilizationIterationsDone", function () {
      G.network.setOptions({physics: {enabled: false}});
      ready();
    });
  } else {
    G.network.once("afterDrawing", ready);
    G.network.fit();
  }

  // ---------------------------------------------------------------- tabs
  var tabs = document.getElementById("tabs");
  var panels = [["graph", ui.tab_graph], ["matrix", ui.tab_matrix], ["nodes", ui.tab_nodes],
                ["edges", ui.tab_edges]].filter(function (t) { return t[0] !== "matrix" || payload.matrix; });
  G.tabs = {};
  G.onTab = {};
  G.showTab = function (name, focus) {
    panels.forEach(function (t) {
      var selected = t[0] === name;
      G.tabs[t[0]].setAttribute("aria-selected", selected ? "true" : "false");
      G.tabs[t[0]].tabIndex = selected ? 0 : -1;
      document.getElementById("panel-" + t[0]).hidden = !selected;
    });
    if (focus) G.tabs[name].focus();
    if (G.onTab[name]) G.onTab[name]();
    if (name === "graph") G.network.redraw();
    document.body.setAttribute("data-tab", name);
  };
  panels.forEach(function (t, index) {
    var tab = G.button(t[1], function () { G.showTab(t[0], false); });
    tab.id = "tab-" + t[0];
    tab.setAttribute("role", "tab");
    tab.setAttribute("aria-controls", "panel-" + t[0]);
    tab.addEventListener("keydown", function (ev) {
      var step = ev.key === "ArrowRight" ? 1 : ev.key === "ArrowLeft" ? -1 : 0;
      if (!step) return;
      ev.preventDefault();
      G.showTab(panels[(index + step + panels.length) % panels.length][0], true);
    });
    document.getElementById("panel-" + t[0]).setAttribute("aria-labelledby", tab.id);
    G.tabs[t[0]] = tab;
    tabs.appendChild(tab);
  });
  if (!payload.matrix) document.getElementById("panel-matrix").remove();

  // ---------------------------------------------------------------- legend
  var legend = document.getElementById("legend");
  legend.appendChild(G.text("h2", ui.legend));
  var list = document.createElement("ul");
  payload.classes.forEach(function (cls, index) {
    var li = document.createElement("li");
    var b = G.button("", function () { G.selectClass(index); }, "legend-class");
    var swatch = document.createElement("span");
    swatch.className = "swatch " + cls.shape;
    swatch.style.backgroundColor = cls.color;
    b.appendChild(swatch);
    b.appendChild(G.text("span", cls.label + " (" + cls.count + ")"));
    b.appendChild(G.text("span", cls.glyph, "shape"));
    b.setAttribute("data-class", String(index));
    li.appendChild(b);
    list.appendChild(li);
  });
  legend.appendChild(list);
  legend.appendChild(G.text("p", ui.legend_hint, "hint"));
  if (payload.kinds.length) {
    legend.appendChild(G.text("h2", ui.links));
    var kinds = document.createElement("ul");
    kinds.className = "kinds";
    payload.kinds.forEach(function (kind) {
      var li = document.createElement("li");
      var line = document.createElement("span");
      line.className = "line";
      line.style.borderTopColor = kind.color;
      line.style.borderTopStyle = !kind.dashes.length ? "solid" : (kind.dashes[0] <= 2 ? "dotted" : "dashed");
      li.appendChild(line);
      li.appendChild(G.text("span", (kind.arrow ? "→ " : "— ") + kind.label + " (" + kind.count + ")"));
      li.setAttribute("data-kind", kind.key);
      kinds.appendChild(li);
    });
    legend.appendChild(kinds);
  }
  legend.appendChild(G.text("p", ui.size));

  G.focusNode = function (index) {
    G.showTab("graph", false);
    G.network.selectNodes([index]);
    G.network.focus(index, {scale: Math.max(G.network.getScale(), 0.8), animation: false});
    G.showNode(index);
  };
  G.focusEdge = function (index) {
    G.showTab("graph", false);
    G.network.selectEdges([index]);
    G.showEdge(index);
  };
  G.visibleCount = function () { return G.visibleIds().length; };
})();
