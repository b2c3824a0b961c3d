"""The prerequisite map as SVG: rows chosen here, positions and edge routes from Graphviz's dot.

We decide only what Graphviz has no word for: which row a course sits in. A staged track gets one
band per stage, in order; within a band courses are layered by prerequisites (a prerequisite
above the courses needing it), and a layer wider than a few boxes wraps onto more rows, so the
map grows down the page instead of into one unreadable row. Graphviz's dot (through pygraphviz,
whose wheel bundles the Graphviz libraries) then orders each row, places the boxes and routes
the edges around boxes they do not touch. Boxes have a fixed size and we draw the text ourselves,
so the drawing does not depend on the fonts Graphviz finds. Output is deterministic.
"""

from __future__ import annotations

import html
import math
import textwrap
from dataclasses import dataclass

from trackdesign.documents.maps import COLOURS, COREQUISITE, CYCLE, EDGE, REDUNDANT, PrereqMap, _drawn_edges, cycle_text

BOX_W, LINE_H, PAD, WRAP, FONT = 190, 16, 9, 26, 13
GROUP_W, GROUP_H = 48, 20
TITLE_H = 24
MARGIN = 12
NODESEP, RANKSEP = 0.3, 0.5  # inches, as Graphviz takes them (72 points each; a point is one SVG unit)
SANS = "Helvetica, Arial, sans-serif"


def row_width(count: int) -> int:
    """Boxes per row: four fit a page; a large map grows wider too, about as fast as it grows long
    (each extra row lengthens every edge that crosses it, and such edges widen every row)."""
    return max(4, math.ceil(math.sqrt(count)) - 2)


def _key(node):
    return (node.number if node.number is not None else 10**9, node.label, node.id)


def back_edges(pmap: PrereqMap) -> set[int]:
    """Indexes of the edges a depth-first walk in track order finds closing a cycle."""
    order = sorted(pmap.nodes, key=_key)
    rank = {node.id: k for k, node in enumerate(order)}
    out: dict[str, list[tuple[int, str]]] = {}
    for k, edge in enumerate(pmap.edges):
        out.setdefault(edge.source, []).append((k, edge.target))
    for targets in out.values():
        targets.sort(key=lambda kt: rank.get(kt[1], 0))
    state: dict[str, int] = {}  # 1 on the walk's stack, 2 done
    back: set[int] = set()
    for node in order:
        if node.id in state:
            continue
        state[node.id] = 1
        stack = [(node.id, iter(out.get(node.id, ())))]
        while stack:
            current, successors = stack[-1]
            for k, target in successors:
                if state.get(target) == 1:
                    back.add(k)
                elif target not in state:
                    state[target] = 1
                    stack.append((target, iter(out.get(target, ()))))
                    break
            else:
                state[current] = 2
                stack.pop()
    return back


def rows(pmap: PrereqMap) -> tuple[list[list[str]], list[tuple[str, int, int]]]:
    """(rows of node ids, top to bottom; bands as (title, first row, last row) for a staged track)."""
    nodes = {node.id: node for node in pmap.nodes}
    staged = bool(pmap.stages)
    band = {n.id: (n.stage + 1 if n.stage is not None else 0) if staged else 0 for n in pmap.nodes}
    back = back_edges(pmap)
    preds: dict[str, list[str]] = {}
    for k, edge in enumerate(pmap.edges):
        if k not in back and band[edge.source] == band[edge.target]:
            preds.setdefault(edge.target, []).append(edge.source)
    layer: dict[str, int] = {}

    def depth(cid):  # longest path from a source, iteratively (the graph without back edges is acyclic)
        stack = [cid]
        while stack:
            top = stack[-1]
            missing = [p for p in preds.get(top, ()) if p not in layer]
            if missing:
                stack.extend(missing)
                continue
            stack.pop()
            layer[top] = 1 + max((layer[p] for p in preds.get(top, ())), default=-1)
        return layer[cid]

    width = row_width(len(pmap.nodes))
    result: list[list[str]] = []
    bands = []
    titles = ["Before the track", *pmap.stages] if staged else [""]
    for b, title in enumerate(titles):
        members = sorted((n for n in pmap.nodes if band[n.id] == b), key=_key)
        if not members:
            continue
        first = len(result)
        layers: dict[int, list[str]] = {}
        for node in members:
            layers.setdefault(depth(node.id), []).append(node.id)
        for level in sorted(layers):
            ids = sorted(layers[level], key=lambda cid: _key(nodes[cid]))
            result += [ids[i:i + width] for i in range(0, len(ids), width)]
        bands.append((title, first, len(result) - 1))
    return result, (bands if staged else [])


@dataclass
class Placed:
    x: float  # left
    y: float  # top
    w: float
    h: float


def _wrapped(pmap: PrereqMap) -> dict[str, list[str]]:
    return {node.id: textwrap.wrap(node.label, WRAP) or [""] for node in pmap.nodes}


def _title_width(title: str) -> float:
    return len(title) * FONT * 0.62 + 16


def layout(pmap: PrereqMap):
    """Boxes, band title boxes, junctions and edge paths in SVG coordinates, plus the drawing's size."""
    import pygraphviz

    lines = _wrapped(pmap)
    row_list, bands = rows(pmap)
    graph = pygraphviz.AGraph(directed=True, strict=False)
    graph.graph_attr.update(rankdir="TB", newrank="true", nodesep=str(NODESEP), ranksep=str(RANKSEP),
                            splines="true")
    graph.node_attr.update(shape="box", fixedsize="true", label="")
    graph.edge_attr.update(arrowsize="0.7")

    def inches(px):
        return f"{px / 72:.4f}"

    sizes: dict[str, tuple[float, float]] = {}
    for node in pmap.nodes:
        sizes[node.id] = (BOX_W, len(lines[node.id]) * LINE_H + 2 * PAD)
    for group in pmap.groups:
        sizes[group.id] = (GROUP_W, GROUP_H)
    band_title = {}
    for b, (title, first, _) in enumerate(bands):
        band_title[first] = f"band {b}"
        sizes[f"band {b}"] = (_title_width(title), TITLE_H)
    for name, (w, h) in sizes.items():
        graph.add_node(name, width=inches(w), height=inches(h))
    # a chain of invisible anchors, one per row, holds the rows in our order; a band's title has a row of its own
    anchors = []
    for r, row in enumerate(row_list):
        if r in band_title:
            anchors.append([band_title[r]])
        anchors.append(row)
    for r, members in enumerate(anchors):
        anchor = f"row {r}"
        graph.add_node(anchor, shape="point", width="0.01", height="0.01", style="invis")
        graph.add_subgraph([anchor, *members], rank="same")
        if r:
            graph.add_edge(f"row {r - 1}", anchor, style="invis", weight="0")
    row_of = {cid: r for r, members in enumerate(anchors) for cid in members}
    drawn = list(_drawn_edges(pmap))
    for k, (source, target, _) in enumerate(drawn):
        upward = source in row_of and target in row_of and row_of[target] <= row_of[source]
        graph.add_edge(source, target, key=str(k), constraint="false" if upward else "true")
    graph.layout(prog="dot")
    llx, lly, urx, ury = (float(v) for v in graph.graph_attr["bb"].split(","))

    def point(text):
        x, y = (float(v) for v in text.split(","))
        return x - llx + MARGIN, ury - y + MARGIN

    placed = {}
    for name, (w, h) in sizes.items():
        cx, cy = point(graph.get_node(name).attr["pos"])
        placed[name] = Placed(cx - w / 2, cy - h / 2, w, h)
    paths = {}
    for k, (source, target, _) in enumerate(drawn):
        paths[k] = _spline(graph.get_edge(source, target, str(k)).attr["pos"], point)
    width, height = urx - llx + 2 * MARGIN, ury - lly + 2 * MARGIN
    band_boxes = []
    for b, (title, first, last) in enumerate(bands):
        top = placed[f"band {b}"].y - 6
        bottom = max(placed[cid].y + placed[cid].h for cid in row_list[last]) + 10
        band_boxes.append((title, top, bottom, placed[f"band {b}"]))
    for b in range(len(band_boxes) - 1):  # neighbouring bands meet halfway between them
        title, top, bottom, label = band_boxes[b]
        middle = (bottom + band_boxes[b + 1][1]) / 2
        band_boxes[b] = (title, top, middle, label)
        band_boxes[b + 1] = (band_boxes[b + 1][0], middle, band_boxes[b + 1][2], band_boxes[b + 1][3])
    return placed, lines, paths, band_boxes, drawn, (width, height)


def _spline(pos: str, point) -> str:
    """SVG path data of a Graphviz edge: its cubic B-splines (several where edges are merged), each
    followed by a line to its arrow's tip."""
    d = []
    for piece in pos.split(";"):
        tip, points = None, []
        for token in piece.split():
            if token.startswith("e,"):
                tip = point(token[2:])
            elif not token.startswith("s,"):
                points.append(point(token))
        if not points:
            continue
        d.append(f"M{points[0][0]:.1f},{points[0][1]:.1f}")
        for i in range(1, len(points) - 2, 3):
            (x1, y1), (x2, y2), (x3, y3) = points[i:i + 3]
            d.append(f"C{x1:.1f},{y1:.1f} {x2:.1f},{y2:.1f} {x3:.1f},{y3:.1f}")
        if tip:
            d.append(f"L{tip[0]:.1f},{tip[1]:.1f}")
    return " ".join(d)


EDGE_STYLE = {"plain": (EDGE, "1.4", "", "arrow"),
              "redundant": (REDUNDANT, "1.6", ' stroke-dasharray="6 4"', "arrow-redundant"),
              "cycle": (CYCLE, "2.4", "", "arrow-cycle"),
              "corequisite": (COREQUISITE, "1.6", ' stroke-dasharray="2 3"', "arrow-corequisite")}


def _marker(name: str, colour: str) -> str:
    return (f'<marker id="{name}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7"'
            f' markerUnits="userSpaceOnUse" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="{colour}"/></marker>')


def draw(pmap: PrereqMap) -> str:
    """The map as one SVG element at its natural size (a page scrolls it rather than shrinking it)."""
    esc = html.escape
    placed, lines, paths, bands, drawn, (width, height) = layout(pmap)
    names = {node.id: node.label for node in pmap.nodes} | {g.id: "one of" for g in pmap.groups}
    cycles = {cid: cycle_text(pmap, path) for path in pmap.cycles for cid in path}
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="prereq-map" viewBox="0 0 {width:.0f} {height:.0f}"'
           f' width="{width:.0f}" height="{height:.0f}" role="group"'
           f' aria-label="Prerequisite map of {esc(pmap.title or pmap.track)}"'
           f' font-family="{SANS}" font-size="{FONT}">',
           "<defs>", _marker("arrow", EDGE), _marker("arrow-redundant", REDUNDANT), _marker("arrow-cycle", CYCLE), _marker("arrow-corequisite", COREQUISITE),
           "</defs>"]
    for b, (title, top, bottom, label) in enumerate(bands):
        fill = "#f4f6f9" if b % 2 == 0 else "#ffffff"
        out.append(f'<g class="band"><rect x="0" y="{top:.1f}" width="{width:.0f}" height="{bottom - top:.1f}"'
                   f' fill="{fill}" stroke="#d9dee6"/><text x="{label.x + label.w / 2:.1f}" y="{label.y + 17:.1f}"'
                   f' text-anchor="middle" font-weight="bold" fill="#1d2330">{esc(title)}</text></g>')
    for k, (source, target, kind) in enumerate(drawn):
        colour, stroke_width, dash, marker = EDGE_STYLE[kind]
        what = f"{names.get(source, source)} is required by {names.get(target, target)}"
        if kind == "redundant":
            what = "redundant prerequisite: " + what
        elif kind == "cycle":
            what = f"on the cycle {cycles.get(source) or cycles.get(target, '')}: " + what
        elif kind == "corequisite":
            what = f"{names.get(source, source)} is taken beside {names.get(target, target)} (corequisite)"
        out.append(f'<path class="edge{"" if kind == "plain" else " " + kind}" data-from="{esc(source)}"'
                   f' data-to="{esc(target)}" d="{paths[k]}" fill="none" stroke="{colour}"'
                   f' stroke-width="{stroke_width}"{dash} marker-end="url(#{marker})"><title>{esc(what)}</title></path>')
    for group in pmap.groups:
        box = placed[group.id]
        out.append(f'<g class="group" data-id="{esc(group.id)}"><title>any one of these satisfies the requirement</title>'
                   f'<rect x="{box.x:.1f}" y="{box.y:.1f}" width="{box.w:.0f}" height="{box.h:.0f}" rx="10"'
                   f' fill="#fff" stroke="#555" stroke-width="1.2"/><text x="{box.x + box.w / 2:.1f}"'
                   f' y="{box.y + box.h / 2 + 4:.1f}" text-anchor="middle" font-size="11" fill="#1d2330">one of</text></g>')
    for node in pmap.nodes:
        box = placed[node.id]
        fill, stroke = COLOURS[node.role]
        dash = ' stroke-dasharray="5 3"' if node.role == "new" else ""
        out.append(f'<g class="node {node.role}" data-id="{esc(node.id)}" tabindex="0" role="img"'
                   f' aria-label="{esc(node.label)}"><title>{esc(node.label)} ({esc(node.id)})</title>'
                   f'<rect x="{box.x:.1f}" y="{box.y:.1f}" width="{box.w:.0f}" height="{box.h:.0f}" rx="6"'
                   f' fill="{fill}" stroke="{stroke}" stroke-width="1.4"{dash}/>')
        text = lines[node.id]
        first = box.y + box.h / 2 - (len(text) - 1) * LINE_H / 2 + 4.5
        for k, line in enumerate(text):
            out.append(f'<text x="{box.x + box.w / 2:.1f}" y="{first + k * LINE_H:.1f}" text-anchor="middle"'
                       f' fill="#111">{esc(line)}</text>')
        out.append("</g>")
    out.append("</svg>")
    return "\n".join(out) + "\n"
