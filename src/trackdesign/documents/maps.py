"""The prerequisite map of a track, as Mermaid, Graphviz dot, or a self-drawn SVG.

One model (`PrereqMap`) feeds all three so that the Markdown, the HTML and `trackdesign graph` can
never disagree. The SVG is laid out here (layers by longest prerequisite path) rather than by a
graph-drawing program, so the HTML reports work offline and on machines without Graphviz.
"""

from __future__ import annotations

import html
import textwrap
from dataclasses import dataclass, field

from trackdesign.lint.rules.prerequisites import redundancies

NEW_STATUSES = ("proposed", "in-development")


@dataclass
class Node:
    id: str
    label: str
    role: str  # "existing" | "new" | "entry" (an entry requirement) | "outside" (required, not assumed)
    number: int | None = None  # position in the track, from 1


@dataclass
class Edge:
    source: str  # the prerequisite
    target: str  # the course that requires it
    redundant: bool = False
    alternative: bool = False  # one of an any_of group


@dataclass
class PrereqMap:
    track: str
    nodes: list[Node] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)


def build_map(catalog, track_id: str) -> PrereqMap:
    """Track courses, entry requirements and every other prerequisite a track course names."""
    track = catalog.tracks[track_id].model
    result = PrereqMap(track_id)
    shown: dict[str, Node] = {}

    def title(cid):
        course = catalog.course(cid)
        return course.title if course else f"{cid} (unknown)"

    for n, cid in enumerate(track.courses, 1):
        course = catalog.course(cid)
        role = "new" if course is not None and course.status in NEW_STATUSES else "existing"
        shown.setdefault(cid, Node(cid, f"{n}. {title(cid)}", role, n))
    for cid in track.entry_requirements:
        shown.setdefault(cid, Node(cid, title(cid), "entry"))
    assumed = set(track.entry_requirements).union(*(catalog.guaranteed.get(c, ()) for c in track.entry_requirements))
    for cid in list(track.courses):
        for _, alts in catalog.requirements.get(cid, ()):
            for alt in alts:
                shown.setdefault(alt, Node(alt, title(alt), "entry" if alt in assumed else "outside"))
    result.nodes = list(shown.values())
    for cid in shown:
        redundant = {i for i, *_ in redundancies(catalog, cid)}
        for i, alts in catalog.requirements.get(cid, ()):
            for alt in alts:
                if alt in shown and alt != cid:
                    result.edges.append(Edge(alt, cid, i in redundant, len(alts) > 1))
    return result


def _mermaid_text(text: str) -> str:
    return text.replace('"', "#quot;")


def to_mermaid(pmap: PrereqMap) -> str:
    ids = {node.id: f"n{i}" for i, node in enumerate(pmap.nodes)}
    lines = ["flowchart TD"]
    for node in pmap.nodes:
        lines.append(f'  {ids[node.id]}["{_mermaid_text(node.label)}"]:::{node.role}')
    for k, edge in enumerate(pmap.edges):
        arrow = "-. redundant .->" if edge.redundant else ("-. any of .->" if edge.alternative else "-->")
        lines.append(f"  {ids[edge.source]} {arrow} {ids[edge.target]}")
    redundant = [str(k) for k, e in enumerate(pmap.edges) if e.redundant]
    lines += [
        "  classDef existing fill:#e8f0fe,stroke:#3b6fd4,color:#111",
        "  classDef new fill:#fff4e0,stroke:#c77700,stroke-dasharray:4 3,color:#111",
        "  classDef entry fill:#eef1f4,stroke:#6b7785,color:#111",
        "  classDef outside fill:#fdeaea,stroke:#b3261e,color:#111",
    ]
    if redundant:
        lines.append(f"  linkStyle {','.join(redundant)} stroke:#b3261e,stroke-dasharray:5 4")
    return "\n".join(lines) + "\n"


def _dot_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


DOT_STYLE = {
    "existing": 'fillcolor="#e8f0fe", color="#3b6fd4"',
    "new": 'fillcolor="#fff4e0", color="#c77700", style="filled,dashed"',
    "entry": 'fillcolor="#eef1f4", color="#6b7785"',
    "outside": 'fillcolor="#fdeaea", color="#b3261e"',
}


def to_dot(pmap: PrereqMap) -> str:
    lines = [f'digraph "{_dot_text(pmap.track)}" {{', "  rankdir=TB;",
             '  node [shape=box, style=filled, fontname="Helvetica"];']
    for node in pmap.nodes:
        lines.append(f'  "{_dot_text(node.id)}" [label="{_dot_text(node.label)}", {DOT_STYLE[node.role]}];')
    for edge in pmap.edges:
        attrs = ' [style=dashed, color="#b3261e", label="redundant"]' if edge.redundant else (
            ' [style=dotted, label="any of"]' if edge.alternative else "")
        lines.append(f'  "{_dot_text(edge.source)}" -> "{_dot_text(edge.target)}"{attrs};')
    lines.append("}")
    return "\n".join(lines) + "\n"


# --- SVG -------------------------------------------------------------------------------------

BOX_W, DUMMY_W, LINE_H, PAD, GAP_X, GAP_Y, WRAP = 210, 12, 16, 10, 30, 64, 28
SVG_FILL = {"existing": ("#e8f0fe", "#3b6fd4", ""), "new": ("#fff4e0", "#c77700", ' stroke-dasharray="5 3"'),
            "entry": ("#eef1f4", "#6b7785", ""), "outside": ("#fdeaea", "#b3261e", "")}


def _layers(pmap: PrereqMap) -> dict[str, int]:
    """Longest-path depth of each node; relaxation stops after n rounds, so cycles cannot hang it."""
    depth = {node.id: 0 for node in pmap.nodes}
    for _ in range(len(pmap.nodes)):
        changed = False
        for edge in pmap.edges:
            if depth[edge.target] < depth[edge.source] + 1 <= len(pmap.nodes):
                depth[edge.target] = depth[edge.source] + 1
                changed = True
        if not changed:
            break
    return depth


def _order(pmap: PrereqMap, depth: dict[str, int]):
    """Rows of node ids (with "edge k/level" dummies where an edge crosses a row), crossings reduced.

    The classic layered drawing: long edges get a placeholder in every row they cross, then rows
    are re-ordered a few times by the mean position of their neighbours (barycentre heuristic).
    """
    rows: dict[int, list[str]] = {}
    for node in pmap.nodes:
        rows.setdefault(depth[node.id], []).append(node.id)
    chains: list[list[str]] = []
    for k, edge in enumerate(pmap.edges):
        top, bottom = depth[edge.source], depth[edge.target]
        chain = [edge.source]
        for level in range(top + 1, bottom):
            dummy = f"edge {k}/{level}"
            rows[level].append(dummy) if level in rows else rows.setdefault(level, [dummy])
            chain.append(dummy)
        chains.append(chain + [edge.target])
    up: dict[str, list[str]] = {}
    down: dict[str, list[str]] = {}
    for chain in chains:
        for a, b in zip(chain, chain[1:]):
            down.setdefault(a, []).append(b)
            up.setdefault(b, []).append(a)
    levels = sorted(rows)
    for _ in range(4):
        for sweep, neighbours in ((levels[1:], up), (levels[-2::-1], down)):
            for level in sweep:
                where = {}
                for other in (level - 1, level + 1):
                    where.update({n: i for i, n in enumerate(rows.get(other, []))})
                def key(item, neighbours=neighbours, where=where):
                    i, n = item
                    near = [where[m] for m in neighbours.get(n, []) if m in where]
                    return (sum(near) / len(near) if near else i, i)
                rows[level] = [n for _, n in sorted(enumerate(rows[level]), key=key)]
    return rows, chains


def to_svg(pmap: PrereqMap) -> str:
    """An SVG drawing: one row per layer, prerequisites above the courses that need them."""
    depth = _layers(pmap)
    rows, chains = _order(pmap, depth)
    nodes = {node.id: node for node in pmap.nodes}
    wrapped = {node.id: textwrap.wrap(node.label, WRAP) or [""] for node in pmap.nodes}

    def slot(n):
        return BOX_W if n in nodes else DUMMY_W

    row_width = {level: sum(slot(n) for n in row) + (len(row) - 1) * GAP_X for level, row in rows.items()}
    width = max(row_width.values(), default=BOX_W) + 2 * GAP_X
    place: dict[str, tuple[float, float, float]] = {}  # x (left), y (top), height
    y = GAP_Y / 2
    for level in sorted(rows):
        row = rows[level]
        real = [n for n in row if n in nodes]
        height = max((len(wrapped[n]) for n in real), default=1) * LINE_H + 2 * PAD
        x = (width - row_width[level]) / 2
        for n in row:
            place[n] = (x, y, height)
            x += slot(n) + GAP_X
        y += height + GAP_Y
    total_h = y - GAP_Y / 2
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="prereq-map" viewBox="0 0 {width:.0f} {total_h:.0f}"'
           f' width="{width:.0f}" height="{total_h:.0f}" role="img"'
           f' aria-label="Prerequisite map of {html.escape(pmap.track)}">',
           "<defs>",
           '<marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7"'
           ' orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#555"/></marker>',
           '<marker id="arrow-red" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7"'
           ' orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#b3261e"/></marker>',
           "</defs>"]
    for edge, chain in zip(pmap.edges, chains):
        out.append(_edge_svg(edge, chain, place, nodes))
    for node in pmap.nodes:
        x, y0, h = place[node.id]
        fill, stroke, dash = SVG_FILL[node.role]
        out.append(f'<g class="node {node.role}"><title>{html.escape(node.id)}</title>'
                   f'<rect x="{x:.1f}" y="{y0:.1f}" width="{BOX_W}" height="{h:.0f}" rx="6" fill="{fill}"'
                   f' stroke="{stroke}" stroke-width="1.4"{dash}/>')
        lines = wrapped[node.id]
        first = y0 + h / 2 - (len(lines) - 1) * LINE_H / 2 + 4
        for k, line in enumerate(lines):
            out.append(f'<text x="{x + BOX_W / 2:.1f}" y="{first + k * LINE_H:.1f}" text-anchor="middle"'
                       f' font-family="Helvetica, Arial, sans-serif" font-size="13" fill="#111">'
                       f"{html.escape(line)}</text>")
        out.append("</g>")
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _edge_svg(edge: Edge, chain: list[str], place, nodes) -> str:
    """A smooth path from the bottom of the prerequisite through its placeholders to the course."""
    def centre(n):
        x, y, h = place[n]
        return x + (BOX_W if n in nodes else DUMMY_W) / 2, y, h

    sx, sy, sh = centre(chain[0])
    tx, ty, th = centre(chain[-1])
    if ty <= sy:  # an edge on a cycle points upwards: loop it round the right-hand side
        x1, y1, x2, y2 = sx + BOX_W / 2, sy + sh / 2, tx + BOX_W / 2, ty + th / 2
        d = f"M{x1:.1f},{y1:.1f} C{x1 + 60:.1f},{y1:.1f} {x2 + 60:.1f},{y2:.1f} {x2 + 2:.1f},{y2:.1f}"
    else:
        points = [(sx, sy + sh)]
        for n in chain[1:-1]:
            cx, cy, ch = centre(n)
            points += [(cx, cy), (cx, cy + ch)]
        points.append((tx, ty - 2))
        d = f"M{points[0][0]:.1f},{points[0][1]:.1f}"
        for (x1, y1), (x2, y2) in zip(points, points[1:]):
            bend = (y2 - y1) / 2
            d += f" C{x1:.1f},{y1 + bend:.1f} {x2:.1f},{y2 - bend:.1f} {x2:.1f},{y2:.1f}"
    if edge.redundant:
        return (f'<path class="edge redundant" d="{d}" fill="none" stroke="#b3261e" stroke-width="1.6"'
                ' stroke-dasharray="6 4" marker-end="url(#arrow-red)"><title>redundant prerequisite'
                f' {html.escape(edge.source)} of {html.escape(edge.target)}</title></path>')
    dash = ' stroke-dasharray="2 3"' if edge.alternative else ""
    return (f'<path class="edge" d="{d}" fill="none" stroke="#555" stroke-width="1.4"{dash}'
            ' marker-end="url(#arrow)"/>')


LEGEND = {
    "existing": "existing course in the track",
    "new": "new course (proposed or in development)",
    "entry": "entry requirement, or required by one (assumed before the track)",
    "outside": "prerequisite neither in the track nor assumed",
}
