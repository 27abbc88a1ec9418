import pytest
from django.urls import reverse
from django.utils.html import escape

from actions.models import FicheAction
from centresocial.demo import charger_demo

pytestmark = pytest.mark.django_db


def test_toute_page_exige_une_connexion(client):
    reponse = client.get(reverse("accueil"))
    assert reponse.status_code == 302
    assert reponse.url == f"{reverse('login')}?next=/"


def test_la_page_de_connexion_est_publique_et_en_francais(client):
    reponse = client.get(reverse("login"))
    assert reponse.status_code == 200
    assert "Se connecter" in reponse.text
    assert '<html lang="fr">' in reponse.text


def test_mauvais_mot_de_passe_message_en_francais_et_identifiant_garde(client, monde):
    reponse = client.post(
        reverse("login"), {"username": monde.equipe_1.username, "password": "faux"}
    )
    assert reponse.status_code == 200
    assert "Saisissez un nom d’utilisateur et un mot de passe valides" in reponse.text
    assert f'value="{monde.equipe_1.username}"' in reponse.text


def test_accueil_equipe_montre_ses_structures_seulement(client, monde):
    client.force_login(monde.equipe_1)
    reponse = client.get(reverse("accueil"))
    assert monde.structure_1.nom in reponse.text
    assert monde.structure_2.nom not in reponse.text


def test_accueil_partenaire_montre_ses_fiches_seulement(client, monde):
    client.force_login(monde.user_partenaire_a)
    reponse = client.get(reverse("accueil"))
    assert "Fiche 1a" in reponse.text
    assert "Fiche 1b" not in reponse.text and "Fiche 2a" not in reponse.text
    assert monde.projet_1.titre not in reponse.text or monde.structure_1.nom in reponse.text


def test_l_admin_montre_le_projet_de_demo_et_les_enfants_des_fiches(admin_client):
    charger_demo(comptes_demo=True)
    liste = admin_client.get(reverse("admin:actions_ficheaction_changelist") + "?all=")
    assert liste.status_code == 200
    fiche = FicheAction.objects.get(
        projet__structure__slug="territoire-sud", axe__ordre=2, numero=3
    )
    for une_fiche in FicheAction.objects.all():
        assert escape(str(une_fiche)) in liste.text
    page = admin_client.get(reverse("admin:actions_ficheaction_change", args=[fiche.pk]))
    assert page.status_code == 200
    for titre_inline in [
        "Objectifs opérationnels",
        "Échéancier",
        "Moyens",
        "Partenariats",
        "Indicateurs",
    ]:
        assert titre_inline in page.text, titre_inline
    indicateur = fiche.indicateurs.first()
    assert escape(indicateur.libelle) in page.text
    projet = fiche.projet
    page_projet = admin_client.get(reverse("admin:projets_projetsocial_change", args=[projet.pk]))
    assert page_projet.status_code == 200
    assert "Sigles et abréviations" in page_projet.text


@pytest.mark.parametrize(
    "modele",
    [
        "projets.structure",
        "projets.membre",
        "projets.territoire",
        "projets.chiffrecle",
        "projets.projetsocial",
        "projets.sectionprojet",
        "projets.axe",
        "projets.enjeu",
        "projets.objectifgeneral",
        "projets.instancegouvernance",
        "projets.lignebudget",
        "projets.sigle",
        "partenaires.partenaire",
        "partenaires.contactpartenaire",
        "partenaires.comptepartenaire",
        "actions.ficheaction",
        "actions.ficheobjectif",
        "actions.anneeaction",
        "actions.objectifoperationnel",
        "actions.etapeecheancier",
        "actions.moyen",
        "actions.partenariataction",
        "actions.indicateur",
    ],
)
def test_chaque_modele_a_sa_page_d_admin(admin_client, modele):
    app_label, model_name = modele.split(".")
    reponse = admin_client.get(reverse(f"admin:{app_label}_{model_name}_changelist"))
    assert reponse.status_code == 200
