"""A throwaway PostgreSQL cluster for tests and benchmarks: initdb in a temporary folder, a Unix socket only.

Debian's `postgresql` package puts `initdb` and `pg_ctl` in /usr/lib/postgresql/<version>/bin. `initdb`
refuses to run as root, so as root the cluster is made and run by the `postgres` user (its folder is
handed to that user). Nothing listens on TCP: clients connect through the socket folder, e.g.
`postgresql:///postgres?host=/tmp/pg-xyz/sock`. The cluster trades durability for speed (fsync off),
which is right for data thrown away at the end.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import quote

__all__ = ["PostgresUnavailable", "ThrowawayCluster", "find_pg_bin"]


class PostgresUnavailable(RuntimeError):
    """PostgreSQL's server programs are not installed here (or cannot run): the reason, in one line."""


def find_pg_bin() -> Path:
    """The folder with `initdb` and `pg_ctl`: Debian's newest version, else whatever is on PATH."""
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    if versions:
        return Path(versions[-1]).parent
    found = shutil.which("initdb")
    if found:
        return Path(found).resolve().parent
    raise PostgresUnavailable(
        "PostgreSQL server programs (initdb, pg_ctl) are not installed; "
        "install Debian's postgresql package (./dev setup does)"
    )


class ThrowawayCluster:
    """`start()` a private cluster, `url(dbname)` to reach it, `stop()` to remove every trace of it."""

    def __init__(self, *, max_connections: int = 300) -> None:
        self.bin = find_pg_bin()
        self.max_connections = max_connections
        self.root: Path | None = None
        self._user: str | None = None

    @property
    def socket_dir(self) -> Path:
        assert self.root is not None, "start() the cluster first"
        return self.root / "sock"

    def url(self, dbname: str = "postgres") -> str:
        """A libpq URL for `dbname` over the cluster's Unix socket."""
        user = quote(self._user or "postgres")
        return f"postgresql://{user}@/{quote(dbname)}?host={quote(str(self.socket_dir), safe='/')}"

    def _run(self, *args: str) -> None:
        command = [str(self.bin / args[0]), *args[1:]]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            raise PostgresUnavailable(f"{args[0]} failed: {(done.stderr or done.stdout).strip()[-500:]}")

    def start(self) -> ThrowawayCluster:
        """initdb and pg_ctl start (about two seconds); raises PostgresUnavailable with the reason."""
        # As root, under /tmp: a private $TMPDIR may not be reachable by the postgres user.
        base = "/tmp" if os.geteuid() == 0 and os.path.isdir("/tmp") else None
        root = Path(tempfile.mkdtemp(prefix="voiceshop-pg-", dir=base))
        self.root = root
        if os.geteuid() == 0:
            try:
                owner = pwd.getpwnam("postgres")
            except KeyError:
                self._cleanup()
                raise PostgresUnavailable("running as root and there is no postgres user to run initdb as") from None
            self._user = "postgres"
            os.chown(root, owner.pw_uid, owner.pw_gid)
        else:
            self._user = pwd.getpwuid(os.geteuid()).pw_name
        try:
            self._run("initdb", "-A", "trust", "--no-sync", "-E", "UTF8", "--locale=C", "-U", self._user, "-D", str(root / "data"))
            self.socket_dir.mkdir()
            if os.geteuid() == 0:
                os.chown(self.socket_dir, owner.pw_uid, owner.pw_gid)
            options = (
                f"-k {self.socket_dir} -c listen_addresses='' -c fsync=off -c synchronous_commit=off"
                f" -c full_page_writes=off -c max_connections={self.max_connections}"
            )
            self._run("pg_ctl", "start", "-w", "-s", "-D", str(root / "data"), "-l", str(root / "log"), "-o", options)
        except BaseException:
            self._cleanup()
            raise
        return self

    def stop(self) -> None:
        """Stop the server (fast: open connections are cut) and delete its folder."""
        if self.root is None:
            return
        with contextlib.suppress(PostgresUnavailable):
            self._run("pg_ctl", "stop", "-s", "-m", "immediate", "-D", str(self.root / "data"))
        self._cleanup()

    def _cleanup(self) -> None:
        if self.root is not None:
            shutil.rmtree(self.root, ignore_errors=True)
            self.root = None

    def __enter__(self) -> ThrowawayCluster:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
