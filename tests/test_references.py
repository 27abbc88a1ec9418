"""The model holds the shapes of the real dossiers in shared/reference (facts only, no prose)."""

import pytest

from actions.models import FicheAction
from centresocial.demo import charger_demo
from projets.models import ObjectifGeneral, ProjetSocial

pytestmark = pytest.mark.django_db

# Montfermeil: axes → objectifs généraux directly (no enjeux), each with its objectifs
# opérationnels, indicateurs de résultats and an example. Vierzon: a fiche with préambule,
# objectifs, public, partenaires, moyens, étapes/échéancier, objet/indicateur/outil, and
# participation actuelle → visée.
DOCUMENT = """
structure: {slug: ville-test, nom: Centre social de test, type: centre_social, gestionnaire: commune}
equipe:
  - {username: ads-test, first_name: A, last_name: B, role: equipe}
partenaires:
  - {nom: Bailleur, type: bailleur}
  - {nom: Ville, type: commune}
projet:
  titre: Projet sans enjeux
  annee_debut: 2013
  annee_fin: 2016
  axes:
    - titre: Identifier le centre social comme lieu ressource
      objectifs:
        - code: a
          titre: Développer des actions hors les murs
          objectifs_operationnels: "- Déployer des actions au cœur des quartiers"
          indicateurs_resultats: "- Nombre d'animations de quartier"
          exemples: "- Animations de sortie d'école"
        - {code: b, titre: Créer l'identité du centre social}
      fiches:
        - numero: 12
          titre: Dynamique partenariale sur le quartier
          objectifs: [a, b]
          statut_plan: AE
          annees: [2013, 2014]
          statut: en_cours
          referent: ads-test
          contexte: Depuis 2010, une dynamique partenariale porte le quartier.
          public_vise: Habitants du quartier élargi
          presentation: Co-construction d'actions avec les habitants
          participation_actuelle: co_construction
          participation_visee: co_construction
          objectifs_operationnels: [Participer à la redynamisation du quartier]
          echeancier:
            - {libelle: Réunions de comité technique en soirée, periode: Tout au long de l'année}
          moyens:
            - {type: humain, libelle: ADS, quantite: 1}
            - {type: financier, libelle: Budget du centre social}
          partenaires:
            - {partenaire: Bailleur, role: co_porteur}
            - {partenaire: Ville, role: financeur}
          indicateurs:
            - {objet: Redynamisation du quartier, libelle: Nombre de manifestations, outil: Statistiques, nature: quantitatif}
            - {objet: Cadre de vie, libelle: Parole des habitants, outil: Comptes rendus de réunions, nature: qualitatif}
"""


def test_un_projet_sans_enjeux_avec_objectifs_detailles_et_une_fiche_a_la_vierzon(tmp_path):
    (tmp_path / "doc.yaml").write_text(DOCUMENT, encoding="utf-8")
    charger_demo(dossier=tmp_path, documents=["doc.yaml"], comptes_demo=False)

    projet = ProjetSocial.objects.get(titre="Projet sans enjeux")
    assert not projet.enjeux.exists()
    objectif = ObjectifGeneral.objects.get(axe__projet=projet, titre__startswith="Développer")
    assert objectif.enjeu is None
    assert "cœur des quartiers" in objectif.objectifs_operationnels
    assert "Nombre d'animations" in objectif.indicateurs_resultats

    fiche = FicheAction.objects.avec_details().get(projet=projet)
    assert fiche.code == "12"
    assert fiche.objectif_principal == objectif
    assert fiche.get_participation_visee_display() == "Contribution / co-construction"
    assert [p.get_role_display() for p in fiche.partenariats.all()] == ["Co-porteur", "Financeur"]
    assert [i.nature for i in fiche.indicateurs.all()] == ["quantitatif", "qualitatif"]
