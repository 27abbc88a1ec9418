"""The staff's directory of partners: list, page, create, edit, contacts, merge."""

import pytest
from django.urls import reverse

from partenaires.models import Partenaire
from tests.factories import (
    ComptePartenaireFactory,
    ContactPartenaireFactory,
    PartenaireFactory,
    PartenariatActionFactory,
)


def test_la_liste_montre_les_partenaires_de_ma_structure_et_filtre(client, monde):
    PartenaireFactory(
        structure=monde.structure_1, nom="Ville de Clermont", type=Partenaire.Type.COMMUNE
    )
    client.force_login(monde.equipe_1)
    page = client.get(reverse("partenaires:liste"))
    assert "Mission locale" in page.text and "Ville de Clermont" in page.text
    assert "Bailleur B" not in page.text
    filtree = client.get(reverse("partenaires:liste"), {"type": "commune"})
    assert "Ville de Clermont" in filtree.text and "Mission locale" not in filtree.text
    par_nom = client.get(reverse("partenaires:liste"), {"nom": "missi"})
    assert "Mission locale" in par_nom.text and "Ville de Clermont" not in par_nom.text


def test_la_page_d_un_partenaire_montre_contacts_et_fiches(client, monde):
    client.force_login(monde.equipe_1)
    page = client.get(reverse("partenaires:detail", args=[monde.partenaire_a.pk]))
    assert "Claire Martin" in page.text and "Fiche 1a" in page.text
    assert "Fiche 1b" not in page.text
    assert "Inviter" not in page.text  # accounts are the direction's business


@pytest.mark.parametrize("qui", ["equipe_2", "user_partenaire_a", "user_partenaire_b"])
def test_le_partenaire_d_une_autre_structure_est_introuvable(client, monde, qui):
    client.force_login(getattr(monde, qui))
    for nom in ["detail", "modifier", "contacts", "fusionner"]:
        assert (
            client.get(reverse(f"partenaires:{nom}", args=[monde.partenaire_a.pk])).status_code
            == 404
        )


def test_un_compte_partenaire_n_a_pas_d_annuaire(client, monde):
    client.force_login(monde.user_partenaire_a)
    assert client.get(reverse("partenaires:liste")).status_code == 404
    assert client.get(reverse("partenaires:creer")).status_code == 404


def test_creer_un_partenaire_et_doublon_de_nom_refuse_pres_du_champ(client, monde):
    client.force_login(monde.equipe_1)
    url = reverse("partenaires:creer")
    reponse = client.post(
        url, {"structure": monde.structure_1.pk, "nom": "CAF du Puy-de-Dôme", "type": "caf"}
    )
    cree = Partenaire.objects.get(nom="CAF du Puy-de-Dôme")
    assert reponse.url == reverse("partenaires:detail", args=[cree.pk])
    doublon = client.post(
        url, {"structure": monde.structure_1.pk, "nom": "caf du puy-de-dôme", "type": "caf"}
    )
    assert doublon.status_code == 200
    assert "Un partenaire de ce nom existe déjà dans l&#x27;annuaire." in doublon.text
    assert 'value="caf du puy-de-dôme"' in doublon.text


def test_on_ne_cree_pas_dans_l_annuaire_d_une_autre_structure(client, monde):
    client.force_login(monde.equipe_1)
    reponse = client.post(
        reverse("partenaires:creer"),
        {"structure": monde.structure_2.pk, "nom": "Intrus", "type": "autre"},
    )
    assert reponse.status_code == 200
    assert not Partenaire.objects.filter(nom="Intrus").exists()


def test_modifier_un_partenaire(client, monde):
    client.force_login(monde.equipe_1)
    url = reverse("partenaires:modifier", args=[monde.partenaire_a.pk])
    client.post(
        url, {"nom": "Mission locale Métropole", "sigle": "ML", "type": "association_locale"}
    )
    monde.partenaire_a.refresh_from_db()
    assert (monde.partenaire_a.nom, monde.partenaire_a.sigle) == ("Mission locale Métropole", "ML")
    PartenaireFactory(structure=monde.structure_1, nom="Centre de loisirs")
    reponse = client.post(url, {"nom": "Centre de loisirs", "type": "autre"})
    assert "Un partenaire de ce nom existe déjà" in reponse.text


def test_modifier_les_contacts(client, monde):
    client.force_login(monde.equipe_1)
    url = reverse("partenaires:contacts", args=[monde.partenaire_a.pk])
    donnees = {
        "contacts-TOTAL_FORMS": "2",
        "contacts-INITIAL_FORMS": "1",
        "contacts-0-id": monde.contact_a.pk,
        "contacts-0-nom": "Claire Martin",
        "contacts-0-email": "pas-un-email",
        "contacts-1-nom": "Paul Nouveau",
        "contacts-1-fonction": "Conseiller",
    }
    erreur = client.post(url, donnees)
    assert "Saisissez une adresse de courriel valide." in erreur.text
    donnees["contacts-0-email"] = "claire.martin@mission-locale.fr"
    assert client.post(url, donnees).status_code == 302
    contacts = sorted(monde.partenaire_a.contacts.values_list("nom", "email"))
    assert contacts == [("Claire Martin", "claire.martin@mission-locale.fr"), ("Paul Nouveau", "")]


def test_contacts_falsifies_refuses_avec_un_message(client, monde):
    client.force_login(monde.equipe_1)
    url = reverse("partenaires:contacts", args=[monde.partenaire_a.pk])
    # One contact exists, the page claims two: the second has no id.
    faux_initial = {
        "contacts-TOTAL_FORMS": "2",
        "contacts-INITIAL_FORMS": "2",
        "contacts-0-id": monde.contact_a.pk,
        "contacts-0-nom": "Claire Contact",
        "contacts-1-nom": "Fantôme",
    }
    reponse = client.post(url, faux_initial)
    assert reponse.status_code == 200
    assert "La liste des contacts a changé depuis l" in reponse.text
    assert monde.partenaire_a.contacts.count() == 1

    # A forged TOTAL_FORMS builds at most absolute_max rows and says why it refuses.
    trop = {"contacts-TOTAL_FORMS": "5000", "contacts-INITIAL_FORMS": "0"}
    trop.update({f"contacts-{i}-nom": f"Contact {i}" for i in range(60)})
    reponse = client.post(url, trop)
    assert reponse.status_code == 200
    assert "Un partenaire compte au plus 50 contacts." in reponse.text
    assert len(reponse.context["formset"].forms) <= 60
    assert monde.partenaire_a.contacts.count() == 1


def test_fusionner_deux_doublons_garde_les_liens(client, monde):
    doublon = PartenaireFactory(structure=monde.structure_1, nom="Mission Locale (doublon)")
    # Both are on fiche 1a (the kept one must stay there once), the duplicate alone on fiche 1b.
    PartenariatActionFactory(fiche=monde.fiche_1a, partenaire=doublon, contribution="Accueil")
    PartenariatActionFactory(fiche=monde.fiche_1b, partenaire=doublon, role="financeur")
    ContactPartenaireFactory(partenaire=doublon, nom="Léa Double")
    ComptePartenaireFactory(user=monde.user_partenaire_a, partenaire=doublon)  # same person on both
    client.force_login(monde.equipe_1)
    reponse = client.post(
        reverse("partenaires:fusionner", args=[doublon.pk]), {"garde": monde.partenaire_a.pk}
    )
    assert reponse.url == reverse("partenaires:detail", args=[monde.partenaire_a.pk])
    assert not Partenaire.objects.filter(pk=doublon.pk).exists()
    liens = {lien.fiche_id: lien for lien in monde.partenaire_a.partenariats.all()}
    assert set(liens) == {monde.fiche_1a.pk, monde.fiche_1b.pk}
    assert liens[monde.fiche_1a.pk].contribution == "Accueil"
    assert liens[monde.fiche_1b.pk].role == "financeur"
    assert sorted(monde.partenaire_a.contacts.values_list("nom", flat=True)) == [
        "Claire Martin",
        "Léa Double",
    ]
    assert list(monde.partenaire_a.comptes.values_list("user", flat=True)) == [
        monde.user_partenaire_a.pk
    ]


def test_on_ne_fusionne_pas_avec_un_partenaire_d_une_autre_structure(client, monde):
    client.force_login(monde.equipe_1)
    reponse = client.post(
        reverse("partenaires:fusionner", args=[monde.partenaire_a.pk]),
        {"garde": monde.partenaire_b.pk},
    )
    assert "Choisissez un partenaire du même annuaire." in reponse.text
    assert Partenaire.objects.filter(pk=monde.partenaire_a.pk).exists()


def test_la_liste_en_nombre_de_requetes_fixe(client, monde, django_assert_max_num_queries):
    client.force_login(monde.equipe_1)
    with django_assert_max_num_queries(8):
        client.get(reverse("partenaires:liste"))
    for i in range(20):
        PartenaireFactory(structure=monde.structure_1, nom=f"Partenaire {i}")
    with django_assert_max_num_queries(8):
        client.get(reverse("partenaires:liste"))
