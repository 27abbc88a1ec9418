"""A fédération's instance for the load test: 300 structures, 3 000 accounts, 15 000 fiches with
their bilans and results over four years, and one fédération following every structure (a third
of them share their fiches). `--echelle 10` builds a tenth of it.

    DATABASE_URL=… python -m bench.federation [--echelle 10]

The base must be migrated. Rows go in with `bulk_create` (no signals, no history: a bench, not
people's work); every account's password is « demo » (one hash for all). Prints, as JSON, what
bench/charge.py passes to Locust: a few équipe accounts with their projet and fiches, the
fédération and its member. The demo's structures get a fédération of their own, so that the
fédération's page can be compared with the same page on the demo.
"""

import argparse
import json
import os
import random
import statistics
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

RACINE = Path(__file__).resolve().parent.parent
STRUCTURES, COMPTES_PAR_STRUCTURE, FICHES_PAR_STRUCTURE = 300, 10, 50
ANNEES = (2022, 2023, 2024, 2025)
AXES = ("Accéder à ses droits", "Vivre ensemble", "Soutenir les familles")
PREFIXE = "fed"
MOT_DE_PASSE = "demo"
MEMBRE_FEDERATION, MEMBRE_FEDERATION_DEMO = "federation", "federation-demo"


def preparer_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "centresocial.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only")
    sys.path.insert(0, str(RACINE))
    import django

    django.setup()


def au_hasard(hasard, valeurs, k):
    """`k` of a vocabulary's values, in its order (as the bilan form keeps them)."""
    pris = set(hasard.sample(valeurs, k))
    return [v for v in valeurs if v in pris]


def creer_structures(nombre, hasard):
    from projets.models import ProjetSocial, Structure

    structures = Structure.objects.bulk_create(
        Structure(
            slug=f"{PREFIXE}-{i:04d}",
            nom=f"Centre social n° {i:04d}",
            ville=f"Ville {i % 40:02d}",
            partage_federation=i % 3 == 0,
        )
        for i in range(1, nombre + 1)
    )
    statuts = [s.value for s in ProjetSocial.Statut]
    projets = []
    for structure in structures:
        statut = hasard.choice(statuts)
        agree = statut in (ProjetSocial.Statut.AGREE, ProjetSocial.Statut.ARCHIVE)
        projets.append(
            ProjetSocial(
                structure=structure,
                titre="Projet social 2022–2025",
                annee_debut=ANNEES[0],
                annee_fin=ANNEES[-1],
                statut=statut,
                date_decision_caf=date(2021, hasard.randint(9, 12), 15) if agree else None,
                date_fin_agrement=date(ANNEES[-1] + hasard.randint(0, 1), 12, 31)
                if agree
                else None,
            )
        )
    return structures, ProjetSocial.objects.bulk_create(projets)


def creer_comptes(structures, mot_de_passe):
    from django.contrib.auth import get_user_model

    from projets.models import Membre

    User = get_user_model()
    users, membres = [], []
    for structure in structures:
        for j in range(COMPTES_PAR_STRUCTURE):
            users.append(
                User(
                    username=f"{structure.slug}-{j}",
                    first_name="Camille",
                    last_name=f"{structure.slug}-{j}",
                    password=mot_de_passe,
                )
            )
    users = User.objects.bulk_create(users, batch_size=1000)
    for i, user in enumerate(users):
        structure = structures[i // COMPTES_PAR_STRUCTURE]
        role = Membre.Role.DIRECTION if i % COMPTES_PAR_STRUCTURE == 0 else Membre.Role.EQUIPE
        membres.append(Membre(user=user, structure=structure, role=role))
    Membre.objects.bulk_create(membres, batch_size=1000)
    return users


def creer_arbres(projets):
    """Per projet: three axes, an enjeu and an objectif général under each."""
    from projets.models import Axe, Enjeu, ObjectifGeneral

    axes = Axe.objects.bulk_create(
        Axe(projet=projet, ordre=i, titre=titre)
        for projet in projets
        for i, titre in enumerate(AXES, start=1)
    )
    enjeux = Enjeu.objects.bulk_create(
        Enjeu(projet_id=axe.projet_id, axe=axe, numero=axe.ordre, titre=f"Enjeu : {axe.titre}")
        for axe in axes
    )
    objectifs = ObjectifGeneral.objects.bulk_create(
        ObjectifGeneral(axe=enjeu.axe, enjeu=enjeu, ordre=1, titre=f"Objectif : {enjeu.titre}")
        for enjeu in enjeux
    )
    return axes, objectifs


def creer_fiches(projets, axes, objectifs, hasard):
    from actions.models import AnneeAction, FicheAction, FicheObjectif, Indicateur

    par_projet = {}
    for axe, objectif in zip(axes, objectifs, strict=True):
        par_projet.setdefault(axe.projet_id, []).append((axe, objectif))
    fiches, liens = [], []
    for projet in projets:
        for n in range(FICHES_PAR_STRUCTURE):
            axe, objectif = par_projet[projet.pk][n % len(AXES)]
            fiches.append(
                FicheAction(
                    projet=projet,
                    axe=axe,
                    numero=n // len(AXES) + 1,
                    titre=f"Action {n + 1} : {axe.titre.lower()}",
                    statut_plan=hasard.choice(FicheAction.StatutPlan.values),
                    public_vise="Familles et habitants du quartier",
                    presentation="Des ateliers chaque semaine, avec les habitants.",
                )
            )
            liens.append(objectif)
    fiches = FicheAction.objects.bulk_create(fiches, batch_size=2000)
    FicheObjectif.objects.bulk_create(
        (
            FicheObjectif(fiche=fiche, objectif=objectif, principal=True)
            for fiche, objectif in zip(fiches, liens, strict=True)
        ),
        batch_size=2000,
    )
    AnneeAction.objects.bulk_create(
        (AnneeAction(fiche=fiche, annee=annee) for fiche in fiches for annee in ANNEES),
        batch_size=5000,
    )
    indicateurs = Indicateur.objects.bulk_create(
        (
            Indicateur(
                fiche=fiche,
                ordre=1,
                libelle="Nombre de participants",
                outil="Fiches de présence",
                nature=Indicateur.Nature.QUANTITATIF,
                valeur_reference=Decimal(20),
                cible=Decimal(30),
            )
            for fiche in fiches
        ),
        batch_size=2000,
    )
    return fiches, indicateurs


def creer_resultats(fiches, indicateurs, hasard):
    from evaluation.models import BilanAction, CibleAnnuelle, Resultat
    from evaluation.observatoire import Dimension, MotCle, Public, TypePartenaire

    CibleAnnuelle.objects.bulk_create(
        (
            CibleAnnuelle(indicateur=i, annee=annee, valeur=Decimal(20 + rang * 3))
            for i in indicateurs
            for rang, annee in enumerate(ANNEES)
        ),
        batch_size=5000,
    )
    Resultat.objects.bulk_create(
        (
            Resultat(indicateur=i, annee=annee, valeur=Decimal(hasard.randint(10, 40)))
            for i in indicateurs
            for annee in ANNEES
        ),
        batch_size=5000,
    )
    mots = [m for m in MotCle.values if m != MotCle.AUTRE]  # « Autre » asks for a precision
    BilanAction.objects.bulk_create(
        (
            BilanAction(
                fiche=fiche,
                annee=annee,
                dimension=hasard.choice(Dimension.values),
                mots_cles=au_hasard(hasard, mots, 2),
                publics=au_hasard(hasard, Public.values, 2),
                types_partenaires=au_hasard(hasard, TypePartenaire.values, 3),
                salaries=hasard.randint(1, 3),
                benevoles=hasard.randint(0, 12),
                participants=hasard.randint(5, 120),
                resultat_habitants="Des habitants ont pris part à l'organisation.",
            )
            for fiche in fiches
            for annee in ANNEES
        ),
        batch_size=2000,
    )


def creer_federations(structures, mot_de_passe):
    from django.contrib.auth import get_user_model

    from projets.models import Federation, Structure

    User = get_user_model()
    federation = Federation.objects.create(nom="Fédération des centres sociaux (bench)")
    federation.structures.add(*structures)
    federation.membres.add(User.objects.create(username=MEMBRE_FEDERATION, password=mot_de_passe))
    # The same page on the demo's structures, for the query counts.
    demo = Federation.objects.create(nom="Fédération de la démo")
    structures_demo = list(Structure.objects.exclude(slug__startswith=f"{PREFIXE}-"))
    demo.structures.add(*structures_demo)
    # One demo structure shares its fiches, so that the shared fiches' pages compare too.
    Structure.objects.filter(pk=structures_demo[0].pk).update(partage_federation=True)
    demo.membres.add(User.objects.create(username=MEMBRE_FEDERATION_DEMO, password=mot_de_passe))
    return federation, demo


def construire(echelle=1, graine=17):
    """Build the instance (a 1/`echelle` of it); what the load test needs, as a dict."""
    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction

    from projets.models import Structure

    hasard = random.Random(graine)
    mot_de_passe = make_password(MOT_DE_PASSE)
    nombre = max(2, STRUCTURES // echelle)
    with transaction.atomic():
        structures, projets = creer_structures(nombre, hasard)
        users = creer_comptes(structures, mot_de_passe)
        axes, objectifs = creer_arbres(projets)
        fiches, indicateurs = creer_fiches(projets, axes, objectifs, hasard)
        creer_resultats(fiches, indicateurs, hasard)
        federation, demo = creer_federations(structures, mot_de_passe)
    # The planner's statistics, as autovacuum would have them on a server running for a while
    # (without them PostgreSQL plans for the empty tables it saw last).
    with connection.cursor() as curseur:
        curseur.execute("ANALYZE")
    fiches_par_projet = {}
    for fiche in fiches:
        fiches_par_projet.setdefault(fiche.projet_id, []).append(fiche.pk)
    # A few équipe accounts spread over the instance, each with its projet and fiches.
    equipes = [
        [users[i * COMPTES_PAR_STRUCTURE + 1].username, p.pk, fiches_par_projet[p.pk]]
        for i, p in enumerate(projets)
        if i % max(1, nombre // 20) == 0
    ]
    partagee = next(s for s in structures if s.partage_federation)
    partagee_demo = Structure.objects.filter(federations=demo, partage_federation=True).get()
    return {
        "structures": len(structures),
        "comptes": len(users) + 1,
        "fiches": len(fiches),
        "equipes": equipes,
        "federation": [MEMBRE_FEDERATION, federation.pk, partagee.pk],
        "federation_demo": [MEMBRE_FEDERATION_DEMO, demo.pk, partagee_demo.pk],
    }


def pages(equipe, federation):
    """(name, URL, account) of the pages the load test asks, for one équipe account [compte,
    projet, fiches] and one fédération [member, pk, a structure that shares its fiches]."""
    from django.urls import reverse

    from actions.models import FicheAction

    compte, projet, fiches = equipe
    membre, pk, partagee = federation
    fiche_partagee = FicheAction.objects.filter(projet__structure=partagee).order_by("pk").first()
    return [
        ("projet", reverse("actions:projet", args=[projet]), compte),
        ("liste des fiches (filtres)", reverse("actions:liste", args=[projet]), compte),
        ("fiche", reverse("actions:detail", args=[fiches[0]]), compte),
        (
            "tableau de bord d'évaluation",
            reverse("evaluation:tableau_de_bord", args=[projet]),
            compte,
        ),
        ("éditeur (ouvrir)", reverse("actions:modifier", args=[fiches[0]]), compte),
        ("fédération", reverse("federation:tableau", args=[pk]), membre),
        (
            "fédération : fiches partagées",
            reverse("federation:fiches_structure", args=[pk, partagee]),
            membre,
        ),
        ("fédération : fiche", reverse("federation:fiche", args=[pk, fiche_partagee.pk]), membre),
    ]


def requetes(pages_a_compter, mesures=5):
    """(name, (SQL queries, median server time in ms, median CPU time in ms)) of each page,
    asked warm through Django's test client (no network: the server's own time)."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    comptes = {}
    for nom, url, compte in pages_a_compter:
        if compte not in comptes:
            comptes[compte] = Client()
            comptes[compte].force_login(get_user_model().objects.get(username=compte))
        client = comptes[compte]
        assert client.get(url).status_code == 200, url  # warm-up: caches, templates
        durees, processeur = [], []
        for _ in range(mesures):
            with CaptureQueriesContext(connection) as capturees:
                debut, cpu = time.perf_counter(), time.process_time()
                reponse = client.get(url)
                durees.append((time.perf_counter() - debut) * 1000)
                processeur.append((time.process_time() - cpu) * 1000)
            assert reponse.status_code == 200, url
        yield nom, (len(capturees), statistics.median(durees), statistics.median(processeur))


def compter(scenario, equipe_demo):
    """{page: [queries on the demo, queries on the instance, server ms on the demo, on the
    instance, CPU ms on the demo, on the instance]}."""
    demo = dict(requetes(pages(equipe_demo, scenario["federation_demo"])))
    instance = dict(requetes(pages(scenario["equipes"][0], scenario["federation"])))
    return {
        nom: [v for paire in zip(demo[nom], instance[nom], strict=True) for v in paire]
        for nom in demo
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--echelle", type=int, default=1, help="construire 1/ÉCHELLE de l'instance (1 : entière)"
    )
    parser.add_argument(
        "--compter",
        metavar="SCENARIO",
        help="ne rien construire : compter les requêtes SQL des pages, sur la démo et sur "
        "l'instance que décrit SCENARIO (le JSON imprimé à la construction)",
    )
    parser.add_argument(
        "--equipe-demo", nargs=3, metavar=("COMPTE", "PROJET", "FICHE"), help="avec --compter"
    )
    args = parser.parse_args()
    preparer_django()
    if args.compter:
        scenario = json.loads(Path(args.compter).read_text())
        compte, projet, fiche = args.equipe_demo
        print(json.dumps(compter(scenario, [compte, int(projet), [int(fiche)]])))
        return 0
    debut = time.perf_counter()
    scenario = construire(args.echelle)
    print(
        f"Instance de fédération : {scenario['structures']} structures, {scenario['comptes']} "
        f"comptes, {scenario['fiches']} fiches, bilans et résultats sur {len(ANNEES)} ans "
        f"({time.perf_counter() - debut:.0f} s).",
        file=sys.stderr,
    )
    print(json.dumps(scenario))
    return 0


if __name__ == "__main__":
    sys.exit(main())
