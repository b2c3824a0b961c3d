"""The prerequisite map of a track, as Mermaid, Graphviz dot, or SVG laid out by Graphviz.

One model (`PrereqMap`) feeds every drawing so that the Markdown, the HTML and `trackdesign graph`
can never disagree: courses by role, "any of" groups as a junction of their alternatives,
redundant prerequisites, edges on a cycle with the cycle's path, and a staged track's stages.
The SVG (`to_svg`, in `mapsvg`) is drawn by us from positions Graphviz computes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from trackdesign.analysis.reduction import redundant_prerequisites
from trackdesign.analysis.requisites import guaranteed
from trackdesign.spec.model import AllOf, prerequisite_ids

NEW_STATUSES = ("proposed", "in-development")


@dataclass
class Node:
    id: str
    label: str
    role: str  # "existing" | "new" | "entry" (an entry requirement) | "outside" (required, not assumed)
    number: int | None = None  # position in the track, from 1
    stage: int | None = None  # index of the first stage of a staged track that lists it


@dataclass
class Group:
    """An `any_of` entry of `target`: completing one of `members` satisfies it."""

    id: str
    target: str
    members: list[str]
    redundant: bool = False


@dataclass
class Edge:
    source: str  # the prerequisite
    target: str  # the course that requires it
    redundant: bool = False
    group: str | None = None  # the id of the any_of group it belongs to
    cycle: bool = False  # on a prerequisite cycle
    corequisite: str | None = None  # "with" (same term or earlier) or "same term": taken beside, not before


@dataclass
class PrereqMap:
    track: str
    title: str = ""
    nodes: list[Node] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    groups: list[Group] = field(default_factory=list)
    stages: list[str] = field(default_factory=list)  # stage titles, in order
    cycles: list[list[str]] = field(default_factory=list)  # each a path of ids, first == last


def build_map(catalog, track_id: str) -> PrereqMap:
    """Track courses, entry requirements and every other prerequisite a track course names."""
    track = catalog.tracks[track_id].model
    result = PrereqMap(track_id, track.title, stages=[s.title for s in track.stages])
    shown: dict[str, Node] = {}

    def title(cid):
        course = catalog.course(cid)
        return course.title if course else f"{cid} (unknown)"

    first_stage = {}
    for s, stage in enumerate(track.stages):
        for item in stage.courses:
            first_stage.setdefault(item if isinstance(item, str) else item.course, s)
    for n, cid in enumerate(track.courses, 1):
        course = catalog.course(cid)
        role = "new" if course is not None and course.status in NEW_STATUSES else "existing"
        shown.setdefault(cid, Node(cid, f"{n}. {title(cid)}", role, n, first_stage.get(cid)))
    for cid in track.entry_requirements:
        shown.setdefault(cid, Node(cid, title(cid), "entry"))
    assumed = set(track.entry_requirements).union(*(guaranteed(catalog).get(c, ()) for c in track.entry_requirements))
    for cid in list(track.courses):
        corequisites = [other for other, _ in _corequisites(catalog.course(cid))]
        for alt in [a for _, alts in catalog.requirements.get(cid, ()) for a in alts] + corequisites:
            shown.setdefault(alt, Node(alt, title(alt), "entry" if alt in assumed else "outside"))
    result.nodes = list(shown.values())
    for cid in shown:
        redundant = redundant_prerequisites(catalog, cid)
        entries = catalog.course(cid).prerequisites if catalog.course(cid) else []
        for i, alts in catalog.requirements.get(cid, ()):
            members = [alt for alt in alts if alt in shown and alt != cid]
            group = None
            # an `all_of` entry needs every member: plain edges; only alternatives meet in a junction
            if len(alts) > 1 and members and not isinstance(entries[i], AllOf):
                group = Group(f"{cid} any_of {i}", cid, members, i in redundant)
                result.groups.append(group)
            for alt in members:
                result.edges.append(Edge(alt, cid, i in redundant, group.id if group else None))
        for other, kind in _corequisites(catalog.course(cid)):
            if other in shown and other != cid:
                result.edges.append(Edge(other, cid, corequisite=kind))
    _mark_cycles(result)
    return result


def _corequisites(course) -> list[tuple[str, str]]:
    """(course id, "with" or "same term") of every corequisite a course names, once each."""
    if course is None:
        return []
    found = {i: kind for name, kind in (("corequisites", "with"), ("strict_corequisites", "same term"))
             for item in getattr(course, name, []) for i in prerequisite_ids(item)}
    return list(found.items())


def _mark_cycles(pmap: PrereqMap) -> None:
    """Flag the edges inside each cycle and record one shortest cycle per group of courses."""
    import networkx as nx

    graph = nx.DiGraph((e.source, e.target) for e in pmap.edges)
    for component in sorted(nx.strongly_connected_components(graph), key=min):
        if len(component) < 2:
            continue
        start = min(component)
        sub = graph.subgraph(component)
        paths = [nx.shortest_path(sub, start, pred) for pred in sorted(sub.predecessors(start))]
        pmap.cycles.append(min(paths, key=len) + [start])
        for edge in pmap.edges:
            if edge.source in component and edge.target in component:
                edge.cycle = True


def closure(pmap: PrereqMap, node_id: str) -> tuple[set[str], set[str]]:
    """(everything `node_id` requires, everything it unlocks), through any number of edges."""
    import networkx as nx

    graph = nx.DiGraph((e.source, e.target) for e in pmap.edges)
    graph.add_nodes_from(n.id for n in pmap.nodes)
    return nx.ancestors(graph, node_id), nx.descendants(graph, node_id)


def titles(pmap: PrereqMap) -> dict[str, str]:
    return {node.id: node.label for node in pmap.nodes}


def cycle_text(pmap: PrereqMap, path: list[str]) -> str:
    """'A -> B -> A', read as "is required by", with titles."""
    names = titles(pmap)
    return " → ".join(names.get(cid, cid) for cid in path)


# --- Mermaid and dot ---------------------------------------------------------------------------

COLOURS = {"existing": ("#e8f0fe", "#3b6fd4"), "new": ("#fff4e0", "#c77700"),
           "entry": ("#eef1f4", "#6b7785"), "outside": ("#fdeaea", "#b3261e")}
CYCLE, REDUNDANT, EDGE, COREQUISITE = "#d0021b", "#8a5a00", "#555", "#1f6fb2"


_MERMAID_ENTITY = {'"': "#quot;", "<": "#lt;", ">": "#gt;"}


def _mermaid_text(text: str) -> str:
    """A label inside Mermaid's quotes: on one line (a line break could close the Markdown fence
    around the diagram), no quote to end it, no tag for the renderer, `#` read as itself."""
    text = re.sub(r"#(?=\w+;)", "#35;", " ".join(text.splitlines()))
    return re.sub(r'["<>]', lambda m: _MERMAID_ENTITY[m.group()], text)


def _stage_members(pmap: PrereqMap) -> list[list[Node]]:
    members: list[list[Node]] = [[] for _ in pmap.stages]
    for node in pmap.nodes:
        if node.stage is not None:
            members[node.stage].append(node)
    return members


def _node_lines(pmap: PrereqMap, node_line, opening, closing: str) -> list[str]:
    """Every node as `node_line` writes it: those in no stage first, then each stage's, between
    `opening(stage number)` and `closing`."""
    stages = _stage_members(pmap)
    staged = {node.id for members in stages for node in members}
    lines = [node_line(node) for node in pmap.nodes if node.id not in staged]
    for s, members in enumerate(stages):
        lines += [opening(s), *(node_line(node, "    ") for node in members), closing]
    return lines


def _edge_kind(edge: Edge) -> str:
    if edge.cycle:
        return "cycle"
    return "redundant" if edge.redundant else ("corequisite" if edge.corequisite else "plain")


def _drawn_edges(pmap: PrereqMap):
    """(source, target, kind) as drawn: an any_of group's members meet in a junction first."""
    groups = {g.id: g for g in pmap.groups}
    done = set()
    for edge in pmap.edges:
        if edge.group is None:
            yield edge.source, edge.target, _edge_kind(edge)
            continue
        yield edge.source, edge.group, _edge_kind(edge)
        if edge.group not in done:
            done.add(edge.group)
            group = groups[edge.group]
            cyclic = any(e.cycle for e in pmap.edges if e.group == group.id)
            yield group.id, group.target, "cycle" if cyclic else ("redundant" if group.redundant else "plain")


def to_mermaid(pmap: PrereqMap) -> str:
    ids = {node.id: f"n{i}" for i, node in enumerate(pmap.nodes)}
    ids.update({group.id: f"g{i}" for i, group in enumerate(pmap.groups)})
    lines = ["flowchart TD"]

    def node_line(node, indent="  "):
        return f'{indent}{ids[node.id]}["{_mermaid_text(node.label)}"]:::{node.role}'

    lines += _node_lines(pmap, node_line, lambda s: f'  subgraph s{s}["{_mermaid_text(pmap.stages[s])}"]', "  end")
    for group in pmap.groups:
        lines.append(f'  {ids[group.id]}(("one of")):::group')
    styles: dict[str, list[str]] = {"cycle": [], "redundant": [], "corequisite": []}
    for k, (source, target, kind) in enumerate(_drawn_edges(pmap)):
        arrow = {"cycle": "-- cycle -->", "redundant": "-. redundant .->", "corequisite": "-. with .->",
                 "plain": "-->"}[kind]
        lines.append(f"  {ids[source]} {arrow} {ids[target]}")
        styles.get(kind, []).append(str(k))
    lines += [f"  classDef {role} fill:{fill},stroke:{stroke},color:#111" + (",stroke-dasharray:4 3" if role == "new" else "")
              for role, (fill, stroke) in COLOURS.items()]
    lines.append("  classDef group fill:#fff,stroke:#555,color:#111")
    if styles["redundant"]:
        lines.append(f"  linkStyle {','.join(styles['redundant'])} stroke:{REDUNDANT},stroke-dasharray:5 4")
    if styles["cycle"]:
        lines.append(f"  linkStyle {','.join(styles['cycle'])} stroke:{CYCLE},stroke-width:2.5px")
    if styles["corequisite"]:
        lines.append(f"  linkStyle {','.join(styles['corequisite'])} stroke:{COREQUISITE},stroke-dasharray:2 3")
    return "\n".join(lines) + "\n"


def _dot_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


DOT_EDGE = {"plain": "", "redundant": f' [style=dashed, color="{REDUNDANT}", label="redundant"]',
            "cycle": f' [color="{CYCLE}", penwidth=2, label="cycle"]',
            "corequisite": f' [style=dotted, color="{COREQUISITE}", label="with"]'}


def to_dot(pmap: PrereqMap) -> str:
    """Graphviz source of the map: stages as clusters, any_of groups as "one of" junctions."""
    lines = [f'digraph "{_dot_text(pmap.track)}" {{', "  rankdir=TB;",
             '  node [shape=box, style=filled, fontname="Helvetica"];']

    def node_line(node, indent="  "):
        fill, stroke = COLOURS[node.role]
        style = ', style="filled,dashed"' if node.role == "new" else ""
        return f'{indent}"{_dot_text(node.id)}" [label="{_dot_text(node.label)}", fillcolor="{fill}", color="{stroke}"{style}];'

    lines += _node_lines(pmap, node_line, lambda s: f'  subgraph "cluster_{s}" {{ label="{_dot_text(pmap.stages[s])}";'
                         ' style=filled; color="#f3f5f8";', "  }")
    for group in pmap.groups:
        lines.append(f'  "{_dot_text(group.id)}" [label="one of", shape=ellipse, style=solid, fontsize=10];')
    for source, target, kind in _drawn_edges(pmap):
        lines.append(f'  "{_dot_text(source)}" -> "{_dot_text(target)}"{DOT_EDGE[kind]};')
    lines.append("}")
    return "\n".join(lines) + "\n"


def to_svg(pmap: PrereqMap) -> str:
    from trackdesign.documents.mapsvg import draw

    return draw(pmap)


LEGEND = {
    "existing": "existing course in the track",
    "new": "new course (proposed or in development)",
    "entry": "entry requirement, or required by one (assumed before the track)",
    "outside": "prerequisite neither in the track nor assumed",
}
