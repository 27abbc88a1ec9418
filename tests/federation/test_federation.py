"""A fédération's pages: its members read the figures of its structures only, the fiches of
those that share them, read-only, and nothing else; anyone else gets a 404."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from projets.models import Federation, ProjetSocial
from tests.factories import (
    BilanActionFactory,
    FicheActionFactory,
    MembreFactory,
    ProjetSocialFactory,
    StructureFactory,
    UserFactory,
)

TEXTE_SECRET = "Atelier cuisine du mardi au local Jean-Moulin"


def structure_avec_bilans(nom, *, partage=False, benevoles=3, participants=20):
    """A structure with an agréé projet, one fiche (its text in `TEXTE_SECRET`) and its 2025
    bilan."""
    structure = StructureFactory(nom=nom, partage_federation=partage)
    projet = ProjetSocialFactory(
        structure=structure,
        statut=ProjetSocial.Statut.AGREE,
        date_decision_caf=date(2024, 11, 5),
        date_fin_agrement=date(2028, 12, 31),
    )
    fiche = FicheActionFactory(
        axe__projet=projet, titre=f"Cuisine partagée ({nom})", presentation=TEXTE_SECRET
    )
    BilanActionFactory(
        fiche=fiche,
        annee=2025,
        mots_cles=["culture"],
        publics=["familles", "seniors"],
        types_partenaires=["caf"],
        benevoles=benevoles,
        participants=participants,
        resultat_habitants=TEXTE_SECRET,
    )
    return structure, fiche


@pytest.fixture
def federation(db):
    federation = Federation.objects.create(nom="Fédération du Cher")
    federation.membres.add(UserFactory(username="conseillere"))
    return federation


@pytest.fixture
def client_federation(client, federation):
    client.force_login(federation.membres.get())
    return client


def test_le_membre_lit_les_chiffres_de_ses_structures_seulement(client_federation, federation):
    a, _ = structure_avec_bilans("Centre des Aubiers", benevoles=3, participants=20)
    b, _ = structure_avec_bilans("Centre du Lac", benevoles=4, participants=30)
    structure_avec_bilans("Centre Ailleurs", benevoles=100, participants=900)
    federation.structures.add(a, b)

    page = client_federation.get(reverse("federation:tableau", args=[federation.pk]))

    assert page.status_code == 200
    chiffres = page.context["chiffres"]
    assert chiffres.annee == 2025
    assert (chiffres.actions, chiffres.benevoles, chiffres.participants) == (2, 7, 50)
    assert chiffres.mots_cles == [("Culture", 2)]
    assert chiffres.publics == [("Familles", 2), ("Seniors", 2)]
    assert chiffres.types_partenaires == [("CAF", 2)]
    assert chiffres.projets_par_statut == [("Agréé", 2)]
    assert chiffres.fins_agrement == [(2028, 2)] and chiffres.decisions_caf == [(2024, 2)]
    assert [ligne.nom for ligne in chiffres.structures] == ["Centre des Aubiers", "Centre du Lac"]
    contenu = page.content.decode()
    assert "Centre des Aubiers" in contenu and "Centre Ailleurs" not in contenu


def test_aucun_texte_de_fiche_sans_partage(client_federation, federation):
    a, fiche = structure_avec_bilans("Centre des Aubiers")
    federation.structures.add(a)

    contenu = client_federation.get(reverse("federation:tableau", args=[federation.pk]))
    assert TEXTE_SECRET not in contenu.content.decode()
    assert fiche.titre not in contenu.content.decode()
    assert "Non partagées" in contenu.content.decode()
    for url in [
        reverse("federation:fiches_structure", args=[federation.pk, a.pk]),
        reverse("federation:fiche", args=[federation.pk, fiche.pk]),
    ]:
        assert client_federation.get(url).status_code == 404


def test_une_structure_qui_partage_montre_ses_fiches_en_lecture_seule(
    client_federation, federation
):
    a, fiche = structure_avec_bilans("Centre des Aubiers", partage=True)
    federation.structures.add(a)

    liste = client_federation.get(
        reverse("federation:fiches_structure", args=[federation.pk, a.pk])
    )
    assert fiche.titre in liste.content.decode()
    page = client_federation.get(reverse("federation:fiche", args=[federation.pk, fiche.pk]))
    assert page.status_code == 200
    assert TEXTE_SECRET in page.content.decode()
    # Read-only: no editor link, and the staff pages stay closed.
    assert reverse("actions:modifier", args=[fiche.pk]) not in page.content.decode()
    assert client_federation.get(reverse("actions:modifier", args=[fiche.pk])).status_code == 404


def test_une_structure_qui_partage_mais_hors_de_la_federation_reste_fermee(
    client_federation, federation
):
    _, fiche = structure_avec_bilans("Centre Ailleurs", partage=True)
    ailleurs = fiche.projet.structure
    for url in [
        reverse("federation:fiches_structure", args=[federation.pk, ailleurs.pk]),
        reverse("federation:fiche", args=[federation.pk, fiche.pk]),
    ]:
        assert client_federation.get(url).status_code == 404


@pytest.mark.parametrize("partage", [False, True])
def test_les_pages_des_structures_restent_en_404(client_federation, federation, partage):
    a, fiche = structure_avec_bilans("Centre des Aubiers", partage=partage)
    federation.structures.add(a)
    _, autre = structure_avec_bilans("Centre Ailleurs")
    for f in (fiche, autre):
        for url in [
            reverse("actions:projet", args=[f.projet.pk]),
            reverse("projets:contenu", args=[f.projet.pk]),
            reverse("projets:equipe", args=[f.projet.structure.pk]),
            reverse("actions:detail", args=[f.pk]),
            reverse("actions:modifier", args=[f.pk]),
            reverse("evaluation:tableau_de_bord", args=[f.projet.pk]),
            reverse("evaluation:bilan", args=[f.pk, 2025]),
        ]:
            assert client_federation.get(url).status_code == 404, url


def test_les_autres_n_ouvrent_pas_les_pages_de_la_federation(client, federation):
    a, fiche = structure_avec_bilans("Centre des Aubiers", partage=True)
    federation.structures.add(a)
    autre = Federation.objects.create(nom="Autre fédération")
    urls = [
        reverse("federation:accueil"),
        reverse("federation:tableau", args=[federation.pk]),
        reverse("federation:fiches_structure", args=[federation.pk, a.pk]),
        reverse("federation:fiche", args=[federation.pk, fiche.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 302  # to the login page
    # The structure's own direction, and the member of another fédération.
    direction = MembreFactory(structure=a, direction=True).user
    membre_autre = UserFactory(username="autre-conseillere")
    autre.membres.add(membre_autre)
    for user in (direction, membre_autre):
        client.force_login(user)
        for url in urls[1:]:
            assert client.get(url).status_code == 404, (user, url)
    client.force_login(direction)
    assert client.get(urls[0]).status_code == 404


def test_la_navigation_propose_la_federation_a_ses_membres(client, federation):
    membre = federation.membres.get()
    membre.set_password("motdepasse")
    membre.save()
    client.post(reverse("login"), {"username": membre.username, "password": "motdepasse"})
    assert client.session.get("membre_federation") is True
    accueil = client.get(reverse("federation:accueil"))
    assert accueil.status_code == 302 and accueil["Location"] == reverse(
        "federation:tableau", args=[federation.pk]
    )


def test_une_annee_inconnue_est_signalee(client_federation, federation):
    a, _ = structure_avec_bilans("Centre des Aubiers")
    federation.structures.add(a)
    url = reverse("federation:tableau", args=[federation.pk])
    page = client_federation.get(url, {"annee": "1850"})
    assert page.status_code == 200
    assert "Choisissez une année parmi celles des bilans." in page.content.decode()
    assert page.context["chiffres"].annee == 2025
    toutes = client_federation.get(url, {"annee": "toutes"})
    assert toutes.context["chiffres"].annee is None


def requetes_du_tableau(client, federation):
    with CaptureQueriesContext(connection) as requetes:
        assert client.get(reverse("federation:tableau", args=[federation.pk])).status_code == 200
    return len(requetes)


def test_le_nombre_de_requetes_ne_depend_pas_du_nombre_de_structures(client_federation, federation):
    for i in range(2):
        federation.structures.add(structure_avec_bilans(f"Centre {i}")[0])
    avec_deux = requetes_du_tableau(client_federation, federation)
    for i in range(2, 6):
        federation.structures.add(structure_avec_bilans(f"Centre {i}", partage=i % 2 == 0)[0])
    assert requetes_du_tableau(client_federation, federation) == avec_deux


def test_les_chiffres_sont_gardes_puis_recomptes_quand_un_bilan_change(
    client_federation, federation
):
    a, fiche = structure_avec_bilans("Centre des Aubiers", benevoles=3, participants=20)
    federation.structures.add(a)
    premiere = requetes_du_tableau(client_federation, federation)

    gardee = requetes_du_tableau(client_federation, federation)
    page = client_federation.get(reverse("federation:tableau", args=[federation.pk]))

    assert gardee < premiere
    assert page.context["chiffres"].participants == 20
    assert "Chiffres comptés le" in page.content.decode()
    bilan = fiche.bilans.get()
    bilan.participants = 35
    bilan.save()
    page = client_federation.get(reverse("federation:tableau", args=[federation.pk]))
    assert page.context["chiffres"].participants == 35
    b, _ = structure_avec_bilans("Centre du Lac", benevoles=4, participants=30)
    federation.structures.add(b)
    page = client_federation.get(reverse("federation:tableau", args=[federation.pk]))
    assert page.context["chiffres"].participants == 65
    bilan.delete()
    page = client_federation.get(reverse("federation:tableau", args=[federation.pk]))
    assert page.context["chiffres"].participants == 30
    FicheActionFactory(axe=fiche.axe)
    page = client_federation.get(reverse("federation:tableau", args=[federation.pk]))
    assert [ligne.fiches for ligne in page.context["chiffres"].structures] == [2, 1]


def test_modifier_le_texte_d_une_fiche_garde_les_chiffres(client_federation, federation):
    a, fiche = structure_avec_bilans("Centre des Aubiers")
    federation.structures.add(a)
    requetes_du_tableau(client_federation, federation)
    gardee = requetes_du_tableau(client_federation, federation)

    fiche.presentation = "Un autre texte"
    fiche.save()

    assert requetes_du_tableau(client_federation, federation) == gardee


def test_chaque_annee_a_ses_chiffres_en_cache(client_federation, federation):
    a, fiche = structure_avec_bilans("Centre des Aubiers", participants=20)
    BilanActionFactory(fiche=fiche, annee=2024, participants=12)
    federation.structures.add(a)
    url = reverse("federation:tableau", args=[federation.pk])

    par_annee = {
        annee: client_federation.get(url, {"annee": annee}).context["chiffres"].participants
        for annee in ("2025", "2024", "toutes", "2025")
    }

    assert par_annee == {"2025": 20, "2024": 12, "toutes": 32}


def test_la_direction_choisit_de_partager_ses_fiches(client, federation):
    a, fiche = structure_avec_bilans("Centre des Aubiers")
    federation.structures.add(a)
    direction = MembreFactory(structure=a, direction=True).user
    client.force_login(direction)
    url = reverse("projets:structure_modifier", args=[fiche.projet.pk])
    page = client.get(url)
    assert "partager le contenu des fiches avec la fédération" in page.content.decode().lower()
    donnees = {"nom": a.nom, "type": a.type, "gestionnaire": a.gestionnaire}
    client.post(url, {**donnees, "partage_federation": "on"})
    a.refresh_from_db()
    assert a.partage_federation
    client.force_login(federation.membres.get())
    assert (
        client.get(reverse("federation:fiche", args=[federation.pk, fiche.pk])).status_code == 200
    )


def test_l_accueil_mene_le_membre_a_sa_federation(client_federation):
    reponse = client_federation.get(reverse("accueil"))
    assert reponse.status_code == 302
    assert reponse.url == reverse("federation:accueil")


def test_un_membre_qui_travaille_aussi_dans_une_structure_garde_son_accueil(
    client_federation, federation
):
    structure, _ = structure_avec_bilans("Centre des Aubiers")
    MembreFactory(user=federation.membres.get(), structure=structure)
    assert client_federation.get(reverse("accueil")).status_code == 200


def ligne_de(page, nom):
    """The text of the structures table's line of `nom`."""
    html = page.content.decode()
    debut = html.index(f'<th scope="row">{nom}</th>')
    return " ".join(html[debut : html.index("</tr>", debut)].split())


def test_le_tableau_des_structures_garde_suit_les_changements(client_federation, federation):
    """Written once per generation of the figures: a renamed structure, its sharing turned on,
    a new fiche and another year show at once."""
    a, fiche = structure_avec_bilans("Centre des Aubiers", benevoles=3, participants=20)
    federation.structures.add(a)
    url = reverse("federation:tableau", args=[federation.pk])
    assert "Non partagées" in ligne_de(client_federation.get(url), "Centre des Aubiers")

    a.nom = "Centre social des Aubiers"
    a.partage_federation = True
    a.save()
    BilanActionFactory(fiche=FicheActionFactory(axe=fiche.axe), annee=2024)
    nom = "Centre social des Aubiers"
    toutes = ligne_de(client_federation.get(url, {"annee": "toutes"}), nom).replace("> <", "><")
    en_2025 = ligne_de(client_federation.get(url, {"annee": "2025"}), nom).replace("> <", "><")

    assert "Lire les fiches" in toutes
    assert '<td class="text-end">2</td><td class="text-end">2</td>' in toutes  # fiches, actions
    assert '<td class="text-end">2</td><td class="text-end">1</td>' in en_2025
