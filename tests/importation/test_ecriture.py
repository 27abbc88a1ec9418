"""Confirming creates a brouillon projet with everything, in one transaction, texts as written."""

from decimal import Decimal

import pytest
from auditlog.models import LogEntry

from actions.models import FicheAction, Moyen
from importation.analyse import analyser
from importation.ecriture import ProjetNonCree, creer_projet
from importation.mesure import ecrire
from importation.proposition import modifier
from partenaires.models import Partenaire
from projets.models import ProjetSocial
from tests.factories import MembreFactory, PartenaireFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def direction():
    return MembreFactory(direction=True)


def test_creer_le_projet_importe_en_brouillon(direction, synthetique_tableaux):
    structure = direction.structure
    mairie = PartenaireFactory(structure=structure, nom="Mairie annexe")
    proposition = analyser(ecrire.ecrire(synthetique_tableaux, "odt"), "projet.odt", structure)
    projet = creer_projet(proposition, structure, direction.user, "projet.odt")

    assert (projet.statut, projet.periode, projet.structure) == (
        "brouillon",
        "2025–2028",
        structure,
    )
    assert projet.axes.count() == 2
    fiches = list(
        FicheAction.objects.filter(projet=projet).avec_details().order_by("axe__ordre", "numero")
    )
    assert len(fiches) == 6
    jardin = fiches[0]
    assert jardin.titre == "Jardin partagé"
    assert jardin.contexte == (
        "Les habitants rencontrés lors du diagnostic ont parlé de jardinage à plusieurs reprises "
        "(fiche 1).\n\nAucune offre de jardinage n'existe aujourd'hui près de le square des Tilleuls."
    )
    assert jardin.presentation.endswith(
        "\n\n- Inscription à l'accueil du centre\n- Bilan collectif à chaque fin de trimestre"
    )
    assert (
        jardin.attention_particuliere
        == "Une attention particulière sera portée aux personnes isolées."
    )
    assert [o.libelle for o in jardin.objectifs_operationnels.all()] == [
        "Réunir au moins douze personnes autour du jardinage",
        "Donner un rôle aux bénévoles du quartier",
    ]
    assert jardin.objectif_principal.titre == "Faire du jardinage un moment de rencontre"
    assert [(e.periode, e.libelle) for e in jardin.etapes.all()] == [
        ("Septembre 2025", "lancement avec les premiers inscrits"),
        ("Juin 2026", "première fête de fin d'année"),
    ]
    moyens = [(m.type, m.libelle, m.quantite, m.montant) for m in jardin.moyens.all()]
    assert (Moyen.Type.HUMAIN, "1 animatrice référente", Decimal("1"), None) in moyens
    assert (Moyen.Type.FINANCIER, "Budget de 1 200 € sur l'année", None, Decimal("1200")) in moyens
    partenaires = [p.partenaire for p in jardin.partenariats.all()]
    assert mairie in partenaires  # matched in the directory, not created twice
    assert Partenaire.objects.filter(structure=structure, nom="Mairie annexe").count() == 1
    assert [i.libelle for i in jardin.indicateurs.all()] == [
        "Nombre de participants par séance",
        "Satisfaction exprimée au bilan",
    ]
    assert (jardin.participation_actuelle, jardin.participation_visee) == (2, 4)
    assert (jardin.projet_familles, fiches[1].projet_familles) == (True, False)
    assert projet.agrement_acf
    assert projet.sigles.count() == 4
    assert {s.type for s in projet.sections.all()} >= {"preambule", "portrait"}


def test_l_historique_dit_importe_de_fichier_par_qui(direction, docx_synthetique):
    proposition = analyser(docx_synthetique, "projet.docx")
    projet = creer_projet(proposition, direction.structure, direction.user, "projet 2025.docx")
    entree = LogEntry.objects.get(additional_data__import="projet 2025.docx")
    assert entree.actor == direction.user
    assert entree.additional_data["projet"] == projet.pk
    assert entree.changes_dict["origine"][1] == "importé de projet 2025.docx"
    fiche = projet.fiches.first()
    assert LogEntry.objects.get_for_object(fiche).get().actor == direction.user


def test_un_probleme_bloquant_ne_cree_rien(direction, docx_synthetique):
    proposition = analyser(docx_synthetique, "projet.docx")
    fiche = proposition.fiches[0]
    sans_titre = modifier(proposition, fiche.id, titre="")
    with pytest.raises(ProjetNonCree, match="Rien n'a été créé"):
        creer_projet(sans_titre, direction.structure, direction.user, "projet.docx")
    assert not ProjetSocial.objects.filter(structure=direction.structure).exists()


def test_une_erreur_pendant_l_ecriture_ne_laisse_rien(direction, docx_synthetique, monkeypatch):
    proposition = analyser(docx_synthetique, "projet.docx")
    from importation import ecriture

    def panne(self):
        raise RuntimeError("panne")

    monkeypatch.setattr(ecriture.Ecriture, "sigles", panne)
    with pytest.raises(RuntimeError):
        creer_projet(proposition, direction.structure, direction.user, "projet.docx")
    assert not ProjetSocial.objects.filter(structure=direction.structure).exists()
    assert not FicheAction.objects.exists()
