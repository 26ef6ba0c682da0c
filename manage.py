#!/usr/bin/env python
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if "DJANGO_SECRET_KEY" not in os.environ:
        # A developer's command line (makemigrations, shell...): the embedded development
        # defaults, as `make run` uses. Production always sets the secret, and the web
        # server and workers still refuse to start without it.
        os.environ.setdefault("DJANGO_DEBUG", "true")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
