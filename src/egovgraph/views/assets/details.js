/* egovgraph viewer: the details panel of a node, an edge or a matrix cell, written as a small page.
 * Values are text; web addresses become links (http and https only), lists become lists. */
(function (G) {
  "use strict";
  var payload = G.payload;
  var ui = G.ui;
  var details = document.getElementById("details");

  function isLink(value) { return /^https?:\/\/[^\s]+$/.test(value); }
  function valueNode(value) {
    var text = String(value);
    var parts = text.indexOf("\n") >= 0 ? text.split("\n") : text.split("; ");
    parts = parts.filter(function (p) { return p !== ""; });
    function one(part) {
      if (!isLink(part)) return document.createTextNode(part);
      var a = G.text("a", part);
      a.href = part;
      a.rel = "noopener noreferrer";
      return a;
    }
    if (parts.length <= 1) {
      var dd = document.createElement("dd");
      dd.appendChild(one(parts.length ? parts[0] : text));
      return dd;
    }
    var wrap = document.createElement("dd");
    var ul = document.createElement("ul");
    parts.forEach(function (part) {
      var li = document.createElement("li");
      li.appendChild(one(part));
      ul.appendChild(li);
    });
    wrap.appendChild(ul);
    return wrap;
  }
  function start(title, kind) {
    G.clear(details);
    details.appendChild(G.text("h2", ui.details));
    var h = G.text("h3", title);
    h.id = "details-title";
    details.appendChild(h);
    if (kind) details.appendChild(G.text("p", kind, "kind"));
    var dl = document.createElement("dl");
    details.appendChild(dl);
    return dl;
  }
  function row(dl, key, value) {
    if (value === "" || value === undefined || value === null) return;
    dl.appendChild(G.text("dt", key));
    dl.appendChild(valueNode(value));
  }
  function nodeButton(index) {
    return G.button(payload.nodes[index].label, function () { G.showNode(index); }, "link");
  }

  G.showNone = function () {
    G.clear(details);
    details.appendChild(G.text("h2", ui.details));
    details.appendChild(G.text("p", ui.click));
    document.body.removeAttribute("data-details");
  };

  G.showNode = function (index) {
    var n = payload.nodes[index];
    var cls = payload.classes[n.c];
    var dl = start(n.label, cls.label);
    if (n.iri) row(dl, "IRI", n.iri);
    n.a.forEach(function (pair) {
      if (pair[0] === "class_label") return;
      row(dl, G.key(pair[0]), pair[1]);
    });
    var around = G.adj[index];
    if (around.length) {
      details.appendChild(G.text("h3", ui.neighbours + " (" + around.length + ")"));
      var ul = document.createElement("ul");
      ul.className = "neighbours";
      around.slice(0, 200).forEach(function (link) {
        var e = payload.edges[link.edge];
        var kind = G.kinds[e.k];
        var relation = e.k === "link" && e.label ? e.label : (kind ? kind.label : e.k);
        var li = document.createElement("li");
        li.appendChild(G.button((link.out ? "→ " : "← ") + relation, function () { G.showEdge(link.edge); },
                                "link relation"));
        li.appendChild(document.createTextNode(" "));
        li.appendChild(nodeButton(link.other));
        ul.appendChild(li);
      });
      details.appendChild(ul);
    }
    details.appendChild(G.button(ui.show, function () { G.focusNode(index); }, "show"));
    document.body.setAttribute("data-details", "node:" + index);
  };

  G.showEdge = function (index) {
    var e = payload.edges[index];
    var kind = G.kinds[e.k];
    var arrow = kind && kind.arrow ? " → " : " — ";
    var dl = start(payload.nodes[e.from].label + arrow + payload.nodes[e.to].label, kind ? kind.label : e.k);
    dl.appendChild(G.text("dt", ui.from));
    var from = document.createElement("dd");
    from.appendChild(nodeButton(e.from));
    dl.appendChild(from);
    dl.appendChild(G.text("dt", ui.to));
    var to = document.createElement("dd");
    to.appendChild(nodeButton(e.to));
    dl.appendChild(to);
    if (e.label && G.attr(e, "services") === "") row(dl, G.key("label"), e.label);
    e.a.forEach(function (pair) {
      if (pair[0] === "kind") return;
      row(dl, G.key(pair[0]), pair[1]);
    });
    document.body.setAttribute("data-details", "edge:" + index);
  };

  G.showCell = function (row_index, col_index) {
    var m = payload.matrix;
    var rowNode = payload.nodes[m.rows[row_index]];
    var col = m.cols[col_index];
    var dl = start(rowNode.label + " → " + col.label, ui.services_in_cell.replace("{n}", String(m.counts[row_index][col_index])));
    row(dl, G.key("services"), m.items[row_index][col_index].join("; "));
    details.appendChild(G.text("p", m.note, "hint"));
    document.body.setAttribute("data-details", "cell:" + row_index + ":" + col_index);
  };

  G.showNone();
})(window.egovgraph);
