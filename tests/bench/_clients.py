"""Simulated tablets spread over several client processes (one Python process cannot
drive hundreds of websockets fast enough to measure the server rather than itself)."""

from __future__ import annotations

import asyncio
import multiprocessing as mp
from collections.abc import Callable
from typing import Any


class ClientProcesses:
    """Processes running ``target(pipe, share)``, each with its share of ``targets``;
    ``ask`` sends one command to all of them and gathers their answers."""

    def __init__(self, target: Callable[[Any, list[Any]], None], targets: list[Any],
                 processes: int):
        self.pipes, self.procs = [], []
        ctx = mp.get_context("spawn")
        for share in (targets[i::processes] for i in range(processes)):
            parent, child = ctx.Pipe()
            proc = ctx.Process(target=target, args=(child, share), daemon=True)
            proc.start()
            self.pipes.append(parent)
            self.procs.append(proc)

    async def ask(self, *command: Any) -> list[Any]:
        loop = asyncio.get_running_loop()
        for pipe in self.pipes:
            pipe.send(command)
        return await asyncio.gather(*(loop.run_in_executor(None, p.recv) for p in self.pipes))

    async def close(self) -> None:
        await self.ask("close")
        for proc in self.procs:
            proc.join(5)
