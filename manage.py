#!/usr/bin/env python
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workbench.settings")
    if "DJANGO_SECRET_KEY" not in os.environ:
        # A checkout without a secret key is a development one (production always sets it), so the
        # commands the README shows work in a new shell after `make run`, as `make run` itself does.
        os.environ.setdefault("DJANGO_DEBUG", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
