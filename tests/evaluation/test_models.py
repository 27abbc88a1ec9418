from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError

from actions.models import FicheAction, Moyen
from evaluation.fichiers import verifier_fichier
from evaluation.models import BilanAction, Public, Resultat, StatutBilan, TypePartenaire
from partenaires.models import Partenaire
from tests.factories import (
    BilanActionFactory,
    FicheActionFactory,
    MoyenFactory,
    PartenaireFactory,
    PartenariatActionFactory,
    ResultatFactory,
)

from .conftest import PDF, PNG, docx


def test_un_resultat_est_un_nombre_ou_non_renseigne_en_base(quantitatif):
    with pytest.raises(IntegrityError):
        ResultatFactory(indicateur=quantitatif, annee=2025, valeur=None)


def test_valeur_et_non_renseigne_s_excluent(quantitatif):
    resultat = Resultat(indicateur=quantitatif, annee=2025, valeur=3, non_renseigne=True)
    with pytest.raises(ValidationError) as erreur:
        resultat.full_clean()
    assert "gardez l'un ou l'autre" in erreur.value.message_dict["valeur"][0]


def test_une_annee_se_suit_entiere_ou_par_semestre(quantitatif):
    ResultatFactory(indicateur=quantitatif, annee=2025, semestre=1, valeur=3)
    annee = Resultat(indicateur=quantitatif, annee=2025, valeur=8)
    with pytest.raises(ValidationError) as erreur:
        annee.full_clean()
    assert "suivi par semestre" in erreur.value.message_dict["semestre"][0]
    hors_periode = Resultat(indicateur=quantitatif, annee=2031, valeur=8)
    with pytest.raises(ValidationError) as erreur:
        hors_periode.full_clean()
    assert "période du projet" in erreur.value.message_dict["annee"][0]


def test_niveau_qualitatif_sur_l_echelle(qualitatif):
    resultat = Resultat(indicateur=qualitatif, annee=2025, niveau=9)
    with pytest.raises(ValidationError) as erreur:
        resultat.full_clean()
    assert "niveau de l'échelle" in erreur.value.message_dict["niveau"][0]
    resultat.niveau = 4
    resultat.full_clean()
    assert resultat.affichage == "4 – Tout à fait"
    qualitatif.echelle = "Jamais ; Parfois ; Souvent"
    assert resultat.indicateur.niveaux[2] == (3, "Souvent")


def test_un_bilan_par_fiche_et_par_annee(monde):
    BilanActionFactory(fiche=monde.fiche_1a, annee=2025)
    with pytest.raises(IntegrityError):
        BilanActionFactory(fiche=monde.fiche_1a, annee=2025)


def test_bilan_prerempli_depuis_la_fiche(monde):
    fiche = FicheActionFactory(
        terminee=True,
        public_vise="Les familles du quartier et les jeunes de 11 à 17 ans.",
        projet_familles=True,
    )
    PartenariatActionFactory(
        fiche=fiche,
        partenaire=PartenaireFactory(
            structure=fiche.projet.structure, type=Partenaire.Type.BAILLEUR
        ),
    )
    PartenariatActionFactory(
        fiche=fiche,
        partenaire=PartenaireFactory(
            structure=fiche.projet.structure, type=Partenaire.Type.INTERCOMMUNALITE
        ),
    )
    MoyenFactory(fiche=fiche, type=Moyen.Type.FINANCIER, libelle="Sorties", montant=1500)
    MoyenFactory(fiche=fiche, type=Moyen.Type.FINANCIER, libelle="Goûters", montant=300)
    MoyenFactory(fiche=fiche, type=Moyen.Type.HUMAIN, libelle="Animatrices", quantite=2)
    MoyenFactory(fiche=fiche, type=Moyen.Type.HUMAIN, libelle="Bénévoles", quantite=5)

    bilan = BilanAction.prerempli(FicheAction.objects.get(pk=fiche.pk), 2025)

    assert bilan.statut == StatutBilan.TERMINEE
    assert bilan.motif_fin == FicheAction.MotifFin.OBJECTIFS_ATTEINTS
    assert bilan.types_partenaires == [TypePartenaire.REGROUPEMENT, TypePartenaire.BAILLEUR]
    assert bilan.publics == [Public.FAMILLES, Public.JEUNESSE]
    assert "Sorties : 1\u202f500 €" in bilan.ressources_financieres
    assert bilan.montant_ressources == Decimal("1800")
    assert (bilan.salaries, bilan.benevoles) == (2, 5)
    bilan.full_clean()


@pytest.mark.parametrize("contenu", [PDF, PNG, b"\xff\xd8\xff\xe0" + b"\x00" * 20, docx()])
def test_fichiers_acceptes_d_apres_leur_contenu(contenu):
    verifier_fichier(SimpleUploadedFile("piece.bin", contenu))


@pytest.mark.parametrize(
    "nom, contenu, message",
    [
        ("faux.pdf", b"<html>pas un pdf</html>", "type de fichier n'est pas accepté"),
        ("archive.docx", b"PK\x03\x04 pas vraiment", "type de fichier n'est pas accepté"),
        ("gros.pdf", b"%PDF-" + b"0" * (5 * 1024 * 1024), "la limite est de 5 Mo"),
    ],
)
def test_fichiers_refuses(nom, contenu, message):
    with pytest.raises(ValidationError) as erreur:
        verifier_fichier(SimpleUploadedFile(nom, contenu))
    assert message in erreur.value.messages[0]
