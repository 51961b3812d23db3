/* The graph explorer: the member's network drawn by Cytoscape.js on one canvas.
 *
 * The server sends compact JSON (explorer.py): nodes with precomputed positions grouped by
 * circle, edges as [source, target, weight] triples. Everything here works on Cytoscape
 * collections inside cy.batch(): no per-node DOM, so 5,000 contacts stay smooth. No layout runs in
 * the browser: positions come from the server (revere/network/layout.py: a spring layout per circle,
 * circles packed in rows).
 *
 * Circles are the communities of the member's contacts (revere.analytics.clusters.ego_circles), drawn
 * as labelled boxes (name, size, redundant or not) and listed beside the graph. Only LABELLED people
 * carry their name (the largest of each circle, then the next of each); the others show it on hover,
 * selection or search.
 */
(function () {
  "use strict";

  const CLASS_COLOURS = { market: "#2f7ed8", prospect: "#e8a33d", internal: "#6a4fc9", customer: "#2a9d6e", path: "#b42318" };
  const LABELLED = 15;
  // A large network's lines are drawn once zoomed in this far: at the overview 10,000+ lines are a
  // grey mat that costs seconds per frame to draw, and the circles already show who knows whom.
  const EDGE_LOD_NODES = 1500;
  const EDGE_LOD_ZOOM = 0.5;
  // The overview, a chosen circle and a search never zoom in past this: names (14 px) drawn at 17 px.
  const OVERVIEW_ZOOM = 1.2;

  function byId(id) { return document.getElementById(id); }

  // hidden: a large network's lines start hidden (class lod, see edgeDetail), styled once as they are made.
  // Lines between two circles are drawn fainter than lines inside one (class between).
  function edgeElements(edges, hidden, circleOf) {
    const lod = hidden ? " lod" : "";
    return edges.map(([a, b, w]) => ({
      group: "edges", data: { id: "e" + a + "-" + b, source: String(a), target: String(b), w: w },
      classes: (circleOf.get(a) === circleOf.get(b) && circleOf.get(a) != null ? "inside" : "between") + lod,
    }));
  }

  // Each circle is one plain background box behind its people (compound nodes' bounds cost too much
  // at 5,000 contacts, and nothing moves: the server placed everyone).
  function elementsFrom(data) {
    const els = [];
    const grouped = new Set(data.circles.filter((c) => c.grouped).map((c) => c.id));
    const boxes = new Map();
    for (const n of data.nodes) {
      const d = {
        id: String(n.id), name: n.name, cls: n.cls, band: n.band || "", company: n.company || "",
        company_id: n.company_id == null ? "" : String(n.company_id), industry: n.industry || "",
        strength: n.strength || 0, brokerage: n.brokerage || 0, circle: n.circle == null ? "" : "c" + n.circle,
      };
      if ((d.circle && grouped.has(n.circle)) || (!d.circle && n.cls !== "path")) {
        const b = boxes.get(d.circle) || { x0: Infinity, y0: Infinity, x1: -Infinity, y1: -Infinity };
        b.x0 = Math.min(b.x0, n.x); b.y0 = Math.min(b.y0, n.y); b.x1 = Math.max(b.x1, n.x); b.y1 = Math.max(b.y1, n.y);
        boxes.set(d.circle, b);
      }
      els.push({ group: "nodes", data: d, position: { x: n.x, y: n.y }, classes: "person cls-" + n.cls + (n.redundant ? " redundant-alter" : "") });
    }
    const alone = boxes.size === 1;
    for (const c of data.circles) {
      if (!c.grouped) continue;
      const id = "c" + c.id;
      const classes = "circle box" + (c.redundant ? " redundant" : "");
      const el = { group: "nodes", data: { id: id, label: c.label, redundant: c.redundant ? 1 : 0 }, classes: classes, selectable: false, grabbable: false };
      const b = boxes.get(id);
      // A title wraps at its box's width (neighbouring boxes are 70 px apart); a lone box has room.
      el.data.tw = b ? Math.max(alone ? 260 : 120, b.x1 - b.x0 + 30) : 160;
      if (b) {
        el.position = { x: (b.x0 + b.x1) / 2, y: (b.y0 + b.y1) / 2 };
        el.data.w = b.x1 - b.x0 + 30; el.data.h = b.y1 - b.y0 + 30;
      }
      els.unshift(el);
    }
    const loose = boxes.get("");
    if (loose) {  // the contacts linked to none of the others: one unshaded box, labelled
      const count = data.nodes.filter((x) => x.circle == null && x.cls !== "path").length;
      els.unshift({ group: "nodes", data: { id: "loose", label: count + (count === 1 ? " contact who knows" : " contacts who know") + " none of the others", w: loose.x1 - loose.x0 + 30, h: loose.y1 - loose.y0 + 30, tw: Math.max(boxes.size === 1 ? 260 : 160, loose.x1 - loose.x0 + 30) },
        position: { x: (loose.x0 + loose.x1) / 2, y: (loose.y0 + loose.y1) / 2 }, classes: "circle box loose", selectable: false, grabbable: false });
    }
    return els;
  }

  function style() {
    return [
      { selector: "node.person", style: {
        "background-color": "#888",
        "width": "mapData(strength, 0, 1, 8, 34)", "height": "mapData(strength, 0, 1, 8, 34)", "label": "", "font-size": 14,
        "text-valign": "bottom", "text-margin-y": 2, "color": "#1d2430",
        "text-background-color": "#ffffff", "text-background-opacity": 0.85, "text-background-padding": 1,
        "border-width": 0, "z-index-compare": "manual", "z-index": 10,
      } },
      ...Object.entries(CLASS_COLOURS).map(([cls, colour]) => ({ selector: "node.person.cls-" + cls, style: { "background-color": colour } })),
      { selector: "node.person.labelled, node.person.hover, node.person:selected, node.person.match, node.person.onpath", style: { "label": "data(name)", "z-index": 20 } },
      { selector: "node.person.hover", style: { "font-weight": "bold", "z-index": 30 } },
      { selector: "node.circle", style: {
        "background-color": "#f1f4f9", "background-opacity": 0.55, "border-width": 1, "border-color": "#c9d2e0",
        "label": "data(label)", "font-size": 20, "text-valign": "top", "text-halign": "center", "text-wrap": "wrap",
        "text-max-width": "data(tw)", "color": "#3d4756", "shape": "round-rectangle", "padding": 12, "text-margin-y": -4,
      } },
      { selector: "node.circle.loose", style: { "background-opacity": 0, "border-style": "dotted" } },
      { selector: "node.circle.chosen", style: { "border-width": 3, "border-color": "#14213d" } },
      { selector: "node.circle.box", style: { "width": "data(w)", "height": "data(h)", "events": "no", "z-index-compare": "manual", "z-index": 0, "padding": 0 } },
      { selector: "node.circle.redundant", style: { "background-color": "#9aa3b0", "background-opacity": 0.35, "border-style": "dashed", "border-color": "#7b8595" } },
      { selector: "node.redundant-alter", style: { "border-width": 1, "border-color": "#5d6878" } },
      { selector: "edge", style: { "width": 0.8, "line-color": "#9aa5b5", "opacity": 0.7, "curve-style": "haystack" } },
      { selector: "edge.between", style: { "opacity": 0.22 } },
      { selector: "node.person:selected", style: { "border-width": 3, "border-color": "#fca311" } },
      { selector: ".filtered", style: { "display": "none" } },
      { selector: "edge.lod", style: { "display": "none" } },
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
    labelLargest(cy, key);
    const legend = byId("legend-size");
    if (legend) legend.textContent = key === "brokerage" ? "brokerage" : "tie strength";
  }

  // Names on the LABELLED largest people shown (by the size measure); the rest on hover.
  function labelLargest(cy, key) {
    cy.batch(() => {
      const people = cy.nodes(".person");
      people.removeClass("labelled");
      // the largest of each circle first (circles largest first), then the next largest of each, ...
      const byCircle = new Map();
      people.not(".filtered").sort((a, b) => b.data(key) - a.data(key) || a.data("name").localeCompare(b.data("name")))
        .forEach((n) => { const c = n.data("circle") || "loose"; if (!byCircle.has(c)) byCircle.set(c, []); byCircle.get(c).push(n); });
      const queues = [...byCircle.values()].sort((a, b) => b.length - a.length);
      const chosen = [];
      for (let round = 0; chosen.length < LABELLED && queues.some((q) => q.length > round); round++) {
        for (const q of queues) { if (q.length > round && chosen.length < LABELLED) chosen.push(q[round]); }
      }
      cy.collection(chosen).addClass("labelled");
    });
  }

  // The circles beside the graph: one button each (name, size, redundant); a click frames the circle.
  function listCircles(cy, data) {
    const list = byId("graph-circles");
    if (!list) return;
    const shown = data.circles.filter((c) => c.grouped);
    byId("graph-circle-count").textContent = shown.length.toLocaleString();
    var word = byId("graph-circle-word");
    if (word) word.textContent = shown.length === 1 ? "circle" : "circles";
    const frag = document.createDocumentFragment();
    shown.slice(0, 40).forEach((c) => {
      const li = document.createElement("li");
      const btn = document.createElement("button");
      btn.type = "button"; btn.className = "circle-button" + (c.redundant ? " redundant" : "");
      btn.dataset.circle = "c" + c.id;
      const name = document.createElement("span"); name.className = "circle-name"; name.textContent = c.name;
      const meta = document.createElement("span"); meta.className = "circle-meta";
      meta.textContent = c.size + " contacts" + (c.redundant ? " · redundant" : "");
      btn.append(name, meta);
      li.appendChild(btn);
      frag.appendChild(li);
    });
    if (shown.length > 40) {
      const li = document.createElement("li"); li.className = "muted";
      li.textContent = (shown.length - 40) + " smaller circles are drawn but not listed.";
      frag.appendChild(li);
    }
    list.replaceChildren(frag);
    list.addEventListener("click", (evt) => {
      const btn = evt.target.closest("[data-circle]");
      if (!btn) return;
      const members = cy.nodes(".person").filter((n) => n.data("circle") === btn.dataset.circle);
      cy.nodes(".circle.chosen").removeClass("chosen");
      cy.getElementById(btn.dataset.circle).addClass("chosen");
      list.querySelectorAll("[aria-pressed]").forEach((b) => b.removeAttribute("aria-pressed"));
      btn.setAttribute("aria-pressed", "true");
      if (members.nonempty()) fitPeople(cy, members, 24, framedWith(cy, members, cy.getElementById(btn.dataset.circle)));
    });
  }

  // Fit the view to what is drawn: the people from their known positions (cy.fit() would measure
  // every node, slow at 5,000), widened by ``framed`` (a few elements: circle boxes, labelled people)
  // measured with their labels, so no name or circle title is cut off at the canvas's edge.
  // maxZoom: never zoom in past it (OVERVIEW_ZOOM by default): one or two contacts are drawn at a
  // reading size, not blown up to fill the canvas.
  function fitPeople(cy, nodes, padding, framed, maxZoom) {
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    nodes.forEach((n) => {
      const p = n.position(), r = 17;  // the largest node's radius
      x0 = Math.min(x0, p.x - r); y0 = Math.min(y0, p.y - r); x1 = Math.max(x1, p.x + r); y1 = Math.max(y1, p.y + r);
    });
    if (!isFinite(x0)) return;
    if (framed && framed.nonempty()) {
      const b = framed.boundingBox({ includeLabels: true, includeOverlays: false });
      if (isFinite(b.x1)) { x0 = Math.min(x0, b.x1); y0 = Math.min(y0, b.y1); x1 = Math.max(x1, b.x2); y1 = Math.max(y1, b.y2); }
    }
    const w = Math.max(cy.width() - 2 * padding, 1), h = Math.max(cy.height() - 2 * padding, 1);
    const zoom = Math.min(maxZoom || OVERVIEW_ZOOM, Math.max(cy.minZoom(), Math.min(w / Math.max(x1 - x0, 1), h / Math.max(y1 - y0, 1))));
    cy.viewport({ zoom: zoom, pan: { x: cy.width() / 2 - zoom * (x0 + x1) / 2, y: cy.height() / 2 - zoom * (y0 + y1) / 2 } });
  }

  // What a frame must show whole, labels included: the circles' boxes and the named people among ``nodes``.
  function framedWith(cy, nodes, circles) {
    return circles.not(".filtered").union(nodes.filter(".labelled, .match, .onpath, :selected"));
  }

  // Lines of a large network only from EDGE_LOD_ZOOM on, and always those on a highlighted path.
  function edgeDetail(cy) {
    const show = cy.nodes(".person").length <= EDGE_LOD_NODES || cy.zoom() >= EDGE_LOD_ZOOM;
    if (show === cy.scratch("edgesShown")) return;
    cy.scratch("edgesShown", show);
    cy.batch(() => { if (show) cy.edges(".lod").removeClass("lod"); else cy.edges().not(".onpath").addClass("lod"); });
    const note = byId("graph-edge-note");
    if (note) note.hidden = show;
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
      people.not(hide).forEach((n) => { if (n.data("cls") !== "path") shown.add(n.data("circle") || "loose"); });
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
      fitPeople(cy, hits, 40, hits);
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
    if (!ids || ids.length === 0) { cy.scratch("edgesShown", null); edgeDetail(cy); return; }
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
      onPath.edges().removeClass("lod");
    });
    if (onPath.nonempty()) fitPeople(cy, onPath.nodes(), 40, onPath.nodes());
  }

  function start(data) {
    const container = byId("graph-canvas");
    const n = data.nodes.length;
    const marks = { start: performance.now() };
    const cy = window.cytoscape({
      container: container,
      elements: elementsFrom(data),
      style: style(),
      layout: { name: "preset" },
      minZoom: 0.02, maxZoom: 4,
      textureOnViewport: n > 1500, hideEdgesOnViewport: n > 1500, pixelRatio: 1, motionBlur: false,
      boxSelectionEnabled: false,
    });
    window.revereGraph = cy;
    // Cytoscape creates a large network's edges several times faster when they are added to a
    // core that already holds the nodes than when they come in the core's initial elements.
    marks.nodes = performance.now();
    const circleOf = new Map(data.nodes.map((x) => [x.id, x.circle]));
    cy.batch(() => cy.add(edgeElements(data.edges, n > EDGE_LOD_NODES, circleOf)));
    cy.scratch("edgesShown", !(n > EDGE_LOD_NODES));
    marks.edges = performance.now();
    cy.scratch("maxBrokerage", data.nodes.reduce((m, x) => Math.max(m, x.brokerage || 0), 0));
    const form = byId("graph-filters");
    applySize(cy, form.elements["size_by"].value);
    applyFilters(cy, form);
    marks.styled = performance.now();
    const finish = () => {
      const people = cy.nodes(".person");
      fitPeople(cy, people, 16, framedWith(cy, people, cy.nodes(".circle")));
      edgeDetail(cy);
      if (data.path && data.path.length) highlightPath(cy, data.path);
      container.dataset.edges = "1";
      container.dataset.readyMs = String(Math.round(performance.now()));
      container.dataset.ready = "1";
      byId("graph-status").textContent = "";
      marks.finish = performance.now();
      requestAnimationFrame(() => requestAnimationFrame(() => {  // the second runs once the first frame is painted
        marks.frame = performance.now();
        container.dataset.drawnMs = String(Math.round(marks.frame));
        container.dataset.marks = JSON.stringify(Object.fromEntries(Object.entries(marks).map(([k, v]) => [k, Math.round(v)])));
      }));
    };
    finish();
    if (n > EDGE_LOD_NODES) {
      let pending = false;
      cy.on("zoom", () => {
        if (pending) return;
        pending = true;
        requestAnimationFrame(() => { pending = false; edgeDetail(cy); });
      });
    }
    cy.on("tap", "node.person", (evt) => openCard(cy, evt.target));
    cy.on("mouseover", "node.person", (evt) => evt.target.addClass("hover"));
    cy.on("mouseout", "node.person", (evt) => evt.target.removeClass("hover"));
    listCircles(cy, data);
    form.addEventListener("change", (evt) => {
      if (evt.target.name === "size_by") applySize(cy, evt.target.value);
      else { applyFilters(cy, form); labelLargest(cy, form.elements["size_by"].value === "brokerage" ? "brokerage" : "strength"); }
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
