"""Several app hosts on one machine, for real: a province's deployment in miniature.

Each app host is a network namespace joined to a bridge in the root namespace by a veth
pair (iproute2), with its own address and its own data folder, running ``hdnd serve`` as
installed. The root namespace plays the other machines: a PostgreSQL cluster of its own
(``initdb``, listening only on the bridge address), a Redis of its own (so a test may
restart it without touching the machine's), and HAProxy from Debian in front of the hosts,
configured from ``HAPROXY_TEMPLATE`` (the configuration docs/operations.md shows). Every
file lives in PostgreSQL large objects (``HDND_FILE_STORAGE=postgres``): no file is only
on one host's disk. Only the key files are copied to every host, as a secret would be.

Needs root (namespaces, and ``runuser`` to run PostgreSQL as ``postgres``); ``unusable()``
says why not when it cannot run. Everything is removed on ``close()``, failure or not, and
``sweep()`` removes what a killed run left (names carry the owning process id).
"""

from __future__ import annotations

import contextlib
import glob
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
PREFIX = "hdp"  # namespaces hdp<pid>h<n>, bridge hdp<pid>br
APP_PORT = 8000
PG_PORT = 5433
REDIS_PORT = 6380
SECRET = "province-test-secret"

# The load balancer's configuration: websockets pass through as tunnels (long client,
# server and tunnel time-outs); a host is taken out after two failed health checks of
# /api/health; a connection refused by a dead host is sent to another (redispatch); no
# stickiness: the hosts agree through PostgreSQL and Redis. The response names the host
# (X-Hdnd-Host) so tests can see where each tablet landed.
HAPROXY_TEMPLATE = """\
global
    maxconn 4000

defaults
    mode http
    option http-server-close
    option redispatch
    retries 3
    timeout connect 2s
    timeout client 1h
    timeout server 1h
    timeout tunnel 1h
    timeout client-fin 5s
    timeout http-request 10s
    timeout check 5s

frontend hdnd
    bind {bind}
{ws_rule}    default_backend app

backend app
    balance {balance}
    option httpchk GET /api/health
    http-check expect status 200
    default-server inter {check_inter} fall 2 rise 2 maxconn 5000
    http-response set-header X-Hdnd-Host %s
{servers}
{ws_backend}"""

# Optional: every websocket of one sitting to one host (consistent hash of the path
# /ws/sittings/<id>), so each host builds and sends the frames of its own sittings only;
# a lost host's sittings move to the others. Not needed for correctness.
BY_SITTING_RULE = "    use_backend app_ws if { path_beg /ws/sittings/ }\n"
BY_SITTING_BACKEND = """
backend app_ws
    balance uri depth 3
    hash-type consistent
    option httpchk GET /api/health
    http-check expect status 200
    default-server inter {check_inter} fall 2 rise 2 maxconn 5000
    http-response set-header X-Hdnd-Host %s
{servers}
"""


def unusable() -> str | None:
    """Why the province cannot be built here, or None."""
    if os.geteuid() != 0:
        return "needs root for network namespaces (CI runs as root)"
    for tool in ("ip", "haproxy", "redis-server", "runuser"):
        if shutil.which(tool) is None:
            return f"{tool} is not installed (scripts/system-deps.sh installs it)"
    if not _pg_bin():
        return "PostgreSQL server binaries (initdb) are not installed"
    probe = f"{PREFIX}probe{os.getpid()}"
    made = subprocess.run(["ip", "netns", "add", probe], capture_output=True, text=True)
    if made.returncode != 0:
        return f"ip netns add failed: {made.stderr.strip()}"
    subprocess.run(["ip", "netns", "del", probe], capture_output=True)
    return None


def _pg_bin() -> str | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: int(p.split("/")[4]))
    return str(Path(found[-1]).parent) if found else None


def _run(*cmd: str, check: bool = True) -> subprocess.CompletedProcess:
    done = subprocess.run(list(cmd), capture_output=True, text=True)
    if check and done.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)}: {done.stderr.strip()}")
    return done


def sweep() -> None:
    """Remove what runs whose process is gone left behind: their processes first (app
    hosts, Redis, HAProxy, PostgreSQL), then namespaces, veth ends and bridges."""
    for workdir in Path(tempfile.gettempdir()).glob("hdnd-province-*-*"):
        owner = re.match(r"hdnd-province-(\d+)-", workdir.name)
        if not owner or Path(f"/proc/{owner.group(1)}").exists():
            continue
        _kill_recorded(workdir / "pids")
        if (workdir / "pg" / "postmaster.pid").exists():
            _run("runuser", "-u", "postgres", "--", f"{_pg_bin()}/pg_ctl", "-D",
                 str(workdir / "pg"), "-m", "immediate", "-w", "stop", check=False)
        shutil.rmtree(workdir, ignore_errors=True)
    names = _run("ip", "netns", "list", check=False).stdout.split()
    links = _run("ip", "-o", "link", "show", check=False).stdout
    devices = {line.split(":")[1].split("@")[0].strip() for line in links.splitlines()
               if ":" in line}
    for name in {*names, *devices}:
        owner = re.match(PREFIX + r"(\d+)(h\d+v?|br)$", name)
        if owner and not Path(f"/proc/{owner.group(1)}").exists():
            _run("ip", "netns", "del", name, check=False)
            _run("ip", "link", "del", name, check=False)


def _kill_recorded(pids: Path) -> None:
    """SIGKILL each recorded process whose command line still names what it was."""
    lines = pids.read_text().splitlines() if pids.exists() else []
    for line in lines:
        pid, marker = line.split(" ", 1)
        with contextlib.suppress(OSError):
            if marker in Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode():
                os.kill(int(pid), signal.SIGKILL)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Host:
    name: str  # the namespace
    address: str
    data_dir: Path
    proc: subprocess.Popen | None = None

    @property
    def http(self) -> str:
        return f"http://{self.address}:{APP_PORT}"

    @property
    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None


@dataclass
class Province:
    """``hosts`` app hosts behind HAProxy, one PostgreSQL, one Redis; a context manager."""

    hosts_wanted: int = 3
    extra_delegates: int = 30
    check_inter: str = "500ms"
    balance: str = "leastconn"
    workdir: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(
        prefix=f"hdnd-province-{os.getpid()}-")))
    hosts: list[Host] = field(default_factory=list)
    tokens: list[str] = field(default_factory=list)  # access tokens of the extra delegates
    councils: int = 1  # the demo's and councils - 1 more communes shaped like it
    # councils after the first ``sitting_councils`` sit nowhere: a few delegates each
    sitting_councils: int | None = None
    idle_delegates: int = 6
    # per council (1 = the demo's): its clerk and chair usernames and its extra delegates
    logins: dict[int, tuple[str, str]] = field(default_factory=dict)
    council_tokens: dict[int, list[str]] = field(default_factory=dict)
    lb_port: int = 0

    def __post_init__(self) -> None:
        tag = f"{PREFIX}{os.getpid()}"
        self.bridge = f"{tag}br"
        self.ns_prefix = f"{tag}h"
        self.net = f"10.{100 + os.getpid() % 100}.{os.getpid() // 100 % 200}"
        self.gateway = f"{self.net}.1"
        self._procs: dict[str, subprocess.Popen] = {}
        self._began = time.monotonic()
        self.pg_data = self.workdir / "pg"
        self.database_url = f"postgresql://postgres@{self.gateway}:{PG_PORT}/hdnd"
        self.redis_url = f"redis://{self.gateway}:{REDIS_PORT}/0"

    # --- the whole ---------------------------------------------------------------------

    def __enter__(self) -> Province:
        try:
            self.start()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def start(self) -> None:
        sweep()
        os.chmod(self.workdir, 0o755)  # PostgreSQL runs as postgres inside it
        self._network()
        self._postgres()
        self.start_redis()
        self.progress("network, PostgreSQL and Redis up")
        self._seed()
        self.progress("seeded")
        for n in range(self.hosts_wanted):  # started together: each takes seconds to import
            self.spawn_host(n)
        for n in range(self.hosts_wanted):
            self.wait_host(n)
        self.progress(f"{self.hosts_wanted} hosts up")
        self._haproxy()

    def _record(self, proc: subprocess.Popen, marker: str) -> None:
        """So that ``sweep`` can end it if this run is killed outright."""
        with open(self.workdir / "pids", "a") as pids:
            pids.write(f"{proc.pid} {marker}\n")

    def progress(self, what: str) -> None:
        if os.environ.get("HDND_PROVINCE_VERBOSE"):
            print(f"[province {time.monotonic() - self._began:6.1f}s] {what}", file=sys.stderr,
                  flush=True)

    def close(self) -> None:
        for host in self.hosts:
            self.kill_host(self.hosts.index(host))
        for name, proc in list(self._procs.items()):
            if proc.poll() is None:
                proc.terminate()
                with contextlib.suppress(subprocess.TimeoutExpired):
                    proc.wait(5)
                if proc.poll() is None:
                    proc.kill()
                    proc.wait()
            self._procs.pop(name)
        if (self.pg_data / "PG_VERSION").exists():
            _run("runuser", "-u", "postgres", "--", f"{_pg_bin()}/pg_ctl", "-D", str(self.pg_data),
                 "-m", "immediate", "-w", "stop", check=False)
        for host in self.hosts:
            _run("ip", "netns", "del", host.name, check=False)
        for n in range(self.hosts_wanted):
            _run("ip", "netns", "del", f"{self.ns_prefix}{n}", check=False)
        _run("ip", "link", "del", self.bridge, check=False)
        if not os.environ.get("HDND_PROVINCE_KEEP"):
            shutil.rmtree(self.workdir, ignore_errors=True)

    # --- network -----------------------------------------------------------------------

    def _network(self) -> None:
        _run("ip", "link", "add", self.bridge, "type", "bridge")
        _run("ip", "addr", "add", f"{self.gateway}/24", "dev", self.bridge)
        _run("ip", "link", "set", self.bridge, "up")
        for n in range(self.hosts_wanted):
            name = f"{self.ns_prefix}{n}"
            outside = f"{name}v"
            _run("ip", "netns", "add", name)
            _run("ip", "link", "add", outside, "type", "veth", "peer", "name", "eth0",
                 "netns", name)
            _run("ip", "link", "set", outside, "master", self.bridge, "up")
            address = f"{self.net}.{11 + n}"
            _run("ip", "-n", name, "addr", "add", f"{address}/24", "dev", "eth0")
            _run("ip", "-n", name, "link", "set", "eth0", "up")
            _run("ip", "-n", name, "link", "set", "lo", "up")
            self.hosts.append(Host(name, address, self.workdir / f"host{n}"))

    # --- the database and Redis ----------------------------------------------------------

    def _postgres(self) -> None:
        pg_bin = _pg_bin()
        self.pg_data.mkdir()
        shutil.chown(self.pg_data, "postgres", "postgres")
        as_postgres = ("runuser", "-u", "postgres", "--")
        _run(*as_postgres, f"{pg_bin}/initdb", "-D", str(self.pg_data), "-A", "trust",
             "-U", "postgres", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync")
        with open(self.pg_data / "pg_hba.conf", "a") as hba:  # the hosts' subnet only
            hba.write(f"host all all {self.net}.0/24 trust\n")
        options = (f"-c listen_addresses={self.gateway} -c port={PG_PORT} "
                   f"-c unix_socket_directories={self.pg_data} -c max_connections=400")
        _run(*as_postgres, f"{pg_bin}/pg_ctl", "-D", str(self.pg_data), "-l",
             str(self.pg_data / "server.log"), "-o", options, "-w", "start")
        import psycopg

        admin = self.database_url.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute("CREATE DATABASE hdnd")

    def start_redis(self) -> None:
        log = open(self.workdir / "redis.log", "ab")  # closed with the process
        self._procs["redis"] = subprocess.Popen(
            ["redis-server", "--bind", self.gateway, "--port", str(REDIS_PORT), "--save", "",
             "--appendonly", "no", "--protected-mode", "no"], stdout=log, stderr=log)
        self._record(self._procs["redis"], self.gateway)
        import redis

        deadline = time.monotonic() + 10
        while True:
            try:
                redis.Redis.from_url(self.redis_url).ping()
                return
            except redis.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def stop_redis(self) -> None:
        proc = self._procs.pop("redis")
        proc.terminate()
        proc.wait(10)

    def restart_redis(self, down_s: float = 1.0) -> None:
        self.stop_redis()
        time.sleep(down_s)
        self.start_redis()

    def _seed(self) -> None:
        from server.config import Settings
        from tests.server.live.conftest import add_delegates, add_load_council, seed

        seed_dir = self.workdir / "seed"
        settings = Settings(data_dir=seed_dir, database_url=self.database_url,
                            secret_key=SECRET, file_storage="postgres")
        seed(settings)
        if self.extra_delegates:
            self.tokens = add_delegates(seed_dir, self.extra_delegates, self.database_url)
        self.logins[1], self.council_tokens[1] = ("clerk", "chair"), self.tokens
        sitting = self.sitting_councils or self.councils
        for index in range(2, self.councils + 1):
            delegates = self.extra_delegates if index <= sitting else self.idle_delegates
            clerk, chair, tokens = add_load_council(seed_dir, index, delegates,
                                                    self.database_url)
            self.logins[index], self.council_tokens[index] = (clerk, chair), tokens
        for host in self.hosts:  # only the keys, as a secret mounted on every host
            shutil.copytree(seed_dir / "keys", host.data_dir / "keys")

    # --- app hosts ---------------------------------------------------------------------

    def host_env(self, host: Host) -> dict[str, str]:
        """What each app host's service manager sets (docs/operations.md)."""
        env = {**os.environ, "HDND_DATA_DIR": str(host.data_dir),
               "HDND_DATABASE_URL": self.database_url, "HDND_REDIS_URL": self.redis_url,
               "HDND_FILE_STORAGE": "postgres", "HDND_SECRET_KEY": SECRET,
               "PYTHONPATH": str(ROOT)}
        return env

    def start_host(self, n: int) -> Host:
        self.spawn_host(n)
        return self.wait_host(n)

    def spawn_host(self, n: int) -> None:
        host = self.hosts[n]
        log = open(self.workdir / f"host{n}.log", "ab")  # closed with the process
        host.proc = subprocess.Popen(
            ["ip", "netns", "exec", host.name, sys.executable, "-m", "server.cli", "serve",
             "--host", host.address, "--port", str(APP_PORT)],
            cwd=ROOT, env=self.host_env(host), stdout=log, stderr=subprocess.STDOUT)
        self._record(host.proc, host.address)

    def wait_host(self, n: int, timeout: float = 180) -> Host:
        host = self.hosts[n]
        assert host.proc is not None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if host.proc.poll() is not None:
                raise RuntimeError(f"{host.name} exited:\n{self.log(n)[-2000:]}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(host.http + "/api/health", timeout=1).status_code == 200:
                    return host
            time.sleep(0.2)
        raise RuntimeError(f"{host.name} did not start:\n{self.log(n)[-2000:]}")

    def kill_host(self, n: int) -> None:
        """A power cut: SIGKILL, no goodbye to its websockets."""
        host = self.hosts[n]
        if host.alive:
            assert host.proc is not None
            host.proc.send_signal(signal.SIGKILL)
            host.proc.wait()

    def log(self, n: int) -> str:
        path = self.workdir / f"host{n}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    # --- the load balancer ----------------------------------------------------------------

    def haproxy_config(self, port: int | None = None, hosts: list[int] | None = None,
                       by_sitting: bool = False) -> str:
        chosen = range(len(self.hosts)) if hosts is None else hosts
        servers = "\n".join(f"    server app{n} {self.hosts[n].address}:{APP_PORT} check"
                             for n in chosen)
        ws_backend = (BY_SITTING_BACKEND.format(check_inter=self.check_inter, servers=servers)
                      if by_sitting else "")
        return HAPROXY_TEMPLATE.format(bind=f"127.0.0.1:{port or self.lb_port}",
                                       balance=self.balance, check_inter=self.check_inter,
                                       servers=servers, ws_backend=ws_backend,
                                       ws_rule=BY_SITTING_RULE if by_sitting else "")

    def _haproxy(self) -> None:
        self.lb_port = self.balancer(None, "haproxy")

    def balancer(self, hosts: list[int] | None, name: str, by_sitting: bool = False) -> int:
        """An HAProxy over ``hosts`` (all when None) on a free loopback port; its port."""
        port = free_port()
        config = self.workdir / f"{name}.cfg"
        config.write_text(self.haproxy_config(port, hosts, by_sitting))
        _run("haproxy", "-c", "-q", "-f", str(config))
        log = open(self.workdir / f"{name}.log", "ab")  # closed with the process
        self._procs[name] = subprocess.Popen(["haproxy", "-db", "-f", str(config)],
                                             stdout=log, stderr=log)
        self._record(self._procs[name], str(config))
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self._procs[name].poll() is not None:
                raise RuntimeError("HAProxy exited: " + (self.workdir / f"{name}.log").read_text())
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=1).status_code == 200:
                    return port
            time.sleep(0.1)
        raise RuntimeError("HAProxy did not answer")

    @property
    def http(self) -> str:
        return f"http://127.0.0.1:{self.lb_port}"

    def ws(self, sitting_id: int) -> str:
        return f"ws://127.0.0.1:{self.lb_port}/ws/sittings/{sitting_id}"

    # --- the app through the load balancer ----------------------------------------------

    def token(self, username: str, base: str | None = None) -> str:
        from tests.server.live.conftest import DEMO_PASSWORD

        answer = httpx.post((base or self.http) + "/api/auth/token", timeout=30,
                            data={"username": username, "password": DEMO_PASSWORD})
        answer.raise_for_status()
        return answer.json()["access_token"]

    def new_sitting(self, title: str, base: str | None = None, council: int = 1) -> int:
        """A sitting of the published session of ``council`` (1: the demo's), made by its
        clerk through the API."""
        from server.demo.calendar import demo_schedule

        base = base or self.http
        headers = {"Authorization": f"Bearer {self.token(self.logins.get(council, ('clerk',))[0], base)}"}
        sessions = httpx.get(base + "/api/sessions", headers=headers, timeout=30).json()
        session_id = next(s["id"] for s in sessions
                          if s["status"] in ("published", "in_progress")
                          and s["title"] == demo_schedule().session_title)
        made = httpx.post(f"{base}/api/sessions/{session_id}/sittings", headers=headers,
                          json={"title": title}, timeout=30)
        assert made.status_code == 201, made.text
        return made.json()["id"]
