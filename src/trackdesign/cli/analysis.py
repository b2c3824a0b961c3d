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
    from trackdesign.documents.tables import metrics_text

    fmt = choose_format(fmt, output, TABLE_FORMATS)
    catalog, _ = track_or_catalog(track, whole, specs)
    graph = track_graph(catalog, track) if track else requisite_graph(catalog)
    result = compute(graph, {cid: spec.model.title for cid, spec in catalog.courses.items()})
    emit(metrics_text(result, fmt, top, track_course_levels(catalog, track) if track else None), output, quiet)
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
    from trackdesign.analysis.judgement import judged_catalog, judged_track, settings
    from trackdesign.analysis.overlap import index_for
    from trackdesign.analysis.similarity import SemanticUnavailable
    from trackdesign.documents.tables import overlap_text
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
    emit(overlap_text(pairs[:top or None], fmt), output, quiet)
