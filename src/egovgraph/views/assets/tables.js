/* egovgraph viewer: the matrix and the sortable tables of nodes and edges, the graph's text alternative.
 * Built when their tab is first opened; every cell is text, every row reachable with Tab and Enter. */
(function (G) {
  "use strict";
  var payload = G.payload;
  var ui = G.ui;

  function table(caption) {
    var t = document.createElement("table");
    t.appendChild(G.text("caption", caption));
    return t;
  }

  // ---------------------------------------------------------------- matrix
  function buildMatrix() {
    var m = payload.matrix;
    var panel = document.getElementById("panel-matrix");
    var t = table(m.note);
    t.id = "matrix";
    var head = document.createElement("thead");
    var hr = document.createElement("tr");
    hr.appendChild(document.createElement("td"));
    m.cols.forEach(function (col) {
      var th = document.createElement("th");
      th.scope = "col";
      th.appendChild(G.text("span", col.label));
      hr.appendChild(th);
    });
    hr.appendChild(G.text("th", ui.total, "total"));
    head.appendChild(hr);
    t.appendChild(head);
    var body = document.createElement("tbody");
    m.rows.forEach(function (nodeIndex, r) {
      var tr = document.createElement("tr");
      var th = document.createElement("th");
      th.scope = "row";
      th.appendChild(G.button(payload.nodes[nodeIndex].label, function () { G.showNode(nodeIndex); }, "link"));
      tr.appendChild(th);
      m.cols.forEach(function (col, c) {
        var n = m.counts[r][c];
        var td = document.createElement("td");
        td.setAttribute("data-row", payload.nodes[nodeIndex].label);
        td.setAttribute("data-col", col.label);
        td.setAttribute("data-count", String(n));
        if (n > 0) {
          var label = m.mark ? "●" : String(n);
          var b = G.button(label, function () { G.showCell(r, c); }, "cell");
          b.setAttribute("aria-label", payload.nodes[nodeIndex].label + " → " + col.label + ": " + label);
          if (m.items[r][c].length) b.title = m.items[r][c].join("\n");
          td.appendChild(b);
        }
        tr.appendChild(td);
      });
      var total = G.text("td", String(m.row_totals[r]), "total");
      total.setAttribute("data-total", "row");
      tr.appendChild(total);
      body.appendChild(tr);
    });
    var fr = document.createElement("tr");
    fr.appendChild(G.text("th", ui.total, "total"));
    m.col_totals.forEach(function (n) {
      var td = G.text("td", String(n), "total");
      td.setAttribute("data-total", "col");
      fr.appendChild(td);
    });
    var all = G.text("td", String(m.total), "total");
    all.setAttribute("data-total", "all");
    fr.appendChild(all);
    body.appendChild(fr);
    t.appendChild(body);
    panel.appendChild(t);
  }

  // ---------------------------------------------------------------- sortable tables
  function sortable(id, caption, columns, rows, onOpen) {
    var t = table(caption);
    t.id = id;
    var head = document.createElement("thead");
    var hr = document.createElement("tr");
    var body = document.createElement("tbody");
    var order = rows.map(function (_, index) { return index; });
    var sortedBy = -1;
    var ascending = true;
    function render() {
      G.clear(body);
      var fragment = document.createDocumentFragment();
      order.forEach(function (index) {
        var tr = document.createElement("tr");
        rows[index].forEach(function (value, c) {
          var cell = document.createElement(c === 0 ? "th" : "td");
          if (c === 0) {
            cell.scope = "row";
            cell.appendChild(G.button(String(value), function () { onOpen(index); }, "link"));
          } else {
            cell.textContent = String(value);
          }
          tr.appendChild(cell);
        });
        fragment.appendChild(tr);
      });
      body.appendChild(fragment);
    }
    columns.forEach(function (column, c) {
      var th = document.createElement("th");
      th.scope = "col";
      th.setAttribute("aria-sort", "none");
      th.appendChild(G.button(column, function () {
        ascending = sortedBy === c ? !ascending : true;
        sortedBy = c;
        order.sort(function (a, b) {
          var x = rows[a][c], y = rows[b][c];
          var cmp = typeof x === "number" && typeof y === "number" ? x - y
            : String(x).localeCompare(String(y), payload.lang);
          return (ascending ? cmp : -cmp) || a - b;
        });
        Array.prototype.forEach.call(hr.children, function (other, k) {
          other.setAttribute("aria-sort", k === c ? (ascending ? "ascending" : "descending") : "none");
        });
        render();
      }, "sort"));
      hr.appendChild(th);
    });
    head.appendChild(hr);
    t.appendChild(head);
    t.appendChild(body);
    render();
    return t;
  }

  function buildNodes() {
    var columns = [G.key("label")].concat(payload.columns.map(G.key), [G.key("degree")]);
    var rows = payload.nodes.map(function (n) {
      return [n.label].concat(payload.columns.map(function (k) {
        var v = G.attr(n, k);
        return k === "class_label" ? payload.classes[n.c].label : v;
      }), [n.deg]);
    });
    document.getElementById("panel-nodes").appendChild(
      sortable("node-table", ui.tab_nodes + " (" + rows.length + ")", columns, rows, G.showNode));
  }

  function buildEdges() {
    var columns = [G.key("label"), ui.from, ui.to, ui.kind, G.key("weight")];
    var rows = payload.edges.map(function (e) {
      var kind = G.kinds[e.k];
      var weight = G.attr(e, "weight");
      return [e.label || (kind ? kind.label : e.k), payload.nodes[e.from].label, payload.nodes[e.to].label,
              kind ? kind.label : e.k, weight === "" ? 1 : weight];
    });
    document.getElementById("panel-edges").appendChild(
      sortable("edge-table", ui.tab_edges + " (" + rows.length + ")", columns, rows, G.showEdge));
  }

  function once(build) {
    var done = false;
    return function () { if (!done) { done = true; build(); } };
  }
  if (payload.matrix) G.onTab.matrix = once(buildMatrix);
  G.onTab.nodes = once(buildNodes);
  G.onTab.edges = once(buildEdges);
})(window.egovgraph);
