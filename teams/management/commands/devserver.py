"""The development web server of `make run`: runserver (with whitenoise's static files),
without its start-up banner, since config/devrun.py prints the address, the demo logins
and where e-mails go in one block once everything answers."""

from django.core.management import get_commands, load_command_class

RUNSERVER = type(load_command_class(get_commands()["runserver"], "runserver"))


class Command(RUNSERVER):
    help = "runserver without its start-up banner, for make run."

    def on_bind(self, server_port) -> None:
        pass
