"""The one error root of the command line.

Library code in `skill/` and `speech/` raises its own narrow errors; the CLI boundary turns any
`UserError` (and the libraries' roots, registered below) into one clear line and exit status.
"""

from __future__ import annotations


class UserError(Exception):
    """A problem the user can fix: bad input, a missing file, an unreachable endpoint.

    Shown as one line, ``error: <message>``, with exit status `exit_code`.
    """

    exit_code = 2

    def __init__(self, message: str, exit_code: int | None = None) -> None:
        super().__init__(message)
        if exit_code is not None:
            self.exit_code = exit_code
