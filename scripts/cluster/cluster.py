#!/usr/bin/env python
"""`make cluster`, `make cluster-stop`: the production topology on one machine, all on loopback.

    HAProxy :8400 (health-checks /healthz) → 3 × gunicorn :8401-8403 → PgBouncer :6440 (transaction pooling)
    → PostgreSQL :5440 (its own Debian cluster, "openhelp_cluster"); Redis :6390 (its own instance: cache and
    rate limits in db 1, sessions cached there too, the RQ queue in db 2); 2 task workers; an SMTP sink :8025.

    python scripts/cluster/cluster.py up       # install (apt), create, migrate, seed once, start; idempotent
    python scripts/cluster/cluster.py down     # stop everything it started (PostgreSQL's cluster too)
    python scripts/cluster/cluster.py status   # what runs, and /healthz through the balancer
    python scripts/cluster/cluster.py supervise  # (started by `up`) restarts whatever exits

Every app process is configured only through environment variables, as in production (``app_env()``).
PostgreSQL and Redis are instances of their own, so that the fault runs (bench/cluster) can restart and stop
them without touching the machine's shared ones. Pids, logs, configuration and the generated secrets live
in data/cluster/. Settings (environment variables): CLUSTER_APP_SERVERS (3), CLUSTER_WORKERS (2),
CLUSTER_GUNICORN_WORKERS (2 per app server), CLUSTER_PEOPLE (2000, the demo seed), TASKS_BACKEND
(database, or rq: RQ workers on Redis), CLUSTER_HTTP_PORT (8400).
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
RUN = ROOT / "data" / "cluster"
LOGS = RUN / "logs"
PIDS = RUN / "pids"
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")

HTTP_PORT = int(os.environ.get("CLUSTER_HTTP_PORT", "8400"))
APP_SERVERS = int(os.environ.get("CLUSTER_APP_SERVERS", "3"))
WORKERS = int(os.environ.get("CLUSTER_WORKERS", "2"))
GUNICORN_WORKERS = int(os.environ.get("CLUSTER_GUNICORN_WORKERS", "2"))
PEOPLE = int(os.environ.get("CLUSTER_PEOPLE", "2000"))
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "database") or "database"
PG_PORT = int(os.environ.get("CLUSTER_PG_PORT", "5440"))
PGBOUNCER_PORT = int(os.environ.get("CLUSTER_PGBOUNCER_PORT", "6440"))
REDIS_PORT = int(os.environ.get("CLUSTER_REDIS_PORT", "6390"))
SMTP_PORT = int(os.environ.get("CLUSTER_SMTP_PORT", "8025"))
PG_CLUSTER = "openhelp_cluster"  # the Debian cluster's name (pg_lsclusters)
DB_NAME = "openhelp_cluster"
DB_USER = "openhelp"
MAIL_LOG = RUN / "mail.jsonl"


def app_port(index: int) -> int:
    return HTTP_PORT + index  # app server 1 on 8401, …


# --- configuration -----------------------------------------------------------------------------


def secrets_file() -> dict[str, str]:
    """The generated secrets (SECRET_KEY, the database password), made once and kept in data/cluster."""
    path = RUN / "secrets.json"
    if path.exists():
        return json.loads(path.read_text())
    RUN.mkdir(parents=True, exist_ok=True)
    values = {"SECRET_KEY": secrets.token_urlsafe(64), "DB_PASSWORD": secrets.token_urlsafe(24)}
    path.write_text(json.dumps(values))
    path.chmod(0o600)
    return values


def app_env(*, direct_database: bool = False) -> dict[str, str]:
    """The environment of every app server and worker: production settings, everything on loopback."""
    keys = secrets_file()
    site = f"http://localhost:{HTTP_PORT}"
    port = PG_PORT if direct_database else PGBOUNCER_PORT
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SQLITE_", "DJANGO_", "OTH_", "DB_"))}
    env.update(
        OTH_ENV="production",
        DEBUG="False",
        SECRET_KEY=keys["SECRET_KEY"],
        ALLOWED_HOSTS="localhost,127.0.0.1",
        # TLS would end in front of the balancer; the balancer says so with X-Forwarded-Proto.
        SITE_URL=f"https://localhost:{HTTP_PORT}",
        CSRF_TRUSTED_ORIGINS=f"{site},http://127.0.0.1:{HTTP_PORT},https://localhost:{HTTP_PORT}",
        SECURE_HSTS_SECONDS="0",  # loopback: never pin localhost to https in a browser
        DATABASE_URL=f"postgres://{DB_USER}:{keys['DB_PASSWORD']}@127.0.0.1:{port}/{DB_NAME}",
        DB_PGBOUNCER="False" if direct_database else "True",
        DB_CONN_MAX_AGE="60",
        REDIS_URL=f"redis://127.0.0.1:{REDIS_PORT}/1",
        TASKS_BACKEND=TASKS_BACKEND,
        TASKS_REDIS_URL=f"redis://127.0.0.1:{REDIS_PORT}/2",
        EMAIL_BACKEND="smtp",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(SMTP_PORT),
        EMAIL_USE_TLS="False",
        EMAIL_TIMEOUT="5",
        STATIC_ROOT=str(RUN / "static"),
        # Retries and the dead-worker check on a scale of seconds, so the fault runs finish in minutes.
        TASK_RETRY_BASE_SECONDS=os.environ.get("TASK_RETRY_BASE_SECONDS", "5"),
        WORKER_HEARTBEAT_STALE_SECONDS=os.environ.get("WORKER_HEARTBEAT_STALE_SECONDS", "30"),
        EMAIL_STUCK_AFTER_SECONDS=os.environ.get("EMAIL_STUCK_AFTER_SECONDS", "60"),
        API_RATE_USER="1000000/hour",
        # The load driver logs 40 people in from 127.0.0.1 within seconds (allauth allows 30 a minute).
        RATE_LIMIT_LOGIN=os.environ.get("RATE_LIMIT_LOGIN", "600/m/ip"),
        # The write load publishes asks as a few dozen people, every fault run of the day (30 a day each).
        ASKS_PUBLISHED_PER_DAY=os.environ.get("ASKS_PUBLISHED_PER_DAY", "100000"),
        LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
    )
    return env


def haproxy_config() -> str:
    servers = "\n".join(f"    server app{i} 127.0.0.1:{app_port(i)} check" for i in range(1, APP_SERVERS + 1))
    return f"""# Generated by scripts/cluster/cluster.py
global
    pidfile {PIDS / "haproxy.pid"}
    stats socket {RUN / "haproxy.sock"} mode 600 level admin
    maxconn 512

defaults
    mode http
    timeout connect 2s
    timeout client 60s
    timeout server 60s
    timeout http-request 10s
    timeout check 3s
    # A request that could not be sent to a server (refused: it is down) goes to another one. A GET or
    # HEAD that reached a server which then died without answering (killed mid-request: an empty or
    # broken response) is sent again to another one too: reads are safe to repeat. Any other method
    # is never sent twice once it reached a server (disable-l7-retry in the frontend).
    retries 2
    option redispatch 1
    retry-on conn-failure empty-response junk-response

frontend web
    bind 127.0.0.1:{HTTP_PORT}
    http-request set-header X-Forwarded-Proto https
    http-request disable-l7-retry unless METH_GET
    default_backend app

backend app
    balance leastconn
    option httpchk
    http-check send meth GET uri /healthz ver HTTP/1.1 hdr Host localhost hdr X-Forwarded-Proto https
    http-check expect status 200
    default-server inter 1s fall 2 rise 2 maxconn 16
{servers}
"""


def pgbouncer_config() -> str:
    return f""";; Generated by scripts/cluster/cluster.py
[databases]
{DB_NAME} = host=127.0.0.1 port={PG_PORT} dbname={DB_NAME}

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = {PGBOUNCER_PORT}
unix_socket_dir =
auth_type = scram-sha-256
auth_file = {RUN / "pgbouncer" / "userlist.txt"}
pool_mode = transaction
max_client_conn = 300
default_pool_size = 20
reserve_pool_size = 5
server_check_delay = 5
server_login_retry = 1
logfile = {LOGS / "pgbouncer.log"}
pidfile = {RUN / "pgbouncer" / "pgbouncer.pid"}
ignore_startup_parameters = extra_float_digits
log_connections = 0
log_disconnections = 0
"""


# --- processes -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Service:
    name: str
    command: list[str]
    env: dict[str, str] | None = None


def services() -> list[Service]:
    """The long-running processes this script starts itself (PostgreSQL is started by pg_ctlcluster)."""
    env = app_env()
    found = [
        Service(
            "redis",
            [
                "redis-server",
                "--port",
                str(REDIS_PORT),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ]
            + ["--dir", str(RUN / "redis"), "--daemonize", "no"],
        ),
        Service(
            "smtp",
            [PYTHON, str(ROOT / "scripts" / "cluster" / "smtp_sink.py"), "--port", str(SMTP_PORT)]
            + ["--out", str(MAIL_LOG)],
        ),
    ]
    for i in range(1, APP_SERVERS + 1):
        found.append(app_server(i, env))
    for i in range(1, WORKERS + 1):
        found.append(worker(i, env))
    found.append(Service("haproxy", ["haproxy", "-db", "-f", str(RUN / "haproxy.cfg")]))
    return found


def app_server(index: int, env: dict[str, str]) -> Service:
    return Service(
        f"app{index}",
        [GUNICORN, "config.wsgi:application", "--workers", str(GUNICORN_WORKERS), "--preload"]
        + ["--bind", f"127.0.0.1:{app_port(index)}", "--log-level", "warning", "--timeout", "60"],
        env,
    )


def worker(index: int, env: dict[str, str]) -> Service:
    if TASKS_BACKEND == "rq":
        command = [PYTHON, "manage.py", "rqworker", "default", "email", "chat"]
        command += [
            "--job-class",
            "django_tasks_rq.Job",
            "--name",
            f"cluster-worker{index}-{secrets.token_hex(4)}",
        ]
        command += ["--with-scheduler"]
    else:
        # A recognisable id (the fault runner finds the task a worker runs by it), new at each start.
        command = [PYTHON, "manage.py", "run_worker", "--queue-name", "*", "--interval", "0.2"]
        command += ["--worker-id", f"cluster-worker{index}-{secrets.token_hex(4)}"]
    # Below the app servers on the shared cores: background work yields to people waiting for a page.
    return Service(f"worker{index}", ["nice", "-n", "10", *command], env)


def pid_of(name: str) -> int | None:
    path = PIDS / f"{name}.pid"
    try:
        pid = int(path.read_text().strip())
    except (OSError, ValueError):
        return None
    return pid if _alive(pid) else None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a zombie (our own child, dead but not reaped) is not alive
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except OSError:
        return False


def start(service: Service) -> int:
    """Start ``service`` in a session of its own unless it already runs; return its pid."""
    pid = pid_of(service.name)
    if pid is not None:
        return pid
    LOGS.mkdir(parents=True, exist_ok=True)
    PIDS.mkdir(parents=True, exist_ok=True)
    log = (LOGS / f"{service.name}.log").open("a")
    proc = subprocess.Popen(
        service.command,
        cwd=ROOT,
        env=service.env or dict(os.environ),
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )
    (PIDS / f"{service.name}.pid").write_text(str(proc.pid))
    return proc.pid


def stop(name: str, *, sig: int = signal.SIGTERM, wait: float = 15.0) -> bool:
    """Signal the process group of ``name`` (its own session: gunicorn's workers go with it) and wait."""
    pid = pid_of(name)
    if pid is None:
        (PIDS / f"{name}.pid").unlink(missing_ok=True)
        return False
    try:
        os.killpg(pid, sig)
    except ProcessLookupError:
        pass
    deadline = time.monotonic() + wait
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    if _alive(pid):
        os.killpg(pid, signal.SIGKILL)
    (PIDS / f"{name}.pid").unlink(missing_ok=True)
    return True


def hold(name: str) -> None:
    """Tell the supervisor not to restart ``name`` (a fault keeps it stopped for a while)."""
    PIDS.mkdir(parents=True, exist_ok=True)
    (PIDS / f"{name}.held").touch()


def release(name: str) -> None:
    (PIDS / f"{name}.held").unlink(missing_ok=True)


def supervise() -> None:
    """Start again, within a second, every service that exited (as systemd's Restart=always does): a
    worker exits when the database goes away under it, and a killed process must come back. A service
    ``hold()`` names is left stopped until ``release()``."""
    pgbouncer = pgbouncer_service()
    stopping = False

    def _stop(signum: int, frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children that exit are reaped at once, no zombies
    while not stopping:
        for service in [pgbouncer, *services()]:
            if stopping:
                break
            if pid_of(service.name) is None and not (PIDS / f"{service.name}.held").exists():
                pid = start(service)
                print(f"{time.strftime('%H:%M:%S')} started {service.name} again (pid {pid})", flush=True)
        time.sleep(1)


def supervisor_service() -> Service:
    return Service("supervisor", [PYTHON, str(Path(__file__).resolve()), "supervise"])


# --- PostgreSQL and PgBouncer -------------------------------------------------------------------


def pg_version() -> str:
    versions = sorted(Path("/usr/lib/postgresql").iterdir(), key=lambda p: int(p.name))
    return versions[-1].name


def pg_ctl(action: str) -> None:
    subprocess.run(["pg_ctlcluster", pg_version(), PG_CLUSTER, action], check=True, capture_output=True)


def pg_running() -> bool:
    out = subprocess.run(["pg_lsclusters", "--no-header"], capture_output=True, text=True, check=True).stdout
    return any(line.split()[1:2] == [PG_CLUSTER] and "online" in line for line in out.splitlines())


def ensure_postgres() -> None:
    version = pg_version()
    listed = subprocess.run(
        ["pg_lsclusters", "--no-header"], capture_output=True, text=True, check=True
    ).stdout
    if not any(line.split()[1:2] == [PG_CLUSTER] for line in listed.splitlines()):
        print(f"Creating PostgreSQL cluster {version}/{PG_CLUSTER} on port {PG_PORT}…", flush=True)
        # timezone=UTC: Django then never issues a session-level SET TIME ZONE, which transaction
        # pooling would leak to other clients or lose.
        subprocess.run(
            ["pg_createcluster", version, PG_CLUSTER, "--port", str(PG_PORT)]
            + ["-o", "timezone=UTC", "-o", "max_connections=120"],
            check=True,
            capture_output=True,
        )
    if not pg_running():
        pg_ctl("start")
    password = secrets_file()["DB_PASSWORD"]
    sql = f"""
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{DB_USER}') THEN
    CREATE ROLE {DB_USER} LOGIN;
  END IF;
END $$;
ALTER ROLE {DB_USER} PASSWORD '{password}';
"""
    psql(sql)
    exists = psql(f"SELECT 1 FROM pg_database WHERE datname = '{DB_NAME}'", tuples=True).strip()  # noqa: S608 - a constant
    if not exists:
        psql(f"CREATE DATABASE {DB_NAME} OWNER {DB_USER}")


def psql(sql: str, *, tuples: bool = False) -> str:
    command = ["runuser", "-u", "postgres", "--", "psql", "-p", str(PG_PORT), "-v", "ON_ERROR_STOP=1", "-q"]
    command += ["-At"] if tuples else []
    out = subprocess.run([*command, "-c", sql], capture_output=True, text=True, cwd="/")
    if out.returncode != 0:
        raise SystemExit(f"psql failed: {out.stderr.strip()}")
    return out.stdout


def ensure_pgbouncer_files() -> None:
    folder = RUN / "pgbouncer"
    folder.mkdir(parents=True, exist_ok=True)
    LOGS.mkdir(parents=True, exist_ok=True)
    (folder / "pgbouncer.ini").write_text(pgbouncer_config())
    (folder / "userlist.txt").write_text(f'"{DB_USER}" "{secrets_file()["DB_PASSWORD"]}"\n')
    (folder / "userlist.txt").chmod(0o600)
    # PgBouncer refuses to run as root: it runs as postgres, which must read its files and write its log.
    for path in (folder, folder / "pgbouncer.ini", folder / "userlist.txt"):
        shutil.chown(path, "postgres", "postgres")
    log = LOGS / "pgbouncer.log"
    log.touch()
    shutil.chown(log, "postgres", "postgres")


def pgbouncer_service() -> Service:
    command = ["pgbouncer", str(RUN / "pgbouncer" / "pgbouncer.ini")]
    if os.geteuid() == 0:
        command[1:1] = ["-u", "postgres"]
    return Service("pgbouncer", command)


# --- up / down / status -----------------------------------------------------------------------


def manage(*args: str, env: dict[str, str]) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)


def wait_for_port(port: int, *, timeout: float = 30) -> None:
    import socket

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            sock.settimeout(0.5)
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise SystemExit(
        f"Nothing listens on 127.0.0.1:{port} after {timeout:.0f} s (see {LOGS.relative_to(ROOT)}/)"
    )


def health(port: int = HTTP_PORT) -> tuple[int, dict]:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/healthz", headers={"Host": "localhost", "X-Forwarded-Proto": "https"}
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 - loopback only
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, {}
    except (OSError, ValueError):
        return 0, {}


def wait_healthy(port: int = HTTP_PORT, *, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if health(port)[0] == 200:
            return
        time.sleep(0.5)
    raise SystemExit(
        f"/healthz on :{port} did not answer 200 within {timeout:.0f} s (see data/cluster/logs/)"
    )


def up() -> None:
    subprocess.run(["sh", str(ROOT / "scripts" / "cluster" / "ensure_packages.sh")], check=True)
    for folder in (RUN, LOGS, PIDS, RUN / "redis"):
        folder.mkdir(parents=True, exist_ok=True)
    ensure_postgres()
    ensure_pgbouncer_files()
    (RUN / "haproxy.cfg").write_text(haproxy_config())
    subprocess.run(["haproxy", "-c", "-q", "-f", str(RUN / "haproxy.cfg")], check=True)
    start(pgbouncer_service())
    by_name = {service.name: service for service in services()}
    start(by_name["redis"])
    wait_for_port(REDIS_PORT)
    wait_for_port(PGBOUNCER_PORT)
    # Migrations straight to PostgreSQL (one session, as a release step does); everything else via PgBouncer.
    direct = app_env(direct_database=True)
    print("Migrating, collecting static files, seeding the demo organisation (first time only)…", flush=True)
    manage("migrate", "--no-input", "-v0", env=direct)
    manage("collectstatic", "--no-input", "-v0", env=direct)
    manage("seed_demo", "--if-empty", "--people", str(PEOPLE), "--allow-production", env=app_env())
    for service in services():
        release(service.name)
        start(service)
    start(supervisor_service())
    wait_healthy()
    banner()


def banner() -> None:
    sys.path.insert(0, str(ROOT))
    from openhelp.demo.data import DEMO_PASSWORD, MENTEE_EMAIL, MENTOR_EMAIL, ORGANISER_EMAIL

    queue = "RQ on Redis" if TASKS_BACKEND == "rq" else "the database queue"
    print(
        f"""
Open to Help cluster is up: http://localhost:{HTTP_PORT}/
  HAProxy :{HTTP_PORT} → {APP_SERVERS} gunicorn app servers :{app_port(1)}-{app_port(APP_SERVERS)} → PgBouncer :{PGBOUNCER_PORT}
  → PostgreSQL :{PG_PORT}; Redis :{REDIS_PORT}; {WORKERS} workers on {queue}; SMTP sink :{SMTP_PORT} ({MAIL_LOG.relative_to(ROOT)})
  Demo logins (password {DEMO_PASSWORD}): {MENTEE_EMAIL}, {MENTOR_EMAIL}, organiser {ORGANISER_EMAIL}
  Logs and pids: data/cluster/; stop everything with `make cluster-stop`.""",
        flush=True,
    )


def down() -> None:
    stopped = []
    if stop("supervisor"):  # first, or it would start again what is stopped next
        stopped.append("supervisor")
    for name in ["haproxy", *(f"app{i}" for i in range(1, 10)), *(f"worker{i}" for i in range(1, 10))]:
        if stop(name, wait=20):
            stopped.append(name)
    for name in ("smtp", "pgbouncer", "redis"):
        if stop(name):
            stopped.append(name)
    if Path("/usr/lib/postgresql").exists() and pg_running():
        pg_ctl("stop")
        stopped.append("postgresql")
    print("Stopped: " + (", ".join(stopped) if stopped else "nothing was running"), flush=True)


def status() -> int:
    names = ["supervisor", "haproxy", "pgbouncer", "redis", "smtp"]
    names += [f"app{i}" for i in range(1, APP_SERVERS + 1)] + [f"worker{i}" for i in range(1, WORKERS + 1)]
    for name in names:
        pid = pid_of(name)
        print(f"  {name:10} {'running, pid ' + str(pid) if pid else 'stopped'}")
    print(f"  {'postgresql':10} {'running' if pg_running() else 'stopped'} ({PG_CLUSTER}, port {PG_PORT})")
    code, body = health()
    print(f"  /healthz via the balancer: {code or 'no answer'} {json.dumps(body) if body else ''}")
    return 0 if code == 200 else 1


def main() -> int:
    parser = argparse.ArgumentParser(description="Run the Open to Help cluster on this machine.")
    parser.add_argument("action", choices=["up", "down", "status", "supervise"])
    action = parser.parse_args().action
    if action == "supervise":
        supervise()
        return 0
    if action == "up":
        up()
        return 0
    if action == "down":
        down()
        return 0
    return status()


if __name__ == "__main__":
    sys.exit(main())
