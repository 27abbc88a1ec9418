"""The permission matrix: every URL pattern of the project × every role, with its expected status.

Each app lists its URLs in a module `entrees_<app>.py` (see conftest.py for the world `o`). A
URL pattern without an entry fails `test_chaque_motif_d_url_a_une_entree`, so a new view cannot
ship untested; each entry is its own test (`test_permissions[<clé>]`, run in parallel by xdist),
which reports every role whose status is wrong at once.
"""

import importlib
import pkgutil

import pytest
from django.db import transaction
from django.test import Client

import tests.permissions

from . import ROLES, motifs


def charger_entrees():
    """The ENTREES of every tests/permissions/entrees_*.py module, merged."""
    entrees = {}
    for module in pkgutil.iter_modules(tests.permissions.__path__):
        if not module.name.startswith("entrees_"):
            continue
        contribution = importlib.import_module(f"tests.permissions.{module.name}").ENTREES
        doublons = entrees.keys() & contribution.keys()
        assert not doublons, f"{module.name} redéfinit {sorted(doublons)}"
        entrees.update(contribution)
    return entrees


ENTREES = charger_entrees()


def repondre(user, requete):
    """The status of one request, and where it redirects."""
    url, methode, donnees = requete if isinstance(requete, tuple) else (requete, "get", None)
    client = Client(raise_request_exception=False)
    if user.is_authenticated:
        # A fresh copy: logging in updates last_login on the instance, which the rollback
        # would not undo (and password reset tokens depend on it).
        client.force_login(type(user).objects.get(pk=user.pk))
    reponse = client.post(url, donnees) if methode == "post" else client.get(url)
    return reponse.status_code, reponse.get("Location", "")


def vers_connexion(attendus):
    """An anonymous 302 must lead to a login page, unless everyone is redirected anyway."""
    return attendus["anonyme"] == 302 and set(attendus.values()) != {302}


def test_chaque_motif_d_url_a_une_entree():
    cles = {cle for cle, _, _ in motifs()}
    sans_entree = sorted(cles - ENTREES.keys())
    sans_motif = sorted(ENTREES.keys() - cles)
    assert not sans_entree, f"URL sans entrée dans la matrice des permissions : {sans_entree}"
    assert not sans_motif, f"Entrées sans URL : {sans_motif}"


@pytest.mark.parametrize("cle", sorted(ENTREES))
def test_permissions(db, o, cle):
    construire, attendus = ENTREES[cle]
    assert set(attendus) == set(ROLES), f"{cle} : rôles attendus {ROLES}"
    ecarts = []
    for role in ROLES:
        try:
            # The cell's writes are rolled back, so every cell sees the same world.
            with transaction.atomic():
                requete = construire(o)
                statut, redirection = repondre(o.utilisateurs[role], requete)
                transaction.set_rollback(True)
        except Exception as erreur:  # one broken cell must not hide the others
            ecarts.append(f"{role} : construire(o) a échoué ({erreur!r})")
            continue
        url = requete[0] if isinstance(requete, tuple) else requete
        if statut != attendus[role]:
            ecarts.append(f"{role} : {statut} au lieu de {attendus[role]} ({url})")
        elif role == "anonyme" and vers_connexion(attendus) and "login/" not in redirection:
            ecarts.append(f"anonyme : redirigé vers {redirection}, pas la connexion ({url})")
    assert not ecarts, f"{cle} : {len(ecarts)} écart(s) :\n" + "\n".join(ecarts)
