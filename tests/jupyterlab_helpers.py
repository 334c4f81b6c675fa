"""Helpers of tests/test_jupyterlab.py: a private JupyterLab server, and what the notebooks hold.

* :class:`JupyterLab` starts ``python -m jupyterlab`` from this interpreter (``.venv``) on
  127.0.0.1, a free port and a random token, with its own config, runtime, data, IPython and
  matplotlib directories in a temporary folder (the kernel spec and the lab extensions of
  anywidget and ipywidgets stay found: they live in ``sys.prefix/share/jupyter``, which
  Jupyter always searches), nothing that reaches another host (no news feed, no update
  check, no PyPI extension manager, no terminals), serving a *copy* of ``chapters/`` so
  that running cells never rewrites the repository's notebooks. ``stop()`` shuts every
  kernel down through the REST API, then the server, then kills whatever is left of its
  process tree.
* :func:`widget_cells`, :func:`stored_seconds` and :func:`cells_needed` read a notebook:
  which cells display widgets (from the stored ``application/vnd.jupyter.widget-view+json``
  outputs), how long ``make outputs`` took to run it, and the smallest set of code cells a
  cell depends on (names defined before it, found by the ``ast`` module).
"""
from __future__ import annotations

import ast
import dataclasses
import datetime
import json
import os
import pathlib
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

VIEW_MIME = "application/vnd.jupyter.widget-view+json"
STATE_MIME = "application/vnd.jupyter.widget-state+json"


# ----- the notebooks --------------------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class WidgetCell:
    index: int          # position in nb["cells"]
    code_index: int     # position among the code cells (0-based)
    model_ids: tuple    # the model ids of the widget views it displayed
    kinds: tuple        # the book widgets it displayed ("gate_explorer", ...), from the saved state


def _source(cell) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def _anywidget_kinds(states: dict, model_id: str) -> list[str]:
    """The book widgets a view of ``model_id`` shows: its own, or its children's (a Box)."""
    entry = states.get(model_id, {})
    state = entry.get("state", {})
    if state.get("_view_module") == "anywidget":
        # _anywidget_id is "lstm_ref.widgets.<module>.<Class>": the module is the widget's name.
        parts = str(state.get("_anywidget_id", "")).split(".")
        return [parts[-2] if len(parts) >= 2 else str(state.get("_anywidget_id", "?"))]
    kinds = []
    for child in state.get("children", []):
        kinds.extend(_anywidget_kinds(states, str(child).removeprefix("IPY_MODEL_")))
    return kinds


def widget_cells(nb: dict) -> list[WidgetCell]:
    """The code cells whose stored outputs display a widget view."""
    states = nb.get("metadata", {}).get("widgets", {}).get(STATE_MIME, {}).get("state", {})
    found, code_index = [], -1
    for index, cell in enumerate(nb["cells"]):
        if cell["cell_type"] != "code":
            continue
        code_index += 1
        ids = [o["data"][VIEW_MIME]["model_id"] for o in cell.get("outputs", [])
               if VIEW_MIME in o.get("data", {})]
        if ids:
            kinds = [k for mid in ids for k in _anywidget_kinds(states, mid)]
            found.append(WidgetCell(index, code_index, tuple(ids), tuple(kinds)))
    return found


def _stamp(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))


def stored_seconds(nb: dict) -> float | None:
    """Seconds the stored run took (nbclient's per-cell ``execution`` timestamps), or None."""
    total, timed = 0.0, False
    for cell in nb["cells"]:
        ex = cell.get("metadata", {}).get("execution", {})
        if "iopub.execute_input" in ex and "shell.execute_reply" in ex:
            total += (_stamp(ex["shell.execute_reply"]) - _stamp(ex["iopub.execute_input"])).total_seconds()
            timed = True
    return total if timed else None


def _names(source: str) -> tuple[set, set]:
    """(names the cell binds at top level, names it reads). IPython magics are dropped."""
    lines = [ln for ln in source.splitlines() if not ln.lstrip().startswith(("%", "!"))]
    tree = ast.parse("\n".join(lines))
    bound, read = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (bound if isinstance(node.ctx, (ast.Store, ast.Del)) else read).add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            for alias in node.names:
                bound.add((alias.asname or alias.name).split(".")[0])
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
    return bound, read


def cells_needed(nb: dict, targets: list[int]) -> list[int]:
    """Indices (in nb["cells"]) of the code cells the ``targets`` need, in notebook order: the
    targets, the last earlier cell that binds each name they read, recursively, and every
    cell that imports something (imports are cheap and may have side effects)."""
    code = {i: _source(c) for i, c in enumerate(nb["cells"]) if c["cell_type"] == "code"}
    info = {i: _names(src) for i, src in code.items()}
    imports = {i for i, src in code.items()
               if any(isinstance(n, (ast.Import, ast.ImportFrom))
                      for n in ast.parse("\n".join(ln for ln in src.splitlines()
                                                   if not ln.lstrip().startswith(("%", "!")))).body)}
    need, todo = set(targets), list(targets)
    while todo:
        i = todo.pop()
        for name in info[i][1]:
            definers = [j for j in code if j < i and name in info[j][0]]
            if definers and definers[-1] not in need:
                need.add(definers[-1])
                todo.append(definers[-1])
    last = max(targets)
    need |= {i for i in imports if i < last}
    return sorted(need)


# ----- the server -----------------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start_time(pid: int):
    """The process's start time (clock ticks since boot), or None if it is gone (or a zombie)."""
    try:
        fields = pathlib.Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return None if fields[0] in ("Z", "X") else int(fields[19])
    except (OSError, IndexError, ValueError):
        return None


def descendants(pid: int) -> list[tuple[int, int]]:
    """Every process below ``pid``, as (pid, start time): kernels run in their own sessions,
    so killing the server's process group would miss them. The start time tells a process
    from a later one that reuses its pid."""
    children = {}
    for entry in pathlib.Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry.name))
    out, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            started = _start_time(child)
            if started is not None:
                out.append((child, started))
            todo.append(child)
    return out


def alive(procs: list[tuple[int, int]]) -> list[int]:
    return [pid for pid, started in procs if _start_time(pid) == started]


class JupyterLab:
    """``python -m jupyterlab`` on a copy of the chapters; ``url(path)`` adds the token."""

    def __init__(self, root: pathlib.Path, tmp: pathlib.Path, startup_timeout: float = 90.0):
        self.tmp = tmp
        self.notebook_dir = tmp / "book" / "chapters"
        shutil.copytree(root / "chapters", self.notebook_dir,
                        ignore=shutil.ignore_patterns(".ipynb_checkpoints", "_build"))
        if (root / "data").is_dir():  # the applications chapter reads data/ (beside lstm_ref)
            shutil.copytree(root / "data", tmp / "book" / "data")
        self.port = _free_port()
        self.token = secrets.token_hex(24)
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = tmp / "jupyterlab.log"
        home = tmp / "home"
        env = dict(os.environ)
        # Private directories. JUPYTER_PATH and JUPYTER_CONFIG_PATH are left alone:
        # sys.prefix/share/jupyter (the kernel spec, the lab extensions of anywidget and
        # ipywidgets) and sys.prefix/etc/jupyter (the server extensions) are always searched.
        dirs = {"JUPYTER_CONFIG_DIR": "config", "JUPYTER_RUNTIME_DIR": "runtime",
                "JUPYTER_DATA_DIR": "data", "JUPYTERLAB_SETTINGS_DIR": "lab-settings",
                "JUPYTERLAB_WORKSPACES_DIR": "lab-workspaces", "IPYTHONDIR": "ipython",
                "MPLCONFIGDIR": "matplotlib"}
        for key, sub in dirs.items():
            env[key] = str(home / sub)
            (home / sub).mkdir(parents=True, exist_ok=True)
        # The notification centre's own switches: never fetch news, never check for updates
        # (the server has neither to give, but the opt-in toast would still cover the page).
        settings = home / "lab-settings" / "@jupyterlab" / "apputils-extension"
        settings.mkdir(parents=True, exist_ok=True)
        (settings / "notification.jupyterlab-settings").write_text(
            json.dumps({"fetchNews": "false", "checkForUpdates": False}))
        env.pop("JUPYTER_TOKEN", None)
        env["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"  # ipykernel's debugger would warn at start
        self.env = env
        cmd = [sys.executable, "-m", "jupyterlab", "--no-browser",
               "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={self.port}",
               "--ServerApp.port_retries=0", f"--IdentityProvider.token={self.token}",
               f"--ServerApp.root_dir={self.notebook_dir}",
               "--ServerApp.terminals_enabled=False",
               # Nothing that reaches another host: no news feed, no update check, no PyPI.
               "--LabApp.news_url=None",
               "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
               "--LabApp.extension_manager=readonly",
               "--LabApp.collaborative=False",
               # window.jupyterapp: the tests open one chapter after another in one page.
               "--LabApp.expose_app_in_browser=True"]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            cmd.append("--allow-root")
        self.cmd = cmd
        self._log = open(self.log_path, "w")
        self.proc = subprocess.Popen(cmd, cwd=self.notebook_dir, env=env, stdout=self._log,
                                     stderr=subprocess.STDOUT, start_new_session=True)
        try:
            self._wait(startup_timeout)
        except BaseException:
            self.stop()
            raise

    def url(self, path: str) -> str:
        sep = "&" if "?" in path else "?"
        return f"{self.base}{path}{sep}token={self.token}"

    def api(self, path: str, method: str = "GET", body=None, timeout: float = 10.0):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.base + path, data=data, method=method,
                                     headers={"Authorization": f"token {self.token}",
                                              "Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=timeout) as r:
            text = r.read().decode()
        return json.loads(text) if text.strip() else None

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return ""

    def _wait(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"jupyter lab exited with {self.proc.returncode}:\n{self.log()[-4000:]}")
            try:
                self.api("/api/status", timeout=2)
                with urllib.request.urlopen(self.url("/lab"), timeout=5) as r:
                    if r.status == 200:
                        return
            except (urllib.error.URLError, OSError, ValueError):
                pass
            time.sleep(0.25)
        raise RuntimeError(f"jupyter lab did not answer within {timeout} s:\n{self.log()[-4000:]}")

    def kernels(self) -> list[dict]:
        return self.api("/api/kernels")

    def sessions(self) -> list[dict]:
        return self.api("/api/sessions")

    def shutdown_session(self, notebook_path: str) -> None:
        """Shut down the kernel of the notebook's session (frees its memory for the next one)."""
        for s in self.sessions():
            if s.get("path") == notebook_path or s.get("notebook", {}).get("path") == notebook_path:
                self.api(f"/api/sessions/{s['id']}", method="DELETE", timeout=30)

    def stop(self) -> None:
        """Kernels first (REST), then the server (SIGTERM, then SIGKILL), then any orphan."""
        if self.proc.poll() is None:
            try:
                for k in self.kernels():
                    try:
                        self.api(f"/api/kernels/{k['id']}", method="DELETE", timeout=15)
                    except (urllib.error.URLError, OSError):
                        pass
            except (urllib.error.URLError, OSError, ValueError):
                pass
        below = descendants(self.proc.pid) if self.proc.poll() is None else []
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)  # jupyter_server's handler: stop kernels, exit
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(self.proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                self.proc.wait(timeout=10)
        for pid in alive(below):  # kernels that outlived the server (their own sessions)
            try:
                os.kill(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        deadline = time.monotonic() + 10
        while alive(below) and time.monotonic() < deadline:
            time.sleep(0.1)
        self.leftover = alive(below)
        self._log.close()
