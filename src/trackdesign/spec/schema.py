"""The JSON Schema of spec files, generated from the model so it always matches the loader."""

from __future__ import annotations

from trackdesign.spec.model import Course, Track

BASE = "https://trackdesign.invalid/schema"


def json_schema(kind: str = "any") -> dict:
    if kind == "course":
        schema = Course.model_json_schema()
    elif kind == "track":
        schema = Track.model_json_schema()
    else:
        course, track = Course.model_json_schema(), Track.model_json_schema()
        defs = {**course.pop("$defs", {}), **track.pop("$defs", {}), "Course": course, "Track": track}
        schema = {"title": "trackdesign spec", "oneOf": [{"$ref": "#/$defs/Course"}, {"$ref": "#/$defs/Track"}],
                  "$defs": defs}
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"{BASE}/{kind}.json"
    return schema
