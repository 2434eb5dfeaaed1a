"""Every usage error of every `clew` command and subcommand is one line with the usage, exit code 2,
never a traceback: each command is found by walking the command tree (not listed by hand) and run
with its required arguments missing, with an option it does not have, and with a number option
given a word."""

import sys

import pytest
import typer

from app.cli import app, main


def commands(group=None, path=()) -> list[tuple[tuple[str, ...], object]]:
    group = group or typer.main.get_command(app)
    found = [(path, group)]
    for name, sub in sorted(getattr(group, "commands", {}).items()):
        found += commands(sub, (*path, name)) if hasattr(sub, "commands") else [((*path, name), sub)]
    return found


def required(command) -> list:
    return [p for p in command.params if p.required]


def numeric(param) -> bool:
    """An int or float parameter (typer >= 0.29 keeps the annotation; click its type's name)."""
    annotation = getattr(getattr(param, "type_descriptor", None), "annotation", None)
    return annotation in (int, float) or getattr(getattr(param, "type", None), "name", "") in ("integer", "float")


def number_option(command):
    return next((p for p in command.params if p.param_type_name == "option" and not p.is_flag and numeric(p)),
                None)


def run(capsys, monkeypatch, *args: str) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "argv", ["clew", *args])
    with pytest.raises(SystemExit) as done:
        main()
    out = capsys.readouterr()
    return done.value.code, out.out, out.err


def cases() -> list:
    found = []
    for path, command in commands():
        found.append(pytest.param((*path, "--no-such-option"), id=" ".join((*path, "--no-such-option"))))
        if required(command) and not hasattr(command, "commands"):
            found.append(pytest.param(path, id=" ".join(path) + " (missing)"))
        if option := number_option(command):
            given = (*path, option.opts[0], "many", *("x" for _ in required(command)))
            found.append(pytest.param(given, id=" ".join(given)))
    return found


def test_cli_usage_walks_every_command():
    names = {" ".join(path) for path, _ in commands()}
    assert {"ingest failures", "ingest status", "search", "serve", "nlp", "enrich", "opensearch logs"} <= names


@pytest.mark.parametrize("args", cases())
def test_cli_usage_error_is_one_line_with_the_usage(capsys, monkeypatch, args):
    code, out, err = run(capsys, monkeypatch, *args)
    lines = [line for line in err.splitlines() if line.strip()]
    assert code == 2, err
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    assert f"usage: clew {' '.join(a for a in args if not a.startswith('-') and a not in ('many', 'x'))}" \
        in " ".join(lines[0].split()), err
    assert "Traceback" not in err + out and "╭" not in err + out


def test_cli_usage_a_group_given_nothing_shows_its_help(capsys, monkeypatch):
    code, out, err = run(capsys, monkeypatch, "ingest")
    assert "Traceback" not in out + err and "failures" in out + err and code in (0, 2)
