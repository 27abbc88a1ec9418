"""The settings of tests/projets/test_travailleur_reel.py's worker and helpers: the project's,
with a short heartbeat delay so that a killed worker is noticed within seconds."""

from centresocial.settings import *  # noqa: F403

EXPORT_DOSSIER_DELAI_BATTEMENT = 8
