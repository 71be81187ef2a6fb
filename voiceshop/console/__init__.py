"""The browser console: a simulator, a certification runner and an NLU explorer in one local web app.

    app = create_app(ConsoleSettings(directory=Path("console")))   # `voiceshop console` serves it on gunicorn

Pages: `/` (type or talk to a skill, see every request and response), `/certify` (run test files, see and
download the report), `/nlu` (how a sentence is read; turn a wrong reading into a test case). Everything
the pages send stays inside the console's directory (`workspace`).
"""

from __future__ import annotations

from voiceshop.console.app import create_app
from voiceshop.console.settings import ConsoleSettings

__all__ = ["ConsoleSettings", "create_app"]
