import re
import threading

import pytest
from auditlog.models import LogEntry
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from actions.forms import Editeur
from actions.models import FicheAction, Indicateur, PartenariatAction
from tests.factories import (
    AnneeActionFactory,
    FicheObjectifFactory,
    IndicateurFactory,
    MembreFactory,
    MoyenFactory,
    ObjectifGeneralFactory,
    PartenaireFactory,
)
from tests.outils import doubler_fiches

pytestmark = pytest.mark.django_db


def donnees(client, fiche):
    """The editor's form as a browser would submit it untouched: fields, rows and the token."""
    reponse = client.get(reverse("actions:modifier", args=[fiche.pk]))
    assert reponse.status_code == 200
    editeur = Editeur(FicheAction.objects.get(pk=fiche.pk))
    data = {"etat": re.search(r'name="etat" value="([^"]+)"', reponse.text).group(1)}
    formulaires = [editeur.form]
    for _, _, fs in editeur.formsets:
        for champ in fs.management_form:
            data[champ.html_name] = champ.value()
        formulaires += fs.forms
    for formulaire in formulaires:
        for champ in formulaire:
            valeur = champ.value()
            if valeur is None or valeur is False or champ.name == "DELETE":
                continue
            if valeur is True:
                valeur = "on"
            data[champ.html_name] = (
                [str(v) for v in valeur] if isinstance(valeur, list) else str(valeur)
            )
    return data


@pytest.fixture
def fiche(monde):
    fiche = monde.fiche_1a
    principal = ObjectifGeneralFactory(enjeu__axe=fiche.axe)
    FicheObjectifFactory(fiche=fiche, objectif=principal, principal=True)
    AnneeActionFactory(fiche=fiche, annee=2025)
    IndicateurFactory(fiche=fiche, libelle="Nombre de familles")
    MoyenFactory(fiche=fiche, type="humain", libelle="1 ADS référent", quantite=1)
    return fiche


@pytest.fixture
def equipe(client, monde):
    client.force_login(monde.equipe_1)
    return client


@pytest.mark.parametrize(
    ("qui", "statut"),
    [("equipe_1", 200), ("direction_1", 200), ("equipe_2", 404), ("user_partenaire_a", 403)],
)
def test_acces_a_l_editeur(client, monde, fiche, qui, statut):
    client.force_login(getattr(monde, qui))
    assert client.get(reverse("actions:modifier", args=[fiche.pk])).status_code == statut


def test_anonyme_renvoye_vers_la_connexion(client, fiche):
    reponse = client.get(reverse("actions:modifier", args=[fiche.pk]))
    assert reponse.status_code == 302 and "/comptes/login/" in reponse.url


def test_un_nombre_de_lignes_falsifie_est_borne_et_refuse(equipe, fiche):
    data = donnees(equipe, fiche)
    data["indicateurs-TOTAL_FORMS"] = "5000"
    for i in range(1, 120):
        data[f"indicateurs-{i}-libelle"] = f"Indicateur {i}"
        data[f"indicateurs-{i}-nature"] = "quantitatif"
    reponse = equipe.post(reverse("actions:modifier", args=[fiche.pk]), data)
    assert reponse.status_code == 400
    assert "Une rubrique compte au plus 100 lignes." in reponse.text
    assert reponse.text.count('name="indicateurs-') < 110 * 12  # at most absolute_max rows built
    assert fiche.indicateurs.count() == 1


def test_enregistrer_la_fiche_et_toutes_ses_lignes(equipe, monde, fiche):
    data = donnees(equipe, fiche)
    autre_objectif = ObjectifGeneralFactory(enjeu__axe__projet=fiche.projet)
    partenaire = PartenaireFactory(structure=fiche.projet.structure, nom="Ludothèque")
    data.update(
        {
            "titre": "Un nouveau titre",
            "contexte": "Le diagnostic a montré **un besoin**.",
            "objectifs": [str(fiche.objectif_principal.pk), str(autre_objectif.pk)],
            "objectif_principal": str(autre_objectif.pk),
            "annees": ["2026", "2027"],
            "referent": str(monde.equipe_1.pk),
            # a new indicator, a removed moyen, a new partner
            "indicateurs-TOTAL_FORMS": "2",
            "indicateurs-1-objet": "Satisfaction",
            "indicateurs-1-libelle": "Part des familles satisfaites",
            "indicateurs-1-outil": "Questionnaire",
            "indicateurs-1-nature": "qualitatif",
            "moyens-0-DELETE": "on",
            "partenariats-TOTAL_FORMS": "2",
            "partenariats-1-partenaire": str(partenaire.pk),
            "partenariats-1-role": "financeur",
            "partenariats-1-contribution": "Prêt de jeux",
        }
    )
    reponse = equipe.post(reverse("actions:modifier", args=[fiche.pk]), data)
    assert reponse.status_code == 302, reponse.content.decode()[:3000]

    fiche = FicheAction.objects.avec_details().get(pk=fiche.pk)
    assert fiche.titre == "Un nouveau titre"
    assert fiche.objectif_principal == autre_objectif
    assert fiche.objectifs.count() == 2
    assert fiche.liste_annees == [2026, 2027]
    assert [i.libelle for i in fiche.indicateurs.all()] == [
        "Nombre de familles",
        "Part des familles satisfaites",
    ]
    assert [i.ordre for i in fiche.indicateurs.all()] == [0, 1]
    assert not fiche.moyens.exists()
    assert {p.partenaire.nom for p in fiche.partenariats.all()} == {
        monde.partenaire_a.nom,
        "Ludothèque",
    }
    # The history knows who changed what.
    entree = LogEntry.objects.get_for_object(fiche).filter(action=LogEntry.Action.UPDATE).first()
    assert entree.actor == monde.equipe_1
    assert "titre" in entree.changes_dict


def test_saisie_invalide_conservee_avec_messages_en_francais(equipe, fiche):
    data = donnees(equipe, fiche)
    data.update(
        {
            "titre": "",
            "contexte": "Texte tapé qui ne doit pas se perdre",
            "statut": "terminee",
            "indicateurs-TOTAL_FORMS": "2",
            "indicateurs-1-objet": "Autonomie",
            "indicateurs-1-libelle": "Aisance numérique",
            "indicateurs-1-nature": "qualitatif",
            "indicateurs-1-cible": "12",
        }
    )
    reponse = equipe.post(reverse("actions:modifier", args=[fiche.pk]), data)
    assert reponse.status_code == 400
    texte = reponse.content.decode()
    assert "Ce champ est obligatoire." in texte
    assert escape("Indiquez pourquoi l'action est terminée.") not in texte  # no reason needed
    assert (
        "Un indicateur qualitatif n’a ni valeur de référence" in texte
        or escape("Un indicateur qualitatif n'a ni valeur de référence") in texte
    )
    assert "Texte tapé qui ne doit pas se perdre" in texte
    assert 'value="Aisance numérique"' in texte
    assert (
        "La fiche n&#x27;a pas été enregistrée" in texte
        or "La fiche n'a pas été enregistrée" in texte
    )
    assert FicheAction.objects.get(pk=fiche.pk).contexte == ""


def test_plusieurs_objectifs_demandent_un_principal(equipe, fiche):
    data = donnees(equipe, fiche)
    autre = ObjectifGeneralFactory(enjeu__axe__projet=fiche.projet)
    data.update(
        {"objectifs": [str(fiche.objectif_principal.pk), str(autre.pk)], "objectif_principal": ""}
    )
    reponse = equipe.post(reverse("actions:modifier", args=[fiche.pk]), data)
    assert reponse.status_code == 400
    assert (
        escape("Choisissez l'objectif principal parmi les objectifs cochés.")
        in reponse.content.decode()
    )


def test_un_partenaire_d_une_autre_structure_est_refuse(equipe, fiche):
    data = donnees(equipe, fiche)
    etranger = PartenaireFactory()
    data.update({"partenariats-0-partenaire": str(etranger.pk)})
    reponse = equipe.post(reverse("actions:modifier", args=[fiche.pk]), data)
    assert reponse.status_code == 400
    assert PartenariatAction.objects.get(fiche=fiche).partenaire != etranger


def test_conflit_entre_deux_sessions(monde, fiche):
    alice, bob = Client(), Client()
    alice.force_login(monde.equipe_1)
    bob.force_login(monde.direction_1)
    form_alice, form_bob = donnees(alice, fiche), donnees(bob, fiche)

    form_alice["titre"] = "Titre d'Alice"
    assert alice.post(reverse("actions:modifier", args=[fiche.pk]), form_alice).status_code == 302

    form_bob["contexte"] = "Contexte écrit par Bob"
    reponse = bob.post(reverse("actions:modifier", args=[fiche.pk]), form_bob)
    assert reponse.status_code == 409
    texte = reponse.content.decode()
    assert "Cette fiche a été modifiée depuis que vous l" in texte
    assert "Titre d" in texte and "Alice" in texte  # what changed, with the value now saved
    assert "Contexte écrit par Bob" in texte  # Bob's input is kept
    fiche.refresh_from_db()
    assert fiche.titre == "Titre d'Alice" and fiche.contexte == ""

    # Bob saves again from the conflict page: his input now applies, knowingly.
    form_bob["etat"] = re.search(r'name="etat" value="([^"]+)"', texte).group(1)
    assert bob.post(reverse("actions:modifier", args=[fiche.pk]), form_bob).status_code == 302
    fiche.refresh_from_db()
    assert fiche.contexte == "Contexte écrit par Bob"


def test_conflit_quand_une_ligne_a_change_ailleurs(equipe, fiche):
    data = donnees(equipe, fiche)
    Indicateur.objects.filter(fiche=fiche).update(cible=99)  # e.g. in the admin
    data["titre"] = "Autre titre"
    reponse = equipe.post(reverse("actions:modifier", args=[fiche.pk]), data)
    assert reponse.status_code == 409
    assert "1 modifiée(s)" in reponse.content.decode()
    assert FicheAction.objects.get(pk=fiche.pk).titre != "Autre titre"


def test_jeton_falsifie_jamais_d_ecrasement(equipe, fiche):
    data = donnees(equipe, fiche)
    data.update({"etat": "faux", "titre": "Écrasement"})
    reponse = equipe.post(reverse("actions:modifier", args=[fiche.pk]), data)
    assert reponse.status_code == 409
    assert FicheAction.objects.get(pk=fiche.pk).titre != "Écrasement"


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="verrou de ligne : PostgreSQL seulement"
)
def test_deux_enregistrements_simultanes_un_seul_gagne(monde, fiche):
    """Two connections save the same opened form at the same instant: one wins, one is told."""
    clients = []
    for user in (monde.equipe_1, monde.direction_1):
        client = Client()
        client.force_login(user)
        clients.append(client)
    formulaires = [donnees(c, fiche) for c in clients]
    formulaires[0]["titre"], formulaires[1]["titre"] = "Version A", "Version B"
    depart = threading.Barrier(2)
    statuts = []

    def enregistrer(client, data):
        depart.wait()
        statuts.append(client.post(reverse("actions:modifier", args=[fiche.pk]), data).status_code)
        connection.close()

    fils = [
        threading.Thread(target=enregistrer, args=(c, d))
        for c, d in zip(clients, formulaires, strict=True)
    ]
    for f in fils:
        f.start()
    for f in fils:
        f.join()
    assert sorted(statuts) == [302, 409]
    assert FicheAction.objects.get(pk=fiche.pk).titre in {"Version A", "Version B"}


def test_creer_une_fiche_prend_le_numero_suivant(equipe, monde):
    axe = monde.fiche_1a.axe
    dernier = axe.fiches.order_by("-numero").first().numero
    reponse = equipe.post(
        reverse("actions:creer", args=[monde.projet_1.pk]),
        {"axe": axe.pk, "titre": "Jardin partagé"},
    )
    fiche = FicheAction.objects.get(titre="Jardin partagé")
    assert reponse.status_code == 302 and reponse.url == reverse(
        "actions:modifier", args=[fiche.pk]
    )
    assert fiche.numero == dernier + 1 and fiche.projet == monde.projet_1


def test_creer_refuse_un_axe_d_un_autre_projet(equipe, monde):
    reponse = equipe.post(
        reverse("actions:creer", args=[monde.projet_1.pk]),
        {"axe": monde.fiche_2a.axe.pk, "titre": "X"},
    )
    assert reponse.status_code == 200
    assert "Sélectionnez un choix valide" in reponse.content.decode()
    assert not FicheAction.objects.filter(titre="X").exists()


def test_dupliquer_copie_toutes_les_lignes(equipe, fiche):
    reponse = equipe.post(reverse("actions:dupliquer", args=[fiche.pk]))
    copie = FicheAction.objects.avec_details().get(titre=f"{fiche.titre} (copie)")
    assert reponse.status_code == 302
    assert copie.axe == fiche.axe and copie.numero == FicheAction.numero_suivant(fiche.axe) - 1
    assert copie.objectif_principal == fiche.objectif_principal
    assert copie.liste_annees == [2025]
    assert [i.libelle for i in copie.indicateurs.all()] == ["Nombre de familles"]
    assert copie.partenariats.count() == 1 and copie.moyens.count() == 1
    assert copie.statut == FicheAction.Statut.A_VENIR
    assert equipe.get(reverse("actions:dupliquer", args=[fiche.pk])).status_code == 405


def test_deplacer_garde_une_numerotation_sans_trou(equipe, monde):
    from tests.factories import AxeFactory, FicheActionFactory

    axe = monde.fiche_1a.axe
    fiches = [monde.fiche_1a, monde.fiche_1b] + [FicheActionFactory(axe=axe) for _ in range(2)]
    for numero, f in enumerate(fiches, start=1):
        FicheAction.objects.filter(pk=f.pk).update(numero=numero + 100)
    for numero, f in enumerate(fiches, start=1):
        FicheAction.objects.filter(pk=f.pk).update(numero=numero)
    cible = AxeFactory(projet=monde.projet_1)
    FicheActionFactory(axe=cible, numero=1)

    page = equipe.get(reverse("actions:deplacer", args=[fiches[1].pk]))
    assert (
        "reculeront d&#x27;un numéro" in page.content.decode()
        or "reculeront d'un numéro" in page.content.decode()
    )
    reponse = equipe.post(reverse("actions:deplacer", args=[fiches[1].pk]), {"axe": cible.pk})
    assert reponse.status_code == 302
    assert list(axe.fiches.order_by("numero").values_list("numero", flat=True)) == [1, 2, 3]
    deplacee = FicheAction.objects.get(pk=fiches[1].pk)
    assert deplacee.axe == cible and deplacee.numero == 2


def test_supprimer_demande_confirmation_puis_resserre(equipe, monde, fiche):
    page = equipe.get(reverse("actions:supprimer", args=[fiche.pk]))
    assert page.status_code == 200 and "Supprimer définitivement" in page.content.decode()
    assert FicheAction.objects.filter(pk=fiche.pk).exists()
    reponse = equipe.post(reverse("actions:supprimer", args=[fiche.pk]))
    assert reponse.status_code == 302
    assert not FicheAction.objects.filter(pk=fiche.pk).exists()
    assert FicheAction.objects.get(pk=monde.fiche_1b.pk).numero == fiche.numero


def test_l_equipe_d_une_autre_structure_ne_peut_rien_faire(client, monde, fiche):
    client.force_login(monde.equipe_2)
    for nom in ["dupliquer", "supprimer", "deplacer"]:
        assert client.post(reverse(f"actions:{nom}", args=[fiche.pk])).status_code == 404
    assert (
        client.post(reverse("actions:creer", args=[monde.projet_1.pk]), {"titre": "x"}).status_code
        == 404
    )
    assert FicheAction.objects.filter(pk=fiche.pk).exists()


def test_requetes_de_l_editeur_ne_croissent_pas_avec_le_projet(
    client, demo, django_assert_max_num_queries
):
    client.force_login(MembreFactory(structure=demo.structure).user)
    fiche = FicheAction.objects.filter(projet=demo).order_by("pk").first()
    url = reverse("actions:modifier", args=[fiche.pk])
    with django_assert_max_num_queries(40):
        assert client.get(url).status_code == 200
    doubler_fiches(demo)
    with django_assert_max_num_queries(40):
        assert client.get(url).status_code == 200
