"""The one rule of order: a rank counted from 1 in its group, given under a lock, swapped with the
neighbour's (history written for both rows)."""

import importlib
import threading
import time

import pytest
from auditlog.models import LogEntry
from django.apps import apps
from django.contrib.messages import get_messages
from django.db import connection, transaction
from django.db.transaction import TransactionManagementError
from django.test import Client
from django.urls import reverse

from projets.models import (
    Axe,
    ChiffreCle,
    ColonneChiffres,
    Enjeu,
    ImageSection,
    InstanceGouvernance,
    ObjectifGeneral,
    SectionProjet,
)
from projets.ordre import BAS, HAUT
from tests.factories import (
    AxeFactory,
    EnjeuFactory,
    MembreFactory,
    ObjectifGeneralFactory,
    ProjetSocialFactory,
    SectionProjetFactory,
    TerritoireFactory,
)

SEULEMENT_POSTGRESQL = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="verrou de ligne : SQLite n'a pas de SELECT … FOR UPDATE (il bloque toute la base)",
)


class Lieux:
    """A projet with one parent of each kind, and the same in a second projet."""

    def __init__(self):
        self.projet = ProjetSocialFactory()
        self.axe = AxeFactory(projet=self.projet, ordre=1)
        self.enjeu = EnjeuFactory(axe=self.axe, numero=1)
        self.section = SectionProjetFactory(projet=self.projet, type="preambule")
        self.territoire = TerritoireFactory(structure=self.projet.structure, nom="Les Vergers")


@pytest.fixture
def lieux(db):
    return Lieux()


@pytest.fixture
def ailleurs(db):
    return Lieux()


# An unsaved row of each ordered model in its group of `lieux` (`n` tells the rows apart).
NOUVELLES = {
    "axe": lambda ici, n: Axe(projet=ici.projet, titre=f"Axe {n}"),
    "axe transversal": lambda ici, n: Axe(projet=ici.projet, titre=f"Pôle {n}", transversal=True),
    "enjeu": lambda ici, n: Enjeu(projet=ici.projet, axe=ici.axe, titre=f"Enjeu {n}"),
    "objectif de l'enjeu": lambda ici, n: ObjectifGeneral(
        axe=ici.axe, enjeu=ici.enjeu, titre=f"O{n}"
    ),
    "objectif sous l'axe": lambda ici, n: ObjectifGeneral(axe=ici.axe, titre=f"O{n}"),
    "section": lambda ici, n: SectionProjet(projet=ici.projet, type="autre", titre=f"S{n}"),
    "image": lambda ici, n: ImageSection(
        section=ici.section, image="c.png", texte_alternatif=f"{n}"
    ),
    "instance": lambda ici, n: InstanceGouvernance(projet=ici.projet, nom=f"Comité {n}"),
    "colonne": lambda ici, n: ColonneChiffres(territoire=ici.territoire, intitule=f"Ville {n}"),
    "chiffre": lambda ici, n: ChiffreCle(territoire=ici.territoire, libelle=f"Chiffre {n}"),
}


def ajouter(lieux, genre, n):
    """A row added at the end of its group, as the views do."""
    with transaction.atomic():
        ligne = NOUVELLES[genre](lieux, n)
        ligne.placer_a_la_fin()
        ligne.save()
    return ligne


def vider(lieux, genre):
    """The group of `genre` in `lieux`, emptied of the rows the fixture made."""
    NOUVELLES[genre](lieux, 0).freres().delete()


# --- the next rank -----------------------------------------------------------------------


@pytest.mark.parametrize("genre", NOUVELLES)
def test_le_rang_suivant_commence_a_1_et_ne_compte_que_le_groupe(lieux, ailleurs, genre):
    vider(lieux, genre)
    vider(ailleurs, genre)
    for n in range(1, 4):
        ajouter(ailleurs, genre, n)  # another projet's rows do not count
    assert [ajouter(lieux, genre, n).rang for n in range(1, 4)] == [1, 2, 3]


@pytest.mark.django_db(transaction=True)
def test_donner_un_rang_hors_transaction_est_refuse(lieux):
    with pytest.raises(TransactionManagementError):
        SectionProjet(projet=lieux.projet, type="conclusion").placer_a_la_fin()


def test_les_axes_numerotes_et_transversaux_sont_deux_listes(lieux):
    ajouter(lieux, "axe transversal", 1)
    # The transversal axe takes no number: the next numbered axe is « Axe 2 », not « Axe 3 ».
    assert ajouter(lieux, "axe", 2).libelle == "Axe 2"


def test_le_premier_objectif_d_un_enjeu_est_le_1(client, lieux):
    direction = MembreFactory(structure=lieux.projet.structure, direction=True).user
    client.force_login(direction)
    client.post(
        reverse("projets:objectif_creer", args=[lieux.axe.pk]),
        {"enjeu": lieux.enjeu.pk, "titre": "Premier"},
    )
    assert ObjectifGeneral.objects.get(titre="Premier").ordre == 1


def test_un_axe_devenu_numerote_prend_le_numero_suivant(client, lieux):
    AxeFactory(projet=lieux.projet, ordre=2)
    pole = AxeFactory(projet=lieux.projet, ordre=1, transversal=True, titre="Pôle")
    client.force_login(MembreFactory(structure=lieux.projet.structure).user)
    client.post(reverse("projets:axe_modifier", args=[pole.pk]), {"titre": "Pôle"})
    pole.refresh_from_db()
    assert pole.libelle == "Axe 3"


# --- two people adding at once (PostgreSQL) ------------------------------------------------


def attendre_qu_une_requete_attende_un_verrou(fini, delai=5):
    """Until a query of this database waits for a lock (or the other thread has finished)."""
    fin = time.monotonic() + delai
    with connection.cursor() as curseur:
        while time.monotonic() < fin and not fini.is_set():
            curseur.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if curseur.fetchone()[0]:
                return
            time.sleep(0.02)


@SEULEMENT_POSTGRESQL
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("genre", ["axe", "objectif de l'enjeu", "chiffre"])
def test_deux_ajouts_simultanes_ne_prennent_jamais_le_meme_rang(genre):
    lieux = Lieux()
    vider(lieux, genre)
    premier_a_son_rang, second_fini = threading.Event(), threading.Event()
    rangs = {}

    def premier():
        try:
            with transaction.atomic():
                ligne = NOUVELLES[genre](lieux, 1)
                ligne.placer_a_la_fin()
                premier_a_son_rang.set()
                # The second asks for a rank now: without a lock it would read the same last one.
                attendre_qu_une_requete_attende_un_verrou(second_fini)
                ligne.save()
            rangs["premier"] = ligne.rang
        finally:
            premier_a_son_rang.set()
            connection.close()

    def second():
        try:
            premier_a_son_rang.wait(5)
            rangs["second"] = ajouter(lieux, genre, 2).rang
        finally:
            second_fini.set()
            connection.close()

    fils = [threading.Thread(target=premier), threading.Thread(target=second)]
    for fil in fils:
        fil.start()
    for fil in fils:
        fil.join()
    assert rangs == {"premier": 1, "second": 2}


@SEULEMENT_POSTGRESQL
@pytest.mark.django_db(transaction=True)
def test_deux_enjeux_du_meme_numero_au_meme_instant_le_second_est_prevenu():
    lieux = Lieux()
    clients = []
    for _ in range(2):
        client = Client()
        client.force_login(MembreFactory(structure=lieux.projet.structure).user)
        clients.append(client)
    depart = threading.Barrier(2)
    reponses = []

    def ajouter_l_enjeu(client):
        try:
            depart.wait()
            url = reverse("projets:enjeu_creer", args=[lieux.axe.pk])
            reponses.append(client.post(url, {"numero": 2, "titre": "Se loger"}))
        finally:
            connection.close()

    fils = [threading.Thread(target=ajouter_l_enjeu, args=(c,)) for c in clients]
    for fil in fils:
        fil.start()
    for fil in fils:
        fil.join()
    assert sorted(r.status_code for r in reponses) == [200, 302]
    refus = next(r for r in reponses if r.status_code == 200)
    assert "Ce numéro d&#x27;enjeu est déjà utilisé dans ce projet social." in refus.text
    assert Enjeu.objects.filter(projet=lieux.projet, numero=2).count() == 1


# --- moving --------------------------------------------------------------------------------


def historique_de(ligne):
    entrees = LogEntry.objects.get_for_object(ligne).filter(action=LogEntry.Action.UPDATE)
    return [entree.changes_dict for entree in entrees]


def sections(lieux, rangs):
    lieux.section.delete()
    return [
        SectionProjetFactory(projet=lieux.projet, type="autre", titre=f"S{i}", ordre=r)
        for i, r in enumerate(rangs, start=1)
    ]


def titres(lieux):
    return [s.titre for s in SectionProjet.objects.filter(projet=lieux.projet)]


def test_deplacer_ecrit_l_historique_des_deux_lignes(lieux):
    premiere, seconde = sections(lieux, [1, 2])
    assert seconde.deplacer(HAUT) == premiere
    assert titres(lieux) == ["S2", "S1"]
    assert historique_de(seconde) == [{"ordre": ["2", "1"]}]
    assert historique_de(premiere) == [{"ordre": ["1", "2"]}]


def test_deplacer_un_enjeu_echange_les_numeros_sans_le_detour_dans_l_historique(lieux):
    second = EnjeuFactory(axe=AxeFactory(projet=lieux.projet, ordre=2), numero=2)
    assert second.deplacer(HAUT) == lieux.enjeu
    lieux.enjeu.refresh_from_db()
    assert (second.numero, lieux.enjeu.numero) == (1, 2)
    assert historique_de(second) == [{"numero": ["2", "1"]}]
    assert historique_de(lieux.enjeu) == [{"numero": ["1", "2"]}]
    entree = LogEntry.objects.get_for_object(second).get(action=LogEntry.Action.UPDATE)
    assert entree.additional_data == {"projet": lieux.projet.pk}  # on the projet's history page


@pytest.mark.parametrize(("indice", "sens"), [(0, HAUT), (2, BAS)])
def test_monter_le_premier_ou_descendre_le_dernier_ne_change_rien(lieux, indice, sens):
    lignes = sections(lieux, [1, 2, 3])
    assert lignes[indice].deplacer(sens) is None
    assert titres(lieux) == ["S1", "S2", "S3"]
    assert list(SectionProjet.objects.values_list("ordre", flat=True)) == [1, 2, 3]
    assert not any(historique_de(ligne) for ligne in lignes)


def test_le_premier_enjeu_ne_monte_pas(lieux):
    assert lieux.enjeu.deplacer(HAUT) is None
    lieux.enjeu.refresh_from_db()
    assert lieux.enjeu.numero == 1 and not historique_de(lieux.enjeu)


def test_un_deplacement_fait_un_cran_meme_si_des_rangs_sont_egaux(lieux):
    # Shown S3, S1, S2 (S1 and S2 share rank 2, then by creation): S3 goes down one step only.
    s1, s2, s3 = sections(lieux, [2, 2, 1])
    s3.deplacer(BAS)
    assert titres(lieux) == ["S1", "S3", "S2"]
    assert list(SectionProjet.objects.values_list("ordre", flat=True)) == [1, 2, 3]


def test_deplacer_lit_le_rang_enregistre_pas_celui_de_la_copie(lieux):
    premiere, seconde = sections(lieux, [1, 2])
    copie = SectionProjet.objects.get(pk=seconde.pk)
    seconde.deplacer(HAUT)
    assert copie.deplacer(BAS) == premiere  # read before the first move: now first, goes down
    assert titres(lieux) == ["S1", "S2"]


def test_un_objectif_se_deplace_parmi_ceux_de_son_enjeu_seulement(lieux):
    sous_l_axe = ObjectifGeneralFactory(enjeu=None, axe=lieux.axe, ordre=1, titre="Sous l'axe")
    a = ObjectifGeneralFactory(enjeu=lieux.enjeu, ordre=1, titre="A")
    b = ObjectifGeneralFactory(enjeu=lieux.enjeu, ordre=2, titre="B")
    assert a.deplacer(HAUT) is None
    assert b.deplacer(HAUT) == a
    sous_l_axe.refresh_from_db()
    assert sous_l_axe.ordre == 1


def test_deplacer_depuis_la_page_ecrit_l_historique_des_deux_axes(client, lieux):
    second = AxeFactory(projet=lieux.projet, ordre=2, titre="Second")
    client.force_login(MembreFactory(structure=lieux.projet.structure).user)
    reponse = client.post(reverse("projets:axe_deplacer", args=[second.pk]), {"sens": "haut"})
    assert [str(m) for m in get_messages(reponse.wsgi_request)] == [
        "« Axe 1 : Second » est monté d'un cran."
    ]
    assert historique_de(second) == [{"ordre": ["2", "1"]}]
    assert historique_de(lieux.axe) == [{"ordre": ["1", "2"]}]


def test_deplacer_une_image_ecrit_l_historique_des_deux(client, lieux):
    images = [ajouter(lieux, "image", n) for n in (1, 2)]
    client.force_login(MembreFactory(structure=lieux.projet.structure).user)
    url = reverse("projets:image_deplacer", args=[lieux.projet.pk, images[0].pk])
    client.post(url, {"sens": "descendre"})
    assert historique_de(images[0]) == [{"ordre": ["1", "2"]}]
    assert historique_de(images[1]) == [{"ordre": ["2", "1"]}]


# --- renumbering ---------------------------------------------------------------------------


def test_renumeroter_numerote_1_a_n_dans_l_ordre(lieux):
    s1, s2, s3 = sections(lieux, [0, 4, 4])
    s2.renumeroter()
    assert list(SectionProjet.objects.values_list("titre", "ordre")) == [
        ("S1", 1),
        ("S2", 2),
        ("S3", 3),
    ]
    assert historique_de(s2) == [{"ordre": ["4", "2"]}]


def test_supprimer_un_axe_ne_renumerote_pas_les_autres(client, lieux):
    """As before: the axes keep their numbers (the fiches' references « Axe 3 – 02 » too)."""
    milieu = AxeFactory(projet=lieux.projet, ordre=2)
    dernier = AxeFactory(projet=lieux.projet, ordre=3)
    client.force_login(MembreFactory(structure=lieux.projet.structure).user)
    client.post(reverse("projets:axe_supprimer", args=[milieu.pk]))
    dernier.refresh_from_db()
    assert not Axe.objects.filter(pk=milieu.pk).exists() and dernier.libelle == "Axe 3"


# --- the rows saved before: counted from 1 too ---------------------------------------------


def test_la_migration_numerote_depuis_1_les_groupes_qui_commencaient_a_0(lieux, ailleurs):
    numeroter = importlib.import_module("projets.migrations.0007_ordre_depuis_un")
    ancienne = sections(lieux, [0, 0, 3])  # S1 and S2 tie at 0: by creation
    intactes = sections(ailleurs, [1, 3, 7])  # gaps kept: only groups starting at 0 move
    ChiffreCle.objects.bulk_create(
        ChiffreCle(territoire=lieux.territoire, libelle=f"C{i}", ordre=i) for i in range(3)
    )
    ObjectifGeneralFactory(enjeu=lieux.enjeu, ordre=2, titre="Suite de l'axe")
    pole = AxeFactory(projet=lieux.projet, ordre=0, transversal=True)

    numeroter.numeroter_depuis_un(apps, None)

    assert [SectionProjet.objects.get(pk=s.pk).ordre for s in ancienne] == [1, 2, 3]
    assert [SectionProjet.objects.get(pk=s.pk).ordre for s in intactes] == [1, 3, 7]
    chiffres = lieux.territoire.chiffres.values_list("libelle", "ordre")
    assert list(chiffres) == [("C0", 1), ("C1", 2), ("C2", 3)]
    assert ObjectifGeneral.objects.get(titre="Suite de l'axe").ordre == 2
    pole.refresh_from_db()
    lieux.axe.refresh_from_db()
    assert (lieux.axe.ordre, pole.ordre) == (1, 1)  # two lists: the numbered one began at 1
