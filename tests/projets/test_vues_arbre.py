"""Editing the arbre d'objectifs: axes, enjeux, objectifs généraux."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils.html import escape

from actions.models import FicheAction, FicheObjectif
from projets.models import Axe, Enjeu, ObjectifGeneral
from tests.factories import (
    AxeFactory,
    EnjeuFactory,
    FicheObjectifFactory,
    ObjectifGeneralFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def hachage_rapide(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


class Arbre:
    pass


@pytest.fixture
def arbre(monde):
    """In projet 1: the axe of fiches 1a and 1b, and an axe without fiches.

    Axe « plein » (fiches 1a, 1b): enjeu n° 1, objectif A (primary objectif of fiche 1a).
    Axe « vide »: enjeu n° 2 with objectifs B (serves fiche 1b, not as primary) and C.
    """
    a = Arbre()
    a.projet = monde.projet_1
    a.plein = monde.fiche_1a.axe
    a.plein.ordre = 1
    a.plein.save()
    a.vide = AxeFactory(projet=a.projet, ordre=2, titre="Axe sans fiche")
    a.enjeu_1 = EnjeuFactory(axe=a.plein, numero=1, titre="Enjeu premier")
    a.enjeu_2 = EnjeuFactory(axe=a.vide, numero=2, titre="Enjeu second")
    a.objectif_a = ObjectifGeneralFactory(enjeu=a.enjeu_1, titre="Objectif A", ordre=0)
    a.objectif_b = ObjectifGeneralFactory(enjeu=a.enjeu_2, titre="Objectif B", ordre=0)
    a.objectif_c = ObjectifGeneralFactory(enjeu=a.enjeu_2, titre="Objectif C", ordre=1)
    FicheObjectifFactory(fiche=monde.fiche_1a, objectif=a.objectif_a, principal=True)
    FicheObjectifFactory(fiche=monde.fiche_1b, objectif=a.objectif_b, principal=False)
    return a


def textes_messages(reponse):
    """The messages queued so far (redirects are not followed, so they pile up)."""
    return [str(message) for message in get_messages(reponse.wsgi_request)]


def url_detail(projet):
    return reverse("actions:projet", args=[projet.pk])


PAGES = [
    ("projets:axe_creer", "projet"),
    ("projets:axe_modifier", "vide"),
    ("projets:axe_supprimer", "vide"),
    ("projets:enjeu_creer", "vide"),
    ("projets:enjeu_modifier", "enjeu_2"),
    ("projets:enjeu_supprimer", "enjeu_2"),
    ("projets:objectif_creer", "vide"),
    ("projets:objectif_modifier", "objectif_b"),
    ("projets:objectif_supprimer", "objectif_b"),
]


@pytest.mark.parametrize(("nom", "objet"), PAGES)
@pytest.mark.parametrize(
    ("qui", "code"),
    [
        ("direction_1", 200),
        ("equipe_1", 200),
        ("admin", 200),
        ("equipe_2", 404),
        ("user_partenaire_a", 404),
        ("sans_role", 404),
    ],
)
def test_matrice_des_acces_aux_pages(client, monde, arbre, nom, objet, qui, code):
    client.force_login(getattr(monde, qui))
    reponse = client.get(reverse(nom, args=[getattr(arbre, objet).pk]))
    assert reponse.status_code == code


@pytest.mark.parametrize(("nom", "objet"), PAGES)
def test_anonyme_renvoye_a_la_connexion(client, arbre, nom, objet):
    reponse = client.get(reverse(nom, args=[getattr(arbre, objet).pk]))
    assert reponse.status_code == 302
    assert reponse.url.startswith(reverse("login"))


@pytest.mark.parametrize(
    ("nom", "objet"),
    [
        ("projets:axe_deplacer", "vide"),
        ("projets:enjeu_deplacer", "enjeu_2"),
        ("projets:objectif_deplacer", "objectif_b"),
        ("projets:axe_supprimer", "vide"),
        ("projets:enjeu_supprimer", "enjeu_2"),
        ("projets:objectif_supprimer", "objectif_b"),
    ],
)
@pytest.mark.parametrize("qui", ["equipe_2", "user_partenaire_a"])
def test_post_d_une_autre_structure_ou_d_un_partenaire_404_et_rien_ne_change(
    client, monde, arbre, nom, objet, qui
):
    client.force_login(getattr(monde, qui))
    reponse = client.post(reverse(nom, args=[getattr(arbre, objet).pk]), {"sens": "haut"})
    assert reponse.status_code == 404
    assert Axe.objects.get(pk=arbre.vide.pk).ordre == 2
    assert Enjeu.objects.get(pk=arbre.enjeu_2.pk).numero == 2
    assert ObjectifGeneral.objects.filter(pk=arbre.objectif_b.pk).exists()


def test_deplacer_se_fait_en_post_seulement(client, monde, arbre):
    client.force_login(monde.equipe_1)
    reponse = client.get(reverse("projets:axe_deplacer", args=[arbre.vide.pk]))
    assert reponse.status_code == 405


# --- Axes ---


def test_creer_un_axe_le_place_apres_le_dernier(client, monde, arbre):
    client.force_login(monde.equipe_1)
    url = reverse("projets:axe_creer", args=[arbre.projet.pk])
    assert "Nouvel axe" in client.get(url).text
    reponse = client.post(url, {"titre": "Habiter son quartier"})
    assert reponse.status_code == 302
    assert reponse.url == url_detail(arbre.projet)
    axe = Axe.objects.get(titre="Habiter son quartier")
    assert axe.projet == arbre.projet
    assert axe.ordre == 3
    assert not axe.transversal
    assert textes_messages(reponse) == ["L'axe « Habiter son quartier » a été ajouté."]


def test_creer_un_axe_sans_titre_message_francais(client, monde, arbre):
    client.force_login(monde.direction_1)
    reponse = client.post(reverse("projets:axe_creer", args=[arbre.projet.pk]), {"titre": ""})
    assert reponse.status_code == 200
    assert "Ce champ est obligatoire." in reponse.text
    assert Axe.objects.filter(projet=arbre.projet).count() == 2


def test_modifier_un_axe(client, monde, arbre):
    client.force_login(monde.direction_1)
    url = reverse("projets:axe_modifier", args=[arbre.vide.pk])
    page = client.get(url)
    assert "Modifier l&#x27;axe 2" in page.text
    assert 'value="Axe sans fiche"' in page.text
    reponse = client.post(url, {"titre": "Pôle ressource", "transversal": "on"})
    assert reponse.url == url_detail(arbre.projet)
    arbre.vide.refresh_from_db()
    assert (arbre.vide.titre, arbre.vide.transversal) == ("Pôle ressource", True)


def test_monter_et_descendre_un_axe_echange_l_ordre_avec_le_voisin(client, monde, arbre):
    client.force_login(monde.equipe_1)
    reponse = client.post(reverse("projets:axe_deplacer", args=[arbre.vide.pk]), {"sens": "haut"})
    assert reponse.url == url_detail(arbre.projet)
    assert textes_messages(reponse) == ["« Axe 1 : Axe sans fiche » est monté d'un cran."]
    arbre.vide.refresh_from_db()
    arbre.plein.refresh_from_db()
    assert (arbre.vide.ordre, arbre.plein.ordre) == (1, 2)
    reponse = client.post(reverse("projets:axe_deplacer", args=[arbre.vide.pk]), {"sens": "haut"})
    assert textes_messages(reponse)[-1] == "« Axe 1 : Axe sans fiche » est déjà en premier."
    client.post(reverse("projets:axe_deplacer", args=[arbre.vide.pk]), {"sens": "bas"})
    arbre.vide.refresh_from_db()
    assert arbre.vide.ordre == 2


def test_deplacer_sans_sens_valide_ne_change_rien(client, monde, arbre):
    client.force_login(monde.equipe_1)
    reponse = client.post(reverse("projets:axe_deplacer", args=[arbre.vide.pk]), {"sens": "x"})
    assert textes_messages(reponse) == ["Indiquez s'il faut monter ou descendre l'élément."]
    arbre.vide.refresh_from_db()
    assert arbre.vide.ordre == 2


def test_supprimer_un_axe_avec_des_fiches_est_refuse_et_les_liste(client, monde, arbre):
    client.force_login(monde.direction_1)
    url = reverse("projets:axe_supprimer", args=[arbre.plein.pk])
    page = client.get(url)
    assert "Cet axe ne peut pas être supprimé" in page.text
    for fiche in (monde.fiche_1a, monde.fiche_1b):
        assert fiche.titre in page.text
        assert reverse("actions:deplacer", args=[fiche.pk]) in page.text
    assert "Supprimer définitivement" not in page.text

    reponse = client.post(url)
    assert reponse.status_code == 200
    assert "Cet axe contient encore des fiches actions" in textes_messages(reponse)[0]
    assert monde.fiche_1b.titre in reponse.text
    assert Axe.objects.filter(pk=arbre.plein.pk).exists()
    assert Enjeu.objects.filter(pk=arbre.enjeu_1.pk).exists()
    assert ObjectifGeneral.objects.filter(pk=arbre.objectif_a.pk).exists()
    assert FicheAction.objects.filter(axe=arbre.plein).count() == 2
    assert FicheObjectif.objects.filter(objectif=arbre.objectif_a).count() == 1


def test_supprimer_un_axe_vide_dit_ce_qui_part_avec_lui(client, monde, arbre):
    client.force_login(monde.equipe_1)
    url = reverse("projets:axe_supprimer", args=[arbre.vide.pk])
    page = client.get(url)
    assert "Enjeu n° 2 : Enjeu second" in page.text
    assert "Objectif B" in page.text and "Objectif C" in page.text
    assert "1 lien entre des fiches actions" in page.text

    reponse = client.post(url)
    assert reponse.url == url_detail(arbre.projet)
    assert not Axe.objects.filter(pk=arbre.vide.pk).exists()
    assert not Enjeu.objects.filter(pk=arbre.enjeu_2.pk).exists()
    assert not ObjectifGeneral.objects.filter(titre__in=["Objectif B", "Objectif C"]).exists()
    assert FicheAction.objects.filter(pk=monde.fiche_1b.pk).exists()
    assert not FicheObjectif.objects.filter(fiche=monde.fiche_1b).exists()
    assert textes_messages(reponse) == ["« Axe 2 : Axe sans fiche » a été supprimé."]


# --- Enjeux ---


def test_creer_un_enjeu_propose_le_numero_suivant_du_projet(client, monde, arbre):
    client.force_login(monde.equipe_1)
    url = reverse("projets:enjeu_creer", args=[arbre.plein.pk])
    page = client.get(url)
    assert 'name="numero" value="3"' in page.text
    assert "Dans l'axe 1 : " in page.text
    reponse = client.post(url, {"numero": 3, "titre": "Se loger dignement"})
    assert reponse.url == url_detail(arbre.projet)
    enjeu = Enjeu.objects.get(titre="Se loger dignement")
    assert (enjeu.projet, enjeu.axe, enjeu.numero) == (arbre.projet, arbre.plein, 3)


def test_numero_d_enjeu_deja_pris_dans_le_projet_message_pres_du_champ(client, monde, arbre):
    client.force_login(monde.equipe_1)
    reponse = client.post(
        reverse("projets:enjeu_creer", args=[arbre.plein.pk]),
        {"numero": 2, "titre": "Titre tapé"},
    )
    assert reponse.status_code == 200
    assert escape("Ce numéro d'enjeu est déjà utilisé dans ce projet social.") in reponse.text
    assert 'value="Titre tapé"' in reponse.text
    assert not Enjeu.objects.filter(titre="Titre tapé").exists()


def test_le_meme_numero_est_libre_dans_un_autre_projet(client, monde, arbre):
    EnjeuFactory(axe=AxeFactory(projet=monde.projet_2), numero=5)
    client.force_login(monde.equipe_1)
    reponse = client.post(
        reverse("projets:enjeu_creer", args=[arbre.plein.pk]), {"numero": 5, "titre": "Cinq"}
    )
    assert reponse.status_code == 302


def test_modifier_un_enjeu_avec_un_numero_pris_est_refuse(client, monde, arbre):
    client.force_login(monde.direction_1)
    url = reverse("projets:enjeu_modifier", args=[arbre.enjeu_2.pk])
    reponse = client.post(url, {"numero": 1, "titre": "Enjeu second"})
    assert escape("Ce numéro d'enjeu est déjà utilisé dans ce projet social.") in reponse.text
    assert escape("Modifier l'enjeu n° 2") in reponse.text  # the saved number, not the typed one
    reponse = client.post(url, {"numero": 2, "titre": "Enjeu renommé"})
    assert reponse.status_code == 302
    arbre.enjeu_2.refresh_from_db()
    assert (arbre.enjeu_2.numero, arbre.enjeu_2.titre) == (2, "Enjeu renommé")


def test_monter_un_enjeu_echange_les_numeros_dans_le_projet(client, monde, arbre):
    troisieme = EnjeuFactory(axe=arbre.vide, numero=3, titre="Enjeu troisième")
    client.force_login(monde.equipe_1)
    reponse = client.post(reverse("projets:enjeu_deplacer", args=[troisieme.pk]), {"sens": "haut"})
    assert reponse.url == url_detail(arbre.projet)
    numeros = dict(Enjeu.objects.filter(projet=arbre.projet).values_list("titre", "numero"))
    assert numeros == {"Enjeu premier": 1, "Enjeu troisième": 2, "Enjeu second": 3}
    # The history shows the real change, not the detour through a free number.
    historique = client.get(reverse("projets:historique", args=[arbre.projet.pk]))
    assert "<del>3</del> → <ins>2</ins>" in historique.text
    assert "<del>2</del> → <ins>3</ins>" in historique.text


def test_descendre_le_dernier_enjeu_ne_change_rien(client, monde, arbre):
    client.force_login(monde.equipe_1)
    reponse = client.post(
        reverse("projets:enjeu_deplacer", args=[arbre.enjeu_2.pk]), {"sens": "bas"}
    )
    assert "est déjà en dernier" in textes_messages(reponse)[0]
    arbre.enjeu_2.refresh_from_db()
    assert arbre.enjeu_2.numero == 2


def test_supprimer_un_enjeu_liste_ses_objectifs_et_les_fiches_touchees(client, monde, arbre):
    client.force_login(monde.equipe_1)
    url = reverse("projets:enjeu_supprimer", args=[arbre.enjeu_2.pk])
    page = client.get(url)
    assert "Objectif B" in page.text and "Objectif C" in page.text
    assert monde.fiche_1b.titre in page.text
    reponse = client.post(url)
    assert reponse.url == url_detail(arbre.projet)
    assert not Enjeu.objects.filter(pk=arbre.enjeu_2.pk).exists()
    assert not ObjectifGeneral.objects.filter(enjeu_id=arbre.enjeu_2.pk).exists()
    assert Axe.objects.filter(pk=arbre.vide.pk).exists()
    assert FicheAction.objects.filter(pk=monde.fiche_1b.pk).exists()


# --- Objectifs généraux ---


def test_creer_un_objectif_avec_un_enjeu_de_son_axe(client, monde, arbre):
    client.force_login(monde.equipe_1)
    url = reverse("projets:objectif_creer", args=[arbre.vide.pk])
    page = client.get(url, {"enjeu": arbre.enjeu_2.pk})
    assert f'<option value="{arbre.enjeu_2.pk}" selected>' in page.text
    assert "Enjeu premier" not in page.text  # another axe's enjeu is not offered
    donnees = {
        "enjeu": arbre.enjeu_2.pk,
        "titre": "Favoriser l'accès aux loisirs",
        "objectifs_operationnels": "- Ouvrir le samedi",
        "indicateurs_resultats": "Fréquentation",
        "exemples": "Sorties familles",
    }
    reponse = client.post(url, donnees)
    assert reponse.url == url_detail(arbre.projet)
    objectif = ObjectifGeneral.objects.get(titre="Favoriser l'accès aux loisirs")
    assert (objectif.axe, objectif.enjeu, objectif.ordre) == (arbre.vide, arbre.enjeu_2, 2)
    assert objectif.objectifs_operationnels == "- Ouvrir le samedi"


def test_un_objectif_sans_enjeu_est_rattache_a_l_axe(client, monde, arbre):
    client.force_login(monde.equipe_1)
    url = reverse("projets:objectif_creer", args=[arbre.vide.pk])
    client.post(url, {"enjeu": "", "titre": "Sans enjeu"})
    objectif = ObjectifGeneral.objects.get(titre="Sans enjeu")
    assert (objectif.axe, objectif.enjeu) == (arbre.vide, None)


def test_l_enjeu_d_un_autre_axe_est_refuse(client, monde, arbre):
    client.force_login(monde.equipe_1)
    reponse = client.post(
        reverse("projets:objectif_creer", args=[arbre.vide.pk]),
        {"enjeu": arbre.enjeu_1.pk, "titre": "Mal rangé"},
    )
    assert reponse.status_code == 200
    assert "Sélectionnez un choix valide" in reponse.text
    assert 'value="Mal rangé"' in reponse.text
    assert not ObjectifGeneral.objects.filter(titre="Mal rangé").exists()


def test_modifier_un_objectif(client, monde, arbre):
    client.force_login(monde.direction_1)
    url = reverse("projets:objectif_modifier", args=[arbre.objectif_b.pk])
    reponse = client.post(url, {"enjeu": arbre.enjeu_2.pk, "titre": "Objectif B précisé"})
    assert reponse.status_code == 302
    arbre.objectif_b.refresh_from_db()
    assert arbre.objectif_b.titre == "Objectif B précisé"


def test_descendre_un_objectif_parmi_ceux_de_son_enjeu(client, monde, arbre):
    client.force_login(monde.equipe_1)
    client.post(reverse("projets:objectif_deplacer", args=[arbre.objectif_b.pk]), {"sens": "bas"})
    titres = list(
        ObjectifGeneral.objects.filter(enjeu=arbre.enjeu_2).values_list("titre", flat=True)
    )
    assert titres == ["Objectif C", "Objectif B"]


def test_deplacer_des_objectifs_de_meme_ordre(client, monde, arbre):
    arbre.objectif_c.ordre = 0
    arbre.objectif_c.save()
    client.force_login(monde.equipe_1)
    client.post(reverse("projets:objectif_deplacer", args=[arbre.objectif_c.pk]), {"sens": "haut"})
    titres = list(
        ObjectifGeneral.objects.filter(enjeu=arbre.enjeu_2).values_list("titre", flat=True)
    )
    assert titres == ["Objectif C", "Objectif B"]


def test_supprimer_l_objectif_principal_d_une_fiche_previent(client, monde, arbre):
    client.force_login(monde.equipe_1)
    url = reverse("projets:objectif_supprimer", args=[arbre.objectif_a.pk])
    page = client.get(url)
    assert "objectif principal de 1 fiche action" in page.text
    assert monde.fiche_1a.titre in page.text
    reponse = client.post(url)
    assert reponse.url == url_detail(arbre.projet)
    assert not ObjectifGeneral.objects.filter(pk=arbre.objectif_a.pk).exists()
    assert not FicheObjectif.objects.filter(fiche=monde.fiche_1a).exists()
    assert textes_messages(reponse) == ["« Objectif A » a été supprimé."]


def test_supprimer_un_objectif_secondaire_ne_parle_pas_d_objectif_principal(client, monde, arbre):
    client.force_login(monde.equipe_1)
    page = client.get(reverse("projets:objectif_supprimer", args=[arbre.objectif_b.pk]))
    assert monde.fiche_1b.titre in page.text
    assert "choisissez-leur un autre objectif principal" not in page.text


def test_les_pages_de_l_arbre_font_un_nombre_borne_de_requetes(
    client, demo, django_assert_max_num_queries
):
    from django.contrib.auth.models import User

    from tests.outils import doubler_fiches

    lien = FicheObjectif.objects.filter(fiche__projet=demo, principal=True).first()
    objectif, axe = lien.objectif, lien.fiche.axe
    urls = [
        reverse("projets:axe_supprimer", args=[axe.pk]),
        reverse("projets:enjeu_supprimer", args=[objectif.enjeu_id]),
        reverse("projets:objectif_supprimer", args=[objectif.pk]),
        reverse("projets:objectif_modifier", args=[objectif.pk]),
        reverse("projets:enjeu_creer", args=[axe.pk]),
    ]
    client.force_login(User.objects.get(username="equipe"))

    def verifier():
        for url in urls:
            with django_assert_max_num_queries(10):
                assert client.get(url).status_code == 200

    verifier()
    doubler_fiches(demo)
    verifier()
    assert "(bis)" in client.get(urls[0]).text
