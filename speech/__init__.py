"""The emulated speaker and voice "cloud": audio in and out, ASR engines, TTS, the interaction-model
compiler (grammars and local NLU), Alexa request envelopes and sessions, and the certification runner.

It reaches a skill only through Alexa request/response JSON (`speech.transport`), so it can drive
any Alexa skill endpoint, not just Voice Shop's.
"""
