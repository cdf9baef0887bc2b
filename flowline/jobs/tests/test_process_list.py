"""The Procfile is the scale-out recipe CI runs; the docs' systemd units and compose.yaml
must run the same processes with the same commands, or they drift from what was tested."""

import re
import shlex
from pathlib import Path

import yaml
from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def _procfile() -> dict[str, str]:
    lines = (ROOT / "Procfile").read_text().splitlines()
    entries = (line.split(":", 1) for line in lines if line and not line.startswith("#"))
    return {name.strip(): command.strip() for name, command in entries}


def _shape(command: str) -> tuple[str, ...]:
    """The program and its arguments, with what legitimately differs between runners
    (paths, hosts, ports, node names, variables) as `*`."""
    words = [w for w in shlex.split(command) if not re.match(r"^[A-Z_]+=", w)]
    program, *args = words
    variable = re.compile(r"[$%/]|^\d+\.\d+\.\d+\.\d+$")
    return (Path(program).name, *("*" if variable.search(a) else a for a in args))


def _kind(name: str) -> str:
    return name.rstrip("0123456789")


def _systemd_units() -> dict[str, str]:
    """ExecStart of each unit shown in docs/deployment.md, by kind (web, worker, beat)."""
    text = (ROOT / "docs" / "deployment.md").read_text()
    units = {}
    for chunk in text.split("`/etc/systemd/system/flowline-")[1:]:
        kind = re.match(r"(\w+)@?\.service`", chunk)[1]
        units[kind] = re.search(r"```ini\n(.*?)```", chunk, re.S)[1].replace("\\\n", " ")
    return units


def test_the_procfile_runs_two_web_nodes_two_workers_and_one_beat_on_production_settings():
    processes = _procfile()
    assert sorted(processes) == ["beat", "web1", "web2", "worker1", "worker2"]
    for command in processes.values():
        assert command.startswith(
            "DJANGO_SETTINGS_MODULE=${DJANGO_SETTINGS_MODULE:-config.settings.production} "
        )
    workers = [shlex.split(processes[name]) for name in ("worker1", "worker2")]
    names = [words[words.index("-n") + 1] for words in workers]
    assert len(set(names)) == 2, "each worker needs its own node name"


def test_compose_runs_the_procfile_commands():
    services = yaml.safe_load((ROOT / "compose.yaml").read_text())["services"]
    for name, command in _procfile().items():
        assert name in services, f"compose.yaml has no {name}"
        shell, flag, script = services[name]["command"]
        assert (shell, flag) == ("sh", "-c")
        assert script.replace("$$", "$") == command, name
        environment = services[name]["environment"]
        assert environment["DJANGO_SETTINGS_MODULE"] == "config.settings.production"


def test_the_systemd_units_run_the_procfile_commands():
    units = _systemd_units()
    for name, command in _procfile().items():
        unit = units.get(_kind(name))
        assert unit is not None, f"docs/deployment.md shows no unit for {name}"
        assert "Environment=DJANGO_SETTINGS_MODULE=config.settings.production" in unit
        exec_start = re.search(r"^ExecStart=(.*)$", unit, re.M)[1]
        assert _shape(exec_start) == _shape(command), name
