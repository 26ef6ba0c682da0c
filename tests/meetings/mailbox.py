"""An e-mail backend for tests that run a real worker process: it appends one line per
message (the reminder's id) to the file named by MEETINGS_TEST_MAILBOX, so the test can
count messages across processes.

With MEETINGS_TEST_BLOCK naming an existing file, sending waits until that file is
removed, after creating `<file>.started`: the test can then kill the worker while it is
in the middle of sending.
"""

import os
import time
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend


class EmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages) -> int:
        block = os.environ.get("MEETINGS_TEST_BLOCK")
        if block and Path(block).exists():
            Path(block + ".started").touch()
            while Path(block).exists():
                time.sleep(0.05)
        lines = "".join(
            f"{m.extra_headers.get('X-Cocharter-Reminder', '-')}\n" for m in email_messages
        )
        fd = os.open(os.environ["MEETINGS_TEST_MAILBOX"], os.O_WRONLY | os.O_APPEND | os.O_CREAT)
        try:
            os.write(fd, lines.encode())
        finally:
            os.close(fd)
        return len(email_messages)


def read(path: Path) -> list[int]:
    if not path.exists():
        return []
    return [int(line) for line in path.read_text().split() if line != "-"]
