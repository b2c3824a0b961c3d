"""Curricular Analytics metrics (Heileman et al., 2018) for any set of courses with prerequisites.

blocking factor  b(v): how many courses v blocks (its descendants in the prerequisite graph)
delay factor     d(v): vertices on the longest prerequisite chain through v
centrality       q(v): sum of the lengths of all source-to-sink paths that have v inside them
complexity       h(v) = d(v) + b(v); the curriculum's structural complexity is the sum of h(v)

All four come from dynamic programming over a topological order, never from enumerating paths
(their number grows exponentially). Corequisites are edges like prerequisites, as CurricularAnalytics
counts them. Edges inside requisite cycles are left out, and reported, since the definitions hold
for acyclic graphs only.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import networkx as nx


@dataclass
class CourseMetrics:
    course: str
    title: str
    blocking: int
    delay: int
    centrality: int
    complexity: int


@dataclass
class Metrics:
    courses: list[CourseMetrics]
    structural_complexity: int
    dropped_edges: list[tuple[str, str]] = field(default_factory=list)  # edges on cycles, left out

    def rows(self):
        return sorted(self.courses, key=lambda m: (-m.complexity, -m.blocking, m.course))


def compute(graph: nx.DiGraph, titles: dict[str, str] | None = None) -> Metrics:
    """Metrics of `graph`, whose edges run prerequisite -> course."""
    titles = titles or {}
    dropped = []
    graph = nx.DiGraph(graph)
    for component in nx.strongly_connected_components(graph):
        if len(component) > 1:
            inside = [(u, v) for u, v in graph.edges(component) if v in component]
            dropped.extend(inside)
            graph.remove_edges_from(inside)
    loops = list(nx.selfloop_edges(graph))
    dropped.extend(loops)
    graph.remove_edges_from(loops)
    order = list(nx.topological_sort(graph))
    position = {node: i for i, node in enumerate(order)}

    longest_in, paths_in, length_in = _chains(order, graph.predecessors)
    longest_out, paths_out, length_out = _chains(list(reversed(order)), graph.successors)
    reach = {}
    for v in reversed(order):
        bits = 0
        for w in graph.successors(v):
            bits |= reach[w] | (1 << position[w])
        reach[v] = bits

    result = []
    for v in sorted(graph):
        blocking = reach[v].bit_count()
        delay = longest_in[v] + longest_out[v] - 1
        interior = graph.in_degree(v) > 0 and graph.out_degree(v) > 0
        centrality = (length_in[v] * paths_out[v] + paths_in[v] * length_out[v] - paths_in[v] * paths_out[v]
                      if interior else 0)
        result.append(CourseMetrics(v, titles.get(v, v), blocking, delay, centrality, blocking + delay))
    return Metrics(result, sum(m.complexity for m in result), sorted(dropped))


def _chains(order, before):
    """For each vertex, over the paths reaching it from a vertex with nothing `before` it:
    the longest path's vertex count, the number of paths, and their summed vertex counts."""
    longest, paths, length = {}, {}, {}
    for v in order:
        earlier = list(before(v))
        if not earlier:
            longest[v], paths[v], length[v] = 1, 1, 1
        else:
            longest[v] = 1 + max(longest[u] for u in earlier)
            paths[v] = sum(paths[u] for u in earlier)
            length[v] = sum(length[u] + paths[u] for u in earlier)
    return longest, paths, length


def requisite_graph(catalog) -> nx.DiGraph:
    """Every requisite -> course edge over known courses, prerequisites and corequisites alike (an
    edge's `kinds` names its lists): CurricularAnalytics counts a corequisite like a prerequisite."""
    def build():
        from trackdesign.analysis.requisites import requisites_of

        graph = nx.DiGraph()
        graph.add_nodes_from(catalog.courses)
        for cid, entries in requisites_of(catalog).entries.items():
            for entry in entries:
                for atom in entry.atoms:
                    if atom in catalog.courses:
                        if not graph.has_edge(atom, cid):
                            graph.add_edge(atom, cid, kinds=set())
                        graph.edges[atom, cid]["kinds"].add(entry.field)
        return graph
    return catalog.memo("requisite_graph", build)


def track_graph(catalog, track_id: str) -> nx.DiGraph:
    """The track's courses with the requisite edges among them."""
    courses = catalog.tracks[track_id].model.courses
    return requisite_graph(catalog).subgraph([c for c in courses if c in catalog.courses]).copy()
