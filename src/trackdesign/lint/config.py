"""Configuration: `trackdesign.toml` beside the specs, or `[tool.trackdesign]` in a pyproject.toml.

Everything is validated when loaded (unknown keys, rule codes and options, wrong types), so that a
typo in the config fails loudly with its file and line instead of silently changing what is linted.
"""

from __future__ import annotations

import difflib
import fnmatch
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from trackdesign.lint.findings import SEVERITIES
from trackdesign.links.settings import LinkSettings, parse_links
from trackdesign.lint.registry import Rule, all_rules, is_selector

TOP_KEYS = {"select", "ignore", "fail_on", "rules", "per-path-ignores", "spec_version", "links"}
RULE_KEYS = {"severity", "enabled"}


class ConfigError(Exception):
    def __init__(self, file: str, line: int, message: str):
        super().__init__(f"{file}:{line}: {message}")
        self.file, self.line, self.message = file, line, message


@dataclass
class Config:
    select: list[str] = field(default_factory=lambda: ["ALL"])
    ignore: list[str] = field(default_factory=list)
    fail_on: str = "warning"
    rule_settings: dict[str, dict] = field(default_factory=dict)
    per_path_ignores: dict[str, list[str]] = field(default_factory=dict)
    source: str | None = None
    links: LinkSettings = field(default_factory=LinkSettings)

    def enabled(self, rule: Rule) -> bool:
        settings = self.rule_settings.get(rule.code, {})
        if settings.get("enabled") is False:
            return False
        chosen = any(_matches(rule.code, s) for s in self.select)
        return chosen and not any(_matches(rule.code, s) for s in self.ignore)

    def severity(self, rule: Rule) -> str:
        return self.rule_settings.get(rule.code, {}).get("severity", rule.severity)

    def options(self, rule: Rule) -> dict:
        settings = self.rule_settings.get(rule.code, {})
        return {name: settings.get(name, option.default) for name, option in rule.options.items()}

    def ignored_for_path(self, code: str, relative: str) -> bool:
        return any(
            fnmatch.fnmatch(relative, pattern) and any(_matches(code, c) for c in codes)
            for pattern, codes in self.per_path_ignores.items()
        )

    def with_overrides(self, select=None, ignore=None, fail_on=None) -> "Config":
        return Config(
            select=list(select) if select else self.select,
            ignore=self.ignore + list(ignore or []),
            fail_on=fail_on or self.fail_on,
            rule_settings=self.rule_settings,
            per_path_ignores=self.per_path_ignores,
            source=self.source,
            links=self.links,
        )


def _matches(code: str, selector: str) -> bool:
    selector = selector.upper()
    return selector == "ALL" or code.startswith(selector)


def find_config(specs: Path) -> Path | None:
    """`trackdesign.toml` in the specs folder, else the nearest pyproject.toml with [tool.trackdesign]."""
    own = specs / "trackdesign.toml"
    if own.is_file():
        return own
    for folder in [specs.resolve(), *specs.resolve().parents]:
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            try:
                if "tool" in tomllib.loads(candidate.read_text(encoding="utf-8")) and re.search(
                    r"^\[tool\.trackdesign", candidate.read_text(encoding="utf-8"), re.M
                ):
                    return candidate
            except (tomllib.TOMLDecodeError, UnicodeDecodeError):
                return candidate  # let load_config report it
        if (folder / ".git").exists():
            break
    return None


def load_config(path: Path | None, shown: str | None = None) -> Config:
    if path is None:
        return Config()
    shown = shown or str(path)
    try:
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        raise ConfigError(shown, int(match.group(1)) if match else 1, f"invalid TOML: {exc}") from None
    except UnicodeDecodeError:
        raise ConfigError(shown, 1, "not valid UTF-8 text") from None
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("trackdesign", {})
    return _parse(data, text, shown)


def _line(text: str, needle: str) -> int:
    for number, line in enumerate(text.splitlines(), 1):
        if needle in line:
            return number
    return 1


def _close(word: str, options) -> str:
    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


#: A rule option's type in the words of a TOML file.
KINDS = {bool: "true or false", int: "a whole number", float: "a number", str: "a text in quotes",
         list: 'a list, such as ["a", "b"]'}


def _kind(option) -> str:
    """What an option takes, said as a designer writes it (its type, not its default's: that may be None)."""
    kinds = option.type or type(option.default)
    return " or ".join(KINDS.get(kind, kind.__name__) for kind in (kinds if isinstance(kinds, tuple) else (kinds,)))


def _codes(value, key: str, text: str, shown: str, rules: dict[str, Rule]) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(shown, _line(text, key), f"'{key}' expects a list of rule codes or prefixes")
    for item in value:
        if not is_selector(item, rules):
            raise ConfigError(shown, _line(text, item), f"unknown rule code {item!r} in '{key}'{_close(item.upper(), rules)}")
    return value


def _parse(data: dict, text: str, shown: str) -> Config:
    rules = all_rules()
    config = Config(source=shown)
    for key in data:
        if key not in TOP_KEYS:
            raise ConfigError(shown, _line(text, key), f"unknown setting {key!r}{_close(key, TOP_KEYS)}")
    if "select" in data:
        config.select = _codes(data["select"], "select", text, shown, rules)
    if "ignore" in data:
        config.ignore = _codes(data["ignore"], "ignore", text, shown, rules)
    if "fail_on" in data:
        if data["fail_on"] not in SEVERITIES:
            raise ConfigError(shown, _line(text, "fail_on"), f"'fail_on' expects one of {', '.join(SEVERITIES)}")
        config.fail_on = data["fail_on"]
    for code, settings in (data.get("rules") or {}).items():
        rule = rules.get(code.upper())
        if rule is None:
            raise ConfigError(shown, _line(text, code), f"unknown rule {code!r} in [rules]{_close(code.upper(), rules)}")
        if not isinstance(settings, dict):
            raise ConfigError(shown, _line(text, code), f"[rules.{code}] expects a table of options")
        for name, value in settings.items():
            if name == "severity":
                if value not in SEVERITIES:
                    raise ConfigError(shown, _line(text, name), f"{rule.code}: severity expects one of {', '.join(SEVERITIES)}")
            elif name == "enabled":
                if not isinstance(value, bool):
                    raise ConfigError(shown, _line(text, name), f"{rule.code}: 'enabled' expects true or false")
            elif name not in rule.options:
                known = sorted(rule.options) + sorted(RULE_KEYS)
                raise ConfigError(shown, _line(text, name),
                                  f"{rule.code} has no option {name!r}{_close(name, known)} (options: {', '.join(known)})")
            elif not rule.options[name].accepts(value):
                option = rule.options[name]
                wanted = ("one of " + ", ".join(map(repr, option.choices))) if option.choices else _kind(option)
                raise ConfigError(shown, _line(text, name), f"{rule.code}: option {name!r} expects {wanted}, got {value!r}")
        config.rule_settings[rule.code] = settings
    if "links" in data:
        def complain(key, message):
            raise ConfigError(shown, _line(text, str(key)), message)
        config.links = parse_links(data["links"], complain)
    ignores = data.get("per-path-ignores") or {}
    if not isinstance(ignores, dict):
        raise ConfigError(shown, _line(text, "per-path-ignores"), "[per-path-ignores] expects a table of glob = [codes]")
    for pattern, codes in ignores.items():
        config.per_path_ignores[pattern] = _codes(codes, pattern, text, shown, rules)
    return config
