import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import RestrictedError

from actions.models import (
    AnneeAction,
    EtapeEcheancier,
    FicheAction,
    FicheObjectif,
    Indicateur,
    Moyen,
    PartenariatAction,
)
from tests.factories import (
    AxeFactory,
    FicheActionFactory,
    FicheObjectifFactory,
    MembreFactory,
    ObjectifGeneralFactory,
    PartenaireFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_numero_unique_dans_l_axe_avec_message():
    fiche = FicheActionFactory(numero=3)
    doublon = FicheAction(projet=fiche.projet, axe=fiche.axe, numero=3, titre="Doublon")
    with pytest.raises(ValidationError) as exc:
        doublon.full_clean()
    assert exc.value.message_dict["__all__"] == [
        "Ce numéro est déjà pris par une autre fiche de cet axe."
    ]
    with (
        pytest.raises(IntegrityError, match="fiche_numero_unique_par_axe|UNIQUE constraint failed"),
        transaction.atomic(),
    ):
        doublon.save()


def test_meme_numero_dans_un_autre_axe_du_projet():
    fiche = FicheActionFactory(numero=1)
    autre_axe = AxeFactory(projet=fiche.projet)
    FicheAction(projet=fiche.projet, axe=autre_axe, numero=1, titre="Autre axe").full_clean()


def test_numero_suivant_dans_l_axe():
    axe = AxeFactory()
    assert FicheAction.numero_suivant(axe) == 1
    FicheActionFactory(axe=axe, numero=1)
    FicheActionFactory(axe=axe, numero=4)
    assert FicheAction.numero_suivant(axe) == 5


def test_fiche_sur_un_axe_d_un_autre_projet_refusee():
    fiche = FicheAction(projet=AxeFactory().projet, axe=AxeFactory(), numero=1, titre="F")
    with pytest.raises(ValidationError) as exc:
        fiche.full_clean()
    assert exc.value.message_dict["axe"] == ["Cet axe appartient à un autre projet social."]


def test_action_terminee_sans_motif_mais_motif_seulement_si_terminee():
    """A finished one-off event needs no invented reason; a reason means the action ended."""
    fiche = FicheActionFactory.build(axe=AxeFactory(), statut=FicheAction.Statut.TERMINEE)
    fiche.projet = fiche.axe.projet
    fiche.full_clean()
    fiche.statut = FicheAction.Statut.EN_COURS
    fiche.motif_fin = FicheAction.MotifFin.AUTRE
    with pytest.raises(ValidationError) as exc:
        fiche.full_clean()
    assert exc.value.message_dict["motif_fin"] == ["Seule une action terminée a un motif de fin."]


def test_motif_de_fin_garanti_par_la_base():
    with pytest.raises(IntegrityError, match="fiche_motif_fin_si_terminee"), transaction.atomic():
        FicheActionFactory(statut=FicheAction.Statut.EN_COURS, motif_fin="autre")
    assert FicheActionFactory(statut=FicheAction.Statut.TERMINEE, motif_fin="").pk
    assert FicheActionFactory(terminee=True).motif_fin == "objectifs_atteints"


def test_annee_hors_periode_refusee():
    fiche = FicheActionFactory()
    AnneeAction(fiche=fiche, annee=2025).full_clean()
    with pytest.raises(ValidationError) as exc:
        AnneeAction(fiche=fiche, annee=2029).full_clean()
    assert exc.value.message_dict["annee"] == [
        "L'année 2029 est en dehors de la période du projet (2025–2028)."
    ]


def test_referent_doit_etre_membre_de_la_structure():
    fiche = FicheActionFactory()
    fiche.referent = UserFactory()
    with pytest.raises(ValidationError) as exc:
        fiche.full_clean()
    assert exc.value.message_dict["referent"] == [
        "Le référent doit faire partie de l'équipe de la structure."
    ]
    fiche.referent = MembreFactory(structure=fiche.projet.structure).user
    fiche.full_clean()


def test_plusieurs_objectifs_un_seul_principal_meme_d_un_autre_axe():
    fiche = FicheActionFactory()
    enjeu_autre_axe = ObjectifGeneralFactory(enjeu__axe__projet=fiche.projet)
    principal = ObjectifGeneralFactory(enjeu__axe=fiche.axe)
    FicheObjectifFactory(fiche=fiche, objectif=principal, principal=True)
    FicheObjectifFactory(fiche=fiche, objectif=enjeu_autre_axe)
    assert fiche.objectif_principal == principal
    assert set(fiche.objectifs.all()) == {principal, enjeu_autre_axe}

    second = FicheObjectif(
        fiche=fiche, objectif=ObjectifGeneralFactory(enjeu__axe=fiche.axe), principal=True
    )
    with pytest.raises(ValidationError) as exc:
        second.full_clean()
    assert exc.value.message_dict["__all__"] == ["Une fiche n'a qu'un seul objectif principal."]


def test_objectif_d_un_autre_projet_refuse():
    lien = FicheObjectif(fiche=FicheActionFactory(), objectif=ObjectifGeneralFactory())
    with pytest.raises(ValidationError) as exc:
        lien.full_clean()
    assert exc.value.message_dict["objectif"] == [
        "Cet objectif appartient à un autre projet social."
    ]


def test_partenaire_d_une_autre_structure_refuse():
    fiche = FicheActionFactory()
    lien = PartenariatAction(fiche=fiche, partenaire=PartenaireFactory())
    with pytest.raises(ValidationError) as exc:
        lien.full_clean()
    assert exc.value.message_dict["partenaire"] == [
        "Ce partenaire n'est pas dans l'annuaire de la structure."
    ]
    PartenariatAction(
        fiche=fiche, partenaire=PartenaireFactory(structure=fiche.projet.structure)
    ).full_clean()


def test_etape_qui_finit_avant_de_commencer_refusee():
    etape = EtapeEcheancier(
        fiche=FicheActionFactory(),
        libelle="Ateliers",
        periode="Rentrée 2025/2026",
        date_debut=datetime.date(2025, 9, 1),
        date_fin=datetime.date(2025, 6, 30),
    )
    with pytest.raises(ValidationError) as exc:
        etape.full_clean()
    assert exc.value.message_dict["date_fin"] == [
        "La fin d'une étape ne peut pas précéder son début."
    ]
    with pytest.raises(IntegrityError, match="etape_fin_apres_debut"), transaction.atomic():
        etape.save()


def test_moyen_negatif_refuse():
    moyen = Moyen(fiche=FicheActionFactory(), type="financier", libelle="Budget", montant=-10)
    with pytest.raises(ValidationError) as exc:
        moyen.full_clean()
    assert exc.value.message_dict["montant"] == ["Le montant ne peut pas être négatif."]


def test_indicateur_qualitatif_sans_cible_chiffree():
    indicateur = Indicateur(
        fiche=FicheActionFactory(),
        objet="Autonomie",
        libelle="Aisance",
        nature="qualitatif",
        cible=3,
    )
    with pytest.raises(ValidationError) as exc:
        indicateur.full_clean()
    assert (
        "Un indicateur qualitatif n'a ni valeur de référence ni cible chiffrée"
        in (exc.value.message_dict["cible"][0])
    )


def test_supprimer_un_axe_qui_a_des_fiches_est_refuse_mais_pas_le_projet():
    fiche = FicheActionFactory()
    with pytest.raises(RestrictedError):
        fiche.axe.delete()
    fiche.projet.delete()
    assert not FicheAction.objects.filter(pk=fiche.pk).exists()


def test_reference_de_fiche():
    fiche = FicheActionFactory(numero=3, axe__ordre=2, titre="Les ateliers")
    assert fiche.reference == "Axe 2 – 03"
    assert str(fiche) == "03. Les ateliers"
