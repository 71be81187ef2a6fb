"""One module per `voiceshop` subcommand; each exports a click command named after it."""
