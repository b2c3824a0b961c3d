"""Test helpers: write a small specs folder from a dict, lint it."""

from __future__ import annotations

from pathlib import Path

import yaml

from trackdesign.lint.config import Config
from trackdesign.lint.engine import lint
from trackdesign.spec.loader import load_catalog


def write_specs(root: Path, courses: dict | None = None, tracks: dict | None = None, config: str | None = None) -> Path:
    """Each course or track is a mapping (dumped as YAML) or a string (written as is)."""
    for folder, specs in (("courses", courses or {}), ("tracks", tracks or {})):
        (root / folder).mkdir(parents=True, exist_ok=True)
        for name, body in specs.items():
            text = body if isinstance(body, str) else yaml.safe_dump(body, sort_keys=False, allow_unicode=True)
            target = root / folder / f"{name}.yaml"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
    if config is not None:
        (root / "trackdesign.toml").write_text(config, encoding="utf-8")
    return root


def run(root: Path, select=None, config: Config | None = None, options: dict | None = None):
    config = config or Config()
    if select:
        config = config.with_overrides(select=select)
    if options:
        for code, values in options.items():
            config.rule_settings[code] = values
    return lint(load_catalog(root), config).findings


def fast_link_settings(tmp_path: Path, ca_bundle=None):
    """Link settings for the loopback test servers: short timeouts, a cache in `tmp_path`."""
    from trackdesign.links.settings import LinkSettings

    return LinkSettings(connect_timeout=1.0, read_timeout=0.5, deadline=6.0, retries=2, backoff=0.05,
                        max_retry_after=5.0, cache=str(tmp_path / "links.sqlite"), ca_bundle=ca_bundle)
