"""Voice Shop: the `voiceshop` command that ties the skill backend (`skill/`) and the voice simulator (`speech/`)."""

__version__ = "0.1.0"
