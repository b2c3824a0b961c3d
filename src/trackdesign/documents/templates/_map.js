/* Prerequisite maps: pan and zoom, and what a course requires and unlocks. The map is a static
   SVG that reads without this script; the script only adds to it. */
(function () {
  "use strict";
  var MIN = 0.25, MAX = 3;
  Array.prototype.forEach.call(document.querySelectorAll("figure.map"), function (figure) {
    var view = figure.querySelector(".map-view"), svg = view && view.querySelector("svg");
    if (!svg) { return; }
    var box = svg.viewBox.baseVal, scale = 1;
    var into = {}, outOf = {}, items = {};
    Array.prototype.forEach.call(svg.querySelectorAll("path.edge"), function (edge) {
      var from = edge.getAttribute("data-from"), to = edge.getAttribute("data-to");
      (into[to] = into[to] || []).push([from, edge]);
      (outOf[from] = outOf[from] || []).push([to, edge]);
    });
    Array.prototype.forEach.call(svg.querySelectorAll("g.node, g.group"), function (item) {
      items[item.getAttribute("data-id")] = item;
    });
    var marked = [];
    function mark(element, name) { element.classList.add(name); marked.push([element, name]); }
    function walk(start, links, name) {
      var seen = {}, todo = [start];
      seen[start] = true;
      while (todo.length) {
        (links[todo.pop()] || []).forEach(function (link) {
          mark(link[1], name);
          if (!seen[link[0]]) {
            seen[link[0]] = true;
            todo.push(link[0]);
            if (items[link[0]]) { mark(items[link[0]], name); }
          }
        });
      }
    }
    function clear() {
      marked.forEach(function (m) { m[0].classList.remove(m[1]); });
      marked = [];
      view.classList.remove("focusing");
    }
    function show(id) {
      clear();
      view.classList.add("focusing");
      mark(items[id], "hl-self");
      walk(id, into, "hl-req");
      walk(id, outOf, "hl-unl");
    }
    Array.prototype.forEach.call(svg.querySelectorAll("g.node"), function (node) {
      var id = node.getAttribute("data-id");
      node.addEventListener("mouseenter", function () { show(id); });
      node.addEventListener("focus", function () { show(id); });
      node.addEventListener("mouseleave", clear);
      node.addEventListener("blur", clear);
    });
    function zoom(next, cx, cy) {
      next = Math.min(MAX, Math.max(MIN, next));
      var rect = view.getBoundingClientRect();
      cx = cx === undefined ? rect.width / 2 : cx;
      cy = cy === undefined ? rect.height / 2 : cy;
      var x = (view.scrollLeft + cx) / scale, y = (view.scrollTop + cy) / scale;
      scale = next;
      svg.setAttribute("width", String(box.width * scale));
      svg.setAttribute("height", String(box.height * scale));
      view.scrollLeft = x * scale - cx;
      view.scrollTop = y * scale - cy;
    }
    var tools = figure.querySelector(".map-tools");
    if (tools) {
      tools.hidden = false;
      tools.addEventListener("click", function (event) {
        var what = event.target.getAttribute("data-zoom");
        if (what) { zoom(what === "in" ? scale * 1.25 : what === "out" ? scale / 1.25 : 1); }
      });
    }
    view.addEventListener("wheel", function (event) {
      if (!event.ctrlKey) { return; }
      event.preventDefault();
      var rect = view.getBoundingClientRect();
      zoom(scale * (event.deltaY < 0 ? 1.1 : 1 / 1.1), event.clientX - rect.left, event.clientY - rect.top);
    }, { passive: false });
    var drag = null;
    view.addEventListener("pointerdown", function (event) {
      if (event.button !== 0) { return; }
      drag = { x: event.clientX, y: event.clientY, left: view.scrollLeft, top: view.scrollTop };
      view.classList.add("dragging");
    });
    window.addEventListener("pointermove", function (event) {
      if (!drag) { return; }
      view.scrollLeft = drag.left - (event.clientX - drag.x);
      view.scrollTop = drag.top - (event.clientY - drag.y);
    });
    window.addEventListener("pointerup", function () { drag = null; view.classList.remove("dragging"); });
    view.addEventListener("keydown", function (event) {
      if (event.key === "+" || event.key === "=") { zoom(scale * 1.25); event.preventDefault(); }
      else if (event.key === "-") { zoom(scale / 1.25); event.preventDefault(); }
      else if (event.key === "0") { zoom(1); event.preventDefault(); }
    });
  });
}());
