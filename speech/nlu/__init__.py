"""Local language understanding compiled from an Alexa interaction model."""
