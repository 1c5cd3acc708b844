#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "siris.settings")
    if not os.environ.get("DATABASE_URL") and not os.environ.get("SIRIS_LOCALENV"):
        # No servers named: run this command on the embedded PostgreSQL and Redis of the local run
        # (var/), as `make run` does, so `python manage.py shell` works on a fresh machine.
        from siris.localenv import main as localenv

        os.environ["SIRIS_LOCALENV"] = "1"
        sys.exit(localenv(["--", sys.executable, *sys.argv]))
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
