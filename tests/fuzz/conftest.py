"""The atheris harness is a script for long fuzzing runs, not a test module (see its docstring)."""

collect_ignore = ["atheris_harness.py"]
