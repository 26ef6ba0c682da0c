from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.module_loading import import_string

from accounts.models import User
from teams import demo

# Each app adds its demo data on top of the world the teams app creates, in this order.
SEEDERS: list[str] = [
    "charter.demo.seed",
    "indicators.demo.seed",
    "meetings.demo.seed",
    "improvement.demo.seed",
    "coaching.demo.seed",
    "interviews.demo.seed",
    # Last: the reminders already due in the demo's past count as sent (no mail).
    "meetings.demo.settle",
]


class Command(BaseCommand):
    help = "Creates a demo organisation and team with people you can log in as."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the database already has people in it.",
        )

    def handle(self, *args, if_empty: bool = False, verbosity: int = 1, **options) -> None:
        if User.objects.filter(email__endswith="@" + demo.DEMO_DOMAIN).exists():
            if if_empty:
                if verbosity:
                    self._print_logins()
                return
            raise CommandError("The demo data is already there.")
        if if_empty and User.objects.exists():
            if verbosity:
                self.stdout.write("The database has people in it: no demo data added.")
            return
        with transaction.atomic():
            world = demo.seed()
            for path in SEEDERS:
                import_string(path)(world)
        if verbosity:
            self.stdout.write(self.style.SUCCESS("Demo data created."))
            self._print_logins()

    def _print_logins(self) -> None:
        self.stdout.write(f"Demo logins (password for all: {demo.DEMO_PASSWORD}):")
        for email, who in demo.logins():
            self.stdout.write(f"  {email:32} {who}")
