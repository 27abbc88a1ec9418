"""The dossier de demande d'agrément: its plan, its content, its rendering to PDF, the exports
kept with the content version they were made from, and the pages that ask for them.

- `rendu.rendre_dossier(projet)`: the whole dossier as PDF bytes; `rendre_fiche(fiche)`,
  `rendre_partie(projet, cle)`: one fiche or one chapter alone;
- `rendu.html_dossier(projet, apercu=True)`: the same document as HTML (the print preview);
- `assemblage.produire_par_parties(projet)`: the same dossier assembled from its parts, each
  rendered apart and kept by what it prints (the export uses it when `DOSSIER_PAR_PARTIES`);
- `taches.exporter_dossier`: the background export (django-tasks) behind the export page.
"""
