"""The demo catalog and the generators of the catalog and the interaction model."""
