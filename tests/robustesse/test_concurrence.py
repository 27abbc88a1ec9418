"""Several connections editing the same fiche on PostgreSQL (row lock + signed state token).

Each thread has its own test Client and its own database connection (Django opens one per
thread), so the saves really race in the database.
"""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from actions.models import FicheAction
from tests.actions.test_edition import donnees
from tests.factories import MembreFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="verrou de ligne : PostgreSQL seulement"
    ),
]

PERSONNES = 5


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


def en_parallele(fonction, arguments):
    """Run fonction(*args) for each args in its own thread, all starting at the same instant."""
    depart = threading.Barrier(len(arguments))
    resultats = [None] * len(arguments)

    def lancer(i, args):
        try:
            depart.wait()
            resultats[i] = fonction(*args)
        finally:
            connection.close()  # this thread's own connection

    fils = [threading.Thread(target=lancer, args=(i, a)) for i, a in enumerate(arguments)]
    for f in fils:
        f.start()
    for f in fils:
        f.join()
    return resultats


def test_enregistrements_simultanes_un_seul_gagne(monde, clients):
    fiche = monde.fiche_1a
    url = reverse("actions:modifier", args=[fiche.pk])
    formulaires = [donnees(c, fiche) for c in clients]  # everybody opened the same version
    for i, data in enumerate(formulaires):
        data["titre"] = f"Version {i}"
        data["contexte"] = f"Contexte écrit par la personne {i}"

    reponses = en_parallele(
        lambda c, d: c.post(url, d), list(zip(clients, formulaires, strict=True))
    )

    statuts = [r.status_code for r in reponses]
    assert sorted(statuts) == [302] + [409] * (PERSONNES - 1)
    gagnant = statuts.index(302)
    for reponse in reponses:
        if reponse.status_code == 409:  # every loser is told, and keeps their input
            texte = reponse.content.decode()
            assert "Cette fiche a été modifiée depuis que vous l" in texte
            assert f"Version {gagnant}" in texte
    fiche = FicheAction.objects.get(pk=fiche.pk)
    # 0 lost update: what is saved is exactly the winner's input, nobody else's.
    assert fiche.titre == f"Version {gagnant}"
    assert fiche.contexte == f"Contexte écrit par la personne {gagnant}"


def test_modifications_successives_apres_reouverture(monde, clients):
    """In turn, each person reopens the fiche (seeing the previous change) and saves: all win."""
    fiche = monde.fiche_1a
    url = reverse("actions:modifier", args=[fiche.pk])
    for i, client in enumerate(clients):
        data = donnees(client, fiche)
        if i:
            assert data["titre"] == f"Version {i - 1}"
            assert data["contexte"].endswith(f"personne {i - 1}")
        data["titre"] = f"Version {i}"
        data["contexte"] = (data.get("contexte", "") + f"\nAjout de la personne {i}").strip()
        assert client.post(url, data).status_code == 302
    fiche = FicheAction.objects.get(pk=fiche.pk)
    assert fiche.titre == f"Version {PERSONNES - 1}"
    # Every contribution is there: nothing was overwritten along the way.
    for i in range(PERSONNES):
        assert f"Ajout de la personne {i}" in fiche.contexte
