/* The graph explorer: the member's network drawn by Cytoscape.js on one canvas.
 *
 * The server sends compact JSON (explorer.py): nodes with precomputed positions grouped by
 * circle, edges as [source, target, weight] triples. Everything here works on Cytoscape
 * collections inside cy.batch(): no per-node DOM, so 5,000 contacts stay smooth. A layout runs
 * in the browser only for small networks (fcose, refining the server's positions).
 */
(function () {
  "use strict";

  const CLASS_COLOURS = { market: "#2f7ed8", prospect: "#e8a33d", internal: "#6a4fc9", customer: "#2a9d6e", path: "#b42318" };
  const BROWSER_LAYOUT_MAX = 600;

  function byId(id) { return document.getElementById(id); }

  function edgeElements(edges) {
    return edges.map(([a, b, w]) => ({ group: "edges", data: { id: "e" + a + "-" + b, source: String(a), target: String(b), w: w } }));
  }

  // Small networks group each circle as a compound node (fcose lays them out); large ones draw each
  // circle as one plain background box behind its people: compound bounds cost too much at 5,000.
  function elementsFrom(data, compound) {
    const els = [];
    const grouped = new Set(data.circles.filter((c) => c.grouped).map((c) => c.id));
    const boxes = new Map();
    for (const n of data.nodes) {
      const d = {
        id: String(n.id), name: n.name, cls: n.cls, band: n.band || "", company: n.company || "",
        company_id: n.company_id == null ? "" : String(n.company_id), industry: n.industry || "",
        strength: n.strength || 0, brokerage: n.brokerage || 0, circle: n.circle == null ? "" : "c" + n.circle,
      };
      if (d.circle && grouped.has(n.circle)) {
        if (compound) d.parent = d.circle;
        const b = boxes.get(d.circle) || { x0: Infinity, y0: Infinity, x1: -Infinity, y1: -Infinity };
        b.x0 = Math.min(b.x0, n.x); b.y0 = Math.min(b.y0, n.y); b.x1 = Math.max(b.x1, n.x); b.y1 = Math.max(b.y1, n.y);
        boxes.set(d.circle, b);
      }
      els.push({ group: "nodes", data: d, position: { x: n.x, y: n.y }, classes: "person" + (n.redundant ? " redundant-alter" : "") });
    }
    for (const c of data.circles) {
      if (!c.grouped) continue;
      const id = "c" + c.id;
      const classes = "circle" + (c.redundant ? " redundant" : "") + (compound ? "" : " box");
      const el = { group: "nodes", data: { id: id, label: c.label, redundant: c.redundant ? 1 : 0 }, classes: classes, selectable: false, grabbable: false };
      const b = boxes.get(id);
      if (!compound && b) {
        el.position = { x: (b.x0 + b.x1) / 2, y: (b.y0 + b.y1) / 2 };
        el.data.w = b.x1 - b.x0 + 30; el.data.h = b.y1 - b.y0 + 30;
      }
      els.unshift(el);
    }
    return compound ? els.concat(edgeElements(data.edges)) : els;
  }

  function style() {
    return [
      { selector: "node.person", style: {
        "background-color": (n) => CLASS_COLOURS[n.data("cls")] || "#888",
        "width": "mapData(strength, 0, 1, 8, 34)", "height": "mapData(strength, 0, 1, 8, 34)", "label": "data(name)", "font-size": 9,
        "min-zoomed-font-size": 8, "text-valign": "bottom", "text-margin-y": 2, "color": "#1d2430",
        "border-width": 0, "z-index-compare": "manual", "z-index": 10,
      } },
      { selector: "node.circle", style: {
        "background-color": "#f1f4f9", "background-opacity": 0.55, "border-width": 1, "border-color": "#c9d2e0",
        "label": "data(label)", "font-size": 11, "text-valign": "top", "color": "#5d6878", "shape": "round-rectangle",
        "padding": 12, "min-zoomed-font-size": 6,
      } },
      { selector: "node.circle.box", style: { "width": "data(w)", "height": "data(h)", "events": "no", "z-index-compare": "manual", "z-index": 0, "padding": 0 } },
      { selector: "node.circle.redundant", style: { "background-color": "#9aa3b0", "background-opacity": 0.35, "border-style": "dashed", "border-color": "#7b8595" } },
      { selector: "node.redundant-alter", style: { "border-width": 1, "border-color": "#5d6878" } },
      { selector: "edge", style: { "width": 0.6, "line-color": "#b9c2cf", "opacity": 0.6, "curve-style": "haystack" } },
      { selector: "node.person:selected", style: { "border-width": 3, "border-color": "#fca311" } },
      { selector: ".filtered", style: { "display": "none" } },
      { selector: ".faded", style: { "opacity": 0.12 } },
      { selector: "node.match", style: { "border-width": 3, "border-color": "#14213d" } },
      { selector: "node.onpath", style: { "border-width": 4, "border-color": "#b42318", "z-index": 10, "font-size": 12, "font-weight": "bold" } },
      { selector: "edge.onpath", style: { "width": 4, "line-color": "#b42318", "opacity": 1, "z-index": 10 } },
    ];
  }

  // Size through one stylesheet mapper (no per-node writes): strength is in [0, 1], brokerage in [0, max].
  function applySize(cy, mode) {
    const key = mode === "brokerage" ? "brokerage" : "strength";
    const max = key === "strength" ? 1 : Math.max(1e-9, cy.scratch("maxBrokerage") || 0);
    const map = "mapData(" + key + ", 0, " + max + ", 8, 34)";
    cy.style().selector("node.person").style({ width: map, height: map }).update();
  }

  // Fit the view to the people from their known positions: cy.fit() would measure every label.
  function fitPeople(cy, nodes, padding) {
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    nodes.forEach((n) => { const p = n.position(); x0 = Math.min(x0, p.x); y0 = Math.min(y0, p.y); x1 = Math.max(x1, p.x); y1 = Math.max(y1, p.y); });
    if (!isFinite(x0)) return;
    const w = cy.width() - 2 * padding, h = cy.height() - 2 * padding;
    const zoom = Math.min(cy.maxZoom(), Math.max(cy.minZoom(), Math.min(w / Math.max(x1 - x0, 1), h / Math.max(y1 - y0, 1))));
    cy.viewport({ zoom: zoom, pan: { x: cy.width() / 2 - zoom * (x0 + x1) / 2, y: cy.height() / 2 - zoom * (y0 + y1) / 2 } });
  }

  function currentFilters(form) {
    const fd = new FormData(form);
    return {
      classes: new Set(fd.getAll("cls")),
      bands: new Set(fd.getAll("band")),
      company: fd.get("company") || "",
      industry: fd.get("industry") || "",
    };
  }

  function applyFilters(cy, form) {
    const f = currentFilters(form);
    cy.batch(() => {
      const people = cy.nodes(".person");
      const hide = people.filter((n) =>
        (n.data("cls") !== "path" && !f.classes.has(n.data("cls"))) ||
        (n.data("band") && !f.bands.has(n.data("band"))) ||
        (f.company && n.data("company_id") !== f.company) ||
        (f.industry && n.data("industry") !== f.industry));
      people.not(hide).removeClass("filtered");
      hide.addClass("filtered");
      const shown = new Set();
      people.not(hide).forEach((n) => { if (n.data("circle")) shown.add(n.data("circle")); });
      cy.nodes(".circle").forEach((c) => {
        if (shown.has(c.id())) c.removeClass("filtered"); else c.addClass("filtered");
      });
    });
    const shown = cy.nodes(".person").not(".filtered").length;
    byId("graph-shown").textContent = shown.toLocaleString();
  }

  function search(cy, q) {
    cy.nodes(".match").removeClass("match");
    q = q.trim().toLowerCase();
    const out = byId("graph-search-result");
    if (!q) { out.textContent = ""; return; }
    const hits = cy.nodes(".person").not(".filtered").filter((n) => n.data("name").toLowerCase().includes(q));
    hits.addClass("match");
    out.textContent = hits.length + (hits.length === 1 ? " match" : " matches");
    if (hits.length) {
      fitPeople(cy, hits, 80);
      if (hits.length === 1) cy.zoom({ level: Math.min(cy.zoom(), 1.5), position: hits[0].position() });
      if (hits.length === 1) openCard(cy, hits[0]);
    }
  }

  function openCard(cy, node) {
    cy.nodes(":selected").unselect();
    node.select();
    const tmpl = byId("graph").dataset.cardUrl;
    const url = tmpl.replace("/0/", "/" + node.id() + "/");
    window.htmx.ajax("GET", url, { target: "#graph-card", swap: "innerHTML" });
  }

  function highlightPath(cy, ids) {
    cy.elements().removeClass("onpath faded");
    if (!ids || ids.length === 0) return;
    const onPath = cy.collection();
    for (let i = 0; i < ids.length; i++) {
      const n = cy.getElementById(String(ids[i]));
      if (n.nonempty()) onPath.merge(n);
      if (i > 0) {
        const a = String(ids[i - 1]), b = String(ids[i]);
        const e = cy.getElementById("e" + a + "-" + b).union(cy.getElementById("e" + b + "-" + a));
        onPath.merge(e);
      }
    }
    cy.batch(() => {
      cy.elements(".person, edge").not(onPath).addClass("faded");
      onPath.addClass("onpath");
    });
    if (onPath.nonempty()) fitPeople(cy, onPath.nodes(), 120);
  }

  function start(data) {
    const container = byId("graph-canvas");
    const n = data.nodes.length;
    const small = n <= BROWSER_LAYOUT_MAX;
    if (window.cytoscapeFcose && !start.registered) { window.cytoscape.use(window.cytoscapeFcose); start.registered = true; }
    const cy = window.cytoscape({
      container: container,
      elements: elementsFrom(data, small),
      style: style(),
      layout: { name: "preset" },
      minZoom: 0.02, maxZoom: 4,
      textureOnViewport: n > 1500, hideEdgesOnViewport: n > 1500, pixelRatio: 1, motionBlur: false,
      boxSelectionEnabled: false,
    });
    window.revereGraph = cy;
    // Cytoscape creates a large network's edges several times faster when they are added to a
    // core that already holds the nodes than when they come in the core's initial elements.
    if (!small) cy.batch(() => cy.add(edgeElements(data.edges)));
    cy.scratch("maxBrokerage", data.nodes.reduce((m, x) => Math.max(m, x.brokerage || 0), 0));
    let layoutRan = false;
    const form = byId("graph-filters");
    applySize(cy, form.elements["size_by"].value);
    applyFilters(cy, form);
    const finish = () => {
      if (layoutRan) cy.fit(undefined, 30); else fitPeople(cy, cy.nodes(".person"), 30);
      if (data.path && data.path.length) highlightPath(cy, data.path);
      container.dataset.edges = "1";
      container.dataset.readyMs = String(Math.round(performance.now()));
      container.dataset.ready = "1";
      byId("graph-status").textContent = "";
      requestAnimationFrame(() => { container.dataset.drawnMs = String(Math.round(performance.now())); });
    };
    if (n > 1 && n <= BROWSER_LAYOUT_MAX && start.registered) {
      const layout = cy.layout({ name: "fcose", quality: "default", randomize: false, animate: false, nodeRepulsion: 6000, idealEdgeLength: 60, packComponents: true });
      layoutRan = true;
      layout.one("layoutstop", finish);
      layout.run();
    } else {
      finish();
    }

    cy.on("tap", "node.person", (evt) => openCard(cy, evt.target));
    form.addEventListener("change", (evt) => {
      if (evt.target.name === "size_by") applySize(cy, evt.target.value);
      else applyFilters(cy, form);
    });
    form.addEventListener("submit", (evt) => { evt.preventDefault(); search(cy, byId("graph-search").value); });
    byId("graph-clear-path").addEventListener("click", () => { highlightPath(cy, []); byId("graph-path-note").textContent = ""; });
    document.body.addEventListener("revere:highlight-path", (evt) => highlightPath(cy, evt.detail.ids));
    document.body.addEventListener("click", (evt) => {
      const btn = evt.target.closest("[data-path]");
      if (btn) {
        const ids = btn.dataset.path.split(",").filter(Boolean);
        const missing = ids.filter((id) => cy.getElementById(id).empty()).length;
        highlightPath(cy, ids);
        byId("graph-path-note").textContent = missing ? missing + " person(s) on this path are outside your network and not drawn." : "";
      }
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    const el = byId("graph");
    byId("graph-status").textContent = "Loading your network…";
    fetch(el.dataset.src, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then((r) => { if (!r.ok) throw new Error(r.status + " " + r.statusText); return r.json(); })
      .then((data) => {
        el.dataset.loadedMs = String(Math.round(performance.now()));
        byId("graph-total").textContent = data.nodes.length.toLocaleString();
        start(data);
      })
      .catch((err) => { byId("graph-status").textContent = "Could not load the graph: " + err.message; });
  });
})();
