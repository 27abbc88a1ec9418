"""The home page says what to do next: each fact of the direction appears while it is missing
and goes once fixed; the équipe sees its own fiches, a partner its actions and what changed since
its last visit; another structure never shows; the number of queries does not grow with the
fiches (centresocial/a_faire.py)."""

import re
from datetime import timedelta
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from actions.models import LectureFiche
from centresocial.a_faire import annee_passee
from partenaires.apps import VISITE_PRECEDENTE
from partenaires.models import ComptePartenaire
from projets.models import ProjetSocial
from tests.factories import (
    AnneeActionFactory,
    BilanActionFactory,
    CommentairePartenaireFactory,
    FicheActionFactory,
    IndicateurFactory,
    PartenariatActionFactory,
    ResultatFactory,
)

ANNEE = annee_passee()


def texte(html):
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))).strip()


def rubrique(reponse, titre):
    """The text of the home page's rubrique headed `titre`."""
    for section in re.findall(r'<section class="rubrique.*?</section>', reponse.text, re.S):
        if re.search(r"<h5[^>]*>\s*" + re.escape(escape(titre)), section):
            return texte(section)
    raise AssertionError(f"Pas de rubrique « {titre} » sur la page.")


def accueil(client, user):
    client.force_login(user)
    reponse = client.get(reverse("accueil"))
    assert reponse.status_code == 200
    return reponse


@pytest.fixture
def direction(client, monde):
    return lambda: accueil(client, monde.direction_1)


def test_une_fiche_sans_indicateur_est_listee_jusqu_a_ce_qu_elle_en_ait_un(direction, monde):
    assert "Fiche 1a" in rubrique(direction(), "Fiches sans indicateur")
    IndicateurFactory(fiche=monde.fiche_1a)
    rubrique_apres = rubrique(direction(), "Fiches sans indicateur")
    assert "Fiche 1a" not in rubrique_apres
    assert "Fiche 1b" in rubrique_apres
    IndicateurFactory(fiche=monde.fiche_1b)
    assert "Chaque fiche a un indicateur." in rubrique(direction(), "Fiches sans indicateur")


def test_une_fiche_sans_referent_est_listee_jusqu_a_ce_qu_elle_en_ait_un(direction, monde):
    assert "Fiche 1a" in rubrique(direction(), "Fiches sans référent")
    monde.fiche_1a.referent = monde.equipe_1
    monde.fiche_1a.save()
    monde.fiche_1b.referent_libelle = "Référente familles"
    monde.fiche_1b.save()
    assert "Chaque fiche a un référent." in rubrique(direction(), "Fiches sans référent")


def test_les_resultats_de_l_an_dernier_manquent_jusqu_a_ce_qu_ils_soient_saisis(direction, monde):
    titre = f"Résultats {ANNEE} à saisir"
    indicateur = IndicateurFactory(fiche=monde.fiche_1a)
    assert "Fiche 1a" not in rubrique(direction(), titre)  # not planned last year
    AnneeActionFactory(fiche=monde.fiche_1a, annee=ANNEE)
    manque = rubrique(direction(), titre)
    assert "Fiche 1a" in manque and "1 indicateur sans résultat" in manque
    ResultatFactory(indicateur=indicateur, annee=ANNEE - 1)  # another year does not count
    assert "Fiche 1a" in rubrique(direction(), titre)
    ResultatFactory(indicateur=indicateur, annee=ANNEE)
    assert "Fiche 1a" not in rubrique(direction(), titre)


def test_le_bilan_de_l_an_dernier_manque_jusqu_a_ce_qu_il_soit_ecrit(direction, monde):
    titre = f"Bilans {ANNEE} à écrire"
    AnneeActionFactory(fiche=monde.fiche_1b, annee=ANNEE)
    reponse = direction()
    assert "Fiche 1b" in rubrique(reponse, titre)
    assert reverse("evaluation:bilan", args=[monde.fiche_1b.pk, ANNEE]) in reponse.text
    BilanActionFactory(fiche=monde.fiche_1b, annee=ANNEE)
    assert "Fiche 1b" not in rubrique(direction(), titre)


def test_les_commentaires_non_lus_diminuent_quand_on_ouvre_la_fiche(client, direction, monde):
    titre = "Commentaires des partenaires non lus"
    assert "Vous avez lu tous les commentaires." in rubrique(direction(), titre)
    for _ in range(2):
        CommentairePartenaireFactory(
            fiche=monde.fiche_1a, partenaire=monde.partenaire_a, auteur=monde.user_partenaire_a
        )
    assert "Fiche 1a 2 commentaires non lus" in rubrique(direction(), titre)
    assert client.get(reverse("actions:detail", args=[monde.fiche_1a.pk])).status_code == 200
    assert LectureFiche.objects.filter(user=monde.direction_1, fiche=monde.fiche_1a).exists()
    assert "Fiche 1a" not in rubrique(direction(), titre)
    # A comment written after the visit is unread again; for the équipe, nothing was read yet.
    CommentairePartenaireFactory(
        fiche=monde.fiche_1a, partenaire=monde.partenaire_a, auteur=monde.user_partenaire_a
    )
    assert "Fiche 1a 1 commentaire non lu" in rubrique(direction(), titre)


def test_la_preparation_du_dossier_mene_aux_verifications(direction, monde):
    reponse = direction()
    assert re.search(
        r"\d+ points? à revoir dans le dossier", rubrique(reponse, "Prêt pour la CAF ?")
    )
    assert reverse("dossier:verifications", args=[monde.projet_1.pk]) in reponse.text


def test_les_prochaines_echeances_d_un_projet_agree(direction, monde):
    titre = "Prochaines échéances du renouvellement"
    assert "Aucune échéance" in rubrique(direction(), titre)  # a draft has no timeline
    ProjetSocial.objects.filter(pk=monde.projet_1.pk).update(statut=ProjetSocial.Statut.AGREE)
    reponse = direction()
    echeances = rubrique(reponse, titre)
    assert "Lancement de l'évaluation du projet en cours" in echeances
    assert reverse("projets:calendrier", args=[monde.projet_1.pk]) in reponse.text
    assert re.search(r"le \d\d/\d\d/\d{4} \((dans|en retard de) \d+ jours?\)", echeances)


def test_les_derniers_changements_de_la_structure(direction, monde):
    monde.fiche_1a.titre = "Ateliers du mercredi"
    monde.fiche_1a.save()
    reponse = direction()
    changements = rubrique(reponse, "Derniers changements")
    assert re.search(
        r"Modification · fiche action « \d+\. Ateliers du mercredi » : titre", changements
    )
    assert reverse("actions:detail", args=[monde.fiche_1a.pk]) in reponse.text
    monde.fiche_2a.titre = "Secret de la structure 2"
    monde.fiche_2a.save()
    assert "Secret de la structure 2" not in direction().text


def test_une_autre_structure_n_apparait_jamais(client, monde):
    AnneeActionFactory(fiche=monde.fiche_2a, annee=ANNEE)
    CommentairePartenaireFactory(fiche=monde.fiche_2a, partenaire=monde.partenaire_b)
    monde.fiche_2a.referent = monde.equipe_2
    monde.fiche_2a.save()
    for user in (monde.direction_1, monde.equipe_1, monde.user_partenaire_a):
        assert "Fiche 2a" not in accueil(client, user).text
    assert "Fiche 2a" in accueil(client, monde.equipe_2).text


def test_l_equipe_voit_ses_fiches_et_ce_qui_y_manque(client, monde):
    monde.fiche_1a.referent = monde.equipe_1
    monde.fiche_1a.save()
    reponse = accueil(client, monde.equipe_1)
    assert "Les fiches dont vous êtes référent·e" in reponse.text
    assert "Fiche 1a" in reponse.text and "Fiche 1b" not in reponse.text
    assert "Aucun indicateur : ajoutez-en un" in texte(reponse.text)
    assert "Fiches sans indicateur" not in reponse.text  # the direction's list is not theirs
    indicateur = IndicateurFactory(fiche=monde.fiche_1a)
    AnneeActionFactory(fiche=monde.fiche_1a, annee=ANNEE)
    page = texte(accueil(client, monde.equipe_1).text)
    assert "Aucun indicateur" not in page
    assert f"1 indicateur sans résultat pour {ANNEE}" in page
    assert f"Pas encore de bilan {ANNEE}" in page
    ResultatFactory(indicateur=indicateur, annee=ANNEE)
    BilanActionFactory(fiche=monde.fiche_1a, annee=ANNEE)
    assert "Rien ne manque pour l'instant." in texte(accueil(client, monde.equipe_1).text)


def test_le_guide_reste_pour_une_structure_sans_fiche(client, monde):
    from tests.factories import MembreFactory

    user = MembreFactory(direction=True).user
    reponse = accueil(client, user)
    assert "Pour commencer" in reponse.text
    assert "Fiches sans indicateur" not in reponse.text


# --- Partner ----------------------------------------------------------------------------------


def connecter(client, user):
    """A real login through the login page (the user_logged_in receivers run)."""
    user.set_password("motdepasse")
    user.save()
    reponse = client.post(reverse("login"), {"username": user.username, "password": "motdepasse"})
    assert reponse.status_code == 302, reponse.text


def test_la_connexion_note_la_visite_et_garde_la_precedente(client, monde):
    compte = monde.compte_partenaire_a
    il_y_a_dix_jours = timezone.now() - timedelta(days=10)
    ComptePartenaire.objects.filter(pk=compte.pk).update(derniere_visite=il_y_a_dix_jours)
    connecter(client, monde.user_partenaire_a)
    compte.refresh_from_db()
    assert timezone.now() - compte.derniere_visite < timedelta(minutes=1)
    assert client.session[VISITE_PRECEDENTE] == il_y_a_dix_jours.isoformat()


def test_le_partenaire_voit_ses_actions_et_ce_qui_a_change_depuis_sa_visite(client, monde):
    PartenariatActionFactory(fiche=monde.fiche_1b)  # another partner's fiche
    connecter(client, monde.user_partenaire_a)
    page = texte(client.get(reverse("accueil")).text)
    assert "Fiche 1a" in page and "Fiche 1b" not in page and "Fiche 2a" not in page
    assert "C'est votre première visite" in page

    client.logout()
    monde.fiche_1a.titre = "Ateliers du mercredi"
    monde.fiche_1a.save()
    IndicateurFactory(fiche=monde.fiche_1a, libelle="Nombre de jeunes accompagnés")
    # Another organisation's words stay out of the list.
    CommentairePartenaireFactory(fiche=monde.fiche_1a, texte="Mot d'un autre partenaire")
    connecter(client, monde.user_partenaire_a)
    reponse = client.get(reverse("accueil"))
    page = texte(reponse.text)
    assert "2 changements depuis votre dernière visite" in page
    assert re.search(r"Modification · fiche action « \d+\. Ateliers du mercredi » : titre", page)
    assert "Création · indicateur « Nombre de jeunes accompagnés »" in page
    assert "Mot d'un autre partenaire" not in page
    assert reverse("portail:fiche", args=[monde.fiche_1a.pk]) in reponse.text

    client.logout()
    connecter(client, monde.user_partenaire_a)
    page = texte(client.get(reverse("accueil")).text)
    assert "Rien de nouveau depuis le" in page
    assert "Ateliers du mercredi" in page  # the fiche is still listed


# --- Queries ----------------------------------------------------------------------------------


def requetes(client, url):
    with CaptureQueriesContext(connection) as capture:
        assert client.get(url).status_code == 200
    return len(capture.captured_queries)


def ajouter_fiches(monde, nombre):
    """Fiches of projet 1 with everything the home page counts: indicator, a year, a result,
    a comment, a référent."""
    for _ in range(nombre):
        fiche = FicheActionFactory(axe=monde.axe_1, referent=monde.equipe_1)
        AnneeActionFactory(fiche=fiche, annee=ANNEE)
        ResultatFactory(indicateur=IndicateurFactory(fiche=fiche), annee=ANNEE)
        IndicateurFactory(fiche=fiche)
        PartenariatActionFactory(fiche=fiche, partenaire=monde.partenaire_a)
        CommentairePartenaireFactory(
            fiche=fiche, partenaire=monde.partenaire_a, auteur=monde.user_partenaire_a
        )


@pytest.mark.parametrize("role", ["direction_1", "equipe_1", "user_partenaire_a"])
def test_le_nombre_de_requetes_ne_grandit_pas_avec_les_fiches(client, monde, role):
    # The partner has visited before: the page reads the changes since.
    ComptePartenaire.objects.update(derniere_visite=timezone.now() - timedelta(days=10))
    connecter(client, getattr(monde, role))
    ajouter_fiches(monde, 2)
    client.get(reverse("accueil"))  # caches (content types, session) filled
    avec_2 = requetes(client, reverse("accueil"))
    ajouter_fiches(monde, 8)
    avec_10 = requetes(client, reverse("accueil"))
    assert avec_2 == avec_10
