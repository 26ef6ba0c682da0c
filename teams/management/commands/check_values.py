"""`manage.py check_values`: lists the rows stored out of range.

The rules of what a value may be (indicators/rules.py, config/ranges.py) apply to what
is written from now on; rows written before them (or by hand in the database) may break
them. This lists each one with its id and why, so an operator can repair it (in the
admin, or with the team), and exits with status 1 when it found any.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.module_loading import autodiscover_modules

from config.ranges import STORED_CHECKS, range_findings


class Command(BaseCommand):
    help = "Lists the rows stored out of range (values, dates, time boxes...)."

    def handle(self, *args, **options) -> None:
        autodiscover_modules("value_checks")
        count = 0
        with translation.override("en"):
            for check in [range_findings, *STORED_CHECKS]:
                for finding in check():
                    count += 1
                    self.stdout.write(
                        f"{finding.label} #{finding.pk}: {finding.what}: {finding.why}"
                    )
        if count:
            raise CommandError(f"{count} row(s) out of range: see above.")
        self.stdout.write("No row out of range.")
