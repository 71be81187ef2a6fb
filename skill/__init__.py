"""The Voice Shop skill backend: ask-sdk-core handlers, the SQLite store and the web service.

Entry points: `skill.app.create_skill` (an ask-sdk `CustomSkill`), `skill.app.create_invoker`
(Alexa request JSON in, response JSON out, for in-process callers) and `skill.webservice.create_app`.
"""
