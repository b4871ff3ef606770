"""Drive a CrossGuard policy pack over gRPC the way the Pulumi CLI does.

What the CLI does with a Python pack (``pulumi preview --policy-pack DIR``),
and what :func:`preview` repeats:

1. start ``python -u -m pulumi.policy <engine address> .`` in the pack
   directory, with the stack in ``PULUMI_PROJECT``/``PULUMI_STACK``/
   ``PULUMI_DRY_RUN``/``PULUMI_ORGANIZATION`` and its config in
   ``PULUMI_CONFIG``; the pack prints the port of its Analyzer server as its
   first line on stdout;
2. ``Handshake`` (a pack that does not implement it answers UNIMPLEMENTED,
   which the CLI accepts), ``ConfigureStack``, ``GetAnalyzerInfo``;
3. ``Configure`` with every policy's config: its default level and schema
   defaults, overlaid with the ``--policy-pack-config`` file, validated
   against each policy's config schema;
4. ``Analyze`` for each resource as it is registered, ``AnalyzeStack`` with
   all of them at the end.

The engine address points at a small Engine service of our own that records
log messages, so a pack that logs to the engine finds one. Every call is
time-bounded, and the process is always killed and its ports closed.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from concurrent import futures
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import grpc  # type: ignore[import-untyped]
import jsonschema  # type: ignore[import-untyped,unused-ignore]
from google.protobuf import empty_pb2, json_format, struct_pb2
from pulumi.runtime.proto import analyzer_pb2, analyzer_pb2_grpc, engine_pb2_grpc

START_TIMEOUT = 30.0
"""Seconds for the pack to import its policies and announce its port."""
CALL_TIMEOUT = 15.0
"""Seconds for any one gRPC call."""
STOP_TIMEOUT = 5.0

_UNKNOWN_WIRE = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
"""How the engine marks a value not known yet (during a preview) on the wire."""
_SIG_KEY = "4dabf18193072939515e22adb298388d"
_SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270"
_LEVELS = ("advisory", "mandatory", "remediate", "disabled")


class _Unknown:
    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN: Any = _Unknown()
"""Put in resource inputs for a value the engine does not know yet."""


@dataclass(frozen=True)
class Secret:
    """A secret input, sent wrapped as the engine sends it."""

    value: Any


@dataclass(frozen=True)
class Provider:
    """The provider resource the engine sends with each resource."""

    type: str
    name: str
    urn: str
    inputs: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class StackResource:
    """A resource as the engine sends it: camelCase inputs, options and provider."""

    type: str
    name: str
    urn: str
    inputs: Mapping[str, Any] = field(default_factory=dict)
    protect: bool = False
    parent: str = ""
    dependencies: tuple[str, ...] = ()
    provider: Provider | None = None


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One policy violation as the CLI receives it."""

    policy: str
    level: str
    urn: str
    message: str
    pack: str


@dataclass(frozen=True)
class PolicyInfo:
    """What the pack says about one policy."""

    name: str
    level: str
    description: str
    config_schema: Mapping[str, Any]


@dataclass(frozen=True)
class PolicyConfig:
    """One policy's config: its enforcement level and properties."""

    level: str
    properties: Mapping[str, Any]


class PackError(RuntimeError):
    """The pack could not be started or driven; the message carries its stderr."""


class PolicyConfigError(ValueError):
    """A policy pack config the CLI would refuse."""


@dataclass
class Preview:
    """What one run through the pack produced."""

    policies: dict[str, PolicyInfo]
    config: dict[str, PolicyConfig]
    resource_diagnostics: list[Diagnostic]
    stack_diagnostics: list[Diagnostic]
    engine_logs: list[str]
    stderr: str

    @property
    def diagnostics(self) -> list[Diagnostic]:
        """Per-resource and stack diagnostics together."""
        return [*self.resource_diagnostics, *self.stack_diagnostics]

    def triples(self) -> set[tuple[str, str, str]]:
        """(policy, urn, level) of every diagnostic."""
        return {(d.policy, d.urn, d.level) for d in self.diagnostics}


# --- wire format -------------------------------------------------------------------------


def _wire(value: Any) -> Any:
    if value is UNKNOWN:
        return _UNKNOWN_WIRE
    if isinstance(value, Secret):
        return {_SIG_KEY: _SECRET_SIG, "value": _wire(value.value)}
    if isinstance(value, Mapping):
        return {str(k): _wire(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_wire(v) for v in value]
    if isinstance(value, int) and not isinstance(value, bool):
        return float(value)  # the engine sends every number as a float
    return value


def _struct(values: Mapping[str, Any]) -> struct_pb2.Struct:
    s = struct_pb2.Struct()
    s.update(_wire(values))
    return s


def _options(res: StackResource) -> analyzer_pb2.AnalyzerResourceOptions:
    return analyzer_pb2.AnalyzerResourceOptions(
        protect=res.protect,
        parent=res.parent,
        customTimeouts=analyzer_pb2.AnalyzerResourceOptions.CustomTimeouts(),
    )


def _provider(res: StackResource) -> analyzer_pb2.AnalyzerProviderResource | None:
    p = res.provider
    if p is None:
        return None
    return analyzer_pb2.AnalyzerProviderResource(
        type=p.type, name=p.name, urn=p.urn, properties=_struct(p.inputs)
    )


def _level_name(value: int) -> str:
    return str(analyzer_pb2.EnforcementLevel.Name(value)).lower()  # type: ignore[arg-type]


def _diagnostics(response: analyzer_pb2.AnalyzeResponse) -> list[Diagnostic]:
    return sorted(
        Diagnostic(
            d.policyName, _level_name(d.enforcementLevel), d.urn, d.message, d.policyPackName
        )
        for d in response.diagnostics
    )


# --- policy config, as the CLI reconciles it ----------------------------------------------


def load_config_file(path: Path) -> dict[str, dict[str, Any]]:
    """A ``--policy-pack-config`` file: policy name -> level string or object."""
    text = path.read_text(encoding="utf-8")
    if not text.strip():
        return {}
    data = json.loads(text)
    if not isinstance(data, dict):
        raise PolicyConfigError(f"{path}: expected a JSON object of policy names")
    out: dict[str, dict[str, Any]] = {}
    for name, value in data.items():
        if isinstance(value, str):
            out[name] = {"enforcementLevel": value}
        elif isinstance(value, dict):
            out[name] = dict(value)
        else:
            raise PolicyConfigError(f"{path}: {name}: must be a level string or an object")
    return out


def reconcile(
    policies: Mapping[str, PolicyInfo], given: Mapping[str, Mapping[str, Any]]
) -> dict[str, PolicyConfig]:
    """Defaults from the policies, then ``all``, then per-policy config; validated.

    Stricter than the CLI in one way: a config entry for a policy the pack
    does not have is an error here, so a misspelt name cannot go unnoticed.
    """
    result = {
        name: PolicyConfig(
            info.level,
            {
                k: v["default"]
                for k, v in info.config_schema.get("properties", {}).items()
                if isinstance(v, Mapping) and "default" in v
            },
        )
        for name, info in policies.items()
    }
    every = given.get("all", {}).get("enforcementLevel")
    if every is not None:
        result = {
            n: PolicyConfig(_checked_level("all", every), c.properties) for n, c in result.items()
        }
    for name, entry in given.items():
        if name == "all":
            continue
        if name not in result:
            raise PolicyConfigError(f"config names policy {name!r}, which the pack does not have")
        props = {k: v for k, v in entry.items() if k != "enforcementLevel"}
        level = entry.get("enforcementLevel")
        result[name] = PolicyConfig(
            _checked_level(name, level) if level is not None else result[name].level,
            {**result[name].properties, **props},
        )
    for name, config in result.items():
        _validate(name, policies[name].config_schema, config.properties)
    return result


def _checked_level(name: str, level: Any) -> str:
    if level not in _LEVELS:
        raise PolicyConfigError(f"{name}: {level!r} is not a valid enforcement level")
    return str(level)


def _validate(name: str, schema: Mapping[str, Any], props: Mapping[str, Any]) -> None:
    full = {"type": "object", **schema}
    validator = jsonschema.Draft7Validator(full, format_checker=jsonschema.FormatChecker())
    errors = sorted(validator.iter_errors(dict(props)), key=lambda e: list(e.path))
    if errors:
        raise PolicyConfigError("; ".join(f"{name}: {e.message}" for e in errors))


def _configure_request(config: Mapping[str, PolicyConfig]) -> analyzer_pb2.ConfigureAnalyzerRequest:
    request = analyzer_pb2.ConfigureAnalyzerRequest()
    for name, c in config.items():
        request.policyConfig[name].CopyFrom(
            analyzer_pb2.PolicyConfig(
                enforcementLevel=analyzer_pb2.EnforcementLevel.Value(c.level.upper()),
                properties=_struct(c.properties),
            )
        )
    return request


# --- the engine the pack is pointed at ----------------------------------------------------


class _Engine(engine_pb2_grpc.EngineServicer):
    """Records what a pack logs to the engine."""

    def __init__(self) -> None:
        self.logs: list[str] = []

    def Log(self, request: Any, context: Any) -> empty_pb2.Empty:
        self.logs.append(f"{request.severity}: {request.message}")
        return empty_pb2.Empty()


@contextlib.contextmanager
def _engine_server() -> Iterator[tuple[str, _Engine]]:
    engine = _Engine()
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=2))
    engine_pb2_grpc.add_EngineServicer_to_server(engine, server)
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    try:
        yield f"127.0.0.1:{port}", engine
    finally:
        server.stop(grace=None).wait(STOP_TIMEOUT)


# --- the pack process ---------------------------------------------------------------------


def _pack_env(
    project: str, stack: str, dry_run: bool, stack_config: Mapping[str, str]
) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PULUMI_")}
    env.update(
        PULUMI_PROJECT=project,
        PULUMI_STACK=stack,
        PULUMI_DRY_RUN="true" if dry_run else "false",
        PULUMI_ORGANIZATION="organization",
    )
    if stack_config:
        env["PULUMI_CONFIG"] = json.dumps(dict(stack_config))
    return env


def _read_lines(stream: IO[bytes], lines: queue.Queue[str | None]) -> None:
    for raw in iter(stream.readline, b""):
        lines.put(raw.decode("utf-8", "replace"))
    lines.put(None)


class PackProcess:
    """A running pack and an Analyzer client connected to it. Use as a context manager."""

    def __init__(
        self, pack_dir: Path, engine_address: str, env: Mapping[str, str] | None = None
    ) -> None:
        self.pack_dir = pack_dir
        self.port = 0
        self._stderr = tempfile.TemporaryFile()  # noqa: SIM115 - lives as long as the process
        # A session of its own, so the whole process group can be killed at the end.
        self._proc = subprocess.Popen(
            [sys.executable, "-u", "-m", "pulumi.policy", engine_address, "."],
            cwd=pack_dir,
            env=dict(os.environ if env is None else env),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            start_new_session=True,
        )
        assert self._proc.stdout is not None
        self._lines: queue.Queue[str | None] = queue.Queue()
        self._reader = threading.Thread(
            target=_read_lines, args=(self._proc.stdout, self._lines), daemon=True
        )
        self._reader.start()
        self._channel: Any = None
        self._closed = False
        try:
            self.port = self._await_port()
            self._channel = grpc.insecure_channel(f"127.0.0.1:{self.port}")
            grpc.channel_ready_future(self._channel).result(timeout=START_TIMEOUT)
        except BaseException:
            self.close()
            raise
        self.client = analyzer_pb2_grpc.AnalyzerStub(self._channel)

    def _await_port(self) -> int:
        try:
            first = self._lines.get(timeout=START_TIMEOUT)
        except queue.Empty:
            raise PackError(
                f"pack did not announce its port within {START_TIMEOUT:.0f} s\n{self.stderr()}"
            ) from None
        if first is None or not first.strip().isdigit():
            code = self._proc.wait(timeout=STOP_TIMEOUT) if first is None else None
            raise PackError(
                f"pack did not announce a port (exit code {code}, "
                f"stdout {first!r})\n{self.stderr()}"
            )
        return int(first)

    def stderr(self) -> str:
        """What the pack wrote to stderr so far."""
        if self._stderr.closed:
            return ""
        self._stderr.seek(0)
        return self._stderr.read().decode("utf-8", "replace")

    def call(self, method: str, request: Any) -> Any:
        """One Analyzer call, time-bounded; errors carry the pack's stderr."""
        try:
            return getattr(self.client, method)(request, timeout=CALL_TIMEOUT)
        except grpc.RpcError as e:
            raise PackError(f"{method}: {e.code().name}: {e.details()}\n{self.stderr()}") from e

    def running(self) -> bool:
        """Whether the pack process is still alive."""
        return self._proc.poll() is None

    def close(self) -> None:
        """Kill the process group, close the channel, release the pipes; idempotent."""
        if self._closed:
            return
        self._closed = True
        if self._proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self._proc.pid, signal.SIGKILL)
        self._proc.wait(timeout=STOP_TIMEOUT)
        # Closed after the pack is gone: a channel to a live server takes 0.2 s to close.
        if self._channel is not None:
            self._channel.close()
        # The reader sees end of file once the process is gone; only then close its pipe.
        self._reader.join(timeout=STOP_TIMEOUT)
        if self._proc.stdout is not None:
            self._proc.stdout.close()
        self._stderr.close()

    def __enter__(self) -> PackProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# --- the CLI's sequence -------------------------------------------------------------------


def _handshake(pack: PackProcess, engine_address: str) -> None:
    directory = str(pack.pack_dir)
    request = analyzer_pb2.AnalyzerHandshakeRequest(
        engine_address=engine_address, root_directory=directory, program_directory=directory
    )
    try:
        pack.client.Handshake(request, timeout=CALL_TIMEOUT)
    except grpc.RpcError as e:
        if e.code() != grpc.StatusCode.UNIMPLEMENTED:  # the CLI falls back on UNIMPLEMENTED
            raise PackError(f"Handshake: {e.code().name}: {e.details()}") from e


def _policies(info: analyzer_pb2.AnalyzerInfo) -> dict[str, PolicyInfo]:
    return {
        p.name: PolicyInfo(
            p.name,
            _level_name(p.enforcementLevel),
            p.description,
            json_format.MessageToDict(p.configSchema),
        )
        for p in info.policies
    }


def _stack_request(resources: Sequence[StackResource]) -> analyzer_pb2.AnalyzeStackRequest:
    return analyzer_pb2.AnalyzeStackRequest(
        resources=[
            analyzer_pb2.AnalyzerResource(
                type=r.type,
                name=r.name,
                urn=r.urn,
                properties=_struct(r.inputs),
                options=_options(r),
                provider=_provider(r),
                parent=r.parent,
                dependencies=list(r.dependencies),
            )
            for r in resources
        ]
    )


def preview(
    pack_dir: Path,
    resources: Iterable[StackResource],
    *,
    config: Mapping[str, Mapping[str, Any]] | None = None,
    config_file: Path | None = None,
    project: str = "auth0-myaccount",
    stack: str = "dev",
    dry_run: bool = True,
    stack_config: Mapping[str, str] | None = None,
) -> Preview:
    """Run ``resources`` through the pack as one ``pulumi preview --policy-pack`` would.

    ``config_file`` is a ``--policy-pack-config`` file; ``config`` is the same
    shape in memory, applied after it.
    """
    items = list(resources)
    given = {**(load_config_file(config_file) if config_file else {}), **(config or {})}
    with (
        _engine_server() as (address, engine),
        PackProcess(
            pack_dir, address, _pack_env(project, stack, dry_run, stack_config or {})
        ) as pack,
    ):
        _handshake(pack, address)
        pack.call(
            "ConfigureStack",
            analyzer_pb2.AnalyzerStackConfigureRequest(
                stack=stack,
                project=project,
                organization="organization",
                dry_run=dry_run,
                config=dict(stack_config or {}),
            ),
        )
        policies = _policies(pack.call("GetAnalyzerInfo", empty_pb2.Empty()))
        reconciled = reconcile(policies, given)
        pack.call("Configure", _configure_request(reconciled))
        per_resource: list[Diagnostic] = []
        for r in items:
            per_resource += _diagnostics(
                pack.call(
                    "Analyze",
                    analyzer_pb2.AnalyzeRequest(
                        type=r.type,
                        name=r.name,
                        urn=r.urn,
                        properties=_struct(r.inputs),
                        options=_options(r),
                        provider=_provider(r),
                    ),
                )
            )
        stack_diags = _diagnostics(pack.call("AnalyzeStack", _stack_request(items)))
        stderr = pack.stderr()
    return Preview(policies, reconciled, per_resource, stack_diags, list(engine.logs), stderr)
