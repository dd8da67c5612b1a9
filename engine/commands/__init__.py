"""Command bodies: one module per command (or per group), imported only when that command runs.

Each module exposes `run(**options) -> ExitCode`, taking exactly the options cli.py wires for it. A body
loads its input, builds a Report (engine/present/render.py), writes it with `emit(report, fmt, lang)`, and
returns the exit code; errors are raised as LayakError subclasses (engine/errors.py) and cli.py maps them.
"""
