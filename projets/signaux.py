"""Signals of the projet's life, for the apps above projets that act on them (they may not be
imported from here: see the layers in pyproject.toml)."""

from django.dispatch import Signal

# Sent by `ProjetSocial.changer_statut`, inside the transaction that saves the new statut (a
# receiver that fails undoes the change), with `projet`, `ancien`, `nouveau` and `par` (the
# user, or None). The dossier archives what was sent to the CAF (`dossier.archives`).
statut_change = Signal()
