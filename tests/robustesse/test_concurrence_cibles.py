"""Several connections saving an indicator's targets at the same instant on PostgreSQL (row locks
+ signed state token), from the targets page and from the fiche editor."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from actions.models import Indicateur
from evaluation.models import CibleAnnuelle
from tests.actions.test_edition import donnees
from tests.factories import MembreFactory
from tests.robustesse.test_concurrence import en_parallele

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="verrou de ligne : PostgreSQL seulement"
    ),
]

PERSONNES = 5


@pytest.fixture
def indicateur(monde):
    return Indicateur.objects.create(
        fiche=monde.fiche_1a, libelle="Nombre de passages", valeur_reference=100, cible=200
    )


@pytest.fixture
def clients(monde):
    """Five staff members of structure 1, each in their own browser."""
    utilisateurs = [monde.direction_1, monde.equipe_1] + [
        MembreFactory(structure=monde.structure_1).user for _ in range(PERSONNES - 2)
    ]
    resultat = []
    for user in utilisateurs:
        client = Client()
        client.force_login(user)
        resultat.append(client)
    return resultat


def ouvrir(client, url):
    page = client.get(url).content.decode()
    return {"etat": re.search(r'name="etat" value="([^"]+)"', page).group(1)}


def test_enregistrements_simultanes_des_cibles_un_seul_gagne(indicateur, clients):
    url = reverse("evaluation:cibles", args=[indicateur.pk])
    formulaires = [ouvrir(c, url) for c in clients]  # everybody opened the same version
    for i, data in enumerate(formulaires):
        data.update(valeur_reference=str(10 + i), cible=str(300 + i), cible_2026=str(150 + i))

    reponses = en_parallele(
        lambda c, d: c.post(url, d), list(zip(clients, formulaires, strict=True))
    )

    statuts = [r.status_code for r in reponses]
    assert sorted(statuts) == [302] + [409] * (PERSONNES - 1)
    gagnant = statuts.index(302)
    for reponse in reponses:
        if reponse.status_code == 409:  # every loser is told, and keeps their input
            texte = reponse.content.decode()
            assert "Ces cibles ont été modifiées depuis que vous les avez ouvertes" in texte
            assert f"maintenant « {300 + gagnant} »" in texte
    indicateur.refresh_from_db()
    # 0 lost update: what is saved is exactly the winner's input, nobody else's.
    assert (indicateur.valeur_reference, indicateur.cible) == (10 + gagnant, 300 + gagnant)
    assert dict(CibleAnnuelle.objects.values_list("annee", "valeur")) == {2026: 150 + gagnant}


def test_la_page_des_cibles_et_l_editeur_en_meme_temps(monde, indicateur, clients):
    """The editor writes the same figures under the fiche's lock: a save there and one on the
    targets page at the same instant, both opened on the same state, never both win (twenty
    rounds: with the indicator's lock alone, both win within a few)."""
    fiche = monde.fiche_1a
    url_cibles = reverse("evaluation:cibles", args=[indicateur.pk])
    url_editeur = reverse("actions:modifier", args=[fiche.pk])
    editeur, page = clients[0], clients[1]
    for _ in range(20):
        data_editeur = donnees(editeur, fiche)
        data_page = ouvrir(page, url_cibles)
        (rang,) = [
            cle.split("-")[1]
            for cle, valeur in data_editeur.items()
            if cle.startswith("indicateurs-")
            and cle.endswith("-id")
            and valeur == str(indicateur.pk)
        ]
        indicateur.refresh_from_db()
        cible = int(indicateur.cible)
        data_editeur[f"indicateurs-{rang}-cible"] = str(cible + 1)
        data_page.update(valeur_reference="100", cible=str(cible + 2))

        reponses = en_parallele(
            lambda c, u, d: c.post(u, d),
            [(editeur, url_editeur, data_editeur), (page, url_cibles, data_page)],
        )

        statuts = [r.status_code for r in reponses]
        assert sorted(statuts) == [302, 409]
        indicateur.refresh_from_db()
        assert indicateur.cible == cible + 1 + statuts.index(302)
