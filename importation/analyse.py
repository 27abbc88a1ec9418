"""Reading a document and proposing its projet, in one call: `analyser`."""

from .detection import detecter
from .lecture import lire_document


def annuaire_de(structure):
    """The structure's directory as the detector matches it: (pk, nom, sigle) rows."""
    if structure is None:
        return []
    return list(structure.partenaires.values_list("pk", "nom", "sigle"))


def analyser(contenu, nom_fichier, structure=None, progression=None):
    """The Proposition for the file `contenu` (bytes) named `nom_fichier`, its partners matched to
    `structure`'s directory. `progression(pourcentage, etape)` is called as it goes.

    Raises ImportImpossible (a French message) when the file cannot be read or holds no projet."""
    if progression:
        progression(5, "Lecture du document")
    blocs = lire_document(contenu, nom_fichier)
    if progression:
        progression(50, f"Reconnaissance des fiches ({len(blocs)} blocs lus)")

    def avancer(fait, total):
        if progression and total:
            progression(50 + int(45 * fait / total), "Reconnaissance des fiches")

    proposition = detecter(blocs, nom_fichier, annuaire_de(structure), progression=avancer)
    if progression:
        progression(100, "Proposition prête à vérifier")
    return proposition
