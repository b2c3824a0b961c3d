"""`metrics` and `overlap`: tables computed over a track or the whole catalog."""

from __future__ import annotations

import click

from trackdesign.cli.common import (InputProblem, choose_format, emit, format_option, output_option, quiet_option, say,
                                    specs_option, track_or_catalog)

TABLE_FORMATS = ("text", "csv", "json")


def _table_command(function):
    """TRACK or --catalog, --specs, --format and -o, as both table commands take them."""
    for decorate in (output_option, format_option(TABLE_FORMATS), specs_option,
                     click.option("--catalog", "whole", is_flag=True, help="Every course of the catalog instead of one track."),
                     click.argument("track", required=False)):
        function = decorate(function)
    return function


@click.command()
@_table_command
@click.option("--top", type=click.IntRange(min=1), default=None, help="Only the N most complex courses.")
@quiet_option
def metrics(track, whole, specs, fmt, output, top, quiet):
    """Curricular Analytics metrics of TRACK (or --catalog): blocking and delay factors, centrality, complexity."""
    from trackdesign.analysis.bloom import track_course_levels
    from trackdesign.analysis.metrics import compute, requisite_graph, track_graph
    from trackdesign.documents.tables import csv_text, json_text, text_table

    fmt = choose_format(fmt, output, TABLE_FORMATS)
    catalog, _ = track_or_catalog(track, whole, specs)
    if track:
        graph, levels = track_graph(catalog, track), track_course_levels(catalog, track)
    else:
        graph, levels = requisite_graph(catalog), {}
    titles = {cid: spec.model.title for cid, spec in catalog.courses.items()}
    result = compute(graph, titles)
    rows = result.rows()[:top] if top else result.rows()
    columns = ["course", "title", "blocking", "delay", "centrality", "complexity"] + (["bloom"] if track else [])
    records = [{**{c: getattr(m, c) for c in columns if c != "bloom"}, **({"bloom": levels.get(m.course)} if track else {})}
               for m in rows]
    if fmt == "json":
        text = json_text({"structural_complexity": result.structural_complexity, "courses": records,
                          "dropped_cycle_edges": [list(e) for e in result.dropped_edges]})
    elif fmt == "csv":
        text = csv_text(records, columns)
    else:
        shown = [c for c in columns if c != "title"]
        text = text_table(records, shown, numeric=set(shown) - {"course"})
        text += f"\nstructural complexity: {result.structural_complexity} ({len(result.courses)} courses)\n"
    emit(text, output, quiet)
    if result.dropped_edges:
        say(quiet, f"left out {len(result.dropped_edges)} requisite edge(s) on cycles (see PR02 and PR07)")


@click.command()
@_table_command
@click.option("--top", type=click.IntRange(min=0), default=20, show_default=True, help="How many pairs to show (0: all).")
@click.option("--min-score", type=click.FloatRange(0, 1), default=None,
              help="Lowest score shown [default: 0 for a track, the method's threshold for the catalog].")
@click.option("--method", type=click.Choice(["tfidf", "semantic", "combined"]), default=None,
              help="How pairs are scored [default: OV01's method]; semantic and combined need the semantic extra.")
@quiet_option
def overlap(track, whole, specs, fmt, output, top, min_score, method, quiet):
    """Rank the most similar pairs of courses in TRACK (or --catalog), judged as OV01 judges them
    (with --catalog, as it does under `scope = "catalog"`; by default it compares within tracks)."""
    from trackdesign.analysis.judgement import describe, headline, judged_catalog, judged_track, settings
    from trackdesign.analysis.overlap import FIELDS, index_for
    from trackdesign.analysis.similarity import SemanticUnavailable
    from trackdesign.documents.tables import csv_text, json_text
    from trackdesign.lint.formats.text import printable
    from trackdesign.lint.rules.overlap import configured

    fmt = choose_format(fmt, output, TABLE_FORMATS)
    catalog, config = track_or_catalog(track, whole, specs)
    chosen, threshold = configured(config)
    method = method or chosen
    try:
        index = index_for(catalog, method)
    except SemanticUnavailable as error:
        raise InputProblem(str(error)) from None
    if method != chosen:
        threshold = settings({"method": method})[1]
    if track:
        pairs = judged_track(index, catalog, catalog.tracks[track].model.courses, threshold, floor=min_score or 0.0,
                             subject=catalog.tracks[track].model.title)
    else:
        pairs = judged_catalog(index, catalog, threshold, floor=threshold if min_score is None else min_score)
    pairs = pairs[:top or None]
    if fmt == "json":
        text = json_text([p.as_dict() for p in pairs])
    elif fmt == "csv":
        columns = ["a", "b", "score", "flagged", "sequel", "drivers", "terms", "similar", *[f"{f}_score" for f in FIELDS]]
        text = csv_text([{"a": p.a, "b": p.b, "score": f"{p.score:.3f}", "flagged": p.flagged, "sequel": p.sequel or "",
                          "drivers": " ".join(p.drivers), "terms": p.terms, "similar": "; ".join(map(str, p.similar)),
                          **{f"{f}_score": f"{p.fields.get(f, 0):.3f}" for f in FIELDS}} for p in pairs], columns)
    else:
        lines = [] if pairs else ["No pair of courses is that similar."]
        for rank, p in enumerate(pairs, 1):
            mark = "flagged" if p.flagged else "not flagged"
            lines += [f"{rank:>3}. {p.score:.2f}  {p.a}  ~  {p.b}  ({mark}: {p.b} {headline(p)})",
                      f"       {describe(p)}"]
        text = printable("\n".join(lines)) + "\n"
    emit(text, output, quiet)
