"""The dossier de demande d'agrément as a PDF: a service that returns bytes.

- `rendre_dossier(projet)`: the whole dossier; `rendre_fiche(fiche)`, `rendre_partie(projet,
  cle)`: one fiche or one chapter alone;
- `html_dossier(projet, apercu=True)`: the same document as HTML (the print preview);
- `taches.exporter_dossier`: the background export (django-tasks) behind the export page.
"""

from .rendu import (
    html_dossier,
    html_fiche,
    html_fiche_seule,
    html_partie,
    produire_dossier,
    rendre_dossier,
    rendre_fiche,
    rendre_partie,
)

__all__ = [
    "html_dossier",
    "html_fiche",
    "html_fiche_seule",
    "html_partie",
    "produire_dossier",
    "rendre_dossier",
    "rendre_fiche",
    "rendre_partie",
]
