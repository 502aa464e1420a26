"""The ``brug`` console script: every Django management command, plus Brug's own
(``run``, ``demo``, ``worker``, ``token``, ``admin``, ``bench``), which live as
management commands in the apps."""

import os
import sys


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "brug.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["brug", *(sys.argv[1:] if argv is None else argv)])
    return 0
