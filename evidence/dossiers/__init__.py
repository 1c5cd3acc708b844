"""Building proof dossiers from selectors: one builder per kind, all producing a ``Dossier``."""
