import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from projets.models import Enjeu, LigneBudget, ProjetSocial, Sigle
from tests.factories import (
    AnneeActionFactory,
    AxeFactory,
    EnjeuFactory,
    ProjetSocialFactory,
    SigleFactory,
    StructureFactory,
)

pytestmark = pytest.mark.django_db


def messages(exc_info, champ="__all__"):
    return exc_info.value.message_dict.get(champ, [])


def test_periode_fin_avant_debut_refusee_avec_message_francais():
    projet = ProjetSocial(structure=StructureFactory(), titre="P", annee_debut=2026, annee_fin=2025)
    with pytest.raises(ValidationError) as exc:
        projet.full_clean()
    assert messages(exc, "annee_fin") == [
        "L'année de fin doit être égale ou postérieure à l'année de début."
    ]


def test_periode_de_six_ans_acceptee_sept_refusee():
    structure = StructureFactory()
    ProjetSocial(structure=structure, titre="P", annee_debut=2025, annee_fin=2030).full_clean()
    projet = ProjetSocial(structure=structure, titre="P", annee_debut=2025, annee_fin=2031)
    with pytest.raises(ValidationError) as exc:
        projet.full_clean()
    assert messages(exc, "annee_fin") == ["Un projet social couvre au plus 6 années."]


@pytest.mark.parametrize(
    ("debut", "fin", "contrainte"),
    [(2026, 2025, "projet_fin_apres_debut"), (2025, 2031, "projet_duree_max")],
)
def test_periode_impossible_refusee_par_la_base(debut, fin, contrainte):
    structure = StructureFactory()
    with pytest.raises(IntegrityError, match=contrainte), transaction.atomic():
        ProjetSocialFactory(structure=structure, titre="P", annee_debut=debut, annee_fin=fin)


def test_raccourcir_la_periode_sous_des_annees_de_fiche_est_refuse():
    annee = AnneeActionFactory(annee=2028)
    projet = annee.fiche.projet
    projet.annee_fin = 2027
    with pytest.raises(ValidationError) as exc:
        projet.full_clean()
    assert "Des fiches actions sont prévues en dehors de cette période (2028)" in messages(exc)[0]


def test_enjeux_numerotes_a_travers_le_projet():
    enjeu = EnjeuFactory(numero=3)
    autre_axe = AxeFactory(projet=enjeu.projet)
    doublon = Enjeu(projet=enjeu.projet, axe=autre_axe, numero=3, titre="Doublon")
    with pytest.raises(ValidationError) as exc:
        doublon.full_clean()
    assert messages(exc) == ["Ce numéro d'enjeu est déjà utilisé dans ce projet social."]
    # The same number in another projet is fine.
    assert EnjeuFactory(numero=3).projet != enjeu.projet


def test_enjeu_sur_un_axe_d_un_autre_projet_refuse():
    enjeu = Enjeu(projet=ProjetSocialFactory(), axe=AxeFactory(), numero=1, titre="E")
    with pytest.raises(ValidationError) as exc:
        enjeu.full_clean()
    assert messages(exc, "axe") == ["Cet axe appartient à un autre projet social."]


def test_enjeu_prend_le_projet_de_son_axe():
    axe = AxeFactory()
    enjeu = Enjeu.objects.create(axe=axe, numero=1, titre="E")
    assert enjeu.projet == axe.projet


def test_ligne_budget_hors_periode_ou_negative_refusee():
    projet = ProjetSocialFactory(annee_debut=2025, annee_fin=2028)
    ligne = LigneBudget(projet=projet, annee=2030, sens="charge", libelle="Loyer", montant=-5)
    with pytest.raises(ValidationError) as exc:
        ligne.full_clean()
    assert exc.value.message_dict["montant"] == ["Le montant ne peut pas être négatif."]
    ligne.montant = 5
    with pytest.raises(ValidationError) as exc:
        ligne.full_clean()
    assert exc.value.message_dict["annee"] == [
        "L'année doit être comprise dans la période du projet (2025–2028)."
    ]


def test_sigle_unique_par_projet_sans_tenir_compte_de_la_casse():
    projet = ProjetSocialFactory()
    SigleFactory(projet=projet, sigle="ADS", signification="Agent de développement social")
    doublon = Sigle(projet=projet, sigle="ads", signification="Autre chose")
    with pytest.raises(ValidationError) as exc:
        doublon.full_clean()
    assert messages(exc) == ["Ce sigle est déjà défini dans ce projet social."]
    Sigle(projet=ProjetSocialFactory(), sigle="ADS", signification="Ailleurs").full_clean()


def test_libelles_des_axes():
    assert AxeFactory(ordre=2, titre="Grandir").libelle == "Axe 2"
    assert (
        str(AxeFactory(transversal=True, titre="Pôle ressource"))
        == "Axe transversal : Pôle ressource"
    )
