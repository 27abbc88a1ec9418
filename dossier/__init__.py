"""The dossier de demande d'agrément: its plan, its content, its rendering to PDF, the exports
kept with the content version they were made from, and the pages that ask for them.

- `rendu.rendre_dossier(projet)`: the whole dossier as PDF bytes; `rendre_fiche(fiche)`,
  `rendre_partie(projet, cle)`: one fiche or one chapter alone;
- `rendu.html_dossier(projet, apercu=True)`: the same document as HTML (the print preview);
- `taches.exporter_dossier`: the background export (django-tasks) behind the export page.
"""
