"""Run the real Pulumi program with no engine, no CLI and no credentials.

Pulumi's mock monitor stands in for the engine. Every resource the program
registers is recorded the way the engine would receive it: camelCase input
keys at every depth, plus the options that matter here (protect, retain on
delete, import id, parent). This is what ``tenantcfg plan`` prints and what the
offline policy check judges.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import json
import os
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pulumi
import pulumi.runtime
from google.protobuf import json_format
from pulumi.runtime import mocks as pulumi_mocks
from pulumi.runtime.stack import run_in_stack

from tenantcfg.stack.registrations import OfflineRun, Registration

__all__ = ["OfflineRun", "Registration", "run_offline"]


class _Mocks(pulumi_mocks.Mocks):
    """Echoes inputs back as state; ids are placeholders, like a preview's."""

    def new_resource(
        self, args: pulumi_mocks.MockResourceArgs
    ) -> tuple[str | None, dict[str, Any]]:
        # A non-empty id: with an empty one the SDK skips .apply callbacks silently.
        return (args.resource_id or f"{args.name}-id", dict(args.inputs))

    def call(self, args: pulumi_mocks.MockCallArgs) -> Any:
        return {}


class _RecordingMonitor(pulumi_mocks.MockMonitor):
    """The SDK's mock monitor, keeping each registration request as the engine gets it."""

    def __init__(self, mocks: pulumi_mocks.Mocks) -> None:
        super().__init__(mocks)
        self.run = OfflineRun()

    def RegisterResource(self, request: Any) -> Any:
        with _worker_thread_loop():
            response = super().RegisterResource(request)  # type: ignore[no-untyped-call]
        if request.type != "pulumi:pulumi:Stack":
            self.run.registrations.append(
                Registration(
                    type=request.type,
                    name=request.name,
                    urn=response.urn,
                    parent=request.parent,
                    custom=bool(request.custom),
                    inputs=json_format.MessageToDict(request.object),
                    protect=bool(request.protect),
                    retain_on_delete=bool(request.retainOnDelete),
                    import_id=request.importId,
                    dependencies=tuple(request.dependencies),
                    alias_names=tuple(a.spec.name for a in request.aliases if a.spec.name),
                )
            )
        return response

    def RegisterResourceOutputs(self, request: Any) -> Any:
        if request.urn.split("::")[2] == "pulumi:pulumi:Stack":
            self.run.outputs = json_format.MessageToDict(request.outputs)
        return super().RegisterResourceOutputs(request)  # type: ignore[no-untyped-call]


@contextlib.contextmanager
def _worker_thread_loop() -> Iterator[None]:
    # The SDK calls the monitor from executor threads and gives each thread an
    # event loop that nobody closes; close it here so none leaks.
    if threading.current_thread() is threading.main_thread():
        yield
        return
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    try:
        yield
    finally:
        asyncio.set_event_loop(None)
        loop.close()


@contextlib.contextmanager
def _own_event_loop() -> Iterator[asyncio.AbstractEventLoop]:
    # The SDK looks the loop up per thread; a loop left open prints
    # 'Exception ignored ... Invalid file descriptor' at interpreter exit.
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    try:
        yield loop
    finally:
        with contextlib.suppress(Exception):
            loop.run_until_complete(loop.shutdown_asyncgens())
        loop.close()
        asyncio.set_event_loop(None)


def run_offline(
    program: Callable[[], None],
    *,
    project: str,
    stack: str,
    config: dict[str, str] | None = None,
) -> OfflineRun:
    """Run ``program`` under mocks as a preview of ``project``/``stack`` would.

    ``config`` holds fully qualified keys (``auth0:domain``) with string values.
    Exceptions the program raises (``pulumi.RunError`` for bad input) propagate.
    """
    monitor = _RecordingMonitor(_Mocks())
    with _own_event_loop() as loop, _config_env(config or {}), _no_gc_pauses():
        pulumi.runtime.settings._set_stack(stack)
        pulumi_mocks.set_mocks(
            _Mocks(), project=project, stack=stack, preview=True, monitor=monitor
        )
        # set_mocks makes and finishes a root stack of its own; the program's
        # exports need a stack that finishes after the program, as the engine has.
        pulumi.runtime.settings.set_root_resource(None)  # type: ignore[arg-type]
        loop.run_until_complete(run_in_stack(program))
    # Registrations arrive from several threads; order them the same way every
    # run: parents before children, then by type and name. (The depth is counted
    # along parents: a URN names its parent's type, not the whole chain.)
    parents = {r.urn: r.parent for r in monitor.run.registrations}
    monitor.run.registrations.sort(key=lambda r: (_depth(r.urn, parents), r.type, r.name))
    return monitor.run


@contextlib.contextmanager
def _no_gc_pauses() -> Iterator[None]:
    # A run allocates many short-lived cyclic objects (futures, outputs); the cyclic
    # collector then spends about half the run scanning them. Collect once at the end.
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
        gc.collect()


def _depth(urn: str, parents: dict[str, str]) -> int:
    depth = 0
    while urn in parents:
        urn, depth = parents[urn], depth + 1
    return depth


@contextlib.contextmanager
def _config_env(config: dict[str, str]) -> Iterator[None]:
    # The SDK falls back to the PULUMI_CONFIG variable for keys the config map lacks;
    # replace it too, so a shell's own PULUMI_CONFIG cannot leak into an offline run.
    previous = os.environ.get("PULUMI_CONFIG")
    os.environ["PULUMI_CONFIG"] = json.dumps(config)
    pulumi.runtime.config.set_all_config(config, [])
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop("PULUMI_CONFIG", None)
        else:
            os.environ["PULUMI_CONFIG"] = previous
        pulumi.runtime.config.set_all_config({}, [])
