"""The layers of the code: import-linter checks the imports (`make lint`); a model named by a
string (« "projets.ProjetSocial" » in a ForeignKey, `apps.get_model`) is a dependency too, and
must point down the same layers."""

import re
import tomllib
from pathlib import Path

RACINE = Path(__file__).resolve().parent.parent
REFERENCE = re.compile(r"""["']([a-z_]+)\.([A-Z]\w+)["']""")


def couches():
    """The apps from the top layer down, as pyproject.toml's contract lists them."""
    config = tomllib.loads((RACINE / "pyproject.toml").read_text())["tool"]["importlinter"]
    (contrat,) = [c for c in config["contracts"] if c["id"] == "couches"]
    return [couche.split(".")[0].strip() for couche in contrat["layers"]]


def rang(parties, ordre):
    """The layer of a module's path (centresocial/lib is the bottom one)."""
    if parties[:2] == ("centresocial", "lib"):
        return len(ordre) - 1
    return ordre.index(parties[0])


def references_montantes(racine=RACINE):
    ordre = couches()
    applis = set(ordre)
    montantes = []
    for fichier in sorted(racine.glob("*/**/*.py")):
        parties = fichier.relative_to(racine).parts
        if parties[0] not in applis or "migrations" in parties:
            continue
        ici = rang(parties, ordre)
        for appli, modele in REFERENCE.findall(fichier.read_text()):
            if appli in applis and appli != parties[0] and ordre.index(appli) < ici:
                montantes.append(f"{fichier.relative_to(racine)} → {appli}.{modele}")
    return montantes


def test_les_couches_vont_du_site_aux_outils():
    assert couches() == [
        "centresocial",
        "portail",
        "dossier",
        "importation",
        "federation",
        "evaluation",
        "actions",
        "partenaires",
        "projets",
        "centresocial",
    ]


def test_aucune_reference_a_un_modele_d_une_couche_du_dessus():
    assert references_montantes() == []


def test_le_controle_voit_une_reference_montante(tmp_path):
    (tmp_path / "projets").mkdir()
    (tmp_path / "projets" / "modeles.py").write_text('CIBLE = "actions.FicheAction"\n')
    (tmp_path / "dossier").mkdir()
    (tmp_path / "dossier" / "modeles.py").write_text('CIBLE = "projets.ProjetSocial"\n')
    assert references_montantes(tmp_path) == ["projets/modeles.py → actions.FicheAction"]
