/* The graph page's drawing (search/ui/routes/graph.py): cytoscape.js over the page's own tables.
   Loaded by every page (base.html), it does nothing unless the page has #graph-canvas; then it
   loads cytoscape from /static/vendor, reads the nodes and edges from the tables' data-
   attributes (the tables stay: they are what keyboard and screen-reader users get), and draws
   them. Clicking an entity fetches GET /api/v1/graph for it (the session cookie; the API's scope
   and audit) and merges what comes back; clicking a link lists the documents behind it. No
   inline script or style: the Content-Security-Policy allows neither. */
(function () {
  "use strict";
  var KINDS = {person: "#1f5fa8", org: "#8a4b08", phone: "#2e7d32", email: "#6a1b9a", place: "#ad1457"};

  function rows(selector) { return Array.prototype.slice.call(document.querySelectorAll(selector)); }
  function key(a, b) { return a < b ? a + "|" + b : b + "|" + a; }
  function el(tag, text, attrs) {
    var node = document.createElement(tag);
    if (text) { node.textContent = text; }
    Object.keys(attrs || {}).forEach(function (name) { node.setAttribute(name, attrs[name]); });
    return node;
  }
  function entityHref(d) { return "/entities?" + new URLSearchParams({label: d.label, value: d.value}); }
  function graphHref(d) { return "/graph?" + new URLSearchParams({label: d.label, value: d.value}); }
  function searchHref(a, b) {
    return "/search?" + new URLSearchParams([["q", ""], ["mode", "keyword"], ["entity", a.label + ":" + a.value],
                                            ["entity", b.label + ":" + b.value]]);
  }

  function nodeData(n) {
    return {group: "nodes", data: {id: n.id, label: n.label, value: n.value, documents: n.documents,
                                   seed: !!n.seed, color: KINDS[n.label] || "#455a64"}};
  }
  function edgeData(e, search) {
    return {group: "edges", data: {id: key(e.source, e.target), source: e.source, target: e.target,
                                   weight: e.weight, documents: e.documents || [], search: search}};
  }
  function fromTables() {
    var out = rows("#graph-nodes tr[data-node]").map(function (r) {
      return nodeData({id: r.dataset.node, label: r.dataset.label, value: r.dataset.value,
                       documents: +r.dataset.documents, seed: r.dataset.seed === "1"});
    });
    return out.concat(rows("#graph-edges tr[data-source]").map(function (r) {
      var docs = Array.prototype.map.call(r.querySelectorAll("a[data-doc]"), function (a) { return a.dataset.doc; });
      return edgeData({source: r.dataset.source, target: r.dataset.target, weight: +r.dataset.weight,
                       documents: docs}, r.dataset.search);
    }));
  }

  function panel(title, lines) {
    var body = document.getElementById("graph-panel-body");
    body.replaceChildren(el("h3", title));
    lines.forEach(function (line) { body.appendChild(line); });
  }
  function linkItem(text, href) { var li = el("li"); li.appendChild(el("a", text, {href: href})); return li; }

  function showEdge(edge) {
    var d = edge.data(), a = edge.source().data(), b = edge.target().data(), list = el("ul", "", {"class": "edge-docs"});
    d.documents.forEach(function (id) { list.appendChild(linkItem(id, "/documents/" + encodeURIComponent(id))); });
    list.appendChild(linkItem("all " + d.weight + " on the search page", d.search || searchHref(a, b)));
    panel(a.value + " and " + b.value, [el("p", d.weight + " document" + (d.weight === 1 ? "" : "s") +
                                           " mention both:"), list]);
  }

  function expand(cy, node) {
    var d = node.data(), status = el("p", "Adding the links of " + d.value + "…", {id: "graph-status"});
    var links = el("ul");
    links.appendChild(linkItem("the page of " + d.value, entityHref(d)));
    links.appendChild(linkItem("the graph of " + d.value + " alone", graphHref(d)));
    panel(d.value + " (" + d.label + ", " + d.documents + " documents)", [status, links]);
    var query = new URLSearchParams({label: d.label, value: d.value, max_nodes: "15", max_edges: "60"});
    fetch("/api/v1/graph?" + query, {credentials: "same-origin", headers: {Accept: "application/json"}})
      .then(function (r) { if (!r.ok) { throw new Error("the server answered " + r.status); } return r.json(); })
      .then(function (g) {
        var before = cy.elements().length, known = {};
        g.nodes.forEach(function (n) { known[n.id] = n; if (cy.getElementById(n.id).empty()) { cy.add(nodeData(n)); } });
        g.edges.forEach(function (e) {
          if (cy.getElementById(key(e.source, e.target)).empty()) {
            cy.add(edgeData(e, searchHref(known[e.source], known[e.target])));
          }
        });
        var added = cy.elements().length - before;
        cy.layout(LAYOUT).run();
        status.textContent = added ? "Added " + added + " entities and links around " + d.value + "." :
          "Nothing new around " + d.value + ".";
        node.addClass("expanded");
      })
      .catch(function (e) { status.textContent = "Could not add its links: " + e.message; });
  }

  /* Labels count as part of a node's size, and nodes push each other further apart than cose's
     defaults, so names do not sit on top of each other. */
  var LAYOUT = {name: "cose", animate: false, nodeDimensionsIncludeLabels: true, nodeRepulsion: function () { return 900000; },
                idealEdgeLength: function () { return 90; }, nodeOverlap: 40, padding: 24, randomize: false};

  function draw(box) {
    /* cytoscape adds a <style> (position: relative) unless this id exists: the policy would block it,
       and clew.css gives .graph-canvas that rule. */
    if (!document.getElementById("__________cytoscape_stylesheet")) {
      document.head.appendChild(el("meta", "", {id: "__________cytoscape_stylesheet"}));
    }
    var cy = window.cytoscape({
      container: box, elements: fromTables(), wheelSensitivity: 0.3,
      layout: LAYOUT,
      style: [
        {selector: "node", style: {"background-color": "data(color)", label: "data(value)", "font-size": 11,
                                   width: "mapData(documents, 1, 20, 16, 48)", height: "mapData(documents, 1, 20, 16, 48)",
                                   color: "#1b1b1b", "text-valign": "bottom", "text-margin-y": 3,
                                   "text-wrap": "ellipsis", "text-max-width": "140px", "text-background-color": "#ffffff",
                                   "text-background-opacity": 0.85, "text-background-padding": "1px"}},
        {selector: "node[?seed], node.expanded", style: {"border-width": 3, "border-color": "#1b1b1b"}},
        {selector: "edge", style: {width: "mapData(weight, 1, 10, 1, 8)", "line-color": "#8c9aa8", "curve-style": "haystack"}},
        {selector: ":selected", style: {"line-color": "#d84315", "background-color": "#d84315"}}
      ]
    });
    cy.on("tap", "node", function (evt) { expand(cy, evt.target); });
    cy.on("tap", "edge", function (evt) { showEdge(evt.target); });
    window.clewGraph = cy;  /* for the browser tests */
  }

  function init() {
    var box = document.getElementById("graph-canvas");
    if (!box || box.dataset.ready) { return; }
    box.dataset.ready = "1";
    var start = function () { document.getElementById("graph-tools").hidden = false; draw(box); };
    if (window.cytoscape) { start(); return; }
    var s = el("script", "", {src: "/static/vendor/cytoscape.min.js"});
    s.addEventListener("load", start);
    document.head.appendChild(s);
  }
  document.addEventListener("DOMContentLoaded", init);
  document.addEventListener("htmx:load", init);
}());
