"""Locust scenario of `make bench` (run by bench/charge.py, which passes the ids in CHARGE_*).

Staff browse a projet (projet page, fiche list with filters, fiche page, evaluation dashboard)
and edit fiches (open the editor, save it with its token: 302, or 409 when a colleague saved
first); partners browse their « Mes actions » and their fiches.

Against a fédération's instance (bench/federation.py, CHARGE_SCENARIO names its JSON), each staff
user logs in as one of its équipe accounts and browses that account's projet, and a fédération
member reads its figures and its shared fiches.
"""

import json
import os
import random
import re
from pathlib import Path

from locust import HttpUser, between, task

from bench.formulaire import champs_du_formulaire

PROJET = os.environ.get("CHARGE_PROJET", "1")
FICHES = os.environ.get("CHARGE_FICHES", "1").split(",")
MOT_DE_PASSE = "demo"
SCENARIO = (
    json.loads(Path(os.environ["CHARGE_SCENARIO"]).read_text())
    if os.environ.get("CHARGE_SCENARIO")
    else None
)


class Visiteur(HttpUser):
    abstract = True
    wait_time = between(2, 5)  # a person reads a page before the next click
    compte = ""

    def on_start(self):
        page = self.client.get("/comptes/login/", name="connexion")
        jeton = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        with self.client.post(
            "/comptes/login/",
            {"username": self.compte, "password": MOT_DE_PASSE, "csrfmiddlewaretoken": jeton},
            name="connexion",
            catch_response=True,
        ) as reponse:
            # A refused login shows the form again: every later page would be the login page.
            if "/comptes/login/" in reponse.url:
                reponse.failure(f"connexion refusée pour {self.compte}")


class Equipe(Visiteur):
    weight = 4
    compte = "equipe"
    projet_pk, fiches_pk = PROJET, FICHES

    def on_start(self):
        if SCENARIO:
            self.compte, self.projet_pk, fiches = random.choice(SCENARIO["equipes"])
            self.fiches_pk = [str(pk) for pk in fiches]
        super().on_start()

    @task(3)
    def projet(self):
        self.client.get(f"/projets/{self.projet_pk}/", name="projet")

    @task(3)
    def liste_filtree(self):
        filtre = random.choice(["", "?statut=en_cours", "?q=famille", "?statut_plan=NA&tri=-titre"])
        self.client.get(
            f"/projets/{self.projet_pk}/fiches/{filtre}", name="liste des fiches (filtres)"
        )

    @task(4)
    def fiche(self):
        self.client.get(f"/fiches/{random.choice(self.fiches_pk)}/", name="fiche")

    @task(2)
    def evaluation(self):
        self.client.get(
            f"/projets/{self.projet_pk}/evaluation/", name="tableau de bord d'évaluation"
        )

    @task(2)
    def editer(self):
        pk = random.choice(self.fiches_pk)
        page = self.client.get(f"/fiches/{pk}/modifier/", name="éditeur (ouvrir)")
        if page.status_code != 200:
            return
        data = champs_du_formulaire(page.text)
        titre = dict(data).get("titre") or "Fiche"
        data = [(k, v) for k, v in data if k != "titre"]
        base = re.sub(r" · charge \d+$", "", titre)
        data.append(("titre", f"{base} · charge {random.randint(1, 999)}"))
        with self.client.post(
            f"/fiches/{pk}/modifier/",
            data,
            name="éditeur (enregistrer)",
            allow_redirects=False,
            catch_response=True,
        ) as reponse:
            # 409: a colleague saved the fiche first; the user is told, nothing is lost.
            if reponse.status_code in (302, 409):
                reponse.success()
            else:
                reponse.failure(f"statut {reponse.status_code}")


class Partenaire(Visiteur):
    weight = 1
    compte = "partenaire"

    def on_start(self):
        super().on_start()
        page = self.client.get("/mes-actions/", name="mes actions")
        self.fiches = re.findall(r'href="/mes-actions/(\d+)/"', page.text) or ["0"]

    @task(1)
    def mes_actions(self):
        self.client.get("/mes-actions/", name="mes actions")

    @task(2)
    def fiche(self):
        self.client.get(f"/mes-actions/{random.choice(self.fiches)}/", name="fiche (partenaire)")


class Federation(Visiteur):
    """A fédération member (only against a fédération's instance)."""

    abstract = SCENARIO is None
    weight = 1

    def on_start(self):
        self.compte, self.federation, self.partagee = SCENARIO["federation"]
        super().on_start()
        page = self.client.get(
            f"/federation/{self.federation}/structures/{self.partagee}/fiches/",
            name="fédération : fiches partagées",
        )
        self.fiches = re.findall(rf'href="/federation/{self.federation}/fiches/(\d+)/"', page.text)
        self.fiches = self.fiches or ["0"]

    @task(3)
    def tableau(self):
        filtre = random.choice(["", "?annee=2024", "?annee=toutes"])
        self.client.get(f"/federation/{self.federation}/{filtre}", name="fédération")

    @task(1)
    def fiches_partagees(self):
        self.client.get(
            f"/federation/{self.federation}/structures/{self.partagee}/fiches/",
            name="fédération : fiches partagées",
        )

    @task(1)
    def fiche(self):
        self.client.get(
            f"/federation/{self.federation}/fiches/{random.choice(self.fiches)}/",
            name="fédération : fiche",
        )
