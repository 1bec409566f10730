"""xuncha: classify inspection findings (巡察问题) with compiled rule sets.

A thin Python layer over the C++ library (STYLE.md §12). Messages cross the
boundary as protobuf JSON (proto field names) or serialized bytes, so no
Python protobuf runtime is needed::

    import xuncha
    engine = xuncha.compile("rules/default")
    c = engine.classify({"id": "F-1", "text": "……未招先建……"})
    c["category"]["id"], c["classified"]

    results = engine.classify_batch(findings, threads=4)   # GIL released

    acc = xuncha.PatternAccumulator(engine)
    for f, c in zip(findings, results):
        acc.add({"finding": f, "classification": c})
    report = acc.report()

Rule errors raise :class:`RuleError` carrying every diagnostic.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, asdict
from typing import Any, Iterable, List, Mapping, Optional, Sequence, Union

from . import _xuncha

__all__ = [
    "Diagnostic",
    "Engine",
    "PatternAccumulator",
    "RuleError",
    "compile",
    "decode",
    "encode",
    "read_ledger",
]

FindingLike = Union[Mapping[str, Any], str, bytes]
_BYTES = (bytes, bytearray, memoryview)


@dataclass(frozen=True)
class Diagnostic:
    """One problem in a rule file: ``path:line:column: severity: message [code]``.

    Lines and columns are 1-based (columns in code points); ``rendered`` is
    the headline plus the source line and a caret, as the CLI prints it.
    """

    path: str
    line: int
    column: int
    severity: str
    code: str
    message: str
    rule_id: str
    offset: int = 0
    length: int = 1
    source_line: str = ""
    rendered: str = ""

    def to_dict(self) -> dict:
        """The diagnostic as a plain dict."""
        return asdict(self)

    def __str__(self) -> str:
        return self.rendered


class RuleError(Exception):
    """The rules did not compile. ``diagnostics`` holds every diagnostic
    (errors, warnings and notes, sorted by file, line, column); str() is all
    of them rendered."""

    def __init__(self, diagnostics: Sequence[Diagnostic]):
        self.diagnostics: List[Diagnostic] = list(diagnostics)
        errors = sum(1 for d in self.diagnostics if d.severity == "error")
        text = "\n".join(d.rendered for d in self.diagnostics)
        super().__init__(f"{errors} error(s) in the rules:\n{text}")


def _finding_json(finding: FindingLike) -> str:
    if isinstance(finding, str):
        return finding
    if isinstance(finding, Mapping):
        return json.dumps(finding, ensure_ascii=False)
    raise TypeError(f"a finding is a dict or a JSON string, not {type(finding).__name__}")


class Engine:
    """A compiled rule set: immutable, safe to share across threads.

    Created by :func:`compile`. ``warnings`` lists the warnings (and notes)
    the compiler gave.
    """

    __slots__ = ("_core", "warnings", "_paths")

    def __init__(self, core: "_xuncha.Engine", warnings: Sequence[Diagnostic], paths=()):
        self._core = core
        self.warnings: List[Diagnostic] = list(warnings)
        self._paths = tuple(paths)

    @property
    def name(self) -> str:
        """The rule set's name."""
        return self._core.name

    @property
    def version(self) -> str:
        """The rule set's version."""
        return self._core.version

    @property
    def hash(self) -> str:
        """``"sha256:<hex>"`` over the canonical rules."""
        return self._core.hash

    @property
    def rule_count(self) -> int:
        """Number of rules."""
        return self._core.rule_count

    def __repr__(self) -> str:
        return (f"<xuncha.Engine {self.name!r} version={self.version!r} "
                f"rules={self.rule_count} {self.hash[:19]}>")

    def classify(self, finding: FindingLike) -> dict:
        """Classifies one finding.

        ``finding`` is a dict (protobuf JSON mapping of xuncha.v1.Finding),
        a JSON string, or serialized Finding bytes. Returns the
        Classification as a dict with proto field names. A finding that
        cannot be classified (text too long, invalid UTF-8) comes back with
        ``classified`` false and its error in ``errors``. Raises ValueError
        for input that is not a Finding.
        """
        if isinstance(finding, _BYTES):
            return json.loads(self._core.classify(bytes(finding), binary_in=True))
        return json.loads(self._core.classify(_finding_json(finding)))

    def classify_bytes(self, finding: bytes) -> bytes:
        """Serialized xuncha.v1.Finding in, serialized Classification out."""
        return self._core.classify(bytes(finding), binary_in=True, binary_out=True)

    def classify_batch(self, findings: Iterable[FindingLike], threads: int = 0,
                       *, with_finding: bool = False) -> List[dict]:
        """Classifies many findings on ``threads`` threads (0 = all cores),
        returning Classification dicts in input order. Findings are dicts or
        JSON strings (all of one kind), or all serialized bytes. The GIL is
        released while the C++ batch runs. With ``with_finding``, each result
        is a ClassifiedFinding dict ``{"finding": …, "classification": …}``
        as ``xuncha classify`` writes it. Raises ValueError naming the record
        that is not a Finding."""
        items = list(findings)
        binary = bool(items) and all(isinstance(f, _BYTES) for f in items)
        if binary:
            items = [bytes(f) for f in items]
        else:
            items = [_finding_json(f) for f in items]
        return [json.loads(t) for t in self._core.classify_batch(
            items, threads, binary_in=binary, with_finding=with_finding)]

    def classify_batch_json(self, findings: Iterable[str], threads: int = 0,
                            *, with_finding: bool = False) -> List[str]:
        """As :meth:`classify_batch`, JSON texts in and out (no dict
        conversion: the cheapest path for JSON Lines)."""
        return self._core.classify_batch(list(findings), threads, with_finding=with_finding)

    def classify_batch_bytes(self, findings: Iterable[bytes], threads: int = 0,
                             *, with_finding: bool = False) -> List[bytes]:
        """As :meth:`classify_batch`, serialized Findings in, serialized
        Classifications (or ClassifiedFindings) out."""
        return self._core.classify_batch([bytes(f) for f in findings], threads, binary_in=True,
                                         binary_out=True, with_finding=with_finding)

    def explain(self, finding: FindingLike, rule_id: Optional[str] = None) -> str:
        """A readable trace of how ``finding`` is classified; with
        ``rule_id`` also why that rule did (not) fire. KeyError when
        ``rule_id`` names no rule."""
        if isinstance(finding, _BYTES):
            return self._core.explain_bytes(bytes(finding), rule_id or "")
        return self._core.explain_json(_finding_json(finding), rule_id or "")

    def pattern_defs(self) -> List[bytes]:
        """The rule set's pattern definitions (serialized xuncha.v1.PatternDef)."""
        return list(self._core.pattern_defs())


def compile(paths_or_path: Union[str, os.PathLike, Sequence[Union[str, os.PathLike]], None] = None,
            *, source: Optional[str] = None, name: str = "rules.textproto",
            warnings_as_errors: bool = False) -> Engine:
    """Compiles rule files and directories (``*.textproto``) and/or rule text.

    ``paths_or_path`` is one path or a list of paths; ``source`` is rule text
    held in memory, named ``name`` in diagnostics. Raises :class:`RuleError`
    with every diagnostic when the rules have errors; OSError when a path
    cannot be read.
    """
    if paths_or_path is None:
        paths: List[str] = []
    elif isinstance(paths_or_path, (str, os.PathLike)):
        paths = [os.fspath(paths_or_path)]
    else:
        paths = [os.fspath(p) for p in paths_or_path]
    sources = [(name, source)] if source is not None else []
    if not paths and not sources:
        raise ValueError("compile() needs a path or source")
    core, diags = _xuncha.compile(paths, sources, warnings_as_errors)
    diagnostics = [Diagnostic(**d) for d in diags]
    if core is None:
        raise RuleError(diagnostics)
    return Engine(core, diagnostics, paths)


class PatternAccumulator:
    """Mergeable cross-unit pattern state (共性、普遍性、屡查屡犯 …).

    ``defs`` chooses the pattern definitions: None for the defaults, an
    :class:`Engine` or a rules path for that rule set's definitions (the
    defaults when it defines none), or a list of serialized PatternDefs.
    Accumulators pickle (via the canonical serialized state) and merge; any
    sharding and merge order gives the same report as one pass.
    """

    __slots__ = ("_core", "_rule_set")

    def __init__(self, defs: Union[None, Engine, str, os.PathLike, Sequence[bytes]] = None):
        # The rule set the definitions come from, named in the report as
        # `xuncha classify --patterns` names it.
        self._rule_set: Optional[dict] = None
        if isinstance(defs, (str, os.PathLike)):
            defs = compile(defs)
        if defs is None:
            def_bytes: List[bytes] = []
        elif isinstance(defs, Engine):
            def_bytes = defs.pattern_defs()
            self._rule_set = {"name": defs.name, "version": defs.version, "hash": defs.hash}
        else:
            def_bytes = [bytes(d) for d in defs]
        self._core = _xuncha.PatternAccumulator(def_bytes)

    def add(self, classified: Union[Mapping[str, Any], str, bytes]) -> None:
        """Adds one classified finding: a dict ``{"finding": …,
        "classification": …}``, its JSON text, or serialized
        xuncha.v1.ClassifiedFinding bytes."""
        if isinstance(classified, _BYTES):
            self._core.add_bytes(bytes(classified))
        elif isinstance(classified, str):
            self._core.add_json(classified)
        else:
            self._core.add_json(json.dumps(classified, ensure_ascii=False))

    def add_many(self, classified: Iterable[Union[Mapping[str, Any], str]]) -> None:
        """Adds many classified findings (dicts or JSON texts) in one call."""
        self._core.add_many_json([c if isinstance(c, str) else json.dumps(c, ensure_ascii=False)
                                  for c in classified])

    def merge(self, other: "PatternAccumulator", *, consume: bool = False) -> "PatternAccumulator":
        """Adds everything ``other`` holds; returns self. ValueError when the
        two serve different pattern definitions (or ``other`` is self).

        With ``consume=True`` the other's state is moved instead of copied —
        much cheaper for large shards — and ``other`` is left empty (same
        definitions, no findings)."""
        self._core.merge(other._core, consume)
        return self

    def report(self, previous: Optional[Iterable[Union[Mapping[str, Any], str]]] = None,
               *, rectified_ids: Sequence[str] = (),
               inspected_unit_ids: Sequence[str] = ()) -> dict:
        """Detects the patterns; returns the PatternReport as a dict.

        ``previous`` are classified findings of earlier rounds (dicts or JSON
        texts) for recurrence (屡查屡犯); ``rectified_ids`` those a ledger
        marked rectified; ``inspected_unit_ids`` the units inspected (default:
        the units seen)."""
        prev = [p if isinstance(p, str) else json.dumps(p, ensure_ascii=False)
                for p in (previous or [])]
        report = json.loads(self._core.report_json(prev, list(rectified_ids),
                                                   list(inspected_unit_ids)))
        if self._rule_set is not None:
            report["rule_set"] = dict(self._rule_set)
        return report

    def serialize(self) -> bytes:
        """The canonical serialized xuncha.v1.PatternState."""
        return self._core.state()

    def __len__(self) -> int:
        return len(self._core)

    def __getstate__(self):
        return {"defs": list(self._core.defs()), "state": self._core.state(),
                "rule_set": self._rule_set}

    def __setstate__(self, st) -> None:
        self._core = _xuncha.PatternAccumulator.from_state(st["defs"], st["state"])
        self._rule_set = st.get("rule_set")


def encode(message_type: str, message: Union[Mapping[str, Any], str]) -> bytes:
    """Serializes a message given as a dict or JSON text; ``message_type``
    is a full name such as ``"xuncha.v1.Finding"``. ValueError for an
    unknown type or a message that does not fit it."""
    return _xuncha.json_to_binary(message_type, message if isinstance(message, str)
                                  else json.dumps(message, ensure_ascii=False))


def decode(message_type: str, data: bytes) -> dict:
    """A serialized message of ``message_type`` as a dict (proto field
    names). ValueError when ``data`` does not parse."""
    return json.loads(_xuncha.binary_to_json(message_type, bytes(data)))


def read_ledger(db_path: Union[str, os.PathLike], *, with_history: bool = True) -> List[dict]:
    """Every entry of a ledger database (``xuncha ledger``), by seq, as
    LedgerEntry dicts. FileNotFoundError when the file does not exist (it is
    never created here)."""
    path = os.fspath(db_path)
    if not os.path.exists(path):
        raise FileNotFoundError(path)
    return [json.loads(e) for e in _xuncha.read_ledger_json(path, with_history)]
